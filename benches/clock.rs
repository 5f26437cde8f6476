//! Song-clock quality on a real audio device: plays a three-minute song through kira
//! (PulseAudio's null sink on machines without a sound card) with the game's own gameplay
//! plugins at about 60 frames a second. Reports the jitter of song time against real time per
//! frame over the first 60 s and the whole song, and the clock's error against kira's own
//! positions (its drift) at the start and the end.
//!
//! `cargo bench --bench clock` (needs a sound server; `scripts/test` shows how to start one).

use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use lightstick::core::judge::JudgeSettings;
use lightstick::core::level::load_level;
use lightstick::gameplay::clock::{ClockPhase, ClockSource, SongClock};
use lightstick::gameplay::{PlayMode, PlayRequest};
use lightstick::screens::Screen;

const MEASURE: Duration = Duration::from_secs(180);

/// (standard deviation, 99th percentile of the absolute value).
fn spread(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let std = (values.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / n).sqrt();
    let mut sorted: Vec<f64> = values.iter().map(|e| e.abs()).collect();
    sorted.sort_by(f64::total_cmp);
    (std, sorted[((sorted.len() as f64) * 0.99) as usize - 1])
}

fn main() {
    let dir = std::env::temp_dir().join(format!("lightstick-clock-{}", std::process::id()));
    let level_dir = dir.join("long-song");
    std::fs::create_dir_all(&level_dir).unwrap();
    // The level plays its song sheet, rendered (and cached) by the game as any level's is.
    std::fs::write(
        level_dir.join("song.ron"),
        r#"(bpm: 120.0, chords: ["Am", "F", "C", "G"],
            grooves: {"beat": (kick: "x.......x.......", snare: "....x.......x...",
                               hat: "..x...x...x...x.")},
            lines: {"bass": (notes: "x..x..x...x..x..")},
            sections: [(kind: verse, bars: 96, pad: true, drums: "beat", bass: "bass")])"#,
    )
    .unwrap();
    std::fs::write(
        level_dir.join("level.ron"),
        r#"(format: 1, title: "Long", artist: "Bench", audio: "song.ron",
            timing: (bpms: [(beat: 0.0, bpm: 120.0)]),
            charts: [(difficulty: "Bench", meter: 1, lanes: 4,
                      notes: [(beat: 4.0, lane: 0), (beat: 370.0, lane: 1)])])"#,
    )
    .unwrap();
    let report = load_level(&level_dir);
    let level = report.level.expect("the bench level is valid");

    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        StatesPlugin,
        bevy::input::InputPlugin,
        AssetPlugin::default(),
        bevy_kira_audio::AudioPlugin,
    ))
    .add_plugins(lightstick::app::logic_plugin);
    lightstick::player_data::insert_player_data(
        &mut app,
        dir.join("data"),
        None,
        vec![dir.clone()],
    );
    app.insert_resource(PlayRequest {
        level: Arc::new(level),
        chart: 0,
        judge: JudgeSettings::default(),
        mode: PlayMode::Autoplay,
        seats: Vec::new(),
        group: false,
        part: None,
        practice: None,
    });
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Gameplay);

    let frame = Duration::from_secs_f64(1.0 / 60.0);
    let mut samples: Vec<(Instant, f64)> = Vec::new();
    // (real seconds since running, audio position minus clock at each new position).
    let mut errors: Vec<(f64, f64)> = Vec::new();
    let mut last_error = f64::NAN;
    let started = Instant::now();
    let mut running_since = None;
    loop {
        let tick = Instant::now();
        app.update();
        let clock = app.world().resource::<SongClock>();
        let at = app
            .world()
            .resource::<Time<Real>>()
            .last_update()
            .unwrap_or(tick);
        if clock.phase() == ClockPhase::Running {
            if clock.source() != ClockSource::Audio {
                eprintln!(
                    "no audio device: the clock fell back to the wall clock; nothing to measure"
                );
                std::process::exit(1);
            }
            let since = *running_since.get_or_insert(at);
            samples.push((at, clock.now()));
            if clock.last_error != last_error {
                last_error = clock.last_error;
                errors.push(((at - since).as_secs_f64(), last_error * 1000.0));
            }
        }
        if running_since.is_some_and(|s| at - s >= MEASURE) || started.elapsed() > MEASURE * 2 {
            break;
        }
        std::thread::sleep(frame.saturating_sub(tick.elapsed()));
    }
    let clock = app.world().resource::<SongClock>();
    let steps = |samples: &[(Instant, f64)]| -> Vec<f64> {
        samples
            .windows(2)
            .map(|w| ((w[1].1 - w[0].1) - (w[1].0 - w[0].0).as_secs_f64()) * 1000.0)
            .collect()
    };
    let first_minute: Vec<(Instant, f64)> = samples
        .iter()
        .copied()
        .take_while(|(at, _)| *at - samples[0].0 <= Duration::from_secs(60))
        .collect();
    let (std_60, p99_60) = spread(&steps(&first_minute));
    let (std_all, p99_all) = spread(&steps(&samples));
    let span = samples.last().unwrap().0 - samples[0].0;
    println!(
        "clock jitter (song step - real step per frame): first 60 s std {std_60:.3} ms, |p99| {p99_60:.3} ms; \
         all {:.0} s ({} frames) std {std_all:.3} ms, |p99| {p99_all:.3} ms; {} resyncs",
        span.as_secs_f64(),
        samples.len(),
        clock.resyncs
    );
    let window = |from: f64, to: f64| -> Vec<f64> {
        errors
            .iter()
            .filter(|(t, _)| *t >= from && *t < to)
            .map(|(_, e)| *e)
            .collect()
    };
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let end = span.as_secs_f64();
    let (early, late) = (window(10.0, 40.0), window(end - 30.0, end));
    let worst = errors
        .iter()
        .skip(20)
        .map(|(_, e)| e.abs())
        .fold(0.0, f64::max);
    println!(
        "clock against kira's positions ({} snapshots): mean error {:.3} ms in 10-40 s, {:.3} ms in the last 30 s \
         (drift {:.3} ms over the song); worst after settling {worst:.2} ms",
        errors.len(),
        mean(&early),
        mean(&late),
        mean(&late) - mean(&early)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
