//! What a practice shows over the play: where it plays and at what rate, the current pass's
//! accuracy, mean and spread, every finished pass of the loop, wait mode's stop, and the keys.

use bevy_egui::egui;
use egui::{Align2, FontId, Rect, vec2};

use super::colors;
use crate::core::judge::Judge;
use crate::core::score::HitErrorStats;
use crate::gameplay::practice::{PRACTICE_KEYS, PracticeRun};

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
        Some(to) => format!("measures {}–{to}, looping", practice.from),
        None => format!("from measure {}", practice.from),
    };
    line(
        0.0,
        format!("PRACTICE · {range} · not recorded"),
        colors::ACCENT,
    );
    let wait = if practice.wait { " · wait mode" } else { "" };
    line(20.0, format!("rate {rate:.2}×{wait}"), colors::TEXT);
    let score = judge.score();
    let errors = HitErrorStats::from_offsets(score.offsets().iter().map(|(_, o)| *o));
    line(
        rect.height() * 0.45,
        format!(
            "pass {} · {:.2} % · mean {:+.1} ms · spread {:.1} ms",
            run.passes.len() + 1,
            score.running_accuracy() * 100.0,
            errors.mean_ms,
            errors.std_ms
        ),
        colors::TEXT,
    );
    for (k, pass) in run.passes.iter().rev().take(6).enumerate() {
        line(
            rect.height() * 0.45 + 22.0 * (k as f32 + 1.0),
            format!(
                "pass {} · {:.2} % · mean {:+.1} ms · spread {:.1} ms · {:.2}×",
                pass.pass, pass.accuracy, pass.hit_error.mean_ms, pass.hit_error.std_ms, pass.rate
            ),
            colors::DIM,
        );
    }
    if let Some((_, lane)) = run.waiting_at {
        painter.text(
            rect.center() - vec2(0.0, 170.0),
            Align2::CENTER_CENTER,
            format!("WAIT · press lane {}", lane + 1),
            super::fonts::display(painter.ctx(), 30.0),
            colors::TEXT,
        );
    }
    painter.text(
        rect.right_bottom() + vec2(-20.0, -14.0),
        Align2::RIGHT_BOTTOM,
        PRACTICE_KEYS,
        FontId::proportional(13.0),
        colors::DIM,
    );
}
