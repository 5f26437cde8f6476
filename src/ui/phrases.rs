//! Menu text for what the core decides: a calibration's advice, a tour goal, the input's
//! precision, how merch is earned, each in the menus' language. The core keeps its own English for the command line.

use crate::core::calibration::Calibration;
use crate::core::merch::{HintWords, Item};
use crate::core::multiplayer::GroupPart;
use crate::core::tour::Goal;
use crate::fans::MerchCatalog;
use crate::input::InputPrecision;

/// What a calibration tells the player.
pub fn calibration_advice(outcome: &Calibration) -> String {
    match *outcome {
        Calibration::Suggest {
            median_ms,
            spread_ms,
            taps,
        } => {
            let (ms, spread) = (format!("{:.1}", median_ms.abs()), format!("{spread_ms:.1}"));
            if median_ms >= 0.0 {
                t!("advice-late", taps = taps, ms = ms, spread = spread)
            } else {
                t!("advice-early", taps = taps, ms = ms, spread = spread)
            }
        }
        Calibration::TooFew { taps, needed } => t!("advice-too-few", taps = taps, needed = needed),
        Calibration::TooScattered { spread_ms, taps } => t!(
            "advice-scattered",
            taps = taps,
            spread = format!("{spread_ms:.0}")
        ),
    }
}

/// A tour stage's goal.
pub fn goal(goal: &Goal) -> String {
    match goal {
        Goal::EveryGrade(grade) => t!("goal-every-grade", grade = grade.name()),
        Goal::Accuracy(least) => t!("goal-accuracy", percent = format!("{least:.0}")),
        Goal::FullCombos(n) => t!("goal-full-combos", count = *n),
        Goal::TotalScore(n) => t!("goal-total-score", points = *n),
    }
}

/// A merch category's name.
pub fn category(category: crate::core::merch::Category) -> String {
    use crate::core::merch::Category;
    match category {
        Category::Lightstick => t!("category-lightsticks"),
        Category::Photocard => t!("category-photocards"),
        Category::Album => t!("category-albums"),
        Category::Outfit => t!("category-outfits"),
        Category::Poster => t!("category-posters"),
        Category::Banner => t!("category-banners"),
        Category::NoteSkin => t!("category-note-skins"),
    }
}

/// How precisely key presses are timed, as Settings says it.
pub fn precision(precision: InputPrecision) -> String {
    match precision {
        InputPrecision::RawThreadStamped => t!("precision-raw"),
        InputPrecision::FrameLimited => t!("precision-frame"),
    }
}

/// A member's lines of a group stage: "member 2's lines of a group of 3".
pub fn group_part(part: GroupPart) -> String {
    t!("group-part", member = part.member, members = part.members)
}

/// How an item is earned: its rule's hint, its price in the shop, or both.
pub fn how_to_get(catalog: &MerchCatalog, item: &Item) -> String {
    let hint = item
        .unlock
        .as_ref()
        .map(|rule| rule.hint_in(&catalog.names, &MenuHintWords));
    match (hint, item.price) {
        (Some(hint), Some(price)) => t!("merch-hint-or-price", hint = hint, price = price),
        (Some(hint), None) => hint,
        (None, Some(price)) => t!("merch-price", price = price),
        (None, None) => String::new(),
    }
}

/// A merch rule's hint in the menus' language.
struct MenuHintWords;

impl HintWords for MenuHintWords {
    fn clear(&self, level: &str) -> String {
        t!("merch-clear", level = level)
    }
    fn clear_with_grade(&self, level: &str, grade: &str) -> String {
        t!("merch-clear-with-grade", level = level, grade = grade)
    }
    fn full_combo(&self, level: &str) -> String {
        t!("merch-full-combo", level = level)
    }
    fn all_perfect(&self, level: &str) -> String {
        t!("merch-all-perfect", level = level)
    }
    fn plays(&self, n: u32) -> String {
        t!("merch-plays", count = n)
    }
    fn streak(&self, n: u32) -> String {
        t!("merch-streak", count = n)
    }
    fn fan_points_earned(&self, n: u64) -> String {
        t!("merch-fan-points-earned", points = n)
    }
    fn versus_wins(&self, n: u32) -> String {
        t!("merch-versus-wins", count = n)
    }
    fn group_clears(&self, n: u32) -> String {
        t!("merch-group-clears", count = n)
    }
    fn tour_stage(&self, stage: &str) -> String {
        t!("merch-tour-stage", stage = stage)
    }
    fn all(&self, hints: &[String]) -> String {
        hints.join(&t!("merch-and"))
    }
    fn any(&self, hints: &[String]) -> String {
        hints.join(&t!("merch-or"))
    }
    fn count(&self, n: u32, hints: &[String]) -> String {
        t!("merch-count-of", count = n, hints = hints.join("; "))
    }
    fn on_a_chart_of(&self, level: &str, meter: u32) -> String {
        t!("merch-on-a-chart-of", level = level, meter = meter)
    }
    fn on_chart(&self, level: &str, difficulty: &str) -> String {
        t!("merch-on-chart", level = level, difficulty = difficulty)
    }
    fn on_chart_or_harder(&self, level: &str, difficulty: &str) -> String {
        t!(
            "merch-on-chart-or-harder",
            level = level,
            difficulty = difficulty
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::merch::{Names, Rule};
    use crate::core::score::Grade;

    /// The English menus say every rule as the command line and the catalogue checks do.
    #[test]
    fn english_menus_give_the_cores_hints() {
        let mut names = Names::default();
        names.levels.insert(
            "neon".into(),
            (
                "Neon Heartbeat".into(),
                vec![
                    ("Normal".into(), 4),
                    ("Hard".into(), 7),
                    ("Expert".into(), 9),
                ],
            ),
        );
        names
            .stages
            .insert("fest".into(), "Riverside Fan-Fest".into());
        let level = |meter| Rule::FullCombo {
            level: "neon".into(),
            meter,
        };
        let rules = vec![
            Rule::Clear {
                level: "neon".into(),
                grade: Grade::A,
                meter: 4,
            },
            Rule::Clear {
                level: "gone".into(),
                grade: Grade::D,
                meter: 3,
            },
            level(8),
            level(5),
            level(12),
            Rule::AllPerfect {
                level: "neon".into(),
                meter: 0,
            },
            Rule::Plays(1),
            Rule::Plays(20),
            Rule::Streak(3),
            Rule::FanPointsEarned(5000),
            Rule::VersusWins(1),
            Rule::VersusWins(4),
            Rule::GroupClears(1),
            Rule::GroupClears(2),
            Rule::TourStage("fest".into()),
            Rule::All(vec![Rule::Plays(2), Rule::Streak(2)]),
            Rule::Any(vec![Rule::Plays(2), Rule::Streak(2)]),
            Rule::Count(1, vec![Rule::Plays(2), Rule::Streak(2)]),
        ];
        for rule in rules {
            assert_eq!(
                rule.hint_in(&names, &MenuHintWords),
                rule.hint_with(&names),
                "{rule:?}"
            );
        }
    }
}
