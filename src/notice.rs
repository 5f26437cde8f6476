//! Messages for the player (a file that could not be read, no audio device...), shown on screen
//! for a while and logged.

use std::collections::HashSet;

use bevy::prelude::*;

/// How long a notice stays on screen, in seconds.
pub const NOTICE_SECONDS: f32 = 8.0;

#[derive(Resource, Default, Debug)]
pub struct Notices {
    /// Text and seconds left on screen.
    pub shown: Vec<(String, f32)>,
    said_once: HashSet<&'static str>,
}

impl Notices {
    pub fn push(&mut self, text: impl Into<String>) {
        let text = text.into();
        warn!("{text}");
        self.shown.push((text, NOTICE_SECONDS));
    }

    /// Says `text` only the first time `key` comes up in this run.
    pub fn once(&mut self, key: &'static str, text: impl Into<String>) {
        if self.said_once.insert(key) {
            self.push(text);
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Notices>()
        .add_systems(Update, age_notices);
}

fn age_notices(mut notices: ResMut<Notices>, time: Res<Time<Real>>) {
    if notices.shown.is_empty() {
        return;
    }
    let dt = time.delta_secs();
    notices.shown.retain_mut(|(_, left)| {
        *left -= dt;
        *left > 0.0
    });
}
