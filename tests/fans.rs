//! A finished play earns fan points and merch for the profile, shown on the results and saved
//! at once.

mod common;

use std::time::Duration;

use common::{TestGame, load_test_level};
use lightstick::core::profile::load_profile;
use lightstick::gameplay::PlayMode;
use lightstick::gameplay::record::LastPlay;
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

fn play_to_results(game: &mut TestGame) {
    let mut frames = 0;
    while game.screen() == Screen::Gameplay && frames < 2000 {
        game.frame_after(Duration::from_millis(16));
        frames += 1;
    }
    assert_eq!(game.screen(), Screen::Results);
}

#[test]
fn bought_and_worn_merch_is_what_the_player_plays_in() {
    use lightstick::fans::{Fans, Looks, MerchCatalog};
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    game.app
        .world_mut()
        .resource_scope(|world, mut fans: bevy::prelude::Mut<Fans>| {
            let catalog = world.resource::<MerchCatalog>();
            // Not enough points: nothing bought, nothing spent, nothing worn.
            fans.profile.progress.fan_points = 2999;
            assert!(
                fans.buy(catalog, "notes-stars")
                    .unwrap_err()
                    .contains("you have 2999")
            );
            assert!(fans.equip(catalog, "notes-stars", true).is_err());
            fans.profile.progress.fan_points = 5000;
            fans.profile.progress.fan_points_earned = 5000;
            fans.buy(catalog, "notes-stars").unwrap();
            fans.buy(catalog, "stick-lantern").unwrap();
            assert_eq!(fans.profile.progress.fan_points, 500);
            fans.equip(catalog, "notes-stars", true).unwrap();
            fans.equip(catalog, "stick-lantern", true).unwrap();
        });
    // Saved at once, and the purchase is in the file.
    let (saved, _) = load_profile(&common::profile_home(&data).join("profile.ron"));
    assert_eq!(saved.progress.fan_points, 500);
    assert_eq!(
        saved.equipped.get("note_skin").map(String::as_str),
        Some("notes-stars")
    );

    game.start(level, "Normal", PlayMode::Autoplay);
    let looks = game
        .app
        .world_mut()
        .query::<&Looks>()
        .single(game.app.world())
        .unwrap()
        .clone();
    assert_eq!(
        looks.note_skin.map(|i| i.id).as_deref(),
        Some("notes-stars")
    );
    assert_eq!(
        looks.lightstick.map(|i| i.id).as_deref(),
        Some("stick-lantern")
    );
    assert_eq!(looks.outfit, None);
}

#[test]
fn each_profile_keeps_its_own_scores_and_the_last_one_is_played_next_time() {
    use lightstick::core::profiles::create_profile;
    use lightstick::library::{GamePaths, Scores};
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    let mina = create_profile(&data, "Mina").unwrap();
    // A setting changed just before switching stays with the profile it was changed in.
    game.app
        .world_mut()
        .resource_mut::<lightstick::settings::Settings>()
        .audio_offset_ms = 21.0;
    game.frame_after(Duration::from_millis(16));
    let world = game.app.world_mut();
    lightstick::player_data::switch_profile(world, mina.clone());
    let saved = std::fs::read_to_string(common::profile_home(&data).join("settings.ron")).unwrap();
    assert!(saved.contains("audio_offset_ms: 21.0"), "{saved}");
    assert_eq!(
        world
            .resource::<lightstick::settings::Settings>()
            .audio_offset_ms,
        0.0,
        "Mina has settings of her own"
    );
    assert_eq!(world.resource::<GamePaths>().profile, mina);
    assert!(world.resource::<Scores>().book.charts.is_empty());
    game.start(level, "Normal", PlayMode::Normal);
    play_to_results(&mut game);
    let mina_home = data.join("profiles/mina");
    assert!(
        mina_home.join("scores.ron").is_file(),
        "Mina's score is hers"
    );
    assert!(mina_home.join("replays").is_dir());
    assert!(!common::profile_home(&data).join("scores.ron").exists());
    let (profile, _) = load_profile(&mina_home.join("profile.ron"));
    assert_eq!(profile.progress.plays, 1);

    // The next launch plays as Mina again.
    drop(game);
    let game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    assert_eq!(
        game.app.world().resource::<GamePaths>().profile.name,
        "Mina"
    );
    assert_eq!(game.app.world().resource::<Scores>().book.charts.len(), 1);
}

/// Two seats on the left and arrow keyboards, each playing as a profile.
fn play_together(
    game: &mut TestGame,
    level: lightstick::core::level::Level,
    seats: [(&str, lightstick::core::profiles::ProfileEntry); 2],
    judge: lightstick::core::judge::JudgeSettings,
    group: bool,
) {
    use lightstick::bindings::{Device, KeyboardLayout};
    use lightstick::gameplay::{PlayRequest, PlaySeat};
    let layouts = [KeyboardLayout::Left, KeyboardLayout::Arrows];
    join(game, &seats.clone().map(|(_, entry)| entry), &layouts);
    let world = game.app.world();
    let profiles: Vec<_> = (0..seats.len())
        .map(|seat| seat_profile(world, seat).expect("each seat plays as a profile"))
        .collect();
    game.play(PlayRequest {
        level: std::sync::Arc::new(level),
        chart: 0,
        judge,
        mode: PlayMode::Normal,
        seats: seats
            .into_iter()
            .zip(layouts)
            .zip(profiles)
            .map(|(((name, _), layout), profile)| PlaySeat {
                name: name.into(),
                chart: 0,
                judge,
                scroll: Default::default(),
                highway_opacity: lightstick::settings::DEFAULT_HIGHWAY_OPACITY,
                device: Device::Keyboard(layout),
                profile: Some(profile),
            })
            .collect(),
        group,
        part: None,
        practice: None,
    });
}

/// Seats players on the join screen's lineup, each taking a profile; one frame lets the game
/// read their profiles.
fn join(
    game: &mut TestGame,
    profiles: &[lightstick::core::profiles::ProfileEntry],
    layouts: &[lightstick::bindings::KeyboardLayout],
) {
    let settings = game
        .app
        .world()
        .resource::<lightstick::settings::Settings>()
        .clone();
    {
        let mut lineup = game
            .app
            .world_mut()
            .resource_mut::<lightstick::lineup::Lineup>();
        for (entry, layout) in profiles.iter().zip(layouts) {
            let device = lightstick::bindings::Device::Keyboard(*layout);
            let seat = lineup.join(device, &settings).unwrap();
            lineup.seats[seat].profile = Some(entry.clone());
            lineup.seats[seat].name = entry.name.clone();
        }
    }
    game.frame_after(Duration::from_millis(16));
}

/// A lineup seat's profile as the song list hands it to the play.
fn seat_profile(
    world: &bevy::prelude::World,
    seat: usize,
) -> Option<lightstick::fans::SeatProfile> {
    world.resource::<lightstick::fans::SeatProfiles>().for_seat(
        seat,
        world.resource::<lightstick::fans::Fans>(),
        world.resource::<lightstick::fans::MerchCatalog>(),
        world.resource::<lightstick::library::GamePaths>(),
    )
}

#[test]
fn a_seats_profile_is_read_when_the_seat_takes_it_and_not_again() {
    use lightstick::bindings::KeyboardLayout;
    use lightstick::core::profile::save_profile;
    use lightstick::core::profiles::create_profile;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    let kai = create_profile(&data, "Kai").unwrap();
    let kai_file = data.join("profiles/kai/profile.ron");
    let (mut profile, _) = load_profile(&kai_file);
    profile.unlocked.insert("stick-lantern".into());
    profile
        .equipped
        .insert("lightstick".into(), "stick-lantern".into());
    save_profile(&kai_file, &profile).unwrap();
    join(
        &mut game,
        &[first_profile(), kai],
        &[KeyboardLayout::Left, KeyboardLayout::Arrows],
    );
    // Kai's file changes after Kai joined: the seat keeps what it read when it was taken.
    std::fs::write(&kai_file, "not a profile").unwrap();
    game.frame_after(Duration::from_millis(16));
    let world = game.app.world();
    let looks = seat_profile(world, 1).unwrap().looks;
    assert_eq!(
        looks.lightstick.map(|item| item.id).as_deref(),
        Some("stick-lantern")
    );
    assert_eq!(seat_profile(world, 0).unwrap().entry, first_profile());
}

fn first_profile() -> lightstick::core::profiles::ProfileEntry {
    lightstick::core::profiles::ProfileEntry {
        slug: "player".into(),
        name: "Player".into(),
    }
}

#[test]
fn a_group_clear_counts_for_every_member_but_sets_no_chart_best() {
    use lightstick::core::judge::JudgeSettings;
    use lightstick::core::profiles::create_profile;
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    let kai = create_profile(&data, "Kai").unwrap();
    // No-fail: the group's bar cannot empty, so the group clears however it plays.
    let judge = JudgeSettings {
        no_fail: true,
        ..JudgeSettings::default()
    };
    play_together(
        &mut game,
        level,
        [("Player", first_profile()), ("Kai", kai)],
        judge,
        true,
    );
    play_to_results(&mut game);
    for home in [data.join("profiles/kai"), common::profile_home(&data)] {
        let (profile, _) = load_profile(&home.join("profile.ron"));
        assert_eq!(profile.progress.group_clears, 1, "{}", home.display());
        assert_eq!(profile.progress.versus_wins, 0);
        assert!(
            profile.progress.charts.is_empty(),
            "a member's lines are not a chart cleared"
        );
    }
}

#[test]
fn a_versus_win_is_recorded_in_the_winners_profile_only() {
    use bevy::prelude::KeyCode;
    use lightstick::core::judge::JudgeSettings;
    use lightstick::core::profiles::create_profile;
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let data = dir.path().join("data");
    let mut game = TestGame::new(&data, vec![dir.path().to_path_buf()]);
    let seri = create_profile(&data, "Seri").unwrap();
    play_together(
        &mut game,
        level,
        [("Player", first_profile()), ("Seri", seri)],
        JudgeSettings::default(),
        false,
    );
    // Seri hits the first note; Player hits nothing.
    game.press_at(KeyCode::ArrowLeft, 2.0);
    game.release_at(KeyCode::ArrowLeft, 2.1);
    play_to_results(&mut game);
    let last = game.app.world().resource::<LastPlay>();
    let together = last.together.as_ref().expect("a versus play");
    assert!(together.players.iter().all(|p| p.earned.is_some()));
    let (seri_profile, _) = load_profile(&data.join("profiles/seri/profile.ron"));
    let (player_profile, _) = load_profile(&common::profile_home(&data).join("profile.ron"));
    assert_eq!(seri_profile.progress.versus_wins, 1);
    assert_eq!(player_profile.progress.versus_wins, 0);
    assert_eq!(seri_profile.progress.plays, 1);
    assert_eq!(player_profile.progress.plays, 1);
}
