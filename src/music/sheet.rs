//! The song sheet format: what a track is made of, written by hand in RON.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::diagnostic::{Diagnostic, from_ron_error};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SongSheet {
    /// A WAV file to write beside the sheet with `render-audio` (optional: levels play the
    /// cached render).
    #[serde(default)]
    pub output: String,
    pub bpm: f64,
    /// Seconds of silence before beat 0; the level's `timing.offset` must match it.
    #[serde(default)]
    pub offset: f64,
    /// One chord per bar (four beats), repeated over the song: `"Am"`, `"F"`, `"C#m"`, `"G7"`.
    pub chords: Vec<String>,
    /// The song's sections in order; their bar counts add up to the song's length.
    pub sections: Vec<Section>,
    /// Drum patterns of 16 steps a bar (`x` hit, `.` rest), repeated.
    pub kick: String,
    pub snare: String,
    pub hat: String,
    /// When the bass plays its chord root, 16 steps a bar.
    pub bass: String,
    /// Lead melody as chord-tone indices a step (`0`-`3`, `+` an octave up, `.` rest), 16 a bar.
    pub lead: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub bars: u32,
    /// Which layers play: any of `pad`, `drums`, `bass`, `lead`, `hat`.
    pub layers: Vec<Layer>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Pad,
    Drums,
    Hat,
    Bass,
    Lead,
}

impl SongSheet {
    pub fn total_bars(&self) -> u32 {
        self.sections.iter().map(|s| s.bars).sum()
    }

    /// Song length in seconds, with two beats of tail for the last notes to ring out.
    pub fn length(&self) -> f64 {
        self.offset + (f64::from(self.total_bars()) * 4.0 + 2.0) * 60.0 / self.bpm
    }
}

pub fn read_sheet(path: &Path) -> Result<SongSheet, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(path, None, format!("cannot read the song sheet: {e}")))?;
    let sheet: SongSheet = ron::from_str(&text).map_err(|e| from_ron_error(path, &e))?;
    if !(sheet.bpm > 0.0 && sheet.bpm < 1000.0) {
        return Err(Diagnostic::error(
            path,
            None,
            "bpm must be between 0 and 1000",
        ));
    }
    if sheet.chords.is_empty() || sheet.sections.is_empty() {
        return Err(Diagnostic::error(
            path,
            None,
            "a song needs chords and sections",
        ));
    }
    for chord in &sheet.chords {
        if parse_chord(chord).is_none() {
            return Err(Diagnostic::error(
                path,
                None,
                format!("`{chord}` is not a chord this synthesizer knows (try `Am`, `F`, `G7`)"),
            ));
        }
    }
    Ok(sheet)
}

/// A chord's MIDI notes around middle C: root, third, fifth (and seventh).
pub fn parse_chord(name: &str) -> Option<Vec<i32>> {
    let mut chars = name.chars().peekable();
    let letter = chars.next()?;
    let mut root = match letter {
        'C' => 0,
        'D' => 2,
        'E' => 4,
        'F' => 5,
        'G' => 7,
        'A' => 9,
        'B' => 11,
        _ => return None,
    };
    match chars.peek() {
        Some('#') => {
            root += 1;
            chars.next();
        }
        Some('b') => {
            root -= 1;
            chars.next();
        }
        _ => {}
    }
    let rest: String = chars.collect();
    let (third, seventh) = match rest.as_str() {
        "" => (4, None),
        "m" => (3, None),
        "7" => (4, Some(10)),
        "maj7" => (4, Some(11)),
        "m7" => (3, Some(10)),
        _ => return None,
    };
    let base = 60 + root;
    let mut notes = vec![base, base + third, base + 7];
    if let Some(s) = seventh {
        notes.push(base + s);
    }
    Some(notes)
}
