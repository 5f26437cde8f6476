//! Fan merch, without drawing or saving: the items a catalog lists, the unlock rules that
//! decide when a player has earned one, the fan points a play earns, and buying with them.
//! The rules are evaluated on a player's progress, a summary of everything they have done.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::score::{Grade, PlayResult};

/// What kind of merch an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Lightstick,
    Photocard,
    Album,
    Outfit,
    Poster,
    Banner,
    NoteSkin,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rarity {
    #[default]
    Common,
    Rare,
    SuperRare,
    Ultra,
}

/// The motif of an item's generated art: a lightstick's head, a note skin's notes, the
/// print on a poster or outfit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    #[default]
    Round,
    Heart,
    Star,
    Bar,
    Crown,
    Diamond,
}

const SHAPES: [(&str, Shape); 6] = [
    ("round", Shape::Round),
    ("heart", Shape::Heart),
    ("star", Shape::Star),
    ("bar", Shape::Bar),
    ("crown", Shape::Crown),
    ("diamond", Shape::Diamond),
];

/// Every category, its name for the player, and the slot its items are worn in.
impl Category {
    pub const ALL: [Category; 7] = [
        Category::Lightstick,
        Category::Photocard,
        Category::Album,
        Category::Outfit,
        Category::Poster,
        Category::Banner,
        Category::NoteSkin,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Lightstick => "Lightsticks",
            Category::Photocard => "Photocards",
            Category::Album => "Albums",
            Category::Outfit => "Outfits",
            Category::Poster => "Posters",
            Category::Banner => "Slogan banners",
            Category::NoteSkin => "Note skins",
        }
    }

    /// The key an equipped item is saved under, or `None` for categories that are only
    /// collected.
    pub fn slot(self) -> Option<&'static str> {
        match self {
            Category::Lightstick => Some("lightstick"),
            Category::Photocard => Some("photocard"),
            Category::Outfit => Some("outfit"),
            Category::Poster => Some("poster"),
            Category::NoteSkin => Some("note_skin"),
            Category::Album | Category::Banner => None,
        }
    }
}

/// When an item unlocks. Conditions compose with `All`, `Any` and `Count`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Rule {
    /// Clear `level` at `grade` or better, on a chart of `meter` or more.
    Clear {
        level: String,
        #[serde(default = "any_grade")]
        grade: Grade,
        #[serde(default)]
        meter: u32,
    },
    /// A full combo on `level` (any chart of `meter` or more).
    FullCombo {
        level: String,
        #[serde(default)]
        meter: u32,
    },
    AllPerfect {
        level: String,
        #[serde(default)]
        meter: u32,
    },
    /// Plays finished, of any song.
    Plays(u32),
    /// Clears in a row, at some point.
    Streak(u32),
    /// Fan points earned in all (spending does not take them back).
    FanPointsEarned(u64),
    VersusWins(u32),
    GroupClears(u32),
    /// A festival tour stage cleared.
    TourStage(String),
    All(Vec<Rule>),
    Any(Vec<Rule>),
    /// At least `n` of the rules.
    Count(u32, Vec<Rule>),
}

fn any_grade() -> Grade {
    Grade::D
}

/// How well a chart has gone at best.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartBest {
    pub meter: u32,
    /// The best grade of a cleared (not failed) play, if any.
    pub cleared: Option<Grade>,
    pub full_combo: bool,
    pub all_perfect: bool,
}

/// Everything a player has done that rules can ask about.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// By level, then difficulty.
    pub charts: BTreeMap<String, BTreeMap<String, ChartBest>>,
    pub plays: u32,
    pub streak: u32,
    pub best_streak: u32,
    pub fan_points_earned: u64,
    pub fan_points: u64,
    pub versus_wins: u32,
    pub group_clears: u32,
    pub tour_stages: BTreeSet<String>,
    /// The journal ids of the latest plays recorded, so a play is never counted twice.
    pub recent_plays: Vec<String>,
}

/// How many play ids a file remembers: far more than one journal ever holds.
pub const REMEMBERED_PLAYS: usize = 64;

/// Adds `id` to `recent` unless it is there; whether it was new.
pub fn remember_play(recent: &mut Vec<String>, id: &str) -> bool {
    if recent.iter().any(|r| r == id) {
        return false;
    }
    recent.push(id.to_string());
    let excess = recent.len().saturating_sub(REMEMBERED_PLAYS);
    recent.drain(..excess);
    true
}

/// The order grades rank in, best last.
pub fn grade_rank(grade: Grade) -> u8 {
    match grade {
        Grade::F => 0,
        Grade::D => 1,
        Grade::C => 2,
        Grade::B => 3,
        Grade::A => 4,
        Grade::S => 5,
        Grade::SS => 6,
    }
}

impl Rule {
    /// Whether `progress` satisfies the rule.
    pub fn holds(&self, progress: &Progress) -> bool {
        let charts = |level: &str, meter: u32| -> Vec<&ChartBest> {
            progress
                .charts
                .get(level)
                .map(|c| c.values().filter(|b| b.meter >= meter).collect())
                .unwrap_or_default()
        };
        match self {
            Rule::Clear {
                level,
                grade,
                meter,
            } => charts(level, *meter).iter().any(|b| {
                b.cleared
                    .is_some_and(|g| grade_rank(g) >= grade_rank(*grade))
            }),
            Rule::FullCombo { level, meter } => charts(level, *meter).iter().any(|b| b.full_combo),
            Rule::AllPerfect { level, meter } => {
                charts(level, *meter).iter().any(|b| b.all_perfect)
            }
            Rule::Plays(n) => progress.plays >= *n,
            Rule::Streak(n) => progress.best_streak >= *n,
            Rule::FanPointsEarned(n) => progress.fan_points_earned >= *n,
            Rule::VersusWins(n) => progress.versus_wins >= *n,
            Rule::GroupClears(n) => progress.group_clears >= *n,
            Rule::TourStage(id) => progress.tour_stages.contains(id),
            Rule::All(rules) => rules.iter().all(|r| r.holds(progress)),
            Rule::Any(rules) => rules.iter().any(|r| r.holds(progress)),
            Rule::Count(n, rules) => {
                rules.iter().filter(|r| r.holds(progress)).count() as u32 >= *n
            }
        }
    }

    /// Whether the rule can both fail and hold: `All([])` and `Count(0, …)` always hold, and
    /// `Any([])` or more of `Count` than it lists never can. The error says which and why.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Rule::All(rules) | Rule::Any(rules) if rules.is_empty() => {
                Err("`All([])` and `Any([])` list no rules; write the rules they join".into())
            }
            Rule::Count(0, _) => Err("`Count(0, …)` always holds; count 1 or more".into()),
            Rule::Count(n, rules) if *n as usize > rules.len() => Err(format!(
                "`Count({n}, …)` can never hold: it lists only {} rules",
                rules.len()
            )),
            Rule::TourStage(id) if id.trim().is_empty() => {
                Err("`TourStage(\"\")` names no stage".into())
            }
            Rule::All(rules) | Rule::Any(rules) | Rule::Count(_, rules) => {
                rules.iter().try_for_each(Rule::check)
            }
            _ => Ok(()),
        }
    }

    /// The tour stages the rule names, to check a tour has them.
    pub fn tour_stages(&self) -> Vec<&str> {
        match self {
            Rule::TourStage(id) => vec![id.as_str()],
            Rule::All(rules) | Rule::Any(rules) | Rule::Count(_, rules) => {
                rules.iter().flat_map(Rule::tour_stages).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The levels the rule names, to check they exist.
    pub fn levels(&self) -> Vec<&str> {
        match self {
            Rule::Clear { level, .. }
            | Rule::FullCombo { level, .. }
            | Rule::AllPerfect { level, .. } => {
                vec![level.as_str()]
            }
            Rule::All(rules) | Rule::Any(rules) | Rule::Count(_, rules) => {
                rules.iter().flat_map(Rule::levels).collect()
            }
            _ => Vec::new(),
        }
    }

    /// A hint for a locked item, in words.
    pub fn hint(&self) -> String {
        self.hint_with(&Names::default())
    }

    /// The hint with levels and tour stages called by their names, and chart meters turned
    /// into the difficulties that reach them ("Full combo Neon Heartbeat on Hard or harder").
    pub fn hint_with(&self, names: &Names) -> String {
        self.hint_in(names, &English)
    }

    /// The hint in the words of `words`, so the menus can say it in their own language.
    pub fn hint_in(&self, names: &Names, words: &dyn HintWords) -> String {
        let hints = |rules: &[Rule]| -> Vec<String> {
            rules.iter().map(|r| r.hint_in(names, words)).collect()
        };
        match self {
            Rule::Clear {
                level,
                grade,
                meter,
            } => {
                let level = names.level_in(level, *meter, words);
                if *grade == Grade::D {
                    words.clear(&level)
                } else {
                    words.clear_with_grade(&level, grade.name())
                }
            }
            Rule::FullCombo { level, meter } => {
                words.full_combo(&names.level_in(level, *meter, words))
            }
            Rule::AllPerfect { level, meter } => {
                words.all_perfect(&names.level_in(level, *meter, words))
            }
            Rule::Plays(n) => words.plays(*n),
            Rule::Streak(n) => words.streak(*n),
            Rule::FanPointsEarned(n) => words.fan_points_earned(*n),
            Rule::VersusWins(n) => words.versus_wins(*n),
            Rule::GroupClears(n) => words.group_clears(*n),
            Rule::TourStage(id) => words.tour_stage(names.stages.get(id).unwrap_or(id)),
            Rule::All(rules) => words.all(&hints(rules)),
            Rule::Any(rules) => words.any(&hints(rules)),
            Rule::Count(n, rules) => words.count(*n, &hints(rules)),
        }
    }
}

/// The phrases a hint is built from. Each has its English here; the menus give their own
/// language's phrase for each.
pub trait HintWords {
    fn clear(&self, level: &str) -> String {
        format!("Clear {level}")
    }
    fn clear_with_grade(&self, level: &str, grade: &str) -> String {
        format!("Clear {level} with {grade} or better")
    }
    fn full_combo(&self, level: &str) -> String {
        format!("Full combo {level}")
    }
    fn all_perfect(&self, level: &str) -> String {
        format!("All perfect on {level}")
    }
    fn plays(&self, n: u32) -> String {
        match n {
            1 => "Finish a play".into(),
            _ => format!("Finish {n} plays"),
        }
    }
    fn streak(&self, n: u32) -> String {
        format!("Clear {n} songs in a row")
    }
    fn fan_points_earned(&self, n: u64) -> String {
        format!("Earn {n} fan points")
    }
    fn versus_wins(&self, n: u32) -> String {
        match n {
            1 => "Win a versus play".into(),
            _ => format!("Win {n} versus plays"),
        }
    }
    fn group_clears(&self, n: u32) -> String {
        match n {
            1 => "Clear a group stage".into(),
            _ => format!("Clear {n} group stages"),
        }
    }
    fn tour_stage(&self, stage: &str) -> String {
        format!("Clear {stage} on the festival tour")
    }
    fn all(&self, hints: &[String]) -> String {
        hints.join(", and ")
    }
    fn any(&self, hints: &[String]) -> String {
        hints.join(", or ")
    }
    fn count(&self, n: u32, hints: &[String]) -> String {
        format!("{n} of: {}", hints.join("; "))
    }
    /// A level whose charts are all too easy, or which is not installed.
    fn on_a_chart_of(&self, level: &str, meter: u32) -> String {
        format!("{level} on a chart of {meter} or more")
    }
    fn on_chart(&self, level: &str, difficulty: &str) -> String {
        format!("{level} on {difficulty}")
    }
    fn on_chart_or_harder(&self, level: &str, difficulty: &str) -> String {
        format!("{level} on {difficulty} or harder")
    }
}

/// Hints in English, as the command line and the catalogue checks say them.
pub struct English;

impl HintWords for English {}

/// What hints call levels and tour stages by. Without an entry, the id is used.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// By level folder: its title, and each chart's difficulty and meter.
    pub levels: BTreeMap<String, (String, Vec<(String, u32)>)>,
    /// By stage id: its name.
    pub stages: BTreeMap<String, String>,
}

impl Names {
    /// A level, with the charts a meter allows, in the words of `words`: "Venom Crown on
    /// Expert".
    pub fn level_in(&self, slug: &str, meter: u32, words: &dyn HintWords) -> String {
        let Some((title, charts)) = self.levels.get(slug) else {
            return if meter > 0 {
                words.on_a_chart_of(slug, meter)
            } else {
                slug.to_string()
            };
        };
        let mut reaching: Vec<&(String, u32)> =
            charts.iter().filter(|(_, m)| *m >= meter).collect();
        reaching.sort_by_key(|(_, m)| *m);
        match reaching.len() {
            _ if meter == 0 || reaching.len() == charts.len() => title.clone(),
            0 => words.on_a_chart_of(title, meter),
            1 => words.on_chart(title, &reaching[0].0),
            _ => words.on_chart_or_harder(title, &reaching[0].0),
        }
    }
}

/// Fan points a play earns: its score in thousands, more for harder charts, a bonus for a full
/// combo and more for all-perfect. A failed play earns a tenth.
pub fn fan_points(result: &PlayResult, meter: u32) -> u64 {
    let base = u64::from(result.score) / 1000;
    let difficulty = 10 + u64::from(meter.min(crate::chart::MAX_METER)) * 2;
    let mut points = base * difficulty / 10;
    if result.all_perfect {
        points += points / 2;
    } else if result.full_combo {
        points += points / 4;
    }
    if result.failed { points / 10 } else { points }
}

/// What one finished play adds to a player's progress. Owned and saved, because the play
/// journal holds it until every file has taken it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayRecord {
    pub level: String,
    pub difficulty: String,
    pub meter: u32,
    pub result: PlayResult,
    pub versus_win: bool,
    pub group_clear: bool,
    /// A group member plays only their lines: the play counts, but sets no chart best.
    pub part_of_chart: bool,
    /// Taps and holds the player had to hit; mines do not count.
    pub notes_to_hit: usize,
}

/// A chart with fewer notes to hit earns no fan points: anyone can write a level, and a chart
/// of a few taps (or only mines) must not farm merch. Its plays still count for everything else.
pub const MIN_NOTES_FOR_FAN_POINTS: usize = 20;

impl Progress {
    /// Records the play journalled as `id` unless it already was; the fan points it earned.
    pub fn record_once(&mut self, id: &str, play: &PlayRecord) -> Option<u64> {
        remember_play(&mut self.recent_plays, id).then(|| self.record(play))
    }

    /// Records a play and returns the fan points it earned.
    pub fn record(&mut self, play: &PlayRecord) -> u64 {
        // Counts come from a hand-editable file: saturate rather than wrap or panic.
        self.plays = self.plays.saturating_add(1);
        let result = &play.result;
        let mut scratch = ChartBest::default();
        let best = if play.part_of_chart {
            &mut scratch
        } else {
            self.charts
                .entry(play.level.clone())
                .or_default()
                .entry(play.difficulty.clone())
                .or_default()
        };
        best.meter = play.meter;
        if !result.failed {
            let better = best
                .cleared
                .is_none_or(|g| grade_rank(result.grade) > grade_rank(g));
            if better {
                best.cleared = Some(result.grade);
            }
            best.full_combo |= result.full_combo;
            best.all_perfect |= result.all_perfect;
            self.streak = self.streak.saturating_add(1);
            self.best_streak = self.best_streak.max(self.streak);
        } else {
            self.streak = 0;
        }
        self.versus_wins = self.versus_wins.saturating_add(u32::from(play.versus_win));
        self.group_clears = self
            .group_clears
            .saturating_add(u32::from(play.group_clear));
        let earned = if play.notes_to_hit >= MIN_NOTES_FOR_FAN_POINTS {
            fan_points(result, play.meter)
        } else {
            0
        };
        self.fan_points_earned = self.fan_points_earned.saturating_add(earned);
        self.fan_points = self.fan_points.saturating_add(earned);
        earned
    }

    /// Spends `price` fan points, if there are enough; never goes below zero.
    pub fn spend(&mut self, price: u64) -> Result<(), NotEnoughPoints> {
        if price > self.fan_points {
            return Err(NotEnoughPoints {
                price,
                have: self.fan_points,
            });
        }
        self.fan_points -= price;
        Ok(())
    }
}

/// A price higher than the fan points there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("that costs {price} fan points and you have {have}")]
pub struct NotEnoughPoints {
    pub price: u64,
    pub have: u64,
}

/// The items whose rules `progress` now meets that are not yet unlocked.
pub fn newly_unlocked<'a>(
    items: impl Iterator<Item = (&'a str, &'a Rule)>,
    unlocked: &BTreeSet<String>,
    progress: &Progress,
) -> Vec<&'a str> {
    items
        .filter(|(id, rule)| !unlocked.contains(*id) && rule.holds(progress))
        .map(|(id, _)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Chart, PlacedKind};
    use crate::judge::{JudgeSettings, autoplay_inputs};
    use crate::play::play_solo;
    use crate::timing::{BpmChange, TimingMap};

    fn result(perfect: bool) -> PlayResult {
        let chart = Chart::from_beats(
            "T",
            5,
            4,
            TimingMap::new(
                0.0,
                &[BpmChange {
                    beat: 0.0,
                    bpm: 120.0,
                }],
                &[],
            ),
            (0..8).map(|i| ((i % 4) as u8, f64::from(i), PlacedKind::Tap)),
        );
        let inputs = if perfect {
            autoplay_inputs(&chart)
        } else {
            autoplay_inputs(&chart).into_iter().skip(2).collect()
        };
        play_solo(&chart, JudgeSettings::default(), inputs).result
    }

    fn play(level: &str, meter: u32, result: &PlayResult) -> PlayRecord {
        PlayRecord {
            level: level.into(),
            difficulty: "Hard".into(),
            meter,
            result: *result,
            versus_win: false,
            group_clear: false,
            part_of_chart: false,
            notes_to_hit: 100,
        }
    }

    #[test]
    fn every_condition_kind_holds_when_it_should() {
        let mut progress = Progress::default();
        let perfect = result(true);
        let clear = |grade, meter| Rule::Clear {
            level: "neon".into(),
            grade,
            meter,
        };
        assert!(!clear(Grade::D, 0).holds(&progress));
        progress.record(&play("neon", 8, &perfect));
        assert!(clear(Grade::SS, 8).holds(&progress));
        assert!(
            !clear(Grade::SS, 9).holds(&progress),
            "the chart's meter is 8"
        );
        assert!(
            Rule::FullCombo {
                level: "neon".into(),
                meter: 0
            }
            .holds(&progress)
        );
        assert!(
            Rule::AllPerfect {
                level: "neon".into(),
                meter: 8
            }
            .holds(&progress)
        );
        assert!(
            !Rule::AllPerfect {
                level: "other".into(),
                meter: 0
            }
            .holds(&progress)
        );
        assert!(Rule::Plays(1).holds(&progress) && !Rule::Plays(2).holds(&progress));
        assert!(Rule::Streak(1).holds(&progress) && !Rule::Streak(2).holds(&progress));
        assert!(Rule::FanPointsEarned(1).holds(&progress));
        assert!(!Rule::VersusWins(1).holds(&progress));
        progress.record(&PlayRecord {
            versus_win: true,
            group_clear: true,
            ..play("neon", 8, &perfect)
        });
        assert!(Rule::VersusWins(1).holds(&progress));
        assert!(Rule::GroupClears(1).holds(&progress));
        let charts_before = progress.charts.clone();
        progress.record(&PlayRecord {
            part_of_chart: true,
            ..play("lanterns", 9, &perfect)
        });
        assert_eq!(
            progress.charts, charts_before,
            "a member's lines set no chart best"
        );
        assert!(!Rule::TourStage("fan-fest".into()).holds(&progress));
        progress.tour_stages.insert("fan-fest".into());
        assert!(Rule::TourStage("fan-fest".into()).holds(&progress));
    }

    #[test]
    fn conditions_combine() {
        let mut progress = Progress::default();
        progress.record(&play("neon", 5, &result(true)));
        let yes = Rule::Plays(1);
        let no = Rule::VersusWins(3);
        assert!(Rule::All(vec![yes.clone(), yes.clone()]).holds(&progress));
        assert!(!Rule::All(vec![yes.clone(), no.clone()]).holds(&progress));
        assert!(Rule::Any(vec![no.clone(), yes.clone()]).holds(&progress));
        assert!(!Rule::Any(vec![no.clone()]).holds(&progress));
        let three = vec![yes.clone(), no.clone(), Rule::Streak(1)];
        assert!(Rule::Count(2, three.clone()).holds(&progress));
        assert!(!Rule::Count(3, three).holds(&progress));
        // Nested: any of (all of two true rules) and a false one.
        assert!(Rule::Any(vec![no, Rule::All(vec![yes.clone(), yes])]).holds(&progress));
    }

    #[test]
    fn a_failed_play_breaks_the_streak_and_earns_little() {
        let mut progress = Progress::default();
        let good = result(true);
        progress.record(&play("a", 5, &good));
        progress.record(&play("b", 5, &good));
        let mut failed = result(false);
        failed.failed = true;
        let earned = progress.record(&play("c", 5, &failed));
        assert_eq!(progress.streak, 0);
        assert_eq!(progress.best_streak, 2);
        assert_eq!(earned, fan_points(&failed, 5));
        assert!(earned < fan_points(&good, 5) / 5);
        assert!(progress.charts["c"]["Hard"].cleared.is_none());
    }

    #[test]
    fn fan_points_grow_with_score_difficulty_and_combo() {
        let perfect = result(true);
        let missed = result(false);
        assert_eq!(
            fan_points(&perfect, 0),
            1500,
            "1000 base, half again for all-perfect"
        );
        assert!(fan_points(&perfect, 10) > fan_points(&perfect, 2));
        assert!(fan_points(&missed, 5) < fan_points(&perfect, 5));
    }

    #[test]
    fn a_purchase_never_goes_below_zero() {
        let mut progress = Progress {
            fan_points: 300,
            ..Default::default()
        };
        assert!(progress.spend(500).is_err());
        assert_eq!(progress.fan_points, 300);
        assert!(progress.spend(300).is_ok());
        assert_eq!(progress.fan_points, 0);
        assert!(progress.spend(1).is_err());
    }

    #[test]
    fn newly_unlocked_items_are_the_met_and_not_yet_owned() {
        let mut progress = Progress::default();
        progress.record(&play("neon", 5, &result(true)));
        let rules = [
            ("stick", Rule::Plays(1)),
            ("card", Rule::Plays(5)),
            ("owned", Rule::Plays(1)),
        ];
        let owned: BTreeSet<String> = ["owned".to_string()].into();
        let new = newly_unlocked(rules.iter().map(|(id, r)| (*id, r)), &owned, &progress);
        assert_eq!(new, vec!["stick"]);
        assert_eq!(
            Rule::All(vec![
                Rule::Plays(3),
                Rule::FullCombo {
                    level: "Neon".into(),
                    meter: 8
                }
            ])
            .hint(),
            "Finish 3 plays, and Full combo Neon on a chart of 8 or more"
        );
    }
}

/// One item of the catalog, as the game uses it.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub rarity: Rarity,
    /// For photocards: the member pictured.
    pub member: String,
    /// The item's main colour, for its generated art.
    pub colour: [u8; 3],
    /// The motif of its generated art.
    pub shape: Shape,
    /// Fan points in the shop, if it is sold there.
    pub price: Option<u64>,
    /// How it unlocks; `None` for shop-only items.
    pub unlock: Option<Rule>,
}

/// An item as a catalog file writes it. Names are plain strings so a mistake is pointed at
/// and only that item is left out.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFile {
    id: String,
    name: String,
    category: String,
    #[serde(default)]
    rarity: String,
    #[serde(default)]
    member: String,
    /// Absent means the catalog's pink; written, it must be a colour.
    #[serde(default)]
    colour: Option<String>,
    #[serde(default)]
    shape: String,
    #[serde(default)]
    price: Option<i64>,
    #[serde(default)]
    unlock: Option<Rule>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    format: u32,
    items: Vec<ItemFile>,
}

const CATEGORIES: [(&str, Category); 7] = [
    ("lightstick", Category::Lightstick),
    ("photocard", Category::Photocard),
    ("album", Category::Album),
    ("outfit", Category::Outfit),
    ("poster", Category::Poster),
    ("banner", Category::Banner),
    ("note_skin", Category::NoteSkin),
];

const RARITIES: [(&str, Rarity); 4] = [
    ("common", Rarity::Common),
    ("rare", Rarity::Rare),
    ("super_rare", Rarity::SuperRare),
    ("ultra", Rarity::Ultra),
];

/// A name written in a catalog, looked up in one of the tables above; an empty one is
/// `default`, when the field has one. A name not in the table says which names are.
fn look_up<T: Copy>(
    table: &[(&str, T)],
    what: &str,
    written: &str,
    default: Option<T>,
) -> Result<T, String> {
    if written.is_empty()
        && let Some(default) = default
    {
        return Ok(default);
    }
    table
        .iter()
        .find(|(name, _)| *name == written)
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let names: Vec<&str> = table.iter().map(|(name, _)| *name).collect();
            format!("there is no {what} `{written}`; use {}", names.join(", "))
        })
}

/// Reads a catalog file. Items with a mistake are left out, each with a warning at its line
/// and column; a file that cannot be read at all gives an error and no items. `levels` are the
/// level folders that exist, which rules may name.
pub fn read_catalog(
    path: &std::path::Path,
    levels: &[String],
) -> (Vec<Item>, Vec<crate::diagnostic::Diagnostic>) {
    match crate::user_file::read_existing_text(
        path,
        crate::user_file::MAX_TEXT_BYTES,
        "the catalog",
    ) {
        Ok(text) => parse_catalog(path, &text, levels),
        Err(diagnostic) => (Vec::new(), vec![diagnostic]),
    }
}

/// Parses and checks the text of the catalog at `path`, as [`read_catalog`] does.
pub fn parse_catalog(
    path: &std::path::Path,
    text: &str,
    levels: &[String],
) -> (Vec<Item>, Vec<crate::diagnostic::Diagnostic>) {
    use crate::diagnostic::{Diagnostic, from_ron_error};
    use crate::spans;
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let file: CatalogFile = match options.from_str(text) {
        Ok(file) => file,
        Err(e) => return (Vec::new(), vec![from_ron_error(path, &e)]),
    };
    let tree = spans::parse(text);
    let at = |i: usize, field: &str| {
        let items = tree.as_ref()?.field("items")?;
        let item = items.index(i)?;
        Some(item.field(field).map_or(item.at, |f| f.at))
    };
    let mut diagnostics = Vec::new();
    if file.format != 1 {
        diagnostics.push(Diagnostic::error(
            path,
            tree.as_ref().and_then(|t| t.field("format")).map(|f| f.at),
            format!(
                "catalog format {} is not one this game reads (1)",
                file.format
            ),
        ));
        return (Vec::new(), diagnostics);
    }
    let mut items: Vec<Item> = Vec::new();
    // Every id written so far, good item or not: a set, so a huge catalog stays linear.
    let mut ids = std::collections::HashSet::new();
    for (i, entry) in file.items.iter().enumerate() {
        // Every mistake of an item is said, so one edit can fix them all.
        let mut problems: Vec<(&str, String)> = Vec::new();
        if !ids.insert(entry.id.as_str()) {
            problems.push(("id", format!("two items are called `{}`", entry.id)));
        }
        let category = look_up(&CATEGORIES, "category", &entry.category, None)
            .map_err(|message| problems.push(("category", message)))
            .ok();
        let rarity = look_up(&RARITIES, "rarity", &entry.rarity, Some(Rarity::Common))
            .map_err(|message| problems.push(("rarity", message)))
            .ok();
        let shape = look_up(&SHAPES, "shape", &entry.shape, Some(Shape::Round))
            .map_err(|message| problems.push(("shape", message)))
            .ok();
        let colour = match &entry.colour {
            None => Some([255, 92, 178]),
            Some(written) => crate::stage::parse_colour(written),
        };
        if colour.is_none() {
            problems.push((
                "colour",
                format!(
                    "`{}` is not a colour (\"#rrggbb\")",
                    entry.colour.as_deref().unwrap_or_default()
                ),
            ));
        }
        if let Some(rule) = &entry.unlock
            && let Err(why) = rule.check()
        {
            problems.push(("unlock", why));
        }
        if let Some(price) = entry.price
            && price < 0
        {
            problems.push(("price", format!("a price cannot be negative ({price})")));
        }
        if let Some(rule) = &entry.unlock {
            for missing in rule
                .levels()
                .into_iter()
                .filter(|l| !levels.iter().any(|k| k == l))
            {
                problems.push((
                    "unlock",
                    format!("the rule names the level `{missing}`, which does not exist"),
                ));
            }
        }
        if entry.price.is_none() && entry.unlock.is_none() {
            problems.push((
                "id",
                "the item has neither a price nor an unlock rule, so nobody could get it".into(),
            ));
        }
        match (category, rarity, colour, shape) {
            (Some(category), Some(rarity), Some(colour), Some(shape)) if problems.is_empty() => {
                items.push(Item {
                    id: entry.id.clone(),
                    name: entry.name.clone(),
                    category,
                    rarity,
                    member: entry.member.clone(),
                    colour,
                    shape,
                    price: entry.price.map(|p| p as u64),
                    unlock: entry.unlock.clone(),
                });
            }
            _ => {
                for (field, message) in problems {
                    diagnostics.push(Diagnostic::warning(
                        path,
                        at(i, field),
                        format!("{message}; the item `{}` is left out", entry.id),
                    ));
                }
            }
        }
    }
    (items, diagnostics)
}

#[cfg(test)]
mod catalog_tests {
    use super::*;

    #[test]
    fn hints_use_titles_and_the_difficulties_a_meter_reaches() {
        let mut names = Names::default();
        names.levels.insert(
            "neon".into(),
            (
                "Neon Heartbeat".into(),
                vec![
                    ("Easy".into(), 2),
                    ("Normal".into(), 4),
                    ("Hard".into(), 7),
                    ("Expert".into(), 9),
                ],
            ),
        );
        names
            .stages
            .insert("fest".into(), "Riverside Fan-Fest".into());
        let full_combo = |meter| Rule::FullCombo {
            level: "neon".into(),
            meter,
        };
        assert_eq!(
            full_combo(8).hint_with(&names),
            "Full combo Neon Heartbeat on Expert"
        );
        assert_eq!(
            full_combo(5).hint_with(&names),
            "Full combo Neon Heartbeat on Hard or harder"
        );
        assert_eq!(full_combo(0).hint_with(&names), "Full combo Neon Heartbeat");
        assert_eq!(
            Rule::TourStage("fest".into()).hint_with(&names),
            "Clear Riverside Fan-Fest on the festival tour"
        );
        assert_eq!(
            full_combo(5).hint(),
            "Full combo neon on a chart of 5 or more"
        );
    }

    fn read(text: &str) -> (Vec<Item>, Vec<crate::diagnostic::Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.ron");
        std::fs::write(&path, text).unwrap();
        read_catalog(&path, &["neon-heartbeat".to_string()])
    }

    #[test]
    fn bad_items_are_left_out_with_a_warning_where_they_are() {
        let (items, warnings) = read(
            r#"(format: 1, items: [
    (id: "stick", name: "Stick", category: "lightstick", price: 100),
    (id: "stick", name: "Again", category: "lightstick", price: 100),
    (id: "cape", name: "Cape", category: "cape", price: -100),
    (id: "free", name: "Free", category: "poster", price: -5),
    (id: "card", name: "Card", category: "photocard", unlock: FullCombo(level: "nowhere")),
    (id: "ghost", name: "Ghost", category: "banner"),
    (id: "ok", name: "Ok", category: "album", rarity: "rare", unlock: All([Plays(3), FullCombo(level: "neon-heartbeat", meter: 8)])),
])"#,
        );
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["stick", "ok"]);
        let found = |line: usize, words: &str| {
            warnings
                .iter()
                .any(|w| w.position.is_some_and(|p| p.line == line) && w.message.contains(words))
        };
        assert!(found(3, "two items are called `stick`"), "{warnings:#?}");
        assert!(found(4, "no category `cape`"), "{warnings:#?}");
        assert!(
            found(4, "cannot be negative (-100)"),
            "every mistake of an item is said: {warnings:#?}"
        );
        assert!(found(5, "cannot be negative"), "{warnings:#?}");
        assert!(found(6, "level `nowhere`"), "{warnings:#?}");
        assert!(
            found(7, "neither a price nor an unlock rule"),
            "{warnings:#?}"
        );
        assert!(warnings.iter().all(|w| !w.is_error()));
    }
}
