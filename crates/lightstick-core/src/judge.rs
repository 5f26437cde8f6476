//! The judge: turns timestamped lane inputs into judgements for one player's chart.
//!
//! Inputs carry their own song time; the judge never looks at a clock. Feeding the same inputs
//! gives the same judgements however often [`Judge::advance`] is called in between, which is
//! what makes replays reproduce a play exactly.

use serde::{Deserialize, Serialize};

use crate::chart::{Chart, NoteKind};
use crate::judgement::{HoldResult, JudgeEvent, Judgement};
use crate::life::{Life, LifeRule};
use crate::score::ScoreKeeper;

/// Two song times closer than this (0.1 µs) are the same instant. Every comparison of the judge
/// goes through [`within`] or [`after`], so float rounding (65.762222 − 65.512222 s is a hair
/// under 0.25) never decides an edge: see docs/scoring.md, "Edges".
pub const SAME_INSTANT: f64 = 1e-7;

/// Whether `distance` is inside `limit`, the edge itself included.
fn within(distance: f64, limit: f64) -> bool {
    distance <= limit + SAME_INSTANT
}

/// Whether `time` is strictly after `moment`: not the same instant, and later.
fn after(time: f64, moment: f64) -> bool {
    time > moment + SAME_INSTANT
}

/// Judge difficulty, scaling every timing window as Etterna's J1..J9 do. J4 is the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeDifficulty(pub u8);

impl Default for JudgeDifficulty {
    fn default() -> Self {
        Self(4)
    }
}

impl JudgeDifficulty {
    const SCALES: [f64; 9] = [1.50, 1.33, 1.16, 1.00, 0.84, 0.66, 0.50, 0.33, 0.20];

    /// The window scale of this difficulty; out-of-range values clamp to J1 / J9.
    pub fn scale(self) -> f64 {
        Self::SCALES[(self.0.clamp(1, 9) - 1) as usize]
    }
}

/// Timing windows in real seconds (± from the note), already scaled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Windows {
    pub perfect: f64,
    pub great: f64,
    pub good: f64,
    pub bad: f64,
    /// A press this close but outside `bad` still takes the note, as a Miss; past it, the press
    /// is a harmless ghost tap.
    pub miss: f64,
    /// A press this close to a mine sets it off.
    pub mine: f64,
    /// How long a hold may be let go and pressed again before it is dropped. Not scaled by the
    /// judge difficulty: it is a forgiveness for fingers, not a measure of timing.
    pub hold_grace: f64,
    /// The longest a roll may go without a tap before it dies. Scaled by the judge difficulty,
    /// as StepMania scales its roll window.
    pub roll: f64,
}

impl Windows {
    /// StepMania's and Etterna's J4 windows: 22.5 / 45 / 90 / 135 / 180 ms, mine 90 ms,
    /// let-go 250 ms, roll 500 ms.
    pub const STANDARD: Windows = Windows {
        perfect: 0.0225,
        great: 0.045,
        good: 0.090,
        bad: 0.135,
        miss: 0.180,
        mine: 0.090,
        hold_grace: 0.250,
        roll: 0.500,
    };

    pub fn for_difficulty(difficulty: JudgeDifficulty) -> Self {
        let s = difficulty.scale();
        let w = Self::STANDARD;
        Windows {
            perfect: w.perfect * s,
            great: w.great * s,
            good: w.good * s,
            bad: w.bad * s,
            miss: w.miss * s,
            mine: w.mine * s,
            hold_grace: w.hold_grace,
            roll: w.roll * s,
        }
    }

    /// The judgement for a press `offset` real seconds from its note, if the press takes it.
    pub fn judge(&self, offset: f64) -> Option<Judgement> {
        self.judge_at_rate(offset, 1.0)
    }

    /// The judgement of a press `song_offset` seconds of song time from its note at playback
    /// `rate`. The windows are real time, so each spans `window × rate` of song time, and the
    /// edge is compared in song time, where [`SAME_INSTANT`] is measured.
    pub fn judge_at_rate(&self, song_offset: f64, rate: f64) -> Option<Judgement> {
        let distance = song_offset.abs();
        [
            (self.perfect, Judgement::Perfect),
            (self.great, Judgement::Great),
            (self.good, Judgement::Good),
            (self.bad, Judgement::Bad),
            (self.miss, Judgement::Miss),
        ]
        .into_iter()
        .find(|(window, _)| within(distance, window * rate))
        .map(|(_, judgement)| judgement)
    }
}

/// Everything about a play that changes how inputs are judged, and the mods it was played with.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct JudgeSettings {
    pub difficulty: JudgeDifficulty,
    /// Playback rate; windows stay in real time, so song-time offsets are divided by it.
    pub rate: f64,
    /// With no-fail the play goes on when the life bar empties.
    pub no_fail: bool,
    /// How hard the life bar is on mistakes. A replay recorded before there was a choice has
    /// none written, and was judged by ITG's.
    #[serde(default)]
    pub life: LifeRule,
    /// The player's mods: a lane mod changes the chart judged, so a replay needs them to
    /// play back. A replay from before mods has none.
    #[serde(default)]
    pub mods: crate::mods::Mods,
}

/// A judge setting no play can have.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "the rate must be between {min:.1} and {max:.1}, not {0}",
        min = JudgeSettings::RATES.start(),
        max = JudgeSettings::RATES.end()
    )]
    Rate(f64),
    #[error(
        "the judge difficulty must be {min} to {max}, not {0}",
        min = JudgeSettings::DIFFICULTIES.start(),
        max = JudgeSettings::DIFFICULTIES.end()
    )]
    Difficulty(u8),
    #[error(transparent)]
    Mods(#[from] crate::mods::ModsError),
}

impl SettingsError {
    /// The setting's field in a file, to point at it.
    pub fn field(&self) -> &'static str {
        match self {
            SettingsError::Rate(_) => "rate",
            SettingsError::Difficulty(_) => "difficulty",
            SettingsError::Mods(_) => "mods",
        }
    }
}

impl JudgeSettings {
    /// The playback rates a play may use, for the command line, the song list and replays.
    pub const RATES: std::ops::RangeInclusive<f64> = 0.5..=2.0;
    /// Judge difficulties J1 to J9.
    pub const DIFFICULTIES: std::ops::RangeInclusive<u8> = 1..=9;

    /// Whether these settings are ones a play can have; the error says which setting is out
    /// of its range, and the range.
    pub fn check(&self) -> Result<(), SettingsError> {
        if !Self::RATES.contains(&self.rate) {
            return Err(SettingsError::Rate(self.rate));
        }
        if !Self::DIFFICULTIES.contains(&self.difficulty.0) {
            return Err(SettingsError::Difficulty(self.difficulty.0));
        }
        self.mods.check()?;
        Ok(())
    }
}

impl Default for JudgeSettings {
    fn default() -> Self {
        Self {
            difficulty: JudgeDifficulty::default(),
            rate: 1.0,
            no_fail: false,
            life: LifeRule::ByDifficulty,
            mods: crate::mods::Mods::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    Press,
    Release,
}

/// A press or release of a lane at a song time (seconds), already corrected for the audio
/// offset. This is what the judge and replays consume.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneInput {
    pub time: f64,
    pub lane: u8,
    pub action: Action,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum NoteState {
    Pending,
    /// A hold whose head was hit; `released_at` is when the key last went up, if it is up.
    Holding {
        released_at: Option<f64>,
    },
    /// A roll whose head was hit; `last_tap` is the latest press of its lane.
    Rolling {
        last_tap: f64,
    },
    Done,
}

/// Judges one player's play of one chart.
#[derive(Clone, Debug)]
pub struct Judge {
    chart: Chart,
    windows: Windows,
    settings: JudgeSettings,
    states: Vec<NoteState>,
    /// Per lane, indices of taps and holds in time order.
    heads_by_lane: Vec<Vec<usize>>,
    /// Per lane, the first head that may still be unjudged.
    head_cursor: Vec<usize>,
    mines_by_lane: Vec<Vec<usize>>,
    mine_cursor: Vec<usize>,
    /// Per lane, the hold being held (or within its let-go grace).
    active_hold: Vec<Option<usize>>,
    key_down: Vec<bool>,
    now: f64,
    score: ScoreKeeper,
    /// Judgements not yet taken by [`Judge::drain_events`].
    fresh: Vec<JudgeEvent>,
    /// Every judgement of the play, in order.
    history: Vec<JudgeEvent>,
    ghost_taps: u32,
}

impl Judge {
    pub fn new(chart: Chart, settings: JudgeSettings) -> Self {
        let lanes = chart.lanes as usize;
        let mut heads_by_lane = vec![Vec::new(); lanes];
        let mut mines_by_lane = vec![Vec::new(); lanes];
        for (index, note) in chart.notes.iter().enumerate() {
            let lane = (note.lane as usize).min(lanes.saturating_sub(1));
            if note.is_mine() {
                mines_by_lane[lane].push(index);
            } else {
                heads_by_lane[lane].push(index);
            }
        }
        let life = Life::new(settings.life.for_chart(&chart.difficulty), settings.no_fail);
        let score = ScoreKeeper::new(&chart, life);
        Self {
            states: vec![NoteState::Pending; chart.notes.len()],
            windows: Windows::for_difficulty(settings.difficulty),
            settings,
            heads_by_lane,
            head_cursor: vec![0; lanes],
            mines_by_lane,
            mine_cursor: vec![0; lanes],
            active_hold: vec![None; lanes],
            key_down: vec![false; lanes],
            now: f64::NEG_INFINITY,
            score,
            fresh: Vec::new(),
            history: Vec::new(),
            ghost_taps: 0,
            chart,
        }
    }

    /// A judge for a play that starts at song time `from`: the notes before it leave the play,
    /// neither judged nor counted, and the first note at or after it is judged normally.
    pub fn starting_at(chart: Chart, settings: JudgeSettings, from: f64) -> Self {
        let mut judge = Self::new(chart, settings);
        judge.leave_out_before(from);
        judge
    }

    fn leave_out_before(&mut self, from: f64) {
        for (index, note) in self.chart.notes.iter().enumerate() {
            if after(from, note.time) && self.states[index] == NoteState::Pending {
                self.states[index] = NoteState::Done;
                self.score.leave_out(note);
            }
        }
        for lane in 0..self.key_down.len() {
            self.advance_cursor(lane);
            let mines = &self.mines_by_lane[lane];
            while self.mine_cursor[lane] < mines.len()
                && self.states[mines[self.mine_cursor[lane]]] != NoteState::Pending
            {
                self.mine_cursor[lane] += 1;
            }
        }
    }

    /// Carries the play on with `chart` from the position this judge has reached: what was
    /// judged stays judged and scored, notes of `chart` before the position are left out, and
    /// keys held down stay down. A hold in progress ends uncounted.
    pub fn with_chart(&self, chart: Chart) -> Self {
        let from = self.now;
        let mut judge = Self::new(chart, self.settings);
        judge.leave_out_before(from);
        judge.score = self.score.carried_to(
            judge
                .chart
                .notes
                .iter()
                .enumerate()
                .filter(|(i, _)| judge.states[*i] == NoteState::Pending)
                .map(|(_, n)| n),
        );
        for (lane, down) in judge.key_down.iter_mut().enumerate() {
            *down = self.key_down.get(lane).copied().unwrap_or(false);
        }
        judge.now = from;
        judge.history = self.history.clone();
        judge.ghost_taps = self.ghost_taps;
        judge
    }

    pub fn chart(&self) -> &Chart {
        &self.chart
    }

    pub fn settings(&self) -> JudgeSettings {
        self.settings
    }

    /// The playback rate changed: from now on the windows span their real time at `rate`.
    pub fn set_rate(&mut self, rate: f64) {
        self.settings.rate = rate;
    }

    /// The first note still waiting for its key (mines wait for nobody): its song time and
    /// lane.
    pub fn next_pending_note(&self) -> Option<(f64, u8)> {
        self.chart
            .notes
            .iter()
            .zip(&self.states)
            .find(|(note, state)| {
                **state == NoteState::Pending && !matches!(note.kind, NoteKind::Mine)
            })
            .map(|(note, _)| (note.time, note.lane))
    }

    pub fn windows(&self) -> Windows {
        self.windows
    }

    pub fn score(&self) -> &ScoreKeeper {
        &self.score
    }

    /// The song time the judge has reached.
    pub fn now(&self) -> f64 {
        self.now
    }

    pub fn is_key_down(&self, lane: u8) -> bool {
        self.key_down.get(lane as usize).copied().unwrap_or(false)
    }

    /// Whether the hold at `note` is currently being held, or the roll at `note` kept alive
    /// (for drawing it lit).
    pub fn is_holding(&self, note: usize) -> bool {
        matches!(
            self.states.get(note),
            Some(NoteState::Holding { released_at: None } | NoteState::Rolling { .. })
        )
    }

    /// Whether the note no longer needs drawing: hit, missed, finished or exploded.
    pub fn is_done(&self, note: usize) -> bool {
        matches!(self.states.get(note), Some(NoteState::Done))
    }

    pub fn ghost_taps(&self) -> u32 {
        self.ghost_taps
    }

    /// The life bar emptied without no-fail: nothing more is judged.
    pub fn failed(&self) -> bool {
        self.score.failed()
    }

    /// Every note has been judged (or the player failed).
    pub fn finished(&self) -> bool {
        self.failed() || self.states.iter().all(|s| *s == NoteState::Done)
    }

    /// Song-time span of a real-time window at the current rate.
    fn song_span(&self, real_seconds: f64) -> f64 {
        real_seconds * self.settings.rate
    }

    /// Judges one input. Inputs must come in time order; an input earlier than what the judge
    /// has already reached is treated as happening now.
    pub fn input(&mut self, input: LaneInput) {
        let lane = input.lane as usize;
        if lane >= self.key_down.len() || self.failed() {
            return;
        }
        let time = input.time.max(self.now);
        self.advance(time);
        if self.failed() {
            return;
        }
        match input.action {
            Action::Press => {
                if self.key_down[lane] {
                    return;
                }
                self.key_down[lane] = true;
                self.press(lane, time);
            }
            Action::Release => {
                if !self.key_down[lane] {
                    return;
                }
                self.key_down[lane] = false;
                if let Some(note) = self.active_hold[lane]
                    && let NoteState::Holding { released_at } = &mut self.states[note]
                {
                    *released_at = Some(time);
                }
            }
        }
        self.flush(Vec::new());
    }

    fn press(&mut self, lane: usize, time: f64) {
        let mut events = Vec::new();
        // Pressing again inside the let-go grace picks the hold back up, and a tap keeps a roll
        // alive.
        if let Some(note) = self.active_hold[lane] {
            match &mut self.states[note] {
                NoteState::Holding { released_at } => {
                    *released_at = None;
                    return;
                }
                NoteState::Rolling { last_tap } => {
                    *last_tap = time;
                    return;
                }
                _ => {}
            }
        }
        // A press near a mine sets it off.
        let mine_span = self.song_span(self.windows.mine);
        for &index in &self.mines_by_lane[lane][self.mine_cursor[lane]..] {
            let mine = &self.chart.notes[index];
            if after(mine.time, time + mine_span) {
                break;
            }
            if self.states[index] == NoteState::Pending
                && within((mine.time - time).abs(), mine_span)
            {
                self.states[index] = NoteState::Done;
                events.push(JudgeEvent::Mine {
                    note: index,
                    lane: lane as u8,
                    time,
                });
            }
        }
        // The press goes to the nearest unjudged note of its lane.
        let miss_span = self.song_span(self.windows.miss);
        let mut nearest: Option<(usize, f64)> = None;
        for &index in &self.heads_by_lane[lane][self.head_cursor[lane]..] {
            let note = &self.chart.notes[index];
            if after(note.time, time + miss_span) {
                break;
            }
            if self.states[index] != NoteState::Pending {
                continue;
            }
            let distance = (time - note.time).abs();
            if nearest.is_none_or(|(_, best)| distance < best) {
                nearest = Some((index, distance));
            }
        }
        let taken = nearest.and_then(|(index, _)| {
            let song_offset = time - self.chart.notes[index].time;
            let offset = song_offset / self.settings.rate;
            self.windows
                .judge_at_rate(song_offset, self.settings.rate)
                .map(|j| (index, offset, j))
        });
        match taken {
            Some((index, offset, judgement)) => {
                let note = self.chart.notes[index];
                events.push(JudgeEvent::Hit {
                    note: index,
                    lane: note.lane,
                    time,
                    judgement,
                    offset: Some(offset),
                });
                match note.kind {
                    NoteKind::Hold { .. } if judgement != Judgement::Miss => {
                        self.states[index] = NoteState::Holding { released_at: None };
                        self.active_hold[lane] = Some(index);
                    }
                    NoteKind::Roll { .. } if judgement != Judgement::Miss => {
                        self.states[index] = NoteState::Rolling { last_tap: time };
                        self.active_hold[lane] = Some(index);
                    }
                    NoteKind::Hold { .. } | NoteKind::Roll { .. } => {
                        self.states[index] = NoteState::Done;
                        events.push(JudgeEvent::Hold {
                            note: index,
                            lane: note.lane,
                            time,
                            result: HoldResult::Missed,
                        });
                    }
                    _ => self.states[index] = NoteState::Done,
                }
                self.advance_cursor(lane);
            }
            None => self.ghost_taps += 1,
        }
        self.flush(events);
    }

    fn advance_cursor(&mut self, lane: usize) {
        let heads = &self.heads_by_lane[lane];
        while self.head_cursor[lane] < heads.len()
            && self.states[heads[self.head_cursor[lane]]] != NoteState::Pending
        {
            self.head_cursor[lane] += 1;
        }
    }

    /// Moves the judge to song time `time`: notes whose window has closed are missed, holds
    /// end, and mines under a held key go off.
    pub fn advance(&mut self, time: f64) {
        if time <= self.now || self.failed() {
            self.now = self.now.max(time);
            return;
        }
        let previous = self.now;
        let miss_span = self.song_span(self.windows.miss);
        let grace_span = self.song_span(self.windows.hold_grace);
        let roll_span = self.song_span(self.windows.roll);
        let mut events = Vec::new();
        for lane in 0..self.key_down.len() {
            // Heads whose window closed unplayed.
            let mut cursor = self.head_cursor[lane];
            while let Some(&index) = self.heads_by_lane[lane].get(cursor) {
                let note = self.chart.notes[index];
                let closes = note.time + miss_span;
                // A press at the very instant the window closes still takes the note.
                if !after(time, closes) {
                    break;
                }
                if self.states[index] == NoteState::Pending {
                    self.states[index] = NoteState::Done;
                    events.push(JudgeEvent::Hit {
                        note: index,
                        lane: note.lane,
                        time: closes,
                        judgement: Judgement::Miss,
                        offset: None,
                    });
                    if note.is_long() {
                        events.push(JudgeEvent::Hold {
                            note: index,
                            lane: note.lane,
                            time: closes,
                            result: HoldResult::Missed,
                        });
                    }
                }
                cursor += 1;
            }
            self.advance_cursor(lane);
            // The hold in progress: dropped after the grace, or held to its tail. A roll dies
            // once a whole roll window passes without a tap.
            let dropped_at = self.active_hold[lane].and_then(|index| match self.states[index] {
                NoteState::Holding { released_at } => Some(released_at.map(|r| r + grace_span)),
                NoteState::Rolling { last_tap } => Some(Some(last_tap + roll_span)),
                _ => None,
            });
            if let Some(index) = self.active_hold[lane]
                && let Some(dropped_at) = dropped_at
            {
                let note = self.chart.notes[index];
                let end = note.end_time();
                // A let-go lasting up to the grace is forgiven, the grace itself included: the
                // hold drops only once a moment past it has come with the key still up.
                let outcome = match dropped_at {
                    Some(drop) if after(end, drop) && after(time, drop) => {
                        Some((drop, HoldResult::LetGo))
                    }
                    _ if !after(end, time) => Some((end, HoldResult::Held)),
                    _ => None,
                };
                if let Some((at, result)) = outcome {
                    self.states[index] = NoteState::Done;
                    self.active_hold[lane] = None;
                    events.push(JudgeEvent::Hold {
                        note: index,
                        lane: note.lane,
                        time: at,
                        result,
                    });
                }
            }
            // Mines that passed while the key was down. The key cannot change inside one
            // advance, and an input at the instant a mine passes has already been applied: a
            // release then means the key was up as it passed.
            let mine_span = self.song_span(self.windows.mine);
            let mines = &self.mines_by_lane[lane];
            let cursor = self.mine_cursor[lane];
            for &index in &mines[cursor..] {
                let mine = self.chart.notes[index];
                if !after(time, mine.time) {
                    break;
                }
                if self.states[index] == NoteState::Pending
                    && self.key_down[lane]
                    && !after(previous, mine.time)
                {
                    self.states[index] = NoteState::Done;
                    events.push(JudgeEvent::Mine {
                        note: index,
                        lane: mine.lane,
                        time: mine.time,
                    });
                }
            }
            // Mines too far behind for a late press to reach: avoided.
            let mut cursor = cursor;
            while let Some(&index) = mines.get(cursor) {
                if !after(time, self.chart.notes[index].time + mine_span) {
                    break;
                }
                if self.states[index] == NoteState::Pending {
                    self.states[index] = NoteState::Done;
                }
                cursor += 1;
            }
            self.mine_cursor[lane] = cursor;
        }
        self.now = time;
        self.flush(events);
    }

    fn flush(&mut self, mut events: Vec<JudgeEvent>) {
        events.sort_by(|a, b| {
            let (ta, na, ka) = a.order_key();
            let (tb, nb, kb) = b.order_key();
            ta.total_cmp(&tb).then(na.cmp(&nb)).then(ka.cmp(&kb))
        });
        for event in events {
            if self.score.failed() {
                break;
            }
            self.score.apply(&event);
            self.fresh.push(event);
            self.history.push(event);
        }
    }

    /// Judgements made since the last call, in song-time order.
    pub fn drain_events(&mut self) -> Vec<JudgeEvent> {
        std::mem::take(&mut self.fresh)
    }

    pub fn history(&self) -> &[JudgeEvent] {
        &self.history
    }

    /// Plays the rest of the chart with nobody touching the keys.
    pub fn finish(&mut self) {
        let end = self.chart.last_time() + self.song_span(self.windows.miss) + 1.0;
        for lane in 0..self.key_down.len() {
            if self.key_down[lane] {
                self.input(LaneInput {
                    time: end.max(self.now),
                    lane: lane as u8,
                    action: Action::Release,
                });
            }
        }
        self.advance(end.max(self.now) + 1e-6);
    }
}

/// How often autoplay taps a roll, in song seconds: well inside the tightest roll window (J9
/// at half speed is 50 ms of song time).
const AUTOPLAY_ROLL_TAP: f64 = 0.04;

/// Inputs that play a chart perfectly: each tap and hold head pressed on time, holds kept down
/// to the tail, rolls tapped all along, mines left alone. Used by `--autoplay` and by the tests
/// of shipped levels.
pub fn autoplay_inputs(chart: &Chart) -> Vec<LaneInput> {
    let mut inputs = Vec::new();
    // Walking backwards keeps, per lane, the time of the next note after the current one.
    let mut next_in_lane = vec![f64::INFINITY; chart.lanes as usize];
    for note in chart.notes.iter().rev() {
        let lane = note.lane as usize;
        let next = next_in_lane[lane];
        next_in_lane[lane] = note.time;
        let release = match note.kind {
            NoteKind::Mine => continue,
            NoteKind::Tap => note.time + 0.04,
            NoteKind::Hold { end_time, .. } => end_time + 0.01,
            NoteKind::Roll { end_time, .. } => {
                let mut tap = note.time + AUTOPLAY_ROLL_TAP;
                while tap < end_time {
                    for (time, action) in [
                        (tap - AUTOPLAY_ROLL_TAP / 2.0, Action::Release),
                        (tap, Action::Press),
                    ] {
                        inputs.push(LaneInput {
                            time,
                            lane: note.lane,
                            action,
                        });
                    }
                    tap += AUTOPLAY_ROLL_TAP;
                }
                end_time + 0.01
            }
        };
        // Let go before the next note of the lane comes.
        let release = release.min((note.time.max(note.end_time()) + next) / 2.0);
        inputs.push(LaneInput {
            time: note.time,
            lane: note.lane,
            action: Action::Press,
        });
        inputs.push(LaneInput {
            time: release,
            lane: note.lane,
            action: Action::Release,
        });
    }
    // Releases before presses at equal times, so a lane is free again when it is pressed.
    inputs.sort_by(|a, b| {
        a.time
            .total_cmp(&b.time)
            .then((a.action == Action::Press).cmp(&(b.action == Action::Press)))
    });
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::PlacedKind;
    use crate::timing::TimingMap;

    /// 60 BPM, so beat n plays at n seconds.
    fn chart(notes: &[(u8, f64, PlacedKind)]) -> Chart {
        Chart::from_beats(
            "Test",
            1,
            4,
            TimingMap::constant(0.0, 60.0),
            notes.iter().copied(),
        )
    }

    fn press(time: f64, lane: u8) -> LaneInput {
        LaneInput {
            time,
            lane,
            action: Action::Press,
        }
    }

    fn release(time: f64, lane: u8) -> LaneInput {
        LaneInput {
            time,
            lane,
            action: Action::Release,
        }
    }

    fn play(chart: Chart, settings: JudgeSettings, inputs: &[LaneInput]) -> Judge {
        let mut judge = Judge::new(chart, settings);
        for input in inputs {
            judge.input(*input);
        }
        judge.finish();
        judge
    }

    fn hit_judgements(judge: &Judge) -> Vec<Judgement> {
        judge
            .history()
            .iter()
            .filter_map(|e| match e {
                JudgeEvent::Hit { judgement, .. } => Some(*judgement),
                _ => None,
            })
            .collect()
    }

    fn single_tap_judged(offset: f64, settings: JudgeSettings) -> Vec<Judgement> {
        let c = chart(&[(0, 2.0, PlacedKind::Tap)]);
        let note_time = 2.0;
        let j = play(
            c,
            settings,
            &[
                press(note_time + offset, 0),
                release(note_time + offset + 0.01, 0),
            ],
        );
        hit_judgements(&j)
    }

    #[test]
    fn every_window_at_its_boundaries() {
        let s = JudgeSettings::default();
        let cases = [
            (0.0225, Judgement::Perfect),
            (0.0226, Judgement::Great),
            (0.045, Judgement::Great),
            (0.0451, Judgement::Good),
            (0.090, Judgement::Good),
            (0.0901, Judgement::Bad),
            (0.135, Judgement::Bad),
            (0.1351, Judgement::Miss),
            (0.180, Judgement::Miss),
        ];
        for (distance, expected) in cases {
            for sign in [-1.0, 1.0] {
                assert_eq!(
                    single_tap_judged(sign * distance, s),
                    vec![expected],
                    "offset {}",
                    sign * distance
                );
            }
        }
    }

    #[test]
    fn presses_beyond_the_miss_window_are_ghost_taps() {
        let c = chart(&[(0, 2.0, PlacedKind::Tap)]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.8, 0), release(1.81, 0)],
        );
        assert_eq!(j.ghost_taps(), 1);
        // The note itself then passes unplayed.
        assert_eq!(hit_judgements(&j), vec![Judgement::Miss]);
        assert!(matches!(
            j.history()[0],
            JudgeEvent::Hit { offset: None, .. }
        ));
    }

    #[test]
    fn judge_difficulty_scales_the_windows() {
        let hard = JudgeSettings {
            difficulty: JudgeDifficulty(8),
            ..Default::default()
        };
        // J8 scales by 0.33: Perfect is ±7.4 ms.
        assert_eq!(single_tap_judged(0.007, hard), vec![Judgement::Perfect]);
        assert_eq!(single_tap_judged(0.010, hard), vec![Judgement::Great]);
        let easy = JudgeSettings {
            difficulty: JudgeDifficulty(1),
            ..Default::default()
        };
        assert_eq!(single_tap_judged(0.030, easy), vec![Judgement::Perfect]);
    }

    #[test]
    fn windows_stay_in_real_time_at_other_rates() {
        // At 1.5× a song-time offset of 30 ms is 20 ms of real time: Perfect.
        let fast = JudgeSettings {
            rate: 1.5,
            ..Default::default()
        };
        assert_eq!(single_tap_judged(0.030, fast), vec![Judgement::Perfect]);
        let slow = JudgeSettings {
            rate: 0.5,
            ..Default::default()
        };
        // At 0.5× a song-time offset of 20 ms is 40 ms of real time: Great.
        assert_eq!(single_tap_judged(0.020, slow), vec![Judgement::Great]);
    }

    #[test]
    fn the_same_instant_is_measured_in_song_time_at_every_rate() {
        // At 0.5× the Perfect window spans 11.25 ms of song time. A press 11.25008 ms from its
        // note is within the same-instant tolerance (0.1 µs of song time) of that edge.
        let slow = JudgeSettings {
            rate: 0.5,
            ..Default::default()
        };
        let c = chart(&[(0, 1.5, PlacedKind::Tap)]);
        let j = play(c, slow, &[press(1.51125008, 0), release(1.6, 0)]);
        assert_eq!(hit_judgements(&j), vec![Judgement::Perfect]);
        let c = chart(&[(0, 1.5, PlacedKind::Tap)]);
        let j = play(c, slow, &[press(1.5112502, 0), release(1.6, 0)]);
        assert_eq!(hit_judgements(&j), vec![Judgement::Great]);
        // At 2× the same edge in song time is 45 ms.
        let fast = JudgeSettings {
            rate: 2.0,
            ..Default::default()
        };
        let c = chart(&[(0, 1.5, PlacedKind::Tap)]);
        let j = play(c, fast, &[press(1.54500008, 0), release(1.6, 0)]);
        assert_eq!(hit_judgements(&j), vec![Judgement::Perfect]);
    }

    #[test]
    fn a_press_goes_to_the_nearest_note_of_its_lane() {
        let c = chart(&[
            (0, 1.0, PlacedKind::Tap),
            (0, 1.1, PlacedKind::Tap),
            (1, 1.05, PlacedKind::Tap),
        ]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.09, 0), release(1.095, 0)],
        );
        let hits: Vec<_> = j
            .history()
            .iter()
            .filter_map(|e| match *e {
                JudgeEvent::Hit {
                    note, judgement, ..
                } => Some((note, judgement)),
                _ => None,
            })
            .collect();
        // Note 2 (beat 1.1, lane 0) is nearest; the first note and lane 1 pass as misses.
        assert!(hits.contains(&(2, Judgement::Perfect)), "{hits:?}");
        assert!(hits.contains(&(0, Judgement::Miss)));
        assert!(hits.contains(&(1, Judgement::Miss)));
    }

    #[test]
    fn judgements_do_not_depend_on_how_often_time_advances() {
        let c = chart(&[
            (0, 1.0, PlacedKind::Tap),
            (1, 1.5, PlacedKind::Hold { end_beat: 3.0 }),
            (2, 2.0, PlacedKind::Mine),
            (3, 2.5, PlacedKind::Tap),
        ]);
        let inputs = [
            press(1.01, 0),
            release(1.05, 0),
            press(1.48, 1),
            release(2.0, 1),
            press(2.1, 1),
            press(2.0, 2),
            release(2.05, 2),
            release(3.2, 1),
        ];
        let mut sorted = inputs.to_vec();
        sorted.sort_by(|a, b| a.time.total_cmp(&b.time));
        let coarse = play(c.clone(), JudgeSettings::default(), &sorted);
        let mut fine = Judge::new(c, JudgeSettings::default());
        let mut t = 0.0;
        let mut next = 0;
        while t < 5.0 {
            while next < sorted.len() && sorted[next].time <= t {
                fine.input(sorted[next]);
                next += 1;
            }
            fine.advance(t);
            t += 0.001;
        }
        fine.finish();
        assert_eq!(coarse.history(), fine.history());
        assert_eq!(coarse.score().result(), fine.score().result());
    }

    fn hold_results(judge: &Judge) -> Vec<HoldResult> {
        judge
            .history()
            .iter()
            .filter_map(|e| match e {
                JudgeEvent::Hold { result, .. } => Some(*result),
                _ => None,
            })
            .collect()
    }

    /// Taps of lane 0 every `every` seconds from `from` up to `to`, each released halfway.
    fn taps(from: f64, to: f64, every: f64) -> Vec<LaneInput> {
        let mut inputs = Vec::new();
        let mut t = from;
        while t <= to + 1e-9 {
            inputs.push(press(t, 0));
            inputs.push(release(t + every / 2.0, 0));
            t += every;
        }
        inputs
    }

    #[test]
    fn a_roll_tapped_all_along_is_held() {
        let c = chart(&[(0, 1.0, PlacedKind::Roll { end_beat: 3.0 })]);
        let j = play(c, JudgeSettings::default(), &taps(1.0, 3.0, 0.3));
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);
        assert!(j.score().result().full_combo);
    }

    #[test]
    fn a_roll_held_down_without_tapping_dies() {
        // Holding the key is not rolling: with no tap for 500 ms the roll is let go.
        let c = chart(&[(0, 1.0, PlacedKind::Roll { end_beat: 3.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.0, 0), release(3.0, 0)],
        );
        assert_eq!(hold_results(&j), vec![HoldResult::LetGo]);
        let dropped = j.history().iter().find_map(|e| match e {
            JudgeEvent::Hold { time, .. } => Some(*time),
            _ => None,
        });
        assert!((dropped.unwrap() - 1.5).abs() < 1e-9);
    }

    #[test]
    fn a_roll_left_for_longer_than_its_window_dies_and_the_window_follows_the_judge() {
        let c = chart(&[(0, 1.0, PlacedKind::Roll { end_beat: 3.0 })]);
        // Taps 450 ms apart keep it alive at J4 (window 500 ms)…
        let j4 = play(c.clone(), JudgeSettings::default(), &taps(1.0, 3.0, 0.45));
        assert_eq!(hold_results(&j4), vec![HoldResult::Held]);
        // …but not at J7, where the window is 250 ms.
        let j7 = JudgeSettings {
            difficulty: JudgeDifficulty(7),
            ..JudgeSettings::default()
        };
        let j = play(c, j7, &taps(1.0, 3.0, 0.45));
        assert_eq!(hold_results(&j), vec![HoldResult::LetGo]);
    }

    #[test]
    fn the_documented_roll_and_hold_edges_hold() {
        // The roll window runs from the press that hit the head: hit 100 ms late at 1.1 s, the
        // next tap may come at 1.6 s (550 ms after the note).
        let c = chart(&[(0, 1.0, PlacedKind::Roll { end_beat: 2.0 })]);
        let late = [
            press(1.1, 0),
            release(1.15, 0),
            press(1.6, 0),
            release(1.65, 0),
        ];
        let j = play(c, JudgeSettings::default(), &late);
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);

        // A tap on a live roll feeds it, even with the lane's next note in reach: the note at
        // 2.1 s is not taken by the tap at 1.95 s, and is missed.
        let c = chart(&[
            (0, 1.0, PlacedKind::Roll { end_beat: 2.0 }),
            (0, 2.1, PlacedKind::Tap),
        ]);
        let feeding = [
            press(1.0, 0),
            release(1.05, 0),
            press(1.45, 0),
            release(1.5, 0),
            press(1.95, 0),
            release(2.0, 0),
        ];
        let j = play(c, JudgeSettings::default(), &feeding);
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);
        assert_eq!(
            hit_judgements(&j),
            vec![Judgement::Perfect, Judgement::Miss]
        );

        // A press at the very instant a hold ends (let go a hair before, within the grace):
        // the hold is held first, then the press is judged on its own and takes the lane's
        // next note.
        let c = chart(&[
            (0, 1.0, PlacedKind::Hold { end_beat: 2.0 }),
            (0, 2.0, PlacedKind::Tap),
        ]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[
                press(1.0, 0),
                release(1.9999, 0),
                press(2.0, 0),
                release(2.05, 0),
            ],
        );
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);
        assert_eq!(
            hit_judgements(&j),
            vec![Judgement::Perfect, Judgement::Perfect]
        );
    }

    #[test]
    fn autoplay_keeps_a_roll_alive() {
        let c = chart(&[
            (0, 1.0, PlacedKind::Roll { end_beat: 3.0 }),
            (0, 4.0, PlacedKind::Tap),
        ]);
        let j = play(c.clone(), JudgeSettings::default(), &autoplay_inputs(&c));
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);
        assert_eq!(j.score().result().counts.perfect, 2);
    }

    #[test]
    fn a_note_on_a_delay_is_hit_after_the_pause() {
        use crate::timing::{BpmChange, Delay};
        let timing = TimingMap::with_delays(
            0.0,
            &[BpmChange {
                beat: 0.0,
                bpm: 60.0,
            }],
            &[],
            &[Delay {
                beat: 2.0,
                seconds: 1.0,
            }],
        );
        let c = Chart::from_beats("Test", 1, 4, timing, [(0, 2.0, PlacedKind::Tap)]);
        // Pressed where the beat would fall without the delay: too early, a ghost tap and a
        // miss. Pressed after the pause: perfect.
        let early = play(c.clone(), JudgeSettings::default(), &[press(2.0, 0)]);
        assert_eq!(early.score().result().counts.perfect, 0);
        let on_time = play(c, JudgeSettings::default(), &[press(3.0, 0)]);
        assert_eq!(on_time.score().result().counts.perfect, 1);
    }

    #[test]
    fn hold_kept_down_to_the_tail_is_held() {
        let c = chart(&[(0, 1.0, PlacedKind::Hold { end_beat: 3.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.0, 0), release(3.05, 0)],
        );
        assert_eq!(hit_judgements(&j), vec![Judgement::Perfect]);
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);
        assert!(j.score().all_perfect());
    }

    #[test]
    fn hold_let_go_early_is_dropped_after_the_grace() {
        let c = chart(&[(0, 1.0, PlacedKind::Hold { end_beat: 3.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.0, 0), release(2.0, 0)],
        );
        assert_eq!(hold_results(&j), vec![HoldResult::LetGo]);
        // Dropped when the grace ran out, not when the key went up.
        let at = j
            .history()
            .iter()
            .find_map(|e| match e {
                JudgeEvent::Hold { time, .. } => Some(*time),
                _ => None,
            })
            .unwrap();
        assert!((at - 2.25).abs() < 1e-9);
        assert!(!j.score().full_combo());
    }

    #[test]
    fn hold_picked_up_again_within_the_grace_survives() {
        let c = chart(&[(0, 1.0, PlacedKind::Hold { end_beat: 3.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[
                press(1.0, 0),
                release(2.0, 0),
                press(2.2, 0),
                release(3.0, 0),
            ],
        );
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);
    }

    #[test]
    fn releasing_within_the_grace_before_the_tail_still_counts() {
        let c = chart(&[(0, 1.0, PlacedKind::Hold { end_beat: 3.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.0, 0), release(2.8, 0)],
        );
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);
    }

    #[test]
    fn hold_whose_head_is_missed_never_starts() {
        let c = chart(&[(0, 1.0, PlacedKind::Hold { end_beat: 3.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.5, 0), release(3.0, 0)],
        );
        assert_eq!(hit_judgements(&j), vec![Judgement::Miss]);
        assert_eq!(hold_results(&j), vec![HoldResult::Missed]);
        assert_eq!(j.score().result().accuracy, 0.0);
    }

    #[test]
    fn mines_punish_a_press_and_a_held_key() {
        let c = chart(&[
            (0, 1.0, PlacedKind::Mine),
            (1, 2.0, PlacedKind::Mine),
            (2, 3.0, PlacedKind::Mine),
            (3, 4.0, PlacedKind::Tap),
        ]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[
                // Pressed right on the mine of lane 0.
                press(1.02, 0),
                release(1.03, 0),
                // Held through the mine of lane 1.
                press(1.5, 1),
                release(2.5, 1),
                // Lane 2 left alone; lane 3 played.
                press(4.0, 3),
                release(4.05, 3),
            ],
        );
        assert_eq!(j.score().counts().mines_hit, 2);
        let mines: Vec<u8> = j
            .history()
            .iter()
            .filter_map(|e| match e {
                JudgeEvent::Mine { lane, .. } => Some(*lane),
                _ => None,
            })
            .collect();
        assert_eq!(mines, vec![0, 1]);
        // Mines cost score but not the combo.
        assert!(j.score().full_combo());
        assert!(!j.score().all_perfect());
        assert!(j.score().accuracy() < 1.0);
    }

    fn mine_lanes(judge: &Judge) -> Vec<u8> {
        judge
            .history()
            .iter()
            .filter_map(|e| match e {
                JudgeEvent::Mine { lane, .. } => Some(*lane),
                _ => None,
            })
            .collect()
    }

    /// The edges of docs/scoring.md, one by one.
    #[test]
    fn a_release_exactly_the_grace_before_the_tail_is_held() {
        let c = chart(&[(0, 1.0, PlacedKind::Hold { end_beat: 3.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.0, 0), release(2.75, 0)],
        );
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);
        let c = chart(&[(0, 1.0, PlacedKind::Hold { end_beat: 3.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.0, 0), release(2.7499, 0)],
        );
        assert_eq!(hold_results(&j), vec![HoldResult::LetGo]);
    }

    #[test]
    fn a_re_press_exactly_the_grace_after_letting_go_picks_the_hold_up() {
        // These two times differ by a hair under 0.25 s in binary floating point.
        let (up, down) = (65_512.222 / 1000.0, 65_762.222 / 1000.0);
        let c = chart(&[(0, 65.0, PlacedKind::Hold { end_beat: 67.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[
                press(65.0, 0),
                release(up, 0),
                press(down, 0),
                release(67.0, 0),
            ],
        );
        assert_eq!(hold_results(&j), vec![HoldResult::Held]);
        let c = chart(&[(0, 65.0, PlacedKind::Hold { end_beat: 67.0 })]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(65.0, 0), release(up, 0), press(down + 1e-4, 0)],
        );
        assert_eq!(hold_results(&j), vec![HoldResult::LetGo]);
    }

    #[test]
    fn a_press_at_the_instant_the_miss_window_closes_takes_the_note() {
        let c = chart(&[(0, 2.0, PlacedKind::Tap)]);
        let mut j = Judge::new(c, JudgeSettings::default());
        // The frame lands on the closing instant first, then the press stamped there.
        j.advance(2.18);
        j.input(press(2.18, 0));
        j.finish();
        assert_eq!(hit_judgements(&j), vec![Judgement::Miss]);
        assert!(matches!(
            j.history()[0],
            JudgeEvent::Hit {
                offset: Some(_),
                ..
            }
        ));
        assert_eq!(j.ghost_taps(), 0, "the press took the note");
    }

    #[test]
    fn a_press_exactly_on_the_mine_window_sets_the_mine_off() {
        for (offset, goes_off) in [
            (0.09, true),
            (-0.09, true),
            (0.0901, false),
            (-0.0901, false),
        ] {
            let c = chart(&[(0, 1.0, PlacedKind::Mine), (1, 2.0, PlacedKind::Tap)]);
            let j = play(
                c,
                JudgeSettings::default(),
                &[press(1.0 + offset, 0), release(1.0 + offset + 0.0001, 0)],
            );
            assert_eq!(mine_lanes(&j).len() == 1, goes_off, "press at {offset:+} s");
        }
    }

    #[test]
    fn a_release_at_the_instant_a_mine_passes_avoids_it() {
        let c = chart(&[(0, 2.0, PlacedKind::Mine), (1, 3.0, PlacedKind::Tap)]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.0, 0), release(2.0, 0)],
        );
        assert!(mine_lanes(&j).is_empty(), "{:?}", j.history());
        let c = chart(&[(0, 2.0, PlacedKind::Mine), (1, 3.0, PlacedKind::Tap)]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.0, 0), release(2.0001, 0)],
        );
        assert_eq!(mine_lanes(&j), vec![0]);
    }

    #[test]
    fn every_mine_passed_under_a_held_key_goes_off_however_time_advances() {
        let notes = [
            (0, 2.0, PlacedKind::Mine),
            (0, 2.01, PlacedKind::Mine),
            (1, 3.0, PlacedKind::Tap),
        ];
        let one_step = play(
            chart(&notes),
            JudgeSettings::default(),
            &[press(1.0, 0), release(2.5, 0)],
        );
        let mut stepped = Judge::new(chart(&notes), JudgeSettings::default());
        stepped.input(press(1.0, 0));
        for frame in 0..300 {
            stepped.advance(1.0 + frame as f64 / 200.0);
        }
        stepped.input(release(2.5, 0));
        stepped.finish();
        assert_eq!(mine_lanes(&one_step), vec![0, 0]);
        assert_eq!(one_step.history(), stepped.history());
    }

    #[test]
    fn a_second_press_while_the_key_is_down_is_ignored() {
        let c = chart(&[(0, 1.0, PlacedKind::Tap), (0, 1.1, PlacedKind::Tap)]);
        let j = play(
            c,
            JudgeSettings::default(),
            &[press(1.0, 0), press(1.1, 0), release(1.2, 0)],
        );
        assert_eq!(
            hit_judgements(&j),
            vec![Judgement::Perfect, Judgement::Miss]
        );
        assert_eq!(j.ghost_taps(), 0);
    }

    #[test]
    fn settings_outside_what_a_play_can_have_are_refused() {
        for rate in [f64::NAN, f64::INFINITY, 0.0, -1.0, 1e308, 0.49, 2.01] {
            let settings = JudgeSettings {
                rate,
                ..JudgeSettings::default()
            };
            let why = settings.check().unwrap_err();
            assert!(matches!(why, SettingsError::Rate(_)), "{why}");
            assert!(why.to_string().contains("between 0.5 and 2"), "{why}");
        }
        let settings = JudgeSettings {
            difficulty: JudgeDifficulty(0),
            ..JudgeSettings::default()
        };
        let why = settings.check().unwrap_err();
        assert_eq!(why, SettingsError::Difficulty(0));
        assert_eq!(why.field(), "difficulty");
        assert!(why.to_string().contains("1 to 9"), "{why}");
        assert!(JudgeSettings::default().check().is_ok());
    }

    #[test]
    fn autoplay_is_all_perfect() {
        let c = chart(&[
            (0, 1.0, PlacedKind::Tap),
            (0, 1.125, PlacedKind::Tap),
            (1, 1.0, PlacedKind::Hold { end_beat: 2.0 }),
            (2, 1.5, PlacedKind::Mine),
            (3, 2.0, PlacedKind::Tap),
            (1, 2.5, PlacedKind::Tap),
        ]);
        let inputs = autoplay_inputs(&c);
        let j = play(c, JudgeSettings::default(), &inputs);
        let r = j.score().result();
        assert!(r.all_perfect, "{r:?}");
        assert_eq!(r.score, 1_000_000);
        assert_eq!(r.accuracy, 100.0);
    }
}
