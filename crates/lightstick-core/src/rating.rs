//! A difficulty rating computed from a chart's notes, on the scale of the meters level makers
//! write (about 1 to 14), at any playback rate. docs/rating.md gives the formula and compares
//! it with Etterna's MSD and osu!'s star rating.

use crate::chart::{Chart, Note};

/// How long a stretch the density is measured over, in real seconds.
const WINDOW: f64 = 2.0;
/// Two presses of one lane closer than this (real seconds) are a jack.
const JACK_GAP: f64 = 0.25;
/// Notes closer than this to the one before (real seconds) keep a stream going.
const STREAM_GAP: f64 = 0.18;
/// A stream is at least this many notes.
const STREAM_LENGTH: usize = 8;

/// The rating and what it is made of, each part as the formula weighs it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rating {
    /// The rating, on the meters' scale.
    pub value: f64,
    /// Notes a second in the busiest stretches (the 90th percentile of 2-second windows).
    pub density: f64,
    /// The share of rows that are chords, weighted by their size.
    pub chords: f64,
    /// How much of the chart is jacks, weighted by their speed.
    pub jacks: f64,
    /// The share of notes in streams.
    pub streams: f64,
    /// The share of notes pressed while another lane is held.
    pub holds: f64,
}

/// Rates `chart` played at `rate` (real time is song time over the rate).
pub fn rate_chart(chart: &Chart, rate: f64) -> Rating {
    let rate = rate.max(0.01);
    let notes: Vec<&Note> = chart.notes.iter().filter(|n| !n.is_mine()).collect();
    if notes.is_empty() {
        return Rating::default();
    }
    let density = busiest_density(&notes, rate);
    let chords = chordiness(&notes);
    let jacks = jackiness(&notes, rate);
    let streams = stream_share(&notes, rate);
    let holds = held_share(&notes);
    // Density carries the rating; each pattern makes the same density harder.
    let value = 0.95
        * density
        * (1.0 + 0.4 * chords)
        * (1.0 + 0.6 * jacks)
        * (1.0 + 0.15 * streams)
        * (1.0 + 0.25 * holds);
    Rating {
        value,
        density,
        chords,
        jacks,
        streams,
        holds,
    }
}

/// Notes a second in the busiest stretches: the 90th percentile of the 2-second windows that
/// start at each note.
fn busiest_density(notes: &[&Note], rate: f64) -> f64 {
    let times: Vec<f64> = notes.iter().map(|n| n.time / rate).collect();
    let mut counts: Vec<f64> = Vec::with_capacity(times.len());
    let mut end = 0;
    for (start, t) in times.iter().enumerate() {
        // A note is always in its own window, even at a time so far out that adding the
        // window to it changes nothing.
        end = end.max(start + 1);
        while end < times.len() && times[end] < t + WINDOW {
            end += 1;
        }
        counts.push((end - start) as f64 / WINDOW);
    }
    counts.sort_by(f64::total_cmp);
    counts[((counts.len() as f64 * 0.9) as usize).min(counts.len() - 1)]
}

/// Rows (notes at one time) of two or more notes, weighted by their extra notes, over rows.
fn chordiness(notes: &[&Note]) -> f64 {
    let mut rows = 0usize;
    let mut extra = 0usize;
    let mut i = 0;
    while i < notes.len() {
        let mut j = i + 1;
        while j < notes.len() && (notes[j].time - notes[i].time).abs() < 1e-6 {
            j += 1;
        }
        rows += 1;
        extra += j - i - 1;
        i = j;
    }
    extra as f64 / rows as f64
}

/// Presses of a lane that follow its last press within [`JACK_GAP`], each weighted by how
/// fast it comes (a jack at half the gap counts double), over all notes.
fn jackiness(notes: &[&Note], rate: f64) -> f64 {
    let mut last: Vec<Option<f64>> = vec![None; 16];
    let mut weight = 0.0;
    for note in notes {
        let lane = usize::from(note.lane).min(15);
        let t = note.time / rate;
        if let Some(before) = last[lane] {
            let gap = t - before;
            if gap > 1e-6 && gap < JACK_GAP {
                weight += (JACK_GAP / gap - 1.0).min(3.0);
            }
        }
        last[lane] = Some(t);
    }
    weight / notes.len() as f64
}

/// The share of notes in runs of at least [`STREAM_LENGTH`] notes, each within
/// [`STREAM_GAP`] of the one before, that move between lanes.
fn stream_share(notes: &[&Note], rate: f64) -> f64 {
    let mut in_streams = 0usize;
    let mut run = 1usize;
    for pair in notes.windows(2) {
        let gap = (pair[1].time - pair[0].time) / rate;
        if gap > 1e-6 && gap < STREAM_GAP && pair[1].lane != pair[0].lane {
            run += 1;
        } else if gap > 1e-6 {
            if run >= STREAM_LENGTH {
                in_streams += run;
            }
            run = 1;
        }
    }
    if run >= STREAM_LENGTH {
        in_streams += run;
    }
    in_streams as f64 / notes.len() as f64
}

/// The share of notes pressed while a hold or roll of another lane is held. One sweep in time
/// order keeps the bodies under way, so a chart of thousands of holds rates as fast as one of
/// none.
fn held_share(notes: &[&Note]) -> f64 {
    // The notes are in time order, so their bodies start in order too.
    let mut bodies = notes
        .iter()
        .filter(|n| n.is_long())
        .map(|n| (n.time, n.end_time(), n.lane))
        .peekable();
    let mut under_way: Vec<(f64, u8)> = Vec::new();
    let mut held = 0;
    for note in notes {
        while let Some((_, to, lane)) = bodies.next_if(|(from, ..)| *from < note.time) {
            under_way.push((to, lane));
        }
        under_way.retain(|(to, _)| *to > note.time);
        if under_way.iter().any(|(_, lane)| *lane != note.lane) {
            held += 1;
        }
    }
    held as f64 / notes.len() as f64
}

/// Spearman's rank correlation of two lists of equal length, ties given their mean rank.
pub fn rank_correlation(a: &[f64], b: &[f64]) -> f64 {
    fn ranks(values: &[f64]) -> Vec<f64> {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|x, y| values[*x].total_cmp(&values[*y]));
        let mut ranks = vec![0.0; values.len()];
        let mut i = 0;
        while i < order.len() {
            let mut j = i;
            while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
                j += 1;
            }
            let mean = (i + j) as f64 / 2.0 + 1.0;
            for k in i..=j {
                ranks[order[k]] = mean;
            }
            i = j + 1;
        }
        ranks
    }
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let cov: f64 = ra
        .iter()
        .zip(&rb)
        .map(|(x, y)| (x - mean) * (y - mean))
        .sum();
    let var_a: f64 = ra.iter().map(|x| (x - mean).powi(2)).sum();
    let var_b: f64 = rb.iter().map(|y| (y - mean).powi(2)).sum();
    cov / (var_a * var_b).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::PlacedKind;
    use crate::timing::TimingMap;

    fn chart(notes: &[(u8, f64)]) -> Chart {
        let placed: Vec<(u8, f64, PlacedKind)> = notes
            .iter()
            .map(|(l, b)| (*l, *b, PlacedKind::Tap))
            .collect();
        Chart::from_beats("Test", 1, 4, TimingMap::constant(0.0, 120.0), placed)
    }

    #[test]
    fn more_notes_a_second_rate_higher_and_the_rate_scales_it() {
        let quarters = chart(
            &(0..64)
                .map(|i| ((i % 4) as u8, i as f64))
                .collect::<Vec<_>>(),
        );
        let eighths = chart(
            &(0..128)
                .map(|i| ((i % 4) as u8, i as f64 / 2.0))
                .collect::<Vec<_>>(),
        );
        let slow = rate_chart(&quarters, 1.0);
        let fast = rate_chart(&eighths, 1.0);
        assert!(fast.value > slow.value * 1.5, "{slow:?} {fast:?}");
        assert!((slow.density - 2.0).abs() < 0.01, "{slow:?}");
        let doubled = rate_chart(&quarters, 2.0);
        assert!((doubled.density - 4.0).abs() < 0.01);
        assert!(doubled.value > slow.value);
    }

    #[test]
    fn jacks_and_chords_make_the_same_density_harder() {
        let spread = chart(
            &(0..64)
                .map(|i| ((i % 4) as u8, i as f64 / 4.0))
                .collect::<Vec<_>>(),
        );
        let jacked = chart(&(0..64).map(|i| (0u8, i as f64 / 4.0)).collect::<Vec<_>>());
        assert!(rate_chart(&jacked, 1.0).value > rate_chart(&spread, 1.0).value);
        assert!(rate_chart(&jacked, 1.0).jacks > 0.0);
        let singles = chart(
            &(0..32)
                .map(|i| ((i % 4) as u8, i as f64))
                .collect::<Vec<_>>(),
        );
        let jumps = chart(
            &(0..32)
                .flat_map(|i| [((i % 2) as u8, i as f64), ((i % 2 + 2) as u8, i as f64)])
                .collect::<Vec<_>>(),
        );
        assert!(rate_chart(&jumps, 1.0).chords > 0.9);
        assert!(rate_chart(&jumps, 1.0).value > rate_chart(&singles, 1.0).value);
    }

    #[test]
    fn notes_tapped_under_a_hold_of_another_lane_count_as_held() {
        let timing = TimingMap::constant(0.0, 120.0);
        let chart = Chart::from_beats(
            "Test",
            1,
            4,
            timing,
            [
                (0, 0.0, PlacedKind::Hold { end_beat: 4.0 }),
                (1, 1.0, PlacedKind::Tap),
                (2, 2.0, PlacedKind::Tap),
                (1, 3.0, PlacedKind::Tap),
                (0, 5.0, PlacedKind::Tap),
            ],
        );
        assert!((rate_chart(&chart, 1.0).holds - 0.6).abs() < 1e-12);
    }

    #[test]
    fn rank_correlation_is_one_for_the_same_order_and_minus_one_reversed() {
        let a = [1.0, 2.0, 3.0, 4.0];
        assert!((rank_correlation(&a, &[10.0, 20.0, 30.0, 40.0]) - 1.0).abs() < 1e-12);
        assert!((rank_correlation(&a, &[4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    }
}
