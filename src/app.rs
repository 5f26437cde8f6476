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
    pub level_roots: Vec<PathBuf>,
    /// Go straight into a play (from `lightstick play` without `--headless`).
    pub start: Option<DirectStart>,
    /// The input mode for this run, over the setting.
    pub input: Option<crate::settings::InputMode>,
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
    ));
}

/// Loads settings, scores and the song list, reporting files that could not be read.
pub fn insert_player_data(app: &mut App, data_dir: PathBuf, level_roots: Vec<PathBuf>) {
    let settings_path = crate::paths::settings_file(&data_dir);
    let (settings, settings_problems) = settings::load(&settings_path);
    let scores = Scores::load(crate::paths::scores_file(&data_dir));
    let library = SongLibrary::scan(&level_roots);
    let slugs: Vec<String> = library
        .entries
        .iter()
        .map(|e| e.report.slug.clone())
        .collect();
    let (fans, fan_problems) = crate::fans::Fans::load(&data_dir, &slugs);
    let mut notices = app.world_mut().resource_mut::<notice::Notices>();
    for problem in settings_problems
        .iter()
        .chain(&scores.problems)
        .chain(&fan_problems)
    {
        notices.push(problem.clone());
    }
    app.insert_resource(fans);
    app.insert_resource(settings)
        .insert_resource(SettingsFile::new(settings_path, settings_problems))
        .insert_resource(scores)
        .insert_resource(library)
        .insert_resource(GamePaths {
            data_dir,
            level_roots,
        });
}

/// Opens the game window and runs until it closes.
pub fn run_game(options: LaunchOptions) -> ExitCode {
    let mut app = App::new();
    let fullscreen = settings::load(&crate::paths::settings_file(&options.data_dir))
        .0
        .fullscreen;
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
    insert_player_data(&mut app, options.data_dir, options.level_roots);
    if let Some(mode) = options.input {
        app.insert_resource(input::InputModeOverride(mode));
    }
    if let Some(start) = options.start {
        app.insert_resource(PlayRequest {
            level: Arc::new(start.level),
            chart: start.chart,
            judge: start.judge,
            mode: start.mode,
            seats: start.seats,
            group: start.group,
        });
        app.insert_resource(StageOverride {
            detail: start.stage,
            venue: start.venue,
        });
        app.world_mut()
            .resource_mut::<NextState<Screen>>()
            .set(Screen::Gameplay);
        if let Some((path, after)) = start.screenshot {
            app.insert_resource(ScreenshotAfter {
                path,
                after,
                taken: false,
            });
            app.add_systems(Update, take_screenshot);
        }
        if let Some(after) = start.exit_after {
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
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
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
