//! The sound events of a song sheet: every drum hit and note with its beat, time and part. The
//! synthesizer renders exactly these, and charts are drafted from (and checked against) them.

use super::sheet::{Layer, SongSheet, parse_chord};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Kick,
    Snare,
    Hat {
        open: bool,
    },
    Bass,
    /// One note of the bar's chord; `voice` spreads the notes across the stereo field.
    Pad {
        voice: u8,
    },
    Lead,
    /// The sung hook; `vowel` indexes a, e, i, o, u.
    Vocal {
        vowel: u8,
    },
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

fn step_on(pattern: &str, step: usize) -> Option<char> {
    let chars: Vec<char> = pattern.chars().collect();
    if chars.is_empty() {
        return None;
    }
    let c = chars[step % chars.len()];
    (c != '.' && c != ' ').then_some(c)
}

/// Every event of the song in time order, bar by bar: sixteen steps to a bar of four beats.
pub fn events(sheet: &SongSheet) -> Vec<SoundEvent> {
    let timing = sheet.timing();
    let beat_seconds_at = |beat: f64| 60.0 / timing.bpm_at_beat(beat);
    let mut out = Vec::new();
    let mut bar = 0usize;
    let mut sung = 0usize;
    for section in &sheet.sections {
        let has = |layer| section.layers.contains(&layer);
        for _ in 0..section.bars {
            let bar_beat = bar as f64 * 4.0;
            let chord = parse_chord(&sheet.chords[bar % sheet.chords.len()]).unwrap_or_default();
            let beat_seconds = beat_seconds_at(bar_beat);
            let step_seconds = beat_seconds / 4.0;
            let event = |beat: f64, part, pitch, length| SoundEvent {
                beat,
                time: timing.time_at_beat(beat),
                part,
                pitch,
                length,
            };
            if has(Layer::Pad) {
                for (voice, note) in chord.iter().enumerate() {
                    out.push(event(
                        bar_beat,
                        Part::Pad { voice: voice as u8 },
                        *note,
                        4.0 * beat_seconds,
                    ));
                }
            }
            for s in 0..16 {
                let beat = bar_beat + s as f64 / 4.0;
                if has(Layer::Drums) {
                    if step_on(&sheet.kick, s).is_some() {
                        out.push(event(beat, Part::Kick, 0, 0.0));
                    }
                    if step_on(&sheet.snare, s).is_some() {
                        out.push(event(beat, Part::Snare, 0, 0.0));
                    }
                }
                if (has(Layer::Drums) || has(Layer::Hat))
                    && let Some(c) = step_on(&sheet.hat, s)
                {
                    out.push(event(beat, Part::Hat { open: c == 'o' }, 0, 0.0));
                }
                if has(Layer::Bass) && step_on(&sheet.bass, s).is_some() {
                    let root = chord.first().copied().unwrap_or(60) - 24;
                    out.push(event(beat, Part::Bass, root, step_seconds * 1.6));
                }
                if has(Layer::Lead)
                    && let Some(c) = step_on(&sheet.lead, s)
                    && let Some(index) = c.to_digit(10)
                    && !chord.is_empty()
                {
                    let index = index as usize;
                    let tone = chord[index % chord.len()] + 12 * (1 + (index / chord.len()) as i32);
                    out.push(event(beat, Part::Lead, tone, step_seconds * 1.8));
                }
            }
            if has(Layer::Vocal) {
                vocal_bar(
                    sheet,
                    &chord,
                    bar_beat,
                    step_seconds,
                    &mut sung,
                    &mut |beat, part, pitch, length| out.push(event(beat, part, pitch, length)),
                );
            }
            bar += 1;
        }
    }
    out.sort_by(|a, b| a.beat.total_cmp(&b.beat));
    out
}

/// The vocal line of one bar: a digit sings a chord tone an octave above the lead's register,
/// held until the next note or rest (`-` holds on), with the vowels taken in turn.
fn vocal_bar(
    sheet: &SongSheet,
    chord: &[i32],
    bar_beat: f64,
    step_seconds: f64,
    sung: &mut usize,
    push: &mut dyn FnMut(f64, Part, i32, f64),
) {
    let steps: Vec<char> = sheet.vocal.chars().collect();
    if steps.is_empty() || chord.is_empty() {
        return;
    }
    let vowels: Vec<u8> = sheet
        .vowels
        .chars()
        .filter_map(|c| "aeiou".find(c).map(|i| i as u8))
        .collect();
    for s in 0..16 {
        let Some(index) = steps[s % steps.len()].to_digit(10) else {
            continue;
        };
        let held = (s + 1..16)
            .take_while(|n| steps[n % steps.len()] == '-')
            .count()
            + 1;
        let index = index as usize;
        let tone = chord[index % chord.len()] + 12 * (1 + (index / chord.len()) as i32);
        let vowel = if vowels.is_empty() {
            0
        } else {
            vowels[*sung % vowels.len()]
        };
        *sung += 1;
        push(
            bar_beat + s as f64 / 4.0,
            Part::Vocal { vowel },
            tone,
            held as f64 * step_seconds * 0.95,
        );
    }
}
