//! Record mode's ear: presses on a song's timeline turned into notes on a chosen snap, on the
//! level's own beats (tempo changes, stops and delays), with long presses turned into holds.

use crate::chart::PlacedKind;
use crate::timing::TimingMap;

/// The snaps a recording can be quantised to, as notes per measure: quarters to 48ths
/// (triplet sixteenths). Every one divides the 192 rows a level's measure can hold.
pub const SNAPS: [u32; 7] = [4, 8, 12, 16, 24, 32, 48];

/// How long a press must be held, in song seconds, to become a hold: longer than a tap ever
/// lasts, and shorter than an eighth at 200 BPM.
pub const HOLD_AFTER: f64 = 0.15;

/// A snap: notes fall on `1/notes_per_measure` of a measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snap(u32);

impl Default for Snap {
    fn default() -> Self {
        Snap(16)
    }
}

impl Snap {
    /// Reads `16` or `1/16`; the message lists the snaps there are.
    pub fn parse(text: &str) -> Result<Snap, String> {
        let number = text.trim().trim_start_matches("1/");
        number
            .parse::<u32>()
            .ok()
            .filter(|n| SNAPS.contains(n))
            .map(Snap)
            .ok_or_else(|| {
                let names: Vec<String> = SNAPS.iter().map(|n| format!("1/{n}")).collect();
                format!("`{text}` is not a snap: use {}", names.join(", "))
            })
    }

    /// Notes per measure.
    pub fn per_measure(self) -> u32 {
        self.0
    }

    /// Beats between two notes on this snap.
    pub fn step(self) -> f64 {
        4.0 / f64::from(self.0)
    }

    /// The next finer snap (`1` step) or coarser (`-1`), staying within [`SNAPS`].
    pub fn stepped(self, steps: i32) -> Snap {
        let index = SNAPS.iter().position(|n| *n == self.0).unwrap_or(3) as i32;
        Snap(SNAPS[(index + steps).clamp(0, SNAPS.len() as i32 - 1) as usize])
    }

    /// `1/16`.
    pub fn name(self) -> String {
        format!("1/{}", self.0)
    }
}

/// One press of a lane, in song seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Press {
    pub lane: u8,
    pub at: f64,
    /// When the key came up; `None` if it was still down when the recording stopped.
    pub released: Option<f64>,
}

/// The notes `presses` make on `snap`: each at the snap point heard nearest to it, a press
/// held past `hold_after` seconds a hold to the snap point nearest its release. Presses before
/// the first beat or on lanes the chart lacks are left out; two presses of a lane on one snap
/// point are one note, and a hold ends a step before the next note of its lane.
pub fn quantise(
    presses: &[Press],
    timing: &TimingMap,
    snap: Snap,
    hold_after: f64,
    lanes: u8,
) -> Vec<(u8, f64, PlacedKind)> {
    let step = snap.step();
    let mut notes: Vec<(u8, f64, PlacedKind)> = presses
        .iter()
        .filter(|p| p.lane < lanes && p.at.is_finite())
        .filter_map(|press| {
            let beat = nearest_snap(timing, press.at, step);
            if beat < 0.0 {
                return None;
            }
            let end = press
                .released
                .filter(|up| up - press.at >= hold_after)
                .map(|up| nearest_snap(timing, up, step))
                .filter(|end| *end > beat);
            Some(match end {
                Some(end_beat) => (press.lane, beat, PlacedKind::Hold { end_beat }),
                None => (press.lane, beat, PlacedKind::Tap),
            })
        })
        .collect();
    // By lane, then beat, the longest of a row's presses first: it is the one kept.
    notes.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(b.2.end_beat(b.1).total_cmp(&a.2.end_beat(a.1)))
    });
    notes.dedup_by(|later, kept| later.0 == kept.0 && same_point(later.1, kept.1));
    for index in 1..notes.len() {
        let (lane, beat, _) = notes[index];
        let before = &mut notes[index - 1];
        if before.0 == lane
            && let PlacedKind::Hold { end_beat } = before.2
            && end_beat > beat - step / 2.0
        {
            let cut = beat - step;
            before.2 = if cut > before.1 + step / 2.0 {
                PlacedKind::Hold { end_beat: cut }
            } else {
                PlacedKind::Tap
            };
        }
    }
    notes.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    notes
}

/// Two beats on one snap point (they differ only by rounding).
fn same_point(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// The beat on the snap heard nearest to song time `time`. The neighbours on either side are
/// compared in time, not in beats, so a press just after a stop lands on the beat after it
/// and not on the stop's own beat, seconds before.
fn nearest_snap(timing: &TimingMap, time: f64, step: f64) -> f64 {
    let beat = timing.beat_at_time(time);
    let below = (beat / step).floor();
    [-1.0, 0.0, 1.0, 2.0]
        .into_iter()
        .map(|k| (below + k) * step)
        .min_by(|a, b| {
            let distance = |x: f64| (timing.time_at_beat(x) - time).abs();
            distance(*a).total_cmp(&distance(*b))
        })
        .unwrap_or(beat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::{BpmChange, Delay, Stop};

    fn tap(lane: u8, at: f64) -> Press {
        Press {
            lane,
            at,
            released: Some(at + 0.05),
        }
    }

    #[test]
    fn presses_land_on_the_nearest_point_of_the_snap() {
        // 120 BPM: a beat is 0.5 s.
        let timing = TimingMap::constant(0.0, 120.0);
        let presses = [tap(0, 0.02), tap(1, 0.26), tap(2, 0.38), tap(3, 0.61)];
        let notes = quantise(&presses, &timing, Snap(8), HOLD_AFTER, 4);
        let beats: Vec<f64> = notes.iter().map(|n| n.1).collect();
        assert_eq!(beats, [0.0, 0.5, 1.0, 1.0]);
        let notes = quantise(&presses, &timing, Snap(16), HOLD_AFTER, 4);
        let beats: Vec<f64> = notes.iter().map(|n| n.1).collect();
        assert_eq!(beats, [0.0, 0.5, 0.75, 1.25]);
        let notes = quantise(&[tap(0, 0.17)], &timing, Snap(12), HOLD_AFTER, 4);
        assert!((notes[0].1 - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn tempo_changes_stops_and_delays_are_the_level_s_own() {
        // 120 BPM, 240 from beat 4 (2 s), a 1 s stop at beat 8 (3 s), a 0.5 s delay at 12.
        let timing = TimingMap::with_delays(
            0.0,
            &[
                BpmChange {
                    beat: 0.0,
                    bpm: 120.0,
                },
                BpmChange {
                    beat: 4.0,
                    bpm: 240.0,
                },
            ],
            &[Stop {
                beat: 8.0,
                seconds: 1.0,
            }],
            &[Delay {
                beat: 12.0,
                seconds: 0.5,
            }],
        );
        let at = |beat: f64| timing.time_at_beat(beat);
        let presses = [
            // Just under half a beat into the fast part.
            tap(0, at(4.4)),
            // Just after the stop ends: the next quarter, not the stop's beat.
            tap(1, at(8.0) + 0.98),
            // The stop's own beat, pressed as it begins.
            tap(2, at(8.0) + 0.01),
            // On the delayed beat, as it sounds after the delay.
            tap(3, at(12.0) - 0.01),
        ];
        let notes = quantise(&presses, &timing, Snap(4), HOLD_AFTER, 4);
        let got: Vec<(u8, f64)> = notes.iter().map(|n| (n.0, n.1)).collect();
        assert_eq!(got, [(0, 4.0), (2, 8.0), (1, 9.0), (3, 12.0)]);
        let notes = quantise(&presses[..1], &timing, Snap(8), HOLD_AFTER, 4);
        assert_eq!(notes[0].1, 4.5);
    }

    #[test]
    fn a_long_press_is_a_hold_and_a_short_one_a_tap() {
        let timing = TimingMap::constant(0.0, 120.0);
        let presses = [
            Press {
                lane: 0,
                at: 0.0,
                released: Some(1.02),
            },
            Press {
                lane: 1,
                at: 0.0,
                released: Some(0.1),
            },
            // Held to the end of the recording.
            Press {
                lane: 2,
                at: 0.0,
                released: None,
            },
        ];
        let notes = quantise(&presses, &timing, Snap(16), HOLD_AFTER, 4);
        assert_eq!(notes[0], (0, 0.0, PlacedKind::Hold { end_beat: 2.0 }));
        assert_eq!(notes[1], (1, 0.0, PlacedKind::Tap));
        assert_eq!(notes[2], (2, 0.0, PlacedKind::Tap));
    }

    #[test]
    fn a_lane_never_has_two_notes_in_one_place() {
        let timing = TimingMap::constant(0.0, 120.0);
        let presses = [
            tap(0, 0.49),
            tap(0, 0.51),
            // A hold whose release rounds past the next press of its lane is cut before it.
            Press {
                lane: 1,
                at: 0.0,
                released: Some(0.99),
            },
            tap(1, 1.01),
            // Too short once cut: a tap.
            Press {
                lane: 2,
                at: 2.0,
                released: Some(2.3),
            },
            tap(2, 2.26),
            // Out of the chart: before the first beat, or a lane it lacks.
            tap(3, -0.4),
            tap(4, 1.0),
        ];
        let notes = quantise(&presses, &timing, Snap(8), HOLD_AFTER, 4);
        assert_eq!(
            notes,
            [
                (1, 0.0, PlacedKind::Hold { end_beat: 1.5 }),
                (0, 1.0, PlacedKind::Tap),
                (1, 2.0, PlacedKind::Tap),
                (2, 4.0, PlacedKind::Tap),
                (2, 4.5, PlacedKind::Tap),
            ]
        );
    }

    #[test]
    fn snaps_read_and_step() {
        assert_eq!(Snap::parse("1/24"), Ok(Snap(24)));
        assert_eq!(Snap::parse("48"), Ok(Snap(48)));
        assert!(Snap::parse("1/5").unwrap_err().contains("1/12"));
        assert_eq!(Snap(4).stepped(-1), Snap(4));
        assert_eq!(Snap(16).stepped(1), Snap(24));
        assert_eq!(Snap(48).stepped(1).name(), "1/48");
    }
}
