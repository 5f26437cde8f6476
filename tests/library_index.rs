//! The library index as a player with a big library meets it: a second start reads only what
//! changed, a damaged index lists the same songs as a fresh one, a level whose files are gone
//! leaves the list, and a first start with a thousand new levels shows the title at once.

mod common;

use std::path::{Path, PathBuf};

use common::{TEST_LEVEL, TestGame, write_level};
use lightstick::library::{LibraryCheck, SongLibrary};
use lightstick::screens::Screen;

/// What the song list shows of each level: folder name, title, playable, chart names.
type Listing = Vec<(String, String, bool, Vec<String>)>;

/// Opens the library as a start does, checking every new or changed level at once; what it
/// lists, how many levels it read in full, and what it said of the index.
fn start(roots: &[PathBuf], data: &Path) -> (Listing, usize, Option<String>) {
    let index = lightstick::paths::library_index_file(data);
    let (library, _, index) = SongLibrary::open(roots, &index, true);
    let listing = library
        .entries
        .iter()
        .map(|e| {
            let s = &e.summary;
            let charts = s.charts.iter().map(|c| c.difficulty.clone()).collect();
            (s.slug.clone(), s.title.clone(), s.playable, charts)
        })
        .collect();
    let read = library.entries.iter().filter(|e| e.level.is_some()).count();
    (listing, read, index.problem)
}

fn library(dir: &Path) -> Vec<PathBuf> {
    let root = dir.join("levels");
    for n in 0..12 {
        write_level(&root, &format!("song-{n:02}"), TEST_LEVEL, Some(8.0));
    }
    write_level(
        &root,
        "broken",
        &TEST_LEVEL.replace("lane: 1)", "lane: 9)"),
        Some(8.0),
    );
    vec![root]
}

#[test]
fn a_second_start_reads_only_what_changed_and_forgets_what_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let roots = library(dir.path());
    let data = dir.path().join("data");
    let (fresh, read, said) = start(&roots, &data);
    assert_eq!(fresh.len(), 13);
    assert_eq!(read, 12, "a first start reads every playable level");
    assert_eq!(said, None);

    let (again, read, said) = start(&roots, &data);
    assert_eq!(again, fresh);
    assert_eq!(read, 0, "nothing changed, nothing read");
    assert_eq!(said, None);

    std::fs::write(
        roots[0].join("song-04/level.ron"),
        TEST_LEVEL.replace("Test Pattern", "Touched"),
    )
    .unwrap();
    std::fs::remove_dir_all(roots[0].join("song-09")).unwrap();
    let (after, read, _) = start(&roots, &data);
    assert_eq!(read, 1, "only the touched level is read again");
    assert_eq!(after.len(), 12);
    assert!(after.iter().any(|l| l.0 == "song-04" && l.1 == "Touched"));
    assert!(
        after.iter().all(|l| l.0 != "song-09"),
        "a deleted level leaves"
    );
    let (last, read, _) = start(&roots, &data);
    assert_eq!((last, read), (after, 0), "and stays gone from the index");
}

#[test]
fn a_damaged_index_lists_the_same_songs_as_a_fresh_one_and_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let roots = library(dir.path());
    let data = dir.path().join("data");
    let (fresh, _, _) = start(&roots, &data);
    let index = lightstick::paths::library_index_file(&data);
    let whole = std::fs::read(&index).unwrap();
    // Random bytes, and the file cut in half.
    let noise: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for damaged in [noise, whole[..whole.len() / 2].to_vec()] {
        let _ = std::fs::remove_file(index.with_file_name("library.sqlite-wal"));
        std::fs::write(&index, damaged).unwrap();
        let (listing, _, said) = start(&roots, &data);
        assert_eq!(listing, fresh);
        if let Some(said) = said {
            assert!(said.contains("made again"), "{said}");
        }
        let (listing, read, said) = start(&roots, &data);
        assert_eq!(
            (listing, read, said),
            (fresh.clone(), 0, None),
            "rebuilt once"
        );
    }
}

#[test]
fn with_a_thousand_new_levels_the_title_shows_before_the_indexing_ends() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("levels");
    let level = r#"(format: 1, title: "Small", artist: "T", audio: "song.wav",
        timing: (bpms: [(beat: 0.0, bpm: 120.0)]),
        charts: [(difficulty: "Easy", meter: 1, lanes: 4, notes: [(beat: 1.0, lane: 0)])])"#;
    for n in 0..1000 {
        write_level(&root, &format!("small-{n:04}"), level, Some(1.0));
    }
    let game = TestGame::new(&dir.path().join("data"), vec![root]);
    assert_eq!(game.screen(), Screen::Title);
    let check = game.app.world().resource::<LibraryCheck>();
    assert!(
        check.is_running() && check.done < 1000,
        "indexing goes on behind the title: {} of {}",
        check.done,
        check.total
    );
    assert_eq!(
        game.app.world().resource::<SongLibrary>().entries.len(),
        1000,
        "every level is listed at once, as being read"
    );
}

#[test]
fn the_song_list_keeps_only_the_levels_chosen_last_read_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let roots = library(dir.path());
    let index = lightstick::paths::library_index_file(&dir.path().join("data"));
    let (mut library, _, _) = SongLibrary::open(&roots, &index, true);
    assert_eq!(library.loaded(), 12, "the levels just checked are at hand");
    for song in 0..12 {
        let folder = library.entries[song].summary.folder().to_path_buf();
        if let Some(level) = lightstick::core::level::load_level(&folder).level {
            library.keep_loaded(song, std::sync::Arc::new(level));
        }
    }
    assert_eq!(library.loaded(), lightstick::library::LOADED_LEVELS);
    assert!(
        library.entries[11].level.is_some() && library.entries[0].level.is_none(),
        "the last chosen stay, the first chosen go"
    );
}

#[test]
fn two_games_checking_one_library_at_once_leave_a_whole_index() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("levels");
    for n in 0..80 {
        write_level(&root, &format!("song-{n:02}"), TEST_LEVEL, Some(8.0));
    }
    let data = dir.path().join("data");
    // Two processes validate the same library into the same index at the same time.
    let validate = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_lightstick"))
            .args(["--data-dir", data.to_str().unwrap()])
            .args(["--levels", root.to_str().unwrap()])
            .arg("validate")
            .arg(&root)
            .output()
            .expect("the binary runs")
    };
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(validate);
        let second = scope.spawn(validate);
        (first.join().unwrap(), second.join().unwrap())
    });
    for out in [&first, &second] {
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("80 levels checked: 80 ok"), "{said}");
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("library index"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut index = lightstick::core::level::index::LibraryIndex::open(
        &lightstick::paths::library_index_file(&data),
    );
    assert_eq!(index.take_problem(), None, "the index is whole");
    assert_eq!(index.levels().len(), 80);
    // A third run reads them all from it.
    let said = String::from_utf8_lossy(&validate().stdout).to_string();
    assert!(
        said.contains("(80 unchanged since their last check"),
        "{said}"
    );
}
