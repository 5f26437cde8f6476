//! The lane cover: a screen over the top of a player's highway that hides notes until they come
//! out from under it. A solo player moves it during the play, and the game keeps the height
//! they left it at for the next play (not while watching a replay or autoplay). It only changes what is drawn, never a judgement.

use bevy::input::mouse::AccumulatedMouseScroll;
use bevy::prelude::*;

use super::{PlayMode, PlayRequest, Player};
use crate::core::mods::LANE_COVER;
use crate::screens::Screen;
use crate::settings::Settings;

/// How much of a player's highway the cover hides, as a share of its height from the top.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct LaneCover(pub f32);

/// How fast a held Page Up or Page Down moves the cover: the whole range in about two seconds.
const KEY_SPEED: f32 = 0.45;
/// How far one notch of the mouse wheel moves it.
const WHEEL_STEP: f32 = 0.025;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        move_solo_cover
            .run_if(in_state(Screen::Gameplay))
            .run_if(resource_exists::<PlayRequest>),
    );
}

/// Page Up lowers the cover over more of the highway, Page Down raises it; the wheel too.
/// Only alone: in multiplayer every key belongs to someone's lanes.
fn move_solo_cover(
    request: Res<PlayRequest>,
    mut settings: ResMut<Settings>,
    keys: Res<ButtonInput<KeyCode>>,
    wheel: Res<AccumulatedMouseScroll>,
    time: Res<Time<Real>>,
    mut covers: Query<&mut LaneCover, With<Player>>,
) {
    if !request.seats.is_empty() {
        return;
    }
    let mut step = 0.0;
    if keys.pressed(KeyCode::PageUp) {
        step += KEY_SPEED * time.delta_secs();
    }
    if keys.pressed(KeyCode::PageDown) {
        step -= KEY_SPEED * time.delta_secs();
    }
    // Scrolling up rolls the cover up, like a blind.
    step -= wheel.delta.y.signum() * WHEEL_STEP * (wheel.delta.y != 0.0) as u8 as f32;
    if step == 0.0 {
        return;
    }
    for mut cover in &mut covers {
        cover.0 = (cover.0 + step).clamp(*LANE_COVER.start(), *LANE_COVER.end());
        if request.mode == PlayMode::Normal && settings.mods.lane_cover.is_some() {
            settings.mods.lane_cover = Some(cover.0);
        }
    }
}
