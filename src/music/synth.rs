//! A small deterministic synthesizer: drums, bass, pad and lead voices rendered from a song sheet,
//! summed, softly limited and normalised.

use std::f32::consts::TAU;
use std::path::Path;

use super::events::{Part, events};
use super::sheet::{CompressionSettings, PartMix, ReverbSettings, SongSheet};

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
}

struct Mix {
    frames: Frames,
    /// What the parts send to the reverb.
    send: Frames,
    noise: Noise,
    /// The mix settings of the part being played.
    part: PartMix,
}

impl Mix {
    fn add(
        &mut self,
        start: f32,
        seconds: f32,
        pan: f32,
        mut voice: impl FnMut(f32, &mut Noise) -> f32,
    ) {
        let first = (start * SR).round() as usize;
        let count = (seconds * SR) as usize;
        let pan = (pan + self.part.pan).clamp(-1.0, 1.0);
        let gain = 10f32.powf(self.part.gain / 20.0);
        let (left, right) = ((1.0 - pan).min(1.0) * gain, (1.0 + pan).min(1.0) * gain);
        let send = self.part.reverb;
        for i in 0..count {
            let Some(frame) = self.frames.get_mut(first + i) else {
                break;
            };
            let sample = voice(i as f32 / SR, &mut self.noise);
            frame[0] += sample * left;
            frame[1] += sample * right;
            if send > 0.0 {
                let sent = &mut self.send[first + i];
                sent[0] += sample * left * send;
                sent[1] += sample * right * send;
            }
        }
    }

    fn kick(&mut self, at: f32) {
        let mut phase = 0.0f32;
        self.add(at, 0.35, 0.0, |t, _| {
            let freq = 50.0 + 110.0 * (-t * 30.0).exp();
            phase += TAU * freq / SR;
            phase.sin() * (-t * 9.0).exp() * 0.9
        });
    }

    fn snare(&mut self, at: f32) {
        let mut low = 0.0f32;
        self.add(at, 0.25, 0.0, |t, noise| {
            let n = noise.next();
            low += (n - low) * 0.35;
            let body = (TAU * 185.0 * t).sin() * (-t * 30.0).exp();
            (low * 0.9 * (-t * 18.0).exp() + body * 0.5) * 0.55
        });
    }

    fn hat(&mut self, at: f32, open: bool) {
        let mut low = 0.0f32;
        let decay = if open { 12.0 } else { 55.0 };
        self.add(at, 0.2, 0.3, |t, noise| {
            let n = noise.next();
            low += (n - low) * 0.2;
            (n - low) * (-t * decay).exp() * 0.22
        });
    }

    fn bass(&mut self, at: f32, note: f32, length: f32) {
        let freq = midi_to_hz(note);
        let mut phase = 0.0f32;
        let mut filtered = 0.0f32;
        self.add(at, length + 0.05, 0.0, |t, _| {
            phase = (phase + freq / SR).fract();
            let saw = phase * 2.0 - 1.0;
            // The filter closes as the note goes on: a plucked bass.
            let cutoff = 0.04 + 0.2 * (-t * 12.0).exp();
            filtered += (saw - filtered) * cutoff;
            let env = (t / 0.005).min(1.0)
                * if t > length {
                    (-(t - length) * 60.0).exp()
                } else {
                    1.0
                };
            filtered * env * 0.5
        });
    }

    fn pad(&mut self, at: f32, note: i32, voice: u8, length: f32) {
        let freq = midi_to_hz(note as f32);
        let pan = if voice.is_multiple_of(2) { -0.4 } else { 0.4 };
        let (mut a, mut b, mut filtered) = (0.0f32, 0.25f32, 0.0f32);
        self.add(at, length + 0.4, pan, |t, _| {
            a = (a + freq * 1.003 / SR).fract();
            b = (b + freq * 0.997 / SR).fract();
            let saw = (a + b) - 1.0;
            filtered += (saw - filtered) * 0.05;
            let attack = (t / 0.25).min(1.0);
            let release = if t > length {
                (-(t - length) * 8.0).exp()
            } else {
                1.0
            };
            filtered * attack * release * 0.09
        });
    }

    fn lead(&mut self, at: f32, note: f32, length: f32) {
        let freq = midi_to_hz(note);
        let mut phase = 0.0f32;
        let mut filtered = 0.0f32;
        self.add(at, length + 0.3, -0.2, |t, _| {
            phase = (phase + freq / SR).fract();
            let square = if phase < 0.3 { 1.0 } else { -1.0 };
            filtered += (square - filtered) * 0.18;
            let vibrato = 1.0 + 0.003 * (TAU * 5.5 * t).sin();
            let env = (t / 0.01).min(1.0) * (-t * 3.5).exp() * vibrato;
            let release = if t > length {
                (-(t - length) * 25.0).exp()
            } else {
                1.0
            };
            filtered * env * release * 0.2
        });
    }

    /// A sung "ah", "eh", "ee", "oh" or "oo": a pulse of the voice's pitch (with vibrato that
    /// grows as the note is held) through three resonators at the vowel's formants.
    fn vocal(&mut self, at: f32, note: f32, vowel: u8, length: f32) {
        let freq = midi_to_hz(note);
        let formants = VOWELS[vowel as usize % VOWELS.len()];
        let mut filters = formants.map(|(f, bandwidth, _)| Resonator::new(f, bandwidth));
        let mut phase = 0.0f32;
        self.add(at, length + 0.25, 0.1, |t, noise| {
            let vibrato = 1.0 + 0.006 * (t / 0.4).min(1.0) * (TAU * 5.2 * t).sin();
            phase = (phase + freq * vibrato / SR).fract();
            // A glottal-like pulse with a little breath.
            let source = (1.0 - 2.0 * phase) * (1.0 - phase) + 0.04 * noise.next();
            let voiced: f32 = filters
                .iter_mut()
                .zip(formants)
                .map(|(filter, (_, _, gain))| filter.process(source) * gain)
                .sum();
            let attack = (t / 0.04).min(1.0);
            let release = if t > length {
                (-(t - length) * 18.0).exp()
            } else {
                1.0
            };
            voiced * attack * release * 0.9
        });
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

/// A two-pole band-pass filter with unity gain at its centre.
struct Resonator {
    b0: f32,
    a1: f32,
    a2: f32,
    x1: f32,
    x2: f32,
    y1: f32,
    y2: f32,
}

impl Resonator {
    fn new(frequency: f32, bandwidth: f32) -> Self {
        let w0 = TAU * frequency / SR;
        let alpha = w0.sin() * bandwidth / (2.0 * frequency);
        let a0 = 1.0 + alpha;
        Self {
            b0: alpha / a0,
            a1: -2.0 * w0.cos() / a0,
            a2: (1.0 - alpha) / a0,
            x1: 0.0,
            x2: 0.0,
            y1: 0.0,
            y2: 0.0,
        }
    }

    fn process(&mut self, x: f32) -> f32 {
        let y = self.b0 * x - self.b0 * self.x2 - self.a1 * self.y1 - self.a2 * self.y2;
        self.x2 = self.x1;
        self.x1 = x;
        self.y2 = self.y1;
        self.y1 = y;
        y
    }
}

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
    };
    let all = events(sheet);
    for (i, event) in all.iter().enumerate() {
        let at = event.time as f32;
        let held = event.length as f32;
        mix.part = sheet.mix.part(part_name(event.part));
        match event.part {
            Part::Kick => mix.kick(at),
            Part::Snare => mix.snare(at),
            Part::Hat { open } => mix.hat(at, open),
            Part::Bass => mix.bass(at, event.pitch as f32, held),
            Part::Pad { voice } => mix.pad(at, event.pitch, voice, held),
            Part::Lead => mix.lead(at, event.pitch as f32, held),
            Part::Vocal { vowel } => mix.vocal(at, event.pitch as f32, vowel, held),
        }
        if i % 64 == 0 {
            // Mastering takes the last tenth.
            progress.store(
                (900 * i / all.len().max(1)) as u32,
                std::sync::atomic::Ordering::Relaxed,
            );
        }
    }
    let Mix {
        mut frames, send, ..
    } = mix;
    let wet = reverb(&send, sheet.mix.reverb);
    for (dry, wet) in frames.iter_mut().zip(wet) {
        dry[0] += wet[0];
        dry[1] += wet[1];
    }
    compress(&mut frames, sheet.mix.compression);
    master(frames)
}

/// The mix's name for a part.
pub fn part_name(part: Part) -> &'static str {
    match part {
        Part::Kick => "kick",
        Part::Snare => "snare",
        Part::Hat { .. } => "hat",
        Part::Bass => "bass",
        Part::Pad { .. } => "pad",
        Part::Lead => "lead",
        Part::Vocal { .. } => "vocal",
    }
}

/// A Freeverb-style room: eight damped combs in parallel and four all-passes in series for
/// each side, the right side's delays slightly longer so the room is wide.
fn reverb(send: &Frames, settings: ReverbSettings) -> Frames {
    const COMBS: [usize; 8] = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
    const ALLPASSES: [usize; 4] = [556, 441, 341, 225];
    const SPREAD: usize = 23;
    let feedback = 0.7 + 0.28 * settings.size.clamp(0.0, 1.0);
    let damping = 0.4 * settings.damping.clamp(0.0, 1.0);
    let mut out = vec![[0.0f32; 2]; send.len()];
    for side in 0..2 {
        let offset = side * SPREAD;
        let mut combs: Vec<(Vec<f32>, usize, f32)> = COMBS
            .iter()
            .map(|n| (vec![0.0; n + offset], 0, 0.0))
            .collect();
        let mut allpasses: Vec<(Vec<f32>, usize)> = ALLPASSES
            .iter()
            .map(|n| (vec![0.0; n + offset], 0))
            .collect();
        for (frame, sent) in out.iter_mut().zip(send) {
            // Freeverb's fixed input gain keeps eight summed combs in range.
            let input = sent[side] * 0.015;
            let mut sum = 0.0;
            for (buffer, index, store) in combs.iter_mut() {
                let delayed = buffer[*index];
                *store = delayed * (1.0 - damping) + *store * damping;
                buffer[*index] = input + *store * feedback;
                *index = (*index + 1) % buffer.len();
                sum += delayed;
            }
            for (buffer, index) in allpasses.iter_mut() {
                let delayed = buffer[*index];
                buffer[*index] = sum + delayed * 0.5;
                *index = (*index + 1) % buffer.len();
                sum = delayed - sum;
            }
            frame[side] = sum * 3.0;
        }
    }
    out
}

/// A feed-forward bus compressor on the stereo peak level, with attack and release.
fn compress(frames: &mut Frames, settings: CompressionSettings) {
    let attack = (-1.0 / (settings.attack_ms.max(0.1) * 0.001 * SR)).exp();
    let release = (-1.0 / (settings.release_ms.max(0.1) * 0.001 * SR)).exp();
    let slope = 1.0 - 1.0 / settings.ratio.max(1.0);
    let mut envelope_db = -120.0f32;
    for frame in frames.iter_mut() {
        let level = frame[0].abs().max(frame[1].abs()).max(1e-6);
        let level_db = 20.0 * level.log10();
        let coefficient = if level_db > envelope_db {
            attack
        } else {
            release
        };
        envelope_db = level_db + (envelope_db - level_db) * coefficient;
        let over = (envelope_db - settings.threshold).max(0.0);
        let gain = 10f32.powf(-over * slope / 20.0);
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

/// The integrated loudness every song is mastered to, as streaming services normalise.
pub const TARGET_LUFS: f64 = -14.0;
/// No sample is louder than this after mastering (−1 dBFS), leaving room for playback.
pub const CEILING: f32 = 0.891;

/// Integrated loudness (EBU R128) of stereo frames, in LUFS; `None` for silence.
pub fn loudness(frames: &Frames) -> Option<f64> {
    let mut meter = ebur128::EbuR128::new(2, SAMPLE_RATE, ebur128::Mode::I).ok()?;
    let interleaved: Vec<f32> = frames.iter().flat_map(|f| [f[0], f[1]]).collect();
    meter.add_frames_f32(&interleaved).ok()?;
    meter.loudness_global().ok().filter(|l| l.is_finite())
}

/// Master bus: gentle saturation for glue, gain to the target loudness, then a look-ahead
/// limiter so no sample passes the ceiling. Limiting takes a little loudness away, so the gain
/// is measured again and the limiter run once more.
fn master(mut frames: Frames) -> Frames {
    for frame in frames.iter_mut() {
        for s in frame.iter_mut() {
            *s = (*s * 1.2).tanh();
        }
    }
    for _ in 0..2 {
        let Some(measured) = loudness(&frames) else {
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
