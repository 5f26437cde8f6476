//! Record mode as a level maker meets it: a take tapped along to a shipped song becomes a
//! chart on the snap, written into the level file beside the author's own text, and the level
//! still validates and can be played perfectly.

mod common;

use common::shipped_levels;
use lightstick::core::chart::NoteKind;
use lightstick::core::judge::{JudgeSettings, autoplay_inputs};
use lightstick::core::level::edit::ChartPlace;
use lightstick::core::level::load::{LEVEL_FILE_NAME, load_level_text};
use lightstick::core::level::quantise::{HOLD_AFTER, Press, Snap};
use lightstick::core::level::{Level, discover_levels};
use lightstick::core::play::play_solo;
use lightstick::core::recording::{RecordError, RecordedChart, new_chart_name};

/// A level maker's take of `level`'s chart: each note pressed a few milliseconds off, holds
/// let go near their tails.
fn take_of(level: &Level, difficulty: &str) -> Vec<Press> {
    let chart = level.chart(difficulty).unwrap();
    chart
        .notes
        .iter()
        .filter(|n| !n.is_mine())
        .enumerate()
        .map(|(i, note)| {
            // Within 8 ms: a 1/48 step is 28 ms at the fastest shipped tempo.
            let off = [-0.008, 0.005, 0.0, 0.007, -0.004][i % 5];
            let released = match note.kind {
                NoteKind::Hold { end_time, .. } | NoteKind::Roll { end_time, .. } => end_time - off,
                _ => note.time + 0.06,
            };
            Press {
                lane: note.lane,
                at: note.time + off,
                released: Some(released),
            }
        })
        .collect()
}

/// The lines of `new` that are not in `old`, provided `new` is `old` with lines inserted in one
/// place and at most one line of `old` changed where they go in (a comma added).
fn inserted_lines(old: &str, new: &str) -> Vec<String> {
    let (old, new): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let same_start = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let same_end = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert!(
        same_start + same_end >= old.len().saturating_sub(1),
        "the rest of the file changed"
    );
    new[same_start..new.len() - same_end]
        .iter()
        .map(|l| l.to_string())
        .collect()
}

/// `text` read as `level`'s file: it must validate.
fn validated(level: &Level, text: &str) -> Level {
    let report = load_level_text(
        &level.file,
        text,
        &lightstick::core::audio_file::probe_length,
    );
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    report.level.unwrap()
}

#[test]
fn a_take_of_every_shipped_chart_is_written_in_and_plays_perfectly() {
    for report in discover_levels(&[shipped_levels()]) {
        let level = report.level.unwrap();
        let source = std::fs::read_to_string(&level.file).unwrap();
        let name = new_chart_name(&level);
        assert_eq!(name, "Recorded");
        for original in &level.charts {
            let take = take_of(&level, &original.difficulty);
            let recorded = RecordedChart::from_take(
                &level,
                &take,
                Snap::parse("1/48").unwrap(),
                HOLD_AFTER,
                &name,
                original.lanes,
            );
            let written = recorded
                .written_into(
                    &level,
                    &source,
                    &ChartPlace::Added,
                    &lightstick::core::audio_file::probe_length,
                )
                .unwrap_or_else(|e| panic!("{} {}: {e}", level.slug, original.difficulty));
            // Only the new chart's lines are new; the author's text is untouched.
            let added = inserted_lines(&source, &written);
            assert!(added.iter().any(|l| l.contains("difficulty: \"Recorded\"")));
            assert!(added.iter().all(|l| !l.contains("title:")), "{added:#?}");

            let reloaded = validated(&level, &written);
            assert_eq!(reloaded.charts.len(), level.charts.len() + 1);
            for (before, after) in level.charts.iter().zip(&reloaded.charts) {
                assert_eq!(before, after, "the other charts are as they were");
            }
            let chart = reloaded.chart("Recorded").unwrap();
            // Every note of the take is where the original has it; rolls come back as holds.
            let heads = |notes: &[lightstick::core::chart::Note]| -> Vec<(u8, String, bool)> {
                notes
                    .iter()
                    .filter(|n| !n.is_mine())
                    .map(|n| (n.lane, format!("{:.4}", n.beat), n.is_long()))
                    .collect()
            };
            let long_enough =
                |n: &lightstick::core::chart::Note| n.end_time() - n.time >= HOLD_AFTER + 0.01;
            let expected: Vec<(u8, String, bool)> = original
                .notes
                .iter()
                .filter(|n| !n.is_mine())
                .map(|n| {
                    (
                        n.lane,
                        format!("{:.4}", n.beat),
                        n.is_long() && long_enough(n),
                    )
                })
                .collect();
            assert_eq!(
                heads(&chart.notes),
                expected,
                "{} {}",
                level.slug,
                original.difficulty
            );
            let result = play_solo(chart, JudgeSettings::default(), autoplay_inputs(chart)).result;
            assert_eq!(
                result.accuracy, 100.0,
                "{} {}",
                level.slug, original.difficulty
            );
        }
    }
}

/// A shipped level and the text of its file.
fn neon_heartbeat() -> (Level, String) {
    let folder = shipped_levels().join("neon-heartbeat");
    let level = lightstick::core::level::load_level(&folder).level.unwrap();
    let source = std::fs::read_to_string(folder.join(LEVEL_FILE_NAME)).unwrap();
    (level, source)
}

#[test]
fn a_chart_put_in_place_of_another_changes_only_that_chart() {
    let (level, source) = neon_heartbeat();
    let take = take_of(&level, "Normal");
    let recorded = RecordedChart::from_take(&level, &take, Snap::default(), HOLD_AFTER, "Easy", 4);
    let written = recorded
        .written_into(
            &level,
            &source,
            &ChartPlace::Replacing("Easy".into()),
            &lightstick::core::audio_file::probe_length,
        )
        .unwrap();
    let reloaded = load_level_text(
        &level.file,
        &written,
        &lightstick::core::audio_file::probe_length,
    )
    .level
    .unwrap();
    assert_eq!(reloaded.charts.len(), level.charts.len());
    assert_eq!(
        reloaded.charts[0].notes.len(),
        level
            .chart("Normal")
            .unwrap()
            .notes
            .iter()
            .filter(|n| !n.is_mine())
            .count()
    );
    assert_eq!(reloaded.charts[1..], level.charts[1..]);
    // The text around the Easy chart is the author's, byte for byte.
    let easy_at = source.find("difficulty: \"Easy\"").unwrap();
    let chart_start = source[..easy_at].rfind("(\n").unwrap();
    assert_eq!(written[..chart_start], source[..chart_start]);
    let normal_at = source.find("difficulty: \"Normal\"").unwrap();
    let tail = &source[source[..normal_at].rfind("        (\n").unwrap()..];
    assert!(written.ends_with(tail));
}

#[test]
fn a_chart_that_would_break_the_level_is_never_written() {
    let (level, source) = neon_heartbeat();
    // A name another chart has: two charts of one name do not validate.
    let take = take_of(&level, "Easy");
    let clash = RecordedChart::from_take(&level, &take, Snap::default(), HOLD_AFTER, "Hard", 4);
    match clash.written_into(
        &level,
        &source,
        &ChartPlace::Added,
        &lightstick::core::audio_file::probe_length,
    ) {
        Err(RecordError::Invalid(errors)) => {
            assert!(
                errors[0].message.contains("two charts are named"),
                "{errors:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    let silent = RecordedChart::from_take(&level, &[], Snap::default(), HOLD_AFTER, "Quiet", 4);
    assert_eq!(
        silent.written_into(
            &level,
            &source,
            &ChartPlace::Added,
            &lightstick::core::audio_file::probe_length
        ),
        Err(RecordError::Empty)
    );
}

/// Record mode in the game's own plugins, headless: a take on the test pattern's song.
mod in_the_game {
    use std::sync::Arc;
    use std::time::Duration;

    use bevy::input::ButtonState;
    use bevy::prelude::*;
    use lightstick::core::chart::PlacedKind;
    use lightstick::core::judge::JudgeSettings;
    use lightstick::core::level::edit::ChartPlace;
    use lightstick::core::level::quantise::Snap;
    use lightstick::gameplay::record_mode::{RecordRun, RecordSetup};
    use lightstick::gameplay::session::PlaySession;
    use lightstick::gameplay::{PlayMode, PlayRequest};
    use lightstick::screens::Screen;

    use super::common::{TestGame, load_test_level};

    const FRAME: Duration = Duration::from_millis(16);

    fn run(game: &TestGame) -> RecordRun {
        game.app.world().resource::<RecordRun>().clone()
    }

    fn tap(game: &mut TestGame, key: KeyCode, at: f64, up: f64) {
        game.press_at(key, at);
        game.release_at(key, up);
    }

    fn enter(game: &mut TestGame) {
        game.key(KeyCode::Enter, ButtonState::Pressed);
        game.frame_after(FRAME);
        game.key(KeyCode::Enter, ButtonState::Released);
        game.frame_after(FRAME);
    }

    /// Records the test pattern's rhythm (120 BPM: beat n at n/2 s), a little off the beat,
    /// and lets the song end: the take is played back.
    fn record_a_take() -> (tempfile::TempDir, TestGame) {
        let dir = tempfile::tempdir().unwrap();
        let level = Arc::new(load_test_level(dir.path()));
        let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
        let setup = RecordSetup {
            snap: Snap::parse("1/8").unwrap(),
            place: ChartPlace::Added,
            lanes: 4,
        };
        let (recording, request) =
            RecordRun::begin(level, &setup, JudgeSettings::default()).unwrap();
        game.app.insert_resource(recording);
        game.play(request);
        tap(&mut game, KeyCode::KeyD, 2.02, 2.08);
        tap(&mut game, KeyCode::KeyF, 2.47, 2.52);
        // Held for a second: a hold from beat 6 to beat 8.
        tap(&mut game, KeyCode::KeyJ, 3.01, 3.98);
        tap(&mut game, KeyCode::KeyK, 5.03, 5.1);
        // Just past half a beat later: an eighth, or at quarters the next beat.
        tap(&mut game, KeyCode::KeyD, 5.27, 5.32);
        game.run_until(8.2, FRAME);
        assert!(
            run(&game).recorded.is_none(),
            "the take runs to the song's end"
        );
        for _ in 0..30 {
            game.frame_after(FRAME);
        }
        (dir, game)
    }

    #[test]
    fn a_take_is_quantised_played_back_and_written_into_the_level() {
        let (dir, mut game) = record_a_take();
        let recorded = run(&game)
            .recorded
            .expect("the song ended: the take plays back");
        assert_eq!(
            recorded.notes,
            [
                (0, 4.0, PlacedKind::Tap),
                (1, 5.0, PlacedKind::Tap),
                (2, 6.0, PlacedKind::Hold { end_beat: 8.0 }),
                (3, 10.0, PlacedKind::Tap),
                (0, 10.5, PlacedKind::Tap),
            ]
        );
        // The play back is the take, played by the game, and nothing ends in the results.
        let request = game.app.world().resource::<PlayRequest>().clone();
        assert_eq!(request.mode, PlayMode::Autoplay);
        let session = game.app.world().resource::<PlaySession>();
        assert_eq!(session.whole_chart(0).unwrap().notes.len(), 5);
        assert_eq!(game.screen(), Screen::Gameplay);

        let file = dir.path().join("test-pattern/level.ron");
        let before = std::fs::read_to_string(&file).unwrap();
        enter(&mut game);
        let after = std::fs::read_to_string(&file).unwrap();
        let added = super::inserted_lines(&before, &after);
        assert!(
            added
                .iter()
                .any(|l| l.contains("Recorded in Lightstick at 1/8"))
        );
        let level = lightstick::core::level::load_level(&file).level.unwrap();
        let chart = level
            .chart("Recorded")
            .expect("the new chart is in the file");
        assert_eq!(chart.notes.len(), 5);
        assert!(matches!(run(&game).outcome, Some(Ok(_))));
        // Nothing was scored or kept as a play.
        assert!(!dir.path().join("data/profiles/player/replays").exists());
    }

    #[test]
    fn the_enter_that_stops_a_take_plays_it_back_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let level = Arc::new(load_test_level(dir.path()));
        let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
        let setup = RecordSetup {
            snap: Snap::default(),
            place: ChartPlace::Added,
            lanes: 4,
        };
        let (recording, request) =
            RecordRun::begin(level, &setup, JudgeSettings::default()).unwrap();
        game.app.insert_resource(recording);
        game.play(request);
        tap(&mut game, KeyCode::KeyD, 2.0, 2.05);
        let file = dir.path().join("test-pattern/level.ron");
        let before = std::fs::read_to_string(&file).unwrap();
        enter(&mut game);
        assert!(run(&game).recorded.is_some(), "Enter stops the take");
        assert_eq!(run(&game).outcome, None);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            before,
            "nothing written yet"
        );
        enter(&mut game);
        assert!(matches!(run(&game).outcome, Some(Ok(_))));
        assert_ne!(std::fs::read_to_string(&file).unwrap(), before);
    }

    #[test]
    fn a_file_changed_on_disk_is_written_only_once_the_maker_says_so() {
        let (dir, mut game) = record_a_take();
        let file = dir.path().join("test-pattern/level.ron");
        let edited = format!(
            "// edited in another window\n{}",
            std::fs::read_to_string(&file).unwrap()
        );
        std::fs::write(&file, &edited).unwrap();
        enter(&mut game);
        assert!(run(&game).asking.is_some(), "the maker is asked first");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
        enter(&mut game);
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(
            written.starts_with("// edited in another window\n"),
            "written into the edit"
        );
        assert!(written.contains("difficulty: \"Recorded\""));
    }

    #[test]
    fn the_snap_keys_quantise_the_take_again_and_backspace_starts_over() {
        let (_dir, mut game) = record_a_take();
        game.key(KeyCode::BracketLeft, ButtonState::Pressed);
        game.frame_after(FRAME);
        let coarser = run(&game).recorded.unwrap();
        assert_eq!(coarser.snap, Snap::parse("1/4").unwrap());
        // At quarters the last tap, at beat 10.54, moves to beat 11.
        assert_eq!(coarser.notes.last().unwrap(), &(0, 11.0, PlacedKind::Tap));
        game.key(KeyCode::Backspace, ButtonState::Pressed);
        game.frame_after(FRAME);
        game.frame_after(FRAME);
        let again = run(&game);
        assert!(again.recorded.is_none() && again.presses.is_empty());
        assert_eq!(
            game.app.world().resource::<PlayRequest>().mode,
            PlayMode::Normal
        );
    }
}

#[test]
fn the_record_command_says_what_it_cannot_record() {
    let level = shipped_levels().join("neon-heartbeat");
    let level = level.to_str().unwrap();
    let out = common::run_cli(&["record", level, "--into", "Nope"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no chart named `Nope`"), "{said}");
    let out = common::run_cli(&["record", level, "--snap", "1/5"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("use 1/4, 1/8, 1/12"), "{said}");
}

/// 120 BPM, 180 from beat 8, a one-second stop on beat 12 and a half-second delay on beat 16:
/// a level maker's song whose beats are anything but even.
const UNEVEN_LEVEL: &str = r#"// A level whose tempo changes, stops and waits.
(
    format: 1,
    title: "Uneven",
    artist: "Lightstick",
    audio: "song.wav",
    timing: (
        offset: 0.0,
        bpms: [(beat: 0.0, bpm: 120.0), (beat: 8.0, bpm: 180.0)],
        stops: [(beat: 12.0, seconds: 1.0)],
        delays: [(beat: 16.0, seconds: 0.5)],
    ),
    charts: [
        (
            difficulty: "Normal", // the author's own
            meter: 2,
            lanes: 4,
            measures: [["1000", "0100", "0010", "0001"]],
        ),
    ],
)
"#;

#[test]
fn a_take_across_a_tempo_change_a_stop_and_a_delay_is_written_on_the_song_s_beats() {
    let dir = tempfile::tempdir().unwrap();
    let folder = common::write_level(dir.path(), "uneven", UNEVEN_LEVEL, Some(16.0));
    let level = lightstick::core::level::load_level(&folder).level.unwrap();
    // Eighths at 120, sixteenths at 180, the beat after the stop, the delayed beat and a hold.
    let mut beats: Vec<(u8, f64)> = (0..8).map(|i| (i % 4, 4.0 + 0.5 * f64::from(i))).collect();
    beats.extend((0..8).map(|i| (i % 4, 8.0 + 0.25 * f64::from(i))));
    beats.extend([(1, 12.0), (2, 13.0), (3, 16.0), (0, 17.0)]);
    let mut take: Vec<Press> = beats
        .iter()
        .enumerate()
        .map(|(i, &(lane, beat))| {
            let at = level.timing.time_at_beat(beat) + [0.012, -0.01, 0.004][i % 3];
            Press {
                lane,
                at,
                released: Some(at + 0.05),
            }
        })
        .collect();
    let hold_from = level.timing.time_at_beat(20.0);
    take.push(Press {
        lane: 2,
        at: hold_from - 0.01,
        released: Some(level.timing.time_at_beat(22.0) + 0.02),
    });
    let recorded = RecordedChart::from_take(
        &level,
        &take,
        Snap::parse("1/16").unwrap(),
        HOLD_AFTER,
        "Recorded",
        4,
    );
    let got: Vec<(u8, f64)> = recorded.notes.iter().map(|n| (n.0, n.1)).collect();
    let mut wanted = beats.clone();
    wanted.push((2, 20.0));
    wanted.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    assert_eq!(got, wanted);
    assert_eq!(
        recorded.notes.last().unwrap().2,
        lightstick::core::chart::PlacedKind::Hold { end_beat: 22.0 }
    );

    let source = std::fs::read_to_string(&level.file).unwrap();
    let written = recorded
        .written_into(
            &level,
            &source,
            &ChartPlace::Added,
            &lightstick::core::audio_file::probe_length,
        )
        .unwrap();
    let added = inserted_lines(&source, &written);
    assert!(added.iter().any(|l| l.contains("difficulty: \"Recorded\"")));
    assert!(written.contains("difficulty: \"Normal\", // the author's own"));
    let reloaded = validated(&level, &written);
    let chart = reloaded.chart("Recorded").unwrap();
    assert_eq!(chart.notes.len(), wanted.len());
    let result = play_solo(chart, JudgeSettings::default(), autoplay_inputs(chart)).result;
    assert_eq!(result.accuracy, 100.0);
}
