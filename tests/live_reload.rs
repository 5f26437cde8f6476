//! The song list follows a level maker's edits while it is open, and a big library is checked
//! once, in the background, and read from the library cache on later starts.

mod common;

use std::time::Duration;

use bevy::prelude::*;
use common::{TEST_LEVEL, TestGame, write_level};
use lightstick::library::{LibraryCheck, SongLibrary};
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
        .summary
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

#[test]
fn a_big_library_is_checked_in_the_background_once_then_read_from_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let levels = dir.path().join("levels").join("pack");
    for n in 0..60 {
        write_level(&levels, &format!("song-{n:02}"), TEST_LEVEL, Some(8.0));
    }
    write_level(
        &levels,
        "broken",
        &TEST_LEVEL.replace("lane: 1)", "lane: 9)"),
        Some(8.0),
    );
    let data = dir.path().join("data");
    let roots = vec![dir.path().join("levels")];
    let mut game = TestGame::new(&data, roots.clone());
    let library = game.app.world().resource::<SongLibrary>();
    assert_eq!(library.entries.len(), 61, "every level is listed at once");
    assert_eq!(
        game.app.world().resource::<LibraryCheck>().total,
        61,
        "61 new levels are more than are checked before the title shows"
    );
    frames_until(&mut game, |g| {
        g.app.world().resource::<SongLibrary>().checking() == 0
    });
    let library = game.app.world().resource::<SongLibrary>();
    assert_eq!(library.checking(), 0, "the background check finished");
    let seven = &library.find("song-07").unwrap().summary;
    assert!(seven.playable, "{:?}", seven.diagnostics);
    assert_eq!(
        library.find("song-07").unwrap().summary.title,
        "Test Pattern"
    );
    let broken = &library.find("broken").unwrap().summary;
    assert!(!broken.playable);
    assert!(broken.errors().next().unwrap().message.contains("lane 9"));
    // The check's results are kept in the index for the next start, a batch at a time.
    let index = lightstick::paths::library_index_file(&data);
    let indexed = || {
        lightstick::core::level::index::LibraryIndex::open(&index)
            .levels()
            .len()
    };
    frames_until(&mut game, |_| indexed() == 61);
    assert_eq!(indexed(), 61, "every checked level is in the index");
    drop(game);

    // The next start reads every unchanged level from the index, and checks the one edited.
    std::fs::write(
        levels.join("song-03").join("level.ron"),
        TEST_LEVEL.replace("Test Pattern", "Edited Pattern"),
    )
    .unwrap();
    let game = TestGame::new(&data, roots);
    let library = game.app.world().resource::<SongLibrary>();
    assert_eq!(library.entries.len(), 61);
    assert_eq!(
        library.checking(),
        0,
        "one changed level is checked before the title"
    );
    let loaded = library.entries.iter().filter(|e| e.level.is_some()).count();
    assert_eq!(loaded, 1, "only the edited level was read in full");
    assert_eq!(
        library.find("song-03").unwrap().summary.title,
        "Edited Pattern"
    );
    assert!(!library.find("broken").unwrap().summary.playable);
    let level = library.find("song-12").unwrap().playable().unwrap();
    assert_eq!(
        level.title, "Test Pattern",
        "a cached level loads in full when chosen"
    );
}

/// Runs frames, 30 ms apart in real time, until `done` holds or three seconds pass.
fn quick_frames_until(game: &mut TestGame, done: impl Fn(&TestGame) -> bool) {
    for _ in 0..100 {
        if done(game) {
            return;
        }
        std::thread::sleep(Duration::from_millis(30));
        game.frame_after(Duration::from_millis(30));
    }
}

fn live(game: &TestGame) -> &lightstick::gameplay::live_reload::LiveReload {
    game.app
        .world()
        .resource::<lightstick::gameplay::live_reload::LiveReload>()
}

fn chart_notes(game: &TestGame) -> Vec<(f64, u8)> {
    let session = game
        .app
        .world()
        .resource::<lightstick::gameplay::session::PlaySession>();
    let judge = session.judge(0).unwrap();
    judge
        .chart()
        .notes
        .iter()
        .map(|n| (n.time, n.lane))
        .collect()
}

#[test]
fn a_save_while_playing_swaps_the_notes_ahead_and_a_broken_save_keeps_the_last_good() {
    let dir = tempfile::tempdir().unwrap();
    let folder = write_level(dir.path(), "pattern", TEST_LEVEL, Some(8.0));
    let level = lightstick::core::level::load_level(&folder).level.unwrap();
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    game.start(level, "Normal", lightstick::gameplay::PlayMode::Normal);
    game.press_at(KeyCode::KeyD, 2.0);
    game.release_at(KeyCode::KeyD, 2.05);
    let before = game.song_time();

    // The last tap moves to lane 2, and a new tap follows it.
    let edited = TEST_LEVEL.replace(
        "(beat: 10.0, lane: 3),",
        "(beat: 10.0, lane: 2), (beat: 11.0, lane: 0),",
    );
    std::fs::write(folder.join("level.ron"), &edited).unwrap();
    quick_frames_until(&mut game, |g| live(g).reloads == 1);
    assert_eq!(live(&game).reloads, 1, "the save was not reloaded");
    assert!(game.song_time() > before, "the song went back");
    let notes = chart_notes(&game);
    assert!(
        notes.contains(&(5.0, 2)) && notes.contains(&(5.5, 0)),
        "{notes:?}"
    );
    // The tap already judged stays judged.
    let session = game
        .app
        .world()
        .resource::<lightstick::gameplay::session::PlaySession>();
    assert_eq!(session.judge(0).unwrap().score().counts().perfect, 1);

    // A broken save: the last good chart plays on, and the errors say where.
    std::fs::write(
        folder.join("level.ron"),
        edited.replace("lane: 2)", "lane: 9)"),
    )
    .unwrap();
    quick_frames_until(&mut game, |g| !live(g).errors.is_empty());
    let (error, drawn) = live(&game).errors[0].clone();
    assert!(error.to_string().contains("level.ron:"), "{error}");
    // As validate draws it: the line itself, and the spot underlined.
    assert!(drawn.contains("lane: 9") && drawn.contains('┬'), "{drawn}");
    assert!(chart_notes(&game).contains(&(5.5, 0)));
    assert_eq!(game.screen(), Screen::Gameplay);

    // Fixed: the errors go.
    std::fs::write(folder.join("level.ron"), &edited).unwrap();
    quick_frames_until(&mut game, |g| live(g).errors.is_empty());
    assert!(live(&game).errors.is_empty());
    assert_eq!(live(&game).reloads, 2);
}

#[test]
fn a_song_sheet_saved_while_playing_reloads_the_level_onto_its_new_render() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("neon");
    std::fs::create_dir_all(&folder).unwrap();
    for file in ["level.ron", "song.ron"] {
        std::fs::copy(
            common::shipped_levels().join("neon-heartbeat").join(file),
            folder.join(file),
        )
        .unwrap();
    }
    let level = lightstick::core::level::load_level(&folder).level.unwrap();
    let first_render = level.audio.clone();
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    game.start(level, "Easy", lightstick::gameplay::PlayMode::Autoplay);
    game.frame_after(Duration::from_millis(100));

    // A brighter hi-hat: the song sounds different, its beats are the same.
    let sheet = std::fs::read_to_string(folder.join("song.ron")).unwrap();
    let edited = sheet.replace("\"hat\": (cutoff: 8000.0)", "\"hat\": (cutoff: 9000.0)");
    assert_ne!(sheet, edited);
    std::fs::write(folder.join("song.ron"), edited).unwrap();
    quick_frames_until(&mut game, |g| live(g).reloads == 1);
    assert_eq!(live(&game).reloads, 1, "the sheet's save was not reloaded");
    let request = game
        .app
        .world()
        .resource::<lightstick::gameplay::PlayRequest>();
    assert_ne!(
        request.level.audio, first_render,
        "the level plays the new render"
    );
    assert!(
        game.notices().iter().any(|n| n.contains("rendering again")),
        "{:?}",
        game.notices()
    );
    assert_eq!(game.screen(), Screen::Gameplay);
}
