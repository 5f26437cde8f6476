//! Practice in the game's own plugins, headless: a loop replays its measures and scores each
//! pass on its own, the rate keys keep the timing windows in real time, and wait mode stops
//! the song at a note until its key is pressed.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bevy::input::ButtonState;
use bevy::prelude::*;
use common::{TestGame, load_test_level};
use lightstick::core::judge::JudgeSettings;
use lightstick::core::judgement::{JudgeEvent, Judgement};
use lightstick::core::practice::Practice;
use lightstick::gameplay::clock::SongClock;
use lightstick::gameplay::practice::PracticeRun;
use lightstick::gameplay::session::PlaySession;
use lightstick::gameplay::{PlayMode, PlayRequest};
use lightstick::screens::Screen;

const FRAME: Duration = Duration::from_millis(16);

/// A practice of the test pattern: measure 2 holds its taps at 2 s and 2.5 s and a hold from
/// 3 s to 4 s; measure 3 the mine at 4.5 s and the last tap at 5 s.
fn practise(practice: Practice) -> (tempfile::TempDir, TestGame) {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    game.play(PlayRequest {
        level: Arc::new(level),
        chart: 0,
        judge: JudgeSettings {
            no_fail: true,
            ..JudgeSettings::default()
        },
        mode: PlayMode::Normal,
        seats: Vec::new(),
        group: false,
        part: None,
        practice: Some(practice),
    });
    (dir, game)
}

fn run(game: &TestGame) -> PracticeRun {
    game.app.world().resource::<PracticeRun>().clone()
}

fn frames_until(game: &mut TestGame, done: impl Fn(&TestGame) -> bool) {
    for _ in 0..2000 {
        if done(game) {
            return;
        }
        game.frame_after(FRAME);
    }
    panic!("never happened");
}

fn hits(game: &TestGame) -> Vec<Judgement> {
    let session = game.app.world().resource::<PlaySession>();
    session
        .judge(0)
        .unwrap()
        .history()
        .iter()
        .filter_map(|e| match e {
            JudgeEvent::Hit { judgement, .. } => Some(*judgement),
            _ => None,
        })
        .collect()
}

#[test]
fn a_loop_repeats_and_scores_each_pass_on_its_own() {
    let (_dir, mut game) = practise(Practice::new(2, Some(2), false).unwrap());
    // Pass 1: both taps and the hold, on time.
    game.press_at(KeyCode::KeyD, 2.0);
    game.release_at(KeyCode::KeyD, 2.05);
    game.press_at(KeyCode::KeyF, 2.5);
    game.release_at(KeyCode::KeyF, 2.55);
    game.press_at(KeyCode::KeyJ, 3.0);
    frames_until(&mut game, |g| !run(g).passes.is_empty());
    game.key(KeyCode::KeyJ, ButtonState::Released);
    // The loop went back to the count-in measure, and the play goes on.
    assert!(game.song_time() < 2.0, "{}", game.song_time());
    assert_eq!(game.screen(), Screen::Gameplay);
    // Pass 2: nothing pressed.
    frames_until(&mut game, |g| run(g).passes.len() == 2);
    let passes = run(&game).passes;
    assert_eq!(passes[0].pass, 1);
    assert_eq!(passes[0].accuracy, 100.0, "{:?}", passes[0]);
    assert_eq!(passes[0].hit_error.hits, 3);
    assert_eq!(passes[1].accuracy, 0.0, "{:?}", passes[1]);
    assert_eq!(passes[1].judged, 3);
    // Nothing of either pass is before the loop's first measure.
    frames_until(&mut game, |g| run(g).passes.len() == 3);
    assert_eq!(
        game.screen(),
        Screen::Gameplay,
        "a loop plays until it is left"
    );
}

#[test]
fn the_rate_keys_keep_the_windows_in_real_time() {
    let (_dir, mut game) = practise(Practice::new(2, None, false).unwrap());
    game.run_until(1.0, FRAME);
    for _ in 0..4 {
        game.key(KeyCode::Equal, ButtonState::Pressed);
        game.frame_after(FRAME);
        game.key(KeyCode::Equal, ButtonState::Released);
        game.frame_after(FRAME);
    }
    let rate = game.app.world().resource::<SongClock>().rate();
    assert_eq!(rate, 1.2);
    let settings = game
        .app
        .world()
        .resource::<PlaySession>()
        .judge(0)
        .unwrap()
        .settings();
    assert_eq!(settings.rate, 1.2);
    // 21 ms of real time late is Perfect (±22.5 ms) though it is 25.2 ms of song time; 27 ms
    // of real time late is not.
    game.press_at(KeyCode::KeyD, 2.0 + 0.021 * 1.2);
    game.release_at(KeyCode::KeyD, 2.1);
    game.press_at(KeyCode::KeyF, 2.5 + 0.027 * 1.2);
    game.release_at(KeyCode::KeyF, 2.6);
    assert_eq!(hits(&game), vec![Judgement::Perfect, Judgement::Great]);
}

#[test]
fn wait_mode_stops_at_a_note_until_its_key_is_pressed() {
    let (_dir, mut game) = practise(Practice::new(2, None, true).unwrap());
    frames_until(&mut game, |g| run(g).waiting_at.is_some());
    assert_eq!(run(&game).waiting_at, Some((2.0, 0)));
    // A second later the song still stands on the note, and a wrong key does not move it.
    for _ in 0..60 {
        game.frame_after(FRAME);
    }
    game.key(KeyCode::KeyK, ButtonState::Pressed);
    game.frame_after(FRAME);
    game.key(KeyCode::KeyK, ButtonState::Released);
    game.frame_after(FRAME);
    assert_eq!(game.song_time(), 2.0);
    assert!(run(&game).waiting_at.is_some());
    // Its own key hits it, on time, and the song goes on to the next note.
    game.key(KeyCode::KeyD, ButtonState::Pressed);
    game.frame_after(FRAME);
    game.key(KeyCode::KeyD, ButtonState::Released);
    game.frame_after(FRAME);
    assert_eq!(hits(&game), vec![Judgement::Perfect]);
    frames_until(&mut game, |g| run(g).waiting_at == Some((2.5, 1)));
}
