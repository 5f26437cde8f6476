//! The calibration plays measure the player through the game's own clock and input path.

mod common;

use std::time::Duration;

use bevy::prelude::*;
use common::TestGame;
use lightstick::bindings::OffsetDevice;
use lightstick::core::calibration::Calibration;
use lightstick::gameplay::PlayMode;
use lightstick::gameplay::calibration::{CalibrationKind, calibration_level, click_times};
use lightstick::gameplay::record::LastPlay;
use lightstick::input::{Control, SourceEvent};
use lightstick::settings::Settings;

const FRAME: Duration = Duration::from_millis(16);

fn calibrate(taps: impl Fn(usize, f64) -> Option<f64>) -> LastPlay {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let level = calibration_level(&data).unwrap();
    let mut game = TestGame::new(&data, vec![]);
    game.start(
        level,
        "Calibration",
        PlayMode::Calibrate(CalibrationKind::Audio),
    );
    let keys = [KeyCode::KeyD, KeyCode::KeyF, KeyCode::KeyJ, KeyCode::KeyK];
    for (i, click) in click_times().into_iter().enumerate() {
        if let Some(at) = taps(i, click) {
            game.run_until(at - 0.02, FRAME);
            game.press_at(keys[i % 4], at);
            game.release_at(keys[i % 4], at + 0.05);
        }
    }
    game.run_to_results(FRAME, 2000);
    game.app.world().resource::<LastPlay>().clone()
}

#[test]
fn steady_taps_to_the_metronome_suggest_their_offset() {
    // Taps 25 ms after every click, on any lane: the offset is 25 ms whatever was set before.
    let last = calibrate(|_, click| Some(click + 0.025));
    let (kind, outcome, errors) = last.calibration.unwrap();
    assert_eq!(kind, CalibrationKind::Audio);
    assert_eq!(errors.len(), 32);
    match outcome {
        Calibration::Suggest {
            median_ms,
            spread_ms,
            ..
        } => {
            assert!((median_ms - 25.0).abs() < 0.01, "{median_ms}");
            assert!(spread_ms < 0.01);
        }
        other => panic!("{other:?}"),
    }
    // Nothing was saved as a score or replay.
    assert!(last.replay_path.is_none());
    assert_eq!(last.played_with, Some(OffsetDevice::Keyboard));
}

#[test]
fn taps_on_a_mat_measure_the_mats_own_offset() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let level = calibration_level(&data).unwrap();
    let mut game = TestGame::new(&data, vec![]);
    game.send_source(SourceEvent::PadConnection {
        pad: 3,
        name: "Dance Mat".into(),
        connected: true,
    });
    game.frame_after(FRAME);
    // The keyboard's offset does not matter to the mat's measure, nor the other way round.
    game.app
        .world_mut()
        .resource_mut::<Settings>()
        .audio_offset_ms = -30.0;
    game.start(
        level,
        "Calibration",
        PlayMode::Calibrate(CalibrationKind::Audio),
    );
    for click in click_times() {
        let at = click + 0.045;
        game.run_until(at - 0.02, FRAME);
        for pressed in [true, false] {
            let event = SourceEvent::Control {
                control: Control::Pad {
                    pad: 3,
                    button: "DPadLeft".into(),
                },
                pressed,
                at: game.instant_for(at + if pressed { 0.0 } else { 0.01 }),
            };
            game.send_source(event);
        }
    }
    game.run_to_results(FRAME, 2000);
    let last = game.app.world().resource::<LastPlay>().clone();
    assert_eq!(
        last.played_with,
        Some(OffsetDevice::Pad("Dance Mat".into()))
    );
    let (_, outcome, _) = last.calibration.unwrap();
    let Calibration::Suggest { median_ms, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert!((median_ms - 45.0).abs() < 0.5, "{median_ms}");
    // What Apply on the results does with it: the mat gets it, the keyboard keeps its own.
    let mut settings = game.app.world().resource::<Settings>().clone();
    settings.set_input_offset_ms(&last.played_with.unwrap(), median_ms as f32);
    assert_eq!(settings.input_offset_ms(&OffsetDevice::Keyboard), -30.0);
    assert!((settings.input_offset_ms(&OffsetDevice::Pad("Dance Mat".into())) - 45.0).abs() < 0.5);
    assert_eq!(
        settings.input_offset_ms(&OffsetDevice::Pad("Other".into())),
        -30.0,
        "a pad never calibrated takes the keyboard's"
    );
}

#[test]
fn too_few_taps_get_advice() {
    let last = calibrate(|i, click| (i < 6).then_some(click + 0.010));
    let (_, outcome, _) = last.calibration.unwrap();
    assert!(
        matches!(outcome, Calibration::TooFew { taps: 6, .. }),
        "{outcome:?}"
    );
}

#[test]
fn scattered_taps_are_refused() {
    let last = calibrate(|i, click| Some(click + [-0.08, 0.07, 0.0, 0.09, -0.05][i % 5]));
    let (_, outcome, _) = last.calibration.unwrap();
    assert!(
        matches!(outcome, Calibration::TooScattered { .. }),
        "{outcome:?}"
    );
}
