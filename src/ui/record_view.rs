//! What record mode shows over the play: what is being recorded and into which chart, the
//! take's presses as they come, the quantised chart while it plays back, the question when the
//! file changed on disk, what writing it did, and the keys.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ScreenUi, colors};
use crate::core::chart::PlacedKind;
use crate::core::level::edit::ChartPlace;
use crate::gameplay::record_mode::{REVIEW_KEYS, RecordRun, TAKE_KEYS};
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
        ChartPlace::Added => format!("new chart `{}`", run.name),
        ChartPlace::Replacing(name) => format!("in place of `{name}`"),
    };
    ui.colored_label(
        colors::ACCENT,
        egui::RichText::new(format!("RECORD · {into} · {} lanes", run.lanes)).strong(),
    );
    ui.colored_label(
        colors::DIM,
        format!(
            "snap {} · not scored, nothing saved until you write it",
            run.snap.name()
        ),
    );
}

fn taking(ui: &mut egui::Ui, run: &RecordRun) {
    ui.add_space(4.0);
    ui.colored_label(
        colors::ERROR,
        egui::RichText::new(format!("REC  {} presses", run.presses.len())).size(18.0),
    );
    ui.colored_label(
        colors::TEXT,
        "Tap the lanes along with the song; hold a key for a hold.",
    );
    ui.add_space(4.0);
    ui.colored_label(colors::DIM, TAKE_KEYS);
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
        egui::RichText::new(format!(
            "▶ PLAYBACK  {} notes ({holds} hold{}) at {} · meter {}",
            recorded.notes.len(),
            if holds == 1 { "" } else { "s" },
            recorded.snap.name(),
            recorded.meter
        ))
        .size(16.0),
    );
    if run.asking.is_some() {
        ui.add_space(4.0);
        ui.colored_label(
            colors::ERROR,
            "The level file changed on disk since the take began.\nEnter: write the chart into it as it is now · Backspace: don't write",
        );
        return;
    }
    match &run.outcome {
        Some(Ok(written)) => {
            ui.colored_label(colors::GOOD, written);
        }
        Some(Err(why)) => {
            ui.colored_label(colors::ERROR, "Not written: the level would not validate.");
            ui.label(egui::RichText::new(why).monospace().color(colors::TEXT));
        }
        None => {}
    }
    ui.add_space(4.0);
    ui.colored_label(colors::DIM, REVIEW_KEYS);
}
