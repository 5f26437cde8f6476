//! The menus' fonts: egui's own for text, a rounded display face (Comfortaa, from the
//! distribution's fonts-comfortaa, under the OFL) for titles, grades and judgements, and after
//! them, for each script they lack (Hangul, kana and kanji, which K-pop titles, member names and
//! imported packs are full of), the first installed font that has it. The search runs off the
//! main thread, so the title screen never waits for it; until it ends, and when the display face
//! is not installed, titles are drawn in the text font.

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// Per script: a character of it, its name for messages, and font families known to cover
/// it well, best first. Any other installed font with the character is used when none of these
/// is there. Korean fonts carry some kana and hanja, but Japanese fonts cover far more kanji, so
/// each script gets its own font.
const SCRIPTS: [(char, &str, &[&str]); 2] = [
    (
        '한',
        "Hangul",
        &[
            "Noto Sans CJK KR",
            "Source Han Sans KR",
            "NanumGothic",
            "NanumBarunGothic",
            "UnDotum",
        ],
    ),
    (
        '字',
        "kana and kanji",
        &[
            "Noto Sans CJK JP",
            "Source Han Sans JP",
            "Droid Sans Fallback",
            "IPAGothic",
            "WenQuanYi Zen Hei",
        ],
    ),
];

/// The display face's family in egui, and the installed families tried for it, best first.
const DISPLAY: &str = "display";
const DISPLAY_FACES: [&str; 2] = ["Comfortaa", "Quicksand"];

/// The display family, bound from the first frame to the text fonts so it is always drawable.
pub fn display_family() -> egui::FontFamily {
    egui::FontFamily::Name(DISPLAY.into())
}

/// A display-face font of `size` for titles, grades and judgements: the text font until the
/// display family is bound (egui binds new fonts at the start of the next frame).
pub fn display(ctx: &egui::Context, size: f32) -> egui::FontId {
    let family = display_family();
    let bound = ctx.fonts(|f| f.definitions().families.contains_key(&family));
    egui::FontId::new(
        size,
        if bound {
            family
        } else {
            egui::FontFamily::Proportional
        },
    )
}

/// Binds the display family to egui's own text fonts, before anything adds to it.
pub(super) fn bind_display_family(ctx: &egui::Context) {
    let mut definitions = egui::FontDefinitions::default();
    let text = definitions
        .families
        .get(&egui::FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    definitions.families.insert(display_family(), text);
    ctx.set_fonts(definitions);
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, start_search)
        .add_systems(EguiPrimaryContextPass, add_fallback_font);
}

/// A font file found: its family, bytes and face index.
struct Found {
    family: String,
    bytes: Vec<u8>,
    index: u32,
}

/// The fonts found for scripts, the scripts no installed font has, and the display face.
type SearchResult = (Vec<Found>, Vec<&'static str>, Option<Found>);

#[derive(Resource)]
struct FontSearch(Option<Task<SearchResult>>);

fn start_search(mut commands: Commands) {
    let task = AsyncComputeTaskPool::get().spawn(async { find_fallback() });
    commands.insert_resource(FontSearch(Some(task)));
}

fn covers(bytes: &[u8], index: u32, sample: char) -> bool {
    ttf_parser::Face::parse(bytes, index).is_ok_and(|face| face.glyph_index(sample).is_some())
}

fn find_fallback() -> SearchResult {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let mut found: Vec<Found> = Vec::new();
    let mut missing = Vec::new();
    for (sample, script, families) in SCRIPTS {
        let has = |id: &fontdb::ID| {
            db.with_face_data(*id, |bytes, index| covers(bytes, index, sample))
                .unwrap_or(false)
        };
        let id = families
            .iter()
            .filter_map(|name| {
                db.query(&fontdb::Query {
                    families: &[fontdb::Family::Name(name)],
                    ..fontdb::Query::default()
                })
            })
            .find(has)
            .or_else(|| db.faces().map(|f| f.id).find(has));
        let loaded = id.and_then(|id| {
            let family = db.face(id)?.families.first()?.0.clone();
            if found.iter().any(|f| f.family == family) {
                return None;
            }
            db.with_face_data(id, |bytes, index| Found {
                family,
                bytes: bytes.to_vec(),
                index,
            })
        });
        match (id, loaded) {
            (None, _) => missing.push(script),
            (Some(_), Some(font)) => found.push(font),
            (Some(_), None) => {}
        }
    }
    let display = DISPLAY_FACES.iter().find_map(|name| {
        let id = db.query(&fontdb::Query {
            families: &[fontdb::Family::Name(name)],
            weight: fontdb::Weight::BOLD,
            ..fontdb::Query::default()
        })?;
        db.with_face_data(id, |bytes, index| Found {
            family: (*name).to_string(),
            bytes: bytes.to_vec(),
            index,
        })
    });
    (found, missing, display)
}

fn add_fallback_font(
    mut contexts: EguiContexts,
    search: Option<ResMut<FontSearch>>,
    mut notices: ResMut<crate::notice::Notices>,
) -> Result {
    let Some(mut search) = search else {
        return Ok(());
    };
    let Some(task) = search.0.as_mut() else {
        return Ok(());
    };
    let Some(found) = block_on(future::poll_once(task)) else {
        return Ok(());
    };
    search.0 = None;
    let ctx = contexts.ctx_mut()?;
    let (fonts, missing, display) = found;
    for font in fonts {
        info!("{} draws the scripts egui's own font lacks", font.family);
        let mut data = egui::FontData::from_owned(font.bytes);
        data.index = font.index;
        ctx.add_font(egui::epaint::text::FontInsert {
            name: font.family,
            data,
            families: [
                egui::FontFamily::Proportional,
                egui::FontFamily::Monospace,
                display_family(),
            ]
            .into_iter()
            .map(|family| egui::epaint::text::InsertFontFamily {
                family,
                priority: egui::epaint::text::FontPriority::Lowest,
            })
            .collect(),
        });
    }
    match display {
        Some(font) => {
            info!("{} draws titles", font.family);
            let mut data = egui::FontData::from_owned(font.bytes);
            data.index = font.index;
            ctx.add_font(egui::epaint::text::FontInsert {
                name: format!("{} (display)", font.family),
                data,
                families: vec![egui::epaint::text::InsertFontFamily {
                    family: display_family(),
                    priority: egui::epaint::text::FontPriority::Highest,
                }],
            });
        }
        None => notices.once(
            "no-display-font",
            "no display font is installed, so titles use the text font; install fonts-comfortaa",
        ),
    }
    if !missing.is_empty() {
        notices.once(
            "no-cjk-font",
            format!(
                "no installed font has {}, so such titles show as boxes; install fonts-nanum and fonts-droid-fallback",
                missing.join(" or ")
            ),
        );
    }
    Ok(())
}
