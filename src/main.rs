//! The `lightstick` executable: the game and its command line.

fn main() -> std::process::ExitCode {
    lightstick::cli::main()
}
