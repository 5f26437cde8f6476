//! Levels: the RON file format, its validation with exact positions, and the song library.

pub mod cache;
pub mod chart_checks;
pub mod edit;
pub mod format;
pub mod index;
pub mod load;
pub mod position;
pub mod quantise;
pub mod skeleton;
pub mod write;

pub use load::{
    AudioProbe, Level, LevelReport, MAX_LEVEL_BYTES, MAX_NOTES_PER_CHART, discover_levels,
    level_folders, load_level, load_level_with,
};
