//! Lane input: a player's lane going down or up at the `Instant` it happened, what the judge is
//! handed, and the bindings from controls to lanes.
//!
//! The frame-stamped source reads Bevy's `ButtonInput`, which only knows which frame saw a key, so its
//! presses carry the frame's instant. Sources that stamp events as they arrive write the same
//! message with their own instants.

use std::time::Instant;

use bevy::prelude::*;

use super::Control;
use crate::core::judge::Action;

/// A lane went down or up at `at`.
#[derive(Message, Clone, Copy, Debug, PartialEq)]
pub struct LaneInputMessage {
    pub player: u8,
    pub lane: u8,
    pub action: Action,
    pub at: Instant,
    /// The pad it came from, as the gamepad source numbered it; `None` from the keyboard.
    /// Each device's presses are corrected by its own input offset.
    pub pad: Option<u32>,
}

/// Which control plays which lane of which player in the current play: (control, player, lane).
/// A pad binding names one pad, or `None` for any pad.
#[derive(Resource, Clone, Debug, Default)]
pub struct LaneBindings {
    pub keys: Vec<(KeyCode, u8, u8)>,
    pub pads: Vec<(Option<u32>, String, u8, u8)>,
}

impl LaneBindings {
    /// Player 1 on the keyboard and on every pad.
    pub fn single_player(keys: &[KeyCode], pads: &[Vec<String>]) -> Self {
        Self {
            keys: keys
                .iter()
                .enumerate()
                .map(|(lane, key)| (*key, 0, lane as u8))
                .collect(),
            pads: pads
                .iter()
                .enumerate()
                .flat_map(|(lane, buttons)| {
                    buttons
                        .iter()
                        .map(move |b| (None, b.clone(), 0, lane as u8))
                })
                .collect(),
        }
    }

    /// The (player, lane) pairs a control plays.
    pub fn lanes_of(&self, control: &Control) -> Vec<(u8, u8)> {
        match control {
            Control::Key(key) => self
                .keys
                .iter()
                .filter(|(k, _, _)| k == key)
                .map(|(_, p, l)| (*p, *l))
                .collect(),
            Control::Pad { pad, button } => self
                .pads
                .iter()
                .filter(|(on, b, _, _)| b == button && on.is_none_or(|on| on == *pad))
                .map(|(_, _, p, l)| (*p, *l))
                .collect(),
        }
    }
}

/// How precisely the keyboard source in use knows when a key moved.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InputPrecision {
    /// Raw events stamped by a thread of their own as they arrive.
    RawThreadStamped,
    /// Stamped with the time of the frame that saw the key.
    #[default]
    FrameLimited,
}

impl InputPrecision {
    pub fn describe(self) -> &'static str {
        match self {
            InputPrecision::RawThreadStamped => "input: raw, thread-stamped",
            InputPrecision::FrameLimited => "input: frame-limited",
        }
    }
}

/// Whether the frame-stamped keyboard path is the one in use.
pub fn frame_stamping(precision: Res<InputPrecision>) -> bool {
    *precision == InputPrecision::FrameLimited
}

/// Turns this frame's key changes into lane inputs stamped with the frame's instant.
pub fn stamp_frame_keys(
    keys: Res<ButtonInput<KeyCode>>,
    time: Res<Time<Real>>,
    bindings: Res<LaneBindings>,
    mut out: MessageWriter<LaneInputMessage>,
) {
    let at = time.last_update().unwrap_or_else(|| time.startup());
    for &(key, player, lane) in &bindings.keys {
        let pressed = keys.just_pressed(key);
        let released = keys.just_released(key);
        // Both in one frame: a tap shorter than a frame if the key is up now, else a release
        // and a press again.
        let order: &[Action] = match (pressed, released) {
            (true, true) if keys.pressed(key) => &[Action::Release, Action::Press],
            (true, true) => &[Action::Press, Action::Release],
            (true, false) => &[Action::Press],
            (false, true) => &[Action::Release],
            (false, false) => &[],
        };
        for &action in order {
            out.write(LaneInputMessage {
                player,
                lane,
                action,
                at,
                pad: None,
            });
        }
    }
}
