//! Level jackets as textures for the menus: decoded off the main thread when first shown,
//! shrunk to the size the menus draw them at, and kept for a bounded number of levels.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};
use bevy_egui::egui;

/// Jackets are drawn at most this many pixels wide in any menu.
const JACKET_PIXELS: u32 = 256;
/// How many decoded jackets are kept; a song list of thousands shows a few at a time.
const KEPT: usize = 256;
/// Jacket files larger than this are not decoded.
const MAX_JACKET_BYTES: u64 = 32 * 1024 * 1024;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Jackets>()
        .add_systems(Update, finish_decoding);
}

enum Jacket {
    Decoding(Task<Result<egui::ColorImage, String>>),
    /// Decoded, waiting for the menu to upload it to egui.
    Decoded(egui::ColorImage),
    Ready(egui::TextureHandle),
    Failed,
}

/// Every jacket asked for, by file.
#[derive(Resource, Default)]
pub struct Jackets {
    jackets: HashMap<PathBuf, (Jacket, u64)>,
    clock: u64,
}

impl Jackets {
    /// The texture of the jacket at `path` when it is ready; the first ask starts decoding it.
    pub fn texture(&mut self, ctx: &egui::Context, path: &Path) -> Option<egui::TextureId> {
        self.clock += 1;
        let clock = self.clock;
        if !self.jackets.contains_key(path) {
            self.forget_oldest();
            let file = path.to_path_buf();
            let task = AsyncComputeTaskPool::get().spawn(async move { decode(&file) });
            self.jackets
                .insert(path.to_path_buf(), (Jacket::Decoding(task), clock));
        }
        let (jacket, used) = self.jackets.get_mut(path)?;
        *used = clock;
        if let Jacket::Decoded(image) = jacket {
            let image = std::mem::take(image);
            *jacket = Jacket::Ready(ctx.load_texture(
                path.to_string_lossy(),
                image,
                egui::TextureOptions::LINEAR,
            ));
        }
        match jacket {
            Jacket::Ready(texture) => Some(texture.id()),
            _ => None,
        }
    }

    fn forget_oldest(&mut self) {
        if self.jackets.len() < KEPT {
            return;
        }
        if let Some(oldest) = self
            .jackets
            .iter()
            .filter(|(_, (j, _))| !matches!(j, Jacket::Decoding(_)))
            .min_by_key(|(_, (_, used))| *used)
            .map(|(path, _)| path.clone())
        {
            self.jackets.remove(&oldest);
        }
    }
}

fn decode(path: &Path) -> Result<egui::ColorImage, String> {
    let bytes = crate::core::user_file::read_bytes(path, MAX_JACKET_BYTES, "the jacket")
        .map_err(|d| d.to_string())?;
    let image = image::load_from_memory(&bytes).map_err(|e| {
        t!(
            "notice-jacket-unreadable",
            file = path.display().to_string(),
            reason = e.to_string()
        )
    })?;
    let small = image.thumbnail(JACKET_PIXELS, JACKET_PIXELS).to_rgba8();
    let size = [small.width() as usize, small.height() as usize];
    Ok(egui::ColorImage::from_rgba_unmultiplied(
        size,
        small.as_raw(),
    ))
}

/// A jacket that cannot be read is said once, and the menus draw the level without it.
fn finish_decoding(mut jackets: ResMut<Jackets>, mut notices: ResMut<crate::notice::Notices>) {
    for (jacket, _) in jackets.jackets.values_mut() {
        let Jacket::Decoding(task) = jacket else {
            continue;
        };
        let Some(result) = block_on(future::poll_once(task)) else {
            continue;
        };
        *jacket = match result {
            Ok(image) => Jacket::Decoded(image),
            Err(why) => {
                notices.push(why);
                Jacket::Failed
            }
        };
    }
}

/// The jacket of a level without an image, drawn from its own stage colours and motif: the
/// main colour with a band of the second across it, the motif large in the accent with two
/// small echoes, and the title's initial in a corner, so the list reads as the songs' own art.
pub fn draw_generated(
    painter: &egui::Painter,
    rect: egui::Rect,
    look: &crate::core::level::cache::JacketLook,
    initial: &str,
) {
    use super::paint::{StageMesh, mix};
    use egui::{Color32, pos2, vec2};
    let [main, second, accent] = look.palette.map(|[r, g, b]| Color32::from_rgb(r, g, b));
    let night = super::colors::BACKGROUND;
    let mut mesh = StageMesh::new();
    mesh.shaded_rect(rect, mix(night, main, 0.55), mix(night, main, 0.3));
    // A band of the second colour across the corner, as a light across a stage.
    let band = |t: f32| pos2(rect.left(), rect.top() + rect.height() * t);
    mesh.polygon(
        &[
            band(0.55),
            pos2(rect.left() + rect.width() * 0.55, rect.bottom()),
            pos2(rect.left() + rect.width() * 0.8, rect.bottom()),
            band(0.3),
        ],
        mix(night, second, 0.45),
    );
    let side = rect.width().min(rect.height());
    super::stage_view::draw_motif(
        &mut mesh,
        rect.center() + vec2(0.0, -side * 0.05),
        side * 0.3,
        look.motif,
        accent,
    );
    for (dx, dy) in [(-0.3, -0.3), (0.3, 0.28)] {
        super::stage_view::draw_motif(
            &mut mesh,
            rect.center() + vec2(side * dx, side * dy),
            side * 0.1,
            look.motif,
            accent.gamma_multiply(0.6),
        );
    }
    mesh.finish(painter);
    painter.text(
        rect.left_bottom() + vec2(5.0, -3.0),
        egui::Align2::LEFT_BOTTOM,
        initial,
        egui::FontId::proportional(side * 0.28),
        Color32::WHITE.gamma_multiply(0.9),
    );
}
