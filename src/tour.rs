//! A festival tour stage in progress: its set list played song after song at the stage's
//! venue, each result kept, and at the end whether the stage is cleared, which opens the next
//! stage and unlocks its merch.

use bevy::prelude::*;

use crate::core::score::PlayResult;
use crate::core::tour::TourStage;
use crate::fans::{Fans, MerchCatalog};
use crate::gameplay::record::{LastPlay, RecordPlay};
use crate::gameplay::{PlayMode, PlayRequest};
use crate::library::SongLibrary;
use crate::notice::Notices;
use crate::screens::Screen;
use crate::settings::Settings;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Results), record_tour_song.after(RecordPlay))
        .add_systems(OnEnter(Screen::SongSelect), end_tour_run)
        .add_systems(OnEnter(Screen::Title), end_tour_run)
        .add_systems(OnEnter(Screen::Tour), end_tour_run);
}

/// The stage being played and how it has gone so far.
#[derive(Resource, Clone, Debug)]
pub struct TourRun {
    pub stage: TourStage,
    pub results: Vec<PlayResult>,
    /// Set once the set list is over, or a song failed.
    pub outcome: Option<TourOutcome>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TourOutcome {
    pub cleared: bool,
    /// Names of the items the clear unlocked.
    pub unlocked: Vec<String>,
}

impl TourRun {
    /// The set-list song to play next, if the run goes on.
    pub fn next_song(&self) -> Option<usize> {
        (self.outcome.is_none() && self.results.len() < self.stage.set_list.len())
            .then_some(self.results.len())
    }
}

/// The request that plays song `index` of a stage's set list, or why it cannot be played.
pub fn song_request(
    stage: &TourStage,
    index: usize,
    library: &SongLibrary,
    settings: &Settings,
) -> Result<PlayRequest, String> {
    let song = stage
        .set_list
        .get(index)
        .ok_or_else(|| t!("tour-set-list-over"))?;
    let level = library
        .find(&song.level)
        .ok_or_else(|| t!("tour-level-missing", level = song.level.clone()))?
        .playable()?;
    let chart = level
        .charts
        .iter()
        .position(|c| c.difficulty.eq_ignore_ascii_case(&song.difficulty))
        .ok_or_else(|| {
            t!(
                "tour-chart-missing",
                level = song.level.clone(),
                difficulty = song.difficulty.clone()
            )
        })?;
    Ok(PlayRequest::solo(
        level,
        chart,
        settings.judge_settings(1.0),
        PlayMode::Normal,
    ))
}

/// Starts a stage from its first song.
pub fn start_stage(
    commands: &mut Commands,
    stage: &TourStage,
    library: &SongLibrary,
    settings: &Settings,
) -> Result<(), String> {
    let request = song_request(stage, 0, library, settings)?;
    commands.insert_resource(request);
    commands.insert_resource(TourRun {
        stage: stage.clone(),
        results: Vec::new(),
        outcome: None,
    });
    Ok(())
}

/// After a song's results: queues the set list's next song and gives the screen to go to,
/// the next play or, once the run is over, the tour.
pub fn continue_tour(
    commands: &mut Commands,
    run: &TourRun,
    library: &SongLibrary,
    settings: &Settings,
    notices: &mut Notices,
) -> Screen {
    let Some(index) = run.next_song() else {
        return Screen::Tour;
    };
    match song_request(&run.stage, index, library, settings) {
        Ok(request) => {
            commands.insert_resource(request);
            Screen::Gameplay
        }
        Err(why) => {
            notices.push(why);
            Screen::Tour
        }
    }
}

/// Keeps each finished song's result; after the last song, or a failed one, decides the stage
/// and records a clear in the profile.
fn record_tour_song(
    run: Option<ResMut<TourRun>>,
    last: Option<Res<LastPlay>>,
    fans: Option<ResMut<Fans>>,
    catalog: Option<Res<MerchCatalog>>,
    mut notices: ResMut<Notices>,
) {
    let (Some(mut run), Some(last)) = (run, last) else {
        return;
    };
    if run.outcome.is_some() || last.mode != PlayMode::Normal || last.together.is_some() {
        return;
    }
    let expected = &run.stage.set_list[run.results.len().min(run.stage.set_list.len() - 1)];
    if last.level.slug != expected.level {
        return;
    }
    run.results.push(last.result);
    let over = last.result.failed || run.results.len() == run.stage.set_list.len();
    if !over {
        return;
    }
    let cleared = run.stage.cleared_by(&run.results);
    let mut unlocked = Vec::new();
    if cleared && let (Some(mut fans), Some(catalog)) = (fans, catalog) {
        match fans.clear_stage(&catalog, &run.stage.id) {
            Ok(names) => unlocked = names,
            Err(why) => notices.push(why),
        }
    }
    run.outcome = Some(TourOutcome { cleared, unlocked });
}

fn end_tour_run(mut commands: Commands) {
    commands.remove_resource::<TourRun>();
}
