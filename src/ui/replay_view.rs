//! The replay browser over the song list: the profile's saved replays of the chosen chart,
//! newest first, each with its score and mods, and a button to watch it.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ScreenUi, colors};
use crate::core::replay::{Replay, SavedReplay};
use crate::replays::{ReplayBrowser, how_long_ago};
use crate::screens::Screen;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        replay_browser_ui
            .after(ScreenUi)
            .run_if(in_state(Screen::SongSelect))
            .run_if(|browser: Res<ReplayBrowser>| browser.shown.is_some()),
    );
}

fn replay_browser_ui(
    mut contexts: EguiContexts,
    mut browser: ResMut<ReplayBrowser>,
    mut commands: Commands,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(shown) = &browser.shown else {
        return Ok(());
    };
    let chart = &shown.level.charts[shown.chart];
    let title = t!(
        "replays-heading",
        title = shown.level.title.clone(),
        difficulty = chart.difficulty.clone()
    );
    let mut open = true;
    let mut watch = None;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let screen = ctx.content_rect();
    egui::Window::new("replays")
        .id(egui::Id::new("replay-browser"))
        .title_bar(false)
        .collapsible(false)
        .resizable(false)
        .fixed_size([screen.width().min(900.0) - 40.0, screen.height() * 0.6])
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.label(egui::RichText::new(&title).size(22.0).strong());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let label = t!("common-close-esc");
                    let close = ui.button(egui::RichText::new(&label).size(16.0));
                    super::note_button(ui, &label, &close);
                    open &= !close.clicked();
                });
            });
            ui.separator();
            if shown.replays.is_empty() {
                ui.colored_label(colors::DIM, t!("replays-none"));
                return;
            }
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| {
                    for (index, saved) in shown.replays.iter().enumerate() {
                        if replay_row(ui, saved, now) {
                            watch = Some(index);
                        }
                    }
                });
            ui.add_space(4.0);
            ui.colored_label(colors::DIM, t!("replays-saves-nothing"));
        });
    if let Some(message) = watch.and_then(|index| browser.watch(index)) {
        commands.write_message(message);
    }
    let escape = ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
    if !open || escape {
        browser.close();
    }
    Ok(())
}

/// One saved replay: when, who, the result and the mods, and Watch; or why it cannot be
/// watched. Whether Watch was clicked.
fn replay_row(ui: &mut egui::Ui, saved: &SavedReplay, now: u64) -> bool {
    let mut clicked = false;
    egui::Frame::new()
        .fill(colors::PANEL)
        .corner_radius(8.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| match &saved.replay {
                Ok(replay) => {
                    let response = ui.add_sized(
                        [110.0, 34.0],
                        egui::Button::new(egui::RichText::new(t!("replays-watch")).size(18.0)),
                    );
                    super::note_button(ui, "Watch", &response);
                    clicked = response.clicked();
                    ui.vertical(|ui| {
                        ui.label(egui::RichText::new(result_line(replay)).size(18.0).strong());
                        ui.colored_label(colors::DIM, about_line(replay, now));
                    });
                }
                Err(why) => {
                    // The folder is the chart's own: the file's name and the place say enough.
                    let name = why
                        .file
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    let place = why.position.map_or_else(String::new, |p| {
                        t!("replays-place", line = p.line, column = p.column)
                    });
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(format!("{name}{place}: {}", why.message))
                                .color(colors::ERROR),
                        )
                        .wrap(),
                    )
                    .on_hover_text(why.file.display().to_string());
                }
            });
        });
    ui.add_space(4.0);
    clicked
}

/// "0987650 · S · 97.80 %", or "FAILED" when it did.
fn result_line(replay: &Replay) -> String {
    match replay.result {
        Some(result) if result.failed => {
            t!("replays-failed", score = format!("{:07}", result.score))
        }
        Some(result) => format!(
            "{:07} · {} · {:.2} %",
            result.score,
            result.grade.name(),
            result.accuracy
        ),
        None => t!("replays-no-result"),
    }
}

/// Who played, how long ago, which lines of a group stage, at what rate and with which mods.
fn about_line(replay: &Replay, now: u64) -> String {
    let mut parts = vec![how_long_ago(replay.played_at, now)];
    if !replay.player.is_empty() {
        parts.insert(0, replay.player.clone());
    }
    if let Some(part) = replay.part() {
        parts.push(super::phrases::group_part(part));
    }
    if replay.settings.rate != 1.0 {
        parts.push(format!("×{:.2}", replay.settings.rate));
    }
    if let Some(mods) = super::mods_view::mods_summary(&replay.settings.mods) {
        parts.push(mods);
    }
    parts.join(" · ")
}
