//! The game's menu text in English and Korean: one Project Fluent catalogue a language
//! (`assets/i18n/*.ftl`, built into the game), in the language chosen in Settings or, until
//! one is chosen, the system's. Song titles, artists and the names of players and profiles are
//! their owners' and are never translated.
//!
//! Screens ask for text by message id with [`t!`](crate::t): `t!("title-play")`, or with
//! arguments, `t!("songs-not-cleared", count = 3)`.

use std::sync::{OnceLock, RwLock};

use bevy::prelude::*;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::settings::Settings;

/// A language the menus are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    Korean,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Korean];

    /// The code the settings file keeps: `en` or `ko`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Korean => "ko",
        }
    }

    /// The language of a locale or settings code: `ko`, `ko-KR`, `ko_KR.UTF-8`, `en-GB`…
    pub fn from_code(code: &str) -> Option<Language> {
        let primary = code
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// Its name in itself, as the language menu lists it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Korean => "한국어",
        }
    }

    /// The catalogue's text.
    pub fn catalogue(self) -> &'static str {
        match self {
            Language::English => include_str!("../assets/i18n/en.ftl"),
            Language::Korean => include_str!("../assets/i18n/ko.ftl"),
        }
    }

    /// The system's language if the game speaks it, else English.
    pub fn of_system() -> Language {
        sys_locale::get_locales()
            .find_map(|locale| Language::from_code(&locale))
            .unwrap_or(Language::English)
    }

    /// The language a settings value asks for: `system` (or anything unknown) follows the
    /// system's locale.
    pub fn chosen(setting: &str) -> Language {
        Language::from_code(setting).unwrap_or_else(Language::of_system)
    }
}

/// What the settings keep when the player has not picked a language.
pub const SYSTEM_LANGUAGE: &str = "system";

fn bundles() -> &'static [FluentBundle<FluentResource>] {
    static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|language| {
                let id: unic_langid::LanguageIdentifier = language
                    .code()
                    .parse()
                    .expect("the game's language codes are valid");
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Unicode isolation marks around arguments show as boxes in egui's fonts.
                bundle.set_use_isolating(false);
                let resource = FluentResource::try_new(language.catalogue().to_string())
                    .unwrap_or_else(|(resource, errors)| {
                        error!("the {} catalogue has errors: {errors:?}", language.code());
                        resource
                    });
                if let Err(errors) = bundle.add_resource(resource) {
                    error!(
                        "the {} catalogue repeats messages: {errors:?}",
                        language.code()
                    );
                }
                bundle
            })
            .collect()
    })
}

static CURRENT: RwLock<Language> = RwLock::new(Language::English);

/// The language the menus speak now.
pub fn language() -> Language {
    *CURRENT.read().unwrap_or_else(|e| e.into_inner())
}

pub fn set_language(language: Language) {
    *CURRENT.write().unwrap_or_else(|e| e.into_inner()) = language;
}

/// The text of message `id` in `language`, with `args`; `None` if the catalogue lacks it.
pub fn text_in(language: Language, id: &str, args: Option<&FluentArgs>) -> Option<String> {
    let index = Language::ALL.iter().position(|l| *l == language)?;
    let bundle = &bundles()[index];
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        warn!("message `{id}` in {}: {errors:?}", language.code());
    }
    Some(text.into_owned())
}

/// Message `id` in the menus' language, falling back to English, then to the id itself (which
/// a test makes sure never happens).
pub fn tr_args(id: &str, args: Option<&FluentArgs>) -> String {
    text_in(language(), id, args)
        .or_else(|| text_in(Language::English, id, args))
        .unwrap_or_else(|| id.to_string())
}

pub fn tr(id: &str) -> String {
    tr_args(id, None)
}

/// Menu text by message id: `t!("title-play")`, or `t!("songs-not-cleared", count = 3)`.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::tr($id)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = fluent_bundle::FluentArgs::new();
        $(args.set(stringify!($name), $value);)+
        $crate::i18n::tr_args($id, Some(&args))
    }};
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(PreUpdate, follow_the_setting);
}

/// Speaks the language of the settings, or of the system while they say `system`.
fn follow_the_setting(settings: Res<Settings>) {
    if settings.is_changed() {
        set_language(Language::chosen(&settings.language));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_codes_name_their_language() {
        assert_eq!(Language::from_code("ko_KR.UTF-8"), Some(Language::Korean));
        assert_eq!(Language::from_code("ko-KR"), Some(Language::Korean));
        assert_eq!(Language::from_code("en-GB"), Some(Language::English));
        assert_eq!(Language::from_code("fr-FR"), None);
        assert_eq!(Language::from_code(SYSTEM_LANGUAGE), None);
    }

    #[test]
    fn messages_take_their_arguments_in_either_language() {
        let mut args = FluentArgs::new();
        args.set("count", 3);
        let english = text_in(Language::English, "songs-not-cleared", Some(&args)).unwrap();
        let korean = text_in(Language::Korean, "songs-not-cleared", Some(&args)).unwrap();
        assert!(
            english.contains('3') && korean.contains('3'),
            "{english} / {korean}"
        );
        assert_ne!(english, korean);
    }
}
