//! `lightstick import`: other games' charts made into levels, with a progress bar, each
//! song's report, and a summary table.

use std::path::Path;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use crate::core::import::{self, Outcome, Overwrite, Summary};

/// Imports everything under `path` into `out`; the exit code is 1 when any song failed.
pub fn run(path: &Path, out: &Path, force: bool) -> ExitCode {
    if !path.exists() {
        eprintln!("lightstick import: {} does not exist", path.display());
        return ExitCode::from(2);
    }
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("lightstick import: cannot make {}: {e}", out.display());
        return ExitCode::from(2);
    }
    let sources = import::find_sources(path);
    if sources.is_empty() {
        eprintln!(
            "lightstick import: no .sm, .ssc, .osu or .osz files in {}",
            path.display()
        );
        return ExitCode::from(1);
    }
    let bar = ProgressBar::new(sources.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} songs  {elapsed} (ETA {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let overwrite = if force {
        Overwrite::HandWritten
    } else {
        Overwrite::Never
    };
    let outcomes = import::import_all(&sources, out, overwrite, &|done| {
        bar.set_position(done as u64)
    });
    bar.finish_and_clear();
    print_reports(&outcomes);
    let summary = Summary::of(&outcomes);
    println!();
    println!(
        "{:>8} {:>8} {:>9} {:>9}",
        "songs", "charts", "warnings", "failures"
    );
    println!(
        "{:>8} {:>8} {:>9} {:>9}",
        summary.songs, summary.charts, summary.warnings, summary.failures
    );
    println!("Levels are in {}", out.display());
    if summary.failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_reports(outcomes: &[Outcome]) {
    for outcome in outcomes {
        for level in &outcome.levels {
            let verb = if level.updated { "updated" } else { "imported" };
            println!(
                "{verb} {} ({} charts)",
                level.folder.display(),
                level.charts
            );
            for line in level.report.lines().skip(1) {
                if !line.trim().is_empty() && !line.starts_with("Source:") {
                    println!("    {line}");
                }
            }
        }
        for failure in &outcome.failures {
            eprintln!("{failure}");
        }
    }
}
