//! The library index: every level's summary (titles, tempo, length, jacket, the file stamps its
//! check read, its problems) and one row per chart, kept in SQLite in the data folder. It is a
//! cache and never the only copy of anything: an index that is missing, damaged, from another
//! version, or locked by another game is rebuilt from the level files (or, when it cannot be,
//! bypassed for this run), and the game says so once. Another game on the same data folder
//! shares it safely: WAL journaling, a busy timeout, and each change in one transaction.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use super::cache::{CachedLevel, ChartSummary, FileStamp, LevelSummary};
use super::format::Translit;
use crate::diagnostic::Diagnostic;

/// The index's file name inside the data folder.
pub const INDEX_FILE_NAME: &str = "library.sqlite";

/// The layout of the tables, as SQLite's `user_version`: an index of a higher number was
/// written by a newer game and is never read or written by this one.
const SCHEMA: i64 = 3;

/// How long a write waits for another game's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The level checks' own version, raised whenever they change (a field the format gains, as
/// `prompts` did): a level checked by older rules is checked again, since what they report
/// differs, even between two builds of one release.
const CHECKS: u32 = 2;

/// Which checks filled the index: a change to the checks or to the game re-indexes every
/// level, since what they report may differ.
fn checker_version() -> String {
    format!("{SCHEMA}/{CHECKS}/{}", env!("CARGO_PKG_VERSION"))
}

const TABLES: &str = "
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS levels (
        folder TEXT PRIMARY KEY,
        file TEXT NOT NULL,
        slug TEXT NOT NULL,
        playable INTEGER NOT NULL,
        title TEXT NOT NULL,
        subtitle TEXT NOT NULL,
        artist TEXT NOT NULL,
        title_translit TEXT NOT NULL,
        subtitle_translit TEXT NOT NULL,
        artist_translit TEXT NOT NULL,
        audio_length REAL NOT NULL,
        bpm_low REAL NOT NULL,
        bpm_high REAL NOT NULL,
        jacket TEXT,
        stamps TEXT NOT NULL,
        diagnostics TEXT NOT NULL,
        look TEXT
    );
    CREATE TABLE IF NOT EXISTS charts (
        folder TEXT NOT NULL REFERENCES levels(folder) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        difficulty TEXT NOT NULL,
        meter INTEGER NOT NULL,
        lanes INTEGER NOT NULL,
        notes INTEGER NOT NULL,
        rating REAL NOT NULL,
        PRIMARY KEY (folder, position)
    );
";

/// Why the index on disk was not used as it was.
#[derive(Debug)]
enum Refusal {
    /// Written by a newer game: left alone.
    Newer(i64),
    /// Another game holds it longer than the busy timeout: left alone this run.
    Locked(String),
    /// Not a database, damaged, or missing its tables: rebuilt.
    Damaged(String),
}

impl From<rusqlite::Error> for Refusal {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                Refusal::Locked(error.to_string())
            }
            _ => Refusal::Damaged(error.to_string()),
        }
    }
}

/// The open index.
pub struct LibraryIndex {
    connection: Connection,
    /// Where it lives; `None` when this run keeps it in memory only.
    path: Option<PathBuf>,
    /// What happened to the index on disk, for the game to say once.
    problem: Option<String>,
}

impl LibraryIndex {
    /// Opens the index at `path`, making it if it is missing. Never fails: a damaged index is
    /// rebuilt, and one that cannot be used is bypassed with an index in memory.
    pub fn open(path: &Path) -> LibraryIndex {
        match open_file(path) {
            Ok((connection, problem)) => LibraryIndex {
                connection,
                path: Some(path.to_path_buf()),
                problem,
            },
            Err(Refusal::Damaged(why)) => rebuilt(path, &why),
            Err(Refusal::Newer(version)) => in_memory(format!(
                "the library index {} was written by a newer Lightstick (layout {version}); \
                 this start reads the levels without it",
                path.display()
            )),
            Err(Refusal::Locked(why)) => in_memory(format!(
                "the library index {} is held by another game ({why}); this start reads the \
                 levels without it",
                path.display()
            )),
        }
    }

    /// An index in memory only: for runs that keep nothing.
    pub fn temporary() -> LibraryIndex {
        in_memory(String::new())
    }

    /// Another connection to the same index, for another thread: the same file, or a new
    /// index in memory when this one is.
    pub fn another(&self) -> LibraryIndex {
        match &self.path {
            Some(path) => LibraryIndex::open(path),
            None => LibraryIndex::temporary(),
        }
    }

    /// Removes the level in `folder`, or every level of a pack folder that is gone.
    pub fn remove(&mut self, folder: &Path) -> Result<(), String> {
        let folder = text(folder);
        self.connection
            .execute(
                "DELETE FROM levels WHERE folder = ?1 OR substr(folder, 1, length(?1) + 1) = ?1 || '/'",
                [&folder],
            )
            .map(|_| ())
            .map_err(|e| self.cannot_write(&e))
    }

    /// What happened to the index on disk, when it was rebuilt or bypassed: said once.
    pub fn take_problem(&mut self) -> Option<String> {
        self.problem.take().filter(|p| !p.is_empty())
    }

    /// Every level in the index. Damage found only now (a truncated file) rebuilds it, and
    /// the levels are then read from their files.
    pub fn levels(&mut self) -> Vec<CachedLevel> {
        match read_levels(&self.connection) {
            Ok(levels) => levels,
            Err(error) => {
                let why = error.to_string();
                if let Some(path) = self.path.clone() {
                    *self = rebuilt(&path, &why);
                }
                Vec::new()
            }
        }
    }

    /// Puts `levels` in the index, over their old rows, in one transaction.
    pub fn put(&mut self, levels: &[CachedLevel]) -> Result<(), String> {
        let written = (|| {
            let transaction = self
                .connection
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            for level in levels {
                write_level(&transaction, level)?;
            }
            transaction.commit()
        })();
        written.map_err(|e| self.cannot_write(&e))
    }

    /// Removes every level whose folder is not in `folders`: its files are gone.
    pub fn keep_only(&mut self, folders: &HashSet<PathBuf>) -> Result<(), String> {
        let written = (|| -> rusqlite::Result<()> {
            let transaction = self
                .connection
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let stored: Vec<String> = {
                let mut query = transaction.prepare("SELECT folder FROM levels")?;
                query
                    .query_map([], |row| row.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            for folder in stored {
                if !folders.contains(Path::new(&folder)) {
                    transaction.execute("DELETE FROM levels WHERE folder = ?1", [&folder])?;
                }
            }
            transaction.commit()
        })();
        written.map_err(|e| self.cannot_write(&e))
    }

    fn cannot_write(&self, error: &rusqlite::Error) -> String {
        let at = self
            .path
            .as_ref()
            .map_or_else(|| "memory".into(), |p| p.display().to_string());
        format!("cannot write the library index {at}: {error}")
    }
}

/// Opens the file and makes sure it is an index this game can read: its tables made if new,
/// emptied if filled by other checks. The second value says it was emptied.
fn open_file(path: &Path) -> Result<(Connection, Option<String>), Refusal> {
    // Another game making or changing the index at this moment is waited for, as a write is.
    let started = std::time::Instant::now();
    loop {
        match try_open_file(path) {
            Err(Refusal::Locked(_)) if started.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(25));
            }
            opened => return opened,
        }
    }
}

fn try_open_file(path: &Path) -> Result<(Connection, Option<String>), Refusal> {
    if let Some(folder) = path.parent() {
        let _ = std::fs::create_dir_all(folder);
    }
    let mut connection = Connection::open(path)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    // Read before anything is written: a newer game's index is never touched.
    let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > SCHEMA {
        return Err(Refusal::Newer(version));
    }
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "foreign_keys", true)?;
    // The tables are made and checked under one write lock, so two games starting together
    // never see each other's half-made index.
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > SCHEMA {
        return Err(Refusal::Newer(version));
    }
    // A new file gets its tables; in one of this layout they must all be there, or it is
    // damaged (a table dropped by hand would otherwise come back empty and be trusted).
    // An older layout's tables go first: they would not hold what this game writes.
    let older = version > 0 && version < SCHEMA;
    if older {
        transaction.execute_batch(
            "DROP TABLE IF EXISTS charts; DROP TABLE IF EXISTS levels; DROP TABLE IF EXISTS meta;",
        )?;
    }
    if version < SCHEMA {
        transaction.execute_batch(TABLES)?;
        transaction.pragma_update(None, "user_version", SCHEMA)?;
    }
    // Every table must be there and readable: a dropped one is damage.
    for table in ["meta", "levels", "charts"] {
        transaction.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get::<_, i64>(0)
        })?;
    }
    let checker: Option<String> = transaction
        .query_row("SELECT value FROM meta WHERE key = 'checker'", [], |row| {
            row.get(0)
        })
        .optional()?;
    let problem = if checker.as_deref() == Some(checker_version().as_str()) {
        None
    } else {
        transaction.execute_batch("DELETE FROM charts; DELETE FROM levels;")?;
        transaction.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('checker', ?1)",
            [checker_version()],
        )?;
        let made_by = match (&checker, older) {
            (Some(_), _) => Some("another version"),
            (None, true) => Some("an older version"),
            (None, false) => None,
        };
        made_by.map(|by| {
            format!(
                "the library index {} was made by {by} of the game: every level is read again",
                path.display()
            )
        })
    };
    transaction.commit()?;
    Ok((connection, problem))
}

/// The index at `path` made again from nothing, after `why`; in memory if even that fails.
fn rebuilt(path: &Path, why: &str) -> LibraryIndex {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
    let said = format!(
        "the library index {} could not be read ({why}): it is made again from the level files",
        path.display()
    );
    match open_file(path) {
        Ok((connection, _)) => LibraryIndex {
            connection,
            path: Some(path.to_path_buf()),
            problem: Some(said),
        },
        Err(refusal) => in_memory(format!("{said}, but that failed too ({refusal:?})")),
    }
}

fn in_memory(problem: String) -> LibraryIndex {
    let connection = Connection::open_in_memory()
        .and_then(|c| c.execute_batch(TABLES).map(|()| c))
        .expect("SQLite opens an index in memory");
    LibraryIndex {
        connection,
        path: None,
        problem: Some(problem),
    }
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn write_level(connection: &Connection, level: &CachedLevel) -> rusqlite::Result<()> {
    let s = &level.summary;
    let folder = text(s.folder());
    connection.execute("DELETE FROM levels WHERE folder = ?1", [&folder])?;
    connection.execute(
        "INSERT INTO levels (folder, file, slug, playable, title, subtitle, artist,
            title_translit, subtitle_translit, artist_translit, audio_length, bpm_low, bpm_high,
            jacket, stamps, diagnostics, look)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            folder,
            text(&s.file),
            s.slug,
            s.playable,
            s.title,
            s.subtitle,
            s.artist,
            s.translit.title,
            s.translit.subtitle,
            s.translit.artist,
            s.audio_length,
            s.bpm.0,
            s.bpm.1,
            s.jacket.as_deref().map(text),
            to_ron(&level.stamps),
            to_ron(&s.diagnostics),
            s.look.as_ref().map(to_ron),
        ],
    )?;
    for (position, chart) in s.charts.iter().enumerate() {
        connection.execute(
            "INSERT INTO charts (folder, position, difficulty, meter, lanes, notes, rating)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                folder,
                position as i64,
                chart.difficulty,
                chart.meter,
                chart.lanes,
                chart.notes as i64,
                chart.rating
            ],
        )?;
    }
    Ok(())
}

/// A list kept in one column as RON: the stamps and the problems.
fn to_ron<T: serde::Serialize>(value: &T) -> String {
    ron::to_string(value).unwrap_or_default()
}

fn read_levels(connection: &Connection) -> rusqlite::Result<Vec<CachedLevel>> {
    let mut charts: std::collections::HashMap<String, Vec<ChartSummary>> = Default::default();
    let mut query = connection.prepare(
        "SELECT folder, difficulty, meter, lanes, notes, rating FROM charts
         ORDER BY folder, position",
    )?;
    let rows = query.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            ChartSummary {
                difficulty: row.get(1)?,
                meter: row.get(2)?,
                lanes: row.get(3)?,
                notes: row.get::<_, i64>(4)?.max(0) as usize,
                rating: row.get(5)?,
            },
        ))
    })?;
    for row in rows {
        let (folder, chart) = row?;
        charts.entry(folder).or_default().push(chart);
    }
    let mut query = connection.prepare(
        "SELECT folder, file, slug, playable, title, subtitle, artist, title_translit,
            subtitle_translit, artist_translit, audio_length, bpm_low, bpm_high, jacket, stamps,
            diagnostics, look FROM levels ORDER BY folder",
    )?;
    let rows = query.query_map([], |row| {
        let folder: String = row.get(0)?;
        let stamps: Vec<FileStamp> = from_ron(&row.get::<_, String>(14)?, 14)?;
        let diagnostics: Vec<Diagnostic> = from_ron(&row.get::<_, String>(15)?, 15)?;
        let look = match row.get::<_, Option<String>>(16)? {
            Some(text) => Some(from_ron(&text, 16)?),
            None => None,
        };
        Ok(CachedLevel {
            stamps,
            summary: LevelSummary {
                slug: row.get(2)?,
                file: PathBuf::from(row.get::<_, String>(1)?),
                playable: row.get(3)?,
                title: row.get(4)?,
                subtitle: row.get(5)?,
                artist: row.get(6)?,
                translit: Translit {
                    title: row.get(7)?,
                    subtitle: row.get(8)?,
                    artist: row.get(9)?,
                },
                audio_length: row.get(10)?,
                bpm: (row.get(11)?, row.get(12)?),
                jacket: row.get::<_, Option<String>>(13)?.map(PathBuf::from),
                look,
                charts: charts.remove(&folder).unwrap_or_default(),
                diagnostics,
            },
        })
    })?;
    rows.collect()
}

/// A RON column read back; text that does not read is damage, reported as SQLite's own.
fn from_ron<T: serde::de::DeserializeOwned>(text: &str, column: usize) -> rusqlite::Result<T> {
    ron::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::cache::check_level;

    fn level(root: &Path, name: &str, title: &str) -> CachedLevel {
        let folder = root.join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("level.ron"),
            format!(
                "(format: 1, title: \"{title}\", artist: \"A\", audio: \"song.wav\",
                  timing: (bpms: [(beat: 0.0, bpm: 120.0)]),
                  charts: [(difficulty: \"Hard\", meter: 7, lanes: 4, notes: [(beat: 1.0, lane: 2)])])"
            ),
        )
        .unwrap();
        crate::music::synth::write_silence(&folder.join("song.wav"), 2.0, 8000).unwrap();
        check_level(&folder).0
    }

    #[test]
    fn levels_and_their_charts_come_back_as_they_were_put() {
        let dir = tempfile::tempdir().unwrap();
        let levels = vec![
            level(dir.path(), "one", "One"),
            level(dir.path(), "two", "Two \"quoted\" 하나"),
        ];
        let path = dir.path().join(INDEX_FILE_NAME);
        let mut index = LibraryIndex::open(&path);
        assert_eq!(index.take_problem(), None);
        index.put(&levels).unwrap();
        drop(index);
        let mut again = LibraryIndex::open(&path);
        assert_eq!(again.take_problem(), None);
        assert_eq!(again.levels(), levels);
        assert_eq!(again.levels()[0].summary.charts[0].meter, 7);
        // The second is broken by its quotes: its problems come back too.
        assert!(!again.levels()[1].summary.diagnostics.is_empty());
        // One gone from disk: its row goes.
        let keep: HashSet<PathBuf> = [dir.path().join("one")].into();
        again.keep_only(&keep).unwrap();
        assert_eq!(again.levels(), levels[..1]);
    }

    #[test]
    fn a_damaged_index_is_rebuilt_and_a_newer_one_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(INDEX_FILE_NAME);
        let levels = vec![level(dir.path(), "one", "One")];
        std::fs::write(&path, b"this is not a database, not at all").unwrap();
        let mut index = LibraryIndex::open(&path);
        assert!(index.take_problem().unwrap().contains("made again"));
        assert!(index.levels().is_empty());
        index.put(&levels).unwrap();
        drop(index);
        assert_eq!(LibraryIndex::open(&path).levels(), levels);

        // Written by a newer game: never read, never written.
        let newer = dir.path().join("newer.sqlite");
        let connection = Connection::open(&newer).unwrap();
        connection
            .pragma_update(None, "user_version", SCHEMA + 1)
            .unwrap();
        connection
            .execute_batch("CREATE TABLE levels (x); INSERT INTO levels VALUES (1);")
            .unwrap();
        drop(connection);
        let before = std::fs::read(&newer).unwrap();
        let mut index = LibraryIndex::open(&newer);
        assert!(index.take_problem().unwrap().contains("newer Lightstick"));
        index.put(&levels).unwrap();
        assert_eq!(index.levels(), levels, "this run's index is in memory");
        assert_eq!(std::fs::read(&newer).unwrap(), before);
    }

    #[test]
    fn two_games_writing_at_once_leave_a_whole_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(INDEX_FILE_NAME);
        let one = level(dir.path(), "one", "One");
        // Each game writes its own 150 levels, one transaction each, at the same time.
        let writers: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|game| {
                let (path, one) = (path.clone(), one.clone());
                std::thread::spawn(move || {
                    let mut index = LibraryIndex::open(&path);
                    for n in 0..150 {
                        let mut level = one.clone();
                        level.summary.file = PathBuf::from(format!("/{game}/{n}/level.ron"));
                        index.put(&[level]).unwrap();
                    }
                    index.problem
                })
            })
            .collect();
        for writer in writers {
            let problem = writer.join().unwrap();
            assert!(problem.as_ref().is_none_or(|p| p.is_empty()), "{problem:?}");
        }
        let mut index = LibraryIndex::open(&path);
        assert_eq!(index.take_problem(), None);
        assert_eq!(index.levels().len(), 300);
        let check: String = index
            .connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    #[test]
    fn a_truncated_index_or_a_dropped_table_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let levels: Vec<CachedLevel> = (0..40)
            .map(|n| level(dir.path(), &format!("l{n}"), "Song"))
            .collect();
        let path = dir.path().join(INDEX_FILE_NAME);
        let fill = || {
            let mut index = LibraryIndex::open(&path);
            index.put(&levels).unwrap();
            // Everything into the main file, as a closed game leaves it.
            index
                .connection
                .pragma_update(None, "wal_checkpoint", "TRUNCATE")
                .unwrap();
        };
        fill();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let mut index = LibraryIndex::open(&path);
        let read = index.levels();
        assert!(
            read.is_empty() || read == levels,
            "a half index is never half read"
        );
        if read.is_empty() {
            assert!(index.take_problem().is_some(), "the rebuild is said");
        }
        drop(index);

        fill();
        let connection = Connection::open(&path).unwrap();
        connection.execute_batch("DROP TABLE charts").unwrap();
        drop(connection);
        let mut index = LibraryIndex::open(&path);
        assert!(index.take_problem().unwrap().contains("made again"));
        assert!(index.levels().is_empty());
    }

    #[test]
    fn an_older_layout_is_refilled_and_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(INDEX_FILE_NAME);
        let connection = Connection::open(&path).unwrap();
        connection
            .execute_batch("CREATE TABLE levels (folder TEXT); PRAGMA user_version = 1;")
            .unwrap();
        drop(connection);
        let levels = vec![level(dir.path(), "one", "One")];
        let mut index = LibraryIndex::open(&path);
        assert!(index.take_problem().unwrap().contains("older version"));
        index.put(&levels).unwrap();
        drop(index);
        let mut again = LibraryIndex::open(&path);
        assert_eq!(again.take_problem(), None, "said once");
        assert_eq!(again.levels(), levels, "and what it then held is kept");
    }
}
