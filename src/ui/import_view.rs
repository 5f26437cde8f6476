//! Importing charts from the song list: the "Import…" panel where a path is typed or pasted,
//! and the progress of an import running in the background, on every menu screen.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ScreenUi, colors};
use crate::import::{ImportJob, StartImport, StartNewLevel};
use crate::screens::Screen;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ImportPanel>().add_systems(
        EguiPrimaryContextPass,
        (
            import_panel_ui
                .after(ScreenUi)
                .run_if(in_state(Screen::SongSelect)),
            import_progress_ui
                .after(ScreenUi)
                .run_if(not(in_state(Screen::Gameplay))),
        ),
    );
}

/// Whether the panel is open, and the path typed so far.
#[derive(Resource, Default)]
pub(super) struct ImportPanel {
    open: bool,
    /// The panel just opened: its path field takes the keyboard.
    just_opened: bool,
    path: String,
    audio: String,
}

/// The song list's "Import charts…" button, which opens the panel or closes it.
pub(super) fn import_button(ui: &mut egui::Ui, panel: &mut ImportPanel) {
    let label = t!("import-button");
    let button = egui::Button::new(egui::RichText::new(&label).color(colors::TEXT));
    let response = ui.add(button).on_hover_text(t!("import-button-hint"));
    super::note_button(ui, &label, &response);
    if response.clicked() {
        panel.open = !panel.open;
        panel.just_opened = panel.open;
    }
}

fn import_panel_ui(
    mut contexts: EguiContexts,
    mut panel: ResMut<ImportPanel>,
    mut start: MessageWriter<StartImport>,
    mut new_level: MessageWriter<StartNewLevel>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if !panel.open {
        return Ok(());
    }
    let mut open = panel.open;
    let mut go = false;
    let mut make = false;
    egui::Window::new(t!("import-heading"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(560.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            ui.label(t!("import-what"));
            ui.add_space(6.0);
            let field = ui.add(
                egui::TextEdit::singleline(&mut panel.path)
                    .hint_text("~/StepMania/Songs")
                    .desired_width(520.0),
            );
            if std::mem::take(&mut panel.just_opened) {
                field.request_focus();
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                go = ui.button(t!("import-go")).clicked() || entered;
                ui.colored_label(colors::DIM, t!("import-where"));
            });
            ui.separator();
            ui.label(t!("import-new-level"));
            ui.add(
                egui::TextEdit::singleline(&mut panel.audio)
                    .hint_text("~/Music/my-song.ogg")
                    .desired_width(520.0),
            );
            make = ui.button(t!("import-make-level")).clicked();
        });
    let audio = panel.audio.trim().to_string();
    if make && !audio.is_empty() {
        new_level.write(StartNewLevel(typed_path(&audio)));
        open = false;
    }
    let path = panel.path.trim().to_string();
    if go && !path.is_empty() {
        start.write(StartImport(typed_path(&path)));
        open = false;
    }
    panel.open = open;
    Ok(())
}

/// A path as typed, with `~` for the home folder as a shell reads it.
fn typed_path(text: &str) -> std::path::PathBuf {
    match (text.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => text.into(),
    }
}

fn import_progress_ui(mut contexts: EguiContexts, job: Res<ImportJob>) -> Result {
    let Some(running) = &job.running else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    egui::Area::new("import-progress".into())
        .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -16.0))
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(colors::PANEL)
                .stroke(egui::Stroke::new(1.0, colors::ACCENT))
                .inner_margin(10.0)
                .corner_radius(8.0)
                .show(ui, |ui| {
                    ui.set_width(480.0);
                    let done = running.done.load(std::sync::atomic::Ordering::Relaxed);
                    ui.colored_label(
                        colors::TEXT,
                        t!(
                            "import-progress",
                            path = running.path.display().to_string(),
                            done = done,
                            total = running.total
                        ),
                    );
                    ui.add(egui::ProgressBar::new(running.fraction()).show_percentage());
                });
        });
    // Keep the bar moving while nothing else asks for a frame.
    ctx.request_repaint();
    Ok(())
}
