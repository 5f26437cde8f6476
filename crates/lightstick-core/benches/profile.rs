//! Saving a well-played profile: 1,000 best scores and 200 replays of two-minute songs, each
//! written the way the game writes them (atomically, with a backup). Prints the time of each
//! save, the size of each file and of the whole profile folder, and the time to load the
//! shipped merch catalog and festival tour.
//!
//! `cargo bench -p lightstick-core --bench profile`: a release build of the core alone.

use std::path::Path;
use std::time::{Duration, Instant};

use lightstick_core::judge::{Action, JudgeSettings};
use lightstick_core::merch::{ChartBest, read_catalog};
use lightstick_core::profile::{Profile, load_profile, save_profile};
use lightstick_core::records::ScoreBook;
use lightstick_core::replay::{REPLAY_FORMAT, Replay, ReplayEvent, to_ron};
use lightstick_core::save::{save_ron, write_atomic};
use lightstick_core::score::{Grade, PlayResult};
use lightstick_core::tour::{KnownLevel, read_tour};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        folder_size(&path)
                    } else {
                        e.metadata().map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn result(i: usize) -> PlayResult {
    PlayResult {
        score: 900_000 + (i as u32 * 37) % 100_000,
        accuracy: 95.0 + (i % 50) as f64 / 10.0,
        grade: Grade::S,
        max_combo: 400 + i as u32 % 300,
        counts: Default::default(),
        full_combo: i.is_multiple_of(3),
        all_perfect: false,
        failed: false,
        notes: 700,
        holds: 40,
        mines: 0,
        hit_error: Default::default(),
    }
}

/// A two-minute Expert play: about 8 notes a second, each pressed and released.
fn replay(i: usize) -> Replay {
    let events = (0..960)
        .flat_map(|n| {
            let t = 2000.0 + n as f64 * 125.0 + (n * 7 % 13) as f64 * 0.731;
            let lane = (n % 4) as u8;
            [
                ReplayEvent(t, lane, Action::Press),
                ReplayEvent(t + 60.0, lane, Action::Release),
            ]
        })
        .collect();
    Replay {
        format: REPLAY_FORMAT,
        level: format!("level-{:03}", i % 40),
        difficulty: "Expert".into(),
        player: "Yuna".into(),
        settings: JudgeSettings::default(),
        played_at: 1_790_000_000 + i as u64,
        events,
        result: Some(result(i)),
        group_member: None,
        group_members: None,
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let home = dir.path().join("profiles/yuna");
    std::fs::create_dir_all(&home).expect("the profile folder");

    // 1,000 best scores: 250 levels of four charts, as the score book and as fan progress.
    let mut book = ScoreBook::default();
    let mut profile = Profile {
        name: "Yuna".into(),
        ..Profile::default()
    };
    for i in 0..1000 {
        let level = format!("level-{:03}", i / 4);
        let difficulty = ["Easy", "Normal", "Hard", "Expert"][i % 4];
        book.record(&level, difficulty, result(i), 1_790_000_000 + i as u64);
        profile.progress.charts.entry(level).or_default().insert(
            difficulty.into(),
            ChartBest {
                meter: 2 + (i % 4) as u32 * 2,
                cleared: Some(Grade::S),
                full_combo: i.is_multiple_of(3),
                all_perfect: i.is_multiple_of(7),
            },
        );
    }
    profile.progress.plays = 3000;
    for i in 0..36 {
        profile.unlocked.insert(format!("item-{i:02}"));
    }

    let runs = 21;
    let timed = |f: &mut dyn FnMut()| {
        median(
            (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    f();
                    start.elapsed()
                })
                .collect(),
        )
    };
    let scores_path = home.join("scores.ron");
    let profile_path = home.join("profile.ron");
    let scores_time = timed(&mut || save_ron(&scores_path, &book).expect("scores saved"));
    let profile_time = timed(&mut || save_profile(&profile_path, &profile).expect("profile saved"));

    let replays = home.join("replays");
    let texts: Vec<String> = (0..200).map(|i| to_ron(&replay(i))).collect();
    let start = Instant::now();
    for (i, text) in texts.iter().enumerate() {
        write_atomic(
            &replays.join(format!("level-{:03}/expert-{i}.ron", i % 40)),
            text,
        )
        .expect("replay saved");
    }
    let all_replays = start.elapsed();
    let one_replay = timed(&mut || {
        write_atomic(&replays.join("level-000/expert-new.ron"), &texts[0]).expect("replay saved")
    });
    let load_time = timed(&mut || {
        let (loaded, _) = load_profile(&profile_path);
        assert_eq!(loaded.progress.charts.len(), 250);
    });

    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    println!("profile with 1,000 scores and 200 replays ({runs} runs each, median):");
    println!(
        "  scores.ron   {:>8.1} KB  saved in {:>7.2} ms",
        size(&scores_path) as f64 / 1024.0,
        scores_time.as_secs_f64() * 1000.0
    );
    println!(
        "  profile.ron  {:>8.1} KB  saved in {:>7.2} ms, loaded in {:.2} ms",
        size(&profile_path) as f64 / 1024.0,
        profile_time.as_secs_f64() * 1000.0,
        load_time.as_secs_f64() * 1000.0
    );
    println!(
        "  one replay   {:>8.1} KB  saved in {:>7.2} ms (1,920 events)",
        texts[0].len() as f64 / 1024.0,
        one_replay.as_secs_f64() * 1000.0
    );
    println!(
        "  200 replays  {:>8.1} KB  saved in {:>7.2} ms",
        texts.iter().map(String::len).sum::<usize>() as f64 / 1024.0,
        all_replays.as_secs_f64() * 1000.0
    );
    println!(
        "  whole folder {:>8.1} KB (with each file's backup)",
        folder_size(&home) as f64 / 1024.0
    );
    println!(
        "  after a play the game saves scores.ron, profile.ron and one replay: {:.2} ms",
        (scores_time + profile_time + one_replay).as_secs_f64() * 1000.0
    );

    // The shipped catalog and tour, checked against the shipped levels' names.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let levels: Vec<KnownLevel> = lightstick_core::level::discover_levels(&[root.join("levels")])
        .iter()
        .map(|report| KnownLevel::of(&lightstick_core::level::cache::LevelSummary::of(report)))
        .collect();
    let slugs: Vec<String> = levels.iter().map(|l| l.slug.clone()).collect();
    let catalog = root.join("assets/merch/catalog.ron");
    let mut items = 0;
    let catalog_time = timed(&mut || {
        let (read, warnings) = read_catalog(&catalog, &slugs);
        assert!(warnings.is_empty());
        items = read.len();
    });
    let tour = root.join("assets/tours/festival.ron");
    let tour_time = timed(&mut || {
        let (read, warnings) = read_tour(&tour, &levels);
        assert!(read.is_some() && warnings.is_empty());
    });
    println!(
        "catalog: {items} items read and checked in {:.3} ms; tour in {:.3} ms",
        catalog_time.as_secs_f64() * 1000.0,
        tour_time.as_secs_f64() * 1000.0
    );
}
