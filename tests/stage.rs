//! The stage as a player sees it move: a judged hit sets the idol dancing the lane's move (or
//! the choreography's), a miss makes it stumble, and a level's stage mistakes are pointed at
//! while the level still plays with the defaults.

mod common;

use std::time::Duration;

use bevy::input::ButtonState;
use bevy::prelude::*;
use common::{TestGame, load_test_level};
use lightstick::core::level::load_level;
use lightstick::core::stage::{Move, Venue};
use lightstick::gameplay::stage::Dancer;
use lightstick::gameplay::{PlayMode, Player};

const FRAME: Duration = Duration::from_millis(16);

fn danced(game: &mut TestGame) -> Vec<Move> {
    let mut query = game.app.world_mut().query::<(&Player, &Dancer)>();
    let (_, dancer) = query.single(game.app.world()).unwrap();
    dancer.danced.clone()
}

#[test]
fn a_hit_dances_the_lanes_move_and_a_miss_stumbles() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    game.start(level, "Normal", PlayMode::Normal);
    game.run_until(1.99, FRAME);
    // Lane 0 (D) at 2.0 s: the leftmost lane steps left.
    game.press_at(KeyCode::KeyD, 2.0);
    game.release_at(KeyCode::KeyD, 2.05);
    assert_eq!(danced(&mut game), vec![Move::StepLeft]);
    let peak = {
        let mut query = game.app.world_mut().query::<&Dancer>();
        query
            .single(game.app.world())
            .unwrap()
            .performing
            .unwrap()
            .peak
    };
    assert!(
        (peak - 2.0).abs() < 0.02,
        "the move peaks on the note: {peak}"
    );
    // The lane 1 note at 2.5 s goes by untouched: a stumble.
    game.run_until(2.8, FRAME);
    assert_eq!(danced(&mut game), vec![Move::StepLeft, Move::Stumble]);
}

#[test]
fn a_cued_move_replaces_the_lanes_own() {
    let dir = tempfile::tempdir().unwrap();
    let source = common::TEST_LEVEL.replace(
        "    charts: [",
        r#"    stage: (moves: [(beat: 4.0, move: "heart_hands")]),
    charts: ["#,
    );
    let folder = common::write_level(dir.path(), "cued", &source, Some(8.0));
    let report = load_level(&folder);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let mut game = TestGame::new(&dir.path().join("data"), vec![dir.path().to_path_buf()]);
    game.start(report.level.unwrap(), "Normal", PlayMode::Normal);
    game.run_until(1.99, FRAME);
    game.press_at(KeyCode::KeyD, 2.0);
    game.key(KeyCode::KeyD, ButtonState::Released);
    game.frame_after(FRAME);
    assert_eq!(danced(&mut game), vec![Move::HeartHands]);
}

#[test]
fn stage_mistakes_are_pointed_at_and_the_level_plays_with_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let source = common::TEST_LEVEL.replace(
        "    charts: [",
        r##"    stage: (
        venue: "moon_base",
        palette: ["#ff5ca8", "#12345g"],
        moves: [(beat: 4.0, move: "moonwalk")],
        formations: [(beat: 0.0, positions: [(-0.5, 0.0), (1.5, 0.2)])],
    ),
    charts: ["##,
    );
    let folder = common::write_level(dir.path(), "odd-stage", &source, Some(8.0));
    let report = load_level(&folder);
    let level = report
        .level
        .as_ref()
        .expect("stage mistakes do not stop the level");
    let warnings: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    let expect = [
        ("level.ron:8:16", "no venue `moon_base`"),
        ("level.ron:9:30", "`#12345g` is not a colour"),
        ("level.ron:10:35", "no move `moonwalk`"),
        ("level.ron:11:59", "dancer 2 would stand off the stage"),
    ];
    for (at, words) in expect {
        assert!(
            warnings.iter().any(|w| w.contains(at) && w.contains(words)),
            "{at} {words}: {warnings:#?}"
        );
    }
    assert!(report.diagnostics.iter().all(|d| !d.is_error()));
    assert_eq!(level.concept.venue, Venue::FanFestHall);
    assert_eq!(level.concept.palette[0], [255, 92, 168]);
    assert!(level.choreography.moves.is_empty());
    assert!(level.choreography.formations.is_empty());
}
