//! Song sheets: the RON format a track is written in, and reading it with checks that point at
//! the line and column of every problem.

pub mod checks;
pub mod format;

pub use checks::{
    parse_sheet_with_warnings, read_sheet, read_sheet_text, read_sheet_with_warnings,
};
pub use format::*;
