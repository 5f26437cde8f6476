//! A level maker edits a level while the song list is open, and the list follows.

mod common;

use std::time::Duration;

use bevy::prelude::*;
use common::{TEST_LEVEL, TestGame, write_level};
use lightstick::library::SongLibrary;
use lightstick::screens::Screen;

/// Runs frames, a tenth of a second apart in real time, until `done` holds or five seconds
/// pass: the song list follows file-system events, which come from a thread of their own.
fn frames_until(game: &mut TestGame, done: impl Fn(&TestGame) -> bool) {
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        game.frame_after(Duration::from_millis(100));
        if done(game) {
            return;
        }
    }
}

fn entry_state(game: &TestGame, slug: &str) -> Option<bool> {
    game.app
        .world()
        .resource::<SongLibrary>()
        .find(slug)
        .map(|e| e.level.is_some())
}

#[test]
fn the_song_list_follows_edits_additions_and_removals() {
    let dir = tempfile::tempdir().unwrap();
    let levels = dir.path().join("levels");
    let folder = write_level(&levels, "work-in-progress", TEST_LEVEL, Some(8.0));
    let mut game = TestGame::new(&dir.path().join("data"), vec![levels.clone()]);
    game.app
        .world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::SongSelect);
    let second = Duration::from_secs(1);
    game.frame_after(second);
    game.frame_after(second);
    assert_eq!(entry_state(&game, "work-in-progress"), Some(true));

    // A typo: the list shows the level as broken, with its error.
    std::fs::write(
        folder.join("level.ron"),
        TEST_LEVEL.replace("lane: 1)", "lane: 9)"),
    )
    .unwrap();
    frames_until(&mut game, |g| {
        entry_state(g, "work-in-progress") == Some(false)
    });
    assert_eq!(entry_state(&game, "work-in-progress"), Some(false));
    let library = game.app.world().resource::<SongLibrary>();
    let error = library
        .find("work-in-progress")
        .unwrap()
        .report
        .errors()
        .next()
        .unwrap();
    assert!(error.message.contains("lane 9 is out of range"), "{error}");

    // Fixed again, and a second level appears.
    std::fs::write(folder.join("level.ron"), TEST_LEVEL).unwrap();
    write_level(&levels, "another", TEST_LEVEL, Some(8.0));
    frames_until(&mut game, |g| {
        entry_state(g, "work-in-progress") == Some(true) && entry_state(g, "another") == Some(true)
    });
    assert_eq!(entry_state(&game, "work-in-progress"), Some(true));
    assert_eq!(entry_state(&game, "another"), Some(true));

    // Removed from disk, removed from the list.
    std::fs::remove_dir_all(levels.join("another")).unwrap();
    frames_until(&mut game, |g| entry_state(g, "another").is_none());
    assert_eq!(entry_state(&game, "another"), None);

    // Reloading reads the level, which must not set off another reload: with nothing edited,
    // the list says nothing more.
    let said = |g: &TestGame| {
        g.app
            .world()
            .resource::<lightstick::notice::Notices>()
            .shown
            .iter()
            .filter(|(text, _)| text.starts_with("reloaded"))
            .count()
    };
    let before = said(&game);
    for _ in 0..10 {
        std::thread::sleep(Duration::from_millis(50));
        game.frame_after(Duration::from_millis(100));
    }
    assert_eq!(said(&game), before, "a reload set off another");
}
