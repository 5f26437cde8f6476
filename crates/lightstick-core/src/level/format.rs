//! The RON level file, format version 1, exactly as a level maker writes it (docs/level-format.md).

use serde::{Deserialize, Serialize};

use crate::timing::{BpmChange, Delay, Stop};

/// The format version this build writes and reads.
pub const CURRENT_FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelFile {
    /// Format version, so later versions of the game can migrate older files.
    pub format: u32,
    pub title: String,
    /// A second line under the title: a version, a remix, a "feat.".
    #[serde(default)]
    pub subtitle: String,
    /// The artist or group.
    pub artist: String,
    /// The title and artist in Latin letters, for titles in Hangul, kana or kanji: search and
    /// sorting use both.
    #[serde(default)]
    pub translit: Translit,
    #[serde(default)]
    pub credits: Credits,
    /// The audio file, relative to the level's folder.
    pub audio: String,
    #[serde(default)]
    pub preview: Preview,
    pub timing: TimingFile,
    pub charts: Vec<ChartFile>,
    /// For the group stage: how the song's lines are split between 2, 3 or 4 members.
    #[serde(default)]
    pub parts: Vec<PartsFile>,
    /// The stage: venue, look and choreography. Names are plain strings so a mistake is
    /// pointed at and the level still plays with the defaults.
    #[serde(default)]
    pub stage: StageFile,
    /// An image of the song (PNG or JPEG) inside the level's folder, for the song list and the
    /// results.
    #[serde(default)]
    pub jacket: Option<String>,
    /// Words shown over the play from a beat on: a lesson's instructions.
    #[serde(default)]
    pub prompts: Vec<Prompt>,
}

/// Words shown over the play from `beat` until the next prompt, or for [`PROMPT_BEATS`] beats:
/// what a lesson asks of the player. `translations` gives the words in other languages, by
/// language code (`ko`); the menus' language picks one, else `text` is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub beat: f64,
    pub text: String,
    #[serde(default)]
    pub translations: std::collections::BTreeMap<String, String>,
}

/// How many beats a prompt stays up when no other follows sooner.
pub const PROMPT_BEATS: f64 = 8.0;

impl Prompt {
    /// The words in the language `code`, or the level's own.
    pub fn text_in(&self, code: &str) -> &str {
        self.translations
            .get(code)
            .map_or(&self.text, |t| t.as_str())
    }
}

/// The prompt showing at `beat`, if any: the last one begun, until the next begins or
/// [`PROMPT_BEATS`] pass.
pub fn prompt_at(prompts: &[Prompt], beat: f64) -> Option<&Prompt> {
    let begun = prompts.partition_point(|p| p.beat <= beat);
    let prompt = prompts.get(begun.checked_sub(1)?)?;
    (beat < prompt.beat + PROMPT_BEATS).then_some(prompt)
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StageFile {
    /// `fan_fest_hall`, `awards_stage` or `festival_showcase`.
    pub venue: String,
    /// Up to three colours, `"#rrggbb"`: main, second, accent.
    pub palette: Vec<String>,
    /// `stars`, `hearts`, `circles`, `bars` or `diamonds`.
    pub motif: String,
    /// What the chorus and the dance break set off: `confetti`, `pyro` or `none`.
    pub burst: String,
    /// Choreographed moves at beats.
    pub moves: Vec<CuedMoveFile>,
    /// Where the dancers stand from a beat on: (x from -1 to 1, depth from 0 to 1) each.
    pub formations: Vec<FormationFile>,
    /// Where the dancers face from a beat on: `front`, `left`, `right` or `back`.
    pub facing: Vec<FacingFile>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuedMoveFile {
    pub beat: f64,
    #[serde(rename = "move")]
    pub dance: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormationFile {
    pub beat: f64,
    pub positions: Vec<(f32, f32)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacingFile {
    pub beat: f64,
    pub facing: String,
}

/// One way of splitting the song between `members` members.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartsFile {
    pub members: u8,
    pub lines: Vec<PartLineFile>,
}

/// From beat `from` up to beat `to`, `who` plays: `"1"`, `"1+3"` or `"all"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartLineFile {
    pub from: f64,
    pub to: f64,
    pub who: String,
    /// What the stretch is called on the results ("verse 1"); beats when left out.
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Translit {
    pub title: String,
    pub subtitle: String,
    pub artist: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Credits {
    pub composer: String,
    pub lyricist: String,
    pub arranger: String,
    pub producer: String,
    pub choreographer: String,
}

/// The stretch of the song the song list plays as a preview, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preview {
    pub start: f64,
    pub length: f64,
}

impl Default for Preview {
    fn default() -> Self {
        Self {
            start: 0.0,
            length: 15.0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimingFile {
    /// Seconds into the audio where beat 0 falls.
    #[serde(default)]
    pub offset: f64,
    pub bpms: Vec<BpmChange>,
    #[serde(default)]
    pub stops: Vec<Stop>,
    /// Pauses whose own beat's notes come after them, as `.ssc` files have.
    #[serde(default)]
    pub delays: Vec<Delay>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartFile {
    pub difficulty: String,
    /// The author's own difficulty number.
    pub meter: u32,
    pub lanes: u8,
    /// Who wrote the chart, when it is not the level's author.
    #[serde(default)]
    pub author: String,
    /// Measures of four beats; each is a list of rows of equal length in time, each row a
    /// string with one character per lane.
    #[serde(default)]
    pub measures: Vec<Vec<String>>,
    /// Notes placed one by one, in time order.
    #[serde(default)]
    pub notes: Vec<NoteFile>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteFile {
    pub beat: f64,
    pub lane: u8,
    #[serde(default)]
    pub kind: NoteFileKind,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum NoteFileKind {
    #[default]
    Tap,
    /// Held for `length` beats.
    Hold {
        length: f64,
    },
    /// Tapped again and again for `length` beats.
    Roll {
        length: f64,
    },
    Mine,
}

/// Characters of a measure row.
pub mod row {
    pub const EMPTY: char = '0';
    pub const TAP: char = '1';
    pub const HOLD_HEAD: char = '2';
    /// Ends a hold or a roll.
    pub const HOLD_TAIL: char = '3';
    pub const ROLL_HEAD: char = '4';
    pub const MINE: char = 'M';
}

#[cfg(test)]
mod prompt_tests {
    use super::*;

    fn prompt(beat: f64, text: &str) -> Prompt {
        Prompt {
            beat,
            text: text.into(),
            translations: [("ko".to_string(), format!("{text} (ko)"))].into(),
        }
    }

    #[test]
    fn a_prompt_shows_until_the_next_or_for_eight_beats() {
        let prompts = [
            prompt(4.0, "taps"),
            prompt(8.0, "holds"),
            prompt(30.0, "mines"),
        ];
        let at = |beat| prompt_at(&prompts, beat).map(|p| p.text.as_str());
        assert_eq!(at(3.9), None, "nothing before the first");
        assert_eq!(at(4.0), Some("taps"));
        assert_eq!(at(7.9), Some("taps"));
        assert_eq!(at(8.0), Some("holds"));
        assert_eq!(at(15.9), Some("holds"));
        assert_eq!(at(16.0), None, "eight beats, then gone");
        assert_eq!(at(31.0), Some("mines"));
        assert_eq!(prompts[0].text_in("ko"), "taps (ko)");
        assert_eq!(
            prompts[0].text_in("fr"),
            "taps",
            "the level's own words otherwise"
        );
    }
}
