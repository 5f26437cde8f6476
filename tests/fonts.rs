//! The fonts the game finds at run time draw what K-pop fans read: a Hangul or Japanese title
//! comes out as its own glyphs, never as the box a font without them draws.

use bevy_egui::egui::epaint::text::{Fonts, TextOptions};
use bevy_egui::egui::{Color32, ColorImage, FontDefinitions, FontId};
use lightstick::ui::fonts::{GameFonts, display_family};

/// The pixels of the first glyph of `text` as `definitions` draw it, at 40 px.
fn glyph_pixels(definitions: FontDefinitions, font: FontId, text: &str) -> Vec<u8> {
    let mut fonts = Fonts::new(TextOptions::default(), definitions);
    let mut view = fonts.with_pixels_per_point(1.0);
    let galley = view.layout_no_wrap(text.to_string(), font, Color32::WHITE);
    let glyph = galley.rows[0].row.glyphs[0];
    let image: ColorImage = view.image();
    let [x0, y0] = glyph.uv_rect.min.map(usize::from);
    let [x1, y1] = glyph.uv_rect.max.map(usize::from);
    let mut pixels = Vec::new();
    for y in y0..y1 {
        for x in x0..x1 {
            pixels.push(image.pixels[y * image.size[0] + x].a());
        }
    }
    pixels
}

fn ink(pixels: &[u8]) -> usize {
    pixels.iter().filter(|a| **a > 64).count()
}

#[test]
fn hangul_and_kanji_titles_draw_with_an_installed_fonts_glyphs_not_boxes() {
    let installed = GameFonts::installed();
    assert!(
        installed.messages.is_empty(),
        "the test machine lacks fonts the scripts install: {:?}",
        installed.messages
    );
    for (text, font) in [
        ("한", FontId::proportional(40.0)),
        ("字", FontId::proportional(40.0)),
        ("한", FontId::new(40.0, display_family())),
    ] {
        // egui's embedded font has no Hangul or kanji: it draws its missing-glyph box.
        let boxed = glyph_pixels(FontDefinitions::default(), FontId::proportional(40.0), text);
        let drawn = glyph_pixels(installed.definitions.clone(), font.clone(), text);
        assert!(ink(&drawn) > 40, "{text} in {font:?} drew almost nothing");
        assert_ne!(
            drawn, boxed,
            "{text} in {font:?} drew the missing-glyph box"
        );
    }
}

#[test]
fn the_text_and_display_faces_are_the_packaged_ones() {
    let installed = GameFonts::installed();
    let families = &installed.definitions.families;
    let first = |family| families[&family].first().cloned().unwrap_or_default();
    assert_eq!(
        first(bevy_egui::egui::FontFamily::Proportional),
        "Inter (text)"
    );
    assert_eq!(first(display_family()), "Comfortaa (display)");
    // A Latin title drawn in the display face differs from the text face's.
    let text = glyph_pixels(
        installed.definitions.clone(),
        FontId::proportional(40.0),
        "g",
    );
    let display = glyph_pixels(
        installed.definitions.clone(),
        FontId::new(40.0, display_family()),
        "g",
    );
    assert_ne!(text, display);
}
