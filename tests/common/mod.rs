//! Helpers shared by the integration tests: levels written on the fly, and a headless game app
//! driven frame by frame at chosen instants.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy::time::TimeUpdateStrategy;
use lightstick::core::judge::JudgeSettings;
use lightstick::core::level::{Level, load_level};
use lightstick::gameplay::clock::SongClock;
use lightstick::gameplay::{PlayMode, PlayRequest};
use lightstick::screens::Screen;

/// Runs the `lightstick` binary from the repository with a data folder of its own, as a player
/// with no level folders of theirs would.
pub fn run_cli(args: &[&str]) -> std::process::Output {
    let data = tempfile::tempdir().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .args(args)
        .env("LIGHTSTICK_DATA_DIR", data.path())
        .env_remove("LIGHTSTICK_LEVELS")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

pub fn shipped_levels() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("levels")
}

/// Writes `seconds` of silence as a small WAV.
pub fn write_silence(path: &Path, seconds: f32) {
    lightstick::music::synth::write_silence(path, seconds, 8000).unwrap();
}

/// A level folder `name` inside `root` with `source` as its level.ron and some silent audio.
pub fn write_level(root: &Path, name: &str, source: &str, audio_seconds: Option<f32>) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("level.ron"), source).unwrap();
    if let Some(seconds) = audio_seconds {
        write_silence(&dir.join("song.wav"), seconds);
    }
    dir
}

/// 120 BPM from 0 s: beat n plays at n/2 seconds.
pub const TEST_LEVEL: &str = r#"(
    format: 1,
    title: "Test Pattern",
    artist: "Lightstick",
    audio: "song.wav",
    timing: (offset: 0.0, bpms: [(beat: 0.0, bpm: 120.0)]),
    charts: [
        (
            difficulty: "Normal",
            meter: 1,
            lanes: 4,
            notes: [
                (beat: 4.0, lane: 0),
                (beat: 5.0, lane: 1),
                (beat: 6.0, lane: 2, kind: Hold(length: 2.0)),
                (beat: 9.0, lane: 3, kind: Mine),
                (beat: 10.0, lane: 3),
            ],
        ),
    ],
)"#;

/// A two-member group level, `split`: 24 quarter notes at 120 BPM (beats 4 to 27, 2 s to
/// 13.5 s) split by the level maker: member 1 sings beats 0 to 12, member 2 beats 12 to 20,
/// and everyone the rest. Its chart is a Hard one, so the group's bar is ITG's. Its folder.
pub fn write_group_level(root: &Path) -> PathBuf {
    let notes: Vec<String> = (4..28)
        .map(|b| format!("(beat: {b}.0, lane: {})", b % 4))
        .collect();
    let source = format!(
        r#"(format: 1, title: "Split", artist: "T", audio: "song.wav",
            timing: (offset: 0.0, bpms: [(beat: 0.0, bpm: 120.0)]),
            charts: [(difficulty: "Hard", meter: 1, lanes: 4, notes: [{}])],
            parts: [(members: 2, lines: [
                (from: 0.0, to: 12.0, who: "1", name: "verse"),
                (from: 12.0, to: 20.0, who: "2", name: "pre-chorus"),
                (from: 20.0, to: 40.0, who: "all", name: "chorus"),
            ])])"#,
        notes.join(", ")
    );
    write_level(root, "split", &source, Some(16.0))
}

pub fn load_test_level(root: &Path) -> Level {
    let dir = write_level(root, "test-pattern", TEST_LEVEL, Some(8.0));
    let report = load_level(&dir);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    report.level.unwrap()
}

/// The folder of the profile a fresh data folder starts with: its settings, scores and replays.
pub fn profile_home(data_dir: &Path) -> PathBuf {
    data_dir.join("profiles").join("player")
}

/// The game's logic on `MinimalPlugins`: no window, no sound, time moved by hand.
pub struct TestGame {
    pub app: App,
    pub now: Instant,
}

impl TestGame {
    pub fn new(data_dir: &Path, level_roots: Vec<PathBuf>) -> Self {
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, StatesPlugin, bevy::input::InputPlugin))
            .add_plugins(lightstick::app::logic_plugin);
        lightstick::player_data::insert_player_data(
            &mut app,
            data_dir.to_path_buf(),
            None,
            level_roots,
        );
        let now = Instant::now();
        app.insert_resource(TimeUpdateStrategy::ManualInstant(now));
        app.update();
        Self { app, now }
    }

    /// Runs one frame at `instant`.
    pub fn frame_at(&mut self, instant: Instant) {
        self.now = instant;
        self.app
            .insert_resource(TimeUpdateStrategy::ManualInstant(instant));
        self.app.update();
    }

    pub fn frame_after(&mut self, step: Duration) {
        self.frame_at(self.now + step);
    }

    pub fn start(&mut self, level: Level, difficulty: &str, mode: PlayMode) {
        let chart = level
            .charts
            .iter()
            .position(|c| c.difficulty == difficulty)
            .unwrap();
        self.play(PlayRequest::solo(
            Arc::new(level),
            chart,
            JudgeSettings::default(),
            mode,
        ));
    }

    /// Starts the play `request` asks for.
    pub fn play(&mut self, request: PlayRequest) {
        self.app.insert_resource(request);
        self.enter_gameplay();
    }

    /// Goes to the gameplay screen with whatever play was requested.
    pub fn enter_gameplay(&mut self) {
        self.app
            .world_mut()
            .resource_mut::<NextState<Screen>>()
            .set(Screen::Gameplay);
        // One frame to enter the screen, one for the clock to start.
        self.frame_after(Duration::from_millis(16));
        self.frame_after(Duration::from_millis(16));
    }

    /// The messages the game is showing the player.
    pub fn notices(&self) -> Vec<String> {
        self.app
            .world()
            .resource::<lightstick::notice::Notices>()
            .shown
            .iter()
            .map(|(text, _)| text.clone())
            .collect()
    }

    pub fn screen(&self) -> Screen {
        *self.app.world().resource::<State<Screen>>().get()
    }

    pub fn song_time(&self) -> f64 {
        self.app.world().resource::<SongClock>().now()
    }

    /// The instant at which the running clock reads song time `t`.
    pub fn instant_for(&self, t: f64) -> Instant {
        let clock = self.app.world().resource::<SongClock>();
        let ahead = (t - clock.now()) / clock.rate();
        assert!(
            ahead >= 0.0,
            "song time {t} is already past ({})",
            clock.now()
        );
        self.now + Duration::from_secs_f64(ahead)
    }

    /// Runs frames every `step` until the song clock reaches `t` (the last frame lands on it).
    pub fn run_until(&mut self, t: f64, step: Duration) {
        loop {
            assert_eq!(self.screen(), Screen::Gameplay, "the play ended before {t}");
            let target = self.instant_for(t);
            if target <= self.now + step {
                self.frame_at(target);
                return;
            }
            self.frame_after(step);
        }
    }

    /// Runs frames every `step` until the results come up; fails if `frames` of them pass
    /// first.
    pub fn run_to_results(&mut self, step: Duration, frames: usize) {
        for _ in 0..frames {
            if self.screen() == Screen::Results {
                return;
            }
            self.frame_after(step);
        }
        assert_eq!(
            self.screen(),
            Screen::Results,
            "no results after {frames} frames"
        );
    }

    /// Hands `event` to the game as the keyboard or gamepad thread would.
    pub fn send_source(&self, event: lightstick::input::SourceEvent) {
        self.app
            .world()
            .resource::<lightstick::input::InputSources>()
            .sender()
            .send(event)
            .unwrap();
    }

    pub fn key(&mut self, key: KeyCode, state: ButtonState) {
        self.app.world_mut().write_message(KeyboardInput {
            key_code: key,
            logical_key: Key::Unidentified(NativeKey::Unidentified),
            state,
            text: None,
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
    }

    /// Presses `key` in the frame at song time `t`.
    pub fn press_at(&mut self, key: KeyCode, t: f64) {
        let at = self.instant_for(t);
        self.key(key, ButtonState::Pressed);
        self.frame_at(at);
    }

    pub fn release_at(&mut self, key: KeyCode, t: f64) {
        let at = self.instant_for(t);
        self.key(key, ButtonState::Released);
        self.frame_at(at);
    }
}
