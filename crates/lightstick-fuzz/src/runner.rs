//! The command line of a fuzz run. The process that is asked for a run supervises a worker
//! copy of itself: the worker keeps the input it is on in `fuzz/out/<target>.current`, so when
//! an input kills it outright (a stack overflow aborts, whatever `catch_unwind` says), the
//! supervisor saves that input as a crash and starts a new worker just past it.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use clap::Parser;

use crate::{Report, Target, input_name, run};

#[derive(Parser, Debug)]
#[command(
    about = "Feeds mutated files to Lightstick's parsers and saves every input that crashes one"
)]
struct Args {
    /// The parser to fuzz, or `all`.
    #[arg(long, default_value = "all")]
    parser: String,
    /// Inputs per parser.
    #[arg(long, default_value_t = 1_000_000)]
    runs: u64,
    /// The run's seed: the same seed makes the same inputs.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Internal: run inputs from this index in this process, as a supervised worker.
    #[arg(long, hide = true)]
    worker_from: Option<u64>,
}

/// Runs the command line over `targets`; crashes are saved under `repo/fuzz/regressions/`.
pub fn main(repo: &Path, targets: Vec<Target>) -> ExitCode {
    let args = Args::parse();
    let chosen: Vec<&Target> = targets
        .iter()
        .filter(|t| args.parser == "all" || t.name == args.parser)
        .collect();
    if chosen.is_empty() {
        let names: Vec<&str> = targets.iter().map(|t| t.name).collect();
        eprintln!(
            "no parser `{}`; the parsers are {} (or all)",
            args.parser,
            names.join(", ")
        );
        return ExitCode::FAILURE;
    }
    if let Some(start) = args.worker_from {
        return work(repo, chosen[0], args.seed, start, args.runs);
    }
    let mut found = 0;
    for target in chosen {
        found += supervise(repo, target, &args);
    }
    if found > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn current_file(repo: &Path, target: &str) -> PathBuf {
    repo.join("fuzz/out").join(format!("{target}.current"))
}

fn save_crash(repo: &Path, target: &str, input: &[u8]) -> PathBuf {
    let folder = repo.join("fuzz/regressions").join(target);
    let _ = std::fs::create_dir_all(&folder);
    let path = folder.join(input_name(input));
    let _ = std::fs::write(&path, input);
    path
}

/// The worker: runs inputs `start..start + runs`, keeping each where the supervisor finds it.
fn work(repo: &Path, target: &Target, seed: u64, start: u64, runs: u64) -> ExitCode {
    let current = current_file(repo, target.name);
    let _ = std::fs::create_dir_all(current.parent().unwrap_or(repo));
    let Ok(mut file) = std::fs::File::create(&current) else {
        eprintln!("cannot write {}", current.display());
        return ExitCode::FAILURE;
    };
    let report = run(
        target,
        seed,
        start,
        runs,
        |index, input| {
            let _ = file.seek(SeekFrom::Start(0));
            let _ = file.write_all(&index.to_le_bytes());
            let _ = file.write_all(input);
            let _ = file.set_len(8 + input.len() as u64);
        },
        |crash| {
            let saved = save_crash(repo, target.name, &crash.input);
            println!(
                "crash {} {} {}",
                crash.index,
                saved.display(),
                crash.message.replace('\n', " ")
            );
        },
    );
    println!(
        "done {} {} {} {}",
        report.runs,
        report.elapsed.as_nanos(),
        report.slowest.0,
        report.slowest.1.as_nanos()
    );
    ExitCode::SUCCESS
}

/// Runs one target to the end through as many workers as it takes; the crashes found.
fn supervise(repo: &Path, target: &Target, args: &Args) -> usize {
    let began = Instant::now();
    let mut total = Report::default();
    let mut crashes = 0;
    let mut start = 0;
    let end = args.runs;
    while start < end {
        let output = Command::new(std::env::current_exe().expect("the fuzzer knows itself"))
            .args(["--parser", target.name])
            .args(["--seed", &args.seed.to_string()])
            .args(["--runs", &(end - start).to_string()])
            .args(["--worker-from", &start.to_string()])
            .stderr(std::process::Stdio::null())
            .output();
        let Ok(output) = output else {
            eprintln!("{}: cannot start a worker", target.name);
            return crashes + 1;
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        for line in stdout.lines() {
            if let Some(rest) = line.strip_prefix("crash ") {
                crashes += 1;
                println!("{}: crash at input {rest}", target.name);
            }
        }
        let done = stdout.lines().find_map(|l| l.strip_prefix("done "));
        if let (true, Some(done)) = (output.status.success(), done) {
            let numbers: Vec<u128> = done.split(' ').filter_map(|n| n.parse().ok()).collect();
            if let [runs, _, slowest_index, slowest_nanos] = numbers[..] {
                total.runs += runs as u64;
                let slowest = Duration::from_nanos(slowest_nanos as u64);
                if slowest > total.slowest.1 {
                    total.slowest = (slowest_index as u64, slowest);
                }
            }
            break;
        }
        // The worker died on an input: it is the one it kept.
        let kept = std::fs::read(current_file(repo, target.name)).unwrap_or_default();
        if kept.len() < 8 {
            eprintln!("{}: a worker died before its first input", target.name);
            return crashes + 1;
        }
        let index = u64::from_le_bytes(kept[..8].try_into().expect("eight bytes"));
        let saved = save_crash(repo, target.name, &kept[8..]);
        crashes += 1;
        println!(
            "{}: input {index} killed the process ({}); saved as {}",
            target.name,
            output.status,
            saved.display()
        );
        total.runs += index + 1 - start;
        start = index + 1;
    }
    total.elapsed = began.elapsed();
    println!(
        "{}: {} inputs in {:.1} s, {:.0} inputs/s, {} crashes; slowest input {} took {:.1} ms",
        target.name,
        total.runs,
        total.elapsed.as_secs_f64(),
        total.per_second(),
        crashes,
        total.slowest.0,
        total.slowest.1.as_secs_f64() * 1000.0
    );
    crashes
}
