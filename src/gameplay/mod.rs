//! Gameplay: one play of one chart, from the count-in to the results. Each player is an entity
//! with its own judge, so local multiplayer adds players rather than rewriting the play.

pub mod audio;
pub mod calibration;
pub mod clock;
pub mod input;
pub mod stage;

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;
use bevy_kira_audio::prelude::{Audio, AudioInstance, AudioSource};

use crate::core::journal;
use crate::core::judge::{Action, Judge, JudgeSettings, LaneInput, autoplay_inputs};
use crate::core::judgement::JudgeEvent;
use crate::core::level::Level;
use crate::core::life::Life;
use crate::core::multiplayer::{GroupResult, PartSplit};
use crate::core::records::chart_key;
use crate::core::replay::{REPLAY_FORMAT, Replay, ReplayEvent, to_ron};
use crate::core::score::PlayResult;
use crate::library::{GamePaths, Scores};
use crate::lineup::{Device, layout_keys};
use crate::notice::Notices;
use crate::screens::Screen;
use crate::settings::{ScrollSpeed, Settings};
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
    /// Local multiplayer: one seat per player, each with their own chart. Empty: one player
    /// on `chart` with the settings' keys and every pad.
    pub seats: Vec<PlaySeat>,
    /// With seats: perform as a group (each their lines, one life bar) instead of versus.
    pub group: bool,
}

/// One player of a multiplayer play.
#[derive(Clone, Debug)]
pub struct PlaySeat {
    pub name: String,
    pub chart: usize,
    pub judge: JudgeSettings,
    pub scroll: ScrollSpeed,
    pub device: Device,
    /// The profile the player plays as: their looks, and where their play is recorded.
    /// A guest has none.
    pub profile: Option<crate::core::profiles::ProfileEntry>,
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

/// Who a player is in a multiplayer play, and what of the song is theirs.
#[derive(Component, Clone, Debug)]
pub struct PlayerSeat {
    pub name: String,
    pub scroll: ScrollSpeed,
    pub device: Device,
    /// On the group stage: the whole chart, for drawing the others' notes dimmed.
    pub whole: Option<crate::core::chart::Chart>,
}

/// A player who was left out after their pad went and the others played on.
#[derive(Component, Debug)]
pub struct LeftThePlay;

/// The group stage's shared state: the split and the one life bar.
#[derive(Resource, Clone, Debug)]
pub struct GroupStage {
    pub split: PartSplit,
    pub life: Life,
    /// Song time the bar emptied at.
    pub failed_at: Option<f64>,
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
    /// This frame's judgements, for the stage.
    pub fresh: Vec<JudgeEvent>,
}

/// The state of the play as a whole.
#[derive(Resource, Debug, Default)]
pub struct PlayState {
    pub paused: bool,
    /// Song time when every player was done (finished or failed).
    pub done_at: Option<f64>,
    /// Players whose pad was unplugged and who have not come back or been left out: the play
    /// stays paused for them.
    pub missing: Vec<u8>,
}

/// Asked of the play from the pause menu.
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayCommand {
    TogglePause,
    Resume,
    Restart,
    Quit,
    /// Play on without this player (their pad is gone).
    ContinueWithout(u8),
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
    /// A multiplayer play: every player's outcome.
    pub together: Option<TogetherOutcome>,
    /// What a real single-player play earned for the profile.
    pub earned: Option<crate::fans::Earned>,
    /// For a calibration play: what it measured, and every tap's error in ms.
    pub calibration: Option<(
        calibration::CalibrationKind,
        crate::core::calibration::Calibration,
        Vec<f64>,
    )>,
}

/// How a multiplayer play ended, for the results screen.
#[derive(Clone, Debug)]
pub struct TogetherOutcome {
    pub group: Option<GroupResult>,
    pub split: Option<PartSplit>,
    pub players: Vec<SeatOutcome>,
    /// Versus: players from first to last.
    pub order: Vec<usize>,
    /// Versus: each player's place, 1 for the winner (ties share).
    pub places: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct SeatOutcome {
    pub name: String,
    pub difficulty: String,
    pub result: PlayResult,
    pub offsets: Vec<(f64, f64)>,
    /// Left out of the play after their pad went.
    pub left: bool,
    /// What the play earned the seat's profile; guests earn nothing.
    pub earned: Option<crate::fans::Earned>,
    /// The photocard the player wears, shown on their card.
    pub photocard: Option<crate::core::merch::Item>,
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
    app.add_plugins((input::plugin, stage::plugin))
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
            (pause_on_escape, watch_pads, handle_commands, judge_inputs)
                .chain()
                .in_set(PlaySystems::Judge),
        )
        .add_systems(Update, finish_play.in_set(PlaySystems::Finish));
}

fn lead_in(first_note: f64) -> f64 {
    (MIN_LEAD_IN - first_note).max(0.0)
}

/// Sets up a play from the request: players, bindings, clock and audio.
#[allow(clippy::too_many_arguments)]
pub fn start_play(
    mut commands: Commands,
    request: Option<Res<PlayRequest>>,
    settings: Res<Settings>,
    audio: Option<Res<Audio>>,
    players: Query<Entity, With<Player>>,
    fans: Option<Res<crate::fans::Fans>>,
    paths: Option<Res<GamePaths>>,
    mut next: ResMut<NextState<Screen>>,
    mut notices: ResMut<Notices>,
) {
    for entity in &players {
        commands.entity(entity).despawn();
    }
    commands.remove_resource::<GroupStage>();
    let Some(request) = request else {
        notices.push("nothing to play: pick a song first");
        next.set(Screen::SongSelect);
        return;
    };
    let level = &request.level;
    let scripted = |chart: &crate::core::chart::Chart| match &request.mode {
        PlayMode::Normal | PlayMode::Calibrate(_) => None,
        PlayMode::Autoplay => Some((autoplay_inputs(chart), 0)),
        PlayMode::Replay(inputs) => Some((inputs.clone(), 0)),
    };
    let mut first_note = f64::INFINITY;
    if request.seats.is_empty() {
        let chart = level.charts[request.chart].clone();
        // A calibration measures taps on any lane; its pacing chart must never fail the player.
        let mut judge_settings = request.judge;
        if matches!(request.mode, PlayMode::Calibrate(_)) {
            judge_settings.no_fail = true;
        }
        commands.insert_resource(LaneBindings::single_player(
            &settings.keys_for(chart.lanes),
            &settings.pads_for(chart.lanes),
        ));
        first_note = chart.first_time();
        let script = scripted(&chart);
        commands.spawn((
            Name::new("Player 1"),
            player_parts(0, chart, judge_settings, script),
            fans.as_ref().map(|f| f.looks()).unwrap_or_default(),
            DespawnOnExit(Screen::Gameplay),
        ));
    } else {
        let members = request.seats.len() as u8;
        let split = request.group.then(|| level.split_for(members));
        let mut bindings = LaneBindings::default();
        for (index, seat) in request.seats.iter().enumerate() {
            let player = index as u8;
            let whole = level.charts[seat.chart].clone();
            let (chart, judge_settings) = match &split {
                // Members never fail alone: the group's bar decides.
                Some(split) => (
                    split.member_chart(&whole, player + 1).0,
                    JudgeSettings {
                        no_fail: true,
                        ..seat.judge
                    },
                ),
                None => (whole.clone(), seat.judge),
            };
            match &seat.device {
                Device::Keyboard(layout) => {
                    for (lane, key) in layout_keys(&settings, *layout).into_iter().enumerate() {
                        bindings.keys.push((key, player, lane as u8));
                    }
                }
                Device::Pad { pad, name } => {
                    let buttons = settings.pads_for_pad(name, chart.lanes);
                    for (lane, buttons) in buttons.into_iter().enumerate() {
                        for button in buttons {
                            bindings.pads.push((Some(*pad), button, player, lane as u8));
                        }
                    }
                }
            }
            first_note = first_note.min(whole.first_time());
            let script = scripted(&chart);
            commands.spawn((
                Name::new(seat.name.clone()),
                player_parts(player, chart, judge_settings, script),
                seat_looks(seat, fans.as_deref(), paths.as_deref()),
                PlayerSeat {
                    name: seat.name.clone(),
                    scroll: seat.scroll,
                    device: seat.device.clone(),
                    whole: split.is_some().then_some(whole),
                },
                DespawnOnExit(Screen::Gameplay),
            ));
        }
        commands.insert_resource(bindings);
        if let Some(split) = split {
            commands.insert_resource(GroupStage {
                life: Life::new(request.judge.no_fail),
                split,
                failed_at: None,
            });
        }
    }
    if !first_note.is_finite() {
        first_note = 0.0;
    }
    commands.insert_resource(SongClock::new(request.judge.rate, lead_in(first_note)));
    commands.insert_resource(SongAudio::load(level, audio.is_some()));
    commands.insert_resource(PlayState::default());
}

/// What a seat's profile wears: the profile in play's from memory, another's from its file.
fn seat_looks(
    seat: &PlaySeat,
    fans: Option<&crate::fans::Fans>,
    paths: Option<&GamePaths>,
) -> crate::fans::Looks {
    let (Some(fans), Some(profile)) = (fans, &seat.profile) else {
        return default();
    };
    match paths.and_then(|paths| fans.other(paths, profile)) {
        Some((other, _)) => other.looks(),
        None => fans.looks(),
    }
}

/// A player's judge on `chart` and what the screen shows of it.
fn player_parts(
    index: u8,
    chart: crate::core::chart::Chart,
    settings: JudgeSettings,
    script: Option<(Vec<LaneInput>, usize)>,
) -> (Player, PlayerFeedback) {
    let lanes = chart.lanes as usize;
    (
        Player {
            index,
            judge: Judge::new(chart, settings),
            recorded: Vec::new(),
            script,
        },
        PlayerFeedback {
            lane_pressed_at: vec![f64::NEG_INFINITY; lanes],
            ..default()
        },
    )
}

/// Stops the song and lets its decoded audio go: a whole song is tens of megabytes, and the
/// menus have no use for it.
fn stop_audio(
    mut song: ResMut<SongAudio>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    sources: Option<ResMut<Assets<AudioSource>>>,
) {
    let finished = std::mem::take(&mut *song);
    if let Some(mut instances) = instances {
        finished.stop(&mut instances);
        // The audio plugin keeps every instance it started; a stopped song's must go, or each
        // play leaves its sound behind.
        if let Some(instance) = &finished.instance {
            instances.remove(instance);
        }
    }
    if let (Some(source), Some(mut sources)) = (finished.source, sources) {
        sources.remove(&source);
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
    if let Some(seconds) = clock.stalled_for.take() {
        // The notes waited for it; said once per stall, for anyone measuring a busy machine.
        warn!(
            "the music stalled for {:.0} ms (the audio output was starved); the notes waited for it",
            seconds * 1000.0
        );
    }
}

/// Esc pauses for everyone, and so does any player's own pause key or pad Start. While a
/// player's pad is unplugged, any other pad's Select plays on without them, so a group of pad
/// players needs no keyboard.
fn pause_on_escape(
    keys: Res<ButtonInput<KeyCode>>,
    seats: Query<&PlayerSeat>,
    state: Res<PlayState>,
    mut controls: MessageReader<crate::input::ControlMessage>,
    mut commands: MessageWriter<PlayCommand>,
) {
    let mut pause = keys.just_pressed(KeyCode::Escape);
    let mut go_on = false;
    let pressed: Vec<(u32, String)> = controls
        .read()
        .filter(|c| c.pressed)
        .filter_map(|c| match &c.control {
            crate::input::Control::Pad { pad, button } => Some((*pad, button.clone())),
            _ => None,
        })
        .collect();
    for seat in &seats {
        match &seat.device {
            Device::Keyboard(layout) => pause |= keys.just_pressed(layout.pause_key()),
            Device::Pad { pad, .. } => {
                for (from, button) in &pressed {
                    if from == pad {
                        pause |= button == crate::lineup::PAD_PAUSE;
                        go_on |= button == crate::lineup::PAD_LEAVE;
                    }
                }
            }
        }
    }
    if go_on && let Some(missing) = state.missing.first() {
        commands.write(PlayCommand::ContinueWithout(*missing));
    } else if pause {
        commands.write(PlayCommand::TogglePause);
    }
}

/// A seated player's pad unplugged mid-song pauses the play until it comes back or the others
/// play on without them; plugged back in, it takes its seat again.
#[allow(clippy::too_many_arguments)]
fn watch_pads(
    mut connections: MessageReader<bevy::input::gamepad::GamepadConnectionEvent>,
    registry: Res<crate::input::PadRegistry>,
    seats: Query<(&Player, &PlayerSeat), Without<LeftThePlay>>,
    mut state: ResMut<PlayState>,
    mut clock: ResMut<SongClock>,
    song: Res<SongAudio>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    mut notices: ResMut<Notices>,
) {
    let mut instances = instances;
    for event in connections.read() {
        let Some(pad) = registry.pad(event.gamepad) else {
            continue;
        };
        for (player, seat) in &seats {
            if !matches!(&seat.device, Device::Pad { pad: p, .. } if *p == pad) {
                continue;
            }
            if event.disconnected() {
                if !state.missing.contains(&player.index) {
                    state.missing.push(player.index);
                }
                notices.push(format!("{}'s controller was unplugged", seat.name));
                if !state.paused {
                    let mut none = Assets::<AudioInstance>::default();
                    let instances = match instances.as_mut() {
                        Some(i) => &mut **i,
                        None => &mut none,
                    };
                    pause(&mut state, &mut clock, &song, instances);
                }
            } else {
                state.missing.retain(|m| *m != player.index);
                notices.push(format!("{}'s controller is back", seat.name));
            }
        }
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
    players: Query<(Entity, &Player)>,
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
            PlayCommand::TogglePause | PlayCommand::Resume
                if state.paused && state.missing.is_empty() =>
            {
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
            PlayCommand::ContinueWithout(player) => {
                state.missing.retain(|m| m != player);
                if let Some((entity, _)) = players.iter().find(|(_, p)| p.index == *player) {
                    commands.entity(entity).insert(LeftThePlay);
                }
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
/// judge to the current song time. On the group stage every member's judgements then move the
/// shared life bar, in time order.
#[allow(clippy::too_many_arguments)]
pub(crate) fn judge_inputs(
    mut players: Query<(&mut Player, &mut PlayerFeedback), Without<LeftThePlay>>,
    mut inputs: MessageReader<LaneInputMessage>,
    clock: Res<SongClock>,
    settings: Res<Settings>,
    state: Res<PlayState>,
    request: Res<PlayRequest>,
    group: Option<ResMut<GroupStage>>,
) {
    let offset = request.audio_offset(&settings);
    let running = !state.paused
        && matches!(
            clock.phase(),
            ClockPhase::LeadIn | ClockPhase::Running | ClockPhase::WaitingForAudio
        );
    let mut judged: Vec<JudgeEvent> = Vec::new();
    for (_, mut feedback) in &mut players {
        feedback.fresh.clear();
    }
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
        judged.extend(apply_input(&mut player, &mut feedback, input));
    }
    if running {
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
                judged.extend(apply_input(&mut player, &mut feedback, input));
            }
            player.judge.advance(now);
            judged.extend(collect_feedback(&mut player, &mut feedback));
        }
    }
    if let Some(mut group) = group
        && group.failed_at.is_none()
    {
        judged.sort_by(|a, b| a.time().total_cmp(&b.time()));
        for event in &judged {
            group.life.apply(event);
            if group.life.failed() {
                group.failed_at = Some(event.time());
                break;
            }
        }
    }
}

fn apply_input(
    player: &mut Player,
    feedback: &mut PlayerFeedback,
    input: LaneInput,
) -> Vec<JudgeEvent> {
    player.judge.input(input);
    player.recorded.push(input);
    if input.action == Action::Press
        && let Some(at) = feedback.lane_pressed_at.get_mut(input.lane as usize)
    {
        *at = input.time;
    }
    collect_feedback(player, feedback)
}

/// Takes the judge's new judgements for the screen, and hands them on.
fn collect_feedback(player: &mut Player, feedback: &mut PlayerFeedback) -> Vec<JudgeEvent> {
    let events = player.judge.drain_events();
    feedback.fresh.extend(events.iter().copied());
    for event in &events {
        let time = event.time();
        if let JudgeEvent::Hit {
            offset: Some(offset),
            judgement,
            ..
        } = *event
            && judgement != crate::core::judgement::Judgement::Miss
        {
            feedback.recent_offsets.push((time, offset));
            if feedback.recent_offsets.len() > 40 {
                feedback.recent_offsets.remove(0);
            }
        }
        feedback.last = Some((*event, time));
    }
    events
}

/// One seat's finished play, as the journal needs it.
struct JournalSeat<'a> {
    index: usize,
    players: usize,
    replay: &'a Replay,
    chart: &'a crate::core::chart::Chart,
    level: &'a Level,
    played_at: u64,
    rate: f64,
    paths: Option<&'a GamePaths>,
    scores: Option<&'a Scores>,
    /// The profile file the play is recorded in; a guest has none.
    profile: Option<PathBuf>,
    versus_win: bool,
    group_clear: bool,
    part_of_chart: bool,
}

/// Everything one seat's play changes on disk: its replay, its score and its progress.
fn journal_entry(seat: &JournalSeat) -> journal::PlayEntry {
    let difficulty = &seat.chart.difficulty;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let id = format!(
        "{}.{nanos:09}-{}-{}-p{}",
        seat.played_at,
        seat.level.slug,
        difficulty.to_lowercase(),
        seat.index + 1
    );
    let replay = seat.paths.map(|paths| {
        let who = if seat.players > 1 {
            format!("-p{}", seat.index + 1)
        } else {
            String::new()
        };
        journal::ReplayWrite {
            path: crate::paths::replays_dir(&paths.profile_dir)
                .join(&seat.level.slug)
                .join(format!(
                    "{}-{}{who}.ron",
                    chart_key("", difficulty).trim_start_matches('/'),
                    seat.played_at
                )),
            text: to_ron(seat.replay),
        }
    });
    let result = seat.replay.result.unwrap_or_default();
    let score = seat.scores.map(|scores| journal::ScoreWrite {
        book: scores.path.clone(),
        level: seat.level.slug.clone(),
        // A play at another rate is a different challenge: it keeps a best of its own.
        record_as: if seat.rate == 1.0 {
            difficulty.clone()
        } else {
            format!("{difficulty} x{:.2}", seat.rate)
        },
        result,
        at: seat.played_at,
    });
    let progress = seat.profile.clone().map(|profile| journal::ProgressWrite {
        profile,
        play: crate::core::merch::PlayRecord {
            level: seat.level.slug.clone(),
            difficulty: difficulty.clone(),
            meter: seat.chart.meter,
            result,
            versus_win: seat.versus_win,
            group_clear: seat.group_clear,
            part_of_chart: seat.part_of_chart,
            notes_to_hit: seat.chart.notes_to_hit(),
        },
    });
    journal::PlayEntry {
        id,
        replay,
        score,
        progress,
    }
}

/// Saves a finished play all or nothing: the journal first, then every file from it (the same
/// code that finishes a journal a crash cut short), then the copies in memory are read back.
fn save_play(
    entries: &[(usize, journal::PlayEntry)],
    paths: Option<&GamePaths>,
    scores: Option<&mut Scores>,
    fans: Option<&mut crate::fans::Fans>,
    notices: &mut Notices,
) -> Vec<(String, journal::Applied)> {
    let Some(paths) = paths.filter(|_| !entries.is_empty()) else {
        return Vec::new();
    };
    let journal_path = paths.data_dir.join(journal::JOURNAL_FILE);
    let plays: Vec<journal::PlayEntry> = entries.iter().map(|(_, e)| e.clone()).collect();
    if let Err(e) = journal::write(&journal_path, &plays) {
        notices.push(format!(
            "could not save the play ({}): {e}",
            journal_path.display()
        ));
        return Vec::new();
    }
    let (applied, messages) = match fans.as_deref() {
        Some(fans) => journal::apply_pending(&journal_path, &|p| fans.unlock(p)),
        None => journal::apply_pending(&journal_path, &|_| Vec::new()),
    };
    for message in messages {
        notices.push(message);
    }
    if let Some(scores) = scores {
        scores.reload();
    }
    if let Some(fans) = fans {
        fans.reload();
    }
    applied
}

/// Ends the play once every player is done (or the group's life bar emptied): saves the scores
/// and replays of a real play and shows the results.
#[allow(clippy::too_many_arguments)]
fn finish_play(
    players: Query<(&Player, Option<&PlayerSeat>, Has<LeftThePlay>)>,
    clock: Res<SongClock>,
    mut state: ResMut<PlayState>,
    request: Res<PlayRequest>,
    group: Option<Res<GroupStage>>,
    paths: Option<Res<GamePaths>>,
    mut scores: Option<ResMut<Scores>>,
    mut fans: Option<ResMut<crate::fans::Fans>>,
    mut notices: ResMut<Notices>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    if state.paused || players.is_empty() {
        return;
    }
    let now = clock.now();
    let group_failed = group.as_ref().is_some_and(|g| g.failed_at.is_some());
    let all_done = group_failed
        || players.iter().all(|(p, _, left)| {
            left || p.judge.failed()
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
    let mut seated: Vec<_> = players.iter().collect();
    seated.sort_by_key(|(p, _, _)| p.index);
    let level = &request.level;
    let played_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Every player's judge, played out to the end unless the group's bar stopped the play.
    let finished: Vec<Judge> = seated
        .iter()
        .map(|(p, _, _)| {
            let mut judge = p.judge.clone();
            if !group_failed {
                judge.finish();
            }
            judge
        })
        .collect();
    let mut results: Vec<PlayResult> = finished.iter().map(|j| j.score().result()).collect();
    if group_failed {
        for result in &mut results {
            result.failed = true;
        }
    }
    // Versus places, with players who left ranked after everyone who played on.
    let left_zeroed: Vec<PlayResult> = results
        .iter()
        .zip(&seated)
        .map(|(r, (_, _, left))| {
            let mut r = *r;
            if *left {
                r.score = 0;
                r.accuracy = 0.0;
                r.max_combo = 0;
            }
            r
        })
        .collect();
    let places = crate::core::multiplayer::versus_places(&left_zeroed);
    let group_result = group.as_ref().map(|g| {
        let members: Vec<(PlayResult, &crate::core::chart::Chart, &[JudgeEvent])> = finished
            .iter()
            .enumerate()
            .map(|(i, j)| (results[i], j.chart(), j.history()))
            .collect();
        GroupResult::new(&g.split, &members, group_failed)
    });
    let mut replays = Vec::new();
    let mut entries = Vec::new();
    for (i, ((player, seat, left), judge)) in seated.iter().zip(&finished).enumerate() {
        let chart = judge.chart();
        let name = seat.map_or_else(|| "Player 1".to_string(), |s| s.name.clone());
        let replay = Replay {
            format: REPLAY_FORMAT,
            level: level.slug.clone(),
            difficulty: chart.difficulty.clone(),
            player: name.clone(),
            settings: judge.settings(),
            played_at,
            events: player
                .recorded
                .iter()
                .map(ReplayEvent::from_input)
                .collect(),
            result: Some(results[i]),
        };
        if request.mode == PlayMode::Normal && !left {
            entries.push((
                i,
                journal_entry(&JournalSeat {
                    index: i,
                    players: seated.len(),
                    replay: &replay,
                    chart,
                    level,
                    played_at,
                    rate: request.judge.rate,
                    paths: paths.as_deref(),
                    // Only whole charts played to the end set a best: a group member played part of one.
                    scores: scores.as_deref().filter(|_| group.is_none()),
                    profile: match request.seats.get(i) {
                        None => fans.as_deref().map(|f| f.path.clone()),
                        Some(seat) => seat.profile.as_ref().and_then(|entry| {
                            let paths = paths.as_deref()?;
                            Some(crate::fans::Fans::profile_file(paths, entry))
                        }),
                    },
                    versus_win: !request.seats.is_empty()
                    && group.is_none()
                    && places[i] == 1
                    // A win is first place alone: a shared first is a draw.
                    && places.iter().filter(|p| **p == 1).count() == 1,
                    group_clear: group_result.as_ref().is_some_and(|g| !g.failed),
                    part_of_chart: group.is_some(),
                }),
            ));
        }
        replays.push(replay);
    }
    let applied = save_play(
        &entries,
        paths.as_deref(),
        scores.as_deref_mut(),
        fans.as_deref_mut(),
        &mut notices,
    );
    let applied_to = |i: usize| {
        let id = entries.iter().find(|e| e.0 == i).map(|e| &e.1.id)?;
        applied.iter().find(|(a, _)| a == id).map(|(_, a)| a)
    };
    let replay_path = entries
        .iter()
        .find(|(i, _)| *i == 0)
        .and_then(|(_, e)| e.replay.as_ref())
        .map(|r| r.path.clone())
        .filter(|p| p.exists());
    let new_best = applied_to(0).and_then(|a| a.new_best).unwrap_or(false);
    let earned_by = |i: usize| {
        applied_to(i).and_then(|a| {
            a.earned.map(|fan_points| crate::fans::Earned {
                fan_points,
                unlocked: a.unlocked.clone(),
            })
        })
    };
    let together = (!request.seats.is_empty()).then(|| {
        let outcomes: Vec<SeatOutcome> = seated
            .iter()
            .zip(&finished)
            .enumerate()
            .map(|(i, ((_, seat, left), judge))| SeatOutcome {
                name: seat.map_or_else(|| format!("Player {}", i + 1), |s| s.name.clone()),
                difficulty: judge.chart().difficulty.clone(),
                result: results[i],
                offsets: judge.score().offsets().to_vec(),
                left: *left,
                earned: earned_by(i),
                photocard: request
                    .seats
                    .get(i)
                    .and_then(|seat| {
                        let fans = fans.as_deref()?;
                        let profile = seat.profile.as_ref()?;
                        let paths = paths.as_deref()?;
                        Some(match fans.other(paths, profile) {
                            None => fans.looks().photocard,
                            Some((other, _)) => other.looks().photocard,
                        })
                    })
                    .flatten(),
            })
            .collect();
        TogetherOutcome {
            group: group_result,
            split: group.as_ref().map(|g| g.split.clone()),
            order: crate::core::multiplayer::versus_order(&left_zeroed),
            places,
            players: outcomes,
        }
    });
    let first = &finished[0];
    let earned = if request.seats.is_empty() {
        earned_by(0)
    } else {
        None
    };
    let calibration = match request.mode {
        PlayMode::Calibrate(kind) => {
            let (outcome, errors) = calibration::measure(&seated[0].0.recorded, request.judge.rate);
            Some((kind, outcome, errors))
        }
        _ => None,
    };
    commands.insert_resource(LastPlay {
        calibration,
        level: level.clone(),
        chart: request.chart,
        mode: request.mode.clone(),
        result: results[0],
        history: first.history().to_vec(),
        offsets: first.score().offsets().to_vec(),
        new_best,
        replay: replays.swap_remove(0),
        replay_path,
        together,
        earned,
    });
    state.done_at = None;
    next.set(Screen::Results);
}
