//! Putting the game together: the plugins every run uses, the player's data, and the window.

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::prelude::*;
use bevy::window::{PresentMode, WindowMode};

use crate::gameplay::PlayRequest;
use crate::library::GamePaths;
use crate::screens::Screen;
use crate::settings;
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

/// When a timed run takes its screenshot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ShotMoment {
    /// After this many seconds (the time a play's song takes to load is not counted).
    After(f32),
    /// Just after the last note of a play is judged: the end-of-song celebration.
    PlayEnd,
}

impl ShotMoment {
    /// Reads `4.5` or `end`.
    pub fn parse(text: &str) -> Result<ShotMoment, String> {
        if text == "end" {
            return Ok(ShotMoment::PlayEnd);
        }
        match text.parse::<f32>() {
            Ok(seconds) if seconds.is_finite() && seconds >= 0.0 => Ok(ShotMoment::After(seconds)),
            _ => Err(format!("`{text}` is neither a number of seconds nor `end`")),
        }
    }
}

/// How long after the play's end the `end` screenshot is taken, in song seconds: the
/// celebration has begun and the results have not.
const SHOT_AFTER_PLAY_END: f64 = 0.6;

pub struct OpenScreen {
    pub screen: Screen,
    /// In the collection: open the shop, and this item's detail view.
    pub shop: bool,
    pub item: Option<String>,
    pub screenshot: Option<(PathBuf, ShotMoment)>,
    pub exit_after: Option<f32>,
}

pub struct DirectStart {
    pub request: PlayRequest,
    pub screenshot: Option<(PathBuf, ShotMoment)>,
    pub exit_after: Option<f32>,
    /// Stage detail and venue for this run, over the setting and the level's.
    pub stage: Option<crate::settings::StageDetail>,
    pub venue: Option<crate::core::stage::Venue>,
    /// The recording the play takes down (`lightstick record`).
    pub recording: Option<crate::gameplay::record_mode::RecordRun>,
}

/// Everything the game does apart from drawing and sound: screens, settings, the song library
/// and gameplay. Headless tests drive exactly this on `MinimalPlugins`.
pub fn logic_plugin(app: &mut App) {
    app.add_plugins((
        screens::plugin,
        notice::plugin,
        settings::plugin,
        library::plugin,
        crate::song_browser::plugin,
        crate::lineup::plugin,
        crate::fans::plugin,
        gameplay::plugin,
        input::plugin,
        crate::tour::plugin,
        crate::soak::plugin,
        crate::sound::plugin,
        crate::import::plugin,
        crate::player_data::plugin,
        crate::replays::plugin,
    ))
    .add_plugins((crate::i18n::plugin, crate::lesson::plugin));
}

/// Bevy's pools, with room in the async compute pool for the game's long jobs. Bevy compiles
/// its render pipelines there, and on two cores its default is one thread: a song sheet
/// rendering for the first play (seconds of synth) then held every pipeline back, and the window
/// stayed black until the song was ready. Three threads let a render, an import and the
/// pipelines run side by side; the OS shares the cores between them.
fn task_pools() -> TaskPoolOptions {
    let mut options = TaskPoolOptions::default();
    options.async_compute.min_threads = ASYNC_COMPUTE_THREADS;
    options.async_compute.max_threads =
        options.async_compute.max_threads.max(ASYNC_COMPUTE_THREADS);
    options
}

/// At least this many threads for long jobs beside Bevy's own pipeline compiles.
const ASYNC_COMPUTE_THREADS: usize = 3;

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
/// on its own and handed back when the song ends.
fn keep_large_buffers_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning, before the game's threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// The renderer sized for a 2D game. Its default favours speed on big 3D scenes and reserves
/// GPU memory in blocks of 64 to 256 MiB that it keeps once made: on a software renderer that
/// is system memory, and one texture upload in a four-player play left a 128 MiB block behind.
fn renderer_settings() -> bevy::render::settings::WgpuSettings {
    const MIB: u64 = 1024 * 1024;
    bevy::render::settings::WgpuSettings {
        memory_hints: bevy::render::settings::MemoryHints::Manual {
            suballocated_device_memory_block_size: 4 * MIB..16 * MIB,
        },
        ..default()
    }
}

pub fn run_game(options: LaunchOptions) -> ExitCode {
    if let Some(problem) = missing_display() {
        eprintln!("lightstick: {problem}");
        return ExitCode::FAILURE;
    }
    keep_large_buffers_returnable();
    crate::gameplay::audio::request_low_latency();
    let mut app = App::new();
    let player_data = crate::player_data::PlayerData::load(
        options.data_dir,
        options.profile.as_deref(),
        options.level_roots,
    );
    let fullscreen = player_data.fullscreen();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
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
            })
            .set(bevy::render::RenderPlugin {
                render_creation: renderer_settings().into(),
                ..default()
            })
            .set(TaskPoolPlugin {
                task_pool_options: task_pools(),
            }),
    )
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
        let mut request = start.request;
        let world = app.world();
        if let (Some(first), Some(paths), Some(fans), Some(catalog)) = (
            request.seats.first_mut(),
            world.get_resource::<GamePaths>(),
            world.get_resource::<crate::fans::Fans>(),
            world.get_resource::<crate::fans::MerchCatalog>(),
        ) && first.profile.is_none()
        {
            first.profile = Some(fans.seat_profile(catalog, paths, &paths.profile));
            first.name = paths.profile.name.clone();
        }
        app.insert_resource(request);
        if let Some(recording) = start.recording {
            app.insert_resource(recording);
        }
        app.insert_resource(crate::gameplay::stage::StageOverride {
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
                                .get_resource::<crate::fans::MerchCatalog>()
                                .and_then(|c| c.item(id))
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
fn add_capture(app: &mut App, screenshot: Option<(PathBuf, ShotMoment)>, exit: Option<f32>) {
    app.init_resource::<CaptureClock>()
        .add_systems(First, count_capture_time);
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
                    record_frame_time
                        .run_if(in_state(Screen::Gameplay).or_else(in_state(Screen::SongSelect))),
                    exit_after,
                )
                    .chain(),
            )
            .init_resource::<ScreenOpening>()
            .init_resource::<crate::ui::ButtonReport>()
            .add_systems(StateTransition, start_timing_screen)
            .add_systems(Last, report_screen_opened);
    }
}

/// When the screen on show was entered, in a timed run, until its first frame is drawn.
#[derive(Resource, Default)]
struct ScreenOpening(Option<(Screen, std::time::Instant, u32)>);

fn start_timing_screen(
    mut entered: MessageReader<StateTransitionEvent<Screen>>,
    mut opening: ResMut<ScreenOpening>,
) {
    if let Some(screen) = entered.read().last().and_then(|e| e.entered) {
        opening.0 = Some((screen, std::time::Instant::now(), 0));
    }
}

/// Says how long a screen took from the key that opened it to its first frame on screen: the
/// frame it was entered in, and the next, which draws it.
fn report_screen_opened(mut opening: ResMut<ScreenOpening>) {
    let Some((screen, since, frames)) = opening.0.as_mut() else {
        return;
    };
    *frames += 1;
    if *frames == 2 {
        info!(
            "{screen:?} opened in {:.0} ms",
            since.elapsed().as_secs_f64() * 1000.0
        );
        opening.0 = None;
    }
}

/// The seconds `--screenshot-after` and `--exit-after` count: real time, less the time a play
/// spends loading its song, so a first play that renders its song sheet is pictured at the
/// same moment of the song as every later one. At most [`MAX_UNCOUNTED_LOADING`] seconds go
/// uncounted, so a timed run always ends.
#[derive(Resource, Default)]
struct CaptureClock {
    counted: f32,
    loading: f32,
}

const MAX_UNCOUNTED_LOADING: f32 = 120.0;

fn count_capture_time(
    time: Res<Time<Real>>,
    clock: Option<Res<crate::gameplay::clock::SongClock>>,
    screen: Res<State<Screen>>,
    mut counted: ResMut<CaptureClock>,
) {
    let loading = *screen.get() == Screen::Gameplay
        && clock.is_some_and(|c| c.phase() == crate::gameplay::clock::ClockPhase::Loading);
    if loading && counted.loading < MAX_UNCOUNTED_LOADING {
        counted.loading += time.delta_secs();
    } else {
        counted.counted += time.delta_secs();
    }
}

#[derive(Resource)]
struct ScreenshotAfter {
    path: PathBuf,
    after: ShotMoment,
    taken: bool,
}

fn take_screenshot(
    mut commands: Commands,
    mut shot: ResMut<ScreenshotAfter>,
    counted: Res<CaptureClock>,
    play: Option<Res<crate::gameplay::PlayState>>,
    clock: Option<Res<crate::gameplay::clock::SongClock>>,
) {
    let due = match shot.after {
        ShotMoment::After(seconds) => counted.counted >= seconds,
        ShotMoment::PlayEnd => play
            .and_then(|p| p.done_at)
            .zip(clock)
            .is_some_and(|(done_at, clock)| clock.now() >= done_at + SHOT_AFTER_PLAY_END),
    };
    if shot.taken || !due {
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

/// Frame times of gameplay, or of the song list, in a timed run, reported when it exits.
#[derive(Resource, Default)]
struct FrameTimes(Vec<f64>);

fn record_frame_time(time: Res<Time<Real>>, mut times: ResMut<FrameTimes>) {
    times.0.push(time.delta_secs_f64() * 1000.0);
}

fn exit_after(
    limit: Res<ExitAfter>,
    counted: Res<CaptureClock>,
    times: Res<FrameTimes>,
    screen: Res<State<Screen>>,
    mut exit: MessageWriter<AppExit>,
) {
    if counted.counted < limit.0 {
        return;
    }
    // The first frames of a play load the song (of the song list, its index); leave them out.
    let mut ms: Vec<f64> = times.0.iter().skip(30).copied().collect();
    if !ms.is_empty() {
        let mean = ms.iter().sum::<f64>() / ms.len() as f64;
        ms.sort_by(f64::total_cmp);
        let p99 = ms[(ms.len() * 99 / 100).min(ms.len() - 1)];
        info!(
            "{} frame time over {} frames: mean {mean:.2} ms ({:.1} fps), median {:.2} ms, p99 {p99:.2} ms",
            match screen.get() {
                Screen::SongSelect => "song list",
                _ => "gameplay",
            },
            ms.len(),
            1000.0 / mean,
            ms[ms.len() / 2]
        );
    }
    exit.write(AppExit::Success);
}
