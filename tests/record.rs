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

            let report = load_level_text(
                &level.file,
                &written,
                &lightstick::core::audio_file::probe_length,
            );
            assert!(!report.has_errors(), "{:#?}", report.diagnostics);
            let reloaded = report.level.unwrap();
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

#[test]
fn a_chart_put_in_place_of_another_changes_only_that_chart() {
    let folder = shipped_levels().join("neon-heartbeat");
    let level = lightstick::core::level::load_level(&folder).level.unwrap();
    let source = std::fs::read_to_string(folder.join(LEVEL_FILE_NAME)).unwrap();
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
    let folder = shipped_levels().join("neon-heartbeat");
    let level = lightstick::core::level::load_level(&folder).level.unwrap();
    let source = std::fs::read_to_string(folder.join(LEVEL_FILE_NAME)).unwrap();
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
