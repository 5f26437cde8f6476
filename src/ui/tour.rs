//! The festival tour screen: each tour's stages in order, with their venue, set list, goals
//! and the merch a clear unlocks; open stages can be played, locked ones say what opens them.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui::{RichText, Sense, vec2};

use super::merch_art::draw_item;
use super::{ScreenUi, colors, root_ui};
use crate::fans::{Fans, MerchCatalog, Tours};
use crate::library::SongLibrary;
use crate::notice::Notices;
use crate::screens::Screen;
use crate::settings::Settings;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        tour_ui.in_set(ScreenUi).run_if(in_state(Screen::Tour)),
    );
}

#[allow(clippy::too_many_arguments)]
fn tour_ui(
    mut contexts: EguiContexts,
    fans: Option<Res<Fans>>,
    catalog: Option<Res<MerchCatalog>>,
    tours: Option<Res<Tours>>,
    library: Res<SongLibrary>,
    settings: Res<Settings>,
    mut notices: ResMut<Notices>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let (Some(fans), Some(catalog), Some(tours)) = (fans, catalog, tours) else {
        next.set(Screen::Title);
        return Ok(());
    };
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        next.set(Screen::Title);
    }
    let cleared = &fans.profile.progress.tour_stages;
    let mut root = root_ui(ctx, "tour");
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.horizontal(|ui| {
            if ui.button("◀ Back").clicked() {
                next.set(Screen::Title);
            }
            ui.heading("Festival tour");
        });
        ui.colored_label(
            colors::DIM,
            "Play a stage's whole set list and meet its goals to clear it. Each clear opens the next stage and unlocks merch.",
        );
        egui::ScrollArea::vertical().show(ui, |ui| {
            for tour in tours.iter() {
                ui.add_space(8.0);
                ui.label(RichText::new(&tour.name).size(26.0).strong().color(colors::ACCENT));
                for (s, stage) in tour.stages.iter().enumerate() {
                    let done = cleared.contains(&stage.id);
                    let open = tour.is_open(s, cleared);
                    egui::Frame::new()
                        .fill(colors::PANEL)
                        .corner_radius(8.0)
                        .inner_margin(12.0)
                        .show(ui, |ui| {
                            ui.set_width(ui.available_width() - 24.0);
                            ui.horizontal_top(|ui| {
                                ui.vertical(|ui| {
                                    ui.set_width(ui.available_width() - 260.0);
                                    let status = if done {
                                        RichText::new("✔ cleared").color(colors::GOOD)
                                    } else if open {
                                        RichText::new("open").color(colors::ACCENT_2)
                                    } else {
                                        RichText::new("🔒 locked").color(colors::DIM)
                                    };
                                    ui.horizontal(|ui| {
                                        ui.label(
                                            RichText::new(format!("Stage {}: {}", s + 1, stage.name))
                                                .size(22.0)
                                                .strong(),
                                        );
                                        ui.label(status.size(18.0));
                                    });
                                    ui.colored_label(colors::DIM, stage.venue.title());
                                    if !stage.blurb.is_empty() {
                                        ui.label(&stage.blurb);
                                    }
                                    ui.label(RichText::new("Set list").strong());
                                    for (k, song) in stage.set_list.iter().enumerate() {
                                        let title = library
                                            .entries
                                            .iter()
                                            .find(|e| e.summary.slug == song.level && e.summary.playable)
                                            .map_or(song.level.clone(), |e| e.summary.title.clone());
                                        ui.label(format!("{}. {title} ({})", k + 1, song.difficulty));
                                    }
                                    let goals: Vec<String> =
                                        stage.goals.iter().map(super::phrases::goal).collect();
                                    ui.label(
                                        RichText::new(format!(
                                            "Goals: finish every song{}{}",
                                            if goals.is_empty() { "" } else { ", " },
                                            goals.join(", ")
                                        ))
                                        .color(colors::ACCENT_2),
                                    );
                                    if open {
                                        let label = if done { "Play again ▶" } else { "Play this stage ▶" };
                                        if ui.button(RichText::new(label).size(20.0)).clicked() {
                                            match crate::tour::start_stage(
                                                &mut commands,
                                                stage,
                                                &library,
                                                &settings,
                                            ) {
                                                Ok(()) => next.set(Screen::Gameplay),
                                                Err(why) => notices.push(why),
                                            }
                                        }
                                    } else if s > 0 {
                                        ui.colored_label(
                                            colors::DIM,
                                            format!("Clear {} to open this stage.", tour.stages[s - 1].name),
                                        );
                                    }
                                });
                                // The merch a clear unlocks.
                                ui.vertical(|ui| {
                                    ui.label(RichText::new("Rewards").strong());
                                    let rewards = catalog.items.iter().filter(|i| {
                                        i.unlock
                                            .as_ref()
                                            .is_some_and(|r| r.tour_stages().contains(&stage.id.as_str()))
                                    });
                                    ui.horizontal_wrapped(|ui| {
                                        for item in rewards {
                                            let owned = fans.profile.owns(&item.id);
                                            let (rect, response) =
                                                ui.allocate_exact_size(vec2(110.0, 110.0), Sense::hover());
                                            let painter = ui.painter_at(rect);
                                            painter.rect_filled(rect, 6.0, egui::Color32::from_rgb(20, 15, 38));
                                            draw_item(&painter, rect.shrink(6.0), item, owned);
                                            response.on_hover_text(if owned {
                                                item.name.clone()
                                            } else {
                                                format!("{} (locked)", item.name)
                                            });
                                        }
                                    });
                                });
                            });
                        });
                    ui.add_space(6.0);
                }
            }
        });
    });
    Ok(())
}
