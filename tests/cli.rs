//! The `lightstick` command line as a level maker and a tester use it: validate, headless play,
//! replays, and clear messages (never a panic) for anything wrong.

mod common;

use std::process::{Command, Output};

use common::{run_cli as lightstick, shipped_levels};

fn text(output: &Output) -> (String, String) {
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out, err)
}

#[test]
fn validate_passes_the_shipped_levels() {
    let output = lightstick(&["validate"]);
    let (out, _) = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(out.contains("ok "), "{out}");
    assert!(out.contains("0 with errors"), "{out}");
}

#[test]
fn validate_checks_a_level_makers_catalog_and_tour() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("my-merch.ron");
    std::fs::write(
        &catalog,
        "(format: 1, items: [\n    (id: \"fan\", name: \"Fan\", category: \"banner\", price: 10),\n    (id: \"fan\", name: \"Again\", category: \"banner\", price: 10),\n])",
    )
    .unwrap();
    let tour = dir.path().join("my-tour.ron");
    std::fs::write(
        &tour,
        "(format: 1, id: \"t\", name: \"T\", stages: [\n    (id: \"s\", name: \"S\", set_list: [(level: \"venom-crown\", difficulty: \"Impossible\")]),\n])",
    )
    .unwrap();
    let output = lightstick(&[
        "validate",
        catalog.to_str().unwrap(),
        tour.to_str().unwrap(),
    ]);
    let (out, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("my-merch.ron:3:"), "{out}");
    assert!(out.contains("two items are called `fan`"), "{out}");
    assert!(out.contains("my-tour.ron:2:"), "{out}");
    assert!(out.contains("has no Impossible chart"), "{out}");
    // With nothing named, the shipped catalog and tour are checked too.
    let output = lightstick(&["validate"]);
    let (out, _) = text(&output);
    assert!(out.contains("catalog.ron: catalog of"), "{out}");
    assert!(out.contains("festival.ron: tour of 3 stages"), "{out}");
}

#[test]
fn validate_reports_every_problem_with_its_position_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let source = common::TEST_LEVEL
        .replace("(beat: 5.0, lane: 1)", "(beat: 5.0, lane: 7)")
        .replace("bpm: 120.0", "bpm: -3.0");
    let folder = common::write_level(dir.path(), "two-mistakes", &source, Some(8.0));
    let output = lightstick(&["validate", folder.to_str().unwrap()]);
    let (out, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("level.ron:6:"), "{out}");
    assert!(out.contains("BPM must be above 0"), "{out}");
    assert!(out.contains("lane 7 is out of range"), "{out}");
}

#[test]
fn headless_autoplay_prints_a_perfect_result_as_json() {
    let output = lightstick(&[
        "play",
        "neon-heartbeat",
        "--difficulty",
        "hard",
        "--autoplay",
        "--headless",
    ]);
    let (out, err) = text(&output);
    assert!(output.status.success(), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["score"], 1_000_000);
    assert_eq!(json["accuracy"], 100.0);
    assert_eq!(json["grade"], "SS");
    assert_eq!(json["full_combo"], true);
    assert_eq!(json["counts"]["miss"], 0);
    assert!(json["max_combo"].as_u64().unwrap() > 100);
}

#[test]
fn a_list_of_events_replays_through_the_same_judge() {
    let dir = tempfile::tempdir().unwrap();
    let level = common::write_level(dir.path(), "pattern", common::TEST_LEVEL, Some(8.0));
    let replay = dir.path().join("inputs.ron");
    // On time, 30 ms late, and a held hold; lane 3 is never played.
    std::fs::write(
        &replay,
        "[(2000.0, 0, Press), (2050.0, 0, Release), (2530.0, 1, Press), (2560.0, 1, Release),
          (3000.0, 2, Press), (4050.0, 2, Release)]",
    )
    .unwrap();
    let output = lightstick(&[
        "play",
        level.to_str().unwrap(),
        "--replay",
        replay.to_str().unwrap(),
        "--headless",
    ]);
    let (out, err) = text(&output);
    assert!(output.status.success(), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["counts"]["perfect"], 2);
    assert_eq!(json["counts"]["great"], 1);
    assert_eq!(json["counts"]["miss"], 1);
    assert_eq!(json["counts"]["held"], 1);
    assert_eq!(json["full_combo"], false);
}

#[test]
fn lane_mods_on_the_command_line_move_the_notes_and_a_replay_keeps_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let level = common::write_level(dir.path(), "pattern", common::TEST_LEVEL, Some(8.0));
    let level = level.to_str().unwrap();
    for lanes in ["mirror", "shuffle", "random"] {
        let output = lightstick(&[
            "play",
            level,
            "--lanes",
            lanes,
            "--seed",
            "3",
            "--hidden",
            "0.4",
            "--autoplay",
            "--headless",
        ]);
        let (out, err) = text(&output);
        assert!(output.status.success(), "{lanes}: {err}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            json["full_combo"], true,
            "{lanes}: autoplay plays the moved chart"
        );
    }
    // The inputs of the chart as written, played on its mirror, miss.
    let replay = dir.path().join("inputs.ron");
    std::fs::write(
        &replay,
        "(format: 1, level: \"pattern\", difficulty: \"Normal\",
          settings: (difficulty: (4), rate: 1.0, no_fail: true, mods: (lanes: Mirror)),
          events: [(2000.0, 0, Press), (2050.0, 0, Release)])",
    )
    .unwrap();
    let replay = replay.to_str().unwrap();
    let output = lightstick(&["play", level, "--replay", replay, "--headless"]);
    let (out, err) = text(&output);
    assert!(output.status.success(), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["counts"]["perfect"], 0,
        "lane 0 is lane 3 on the mirror: {out}"
    );
    let output = lightstick(&[
        "play",
        level,
        "--replay",
        replay,
        "--lanes",
        "shuffle",
        "--headless",
    ]);
    let (_, err) = text(&output);
    assert!(!output.status.success());
    assert!(
        err.contains("plays with the mods it was recorded with"),
        "{err}"
    );
}

#[test]
fn bad_input_gets_a_clear_message_and_a_failing_exit() {
    let dir = tempfile::tempdir().unwrap();
    let broken_replay = dir.path().join("broken.ron");
    std::fs::write(&broken_replay, "[(100.0, 0, Press),\n (200.0, 0, Jump)]").unwrap();
    let levels = shipped_levels();
    let level = levels.join("neon-heartbeat");
    let level = level.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "play",
                level,
                "--difficulty",
                "Insane",
                "--autoplay",
                "--headless",
            ],
            "has no difficulty `Insane`; it has Easy, Normal, Hard, Expert",
        ),
        (
            vec!["play", "no-such-song", "--autoplay", "--headless"],
            "no level `no-such-song`",
        ),
        (
            vec!["play", level, "--headless"],
            "needs --autoplay or --replay",
        ),
        (
            vec![
                "play",
                level,
                "--replay",
                broken_replay.to_str().unwrap(),
                "--headless",
            ],
            "broken.ron:2:",
        ),
        (
            vec!["play", level, "--rate", "9", "--autoplay", "--headless"],
            "the rate must be between 0.5 and 2.0",
        ),
        (
            vec![
                "play",
                "levels/neon-heartbeat/../venom-crown",
                "--autoplay",
                "--headless",
            ],
            "goes through `..`: name the level's folder directly",
        ),
        (
            vec!["play", level, "--replay", "/dev/zero", "--headless"],
            "/dev/zero: error: the replay is a device, pipe or socket, not a regular file",
        ),
        (
            vec!["validate", "/dev/urandom"],
            "/dev/urandom: error: the level file is a device, pipe or socket",
        ),
        (vec!["validate", "no/such/folder"], "no such file or folder"),
        (vec!["play", level, "--judge", "12"], "12"),
        (
            vec!["play", level, "--lanes", "flip", "--autoplay", "--headless"],
            "`flip` is not a lane mod: use mirror, shuffle or random",
        ),
        (
            vec!["play", level, "--sudden", "2", "--autoplay", "--headless"],
            "2 is outside 0.1 to 0.9 of the highway",
        ),
        (vec!["dance"], "unrecognized subcommand"),
    ];
    for (args, expected) in cases {
        let output = lightstick(&args);
        let (out, err) = text(&output);
        assert!(!output.status.success(), "{args:?} should fail: {out}");
        // `validate` prints a level's problems on stdout, the rest go to stderr.
        assert!(
            err.contains(expected) || (args[0] == "validate" && out.contains(expected)),
            "{args:?}: expected `{expected}` in:\n{err}{out}"
        );
    }
}

#[test]
fn render_audio_writes_a_levels_song_sheet_as_wav() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("neon.wav");
    let output = lightstick(&[
        "render-audio",
        "neon-heartbeat",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (_, err) = text(&output);
    assert!(output.status.success(), "{err}");
    let reader = hound::WavReader::open(&out).unwrap();
    assert_eq!(reader.spec().sample_rate, 44_100);
    assert_eq!(reader.spec().channels, 2);
    assert!(reader.duration() > 44_100 * 40);

    // A level that plays an audio file has nothing to render.
    let level = common::write_level(dir.path(), "plain", common::TEST_LEVEL, Some(8.0));
    let output = lightstick(&["render-audio", level.to_str().unwrap(), "--out", "x.wav"]);
    let (_, err) = text(&output);
    assert!(!output.status.success());
    assert!(err.contains("no song sheet to render"), "{err}");
}

#[test]
fn draft_chart_prints_a_chart_block_and_refuses_unknown_densities() {
    let output = lightstick(&[
        "draft-chart",
        "neon-heartbeat",
        "-d",
        "Expert",
        "--lanes",
        "6",
    ]);
    let (out, err) = text(&output);
    assert!(output.status.success(), "{err}");
    assert!(out.contains("difficulty: \"Expert\""), "{out}");
    assert!(out.contains("lanes: 6"), "{out}");
    assert!(
        out.contains("\"100000\"") || out.contains("\"000001\""),
        "{out}"
    );
    let output = lightstick(&["draft-chart", "neon-heartbeat", "-d", "Insane"]);
    let (_, err) = text(&output);
    assert!(!output.status.success());
    assert!(err.contains("use Easy, Normal, Hard or Expert"), "{err}");
}

/// Notes of the test pattern: beat 4 lane 0, beat 5 lane 1, a hold on lane 2 from beat 6 to 8,
/// and beat 10 lane 3 (a mine on lane 3 at beat 9), at 120 BPM.
const ALL_ON_TIME: &str = "[(2000.0, 0, Press), (2050.0, 0, Release), (2500.0, 1, Press),
  (2550.0, 1, Release), (3000.0, 2, Press), (4050.0, 2, Release), (5000.0, 3, Press),
  (5050.0, 3, Release)]";
/// The same, each press 30 ms late.
const ALL_LATE: &str = "[(2030.0, 0, Press), (2080.0, 0, Release), (2530.0, 1, Press),
  (2580.0, 1, Release), (3030.0, 2, Press), (4050.0, 2, Release), (5030.0, 3, Press),
  (5080.0, 3, Release)]";

#[test]
fn versus_judges_each_player_on_their_own_and_ranks_them() {
    let dir = tempfile::tempdir().unwrap();
    let level = common::write_level(dir.path(), "pattern", common::TEST_LEVEL, Some(8.0));
    let late = dir.path().join("late.ron");
    let on_time = dir.path().join("on-time.ron");
    std::fs::write(&late, ALL_LATE).unwrap();
    std::fs::write(&on_time, ALL_ON_TIME).unwrap();
    let output = lightstick(&[
        "play",
        level.to_str().unwrap(),
        "--players",
        "2",
        "--replay",
        late.to_str().unwrap(),
        "--replay",
        on_time.to_str().unwrap(),
        "--headless",
    ]);
    let (out, err) = text(&output);
    assert!(output.status.success(), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["mode"], "versus");
    assert_eq!(json["ranking"], serde_json::json!([2, 1]));
    assert_eq!(json["players"][1]["place"], 1);
    assert_eq!(json["players"][1]["counts"]["perfect"], 4);
    assert_eq!(json["players"][0]["place"], 2);
    assert_eq!(json["players"][0]["counts"]["great"], 4);
}

#[test]
fn the_group_stage_splits_the_song_and_reports_who_carried_what() {
    let output = lightstick(&[
        "play",
        "venom-crown",
        "--players",
        "3",
        "--group",
        "--autoplay",
        "-d",
        "Easy",
        "-d",
        "Normal",
        "-d",
        "Hard",
        "--headless",
    ]);
    let (out, err) = text(&output);
    assert!(output.status.success(), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["mode"], "group");
    assert_eq!(json["players"][2]["difficulty"], "Hard");
    assert_eq!(json["group"]["score"], 1_000_000);
    assert_eq!(json["group"]["failed"], false);
    // Verses go to one member after another; choruses are everyone's.
    let lines = json["split"]["lines"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l["name"] == "verse" && l["who"] == "1")
    );
    assert!(
        lines
            .iter()
            .all(|l| l["name"] != "chorus" || l["who"] == "all")
    );
    let shares = json["group"]["lines"].as_array().unwrap();
    assert!(
        shares
            .iter()
            .any(|s| s["member"] == 3 && s["line"] == "verse")
    );
}

#[test]
fn multiplayer_mistakes_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let level = common::write_level(dir.path(), "pattern", common::TEST_LEVEL, Some(8.0));
    let level = level.to_str().unwrap();
    let wide = dir.path().join("wide.ron");
    std::fs::write(&wide, "[(2000.0, 6, Press), (2050.0, 6, Release)]").unwrap();
    let on_time = dir.path().join("on-time.ron");
    std::fs::write(&on_time, ALL_ON_TIME).unwrap();
    let (wide, on_time) = (wide.to_str().unwrap(), on_time.to_str().unwrap());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "play",
                level,
                "--players",
                "2",
                "--replay",
                on_time,
                "--replay",
                wide,
                "--headless",
            ],
            "wide.ron:1:2: error: event 1 presses lane 6, but the chart has lanes 0 to 3 (player 2's Normal chart)",
        ),
        (
            vec![
                "play",
                level,
                "--players",
                "3",
                "--replay",
                on_time,
                "--headless",
            ],
            "3 players need 3 replays",
        ),
        (
            vec!["play", level, "--players", "5", "--autoplay", "--headless"],
            "5 is not in 1..=4",
        ),
        (
            vec![
                "play",
                level,
                "--replay",
                on_time,
                "--replay",
                on_time,
                "--headless",
            ],
            "give --players 2",
        ),
    ];
    for (args, words) in cases {
        let output = lightstick(&args);
        let (_, err) = text(&output);
        assert!(!output.status.success(), "{args:?} should fail");
        assert!(err.contains(words), "{args:?}: {err}");
    }
}

#[test]
fn a_practice_start_that_is_not_in_the_song_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let level = common::write_level(dir.path(), "pattern", common::TEST_LEVEL, Some(8.0));
    let level = level.to_str().unwrap();
    let cases = [
        (
            vec!["play", level, "--from", "9"],
            "measure 9 is past the end of the song: its measures are 1 to 4",
        ),
        (vec!["play", level, "--from", "0"], "measures count from 1"),
        (
            vec!["play", level, "--from", "chorus"],
            "no song sheet, so no sections",
        ),
        (
            vec!["play", level, "--from", "hook"],
            "neither a measure number nor a section",
        ),
        (
            vec!["play", level, "--from", "2", "--headless", "--autoplay"],
            "cannot be used with",
        ),
        (
            vec!["practice", level, "--from", "3", "--to", "2"],
            "the loop ends at measure 2, before it starts at measure 3",
        ),
        (
            vec!["practice", level, "--to", "7"],
            "its measures are 1 to 4",
        ),
        (vec!["practice", level, "--rate", "3"], "rate"),
    ];
    for (args, words) in cases {
        let output = lightstick(&args);
        let (_, err) = text(&output);
        assert!(!output.status.success(), "{args:?} should fail");
        assert!(err.contains(words), "{args:?}: {err}");
    }
}

#[test]
fn with_no_display_the_game_says_so_instead_of_crashing() {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .env("LIGHTSTICK_DATA_DIR", data.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the binary runs");
    let (_, err) = text(&output);
    assert!(!output.status.success());
    assert!(
        err.contains("no display to open a window on") && !err.contains("panicked"),
        "{err}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .env("LIGHTSTICK_DATA_DIR", data.path())
        .env("DISPLAY", ":9999")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the binary runs");
    let (_, err) = text(&output);
    assert!(err.contains("cannot reach the display :9999"), "{err}");
}

#[test]
fn a_group_members_replay_is_judged_on_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let level = common::write_group_level(dir.path());
    let level = level.to_str().unwrap();
    // Member 2's first note is at beat 12 (6 s at 120 BPM), on lane 0.
    let replay = dir.path().join("bo.ron");
    std::fs::write(
        &replay,
        "(format: 1, level: \"split\", difficulty: \"Hard\", group_member: Some(2), group_members: Some(2),
          settings: (difficulty: (4), rate: 1.0, no_fail: true),
          events: [(6000.0, 0, Press), (6050.0, 0, Release)])",
    )
    .unwrap();
    let output = lightstick(&[
        "play",
        level,
        "--replay",
        replay.to_str().unwrap(),
        "--headless",
    ]);
    let (out, err) = text(&output);
    assert!(output.status.success(), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["notes"], 16, "beats 12 to 27 are member 2's: {out}");
    assert_eq!(json["counts"]["perfect"], 1, "{out}");
    assert_eq!(json["counts"]["miss"], 15, "{out}");
}
