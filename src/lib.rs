//! Lightstick: a dance-rhythm game. The library holds the whole game so that the binary, the
//! command line and the tests all drive the same code.

// First, so the `t!` menu-text macro is in scope in every module after it.
#[macro_use]
pub mod i18n;
pub mod app;
pub mod bindings;
pub mod cli;
pub mod fans;
pub mod gameplay;
pub mod import;
pub mod input;
pub mod lesson;
pub mod library;
pub mod lineup;
pub mod notice;
pub mod paths;
pub mod player_data;
pub mod priority;
pub mod replays;
pub mod screens;
pub mod settings;
pub mod soak;
pub mod song_browser;
pub mod sound;
pub mod tour;
pub mod ui;

// The pure core lives in its own crate; these names keep `lightstick::core` and
// `lightstick::music` paths working for the game, the CLI and the tests.
pub use lightstick_core as core;
pub use lightstick_core::music;
