//! The first lesson: "How to Play", a shipped level that teaches taps, holds, mines, chords
//! and the offset with prompts over the play. A profile that has never played a song starts
//! with it when it picks Play; the title's How to play replays it at any time.

use bevy::prelude::*;

use crate::gameplay::{PlayMode, PlayRequest};
use crate::library::{Scores, SongLibrary};
use crate::screens::Screen;
use crate::settings::Settings;

/// The lesson's level folder among the shipped levels.
pub const LESSON_LEVEL: &str = "how-to-play";

/// What the title screen asks for.
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleChoice {
    /// Play: the song list, or the lesson for a profile that has never played.
    Play,
    /// How to play: the lesson.
    Lesson,
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<TitleChoice>()
        .add_systems(Update, leave_the_title.run_if(in_state(Screen::Title)));
}

/// The lesson's play, if the lesson is in the song list.
pub fn lesson_request(library: &SongLibrary, settings: &Settings) -> Result<PlayRequest, String> {
    let level = library
        .find(LESSON_LEVEL)
        .ok_or_else(|| format!("the lesson `{LESSON_LEVEL}` is not in the song list"))?
        .playable()?;
    Ok(PlayRequest::solo(
        level,
        0,
        settings.judge_settings(1.0),
        PlayMode::Normal,
    ))
}

/// Goes where the title's choice leads: a first Play, and How to play, start the lesson.
#[allow(clippy::too_many_arguments)]
fn leave_the_title(
    mut choices: MessageReader<TitleChoice>,
    scores: Res<Scores>,
    library: Res<SongLibrary>,
    settings: Res<Settings>,
    mut lineup: ResMut<crate::lineup::Lineup>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
    mut notices: ResMut<crate::notice::Notices>,
) {
    let Some(choice) = choices.read().last().copied() else {
        return;
    };
    lineup.seats.clear();
    let first_time = scores.book.charts.is_empty();
    if choice == TitleChoice::Play && !first_time {
        next.set(Screen::SongSelect);
        return;
    }
    match lesson_request(&library, &settings) {
        Ok(request) => {
            commands.insert_resource(request);
            next.set(Screen::Gameplay);
        }
        // Without the lesson, a first Play goes to the songs as any other.
        Err(why) => {
            if choice == TitleChoice::Lesson {
                notices.push(why);
            }
            next.set(Screen::SongSelect);
        }
    }
}
