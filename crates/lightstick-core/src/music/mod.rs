//! Music from song sheets: a level may name a song sheet (`song.ron`: tempo, chords, drum and
//! bass patterns, arrangement) as its audio, and the synthesizer renders it. Renders are cached
//! on disk by a hash of the sheet, so a sheet is rendered once and edits render anew. Audio is
//! generated, never committed.

pub mod draft;
pub mod events;
pub mod sheet;
pub mod synth;
pub mod theory;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::diagnostic::Diagnostic;

/// Changes whenever the synthesizer would render the same sheet differently, so old renders
/// are not reused.
pub const SYNTH_VERSION: u32 = 7;
/// Whether a level's `audio` names a song sheet rather than an audio file.
pub fn is_sheet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// FNV-1a: small, stable across Rust versions and platforms (std's hasher is neither promised).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The cache file a sheet with this text renders to.
pub fn cached_render(sheet_text: &str) -> PathBuf {
    let mut keyed = format!("lightstick synth {SYNTH_VERSION}\n").into_bytes();
    keyed.extend_from_slice(sheet_text.as_bytes());
    crate::folders::music_cache_dir().join(format!("{:016x}.wav", fnv1a(&keyed)))
}

/// Renders `sheet_path` to `target` unless it is already there, reporting progress as
/// thousandths in `progress`. Safe to call from any thread.
pub fn ensure_rendered(
    sheet_path: &Path,
    target: &Path,
    progress: &AtomicU32,
) -> Result<(), Diagnostic> {
    if target.is_file() {
        // Marked as used (its access time, which the filesystem may not keep on its own), so
        // the cache keeps it over renders not played for longer.
        let _ = std::fs::File::options()
            .write(true)
            .open(target)
            .and_then(|f| {
                f.set_times(std::fs::FileTimes::new().set_accessed(std::time::SystemTime::now()))
            });
        progress.store(1000, Ordering::Relaxed);
        return Ok(());
    }
    let sheet = sheet::read_sheet(sheet_path)?;
    let frames = synth::render_with_progress(&sheet, progress);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(target, None, format!("cannot create the music cache: {e}"))
        })?;
    }
    synth::write_wav(target, &frames).map_err(|e| {
        Diagnostic::error(target, None, format!("cannot write the rendered song: {e}"))
    })?;
    // Each edit of a sheet renders anew: the renders played longest ago make room.
    if let Some(cache) = target.parent() {
        prune_cache(cache, MUSIC_CACHE_BYTES, target);
    }
    progress.store(1000, Ordering::Relaxed);
    Ok(())
}

/// How much the music cache may hold: about a hundred rendered songs.
pub const MUSIC_CACHE_BYTES: u64 = 2 << 30;

/// Deletes the renders (`.wav`) of `cache` used longest ago (by access time) until they hold at most `keep`
/// bytes, never `except` (the render just made). The cache is only renders, made again when
/// needed; a render in use stays readable by whoever has it open. Returns how many went.
pub fn prune_cache(cache: &Path, keep: u64, except: &Path) -> usize {
    let mut renders: Vec<(std::time::SystemTime, u64, std::path::PathBuf)> =
        std::fs::read_dir(cache)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "wav"))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((meta.accessed().ok()?, meta.len(), e.path()))
            })
            .collect();
    let mut total: u64 = renders.iter().map(|r| r.1).sum();
    renders.sort_by_key(|r| r.0);
    let mut removed = 0;
    for (_, size, path) in renders {
        if total <= keep {
            break;
        }
        if path != except && std::fs::remove_file(&path).is_ok() {
            total -= size;
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_lets_the_renders_used_longest_ago_go_first() {
        let dir = tempfile::tempdir().unwrap();
        let now = std::time::SystemTime::now();
        let render = |name: &str, age_s: u64| {
            let path = dir.path().join(name);
            std::fs::write(&path, vec![0u8; 1000]).unwrap();
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            let when = now - std::time::Duration::from_secs(age_s);
            file.set_times(
                std::fs::FileTimes::new()
                    .set_accessed(when)
                    .set_modified(when),
            )
            .unwrap();
            path
        };
        let oldest = render("a.wav", 300);
        let middle = render("b.wav", 200);
        let newest = render("c.wav", 100);
        // The render just made is never removed, however old its time.
        let just_made = render("d.wav", 400);
        std::fs::write(dir.path().join("notes.txt"), vec![0u8; 5000]).unwrap();
        assert_eq!(prune_cache(dir.path(), 2500, &just_made), 2);
        assert!(!oldest.exists() && !middle.exists());
        assert!(newest.exists() && just_made.exists());
        assert!(dir.path().join("notes.txt").exists(), "only renders go");
        assert_eq!(prune_cache(dir.path(), 2500, &just_made), 0);
    }

    #[test]
    fn the_cache_key_follows_the_sheet_text() {
        let a = cached_render("(bpm: 120.0)");
        assert_eq!(a, cached_render("(bpm: 120.0)"));
        assert_ne!(a, cached_render("(bpm: 121.0)"));
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
