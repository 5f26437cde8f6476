//! Writing levels as a level maker would: notes as measures of rows at the coarsest snap each
//! measure needs, and strings quoted the way RON reads them back.

use crate::chart::PlacedKind;

use super::format::row;

/// Rows of a measure on the finest grid written: StepMania's 192nds, which hold 64ths and
/// 48ths (triplet sixteenths) alike.
pub const GRID_ROWS: usize = 192;
const ROWS_PER_BEAT: f64 = GRID_ROWS as f64 / 4.0;
/// The row counts a measure is shrunk to, coarsest first: every divisor of the grid.
const SNAPS: [usize; 14] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 192];
/// How far from a grid row, in rows, a beat may be and still sit on it (float rounding only).
const ON_GRID: f64 = 1e-3;

/// An imported note is moved onto the grid when that shifts it by no more than this (seconds).
pub const SNAP_TOLERANCE: f64 = 0.0005;

/// Whether `beat` sits on a row of the grid (and so can be written in a measure).
pub fn on_grid(beat: f64) -> bool {
    grid_row(beat).is_some()
}

/// The beat of song time `time` in `map`, on the grid when that moves it by no more than
/// [`SNAP_TOLERANCE`]: an imported note placed by time lands in a measure where it can.
pub fn beat_for_time(map: &crate::timing::TimingMap, time: f64) -> f64 {
    let beat = map.beat_at_time(time);
    let snapped = (beat * ROWS_PER_BEAT).round() / ROWS_PER_BEAT;
    if (map.time_at_beat(snapped) - time).abs() <= SNAP_TOLERANCE {
        snapped
    } else {
        beat
    }
}

/// The grid row of `beat`, if it sits on one.
fn grid_row(beat: f64) -> Option<usize> {
    let exact = beat * ROWS_PER_BEAT;
    let row = exact.round();
    ((exact - row).abs() <= ON_GRID && row >= 0.0).then_some(row as usize)
}

/// `notes` (lane, beat, kind) as measures of rows, each at the coarsest snap that keeps its
/// notes; `None` when a note lies off the 192nd grid and needs the note list instead.
pub fn measures(lanes: u8, notes: &[(u8, f64, PlacedKind)]) -> Option<Vec<Vec<String>>> {
    let mut marks: Vec<(usize, u8, char)> = Vec::with_capacity(notes.len());
    for &(lane, beat, kind) in notes {
        let head = match kind {
            PlacedKind::Tap => row::TAP,
            PlacedKind::Mine => row::MINE,
            PlacedKind::Hold { .. } => row::HOLD_HEAD,
            PlacedKind::Roll { .. } => row::ROLL_HEAD,
        };
        marks.push((grid_row(beat)?, lane, head));
        if let PlacedKind::Hold { end_beat } | PlacedKind::Roll { end_beat } = kind {
            marks.push((grid_row(end_beat)?, lane, row::HOLD_TAIL));
        }
    }
    let count = marks.iter().map(|m| m.0 / GRID_ROWS + 1).max().unwrap_or(1);
    let mut grid = vec![vec![vec![row::EMPTY; lanes as usize]; GRID_ROWS]; count];
    for (at, lane, c) in marks {
        if let Some(cell) = grid[at / GRID_ROWS][at % GRID_ROWS].get_mut(lane as usize) {
            *cell = c;
        }
    }
    Some(grid.iter().map(|rows| shrink(rows)).collect())
}

/// The rows of one full-grid measure at the coarsest snap that keeps every note.
fn shrink(rows: &[Vec<char>]) -> Vec<String> {
    let empty = |r: &Vec<char>| r.iter().all(|c| *c == row::EMPTY);
    if rows.iter().all(empty) {
        return Vec::new();
    }
    let count = SNAPS
        .into_iter()
        .find(|count| {
            let step = GRID_ROWS / count;
            rows.iter()
                .enumerate()
                .all(|(i, r)| i % step == 0 || empty(r))
        })
        .unwrap_or(GRID_ROWS);
    rows.iter()
        .step_by(GRID_ROWS / count)
        .map(|r| r.iter().collect())
        .collect()
}

/// A chart as a level maker writes it in a level's `charts: [...]`: measures of rows, each
/// numbered and labelled with the sections that start in it, so its author can find their
/// way around it.
#[derive(Clone, Copy, Debug)]
pub struct ChartBlock<'a> {
    /// A comment atop the block: where the chart came from.
    pub note: &'a str,
    pub difficulty: &'a str,
    pub meter: u32,
    pub lanes: u8,
    pub notes: &'a [(u8, f64, PlacedKind)],
    /// Where the song's sections start (beat, name).
    pub sections: &'a [(f64, &'a str)],
}

impl ChartBlock<'_> {
    /// The block from its `(` to its `)`, every line after the first starting with `indent`
    /// (the indentation of the `(`). Notes off the 192nd grid are written as a note list.
    pub fn to_ron(&self, indent: &str) -> String {
        let inner = format!("{indent}    ");
        let mut out = String::from("(\n");
        if !self.note.is_empty() {
            out += &format!("{inner}// {}\n", self.note);
        }
        out += &format!("{inner}difficulty: {},\n", ron_string(self.difficulty));
        out += &format!("{inner}meter: {},\n", self.meter);
        out += &format!("{inner}lanes: {},\n", self.lanes);
        match measures(self.lanes, self.notes) {
            Some(grid) => {
                out += &format!("{inner}measures: [\n");
                for (index, rows) in grid.iter().enumerate() {
                    out += &format!(
                        "{inner}    {}, // {}{}\n",
                        measure_ron(rows),
                        index + 1,
                        self.sections_in(index)
                    );
                }
            }
            None => {
                out += &format!("{inner}notes: [\n");
                for (lane, beat, kind) in self.notes {
                    out += &format!("{inner}    {},\n", note_ron(*lane, *beat, *kind));
                }
            }
        }
        out += &format!("{inner}],\n{indent})");
        out
    }

    /// ` chorus` when a chorus starts in measure `index` (from 0), or nothing.
    fn sections_in(&self, index: usize) -> String {
        let from = index as f64 * 4.0;
        let names: Vec<&str> = self
            .sections
            .iter()
            .filter(|(beat, _)| *beat >= from - 1e-9 && *beat < from + 4.0 - 1e-9)
            .map(|(_, name)| *name)
            .collect();
        if names.is_empty() {
            String::new()
        } else {
            format!(" {}", names.join(", "))
        }
    }
}

/// One note of a note list: `(beat: 4.5, lane: 2, kind: Hold(length: 1.0))`.
fn note_ron(lane: u8, beat: f64, kind: PlacedKind) -> String {
    let kind = match kind {
        PlacedKind::Tap => String::new(),
        PlacedKind::Mine => ", kind: Mine".into(),
        PlacedKind::Hold { end_beat } => {
            format!(", kind: Hold(length: {})", ron_number(end_beat - beat))
        }
        PlacedKind::Roll { end_beat } => {
            format!(", kind: Roll(length: {})", ron_number(end_beat - beat))
        }
    };
    format!("(beat: {}, lane: {lane}{kind})", ron_number(beat))
}

/// One measure as RON: `["1000", "0100"]`.
pub fn measure_ron(rows: &[String]) -> String {
    let quoted: Vec<String> = rows.iter().map(|r| format!("\"{r}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// `text` as a RON string literal, escaped so it reads back as itself.
pub fn ron_string(text: &str) -> String {
    ron::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// A number of beats or seconds as RON that reads back as exactly this number: `4.0`,
/// `0.125`, `1.3333333333333333`.
pub fn ron_number(value: f64) -> String {
    if value == value.trunc() && value.abs() < 1e15 {
        format!("{value:.1}")
    } else {
        // Rust prints the shortest digits that read back to the same number.
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_measure_takes_the_coarsest_snap_of_its_notes() {
        let notes = [
            (0, 0.0, PlacedKind::Tap),
            (1, 1.0, PlacedKind::Tap),
            // Measure 2: a sixteenth and a triplet.
            (2, 4.25, PlacedKind::Tap),
            (3, 4.0 + 1.0 / 3.0, PlacedKind::Mine),
            // Measure 4, after an empty one: a hold into measure 5.
            (0, 12.0, PlacedKind::Hold { end_beat: 17.0 }),
            (1, 13.0, PlacedKind::Roll { end_beat: 14.0 }),
        ];
        let m = measures(4, &notes).unwrap();
        assert_eq!(m.len(), 5);
        assert_eq!(m[0], ["1000", "0100", "0000", "0000"]);
        assert_eq!(m[1].len(), 48);
        assert_eq!(m[1][3], "0010");
        assert_eq!(m[1][4], "000M");
        assert!(m[2].is_empty());
        assert_eq!(m[3], ["2000", "0400", "0300", "0000"]);
        assert_eq!(m[4], ["0000", "3000", "0000", "0000"]);
    }

    #[test]
    fn a_chart_block_reads_back_as_a_chart() {
        let notes = [
            (0, 0.0, PlacedKind::Tap),
            (2, 5.0, PlacedKind::Hold { end_beat: 6.5 }),
        ];
        let block = ChartBlock {
            note: "Recorded at 1/8.",
            difficulty: "My \"take\"",
            meter: 3,
            lanes: 4,
            notes: &notes,
            sections: &[(4.0, "verse")],
        };
        let text = block.to_ron("    ");
        assert!(text.contains("        [\"1000\"], // 1\n"), "{text}");
        assert!(text.contains(", // 2 verse\n"), "{text}");
        assert!(text.ends_with("\n    )"), "{text}");
        let chart: crate::level::format::ChartFile = ron::from_str(&text).unwrap();
        assert_eq!(chart.difficulty, "My \"take\"");
        assert_eq!(chart.measures.len(), 2);
        // Off the grid: the note list.
        let off = [(1, 1.0 / 7.0, PlacedKind::Roll { end_beat: 2.0 })];
        let text = ChartBlock {
            notes: &off,
            ..block
        }
        .to_ron("");
        let chart: crate::level::format::ChartFile = ron::from_str(&text).unwrap();
        assert_eq!(chart.notes.len(), 1);
        assert_eq!(chart.notes[0].beat, 1.0 / 7.0);
    }

    #[test]
    fn a_note_off_the_grid_asks_for_the_note_list() {
        assert!(measures(4, &[(0, 1.0 / 7.0, PlacedKind::Tap)]).is_none());
        assert!(measures(4, &[(0, 1.0 / 48.0, PlacedKind::Tap)]).is_some());
    }

    #[test]
    fn strings_and_numbers_read_back() {
        let text = "He said \"안녕\" \\ back";
        let back: String = ron::from_str(&ron_string(text)).unwrap();
        assert_eq!(back, text);
        assert_eq!(ron_number(4.0), "4.0");
        assert_eq!(ron_number(-0.125), "-0.125");
        for value in [1.0 / 3.0, 1e-9, 0.1, 123.456789, -1e-300, 1e300] {
            let back: f64 = ron::from_str(&ron_number(value)).unwrap();
            assert_eq!(back, value);
        }
    }
}
