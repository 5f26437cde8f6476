//! Files the player earned: written atomically with a backup, and never overwritten when they
//! cannot be read. A file that fails to parse is moved aside, reported, and replaced by its
//! backup when there is one.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::diagnostic::{Diagnostic, from_ron_error};

/// Writes `contents` to `path` so that a crash at any moment leaves either the old or the new
/// file complete, and a complete backup: write a temporary file and flush it to disk, make the
/// old file the backup (as a hard link renamed into place, so the backup is never half
/// written), then rename the new one into place.
pub fn write_atomic(path: &Path, contents: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let temporary = unique_sibling(path, "tmp");
    let written = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        if path.exists() {
            replace_atomically(path, &backup_path(path), false)?;
        }
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written?;
    sync_folder(path);
    Ok(())
}

/// Puts a complete copy of `from` at `to` in one rename: a hard link where the file system
/// has them (the old file's content was synced when it was written), else a synced copy.
/// `sync` syncs the folder afterwards.
pub fn replace_atomically(from: &Path, to: &Path, sync: bool) -> io::Result<()> {
    let staged = unique_sibling(to, "tmp");
    let staged_result = fs::hard_link(from, &staged).or_else(|_| {
        fs::copy(from, &staged)?;
        fs::File::open(&staged)?.sync_all()
    });
    let result = staged_result.and_then(|()| fs::rename(&staged, to));
    if result.is_err() {
        let _ = fs::remove_file(&staged);
    }
    result?;
    if sync {
        sync_folder(to);
    }
    Ok(())
}

/// Makes renames in the file's folder durable; not all platforms allow syncing a folder.
fn sync_folder(path: &Path) {
    if let Some(parent) = path.parent()
        && let Ok(dir) = fs::File::open(parent)
    {
        let _ = dir.sync_all();
    }
}

/// A temporary name beside `path` that no other writer, in this process or another, uses.
fn unique_sibling(path: &Path, kind: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    sibling(path, &format!("{kind}-{}-{n}", std::process::id()))
}

pub fn backup_path(path: &Path) -> PathBuf {
    sibling(path, "bak")
}

fn sibling(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(extension);
    path.with_file_name(name)
}

/// Serialises `value` as pretty RON and writes it atomically.
pub fn save_ron<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let text = ron::ser::to_string_pretty(value, ron::ser::PrettyConfig::new())
        .map_err(|e| io::Error::other(e.to_string()))?;
    write_atomic(path, &text)
}

/// The outcome of loading a saved file.
#[derive(Debug)]
pub struct Loaded<T> {
    pub value: T,
    /// What went wrong and what was done about it, for the player to read.
    pub problems: Vec<String>,
}

/// Loads a RON file the player's data lives in. A missing file gives the default. A file that
/// cannot be parsed is renamed to `<name>.corrupt-<time>` (never deleted), and the backup is
/// used instead when it parses.
pub fn load_ron<T: DeserializeOwned + Default>(path: &Path) -> Loaded<T> {
    let mut problems = Vec::new();
    match read_parse::<T>(path) {
        Ok(Some(value)) => return Loaded { value, problems },
        Ok(None) => {}
        Err(diagnostic) => {
            let kept = keep_aside(path);
            problems.push(match kept {
                Ok(kept) => format!("{diagnostic}; the file was kept as {}", kept.display()),
                Err(e) => format!(
                    "{diagnostic}; it could not be moved aside ({e}), and will not be overwritten"
                ),
            });
        }
    }
    let backup = backup_path(path);
    match read_parse::<T>(&backup) {
        Ok(Some(value)) => {
            if path.exists() {
                // The unreadable file could not be moved aside: never write over it.
                problems.push(format!("using the backup {} for now", backup.display()));
            } else {
                let _ = replace_atomically(&backup, path, true);
                problems.push(format!(
                    "restored {} from its backup; what changed after that backup was saved is lost",
                    path.display()
                ));
            }
            Loaded { value, problems }
        }
        Ok(None) => Loaded {
            value: T::default(),
            problems,
        },
        Err(diagnostic) => {
            problems.push(format!("the backup is unreadable too: {diagnostic}"));
            Loaded {
                value: T::default(),
                problems,
            }
        }
    }
}

fn read_parse<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, Diagnostic> {
    use crate::user_file::{MAX_SAVE_BYTES, ReadError, read_text};
    let text = match read_text(path, MAX_SAVE_BYTES, "the file") {
        Ok(text) => text,
        Err(ReadError::Missing) => return Ok(None),
        Err(ReadError::Refused(diagnostic)) => return Err(diagnostic),
    };
    ron::from_str(&text)
        .map(Some)
        .map_err(|e| from_ron_error(path, &e))
}

fn keep_aside(path: &Path) -> io::Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut target = sibling(path, &format!("corrupt-{stamp}"));
    let mut n = 1;
    while target.exists() {
        target = sibling(path, &format!("corrupt-{stamp}-{n}"));
        n += 1;
    }
    fs::rename(path, &target)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Data {
        points: u32,
    }

    #[test]
    fn atomic_write_keeps_the_previous_version_as_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scores.ron");
        save_ron(&path, &Data { points: 1 }).unwrap();
        save_ron(&path, &Data { points: 2 }).unwrap();
        assert_eq!(load_ron::<Data>(&path).value, Data { points: 2 });
        let backup: Data = ron::from_str(&fs::read_to_string(backup_path(&path)).unwrap()).unwrap();
        assert_eq!(backup, Data { points: 1 });
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn corrupt_file_is_kept_aside_and_the_backup_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scores.ron");
        save_ron(&path, &Data { points: 7 }).unwrap();
        save_ron(&path, &Data { points: 8 }).unwrap();
        fs::write(&path, "(points: oops)").unwrap();
        let loaded = load_ron::<Data>(&path);
        assert_eq!(loaded.value, Data { points: 7 });
        assert!(
            loaded.problems[0].contains("scores.ron:1:"),
            "{:?}",
            loaded.problems
        );
        let kept: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("corrupt"))
            .collect();
        assert_eq!(kept.len(), 1);
        assert_eq!(
            fs::read_to_string(kept[0].path()).unwrap(),
            "(points: oops)"
        );
    }

    #[test]
    fn missing_file_gives_the_default_without_complaint() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = load_ron::<Data>(&dir.path().join("none.ron"));
        assert_eq!(loaded.value, Data::default());
        assert!(loaded.problems.is_empty());
    }
}
