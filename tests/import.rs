//! Charts dropped on the window are imported in the background into the player's levels, and
//! the song list shows them; `lightstick import` does the same from the command line.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bevy::prelude::*;
use bevy::window::FileDragAndDrop;
use common::TestGame;
use lightstick::import::ImportJob;
use lightstick::library::SongLibrary;
use lightstick::screens::Screen;

/// The importer's StepMania test song, with a silent audio file.
fn stepmania_song(root: &Path) -> PathBuf {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/lightstick-core/tests/fixtures/import/sm-song");
    let folder = root.join("Songs/Pack/Test Pattern");
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(fixture).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), folder.join(entry.file_name())).unwrap();
    }
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(folder.join("song.wav"), spec).unwrap();
    for _ in 0..8000 * 30 {
        writer.write_sample(0i16).unwrap();
    }
    writer.finalize().unwrap();
    folder
}

#[test]
fn a_songs_folder_dropped_on_the_window_becomes_levels_in_the_song_list() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stepmania_song(dir.path());
    let mut game = TestGame::new(&data, vec![data.join("levels")]);
    game.app
        .world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::SongSelect);
    game.frame_after(Duration::from_secs(1));
    game.app
        .world_mut()
        .write_message(FileDragAndDrop::DroppedFile {
            window: Entity::PLACEHOLDER,
            path_buf: dir.path().join("Songs"),
        });
    let mut seen_running = false;
    for _ in 0..200 {
        game.frame_after(Duration::from_millis(100));
        let running = game.app.world().resource::<ImportJob>().running.is_some();
        seen_running |= running;
        let listed = game
            .app
            .world()
            .resource::<SongLibrary>()
            .entries
            .iter()
            .any(|e| e.level.as_ref().is_some_and(|l| l.title == "Test Pattern"));
        if !running && listed {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(seen_running, "the import ran in the background");
    let library = game.app.world().resource::<SongLibrary>();
    let entry = library
        .entries
        .iter()
        .find(|e| e.level.as_ref().is_some_and(|l| l.title == "Test Pattern"))
        .expect("the imported song is in the song list");
    let level = entry.level.as_ref().unwrap();
    assert_eq!(level.difficulty_names(), ["Hard", "Challenge (Double)"]);
    assert!(entry.summary.file.starts_with(data.join("levels")));
    let notices = game.app.world().resource::<lightstick::notice::Notices>();
    assert!(
        notices
            .shown
            .iter()
            .any(|(text, _)| text.contains("imported 1 song, 2 charts")),
        "{:?}",
        notices.shown
    );
}

#[test]
fn the_command_line_imports_a_folder_and_prints_the_report_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    stepmania_song(dir.path());
    let out = dir.path().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .args(["--data-dir"])
        .arg(dir.path().join("data"))
        .arg("import")
        .arg(dir.path().join("Songs"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("imported"), "{stdout}");
    assert!(stdout.contains("lifts"), "the report is printed: {stdout}");
    assert!(
        stdout.contains("songs   charts  warnings  failures"),
        "{stdout}"
    );
    let validate = std::process::Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .arg("validate")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        validate.status.success(),
        "{}",
        String::from_utf8_lossy(&validate.stdout)
    );
    // A path that is not there is a clear error, not a crash.
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .arg("import")
        .arg(dir.path().join("nowhere"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does not exist"));
}

#[test]
fn a_new_level_from_audio_is_made_in_the_background_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let audio = dir.path().join("Own Song.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(&audio, spec).unwrap();
    let period = 60.0 / 120.0;
    for i in 0..44_100 * 30 {
        let t = i as f64 / 44_100.0;
        let since = (t - 1.0).rem_euclid(period);
        let v = if t < 1.0 {
            0.0
        } else {
            (-since * 40.0).exp() * (since * 377.0).sin()
        };
        writer.write_sample((v * 20_000.0) as i16).unwrap();
    }
    writer.finalize().unwrap();
    let mut game = TestGame::new(&data, vec![data.join("levels")]);
    game.app
        .world_mut()
        .write_message(lightstick::import::StartNewLevel(audio));
    for _ in 0..300 {
        game.frame_after(Duration::from_millis(100));
        if game
            .app
            .world()
            .resource::<lightstick::import::NewLevelJob>()
            .running
            .is_none()
            && data.join("levels/own-song/level.ron").is_file()
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let report = lightstick::core::level::load_level(&data.join("levels/own-song"));
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    let notices = game.app.world().resource::<lightstick::notice::Notices>();
    assert!(
        notices
            .shown
            .iter()
            .any(|(t, _)| t.contains("120.0") || t.contains("119.9") || t.contains("120.01")),
        "{:?}",
        notices.shown
    );
}

#[test]
fn the_song_list_searches_titles_artists_and_packs_and_sorts() {
    use lightstick::library::SongOrder;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("levels");
    let game = TestGame::new(&data, vec![shipped]);
    let library = game.app.world().resource::<SongLibrary>();
    let unplayed = |_: &lightstick::library::LibraryEntry| None;
    let titles = |shown: Vec<usize>| -> Vec<String> {
        shown
            .into_iter()
            .map(|i| library.entries[i].summary.title.clone())
            .collect()
    };
    // The six songs and the lesson.
    assert_eq!(
        titles(library.shown("", SongOrder::Folder, &unplayed)).len(),
        7
    );
    assert_eq!(
        titles(library.shown("neon", SongOrder::Folder, &unplayed)),
        ["Neon Heartbeat"]
    );
    // Words match anywhere, in any case: an artist and a word of a title.
    assert_eq!(
        titles(library.shown("NOVA9 promise", SongOrder::Folder, &unplayed)),
        ["Starlight Promise"]
    );
    assert!(
        library
            .shown("no such song", SongOrder::Folder, &unplayed)
            .is_empty()
    );
    let by_title = titles(library.shown("", SongOrder::Title, &unplayed));
    let mut sorted = by_title.clone();
    sorted.sort();
    assert_eq!(by_title, sorted);
    let by_bpm: Vec<f64> = library
        .shown("", SongOrder::Bpm, &unplayed)
        .into_iter()
        .map(|i| library.entries[i].summary.bpm.1)
        .collect();
    assert!(by_bpm.windows(2).all(|w| w[0] <= w[1]), "{by_bpm:?}");
    // By grade: the best played first, and the songs never played last.
    let grades = |e: &lightstick::library::LibraryEntry| match e.summary.title.as_str() {
        "Neon Heartbeat" => Some(lightstick::core::score::Grade::B),
        "Starlight Promise" => Some(lightstick::core::score::Grade::S),
        _ => None,
    };
    let by_grade = titles(library.shown("", SongOrder::Grade, &grades));
    assert_eq!(by_grade[..2], ["Starlight Promise", "Neon Heartbeat"]);
    assert_eq!(by_grade.len(), 7);
}
