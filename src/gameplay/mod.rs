//! Gameplay: one play of one chart, from the count-in to the results. The play itself is the
//! core's [`Session`](crate::core::play::Session); the systems here forward it the stamped
//! inputs and the song clock, and keep what the screen and the stage draw of it.

pub mod audio;
pub mod calibration;
pub mod clock;
pub mod lane_cover;
pub mod live_reload;
pub mod pause;
pub mod practice;
pub mod record;
pub mod record_mode;
pub mod session;
pub mod stage;

use std::sync::Arc;

use bevy::prelude::*;
use bevy_kira_audio::prelude::{Audio, AudioInstance, AudioSource};

use crate::bindings::{Device, OffsetDevice};
use crate::core::judge::{JudgeSettings, LaneInput};
use crate::core::judgement::JudgeEvent;
use crate::core::level::Level;
use crate::core::multiplayer::GroupPart;
use crate::core::play::{SeatSetup, Session};
use crate::core::practice::Practice;
use crate::fans::{Looks, SeatProfile};
use crate::input::{InputSystems, LaneBindings};
use crate::notice::Notices;
use crate::screens::Screen;
use crate::settings::{ScrollSpeed, Settings};
use audio::SongAudio;
use clock::{ClockPhase, ClockRequest, ClockSource, SongClock};
use pause::{PausableSystems, Pause};
use session::PlaySession;

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
    /// A practice: from a measure (the music starts a measure before it, and the notes before
    /// it are not judged), perhaps looping, never recorded. `None` plays the whole song.
    pub practice: Option<Practice>,
    /// One member's lines of a group stage, played alone: a member's replay watched on its
    /// own. `None` plays the whole chart (or, with seats, each seat's).
    pub part: Option<GroupPart>,
}

/// One player of a multiplayer play.
#[derive(Clone, Debug)]
pub struct PlaySeat {
    pub name: String,
    pub chart: usize,
    pub judge: JudgeSettings,
    pub scroll: ScrollSpeed,
    /// How opaque the player's highway is (`Settings::highway_opacity`).
    pub highway_opacity: f32,
    pub device: Device,
    /// The profile the player plays as: their looks, and where their play is recorded.
    /// A guest has none.
    pub profile: Option<SeatProfile>,
}

impl PlayRequest {
    /// One player on the chart `chart` of `level`, the whole song, with the settings' keys and
    /// every pad.
    pub fn solo(level: Arc<Level>, chart: usize, judge: JudgeSettings, mode: PlayMode) -> Self {
        PlayRequest {
            level,
            chart,
            judge,
            mode,
            seats: Vec::new(),
            group: false,
            part: None,
            practice: None,
        }
    }

    /// A play of several players on `level`, each on the chart of their seat. Multiplayer
    /// plays 4-lane charts: a seat whose chart has other lanes is refused, by name.
    pub fn for_seats(
        level: Arc<Level>,
        seats: Vec<PlaySeat>,
        judge: JudgeSettings,
        mode: PlayMode,
        group: bool,
    ) -> Result<PlayRequest, String> {
        if let Some(seat) = seats.iter().find(|s| level.charts[s.chart].lanes != 4) {
            let chart = &level.charts[seat.chart];
            return Err(t!(
                "notice-multiplayer-four-lanes",
                player = seat.name.clone(),
                difficulty = chart.difficulty.clone(),
                lanes = chart.lanes
            ));
        }
        Ok(PlayRequest {
            chart: seats.first().map_or(0, |s| s.chart),
            level,
            judge,
            mode,
            seats,
            group,
            part: None,
            practice: None,
        })
    }

    /// Song time the judging starts at: the start of the practice's measure, or the beginning.
    pub fn judged_from(&self) -> f64 {
        self.practice
            .map_or(0.0, |p| self.level.measure_time(p.from))
    }

    /// Song time the music starts at: a measure before the judging, so the player hears the
    /// bar that leads into it.
    pub fn music_from(&self) -> f64 {
        self.practice
            .map_or(0.0, |p| count_in_from(&self.level, p.from))
    }

    /// The audio offset inputs are corrected by: none while calibrating, which measures it.
    pub fn audio_offset(&self, settings: &Settings) -> f64 {
        match self.mode {
            PlayMode::Calibrate(_) => 0.0,
            _ => settings.audio_offset_for(&self.level.slug),
        }
    }

    /// The offset a press from `device` is corrected by: the device's own input offset plus
    /// the level's; none while calibrating, which measures it.
    pub fn input_offset(&self, settings: &Settings, device: &OffsetDevice) -> f64 {
        match self.mode {
            PlayMode::Calibrate(_) => 0.0,
            _ => settings.input_offset_for(device, &self.level.slug),
        }
    }

    /// The largest input offset of the devices this play listens to. The judge moves on only
    /// to the song time a press from the slowest of them stands for, so no press arrives for a
    /// moment already judged. Alone, the keyboard and every pad play.
    pub fn slowest_input_offset(&self, settings: &Settings) -> f64 {
        let devices: Vec<OffsetDevice> = if self.seats.is_empty() {
            std::iter::once(OffsetDevice::Keyboard)
                .chain(settings.pad_offsets.keys().cloned().map(OffsetDevice::Pad))
                .collect()
        } else {
            self.seats
                .iter()
                .map(|s| s.device.offset_device())
                .collect()
        };
        devices
            .iter()
            .map(|device| self.input_offset(settings, device))
            .fold(self.audio_offset(settings), f64::max)
    }

    /// The visual offset the picture is drawn with: none while calibrating.
    pub fn visual_offset(&self, settings: &Settings) -> f64 {
        match self.mode {
            PlayMode::Calibrate(_) => 0.0,
            _ => settings.visual_offset(),
        }
    }

    /// The session this request plays: its seats, or one player on the chosen chart.
    fn session(&self) -> Session {
        let level = &self.level;
        if self.seats.is_empty() {
            // A calibration measures taps on any lane; its pacing chart must never fail.
            let mut settings = self.judge;
            if matches!(self.mode, PlayMode::Calibrate(_)) {
                settings.no_fail = true;
            }
            return Session::one_player(level, self.chart, settings, self.part);
        }
        let members = self.seats.len() as u8;
        let seats = self
            .seats
            .iter()
            .map(|seat| SeatSetup {
                chart: level.charts[seat.chart].clone(),
                settings: seat.judge,
            })
            .collect();
        let split = self.group.then(|| level.split_for(members));
        Session::new(seats, split, self.judge.no_fail)
            .expect("the song list and the command line seat 1 to 4 players")
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

/// One player in the play: their seat in the session.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Player {
    pub index: u8,
}

impl Player {
    pub fn seat(self) -> usize {
        usize::from(self.index)
    }
}

/// Who a player is in a multiplayer play, and what they play with.
#[derive(Component, Clone, Debug)]
pub struct PlayerSeat {
    pub name: String,
    pub scroll: ScrollSpeed,
    pub highway_opacity: f32,
    pub device: Device,
}

/// What the screen shows of a player's recent judgements.
#[derive(Component, Default, Debug)]
pub struct PlayerFeedback {
    /// The latest judgement and the song time it came at.
    pub last: Option<(JudgeEvent, f64)>,
    /// Per lane, the song time of the last press, for receptor flashes.
    pub lane_pressed_at: Vec<f64>,
    /// Per lane, the last note hit there and when, for the burst at its receptor.
    pub lane_hit: Vec<Option<(crate::core::judgement::Judgement, f64)>>,
    /// Recent (song time, offset) hits, for the hit-error bar.
    pub recent_offsets: Vec<(f64, f64)>,
    /// This frame's judgements, for the stage.
    pub fresh: Vec<JudgeEvent>,
}

/// The state of the play as a whole.
#[derive(Resource, Debug, Default)]
pub struct PlayState {
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

/// Gameplay systems run in this order each frame.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaySystems {
    /// Song clock follows the audio.
    Clock,
    /// Pause keys and commands are handled, before the frame's state change.
    Commands,
    /// Inputs are judged and time advances.
    Judge,
    /// The play ends when everyone is done.
    Finish,
}

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        lane_cover::plugin,
        live_reload::plugin,
        pause::plugin,
        practice::plugin,
        session::plugin,
        record::plugin,
        record_mode::plugin,
        stage::plugin,
    ))
    .init_resource::<PlayState>()
    .init_resource::<SongAudio>()
    .add_message::<PlayCommand>()
    .configure_sets(
        PreUpdate,
        PlaySystems::Clock
            .after(bevy::input::InputSystems)
            .before(InputSystems::Lanes)
            .run_if(in_state(Screen::Gameplay)),
    )
    // Commands come before the frame's state change, so a pause holds from this frame on.
    .configure_sets(
        PreUpdate,
        PlaySystems::Commands
            .after(InputSystems::Drain)
            .after(PlaySystems::Clock)
            .run_if(in_state(Screen::Gameplay))
            .run_if(resource_exists::<PlaySession>),
    )
    .configure_sets(
        Update,
        (PlaySystems::Judge, PlaySystems::Finish)
            .chain()
            .run_if(in_state(Screen::Gameplay))
            .run_if(resource_exists::<PlaySession>),
    )
    .add_systems(OnEnter(Screen::Gameplay), start_play)
    .add_systems(OnExit(Screen::Gameplay), stop_audio)
    .add_systems(PreUpdate, drive_clock.in_set(PlaySystems::Clock))
    .add_systems(
        PreUpdate,
        (watch_pads, handle_commands)
            .chain()
            .after(pause::pause_keys)
            .in_set(PlaySystems::Commands),
    )
    .add_systems(
        Update,
        finish_play
            .in_set(PlaySystems::Finish)
            .in_set(PausableSystems)
            // A recording plays until its take is written or let go: it has no results.
            .run_if(not(resource_exists::<record_mode::RecordRun>)),
    );
}

/// Where the music of a practice from `measure` starts: the measure before it.
pub fn count_in_from(level: &Level, measure: u32) -> f64 {
    level.measure_time(measure.saturating_sub(1).max(1))
}

fn lead_in(first_note: f64) -> f64 {
    (MIN_LEAD_IN - first_note).max(0.0)
}

/// Sets up a play from the request: the session, players, bindings, clock and audio.
#[allow(clippy::too_many_arguments)]
pub fn start_play(
    mut commands: Commands,
    request: Option<Res<PlayRequest>>,
    settings: Res<Settings>,
    audio: Option<Res<Audio>>,
    players: Query<Entity, With<Player>>,
    fans: Option<Res<crate::fans::Fans>>,
    catalog: Option<Res<crate::fans::MerchCatalog>>,
    mut next: ResMut<NextState<Screen>>,
    mut pause: ResMut<NextState<Pause>>,
    mut notices: ResMut<Notices>,
) {
    for entity in &players {
        commands.entity(entity).despawn();
    }
    pause.set(Pause(false));
    let Some(request) = request else {
        notices.push(t!("notice-nothing-to-play"));
        next.set(Screen::SongSelect);
        return;
    };
    let level = &request.level;
    let session = request.session();
    if request.seats.is_empty() {
        let lanes = level.charts[request.chart].lanes;
        commands.insert_resource(LaneBindings::single_player(
            &settings.keys_for(lanes),
            &settings.pads_for(lanes),
        ));
        let player = commands
            .spawn((
                Name::new("Player 1"),
                Player { index: 0 },
                feedback_for(lanes),
                fans.as_ref()
                    .zip(catalog.as_ref())
                    .map(|(f, c)| f.looks(c))
                    .unwrap_or_default(),
                DespawnOnExit(Screen::Gameplay),
            ))
            .id();
        if let Some(height) = request.judge.mods.lane_cover {
            commands
                .entity(player)
                .insert(lane_cover::LaneCover(height));
        }
    } else {
        let mut bindings = LaneBindings::default();
        for (index, seat) in request.seats.iter().enumerate() {
            let player = index as u8;
            let lanes = level.charts[seat.chart].lanes;
            bind_device(&mut bindings, &settings, &seat.device, player, lanes);
            let entity = commands
                .spawn((
                    Name::new(seat.name.clone()),
                    Player { index: player },
                    feedback_for(lanes),
                    seat.profile
                        .as_ref()
                        .map_or_else(Looks::default, |p| p.looks.clone()),
                    PlayerSeat {
                        name: seat.name.clone(),
                        scroll: seat.scroll,
                        highway_opacity: seat.highway_opacity,
                        device: seat.device.clone(),
                    },
                    DespawnOnExit(Screen::Gameplay),
                ))
                .id();
            if let Some(height) = seat.judge.mods.lane_cover {
                commands
                    .entity(entity)
                    .insert(lane_cover::LaneCover(height));
            }
        }
        commands.insert_resource(bindings);
    }
    let (judged_from, music_from) = (request.judged_from(), request.music_from());
    let first_note = (0..session.seat_count())
        .filter_map(|seat| session.whole_chart(seat))
        .flat_map(|chart| chart.notes.iter().map(|n| n.time))
        .filter(|time| *time >= judged_from)
        .fold(f64::INFINITY, f64::min);
    let first_note = if first_note.is_finite() {
        first_note
    } else {
        music_from
    };
    let mut play = PlaySession::new(session, &request.mode);
    match request.practice {
        Some(practice) => {
            play.start_at(judged_from);
            commands.insert_resource(practice::PracticeRun::new(practice));
        }
        None => commands.remove_resource::<practice::PracticeRun>(),
    }
    commands.insert_resource(play);
    let mut clock = SongClock::new(
        request.judge.rate,
        music_from,
        lead_in(first_note - music_from),
    );
    clock.set_output_buffer(audio::output_buffer());
    commands.insert_resource(clock);
    commands.insert_resource(SongAudio::load(level, audio.is_some()));
    commands.insert_resource(PlayState::default());
    commands.insert_resource(session::PressesByDevice::default());
}

/// Binds a seat's keyboard layout or pad to the lanes of `player`.
fn bind_device(
    bindings: &mut LaneBindings,
    settings: &Settings,
    device: &Device,
    player: u8,
    lanes: u8,
) {
    match device {
        Device::Keyboard(layout) => {
            for (lane, key) in settings.keys_of_layout(*layout).into_iter().enumerate() {
                bindings.keys.push((key, player, lane as u8));
            }
        }
        Device::Pad { pad, name } => {
            let buttons = settings.pads_for_pad(name, lanes);
            for (lane, buttons) in buttons.into_iter().enumerate() {
                for button in buttons {
                    bindings.pads.push((Some(*pad), button, player, lane as u8));
                }
            }
        }
    }
}

fn feedback_for(lanes: u8) -> PlayerFeedback {
    PlayerFeedback {
        lane_pressed_at: vec![f64::NEG_INFINITY; usize::from(lanes)],
        lane_hit: vec![None; usize::from(lanes)],
        ..default()
    }
}

/// Stops the song and lets its decoded audio go: a whole song is tens of megabytes, and the
/// menus have no use for it.
fn stop_audio(
    mut song: ResMut<SongAudio>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    sources: Option<ResMut<Assets<AudioSource>>>,
    mut retired: ResMut<crate::sound::RetiredSounds>,
) {
    std::mem::take(&mut *song).let_go(
        instances.map(ResMut::into_inner),
        sources.map(ResMut::into_inner),
        &mut retired,
    );
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
                notices.once("no-audio", t!("notice-no-audio", reason = why.to_string()));
                clock.begin(now, ClockSource::Wall);
            }
        }
    }
    if clock.source() == ClockSource::Audio && song.has_ended(&instances) && clock.music_ended(now)
    {
        info!("the music ended at {:.3} s; the clock runs on", clock.now());
    }
    let reading = song.reading(&instances);
    if clock.tick(now, reading) == ClockRequest::StartAudio {
        song.play_from(clock.start(), &mut instances);
    }
    if clock.fell_back {
        clock.fell_back = false;
        notices.push(t!("notice-audio-did-not-start"));
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

/// A seated player's pad unplugged mid-song pauses the play until it comes back or the others
/// play on without them; plugged back in, it takes its seat again.
fn watch_pads(
    mut connections: MessageReader<bevy::input::gamepad::GamepadConnectionEvent>,
    registry: Res<crate::input::PadRegistry>,
    seats: Query<(&Player, &PlayerSeat)>,
    session: Res<PlaySession>,
    mut state: ResMut<PlayState>,
    mut pause: ResMut<NextState<Pause>>,
    mut notices: ResMut<Notices>,
) {
    for event in connections.read() {
        let Some(pad) = registry.pad(event.gamepad) else {
            continue;
        };
        for (player, seat) in &seats {
            if session.has_left(player.seat())
                || !matches!(&seat.device, Device::Pad { pad: p, .. } if *p == pad)
            {
                continue;
            }
            if event.disconnected() {
                if !state.missing.contains(&player.index) {
                    state.missing.push(player.index);
                }
                notices.push(format!("{}'s controller was unplugged", seat.name));
                if state.done_at.is_none() {
                    pause.set(Pause(true));
                }
            } else {
                state.missing.retain(|m| *m != player.index);
                notices.push(format!("{}'s controller is back", seat.name));
            }
        }
    }
}

/// The pause menu's and the players' commands: pausing and resuming go through the [`Pause`]
/// state, whose change stops and starts the song.
fn handle_commands(
    mut commands_in: MessageReader<PlayCommand>,
    mut state: ResMut<PlayState>,
    paused: Res<State<Pause>>,
    mut pause: ResMut<NextState<Pause>>,
    mut next: ResMut<NextState<Screen>>,
    mut session: ResMut<PlaySession>,
    mut commands: Commands,
) {
    for command in commands_in.read() {
        let paused = paused.0;
        match command {
            PlayCommand::TogglePause if !paused && state.done_at.is_none() => {
                pause.set(Pause(true));
            }
            PlayCommand::TogglePause | PlayCommand::Resume
                if paused && state.missing.is_empty() =>
            {
                pause.set(Pause(false));
            }
            PlayCommand::Restart => {
                // The song that was playing stops and lets its audio go, as on leaving.
                commands.run_system_cached(stop_audio);
                commands.run_system_cached(start_play);
                return;
            }
            PlayCommand::Quit => next.set(Screen::SongSelect),
            PlayCommand::ContinueWithout(player) => {
                state.missing.retain(|m| m != player);
                session.leave(usize::from(*player));
            }
            _ => {}
        }
    }
}

/// Ends the play once every player is done (or the group's life bar emptied), after a short
/// outro: the session's outcome goes to the results, where it is recorded.
fn finish_play(
    session: Res<PlaySession>,
    clock: Res<SongClock>,
    request: Res<PlayRequest>,
    practice: Option<Res<practice::PracticeRun>>,
    mut state: ResMut<PlayState>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    // A loop plays until the player leaves it.
    if practice.is_some_and(|run| run.practice.to.is_some()) {
        return;
    }
    let now = clock.now();
    let song_over = now > request.level.audio_length + 0.5;
    let all_done = session.group_failed_at().is_some()
        || (0..session.seat_count()).all(|seat| {
            let Some(judge) = session.judge(seat) else {
                return true;
            };
            session.has_left(seat)
                || judge.failed()
                || (judge.finished() && now > judge.chart().last_time() + 0.25)
                || song_over
        });
    if !all_done {
        return;
    }
    let done_at = *state.done_at.get_or_insert(now);
    if now < done_at + OUTRO {
        return;
    }
    commands.insert_resource(record::FinishedPlay::new(session.outcome()));
    state.done_at = None;
    next.set(Screen::Results);
}
