//! Record mode: a take of lane presses made into a chart on a snap, and the level file with
//! that chart written in, checked as `validate` checks it before anything is written.

use std::path::Path;

use crate::chart::{Chart, MAX_METER, PlacedKind};
use crate::diagnostic::Diagnostic;
use crate::level::Level;
use crate::level::edit::{ChartPlace, EditError, put_chart};
use crate::level::load::{AudioProbe, load_level_text};
use crate::level::quantise::{Press, Snap, quantise};
use crate::level::write::ChartBlock;

/// A recorded chart: the take's presses on a snap, as it will be written.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedChart {
    pub difficulty: String,
    pub lanes: u8,
    pub snap: Snap,
    pub notes: Vec<(u8, f64, PlacedKind)>,
    /// The computed rating, rounded: a starting point the author can change.
    pub meter: u32,
}

/// Why a recorded chart was not written.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RecordError {
    #[error("nothing was recorded: press the lanes while the song plays")]
    Empty,
    #[error(transparent)]
    Edit(#[from] EditError),
    /// The level file with the chart in would not validate; the first error says why.
    #[error("the level would not validate with this chart: {}", .0.first().map_or(String::new(), ToString::to_string))]
    Invalid(Vec<Diagnostic>),
}

impl RecordedChart {
    /// The take's presses quantised to `snap` on `level`'s beats, as the chart `difficulty`.
    pub fn from_take(
        level: &Level,
        presses: &[Press],
        snap: Snap,
        hold_after: f64,
        difficulty: &str,
        lanes: u8,
    ) -> RecordedChart {
        let notes = quantise(presses, &level.timing, snap, hold_after, lanes);
        let mut recorded = RecordedChart {
            difficulty: difficulty.to_string(),
            lanes,
            snap,
            notes,
            meter: 1,
        };
        let rating = crate::rating::rate_chart(&recorded.chart(level), 1.0).value;
        recorded.meter = (rating.round() as u32).clamp(1, MAX_METER);
        recorded
    }

    /// The chart to play it back with.
    pub fn chart(&self, level: &Level) -> Chart {
        Chart::from_beats(
            self.difficulty.clone(),
            self.meter,
            self.lanes,
            level.timing.clone(),
            self.notes.iter().copied(),
        )
    }

    /// `source` (the text of `level`'s file) with this chart written at `place`, as long as
    /// the level still validates with it: its errors otherwise.
    pub fn written_into(
        &self,
        level: &Level,
        source: &str,
        place: &ChartPlace,
        probe: &AudioProbe,
    ) -> Result<String, RecordError> {
        if self.notes.is_empty() {
            return Err(RecordError::Empty);
        }
        let sections: Vec<(f64, &str)> = level
            .sections
            .iter()
            .map(|(beat, kind)| (*beat, kind.name()))
            .collect();
        let note = format!(
            "Recorded in Lightstick at {}: shape it by hand.",
            self.snap.name()
        );
        let block = ChartBlock {
            note: &note,
            difficulty: &self.difficulty,
            meter: self.meter,
            lanes: self.lanes,
            notes: &self.notes,
            sections: &sections,
        };
        let text = put_chart(source, place, &block)?;
        check(&level.file, &text, probe)?;
        Ok(text)
    }
}

/// The errors `text` would have as the level file `file`.
fn check(file: &Path, text: &str, probe: &AudioProbe) -> Result<(), RecordError> {
    let report = load_level_text(file, text, probe);
    if report.has_errors() {
        return Err(RecordError::Invalid(report.errors().cloned().collect()));
    }
    Ok(())
}

/// A name for a new chart that no chart of `level` has: `Recorded`, then `Recorded 2`, ….
pub fn new_chart_name(level: &Level) -> String {
    (1..)
        .map(|n| match n {
            1 => "Recorded".to_string(),
            n => format!("Recorded {n}"),
        })
        .find(|name| level.chart(name).is_none())
        .unwrap_or_default()
}
