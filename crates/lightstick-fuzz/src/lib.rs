//! The fuzz harness: every parser and loader of a file a user can hand the game, fed mutated
//! files in-process and on the stable toolchain, each run under `catch_unwind`.
//!
//! cargo-fuzz needs nightly, and this project builds on stable alone, so the harness brings its
//! own structure-aware mutator (it knows RON's shape: lines, tokens, numbers, nesting, strings)
//! instead of coverage feedback. Every input is a pure function of (seed, index): a run that
//! dies of a stack overflow (which no `catch_unwind` catches) is resumed just past that input,
//! and any input can be made again from its two numbers.

pub mod mutate;
pub mod runner;
pub mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

/// Parses (and uses) one input; a panic is a crash.
pub type Parse = Box<dyn Fn(&[u8]) + Send + Sync>;

/// One parser under test.
pub struct Target {
    pub name: &'static str,
    /// Well-formed files the mutations start from.
    pub seeds: Vec<Vec<u8>>,
    pub run: Parse,
}

impl Target {
    pub fn new(
        name: &'static str,
        seeds: Vec<Vec<u8>>,
        run: impl Fn(&[u8]) + Send + Sync + 'static,
    ) -> Self {
        Self {
            name,
            seeds,
            run: Box::new(run),
        }
    }

    /// Runs one input; the panic message if it panicked.
    pub fn try_input(&self, input: &[u8]) -> Result<(), String> {
        catch_unwind(AssertUnwindSafe(|| (self.run)(input)))
            .map_err(|payload| lightstick_core::diagnostic::panic_message(payload.as_ref()))
    }
}

/// A crashing input found by a run.
#[derive(Clone, Debug)]
pub struct Crash {
    pub index: u64,
    pub input: Vec<u8>,
    pub message: String,
}

/// What a run of one target did.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub runs: u64,
    pub crashes: Vec<Crash>,
    pub elapsed: Duration,
    /// The slowest input and how long it took: quadratic checks show up here.
    pub slowest: (u64, Duration),
}

impl Report {
    pub fn per_second(&self) -> f64 {
        self.runs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Runs inputs `start..start + runs` of `target` from `seed` in this process. `before` is told
/// each input before it runs (to keep it where a crash that kills the process can be found),
/// and `crashed` each crash as it happens.
pub fn run(
    target: &Target,
    seed: u64,
    start: u64,
    runs: u64,
    mut before: impl FnMut(u64, &[u8]),
    mut crashed: impl FnMut(&Crash),
) -> Report {
    let mutator = mutate::Mutator::new(&target.seeds);
    let previous_hook = std::panic::take_hook();
    // A caught panic is reported once by the harness, not printed for every input.
    std::panic::set_hook(Box::new(|_| {}));
    let began = Instant::now();
    let mut report = Report::default();
    for index in start..start + runs {
        let input = mutator.input(seed, index);
        before(index, &input);
        let took = Instant::now();
        if let Err(message) = target.try_input(&input) {
            let crash = Crash {
                index,
                input,
                message,
            };
            crashed(&crash);
            report.crashes.push(crash);
        }
        let took = took.elapsed();
        if took > report.slowest.1 {
            report.slowest = (index, took);
        }
        report.runs += 1;
    }
    report.elapsed = began.elapsed();
    std::panic::set_hook(previous_hook);
    report
}

/// Every file in `folder`, in name order: a corpus or regression folder.
pub fn files_in(folder: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| std::fs::read(&p).ok().map(|bytes| (p, bytes)))
        .collect()
}

/// A short stable name for an input, to save it under.
pub fn input_name(input: &[u8]) -> String {
    // FNV-1a: stable across builds and platforms, unlike the standard hasher.
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("crash-{hash:016x}")
}
