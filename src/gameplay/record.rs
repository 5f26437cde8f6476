//! Recording a finished play, apart from judging it. The play hands its outcome over as
//! [`FinishedPlay`]; on entering the results, small systems each add their part of what the
//! play changes on disk (the replays, the best scores, the fan points and merch), one commits
//! it all or nothing through the journal, and the results screen gets [`LastPlay`].

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use super::calibration::{self, CalibrationKind};
use super::{PlayMode, PlayRequest};
use crate::core::journal::{self, Applied, PlayEntry, ProgressWrite, ReplayWrite, ScoreWrite};
use crate::core::judgement::JudgeEvent;
use crate::core::level::Level;
use crate::core::merch::PlayRecord;
use crate::core::multiplayer::{GroupPart, GroupResult, PartSplit};
use crate::core::play::PlayOutcome;
use crate::core::records::record_as;
use crate::core::replay::{REPLAY_FORMAT, Replay, ReplayEvent, file_name, to_ron};
use crate::core::score::PlayResult;
use crate::fans::{Earned, Fans, MerchCatalog};
use crate::library::{GamePaths, Scores};
use crate::notice::Notices;
use crate::screens::Screen;

/// A play that just ended, on its way to being recorded.
#[derive(Resource, Debug)]
pub struct FinishedPlay {
    pub outcome: PlayOutcome,
    /// Seconds since the Unix epoch, and the nanoseconds within, when it ended.
    pub played_at: u64,
    nanos: u32,
    /// Every seat's replay, saved or not.
    replays: Vec<Replay>,
    /// Per seat, what its play changes on disk: only a real play of a seat that stayed in it
    /// is recorded.
    entries: Vec<Option<PlayEntry>>,
    /// Per seat, what committing its entry did.
    applied: Vec<Option<Applied>>,
}

impl FinishedPlay {
    pub fn new(outcome: PlayOutcome) -> Self {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        FinishedPlay {
            outcome,
            played_at: since_epoch.as_secs(),
            nanos: since_epoch.subsec_nanos(),
            replays: Vec::new(),
            entries: Vec::new(),
            applied: Vec::new(),
        }
    }
}

/// The finished play, for the results screen.
#[derive(Resource, Clone, Debug)]
pub struct LastPlay {
    pub level: Arc<Level>,
    pub chart: usize,
    pub mode: PlayMode,
    /// A practice: judged, but never recorded.
    pub practice: Option<crate::core::practice::Practice>,
    pub result: PlayResult,
    pub history: Vec<JudgeEvent>,
    /// (song time, real-time offset) of every hit.
    pub offsets: Vec<(f64, f64)>,
    pub new_best: bool,
    pub replay: Replay,
    pub replay_path: Option<PathBuf>,
    /// A multiplayer play: every player's outcome.
    pub together: Option<TogetherOutcome>,
    /// What a real single-player play earned for the profile.
    pub earned: Option<Earned>,
    /// The device most of the player's presses came from: a calibration, or calibrating from
    /// this play, sets that device's input offset. `None` when nobody pressed anything.
    pub played_with: Option<crate::bindings::OffsetDevice>,
    /// For a calibration play: what it measured, and every tap's error in ms.
    pub calibration: Option<(
        CalibrationKind,
        crate::core::calibration::Calibration,
        Vec<f64>,
    )>,
}

/// How a multiplayer play ended, for the results screen.
#[derive(Clone, Debug)]
pub struct TogetherOutcome {
    pub group: Option<GroupResult>,
    pub split: Option<PartSplit>,
    pub players: Vec<SeatResults>,
    /// Versus: players from first to last.
    pub order: Vec<usize>,
    /// Versus: each player's place, 1 for the winner (ties share).
    pub places: Vec<usize>,
}

/// One player's card on the multiplayer results.
#[derive(Clone, Debug)]
pub struct SeatResults {
    pub name: String,
    pub difficulty: String,
    pub result: PlayResult,
    pub offsets: Vec<(f64, f64)>,
    /// Left out of the play after their pad went.
    pub left: bool,
    /// What the play earned the seat's profile; guests earn nothing.
    pub earned: Option<Earned>,
    /// The photocard the player wears, shown on their card.
    pub photocard: Option<crate::core::merch::Item>,
}

/// Recording a finished play, in order; what reads [`LastPlay`] on entering the results runs
/// after it.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordPlay;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(Screen::Results),
        (
            open_entries,
            keep_replays,
            record_best_scores,
            award_fan_points,
            commit_play,
            show_results,
            offer_calibration,
            forget_finished_play,
        )
            .chain()
            .in_set(RecordPlay)
            .run_if(resource_exists::<FinishedPlay>),
    );
}

/// The seat's name as the play knew it.
fn seat_name(request: &PlayRequest, seat: usize) -> String {
    request
        .seats
        .get(seat)
        .map_or_else(|| format!("Player {}", seat + 1), |s| s.name.clone())
}

/// Opens an entry for each seat whose play is recorded: a real play of the whole song (not
/// autoplay, a replay, a calibration or a practice from a measure) of a seat that did not
/// leave, with a data folder to record it in.
fn open_entries(
    mut finished: ResMut<FinishedPlay>,
    request: Res<PlayRequest>,
    paths: Option<Res<GamePaths>>,
) {
    let recording =
        request.mode == PlayMode::Normal && request.practice.is_none() && paths.is_some();
    let finished = &mut *finished;
    finished.entries = finished
        .outcome
        .seats
        .iter()
        .enumerate()
        .map(|(seat, played)| {
            (recording && !played.left).then(|| {
                PlayEntry::new(
                    finished.played_at,
                    finished.nanos,
                    &request.level.slug,
                    &played.chart.difficulty,
                    seat,
                )
            })
        })
        .collect();
}

/// Every seat's replay, and the replay file of each seat whose play is recorded.
fn keep_replays(
    mut finished: ResMut<FinishedPlay>,
    request: Res<PlayRequest>,
    paths: Option<Res<GamePaths>>,
) {
    let finished = &mut *finished;
    let players = finished.outcome.seats.len();
    // Each member's lines of a group stage; a member's part played alone stays that part.
    let part = |seat: usize| {
        if request.group && !request.seats.is_empty() {
            Some(GroupPart {
                member: seat as u8 + 1,
                members: players as u8,
            })
        } else {
            request.part
        }
    };
    finished.replays = finished
        .outcome
        .seats
        .iter()
        .enumerate()
        .map(|(seat, played)| Replay {
            format: REPLAY_FORMAT,
            level: request.level.slug.clone(),
            difficulty: played.chart.difficulty.clone(),
            player: seat_name(&request, seat),
            settings: played.settings,
            played_at: finished.played_at,
            events: played.inputs.iter().map(ReplayEvent::from_input).collect(),
            result: Some(played.result),
            group_member: part(seat).map(|p| p.member),
            group_members: part(seat).map(|p| p.members),
        })
        .collect();
    let Some(paths) = paths else {
        return;
    };
    for (seat, entry) in finished.entries.iter_mut().enumerate() {
        if let Some(entry) = entry {
            let replay = &finished.replays[seat];
            entry.replay = Some(ReplayWrite {
                path: crate::paths::replays_dir(&paths.profile_dir)
                    .join(&request.level.slug)
                    .join(file_name(
                        &replay.difficulty,
                        finished.played_at,
                        seat,
                        players,
                    )),
                text: to_ron(replay),
            });
        }
    }
}

/// Whole charts played to the end set a best: a group member played part of one.
fn record_best_scores(
    mut finished: ResMut<FinishedPlay>,
    request: Res<PlayRequest>,
    scores: Option<Res<Scores>>,
) {
    let Some(scores) = scores.filter(|_| !request.group || request.seats.is_empty()) else {
        return;
    };
    let finished = &mut *finished;
    for (entry, played) in finished.entries.iter_mut().zip(&finished.outcome.seats) {
        if let Some(entry) = entry {
            entry.score = Some(ScoreWrite {
                book: scores.path.clone(),
                level: request.level.slug.clone(),
                record_as: record_as(&played.chart.difficulty, &played.settings),
                result: played.result,
                at: finished.played_at,
            });
        }
    }
}

/// The play counts toward the fan points and merch of the profile each seat plays as; the
/// merch it unlocks is decided when the journal is applied.
fn award_fan_points(
    mut finished: ResMut<FinishedPlay>,
    request: Res<PlayRequest>,
    fans: Option<Res<Fans>>,
) {
    let finished = &mut *finished;
    let outcome = &finished.outcome;
    for (seat, entry) in finished.entries.iter_mut().enumerate() {
        let Some(entry) = entry else {
            continue;
        };
        let profile = match request.seats.get(seat) {
            None => fans.as_ref().map(|f| f.path.clone()),
            Some(seat) => seat.profile.as_ref().map(|p| p.file.clone()),
        };
        let played = &outcome.seats[seat];
        entry.progress = profile.map(|profile| ProgressWrite {
            profile,
            play: PlayRecord {
                level: request.level.slug.clone(),
                difficulty: played.chart.difficulty.clone(),
                meter: played.chart.meter,
                result: played.result,
                versus_win: outcome.won(seat),
                group_clear: outcome.group.as_ref().is_some_and(|g| !g.failed),
                part_of_chart: outcome.group.is_some(),
                notes_to_hit: played.chart.notes_to_hit(),
            },
        });
    }
}

/// Saves the play all or nothing: the journal first, then every file from it (the same code
/// that finishes a journal a crash cut short), then the copies in memory are read back.
fn commit_play(
    mut finished: ResMut<FinishedPlay>,
    paths: Option<Res<GamePaths>>,
    mut scores: Option<ResMut<Scores>>,
    mut fans: Option<ResMut<Fans>>,
    catalog: Option<Res<MerchCatalog>>,
    mut notices: ResMut<Notices>,
) {
    let entries: Vec<PlayEntry> = finished.entries.iter().flatten().cloned().collect();
    let Some(paths) = paths.filter(|_| !entries.is_empty()) else {
        return;
    };
    let journal_path = paths.data_dir.join(journal::JOURNAL_FILE);
    if let Err(e) = journal::write(&journal_path, &entries) {
        notices.push(t!(
            "notice-play-not-saved",
            file = journal_path.display().to_string(),
            reason = e.to_string()
        ));
        return;
    }
    let (applied, messages) = match catalog.as_deref() {
        Some(catalog) => journal::apply_pending(&journal_path, &|p| catalog.unlock(p)),
        None => journal::apply_pending(&journal_path, &|_| Vec::new()),
    };
    for message in messages {
        notices.push(message);
    }
    if let Some(scores) = scores.as_mut() {
        scores.reload();
    }
    if let Some(fans) = fans.as_mut() {
        fans.reload();
    }
    let finished = &mut *finished;
    finished.applied = finished
        .entries
        .iter()
        .map(|entry| {
            let id = &entry.as_ref()?.id;
            applied
                .iter()
                .find(|(a, _)| a == id)
                .map(|(_, a)| a.clone())
        })
        .collect();
}

/// What the results screen shows of the play.
fn show_results(
    mut commands: Commands,
    finished: Res<FinishedPlay>,
    request: Res<PlayRequest>,
    presses: Res<super::session::PressesByDevice>,
) {
    let outcome = &finished.outcome;
    let applied = |seat: usize| finished.applied.get(seat).and_then(Option::as_ref);
    let earned_by = |seat: usize| {
        applied(seat).and_then(|a| {
            a.earned.map(|fan_points| Earned {
                fan_points,
                unlocked: a.unlocked.clone(),
            })
        })
    };
    let together = (!request.seats.is_empty()).then(|| TogetherOutcome {
        group: outcome.group.clone(),
        split: outcome.split.clone(),
        order: outcome.order.clone(),
        places: outcome.places.clone(),
        players: outcome
            .seats
            .iter()
            .enumerate()
            .map(|(seat, played)| SeatResults {
                name: seat_name(&request, seat),
                difficulty: played.chart.difficulty.clone(),
                result: played.result,
                offsets: played.offsets.clone(),
                left: played.left,
                earned: earned_by(seat),
                photocard: request.seats[seat]
                    .profile
                    .as_ref()
                    .and_then(|p| p.looks.photocard.clone()),
            })
            .collect(),
    });
    let first = &outcome.seats[0];
    let replay_path = finished
        .entries
        .first()
        .and_then(Option::as_ref)
        .and_then(|e| e.replay.as_ref())
        .map(|r| r.path.clone())
        .filter(|p| p.exists());
    commands.insert_resource(LastPlay {
        level: request.level.clone(),
        chart: request.chart,
        mode: request.mode.clone(),
        practice: request.practice,
        result: first.result,
        history: first.history.clone(),
        offsets: first.offsets.clone(),
        new_best: applied(0).and_then(|a| a.new_best).unwrap_or(false),
        replay: finished.replays[0].clone(),
        replay_path,
        together,
        earned: if request.seats.is_empty() {
            earned_by(0)
        } else {
            None
        },
        played_with: presses.most_used(),
        calibration: None,
    });
}

/// A calibration play measures the player's offsets from their taps, to offer on the results.
fn offer_calibration(
    mut last: ResMut<LastPlay>,
    finished: Res<FinishedPlay>,
    request: Res<PlayRequest>,
) {
    if let PlayMode::Calibrate(kind) = request.mode {
        let taps = &finished.outcome.seats[0].inputs;
        let (outcome, errors) = calibration::measure(taps, request.judge.rate);
        last.calibration = Some((kind, outcome, errors));
    }
}

fn forget_finished_play(mut commands: Commands) {
    commands.remove_resource::<FinishedPlay>();
}
