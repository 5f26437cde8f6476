//! The title screen: the menu, the profile being played, and the equipped poster and
//! lightstick as its backdrop.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ScreenUi, colors, menu_button, root_ui};
use crate::core::profiles::{ProfileEntry, create_profile, list_profiles};
use crate::lesson::TitleChoice;
use crate::library::GamePaths;
use crate::screens::Screen;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        title_ui.in_set(ScreenUi).run_if(in_state(Screen::Title)),
    );
}

/// The profile picker's state: the list on disk, and a new profile's name being typed.
#[derive(Resource, Default)]
struct ProfilePicker {
    profiles: Option<Vec<ProfileEntry>>,
    new_name: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn title_ui(
    mut contexts: EguiContexts,
    mut next: ResMut<NextState<Screen>>,
    mut exit: MessageWriter<AppExit>,
    time: Res<Time<Real>>,
    fans: Option<Res<crate::fans::Fans>>,
    catalog: Option<Res<crate::fans::MerchCatalog>>,
    paths: Option<Res<GamePaths>>,
    mut picker: Local<ProfilePicker>,
    mut notices: ResMut<crate::notice::Notices>,
    mut commands: Commands,
    mut choice: MessageWriter<TitleChoice>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root_ui(ctx, "title");
    let typing = picker.new_name.is_some();
    egui::CentralPanel::default().show(&mut root, |ui| {
        let rect = ui.max_rect();
        // The equipped poster is the menu's backdrop.
        let worn = |category| {
            fans.as_ref()
                .zip(catalog.as_ref())
                .and_then(|(f, c)| f.equipped(c, category))
        };
        if let Some(poster) = worn(crate::core::merch::Category::Poster) {
            let size = rect.height() * 0.75;
            for at in [
                egui::pos2(rect.left() + size * 0.4, rect.center().y),
                egui::pos2(rect.right() - size * 0.4, rect.center().y),
            ] {
                let backdrop = egui::Rect::from_center_size(at, egui::vec2(size * 0.7, size));
                super::merch_art::draw_item(ui.painter(), backdrop, poster, true);
                // Dimmed, so the menu stays in front.
                ui.painter().rect_filled(
                    backdrop.expand(2.0),
                    0.0,
                    colors::BACKGROUND.gamma_multiply(0.55),
                );
            }
        }
        // Lightsticks sway to a 120 BPM pulse behind the title: the equipped lightstick, or
        // the default pink and blue.
        let painter = ui.painter();
        let beat = (time.elapsed_secs() * 2.0).fract();
        let worn = worn(crate::core::merch::Category::Lightstick);
        let mut heads = super::paint::StageMesh::new();
        for i in 0..24 {
            let x = rect.left() + rect.width() * (i as f32 + 0.5) / 24.0;
            let sway = ((time.elapsed_secs() * 2.0 + i as f32 * 0.7).sin()) * 10.0;
            let base = egui::pos2(x, rect.bottom() - 30.0);
            let tip = egui::pos2(x + sway, rect.bottom() - 110.0);
            let (glow, shape) = match worn {
                Some(item) => (super::merch_art::item_colour(item), item.shape),
                None if i % 2 == 0 => (colors::ACCENT, crate::core::merch::Shape::Round),
                None => (colors::ACCENT_2, crate::core::merch::Shape::Round),
            };
            painter.line_segment([base, tip], egui::Stroke::new(4.0, colors::DIM));
            super::paint::draw_shape(
                &mut heads,
                tip,
                9.0 + 4.0 * (1.0 - beat),
                shape,
                glow.gamma_multiply(0.8),
            );
        }
        heads.finish(painter);
        ui.vertical_centered(|ui| {
            ui.add_space(rect.height() * 0.05);
            ui.label(
                egui::RichText::new("LIGHTSTICK")
                    .font(super::fonts::display(ui.ctx(), 76.0))
                    .strong()
                    .color(colors::ACCENT),
            );
            ui.label(
                egui::RichText::new(t!("title-tagline"))
                    .size(22.0)
                    .color(colors::DIM),
            );
            ui.add_space(14.0);
            let play = menu_button(ui, &t!("title-play"));
            if play.clicked() {
                choice.write(TitleChoice::Play);
            }
            if menu_button(ui, &t!("title-how-to-play")).clicked() {
                choice.write(TitleChoice::Lesson);
            }
            if menu_button(ui, &t!("title-multiplayer")).clicked() {
                next.set(Screen::Join);
            }
            if menu_button(ui, &t!("title-tour")).clicked() {
                next.set(Screen::Tour);
            }
            if menu_button(ui, &t!("title-collection")).clicked() {
                next.set(Screen::Collection);
            }
            if menu_button(ui, &t!("title-settings")).clicked() {
                next.set(Screen::Settings);
            }
            if menu_button(ui, &t!("title-quit")).clicked() {
                exit.write(AppExit::Success);
            }
            ui.add_space(20.0);
            ui.label(egui::RichText::new(t!("title-keys")).color(colors::DIM));
        });
    });
    if let Some(paths) = &paths {
        profile_picker(
            ctx,
            paths,
            fans.as_deref(),
            &mut picker,
            &mut notices,
            &mut commands,
        );
    }
    if typing {
        return Ok(());
    }
    let (enter, settings, quit, multiplayer, tour, collection) = ctx.input(|i| {
        (
            i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Space),
            i.key_pressed(egui::Key::S),
            i.key_pressed(egui::Key::Escape),
            i.key_pressed(egui::Key::M),
            i.key_pressed(egui::Key::T),
            i.key_pressed(egui::Key::C),
        )
    });
    // P: play as the next profile, without the mouse.
    if ctx.input(|i| i.key_pressed(egui::Key::P))
        && let (Some(paths), Some(profiles)) = (&paths, &picker.profiles)
        && profiles.len() > 1
    {
        let at = profiles
            .iter()
            .position(|p| *p == paths.profile)
            .unwrap_or(0);
        let entry = profiles[(at + 1) % profiles.len()].clone();
        picker.profiles = None;
        commands.queue(move |world: &mut World| crate::player_data::switch_profile(world, entry));
    }
    if tour {
        next.set(Screen::Tour);
    } else if collection {
        next.set(Screen::Collection);
    } else if enter {
        choice.write(TitleChoice::Play);
    } else if multiplayer {
        next.set(Screen::Join);
    } else if settings {
        next.set(Screen::Settings);
    } else if quit {
        exit.write(AppExit::Success);
    }
    Ok(())
}

/// The profile in play, top right: pick another, or make a new one.
fn profile_picker(
    ctx: &egui::Context,
    paths: &GamePaths,
    fans: Option<&crate::fans::Fans>,
    picker: &mut ProfilePicker,
    notices: &mut crate::notice::Notices,
    commands: &mut Commands,
) {
    let profiles = picker
        .profiles
        .get_or_insert_with(|| list_profiles(&paths.data_dir))
        .clone();
    let mut switch_to = None;
    let mut cancel = false;
    egui::Area::new("profile".into())
        .anchor(egui::Align2::RIGHT_TOP, egui::vec2(-16.0, 16.0))
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(colors::PANEL)
                .corner_radius(8.0)
                .inner_margin(10.0)
                .show(ui, |ui| {
                    ui.set_min_width(250.0);
                    ui.horizontal(|ui| {
                        ui.label(t!("title-playing-as"));
                        egui::ComboBox::from_id_salt("profile")
                            .selected_text(egui::RichText::new(&paths.profile.name).strong())
                            .show_ui(ui, |ui| {
                                for entry in &profiles {
                                    if ui
                                        .selectable_label(*entry == paths.profile, &entry.name)
                                        .clicked()
                                        && *entry != paths.profile
                                    {
                                        switch_to = Some(entry.clone());
                                    }
                                }
                                if ui
                                    .selectable_label(false, t!("title-new-profile"))
                                    .clicked()
                                {
                                    picker.new_name = Some(String::new());
                                }
                            });
                    });
                    if let Some(fans) = fans {
                        ui.colored_label(
                            colors::ACCENT,
                            t!(
                                "title-fan-points",
                                points = fans.profile.progress.fan_points,
                                items = fans.profile.unlocked.len()
                            ),
                        );
                    }
                    if let Some(name) = picker.new_name.as_mut() {
                        ui.label(t!("title-new-profile-name"));
                        let field = ui.add(
                            egui::TextEdit::singleline(name)
                                .char_limit(crate::core::profiles::MAX_NAME_CHARS),
                        );
                        field.request_focus();
                        let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                        let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
                        ui.horizontal(|ui| {
                            if ui.button(t!("common-create")).clicked() || enter {
                                match create_profile(&paths.data_dir, name) {
                                    Ok(made) => switch_to = Some(made),
                                    Err(why) => notices.push(why.to_string()),
                                }
                            }
                            if ui.button(t!("common-cancel")).clicked() || escape {
                                cancel = true;
                            }
                        });
                    }
                });
        });
    if cancel {
        picker.new_name = None;
    }
    if let Some(entry) = switch_to {
        picker.new_name = None;
        picker.profiles = None;
        commands.queue(move |world: &mut World| crate::player_data::switch_profile(world, entry));
    }
}
