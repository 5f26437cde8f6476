//! Menu text for what the core decides: a calibration's advice, a tour goal, the input's
//! precision, each in the menus' language. The core keeps its own English for the command line.

use crate::core::calibration::Calibration;
use crate::core::tour::Goal;
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
