//! Song-clock jitter on a real audio device: plays a 70-second song through kira (PulseAudio's
//! null sink in CI machines) with the game's own gameplay plugins at about 60 frames a second,
//! and reports how evenly song time advances against real time.
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
use lightstick::music::sheet::{Layer, Section, SongSheet};
use lightstick::screens::Screen;

const MEASURE: Duration = Duration::from_secs(60);

fn main() {
    let dir = std::env::temp_dir().join(format!("lightstick-clock-{}", std::process::id()));
    let level_dir = dir.join("long-song");
    std::fs::create_dir_all(&level_dir).unwrap();
    let sheet = SongSheet {
        output: "song.wav".into(),
        bpm: 120.0,
        offset: 0.0,
        chords: vec!["Am".into(), "F".into(), "C".into(), "G".into()],
        sections: vec![Section {
            bars: 36,
            layers: vec![Layer::Pad, Layer::Drums, Layer::Bass],
        }],
        kick: "x.......x.......".into(),
        snare: "....x.......x...".into(),
        hat: "..x...x...x...x.".into(),
        bass: "x..x..x...x..x..".into(),
        lead: String::new(),
    };
    let frames = lightstick::music::synth::render(&sheet);
    lightstick::music::synth::write_wav(&level_dir.join("song.wav"), &frames).unwrap();
    std::fs::write(
        level_dir.join("level.ron"),
        r#"(format: 1, title: "Long", artist: "Bench", audio: "song.wav",
            timing: (bpms: [(beat: 0.0, bpm: 120.0)]),
            charts: [(difficulty: "Bench", meter: 1, lanes: 4,
                      notes: [(beat: 4.0, lane: 0), (beat: 140.0, lane: 1)])])"#,
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
    lightstick::app::insert_player_data(&mut app, dir.join("data"), vec![dir.clone()]);
    app.insert_resource(PlayRequest {
        level: Arc::new(level),
        chart: 0,
        judge: JudgeSettings::default(),
        mode: PlayMode::Autoplay,
    });
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Gameplay);

    let frame = Duration::from_secs_f64(1.0 / 60.0);
    let mut samples: Vec<(Instant, f64)> = Vec::new();
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
            running_since.get_or_insert(at);
            samples.push((at, clock.now()));
        }
        if running_since.is_some_and(|s| at - s >= MEASURE) || started.elapsed() > MEASURE * 2 {
            break;
        }
        std::thread::sleep(frame.saturating_sub(tick.elapsed()));
    }
    let clock = app.world().resource::<SongClock>();
    let errors: Vec<f64> = samples
        .windows(2)
        .map(|w| {
            let real = (w[1].0 - w[0].0).as_secs_f64();
            let song = w[1].1 - w[0].1;
            (song - real) * 1000.0
        })
        .collect();
    let n = errors.len() as f64;
    let mean = errors.iter().sum::<f64>() / n;
    let std = (errors.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / n).sqrt();
    let mut sorted: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
    sorted.sort_by(f64::total_cmp);
    let p99 = sorted[((sorted.len() as f64) * 0.99) as usize - 1];
    let span = samples.last().unwrap().0 - samples[0].0;
    println!(
        "clock: {} frames over {:.1} s on the audio clock; step error (song step - real step) \
         std {std:.3} ms, mean {mean:.4} ms, |p99| {p99:.3} ms; {} resyncs",
        samples.len(),
        span.as_secs_f64(),
        clock.resyncs
    );
    let _ = std::fs::remove_dir_all(&dir);
}
