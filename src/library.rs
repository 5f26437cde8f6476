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
            (watch_level_roots, reload_changed_levels)
                .chain()
                .run_if(in_state(crate::screens::Screen::SongSelect)),
        );
}

/// How long the files must be quiet before the song list reloads: an editor's save is often
/// several writes.
const SETTLE_SECONDS: f32 = 0.2;

/// The level folders' file-system events (notify), and the files changed since the last
/// reload. Nothing is read while no file changes, however big the library.
#[derive(Resource, Default)]
pub struct LibraryWatch {
    watcher: Option<notify::RecommendedWatcher>,
    events: Option<std::sync::Mutex<std::sync::mpsc::Receiver<notify::Result<notify::Event>>>>,
    tried: bool,
    changed: std::collections::BTreeSet<PathBuf>,
    quiet_for: f32,
}

/// Starts watching every level root, once.
fn watch_level_roots(
    mut watch: ResMut<LibraryWatch>,
    paths: Option<Res<GamePaths>>,
    mut notices: ResMut<crate::notice::Notices>,
) {
    let Some(paths) = paths else {
        return;
    };
    if watch.tried {
        return;
    }
    watch.tried = true;
    use notify::Watcher;
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(sender) {
        Ok(watcher) => watcher,
        Err(e) => {
            notices.push(format!(
                "the song list cannot follow edits to levels ({e}); reopen it to see changes"
            ));
            return;
        }
    };
    for root in &paths.level_roots {
        // A root made later (the first import) is watched from its parent's next start.
        let _ = std::fs::create_dir_all(root);
        if let Err(e) = watcher.watch(root, notify::RecursiveMode::Recursive) {
            warn!("cannot watch {} for edits: {e}", root.display());
        }
    }
    watch.watcher = Some(watcher);
    watch.events = Some(std::sync::Mutex::new(receiver));
}

/// The level folder a changed path belongs to: the folder one or two below a root.
fn level_folder_of(path: &std::path::Path, roots: &[PathBuf]) -> Option<PathBuf> {
    let root = roots.iter().find(|r| path.starts_with(r))?;
    let relative = path.strip_prefix(root).ok()?;
    let mut parts = relative.components();
    let first = root.join(parts.next()?);
    if first
        .join(crate::core::level::load::LEVEL_FILE_NAME)
        .is_file()
        || !first.is_dir()
    {
        return Some(first);
    }
    Some(
        parts
            .next()
            .map_or(first.clone(), |second| first.join(second)),
    )
}

/// A level maker edits a level while the song list is open: the list follows, with the level's
/// new errors or its fix, and says what it reloaded. New and removed levels appear and go.
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
    let mut fresh = Vec::new();
    if let Some(events) = &watch.events
        && let Ok(events) = events.lock()
    {
        while let Ok(event) = events.try_recv() {
            // Reading a level is an event too (an access); only changes count, or each reload
            // would set off the next.
            if let Ok(event) = event
                && !matches!(event.kind, notify::EventKind::Access(_))
            {
                fresh.extend(event.paths);
            }
        }
    }
    let roots = paths.level_roots.clone();
    // Hidden files and folders inside a root (an import's staging, an editor's swap file)
    // are not levels.
    let hidden = |p: &PathBuf| {
        roots
            .iter()
            .find_map(|r| p.strip_prefix(r).ok())
            .is_some_and(|rest| {
                rest.components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
    };
    let folders: Vec<PathBuf> = fresh
        .iter()
        .filter(|p| !hidden(p))
        .filter_map(|p| level_folder_of(p, &roots))
        .collect();
    if !folders.is_empty() {
        watch.changed.extend(folders);
        watch.quiet_for = 0.0;
        return;
    }
    if watch.changed.is_empty() {
        return;
    }
    watch.quiet_for += time.delta_secs();
    if watch.quiet_for < SETTLE_SECONDS {
        return;
    }
    let changed = std::mem::take(&mut watch.changed);
    let mut removed = false;
    for folder in changed {
        let exists = folder
            .join(crate::core::level::load::LEVEL_FILE_NAME)
            .is_file();
        if !exists {
            let before = library.entries.len();
            // A level folder, or a whole pack, gone.
            library
                .entries
                .retain(|e| !e.report.file.starts_with(&folder));
            removed |= library.entries.len() != before;
            continue;
        }
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
