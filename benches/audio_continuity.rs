//! Whether the music keeps going while the game renders: records what PulseAudio's null sink
//! really played (`parec` on its monitor) while the game plays a whole song in a window, lines
//! the recording up with the song's own render second by second, and reports how far the music
//! fell behind wall time and how long it dropped out. Runs with the machine idle, then with
//! busy processes beside the game.
//!
//! `cargo bench --profile dev --bench audio_continuity [-- --level NAME --busy 0,4 --seconds S]`
//! needs an X display (Xvfb), PulseAudio with its null sink and `parec` (see scripts/test).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use lightstick::core::level::load_level;

/// Envelope resolution: one value per millisecond.
const BLOCK_MS: usize = 1;
/// A recording quieter than this while the song is not is a dropout.
const SILENT: f32 = 1e-4;
const AUDIBLE: f32 = 2e-3;

struct Options {
    level: String,
    busy: Vec<usize>,
    seconds: Option<f64>,
    /// Freezes the game for 300 ms this many seconds in: a stall the harness must see.
    stall_at: Option<f64>,
}

fn options() -> Options {
    let mut options = Options {
        level: "neon-heartbeat".into(),
        busy: vec![0, 4],
        seconds: None,
        stall_at: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--level" => options.level = value,
            "--busy" => options.busy = value.split(',').filter_map(|n| n.parse().ok()).collect(),
            "--seconds" => options.seconds = value.parse().ok(),
            "--stall-at" => options.stall_at = value.parse().ok(),
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    options
}

fn mono_envelope(samples: &[f32], channels: usize, rate: usize) -> Vec<f32> {
    let block = rate * BLOCK_MS / 1000 * channels;
    samples
        .chunks(block)
        .map(|c| c.iter().map(|s| s.abs()).sum::<f32>() / c.len() as f32)
        .collect()
}

fn read_reference(path: &Path) -> (Vec<f32>, usize) {
    let mut reader = hound::WavReader::open(path).expect("the render is a WAV");
    let spec = reader.spec();
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().map(Result::unwrap).collect(),
        hound::SampleFormat::Int => {
            let scale = (1i64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.unwrap() as f32 / scale)
                .collect()
        }
    };
    (
        mono_envelope(&samples, spec.channels as usize, spec.sample_rate as usize),
        spec.sample_rate as usize,
    )
}

/// Normalised correlation of `a` with `b` (same length).
fn correlation(a: &[f32], b: &[f32]) -> f32 {
    let mean = |x: &[f32]| x.iter().sum::<f32>() / x.len() as f32;
    let (ma, mb) = (mean(a), mean(b));
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x - ma, y - mb);
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    ab / (aa * bb).sqrt().max(1e-12)
}

/// The offset in `recording` (ms) where `window` fits best, searched over `range`.
fn best_offset(recording: &[f32], window: &[f32], range: std::ops::Range<i64>) -> (i64, f32) {
    let mut best = (range.start, f32::MIN);
    for offset in range {
        let Ok(start) = usize::try_from(offset) else {
            continue;
        };
        let Some(slice) = recording.get(start..start + window.len()) else {
            break;
        };
        let c = correlation(slice, window);
        if c > best.1 {
            best = (offset, c);
        }
    }
    best
}

struct Measured {
    /// How far behind wall time the music ended, against where it started (ms).
    behind_ms: i64,
    /// The most it was behind at any second (ms).
    worst_behind_ms: i64,
    dropout_ms: usize,
    longest_dropout_ms: usize,
    dropouts_over_10ms: usize,
    seconds: usize,
}

fn measure(recording: &[f32], reference: &[f32], seconds: Option<f64>) -> Option<Measured> {
    let start = reference.iter().position(|e| *e > AUDIBLE)? + 500;
    let probe = reference.get(start..start + 3000)?;
    // The song starts after loading and a count-in: found coarsely, then to the millisecond.
    let coarse: Vec<f32> = recording
        .chunks(10)
        .map(|c| c.iter().sum::<f32>())
        .collect();
    let coarse_probe: Vec<f32> = probe.chunks(10).map(|c| c.iter().sum::<f32>()).collect();
    // The song starts within the first minute, however slowly the game loads.
    let (at, _) = best_offset(&coarse, &coarse_probe, 0..(coarse.len() as i64).min(6_000));
    let (found, quality) = best_offset(recording, probe, at * 10 - 20..at * 10 + 20);
    if quality < 0.5 {
        eprintln!("the song was not found in the recording (correlation {quality:.2})");
        return None;
    }
    let first_lag = found - start as i64;
    println!(
        "  recorded {:.1} s; the song starts {:.1} s in",
        recording.len() as f64 / 1000.0,
        (found - start as i64) as f64 / 1000.0
    );
    let mut lag = first_lag;
    let mut worst = 0;
    let last = seconds
        .map_or(reference.len(), |s| (s * 1000.0) as usize)
        .min(reference.len());
    let mut second = start;
    let mut counted = 0;
    while second + 1000 <= last && (second as i64 + lag + 1000) as usize <= recording.len() {
        let window = &reference[second..second + 1000];
        if window.iter().any(|e| *e > AUDIBLE) {
            let (at, quality) = best_offset(
                recording,
                window,
                second as i64 + lag - 30..second as i64 + lag + 400,
            );
            if quality > 0.5 {
                lag = at - second as i64;
                worst = worst.max(lag - first_lag);
            }
        }
        second += 1000;
        counted += 1;
    }
    // Dropouts: the recording silent where the song, lined up, is not.
    let (mut total, mut longest, mut over_10, mut run) = (0, 0, 0, 0);
    let mut lag_at = first_lag;
    for (i, r) in reference.iter().enumerate().take(last).skip(start) {
        let j = i as i64 + lag_at;
        let Some(heard) = usize::try_from(j).ok().and_then(|j| recording.get(j)) else {
            break;
        };
        if *heard < SILENT && *r > AUDIBLE {
            run += 1;
            // A dropout pushes everything after it later.
            lag_at += 1;
        } else if run > 0 {
            total += run;
            longest = longest.max(run);
            over_10 += usize::from(run > 10);
            run = 0;
        }
    }
    Some(Measured {
        behind_ms: lag - first_lag,
        worst_behind_ms: worst,
        dropout_ms: total,
        longest_dropout_ms: longest,
        dropouts_over_10ms: over_10,
        seconds: counted,
    })
}

fn busy(count: usize) -> Vec<Child> {
    (0..count)
        .map(|_| {
            Command::new("sh")
                .args(["-c", "while :; do :; done"])
                .spawn()
                .expect("sh runs")
        })
        .collect()
}

fn record(into: &Path, rate: usize) -> Child {
    let file = std::fs::File::create(into).unwrap();
    Command::new("parec")
        .args([
            "-d",
            "auto_null.monitor",
            "--format=float32le",
            &format!("--rate={rate}"),
            "--channels=1",
            "--raw",
            "--latency-msec=50",
        ])
        .stdout(file)
        .spawn()
        .expect("parec runs: install pulseaudio-utils and start PulseAudio")
}

fn run_once(
    level: &str,
    length: f64,
    busy_count: usize,
    options: &Options,
    (reference, rate): (&[f32], usize),
) {
    let dir = std::env::temp_dir().join(format!("lightstick-continuity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let raw = dir.join(format!("busy-{busy_count}.f32"));
    // Silence played all along keeps the null sink from suspending while nothing else plays,
    // so the recording runs on wall time from the start.
    let mut keep_awake = Command::new("pacat")
        .args([
            "--raw",
            "--format=s16le",
            "--rate=44100",
            "--channels=1",
            "/dev/zero",
        ])
        .spawn()
        .expect("pacat runs");
    let mut recorder = record(&raw, rate);
    std::thread::sleep(Duration::from_millis(300));
    let mut load = busy(busy_count);
    // Loading a level on a loaded machine takes a while: room for it beside the song.
    let play_for = options.seconds.unwrap_or(length) + 30.0;
    let child = Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .args(["play", level, "-d", "Hard", "--autoplay", "--exit-after"])
        .arg(format!("{play_for}"))
        .env("LIGHTSTICK_DATA_DIR", dir.join("data"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the game runs");
    if let Some(at) = options.stall_at {
        let pid = child.id().to_string();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs_f64(at));
            let signal = |name: &str| {
                let _ = Command::new("kill").args([name, &pid]).status();
            };
            signal("-STOP");
            std::thread::sleep(Duration::from_millis(300));
            signal("-CONT");
        });
    }
    let game = child.wait_with_output().expect("the game runs");
    for mut child in load.drain(..) {
        let _ = child.kill();
        let _ = child.wait();
    }
    std::thread::sleep(Duration::from_millis(300));
    let _ = recorder.kill();
    let _ = recorder.wait();
    let _ = keep_awake.kill();
    let _ = keep_awake.wait();
    let log = String::from_utf8_lossy(&game.stderr);
    for line in log
        .lines()
        .filter(|l| l.contains("frame time") || l.contains("stall"))
    {
        println!(
            "  game: {}",
            line.split("lightstick").last().unwrap_or(line).trim()
        );
    }
    let bytes = std::fs::read(&raw).unwrap();
    let samples: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let recording = mono_envelope(&samples, 1, rate);
    match measure(&recording, reference, options.seconds) {
        Some(m) => println!(
            "{busy_count} busy processes: over {} s of music, {} ms behind wall time at the end (worst {} ms); dropouts {} ms in all, longest {} ms, {} over 10 ms",
            m.seconds,
            m.behind_ms,
            m.worst_behind_ms,
            m.dropout_ms,
            m.longest_dropout_ms,
            m.dropouts_over_10ms
        ),
        None => println!("{busy_count} busy processes: no measurement"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let options = options();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let report = load_level(&root.join("levels").join(&options.level));
    let level = report.level.expect("the level is valid");
    if let Some(sheet) = &level.sheet {
        lightstick::music::ensure_rendered(sheet, &level.audio, &Default::default())
            .expect("the song renders");
    }
    let (reference, rate) = read_reference(&level.audio);
    println!(
        "{}: {:.0} s song, recorded from the null sink's monitor",
        level.slug, level.audio_length
    );
    for &count in &options.busy {
        run_once(
            &level.slug,
            level.audio_length,
            count,
            &options,
            (&reference, rate),
        );
    }
}
