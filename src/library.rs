//! The song library and the score book, as resources: which levels exist (broken ones with
//! their errors), and the player's best scores.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use crate::core::level::{Level, LevelReport, discover_levels};
use crate::core::records::ScoreBook;
use crate::core::save;

/// Where the game finds levels and keeps the player's data.
#[derive(Resource, Clone, Debug)]
pub struct GamePaths {
    /// The data folder: profiles, the player's own levels and merch.
    pub data_dir: PathBuf,
    /// The folder of the profile in play: its settings, scores, replays and fan profile.
    pub profile_dir: PathBuf,
    pub profile: crate::core::profiles::ProfileEntry,
    pub level_roots: Vec<PathBuf>,
}

/// One entry of the song list.
#[derive(Clone, Debug)]
pub struct LibraryEntry {
    pub report: LevelReport,
    pub level: Option<Arc<Level>>,
    /// The pack or folder the level is in, if it is not directly in a level root.
    pub group: Option<String>,
}

impl LibraryEntry {
    pub fn new(report: LevelReport, roots: &[PathBuf]) -> Self {
        Self {
            level: report.level.clone().map(Arc::new),
            group: report
                .file
                .parent()
                .and_then(|folder| crate::core::level::load::group_of(folder, roots)),
            report,
        }
    }

    /// The song list's order: levels of no group first, then each group, each by folder.
    fn order(&self) -> (bool, Option<&str>, &std::path::Path) {
        (
            self.group.is_some(),
            self.group.as_deref(),
            self.report.file.as_path(),
        )
    }
}

#[derive(Resource, Default, Debug)]
pub struct SongLibrary {
    pub entries: Vec<LibraryEntry>,
}

impl SongLibrary {
    /// Each level's folder name and chart difficulties, for catalogs and tours to check.
    pub fn known_levels(&self) -> Vec<crate::core::tour::KnownLevel> {
        self.entries
            .iter()
            .map(|e| crate::core::tour::KnownLevel::of(&e.report))
            .collect()
    }

    /// Loads and validates every level. Song sheets are rendered later, when first played or
    /// previewed, and then cached.
    pub fn scan(roots: &[PathBuf]) -> Self {
        let mut entries: Vec<LibraryEntry> = discover_levels(roots)
            .into_iter()
            .map(|report| LibraryEntry::new(report, roots))
            .collect();
        entries.sort_by(|a, b| a.order().cmp(&b.order()));
        Self { entries }
    }

    pub fn find(&self, slug: &str) -> Option<&LibraryEntry> {
        self.entries.iter().find(|e| e.report.slug == slug)
    }

    /// The entries the song list shows for a search, in `order`: each word of `query` must be
    /// in the title, artist, their transliterations, or the group, in any case.
    pub fn shown(&self, query: &str, order: SongOrder) -> Vec<usize> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let mut shown: Vec<usize> = (0..self.entries.len())
            .filter(|&i| {
                let entry = &self.entries[i];
                let mut haystack = entry.report.slug.to_lowercase();
                if let Some(level) = &entry.level {
                    for text in [
                        &level.title,
                        &level.artist,
                        &level.translit.title,
                        &level.translit.artist,
                    ] {
                        haystack.push(' ');
                        haystack.push_str(&text.to_lowercase());
                    }
                }
                if let Some(group) = &entry.group {
                    haystack.push(' ');
                    haystack.push_str(&group.to_lowercase());
                }
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
            .collect();
        let key = |i: &usize| -> (u8, String, f64) {
            let entry = &self.entries[*i];
            let Some(level) = &entry.level else {
                return (1, entry.report.slug.to_lowercase(), 0.0);
            };
            let latin = |own: &str, translit: &str| {
                if translit.is_empty() {
                    own.to_lowercase()
                } else {
                    translit.to_lowercase()
                }
            };
            match order {
                SongOrder::Folder => (0, String::new(), 0.0),
                SongOrder::Title => (0, latin(&level.title, &level.translit.title), 0.0),
                SongOrder::Artist => (0, latin(&level.artist, &level.translit.artist), 0.0),
                SongOrder::Bpm => (0, String::new(), level.timing.bpm_range().1),
                SongOrder::Length => (0, String::new(), level.audio_length),
                SongOrder::Difficulty => (
                    0,
                    String::new(),
                    level
                        .charts
                        .iter()
                        .map(|c| f64::from(c.meter))
                        .fold(0.0, f64::max),
                ),
            }
        };
        // A stable sort keeps the folder order among equals.
        shown.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0)
                .then_with(|| ka.1.cmp(&kb.1))
                .then_with(|| ka.2.total_cmp(&kb.2))
        });
        shown
    }
}

/// How the song list is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SongOrder {
    /// By pack and folder, as on disk.
    #[default]
    Folder,
    Title,
    Artist,
    Bpm,
    Length,
    /// By the hardest chart's meter.
    Difficulty,
}

impl SongOrder {
    pub const ALL: [SongOrder; 6] = [
        SongOrder::Folder,
        SongOrder::Title,
        SongOrder::Artist,
        SongOrder::Bpm,
        SongOrder::Length,
        SongOrder::Difficulty,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SongOrder::Folder => "pack and folder",
            SongOrder::Title => "title",
            SongOrder::Artist => "artist",
            SongOrder::Bpm => "BPM",
            SongOrder::Length => "length",
            SongOrder::Difficulty => "difficulty",
        }
    }
}

/// The score book and the file it is saved in.
#[derive(Resource, Debug)]
pub struct Scores {
    pub book: ScoreBook,
    pub path: PathBuf,
    pub problems: Vec<String>,
}

impl Scores {
    pub fn load(path: PathBuf) -> Self {
        let loaded = save::load_ron::<ScoreBook>(&path);
        for problem in &loaded.problems {
            warn!("{problem}");
        }
        Self {
            book: loaded.value,
            path,
            problems: loaded.problems,
        }
    }

    /// Reads the book back from its file, after the play journal wrote it.
    pub fn reload(&mut self) {
        let loaded = save::load_ron::<ScoreBook>(&self.path);
        self.problems.extend(loaded.problems);
        self.book = loaded.value;
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SongLibrary>()
        .init_resource::<LibraryWatch>()
        .add_systems(
            Update,
            reload_changed_levels.run_if(in_state(crate::screens::Screen::SongSelect)),
        );
}

/// How often the song list looks for edited, added or removed levels.
const WATCH_SECONDS: f32 = 0.75;

/// What every level folder looked like at the last look: its files' names, sizes and times,
/// and for the RON files a hash of their text (a quick edit can keep the size and, on coarse
/// file systems, the time).
#[derive(Resource, Default, Debug)]
pub struct LibraryWatch {
    since_look: f32,
    looked: bool,
    seen: std::collections::BTreeMap<PathBuf, Vec<(String, u64, Option<std::time::SystemTime>)>>,
}

fn folder_fingerprint(
    folder: &std::path::Path,
) -> Vec<(String, u64, Option<std::time::SystemTime>)> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let meta = entry.metadata().ok()?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let text_hash = if name.ends_with(".ron") && meta.len() <= 1_048_576 {
                std::fs::read(entry.path()).map_or(0, |bytes| crate::music::fnv1a(&bytes))
            } else {
                0
            };
            meta.is_file()
                .then(|| (name, meta.len() ^ text_hash, meta.modified().ok()))
        })
        .collect();
    files.sort();
    files
}

/// A level maker edits a level while the song list is open: the list follows, with the level's
/// new errors or its fix, and says what it reloaded.
fn reload_changed_levels(
    mut watch: ResMut<LibraryWatch>,
    mut library: ResMut<SongLibrary>,
    paths: Option<Res<GamePaths>>,
    time: Res<Time<Real>>,
    mut notices: ResMut<crate::notice::Notices>,
) {
    let Some(paths) = paths else {
        return;
    };
    watch.since_look += time.delta_secs();
    if watch.since_look < WATCH_SECONDS {
        return;
    }
    watch.since_look = 0.0;
    let now: std::collections::BTreeMap<_, _> =
        crate::core::level::level_folders(&paths.level_roots)
            .into_iter()
            .map(|folder| {
                let print = folder_fingerprint(&folder);
                (folder, print)
            })
            .collect();
    let first_look = !watch.looked;
    watch.looked = true;
    if now == watch.seen {
        return;
    }
    let changed: Vec<PathBuf> = now
        .iter()
        .filter(|(folder, print)| watch.seen.get(*folder) != Some(print))
        .map(|(folder, _)| folder.clone())
        .collect();
    let removed = watch.seen.keys().any(|folder| !now.contains_key(folder));
    watch.seen = now;
    if first_look {
        return;
    }
    library.entries.retain(|e| {
        e.report
            .file
            .parent()
            .is_some_and(|f| watch.seen.contains_key(f))
    });
    for folder in changed {
        let report = crate::core::level::load_level(&folder);
        let summary = match report.errors().count() {
            0 => format!("reloaded {}", report.slug),
            n => format!(
                "reloaded {}: {n} error{}",
                report.slug,
                if n == 1 { "" } else { "s" }
            ),
        };
        notices.push(summary);
        let entry = LibraryEntry::new(report, &paths.level_roots);
        match library
            .entries
            .iter_mut()
            .find(|e| e.report.file.parent() == Some(folder.as_path()))
        {
            Some(existing) => *existing = entry,
            None => library.entries.push(entry),
        }
    }
    if removed {
        notices.push("a level was removed from the song list");
    }
    library.entries.sort_by(|a, b| a.order().cmp(&b.order()));
}
