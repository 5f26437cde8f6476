//! What the song library keeps of each level (its titles, charts, tempo, length and
//! diagnostics), keyed by the size and modification time of every file the level's check read,
//! and the plan of a start: the levels whose files changed are read again; the rest come from
//! the library index (`level::index`) without opening their files.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::format::Translit;
use super::load::{LEVEL_FILE_NAME, LevelReport, level_folders, load_level};
use crate::diagnostic::Diagnostic;

/// A file's size and modification time, as they were when a level was checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub path: PathBuf,
    pub size: u64,
    pub modified_seconds: u64,
    pub modified_nanos: u32,
}

impl FileStamp {
    /// The stamp of `path` now, or `None` when it cannot be read.
    pub fn of(path: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(path).ok()?;
        let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Self {
            path: path.to_path_buf(),
            size: if metadata.is_dir() { 0 } else { metadata.len() },
            modified_seconds: modified.as_secs(),
            modified_nanos: modified.subsec_nanos(),
        })
    }

    /// Whether the file is still as it was stamped.
    pub fn is_current(&self) -> bool {
        FileStamp::of(&self.path).as_ref() == Some(self)
    }
}

/// One chart as the song list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartSummary {
    pub difficulty: String,
    pub meter: u32,
    pub lanes: u8,
    /// Taps and holds, not mines.
    pub notes: usize,
    /// The difficulty computed from the notes at 1×.
    pub rating: f64,
}

/// What the song list, its search and sort, and the catalog and tour checks need of a level,
/// without its notes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelSummary {
    /// The folder name, which identifies the level in scores and replays.
    pub slug: String,
    pub file: PathBuf,
    /// Whether the level has no errors and can be played.
    pub playable: bool,
    pub title: String,
    pub subtitle: String,
    pub artist: String,
    pub translit: Translit,
    /// Seconds.
    pub audio_length: f64,
    /// The slowest and fastest tempo that lasts, in BPM.
    pub bpm: (f64, f64),
    pub jacket: Option<PathBuf>,
    /// The level's colours and motif, for a jacket drawn from them when it has no image.
    pub look: Option<JacketLook>,
    pub charts: Vec<ChartSummary>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A level's stage colours and motif: what the song list draws a jacket from when the level has
/// no image of its own.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct JacketLook {
    pub palette: [crate::stage::Rgb; 3],
    pub motif: crate::stage::Motif,
}

impl LevelSummary {
    pub fn of(report: &LevelReport) -> Self {
        let level = report.level.as_ref();
        let text = |f: fn(&super::Level) -> &String| level.map(f).cloned().unwrap_or_default();
        Self {
            slug: report.slug.clone(),
            file: report.file.clone(),
            playable: level.is_some(),
            title: text(|l| &l.title),
            subtitle: text(|l| &l.subtitle),
            artist: text(|l| &l.artist),
            translit: level.map(|l| l.translit.clone()).unwrap_or_default(),
            audio_length: level.map_or(0.0, |l| l.audio_length),
            bpm: level.map_or((0.0, 0.0), |l| l.timing.bpm_range()),
            jacket: level.and_then(|l| l.jacket.clone()),
            look: level.map(|l| JacketLook {
                palette: l.concept.palette,
                motif: l.concept.motif,
            }),
            charts: level
                .iter()
                .flat_map(|l| l.charts.iter().zip(&report.ratings))
                .map(|(c, &rating)| ChartSummary {
                    difficulty: c.difficulty.clone(),
                    meter: c.meter,
                    lanes: c.lanes,
                    notes: c.notes_to_hit(),
                    rating,
                })
                .collect(),
            diagnostics: report.diagnostics.clone(),
        }
    }

    /// A level found on disk and not checked yet: known by its folder name alone.
    pub fn unchecked(folder: &Path) -> Self {
        let file = folder.join(LEVEL_FILE_NAME);
        Self {
            slug: folder
                .file_name()
                .map_or_else(|| "level".into(), |n| n.to_string_lossy().into_owned()),
            file,
            playable: false,
            title: String::new(),
            subtitle: String::new(),
            artist: String::new(),
            translit: Translit::default(),
            audio_length: 0.0,
            bpm: (0.0, 0.0),
            jacket: None,
            look: None,
            charts: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    pub fn folder(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new("."))
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The hardest chart's meter, or 0 when the level has none.
    pub fn top_meter(&self) -> u32 {
        self.charts.iter().map(|c| c.meter).max().unwrap_or(0)
    }
}

/// A level as checked, with the stamps of the files its check read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CachedLevel {
    pub stamps: Vec<FileStamp>,
    pub summary: LevelSummary,
}

impl CachedLevel {
    /// Whether every file the check read is as it was.
    pub fn is_current(&self) -> bool {
        !self.stamps.is_empty() && self.stamps.iter().all(FileStamp::is_current)
    }
}

/// Checks the level in `folder`, stamping what the check read. The folder and its level file
/// are stamped before the read, so an edit made during the check is seen at the next start; the
/// folder's own stamp changes when a file in it is added, removed or renamed, as when a missing
/// audio file is put in place.
pub fn check_level(folder: &Path) -> (CachedLevel, LevelReport) {
    let mut stamps: Vec<FileStamp> = [folder.to_path_buf(), folder.join(LEVEL_FILE_NAME)]
        .iter()
        .filter_map(|p| FileStamp::of(p))
        .collect();
    let report = load_level(folder);
    let read: Vec<PathBuf> = match &report.level {
        // A level on a song sheet plays a render kept elsewhere: the sheet is what it read.
        Some(level) => std::iter::once(level.sheet.as_ref().unwrap_or(&level.audio))
            .chain(&level.jacket)
            .cloned()
            .collect(),
        // A broken level may be fixed by rewriting any file beside it in place (an audio file
        // that would not decode), which leaves the folder's own stamp alone.
        None => std::fs::read_dir(folder)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
    };
    for path in &read {
        if let Some(stamp) = FileStamp::of(path)
            && !stamps.contains(&stamp)
        {
            stamps.push(stamp);
        }
    }
    (
        CachedLevel {
            stamps,
            summary: LevelSummary::of(&report),
        },
        report,
    )
}

/// What a start must do: the levels whose files are unchanged, straight from the cache, and
/// the level folders to check again (new, or with a changed file), in folder order.
#[derive(Debug, Default)]
pub struct LibraryPlan {
    pub unchanged: Vec<CachedLevel>,
    pub to_check: Vec<PathBuf>,
}

/// Lists the level folders of `roots` and compares each with the levels the index holds, by
/// file stamps only: no level file is opened. The stamps are read on every core.
pub fn plan(roots: &[PathBuf], stored: Vec<CachedLevel>) -> LibraryPlan {
    plan_folders(level_folders(roots), stored)
}

/// Compares each of `folders` with the levels the index holds, as [`plan`] does.
pub fn plan_folders(folders: Vec<PathBuf>, stored: Vec<CachedLevel>) -> LibraryPlan {
    use rayon::prelude::*;
    let mut cached: std::collections::HashMap<PathBuf, CachedLevel> = stored
        .into_iter()
        .map(|c| (c.summary.folder().to_path_buf(), c))
        .collect();
    let candidates: Vec<(PathBuf, Option<CachedLevel>)> = folders
        .into_iter()
        .map(|f| {
            let entry = cached.remove(&f);
            (f, entry)
        })
        .collect();
    let checked: Vec<(PathBuf, Option<CachedLevel>)> = candidates
        .into_par_iter()
        .map(|(folder, entry)| (folder, entry.filter(CachedLevel::is_current)))
        .collect();
    let mut plan = LibraryPlan::default();
    for (folder, entry) in checked {
        match entry {
            Some(entry) => plan.unchanged.push(entry),
            None => plan.to_check.push(folder),
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_level(folder: &Path, title: &str) {
        std::fs::create_dir_all(folder).unwrap();
        std::fs::write(
            folder.join(LEVEL_FILE_NAME),
            format!("(title: \"{title}\", artist: \"A\", audio: \"song.wav\")"),
        )
        .unwrap();
    }

    #[test]
    fn an_unchanged_level_comes_from_the_cache_and_a_changed_one_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("levels");
        write_level(&root.join("one"), "One");
        write_level(&root.join("two"), "Two");
        let roots = vec![root.clone()];
        let first = plan(&roots, Vec::new());
        assert_eq!(first.to_check.len(), 2);
        let checked: Vec<CachedLevel> = first.to_check.iter().map(|f| check_level(f).0).collect();

        let second = plan(&roots, checked.clone());
        assert!(second.to_check.is_empty(), "{:?}", second.to_check);
        assert_eq!(second.unchanged.len(), 2);

        write_level(&root.join("two"), "Two, edited");
        let third = plan(&roots, checked);
        assert_eq!(third.to_check, vec![root.join("two")]);
        assert_eq!(third.unchanged[0].summary.slug, "one");
    }

    #[test]
    fn a_broken_level_is_checked_again_when_a_file_beside_it_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("levels");
        let folder = root.join("one");
        write_level(&folder, "One");
        std::fs::write(folder.join("song.wav"), b"not a wav").unwrap();
        let (cached, report) = check_level(&folder);
        assert!(report.level.is_none());
        let roots = vec![root];
        let cache = || vec![cached.clone()];
        assert!(plan(&roots, cache()).to_check.is_empty());
        // Written in place, so the folder itself does not change.
        std::fs::write(folder.join("song.wav"), b"still not a wav file").unwrap();
        assert_eq!(plan(&roots, cache()).to_check, vec![folder]);
    }
}
