//! Raw key events from the X server through XInput2, on a connection and thread of their own,
//! each stamped with `Instant::now()` the moment the thread receives it. Measured here, this is
//! precise to a fraction of a millisecond, where frame stamping was off by a whole frame.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Instant;

use bevy::input::keyboard::KeyCode;
use winit::keyboard::PhysicalKey;
use winit::platform::scancode::PhysicalKeyExtScancode;
use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xinput::{self, ConnectionExt as _};

use super::{Control, SourceEvent, SourceKind};

/// X key codes are evdev codes plus 8.
const X_KEYCODE_OFFSET: u32 = 8;
/// XIAllMasterDevices: every keyboard, real or XTEST, as seen through its master device.
const ALL_MASTER_DEVICES: u16 = 1;

/// The Bevy key code of an X key code, as winit maps the same key for the window's own events.
pub fn key_code(x_keycode: u32) -> Option<KeyCode> {
    let physical = PhysicalKey::from_scancode(x_keycode.checked_sub(X_KEYCODE_OFFSET)?);
    match bevy::winit::converters::convert_physical_key_code(physical) {
        KeyCode::Unidentified(_) => None,
        key => Some(key),
    }
}

/// Connects to the display, asks for raw key events, and starts the listening thread.
pub fn spawn(events: Sender<SourceEvent>, focused: Arc<AtomicBool>) -> Result<(), String> {
    let (connection, screen) = x11rb::connect(None).map_err(|e| format!("X11: {e}"))?;
    let version = connection
        .xinput_xi_query_version(2, 0)
        .map_err(|e| format!("XInput2: {e}"))?
        .reply()
        .map_err(|e| format!("XInput2: {e}"))?;
    if version.major_version < 2 {
        return Err(format!(
            "the X server has XInput {}.{}, 2.0 is needed",
            version.major_version, version.minor_version
        ));
    }
    let root = connection.setup().roots[screen].root;
    let mask = xinput::XIEventMask::RAW_KEY_PRESS | xinput::XIEventMask::RAW_KEY_RELEASE;
    connection
        .xinput_xi_select_events(
            root,
            &[xinput::EventMask {
                deviceid: ALL_MASTER_DEVICES,
                mask: vec![mask],
            }],
        )
        .map_err(|e| format!("XInput2: {e}"))?
        .check()
        .map_err(|e| format!("XInput2: {e}"))?;
    connection.flush().map_err(|e| format!("X11: {e}"))?;
    std::thread::Builder::new()
        .name("raw keyboard".into())
        .spawn(move || listen(connection, events, focused))
        .map_err(|e| format!("cannot start the input thread: {e}"))?;
    Ok(())
}

fn listen(connection: impl Connection, events: Sender<SourceEvent>, focused: Arc<AtomicBool>) {
    let mut down: HashSet<u32> = HashSet::new();
    loop {
        let event = match connection.wait_for_event() {
            Ok(event) => event,
            Err(e) => {
                let _ = events.send(SourceEvent::Failed {
                    source: SourceKind::Keyboard,
                    reason: format!("lost the X connection: {e}"),
                });
                return;
            }
        };
        // Stamp first: everything after this line is bookkeeping.
        let at = Instant::now();
        let (detail, pressed) = match event {
            Event::XinputRawKeyPress(e) => (e.detail, true),
            Event::XinputRawKeyRelease(e) => (e.detail, false),
            _ => continue,
        };
        // Auto-repeat shows as presses of a key already down; only changes count.
        let changed = if pressed {
            down.insert(detail)
        } else {
            down.remove(&detail)
        };
        // Keys pressed while another window has focus are not the player's.
        if !changed || (pressed && !focused.load(Ordering::Relaxed)) {
            continue;
        }
        let Some(key) = key_code(detail) else {
            continue;
        };
        let sent = events.send(SourceEvent::Control {
            control: Control::Key(key),
            pressed,
            at,
        });
        if sent.is_err() {
            return; // The game has gone.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_key_codes_map_to_the_keys_the_window_reports() {
        // Standard evdev layout: X key code 40 is D, 41 F, 44 J, 45 K, 65 Space, 9 Escape.
        assert_eq!(key_code(40), Some(KeyCode::KeyD));
        assert_eq!(key_code(41), Some(KeyCode::KeyF));
        assert_eq!(key_code(44), Some(KeyCode::KeyJ));
        assert_eq!(key_code(45), Some(KeyCode::KeyK));
        assert_eq!(key_code(65), Some(KeyCode::Space));
        assert_eq!(key_code(47), Some(KeyCode::Semicolon));
        assert_eq!(key_code(9), Some(KeyCode::Escape));
        assert_eq!(key_code(3), None);
    }
}
