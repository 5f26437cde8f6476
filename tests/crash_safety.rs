//! Nothing a player earned is lost to a crash: child processes saving a profile, or whole
//! finished plays, over and over are killed at random moments, and after every kill the files
//! load, agree with each other and hold everything the child had reported saved.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lightstick::core::profile::load_profile;

#[test]
fn killing_a_save_at_any_moment_never_loses_an_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.ron");
    let mut saved_before = 0usize;
    for (round, wait) in kill_moments(200).enumerate() {
        let reported = run_and_kill(&["stress-save", path.to_str().unwrap()], wait)
            .iter()
            .filter_map(|l| {
                l.strip_prefix("saved ")
                    .and_then(|n| n.parse::<usize>().ok())
            })
            .max()
            .unwrap_or(saved_before);
        let (profile, messages) = load_profile(&path);
        let held = profile.unlocked.len();
        assert!(
            held >= reported,
            "round {round}: the child saved {reported} unlocks but the profile holds {held} ({messages:?})"
        );
        for n in 1..=reported {
            assert!(
                profile.unlocked.contains(&format!("item-{n:06}")),
                "round {round}: item {n} was lost ({messages:?})"
            );
        }
        saved_before = held;
    }
    assert!(
        saved_before > 200,
        "the children saved only {saved_before} times in all"
    );
}

/// A kill after `wait` of a child running `args`; what it printed on stdout.
fn run_and_kill(args: &[&str], wait: Duration) -> Vec<String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the game runs");
    let started = Instant::now();
    while started.elapsed() < wait {
        std::thread::sleep(Duration::from_micros(500));
    }
    child.kill().unwrap();
    let _ = child.wait();
    BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .collect()
}

/// The moments to kill at: a fixed sequence of "random" waits, so a failure can be run again.
fn kill_moments(count: usize) -> impl Iterator<Item = Duration> {
    let mut seed: u64 = 0x0bad_5eed;
    (0..count).map(move |_| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        Duration::from_micros(3_000 + (seed >> 33) % 40_000)
    })
}

#[test]
fn a_play_killed_while_saving_is_in_the_score_book_the_replays_and_the_profile_or_in_none() {
    use lightstick::core::journal::{JOURNAL_FILE, apply_pending};
    use lightstick::core::records::ScoreBook;
    use lightstick::core::save::load_ron;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path();
    let mut saved = 0;
    for (round, wait) in kill_moments(100).enumerate() {
        let printed = run_and_kill(&["stress-play", folder.to_str().unwrap()], wait);
        saved = printed
            .iter()
            .filter_map(|l| l.strip_prefix("saved ")?.parse::<usize>().ok())
            .max()
            .unwrap_or(saved);
        // What the next start does: finish the journal a kill cut short.
        let (_, messages) = apply_pending(&folder.join(JOURNAL_FILE), &|_| Vec::new());
        assert!(
            messages.is_empty(),
            "round {round}: finishing the journal said {messages:?}"
        );
        let book = load_ron::<ScoreBook>(&folder.join("scores.ron"));
        let in_book = book.value.best("stress", "Hard").map_or(0, |r| r.plays) as usize;
        let replays = std::fs::read_dir(folder.join("replays")).map_or(0, |entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "ron"))
                .count()
        });
        let (profile, notes) = load_profile(&folder.join("profile.ron"));
        let in_profile = profile.progress.plays as usize;
        assert!(
            in_book == replays && replays == in_profile,
            "round {round}: the score book counts {in_book} plays, the replays {replays}, the profile {in_profile} ({:?} {notes:?})",
            book.problems
        );
        assert!(
            in_book >= saved,
            "round {round}: {saved} plays were reported saved, {in_book} are"
        );
    }
    // That the kills landed among real saves, however busy the machine is.
    assert!(saved >= 20, "the children saved only {saved} plays in all");
}

#[test]
fn a_file_and_its_backup_both_parse_after_a_kill_at_any_moment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.ron");
    let backup = lightstick::core::save::backup_path(&path);
    for (round, wait) in kill_moments(100).enumerate() {
        run_and_kill(&["stress-save", path.to_str().unwrap()], wait);
        for file in [&path, &backup] {
            if !file.exists() {
                continue;
            }
            let text = std::fs::read_to_string(file).unwrap();
            assert!(
                lightstick::core::profile::parse_profile(&text).is_ok(),
                "round {round}: {} does not parse after a kill:\n{text}",
                file.display()
            );
        }
    }
    assert!(backup.exists(), "the saves never made a backup");
}
