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
    (time, mut shown_at): (Res<Time<Real>>, Local<f64>),
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(last) = last else {
        next.set(Screen::SongSelect);
        return Ok(());
    };
    // The reveal starts when a new play's results come up.
    if last.is_changed() {
        *shown_at = time.elapsed_secs_f64();
    }
    let since = (time.elapsed_secs_f64() - *shown_at) as f32;
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
        tour_banner(ctx, run);
    }
    // On tour a retry would replay a song the stage already judged.
    let mut retry = retry && tour.is_none();
    let mut no_fail = retry_no_fail && offer_no_fail;
    // Enter, Esc or the button goes on: to the tour's next song, or to the song list.
    let mut go_on = leave;
    if let Some((kind, outcome, errors)) = &last.calibration {
        if leave {
            next.set(Screen::Settings);
        }
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
                        t!("results-next-song")
                    } else {
                        t!("results-back-to-tour")
                    };
                    if button(ui, &label) {
                        go_on = true;
                    }
                }
                None => {
                    if button(ui, &t!("results-song-list")) {
                        go_on = true;
                    }
                    if button(ui, &t!("results-retry")) {
                        retry = true;
                    }
                    if offer_no_fail && button(ui, &t!("results-retry-no-fail")) {
                        no_fail = true;
                    }
                    if offer_watch && button(ui, &t!("results-watch-replay")) {
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
                ui.colored_label(colors::DIM, t!("results-replay-saved", name = name))
                    .on_hover_text(path.display().to_string());
            }
        });
        if offer_no_fail {
            ui.colored_label(colors::DIM, t!("results-no-fail-offer"));
        }
        ui.add_space(6.0);
    });
    if go_on {
        next.set(match &tour {
            Some(run) => {
                crate::tour::continue_tour(&mut commands, run, &library, &settings, &mut notices)
            }
            None => Screen::SongSelect,
        });
    }
    if let Some(together) = &last.together {
        together_results(&mut root, &last, together, since, settings.calm);
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
                        } else if last.level.jacket.is_none() {
                            // The same drawn jacket the song list shows for it.
                            let (art, _) = ui
                                .allocate_exact_size(egui::vec2(96.0, 96.0), egui::Sense::hover());
                            let look = crate::core::level::cache::JacketLook {
                                palette: last.level.concept.palette,
                                motif: last.level.concept.motif,
                            };
                            let initial: String = last
                                .level
                                .title
                                .chars()
                                .take(1)
                                .collect::<String>()
                                .to_uppercase();
                            super::jackets::draw_generated(ui.painter(), art, &look, &initial);
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
                                ui.colored_label(colors::DIM, t!("results-autoplay-not-saved"));
                            }
                            PlayMode::Replay(_) => {
                                ui.colored_label(colors::DIM, t!("results-replay-not-saved"));
                            }
                            PlayMode::Normal | PlayMode::Calibrate(_) => {}
                        }
                        if let Some(part) = last.replay.part() {
                            ui.colored_label(colors::DIM, super::phrases::group_part(part));
                        }
                        if let Some(measure) = last.practice.map(|p| p.from) {
                            ui.colored_label(
                                colors::DIM,
                                t!("results-practice", measure = measure),
                            );
                        }
                        ui.add_space(10.0);
                        super::results_show::grade_reveal(
                            ui,
                            result,
                            last.new_best,
                            since,
                            settings.calm,
                        );
                        if let Some(earned) = &last.earned {
                            ui.colored_label(
                                colors::ACCENT_2,
                                t!("results-fan-points", points = earned.fan_points),
                            );
                            // New merch, as toasts the player cannot miss.
                            for name in &earned.unlocked {
                                egui::Frame::new()
                                    .fill(colors::ACCENT.gamma_multiply(0.25))
                                    .corner_radius(6.0)
                                    .inner_margin(6.0)
                                    .show(ui, |ui| {
                                        ui.colored_label(
                                            colors::TEXT,
                                            t!("results-unlocked", name = name.clone()),
                                        );
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
                        ui.label(t!("results-histogram"));
                        histogram(ui, &last.offsets, width, &windows);
                        ui.add_space(12.0);
                        ui.label(t!("results-over-the-song"));
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

/// Whether the results offer to watch the play's replay: a whole solo play of a chart by a
/// player (not autoplay, a calibration or a practice, whose inputs start mid-song).
fn can_watch(last: &LastPlay) -> bool {
    // Autoplay's inputs are the chart's own: watching them shows nothing new.
    last.mode != PlayMode::Autoplay
        && last.together.is_none()
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
            t!("results-holds"),
            format!("{} / {}", result.counts.held, result.holds),
        ),
        (t!("results-let-go"), result.counts.let_go.to_string()),
        (
            t!("results-mines-hit"),
            format!("{} / {}", result.counts.mines_hit, result.mines),
        ),
        (
            t!("results-max-combo"),
            format!("{} / {}", result.max_combo, result.notes),
        ),
        (
            t!("results-mean-error"),
            format!("{:+.1} ms", result.hit_error.mean_ms),
        ),
        (
            t!("results-spread"),
            format!("{:.1} ms", result.hit_error.std_ms),
        ),
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

pub(super) fn histogram(ui: &mut egui::Ui, offsets: &[(f64, f64)], width: f32, windows: &Windows) {
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

pub(super) fn offset_plot(
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
    // The first and last notes' dots sit wholly inside the panel.
    let track = rect.shrink2(vec2(6.0, 0.0));
    for (time, offset) in offsets {
        let x = track.left() + track.width() * (time / length).clamp(0.0, 1.0) as f32;
        let judgement = windows.judge(*offset).unwrap_or(Judgement::Miss);
        painter.circle_filled(pos2(x, y_of(*offset)), 2.5, judgement_color(judgement));
    }
    painter.text(
        rect.left_top() + vec2(6.0, 4.0),
        Align2::LEFT_TOP,
        t!("results-late"),
        FontId::proportional(11.0),
        colors::DIM,
    );
    painter.text(
        rect.left_bottom() + vec2(6.0, -4.0),
        Align2::LEFT_BOTTOM,
        t!("results-early"),
        FontId::proportional(11.0),
        colors::DIM,
    );
}

/// "Calibrate from last play": the median hit error of the play, applied to every song's audio
/// offset or to this level's own.
fn calibrate_from_play(ui: &mut egui::Ui, last: &LastPlay, settings: &mut Settings) {
    let errors: Vec<f64> = last.offsets.iter().map(|(_, o)| o * 1000.0).collect();
    let outcome = Calibration::from_errors(&errors, MIN_PLAY_HITS, MAX_PLAY_SPREAD_MS);
    ui.label(t!("results-calibrate-from-play"));
    let Calibration::Suggest { median_ms, .. } = outcome else {
        ui.colored_label(colors::DIM, super::phrases::calibration_advice(&outcome));
        return;
    };
    ui.colored_label(colors::DIM, super::phrases::calibration_advice(&outcome));
    let slug = &last.level.slug;
    // The offset belongs to the device the play was played on: a mat lags more than a keyboard.
    let device = last.played_with.clone().unwrap_or(OffsetDevice::Keyboard);
    ui.horizontal(|ui| {
        let global = settings.input_offset_ms(&device) + median_ms as f32;
        if ui
            .button(t!(
                "results-offset-all-songs",
                device = device.describe(),
                ms = format!("{global:+.0}")
            ))
            .clicked()
        {
            settings.set_input_offset_ms(&device, global);
        }
        let own = settings.level_offsets.get(slug).copied().unwrap_or(0.0) + median_ms as f32;
        if ui
            .button(t!("results-offset-this-song", ms = format!("{own:+.0}")))
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
                CalibrationKind::Audio => {
                    t!("results-input-offset-of", device = device.describe())
                }
                CalibrationKind::Visual => t!("results-visual-offset"),
            };
            ui.heading(title);
            ui.add_space(10.0);
            ui.label(egui::RichText::new(super::phrases::calibration_advice(outcome)).size(20.0));
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
                ui.label(t!(
                    "results-now-suggested",
                    now = format!("{current:+.0}"),
                    suggested = format!("{suggested:+.0}")
                ));
                if super::menu_button(ui, &t!("results-apply")).clicked() {
                    match kind {
                        CalibrationKind::Audio => settings.set_input_offset_ms(device, suggested),
                        CalibrationKind::Visual => settings.visual_offset_ms = suggested,
                    }
                    next.set(Screen::Settings);
                }
            }
            if super::menu_button(ui, &t!("results-try-again")).clicked() {
                next.set(Screen::Gameplay);
            }
            if super::menu_button(ui, &t!("results-back-to-settings")).clicked() {
                next.set(Screen::Settings);
            }
        });
    });
}

/// Results of a multiplayer play. Versus: a podium, then every player's stats and hit-error
/// graphs side by side. Group stage: the combined score and who carried which line.
fn together_results(
    root: &mut egui::Ui,
    last: &LastPlay,
    together: &TogetherOutcome,
    since: f32,
    calm: bool,
) {
    let windows = Windows::for_difficulty(last.replay.settings.difficulty);
    let length = last
        .level
        .charts
        .iter()
        .map(|c| c.last_time())
        .fold(1.0, f64::max);
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            together_body(ui, last, together, (since, calm), &windows, length)
        });
    });
}

fn together_body(
    ui: &mut egui::Ui,
    last: &LastPlay,
    together: &TogetherOutcome,
    (since, calm): (f32, bool),
    windows: &Windows,
    length: f64,
) {
    ui.label(egui::RichText::new(&last.level.title).size(28.0).strong());
    ui.colored_label(colors::ACCENT, &last.level.artist);
    ui.add_space(8.0);
    match &together.group {
        Some(group) => {
            ui.horizontal(|ui| {
                ui.label(
                    egui::RichText::new(format!("{:07}", group.score))
                        .size(40.0)
                        .monospace()
                        .color(colors::TEXT),
                );
                ui.vertical(|ui| {
                    ui.label(t!(
                        "results-group-accuracy",
                        accuracy = format!("{:.2}", group.accuracy)
                    ));
                    if group.failed {
                        ui.colored_label(colors::ERROR, t!("results-group-failed"));
                    } else {
                        ui.colored_label(colors::GOOD, t!("results-group-cleared"));
                    }
                });
            });
            ui.add_space(10.0);
            let names: Vec<String> = together.players.iter().map(|p| p.name.clone()).collect();
            super::results_show::line_distribution(ui, group, &names, since, calm);
        }
        None => super::results_show::podium(ui, together, since, calm),
    }
    ui.add_space(14.0);
    super::results_show::versus_table(ui, together, windows, length);
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
                            egui::RichText::new(t!(
                                "results-tour-stage",
                                stage = run.stage.name.clone()
                            ))
                            .size(22.0)
                            .strong()
                            .color(colors::ACCENT),
                        );
                        ui.label(t!(
                            "results-tour-song",
                            song = run.results.len(),
                            total = total
                        ));
                        match &run.outcome {
                            None => {
                                ui.colored_label(colors::TEXT, t!("results-tour-next"));
                            }
                            Some(outcome) if outcome.cleared => {
                                ui.colored_label(
                                    colors::GOOD,
                                    egui::RichText::new(t!("results-stage-cleared")).size(22.0),
                                );
                                for name in &outcome.unlocked {
                                    ui.colored_label(
                                        colors::GOOD,
                                        t!("results-unlocked", name = name.clone()),
                                    );
                                }
                                ui.colored_label(colors::DIM, t!("results-tour-back"));
                            }
                            Some(_) => {
                                let missed: Vec<String> = run
                                    .stage
                                    .goals
                                    .iter()
                                    .filter(|g| !g.holds(&run.results))
                                    .map(super::phrases::goal)
                                    .collect();
                                let why = if run.results.iter().any(|r| r.failed) {
                                    t!("results-tour-song-failed")
                                } else {
                                    t!("results-tour-missed", goals = missed.join(", "))
                                };
                                ui.colored_label(
                                    colors::ERROR,
                                    t!("results-stage-not-cleared", why = why),
                                );
                                ui.colored_label(colors::DIM, t!("results-tour-back"));
                            }
                        }
                    });
                });
        });
}
