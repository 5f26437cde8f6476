//! The play session: one play of 1 to 4 seats, solo, versus or as a group, driven by stamped
//! inputs and the song clock. The window, the command line and group scoring all run a play
//! through this one engine, so a play judged in any of them gives the same outcome.

use crate::chart::Chart;
use crate::judge::{Judge, JudgeSettings, LaneInput, autoplay_inputs};
use crate::judgement::JudgeEvent;
use crate::level::Level;
use crate::life::{Life, LifeRule};
use crate::multiplayer::{
    GroupPart, GroupResult, MAX_PLAYERS, PartSplit, versus_order, versus_places,
};
use crate::score::PlayResult;

/// One seat as a play starts: the chart the player chose and how they are judged.
#[derive(Clone, Debug)]
pub struct SeatSetup {
    pub chart: Chart,
    pub settings: JudgeSettings,
}

/// Why a session could not be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SessionError {
    #[error("a play has 1 to {MAX_PLAYERS} players, not {0}")]
    Players(usize),
    #[error("there is no player {0} in this play")]
    NoSuchSeat(usize),
}

/// One seat during the play.
#[derive(Clone, Debug)]
struct SeatPlay {
    /// The chart the player chose; in a group they play only their lines of it.
    whole: Chart,
    judge: Judge,
    /// The judge as it was when the play last started, sought or changed chart, and the inputs
    /// since: a group's failure replays them up to the moment the bar emptied.
    base: Judge,
    since_base: Vec<LaneInput>,
    /// Every input as judged, for the replay.
    recorded: Vec<LaneInput>,
    /// Judgements not yet taken by [`Session::take_events`].
    fresh: Vec<JudgeEvent>,
    left: bool,
}

impl SeatPlay {
    /// A seat about to play `chart` as its lane mod makes it: the whole chart, or with `part` one
    /// member's lines of it, never failing alone, since on the group stage only the group's bar
    /// fails.
    fn new(chart: &Chart, settings: JudgeSettings, part: Option<(&PartSplit, u8)>) -> SeatPlay {
        let whole = settings.mods.apply(chart);
        let judge = match part {
            Some((split, member)) => Judge::new(
                split.member_chart(&whole, member).0,
                JudgeSettings {
                    no_fail: true,
                    ..settings
                },
            ),
            None => Judge::new(whole.clone(), settings),
        };
        SeatPlay {
            whole,
            base: judge.clone(),
            judge,
            since_base: Vec::new(),
            recorded: Vec::new(),
            fresh: Vec::new(),
            left: false,
        }
    }
}

/// The group stage's shared part: who sings which line, and the one life bar.
#[derive(Clone, Debug)]
struct GroupState {
    split: PartSplit,
    no_fail: bool,
    /// The rule of the group's bar, to start it again on a seek.
    rule: LifeRule,
    life: Life,
    /// Judgements of every member not yet moved into the bar: they go in in time order once no
    /// member can judge anything earlier.
    pending: Vec<(f64, usize, JudgeEvent)>,
    failed_at: Option<f64>,
}

/// A play in progress. See docs/architecture.md for how the window drives it.
#[derive(Clone, Debug)]
pub struct Session {
    seats: Vec<SeatPlay>,
    group: Option<GroupState>,
    now: f64,
}

/// How one seat's play ended.
#[derive(Clone, Debug, PartialEq)]
pub struct SeatOutcome {
    pub result: PlayResult,
    /// The chart as played: a group member's lines only.
    pub chart: Chart,
    pub settings: JudgeSettings,
    pub history: Vec<JudgeEvent>,
    /// (song time, real-time offset) of every hit.
    pub offsets: Vec<(f64, f64)>,
    /// Every input as judged, for the replay.
    pub inputs: Vec<LaneInput>,
    /// Left the play (their pad went) while the others played on.
    pub left: bool,
}

/// How a whole play ended.
#[derive(Clone, Debug, PartialEq)]
pub struct PlayOutcome {
    pub seats: Vec<SeatOutcome>,
    /// Each seat's place, 1 for the winner; ties share a place, and those who left come last.
    pub places: Vec<usize>,
    /// Seats from first to last.
    pub order: Vec<usize>,
    pub group: Option<GroupResult>,
    pub split: Option<PartSplit>,
    /// Song time the group's bar emptied at.
    pub failed_at: Option<f64>,
}

impl PlayOutcome {
    /// A versus win is first place alone: a shared first is a draw.
    pub fn won(&self, seat: usize) -> bool {
        self.group.is_none()
            && self.seats.len() > 1
            && self.places.get(seat) == Some(&1)
            && self.places.iter().filter(|p| **p == 1).count() == 1
    }
}

impl Session {
    /// One player on one chart.
    pub fn solo(chart: Chart, settings: JudgeSettings) -> Session {
        Session::new(vec![SeatSetup { chart, settings }], None, settings.no_fail)
            .expect("one seat is a valid play")
    }

    /// One player on the chart `chart` of `level`: the whole chart, or with `part` a member's
    /// lines of its group stage.
    pub fn one_player(
        level: &Level,
        chart: usize,
        settings: JudgeSettings,
        part: Option<GroupPart>,
    ) -> Session {
        let chart = &level.charts[chart];
        match part {
            Some(part) => {
                Session::part(chart, settings, &level.split_for(part.members), part.member)
            }
            None => Session::solo(chart.clone(), settings),
        }
    }

    /// One member's lines of a group stage, played alone: their part of the chart their lane
    /// mod makes, never failing, since on the stage only the group's bar fails. Watching a
    /// member's replay plays this, as the group's results judged it.
    pub fn part(chart: &Chart, settings: JudgeSettings, split: &PartSplit, member: u8) -> Session {
        Session {
            seats: vec![SeatPlay::new(chart, settings, Some((split, member)))],
            group: None,
            now: f64::NEG_INFINITY,
        }
    }

    /// 1 to 4 seats: each on their own in versus, or with `split` as a group whose members
    /// play their lines and share one life bar (failing unless `group_no_fail`).
    pub fn new(
        seats: Vec<SeatSetup>,
        split: Option<PartSplit>,
        group_no_fail: bool,
    ) -> Result<Session, SessionError> {
        if seats.is_empty() || seats.len() > MAX_PLAYERS {
            return Err(SessionError::Players(seats.len()));
        }
        // A group's one bar is as forgiving as its most forgiving member's chart.
        let group_life = if seats
            .iter()
            .any(|s| s.settings.life.for_chart(&s.chart.difficulty) == LifeRule::Gentle)
        {
            LifeRule::Gentle
        } else {
            LifeRule::Itg
        };
        let seats = seats
            .into_iter()
            .enumerate()
            .map(|(index, seat)| {
                let part = split.as_ref().map(|split| (split, index as u8 + 1));
                SeatPlay::new(&seat.chart, seat.settings, part)
            })
            .collect();
        Ok(Session {
            seats,
            group: split.map(|split| GroupState {
                split,
                no_fail: group_no_fail,
                rule: group_life,
                life: Life::new(group_life, group_no_fail),
                pending: Vec::new(),
                failed_at: None,
            }),
            now: f64::NEG_INFINITY,
        })
    }

    pub fn seat_count(&self) -> usize {
        self.seats.len()
    }

    /// The judge of a seat, for drawing its notes, keys and score.
    pub fn judge(&self, seat: usize) -> Option<&Judge> {
        self.seats.get(seat).map(|s| &s.judge)
    }

    /// The chart a seat chose; in a group it plays only its lines of it.
    pub fn whole_chart(&self, seat: usize) -> Option<&Chart> {
        self.seats.get(seat).map(|s| &s.whole)
    }

    /// A perfect play of a seat's own notes (in a group, only their lines).
    pub fn autoplay(&self, seat: usize) -> Vec<LaneInput> {
        self.seats
            .get(seat)
            .map_or_else(Vec::new, |s| autoplay_inputs(s.judge.chart()))
    }

    /// The inputs a seat made, as judged.
    pub fn recorded(&self, seat: usize) -> &[LaneInput] {
        self.seats.get(seat).map_or(&[], |s| &s.recorded)
    }

    pub fn split(&self) -> Option<&PartSplit> {
        self.group.as_ref().map(|g| &g.split)
    }

    pub fn is_group(&self) -> bool {
        self.group.is_some()
    }

    /// The song time the play has reached.
    pub fn now(&self) -> f64 {
        self.now
    }

    /// The life bar a seat plays under: the group's shared one, or their own.
    pub fn life(&self, seat: usize) -> f64 {
        match &self.group {
            Some(group) => group.life.value(),
            None => self.seats.get(seat).map_or(0.0, |s| s.judge.score().life()),
        }
    }

    /// Song time the group's bar emptied at.
    pub fn group_failed_at(&self) -> Option<f64> {
        self.group.as_ref().and_then(|g| g.failed_at)
    }

    pub fn has_left(&self, seat: usize) -> bool {
        self.seats.get(seat).is_some_and(|s| s.left)
    }

    /// Whether a seat has nothing more to play: it left, failed, or judged every note.
    pub fn seat_done(&self, seat: usize) -> bool {
        self.group_failed_at().is_some()
            || self
                .seats
                .get(seat)
                .is_none_or(|s| s.left || s.judge.failed() || s.judge.finished())
    }

    /// Every seat is done, or the group's bar emptied.
    pub fn is_over(&self) -> bool {
        (0..self.seats.len()).all(|seat| self.seat_done(seat))
    }

    fn playing(&self, seat: usize) -> bool {
        self.group_failed_at().is_none() && self.seats.get(seat).is_some_and(|s| !s.left)
    }

    /// Judges one press or release of a seat at its own time. An input earlier than the
    /// seat's judge has reached counts as happening now; it is recorded as judged, so the
    /// replay reproduces the play exactly.
    pub fn input(&mut self, seat: usize, input: LaneInput) {
        if !self.playing(seat) {
            return;
        }
        let play = &mut self.seats[seat];
        let input = LaneInput {
            time: input.time.max(play.judge.now()),
            ..input
        };
        play.judge.input(input);
        play.recorded.push(input);
        play.since_base.push(input);
        self.collect(seat);
    }

    /// Moves every seat to song time `now`: closed windows miss, holds end, and a group's
    /// judgements move its bar.
    pub fn advance(&mut self, now: f64) {
        self.now = self.now.max(now);
        for seat in 0..self.seats.len() {
            if self.playing(seat) {
                self.seats[seat].judge.advance(now);
                self.collect(seat);
            }
        }
        self.move_group_life(Some(now));
    }

    /// Takes a seat's judgements made since the last call, in song-time order.
    pub fn take_events(&mut self, seat: usize) -> Vec<JudgeEvent> {
        self.seats
            .get_mut(seat)
            .map(|s| std::mem::take(&mut s.fresh))
            .unwrap_or_default()
    }

    /// A seat leaves the play (their pad went): nothing more of theirs is judged, and in
    /// versus they rank after everyone who played on.
    pub fn leave(&mut self, seat: usize) {
        if let Some(play) = self.seats.get_mut(seat) {
            play.left = true;
        }
    }

    /// Starts the play afresh at song time `time`, forwards or back: notes before it leave the
    /// play unjudged and uncounted, keys are up, and the first note from there is judged
    /// normally. What was judged before the seek is forgotten.
    pub fn seek(&mut self, time: f64) {
        for play in &mut self.seats {
            let (chart, settings) = (play.judge.chart().clone(), play.judge.settings());
            play.judge = Judge::starting_at(chart, settings, time);
            play.base = play.judge.clone();
            play.since_base.clear();
            play.recorded.clear();
            play.fresh.clear();
        }
        if let Some(group) = &mut self.group {
            group.life = Life::new(group.rule, group.no_fail);
            group.pending.clear();
            group.failed_at = None;
        }
        self.now = time;
    }

    /// The playback rate changed (a practice's rate keys): every seat's windows stay in real
    /// time at the new rate.
    pub fn set_rate(&mut self, rate: f64) {
        for play in &mut self.seats {
            play.judge.set_rate(rate);
            play.base.set_rate(rate);
        }
    }

    /// Gives a seat a new chart (an edited level) without stopping: the position is kept, what
    /// was judged stays judged, and the rest of the song is played on `chart`.
    pub fn replace_chart(&mut self, seat: usize, chart: Chart) -> Result<(), SessionError> {
        let member = seat as u8 + 1;
        let mods = self
            .seats
            .get(seat)
            .ok_or(SessionError::NoSuchSeat(seat))?
            .judge
            .settings()
            .mods;
        let chart = mods.apply(&chart);
        let part = match &self.group {
            Some(group) => group.split.member_chart(&chart, member).0,
            None => chart.clone(),
        };
        let play = self
            .seats
            .get_mut(seat)
            .ok_or(SessionError::NoSuchSeat(seat))?;
        play.whole = chart;
        play.judge = play.judge.with_chart(part);
        play.base = play.judge.clone();
        play.since_base.clear();
        Ok(())
    }

    fn collect(&mut self, seat: usize) {
        let events = self.seats[seat].judge.drain_events();
        if let Some(group) = &mut self.group {
            group
                .pending
                .extend(events.iter().map(|e| (e.time(), seat, *e)));
        }
        self.seats[seat].fresh.extend(events);
    }

    /// Moves the group's judgements earlier than `until` into its bar (all with `None`), in
    /// time order and then seat order; no member can still judge anything earlier than the
    /// time they have all reached, so the order never depends on how the play was stepped.
    fn move_group_life(&mut self, until: Option<f64>) {
        let Some(group) = &mut self.group else {
            return;
        };
        if group.failed_at.is_some() {
            group.pending.clear();
            return;
        }
        group
            .pending
            .sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let ready = match until {
            Some(until) => group.pending.partition_point(|(t, _, _)| *t < until),
            None => group.pending.len(),
        };
        let mut failed_at = None;
        for (time, _, event) in group.pending.drain(..ready) {
            group.life.apply(&event);
            if group.life.failed() {
                failed_at = Some(time);
                break;
            }
        }
        if let Some(at) = failed_at {
            group.failed_at = Some(at);
            group.pending.clear();
            self.stop_members_at(at);
        }
    }

    /// The group's bar emptied at `at`: every member's play ends there, as if replayed up to
    /// that instant, so nothing after it is judged or scored.
    fn stop_members_at(&mut self, at: f64) {
        for play in &mut self.seats {
            let mut judge = play.base.clone();
            for input in play.since_base.iter().filter(|i| i.time <= at) {
                judge.input(*input);
            }
            judge.advance(at);
            play.fresh.retain(|e| e.time() <= at);
            play.recorded.retain(|i| i.time <= at);
            play.judge = judge;
        }
    }

    /// Plays the rest of the song with nobody touching the keys, as at the end of a play.
    pub fn finish(&mut self) {
        for seat in 0..self.seats.len() {
            if self.playing(seat) {
                self.seats[seat].judge.finish();
                self.collect(seat);
            }
        }
        self.move_group_life(None);
    }

    /// How the play ends from here: the rest played out untouched, then every seat's result,
    /// the versus places and the group's result. The session itself is left as it is.
    pub fn outcome(&self) -> PlayOutcome {
        let mut ended = self.clone();
        ended.finish();
        ended.into_outcome()
    }

    fn into_outcome(self) -> PlayOutcome {
        let failed_at = self.group_failed_at();
        let seats: Vec<SeatOutcome> = self
            .seats
            .into_iter()
            .map(|play| {
                let mut result = play.judge.score().result();
                if failed_at.is_some() {
                    result.failed = true;
                }
                SeatOutcome {
                    result,
                    settings: play.judge.settings(),
                    history: play.judge.history().to_vec(),
                    offsets: play.judge.score().offsets().to_vec(),
                    chart: play.judge.chart().clone(),
                    inputs: play.recorded,
                    left: play.left,
                }
            })
            .collect();
        // Those who left rank after everyone who played on.
        let ranked: Vec<PlayResult> = seats
            .iter()
            .map(|s| {
                let mut r = s.result;
                if s.left {
                    r.score = 0;
                    r.accuracy = 0.0;
                    r.max_combo = 0;
                }
                r
            })
            .collect();
        let group = self.group.as_ref().map(|g| {
            let members: Vec<(PlayResult, &Chart, &[JudgeEvent])> = seats
                .iter()
                .map(|s| (s.result, &s.chart, s.history.as_slice()))
                .collect();
            GroupResult::new(&g.split, &members, failed_at.is_some())
        });
        PlayOutcome {
            places: versus_places(&ranked),
            order: versus_order(&ranked),
            split: self.group.map(|g| g.split),
            group,
            failed_at,
            seats,
        }
    }

    /// Judges recorded inputs, one list per seat, from start to end: the command line's and
    /// the tests' way to run a play.
    pub fn play_through(mut self, inputs: &[Vec<LaneInput>]) -> PlayOutcome {
        let mut merged: Vec<(usize, LaneInput)> = inputs
            .iter()
            .enumerate()
            .flat_map(|(seat, list)| list.iter().map(move |i| (seat, *i)))
            .collect();
        merged.sort_by(|a, b| a.1.time.total_cmp(&b.1.time).then(a.0.cmp(&b.0)));
        for (seat, input) in merged {
            self.input(seat, input);
        }
        self.finish();
        self.into_outcome()
    }
}

/// Judges one player's recorded inputs on `chart` from start to end, through the same session
/// as every other play.
pub fn play_solo(
    chart: &Chart,
    settings: JudgeSettings,
    inputs: impl IntoIterator<Item = LaneInput>,
) -> SeatOutcome {
    let inputs: Vec<LaneInput> = inputs.into_iter().collect();
    let mut outcome = Session::solo(chart.clone(), settings).play_through(&[inputs]);
    outcome.seats.swap_remove(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::PlacedKind;
    use crate::judge::Action;
    use crate::judgement::Judgement;
    use crate::multiplayer::{PartLine, Who};
    use crate::timing::{BpmChange, TimingMap};

    /// 60 BPM, so beat n plays at n seconds.
    fn chart(notes: &[(u8, f64, PlacedKind)]) -> Chart {
        let timing = TimingMap::new(
            0.0,
            &[BpmChange {
                beat: 0.0,
                bpm: 60.0,
            }],
            &[],
        );
        Chart::from_beats("Normal", 5, 4, timing, notes.iter().copied())
    }

    fn taps(beats: impl Iterator<Item = f64>) -> Chart {
        let notes: Vec<(u8, f64, PlacedKind)> = beats
            .enumerate()
            .map(|(i, b)| ((i % 4) as u8, b, PlacedKind::Tap))
            .collect();
        chart(&notes)
    }

    fn press(time: f64, lane: u8) -> [LaneInput; 2] {
        [
            LaneInput {
                time,
                lane,
                action: Action::Press,
            },
            LaneInput {
                time: time + 0.05,
                lane,
                action: Action::Release,
            },
        ]
    }

    #[test]
    fn a_solo_play_through_matches_the_judge_alone() {
        let chart = taps((1..=20).map(f64::from));
        let inputs = autoplay_inputs(&chart);
        let mut judge = Judge::new(chart.clone(), JudgeSettings::default());
        for input in &inputs {
            judge.input(*input);
        }
        judge.finish();
        let outcome = Session::solo(chart, JudgeSettings::default()).play_through(&[inputs]);
        assert_eq!(outcome.seats[0].result, judge.score().result());
        assert_eq!(outcome.seats[0].history, judge.history());
    }

    /// A group of two: member 1 sings beats 0 to 10, then `then` the rest.
    fn member_1_then(then: Who) -> PartSplit {
        let line = |name: &str, who, from, to| PartLine {
            name: name.into(),
            who,
            from,
            to,
        };
        PartSplit {
            members: 2,
            lines: vec![
                line("verse", Who::Members(vec![1]), 0.0, 10.0),
                line("then", then, 10.0, 100.0),
            ],
            written: true,
        }
    }

    /// A member's part played alone, with their random lanes, is judged as the group judged it.
    #[test]
    fn a_members_part_alone_scores_as_in_the_group() {
        let chart = taps((1..=40).map(|b| f64::from(b) / 2.0));
        let split = member_1_then(Who::Members(vec![2]));
        let settings = JudgeSettings {
            mods: crate::mods::Mods {
                lanes: crate::mods::LaneMod::Random { seed: 7 },
                ..Default::default()
            },
            ..JudgeSettings::default()
        };
        let seat = || SeatSetup {
            chart: chart.clone(),
            settings,
        };
        let group = Session::new(vec![seat(), seat()], Some(split.clone()), true).unwrap();
        // Member 2 plays their lines well, but 2 ms late each.
        let late: Vec<LaneInput> = group
            .autoplay(1)
            .into_iter()
            .map(|i| LaneInput {
                time: i.time + 0.002,
                ..i
            })
            .collect();
        let together = group.play_through(&[Vec::new(), late.clone()]);
        let alone = Session::part(&chart, settings, &split, 2).play_through(&[late]);
        assert_eq!(alone.seats[0].result, together.seats[1].result);
        assert_eq!(
            alone.seats[0].result.notes, 21,
            "member 2's lines only: beats 10 to 20"
        );
    }

    #[test]
    fn stepping_the_clock_finely_or_not_at_all_gives_the_same_group_outcome() {
        let chart = taps((1..=40).map(|b| f64::from(b) / 2.0));
        let split = member_1_then(Who::Everyone);
        let seats = || {
            vec![
                SeatSetup {
                    chart: chart.clone(),
                    // ITG's bar, which a sleeping member empties quickly.
                    settings: JudgeSettings {
                        life: LifeRule::Itg,
                        ..JudgeSettings::default()
                    },
                };
                2
            ]
        };
        // Member 1 plays; member 2 sleeps through the chorus and empties the bar.
        let inputs = vec![autoplay_inputs(&chart), Vec::new()];
        let batch = Session::new(seats(), Some(split.clone()), false)
            .unwrap()
            .play_through(&inputs);
        let mut live = Session::new(seats(), Some(split), false).unwrap();
        let mut next = 0;
        for step in 0..3000 {
            let now = f64::from(step) * 0.01;
            while let Some(input) = inputs[0].get(next).filter(|i| i.time <= now) {
                live.input(0, *input);
                next += 1;
            }
            live.advance(now);
        }
        let live = live.outcome();
        assert!(
            batch.failed_at.is_some(),
            "the sleeping member fails the group"
        );
        assert_eq!(live, batch);
        // Nothing after the failure is judged.
        let at = batch.failed_at.unwrap();
        for seat in &batch.seats {
            assert!(seat.history.iter().all(|e| e.time() <= at));
        }
    }

    #[test]
    fn a_seek_leaves_earlier_notes_out_and_judges_the_next_normally() {
        let chart = taps((1..=10).map(f64::from));
        let mut session = Session::solo(chart, JudgeSettings::default());
        session.seek(5.5);
        for input in press(6.0, (5 % 4) as u8) {
            session.input(0, input);
        }
        session.advance(6.5);
        let events = session.take_events(0);
        assert!(matches!(
            events.as_slice(),
            [JudgeEvent::Hit {
                note: 5,
                judgement: Judgement::Perfect,
                ..
            }]
        ));
        let outcome = session.outcome();
        let result = outcome.seats[0].result;
        // Notes 1 to 5 are neither judged nor counted: 5 are left, one hit, four missed.
        assert_eq!(result.notes, 5);
        assert_eq!(result.counts.perfect, 1);
        assert_eq!(result.counts.miss, 4);
    }

    #[test]
    fn a_seek_back_starts_the_section_again() {
        let chart = taps((1..=10).map(f64::from));
        let mut session = Session::solo(chart.clone(), JudgeSettings::default());
        for input in autoplay_inputs(&chart).into_iter().filter(|i| i.time < 8.5) {
            session.input(0, input);
        }
        session.advance(8.5);
        session.seek(3.5);
        assert!(session.recorded(0).is_empty());
        assert_eq!(session.judge(0).unwrap().score().counts().perfect, 0);
        let outcome = session.outcome();
        assert_eq!(outcome.seats[0].result.notes, 7);
    }

    #[test]
    fn a_new_chart_keeps_the_position_and_what_was_judged() {
        let old = taps((1..=10).map(f64::from));
        let mut session = Session::solo(old.clone(), JudgeSettings::default());
        for input in autoplay_inputs(&old).into_iter().filter(|i| i.time < 5.5) {
            session.input(0, input);
        }
        session.advance(5.5);
        let before = session.judge(0).unwrap().history().to_vec();
        // The edit doubles the notes after beat 5.
        let new = taps((1..=20).map(|b| f64::from(b) / 2.0 + 0.0));
        session.replace_chart(0, new.clone()).unwrap();
        assert_eq!(session.judge(0).unwrap().now(), 5.5);
        assert_eq!(session.judge(0).unwrap().history(), before.as_slice());
        let later: Vec<LaneInput> = autoplay_inputs(&new)
            .into_iter()
            .filter(|i| i.time >= 5.5)
            .collect();
        for input in later {
            session.input(0, input);
        }
        let result = session.outcome().seats[0].result;
        // Five judged on the old chart, and the new chart's ten from beat 5.5 to 10.
        assert_eq!(result.notes, 5 + 10);
        assert_eq!(result.counts.perfect, 15);
        assert_eq!(result.accuracy, 100.0);
    }

    #[test]
    fn a_seat_that_left_ranks_last_in_versus() {
        let chart = taps((1..=8).map(f64::from));
        let seat = SeatSetup {
            chart: chart.clone(),
            settings: JudgeSettings::default(),
        };
        let mut session = Session::new(vec![seat.clone(), seat], None, false).unwrap();
        for input in autoplay_inputs(&chart) {
            session.input(0, input);
            session.input(1, input);
        }
        session.leave(0);
        let outcome = session.outcome();
        assert_eq!(outcome.places, vec![2, 1]);
        assert!(outcome.won(1));
        assert!(!outcome.won(0));
    }

    #[test]
    fn the_group_shares_one_life_bar_and_ends_together_when_it_empties() {
        let whole = taps((0..48).map(f64::from));
        let split = PartSplit::automatic(2, &[], 48.0);
        let seats = || {
            vec![
                SeatSetup {
                    chart: whole.clone(),
                    // ITG's bar, which a sleeping member empties quickly.
                    settings: JudgeSettings {
                        life: LifeRule::Itg,
                        ..JudgeSettings::default()
                    },
                };
                2
            ]
        };
        let session = Session::new(seats(), Some(split.clone()), false).unwrap();
        // Member 1 plays their lines perfectly, member 2 not at all.
        let inputs = vec![session.autoplay(0), Vec::new()];
        let outcome = session.play_through(&inputs);
        let failed_at = outcome
            .failed_at
            .expect("member 2's silence empties the bar");
        let group = outcome.group.as_ref().unwrap();
        assert!(group.failed);
        // Member 1 was stopped too: the notes after the failure count for nothing.
        assert!(
            outcome.seats[0]
                .history
                .iter()
                .all(|e| e.time() <= failed_at + 1e-9)
        );
        assert!(group.members[0].accuracy < 100.0);
        // Who carried which line: member 1 every point of theirs, member 2 none.
        let played: Vec<_> = group.lines.iter().filter(|l| l.member == 2).collect();
        assert!(played.iter().all(|l| l.accuracy == 0.0));
        assert!(group.score < 1_000_000);
        // With no-fail the group plays on to the end.
        let session = Session::new(seats(), Some(split), true).unwrap();
        let inputs = vec![session.autoplay(0), Vec::new()];
        let kind = session.play_through(&inputs);
        assert_eq!(kind.failed_at, None);
        let group = kind.group.unwrap();
        assert_eq!(group.members[0].accuracy, 100.0);
        assert!(
            group
                .lines
                .iter()
                .filter(|l| l.member == 1)
                .all(|l| l.accuracy == 100.0)
        );
    }

    #[test]
    fn five_players_are_refused() {
        let seat = SeatSetup {
            chart: taps((1..=2).map(f64::from)),
            settings: JudgeSettings::default(),
        };
        assert_eq!(
            Session::new(vec![seat; 5], None, false).unwrap_err(),
            SessionError::Players(5)
        );
    }
}
