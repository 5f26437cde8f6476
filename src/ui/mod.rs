//! Drawing the game with egui: every screen, the note highway and the overlays. Only the
//! windowed game adds this; headless runs and tests leave it out.

pub mod collection;
pub mod fonts;
mod import_view;
pub mod jackets;
mod join;
pub mod merch_art;
pub mod paint;
mod play_view;
mod practice_view;
mod record_view;
mod reload_view;
mod results;
mod settings_screen;
mod song_select;
pub mod stage_view;
mod title;
mod tour;
mod venue_view;

use bevy::prelude::*;
use bevy::window::{PrimaryWindow, WindowMode};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::notice::Notices;
use crate::settings::Settings;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, spawn_camera)
        .add_systems(
            EguiPrimaryContextPass,
            style.run_if(run_once).before(ScreenUi),
        )
        .add_systems(EguiPrimaryContextPass, show_notices.after(ScreenUi))
        .add_systems(Update, apply_fullscreen)
        .configure_sets(EguiPrimaryContextPass, ScreenUi);
    app.add_plugins((
        title::plugin,
        join::plugin,
        song_select::plugin,
        play_view::plugin,
        record_view::plugin,
        reload_view::plugin,
        results::plugin,
        settings_screen::plugin,
        collection::plugin,
        tour::plugin,
        import_view::plugin,
        jackets::plugin,
        fonts::plugin,
    ));
}

/// The systems drawing the current screen; overlays draw after them.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScreenUi;

pub mod colors {
    use bevy_egui::egui::Color32;
    pub const BACKGROUND: Color32 = Color32::from_rgb(14, 10, 28);
    pub const PANEL: Color32 = Color32::from_rgb(26, 20, 48);
    pub const ACCENT: Color32 = Color32::from_rgb(255, 92, 178);
    pub const ACCENT_2: Color32 = Color32::from_rgb(120, 200, 255);
    pub const TEXT: Color32 = Color32::from_rgb(236, 232, 255);
    pub const DIM: Color32 = Color32::from_rgb(140, 130, 170);
    pub const ERROR: Color32 = Color32::from_rgb(255, 110, 110);
    pub const GOOD: Color32 = Color32::from_rgb(120, 240, 160);
}

fn spawn_camera(mut commands: Commands) {
    // Cleared to the game's background, which the stage and menus paint over; clearing costs
    // far less than drawing a full-screen background on a software renderer.
    let [r, g, b, _] = colors::BACKGROUND.to_array();
    commands.insert_resource(ClearColor(Color::srgb_u8(r, g, b)));
    // egui smooths its own edges; multisampling would only multiply the cost of every frame,
    // which on a software renderer halves the frame rate.
    commands.spawn((Name::new("Camera"), Camera2d, bevy::render::view::Msaa::Off));
}

fn style(mut contexts: EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?;
    fonts::bind_display_family(ctx);
    let mut visuals = egui::Visuals::dark();
    visuals.panel_fill = colors::BACKGROUND;
    visuals.window_fill = colors::PANEL;
    visuals.selection.bg_fill = colors::ACCENT.gamma_multiply(0.6);
    visuals.hyperlink_color = colors::ACCENT_2;
    ctx.set_visuals(visuals);
    ctx.set_theme(egui::ThemePreference::Dark);
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.spacing.button_padding = egui::vec2(14.0, 6.0);
        for (text_style, size) in [
            (egui::TextStyle::Body, 17.0),
            (egui::TextStyle::Button, 18.0),
            (egui::TextStyle::Heading, 30.0),
            (egui::TextStyle::Small, 13.0),
        ] {
            if let Some(font) = style.text_styles.get_mut(&text_style) {
                font.size = size;
            }
        }
    });
    Ok(())
}

/// A root `Ui` covering the whole window, for panels to live in.
pub fn root_ui(ctx: &egui::Context, id: &'static str) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        id.into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}

fn show_notices(mut contexts: EguiContexts, notices: Res<Notices>) -> Result {
    if notices.shown.is_empty() {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    egui::Area::new("notices".into())
        .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -16.0))
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            for (text, left) in &notices.shown {
                let alpha = (left / 1.0).clamp(0.0, 1.0);
                egui::Frame::new()
                    .fill(colors::PANEL.gamma_multiply(alpha))
                    .stroke(egui::Stroke::new(1.0, colors::ACCENT.gamma_multiply(alpha)))
                    .inner_margin(8.0)
                    .corner_radius(6.0)
                    .show(ui, |ui| {
                        ui.set_max_width(520.0);
                        ui.colored_label(colors::TEXT.gamma_multiply(alpha), text);
                    });
            }
        });
    Ok(())
}

fn apply_fullscreen(settings: Res<Settings>, mut windows: Query<&mut Window, With<PrimaryWindow>>) {
    if !settings.is_changed() {
        return;
    }
    for mut window in &mut windows {
        let wanted = if settings.fullscreen {
            WindowMode::BorderlessFullscreen(bevy::window::MonitorSelection::Current)
        } else {
            WindowMode::Windowed
        };
        if window.mode != wanted {
            window.mode = wanted;
        }
    }
}

/// A big menu button.
pub fn menu_button(ui: &mut egui::Ui, text: &str) -> egui::Response {
    ui.add_sized(
        [280.0, 44.0],
        egui::Button::new(egui::RichText::new(text).size(22.0)),
    )
}
