//! The song sheet format: what a track is made of, written by hand in RON. A sheet names its
//! tempo, time signature and key, its drum grooves and melodic lines, and an arrangement of
//! sections (intro, verse, chorus...) that play them; sections can repeat an earlier one with
//! changes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
    pub const ALL: [SectionKind; 8] = [
        SectionKind::Intro,
        SectionKind::Verse,
        SectionKind::PreChorus,
        SectionKind::Chorus,
        SectionKind::PostChorus,
        SectionKind::Bridge,
        SectionKind::DanceBreak,
        SectionKind::Outro,
    ];

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
    pub(super) fn out_of_range(&self) -> Option<String> {
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
