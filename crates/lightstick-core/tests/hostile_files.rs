//! Hostile and broken files, each the smallest input of a crash or a wrong acceptance once
//! found: every one gets a clear message naming the file (and its line where it can), and none
//! panics, wraps or poisons a play.

use std::path::Path;

use lightstick_core::judge::{JudgeSettings, autoplay_inputs};
use lightstick_core::level::load::{LevelReport, load_level_text, load_level_with};
use lightstick_core::merch::{PlayRecord, Progress, parse_catalog};
use lightstick_core::music::sheet::parse_sheet_with_warnings;
use lightstick_core::play::play_solo;
use lightstick_core::profile::parse_profile;
use lightstick_core::records::ScoreBook;
use lightstick_core::replay::{parse_replay, read_replay};
use lightstick_core::score::PlayResult;

const LEVEL: &str = r#"(
    format: 1,
    title: "Edge",
    artist: "Tester",
    audio: "song.wav",
    preview: (start: 1.0, length: 5.0),
    timing: (offset: 0.0, bpms: [(beat: 0.0, bpm: 120.0)]),
    charts: [
        (
            difficulty: "Normal",
            meter: 3,
            lanes: 4,
            notes: [
                (beat: 1.0, lane: 0),
                (beat: 2.0, lane: 1),
            ],
        ),
    ],
)"#;

fn level(text: &str) -> LevelReport {
    load_level_text(Path::new("edge/level.ron"), text, &|_| Ok(60.0))
}

fn errors(report: &LevelReport) -> Vec<String> {
    report.errors().map(|d| d.to_string()).collect()
}

fn assert_refused(report: &LevelReport, words: &str) {
    let errors = errors(report);
    assert!(report.level.is_none(), "accepted: {errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.contains(words) && e.starts_with("edge/level.ron:")),
        "no error saying `{words}`: {errors:#?}"
    );
}

#[test]
fn the_template_level_is_fine() {
    // The audio file is missing from disk; only that may be wrong with it.
    let report = level(LEVEL);
    let errors = errors(&report);
    assert!(
        errors.len() == 1 && errors[0].contains("missing"),
        "{errors:?}"
    );
}

#[test]
fn thousands_of_open_brackets_are_an_error_not_a_stack_overflow() {
    let report = level(&"(".repeat(7_703));
    let errors = errors(&report);
    assert!(report.level.is_none());
    assert!(
        errors.iter().any(|e| e.starts_with("edge/level.ron:1:")),
        "{errors:?}"
    );
}

#[test]
fn note_beats_and_lengths_that_are_not_numbers_are_refused_with_the_range() {
    for beat in ["NaN", "inf", "-1.0", "1e300"] {
        let text = LEVEL.replace("(beat: 2.0, lane: 1)", &format!("(beat: {beat}, lane: 1)"));
        assert_refused(&level(&text), "a note's beat is 0 to 100000");
    }
    let text = LEVEL.replace(
        "(beat: 2.0, lane: 1)",
        "(beat: 2.0, lane: 1, kind: Hold(length: inf))",
    );
    assert_refused(&level(&text), "a hold lasts more than 0");
    let text = LEVEL.replace("start: 1.0", "start: inf");
    assert_refused(&level(&text), "the preview needs a start of 0 to 3600");
}

#[test]
fn a_meter_outside_1_to_30_is_refused() {
    for meter in ["0", "31", "4294967295"] {
        let text = LEVEL.replace("meter: 3", &format!("meter: {meter}"));
        assert_refused(&level(&text), "the meter is 1 to 30");
    }
}

#[test]
fn a_chart_of_mines_alone_is_refused() {
    let text = LEVEL
        .replace("(beat: 1.0, lane: 0)", "(beat: 1.0, lane: 0, kind: Mine)")
        .replace("(beat: 2.0, lane: 1)", "(beat: 2.0, lane: 1, kind: Mine)");
    assert_refused(&level(&text), "has only mines");
}

#[test]
fn stage_cues_at_beats_that_are_not_numbers_are_refused() {
    for beat in ["NaN", "inf", "-1.0"] {
        let text = LEVEL.replace(
            "    charts: [",
            &format!("    stage: (moves: [(beat: {beat}, move: \"wave\")]),\n    charts: ["),
        );
        assert_refused(&level(&text), "a cue's beat is 0 to 100000");
    }
}

#[test]
fn audio_outside_the_level_folder_is_refused() {
    for audio in [
        "../neon-heartbeat/song.ron",
        "/etc/passwd",
        "sub/../../x.ogg",
    ] {
        let text = LEVEL.replace("\"song.wav\"", &format!("{audio:?}"));
        assert_refused(&level(&text), "must be a file inside the level's folder");
    }
}

#[cfg(unix)]
#[test]
fn devices_folders_and_pipes_are_refused_before_a_byte_is_read() {
    let probe = |_: &Path| Ok(60.0);
    for path in ["/dev/zero", "/dev/urandom"] {
        let report = load_level_with(Path::new(path), &probe);
        let errors = errors(&report);
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(path) && e.contains("not a regular file")),
            "{errors:?}"
        );
        let error = read_replay(Path::new(path)).unwrap_err().to_string();
        assert!(
            error.starts_with(path) && error.contains("not a regular file"),
            "{error}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("level.ron");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let report = load_level_with(&fifo, &probe);
        assert!(
            errors(&report)
                .iter()
                .any(|e| e.contains("not a regular file")),
            "{:?}",
            errors(&report)
        );
    }
}

fn replay(text: &str) -> Result<(), String> {
    parse_replay(Path::new("play.ron"), text)
        .map(|_| ())
        .map_err(|d| d.to_string())
}

const REPLAY: &str = r#"(
    format: 1,
    level: "edge",
    difficulty: "Normal",
    settings: (difficulty: (4), rate: 1.0, no_fail: false),
    events: [(500.0, 0, Press), (550.0, 0, Release)],
)"#;

#[test]
fn a_bare_replay_may_start_with_a_comment() {
    assert_eq!(replay("// my taps\n/* two */ [(500.0, 0, Press)]"), Ok(()));
    assert_eq!(replay(REPLAY), Ok(()));
}

#[test]
fn replay_settings_are_held_to_the_command_line_s_ranges() {
    for rate in ["NaN", "inf", "0.0", "-1.0", "1e308", "0.49", "2.01"] {
        let error = replay(&REPLAY.replace("rate: 1.0", &format!("rate: {rate}"))).unwrap_err();
        assert!(
            error.starts_with("play.ron:5:") && error.contains("between 0.5 and 2"),
            "{error}"
        );
    }
    for format in ["0", "2", "4294967295"] {
        let error = replay(&REPLAY.replace("format: 1", &format!("format: {format}"))).unwrap_err();
        assert!(
            error.starts_with("play.ron:2:") && error.contains("replay format"),
            "{error}"
        );
    }
    let error = replay(&REPLAY.replace("difficulty: (4)", "difficulty: (0)")).unwrap_err();
    assert!(error.contains("1 to 9"), "{error}");
}

#[test]
fn replay_event_times_that_are_not_numbers_are_placed_and_explained() {
    for time in ["NaN", "inf", "-inf", "1e300"] {
        let error = replay(&format!("[(500.0, 0, Press), ({time}, 0, Release)]")).unwrap_err();
        assert!(
            error.starts_with("play.ron:1:21") && error.contains("finite and within"),
            "{error}"
        );
        assert!(!error.contains("the one before is at -inf"), "{error}");
    }
}

#[test]
fn a_key_mashing_replay_at_a_huge_rate_cannot_score() {
    let mashing: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                "({}.0, {}, Press), ({}.5, {}, Release)",
                i * 10,
                i % 4,
                i * 10,
                i % 4
            )
        })
        .collect();
    let text = REPLAY.replace("rate: 1.0", "rate: 1e308").replace(
        "[(500.0, 0, Press), (550.0, 0, Release)]",
        &format!("[{}]", mashing.join(", ")),
    );
    assert!(replay(&text).is_err());
}

fn a_play(notes_to_hit: usize, meter: u32) -> PlayRecord {
    PlayRecord {
        level: "edge".into(),
        difficulty: "Normal".into(),
        meter,
        result: PlayResult {
            score: 1_000_000,
            all_perfect: true,
            full_combo: true,
            ..PlayResult::default()
        },
        versus_win: true,
        group_clear: true,
        part_of_chart: false,
        notes_to_hit,
    }
}

#[test]
fn huge_counts_in_a_hand_edited_profile_saturate_when_a_play_is_recorded() {
    let text = "(schema: 2, name: \"Max\", progress: (plays: 4294967295, streak: 4294967295, \
        best_streak: 4294967295, fan_points_earned: 18446744073709551615, \
        fan_points: 18446744073709551615, versus_wins: 4294967295, group_clears: 4294967295))";
    let (mut profile, _) = parse_profile(text).unwrap();
    profile.progress.record(&a_play(100, 20));
    assert_eq!(profile.progress.plays, u32::MAX);
    assert_eq!(profile.progress.fan_points, u64::MAX);
}

#[test]
fn huge_play_counts_in_a_score_book_saturate() {
    let text = r#"(format: 1, charts: {"edge/normal": (best: (score: 5, accuracy: 1.0, grade: D,
        counts: (perfect: 0, great: 0, good: 0, bad: 0, miss: 0, held: 0, let_go: 0, mines_hit: 0),
        max_combo: 0, full_combo: false, all_perfect: false, failed: false, notes: 1, holds: 0,
        mines: 0, hit_error: (hits: 0, mean_ms: 0.0, std_ms: 0.0, median_ms: 0.0)),
        best_at: 0, plays: 4294967295)})"#;
    let mut book: ScoreBook = ron::from_str(text).unwrap();
    book.record("edge", "Normal", a_play(100, 3).result, 1);
    assert_eq!(book.best("edge", "Normal").unwrap().plays, u32::MAX);
}

#[test]
fn a_chart_too_small_to_play_earns_no_fan_points() {
    let mut progress = Progress::default();
    assert_eq!(progress.record(&a_play(0, 20)), 0, "a chart of mines alone");
    assert_eq!(progress.record(&a_play(19, 20)), 0);
    assert!(progress.record(&a_play(20, 20)) > 0);
    assert_eq!(progress.plays, 3, "every play still counts");
}

const SHEET: &str =
    r#"(bpm: 120.0, chords: ["Am"], sections: [(kind: verse, bars: 2, pad: true)])"#;

fn sheet(text: &str) -> Result<(), String> {
    parse_sheet_with_warnings(Path::new("song.ron"), text)
        .map(|_| ())
        .map_err(|d| d.to_string())
}

#[test]
fn song_sheet_numbers_at_their_edges_are_refused_or_saturate() {
    assert_eq!(sheet(SHEET), Ok(()));
    let error = sheet(&SHEET.replace(
        "bpm: 120.0,",
        "bpm: 120.0, tempo_changes: [(bar: 4294967295, bpm: 90.0)],",
    ))
    .unwrap_err();
    assert!(error.contains("past the longest song"), "{error}");
    let error = sheet(&SHEET.replace("bars: 2", "bars: 4294967295")).unwrap_err();
    assert!(error.contains("limited to 10 minutes"), "{error}");
    let error = sheet(&SHEET.replace(
        "sections:",
        "mix: (compression: (threshold: NaN)), sections:",
    ))
    .unwrap_err();
    assert!(
        error.starts_with("song.ron:1:") && error.contains("threshold from -60 to 0"),
        "{error}"
    );
}

fn catalog_warnings(items: &str) -> Vec<String> {
    let text = format!("(format: 1, items: [{items}])");
    let (kept, warnings) = parse_catalog(Path::new("merch.ron"), &text, &[]);
    assert!(kept.is_empty(), "kept {kept:?}");
    warnings.iter().map(|w| w.to_string()).collect()
}

#[test]
fn catalog_rules_that_always_or_never_hold_are_left_out() {
    for (rule, words) in [
        ("Count(0, [])", "always holds"),
        ("All([])", "list no rules"),
        ("Any([])", "list no rules"),
        ("Count(4294967295, [Plays(1)])", "can never hold"),
        ("Any([Plays(1), All([])])", "list no rules"),
        ("TourStage(\"\")", "names no stage"),
    ] {
        let warnings = catalog_warnings(&format!(
            "(id: \"x\", name: \"X\", category: \"poster\", unlock: {rule})"
        ));
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("merch.ron:1:") && w.contains(words)),
            "{rule}: {warnings:?}"
        );
    }
    let warnings =
        catalog_warnings("(id: \"x\", name: \"X\", category: \"poster\", colour: \"\", price: 5)");
    assert!(
        warnings.iter().any(|w| w.contains("not a colour")),
        "{warnings:?}"
    );
}

#[test]
fn a_huge_catalog_with_a_repeated_id_is_read_and_the_repeat_found() {
    let mut items: Vec<String> = (0..40_000)
        .map(|i| format!("(id: \"item-{i}\", name: \"I\", category: \"poster\", price: 1)"))
        .collect();
    items.push("(id: \"item-7\", name: \"Again\", category: \"poster\", price: 1)".into());
    let text = format!("(format: 1, items: [{}])", items.join(",\n"));
    let (kept, warnings) = parse_catalog(Path::new("merch.ron"), &text, &[]);
    assert_eq!(kept.len(), 40_000);
    assert!(
        warnings[0]
            .to_string()
            .contains("two items are called `item-7`"),
        "{warnings:?}"
    );
}

#[test]
fn the_shipped_levels_still_play_under_the_tighter_checks() {
    let levels = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../levels");
    for folder in std::fs::read_dir(levels).unwrap().flatten() {
        let report = lightstick_core::level::load_level(&folder.path());
        assert!(report.level.is_some(), "{:?}", errors(&report));
        let level = report.level.unwrap();
        for chart in &level.charts {
            let played = play_solo(chart, JudgeSettings::default(), autoplay_inputs(chart));
            assert!(played.result.all_perfect);
        }
    }
}

#[test]
fn a_wav_whose_sizes_overflow_the_decoder_is_reported_as_damaged() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/audio");
    let mut checked = 0;
    for file in std::fs::read_dir(folder).unwrap().flatten() {
        let bytes = std::fs::read(file.path()).unwrap();
        let why = lightstick_core::audio_file::probe_bytes(bytes).unwrap_err();
        assert!(why.contains("the file is damaged"), "{why}");
        checked += 1;
    }
    assert!(checked >= 2);
}
