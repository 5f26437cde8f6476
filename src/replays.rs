//! Watching saved plays. The results' "Watch replay" and the song list's replay browser both
//! send a [`WatchReplay`]; one system turns it into a play of the recorded inputs, on the chart
//! and with the judge settings and mods the player had.

use std::path::Path;
use std::sync::Arc;

use bevy::prelude::*;

use crate::core::level::Level;
use crate::core::replay::{Replay, SavedReplay, saved_for_chart};
use crate::gameplay::{PlayMode, PlayRequest};
use crate::screens::Screen;

/// Asks the song list's replay browser to open on the chart `chart` of `level`.
#[derive(Message, Clone, Debug)]
pub struct OpenReplays {
    pub level: Arc<Level>,
    pub chart: usize,
}

/// Asks to watch `replay` of the chart `chart` of `level`.
#[derive(Message, Clone, Debug)]
pub struct WatchReplay {
    pub level: Arc<Level>,
    pub chart: usize,
    pub replay: Replay,
}

/// The song list's replay browser: the profile's saved replays of one chart, when it is open.
#[derive(Resource, Default, Debug)]
pub struct ReplayBrowser {
    pub shown: Option<BrowsedChart>,
}

/// One chart's saved replays, newest first.
#[derive(Debug)]
pub struct BrowsedChart {
    pub level: Arc<Level>,
    pub chart: usize,
    pub replays: Vec<SavedReplay>,
}

impl ReplayBrowser {
    /// Opens the browser on the chart `chart` of `level`, reading the replays the profile in
    /// `profile_dir` saved of it.
    pub fn open(&mut self, level: Arc<Level>, chart: usize, profile_dir: &Path) {
        let folder = crate::paths::replays_dir(profile_dir).join(&level.slug);
        let of = &level.charts[chart];
        let replays = saved_for_chart(&folder, &of.difficulty, of.lanes);
        self.shown = Some(BrowsedChart {
            level,
            chart,
            replays,
        });
    }

    pub fn close(&mut self) {
        self.shown = None;
    }

    /// The message that watches the `index`th replay listed, if it can be watched.
    pub fn watch(&self, index: usize) -> Option<WatchReplay> {
        let shown = self.shown.as_ref()?;
        let replay = shown.replays.get(index)?.replay.as_ref().ok()?;
        Some(WatchReplay {
            level: shown.level.clone(),
            chart: shown.chart,
            replay: (**replay).clone(),
        })
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<WatchReplay>()
        .add_message::<OpenReplays>()
        .init_resource::<ReplayBrowser>()
        .add_systems(Update, (open_browser, watch_replay))
        .add_systems(OnExit(Screen::SongSelect), close_browser);
}

/// Plays the last replay asked for. The play is marked as a replay: nothing it does is saved.
fn watch_replay(
    mut asked: MessageReader<WatchReplay>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(watch) = asked.read().last() else {
        return;
    };
    commands.insert_resource(PlayRequest {
        // A member's replay plays their lines of the group stage.
        part: watch.replay.part(),
        ..PlayRequest::solo(
            watch.level.clone(),
            watch.chart,
            watch.replay.settings,
            PlayMode::Replay(watch.replay.inputs().collect()),
        )
    });
    next.set(Screen::Gameplay);
}

/// Opens the browser on the chart asked for, with the replays of the profile in play.
fn open_browser(
    mut asked: MessageReader<OpenReplays>,
    paths: Option<Res<crate::library::GamePaths>>,
    mut browser: ResMut<ReplayBrowser>,
) {
    let (Some(open), Some(paths)) = (asked.read().last(), paths) else {
        return;
    };
    browser.open(open.level.clone(), open.chart, &paths.profile_dir);
}

fn close_browser(mut browser: ResMut<ReplayBrowser>) {
    browser.close();
}

/// How long ago `played_at` (seconds since the Unix epoch) was, as the browser lists it.
pub fn how_long_ago(played_at: u64, now: u64) -> String {
    let seconds = now.saturating_sub(played_at);
    match seconds {
        0..60 => t!("ago-now"),
        60..3_600 => t!("ago-minutes", count = seconds / 60),
        3_600..86_400 => t!("ago-hours", count = seconds / 3_600),
        86_400..2_592_000 => t!("ago-days", count = seconds / 86_400),
        2_592_000..31_536_000 => t!("ago-months", count = seconds / 2_592_000),
        _ => t!("ago-years", count = seconds / 31_536_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn how_long_ago_reads_as_a_person_would_say_it() {
        assert_eq!(how_long_ago(1_000, 1_030), "just now");
        assert_eq!(how_long_ago(1_000, 1_000 + 60), "1 minute ago");
        assert_eq!(how_long_ago(0, 3 * 3_600 + 5), "3 hours ago");
        assert_eq!(how_long_ago(0, 2 * 86_400), "2 days ago");
        assert_eq!(
            how_long_ago(100, 50),
            "just now",
            "a clock set back is not the future"
        );
    }
}
