//! Song after song in one process, cycling levels, one player, versus and the group stage:
//! memory at the end stays within 5 % of memory after the first song. The hundred-song soak in
//! the window is `lightstick soak --songs 100` (docs/robustness.md); this is its short form.

use std::process::Command;

#[test]
fn a_short_soak_keeps_its_memory() {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lightstick"))
        .args(["soak", "--songs", "15", "--headless"])
        .env("LIGHTSTICK_DATA_DIR", data.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the game runs");
    let out = String::from_utf8_lossy(&output.stdout);
    let songs = out.lines().filter(|l| l.starts_with("soak: song ")).count();
    assert_eq!(songs, 15, "{out}");
    for shape in ["one player", "versus, 4 players", "group of 3"] {
        assert!(
            out.contains(shape),
            "the soak cycles through `{shape}`:\n{out}"
        );
    }
    assert!(
        output.status.success(),
        "memory grew by more than 5 %:\n{out}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
