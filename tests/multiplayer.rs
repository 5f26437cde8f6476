//! Local multiplayer in the real plugins on a headless App: players judged independently in the
//! same frame, the group stage's split, dimming and shared life bar, and a pad unplugged and
//! plugged back in mid-song.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bevy::input::gamepad::{GamepadConnection, GamepadConnectionEvent};
use bevy::prelude::*;
use common::{TestGame, load_test_level};
use lightstick::bindings::{Device, KeyboardLayout};
use lightstick::core::judge::JudgeSettings;
use lightstick::core::judgement::{JudgeEvent, Judgement};
use lightstick::core::level::Level;
use lightstick::gameplay::pause::Pause;
use lightstick::gameplay::record::LastPlay;
use lightstick::gameplay::session::PlaySession;
use lightstick::gameplay::{PlayCommand, PlayMode, PlayRequest, PlaySeat, PlayState};
use lightstick::input::InputPrecision;
use lightstick::input::{Control, PadRegistry, SourceEvent};
use lightstick::screens::Screen;
use lightstick::settings::ScrollSpeed;

const FRAME: Duration = Duration::from_millis(16);

fn seat(name: &str, device: Device) -> PlaySeat {
    PlaySeat {
        name: name.into(),
        chart: 0,
        judge: JudgeSettings::default(),
        scroll: ScrollSpeed::default(),
        highway_opacity: lightstick::settings::DEFAULT_HIGHWAY_OPACITY,
        device,
        profile: None,
    }
}

/// A game with the raw keyboard source standing in, playing `level` with these seats.
fn start(dir: &std::path::Path, level: Level, seats: Vec<PlaySeat>, group: bool) -> TestGame {
    let mut game = TestGame::new(&dir.join("data"), vec![dir.to_path_buf()]);
    *game.app.world_mut().resource_mut::<InputPrecision>() = InputPrecision::RawThreadStamped;
    game.play(PlayRequest {
        level: Arc::new(level),
        chart: 0,
        judge: JudgeSettings::default(),
        mode: PlayMode::Normal,
        seats,
        group,
        part: None,
        practice: None,
    });
    game
}

fn control(game: &TestGame, control: Control, pressed: bool, song_time: f64) -> SourceEvent {
    SourceEvent::Control {
        control,
        pressed,
        at: game.instant_for(song_time),
    }
}

fn histories(game: &mut TestGame) -> Vec<Vec<JudgeEvent>> {
    let session = game.app.world().resource::<PlaySession>();
    (0..session.seat_count())
        .map(|seat| session.judge(seat).unwrap().history().to_vec())
        .collect()
}

fn paused(game: &TestGame) -> bool {
    game.app.world().resource::<State<Pause>>().0
}

#[test]
fn two_players_pressing_in_the_same_frame_are_judged_each_on_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = start(
        dir.path(),
        level,
        vec![
            seat("Ana", Device::Keyboard(KeyboardLayout::Left)),
            seat("Bo", Device::Keyboard(KeyboardLayout::Arrows)),
        ],
        false,
    );
    game.run_until(1.98, FRAME);
    // The first note is lane 0 at 2.0 s. Both press lane 0 before the same frame: Ana (A) on
    // time, Bo (left arrow) 40 ms late.
    let ana = control(&game, Control::Key(KeyCode::KeyA), true, 2.0);
    let bo = control(&game, Control::Key(KeyCode::ArrowLeft), true, 2.04);
    game.send_source(ana);
    game.send_source(bo);
    game.run_until(2.05, FRAME);
    let ana_up = control(&game, Control::Key(KeyCode::KeyA), false, 2.06);
    let bo_up = control(&game, Control::Key(KeyCode::ArrowLeft), false, 2.06);
    game.send_source(ana_up);
    game.send_source(bo_up);
    game.frame_after(FRAME);
    let histories = histories(&mut game);
    let first = |h: &[JudgeEvent]| match h.first() {
        Some(JudgeEvent::Hit {
            judgement, offset, ..
        }) => (*judgement, offset.unwrap()),
        other => panic!("{other:?}"),
    };
    let (ana_judgement, ana_offset) = first(&histories[0]);
    let (bo_judgement, bo_offset) = first(&histories[1]);
    assert_eq!(ana_judgement, Judgement::Perfect);
    assert!(ana_offset.abs() < 1e-6, "{ana_offset}");
    assert_eq!(bo_judgement, Judgement::Great);
    assert!((bo_offset - 0.04).abs() < 1e-6, "{bo_offset}");
    // Neither press reached the other's judge.
    assert_eq!(histories[0].len(), 1);
    assert_eq!(histories[1].len(), 1);
}

#[test]
fn a_key_of_one_player_never_plays_for_another() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = start(
        dir.path(),
        level,
        vec![
            seat("Ana", Device::Keyboard(KeyboardLayout::Left)),
            seat(
                "Cy",
                Device::Pad {
                    pad: 7,
                    name: "mat".into(),
                },
            ),
        ],
        false,
    );
    game.run_until(1.98, FRAME);
    // Another pad's d-pad and the single-player keys play nobody's lanes.
    let stranger = control(
        &game,
        Control::Pad {
            pad: 3,
            button: "DPadLeft".into(),
        },
        true,
        2.0,
    );
    let solo_key = control(&game, Control::Key(KeyCode::KeyJ), true, 2.0);
    let own_pad = control(
        &game,
        Control::Pad {
            pad: 7,
            button: "DPadLeft".into(),
        },
        true,
        2.01,
    );
    game.send_source(stranger);
    game.send_source(solo_key);
    game.send_source(own_pad);
    game.run_until(2.05, FRAME);
    let histories = histories(&mut game);
    assert!(histories[0].is_empty(), "{:?}", histories[0]);
    assert!(matches!(
        histories[1].first(),
        Some(JudgeEvent::Hit {
            judgement: Judgement::Perfect,
            ..
        })
    ));
}

fn group_level(dir: &std::path::Path) -> Level {
    let folder = common::write_group_level(dir);
    let report = lightstick::core::level::load_level(&folder);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    report.level.unwrap()
}

#[test]
fn group_members_play_their_own_lines_and_share_one_life_bar() {
    let dir = tempfile::tempdir().unwrap();
    let level = group_level(dir.path());
    let mut game = start(
        dir.path(),
        level,
        vec![
            seat("Ana", Device::Keyboard(KeyboardLayout::Left)),
            seat("Bo", Device::Keyboard(KeyboardLayout::Arrows)),
        ],
        true,
    );
    {
        let session = game.app.world().resource::<PlaySession>();
        let chart = |seat: usize| session.judge(seat).unwrap().chart();
        // Beats 4 to 11 are Ana's, 12 to 19 Bo's, 20 to 27 everyone's.
        assert_eq!(chart(0).notes.len(), 16);
        assert_eq!(chart(1).notes.len(), 16);
        assert!(
            chart(0)
                .notes
                .iter()
                .all(|n| n.beat < 12.0 || n.beat >= 20.0)
        );
        // Each keeps the whole chart to draw the others' notes dimmed.
        assert_eq!(session.whole_chart(1).unwrap().notes.len(), 24);
        let split = session.split().unwrap();
        assert!(
            !split.plays(2, 5.0),
            "Bo's highway is dimmed in Ana's verse"
        );
        assert!(split.plays(2, 13.0));
    }
    // Nobody plays: the misses of both members empty the one bar. It starts half full and
    // each miss takes a tenth; a note is missed once its last window (180 ms) has passed, so
    // by 3.6 s the notes at 2, 2.5 and 3 s are, and the fifth miss (the 4 s note) ends the
    // play for both.
    game.run_until(3.6, FRAME);
    let life = game.app.world().resource::<PlaySession>().life(0);
    assert!((life - 0.2).abs() < 1e-6, "life {life}");
    game.run_until(4.3, FRAME);
    let failed_at = game.app.world().resource::<PlaySession>().group_failed_at();
    assert!(
        failed_at.is_some_and(|t| (4.0..4.3).contains(&t)),
        "{failed_at:?}"
    );
    let mut frames = 0;
    while game.screen() == Screen::Gameplay && frames < 400 {
        game.frame_after(FRAME);
        frames += 1;
    }
    assert_eq!(game.screen(), Screen::Results);
    let last = game.app.world().resource::<LastPlay>();
    let together = last.together.as_ref().unwrap();
    let group = together.group.as_ref().unwrap();
    assert!(group.failed);
    assert!(together.players.iter().all(|p| p.result.failed));
    assert!(
        group
            .lines
            .iter()
            .any(|l| l.member == 2 && l.line == "pre-chorus")
    );
}

#[test]
fn an_unplugged_pad_pauses_everyone_until_it_returns_or_the_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = start(
        dir.path(),
        level,
        vec![
            seat(
                "Ana",
                Device::Pad {
                    pad: 5,
                    name: "pad".into(),
                },
            ),
            seat(
                "Cy",
                Device::Pad {
                    pad: 2,
                    name: "mat".into(),
                },
            ),
        ],
        false,
    );
    let pad = game.app.world_mut().spawn(Name::new("mat")).id();
    game.app
        .world_mut()
        .resource_mut::<PadRegistry>()
        .insert(2, pad, "mat".into());
    game.run_until(1.0, FRAME);
    let unplug = |game: &mut TestGame, connection| {
        game.app
            .world_mut()
            .write_message(GamepadConnectionEvent::new(pad, connection));
        game.frame_after(FRAME);
    };
    unplug(&mut game, GamepadConnection::Disconnected);
    {
        let state = game.app.world().resource::<PlayState>();
        assert!(paused(&game));
        assert_eq!(state.missing, vec![1]);
    }
    // Resuming is refused while Cy's pad is gone.
    game.app.world_mut().write_message(PlayCommand::Resume);
    game.frame_after(FRAME);
    assert!(paused(&game));
    // Plugged back in: Cy has the seat again and the play can go on.
    unplug(
        &mut game,
        GamepadConnection::Connected {
            name: "mat".into(),
            vendor_id: None,
            product_id: None,
        },
    );
    assert!(game.app.world().resource::<PlayState>().missing.is_empty());
    game.app.world_mut().write_message(PlayCommand::Resume);
    game.frame_after(FRAME);
    assert!(!paused(&game));
    // Unplugged again, and this time Ana presses Select on her pad: the others continue
    // without Cy.
    unplug(&mut game, GamepadConnection::Disconnected);
    game.send_source(SourceEvent::Control {
        control: Control::Pad {
            pad: 5,
            button: "Select".into(),
        },
        pressed: true,
        at: game.now,
    });
    game.frame_after(FRAME);
    assert!(game.app.world().resource::<PlayState>().missing.is_empty());
    game.app.world_mut().write_message(PlayCommand::Resume);
    game.frame_after(FRAME);
    assert!(!paused(&game));
    let session = game.app.world().resource::<PlaySession>();
    let left: Vec<usize> = (0..session.seat_count())
        .filter(|seat| session.has_left(*seat))
        .collect();
    assert_eq!(left, vec![1]);
}

/// What the gamepad thread sends when a pad comes or goes.
fn pad_connection(pad: u32, connected: bool) -> SourceEvent {
    SourceEvent::PadConnection {
        pad,
        name: "mat".into(),
        connected,
    }
}

#[test]
fn a_pad_unplugged_and_plugged_back_in_a_storm_of_events_never_crashes_the_play() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = start(
        dir.path(),
        level,
        vec![
            seat("Ana", Device::Keyboard(KeyboardLayout::Left)),
            seat(
                "Cy",
                Device::Pad {
                    pad: 2,
                    name: "mat".into(),
                },
            ),
        ],
        false,
    );
    game.send_source(pad_connection(2, true));
    game.run_until(1.0, FRAME);
    // Cy holds a button as the pad goes; its release arrives after the pad is gone, and a pad
    // nobody sits at comes and goes too, all within one frame.
    let down = control(
        &game,
        Control::Pad {
            pad: 2,
            button: "DPadLeft".into(),
        },
        true,
        1.0,
    );
    game.send_source(down);
    // Gone, back, gone... ending gone.
    for round in 0..20 {
        game.send_source(pad_connection(2, round % 2 == 1 && round < 19));
        game.send_source(pad_connection(9, round % 2 == 0));
    }
    let up = control(
        &game,
        Control::Pad {
            pad: 2,
            button: "DPadLeft".into(),
        },
        false,
        1.01,
    );
    game.send_source(up);
    game.frame_after(FRAME);
    {
        let state = game.app.world().resource::<PlayState>();
        assert!(paused(&game), "the play waits for Cy's pad");
        assert_eq!(state.missing, vec![1]);
    }
    // Back, under the same number the gamepad thread gave it before: Cy has the seat again.
    game.send_source(pad_connection(2, true));
    game.frame_after(FRAME);
    assert!(game.app.world().resource::<PlayState>().missing.is_empty());
    game.app.world_mut().write_message(PlayCommand::Resume);
    game.frame_after(FRAME);
    assert!(!paused(&game));
    // The song plays to its end and both players reach the results.
    game.run_to_results(FRAME, 10_000);
    let last = game.app.world().get_resource::<LastPlay>();
    let together = last.and_then(|l| l.together.as_ref()).expect("the results");
    assert_eq!(together.players.len(), 2);
    assert!(together.players.iter().all(|p| !p.left));
}

#[test]
fn each_seat_takes_its_own_devices_input_offset() {
    let dir = tempfile::tempdir().unwrap();
    let level = load_test_level(dir.path());
    let mut game = start(
        dir.path(),
        level,
        vec![
            seat("Ana", Device::Keyboard(KeyboardLayout::Left)),
            seat(
                "Cy",
                Device::Pad {
                    pad: 7,
                    name: "mat".into(),
                },
            ),
        ],
        false,
    );
    game.send_source(SourceEvent::PadConnection {
        pad: 7,
        name: "mat".into(),
        connected: true,
    });
    {
        // The mat reaches the game 40 ms after the keyboard does: its calibration said so.
        let mut settings = game
            .app
            .world_mut()
            .resource_mut::<lightstick::settings::Settings>();
        settings.audio_offset_ms = 0.0;
        settings.pad_offsets.insert("mat".into(), 40.0);
    }
    game.run_until(1.98, FRAME);
    // The first note is lane 0 at 2.0 s; both press it 40 ms after it.
    let ana = control(&game, Control::Key(KeyCode::KeyA), true, 2.04);
    let cy = control(
        &game,
        Control::Pad {
            pad: 7,
            button: "DPadLeft".into(),
        },
        true,
        2.04,
    );
    game.send_source(ana);
    game.send_source(cy);
    game.run_until(2.05, FRAME);
    let histories = histories(&mut game);
    let offset = |h: &[JudgeEvent]| match h.first() {
        Some(JudgeEvent::Hit {
            judgement, offset, ..
        }) => (*judgement, offset.unwrap()),
        other => panic!("{other:?}"),
    };
    let (ana_judgement, ana_offset) = offset(&histories[0]);
    let (cy_judgement, cy_offset) = offset(&histories[1]);
    assert_eq!(
        ana_judgement,
        Judgement::Great,
        "the keyboard has no offset"
    );
    assert!((ana_offset - 0.04).abs() < 1e-6, "{ana_offset}");
    assert_eq!(
        cy_judgement,
        Judgement::Perfect,
        "the mat's 40 ms are taken off"
    );
    assert!(cy_offset.abs() < 1e-6, "{cy_offset}");
}
