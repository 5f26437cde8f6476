//! The real game in a real window (under Xvfb in CI): gameplay renders something a player can
//! see, for one player and for four side by side; the collection binder draws its items. Needs a display; `scripts/test` and
//! `.ci/run` provide one.

mod common;

use std::process::Command;

/// A screenshot's size, and per quarter of its width how many bright pixels it has.
struct Shot {
    width: u32,
    height: u32,
    colours: usize,
    bright_by_quarter: [usize; 4],
    /// Every pixel's colour, row by row.
    pixels: Vec<[u8; 3]>,
}

/// One game window at a time: two software-rendered games at once on two cores make every
/// frame slow and the screenshots' moments uncertain.
static ONE_WINDOW: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs the game to the end. Under load Xvfb has now and then refused a new connection
/// ("Failed to build event loop", XOpenDisplayFailed) while other windows closed; that is the
/// test machine's display, not the game, so such a start is tried again, up to three times.
fn run_game(command: impl Fn() -> Command) -> std::process::Output {
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut attempts = 0;
    loop {
        let output = command().output().expect("the game starts");
        attempts += 1;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.success()
            || attempts == 3
            || !stderr.contains("Failed to build event loop")
        {
            return output;
        }
        eprintln!("the display refused the window; trying again:\n{stderr}");
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

fn screenshot(args: &[&str]) -> Shot {
    assert!(
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
        "this test opens a window: run it through scripts/test, which starts Xvfb"
    );
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("gameplay.png");
    let output = run_game(|| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lightstick"));
        command
            .args(args)
            .args([
                "--autoplay",
                "--screenshot",
                shot.to_str().unwrap(),
                "--screenshot-after",
                "6",
                "--exit-after",
                "10",
            ])
            .env("LIGHTSTICK_DATA_DIR", dir.path().join("data"))
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        command
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(shot.is_file(), "no screenshot was written:\n{stderr}");
    read_shot(&shot)
}

fn read_shot(shot: &std::path::Path) -> Shot {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    let mut colours = std::collections::HashSet::new();
    let mut bright_by_quarter = [0usize; 4];
    let mut all = Vec::with_capacity((info.width * info.height) as usize);
    for (i, px) in pixels.chunks(channels).enumerate() {
        all.push([px[0], px[1], px[2]]);
        colours.insert((px[0], px[1], px[2]));
        if px[0].max(px[1]).max(px[2]) > 150 {
            let x = i as u32 % info.width;
            bright_by_quarter[(x * 4 / info.width) as usize] += 1;
        }
    }
    Shot {
        width: info.width,
        height: info.height,
        colours: colours.len(),
        bright_by_quarter,
        pixels: all,
    }
}

#[test]
fn gameplay_screenshot_is_not_blank() {
    let shot = screenshot(&["play", "neon-heartbeat", "--difficulty", "Normal"]);
    assert!(
        shot.width >= 640 && shot.height >= 360,
        "{}x{}",
        shot.width,
        shot.height
    );
    // The background is one dark colour; notes, receptors and text add many bright ones.
    let total = (shot.width * shot.height) as usize;
    let bright: usize = shot.bright_by_quarter.iter().sum();
    assert!(
        shot.colours > 50,
        "only {} colours: the frame is blank",
        shot.colours
    );
    assert!(
        bright > total / 500,
        "only {bright} bright pixels of {total}"
    );
}

#[test]
fn four_players_get_four_highways_side_by_side() {
    let shot = screenshot(&[
        "play",
        "neon-heartbeat",
        "--players",
        "4",
        "-d",
        "Easy",
        "-d",
        "Normal",
        "-d",
        "Hard",
        "-d",
        "Expert",
    ]);
    assert!(shot.colours > 50, "only {} colours", shot.colours);
    // Each quarter of the screen holds a player's highway, receptors and score.
    let total = (shot.width * shot.height) as usize;
    for (quarter, bright) in shot.bright_by_quarter.iter().enumerate() {
        assert!(
            *bright > total / 4000,
            "quarter {} has only {bright} bright pixels: {:?}",
            quarter + 1,
            shot.bright_by_quarter
        );
    }
}

#[test]
fn every_venue_puts_a_stage_behind_the_notes() {
    // The same moment of the same song, autoplayed: only the stage differs.
    let base = ["play", "venom-crown", "--difficulty", "Hard"];
    let off = screenshot(&[&base[..], &["--stage", "off"]].concat());
    for venue in ["fan_fest_hall", "awards_stage", "festival_showcase"] {
        let shot = screenshot(&[&base[..], &["--stage", "full", "--venue", venue]].concat());
        let differing = shot
            .pixels
            .iter()
            .zip(&off.pixels)
            .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 24))
            .count();
        let total = off.pixels.len();
        // The idol, the crowd's lightsticks and the venue's lights cover thousands of pixels
        // even in a quiet intro; a stage that drew nothing would differ by none.
        assert!(
            differing > total / 100,
            "{venue}: only {differing} of {total} pixels differ from the stage turned off"
        );
        // The highway is glass: the stage shows through the middle of the screen, where the
        // highway stands, too.
        let (w, h) = (shot.width as usize, shot.height as usize);
        let inside = |i: usize| {
            let (x, y) = (i % w, i / w);
            x > w * 2 / 5 && x < w * 3 / 5 && y > h / 5 && y < h * 3 / 4
        };
        let through = shot
            .pixels
            .iter()
            .zip(&off.pixels)
            .enumerate()
            .filter(|(i, (a, b))| {
                inside(*i) && a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 12)
            })
            .count();
        let middle = (0..total).filter(|i| inside(*i)).count();
        assert!(
            through > middle / 50,
            "{venue}: behind the highway only {through} of {middle} pixels show the stage"
        );
    }
}

/// The share of pixels that differ clearly between two shots of one size, in the stage beside
/// the highway and below the score (right of 2/3 of the width, 42 % to 78 % down), where
/// neither the notes nor the text are.
fn stage_differing_share(a: &Shot, b: &Shot) -> f64 {
    let (w, h) = (a.width as usize, a.height as usize);
    let beside = |i: usize| {
        let (x, y) = (i % w, i / w);
        x > w * 2 / 3 && y > h * 42 / 100 && y < h * 78 / 100
    };
    let (mut differing, mut total) = (0, 0);
    for (i, (p, q)) in a.pixels.iter().zip(&b.pixels).enumerate() {
        if beside(i) {
            total += 1;
            if p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > 24) {
                differing += 1;
            }
        }
    }
    differing as f64 / total as f64
}

#[test]
fn the_screenshot_tour_pictures_every_venue_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_game(|| {
        let mut command = Command::new("bash");
        command
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/screenshots"))
            .arg(dir.path())
            .env("LIGHTSTICK_BIN", env!("CARGO_BIN_EXE_lightstick"));
        command
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let shots: Vec<(&str, Shot)> = [
        "venue-fan-fest-hall",
        "venue-awards-stage",
        "venue-festival-showcase",
        "versus-4-players",
        "group-stage",
        "full-combo",
    ]
    .into_iter()
    .map(|name| (name, read_shot(&dir.path().join(format!("{name}.png")))))
    .collect();
    for (name, shot) in &shots {
        assert_eq!((shot.width, shot.height), (1280, 720), "{name}");
        assert!(
            shot.colours > 500,
            "{name} is nearly blank: {} colours",
            shot.colours
        );
    }
    // The same moment of the same song: beside the highway, the venues differ in their layout,
    // not in a few lights.
    for i in 0..3 {
        for j in i + 1..3 {
            let share = stage_differing_share(&shots[i].1, &shots[j].1);
            assert!(
                share > 0.15,
                "{} and {} differ in only {:.1} % of their pixels",
                shots[i].0,
                shots[j].0,
                share * 100.0
            );
        }
    }
}

#[test]
fn the_collection_binder_shows_owned_art_and_locked_silhouettes() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("data/profiles/yuna");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join("profile.ron"),
        r#"(schema: 2, name: "Yuna", progress: (plays: 3, fan_points: 2400, fan_points_earned: 2400),
            unlocked: ["stick-starter", "stick-neon", "stick-prism"],
            equipped: {"lightstick": "stick-neon"})"#,
    )
    .unwrap();
    let shot_path = dir.path().join("collection.png");
    let output = run_game(|| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lightstick"));
        command
            .args(["--profile", "Yuna", "show", "collection"])
            .args(["--item", "stick-neon"])
            .args(["--screenshot", shot_path.to_str().unwrap()])
            .args(["--screenshot-after", "3", "--exit-after", "5"])
            .env("LIGHTSTICK_DATA_DIR", dir.path().join("data"))
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        command
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let shot = read_shot(&shot_path);
    assert!(shot.colours > 200, "only {} colours", shot.colours);
    // The neon stick's pink heart glows in its pocket and in the detail view.
    let pink = shot
        .pixels
        .iter()
        .filter(|[r, g, b]| *r > 220 && *g < 120 && *b > 140)
        .count();
    assert!(pink > 2000, "only {pink} pink pixels of the neon stick");
    // Locked lightsticks are drawn in the silhouette colour.
    let silhouette = shot.pixels.iter().filter(|p| **p == [46, 38, 72]).count();
    assert!(silhouette > 1000, "only {silhouette} silhouette pixels");
}

/// Runs the game with `args` for `seconds` in a window of its own data folder; what it logged.
fn timed_run(args: &[&str], seconds: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let output = run_game(|| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lightstick"));
        command
            .args(args)
            .args(["--exit-after", seconds])
            .env("LIGHTSTICK_DATA_DIR", dir.path().join("data"))
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        command
    });
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

/// A level of `beats` quarter-note taps from beat 2 at 120 BPM on one Hard chart, in `dir`.
fn short_hard_level(dir: &std::path::Path, beats: u32) -> std::path::PathBuf {
    let taps: Vec<String> = (2..2 + beats)
        .map(|b| format!("(beat: {b}.0, lane: {})", b % 4))
        .collect();
    let source = format!(
        r#"(format: 1, title: "Too Fast", artist: "T", audio: "song.wav",
            timing: (offset: 0.0, bpms: [(beat: 0.0, bpm: 120.0)]),
            charts: [(difficulty: "Hard", meter: 9, lanes: 4, notes: [{}])])"#,
        taps.join(", ")
    );
    common::write_level(dir, "too-fast", &source, Some(24.0))
}

/// That a timed run's log saw each of `buttons` on `screen` inside the window, and no button
/// outside it.
fn assert_buttons_inside(log: &str, screen: &str, buttons: &[&str]) {
    for button in buttons {
        assert!(
            log.contains(&format!("button `{button}` on {screen} lies inside")),
            "`{button}` was not seen inside the window:\n{log}"
        );
    }
    assert!(!log.contains("lies outside the"), "{log}");
}

#[test]
fn a_failed_play_keeps_the_results_buttons_inside_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let level = short_hard_level(dir.path(), 38);
    // Nobody presses a key: five misses fail the Hard chart about 3 s in.
    let log = timed_run(&["play", level.to_str().unwrap(), "-d", "Hard"], "12");
    assert_buttons_inside(&log, "Results", &["Song list (Enter)", "Retry (R)"]);
}

#[test]
fn the_join_screen_keeps_its_buttons_inside_the_window() {
    let log = timed_run(&["show", "join"], "4");
    assert_buttons_inside(&log, "Join", &["◀ Back (Esc)", "Choose a song ▶ (Enter)"]);
}

#[test]
fn the_settings_tabs_lie_inside_the_window() {
    let log = timed_run(&["show", "settings"], "4");
    assert_buttons_inside(
        &log,
        "Settings",
        &[
            "◀ Back (Esc)",
            "Keys",
            "Timing",
            "Display",
            "Audio",
            "Profile",
        ],
    );
}

#[test]
fn the_versus_results_keep_their_buttons_inside_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let level = short_hard_level(dir.path(), 8);
    let level = level.to_str().unwrap();
    let log = timed_run(
        &[
            "play",
            level,
            "--players",
            "2",
            "-d",
            "Hard",
            "-d",
            "Hard",
            "--autoplay",
        ],
        "12",
    );
    assert_buttons_inside(&log, "Results", &["Song list (Enter)", "Retry (R)"]);
}
