//! Chart drafts: a first chart proposed from a song sheet's sound events at a chosen density,
//! for a level maker to shape by hand. Every drafted note sits on a sound of the song.

use super::events::{Part, Perc, SoundEvent, events};
use super::sheet::SongSheet;
use crate::chart::PlacedKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Density {
    Easy,
    Normal,
    Hard,
    Expert,
}

impl Density {
    pub const ALL: [Density; 4] = [
        Density::Easy,
        Density::Normal,
        Density::Hard,
        Density::Expert,
    ];

    pub fn from_name(name: &str) -> Option<Density> {
        Density::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(name))
    }

    pub fn name(self) -> &'static str {
        match self {
            Density::Easy => "Easy",
            Density::Normal => "Normal",
            Density::Hard => "Hard",
            Density::Expert => "Expert",
        }
    }

    /// The finest grid notes may sit on, in beats.
    fn grid(self) -> f64 {
        match self {
            Density::Easy => 1.0,
            Density::Normal | Density::Hard => 0.5,
            Density::Expert => 0.25,
        }
    }

    /// Whether the density follows a part, and the part's importance (0 first).
    fn follows(self, part: Part) -> Option<u8> {
        let (rank, from) = match part {
            Part::Lead => (0, Density::Normal),
            Part::Vocal { .. } => (0, Density::Easy),
            Part::Snare { ghost: false } | Part::Clap => (1, Density::Easy),
            Part::Kick => (2, Density::Easy),
            // The bass fills Easy's sparse quarter grid but would crowd Normal's eighths.
            Part::Bass if self == Density::Easy || self >= Density::Hard => (3, Density::Easy),
            Part::Bass => return None,
            Part::Stab { voice: 0 } => (3, Density::Hard),
            Part::Hat { .. } | Part::Perc(_) => (4, Density::Hard),
            Part::Snare { ghost: true } => (5, Density::Expert),
            Part::Pad { .. } | Part::Stab { .. } => return None,
        };
        (self >= from).then_some(rank)
    }

    /// Notes at once: jumps on a bar's first beat in Hard, on any beat in Expert.
    fn max_per_row(self, beat: f64, beats_per_bar: f64) -> usize {
        let on = |every: f64| (beat / every).fract().abs() < 1e-9;
        match self {
            Density::Hard if on(beats_per_bar) => 2,
            Density::Expert if on(1.0) => 2,
            _ => 1,
        }
    }
}

/// Proposes the notes of a chart with `lanes` lanes (4 to 8).
pub fn draft(sheet: &SongSheet, density: Density, lanes: u8) -> Vec<(u8, f64, PlacedKind)> {
    let all = events(sheet);
    let (low, high) = lead_range(&all);
    // Rows: beat → the events on it that this density follows, by importance.
    let mut rows: Vec<(f64, Vec<(u8, SoundEvent)>)> = Vec::new();
    for event in &all {
        let Some(rank) = density.follows(event.part) else {
            continue;
        };
        let on_grid = (event.beat / density.grid()).fract().abs() < 1e-9;
        if !on_grid {
            continue;
        }
        match rows.last_mut() {
            Some((beat, row)) if (*beat - event.beat).abs() < 1e-9 => row.push((rank, *event)),
            _ => rows.push((event.beat, vec![(rank, *event)])),
        }
    }
    // Bars with no rhythm to follow get a held chord instead.
    let bar = sheet.beats_per_bar();
    let mut holds: Vec<(f64, f64)> = Vec::new();
    for event in &all {
        if let Part::Pad { voice: 0 } = event.part
            && !rows
                .iter()
                .any(|(beat, _)| *beat >= event.beat && *beat < event.beat + bar)
        {
            let length = if density >= Density::Normal {
                bar * 0.75
            } else {
                bar / 2.0
            };
            holds.push((event.beat, event.beat + length));
        }
    }
    // From Normal on, sung notes of a beat or more are held for as long as they are sung.
    let timing = sheet.timing();
    if density >= Density::Normal {
        for (beat, row) in &mut rows {
            let Some(position) = row
                .iter()
                .position(|(_, e)| matches!(e.part, Part::Vocal { .. }))
            else {
                continue;
            };
            let sung = row[position].1;
            let end = timing.beat_at_time(sung.time + sung.length);
            // Whole steps only, so the tail sits on the grid of the song.
            let end = (end * 4.0).floor() / 4.0;
            if end - *beat >= 1.0 {
                holds.push((*beat, end));
                row.remove(position);
            }
        }
    }

    let mut notes: Vec<(u8, f64, PlacedKind)> = Vec::new();
    // Per lane, the spans its holds occupy.
    let mut held: Vec<Vec<(f64, f64)>> = vec![Vec::new(); lanes as usize];
    let mut last_lane: Option<(u8, f64)> = None;
    // Each part alternates between its own lanes.
    let mut turns: std::collections::HashMap<u8, usize> = Default::default();
    for (i, (start, end)) in holds.iter().enumerate() {
        let lane = (i % lanes as usize) as u8;
        notes.push((lane, *start, PlacedKind::Hold { end_beat: *end }));
        held[lane as usize].push((*start, *end));
    }
    for (beat, mut row) in rows {
        row.sort_by_key(|(rank, _)| *rank);
        let mut used: Vec<u8> = Vec::new();
        // A hold starting here takes a hand; one already held leaves at most one more note.
        let starting = holds
            .iter()
            .filter(|(start, _)| (start - beat).abs() < 1e-9)
            .count();
        let holding = holds
            .iter()
            .any(|(start, end)| *start < beat - 1e-9 && beat <= end + 1e-9);
        let mut allowed = density.max_per_row(beat, bar).saturating_sub(starting);
        if holding {
            allowed = allowed.min(1);
        }
        for (rank, event) in row.iter().take(allowed) {
            let turn = {
                let t = turns.entry(*rank).or_default();
                *t += 1;
                *t
            };
            let wanted = match event.part {
                Part::Lead | Part::Vocal { .. } => pitch_lane(event.pitch, low, high, lanes),
                Part::Kick => {
                    if turn % 2 == 0 {
                        0
                    } else {
                        lanes - 1
                    }
                }
                Part::Snare { .. } | Part::Clap => lanes / 2 - (turn % 2) as u8,
                Part::Perc(Perc::HighTom) => lanes - 1,
                Part::Perc(Perc::MidTom) => lanes / 2,
                Part::Perc(Perc::LowTom) => 0,
                Part::Perc(_) | Part::Stab { .. } => {
                    if turn % 2 == 0 {
                        lanes - 2
                    } else {
                        1
                    }
                }
                Part::Hat { .. } => {
                    if turn % 2 == 0 {
                        1
                    } else {
                        lanes - 2
                    }
                }
                Part::Bass => (event.pitch.rem_euclid(lanes as i32)) as u8,
                Part::Pad { .. } => 0,
            };
            let Some(lane) = free_lane(wanted, lanes, beat, &held, &used, last_lane) else {
                continue;
            };
            used.push(lane);
            last_lane = Some((lane, beat));
            notes.push((lane, beat, PlacedKind::Tap));
        }
    }
    notes.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    notes
}

fn lead_range(all: &[SoundEvent]) -> (i32, i32) {
    all.iter()
        .filter(|e| e.part == Part::Lead)
        .fold((i32::MAX, i32::MIN), |(lo, hi), e| {
            (lo.min(e.pitch), hi.max(e.pitch))
        })
}

/// Higher notes further right.
fn pitch_lane(pitch: i32, low: i32, high: i32, lanes: u8) -> u8 {
    if high <= low {
        return lanes / 2;
    }
    let share = f64::from(pitch - low) / f64::from(high - low);
    ((share * f64::from(lanes - 1)).round() as u8).min(lanes - 1)
}

/// The wanted lane, or the nearest one that is free at `beat`, not taken in this row, and not
/// the lane just played half a beat ago or less (no fast jacks in a draft).
fn free_lane(
    wanted: u8,
    lanes: u8,
    beat: f64,
    held: &[Vec<(f64, f64)>],
    used: &[u8],
    last: Option<(u8, f64)>,
) -> Option<u8> {
    let ok = |lane: u8| {
        !held[lane as usize]
            .iter()
            .any(|(start, end)| beat >= start - 1e-9 && beat <= end + 1e-9)
            && !used.contains(&lane)
            && !matches!(last, Some((l, b)) if l == lane && beat - b <= 0.5 + 1e-9)
    };
    (0..lanes)
        .flat_map(|d| [wanted.checked_add(d), wanted.checked_sub(d)])
        .flatten()
        .find(|l| *l < lanes && ok(*l))
}

/// A chart block in the level format, with its notes as measures of rows, indented to sit in
/// a level's `charts: [...]`.
pub fn to_ron(
    sheet: &SongSheet,
    notes: &[(u8, f64, PlacedKind)],
    lanes: u8,
    difficulty: &str,
    meter: u32,
) -> String {
    let sections: Vec<(f64, &str)> = sheet
        .arrangement()
        .iter()
        .map(|a| {
            (
                f64::from(a.first_bar) * sheet.beats_per_bar(),
                a.kind.name(),
            )
        })
        .collect();
    let block = crate::level::write::ChartBlock {
        note: "Drafted by `lightstick draft-chart`: shape it by hand.",
        difficulty,
        meter,
        lanes,
        notes,
        sections: &sections,
    };
    format!("        {},", block.to_ron("        "))
}
