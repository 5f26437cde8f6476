//! osu!mania beatmaps (`.osu`, `Mode: 3`), read with rosu-map, into an [`ImportedSong`].
//!
//! osu! places every note at a millisecond, and each uninherited timing point starts a new bar.
//! The tempo map keeps that: each timing point begins a measure of the level, and where the
//! music before it does not fill a whole measure, one short stretch of a faster tempo makes it
//! up, so every note keeps its millisecond.

use std::path::{Path, PathBuf};

use rosu_map::Beatmap;
use rosu_map::section::general::GameMode;
use rosu_map::section::hit_objects::HitObjectKind;
use rosu_map::section::hit_objects::hit_samples::HitSampleInfoName;

use super::song::{ImportedChart, ImportedSong, Tempo, remove_overlaps};
use crate::chart::{MAX_LANES, MAX_METER, MIN_LANES, PlacedKind};
use crate::diagnostic::Diagnostic;
use crate::level::MAX_NOTES_PER_CHART;
use crate::level::write::beat_for_time;
use crate::timing::{BpmChange, TimingMap};

/// osu! screens are 512 units wide: a note's column is its x over the key count's share.
const PLAYFIELD_WIDTH: f64 = 512.0;
/// The fastest stretch made up to start a measure at a timing point; past it, the timing point
/// stays where it falls inside its measure.
const MAX_FILLER_BPM: f64 = 2000.0;
/// The level format's longest song, in seconds.
const MAX_SECONDS: f64 = 3600.0;
/// The most control points one slider may have. rosu-map works out every slider's curve as it
/// reads the file, at a cost that grows faster than the points: a mania slider needs two.
pub const MAX_SLIDER_POINTS: usize = 1_000;

/// One `.osu` difficulty, read.
pub struct OsuChart {
    pub song: ImportedSong,
    /// Which files belong to one song: a set's difficulties share their audio and title.
    pub song_key: (String, String),
}

/// Reads the beatmap at `path` from `bytes`. A beatmap that is not osu!mania, or has nothing
/// playable, is an error naming why.
pub fn read(path: &Path, bytes: &[u8]) -> Result<OsuChart, Diagnostic> {
    let refuse = |why: String| Diagnostic::error(path, None, why);
    let raw = RawBeatmap::scan(bytes);
    if let Some((line, points)) = raw.longest_slider
        && points > MAX_SLIDER_POINTS
    {
        return Err(Diagnostic::error(
            path,
            Some(crate::diagnostic::Position::new(line, 1)),
            format!(
                "a slider has {points} control points; the most that is read is {MAX_SLIDER_POINTS}"
            ),
        ));
    }
    let mut map = crate::audio_file::guarded(|| {
        Beatmap::from_bytes(bytes).map_err(|e| format!("not a readable beatmap: {e}"))
    })
    .map_err(refuse)?;
    raw.restore_colons(&mut map);
    if map.mode != GameMode::Mania {
        return Err(refuse(format!(
            "this is an osu!{} beatmap; only osu!mania (Mode: 3) is imported",
            match map.mode {
                GameMode::Osu => "standard",
                GameMode::Taiko => "taiko",
                GameMode::Catch => "catch",
                GameMode::Mania => "mania",
            }
        )));
    }
    let keys = match &raw.circle_size {
        // osu! plays a beatmap that names no key count with 5 keys, as rosu-map reads it.
        None => f64::from(map.circle_size),
        Some((line, text)) => match text.parse::<f64>() {
            Ok(keys) if keys.is_finite() && keys.fract() == 0.0 => keys,
            _ => {
                return Err(Diagnostic::error(
                    path,
                    Some(crate::diagnostic::Position::new(*line, 1)),
                    format!("the key count (CircleSize) `{text}` is not a whole number of keys"),
                ));
            }
        },
    };
    let file_name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let label = format!("{}K \"{}\" ({file_name})", keys, map.version);
    if !(f64::from(MIN_LANES)..=f64::from(MAX_LANES)).contains(&keys) {
        let written = raw
            .circle_size
            .as_ref()
            .map_or_else(|| keys.to_string(), |(_, text)| text.clone());
        let mut song = base_song(path, &map);
        song.refused.push(format!(
            "\"{}\" ({file_name}): a key count (CircleSize) of {written} is not imported; Lightstick plays {MIN_LANES} to {MAX_LANES} lanes",
            map.version
        ));
        return Ok(OsuChart {
            song_key: song_key(&map),
            song,
        });
    }
    let lanes = keys as u8;
    let mut dropped = Vec::new();
    let mut placed: Vec<(u8, f64, Option<f64>)> = Vec::new();
    let (mut sliders, mut spinners) = (0, 0);
    for object in &map.hit_objects {
        let (x, end) = match &object.kind {
            HitObjectKind::Circle(circle) => (f64::from(circle.pos.x), None),
            HitObjectKind::Hold(hold) => (
                f64::from(hold.pos_x),
                Some(object.start_time + hold.duration),
            ),
            // osu! plays a slider in a mania beatmap as a hold to the slider's end.
            HitObjectKind::Slider(slider) => {
                sliders += 1;
                (
                    f64::from(slider.pos.x),
                    Some(object.start_time + slider_duration(slider)),
                )
            }
            HitObjectKind::Spinner(spinner) => {
                spinners += 1;
                (
                    f64::from(spinner.pos.x),
                    Some(object.start_time + spinner.duration),
                )
            }
        };
        let time = object.start_time / 1000.0;
        let end = end.map(|e| e / 1000.0);
        if !(time.is_finite() && time.abs() <= MAX_SECONDS)
            || end.is_some_and(|e| !(e.is_finite() && e <= MAX_SECONDS))
        {
            return Err(refuse(format!(
                "{label}: a note at {} ms lies beyond any song",
                object.start_time
            )));
        }
        let lane = ((x * keys / PLAYFIELD_WIDTH).floor()).clamp(0.0, keys - 1.0) as u8;
        placed.push((lane, time, end.filter(|e| *e > time)));
        if placed.len() > MAX_NOTES_PER_CHART {
            return Err(refuse(format!(
                "{label}: over {MAX_NOTES_PER_CHART} notes, the most a level holds"
            )));
        }
    }
    let unread = raw.object_lines.saturating_sub(map.hit_objects.len());
    if unread > 0 {
        dropped.push(format!(
            "{unread} lines of [HitObjects] could not be read and are left out"
        ));
    }
    if sliders + spinners > 0 {
        dropped.push(format!(
            "{sliders} sliders and {spinners} spinners are played as holds to their end, as osu! plays them"
        ));
    }
    let tempo = tempo_of(&map).map_err(|why| refuse(format!("{label}: {why}")))?;
    let timing = tempo.map();
    let mut notes: Vec<(u8, f64, PlacedKind)> = placed
        .into_iter()
        .map(|(lane, time, end)| {
            let beat = beat_for_time(&timing, time);
            let kind = match end {
                Some(end) => PlacedKind::Hold {
                    end_beat: beat_for_time(&timing, end),
                },
                None => PlacedKind::Tap,
            };
            (lane, beat, kind)
        })
        .collect();
    let scroll_changes = map
        .control_points
        .difficulty_points
        .iter()
        .filter(|p| (p.slider_velocity - 1.0).abs() > 1e-9)
        .count();
    if scroll_changes > 0 {
        dropped.push(format!(
            "{scroll_changes} scroll velocity changes (inherited timing points) are left out: notes scroll at one speed"
        ));
    }
    dropped.push(format!(
        "OD {} and HP {} are left out: Lightstick judges with its own windows and life bar",
        map.overall_difficulty, map.hp_drain_rate
    ));
    let keysounds = map
        .hit_objects
        .iter()
        .filter(|o| {
            o.samples
                .iter()
                .any(|s| matches!(s.name, HitSampleInfoName::File(_)))
        })
        .count();
    if keysounds > 0 {
        dropped.push(format!(
            "{keysounds} notes' own hit sounds (keysounds) are left out: the level plays one audio file"
        ));
    }
    remove_overlaps(&mut notes, &mut dropped);
    if notes.is_empty() {
        let mut song = base_song(path, &map);
        song.refused
            .push(format!("{label}: the beatmap has no notes"));
        return Ok(OsuChart {
            song_key: song_key(&map),
            song,
        });
    }
    let meter = meter_from_density(&notes, &timing);
    dropped.push(format!(
        "osu! beatmaps have no meter; {meter} is set from the note density"
    ));
    let mut song = base_song(path, &map);
    song.tempo = tempo;
    song.charts.push(ImportedChart {
        difficulty: if map.version.trim().is_empty() {
            format!("{lanes}K")
        } else {
            map.version.trim().to_string()
        },
        meter,
        lanes,
        author: map.creator.clone(),
        notes,
        tempo: None,
        source: label,
        dropped,
    });
    Ok(OsuChart {
        song_key: song_key(&map),
        song,
    })
}

/// A slider's length in milliseconds: its slides times its length in osu! pixels over its
/// velocity, which rosu-map works out from SliderMultiplier, the slider velocity and the beat
/// length in force at its start, as osu! does.
fn slider_duration(slider: &rosu_map::section::hit_objects::HitObjectSlider) -> f64 {
    let length = match slider.path.expected_dist() {
        Some(length) => length,
        None => slider.clone().path.curve().dist(),
    };
    f64::from(slider.span_count()) * length / slider.velocity
}

/// What is read from the `.osu` text itself, before rosu-map: the values it would cut at a
/// second colon, the key count as written, how many hit-object lines there are, and the
/// slider with the most control points (its line and count), which rosu-map's work grows with.
#[derive(Debug, Default)]
struct RawBeatmap {
    /// (section, key, value) of `[General]` and `[Metadata]`; the value runs to the line's end.
    values: Vec<(String, String, String)>,
    /// The line and text of `CircleSize`.
    circle_size: Option<(usize, String)>,
    object_lines: usize,
    longest_slider: Option<(usize, usize)>,
}

impl RawBeatmap {
    fn scan(bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes);
        let mut raw = RawBeatmap::default();
        let mut section = String::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            if line.starts_with('[') && line.ends_with(']') {
                section = line[1..line.len() - 1].to_ascii_lowercase();
                continue;
            }
            match section.as_str() {
                "general" | "metadata" | "difficulty" => {
                    let Some((key, value)) = line.split_once(':') else {
                        continue;
                    };
                    let (key, value) = (key.trim(), value.trim());
                    if section == "difficulty" {
                        if key == "CircleSize" {
                            raw.circle_size = Some((index + 1, value.to_string()));
                        }
                    } else {
                        raw.values
                            .push((section.clone(), key.to_string(), value.to_string()));
                    }
                }
                "hitobjects" => {
                    raw.object_lines += 1;
                    let mut fields = line.split(',');
                    let kind = fields.nth(3).and_then(|t| t.trim().parse::<i64>().ok());
                    if kind.is_some_and(|k| k & 2 != 0) {
                        let points = fields.nth(1).map_or(0, |curve| curve.matches('|').count());
                        if raw.longest_slider.is_none_or(|(_, most)| points > most) {
                            raw.longest_slider = Some((index + 1, points));
                        }
                    }
                }
                _ => {}
            }
        }
        raw
    }

    fn value(&self, section: &str, key: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(s, k, _)| s == section && k == key)
            .map(|(_, _, v)| v.as_str())
    }

    /// Puts back what follows a second colon in a title, an artist, a difficulty name or the
    /// audio file's name ("Re:End of a Dream"): rosu-map keeps only what stands between the
    /// first two colons. Only the first colon of a line separates the key from the value.
    fn restore_colons(&self, map: &mut Beatmap) {
        let fields: [(&str, &str, &mut String); 7] = [
            ("metadata", "Title", &mut map.title),
            ("metadata", "TitleUnicode", &mut map.title_unicode),
            ("metadata", "Artist", &mut map.artist),
            ("metadata", "ArtistUnicode", &mut map.artist_unicode),
            ("metadata", "Creator", &mut map.creator),
            ("metadata", "Version", &mut map.version),
            ("general", "AudioFilename", &mut map.audio_file),
        ];
        for (section, key, field) in fields {
            if let Some(value) = self.value(section, key)
                && value.contains(':')
            {
                *field = value.to_string();
            }
        }
    }
}

fn song_key(map: &Beatmap) -> (String, String) {
    (map.audio_file.to_lowercase(), map.title.to_lowercase())
}

/// The song's metadata: the unicode title and artist when there are, the Latin ones as the
/// transliteration.
fn base_song(path: &Path, map: &Beatmap) -> ImportedSong {
    let folder = path.parent().unwrap_or(Path::new("."));
    let pick = |unicode: &str, latin: &str| {
        if unicode.trim().is_empty() {
            latin.trim().to_string()
        } else {
            unicode.trim().to_string()
        }
    };
    let title = pick(&map.title_unicode, &map.title);
    let artist = pick(&map.artist_unicode, &map.artist);
    let audio = super::sm::inside(folder, &map.audio_file).filter(|p| p.is_file());
    ImportedSong {
        sources: vec![path.to_path_buf()],
        title_translit: if title != map.title.trim() {
            map.title.trim().to_string()
        } else {
            String::new()
        },
        artist_translit: if artist != map.artist.trim() {
            map.artist.trim().to_string()
        } else {
            String::new()
        },
        title: if title.is_empty() {
            "Untitled".into()
        } else {
            title
        },
        artist,
        credit: map.creator.clone(),
        audio,
        audio_named: map.audio_file.clone(),
        jacket: super::sm::inside(folder, &map.background_file)
            .filter(|p| p.is_file() && super::is_image(p)),
        preview: (map.preview_time >= 0).then(|| (f64::from(map.preview_time) / 1000.0, 15.0)),
        ..ImportedSong::default()
    }
}

/// The uninherited timing points as a tempo map, each starting a measure. Beat 0 is the first
/// point, or a whole number of measures before it, at or before the audio's start: so every
/// note has a beat of 0 or more, and every difficulty of a set gets the same map.
fn tempo_of(map: &Beatmap) -> Result<Tempo, String> {
    let mut points: Vec<(f64, f64)> = Vec::new();
    for point in &map.control_points.timing_points {
        let (time, beat_len) = (point.time / 1000.0, point.beat_len / 1000.0);
        if !(time.is_finite() && time.abs() <= MAX_SECONDS) {
            return Err(format!(
                "a timing point at {} ms lies beyond any song",
                point.time
            ));
        }
        if !(beat_len.is_finite() && beat_len > 0.0 && 60.0 / beat_len <= 10_000.0) {
            return Err(format!(
                "the timing point at {} ms has a beat length of {} ms, which is no tempo",
                point.time, point.beat_len
            ));
        }
        match points.last_mut() {
            Some(last) if (last.0 - time).abs() < 1e-9 => last.1 = beat_len,
            _ => points.push((time, beat_len)),
        }
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let Some(&(first_time, first_len)) = points.first() else {
        return Err("the beatmap has no uninherited timing point, so no tempo".into());
    };
    let measure = 4.0 * first_len;
    let lead = (first_time / measure).ceil().max(0.0);
    let offset = first_time - lead * measure;
    let mut bpms = vec![BpmChange {
        beat: 0.0,
        bpm: 60.0 / first_len,
    }];
    // (beat, time, seconds per beat) of the last timing point placed.
    let mut previous = (lead * 4.0, first_time, first_len);
    for &(time, beat_len) in &points[1..] {
        let (beat, start, len) = previous;
        let elapsed = (time - start) / len;
        let whole_measures = (elapsed / 4.0 - 1e-6).ceil().max(0.0) * 4.0;
        let mut point_beat = beat + elapsed;
        if (elapsed - (elapsed / 4.0).round() * 4.0).abs() < 1e-6 {
            point_beat = beat + (elapsed / 4.0).round() * 4.0;
        } else if whole_measures > 0.0 {
            // The beats before the point are played as written; the rest of the measure is
            // squeezed into the time left, so the point starts a measure.
            let mut played = elapsed.floor();
            if elapsed - played < 1e-6 {
                played -= 1.0;
            }
            let filler_beats = whole_measures - played;
            let filler_time = time - (start + played * len);
            let filler_bpm = 60.0 * filler_beats / filler_time;
            if played >= 0.0 && filler_time > 0.0 && filler_bpm <= MAX_FILLER_BPM {
                // With no whole beat played (points a beat or less apart) the filler starts
                // at the last point itself, and takes its place: two changes on one beat
                // would be out of order.
                set_tempo(&mut bpms, beat + played, filler_bpm);
                point_beat = beat + whole_measures;
            }
        }
        set_tempo(&mut bpms, point_beat, 60.0 / beat_len);
        previous = (point_beat, time, beat_len);
    }
    Ok(Tempo {
        offset,
        bpms,
        stops: Vec::new(),
        delays: Vec::new(),
    })
}

/// Sets the tempo from `beat` on: the last change's, when it is on that very beat (two changes
/// on one beat would be out of order), else a new change.
fn set_tempo(bpms: &mut Vec<BpmChange>, beat: f64, bpm: f64) {
    match bpms.last_mut() {
        Some(last) if (last.beat - beat).abs() < 1e-9 => last.bpm = bpm,
        _ => bpms.push(BpmChange { beat, bpm }),
    }
}

/// A meter for a chart that has none: its notes a second over its busy middle, on the meter's
/// scale (about 1.5 meter a note a second, as StepMania's charts run).
fn meter_from_density(notes: &[(u8, f64, PlacedKind)], timing: &TimingMap) -> u32 {
    let times: Vec<f64> = notes
        .iter()
        .filter(|n| n.2 != PlacedKind::Mine)
        .map(|n| timing.time_at_beat(n.1))
        .collect();
    let (Some(first), Some(last)) = (
        times.iter().copied().reduce(f64::min),
        times.iter().copied().reduce(f64::max),
    ) else {
        return 1;
    };
    let length = (last - first).max(1.0);
    let per_second = times.len() as f64 / length;
    (per_second * 1.5).round().clamp(1.0, f64::from(MAX_METER)) as u32
}

/// Merges the difficulties of one song, read from several `.osu` files, into one song.
pub fn merge(mut charts: Vec<OsuChart>) -> Option<ImportedSong> {
    charts.sort_by(|a, b| a.song.sources.cmp(&b.song.sources));
    let mut iter = charts.into_iter();
    let mut song = iter.next()?.song;
    for other in iter {
        let other = other.song;
        song.sources.extend(other.sources);
        song.refused.extend(other.refused);
        if song.audio.is_none() {
            song.audio = other.audio;
        }
        if song.jacket.is_none() {
            song.jacket = other.jacket;
        }
        for mut chart in other.charts {
            if song.charts.is_empty() {
                song.tempo = other.tempo.clone();
            } else if other.tempo != song.tempo {
                chart.tempo = Some(other.tempo.clone());
            }
            song.charts.push(chart);
        }
    }
    // Easiest first, as a song list shows them.
    song.charts.sort_by_key(|c| c.meter);
    song.make_names_unique();
    Some(song)
}

/// Whether `path` names a `.osu` file.
pub fn is_osu(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("osu"))
}

/// The `.osu` files of a folder, sorted.
pub fn files_in(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_osu(p))
        .collect();
    files.sort();
    files
}
