//! Where things live: the levels the game lists, and the folder holding the player's data.

use std::path::{Path, PathBuf};

/// Overrides the data folder (profiles, own levels and merch); tests point it at a temporary folder.
pub const DATA_DIR_ENV: &str = "LIGHTSTICK_DATA_DIR";
/// Extra level folders, separated like `PATH`.
pub const LEVELS_ENV: &str = "LIGHTSTICK_LEVELS";
/// The profile to start with, by name; the one used last when unset.
pub const PROFILE_ENV: &str = "LIGHTSTICK_PROFILE";

/// The player's data folder: `$LIGHTSTICK_DATA_DIR`, else the platform's data folder
/// (`~/.local/share/lightstick` on Linux).
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(dir) = explicit {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "lightstick")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".lightstick"))
}

pub fn settings_file(profile_dir: &Path) -> PathBuf {
    profile_dir.join("settings.ron")
}

pub fn scores_file(profile_dir: &Path) -> PathBuf {
    profile_dir.join("scores.ron")
}

pub fn replays_dir(profile_dir: &Path) -> PathBuf {
    profile_dir.join("replays")
}

/// The folders whose sub-folders are levels: those given, else `$LIGHTSTICK_LEVELS`, the
/// shipped `levels/` (beside the working folder, the executable, or this source tree), and the
/// player's own `levels/` in the data folder.
pub fn level_roots(explicit: &[PathBuf], data_dir: &Path) -> Vec<PathBuf> {
    if !explicit.is_empty() {
        return explicit.to_vec();
    }
    let mut roots = Vec::new();
    if let Some(list) = std::env::var_os(LEVELS_ENV) {
        roots.extend(std::env::split_paths(&list));
    }
    let shipped = [
        Some(PathBuf::from("levels")),
        std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|p| p.join("levels"))),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("levels")),
    ];
    if let Some(found) = shipped.into_iter().flatten().find(|p| p.is_dir()) {
        roots.push(found);
    }
    roots.push(data_dir.join("levels"));
    roots
}
