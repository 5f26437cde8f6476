//! Offset calibration: from a player's taps (to a metronome, to a flash, or the hits of a play),
//! the offset to suggest, or advice when the taps are too few or too scattered to trust.

/// Taps needed by the calibration screens before they suggest anything.
pub const MIN_TAPS: usize = 16;
/// Hits needed from a play for "calibrate from last play" (osu!'s rule).
pub const MIN_PLAY_HITS: usize = 50;
/// Deliberate tapping to a metronome should stay within this spread (StepMania's autosync
/// refuses above 30 ms).
pub const MAX_TAP_SPREAD_MS: f64 = 30.0;
/// Hits in a play spread wider as the player reads patterns; above this the median says little.
pub const MAX_PLAY_SPREAD_MS: f64 = 45.0;

/// What the taps say.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Calibration {
    /// The taps agree: they fall `median_ms` after the beat (negative: before) with this spread.
    Suggest {
        median_ms: f64,
        spread_ms: f64,
        taps: usize,
    },
    TooFew {
        taps: usize,
        needed: usize,
    },
    TooScattered {
        spread_ms: f64,
        taps: usize,
    },
}

impl Calibration {
    /// Judges `errors_ms` (tap minus beat, in milliseconds of real time).
    pub fn from_errors(errors_ms: &[f64], needed: usize, max_spread_ms: f64) -> Self {
        let taps = errors_ms.len();
        if taps < needed {
            return Calibration::TooFew { taps, needed };
        }
        let median_ms = median(errors_ms);
        let spread_ms = robust_spread(errors_ms, median_ms);
        if spread_ms > max_spread_ms {
            Calibration::TooScattered { spread_ms, taps }
        } else {
            Calibration::Suggest {
                median_ms,
                spread_ms,
                taps,
            }
        }
    }

    /// What to tell the player.
    pub fn advice(&self) -> String {
        match *self {
            Calibration::Suggest {
                median_ms,
                spread_ms,
                taps,
            } => format!(
                "{taps} taps, {:.1} ms {} on average (spread {spread_ms:.1} ms)",
                median_ms.abs(),
                if median_ms >= 0.0 { "late" } else { "early" }
            ),
            Calibration::TooFew { taps, needed } => format!(
                "{taps} taps so far: at least {needed} are needed before a suggestion means anything"
            ),
            Calibration::TooScattered { spread_ms, taps } => format!(
                "{taps} taps spread over {spread_ms:.0} ms, too wide to trust: keep a steady rhythm, \
                 tap with one finger, and try again"
            ),
        }
    }
}

pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.is_empty() {
        0.0
    } else if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// The spread of the taps as a standard deviation, estimated from the median absolute
/// deviation so that one stray tap does not ruin a good calibration.
pub fn robust_spread(values: &[f64], median_value: f64) -> f64 {
    let deviations: Vec<f64> = values.iter().map(|v| (v - median_value).abs()).collect();
    1.4826 * median(&deviations)
}

/// Each tap's error to the nearest beat, in ms; taps further than half the beat gap from any
/// beat (a stray press) are left out. `taps` and `beats` are song seconds, `rate` the playback
/// rate, so errors come out in real time.
pub fn tap_errors(taps: &[f64], beats: &[f64], rate: f64) -> Vec<f64> {
    if beats.is_empty() {
        return Vec::new();
    }
    let gap = if beats.len() > 1 {
        (beats[beats.len() - 1] - beats[0]) / (beats.len() - 1) as f64
    } else {
        1.0
    };
    taps.iter()
        .filter_map(|tap| {
            let i = beats.partition_point(|b| b < tap);
            let nearest = [i.checked_sub(1), Some(i)]
                .into_iter()
                .flatten()
                .filter_map(|j| beats.get(j))
                .map(|b| tap - b)
                .min_by(|a, b| a.abs().total_cmp(&b.abs()))?;
            (nearest.abs() < gap / 2.0).then_some(nearest * 1000.0 / rate)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_taps_suggest_their_median() {
        let errors: Vec<f64> = (0..20)
            .map(|i| 30.0 + if i % 2 == 0 { 4.0 } else { -4.0 })
            .collect();
        match Calibration::from_errors(&errors, MIN_TAPS, MAX_TAP_SPREAD_MS) {
            Calibration::Suggest {
                median_ms,
                spread_ms,
                taps,
            } => {
                assert_eq!(median_ms, 30.0);
                assert!((spread_ms - 4.0 * 1.4826).abs() < 1e-9);
                assert_eq!(taps, 20);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_stray_tap_does_not_spoil_the_median_or_the_spread() {
        let mut errors = vec![10.0; 30];
        errors[7] = 200.0;
        let result = Calibration::from_errors(&errors, MIN_TAPS, MAX_TAP_SPREAD_MS);
        assert!(matches!(result, Calibration::Suggest { median_ms, .. } if median_ms == 10.0));
    }

    #[test]
    fn too_few_taps_get_advice_not_a_number() {
        let result = Calibration::from_errors(&[5.0; 10], MIN_TAPS, MAX_TAP_SPREAD_MS);
        assert_eq!(
            result,
            Calibration::TooFew {
                taps: 10,
                needed: 16
            }
        );
        assert!(result.advice().contains("at least 16"));
        let play = Calibration::from_errors(&[5.0; 49], MIN_PLAY_HITS, MAX_PLAY_SPREAD_MS);
        assert!(matches!(play, Calibration::TooFew { needed: 50, .. }));
    }

    #[test]
    fn scattered_taps_are_refused() {
        let errors: Vec<f64> = (0..40).map(|i| (i % 8) as f64 * 25.0 - 90.0).collect();
        let result = Calibration::from_errors(&errors, MIN_TAPS, MAX_TAP_SPREAD_MS);
        assert!(
            matches!(result, Calibration::TooScattered { .. }),
            "{result:?}"
        );
        assert!(result.advice().contains("too wide"));
    }

    #[test]
    fn taps_are_measured_against_the_nearest_beat() {
        let beats: Vec<f64> = (0..8).map(|i| 2.0 + i as f64 * 0.6).collect();
        let taps = [2.012, 2.59, 3.23, 4.5, 9.0];
        let errors = tap_errors(&taps, &beats, 1.0);
        // 4.5 lies between beats (4.4 and 5.0) but nearer 4.4; 9.0 is past every beat.
        assert_eq!(errors.len(), 4);
        assert!((errors[0] - 12.0).abs() < 1e-6);
        assert!((errors[1] + 10.0).abs() < 1e-6);
        assert!((errors[2] - 30.0).abs() < 1e-6);
        assert!((errors[3] - 100.0).abs() < 1e-6);
        // At 2× a 12 ms song-time error is 6 ms of real time.
        assert!((tap_errors(&[2.012], &beats, 2.0)[0] - 6.0).abs() < 1e-6);
    }
}
