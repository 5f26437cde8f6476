//! Reading a song sheet and checking it: every problem with the line and column it is about,
//! and warnings for what is allowed but probably unmeant.

use std::path::Path;

use super::format::*;
use crate::diagnostic::{Diagnostic, Position, from_ron_error};
use crate::music::theory::{key_scale, note_name, parse_chord};
use crate::spans::{self, Spanned, Step, key_position, locate};

/// Reads and checks a song sheet; every problem names the line and column it is about.
pub fn read_sheet(path: &Path) -> Result<SongSheet, Diagnostic> {
    read_sheet_with_warnings(path).map(|(sheet, _)| sheet)
}

/// The position of character `index` inside a one-line string written at `at`.
fn char_position(at: Option<Position>, index: usize) -> Option<Position> {
    at.map(|p| Position::new(p.line, p.column + 1 + index))
}

/// Which characters a drum part's steps may use, besides `.` and `|`.
fn drum_steps(part: &str) -> &'static str {
    match part {
        "snare" => "xg",
        "hat" => "xo",
        "perc" => "hmlrs",
        _ => "x",
    }
}

/// Reads and checks a song sheet, with warnings for what is allowed but probably unmeant
/// (chords outside the key, grooves and lines nothing plays).
pub fn read_sheet_with_warnings(path: &Path) -> Result<(SongSheet, Vec<Diagnostic>), Diagnostic> {
    let text = read_sheet_text(path)?;
    parse_sheet_with_warnings(path, &text)
}

/// The text of a song sheet, refused before reading when it is no regular file or too large.
pub fn read_sheet_text(path: &Path) -> Result<String, Diagnostic> {
    crate::user_file::read_existing_text(path, crate::user_file::MAX_TEXT_BYTES, "the song sheet")
}

/// Parses and checks the text of the song sheet at `path`.
pub fn parse_sheet_with_warnings(
    path: &Path,
    text: &str,
) -> Result<(SongSheet, Vec<Diagnostic>), Diagnostic> {
    // Optional settings are written bare (`cutoff: 800.0`), not as `Some(800.0)`.
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let sheet: SongSheet = options
        .from_str(text)
        .map_err(|e| from_ron_error(path, &e))?;
    let tree = spans::parse(text);
    let mut checker = Checker {
        path,
        tree: tree.as_ref(),
        sheet: &sheet,
        warnings: Vec::new(),
    };
    checker.check()?;
    let warnings = checker.warnings;
    Ok((sheet, warnings))
}

struct Checker<'a> {
    path: &'a Path,
    tree: Option<&'a Spanned>,
    sheet: &'a SongSheet,
    warnings: Vec<Diagnostic>,
}

type Checked = Result<(), Diagnostic>;

impl Checker<'_> {
    fn at(&self, steps: &[Step]) -> Option<Position> {
        locate(self.tree, steps)
    }

    fn fail(&self, steps: &[Step], message: String) -> Checked {
        Err(Diagnostic::error(self.path, self.at(steps), message))
    }

    fn check(&mut self) -> Checked {
        self.check_tempo()?;
        self.check_grooves()?;
        self.check_lines()?;
        self.check_sections()?;
        self.check_instruments()?;
        self.check_mix()?;
        let sheet = self.sheet;
        if sheet.length() > MAX_SONG_SECONDS {
            return self.fail(
                &[Step::Field("sections")],
                format!(
                    "the song would last {:.0} minutes; songs are limited to {:.0} minutes",
                    sheet.length() / 60.0,
                    MAX_SONG_SECONDS / 60.0
                ),
            );
        }
        self.check_key()?;
        self.check_unused();
        Ok(())
    }

    fn check_tempo(&self) -> Checked {
        let sheet = self.sheet;
        let tempo_ok = |bpm: f64| bpm > 0.0 && bpm < 1000.0;
        if !tempo_ok(sheet.bpm) {
            return self.fail(
                &[Step::Field("bpm")],
                format!(
                    "the tempo must be above 0 and below 1000 BPM, not {}",
                    sheet.bpm
                ),
            );
        }
        let mut previous_bar = 0;
        for (i, change) in sheet.tempo_changes.iter().enumerate() {
            let here = [Step::Field("tempo_changes"), Step::Index(i)];
            if !tempo_ok(change.bpm) {
                return self.fail(
                    &here,
                    format!(
                        "the tempo must be above 0 and below 1000 BPM, not {}",
                        change.bpm
                    ),
                );
            }
            if change.bar <= previous_bar {
                return self.fail(
                    &here,
                    "tempo changes go in bar order, after bar 0 (where `bpm` is the tempo)".into(),
                );
            }
            if change.bar >= MAX_BARS {
                return self.fail(
                    &here,
                    format!(
                        "a tempo change at bar {} is past the longest song ({MAX_BARS} bars)",
                        change.bar
                    ),
                );
            }
            previous_bar = change.bar;
        }
        let (beats, unit) = sheet.time_signature;
        if !((1..=16).contains(&beats) && (unit == 4 || unit == 8)) {
            return self.fail(
                &[Step::Field("time_signature")],
                format!(
                    "a time signature is 1 to 16 beats of quarter (4) or eighth (8) notes, not {beats}/{unit}"
                ),
            );
        }
        if !(sheet.offset >= 0.0 && sheet.offset.is_finite()) {
            return self.fail(
                &[Step::Field("offset")],
                "the offset must be 0 seconds or more".into(),
            );
        }
        Ok(())
    }

    fn check_grooves(&self) -> Checked {
        let steps = self.sheet.steps_per_bar();
        for (name, groove) in &self.sheet.grooves {
            for (part, pattern) in [
                ("kick", &groove.kick),
                ("snare", &groove.snare),
                ("clap", &groove.clap),
                ("hat", &groove.hat),
                ("perc", &groove.perc),
            ] {
                let here = [Step::Field("grooves"), Step::Key(name), Step::Field(part)];
                self.check_pattern(&here, pattern, drum_steps(part), steps, part)?;
            }
        }
        Ok(())
    }

    /// Every character is allowed and no bar has more steps than the time signature gives.
    fn check_pattern(
        &self,
        here: &[Step],
        pattern: &str,
        allowed: &str,
        steps: usize,
        part: &str,
    ) -> Checked {
        let at = self.at(here);
        for (i, c) in pattern.chars().enumerate() {
            if !(allowed.contains(c) || ".| ".contains(c)) {
                return Err(Diagnostic::error(
                    self.path,
                    char_position(at, i),
                    format!(
                        "`{c}` is not a step of the {part}: use {}, `.` to rest and `|` between bars",
                        allowed
                            .chars()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        for (bar, bar_steps) in pattern_bars(pattern).iter().enumerate() {
            if bar_steps.len() > steps {
                let (beats, unit) = self.sheet.time_signature;
                return Err(Diagnostic::error(
                    self.path,
                    at,
                    format!(
                        "bar {} of this {part} pattern has {} steps; a bar of {beats}/{unit} has {steps}",
                        bar + 1,
                        bar_steps.len()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_lines(&self) -> Checked {
        let steps = self.sheet.steps_per_bar();
        for (name, line) in &self.sheet.lines {
            let here = [Step::Field("lines"), Step::Key(name), Step::Field("notes")];
            self.check_pattern(&here, &line.notes, "0123456789x-", steps, "line")?;
            if let Some(i) = line.vowels.chars().position(|c| !"aeiou".contains(c)) {
                let at = self.at(&[Step::Field("lines"), Step::Key(name), Step::Field("vowels")]);
                return Err(Diagnostic::error(
                    self.path,
                    char_position(at, i),
                    String::from("vowels are letters of `aeiou`"),
                ));
            }
            if !(-3..=3).contains(&line.octave) {
                return self.fail(
                    &[Step::Field("lines"), Step::Key(name), Step::Field("octave")],
                    format!("a line moves at most 3 octaves, not {}", line.octave),
                );
            }
        }
        Ok(())
    }

    fn check_sections(&self) -> Checked {
        let sheet = self.sheet;
        if sheet.sections.is_empty() {
            return self.fail(
                &[Step::Field("sections")],
                "a song needs at least one section".into(),
            );
        }
        for (i, chord) in sheet.chords.iter().enumerate() {
            self.check_chord(&[Step::Field("chords"), Step::Index(i)], chord)?;
        }
        let arrangement = sheet.arrangement();
        for (i, (section, arranged)) in sheet.sections.iter().zip(&arrangement).enumerate() {
            let field = |name| [Step::Field("sections"), Step::Index(i), Step::Field(name)];
            let whole = [Step::Field("sections"), Step::Index(i)];
            if let Some(like) = section.like
                && !arrangement[..i].iter().any(|a| a.kind == like)
            {
                return self.fail(
                    &field("like"),
                    format!("there is no {} before this section to be like", like.name()),
                );
            }
            if section.kind.is_none() && section.like.is_none() {
                return self.fail(
                    &whole,
                    "a section needs a `kind` (intro, verse, pre_chorus, chorus, post_chorus, bridge, dance_break, outro) or `like`".into(),
                );
            }
            if section.bars.is_none() && section.like.is_none() {
                return self.fail(&whole, "a section needs its number of `bars`".into());
            }
            if arranged.bars == 0 {
                return self.fail(&field("bars"), "a section needs at least one bar".into());
            }
            if let Some(chords) = &section.chords {
                for (c, chord) in chords.iter().enumerate() {
                    let here = [
                        Step::Field("sections"),
                        Step::Index(i),
                        Step::Field("chords"),
                        Step::Index(c),
                    ];
                    self.check_chord(&here, chord)?;
                }
            }
            if arranged.chords.is_empty() {
                return self.fail(
                    &whole,
                    "this section has no chords: give it `chords`, or the sheet its `chords`"
                        .into(),
                );
            }
            if !(-12..=12).contains(&arranged.transpose) {
                return self.fail(
                    &field("transpose"),
                    format!(
                        "a section moves at most 12 semitones, not {}",
                        arranged.transpose
                    ),
                );
            }
            for (name, used) in [("drums", &arranged.drums), ("fill", &arranged.fill)] {
                if used.is_empty() {
                    continue;
                }
                let Some(groove) = sheet.grooves.get(used) else {
                    return self.fail(
                        &field(name),
                        format!(
                            "there is no groove `{used}`; the grooves are {}",
                            names(sheet.grooves.keys())
                        ),
                    );
                };
                let longest = [
                    &groove.kick,
                    &groove.snare,
                    &groove.clap,
                    &groove.hat,
                    &groove.perc,
                ]
                .iter()
                .map(|p| pattern_bars(p).len())
                .max()
                .unwrap_or(0);
                self.check_fits(&field(name), used, longest, arranged.bars)?;
            }
            for (name, used) in [
                ("bass", &arranged.bass),
                ("stabs", &arranged.stabs),
                ("lead", &arranged.lead),
                ("vocal", &arranged.vocal),
            ] {
                if used.is_empty() {
                    continue;
                }
                let Some(line) = sheet.lines.get(used) else {
                    return self.fail(
                        &field(name),
                        format!(
                            "there is no line `{used}`; the lines are {}",
                            names(sheet.lines.keys())
                        ),
                    );
                };
                self.check_fits(
                    &field(name),
                    used,
                    pattern_bars(&line.notes).len(),
                    arranged.bars,
                )?;
            }
        }
        Ok(())
    }

    /// A pattern may not be longer than the section that plays it.
    fn check_fits(&self, here: &[Step], name: &str, bars: usize, section_bars: u32) -> Checked {
        if bars > section_bars as usize {
            return self.fail(
                here,
                format!(
                    "`{name}` is {bars} bars long, longer than this {section_bars}-bar section"
                ),
            );
        }
        Ok(())
    }

    fn check_chord(&self, here: &[Step], chord: &str) -> Checked {
        if parse_chord(chord).is_none() {
            return self.fail(
                here,
                format!(
                    "`{chord}` is not a chord this synthesizer knows (try `Am`, `F#`, `G7`, `Cmaj7`, `Dsus4`, `Eadd9`)"
                ),
            );
        }
        Ok(())
    }

    fn check_instruments(&self) -> Checked {
        for (name, instrument) in &self.sheet.instruments {
            let key = key_position(self.tree, &[Step::Field("instruments")], name);
            if !PART_NAMES.contains(&name.as_str()) {
                return Err(Diagnostic::error(
                    self.path,
                    key,
                    format!(
                        "there is no instrument `{name}`; the parts are {}",
                        PART_NAMES.join(", ")
                    ),
                ));
            }
            if let Some(problem) = instrument.out_of_range() {
                return Err(Diagnostic::error(
                    self.path,
                    key,
                    format!("`{name}`: {problem}"),
                ));
            }
        }
        Ok(())
    }

    fn check_mix(&self) -> Checked {
        let mix = &self.sheet.mix;
        for (name, part) in &mix.parts {
            let position =
                key_position(self.tree, &[Step::Field("mix"), Step::Field("parts")], name);
            if !PART_NAMES.contains(&name.as_str()) {
                return Err(Diagnostic::error(
                    self.path,
                    position,
                    format!(
                        "there is no part `{name}` to mix; the parts are {}",
                        PART_NAMES.join(", ")
                    ),
                ));
            }
            let in_range = part.gain.is_finite()
                && part.gain <= 12.0
                && (-1.0..=1.0).contains(&part.pan)
                && (0.0..=1.0).contains(&part.reverb);
            if !in_range {
                return Err(Diagnostic::error(
                    self.path,
                    position,
                    format!("`{name}`: gain at most 12 dB, pan from -1 to 1, reverb from 0 to 1"),
                ));
            }
        }
        let reverb = mix.reverb;
        if !((0.0..=1.0).contains(&reverb.size)
            && (0.1..=10.0).contains(&reverb.time)
            && (0.0..=1.0).contains(&reverb.damping))
        {
            return self.fail(
                &[Step::Field("mix"), Step::Field("reverb")],
                "the reverb's size and damping go from 0 to 1, its time from 0.1 to 10 s".into(),
            );
        }
        let compression = mix.compression;
        if !((-60.0..=0.0).contains(&compression.threshold)
            && (1.0..=100.0).contains(&compression.ratio)
            && (0.0..=1000.0).contains(&compression.attack_ms)
            && compression.attack_ms > 0.0
            && (0.0..=10_000.0).contains(&compression.release_ms)
            && compression.release_ms > 0.0)
        {
            return self.fail(
                &[Step::Field("mix"), Step::Field("compression")],
                "compression needs a threshold from -60 to 0 dB, a ratio from 1 to 100, an attack above 0 up to 1000 ms and a release above 0 up to 10000 ms".into(),
            );
        }
        Ok(())
    }

    fn check_key(&mut self) -> Checked {
        let sheet = self.sheet;
        if sheet.key.is_empty() {
            return Ok(());
        }
        let Some(scale) = key_scale(&sheet.key) else {
            return self.fail(
                &[Step::Field("key")],
                format!(
                    "`{}` is not a key; write a note and `major` or `minor`, like \"A minor\"",
                    sheet.key
                ),
            );
        };
        let mut chords: Vec<(Vec<Step>, &String)> = sheet
            .chords
            .iter()
            .enumerate()
            .map(|(i, c)| (vec![Step::Field("chords"), Step::Index(i)], c))
            .collect();
        for (i, section) in sheet.sections.iter().enumerate() {
            // A transposed section has moved to another key on purpose.
            if section.transpose.unwrap_or(0) != 0 {
                continue;
            }
            for (c, chord) in section.chords.iter().flatten().enumerate() {
                let here = vec![
                    Step::Field("sections"),
                    Step::Index(i),
                    Step::Field("chords"),
                    Step::Index(c),
                ];
                chords.push((here, chord));
            }
        }
        for (here, chord) in chords {
            let outside: Vec<&str> = parse_chord(chord)
                .unwrap_or_default()
                .iter()
                .filter(|note| !scale.contains(&note.rem_euclid(12)))
                .map(|note| note_name(*note))
                .collect();
            if !outside.is_empty() {
                self.warnings.push(Diagnostic::warning(
                    self.path,
                    self.at(&here),
                    format!(
                        "`{chord}` has {} outside {}: fine if it is borrowed on purpose",
                        outside.join(" and "),
                        sheet.key
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Grooves and lines that no section plays are probably a typo away from being used.
    fn check_unused(&mut self) {
        let arrangement = self.sheet.arrangement();
        for name in self.sheet.grooves.keys() {
            if !arrangement
                .iter()
                .any(|a| &a.drums == name || &a.fill == name)
            {
                self.warnings.push(Diagnostic::warning(
                    self.path,
                    key_position(self.tree, &[Step::Field("grooves")], name),
                    format!("no section plays the groove `{name}`"),
                ));
            }
        }
        for name in self.sheet.lines.keys() {
            let used = arrangement
                .iter()
                .any(|a| [&a.bass, &a.stabs, &a.lead, &a.vocal].contains(&name));
            if !used {
                self.warnings.push(Diagnostic::warning(
                    self.path,
                    key_position(self.tree, &[Step::Field("lines")], name),
                    format!("no section plays the line `{name}`"),
                ));
            }
        }
    }
}

fn names<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let all: Vec<String> = keys.map(|k| format!("`{k}`")).collect();
    if all.is_empty() {
        "none yet".into()
    } else {
        all.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<(SongSheet, Vec<Diagnostic>), Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("song.ron");
        std::fs::write(&path, text).unwrap();
        read_sheet_with_warnings(&path)
    }

    fn position(error: &Diagnostic) -> Option<(usize, usize)> {
        error.position.map(|p| (p.line, p.column))
    }

    const GOOD: &str = r#"(bpm: 120.0, key: "A minor", chords: ["Am", "F"],
 grooves: {"beat": (kick: "x...", snare: "....x...|....x.xx")},
 lines: {"hook": (notes: "0-1-2---", vowels: "aoe")},
 instruments: {"lead": (wave: square, cutoff: 900.0)},
 sections: [
  (kind: verse, bars: 4, drums: "beat", pad: true),
  (kind: chorus, bars: 4, drums: "beat", vocal: "hook"),
  (like: chorus, transpose: 1),
 ])"#;

    #[test]
    fn a_good_sheet_reads_and_later_sections_inherit() {
        let (sheet, warnings) = check(GOOD).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let arranged = sheet.arrangement();
        assert_eq!(arranged.len(), 3);
        assert_eq!(arranged[2].kind, SectionKind::Chorus);
        assert_eq!(arranged[2].vocal, "hook");
        assert_eq!(arranged[2].transpose, 1);
        assert_eq!(arranged[2].first_bar, 8);
        assert!(!arranged[2].pad, "the chorus it copies has no pad");
        assert_eq!(sheet.sound("lead").wave, Wave::Square);
        assert_eq!(sheet.sound("lead").cutoff, 900.0);
        assert_eq!(sheet.sound("bass"), Sound::default_for("bass"));
    }

    #[test]
    fn time_signatures_set_the_bar() {
        let (sheet, _) =
            check(&GOOD.replace("(bpm: 120.0,", "(bpm: 120.0, time_signature: (6, 8),")).unwrap();
        assert_eq!(sheet.steps_per_bar(), 12);
        assert_eq!(sheet.beats_per_bar(), 3.0);
        // 12 bars of three beats at 120 BPM, plus two beats of tail.
        assert!((sheet.length() - 19.0).abs() < 1e-9, "{}", sheet.length());
        let error = check(&GOOD.replace("(bpm: 120.0,", "(bpm: 120.0, time_signature: (4, 5),"))
            .unwrap_err();
        assert!(error.message.contains("not 4/5"), "{error}");
    }

    #[test]
    fn mistakes_name_their_line_and_column() {
        let cases = [
            (GOOD.replace("\"F\"", "\"H7\""), (1, 45), "not a chord"),
            (
                GOOD.replace("120.0", "0.0"),
                (1, 7),
                "tempo must be above 0",
            ),
            (
                GOOD.replace("bars: 4, drums", "bars: 0, drums"),
                (6, 23),
                "at least one bar",
            ),
            (
                GOOD.replace("x...\"", "x...x...x...x...x\""),
                (2, 27),
                "17 steps",
            ),
            (
                GOOD.replace("\"x...\"", "\"x..k\""),
                (2, 31),
                "`k` is not a step of the kick",
            ),
            (
                GOOD.replace(
                    "bars: 4, drums: \"beat\", pad",
                    "bars: 1, drums: \"beat\", pad",
                ),
                (6, 33),
                "`beat` is 2 bars long, longer than this 1-bar section",
            ),
            (
                GOOD.replace("drums: \"beat\", vocal", "drums: \"bet\", vocal"),
                (7, 34),
                "no groove `bet`",
            ),
            (
                GOOD.replace("vocal: \"hook\"", "vocal: \"hok\""),
                (7, 49),
                "no line `hok`",
            ),
            (
                GOOD.replace("\"lead\": (wave", "\"flute\": (wave"),
                (4, 16),
                "no instrument `flute`",
            ),
            (
                GOOD.replace("cutoff: 900.0", "cutoff: 90000.0"),
                (4, 16),
                "`cutoff` goes from 20",
            ),
            (
                GOOD.replace("(like: chorus", "(like: bridge"),
                (8, 10),
                "no bridge before",
            ),
            (
                GOOD.replace("vowels: \"aoe\"", "vowels: \"aox\""),
                (3, 49),
                "vowels are letters",
            ),
            (
                GOOD.replace(
                    "bars: 4, drums: \"beat\", pad",
                    "bars: 400, drums: \"beat\", pad",
                ),
                (5, 12),
                "limited to 10 minutes",
            ),
            (
                GOOD.replace("kind: verse", "kind: hook"),
                (6, 10),
                "unknown variant",
            ),
        ];
        for (text, (line, column), words) in cases {
            let error = check(&text).unwrap_err();
            assert_eq!(position(&error), Some((line, column)), "{words}: {error}");
            assert!(error.message.contains(words), "{words}: {error}");
        }
    }

    #[test]
    fn an_unplayed_groove_is_pointed_out() {
        let (_, warnings) =
            check(&GOOD.replace("grooves: {", "grooves: {\"spare\": (hat: \"x\"), ")).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("groove `spare`"));
    }

    #[test]
    fn chords_name_their_notes() {
        assert_eq!(parse_chord("Am"), Some(vec![69, 72, 76]));
        assert_eq!(parse_chord("G7"), Some(vec![67, 71, 74, 77]));
        assert_eq!(parse_chord("Dsus4"), Some(vec![62, 67, 69]));
        assert_eq!(parse_chord("Cadd9"), Some(vec![60, 64, 67, 74]));
        assert_eq!(parse_chord("Bbm7"), Some(vec![70, 73, 77, 80]));
        assert_eq!(parse_chord("Hm"), None);
        assert_eq!(parse_chord("Cmaj13"), None);
    }
}

#[cfg(test)]
mod mix_tests {
    use super::*;

    fn check(text: &str) -> Result<SongSheet, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("song.ron");
        std::fs::write(&path, text).unwrap();
        read_sheet(&path)
    }

    const BASE: &str = "(bpm: 120.0, chords: [\"Am\"], sections: [(kind: verse, bars: 2, pad: true)],\n mix: (parts: {\"kick\": (gain: -3.0), MIX}))";

    #[test]
    fn a_mix_sets_parts_and_keeps_defaults_for_the_rest() {
        let sheet = check(&BASE.replace(", MIX", "")).unwrap();
        assert_eq!(sheet.mix.part("kick").gain, -3.0);
        assert_eq!(sheet.mix.part("pad"), PartMix::default_for("pad"));
    }

    #[test]
    fn an_unknown_part_or_a_wild_value_is_pointed_at() {
        let error = check(&BASE.replace("MIX", "\"flute\": (gain: 0.0)")).unwrap_err();
        assert!(error.message.contains("no part `flute`"), "{error}");
        assert_eq!(error.position.map(|p| (p.line, p.column)), Some((2, 38)));
        let error = check(&BASE.replace("MIX", "\"pad\": (reverb: 3.0)")).unwrap_err();
        assert!(error.message.contains("reverb from 0 to 1"), "{error}");
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;

    fn check(key: &str, chords: &str) -> Result<(SongSheet, Vec<Diagnostic>), Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("song.ron");
        let text = format!(
            "(key: \"{key}\", bpm: 100.0, chords: [{chords}], sections: [(kind: intro, bars: 1, pad: true)])"
        );
        std::fs::write(&path, text).unwrap();
        read_sheet_with_warnings(&path)
    }

    #[test]
    fn keys_name_their_scales() {
        assert_eq!(key_scale("C major"), Some(vec![0, 2, 4, 5, 7, 9, 11]));
        assert_eq!(key_scale("A minor").unwrap().len(), 8);
        assert_eq!(key_scale("F# major").unwrap()[0], 6);
        assert_eq!(key_scale("H minor"), None);
        assert_eq!(key_scale("C dorian"), None);
    }

    #[test]
    fn chords_outside_the_key_are_pointed_out_but_allowed() {
        // E major is the dominant of A minor: its G# is the raised seventh.
        let (_, warnings) = check("A minor", "\"Am\", \"Dm\", \"E\", \"F\"").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let (_, warnings) = check("A minor", "\"Am\", \"Eb\"").unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.contains("Eb and Bb outside A minor"),
            "{}",
            warnings[0]
        );
        assert_eq!(
            warnings[0].position.map(|p| (p.line, p.column)),
            Some((1, 45))
        );
        let error = check("A mollusc", "\"Am\"").unwrap_err();
        assert!(error.message.contains("is not a key"), "{error}");
    }
}
