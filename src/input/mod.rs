//! Input sources that stamp each press and release with an `Instant` the moment it arrives, on
//! threads of their own, so the judge never sees the time of the frame that happened to look:
//! raw XInput2 key events on X11 and gamepad or dance-mat buttons through gilrs. Where a source
//! cannot run, the keyboard falls back to frame-stamped input with a message.

pub mod gamepad;
pub mod lanes;
#[cfg(target_os = "linux")]
pub mod x11_raw;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

use bevy::prelude::*;
use bevy::window::PrimaryWindow;

use crate::notice::Notices;
use crate::screens::Screen;
use crate::settings::InputMode;
pub use lanes::{InputPrecision, LaneBindings, LaneInputMessage};

/// A control of a device a player plays with.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Control {
    Key(KeyCode),
    /// A gamepad or dance-mat button by name (`DPadLeft`, `South`, or `code 304` for buttons
    /// gilrs cannot name), on the pad the source numbered `pad`.
    Pad {
        pad: u32,
        button: String,
    },
}

/// What a source thread sends.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceEvent {
    Control {
        control: Control,
        pressed: bool,
        at: Instant,
    },
    /// A pad was plugged in (or found at start) or unplugged.
    PadConnection {
        pad: u32,
        name: String,
        connected: bool,
    },
    /// The source stopped working; the game falls back and says why.
    Failed { source: SourceKind, reason: String },
}

/// The Bevy gamepad entity standing for each pad a source numbered, so pads plugged in and
/// out show up as Bevy's own `GamepadConnectionEvent`s.
#[derive(Resource, Default, Debug)]
pub struct PadRegistry {
    pads: Vec<(u32, Entity, String)>,
}

impl PadRegistry {
    pub fn entity(&self, pad: u32) -> Option<Entity> {
        self.pads
            .iter()
            .find(|(p, _, _)| *p == pad)
            .map(|(_, e, _)| *e)
    }

    pub fn pad(&self, entity: Entity) -> Option<u32> {
        self.pads
            .iter()
            .find(|(_, e, _)| *e == entity)
            .map(|(p, _, _)| *p)
    }

    pub fn name(&self, pad: u32) -> Option<&str> {
        self.pads
            .iter()
            .find(|(p, _, _)| *p == pad)
            .map(|(_, _, n)| n.as_str())
    }

    /// The names of every pad seen.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pads.iter().map(|(_, _, n)| n.as_str())
    }

    /// Records a pad and its entity (tests stand in for the gamepad thread this way).
    pub fn insert(&mut self, pad: u32, entity: Entity, name: String) {
        self.pads.retain(|(p, _, _)| *p != pad);
        self.pads.push((pad, entity, name));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Keyboard,
    Gamepad,
}

/// A stamped press or release from a source thread, for screens that listen to raw controls
/// (key and pad remapping) as well as gameplay.
#[derive(Message, Clone, Debug, PartialEq)]
pub struct ControlMessage {
    pub control: Control,
    pub pressed: bool,
    pub at: Instant,
}

/// The receiving end of the source threads, and what the threads need from the game.
#[derive(Resource)]
pub struct InputSources {
    receiver: std::sync::Mutex<Receiver<SourceEvent>>,
    sender: Sender<SourceEvent>,
    /// Raw keyboard events are counted only while the game window has focus.
    pub focused: Arc<AtomicBool>,
    /// The latest instant handed out, per device kind: times never go backwards.
    last_at: [Option<Instant>; 2],
}

impl InputSources {
    pub fn new() -> Self {
        let (sender, receiver) = channel();
        Self {
            receiver: std::sync::Mutex::new(receiver),
            sender,
            focused: Arc::new(AtomicBool::new(true)),
            last_at: [None, None],
        }
    }

    /// A sender for a source thread (or a test standing in for one).
    pub fn sender(&self) -> Sender<SourceEvent> {
        self.sender.clone()
    }

    /// Stamps that run backwards (a source's clock read across threads, a late delivery) are
    /// clamped to the latest stamp seen, so the judge always sees time move forward.
    fn monotonic(&mut self, kind: SourceKind, at: Instant) -> Instant {
        let slot = &mut self.last_at[kind as usize];
        let clamped = slot.map_or(at, |last| at.max(last));
        *slot = Some(clamped);
        clamped
    }
}

impl Default for InputSources {
    fn default() -> Self {
        Self::new()
    }
}

/// Input's steps in each frame, after Bevy's own input: the sources' events are drained, then
/// turned into lane inputs of the players in a play.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputSystems {
    Drain,
    Lanes,
}

/// Receives stamped events; added by every app so tests can feed it.
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<InputSources>()
        .init_resource::<PadRegistry>()
        .init_resource::<LaneBindings>()
        .init_resource::<InputPrecision>()
        .add_message::<ControlMessage>()
        .add_message::<LaneInputMessage>()
        .configure_sets(
            PreUpdate,
            (InputSystems::Drain, InputSystems::Lanes)
                .chain()
                .after(bevy::input::InputSystems),
        )
        .add_systems(PreUpdate, drain_sources.in_set(InputSystems::Drain))
        .add_systems(
            PreUpdate,
            (
                lanes::stamp_frame_keys.run_if(lanes::frame_stamping),
                controls_to_lanes,
            )
                .in_set(InputSystems::Lanes)
                .run_if(in_state(Screen::Gameplay)),
        );
}

/// Starts the source threads; only the windowed game adds this.
pub fn threads_plugin(app: &mut App) {
    app.add_systems(Startup, start_threads)
        .add_systems(First, track_focus);
}

fn start_threads(
    mut sources: ResMut<InputSources>,
    mut precision: ResMut<InputPrecision>,
    settings: Res<crate::settings::Settings>,
    mode: Option<Res<InputModeOverride>>,
    mut notices: ResMut<Notices>,
) {
    let mode = mode.map_or(settings.input_mode, |m| m.0);
    gamepad::spawn(sources.sender());
    if mode == InputMode::FrameStamped {
        *precision = InputPrecision::FrameLimited;
        return;
    }
    match start_raw_keyboard(&sources) {
        Ok(()) => *precision = InputPrecision::RawThreadStamped,
        Err(reason) => {
            *precision = InputPrecision::FrameLimited;
            notices.push(t!(
                "notice-raw-keyboard-unavailable",
                reason = reason.to_string()
            ));
        }
    }
    sources.last_at = [None, None];
}

#[cfg(target_os = "linux")]
fn start_raw_keyboard(sources: &InputSources) -> Result<(), String> {
    if std::env::var_os("DISPLAY").is_none() {
        return Err("no X11 display".into());
    }
    x11_raw::spawn(sources.sender(), sources.focused.clone())
}

#[cfg(not(target_os = "linux"))]
fn start_raw_keyboard(_sources: &InputSources) -> Result<(), String> {
    Err("raw keyboard input is only read on Linux/X11".into())
}

/// Forces the input mode for this run (`--input frame` for the timing harness).
#[derive(Resource, Clone, Copy, Debug)]
pub struct InputModeOverride(pub InputMode);

fn track_focus(sources: Res<InputSources>, windows: Query<&Window, With<PrimaryWindow>>) {
    let focused = windows.iter().any(|w| w.focused);
    sources.focused.store(focused, Ordering::Relaxed);
}

/// Moves everything the threads sent into the frame, as messages; a failed source switches the
/// game to the fallback and says so.
fn drain_sources(
    mut sources: ResMut<InputSources>,
    mut precision: ResMut<InputPrecision>,
    mut notices: ResMut<Notices>,
    mut out: MessageWriter<ControlMessage>,
    mut registry: ResMut<PadRegistry>,
    mut connections: MessageWriter<bevy::input::gamepad::GamepadConnectionEvent>,
    mut commands: Commands,
) {
    let events: Vec<SourceEvent> = match sources.receiver.lock() {
        Ok(receiver) => receiver.try_iter().collect(),
        Err(_) => return,
    };
    for event in events {
        match event {
            SourceEvent::Control {
                control,
                pressed,
                at,
            } => {
                let kind = match control {
                    Control::Key(_) => SourceKind::Keyboard,
                    Control::Pad { .. } => SourceKind::Gamepad,
                };
                let at = sources.monotonic(kind, at);
                // Keys come from the frame-stamped path while it is in use.
                if kind == SourceKind::Keyboard && *precision != InputPrecision::RawThreadStamped {
                    continue;
                }
                out.write(ControlMessage {
                    control,
                    pressed,
                    at,
                });
            }
            SourceEvent::PadConnection {
                pad,
                name,
                connected,
            } => {
                use bevy::input::gamepad::{GamepadConnection, GamepadConnectionEvent};
                let entity = registry
                    .entity(pad)
                    .unwrap_or_else(|| commands.spawn(Name::new(name.clone())).id());
                registry.insert(pad, entity, name.clone());
                connections.write(GamepadConnectionEvent::new(
                    entity,
                    if connected {
                        GamepadConnection::Connected {
                            name,
                            vendor_id: None,
                            product_id: None,
                        }
                    } else {
                        GamepadConnection::Disconnected
                    },
                ));
            }
            SourceEvent::Failed { source, reason } => match source {
                SourceKind::Keyboard => {
                    if *precision == InputPrecision::RawThreadStamped {
                        *precision = InputPrecision::FrameLimited;
                        notices.push(t!(
                            "notice-raw-keyboard-stopped",
                            reason = reason.to_string()
                        ));
                    }
                }
                SourceKind::Gamepad => notices.once(
                    "no-gamepads",
                    t!("notice-no-gamepads", reason = reason.to_string()),
                ),
            },
        }
    }
}

/// Turns stamped controls into lane inputs of the players they are bound to.
fn controls_to_lanes(
    mut controls: MessageReader<ControlMessage>,
    bindings: Res<LaneBindings>,
    mut out: MessageWriter<LaneInputMessage>,
) {
    for message in controls.read() {
        for (player, lane) in bindings.lanes_of(&message.control) {
            out.write(LaneInputMessage {
                player,
                lane,
                action: if message.pressed {
                    crate::core::judge::Action::Press
                } else {
                    crate::core::judge::Action::Release
                },
                at: message.at,
                pad: match &message.control {
                    Control::Pad { pad, .. } => Some(*pad),
                    Control::Key(_) => None,
                },
            });
        }
    }
}
