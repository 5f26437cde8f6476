//! The play in the window: the core session as a resource, and the systems that hand it each
//! stamped input at its own song time, play the inputs of seats the game plays itself, move it
//! to the clock's time, and take its judgements for the screen and the stage.

use std::ops::Deref;

use bevy::prelude::*;

use super::clock::{ClockPhase, SongClock};
use super::pause::{PausableSystems, Pause};
use super::{PlayMode, PlayRequest, PlaySystems, Player, PlayerFeedback};
use crate::bindings::OffsetDevice;
use crate::core::judge::{Action, LaneInput};
use crate::core::judgement::{JudgeEvent, Judgement};
use crate::core::play::Session;
use crate::input::{LaneInputMessage, PadRegistry};
use crate::settings::Settings;

/// How many recent hits the hit-error bar keeps.
const RECENT_HITS: usize = 40;

/// The play in progress. Reads as the [`Session`] it holds; only the systems here change it.
#[derive(Resource, Debug)]
pub struct PlaySession {
    session: Session,
    /// Per seat: the inputs played for it (autoplay or a replay), and the next to play. A
    /// scripted seat takes no inputs from the keys.
    scripts: Vec<Option<(Vec<LaneInput>, usize)>>,
}

impl PlaySession {
    pub fn new(session: Session, mode: &PlayMode) -> PlaySession {
        let scripts = (0..session.seat_count())
            .map(|seat| match mode {
                PlayMode::Normal | PlayMode::Calibrate(_) => None,
                PlayMode::Autoplay => Some((session.autoplay(seat), 0)),
                PlayMode::Replay(inputs) => Some((inputs.clone(), 0)),
            })
            .collect();
        PlaySession { session, scripts }
    }

    /// Starts judging at song time `time`: the notes before it, and the scripted inputs that
    /// would have played them, are left out.
    pub fn start_at(&mut self, time: f64) {
        self.session.seek(time);
        for (inputs, next) in self.scripts.iter_mut().flatten() {
            *next = inputs.partition_point(|i| i.time < time);
        }
    }

    /// Gives a seat an edited chart from the position reached (a live reload).
    pub fn replace_chart(
        &mut self,
        seat: usize,
        chart: crate::core::chart::Chart,
    ) -> Result<(), crate::core::play::SessionError> {
        self.session.replace_chart(seat, chart)
    }

    /// The playback rate changed: the windows stay in real time.
    pub fn set_rate(&mut self, rate: f64) {
        self.session.set_rate(rate);
    }

    /// A player leaves the play (their pad went) and the others play on.
    pub fn leave(&mut self, seat: usize) {
        self.session.leave(seat);
    }

    fn scripted(&self, seat: usize) -> bool {
        self.scripts.get(seat).is_some_and(Option::is_some)
    }

    /// Plays a seat's scripted inputs due by `now`.
    fn play_script(&mut self, seat: usize, now: f64) -> Vec<LaneInput> {
        let Some(Some((inputs, next))) = self.scripts.get_mut(seat) else {
            return Vec::new();
        };
        let due = inputs[*next..].partition_point(|i| i.time <= now);
        let played = inputs[*next..*next + due].to_vec();
        *next += due;
        for input in &played {
            self.session.input(seat, *input);
        }
        played
    }
}

impl Deref for PlaySession {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PressesByDevice>().add_systems(
        Update,
        (
            clear_feedback,
            forward_inputs.run_if(
                song_running
                    .or_else(in_state(Pause(true)))
                    .or_else(waiting_at_a_note),
            ),
            // Scripted inputs go in before the session moves past them, or the judge would
            // take them at the frame's time.
            (play_scripts, advance_session)
                .chain()
                .run_if(song_running)
                .in_set(PausableSystems),
            show_judgements,
        )
            .chain()
            .in_set(PlaySystems::Judge),
    );
}

/// The song is counting in or playing: inputs and time mean something.
fn song_running(clock: Option<Res<SongClock>>) -> bool {
    clock.is_some_and(|clock| {
        matches!(
            clock.phase(),
            ClockPhase::LeadIn | ClockPhase::Running | ClockPhase::WaitingForAudio
        )
    })
}

/// Wait mode has stopped the song on a note: the press it waits for must reach the judge.
fn waiting_at_a_note(practice: Option<Res<super::practice::PracticeRun>>) -> bool {
    practice.is_some_and(|run| run.waiting_at.is_some())
}

fn clear_feedback(mut players: Query<&mut PlayerFeedback>) {
    for mut feedback in &mut players {
        feedback.fresh.clear();
    }
}

/// The presses of the play so far, by the device they came from: a calibration sets the offset
/// of the device it was tapped on.
#[derive(Resource, Default, Debug)]
pub struct PressesByDevice(pub std::collections::BTreeMap<OffsetDevice, u32>);

impl PressesByDevice {
    /// The device most presses came from.
    pub fn most_used(&self) -> Option<OffsetDevice> {
        self.0
            .iter()
            .max_by_key(|(_, count)| **count)
            .map(|(device, _)| device.clone())
    }
}

/// The device a lane input came from, as its input offset is kept: a pad by its name.
pub(super) fn device_of(message: &LaneInputMessage, pads: Option<&PadRegistry>) -> OffsetDevice {
    match message.pad {
        None => OffsetDevice::Keyboard,
        Some(pad) => pads
            .and_then(|pads| pads.name(pad))
            .map_or(OffsetDevice::Keyboard, |name| {
                OffsetDevice::Pad(name.to_string())
            }),
    }
}

/// Hands every lane input of the frame to the session at its own song time. In the pause
/// menu presses mean nothing, but a key let go must be let go in the judge too, or its next
/// press after resuming would be taken for the same one.
#[allow(clippy::too_many_arguments)]
fn forward_inputs(
    mut inputs: MessageReader<LaneInputMessage>,
    mut session: ResMut<PlaySession>,
    mut players: Query<(&Player, &mut PlayerFeedback)>,
    clock: Res<SongClock>,
    settings: Res<Settings>,
    request: Res<PlayRequest>,
    pause: Res<State<Pause>>,
    practice: Option<Res<super::practice::PracticeRun>>,
    pads: Option<Res<PadRegistry>>,
    mut presses: ResMut<PressesByDevice>,
) {
    // Stopped on a note, the song plays nothing to react to: a press is at the note's time.
    let waiting = practice.is_some_and(|run| run.waiting_at.is_some());
    for message in inputs.read() {
        let seat = usize::from(message.player);
        if session.scripted(seat) || (pause.0 && message.action != Action::Release) {
            continue;
        }
        // Each device's presses are corrected by its own input offset.
        let device = device_of(message, pads.as_deref());
        let offset = if waiting {
            0.0
        } else {
            request.input_offset(&settings, &device)
        };
        if message.action == Action::Press {
            *presses.0.entry(device).or_default() += 1;
        }
        let input = LaneInput {
            time: clock.heard_time_at(message.at, offset),
            lane: message.lane,
            action: message.action,
        };
        session.session.input(seat, input);
        if let Some((_, mut feedback)) = players.iter_mut().find(|(p, _)| p.seat() == seat) {
            show_press(&mut feedback, input);
        }
    }
}

/// Plays the inputs of autoplay and replays as their time comes.
fn play_scripts(
    mut session: ResMut<PlaySession>,
    mut players: Query<(&Player, &mut PlayerFeedback)>,
    clock: Res<SongClock>,
    settings: Res<Settings>,
    request: Res<PlayRequest>,
) {
    let now = clock.heard_now(request.audio_offset(&settings));
    for (player, mut feedback) in &mut players {
        for input in session.play_script(player.seat(), now) {
            show_press(&mut feedback, input);
        }
    }
}

/// Moves the session to the song time the player hears: closed windows miss, holds end.
fn advance_session(
    mut session: ResMut<PlaySession>,
    clock: Res<SongClock>,
    settings: Res<Settings>,
    request: Res<PlayRequest>,
) {
    session
        .session
        .advance(clock.heard_now(request.slowest_input_offset(&settings)));
}

/// A press lights its lane's receptor.
fn show_press(feedback: &mut PlayerFeedback, input: LaneInput) {
    if input.action == Action::Press
        && let Some(at) = feedback.lane_pressed_at.get_mut(usize::from(input.lane))
    {
        *at = input.time;
    }
}

/// Takes each seat's new judgements for the screen and the stage.
fn show_judgements(
    mut session: ResMut<PlaySession>,
    mut players: Query<(&Player, &mut PlayerFeedback)>,
) {
    for (player, mut feedback) in &mut players {
        for event in session.session.take_events(player.seat()) {
            show_judgement(&mut feedback, event);
        }
    }
}

fn show_judgement(feedback: &mut PlayerFeedback, event: JudgeEvent) {
    let time = event.time();
    if let JudgeEvent::Hit {
        offset: Some(offset),
        judgement,
        lane,
        ..
    } = event
        && judgement != Judgement::Miss
    {
        if let Some(hit) = feedback.lane_hit.get_mut(usize::from(lane)) {
            *hit = Some((judgement, time));
        }
        feedback.recent_offsets.push((time, offset));
        if feedback.recent_offsets.len() > RECENT_HITS {
            feedback.recent_offsets.remove(0);
        }
    }
    feedback.last = Some((event, time));
    feedback.fresh.push(event);
}
