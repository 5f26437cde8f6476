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

/// Every string literal of a source file, with its line, outside comments and the unit tests.
fn literals(text: &str) -> Vec<(usize, String, String)> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut found = Vec::new();
    let mut chars = code.char_indices().peekable();
    let mut line = 1;
    while let Some((at, c)) = chars.next() {
        match c {
            '\n' => line += 1,
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => {
                // A comment runs to the end of its line.
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '\'' => {
                // A char literal ('"', '\'') or a lifetime: skip a quoted character.
                let rest = &code[at + 1..];
                let skip = if rest.starts_with('\\') {
                    rest.find('\'').map(|end| end + 1)
                } else if rest.chars().nth(1) == Some('\'') {
                    Some(rest.chars().next().unwrap().len_utf8() + 1)
                } else {
                    None
                };
                for _ in 0..skip.unwrap_or(0) {
                    chars.next();
                }
            }
            '"' => {
                let start_line = line;
                let mut literal = String::new();
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, escaped)) = chars.next() {
                                if escaped == '\n' {
                                    line += 1;
                                }
                                literal.push(escaped);
                            }
                        }
                        '"' => break,
                        c => {
                            if c == '\n' {
                                line += 1;
                            }
                            literal.push(c);
                        }
                    }
                }
                let before = code[..at].trim_end();
                let context = before[before.len().saturating_sub(60)..].to_string();
                found.push((start_line, literal, context));
            }
            _ => {}
        }
    }
    found
}

/// Whether code ending in `before` calls `call` on what follows: `t!(`, not `format!(`.
fn called_with(before: &str, call: &str) -> bool {
    before.strip_suffix(call).is_some_and(|rest| {
        !rest
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Menu code shows words only through the catalogues: a literal of two or more English words
/// in `src/ui` is text a Korean player would meet in English. Log lines, egui ids and the words
/// the core's own English messages are built from are not shown as menu text.
#[test]
fn the_menus_show_no_english_literals() {
    let not_menu_text = [
        "t!(",
        "info!(",
        "warn!(",
        "debug!(",
        "error!(",
        "expect(",
        "panic!(",
        "Area::new(",
        "Id::new(",
        "id_salt(",
    ];
    // Words in the core's messages (a file's "what"), which stay English like the messages.
    let core_words = ["the file", "the jacket"];
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join("ui");
    let mut english = Vec::new();
    for entry in std::fs::read_dir(&ui).unwrap().flatten() {
        let path = entry.path();
        // Font names, and the notices said when the fonts that draw Korean are missing.
        if path.file_name().is_some_and(|n| n == "fonts.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, literal, before) in literals(&text) {
            // Words, not the names of a format string's arguments.
            let mut shown = String::new();
            let mut depth = 0;
            for c in literal.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    c if depth == 0 => shown.push(c),
                    _ => {}
                }
            }
            let words = shown
                .split_whitespace()
                .filter(|w| w.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2)
                .count();
            if words < 2
                || not_menu_text.iter().any(|m| called_with(&before, m))
                || core_words.contains(&literal.as_str())
            {
                continue;
            }
            english.push(format!(
                "{}:{line}: {literal:?}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        english.is_empty(),
        "English in the menus:\n{}",
        english.join("\n")
    );
}
