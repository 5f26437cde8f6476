//! Local multiplayer rules: versus standings with their tie-breaks, and the group stage, where a
//! song's lines are split between members who share one life bar and one score.

use serde::Serialize;

use crate::chart::Chart;
use crate::judgement::JudgeEvent;
use crate::music::sheet::SectionKind;
use crate::score::PlayResult;

/// Players on one machine.
pub const MAX_PLAYERS: usize = 4;

/// Who plays the notes of a stretch of the song on the group stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    Everyone,
    /// Members by number, counted from 1.
    Members(Vec<u8>),
}

/// Written as the level file writes it: `"all"`, `"2"`, `"1+3"`.
impl Serialize for Who {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

impl Who {
    /// Reads `"all"`, `"2"` or `"1+3"`. `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<Who, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(Who::Everyone);
        }
        let mut members = Vec::new();
        for part in text.split('+') {
            let member: u8 = part.trim().parse().map_err(|_| {
                format!("`{text}` is not a member: write a number like \"2\", several like \"1+3\", or \"all\"")
            })?;
            if member == 0 {
                return Err("members are counted from 1".into());
            }
            if !members.contains(&member) {
                members.push(member);
            }
        }
        Ok(Who::Members(members))
    }

    /// Whether member `member` (from 1) plays here.
    pub fn includes(&self, member: u8) -> bool {
        match self {
            Who::Everyone => true,
            Who::Members(members) => members.contains(&member),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Who::Everyone => "all".into(),
            Who::Members(members) => members
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join("+"),
        }
    }
}

/// One stretch of the song and who plays it, from `from` up to (not including) `to`, in beats.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartLine {
    pub from: f64,
    pub to: f64,
    pub who: Who,
    /// What the stretch is, for the line distribution: "verse", "chorus", "beats 16-48".
    pub name: String,
}

/// Beats a member takes to step forward to sing a line, or back after it.
pub const STEP_BEATS: f64 = 1.0;

/// 0 at 0, 1 at 1, eased at both ends.
fn smoothstep(t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// One member's part of a group stage: member `member` (from 1) of a group of `members`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupPart {
    pub member: u8,
    pub members: u8,
}

/// How a song is split between `members` members. Beats no line covers are everyone's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartSplit {
    pub members: u8,
    pub lines: Vec<PartLine>,
    /// Whether a level maker wrote it (or it was made from the song's sections).
    pub written: bool,
}

impl PartSplit {
    /// The line a beat falls in.
    pub fn line_at(&self, beat: f64) -> Option<&PartLine> {
        self.lines
            .iter()
            .find(|l| beat >= l.from - 1e-9 && beat < l.to - 1e-9)
    }

    /// How far member `member` (from 1) has stepped forward at `beat`, 0 to 1: the member whose
    /// line it is (alone, not everyone's) steps forward over the line's first beat and back over
    /// the next line's first beat, eased at both ends, so nobody jumps into place.
    pub fn forwardness(&self, member: u8, beat: f64) -> f32 {
        let solo =
            |line: &PartLine| matches!(&line.who, Who::Members(_)) && line.who.includes(member);
        let Some(index) = self
            .lines
            .iter()
            .position(|l| beat >= l.from - 1e-9 && beat < l.to - 1e-9)
        else {
            return 0.0;
        };
        let line = &self.lines[index];
        let into = smoothstep(((beat - line.from) / STEP_BEATS) as f32);
        let before = index
            .checked_sub(1)
            .map(|i| &self.lines[i])
            .filter(|prev| (prev.to - line.from).abs() < 1e-9)
            .is_some_and(&solo);
        match (before, solo(line)) {
            (true, true) => 1.0,
            (false, true) => into,
            (true, false) => 1.0 - into,
            (false, false) => 0.0,
        }
    }

    /// Whether member `member` (from 1) plays the note at `beat`.
    pub fn plays(&self, member: u8, beat: f64) -> bool {
        self.line_at(beat)
            .is_none_or(|line| line.who.includes(member))
    }

    /// The chart member `member` plays: the notes of their lines. Indices into `chart.notes`
    /// come along, so the screen can tell their notes from the others'.
    pub fn member_chart(&self, chart: &Chart, member: u8) -> (Chart, Vec<usize>) {
        let mut kept = Vec::new();
        let notes = chart
            .notes
            .iter()
            .enumerate()
            .filter(|(_, n)| self.plays(member, n.beat))
            .map(|(i, n)| {
                kept.push(i);
                *n
            })
            .collect();
        (
            Chart {
                notes,
                ..chart.clone()
            },
            kept,
        )
    }

    /// A split from the song's sections for a level that has none written: intros, choruses,
    /// post-choruses, dance breaks and outros are everyone's, and the other sections (verses,
    /// pre-choruses, bridges) go to one member after another. Without sections, the song goes
    /// in turns of eight bars, the last stretch everyone's.
    pub fn automatic(members: u8, sections: &[(f64, SectionKind)], end_beat: f64) -> PartSplit {
        let members = members.max(1);
        let mut lines = Vec::new();
        let mut turn = 0u8;
        if sections.is_empty() {
            const PHRASE: f64 = 32.0;
            let mut from = 0.0;
            while from < end_beat {
                let to = (from + PHRASE).min(end_beat);
                let last = to >= end_beat;
                let who = if last {
                    Who::Everyone
                } else {
                    turn += 1;
                    Who::Members(vec![(turn - 1) % members + 1])
                };
                lines.push(PartLine {
                    from,
                    to,
                    who,
                    name: format!("beats {from:.0}-{to:.0}"),
                });
                from = to;
            }
        } else {
            for (i, (from, kind)) in sections.iter().enumerate() {
                let to = sections.get(i + 1).map_or(end_beat.max(*from), |s| s.0);
                let shared = matches!(
                    kind,
                    SectionKind::Intro
                        | SectionKind::Chorus
                        | SectionKind::PostChorus
                        | SectionKind::DanceBreak
                        | SectionKind::Outro
                );
                let who = if shared {
                    Who::Everyone
                } else {
                    turn += 1;
                    Who::Members(vec![(turn - 1) % members + 1])
                };
                lines.push(PartLine {
                    from: *from,
                    to,
                    who,
                    name: kind.name().replace('_', "-"),
                });
            }
        }
        PartSplit {
            members,
            lines,
            written: false,
        }
    }
}

/// A player's place in versus: 1 for the winner. Players tied on score, accuracy and max
/// combo share a place.
pub fn versus_places(results: &[PlayResult]) -> Vec<usize> {
    let key = |r: &PlayResult| (r.score, (r.accuracy * 1e6).round() as i64, r.max_combo);
    results
        .iter()
        .map(|r| 1 + results.iter().filter(|o| key(o) > key(r)).count())
        .collect()
}

/// Players from first to last: by score, then accuracy, then max combo, then player order.
pub fn versus_order(results: &[PlayResult]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by(|a, b| {
        let (ra, rb) = (&results[*a], &results[*b]);
        rb.score
            .cmp(&ra.score)
            .then(rb.accuracy.total_cmp(&ra.accuracy))
            .then(rb.max_combo.cmp(&ra.max_combo))
            .then(a.cmp(b))
    });
    order
}

/// How one member did on one line of the song.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineShare {
    pub member: u8,
    pub line: String,
    pub from_beat: f64,
    pub notes: u32,
    /// Percent of the line's points this member earned.
    pub accuracy: f64,
}

/// The group's result: the combined score, and who carried which line and how well.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupResult {
    /// The members' scores weighted by how many notes each played.
    pub score: u32,
    pub accuracy: f64,
    pub failed: bool,
    pub members: Vec<PlayResult>,
    pub lines: Vec<LineShare>,
}

impl GroupResult {
    /// `members[m]` is member `m + 1`'s result, the chart they played and their judgements.
    pub fn new(
        split: &PartSplit,
        members: &[(PlayResult, &Chart, &[JudgeEvent])],
        failed: bool,
    ) -> GroupResult {
        let notes: u32 = members.iter().map(|(r, _, _)| r.notes.max(1)).sum();
        let weighted = |f: &dyn Fn(&PlayResult) -> f64| -> f64 {
            members
                .iter()
                .map(|(r, _, _)| f(r) * f64::from(r.notes.max(1)))
                .sum::<f64>()
                / f64::from(notes.max(1))
        };
        let score = weighted(&|r| f64::from(r.score)).round() as u32;
        let accuracy = weighted(&|r| r.accuracy);
        let mut lines = Vec::new();
        for (index, (_, chart, history)) in members.iter().enumerate() {
            let member = index as u8 + 1;
            for line in &split.lines {
                if !line.who.includes(member) {
                    continue;
                }
                let in_line = |beat: f64| beat >= line.from - 1e-9 && beat < line.to - 1e-9;
                let line_notes: Vec<usize> = chart
                    .notes
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| !n.is_mine() && in_line(n.beat))
                    .map(|(i, _)| i)
                    .collect();
                if line_notes.is_empty() {
                    continue;
                }
                let points: f64 = history
                    .iter()
                    .filter_map(|e| match e {
                        JudgeEvent::Hit {
                            note, judgement, ..
                        } if line_notes.contains(note) => {
                            Some(crate::score::accuracy_points(*judgement))
                        }
                        _ => None,
                    })
                    .sum();
                lines.push(LineShare {
                    member,
                    line: line.name.clone(),
                    from_beat: line.from,
                    notes: line_notes.len() as u32,
                    // `+ 0.0` turns a negative zero into zero for printing.
                    accuracy: (points / line_notes.len() as f64).clamp(0.0, 1.0) * 100.0 + 0.0,
                });
            }
        }
        lines.sort_by(|a, b| {
            a.from_beat
                .total_cmp(&b.from_beat)
                .then(a.member.cmp(&b.member))
        });
        GroupResult {
            score,
            accuracy,
            failed,
            members: members.iter().map(|(r, _, _)| *r).collect(),
            lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_member_whose_line_it_is_steps_forward_without_a_jump() {
        let split = PartSplit {
            members: 2,
            lines: vec![
                PartLine {
                    from: 0.0,
                    to: 8.0,
                    who: Who::Members(vec![1]),
                    name: "verse".into(),
                },
                PartLine {
                    from: 8.0,
                    to: 16.0,
                    who: Who::Members(vec![2]),
                    name: "verse 2".into(),
                },
                PartLine {
                    from: 16.0,
                    to: 24.0,
                    who: Who::Everyone,
                    name: "chorus".into(),
                },
            ],
            written: true,
        };
        // Mid-line, the holder is forward and the other is not.
        assert_eq!(split.forwardness(1, 4.0), 1.0);
        assert_eq!(split.forwardness(2, 4.0), 0.0);
        assert_eq!(split.forwardness(2, 12.0), 1.0);
        assert_eq!(split.forwardness(1, 12.0), 0.0);
        // In the chorus, everyone's line, nobody stands out.
        assert_eq!(split.forwardness(2, 20.0), 0.0);
        // At 60 frames a second and 200 BPM, no step between two frames is more than a tenth.
        let per_frame = 200.0 / 60.0 / 60.0;
        for member in 1..=2 {
            let mut beat = 0.0;
            let mut last = split.forwardness(member, beat);
            while beat < 24.0 {
                beat += per_frame;
                let now = split.forwardness(member, beat);
                assert!(
                    (now - last).abs() <= 0.1,
                    "member {member} jumped at beat {beat}"
                );
                last = now;
            }
        }
    }
    use crate::chart::PlacedKind;
    use crate::timing::TimingMap;

    fn chart(beats: &[f64]) -> Chart {
        Chart::from_beats(
            "Test",
            1,
            4,
            TimingMap::new(
                0.0,
                &[crate::timing::BpmChange {
                    beat: 0.0,
                    bpm: 120.0,
                }],
                &[],
            ),
            beats.iter().map(|b| ((*b as u8) % 4, *b, PlacedKind::Tap)),
        )
    }

    fn result(score: u32, accuracy: f64, max_combo: u32) -> PlayResult {
        PlayResult {
            score,
            accuracy,
            max_combo,
            ..Default::default()
        }
    }

    #[test]
    fn versus_ranks_by_score_then_accuracy_then_max_combo() {
        let results = [
            result(900_000, 95.0, 100),
            result(950_000, 90.0, 50),
            result(900_000, 96.0, 10),
            result(900_000, 95.0, 120),
        ];
        assert_eq!(versus_order(&results), vec![1, 2, 3, 0]);
        assert_eq!(versus_places(&results), vec![4, 1, 2, 3]);
        // A perfect tie shares the place.
        let tied = [result(800_000, 90.0, 30), result(800_000, 90.0, 30)];
        assert_eq!(versus_places(&tied), vec![1, 1]);
        assert_eq!(versus_order(&tied), vec![0, 1]);
    }

    #[test]
    fn members_are_read_and_checked() {
        assert_eq!(Who::parse("all"), Ok(Who::Everyone));
        assert_eq!(Who::parse("2"), Ok(Who::Members(vec![2])));
        assert_eq!(Who::parse("1 + 3"), Ok(Who::Members(vec![1, 3])));
        assert!(Who::parse("0").is_err());
        assert!(Who::parse("two").is_err());
    }

    #[test]
    fn each_member_plays_only_their_lines() {
        let split = PartSplit {
            members: 2,
            written: true,
            lines: vec![
                PartLine {
                    from: 0.0,
                    to: 4.0,
                    who: Who::Members(vec![1]),
                    name: "verse".into(),
                },
                PartLine {
                    from: 4.0,
                    to: 8.0,
                    who: Who::Members(vec![2]),
                    name: "pre-chorus".into(),
                },
                PartLine {
                    from: 8.0,
                    to: 12.0,
                    who: Who::Everyone,
                    name: "chorus".into(),
                },
            ],
        };
        let whole = chart(&[0.0, 1.0, 4.0, 5.0, 8.0, 9.0, 12.0]);
        let (first, kept_first) = split.member_chart(&whole, 1);
        let (second, kept_second) = split.member_chart(&whole, 2);
        // Beat 12 is past every line: everyone's.
        assert_eq!(kept_first, vec![0, 1, 4, 5, 6]);
        assert_eq!(kept_second, vec![2, 3, 4, 5, 6]);
        assert_eq!(first.notes.len(), 5);
        assert_eq!(second.notes.len(), 5);
    }

    #[test]
    fn the_automatic_split_shares_choruses_and_takes_turns_on_verses() {
        let sections = [
            (0.0, SectionKind::Intro),
            (16.0, SectionKind::Verse),
            (48.0, SectionKind::PreChorus),
            (64.0, SectionKind::Chorus),
            (96.0, SectionKind::Verse),
            (112.0, SectionKind::Bridge),
            (128.0, SectionKind::Outro),
        ];
        let split = PartSplit::automatic(3, &sections, 144.0);
        let who: Vec<String> = split.lines.iter().map(|l| l.who.label()).collect();
        assert_eq!(who, ["all", "1", "2", "all", "3", "1", "all"]);
        assert_eq!(split.lines[1].name, "verse");
        assert!(!split.written);
        // No sections: turns of eight bars, the last stretch everyone's.
        let split = PartSplit::automatic(2, &[], 100.0);
        let who: Vec<String> = split.lines.iter().map(|l| l.who.label()).collect();
        assert_eq!(who, ["1", "2", "1", "all"]);
    }
}
