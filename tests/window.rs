//! The real game in a real window (under Xvfb in CI): gameplay renders something a player can
//! see. Needs a display; `scripts/test` and `.ci/run` provide one.

mod common;

use std::process::Command;

#[test]
fn gameplay_screenshot_is_not_blank() {
    assert!(
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
        "this test opens a window: run it through scripts/test, which starts Xvfb"
    );
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("gameplay.png");
    let output = Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .args([
            "play",
            "neon-heartbeat",
            "--difficulty",
            "Normal",
            "--autoplay",
            "--screenshot",
            shot.to_str().unwrap(),
            "--screenshot-after",
            "6",
            "--exit-after",
            "10",
        ])
        .env("LIGHTSTICK_DATA_DIR", dir.path().join("data"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the game starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(shot.is_file(), "no screenshot was written:\n{stderr}");

    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    assert!(
        info.width >= 640 && info.height >= 360,
        "{}x{}",
        info.width,
        info.height
    );
    // The background is one dark colour; notes, receptors and text add many bright ones.
    let mut colours = std::collections::HashSet::new();
    let mut bright = 0usize;
    for px in pixels.chunks(channels) {
        colours.insert((px[0], px[1], px[2]));
        if px[0].max(px[1]).max(px[2]) > 150 {
            bright += 1;
        }
    }
    let total = (info.width * info.height) as usize;
    assert!(
        colours.len() > 50,
        "only {} colours: the frame is blank",
        colours.len()
    );
    assert!(
        bright > total / 500,
        "only {bright} bright pixels of {total}"
    );
}
