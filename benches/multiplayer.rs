//! The cost of handling input with four players: the game's real plugins on a headless App,
//! frames stepped by hand, each player's presses arriving stamped from the source thread as in
//! play. Reports the mean time of a frame with and without inputs, for one and four players;
//! the difference is what the input path (draining the sources, routing controls to players'
//! lanes, judging at each stamp) costs per frame.
//!
//! `cargo bench --profile dev --bench multiplayer`

use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy::time::TimeUpdateStrategy;
use lightstick::bindings::{Device, KeyboardLayout};
use lightstick::core::judge::JudgeSettings;
use lightstick::core::level::load_level;
use lightstick::gameplay::{PlayMode, PlayRequest, PlaySeat};
use lightstick::input::InputPrecision;
use lightstick::input::{Control, InputSources, SourceEvent};
use lightstick::screens::Screen;
use lightstick::settings::{ScrollSpeed, Settings};

const FRAMES: usize = 3000;
const FRAME: Duration = Duration::from_micros(16_667);

fn main() {
    let dir = std::env::temp_dir().join(format!("lightstick-mp-{}", std::process::id()));
    let level_dir = dir.join("dense");
    std::fs::create_dir_all(&level_dir).unwrap();
    lightstick::music::synth::write_silence(&level_dir.join("song.wav"), 70.0, 8000).unwrap();
    // Sixteenth notes across four lanes for a minute: denser than any shipped chart.
    let notes: Vec<String> = (16..500)
        .map(|i| format!("(beat: {}, lane: {})", f64::from(i) * 0.25, i % 4))
        .collect();
    std::fs::write(
        level_dir.join("level.ron"),
        format!(
            r#"(format: 1, title: "Dense", artist: "Bench", audio: "song.wav",
                timing: (bpms: [(beat: 0.0, bpm: 120.0)]),
                charts: [(difficulty: "Bench", meter: 1, lanes: 4, notes: [{}])])"#,
            notes.join(", ")
        ),
    )
    .unwrap();
    let level = Arc::new(
        load_level(&level_dir)
            .level
            .expect("the bench level is valid"),
    );
    for players in [1usize, 4] {
        let quiet = measure(&dir, &level, players, false);
        let busy = measure(&dir, &level, players, true);
        println!(
            "{players} player(s): frame {:.3} ms without input, {:.3} ms with every player pressing each frame; input handling {:.1} µs a frame",
            quiet * 1000.0,
            busy * 1000.0,
            (busy - quiet) * 1e6
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Mean seconds of one frame over the play, with or without each player pressing and
/// releasing a lane every frame.
fn measure(
    dir: &std::path::Path,
    level: &Arc<lightstick::core::level::Level>,
    players: usize,
    inputs: bool,
) -> f64 {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin, bevy::input::InputPlugin))
        .add_plugins(lightstick::app::logic_plugin);
    lightstick::player_data::insert_player_data(&mut app, dir.join("data"), None, vec![]);
    let mut now = Instant::now();
    app.insert_resource(TimeUpdateStrategy::ManualInstant(now));
    app.update();
    *app.world_mut().resource_mut::<InputPrecision>() = InputPrecision::RawThreadStamped;
    let devices: Vec<Device> = (0..players)
        .map(|p| match KeyboardLayout::ALL.get(p) {
            Some(layout) => Device::Keyboard(*layout),
            None => Device::Pad {
                pad: 0,
                name: "pad".into(),
            },
        })
        .collect();
    let seats = devices
        .iter()
        .enumerate()
        .map(|(i, device)| PlaySeat {
            name: format!("Player {}", i + 1),
            chart: 0,
            judge: JudgeSettings::default(),
            scroll: ScrollSpeed::default(),
            highway_opacity: lightstick::settings::DEFAULT_HIGHWAY_OPACITY,
            device: device.clone(),
            profile: None,
        })
        .collect();
    app.insert_resource(PlayRequest {
        level: level.clone(),
        chart: 0,
        judge: JudgeSettings::default(),
        mode: PlayMode::Normal,
        seats,
        group: false,
        part: None,
        practice: None,
    });
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Gameplay);
    let settings = Settings::default();
    let sender = app.world().resource::<InputSources>().sender();
    let mut total = Duration::ZERO;
    for frame in 0..FRAMES {
        now += FRAME;
        if inputs {
            for (player, device) in devices.iter().enumerate() {
                let lane = (frame + player) % 4;
                let control = match device {
                    Device::Keyboard(layout) => {
                        Control::Key(settings.keys_of_layout(*layout)[lane])
                    }
                    Device::Pad { pad, .. } => Control::Pad {
                        pad: *pad,
                        button: ["DPadLeft", "DPadDown", "DPadUp", "DPadRight"][lane].into(),
                    },
                };
                let _ = sender.send(SourceEvent::Control {
                    control,
                    pressed: frame % 2 == 0,
                    at: now - FRAME / 2,
                });
            }
        }
        app.insert_resource(TimeUpdateStrategy::ManualInstant(now));
        let started = Instant::now();
        app.update();
        total += started.elapsed();
    }
    total.as_secs_f64() / FRAMES as f64
}
