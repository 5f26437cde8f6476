//! The song sheet format: what a track is made of, written by hand in RON. A sheet names its
//! tempo, time signature and key, its drum grooves and melodic lines, and an arrangement of
//! sections (intro, verse, chorus...) that play them; sections can repeat an earlier one with
//! changes. Everything is checked here, each problem with the line and column it is about.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Position, from_ron_error};
use crate::level::spans::{self, Spanned};
use crate::timing::{BpmChange, TimingMap};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SongSheet {
    pub bpm: f64,
    /// Later tempos: from the start of `bar` (counted from 0) the song plays at `bpm`.
    #[serde(default)]
    pub tempo_changes: Vec<TempoChange>,
    /// Beats to a bar and the note that is one beat: `(4, 4)`, `(3, 4)`, `(6, 8)`. The tempo
    /// always counts quarter notes.
    #[serde(default = "four_four")]
    pub time_signature: (u32, u32),
    /// The key, such as `"A minor"` or `"F# major"`: chords outside it are pointed out.
    #[serde(default)]
    pub key: String,
    /// Seconds of silence before beat 0; the level's `timing.offset` must match it.
    #[serde(default)]
    pub offset: f64,
    /// The chords of sections that name none: one per bar, repeated.
    #[serde(default)]
    pub chords: Vec<String>,
    /// How each part sounds, by part name; parts left out keep their own sound.
    #[serde(default)]
    pub instruments: BTreeMap<String, Instrument>,
    /// Drum patterns by name, for sections to play as their groove or fill.
    #[serde(default)]
    pub grooves: BTreeMap<String, Groove>,
    /// Melodic lines by name (bass lines, chord stabs, leads and sung hooks).
    #[serde(default)]
    pub lines: BTreeMap<String, Line>,
    /// The arrangement, in order.
    pub sections: Vec<Section>,
    /// How the parts are mixed.
    #[serde(default)]
    pub mix: MixSettings,
}

fn four_four() -> (u32, u32) {
    (4, 4)
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TempoChange {
    pub bar: u32,
    pub bpm: f64,
}

/// A drum pattern. Each part's string has one character a step (a sixteenth note); `|`
/// separates bars, and a pattern shorter than its section repeats.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Groove {
    /// `x` hit.
    pub kick: String,
    /// `x` hit, `g` ghost note.
    pub snare: String,
    /// `x` hit.
    pub clap: String,
    /// `x` closed, `o` open.
    pub hat: String,
    /// `h`, `m`, `l` high, mid and low tom, `r` rim, `s` shaker.
    pub perc: String,
}

/// A melodic line. `notes` has one character a step: a digit plays that tone of the bar's
/// chord counting up from the root (past the chord's last tone it goes on an octave higher),
/// `x` plays the root (for a bass) or the whole chord (for stabs), `-` holds the note on, `.`
/// rests and `|` separates bars.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub notes: String,
    /// For a sung line, the vowels its notes sing in turn: letters of `aeiou`.
    #[serde(default)]
    pub vowels: String,
    /// Octaves up (or down, negative) from the part's own register.
    #[serde(default)]
    pub octave: i32,
}

/// The K-pop song form's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Intro,
    Verse,
    PreChorus,
    Chorus,
    PostChorus,
    Bridge,
    DanceBreak,
    Outro,
}

impl SectionKind {
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Intro => "intro",
            SectionKind::Verse => "verse",
            SectionKind::PreChorus => "pre_chorus",
            SectionKind::Chorus => "chorus",
            SectionKind::PostChorus => "post_chorus",
            SectionKind::Bridge => "bridge",
            SectionKind::DanceBreak => "dance_break",
            SectionKind::Outro => "outro",
        }
    }
}

/// One section of the arrangement. `like` starts from the last section of that kind and
/// changes only what this one names, so a second chorus is `(like: chorus)` and a key change
/// up for the last is `(like: chorus, transpose: 1)`. A part given `""` is silent here.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Section {
    pub kind: Option<SectionKind>,
    pub like: Option<SectionKind>,
    pub bars: Option<u32>,
    /// One chord per bar, repeated over the section.
    pub chords: Option<Vec<String>>,
    /// The groove the drums play.
    pub drums: Option<String>,
    /// A groove played instead on the section's last bar.
    pub fill: Option<String>,
    pub bass: Option<String>,
    /// Whether the pad holds each bar's chord.
    pub pad: Option<bool>,
    pub stabs: Option<String>,
    pub lead: Option<String>,
    pub vocal: Option<String>,
    /// Semitones every pitched part moves by: a key change.
    pub transpose: Option<i32>,
}

/// A section with everything it inherits filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Arranged {
    pub kind: SectionKind,
    /// Where the section starts, counted in bars from 0.
    pub first_bar: u32,
    pub bars: u32,
    pub chords: Vec<String>,
    pub drums: String,
    pub fill: String,
    pub bass: String,
    pub pad: bool,
    pub stabs: String,
    pub lead: String,
    pub vocal: String,
    pub transpose: i32,
}

/// The names of the parts instruments and the mix can set.
pub const PART_NAMES: [&str; 10] = [
    "kick", "snare", "clap", "hat", "perc", "bass", "pad", "stabs", "lead", "vocal",
];

/// An oscillator's wave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Wave {
    Sine,
    Triangle,
    Saw,
    Square,
    Pulse,
}

/// How a part sounds. Every setting is optional and falls back to the part's own sound; each
/// part uses the settings that mean something for it (docs/song-sheet.md lists which).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Instrument {
    pub wave: Option<Wave>,
    /// Low-pass filter cutoff in Hz.
    pub cutoff: Option<f32>,
    /// Filter resonance, 0 to 1.
    pub resonance: Option<f32>,
    /// Seconds to full level.
    pub attack: Option<f32>,
    /// Seconds a hit or pluck takes to die away.
    pub decay: Option<f32>,
    /// Seconds a note rings on after it ends.
    pub release: Option<f32>,
    /// Cents between the two detuned oscillators of a pad or lead.
    pub detune: Option<f32>,
    /// Semitones up or down: a drum's pitch or a part's register.
    pub tune: Option<f32>,
    /// Vibrato depth, 0 to 1.
    pub vibrato: Option<f32>,
    /// Breath in a voice, 0 to 1.
    pub breath: Option<f32>,
    /// A voice's brightness (its formants moved up), 0 to 1.
    pub brightness: Option<f32>,
}

/// An instrument with every setting decided.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sound {
    pub wave: Wave,
    pub cutoff: f32,
    pub resonance: f32,
    pub attack: f32,
    pub decay: f32,
    pub release: f32,
    pub detune: f32,
    pub tune: f32,
    pub vibrato: f32,
    pub breath: f32,
    pub brightness: f32,
}

impl Sound {
    /// A part's own sound, before a sheet changes it.
    pub fn default_for(part: &str) -> Self {
        let base = Sound {
            wave: Wave::Saw,
            cutoff: 2000.0,
            resonance: 0.2,
            attack: 0.005,
            decay: 0.3,
            release: 0.1,
            detune: 0.0,
            tune: 0.0,
            vibrato: 0.0,
            breath: 0.0,
            brightness: 0.5,
        };
        match part {
            "kick" => Sound { decay: 0.3, ..base },
            "snare" | "clap" => Sound {
                cutoff: 5000.0,
                decay: 0.18,
                ..base
            },
            "hat" => Sound {
                cutoff: 7000.0,
                decay: 0.05,
                ..base
            },
            "perc" => Sound { decay: 0.2, ..base },
            "bass" => Sound {
                cutoff: 600.0,
                resonance: 0.3,
                decay: 0.25,
                release: 0.04,
                ..base
            },
            "pad" => Sound {
                cutoff: 1800.0,
                attack: 0.25,
                release: 0.5,
                detune: 12.0,
                ..base
            },
            "stabs" => Sound {
                wave: Wave::Square,
                cutoff: 2500.0,
                attack: 0.003,
                decay: 0.2,
                release: 0.08,
                detune: 8.0,
                ..base
            },
            "lead" => Sound {
                wave: Wave::Pulse,
                cutoff: 3000.0,
                attack: 0.01,
                decay: 0.6,
                release: 0.15,
                vibrato: 0.3,
                ..base
            },
            "vocal" => Sound {
                attack: 0.04,
                release: 0.12,
                vibrato: 0.5,
                breath: 0.2,
                ..base
            },
            _ => base,
        }
    }

    fn with(self, settings: &Instrument) -> Self {
        Sound {
            wave: settings.wave.unwrap_or(self.wave),
            cutoff: settings.cutoff.unwrap_or(self.cutoff),
            resonance: settings.resonance.unwrap_or(self.resonance),
            attack: settings.attack.unwrap_or(self.attack),
            decay: settings.decay.unwrap_or(self.decay),
            release: settings.release.unwrap_or(self.release),
            detune: settings.detune.unwrap_or(self.detune),
            tune: settings.tune.unwrap_or(self.tune),
            vibrato: settings.vibrato.unwrap_or(self.vibrato),
            breath: settings.breath.unwrap_or(self.breath),
            brightness: settings.brightness.unwrap_or(self.brightness),
        }
    }
}

impl Instrument {
    /// The first setting out of its range, with the range, if any.
    fn out_of_range(&self) -> Option<String> {
        let checks = [
            ("cutoff", self.cutoff, 20.0, 20_000.0, "Hz"),
            ("resonance", self.resonance, 0.0, 1.0, ""),
            ("attack", self.attack, 0.0, 2.0, "s"),
            ("decay", self.decay, 0.01, 4.0, "s"),
            ("release", self.release, 0.0, 4.0, "s"),
            ("detune", self.detune, 0.0, 100.0, "cents"),
            ("tune", self.tune, -24.0, 24.0, "semitones"),
            ("vibrato", self.vibrato, 0.0, 1.0, ""),
            ("breath", self.breath, 0.0, 1.0, ""),
            ("brightness", self.brightness, 0.0, 1.0, ""),
        ];
        checks
            .into_iter()
            .find_map(|(name, value, low, high, unit)| {
                let value = value?;
                (!(low..=high).contains(&value))
                    .then(|| format!("`{name}` goes from {low} to {high} {unit}, not {value}"))
            })
    }
}

/// The mix: per part level, place and reverb, the reverb itself and the bus compressor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MixSettings {
    /// By part name.
    pub parts: BTreeMap<String, PartMix>,
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
            "stabs" => 0.15,
            "snare" | "clap" => 0.12,
            "perc" => 0.1,
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
    /// Room size, 0 to 1 (10 to 30 metres).
    pub size: f32,
    /// Seconds the tail takes to die away by 60 dB.
    pub time: f32,
    /// How quickly high frequencies die away, 0 to 1.
    pub damping: f32,
}

impl Default for ReverbSettings {
    fn default() -> Self {
        Self {
            size: 0.6,
            time: 1.8,
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

impl SongSheet {
    /// Sixteenth-note steps in a bar.
    pub fn steps_per_bar(&self) -> usize {
        let (beats, unit) = self.time_signature;
        (beats * 16 / unit.max(1)) as usize
    }

    /// Quarter-note beats in a bar.
    pub fn beats_per_bar(&self) -> f64 {
        self.steps_per_bar() as f64 / 4.0
    }

    /// A part's sound: its own, changed by the sheet's `instruments`.
    pub fn sound(&self, part: &str) -> Sound {
        let own = Sound::default_for(part);
        self.instruments
            .get(part)
            .map_or(own, |settings| own.with(settings))
    }

    /// The sections with what they inherit filled in. Assumes a checked sheet: a `like` with
    /// nothing to copy starts from silence.
    pub fn arrangement(&self) -> Vec<Arranged> {
        let mut out: Vec<Arranged> = Vec::new();
        let mut first_bar = 0;
        for section in &self.sections {
            let base = section
                .like
                .and_then(|kind| out.iter().rev().find(|a| a.kind == kind).cloned());
            let mut arranged = base.unwrap_or(Arranged {
                kind: SectionKind::Verse,
                first_bar: 0,
                bars: 1,
                chords: self.chords.clone(),
                drums: String::new(),
                fill: String::new(),
                bass: String::new(),
                pad: false,
                stabs: String::new(),
                lead: String::new(),
                vocal: String::new(),
                transpose: 0,
            });
            arranged.first_bar = first_bar;
            let set = |target: &mut String, value: &Option<String>| {
                if let Some(value) = value {
                    target.clone_from(value);
                }
            };
            if let Some(kind) = section.kind {
                arranged.kind = kind;
            }
            if let Some(bars) = section.bars {
                arranged.bars = bars;
            }
            if let Some(chords) = &section.chords {
                arranged.chords.clone_from(chords);
            }
            set(&mut arranged.drums, &section.drums);
            set(&mut arranged.fill, &section.fill);
            set(&mut arranged.bass, &section.bass);
            set(&mut arranged.stabs, &section.stabs);
            set(&mut arranged.lead, &section.lead);
            set(&mut arranged.vocal, &section.vocal);
            if let Some(pad) = section.pad {
                arranged.pad = pad;
            }
            if let Some(transpose) = section.transpose {
                arranged.transpose = transpose;
            }
            first_bar = first_bar.saturating_add(arranged.bars);
            out.push(arranged);
        }
        out
    }

    pub fn total_bars(&self) -> u32 {
        self.arrangement()
            .iter()
            .fold(0u32, |total, s| total.saturating_add(s.bars))
    }

    /// The song's tempo map.
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
            beat: f64::from(c.bar) * self.beats_per_bar(),
            bpm: c.bpm,
        }));
        bpms
    }

    /// Song length in seconds, with two beats of tail for the last notes to ring out.
    pub fn length(&self) -> f64 {
        self.timing()
            .time_at_beat(f64::from(self.total_bars()) * self.beats_per_bar() + 2.0)
    }
}

/// The bars of a pattern: split at `|`, each bar's steps as characters.
pub fn pattern_bars(pattern: &str) -> Vec<Vec<char>> {
    if pattern.trim().is_empty() {
        return Vec::new();
    }
    pattern
        .split('|')
        .map(|bar| bar.chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}

/// Songs that would render for longer than this are refused: ten minutes is no dance track.
pub const MAX_SONG_SECONDS: f64 = 600.0;
/// No song has more bars than this: ten minutes of one-beat bars at 999 BPM.
pub const MAX_BARS: u32 = 10_000;

/// Reads and checks a song sheet; every problem names the line and column it is about.
pub fn read_sheet(path: &Path) -> Result<SongSheet, Diagnostic> {
    read_sheet_with_warnings(path).map(|(sheet, _)| sheet)
}

/// One step on the way to a value in the sheet, to say where a problem is.
#[derive(Clone, Copy)]
enum Step<'a> {
    Field(&'a str),
    Index(usize),
    /// The value under a map key.
    Key(&'a str),
}

/// The position of the deepest value along `steps` that the sheet has.
fn locate(tree: Option<&Spanned>, steps: &[Step]) -> Option<Position> {
    let mut node = tree?;
    for step in steps {
        let next = match step {
            Step::Field(name) => node.field(name),
            Step::Index(i) => node.index(*i),
            Step::Key(key) => map_entry(node, key).map(|(_, value)| value),
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    Some(node.at)
}

fn map_entry<'a>(node: &'a Spanned, key: &str) -> Option<(&'a Spanned, &'a Spanned)> {
    match &node.node {
        spans::Node::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.node == spans::Node::Str(key.to_string()))
            .map(|(k, v)| (k, v)),
        _ => None,
    }
}

/// Where a map key is written: `{"flute": ...}` points at `"flute"`.
fn key_position(tree: Option<&Spanned>, steps: &[Step], key: &str) -> Option<Position> {
    let mut node = tree?;
    for step in steps {
        node = match step {
            Step::Field(name) => node.field(name)?,
            Step::Index(i) => node.index(*i)?,
            Step::Key(k) => map_entry(node, k)?.1,
        };
    }
    map_entry(node, key).map(|(k, _)| k.at)
}

/// The position of character `index` inside a one-line string written at `at`.
fn char_position(at: Option<Position>, index: usize) -> Option<Position> {
    at.map(|p| Position::new(p.line, p.column + 1 + index))
}

/// Which characters a drum part's steps may use, besides `.` and `|`.
fn drum_steps(part: &str) -> &'static str {
    match part {
        "snare" => "xg",
        "hat" => "xo",
        "perc" => "hmlrs",
        _ => "x",
    }
}

/// Reads and checks a song sheet, with warnings for what is allowed but probably unmeant
/// (chords outside the key, grooves and lines nothing plays).
pub fn read_sheet_with_warnings(path: &Path) -> Result<(SongSheet, Vec<Diagnostic>), Diagnostic> {
    let text = read_sheet_text(path)?;
    parse_sheet_with_warnings(path, &text)
}

/// The text of a song sheet, refused before reading when it is no regular file or too large.
pub fn read_sheet_text(path: &Path) -> Result<String, Diagnostic> {
    crate::user_file::read_existing_text(path, crate::user_file::MAX_TEXT_BYTES, "the song sheet")
}

/// Parses and checks the text of the song sheet at `path`.
pub fn parse_sheet_with_warnings(
    path: &Path,
    text: &str,
) -> Result<(SongSheet, Vec<Diagnostic>), Diagnostic> {
    // Optional settings are written bare (`cutoff: 800.0`), not as `Some(800.0)`.
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let sheet: SongSheet = options
        .from_str(text)
        .map_err(|e| from_ron_error(path, &e))?;
    let tree = spans::parse(text);
    let mut checker = Checker {
        path,
        tree: tree.as_ref(),
        sheet: &sheet,
        warnings: Vec::new(),
    };
    checker.check()?;
    let warnings = checker.warnings;
    Ok((sheet, warnings))
}

struct Checker<'a> {
    path: &'a Path,
    tree: Option<&'a Spanned>,
    sheet: &'a SongSheet,
    warnings: Vec<Diagnostic>,
}

type Checked = Result<(), Diagnostic>;

impl Checker<'_> {
    fn at(&self, steps: &[Step]) -> Option<Position> {
        locate(self.tree, steps)
    }

    fn fail(&self, steps: &[Step], message: String) -> Checked {
        Err(Diagnostic::error(self.path, self.at(steps), message))
    }

    fn check(&mut self) -> Checked {
        self.check_tempo()?;
        self.check_grooves()?;
        self.check_lines()?;
        self.check_sections()?;
        self.check_instruments()?;
        self.check_mix()?;
        let sheet = self.sheet;
        if sheet.length() > MAX_SONG_SECONDS {
            return self.fail(
                &[Step::Field("sections")],
                format!(
                    "the song would last {:.0} minutes; songs are limited to {:.0} minutes",
                    sheet.length() / 60.0,
                    MAX_SONG_SECONDS / 60.0
                ),
            );
        }
        self.check_key()?;
        self.check_unused();
        Ok(())
    }

    fn check_tempo(&self) -> Checked {
        let sheet = self.sheet;
        let tempo_ok = |bpm: f64| bpm > 0.0 && bpm < 1000.0;
        if !tempo_ok(sheet.bpm) {
            return self.fail(
                &[Step::Field("bpm")],
                format!(
                    "the tempo must be above 0 and below 1000 BPM, not {}",
                    sheet.bpm
                ),
            );
        }
        let mut previous_bar = 0;
        for (i, change) in sheet.tempo_changes.iter().enumerate() {
            let here = [Step::Field("tempo_changes"), Step::Index(i)];
            if !tempo_ok(change.bpm) {
                return self.fail(
                    &here,
                    format!(
                        "the tempo must be above 0 and below 1000 BPM, not {}",
                        change.bpm
                    ),
                );
            }
            if change.bar <= previous_bar {
                return self.fail(
                    &here,
                    "tempo changes go in bar order, after bar 0 (where `bpm` is the tempo)".into(),
                );
            }
            if change.bar >= MAX_BARS {
                return self.fail(
                    &here,
                    format!(
                        "a tempo change at bar {} is past the longest song ({MAX_BARS} bars)",
                        change.bar
                    ),
                );
            }
            previous_bar = change.bar;
        }
        let (beats, unit) = sheet.time_signature;
        if !((1..=16).contains(&beats) && (unit == 4 || unit == 8)) {
            return self.fail(
                &[Step::Field("time_signature")],
                format!(
                    "a time signature is 1 to 16 beats of quarter (4) or eighth (8) notes, not {beats}/{unit}"
                ),
            );
        }
        if !(sheet.offset >= 0.0 && sheet.offset.is_finite()) {
            return self.fail(
                &[Step::Field("offset")],
                "the offset must be 0 seconds or more".into(),
            );
        }
        Ok(())
    }

    fn check_grooves(&self) -> Checked {
        let steps = self.sheet.steps_per_bar();
        for (name, groove) in &self.sheet.grooves {
            for (part, pattern) in [
                ("kick", &groove.kick),
                ("snare", &groove.snare),
                ("clap", &groove.clap),
                ("hat", &groove.hat),
                ("perc", &groove.perc),
            ] {
                let here = [Step::Field("grooves"), Step::Key(name), Step::Field(part)];
                self.check_pattern(&here, pattern, drum_steps(part), steps, part)?;
            }
        }
        Ok(())
    }

    /// Every character is allowed and no bar has more steps than the time signature gives.
    fn check_pattern(
        &self,
        here: &[Step],
        pattern: &str,
        allowed: &str,
        steps: usize,
        part: &str,
    ) -> Checked {
        let at = self.at(here);
        for (i, c) in pattern.chars().enumerate() {
            if !(allowed.contains(c) || ".| ".contains(c)) {
                return Err(Diagnostic::error(
                    self.path,
                    char_position(at, i),
                    format!(
                        "`{c}` is not a step of the {part}: use {}, `.` to rest and `|` between bars",
                        allowed
                            .chars()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        for (bar, bar_steps) in pattern_bars(pattern).iter().enumerate() {
            if bar_steps.len() > steps {
                let (beats, unit) = self.sheet.time_signature;
                return Err(Diagnostic::error(
                    self.path,
                    at,
                    format!(
                        "bar {} of this {part} pattern has {} steps; a bar of {beats}/{unit} has {steps}",
                        bar + 1,
                        bar_steps.len()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_lines(&self) -> Checked {
        let steps = self.sheet.steps_per_bar();
        for (name, line) in &self.sheet.lines {
            let here = [Step::Field("lines"), Step::Key(name), Step::Field("notes")];
            self.check_pattern(&here, &line.notes, "0123456789x-", steps, "line")?;
            if let Some(i) = line.vowels.chars().position(|c| !"aeiou".contains(c)) {
                let at = self.at(&[Step::Field("lines"), Step::Key(name), Step::Field("vowels")]);
                return Err(Diagnostic::error(
                    self.path,
                    char_position(at, i),
                    String::from("vowels are letters of `aeiou`"),
                ));
            }
            if !(-3..=3).contains(&line.octave) {
                return self.fail(
                    &[Step::Field("lines"), Step::Key(name), Step::Field("octave")],
                    format!("a line moves at most 3 octaves, not {}", line.octave),
                );
            }
        }
        Ok(())
    }

    fn check_sections(&self) -> Checked {
        let sheet = self.sheet;
        if sheet.sections.is_empty() {
            return self.fail(
                &[Step::Field("sections")],
                "a song needs at least one section".into(),
            );
        }
        for (i, chord) in sheet.chords.iter().enumerate() {
            self.check_chord(&[Step::Field("chords"), Step::Index(i)], chord)?;
        }
        let arrangement = sheet.arrangement();
        for (i, (section, arranged)) in sheet.sections.iter().zip(&arrangement).enumerate() {
            let field = |name| [Step::Field("sections"), Step::Index(i), Step::Field(name)];
            let whole = [Step::Field("sections"), Step::Index(i)];
            if let Some(like) = section.like
                && !arrangement[..i].iter().any(|a| a.kind == like)
            {
                return self.fail(
                    &field("like"),
                    format!("there is no {} before this section to be like", like.name()),
                );
            }
            if section.kind.is_none() && section.like.is_none() {
                return self.fail(
                    &whole,
                    "a section needs a `kind` (intro, verse, pre_chorus, chorus, post_chorus, bridge, dance_break, outro) or `like`".into(),
                );
            }
            if section.bars.is_none() && section.like.is_none() {
                return self.fail(&whole, "a section needs its number of `bars`".into());
            }
            if arranged.bars == 0 {
                return self.fail(&field("bars"), "a section needs at least one bar".into());
            }
            if let Some(chords) = &section.chords {
                for (c, chord) in chords.iter().enumerate() {
                    let here = [
                        Step::Field("sections"),
                        Step::Index(i),
                        Step::Field("chords"),
                        Step::Index(c),
                    ];
                    self.check_chord(&here, chord)?;
                }
            }
            if arranged.chords.is_empty() {
                return self.fail(
                    &whole,
                    "this section has no chords: give it `chords`, or the sheet its `chords`"
                        .into(),
                );
            }
            if !(-12..=12).contains(&arranged.transpose) {
                return self.fail(
                    &field("transpose"),
                    format!(
                        "a section moves at most 12 semitones, not {}",
                        arranged.transpose
                    ),
                );
            }
            for (name, used) in [("drums", &arranged.drums), ("fill", &arranged.fill)] {
                if used.is_empty() {
                    continue;
                }
                let Some(groove) = sheet.grooves.get(used) else {
                    return self.fail(
                        &field(name),
                        format!(
                            "there is no groove `{used}`; the grooves are {}",
                            names(sheet.grooves.keys())
                        ),
                    );
                };
                let longest = [
                    &groove.kick,
                    &groove.snare,
                    &groove.clap,
                    &groove.hat,
                    &groove.perc,
                ]
                .iter()
                .map(|p| pattern_bars(p).len())
                .max()
                .unwrap_or(0);
                self.check_fits(&field(name), used, longest, arranged.bars)?;
            }
            for (name, used) in [
                ("bass", &arranged.bass),
                ("stabs", &arranged.stabs),
                ("lead", &arranged.lead),
                ("vocal", &arranged.vocal),
            ] {
                if used.is_empty() {
                    continue;
                }
                let Some(line) = sheet.lines.get(used) else {
                    return self.fail(
                        &field(name),
                        format!(
                            "there is no line `{used}`; the lines are {}",
                            names(sheet.lines.keys())
                        ),
                    );
                };
                self.check_fits(
                    &field(name),
                    used,
                    pattern_bars(&line.notes).len(),
                    arranged.bars,
                )?;
            }
        }
        Ok(())
    }

    /// A pattern may not be longer than the section that plays it.
    fn check_fits(&self, here: &[Step], name: &str, bars: usize, section_bars: u32) -> Checked {
        if bars > section_bars as usize {
            return self.fail(
                here,
                format!(
                    "`{name}` is {bars} bars long, longer than this {section_bars}-bar section"
                ),
            );
        }
        Ok(())
    }

    fn check_chord(&self, here: &[Step], chord: &str) -> Checked {
        if parse_chord(chord).is_none() {
            return self.fail(
                here,
                format!(
                    "`{chord}` is not a chord this synthesizer knows (try `Am`, `F#`, `G7`, `Cmaj7`, `Dsus4`, `Eadd9`)"
                ),
            );
        }
        Ok(())
    }

    fn check_instruments(&self) -> Checked {
        for (name, instrument) in &self.sheet.instruments {
            let key = key_position(self.tree, &[Step::Field("instruments")], name);
            if !PART_NAMES.contains(&name.as_str()) {
                return Err(Diagnostic::error(
                    self.path,
                    key,
                    format!(
                        "there is no instrument `{name}`; the parts are {}",
                        PART_NAMES.join(", ")
                    ),
                ));
            }
            if let Some(problem) = instrument.out_of_range() {
                return Err(Diagnostic::error(
                    self.path,
                    key,
                    format!("`{name}`: {problem}"),
                ));
            }
        }
        Ok(())
    }

    fn check_mix(&self) -> Checked {
        let mix = &self.sheet.mix;
        for (name, part) in &mix.parts {
            let position =
                key_position(self.tree, &[Step::Field("mix"), Step::Field("parts")], name);
            if !PART_NAMES.contains(&name.as_str()) {
                return Err(Diagnostic::error(
                    self.path,
                    position,
                    format!(
                        "there is no part `{name}` to mix; the parts are {}",
                        PART_NAMES.join(", ")
                    ),
                ));
            }
            let in_range = part.gain.is_finite()
                && part.gain <= 12.0
                && (-1.0..=1.0).contains(&part.pan)
                && (0.0..=1.0).contains(&part.reverb);
            if !in_range {
                return Err(Diagnostic::error(
                    self.path,
                    position,
                    format!("`{name}`: gain at most 12 dB, pan from -1 to 1, reverb from 0 to 1"),
                ));
            }
        }
        let reverb = mix.reverb;
        if !((0.0..=1.0).contains(&reverb.size)
            && (0.1..=10.0).contains(&reverb.time)
            && (0.0..=1.0).contains(&reverb.damping))
        {
            return self.fail(
                &[Step::Field("mix"), Step::Field("reverb")],
                "the reverb's size and damping go from 0 to 1, its time from 0.1 to 10 s".into(),
            );
        }
        let compression = mix.compression;
        if !((-60.0..=0.0).contains(&compression.threshold)
            && (1.0..=100.0).contains(&compression.ratio)
            && (0.0..=1000.0).contains(&compression.attack_ms)
            && compression.attack_ms > 0.0
            && (0.0..=10_000.0).contains(&compression.release_ms)
            && compression.release_ms > 0.0)
        {
            return self.fail(
                &[Step::Field("mix"), Step::Field("compression")],
                "compression needs a threshold from -60 to 0 dB, a ratio from 1 to 100, an attack above 0 up to 1000 ms and a release above 0 up to 10000 ms".into(),
            );
        }
        Ok(())
    }

    fn check_key(&mut self) -> Checked {
        let sheet = self.sheet;
        if sheet.key.is_empty() {
            return Ok(());
        }
        let Some(scale) = key_scale(&sheet.key) else {
            return self.fail(
                &[Step::Field("key")],
                format!(
                    "`{}` is not a key; write a note and `major` or `minor`, like \"A minor\"",
                    sheet.key
                ),
            );
        };
        let mut chords: Vec<(Vec<Step>, &String)> = sheet
            .chords
            .iter()
            .enumerate()
            .map(|(i, c)| (vec![Step::Field("chords"), Step::Index(i)], c))
            .collect();
        for (i, section) in sheet.sections.iter().enumerate() {
            // A transposed section has moved to another key on purpose.
            if section.transpose.unwrap_or(0) != 0 {
                continue;
            }
            for (c, chord) in section.chords.iter().flatten().enumerate() {
                let here = vec![
                    Step::Field("sections"),
                    Step::Index(i),
                    Step::Field("chords"),
                    Step::Index(c),
                ];
                chords.push((here, chord));
            }
        }
        for (here, chord) in chords {
            let outside: Vec<&str> = parse_chord(chord)
                .unwrap_or_default()
                .iter()
                .filter(|note| !scale.contains(&note.rem_euclid(12)))
                .map(|note| note_name(*note))
                .collect();
            if !outside.is_empty() {
                self.warnings.push(Diagnostic::warning(
                    self.path,
                    self.at(&here),
                    format!(
                        "`{chord}` has {} outside {}: fine if it is borrowed on purpose",
                        outside.join(" and "),
                        sheet.key
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Grooves and lines that no section plays are probably a typo away from being used.
    fn check_unused(&mut self) {
        let arrangement = self.sheet.arrangement();
        for name in self.sheet.grooves.keys() {
            if !arrangement
                .iter()
                .any(|a| &a.drums == name || &a.fill == name)
            {
                self.warnings.push(Diagnostic::warning(
                    self.path,
                    key_position(self.tree, &[Step::Field("grooves")], name),
                    format!("no section plays the groove `{name}`"),
                ));
            }
        }
        for name in self.sheet.lines.keys() {
            let used = arrangement
                .iter()
                .any(|a| [&a.bass, &a.stabs, &a.lead, &a.vocal].contains(&name));
            if !used {
                self.warnings.push(Diagnostic::warning(
                    self.path,
                    key_position(self.tree, &[Step::Field("lines")], name),
                    format!("no section plays the line `{name}`"),
                ));
            }
        }
    }
}

fn names<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let all: Vec<String> = keys.map(|k| format!("`{k}`")).collect();
    if all.is_empty() {
        "none yet".into()
    } else {
        all.join(", ")
    }
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
    // Intervals above the root, lowest first.
    let intervals: &[i32] = match rest.as_str() {
        "" => &[0, 4, 7],
        "m" => &[0, 3, 7],
        "dim" => &[0, 3, 6],
        "sus2" => &[0, 2, 7],
        "sus4" => &[0, 5, 7],
        "6" => &[0, 4, 7, 9],
        "m6" => &[0, 3, 7, 9],
        "7" => &[0, 4, 7, 10],
        "maj7" => &[0, 4, 7, 11],
        "m7" => &[0, 3, 7, 10],
        "add9" => &[0, 4, 7, 14],
        "madd9" => &[0, 3, 7, 14],
        "9" => &[0, 4, 7, 10, 14],
        "m9" => &[0, 3, 7, 10, 14],
        _ => return None,
    };
    Some(intervals.iter().map(|i| 60 + root + i).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<(SongSheet, Vec<Diagnostic>), Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("song.ron");
        std::fs::write(&path, text).unwrap();
        read_sheet_with_warnings(&path)
    }

    fn position(error: &Diagnostic) -> Option<(usize, usize)> {
        error.position.map(|p| (p.line, p.column))
    }

    const GOOD: &str = r#"(bpm: 120.0, key: "A minor", chords: ["Am", "F"],
 grooves: {"beat": (kick: "x...", snare: "....x...|....x.xx")},
 lines: {"hook": (notes: "0-1-2---", vowels: "aoe")},
 instruments: {"lead": (wave: square, cutoff: 900.0)},
 sections: [
  (kind: verse, bars: 4, drums: "beat", pad: true),
  (kind: chorus, bars: 4, drums: "beat", vocal: "hook"),
  (like: chorus, transpose: 1),
 ])"#;

    #[test]
    fn a_good_sheet_reads_and_later_sections_inherit() {
        let (sheet, warnings) = check(GOOD).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let arranged = sheet.arrangement();
        assert_eq!(arranged.len(), 3);
        assert_eq!(arranged[2].kind, SectionKind::Chorus);
        assert_eq!(arranged[2].vocal, "hook");
        assert_eq!(arranged[2].transpose, 1);
        assert_eq!(arranged[2].first_bar, 8);
        assert!(!arranged[2].pad, "the chorus it copies has no pad");
        assert_eq!(sheet.sound("lead").wave, Wave::Square);
        assert_eq!(sheet.sound("lead").cutoff, 900.0);
        assert_eq!(sheet.sound("bass"), Sound::default_for("bass"));
    }

    #[test]
    fn time_signatures_set_the_bar() {
        let (sheet, _) =
            check(&GOOD.replace("(bpm: 120.0,", "(bpm: 120.0, time_signature: (6, 8),")).unwrap();
        assert_eq!(sheet.steps_per_bar(), 12);
        assert_eq!(sheet.beats_per_bar(), 3.0);
        // 12 bars of three beats at 120 BPM, plus two beats of tail.
        assert!((sheet.length() - 19.0).abs() < 1e-9, "{}", sheet.length());
        let error = check(&GOOD.replace("(bpm: 120.0,", "(bpm: 120.0, time_signature: (4, 5),"))
            .unwrap_err();
        assert!(error.message.contains("not 4/5"), "{error}");
    }

    #[test]
    fn mistakes_name_their_line_and_column() {
        let cases = [
            (GOOD.replace("\"F\"", "\"H7\""), (1, 45), "not a chord"),
            (
                GOOD.replace("120.0", "0.0"),
                (1, 7),
                "tempo must be above 0",
            ),
            (
                GOOD.replace("bars: 4, drums", "bars: 0, drums"),
                (6, 23),
                "at least one bar",
            ),
            (
                GOOD.replace("x...\"", "x...x...x...x...x\""),
                (2, 27),
                "17 steps",
            ),
            (
                GOOD.replace("\"x...\"", "\"x..k\""),
                (2, 31),
                "`k` is not a step of the kick",
            ),
            (
                GOOD.replace(
                    "bars: 4, drums: \"beat\", pad",
                    "bars: 1, drums: \"beat\", pad",
                ),
                (6, 33),
                "`beat` is 2 bars long, longer than this 1-bar section",
            ),
            (
                GOOD.replace("drums: \"beat\", vocal", "drums: \"bet\", vocal"),
                (7, 34),
                "no groove `bet`",
            ),
            (
                GOOD.replace("vocal: \"hook\"", "vocal: \"hok\""),
                (7, 49),
                "no line `hok`",
            ),
            (
                GOOD.replace("\"lead\": (wave", "\"flute\": (wave"),
                (4, 16),
                "no instrument `flute`",
            ),
            (
                GOOD.replace("cutoff: 900.0", "cutoff: 90000.0"),
                (4, 16),
                "`cutoff` goes from 20",
            ),
            (
                GOOD.replace("(like: chorus", "(like: bridge"),
                (8, 10),
                "no bridge before",
            ),
            (
                GOOD.replace("vowels: \"aoe\"", "vowels: \"aox\""),
                (3, 49),
                "vowels are letters",
            ),
            (
                GOOD.replace(
                    "bars: 4, drums: \"beat\", pad",
                    "bars: 400, drums: \"beat\", pad",
                ),
                (5, 12),
                "limited to 10 minutes",
            ),
            (
                GOOD.replace("kind: verse", "kind: hook"),
                (6, 10),
                "unknown variant",
            ),
        ];
        for (text, (line, column), words) in cases {
            let error = check(&text).unwrap_err();
            assert_eq!(position(&error), Some((line, column)), "{words}: {error}");
            assert!(error.message.contains(words), "{words}: {error}");
        }
    }

    #[test]
    fn an_unplayed_groove_is_pointed_out() {
        let (_, warnings) =
            check(&GOOD.replace("grooves: {", "grooves: {\"spare\": (hat: \"x\"), ")).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("groove `spare`"));
    }

    #[test]
    fn chords_name_their_notes() {
        assert_eq!(parse_chord("Am"), Some(vec![69, 72, 76]));
        assert_eq!(parse_chord("G7"), Some(vec![67, 71, 74, 77]));
        assert_eq!(parse_chord("Dsus4"), Some(vec![62, 67, 69]));
        assert_eq!(parse_chord("Cadd9"), Some(vec![60, 64, 67, 74]));
        assert_eq!(parse_chord("Bbm7"), Some(vec![70, 73, 77, 80]));
        assert_eq!(parse_chord("Hm"), None);
        assert_eq!(parse_chord("Cmaj13"), None);
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

    const BASE: &str = "(bpm: 120.0, chords: [\"Am\"], sections: [(kind: verse, bars: 2, pad: true)],\n mix: (parts: {\"kick\": (gain: -3.0), MIX}))";

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
        assert_eq!(error.position.map(|p| (p.line, p.column)), Some((2, 38)));
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
            "(key: \"{key}\", bpm: 100.0, chords: [{chords}], sections: [(kind: intro, bars: 1, pad: true)])"
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
