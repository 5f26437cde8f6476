//! The shipped fan-merch catalog: it reads without a warning, covers every category with at
//! least 30 items, and every item can be earned (a price, or a rule naming levels that ship).

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
    for category in [
        Category::Lightstick,
        Category::Photocard,
        Category::Album,
        Category::Outfit,
        Category::Poster,
        Category::Banner,
        Category::NoteSkin,
    ] {
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
