//! The song list as a player with a big library moves through it, on a headless game: typing
//! goes to a title, packs open and close from the keyboard and stay so at the next start, the
//! page keys jump between headings, and the list sorts by best grade.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
use bevy::prelude::*;
use common::{TEST_LEVEL, TestGame, write_level};
use lightstick::core::score::{Grade, PlayResult};
use lightstick::library::{Scores, SongLibrary, SongOrder};
use lightstick::screens::Screen;
use lightstick::song_browser::{Row, SongBrowser};

/// Two packs and two loose songs, each with its own title.
fn library(dir: &Path) -> Vec<PathBuf> {
    let root = dir.join("levels");
    for (folder, title) in [
        ("kpop/alpha", "Aurora Line"),
        ("kpop/crimson", "Crimson Vow"),
        ("kpop/dawn", "Dawn Call"),
        ("retro/bravo", "Bravo Beat"),
        ("retro/echo", "Echo Park"),
        ("loose-fox", "Fox Trail"),
        ("loose-nova", "Nova"),
    ] {
        write_level(
            &root,
            folder,
            &TEST_LEVEL.replace("Test Pattern", title),
            Some(8.0),
        );
    }
    vec![root]
}

fn song_list(data: &Path, roots: Vec<PathBuf>) -> TestGame {
    let mut game = TestGame::new(data, roots);
    game.app
        .world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::SongSelect);
    game.frame_after(Duration::from_millis(16));
    assert_eq!(game.screen(), Screen::SongSelect);
    game
}

/// Presses and lets go of `key`, typing `text` with it, a frame each.
fn tap(game: &mut TestGame, key: KeyCode, text: Option<&str>) {
    for state in [ButtonState::Pressed, ButtonState::Released] {
        game.app.world_mut().write_message(KeyboardInput {
            key_code: key,
            logical_key: Key::Unidentified(NativeKey::Unidentified),
            state,
            text: text.filter(|_| state.is_pressed()).map(Into::into),
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
        game.frame_after(Duration::from_millis(16));
    }
}

fn type_text(game: &mut TestGame, text: &str) {
    for c in text.chars() {
        tap(game, KeyCode::KeyA, Some(&c.to_string()));
    }
}

fn browser(game: &TestGame) -> &SongBrowser {
    game.app.world().resource::<SongBrowser>()
}

/// What the cursor is on: a song's title, or a pack's name in brackets.
fn on(game: &TestGame) -> String {
    let browser = browser(game);
    match &browser.pack {
        Some(pack) => format!("[{pack}]"),
        None => game.app.world().resource::<SongLibrary>().entries[browser.song]
            .summary
            .title
            .clone(),
    }
}

/// The rows as the list shows them: packs in brackets, songs by title.
fn rows(game: &TestGame) -> Vec<String> {
    let library = game.app.world().resource::<SongLibrary>();
    browser(game)
        .rows()
        .iter()
        .map(|row| match row {
            Row::Group { name, folded, .. } => {
                format!("[{name}{}]", if *folded { " closed" } else { "" })
            }
            Row::Song { index } => library.entries[*index].summary.title.clone(),
        })
        .collect()
}

fn set_order(game: &mut TestGame, order: SongOrder) {
    game.app.world_mut().resource_mut::<SongBrowser>().order = order;
    game.frame_after(Duration::from_millis(16));
}

#[test]
fn typing_goes_to_the_first_title_starting_with_it_and_esc_clears_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut game = song_list(&dir.path().join("data"), library(dir.path()));
    set_order(&mut game, SongOrder::Title);
    type_text(&mut game, "e");
    assert_eq!(on(&game), "Echo Park");
    assert_eq!(browser(&game).query, "e");
    type_text(&mut game, "c");
    assert_eq!(
        rows(&game),
        ["Echo Park"],
        "the search keeps narrowing the list as it does"
    );
    tap(&mut game, KeyCode::Escape, None);
    assert_eq!(browser(&game).query, "");
    assert_eq!(rows(&game).len(), 7, "every song is back");
    assert_eq!(
        on(&game),
        "Echo Park",
        "the cursor stays where typing put it"
    );
    assert_eq!(
        game.screen(),
        Screen::SongSelect,
        "the first Esc only clears"
    );
    tap(&mut game, KeyCode::Escape, None);
    assert_eq!(game.screen(), Screen::Title);
}

#[test]
fn a_pack_closes_and_opens_from_the_keyboard_and_stays_closed_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let roots = library(dir.path());
    let mut game = song_list(&data, roots.clone());
    assert_eq!(
        rows(&game),
        [
            "Fox Trail",
            "Nova",
            "[kpop]",
            "Aurora Line",
            "Crimson Vow",
            "Dawn Call",
            "[retro]",
            "Bravo Beat",
            "Echo Park"
        ]
    );
    assert_eq!(on(&game), "Fox Trail");
    tap(&mut game, KeyCode::ArrowDown, None);
    tap(&mut game, KeyCode::ArrowDown, None);
    assert_eq!(
        on(&game),
        "[kpop]",
        "a pack's heading is a stop of the cursor"
    );
    tap(&mut game, KeyCode::Enter, None);
    assert_eq!(
        rows(&game)[2..4],
        ["[kpop closed]", "[retro]"],
        "Enter on the heading closes the pack"
    );
    assert_eq!(game.screen(), Screen::SongSelect, "and plays nothing");
    tap(&mut game, KeyCode::PageDown, None);
    assert_eq!(
        on(&game),
        "[retro]",
        "the page keys jump heading to heading"
    );
    // The retro pack closes with Left on its heading.
    tap(&mut game, KeyCode::ArrowLeft, None);
    assert_eq!(rows(&game).last().unwrap(), "[retro closed]");
    tap(&mut game, KeyCode::ArrowUp, None);
    tap(&mut game, KeyCode::ArrowUp, None);
    assert_eq!(on(&game), "Nova", "the closed pack's songs are passed over");
    // The player quits.
    game.app.world_mut().write_message(AppExit::Success);
    game.frame_after(Duration::from_millis(16));
    drop(game);

    let mut again = song_list(&data, roots);
    assert_eq!(
        rows(&again),
        ["Fox Trail", "Nova", "[kpop closed]", "[retro closed]"],
        "closed packs are remembered between starts"
    );
    tap(&mut again, KeyCode::PageDown, None);
    assert_eq!(on(&again), "[kpop]");
    tap(&mut again, KeyCode::ArrowRight, None);
    assert_eq!(rows(&again).len(), 7, "Right opens it again");
    assert_eq!(
        again
            .app
            .world()
            .resource::<lightstick::settings::Settings>()
            .folded_groups
            .iter()
            .collect::<Vec<_>>(),
        ["retro"]
    );
}

#[test]
fn a_search_looks_inside_closed_packs() {
    let dir = tempfile::tempdir().unwrap();
    let mut game = song_list(&dir.path().join("data"), library(dir.path()));
    tap(&mut game, KeyCode::ArrowDown, None);
    tap(&mut game, KeyCode::ArrowDown, None);
    tap(&mut game, KeyCode::Enter, None);
    assert_eq!(rows(&game)[2], "[kpop closed]");
    type_text(&mut game, "crim");
    assert_eq!(rows(&game), ["[kpop]", "Crimson Vow"]);
    assert_eq!(on(&game), "Crimson Vow");
}

#[test]
fn sorted_by_best_grade_the_best_come_first_and_the_unplayed_last() {
    let dir = tempfile::tempdir().unwrap();
    let mut game = song_list(&dir.path().join("data"), library(dir.path()));
    {
        let mut scores = game.app.world_mut().resource_mut::<Scores>();
        for (slug, grade, score) in [
            ("echo", Grade::B, 700_000),
            ("loose-nova", Grade::SS, 1_000_000),
            ("crimson", Grade::A, 900_000),
        ] {
            let result = PlayResult {
                score,
                grade,
                ..Default::default()
            };
            scores.book.record(slug, "Normal", result, 1);
        }
    }
    set_order(&mut game, SongOrder::Grade);
    let listed = rows(&game);
    assert_eq!(listed[..3], ["Nova", "Crimson Vow", "Echo Park"]);
    assert_eq!(listed.len(), 7, "the songs never played follow");
    let headings: Vec<&str> = browser(&game)
        .jumps()
        .iter()
        .map(|(key, _)| key.as_str())
        .collect();
    assert_eq!(headings, ["SS", "A", "B", "new"]);
    assert_eq!(on(&game), "Fox Trail");
    for (grade, first) in [("SS", "Nova"), ("A", "Crimson Vow"), ("B", "Echo Park")] {
        tap(&mut game, KeyCode::PageDown, None);
        assert_eq!(on(&game), first, "PgDn goes to the first {grade}");
    }
}
