//! Watching replays in the game, headless: the song list's replay browser lists the profile's
//! saved plays of a chart, newest first, and plays any of them back to the result it had; the
//! results' Watch replay does the same for the play just finished.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bevy::prelude::*;
use common::{TestGame, load_test_level};
use lightstick::core::level::Level;
use lightstick::gameplay::record::LastPlay;
use lightstick::gameplay::{PlayMode, PlayRequest};
use lightstick::replays::{OpenReplays, ReplayBrowser, WatchReplay};
use lightstick::screens::Screen;

const FRAME: Duration = Duration::from_millis(16);

/// Plays the test pattern's Normal chart, hitting the first `hits` of its taps on time.
fn play(game: &mut TestGame, level: &Level, hits: usize) -> LastPlay {
    game.start(level.clone(), "Normal", PlayMode::Normal);
    let taps = [
        (KeyCode::KeyD, 2.0),
        (KeyCode::KeyF, 2.5),
        (KeyCode::KeyK, 5.0),
    ];
    for (key, time) in taps.into_iter().take(hits) {
        game.run_until(time - 0.05, FRAME);
        game.press_at(key, time);
        game.release_at(key, time + 0.05);
    }
    game.run_to_results(FRAME, 600);
    game.app.world().resource::<LastPlay>().clone()
}

fn watched(game: &mut TestGame) -> LastPlay {
    // A frame for the request, one to enter the play.
    game.frame_after(FRAME);
    game.frame_after(FRAME);
    assert_eq!(game.screen(), Screen::Gameplay);
    let request = game.app.world().resource::<PlayRequest>();
    assert!(matches!(request.mode, PlayMode::Replay(_)));
    game.run_to_results(FRAME, 900);
    game.app.world().resource::<LastPlay>().clone()
}

#[test]
fn the_replay_browser_lists_a_charts_replays_newest_first_and_plays_any_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    let first = play(&mut game, &level, 1);
    // Replays are named by the second the play ended.
    std::thread::sleep(Duration::from_millis(1100));
    let second = play(&mut game, &level, 3);
    assert_ne!(first.result, second.result);
    // A file that is not a replay is listed with the reason it cannot be watched.
    let folder = common::profile_home(&data)
        .join("replays")
        .join(&level.slug);
    std::fs::write(folder.join("normal-1.ron"), "(format: 1, level: ").unwrap();

    game.app.world_mut().write_message(OpenReplays {
        level: Arc::new(level.clone()),
        chart: 0,
    });
    game.frame_after(FRAME);
    let browser = game.app.world().resource::<ReplayBrowser>();
    let shown = browser.shown.as_ref().expect("the browser is open");
    let listed: Vec<Option<u32>> = shown
        .replays
        .iter()
        .map(|r| {
            r.replay
                .as_ref()
                .ok()
                .and_then(|r| r.result)
                .map(|r| r.score)
        })
        .collect();
    assert_eq!(
        listed,
        vec![Some(second.result.score), Some(first.result.score), None],
        "newest first, the broken file last"
    );
    let broken = shown.replays[2].replay.as_ref().unwrap_err().to_string();
    assert!(broken.contains("normal-1.ron:1:"), "{broken}");

    // Watching the older play gives back its result, and saves nothing.
    let watch: WatchReplay = browser.watch(1).expect("a full replay can be watched");
    assert!(browser.watch(2).is_none(), "a broken file cannot");
    game.app.world_mut().write_message(watch);
    let again = watched(&mut game);
    assert_eq!(again.result, first.result);
    assert!(again.replay_path.is_none(), "watching saves no replay");
    let scores = std::fs::read_to_string(common::profile_home(&data).join("scores.ron")).unwrap();
    assert!(
        scores.contains("plays: 2"),
        "watching is not a play: {scores}"
    );
}

#[test]
fn the_results_watch_the_play_just_finished() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    let played = play(&mut game, &level, 2);
    // What the results' Watch replay button sends.
    game.app.world_mut().write_message(WatchReplay {
        level: played.level.clone(),
        chart: played.chart,
        replay: played.replay.clone(),
    });
    let again = watched(&mut game);
    assert_eq!(again.result, played.result);
    assert_eq!(again.history, played.history);
}

/// A group member's saved replay is listed with the others, and watching it plays their lines
/// of the group stage alone: only their notes are judged, as the group judged them.
#[test]
fn a_group_members_replay_plays_their_lines_alone() {
    use lightstick::core::judge::JudgeSettings;
    use lightstick::core::play::Session;
    use lightstick::core::replay::{REPLAY_FORMAT, Replay, ReplayEvent, to_ron};

    let dir = tempfile::tempdir().unwrap();
    let folder = common::write_group_level(dir.path());
    let report = lightstick::core::level::load_level(&folder);
    let level = report.level.expect("the group level loads");
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    // Member 2 of 2 hit each of their notes 10 ms late.
    let settings = JudgeSettings::default();
    let mine = Session::part(&level.charts[0], settings, &level.split_for(2), 2);
    let inputs: Vec<_> = mine
        .autoplay(0)
        .into_iter()
        .map(|mut input| {
            input.time += 0.010;
            input
        })
        .collect();
    let expected = mine.play_through(std::slice::from_ref(&inputs)).seats[0].result;
    let replay = Replay {
        format: REPLAY_FORMAT,
        level: level.slug.clone(),
        difficulty: "Hard".into(),
        player: "Bo".into(),
        settings,
        played_at: 1_800_000_000,
        events: inputs.iter().map(ReplayEvent::from_input).collect(),
        result: Some(expected),
        group_member: Some(2),
        group_members: Some(2),
    };
    let replays = common::profile_home(&data)
        .join("replays")
        .join(&level.slug);
    std::fs::create_dir_all(&replays).unwrap();
    std::fs::write(replays.join("hard-1800000000-p2.ron"), to_ron(&replay)).unwrap();

    game.app.world_mut().write_message(OpenReplays {
        level: Arc::new(level.clone()),
        chart: 0,
    });
    game.frame_after(FRAME);
    let browser = game.app.world().resource::<ReplayBrowser>();
    let watch = browser.watch(0).expect("a member's part can be watched");
    game.app.world_mut().write_message(watch);
    game.frame_after(FRAME);
    game.frame_after(FRAME);
    assert_eq!(game.screen(), Screen::Gameplay);
    game.run_to_results(FRAME, 1400);
    let last = game.app.world().resource::<LastPlay>().clone();
    assert_eq!(last.result.notes, 16, "beats 12 to 27: member 2's lines");
    assert_eq!(last.result, expected);
    assert!(!last.result.failed);
    assert_eq!(
        last.replay.part(),
        replay.part(),
        "watching it again plays the part"
    );
}
