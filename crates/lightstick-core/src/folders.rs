//! The folders the game keeps things in on this machine, found in one place: the player's data
//! folder and the cache of rendered songs, each overridable by an environment variable.

use std::path::{Path, PathBuf};

/// Overrides the data folder (profiles, own levels and merch); tests point it at a temporary folder.
pub const DATA_DIR_ENV: &str = "LIGHTSTICK_DATA_DIR";
/// Overrides where rendered songs are cached.
pub const CACHE_DIR_ENV: &str = "LIGHTSTICK_CACHE_DIR";

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "lightstick")
}

/// The player's data folder: `explicit`, else `$LIGHTSTICK_DATA_DIR`, else the platform's
/// data folder (`~/.local/share/lightstick` on Linux).
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(dir) = explicit {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return PathBuf::from(dir);
    }
    project_dirs()
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".lightstick"))
}

/// The folder rendered songs are kept in: `$LIGHTSTICK_CACHE_DIR`, else the platform's cache
/// folder (`~/.cache/lightstick/music` on Linux).
pub fn music_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(CACHE_DIR_ENV) {
        return PathBuf::from(dir);
    }
    project_dirs()
        .map(|dirs| dirs.cache_dir().join("music"))
        .unwrap_or_else(|| std::env::temp_dir().join("lightstick-music"))
}
