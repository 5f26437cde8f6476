//! The join screen: four seats that players claim from their own keyboard layout or pad, each
//! showing the player's name, device, difficulty, scroll speed and judge.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ScreenUi, colors, root_ui};
use crate::bindings::{Device, KeyboardLayout, PAD_LEAVE, PAD_PAUSE};
use crate::core::multiplayer::MAX_PLAYERS;
use crate::core::profiles::{ProfileEntry, list_profiles};
use crate::lineup::{DIFFICULTY_NAMES, Lineup, Together};
use crate::screens::Screen;
use crate::settings::{ScrollSpeed, Settings};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        join_ui.in_set(ScreenUi).run_if(in_state(Screen::Join)),
    );
}

fn join_ui(
    mut contexts: EguiContexts,
    mut lineup: ResMut<Lineup>,
    settings: Res<Settings>,
    paths: Option<Res<crate::library::GamePaths>>,
    mut profiles: Local<Option<Vec<ProfileEntry>>>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    // Read once per visit of the screen, not every frame.
    if lineup.seats.is_empty() {
        *profiles = None;
    }
    let profiles = profiles
        .get_or_insert_with(|| {
            paths
                .as_ref()
                .map(|p| list_profiles(&p.data_dir))
                .unwrap_or_default()
        })
        .clone();
    let taken: Vec<Option<ProfileEntry>> = lineup.seats.iter().map(|s| s.profile.clone()).collect();
    let mut root = root_ui(ctx, "join");
    // The ways on stay in sight below the seats, however tall four seats make them.
    egui::Panel::bottom("join-actions").show(&mut root, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if super::menu_button(ui, &t!("common-back-esc")).clicked() {
                lineup.seats.clear();
                next.set(Screen::Title);
            }
            let ready = lineup.is_multiplayer();
            if ui
                .add_enabled_ui(ready, |ui| super::menu_button(ui, &t!("join-choose-song")))
                .inner
                .clicked()
            {
                next.set(Screen::SongSelect);
            }
            if !ready {
                ui.colored_label(colors::DIM, t!("join-two-or-more"));
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.heading(t!("join-heading"));
                    ui.add_space(20.0);
                    for (together, label) in [
                        (Together::Versus, t!("join-versus")),
                        (Together::Group, t!("join-group")),
                    ] {
                        if ui
                            .selectable_label(lineup.together == together, label)
                            .clicked()
                        {
                            lineup.together = together;
                        }
                    }
                });
                ui.colored_label(colors::DIM, t!("join-how-to-join"));
                ui.add_space(10.0);
                let width = (ui.available_width() / MAX_PLAYERS as f32 - 12.0).max(200.0);
                let mut leave = None;
                ui.horizontal_top(|ui| {
                    for slot in 0..MAX_PLAYERS {
                        ui.vertical(|ui| {
                            ui.set_width(width);
                            egui::Frame::new()
                                .fill(colors::PANEL)
                                .corner_radius(8.0)
                                .inner_margin(12.0)
                                .show(ui, |ui| {
                                    ui.set_min_height(300.0);
                                    ui.set_width(width - 24.0);
                                    match lineup.seats.get_mut(slot) {
                                        None => {
                                            ui.label(
                                                egui::RichText::new(t!(
                                                    "join-seat",
                                                    seat = slot + 1
                                                ))
                                                .size(22.0)
                                                .color(colors::DIM),
                                            );
                                            ui.colored_label(colors::DIM, t!("join-free"));
                                        }
                                        Some(seat) => {
                                            // A seat plays as a profile (its looks, and its fan
                                            // points and unlocks), or as a named guest.
                                            let shown = seat
                                                .profile
                                                .as_ref()
                                                .map_or(t!("join-guest"), |p| p.name.clone());
                                            egui::ComboBox::from_id_salt(("profile", slot))
                                                .selected_text(
                                                    egui::RichText::new(shown).size(22.0),
                                                )
                                                .show_ui(ui, |ui| {
                                                    if ui
                                                        .selectable_label(
                                                            seat.profile.is_none(),
                                                            t!("join-guest"),
                                                        )
                                                        .clicked()
                                                    {
                                                        seat.profile = None;
                                                        seat.name = format!("Guest {}", slot + 1);
                                                    }
                                                    for entry in &profiles {
                                                        let elsewhere = taken
                                                            .iter()
                                                            .enumerate()
                                                            .any(|(k, t)| {
                                                                k != slot
                                                                    && t.as_ref() == Some(entry)
                                                            });
                                                        if elsewhere {
                                                            continue;
                                                        }
                                                        if ui
                                                            .selectable_label(
                                                                seat.profile.as_ref()
                                                                    == Some(entry),
                                                                &entry.name,
                                                            )
                                                            .clicked()
                                                        {
                                                            seat.profile = Some(entry.clone());
                                                            seat.name = entry.name.clone();
                                                        }
                                                    }
                                                });
                                            if seat.profile.is_none() {
                                                ui.add(
                                                    egui::TextEdit::singleline(&mut seat.name)
                                                        .font(egui::TextStyle::Heading)
                                                        .char_limit(16),
                                                );
                                            }
                                            ui.colored_label(
                                                colors::ACCENT,
                                                seat.device.describe(),
                                            );
                                            let leave_with = match &seat.device {
                                                Device::Keyboard(layout) => {
                                                    super::song_select::key_name(
                                                        &layout.leave_key(),
                                                    )
                                                }
                                                Device::Pad { .. } => PAD_LEAVE.to_string(),
                                            };
                                            // The pause key goes through the profiles here, and
                                            // pauses once the song plays.
                                            let controls = match &seat.device {
                                                Device::Keyboard(layout) => format!(
                                                    "{}   ·   {}",
                                                    t!("join-leave", key = leave_with.clone()),
                                                    t!(
                                                        "join-pause-key",
                                                        key = super::song_select::key_name(
                                                            &layout.pause_key()
                                                        )
                                                    )
                                                ),
                                                Device::Pad { .. } => {
                                                    t!("join-leave", key = leave_with.clone())
                                                }
                                            };
                                            ui.colored_label(colors::DIM, controls);
                                            ui.add_space(8.0);
                                            egui::ComboBox::from_id_salt(("difficulty", slot))
                                                .selected_text(DIFFICULTY_NAMES[seat.difficulty])
                                                .show_ui(ui, |ui| {
                                                    for (i, name) in
                                                        DIFFICULTY_NAMES.iter().enumerate()
                                                    {
                                                        ui.selectable_value(
                                                            &mut seat.difficulty,
                                                            i,
                                                            *name,
                                                        );
                                                    }
                                                });
                                            let mut speed = match seat.scroll {
                                                ScrollSpeed::Constant(x) => x,
                                                ScrollSpeed::Multiplier(x) => x * 400.0,
                                            };
                                            ui.label(t!("join-scroll-speed"));
                                            if ui
                                                .add(
                                                    egui::Slider::new(&mut speed, 200.0..=2000.0)
                                                        .step_by(50.0),
                                                )
                                                .changed()
                                            {
                                                seat.scroll = ScrollSpeed::Constant(speed);
                                            }
                                            ui.label(t!("join-judge"));
                                            ui.add(egui::Slider::new(&mut seat.judge, 1..=9));
                                            ui.label(t!("join-highway-opacity"));
                                            let mut opacity = seat.highway_opacity * 100.0;
                                            ui.add(
                                                egui::Slider::new(
                                                    &mut opacity,
                                                    crate::settings::MIN_HIGHWAY_OPACITY * 100.0
                                                        ..=100.0,
                                                )
                                                .suffix(" %"),
                                            );
                                            seat.highway_opacity = opacity / 100.0;
                                            super::mods_view::mods_row(
                                                ui,
                                                &mut seat.mods,
                                                ("seat", slot),
                                            );
                                            ui.add_space(8.0);
                                            if ui.button(t!("join-leave-button")).clicked() {
                                                leave = Some(slot);
                                            }
                                        }
                                    }
                                });
                        });
                    }
                });
                if let Some(slot) = leave {
                    lineup.leave(slot);
                }
                ui.add_space(12.0);
                ui.label(egui::RichText::new(t!("join-layouts")).strong());
                for layout in KeyboardLayout::ALL {
                    let keys: Vec<String> = settings
                        .keys_of_layout(layout)
                        .iter()
                        .map(super::song_select::key_name)
                        .collect();
                    ui.colored_label(
                        colors::DIM,
                        t!(
                            "join-layout-keys",
                            layout = layout.name(),
                            keys = keys.join(" "),
                            pause = super::song_select::key_name(&layout.pause_key()),
                            leave = super::song_select::key_name(&layout.leave_key())
                        ),
                    );
                }
                ui.colored_label(
                    colors::DIM,
                    t!("join-pads", pause = PAD_PAUSE, leave = PAD_LEAVE),
                );
            });
    });
    Ok(())
}
