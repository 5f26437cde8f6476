//! Reading a file a user handed us: checked to be a regular file of a sane size before a byte
//! is read, read no further than its limit (devices and pipes report no size), and decoded as
//! UTF-8 with the line and column of the first bad byte.

use std::io::{self, Read};
use std::path::Path;

use crate::diagnostic::{Diagnostic, Position};

/// Hand-written files (levels, song sheets, catalogs, tours, settings): nobody writes more.
pub const MAX_TEXT_BYTES: u64 = 10 * 1024 * 1024;
/// Files the game writes and that grow with play (profiles, score books, replays).
pub const MAX_SAVE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file could not be read, before any parsing.
#[derive(Debug)]
pub enum ReadError {
    Missing,
    /// Not a regular file, too large, unreadable or not UTF-8; the diagnostic says which.
    Refused(Diagnostic),
}

/// Reads `path` as UTF-8 text of at most `limit` bytes. `what` names the file's kind for the
/// message ("the level file", "the replay").
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String, ReadError> {
    let bytes = read_raw(path, limit, what)?;
    decode(path, bytes, what).map_err(ReadError::Refused)
}

/// Reads `path` as bytes of at most `limit`, with the checks of [`read_text`]; a missing file is
/// an error too.
pub fn read_bytes(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, Diagnostic> {
    read_raw(path, limit, what).map_err(|e| match e {
        ReadError::Missing => Diagnostic::error(path, None, format!("{what} does not exist")),
        ReadError::Refused(diagnostic) => diagnostic,
    })
}

/// Checks that `path` is a regular file of at most `limit` bytes, before any of it is read
/// (a pipe or a device would block or never end), and gives its size.
pub fn check_regular(path: &Path, limit: u64, what: &str) -> Result<u64, Diagnostic> {
    check(path, limit, what).map_err(|e| match e {
        ReadError::Missing => Diagnostic::error(path, None, format!("{what} does not exist")),
        ReadError::Refused(diagnostic) => diagnostic,
    })
}

/// Whether a file the game writes for the player may go at `path`: nothing is there, or a file
/// of theirs that `force` says to replace. A link is never written through, and anything that
/// is not a file is never replaced.
pub fn may_replace(path: &Path, force: bool) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Err(_) => Ok(()),
        Ok(meta) if meta.file_type().is_symlink() => Err(format!(
            "{} is a link; nothing is ever written through one",
            path.display()
        )),
        Ok(meta) if !meta.is_file() => Err(format!(
            "{} is there and is not a file; it is left alone",
            path.display()
        )),
        Ok(_) if force => Ok(()),
        Ok(_) => Err(format!(
            "{} is there already; pass --force to replace it",
            path.display()
        )),
    }
}

fn too_large(what: &str, size: u64, limit: u64) -> String {
    format!(
        "{what} is {:.1} MB; the limit is {} MB",
        size as f64 / 1_048_576.0,
        limit / 1_048_576
    )
}

fn check(path: &Path, limit: u64, what: &str) -> Result<u64, ReadError> {
    let refuse = |message: String| ReadError::Refused(Diagnostic::error(path, None, message));
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(refuse(format!("cannot read {what}: {e}"))),
    };
    if meta.is_dir() {
        return Err(refuse(format!("{what} is a folder, not a file")));
    }
    if !meta.is_file() {
        return Err(refuse(format!(
            "{what} is a device, pipe or socket, not a regular file"
        )));
    }
    if meta.len() > limit {
        return Err(refuse(too_large(what, meta.len(), limit)));
    }
    Ok(meta.len())
}

fn read_raw(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, ReadError> {
    let refuse = |position: Option<Position>, message: String| {
        ReadError::Refused(Diagnostic::error(path, position, message))
    };
    let size = check(path, limit, what)?;
    let file =
        std::fs::File::open(path).map_err(|e| refuse(None, format!("cannot read {what}: {e}")))?;
    // The file may grow between the check and the read; never read past the limit.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(None, format!("cannot read {what}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(refuse(None, too_large(what, bytes.len() as u64, limit)));
    }
    Ok(bytes)
}

/// The bytes of the file at `path` as text, or where the first byte that is not UTF-8 is.
pub fn decode(path: &Path, bytes: Vec<u8>, what: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        Diagnostic::error(
            path,
            Some(end_position(&String::from_utf8_lossy(valid))),
            format!("{what} is not valid UTF-8 text"),
        )
    })
}

/// Like [`read_text`], with a missing file an error too.
pub fn read_existing_text(path: &Path, limit: u64, what: &str) -> Result<String, Diagnostic> {
    decode(path, read_bytes(path, limit, what)?, what)
}

/// The position just after `text`.
fn end_position(text: &str) -> Position {
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position::new(line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(result: Result<String, ReadError>) -> Diagnostic {
        match result {
            Err(ReadError::Refused(d)) => d,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_folder_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let d = refused(read_text(dir.path(), 100, "the level file"));
        assert!(d.message.contains("is a folder"), "{d}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_before_it_is_read() {
        let d = refused(read_text(Path::new("/dev/zero"), 100, "the replay"));
        assert!(d.to_string().contains("/dev/zero"), "{d}");
        assert!(d.message.contains("not a regular file"), "{d}");
    }

    #[test]
    fn a_large_file_is_refused_with_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        std::fs::write(&path, vec![b' '; 3 * 1024 * 1024]).unwrap();
        let d = refused(read_text(&path, 1024 * 1024, "the level file"));
        assert!(d.message.contains("limit is 1 MB"), "{d}");
    }

    #[test]
    fn bad_utf8_is_placed_at_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.ron");
        std::fs::write(&path, b"(\n  title: \"a\xffb\",\n)").unwrap();
        let d = refused(read_text(&path, 100, "the level file"));
        assert_eq!(d.position, Some(Position::new(2, 12)), "{d}");
    }

    #[test]
    fn a_missing_file_is_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_text(&dir.path().join("none"), 100, "x"),
            Err(ReadError::Missing)
        ));
    }
}
