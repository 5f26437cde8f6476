//! Fuzzes the core's parsers: `cargo run --profile fuzz -p lightstick-fuzz -- --parser level --runs 1000000`.
//! The game's settings are fuzzed with the game's example: `cargo run --example fuzz -- --parser settings`.

fn main() -> std::process::ExitCode {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    lightstick_fuzz::runner::main(&repo, lightstick_fuzz::targets::core_targets(&repo))
}
