//! The command line: launch the game, validate levels, play a chart headless (autoplay or a
//! replay) and render song audio. Everything but the launch runs on the pure core.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::core::chart::Chart;
use crate::core::judge::{JudgeDifficulty, JudgeSettings};
use crate::core::level::load::LEVEL_FILE_NAME;
use crate::core::level::{Level, LevelReport, load_level};
use crate::core::play::{SeatSetup, Session};
use crate::core::replay::{ReplayFile, check_lanes, read_replay};
use crate::core::score::PlayResult;
use crate::music;
use crate::paths;

#[derive(Parser, Debug)]
#[command(
    name = "lightstick",
    version,
    about = "A dance-rhythm game with hand-written RON levels"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A folder of level folders to use instead of the default ones (repeatable).
    #[arg(long = "levels", global = true, value_name = "DIR")]
    pub levels: Vec<PathBuf>,
    /// The data folder: profiles (settings, scores, replays, collection), your own levels,
    /// merch and tours.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The profile to play as (made if new); the one used last when not given.
    #[arg(long, global = true, value_name = "NAME", env = "LIGHTSTICK_PROFILE")]
    pub profile: Option<String>,
    /// Where key presses get their time: `precise` (raw events stamped on arrival, where
    /// possible) or `frame` (the frame that saw them). Overrides the setting for this run.
    #[arg(long, global = true, value_enum, value_name = "MODE")]
    pub input: Option<InputArg>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputArg {
    Precise,
    Frame,
}

impl From<InputArg> for crate::settings::InputMode {
    fn from(arg: InputArg) -> Self {
        match arg {
            InputArg::Precise => crate::settings::InputMode::Precise,
            InputArg::Frame => crate::settings::InputMode::FrameStamped,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShowScreen {
    Title,
    /// The song list.
    Songs,
    Collection,
    Shop,
    Tour,
    Join,
    Settings,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check levels, merch catalogs and tours and print every problem; exits non-zero if any
    /// has errors.
    Validate {
        /// Level files, level folders, folders of levels, merch catalogs or tour files; all
        /// known levels, the shipped catalog and the shipped tour if none.
        paths: Vec<PathBuf>,
        /// `human`: each problem with its source line, the spot underlined and help. `json`:
        /// one JSON array of problems for editors (file, line, column, end, severity, code,
        /// message, help).
        #[arg(long, value_enum, default_value = "human")]
        format: ReportFormat,
        /// Check every level again, not trusting the library index for those unchanged since
        /// their last check.
        #[arg(long)]
        fresh: bool,
    },
    /// Play one chart: in the game window, or headless with --autoplay or --replay.
    Play(PlayArgs),
    /// Practise part of a chart in the window: from a measure or section, looping to another,
    /// at any rate, or waiting at each note for its key. Never recorded, and it never fails.
    Practice(PracticeArgs),
    /// Record a chart in the window: tap along to the song, hear and see the take played back
    /// on its snap, and write it into the level file (Enter) as a new chart or in place of one.
    Record(RecordArgs),
    /// Propose a chart from a level's song sheet, printed in the level format.
    DraftChart {
        /// A level folder, a level file, or the name of a level folder in the song list.
        level: String,
        /// Easy, Normal, Hard or Expert: how many of the song's sounds become notes.
        #[arg(long, short)]
        difficulty: String,
        /// Lanes, 4 to 8.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(4..=8))]
        lanes: u8,
    },
    /// Open the game on a menu screen, e.g. to look at a profile's collection.
    Show {
        #[arg(value_enum)]
        screen: ShowScreen,
        /// Open this item's detail view in the collection.
        #[arg(long, value_name = "ID")]
        item: Option<String>,
        /// Save a screenshot to FILE after --screenshot-after seconds.
        #[arg(long, value_name = "FILE")]
        screenshot: Option<PathBuf>,
        #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
        screenshot_after: f32,
        /// Quit after this many seconds.
        #[arg(long, value_name = "SECONDS")]
        exit_after: Option<f32>,
    },
    /// For the crash-safety test: unlock and save items in a profile, one save after another,
    /// until killed, printing each count once it is safely written.
    #[command(hide = true)]
    StressSave { file: PathBuf },
    /// For the crash-safety test: save one finished play after another into a profile folder
    /// through the play journal, until killed, printing each count once it is saved.
    #[command(hide = true)]
    StressPlay { folder: PathBuf },
    /// Play song after song in one process, cycling the levels, one player, versus and the
    /// group stage, and print the memory in use after each; fails if memory at the end is more
    /// than 5 % above memory after the first song.
    Soak {
        /// How many songs.
        #[arg(long, default_value_t = 100)]
        songs: usize,
        /// Judge them without a window, through the same engine.
        #[arg(long)]
        headless: bool,
        /// In the window: leave each play after this many seconds of song time (to the song
        /// list, as a player would) instead of playing it to the results.
        #[arg(long, value_name = "SECONDS")]
        seconds_per_song: Option<f64>,
    },
    /// Import StepMania (.sm, .ssc) and osu!mania (.osu, .osz) charts as levels: a file, a song
    /// folder, a pack, a whole Songs/ tree, or a folder of archives.
    Import {
        /// What to import.
        path: PathBuf,
        /// The folder the level folders go in; the data folder's levels/ if not given.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Replace a level folder of the same name that was not made by an import.
        #[arg(long)]
        force: bool,
    },
    /// Start a level from your own song: estimates its tempo and first beat, reads its title
    /// and artist from its tags, and writes a level that validates, with an empty Easy chart.
    NewLevel {
        /// The audio file: Ogg Vorbis, MP3, FLAC or WAV.
        audio: PathBuf,
        /// The level's folder; made if it is not there.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace a level already in DIR.
        #[arg(long)]
        force: bool,
    },
    /// Share levels as one pack: a zip of their folders (audio, sheet, jacket) with a manifest.
    /// `lightstick import NAME.lspack`, or a drop on the window, installs it.
    Pack {
        /// Level folders, level files, or names of level folders in the song list.
        #[arg(required = true, value_name = "LEVEL")]
        shared: Vec<String>,
        /// The pack to write; its name is the pack's name.
        #[arg(long, value_name = "NAME.lspack")]
        out: PathBuf,
        /// Replace a pack already at NAME.lspack.
        #[arg(long)]
        force: bool,
    },
    /// Render a level's song sheet to a WAV file.
    RenderAudio {
        /// A level folder, a level file, or the name of a level folder in the song list.
        level: String,
        /// Where to write the WAV.
        #[arg(long, value_name = "FILE.wav")]
        out: PathBuf,
    },
}

#[derive(Args, Debug, Clone)]
pub struct PlayArgs {
    /// A level folder, a level file, or the name of a level folder in the song list.
    pub level: String,
    /// The chart to play, by difficulty name; the first chart if not given. With several
    /// players, once for everyone or once per player in order.
    #[arg(long, short)]
    pub difficulty: Vec<String>,
    /// Let the game play itself perfectly (for every player).
    #[arg(long, conflicts_with = "replay")]
    pub autoplay: bool,
    /// Play back recorded inputs: a replay file, or a RON list of (time ms, lane, Press|Release).
    /// With several players, once per player in order.
    #[arg(long, value_name = "FILE")]
    pub replay: Vec<PathBuf>,
    /// Local players, 1 to 4: each judged on their own chart and inputs.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub players: u8,
    /// With several players: perform as a group, each playing their lines of the song and
    /// sharing one life bar, instead of competing.
    #[arg(long)]
    pub group: bool,
    /// No window: judge the whole chart faster than real time and print the result as JSON.
    #[arg(long)]
    pub headless: bool,
    /// Playback rate, 0.5 to 2.0; timing windows stay in real time.
    #[arg(long, default_value_t = 1.0, value_parser = parse_rate)]
    pub rate: f64,
    /// Judge difficulty 1 (lenient) to 9 (strict); 4 is standard.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=9))]
    pub judge: Option<u8>,
    /// Keep playing when the life bar empties.
    #[arg(long)]
    pub no_fail: bool,
    #[command(flatten)]
    pub capture: WindowCapture,
    /// With a window: draw the stage off, low or full for this run, over the setting.
    #[arg(long, value_parser = parse_stage)]
    pub stage: Option<crate::settings::StageDetail>,
    /// With a window: play at this venue (fan_fest_hall, awards_stage, festival_showcase)
    /// instead of the level's.
    #[arg(long, value_parser = parse_venue)]
    pub venue: Option<crate::core::stage::Venue>,
    /// With a window: practise from this measure (from 1) or the first section of this kind
    /// (e.g. `chorus`). The music starts a measure before; the play is not recorded.
    #[arg(long, value_name = "MEASURE|SECTION", value_parser = parse_start, conflicts_with = "headless")]
    pub from: Option<crate::core::level::position::StartPoint>,
    /// Move the notes: `mirror`, `shuffle` (the lanes change places) or `random` (every note a
    /// lane of its own). A replay keeps its own.
    #[arg(long, value_name = "MOD", value_parser = parse_lane_mod)]
    pub lanes: Option<crate::core::mods::LaneMod>,
    /// The seed of a shuffle or random layout; a new one each run if not given.
    #[arg(long, requires = "lanes")]
    pub seed: Option<u64>,
    /// Hidden: notes fade out below this share of the highway, 0.1 to 0.9.
    #[arg(long, value_name = "SHARE", value_parser = parse_sight_line)]
    pub hidden: Option<f32>,
    /// Sudden: notes appear only below this share of the highway, 0.1 to 0.9.
    #[arg(long, value_name = "SHARE", value_parser = parse_sight_line)]
    pub sudden: Option<f32>,
    /// With a window: cover this share of the top of the highway, 0 to 0.9 (Page Up and Page
    /// Down move it).
    #[arg(long, value_name = "SHARE", value_parser = parse_lane_cover)]
    pub lane_cover: Option<f32>,
}

#[derive(Args, Debug, Clone)]
pub struct PracticeArgs {
    /// A level folder, a level file, or the name of a level folder in the song list.
    pub level: String,
    /// The chart to practise, by difficulty name; the first chart if not given.
    #[arg(long, short)]
    pub difficulty: Option<String>,
    /// The first measure judged (from 1), or the first section of a kind (e.g. `chorus`).
    /// The music starts a measure before.
    #[arg(long, value_name = "MEASURE|SECTION", default_value = "1", value_parser = parse_start)]
    pub from: crate::core::level::position::StartPoint,
    /// Loop back at the end of this measure, or of the first section of this kind.
    #[arg(long, value_name = "MEASURE|SECTION", value_parser = parse_start)]
    pub to: Option<crate::core::level::position::StartPoint>,
    /// Playback rate, 0.5 to 2.0 in steps of 0.05 (- and = change it while playing); timing
    /// windows stay in real time.
    #[arg(long, default_value_t = 1.0, value_parser = parse_rate)]
    pub rate: f64,
    /// Stop the song at each note until its key is pressed.
    #[arg(long)]
    pub wait: bool,
    /// Let the game play itself perfectly.
    #[arg(long)]
    pub autoplay: bool,
    #[command(flatten)]
    pub capture: WindowCapture,
}

#[derive(Args, Debug, Clone)]
pub struct RecordArgs {
    /// A level folder, a level file, or the name of a level folder in the song list.
    pub level: String,
    /// Replace the chart of this difficulty; without it the take becomes a new chart.
    #[arg(long, value_name = "DIFFICULTY")]
    pub into: Option<String>,
    /// Lanes of a new chart, 4 to 8.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(4..=8))]
    pub lanes: u8,
    /// The snap presses are quantised to: 1/4, 1/8, 1/12, 1/16, 1/24, 1/32 or 1/48 (`[` and `]`
    /// change it while the take plays back).
    #[arg(long, default_value = "1/16", value_parser = crate::core::level::quantise::Snap::parse)]
    pub snap: crate::core::level::quantise::Snap,
    /// Playback rate while recording, 0.5 to 2.0 in steps of 0.05.
    #[arg(long, default_value_t = 1.0, value_parser = parse_rate)]
    pub rate: f64,
    #[command(flatten)]
    pub capture: WindowCapture,
}

impl RecordArgs {
    /// The play a recording is, for the window's set-up.
    fn as_play(&self) -> PlayArgs {
        PlayArgs::never_failing(&self.level, self.rate, &self.capture)
    }
}

/// Records a chart of `args.level` in the window.
fn record(
    args: RecordArgs,
    data_dir: PathBuf,
    profile: Option<String>,
    roots: Vec<PathBuf>,
    input: Option<crate::settings::InputMode>,
) -> ExitCode {
    use crate::gameplay::record_mode::{RecordRun, RecordSetup};
    let play = args.as_play();
    let started = prepare_play(&play, &roots).and_then(|prepared| {
        let setup = RecordSetup {
            snap: args.snap,
            place: match &args.into {
                Some(name) => crate::core::level::edit::ChartPlace::Replacing(name.clone()),
                None => crate::core::level::edit::ChartPlace::Added,
            },
            lanes: args.lanes,
        };
        RecordRun::begin(std::sync::Arc::new(prepared.level), &setup, prepared.judge)
    });
    match started {
        Err(message) => {
            eprintln!("lightstick record: {message}");
            ExitCode::FAILURE
        }
        Ok((run, request)) => {
            let request = (request, Some(run));
            play_in_window(request, &play, data_dir, profile, roots, input)
        }
    }
}

/// A timed run in the window, for tests, documentation and the screenshot tour.
#[derive(Args, Debug, Clone)]
pub struct WindowCapture {
    /// With a window: save a screenshot to FILE after --screenshot-after seconds (the time the
    /// song takes to load is not counted).
    #[arg(long, value_name = "FILE")]
    pub screenshot: Option<PathBuf>,
    /// Seconds, or `end`: just after the last note is judged, in the end-of-song celebration.
    #[arg(long, default_value = "4", value_name = "SECONDS|end", value_parser = crate::app::ShotMoment::parse)]
    pub screenshot_after: crate::app::ShotMoment,
    /// With a window: quit after this many seconds (the time the song takes to load is not
    /// counted).
    #[arg(long, value_name = "SECONDS")]
    pub exit_after: Option<f32>,
}

impl WindowCapture {
    /// The screenshot to take, and when.
    fn screenshot(&self) -> Option<(PathBuf, crate::app::ShotMoment)> {
        self.screenshot.clone().map(|p| (p, self.screenshot_after))
    }
}

impl PlayArgs {
    /// One player in the window on `level` at `rate`, playing on through any number of
    /// misses: what a practice and a recording are.
    fn never_failing(level: &str, rate: f64, capture: &WindowCapture) -> PlayArgs {
        PlayArgs {
            level: level.to_string(),
            difficulty: Vec::new(),
            autoplay: false,
            replay: Vec::new(),
            players: 1,
            group: false,
            headless: false,
            rate: crate::core::practice::step_rate(rate, 0),
            judge: None,
            no_fail: true,
            capture: capture.clone(),
            stage: None,
            venue: None,
            from: None,
            lanes: None,
            seed: None,
            hidden: None,
            sudden: None,
            lane_cover: None,
        }
    }
    /// The mods the command line asks for.
    pub fn mods(&self) -> crate::core::mods::Mods {
        let mods = crate::core::mods::Mods {
            lanes: self.lanes.unwrap_or_default(),
            hidden: self.hidden,
            sudden: self.sudden,
            lane_cover: self.lane_cover,
        };
        match self.seed {
            Some(seed) => crate::core::mods::Mods {
                lanes: mods.lanes.reseeded(seed),
                ..mods
            },
            None => crate::settings::fresh_layout(mods),
        }
    }

    fn has_mods(&self) -> bool {
        self.lanes.is_some() || self.hidden.is_some() || self.sudden.is_some()
    }
}

impl PracticeArgs {
    /// The play this practice is, for the checks and the set-up a play has.
    fn as_play(&self) -> PlayArgs {
        PlayArgs {
            difficulty: self.difficulty.iter().cloned().collect(),
            autoplay: self.autoplay,
            from: Some(self.from),
            ..PlayArgs::never_failing(&self.level, self.rate, &self.capture)
        }
    }
}

fn practice(
    args: PracticeArgs,
    data_dir: PathBuf,
    profile: Option<String>,
    roots: Vec<PathBuf>,
    input: Option<crate::settings::InputMode>,
) -> ExitCode {
    let play = args.as_play();
    let request = prepare_play(&play, &roots).and_then(|prepared| {
        let level = prepared.level;
        let from = level.measure_of(args.from)?;
        let to = args.to.map(|to| level.last_measure_of(to)).transpose()?;
        Ok(crate::gameplay::PlayRequest {
            practice: Some(crate::core::practice::Practice::new(from, to, args.wait)?),
            ..crate::gameplay::PlayRequest::solo(
                std::sync::Arc::new(level),
                prepared.chart,
                prepared.judge,
                prepared.mode,
            )
        })
    });
    match request {
        Err(message) => {
            eprintln!("lightstick practice: {message}");
            ExitCode::FAILURE
        }
        Ok(request) => play_in_window((request, None), &play, data_dir, profile, roots, input),
    }
}

/// Opens the window straight into `request` (and the recording it takes down, if it is one),
/// with the capture, stage and venue options of `args`.
fn play_in_window(
    (request, recording): (
        crate::gameplay::PlayRequest,
        Option<crate::gameplay::record_mode::RecordRun>,
    ),
    args: &PlayArgs,
    data_dir: PathBuf,
    profile: Option<String>,
    roots: Vec<PathBuf>,
    input: Option<crate::settings::InputMode>,
) -> ExitCode {
    crate::app::run_game(crate::app::LaunchOptions {
        data_dir,
        profile,
        level_roots: roots,
        input,
        open: None,
        soak: None,
        start: Some(crate::app::DirectStart {
            request,
            screenshot: args.capture.screenshot(),
            exit_after: args.capture.exit_after,
            stage: args.stage,
            venue: args.venue,
            recording,
        }),
    })
}

fn parse_start(text: &str) -> Result<crate::core::level::position::StartPoint, String> {
    crate::core::level::position::StartPoint::parse(text)
}

/// The request with the measure `--from` names, checked against its level.
fn starting_where_asked(
    args: &PlayArgs,
    mut request: crate::gameplay::PlayRequest,
) -> Result<crate::gameplay::PlayRequest, String> {
    if let Some(start) = args.from {
        let from = request.level.measure_of(start)?;
        request.practice = Some(crate::core::practice::Practice::new(from, None, false)?);
    }
    Ok(request)
}

fn parse_stage(text: &str) -> Result<crate::settings::StageDetail, String> {
    crate::settings::StageDetail::from_name(text)
        .ok_or_else(|| format!("`{text}` is not a stage setting: use off, low or full"))
}

fn parse_venue(text: &str) -> Result<crate::core::stage::Venue, String> {
    crate::core::stage::Venue::from_name(text).ok_or_else(|| {
        format!("`{text}` is not a venue: use fan_fest_hall, awards_stage or festival_showcase")
    })
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    JudgeSettings {
        rate,
        ..JudgeSettings::default()
    }
    .check()
    .map(|()| rate)
    .map_err(|why| why.to_string())
}

fn parse_lane_mod(text: &str) -> Result<crate::core::mods::LaneMod, String> {
    use crate::core::mods::LaneMod;
    LaneMod::ALL
        .into_iter()
        .find(|m| m.label() == Some(text))
        .ok_or_else(|| format!("`{text}` is not a lane mod: use mirror, shuffle or random"))
}

fn parse_share(text: &str, range: std::ops::RangeInclusive<f32>) -> Result<f32, String> {
    let share: f32 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if range.contains(&share) {
        Ok(share)
    } else {
        Err(format!(
            "{share} is outside {} to {} of the highway",
            range.start(),
            range.end()
        ))
    }
}

fn parse_sight_line(text: &str) -> Result<f32, String> {
    parse_share(text, crate::core::mods::SIGHT_LINES)
}

fn parse_lane_cover(text: &str) -> Result<f32, String> {
    parse_share(text, crate::core::mods::LANE_COVER)
}

/// Runs the command line; `main` is this and nothing else.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = crate::core::folders::data_dir(cli.data_dir.as_deref());
    let roots = paths::level_roots(&cli.levels, &data_dir);
    match cli.command {
        None => crate::app::run_game(crate::app::LaunchOptions {
            data_dir,
            profile: cli.profile.clone(),
            level_roots: roots,
            start: None,
            input: cli.input.map(Into::into),
            open: None,
            soak: None,
        }),
        Some(Command::Show {
            screen,
            item,
            screenshot,
            screenshot_after,
            exit_after,
        }) => {
            use crate::screens::Screen;
            let target = match screen {
                ShowScreen::Title => Screen::Title,
                ShowScreen::Songs => Screen::SongSelect,
                ShowScreen::Collection | ShowScreen::Shop => Screen::Collection,
                ShowScreen::Tour => Screen::Tour,
                ShowScreen::Join => Screen::Join,
                ShowScreen::Settings => Screen::Settings,
            };
            crate::app::run_game(crate::app::LaunchOptions {
                data_dir,
                profile: cli.profile.clone(),
                level_roots: roots,
                start: None,
                input: cli.input.map(Into::into),
                open: Some(crate::app::OpenScreen {
                    screen: target,
                    shop: screen == ShowScreen::Shop,
                    item,
                    screenshot: screenshot
                        .map(|p| (p, crate::app::ShotMoment::After(screenshot_after))),
                    exit_after,
                }),
                soak: None,
            })
        }
        Some(Command::Soak {
            songs,
            headless,
            seconds_per_song,
        }) => soak(songs, headless, seconds_per_song, data_dir, roots),
        Some(Command::Validate {
            paths,
            format,
            fresh,
        }) => {
            let mut index = if fresh {
                crate::core::level::index::LibraryIndex::temporary()
            } else {
                crate::core::level::index::LibraryIndex::open(&paths::library_index_file(&data_dir))
            };
            if let Some(problem) = index.take_problem() {
                eprintln!("{problem}");
            }
            validate(&paths, &roots, format, &mut index)
        }
        Some(Command::Pack { shared, out, force }) => pack(&shared, &out, force, &roots),
        Some(Command::NewLevel { audio, out, force }) => new_level(&audio, &out, force),
        Some(Command::Import { path, out, force }) => crate::import::run(
            &path,
            &out.unwrap_or_else(|| data_dir.join("levels")),
            force,
        ),
        Some(Command::RenderAudio { level, out }) => render_audio(&level, &out, &roots),
        Some(Command::DraftChart {
            level,
            difficulty,
            lanes,
        }) => draft_chart(&level, &difficulty, lanes, &roots),
        Some(Command::StressSave { file }) => stress_save(&file),
        Some(Command::StressPlay { folder }) => stress_play(&folder),
        Some(Command::Record(args)) => record(
            args,
            data_dir,
            cli.profile.clone(),
            roots,
            cli.input.map(Into::into),
        ),
        Some(Command::Practice(args)) => practice(
            args,
            data_dir,
            cli.profile.clone(),
            roots,
            cli.input.map(Into::into),
        ),
        Some(Command::Play(args)) => play(
            args,
            data_dir,
            cli.profile.clone(),
            roots,
            cli.input.map(Into::into),
        ),
    }
}

fn new_level(audio: &Path, out: &Path, force: bool) -> ExitCode {
    match crate::core::level::skeleton::new_level(audio, out, force) {
        Ok(made) => {
            let e = made.estimate;
            println!(
                "tempo       {:.2} BPM (confidence {:.0} %)",
                e.bpm,
                e.confidence * 100.0
            );
            if let Some(other) = e.alternative {
                println!("            or {other:.2} BPM: the music fits both; try each");
            }
            println!("first beat  {:.3} s", e.offset);
            println!(
                "title       {}{}",
                made.title,
                if made.artist.is_empty() {
                    String::new()
                } else {
                    format!(" by {}", made.artist)
                }
            );
            println!("preview     from {:.1} s", made.preview_start);
            println!(
                "wrote {}; write the Easy chart, then `lightstick validate {}`",
                made.folder.join("level.ron").display(),
                made.folder.display()
            );
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("lightstick new-level: {why}");
            ExitCode::from(1)
        }
    }
}

fn pack(names: &[String], out: &Path, force: bool, roots: &[PathBuf]) -> ExitCode {
    let mut folders = Vec::new();
    for name in names {
        match resolve_level(name, roots) {
            Ok(report) => folders.extend(report.file.parent().map(Path::to_path_buf)),
            Err(why) => {
                eprintln!("lightstick pack: {why}");
                return ExitCode::from(2);
            }
        }
    }
    match crate::core::pack::write_pack(&folders, out, force) {
        Ok(manifest) => {
            for level in &manifest.levels {
                let charts: Vec<String> = level
                    .charts
                    .iter()
                    .map(|(name, meter, _)| format!("{name} {meter}"))
                    .collect();
                println!("{}: {} ({})", level.folder, level.title, charts.join(", "));
            }
            println!(
                "wrote {} with {} levels; `lightstick import {}` installs it",
                out.display(),
                manifest.levels.len(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("lightstick pack: {why}");
            ExitCode::from(1)
        }
    }
}

fn draft_chart(name: &str, difficulty: &str, lanes: u8, roots: &[PathBuf]) -> ExitCode {
    let Some(density) = music::draft::Density::from_name(difficulty) else {
        eprintln!(
            "lightstick draft-chart: `{difficulty}` is not a density; use Easy, Normal, Hard or Expert"
        );
        return ExitCode::from(2);
    };
    let sheet = resolve_level(name, roots).and_then(|report| {
        let errors: Vec<String> = report.errors().map(|d| d.to_string()).collect();
        let level = report
            .level
            .ok_or_else(|| format!("the level has errors:\n{}", errors.join("\n")))?;
        let path = level.sheet.ok_or_else(|| {
            format!(
                "`{}` plays an audio file; drafts need a song sheet",
                level.title
            )
        })?;
        music::sheet::read_sheet(&path).map_err(|d| d.to_string())
    });
    match sheet {
        Ok(sheet) => {
            let notes = music::draft::draft(&sheet, density, lanes);
            let meter = 2 + 3 * density as u32;
            println!(
                "{}",
                music::draft::to_ron(&sheet, &notes, lanes, density.name(), meter)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lightstick draft-chart: {e}");
            ExitCode::FAILURE
        }
    }
}

fn render_audio(name: &str, out: &Path, roots: &[PathBuf]) -> ExitCode {
    let report = match resolve_level(name, roots) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("lightstick render-audio: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(level) = report.level else {
        for d in report.errors() {
            eprintln!("{d}");
        }
        return ExitCode::FAILURE;
    };
    let Some(sheet) = &level.sheet else {
        eprintln!(
            "lightstick render-audio: `{}` plays the audio file {}; it has no song sheet to render",
            level.title,
            level.audio.display()
        );
        return ExitCode::FAILURE;
    };
    let progress = std::sync::atomic::AtomicU32::new(0);
    let written = music::ensure_rendered(sheet, &level.audio, &progress)
        .map_err(|d| d.to_string())
        .and_then(|()| {
            std::fs::copy(&level.audio, out).map_err(|e| format!("{}: {e}", out.display()))
        });
    match written {
        Ok(_) => {
            println!("rendered {} to {}", sheet.display(), out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lightstick render-audio: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What `validate` checks: level files, level folders, and folders of levels.
fn validation_targets(paths: &[PathBuf], roots: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let targets: Vec<PathBuf> = if paths.is_empty() {
        roots.to_vec()
    } else {
        paths.to_vec()
    };
    for path in &targets {
        // Anything there but a folder is handed on, for the loader to say what is wrong with it.
        if (path.exists() && !path.is_dir()) || path.join(LEVEL_FILE_NAME).is_file() {
            found.push(path.clone());
        } else if path.is_dir() {
            // A folder of levels; say so if it cannot be read rather than find nothing in it.
            std::fs::read_dir(path)
                .map_err(|e| format!("{}: cannot read the folder: {e}", path.display()))?;
            found.extend(crate::core::level::level_folders(std::slice::from_ref(
                path,
            )));
        } else if !paths.is_empty() {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    Ok(found)
}

/// How `validate` reports problems.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Human,
    Json,
}

/// Where `validate` says what it found: to a person, with pictures of the lines at fault, or
/// to an editor, as JSON once everything is checked.
struct Reporter {
    format: ReportFormat,
    sources: std::collections::HashMap<PathBuf, Option<crate::core::explain::SourceFile>>,
    for_editors: Vec<crate::core::explain::EditorDiagnostic>,
}

impl Reporter {
    fn new(format: ReportFormat) -> Self {
        Self {
            format,
            sources: Default::default(),
            for_editors: Vec::new(),
        }
    }

    fn problem(&mut self, diagnostic: &crate::core::diagnostic::Diagnostic) {
        // Each file is read and indexed once, however many problems it has.
        let file = &diagnostic.file;
        let source = self.sources.entry(file.clone()).or_insert_with(|| {
            crate::core::user_file::read_text(
                file,
                crate::core::user_file::MAX_TEXT_BYTES,
                "the file",
            )
            .ok()
            .map(crate::core::explain::SourceFile::new)
        });
        match (self.format, source) {
            (ReportFormat::Human, Some(source)) => println!("{}", source.render(diagnostic)),
            (ReportFormat::Human, None) => {
                println!("{}", crate::core::explain::render(diagnostic, None));
            }
            (ReportFormat::Json, Some(source)) => {
                self.for_editors.push(source.for_editors(diagnostic));
            }
            (ReportFormat::Json, None) => self
                .for_editors
                .push(crate::core::explain::for_editors(diagnostic, None)),
        }
    }

    /// A line for people only: what was fine, and the totals.
    fn say(&self, line: String) {
        if self.format == ReportFormat::Human {
            println!("{line}");
        }
    }

    fn finish(self) {
        if self.format == ReportFormat::Json {
            match serde_json::to_string_pretty(&self.for_editors) {
                Ok(json) => println!("{json}"),
                Err(e) => eprintln!("lightstick validate: {e}"),
            }
        }
    }
}

/// Whether a file is a merch catalog or a festival tour, by its name or by what it holds.
fn fan_file_kind(path: &std::path::Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    if !path.is_file() || !name.ends_with(".ron") || name == "level.ron" || name == "song.ron" {
        return None;
    }
    let text =
        crate::core::user_file::read_text(path, crate::core::user_file::MAX_TEXT_BYTES, "the file")
            .ok()?;
    if text.contains("stages") {
        Some("tour")
    } else if text.contains("items") {
        Some("catalog")
    } else {
        None
    }
}

/// Checks merch catalogs and tours against the known levels, printing every problem. Gives
/// how many files had problems.
fn validate_fan_files(
    files: &[(PathBuf, &str)],
    levels: &[crate::core::tour::KnownLevel],
    reporter: &mut Reporter,
) -> usize {
    let slugs: Vec<String> = levels.iter().map(|l| l.slug.clone()).collect();
    let mut broken = 0;
    for (path, kind) in files {
        let (count, diagnostics) = if *kind == "tour" {
            let (tour, diagnostics) = crate::core::tour::read_tour(path, levels);
            (tour.map_or(0, |t| t.stages.len()), diagnostics)
        } else {
            let (items, diagnostics) = crate::core::merch::read_catalog(path, &slugs);
            (items.len(), diagnostics)
        };
        for d in &diagnostics {
            reporter.problem(d);
        }
        if diagnostics.is_empty() {
            let what = if *kind == "tour" { "stages" } else { "items" };
            reporter.say(format!("ok {}: {kind} of {count} {what}", path.display()));
        } else {
            broken += 1;
        }
    }
    broken
}

/// What each of `targets` holds, in their order, and how many came from the index: a level
/// folder unchanged since its last check is read from the index, the rest are checked now on
/// every core (folders are put in the index; a level file named on its own never is).
fn checked_summaries(
    targets: &[PathBuf],
    index: &mut crate::core::level::index::LibraryIndex,
) -> (Vec<crate::core::level::cache::LevelSummary>, usize) {
    use crate::core::level::cache;
    use rayon::prelude::*;
    let (folders, files): (Vec<PathBuf>, Vec<PathBuf>) =
        targets.iter().cloned().partition(|t| t.is_dir());
    let plan = cache::plan_folders(folders, index.levels());
    let reused = plan.unchanged.len();
    let checked: Vec<cache::CachedLevel> = plan
        .to_check
        .par_iter()
        .map(|folder| cache::check_level(folder).0)
        .collect();
    if let Err(why) = index.put(&checked) {
        eprintln!("{why}");
    }
    let mut found: std::collections::HashMap<PathBuf, cache::LevelSummary> = plan
        .unchanged
        .into_iter()
        .chain(checked)
        .map(|c| (c.summary.folder().to_path_buf(), c.summary))
        .collect();
    let loose: Vec<(PathBuf, cache::LevelSummary)> = files
        .par_iter()
        .map(|f| {
            let report = crate::core::level::load_level(f);
            (f.clone(), cache::LevelSummary::of(&report))
        })
        .collect();
    found.extend(loose);
    let summaries = targets.iter().filter_map(|t| found.remove(t)).collect();
    (summaries, reused)
}

fn validate(
    paths: &[PathBuf],
    roots: &[PathBuf],
    format: ReportFormat,
    index: &mut crate::core::level::index::LibraryIndex,
) -> ExitCode {
    let mut reporter = Reporter::new(format);
    let code = validate_into(paths, roots, index, &mut reporter);
    reporter.finish();
    code
}

fn validate_into(
    paths: &[PathBuf],
    roots: &[PathBuf],
    index: &mut crate::core::level::index::LibraryIndex,
    reporter: &mut Reporter,
) -> ExitCode {
    // Catalogs and tours are checked on their own; the rest are levels.
    let mut fan_files: Vec<(PathBuf, &str)> = Vec::new();
    let mut level_paths: Vec<PathBuf> = Vec::new();
    for path in paths {
        match fan_file_kind(path) {
            Some(kind) => fan_files.push((path.clone(), kind)),
            None => level_paths.push(path.clone()),
        }
    }
    if paths.is_empty() {
        fan_files.push((crate::fans::shipped("assets/merch/catalog.ron"), "catalog"));
        fan_files.push((crate::fans::shipped("assets/tours/festival.ron"), "tour"));
    }
    // The levels are checked first: with no paths, they are also what the catalog and the
    // tour name.
    let levels = if paths.is_empty() || !level_paths.is_empty() {
        let folders = match validation_targets(&level_paths, roots) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("lightstick validate: {e}");
                return ExitCode::from(2);
            }
        };
        if folders.is_empty() {
            eprintln!("lightstick validate: no levels found");
            return ExitCode::FAILURE;
        }
        Some(checked_summaries(&folders, index))
    } else {
        None
    };
    let broken_fan_files = if fan_files.is_empty() {
        0
    } else {
        let known: Vec<crate::core::tour::KnownLevel> = match &levels {
            Some((summaries, _)) if paths.is_empty() => summaries
                .iter()
                .map(crate::core::tour::KnownLevel::of)
                .collect(),
            _ => checked_summaries(&crate::core::level::level_folders(roots), index)
                .0
                .iter()
                .map(crate::core::tour::KnownLevel::of)
                .collect(),
        };
        validate_fan_files(&fan_files, &known, reporter)
    };
    let Some((summaries, reused)) = levels else {
        return if broken_fan_files > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        };
    };
    let (mut ok, mut broken) = (0, 0);
    for summary in summaries {
        for d in &summary.diagnostics {
            reporter.problem(d);
        }
        if summary.errors().next().is_some() {
            broken += 1;
        } else {
            ok += 1;
            let charts: Vec<String> = summary
                .charts
                .iter()
                .map(|c| {
                    format!(
                        "{} {} · {:.1} ({} notes)",
                        c.difficulty, c.meter, c.rating, c.notes
                    )
                })
                .collect();
            reporter.say(format!(
                "ok {}: {}",
                summary.file.display(),
                charts.join(", ")
            ));
        }
    }
    let from_index = if reused > 0 {
        format!(" ({reused} unchanged since their last check, from the library index)")
    } else {
        String::new()
    };
    reporter.say(format!(
        "{} levels checked: {ok} ok, {broken} with errors{from_index}",
        ok + broken
    ));
    if broken > 0 || broken_fan_files > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Finds the level named on the command line, as a path or a folder name in the song list.
pub fn resolve_level(name: &str, roots: &[PathBuf]) -> Result<LevelReport, String> {
    let path = PathBuf::from(name);
    if path
        .components()
        .any(|c| c == std::path::Component::ParentDir)
    {
        return Err(format!(
            "`{name}` goes through `..`: name the level's folder directly"
        ));
    }
    let folder = if path.exists() {
        path
    } else {
        let candidates: Vec<PathBuf> = roots.iter().map(|r| r.join(name)).collect();
        match candidates
            .iter()
            .find(|c| c.join(LEVEL_FILE_NAME).is_file())
        {
            Some(found) => found.clone(),
            None => {
                let known: Vec<String> = crate::core::level::level_folders(roots)
                    .iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect();
                return Err(format!(
                    "no level `{name}`: give a level folder or file, or one of: {}",
                    if known.is_empty() {
                        "(no levels found)".into()
                    } else {
                        known.join(", ")
                    }
                ));
            }
        }
    };
    Ok(load_level(&folder))
}

/// Picks the chart by difficulty name.
/// The chart a full replay was recorded on, which it must be judged on: the level must have
/// it, and a `--difficulty` naming another is refused rather than judging the inputs of one
/// chart against the notes of another.
fn replay_chart(
    level: &Level,
    replay: &crate::core::replay::Replay,
    path: &Path,
    asked: Option<&String>,
) -> Result<String, String> {
    if !level
        .charts
        .iter()
        .any(|c| c.difficulty.eq_ignore_ascii_case(&replay.difficulty))
    {
        return Err(format!(
            "{}: the replay was recorded on the chart `{}`, which `{}` does not have (it has {})",
            path.display(),
            replay.difficulty,
            level.title,
            level.difficulty_names().join(", ")
        ));
    }
    if let Some(asked) = asked
        && !asked.eq_ignore_ascii_case(&replay.difficulty)
    {
        return Err(format!(
            "{}: the replay was recorded on `{}`, not `{asked}`; leave out --difficulty to judge it on its own chart",
            path.display(),
            replay.difficulty
        ));
    }
    Ok(replay.difficulty.clone())
}

pub fn choose_chart(level: &Level, difficulty: Option<&str>) -> Result<usize, String> {
    match difficulty {
        None => Ok(0),
        Some(name) => level
            .charts
            .iter()
            .position(|c| c.difficulty.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!(
                    "`{}` has no difficulty `{name}`; it has {}",
                    level.title,
                    level.difficulty_names().join(", ")
                )
            }),
    }
}

/// The result of a headless play, as printed.
#[derive(Serialize, Debug)]
pub struct HeadlessResult {
    pub level: String,
    pub difficulty: String,
    #[serde(flatten)]
    pub result: PlayResult,
    /// For a replay that recorded its result: whether judging it again gave the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches_recorded: Option<bool>,
}

fn play(
    args: PlayArgs,
    data_dir: PathBuf,
    profile: Option<String>,
    roots: Vec<PathBuf>,
    input: Option<crate::settings::InputMode>,
) -> ExitCode {
    if args.players > 1 && !args.headless {
        let request =
            prepare_together_in_window(&args, &roots).and_then(|r| starting_where_asked(&args, r));
        return match request {
            Ok(request) => play_in_window((request, None), &args, data_dir, profile, roots, input),
            Err(message) => {
                eprintln!("lightstick play: {message}");
                ExitCode::FAILURE
            }
        };
    }
    if args.players > 1 && args.headless {
        return match run_headless_together(&args, &roots) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("lightstick play: {message}");
                ExitCode::FAILURE
            }
        };
    }
    match prepare_play(&args, &roots) {
        Err(message) => {
            eprintln!("lightstick play: {message}");
            ExitCode::FAILURE
        }
        Ok(prepared) if args.headless => {
            let result = run_headless(&prepared);
            match serde_json::to_string_pretty(&result) {
                Ok(json) => println!("{json}"),
                Err(e) => {
                    eprintln!("lightstick play: {e}");
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Ok(prepared) => {
            let request = prepared.into_request();
            let request = match starting_where_asked(&args, request) {
                Ok(request) => request,
                Err(message) => {
                    eprintln!("lightstick play: --from: {message}");
                    return ExitCode::FAILURE;
                }
            };
            play_in_window((request, None), &args, data_dir, profile, roots, input)
        }
    }
}

/// A play the command line has checked and is ready to run.
pub struct PreparedPlay {
    pub level: Level,
    pub chart: usize,
    pub judge: JudgeSettings,
    pub mode: crate::gameplay::PlayMode,
    pub replay: Option<ReplayFile>,
}

impl PreparedPlay {
    /// The member's lines a group member's replay plays, if it is one.
    pub fn part(&self) -> Option<crate::core::multiplayer::GroupPart> {
        match &self.replay {
            Some(ReplayFile::Full(replay)) => replay.part(),
            _ => None,
        }
    }

    /// The play in the window: one player, the whole song, or a member's lines for their
    /// replay.
    pub fn into_request(self) -> crate::gameplay::PlayRequest {
        crate::gameplay::PlayRequest {
            part: self.part(),
            ..crate::gameplay::PlayRequest::solo(
                std::sync::Arc::new(self.level),
                self.chart,
                self.judge,
                self.mode,
            )
        }
    }
}

pub fn prepare_play(args: &PlayArgs, roots: &[PathBuf]) -> Result<PreparedPlay, String> {
    if args.headless && !args.autoplay && args.replay.is_empty() {
        return Err(
            "headless play needs --autoplay or --replay FILE: nobody is there to press keys".into(),
        );
    }
    if args.players > 1 {
        return Err(format!(
            "{} players: use --headless with --autoplay or one --replay per player",
            args.players
        ));
    }
    if args.replay.len() > 1 {
        return Err(format!(
            "{} replays for 1 player: give --players {} to judge each on their own",
            args.replay.len(),
            args.replay.len()
        ));
    }
    if args.difficulty.len() > 1 {
        return Err("one player plays one chart: give --difficulty once".into());
    }
    let report = resolve_level(&args.level, roots)?;
    let Some(level) = report.level else {
        let errors: Vec<String> = report.errors().map(|d| d.to_string()).collect();
        return Err(format!("the level has errors:\n{}", errors.join("\n")));
    };
    let replay = match args.replay.first() {
        Some(path) => Some((read_replay(path).map_err(|d| d.to_string())?, path)),
        None => None,
    };
    let (replay, replay_path) = match replay {
        Some((file, path)) => (Some(file), Some(path)),
        None => (None, None),
    };
    let replay_difficulty = match (&replay, replay_path) {
        (Some(ReplayFile::Full(r)), Some(path)) => {
            Some(replay_chart(&level, r, path, args.difficulty.first())?)
        }
        _ => None,
    };
    let chart = choose_chart(
        &level,
        args.difficulty
            .first()
            .map(String::as_str)
            .or(replay_difficulty.as_deref()),
    )?;
    let mut judge = JudgeSettings {
        difficulty: JudgeDifficulty(args.judge.unwrap_or(JudgeDifficulty::default().0)),
        rate: args.rate,
        no_fail: args.no_fail,
        mods: args.mods(),
        ..JudgeSettings::default()
    };
    // A full replay is judged as it was played, unless the command line says otherwise.
    if let Some(ReplayFile::Full(r)) = &replay {
        if args.has_mods() {
            return Err(
                "a replay plays with the mods it was recorded with: leave out --lanes, --hidden and --sudden"
                    .into(),
            );
        }
        judge = JudgeSettings {
            difficulty: args.judge.map_or(r.settings.difficulty, JudgeDifficulty),
            rate: if args.rate != 1.0 {
                args.rate
            } else {
                r.settings.rate
            },
            no_fail: args.no_fail || r.settings.no_fail,
            // The bar the play had: a replay fails, or not, where the play did.
            life: r.settings.life,
            // The chart the player met: a lane mod's layout comes from its stored seed.
            mods: r.settings.mods,
        };
    }
    let lanes = level.charts[chart].lanes;
    let mode = match &replay {
        Some(file) => {
            if let Some(path) = replay_path {
                check_lanes(path, file, lanes).map_err(|d| d.to_string())?;
            }
            crate::gameplay::PlayMode::Replay(file.events().iter().map(|e| e.to_input()).collect())
        }
        None if args.autoplay => crate::gameplay::PlayMode::Autoplay,
        None => crate::gameplay::PlayMode::Normal,
    };
    Ok(PreparedPlay {
        level,
        chart,
        judge,
        mode,
        replay,
    })
}

/// Judges a prepared one-player play through the play session, as the window would.
pub fn run_headless(prepared: &PreparedPlay) -> HeadlessResult {
    let chart = &prepared.level.charts[prepared.chart];
    let session = Session::one_player(
        &prepared.level,
        prepared.chart,
        prepared.judge,
        prepared.part(),
    );
    let inputs = match &prepared.mode {
        crate::gameplay::PlayMode::Replay(inputs) => inputs.clone(),
        _ => session.autoplay(0),
    };
    let result = session.play_through(&[inputs]).seats[0].result;
    let matches_recorded = match &prepared.replay {
        Some(ReplayFile::Full(r)) => r.result.map(|recorded| recorded == result),
        _ => None,
    };
    HeadlessResult {
        level: prepared.level.slug.clone(),
        difficulty: chart.difficulty.clone(),
        result,
        matches_recorded,
    }
}

/// One player of a headless multiplayer run, as printed.
#[derive(Serialize, Debug)]
pub struct SeatResult {
    pub player: u8,
    pub difficulty: String,
    /// Versus: 1 for the winner; players tied on score, accuracy and max combo share a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<usize>,
    #[serde(flatten)]
    pub result: PlayResult,
}

/// A headless run of 2 to 4 players, as printed.
#[derive(Serialize, Debug)]
pub struct TogetherResult {
    pub level: String,
    pub mode: &'static str,
    pub players: Vec<SeatResult>,
    /// Versus: players from first to last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ranking: Option<Vec<u8>>,
    /// Group stage: the combined score, the shared life and who carried which line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<crate::core::multiplayer::GroupResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<crate::core::multiplayer::PartSplit>,
}

/// Judges 2 to 4 players through the play session, each on their own chart and inputs, and
/// ranks them (versus) or scores them as one group.
pub fn run_headless_together(args: &PlayArgs, roots: &[PathBuf]) -> Result<String, String> {
    let players = args.players as usize;
    if !args.autoplay && args.replay.len() != players {
        return Err(format!(
            "{players} players need {players} replays (one --replay each), not {}",
            args.replay.len()
        ));
    }
    let (level, settings, chosen) = together_level(args, roots)?;
    let charts: Vec<&Chart> = chosen.iter().map(|c| &level.charts[*c]).collect();
    let files = args
        .replay
        .iter()
        .map(|path| read_replay(path).map_err(|d| d.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let seats = charts
        .iter()
        .enumerate()
        .map(|(player, chart)| SeatSetup {
            chart: (*chart).clone(),
            // Each player meets the chart their own mods made of it.
            settings: match files.get(player) {
                Some(ReplayFile::Full(replay)) => JudgeSettings {
                    mods: replay.settings.mods,
                    ..settings
                },
                _ => settings,
            },
        })
        .collect();
    let split = args.group.then(|| level.split_for(args.players));
    let session = Session::new(seats, split, args.no_fail).map_err(|e| e.to_string())?;
    let mut inputs = Vec::new();
    for (player, chart) in charts.iter().enumerate() {
        inputs.push(match args.replay.get(player).zip(files.get(player)) {
            Some((path, file)) => {
                if let ReplayFile::Full(replay) = file
                    && !replay.difficulty.eq_ignore_ascii_case(&chart.difficulty)
                {
                    return Err(format!(
                        "{}: the replay was recorded on the chart `{}`, not player {}'s `{}`",
                        path.display(),
                        replay.difficulty,
                        player + 1,
                        chart.difficulty
                    ));
                }
                check_lanes(path, file, chart.lanes).map_err(|d| {
                    format!("{d} (player {}'s {} chart)", player + 1, chart.difficulty)
                })?;
                file.events().iter().map(|e| e.to_input()).collect()
            }
            // Autoplay plays each player's own notes: in a group, their lines.
            None => session.autoplay(player),
        });
    }
    let outcome = session.play_through(&inputs);
    let group = args.group;
    let together = TogetherResult {
        level: level.slug.clone(),
        mode: if group { "group" } else { "versus" },
        players: outcome
            .seats
            .iter()
            .enumerate()
            .map(|(p, seat)| SeatResult {
                player: p as u8 + 1,
                difficulty: charts[p].difficulty.clone(),
                place: (!group).then(|| outcome.places[p]),
                result: seat.result,
            })
            .collect(),
        ranking: (!group).then(|| outcome.order.iter().map(|p| *p as u8 + 1).collect()),
        group: outcome.group,
        split: outcome.split,
    };
    serde_json::to_string_pretty(&together).map_err(|e| e.to_string())
}

/// A multiplayer play started from the command line in the window: the keyboard layouts in
/// turn (left letters, arrows, numpad), then the first pad.
fn prepare_together_in_window(
    args: &PlayArgs,
    roots: &[PathBuf],
) -> Result<crate::gameplay::PlayRequest, String> {
    use crate::bindings::{Device, KeyboardLayout};
    if !args.replay.is_empty() {
        return Err("replays of several players are judged with --headless".into());
    }
    let (level, judge, chosen) = together_level(args, roots)?;
    let settings = crate::settings::Settings::default();
    let seats = chosen
        .into_iter()
        .enumerate()
        .map(|(player, chart)| crate::gameplay::PlaySeat {
            name: format!("Player {}", player + 1),
            chart,
            judge,
            scroll: settings.scroll,
            highway_opacity: settings.highway_opacity,
            device: match KeyboardLayout::ALL.get(player) {
                Some(layout) => Device::Keyboard(*layout),
                None => Device::Pad {
                    pad: 0,
                    name: "first pad".into(),
                },
            },
            profile: None,
        })
        .collect();
    let mode = if args.autoplay {
        crate::gameplay::PlayMode::Autoplay
    } else {
        crate::gameplay::PlayMode::Normal
    };
    crate::gameplay::PlayRequest::for_seats(
        std::sync::Arc::new(level),
        seats,
        judge,
        mode,
        args.group,
    )
}

/// The level, the judge settings and each player's chart of a multiplayer run: `-d` once for
/// everyone or once per player.
fn together_level(
    args: &PlayArgs,
    roots: &[PathBuf],
) -> Result<(Level, JudgeSettings, Vec<usize>), String> {
    let players = args.players as usize;
    if !(args.difficulty.len() <= 1 || args.difficulty.len() == players) {
        return Err(format!(
            "give --difficulty once for everyone or once per player ({players}), not {} times",
            args.difficulty.len()
        ));
    }
    let report = resolve_level(&args.level, roots)?;
    let Some(level) = report.level else {
        let errors: Vec<String> = report.errors().map(|d| d.to_string()).collect();
        return Err(format!("the level has errors:\n{}", errors.join("\n")));
    };
    let judge = JudgeSettings {
        difficulty: JudgeDifficulty(args.judge.unwrap_or(JudgeDifficulty::default().0)),
        rate: args.rate,
        no_fail: args.no_fail,
        mods: args.mods(),
        ..JudgeSettings::default()
    };
    let charts = (0..players)
        .map(|player| {
            let name = args.difficulty.get(player).or(args.difficulty.first());
            choose_chart(&level, name.map(String::as_str))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((level, judge, charts))
}

/// The command line of the `song`-th play of a soak (autoplay, at double speed in the window
/// so a hundred songs take less than two hours).
fn soak_args(song: usize, levels: &[String], headless: bool) -> Result<PlayArgs, String> {
    let (players, group) = crate::soak::soak_shape(song);
    let level = &levels[song % levels.len()];
    let players = players.to_string();
    let mut words = vec![
        "lightstick",
        "play",
        level,
        "--autoplay",
        "--players",
        &players,
    ];
    words.extend(["-d", "Normal"]);
    if group {
        words.push("--group");
    }
    if headless {
        words.push("--headless");
    } else {
        words.extend(["--rate", "2.0"]);
    }
    match Cli::try_parse_from(words)
        .map_err(|e| e.to_string())?
        .command
    {
        Some(Command::Play(args)) => Ok(args),
        _ => Err("the soak's play did not parse".into()),
    }
}

fn soak(
    songs: usize,
    headless: bool,
    seconds_per_song: Option<f64>,
    data_dir: PathBuf,
    roots: Vec<PathBuf>,
) -> ExitCode {
    // The songs: the lesson has one Beginner chart, not the difficulties a soak's seats pick.
    let levels: Vec<String> = crate::core::level::level_folders(&roots)
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|name| name != crate::lesson::LESSON_LEVEL)
        .collect();
    if levels.is_empty() || songs == 0 {
        eprintln!("lightstick soak: no levels to play");
        return ExitCode::FAILURE;
    }
    let describe = |song: usize, args: &PlayArgs| {
        let (players, group) = crate::soak::soak_shape(song);
        let mode = match (players, group) {
            (1, _) => "one player".to_string(),
            (n, false) => format!("versus, {n} players"),
            (n, true) => format!("group of {n}"),
        };
        format!("{} ({mode})", args.level)
    };
    if headless {
        let mut log = crate::soak::SoakLog::default();
        for song in 0..songs {
            let played = soak_args(song, &levels, true).and_then(|args| {
                if args.players > 1 {
                    run_headless_together(&args, &roots)?;
                } else {
                    run_headless(&prepare_play(&args, &roots)?);
                }
                Ok(describe(song, &args))
            });
            match played {
                Ok(what) => log.record(song + 1, &what),
                Err(why) => {
                    eprintln!("lightstick soak: song {}: {why}", song + 1);
                    return ExitCode::FAILURE;
                }
            }
        }
        return if log.summary() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    // One request per level and shape, cycled: each level is loaded once, as the song list does.
    let mut plays = Vec::new();
    for song in 0..songs.min(levels.len() * 5) {
        let args = match soak_args(song, &levels, false) {
            Ok(args) => args,
            Err(why) => {
                eprintln!("lightstick soak: {why}");
                return ExitCode::FAILURE;
            }
        };
        let request = if args.players > 1 {
            prepare_together_in_window(&args, &roots)
        } else {
            prepare_play(&args, &roots).map(PreparedPlay::into_request)
        };
        match request {
            Ok(request) => plays.push((request, describe(song, &args))),
            Err(why) => {
                eprintln!("lightstick soak: {why}");
                return ExitCode::FAILURE;
            }
        }
    }
    crate::app::run_game(crate::app::LaunchOptions {
        data_dir,
        profile: None,
        level_roots: roots,
        start: None,
        input: None,
        open: None,
        soak: Some(crate::soak::SoakPlan {
            plays,
            songs,
            seconds_per_song,
            played: 0,
            log: crate::soak::SoakLog::default(),
        }),
    })
}

/// Saves plays over and over through the play journal, as the end of a play does, and says each
/// count once it is saved; the crash-safety test kills it at random moments and checks that the
/// score book, the replays and the profile always agree.
fn stress_play(folder: &std::path::Path) -> ExitCode {
    use crate::core::journal::{self, PlayEntry, ProgressWrite, ReplayWrite, ScoreWrite};
    use std::io::Write as _;
    let journal_path = folder.join(journal::JOURNAL_FILE);
    let nothing = |_: &mut crate::core::profile::Profile| Vec::new();
    // What a kill cut short is finished first, as the game does when it starts.
    let (_, messages) = journal::apply_pending(&journal_path, &nothing);
    for message in messages {
        eprintln!("lightstick stress-play: {message}");
    }
    let replays = folder.join("replays");
    let mut count = std::fs::read_dir(&replays).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "ron"))
            .count()
    });
    let stdout = std::io::stdout();
    loop {
        count += 1;
        let result = PlayResult {
            score: 900_000,
            ..PlayResult::default()
        };
        let entry = PlayEntry {
            id: format!("stress-{count:06}"),
            replay: Some(ReplayWrite {
                path: replays.join(format!("{count:06}.ron")),
                text: "[]".into(),
            }),
            score: Some(ScoreWrite {
                book: folder.join("scores.ron"),
                level: "stress".into(),
                record_as: "Hard".into(),
                result,
                at: count as u64,
            }),
            progress: Some(ProgressWrite {
                profile: folder.join("profile.ron"),
                play: crate::core::merch::PlayRecord {
                    level: "stress".into(),
                    difficulty: "Hard".into(),
                    meter: 5,
                    result,
                    versus_win: false,
                    group_clear: false,
                    part_of_chart: false,
                    notes_to_hit: 100,
                },
            }),
        };
        if let Err(e) = journal::write(&journal_path, &[entry]) {
            eprintln!("lightstick stress-play: {e}");
            return ExitCode::FAILURE;
        }
        let (_, messages) = journal::apply_pending(&journal_path, &nothing);
        if !messages.is_empty() {
            eprintln!("lightstick stress-play: {}", messages.join("; "));
            return ExitCode::FAILURE;
        }
        let mut out = stdout.lock();
        let _ = writeln!(out, "saved {count}");
        let _ = out.flush();
    }
}

/// Saves a profile over and over, one more unlocked item each time, and says each count once
/// the save is complete; the crash-safety test kills it at random moments.
fn stress_save(path: &std::path::Path) -> ExitCode {
    use std::io::Write as _;
    let (mut profile, _) = crate::core::profile::load_profile(path);
    let mut count = profile.unlocked.len();
    let stdout = std::io::stdout();
    loop {
        count += 1;
        profile.unlocked.insert(format!("item-{count:06}"));
        profile.progress.fan_points_earned = profile.progress.fan_points_earned.saturating_add(10);
        if let Err(e) = crate::core::profile::save_profile(path, &profile) {
            eprintln!("lightstick stress-save: {e}");
            return ExitCode::FAILURE;
        }
        let mut out = stdout.lock();
        let _ = writeln!(out, "saved {count}");
        let _ = out.flush();
    }
}
