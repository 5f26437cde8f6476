//! The score book: the best result and play count of every chart the player has played.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::score::PlayResult;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartRecord {
    pub best: PlayResult,
    /// Seconds since the Unix epoch when the best was set.
    pub best_at: u64,
    pub plays: u32,
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

/// The difficulty a play's best is kept under: a play at another rate is a different challenge,
/// with a best of its own ("Normal x1.50").
pub fn record_as(difficulty: &str, rate: f64) -> String {
    if rate == 1.0 {
        difficulty.to_string()
    } else {
        format!("{difficulty} x{rate:.2}")
    }
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

    /// Counts a play and keeps it if it beats the best. Returns whether it is a new best.
    pub fn record(&mut self, level: &str, difficulty: &str, result: PlayResult, at: u64) -> bool {
        self.format = 1;
        let key = chart_key(level, difficulty);
        match self.charts.get_mut(&key) {
            Some(record) => {
                record.plays = record.plays.saturating_add(1);
                let better =
                    (result.score, !result.failed) > (record.best.score, !record.best.failed);
                if better {
                    record.best = result;
                    record.best_at = at;
                }
                better
            }
            None => {
                self.charts.insert(
                    key,
                    ChartRecord {
                        best: result,
                        best_at: at,
                        plays: 1,
                    },
                );
                true
            }
        }
    }
}
