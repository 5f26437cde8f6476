//! Putting the game together: the plugins every run uses, the player's data, and the window.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use bevy::prelude::*;
use bevy::window::{PresentMode, WindowMode};

use crate::core::judge::JudgeSettings;
use crate::core::level::Level;
use crate::gameplay::{PlayMode, PlayRequest};
use crate::library::{GamePaths, Scores, SongLibrary};
use crate::screens::Screen;
use crate::settings::{self, SettingsFile};
use crate::{gameplay, input, library, notice, screens};

/// How the game starts.
pub struct LaunchOptions {
    pub data_dir: PathBuf,
    /// The profile to play as, by name; the one used last when `None`.
    pub profile: Option<String>,
    pub level_roots: Vec<PathBuf>,
    /// Go straight into a play (from `lightstick play` without `--headless`).
    pub start: Option<DirectStart>,
    /// The input mode for this run, over the setting.
    pub input: Option<crate::settings::InputMode>,
    /// Open on this menu screen (from `lightstick show`), with a screenshot and exit timer.
    pub open: Option<OpenScreen>,
    /// Play song after song, logging memory (from `lightstick soak`).
    pub soak: Option<crate::soak::SoakPlan>,
}

pub struct OpenScreen {
    pub screen: Screen,
    /// In the collection: open the shop, and this item's detail view.
    pub shop: bool,
    pub item: Option<String>,
    pub screenshot: Option<(PathBuf, f32)>,
    pub exit_after: Option<f32>,
}

pub struct DirectStart {
    pub level: Level,
    pub chart: usize,
    pub judge: JudgeSettings,
    pub mode: PlayMode,
    /// Local multiplayer seats; empty for one player.
    pub seats: Vec<crate::gameplay::PlaySeat>,
    pub group: bool,
    pub screenshot: Option<(PathBuf, f32)>,
    pub exit_after: Option<f32>,
    /// Stage detail and venue for this run, over the setting and the level's.
    pub stage: Option<crate::settings::StageDetail>,
    pub venue: Option<crate::core::stage::Venue>,
}

/// The stage as the command line asked for it, over the setting and the level's venue.
#[derive(Resource, Clone, Copy, Debug, Default)]
pub struct StageOverride {
    pub detail: Option<crate::settings::StageDetail>,
    pub venue: Option<crate::core::stage::Venue>,
}

/// Everything the game does apart from drawing and sound: screens, settings, the song library
/// and gameplay. Headless tests drive exactly this on `MinimalPlugins`.
pub fn logic_plugin(app: &mut App) {
    app.add_plugins((
        screens::plugin,
        notice::plugin,
        settings::plugin,
        library::plugin,
        crate::lineup::plugin,
        gameplay::plugin,
        input::plugin,
        crate::tour::plugin,
        crate::soak::plugin,
    ));
}

/// Loads the profile to play as (named, else the one used last), its settings, scores and
/// fan profile, and the song list, reporting files that could not be read.
pub fn insert_player_data(
    app: &mut App,
    data_dir: PathBuf,
    profile: Option<&str>,
    level_roots: Vec<PathBuf>,
) {
    PlayerData::load(data_dir, profile, level_roots).insert(app);
}

/// The song list and the profile to play as, read once at start: opening a profile can move
/// older data into it and set a corrupt file aside, and the player must hear of both.
struct PlayerData {
    data_dir: PathBuf,
    level_roots: Vec<PathBuf>,
    library: SongLibrary,
    profile: ProfileData,
    /// What opening the profile did, before what reading its files found.
    messages: Vec<String>,
}

impl PlayerData {
    fn load(data_dir: PathBuf, profile: Option<&str>, level_roots: Vec<PathBuf>) -> Self {
        let library = SongLibrary::scan(&level_roots);
        let (entry, messages) = crate::core::profiles::open_profile(&data_dir, profile);
        let profile = ProfileData::load(&data_dir, entry, &library);
        Self {
            data_dir,
            level_roots,
            library,
            profile,
            messages,
        }
    }

    fn insert(self, app: &mut App) {
        let mut notices = app.world_mut().resource_mut::<notice::Notices>();
        for message in self.messages.iter().chain(&self.profile.problems) {
            notices.push(message.clone());
        }
        app.insert_resource(self.library);
        self.profile
            .insert(app.world_mut(), self.data_dir, self.level_roots);
    }
}

/// Saves what a play journal still holds, when a crash or kill cut the end of a play short:
/// the same code that saves every play, applied once more, so nothing is counted twice.
fn finish_cut_short_plays(
    data_dir: &std::path::Path,
    scores: &mut Scores,
    fans: &mut crate::fans::Fans,
) -> Vec<String> {
    use crate::core::journal;
    let journal_path = data_dir.join(journal::JOURNAL_FILE);
    if !journal_path.exists() {
        return Vec::new();
    }
    let (applied, mut messages) = journal::apply_pending(&journal_path, &|p| fans.unlock(p));
    let finished = applied
        .iter()
        .filter(|(_, a)| *a != journal::Applied::default())
        .count();
    if finished > 0 {
        messages.push(format!(
            "finished saving {finished} play(s) that the last session was closed in the middle of saving"
        ));
    }
    scores.reload();
    fans.reload();
    messages
}

/// Everything one profile holds, loaded from its folder.
struct ProfileData {
    entry: crate::core::profiles::ProfileEntry,
    profile_dir: PathBuf,
    settings: settings::Settings,
    settings_file: SettingsFile,
    scores: Scores,
    fans: crate::fans::Fans,
    problems: Vec<String>,
}

impl ProfileData {
    fn load(
        data_dir: &std::path::Path,
        entry: crate::core::profiles::ProfileEntry,
        library: &SongLibrary,
    ) -> Self {
        let profile_dir = crate::core::profiles::profile_dir(data_dir, &entry.slug);
        let settings_path = crate::paths::settings_file(&profile_dir);
        let (settings, settings_problems) = settings::load(&settings_path);
        let mut scores = Scores::load(crate::paths::scores_file(&profile_dir));
        let levels = library.known_levels();
        let (mut fans, fan_problems) = crate::fans::Fans::load(data_dir, &profile_dir, &levels);
        let recovered = finish_cut_short_plays(data_dir, &mut scores, &mut fans);
        let problems = settings_problems
            .iter()
            .chain(&scores.problems)
            .chain(&fan_problems)
            .chain(&recovered)
            .cloned()
            .collect();
        Self {
            entry,
            settings,
            settings_file: SettingsFile::new(settings_path, settings_problems),
            scores,
            fans,
            problems,
            profile_dir,
        }
    }

    fn insert(self, world: &mut World, data_dir: PathBuf, level_roots: Vec<PathBuf>) {
        if let Err(e) = crate::core::profiles::remember_last_used(&data_dir, &self.entry.slug) {
            warn!("could not remember the profile used last: {e}");
        }
        world.insert_resource(self.fans);
        world.insert_resource(self.settings);
        world.insert_resource(self.settings_file);
        world.insert_resource(self.scores);
        world.insert_resource(GamePaths {
            data_dir,
            profile_dir: self.profile_dir,
            profile: self.entry,
            level_roots,
        });
    }
}

/// Plays as another profile from now on: its settings, bindings, scores and collection.
pub fn switch_profile(world: &mut World, entry: crate::core::profiles::ProfileEntry) {
    let Some(paths) = world.get_resource::<GamePaths>().cloned() else {
        return;
    };
    // A settings change still waiting to be written belongs to the profile being left.
    if world.resource::<SettingsFile>().unsaved {
        let settings = world.resource::<settings::Settings>().clone();
        world.resource_mut::<SettingsFile>().save(&settings);
    }
    let data = {
        let library = world.resource::<SongLibrary>();
        ProfileData::load(&paths.data_dir, entry, library)
    };
    let mut notices = world.resource_mut::<notice::Notices>();
    for problem in &data.problems {
        notices.push(problem.clone());
    }
    notices.push(format!("Playing as {}", data.entry.name));
    data.insert(world, paths.data_dir, paths.level_roots);
}

/// Opens the game window and runs until it closes.
/// Why no window can open, said before winit would panic on it ("Failed to build event loop").
#[cfg(target_os = "linux")]
fn missing_display() -> Option<String> {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("WAYLAND_DISPLAY") {
        return None;
    }
    if !set("DISPLAY") {
        return Some(
            "no display to open a window on: neither DISPLAY nor WAYLAND_DISPLAY is set. Run it in a desktop session, or use `lightstick play LEVEL --headless` or `validate`, which need none".into(),
        );
    }
    match x11rb::connect(None) {
        Ok(_) => None,
        Err(e) => Some(format!(
            "cannot reach the display {}: {e}",
            std::env::var("DISPLAY").unwrap_or_default()
        )),
    }
}

#[cfg(not(target_os = "linux"))]
fn missing_display() -> Option<String> {
    None
}

/// A decoded song is tens of megabytes. glibc raises its mmap threshold each time such a block
/// is freed, so later songs land in the heap arenas, which never shrink: over a soak of 100
/// songs the game grew from 255 to 430 MiB. A fixed threshold keeps every large buffer mapped
/// on its own and handed back when the song ends (the soak then levels off near 300 MiB).
fn keep_large_buffers_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning, before the game's threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

pub fn run_game(options: LaunchOptions) -> ExitCode {
    if let Some(problem) = missing_display() {
        eprintln!("lightstick: {problem}");
        return ExitCode::FAILURE;
    }
    keep_large_buffers_returnable();
    let mut app = App::new();
    let player_data = PlayerData::load(
        options.data_dir,
        options.profile.as_deref(),
        options.level_roots,
    );
    let fullscreen = player_data.profile.settings.fullscreen;
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title: "Lightstick".into(),
            resolution: (1280, 720).into(),
            present_mode: PresentMode::AutoVsync,
            mode: if fullscreen {
                WindowMode::BorderlessFullscreen(bevy::window::MonitorSelection::Current)
            } else {
                WindowMode::Windowed
            },
            ..default()
        }),
        ..default()
    }))
    .add_plugins(bevy_kira_audio::AudioPlugin)
    .add_plugins(bevy_egui::EguiPlugin::default())
    .add_plugins(logic_plugin)
    .add_plugins(crate::ui::plugin)
    .add_plugins(input::threads_plugin);
    #[cfg(feature = "dev")]
    app.add_plugins(bevy::dev_tools::fps_overlay::FpsOverlayPlugin::default());
    player_data.insert(&mut app);
    if let Some(mode) = options.input {
        app.insert_resource(input::InputModeOverride(mode));
    }
    if let Some(start) = options.start {
        // From the command line, player 1 plays as the profile the game started with.
        let mut seats = start.seats;
        if let (Some(first), Some(paths)) =
            (seats.first_mut(), app.world().get_resource::<GamePaths>())
            && first.profile.is_none()
        {
            first.profile = Some(paths.profile.clone());
            first.name = paths.profile.name.clone();
        }
        app.insert_resource(PlayRequest {
            level: Arc::new(start.level),
            chart: start.chart,
            judge: start.judge,
            mode: start.mode,
            seats,
            group: start.group,
        });
        app.insert_resource(StageOverride {
            detail: start.stage,
            venue: start.venue,
        });
        app.world_mut()
            .resource_mut::<NextState<Screen>>()
            .set(Screen::Gameplay);
        add_capture(&mut app, start.screenshot, start.exit_after);
    } else if let Some(mut soak) = options.soak {
        if let Some((first, _)) = soak.plays.first() {
            app.insert_resource(first.clone());
            soak.played = 1;
            app.world_mut()
                .resource_mut::<NextState<Screen>>()
                .set(Screen::Gameplay);
        }
        app.insert_resource(soak);
    } else if let Some(open) = options.open {
        app.insert_resource(crate::ui::collection::BinderView {
            page: if open.shop {
                crate::ui::collection::Page::Shop
            } else {
                crate::ui::collection::Page::Category(
                    open.item
                        .as_ref()
                        .and_then(|id| {
                            app.world()
                                .get_resource::<crate::fans::Fans>()
                                .and_then(|f| f.item(id))
                                .map(|i| i.category)
                        })
                        .unwrap_or(crate::core::merch::Category::Lightstick),
                )
            },
            selected: open.item.clone(),
            confirm_buy: None,
            columns: 4,
        });
        app.world_mut()
            .resource_mut::<NextState<Screen>>()
            .set(open.screen);
        add_capture(&mut app, open.screenshot, open.exit_after);
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// A screenshot after some seconds, and leaving after some more, for tests and docs.
fn add_capture(app: &mut App, screenshot: Option<(PathBuf, f32)>, exit: Option<f32>) {
    if let Some((path, after)) = screenshot {
        app.insert_resource(ScreenshotAfter {
            path,
            after,
            taken: false,
        });
        app.add_systems(Update, take_screenshot);
    }
    if let Some(after) = exit {
        app.insert_resource(ExitAfter(after))
            .init_resource::<FrameTimes>()
            .add_systems(
                Update,
                (
                    record_frame_time.run_if(in_state(Screen::Gameplay)),
                    exit_after,
                )
                    .chain(),
            );
    }
}

#[derive(Resource)]
struct ScreenshotAfter {
    path: PathBuf,
    after: f32,
    taken: bool,
}

fn take_screenshot(
    mut commands: Commands,
    mut shot: ResMut<ScreenshotAfter>,
    time: Res<Time<Real>>,
) {
    if shot.taken || time.elapsed_secs() < shot.after {
        return;
    }
    shot.taken = true;
    let path = shot.path.clone();
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    commands
        .spawn(bevy::render::view::screenshot::Screenshot::primary_window())
        .observe(bevy::render::view::screenshot::save_to_disk(path));
}

#[derive(Resource)]
struct ExitAfter(f32);

/// Frame times of gameplay in a timed run, reported when it exits.
#[derive(Resource, Default)]
struct FrameTimes(Vec<f64>);

fn record_frame_time(time: Res<Time<Real>>, mut times: ResMut<FrameTimes>) {
    times.0.push(time.delta_secs_f64() * 1000.0);
}

fn exit_after(
    limit: Res<ExitAfter>,
    time: Res<Time<Real>>,
    times: Res<FrameTimes>,
    mut exit: MessageWriter<AppExit>,
) {
    if time.elapsed_secs() < limit.0 {
        return;
    }
    // The first frames of a play load the song; leave them out.
    let mut ms: Vec<f64> = times.0.iter().skip(30).copied().collect();
    if !ms.is_empty() {
        let mean = ms.iter().sum::<f64>() / ms.len() as f64;
        ms.sort_by(f64::total_cmp);
        let p99 = ms[(ms.len() * 99 / 100).min(ms.len() - 1)];
        info!(
            "gameplay frame time over {} frames: mean {mean:.2} ms ({:.1} fps), median {:.2} ms, p99 {p99:.2} ms",
            ms.len(),
            1000.0 / mean,
            ms[ms.len() / 2]
        );
    }
    exit.write(AppExit::Success);
}
