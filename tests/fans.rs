//! A finished play earns fan points and merch for the profile, shown on the results and saved
//! at once.

mod common;

use std::time::Duration;

use common::{TestGame, load_test_level};
use lightstick::core::profile::load_profile;
use lightstick::gameplay::{LastPlay, PlayMode};
use lightstick::screens::Screen;

#[test]
fn a_first_play_earns_fan_points_and_the_starter_lightstick() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    game.start(level, "Normal", PlayMode::Normal);
    let mut frames = 0;
    while game.screen() == Screen::Gameplay && frames < 2000 {
        game.frame_after(Duration::from_millis(16));
        frames += 1;
    }
    assert_eq!(game.screen(), Screen::Results);
    let last = game.app.world().resource::<LastPlay>();
    let earned = last.earned.as_ref().expect("a real play earns");
    assert!(
        earned.unlocked.iter().any(|n| n == "Starter Lightstick"),
        "{earned:?}"
    );
    let (profile, messages) = load_profile(&common::profile_home(&data).join("profile.ron"));
    assert!(messages.is_empty(), "{messages:?}");
    assert!(profile.unlocked.contains("stick-starter"));
    assert_eq!(profile.progress.plays, 1);
    assert_eq!(profile.progress.fan_points_earned, earned.fan_points);
}
