//! What players play with: the keyboard layouts several players share one keyboard by, and
//! pads. Settings keep each layout's keys; the lineup seats players on these devices.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// Keyboard layouts players can share one keyboard with. Left letters and the arrow keys sit
/// in different parts of the key matrix on common keyboards, so two players pressing four keys
/// each are registered together (docs/multiplayer.md); the numpad gives a third player room
/// on full-size keyboards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyboardLayout {
    Left,
    Arrows,
    Numpad,
}

impl KeyboardLayout {
    pub const ALL: [KeyboardLayout; 3] = [
        KeyboardLayout::Left,
        KeyboardLayout::Arrows,
        KeyboardLayout::Numpad,
    ];

    pub fn name(self) -> String {
        match self {
            KeyboardLayout::Left => t!("layout-left"),
            KeyboardLayout::Arrows => t!("layout-arrows"),
            KeyboardLayout::Numpad => t!("layout-numpad"),
        }
    }

    /// The four lane keys, left to right.
    pub fn default_keys(self) -> Vec<KeyCode> {
        use KeyCode::*;
        match self {
            KeyboardLayout::Left => vec![KeyA, KeyS, KeyD, KeyF],
            KeyboardLayout::Arrows => vec![ArrowLeft, ArrowDown, ArrowUp, ArrowRight],
            KeyboardLayout::Numpad => vec![Numpad4, Numpad2, Numpad8, Numpad6],
        }
    }

    /// The key a player on this layout leaves the lineup with.
    pub fn leave_key(self) -> KeyCode {
        match self {
            KeyboardLayout::Left => KeyCode::KeyQ,
            KeyboardLayout::Arrows => KeyCode::Delete,
            KeyboardLayout::Numpad => KeyCode::NumpadSubtract,
        }
    }

    /// The key a player on this layout pauses the play with (Esc pauses for anyone).
    pub fn pause_key(self) -> KeyCode {
        match self {
            KeyboardLayout::Left => KeyCode::Tab,
            KeyboardLayout::Arrows => KeyCode::End,
            KeyboardLayout::Numpad => KeyCode::NumpadEnter,
        }
    }

    /// Keys that join, leave or pause, which no lane may take.
    pub fn is_reserved(key: KeyCode) -> bool {
        KeyboardLayout::ALL
            .iter()
            .any(|l| l.leave_key() == key || l.pause_key() == key)
            || key == KeyCode::Escape
            || key == KeyCode::Enter
            || key == KeyCode::KeyG
    }

    /// Where the layout's keys are kept in the settings.
    pub fn index(self) -> usize {
        match self {
            KeyboardLayout::Left => 0,
            KeyboardLayout::Arrows => 1,
            KeyboardLayout::Numpad => 2,
        }
    }
}

/// The pad button that leaves the lineup, and the one that pauses.
pub const PAD_LEAVE: &str = "Select";
pub const PAD_PAUSE: &str = "Start";

/// What a player plays with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Device {
    Keyboard(KeyboardLayout),
    /// A pad or dance mat, as numbered by the gamepad source.
    Pad {
        pad: u32,
        name: String,
    },
}

/// A device with its own input offset: every keyboard shares one, and each pad or mat, by its
/// name, has its own, since each adds its own latency.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OffsetDevice {
    Keyboard,
    Pad(String),
}

impl OffsetDevice {
    /// As Settings and the calibration name it.
    pub fn describe(&self) -> String {
        match self {
            OffsetDevice::Keyboard => t!("device-keyboard"),
            OffsetDevice::Pad(name) => t!("device-pad", name = name.clone()),
        }
    }
}

impl Device {
    /// Whose input offset this device's presses take.
    pub fn offset_device(&self) -> OffsetDevice {
        match self {
            Device::Keyboard(_) => OffsetDevice::Keyboard,
            Device::Pad { name, .. } => OffsetDevice::Pad(name.clone()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Device::Keyboard(layout) => layout.name().to_string(),
            Device::Pad { name, .. } => name.clone(),
        }
    }
}
