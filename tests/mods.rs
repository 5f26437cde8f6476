//! Mods in the game, headless: a play with mirror, shuffle or random is saved with its layout
//! and its replay plays the same chart again; hidden, sudden and the lane cover change what is
//! drawn and never a judgement.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bevy::prelude::*;
use common::{TestGame, write_level};
use lightstick::core::chart::{Chart, NoteKind};
use lightstick::core::judge::JudgeSettings;
use lightstick::core::level::{Level, load_level};
use lightstick::core::mods::{LaneMod, Mods};
use lightstick::core::play::play_solo;
use lightstick::core::replay::{ReplayFile, read_replay};
use lightstick::gameplay::lane_cover::LaneCover;
use lightstick::gameplay::record::LastPlay;
use lightstick::gameplay::session::PlaySession;
use lightstick::gameplay::{PlayMode, PlayRequest, Player};
use lightstick::settings::Settings;

const FRAME: Duration = Duration::from_millis(16);
const KEYS: [KeyCode; 4] = [KeyCode::KeyD, KeyCode::KeyF, KeyCode::KeyJ, KeyCode::KeyK];

/// 120 BPM: taps walking across the lanes, a two-note chord every other bar, a hold and a mine.
fn busy_level(root: &std::path::Path) -> Level {
    let mut notes = Vec::new();
    for step in 0..20 {
        let beat = 4.0 + f64::from(step);
        if step % 8 == 0 {
            notes.push(format!("(beat: {beat}, lane: 0)"));
            notes.push(format!("(beat: {beat}, lane: 3)"));
        } else if step == 5 {
            notes.push(format!("(beat: {beat}, lane: 1, kind: Hold(length: 1.5))"));
        } else if step == 11 {
            notes.push(format!("(beat: {beat}, lane: 2, kind: Mine)"));
        } else {
            notes.push(format!("(beat: {beat}, lane: {})", step % 4));
        }
    }
    let source = format!(
        r#"(format: 1, title: "Walk", artist: "T", audio: "song.wav",
            timing: (offset: 0.0, bpms: [(beat: 0.0, bpm: 120.0)]),
            charts: [(difficulty: "Hard", meter: 3, lanes: 4, notes: [{}])])"#,
        notes.join(", ")
    );
    let dir = write_level(root, "walk", &source, Some(14.0));
    let report = load_level(&dir);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    report.level.unwrap()
}

fn start_with(game: &mut TestGame, level: &Level, mods: Mods) {
    let judge = JudgeSettings {
        mods,
        ..JudgeSettings::default()
    };
    game.play(PlayRequest::solo(
        Arc::new(level.clone()),
        0,
        judge,
        PlayMode::Normal,
    ));
}

/// The chart the player meets in the running play.
fn chart_in_play(game: &TestGame) -> Chart {
    let session = game.app.world().resource::<PlaySession>();
    session.judge(0).unwrap().chart().clone()
}

/// Plays `chart` as a player reading it would: each note pressed 10 ms late, holds kept down to
/// their tails, mines left alone; then on to the results.
fn play_by_sight(game: &mut TestGame, chart: &Chart) -> LastPlay {
    let mut presses: Vec<(f64, u8, bool)> = Vec::new();
    for note in &chart.notes {
        match note.kind {
            NoteKind::Mine => {}
            NoteKind::Hold { end_time, .. } | NoteKind::Roll { end_time, .. } => {
                presses.push((note.time + 0.01, note.lane, true));
                presses.push((end_time + 0.02, note.lane, false));
            }
            NoteKind::Tap => {
                presses.push((note.time + 0.01, note.lane, true));
                presses.push((note.time + 0.06, note.lane, false));
            }
        }
    }
    presses.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (time, lane, down) in presses {
        if game.song_time() < time - 0.001 {
            game.run_until(time - 0.001, FRAME);
        }
        if down {
            game.press_at(KEYS[usize::from(lane)], time);
        } else {
            game.release_at(KEYS[usize::from(lane)], time);
        }
    }
    game.run_to_results(FRAME, 600);
    game.app.world().resource::<LastPlay>().clone()
}

#[test]
fn mirror_shuffle_and_random_are_reproduced_by_their_replays() {
    let dir = tempfile::tempdir().unwrap();
    let level = busy_level(dir.path());
    let original: Vec<u8> = level.charts[0].notes.iter().map(|n| n.lane).collect();
    for lanes in [
        LaneMod::Mirror,
        LaneMod::Shuffle { seed: 11 },
        LaneMod::Random { seed: 5 },
    ] {
        let data = dir.path().join(format!("data-{}", lanes.label().unwrap()));
        let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
        let mods = Mods {
            lanes,
            ..Mods::default()
        };
        start_with(&mut game, &level, mods);
        let met = chart_in_play(&game);
        let moved: Vec<u8> = met.notes.iter().map(|n| n.lane).collect();
        assert_ne!(moved, original, "{lanes:?} moved notes");
        let last = play_by_sight(&mut game, &met);
        let result = last.result;
        assert!(result.full_combo, "{lanes:?}: {result:?}");

        let path = last.replay_path.expect("a real play saves a replay");
        let ReplayFile::Full(replay) = read_replay(&path).unwrap() else {
            panic!("a saved replay is a full replay")
        };
        assert_eq!(
            replay.settings.mods, mods,
            "the replay keeps the layout's seed"
        );
        let again = play_solo(&level.charts[0], replay.settings, replay.inputs());
        assert_eq!(
            again.result, result,
            "{lanes:?}: the replay plays the same chart"
        );
        let without = play_solo(
            &level.charts[0],
            JudgeSettings {
                mods: Mods::default(),
                ..replay.settings
            },
            replay.inputs(),
        );
        assert!(
            !without.result.full_combo,
            "{lanes:?}: the same presses on the chart as written miss"
        );
        // Watched in the game, the replay meets the same chart and scores the same.
        let mut watch = TestGame::new(&data, vec![dir.path().to_path_buf()]);
        watch.play(PlayRequest::solo(
            Arc::new(level.clone()),
            0,
            replay.settings,
            PlayMode::Replay(replay.inputs().collect()),
        ));
        watch.run_to_results(FRAME, 900);
        let watched = watch.app.world().resource::<LastPlay>().result;
        assert_eq!(watched, result, "{lanes:?}");
    }
}

#[test]
fn a_play_with_mods_keeps_a_best_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let level = busy_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    let mods = Mods {
        lanes: LaneMod::Mirror,
        hidden: Some(0.4),
        ..Mods::default()
    };
    start_with(&mut game, &level, mods);
    let met = chart_in_play(&game);
    play_by_sight(&mut game, &met);
    let scores = std::fs::read_to_string(common::profile_home(&data).join("scores.ron")).unwrap();
    assert!(scores.contains("walk/hard mirror hidden"), "{scores}");
    assert!(!scores.contains("\"walk/hard\""), "{scores}");
}

#[test]
fn hidden_sudden_and_the_lane_cover_never_change_a_judgement() {
    let dir = tempfile::tempdir().unwrap();
    let level = busy_level(dir.path());
    let mut histories = Vec::new();
    for (name, mods) in [
        ("plain", Mods::default()),
        (
            "sight",
            Mods {
                hidden: Some(0.5),
                sudden: Some(0.7),
                lane_cover: Some(0.3),
                ..Mods::default()
            },
        ),
    ] {
        let data = dir.path().join(format!("data-{name}"));
        let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
        game.app.world_mut().resource_mut::<Settings>().mods = mods;
        start_with(&mut game, &level, mods);
        let met = chart_in_play(&game);
        assert_eq!(
            met, level.charts[0],
            "{name}: sight mods leave the chart alone"
        );
        if mods.lane_cover.is_some() {
            // The player pulls the cover down during the play.
            game.key(KeyCode::PageUp, bevy::input::ButtonState::Pressed);
            game.run_until(1.5, FRAME);
            game.key(KeyCode::PageUp, bevy::input::ButtonState::Released);
            game.frame_after(FRAME);
            let mut covers = game
                .app
                .world_mut()
                .query_filtered::<&LaneCover, With<Player>>();
            let cover = covers.single(game.app.world()).unwrap().0;
            assert!(cover > 0.5, "Page Up lowered the cover to {cover}");
        }
        let last = play_by_sight(&mut game, &met);
        if mods.lane_cover.is_some() {
            let kept = game.app.world().resource::<Settings>().mods.lane_cover;
            assert!(
                kept.is_some_and(|k| k > 0.5),
                "the height is kept: {kept:?}"
            );
        }
        histories.push((last.result, last.history));
    }
    assert_eq!(histories[0], histories[1]);
}
