//! Lightstick: a dance-rhythm game. The library holds the whole game so that the binary, the
//! CLI and the tests all drive the same code.

pub mod core;
