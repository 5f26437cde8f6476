//! The input timing harness. Starts the game under X (Xvfb in CI) straight into gameplay, injects
//! key presses through XTEST at a fixed period, and reads back the press times the game recorded
//! in its replay. Prints the standard deviation and 99th percentile of the interval error for
//! the thread-stamped path and the frame-stamped path, in the same run.
//!
//! Two figures per path: the error against the injection period (everything between the harness
//! and the replay, including the X server, which under a software-rendered game is busy and
//! delivers events late), and the error against the X server's own timestamps of the same
//! events (what the game itself adds; those timestamps have 1 ms steps, worth about 0.4 ms of
//! interval std on their own).
//!
//! `cargo bench --profile dev --bench input_timing` with `DISPLAY` set and `xdotool` installed
//! (it finds and focuses the window). A sound server makes the run use the audio clock, as a
//! player's game would.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use lightstick::core::judge::Action;
use lightstick::core::replay::{ReplayFile, read_replay};
use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xinput::{self, ConnectionExt as _};
use x11rb::protocol::xproto::{ConnectionExt as _, InputFocus};
use x11rb::protocol::xtest::ConnectionExt as _;

const PERIOD: Duration = Duration::from_millis(250);
const PRESSES: usize = 120;
/// X key code of D, lane 0 of a 4-lane chart by default.
const KEY_D: u8 = 40;
const SONG_BARS: u32 = 20;

fn main() {
    if std::env::var_os("DISPLAY").is_none() {
        eprintln!("input_timing: needs an X display (start Xvfb as scripts/test does)");
        std::process::exit(1);
    }
    let root = std::env::temp_dir().join(format!("lightstick-harness-{}", std::process::id()));
    let levels = root.join("levels");
    make_level(&levels.join("metronome"));
    let mut report = Vec::new();
    for mode in ["precise", "frame"] {
        let data = root.join(mode);
        match run(mode, &levels, &data) {
            Ok((against_period, against_server)) => {
                report.push((mode, stats(&against_period), stats(&against_server)))
            }
            Err(e) => {
                eprintln!("input_timing: {mode}: {e}");
                std::process::exit(1);
            }
        }
    }
    for (mode, (n, std, p99), (_, server_std, server_p99)) in &report {
        println!(
            "input {mode:>7}: {n} intervals of {} ms: error std {std:.3} ms, p99 {p99:.3} ms; \
             against the X server's timestamps std {server_std:.3} ms, p99 {server_p99:.3} ms",
            PERIOD.as_millis()
        );
    }
    if let [
        (_, (_, precise, _), (_, precise_server, _)),
        (_, (_, frame, _), (_, frame_server, _)),
    ] = report.as_slice()
    {
        println!(
            "thread-stamped is {:.1}x tighter than frame-stamped ({:.1}x against the server's timestamps)",
            frame / precise,
            frame_server / precise_server
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

fn make_level(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    // The level plays its song sheet, rendered (and cached) by the game as any level's is.
    std::fs::write(
        dir.join("song.ron"),
        format!(
            "(bpm: 120.0, chords: [\"C\", \"G\"],
              grooves: {{\"beat\": (kick: \"x...x...x...x...\", snare: \"....x.......x...\",
                                   hat: \"..x...x...x...x.\")}},
              sections: [(kind: verse, bars: {SONG_BARS}, pad: true, drums: \"beat\")])"
        ),
    )
    .unwrap();
    // A note on lane 3 every bar keeps the play going; the presses on lane 0 are ghost taps.
    let notes: Vec<String> = (1..SONG_BARS)
        .map(|bar| format!("(beat: {}.0, lane: 3)", bar * 4))
        .collect();
    std::fs::write(
        dir.join("level.ron"),
        format!(
            "(format: 1, title: \"Metronome\", artist: \"Harness\", audio: \"song.ron\",
              timing: (bpms: [(beat: 0.0, bpm: 120.0)]),
              charts: [(difficulty: \"Harness\", meter: 1, lanes: 4, notes: [{}])])",
            notes.join(", ")
        ),
    )
    .unwrap();
}

/// Runs the game in `mode`, injects the presses, and returns the interval errors in ms against
/// the period and against the X server's timestamps of the same presses.
fn run(mode: &str, levels: &Path, data: &Path) -> Result<(Vec<f64>, Vec<f64>), String> {
    let server_times = listen_to_server();
    let song_seconds = f64::from(SONG_BARS) * 2.0 + 1.0;
    let mut game = Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .args(["--input", mode, "--levels"])
        .arg(levels)
        .arg("--data-dir")
        .arg(data)
        .args(["play", "metronome", "--no-fail", "--exit-after"])
        .arg(format!("{}", song_seconds + 8.0))
        .env("RUST_LOG", "warn")
        .spawn()
        .map_err(|e| format!("cannot start the game: {e}"))?;
    let outcome = inject(&mut game);
    let status = game.wait().map_err(|e| e.to_string())?;
    outcome?;
    if !status.success() {
        return Err(format!("the game exited with {status}"));
    }
    let replay = find_replay(&data.join("replays/metronome"))?;
    let ReplayFile::Full(replay) = read_replay(&replay).map_err(|d| d.to_string())? else {
        return Err("not a full replay".into());
    };
    let presses: Vec<f64> = replay
        .events
        .iter()
        .filter(|e| e.1 == 0 && e.2 == Action::Press)
        .map(|e| e.0)
        .collect();
    if presses.len() < PRESSES * 9 / 10 {
        return Err(format!(
            "only {} of {PRESSES} presses were recorded",
            presses.len()
        ));
    }
    let period_ms = PERIOD.as_secs_f64() * 1000.0;
    // A press the game missed shows as a double gap: measure each gap against its whole
    // number of periods.
    let against_period = presses
        .windows(2)
        .map(|w| {
            let gap = w[1] - w[0];
            gap - (gap / period_ms).round() * period_ms
        })
        .collect();
    let server: Vec<f64> = server_times
        .lock()
        .map_err(|_| "listener failed")?
        .iter()
        .map(|t| f64::from(*t))
        .collect();
    Ok((against_period, against_server(&presses, &server)))
}

/// Pairs each recorded press with the X server's press it came from (the pairing whose
/// differences agree best), and returns the interval error of consecutive pairs.
fn against_server(game: &[f64], server: &[f64]) -> Vec<f64> {
    let pairs_for = |shift: i64| -> Vec<(f64, f64)> {
        game.iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let j = i as i64 + shift;
                (j >= 0)
                    .then(|| server.get(j as usize).map(|x| (*g, *x)))
                    .flatten()
            })
            .collect()
    };
    let spread = |pairs: &[(f64, f64)]| {
        let d: Vec<f64> = pairs.iter().map(|(g, x)| g - x).collect();
        let mean = d.iter().sum::<f64>() / d.len().max(1) as f64;
        d.iter().map(|v| (v - mean).abs()).fold(0.0, f64::max)
    };
    let best = (-3..=3)
        .map(pairs_for)
        .filter(|p| p.len() > game.len() / 2)
        .min_by(|a, b| spread(a).total_cmp(&spread(b)))
        .unwrap_or_default();
    let d: Vec<f64> = best.iter().map(|(g, x)| g - x).collect();
    let mut sorted = d.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0.0);
    // Past the first missed press the rest pair up one server press later: keep the pairs
    // that agree with the run as a whole.
    let kept: Vec<f64> = d
        .into_iter()
        .filter(|v| (v - median).abs() < 100.0)
        .collect();
    kept.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Collects the X server's timestamps (ms) of every press of the harness's key, from now on.
fn listen_to_server() -> std::sync::Arc<std::sync::Mutex<Vec<u32>>> {
    let times = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (conn, screen) = x11rb::connect(None).expect("X display");
    conn.xinput_xi_query_version(2, 0).unwrap().reply().unwrap();
    let root = conn.setup().roots[screen].root;
    conn.xinput_xi_select_events(
        root,
        &[xinput::EventMask {
            deviceid: 1,
            mask: vec![xinput::XIEventMask::RAW_KEY_PRESS],
        }],
    )
    .unwrap()
    .check()
    .unwrap();
    conn.flush().unwrap();
    let collected = times.clone();
    std::thread::spawn(move || {
        while let Ok(event) = conn.wait_for_event() {
            if let Event::XinputRawKeyPress(e) = event
                && e.detail == u32::from(KEY_D)
                && let Ok(mut times) = collected.lock()
            {
                times.push(e.time);
            }
        }
    });
    times
}

fn inject(game: &mut Child) -> Result<(), String> {
    let window = find_window(game)?;
    let (conn, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
    let root = conn.setup().roots[screen].root;
    conn.set_input_focus(InputFocus::POINTER_ROOT, window, x11rb::CURRENT_TIME)
        .map_err(|e| e.to_string())?;
    conn.flush().map_err(|e| e.to_string())?;
    // Let the count-in pass and the music start.
    std::thread::sleep(Duration::from_secs(4));
    let start = Instant::now() + Duration::from_millis(100);
    for i in 0..PRESSES {
        let due = start + PERIOD * i as u32;
        wait_until(due);
        conn.xtest_fake_input(2, KEY_D, x11rb::CURRENT_TIME, root, 0, 0, 0)
            .map_err(|e| e.to_string())?;
        conn.flush().map_err(|e| e.to_string())?;
        wait_until(due + Duration::from_millis(40));
        conn.xtest_fake_input(3, KEY_D, x11rb::CURRENT_TIME, root, 0, 0, 0)
            .map_err(|e| e.to_string())?;
        conn.flush().map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Sleeps most of the way, then spins: `sleep` alone wakes up to a millisecond late.
fn wait_until(due: Instant) {
    loop {
        let now = Instant::now();
        if now >= due {
            return;
        }
        let left = due - now;
        if left > Duration::from_millis(2) {
            std::thread::sleep(left - Duration::from_millis(2));
        } else {
            std::hint::spin_loop();
        }
    }
}

fn find_window(game: &mut Child) -> Result<u32, String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = game.try_wait() {
            return Err(format!("the game exited early with {status}"));
        }
        let found = Command::new("xdotool")
            .args(["search", "--name", "^Lightstick$"])
            .output()
            .map_err(|e| format!("xdotool is needed to find the window: {e}"))?;
        if let Some(id) = String::from_utf8_lossy(&found.stdout)
            .lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
        {
            return Ok(id);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err("the game window never appeared".into())
}

fn find_replay(dir: &Path) -> Result<PathBuf, String> {
    std::fs::read_dir(dir)
        .map_err(|e| format!("no replay was saved in {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "ron"))
        .ok_or_else(|| format!("no replay in {}", dir.display()))
}

/// (count, standard deviation, 99th percentile of the absolute error), in ms.
fn stats(errors: &[f64]) -> (usize, f64, f64) {
    let n = errors.len() as f64;
    let mean = errors.iter().sum::<f64>() / n;
    let std = (errors.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / n).sqrt();
    let mut sorted: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
    sorted.sort_by(f64::total_cmp);
    let p99 = sorted[((sorted.len() as f64 * 0.99).ceil() as usize).min(sorted.len()) - 1];
    (errors.len(), std, p99)
}
