//! What the player earned survives bad files: a corrupt settings or scores file is kept aside
//! and reported, the backup is used when there is one, and nothing is silently overwritten.
//! Files of the older layout (at the top of the data folder) move into the first profile.

mod common;

use common::{TestGame, profile_home};
use lightstick::settings::Settings;

fn kept_aside(dir: &std::path::Path, name: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!("{name}.corrupt-")))
        .collect()
}

#[test]
fn corrupt_settings_and_scores_are_kept_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("settings.ron"),
        "(volume: 0.5,\n scroll: Sideways(3))",
    )
    .unwrap();
    std::fs::write(data.join("scores.ron"), "{{{ not ron").unwrap();

    let mut game = TestGame::new(&data, vec![]);
    let notices = game.notices();
    assert!(
        notices.iter().any(|n| n.contains("moved your scores")),
        "the move of the older files into a profile is said: {notices:?}"
    );
    assert!(
        notices
            .iter()
            .any(|n| n.contains("settings.ron:2:") && n.contains("kept as")),
        "{notices:?}"
    );
    assert!(
        notices.iter().any(|n| n.contains("scores.ron:1:")),
        "{notices:?}"
    );
    let home = profile_home(&data);
    assert_eq!(kept_aside(&home, "settings.ron").len(), 1);
    assert_eq!(kept_aside(&home, "scores.ron").len(), 1);
    assert_eq!(
        *game.app.world().resource::<Settings>(),
        Settings::default()
    );

    // Changing a setting saves a fresh file; the corrupt one stays where it was put.
    game.app.world_mut().resource_mut::<Settings>().volume = 0.3;
    game.frame_after(std::time::Duration::from_millis(16));
    game.frame_after(std::time::Duration::from_millis(600));
    let saved = std::fs::read_to_string(home.join("settings.ron")).unwrap();
    assert!(saved.contains("volume: 0.3"), "{saved}");
    assert_eq!(kept_aside(&home, "settings.ron").len(), 1);
}

#[test]
fn a_corrupt_file_falls_back_to_its_backup() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut settings = Settings {
        audio_offset_ms: 42.0,
        ..Settings::default()
    };
    lightstick::core::save::save_ron(&data.join("settings.ron"), &settings).unwrap();
    settings.audio_offset_ms = 43.0;
    lightstick::core::save::save_ron(&data.join("settings.ron"), &settings).unwrap();
    // A crash or a bad edit leaves the file broken; its backup holds the previous save.
    std::fs::write(data.join("settings.ron"), "(audio_offset_ms: ").unwrap();
    let game = TestGame::new(&data, vec![]);
    assert_eq!(
        game.app.world().resource::<Settings>().audio_offset_ms,
        42.0
    );
}

#[test]
fn a_change_made_just_before_quitting_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![]);
    game.frame_after(std::time::Duration::from_secs(1));
    game.app
        .world_mut()
        .resource_mut::<Settings>()
        .audio_offset_ms = 17.0;
    game.frame_after(std::time::Duration::from_millis(16));
    game.app
        .world_mut()
        .resource_mut::<Settings>()
        .audio_offset_ms = 18.0;
    game.app
        .world_mut()
        .write_message(bevy::app::AppExit::Success);
    game.frame_after(std::time::Duration::from_millis(16));
    let saved = std::fs::read_to_string(profile_home(&data).join("settings.ron")).unwrap();
    assert!(saved.contains("audio_offset_ms: 18.0"), "{saved}");
}

#[test]
fn hand_edited_settings_out_of_range_are_brought_back_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.ron");
    std::fs::write(&path, "(volume: 7.0, judge_difficulty: 40)").unwrap();
    let (settings, problems) = lightstick::settings::load(&path);
    assert_eq!(settings.volume, 1.0);
    assert_eq!(settings.judge_difficulty, 9);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("settings.ron") && p.contains("volume, judge_difficulty")),
        "{problems:?}"
    );
    // A file the game wrote itself says nothing.
    lightstick::core::save::save_ron(&path, &Settings::default()).unwrap();
    assert!(lightstick::settings::load(&path).1.is_empty());
}
