//! The stage's state during a play: each player's idol performing the move of every judged
//! note (or stumbling on a miss), and the crowd cheering on combo milestones and dimming on a
//! fail. Only visual: nothing here touches judging, which runs on each input's own stamp.

use bevy::prelude::*;

use super::session::PlaySession;
use super::{PlayRequest, PlaySystems, Player, PlayerFeedback};
use crate::core::judgement::JudgeEvent;
use crate::core::stage::{CHEER_MILESTONES, Move, Performance};
use crate::screens::Screen;

/// The stage as the command line asked for it, over the setting and the level's venue.
#[derive(Resource, Clone, Copy, Debug, Default)]
pub struct StageOverride {
    pub detail: Option<crate::settings::StageDetail>,
    pub venue: Option<crate::core::stage::Venue>,
}

/// What a player's idol is dancing.
#[derive(Component, Debug, Default, Clone)]
pub struct Dancer {
    pub performing: Option<Performance>,
    /// The pose on screen: it follows the dance a frame at a time (`Pose::toward`), so no
    /// move, stumble or move cut short jumps. `None` until the first frame of the play.
    pub shown: Option<crate::core::stage::Pose>,
    /// The hair's and the hem's swing after the body.
    pub follow: crate::core::stage::FollowThrough,
    /// Moves danced so far, for tests and the curious.
    pub danced: Vec<Move>,
}

/// The crowd's mood.
#[derive(Resource, Debug, Default, Clone)]
pub struct Crowd {
    /// Song time of the latest cheer, and how big it was (0 to 1).
    pub cheer: Option<(f64, f32)>,
    /// The play failed: the crowd's lights go down.
    pub dimmed: bool,
    /// The highest combo milestone cheered so far, per player.
    milestones: Vec<u32>,
}

impl Crowd {
    /// How loud the cheer is at `time`, 0 to 1, fading over three seconds.
    pub fn cheering(&self, time: f64) -> f32 {
        self.cheer.map_or(0.0, |(at, size)| {
            let age = (time - at) as f32;
            if (0.0..3.0).contains(&age) {
                size * (1.0 - age / 3.0)
            } else {
                0.0
            }
        })
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Crowd>()
        .add_systems(OnEnter(Screen::Gameplay), reset_crowd)
        .add_systems(
            Update,
            (add_dancers, dance, follow_the_dance)
                .chain()
                .after(PlaySystems::Judge)
                .before(PlaySystems::Finish)
                .run_if(in_state(Screen::Gameplay))
                .run_if(resource_exists::<PlaySession>),
        );
}

fn reset_crowd(mut crowd: ResMut<Crowd>) {
    *crowd = Crowd::default();
}

fn add_dancers(players: Query<Entity, (With<Player>, Without<Dancer>)>, mut commands: Commands) {
    for entity in &players {
        commands.entity(entity).insert(Dancer::default());
    }
}

/// Moves each idol's shown pose toward where the dance puts it now, by the frame's real time.
fn follow_the_dance(
    mut dancers: Query<&mut Dancer>,
    request: Option<Res<PlayRequest>>,
    clock: Option<Res<crate::gameplay::clock::SongClock>>,
    settings: Res<crate::settings::Settings>,
    time: Res<Time>,
) {
    let (Some(request), Some(clock)) = (request, clock) else {
        return;
    };
    let now = clock.heard_now(request.audio_offset(&settings) + request.visual_offset(&settings));
    let beat = request.level.timing.beat_at_time(now);
    let dt = time.delta_secs();
    for mut dancer in &mut dancers {
        let target = crate::core::stage::pose_at(now, beat, dancer.performing.as_ref());
        let shown = match dancer.shown {
            Some(shown) => shown.toward(target, dt),
            None => target,
        };
        dancer.shown = Some(shown);
        dancer.follow.step(&shown, dt);
    }
}

/// Every judgement of the frame sets its player's idol dancing: the lane's move (or the
/// choreography's, when one is cued at that beat), crisper for better judgements, held through
/// a hold, and a stumble on a miss. Combo milestones and a full combo make the crowd cheer.
fn dance(
    mut players: Query<(&Player, &PlayerFeedback, &mut Dancer)>,
    request: Option<Res<PlayRequest>>,
    session: Res<PlaySession>,
    mut crowd: ResMut<Crowd>,
) {
    let Some(request) = request else {
        return;
    };
    let choreography = &request.level.choreography;
    for (player, feedback, mut dancer) in &mut players {
        let Some(judge) = session.judge(player.seat()) else {
            continue;
        };
        let chart = judge.chart();
        for event in &feedback.fresh {
            let JudgeEvent::Hit {
                note,
                lane,
                time,
                judgement,
                offset,
            } = *event
            else {
                continue;
            };
            let Some(hit) = chart.notes.get(note) else {
                continue;
            };
            let lane_move = choreography
                .cue_near(hit.beat)
                .unwrap_or_else(|| Move::for_lane(lane, chart.lanes));
            // The offset is real time; song time runs at the rate.
            let pressed = offset.map_or(time, |o| hit.time + o * request.judge.rate);
            let hold_end = hit.is_long().then(|| hit.end_time());
            let performance =
                Performance::for_hit(lane_move, judgement, hit.time, pressed, hold_end);
            dancer.danced.push(performance.dance);
            dancer.performing = Some(performance);
        }
        // A hold let go early ends the held pose where it is.
        if let Some(performance) = dancer.performing.as_mut()
            && feedback.fresh.iter().any(|e| {
                matches!(
                    e,
                    JudgeEvent::Hold {
                        result: crate::core::judgement::HoldResult::LetGo,
                        ..
                    }
                )
            })
        {
            performance.hold_until = performance.peak;
        }
        let combo = judge.score().combo();
        let index = player.index as usize;
        if crowd.milestones.len() <= index {
            crowd.milestones.resize(index + 1, 0);
        }
        if let Some(milestone) = CHEER_MILESTONES
            .iter()
            .rev()
            .find(|m| combo >= **m && **m > crowd.milestones[index])
        {
            crowd.milestones[index] = *milestone;
            let size = (*milestone as f32 / 300.0).clamp(0.4, 1.0);
            crowd.cheer = Some((judge.now(), size));
        }
        let score = judge.score();
        if judge.finished() && score.full_combo() && crowd.milestones[index] != u32::MAX {
            crowd.milestones[index] = u32::MAX;
            crowd.cheer = Some((judge.now(), 1.0));
        }
        if score.failed() {
            crowd.dimmed = true;
        }
    }
    if session.group_failed_at().is_some() {
        crowd.dimmed = true;
    }
}
