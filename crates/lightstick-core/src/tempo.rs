//! Finding a song's tempo and first beat from its audio, for a level maker timing their own
//! song: onsets from a spectral flux (realfft), a coarse tempo from the flux's autocorrelation,
//! then the exact period and phase from the onsets themselves.
//!
//! The coarse tempo only has to land within a percent or two: the period is then fitted to the
//! onsets of the first minute of music, weighted towards the bass, where kicks sit on the beat.
//! A minute of onsets timed to a millisecond pins the period to a few microseconds.

use realfft::RealFftPlanner;

/// What the estimate found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TempoEstimate {
    pub bpm: f64,
    /// Song time of the first beat, in seconds.
    pub offset: f64,
    /// The share of the music's onsets, by weight, that fall on the quarter-beat grid of
    /// this tempo, 0 to 1.
    pub confidence: f64,
    /// Double or half the tempo, when the music fits it almost as well.
    pub alternative: Option<f64>,
}

const WINDOW: usize = 2048;
/// Seconds between spectra: 5 ms.
const HOP_SECONDS: f64 = 0.005;
const MIN_BPM: f64 = 60.0;
/// The middle of pop music's tempos: of two tempos an octave apart that fit alike, the one
/// nearer this is the beat people dance to.
const PREFERRED_BPM: f64 = 120.0;
/// Pop music has this many onsets a beat, from quarters to busy eighths.
const ONSETS_PER_BEAT: std::ops::RangeInclusive<f64> = 1.0..=3.0;
/// A tempo fits "nearly as well" with this share of the best score.
const NEARLY_AS_WELL: f64 = 0.8;
const MAX_BPM: f64 = 200.0;
/// Onsets this far into the music are fitted; tempo changes later in a song leave the first
/// tempo's fit alone.
const FIT_SECONDS: f64 = 60.0;
/// The first beat's phase is read from this many seconds of onsets.
const PHASE_SECONDS: f64 = 8.0;
/// Below this frequency the flux weighs an onset: kicks and bass mark the beat.
const BASS_HZ: f64 = 200.0;

/// Spectral flux per hop: over every bin, and over the bass bins alone.
fn flux(samples: &[f32], sample_rate: u32) -> (Vec<f64>, Vec<f64>, usize) {
    let hop = ((f64::from(sample_rate) * HOP_SECONDS).round() as usize).max(1);
    let mut planner = RealFftPlanner::<f32>::new();
    let fft = planner.plan_fft_forward(WINDOW);
    let window: Vec<f32> = (0..WINDOW)
        .map(|i| {
            let x = std::f32::consts::TAU * i as f32 / WINDOW as f32;
            0.5 - 0.5 * x.cos()
        })
        .collect();
    let bass_bins = ((BASS_HZ * WINDOW as f64 / f64::from(sample_rate)).ceil() as usize).max(2);
    let mut input = fft.make_input_vec();
    let mut spectrum = fft.make_output_vec();
    let mut previous = vec![0f32; spectrum.len()];
    let frames = samples.len().saturating_sub(WINDOW) / hop + 1;
    let mut all = Vec::with_capacity(frames);
    let mut bass = Vec::with_capacity(frames);
    for frame in 0..frames {
        let start = frame * hop;
        for (i, slot) in input.iter_mut().enumerate() {
            *slot = samples.get(start + i).copied().unwrap_or(0.0) * window[i];
        }
        if fft.process(&mut input, &mut spectrum).is_err() {
            break;
        }
        let (mut total, mut low) = (0f64, 0f64);
        for (k, bin) in spectrum.iter().enumerate() {
            let level = (1.0 + 100.0 * bin.norm()).ln();
            let rise = f64::from((level - previous[k]).max(0.0));
            total += rise;
            if k < bass_bins {
                low += rise;
            }
            previous[k] = level;
        }
        all.push(total);
        bass.push(low);
    }
    (all, bass, hop)
}

/// The flux with its local mean taken away and what is left below zero cut off.
fn whitened(flux: &[f64], hop_seconds: f64) -> Vec<f64> {
    let half = ((0.25 / hop_seconds) as usize).max(1);
    let mut prefix = vec![0.0; flux.len() + 1];
    for (i, v) in flux.iter().enumerate() {
        prefix[i + 1] = prefix[i] + v;
    }
    (0..flux.len())
        .map(|i| {
            let (a, b) = (i.saturating_sub(half), (i + half + 1).min(flux.len()));
            let mean = (prefix[b] - prefix[a]) / (b - a) as f64;
            (flux[i] - mean).max(0.0)
        })
        .collect()
}

/// The autocorrelation of `signal` at every lag, through the FFT.
fn autocorrelation(signal: &[f64]) -> Vec<f64> {
    let n = (signal.len() * 2).next_power_of_two().max(2);
    let mut planner = RealFftPlanner::<f64>::new();
    let forward = planner.plan_fft_forward(n);
    let inverse = planner.plan_fft_inverse(n);
    let mut input = forward.make_input_vec();
    input[..signal.len()].copy_from_slice(signal);
    let mut spectrum = forward.make_output_vec();
    if forward.process(&mut input, &mut spectrum).is_err() {
        return vec![0.0; signal.len()];
    }
    for bin in spectrum.iter_mut() {
        *bin = realfft::num_complex::Complex::new(bin.norm_sqr(), 0.0);
    }
    let mut output = inverse.make_output_vec();
    if inverse.process(&mut spectrum, &mut output).is_err() {
        return vec![0.0; signal.len()];
    }
    output.truncate(signal.len());
    output
}

fn at_lag(r: &[f64], lag: f64) -> f64 {
    let i = lag.floor() as usize;
    let f = lag - lag.floor();
    match (r.get(i), r.get(i + 1)) {
        (Some(a), Some(b)) => a * (1.0 - f) + b * f,
        (Some(a), None) => *a,
        _ => 0.0,
    }
}

/// How well a tempo fits the flux's autocorrelation: the beat and its multiples.
fn comb_score(r: &[f64], bpm: f64, hop_seconds: f64) -> f64 {
    let lag = 60.0 / bpm / hop_seconds;
    (1..=4).map(|k| at_lag(r, lag * k as f64)).sum::<f64>() / 4.0
}

/// Onset times (refined in the waveform) with their weights.
fn onsets(
    samples: &[f32],
    sample_rate: u32,
    all: &[f64],
    bass: &[f64],
    hop: usize,
) -> Vec<(f64, f64)> {
    let hop_seconds = hop as f64 / f64::from(sample_rate);
    let strength = whitened(all, hop_seconds);
    let mean = strength.iter().sum::<f64>() / strength.len().max(1) as f64;
    let reach = (0.03 / hop_seconds).ceil() as usize;
    let mut found = Vec::new();
    for i in 1..strength.len() {
        let v = strength[i];
        if v <= mean * 1.5 {
            continue;
        }
        let (a, b) = (i.saturating_sub(reach), (i + reach + 1).min(strength.len()));
        if strength[a..b].iter().any(|w| *w > v) || strength[a..i].contains(&v) {
            continue;
        }
        // The flux frame straddles the attack; the attack itself is found in the waveform.
        let centre = i * hop + WINDOW / 2;
        let Some(time) = attack_time(samples, sample_rate, centre) else {
            continue;
        };
        let weight = bass.get(i).copied().unwrap_or(0.0) + 0.1 * all[i];
        found.push((time, weight));
    }
    found
}

/// Where the attack nearest `around` (a sample index) begins: where the short-time energy
/// first climbs a third of the way from the quiet before it to its peak.
fn attack_time(samples: &[f32], sample_rate: u32, around: usize) -> Option<f64> {
    let sr = f64::from(sample_rate);
    let span = (0.05 * sr) as usize;
    let (start, end) = (
        around.saturating_sub(span),
        (around + span / 2).min(samples.len()),
    );
    if end <= start + 64 {
        return None;
    }
    let step = ((0.0005 * sr) as usize).max(1);
    let width = ((0.002 * sr) as usize).max(1);
    let energy: Vec<(usize, f64)> = (start..end.saturating_sub(width))
        .step_by(step)
        .map(|s| {
            let e = samples[s..s + width]
                .iter()
                .map(|v| f64::from(*v) * f64::from(*v))
                .sum::<f64>();
            (s, e)
        })
        .collect();
    let (peak_at, peak) = energy.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let base = energy
        .iter()
        .filter(|(s, _)| *s <= peak_at)
        .map(|(_, e)| *e)
        .fold(f64::INFINITY, f64::min);
    let threshold = base + (peak - base) / 3.0;
    let (crossing, _) = energy
        .iter()
        .filter(|(s, _)| *s <= peak_at)
        .rev()
        .take_while(|(_, e)| *e >= threshold)
        .last()?;
    Some((*crossing as f64 + width as f64 / 2.0) / sr)
}

/// The weighted sum of the onsets as phasors of period `t`: its power and its phase (radians).
fn phasor(onsets: &[(f64, f64)], t: f64) -> (f64, f64) {
    let (mut re, mut im) = (0.0, 0.0);
    for (time, weight) in onsets {
        let angle = std::f64::consts::TAU * time / t;
        re += weight * angle.cos();
        im += weight * angle.sin();
    }
    (re * re + im * im, im.atan2(re))
}

/// The period (seconds) near `period` that the onsets fit best, and the phase (seconds) of its
/// quarter-beat grid. Onsets on the beat and on the half and quarter beats all count: music with
/// eighths as loud as its beats cancels itself out at the beat's period alone.
fn fit(onsets: &[(f64, f64)], period: f64) -> (f64, f64) {
    let score = |t: f64| -> f64 {
        [1.0, 2.0, 4.0]
            .iter()
            .map(|h| phasor(onsets, t / h).0)
            .sum()
    };
    let steps = 4000;
    let (lo, hi) = (period * 0.98, period * 1.02);
    let step = (hi - lo) / steps as f64;
    let values: Vec<f64> = (0..=steps).map(|i| score(lo + step * i as f64)).collect();
    let mut best = (0, f64::NEG_INFINITY);
    for (i, v) in values.iter().enumerate() {
        if *v > best.1 {
            best = (i, *v);
        }
    }
    let i = best.0.clamp(1, steps - 1);
    let (a, b, c) = (values[i - 1], values[i], values[i + 1]);
    let shift = if (a - 2.0 * b + c).abs() > 0.0 {
        0.5 * (a - c) / (a - 2.0 * b + c)
    } else {
        0.0
    };
    let fitted = lo + step * (i as f64 + shift.clamp(-1.0, 1.0));
    // The phase is read from the first seconds only, where a period a hair off has not yet
    // moved the grid.
    let first = onsets.first().map_or(0.0, |o| o.0);
    let early: Vec<(f64, f64)> = onsets
        .iter()
        .filter(|(t, _)| *t <= first + PHASE_SECONDS)
        .map(|(t, w)| (t - first, *w))
        .collect();
    let grid = fitted / 4.0;
    let phase = phasor(&early, grid).1 / std::f64::consts::TAU * grid;
    (fitted, (first + phase).rem_euclid(grid))
}

/// Where the music starts: the first sample within 40 dB of the loudest.
fn music_start(samples: &[f32], sample_rate: u32) -> f64 {
    let peak = samples.iter().fold(0f32, |m, v| m.max(v.abs()));
    let threshold = peak * 0.01;
    samples
        .iter()
        .position(|v| v.abs() >= threshold)
        .map_or(0.0, |i| i as f64 / f64::from(sample_rate))
}

/// The tempo and first beat of `samples` (one channel at `sample_rate`), or `None` for audio
/// too short or too quiet to have a beat.
pub fn estimate(samples: &[f32], sample_rate: u32) -> Option<TempoEstimate> {
    if sample_rate == 0 || samples.len() < sample_rate as usize * 4 {
        return None;
    }
    let (all, bass, hop) = flux(samples, sample_rate);
    let hop_seconds = hop as f64 / f64::from(sample_rate);
    let r = autocorrelation(&whitened(&all, hop_seconds));
    let candidates: Vec<(f64, f64)> = (0..=((MAX_BPM - MIN_BPM) * 4.0) as usize)
        .map(|i| {
            let bpm = MIN_BPM + i as f64 * 0.25;
            (bpm, comb_score(&r, bpm, hop_seconds))
        })
        .collect();
    let (strongest, best) = candidates
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    if best <= 0.0 {
        return None;
    }
    let start = music_start(samples, sample_rate);
    let found: Vec<(f64, f64)> = onsets(samples, sample_rate, &all, &bass, hop)
        .into_iter()
        .filter(|(t, _)| *t >= start - 0.05 && *t <= start + FIT_SECONDS)
        .collect();
    if found.len() < 8 {
        return None;
    }
    // Double and half the strongest tempo fit music nearly as well (a half-time beat, eighths
    // as loud as the beat). Of those that fit nearly as well, the one taken is nearest the
    // middle of pop's tempos with pop's density of one to three onsets a beat; the other is
    // offered as the alternative.
    let span = (found[found.len() - 1].0 - found[0].0).max(1.0);
    let onsets_per_second = found.len() as f64 / span;
    let unlikeliness = |bpm: f64| {
        let per_beat = onsets_per_second * 60.0 / bpm;
        let density = if per_beat < *ONSETS_PER_BEAT.start() {
            (ONSETS_PER_BEAT.start() / per_beat).log2()
        } else if per_beat > *ONSETS_PER_BEAT.end() {
            (per_beat / ONSETS_PER_BEAT.end()).log2()
        } else {
            0.0
        };
        (bpm / PREFERRED_BPM).log2().abs() + density
    };
    let coarse = [strongest, strongest * 2.0, strongest / 2.0]
        .into_iter()
        .filter(|b| (MIN_BPM..=MAX_BPM * 1.3).contains(b))
        .filter(|b| comb_score(&r, *b, hop_seconds) >= best * NEARLY_AS_WELL)
        .min_by(|a, b| unlikeliness(*a).total_cmp(&unlikeliness(*b)))
        .unwrap_or(strongest);
    let (period, phase) = fit(&found, 60.0 / coarse);
    let bpm = 60.0 / period;
    // The music starts on its first beat: the point of the quarter-beat grid nearest its start.
    let grid = period / 4.0;
    let offset = phase + ((start - phase) / grid).round() * grid;
    // The confidence is how much of the onsets' weight falls on the quarter-beat grid.
    let total: f64 = found.iter().map(|o| o.1).sum();
    let confidence = (phasor(&found, period / 4.0).0.sqrt() / total.max(1e-12)).clamp(0.0, 1.0);
    let alternative = [bpm * 2.0, bpm / 2.0]
        .into_iter()
        .filter(|b| (MIN_BPM * 0.75..=MAX_BPM * 1.5).contains(b))
        .map(|b| (b, comb_score(&r, b, hop_seconds)))
        .filter(|(_, s)| *s >= best * NEARLY_AS_WELL)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(b, _)| b);
    Some(TempoEstimate {
        bpm,
        offset,
        confidence,
        alternative,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Clicks at `bpm` from `first` seconds on, over `seconds`.
    fn clicks(bpm: f64, first: f64, seconds: f64) -> Vec<f32> {
        let sr = 44_100.0;
        let mut samples = vec![0f32; (seconds * sr) as usize];
        let mut t = first;
        while t < seconds - 0.1 {
            let at = (t * sr) as usize;
            for i in 0..400 {
                let decay = (-(i as f32) / 80.0).exp();
                samples[at + i] += decay * (i as f32 * 0.3).sin();
            }
            t += 60.0 / bpm;
        }
        samples
    }

    #[test]
    fn a_click_track_gives_its_tempo_and_first_click() {
        for (bpm, first) in [(128.0, 0.5), (96.0, 2.25), (150.5, 1.0)] {
            let estimate = estimate(&clicks(bpm, first, 40.0), 44_100).unwrap();
            assert!((estimate.bpm - bpm).abs() < 0.05, "{bpm}: {estimate:?}");
            assert!(
                (estimate.offset - first).abs() < 0.005,
                "{first}: {estimate:?}"
            );
        }
    }

    #[test]
    fn silence_has_no_tempo() {
        assert!(estimate(&vec![0.0; 44_100 * 10], 44_100).is_none());
        assert!(estimate(&[0.5; 100], 44_100).is_none());
    }
}
