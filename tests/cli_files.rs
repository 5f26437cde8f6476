//! Files a player or level maker hands the command line that it must refuse in one clear
//! message, with a failing exit, no panic text and nothing written where it should not be:
//! `new-level` on a pipe, a damaged WAV or over a file of the player's, `pack` onto a name that
//! is not a pack or through a link, a replay of a chart the level lacks, and a level of a
//! million empty measures.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::run_cli as lightstick;

/// The command failed, its message holds `expected`, and no panic text reached the terminal.
fn refused(output: &Output, expected: &str) {
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "should fail:\n{out}{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "panic text reached the terminal:\n{err}"
    );
    assert!(
        err.contains(expected) || out.contains(expected),
        "expected `{expected}` in:\n{err}{out}"
    );
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[cfg(unix)]
#[test]
fn new_level_refuses_a_pipe_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("song.ogg");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = dir.path().join("level");
    // Nobody writes into the pipe: a reader that opened it would wait forever.
    let output = lightstick(&["new-level", path(&fifo), "--out", path(&out)]);
    refused(&output, "not a regular file");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn new_level_gives_a_damaged_wav_one_message_and_no_panic_text() {
    let dir = tempfile::tempdir().unwrap();
    // A WAV header that claims 65,535 channels.
    let wav = dir.path().join("w.wav");
    std::fs::write(
        &wav,
        b"RIFF\x24\xe2\x04\x00WAVEfmt \x10\x00\x00\x00\x01\x00\xff\xff\x40\x1f\x00\x00\x80\xc1\x7f\x3e\xfe\xff\x10\x00",
    )
    .unwrap();
    let out = dir.path().join("level");
    let output = lightstick(&["new-level", path(&wav), "--out", path(&out)]);
    refused(&output, "w.wav: the audio cannot be read");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(err.lines().count(), 1, "one message:\n{err}");
}

#[test]
fn new_level_never_overwrites_a_players_file_or_writes_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let song = dir.path().join("song.wav");
    common::write_silence(&song, 4.0);
    let out = dir.path().join("level");
    std::fs::create_dir_all(&out).unwrap();
    // A file of the player's with the audio's name.
    std::fs::write(out.join("song.wav"), "mine").unwrap();
    let output = lightstick(&["new-level", path(&song), "--out", path(&out)]);
    refused(&output, "pass --force to replace it");
    assert_eq!(
        std::fs::read_to_string(out.join("song.wav")).unwrap(),
        "mine"
    );
    assert!(!out.join("level.ron").exists());

    #[cfg(unix)]
    {
        // A link in the folder where the level would go: never written through.
        let elsewhere = dir.path().join("elsewhere.ron");
        std::fs::write(&elsewhere, "keep").unwrap();
        let linked = dir.path().join("linked");
        std::fs::create_dir_all(&linked).unwrap();
        std::os::unix::fs::symlink(&elsewhere, linked.join("level.ron")).unwrap();
        let output = lightstick(&["new-level", path(&song), "--out", path(&linked), "--force"]);
        refused(&output, "is a link");
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep");
    }
}

#[test]
fn pack_writes_only_a_new_lspack_and_never_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let level = common::write_level(dir.path(), "mine", common::TEST_LEVEL, Some(8.0));
    let level_file = level.join("level.ron");
    let before = std::fs::read_to_string(&level_file).unwrap();
    // Not a pack's name: the level itself is never overwritten.
    let output = lightstick(&["pack", path(&level), "--out", path(&level_file)]);
    refused(&output, "is not a pack name: give NAME.lspack");
    assert_eq!(std::fs::read_to_string(&level_file).unwrap(), before);

    let pack = dir.path().join("mine.lspack");
    let output = lightstick(&["pack", path(&level), "--out", path(&pack)]);
    assert!(output.status.success(), "{output:?}");
    let output = lightstick(&["pack", path(&level), "--out", path(&pack)]);
    refused(&output, "pass --force to replace it");
    let output = lightstick(&["pack", path(&level), "--out", path(&pack), "--force"]);
    assert!(output.status.success(), "{output:?}");

    #[cfg(unix)]
    {
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link.lspack");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let output = lightstick(&["pack", path(&level), "--out", path(&link), "--force"]);
        refused(&output, "is a link");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }
}

#[test]
fn a_level_with_a_compressible_file_packs_and_installs_under_one_rule() {
    let dir = tempfile::tempdir().unwrap();
    let level = common::write_level(dir.path(), "quiet", common::TEST_LEVEL, Some(8.0));
    // Four MB of one byte: deflated, it would be thousands of times smaller than it unpacks.
    std::fs::write(level.join("notes.txt"), vec![b'a'; 4 * 1024 * 1024]).unwrap();
    let pack = dir.path().join("quiet.lspack");
    let output = lightstick(&["pack", path(&level), "--out", path(&pack)]);
    assert!(output.status.success(), "{output:?}");
    let levels = dir.path().join("installed");
    let output = lightstick(&["import", path(&pack), "--out", path(&levels)]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert_eq!(
        std::fs::metadata(levels.join("quiet/quiet/notes.txt"))
            .unwrap()
            .len(),
        4 * 1024 * 1024
    );
}

#[test]
fn a_replay_of_a_chart_the_level_lacks_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let level = common::write_level(dir.path(), "pattern", common::TEST_LEVEL, Some(8.0));
    let replay = dir.path().join("expert.ron");
    std::fs::write(
        &replay,
        "(format: 1, level: \"pattern\", difficulty: \"Expert\", settings: (difficulty: (4), rate: 1.0, no_fail: false), events: [(2000.0, 0, Press), (2050.0, 0, Release)])",
    )
    .unwrap();
    let output = lightstick(&[
        "play",
        path(&level),
        "--replay",
        path(&replay),
        "--headless",
    ]);
    refused(
        &output,
        "recorded on the chart `Expert`, which `Test Pattern` does not have",
    );
    // Nor is it judged against another chart by naming one.
    let output = lightstick(&[
        "play",
        path(&level),
        "--replay",
        path(&replay),
        "--headless",
        "--difficulty",
        "Normal",
    ]);
    refused(&output, "recorded on the chart `Expert`");
}

#[test]
fn a_level_of_a_million_empty_measures_is_refused_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let measures = "[\"0000\"],".repeat(1_000_000);
    let source = common::TEST_LEVEL.replace(
        "notes: [",
        &format!("measures: [{measures}],\n            notes: ["),
    );
    let level = common::write_level(dir.path(), "endless", &source, Some(8.0));
    let output = lightstick(&["validate", path(&level)]);
    refused(&output, "at most 25000 measures");
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("endless/level.ron:"), "{out}");
}
