//! The results' show pieces: a solo play's grade reveal, the versus podium with each player's
//! photocard, the versus stats in aligned columns, and the group's line distribution as a
//! graphic. Each is a widget the results screen places; `since` is the seconds since the
//! results came up, and a calm picture skips the movement.

use bevy_egui::egui;
use egui::{Align2, Color32, FontId, Rect, Stroke, pos2, vec2};

use super::colors;
use super::play_view::judgement_color;
use crate::core::judge::Windows;
use crate::core::judgement::Judgement;
use crate::core::multiplayer::GroupResult;
use crate::core::score::{Grade, PlayResult};
use crate::gameplay::record::{SeatResults, TogetherOutcome};

/// Each member's colour in the group's graphics, as on the stage: pink, sky, gold, mint.
pub const MEMBER_COLOURS: [Color32; 4] = [
    Color32::from_rgb(255, 92, 178),
    Color32::from_rgb(110, 200, 255),
    Color32::from_rgb(255, 210, 90),
    Color32::from_rgb(120, 230, 180),
];

/// How long the score counts up before the grade lands, in seconds.
const COUNT_UP: f32 = 0.9;
/// How long the grade takes to land.
const LAND: f32 = 0.35;

/// Eases `t` (0 to 1) out: fast, then settling.
fn ease_out(t: f32) -> f32 {
    1.0 - (1.0 - t.clamp(0.0, 1.0)).powi(3)
}

pub fn grade_color(grade: Grade) -> Color32 {
    match grade {
        Grade::F => colors::ERROR,
        Grade::SS | Grade::S => judgement_color(Judgement::Perfect),
        Grade::A => colors::GOOD,
        _ => colors::TEXT,
    }
}

/// The solo grade reveal: the score and accuracy count up, then the grade lands with a glow
/// (rays too for S and SS), then the flags: FULL COMBO, NEW BEST, or FAILED.
pub fn grade_reveal(
    ui: &mut egui::Ui,
    result: &PlayResult,
    new_best: bool,
    since: f32,
    calm: bool,
) {
    let counted = if calm {
        1.0
    } else {
        ease_out(since / COUNT_UP)
    };
    let landing = if calm {
        1.0
    } else {
        ((since - COUNT_UP) / LAND).clamp(0.0, 1.0)
    };
    let (rect, _) = ui.allocate_exact_size(
        vec2(ui.available_width().min(420.0), 150.0),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect.expand(40.0));
    let centre = pos2(rect.left() + 90.0, rect.center().y);
    let colour = grade_color(result.grade);
    if landing > 0.0 {
        // A glow behind the letter, and for the top grades rays that spin slowly in.
        let glow = ease_out(landing);
        painter.circle_filled(centre, 70.0 * glow, colour.gamma_multiply(0.16 * glow));
        if matches!(result.grade, Grade::S | Grade::SS) && !calm {
            for ray in 0..12 {
                let angle = std::f32::consts::TAU * ray as f32 / 12.0 + since * 0.3;
                let dir = vec2(angle.cos(), angle.sin());
                painter.line_segment(
                    [centre + dir * 62.0 * glow, centre + dir * 86.0 * glow],
                    Stroke::new(3.0, colour.gamma_multiply(0.5 * glow)),
                );
            }
        }
        // The letter lands from large and faint to its size.
        let scale = 1.0 + 0.6 * (1.0 - ease_out(landing));
        painter.text(
            centre,
            Align2::CENTER_CENTER,
            result.grade.name(),
            super::fonts::display(ui.ctx(), 104.0 * scale),
            colour.gamma_multiply(landing),
        );
    }
    let score = (result.score as f32 * counted).round() as u32;
    let right = pos2(rect.left() + 190.0, rect.top() + 30.0);
    painter.text(
        right,
        Align2::LEFT_CENTER,
        format!("{score:07}"),
        FontId::monospace(40.0),
        colors::TEXT,
    );
    painter.text(
        right + vec2(0.0, 48.0),
        Align2::LEFT_CENTER,
        format!("{:.2}%", result.accuracy * f64::from(counted)),
        FontId::proportional(26.0),
        colors::ACCENT_2,
    );
    let shown = if calm {
        1.0
    } else {
        ((since - COUNT_UP - LAND) / 0.3).clamp(0.0, 1.0)
    };
    if shown > 0.0 {
        // A failed play is never a best, whatever its score.
        let (flags, colour) = if result.failed {
            (t!("results-failed"), colors::ERROR)
        } else {
            let mut flags = Vec::new();
            if result.all_perfect {
                flags.push(t!("results-all-perfect"));
            } else if result.full_combo {
                flags.push(t!("results-full-combo"));
            }
            if new_best {
                flags.push(t!("results-new-best"));
            }
            (flags.join("  ·  "), colors::GOOD)
        };
        painter.text(
            right + vec2(0.0, 90.0),
            Align2::LEFT_CENTER,
            flags,
            FontId::proportional(20.0),
            colour.gamma_multiply(shown),
        );
    }
    if since < COUNT_UP + LAND + 0.3 && !calm {
        ui.ctx().request_repaint();
    }
}

/// Where each place stands on the podium, left to right: second, first, third, fourth.
fn podium_slot(place: usize) -> usize {
    match place {
        1 => 1,
        2 => 0,
        3 => 2,
        _ => 3,
    }
}

/// The versus podium: a block per player, first in the middle and highest, each with the
/// player's photocard (or their initial on a card in their colour), name and score. The blocks
/// rise as the results come up.
pub fn podium(ui: &mut egui::Ui, together: &TogetherOutcome, since: f32, calm: bool) {
    let (whole, _) =
        ui.allocate_exact_size(vec2(ui.available_width(), 300.0), egui::Sense::hover());
    // The podium stands in the middle of the screen, however wide it is.
    let rect = Rect::from_center_size(
        whole.center(),
        vec2(whole.width().min(760.0), whole.height()),
    );
    let painter = ui.painter_at(rect);
    let rise = if calm { 1.0 } else { ease_out(since / 0.8) };
    let slots = together.players.len().clamp(2, 4);
    let slot_width = rect.width() / slots as f32;
    // With two players the second stands left of the first; with three or four as usual.
    let mut order: Vec<(usize, usize)> = together
        .order
        .iter()
        .map(|&seat| (seat, together.places[seat]))
        .collect();
    order.sort_by_key(|(_, place)| podium_slot(*place));
    for (slot, (seat, place)) in order.into_iter().enumerate() {
        let player = &together.players[seat];
        let height = match place {
            1 => 120.0,
            2 => 88.0,
            3 => 64.0,
            _ => 44.0,
        } * rise;
        let x = rect.left() + slot_width * (slot as f32 + 0.5);
        let block = Rect::from_center_size(
            pos2(x, rect.bottom() - height / 2.0),
            vec2(slot_width - 18.0, height),
        );
        let metal = match place {
            1 => Color32::from_rgb(255, 206, 84),
            2 => Color32::from_rgb(200, 208, 230),
            3 => Color32::from_rgb(214, 150, 100),
            _ => colors::DIM,
        };
        painter.rect(
            block,
            8.0,
            metal.gamma_multiply(0.35),
            Stroke::new(2.0, metal),
            egui::StrokeKind::Inside,
        );
        if height > 30.0 {
            painter.text(
                block.center_top() + vec2(0.0, 22.0),
                Align2::CENTER_CENTER,
                place.to_string(),
                super::fonts::display(ui.ctx(), 30.0),
                metal,
            );
        }
        let card = Rect::from_center_size(pos2(x, block.top() - 92.0), vec2(84.0, 112.0));
        player_card(&painter, card, player, seat);
        painter.text(
            pos2(x, block.top() - 8.0),
            Align2::CENTER_BOTTOM,
            format!("{}  {:07}", player.name, player.result.score),
            FontId::proportional(15.0),
            if place == 1 {
                colors::ACCENT
            } else {
                colors::TEXT
            },
        );
    }
    if rise < 1.0 {
        ui.ctx().request_repaint();
    }
}

/// The player's photocard, or a card in their colour with their initial.
fn player_card(painter: &egui::Painter, card: Rect, player: &SeatResults, seat: usize) {
    match &player.photocard {
        Some(item) => super::merch_art::draw_item(painter, card, item, true),
        None => {
            let colour = MEMBER_COLOURS[seat % MEMBER_COLOURS.len()];
            painter.rect(
                card,
                8.0,
                colour.gamma_multiply(0.3),
                Stroke::new(2.0, colour),
                egui::StrokeKind::Inside,
            );
            painter.text(
                card.center(),
                Align2::CENTER_CENTER,
                player
                    .name
                    .chars()
                    .next()
                    .unwrap_or('?')
                    .to_uppercase()
                    .to_string(),
                FontId::proportional(44.0),
                colour,
            );
        }
    }
}

/// Every versus player's stats in columns whose rows line up: the score, grade and accuracy,
/// each judgement, the hit error and its graphs.
pub fn versus_table(ui: &mut egui::Ui, together: &TogetherOutcome, windows: &Windows, length: f64) {
    let count = together.players.len().max(1) as f32;
    let width = ((ui.available_width() - 140.0) / count - 16.0).clamp(150.0, 360.0);
    egui::Grid::new("versus-stats")
        .num_columns(together.players.len() + 1)
        .spacing(vec2(16.0, 6.0))
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            for player in &together.players {
                ui.vertical(|ui| {
                    ui.set_width(width);
                    ui.label(egui::RichText::new(&player.name).size(20.0).strong());
                    ui.colored_label(colors::ACCENT, &player.difficulty);
                    if player.left {
                        ui.colored_label(colors::DIM, t!("results-left-the-play"));
                    }
                });
            }
            ui.end_row();
            row(ui, &t!("results-score"), together, |ui, p| {
                ui.label(
                    egui::RichText::new(format!("{:07}", p.result.score))
                        .size(24.0)
                        .monospace()
                        .color(colors::TEXT),
                );
            });
            row(ui, &t!("results-grade"), together, |ui, p| {
                ui.colored_label(
                    grade_color(p.result.grade),
                    egui::RichText::new(format!(
                        "{} · {:.2}%",
                        p.result.grade.name(),
                        p.result.accuracy
                    ))
                    .size(18.0),
                );
            });
            row(ui, &t!("results-max-combo"), together, |ui, p| {
                ui.label(p.result.max_combo.to_string());
            });
            for judgement in Judgement::ALL {
                row(ui, judgement.name(), together, |ui, p| {
                    ui.colored_label(
                        judgement_color(judgement),
                        p.result.counts.of(judgement).to_string(),
                    );
                });
            }
            row(ui, &t!("results-hit-error"), together, |ui, p| {
                ui.label(t!(
                    "results-mean-spread",
                    mean = format!("{:+.1}", p.result.hit_error.mean_ms),
                    spread = format!("{:.1}", p.result.hit_error.std_ms)
                ));
            });
            row(ui, &t!("results-earned"), together, |ui, p| {
                ui.vertical(|ui| match &p.earned {
                    Some(earned) => {
                        ui.colored_label(
                            colors::ACCENT_2,
                            t!("results-fan-points", points = earned.fan_points),
                        );
                        for name in &earned.unlocked {
                            ui.colored_label(
                                colors::GOOD,
                                t!("results-unlocked", name = name.clone()),
                            );
                        }
                    }
                    None => {
                        ui.colored_label(colors::DIM, "—");
                    }
                });
            });
            row(ui, "", together, |ui, p| {
                ui.vertical(|ui| {
                    super::results::histogram(ui, &p.offsets, width, windows);
                    super::results::offset_plot(ui, &p.offsets, length, width, windows);
                });
            });
        });
}

/// One row of the versus table: its name, then a cell per player.
fn row(
    ui: &mut egui::Ui,
    name: &str,
    together: &TogetherOutcome,
    mut cell: impl FnMut(&mut egui::Ui, &SeatResults),
) {
    ui.colored_label(colors::DIM, name);
    for player in &together.players {
        cell(ui, player);
    }
    ui.end_row();
}

/// The group's line distribution as a graphic: the song as a strip, each line coloured by the
/// member who sang it (striped where several did), then a bar per member for their share of
/// the notes, with their accuracy.
pub fn line_distribution(
    ui: &mut egui::Ui,
    group: &GroupResult,
    names: &[String],
    since: f32,
    calm: bool,
) {
    let grow = if calm { 1.0 } else { ease_out(since / 1.0) };
    let width = ui.available_width().min(900.0);
    ui.label(
        egui::RichText::new(t!("results-line-distribution"))
            .size(20.0)
            .strong(),
    );
    // The strip: one segment per line, from its start to the next line's.
    let mut starts: Vec<(f64, &str)> = group
        .lines
        .iter()
        .map(|l| (l.from_beat, l.line.as_str()))
        .collect();
    starts.sort_by(|a, b| a.0.total_cmp(&b.0));
    starts.dedup_by(|a, b| a.0 == b.0);
    let first = starts.first().map_or(0.0, |s| s.0);
    let last = starts.last().map_or(1.0, |s| s.0);
    let span = (last - first).max(1.0) * (1.0 + 1.0 / starts.len().max(1) as f64);
    let (strip, _) = ui.allocate_exact_size(vec2(width, 54.0), egui::Sense::hover());
    let painter = ui.painter_at(strip);
    for (index, (from, name)) in starts.iter().enumerate() {
        let to = starts.get(index + 1).map_or(first + span, |s| s.0);
        let x = |beat: f64| strip.left() + strip.width() * ((beat - first) / span) as f32;
        let segment = Rect::from_min_max(
            pos2(x(*from), strip.top() + 20.0),
            pos2(x(to) - 2.0, strip.bottom()),
        );
        let singers: Vec<u8> = group
            .lines
            .iter()
            .filter(|l| l.from_beat == *from && l.notes > 0)
            .map(|l| l.member)
            .collect();
        stripes(&painter, segment, &singers);
        painter.text(
            segment.left_top() + vec2(2.0, -3.0),
            Align2::LEFT_BOTTOM,
            *name,
            FontId::proportional(12.0),
            colors::DIM,
        );
    }
    ui.add_space(8.0);
    // A bar per member: their share of the notes, and how well they sang it.
    let total: u32 = group.lines.iter().map(|l| l.notes).sum::<u32>().max(1);
    for (index, name) in names.iter().enumerate() {
        let member = index as u8 + 1;
        let notes: u32 = group
            .lines
            .iter()
            .filter(|l| l.member == member)
            .map(|l| l.notes)
            .sum();
        let share = notes as f32 / total as f32;
        let accuracy = group.members.get(index).map_or(0.0, |r| r.accuracy);
        let colour = MEMBER_COLOURS[index % MEMBER_COLOURS.len()];
        let (rect, _) = ui.allocate_exact_size(vec2(width, 30.0), egui::Sense::hover());
        let painter = ui.painter_at(rect);
        let label_width = 150.0;
        painter.text(
            rect.left_center(),
            Align2::LEFT_CENTER,
            name,
            FontId::proportional(16.0),
            colour,
        );
        let track = Rect::from_min_max(
            pos2(rect.left() + label_width, rect.top() + 5.0),
            pos2(rect.right() - 220.0, rect.bottom() - 5.0),
        );
        painter.rect_filled(track, 5.0, colors::PANEL);
        let bar = Rect::from_min_size(
            track.min,
            vec2(track.width() * share * grow, track.height()),
        );
        painter.rect_filled(bar, 5.0, colour);
        painter.text(
            pos2(track.right() + 10.0, rect.center().y),
            Align2::LEFT_CENTER,
            t!(
                "results-member-share",
                share = format!("{:.0}", share * 100.0),
                accuracy = format!("{accuracy:.1}")
            ),
            FontId::proportional(15.0),
            colors::TEXT,
        );
    }
    if grow < 1.0 {
        ui.ctx().request_repaint();
    }
}

/// A line's segment in the colours of the members who sang it, in diagonal bands when several
/// did; grey when nobody had notes in it.
fn stripes(painter: &egui::Painter, segment: Rect, singers: &[u8]) {
    let colour_of = |m: u8| MEMBER_COLOURS[usize::from(m.saturating_sub(1)) % MEMBER_COLOURS.len()];
    match singers {
        [] => {
            painter.rect_filled(segment, 3.0, colors::PANEL);
        }
        [one] => {
            painter.rect_filled(segment, 3.0, colour_of(*one));
        }
        many => {
            // Vertical bands, one per singer, repeated across the segment.
            let band = 8.0;
            let mut x = segment.left();
            let mut i = 0;
            while x < segment.right() {
                let right = (x + band).min(segment.right());
                painter.rect_filled(
                    Rect::from_min_max(pos2(x, segment.top()), pos2(right, segment.bottom())),
                    0.0,
                    colour_of(many[i % many.len()]),
                );
                x = right;
                i += 1;
            }
        }
    }
}
