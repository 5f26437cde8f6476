//! Gamepads and dance mats through gilrs, on a thread of their own. gilrs's event times are
//! wall-clock `SystemTime`s, which cannot be compared with the song clock, so each event is
//! stamped with `Instant::now()` as the thread receives it.

use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use gilrs::{Button, EventType, Gilrs};

use super::{Control, SourceEvent, SourceKind};

/// A pad button's name in settings: gilrs's name, or its raw code for buttons gilrs cannot
/// name (common on dance mats).
pub fn button_name(button: Button, code: gilrs::ev::Code) -> String {
    match button {
        Button::Unknown => format!("code {}", code.into_u32()),
        named => format!("{named:?}"),
    }
}

pub fn spawn(events: Sender<SourceEvent>) {
    let started = std::thread::Builder::new()
        .name("gamepads".into())
        .spawn(move || listen(events.clone()));
    if let Err(e) = started {
        eprintln!("cannot start the gamepad thread: {e}");
    }
}

fn listen(events: Sender<SourceEvent>) {
    let mut gilrs = match Gilrs::new() {
        Ok(gilrs) => gilrs,
        Err(gilrs::Error::NotImplemented(gilrs)) => gilrs,
        Err(e) => {
            let _ = events.send(SourceEvent::Failed {
                source: SourceKind::Gamepad,
                reason: e.to_string(),
            });
            return;
        }
    };
    // Pads already plugged in when the game starts.
    for (id, pad) in gilrs.gamepads() {
        let _ = events.send(SourceEvent::PadConnection {
            pad: usize::from(id) as u32,
            name: pad.name().to_string(),
            connected: true,
        });
    }
    loop {
        let Some(event) = gilrs.next_event_blocking(Some(Duration::from_millis(250))) else {
            continue;
        };
        let at = Instant::now();
        let pad = usize::from(event.id) as u32;
        let (button, code, pressed) = match event.event {
            EventType::ButtonPressed(button, code) => (button, code, true),
            EventType::ButtonReleased(button, code) => (button, code, false),
            EventType::Connected | EventType::Disconnected => {
                let name = gilrs
                    .connected_gamepad(event.id)
                    .map_or_else(|| format!("pad {pad}"), |g| g.name().to_string());
                let _ = events.send(SourceEvent::PadConnection {
                    pad,
                    name,
                    connected: event.event == EventType::Connected,
                });
                continue;
            }
            _ => continue,
        };
        let sent = events.send(SourceEvent::Control {
            control: Control::Pad {
                pad,
                button: button_name(button, code),
            },
            pressed,
            at,
        });
        if sent.is_err() {
            return;
        }
    }
}
