//! The song sheet format: what a track is made of, written by hand in RON.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::diagnostic::{Diagnostic, Position, from_ron_error};
use crate::core::level::spans;
use crate::core::timing::{BpmChange, TimingMap};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SongSheet {
    pub bpm: f64,
    /// Later tempos: from the start of `bar` (counted from 0) the song plays at `bpm`.
    #[serde(default)]
    pub tempo_changes: Vec<TempoChange>,
    /// The key, such as `"A minor"` or `"F# major"`: chords outside it are pointed out.
    #[serde(default)]
    pub key: String,
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
    /// How the parts are mixed.
    #[serde(default)]
    pub mix: MixSettings,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TempoChange {
    pub bar: u32,
    pub bpm: f64,
}

/// The names of the parts a mix can set.
pub const PART_NAMES: [&str; 7] = ["kick", "snare", "hat", "bass", "pad", "lead", "vocal"];

/// The mix: per part level, place and reverb, the reverb itself and the bus compressor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MixSettings {
    /// By part name (`kick`, `snare`, `hat`, `bass`, `pad`, `lead`, `vocal`).
    pub parts: std::collections::BTreeMap<String, PartMix>,
    pub reverb: ReverbSettings,
    pub compression: CompressionSettings,
}

impl MixSettings {
    /// A part's settings: the sheet's own, else the part's defaults.
    pub fn part(&self, name: &str) -> PartMix {
        self.parts
            .get(name)
            .copied()
            .unwrap_or_else(|| PartMix::default_for(name))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartMix {
    /// Level in dB.
    #[serde(default)]
    pub gain: f32,
    /// -1 left to 1 right, added to where the part's own voices sit.
    #[serde(default)]
    pub pan: f32,
    /// Share sent to the reverb, 0 to 1.
    #[serde(default)]
    pub reverb: f32,
}

impl PartMix {
    /// Some room on the sustained parts and the snare; the low end and hats stay dry.
    pub fn default_for(name: &str) -> Self {
        let reverb = match name {
            "pad" => 0.3,
            "vocal" => 0.35,
            "lead" => 0.2,
            "snare" => 0.12,
            _ => 0.0,
        };
        Self {
            gain: 0.0,
            pan: 0.0,
            reverb,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReverbSettings {
    /// Room size, 0 to 1.
    pub size: f32,
    /// How quickly high frequencies die away, 0 to 1.
    pub damping: f32,
}

impl Default for ReverbSettings {
    fn default() -> Self {
        Self {
            size: 0.6,
            damping: 0.45,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CompressionSettings {
    /// Level in dBFS above which the bus is turned down.
    pub threshold: f32,
    /// How much: 4 means 4 dB over the threshold comes out as 1.
    pub ratio: f32,
    pub attack_ms: f32,
    pub release_ms: f32,
}

impl Default for CompressionSettings {
    fn default() -> Self {
        Self {
            threshold: -16.0,
            ratio: 2.5,
            attack_ms: 8.0,
            release_ms: 150.0,
        }
    }
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

    /// The song's tempo map; bars are four beats.
    pub fn timing(&self) -> TimingMap {
        TimingMap::new(self.offset, &self.bpm_changes(), &[])
    }

    /// The BPM changes a level playing this sheet should have, beat by beat.
    pub fn bpm_changes(&self) -> Vec<BpmChange> {
        let mut bpms = vec![BpmChange {
            beat: 0.0,
            bpm: self.bpm,
        }];
        bpms.extend(self.tempo_changes.iter().map(|c| BpmChange {
            beat: f64::from(c.bar) * 4.0,
            bpm: c.bpm,
        }));
        bpms
    }

    /// Song length in seconds, with two beats of tail for the last notes to ring out.
    pub fn length(&self) -> f64 {
        self.timing()
            .time_at_beat(f64::from(self.total_bars()) * 4.0 + 2.0)
    }
}

/// Songs that would render for longer than this are refused: ten minutes is no dance track.
pub const MAX_SONG_SECONDS: f64 = 600.0;

/// Reads and checks a song sheet; every problem names the line and column it is about.
pub fn read_sheet(path: &Path) -> Result<SongSheet, Diagnostic> {
    read_sheet_with_warnings(path).map(|(sheet, _)| sheet)
}

/// Pitch classes of a key such as `"A minor"`; a minor key also allows its raised seventh, as
/// harmonic minor's dominant chord needs it.
pub fn key_scale(key: &str) -> Option<Vec<i32>> {
    let (tonic, mode) = key.trim().split_once(' ')?;
    let root = parse_chord(tonic)?.first().copied()? - 60;
    let steps: &[i32] = match mode.trim() {
        "major" => &[0, 2, 4, 5, 7, 9, 11],
        "minor" => &[0, 2, 3, 5, 7, 8, 10, 11],
        _ => return None,
    };
    Some(steps.iter().map(|s| (root + s).rem_euclid(12)).collect())
}

fn note_name(pitch_class: i32) -> &'static str {
    [
        "C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B",
    ][pitch_class.rem_euclid(12) as usize]
}

/// Reads and checks a song sheet, with warnings for what is allowed but probably unmeant
/// (chords outside the key).
pub fn read_sheet_with_warnings(path: &Path) -> Result<(SongSheet, Vec<Diagnostic>), Diagnostic> {
    let mut warnings = Vec::new();
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
    let mut previous_bar = 0;
    for (i, change) in sheet.tempo_changes.iter().enumerate() {
        let here = at("tempo_changes", Some(i));
        if !(change.bpm > 0.0 && change.bpm < 1000.0) {
            return error(
                here,
                format!(
                    "the tempo must be above 0 and below 1000 BPM, not {}",
                    change.bpm
                ),
            );
        }
        if change.bar <= previous_bar {
            return error(
                here,
                "tempo changes go in bar order, after bar 0 (where `bpm` is the tempo)".into(),
            );
        }
        previous_bar = change.bar;
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
    for (name, part) in &sheet.mix.parts {
        let position = tree
            .as_ref()
            .and_then(|t| t.field("mix"))
            .and_then(|m| m.field("parts"))
            .and_then(|parts| match &parts.node {
                spans::Node::Map(entries) => entries
                    .iter()
                    .find(|(key, _)| key.node == spans::Node::Str(name.clone()))
                    .map(|(key, _)| key.at),
                _ => None,
            });
        if !PART_NAMES.contains(&name.as_str()) {
            return error(
                position,
                format!(
                    "there is no part `{name}` to mix; the parts are {}",
                    PART_NAMES.join(", ")
                ),
            );
        }
        let in_range = part.gain.is_finite()
            && part.gain <= 12.0
            && (-1.0..=1.0).contains(&part.pan)
            && (0.0..=1.0).contains(&part.reverb);
        if !in_range {
            return error(
                position,
                format!("`{name}`: gain at most 12 dB, pan from -1 to 1, reverb from 0 to 1"),
            );
        }
    }
    let compression = sheet.mix.compression;
    if !(compression.ratio >= 1.0 && compression.attack_ms > 0.0 && compression.release_ms > 0.0) {
        return error(
            at("mix", None),
            "compression needs a ratio of 1 or more and attack and release above 0 ms".into(),
        );
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
    if !sheet.key.is_empty() {
        let Some(scale) = key_scale(&sheet.key) else {
            return error(
                at("key", None),
                format!(
                    "`{}` is not a key; write a note and `major` or `minor`, like \"A minor\"",
                    sheet.key
                ),
            );
        };
        for (i, chord) in sheet.chords.iter().enumerate() {
            let outside: Vec<&str> = parse_chord(chord)
                .unwrap_or_default()
                .iter()
                .filter(|note| !scale.contains(&note.rem_euclid(12)))
                .map(|note| note_name(*note))
                .collect();
            if !outside.is_empty() {
                warnings.push(Diagnostic::warning(
                    path,
                    at("chords", Some(i)),
                    format!(
                        "`{chord}` has {} outside {}: fine if it is borrowed on purpose",
                        outside.join(" and "),
                        sheet.key
                    ),
                ));
            }
        }
    }
    Ok((sheet, warnings))
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

#[cfg(test)]
mod mix_tests {
    use super::*;

    fn check(text: &str) -> Result<SongSheet, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("song.ron");
        std::fs::write(&path, text).unwrap();
        read_sheet(&path)
    }

    const BASE: &str = "(bpm: 120.0, chords: [\"Am\"], sections: [(bars: 2, layers: [pad, drums])],\n kick: \"x...\", snare: \"..x.\", hat: \"\", bass: \"\", lead: \"\",\n mix: (parts: {\"kick\": (gain: -3.0), MIX}))";

    #[test]
    fn a_mix_sets_parts_and_keeps_defaults_for_the_rest() {
        let sheet = check(&BASE.replace(", MIX", "")).unwrap();
        assert_eq!(sheet.mix.part("kick").gain, -3.0);
        assert_eq!(sheet.mix.part("pad"), PartMix::default_for("pad"));
    }

    #[test]
    fn an_unknown_part_or_a_wild_value_is_pointed_at() {
        let error = check(&BASE.replace("MIX", "\"flute\": (gain: 0.0)")).unwrap_err();
        assert!(error.message.contains("no part `flute`"), "{error}");
        assert_eq!(error.position.map(|p| (p.line, p.column)), Some((3, 38)));
        let error = check(&BASE.replace("MIX", "\"pad\": (reverb: 3.0)")).unwrap_err();
        assert!(error.message.contains("reverb from 0 to 1"), "{error}");
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;

    fn check(key: &str, chords: &str) -> Result<(SongSheet, Vec<Diagnostic>), Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("song.ron");
        let text = format!(
            "(key: \"{key}\", bpm: 100.0, chords: [{chords}], sections: [(bars: 1, layers: [pad])],\n kick: \"\", snare: \"\", hat: \"\", bass: \"\", lead: \"\")"
        );
        std::fs::write(&path, text).unwrap();
        read_sheet_with_warnings(&path)
    }

    #[test]
    fn keys_name_their_scales() {
        assert_eq!(key_scale("C major"), Some(vec![0, 2, 4, 5, 7, 9, 11]));
        assert_eq!(key_scale("A minor").unwrap().len(), 8);
        assert_eq!(key_scale("F# major").unwrap()[0], 6);
        assert_eq!(key_scale("H minor"), None);
        assert_eq!(key_scale("C dorian"), None);
    }

    #[test]
    fn chords_outside_the_key_are_pointed_out_but_allowed() {
        // E major is the dominant of A minor: its G# is the raised seventh.
        let (_, warnings) = check("A minor", "\"Am\", \"Dm\", \"E\", \"F\"").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let (_, warnings) = check("A minor", "\"Am\", \"Eb\"").unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.contains("Eb and Bb outside A minor"),
            "{}",
            warnings[0]
        );
        assert_eq!(
            warnings[0].position.map(|p| (p.line, p.column)),
            Some((1, 45))
        );
        let error = check("A mollusc", "\"Am\"").unwrap_err();
        assert!(error.message.contains("is not a key"), "{error}");
    }
}
