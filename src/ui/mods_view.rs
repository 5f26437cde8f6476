//! The mods picker a solo player finds in the song list and each seat on the join screen, and
//! the line that names a play's mods on the results.

use bevy_egui::egui;

use super::colors;
use crate::core::mods::{LANE_COVER, LaneMod, Mods, SIGHT_LINES};

/// What a lane mod is called in the picker.
pub fn lane_mod_name(lanes: LaneMod) -> String {
    match lanes {
        LaneMod::Off => t!("mods-as-written"),
        LaneMod::Mirror => t!("mods-mirror"),
        LaneMod::Shuffle { .. } => t!("mods-shuffle"),
        LaneMod::Random { .. } => t!("mods-random"),
    }
}

/// One row of mods: the lane mod, hidden, sudden and the lane cover, each with its line.
pub fn mods_row(
    ui: &mut egui::Ui,
    mods: &mut Mods,
    id: impl std::hash::Hash + Copy + std::fmt::Debug,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(t!("mods-heading"));
        egui::ComboBox::from_id_salt(("lane-mod", id))
            .selected_text(lane_mod_name(mods.lanes))
            .show_ui(ui, |ui| {
                for choice in LaneMod::ALL {
                    let chosen = mods.lanes.same_kind(choice);
                    if ui
                        .selectable_label(chosen, lane_mod_name(choice))
                        .on_hover_text(lane_mod_hint(choice))
                        .clicked()
                    {
                        mods.lanes = choice;
                    }
                }
            });
        line_toggle(ui, &t!("mods-hidden"), &mut mods.hidden, 0.4, SIGHT_LINES)
            .on_hover_text(t!("mods-hidden-hint"));
        line_toggle(ui, &t!("mods-sudden"), &mut mods.sudden, 0.6, SIGHT_LINES)
            .on_hover_text(t!("mods-sudden-hint"));
        line_toggle(
            ui,
            &t!("mods-lane-cover"),
            &mut mods.lane_cover,
            0.3,
            LANE_COVER,
        )
        .on_hover_text(t!("mods-lane-cover-hint"));
    });
}

fn lane_mod_hint(lanes: LaneMod) -> String {
    match lanes {
        LaneMod::Off => t!("mods-as-written-hint"),
        LaneMod::Mirror => t!("mods-mirror-hint"),
        LaneMod::Shuffle { .. } => t!("mods-shuffle-hint"),
        LaneMod::Random { .. } => t!("mods-random-hint"),
    }
}

/// A checkbox for a mod with a line, and the line's slider while it is on.
fn line_toggle(
    ui: &mut egui::Ui,
    name: &str,
    line: &mut Option<f32>,
    default: f32,
    range: std::ops::RangeInclusive<f32>,
) -> egui::Response {
    let mut on = line.is_some();
    let response = ui.checkbox(&mut on, name);
    match (on, *line) {
        (true, None) => *line = Some(default),
        (false, Some(_)) => *line = None,
        _ => {}
    }
    if let Some(value) = line {
        let mut percent = *value * 100.0;
        ui.add(
            egui::Slider::new(&mut percent, range.start() * 100.0..=range.end() * 100.0)
                .step_by(5.0)
                .suffix(" %"),
        );
        *value = percent / 100.0;
    }
    response
}

/// The mods of a play, as the results name them; `None` without any.
pub fn mods_summary(mods: &Mods) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if mods.lanes.label().is_some() {
        parts.push(lane_mod_name(mods.lanes));
    }
    if let Some(line) = mods.hidden {
        parts.push(t!(
            "mods-hidden-at",
            percent = format!("{:.0}", line * 100.0)
        ));
    }
    if let Some(line) = mods.sudden {
        parts.push(t!(
            "mods-sudden-at",
            percent = format!("{:.0}", line * 100.0)
        ));
    }
    if mods.lane_cover.is_some() {
        parts.push(t!("mods-lane-cover"));
    }
    (!parts.is_empty()).then(|| t!("mods-summary", mods = parts.join(" · ")))
}

/// The summary in the results' dim colour.
pub fn mods_label(ui: &mut egui::Ui, mods: &Mods) {
    if let Some(summary) = mods_summary(mods) {
        ui.colored_label(colors::ACCENT_2, summary);
    }
}
