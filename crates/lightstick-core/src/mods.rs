//! Mods: what a player changes about a chart, or about how much of it they see. Lane mods move
//! notes to other lanes before the play is judged; sight mods (hidden, sudden) and the lane
//! cover only change what is drawn, never a judgement.
//!
//! A play's mods are part of its [`JudgeSettings`](crate::judge::JudgeSettings), so they are
//! saved with its replay and a replay plays on the very chart the player had.

use serde::{Deserialize, Serialize};

use crate::chart::{Chart, Note};

/// Where a chart's notes go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LaneMod {
    /// The chart as written.
    #[default]
    Off,
    /// Left and right swap: lane 0 becomes the last lane.
    Mirror,
    /// The lanes change places, the same way for the whole song (osu!mania's random,
    /// StepMania's shuffle). The seed picks the order, so a replay gets the same one.
    Shuffle { seed: u64 },
    /// Every note lands on a lane of its own, drawn from the seed (StepMania's super-shuffle):
    /// never on a lane still held, and never two notes of a chord on one lane.
    Random { seed: u64 },
}

impl LaneMod {
    /// The mod with a new seed, if it takes one: each play of a seeded mod is a new layout.
    pub fn reseeded(self, seed: u64) -> LaneMod {
        match self {
            LaneMod::Shuffle { .. } => LaneMod::Shuffle { seed },
            LaneMod::Random { .. } => LaneMod::Random { seed },
            other => other,
        }
    }

    /// The short name shown on the results and in a record's name; `None` when off.
    pub fn label(self) -> Option<&'static str> {
        match self {
            LaneMod::Off => None,
            LaneMod::Mirror => Some("mirror"),
            LaneMod::Shuffle { .. } => Some("shuffle"),
            LaneMod::Random { .. } => Some("random"),
        }
    }

    /// Every lane mod, seeded with 0, for a menu to offer.
    pub const ALL: [LaneMod; 4] = [
        LaneMod::Off,
        LaneMod::Mirror,
        LaneMod::Shuffle { seed: 0 },
        LaneMod::Random { seed: 0 },
    ];

    /// Whether two mods are the same kind, whatever their seeds.
    pub fn same_kind(self, other: LaneMod) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }
}

/// The player's mods for a play.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mods {
    pub lanes: LaneMod,
    /// Hidden: notes fade out as they near the receptors, gone below this line. The line is a
    /// share of the highway's height measured from the receptors, [`SIGHT_LINES`].
    pub hidden: Option<f32>,
    /// Sudden: notes appear late, only once they pass below this line (same measure).
    pub sudden: Option<f32>,
    /// A cover over the top of the highway, this share of its height, moved during the play.
    /// A display aid like the scroll speed: it never makes a record of its own.
    pub lane_cover: Option<f32>,
}

/// Where hidden's and sudden's lines may sit, as a share of the highway from the receptors:
/// outside this, one hides nothing and the other hides every note.
pub const SIGHT_LINES: std::ops::RangeInclusive<f32> = 0.1..=0.9;
/// How tall the lane cover may be, as a share of the highway.
pub const LANE_COVER: std::ops::RangeInclusive<f32> = 0.0..=0.9;
/// Over this share of the highway a note fades, rather than blinking out at the line.
pub const FADE_BAND: f32 = 0.08;

/// A hand-edited mod value a play cannot have.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum ModsError {
    #[error(
        "hidden's line must be between {min} and {max} of the highway, not {0}",
        min = SIGHT_LINES.start(),
        max = SIGHT_LINES.end()
    )]
    Hidden(f32),
    #[error(
        "sudden's line must be between {min} and {max} of the highway, not {0}",
        min = SIGHT_LINES.start(),
        max = SIGHT_LINES.end()
    )]
    Sudden(f32),
    #[error(
        "the lane cover must be between {min} and {max} of the highway, not {0}",
        min = LANE_COVER.start(),
        max = LANE_COVER.end()
    )]
    LaneCover(f32),
}

impl ModsError {
    /// The field in a file, to point at it.
    pub fn field(&self) -> &'static str {
        match self {
            ModsError::Hidden(_) => "hidden",
            ModsError::Sudden(_) => "sudden",
            ModsError::LaneCover(_) => "lane_cover",
        }
    }
}

impl Mods {
    /// Whether every value is one a play can have.
    pub fn check(&self) -> Result<(), ModsError> {
        let within = |value: Option<f32>, range: &std::ops::RangeInclusive<f32>| {
            value.is_none_or(|v| range.contains(&v))
        };
        if !within(self.hidden, &SIGHT_LINES) {
            return Err(ModsError::Hidden(self.hidden.unwrap_or_default()));
        }
        if !within(self.sudden, &SIGHT_LINES) {
            return Err(ModsError::Sudden(self.sudden.unwrap_or_default()));
        }
        if !within(self.lane_cover, &LANE_COVER) {
            return Err(ModsError::LaneCover(self.lane_cover.unwrap_or_default()));
        }
        Ok(())
    }

    /// The mods that make a record of their own, as shown beside a score: "mirror hidden".
    /// Empty without them.
    pub fn label(&self) -> String {
        let mut names: Vec<&str> = self.lanes.label().into_iter().collect();
        if self.hidden.is_some() {
            names.push("hidden");
        }
        if self.sudden.is_some() {
            names.push("sudden");
        }
        names.join(" ")
    }

    /// The chart the player meets: `chart` with its notes moved by the lane mod.
    pub fn apply(&self, chart: &Chart) -> Chart {
        let mut moved = chart.clone();
        match self.lanes {
            LaneMod::Off => return moved,
            LaneMod::Mirror => {
                let order: Vec<u8> = (0..chart.lanes).rev().collect();
                relane(&mut moved.notes, &order);
            }
            LaneMod::Shuffle { seed } => {
                relane(&mut moved.notes, &shuffled_lanes(chart.lanes, seed));
            }
            LaneMod::Random { seed } => scatter(&mut moved.notes, chart.lanes, seed),
        }
        moved
            .notes
            .sort_by(|a, b| a.time.total_cmp(&b.time).then(a.lane.cmp(&b.lane)));
        moved
    }

    /// How visible a note is, 0 to 1, at `height`: its share of the highway above the
    /// receptors (0 at the receptors, 1 at the top). Hidden and sudden fade a note over
    /// [`FADE_BAND`] around their lines; the lane cover is drawn over the highway instead.
    pub fn note_alpha(&self, height: f32) -> f32 {
        let mut alpha = 1.0f32;
        if let Some(line) = self.hidden {
            alpha = alpha.min(((height - line) / FADE_BAND + 0.5).clamp(0.0, 1.0));
        }
        if let Some(line) = self.sudden {
            alpha = alpha.min(((line - height) / FADE_BAND + 0.5).clamp(0.0, 1.0));
        }
        alpha
    }
}

/// Moves each note from lane `l` to `order[l]`.
fn relane(notes: &mut [Note], order: &[u8]) {
    for note in notes {
        if let Some(lane) = order.get(usize::from(note.lane)) {
            note.lane = *lane;
        }
    }
}

/// A seeded order of `lanes` lanes other than the chart's own (when there is another).
fn shuffled_lanes(lanes: u8, seed: u64) -> Vec<u8> {
    let mut random = SplitMix64(seed);
    let identity: Vec<u8> = (0..lanes).collect();
    let mut order = identity.clone();
    // A few draws at most: only 1 in lanes! orders is the chart's own.
    for _ in 0..8 {
        random.shuffle(&mut order);
        if order != identity {
            break;
        }
    }
    order
}

/// Puts every note on a lane drawn from `seed`, keeping the chart playable: a note never
/// lands on a lane whose hold or roll is still going, nor on a lane another note of its chord
/// took.
fn scatter(notes: &mut [Note], lanes: u8, seed: u64) {
    let mut random = SplitMix64(seed);
    // Per lane, the time its last long note ends.
    let mut busy_until = vec![f64::NEG_INFINITY; usize::from(lanes)];
    let mut start = 0;
    while start < notes.len() {
        let time = notes[start].time;
        let end = start + notes[start..].partition_point(|n| n.time <= time);
        let mut free: Vec<u8> = (0..lanes)
            .filter(|l| busy_until[usize::from(*l)] < time)
            .collect();
        for note in &mut notes[start..end] {
            if free.is_empty() {
                // Only a chart that already overlapped itself gets here: keep its lane.
                continue;
            }
            let pick = random.below(free.len() as u64) as usize;
            note.lane = free.swap_remove(pick);
            if note.is_long() {
                busy_until[usize::from(note.lane)] = note.end_time();
            }
        }
        start = end;
    }
}

/// SplitMix64: a tiny generator whose sequence is fixed by its definition. A replay saved
/// today must lay out a chart the same way in every later version, which a general-purpose
/// crate's generator does not promise (rand's `StdRng` may change between releases).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0); the bias of a plain modulo is far below anything a lane
    /// count could show.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Fisher–Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::NoteKind;

    fn note(lane: u8, time: f64, kind: NoteKind) -> Note {
        Note {
            lane,
            beat: time * 2.0,
            time,
            kind,
        }
    }

    fn hold_until(end: f64) -> NoteKind {
        NoteKind::Hold {
            end_beat: end * 2.0,
            end_time: end,
        }
    }

    fn chart(notes: Vec<Note>) -> Chart {
        Chart {
            difficulty: "Hard".into(),
            meter: 5,
            lanes: 4,
            timing: crate::timing::TimingMap::constant(0.0, 120.0),
            notes,
        }
    }

    fn busy_chart() -> Chart {
        let mut notes = Vec::new();
        for step in 0..64 {
            let t = 1.0 + f64::from(step) * 0.25;
            match step % 8 {
                0 => {
                    notes.push(note(0, t, hold_until(t + 0.9)));
                    notes.push(note(3, t, NoteKind::Tap));
                }
                3 => notes.push(note(2, t, NoteKind::Mine)),
                _ => notes.push(note((step % 4) as u8, t, NoteKind::Tap)),
            }
        }
        notes.sort_by(|a, b| a.time.total_cmp(&b.time).then(a.lane.cmp(&b.lane)));
        chart(notes)
    }

    fn lanes_of(chart: &Chart) -> Vec<u8> {
        chart.notes.iter().map(|n| n.lane).collect()
    }

    #[test]
    fn mirror_swaps_left_and_right() {
        let played = Mods {
            lanes: LaneMod::Mirror,
            ..Mods::default()
        }
        .apply(&chart(vec![
            note(0, 1.0, NoteKind::Tap),
            note(1, 2.0, NoteKind::Tap),
        ]));
        assert_eq!(lanes_of(&played), vec![3, 2]);
    }

    #[test]
    fn shuffle_moves_whole_lanes_and_its_seed_decides_how() {
        let original = busy_chart();
        let shuffle = |seed| {
            Mods {
                lanes: LaneMod::Shuffle { seed },
                ..Mods::default()
            }
            .apply(&original)
        };
        let first = shuffle(7);
        assert_eq!(first, shuffle(7), "the same seed, the same chart");
        assert_ne!(lanes_of(&first), lanes_of(&original));
        // One lane order for the whole song: every note of a lane went to one lane.
        let mut to = [None; 4];
        for (before, after) in original.notes.iter().zip(&first.notes) {
            let was = to[usize::from(before.lane)].get_or_insert(after.lane);
            assert_eq!(*was, after.lane);
        }
        let other_seeds = (8..40).filter(|s| shuffle(*s) != first).count();
        assert!(other_seeds > 0, "other seeds give other orders");
    }

    #[test]
    fn random_keeps_chords_apart_and_holds_clear() {
        let original = busy_chart();
        for seed in 0..200 {
            let played = Mods {
                lanes: LaneMod::Random { seed },
                ..Mods::default()
            }
            .apply(&original);
            assert_eq!(played.notes.len(), original.notes.len());
            for (i, a) in played.notes.iter().enumerate() {
                for b in &played.notes[i + 1..] {
                    let overlaps = b.time <= a.end_time() && (a.is_long() || b.time == a.time);
                    assert!(
                        !(overlaps && a.lane == b.lane),
                        "seed {seed}: {a:?} and {b:?} share lane {}",
                        a.lane
                    );
                }
            }
        }
        let a = Mods {
            lanes: LaneMod::Random { seed: 1 },
            ..Mods::default()
        };
        assert_eq!(a.apply(&original), a.apply(&original));
    }

    #[test]
    fn hidden_and_sudden_fade_notes_around_their_lines() {
        let hidden = Mods {
            hidden: Some(0.4),
            ..Mods::default()
        };
        assert_eq!(hidden.note_alpha(0.1), 0.0);
        assert_eq!(hidden.note_alpha(0.9), 1.0);
        let sudden = Mods {
            sudden: Some(0.6),
            ..Mods::default()
        };
        assert_eq!(sudden.note_alpha(0.9), 0.0);
        assert_eq!(sudden.note_alpha(0.2), 1.0);
        assert!((sudden.note_alpha(0.6) - 0.5).abs() < 1e-6);
        assert_eq!(Mods::default().note_alpha(0.0), 1.0);
    }

    #[test]
    fn the_label_names_the_mods_that_keep_a_record_of_their_own() {
        let mods = Mods {
            lanes: LaneMod::Random { seed: 9 },
            hidden: Some(0.5),
            lane_cover: Some(0.3),
            ..Mods::default()
        };
        assert_eq!(mods.label(), "random hidden");
        assert_eq!(Mods::default().label(), "");
        assert_eq!(
            Mods {
                lane_cover: Some(0.3),
                ..Mods::default()
            }
            .label(),
            "",
            "the lane cover is a display aid"
        );
    }

    #[test]
    fn values_out_of_range_are_named() {
        let bad = Mods {
            sudden: Some(2.0),
            ..Mods::default()
        };
        assert_eq!(bad.check(), Err(ModsError::Sudden(2.0)));
        assert_eq!(bad.check().unwrap_err().field(), "sudden");
    }
}
