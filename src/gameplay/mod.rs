//! Gameplay: one play of one chart, from the count-in to the results. Each player is an entity
//! with its own judge, so local multiplayer adds players rather than rewriting the play.

pub mod audio;
pub mod calibration;
pub mod clock;
pub mod input;

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;
use bevy_kira_audio::prelude::{Audio, AudioInstance, AudioSource};

use crate::core::judge::{Action, Judge, JudgeEvent, JudgeSettings, LaneInput, autoplay_inputs};
use crate::core::level::Level;
use crate::core::records::chart_key;
use crate::core::replay::{REPLAY_FORMAT, Replay, ReplayEvent, to_ron};
use crate::core::save;
use crate::core::score::PlayResult;
use crate::library::{GamePaths, Scores};
use crate::notice::Notices;
use crate::screens::Screen;
use crate::settings::Settings;
use audio::SongAudio;
use clock::{ClockPhase, ClockRequest, ClockSource, SongClock};
use input::{LaneBindings, LaneInputMessage};

/// Seconds of count-in before the first note at the latest.
const MIN_LEAD_IN: f64 = 2.0;
/// How long after the last note, or after failing, the play lingers before the results.
const OUTRO: f64 = 1.5;

/// What to play next: set by the song list or the command line before entering gameplay.
#[derive(Resource, Clone, Debug)]
pub struct PlayRequest {
    pub level: Arc<Level>,
    pub chart: usize,
    pub judge: JudgeSettings,
    pub mode: PlayMode,
}

impl PlayRequest {
    /// The audio offset inputs are corrected by: none while calibrating, which measures it.
    pub fn audio_offset(&self, settings: &Settings) -> f64 {
        match self.mode {
            PlayMode::Calibrate(_) => 0.0,
            _ => settings.audio_offset_for(&self.level.slug),
        }
    }

    /// The visual offset the picture is drawn with: none while calibrating.
    pub fn visual_offset(&self, settings: &Settings) -> f64 {
        match self.mode {
            PlayMode::Calibrate(_) => 0.0,
            _ => settings.visual_offset(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum PlayMode {
    /// The player plays; the play is saved as a replay and may set a best score.
    Normal,
    /// The game plays itself perfectly.
    Autoplay,
    /// Recorded inputs are played back.
    Replay(Vec<LaneInput>),
    /// Taps to a metronome or a flash measure the player's offsets; nothing is judged or saved.
    Calibrate(calibration::CalibrationKind),
}

/// One player in the play.
#[derive(Component)]
pub struct Player {
    pub index: u8,
    pub judge: Judge,
    /// Inputs as judged, for the replay.
    pub recorded: Vec<LaneInput>,
    /// Inputs played for the player (autoplay or a replay), and the next to play.
    script: Option<(Vec<LaneInput>, usize)>,
}

/// What the screen shows of a player's recent judgements.
#[derive(Component, Default, Debug)]
pub struct PlayerFeedback {
    /// The latest judgement and the song time it came at.
    pub last: Option<(JudgeEvent, f64)>,
    /// Per lane, the song time of the last press, for receptor flashes.
    pub lane_pressed_at: Vec<f64>,
    /// Recent (song time, offset) hits, for the hit-error bar.
    pub recent_offsets: Vec<(f64, f64)>,
}

/// The state of the play as a whole.
#[derive(Resource, Debug, Default)]
pub struct PlayState {
    pub paused: bool,
    /// Song time when every player was done (finished or failed).
    pub done_at: Option<f64>,
}

/// Asked of the play from the pause menu.
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayCommand {
    TogglePause,
    Resume,
    Restart,
    Quit,
}

/// The finished play, for the results screen.
#[derive(Resource, Clone, Debug)]
pub struct LastPlay {
    pub level: Arc<Level>,
    pub chart: usize,
    pub mode: PlayMode,
    pub result: PlayResult,
    pub history: Vec<JudgeEvent>,
    /// (song time, real-time offset) of every hit.
    pub offsets: Vec<(f64, f64)>,
    pub new_best: bool,
    pub replay: Replay,
    pub replay_path: Option<PathBuf>,
    /// For a calibration play: what it measured, and every tap's error in ms.
    pub calibration: Option<(
        calibration::CalibrationKind,
        crate::core::calibration::Calibration,
        Vec<f64>,
    )>,
}

/// Gameplay systems run in this order each frame.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaySystems {
    /// Song clock follows the audio.
    Clock,
    /// Inputs are collected.
    Input,
    /// Inputs are judged and time advances.
    Judge,
    /// The play ends when everyone is done.
    Finish,
}

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(input::plugin)
        .init_resource::<PlayState>()
        .init_resource::<SongAudio>()
        .add_message::<PlayCommand>()
        .configure_sets(
            PreUpdate,
            (PlaySystems::Clock, PlaySystems::Input)
                .chain()
                .after(bevy::input::InputSystems)
                .run_if(in_state(Screen::Gameplay)),
        )
        .configure_sets(
            Update,
            (PlaySystems::Judge, PlaySystems::Finish)
                .chain()
                .run_if(in_state(Screen::Gameplay)),
        )
        .add_systems(OnEnter(Screen::Gameplay), start_play)
        .add_systems(OnExit(Screen::Gameplay), stop_audio)
        .add_systems(PreUpdate, drive_clock.in_set(PlaySystems::Clock))
        .add_systems(
            PreUpdate,
            input::stamp_frame_keys
                .run_if(input::frame_stamping)
                .in_set(PlaySystems::Input),
        )
        .add_systems(
            Update,
            (pause_on_escape, handle_commands, judge_inputs)
                .chain()
                .in_set(PlaySystems::Judge),
        )
        .add_systems(Update, finish_play.in_set(PlaySystems::Finish));
}

fn lead_in(level: &Level, chart: usize) -> f64 {
    let first = level.charts[chart].first_time();
    (MIN_LEAD_IN - first).max(0.0)
}

/// Sets up a play from the request: players, bindings, clock and audio.
pub fn start_play(
    mut commands: Commands,
    request: Option<Res<PlayRequest>>,
    settings: Res<Settings>,
    audio: Option<Res<Audio>>,
    players: Query<Entity, With<Player>>,
    mut next: ResMut<NextState<Screen>>,
    mut notices: ResMut<Notices>,
) {
    for entity in &players {
        commands.entity(entity).despawn();
    }
    let Some(request) = request else {
        notices.push("nothing to play: pick a song first");
        next.set(Screen::SongSelect);
        return;
    };
    let level = &request.level;
    let chart = level.charts[request.chart].clone();
    // A calibration measures taps on any lane; its pacing chart must never fail the player.
    let mut judge_settings = request.judge;
    if matches!(request.mode, PlayMode::Calibrate(_)) {
        judge_settings.no_fail = true;
    }
    let script = match &request.mode {
        PlayMode::Normal | PlayMode::Calibrate(_) => None,
        PlayMode::Autoplay => Some((autoplay_inputs(&chart), 0)),
        PlayMode::Replay(inputs) => Some((inputs.clone(), 0)),
    };
    commands.insert_resource(LaneBindings::single_player(
        &settings.keys_for(chart.lanes),
        &settings.pads_for(chart.lanes),
    ));
    commands.spawn((
        Name::new("Player 1"),
        Player {
            index: 0,
            judge: Judge::new(chart.clone(), judge_settings),
            recorded: Vec::new(),
            script,
        },
        PlayerFeedback {
            lane_pressed_at: vec![f64::NEG_INFINITY; chart.lanes as usize],
            ..default()
        },
        DespawnOnExit(Screen::Gameplay),
    ));
    commands.insert_resource(SongClock::new(
        request.judge.rate,
        lead_in(level, request.chart),
    ));
    commands.insert_resource(SongAudio::load(level, audio.is_some()));
    commands.insert_resource(PlayState::default());
}

fn stop_audio(song: Res<SongAudio>, instances: Option<ResMut<Assets<AudioInstance>>>) {
    if let Some(mut instances) = instances {
        song.stop(&mut instances);
    }
}

/// Loads the audio, starts the count-in, and keeps the song clock on the audio. Without the
/// audio plugin (headless runs) the clock runs on real time.
#[allow(clippy::too_many_arguments)]
fn drive_clock(
    mut clock: ResMut<SongClock>,
    mut song: ResMut<SongAudio>,
    audio: Option<Res<Audio>>,
    sources: Option<ResMut<Assets<AudioSource>>>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    time: Res<Time<Real>>,
    settings: Res<Settings>,
    request: Res<PlayRequest>,
    mut notices: ResMut<Notices>,
) {
    let now = time.last_update().unwrap_or_else(|| time.startup());
    // The flash check is done in silence: only the eyes are measured.
    let volume = match request.mode {
        PlayMode::Calibrate(calibration::CalibrationKind::Visual) => 0.0,
        _ => settings.volume,
    };
    let (Some(audio), Some(mut sources), Some(mut instances)) = (audio, sources, instances) else {
        if clock.phase() == ClockPhase::Loading {
            clock.begin(now, ClockSource::Wall);
        }
        clock.tick(now, None);
        return;
    };
    if clock.phase() == ClockPhase::Loading {
        match song.poll(&audio, &mut sources, &instances, clock.rate(), volume) {
            None => return,
            Some(Ok(())) => clock.begin(now, ClockSource::Audio),
            Some(Err(why)) => {
                notices.once(
                    "no-audio",
                    format!("{why}: playing on the wall clock, without sound"),
                );
                clock.begin(now, ClockSource::Wall);
            }
        }
    }
    let reading = song.reading(&instances);
    if clock.tick(now, reading) == ClockRequest::StartAudio {
        song.resume(&mut instances);
    }
    if clock.fell_back {
        clock.fell_back = false;
        notices.push("the audio did not start: playing on the wall clock");
        song.stop(&mut instances);
    }
}

fn pause_on_escape(keys: Res<ButtonInput<KeyCode>>, mut commands: MessageWriter<PlayCommand>) {
    if keys.just_pressed(KeyCode::Escape) {
        commands.write(PlayCommand::TogglePause);
    }
}

#[allow(clippy::too_many_arguments)]
fn handle_commands(
    mut commands_in: MessageReader<PlayCommand>,
    mut state: ResMut<PlayState>,
    mut clock: ResMut<SongClock>,
    song: Res<SongAudio>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    time: Res<Time<Real>>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    let now = time.last_update().unwrap_or_else(|| time.startup());
    let mut no_instances = Assets::<AudioInstance>::default();
    let mut instances = instances;
    let instances: &mut Assets<AudioInstance> = match instances.as_mut() {
        Some(i) => i,
        None => &mut no_instances,
    };
    for command in commands_in.read() {
        match command {
            PlayCommand::TogglePause if !state.paused => {
                pause(&mut state, &mut clock, &song, instances)
            }
            PlayCommand::TogglePause | PlayCommand::Resume if state.paused => {
                state.paused = false;
                let position = song.reading(instances).map(|r| r.position);
                song.resume(instances);
                clock.resume(now, position);
            }
            PlayCommand::Restart => {
                song.stop(instances);
                commands.run_system_cached(start_play);
            }
            PlayCommand::Quit => {
                next.set(Screen::SongSelect);
            }
            _ => {}
        }
    }
}

fn pause(
    state: &mut PlayState,
    clock: &mut SongClock,
    song: &SongAudio,
    instances: &mut Assets<AudioInstance>,
) {
    if state.done_at.is_some() {
        return;
    }
    state.paused = true;
    clock.pause();
    song.pause(instances);
}

/// Judges every input of the frame at its own time, plays scripted inputs, and moves each
/// judge to the current song time.
fn judge_inputs(
    mut players: Query<(&mut Player, &mut PlayerFeedback)>,
    mut inputs: MessageReader<LaneInputMessage>,
    clock: Res<SongClock>,
    settings: Res<Settings>,
    state: Res<PlayState>,
    request: Res<PlayRequest>,
) {
    let offset = request.audio_offset(&settings);
    let running = !state.paused
        && matches!(
            clock.phase(),
            ClockPhase::LeadIn | ClockPhase::Running | ClockPhase::WaitingForAudio
        );
    for message in inputs.read() {
        let Some((mut player, mut feedback)) =
            players.iter_mut().find(|(p, _)| p.index == message.player)
        else {
            continue;
        };
        // In the pause menu presses mean nothing, but a key let go must be let go in the judge
        // too, or its next press after resuming would be taken for the same one.
        let let_go_while_paused = state.paused && message.action == Action::Release;
        if player.script.is_some() || !(running || let_go_while_paused) {
            continue;
        }
        let song_time = clock.heard_time_at(message.at, offset);
        // Recorded as judged, so the replay reproduces this play exactly.
        let input = LaneInput {
            time: song_time.max(player.judge.now()),
            lane: message.lane,
            action: message.action,
        };
        apply_input(&mut player, &mut feedback, input);
    }
    if !running {
        return;
    }
    let now = clock.heard_now(offset);
    for (mut player, mut feedback) in &mut players {
        while let Some(input) = player
            .script
            .as_ref()
            .and_then(|(inputs, next)| inputs.get(*next).copied())
            .filter(|i| i.time <= now)
        {
            if let Some((_, next)) = player.script.as_mut() {
                *next += 1;
            }
            apply_input(&mut player, &mut feedback, input);
        }
        player.judge.advance(now);
        collect_feedback(&mut player, &mut feedback);
    }
}

fn apply_input(player: &mut Player, feedback: &mut PlayerFeedback, input: LaneInput) {
    player.judge.input(input);
    player.recorded.push(input);
    if input.action == Action::Press
        && let Some(at) = feedback.lane_pressed_at.get_mut(input.lane as usize)
    {
        *at = input.time;
    }
    collect_feedback(player, feedback);
}

fn collect_feedback(player: &mut Player, feedback: &mut PlayerFeedback) {
    for event in player.judge.drain_events() {
        let time = event.time();
        if let JudgeEvent::Hit {
            offset: Some(offset),
            judgement,
            ..
        } = event
            && judgement != crate::core::judge::Judgement::Miss
        {
            feedback.recent_offsets.push((time, offset));
            if feedback.recent_offsets.len() > 40 {
                feedback.recent_offsets.remove(0);
            }
        }
        feedback.last = Some((event, time));
    }
}

/// Ends the play once every player is done: saves the score and the replay of a real play and
/// shows the results.
#[allow(clippy::too_many_arguments)]
fn finish_play(
    players: Query<&Player>,
    clock: Res<SongClock>,
    mut state: ResMut<PlayState>,
    request: Res<PlayRequest>,
    paths: Option<Res<GamePaths>>,
    mut scores: Option<ResMut<Scores>>,
    mut notices: ResMut<Notices>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    if state.paused || players.is_empty() {
        return;
    }
    let now = clock.now();
    let all_done = players.iter().all(|p| {
        p.judge.failed()
            || (p.judge.finished() && now > p.judge.chart().last_time() + 0.25)
            || now > request.level.audio_length + 0.5
    });
    if !all_done {
        return;
    }
    let done_at = *state.done_at.get_or_insert(now);
    if now < done_at + OUTRO {
        return;
    }
    let Some(player) = players.iter().find(|p| p.index == 0) else {
        return;
    };
    let mut judge = player.judge.clone();
    judge.finish();
    let result = judge.score().result();
    let level = &request.level;
    let chart = &level.charts[request.chart];
    let played_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let replay = Replay {
        format: REPLAY_FORMAT,
        level: level.slug.clone(),
        difficulty: chart.difficulty.clone(),
        player: "Player 1".into(),
        settings: request.judge,
        played_at,
        events: player
            .recorded
            .iter()
            .map(ReplayEvent::from_input)
            .collect(),
        result: Some(result),
    };
    let mut new_best = false;
    let mut replay_path = None;
    if request.mode == PlayMode::Normal {
        if let Some(scores) = scores.as_mut() {
            // A play at another rate is a different challenge: it keeps a best of its own.
            let rate = request.judge.rate;
            let record_as = if rate == 1.0 {
                chart.difficulty.clone()
            } else {
                format!("{} x{rate:.2}", chart.difficulty)
            };
            new_best = scores
                .book
                .record(&level.slug, &record_as, result, played_at);
            scores.save();
        }
        if let Some(paths) = &paths {
            let path = crate::paths::replays_dir(&paths.data_dir)
                .join(&level.slug)
                .join(format!(
                    "{}-{played_at}.ron",
                    chart_key("", &chart.difficulty).trim_start_matches('/')
                ));
            match save::write_atomic(&path, &to_ron(&replay)) {
                Ok(()) => replay_path = Some(path),
                Err(e) => notices.push(format!("could not save the replay: {e}")),
            }
        }
    }
    let calibration = match request.mode {
        PlayMode::Calibrate(kind) => {
            let (outcome, errors) = calibration::measure(&player.recorded, request.judge.rate);
            Some((kind, outcome, errors))
        }
        _ => None,
    };
    commands.insert_resource(LastPlay {
        calibration,
        level: level.clone(),
        chart: request.chart,
        mode: request.mode.clone(),
        result,
        history: judge.history().to_vec(),
        offsets: judge.score().offsets().to_vec(),
        new_best,
        replay,
        replay_path,
    });
    state.done_at = None;
    next.set(Screen::Results);
}
