//! Pausing a play: the [`Pause`] state, the [`PausableSystems`] that stop while it holds, and
//! the keys and pad buttons that pause. Entering the pause stops the song and its clock;
//! leaving it starts them again.

use bevy::prelude::*;
use bevy_kira_audio::prelude::AudioInstance;

use super::audio::SongAudio;
use super::clock::{ClockPhase, SongClock};
use super::{PlayCommand, PlayState, PlaySystems, PlayerSeat};
use crate::bindings::{Device, PAD_LEAVE, PAD_PAUSE};
use crate::input::{Control, ControlMessage};
use crate::screens::Screen;

/// Whether the play is paused. Set through `NextState<Pause>` (the pause menu's commands do).
#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Pause(pub bool);

/// Systems that stand still while the play is paused: scripted inputs, the clock's judging,
/// the end of the play.
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PausableSystems;

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Pause>()
        .configure_sets(Update, PausableSystems.run_if(in_state(Pause(false))))
        .add_systems(OnEnter(Pause(true)), stop_the_song)
        .add_systems(OnExit(Pause(true)), start_the_song)
        .add_systems(PreUpdate, pause_keys.in_set(PlaySystems::Commands));
}

/// Esc pauses for everyone, and so does any player's own pause key or pad Start. While a
/// player's pad is unplugged, any other pad's Select plays on without them, so a group of pad
/// players needs no keyboard.
pub(super) fn pause_keys(
    keys: Res<ButtonInput<KeyCode>>,
    seats: Query<&PlayerSeat>,
    state: Res<PlayState>,
    mut controls: MessageReader<ControlMessage>,
    mut commands: MessageWriter<PlayCommand>,
) {
    let mut pause = keys.just_pressed(KeyCode::Escape);
    let mut go_on = false;
    let pressed: Vec<(u32, String)> = controls
        .read()
        .filter(|c| c.pressed)
        .filter_map(|c| match &c.control {
            Control::Pad { pad, button } => Some((*pad, button.clone())),
            _ => None,
        })
        .collect();
    for seat in &seats {
        match &seat.device {
            Device::Keyboard(layout) => pause |= keys.just_pressed(layout.pause_key()),
            Device::Pad { pad, .. } => {
                for (from, button) in &pressed {
                    if from == pad {
                        pause |= button == PAD_PAUSE;
                        go_on |= button == PAD_LEAVE;
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

fn stop_the_song(
    clock: Option<ResMut<SongClock>>,
    song: Res<SongAudio>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    screen: Res<State<Screen>>,
) {
    let Some(mut clock) = clock.filter(|_| *screen.get() == Screen::Gameplay) else {
        return;
    };
    clock.pause();
    if let Some(mut instances) = instances {
        song.pause(&mut instances);
    }
}

/// Starts the song where it stopped, and the clock from the song's position. A play that was
/// restarted or left while paused has a fresh clock, which is not paused: nothing to start.
fn start_the_song(
    clock: Option<ResMut<SongClock>>,
    song: Res<SongAudio>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    time: Res<Time<Real>>,
) {
    let Some(mut clock) = clock.filter(|c| c.phase() == ClockPhase::Paused) else {
        return;
    };
    let now = time.last_update().unwrap_or_else(|| time.startup());
    let mut no_instances = Assets::<AudioInstance>::default();
    let mut instances = instances;
    let instances: &mut Assets<AudioInstance> = match instances.as_mut() {
        Some(i) => i,
        None => &mut no_instances,
    };
    let position = song.reading(instances).map(|r| r.position);
    song.resume(instances);
    clock.resume(now, position);
}
