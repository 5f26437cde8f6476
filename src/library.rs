//! The song library and the score book, as resources: which levels exist (broken ones with
//! their errors), and the player's best scores.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bevy::prelude::*;

use crate::core::level::cache::{self, CachedLevel, LevelSummary};
use crate::core::level::index::LibraryIndex;
use crate::core::level::{Level, LevelReport, discover_levels};
use crate::core::records::ScoreBook;
use crate::core::save;
use crate::core::score::Grade;

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
    /// What the list shows, searches and sorts by: from the cache, or from a check just made.
    pub summary: LevelSummary,
    /// The whole level with its notes, once it was needed (chosen in the list, or played).
    pub level: Option<Arc<Level>>,
    /// The pack or folder the level is in, if it is not directly in a level root.
    pub group: Option<String>,
    /// The level is new or changed since the last start, and its check has not finished.
    pub checking: bool,
}

impl LibraryEntry {
    /// The entry of a level just loaded in full.
    pub fn new(report: LevelReport, roots: &[PathBuf]) -> Self {
        let mut entry = Self::of_summary(LevelSummary::of(&report), roots, false);
        entry.level = report.level.map(Arc::new);
        entry
    }

    pub fn of_summary(summary: LevelSummary, roots: &[PathBuf], checking: bool) -> Self {
        Self {
            group: crate::core::level::load::group_of(summary.folder(), roots),
            summary,
            level: None,
            checking,
        }
    }

    /// The whole level, to play: the one loaded already, or read now from its folder.
    pub fn playable(&self) -> Result<Arc<Level>, String> {
        if let Some(level) = &self.level {
            return Ok(Arc::clone(level));
        }
        if self.checking {
            return Err(format!("`{}` is still being checked", self.summary.slug));
        }
        let report = crate::core::level::load_level(self.summary.folder());
        match report.level {
            Some(level) => Ok(Arc::new(level)),
            None => Err(match report.errors().next() {
                Some(error) => error.to_string(),
                None => format!("the level `{}` cannot be played now", self.summary.slug),
            }),
        }
    }

    /// The song list's order: levels of no group first, then each group, each by folder.
    fn order(&self) -> (bool, Option<&str>, &std::path::Path) {
        (
            self.group.is_some(),
            self.group.as_deref(),
            self.summary.file.as_path(),
        )
    }

    /// The title and artist in Latin letters where the level gives them, for sorting.
    fn latin(&self, order: SongOrder) -> String {
        let s = &self.summary;
        let (own, translit) = match order {
            SongOrder::Artist => (&s.artist, &s.translit.artist),
            _ => (&s.title, &s.translit.title),
        };
        if translit.is_empty() {
            own.to_lowercase()
        } else {
            translit.to_lowercase()
        }
    }

    /// The heading the song list can jump to for this entry in `order`: the first letter of
    /// the title, artist or pack, or a band of tempo, length or meter.
    pub fn jump_key(&self, order: SongOrder, best: Option<Grade>) -> String {
        let initial = |text: &str| {
            let first = text.chars().find(|c| c.is_alphanumeric());
            match first {
                Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
                Some(c) if c.is_ascii_digit() => "#".to_string(),
                Some(c) => c.to_uppercase().to_string(),
                None => "#".to_string(),
            }
        };
        if !self.summary.playable {
            return if self.checking { "…" } else { "!" }.to_string();
        }
        match order {
            SongOrder::Folder => initial(self.group.as_deref().unwrap_or(&self.summary.slug)),
            SongOrder::Title | SongOrder::Artist => initial(&self.latin(order)),
            SongOrder::Bpm => format!("{:.0}", (self.summary.bpm.1 / 20.0).floor() * 20.0),
            SongOrder::Length => format!("{}:00", (self.summary.audio_length / 60.0).floor()),
            SongOrder::Difficulty => self.summary.top_meter().to_string(),
            SongOrder::Grade => best.map_or("new".to_string(), |g| g.name().to_string()),
        }
    }
}

#[derive(Resource, Default, Debug)]
pub struct SongLibrary {
    pub entries: Vec<LibraryEntry>,
    /// The folders of the levels read in full for the song list, chosen last at the back.
    recent: std::collections::VecDeque<PathBuf>,
}

/// How many levels the song list keeps read in full: the last ones chosen. The others keep
/// only their summary and are read again when chosen, so browsing thousands of songs does not
/// hold thousands of charts.
pub const LOADED_LEVELS: usize = 8;

/// At most this many new or changed levels are checked before the title shows; more are
/// checked in the background while the player is already in the menus.
const CHECK_BEFORE_START: usize = 48;

impl SongLibrary {
    /// Each level's folder name and chart difficulties, for catalogs and tours to check.
    pub fn known_levels(&self) -> Vec<crate::core::tour::KnownLevel> {
        self.entries
            .iter()
            .map(|e| crate::core::tour::KnownLevel::of(&e.summary))
            .collect()
    }

    /// Loads and validates every level in full. Song sheets are rendered later, when first
    /// played or previewed, and then cached.
    pub fn scan(roots: &[PathBuf]) -> Self {
        let entries = discover_levels(roots)
            .into_iter()
            .map(|report| LibraryEntry::new(report, roots))
            .collect();
        Self::sorted(entries)
    }

    fn sorted(mut entries: Vec<LibraryEntry>) -> Self {
        entries.sort_by(|a, b| a.order().cmp(&b.order()));
        Self {
            entries,
            recent: Default::default(),
        }
    }

    /// Gives the entry at `index` its whole level, read as it was chosen, and lets go of the
    /// whole levels of all but the [`LOADED_LEVELS`] chosen last (those read at the start
    /// included).
    pub fn keep_loaded(&mut self, index: usize, level: Arc<Level>) {
        let Some(entry) = self.entries.get_mut(index) else {
            return;
        };
        entry.level = Some(level);
        let folder = entry.summary.folder().to_path_buf();
        self.recent.retain(|f| *f != folder);
        self.recent.push_back(folder);
        while self.recent.len() > LOADED_LEVELS {
            self.recent.pop_front();
        }
        for entry in &mut self.entries {
            if entry.level.is_some() && !self.recent.iter().any(|f| f == entry.summary.folder()) {
                entry.level = None;
            }
        }
    }

    /// How many levels are held read in full.
    pub fn loaded(&self) -> usize {
        self.entries.iter().filter(|e| e.level.is_some()).count()
    }

    /// The library as the game starts with it: unchanged levels from the index at
    /// `index_file`, and the new or changed ones checked now when they are few (or when
    /// `check_all_now`), else in the background by the returned [`LibraryCheck`]. Also the
    /// index, kept open for the song list's edits, and what happened to it, to say once.
    pub fn open(
        roots: &[PathBuf],
        index_file: &Path,
        check_all_now: bool,
    ) -> (Self, LibraryCheck, LibraryIndexFile) {
        // The RON cache the index replaced: nothing reads it any more.
        let _ = std::fs::remove_file(index_file.with_file_name("library-cache.ron"));
        let mut index = LibraryIndex::open(index_file);
        let plan = cache::plan(roots, index.levels());
        let on_disk: std::collections::HashSet<PathBuf> = plan
            .unchanged
            .iter()
            .map(|c| c.summary.folder().to_path_buf())
            .chain(plan.to_check.iter().cloned())
            .collect();
        if let Err(why) = index.keep_only(&on_disk) {
            warn!("{why}");
        }
        let mut entries: Vec<LibraryEntry> = plan
            .unchanged
            .into_iter()
            .map(|c| LibraryEntry::of_summary(c.summary, roots, false))
            .collect();
        if plan.to_check.is_empty() {
            return (Self::sorted(entries), LibraryCheck::default(), index.into());
        }
        if check_all_now || plan.to_check.len() <= CHECK_BEFORE_START {
            use rayon::prelude::*;
            let checked: Vec<(CachedLevel, LevelReport)> = plan
                .to_check
                .par_iter()
                .map(|f| cache::check_level(f))
                .collect();
            let (levels, reports): (Vec<CachedLevel>, Vec<LevelReport>) =
                checked.into_iter().unzip();
            put_in_index(&mut index, &levels);
            entries.extend(reports.into_iter().map(|r| LibraryEntry::new(r, roots)));
            return (Self::sorted(entries), LibraryCheck::default(), index.into());
        }
        entries.extend(
            plan.to_check.iter().map(|folder| {
                LibraryEntry::of_summary(LevelSummary::unchecked(folder), roots, true)
            }),
        );
        let check = LibraryCheck::start(plan.to_check, index.another());
        (Self::sorted(entries), check, index.into())
    }

    /// How many levels are still being checked.
    pub fn checking(&self) -> usize {
        self.entries.iter().filter(|e| e.checking).count()
    }

    pub fn find(&self, slug: &str) -> Option<&LibraryEntry> {
        self.entries.iter().find(|e| e.summary.slug == slug)
    }

    /// The entries the song list shows for a search, in `order`: each word of `query` must be
    /// in the title, artist, their transliterations, or the group, in any case. `best` is a
    /// level's best grade, for the order by grade.
    pub fn shown(
        &self,
        query: &str,
        order: SongOrder,
        best: &dyn Fn(&LibraryEntry) -> Option<Grade>,
    ) -> Vec<usize> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let mut shown: Vec<usize> = (0..self.entries.len())
            .filter(|&i| {
                let entry = &self.entries[i];
                let s = &entry.summary;
                let mut haystack = s.slug.to_lowercase();
                for text in [&s.title, &s.artist, &s.translit.title, &s.translit.artist]
                    .into_iter()
                    .chain(&entry.group)
                {
                    haystack.push(' ');
                    haystack.push_str(&text.to_lowercase());
                }
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
            .collect();
        let key = |i: &usize| -> (u8, String, f64) {
            let entry = &self.entries[*i];
            let s = &entry.summary;
            if !s.playable {
                return (1, s.slug.to_lowercase(), 0.0);
            }
            match order {
                SongOrder::Folder => (0, String::new(), 0.0),
                SongOrder::Title | SongOrder::Artist => (0, entry.latin(order), 0.0),
                SongOrder::Bpm => (0, String::new(), s.bpm.1),
                SongOrder::Length => (0, String::new(), s.audio_length),
                SongOrder::Difficulty => (0, String::new(), f64::from(s.top_meter())),
                // Best first, and songs never played after every grade.
                SongOrder::Grade => (
                    0,
                    String::new(),
                    best(entry).map_or(99.0, |g| g as u8 as f64),
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

/// Puts checked levels in the index; an index that cannot be written costs the next start
/// time, nothing else.
fn put_in_index(index: &mut LibraryIndex, levels: &[CachedLevel]) {
    if let Err(why) = index.put(levels) {
        warn!("{why}");
    }
}

/// The library index, open for the song list to keep current as level files change, and what
/// happened to it at the start (said once).
#[derive(Resource)]
pub struct LibraryIndexFile {
    pub index: std::sync::Mutex<LibraryIndex>,
    pub problem: Option<String>,
}

impl From<LibraryIndex> for LibraryIndexFile {
    fn from(mut index: LibraryIndex) -> Self {
        let problem = index.take_problem();
        Self {
            index: std::sync::Mutex::new(index),
            problem,
        }
    }
}

/// How many levels a background check puts in the index at a time: a start cut short keeps
/// what it checked.
const INDEX_BATCH: usize = 256;

/// New and changed levels being checked in the background, on all cores but one so the game
/// keeps drawing. Each level's summary arrives as soon as it is checked, and goes into the
/// index a batch at a time.
#[derive(Resource, Default)]
pub struct LibraryCheck {
    arrivals: Option<std::sync::Mutex<std::sync::mpsc::Receiver<CachedLevel>>>,
    pub total: usize,
    pub done: usize,
}

impl LibraryCheck {
    fn start(folders: Vec<PathBuf>, mut index: LibraryIndex) -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        let total = folders.len();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get().saturating_sub(1))
            .max(1);
        let spawned = std::thread::Builder::new()
            .name("library check".into())
            .spawn(move || {
                use rayon::prelude::*;
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
                for batch in folders.chunks(INDEX_BATCH) {
                    let check = || -> Vec<CachedLevel> {
                        batch
                            .par_iter()
                            .map(|folder| {
                                let (cached, _full_level_dropped) = cache::check_level(folder);
                                let _ = sender.send(cached.clone());
                                cached
                            })
                            .collect()
                    };
                    let checked = match &pool {
                        Ok(pool) => pool.install(check),
                        Err(_) => check(),
                    };
                    put_in_index(&mut index, &checked);
                }
            });
        if let Err(e) = spawned {
            warn!("cannot check the library in the background: {e}");
        }
        Self {
            arrivals: Some(std::sync::Mutex::new(receiver)),
            total,
            done: 0,
        }
    }

    /// Whether levels are still being checked.
    pub fn is_running(&self) -> bool {
        self.arrivals.is_some() && self.done < self.total
    }
}

/// Puts each level checked in the background into the song list; once the last is in, the
/// catalog and tours are checked again against the whole library.
fn receive_checked_levels(
    mut check: ResMut<LibraryCheck>,
    mut library: ResMut<SongLibrary>,
    paths: Option<Res<GamePaths>>,
    mut finished: MessageWriter<LibraryChecked>,
) {
    let Some(paths) = paths else {
        return;
    };
    if !check.is_running() {
        return;
    }
    let mut arrived = Vec::new();
    if let Some(arrivals) = &check.arrivals
        && let Ok(arrivals) = arrivals.lock()
    {
        while let Ok(cached) = arrivals.try_recv() {
            arrived.push(cached);
        }
    }
    if arrived.is_empty() {
        return;
    }
    check.done += arrived.len();
    let waiting: std::collections::HashMap<PathBuf, usize> = library
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.checking)
        .map(|(at, e)| (e.summary.folder().to_path_buf(), at))
        .collect();
    for cached in arrived {
        if let Some(&at) = waiting.get(cached.summary.folder()) {
            library.entries[at] =
                LibraryEntry::of_summary(cached.summary, &paths.level_roots, false);
        }
    }
    if check.done >= check.total {
        finished.write(LibraryChecked);
    }
}

/// Every level of the library has been checked, after a start that had many to check.
#[derive(Message, Clone, Copy, Debug)]
pub struct LibraryChecked;

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
    /// By the best grade of any chart, best first.
    Grade,
}

impl SongOrder {
    pub const ALL: [SongOrder; 7] = [
        SongOrder::Folder,
        SongOrder::Title,
        SongOrder::Artist,
        SongOrder::Bpm,
        SongOrder::Length,
        SongOrder::Difficulty,
        SongOrder::Grade,
    ];

    pub fn name(self) -> String {
        match self {
            SongOrder::Folder => t!("order-folder"),
            SongOrder::Title => t!("order-title"),
            SongOrder::Artist => t!("order-artist"),
            SongOrder::Bpm => t!("order-bpm"),
            SongOrder::Length => t!("order-length"),
            SongOrder::Difficulty => t!("order-difficulty"),
            SongOrder::Grade => t!("order-grade"),
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
        .init_resource::<LibraryCheck>()
        .add_message::<LibraryChecked>()
        .add_systems(Update, receive_checked_levels)
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
            notices.push(t!("notice-cannot-watch-levels", reason = e.to_string()));
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
    index: Option<Res<LibraryIndexFile>>,
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
    // The index follows every change, so the next start reads none of these files again.
    let mut index = index.as_ref().and_then(|i| i.index.lock().ok());
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
                .retain(|e| !e.summary.file.starts_with(&folder));
            removed |= library.entries.len() != before;
            if let Some(Err(why)) = index.as_mut().map(|i| i.remove(&folder)) {
                warn!("{why}");
            }
            continue;
        }
        let (cached, report) = cache::check_level(&folder);
        if let Some(index) = index.as_mut() {
            put_in_index(index, std::slice::from_ref(&cached));
        }
        notices.push(match report.errors().count() {
            0 => t!("notice-level-reloaded", level = report.slug.clone()),
            n => t!(
                "notice-level-reloaded-errors",
                level = report.slug.clone(),
                count = n
            ),
        });
        let entry = LibraryEntry::new(report, &paths.level_roots);
        match library
            .entries
            .iter_mut()
            .find(|e| e.summary.folder() == folder.as_path())
        {
            Some(existing) => *existing = entry,
            None => library.entries.push(entry),
        }
    }
    if removed {
        notices.push(t!("notice-level-removed"));
    }
    library.entries.sort_by(|a, b| a.order().cmp(&b.order()));
}
