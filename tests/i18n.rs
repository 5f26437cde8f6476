//! The menus' catalogues: English and Korean each have every message the game asks for, with
//! the same arguments, and both parse.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_bundle::FluentResource;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use lightstick::i18n::{Language, text_in};

/// Every message of a catalogue with the names of the arguments it uses.
fn messages(language: Language) -> BTreeMap<String, BTreeSet<String>> {
    let resource = FluentResource::try_new(language.catalogue().to_string())
        .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", language.code()));
    resource
        .entries()
        .filter_map(|entry| match entry {
            Entry::Message(message) => {
                let mut names = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    arguments(pattern, &mut names);
                }
                Some((message.id.name.to_string(), names))
            }
            _ => None,
        })
        .collect()
}

fn arguments(pattern: &Pattern<&str>, names: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_arguments(expression, names);
        }
    }
}

fn expression_arguments(expression: &Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_arguments(inline, names),
        Expression::Select { selector, variants } => {
            inline_arguments(selector, names);
            for variant in variants {
                arguments(&variant.value, names);
            }
        }
    }
}

fn inline_arguments(inline: &InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => expression_arguments(expression, names),
        _ => {}
    }
}

/// The message ids the game's source asks for with `t!("…"`.
fn ids_in_source() -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut from = 0;
            while let Some(at) = text[from..].find("t!(").map(|at| from + at) {
                from = at + 3;
                // `format!(` and `assert!(` end the same way.
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let trimmed = text[from..].trim_start();
                if let Some(quoted) = trimmed.strip_prefix('"') {
                    let id = &quoted[..quoted.find('"').unwrap()];
                    found
                        .entry(id.to_string())
                        .or_insert_with(|| path.display().to_string());
                }
            }
        }
    }
    found
}

#[test]
fn both_catalogues_have_every_message_the_game_asks_for() {
    let english = messages(Language::English);
    let korean = messages(Language::Korean);
    let used = ids_in_source();
    assert!(
        used.len() > 150,
        "only {} messages found in the source",
        used.len()
    );
    for (id, file) in &used {
        assert!(
            english.contains_key(id),
            "{file} asks for `{id}`, missing in English"
        );
        assert!(
            korean.contains_key(id),
            "{file} asks for `{id}`, missing in Korean"
        );
    }
    let english_ids: BTreeSet<&String> = english.keys().collect();
    let korean_ids: BTreeSet<&String> = korean.keys().collect();
    assert_eq!(
        english_ids, korean_ids,
        "the catalogues hold the same messages"
    );
    let unused: Vec<&&String> = english_ids
        .iter()
        .filter(|id| !used.contains_key(id.as_str()))
        .collect();
    assert!(unused.is_empty(), "messages nothing asks for: {unused:?}");
}

#[test]
fn each_message_takes_the_same_arguments_in_both_languages() {
    let english = messages(Language::English);
    let korean = messages(Language::Korean);
    for (id, names) in &english {
        assert_eq!(Some(names), korean.get(id), "`{id}`");
    }
}

#[test]
fn the_korean_catalogue_is_a_translation() {
    let english = messages(Language::English);
    let same: Vec<&String> = english
        .keys()
        .filter(|id| {
            text_in(Language::English, id, None) == text_in(Language::Korean, id, None)
                // Messages with arguments are compared by the test above.
                && english[*id].is_empty()
        })
        .collect();
    // Only names the two languages share, such as "BPM".
    assert!(same.len() <= 3, "left in English: {same:?}");
}
