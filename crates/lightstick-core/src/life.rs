//! The life bar: one consumer of judgement events, beside the score. A solo player's score
//! keeper holds one, and a group shares one across its members.

use serde::{Deserialize, Serialize};

use crate::judgement::{HoldResult, JudgeEvent, Judgement};

/// How hard the life bar is on mistakes (docs/scoring.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LifeRule {
    /// ITG's values: the bar starts half full, and five misses in a row from the start fail.
    /// What every play recorded before there were other rules was judged by.
    #[default]
    Itg,
    /// For Beginner, Easy and Normal charts: the bar starts fuller, mistakes cost half as much
    /// and good hits fill it twice as fast, so a first-timer is not sent home in ten seconds.
    Gentle,
    /// Gentle for a Beginner, Easy or Normal chart, ITG's for the rest: what a new play uses.
    ByDifficulty,
}

impl LifeRule {
    /// The rule a chart named `difficulty` is played with.
    pub fn for_chart(self, difficulty: &str) -> LifeRule {
        match self {
            LifeRule::ByDifficulty if crate::level::load::difficulty_rank(difficulty) <= 2 => {
                LifeRule::Gentle
            }
            LifeRule::ByDifficulty => LifeRule::Itg,
            rule => rule,
        }
    }

    /// The bar at the start of a play.
    pub fn start(self) -> f64 {
        match self {
            LifeRule::Gentle => 0.7,
            LifeRule::Itg | LifeRule::ByDifficulty => 0.5,
        }
    }

    /// What a judgement does to the bar.
    pub fn for_judgement(self, judgement: Judgement) -> f64 {
        let itg = match judgement {
            Judgement::Perfect | Judgement::Great => 0.008,
            Judgement::Good => 0.004,
            Judgement::Bad => -0.05,
            Judgement::Miss => -0.10,
        };
        self.scaled(itg)
    }

    /// What letting go of a hold does to the bar.
    pub fn let_go(self) -> f64 {
        self.scaled(-0.08)
    }

    /// What hitting a mine does to the bar.
    pub fn mine(self) -> f64 {
        self.scaled(-0.05)
    }

    /// ITG's `delta`, as this rule has it: gentle halves losses and doubles gains.
    fn scaled(self, delta: f64) -> f64 {
        match self {
            LifeRule::Gentle if delta < 0.0 => delta / 2.0,
            LifeRule::Gentle => delta * 2.0,
            LifeRule::Itg | LifeRule::ByDifficulty => delta,
        }
    }
}

/// A life bar moved by judgements, which must come in time order.
#[derive(Clone, Debug, PartialEq)]
pub struct Life {
    rule: LifeRule,
    value: f64,
    no_fail: bool,
    failed: bool,
}

impl Life {
    /// A bar as `rule` starts it (a chart's rule: see [`LifeRule::for_chart`]); with `no_fail`
    /// it may empty without failing the play.
    pub fn new(rule: LifeRule, no_fail: bool) -> Self {
        Self {
            rule,
            value: rule.start(),
            no_fail,
            failed: false,
        }
    }

    /// Takes one judgement. Once failed, nothing moves the bar again.
    pub fn apply(&mut self, event: &JudgeEvent) {
        if self.failed {
            return;
        }
        let rule = self.rule;
        let delta = match *event {
            JudgeEvent::Hit { judgement, .. } => rule.for_judgement(judgement),
            JudgeEvent::Hold {
                result: HoldResult::LetGo,
                ..
            } => rule.let_go(),
            // A held body changes nothing, and a missed one's head already cost the life.
            JudgeEvent::Hold { .. } => 0.0,
            JudgeEvent::Mine { .. } => rule.mine(),
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
        let mut life = Life::new(LifeRule::Itg, false);
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
        let mut life = Life::new(LifeRule::Itg, true);
        for _ in 0..8 {
            life.apply(&hit(Judgement::Miss));
        }
        assert!(!life.failed());
        life.apply(&hit(Judgement::Perfect));
        assert!(life.value() > 0.0);
    }
}

#[cfg(test)]
mod rules {
    use super::*;

    fn misses_to_fail(rule: LifeRule) -> usize {
        let mut life = Life::new(rule, false);
        let miss = JudgeEvent::Hit {
            note: 0,
            lane: 0,
            time: 0.0,
            judgement: Judgement::Miss,
            offset: None,
        };
        (1..100)
            .find(|_| {
                life.apply(&miss);
                life.failed()
            })
            .unwrap()
    }

    #[test]
    fn easy_and_normal_charts_forgive_more_than_hard_ones() {
        let by = LifeRule::ByDifficulty;
        for easy in ["Beginner", "Easy", "Normal", "medium"] {
            assert_eq!(by.for_chart(easy), LifeRule::Gentle, "{easy}");
        }
        for hard in ["Hard", "Expert", "Challenge", "Edit"] {
            assert_eq!(by.for_chart(hard), LifeRule::Itg, "{hard}");
        }
        assert_eq!(
            LifeRule::Itg.for_chart("Easy"),
            LifeRule::Itg,
            "a set rule stays"
        );
        assert_eq!(misses_to_fail(LifeRule::Itg), 5);
        assert_eq!(misses_to_fail(LifeRule::Gentle), 14);
    }
}
