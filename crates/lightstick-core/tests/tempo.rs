//! A level maker's own song timed from its audio: the estimate of the tempo and the first beat
//! is within 0.1 BPM and 5 ms on every shipped song's render, on renders of the songs at other
//! tempi, and with seconds of silence before the music. Run with `--nocapture` for the table of
//! errors per song.

use std::path::Path;

use lightstick_core::level::load_level;
use lightstick_core::music::sheet::{parse_sheet_with_warnings, read_sheet_text};
use lightstick_core::music::synth::{SAMPLE_RATE, render};
use lightstick_core::tempo::estimate;
use rayon::prelude::*;

const MAX_BPM_ERROR: f64 = 0.1;
const MAX_OFFSET_ERROR: f64 = 0.005;
const SILENCE_SECONDS: f64 = 3.0;

/// A sheet's text with its main tempo set to `bpm`.
fn at_tempo(text: &str, bpm: f64) -> String {
    let mut done = false;
    text.lines()
        .map(|line| {
            if !done && line.trim_start().starts_with("bpm:") {
                done = true;
                let indent = &line[..line.len() - line.trim_start().len()];
                format!("{indent}bpm: {bpm:.1},")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

struct Case {
    name: String,
    samples: Vec<f32>,
    bpm: f64,
    offset: f64,
}

fn render_mono(path: &Path, text: &str) -> Vec<f32> {
    let (sheet, _) = parse_sheet_with_warnings(path, text).expect("a shipped sheet parses");
    render(&sheet).iter().map(|[l, r]| (l + r) * 0.5).collect()
}

#[test]
fn the_tempo_and_first_beat_of_every_shipped_song_are_found() {
    let levels = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../levels");
    let mut songs: Vec<(String, std::path::PathBuf, f64, f64)> = Vec::new();
    for entry in std::fs::read_dir(&levels).unwrap().flatten() {
        // The lesson's backing track is a steady count, not one of the songs.
        if entry.file_name() == "how-to-play" {
            continue;
        }
        let report = load_level(&entry.path());
        let level = report.level.expect("a shipped level loads");
        let sheet = level.sheet.clone().expect("shipped levels are song sheets");
        let (bpm, _) = level.timing.bpm_range();
        songs.push((
            level.slug.clone(),
            sheet,
            bpm.min(level.timing.bpm_at_beat(0.0)),
            level.timing.time_at_beat(0.0),
        ));
    }
    songs.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(songs.len(), 6);
    // Each song as shipped, 13 % faster (a tempo it was never written at), and as shipped
    // after seconds of silence.
    let cases: Vec<Case> = songs
        .par_iter()
        .flat_map(|(name, sheet, bpm, offset)| {
            let text = read_sheet_text(sheet).unwrap();
            let faster = (bpm * 1.13 * 2.0).round() / 2.0;
            let original = render_mono(sheet, &text);
            let mut padded = vec![0.0; (SILENCE_SECONDS * f64::from(SAMPLE_RATE)) as usize];
            padded.extend_from_slice(&original);
            vec![
                Case {
                    name: name.clone(),
                    samples: original,
                    bpm: *bpm,
                    offset: *offset,
                },
                Case {
                    name: format!("{name} at {faster} BPM"),
                    samples: render_mono(sheet, &at_tempo(&text, faster)),
                    bpm: faster,
                    offset: *offset,
                },
                Case {
                    name: format!("{name} after {SILENCE_SECONDS} s of silence"),
                    samples: padded,
                    bpm: *bpm,
                    offset: offset + SILENCE_SECONDS,
                },
            ]
        })
        .collect();
    let mut failures = Vec::new();
    println!(
        "{:<48} {:>8} {:>9} {:>10} {:>9}",
        "song", "bpm", "bpm err", "offset", "err ms"
    );
    for case in &cases {
        let found = estimate(&case.samples, SAMPLE_RATE).expect("a beat is found");
        let bpm_error = found.bpm - case.bpm;
        let offset_error = found.offset - case.offset;
        println!(
            "{:<48} {:>8.3} {:>+9.4} {:>10.4} {:>+9.2}",
            case.name,
            found.bpm,
            bpm_error,
            found.offset,
            offset_error * 1000.0
        );
        if bpm_error.abs() > MAX_BPM_ERROR || offset_error.abs() > MAX_OFFSET_ERROR {
            failures.push(format!(
                "{}: {:.3} BPM at {:.4} s, the truth is {} BPM at {:.4} s",
                case.name, found.bpm, found.offset, case.bpm, case.offset
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_new_level_from_audio_validates_with_its_tempo_and_an_empty_easy_chart() {
    let dir = tempfile::tempdir().unwrap();
    let audio = dir.path().join("My Song.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(&audio, spec).unwrap();
    // A kick every beat at 132 BPM from 1.5 s on, louder from 20 s on, for 40 s.
    let period = 60.0 / 132.0;
    for i in 0..44_100 * 40 {
        let t = i as f64 / 44_100.0;
        let since = (t - 1.5).rem_euclid(period);
        let gain = if t < 1.5 {
            0.0
        } else if t > 20.0 {
            0.9
        } else {
            0.4
        };
        let v = gain * (-since * 40.0).exp() * (since * 2.0 * std::f64::consts::PI * 60.0).sin();
        writer.write_sample((v * 30_000.0) as i16).unwrap();
    }
    writer.finalize().unwrap();
    let out = dir.path().join("my-song");
    let made = lightstick_core::level::skeleton::new_level(&audio, &out, false).unwrap();
    assert!(
        (made.estimate.bpm - 132.0).abs() < 0.1,
        "{:?}",
        made.estimate
    );
    assert!(
        (made.estimate.offset - 1.5).abs() < 0.005,
        "{:?}",
        made.estimate
    );
    assert_eq!(made.title, "My Song");
    assert!(
        made.preview_start >= 19.0,
        "the preview is on the loud part: {}",
        made.preview_start
    );
    let report = load_level(&out);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    let text = std::fs::read_to_string(out.join("level.ron")).unwrap();
    assert!(
        text.contains("bpm: 132.0") || text.contains("bpm: 131.99") || text.contains("bpm: 132.01"),
        "{text}"
    );
    assert!(text.contains("difficulty: \"Easy\""));
    assert!(out.join("My Song.wav").is_file());
    // A second run leaves the level alone unless forced.
    assert!(lightstick_core::level::skeleton::new_level(&audio, &out, false).is_err());
    assert!(lightstick_core::level::skeleton::new_level(&audio, &out, true).is_ok());
}
