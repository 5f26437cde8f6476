//! Drawing the game with egui: every screen, the note highway and the overlays. Only the
//! windowed game adds this; headless runs and tests leave it out.

pub mod collection;
pub mod fonts;
mod import_view;
pub mod jackets;
mod join;
pub mod merch_art;
mod mods_view;
pub mod paint;
mod phrases;
mod play_view;
mod practice_view;
mod record_view;
mod reload_view;
mod replay_view;
mod results;
mod results_show;
mod settings_screen;
mod song_select;
pub mod stage_view;
mod title;
mod tour;
mod transition;
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
        .add_systems(
            EguiPrimaryContextPass,
            report_buttons
                .after(ScreenUi)
                .run_if(resource_exists::<ButtonReport>),
        )
        .add_systems(Update, apply_fullscreen)
        .add_systems(EguiPrimaryContextPass, scale_to_window.before(ScreenUi))
        .configure_sets(EguiPrimaryContextPass, ScreenUi);
    app.add_plugins((
        title::plugin,
        join::plugin,
        song_select::plugin,
        play_view::plugin,
        record_view::plugin,
        reload_view::plugin,
        replay_view::plugin,
        results::plugin,
        settings_screen::plugin,
        collection::plugin,
        tour::plugin,
        import_view::plugin,
        jackets::plugin,
        transition::plugin,
        fonts::plugin,
    ));
}

/// Where the buttons noted with [`note_button`] are kept for the pass.
const NOTED_BUTTONS: &str = "noted-buttons";

/// Notes one of a screen's buttons, so a timed run can say whether it lies inside the window:
/// a way on below the window's edge is a way the player cannot take.
pub(crate) fn note_button(ui: &egui::Ui, label: &str, response: &egui::Response) {
    let rect = response.rect;
    ui.ctx().data_mut(|d| {
        d.get_temp_mut_or_default::<Vec<(String, egui::Rect)>>(egui::Id::new(NOTED_BUTTONS))
            .push((label.to_string(), rect));
    });
}

/// In a timed run (`--exit-after`): the screen on show, how many frames it has been drawn, and
/// the buttons already said to lie inside or outside the window.
#[derive(Resource, Default)]
pub struct ButtonReport {
    screen: Option<crate::screens::Screen>,
    frames: u32,
    said: std::collections::BTreeSet<String>,
}

/// How many frames a screen is drawn before its buttons are measured: its layout settles over
/// the first ones.
const SETTLED_FRAMES: u32 = 5;

/// Says, once per screen, where each noted button lies against the window.
fn report_buttons(
    mut contexts: EguiContexts,
    screen: Res<State<crate::screens::Screen>>,
    mut report: ResMut<ButtonReport>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let noted: Vec<(String, egui::Rect)> = ctx.data_mut(|d| {
        std::mem::take(
            d.get_temp_mut_or_default::<Vec<(String, egui::Rect)>>(egui::Id::new(NOTED_BUTTONS)),
        )
    });
    let screen = *screen.get();
    if report.screen != Some(screen) {
        *report = ButtonReport {
            screen: Some(screen),
            ..default()
        };
    }
    report.frames += 1;
    if report.frames < SETTLED_FRAMES {
        return Ok(());
    }
    let window = ctx.content_rect();
    for (label, rect) in noted {
        if !report.said.insert(label.clone()) {
            continue;
        }
        let size = format!("{:.0}×{:.0}", window.width(), window.height());
        if window.contains_rect(rect) {
            info!("button `{label}` on {screen:?} lies inside the {size} window");
        } else {
            warn!(
                "button `{label}` on {screen:?} lies outside the {size} window, at {:.0},{:.0} to {:.0},{:.0}",
                rect.min.x, rect.min.y, rect.max.x, rect.max.y
            );
        }
    }
    Ok(())
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

/// The menus' look, in the stage's colours: night-purple panels with rounded corners, buttons
/// that glow pink under the pointer and fill when pressed, and a sky-blue focus ring for the
/// keyboard.
fn theme() -> egui::Visuals {
    use egui::{CornerRadius, Stroke};
    let mut visuals = egui::Visuals::dark();
    visuals.panel_fill = colors::BACKGROUND;
    visuals.window_fill = colors::PANEL;
    visuals.window_stroke = Stroke::new(1.5, colors::ACCENT.gamma_multiply(0.6));
    visuals.window_corner_radius = CornerRadius::same(14);
    visuals.menu_corner_radius = CornerRadius::same(10);
    visuals.extreme_bg_color = colors::BACKGROUND;
    visuals.faint_bg_color = colors::PANEL;
    visuals.selection.bg_fill = colors::ACCENT.gamma_multiply(0.6);
    visuals.selection.stroke = Stroke::new(2.0, colors::ACCENT_2);
    visuals.hyperlink_color = colors::ACCENT_2;
    let widgets = &mut visuals.widgets;
    let rounded = CornerRadius::same(9);
    widgets.noninteractive.corner_radius = rounded;
    widgets.noninteractive.fg_stroke = Stroke::new(1.0, colors::TEXT);
    widgets.inactive.corner_radius = rounded;
    widgets.inactive.weak_bg_fill = paint::mix(colors::PANEL, colors::ACCENT_2, 0.08);
    widgets.inactive.bg_fill = paint::mix(colors::PANEL, colors::ACCENT_2, 0.12);
    widgets.inactive.bg_stroke = Stroke::new(1.0, paint::mix(colors::PANEL, colors::DIM, 0.5));
    widgets.inactive.fg_stroke = Stroke::new(1.0, colors::TEXT);
    widgets.hovered.corner_radius = rounded;
    widgets.hovered.weak_bg_fill = paint::mix(colors::PANEL, colors::ACCENT, 0.3);
    widgets.hovered.bg_fill = paint::mix(colors::PANEL, colors::ACCENT, 0.3);
    widgets.hovered.bg_stroke = Stroke::new(1.5, colors::ACCENT);
    widgets.hovered.fg_stroke = Stroke::new(1.5, colors::TEXT);
    widgets.hovered.expansion = 1.0;
    widgets.active.corner_radius = rounded;
    widgets.active.weak_bg_fill = paint::mix(colors::PANEL, colors::ACCENT, 0.6);
    widgets.active.bg_fill = paint::mix(colors::PANEL, colors::ACCENT, 0.6);
    widgets.active.bg_stroke = Stroke::new(2.0, colors::ACCENT);
    widgets.active.fg_stroke = Stroke::new(2.0, egui::Color32::WHITE);
    widgets.open.corner_radius = rounded;
    widgets.open.weak_bg_fill = paint::mix(colors::PANEL, colors::ACCENT_2, 0.25);
    widgets.open.bg_stroke = Stroke::new(1.5, colors::ACCENT_2);
    visuals
}

fn style(mut contexts: EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?;
    fonts::bind_display_family(ctx);
    ctx.set_visuals(theme());
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

/// The size every screen is laid out for: larger windows scale it up (a 4K window ×3), smaller
/// ones down, so nothing is clipped and nothing is tiny.
pub const DESIGN_SIZE: egui::Vec2 = egui::vec2(1280.0, 720.0);

/// Scales the menus and text to the window, times the player's UI scale.
fn scale_to_window(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut applied: Local<f32>,
) -> Result {
    let Ok(window) = windows.single() else {
        return Ok(());
    };
    let fit = (window.width() / DESIGN_SIZE.x)
        .min(window.height() / DESIGN_SIZE.y)
        .clamp(0.5, 4.0);
    let zoom = fit * settings.ui_scale;
    if (zoom - *applied).abs() > 0.001 {
        contexts.ctx_mut()?.set_zoom_factor(zoom);
        *applied = zoom;
    }
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
    let response = ui.add_sized(
        [280.0, 44.0],
        egui::Button::new(egui::RichText::new(text).size(22.0)),
    );
    note_button(ui, text, &response);
    response
}

/// `n` with its thousands grouped: 10,008 songs read at a glance.
pub(crate) fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::grouped(7), "7");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(3120), "3,120");
        assert_eq!(super::grouped(1_000_000), "1,000,000");
    }
}
