//! Archives handed to the importer (`.osz`), unpacked safely: no entry may climb out of the
//! folder it is unpacked into, links are refused, and an archive that unpacks to far more than
//! it weighs (a zip bomb) is refused before it fills the disk.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostic::Diagnostic;

/// The most an archive may unpack to in all.
pub const MAX_UNPACKED_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// An entry may unpack to at most this many times its packed size (audio and images barely
/// compress; text does, up to about 10×) once it is over [`RATIO_FREE_BYTES`].
pub const MAX_RATIO: u64 = 100;
pub const RATIO_FREE_BYTES: u64 = 1024 * 1024;
/// Archives larger than this are not opened.
pub const MAX_ARCHIVE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// A folder of unpacked files inside the output folder, removed when dropped.
pub struct Staged {
    path: PathBuf,
}

impl Staged {
    /// A new, empty staging folder inside `out`, which is made if it is not there.
    pub fn new_in(out: &Path) -> Result<Staged, String> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = out.join(format!(".import-staging-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot make {}: {e}", path.display()))?;
        Ok(Staged { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Moves the staged folder to `target` (on the same disk, inside the output folder), which
    /// must not exist, and keeps it there.
    pub fn keep_as(mut self, target: &Path) -> Result<(), String> {
        std::fs::rename(&self.path, target)
            .map_err(|e| format!("cannot move the level into {}: {e}", target.display()))?;
        self.path = PathBuf::new();
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Unpacks the `.osz` at `path` into a staging folder inside `out`.
pub fn unpack_osz(path: &Path, out: &Path) -> Result<Staged, Diagnostic> {
    let refuse = |why: String| Diagnostic::error(path, None, why);
    let staged = Staged::new_in(out).map_err(refuse)?;
    unpack(path, staged.path()).map_err(refuse)?;
    Ok(staged)
}

/// Unpacks every entry of the zip at `path` into `into`, or says why the archive is refused.
/// On refusal, whatever was unpacked stays inside `into` for the caller to remove.
pub fn unpack(path: &Path, into: &Path) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the archive: {e}"))?;
    if !meta.is_file() {
        return Err("the archive is not a regular file".into());
    }
    if meta.len() > MAX_ARCHIVE_BYTES {
        return Err(format!(
            "the archive is {} MB; the limit is {} MB",
            meta.len() / 1_048_576,
            MAX_ARCHIVE_BYTES / 1_048_576
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the archive: {e}"))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("not a zip archive: {e}"))?;
    // Every name is checked before anything is written.
    let mut plan: Vec<(usize, PathBuf)> = Vec::new();
    let mut declared: u64 = 0;
    for index in 0..zip.len() {
        let entry = zip
            .by_index_raw(index)
            .map_err(|e| format!("entry {} is damaged: {e}", index + 1))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if entry.is_symlink() {
            return Err(format!(
                "the entry `{name}` is a link; archives with links are refused"
            ));
        }
        let Some(relative) = entry.enclosed_name() else {
            return Err(format!(
                "the entry `{name}` would be written outside the folder it unpacks into; the archive is refused"
            ));
        };
        declared = declared.saturating_add(entry.size());
        if entry.is_dir() {
            continue;
        }
        check_ratio(&name, entry.size(), entry.compressed_size())?;
        plan.push((index, relative));
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(format!(
            "the archive unpacks to {} MB; the limit is {} MB",
            declared / 1_048_576,
            MAX_UNPACKED_BYTES / 1_048_576
        ));
    }
    let mut written: u64 = 0;
    for (index, relative) in plan {
        let mut entry = zip
            .by_index(index)
            .map_err(|e| format!("entry {} is damaged: {e}", index + 1))?;
        let target = into.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot unpack `{}`: {e}", relative.display()))?;
        }
        let mut output = std::fs::File::create(&target)
            .map_err(|e| format!("cannot unpack `{}`: {e}", relative.display()))?;
        // The sizes in the archive are the archive's word; the bytes decide.
        let allowed = entry
            .compressed_size()
            .saturating_mul(MAX_RATIO)
            .max(RATIO_FREE_BYTES)
            .min(MAX_UNPACKED_BYTES - written.min(MAX_UNPACKED_BYTES));
        let copied = std::io::copy(&mut (&mut entry).take(allowed + 1), &mut output)
            .map_err(|e| format!("cannot unpack `{}`: {e}", relative.display()))?;
        if copied > allowed {
            return Err(format!(
                "the entry `{}` unpacks to more than its size says, past the limit; the archive is refused as a zip bomb",
                relative.display()
            ));
        }
        written += copied;
    }
    Ok(())
}

fn check_ratio(name: &str, size: u64, compressed: u64) -> Result<(), String> {
    if size > RATIO_FREE_BYTES && size > compressed.saturating_mul(MAX_RATIO) {
        return Err(format!(
            "the entry `{name}` unpacks to {size} bytes from {compressed}, over {MAX_RATIO} times its size; the archive is refused as a zip bomb"
        ));
    }
    Ok(())
}
