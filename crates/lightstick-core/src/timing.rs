//! Beat ↔ song-time mapping for a tempo map with BPM changes, stops, delays and an offset.
//!
//! Song time is seconds into the audio file. Beat 0 falls at `offset` seconds; each BPM segment
//! runs at its own tempo, and a stop or a delay freezes the beat for its length before the music
//! goes on. The two differ only for a note on their own beat: it sounds as a stop begins, and
//! once a delay ends (StepMania's and the `.ssc` format's meaning).

use serde::{Deserialize, Serialize};

/// A tempo change: from `beat` on, the music runs at `bpm` beats per minute.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BpmChange {
    pub beat: f64,
    pub bpm: f64,
}

/// A pause in the beat: at `beat`, time goes on for `seconds` while the beat stays put.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub beat: f64,
    pub seconds: f64,
}

/// A pause in the beat that comes before the notes on its beat: at `beat`, time goes on for
/// `seconds` and only then is the beat's own note hit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Delay {
    pub beat: f64,
    pub seconds: f64,
}

/// One piece of the precomputed map: from `beat` (reached at `time`) the beat stands still for
/// `delay` seconds, then its notes sound, then it stands still for `stop` more seconds, and then
/// advances at `seconds_per_beat`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Segment {
    beat: f64,
    time: f64,
    delay: f64,
    stop: f64,
    seconds_per_beat: f64,
}

impl Segment {
    fn pause(&self) -> f64 {
        self.delay + self.stop
    }
}

/// A validated tempo map. Build it with [`TimingMap::new`], which sorts nothing and trusts its
/// input: the level validator has already rejected unsorted, non-positive or duplicate entries.
#[derive(Clone, Debug, PartialEq)]
pub struct TimingMap {
    segments: Vec<Segment>,
}

impl TimingMap {
    /// `bpms` must be non-empty and start at beat 0 (or before); stops and BPM changes sorted.
    pub fn new(offset: f64, bpms: &[BpmChange], stops: &[Stop]) -> Self {
        Self::with_delays(offset, bpms, stops, &[])
    }

    /// A map with delays as well as stops; each list sorted by beat.
    pub fn with_delays(offset: f64, bpms: &[BpmChange], stops: &[Stop], delays: &[Delay]) -> Self {
        assert!(!bpms.is_empty(), "a tempo map needs at least one BPM");
        // Every BPM change, stop and delay starts a segment; those on one beat share it.
        struct Point {
            beat: f64,
            bpm: Option<f64>,
            delay: f64,
            stop: f64,
        }
        let mut points: Vec<Point> = Vec::new();
        for change in bpms {
            points.push(Point {
                beat: change.beat.max(0.0),
                bpm: Some(change.bpm),
                delay: 0.0,
                stop: 0.0,
            });
        }
        for stop in stops {
            points.push(Point {
                beat: stop.beat,
                bpm: None,
                delay: 0.0,
                stop: stop.seconds,
            });
        }
        for delay in delays {
            points.push(Point {
                beat: delay.beat,
                bpm: None,
                delay: delay.seconds,
                stop: 0.0,
            });
        }
        points.sort_by(|a, b| a.beat.total_cmp(&b.beat));
        let mut merged: Vec<Point> = Vec::new();
        for point in points {
            match merged.last_mut() {
                Some(last) if last.beat == point.beat => {
                    if point.bpm.is_some() {
                        last.bpm = point.bpm;
                    }
                    last.delay += point.delay;
                    last.stop += point.stop;
                }
                _ => merged.push(point),
            }
        }
        let first_bpm = bpms[0].bpm;
        if merged[0].beat > 0.0 {
            merged.insert(
                0,
                Point {
                    beat: 0.0,
                    bpm: Some(first_bpm),
                    delay: 0.0,
                    stop: 0.0,
                },
            );
        }
        let mut segments = Vec::with_capacity(merged.len());
        let mut seconds_per_beat = 60.0 / first_bpm;
        let mut time = offset;
        let mut previous: Option<Segment> = None;
        for Point {
            beat,
            bpm,
            delay,
            stop,
        } in merged
        {
            if let Some(prev) = previous {
                time = prev.time + prev.pause() + (beat - prev.beat) * prev.seconds_per_beat;
            }
            if let Some(bpm) = bpm {
                seconds_per_beat = 60.0 / bpm;
            }
            let segment = Segment {
                beat,
                time,
                delay,
                stop,
                seconds_per_beat,
            };
            segments.push(segment);
            previous = Some(segment);
        }
        Self { segments }
    }

    /// A map with one tempo and no stops.
    pub fn constant(offset: f64, bpm: f64) -> Self {
        Self::new(offset, &[BpmChange { beat: 0.0, bpm }], &[])
    }

    /// The song time at which `beat` is reached. A note on the beat of a stop sounds when the
    /// stop begins, and one on the beat of a delay when the delay ends, as in StepMania.
    pub fn time_at_beat(&self, beat: f64) -> f64 {
        let index = self.segments.partition_point(|s| s.beat <= beat);
        if index == 0 {
            // Before beat 0: extrapolate at the first tempo.
            let first = &self.segments[0];
            return first.time + (beat - first.beat) * first.seconds_per_beat;
        }
        let segment = &self.segments[index - 1];
        let pause = if beat > segment.beat {
            segment.pause()
        } else {
            segment.delay
        };
        segment.time + pause + (beat - segment.beat) * segment.seconds_per_beat
    }

    /// The beat at song time `time`; during a stop the beat stands still.
    pub fn beat_at_time(&self, time: f64) -> f64 {
        let index = self.segments.partition_point(|s| s.time <= time);
        if index == 0 {
            let first = &self.segments[0];
            return first.beat + (time - first.time) / first.seconds_per_beat;
        }
        let segment = &self.segments[index - 1];
        let moving_since = segment.time + segment.pause();
        if time <= moving_since {
            return segment.beat;
        }
        segment.beat + (time - moving_since) / segment.seconds_per_beat
    }

    /// The tempo in force at `beat`.
    pub fn bpm_at_beat(&self, beat: f64) -> f64 {
        let index = self.segments.partition_point(|s| s.beat <= beat).max(1);
        60.0 / self.segments[index - 1].seconds_per_beat
    }

    /// The lowest and highest tempo of the map, for the song list. Tempos that last under a
    /// second (a stretch an import made up to start a measure on time) are not what the song
    /// plays at, and are left out unless nothing else is there.
    pub fn bpm_range(&self) -> (f64, f64) {
        let lasting = self.segments.iter().enumerate().filter(|(i, s)| {
            self.segments
                .get(i + 1)
                .is_none_or(|next| next.time - (s.time + s.pause()) >= 1.0)
        });
        let range = |segments: &mut dyn Iterator<Item = &Segment>| {
            segments
                .map(|s| 60.0 / s.seconds_per_beat)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), bpm| {
                    (lo.min(bpm), hi.max(bpm))
                })
        };
        let (lo, hi) = range(&mut lasting.map(|(_, s)| s));
        if lo.is_finite() {
            (lo, hi)
        } else {
            range(&mut self.segments.iter())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn constant_tempo_maps_both_ways() {
        let map = TimingMap::constant(0.25, 120.0);
        assert!(close(map.time_at_beat(0.0), 0.25));
        assert!(close(map.time_at_beat(4.0), 2.25));
        assert!(close(map.beat_at_time(2.25), 4.0));
        // Before beat 0 the first tempo extends backwards.
        assert!(close(map.time_at_beat(-1.0), -0.25));
        assert!(close(map.beat_at_time(0.0), -0.5));
    }

    #[test]
    fn bpm_changes_shift_later_beats() {
        let map = TimingMap::new(
            0.0,
            &[
                BpmChange {
                    beat: 0.0,
                    bpm: 120.0,
                },
                BpmChange {
                    beat: 8.0,
                    bpm: 240.0,
                },
            ],
            &[],
        );
        assert!(close(map.time_at_beat(8.0), 4.0));
        assert!(close(map.time_at_beat(12.0), 5.0));
        assert!(close(map.beat_at_time(5.0), 12.0));
        assert!(close(map.bpm_at_beat(7.9), 120.0));
        assert!(close(map.bpm_at_beat(8.0), 240.0));
        assert_eq!(map.bpm_range(), (120.0, 240.0));
        // A stretch of a quarter of a second is not the song's tempo.
        let short = TimingMap::new(
            0.0,
            &[
                BpmChange {
                    beat: 0.0,
                    bpm: 120.0,
                },
                BpmChange {
                    beat: 8.0,
                    bpm: 960.0,
                },
                BpmChange {
                    beat: 12.0,
                    bpm: 150.0,
                },
            ],
            &[],
        );
        assert_eq!(short.bpm_range(), (120.0, 150.0));
    }

    #[test]
    fn stops_hold_the_beat_and_delay_what_follows() {
        let map = TimingMap::new(
            0.0,
            &[BpmChange {
                beat: 0.0,
                bpm: 60.0,
            }],
            &[Stop {
                beat: 4.0,
                seconds: 1.5,
            }],
        );
        // The note on the stop's beat sounds as the stop begins.
        assert!(close(map.time_at_beat(4.0), 4.0));
        assert!(close(map.time_at_beat(5.0), 6.5));
        // During the stop the beat stands still.
        assert!(close(map.beat_at_time(4.0), 4.0));
        assert!(close(map.beat_at_time(5.0), 4.0));
        assert!(close(map.beat_at_time(5.5), 4.0));
        assert!(close(map.beat_at_time(6.5), 5.0));
    }

    #[test]
    fn a_delay_holds_the_beat_before_its_note() {
        let map = TimingMap::with_delays(
            0.0,
            &[BpmChange {
                beat: 0.0,
                bpm: 60.0,
            }],
            &[],
            &[Delay {
                beat: 4.0,
                seconds: 1.5,
            }],
        );
        // The note on the delay's beat is hit once the delay is over; later ones shift alike.
        assert!(close(map.time_at_beat(3.5), 3.5));
        assert!(close(map.time_at_beat(4.0), 5.5));
        assert!(close(map.time_at_beat(5.0), 6.5));
        assert!(close(map.beat_at_time(4.75), 4.0));
        assert!(close(map.beat_at_time(6.0), 4.5));
    }

    #[test]
    fn a_stop_and_a_delay_on_one_beat_add_up() {
        let map = TimingMap::with_delays(
            0.0,
            &[BpmChange {
                beat: 0.0,
                bpm: 60.0,
            }],
            &[Stop {
                beat: 2.0,
                seconds: 1.0,
            }],
            &[Delay {
                beat: 2.0,
                seconds: 0.5,
            }],
        );
        assert!(close(map.time_at_beat(2.0), 2.5));
        assert!(close(map.time_at_beat(3.0), 4.5));
    }

    #[test]
    fn stop_and_bpm_change_on_one_beat() {
        let map = TimingMap::new(
            0.5,
            &[
                BpmChange {
                    beat: 0.0,
                    bpm: 120.0,
                },
                BpmChange {
                    beat: 4.0,
                    bpm: 60.0,
                },
            ],
            &[Stop {
                beat: 4.0,
                seconds: 0.25,
            }],
        );
        assert!(close(map.time_at_beat(4.0), 2.5));
        assert!(close(map.time_at_beat(5.0), 2.5 + 0.25 + 1.0));
        assert!(close(map.beat_at_time(3.75), 5.0));
    }

    #[test]
    fn round_trip_across_many_segments() {
        let map = TimingMap::new(
            -0.1,
            &[
                BpmChange {
                    beat: 0.0,
                    bpm: 133.0,
                },
                BpmChange {
                    beat: 16.0,
                    bpm: 97.5,
                },
                BpmChange {
                    beat: 40.0,
                    bpm: 180.0,
                },
            ],
            &[
                Stop {
                    beat: 20.0,
                    seconds: 0.3,
                },
                Stop {
                    beat: 41.5,
                    seconds: 0.1,
                },
            ],
        );
        let mut beat = 0.0;
        while beat < 64.0 {
            let t = map.time_at_beat(beat);
            assert!((map.beat_at_time(t) - beat).abs() < 1e-9, "beat {beat}");
            beat += 0.125;
        }
    }
}
