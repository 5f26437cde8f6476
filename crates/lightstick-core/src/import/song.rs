//! A song read from another game's chart files, before it becomes a level: its metadata, its
//! tempo map, its charts, and what the source had that a level cannot carry.

use std::path::PathBuf;

use crate::chart::{MAX_METER, PlacedKind};
use crate::timing::{BpmChange, Delay, Stop, TimingMap};

/// A tempo map in the level's terms: `offset` is the song time of beat 0.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tempo {
    pub offset: f64,
    pub bpms: Vec<BpmChange>,
    pub stops: Vec<Stop>,
    pub delays: Vec<Delay>,
}

impl Tempo {
    pub fn map(&self) -> TimingMap {
        TimingMap::with_delays(self.offset, &self.bpms, &self.stops, &self.delays)
    }
}

/// One chart of an imported song.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedChart {
    /// The difficulty name the level gets, unique within the song.
    pub difficulty: String,
    pub meter: u32,
    pub lanes: u8,
    pub author: String,
    /// (lane, beat, kind), beats in `tempo`'s terms, or the song's when it has none.
    pub notes: Vec<(u8, f64, PlacedKind)>,
    /// The chart's own tempo map, when it differs from the song's (`.ssc` per-chart timing).
    pub tempo: Option<Tempo>,
    /// Where the chart came from, for the comment above it: "dance-single Hard 9 (song.ssc)".
    pub source: String,
    /// What the chart had that the level leaves out, one line each.
    pub dropped: Vec<String>,
}

/// A song read from a chart file or a set of them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportedSong {
    /// The chart files read, for the level's comments and the report.
    pub sources: Vec<PathBuf>,
    pub title: String,
    pub subtitle: String,
    pub artist: String,
    pub title_translit: String,
    pub subtitle_translit: String,
    pub artist_translit: String,
    pub credit: String,
    /// The audio file, as a path in the source folder.
    pub audio: Option<PathBuf>,
    /// The audio file the source names, for the message when it is missing.
    pub audio_named: String,
    pub jacket: Option<PathBuf>,
    /// (start, length) in seconds.
    pub preview: Option<(f64, f64)>,
    pub tempo: Tempo,
    pub charts: Vec<ImportedChart>,
    /// Charts not imported at all, and why.
    pub refused: Vec<String>,
    /// What the song as a whole had that the level leaves out.
    pub dropped: Vec<String>,
}

impl ImportedSong {
    /// Gives every chart a difficulty name of its own: a second "Hard" becomes "Hard 2".
    pub fn make_names_unique(&mut self) {
        let mut taken: Vec<String> = Vec::new();
        for chart in &mut self.charts {
            let base = if chart.difficulty.trim().is_empty() {
                "Chart".to_string()
            } else {
                chart.difficulty.trim().to_string()
            };
            let mut name = base.clone();
            let mut n = 2;
            while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
                name = format!("{base} {n}");
                n += 1;
            }
            taken.push(name.clone());
            chart.difficulty = name;
        }
    }
}

/// A meter a level accepts: the author's number, kept unless it is outside 1 to
/// [`MAX_METER`], which the chart's dropped list then says.
pub fn level_meter(meter: i64, dropped: &mut Vec<String>) -> u32 {
    let kept = meter.clamp(1, i64::from(MAX_METER)) as u32;
    if i64::from(kept) != meter {
        dropped.push(format!(
            "meter {meter} is outside 1 to {MAX_METER}; the level says {kept}"
        ));
    }
    kept
}

/// Takes out the notes a level cannot hold: two on one beat of a lane, and notes under a hold
/// or roll of their own lane (StepMania and osu! let them overlap). Each removal is listed.
pub fn remove_overlaps(notes: &mut Vec<(u8, f64, PlacedKind)>, dropped: &mut Vec<String>) {
    const SAME_BEAT: f64 = 1e-6;
    notes.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut kept: Vec<(u8, f64, PlacedKind)> = Vec::with_capacity(notes.len());
    let mut removed = 0;
    for note in notes.drain(..) {
        if let Some(last) = kept.last()
            && last.0 == note.0
            && note.1 <= last.2.end_beat(last.1) + SAME_BEAT
        {
            // A tap on a mine's beat wins over the mine.
            if (note.1 - last.1).abs() <= SAME_BEAT
                && last.2 == PlacedKind::Mine
                && note.2 != PlacedKind::Mine
            {
                kept.pop();
                kept.push(note);
            }
            removed += 1;
            continue;
        }
        kept.push(note);
    }
    kept.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    *notes = kept;
    if removed > 0 {
        dropped.push(format!(
            "{removed} notes overlapping another note or a hold of their lane are left out"
        ));
    }
}
