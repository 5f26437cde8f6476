//! The calibration plays: a metronome to tap to (audio offset) or a silent flash to tap to
//! (visual offset), played through the same clock and input path as a song, and measured with
//! the core's calibration rules.

use std::path::Path;

use crate::core::calibration::{Calibration, MAX_TAP_SPREAD_MS, MIN_TAPS, tap_errors};
use crate::core::chart::{Chart, PlacedKind};
use crate::core::judge::{Action, LaneInput};
use crate::core::level::Level;
use crate::core::level::format::{Credits, Preview};
use crate::core::timing::TimingMap;
use crate::music::synth;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalibrationKind {
    /// Tap to clicks heard: measures the audio offset.
    Audio,
    /// Tap to a flash seen, in silence: measures the visual offset.
    Visual,
}

/// The metronome: 100 BPM, 32 clicks after two seconds.
pub const CLICK_BPM: f64 = 100.0;
pub const CLICKS: usize = 32;
const FIRST_CLICK: f64 = 2.0;

pub fn click_times() -> Vec<f64> {
    (0..CLICKS)
        .map(|i| FIRST_CLICK + i as f64 * 60.0 / CLICK_BPM)
        .collect()
}

/// Builds the metronome level, writing its click track under `data_dir`.
pub fn calibration_level(data_dir: &Path) -> Result<Level, String> {
    let clicks = click_times();
    let length = clicks.last().copied().unwrap_or(0.0) + 2.0;
    let audio = data_dir.join("calibration").join("metronome.wav");
    std::fs::create_dir_all(audio.parent().unwrap_or(data_dir))
        .map_err(|e| format!("cannot write the metronome: {e}"))?;
    synth::write_wav(&audio, &synth::render_clicks(&clicks, length))
        .map_err(|e| format!("cannot write the metronome: {e}"))?;
    let timing = TimingMap::constant(FIRST_CLICK, CLICK_BPM);
    // The chart only paces the play; every lane's taps count.
    let chart = Chart::from_beats(
        "Calibration",
        1,
        4,
        timing.clone(),
        (0..CLICKS).map(|i| (0u8, i as f64, PlacedKind::Tap)),
    );
    Ok(Level {
        slug: "calibration".into(),
        file: audio.clone(),
        title: t!("calibration-title"),
        subtitle: String::new(),
        artist: "Lightstick".into(),
        translit: Default::default(),
        credits: Credits::default(),
        preview: Preview::default(),
        audio,
        sheet: None,
        parts: Vec::new(),
        sections: Vec::new(),
        concept: Default::default(),
        choreography: Default::default(),
        jacket: None,
        prompts: Vec::new(),
        audio_length: length,
        timing,
        charts: vec![chart],
    })
}

/// What the taps of a calibration play say.
pub fn measure(inputs: &[LaneInput], rate: f64) -> (Calibration, Vec<f64>) {
    let taps: Vec<f64> = inputs
        .iter()
        .filter(|i| i.action == Action::Press)
        .map(|i| i.time)
        .collect();
    let errors = tap_errors(&taps, &click_times(), rate);
    (
        Calibration::from_errors(&errors, MIN_TAPS, MAX_TAP_SPREAD_MS),
        errors,
    )
}
