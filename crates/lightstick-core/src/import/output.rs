//! An imported song written out as a level folder: the audio and jacket copied, `level.ron`
//! written as a level maker writes one, checked by the level loader before it replaces
//! anything, and the report of what was left out beside it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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

/// The line of an imported level's report that lists the files the import wrote, so that a
/// re-import removes only those of them it no longer writes and keeps the player's own.
const WRITTEN_LINE: &str = "Files written by the import: ";

/// Where one song goes: its folder in the output, and whether an earlier import of the same
/// song is there to update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub folder: PathBuf,
    pub updated: bool,
}

/// Which song an imported level came from: the names of its folder's folder and its folder (or
/// of the archive's folder and the archive), and of its chart files. The same song imported
/// again from anywhere with the same layout finds its folder; two songs that share an artist and
/// title do not share one.
pub fn identity_of(origin: &Path, song: &ImportedSong) -> String {
    let name = |p: &Path| {
        p.file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned())
    };
    let outer = origin.parent().map(name).unwrap_or_default();
    let mut files: Vec<String> = song.sources.iter().map(|s| name(s)).collect();
    files.sort();
    comment(&format!("{outer}/{}: {}", name(origin), files.join(", ")))
}

/// The identity in the first line of an imported `level.ron`, if it is one.
fn mark_of(text: &str) -> Option<&str> {
    let first = text.lines().next()?;
    let rest = first.strip_prefix(IMPORT_MARK)?;
    Some(
        rest.trim()
            .trim_start_matches("from ")
            .trim_end_matches('.'),
    )
}

/// Whether a mark names `identity`. Imports before identities named only the chart files:
/// those still match the song with the same files.
fn mark_matches(mark: &str, identity: &str) -> bool {
    mark == identity
        || (!mark.contains(": ")
            && identity
                .split_once(": ")
                .is_some_and(|(_, files)| files == mark))
}

/// Chooses a folder for each song of one import run, one after another in the order of their
/// identities, so the same input gives the same folders every run, whichever song's files are
/// read first.
pub struct FolderPlan {
    out: PathBuf,
    /// The folders in the output by name, each with the mark of the level in it if it was
    /// imported, and whether it holds a level at all. Sorted, so a slug's folders are a range.
    existing: std::collections::BTreeMap<String, (Option<String>, bool)>,
    claimed: std::collections::HashSet<String>,
}

/// The first line of the level in `folder`, if it has one: all a plan needs to know of it.
fn first_line_of_level(folder: &Path) -> Option<String> {
    use std::io::{BufRead, Read};
    let file = std::fs::File::open(folder.join(LEVEL_FILE_NAME)).ok()?;
    let mut line = String::new();
    // A line of a mark is short; a level whose first line is not stops being read here.
    std::io::BufReader::new(file)
        .take(4096)
        .read_line(&mut line)
        .ok()?;
    Some(line)
}

impl FolderPlan {
    /// The plan for `out`, as its folders are now.
    pub fn new(out: &Path) -> Self {
        let existing = std::fs::read_dir(out)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| {
                let first = first_line_of_level(&entry.path());
                let mark = first.as_deref().and_then(mark_of).map(String::from);
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, (mark, first.is_some()))
            })
            .collect();
        Self {
            out: out.to_path_buf(),
            existing,
            claimed: Default::default(),
        }
    }

    /// The folder for a song of `slug` and `identity`: the folder of its earlier import, or the
    /// slug, or the slug with the first free number after it (`slug-2`). A level written by hand
    /// under the slug is replaced only with [`Overwrite::HandWritten`].
    pub fn assign(
        &mut self,
        slug: &str,
        identity: &str,
        overwrite: Overwrite,
    ) -> Result<Target, String> {
        let is_candidate = |name: &str| {
            name == slug
                || name
                    .strip_prefix(slug)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        let earlier = self
            .existing
            .range::<str, _>((std::ops::Bound::Included(slug), std::ops::Bound::Unbounded))
            .take_while(|(name, _)| name.starts_with(slug))
            .find(|(name, (mark, _))| {
                is_candidate(name)
                    && !self.claimed.contains(*name)
                    && mark.as_deref().is_some_and(|m| mark_matches(m, identity))
            });
        if let Some((name, _)) = earlier {
            let name = name.clone();
            return Ok(self.claim(name, true));
        }
        for n in 1..=999 {
            let name = if n == 1 {
                slug.to_string()
            } else {
                format!("{slug}-{n}")
            };
            if self.claimed.contains(&name) {
                continue;
            }
            match self.existing.get(&name) {
                None => return Ok(self.claim(name, false)),
                Some((None, true)) if n == 1 => {
                    if overwrite == Overwrite::HandWritten {
                        return Ok(self.claim(name, true));
                    }
                    return Err(format!(
                        "{} holds a level that was not imported; it is left alone (pass --force to replace it)",
                        self.out.join(&name).display()
                    ));
                }
                Some(_) => {}
            }
        }
        Err(format!(
            "{} holds 999 other songs named `{slug}` already",
            self.out.display()
        ))
    }

    fn claim(&mut self, name: String, updated: bool) -> Target {
        self.claimed.insert(name.clone());
        Target {
            folder: self.out.join(name),
            updated,
        }
    }
}

/// Writes `song` as a level into `target`, or says why it cannot be. `identity` goes in the
/// level's first line, for the next import to find it.
pub fn write_level(
    song: &ImportedSong,
    out: &Path,
    target: &Target,
    identity: &str,
) -> Result<ImportedLevel, Diagnostic> {
    let source = song.sources.first().cloned().unwrap_or_default();
    let fail = |why: String| Diagnostic::error(&source, None, why);
    let audio = playable_audio(song).map_err(fail)?;
    let audio_length = crate::audio_file::probe_length(audio).map_err(|why| {
        Diagnostic::error(
            audio,
            None,
            format!("the song's audio cannot be played: {why}"),
        )
    })?;
    let folder = &target.folder;
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
        identity,
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
        // The staging folder is gone by the time anyone reads this: name the level file.
        let errors: Vec<String> = loaded
            .errors()
            .map(|d| {
                let mut named = d.clone();
                named.file = PathBuf::from(LEVEL_FILE_NAME);
                named.to_string()
            })
            .collect();
        return Err(fail(format!(
            "the level made from it does not pass its checks: {}",
            errors.join("; ")
        )));
    }
    // The level goes last, so a folder caught half-written still holds the earlier level.
    let mut written = vec![audio_name];
    written.extend(jacket_name);
    written.push(REPORT_FILE_NAME.to_string());
    written.push(LEVEL_FILE_NAME.to_string());
    let mut report = report_text(song, &charts, &song_dropped);
    let _ = writeln!(report, "\n{WRITTEN_LINE}{}", written.join(", "));
    std::fs::write(staged.path().join(REPORT_FILE_NAME), &report)
        .map_err(|e| fail(format!("cannot write the report: {e}")))?;
    if folder.is_dir() {
        update_in_place(staged.path(), folder, &written).map_err(fail)?;
    } else {
        staged.keep_as(folder).map_err(fail)?;
    }
    let warnings = charts.iter().map(|c| c.dropped.len()).sum::<usize>()
        + song_dropped.len()
        + song.refused.len();
    Ok(ImportedLevel {
        folder: folder.clone(),
        title: song.title.clone(),
        charts: charts.len(),
        updated: target.updated,
        report,
        warnings,
    })
}

/// The audio to copy, or why the song cannot be written at all.
pub(super) fn playable_audio(song: &ImportedSong) -> Result<&Path, String> {
    if song.charts.is_empty() {
        return Err(if song.refused.is_empty() {
            "no chart could be imported".to_string()
        } else {
            format!("no chart could be imported: {}", song.refused.join("; "))
        });
    }
    song.audio.as_deref().ok_or_else(|| {
        if song.audio_named.trim().is_empty() {
            "the song names no audio file and its folder has none, so it cannot be played".into()
        } else {
            format!(
                "the song's audio file `{}` is not in its folder, so it cannot be played",
                song.audio_named.trim()
            )
        }
    })
}

/// Moves the files in `staged` named in `written` into `folder`, over the earlier import's,
/// then removes what the earlier import wrote and this one did not. Every other file in the
/// folder is the player's, and stays.
fn update_in_place(staged: &Path, folder: &Path, written: &[String]) -> Result<(), String> {
    let earlier = std::fs::read_to_string(folder.join(REPORT_FILE_NAME))
        .ok()
        .and_then(|report| {
            report
                .lines()
                .find_map(|l| l.strip_prefix(WRITTEN_LINE))
                .map(|names| names.split(", ").map(String::from).collect::<Vec<_>>())
        })
        .unwrap_or_default();
    for name in written {
        let target = folder.join(name);
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            return Err(format!(
                "cannot update {}: `{name}` there is a folder",
                folder.display()
            ));
        }
        std::fs::rename(staged.join(name), &target)
            .map_err(|e| format!("cannot update {}: {e}", folder.display()))?;
    }
    for stale in earlier.iter().filter(|n| !written.contains(n)) {
        // Only plain names the earlier import wrote: a report edited to name more is not obeyed.
        if !stale.contains(['/', '\\']) && stale != ".." && !stale.is_empty() {
            let path = folder.join(stale);
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    Ok(())
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
    let identity = song
        .sources
        .first()
        .and_then(|s| s.parent())
        .map(|origin| identity_of(origin, song))
        .unwrap_or_default();
    let text = level_text(song, &identity, &charts, audio, jacket, audio_length);
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
    identity: &str,
    charts: &[ImportedChart],
    audio: &str,
    jacket: Option<&str>,
    audio_length: f64,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{IMPORT_MARK} from {}.", comment(identity));
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
