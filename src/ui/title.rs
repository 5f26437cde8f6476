//! The title screen.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ScreenUi, colors, menu_button, root_ui};
use crate::screens::Screen;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        title_ui.in_set(ScreenUi).run_if(in_state(Screen::Title)),
    );
}

fn title_ui(
    mut contexts: EguiContexts,
    mut lineup: ResMut<crate::lineup::Lineup>,
    mut next: ResMut<NextState<Screen>>,
    mut exit: MessageWriter<AppExit>,
    time: Res<Time<Real>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root_ui(ctx, "title");
    egui::CentralPanel::default().show(&mut root, |ui| {
        // Lightsticks sway to a 120 BPM pulse behind the title.
        let rect = ui.max_rect();
        let painter = ui.painter();
        let beat = (time.elapsed_secs() * 2.0).fract();
        for i in 0..24 {
            let x = rect.left() + rect.width() * (i as f32 + 0.5) / 24.0;
            let sway = ((time.elapsed_secs() * 2.0 + i as f32 * 0.7).sin()) * 10.0;
            let base = egui::pos2(x, rect.bottom() - 30.0);
            let tip = egui::pos2(x + sway, rect.bottom() - 110.0);
            let glow = if i % 2 == 0 {
                colors::ACCENT
            } else {
                colors::ACCENT_2
            };
            painter.line_segment([base, tip], egui::Stroke::new(4.0, colors::DIM));
            painter.circle_filled(tip, 9.0 + 4.0 * (1.0 - beat), glow.gamma_multiply(0.8));
        }
        ui.vertical_centered(|ui| {
            ui.add_space(rect.height() * 0.18);
            ui.label(
                egui::RichText::new("LIGHTSTICK")
                    .size(84.0)
                    .strong()
                    .color(colors::ACCENT),
            );
            ui.label(
                egui::RichText::new("dance to the beat")
                    .size(22.0)
                    .color(colors::DIM),
            );
            ui.add_space(40.0);
            let play = menu_button(ui, "Play");
            if play.clicked() {
                lineup.seats.clear();
                next.set(Screen::SongSelect);
            }
            if menu_button(ui, "Local multiplayer").clicked() {
                next.set(Screen::Join);
            }
            if menu_button(ui, "Settings").clicked() {
                next.set(Screen::Settings);
            }
            if menu_button(ui, "Quit").clicked() {
                exit.write(AppExit::Success);
            }
            ui.add_space(20.0);
            ui.label(
                egui::RichText::new(
                    "Enter: play   ·   M: multiplayer   ·   S: settings   ·   Esc: quit",
                )
                .color(colors::DIM),
            );
        });
    });
    let (enter, settings, quit, multiplayer) = ctx.input(|i| {
        (
            i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Space),
            i.key_pressed(egui::Key::S),
            i.key_pressed(egui::Key::Escape),
            i.key_pressed(egui::Key::M),
        )
    });
    if enter {
        lineup.seats.clear();
        next.set(Screen::SongSelect);
    } else if multiplayer {
        next.set(Screen::Join);
    } else if settings {
        next.set(Screen::Settings);
    } else if quit {
        exit.write(AppExit::Success);
    }
    Ok(())
}
