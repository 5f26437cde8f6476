//! The life bar: one consumer of judgement events, beside the score. A solo player's score
//! keeper holds one, and a group shares one across its members.

use crate::judgement::{HoldResult, JudgeEvent, Judgement};

/// ITG's values: the bar starts half full and fails the play at zero.
pub const START: f64 = 0.5;
pub const LET_GO: f64 = -0.08;
pub const MINE: f64 = -0.05;

pub fn for_judgement(judgement: Judgement) -> f64 {
    match judgement {
        Judgement::Perfect | Judgement::Great => 0.008,
        Judgement::Good => 0.004,
        Judgement::Bad => -0.05,
        Judgement::Miss => -0.10,
    }
}

/// A life bar moved by judgements, which must come in time order.
#[derive(Clone, Debug, PartialEq)]
pub struct Life {
    value: f64,
    no_fail: bool,
    failed: bool,
}

impl Life {
    /// A bar half full; with `no_fail` it may empty without failing the play.
    pub fn new(no_fail: bool) -> Self {
        Self {
            value: START,
            no_fail,
            failed: false,
        }
    }

    /// Takes one judgement. Once failed, nothing moves the bar again.
    pub fn apply(&mut self, event: &JudgeEvent) {
        if self.failed {
            return;
        }
        let delta = match *event {
            JudgeEvent::Hit { judgement, .. } => for_judgement(judgement),
            JudgeEvent::Hold {
                result: HoldResult::LetGo,
                ..
            } => LET_GO,
            // A held body changes nothing, and a missed one's head already cost the life.
            JudgeEvent::Hold { .. } => 0.0,
            JudgeEvent::Mine { .. } => MINE,
        };
        self.change(delta);
    }

    fn change(&mut self, delta: f64) {
        self.value = (self.value + delta).clamp(0.0, 1.0);
        // Ten misses from full must empty the bar exactly, whatever the float rounding.
        if self.value < 1e-9 {
            self.value = 0.0;
        }
        if self.value <= 0.0 && !self.no_fail {
            self.failed = true;
        }
    }

    /// 0..=1.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The bar emptied without no-fail.
    pub fn failed(&self) -> bool {
        self.failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(judgement: Judgement) -> JudgeEvent {
        JudgeEvent::Hit {
            note: 0,
            lane: 0,
            time: 0.0,
            judgement,
            offset: None,
        }
    }

    #[test]
    fn five_misses_from_the_start_fail_and_nothing_moves_the_bar_after() {
        let mut life = Life::new(false);
        for _ in 0..5 {
            life.apply(&hit(Judgement::Miss));
        }
        assert!(life.failed());
        assert_eq!(life.value(), 0.0);
        life.apply(&hit(Judgement::Perfect));
        assert_eq!(life.value(), 0.0);
    }

    #[test]
    fn no_fail_lets_the_bar_empty_and_fill_again() {
        let mut life = Life::new(true);
        for _ in 0..8 {
            life.apply(&hit(Judgement::Miss));
        }
        assert!(!life.failed());
        life.apply(&hit(Judgement::Perfect));
        assert!(life.value() > 0.0);
    }
}
