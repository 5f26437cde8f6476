//! Shapes every screen paints with: plain-triangle meshes, and the merch shapes (hearts,
//! stars, crowns) that the merch art, the notes and the stage all draw.

use bevy_egui::egui::{self, Color32, Pos2, Rect, vec2};

use crate::core::merch::Shape;

/// The stage's shapes gathered into one mesh: plain triangles, without the anti-aliasing
/// fringe egui adds to every shape, which a software renderer would pay for many times over.
#[derive(Default)]
pub struct StageMesh {
    mesh: egui::Mesh,
}

impl StageMesh {
    pub fn new() -> Self {
        Self {
            mesh: egui::Mesh::default(),
        }
    }

    fn vertex(&mut self, at: Pos2, c: Color32) -> u32 {
        let index = self.mesh.vertices.len() as u32;
        self.mesh.colored_vertex(at, c);
        index
    }

    pub fn triangle(&mut self, a: Pos2, b: Pos2, c: Pos2, colour: Color32) {
        let i = self.vertex(a, colour);
        self.vertex(b, colour);
        self.vertex(c, colour);
        self.mesh.add_triangle(i, i + 1, i + 2);
    }

    /// A convex polygon, as a fan.
    pub fn polygon(&mut self, points: &[Pos2], colour: Color32) {
        if points.len() < 3 {
            return;
        }
        let first = self.vertex(points[0], colour);
        for p in &points[1..] {
            self.vertex(*p, colour);
        }
        for k in 1..points.len() as u32 - 1 {
            self.mesh.add_triangle(first, first + k, first + k + 1);
        }
    }

    /// A polygon every point of which can see `centre` (a star, a heart's point), as a fan
    /// around the centre.
    pub fn around(&mut self, centre: Pos2, points: &[Pos2], colour: Color32) {
        let middle = self.vertex(centre, colour);
        let first = middle + 1;
        for p in points {
            self.vertex(*p, colour);
        }
        let n = points.len() as u32;
        for k in 0..n {
            self.mesh
                .add_triangle(middle, first + k, first + (k + 1) % n);
        }
    }

    pub fn rect(&mut self, r: Rect, colour: Color32) {
        self.polygon(
            &[
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
            ],
            colour,
        );
    }

    /// A thick line as a quad.
    pub fn line(&mut self, a: Pos2, b: Pos2, width: f32, colour: Color32) {
        let along = (b - a).normalized();
        let across = vec2(-along.y, along.x) * (width / 2.0);
        self.polygon(&[a + across, b + across, b - across, a - across], colour);
    }

    pub fn disc(&mut self, centre: Pos2, radius: f32, colour: Color32) {
        let points: Vec<Pos2> = (0..12)
            .map(|k| {
                let a = k as f32 / 12.0 * std::f32::consts::TAU;
                centre + vec2(a.cos(), a.sin()) * radius
            })
            .collect();
        self.polygon(&points, colour);
    }

    pub fn ring(&mut self, centre: Pos2, radius: f32, width: f32, colour: Color32) {
        for k in 0..24 {
            let a0 = k as f32 / 24.0 * std::f32::consts::TAU;
            let a1 = (k + 1) as f32 / 24.0 * std::f32::consts::TAU;
            let dir = |a: f32| vec2(a.cos(), a.sin());
            self.polygon(
                &[
                    centre + dir(a0) * (radius - width / 2.0),
                    centre + dir(a0) * (radius + width / 2.0),
                    centre + dir(a1) * (radius + width / 2.0),
                    centre + dir(a1) * (radius - width / 2.0),
                ],
                colour,
            );
        }
    }

    /// A polygon shaded from `top` at its highest point to `bottom` at its lowest.
    pub fn shaded(&mut self, points: &[Pos2], top: Color32, bottom: Color32) {
        if points.len() < 3 {
            return;
        }
        let (low, high) = points
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p.y), hi.max(p.y))
            });
        let span = (high - low).max(1e-3);
        let first = self.mesh.vertices.len() as u32;
        for p in points {
            let t = (p.y - low) / span;
            self.mesh.colored_vertex(*p, mix(top, bottom, t));
        }
        for k in 1..points.len() as u32 - 1 {
            self.mesh.add_triangle(first, first + k, first + k + 1);
        }
    }

    /// A rectangle shaded from `top` along its top edge to `bottom` along its bottom edge.
    pub fn shaded_rect(&mut self, r: Rect, top: Color32, bottom: Color32) {
        self.shaded(
            &[
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
            ],
            top,
            bottom,
        );
    }

    /// A fan from `apex` through `far` (in order), shaded from `near` at the apex to
    /// `far_colour` at the far points: a beam of light.
    pub fn fan(&mut self, apex: Pos2, far: &[Pos2], near: Color32, far_colour: Color32) {
        let first = self.vertex(apex, near);
        for p in far {
            self.vertex(*p, far_colour);
        }
        for k in 1..far.len() as u32 {
            self.mesh.add_triangle(first, first + k, first + k + 1);
        }
    }

    /// An ellipse of radii `rx` and `ry`, turned by `angle` radians.
    pub fn ellipse(&mut self, centre: Pos2, rx: f32, ry: f32, angle: f32, colour: Color32) {
        let (sin, cos) = angle.sin_cos();
        let points: Vec<Pos2> = (0..16)
            .map(|k| {
                let a = k as f32 / 16.0 * std::f32::consts::TAU;
                let (x, y) = (a.cos() * rx, a.sin() * ry);
                centre + vec2(x * cos - y * sin, x * sin + y * cos)
            })
            .collect();
        self.polygon(&points, colour);
    }

    /// A limb from `a` to `b`, `wa` wide at `a` and `wb` at `b`, with round ends.
    pub fn capsule(&mut self, a: Pos2, b: Pos2, wa: f32, wb: f32, colour: Color32) {
        let along = (b - a).normalized();
        let across = vec2(-along.y, along.x);
        self.polygon(
            &[
                a + across * wa / 2.0,
                b + across * wb / 2.0,
                b - across * wb / 2.0,
                a - across * wa / 2.0,
            ],
            colour,
        );
        self.disc(a, wa / 2.0, colour);
        self.disc(b, wb / 2.0, colour);
    }

    pub fn finish(self, painter: &egui::Painter) {
        painter.add(egui::Shape::mesh(self.mesh));
    }
}

/// A shape's outline, filled, centred on `at` and about `size` across half-way.
pub fn draw_shape(mesh: &mut StageMesh, at: Pos2, size: f32, shape: Shape, c: Color32) {
    match shape {
        Shape::Round => mesh.disc(at, size, c),
        Shape::Heart => {
            mesh.disc(at + vec2(-size * 0.35, -size * 0.2), size * 0.45, c);
            mesh.disc(at + vec2(size * 0.35, -size * 0.2), size * 0.45, c);
            mesh.polygon(
                &[
                    at + vec2(-size * 0.78, -size * 0.05),
                    at + vec2(size * 0.78, -size * 0.05),
                    at + vec2(0.0, size * 0.8),
                ],
                c,
            );
        }
        Shape::Star => {
            let points: Vec<Pos2> = (0..10)
                .map(|k| {
                    let angle =
                        k as f32 / 10.0 * std::f32::consts::TAU - std::f32::consts::FRAC_PI_2;
                    let radius = if k % 2 == 0 { size } else { size * 0.45 };
                    at + vec2(angle.cos(), angle.sin()) * radius
                })
                .collect();
            mesh.around(at, &points, c);
        }
        Shape::Bar => mesh.rect(Rect::from_center_size(at, vec2(size * 0.7, size * 2.0)), c),
        Shape::Crown => {
            let base = Rect::from_min_max(at + vec2(-size, 0.0), at + vec2(size, size * 0.6));
            mesh.rect(base, c);
            for k in 0..3 {
                let x = -size + size * k as f32;
                mesh.triangle(
                    at + vec2(x, 0.05),
                    at + vec2(x + size, 0.05),
                    at + vec2(x + size * 0.5, -size * (if k == 1 { 0.95 } else { 0.7 })),
                    c,
                );
            }
        }
        Shape::Diamond => mesh.polygon(
            &[
                at + vec2(0.0, -size),
                at + vec2(size * 0.7, 0.0),
                at + vec2(0.0, size),
                at + vec2(-size * 0.7, 0.0),
            ],
            c,
        ),
    }
}

/// `a` turned `t` of the way toward `b`.
pub fn mix(a: Color32, b: Color32, t: f32) -> Color32 {
    let t = t.clamp(0.0, 1.0);
    let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgba_premultiplied(
        m(a.r(), b.r()),
        m(a.g(), b.g()),
        m(a.b(), b.b()),
        m(a.a(), b.a()),
    )
}
