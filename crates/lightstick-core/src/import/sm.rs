//! StepMania's `.sm` and `.ssc` simfiles, read as StepMania 5 reads them, into an
//! [`ImportedSong`].
//!
//! StepMania keeps every note and timing change on a grid of 48 rows a beat, so beats are
//! rounded to it here too: a note written at 1/7 of a measure lands where StepMania plays it.

use std::path::{Path, PathBuf};

use super::msd::{self, Tag};
use super::song::{ImportedChart, ImportedSong, Tempo, level_meter, remove_overlaps};
use crate::chart::{MAX_LANES, PlacedKind};
use crate::diagnostic::Diagnostic;
use crate::level::MAX_NOTES_PER_CHART;
use crate::level::load::MAX_BEAT;
use crate::timing::{BpmChange, Delay, Stop};

/// StepMania's rows per beat: every beat in a simfile is rounded to one.
const ROWS_PER_BEAT: f64 = 48.0;
/// No tempo in a simfile is taken past this (the level format's own limit).
const MAX_BPM: f64 = 10_000.0;
/// A stop or delay longer than this is a broken file, not music.
const MAX_PAUSE: f64 = 3600.0;

/// The lane count of each play style imported; other styles are listed as not imported.
fn lanes_of(style: &str) -> Option<u8> {
    match style.trim().to_ascii_lowercase().as_str() {
        "dance-single" => Some(4),
        "dance-solo" => Some(6),
        "dance-double" => Some(8),
        _ => None,
    }
}

fn snap(beat: f64) -> f64 {
    (beat * ROWS_PER_BEAT).round() / ROWS_PER_BEAT
}

/// The tags of a simfile that matter to timing, song-wide or in one `.ssc` chart.
#[derive(Clone, Debug, Default)]
struct TimingTags {
    offset: Option<String>,
    bpms: Option<String>,
    stops: Option<String>,
    delays: Option<String>,
    warps: Option<String>,
    speeds: Option<String>,
    scrolls: Option<String>,
    fakes: Option<String>,
    /// Where each tag was, for messages: (tag, line).
    lines: Vec<(String, usize)>,
}

impl TimingTags {
    /// Takes `tag` if it is a timing tag.
    fn take(&mut self, tag: &Tag) -> bool {
        let value = Some(tag.params.join(":"));
        match tag.name.as_str() {
            "OFFSET" => self.offset = value,
            "BPMS" => self.bpms = value,
            // `.sm` files of old called stops FREEZES.
            "STOPS" | "FREEZES" => self.stops = value,
            "DELAYS" => self.delays = value,
            "WARPS" => self.warps = value,
            "SPEEDS" => self.speeds = value,
            "SCROLLS" => self.scrolls = value,
            "FAKES" => self.fakes = value,
            _ => return false,
        }
        self.lines.push((tag.name.clone(), tag.line));
        true
    }

    fn any(&self) -> bool {
        self.offset.is_some()
            || self.bpms.is_some()
            || self.stops.is_some()
            || self.delays.is_some()
            || self.warps.is_some()
    }

    fn line_of(&self, name: &str) -> Option<usize> {
        self.lines.iter().find(|(n, _)| n == name).map(|(_, l)| *l)
    }

    /// This chart's tags over the song's: what the chart gives replaces the song's.
    fn over(&self, song: &TimingTags) -> TimingTags {
        let pick = |mine: &Option<String>, theirs: &Option<String>| mine.clone().or(theirs.clone());
        let mut lines = self.lines.clone();
        lines.extend(song.lines.iter().cloned());
        TimingTags {
            offset: pick(&self.offset, &song.offset),
            bpms: pick(&self.bpms, &song.bpms),
            stops: pick(&self.stops, &song.stops),
            delays: pick(&self.delays, &song.delays),
            warps: pick(&self.warps, &song.warps),
            speeds: pick(&self.speeds, &song.speeds),
            scrolls: pick(&self.scrolls, &song.scrolls),
            fakes: pick(&self.fakes, &song.fakes),
            lines,
        }
    }
}

/// A number as StepMania reads one: surrounding blanks ignored. Anything that is not a finite
/// number is refused.
fn number(text: &str) -> Option<f64> {
    let value: f64 = text.trim().parse().ok()?;
    value.is_finite().then_some(value)
}

/// `beat=value,beat=value`, the shape of BPMS, STOPS, DELAYS and WARPS. Extra `=` fields
/// (SPEEDS, SCROLLS) are ignored here.
fn pairs(text: &str) -> Result<Vec<(f64, f64)>, String> {
    let mut out = Vec::new();
    for entry in text.split(',') {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        let mut fields = entry.split('=');
        let (Some(beat), Some(value)) = (fields.next(), fields.next()) else {
            return Err(format!("`{entry}` is not beat=value"));
        };
        let (Some(beat), Some(value)) = (number(beat), number(value)) else {
            return Err(format!("`{entry}` holds something that is not a number"));
        };
        if !(-MAX_BEAT..=MAX_BEAT).contains(&beat) {
            return Err(format!("beat {beat} in `{entry}` is beyond any song"));
        }
        out.push((snap(beat), value));
    }
    Ok(out)
}

/// Whether SPEEDS or SCROLLS change anything: every entry at a factor of 1.
fn changes_speed(text: &str) -> bool {
    text.split(',').any(|entry| {
        entry
            .split('=')
            .nth(1)
            .and_then(number)
            .is_some_and(|factor| (factor - 1.0).abs() > 1e-9)
    })
}

/// The tempo of `tags` in the level's terms, or why the chart cannot be played as written.
/// `dropped` gets what is left out.
fn tempo_of(tags: &TimingTags, dropped: &mut Vec<String>) -> Result<(Tempo, FakeSegments), String> {
    let at = |name: &str| {
        tags.line_of(name)
            .map_or(String::new(), |l| format!(" (line {l})"))
    };
    let offset = match &tags.offset {
        Some(text) => {
            number(text).ok_or_else(|| format!("#OFFSET{} is not a number", at("OFFSET")))?
        }
        None => 0.0,
    };
    if offset.abs() > MAX_PAUSE {
        return Err(format!(
            "#OFFSET{} of {offset} s is beyond any song",
            at("OFFSET")
        ));
    }
    let bpm_text = tags
        .bpms
        .as_deref()
        .ok_or_else(|| "the simfile has no #BPMS".to_string())?;
    let mut bpms: Vec<BpmChange> = Vec::new();
    for (beat, bpm) in pairs(bpm_text).map_err(|e| format!("#BPMS{}: {e}", at("BPMS")))? {
        if bpm <= 0.0 {
            // Negative and zero tempos are how old files skip beats; nothing can play them.
            return Err(format!(
                "#BPMS{} has a tempo of {bpm} at beat {beat}: tempos of 0 or less (old-style warps) cannot be played",
                at("BPMS")
            ));
        }
        if bpm > MAX_BPM {
            return Err(format!(
                "#BPMS{} has a tempo of {bpm} at beat {beat}: above {MAX_BPM}, a warp in disguise",
                at("BPMS")
            ));
        }
        match bpms.last_mut() {
            Some(last) if last.beat == beat => last.bpm = bpm,
            _ => bpms.push(BpmChange { beat, bpm }),
        }
    }
    bpms.sort_by(|a, b| a.beat.total_cmp(&b.beat));
    bpms.dedup_by(|later, earlier| {
        if later.beat == earlier.beat {
            earlier.bpm = later.bpm;
            true
        } else {
            false
        }
    });
    if bpms.is_empty() {
        return Err(format!("#BPMS{} is empty", at("BPMS")));
    }
    // StepMania plays the tempo in force at beat 0 from the song's start, wherever the first
    // is written.
    let start = bpms
        .iter()
        .rev()
        .find(|b| b.beat <= 0.0)
        .unwrap_or(&bpms[0])
        .bpm;
    bpms.retain(|b| b.beat > 0.0);
    bpms.insert(
        0,
        BpmChange {
            beat: 0.0,
            bpm: start,
        },
    );
    let pauses = |name: &str, text: &Option<String>| -> Result<Vec<(f64, f64)>, String> {
        let Some(text) = text else {
            return Ok(Vec::new());
        };
        let mut out: Vec<(f64, f64)> = Vec::new();
        for (beat, seconds) in pairs(text).map_err(|e| format!("#{name}{}: {e}", at(name)))? {
            if seconds < 0.0 {
                return Err(format!(
                    "#{name}{} has a negative pause of {seconds} s at beat {beat}: old-style warps cannot be played",
                    at(name)
                ));
            }
            if seconds > MAX_PAUSE || beat < 0.0 {
                return Err(format!(
                    "#{name}{} has a pause of {seconds} s at beat {beat}, beyond any song",
                    at(name)
                ));
            }
            if seconds == 0.0 {
                continue;
            }
            out.push((beat, seconds));
        }
        // Pauses on one beat add up. Sorted first, so each is merged with its neighbour: a
        // search among the earlier ones made a million pauses take minutes.
        out.sort_by(|a, b| a.0.total_cmp(&b.0));
        out.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                earlier.1 += later.1;
            }
            same
        });
        Ok(out)
    };
    let stops = pauses("STOPS", &tags.stops)?;
    let delays = pauses("DELAYS", &tags.delays)?;
    let warps: Vec<(f64, f64)> = match &tags.warps {
        Some(text) => pairs(text)
            .map_err(|e| format!("#WARPS{}: {e}", at("WARPS")))?
            .into_iter()
            .filter(|(_, length)| *length > 0.0)
            .collect(),
        None => Vec::new(),
    };
    if !warps.is_empty() {
        return Err(format!(
            "the chart warps ({} warps, the first at beat {}): a level cannot skip beats",
            warps.len(),
            warps[0].0
        ));
    }
    if tags.speeds.as_deref().is_some_and(changes_speed) {
        dropped.push("speed changes (#SPEEDS) are left out: notes scroll at one speed".into());
    }
    if tags.scrolls.as_deref().is_some_and(changes_speed) {
        dropped.push("scroll changes (#SCROLLS) are left out: notes scroll at one speed".into());
    }
    let fakes = match &tags.fakes {
        Some(text) => FakeSegments::new(
            pairs(text)
                .map_err(|e| format!("#FAKES{}: {e}", at("FAKES")))?
                .into_iter()
                .filter(|(_, length)| *length > 0.0)
                .collect(),
        ),
        None => FakeSegments::default(),
    };
    Ok((
        Tempo {
            // StepMania's offset is how far into the audio beat 0 is, negated.
            offset: -offset,
            bpms,
            stops: stops
                .into_iter()
                .map(|(beat, seconds)| Stop { beat, seconds })
                .collect(),
            delays: delays
                .into_iter()
                .map(|(beat, seconds)| Delay { beat, seconds })
                .collect(),
        },
        fakes,
    ))
}

/// The stretches of `#FAKES`, as (start, end) beats merged where they overlap and sorted, so
/// that whether a row is inside one is a binary search rather than a look at every segment.
#[derive(Clone, Debug, Default)]
struct FakeSegments {
    spans: Vec<(f64, f64)>,
}

impl FakeSegments {
    /// From (start, length) pairs.
    fn new(mut segments: Vec<(f64, f64)>) -> Self {
        segments.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut spans: Vec<(f64, f64)> = Vec::with_capacity(segments.len());
        for (start, length) in segments {
            let end = start + length;
            match spans.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => spans.push((start, end)),
            }
        }
        Self { spans }
    }

    /// Whether `beat` is inside a segment: from its start, up to but not at its end.
    fn contain(&self, beat: f64) -> bool {
        let after = self
            .spans
            .partition_point(|(start, _)| *start - 1e-9 <= beat);
        after > 0 && beat < self.spans[after - 1].1 - 1e-9
    }
}

/// What the note data of one chart holds besides its notes.
#[derive(Default)]
struct NoteCounts {
    lifts: usize,
    fakes: usize,
    keysounds: usize,
    attacks: usize,
    unknown: usize,
    open_holds: usize,
    lone_tails: usize,
    in_fake_segments: usize,
}

/// The notes of a chart's note data, on StepMania's grid: (lane, beat, kind).
fn read_notes(
    data: &str,
    lanes: u8,
    fakes: &FakeSegments,
    counts: &mut NoteCounts,
) -> Result<Vec<(u8, f64, PlacedKind)>, String> {
    let mut notes = Vec::new();
    let mut open: Vec<Option<(f64, bool)>> = vec![None; lanes as usize];
    for (m, measure) in data.split(',').enumerate() {
        let rows: Vec<&str> = measure
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        // A `&` ends the note data of one player in routine charts; the rest is not ours.
        if rows.iter().any(|r| r.starts_with('&')) {
            return Err("routine charts (`&` in the note data) are not imported".into());
        }
        for (r, text) in rows.iter().enumerate() {
            let beat = snap(4.0 * (m as f64 + r as f64 / rows.len() as f64));
            if beat > MAX_BEAT {
                return Err(format!("measure {} lies beyond any song", m + 1));
            }
            let mut lane = 0usize;
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                // Keysound indices `[n]` and attack or quantity marks `{…}` follow a note.
                if c == '[' || c == '{' {
                    let close = if c == '[' { ']' } else { '}' };
                    for inner in chars.by_ref() {
                        if inner == close {
                            break;
                        }
                    }
                    if c == '[' {
                        counts.keysounds += 1;
                    } else {
                        counts.attacks += 1;
                    }
                    continue;
                }
                if lane >= lanes as usize {
                    return Err(format!(
                        "measure {}, row {} (`{text}`) has more than {lanes} columns",
                        m + 1,
                        r + 1
                    ));
                }
                let l = lane as u8;
                lane += 1;
                if c != '0' && c != '3' && fakes.contain(beat) {
                    counts.in_fake_segments += 1;
                    continue;
                }
                match c {
                    '0' => {}
                    '1' => notes.push((l, beat, PlacedKind::Tap)),
                    '2' | '4' => {
                        if open[l as usize].is_some() {
                            counts.open_holds += 1;
                        }
                        open[l as usize] = Some((beat, c == '4'));
                    }
                    '3' => match open[l as usize].take() {
                        Some((head, roll)) => notes.push((
                            l,
                            head,
                            if roll {
                                PlacedKind::Roll { end_beat: beat }
                            } else {
                                PlacedKind::Hold { end_beat: beat }
                            },
                        )),
                        None => counts.lone_tails += 1,
                    },
                    'M' | 'm' => notes.push((l, beat, PlacedKind::Mine)),
                    'L' | 'l' => counts.lifts += 1,
                    'F' | 'f' => counts.fakes += 1,
                    'K' | 'k' => counts.keysounds += 1,
                    _ => counts.unknown += 1,
                }
                if notes.len() > MAX_NOTES_PER_CHART {
                    return Err(format!(
                        "the chart has over {MAX_NOTES_PER_CHART} notes, the most a level holds"
                    ));
                }
            }
            if lane < lanes as usize {
                return Err(format!(
                    "measure {}, row {} (`{text}`) has {lane} columns where the chart has {lanes}",
                    m + 1,
                    r + 1
                ));
            }
        }
    }
    // A hold with no tail plays as a tap in StepMania.
    for (l, head) in open.into_iter().enumerate() {
        if let Some((beat, _)) = head {
            counts.open_holds += 1;
            notes.push((l as u8, beat, PlacedKind::Tap));
        }
    }
    Ok(notes)
}

fn describe(counts: &NoteCounts, dropped: &mut Vec<String>) {
    let mut note = |n: usize, what: &str| {
        if n > 0 {
            dropped.push(format!("{n} {what}"));
        }
    };
    note(
        counts.lifts,
        "lifts (`L`) are left out: a level has no release notes",
    );
    note(
        counts.fakes,
        "fake notes (`F`) are left out: they are never judged",
    );
    note(
        counts.in_fake_segments,
        "notes in #FAKES segments are left out: they are never judged",
    );
    note(
        counts.keysounds,
        "keysounds are left out: the level plays one audio file",
    );
    note(
        counts.attacks,
        "attacks on notes are left out: a level has no modifiers in its notes",
    );
    note(
        counts.unknown,
        "note characters StepMania does not know are left out",
    );
    note(
        counts.open_holds,
        "holds without a tail became taps, as StepMania plays them",
    );
    note(counts.lone_tails, "hold tails without a head are left out");
}

/// Song-wide tags.
#[derive(Default)]
struct SongTags {
    title: String,
    subtitle: String,
    artist: String,
    title_translit: String,
    subtitle_translit: String,
    artist_translit: String,
    credit: String,
    music: String,
    jacket: String,
    background: String,
    banner: String,
    sample_start: Option<f64>,
    sample_length: Option<f64>,
    timing: TimingTags,
    others: Vec<String>,
}

/// One chart's tags (`.ssc` chart sections, or one `.sm` `#NOTES`).
#[derive(Default)]
struct ChartTags {
    style: String,
    description: String,
    difficulty: String,
    meter: String,
    credit: String,
    notes: String,
    line: usize,
    timing: TimingTags,
}

/// Reads the simfile `path` whose text is `text`. Only a file with nothing to import is an
/// error; charts that cannot be imported are listed in the song's `refused`.
pub fn read(path: &Path, text: &str) -> Result<ImportedSong, Diagnostic> {
    let tags = msd::parse(text);
    let is_ssc = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ssc"));
    let mut song = SongTags::default();
    let mut charts: Vec<ChartTags> = Vec::new();
    for tag in &tags {
        let value = tag.value().to_string();
        let text = tag.text();
        // In a `.ssc`, everything after the first #NOTEDATA belongs to a chart.
        if is_ssc && tag.name == "NOTEDATA" {
            charts.push(ChartTags {
                line: tag.line,
                ..ChartTags::default()
            });
            continue;
        }
        if let Some(chart) = charts.last_mut().filter(|_| is_ssc) {
            match tag.name.as_str() {
                "STEPSTYPE" => chart.style = value,
                "DESCRIPTION" | "CHARTNAME" if chart.description.is_empty() => {
                    chart.description = value
                }
                "DIFFICULTY" => chart.difficulty = value,
                "METER" => chart.meter = value,
                "CREDIT" => chart.credit = value,
                "NOTES" | "NOTES2" => chart.notes = tag.params.join(":"),
                _ => {
                    chart.timing.take(tag);
                }
            }
            continue;
        }
        match tag.name.as_str() {
            "TITLE" => song.title = text,
            "SUBTITLE" => song.subtitle = text,
            "ARTIST" => song.artist = text,
            "TITLETRANSLIT" => song.title_translit = text,
            "SUBTITLETRANSLIT" => song.subtitle_translit = text,
            "ARTISTTRANSLIT" => song.artist_translit = text,
            "CREDIT" => song.credit = text,
            "MUSIC" => song.music = text,
            "JACKET" => song.jacket = text,
            "BACKGROUND" => song.background = text,
            "BANNER" => song.banner = text,
            "SAMPLESTART" => song.sample_start = number(&value),
            "SAMPLELENGTH" => song.sample_length = number(&value),
            "NOTES" if !is_ssc => {
                // #NOTES:style:description:difficulty:meter:radar:data;
                let p = &tag.params;
                let field = |i: usize| p.get(i).map_or(String::new(), |s| s.trim().to_string());
                charts.push(ChartTags {
                    style: field(0),
                    description: field(1),
                    difficulty: field(2),
                    meter: field(3),
                    notes: p.last().cloned().unwrap_or_default(),
                    line: tag.line,
                    ..ChartTags::default()
                });
            }
            "ATTACKS" if !value.is_empty() => {
                song.others.push("attacks (#ATTACKS) are left out".into())
            }
            "KEYSOUNDS" if !value.is_empty() => song
                .others
                .push("keysounds (#KEYSOUNDS) are left out".into()),
            "BGCHANGES" | "FGCHANGES" if !value.is_empty() => song.others.push(format!(
                "background changes (#{}) are left out: the stage is drawn by the game",
                tag.name
            )),
            _ => {
                song.timing.take(tag);
            }
        }
    }
    if charts.is_empty() {
        return Err(Diagnostic::error(
            path,
            None,
            "the simfile has no charts (#NOTES)",
        ));
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let mut imported = ImportedSong {
        sources: vec![path.to_path_buf()],
        title: song.title.clone(),
        subtitle: song.subtitle.clone(),
        artist: song.artist.clone(),
        title_translit: song.title_translit.clone(),
        subtitle_translit: song.subtitle_translit.clone(),
        artist_translit: song.artist_translit.clone(),
        credit: song.credit.clone(),
        audio: find_audio(folder, &song.music),
        audio_named: song.music.clone(),
        jacket: [&song.jacket, &song.background, &song.banner]
            .into_iter()
            .find_map(|name| existing_image(folder, name)),
        preview: song.sample_start.filter(|s| *s >= 0.0).map(|start| {
            (
                start,
                song.sample_length.filter(|l| *l > 0.0).unwrap_or(12.0),
            )
        }),
        dropped: song.others.clone(),
        ..ImportedSong::default()
    };
    if imported.title.trim().is_empty() {
        imported.title = folder
            .file_name()
            .map_or("Untitled".into(), |n| n.to_string_lossy().into_owned());
    }
    let mut song_tempo: Option<Tempo> = None;
    let mut song_dropped = Vec::new();
    let song_timing = tempo_of(&song.timing, &mut song_dropped);
    for chart in charts {
        let label = format!(
            "{} {} {} (line {} of {file_name})",
            chart.style,
            if chart.description.is_empty() {
                chart.difficulty.clone()
            } else {
                format!("{} \"{}\"", chart.difficulty, chart.description)
            },
            chart.meter,
            chart.line
        );
        let Some(lanes) = lanes_of(&chart.style) else {
            imported.refused.push(format!(
                "{label}: the style `{}` is not imported; Lightstick plays dance-single (4 lanes), dance-solo (6) and dance-double (8)",
                chart.style
            ));
            continue;
        };
        debug_assert!(lanes <= MAX_LANES);
        let mut dropped = Vec::new();
        let own = is_ssc && chart.timing.any();
        let timing = if own {
            tempo_of(&chart.timing.over(&song.timing), &mut dropped)
        } else {
            dropped.extend(song_dropped.iter().cloned());
            song_timing.clone()
        };
        let (tempo, fakes) = match timing {
            Ok(t) => t,
            Err(why) => {
                imported.refused.push(format!("{label}: {why}"));
                continue;
            }
        };
        let mut counts = NoteCounts::default();
        let mut notes = match read_notes(&chart.notes, lanes, &fakes, &mut counts) {
            Ok(notes) => notes,
            Err(why) => {
                imported.refused.push(format!("{label}: {why}"));
                continue;
            }
        };
        describe(&counts, &mut dropped);
        remove_overlaps(&mut notes, &mut dropped);
        if notes.iter().all(|n| n.2 == PlacedKind::Mine) {
            imported
                .refused
                .push(format!("{label}: the chart has no notes to hit"));
            continue;
        }
        let meter = chart
            .meter
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|m| m.is_finite())
            .map_or(1, |m| m.round().clamp(-1e9, 1e9) as i64);
        let meter = level_meter(meter, &mut dropped);
        let difficulty = difficulty_name(&chart.difficulty, &chart.description, lanes);
        let chart_tempo = if own {
            Some(tempo)
        } else {
            if song_tempo.is_none() {
                song_tempo = Some(tempo);
            }
            None
        };
        imported.charts.push(ImportedChart {
            difficulty,
            meter,
            lanes,
            author: if chart.credit.is_empty() {
                song.credit.clone()
            } else {
                chart.credit.clone()
            },
            notes,
            tempo: chart_tempo,
            source: label,
            dropped,
        });
    }
    // The song's tempo is the charts' own when no chart uses the song's.
    imported.tempo = match song_tempo {
        Some(tempo) => tempo,
        None => match imported.charts.iter_mut().find_map(|c| c.tempo.take()) {
            Some(tempo) => tempo,
            None => song_timing.map(|t| t.0).unwrap_or_else(|_| Tempo {
                offset: 0.0,
                bpms: vec![BpmChange {
                    beat: 0.0,
                    bpm: 120.0,
                }],
                ..Tempo::default()
            }),
        },
    };
    // A chart whose own timing is the song's needs no timing of its own.
    for chart in &mut imported.charts {
        if chart.tempo.as_ref() == Some(&imported.tempo) {
            chart.tempo = None;
        }
    }
    imported.make_names_unique();
    Ok(imported)
}

/// The level's name for a chart: StepMania's difficulty, its description for edits, and the
/// style when it is not dance-single.
fn difficulty_name(difficulty: &str, description: &str, lanes: u8) -> String {
    let base = match difficulty.trim().to_ascii_lowercase().as_str() {
        "beginner" => "Beginner".to_string(),
        "easy" | "basic" | "light" => "Easy".to_string(),
        "medium" | "another" | "trick" | "standard" | "difficult" => "Medium".to_string(),
        "hard" | "ssr" | "maniac" | "heavy" => "Hard".to_string(),
        "challenge" | "smaniac" | "expert" | "oni" => "Challenge".to_string(),
        "edit" if !description.trim().is_empty() => description.trim().to_string(),
        "" => "Edit".to_string(),
        other => {
            let mut chars = other.chars();
            chars.next().map_or(String::new(), |c| {
                c.to_uppercase().collect::<String>() + chars.as_str()
            })
        }
    };
    match lanes {
        6 => format!("{base} (Solo)"),
        8 => format!("{base} (Double)"),
        _ => base,
    }
}

/// The song's audio: `#MUSIC` when it names a file there, else the first audio file of the
/// folder, as StepMania looks for one.
fn find_audio(folder: &Path, music: &str) -> Option<PathBuf> {
    if let Some(path) = inside(folder, music)
        && path.is_file()
    {
        return Some(path);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && super::is_audio(p))
        .collect();
    found.sort();
    found.into_iter().next()
}

/// `name` in `folder`, if it names a file there and does not climb out of it.
pub(super) fn inside(folder: &Path, name: &str) -> Option<PathBuf> {
    let name = name.trim();
    if name.is_empty() || !crate::level::load::stays_inside(&name.replace('\\', "/")) {
        return None;
    }
    Some(folder.join(name.replace('\\', "/")))
}

fn existing_image(folder: &Path, name: &str) -> Option<PathBuf> {
    let path = inside(folder, name)?;
    (path.is_file() && super::is_image(&path)).then_some(path)
}
