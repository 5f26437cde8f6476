//! Score, accuracy, combo, life and grade: what a play earns, as documented in docs/scoring.md.

use serde::{Deserialize, Serialize};

use crate::chart::{Chart, Note, NoteKind};
use crate::judgement::{HoldResult, JudgeEvent, Judgement};
use crate::life::Life;

/// The most a play can score.
pub const MAX_SCORE: u32 = 1_000_000;
/// Share of the score earned by accuracy; the rest comes from the longest combo.
const ACCURACY_SHARE: f64 = 950_000.0;
const COMBO_SHARE: f64 = 50_000.0;

/// Accuracy is counted in whole units, twenty to a point, so every weight below is a whole
/// number of them and a threshold reached is a threshold reached: 0.8 or 0.9 in floating point
/// would land a hair below the grade's line.
pub const UNITS_PER_POINT: i64 = 20;

/// Accuracy units per judgement of a tap or hold head: a Perfect is a point (20 units), a Great
/// 0.75, a Good 0.4, a Bad 0.1. A hold's body is worth one more point.
pub fn accuracy_units(judgement: Judgement) -> i64 {
    match judgement {
        Judgement::Perfect => 20,
        Judgement::Great => 15,
        Judgement::Good => 8,
        Judgement::Bad => 2,
        Judgement::Miss => 0,
    }
}

/// Accuracy points per judgement of a tap or hold head (a hold's body is worth one more point).
pub fn accuracy_points(judgement: Judgement) -> f64 {
    accuracy_units(judgement) as f64 / UNITS_PER_POINT as f64
}

/// Points a mine takes away.
pub const MINE_PENALTY: f64 = 1.0;
const MINE_PENALTY_UNITS: i64 = UNITS_PER_POINT;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Grade {
    SS,
    S,
    A,
    B,
    C,
    D,
    /// The life bar emptied; also what nothing played yet counts as.
    #[default]
    F,
}

impl Grade {
    /// SS needs every note Perfect; then S ≥ 95 %, A ≥ 90 %, B ≥ 80 %, C ≥ 70 %, else D.
    pub fn from_accuracy(accuracy: f64, all_perfect: bool, failed: bool) -> Grade {
        if failed {
            Grade::F
        } else if all_perfect {
            Grade::SS
        } else if accuracy >= 0.95 {
            Grade::S
        } else if accuracy >= 0.90 {
            Grade::A
        } else if accuracy >= 0.80 {
            Grade::B
        } else if accuracy >= 0.70 {
            Grade::C
        } else {
            Grade::D
        }
    }

    /// The grade of `earned` accuracy units out of `possible`, compared in whole numbers: 48
    /// units of 60 is exactly 80 % and a B.
    pub fn from_units(earned: i64, possible: i64, all_perfect: bool, failed: bool) -> Grade {
        let reaches = |percent: i64| earned.saturating_mul(100) >= percent.saturating_mul(possible);
        if failed {
            Grade::F
        } else if all_perfect {
            Grade::SS
        } else if reaches(95) {
            Grade::S
        } else if reaches(90) {
            Grade::A
        } else if reaches(80) {
            Grade::B
        } else if reaches(70) {
            Grade::C
        } else {
            Grade::D
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Grade::SS => "SS",
            Grade::S => "S",
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::F => "F",
        }
    }
}

/// Counts of every judgement of a play.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub perfect: u32,
    pub great: u32,
    pub good: u32,
    pub bad: u32,
    pub miss: u32,
    pub held: u32,
    pub let_go: u32,
    pub mines_hit: u32,
}

impl Counts {
    pub fn of(&self, judgement: Judgement) -> u32 {
        match judgement {
            Judgement::Perfect => self.perfect,
            Judgement::Great => self.great,
            Judgement::Good => self.good,
            Judgement::Bad => self.bad,
            Judgement::Miss => self.miss,
        }
    }

    /// Taps and hold heads judged, hit or missed.
    pub fn heads_judged(&self) -> u32 {
        self.perfect + self.great + self.good + self.bad + self.miss
    }

    fn bump(&mut self, judgement: Judgement) {
        match judgement {
            Judgement::Perfect => self.perfect += 1,
            Judgement::Great => self.great += 1,
            Judgement::Good => self.good += 1,
            Judgement::Bad => self.bad += 1,
            Judgement::Miss => self.miss += 1,
        }
    }
}

/// Keeps the running score of one player as judgements arrive.
#[derive(Clone, Debug)]
pub struct ScoreKeeper {
    heads: u32,
    holds: u32,
    mines: u32,
    counts: Counts,
    /// Accuracy earned, in [`UNITS_PER_POINT`]ths of a point.
    units: i64,
    combo: u32,
    max_combo: u32,
    /// Hold bodies that have ended, held, let go or missed.
    bodies_ended: u32,
    life: Life,
    /// (song time, real-time offset) of every press that took a note, for the results.
    offsets: Vec<(f64, f64)>,
}

impl ScoreKeeper {
    /// A keeper for `chart`, with its life bar.
    pub fn new(chart: &Chart, life: Life) -> Self {
        let holds = chart.notes.iter().filter(|n| n.is_long()).count() as u32;
        let mines = chart.mine_count() as u32;
        Self {
            heads: chart.notes.len() as u32 - mines,
            holds,
            mines,
            counts: Counts::default(),
            units: 0,
            combo: 0,
            max_combo: 0,
            bodies_ended: 0,
            life,
            offsets: Vec::new(),
        }
    }

    pub fn apply(&mut self, event: &JudgeEvent) {
        if self.life.failed() {
            return;
        }
        self.life.apply(event);
        match *event {
            JudgeEvent::Hit {
                judgement,
                offset,
                time,
                ..
            } => {
                self.counts.bump(judgement);
                self.units += accuracy_units(judgement);
                if judgement.keeps_combo() {
                    self.combo += 1;
                    self.max_combo = self.max_combo.max(self.combo);
                } else {
                    self.combo = 0;
                }
                if let (Some(offset), true) = (offset, judgement != Judgement::Miss) {
                    self.offsets.push((time, offset));
                }
            }
            JudgeEvent::Hold { result, .. } => {
                self.bodies_ended += 1;
                match result {
                    HoldResult::Held => {
                        self.counts.held += 1;
                        self.units += UNITS_PER_POINT;
                    }
                    HoldResult::LetGo => {
                        self.counts.let_go += 1;
                        self.combo = 0;
                    }
                    // The missed head already cost the combo and the life.
                    HoldResult::Missed => {}
                }
            }
            JudgeEvent::Mine { .. } => {
                self.counts.mines_hit += 1;
                self.units -= MINE_PENALTY_UNITS;
            }
        }
    }

    /// Takes a note out of the play before it is judged (it lies before where the play
    /// starts): it is neither judged nor counted.
    pub fn leave_out(&mut self, note: &Note) {
        match note.kind {
            NoteKind::Mine => self.mines = self.mines.saturating_sub(1),
            NoteKind::Hold { .. } | NoteKind::Roll { .. } => {
                self.heads = self.heads.saturating_sub(1);
                self.holds = self.holds.saturating_sub(1);
            }
            NoteKind::Tap => self.heads = self.heads.saturating_sub(1),
        }
    }

    /// The score so far, carried on to `notes`, which are what is left to play of another
    /// chart: everything judged stays as it was, and only judged notes and `notes` count.
    /// A hold body still in progress counts for nothing.
    pub fn carried_to<'a>(&self, notes: impl Iterator<Item = &'a Note>) -> ScoreKeeper {
        let mut carried = ScoreKeeper {
            heads: self.counts.heads_judged(),
            holds: self.bodies_ended,
            mines: self.counts.mines_hit,
            ..self.clone()
        };
        for note in notes {
            match note.kind {
                NoteKind::Mine => carried.mines += 1,
                NoteKind::Hold { .. } | NoteKind::Roll { .. } => {
                    carried.heads += 1;
                    carried.holds += 1;
                }
                NoteKind::Tap => carried.heads += 1,
            }
        }
        carried
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    pub fn combo(&self) -> u32 {
        self.combo
    }

    pub fn max_combo(&self) -> u32 {
        self.max_combo
    }

    pub fn life(&self) -> f64 {
        self.life.value()
    }

    pub fn failed(&self) -> bool {
        self.life.failed()
    }

    pub fn offsets(&self) -> &[(f64, f64)] {
        &self.offsets
    }

    /// The accuracy units the chart's notes can earn.
    fn possible_units(&self) -> i64 {
        i64::from(self.heads + self.holds) * UNITS_PER_POINT
    }

    /// The units earned, never below zero (mines can take more than was earned).
    fn earned_units(&self) -> i64 {
        self.units.clamp(0, self.possible_units())
    }

    /// Points earned over points possible, 0..=1, counting notes not yet judged as zero.
    pub fn accuracy(&self) -> f64 {
        self.accuracy_percent() / 100.0
    }

    /// The accuracy in percent, divided once from whole numbers so that an exact percentage
    /// (80, 90) comes out exact.
    pub fn accuracy_percent(&self) -> f64 {
        let possible = self.possible_units();
        if possible == 0 {
            return 100.0;
        }
        (self.earned_units() * 100) as f64 / possible as f64
    }

    /// Accuracy over the notes judged so far, for the running display.
    pub fn running_accuracy(&self) -> f64 {
        // The most points the notes judged so far could have earned.
        let judged = i64::from(self.counts.heads_judged() + self.bodies_ended) * UNITS_PER_POINT;
        if judged == 0 {
            return 1.0;
        }
        self.units.clamp(0, judged) as f64 / judged as f64
    }

    pub fn score(&self) -> u32 {
        let combo_part = if self.heads == 0 {
            1.0
        } else {
            f64::from(self.max_combo) / f64::from(self.heads)
        };
        let score = ACCURACY_SHARE * self.accuracy() + COMBO_SHARE * combo_part;
        (score.round() as u32).min(MAX_SCORE)
    }

    pub fn full_combo(&self) -> bool {
        let c = self.counts;
        !self.failed()
            && c.bad == 0
            && c.miss == 0
            && c.let_go == 0
            && c.perfect + c.great + c.good == self.heads
    }

    pub fn all_perfect(&self) -> bool {
        let c = self.counts;
        self.full_combo() && c.perfect == self.heads && c.held == self.holds && c.mines_hit == 0
    }

    pub fn grade(&self) -> Grade {
        let possible = self.possible_units();
        if possible == 0 {
            return Grade::from_accuracy(1.0, self.all_perfect(), self.failed());
        }
        Grade::from_units(
            self.earned_units(),
            possible,
            self.all_perfect(),
            self.failed(),
        )
    }

    /// The finished play's result.
    pub fn result(&self) -> PlayResult {
        PlayResult {
            score: self.score(),
            accuracy: self.accuracy_percent(),
            grade: self.grade(),
            counts: self.counts,
            max_combo: self.max_combo,
            full_combo: self.full_combo(),
            all_perfect: self.all_perfect(),
            failed: self.failed(),
            notes: self.heads,
            holds: self.holds,
            mines: self.mines,
            hit_error: HitErrorStats::from_offsets(self.offsets.iter().map(|(_, o)| *o)),
        }
    }
}

/// Mean and spread of the hit error, in milliseconds (negative = early).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HitErrorStats {
    pub hits: u32,
    pub mean_ms: f64,
    pub std_ms: f64,
    pub median_ms: f64,
}

impl HitErrorStats {
    pub fn from_offsets(offsets: impl Iterator<Item = f64>) -> Self {
        let mut ms: Vec<f64> = offsets.map(|o| o * 1000.0).collect();
        if ms.is_empty() {
            return Self::default();
        }
        let n = ms.len() as f64;
        let mean = ms.iter().sum::<f64>() / n;
        let variance = ms.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        ms.sort_by(f64::total_cmp);
        let mid = ms.len() / 2;
        let median = if ms.len().is_multiple_of(2) {
            (ms[mid - 1] + ms[mid]) / 2.0
        } else {
            ms[mid]
        };
        Self {
            hits: ms.len() as u32,
            mean_ms: mean,
            std_ms: variance.sqrt(),
            median_ms: median,
        }
    }
}

/// What a finished play earned: printed by the CLI, shown on the results screen, saved as a
/// best score. The default is a play of nothing: no score, grade F.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlayResult {
    pub score: u32,
    /// Percent, 0..=100.
    pub accuracy: f64,
    pub grade: Grade,
    pub counts: Counts,
    pub max_combo: u32,
    pub full_combo: bool,
    pub all_perfect: bool,
    pub failed: bool,
    pub notes: u32,
    pub holds: u32,
    pub mines: u32,
    pub hit_error: HitErrorStats,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::PlacedKind;
    use crate::judge::{Action, Judge, JudgeSettings, LaneInput};
    use crate::life::LifeRule;
    use crate::timing::TimingMap;

    fn taps(count: usize) -> Chart {
        Chart::from_beats(
            "Test",
            1,
            4,
            TimingMap::constant(0.0, 60.0),
            (0..count).map(|i| ((i % 4) as u8, 1.0 + i as f64, PlacedKind::Tap)),
        )
    }

    fn miss(index: usize) -> JudgeEvent {
        JudgeEvent::Hit {
            note: index,
            lane: 0,
            time: index as f64,
            judgement: Judgement::Miss,
            offset: None,
        }
    }

    fn hit(index: usize, judgement: Judgement) -> JudgeEvent {
        JudgeEvent::Hit {
            note: index,
            lane: 0,
            time: index as f64,
            judgement,
            offset: Some(0.0),
        }
    }

    #[test]
    fn life_starts_half_full_and_misses_fail_the_play() {
        let chart = taps(20);
        let mut keeper = ScoreKeeper::new(&chart, Life::new(LifeRule::Itg, false));
        assert_eq!(keeper.life(), LifeRule::Itg.start());
        for i in 0..4 {
            keeper.apply(&miss(i));
        }
        assert!((keeper.life() - 0.1).abs() < 1e-9);
        assert!(!keeper.failed());
        keeper.apply(&miss(4));
        assert!(keeper.failed());
        assert_eq!(keeper.grade(), Grade::F);
        // Nothing counts after failing.
        keeper.apply(&hit(5, Judgement::Perfect));
        assert_eq!(keeper.counts().perfect, 0);
    }

    #[test]
    fn no_fail_keeps_going_at_zero_life() {
        let chart = taps(20);
        let mut keeper = ScoreKeeper::new(&chart, Life::new(LifeRule::Itg, true));
        for i in 0..8 {
            keeper.apply(&miss(i));
        }
        assert_eq!(keeper.life(), 0.0);
        assert!(!keeper.failed());
        keeper.apply(&hit(8, Judgement::Perfect));
        assert_eq!(keeper.counts().perfect, 1);
        assert!(keeper.life() > 0.0);
        assert_ne!(keeper.grade(), Grade::F);
    }

    /// The result of a play of `judgements`, one tap each, with no fail.
    fn played(judgements: &[Judgement]) -> PlayResult {
        let chart = taps(judgements.len());
        let mut keeper = ScoreKeeper::new(&chart, Life::new(LifeRule::Itg, true));
        for (i, judgement) in judgements.iter().enumerate() {
            keeper.apply(&hit(i, *judgement));
        }
        keeper.result()
    }

    #[test]
    fn a_threshold_reached_exactly_earns_its_grade() {
        use Judgement::*;
        // 7 of 10 Perfect: 70 %.
        let seventy = played(&[[Perfect; 7].as_slice(), &[Miss; 3]].concat());
        assert_eq!((seventy.accuracy, seventy.grade), (70.0, Grade::C));
        // Perfect, Perfect, Good: 2.4 of 3 points, 80 %.
        let eighty = played(&[Perfect, Perfect, Good]);
        assert_eq!((eighty.accuracy, eighty.grade), (80.0, Grade::B));
        // 8 Perfect and a Bad: 8.1 of 9, 90 %.
        let ninety = played(&[[Perfect; 8].as_slice(), &[Bad]].concat());
        assert_eq!((ninety.accuracy, ninety.grade), (90.0, Grade::A));
        // 4 Perfect and a Great: 4.75 of 5, 95 %.
        let ninety_five = played(&[Perfect, Perfect, Perfect, Perfect, Great]);
        assert_eq!((ninety_five.accuracy, ninety_five.grade), (95.0, Grade::S));
        // A hair under each line is the grade below.
        assert_eq!(played(&[Perfect, Good, Good]).grade, Grade::D);
        assert_eq!(
            played(&[[Perfect; 8].as_slice(), &[Miss]].concat()).grade,
            Grade::B
        );
    }

    #[test]
    fn life_rises_with_good_play_and_caps_at_full() {
        let chart = taps(200);
        let mut keeper = ScoreKeeper::new(&chart, Life::new(LifeRule::Itg, false));
        for i in 0..100 {
            keeper.apply(&hit(i, Judgement::Perfect));
        }
        assert_eq!(keeper.life(), 1.0);
        keeper.apply(&hit(100, Judgement::Bad));
        assert!((keeper.life() - 0.95).abs() < 1e-9);
        assert_eq!(keeper.combo(), 0);
        assert_eq!(keeper.max_combo(), 100);
    }

    #[test]
    fn grades_follow_accuracy() {
        assert_eq!(Grade::from_accuracy(1.0, true, false), Grade::SS);
        assert_eq!(Grade::from_accuracy(1.0, false, false), Grade::S);
        assert_eq!(Grade::from_accuracy(0.95, false, false), Grade::S);
        assert_eq!(Grade::from_accuracy(0.9499, false, false), Grade::A);
        assert_eq!(Grade::from_accuracy(0.90, false, false), Grade::A);
        assert_eq!(Grade::from_accuracy(0.80, false, false), Grade::B);
        assert_eq!(Grade::from_accuracy(0.70, false, false), Grade::C);
        assert_eq!(Grade::from_accuracy(0.6999, false, false), Grade::D);
        assert_eq!(Grade::from_accuracy(1.0, true, true), Grade::F);
    }

    #[test]
    fn score_mixes_accuracy_and_combo() {
        let chart = taps(10);
        let mut keeper = ScoreKeeper::new(&chart, Life::new(LifeRule::Itg, false));
        for i in 0..5 {
            keeper.apply(&hit(i, Judgement::Perfect));
        }
        keeper.apply(&hit(5, Judgement::Great));
        for i in 6..10 {
            keeper.apply(&hit(i, Judgement::Perfect));
        }
        // 9.75 of 10 points; combo unbroken.
        assert_eq!(
            keeper.score(),
            (950_000.0 * 0.975 + 50_000.0_f64).round() as u32
        );
        assert!(keeper.full_combo());
        assert!(!keeper.all_perfect());
        assert_eq!(keeper.grade(), Grade::S);
    }

    #[test]
    fn hit_error_statistics() {
        let stats = HitErrorStats::from_offsets([0.010, -0.010, 0.020, 0.0].into_iter());
        assert_eq!(stats.hits, 4);
        assert!((stats.mean_ms - 5.0).abs() < 1e-9);
        assert!((stats.median_ms - 5.0).abs() < 1e-9);
        assert!((stats.std_ms - 125f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn judged_play_reports_its_offsets() {
        let chart = taps(2);
        let mut judge = Judge::new(chart, JudgeSettings::default());
        for (t, lane) in [(1.010, 0), (2.0, 1)] {
            judge.input(LaneInput {
                time: t,
                lane,
                action: Action::Press,
            });
        }
        judge.finish();
        let result = judge.score().result();
        assert_eq!(result.hit_error.hits, 2);
        assert!((result.hit_error.mean_ms - 5.0).abs() < 1e-6);
    }
}
