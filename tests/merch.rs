//! The shipped fan-merch catalog: it reads without a warning, covers every category with at
//! least 30 items, and every item can be earned: a price, or a rule that a player who has done
//! everything the shipped levels and tour offer meets.

mod common;

use std::path::Path;

use lightstick::core::level::discover_levels;
use lightstick::core::merch::{Category, read_catalog};

#[test]
fn the_shipped_catalog_validates_and_every_item_can_be_earned() {
    let levels: Vec<String> = discover_levels(&[common::shipped_levels()])
        .into_iter()
        .map(|r| r.slug)
        .collect();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/merch/catalog.ron");
    let (items, diagnostics) = read_catalog(&path, &levels);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(items.len() >= 30, "{} items", items.len());
    for category in Category::ALL {
        assert!(
            items.iter().any(|i| i.category == category),
            "no {category:?} in the catalog"
        );
    }
    for item in &items {
        assert!(
            item.price.is_some() || item.unlock.is_some(),
            "{} cannot be earned",
            item.id
        );
    }
    assert!(
        items
            .iter()
            .filter(|i| i.category == Category::Photocard)
            .all(|i| !i.member.is_empty())
    );
}

#[test]
fn every_shipped_item_is_reachable() {
    use lightstick::core::merch::{ChartBest, Progress};
    use lightstick::core::score::Grade;
    let library = lightstick::library::SongLibrary::scan(&[common::shipped_levels()]);
    let levels = library.known_levels();
    let slugs: Vec<String> = levels.iter().map(|l| l.slug.clone()).collect();
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/merch/catalog.ron");
    let (items, _) = read_catalog(&catalog, &slugs);
    let tour = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/tours/festival.ron");
    let (tour, _) = lightstick::core::tour::read_tour(&tour, &levels);
    let tour = tour.expect("the shipped tour reads");
    // Everything the shipped game offers, done perfectly: every chart all-perfect at its own
    // meter, every tour stage cleared, and plenty of plays, wins and points.
    let mut everything = Progress {
        plays: 1000,
        streak: 1000,
        best_streak: 1000,
        fan_points_earned: 10_000_000,
        fan_points: 0,
        versus_wins: 1000,
        group_clears: 1000,
        ..Progress::default()
    };
    for level in &levels {
        for (difficulty, meter) in level.difficulties.iter().zip(&level.meters) {
            everything
                .charts
                .entry(level.slug.clone())
                .or_default()
                .insert(
                    difficulty.clone(),
                    ChartBest {
                        meter: *meter,
                        cleared: Some(Grade::SS),
                        full_combo: true,
                        all_perfect: true,
                    },
                );
        }
    }
    for stage in &tour.stages {
        everything.tour_stages.insert(stage.id.clone());
    }
    for item in &items {
        if let Some(rule) = &item.unlock {
            assert!(
                rule.holds(&everything) || item.price.is_some(),
                "{} can never unlock: {}",
                item.id,
                rule.hint()
            );
        }
    }
    // Each tour stage has merch of its own to unlock.
    for stage in &tour.stages {
        assert!(
            items.iter().any(|i| i
                .unlock
                .as_ref()
                .is_some_and(|r| r.tour_stages().contains(&stage.id.as_str()))),
            "clearing {} unlocks nothing",
            stage.id
        );
    }
}
