//! The stage behind the note highway: the venue, the level's concept (palette, motifs, beat
//! pulses, light sweeps, section changes, confetti or pyro), the idols dancing and the crowd
//! waving lightsticks. Drawn with few, mostly plain shapes: a software renderer pays for every
//! triangle, and the notes must stay readable over all of it.

use bevy_egui::egui;
use egui::{Color32, Pos2, Rect, pos2, vec2};

use super::paint::{StageMesh, draw_shape};
use crate::core::merch::Shape;
use crate::core::music::sheet::SectionKind;
use crate::core::stage::{Burst, Concept, Facing, Motif, Pose, Rgb, Venue, pose_at};
use crate::gameplay::stage::{Crowd, Dancer};
use crate::settings::StageDetail;

/// How the crowd's lightsticks look: the player's equipped lightstick, or the default.
#[derive(Clone, Copy, Debug)]
pub struct LightstickLook {
    pub colour: Rgb,
    pub shape: Shape,
}

impl Default for LightstickLook {
    fn default() -> Self {
        Self {
            colour: [255, 92, 178],
            shape: Shape::Round,
        }
    }
}

/// An idol's outfit: the equipped one's colour and print, or the song's palette.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OutfitLook {
    pub colour: Rgb,
    pub print: Shape,
}

/// One idol on stage.
#[derive(Clone, Copy)]
pub struct IdolOnStage<'a> {
    pub dancer: &'a Dancer,
    /// Stage position: x -1..1, depth 0..1.
    pub at: (f32, f32),
    pub facing: Facing,
    /// The player's outfit, if they wear one.
    pub outfit: Option<OutfitLook>,
    /// Which member of the group (or which player) this is: their hair tells them apart.
    pub member: usize,
    /// How strongly a follow-spot lights them, 0 to 1: the member whose line it is.
    pub spotlight: f32,
}

/// Everything the stage needs for one frame.
pub struct StageFrame<'a> {
    pub detail: StageDetail,
    pub concept: &'a Concept,
    pub venue: Venue,
    pub time: f64,
    pub beat: f64,
    /// The tempo now: a ballad's crowd sways rather than pumps.
    pub bpm: f64,
    /// Beats in a bar, for light sweeps.
    pub bar_beats: f64,
    /// The section playing and the beat it started on.
    pub section: Option<(SectionKind, f64)>,
    pub dancers: Vec<IdolOnStage<'a>>,
    pub crowd: &'a Crowd,
    /// The crowd's lightsticks, one look per player: each player's part of the crowd, left to
    /// right in the order of their highways, waves their lightstick.
    pub lightsticks: Vec<LightstickLook>,
    /// Reduced flashing and motion: no beat pulses, flashes or bursts, the walls glow, the
    /// lights and the crowd sway slowly.
    pub calm: bool,
}

/// `c` at `amount` over `base`, as an opaque colour: a software renderer draws opaque pixels
/// without reading what is under them.
pub(super) fn over(base: Color32, c: Color32, amount: f32) -> Color32 {
    let t = amount.clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
    Color32::from_rgb(
        mix(base.r(), c.r()),
        mix(base.g(), c.g()),
        mix(base.b(), c.b()),
    )
}

pub(super) fn colour(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb[0], rgb[1], rgb[2])
}

/// With the stage off: the window's own deep navy above, rising into plum touched by the
/// song's main colour toward the floor, so the highway stands on something rather than a black
/// void. Only the lower part is drawn, in one mesh of four vertices: a full-window gradient cost
/// a software renderer 10 ms a frame, more than the whole stage.
fn draw_calm_backdrop(painter: &egui::Painter, rect: Rect, concept: &Concept) {
    let main = colour(concept.palette[0]);
    let bottom = over(Color32::from_rgb(44, 16, 56), main, 0.14);
    let top_of_glow = rect.bottom() - rect.height() * 0.45;
    let mut mesh = egui::Mesh::default();
    mesh.colored_vertex(pos2(rect.left(), top_of_glow), Color32::TRANSPARENT);
    mesh.colored_vertex(pos2(rect.right(), top_of_glow), Color32::TRANSPARENT);
    mesh.colored_vertex(rect.right_bottom(), bottom);
    mesh.colored_vertex(rect.left_bottom(), bottom);
    mesh.add_triangle(0, 1, 2);
    mesh.add_triangle(0, 2, 3);
    painter.add(egui::Shape::mesh(mesh));
}

pub fn draw_stage(egui_painter: &egui::Painter, rect: Rect, frame: &StageFrame) {
    if frame.detail == StageDetail::Off {
        draw_calm_backdrop(egui_painter, rect, frame.concept);
        return;
    }
    let [main, second, accent] = frame.concept.palette.map(colour);
    let pulse = (1.0 - frame.beat.rem_euclid(1.0) as f32).powi(3);
    let dim = if frame.crowd.dimmed { 0.35 } else { 1.0 };
    let mut mesh = StageMesh::new();
    let painter = &mut mesh;
    let full = frame.detail == StageDetail::Full;
    super::venue_view::draw_venue(painter, rect, frame, dim, full);
    let floor_y = rect.bottom() - rect.height() * 0.22;
    if full && !frame.calm {
        draw_effects(painter, rect, frame, main, second, accent, pulse, dim);
    }
    // The idols, back ones first.
    let mut dancers = frame.dancers.clone();
    dancers.sort_by(|a, b| b.at.1.total_cmp(&a.at.1));
    for IdolOnStage {
        dancer,
        at: (x, depth),
        facing,
        outfit,
        member,
        spotlight,
    } in dancers
    {
        let scale = 1.0 - 0.35 * depth;
        let height = rect.height() * 0.34 * scale;
        let feet = pos2(
            rect.center().x + x * rect.width() * 0.45,
            floor_y - depth * rect.height() * 0.12,
        );
        let pose = dancer
            .shown
            .unwrap_or_else(|| pose_at(frame.time, frame.beat, dancer.performing.as_ref()));
        if spotlight > 0.0 {
            draw_follow_spot(painter, rect, feet, height, spotlight * dim);
        }
        let (clothes, print) = match outfit {
            Some(look) => (colour(look.colour), Some(look.print)),
            None => (main, None),
        };
        let look = IdolLook {
            outfit: clothes,
            trim: second,
            hair: MEMBER_HAIR[member % MEMBER_HAIR.len()],
            dim,
            swing: dancer.follow.swing(),
        };
        draw_idol(painter, feet, height, &pose, facing, look);
        if let Some(print) = print
            && facing != Facing::Back
        {
            // The outfit's print on the chest, where the pose puts it.
            let unit = height / 5.5;
            let hip = feet
                + vec2(
                    pose.shift_x * unit * 2.0,
                    -unit * 2.6 * (1.0 - pose.crouch * 0.3) - pose.lift * unit * 1.6,
                );
            let chest = hip + vec2(pose.lean * unit * 1.1, -unit * 1.35);
            draw_shape(
                painter,
                chest,
                unit * 0.32,
                print,
                Color32::WHITE.gamma_multiply(0.85 * dim),
            );
        }
    }
    if full {
        draw_crowd(painter, rect, frame, dim);
    }
    mesh.finish(egui_painter);
}

/// The concept's effects: a pulse ring on every beat, a flash when a section starts, motifs drifting, and confetti or pyro in the chorus and the
/// dance break.
#[allow(clippy::too_many_arguments)]
fn draw_effects(
    painter: &mut StageMesh,
    rect: Rect,
    frame: &StageFrame,
    main: Color32,
    second: Color32,
    accent: Color32,
    pulse: f32,
    dim: f32,
) {
    let centre = pos2(rect.center().x, rect.top() + rect.height() * 0.42);
    let phase = frame.beat.rem_euclid(1.0) as f32;
    painter.ring(
        centre,
        60.0 + 240.0 * phase,
        3.0,
        accent.gamma_multiply(0.5 * (1.0 - phase) * dim),
    );
    // A flash of the main colour as each section begins.
    if let Some((kind, from)) = frame.section {
        let since = (frame.beat - from) as f32;
        if (0.0..1.0).contains(&since) {
            painter.rect(rect, main.gamma_multiply(0.12 * (1.0 - since) * dim));
        }
        let big = matches!(
            kind,
            SectionKind::Chorus | SectionKind::DanceBreak | SectionKind::PostChorus
        );
        if big {
            draw_burst(painter, rect, frame, [main, second, accent], pulse, dim);
        }
    }
    // The motif, drifting up behind the idols.
    for i in 0..6 {
        let t = (frame.time as f32 * 0.05 + i as f32 / 6.0).rem_euclid(1.0);
        let x = rect.left() + rect.width() * (0.1 + 0.8 * ((i * 37 % 11) as f32 / 10.0));
        let y = rect.bottom() - rect.height() * (0.3 + 0.6 * t);
        let c = [main, second, accent][i % 3].gamma_multiply(0.25 * (1.0 - t) * dim);
        draw_motif(painter, pos2(x, y), 14.0, frame.concept.motif, c);
    }
}

pub(super) fn draw_motif(painter: &mut StageMesh, at: Pos2, size: f32, motif: Motif, c: Color32) {
    match motif {
        Motif::Circles => {
            painter.ring(at, size, 2.0, c);
        }
        Motif::Bars => {
            painter.rect(Rect::from_center_size(at, vec2(size * 0.4, size * 2.0)), c);
        }
        Motif::Stars => painter.polygon(&star(at, size), c),
        // The same outlines merch is drawn with.
        Motif::Diamonds => draw_shape(painter, at, size, Shape::Diamond, c),
        Motif::Hearts => draw_shape(painter, at, size, Shape::Heart, c),
    }
}

/// A four-pointed sparkle (convex, so it is one cheap shape).
fn star(at: Pos2, size: f32) -> Vec<Pos2> {
    vec![
        at + vec2(0.0, -size),
        at + vec2(size * 0.3, -size * 0.3),
        at + vec2(size, 0.0),
        at + vec2(size * 0.3, size * 0.3),
        at + vec2(0.0, size),
        at + vec2(-size * 0.3, size * 0.3),
        at + vec2(-size, 0.0),
        at + vec2(-size * 0.3, -size * 0.3),
    ]
}

fn draw_burst(
    painter: &mut StageMesh,
    rect: Rect,
    frame: &StageFrame,
    palette: [Color32; 3],
    pulse: f32,
    dim: f32,
) {
    match frame.concept.burst {
        Burst::None => {}
        Burst::Confetti => {
            for i in 0..28 {
                let fall = (frame.time as f32 * 0.25 + i as f32 * 0.137).rem_euclid(1.0);
                let x = rect.left()
                    + rect.width() * ((i * 53 % 97) as f32 / 97.0)
                    + (frame.time as f32 * 2.0 + i as f32).sin() * 12.0;
                let y = rect.top() + rect.height() * fall;
                painter.rect(
                    Rect::from_center_size(pos2(x, y), vec2(6.0, 10.0)),
                    palette[i % 3].gamma_multiply(0.8 * dim),
                );
            }
        }
        Burst::Pyro => {
            // Flames at both ends of the stage, leaping on the beat.
            for x in [0.12f32, 0.88] {
                let base = pos2(
                    rect.left() + rect.width() * x,
                    rect.bottom() - rect.height() * 0.24,
                );
                let height = 60.0 + 120.0 * pulse;
                painter.polygon(
                    &[
                        base + vec2(-22.0, 0.0),
                        base + vec2(22.0, 0.0),
                        base + vec2(0.0, -height),
                    ],
                    Color32::from_rgb(255, 150, 40).gamma_multiply(0.85 * dim),
                );
                painter.polygon(
                    &[
                        base + vec2(-11.0, 0.0),
                        base + vec2(11.0, 0.0),
                        base + vec2(0.0, -height * 0.6),
                    ],
                    Color32::from_rgb(255, 240, 150).gamma_multiply(0.9 * dim),
                );
            }
        }
    }
}

/// A follow-spot on a singer: a cone of light from above the stage, brightest where it pools on
/// the floor at their feet, at `strength` 0 to 1.
fn draw_follow_spot(painter: &mut StageMesh, rect: Rect, feet: Pos2, height: f32, strength: f32) {
    let light = Color32::from_rgb(255, 244, 220);
    let spread = height * 0.42;
    painter.shaded(
        &[
            pos2(feet.x - spread * 0.15, rect.top()),
            pos2(feet.x + spread * 0.15, rect.top()),
            feet + vec2(spread, 0.0),
            feet - vec2(spread, 0.0),
        ],
        light.gamma_multiply(0.02 * strength),
        light.gamma_multiply(0.16 * strength),
    );
    painter.ellipse(
        feet,
        spread,
        spread * 0.2,
        0.0,
        light.gamma_multiply(0.22 * strength),
    );
}

/// Hair colours that tell the members apart at a glance: plum black, honey, rose and ash blue.
pub const MEMBER_HAIR: [Color32; 4] = [
    Color32::from_rgb(58, 34, 70),
    Color32::from_rgb(214, 164, 92),
    Color32::from_rgb(232, 120, 168),
    Color32::from_rgb(120, 150, 214),
];

/// A darker shade of a fill, for its outline: never black.
fn shade(c: Color32) -> Color32 {
    super::paint::mix(c, Color32::from_rgb(20, 8, 30), 0.45)
}

/// A lighter tint of a fill, for the lit side of a gradient.
fn tint(c: Color32) -> Color32 {
    super::paint::mix(c, Color32::WHITE, 0.3)
}

/// How an idol looks: the outfit, its trim, and the member's hair.
#[derive(Clone, Copy)]
struct IdolLook {
    outfit: Color32,
    trim: Color32,
    hair: Color32,
    dim: f32,
    /// How far the hair's ends and the hem trail the body, -1 to 1.
    swing: f32,
}

/// The 2D idol, about five and a half heads tall: long legs, a layered outfit (top, open
/// jacket, skirt with folds, shoes), a face with large eyes, highlights, blush and a mouth that
/// opens on a big move, and hair in the member's colour (back volume, bangs, side locks and a
/// highlight band). Every part is outlined in a darker shade of its own fill. The pose places it.
fn draw_idol(
    painter: &mut StageMesh,
    feet: Pos2,
    height: f32,
    pose: &Pose,
    facing: Facing,
    look: IdolLook,
) {
    let unit = height / 5.5;
    let dim = look.dim;
    let skin = Color32::from_rgb(248, 214, 192).gamma_multiply(dim);
    let hair = look.hair.gamma_multiply(dim);
    let outfit = look.outfit.gamma_multiply(dim);
    let trim = look.trim.gamma_multiply(dim);
    let line = unit * 0.06;
    // A spin narrows the body as it turns edge-on; facing sideways narrows it a little.
    let turn = (pose.turn * std::f32::consts::TAU).cos().abs().max(0.25);
    let facing_scale = match facing {
        Facing::Front | Facing::Back => 1.0,
        Facing::Left | Facing::Right => 0.72,
    };
    let width = turn * facing_scale;
    let back = facing == Facing::Back;
    let hip = feet
        + vec2(
            pose.shift_x * unit * 2.0,
            -unit * 2.6 * (1.0 - pose.crouch * 0.3) - pose.lift * unit * 1.6,
        );
    let limb = |from: Pos2, angle: f32, length: f32| -> Pos2 {
        from + vec2(angle.sin() * length * width, angle.cos() * length)
    };
    let outlined_capsule = |p: &mut StageMesh, a: Pos2, b: Pos2, wa: f32, wb: f32, c: Color32| {
        p.capsule(a, b, wa + line * 2.0, wb + line * 2.0, shade(c));
        p.capsule(a, b, wa, wb, c);
    };
    // Legs: thigh and calf tapering to the ankle, knees bending with the crouch; shoes. Each
    // leg's outline goes down before its fill, so the knee shows no seam.
    for (side, angle) in [(-1.0f32, pose.left_leg), (1.0, pose.right_leg)] {
        let top = hip + vec2(side * unit * 0.2 * width, 0.0);
        let knee = limb(top, side * (angle + pose.crouch * 0.5), unit * 1.3);
        let ankle = limb(knee, side * (angle - pose.crouch * 0.5), unit * 1.25);
        let toe = ankle + vec2(side * unit * 0.22 * width, unit * 0.06);
        let edge = line * 2.0;
        painter.capsule(
            top,
            knee,
            unit * 0.36 + edge,
            unit * 0.26 + edge,
            shade(skin),
        );
        painter.capsule(
            knee,
            ankle,
            unit * 0.26 + edge,
            unit * 0.15 + edge,
            shade(skin),
        );
        painter.capsule(top, knee, unit * 0.36, unit * 0.26, skin);
        painter.capsule(knee, ankle, unit * 0.26, unit * 0.15, skin);
        outlined_capsule(painter, ankle, toe, unit * 0.24, unit * 0.18, trim);
    }
    // The skirt, flared, with two folds, lit from above.
    let waist = hip + vec2(pose.lean * unit * 0.6, -unit * 0.45);
    let hem = unit * 0.75;
    // The hem trails the body's movement a little, as the hair does.
    let flare = vec2(look.swing * unit * 0.22, 0.0);
    let skirt = [
        waist + vec2(-unit * 0.38 * width, 0.0),
        waist + vec2(unit * 0.38 * width, 0.0),
        hip + vec2(unit * 0.72 * width, hem * 0.55) + flare,
        hip + vec2(-unit * 0.72 * width, hem * 0.55) + flare,
    ];
    let grown: Vec<Pos2> = skirt
        .iter()
        .map(|p| *p + (*p - hip).normalized() * line * 1.5)
        .collect();
    painter.polygon(&grown, shade(trim));
    painter.shaded(&skirt, tint(trim), trim);
    for fold in [-0.3f32, 0.3] {
        painter.triangle(
            waist + vec2(fold * unit * 0.5 * width, unit * 0.08),
            hip + vec2((fold * 1.5 - 0.06) * unit * width, hem * 0.55) + flare,
            hip + vec2((fold * 1.5 + 0.06) * unit * width, hem * 0.55) + flare,
            shade(trim),
        );
    }
    // The top: shoulders to waist, lit from above, with an open jacket over it.
    let shoulder = hip + vec2(pose.lean * unit * 1.6, -unit * 1.8);
    let torso = [
        shoulder + vec2(-unit * 0.55 * width, 0.0),
        shoulder + vec2(unit * 0.55 * width, 0.0),
        waist + vec2(unit * 0.36 * width, 0.0),
        waist + vec2(-unit * 0.36 * width, 0.0),
    ];
    let grown: Vec<Pos2> = torso
        .iter()
        .map(|p| *p + (*p - (shoulder + (waist - shoulder) * 0.5)).normalized() * line * 1.5)
        .collect();
    painter.polygon(&grown, shade(outfit));
    painter.shaded(&torso, tint(outfit), outfit);
    if !back {
        let jacket = super::paint::mix(trim, outfit, 0.35);
        for side in [-1.0f32, 1.0] {
            painter.shaded(
                &[
                    shoulder + vec2(side * unit * 0.58 * width, -unit * 0.02),
                    shoulder + vec2(side * unit * 0.18 * width, 0.0),
                    waist + vec2(side * unit * 0.22 * width, unit * 0.05),
                    waist + vec2(side * unit * 0.42 * width, unit * 0.05),
                ],
                tint(jacket),
                jacket,
            );
        }
        // A choker: the one accessory.
        painter.line(
            shoulder + vec2(-unit * 0.12, -unit * 0.12),
            shoulder + vec2(unit * 0.12, -unit * 0.12),
            unit * 0.06,
            shade(trim),
        );
    }
    // Arms: sleeve to the elbow, then the forearm and a small hand. Angles go outward from
    // hanging down; up is past a quarter turn.
    for (side, arm, elbow) in [
        (-1.0f32, pose.left_arm, pose.left_elbow),
        (1.0, pose.right_arm, pose.right_elbow),
    ] {
        let top = shoulder + vec2(side * unit * 0.5 * width, unit * 0.08);
        let angle = side * arm;
        let elbow_at = top + vec2(angle.sin() * unit * 1.0 * width, angle.cos() * unit * 1.0);
        let fore = angle + side * elbow;
        let hand = elbow_at + vec2(fore.sin() * unit * 0.95 * width, fore.cos() * unit * 0.95);
        outlined_capsule(painter, elbow_at, hand, unit * 0.2, unit * 0.15, skin);
        outlined_capsule(painter, top, elbow_at, unit * 0.3, unit * 0.24, outfit);
        painter.disc(hand, unit * 0.12, skin);
    }
    // Neck and head.
    let neck = shoulder + vec2(0.0, -unit * 0.12);
    let head = neck + vec2(pose.head_tilt * unit * 0.6, -unit * 0.62);
    let tilt = pose.head_tilt * 0.5;
    painter.capsule(
        neck + vec2(0.0, unit * 0.1),
        neck - vec2(0.0, unit * 0.2),
        unit * 0.2,
        unit * 0.18,
        skin,
    );
    let (rx, ry) = (unit * 0.44 * facing_scale.max(0.85), unit * 0.52);
    // Back volume of the hair: round over the crown, falling past the shoulders.
    let crown: Vec<Pos2> = (0..=8)
        .map(|k| {
            let a = std::f32::consts::PI * (1.0 + k as f32 / 8.0);
            head + vec2(a.cos() * rx * 1.2, a.sin() * ry * 1.12)
        })
        .chain({
            // The ends of the hair trail the body's movement, and overshoot when it stops.
            let ends = vec2(look.swing * rx * 0.7, 0.0);
            [
                head + vec2(rx * 1.35, ry * 1.55) + ends,
                head + vec2(rx * 0.6, ry * 1.75) + ends,
                head + vec2(-rx * 0.6, ry * 1.75) + ends,
                head + vec2(-rx * 1.35, ry * 1.55) + ends,
            ]
        })
        .collect();
    let outline: Vec<Pos2> = crown
        .iter()
        .map(|p| *p + (*p - head).normalized() * line * 1.5)
        .collect();
    painter.polygon(&outline, shade(hair));
    painter.shaded(&crown, tint(hair), hair);
    if back {
        // From behind: the hair's highlight band, and nothing of the face.
        painter.ellipse(
            head + vec2(0.0, -unit * 0.15),
            rx * 0.9,
            unit * 0.08,
            tilt,
            tint(hair),
        );
        return;
    }
    painter.ellipse(head, rx + line, ry + line, tilt, shade(skin));
    painter.ellipse(head, rx, ry, tilt, skin);
    // Eyes: large, the iris shaded dark to the member's colour, two white highlights.
    let look_x = match facing {
        Facing::Left => -unit * 0.08,
        Facing::Right => unit * 0.08,
        _ => 0.0,
    };
    let iris_low = super::paint::mix(hair, Color32::from_rgb(120, 200, 255), 0.35);
    for side in [-1.0f32, 1.0] {
        let eye = head + vec2(side * rx * 0.42 + look_x, unit * 0.06);
        painter.ellipse(
            eye,
            unit * 0.1,
            unit * 0.13,
            0.0,
            Color32::WHITE.gamma_multiply(dim),
        );
        let iris: Vec<Pos2> = (0..12)
            .map(|k| {
                let a = k as f32 / 12.0 * std::f32::consts::TAU;
                eye + vec2(a.cos() * unit * 0.075, a.sin() * unit * 0.11 + unit * 0.01)
            })
            .collect();
        painter.shaded(
            &iris,
            Color32::from_rgb(30, 14, 40).gamma_multiply(dim),
            iris_low,
        );
        painter.disc(
            eye + vec2(-unit * 0.03, -unit * 0.04),
            unit * 0.03,
            Color32::WHITE.gamma_multiply(dim),
        );
        painter.disc(
            eye + vec2(unit * 0.03, unit * 0.05),
            unit * 0.015,
            Color32::WHITE.gamma_multiply(dim),
        );
        // The upper lash line.
        painter.line(
            eye + vec2(-unit * 0.11, -unit * 0.11),
            eye + vec2(unit * 0.11, -unit * 0.13),
            unit * 0.035,
            Color32::from_rgb(40, 18, 40).gamma_multiply(dim),
        );
        // Blush.
        painter.ellipse(
            head + vec2(side * rx * 0.62, unit * 0.24),
            unit * 0.09,
            unit * 0.045,
            0.0,
            Color32::from_rgb(255, 140, 160).gamma_multiply(0.5 * dim),
        );
    }
    // A short line for the nose, and a mouth that smiles, and opens on a big move.
    painter.line(
        head + vec2(look_x * 0.5, unit * 0.2),
        head + vec2(look_x * 0.5 + unit * 0.02, unit * 0.26),
        unit * 0.025,
        shade(skin),
    );
    let big_move = pose.lift > 0.15 || pose.left_arm > 2.0 || pose.right_arm > 2.0;
    let mouth = head + vec2(look_x * 0.5, unit * 0.36);
    if big_move {
        painter.ellipse(
            mouth,
            unit * 0.06,
            unit * 0.05,
            0.0,
            Color32::from_rgb(170, 50, 80).gamma_multiply(dim),
        );
    } else {
        painter.triangle(
            mouth + vec2(-unit * 0.07, -unit * 0.01),
            mouth + vec2(unit * 0.07, -unit * 0.01),
            mouth + vec2(0.0, unit * 0.04),
            Color32::from_rgb(190, 70, 100).gamma_multiply(dim),
        );
    }
    // Bangs over the forehead in three locks, side locks framing the face, and a highlight.
    let brow = head + vec2(0.0, -ry * 0.35);
    for (k, lock) in [-0.6f32, 0.0, 0.6].iter().enumerate() {
        let tip = brow
            + vec2(
                lock * rx * 0.8 + (k as f32 - 1.0) * unit * 0.04,
                unit * 0.12,
            );
        painter.triangle(
            head + vec2((lock - 0.55) * rx, -ry * 0.95),
            head + vec2((lock + 0.55) * rx, -ry * 0.95),
            tip,
            hair,
        );
    }
    painter.ellipse(
        head + vec2(0.0, -ry * 0.78),
        rx * 1.05,
        ry * 0.32,
        tilt,
        hair,
    );
    for side in [-1.0f32, 1.0] {
        painter.polygon(
            &[
                head + vec2(side * rx * 0.95, -ry * 0.5),
                head + vec2(side * rx * 1.2, -ry * 0.3),
                head + vec2(side * rx * 1.05 + look.swing * rx * 0.35, ry * 0.9),
                head + vec2(side * rx * 0.85 + look.swing * rx * 0.25, ry * 0.55),
            ],
            hair,
        );
    }
    painter.ellipse(
        head + vec2(-rx * 0.25, -ry * 0.78),
        rx * 0.45,
        unit * 0.05,
        -0.2 + tilt,
        tint(tint(hair)),
    );
}

/// Two rows of fans along the bottom: dark heads, and lightsticks waving on the beat in the
/// player's lightstick colour, higher and brighter when the crowd cheers.
fn draw_crowd(painter: &mut StageMesh, rect: Rect, frame: &StageFrame, dim: f32) {
    let cheer = frame.crowd.cheering(frame.time);
    let sections = frame.lightsticks.len().max(1);
    let per_row = 18;
    for row in 0..2 {
        let y = rect.bottom() - 20.0 - 34.0 * row as f32;
        for i in 0..per_row {
            let offset = if row == 0 { 0.0 } else { 0.5 };
            let x = rect.left() + rect.width() * ((i as f32 + offset + 0.25) / per_row as f32);
            // A calm crowd sways slowly, as to a ballad, and never pumps.
            let (beat, bpm) = if frame.calm {
                (frame.beat * 0.5, 0.0)
            } else {
                (frame.beat, frame.bpm)
            };
            let (sway, pump) =
                crate::core::stage::crowd_wave(beat, bpm, i as f32 * 0.13 + row as f32 * 0.5);
            let raise = 1.0 + cheer * 0.8;
            let tip = pos2(
                x + sway * 12.0,
                y - (34.0 + 8.0 * pump + 10.0 * cheer) * raise,
            );
            painter.rect(
                Rect::from_center_size(pos2(x, y), vec2(22.0, 26.0)),
                Color32::from_rgb(18, 12, 30),
            );
            painter.line(
                pos2(x + 6.0, y - 8.0),
                tip,
                3.0,
                Color32::from_rgb(200, 200, 220).gamma_multiply(0.6 * dim),
            );
            let look = frame
                .lightsticks
                .get(((x - rect.left()) / rect.width() * sections as f32) as usize)
                .copied()
                .unwrap_or_default();
            let glow = colour(look.colour).gamma_multiply((0.55 + 0.45 * cheer) * dim);
            match look.shape {
                Shape::Round => {
                    painter.rect(Rect::from_center_size(tip, vec2(12.0, 12.0)), glow);
                }
                shape => draw_shape(painter, tip, 8.0, shape, glow),
            }
        }
    }
}
