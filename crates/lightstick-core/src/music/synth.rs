//! The deterministic synthesizer: drum, bass, pad, stab, lead and voice sounds rendered from a
//! song sheet's events, mixed with per-part level, pan and reverb send, then compressed,
//! normalised to a loudness target and limited. Oscillators, filters, formant resonators and
//! the reverb are fundsp's; envelopes, the mix bus and mastering are ours.

use std::collections::HashMap;
use std::f32::consts::TAU;
use std::path::Path;
use std::rc::Rc;

use fundsp::prelude32::{
    AudioUnit, BigBlockAdapter, bandpass_hz, dc, highpass_hz, lowpass_hz, moog_q, pass, pulse,
    resonator_hz, reverb_stereo, saw, sine, square, triangle,
};

use super::events::{Part, Perc, events};
use super::sheet::{CompressionSettings, PartMix, ReverbSettings, SongSheet, Sound, Wave};

pub const SAMPLE_RATE: u32 = 44_100;
const SR: f32 = SAMPLE_RATE as f32;

/// Stereo frames, left and right, in -1..=1.
pub type Frames = Vec<[f32; 2]>;

fn midi_to_hz(note: f32) -> f32 {
    440.0 * 2f32.powf((note - 69.0) / 12.0)
}

/// The same noise on every render, so the audio of a level never changes under its chart.
struct Noise(u32);

impl Noise {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        (self.0 as f32 / u32::MAX as f32) * 2.0 - 1.0
    }

    fn buffer(&mut self, samples: usize) -> Vec<f32> {
        (0..samples).map(|_| self.next()).collect()
    }
}

/// Runs a fundsp unit over whole buffers (one per input) and returns its first output.
fn run(unit: impl AudioUnit + 'static, inputs: &[&[f32]]) -> Vec<f32> {
    let samples = inputs.first().map_or(0, |i| i.len());
    let mut adapter = BigBlockAdapter::new(Box::new(unit));
    adapter.set_sample_rate(f64::from(SAMPLE_RATE));
    let outputs = adapter.outputs();
    let mut out = vec![vec![0.0f32; samples]; outputs];
    {
        let mut refs: Vec<&mut [f32]> = out.iter_mut().map(|o| o.as_mut_slice()).collect();
        adapter.process_big(samples, inputs, &mut refs);
    }
    out.swap_remove(0)
}

/// A band-limited oscillator following a frequency (Hz) per sample.
fn oscillator(wave: Wave, frequency: &[f32]) -> Vec<f32> {
    match wave {
        Wave::Sine => run(sine(), &[frequency]),
        Wave::Triangle => run(triangle(), &[frequency]),
        Wave::Saw => run(saw(), &[frequency]),
        Wave::Square => run(square(), &[frequency]),
        Wave::Pulse => run((pass() | dc(0.3)) >> pulse(), &[frequency]),
    }
}

fn samples(seconds: f32) -> usize {
    (seconds.max(0.0) * SR) as usize
}

/// Attack to full level, hold until `length`, then release.
fn envelope(t: f32, attack: f32, length: f32, release: f32) -> f32 {
    let rise = if attack > 0.0 {
        (t / attack).min(1.0)
    } else {
        1.0
    };
    let fall = if t > length {
        (-(t - length) * 6.9 / release.max(0.005)).exp()
    } else {
        1.0
    };
    rise * fall
}

struct Mix {
    frames: Frames,
    /// What the parts send to the reverb.
    send: Frames,
    noise: Noise,
    /// The mix settings of the part being played.
    part: PartMix,
    /// Pitched notes already rendered: songs repeat the same notes of the same length over and
    /// over, and a part's sound does not change within a song.
    rendered: HashMap<(&'static str, i32, u8, usize), Rc<Vec<f32>>>,
}

impl Mix {
    /// A note's samples, rendered once per part, pitch, variant and length.
    fn note(
        &mut self,
        key: (&'static str, i32, u8, usize),
        make: impl FnOnce(&mut Self) -> Vec<f32>,
    ) -> Rc<Vec<f32>> {
        if let Some(done) = self.rendered.get(&key) {
            return done.clone();
        }
        let made = Rc::new(make(self));
        self.rendered.insert(key, made.clone());
        made
    }

    /// Adds a mono voice from `start` seconds, placed at `pan` within its part.
    fn place(&mut self, start: f32, voice: &[f32], pan: f32) {
        let first = (start * SR).round() as usize;
        let pan = (pan + self.part.pan).clamp(-1.0, 1.0);
        let gain = 10f32.powf(self.part.gain / 20.0);
        let (left, right) = ((1.0 - pan).min(1.0) * gain, (1.0 + pan).min(1.0) * gain);
        let send = self.part.reverb;
        let end = (first + voice.len()).min(self.frames.len());
        if first >= end {
            return;
        }
        for (frame, sample) in self.frames[first..end].iter_mut().zip(voice) {
            frame[0] += sample * left;
            frame[1] += sample * right;
        }
        if send > 0.0 {
            for (sent, sample) in self.send[first..end].iter_mut().zip(voice) {
                sent[0] += sample * left * send;
                sent[1] += sample * right * send;
            }
        }
    }

    /// A drum machine's kick: the same sound every time, so it is rendered once.
    fn kick(&mut self, at: f32, sound: &Sound) {
        let n = samples(sound.decay * 1.3 + 0.05);
        let voice = self.note(("kick", 0, 0, n), |mix| {
            let tune = 2f32.powf(sound.tune / 12.0);
            let frequency: Vec<f32> = (0..n)
                .map(|i| {
                    let t = i as f32 / SR;
                    (48.0 + 110.0 * (-t * 30.0).exp()) * tune
                })
                .collect();
            let body = run(sine(), &[&frequency]);
            let click = run(highpass_hz(2000.0, 0.7), &[&mix.noise.buffer(n)]);
            (0..n)
                .map(|i| {
                    let t = i as f32 / SR;
                    body[i] * (-t * 3.0 / sound.decay).exp() * 0.9
                        + click[i] * (-t * 400.0).exp() * 0.3
                })
                .collect()
        });
        self.place(at, &voice, 0.0);
    }

    fn snare(&mut self, at: f32, sound: &Sound, ghost: bool) {
        let n = samples(sound.decay * 1.5 + 0.05);
        let tune = 2f32.powf(sound.tune / 12.0);
        let rattle = run(
            highpass_hz(1200.0, 0.7) >> lowpass_hz(sound.cutoff, 0.7),
            &[&self.noise.buffer(n)],
        );
        let level = if ghost { 0.3 } else { 1.0 };
        let voice: Vec<f32> = (0..n)
            .map(|i| {
                let t = i as f32 / SR;
                let body = (TAU * 185.0 * tune * t).sin() * (-t * 30.0).exp();
                (rattle[i] * 1.4 * (-t * 3.0 / sound.decay).exp() + body * 0.5) * 0.55 * level
            })
            .collect();
        self.place(at, &voice, 0.0);
    }

    /// Three quick bursts of band-passed noise, then the tail: hands clapping together.
    fn clap(&mut self, at: f32, sound: &Sound) {
        let n = samples(sound.decay * 1.5 + 0.05);
        let centre = 1100.0 * 2f32.powf(sound.tune / 12.0);
        let band = run(bandpass_hz(centre, 1.2), &[&self.noise.buffer(n)]);
        let voice: Vec<f32> = (0..n)
            .map(|i| {
                let t = i as f32 / SR;
                let burst = (0..3)
                    .map(|k| {
                        let since = t - k as f32 * 0.011;
                        if since >= 0.0 {
                            (-since * 180.0).exp()
                        } else {
                            0.0
                        }
                    })
                    .fold(0.0f32, f32::max);
                let tail = (-t * 3.0 / sound.decay).exp() * 0.6;
                band[i] * burst.max(tail) * 1.6
            })
            .collect();
        self.place(at, &voice, 0.05);
    }

    fn hat(&mut self, at: f32, sound: &Sound, open: bool) {
        let decay = if open { sound.decay * 6.0 } else { sound.decay };
        let n = samples(decay * 1.5 + 0.02);
        let hiss = run(highpass_hz(sound.cutoff, 0.8), &[&self.noise.buffer(n)]);
        let voice: Vec<f32> = (0..n)
            .map(|i| hiss[i] * (-(i as f32 / SR) * 3.0 / decay).exp() * 0.3)
            .collect();
        self.place(at, &voice, 0.3);
    }

    fn perc(&mut self, at: f32, sound: &Sound, kind: Perc) {
        let tune = 2f32.powf(sound.tune / 12.0);
        let (pitch, pan) = match kind {
            Perc::HighTom => (210.0, -0.35),
            Perc::MidTom => (150.0, 0.0),
            Perc::LowTom => (105.0, 0.35),
            Perc::Rim => (1700.0, -0.2),
            Perc::Shaker => (0.0, 0.45),
        };
        let voice: Vec<f32> = match kind {
            Perc::Shaker => {
                let n = samples(0.12);
                let hiss = run(highpass_hz(5000.0, 0.7), &[&self.noise.buffer(n)]);
                (0..n)
                    .map(|i| {
                        let t = i as f32 / SR;
                        hiss[i] * (t / 0.02).min(1.0) * (-t * 30.0).exp() * 0.35
                    })
                    .collect()
            }
            Perc::Rim => (0..samples(0.05))
                .map(|i| {
                    let t = i as f32 / SR;
                    (TAU * pitch * tune * t).sin() * (-t * 120.0).exp() * 0.4
                })
                .collect(),
            _ => {
                let n = samples(sound.decay * 1.5 + 0.05);
                let frequency: Vec<f32> = (0..n)
                    .map(|i| pitch * tune * (1.0 + 0.5 * (-(i as f32 / SR) * 25.0).exp()))
                    .collect();
                let body = run(sine(), &[&frequency]);
                (0..n)
                    .map(|i| body[i] * (-(i as f32 / SR) * 3.0 / sound.decay).exp() * 0.6)
                    .collect()
            }
        };
        self.place(at, &voice, pan);
    }

    /// A plucked bass: the filter opens on each note and closes over the decay.
    fn bass(&mut self, at: f32, note: i32, length: f32, sound: &Sound) {
        let n = samples(length + sound.release + 0.01);
        let voice = self.note(("bass", note, 0, n), |_| {
            let frequency = vec![midi_to_hz(note as f32); n];
            let raw = oscillator(sound.wave, &frequency);
            let cutoff: Vec<f32> = (0..n)
                .map(|i| {
                    let t = i as f32 / SR;
                    (sound.cutoff * (1.0 + 3.0 * (-t * 3.0 / sound.decay).exp())).min(18_000.0)
                })
                .collect();
            let filtered = run(moog_q(sound.resonance * 0.7), &[&raw, &cutoff]);
            (0..n)
                .map(|i| {
                    let t = i as f32 / SR;
                    filtered[i] * envelope(t, sound.attack, length, sound.release) * 0.55
                })
                .collect()
        });
        self.place(at, &voice, 0.0);
    }

    /// Two detuned oscillators through a low-pass: the body of pads, stabs and leads.
    fn detuned(note: f32, n: usize, sound: &Sound, vibrato: f32) -> Vec<f32> {
        let base = midi_to_hz(note);
        let spread = 2f32.powf(sound.detune / 1200.0 / 2.0);
        let frequency = |ratio: f32| -> Vec<f32> {
            (0..n)
                .map(|i| {
                    let t = i as f32 / SR;
                    let wobble = 1.0 + vibrato * (t / 0.3).min(1.0) * (TAU * 5.5 * t).sin();
                    base * ratio * wobble
                })
                .collect()
        };
        let a = oscillator(sound.wave, &frequency(spread));
        let b = oscillator(sound.wave, &frequency(1.0 / spread));
        let summed: Vec<f32> = a.iter().zip(&b).map(|(a, b)| (a + b) * 0.5).collect();
        run(
            lowpass_hz(sound.cutoff, 0.5 + sound.resonance * 2.0),
            &[&summed],
        )
    }

    fn pad(&mut self, at: f32, note: i32, voice: u8, length: f32, sound: &Sound) {
        let n = samples(length + sound.release);
        let shaped = self.note(("pad", note, 0, n), |_| {
            let body = Self::detuned(note as f32, n, sound, 0.0);
            (0..n)
                .map(|i| {
                    body[i] * envelope(i as f32 / SR, sound.attack, length, sound.release) * 0.1
                })
                .collect()
        });
        let pan = if voice.is_multiple_of(2) { -0.4 } else { 0.4 };
        self.place(at, &shaped, pan);
    }

    fn stab(&mut self, at: f32, note: i32, voice: u8, length: f32, sound: &Sound) {
        let n = samples(length + sound.release);
        let shaped = self.note(("stabs", note, 0, n), |_| {
            let body = Self::detuned(note as f32, n, sound, 0.0);
            (0..n)
                .map(|i| {
                    let t = i as f32 / SR;
                    let pluck = 0.35 + 0.65 * (-t * 3.0 / sound.decay).exp();
                    body[i] * envelope(t, sound.attack, length, sound.release) * pluck * 0.12
                })
                .collect()
        });
        let pan = [-0.25, 0.25, -0.1, 0.1, 0.0][voice as usize % 5];
        self.place(at, &shaped, pan);
    }

    fn lead(&mut self, at: f32, note: i32, length: f32, sound: &Sound) {
        let n = samples(length + sound.release);
        let shaped = self.note(("lead", note, 0, n), |_| {
            let body = Self::detuned(note as f32, n, sound, 0.006 * sound.vibrato);
            (0..n)
                .map(|i| {
                    let t = i as f32 / SR;
                    let fade = 0.45 + 0.55 * (-t * 3.0 / sound.decay).exp();
                    body[i] * envelope(t, sound.attack, length, sound.release) * fade * 0.22
                })
                .collect()
        });
        self.place(at, &shaped, -0.2);
    }

    /// A sung vowel: a glottal-like pulse at the voice's pitch (with vibrato that grows as the
    /// note is held) and a little breath, through three fundsp resonators at the vowel's
    /// formants, moved up by the voice's brightness.
    fn vocal(&mut self, at: f32, note: i32, vowel: u8, length: f32, sound: &Sound) {
        let n = samples(length + sound.release);
        let shaped = self.note(("vocal", note, vowel, n), |mix| {
            let base = midi_to_hz(note as f32);
            let depth = 0.012 * sound.vibrato;
            let mut phase = 0.0f32;
            let source: Vec<f32> = (0..n)
                .map(|i| {
                    let t = i as f32 / SR;
                    let vibrato = 1.0 + depth * (t / 0.4).min(1.0) * (TAU * 5.2 * t).sin();
                    phase = (phase + base * vibrato / SR).fract();
                    (1.0 - 2.0 * phase) * (1.0 - phase) + sound.breath * 0.2 * mix.noise.next()
                })
                .collect();
            let shift = 0.9 + 0.2 * sound.brightness;
            let [(f1, b1, g1), (f2, b2, g2), (f3, b3, g3)] = VOWELS[vowel as usize % VOWELS.len()];
            let formants = (resonator_hz(f1 * shift, b1) * g1)
                & (resonator_hz(f2 * shift, b2) * g2)
                & (resonator_hz(f3 * shift, b3) * g3);
            let voiced = run(formants, &[&source]);
            (0..n)
                .map(|i| {
                    voiced[i] * envelope(i as f32 / SR, sound.attack, length, sound.release) * 0.9
                })
                .collect()
        });
        self.place(at, &shaped, 0.1);
    }
}

/// Formants (frequency Hz, bandwidth Hz, gain) of a, e, i, o, u for a high voice.
const VOWELS: [[(f32, f32, f32); 3]; 5] = [
    [
        (800.0, 80.0, 1.0),
        (1150.0, 90.0, 0.5),
        (2900.0, 120.0, 0.25),
    ],
    [
        (400.0, 60.0, 1.0),
        (1620.0, 80.0, 0.35),
        (2400.0, 100.0, 0.2),
    ],
    [
        (350.0, 50.0, 1.0),
        (1700.0, 100.0, 0.25),
        (2700.0, 120.0, 0.2),
    ],
    [
        (450.0, 70.0, 1.0),
        (800.0, 80.0, 0.6),
        (2830.0, 100.0, 0.15),
    ],
    [(325.0, 50.0, 1.0), (700.0, 60.0, 0.3), (2530.0, 170.0, 0.1)],
];

/// Renders the whole song.
pub fn render(sheet: &SongSheet) -> Frames {
    render_with_progress(sheet, &std::sync::atomic::AtomicU32::new(0))
}

/// Renders the whole song, storing progress in thousandths as it goes.
pub fn render_with_progress(sheet: &SongSheet, progress: &std::sync::atomic::AtomicU32) -> Frames {
    let length = sheet.length() as f32;
    let frame_count = (length * SR) as usize + 1;
    let mut mix = Mix {
        frames: vec![[0.0; 2]; frame_count],
        send: vec![[0.0; 2]; frame_count],
        noise: Noise(0x1234_5678),
        part: PartMix::default_for(""),
        rendered: HashMap::new(),
    };
    let sounds: Vec<(&str, Sound)> = super::sheet::PART_NAMES
        .iter()
        .map(|name| (*name, sheet.sound(name)))
        .collect();
    let sound_of = |name: &str| {
        sounds
            .iter()
            .find(|(n, _)| *n == name)
            .map_or_else(|| Sound::default_for(name), |(_, s)| *s)
    };
    let all = events(sheet);
    let settings = sheet.mix.reverb;
    // The reverb runs on a second thread, a chunk behind the voices: events come in time
    // order, so the send bus before the latest event's start is final.
    let (chunks, reverb_input) = std::sync::mpsc::channel::<Frames>();
    let (mut frames, wet) = std::thread::scope(|scope| {
        let room = scope.spawn(move || {
            let mut reverb = Reverb::new(settings);
            let mut wet = Frames::new();
            for chunk in reverb_input {
                reverb.process(&chunk, &mut wet);
            }
            wet
        });
        let mut sent = 0usize;
        for (i, event) in all.iter().enumerate() {
            let final_before = ((event.time as f32 * SR) as usize).saturating_sub(1);
            if final_before >= sent + REVERB_CHUNK {
                // The receiver lives until every chunk is sent.
                let _ = chunks.send(mix.send[sent..final_before].to_vec());
                sent = final_before;
            }
            let at = event.time as f32;
            let held = event.length as f32;
            let name = event.part.name();
            let sound = sound_of(name);
            mix.part = sheet.mix.part(name);
            match event.part {
                Part::Kick => mix.kick(at, &sound),
                Part::Snare { ghost } => mix.snare(at, &sound, ghost),
                Part::Clap => mix.clap(at, &sound),
                Part::Hat { open } => mix.hat(at, &sound, open),
                Part::Perc(kind) => mix.perc(at, &sound, kind),
                Part::Bass => mix.bass(at, event.pitch, held, &sound),
                Part::Pad { voice } => mix.pad(at, event.pitch, voice, held, &sound),
                Part::Stab { voice } => mix.stab(at, event.pitch, voice, held, &sound),
                Part::Lead => mix.lead(at, event.pitch, held, &sound),
                Part::Vocal { vowel } => mix.vocal(at, event.pitch, vowel, held, &sound),
            }
            if i % 64 == 0 {
                // The rest of the reverb and mastering take the last fifth.
                progress.store(
                    (800 * i / all.len().max(1)) as u32,
                    std::sync::atomic::Ordering::Relaxed,
                );
            }
        }
        let _ = chunks.send(mix.send[sent..].to_vec());
        drop(chunks);
        let wet = room.join().unwrap_or_default();
        (mix.frames, wet)
    });
    progress.store(900, std::sync::atomic::Ordering::Relaxed);
    for (dry, wet) in frames.iter_mut().zip(wet) {
        dry[0] += wet[0];
        dry[1] += wet[1];
    }
    compress(&mut frames, sheet.mix.compression);
    master(frames)
}

/// Samples of the send bus handed to the reverb at a time.
const REVERB_CHUNK: usize = 1 << 16;

/// fundsp's stereo FDN reverb, fed the send bus a chunk at a time.
struct Reverb {
    unit: BigBlockAdapter,
}

impl Reverb {
    fn new(settings: ReverbSettings) -> Self {
        let room = 10.0 + 20.0 * settings.size.clamp(0.0, 1.0);
        let unit = reverb_stereo(room, settings.time, settings.damping.clamp(0.0, 1.0));
        let mut unit = BigBlockAdapter::new(Box::new(unit));
        unit.set_sample_rate(f64::from(SAMPLE_RATE));
        Self { unit }
    }

    fn process(&mut self, send: &[[f32; 2]], wet: &mut Frames) {
        let left: Vec<f32> = send.iter().map(|f| f[0]).collect();
        let right: Vec<f32> = send.iter().map(|f| f[1]).collect();
        let mut out_left = vec![0.0f32; send.len()];
        let mut out_right = vec![0.0f32; send.len()];
        self.unit.process_big(
            send.len(),
            &[&left, &right],
            &mut [&mut out_left, &mut out_right],
        );
        wet.extend(out_left.into_iter().zip(out_right).map(|(l, r)| [l, r]));
    }
}

/// Decibels in a doubling of amplitude.
const DB_PER_OCTAVE: f32 = 6.020_6;

/// tanh's rational (Padé) approximation, exact enough under |x| < 3 and flat at ±1 beyond:
/// the same gentle saturation at a fraction of the cost.
fn soft_clip(x: f32) -> f32 {
    let x = x.clamp(-3.0, 3.0);
    x * (27.0 + x * x) / (27.0 + 9.0 * x * x)
}

/// A feed-forward bus compressor on the stereo peak level, with attack and release.
fn compress(frames: &mut Frames, settings: CompressionSettings) {
    let attack = (-1.0 / (settings.attack_ms.max(0.1) * 0.001 * SR)).exp();
    let release = (-1.0 / (settings.release_ms.max(0.1) * 0.001 * SR)).exp();
    let slope = 1.0 - 1.0 / settings.ratio.max(1.0);
    let mut envelope_db = -120.0f32;
    for frame in frames.iter_mut() {
        let level = frame[0].abs().max(frame[1].abs()).max(1e-6);
        // Decibels through log2 and exp2, which are cheaper than log10 and powf.
        let level_db = DB_PER_OCTAVE * level.log2();
        let coefficient = if level_db > envelope_db {
            attack
        } else {
            release
        };
        envelope_db = level_db + (envelope_db - level_db) * coefficient;
        let over = (envelope_db - settings.threshold).max(0.0);
        let gain = (-over * slope / DB_PER_OCTAVE).exp2();
        frame[0] *= gain;
        frame[1] *= gain;
    }
}

/// A metronome: a short click at each of `times` (seconds), placed on the exact sample, louder
/// on every fourth. The calibration screens measure taps against these times.
pub fn render_clicks(times: &[f64], length: f64) -> Frames {
    let mut frames = vec![[0.0f32; 2]; (length * f64::from(SAMPLE_RATE)) as usize + 1];
    for (i, time) in times.iter().enumerate() {
        let first = (time * f64::from(SAMPLE_RATE)).round() as usize;
        let (freq, gain) = if i % 4 == 0 {
            (1760.0, 0.9)
        } else {
            (1320.0, 0.6)
        };
        for n in 0..(0.03 * SR) as usize {
            let Some(frame) = frames.get_mut(first + n) else {
                break;
            };
            let t = n as f32 / SR;
            let sample = (TAU * freq * t).sin() * (-t * 180.0).exp() * gain;
            frame[0] += sample;
            frame[1] += sample;
        }
    }
    frames
}

/// The menus' own sounds, made by the synth like the songs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MenuSound {
    /// A new screen opens: two notes rising, E6 to B6, bell-like.
    Forward,
    /// Back to the title: the same two notes falling.
    Back,
}

impl MenuSound {
    pub const ALL: [MenuSound; 2] = [MenuSound::Forward, MenuSound::Back];
}

/// One menu sound: a short two-note chime, each note a sine with a soft octave above, a quick
/// attack and an exponential fade, so it sits under the music and never clicks.
pub fn render_menu_sound(sound: MenuSound) -> Frames {
    let notes: [f32; 2] = match sound {
        MenuSound::Forward => [88.0, 95.0],
        MenuSound::Back => [95.0, 88.0],
    };
    let note_length = 0.07;
    let tail = 0.25;
    let total = ((note_length * 2.0 + tail) * SR) as usize;
    let mut frames = vec![[0.0f32; 2]; total];
    for (k, note) in notes.iter().enumerate() {
        let freq = midi_to_hz(*note);
        let first = (k as f32 * note_length * SR) as usize;
        for (n, frame) in frames.iter_mut().skip(first).enumerate() {
            let t = n as f32 / SR;
            let envelope = (t / 0.004).min(1.0) * (-t * 18.0).exp();
            let sample =
                ((TAU * freq * t).sin() + 0.3 * (TAU * 2.0 * freq * t).sin()) * envelope * 0.25;
            // The second note a little to the right: a chime moving across.
            let pan = if k == 0 { 0.45 } else { 0.55 };
            frame[0] += sample * (1.0 - pan) * 2.0;
            frame[1] += sample * pan * 2.0;
        }
    }
    frames
}

/// The integrated loudness every song is mastered to, as streaming services normalise.
pub const TARGET_LUFS: f64 = -14.0;
/// No sample is louder than this after mastering (−1 dBFS), leaving room for playback.
pub const CEILING: f32 = 0.891;

/// Integrated loudness (EBU R128) of stereo frames, in LUFS; `None` for silence.
pub fn loudness(frames: &Frames) -> Option<f64> {
    let mut meter = ebur128::EbuR128::new(2, SAMPLE_RATE, ebur128::Mode::I).ok()?;
    meter.add_frames_f32(frames.as_flattened()).ok()?;
    meter.loudness_global().ok().filter(|l| l.is_finite())
}

/// The same measurement, twice as fast for mastering: the two halves are measured on two
/// threads and their gating blocks pooled, leaving out only the few blocks that would
/// straddle the middle.
fn pooled_loudness(frames: &Frames) -> Option<f64> {
    use ebur128::{EbuR128, Mode};
    let samples = frames.as_flattened();
    let (first, second) = samples.split_at(frames.len() / 2 * 2);
    let measure = |part: &[f32]| -> Option<EbuR128> {
        let mut meter = EbuR128::new(2, SAMPLE_RATE, Mode::I).ok()?;
        meter.add_frames_f32(part).ok()?;
        Some(meter)
    };
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| measure(first));
        let second = measure(second);
        (first.join().ok().flatten(), second)
    });
    let meters = [first?, second?];
    EbuR128::loudness_global_multiple(meters.iter())
        .ok()
        .filter(|l| l.is_finite())
}

/// Master bus: gentle saturation for glue, gain to the target loudness, then a look-ahead
/// limiter so no sample passes the ceiling. Limiting takes a little loudness away, so the gain
/// is measured again and the limiter run once more.
fn master(mut frames: Frames) -> Frames {
    for frame in frames.iter_mut() {
        for s in frame.iter_mut() {
            *s = soft_clip(*s * 1.2);
        }
    }
    for _ in 0..2 {
        let Some(measured) = pooled_loudness(&frames) else {
            return frames;
        };
        let gain = 10f32.powf(((TARGET_LUFS - measured) / 20.0) as f32);
        for frame in frames.iter_mut() {
            frame[0] *= gain;
            frame[1] *= gain;
        }
        limit(&mut frames);
    }
    frames
}

/// A look-ahead peak limiter: the gain reaches any needed reduction 2 ms before the peak and
/// recovers over 80 ms; a final clamp catches what rounding leaves.
fn limit(frames: &mut Frames) {
    let needed: Vec<f32> = frames
        .iter()
        .map(|f| {
            let peak = f[0].abs().max(f[1].abs());
            if peak > CEILING { CEILING / peak } else { 1.0 }
        })
        .collect();
    let attack = (0.002 * SR) as usize;
    let release = 1.0 / (0.080 * SR);
    // Backwards: every reduction starts `attack` samples early, ramping down to it.
    let mut gain = needed.clone();
    let mut ahead = 1.0f32;
    let step = 1.0 / attack as f32;
    for i in (0..gain.len()).rev() {
        ahead = (ahead + step).min(1.0).min(needed[i]);
        gain[i] = ahead;
    }
    // Forwards: recover slowly after each reduction.
    let mut current = 1.0f32;
    for (frame, target) in frames.iter_mut().zip(gain) {
        current = if target < current {
            target
        } else {
            (current + release).min(target)
        };
        frame[0] = (frame[0] * current).clamp(-CEILING, CEILING);
        frame[1] = (frame[1] * current).clamp(-CEILING, CEILING);
    }
}

/// Writes `seconds` of mono silence at `sample_rate`: the smallest valid audio for a level,
/// used by tests and benchmarks that need a song of some length.
pub fn write_silence(path: &Path, seconds: f32, sample_rate: u32) -> Result<(), hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec)?;
    for _ in 0..(seconds * sample_rate as f32) as usize {
        writer.write_sample(0i16)?;
    }
    writer.finalize()
}

/// Writes 16-bit stereo WAV, through a temporary file so a half-written song never lingers.
pub fn write_wav(path: &Path, frames: &Frames) -> Result<(), hound::Error> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    // Unique per writer: tests render the shipped songs from several processes at once.
    static WRITES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = path.with_extension(format!("wav.{}-{n}.tmp", std::process::id()));
    {
        let mut writer = hound::WavWriter::create(&temporary, spec)?;
        for frame in frames {
            for s in frame {
                writer.write_sample((s.clamp(-1.0, 1.0) * i16::MAX as f32) as i16)?;
            }
        }
        writer.finalize()?;
    }
    std::fs::rename(&temporary, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_sounds_are_short_soft_chimes_that_end_in_silence() {
        for sound in MenuSound::ALL {
            let frames = render_menu_sound(sound);
            let seconds = frames.len() as f32 / SR;
            assert!((0.2..0.6).contains(&seconds), "{sound:?}: {seconds} s");
            let peak = frames.iter().flatten().fold(0.0f32, |m, s| m.max(s.abs()));
            assert!((0.05..=CEILING).contains(&peak), "{sound:?}: peak {peak}");
            let last = frames.last().unwrap();
            assert!(
                last[0].abs() < 0.01 && last[1].abs() < 0.01,
                "{sound:?} ends in a click"
            );
        }
        assert_ne!(
            render_menu_sound(MenuSound::Forward),
            render_menu_sound(MenuSound::Back)
        );
    }

    #[test]
    fn pooled_halves_measure_what_one_meter_measures() {
        // A minute of a tone that swells and fades, so the gating matters.
        let frames: Frames = (0..60 * SAMPLE_RATE as usize)
            .map(|i| {
                let t = i as f32 / SR;
                let s = (TAU * 440.0 * t).sin() * (0.05 + 0.5 * (t / 60.0 * TAU / 2.0).sin());
                [s, s * 0.8]
            })
            .collect();
        let whole = loudness(&frames).unwrap();
        let pooled = pooled_loudness(&frames).unwrap();
        assert!((whole - pooled).abs() < 0.05, "{whole} vs {pooled}");
    }

    #[test]
    fn the_soft_clip_follows_tanh() {
        for i in -40..=40 {
            let x = i as f32 / 10.0;
            assert!((soft_clip(x) - x.tanh()).abs() < 0.03, "{x}");
        }
    }
}
