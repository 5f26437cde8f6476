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
            if ui.button(t!("common-back")).clicked() {
                next.set(Screen::Title);
            }
            ui.heading(t!("tour-heading"));
        });
        ui.colored_label(colors::DIM, t!("tour-intro"));
        egui::ScrollArea::vertical().show(ui, |ui| {
            for tour in tours.iter() {
                ui.add_space(8.0);
                ui.label(
                    RichText::new(&tour.name)
                        .size(26.0)
                        .strong()
                        .color(colors::ACCENT),
                );
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
                                        RichText::new(t!("tour-cleared")).color(colors::GOOD)
                                    } else if open {
                                        RichText::new(t!("tour-open")).color(colors::ACCENT_2)
                                    } else {
                                        RichText::new(t!("tour-locked")).color(colors::DIM)
                                    };
                                    ui.horizontal(|ui| {
                                        ui.label(
                                            RichText::new(t!(
                                                "tour-stage",
                                                number = s + 1,
                                                name = stage.name.clone()
                                            ))
                                            .size(22.0)
                                            .strong(),
                                        );
                                        ui.label(status.size(18.0));
                                    });
                                    ui.colored_label(colors::DIM, stage.venue.title());
                                    if !stage.blurb.is_empty() {
                                        ui.label(&stage.blurb);
                                    }
                                    ui.label(RichText::new(t!("tour-set-list")).strong());
                                    for (k, song) in stage.set_list.iter().enumerate() {
                                        let title = library
                                            .entries
                                            .iter()
                                            .find(|e| {
                                                e.summary.slug == song.level && e.summary.playable
                                            })
                                            .map_or(song.level.clone(), |e| {
                                                e.summary.title.clone()
                                            });
                                        ui.label(format!(
                                            "{}. {title} ({})",
                                            k + 1,
                                            song.difficulty
                                        ));
                                    }
                                    let goals: Vec<String> =
                                        stage.goals.iter().map(super::phrases::goal).collect();
                                    ui.label(
                                        RichText::new(if goals.is_empty() {
                                            t!("tour-goals-finish")
                                        } else {
                                            t!("tour-goals", goals = goals.join(", "))
                                        })
                                        .color(colors::ACCENT_2),
                                    );
                                    if open {
                                        let label = if done {
                                            t!("tour-play-again")
                                        } else {
                                            t!("tour-play")
                                        };
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
                                            t!(
                                                "tour-clear-to-open",
                                                stage = tour.stages[s - 1].name.clone()
                                            ),
                                        );
                                    }
                                });
                                // The merch a clear unlocks.
                                ui.vertical(|ui| {
                                    ui.label(RichText::new(t!("tour-rewards")).strong());
                                    let rewards = catalog.items.iter().filter(|i| {
                                        i.unlock.as_ref().is_some_and(|r| {
                                            r.tour_stages().contains(&stage.id.as_str())
                                        })
                                    });
                                    ui.horizontal_wrapped(|ui| {
                                        for item in rewards {
                                            let owned = fans.profile.owns(&item.id);
                                            let (rect, response) = ui.allocate_exact_size(
                                                vec2(110.0, 110.0),
                                                Sense::hover(),
                                            );
                                            let painter = ui.painter_at(rect);
                                            painter.rect_filled(
                                                rect,
                                                6.0,
                                                egui::Color32::from_rgb(20, 15, 38),
                                            );
                                            draw_item(&painter, rect.shrink(6.0), item, owned);
                                            response.on_hover_text(if owned {
                                                item.name.clone()
                                            } else {
                                                t!("tour-locked-item", item = item.name.clone())
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
