//! Fuzzes every parser of a file a user can hand the game, the settings included:
//! `cargo run --example fuzz -- --parser settings --runs 1000000` (or `--parser all`).
//! The core's parsers alone, optimised: `cargo run --profile fuzz -p lightstick-fuzz`.

#[path = "../tests/fuzz/targets.rs"]
mod fuzz_game_targets;

fn main() -> std::process::ExitCode {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    lightstick_fuzz::runner::main(repo, fuzz_game_targets::all_targets(repo))
}
