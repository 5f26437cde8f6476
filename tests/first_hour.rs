//! A newcomer's first plays, on a headless game: a Normal chart forgives the misses that fail a
//! Hard one, a failed play is never a best, and two fails in a row offer a play with no fail.

mod common;

use std::path::Path;
use std::time::Duration;

use bevy::prelude::*;
use common::{TestGame, write_level};
use lightstick::core::level::{Level, load_level};
use lightstick::gameplay::record::LastPlay;
use lightstick::gameplay::{PlayMode, PlayRequest};
use lightstick::library::Scores;

const FRAME: Duration = Duration::from_millis(16);

/// Twelve taps from 2 s to 7.5 s at 120 BPM, on a Normal and on a Hard chart.
fn level(root: &Path) -> Level {
    let taps: Vec<String> = (4..16)
        .map(|b| format!("(beat: {b}.0, lane: {})", b % 4))
        .collect();
    let chart = |name: &str| {
        format!(
            r#"(difficulty: "{name}", meter: 3, lanes: 4, notes: [{}])"#,
            taps.join(", ")
        )
    };
    let source = format!(
        r#"(format: 1, title: "First Steps", artist: "T", audio: "song.wav",
            timing: (offset: 0.0, bpms: [(beat: 0.0, bpm: 120.0)]),
            charts: [{}, {}])"#,
        chart("Normal"),
        chart("Hard")
    );
    let folder = write_level(root, "first-steps", &source, Some(10.0));
    load_level(&folder).level.expect("the level loads")
}

/// Plays `difficulty` without pressing a key, until the results; what the play came to.
fn miss_everything(game: &mut TestGame, level: &Level, difficulty: &str) -> LastPlay {
    game.start(level.clone(), difficulty, PlayMode::Normal);
    game.run_to_results(FRAME, 1200);
    game.app.world().resource::<LastPlay>().clone()
}

#[test]
fn a_normal_chart_forgives_the_misses_that_fail_a_hard_one() {
    let dir = tempfile::tempdir().unwrap();
    let level = level(dir.path());
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    let hard = miss_everything(&mut game, &level, "Hard");
    assert!(hard.result.failed, "five misses in a row fail a Hard chart");
    let normal = miss_everything(&mut game, &level, "Normal");
    assert!(
        !normal.result.failed,
        "twelve misses do not fail a Normal chart"
    );
}

#[test]
fn a_failed_play_is_never_a_best_and_two_fails_offer_no_fail() {
    let dir = tempfile::tempdir().unwrap();
    let level = level(dir.path());
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    let first = miss_everything(&mut game, &level, "Hard");
    assert!(first.result.failed);
    assert!(!first.new_best, "a failed play is no new best");
    let book = &game.app.world().resource::<Scores>().book;
    let record = book
        .best("first-steps", "Hard")
        .expect("the play is counted");
    assert_eq!(record.cleared(), None, "and never kept as the best");
    assert_eq!(record.fails_in_a_row, 1);

    miss_everything(&mut game, &level, "Hard");
    let book = &game.app.world().resource::<Scores>().book;
    assert_eq!(book.best("first-steps", "Hard").unwrap().fails_in_a_row, 2);

    // With no fail, as the results now offer, the same play goes on to the end: a clear.
    let request = game.app.world().resource::<PlayRequest>().clone();
    game.play(PlayRequest {
        judge: lightstick::core::judge::JudgeSettings {
            no_fail: true,
            ..request.judge
        },
        ..request
    });
    game.run_to_results(FRAME, 1200);
    let last = game.app.world().resource::<LastPlay>().clone();
    assert!(!last.result.failed);
    let book = &game.app.world().resource::<Scores>().book;
    let record = book.best("first-steps", "Hard").unwrap();
    assert_eq!(record.fails_in_a_row, 0);
    assert!(record.cleared().is_some());
}

/// A game on the shipped levels, on the title screen, with a fresh profile.
fn fresh_game(data: &Path) -> TestGame {
    let mut game = TestGame::new(data, vec![common::shipped_levels()]);
    for _ in 0..3 {
        game.frame_after(FRAME);
    }
    assert_eq!(game.screen(), lightstick::screens::Screen::Title);
    game
}

fn choose(game: &mut TestGame, choice: lightstick::lesson::TitleChoice) {
    game.app.world_mut().write_message(choice);
    game.frame_after(FRAME);
    game.frame_after(FRAME);
}

#[test]
fn a_new_players_first_play_is_the_lesson_and_then_the_songs() {
    use lightstick::lesson::{LESSON_LEVEL, TitleChoice};
    use lightstick::screens::Screen;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut game = fresh_game(&data);
    choose(&mut game, TitleChoice::Play);
    assert_eq!(
        game.screen(),
        Screen::Gameplay,
        "a first Play starts the lesson"
    );
    let request = game.app.world().resource::<PlayRequest>();
    assert_eq!(request.level.slug, LESSON_LEVEL);
    let lesson = request.level.clone();
    // The lesson teaches with words on screen, in both languages, at its sections.
    assert!(lesson.prompts.len() >= 5, "{:?}", lesson.prompts);
    assert!(
        lesson
            .prompts
            .iter()
            .all(|p| p.translations.contains_key("ko"))
    );
    let kinds = |kind: &dyn Fn(&lightstick::core::chart::NoteKind) -> bool| {
        lesson.charts[0]
            .notes
            .iter()
            .filter(|n| kind(&n.kind))
            .count()
    };
    use lightstick::core::chart::NoteKind;
    assert!(kinds(&|k| matches!(k, NoteKind::Tap)) > 10);
    assert!(kinds(&|k| matches!(k, NoteKind::Hold { .. })) >= 3);
    assert!(kinds(&|k| matches!(k, NoteKind::Mine)) >= 3);

    // Once the player has a play, Play goes to the songs, and How to play still teaches.
    game.run_to_results(FRAME, 8000);
    let scores = game.app.world().resource::<Scores>();
    assert!(!scores.book.charts.is_empty());
    game.app
        .world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Title);
    game.frame_after(FRAME);
    choose(&mut game, TitleChoice::Play);
    assert_eq!(game.screen(), Screen::SongSelect);
    game.app
        .world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Title);
    game.frame_after(FRAME);
    choose(&mut game, TitleChoice::Lesson);
    assert_eq!(game.screen(), Screen::Gameplay);
    assert_eq!(
        game.app.world().resource::<PlayRequest>().level.slug,
        LESSON_LEVEL
    );
}
