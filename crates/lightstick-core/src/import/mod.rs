//! Importing other games' charts as levels: StepMania's `.sm` and `.ssc`, osu!mania's `.osu`
//! and `.osz`. Each song becomes a level folder with its audio and jacket copied, a
//! `level.ron` written as a level maker would write it, and an `import-report.txt` listing
//! what the source had that a level cannot carry.
//!
//! Nothing is written outside the output folder, and a level the user wrote by hand is never
//! replaced unless they ask for it.

pub mod archive;
pub mod msd;
pub mod osu;
mod output;
pub mod sm;
pub mod song;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
pub use output::{level_source, slug_for};
pub use song::{ImportedChart, ImportedSong, Tempo};

/// The report written beside each imported level.
pub const REPORT_FILE_NAME: &str = "import-report.txt";
/// Chart files larger than this are refused: the longest real simfiles are a few MB.
pub const MAX_CHART_BYTES: u64 = 16 * 1024 * 1024;
/// How deep a folder is searched for songs: `Songs/Pack/Song/` and a little more.
const MAX_DEPTH: usize = 6;

/// Where one song comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A `.ssc` or `.sm` file (the `.ssc` when a folder has both).
    Simfile(PathBuf),
    /// The `.osu` files of one folder: each song among them becomes a level.
    OsuFolder(Vec<PathBuf>),
    /// An `.osz` archive.
    Osz(PathBuf),
    /// A Lightstick level pack (`.lspack`), installed as it is.
    Pack(PathBuf),
}

impl Source {
    /// The file or folder named in messages.
    pub fn path(&self) -> &Path {
        match self {
            Source::Simfile(p) | Source::Osz(p) | Source::Pack(p) => p,
            Source::OsuFolder(files) => files
                .first()
                .and_then(|f| f.parent())
                .unwrap_or(Path::new(".")),
        }
    }
}

pub(crate) fn has_extension(path: &Path, wanted: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| wanted.iter().any(|w| e.eq_ignore_ascii_case(w)))
}

/// Audio the game plays.
pub fn is_audio(path: &Path) -> bool {
    has_extension(path, &["ogg", "mp3", "wav", "flac", "oga"])
}

/// Images a level can show as its jacket.
pub fn is_image(path: &Path) -> bool {
    has_extension(path, &["png", "jpg", "jpeg"])
}

/// Every song under `path`: a chart file, an archive, a song folder, a pack, or a tree of them.
/// Links are not followed, so a link loop cannot trap the search.
pub fn find_sources(path: &Path) -> Vec<Source> {
    let mut found = Vec::new();
    if path.is_file() {
        if has_extension(path, &["ssc", "sm"]) {
            found.push(Source::Simfile(path.to_path_buf()));
        } else if osu::is_osu(path) {
            found.push(Source::OsuFolder(vec![path.to_path_buf()]));
        } else if has_extension(path, &["osz"]) {
            found.push(Source::Osz(path.to_path_buf()));
        } else if has_extension(path, &[crate::pack::EXTENSION]) {
            found.push(Source::Pack(path.to_path_buf()));
        }
        return found;
    }
    search(path, 0, &mut found);
    found
}

fn search(folder: &Path, depth: usize, found: &mut Vec<Source>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_file() {
            files.push(entry.path());
        } else if kind.is_dir() {
            folders.push(entry.path());
        }
    }
    files.sort();
    folders.sort();
    // A song folder: its `.ssc` wins over its `.sm`, as in StepMania.
    let ssc = files.iter().find(|f| has_extension(f, &["ssc"]));
    let sm = files.iter().find(|f| has_extension(f, &["sm"]));
    if let Some(simfile) = ssc.or(sm) {
        found.push(Source::Simfile(simfile.clone()));
    }
    let osu_files: Vec<PathBuf> = files.iter().filter(|f| osu::is_osu(f)).cloned().collect();
    if !osu_files.is_empty() {
        found.push(Source::OsuFolder(osu_files));
    }
    for archive in files.iter().filter(|f| has_extension(f, &["osz"])) {
        found.push(Source::Osz(archive.clone()));
    }
    for pack in files
        .iter()
        .filter(|f| has_extension(f, &[crate::pack::EXTENSION]))
    {
        found.push(Source::Pack(pack.clone()));
    }
    if depth < MAX_DEPTH {
        for sub in folders {
            search(&sub, depth + 1, found);
        }
    }
}

/// What `import` does with a level folder that is already there and was not imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overwrite {
    /// Leave levels written by hand alone: the song fails with that reason.
    Never,
    /// Replace them too (`--force`).
    HandWritten,
}

/// One song imported.
#[derive(Clone, Debug)]
pub struct ImportedLevel {
    pub folder: PathBuf,
    pub title: String,
    pub charts: usize,
    /// Whether an earlier import of the song was updated rather than a new folder made.
    pub updated: bool,
    /// The report: per chart, what was left out.
    pub report: String,
    pub warnings: usize,
}

/// How the import of one source went: the levels made, and the songs or charts that failed.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub source: PathBuf,
    pub levels: Vec<ImportedLevel>,
    pub failures: Vec<Diagnostic>,
}

/// The totals of an import, for the summary table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub songs: usize,
    pub charts: usize,
    pub warnings: usize,
    pub failures: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Self {
        let mut summary = Summary::default();
        for outcome in outcomes {
            summary.songs += outcome.levels.len();
            summary.charts += outcome.levels.iter().map(|l| l.charts).sum::<usize>();
            summary.warnings += outcome.levels.iter().map(|l| l.warnings).sum::<usize>();
            summary.failures += outcome.failures.len();
        }
        summary
    }
}

/// Imports every source into `out`, on every core; `progress` is called after each source
/// with the number done so far.
///
/// Sources are read first, all at once; then every song is given its folder, one after another
/// in the order of the songs' identities, so two songs with the same name get the same two
/// folders whatever order they were read in; then the levels are written, all at once, each
/// into a folder of its own.
pub fn import_all(
    sources: &[Source],
    out: &Path,
    overwrite: Overwrite,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Outcome> {
    let mut read: Vec<ReadSource> = sources
        .par_iter()
        .map(|source| guarded(source.path(), || read_source(source, out)))
        .collect();
    let mut plan = output::FolderPlan::new(out);
    let mut order: Vec<(String, usize, usize)> = Vec::new();
    for (s, source) in read.iter().enumerate() {
        for (i, song) in source.songs.iter().enumerate() {
            order.push((song.identity.clone(), s, i));
        }
    }
    order.sort();
    for (identity, s, i) in order {
        let song = &mut read[s].songs[i];
        // A song that cannot be written claims no folder.
        song.target = Some(match output::playable_audio(&song.song) {
            Ok(_) => plan.assign(&output::slug_for(&song.song), &identity, overwrite),
            Err(why) => Err(why),
        });
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    read.into_par_iter()
        .map(|source| {
            let path = source.outcome.source.clone();
            let outcome = guarded(&path, || write_source(source, out)).outcome;
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(n);
            outcome
        })
        .collect()
}

/// Imports one source into `out`. Every problem is in the outcome; nothing panics out of it.
pub fn import_source(source: &Source, out: &Path, overwrite: Overwrite) -> Outcome {
    import_all(std::slice::from_ref(source), out, overwrite, &|_| {})
        .pop()
        .expect("one outcome per source")
}

/// A source read, with its songs waiting to be written.
struct ReadSource {
    outcome: Outcome,
    songs: Vec<PlannedSong>,
    /// An archive's staged copy, which lives until its levels are written.
    staged: Option<(PathBuf, archive::Staged)>,
}

struct PlannedSong {
    song: ImportedSong,
    identity: String,
    target: Option<Result<output::Target, String>>,
}

/// Runs one step of a source's import; an internal error is that source's failure, and the
/// other sources go on.
fn guarded(path: &Path, step: impl FnOnce() -> ReadSource) -> ReadSource {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|payload| {
        ReadSource {
            outcome: Outcome {
                failures: vec![Diagnostic::error(
                    path,
                    None,
                    format!(
                        "the import stopped on an internal error ({}); the other songs go on",
                        crate::diagnostic::panic_message(payload.as_ref())
                    ),
                )],
                source: path.to_path_buf(),
                levels: Vec::new(),
            },
            songs: Vec::new(),
            staged: None,
        }
    })
}

/// Reads a source's songs. A pack has no songs to read: it is installed here, whole.
fn read_source(source: &Source, out: &Path) -> ReadSource {
    let mut read = ReadSource {
        outcome: Outcome {
            source: source.path().to_path_buf(),
            levels: Vec::new(),
            failures: Vec::new(),
        },
        songs: Vec::new(),
        staged: None,
    };
    let failures = &mut read.outcome.failures;
    let (origin, songs) = match source {
        Source::Pack(path) => {
            match crate::pack::install(path, out) {
                Ok(installed) => {
                    for level in installed.levels {
                        read.outcome.levels.push(ImportedLevel {
                            title: level.title,
                            charts: level.charts,
                            folder: level.folder,
                            updated: installed.updated,
                            report: format!("Installed from the pack {}\n", installed.name),
                            warnings: 0,
                        });
                    }
                }
                Err(diagnostic) => failures.push(diagnostic),
            }
            return read;
        }
        Source::Simfile(path) => (
            path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            read_simfile(path).map(|s| vec![s]),
        ),
        Source::OsuFolder(files) => (
            source.path().to_path_buf(),
            Ok(read_osu_files(files, failures)),
        ),
        Source::Osz(path) => (
            path.clone(),
            archive::unpack_osz(path, out).map(|unpacked| {
                let songs = read_osu_files(&osu::files_in(unpacked.path()), failures);
                read.staged = Some((path.clone(), unpacked));
                songs
            }),
        ),
    };
    match songs {
        Ok(songs) => {
            read.songs = songs
                .into_iter()
                .map(|song| PlannedSong {
                    identity: output::identity_of(&origin, &song),
                    song,
                    target: None,
                })
                .collect();
        }
        Err(diagnostic) => failures.push(diagnostic),
    }
    read
}

/// Writes the songs of a source into the folders chosen for them.
fn write_source(mut read: ReadSource, out: &Path) -> ReadSource {
    for planned in std::mem::take(&mut read.songs) {
        let source = planned.song.sources.first().cloned().unwrap_or_default();
        let written = match planned.target {
            Some(Ok(target)) => output::write_level(&planned.song, out, &target, &planned.identity),
            Some(Err(why)) => Err(Diagnostic::error(&source, None, why)),
            None => continue,
        };
        match written {
            Ok(level) => read.outcome.levels.push(level),
            Err(diagnostic) => read.outcome.failures.push(diagnostic),
        }
    }
    // Failures inside an archive name the archive, not the staging folder.
    if let Some((archive, unpacked)) = read.staged.take() {
        for failure in &mut read.outcome.failures {
            if let Ok(inner) = failure.file.strip_prefix(unpacked.path()) {
                failure.file = archive.join(inner);
            }
        }
    }
    read
}

/// Reads a simfile of any encoding: StepMania reads Latin-1 and Shift-JIS files as well, so a
/// file that is not UTF-8 is read with the bad bytes replaced rather than refused.
fn read_simfile(path: &Path) -> Result<ImportedSong, Diagnostic> {
    let bytes = crate::user_file::read_bytes(path, MAX_CHART_BYTES, "the simfile")?;
    let text = String::from_utf8_lossy(&bytes);
    sm::read(path, &text)
}

/// The songs among a folder's `.osu` files: the difficulties of one song become one level.
fn read_osu_files(files: &[PathBuf], failures: &mut Vec<Diagnostic>) -> Vec<ImportedSong> {
    let mut groups: Vec<((String, String), Vec<osu::OsuChart>)> = Vec::new();
    for file in files {
        let read = crate::user_file::read_bytes(file, MAX_CHART_BYTES, "the beatmap")
            .and_then(|bytes| osu::read(file, &bytes));
        match read {
            Ok(chart) => match groups.iter_mut().find(|g| g.0 == chart.song_key) {
                Some(group) => group.1.push(chart),
                None => groups.push((chart.song_key.clone(), vec![chart])),
            },
            Err(diagnostic) => failures.push(diagnostic),
        }
    }
    groups
        .into_iter()
        .filter_map(|(_, charts)| osu::merge(charts))
        .collect()
}
