//! Core benchmarks, as a plain harness: judge throughput in input events per second, and the
//! time to parse and validate a 10,000-note level. Run with `cargo bench --bench core`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use lightstick::core::chart::{Chart, PlacedKind};
use lightstick::core::judge::{Judge, JudgeSettings, autoplay_inputs};
use lightstick::core::level::load_level;
use lightstick::core::timing::TimingMap;

/// Runs `work` repeatedly for about `budget` and returns the fastest run.
fn fastest(budget: Duration, mut work: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut best = Duration::MAX;
    let mut runs = 0;
    while runs < 3 || start.elapsed() < budget {
        let t = Instant::now();
        work();
        best = best.min(t.elapsed());
        runs += 1;
    }
    best
}

fn dense_chart(notes: usize) -> Chart {
    Chart::from_beats(
        "Bench",
        10,
        4,
        TimingMap::constant(0.0, 180.0),
        (0..notes).map(|i| {
            let kind = match i % 10 {
                3 => PlacedKind::Hold {
                    end_beat: i as f64 * 0.25 + 0.2,
                },
                7 => PlacedKind::Mine,
                _ => PlacedKind::Tap,
            };
            ((i % 4) as u8, i as f64 * 0.25, kind)
        }),
    )
}

fn judge_throughput() {
    let chart = dense_chart(20_000);
    let inputs = autoplay_inputs(&chart);
    let elapsed = fastest(Duration::from_secs(3), || {
        let mut judge = Judge::new(chart.clone(), JudgeSettings::default());
        for input in &inputs {
            judge.input(*input);
        }
        judge.finish();
        black_box(judge.score().score());
    });
    println!(
        "judge: {} input events in {:.2} ms = {:.2} million events/s",
        inputs.len(),
        elapsed.as_secs_f64() * 1000.0,
        inputs.len() as f64 / elapsed.as_secs_f64() / 1e6
    );
}

fn parse_and_validate() {
    let dir = std::env::temp_dir().join(format!("lightstick-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // 10,000 notes: 625 measures of sixteen rows with a tap on each, at 240 BPM.
    let mut measures = Vec::new();
    for m in 0..625 {
        let rows: Vec<String> = (0..16)
            .map(|r| {
                let mut row = ['0'; 4];
                row[(m + r) % 4] = '1';
                format!("\"{}\"", row.iter().collect::<String>())
            })
            .collect();
        measures.push(format!("[{}]", rows.join(", ")));
    }
    let source = format!(
        "(format: 1, title: \"Bench\", artist: \"Bench\", audio: \"song.wav\",\n timing: (bpms: [(beat: 0.0, bpm: 240.0)]),\n charts: [(difficulty: \"Bench\", meter: 10, lanes: 4, measures: [\n{}\n])])\n",
        measures.join(",\n")
    );
    std::fs::write(dir.join("level.ron"), &source).unwrap();
    lightstick::music::synth::write_silence(&dir.join("song.wav"), 640.0, 1000).unwrap();
    let elapsed = fastest(Duration::from_secs(3), || {
        let report = load_level(&dir);
        assert!(!report.has_errors(), "{:?}", report.diagnostics.first());
        black_box(report.level.unwrap().charts[0].notes.len());
    });
    println!(
        "level: parse + validate of 10,000 notes ({} KB) in {:.2} ms",
        source.len() / 1024,
        elapsed.as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    // `cargo test --benches` runs this with --bench absent; keep that quick.
    judge_throughput();
    parse_and_validate();
}
