//! Importing other games' charts: `lightstick import` with a progress bar, each song's report
//! and a summary table; and in the game, a file or folder dropped on the window or named on
//! the song list, imported in the background into the player's levels.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};
use bevy::window::FileDragAndDrop;
use indicatif::{ProgressBar, ProgressStyle};

use crate::core::import::{self, Outcome, Overwrite, Summary};
use crate::screens::Screen;

pub(super) fn plugin(app: &mut App) {
    // The window registers drops; without one (headless tests) nothing is dropped.
    app.add_message::<FileDragAndDrop>()
        .add_message::<StartImport>()
        .add_message::<StartNewLevel>()
        .init_resource::<ImportJob>()
        .init_resource::<NewLevelJob>()
        .add_systems(
            Update,
            (
                // A job is first looked at in the frame after it starts, so the song list always
                // sees it running (and draws its progress) at least once.
                (import_dropped_files, finish_import, start_import).chain(),
                (start_new_level, finish_new_level).chain(),
            ),
        );
}

/// Make a new level, in the player's levels, from this audio file of theirs.
#[derive(Message, Clone, Debug)]
pub struct StartNewLevel(pub PathBuf);

/// The new level being made in the background, if one is.
#[derive(Resource, Default)]
pub struct NewLevelJob {
    pub running: Option<Task<Result<crate::core::level::skeleton::NewLevel, String>>>,
}

fn start_new_level(
    mut requests: MessageReader<StartNewLevel>,
    mut job: ResMut<NewLevelJob>,
    paths: Option<Res<crate::library::GamePaths>>,
    mut notices: ResMut<crate::notice::Notices>,
) {
    for StartNewLevel(audio) in requests.read() {
        let Some(paths) = paths.as_ref() else {
            continue;
        };
        if job.running.is_some() {
            notices.push(t!("notice-new-level-busy"));
            continue;
        }
        let name: String = audio
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        let name = name.trim_matches('-').to_string();
        let out = paths.data_dir.join("levels").join(if name.is_empty() {
            "my-song".into()
        } else {
            name
        });
        let audio = audio.clone();
        notices.push(format!("finding the tempo of {}…", audio.display()));
        job.running =
            Some(AsyncComputeTaskPool::get().spawn(async move {
                crate::core::level::skeleton::new_level(&audio, &out, false)
            }));
    }
}

fn finish_new_level(mut job: ResMut<NewLevelJob>, mut notices: ResMut<crate::notice::Notices>) {
    let Some(task) = job.running.as_mut() else {
        return;
    };
    let Some(result) = block_on(future::poll_once(task)) else {
        return;
    };
    job.running = None;
    match result {
        Ok(made) => notices.push(match made.estimate.alternative {
            Some(other) => t!(
                "notice-new-level-two-tempos",
                folder = made.folder.display().to_string(),
                bpm = format!("{:.2}", made.estimate.bpm),
                other = format!("{other:.2}"),
                offset = format!("{:.3}", made.estimate.offset)
            ),
            None => t!(
                "notice-new-level",
                folder = made.folder.display().to_string(),
                bpm = format!("{:.2}", made.estimate.bpm),
                offset = format!("{:.3}", made.estimate.offset)
            ),
        }),
        Err(why) => notices.push(why),
    }
}

/// Import everything under this path into the player's levels.
#[derive(Message, Clone, Debug)]
pub struct StartImport(pub PathBuf);

/// The import running in the background, if one is.
#[derive(Resource, Default)]
pub struct ImportJob {
    pub running: Option<RunningImport>,
}

pub struct RunningImport {
    pub path: PathBuf,
    /// Songs found, and songs done so far.
    pub total: usize,
    pub done: Arc<AtomicUsize>,
    task: Task<Vec<Outcome>>,
}

impl RunningImport {
    /// How far along the import is, 0 to 1.
    pub fn fraction(&self) -> f32 {
        self.done.load(Ordering::Relaxed) as f32 / self.total.max(1) as f32
    }
}

/// A file or folder dropped on the window is imported, except in the middle of a play.
fn import_dropped_files(
    mut drops: MessageReader<FileDragAndDrop>,
    mut start: MessageWriter<StartImport>,
    screen: Res<State<Screen>>,
    mut notices: ResMut<crate::notice::Notices>,
) {
    for drop in drops.read() {
        if let FileDragAndDrop::DroppedFile { path_buf, .. } = drop {
            if *screen.get() == Screen::Gameplay {
                notices.push(t!("notice-drop-during-play"));
                continue;
            }
            start.write(StartImport(path_buf.clone()));
        }
    }
}

fn start_import(
    mut requests: MessageReader<StartImport>,
    mut job: ResMut<ImportJob>,
    paths: Option<Res<crate::library::GamePaths>>,
    mut notices: ResMut<crate::notice::Notices>,
) {
    for StartImport(path) in requests.read() {
        if job.running.is_some() {
            notices.push(t!("notice-import-busy", path = path.display().to_string()));
            continue;
        }
        let Some(paths) = paths.as_ref() else {
            continue;
        };
        let sources = import::find_sources(path);
        if sources.is_empty() {
            notices.push(t!(
                "notice-nothing-to-import",
                path = path.display().to_string()
            ));
            continue;
        }
        let out = paths.data_dir.join("levels");
        let done = Arc::new(AtomicUsize::new(0));
        let counter = done.clone();
        let total = sources.len();
        let task = AsyncComputeTaskPool::get().spawn(async move {
            if let Err(e) = std::fs::create_dir_all(&out) {
                return vec![Outcome {
                    source: out.clone(),
                    levels: Vec::new(),
                    failures: vec![crate::core::diagnostic::Diagnostic::error(
                        &out,
                        None,
                        format!("cannot make the levels folder: {e}"),
                    )],
                }];
            }
            import::import_all(&sources, &out, Overwrite::Never, &|n| {
                counter.store(n, Ordering::Relaxed)
            })
        });
        job.running = Some(RunningImport {
            path: path.clone(),
            total,
            done,
            task,
        });
    }
}

/// When the import is done, the player reads what came of it; the song list picks the new
/// levels up by itself.
fn finish_import(mut job: ResMut<ImportJob>, mut notices: ResMut<crate::notice::Notices>) {
    let Some(running) = job.running.as_mut() else {
        return;
    };
    let Some(outcomes) = block_on(future::poll_once(&mut running.task)) else {
        return;
    };
    job.running = None;
    let summary = Summary::of(&outcomes);
    notices.push(t!(
        "notice-imported",
        songs = summary.songs,
        charts = summary.charts,
        warnings = summary.warnings,
        failed = summary.failures
    ));
    for failure in outcomes.iter().flat_map(|o| &o.failures).take(5) {
        notices.push(failure.to_string());
    }
}

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
