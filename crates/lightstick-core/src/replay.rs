//! Replays: the inputs of a play, in song time, enough to judge it again exactly.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::chart::Chart;
use super::diagnostic::{Diagnostic, from_ron_error};
use super::judge::{Action, Judge, JudgeSettings, LaneInput};
use super::score::PlayResult;

pub const REPLAY_FORMAT: u32 = 1;

/// One recorded input: song time in milliseconds (after the audio offset), lane from 0, and
/// whether the key went down or up.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplayEvent(pub f64, pub u8, pub Action);

impl ReplayEvent {
    pub fn from_input(input: &LaneInput) -> Self {
        Self(input.time * 1000.0, input.lane, input.action)
    }

    pub fn to_input(self) -> LaneInput {
        LaneInput {
            time: self.0 / 1000.0,
            lane: self.1,
            action: self.2,
        }
    }
}

/// A saved play: which chart, how it was judged, every input, and the result the player saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replay {
    pub format: u32,
    pub level: String,
    pub difficulty: String,
    #[serde(default)]
    pub player: String,
    pub settings: JudgeSettings,
    /// Seconds since the Unix epoch when the play ended.
    #[serde(default)]
    pub played_at: u64,
    pub events: Vec<ReplayEvent>,
    /// The result shown at the end of the play, to check a replay against.
    #[serde(default)]
    pub result: Option<PlayResult>,
}

impl Replay {
    pub fn inputs(&self) -> impl Iterator<Item = LaneInput> + '_ {
        self.events.iter().map(|e| e.to_input())
    }
}

/// Judges `inputs` on `chart` from start to end, as the game would.
pub fn judge_inputs(
    chart: &Chart,
    settings: JudgeSettings,
    inputs: impl IntoIterator<Item = LaneInput>,
) -> Judge {
    let mut judge = Judge::new(chart.clone(), settings);
    for input in inputs {
        judge.input(input);
    }
    judge.finish();
    judge
}

/// What a replay file holds: a full replay, or just the list of events.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplayFile {
    Full(Replay),
    EventsOnly(Vec<ReplayEvent>),
}

impl ReplayFile {
    pub fn events(&self) -> &[ReplayEvent] {
        match self {
            ReplayFile::Full(r) => &r.events,
            ReplayFile::EventsOnly(e) => e,
        }
    }
}

/// Reads a replay file, with a positioned message for anything wrong in it.
pub fn read_replay(path: &Path) -> Result<ReplayFile, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(path, None, format!("cannot read the replay: {e}")))?;
    let file = if text.trim_start().starts_with('[') {
        ron::from_str::<Vec<ReplayEvent>>(&text)
            .map(ReplayFile::EventsOnly)
            .map_err(|e| from_ron_error(path, &e))?
    } else {
        ron::from_str::<Replay>(&text)
            .map(ReplayFile::Full)
            .map_err(|e| from_ron_error(path, &e))?
    };
    let mut previous = f64::NEG_INFINITY;
    for (i, event) in file.events().iter().enumerate() {
        if !event.0.is_finite() || event.0 < previous {
            return Err(Diagnostic::error(
                path,
                None,
                format!(
                    "event {} at {} ms is out of time order (the one before is at {} ms)",
                    i + 1,
                    event.0,
                    previous
                ),
            ));
        }
        previous = event.0;
    }
    Ok(file)
}

pub fn to_ron(replay: &Replay) -> String {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .struct_names(false);
    ron::ser::to_string_pretty(replay, config).expect("replays always serialize")
}
