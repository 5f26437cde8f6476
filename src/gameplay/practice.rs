//! A practice in the game: its loop from one measure to the end of another, each pass's result,
//! the rate keys, jumps by measure and section, and wait mode, which stops the song at each
//! note until its key is pressed. The rules are the core's `practice`.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_kira_audio::prelude::{Audio, AudioInstance};

use super::audio::SongAudio;
use super::clock::{ClockPhase, SongClock};
use super::pause::PausableSystems;
use super::session::PlaySession;
use super::{PlayRequest, PlaySystems, PlayerFeedback, count_in_from};
use crate::core::level::Level;
use crate::core::practice::{PassResult, Practice, step_rate};
use crate::screens::Screen;

/// A practice under way.
#[derive(Resource, Debug, Clone)]
pub struct PracticeRun {
    /// Where it plays now: the jumps move it.
    pub practice: Practice,
    /// Every finished pass of the loop, first to last.
    pub passes: Vec<PassResult>,
    /// Wait mode has stopped the song at this note (song time, lane).
    pub waiting_at: Option<(f64, u8)>,
}

impl PracticeRun {
    pub fn new(practice: Practice) -> Self {
        Self {
            practice,
            passes: Vec::new(),
            waiting_at: None,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (practice_keys, wait_at_notes, loop_at_the_end)
            .chain()
            .after(PlaySystems::Judge)
            .before(PlaySystems::Finish)
            .in_set(PausableSystems)
            .run_if(in_state(Screen::Gameplay))
            .run_if(resource_exists::<PracticeRun>)
            .run_if(resource_exists::<PlaySession>),
    );
}

/// Song time the loop of `practice` ends at: the end of its last measure.
pub fn loop_end(level: &Level, practice: &Practice) -> Option<f64> {
    practice.to.map(|to| level.measure_time(to + 1))
}

/// What a practice moves when it starts a pass or changes the rate: the song's clock and
/// music, the judging, and what the screen shows of it.
#[derive(SystemParam)]
struct Playback<'w, 's> {
    clock: ResMut<'w, SongClock>,
    song: ResMut<'w, SongAudio>,
    audio: Option<Res<'w, Audio>>,
    settings: Res<'w, crate::settings::Settings>,
    instances: Option<ResMut<'w, Assets<AudioInstance>>>,
    session: ResMut<'w, PlaySession>,
    feedback: Query<'w, 's, &'static mut PlayerFeedback>,
    time: Res<'w, Time<Real>>,
}

impl Playback<'_, '_> {
    fn now(&self) -> std::time::Instant {
        self.time
            .last_update()
            .unwrap_or_else(|| self.time.startup())
    }

    /// Starts a pass of `practice` afresh: the music from the measure before, nothing judged.
    fn restart(&mut self, level: &Level, practice: &Practice) {
        let now = self.now();
        let music_from = count_in_from(level, practice.from);
        if let Some(instances) = self.instances.as_deref_mut() {
            // A pass that ran past the end of the music hears it again from a fresh instance.
            let again = self.audio.as_deref().is_some_and(|audio| {
                self.song.play_again_if_ended(
                    audio,
                    instances,
                    music_from,
                    self.clock.rate(),
                    self.settings.volume,
                )
            });
            if again {
                self.clock.music_plays_again();
            } else {
                self.song.seek(music_from, instances);
            }
        }
        self.clock.seek(now, music_from);
        self.session.start_at(level.measure_time(practice.from));
        for mut feedback in self.feedback.iter_mut() {
            feedback.last = None;
            feedback.recent_offsets.clear();
            feedback.fresh.clear();
            // Song time goes back: presses and hits of the last pass are in its future.
            feedback.lane_pressed_at.fill(f64::NEG_INFINITY);
            feedback.lane_hit.fill(None);
        }
    }

    /// Plays on at `rate`: the clock, the music and every judge's windows.
    fn set_rate(&mut self, rate: f64) {
        let now = self.now();
        self.clock.set_rate(now, rate);
        self.session.set_rate(rate);
        if let Some(instances) = self.instances.as_deref_mut() {
            self.song.set_rate(rate, instances);
        }
    }
}

/// The rate keys, the jumps and the loop and wait switches.
fn practice_keys(
    keys: Res<ButtonInput<KeyCode>>,
    request: Res<PlayRequest>,
    mut run: ResMut<PracticeRun>,
    mut playback: Playback,
) {
    let level = &request.level;
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let rate_steps =
        i32::from(keys.just_pressed(KeyCode::Equal)) - i32::from(keys.just_pressed(KeyCode::Minus));
    if rate_steps != 0 {
        let rate = step_rate(playback.clock.rate(), rate_steps);
        playback.set_rate(rate);
    }
    if keys.just_pressed(KeyCode::F2) {
        run.practice.wait = !run.practice.wait;
        run.waiting_at = None;
    }
    let here = level
        .measure_at_time(playback.clock.now())
        .max(run.practice.from);
    if keys.just_pressed(KeyCode::Backslash) {
        run.practice.to = match run.practice.to {
            Some(_) => None,
            None => Some(here),
        };
    }
    let last = level.measure_count();
    let from = run.practice.from;
    let jump = if keys.just_pressed(KeyCode::Backspace) {
        Some(from)
    } else if keys.just_pressed(KeyCode::BracketLeft) {
        Some(if shift {
            section_start(level, from, false).unwrap_or(from)
        } else {
            from.saturating_sub(1).max(1)
        })
    } else if keys.just_pressed(KeyCode::BracketRight) {
        Some(if shift {
            section_start(level, from, true).unwrap_or(from)
        } else {
            (from + 1).min(last)
        })
    } else {
        None
    };
    if let Some(to_measure) = jump {
        // A loop keeps its length as it moves.
        let length = run.practice.to.map(|to| to - run.practice.from);
        run.practice.from = to_measure;
        run.practice.to = length.map(|l| (to_measure + l).min(last));
        run.waiting_at = None;
        let practice = run.practice;
        playback.restart(level, &practice);
    }
}

/// The first measure of the section after (or before) the one holding `measure`.
fn section_start(level: &Level, measure: u32, forward: bool) -> Option<u32> {
    let starts = level.section_measures();
    if forward {
        starts.into_iter().find(|s| *s > measure)
    } else {
        starts.into_iter().rev().find(|s| *s < measure)
    }
}

/// Wait mode: the song stops on the next note and goes on once that note is hit.
fn wait_at_notes(
    mut run: ResMut<PracticeRun>,
    mut clock: ResMut<SongClock>,
    song: Res<SongAudio>,
    mut instances: Option<ResMut<Assets<AudioInstance>>>,
    session: Res<PlaySession>,
    time: Res<Time<Real>>,
) {
    if !run.practice.wait {
        return;
    }
    let Some(judge) = session.judge(0) else {
        return;
    };
    let next = judge.next_pending_note();
    match run.waiting_at {
        Some(waited) if next != Some(waited) => {
            // The note was hit: the song goes on from where it stopped.
            run.waiting_at = None;
            let now = time.last_update().unwrap_or_else(|| time.startup());
            let position = instances
                .as_deref()
                .and_then(|i| song.reading(i))
                .map(|r| r.position);
            clock.resume(now, position);
            if let Some(instances) = instances.as_deref_mut() {
                song.resume(instances);
            }
        }
        Some(_) => {}
        None => {
            if let Some((at, lane)) = next
                && clock.phase() == ClockPhase::Running
                && clock.now() >= at
            {
                clock.pause_at(at);
                if let Some(instances) = instances.as_deref_mut() {
                    song.pause(instances);
                }
                run.waiting_at = Some((at, lane));
            }
        }
    }
}

/// At the end of the loop, the pass is scored and the next one starts.
fn loop_at_the_end(
    request: Res<PlayRequest>,
    mut run: ResMut<PracticeRun>,
    mut playback: Playback,
) {
    let level = &request.level;
    let Some(end) = loop_end(level, &run.practice) else {
        return;
    };
    let clock = &playback.clock;
    if clock.phase() != ClockPhase::Running || clock.now() < end {
        return;
    }
    let Some(judge) = playback.session.judge(0) else {
        return;
    };
    let pass = run.passes.len() as u32 + 1;
    let result = PassResult::of(pass, judge.score(), clock.rate());
    run.passes.push(result);
    run.waiting_at = None;
    let practice = run.practice;
    playback.restart(level, &practice);
}
