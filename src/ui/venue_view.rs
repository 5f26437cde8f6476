//! The three venues, each with its own layout in layers from the back: the fan-fest hall (booths,
//! bunting, a hanging screen under a lighting truss), the awards show (a wall of LED panels
//! between lit pillars, stairs and a glossy floor) and the festival showcase (a dusk sky, a stage
//! roof and two LED towers). Every venue's LED screens play the section's look
//! ([`LedLook`]), and at full detail its own rig of moving beams cuts through a floor haze.
//! Venues paint over the cleared window rather than filling it: every covered pixel costs a
//! software renderer.

use bevy_egui::egui::{Color32, Pos2, Rect, pos2, vec2};

use super::paint::StageMesh;
use super::stage_view::{StageFrame, colour, draw_motif, over};
use crate::core::led_wall::LedLook;
use crate::core::stage::Venue;

/// What the venue's screens show black as.
const SCREEN: Color32 = Color32::from_rgb(10, 10, 16);
/// The back of the venues, which lights are mixed over.
const NIGHT: Color32 = Color32::from_rgb(14, 10, 28);

/// The venue for this frame, its structure and screens; with `moving_lights`, its beams and
/// haze as well.
pub fn draw_venue(
    painter: &mut StageMesh,
    rect: Rect,
    frame: &StageFrame,
    dim: f32,
    moving_lights: bool,
) {
    let look = LedLook::of(
        frame.section.map(|(kind, _)| kind),
        frame.beat,
        frame.bar_beats,
    );
    let look = if frame.calm { look.calm() } else { look };
    let screens = Screens {
        frame,
        look,
        palette: frame.concept.palette.map(colour),
        dim,
    };
    let floor_y = rect.bottom() - rect.height() * 0.26;
    match frame.venue {
        Venue::FanFestHall => fan_fest_hall(painter, rect, floor_y, &screens),
        Venue::AwardsStage => awards_stage(painter, rect, floor_y, &screens),
        Venue::FestivalShowcase => festival_showcase(painter, rect, floor_y, &screens),
    }
    if moving_lights {
        draw_beams(painter, rect, floor_y, &screens);
        draw_haze(painter, rect, floor_y, &screens);
    }
}

/// Everything a venue's screens need: the look, the palette and the dimming of a failed play.
struct Screens<'a> {
    frame: &'a StageFrame<'a>,
    look: LedLook,
    palette: [Color32; 3],
    dim: f32,
}

impl Screens<'_> {
    /// The beat's light, strongest on the beat; steady when the picture is calm.
    fn pulse(&self) -> f32 {
        if self.frame.calm {
            return 0.3 * self.dim;
        }
        (1.0 - self.frame.beat.rem_euclid(1.0) as f32).powi(3) * self.dim
    }

    /// A wall of `cols` × `rows` LED cells filling `wall`, lit in the section's look, and the
    /// motif large over it when the look shows it.
    fn wall(&self, painter: &mut StageMesh, wall: Rect, cols: usize, rows: usize) {
        let pitch = vec2(wall.width() / cols as f32, wall.height() / rows as f32);
        for row in 0..rows {
            for col in 0..cols {
                let (tint, brightness) =
                    self.look
                        .cell(col, row, cols, rows, self.frame.beat, self.frame.bar_beats);
                let brightness = brightness * self.dim;
                // A dark cell is left out: the window behind is dark already, and every
                // pixel drawn costs a software renderer.
                if brightness < 0.15 {
                    continue;
                }
                let centre =
                    wall.min + vec2(pitch.x * (col as f32 + 0.5), pitch.y * (row as f32 + 0.5));
                painter.rect(
                    Rect::from_center_size(centre, pitch * 0.78),
                    // Never at full strength: the notes in front must stay the brightest thing.
                    over(SCREEN, self.palette[tint], brightness * 0.55),
                );
            }
        }
        if self.look.shows_motif() {
            // A wide wall shows the motif in its outer thirds, clear of the highway in front.
            let size = wall.height().min(wall.width()) * 0.2;
            let c = over(SCREEN, self.palette[2], 0.2 + 0.35 * self.pulse());
            let places = if wall.width() > wall.height() * 2.0 {
                vec![
                    pos2(wall.left() + wall.width() * 0.17, wall.center().y),
                    pos2(wall.right() - wall.width() * 0.17, wall.center().y),
                ]
            } else {
                vec![wall.center()]
            };
            for at in places {
                draw_motif(painter, at, size, self.frame.concept.motif, c);
            }
        }
        outline(
            painter,
            wall.expand(4.0),
            4.0,
            Color32::from_rgb(40, 36, 56),
        );
    }
}

fn outline(painter: &mut StageMesh, r: Rect, width: f32, c: Color32) {
    for (a, b) in [
        (r.left_top(), r.right_top()),
        (r.right_top(), r.right_bottom()),
        (r.right_bottom(), r.left_bottom()),
        (r.left_bottom(), r.left_top()),
    ] {
        painter.line(a, b, width, c);
    }
}

fn floor_lines(painter: &mut StageMesh, rect: Rect, floor_y: f32, c: Color32) {
    for k in 0..4 {
        let y = floor_y + (k * k) as f32 * 10.0;
        painter.line(pos2(rect.left(), y), pos2(rect.right(), y), 2.0, c);
    }
}

/// A convention hall: a row of fan booths along the back, banners down both sides, bunting,
/// and a screen hung under the lighting truss.
fn fan_fest_hall(painter: &mut StageMesh, rect: Rect, floor_y: f32, screens: &Screens) {
    let [main, second, accent] = screens.palette;
    let pulse = screens.pulse();
    // The booths at the back, small with distance: striped awnings over counters.
    let booths = 9;
    let booth_w = rect.width() / booths as f32;
    let awning_y = floor_y - rect.height() * 0.16;
    for b in 0..booths {
        let left = rect.left() + booth_w * b as f32 + 6.0;
        let c = [main, second, accent][b % 3];
        let awning = Rect::from_min_size(pos2(left, awning_y), vec2(booth_w - 12.0, 14.0));
        for stripe in 0..4 {
            let w = awning.width() / 4.0;
            let tint = if stripe % 2 == 0 { 0.5 } else { 0.25 };
            painter.rect(
                Rect::from_min_size(awning.min + vec2(w * stripe as f32, 0.0), vec2(w, 14.0)),
                over(NIGHT, c, tint * screens.dim),
            );
        }
        painter.line(
            pos2(left, floor_y - 28.0),
            pos2(left + booth_w - 12.0, floor_y - 28.0),
            5.0,
            Color32::from_rgb(46, 38, 66),
        );
    }
    // Booth banners down both sides: frames with a band of colour.
    for (i, x) in [0.02f32, 0.9].iter().enumerate() {
        let banner = Rect::from_min_size(
            pos2(rect.left() + rect.width() * x, rect.top() + 80.0),
            vec2(rect.width() * 0.08, rect.height() * 0.45),
        );
        let c = if i == 0 { main } else { second };
        painter.rect(
            Rect::from_min_size(banner.min, vec2(banner.width(), 28.0)),
            over(NIGHT, c, 0.6 * screens.dim),
        );
        for side in [banner.left(), banner.right()] {
            painter.line(
                pos2(side, banner.top()),
                pos2(side, banner.bottom()),
                3.0,
                over(NIGHT, c, 0.35),
            );
        }
    }
    let screen = Rect::from_min_max(
        pos2(rect.left() + rect.width() * 0.3, rect.top() + 84.0),
        pos2(
            rect.right() - rect.width() * 0.3,
            rect.top() + rect.height() * 0.36,
        ),
    );
    for x in [screen.left() + 30.0, screen.right() - 30.0] {
        painter.line(
            pos2(x, rect.top() + 60.0),
            pos2(x, screen.top()),
            2.0,
            Color32::from_rgb(60, 56, 80),
        );
    }
    screens.wall(painter, screen, 18, 4);
    // Bunting: two sagging strings of pennants from the corners to the truss.
    for side in [-1.0f32, 1.0] {
        let from = pos2(
            rect.center().x + side * rect.width() * 0.5,
            rect.top() + 70.0,
        );
        let to = pos2(
            rect.center().x + side * rect.width() * 0.3,
            rect.top() + 64.0,
        );
        for k in 0..9 {
            let t = k as f32 / 9.0;
            let sag = (t * std::f32::consts::PI).sin() * 26.0;
            let at = from + (to - from) * t + vec2(0.0, sag);
            let c = [main, second, accent][k % 3];
            painter.triangle(
                at + vec2(-9.0, 0.0),
                at + vec2(9.0, 0.0),
                at + vec2(0.0, 18.0),
                over(NIGHT, c, 0.55 * screens.dim),
            );
        }
    }
    // The truss and its lamps, brighter on the beat.
    let truss_y = rect.top() + 60.0;
    painter.line(
        pos2(rect.left(), truss_y),
        pos2(rect.right(), truss_y),
        6.0,
        Color32::from_rgb(60, 56, 80),
    );
    for i in 0..8 {
        let x = rect.left() + rect.width() * (i as f32 + 0.5) / 8.0;
        let c = [main, second, accent][i % 3];
        painter.rect(
            Rect::from_center_size(pos2(x, truss_y + 8.0), vec2(16.0, 10.0)),
            over(NIGHT, c, 0.4 + 0.6 * pulse),
        );
    }
    floor_lines(painter, rect, floor_y, Color32::from_rgb(48, 36, 70));
}

/// An awards show: a wall of LED panels across the back between two lit pillars, stairs up to
/// it, and a glossy floor that reflects the wall.
fn awards_stage(painter: &mut StageMesh, rect: Rect, floor_y: f32, screens: &Screens) {
    let [main, second, accent] = screens.palette;
    let pulse = screens.pulse();
    let wall = Rect::from_min_max(
        pos2(rect.left() + rect.width() * 0.1, rect.top() + 70.0),
        pos2(rect.right() - rect.width() * 0.1, floor_y - 48.0),
    );
    screens.wall(painter, wall, 16, 6);
    // The pillars either side, their light strips running up on the beat.
    for x in [wall.left() - 34.0, wall.right() + 34.0] {
        painter.rect(
            Rect::from_min_max(pos2(x - 14.0, rect.top() + 50.0), pos2(x + 14.0, floor_y)),
            Color32::from_rgb(34, 30, 50),
        );
        let lit = (rect.top() + 50.0).max(floor_y - (floor_y - rect.top()) * (0.3 + 0.7 * pulse));
        painter.line(
            pos2(x, floor_y),
            pos2(x, lit),
            4.0,
            over(NIGHT, accent, 0.8 * screens.dim),
        );
    }
    // Stairs up to the wall, lit at their edges.
    for step in 0..3 {
        let inset = 40.0 * step as f32;
        let y = floor_y - 14.0 * (3 - step) as f32;
        let tread = Rect::from_min_max(
            pos2(rect.left() + rect.width() * 0.22 + inset, y),
            pos2(rect.right() - rect.width() * 0.22 - inset, y + 14.0),
        );
        painter.rect(
            tread,
            Color32::from_rgb(44 + 10 * step, 40 + 10 * step, 64 + 10 * step),
        );
        painter.line(
            tread.left_top(),
            tread.right_top(),
            2.0,
            over(NIGHT, second, 0.6 * screens.dim),
        );
    }
    // The glossy floor: the wall's colours streaked below the stage's edge.
    for k in 0..3 {
        let y = floor_y + 8.0 + k as f32 * 14.0;
        let c = [main, second, accent][k];
        painter.line(
            pos2(wall.left() + 60.0 * k as f32, y),
            pos2(wall.right() - 60.0 * k as f32, y),
            3.0,
            over(NIGHT, c, (0.18 + 0.3 * pulse) * screens.dim),
        );
    }
}

/// A festival at dusk: the glow of the horizon, a stage roof on its truss and an LED tower on
/// either side, braced with scaffolding.
fn festival_showcase(painter: &mut StageMesh, rect: Rect, floor_y: f32, screens: &Screens) {
    let [main, second, _] = screens.palette;
    // The horizon's glow, fading up into the night.
    let dusk = Color32::from_rgb(150, 66, 100);
    painter.shaded_rect(
        Rect::from_x_y_ranges(rect.x_range(), floor_y - 170.0..=floor_y),
        over(NIGHT, dusk, 0.0),
        over(NIGHT, super::paint::mix(dusk, main, 0.2), 0.75),
    );
    // Streaks of cloud in the glow.
    for k in 0..3 {
        let y = floor_y - 60.0 - 34.0 * k as f32;
        let x = rect.left() + rect.width() * (0.1 + 0.3 * k as f32);
        painter.line(
            pos2(x, y),
            pos2(x + rect.width() * 0.35, y),
            5.0 - k as f32,
            Color32::from_rgb(104 - 14 * k as u8, 48, 92),
        );
    }
    // The towers, each an LED column on a scaffold.
    let towers = [
        Rect::from_min_max(
            pos2(rect.left() + rect.width() * 0.03, rect.top() + 96.0),
            pos2(rect.left() + rect.width() * 0.15, floor_y - 10.0),
        ),
        Rect::from_min_max(
            pos2(rect.right() - rect.width() * 0.15, rect.top() + 96.0),
            pos2(rect.right() - rect.width() * 0.03, floor_y - 10.0),
        ),
    ];
    let steel = Color32::from_rgb(52, 46, 70);
    for tower in towers {
        screens.wall(painter, tower, 3, 9);
        let outer = if tower.center().x < rect.center().x {
            tower.left() - 16.0
        } else {
            tower.right() + 16.0
        };
        painter.line(
            pos2(outer, tower.top() - 20.0),
            pos2(outer, floor_y),
            4.0,
            steel,
        );
        let edge = if outer < tower.left() {
            tower.left()
        } else {
            tower.right()
        };
        for k in 0..6 {
            let y0 = tower.top() + (floor_y - tower.top()) * k as f32 / 6.0;
            let y1 = tower.top() + (floor_y - tower.top()) * (k + 1) as f32 / 6.0;
            painter.line(pos2(outer, y0), pos2(edge, y1), 2.0, steel);
        }
    }
    // The stage roof: a truss between the towers, and its lamps.
    let roof_y = rect.top() + 76.0;
    let (left, right) = (towers[0].center().x, towers[1].center().x);
    painter.line(pos2(left, roof_y), pos2(right, roof_y), 8.0, steel);
    painter.line(
        pos2(left, roof_y),
        pos2(rect.center().x, roof_y - 40.0),
        5.0,
        steel,
    );
    painter.line(
        pos2(rect.center().x, roof_y - 40.0),
        pos2(right, roof_y),
        5.0,
        steel,
    );
    for i in 0..10 {
        let x = left + (right - left) * (i as f32 + 0.5) / 10.0;
        let c = if i % 2 == 0 { main } else { second };
        painter.disc(
            pos2(x, roof_y + 8.0),
            6.0,
            over(NIGHT, c, 0.4 + 0.6 * screens.pulse()),
        );
    }
    floor_lines(painter, rect, floor_y, Color32::from_rgb(70, 40, 60));
}

/// The venue's rig of moving beams, swinging over each bar: from the truss down in the hall,
/// from the floor up at the awards, and crossing from the towers' tops at the festival.
fn draw_beams(painter: &mut StageMesh, rect: Rect, floor_y: f32, screens: &Screens) {
    let frame = screens.frame;
    // Calm, the beams take four bars to swing instead of one.
    let bars = if frame.calm { 4.0 } else { 1.0 };
    let bar_phase = (frame.beat / (frame.bar_beats.max(1.0) * bars)).rem_euclid(1.0) as f32;
    let swing = (bar_phase * std::f32::consts::TAU).sin();
    let beams: Vec<(Pos2, Pos2, usize)> = match frame.venue {
        Venue::FanFestHall => [0.15f32, 0.38, 0.62, 0.85]
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let from = pos2(rect.left() + rect.width() * x, rect.top() + 68.0);
                let side = if i % 2 == 0 { 1.0 } else { -1.0 };
                let to = pos2(from.x + side * swing * rect.width() * 0.12, floor_y + 20.0);
                (from, to, i % 3)
            })
            .collect(),
        Venue::AwardsStage => (0..6)
            .map(|i| {
                let x = rect.left() + rect.width() * (0.14 + 0.144 * i as f32);
                let from = pos2(x, floor_y - 40.0);
                let lean = (i as f32 - 2.5) * 0.12 + swing * 0.15;
                let to = pos2(x + lean * rect.height(), rect.top());
                (from, to, i % 3)
            })
            .collect(),
        Venue::FestivalShowcase => {
            let left = pos2(rect.left() + rect.width() * 0.09, rect.top() + 90.0);
            let right = pos2(rect.right() - rect.width() * 0.09, rect.top() + 90.0);
            let reach = rect.width() * (0.55 + 0.3 * swing);
            vec![
                (left, pos2(left.x + reach, floor_y), 0),
                (right, pos2(right.x - reach, floor_y), 1),
                (
                    pos2(rect.center().x, floor_y - 20.0),
                    pos2(rect.center().x - swing * rect.width() * 0.4, rect.top()),
                    2,
                ),
            ]
        }
    };
    for (from, to, tint) in beams {
        let across = (to - from).normalized();
        let spread = vec2(-across.y, across.x) * 34.0;
        let c = screens.palette[tint];
        painter.fan(
            from,
            &[to + spread, to - spread],
            c.gamma_multiply(0.22 * screens.dim),
            c.gamma_multiply(0.0),
        );
    }
}

/// Haze over the stage floor, lit from behind in the song's main colour and brighter on the
/// beat, with slow puffs drifting through it.
fn draw_haze(painter: &mut StageMesh, rect: Rect, floor_y: f32, screens: &Screens) {
    let [main, second, _] = screens.palette;
    let strength = (0.1 + 0.05 * screens.pulse()) * screens.dim;
    painter.shaded_rect(
        Rect::from_x_y_ranges(
            rect.x_range(),
            floor_y - rect.height() * 0.13..=floor_y + 24.0,
        ),
        main.gamma_multiply(0.0),
        main.gamma_multiply(strength),
    );
    let t = screens.frame.time as f32;
    for k in 0..3 {
        let drift = ((t * 0.03 + k as f32 * 0.37).rem_euclid(1.0) - 0.5) * rect.width() * 1.2;
        let centre = pos2(rect.center().x + drift, floor_y - 40.0 - 30.0 * k as f32);
        let c = if k == 1 { second } else { main };
        painter.ellipse(
            centre,
            220.0,
            36.0,
            0.0,
            c.gamma_multiply(0.05 * screens.dim),
        );
    }
}
