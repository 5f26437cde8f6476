//! Where things live: the levels the game lists, and the files in a profile's folder. The data
//! and cache folders themselves are found by `core::folders`.

use std::path::{Path, PathBuf};

/// Extra level folders, separated like `PATH`.
pub const LEVELS_ENV: &str = "LIGHTSTICK_LEVELS";
/// The profile to start with, by name; the one used last when unset.
pub const PROFILE_ENV: &str = "LIGHTSTICK_PROFILE";

pub fn settings_file(profile_dir: &Path) -> PathBuf {
    profile_dir.join("settings.ron")
}

pub fn scores_file(profile_dir: &Path) -> PathBuf {
    profile_dir.join("scores.ron")
}

/// The song library's index, shared by every profile.
pub fn library_index_file(data_dir: &Path) -> PathBuf {
    data_dir.join(crate::core::level::index::INDEX_FILE_NAME)
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
