//! The score book: the best result and play count of every chart the player has played.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::judge::JudgeSettings;
use super::score::PlayResult;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartRecord {
    /// The best clear, or while every play failed, the best failed attempt: see [`Self::cleared`].
    pub best: PlayResult,
    /// Seconds since the Unix epoch when the best was set.
    pub best_at: u64,
    pub plays: u32,
    /// Plays failed one after another since the chart was last cleared: after two, the game
    /// offers a play without failing.
    #[serde(default)]
    pub fails_in_a_row: u32,
}

impl ChartRecord {
    /// The best clear of the chart; `None` while every play of it failed. A failed play is never
    /// a best, whatever its score.
    pub fn cleared(&self) -> Option<&PlayResult> {
        (!self.best.failed).then_some(&self.best)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreBook {
    pub format: u32,
    /// Keyed by `level-slug/difficulty`.
    pub charts: BTreeMap<String, ChartRecord>,
    /// The journal ids of the latest plays recorded, so a play is never counted twice.
    pub recent_plays: Vec<String>,
}

pub fn chart_key(level: &str, difficulty: &str) -> String {
    format!("{level}/{}", difficulty.to_lowercase())
}

/// The difficulty a play's best is kept under: a play at another rate, or with mods that
/// change the chart or hide notes, is a different challenge with a best of its own
/// ("Normal x1.50", "Hard mirror hidden").
pub fn record_as(difficulty: &str, settings: &JudgeSettings) -> String {
    let mut name = difficulty.to_string();
    if settings.rate != 1.0 {
        name.push_str(&format!(" x{:.2}", settings.rate));
    }
    let mods = settings.mods.label();
    if !mods.is_empty() {
        name.push(' ');
        name.push_str(&mods);
    }
    name
}

impl ScoreBook {
    pub fn best(&self, level: &str, difficulty: &str) -> Option<&ChartRecord> {
        self.charts.get(&chart_key(level, difficulty))
    }

    /// Records the play journalled as `id` unless it already was; whether it is a new best.
    pub fn record_once(
        &mut self,
        id: &str,
        level: &str,
        difficulty: &str,
        result: PlayResult,
        at: u64,
    ) -> Option<bool> {
        crate::merch::remember_play(&mut self.recent_plays, id)
            .then(|| self.record(level, difficulty, result, at))
    }

    /// Counts a play and keeps it if it beats the best. Returns whether it is a new best: a
    /// failed play never is, and any clear beats every failed attempt.
    pub fn record(&mut self, level: &str, difficulty: &str, result: PlayResult, at: u64) -> bool {
        self.format = 1;
        let key = chart_key(level, difficulty);
        let record = self.charts.entry(key).or_insert_with(|| ChartRecord {
            best: result,
            best_at: at,
            plays: 0,
            fails_in_a_row: 0,
        });
        record.plays = record.plays.saturating_add(1);
        record.fails_in_a_row = if result.failed {
            record.fails_in_a_row.saturating_add(1)
        } else {
            0
        };
        let first = record.plays == 1;
        let better =
            first || (!result.failed, result.score) > (!record.best.failed, record.best.score);
        if better {
            record.best = result;
            record.best_at = at;
        }
        better && !result.failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Grade;

    fn play(score: u32, grade: Grade, failed: bool) -> PlayResult {
        PlayResult {
            score,
            grade,
            failed,
            ..Default::default()
        }
    }

    #[test]
    fn a_failed_play_is_never_a_best_whatever_its_score() {
        let mut book = ScoreBook::default();
        assert!(!book.record("song", "Hard", play(910_000, Grade::F, true), 1));
        let record = book.best("song", "Hard").unwrap();
        assert_eq!(record.cleared(), None, "only failed so far: no best");
        assert_eq!((record.plays, record.fails_in_a_row), (1, 1));

        assert!(book.record("song", "Hard", play(600_000, Grade::C, false), 2));
        assert_eq!(
            book.best("song", "Hard").unwrap().cleared().unwrap().score,
            600_000,
            "a clear beats a failed attempt with more points"
        );
        assert!(!book.record("song", "Hard", play(990_000, Grade::F, true), 3));
        let record = book.best("song", "Hard").unwrap();
        assert_eq!(record.cleared().unwrap().score, 600_000);
        assert_eq!((record.plays, record.fails_in_a_row), (3, 1));
    }

    #[test]
    fn plays_at_another_rate_or_with_mods_keep_bests_of_their_own() {
        use crate::mods::{LaneMod, Mods};
        let plain = JudgeSettings::default();
        assert_eq!(record_as("Hard", &plain), "Hard");
        let settings = JudgeSettings {
            rate: 1.5,
            mods: Mods {
                lanes: LaneMod::Shuffle { seed: 4 },
                sudden: Some(0.5),
                lane_cover: Some(0.2),
                ..Mods::default()
            },
            ..plain
        };
        assert_eq!(record_as("Hard", &settings), "Hard x1.50 shuffle sudden");
        let covered = JudgeSettings {
            mods: Mods {
                lane_cover: Some(0.4),
                ..Mods::default()
            },
            ..plain
        };
        assert_eq!(
            record_as("Hard", &covered),
            "Hard",
            "the lane cover is a display aid"
        );
    }

    #[test]
    fn fails_in_a_row_count_until_the_next_clear() {
        let mut book = ScoreBook::default();
        for _ in 0..2 {
            book.record("song", "Normal", play(100_000, Grade::F, true), 1);
        }
        assert_eq!(book.best("song", "Normal").unwrap().fails_in_a_row, 2);
        book.record("song", "Normal", play(700_000, Grade::B, false), 2);
        assert_eq!(book.best("song", "Normal").unwrap().fails_in_a_row, 0);
    }

    #[test]
    fn a_score_book_written_before_fails_were_counted_still_reads() {
        let mut book = ScoreBook::default();
        book.record("song", "Normal", play(500_000, Grade::B, false), 3);
        let text = ron::to_string(&book).unwrap();
        let old = text.replace(",fails_in_a_row:0", "");
        assert_ne!(old, text, "{text}");
        let read: ScoreBook = ron::from_str(&old).unwrap();
        let record = read.best("song", "Normal").unwrap();
        assert_eq!((record.plays, record.fails_in_a_row), (1, 0));
        assert_eq!(record.cleared().unwrap().score, 500_000);
    }
}
