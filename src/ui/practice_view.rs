//! What a practice shows over the play: where it plays and at what rate, the current pass's
//! accuracy, mean and spread, every finished pass of the loop, wait mode's stop, and the keys.

use bevy_egui::egui;
use egui::{Align2, FontId, Rect, vec2};

use super::colors;
use crate::core::judge::Judge;
use crate::core::score::HitErrorStats;
use crate::gameplay::practice::PracticeRun;

/// Draws the practice's panel down the right of the screen and its keys along the bottom.
pub fn draw_practice(
    painter: &egui::Painter,
    rect: Rect,
    run: &PracticeRun,
    judge: &Judge,
    rate: f64,
) {
    let right = rect.right_top() + vec2(-20.0, 16.0);
    let line = |y: f32, text: String, colour: egui::Color32| {
        painter.text(
            right + vec2(0.0, y),
            Align2::RIGHT_TOP,
            text,
            FontId::proportional(15.0),
            colour,
        );
    };
    let practice = run.practice;
    let range = match practice.to {
        Some(to) => t!("practice-looping", from = practice.from, to = to),
        None => t!("practice-from", from = practice.from),
    };
    line(0.0, t!("practice-heading", range = range), colors::ACCENT);
    let rate_text = format!("{rate:.2}");
    let rate_line = if practice.wait {
        t!("practice-rate-waiting", rate = rate_text)
    } else {
        t!("practice-rate", rate = rate_text)
    };
    line(20.0, rate_line, colors::TEXT);
    let score = judge.score();
    let errors = HitErrorStats::from_offsets(score.offsets().iter().map(|(_, o)| *o));
    line(
        rect.height() * 0.45,
        t!(
            "practice-pass",
            pass = run.passes.len() + 1,
            accuracy = format!("{:.2}", score.running_accuracy() * 100.0),
            mean = format!("{:+.1}", errors.mean_ms),
            spread = format!("{:.1}", errors.std_ms)
        ),
        colors::TEXT,
    );
    for (k, pass) in run.passes.iter().rev().take(6).enumerate() {
        line(
            rect.height() * 0.45 + 22.0 * (k as f32 + 1.0),
            t!(
                "practice-past-pass",
                pass = pass.pass,
                accuracy = format!("{:.2}", pass.accuracy),
                mean = format!("{:+.1}", pass.hit_error.mean_ms),
                spread = format!("{:.1}", pass.hit_error.std_ms),
                rate = format!("{:.2}", pass.rate)
            ),
            colors::DIM,
        );
    }
    if let Some((_, lane)) = run.waiting_at {
        painter.text(
            rect.center() - vec2(0.0, 170.0),
            Align2::CENTER_CENTER,
            t!("practice-wait", lane = lane + 1),
            super::fonts::display(painter.ctx(), 30.0),
            colors::TEXT,
        );
    }
    painter.text(
        rect.right_bottom() + vec2(-20.0, -14.0),
        Align2::RIGHT_BOTTOM,
        t!("practice-keys"),
        FontId::proportional(13.0),
        colors::DIM,
    );
}
