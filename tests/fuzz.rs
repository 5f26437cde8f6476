//! No file crashes the game: a short, deterministic pass of the fuzz harness over every parser,
//! and every input that ever crashed one (saved in `fuzz/regressions/<parser>/`) run again.
//! The long runs are `cargo run --example fuzz` (see docs/robustness.md).

#[path = "fuzz/targets.rs"]
mod targets;

use std::path::Path;

/// Inputs per parser in the short pass: enough to cover every mutation many times over.
const SHORT_PASS: u64 = 1_500;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_short_fuzz_pass_of_every_parser_finds_no_crash() {
    let targets = targets::all_targets(repo());
    let names: Vec<&str> = targets.iter().map(|t| t.name).collect();
    for wanted in lightstick_fuzz::targets::CORE_TARGETS
        .iter()
        .chain(&["settings"])
    {
        assert!(names.contains(wanted), "no fuzz target for {wanted}");
    }
    for target in &targets {
        assert!(
            !target.seeds.is_empty(),
            "{} has no seed corpus",
            target.name
        );
        let report = lightstick_fuzz::run(target, 0x5eed, 0, SHORT_PASS, |_, _| {}, |_| {});
        let crashes: Vec<String> = report
            .crashes
            .iter()
            .map(|c| {
                format!(
                    "input {} ({} bytes): {}\n{}",
                    c.index,
                    c.input.len(),
                    c.message,
                    String::from_utf8_lossy(&c.input[..c.input.len().min(400)])
                )
            })
            .collect();
        assert!(
            crashes.is_empty(),
            "{} crashed; make each a regression with `cargo run --example fuzz -- --parser {} --seed {} --runs {SHORT_PASS}`:\n{}",
            target.name,
            target.name,
            0x5eed,
            crashes.join("\n\n")
        );
    }
}

#[test]
fn every_input_that_ever_crashed_a_parser_is_handled() {
    let regressions = repo().join("fuzz/regressions");
    let mut ran = 0;
    for target in targets::all_targets(repo()) {
        for (path, input) in lightstick_fuzz::files_in(&regressions.join(target.name)) {
            ran += 1;
            if let Err(message) = target.try_input(&input) {
                panic!("{} crashes {}: {message}", path.display(), target.name);
            }
        }
    }
    assert!(ran > 0, "the regression corpus is empty");
}
