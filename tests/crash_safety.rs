//! Nothing a player earned is lost to a crash: a child process saving its profile over and over
//! is killed at 200 random moments, and after every kill the profile loads and holds every
//! unlock the child had reported saved.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lightstick::core::profile::load_profile;

#[test]
fn killing_a_save_at_any_moment_never_loses_an_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.ron");
    // A fixed sequence of "random" moments, so a failure can be run again.
    let mut seed: u64 = 0x5eed_1234;
    let mut saved_before = 0usize;
    for round in 0..200 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let wait = Duration::from_micros(2_000 + (seed >> 33) % 30_000);
        let mut child = Command::new(env!("CARGO_BIN_EXE_lightstick"))
            .args(["stress-save", path.to_str().unwrap()])
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
        let reported = BufReader::new(child.stdout.take().unwrap())
            .lines()
            .map_while(Result::ok)
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
