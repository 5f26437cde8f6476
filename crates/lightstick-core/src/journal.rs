//! The play journal: a finished play is written here, in one atomic file, before any of the
//! files it changes (the replay, the score book, the profile). It is then applied to each file,
//! and each file remembers the plays it has taken, so applying it again changes nothing. A kill
//! at any moment leaves either no journal (all applied) or a journal the next start finishes:
//! the score book, the replays and the profile always agree in the end.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::merch::PlayRecord;
use crate::profile::{Profile, load_profile, save_profile};
use crate::records::ScoreBook;
use crate::save::{load_ron, save_ron, write_atomic};
use crate::score::PlayResult;
use crate::user_file::{MAX_SAVE_BYTES, ReadError, read_text};

/// The journal's name in the data folder.
pub const JOURNAL_FILE: &str = "pending-plays.ron";
const JOURNAL_FORMAT: u32 = 1;

/// One player's share of a finished play: every file it changes and how.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayEntry {
    /// Unique for each play and player; the files remember it to take the play once.
    pub id: String,
    pub replay: Option<ReplayWrite>,
    pub score: Option<ScoreWrite>,
    pub progress: Option<ProgressWrite>,
}

impl PlayEntry {
    /// An entry that changes nothing yet, for seat `seat` of the play of `level` that ended at
    /// `played_at` (seconds, and `nanos` within it, so two plays in one second differ).
    pub fn new(played_at: u64, nanos: u32, level: &str, difficulty: &str, seat: usize) -> Self {
        PlayEntry {
            id: format!(
                "{played_at}.{nanos:09}-{level}-{}-p{}",
                difficulty.to_lowercase(),
                seat + 1
            ),
            replay: None,
            score: None,
            progress: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplayWrite {
    pub path: PathBuf,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreWrite {
    pub book: PathBuf,
    pub level: String,
    /// The difficulty as the book keeps it (a rate other than 1 keeps a best of its own).
    pub record_as: String,
    pub result: PlayResult,
    pub at: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressWrite {
    pub profile: PathBuf,
    pub play: PlayRecord,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Journal {
    format: u32,
    plays: Vec<PlayEntry>,
}

/// What applying one entry did; `None` where that file had already taken the play.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    pub replay_saved: bool,
    pub new_best: Option<bool>,
    pub earned: Option<u64>,
    /// The names of the merch the play unlocked.
    pub unlocked: Vec<String>,
}

/// Unlocks what a profile's progress now earns; gives the new items' names.
pub type Unlock<'a> = dyn Fn(&mut Profile) -> Vec<String> + 'a;

/// Writes `entries` to the journal, after any it still holds, in one atomic write.
pub fn write(journal: &Path, entries: &[PlayEntry]) -> std::io::Result<()> {
    let mut pending = read(journal).unwrap_or_default();
    pending.format = JOURNAL_FORMAT;
    pending.plays.extend(entries.iter().cloned());
    save_ron(journal, &pending)
}

fn read(journal: &Path) -> Result<Journal, String> {
    let text = match read_text(journal, MAX_SAVE_BYTES, "the play journal") {
        Ok(text) => text,
        Err(ReadError::Missing) => return Ok(Journal::default()),
        Err(ReadError::Refused(diagnostic)) => return Err(diagnostic.to_string()),
    };
    parse(journal, &text)
}

/// Parses the text of the journal at `path`; how many plays it holds.
pub fn parse_journal(path: &Path, text: &str) -> Result<usize, String> {
    parse(path, text).map(|j| j.plays.len())
}

fn parse(path: &Path, text: &str) -> Result<Journal, String> {
    let journal: Journal =
        ron::from_str(text).map_err(|e| crate::diagnostic::from_ron_error(path, &e).to_string())?;
    if journal.format != JOURNAL_FORMAT {
        return Err(format!(
            "{}: play journal format {} is not one this game reads ({JOURNAL_FORMAT})",
            path.display(),
            journal.format
        ));
    }
    Ok(journal)
}

/// Applies every play the journal holds to its files, then removes the journal. Gives what
/// each entry did (by id) and messages for the player about anything that went wrong. A
/// journal that cannot be read is moved aside, never deleted.
pub fn apply_pending(journal: &Path, unlock: &Unlock) -> (Vec<(String, Applied)>, Vec<String>) {
    let mut messages = Vec::new();
    let pending = match read(journal) {
        Ok(pending) => pending,
        Err(why) => {
            let aside = journal.with_extension("ron.unreadable");
            let _ = std::fs::rename(journal, &aside);
            messages.push(format!(
                "{why}; the unfinished plays in it could not be saved (kept as {})",
                aside.display()
            ));
            return (Vec::new(), messages);
        }
    };
    let mut done = Vec::new();
    let mut all_saved = true;
    for entry in &pending.plays {
        let (applied, problems) = apply(entry, unlock);
        all_saved &= problems.is_empty();
        messages.extend(problems);
        done.push((entry.id.clone(), applied));
    }
    // Kept when a file could not be written, so the next start tries again.
    if all_saved && journal.exists() {
        let _ = std::fs::remove_file(journal);
    }
    (done, messages)
}

fn apply(entry: &PlayEntry, unlock: &Unlock) -> (Applied, Vec<String>) {
    let mut applied = Applied::default();
    let mut problems = Vec::new();
    // The profile first: it is how a first play tells itself from a lost profile.
    if let Some(progress) = &entry.progress {
        let (mut profile, mut notes) = load_profile(&progress.profile);
        problems.append(&mut notes);
        applied.earned = profile.progress.record_once(&entry.id, &progress.play);
        if applied.earned.is_some() {
            applied.unlocked = unlock(&mut profile);
            if let Err(e) = save_profile(&progress.profile, &profile) {
                problems.push(format!("could not save your profile: {e}"));
            }
        }
    }
    if let Some(score) = &entry.score {
        let mut loaded = load_ron::<ScoreBook>(&score.book);
        problems.append(&mut loaded.problems);
        let book = &mut loaded.value;
        applied.new_best = book.record_once(
            &entry.id,
            &score.level,
            &score.record_as,
            score.result,
            score.at,
        );
        if applied.new_best.is_some()
            && let Err(e) = save_ron(&score.book, book)
        {
            problems.push(format!(
                "could not save scores to {}: {e}",
                score.book.display()
            ));
        }
    }
    if let Some(replay) = &entry.replay
        && !replay.path.exists()
    {
        match write_atomic(&replay.path, &replay.text) {
            Ok(()) => applied.replay_saved = true,
            Err(e) => problems.push(format!(
                "could not save the replay {}: {e}",
                replay.path.display()
            )),
        }
    }
    (applied, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Grade;

    fn result() -> PlayResult {
        PlayResult {
            score: 900_000,
            grade: Grade::A,
            ..PlayResult::default()
        }
    }

    fn entry(dir: &Path, id: &str) -> PlayEntry {
        PlayEntry {
            id: id.into(),
            replay: Some(ReplayWrite {
                path: dir.join(format!("replays/{id}.ron")),
                text: "[]".into(),
            }),
            score: Some(ScoreWrite {
                book: dir.join("scores.ron"),
                level: "song".into(),
                record_as: "Hard".into(),
                result: result(),
                at: 1,
            }),
            progress: Some(ProgressWrite {
                profile: dir.join("profile.ron"),
                play: PlayRecord {
                    level: "song".into(),
                    difficulty: "Hard".into(),
                    meter: 5,
                    result: result(),
                    versus_win: false,
                    group_clear: false,
                    part_of_chart: false,
                    notes_to_hit: 100,
                },
            }),
        }
    }

    #[test]
    fn a_journal_applied_twice_counts_each_play_once() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join(JOURNAL_FILE);
        let none = |_: &mut Profile| Vec::new();
        write(&journal, &[entry(dir.path(), "a"), entry(dir.path(), "b")]).unwrap();
        // As if killed after the first apply, before the journal was removed.
        let journal_text = std::fs::read_to_string(&journal).unwrap();
        let (first, messages) = apply_pending(&journal, &none);
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(first[0].1.new_best, Some(true));
        assert!(first[1].1.earned.is_some());
        assert!(!journal.exists());
        std::fs::write(&journal, journal_text).unwrap();
        let (again, _) = apply_pending(&journal, &none);
        assert!(
            again.iter().all(|(_, a)| *a == Applied::default()),
            "{again:?}"
        );
        let book = load_ron::<ScoreBook>(&dir.path().join("scores.ron")).value;
        assert_eq!(book.best("song", "Hard").unwrap().plays, 2);
        let (profile, _) = load_profile(&dir.path().join("profile.ron"));
        assert_eq!(profile.progress.plays, 2);
    }

    #[test]
    fn an_unreadable_journal_is_kept_aside_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join(JOURNAL_FILE);
        std::fs::write(&journal, "(format: 1, plays: [oops").unwrap();
        let (done, messages) = apply_pending(&journal, &|_: &mut Profile| Vec::new());
        assert!(done.is_empty());
        assert!(messages[0].contains(JOURNAL_FILE), "{messages:?}");
        assert!(dir.path().join("pending-plays.ron.unreadable").exists());
    }
}
