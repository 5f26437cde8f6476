//! The game's screens, as states; each screen's entities go when it is left.

use bevy::prelude::*;

#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Title,
    SongSelect,
    /// Players join for local multiplayer.
    Join,
    Settings,
    /// The merch binder and the shop.
    Collection,
    /// The festival tour's stages.
    Tour,
    Gameplay,
    Results,
}

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Screen>();
}
