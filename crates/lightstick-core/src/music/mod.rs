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
    progress.store(1000, Ordering::Relaxed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_key_follows_the_sheet_text() {
        let a = cached_render("(bpm: 120.0)");
        assert_eq!(a, cached_render("(bpm: 120.0)"));
        assert_ne!(a, cached_render("(bpm: 121.0)"));
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
