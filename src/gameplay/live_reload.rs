//! A level edited while it plays or is practised: its folder is watched (notify), and a save
//! of its level file or its song sheet reloads it at the same song position, within a second.
//! The notes ahead change and the judgements already made stay. A save that has errors leaves
//! the last good version playing, and the errors show over the play until a save fixes them.
//! A changed song sheet is rendered again off the main thread, and the music switches to the
//! new render at the song's position once it is ready.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};

use bevy_kira_audio::prelude::{Audio, AudioInstance, AudioSource};

use super::audio::SongAudio;
use super::clock::{ClockPhase, SongClock};
use super::pause::Pause;
use super::session::PlaySession;
use super::{PlayRequest, PlaySystems};
use crate::core::diagnostic::Diagnostic;
use crate::core::level::{Level, LevelReport};
use crate::notice::Notices;
use crate::screens::Screen;

/// How long the level's folder must be quiet before the level is read again: an editor's save
/// is often several writes.
const SETTLE_SECONDS: f32 = 0.15;

/// The watch on the playing level, and what its latest save did.
#[derive(Resource, Default)]
pub struct LiveReload {
    watcher: Option<notify::RecommendedWatcher>,
    events: Option<std::sync::Mutex<Receiver<notify::Result<notify::Event>>>>,
    /// The level file being watched, and its song sheet.
    file: Option<PathBuf>,
    sheet: Option<PathBuf>,
    /// A save was seen, this many seconds ago of quiet.
    saved: Option<f32>,
    loading: Option<Task<LevelReport>>,
    /// The errors of the latest save, each as `validate` draws it (its line, the spot
    /// underlined, help), shown over the play until a save fixes them.
    pub errors: Vec<(Diagnostic, String)>,
    /// Saves that reloaded the level.
    pub reloads: u32,
}

/// The music a saved song sheet renders to, loading off the main thread until it can take
/// over from the music playing.
#[derive(Resource, Default)]
pub struct NextSong(Option<SongAudio>);

impl NextSong {
    /// A new render is on its way.
    pub fn is_loading(&self) -> bool {
        self.0.is_some()
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<LiveReload>()
        .init_resource::<NextSong>()
        .add_systems(OnEnter(Screen::Gameplay), watch_the_level)
        .add_systems(OnExit(Screen::Gameplay), stop_watching)
        .add_systems(
            Update,
            (notice_saves, reload_the_level, switch_the_song)
                .chain()
                .before(PlaySystems::Judge)
                .run_if(in_state(Screen::Gameplay))
                .run_if(resource_exists::<PlaySession>),
        );
}

/// Watches the folder of the level about to play: editors save by writing a new file and
/// renaming it over the old, which only a watch on the folder sees.
pub(super) fn watch_the_level(request: Option<Res<PlayRequest>>, mut live: ResMut<LiveReload>) {
    *live = LiveReload::default();
    let Some(request) = request else {
        return;
    };
    let file = request.level.file.clone();
    let Some(folder) = file.parent().map(PathBuf::from) else {
        return;
    };
    use notify::Watcher;
    let (sender, receiver) = std::sync::mpsc::channel();
    let Ok(mut watcher) = notify::recommended_watcher(sender) else {
        warn!("cannot watch {} for edits while it plays", file.display());
        return;
    };
    // The song sheet is watched too, in its own folder if it has another.
    let sheet = request.level.sheet.clone();
    let sheet_folder = sheet
        .as_deref()
        .and_then(std::path::Path::parent)
        .filter(|f| *f != folder)
        .map(PathBuf::from);
    for watched in std::iter::once(&folder).chain(sheet_folder.as_ref()) {
        if let Err(e) = watcher.watch(watched, notify::RecursiveMode::NonRecursive) {
            warn!(
                "cannot watch {} for edits while it plays: {e}",
                watched.display()
            );
            return;
        }
    }
    live.watcher = Some(watcher);
    live.events = Some(std::sync::Mutex::new(receiver));
    live.file = Some(file);
    live.sheet = sheet;
}

fn stop_watching(mut live: ResMut<LiveReload>, mut next: ResMut<NextSong>) {
    *live = LiveReload::default();
    *next = NextSong::default();
}

/// Notes a save of the level file, and once the folder has been quiet for a moment reads the
/// level again off the main thread.
fn notice_saves(mut live: ResMut<LiveReload>, time: Res<Time<Real>>) {
    let Some(file) = live.file.clone() else {
        return;
    };
    let mut saved = false;
    if let Some(events) = &live.events
        && let Ok(events) = events.lock()
    {
        while let Ok(event) = events.try_recv() {
            // Reading the file is an event too; only changes to it count.
            let ours = |p: &PathBuf| {
                p.file_name() == file.file_name()
                    || live
                        .sheet
                        .as_ref()
                        .is_some_and(|sheet| p.file_name() == sheet.file_name())
            };
            if let Ok(event) = event
                && !matches!(event.kind, notify::EventKind::Access(_))
                && event.paths.iter().any(ours)
            {
                saved = true;
            }
        }
    }
    if saved {
        live.saved = Some(0.0);
        return;
    }
    let Some(quiet) = live.saved.as_mut() else {
        return;
    };
    *quiet += time.delta_secs();
    if *quiet < SETTLE_SECONDS || live.loading.is_some() {
        return;
    }
    live.saved = None;
    live.loading = Some(
        AsyncComputeTaskPool::get().spawn(async move { crate::core::level::load_level(&file) }),
    );
}

/// Swaps the reloaded level in at the song's position, or shows why it cannot be.
fn reload_the_level(
    mut live: ResMut<LiveReload>,
    mut request: ResMut<PlayRequest>,
    mut session: ResMut<PlaySession>,
    mut next_song: ResMut<NextSong>,
    audio: Option<Res<Audio>>,
    mut notices: ResMut<Notices>,
) {
    let Some(task) = live.loading.as_mut() else {
        return;
    };
    let Some(report) = block_on(future::poll_once(task)) else {
        return;
    };
    live.loading = None;
    let name = report
        .file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let old_audio = request.level.audio.clone();
    let swapped = match report.level {
        Some(level) if !report.has_errors() => swap_in(level, &mut request, &mut session),
        _ => Err(report.errors().cloned().collect()),
    };
    match swapped {
        Ok(()) => {
            live.errors.clear();
            live.reloads += 1;
            if request.level.audio != old_audio {
                // The song sheet changed: its new render loads while the old one plays on.
                next_song.0 = Some(SongAudio::load(&request.level, audio.is_some()));
                notices.push(t!("notice-reloaded-rendering", level = name.clone()));
            } else {
                notices.push(t!("notice-reloaded", level = name.clone()));
            }
        }
        Err(errors) => {
            let text = std::fs::read_to_string(&report.file).unwrap_or_default();
            let source = crate::core::explain::SourceFile::new(text);
            live.errors = errors
                .into_iter()
                .map(|d| {
                    let drawn = source.render(&d);
                    (d, drawn)
                })
                .collect();
            notices.push(t!(
                "notice-reload-errors",
                level = name.clone(),
                count = live.errors.len()
            ));
        }
    }
}

/// Once a saved song sheet's new render is decoded, the music switches to it at the song's
/// position: the old song stops and lets its audio go.
#[allow(clippy::too_many_arguments)]
fn switch_the_song(
    mut next: ResMut<NextSong>,
    mut song: ResMut<SongAudio>,
    audio: Option<Res<Audio>>,
    sources: Option<ResMut<Assets<AudioSource>>>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    clock: Res<SongClock>,
    pause: Res<State<Pause>>,
    settings: Res<crate::settings::Settings>,
    mut retired: ResMut<crate::sound::RetiredSounds>,
    mut notices: ResMut<Notices>,
) {
    let Some(pending) = next.0.as_mut() else {
        return;
    };
    let (Some(audio), Some(mut sources), Some(mut instances)) = (audio, sources, instances) else {
        // Without sound there is nothing to switch.
        next.0 = None;
        return;
    };
    match pending.poll(
        &audio,
        &mut sources,
        &instances,
        clock.rate(),
        settings.volume,
    ) {
        None => {}
        Some(Err(why)) => {
            next.0 = None;
            notices.push(t!("notice-render-cannot-play", reason = why.to_string()));
        }
        Some(Ok(())) => {
            let Some(new) = next.0.take() else {
                return;
            };
            new.seek(clock.now(), &mut instances);
            if !pause.0 && clock.phase() == ClockPhase::Running {
                new.resume(&mut instances);
            }
            std::mem::replace(&mut *song, new).let_go(
                Some(&mut instances),
                Some(&mut sources),
                &mut retired,
            );
            notices.push(t!("notice-new-render-plays"));
        }
    }
}

/// Gives every seat its chart of `level` (the same difficulty) from the position the play has
/// reached, or says why the play cannot take it.
fn swap_in(
    level: Level,
    request: &mut PlayRequest,
    session: &mut PlaySession,
) -> Result<(), Vec<Diagnostic>> {
    let refuse = |message: String| Err(vec![Diagnostic::error(&level.file, None, message)]);
    let old = &request.level;
    let seats = session.seat_count();
    let mut charts = Vec::with_capacity(seats);
    for seat in 0..seats {
        let Some(playing) = session.whole_chart(seat) else {
            continue;
        };
        let Some(index) = level
            .charts
            .iter()
            .position(|c| c.difficulty == playing.difficulty)
        else {
            return refuse(format!(
                "the {} chart being played is gone from the level",
                playing.difficulty
            ));
        };
        if level.charts[index].lanes != playing.lanes {
            return refuse(format!(
                "the {} chart now has {} lanes: restart the play to use it",
                playing.difficulty, level.charts[index].lanes
            ));
        }
        charts.push((seat, index));
    }
    for (seat, index) in &charts {
        if let Err(why) = session.replace_chart(*seat, level.charts[*index].clone()) {
            return refuse(why.to_string());
        }
        if let Some(played) = request.seats.get_mut(*seat) {
            played.chart = *index;
        }
    }
    let difficulty = &old.charts[request.chart].difficulty;
    if let Some(index) = level
        .charts
        .iter()
        .position(|c| &c.difficulty == difficulty)
    {
        request.chart = index;
    }
    request.level = Arc::new(level);
    Ok(())
}
