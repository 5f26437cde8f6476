//! Lightstick: a dance-rhythm game. The library holds the whole game so that the binary, the
//! command line and the tests all drive the same code.

pub mod app;
pub mod cli;
pub mod core;
pub mod gameplay;
pub mod input;
pub mod library;
pub mod music;
pub mod notice;
pub mod paths;
pub mod screens;
pub mod settings;
pub mod ui;
