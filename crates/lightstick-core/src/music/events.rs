//! The sound events of a song sheet: every drum hit and note with its beat, time and part. The
//! synthesizer renders exactly these, and charts are drafted from (and checked against) them.

use super::sheet::{Arranged, SongSheet, pattern_bars};
use super::theory::parse_chord;

/// The sounds of the `perc` drum part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Perc {
    HighTom,
    MidTom,
    LowTom,
    Rim,
    Shaker,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Kick,
    Snare {
        ghost: bool,
    },
    Clap,
    Hat {
        open: bool,
    },
    Perc(Perc),
    Bass,
    /// One note of the bar's chord; `voice` spreads the notes across the stereo field.
    Pad {
        voice: u8,
    },
    /// One note of a chord stab.
    Stab {
        voice: u8,
    },
    Lead,
    /// The sung line; `vowel` indexes a, e, i, o, u.
    Vocal {
        vowel: u8,
    },
}

impl Part {
    /// The part's name in `instruments` and the mix.
    pub fn name(self) -> &'static str {
        match self {
            Part::Kick => "kick",
            Part::Snare { .. } => "snare",
            Part::Clap => "clap",
            Part::Hat { .. } => "hat",
            Part::Perc(_) => "perc",
            Part::Bass => "bass",
            Part::Pad { .. } => "pad",
            Part::Stab { .. } => "stabs",
            Part::Lead => "lead",
            Part::Vocal { .. } => "vocal",
        }
    }

    /// Drums and percussion: the parts a chart's rhythm follows first.
    pub fn is_drum(self) -> bool {
        matches!(
            self,
            Part::Kick | Part::Snare { .. } | Part::Clap | Part::Hat { .. } | Part::Perc(_)
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SoundEvent {
    /// Beats from beat 0 (the sheet's offset).
    pub beat: f64,
    /// Seconds into the rendered audio.
    pub time: f64,
    pub part: Part,
    /// MIDI note for pitched parts, 0 for drums.
    pub pitch: i32,
    /// Seconds the note is held.
    pub length: f64,
}

/// The step's character of a pattern, or `None` for a rest: bar `bar` of the pattern (which
/// repeats), step `step` of that bar (a short bar repeats within the bar).
fn step_of(bars: &[Vec<char>], bar: usize, step: usize) -> Option<char> {
    let steps = bars.get(bar % bars.len().max(1))?;
    if steps.is_empty() {
        return None;
    }
    let c = steps[step % steps.len()];
    (c != '.').then_some(c)
}

/// Every event of the song in time order.
pub fn events(sheet: &SongSheet) -> Vec<SoundEvent> {
    let timing = sheet.timing();
    let steps = sheet.steps_per_bar();
    let beats_per_bar = sheet.beats_per_bar();
    let mut out = Vec::new();
    for section in sheet.arrangement() {
        let mut push = |beat: f64, part: Part, pitch: i32, steps_held: f64| {
            // Lengths follow the tempo where the note is, BPM changes included.
            let time = timing.time_at_beat(beat);
            let length = timing.time_at_beat(beat + steps_held / 4.0) - time;
            out.push(SoundEvent {
                beat,
                time,
                part,
                pitch,
                length,
            });
        };
        let chord_at = |bar: u32| -> Vec<i32> {
            let name = &section.chords[bar as usize % section.chords.len().max(1)];
            parse_chord(name)
                .unwrap_or_default()
                .iter()
                .map(|n| n + section.transpose)
                .collect()
        };
        drums(sheet, &section, steps, beats_per_bar, &mut push);
        for bar in 0..section.bars {
            let bar_beat = f64::from(section.first_bar + bar) * beats_per_bar;
            if section.pad {
                for (voice, note) in chord_at(bar).iter().enumerate() {
                    push(
                        bar_beat,
                        Part::Pad { voice: voice as u8 },
                        *note,
                        steps as f64,
                    );
                }
            }
        }
        for (part_name, line_name) in [
            ("bass", &section.bass),
            ("stabs", &section.stabs),
            ("lead", &section.lead),
            ("vocal", &section.vocal),
        ] {
            let Some(line) = sheet.lines.get(line_name) else {
                continue;
            };
            let bars = pattern_bars(&line.notes);
            if bars.is_empty() {
                continue;
            }
            let vowels: Vec<u8> = line
                .vowels
                .chars()
                .filter_map(|c| "aeiou".find(c).map(|i| i as u8))
                .collect();
            let tune = sheet.sound(part_name).tune.round() as i32 + 12 * line.octave;
            let mut sung = 0usize;
            let total = section.bars as usize * steps;
            let at = |n: usize| step_of(&bars, n / steps, n % steps);
            for n in 0..total {
                let Some(c) = at(n) else { continue };
                if c == '-' {
                    continue;
                }
                let held = 1 + (n + 1..total).take_while(|m| at(*m) == Some('-')).count();
                let bar = (n / steps) as u32;
                let chord = chord_at(bar);
                if chord.is_empty() {
                    continue;
                }
                let beat =
                    f64::from(section.first_bar + bar) * beats_per_bar + (n % steps) as f64 / 4.0;
                let index = c.to_digit(10).unwrap_or(0) as usize;
                let tone = chord[index % chord.len()] + 12 * (index / chord.len()) as i32;
                match part_name {
                    "bass" => push(beat, Part::Bass, tone - 24 + tune, held as f64),
                    "stabs" => {
                        for (voice, note) in chord.iter().enumerate() {
                            push(
                                beat,
                                Part::Stab { voice: voice as u8 },
                                note + tune,
                                held as f64,
                            );
                        }
                    }
                    "lead" => push(beat, Part::Lead, tone + 12 + tune, held as f64),
                    _ => {
                        let vowel = if vowels.is_empty() {
                            0
                        } else {
                            vowels[sung % vowels.len()]
                        };
                        sung += 1;
                        push(beat, Part::Vocal { vowel }, tone + 12 + tune, held as f64);
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.beat.total_cmp(&b.beat));
    out
}

/// The section's drums: its groove, with its fill (if any) in place of its last bars.
fn drums(
    sheet: &SongSheet,
    section: &Arranged,
    steps: usize,
    beats_per_bar: f64,
    push: &mut impl FnMut(f64, Part, i32, f64),
) {
    let groove = sheet.grooves.get(&section.drums);
    let fill = sheet.grooves.get(&section.fill);
    let fill_bars = fill.map_or(0, |f| {
        [&f.kick, &f.snare, &f.clap, &f.hat, &f.perc]
            .iter()
            .map(|p| pattern_bars(p).len())
            .max()
            .unwrap_or(0)
            .max(1) as u32
    });
    for bar in 0..section.bars {
        let in_fill = bar + fill_bars >= section.bars && fill.is_some();
        let (playing, pattern_bar) = if in_fill {
            (fill, bar + fill_bars - section.bars)
        } else {
            (groove, bar)
        };
        let Some(playing) = playing else { continue };
        let bar_beat = f64::from(section.first_bar + bar) * beats_per_bar;
        let parts = [
            &playing.kick,
            &playing.snare,
            &playing.clap,
            &playing.hat,
            &playing.perc,
        ]
        .map(|p| pattern_bars(p));
        for s in 0..steps {
            let beat = bar_beat + s as f64 / 4.0;
            let at = |i: usize| step_of(&parts[i], pattern_bar as usize, s);
            if at(0).is_some() {
                push(beat, Part::Kick, 0, 0.0);
            }
            if let Some(c) = at(1) {
                push(beat, Part::Snare { ghost: c == 'g' }, 0, 0.0);
            }
            if at(2).is_some() {
                push(beat, Part::Clap, 0, 0.0);
            }
            if let Some(c) = at(3) {
                push(beat, Part::Hat { open: c == 'o' }, 0, 0.0);
            }
            if let Some(c) = at(4) {
                let sound = match c {
                    'h' => Perc::HighTom,
                    'm' => Perc::MidTom,
                    'l' => Perc::LowTom,
                    'r' => Perc::Rim,
                    _ => Perc::Shaker,
                };
                push(beat, Part::Perc(sound), 0, 0.0);
            }
        }
    }
}
