//! The art of every merch item, generated from its category, colour, shape and rarity: no
//! image files. Locked items are drawn as a flat silhouette of the same outline.

use bevy_egui::egui::{self, Align2, Color32, FontId, Pos2, Rect, pos2, vec2};

use super::paint::{StageMesh, draw_shape};
use crate::core::merch::{Category, Item, Rarity, Shape};

/// The colour every part of a locked item is drawn in.
const SILHOUETTE: Color32 = Color32::from_rgb(46, 38, 72);
const SILHOUETTE_FIGURE: Color32 = Color32::from_rgb(64, 54, 98);

pub fn item_colour(item: &Item) -> Color32 {
    let [r, g, b] = item.colour;
    Color32::from_rgb(r, g, b)
}

fn lighter(c: Color32, t: f32) -> Color32 {
    let mix = |a: u8| (f32::from(a) + (255.0 - f32::from(a)) * t) as u8;
    Color32::from_rgb(mix(c.r()), mix(c.g()), mix(c.b()))
}

fn darker(c: Color32, t: f32) -> Color32 {
    let mix = |a: u8| (f32::from(a) * (1.0 - t)) as u8;
    Color32::from_rgb(mix(c.r()), mix(c.g()), mix(c.b()))
}

/// Draws an item's art filling `rect`. `owned: false` draws its silhouette instead.
pub fn draw_item(painter: &egui::Painter, rect: Rect, item: &Item, owned: bool) {
    let paint = |c: Color32| if owned { c } else { SILHOUETTE };
    // A locked photocard still shows that someone is pictured, in a lighter shadow.
    let figure = |c: Color32| if owned { c } else { SILHOUETTE_FIGURE };
    let main = item_colour(item);
    let mut mesh = StageMesh::new();
    let m = &mut mesh;
    let c = rect.center();
    let s = rect.width().min(rect.height());
    match item.category {
        Category::Lightstick => {
            // A handle, a collar, and the head in the item's shape, with a glow behind.
            let head = c + vec2(0.0, -s * 0.18);
            if owned {
                m.disc(head, s * 0.34, main.gamma_multiply(0.18));
                m.disc(head, s * 0.26, main.gamma_multiply(0.30));
            }
            m.rect(
                Rect::from_center_size(c + vec2(0.0, s * 0.24), vec2(s * 0.11, s * 0.42)),
                paint(Color32::from_rgb(60, 60, 76)),
            );
            m.rect(
                Rect::from_center_size(c + vec2(0.0, s * 0.02), vec2(s * 0.18, s * 0.06)),
                paint(Color32::from_rgb(200, 200, 215)),
            );
            draw_shape(m, head, s * 0.2, item.shape, paint(lighter(main, 0.25)));
            draw_shape(m, head, s * 0.09, item.shape, paint(lighter(main, 0.75)));
        }
        Category::Photocard => {
            // A portrait card: a gradient of the member's colour, their head and shoulders, and
            // a foil border by rarity.
            let card = Rect::from_center_size(c, vec2(s * 0.62, s * 0.9));
            m.rect(card, paint(darker(main, 0.55)));
            m.rect(
                Rect::from_min_max(card.left_top(), pos2(card.right(), card.center().y)),
                paint(darker(main, 0.25)),
            );
            let face = card.center() + vec2(0.0, -card.height() * 0.1);
            m.polygon(
                &[
                    face + vec2(-card.width() * 0.36, card.height() * 0.45),
                    face + vec2(-card.width() * 0.22, card.height() * 0.2),
                    face + vec2(card.width() * 0.22, card.height() * 0.2),
                    face + vec2(card.width() * 0.36, card.height() * 0.45),
                ],
                figure(lighter(main, 0.3)),
            );
            m.disc(
                face + vec2(0.0, -card.width() * 0.04),
                card.width() * 0.24,
                figure(Color32::from_rgb(40, 24, 50)),
            );
            m.disc(
                face + vec2(0.0, card.width() * 0.02),
                card.width() * 0.18,
                figure(Color32::from_rgb(244, 208, 184)),
            );
            let foil = match item.rarity {
                Rarity::Common => Color32::from_rgb(230, 230, 240),
                Rarity::Rare => Color32::from_rgb(120, 200, 255),
                Rarity::SuperRare => Color32::from_rgb(255, 209, 102),
                Rarity::Ultra => Color32::from_rgb(255, 120, 220),
            };
            let border = if item.rarity == Rarity::Common {
                2.0
            } else {
                4.0
            };
            for (a, b) in [
                (card.left_top(), card.right_top()),
                (card.right_top(), card.right_bottom()),
                (card.right_bottom(), card.left_bottom()),
                (card.left_bottom(), card.left_top()),
            ] {
                m.line(a, b, border, paint(foil));
            }
            if owned && item.rarity >= Rarity::SuperRare {
                for k in 0..3 {
                    let at = card.left_top()
                        + vec2(card.width() * (0.2 + 0.3 * k as f32), card.height() * 0.12);
                    draw_shape(m, at, s * 0.035, Shape::Star, foil);
                }
            }
        }
        Category::Album => {
            // A square sleeve with its disc sliding out, and the version's letter.
            let sleeve = Rect::from_center_size(c + vec2(-s * 0.08, 0.0), vec2(s * 0.62, s * 0.62));
            m.disc(
                sleeve.center() + vec2(s * 0.2, 0.0),
                s * 0.29,
                paint(Color32::from_rgb(24, 24, 30)),
            );
            m.disc(sleeve.center() + vec2(s * 0.2, 0.0), s * 0.08, paint(main));
            m.rect(sleeve, paint(main));
            m.rect(
                Rect::from_min_max(
                    sleeve.left_top(),
                    sleeve.left_top() + vec2(s * 0.62, s * 0.2),
                ),
                paint(darker(main, 0.35)),
            );
            draw_shape(
                m,
                sleeve.center() + vec2(0.0, s * 0.08),
                s * 0.12,
                item.shape,
                paint(lighter(main, 0.6)),
            );
        }
        Category::Outfit => {
            // A stage top on a hanger: shoulders, a flared hem, and the print in its shape.
            let neck = c + vec2(0.0, -s * 0.3);
            m.line(
                neck + vec2(0.0, -s * 0.08),
                neck,
                3.0,
                paint(Color32::from_rgb(180, 180, 190)),
            );
            m.polygon(
                &[
                    neck + vec2(-s * 0.12, 0.0),
                    neck + vec2(s * 0.12, 0.0),
                    neck + vec2(s * 0.36, s * 0.12),
                    neck + vec2(s * 0.3, s * 0.25),
                    neck + vec2(s * 0.2, s * 0.2),
                    neck + vec2(s * 0.3, s * 0.68),
                    neck + vec2(-s * 0.3, s * 0.68),
                    neck + vec2(-s * 0.2, s * 0.2),
                    neck + vec2(-s * 0.3, s * 0.25),
                    neck + vec2(-s * 0.36, s * 0.12),
                ],
                paint(main),
            );
            m.rect(
                Rect::from_min_max(
                    neck + vec2(-s * 0.3, s * 0.6),
                    neck + vec2(s * 0.3, s * 0.68),
                ),
                paint(lighter(main, 0.5)),
            );
            draw_shape(
                m,
                neck + vec2(0.0, s * 0.36),
                s * 0.1,
                item.shape,
                paint(lighter(main, 0.6)),
            );
        }
        Category::Poster => {
            // A tall poster: a stage under spotlights, the item's shape as the logo.
            let sheet = Rect::from_center_size(c, vec2(s * 0.64, s * 0.9));
            m.rect(sheet, paint(darker(main, 0.65)));
            for k in 0..3 {
                let from = sheet.left_top() + vec2(sheet.width() * (0.2 + 0.3 * k as f32), 0.0);
                m.triangle(
                    from,
                    sheet.left_bottom()
                        + vec2(
                            sheet.width() * (0.1 + 0.3 * k as f32),
                            -sheet.height() * 0.2,
                        ),
                    sheet.left_bottom()
                        + vec2(
                            sheet.width() * (0.3 + 0.3 * k as f32),
                            -sheet.height() * 0.2,
                        ),
                    paint(main.gamma_multiply(0.45)),
                );
            }
            m.rect(
                Rect::from_min_max(
                    sheet.left_bottom() + vec2(0.0, -sheet.height() * 0.2),
                    sheet.right_bottom(),
                ),
                paint(darker(main, 0.3)),
            );
            draw_shape(
                m,
                sheet.center() + vec2(0.0, -sheet.height() * 0.18),
                s * 0.12,
                item.shape,
                paint(lighter(main, 0.5)),
            );
        }
        Category::Banner => {
            // A slogan banner held up by two hands' worth of poles.
            let cloth = Rect::from_center_size(c, vec2(s * 0.9, s * 0.34));
            m.rect(cloth, paint(main));
            m.rect(cloth.shrink(s * 0.03), paint(darker(main, 0.2)));
            for x in [cloth.left(), cloth.right()] {
                m.line(
                    pos2(x, cloth.top() - s * 0.06),
                    pos2(x, cloth.bottom() + s * 0.2),
                    4.0,
                    paint(Color32::from_rgb(200, 200, 215)),
                );
            }
        }
        Category::NoteSkin => {
            // Four lanes' notes in the skin.
            for k in 0..4 {
                let at = c + vec2(
                    -s * 0.34 + s * 0.227 * k as f32,
                    s * 0.2 * ((k as f32) - 1.5).abs() - s * 0.14,
                );
                let shade = if k % 2 == 0 { main } else { lighter(main, 0.4) };
                draw_note(m, at, s * 0.24, item.shape, paint(shade));
            }
        }
    }
    mesh.finish(painter);
    if item.category == Category::Banner && owned {
        let words = item.name.trim_end_matches(" Slogan");
        painter.text(
            c,
            Align2::CENTER_CENTER,
            words,
            FontId::proportional((s * 0.11).max(9.0)),
            Color32::WHITE,
        );
    }
    if !owned {
        painter.text(
            c,
            Align2::CENTER_CENTER,
            "?",
            FontId::proportional(s * 0.3),
            Color32::from_rgb(120, 110, 150),
        );
    }
}

/// One note in a skin's shape, `width` across: what the highway draws for a tap note.
pub fn draw_note(mesh: &mut StageMesh, at: Pos2, width: f32, shape: Shape, c: Color32) {
    match shape {
        Shape::Round => mesh.rect(Rect::from_center_size(at, vec2(width, width * 0.35)), c),
        Shape::Bar => {
            mesh.rect(
                Rect::from_center_size(at, vec2(width * 1.05, width * 0.16)),
                c,
            );
            mesh.rect(
                Rect::from_center_size(at, vec2(width * 0.8, width * 0.3)),
                c.gamma_multiply(0.35),
            );
        }
        other => draw_shape(mesh, at, width * 0.42, other, c),
    }
}
