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

/// The most an archive of `archive_bytes` may unpack to, counted in the bytes really written:
/// [`MAX_RATIO`] times its size on disk, at least [`RATIO_FREE_BYTES`], and never past
/// [`MAX_UNPACKED_BYTES`]. Entries can share one stream and lie about their sizes, so only the
/// archive's own size is a measure that cannot lie.
pub fn unpack_budget(archive_bytes: u64) -> u64 {
    archive_bytes
        .saturating_mul(MAX_RATIO)
        .clamp(RATIO_FREE_BYTES, MAX_UNPACKED_BYTES)
}

/// Whether an entry that unpacks to `size` bytes from `compressed` is within the ratio every
/// archive is held to, the rule `lightstick pack` follows when it writes one.
pub fn within_ratio(size: u64, compressed: u64) -> bool {
    size <= RATIO_FREE_BYTES || size <= compressed.saturating_mul(MAX_RATIO)
}

/// An entry name that is absolute: `/…`, `\…` (and so UNC `\\server\…`), or `C:…`.
fn is_absolute_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    name.starts_with(['/', '\\'])
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

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
        if is_absolute_name(&name) {
            return Err(format!(
                "the entry `{name}` is an absolute path; archives with absolute paths are refused"
            ));
        }
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
    let budget = unpack_budget(meta.len());
    if declared > budget {
        return Err(format!(
            "the archive says it unpacks to {}, over the {} allowed an archive of {}; it is refused as a zip bomb",
            megabytes(declared),
            megabytes(budget),
            megabytes(meta.len())
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
        let left = budget - written;
        let allowed = entry
            .compressed_size()
            .saturating_mul(MAX_RATIO)
            .max(RATIO_FREE_BYTES)
            .min(left);
        let copied = std::io::copy(&mut (&mut entry).take(allowed + 1), &mut output)
            .map_err(|e| format!("cannot unpack `{}`: {e}", relative.display()))?;
        if copied > allowed {
            return Err(if allowed == left {
                format!(
                    "the archive unpacks to more than {}, the most allowed an archive of {}; it is refused as a zip bomb",
                    megabytes(budget),
                    megabytes(meta.len())
                )
            } else {
                format!(
                    "the entry `{}` unpacks to more than its size says, past the limit; the archive is refused as a zip bomb",
                    relative.display()
                )
            });
        }
        written += copied;
    }
    Ok(())
}

/// A size for a message: "0.1 MB", "2000.0 MB".
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

fn check_ratio(name: &str, size: u64, compressed: u64) -> Result<(), String> {
    if !within_ratio(size, compressed) {
        return Err(format!(
            "the entry `{name}` unpacks to {size} bytes from {compressed}, over {MAX_RATIO} times its size; the archive is refused as a zip bomb"
        ));
    }
    Ok(())
}
