//! Checks of how a chart plays, each a warning with its measure, beat and lane
//! (docs/level-format.md, "Chart checks"): density spikes, jacks faster than a finger repeats,
//! a meter far from the computed rating, and on a song sheet, notes on no sound of the song and
//! a sung hook with no notes. Holds that hide notes and notes after the audio are errors of
//! the loader itself.

use crate::chart::Chart;
use crate::diagnostic::Position;

use super::position::{BEATS_PER_MEASURE, measure_of_beat};

/// Two presses of one lane closer than this (real seconds, at 1×) are faster than a finger
/// repeats: about 13 presses a second, a little above what the fastest jack players sustain.
pub const JACK_LIMIT: f64 = 0.075;
/// A measure with more than this many times the chart's median notes a measure is a spike.
pub const SPIKE_RATIO: f64 = 2.0;
/// A meter this far from the computed rating is worth a second look.
pub const METER_DISTANCE: f64 = 3.0;
/// A note further than this from every sound of its song sheet sits on no sound.
pub const SOUND_TOLERANCE: f64 = 0.030;
/// A chart of fewer notes is a sketch, too short for its rating to mean much.
pub const RATED_FROM: usize = 32;
/// Warnings of one kind listed per chart before they are summed up.
const LISTED: usize = 3;

/// A note as the checks see it: where it is in the song and where it was written.
#[derive(Clone, Copy, Debug)]
pub struct CheckedNote {
    pub lane: u8,
    pub beat: f64,
    pub time: f64,
    pub mine: bool,
    pub at: Option<Position>,
}

/// What a song sheet tells the checks: when it makes a sound, and its sung hooks (first and
/// last beat of each chorus with a vocal line).
#[derive(Clone, Debug, Default)]
pub struct SheetFacts {
    pub sounds: Vec<f64>,
    pub hooks: Vec<(f64, f64)>,
}

/// `measure 17, beat 2.5`: a beat as level makers count it.
pub fn where_is(beat: f64) -> String {
    let measure = measure_of_beat(beat);
    let within = beat - f64::from(measure - 1) * BEATS_PER_MEASURE + 1.0;
    let within = (within * 1000.0).round() / 1000.0;
    format!("measure {measure}, beat {within}")
}

/// Every warning of `chart`, each with the position to report it at.
pub fn check(
    chart: &Chart,
    notes: &[CheckedNote],
    chart_at: Option<Position>,
    sheet: Option<&SheetFacts>,
    rating: f64,
) -> Vec<(Option<Position>, String)> {
    let mut warnings = Vec::new();
    let playable: Vec<&CheckedNote> = notes.iter().filter(|n| !n.mine).collect();
    if playable.is_empty() {
        return warnings;
    }
    density_spikes(chart, &playable, &mut warnings);
    fast_jacks(chart, &playable, &mut warnings);
    if playable.len() >= RATED_FROM {
        meter_against_rating(chart, rating, chart_at, &mut warnings);
    }
    if let Some(sheet) = sheet {
        off_sound(chart, &playable, sheet, &mut warnings);
        silent_hooks(chart, &playable, sheet, chart_at, &mut warnings);
    }
    warnings
}

fn listed(
    found: Vec<(Option<Position>, String)>,
    what: &str,
    chart: &Chart,
    warnings: &mut Vec<(Option<Position>, String)>,
) {
    let more = found.len().saturating_sub(LISTED);
    warnings.extend(found.into_iter().take(LISTED));
    if more > 0 {
        warnings.push((
            None,
            format!("and {more} more {what} in chart `{}`", chart.difficulty),
        ));
    }
}

fn density_spikes(
    chart: &Chart,
    notes: &[&CheckedNote],
    warnings: &mut Vec<(Option<Position>, String)>,
) {
    let mut per_measure: std::collections::BTreeMap<u32, Vec<&CheckedNote>> = Default::default();
    for note in notes {
        per_measure
            .entry(measure_of_beat(note.beat))
            .or_default()
            .push(note);
    }
    let mut counts: Vec<usize> = per_measure.values().map(Vec::len).collect();
    counts.sort_unstable();
    let median = counts[counts.len() / 2] as f64;
    let found = per_measure
        .iter()
        .filter(|(_, in_measure)| in_measure.len() as f64 > SPIKE_RATIO * median)
        .map(|(measure, in_measure)| {
            let first = in_measure.iter().min_by(|a, b| a.beat.total_cmp(&b.beat)).unwrap();
            (
                first.at,
                format!(
                    "a density spike in chart `{}`: measure {} has {} notes, more than twice the chart's median of {median} a measure",
                    chart.difficulty,
                    measure,
                    in_measure.len()
                ),
            )
        })
        .collect();
    listed(found, "density spikes", chart, warnings);
}

fn fast_jacks(
    chart: &Chart,
    notes: &[&CheckedNote],
    warnings: &mut Vec<(Option<Position>, String)>,
) {
    let mut last: std::collections::HashMap<u8, &CheckedNote> = Default::default();
    let mut ordered = notes.to_vec();
    ordered.sort_by(|a, b| a.time.total_cmp(&b.time));
    let mut found = Vec::new();
    for note in ordered {
        if let Some(before) = last.get(&note.lane) {
            let gap = note.time - before.time;
            if gap > 1e-6 && gap < JACK_LIMIT {
                found.push((
                    note.at,
                    format!(
                        "a jack faster than a finger repeats in chart `{}`: lane {} at {} comes {:.0} ms after the last press of that lane (the limit is {:.0} ms)",
                        chart.difficulty,
                        note.lane,
                        where_is(note.beat),
                        gap * 1000.0,
                        JACK_LIMIT * 1000.0
                    ),
                ));
            }
        }
        last.insert(note.lane, note);
    }
    listed(found, "fast jacks", chart, warnings);
}

/// `rating`: the chart's rating at ×1.
fn meter_against_rating(
    chart: &Chart,
    rating: f64,
    chart_at: Option<Position>,
    warnings: &mut Vec<(Option<Position>, String)>,
) {
    let meter = f64::from(chart.meter);
    if (meter - rating).abs() > METER_DISTANCE {
        warnings.push((
            chart_at,
            format!(
                "chart `{}` has meter {}, but its notes rate {rating:.1} (docs/rating.md): is the meter right?",
                chart.difficulty, chart.meter
            ),
        ));
    }
}

fn off_sound(
    chart: &Chart,
    notes: &[&CheckedNote],
    sheet: &SheetFacts,
    warnings: &mut Vec<(Option<Position>, String)>,
) {
    let found = notes
        .iter()
        .filter_map(|note| {
            let after = sheet.sounds.partition_point(|t| *t < note.time);
            let nearest = [after.wrapping_sub(1), after]
                .iter()
                .filter_map(|i| sheet.sounds.get(*i))
                .map(|t| (t - note.time).abs())
                .fold(f64::INFINITY, f64::min);
            (nearest > SOUND_TOLERANCE).then(|| {
                (
                    note.at,
                    format!(
                        "a note on no sound in chart `{}`: lane {} at {} is {:.0} ms from any sound of the song",
                        chart.difficulty,
                        note.lane,
                        where_is(note.beat),
                        (nearest * 1000.0).min(99_999.0)
                    ),
                )
            })
        })
        .collect();
    listed(found, "notes on no sound", chart, warnings);
}

fn silent_hooks(
    chart: &Chart,
    notes: &[&CheckedNote],
    sheet: &SheetFacts,
    chart_at: Option<Position>,
    warnings: &mut Vec<(Option<Position>, String)>,
) {
    for (from, to) in &sheet.hooks {
        if !notes.iter().any(|n| n.beat >= *from && n.beat < *to) {
            warnings.push((
                chart_at,
                format!(
                    "the sung hook from {} to {} has no notes in chart `{}`",
                    where_is(*from),
                    where_is(*to),
                    chart.difficulty
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    /// The rating the level check works out for `chart` and hands to [`check`].
    fn rated(chart: &Chart) -> f64 {
        crate::rating::rate_chart(chart, 1.0).value
    }

    use super::*;
    use crate::chart::PlacedKind;
    use crate::timing::TimingMap;

    fn chart_of(meter: u32, notes: &[(u8, f64)]) -> (Chart, Vec<CheckedNote>) {
        let timing = TimingMap::constant(0.0, 120.0);
        let chart = Chart::from_beats(
            "Hard",
            meter,
            4,
            timing.clone(),
            notes.iter().map(|(l, b)| (*l, *b, PlacedKind::Tap)),
        );
        let checked = notes
            .iter()
            .enumerate()
            .map(|(i, (lane, beat))| CheckedNote {
                lane: *lane,
                beat: *beat,
                time: timing.time_at_beat(*beat),
                mine: false,
                at: Some(Position::new(i + 1, 1)),
            })
            .collect();
        (chart, checked)
    }

    fn quarters(measures: u32) -> Vec<(u8, f64)> {
        (0..measures * 4)
            .map(|b| ((b % 4) as u8, f64::from(b)))
            .collect()
    }

    #[test]
    fn a_measure_of_twice_the_median_is_a_spike() {
        let mut notes = quarters(8);
        notes.extend((0..12).map(|k| ((k % 4) as u8, 16.0 + f64::from(k) / 3.0 + 0.01)));
        let (chart, checked) = chart_of(3, &notes);
        let warnings = check(&chart, &checked, None, None, rated(&chart));
        assert!(
            warnings
                .iter()
                .any(|(_, w)| w.contains("measure 5 has 16 notes")),
            "{warnings:?}"
        );
        let (even, checked) = chart_of(3, &quarters(8));
        assert!(check(&even, &checked, None, None, rated(&even)).is_empty());
    }

    #[test]
    fn a_jack_faster_than_a_finger_is_named_with_its_measure_beat_and_lane() {
        let mut notes = quarters(4);
        notes.push((2, 6.125)); // 62.5 ms after lane 2's press on beat 6
        let (chart, checked) = chart_of(3, &notes);
        let warnings = check(&chart, &checked, None, None, rated(&chart));
        let jack = warnings
            .iter()
            .find(|(_, w)| w.contains("jack"))
            .expect("a jack");
        assert!(
            jack.1.contains("lane 2 at measure 2, beat 3.125"),
            "{}",
            jack.1
        );
        assert!(jack.1.contains("62 ms"), "{}", jack.1);
        assert_eq!(jack.0, Some(Position::new(17, 1)));
    }

    #[test]
    fn a_meter_far_from_the_rating_is_questioned() {
        let (chart, checked) = chart_of(12, &quarters(8));
        let warnings = check(
            &chart,
            &checked,
            Some(Position::new(3, 5)),
            None,
            rated(&chart),
        );
        assert!(
            warnings
                .iter()
                .any(|(at, w)| w.contains("meter 12") && *at == Some(Position::new(3, 5)))
        );
    }

    #[test]
    fn on_a_sheet_notes_off_the_sound_and_silent_hooks_are_found() {
        let (chart, checked) = chart_of(3, &quarters(4));
        let sheet = SheetFacts {
            // Every beat but beat 5 (2.5 s) makes a sound.
            sounds: (0..16)
                .filter(|b| *b != 5)
                .map(|b| f64::from(b) / 2.0)
                .collect(),
            hooks: vec![(16.0, 24.0)],
        };
        let warnings = check(&chart, &checked, None, Some(&sheet), rated(&chart));
        assert!(
            warnings
                .iter()
                .any(|(_, w)| w.contains("lane 1 at measure 2, beat 2 is 500 ms")),
            "{warnings:?}"
        );
        assert!(
            warnings
                .iter()
                .any(|(_, w)| w.contains("sung hook from measure 5, beat 1"))
        );
    }
}
