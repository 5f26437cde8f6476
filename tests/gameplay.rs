//! The game's own plugins, headless: key presses at chosen instants become the judgements a
//! player would see, a pause stops the song, and a finished play is saved with its replay.

mod common;

use std::time::Duration;

use bevy::input::ButtonState;
use bevy::prelude::*;
use common::{TestGame, load_test_level};
use lightstick::core::judgement::{HoldResult, JudgeEvent, Judgement};
use lightstick::core::play::play_solo;
use lightstick::core::replay::{ReplayFile, read_replay};
use lightstick::gameplay::record::LastPlay;
use lightstick::gameplay::session::PlaySession;
use lightstick::gameplay::{PlayCommand, PlayMode, Player};
use lightstick::screens::Screen;

const FRAME: Duration = Duration::from_millis(16);

fn judgements(game: &mut TestGame) -> Vec<JudgeEvent> {
    let session = game.app.world().resource::<PlaySession>();
    session.judge(0).unwrap().history().to_vec()
}

fn hit(events: &[JudgeEvent], note: usize) -> Option<(Judgement, Option<f64>)> {
    events.iter().find_map(|e| match *e {
        JudgeEvent::Hit {
            note: n,
            judgement,
            offset,
            ..
        } if n == note => Some((judgement, offset)),
        _ => None,
    })
}

#[test]
fn presses_are_judged_at_their_song_time() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    game.start(level, "Normal", PlayMode::Normal);
    assert_eq!(game.screen(), Screen::Gameplay);
    // The play starts at least two seconds before the first note (at 2 s).
    assert!(game.song_time() < 0.1, "{}", game.song_time());

    game.run_until(1.9, FRAME);
    game.press_at(KeyCode::KeyD, 2.0); // on time
    game.release_at(KeyCode::KeyD, 2.05);
    game.press_at(KeyCode::KeyF, 2.56); // 60 ms late
    game.release_at(KeyCode::KeyF, 2.6);
    game.press_at(KeyCode::KeyJ, 2.97); // hold head 30 ms early
    game.run_until(3.5, FRAME);
    game.release_at(KeyCode::KeyJ, 4.1); // held past the tail
    // Lane 3's note at 5 s is left alone, and its mine at 4.5 s too.
    game.run_until(5.5, FRAME);

    let events = judgements(&mut game);
    let (first, offset) = hit(&events, 0).unwrap();
    assert_eq!(first, Judgement::Perfect);
    assert!(offset.unwrap().abs() < 1e-6);
    let (second, offset) = hit(&events, 1).unwrap();
    assert_eq!(second, Judgement::Good);
    assert!((offset.unwrap() - 0.060).abs() < 1e-6);
    assert_eq!(hit(&events, 2).unwrap().0, Judgement::Great);
    assert!(events.iter().any(|e| matches!(
        e,
        JudgeEvent::Hold {
            result: HoldResult::Held,
            ..
        }
    )));
    assert_eq!(hit(&events, 4).unwrap(), (Judgement::Miss, None));
    assert!(!events.iter().any(|e| matches!(e, JudgeEvent::Mine { .. })));
}

#[test]
fn pausing_stops_the_song_and_resuming_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    game.start(level, "Normal", PlayMode::Normal);
    game.run_until(1.5, FRAME);
    game.key(KeyCode::Escape, ButtonState::Pressed);
    game.frame_after(FRAME);
    game.key(KeyCode::Escape, ButtonState::Released);
    let paused_at = game.song_time();
    // Ten seconds of real time pass in the pause menu: the notes wait.
    for _ in 0..10 {
        game.frame_after(Duration::from_secs(1));
    }
    assert_eq!(game.song_time(), paused_at);
    assert!(judgements(&mut game).is_empty());
    game.app.world_mut().write_message(PlayCommand::Resume);
    game.frame_after(FRAME);
    game.frame_after(Duration::from_millis(100));
    let resumed = game.song_time();
    assert!(
        resumed > paused_at && resumed < paused_at + 0.2,
        "{resumed}"
    );
    game.press_at(KeyCode::KeyD, 2.0);
    assert_eq!(
        hit(&judgements(&mut game), 0).unwrap().0,
        Judgement::Perfect
    );
}

#[test]
fn a_finished_play_is_saved_and_its_replay_reproduces_it() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    game.start(level.clone(), "Normal", PlayMode::Normal);
    game.run_until(1.9, FRAME);
    game.press_at(KeyCode::KeyD, 2.013);
    game.release_at(KeyCode::KeyD, 2.1);
    game.press_at(KeyCode::KeyF, 2.47);
    game.release_at(KeyCode::KeyF, 2.52);
    game.press_at(KeyCode::KeyJ, 3.0);
    game.release_at(KeyCode::KeyJ, 3.5); // let go too early
    game.press_at(KeyCode::KeyK, 4.5); // straight onto the mine
    game.release_at(KeyCode::KeyK, 4.6);
    game.press_at(KeyCode::KeyK, 5.02);
    game.release_at(KeyCode::KeyK, 5.1);
    // Play on until the results come up.
    game.run_to_results(FRAME, 400);
    let last = game.app.world().resource::<LastPlay>().clone();
    let result = last.result;
    assert_eq!(result.counts.mines_hit, 1);
    assert_eq!(result.counts.let_go, 1);
    assert_eq!(result.counts.perfect, 3);
    assert!(!result.full_combo);

    // The score book and the replay were written to the profile's folder.
    let scores = std::fs::read_to_string(common::profile_home(&data).join("scores.ron")).unwrap();
    assert!(scores.contains("test-pattern/normal"), "{scores}");
    let replay_path = last
        .replay_path
        .clone()
        .expect("a real play saves a replay");
    assert!(replay_path.starts_with(common::profile_home(&data).join("replays")));

    // Judging the saved replay again gives exactly the result the player saw.
    let ReplayFile::Full(replay) = read_replay(&replay_path).unwrap() else {
        panic!("a saved replay is a full replay");
    };
    let again = play_solo(&level.charts[0], replay.settings, replay.inputs());
    assert_eq!(again.result, result);
    assert_eq!(replay.result, Some(result));
}

#[test]
fn autoplay_clears_with_all_perfect_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    game.start(level, "Normal", PlayMode::Autoplay);
    game.run_to_results(FRAME, 800);
    let last = game.app.world().resource::<LastPlay>();
    assert!(last.result.all_perfect, "{:?}", last.result);
    assert_eq!(last.result.score, 1_000_000);
    assert!(last.replay_path.is_none());
    assert!(!common::profile_home(&data).join("scores.ron").exists());
}

#[test]
fn a_practice_from_a_measure_starts_the_music_a_measure_before_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    let chart = 0;
    game.play(lightstick::gameplay::PlayRequest {
        level: std::sync::Arc::new(level),
        chart,
        judge: Default::default(),
        mode: PlayMode::Normal,
        seats: Vec::new(),
        group: false,
        // Measure 3 starts on beat 8, at 4 s; the music starts at measure 2, at 2 s.
        part: None,
        practice: Some(lightstick::core::practice::Practice::new(3, None, false).unwrap()),
    });
    assert!(
        (1.9..=2.0).contains(&game.song_time()),
        "{}",
        game.song_time()
    );
    // Only the last note (beat 10, at 5 s) and the mine before it are in the play.
    game.press_at(KeyCode::KeyK, 5.0);
    game.release_at(KeyCode::KeyK, 5.05);
    game.run_to_results(FRAME, 400);
    let last = game.app.world().resource::<LastPlay>();
    assert_eq!(last.practice.map(|p| p.from), Some(3));
    assert_eq!(last.result.counts.perfect, 1, "{:?}", last.result);
    assert_eq!(last.result.counts.miss, 0, "{:?}", last.result);
    assert!(last.replay_path.is_none());
    assert!(last.earned.is_none());
    assert!(!common::profile_home(&data).join("scores.ron").exists());
}

#[test]
fn restart_from_the_pause_menu_plays_the_chart_again_from_the_top() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    game.start(level, "Normal", PlayMode::Normal);
    game.run_until(1.9, FRAME);
    game.press_at(KeyCode::KeyD, 2.0);
    game.release_at(KeyCode::KeyD, 2.05);
    assert_eq!(judgements(&mut game).len(), 1);
    game.app.world_mut().write_message(PlayCommand::TogglePause);
    game.frame_after(FRAME);
    game.app.world_mut().write_message(PlayCommand::Restart);
    game.frame_after(FRAME);
    game.frame_after(FRAME);
    assert_eq!(game.screen(), Screen::Gameplay);
    assert!(judgements(&mut game).is_empty());
    assert!(game.song_time() < 0.1, "{}", game.song_time());
    let players = game
        .app
        .world_mut()
        .query::<&Player>()
        .iter(game.app.world())
        .count();
    assert_eq!(players, 1);
}

#[test]
fn a_key_let_go_in_the_pause_menu_can_be_pressed_again_after() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    game.start(level, "Normal", PlayMode::Normal);
    game.run_until(1.5, FRAME);
    // D is down when the player pauses, and let go in the menu.
    game.key(KeyCode::KeyD, ButtonState::Pressed);
    game.frame_after(FRAME);
    game.app.world_mut().write_message(PlayCommand::TogglePause);
    game.frame_after(FRAME);
    game.key(KeyCode::KeyD, ButtonState::Released);
    game.frame_after(FRAME);
    game.app.world_mut().write_message(PlayCommand::Resume);
    game.frame_after(FRAME);
    game.frame_after(FRAME);
    game.run_until(1.99, FRAME);
    game.press_at(KeyCode::KeyD, 2.0);
    assert_eq!(
        hit(&judgements(&mut game), 0).unwrap().0,
        Judgement::Perfect
    );
}

fn hold_result(events: &[JudgeEvent]) -> Option<HoldResult> {
    events.iter().find_map(|e| match *e {
        JudgeEvent::Hold { result, .. } => Some(result),
        _ => None,
    })
}

/// Starts the test pattern and holds its hold (lane 2, 3 s to 4 s, key J) from its head, then
/// pauses at 3.4 s and waits a whole second in the pause menu.
fn pause_in_the_middle_of_the_hold(dir: &std::path::Path) -> TestGame {
    let level = load_test_level(dir);
    let mut game = TestGame::new(&dir.join("data"), vec![dir.to_path_buf()]);
    game.start(level, "Normal", PlayMode::Normal);
    game.run_until(2.9, FRAME);
    game.press_at(KeyCode::KeyJ, 3.0);
    game.run_until(3.4, FRAME);
    game.app.world_mut().write_message(PlayCommand::TogglePause);
    game.frame_after(FRAME);
    let paused_at = game.song_time();
    for _ in 0..60 {
        game.frame_after(FRAME);
    }
    // The song stood still, and the hold is neither over nor lost.
    assert!((game.song_time() - paused_at).abs() < 1e-9);
    assert!(paused_at < 3.5, "{paused_at}");
    assert_eq!(hold_result(&judgements(&mut game)), None);
    game
}

#[test]
fn a_hold_kept_down_through_a_pause_is_held() {
    let dir = tempfile::tempdir().unwrap();
    let mut game = pause_in_the_middle_of_the_hold(dir.path());
    game.app.world_mut().write_message(PlayCommand::Resume);
    game.frame_after(FRAME);
    game.run_until(4.05, FRAME);
    game.release_at(KeyCode::KeyJ, 4.1);
    game.frame_after(FRAME);
    let events = judgements(&mut game);
    assert_eq!(hit(&events, 2).unwrap().0, Judgement::Perfect);
    assert_eq!(hold_result(&events), Some(HoldResult::Held));
}

#[test]
fn a_hold_let_go_in_the_pause_menu_is_let_go() {
    let dir = tempfile::tempdir().unwrap();
    let mut game = pause_in_the_middle_of_the_hold(dir.path());
    game.key(KeyCode::KeyJ, ButtonState::Released);
    game.frame_after(FRAME);
    game.app.world_mut().write_message(PlayCommand::Resume);
    game.frame_after(FRAME);
    game.run_until(4.2, FRAME);
    assert_eq!(hold_result(&judgements(&mut game)), Some(HoldResult::LetGo));
}
