//! The playable chart: lanes and timed notes (taps, holds, mines), resolved to song time.

use super::timing::TimingMap;

/// Charts may have 4 to 8 lanes.
pub const MIN_LANES: u8 = 4;
pub const MAX_LANES: u8 = 8;
/// A chart's meter (its difficulty number) is 1 to this: StepMania's and ITG's meters run into
/// the high 20s for stamina charts, and an imported chart keeps its author's number.
pub const MAX_METER: u32 = 30;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NoteKind {
    Tap,
    /// Press at the head, keep the key down until `end_time`.
    Hold {
        end_beat: f64,
        end_time: f64,
    },
    /// Hit at the head, then tapped again at least every roll window until `end_time`.
    Roll {
        end_beat: f64,
        end_time: f64,
    },
    /// Pressing it, or holding its lane as it passes, costs life and score.
    Mine,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Note {
    pub lane: u8,
    pub beat: f64,
    /// Song time in seconds.
    pub time: f64,
    pub kind: NoteKind,
}

impl Note {
    pub fn is_mine(&self) -> bool {
        matches!(self.kind, NoteKind::Mine)
    }

    /// The time the note stops mattering to the player: the tail for holds and rolls.
    pub fn end_time(&self) -> f64 {
        match self.kind {
            NoteKind::Hold { end_time, .. } | NoteKind::Roll { end_time, .. } => end_time,
            _ => self.time,
        }
    }

    /// The beat of the tail for holds and rolls, else the note's own beat.
    pub fn end_beat(&self) -> f64 {
        match self.kind {
            NoteKind::Hold { end_beat, .. } | NoteKind::Roll { end_beat, .. } => end_beat,
            _ => self.beat,
        }
    }

    /// A hold or a roll: a note with a body between its head and its tail.
    pub fn is_long(&self) -> bool {
        matches!(self.kind, NoteKind::Hold { .. } | NoteKind::Roll { .. })
    }
}

/// One difficulty of a level, ready to judge: notes sorted by time, then lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub difficulty: String,
    pub meter: u32,
    pub lanes: u8,
    pub timing: TimingMap,
    pub notes: Vec<Note>,
}

impl Chart {
    /// Taps and holds: what the player has to hit, unlike mines.
    pub fn notes_to_hit(&self) -> usize {
        self.notes.iter().filter(|n| !n.is_mine()).count()
    }

    /// Builds a chart from notes placed by beat, computing each note's time.
    pub fn from_beats(
        difficulty: impl Into<String>,
        meter: u32,
        lanes: u8,
        timing: TimingMap,
        placed: impl IntoIterator<Item = (u8, f64, PlacedKind)>,
    ) -> Self {
        let mut notes: Vec<Note> = placed
            .into_iter()
            .map(|(lane, beat, kind)| Note {
                lane,
                beat,
                time: timing.time_at_beat(beat),
                kind: match kind {
                    PlacedKind::Tap => NoteKind::Tap,
                    PlacedKind::Mine => NoteKind::Mine,
                    PlacedKind::Hold { end_beat } => NoteKind::Hold {
                        end_beat,
                        end_time: timing.time_at_beat(end_beat),
                    },
                    PlacedKind::Roll { end_beat } => NoteKind::Roll {
                        end_beat,
                        end_time: timing.time_at_beat(end_beat),
                    },
                },
            })
            .collect();
        notes.sort_by(|a, b| a.time.total_cmp(&b.time).then(a.lane.cmp(&b.lane)));
        Self {
            difficulty: difficulty.into(),
            meter,
            lanes,
            timing,
            notes,
        }
    }

    pub fn mine_count(&self) -> usize {
        self.notes.iter().filter(|n| n.is_mine()).count()
    }

    /// Song time of the last moment anything happens in the chart.
    pub fn last_time(&self) -> f64 {
        self.notes
            .iter()
            .map(Note::end_time)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    pub fn first_time(&self) -> f64 {
        self.notes.first().map_or(0.0, |n| n.time)
    }
}

/// A note as written in a level, before its times are known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlacedKind {
    Tap,
    Hold { end_beat: f64 },
    Roll { end_beat: f64 },
    Mine,
}

impl PlacedKind {
    /// The beat a note of this kind placed at `beat` ends on.
    pub fn end_beat(&self, beat: f64) -> f64 {
        match *self {
            PlacedKind::Hold { end_beat } | PlacedKind::Roll { end_beat } => end_beat,
            _ => beat,
        }
    }
}
