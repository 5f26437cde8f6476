//! Inputs stamped off the frame loop are judged at their own instants: a press between two
//! frames is judged where it happened, not where the next frame saw it. A failing source falls
//! back to frame stamping and says so.

mod common;

use std::time::Duration;

use bevy::input::ButtonState;
use bevy::prelude::*;
use common::{TestGame, load_test_level};
use lightstick::core::judge::Action;
use lightstick::core::judgement::{JudgeEvent, Judgement};
use lightstick::gameplay::PlayMode;
use lightstick::gameplay::session::PlaySession;
use lightstick::input::InputPrecision;
use lightstick::input::{Control, InputSources, SourceEvent, SourceKind};
use lightstick::notice::Notices;

const FRAME: Duration = Duration::from_millis(16);

fn precise_game(dir: &std::path::Path) -> TestGame {
    let level = load_test_level(dir);
    let mut game = TestGame::new(&dir.join("data"), vec![dir.to_path_buf()]);
    // As if the raw keyboard thread had started.
    *game.app.world_mut().resource_mut::<InputPrecision>() = InputPrecision::RawThreadStamped;
    game.start(level, "Normal", PlayMode::Normal);
    game
}

fn send(game: &mut TestGame, event: SourceEvent) {
    let sender = game.app.world().resource::<InputSources>().sender();
    sender.send(event).unwrap();
}

fn key(game: &TestGame, key: KeyCode, pressed: bool, song_time: f64) -> SourceEvent {
    SourceEvent::Control {
        control: Control::Key(key),
        pressed,
        at: game.instant_for(song_time),
    }
}

fn player(game: &mut TestGame) -> (Vec<JudgeEvent>, Vec<lightstick::core::judge::LaneInput>) {
    let session = game.app.world().resource::<PlaySession>();
    (
        session.judge(0).unwrap().history().to_vec(),
        session.recorded(0).to_vec(),
    )
}

#[test]
fn presses_between_frames_are_judged_at_their_own_stamps() {
    let dir = tempfile::tempdir().unwrap();
    let mut game = precise_game(dir.path());
    game.run_until(1.996, FRAME);
    // Pressed 4 ms after the note (at 2.0 s) and seen by the frame 16 ms later.
    let press = key(&game, KeyCode::KeyD, true, 2.004);
    send(&mut game, press);
    game.frame_after(FRAME);
    let release = key(&game, KeyCode::KeyD, false, 2.030);
    send(&mut game, release);
    game.frame_after(FRAME);
    game.frame_after(FRAME);
    let (events, recorded) = player(&mut game);
    let JudgeEvent::Hit {
        judgement, offset, ..
    } = events[0]
    else {
        panic!("{events:?}");
    };
    assert_eq!(judgement, Judgement::Perfect);
    assert!((offset.unwrap() - 0.004).abs() < 1e-6, "{offset:?}");
    assert!((recorded[0].time - 2.004).abs() < 1e-6);
    assert!((recorded[1].time - 2.030).abs() < 1e-6);

    // A press 44 ms after the next note (at 2.5 s), between frames, is Great by its stamp;
    // stamped with the frame that saw it (52 ms late) it would have been Good.
    game.run_until(2.536, FRAME);
    let press = key(&game, KeyCode::KeyF, true, 2.544);
    send(&mut game, press);
    game.frame_after(FRAME);
    let (events, _) = player(&mut game);
    let last = events.last().unwrap();
    assert!(
        matches!(last, JudgeEvent::Hit { judgement: Judgement::Great, offset: Some(o), .. } if (o - 0.044).abs() < 1e-6),
        "{last:?}"
    );
}

#[test]
fn stamps_that_run_backwards_are_clamped() {
    let dir = tempfile::tempdir().unwrap();
    let mut game = precise_game(dir.path());
    game.run_until(1.98, FRAME);
    let press = key(&game, KeyCode::KeyD, true, 2.010);
    let release = key(&game, KeyCode::KeyD, false, 2.000);
    send(&mut game, press);
    send(&mut game, release);
    game.frame_after(FRAME);
    game.frame_after(FRAME);
    let (_, recorded) = player(&mut game);
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[1].action, Action::Release);
    assert!(recorded[1].time >= recorded[0].time);
}

#[test]
fn a_failed_raw_source_falls_back_to_frame_stamps_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut game = precise_game(dir.path());
    game.run_until(1.5, FRAME);
    send(
        &mut game,
        SourceEvent::Failed {
            source: SourceKind::Keyboard,
            reason: "lost the X connection".into(),
        },
    );
    game.frame_after(FRAME);
    assert_eq!(
        *game.app.world().resource::<InputPrecision>(),
        InputPrecision::FrameLimited
    );
    let notices = &game.app.world().resource::<Notices>().shown;
    assert!(
        notices
            .iter()
            .any(|(n, _)| n.contains("lost the X connection")),
        "{notices:?}"
    );
    // The game goes on, with presses now read by frame.
    game.run_until(1.99, FRAME);
    game.press_at(KeyCode::KeyD, 2.0);
    game.key(KeyCode::KeyD, ButtonState::Released);
    game.frame_after(FRAME);
    let (events, _) = player(&mut game);
    assert!(matches!(
        events[0],
        JudgeEvent::Hit {
            judgement: Judgement::Perfect,
            ..
        }
    ));
    // Raw events still arriving are no longer counted twice.
    let late = key(&game, KeyCode::KeyF, true, game.song_time());
    send(&mut game, late);
    game.frame_after(FRAME);
    let (_, recorded) = player(&mut game);
    assert!(recorded.iter().all(|i| i.lane == 0), "{recorded:?}");
}

#[test]
fn pad_buttons_play_their_lanes_at_their_stamps() {
    let dir = tempfile::tempdir().unwrap();
    let mut game = precise_game(dir.path());
    game.run_until(1.98, FRAME);
    // The default 4-lane pad layout: the d-pad as a dance mat, left arrow on lane 0.
    let at = game.instant_for(2.003);
    send(
        &mut game,
        SourceEvent::Control {
            control: Control::Pad {
                pad: 0,
                button: "DPadLeft".into(),
            },
            pressed: true,
            at,
        },
    );
    game.frame_after(FRAME);
    game.frame_after(FRAME);
    let (events, recorded) = player(&mut game);
    assert_eq!(recorded[0].lane, 0);
    assert!((recorded[0].time - 2.003).abs() < 1e-6);
    assert!(matches!(
        events[0],
        JudgeEvent::Hit {
            judgement: Judgement::Perfect,
            ..
        }
    ));
}
