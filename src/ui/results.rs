//! The results screen: grade, score, judgement counts, combo, accuracy, the hit-error mean and
//! spread, a histogram of hit errors and a plot of error against song time.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui::{Align2, Color32, FontId, Rect, Stroke, pos2, vec2};

use super::play_view::judgement_color;
use super::{ScreenUi, colors, root_ui};
use crate::bindings::OffsetDevice;
use crate::core::calibration::{Calibration, MAX_PLAY_SPREAD_MS, MIN_PLAY_HITS};
use crate::core::judge::Windows;
use crate::core::judgement::Judgement;
use crate::gameplay::PlayMode;
use crate::gameplay::calibration::CalibrationKind;
use crate::gameplay::record::{LastPlay, TogetherOutcome};
use crate::screens::Screen;
use crate::settings::Settings;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        results_ui
            .in_set(ScreenUi)
            .run_if(in_state(Screen::Results)),
    );
}

#[allow(clippy::too_many_arguments)]
fn results_ui(
    mut contexts: EguiContexts,
    last: Option<Res<LastPlay>>,
    tour: Option<Res<crate::tour::TourRun>>,
    library: Res<crate::library::SongLibrary>,
    mut notices: ResMut<crate::notice::Notices>,
    mut commands: Commands,
    mut settings: ResMut<Settings>,
    mut next: ResMut<NextState<Screen>>,
    mut jackets: ResMut<super::jackets::Jackets>,
    scores: Res<crate::library::Scores>,
    request: Option<ResMut<crate::gameplay::PlayRequest>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(last) = last else {
        next.set(Screen::SongSelect);
        return Ok(());
    };
    let (leave, retry, retry_no_fail, watch_key) = ctx.input(|i| {
        (
            i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Escape),
            i.key_pressed(egui::Key::R),
            i.key_pressed(egui::Key::N),
            i.key_pressed(egui::Key::W),
        )
    });
    let offer_watch = tour.is_none() && can_watch(&last);
    let mut watch = watch_key && offer_watch;
    let offer_no_fail = tour.is_none() && offers_no_fail(&last, &scores.book);
    if let Some(run) = &tour {
        // On tour the set list goes on: Enter plays the next song, and a retry would replay
        // a song the stage already judged.
        tour_banner(ctx, run);
        if leave {
            next.set(crate::tour::continue_tour(
                &mut commands,
                run,
                &library,
                &settings,
                &mut notices,
            ));
        }
    } else if leave {
        next.set(if last.calibration.is_some() {
            Screen::Settings
        } else {
            Screen::SongSelect
        });
    }
    let mut retry = retry && tour.is_none();
    let mut no_fail = retry_no_fail && offer_no_fail;
    if let Some((kind, outcome, errors)) = &last.calibration {
        let device = last.played_with.clone().unwrap_or(OffsetDevice::Keyboard);
        calibration_results(
            ctx,
            *kind,
            outcome,
            errors,
            &device,
            &mut settings,
            &mut next,
        );
        return Ok(());
    }
    let mut root = root_ui(ctx, "results");
    // The way on stays in sight below the results, however long they are.
    egui::Panel::bottom("results-actions").show(&mut root, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let button = |ui: &mut egui::Ui, text: &str| {
                let response = ui.add_sized(
                    [220.0, 40.0],
                    egui::Button::new(egui::RichText::new(text).size(19.0)),
                );
                super::note_button(ui, text, &response);
                response.clicked()
            };
            match &tour {
                Some(run) => {
                    let label = if run.next_song().is_some() {
                        "Next song ▶ (Enter)"
                    } else {
                        "Back to the tour (Enter)"
                    };
                    if button(ui, label) {
                        next.set(crate::tour::continue_tour(
                            &mut commands,
                            run,
                            &library,
                            &settings,
                            &mut notices,
                        ));
                    }
                }
                None => {
                    if button(ui, "Song list (Enter)") {
                        next.set(Screen::SongSelect);
                    }
                    if button(ui, "Retry (R)") {
                        retry = true;
                    }
                    if offer_no_fail && button(ui, "Retry with no fail (N)") {
                        no_fail = true;
                    }
                    if offer_watch && button(ui, "Watch replay (W)") {
                        watch = true;
                    }
                }
            }
            // The file's name fits beside the buttons; its whole path is on hover.
            if let Some(path) = &last.replay_path {
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                ui.colored_label(colors::DIM, format!("replay saved: {name}"))
                    .on_hover_text(path.display().to_string());
            }
        });
        if offer_no_fail {
            ui.colored_label(
                colors::DIM,
                "Failed twice in a row: with no fail the song plays to the end, however empty the bar.",
            );
        }
        ui.add_space(6.0);
    });
    if let Some(together) = &last.together {
        together_results(&mut root, &last, together);
        return Ok(());
    }
    let result = &last.result;
    let windows = Windows::for_difficulty(last.replay.settings.difficulty);
    let chart = &last.level.charts[last.chart];
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(420.0);
                        if let Some(path) = &last.level.jacket
                            && let Some(texture) = jackets.texture(ui.ctx(), path)
                        {
                            ui.add(
                                egui::Image::new((texture, egui::vec2(96.0, 96.0)))
                                    .maintain_aspect_ratio(true)
                                    .corner_radius(6.0),
                            );
                        }
                        ui.label(egui::RichText::new(&last.level.title).size(30.0).strong());
                        ui.colored_label(
                            colors::ACCENT,
                            format!(
                                "{} · {} {}",
                                last.level.artist, chart.difficulty, chart.meter
                            ),
                        );
                        super::mods_view::mods_label(ui, &last.replay.settings.mods);
                        match &last.mode {
                            PlayMode::Autoplay => {
                                ui.colored_label(colors::DIM, "autoplay: not saved");
                            }
                            PlayMode::Replay(_) => {
                                ui.colored_label(colors::DIM, "replay: not saved");
                            }
                            PlayMode::Normal | PlayMode::Calibrate(_) => {}
                        }
                        if let Some(measure) = last.practice.map(|p| p.from) {
                            ui.colored_label(
                        colors::DIM,
                        format!(
                            "practice from measure {measure}: no best score, fan points or merch"
                        ),
                    );
                        }
                        ui.add_space(10.0);
                        let grade_color = match result.grade {
                            crate::core::score::Grade::F => colors::ERROR,
                            crate::core::score::Grade::SS | crate::core::score::Grade::S => {
                                judgement_color(Judgement::Perfect)
                            }
                            _ => colors::TEXT,
                        };
                        ui.label(
                            egui::RichText::new(result.grade.name())
                                .font(super::fonts::display(ui.ctx(), 110.0))
                                .strong()
                                .color(grade_color),
                        );
                        ui.label(
                            egui::RichText::new(format!("{:07}", result.score))
                                .size(44.0)
                                .monospace(),
                        );
                        ui.label(
                            egui::RichText::new(format!("{:.2}%", result.accuracy))
                                .size(28.0)
                                .color(colors::ACCENT_2),
                        );
                        if result.failed {
                            // A failed play is never a best, whatever its score.
                            ui.colored_label(
                                colors::ERROR,
                                egui::RichText::new("FAILED").size(20.0),
                            );
                        } else {
                            let mut flags = Vec::new();
                            if result.all_perfect {
                                flags.push("ALL PERFECT");
                            } else if result.full_combo {
                                flags.push("FULL COMBO");
                            }
                            if last.new_best {
                                flags.push("NEW BEST");
                            }
                            if !flags.is_empty() {
                                ui.colored_label(
                                    colors::GOOD,
                                    egui::RichText::new(flags.join("  ·  ")).size(20.0),
                                );
                            }
                        }
                        if let Some(earned) = &last.earned {
                            ui.colored_label(
                                colors::ACCENT_2,
                                format!("+{} fan points", earned.fan_points),
                            );
                            // New merch, as toasts the player cannot miss.
                            for name in &earned.unlocked {
                                egui::Frame::new()
                                    .fill(colors::ACCENT.gamma_multiply(0.25))
                                    .corner_radius(6.0)
                                    .inner_margin(6.0)
                                    .show(ui, |ui| {
                                        ui.colored_label(colors::TEXT, format!("Unlocked: {name}"));
                                    });
                            }
                        }
                        ui.add_space(10.0);
                        counts_table(ui, result);
                        ui.add_space(12.0);
                        if last.mode == PlayMode::Normal {
                            ui.add_space(8.0);
                            calibrate_from_play(ui, &last, &mut settings);
                        }
                    });
                    ui.vertical(|ui| {
                        let width = ui.available_width().min(720.0);
                        ui.label("Hit error: early to the left, late to the right");
                        histogram(ui, &last.offsets, width, &windows);
                        ui.add_space(12.0);
                        ui.label("Hit error over the song");
                        offset_plot(ui, &last.offsets, chart.last_time(), width, &windows);
                    });
                });
            });
    });
    if let Some(mut request) = request
        && (retry || no_fail)
    {
        // A retry is the player's own play again, even after watching a replay.
        if matches!(request.mode, PlayMode::Replay(_)) {
            request.mode = PlayMode::Normal;
            request.judge = last.replay.settings;
        }
        request.judge.no_fail |= no_fail;
        next.set(Screen::Gameplay);
    }
    if watch {
        commands.write_message(crate::replays::WatchReplay {
            level: last.level.clone(),
            chart: last.chart,
            replay: last.replay.clone(),
        });
    }
    Ok(())
}

/// Whether the results offer to watch the play's replay: a whole solo play of a chart (not a
/// calibration or a practice, whose inputs start mid-song).
fn can_watch(last: &LastPlay) -> bool {
    last.together.is_none()
        && last.calibration.is_none()
        && last.practice.is_none()
        && !last.replay.events.is_empty()
}

/// Whether the results offer a retry with no fail: a solo play failed, and so did the one before
/// it on this chart (the score book counts fails in a row).
fn offers_no_fail(last: &LastPlay, book: &crate::core::records::ScoreBook) -> bool {
    let chart = &last.level.charts[last.chart];
    let kept_as = crate::core::records::record_as(&chart.difficulty, &last.replay.settings);
    last.result.failed
        && last.together.is_none()
        && last.mode == PlayMode::Normal
        && last.practice.is_none()
        && book
            .best(&last.level.slug, &kept_as)
            .is_some_and(|record| record.fails_in_a_row >= 2)
}

/// Each judgement's count, then holds, mines, combo and the hit error, one row each.
fn counts_table(ui: &mut egui::Ui, result: &crate::core::score::PlayResult) {
    let rows = [
        (
            "Holds",
            format!("{} / {}", result.counts.held, result.holds),
        ),
        ("Holds let go", result.counts.let_go.to_string()),
        (
            "Mines hit",
            format!("{} / {}", result.counts.mines_hit, result.mines),
        ),
        (
            "Max combo",
            format!("{} / {}", result.max_combo, result.notes),
        ),
        ("Mean error", format!("{:+.1} ms", result.hit_error.mean_ms)),
        ("Spread (σ)", format!("{:.1} ms", result.hit_error.std_ms)),
    ];
    egui::Grid::new("counts")
        .num_columns(2)
        .spacing([40.0, 6.0])
        .show(ui, |ui| {
            for judgement in Judgement::ALL {
                ui.colored_label(judgement_color(judgement), judgement.name());
                ui.label(egui::RichText::new(result.counts.of(judgement).to_string()).monospace());
                ui.end_row();
            }
            for (name, value) in rows {
                ui.label(name);
                ui.label(egui::RichText::new(value).monospace());
                ui.end_row();
            }
        });
}

/// Counts of hits per 5 ms bin from -180 to +180 ms.
pub fn histogram_bins(offsets: &[(f64, f64)]) -> Vec<u32> {
    let mut bins = vec![0u32; 72];
    for (_, offset) in offsets {
        let ms = offset * 1000.0;
        let bin = ((ms + 180.0) / 5.0).floor();
        if (0.0..72.0).contains(&bin) {
            bins[bin as usize] += 1;
        }
    }
    bins
}

fn histogram(ui: &mut egui::Ui, offsets: &[(f64, f64)], width: f32, windows: &Windows) {
    let (rect, _) = ui.allocate_exact_size(vec2(width, 180.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 6.0, colors::PANEL);
    let bins = histogram_bins(offsets);
    let tallest = bins.iter().copied().max().unwrap_or(0).max(1) as f32;
    let bar_width = rect.width() / bins.len() as f32;
    for (i, count) in bins.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let centre_ms = (i as f64 * 5.0 + 2.5 - 180.0) / 1000.0;
        let judgement = windows.judge(centre_ms).unwrap_or(Judgement::Miss);
        let height = (rect.height() - 20.0) * (*count as f32 / tallest);
        let bar = Rect::from_min_max(
            pos2(
                rect.left() + bar_width * i as f32 + 1.0,
                rect.bottom() - 16.0 - height,
            ),
            pos2(
                rect.left() + bar_width * (i + 1) as f32 - 1.0,
                rect.bottom() - 16.0,
            ),
        );
        painter.rect_filled(bar, 1.0, judgement_color(judgement));
    }
    let mid = rect.center().x;
    painter.line_segment(
        [pos2(mid, rect.top()), pos2(mid, rect.bottom() - 16.0)],
        Stroke::new(1.0, Color32::WHITE.gamma_multiply(0.5)),
    );
    for ms in [-180, -90, 0, 90, 180] {
        let x = rect.left() + rect.width() * ((ms as f32 + 180.0) / 360.0);
        // The end labels sit inside the plot, so the edge cuts none of their digits.
        let (x, align) = match ms {
            -180 => (x + 3.0, Align2::LEFT_BOTTOM),
            180 => (x - 3.0, Align2::RIGHT_BOTTOM),
            _ => (x, Align2::CENTER_BOTTOM),
        };
        painter.text(
            pos2(x, rect.bottom() - 2.0),
            align,
            format!("{ms} ms"),
            FontId::proportional(11.0),
            colors::DIM,
        );
    }
}

fn offset_plot(
    ui: &mut egui::Ui,
    offsets: &[(f64, f64)],
    length: f64,
    width: f32,
    windows: &Windows,
) {
    let (rect, _) = ui.allocate_exact_size(vec2(width, 200.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 6.0, colors::PANEL);
    let range = windows.bad;
    let y_of = |offset: f64| {
        rect.center().y - (offset / range).clamp(-1.0, 1.0) as f32 * (rect.height() / 2.0 - 8.0)
    };
    for window in [windows.perfect, windows.great, windows.good] {
        for sign in [-1.0, 1.0] {
            let y = y_of(window * sign);
            painter.line_segment(
                [pos2(rect.left(), y), pos2(rect.right(), y)],
                Stroke::new(1.0, Color32::WHITE.gamma_multiply(0.08)),
            );
        }
    }
    painter.line_segment(
        [
            pos2(rect.left(), rect.center().y),
            pos2(rect.right(), rect.center().y),
        ],
        Stroke::new(1.0, Color32::WHITE.gamma_multiply(0.4)),
    );
    let length = length.max(1.0);
    for (time, offset) in offsets {
        let x = rect.left() + rect.width() * (time / length).clamp(0.0, 1.0) as f32;
        let judgement = windows.judge(*offset).unwrap_or(Judgement::Miss);
        painter.circle_filled(pos2(x, y_of(*offset)), 2.5, judgement_color(judgement));
    }
    painter.text(
        rect.left_top() + vec2(6.0, 4.0),
        Align2::LEFT_TOP,
        "late",
        FontId::proportional(11.0),
        colors::DIM,
    );
    painter.text(
        rect.left_bottom() + vec2(6.0, -4.0),
        Align2::LEFT_BOTTOM,
        "early",
        FontId::proportional(11.0),
        colors::DIM,
    );
}

/// "Calibrate from last play": the median hit error of the play, applied to every song's audio
/// offset or to this level's own.
fn calibrate_from_play(ui: &mut egui::Ui, last: &LastPlay, settings: &mut Settings) {
    let errors: Vec<f64> = last.offsets.iter().map(|(_, o)| o * 1000.0).collect();
    let outcome = Calibration::from_errors(&errors, MIN_PLAY_HITS, MAX_PLAY_SPREAD_MS);
    ui.label("Calibrate from this play");
    let Calibration::Suggest { median_ms, .. } = outcome else {
        ui.colored_label(colors::DIM, outcome.advice());
        return;
    };
    ui.colored_label(colors::DIM, outcome.advice());
    let slug = &last.level.slug;
    // The offset belongs to the device the play was played on: a mat lags more than a keyboard.
    let device = last.played_with.clone().unwrap_or(OffsetDevice::Keyboard);
    ui.horizontal(|ui| {
        let global = settings.input_offset_ms(&device) + median_ms as f32;
        if ui
            .button(format!(
                "All songs on {}: offset {global:+.0} ms",
                device.describe()
            ))
            .clicked()
        {
            settings.set_input_offset_ms(&device, global);
        }
        let own = settings.level_offsets.get(slug).copied().unwrap_or(0.0) + median_ms as f32;
        if ui
            .button(format!("This song only: {own:+.0} ms more"))
            .clicked()
        {
            settings
                .level_offsets
                .insert(slug.clone(), own.clamp(-500.0, 500.0));
        }
    });
}

/// The outcome of a calibration play, with the offset to apply when the taps agreed.
fn calibration_results(
    ctx: &egui::Context,
    kind: CalibrationKind,
    outcome: &Calibration,
    errors: &[f64],
    device: &OffsetDevice,
    settings: &mut Settings,
    next: &mut NextState<Screen>,
) {
    let mut root = root_ui(ctx, "calibration-results");
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            let title = match kind {
                CalibrationKind::Audio => format!("Input offset of {}", device.describe()),
                CalibrationKind::Visual => "Visual offset".into(),
            };
            ui.heading(title);
            ui.add_space(10.0);
            ui.label(egui::RichText::new(outcome.advice()).size(20.0));
            ui.add_space(10.0);
            let offsets: Vec<(f64, f64)> = errors.iter().map(|e| (0.0, e / 1000.0)).collect();
            histogram(ui, &offsets, 720.0, &Windows::STANDARD);
            ui.add_space(10.0);
            if let Calibration::Suggest { median_ms, .. } = *outcome {
                // Audio: inputs are heard `median` late, so the offset is the median itself.
                // Visual: the eyes see the screen `median` late, so notes are drawn that much
                // earlier.
                let (current, suggested) = match kind {
                    CalibrationKind::Audio => (settings.input_offset_ms(device), median_ms as f32),
                    CalibrationKind::Visual => (settings.visual_offset_ms, -median_ms as f32),
                };
                ui.label(format!(
                    "Now {current:+.0} ms; suggested {suggested:+.0} ms"
                ));
                if super::menu_button(ui, "Apply").clicked() {
                    match kind {
                        CalibrationKind::Audio => settings.set_input_offset_ms(device, suggested),
                        CalibrationKind::Visual => settings.visual_offset_ms = suggested,
                    }
                    next.set(Screen::Settings);
                }
            }
            if super::menu_button(ui, "Try again (R)").clicked() {
                next.set(Screen::Gameplay);
            }
            if super::menu_button(ui, "Back to settings").clicked() {
                next.set(Screen::Settings);
            }
        });
    });
}

/// Results of a multiplayer play. Versus: a podium, then every player's stats and hit-error
/// graphs side by side. Group stage: the combined score and who carried which line.
fn together_results(root: &mut egui::Ui, last: &LastPlay, together: &TogetherOutcome) {
    let windows = Windows::for_difficulty(last.replay.settings.difficulty);
    let length = last
        .level
        .charts
        .iter()
        .map(|c| c.last_time())
        .fold(1.0, f64::max);
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical()
            .show(ui, |ui| together_body(ui, last, together, &windows, length));
    });
}

fn together_body(
    ui: &mut egui::Ui,
    last: &LastPlay,
    together: &TogetherOutcome,
    windows: &Windows,
    length: f64,
) {
    {
        ui.label(egui::RichText::new(&last.level.title).size(28.0).strong());
        ui.colored_label(colors::ACCENT, &last.level.artist);
        ui.add_space(8.0);
        match &together.group {
            Some(group) => {
                ui.horizontal(|ui| {
                    ui.label(
                        egui::RichText::new(format!("{:07}", group.score))
                            .size(40.0)
                            .monospace(),
                    );
                    ui.vertical(|ui| {
                        ui.label(format!("group accuracy {:.2}%", group.accuracy));
                        if group.failed {
                            ui.colored_label(colors::ERROR, "the group's life bar ran out");
                        } else {
                            ui.colored_label(colors::GOOD, "the group cleared the song");
                        }
                    });
                });
                ui.add_space(6.0);
                ui.label(egui::RichText::new("Line distribution").strong());
                egui::Grid::new("lines").striped(true).show(ui, |ui| {
                    ui.label("line");
                    for player in &together.players {
                        ui.label(&player.name);
                    }
                    ui.end_row();
                    let mut starts: Vec<(f64, &str)> = group
                        .lines
                        .iter()
                        .map(|l| (l.from_beat, l.line.as_str()))
                        .collect();
                    starts.dedup_by(|a, b| a.0 == b.0);
                    for (from, name) in starts {
                        ui.label(name);
                        for member in 1..=together.players.len() as u8 {
                            match group
                                .lines
                                .iter()
                                .find(|l| l.from_beat == from && l.member == member)
                            {
                                Some(share) => {
                                    let color = if share.accuracy >= 95.0 {
                                        colors::GOOD
                                    } else if share.accuracy >= 80.0 {
                                        colors::ACCENT_2
                                    } else {
                                        colors::ERROR
                                    };
                                    ui.colored_label(
                                        color,
                                        format!("{:.1}% · {} notes", share.accuracy, share.notes),
                                    );
                                }
                                None => {
                                    ui.colored_label(colors::DIM, "—");
                                }
                            }
                        }
                        ui.end_row();
                    }
                });
            }
            None => {
                // The podium: first in the middle and highest.
                ui.horizontal(|ui| {
                    for &i in &together.order {
                        let player = &together.players[i];
                        let place = together.places[i];
                        ui.vertical(|ui| {
                            ui.set_width(200.0);
                            let size = if place == 1 { 30.0 } else { 22.0 };
                            ui.label(
                                egui::RichText::new(format!(
                                    "{} {}",
                                    super::play_view::ordinal(place),
                                    player.name
                                ))
                                .size(size)
                                .color(if place == 1 {
                                    colors::ACCENT
                                } else {
                                    colors::TEXT
                                }),
                            );
                            if place == 1 {
                                ui.colored_label(colors::GOOD, "winner");
                            }
                        });
                    }
                });
            }
        }
        ui.add_space(10.0);
        let count = together.players.len().max(1) as f32;
        let width = (ui.available_width() / count - 12.0).max(160.0);
        ui.horizontal_top(|ui| {
            for player in &together.players {
                ui.vertical(|ui| {
                    ui.set_width(width);
                    let r = &player.result;
                    ui.horizontal(|ui| {
                        // The player's card: the photocard they wear beside their name.
                        if let Some(card) = &player.photocard {
                            let (rect, _) = ui
                                .allocate_exact_size(egui::vec2(84.0, 112.0), egui::Sense::hover());
                            super::merch_art::draw_item(ui.painter(), rect, card, true);
                        }
                        ui.vertical(|ui| {
                            ui.label(egui::RichText::new(&player.name).size(20.0).strong());
                            ui.colored_label(colors::ACCENT, &player.difficulty);
                            if let Some(earned) = &player.earned {
                                ui.colored_label(
                                    colors::ACCENT_2,
                                    format!("+{} fan points", earned.fan_points),
                                );
                                for name in &earned.unlocked {
                                    ui.colored_label(colors::GOOD, format!("Unlocked: {name}"));
                                }
                            }
                        });
                    });
                    if player.left {
                        ui.colored_label(colors::DIM, "left the play");
                    }
                    ui.label(
                        egui::RichText::new(format!("{:07}", r.score))
                            .size(26.0)
                            .monospace(),
                    );
                    ui.label(format!(
                        "{} · {:.2}% · max combo {}",
                        r.grade.name(),
                        r.accuracy,
                        r.max_combo
                    ));
                    for judgement in Judgement::ALL {
                        ui.colored_label(
                            judgement_color(judgement),
                            format!("{:<8}{:>5}", judgement.name(), r.counts.of(judgement)),
                        );
                    }
                    ui.label(format!(
                        "mean {:+.1} ms · σ {:.1} ms",
                        r.hit_error.mean_ms, r.hit_error.std_ms
                    ));
                    histogram(ui, &player.offsets, width, windows);
                    offset_plot(ui, &player.offsets, length, width, windows);
                });
            }
        });
        ui.add_space(8.0);
        ui.colored_label(colors::DIM, "Enter: song list · R: play again");
    }
}

/// The tour stage in play, across the top of the results: which song of the set this was, and
/// at the end whether the stage is cleared and what that unlocked.
fn tour_banner(ctx: &egui::Context, run: &crate::tour::TourRun) {
    egui::Area::new("tour".into())
        .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -12.0))
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(colors::PANEL)
                .stroke(egui::Stroke::new(2.0, colors::ACCENT))
                .corner_radius(8.0)
                .inner_margin(10.0)
                .show(ui, |ui| {
                    let total = run.stage.set_list.len();
                    ui.horizontal(|ui| {
                        ui.label(
                            egui::RichText::new(format!("Festival tour · {}", run.stage.name))
                                .size(22.0)
                                .strong()
                                .color(colors::ACCENT),
                        );
                        ui.label(format!("song {} of {total}", run.results.len()));
                        match &run.outcome {
                            None => {
                                ui.colored_label(colors::TEXT, "Enter: next song ▶");
                            }
                            Some(outcome) if outcome.cleared => {
                                ui.colored_label(
                                    colors::GOOD,
                                    egui::RichText::new("STAGE CLEARED!").size(22.0),
                                );
                                for name in &outcome.unlocked {
                                    ui.colored_label(colors::GOOD, format!("Unlocked: {name}"));
                                }
                                ui.colored_label(colors::DIM, "Enter: back to the tour");
                            }
                            Some(_) => {
                                let missed: Vec<String> = run
                                    .stage
                                    .goals
                                    .iter()
                                    .filter(|g| !g.holds(&run.results))
                                    .map(|g| g.describe())
                                    .collect();
                                let why = if run.results.iter().any(|r| r.failed) {
                                    "a song failed".to_string()
                                } else {
                                    format!("missed: {}", missed.join(", "))
                                };
                                ui.colored_label(
                                    colors::ERROR,
                                    format!("Stage not cleared ({why})"),
                                );
                                ui.colored_label(colors::DIM, "Enter: back to the tour");
                            }
                        }
                    });
                });
        });
}
