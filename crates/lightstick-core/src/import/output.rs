//! An imported song written out as a level folder: the audio and jacket copied, `level.ron`
//! written as a level maker writes one, checked by the level loader before it replaces
//! anything, and the report of what was left out beside it.

use std::fmt::Write as _;
use std::path::Path;

use super::song::{ImportedChart, ImportedSong, Tempo};
use super::{ImportedLevel, Overwrite, REPORT_FILE_NAME};
use crate::chart::PlacedKind;
use crate::diagnostic::Diagnostic;
use crate::level::load::{LEVEL_FILE_NAME, load_level};
use crate::level::write::{beat_for_time, measure_ron, measures, on_grid, ron_number, ron_string};

/// The first line of every imported `level.ron`: how a re-import knows the folder is its own
/// to update, and a level written by hand is not.
pub const IMPORT_MARK: &str = "// Imported by `lightstick import`";
/// How far a note's time may move when it is carried into the song's tempo map.
const CARRY_TOLERANCE: f64 = 0.001;

/// Writes `song` as a level folder in `out`, or says why it cannot be.
pub fn write_level(
    song: &ImportedSong,
    out: &Path,
    overwrite: Overwrite,
) -> Result<ImportedLevel, Diagnostic> {
    let source = song.sources.first().cloned().unwrap_or_default();
    let fail = |why: String| Diagnostic::error(&source, None, why);
    if song.charts.is_empty() {
        let why = if song.refused.is_empty() {
            "no chart could be imported".to_string()
        } else {
            format!("no chart could be imported: {}", song.refused.join("; "))
        };
        return Err(fail(why));
    }
    let audio = song.audio.as_ref().ok_or_else(|| {
        fail(if song.audio_named.trim().is_empty() {
            "the song names no audio file and its folder has none, so it cannot be played".into()
        } else {
            format!(
                "the song's audio file `{}` is not in its folder, so it cannot be played",
                song.audio_named.trim()
            )
        })
    })?;
    let audio_length = crate::audio_file::probe_length(audio).map_err(|why| {
        Diagnostic::error(
            audio,
            None,
            format!("the song's audio cannot be played: {why}"),
        )
    })?;
    let slug = slug_for(song);
    let folder = out.join(&slug);
    let updated = match std::fs::read_to_string(folder.join(LEVEL_FILE_NAME)) {
        Ok(text) if text.starts_with(IMPORT_MARK) => true,
        Ok(_) if overwrite == Overwrite::HandWritten => true,
        Ok(_) => {
            return Err(fail(format!(
                "{} holds a level that was not imported; it is left alone (pass --force to replace it)",
                folder.display()
            )));
        }
        Err(_) if folder.exists() => {
            return Err(fail(format!(
                "{} is there already and is not a level; it is left alone",
                folder.display()
            )));
        }
        Err(_) => false,
    };

    let staged = super::archive::Staged::new_in(out).map_err(fail)?;
    let audio_name = copy_into(audio, staged.path()).map_err(fail)?;
    let jacket_name = match &song.jacket {
        Some(jacket) => copy_into(jacket, staged.path()).ok(),
        None => None,
    };
    let mut song_dropped = song.dropped.clone();
    if song.jacket.is_some() && jacket_name.is_none() {
        song_dropped.push("the jacket image could not be copied".into());
    }
    let charts: Vec<ImportedChart> = song
        .charts
        .iter()
        .map(|chart| fitted(chart, &song.tempo, audio_length))
        .collect();
    let text = level_text(
        song,
        &charts,
        &audio_name,
        jacket_name.as_deref(),
        audio_length,
    );
    let staged_file = staged.path().join(LEVEL_FILE_NAME);
    std::fs::write(&staged_file, &text)
        .map_err(|e| fail(format!("cannot write the level: {e}")))?;
    let loaded = load_level(&staged_file);
    if loaded.has_errors() {
        let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
        return Err(fail(format!(
            "the level made from it does not pass its checks: {}",
            errors.join("; ")
        )));
    }
    let report = report_text(song, &charts, &song_dropped);
    std::fs::write(staged.path().join(REPORT_FILE_NAME), &report)
        .map_err(|e| fail(format!("cannot write the report: {e}")))?;
    if folder.exists() {
        std::fs::remove_dir_all(&folder)
            .map_err(|e| fail(format!("cannot update {}: {e}", folder.display())))?;
    }
    staged.keep_as(&folder).map_err(fail)?;
    let warnings = charts.iter().map(|c| c.dropped.len()).sum::<usize>()
        + song_dropped.len()
        + song.refused.len();
    Ok(ImportedLevel {
        folder,
        title: song.title.clone(),
        charts: charts.len(),
        updated,
        report,
        warnings,
    })
}

/// The text of the `level.ron` for `song`, whose audio is `audio` in the level's folder and
/// lasts `audio_length` seconds, and the charts as the level holds them (for the report).
/// Charts left with no note to hit are not written; `None` when none is left.
pub fn level_source(
    song: &ImportedSong,
    audio: &str,
    jacket: Option<&str>,
    audio_length: f64,
) -> Option<(String, Vec<ImportedChart>)> {
    let charts: Vec<ImportedChart> = song
        .charts
        .iter()
        .map(|chart| fitted(chart, &song.tempo, audio_length))
        .filter(|chart| chart.notes.iter().any(|n| n.2 != PlacedKind::Mine))
        .collect();
    if charts.is_empty() {
        return None;
    }
    let text = level_text(song, &charts, audio, jacket, audio_length);
    Some((text, charts))
}

/// `text` fit for a `//` comment: one line, no control characters.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The folder name of a song: its artist and title in lower case, letters and digits only.
pub fn slug_for(song: &ImportedSong) -> String {
    let pick = |latin: &str, own: &str| {
        if latin.trim().is_empty() {
            own.to_string()
        } else {
            latin.to_string()
        }
    };
    let artist = pick(&song.artist_translit, &song.artist);
    let title = pick(&song.title_translit, &song.title);
    let mut slug = String::new();
    for c in format!("{artist} {title}").chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(80).collect();
    if slug.is_empty() {
        "imported-song".into()
    } else {
        slug
    }
}

/// Copies `file` into `folder` under its own name, and returns the name.
fn copy_into(file: &Path, folder: &Path) -> Result<String, String> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} has no file name", file.display()))?;
    // A name with characters a level file would have to escape is kept simple instead.
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_control() || c == '"' || c == '\\' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let meta = std::fs::symlink_metadata(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if !meta.is_file() {
        return Err(format!("{} is not a regular file", file.display()));
    }
    std::fs::copy(file, folder.join(&name))
        .map_err(|e| format!("cannot copy {}: {e}", file.display()))?;
    Ok(name)
}

/// The chart as it fits the level: its notes carried into the song's tempo when it had its
/// own, and notes outside the audio left out. What is left out goes in its list.
fn fitted(chart: &ImportedChart, song_tempo: &Tempo, audio_length: f64) -> ImportedChart {
    let mut chart = chart.clone();
    let song_map = song_tempo.map();
    if let Some(own) = chart.tempo.take() {
        let own_map = own.map();
        let mut lost = 0;
        let carry = |beat: f64| -> Option<f64> {
            let time = own_map.time_at_beat(beat);
            let carried = beat_for_time(&song_map, time);
            ((song_map.time_at_beat(carried) - time).abs() <= CARRY_TOLERANCE).then_some(carried)
        };
        let notes = std::mem::take(&mut chart.notes);
        for (lane, beat, kind) in notes {
            let Some(start) = carry(beat) else {
                lost += 1;
                continue;
            };
            let kind = match kind {
                PlacedKind::Hold { end_beat } => match carry(end_beat) {
                    Some(end_beat) => PlacedKind::Hold { end_beat },
                    None => PlacedKind::Tap,
                },
                PlacedKind::Roll { end_beat } => match carry(end_beat) {
                    Some(end_beat) => PlacedKind::Roll { end_beat },
                    None => PlacedKind::Tap,
                },
                other => other,
            };
            chart.notes.push((lane, start, kind));
        }
        chart.dropped.push(
            "the chart's own timing differs from the song's: its notes are placed by time in the song's tempo map".into(),
        );
        if lost > 0 {
            chart.dropped.push(format!(
                "{lost} notes fall inside a stop of the song's timing and cannot be placed; they are left out"
            ));
        }
    }
    let before = chart.notes.len();
    chart.notes.retain(|(_, beat, kind)| {
        let start = song_map.time_at_beat(*beat);
        let end = song_map.time_at_beat(kind.end_beat(*beat));
        *beat >= 0.0 && start >= 0.0 && end <= audio_length
    });
    let outside = before - chart.notes.len();
    if outside > 0 {
        chart.dropped.push(format!(
            "{outside} notes before the audio starts, before beat 0, or after the audio ends are left out"
        ));
    }
    chart
}

/// The text of `level.ron`.
fn level_text(
    song: &ImportedSong,
    charts: &[ImportedChart],
    audio: &str,
    jacket: Option<&str>,
    audio_length: f64,
) -> String {
    let mut out = String::new();
    let sources: Vec<String> = song
        .sources
        .iter()
        .map(|s| {
            s.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    let _ = writeln!(out, "{IMPORT_MARK} from {}.", comment(&sources.join(", ")));
    let _ = writeln!(
        out,
        "// Importing the song again updates this folder; edit a copy to make it your own."
    );
    let _ = writeln!(
        out,
        "// {REPORT_FILE_NAME} lists what the source had that a level cannot carry."
    );
    let _ = writeln!(out, "(");
    let _ = writeln!(out, "    format: 1,");
    let _ = writeln!(out, "    title: {},", ron_string(&song.title));
    if !song.subtitle.is_empty() {
        let _ = writeln!(out, "    subtitle: {},", ron_string(&song.subtitle));
    }
    let _ = writeln!(out, "    artist: {},", ron_string(&song.artist));
    if !(song.title_translit.is_empty()
        && song.subtitle_translit.is_empty()
        && song.artist_translit.is_empty())
    {
        let _ = writeln!(
            out,
            "    translit: (title: {}, subtitle: {}, artist: {}),",
            ron_string(&song.title_translit),
            ron_string(&song.subtitle_translit),
            ron_string(&song.artist_translit)
        );
    }
    let _ = writeln!(out, "    audio: {},", ron_string(audio));
    if let Some(jacket) = jacket {
        let _ = writeln!(out, "    jacket: Some({}),", ron_string(jacket));
    }
    let (start, length) = song
        .preview
        .filter(|(start, _)| *start < audio_length)
        .unwrap_or((audio_length * 0.3, 15.0));
    let _ = writeln!(
        out,
        "    preview: (start: {}, length: {}),",
        ron_number(start.max(0.0)),
        ron_number(length.clamp(1.0, 60.0))
    );
    write_tempo(&mut out, &song.tempo);
    let _ = writeln!(out, "    charts: [");
    for chart in charts {
        write_chart(&mut out, chart);
    }
    let _ = writeln!(out, "    ],");
    let _ = writeln!(out, ")");
    out
}

fn write_tempo(out: &mut String, tempo: &Tempo) {
    let _ = writeln!(out, "    timing: (");
    let _ = writeln!(out, "        offset: {},", ron_number(tempo.offset));
    let bpms: Vec<String> = tempo
        .bpms
        .iter()
        .map(|b| format!("(beat: {}, bpm: {})", ron_number(b.beat), ron_number(b.bpm)))
        .collect();
    let _ = writeln!(out, "        bpms: [{}],", bpms.join(", "));
    if !tempo.stops.is_empty() {
        let stops: Vec<String> = tempo
            .stops
            .iter()
            .map(|s| {
                format!(
                    "(beat: {}, seconds: {})",
                    ron_number(s.beat),
                    ron_number(s.seconds)
                )
            })
            .collect();
        let _ = writeln!(out, "        stops: [{}],", stops.join(", "));
    }
    if !tempo.delays.is_empty() {
        let delays: Vec<String> = tempo
            .delays
            .iter()
            .map(|d| {
                format!(
                    "(beat: {}, seconds: {})",
                    ron_number(d.beat),
                    ron_number(d.seconds)
                )
            })
            .collect();
        let _ = writeln!(out, "        delays: [{}],", delays.join(", "));
    }
    let _ = writeln!(out, "    ),");
}

fn write_chart(out: &mut String, chart: &ImportedChart) {
    let (gridded, mut loose): (Vec<_>, Vec<_>) = chart
        .notes
        .iter()
        .copied()
        .partition(|(_, beat, kind)| on_grid(*beat) && on_grid(kind.end_beat(*beat)));
    let rows = measures(chart.lanes, &gridded);
    if rows.is_none() {
        loose.extend(gridded.iter().copied());
    }
    let _ = writeln!(out, "        // From {}.", comment(&chart.source));
    let _ = writeln!(out, "        (");
    let _ = writeln!(
        out,
        "            difficulty: {},",
        ron_string(&chart.difficulty)
    );
    let _ = writeln!(out, "            meter: {},", chart.meter);
    let _ = writeln!(out, "            lanes: {},", chart.lanes);
    if !chart.author.trim().is_empty() {
        let _ = writeln!(
            out,
            "            author: {},",
            ron_string(chart.author.trim())
        );
    }
    if let Some(rows) = rows
        && !gridded.is_empty()
    {
        let _ = writeln!(out, "            measures: [");
        for (m, measure) in rows.iter().enumerate() {
            let _ = writeln!(
                out,
                "                {}, // {}",
                measure_ron(measure),
                m + 1
            );
        }
        let _ = writeln!(out, "            ],");
    }
    if !loose.is_empty() {
        loose.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let _ = writeln!(
            out,
            "            // Notes off the 192nd grid, at their exact beats."
        );
        let _ = writeln!(out, "            notes: [");
        for (lane, beat, kind) in loose {
            let kind = match kind {
                PlacedKind::Tap => "Tap".to_string(),
                PlacedKind::Mine => "Mine".to_string(),
                PlacedKind::Hold { end_beat } => {
                    format!("Hold(length: {})", ron_number(end_beat - beat))
                }
                PlacedKind::Roll { end_beat } => {
                    format!("Roll(length: {})", ron_number(end_beat - beat))
                }
            };
            let _ = writeln!(
                out,
                "                (beat: {}, lane: {lane}, kind: {kind}),",
                ron_number(beat)
            );
        }
        let _ = writeln!(out, "            ],");
    }
    let _ = writeln!(out, "        ),");
}

/// The report: the song, then per chart what was left out, then the charts not imported.
fn report_text(song: &ImportedSong, charts: &[ImportedChart], song_dropped: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Import report for \"{}\" by {}",
        song.title, song.artist
    );
    for source in &song.sources {
        let _ = writeln!(out, "Source: {}", source.display());
    }
    let _ = writeln!(out);
    if !song_dropped.is_empty() {
        let _ = writeln!(out, "The song:");
        for line in song_dropped {
            let _ = writeln!(out, "  - {line}");
        }
    }
    for chart in charts {
        let _ = writeln!(
            out,
            "Chart \"{}\", from {}:",
            chart.difficulty, chart.source
        );
        if chart.dropped.is_empty() {
            let _ = writeln!(out, "  - imported whole");
        }
        for line in &chart.dropped {
            let _ = writeln!(out, "  - {line}");
        }
    }
    if !song.refused.is_empty() {
        let _ = writeln!(out, "Not imported:");
        for line in &song.refused {
            let _ = writeln!(out, "  - {line}");
        }
    }
    out
}
