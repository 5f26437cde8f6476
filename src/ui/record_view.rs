//! What record mode shows over the play: what is being recorded and into which chart, the
//! take's presses as they come, the quantised chart while it plays back, the question when the
//! file changed on disk, what writing it did, and the keys.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ScreenUi, colors};
use crate::core::chart::PlacedKind;
use crate::core::level::edit::ChartPlace;
use crate::gameplay::record_mode::RecordRun;
use crate::screens::Screen;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        record_panel
            .after(ScreenUi)
            .run_if(in_state(Screen::Gameplay))
            .run_if(resource_exists::<RecordRun>),
    );
}

fn record_panel(mut contexts: EguiContexts, run: Res<RecordRun>) -> Result {
    let ctx = contexts.ctx_mut()?;
    egui::Area::new("record mode".into())
        .order(egui::Order::Foreground)
        .anchor(egui::Align2::LEFT_TOP, egui::vec2(20.0, 72.0))
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style())
                .fill(egui::Color32::from_rgba_unmultiplied(20, 12, 32, 224))
                .inner_margin(12.0)
                .show(ui, |ui| {
                    ui.set_max_width(540.0);
                    heading(ui, &run);
                    match &run.recorded {
                        None => taking(ui, &run),
                        Some(_) => reviewing(ui, &run),
                    }
                });
        });
    Ok(())
}

/// Which chart is being recorded, at what snap, and that nothing is scored.
fn heading(ui: &mut egui::Ui, run: &RecordRun) {
    let into = match &run.place {
        ChartPlace::Added => t!("record-new-chart", name = run.name.clone()),
        ChartPlace::Replacing(name) => t!("record-replacing", name = name.clone()),
    };
    ui.colored_label(
        colors::ACCENT,
        egui::RichText::new(t!("record-heading", into = into, lanes = run.lanes)).strong(),
    );
    ui.colored_label(colors::DIM, t!("record-snap", snap = run.snap.name()));
}

fn taking(ui: &mut egui::Ui, run: &RecordRun) {
    ui.add_space(4.0);
    ui.colored_label(
        colors::ERROR,
        egui::RichText::new(t!("record-presses", count = run.presses.len())).size(18.0),
    );
    ui.colored_label(colors::TEXT, t!("record-how"));
    ui.add_space(4.0);
    ui.colored_label(colors::DIM, t!("record-take-keys"));
}

fn reviewing(ui: &mut egui::Ui, run: &RecordRun) {
    let Some(recorded) = &run.recorded else {
        return;
    };
    let holds = recorded
        .notes
        .iter()
        .filter(|n| matches!(n.2, PlacedKind::Hold { .. }))
        .count();
    ui.add_space(4.0);
    ui.colored_label(
        colors::ACCENT_2,
        egui::RichText::new(t!(
            "record-playback",
            notes = recorded.notes.len(),
            holds = holds,
            snap = recorded.snap.name(),
            meter = recorded.meter
        ))
        .size(16.0),
    );
    if run.asking.is_some() {
        ui.add_space(4.0);
        ui.colored_label(colors::ERROR, t!("record-file-changed"));
        return;
    }
    match &run.outcome {
        Some(Ok(written)) => {
            ui.colored_label(colors::GOOD, written);
        }
        Some(Err(why)) => {
            ui.colored_label(colors::ERROR, t!("record-not-written"));
            ui.label(egui::RichText::new(why).monospace().color(colors::TEXT));
        }
        None => {}
    }
    ui.add_space(4.0);
    ui.colored_label(colors::DIM, t!("record-review-keys"));
}
