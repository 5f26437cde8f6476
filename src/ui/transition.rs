//! Between screens: each new screen comes up out of the background colour over a quarter of a
//! second, and the synth's chime marks it, rising as a screen opens and falling back to the
//! title.

use bevy::prelude::*;
use bevy::state::state::StateTransitionEvent;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use bevy_kira_audio::prelude::{Audio, AudioControl, AudioSource};
use kira::Frame;
use kira::sound::static_sound::{StaticSoundData, StaticSoundSettings};

use super::{ScreenUi, colors};
use crate::core::music::synth::{MenuSound, SAMPLE_RATE, render_menu_sound};
use crate::screens::Screen;
use crate::settings::Settings;

/// How long a new screen takes to come up, in seconds.
const FADE_SECONDS: f64 = 0.25;

/// When the screen last changed.
#[derive(Resource, Default)]
struct ScreenFade {
    since: Option<f64>,
}

/// The menu chimes, rendered once at start.
#[derive(Resource)]
struct Chimes(Vec<(MenuSound, Handle<AudioSource>)>);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ScreenFade>()
        .add_systems(Startup, render_chimes)
        .add_systems(Update, on_screen_change)
        .add_systems(EguiPrimaryContextPass, draw_fade.after(ScreenUi));
}

fn render_chimes(mut commands: Commands, sources: Option<ResMut<Assets<AudioSource>>>) {
    let Some(mut sources) = sources else {
        return;
    };
    let chimes = MenuSound::ALL
        .into_iter()
        .map(|sound| {
            let frames: Vec<Frame> = render_menu_sound(sound)
                .into_iter()
                .map(|[left, right]| Frame { left, right })
                .collect();
            let data = StaticSoundData {
                sample_rate: SAMPLE_RATE,
                frames: frames.into(),
                settings: StaticSoundSettings::default(),
                slice: None,
            };
            (sound, sources.add(AudioSource { sound: data }))
        })
        .collect();
    commands.insert_resource(Chimes(chimes));
}

/// A new screen starts its fade, and chimes: into a play the song is the sound.
fn on_screen_change(
    mut transitions: MessageReader<StateTransitionEvent<Screen>>,
    mut fade: ResMut<ScreenFade>,
    time: Res<Time<Real>>,
    chimes: Option<Res<Chimes>>,
    audio: Option<Res<Audio>>,
    settings: Res<Settings>,
) {
    let Some(entered) = transitions.read().last().and_then(|t| t.entered) else {
        return;
    };
    fade.since = Some(time.elapsed_secs_f64());
    let sound = match entered {
        Screen::Gameplay => return,
        Screen::Title => MenuSound::Back,
        _ => MenuSound::Forward,
    };
    if let (Some(chimes), Some(audio)) = (chimes, audio)
        && let Some((_, handle)) = chimes.0.iter().find(|(s, _)| *s == sound)
    {
        audio
            .play(handle.clone())
            .with_volume(crate::gameplay::audio::volume_to_decibels(
                settings.volume * 0.6,
            ));
    }
}

/// The background colour over the new screen, fading out.
fn draw_fade(mut contexts: EguiContexts, fade: Res<ScreenFade>, time: Res<Time<Real>>) -> Result {
    let Some(since) = fade.since else {
        return Ok(());
    };
    let age = time.elapsed_secs_f64() - since;
    if age >= FADE_SECONDS {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let alpha = 1.0 - (age / FADE_SECONDS) as f32;
    ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::new("screen-fade"),
    ))
    .rect_filled(
        ctx.content_rect(),
        0.0,
        colors::BACKGROUND.gamma_multiply(alpha),
    );
    ctx.request_repaint();
    Ok(())
}
