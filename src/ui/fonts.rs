//! The game's fonts, found at run time among the installed ones: a text face (Inter, from the
//! distribution's fonts-inter), a rounded display face (Comfortaa, from fonts-comfortaa) for
//! titles, grades and judgements, both under the OFL, and after them, for each script they lack
//! (Hangul, kana and kanji, which K-pop titles, member names and imported packs are full of),
//! the first installed font that has it. egui's embedded font stays behind them all. The search
//! runs off the main thread, so the title screen never waits for it; until it ends, and when a
//! face is not installed, egui's embedded font draws in its place.

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
/// The installed families tried for the text face, best first.
const TEXT_FACES: [&str; 2] = ["Inter", "Lato"];

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

/// What the search found.
pub struct SearchResult {
    /// A font per script egui's own font lacks.
    scripts: Vec<Found>,
    /// The scripts no installed font has.
    missing: Vec<&'static str>,
    display: Option<Found>,
    text: Option<Found>,
}

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
    SearchResult {
        scripts: found,
        missing,
        display: first_installed(&db, &DISPLAY_FACES, fontdb::Weight::BOLD),
        text: first_installed(&db, &TEXT_FACES, fontdb::Weight::NORMAL),
    }
}

/// The first of `families` that is installed, upright, at `weight` or the nearest to it.
fn first_installed(
    db: &fontdb::Database,
    families: &[&str],
    weight: fontdb::Weight,
) -> Option<Found> {
    families.iter().find_map(|name| {
        let id = db.query(&fontdb::Query {
            families: &[fontdb::Family::Name(name)],
            weight,
            ..fontdb::Query::default()
        })?;
        db.with_face_data(id, |bytes, index| Found {
            family: (*name).to_string(),
            bytes: bytes.to_vec(),
            index,
        })
    })
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
    let fonts = GameFonts::from(found);
    contexts.ctx_mut()?.set_fonts(fonts.definitions);
    // The search runs once a start, so each message is said once.
    for message in fonts.messages {
        notices.push(message);
    }
    Ok(())
}

/// Adds `font` as `name` to `families`, first or last.
fn add_font(
    definitions: &mut egui::FontDefinitions,
    font: Found,
    name: String,
    families: &[egui::FontFamily],
    first: bool,
) {
    let mut data = egui::FontData::from_owned(font.bytes);
    data.index = font.index;
    definitions.font_data.insert(name.clone(), data.into());
    for family in families {
        let list = definitions.families.entry(family.clone()).or_default();
        if first {
            list.insert(0, name.clone());
        } else {
            list.push(name.clone());
        }
    }
}

/// The fonts the game draws with, and what it tells the player about any that are missing.
pub struct GameFonts {
    pub definitions: egui::FontDefinitions,
    pub messages: Vec<String>,
}

impl GameFonts {
    /// Looks for the installed fonts (slow: it reads every installed font's header).
    pub fn installed() -> GameFonts {
        GameFonts::from(find_fallback())
    }
}

impl From<SearchResult> for GameFonts {
    /// egui's own fonts, with the text face before them, the display face in its own family
    /// (falling back to the text fonts), and the script fonts after them all.
    fn from(found: SearchResult) -> GameFonts {
        let mut definitions = egui::FontDefinitions::default();
        let mut lacking = Vec::new();
        match found.text {
            Some(font) => {
                info!("{} draws text", font.family);
                let name = format!("{} (text)", font.family);
                add_font(
                    &mut definitions,
                    font,
                    name,
                    &[egui::FontFamily::Proportional],
                    true,
                );
            }
            None => lacking.push("fonts-inter"),
        }
        let text_fonts = definitions
            .families
            .get(&egui::FontFamily::Proportional)
            .cloned()
            .unwrap_or_default();
        definitions.families.insert(display_family(), text_fonts);
        match found.display {
            Some(font) => {
                info!("{} draws titles", font.family);
                let name = format!("{} (display)", font.family);
                add_font(&mut definitions, font, name, &[display_family()], true);
            }
            None => lacking.push("fonts-comfortaa"),
        }
        for font in found.scripts {
            info!("{} draws the scripts the text fonts lack", font.family);
            let name = font.family.clone();
            let families = [
                egui::FontFamily::Proportional,
                egui::FontFamily::Monospace,
                display_family(),
            ];
            add_font(&mut definitions, font, name, &families, false);
        }
        let mut messages = Vec::new();
        if !lacking.is_empty() {
            messages.push(format!(
                "the game's fonts are not installed, so it uses its built-in one; install {}",
                lacking.join(" and ")
            ));
        }
        if !found.missing.is_empty() {
            messages.push(format!(
                "no installed font has {}, so such titles show as boxes; install fonts-nanum and fonts-droid-fallback",
                found.missing.join(" or ")
            ));
        }
        GameFonts {
            definitions,
            messages,
        }
    }
}
