//! Festival tours, without drawing: a tour is stages played in order, each a set list of
//! charts at one venue with goals to clear it. Clearing a stage opens the next one, and merch
//! whose rule is `TourStage(id)` unlocks. Tours are RON files level makers can write.

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::merch::grade_rank;
use crate::score::{Grade, PlayResult};
use crate::stage::Venue;

/// What a stage asks of the whole set list. Every goal must hold, and no song may fail.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub enum Goal {
    /// Every song at this grade or better.
    EveryGrade(Grade),
    /// The set list's mean accuracy, in percent, at least this.
    Accuracy(f64),
    /// At least this many songs full-combo.
    FullCombos(u32),
    /// The scores of the set list add up to at least this.
    TotalScore(u64),
}

impl Goal {
    pub fn holds(&self, results: &[PlayResult]) -> bool {
        match self {
            Goal::EveryGrade(grade) => results
                .iter()
                .all(|r| grade_rank(r.grade) >= grade_rank(*grade)),
            Goal::Accuracy(least) => {
                !results.is_empty()
                    && results.iter().map(|r| r.accuracy).sum::<f64>() / results.len() as f64
                        >= *least
            }
            Goal::FullCombos(n) => results.iter().filter(|r| r.full_combo).count() as u32 >= *n,
            Goal::TotalScore(n) => results.iter().map(|r| u64::from(r.score)).sum::<u64>() >= *n,
        }
    }

    /// The goal in words, for the tour screen.
    pub fn describe(&self) -> String {
        match self {
            Goal::EveryGrade(grade) => format!("every song at {grade:?} or better"),
            Goal::Accuracy(least) => format!("mean accuracy {least:.0}% or more"),
            Goal::FullCombos(1) => "a full combo on one song".into(),
            Goal::FullCombos(n) => format!("full combos on {n} songs"),
            Goal::TotalScore(n) => format!("{n} points over the set"),
        }
    }
}

/// One song of a set list: a level and the difficulty to play it at.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetSong {
    pub level: String,
    pub difficulty: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TourStage {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub venue: Venue,
    /// A line for the tour screen: where and what the stage is.
    #[serde(default)]
    pub blurb: String,
    pub set_list: Vec<SetSong>,
    #[serde(default)]
    pub goals: Vec<Goal>,
}

impl TourStage {
    /// Whether a run of the whole set list clears the stage.
    pub fn cleared_by(&self, results: &[PlayResult]) -> bool {
        results.len() == self.set_list.len()
            && results.iter().all(|r| !r.failed)
            && self.goals.iter().all(|g| g.holds(results))
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tour {
    pub format: u32,
    pub id: String,
    pub name: String,
    pub stages: Vec<TourStage>,
}

impl Tour {
    /// A stage is open once every stage before it is cleared.
    pub fn is_open(&self, index: usize, cleared: &std::collections::BTreeSet<String>) -> bool {
        self.stages[..index.min(self.stages.len())]
            .iter()
            .all(|s| cleared.contains(&s.id))
    }
}

/// What the checks need to know of a level: its folder name and its charts' difficulties.
pub struct KnownLevel {
    pub slug: String,
    pub title: String,
    pub difficulties: Vec<String>,
    /// Each chart's meter, beside its difficulty.
    pub meters: Vec<u32>,
}

impl KnownLevel {
    /// What a checked level folder tells: a level with errors is known by its folder name only.
    pub fn of(summary: &crate::level::cache::LevelSummary) -> Self {
        KnownLevel {
            slug: summary.slug.clone(),
            title: if summary.playable {
                summary.title.clone()
            } else {
                summary.slug.clone()
            },
            difficulties: summary
                .charts
                .iter()
                .map(|c| c.difficulty.clone())
                .collect(),
            meters: summary.charts.iter().map(|c| c.meter).collect(),
        }
    }
}

/// Reads and checks a tour file. Stages with a mistake are left out (with every stage after
/// them, since stages open in order), each with a warning at its line and column.
pub fn read_tour(path: &std::path::Path, levels: &[KnownLevel]) -> (Option<Tour>, Vec<Diagnostic>) {
    read_tour_among(path, levels, &[])
}

/// Reads a tour beside others whose stage ids are `taken`: progress remembers cleared stages
/// by id, so a stage id means one stage across every tour.
pub fn read_tour_among(
    path: &std::path::Path,
    levels: &[KnownLevel],
    taken: &[String],
) -> (Option<Tour>, Vec<Diagnostic>) {
    match crate::user_file::read_existing_text(path, crate::user_file::MAX_TEXT_BYTES, "the tour") {
        Ok(text) => parse_tour(path, &text, levels, taken),
        Err(diagnostic) => (None, vec![diagnostic]),
    }
}

/// Parses and checks the text of the tour at `path`, as [`read_tour_among`] does.
pub fn parse_tour(
    path: &std::path::Path,
    text: &str,
    levels: &[KnownLevel],
    taken: &[String],
) -> (Option<Tour>, Vec<Diagnostic>) {
    use crate::diagnostic::from_ron_error;
    use crate::spans;
    let mut tour: Tour = match ron::from_str(text) {
        Ok(tour) => tour,
        Err(e) => return (None, vec![from_ron_error(path, &e)]),
    };
    let tree = spans::parse(text);
    let stage_at = |i: usize, field: &str, index: Option<usize>| {
        let stage = tree.as_ref()?.field("stages")?.index(i)?;
        let Some(value) = stage.field(field) else {
            return Some(stage.at);
        };
        Some(
            index
                .and_then(|k| value.index(k))
                .map_or(value.at, |v| v.at),
        )
    };
    let mut diagnostics = Vec::new();
    if tour.format != 1 {
        diagnostics.push(Diagnostic::error(
            path,
            tree.as_ref().and_then(|t| t.field("format")).map(|f| f.at),
            format!("tour format {} is not one this game reads (1)", tour.format),
        ));
        return (None, diagnostics);
    }
    let mut keep = tour.stages.len();
    for (i, stage) in tour.stages.iter().enumerate() {
        let mut problems: Vec<(Option<crate::diagnostic::Position>, String)> = Vec::new();
        if tour.stages[..i].iter().any(|s| s.id == stage.id) {
            problems.push((
                stage_at(i, "id", None),
                format!("two stages are called `{}`", stage.id),
            ));
        }
        if taken.contains(&stage.id) {
            problems.push((
                stage_at(i, "id", None),
                format!("another tour already has a stage called `{}`", stage.id),
            ));
        }
        if stage.set_list.is_empty() {
            problems.push((
                stage_at(i, "set_list", None),
                "the set list is empty".into(),
            ));
        }
        for (k, song) in stage.set_list.iter().enumerate() {
            match levels.iter().find(|l| l.slug == song.level) {
                None => problems.push((
                    stage_at(i, "set_list", Some(k)),
                    format!("there is no level `{}`", song.level),
                )),
                Some(level)
                    if !level
                        .difficulties
                        .iter()
                        .any(|d| d.eq_ignore_ascii_case(&song.difficulty)) =>
                {
                    problems.push((
                        stage_at(i, "set_list", Some(k)),
                        format!(
                            "`{}` has no {} chart; it has {}",
                            song.level,
                            song.difficulty,
                            level.difficulties.join(", ")
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        for (k, goal) in stage.goals.iter().enumerate() {
            let impossible = match goal {
                Goal::Accuracy(a) => !(0.0..=100.0).contains(a),
                Goal::FullCombos(n) => *n as usize > stage.set_list.len(),
                Goal::EveryGrade(Grade::F) => true,
                _ => false,
            };
            if impossible {
                problems.push((
                    stage_at(i, "goals", Some(k)),
                    format!("the goal {goal:?} can never be met"),
                ));
            }
        }
        if !problems.is_empty() {
            for (at, message) in problems {
                diagnostics.push(Diagnostic::warning(
                    path,
                    at,
                    format!(
                        "{message}; the stage `{}` and those after it are left out",
                        stage.id
                    ),
                ));
            }
            keep = i;
            break;
        }
    }
    tour.stages.truncate(keep);
    if tour.stages.is_empty() {
        diagnostics.push(Diagnostic::warning(
            path,
            None,
            format!("the tour `{}` has no playable stage", tour.id),
        ));
        return (None, diagnostics);
    }
    (Some(tour), diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Counts;

    fn result(grade: Grade, accuracy: f64, score: u32, full_combo: bool) -> PlayResult {
        PlayResult {
            score,
            accuracy,
            grade,
            counts: Counts::default(),
            max_combo: 0,
            full_combo,
            all_perfect: false,
            failed: false,
            notes: 0,
            holds: 0,
            mines: 0,
            hit_error: Default::default(),
        }
    }

    fn stage(goals: Vec<Goal>) -> TourStage {
        TourStage {
            id: "s".into(),
            name: "S".into(),
            venue: Venue::default(),
            blurb: String::new(),
            set_list: vec![
                SetSong {
                    level: "a".into(),
                    difficulty: "Normal".into(),
                };
                2
            ],
            goals,
        }
    }

    #[test]
    fn a_stage_clears_when_every_goal_holds_over_the_whole_set() {
        let good = [
            result(Grade::A, 92.0, 900_000, true),
            result(Grade::B, 85.0, 800_000, false),
        ];
        assert!(stage(vec![Goal::EveryGrade(Grade::B), Goal::FullCombos(1)]).cleared_by(&good));
        assert!(!stage(vec![Goal::EveryGrade(Grade::A)]).cleared_by(&good));
        assert!(stage(vec![Goal::Accuracy(88.0)]).cleared_by(&good));
        assert!(!stage(vec![Goal::Accuracy(89.0)]).cleared_by(&good));
        assert!(stage(vec![Goal::TotalScore(1_700_000)]).cleared_by(&good));
        assert!(!stage(vec![Goal::TotalScore(1_700_001)]).cleared_by(&good));
        assert!(!stage(vec![]).cleared_by(&good[..1]), "the whole set list");
        let mut failed = good;
        failed[1].failed = true;
        assert!(!stage(vec![]).cleared_by(&failed), "no song may fail");
    }

    #[test]
    fn stages_open_in_order() {
        let tour = Tour {
            format: 1,
            id: "t".into(),
            name: "T".into(),
            stages: vec![stage(vec![]), stage(vec![]), stage(vec![])],
        };
        let mut cleared = std::collections::BTreeSet::new();
        assert!(tour.is_open(0, &cleared));
        assert!(!tour.is_open(1, &cleared));
        cleared.insert("s".to_string());
        assert!(tour.is_open(2, &cleared));
    }

    #[test]
    fn a_bad_stage_is_pointed_at_and_left_out_with_those_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tour.ron");
        std::fs::write(
            &path,
            r#"(format: 1, id: "t", name: "T", stages: [
    (id: "one", name: "One", set_list: [(level: "a", difficulty: "Easy")], goals: [EveryGrade(C)]),
    (id: "two", name: "Two", set_list: [
        (level: "a", difficulty: "Easy"),
        (level: "nowhere", difficulty: "Easy"),
    ]),
    (id: "three", name: "Three", set_list: [(level: "a", difficulty: "Hard")], goals: [Accuracy(140.0)]),
])"#,
        )
        .unwrap();
        let levels = [KnownLevel {
            slug: "a".into(),
            title: "A".into(),
            difficulties: vec!["Easy".into(), "Normal".into()],
            meters: vec![2, 4],
        }];
        let (tour, warnings) = read_tour(&path, &levels);
        let tour = tour.unwrap();
        assert_eq!(tour.stages.len(), 1);
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        let at = warnings[0].position.unwrap();
        assert_eq!((at.line, at.column), (5, 9), "{warnings:#?}");
        assert!(warnings[0].message.contains("no level `nowhere`"));
    }
}
