//! Raw key events from the X server through XInput2, on a connection and thread of their own.
//! Each event is stamped when it happened, not when a frame looked: by the X server's own
//! timestamp of the event (milliseconds of the monotonic clock, mapped onto `Instant`), and never
//! later than the instant the thread received it. A busy X server (one copying a
//! software-rendered frame, say) can take milliseconds to pass an event on; its timestamp does not
//! wait with it.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

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

/// Maps X server timestamps (milliseconds, wrapping at 2^32) onto `Instant`s.
///
/// The offset between the two clocks is the smallest `received - server time` seen: the event
/// that came through fastest shows the clocks' true relation best. Both are monotonic, so the
/// offset only ever improves as faster deliveries are seen.
#[derive(Debug, Default)]
pub struct ServerClock {
    /// The `Instant` of server time 0.
    origin: Option<Instant>,
    last_server_ms: Option<u32>,
    wraps: u64,
}

impl ServerClock {
    /// The instant an event the server stamped `server_ms` happened, given it was received at
    /// `received`.
    pub fn stamp(&mut self, server_ms: u32, received: Instant) -> Instant {
        if let Some(last) = self.last_server_ms
            && server_ms < last
            && last - server_ms > u32::MAX / 2
        {
            self.wraps += 1;
        }
        self.last_server_ms = Some(server_ms);
        let since_start =
            Duration::from_millis(self.wraps * (u64::from(u32::MAX) + 1) + u64::from(server_ms));
        // The earliest origin seen: this event's delivery latency was the smallest.
        let candidate = received.checked_sub(since_start);
        self.origin = match (self.origin, candidate) {
            (Some(origin), Some(candidate)) => Some(origin.min(candidate)),
            (None, candidate) => candidate,
            (origin, None) => origin,
        };
        let Some(origin) = self.origin else {
            return received;
        };
        // Server times are whole milliseconds: the event happened within the next one.
        let happened = origin + since_start + Duration::from_micros(500);
        happened.min(received)
    }
}

fn listen(connection: impl Connection, events: Sender<SourceEvent>, focused: Arc<AtomicBool>) {
    // Woken ahead of the render threads, so a key is taken in as it arrives while every core is busy.
    crate::priority::raise_current_thread();
    let mut server_clock = ServerClock::default();
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
        let received = Instant::now();
        let (detail, pressed, server_ms) = match event {
            Event::XinputRawKeyPress(e) => (e.detail, true, e.time),
            Event::XinputRawKeyRelease(e) => (e.detail, false, e.time),
            _ => continue,
        };
        let at = server_clock.stamp(server_ms, received);
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
    fn server_times_map_to_when_events_happened_not_when_they_arrived() {
        let base = Instant::now();
        let mut clock = ServerClock::default();
        // First event: server time 1000 ms, received at `base + 2 ms`.
        let first = clock.stamp(1000, base + Duration::from_millis(2));
        assert_eq!(first, base + Duration::from_millis(2));
        // A faster delivery 100 ms later teaches a better offset.
        let fast = clock.stamp(1100, base + Duration::from_micros(100_200));
        assert_eq!(fast, base + Duration::from_micros(100_200));
        // A slow delivery (the server was busy) is stamped when it happened, not 6 ms later.
        let slow = clock.stamp(1200, base + Duration::from_millis(206));
        let happened = base + Duration::from_micros(200_700);
        assert_eq!(slow, happened);
    }

    #[test]
    fn server_time_wrapping_around_keeps_counting_up() {
        let base = Instant::now() + Duration::from_secs(10);
        let mut clock = ServerClock::default();
        let before = clock.stamp(u32::MAX - 5, base);
        let after = clock.stamp(4, base + Duration::from_millis(10));
        assert!(after > before);
        assert!(after - before <= Duration::from_millis(10));
    }

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
