//! Local multiplayer seats: up to four players on one machine, each on a keyboard layout or a
//! pad of their own, with their own difficulty, scroll speed and judge, playing versus or as a
//! group. The join screen fills the lineup; the song list and the play read it.

use bevy::prelude::*;

use crate::bindings::{Device, KeyboardLayout, PAD_LEAVE, PAD_PAUSE};
use crate::core::multiplayer::MAX_PLAYERS;
use crate::settings::{ScrollSpeed, Settings};

/// Difficulties players pick from before the song: the chart nearest in the song's list.
pub const DIFFICULTY_NAMES: [&str; 4] = ["Easy", "Normal", "Hard", "Expert"];

/// One player's seat.
#[derive(Clone, Debug, PartialEq)]
pub struct Seat {
    pub name: String,
    pub device: Device,
    /// Index into [`DIFFICULTY_NAMES`].
    pub difficulty: usize,
    pub scroll: ScrollSpeed,
    /// How opaque this player's highway is.
    pub highway_opacity: f32,
    /// Judge difficulty 1 to 9.
    pub judge: u8,
    /// This player's mods; a seeded lane mod gets a new seed at each play.
    pub mods: crate::core::mods::Mods,
    /// The profile the player plays as; a guest has none.
    pub profile: Option<crate::core::profiles::ProfileEntry>,
}

/// How the players play together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Together {
    /// Everyone plays the whole song on their own chart; the best score wins.
    #[default]
    Versus,
    /// Each member plays their lines of the song; one life bar, one score.
    Group,
}

/// The players who have joined. Empty: the classic single-player game.
#[derive(Resource, Clone, Debug, Default)]
pub struct Lineup {
    pub seats: Vec<Seat>,
    pub together: Together,
}

impl Lineup {
    pub fn is_multiplayer(&self) -> bool {
        !self.seats.is_empty()
    }

    /// The seat playing with `device`, if one is.
    pub fn seat_of(&self, device: &Device) -> Option<usize> {
        self.seats.iter().position(|s| match (&s.device, device) {
            (Device::Pad { pad: a, .. }, Device::Pad { pad: b, .. }) => a == b,
            (a, b) => a == b,
        })
    }

    /// Seats a new player on `device`, if there is room and the device is free.
    pub fn join(&mut self, device: Device, settings: &Settings) -> Option<usize> {
        if self.seats.len() >= MAX_PLAYERS || self.seat_of(&device).is_some() {
            return None;
        }
        // Named after the seat they take, unless another player already has that name.
        let taken = |n: usize| self.seats.iter().any(|s| s.name == format!("Player {n}"));
        let number = std::iter::once(self.seats.len() + 1)
            .chain(1..=MAX_PLAYERS)
            .find(|n| !taken(*n))
            .unwrap_or(self.seats.len() + 1);
        self.seats.push(Seat {
            name: format!("Player {number}"),
            device,
            difficulty: 1,
            scroll: settings.scroll,
            highway_opacity: settings.highway_opacity,
            judge: settings.judge_difficulty,
            mods: settings.mods,
            profile: None,
        });
        Some(self.seats.len() - 1)
    }

    /// Seats the profile in play on a newly joined seat, unless another seat already has it:
    /// the first to join plays as the profile chosen on the title screen.
    pub fn offer_profile(
        &mut self,
        seat: Option<usize>,
        profile: &crate::core::profiles::ProfileEntry,
    ) {
        let Some(seat) = seat else { return };
        if self
            .seats
            .iter()
            .any(|s| s.profile.as_ref() == Some(profile))
        {
            return;
        }
        if let Some(seat) = self.seats.get_mut(seat) {
            seat.profile = Some(profile.clone());
            seat.name = profile.name.clone();
        }
    }

    /// Moves a seat to the next profile no other seat plays as, then to a guest, and round.
    pub fn next_profile(&mut self, seat: usize, profiles: &[crate::core::profiles::ProfileEntry]) {
        let free: Vec<&crate::core::profiles::ProfileEntry> = profiles
            .iter()
            .filter(|p| {
                !self
                    .seats
                    .iter()
                    .enumerate()
                    .any(|(k, s)| k != seat && s.profile.as_ref() == Some(*p))
            })
            .collect();
        let Some(current) = self.seats.get_mut(seat) else {
            return;
        };
        let at = current
            .profile
            .as_ref()
            .and_then(|p| free.iter().position(|f| *f == p));
        let next = match at {
            None => free.first().copied(),
            Some(i) => free.get(i + 1).copied(),
        };
        match next {
            Some(profile) => {
                current.profile = Some(profile.clone());
                current.name = profile.name.clone();
            }
            None => {
                current.profile = None;
                current.name = format!("Guest {}", seat + 1);
            }
        }
    }

    pub fn leave(&mut self, seat: usize) {
        if seat < self.seats.len() {
            self.seats.remove(seat);
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Lineup>().add_systems(
        Update,
        join_and_leave.run_if(in_state(crate::screens::Screen::Join)),
    );
}

/// On the join screen: a lane key of a free layout or any button of a free pad takes the next
/// seat; a seated player's own leave key or pad Select gives it up. G switches between versus
/// and the group stage (Tab would move the menu's focus), Enter goes on to the songs and Esc
/// back to the title.
fn join_and_leave(
    keys: Res<ButtonInput<KeyCode>>,
    mut controls: MessageReader<crate::input::ControlMessage>,
    registry: Res<crate::input::PadRegistry>,
    settings: Res<Settings>,
    paths: Option<Res<crate::library::GamePaths>>,
    mut lineup: ResMut<Lineup>,
    mut next: ResMut<NextState<crate::screens::Screen>>,
) {
    let mut joined = Vec::new();
    for layout in KeyboardLayout::ALL {
        let device = Device::Keyboard(layout);
        let seated = lineup.seat_of(&device);
        if let Some(seat) = seated
            && keys.just_pressed(layout.leave_key())
        {
            lineup.leave(seat);
        } else if let Some(seat) = seated
            && keys.just_pressed(layout.pause_key())
            && let Some(paths) = &paths
        {
            // The layout's pause key has nothing to pause here: it picks who plays.
            let profiles = crate::core::profiles::list_profiles(&paths.data_dir);
            lineup.next_profile(seat, &profiles);
        } else if seated.is_none()
            && settings
                .keys_of_layout(layout)
                .iter()
                .any(|k| keys.just_pressed(*k))
        {
            joined.push(lineup.join(device, &settings));
        }
    }
    for message in controls.read() {
        let crate::input::Control::Pad { pad, button } = &message.control else {
            continue;
        };
        if !message.pressed {
            continue;
        }
        let name = registry
            .name(*pad)
            .map_or_else(|| format!("Pad {}", pad + 1), str::to_string);
        let device = Device::Pad { pad: *pad, name };
        match lineup.seat_of(&device) {
            Some(seat) if button == PAD_LEAVE => lineup.leave(seat),
            Some(_) if button == PAD_PAUSE => next.set(crate::screens::Screen::SongSelect),
            Some(_) => {}
            None => {
                joined.push(lineup.join(device, &settings));
            }
        }
    }
    if let Some(paths) = &paths {
        for seat in joined {
            lineup.offer_profile(seat, &paths.profile);
        }
    }
    if keys.just_pressed(KeyCode::KeyG) {
        lineup.together = match lineup.together {
            Together::Versus => Together::Group,
            Together::Group => Together::Versus,
        };
    }
    if keys.just_pressed(KeyCode::Enter) && lineup.is_multiplayer() {
        next.set(crate::screens::Screen::SongSelect);
    }
    if keys.just_pressed(KeyCode::Escape) {
        lineup.seats.clear();
        next.set(crate::screens::Screen::Title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seat_cycles_through_the_profiles_nobody_else_plays_as() {
        use crate::core::profiles::ProfileEntry;
        let entry = |name: &str| ProfileEntry {
            slug: name.to_lowercase(),
            name: name.into(),
        };
        let profiles = [entry("Mina"), entry("Seri"), entry("Yuna")];
        let settings = Settings::default();
        let mut lineup = Lineup::default();
        lineup.join(Device::Keyboard(KeyboardLayout::Left), &settings);
        lineup.join(Device::Keyboard(KeyboardLayout::Arrows), &settings);
        lineup.offer_profile(Some(0), &profiles[1]);
        let mut seen = Vec::new();
        for _ in 0..4 {
            lineup.next_profile(1, &profiles);
            seen.push(lineup.seats[1].name.clone());
        }
        assert_eq!(
            seen,
            ["Mina", "Yuna", "Guest 2", "Mina"],
            "Seri is seat 1's"
        );
        assert_eq!(lineup.seats[1].profile.as_ref(), Some(&profiles[0]));
    }

    #[test]
    fn seats_fill_up_to_four_and_a_device_joins_once() {
        let settings = Settings::default();
        let mut lineup = Lineup::default();
        assert_eq!(
            lineup.join(Device::Keyboard(KeyboardLayout::Left), &settings),
            Some(0)
        );
        assert_eq!(
            lineup.join(Device::Keyboard(KeyboardLayout::Left), &settings),
            None
        );
        for pad in 0..3 {
            lineup.join(
                Device::Pad {
                    pad,
                    name: "mat".into(),
                },
                &settings,
            );
        }
        assert_eq!(lineup.seats.len(), 4);
        assert_eq!(
            lineup.join(Device::Keyboard(KeyboardLayout::Arrows), &settings),
            None
        );
        lineup.leave(1);
        assert_eq!(lineup.seats[1].name, "Player 3");
        // The freed name goes to the next to join.
        lineup.join(Device::Keyboard(KeyboardLayout::Arrows), &settings);
        assert_eq!(lineup.seats[3].name, "Player 2");
    }

    #[test]
    fn a_pad_can_have_buttons_of_its_own() {
        let mut settings = Settings::default();
        settings.set_pad_of("Mat X", 0, "South".into());
        assert_eq!(
            settings.pads_for_pad("Mat X", 4)[0],
            vec!["South".to_string()]
        );
        // South now plays lane 0 only; the other lanes keep the shared buttons, and other pads
        // the shared mapping.
        assert_eq!(
            settings.pads_for_pad("Mat X", 4)[1],
            vec!["DPadDown".to_string()]
        );
        assert_eq!(
            settings.pads_for_pad("Mat X", 4)[2],
            settings.pads_for(4)[2]
        );
        assert_eq!(settings.pads_for_pad("Pad Y", 4), settings.pads_for(4));
    }
}
