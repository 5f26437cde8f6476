//! The song sheet format: what a track is made of, written by hand in RON.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::diagnostic::{Diagnostic, Position, from_ron_error};
use crate::core::level::spans;

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
    /// Lead melody, 16 steps a bar: a digit picks a tone of the bar's chord counting up from
    /// the root (past the chord's last tone it goes on an octave higher), `.` rests.
    pub lead: String,
    /// The sung hook, 16 steps a bar: digits as in `lead`, `-` holds the note on, `.` rests.
    #[serde(default)]
    pub vocal: String,
    /// The vowels the hook sings, in turn: letters of `aeiou`.
    #[serde(default)]
    pub vowels: String,
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
    Vocal,
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

/// Songs that would render for longer than this are refused: ten minutes is no dance track.
pub const MAX_SONG_SECONDS: f64 = 600.0;

/// Reads and checks a song sheet; every problem names the line and column it is about.
pub fn read_sheet(path: &Path) -> Result<SongSheet, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(path, None, format!("cannot read the song sheet: {e}")))?;
    let sheet: SongSheet = ron::from_str(&text).map_err(|e| from_ron_error(path, &e))?;
    let tree = spans::parse(&text);
    let at = |field: &str, index: Option<usize>| -> Option<Position> {
        let node = tree.as_ref()?.field(field)?;
        Some(match index {
            Some(i) => node.index(i).map_or(node.at, |n| n.at),
            None => node.at,
        })
    };
    let error = |position, message: String| Err(Diagnostic::error(path, position, message));
    if !(sheet.bpm > 0.0 && sheet.bpm < 1000.0) {
        return error(
            at("bpm", None),
            format!(
                "the tempo must be above 0 and below 1000 BPM, not {}",
                sheet.bpm
            ),
        );
    }
    if !(sheet.offset >= 0.0 && sheet.offset.is_finite()) {
        return error(
            at("offset", None),
            "the offset must be 0 seconds or more".into(),
        );
    }
    if sheet.chords.is_empty() {
        return error(at("chords", None), "a song needs at least one chord".into());
    }
    if sheet.sections.is_empty() {
        return error(
            at("sections", None),
            "a song needs at least one section".into(),
        );
    }
    for (i, chord) in sheet.chords.iter().enumerate() {
        if parse_chord(chord).is_none() {
            return error(
                at("chords", Some(i)),
                format!(
                    "`{chord}` is not a chord this synthesizer knows (try `Am`, `F#`, `G7`, `Cmaj7`)"
                ),
            );
        }
    }
    for (i, section) in sheet.sections.iter().enumerate() {
        if section.bars == 0 {
            return error(
                at("sections", Some(i)),
                "a section needs at least one bar".into(),
            );
        }
    }
    for (field, pattern) in [
        ("kick", &sheet.kick),
        ("snare", &sheet.snare),
        ("hat", &sheet.hat),
        ("bass", &sheet.bass),
        ("lead", &sheet.lead),
        ("vocal", &sheet.vocal),
    ] {
        if pattern.chars().count() > 16 {
            return error(
                at(field, None),
                format!(
                    "the {field} pattern has {} steps; a bar has 16",
                    pattern.chars().count()
                ),
            );
        }
    }
    if sheet.length() > MAX_SONG_SECONDS {
        return error(
            at("sections", None),
            format!(
                "the song would last {:.0} minutes; songs are limited to {:.0} minutes",
                sheet.length() / 60.0,
                MAX_SONG_SECONDS / 60.0
            ),
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<SongSheet, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("song.ron");
        std::fs::write(&path, text).unwrap();
        read_sheet(&path)
    }

    const GOOD: &str = "(bpm: 120.0, chords: [\"Am\", \"F\"],\n sections: [(bars: 4, layers: [pad])],\n kick: \"x...\", snare: \"\", hat: \"\", bass: \"\", lead: \"\")";

    #[test]
    fn a_good_sheet_reads() {
        assert!(check(GOOD).is_ok());
    }

    #[test]
    fn mistakes_name_their_line_and_column() {
        let cases = [
            (GOOD.replace("\"F\"", "\"H7\""), (1, 29), "not a chord"),
            (
                GOOD.replace("120.0", "0.0"),
                (1, 7),
                "tempo must be above 0",
            ),
            (
                GOOD.replace("bars: 4", "bars: 0"),
                (2, 13),
                "at least one bar",
            ),
            (
                GOOD.replace("\"x...\"", "\"x...x...x...x...x\""),
                (3, 8),
                "17 steps",
            ),
            (
                GOOD.replace("bars: 4", "bars: 400"),
                (2, 12),
                "limited to 10 minutes",
            ),
            (GOOD.replace("[pad]", "[flute]"), (2, 32), "unknown variant"),
        ];
        for (text, (line, column), words) in cases {
            let error = check(&text).unwrap_err();
            assert_eq!(
                error.position.map(|p| (p.line, p.column)),
                Some((line, column)),
                "{words}: {error}"
            );
            assert!(error.message.contains(words), "{error}");
        }
    }
}
