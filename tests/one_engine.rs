//! One play engine: the same inputs give the same results in the window (a headless App with
//! the real plugins), through `lightstick play --headless` and through the core session itself,
//! for one player, for versus and for a group.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use bevy::prelude::*;
use common::TestGame;
use lightstick::bindings::{Device, KeyboardLayout};
use lightstick::core::judge::{Action, JudgeSettings, LaneInput};
use lightstick::core::level::{Level, load_level};
use lightstick::core::play::{PlayOutcome, SeatSetup, Session};
use lightstick::core::replay::ReplayEvent;
use lightstick::core::score::PlayResult;
use lightstick::gameplay::record::LastPlay;
use lightstick::gameplay::{PlayMode, PlayRequest, PlaySeat};
use lightstick::input::{Control, InputPrecision, InputSources, SourceEvent};
use lightstick::screens::Screen;
use lightstick::settings::ScrollSpeed;
use serde_json::Value;

const FRAME: Duration = Duration::from_millis(16);

/// What a player presses: song time in milliseconds, lane, and whether the key goes down.
type Script = Vec<(f64, u8, Action)>;

/// Ana on the test pattern: early, late, a hold let go too soon, the mine stepped on, the last
/// note missed, and a stray press long before any note.
const ANA: &[(f64, u8, Action)] = &[
    (1200.0, 2, Action::Press),
    (1250.0, 2, Action::Release),
    (1987.0, 0, Action::Press),
    (2040.0, 0, Action::Release),
    (2562.0, 1, Action::Press),
    (2600.0, 1, Action::Release),
    (3031.0, 2, Action::Press),
    (3580.0, 2, Action::Release),
    (4500.0, 3, Action::Press),
    (4540.0, 3, Action::Release),
];

/// Bo on the test pattern: near perfect, the hold kept, the last note late.
const BO: &[(f64, u8, Action)] = &[
    (2004.0, 0, Action::Press),
    (2050.0, 0, Action::Release),
    (2497.0, 1, Action::Press),
    (2530.0, 1, Action::Release),
    (2991.0, 2, Action::Press),
    (4080.0, 2, Action::Release),
    (5071.0, 3, Action::Press),
    (5110.0, 3, Action::Release),
];

fn events(script: &[(f64, u8, Action)]) -> Vec<ReplayEvent> {
    script
        .iter()
        .map(|(ms, lane, action)| ReplayEvent(*ms, *lane, *action))
        .collect()
}

fn inputs(script: &[(f64, u8, Action)]) -> Vec<LaneInput> {
    events(script)
        .into_iter()
        .map(ReplayEvent::to_input)
        .collect()
}

/// Writes a script as a replay file of bare events, as a tester writes one by hand.
fn replay_file(dir: &Path, name: &str, script: &[(f64, u8, Action)]) -> PathBuf {
    let path = dir.join(format!("{name}.ron"));
    let events: Vec<String> = script
        .iter()
        .map(|(ms, lane, action)| format!("({ms:.1}, {lane}, {action:?})"))
        .collect();
    std::fs::write(&path, format!("[{}]", events.join(", "))).unwrap();
    path
}

fn load(folder: &Path) -> Level {
    let report = load_level(folder);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    report.level.unwrap()
}

/// Presses for the group: member 1 plays the verse a little early, member 2 plays every
/// other note of the pre-chorus, and in the chorus member 1 plays and member 2 stops, which
/// empties the shared life bar before the end.
fn group_scripts() -> (Script, Script) {
    let tap = |beat: u32, late_ms: f64| {
        let at = f64::from(beat) * 500.0 + late_ms;
        let lane = (beat % 4) as u8;
        [
            (at, lane, Action::Press),
            (at + 40.0, lane, Action::Release),
        ]
    };
    let mut first = Vec::new();
    let mut second = Vec::new();
    for beat in 4..12 {
        first.extend(tap(beat, -12.0));
    }
    for beat in (12..20).step_by(2) {
        second.extend(tap(beat, 23.0));
    }
    for beat in 20..28 {
        first.extend(tap(beat, 5.0));
    }
    (first, second)
}

/// Runs the binary and parses what it prints.
fn headless(args: &[&str]) -> Value {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .args(args)
        .env("LIGHTSTICK_DATA_DIR", data.path())
        .env_remove("LIGHTSTICK_LEVELS")
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn result_of(json: &Value) -> PlayResult {
    serde_json::from_value(json.clone()).unwrap()
}

/// Equal, with numbers equal to a millionth: a key press stamped on its thread reaches the
/// judge through an `Instant`, which keeps whole nanoseconds.
fn assert_same(what: &str, a: &Value, b: &Value) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-6, "{what}: {x} against {y}");
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{what}: {a} against {b}");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                assert_same(&format!("{what}[{i}]"), x, y);
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            let keys = |o: &serde_json::Map<String, Value>| o.keys().cloned().collect::<Vec<_>>();
            assert_eq!(keys(x), keys(y), "{what}");
            for (key, x) in x {
                assert_same(&format!("{what}.{key}"), x, &y[key]);
            }
        }
        _ => assert_eq!(a, b, "{what}"),
    }
}

fn json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

fn seat(name: &str, layout: KeyboardLayout) -> PlaySeat {
    PlaySeat {
        name: name.into(),
        chart: 0,
        judge: JudgeSettings::default(),
        scroll: ScrollSpeed::default(),
        highway_opacity: lightstick::settings::DEFAULT_HIGHWAY_OPACITY,
        device: Device::Keyboard(layout),
        profile: None,
    }
}

/// The key a seat presses for a lane: one player plays on the default keys, several on the
/// keyboard layouts in turn.
fn key_for(players: usize, seat: usize, lane: u8) -> KeyCode {
    let keys = if players == 1 {
        lightstick::settings::default_keys(4)
    } else {
        LAYOUTS[seat].default_keys()
    };
    keys[usize::from(lane)]
}

const LAYOUTS: [KeyboardLayout; 2] = [KeyboardLayout::Left, KeyboardLayout::Arrows];

/// Plays in the window: each seat's presses arrive from the raw keyboard thread, stamped at
/// their own time a few milliseconds before the frame that sees them, and frames run on to
/// the results.
fn play_in_window(
    dir: &Path,
    level: Level,
    scripts: &[&[(f64, u8, Action)]],
    group: bool,
) -> LastPlay {
    let mut game = TestGame::new(&dir.join("data"), vec![dir.to_path_buf()]);
    *game.app.world_mut().resource_mut::<InputPrecision>() = InputPrecision::RawThreadStamped;
    game.play(PlayRequest {
        level: Arc::new(level),
        chart: 0,
        judge: JudgeSettings::default(),
        mode: PlayMode::Normal,
        seats: match scripts.len() {
            1 => Vec::new(),
            _ => ["Ana", "Bo"]
                .iter()
                .zip(LAYOUTS)
                .take(scripts.len())
                .map(|(name, layout)| seat(name, layout))
                .collect(),
        },
        group,
        part: None,
        practice: None,
    });
    let mut presses: Vec<(f64, usize, u8, Action)> = scripts
        .iter()
        .enumerate()
        .flat_map(|(seat, script)| {
            script
                .iter()
                .map(move |(ms, l, a)| (ms / 1000.0, seat, *l, *a))
        })
        .collect();
    presses.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (time, seat, lane, action) in presses {
        if game.screen() != Screen::Gameplay {
            break;
        }
        run_to(&mut game, time - 0.004);
        if game.screen() != Screen::Gameplay {
            break;
        }
        let key = key_for(scripts.len(), seat, lane);
        let event = SourceEvent::Control {
            control: Control::Key(key),
            pressed: action == Action::Press,
            at: game.instant_for(time),
        };
        let sources = game.app.world().resource::<InputSources>();
        sources.sender().send(event).unwrap();
    }
    let mut frames = 0;
    while game.screen() == Screen::Gameplay && frames < 2000 {
        game.frame_after(FRAME);
        frames += 1;
    }
    assert_eq!(game.screen(), Screen::Results);
    game.app.world_mut().remove_resource::<LastPlay>().unwrap()
}

/// Runs frames until the song reaches `t`, or the play ends first (a group can fail).
fn run_to(game: &mut TestGame, t: f64) {
    while game.screen() == Screen::Gameplay && game.song_time() < t - 1e-6 {
        let next = game.instant_for(t).min(game.now + FRAME);
        game.frame_at(next);
    }
}

/// Plays in the window in replay mode, as `lightstick play --replay` without `--headless`.
fn replay_in_window(dir: &Path, level: Level, script: &[(f64, u8, Action)]) -> LastPlay {
    let mut game = TestGame::new(&dir.join("data"), vec![dir.to_path_buf()]);
    game.start(level, "Normal", PlayMode::Replay(inputs(script)));
    let mut frames = 0;
    while game.screen() == Screen::Gameplay && frames < 2000 {
        game.frame_after(FRAME);
        frames += 1;
    }
    assert_eq!(game.screen(), Screen::Results);
    game.app.world_mut().remove_resource::<LastPlay>().unwrap()
}

fn session_outcome(
    level: &Level,
    players: usize,
    group: bool,
    scripts: &[Vec<LaneInput>],
) -> PlayOutcome {
    let seats = (0..players)
        .map(|_| SeatSetup {
            chart: level.charts[0].clone(),
            settings: JudgeSettings::default(),
        })
        .collect();
    let split = group.then(|| level.split_for(players as u8));
    Session::new(seats, split, false)
        .unwrap()
        .play_through(scripts)
}

#[test]
fn one_player_gets_the_same_result_in_the_window_headless_and_from_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let folder = common::write_level(dir.path(), "pattern", common::TEST_LEVEL, Some(8.0));
    let level = load(&folder);
    let replay = replay_file(dir.path(), "ana", ANA);

    let session = session_outcome(&level, 1, false, &[inputs(ANA)]).seats[0].result;
    let cli = headless(&[
        "play",
        folder.to_str().unwrap(),
        "--headless",
        "--replay",
        replay.to_str().unwrap(),
    ]);
    let window = replay_in_window(dir.path(), level.clone(), ANA).result;
    // Replayed inputs reach every engine at the very same song times: nothing may differ.
    assert_eq!(result_of(&cli), session);
    assert_eq!(window, session);
    // And Ana played the imperfect play she did: not a full combo, the hold dropped.
    assert!(!session.full_combo);
    assert!(session.counts.miss >= 1, "{session:?}");

    // Ana at the keys, stamped on the keyboard thread, is judged the same too.
    let keys = play_in_window(dir.path(), level, &[ANA], false).result;
    assert_same("keys", &json(&keys), &json(&session));
}

#[test]
fn versus_gives_the_same_results_and_places_in_every_engine() {
    let dir = tempfile::tempdir().unwrap();
    let folder = common::write_level(dir.path(), "pattern", common::TEST_LEVEL, Some(8.0));
    let level = load(&folder);
    let ana = replay_file(dir.path(), "ana", ANA);
    let bo = replay_file(dir.path(), "bo", BO);

    let session = session_outcome(&level, 2, false, &[inputs(ANA), inputs(BO)]);
    let cli = headless(&[
        "play",
        folder.to_str().unwrap(),
        "--headless",
        "--players",
        "2",
        "--replay",
        ana.to_str().unwrap(),
        "--replay",
        bo.to_str().unwrap(),
    ]);
    let window = play_in_window(dir.path(), level, &[ANA, BO], false);
    let together = window.together.unwrap();
    for seat in 0..2 {
        let expected = session.seats[seat].result;
        assert_eq!(result_of(&cli["players"][seat]), expected, "seat {seat}");
        assert_eq!(cli["players"][seat]["place"], session.places[seat]);
        assert_same(
            &format!("seat {seat}"),
            &json(&together.players[seat].result),
            &json(&expected),
        );
    }
    assert_eq!(together.places, session.places);
    assert_eq!(together.order, session.order);
    // Bo played better, and every engine says so.
    assert_eq!(session.order, vec![1, 0]);
}

#[test]
fn a_group_gets_the_same_shares_and_score_in_every_engine() {
    let dir = tempfile::tempdir().unwrap();
    let folder = common::write_group_level(dir.path());
    let level = load(&folder);
    let (first, second) = group_scripts();
    let one = replay_file(dir.path(), "one", &first);
    let two = replay_file(dir.path(), "two", &second);

    let session = session_outcome(&level, 2, true, &[inputs(&first), inputs(&second)]);
    let cli = headless(&[
        "play",
        folder.to_str().unwrap(),
        "--headless",
        "--players",
        "2",
        "--group",
        "--replay",
        one.to_str().unwrap(),
        "--replay",
        two.to_str().unwrap(),
    ]);
    let window = play_in_window(dir.path(), level, &[&first, &second], true);
    let together = window.together.unwrap();
    let group = session.group.as_ref().unwrap();
    assert_eq!(cli["group"], json(group));
    assert_same(
        "window group",
        &json(together.group.as_ref().unwrap()),
        &json(group),
    );
    for seat in 0..2 {
        let expected = session.seats[seat].result;
        assert_eq!(result_of(&cli["players"][seat]), expected, "seat {seat}");
        assert_same(
            &format!("seat {seat}"),
            &json(&together.players[seat].result),
            &json(&expected),
        );
    }
    assert!(group.failed, "{group:?}");
    // Member 2 missed half the pre-chorus, and the shares say so.
    let pre_chorus = group
        .lines
        .iter()
        .find(|l| l.member == 2 && l.line == "pre-chorus")
        .unwrap();
    assert!(pre_chorus.accuracy < 60.0, "{pre_chorus:?}");
}
