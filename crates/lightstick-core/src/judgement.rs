//! The judgement vocabulary: what the judge can decide about a note, shared by the judge that
//! makes judgements and the score, the life bar and the screens that take them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Judgement {
    Perfect,
    Great,
    Good,
    Bad,
    Miss,
}

impl Judgement {
    pub const ALL: [Judgement; 5] = [
        Judgement::Perfect,
        Judgement::Great,
        Judgement::Good,
        Judgement::Bad,
        Judgement::Miss,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Judgement::Perfect => "Perfect",
            Judgement::Great => "Great",
            Judgement::Good => "Good",
            Judgement::Bad => "Bad",
            Judgement::Miss => "Miss",
        }
    }

    /// Good or better keeps the combo going.
    pub fn keeps_combo(self) -> bool {
        matches!(
            self,
            Judgement::Perfect | Judgement::Great | Judgement::Good
        )
    }
}

/// How a hold ended after its head was judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoldResult {
    /// Kept down (within the let-go grace) until the tail.
    Held,
    /// Released for longer than the grace before the tail.
    LetGo,
    /// The head was missed, so the body never started.
    Missed,
}

/// What the judge decided, in song-time order, for the screen, the score and the results.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum JudgeEvent {
    /// A tap or a hold head was judged. `offset` is the real-time error in seconds (negative =
    /// early); `None` when the note passed unplayed.
    Hit {
        note: usize,
        lane: u8,
        time: f64,
        judgement: Judgement,
        offset: Option<f64>,
    },
    /// A hold body ended.
    Hold {
        note: usize,
        lane: u8,
        time: f64,
        result: HoldResult,
    },
    /// A mine went off.
    Mine { note: usize, lane: u8, time: f64 },
}

impl JudgeEvent {
    pub fn time(&self) -> f64 {
        match *self {
            JudgeEvent::Hit { time, .. }
            | JudgeEvent::Hold { time, .. }
            | JudgeEvent::Mine { time, .. } => time,
        }
    }

    /// The order judgements of one instant are taken in: by note, a head before its hold.
    pub fn order_key(&self) -> (f64, usize, u8) {
        match *self {
            JudgeEvent::Hit { time, note, .. } => (time, note, 0),
            JudgeEvent::Hold { time, note, .. } => (time, note, 1),
            JudgeEvent::Mine { time, note, .. } => (time, note, 2),
        }
    }
}
