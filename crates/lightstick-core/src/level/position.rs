//! Places in a level a play can start from: a measure, counted from 1 as level makers number
//! them, or the first section of a kind ("chorus"), found in the level's song sheet.

use crate::music::sheet::SectionKind;

use super::Level;

/// Beats in a measure: a level's measures are always four beats (docs/level-format.md).
pub const BEATS_PER_MEASURE: f64 = 4.0;

/// The measure (from 1) that `beat` falls in; a beat before 0 is in the first.
pub fn measure_of_beat(beat: f64) -> u32 {
    (beat.max(0.0) / BEATS_PER_MEASURE).floor() as u32 + 1
}

/// Where a play starts, as a player or level maker names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartPoint {
    Measure(u32),
    /// The first section of this kind.
    Section(SectionKind),
}

impl StartPoint {
    /// Reads `12` or `chorus`. The message says what is accepted.
    pub fn parse(text: &str) -> Result<StartPoint, String> {
        let text = text.trim();
        if let Ok(measure) = text.parse::<u32>() {
            return if measure == 0 {
                Err("measures count from 1".into())
            } else {
                Ok(StartPoint::Measure(measure))
            };
        }
        SectionKind::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(&text.replace('-', "_")))
            .map(StartPoint::Section)
            .ok_or_else(|| {
                let names: Vec<&str> = SectionKind::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "`{text}` is neither a measure number nor a section ({})",
                    names.join(", ")
                )
            })
    }
}

impl Level {
    /// The number of measures the song lasts, counting the one its audio ends in.
    pub fn measure_count(&self) -> u32 {
        let beats = self.timing.beat_at_time(self.audio_length);
        (beats / BEATS_PER_MEASURE).ceil().max(1.0) as u32
    }

    /// The first measure of each of the song's sections, in order.
    pub fn section_measures(&self) -> Vec<u32> {
        self.sections
            .iter()
            .map(|(beat, _)| measure_of_beat(*beat))
            .collect()
    }

    /// The measure playing at song time `time`.
    pub fn measure_at_time(&self, time: f64) -> u32 {
        measure_of_beat(self.timing.beat_at_time(time))
    }

    /// Song seconds at which `measure` (from 1) starts.
    pub fn measure_time(&self, measure: u32) -> f64 {
        let beat = f64::from(measure.saturating_sub(1)) * BEATS_PER_MEASURE;
        self.timing.time_at_beat(beat)
    }

    /// The last measure a point names for the end of a loop: the measure itself, or the last
    /// measure of the first section of its kind.
    pub fn last_measure_of(&self, end: StartPoint) -> Result<u32, String> {
        let first = self.measure_of(end)?;
        let StartPoint::Section(_) = end else {
            return Ok(first);
        };
        let next = self.section_measures().into_iter().find(|m| *m > first);
        Ok(next.map_or(self.measure_count(), |m| m - 1))
    }

    /// The measure a start point names, checked against the song.
    pub fn measure_of(&self, start: StartPoint) -> Result<u32, String> {
        match start {
            StartPoint::Measure(measure) => {
                let last = self.measure_count();
                if measure > last {
                    Err(format!(
                        "measure {measure} is past the end of the song: its measures are 1 to {last}"
                    ))
                } else {
                    Ok(measure)
                }
            }
            StartPoint::Section(kind) => self
                .sections
                .iter()
                .find(|(_, k)| *k == kind)
                .map(|(beat, _)| measure_of_beat(*beat))
                .ok_or_else(|| {
                    if self.sections.is_empty() {
                        "this level has no song sheet, so no sections: give a measure number"
                            .to_string()
                    } else {
                        format!("this song has no {} section", kind.name())
                    }
                }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::load::load_level_text;

    fn level_from(source: &str) -> Level {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("song.ogg"), b"").unwrap();
        let file = folder.path().join("level.ron");
        let report = load_level_text(&file, source, &|_| Ok(9.0));
        report
            .level
            .unwrap_or_else(|| panic!("{:?}", report.diagnostics))
    }

    #[test]
    fn start_points_read_as_measures_or_section_names() {
        assert_eq!(StartPoint::parse("12"), Ok(StartPoint::Measure(12)));
        assert_eq!(
            StartPoint::parse("Pre-Chorus"),
            Ok(StartPoint::Section(SectionKind::PreChorus))
        );
        assert!(StartPoint::parse("0").unwrap_err().contains("from 1"));
        assert!(StartPoint::parse("hook").unwrap_err().contains("chorus"));
    }

    #[test]
    fn measures_follow_the_tempo_map() {
        let level = level_from(LEVEL);
        // 120 BPM: a measure is two seconds.
        assert_eq!(level.measure_time(1), 0.0);
        assert!((level.measure_time(3) - 4.0).abs() < 1e-9);
        assert_eq!(level.measure_count(), 5);
        assert_eq!(level.measure_of(StartPoint::Measure(5)), Ok(5));
        assert!(
            level
                .measure_of(StartPoint::Measure(6))
                .unwrap_err()
                .contains("its measures are 1 to 5")
        );
        assert!(
            level
                .measure_of(StartPoint::Section(SectionKind::Chorus))
                .unwrap_err()
                .contains("no song sheet")
        );
    }

    const LEVEL: &str = r#"(
        format: 1,
        title: "Measures",
        artist: "Test",
        audio: "song.ogg",
        timing: (offset: 0.0, bpms: [(beat: 0.0, bpm: 120.0)]),
        charts: [(difficulty: "Easy", meter: 1, lanes: 4, measures: [["1000"]])],
    )"#;
}
