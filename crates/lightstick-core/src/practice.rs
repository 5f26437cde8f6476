//! Practice: a stretch of a chart, from one measure to another, played over and over. Each
//! pass is scored on its own, the rate moves in steps while playing, and a practice is never
//! recorded. Rules only; the game runs the passes.

use crate::judge::JudgeSettings;
use crate::score::{HitErrorStats, ScoreKeeper};

/// How far one press of the rate keys moves the rate.
pub const RATE_STEP: f64 = 0.05;

/// What a practice plays: from a measure, to the end of a measure (looping back), and whether
/// the song waits at each note for its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Practice {
    /// The first measure judged, from 1.
    pub from: u32,
    /// The last measure of the loop, played through to its end; `None` plays to the song's end
    /// once.
    pub to: Option<u32>,
    /// The song stops at each note until its key is pressed.
    pub wait: bool,
}

impl Practice {
    /// A practice from `from`, checked: `to` must not come before it.
    pub fn new(from: u32, to: Option<u32>, wait: bool) -> Result<Practice, String> {
        match to {
            Some(to) if to < from => Err(format!(
                "the loop ends at measure {to}, before it starts at measure {from}"
            )),
            _ => Ok(Practice { from, to, wait }),
        }
    }
}

/// The rate `steps` presses of the rate keys away from `rate`: in steps of [`RATE_STEP`],
/// kept within the rates a play may use.
pub fn step_rate(rate: f64, steps: i32) -> f64 {
    let (low, high) = (*JudgeSettings::RATES.start(), *JudgeSettings::RATES.end());
    let stepped = ((rate / RATE_STEP).round() + f64::from(steps)) * RATE_STEP;
    // Rounded to the hundredth, so repeated steps never drift off the grid.
    ((stepped * 100.0).round() / 100.0).clamp(low, high)
}

/// One pass of a loop, scored on its own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PassResult {
    /// The pass's number, from 1.
    pub pass: u32,
    /// Accuracy of the notes judged in the pass, in percent.
    pub accuracy: f64,
    /// The mean and spread of the pass's hit errors.
    pub hit_error: HitErrorStats,
    /// Notes and holds judged in the pass.
    pub judged: u32,
    /// The rate the pass ended at.
    pub rate: f64,
}

impl PassResult {
    /// The result of the pass `score` kept, judged from the start of the pass.
    pub fn of(pass: u32, score: &ScoreKeeper, rate: f64) -> PassResult {
        PassResult {
            pass,
            accuracy: score.running_accuracy() * 100.0,
            hit_error: HitErrorStats::from_offsets(score.offsets().iter().map(|(_, o)| *o)),
            judged: score.counts().heads_judged(),
            rate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_moves_in_twentieths_and_stays_in_range() {
        assert_eq!(step_rate(1.0, 1), 1.05);
        assert_eq!(step_rate(1.0, -3), 0.85);
        assert_eq!(step_rate(0.5, -1), 0.5);
        assert_eq!(step_rate(1.97, 1), 2.0);
        let mut rate = 0.5;
        for _ in 0..30 {
            rate = step_rate(rate, 1);
        }
        assert_eq!(rate, 2.0);
    }

    #[test]
    fn a_loop_cannot_end_before_it_starts() {
        assert!(
            Practice::new(9, Some(8), false)
                .unwrap_err()
                .contains("before it starts")
        );
        assert!(Practice::new(9, Some(9), false).is_ok());
    }
}
