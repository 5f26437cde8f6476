//! A new level from the player's own song: the audio's tempo and first beat estimated, its
//! title and artist read from its tags, the preview put on its loudest stretch, and a
//! `level.ron` that validates, with an empty Easy chart and comments on what to do next.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use lofty::prelude::*;

use super::load::{LEVEL_FILE_NAME, load_level};
use super::write::{ron_number, ron_string};
use crate::audio_file::{ANALYSED_SECONDS, decode_start};
use crate::tempo::{TempoEstimate, estimate};

/// The preview's length, in seconds.
pub const PREVIEW_SECONDS: f64 = 15.0;

/// What was found in the audio, and where the level went.
#[derive(Clone, Debug)]
pub struct NewLevel {
    pub folder: PathBuf,
    pub title: String,
    pub artist: String,
    pub estimate: TempoEstimate,
    pub preview_start: f64,
    pub length: f64,
}

/// The title and artist in the file's tags, if it has them.
pub fn tags_of(path: &Path) -> (Option<String>, Option<String>) {
    // lofty is a parser of files we did not write: a damaged tag is no tag, never a crash.
    let read =
        crate::audio_file::guarded(|| lofty::read_from_path(path).map_err(|e| e.to_string()));
    let Ok(file) = read else {
        return (None, None);
    };
    let Some(tag) = file.primary_tag().or_else(|| file.first_tag()) else {
        return (None, None);
    };
    let clean = |s: Option<std::borrow::Cow<'_, str>>| {
        s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    };
    (clean(tag.title()), clean(tag.artist()))
}

/// Where the loudest `seconds` of `samples` start, in seconds.
pub fn loudest_stretch(samples: &[f32], sample_rate: u32, seconds: f64) -> f64 {
    let sr = f64::from(sample_rate.max(1));
    let width = (seconds * sr) as usize;
    if samples.len() <= width {
        return 0.0;
    }
    let step = (sr * 0.25) as usize;
    let block: Vec<f64> = samples
        .chunks(step.max(1))
        .map(|c| c.iter().map(|v| f64::from(*v) * f64::from(*v)).sum())
        .collect();
    let blocks = (width / step.max(1)).max(1);
    let mut sum: f64 = block.iter().take(blocks).sum();
    let mut best = (0, sum);
    for i in blocks..block.len() {
        sum += block[i] - block[i - blocks];
        if sum > best.1 {
            best = (i + 1 - blocks, sum);
        }
    }
    best.0 as f64 * step as f64 / sr
}

/// Makes a level folder at `out` for the audio file at `audio`: the audio is copied in and a
/// `level.ron` written. An existing level there is left alone unless `force`.
pub fn new_level(audio: &Path, out: &Path, force: bool) -> Result<NewLevel, String> {
    let level_file = out.join(LEVEL_FILE_NAME);
    if level_file.exists() && !force {
        return Err(format!(
            "{} already has a level; pass --force to replace it",
            out.display()
        ));
    }
    crate::user_file::may_replace(&level_file, force)?;
    let name = audio
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} is not a file", audio.display()))?;
    let copied = out.join(&name);
    let same_file = std::fs::canonicalize(audio).ok() == std::fs::canonicalize(&copied).ok()
        && !is_link(&copied);
    if !same_file {
        crate::user_file::may_replace(&copied, force)?;
    }
    // The audio is checked and decoded before anything is written.
    let decoded = decode_start(audio, ANALYSED_SECONDS)
        .map_err(|why| format!("{}: the audio cannot be read: {why}", audio.display()))?;
    let (samples, sample_rate, length) = (decoded.samples, decoded.sample_rate, decoded.length);
    let estimate = estimate(&samples, sample_rate).ok_or_else(|| {
        format!(
            "{}: no beat was found in the audio; is it music with a steady beat?",
            audio.display()
        )
    })?;
    let (title, artist) = tags_of(audio);
    let title = title.unwrap_or_else(|| {
        audio
            .file_stem()
            .map_or("My song".into(), |s| s.to_string_lossy().into_owned())
    });
    let artist = artist.unwrap_or_default();
    let preview_start = loudest_stretch(&samples, sample_rate, PREVIEW_SECONDS);
    std::fs::create_dir_all(out).map_err(|e| format!("cannot make {}: {e}", out.display()))?;
    if !same_file {
        std::fs::copy(audio, &copied)
            .map_err(|e| format!("cannot copy the audio into {}: {e}", out.display()))?;
    }
    let made = NewLevel {
        folder: out.to_path_buf(),
        title,
        artist,
        estimate,
        preview_start,
        length,
    };
    std::fs::write(&level_file, skeleton_text(&made, &name))
        .map_err(|e| format!("cannot write {}: {e}", level_file.display()))?;
    let report = load_level(&level_file);
    if report.has_errors() {
        let errors: Vec<String> = report.errors().map(|d| d.to_string()).collect();
        return Err(format!(
            "the new level does not validate:\n{}",
            errors.join("\n")
        ));
    }
    Ok(made)
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The text of a new level's `level.ron`.
pub fn skeleton_text(level: &NewLevel, audio: &str) -> String {
    let e = &level.estimate;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// A new level for {audio}, made by `lightstick new-level`."
    );
    let _ = writeln!(
        out,
        "// The tempo and first beat were estimated from the audio (confidence {:.0} %){}.",
        e.confidence * 100.0,
        match e.alternative {
            Some(other) => format!("; the music also fits {other:.2} BPM"),
            None => String::new(),
        }
    );
    let _ = writeln!(out, "// Next steps:");
    let _ = writeln!(
        out,
        "//  1. Write a few notes and play them: if they come early or late against the music,"
    );
    let _ = writeln!(
        out,
        "//     move `offset` (seconds); if they drift apart over the song, adjust `bpm`."
    );
    let _ = writeln!(
        out,
        "//  2. Write the Easy chart's measures: four beats each, one row per step, one"
    );
    let _ = writeln!(
        out,
        "//     character per lane (`1` tap, `2`…`3` hold, `4`…`3` roll, `M` mine)."
    );
    let _ = writeln!(
        out,
        "//  3. Check it with `lightstick validate {}`; see docs/level-format.md.",
        level.folder.display()
    );
    let _ = writeln!(out, "(");
    let _ = writeln!(out, "    format: 1,");
    let _ = writeln!(out, "    title: {},", ron_string(&level.title));
    let _ = writeln!(out, "    artist: {},", ron_string(&level.artist));
    let _ = writeln!(out, "    audio: {},", ron_string(audio));
    let _ = writeln!(
        out,
        "    // The loudest {PREVIEW_SECONDS:.0} seconds of the song."
    );
    let _ = writeln!(
        out,
        "    preview: (start: {}, length: {}),",
        ron_number((level.preview_start * 100.0).round() / 100.0),
        ron_number(PREVIEW_SECONDS.min(level.length).max(1.0))
    );
    let _ = writeln!(out, "    timing: (");
    let _ = writeln!(out, "        // Seconds into the audio of the first beat.");
    let _ = writeln!(
        out,
        "        offset: {},",
        ron_number((e.offset * 1000.0).round() / 1000.0)
    );
    let _ = writeln!(
        out,
        "        bpms: [(beat: 0.0, bpm: {})],",
        ron_number((e.bpm * 100.0).round() / 100.0)
    );
    let _ = writeln!(out, "    ),");
    let _ = writeln!(out, "    charts: [");
    let _ = writeln!(out, "        (");
    let _ = writeln!(out, "            difficulty: \"Easy\",");
    let _ = writeln!(out, "            meter: 1,");
    let _ = writeln!(out, "            lanes: 4,");
    let _ = writeln!(out, "            measures: [");
    let _ = writeln!(
        out,
        "                // [\"1000\", \"0000\", \"0100\", \"0000\"], // measure 1: taps on beats 1 and 3"
    );
    let _ = writeln!(out, "            ],");
    let _ = writeln!(out, "        ),");
    let _ = writeln!(out, "    ],");
    let _ = writeln!(out, ")");
    out
}
