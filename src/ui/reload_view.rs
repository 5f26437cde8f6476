//! The errors of a level saved while it plays, over the play: each with its file, line and
//! column, the line itself and a caret under the spot, until a save fixes them.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ScreenUi, colors};
use crate::gameplay::live_reload::LiveReload;
use crate::screens::Screen;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        reload_errors
            .after(ScreenUi)
            .run_if(in_state(Screen::Gameplay)),
    );
}

/// The errors shown at most: the first ones are what to fix first.
const SHOWN: usize = 4;

fn reload_errors(mut contexts: EguiContexts, live: Res<LiveReload>) -> Result {
    if live.errors.is_empty() {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    egui::Area::new("reload errors".into())
        .order(egui::Order::Foreground)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style())
                .fill(egui::Color32::from_rgba_unmultiplied(20, 12, 32, 236))
                .inner_margin(12.0)
                .show(ui, |ui| {
                    ui.set_max_width(720.0);
                    ui.colored_label(colors::ERROR, t!("reload-errors"));
                    // Errors keep their drawing unwrapped, and scroll both ways, so the panel
                    // and its last line stay inside the window however long the source lines.
                    let room = (ctx.viewport_rect().height() - 200.0).max(120.0);
                    egui::ScrollArea::both().max_height(room).show(ui, |ui| {
                        for (_, drawn) in live.errors.iter().take(SHOWN) {
                            ui.add_space(6.0);
                            ui.add(
                                egui::Label::new(
                                    egui::RichText::new(drawn).monospace().color(colors::TEXT),
                                )
                                .extend(),
                            );
                        }
                    });
                    if live.errors.len() > SHOWN {
                        ui.colored_label(
                            colors::DIM,
                            t!("reload-more-errors", count = live.errors.len() - SHOWN),
                        );
                    }
                });
        });
    Ok(())
}
