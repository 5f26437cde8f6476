//! Reads a level file, checks everything a level maker can get wrong, and builds its charts.
//! Every problem is reported with the file, line and column it is about, and all problems are
//! reported at once rather than the first alone.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::format::{
    CURRENT_FORMAT, ChartFile, Credits, LevelFile, NoteFileKind, Preview, Translit, row,
};
use crate::chart::{Chart, MAX_LANES, MAX_METER, MIN_LANES, PlacedKind};
use crate::diagnostic::{Diagnostic, Position, from_ron_error};
use crate::multiplayer::{MAX_PLAYERS, PartLine, PartSplit, Who};
use crate::music::sheet::SectionKind;
use crate::spans::{self, Spanned, Step, locate};
use crate::stage::{
    Burst, Choreography, Concept, CuedMove, Facing, Formation, Motif, Move, Venue, parse_colour,
};
use crate::timing::TimingMap;

/// Larger files are refused before parsing: nobody writes 10 MB by hand.
pub const MAX_LEVEL_BYTES: u64 = 10 * 1024 * 1024;
pub const MAX_NOTES_PER_CHART: usize = 50_000;
/// StepMania's finest subdivision; more rows in a measure is a typo, not music.
pub const MAX_ROWS_PER_MEASURE: usize = 192;
/// Two beats this close are the same beat.
const BEAT_EPSILON: f64 = 1e-6;
/// A preview starts and lasts within the longest song the game plays (seconds).
const MAX_PREVIEW_SECONDS: f64 = 3600.0;
/// No beat in a level lies further: over an hour of music at 999 BPM.
pub const MAX_BEAT: f64 = 100_000.0;
/// The most measures a chart may have: four beats each, up to [`MAX_BEAT`]. Empty measures
/// cost nothing to play but everything to read, so a million of them are refused.
pub const MAX_MEASURES: usize = (MAX_BEAT as usize) / 4;
/// How many "past the end of the audio" errors to list per chart before summing up.
const MAX_REPEATED_ERRORS: usize = 10;
/// Where a difficulty name stands from easiest to hardest, StepMania's names and ours alike:
/// Beginner, Easy, Normal or Medium, Hard, Expert or Challenge, then any other (an edit, a
/// recorded chart).
pub fn difficulty_rank(name: &str) -> u8 {
    match name.trim().to_lowercase().as_str() {
        "beginner" | "novice" => 0,
        "easy" | "basic" | "light" => 1,
        "normal" | "medium" | "standard" | "another" => 2,
        "hard" | "heavy" | "difficult" => 3,
        "expert" | "challenge" | "oni" | "insane" => 4,
        _ => 5,
    }
}

/// The name of the level file inside a level's folder.
pub const LEVEL_FILE_NAME: &str = "level.ron";

/// A level that passed validation, ready to play.
#[derive(Clone, Debug)]
pub struct Level {
    /// The folder name, which identifies the level in scores and replays.
    pub slug: String,
    pub file: PathBuf,
    pub title: String,
    pub subtitle: String,
    pub artist: String,
    pub translit: Translit,
    pub credits: Credits,
    pub preview: Preview,
    /// The audio file the level plays: its own, or the cached render of its song sheet.
    pub audio: PathBuf,
    /// The song sheet the audio is rendered from, when the level names one.
    pub sheet: Option<PathBuf>,
    /// Seconds.
    pub audio_length: f64,
    pub timing: TimingMap,
    pub charts: Vec<Chart>,
    /// Group-stage splits the level maker wrote, one per member count.
    pub parts: Vec<PartSplit>,
    /// Where the song's sections start (beat, kind), when it is a song sheet.
    pub sections: Vec<(f64, SectionKind)>,
    /// How the stage looks for this song.
    pub concept: Concept,
    pub choreography: Choreography,
    /// The song's image inside the level's folder, when it has one that exists.
    pub jacket: Option<PathBuf>,
    /// A lesson's words over the play, in beat order.
    pub prompts: Vec<super::format::Prompt>,
}

impl Level {
    /// How the song is split between `members` members: the level's own split, else one made
    /// from its sections.
    pub fn split_for(&self, members: u8) -> PartSplit {
        if let Some(written) = self.parts.iter().find(|p| p.members == members) {
            return written.clone();
        }
        let end = self
            .charts
            .iter()
            .flat_map(|c| c.notes.iter())
            .map(|n| n.end_beat())
            .fold(0.0, f64::max)
            + 1.0;
        PartSplit::automatic(members, &self.sections, end)
    }

    pub fn chart(&self, difficulty: &str) -> Option<&Chart> {
        self.charts
            .iter()
            .find(|c| c.difficulty.eq_ignore_ascii_case(difficulty))
    }

    pub fn difficulty_names(&self) -> Vec<&str> {
        self.charts.iter().map(|c| c.difficulty.as_str()).collect()
    }
}

/// The outcome of loading one level: the level if it has no errors, and every diagnostic.
#[derive(Clone, Debug)]
pub struct LevelReport {
    pub file: PathBuf,
    pub slug: String,
    pub level: Option<Level>,
    /// Each of the level's charts' rating at ×1 (docs/rating.md), in the order of its charts:
    /// worked out once, by the check, since a rating reads every note.
    pub ratings: Vec<f64>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LevelReport {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

/// Finds the length in seconds of an audio file, or says why it cannot be read.
pub type AudioProbe = dyn Fn(&Path) -> Result<f64, String>;

/// Loads `path`: a level file, or a level folder holding `level.ron`.
pub fn load_level(path: &Path) -> LevelReport {
    load_level_with(path, &crate::audio_file::probe_length)
}

pub fn load_level_with(path: &Path, probe: &AudioProbe) -> LevelReport {
    let file = if path.is_dir() {
        path.join(LEVEL_FILE_NAME)
    } else {
        path.to_path_buf()
    };
    match crate::user_file::read_existing_text(&file, MAX_LEVEL_BYTES, "the level file") {
        Ok(source) => load_level_text(&file, &source, probe),
        Err(diagnostic) => LevelReport {
            slug: slug_of(&file),
            file,
            level: None,
            ratings: Vec::new(),
            diagnostics: vec![diagnostic],
        },
    }
}

/// Checks the text of a level file at `file` without reading it from disk: what `load_level`
/// does once the file is read, for the fuzz harness and for editors holding unsaved text.
pub fn load_level_text(file: &Path, source: &str, probe: &AudioProbe) -> LevelReport {
    let folder = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    let slug = slug_of(file);
    let tree = spans::parse(source);
    let mut checker = Checker::new(file);
    let level = checker.check_source(source, tree.as_ref(), &folder, &slug, probe);
    checker.report(slug, level)
}

/// A level is known by its folder's name.
fn slug_of(file: &Path) -> String {
    file.parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "level".into())
}

impl Checker {
    fn new(file: &Path) -> Self {
        Self {
            file: file.to_path_buf(),
            diagnostics: Vec::new(),
            ratings: Vec::new(),
        }
    }

    fn report(self, slug: String, level: Option<Level>) -> LevelReport {
        let file = self.file;
        let mut diagnostics = self.diagnostics;
        diagnostics.sort_by(|a, b| {
            a.position
                .cmp(&b.position)
                .then(a.severity.cmp(&b.severity))
        });
        let level = level.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
        let ratings = if level.is_some() {
            self.ratings
        } else {
            Vec::new()
        };
        LevelReport {
            file,
            slug,
            level,
            ratings,
            diagnostics,
        }
    }
}

/// Every level folder inside each of `roots`, sorted: the folders holding a `level.ron`, and
/// those one folder down in a group (a pack, or a folder of the player's own). Hidden folders,
/// such as an import's staging, are skipped.
pub fn level_folders(roots: &[PathBuf]) -> Vec<PathBuf> {
    let subfolders = |folder: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(folder)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect()
    };
    let mut folders = Vec::new();
    for root in roots {
        for path in subfolders(root) {
            if path.join(LEVEL_FILE_NAME).is_file() {
                folders.push(path);
            } else {
                folders.extend(
                    subfolders(&path)
                        .into_iter()
                        .filter(|p| p.join(LEVEL_FILE_NAME).is_file()),
                );
            }
        }
    }
    folders.sort();
    folders
}

/// The group a level folder is in: the pack or folder between its root and itself, if any.
pub fn group_of(folder: &Path, roots: &[PathBuf]) -> Option<String> {
    let parent = folder.parent()?;
    if roots.iter().any(|r| r == parent) {
        return None;
    }
    parent.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// Loads every level folder of `roots` (see [`level_folders`]), sorted.
pub fn discover_levels(roots: &[PathBuf]) -> Vec<LevelReport> {
    load_all(&level_folders(roots))
}

/// Loads every level of `folders`, on every core, in their order.
pub fn load_all(folders: &[PathBuf]) -> Vec<LevelReport> {
    use rayon::prelude::*;
    folders.par_iter().map(|f| load_level(f)).collect()
}

struct Checker {
    file: PathBuf,
    diagnostics: Vec<Diagnostic>,
    /// The ratings of the charts of the level checked.
    ratings: Vec<f64>,
}

/// What the chart checks need of a song sheet: when it sounds, and its sung hooks.
fn facts_of(song: &crate::music::sheet::SongSheet) -> super::chart_checks::SheetFacts {
    let mut sounds: Vec<f64> = crate::music::events::events(song)
        .iter()
        .map(|e| e.time)
        .collect();
    sounds.sort_by(f64::total_cmp);
    let bar = song.beats_per_bar();
    let hooks = song
        .arrangement()
        .iter()
        .filter(|a| matches!(a.kind, SectionKind::Chorus) && !a.vocal.is_empty())
        .map(|a| {
            (
                f64::from(a.first_bar) * bar,
                f64::from(a.first_bar + a.bars) * bar,
            )
        })
        .collect();
    super::chart_checks::SheetFacts { sounds, hooks }
}

/// A note as found in the file, with where it was written.
#[derive(Clone, Copy, Debug)]
struct Placed {
    lane: u8,
    beat: f64,
    kind: PlacedKind,
    at: Option<Position>,
}

impl Checker {
    fn error(&mut self, at: Option<Position>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(&self.file, at, message));
    }

    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    fn warning(&mut self, at: Option<Position>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(&self.file, at, message));
    }

    fn check_source(
        &mut self,
        source: &str,
        tree: Option<&Spanned>,
        folder: &Path,
        slug: &str,
        probe: &AudioProbe,
    ) -> Option<Level> {
        // Read the version first, so a file from a newer game gets that explanation rather than
        // a list of fields this build does not know.
        if let Some(format) = tree.and_then(|t| t.field("format")) {
            match format.as_atom().and_then(|a| a.parse::<u32>().ok()) {
                Some(CURRENT_FORMAT) => {}
                Some(v) if v > CURRENT_FORMAT => {
                    self.error(
                        Some(format.at),
                        format!(
                            "this level is format {v}, made for a newer Lightstick; this build reads format {CURRENT_FORMAT}"
                        ),
                    );
                    return None;
                }
                _ => {
                    self.error(
                        Some(format.at),
                        format!("unknown format version; write `format: {CURRENT_FORMAT}`"),
                    );
                    return None;
                }
            }
        }
        let parsed: LevelFile = match ron::from_str(source) {
            Ok(level) => level,
            Err(e) => {
                self.diagnostics.push(from_ron_error(&self.file, &e));
                return None;
            }
        };
        let at = |path: &[Step]| -> Option<Position> { locate(tree, path) };

        if parsed.title.trim().is_empty() {
            self.error(at(&[Step::Field("title")]), "the title is empty");
        }
        if parsed.artist.trim().is_empty() {
            self.warning(at(&[Step::Field("artist")]), "the artist is empty");
        }
        let timing = self.check_timing(&parsed, &at);
        let parts = self.check_parts(&parsed, &at);
        let (concept, choreography) = self.check_stage(&parsed, &at);
        let mut sections = Vec::new();
        let mut sheet_facts = None;

        // The audio, whose length bounds every note: an audio file, or a song sheet whose
        // render is cached.
        let mut audio = folder.join(&parsed.audio);
        let mut sheet = None;
        let audio_at = at(&[Step::Field("audio")]);
        let audio_length = if !stays_inside(&parsed.audio) {
            // A shared level may read nothing of the player's disk outside its own folder.
            self.error(
                audio_at,
                format!(
                    "the audio `{}` must be a file inside the level's folder: no `..`, no absolute path",
                    parsed.audio
                ),
            );
            None
        } else if crate::music::is_sheet(&audio) && audio.is_file() {
            match crate::music::sheet::read_sheet_text(&audio).and_then(|text| {
                crate::music::sheet::parse_sheet_with_warnings(&audio, &text).map(|s| (s, text))
            }) {
                Ok(((song, sheet_warnings), text)) => {
                    self.diagnostics.extend(sheet_warnings);
                    // Charts only sit on the music if the level keeps the sheet's time.
                    let timing = &parsed.timing;
                    let sheet_bpms = song.bpm_changes();
                    let same_tempo = timing.bpms.len() == sheet_bpms.len()
                        && timing.bpms.iter().zip(&sheet_bpms).all(|(a, b)| {
                            (a.beat - b.beat).abs() < 1e-6 && (a.bpm - b.bpm).abs() < 1e-6
                        });
                    if !same_tempo || !timing.stops.is_empty() {
                        let wanted: Vec<String> = sheet_bpms
                            .iter()
                            .map(|b| format!("(beat: {:?}, bpm: {:?})", b.beat, b.bpm))
                            .collect();
                        self.warning(
                            at(&[Step::Field("timing"), Step::Field("bpms")]),
                            format!(
                                "the song sheet plays at bpms: [{}] with no stops; this level's tempo map differs, so its notes will drift off the music",
                                wanted.join(", ")
                            ),
                        );
                    }
                    if (timing.offset - song.offset).abs() > 1e-6 {
                        self.warning(
                            at(&[Step::Field("timing"), Step::Field("offset")]),
                            format!(
                                "the song sheet starts beat 0 at {} s, but this level's offset is {} s",
                                song.offset, timing.offset
                            ),
                        );
                    }
                    sections = song
                        .arrangement()
                        .iter()
                        .map(|a| (f64::from(a.first_bar) * song.beats_per_bar(), a.kind))
                        .collect();
                    sheet_facts = Some(facts_of(&song));
                    sheet = Some(audio.clone());
                    audio = crate::music::cached_render(&text);
                    Some(song.length())
                }
                Err(diagnostic) => {
                    self.error(
                        audio_at,
                        format!("the song sheet `{}` has a problem (below)", parsed.audio),
                    );
                    self.diagnostics.push(diagnostic);
                    None
                }
            }
        } else if parsed.audio.trim().is_empty() {
            self.error(audio_at, "no audio file is named");
            None
        } else if !audio.is_file() {
            self.error(
                audio_at,
                format!(
                    "the audio file `{}` is missing from {}",
                    parsed.audio,
                    folder.display()
                ),
            );
            None
        } else {
            match probe(&audio) {
                Ok(length) => Some(length),
                Err(why) => {
                    self.error(
                        audio_at,
                        format!("cannot read the audio file `{}`: {why}", parsed.audio),
                    );
                    None
                }
            }
        };

        let jacket = self.check_jacket(&parsed, folder, at(&[Step::Field("jacket")]));
        let preview = parsed.preview;
        let preview_at = at(&[Step::Field("preview")]);
        let seconds_ok = |t: f64| t.is_finite() && (0.0..=MAX_PREVIEW_SECONDS).contains(&t);
        if !(seconds_ok(preview.start) && seconds_ok(preview.length) && preview.length > 0.0) {
            self.error(
                preview_at,
                format!(
                    "the preview needs a start of 0 to {MAX_PREVIEW_SECONDS} seconds and a length above 0, up to {MAX_PREVIEW_SECONDS}"
                ),
            );
        } else if let Some(length) = audio_length
            && preview.start >= length
        {
            self.warning(
                preview_at,
                format!(
                    "the preview starts at {:.1} s, after the audio ends ({:.1} s)",
                    preview.start, length
                ),
            );
        }

        if parsed.charts.is_empty() {
            self.error(
                locate_name(tree, "charts").or(Some(Position::START)),
                "the level has no charts",
            );
        }
        let mut charts = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (index, chart) in parsed.charts.iter().enumerate() {
            let chart_at = at(&[Step::Field("charts"), Step::Index(index)]);
            let key = chart.difficulty.trim().to_lowercase();
            if key.is_empty() {
                self.error(
                    at(&[
                        Step::Field("charts"),
                        Step::Index(index),
                        Step::Field("difficulty"),
                    ]),
                    "the difficulty name is empty",
                );
            } else if let Some(first) = seen.insert(key, index) {
                self.error(
                    at(&[
                        Step::Field("charts"),
                        Step::Index(index),
                        Step::Field("difficulty"),
                    ]),
                    format!(
                        "two charts are named `{}` (charts {} and {}); difficulty names must differ",
                        chart.difficulty,
                        first + 1,
                        index + 1
                    ),
                );
            }
            if let (Some(timing), Some(placed)) = (&timing, self.check_chart(index, chart, &at)) {
                let built = Chart::from_beats(
                    chart.difficulty.clone(),
                    chart.meter,
                    chart.lanes,
                    timing.clone(),
                    placed.iter().map(|p| (p.lane, p.beat, p.kind)),
                );
                self.check_against_audio(&chart.difficulty, &placed, timing, audio_length);
                let rating = crate::rating::rate_chart(&built, 1.0).value;
                if !self.has_errors() {
                    let checked: Vec<super::chart_checks::CheckedNote> = placed
                        .iter()
                        .map(|p| super::chart_checks::CheckedNote {
                            lane: p.lane,
                            beat: p.beat,
                            time: timing.time_at_beat(p.beat),
                            mine: matches!(p.kind, PlacedKind::Mine),
                            at: p.at,
                        })
                        .collect();
                    for (warning_at, message) in super::chart_checks::check(
                        &built,
                        &checked,
                        chart_at,
                        sheet_facts.as_ref(),
                        rating,
                    ) {
                        self.warning(warning_at.or(chart_at), message);
                    }
                }
                if built.notes.is_empty() {
                    // A chart still being written: the level loads, without it.
                    self.warning(
                        chart_at,
                        format!(
                            "the chart `{}` has no notes yet; it is left out of the song list until it has some",
                            chart.difficulty
                        ),
                    );
                } else {
                    charts.push((built, rating));
                }
            }
        }
        // Listed easiest first whatever order the file gives them (an imported StepMania song
        // lists Challenge before Beginner).
        charts.sort_by_key(|(c, _): &(Chart, f64)| (difficulty_rank(&c.difficulty), c.meter));
        let (charts, ratings): (Vec<Chart>, Vec<f64>) = charts.into_iter().unzip();
        self.ratings = ratings;
        if charts.is_empty() && !parsed.charts.is_empty() && !self.has_errors() {
            self.warning(
                None,
                "no chart has notes yet, so the level cannot be played; add measures or notes to a chart",
            );
            return None;
        }

        let prompts =
            self.check_prompts(&parsed, &|i| at(&[Step::Field("prompts"), Step::Index(i)]));
        Some(Level {
            slug: slug.to_string(),
            file: self.file.clone(),
            title: parsed.title,
            subtitle: parsed.subtitle,
            artist: parsed.artist,
            translit: parsed.translit,
            credits: parsed.credits,
            preview,
            audio,
            sheet,
            audio_length: audio_length?,
            timing: timing?,
            charts,
            parts,
            sections,
            concept,
            choreography,
            jacket,
            prompts,
        })
    }

    /// The prompts in beat order. One at a beat that is not a number, or before the song, or
    /// with no words, is pointed at and left out.
    fn check_prompts(
        &mut self,
        parsed: &LevelFile,
        at: &dyn Fn(usize) -> Option<Position>,
    ) -> Vec<super::format::Prompt> {
        let mut kept = Vec::new();
        for (index, prompt) in parsed.prompts.iter().enumerate() {
            let at = at(index);
            if !(prompt.beat.is_finite() && prompt.beat >= 0.0) {
                self.warning(
                    at,
                    format!(
                        "prompt {} is at beat {}; a prompt's beat is a number from 0",
                        index + 1,
                        prompt.beat
                    ),
                );
            } else if prompt.text.trim().is_empty() {
                self.warning(at, format!("prompt {} has no words", index + 1));
            } else {
                kept.push(prompt.clone());
            }
        }
        kept.sort_by(|a, b| a.beat.total_cmp(&b.beat));
        kept
    }

    /// The jacket: a PNG or JPEG inside the level's folder. A missing or unreadable one is a
    /// warning, and the song list draws the level's own art instead.
    fn check_jacket(
        &mut self,
        parsed: &LevelFile,
        folder: &Path,
        at: Option<Position>,
    ) -> Option<PathBuf> {
        let name = parsed.jacket.as_deref()?;
        if !stays_inside(name) {
            self.error(
                at,
                format!(
                    "the jacket `{name}` must be a file inside the level's folder: no `..`, no absolute path"
                ),
            );
            return None;
        }
        let lower = name.to_ascii_lowercase();
        if ![".png", ".jpg", ".jpeg"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        {
            self.warning(
                at,
                format!("the jacket `{name}` is not a PNG or JPEG image; it is left out"),
            );
            return None;
        }
        let path = folder.join(name);
        if !path.is_file() {
            self.warning(
                at,
                format!("the jacket `{name}` is not in the level's folder; it is left out"),
            );
            return None;
        }
        Some(path)
    }

    /// Reads the stage: every mistake is a warning at its place, and the level plays with the
    /// default for what was wrong.
    fn check_stage(
        &mut self,
        parsed: &LevelFile,
        at: &dyn Fn(&[Step]) -> Option<Position>,
    ) -> (Concept, Choreography) {
        let stage = &parsed.stage;
        let mut concept = Concept::default();
        let here = |rest: &[Step]| {
            let mut path = vec![Step::Field("stage")];
            path.extend_from_slice(rest);
            at(&path)
        };
        let names = |all: &[&str]| {
            all.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !stage.venue.is_empty() {
            match Venue::from_name(&stage.venue) {
                Some(venue) => concept.venue = venue,
                None => self.warning(
                    here(&[Step::Field("venue")]),
                    format!(
                        "there is no venue `{}`; use one of {} (playing at the default)",
                        stage.venue,
                        names(&Venue::ALL.map(|v| v.name()))
                    ),
                ),
            }
        }
        if stage.palette.len() > 3 {
            self.warning(
                here(&[Step::Field("palette")]),
                "a palette has up to three colours; the rest are left out",
            );
        }
        for (i, text) in stage.palette.iter().take(3).enumerate() {
            match parse_colour(text) {
                Some(colour) => concept.palette[i] = colour,
                None => self.warning(
                    here(&[Step::Field("palette"), Step::Index(i)]),
                    format!(
                        "`{text}` is not a colour: write \"#rrggbb\" with each pair from 00 to ff (using the default)"
                    ),
                ),
            }
        }
        let motifs = [
            ("stars", Motif::Stars),
            ("hearts", Motif::Hearts),
            ("circles", Motif::Circles),
            ("bars", Motif::Bars),
            ("diamonds", Motif::Diamonds),
        ];
        if !stage.motif.is_empty() {
            match motifs.iter().find(|(n, _)| *n == stage.motif) {
                Some((_, motif)) => concept.motif = *motif,
                None => self.warning(
                    here(&[Step::Field("motif")]),
                    format!(
                        "there is no motif `{}`; use one of {}",
                        stage.motif,
                        names(&motifs.map(|(n, _)| n))
                    ),
                ),
            }
        }
        let bursts = [
            ("confetti", Burst::Confetti),
            ("pyro", Burst::Pyro),
            ("none", Burst::None),
        ];
        if !stage.burst.is_empty() {
            match bursts.iter().find(|(n, _)| *n == stage.burst) {
                Some((_, burst)) => concept.burst = *burst,
                None => self.warning(
                    here(&[Step::Field("burst")]),
                    format!(
                        "there is no burst `{}`; use one of {}",
                        stage.burst,
                        names(&bursts.map(|(n, _)| n))
                    ),
                ),
            }
        }
        let mut choreography = Choreography::default();
        // Every cue's beat, checked once before any list reads it.
        let cue_beats = stage
            .moves
            .iter()
            .enumerate()
            .map(|(i, c)| ("moves", i, c.beat))
            .chain(
                stage
                    .formations
                    .iter()
                    .enumerate()
                    .map(|(i, f)| ("formations", i, f.beat)),
            )
            .chain(
                stage
                    .facing
                    .iter()
                    .enumerate()
                    .map(|(i, f)| ("facing", i, f.beat)),
            );
        let mut bad_beats = std::collections::HashSet::new();
        for (list, i, beat) in cue_beats {
            if !(beat.is_finite() && (0.0..=MAX_BEAT).contains(&beat)) {
                bad_beats.insert((list, i));
                self.error(
                    here(&[Step::Field(list), Step::Index(i), Step::Field("beat")]),
                    format!("a cue's beat is 0 to {MAX_BEAT}, not {beat}"),
                );
            }
        }
        let good = |list: &'static str, i: usize| !bad_beats.contains(&(list, i));
        for (i, cue) in stage
            .moves
            .iter()
            .enumerate()
            .filter(|(i, _)| good("moves", *i))
        {
            match Move::from_name(&cue.dance) {
                Some(dance) => choreography.moves.push(CuedMove {
                    beat: cue.beat,
                    dance,
                }),
                None => self.warning(
                    here(&[Step::Field("moves"), Step::Index(i), Step::Field("move")]),
                    format!(
                        "there is no move `{}`; the moves are {} (the lane's own move is danced)",
                        cue.dance,
                        names(&Move::ALL.map(|m| m.name()))
                    ),
                ),
            }
        }
        for (i, formation) in stage
            .formations
            .iter()
            .enumerate()
            .filter(|(i, _)| good("formations", *i))
        {
            let off = formation
                .positions
                .iter()
                .position(|(x, depth)| !((-1.0..=1.0).contains(x) && (0.0..=1.0).contains(depth)));
            match off {
                Some(p) => self.warning(
                    here(&[
                        Step::Field("formations"),
                        Step::Index(i),
                        Step::Field("positions"),
                        Step::Index(p),
                    ]),
                    format!(
                        "dancer {} would stand off the stage: x goes from -1 to 1 and depth from 0 to 1 (this formation is left out)",
                        p + 1
                    ),
                ),
                None => choreography.formations.push(Formation {
                    beat: formation.beat,
                    positions: formation.positions.clone(),
                }),
            }
        }
        let facings = [
            ("front", Facing::Front),
            ("left", Facing::Left),
            ("right", Facing::Right),
            ("back", Facing::Back),
        ];
        for (i, facing) in stage
            .facing
            .iter()
            .enumerate()
            .filter(|(i, _)| good("facing", *i))
        {
            match facings.iter().find(|(n, _)| *n == facing.facing) {
                Some((_, f)) => choreography.facings.push((facing.beat, *f)),
                None => self.warning(
                    here(&[Step::Field("facing"), Step::Index(i), Step::Field("facing")]),
                    format!(
                        "`{}` is not a facing; use one of {}",
                        facing.facing,
                        names(&facings.map(|(n, _)| n))
                    ),
                ),
            }
        }
        choreography.moves.sort_by(|a, b| a.beat.total_cmp(&b.beat));
        choreography
            .formations
            .sort_by(|a, b| a.beat.total_cmp(&b.beat));
        choreography.facings.sort_by(|a, b| a.0.total_cmp(&b.0));
        (concept, choreography)
    }

    /// Checks the level's group-stage splits: members within the split, lines that make sense,
    /// and no member given two lines at once.
    fn check_parts(
        &mut self,
        parsed: &LevelFile,
        at: &dyn Fn(&[Step]) -> Option<Position>,
    ) -> Vec<PartSplit> {
        let mut splits: Vec<PartSplit> = Vec::new();
        for (i, parts) in parsed.parts.iter().enumerate() {
            let here = |rest: &[Step]| {
                let mut path = vec![Step::Field("parts"), Step::Index(i)];
                path.extend_from_slice(rest);
                at(&path)
            };
            if !(2..=MAX_PLAYERS as u8).contains(&parts.members) {
                self.error(
                    here(&[Step::Field("members")]),
                    format!(
                        "a group has 2 to {MAX_PLAYERS} members, not {}",
                        parts.members
                    ),
                );
                continue;
            }
            if splits.iter().any(|s| s.members == parts.members) {
                self.error(
                    here(&[Step::Field("members")]),
                    format!("there is already a split for {} members", parts.members),
                );
                continue;
            }
            let mut lines: Vec<PartLine> = Vec::new();
            let mut ok = true;
            for (l, line) in parts.lines.iter().enumerate() {
                let line_at = |field: &'static str| {
                    here(&[Step::Field("lines"), Step::Index(l), Step::Field(field)])
                };
                if !(line.from.is_finite() && line.to.is_finite() && line.from < line.to) {
                    self.error(
                        line_at("to"),
                        format!(
                            "a line ends after it starts: from beat {} to beat {}",
                            fmt_beat(line.from),
                            fmt_beat(line.to)
                        ),
                    );
                    ok = false;
                    continue;
                }
                let who = match Who::parse(&line.who) {
                    Ok(who) => who,
                    Err(why) => {
                        self.error(line_at("who"), why);
                        ok = false;
                        continue;
                    }
                };
                if let Who::Members(members) = &who
                    && let Some(beyond) = members.iter().find(|m| **m > parts.members)
                {
                    self.error(
                        line_at("who"),
                        format!(
                            "member {beyond} is beyond this split's {} members",
                            parts.members
                        ),
                    );
                    ok = false;
                    continue;
                }
                let clash = lines.iter().enumerate().find(|(_, other)| {
                    other.from < line.to - 1e-9
                        && line.from < other.to - 1e-9
                        && (1..=parts.members).any(|m| other.who.includes(m) && who.includes(m))
                });
                if let Some((other_index, other)) = clash {
                    let member = (1..=parts.members)
                        .find(|m| other.who.includes(*m) && who.includes(*m))
                        .unwrap_or(1);
                    self.error(
                        line_at("from"),
                        format!(
                            "member {member} already has line {} (beats {} to {}); a member plays one line at a time",
                            other_index + 1,
                            fmt_beat(other.from),
                            fmt_beat(other.to)
                        ),
                    );
                    ok = false;
                    continue;
                }
                let name = if line.name.trim().is_empty() {
                    format!("beats {}-{}", fmt_beat(line.from), fmt_beat(line.to))
                } else {
                    line.name.clone()
                };
                lines.push(PartLine {
                    from: line.from,
                    to: line.to,
                    who,
                    name,
                });
            }
            if ok {
                lines.sort_by(|a, b| a.from.total_cmp(&b.from));
                splits.push(PartSplit {
                    members: parts.members,
                    lines,
                    written: true,
                });
            }
        }
        splits
    }

    fn check_timing(
        &mut self,
        parsed: &LevelFile,
        at: &dyn Fn(&[Step]) -> Option<Position>,
    ) -> Option<TimingMap> {
        let timing = &parsed.timing;
        let mut ok = true;
        if !timing.offset.is_finite() {
            self.error(
                at(&[Step::Field("timing"), Step::Field("offset")]),
                "the offset must be a number of seconds",
            );
            ok = false;
        }
        if timing.bpms.is_empty() {
            self.error(
                at(&[Step::Field("timing"), Step::Field("bpms")]),
                "at least one BPM is needed, at beat 0",
            );
            return None;
        }
        let mut previous_beat = f64::NEG_INFINITY;
        for (i, change) in timing.bpms.iter().enumerate() {
            let here = |field| {
                at(&[
                    Step::Field("timing"),
                    Step::Field("bpms"),
                    Step::Index(i),
                    Step::Field(field),
                ])
            };
            if !(change.bpm.is_finite() && change.bpm > 0.0) {
                self.error(
                    here("bpm"),
                    format!("BPM must be above 0, not {}", change.bpm),
                );
                ok = false;
            } else if change.bpm > 10_000.0 {
                self.error(
                    here("bpm"),
                    format!("BPM {} is beyond any music", change.bpm),
                );
                ok = false;
            }
            if i == 0 && change.beat != 0.0 {
                self.error(here("beat"), "the first BPM must be at beat 0");
                ok = false;
            } else if !(change.beat.is_finite() && change.beat > previous_beat) {
                self.error(
                    here("beat"),
                    format!(
                        "BPM changes must be in beat order: beat {} comes after beat {}",
                        change.beat, previous_beat
                    ),
                );
                ok = false;
            }
            previous_beat = change.beat;
        }
        let stops: Vec<(f64, f64)> = timing.stops.iter().map(|s| (s.beat, s.seconds)).collect();
        let delays: Vec<(f64, f64)> = timing.delays.iter().map(|d| (d.beat, d.seconds)).collect();
        ok &= self.check_pauses("stops", "stop", &stops, at);
        ok &= self.check_pauses("delays", "delay", &delays, at);
        ok.then(|| {
            TimingMap::with_delays(timing.offset, &timing.bpms, &timing.stops, &timing.delays)
        })
    }

    /// Stops or delays: each lasts more than 0 seconds, at beat 0 or later, one per beat, in
    /// order. `pauses` holds (beat, seconds).
    fn check_pauses(
        &mut self,
        field: &'static str,
        what: &str,
        pauses: &[(f64, f64)],
        at: &dyn Fn(&[Step]) -> Option<Position>,
    ) -> bool {
        let mut ok = true;
        let mut previous_beat = f64::NEG_INFINITY;
        for (i, &(beat, seconds)) in pauses.iter().enumerate() {
            let here = |name| {
                at(&[
                    Step::Field("timing"),
                    Step::Field(field),
                    Step::Index(i),
                    Step::Field(name),
                ])
            };
            if !(seconds.is_finite() && seconds > 0.0 && seconds <= MAX_PREVIEW_SECONDS) {
                self.error(
                    here("seconds"),
                    format!(
                        "a {what} must last more than 0 and at most {MAX_PREVIEW_SECONDS} seconds, not {seconds}"
                    ),
                );
                ok = false;
            }
            if !(beat.is_finite() && (0.0..=MAX_BEAT).contains(&beat)) {
                self.error(
                    here("beat"),
                    format!("a {what} must be at beat 0 to {MAX_BEAT}"),
                );
                ok = false;
            } else if beat <= previous_beat {
                self.error(
                    here("beat"),
                    format!(
                        "{field} must be in beat order, one per beat: beat {beat} comes after beat {previous_beat}"
                    ),
                );
                ok = false;
            }
            previous_beat = beat;
        }
        ok
    }

    /// Reads a chart's measures and note list into placed notes, or `None` if the chart cannot
    /// be built (its lane count is wrong).
    fn check_chart(
        &mut self,
        index: usize,
        chart: &ChartFile,
        at: &dyn Fn(&[Step]) -> Option<Position>,
    ) -> Option<Vec<Placed>> {
        let chart_path = [Step::Field("charts"), Step::Index(index)];
        let sub = |rest: &[Step]| -> Option<Position> {
            let mut path = chart_path.to_vec();
            path.extend_from_slice(rest);
            at(&path)
        };
        let name = &chart.difficulty;
        if !(1..=MAX_METER).contains(&chart.meter) {
            self.error(
                sub(&[Step::Field("meter")]),
                format!("the meter is 1 to {MAX_METER}, not {}", chart.meter),
            );
        }
        if !(MIN_LANES..=MAX_LANES).contains(&chart.lanes) {
            self.error(
                sub(&[Step::Field("lanes")]),
                format!(
                    "a chart has {MIN_LANES} to {MAX_LANES} lanes, not {}",
                    chart.lanes
                ),
            );
            return None;
        }
        if chart.measures.len() > MAX_MEASURES {
            self.error(
                sub(&[Step::Field("measures")]),
                format!(
                    "a chart has at most {MAX_MEASURES} measures ({MAX_BEAT} beats, the longest song a level can have); this one has {}",
                    chart.measures.len()
                ),
            );
            return None;
        }
        let lanes = chart.lanes;
        let mut placed: Vec<Placed> = Vec::new();

        // Measures: rows of characters, StepMania style.
        // Per lane, the open hold or roll: its head's beat, where it was written, and whether it
        // is a roll.
        let mut open_holds: Vec<Option<(f64, Option<Position>, bool)>> = vec![None; lanes as usize];
        for (m, measure) in chart.measures.iter().enumerate() {
            let measure_at = sub(&[Step::Field("measures"), Step::Index(m)]);
            if measure.len() > MAX_ROWS_PER_MEASURE {
                self.error(
                    measure_at,
                    format!(
                        "measure {} has {} rows; at most {MAX_ROWS_PER_MEASURE} are allowed",
                        m + 1,
                        measure.len()
                    ),
                );
                continue;
            }
            for (r, text) in measure.iter().enumerate() {
                let row_at = sub(&[Step::Field("measures"), Step::Index(m), Step::Index(r)]);
                let beat = 4.0 * (m as f64 + r as f64 / measure.len() as f64);
                let width = text.chars().count();
                if width != lanes as usize {
                    self.error(
                        row_at,
                        format!(
                            "row \"{text}\" has {width} characters but the chart has {lanes} lanes"
                        ),
                    );
                    continue;
                }
                for (lane, c) in text.chars().enumerate() {
                    // The character's own column: after the row's opening quote.
                    let char_at = row_at.map(|p| Position::new(p.line, p.column + 1 + lane));
                    let lane_u8 = lane as u8;
                    let kind = match c {
                        row::EMPTY => continue,
                        row::TAP => PlacedKind::Tap,
                        row::MINE => PlacedKind::Mine,
                        row::HOLD_HEAD | row::ROLL_HEAD => {
                            if let Some((head, head_at, roll)) = open_holds[lane] {
                                let what = if roll { "roll" } else { "hold" };
                                self.error(
                                    char_at,
                                    format!(
                                        "a hold or roll starts in lane {lane} while the {what} from beat {} ({}) is still open; end it with `3` first",
                                        fmt_beat(head),
                                        fmt_at(head_at)
                                    ),
                                );
                            }
                            open_holds[lane] = Some((beat, char_at, c == row::ROLL_HEAD));
                            continue;
                        }
                        row::HOLD_TAIL => {
                            match open_holds[lane].take() {
                                Some((head, head_at, roll)) => placed.push(Placed {
                                    lane: lane_u8,
                                    beat: head,
                                    kind: if roll {
                                        PlacedKind::Roll { end_beat: beat }
                                    } else {
                                        PlacedKind::Hold { end_beat: beat }
                                    },
                                    at: head_at,
                                }),
                                None => self.error(
                                    char_at,
                                    format!(
                                        "tail `3` in lane {lane} has no hold head `2` or roll head `4` above it"
                                    ),
                                ),
                            }
                            continue;
                        }
                        'L' | 'F' | 'K' => {
                            self.error(
                                char_at,
                                format!(
                                    "`{c}` notes are not supported; use `1`, `2`/`3`, `4`/`3` or `M`"
                                ),
                            );
                            continue;
                        }
                        other => {
                            self.error(
                                char_at,
                                format!("unknown note character `{other}`; use `0` empty, `1` tap, `2` hold head, `4` roll head, `3` tail or `M` mine"),
                            );
                            continue;
                        }
                    };
                    placed.push(Placed {
                        lane: lane_u8,
                        beat,
                        kind,
                        at: char_at,
                    });
                }
            }
        }
        for (lane, open) in open_holds.iter().enumerate() {
            if let Some((head, head_at, roll)) = open {
                let what = if *roll { "roll" } else { "hold" };
                self.error(
                    *head_at,
                    format!(
                        "the {what} in lane {lane} at beat {} never ends; put a `3` where it should end",
                        fmt_beat(*head)
                    ),
                );
            }
        }

        // The explicit note list.
        let mut previous: Option<(f64, u8)> = None;
        for (i, note) in chart.notes.iter().enumerate() {
            let note_at = sub(&[Step::Field("notes"), Step::Index(i)]);
            let field_at = |f| sub(&[Step::Field("notes"), Step::Index(i), Step::Field(f)]);
            if note.lane >= lanes {
                self.error(
                    field_at("lane").or(note_at),
                    format!(
                        "lane {} is out of range: this chart's lanes are 0 to {}",
                        note.lane,
                        lanes - 1
                    ),
                );
                continue;
            }
            if !(note.beat.is_finite() && (0.0..=MAX_BEAT).contains(&note.beat)) {
                self.error(
                    field_at("beat").or(note_at),
                    format!("a note's beat is 0 to {MAX_BEAT}, not {}", note.beat),
                );
                continue;
            }
            if let Some((beat, lane)) = previous
                && (note.beat < beat - BEAT_EPSILON
                    || ((note.beat - beat).abs() <= BEAT_EPSILON && note.lane < lane))
            {
                self.error(
                    note_at,
                    format!(
                        "notes must be listed in time order: beat {} lane {} comes after beat {} lane {}",
                        fmt_beat(note.beat),
                        note.lane,
                        fmt_beat(beat),
                        lane
                    ),
                );
            }
            previous = Some((note.beat, note.lane));
            let kind = match note.kind {
                NoteFileKind::Tap => PlacedKind::Tap,
                NoteFileKind::Mine => PlacedKind::Mine,
                NoteFileKind::Hold { length } | NoteFileKind::Roll { length } => {
                    let what = if matches!(note.kind, NoteFileKind::Roll { .. }) {
                        "roll"
                    } else {
                        "hold"
                    };
                    if !(length.is_finite() && length > BEAT_EPSILON && length <= MAX_BEAT) {
                        self.error(
                            field_at("kind").or(note_at),
                            format!(
                                "a {what} lasts more than 0 and at most {MAX_BEAT} beats, not {length}"
                            ),
                        );
                        continue;
                    }
                    let end_beat = note.beat + length;
                    if what == "roll" {
                        PlacedKind::Roll { end_beat }
                    } else {
                        PlacedKind::Hold { end_beat }
                    }
                }
            };
            placed.push(Placed {
                lane: note.lane,
                beat: note.beat,
                kind,
                at: note_at,
            });
        }

        if !placed.is_empty() && placed.iter().all(|p| p.kind == PlacedKind::Mine) {
            self.error(
                sub(&[]),
                format!("the chart `{name}` has only mines; a chart needs taps or holds to play"),
            );
        }
        if placed.len() > MAX_NOTES_PER_CHART {
            self.error(
                sub(&[]),
                format!(
                    "the chart `{name}` has {} notes; the limit is {MAX_NOTES_PER_CHART}",
                    placed.len()
                ),
            );
            return None;
        }
        self.check_overlaps(&mut placed);
        Some(placed)
    }

    /// Two notes on one beat of a lane, or a note inside a hold of its lane.
    fn check_overlaps(&mut self, placed: &mut [Placed]) {
        placed.sort_by(|a, b| a.lane.cmp(&b.lane).then(a.beat.total_cmp(&b.beat)));
        let mut problems = Vec::new();
        for pair in placed.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.lane != b.lane {
                continue;
            }
            // Report at whichever was written later in the file.
            let (first, second) = if a.at <= b.at { (a, b) } else { (b, a) };
            if (b.beat - a.beat).abs() <= BEAT_EPSILON {
                problems.push((
                    second.at,
                    format!(
                        "two notes in lane {} at beat {} (the other is at {})",
                        a.lane,
                        fmt_beat(a.beat),
                        fmt_at(first.at)
                    ),
                ));
            } else if let PlacedKind::Hold { end_beat } | PlacedKind::Roll { end_beat } = a.kind
                && b.beat <= end_beat + BEAT_EPSILON
            {
                let what = if matches!(a.kind, PlacedKind::Roll { .. }) {
                    "roll"
                } else {
                    "hold"
                };
                problems.push((
                    b.at,
                    format!(
                        "this note at beat {} falls inside the {what} in lane {} from beat {} to {} ({})",
                        fmt_beat(b.beat),
                        a.lane,
                        fmt_beat(a.beat),
                        fmt_beat(end_beat),
                        fmt_at(a.at)
                    ),
                ));
            }
        }
        for (at, message) in problems {
            self.error(at, message);
        }
    }

    fn check_against_audio(
        &mut self,
        difficulty: &str,
        placed: &[Placed],
        timing: &TimingMap,
        audio_length: Option<f64>,
    ) {
        let mut reported = 0;
        let mut unreported = 0;
        let mut ordered: Vec<&Placed> = placed.iter().collect();
        ordered.sort_by_key(|a| a.at);
        for note in ordered {
            let start = timing.time_at_beat(note.beat);
            let end = timing.time_at_beat(note.kind.end_beat(note.beat));
            let problem = if start < 0.0 {
                Some(format!(
                    "the note at beat {} plays at {}, before the audio starts",
                    fmt_beat(note.beat),
                    fmt_time(start)
                ))
            } else {
                audio_length.filter(|length| end > *length).map(|length| {
                    format!(
                        "the note at beat {} ends at {}, past the end of the audio ({})",
                        fmt_beat(note.beat),
                        fmt_time(end),
                        fmt_time(length)
                    )
                })
            };
            if let Some(problem) = problem {
                if reported < MAX_REPEATED_ERRORS {
                    self.error(note.at, format!("{problem} in chart `{difficulty}`"));
                    reported += 1;
                } else {
                    unreported += 1;
                }
            }
        }
        if unreported > 0 {
            self.error(
                None,
                format!("…and {unreported} more notes of chart `{difficulty}` outside the audio"),
            );
        }
    }
}

/// Whether a path written in a level names something inside the level's folder.
pub fn stays_inside(relative: &str) -> bool {
    use std::path::Component;
    !relative.is_empty()
        && Path::new(relative)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

fn locate_name(tree: Option<&Spanned>, field: &str) -> Option<Position> {
    tree?.field_name_at(field)
}

fn fmt_beat(beat: f64) -> String {
    let rounded = (beat * 1000.0).round() / 1000.0;
    format!("{rounded}")
}

fn fmt_at(at: Option<Position>) -> String {
    match at {
        Some(p) => format!("line {}, column {}", p.line, p.column),
        None => "elsewhere".into(),
    }
}

/// `m:ss.mmm`.
pub fn fmt_time(seconds: f64) -> String {
    let sign = if seconds < 0.0 { "-" } else { "" };
    let s = seconds.abs();
    let minutes = (s / 60.0).floor();
    format!("{sign}{}:{:06.3}", minutes as u64, s - minutes * 60.0)
}
