//! Replays: the inputs of a play, in song time, enough to judge it again exactly.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::diagnostic::{Diagnostic, Position, from_ron_error};
use super::judge::{Action, JudgeSettings, LaneInput};
use super::multiplayer::{GroupPart, MAX_PLAYERS};
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
    /// On the group stage, the member whose lines these inputs played (from 1): they are a
    /// part of the song, not a play of the whole chart.
    #[serde(default)]
    pub group_member: Option<u8>,
    /// On the group stage, how many members the group had: the song's lines are split by it.
    #[serde(default)]
    pub group_members: Option<u8>,
}

/// The file name a play's replay is saved under in its level's replay folder: the difficulty
/// and the time it ended, and in a multiplayer play which player it was (`p2`).
pub fn file_name(difficulty: &str, played_at: u64, seat: usize, players: usize) -> String {
    let who = if players > 1 {
        format!("-p{}", seat + 1)
    } else {
        String::new()
    };
    format!(
        "{}-{played_at}{who}.ron",
        crate::records::chart_key("", difficulty).trim_start_matches('/')
    )
}

impl Replay {
    pub fn inputs(&self) -> impl Iterator<Item = LaneInput> + '_ {
        self.events.iter().map(|e| e.to_input())
    }

    /// The lines of a group stage these inputs played, if they are a member's part.
    pub fn part(&self) -> Option<GroupPart> {
        Some(GroupPart {
            member: self.group_member?,
            members: self.group_members?,
        })
    }
}

/// What a replay file holds: a full replay, or just the list of events.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplayFile {
    /// Boxed: a replay's settings make it far larger than a bare list.
    Full(Box<Replay>),
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

/// No replay input lies further from the song's start than a day, in milliseconds.
pub const MAX_EVENT_MS: f64 = 86_400_000.0;

/// Reads a replay file, with a positioned message for anything wrong in it.
pub fn read_replay(path: &Path) -> Result<ReplayFile, Diagnostic> {
    let text =
        crate::user_file::read_existing_text(path, crate::user_file::MAX_SAVE_BYTES, "the replay")?;
    parse_replay(path, &text)
}

/// Parses and checks the text of the replay at `path`.
///
/// The rules: a full replay is format 1 and has judge settings a play can have; every event's
/// time is finite and within a day of the song's start; events are in time order, and events
/// at the same time are applied in the order written.
pub fn parse_replay(path: &Path, text: &str) -> Result<ReplayFile, Diagnostic> {
    let tree = crate::spans::parse(text);
    let at = |steps: &[&str], index: Option<usize>| -> Option<Position> {
        let mut node = tree.as_ref()?;
        for step in steps {
            node = node.field(step)?;
        }
        Some(index.and_then(|i| node.index(i)).map_or(node.at, |n| n.at))
    };
    let bare_list = first_token(text) == Some('[');
    let file = if bare_list {
        ron::from_str::<Vec<ReplayEvent>>(text)
            .map(ReplayFile::EventsOnly)
            .map_err(|e| from_ron_error(path, &e))?
    } else {
        ron::from_str::<Replay>(text)
            .map(|replay| ReplayFile::Full(Box::new(replay)))
            .map_err(|e| from_ron_error(path, &e))?
    };
    if let ReplayFile::Full(replay) = &file {
        if replay.format != REPLAY_FORMAT {
            return Err(Diagnostic::error(
                path,
                at(&["format"], None),
                format!(
                    "replay format {} is not one this game reads ({REPLAY_FORMAT})",
                    replay.format
                ),
            ));
        }
        replay.settings.check().map_err(|why| {
            Diagnostic::error(path, at(&["settings", why.field()], None), why.to_string())
        })?;
        check_group_part(replay)
            .map_err(|(field, why)| Diagnostic::error(path, at(&[field], None), why))?;
    }
    let event_at = |i: usize| {
        if bare_list {
            at(&[], Some(i))
        } else {
            at(&["events"], Some(i))
        }
    };
    let mut previous: Option<f64> = None;
    for (i, event) in file.events().iter().enumerate() {
        if !(event.0.is_finite() && event.0.abs() <= MAX_EVENT_MS) {
            return Err(Diagnostic::error(
                path,
                event_at(i),
                format!(
                    "event {} is at {} ms; a replay's times are finite and within {MAX_EVENT_MS} ms of the start",
                    i + 1,
                    event.0
                ),
            ));
        }
        if let Some(previous) = previous
            && event.0 < previous
        {
            return Err(Diagnostic::error(
                path,
                event_at(i),
                format!(
                    "event {} at {} ms is out of time order (the one before is at {previous} ms)",
                    i + 1,
                    event.0,
                ),
            ));
        }
        previous = Some(event.0);
    }
    Ok(file)
}

/// Checks that every event of `file`, read from `path`, is on one of a chart's `lanes`.
pub fn check_lanes(path: &Path, file: &ReplayFile, lanes: u8) -> Result<(), Diagnostic> {
    let Some((i, bad)) = file.events().iter().enumerate().find(|(_, e)| e.1 >= lanes) else {
        return Ok(());
    };
    // Only on this error path is the file read again, to point at the event.
    let position = std::fs::read_to_string(path).ok().and_then(|text| {
        let tree = crate::spans::parse(&text)?;
        let events = tree.field("events").unwrap_or(&tree);
        events.index(i).map(|e| e.at)
    });
    Err(Diagnostic::error(
        path,
        position,
        format!(
            "event {} presses lane {}, but the chart has lanes 0 to {}",
            i + 1,
            bad.1,
            lanes.saturating_sub(1)
        ),
    ))
}

/// A member's part names a member of a group of 2 to 4: the field at fault, and why not.
fn check_group_part(replay: &Replay) -> Result<(), (&'static str, String)> {
    if let Some(members) = replay.group_members
        && !(2..=MAX_PLAYERS as u8).contains(&members)
    {
        return Err((
            "group_members",
            format!("a group has 2 to {MAX_PLAYERS} members, not {members}"),
        ));
    }
    match (replay.group_member, replay.group_members) {
        (Some(member), Some(members)) if member == 0 || member > members => Err((
            "group_member",
            format!("member {member} is not one of the group's {members}, counted from 1"),
        )),
        (Some(0), None) => Err(("group_member", "members are counted from 1".into())),
        _ => Ok(()),
    }
}

/// A replay file saved in a level's replay folder, read for the replay browser: the replay, or
/// why it cannot be watched.
#[derive(Clone, Debug)]
pub struct SavedReplay {
    pub path: std::path::PathBuf,
    pub replay: Result<Box<Replay>, Diagnostic>,
}

impl SavedReplay {
    /// When it was played, for ordering: a file that cannot be read goes last.
    fn played_at(&self) -> u64 {
        self.replay.as_ref().map_or(0, |r| r.played_at)
    }
}

/// The replays in `dir` (one level's replay folder) of the chart `difficulty` with `lanes`
/// lanes, newest first. A file that does not read, or presses lanes the chart lacks, is listed
/// with its reason; a replay of another chart is left out. No folder is no replays.
pub fn saved_for_chart(dir: &Path, difficulty: &str, lanes: u8) -> Vec<SavedReplay> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut saved: Vec<SavedReplay> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "ron"))
        .filter_map(|path| {
            let replay = match read_replay(&path) {
                Ok(ReplayFile::Full(replay)) => {
                    if !replay.difficulty.eq_ignore_ascii_case(difficulty) {
                        return None;
                    }
                    match (replay.group_member, replay.group_members) {
                        // Saved before the group's size was kept: its lines cannot be found.
                        (Some(member), None) => Err(Diagnostic::error(
                            &path,
                            None,
                            format!(
                                "member {member}'s lines of a group stage, saved without the group's size, so they play only with the group"
                            ),
                        )),
                        _ => check_lanes(&path, &ReplayFile::Full(replay.clone()), lanes)
                            .map(|()| replay),
                    }
                }
                Ok(ReplayFile::EventsOnly(_)) => Err(Diagnostic::error(
                    &path,
                    None,
                    "a list of events without the chart it was played on",
                )),
                Err(diagnostic) => Err(diagnostic),
            };
            Some(SavedReplay { path, replay })
        })
        .collect();
    saved.sort_by(|a, b| b.played_at().cmp(&a.played_at()).then(a.path.cmp(&b.path)));
    saved
}

/// The first character that is not whitespace or a comment.
fn first_token(text: &str) -> Option<char> {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, next)| next);
        } else if let Some(after) = rest.strip_prefix("/*") {
            // RON's block comments nest.
            let mut depth = 1;
            let mut chars = after.char_indices();
            let mut end = after.len();
            while let Some((i, c)) = chars.next() {
                let next = after[i + c.len_utf8()..].chars().next();
                match (c, next) {
                    ('*', Some('/')) => {
                        depth -= 1;
                        chars.next();
                        if depth == 0 {
                            end = i + 2;
                            break;
                        }
                    }
                    ('/', Some('*')) => {
                        depth += 1;
                        chars.next();
                    }
                    _ => {}
                }
            }
            rest = &after[end.min(after.len())..];
        } else {
            return rest.chars().next();
        }
    }
}

pub fn to_ron(replay: &Replay) -> String {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .struct_names(false);
    ron::ser::to_string_pretty(replay, config).expect("replays always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mods::{LaneMod, Mods};

    fn replay_with(mods: Mods) -> Replay {
        Replay {
            format: REPLAY_FORMAT,
            level: "song".into(),
            difficulty: "Hard".into(),
            player: "Mina".into(),
            settings: JudgeSettings {
                mods,
                ..JudgeSettings::default()
            },
            played_at: 1,
            events: vec![ReplayEvent(1000.0, 2, Action::Press)],
            result: None,
            group_member: None,
            group_members: None,
        }
    }

    #[test]
    fn a_replay_keeps_its_mods_and_seed() {
        let mods = Mods {
            lanes: LaneMod::Random { seed: 77 },
            hidden: Some(0.3),
            ..Mods::default()
        };
        let text = to_ron(&replay_with(mods));
        let ReplayFile::Full(read) = parse_replay(Path::new("r.ron"), &text).unwrap() else {
            panic!("a full replay")
        };
        assert_eq!(read.settings.mods, mods);
    }

    #[test]
    fn a_replay_with_a_mod_this_version_lacks_is_refused_with_the_reason() {
        let text = to_ron(&replay_with(Mods {
            lanes: LaneMod::Mirror,
            ..Mods::default()
        }));
        let newer = text.replace("Mirror", "Flip");
        assert_ne!(newer, text);
        let error = parse_replay(Path::new("r.ron"), &newer).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("`Flip` is not a lane mod this version knows")
                && message.contains("`Mirror`"),
            "{message}"
        );
        assert!(error.position.is_some(), "{message}");

        let newer = text.replace("hidden:", "blink: Some(0.5), hidden:");
        assert_ne!(newer, text);
        let message = parse_replay(Path::new("r.ron"), &newer)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("`blink` is not a mod this version knows"),
            "{message}"
        );
    }

    #[test]
    fn the_browser_lists_a_charts_replays_and_says_why_an_old_group_part_cannot_play_alone() {
        let dir = tempfile::tempdir().unwrap();
        let mut solo = replay_with(Mods::default());
        solo.played_at = 10;
        let mut part = replay_with(Mods::default());
        part.played_at = 30;
        part.group_member = Some(2);
        part.group_members = Some(3);
        // Saved before the group's size was kept.
        let mut old_part = replay_with(Mods::default());
        old_part.played_at = 20;
        old_part.group_member = Some(2);
        let mut other_chart = replay_with(Mods::default());
        other_chart.difficulty = "Easy".into();
        for (name, replay) in [
            ("a.ron", &solo),
            ("b.ron", &part),
            ("c.ron", &old_part),
            ("d.ron", &other_chart),
        ] {
            std::fs::write(dir.path().join(name), to_ron(replay)).unwrap();
        }
        let listed = saved_for_chart(dir.path(), "hard", 4);
        assert_eq!(listed.len(), 3, "another chart's replay is left out");
        // What can be watched first, newest first; the old part last, with why it cannot.
        let part = listed[0].replay.as_ref().unwrap().part();
        assert_eq!(
            part,
            Some(GroupPart {
                member: 2,
                members: 3
            })
        );
        assert_eq!(listed[1].replay.as_ref().unwrap().played_at, 10);
        let why = listed[2].replay.as_ref().unwrap_err().to_string();
        assert!(why.contains("member 2's lines of a group stage"), "{why}");
    }

    #[test]
    fn a_part_of_a_member_the_group_lacks_is_refused_where_it_is_written() {
        let mut part = replay_with(Mods::default());
        part.group_member = Some(4);
        part.group_members = Some(3);
        let text = to_ron(&part);
        let message = parse_replay(Path::new("r.ron"), &text)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("member 4 is not one of the group's 3"),
            "{message}"
        );
        let line = text
            .lines()
            .position(|l| l.contains("group_member:"))
            .unwrap()
            + 1;
        assert!(message.contains(&format!("r.ron:{line}:")), "{message}");
        part.group_members = Some(9);
        let message = parse_replay(Path::new("r.ron"), &to_ron(&part))
            .unwrap_err()
            .to_string();
        assert!(message.contains("2 to 4 members, not 9"), "{message}");
    }

    #[test]
    fn a_replay_with_a_mod_out_of_range_is_refused() {
        let text = to_ron(&replay_with(Mods {
            sudden: Some(5.0),
            ..Mods::default()
        }));
        let message = parse_replay(Path::new("r.ron"), &text)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("sudden's line must be between"),
            "{message}"
        );
    }
}
