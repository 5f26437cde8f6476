//! A festival tour played in the game: a stage's set list song after song, each result kept;
//! a clear opens the next stage and unlocks the merch waiting for it; a level maker's tour and
//! catalog in the data folder are read beside the shipped ones.

mod common;

use std::time::Duration;

use bevy::ecs::system::RunSystemOnce;
use bevy::prelude::*;
use common::{TestGame, load_test_level, profile_home};
use lightstick::core::profile::load_profile;
use lightstick::fans::{Fans, MerchCatalog, Tours};
use lightstick::library::SongLibrary;
use lightstick::notice::Notices;
use lightstick::screens::Screen;
use lightstick::settings::Settings;
use lightstick::tour::{TourRun, continue_tour, start_stage};

const FRAME: Duration = Duration::from_millis(16);

const TOUR: &str = r#"(
    format: 1,
    id: "test-tour",
    name: "Test Tour",
    stages: [
        (
            id: "warm-up",
            name: "Warm-up Hall",
            venue: fan_fest_hall,
            set_list: [
                (level: "test-pattern", difficulty: "Normal"),
                (level: "test-pattern", difficulty: "normal"),
            ],
            goals: [EveryGrade(A), FullCombos(2)],
        ),
        (
            id: "finale",
            name: "Finale Dome",
            venue: festival_showcase,
            set_list: [(level: "test-pattern", difficulty: "Normal")],
        ),
    ],
)"#;

const CATALOG: &str = r#"(
    format: 1,
    items: [
        (id: "warm-up-stick", name: "Warm-up Stick", category: "lightstick", unlock: TourStage("warm-up")),
        (id: "lost-stick", name: "Lost Stick", category: "lightstick", unlock: TourStage("nowhere")),
    ],
)"#;

/// Plays the test pattern cleanly: both taps, the hold held through, the mine left alone,
/// and the last tap.
fn play_cleanly(game: &mut TestGame) {
    game.press_at(KeyCode::KeyD, 2.0);
    game.release_at(KeyCode::KeyD, 2.1);
    game.press_at(KeyCode::KeyF, 2.5);
    game.release_at(KeyCode::KeyF, 2.6);
    game.press_at(KeyCode::KeyJ, 3.0);
    game.release_at(KeyCode::KeyJ, 4.05);
    game.press_at(KeyCode::KeyK, 5.0);
    game.release_at(KeyCode::KeyK, 5.1);
    game.run_to_results(FRAME, 600);
}

fn fans(game: &TestGame) -> &Fans {
    game.app.world().resource::<Fans>()
}

fn tours(game: &TestGame) -> &Tours {
    game.app.world().resource::<Tours>()
}

fn catalog(game: &TestGame) -> &MerchCatalog {
    game.app.world().resource::<MerchCatalog>()
}

#[test]
fn clearing_a_stage_opens_the_next_and_unlocks_its_merch() {
    let dir = tempfile::tempdir().unwrap();
    load_test_level(dir.path());
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("tours")).unwrap();
    std::fs::create_dir_all(data.join("merch")).unwrap();
    std::fs::write(data.join("tours/test.ron"), TOUR).unwrap();
    std::fs::write(data.join("merch/test.ron"), CATALOG).unwrap();
    // A second tour reusing a stage id: cleared stages are remembered by id, so it is refused.
    std::fs::write(
        data.join("tours/tour-copy.ron"),
        TOUR.replace("\"test-tour\"", "\"copy\""),
    )
    .unwrap();
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);

    // The level maker's tour is read; an item waiting for a stage no tour has is left out,
    // with a message that says so.
    let tour = tours(&game)
        .iter()
        .position(|t| t.id == "test-tour")
        .expect("the tour in the data folder is read");
    assert!(catalog(&game).item("warm-up-stick").is_some());
    assert!(catalog(&game).item("lost-stick").is_none());
    let notices = game.notices();
    assert!(
        notices
            .iter()
            .any(|n| n.contains("lost-stick") && n.contains("nowhere")),
        "{notices:?}"
    );
    assert!(
        notices.iter().any(|n| n.contains("tour-copy.ron:7:")
            && n.contains("another tour already has a stage called `warm-up`")),
        "{notices:?}"
    );
    assert!(tours(&game).iter().all(|t| t.id != "copy"));
    let stages = tours(&game)[tour].stages.clone();
    let cleared = &fans(&game).profile.progress.tour_stages;
    assert!(tours(&game)[tour].is_open(0, cleared));
    assert!(!tours(&game)[tour].is_open(1, cleared), "the finale waits");

    let warm_up = stages[0].clone();
    game.app
        .world_mut()
        .run_system_once(
            move |mut commands: Commands, library: Res<SongLibrary>, settings: Res<Settings>| {
                start_stage(&mut commands, &warm_up, &library, &settings).unwrap();
            },
        )
        .unwrap();
    game.enter_gameplay();

    for song in 1..=2 {
        play_cleanly(&mut game);
        let run = game.app.world().resource::<TourRun>().clone();
        assert_eq!(run.results.len(), song);
        if song == 1 {
            assert_eq!(run.outcome, None, "the set list goes on");
            assert!(
                !fans(&game).profile.progress.tour_stages.contains("warm-up"),
                "half a set list clears nothing"
            );
        }
        // Enter on the results: the next song of the set, or back to the tour.
        let to = game
            .app
            .world_mut()
            .run_system_once(
                move |mut commands: Commands,
                      library: Res<SongLibrary>,
                      settings: Res<Settings>,
                      mut notices: ResMut<Notices>| {
                    continue_tour(&mut commands, &run, &library, &settings, &mut notices)
                },
            )
            .unwrap();
        assert_eq!(
            to,
            if song == 1 {
                Screen::Gameplay
            } else {
                Screen::Tour
            }
        );
        if song == 1 {
            game.enter_gameplay();
        }
    }
    let run = game.app.world().resource::<TourRun>().clone();
    let outcome = run.outcome.expect("the set list is over");
    assert!(outcome.cleared, "{:?}", run.results);
    assert_eq!(outcome.unlocked, ["Warm-up Stick"]);

    // Saved at once: the stage, the unlock, and the finale now open.
    let (profile, _) = load_profile(&profile_home(&data).join("profile.ron"));
    assert!(profile.progress.tour_stages.contains("warm-up"));
    assert!(profile.unlocked.contains("warm-up-stick"));
    assert!(tours(&game)[tour].is_open(1, &profile.progress.tour_stages));
}

#[test]
fn the_shipped_tour_validates_with_three_festival_stages() {
    use lightstick::core::stage::Venue;
    use lightstick::core::tour::read_tour;
    let library = SongLibrary::scan(&[common::shipped_levels()]);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/tours/festival.ron");
    let (tour, diagnostics) = read_tour(&path, &library.known_levels());
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let tour = tour.unwrap();
    assert!(tour.stages.len() >= 3);
    for venue in Venue::ALL {
        assert!(
            tour.stages.iter().any(|s| s.venue == venue),
            "no stage at {venue:?}"
        );
    }
    for stage in &tour.stages {
        assert!(
            !stage.set_list.is_empty() && !stage.goals.is_empty(),
            "{}",
            stage.id
        );
    }
}
