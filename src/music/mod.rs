//! Music from song sheets: a level's `song.ron` describes a track (tempo, chords, drum and bass
//! patterns, arrangement) and the synthesizer renders it to the WAV the level plays. Audio is
//! generated, never committed.

pub mod sheet;
pub mod synth;

use std::path::{Path, PathBuf};

use crate::core::diagnostic::Diagnostic;

/// The song sheet's file name inside a level folder.
pub const SHEET_FILE_NAME: &str = "song.ron";

/// What rendering one folder's sheet did.
#[derive(Debug)]
pub enum Rendered {
    /// The audio was missing or older than its sheet, and was written.
    Written(PathBuf),
    /// The audio is newer than the sheet.
    UpToDate(PathBuf),
    Failed(Diagnostic),
}

/// Renders the audio of every level folder under `roots` that has a song sheet and whose audio
/// is missing or older than the sheet.
pub fn render_missing(roots: &[PathBuf]) -> Vec<Rendered> {
    let mut outcomes = Vec::new();
    for root in roots {
        let Ok(entries) = std::fs::read_dir(root) else {
            continue;
        };
        let mut folders: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join(SHEET_FILE_NAME).is_file())
            .collect();
        folders.sort();
        for folder in folders {
            outcomes.push(render_folder(&folder, false));
        }
    }
    outcomes
}

/// Renders `folder/song.ron` to the WAV it names; with `force`, even when it looks up to date.
pub fn render_folder(folder: &Path, force: bool) -> Rendered {
    let sheet_path = folder.join(SHEET_FILE_NAME);
    let sheet = match sheet::read_sheet(&sheet_path) {
        Ok(sheet) => sheet,
        Err(d) => return Rendered::Failed(d),
    };
    let output = folder.join(&sheet.output);
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if !force
        && let (Some(audio), Some(source)) = (modified(&output), modified(&sheet_path))
        && audio >= source
    {
        return Rendered::UpToDate(output);
    }
    let samples = synth::render(&sheet);
    match synth::write_wav(&output, &samples) {
        Ok(()) => Rendered::Written(output),
        Err(e) => Rendered::Failed(Diagnostic::error(
            &output,
            None,
            format!("cannot write the rendered audio: {e}"),
        )),
    }
}
