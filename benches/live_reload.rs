//! How soon a level maker's save shows: the time from writing `level.ron` (or the song sheet)
//! to the session playing the reloaded notes (the frame after which the highway draws them),
//! over 20 saves, for a level on an audio file and for a level on a song sheet. Runs the
//! game's own plugins headless at about 60 frames a second, with real file-system events.
//!
//! `cargo bench --profile dev --bench live_reload`

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use lightstick::core::judge::JudgeSettings;
use lightstick::core::level::load_level;
use lightstick::gameplay::live_reload::LiveReload;
use lightstick::gameplay::{PlayMode, PlayRequest};
use lightstick::screens::Screen;

const SAVES: usize = 20;

/// A level with its last note on `beat`; each save moves it.
fn level_text(audio: &str, last_beat: u32) -> String {
    format!(
        r#"(format: 1, title: "Reload", artist: "Bench", audio: "{audio}",
            timing: (bpms: [(beat: 0.0, bpm: 120.0)]),
            charts: [(difficulty: "Bench", meter: 1, lanes: 4,
                      notes: [(beat: 4.0, lane: 0), (beat: {last_beat}.0, lane: 1)])])"#
    )
}

/// The bench's song sheet, `bars` long: each save of the sheet adds a bar.
fn sheet_text(bars: u32) -> String {
    format!(
        r#"(bpm: 120.0, chords: ["Am", "F", "C", "G"],
            grooves: {{"beat": (kick: "x.......x.......", snare: "....x.......x...",
                               hat: "..x...x...x...x.")}},
            lines: {{"bass": (notes: "x..x..x...x..x..")}},
            sections: [(kind: verse, bars: {bars}, pad: true, drums: "beat", bass: "bass")])"#
    )
}

/// Which file each save writes.
#[derive(Clone, Copy, PartialEq)]
enum Saved {
    Level,
    Sheet,
}

fn measure(dir: &Path, audio: &str, saved_file: Saved) -> Vec<f64> {
    let folder = dir.join(format!("reload-{}", audio.replace('.', "-")));
    std::fs::create_dir_all(&folder).unwrap();
    match audio {
        "song.wav" => {
            lightstick::music::synth::write_silence(&folder.join("song.wav"), 400.0, 8000).unwrap()
        }
        _ => std::fs::write(folder.join("song.ron"), sheet_text(200)).unwrap(),
    }
    std::fs::write(folder.join("level.ron"), level_text(audio, 700)).unwrap();
    let report = load_level(&folder);
    let level = report
        .level
        .unwrap_or_else(|| panic!("the bench level is not valid: {:?}", report.diagnostics));

    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin, bevy::input::InputPlugin))
        .add_plugins(lightstick::app::logic_plugin);
    lightstick::player_data::insert_player_data(
        &mut app,
        dir.join("data"),
        None,
        vec![dir.to_path_buf()],
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
    for _ in 0..30 {
        app.update();
        std::thread::sleep(frame);
    }
    let mut latencies = Vec::new();
    for save in 0..SAVES {
        let reloads = app.world().resource::<LiveReload>().reloads;
        let saved = Instant::now();
        match saved_file {
            Saved::Level => std::fs::write(
                folder.join("level.ron"),
                level_text(audio, 600 + save as u32),
            ),
            Saved::Sheet => std::fs::write(folder.join("song.ron"), sheet_text(201 + save as u32)),
        }
        .unwrap();
        loop {
            app.update();
            if app.world().resource::<LiveReload>().reloads > reloads {
                break;
            }
            assert!(
                saved.elapsed() < Duration::from_secs(10),
                "the save was never reloaded"
            );
            std::thread::sleep(frame);
        }
        latencies.push(saved.elapsed().as_secs_f64() * 1000.0);
        // Editors do not save sixty times a second.
        for _ in 0..10 {
            app.update();
            std::thread::sleep(frame);
        }
    }
    latencies
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn main() {
    let dir = std::env::temp_dir().join(format!("lightstick-reload-{}", std::process::id()));
    for (what, audio, saved) in [
        (
            "level.ron saved, level on an audio file",
            "song.wav",
            Saved::Level,
        ),
        (
            "level.ron saved, level on a song sheet",
            "song.ron",
            Saved::Level,
        ),
        ("song sheet saved", "song.ron", Saved::Sheet),
    ] {
        let mut ms = measure(&dir.join(format!("{}", saved as u8)), audio, saved);
        ms.sort_by(f64::total_cmp);
        println!(
            "save to reloaded notes, {what}, {SAVES} saves: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
            percentile(&ms, 0.5),
            percentile(&ms, 0.95),
            ms[ms.len() - 1]
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
