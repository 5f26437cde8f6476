//! How a problem in a file is shown: to a person as a compiler shows it (the source line, the
//! spot underlined, and help where we can give it, drawn by ariadne), and to an editor as
//! JSON with its span, severity and a short code.

use ariadne::{Config, Label, Report, ReportKind, Source};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Position, Severity};

/// A diagnostic as editors read it (`lightstick validate --format json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EditorDiagnostic {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}

/// A short name for the kind of problem, for editors to group and filter by.
pub fn code(diagnostic: &Diagnostic) -> &'static str {
    let message = diagnostic.message.as_str();
    if message.contains("unknown field") {
        "unknown-field"
    } else if message.contains("unknown variant") {
        "unknown-variant"
    } else if message.contains("missing its required field") || message.contains("missing field") {
        "missing-field"
    } else if message.starts_with("row \"") {
        "row-length"
    } else if diagnostic.position.is_some() && looks_like_syntax(message) {
        "syntax"
    } else if diagnostic.position.is_none() {
        "file"
    } else {
        "check"
    }
}

fn looks_like_syntax(message: &str) -> bool {
    [
        "Expected",
        "Unexpected",
        "expected",
        "invalid",
        "Invalid",
        "unclosed",
        "Unclosed",
    ]
    .iter()
    .any(|word| message.contains(word))
}

/// What to do about a problem, where we can say: the nearest of the names allowed for a
/// misspelt one, or how long a chart's rows are.
pub fn help(diagnostic: &Diagnostic) -> Option<String> {
    let message = diagnostic.message.as_str();
    if message.contains("unknown field") || message.contains("unknown variant") {
        let names = quoted(message);
        let (wrong, allowed) = names.split_first()?;
        let wrong = wrong.to_lowercase();
        let length = wrong.chars().count();
        let close_enough = (length / 3).max(2);
        // Names whose lengths alone differ by more than that are never close: a word of a
        // megabyte is not compared letter by letter with every name.
        let nearest = allowed
            .iter()
            .filter(|name| name.chars().count().abs_diff(length) <= close_enough)
            .map(|name| (edit_distance(&wrong, &name.to_lowercase()), name))
            .min()?;
        return (nearest.0 <= close_enough).then(|| format!("did you mean `{}`?", nearest.1));
    }
    if message == "Expected comma" {
        return Some(
            "a comma is missing: at the end of the line before this one, or between two items"
                .into(),
        );
    }
    if message.starts_with("row \"") {
        let lanes = message.split("the chart has ").nth(1)?.split(' ').next()?;
        return Some(format!(
            "rows in this chart have {lanes} characters, one per lane: 0 none, 1 tap, 2 hold head, 4 roll head, 3 tail, M mine"
        ));
    }
    None
}

/// The words between backticks in `text`, in order.
fn quoted(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The number of single-character edits between `a` and `b` (Levenshtein).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// One file's text, indexed once, so that drawing each of its problems costs the length of
/// that problem's line and not of the whole file: `validate` of a file with thousands of
/// problems stays quick.
pub struct SourceFile<T: AsRef<str> = String> {
    /// Where each line starts: (byte, character).
    lines: Vec<(usize, usize)>,
    /// The text, as ariadne draws from it.
    drawn: Source<T>,
}

impl<T: AsRef<str>> SourceFile<T> {
    pub fn new(text: T) -> SourceFile<T> {
        let mut lines = vec![(0, 0)];
        for (chars, (byte, c)) in text.as_ref().char_indices().enumerate() {
            if c == '\n' {
                lines.push((byte + 1, chars + 1));
            }
        }
        SourceFile {
            lines,
            drawn: Source::from(text),
        }
    }

    /// The text of line `line` (from 1), with its newline, and where it starts in characters.
    fn line(&self, line: usize) -> Option<(&str, usize)> {
        let text = self.drawn.text();
        let &(byte, chars) = self.lines.get(line.checked_sub(1)?)?;
        let end = self.lines.get(line).map_or(text.len(), |next| next.0);
        Some((&text[byte..end], chars))
    }

    /// The span a problem is about, in characters from the start of the file: from its
    /// position to the end of the word, number or string that starts there (at least one
    /// character).
    pub fn span(&self, diagnostic: &Diagnostic) -> Option<std::ops::Range<usize>> {
        let position = diagnostic.position?;
        let (line, line_start) = self.line(position.line)?;
        let length = line.trim_end_matches('\n').chars().count();
        let column = position.column.saturating_sub(1).min(length);
        let from_column: Vec<char> = line.chars().skip(column).collect();
        // A parser's position can be just before the value it is about: start at the value.
        let blank = from_column
            .iter()
            .take_while(|c| **c == ' ' || **c == '\t')
            .count();
        let start = line_start + column + blank;
        let rest = &from_column[blank..];
        // A character of a measure's row is about that one character.
        if diagnostic.message.contains("character `")
            || diagnostic.message.contains("notes are not")
        {
            return Some(start..start + 1);
        }
        let length = match rest.first() {
            Some('"') => rest[1..]
                .iter()
                .position(|c| *c == '"' || *c == '\n')
                .map_or(1, |end| end + 2),
            Some(c) if c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.' => rest
                .iter()
                .take_while(|c| c.is_alphanumeric() || **c == '_' || **c == '-' || **c == '.')
                .count(),
            _ => 1,
        };
        Some(start..start + length.max(1))
    }

    /// The position `offset` characters into the file.
    fn position_at(&self, offset: usize) -> Position {
        let line = self
            .lines
            .partition_point(|(_, chars)| *chars <= offset)
            .max(1);
        Position::new(line, offset - self.lines[line - 1].1 + 1)
    }

    /// The problem as a compiler prints it: the `file:line:column: error: …` line that editors
    /// and terminals follow, then the source line with the spot underlined, and help.
    pub fn render(&self, diagnostic: &Diagnostic) -> String {
        let Some(span) = self.span(diagnostic) else {
            return render(diagnostic, None);
        };
        let mut out = diagnostic.to_string();
        let name = diagnostic.file.display().to_string();
        let kind = match diagnostic.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let mut report = Report::build(kind, (name.as_str(), span.clone()))
            .with_config(Config::default().with_color(false))
            .with_label(Label::new((name.as_str(), span)).with_message(gist(diagnostic)));
        if let Some(help) = help(diagnostic) {
            report = report.with_help(help);
        }
        let mut drawn = Vec::new();
        if report
            .finish()
            .write((name.as_str(), &self.drawn), &mut drawn)
            .is_ok()
        {
            // ariadne's first line repeats the kind of problem, which the line above says.
            let drawn = String::from_utf8_lossy(&drawn);
            for line in drawn.lines().skip(1) {
                out.push('\n');
                out.push_str(line.trim_end());
            }
        }
        out
    }

    /// The problem as editors read it.
    pub fn for_editors(&self, diagnostic: &Diagnostic) -> EditorDiagnostic {
        let end = self.span(diagnostic).map(|span| self.position_at(span.end));
        editor_diagnostic(diagnostic, end)
    }
}

/// The span a problem is about in `source`: see [`SourceFile::span`].
pub fn span(diagnostic: &Diagnostic, source: &str) -> Option<std::ops::Range<usize>> {
    SourceFile::new(source).span(diagnostic)
}

/// The problem as a compiler prints it, with its source line when `source` is given. To draw
/// several problems of one file, index it once with [`SourceFile`].
pub fn render(diagnostic: &Diagnostic, source: Option<&str>) -> String {
    if let Some(source) = source {
        return SourceFile::new(source).render(diagnostic);
    }
    let mut out = diagnostic.to_string();
    if let Some(help) = help(diagnostic) {
        out.push_str(&format!("\n  help: {help}"));
    }
    out
}

/// The first clause of a problem's message, to label the underlined spot with.
fn gist(diagnostic: &Diagnostic) -> &str {
    let message = diagnostic.message.as_str();
    let end = [";", ", expected", ": expected", ", the fields"]
        .iter()
        .filter_map(|cut| message.find(cut))
        .min()
        .unwrap_or(message.len());
    &message[..end]
}

/// The problem as editors read it. To give several problems of one file, index it once with
/// [`SourceFile`].
pub fn for_editors(diagnostic: &Diagnostic, source: Option<&str>) -> EditorDiagnostic {
    match source {
        Some(source) => SourceFile::new(source).for_editors(diagnostic),
        None => editor_diagnostic(diagnostic, None),
    }
}

fn editor_diagnostic(diagnostic: &Diagnostic, end: Option<Position>) -> EditorDiagnostic {
    EditorDiagnostic {
        file: diagnostic.file.display().to_string(),
        line: diagnostic.position.map(|p| p.line),
        column: diagnostic.position.map(|p| p.column),
        end_line: end.map(|p| p.line),
        end_column: end.map(|p| p.column),
        severity: match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        code: code(diagnostic),
        message: diagnostic.message.clone(),
        help: help(diagnostic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn at(line: usize, column: usize, message: &str) -> Diagnostic {
        Diagnostic::error(
            Path::new("l.ron"),
            Some(Position::new(line, column)),
            message,
        )
    }

    #[test]
    fn a_misspelt_name_gets_the_nearest_allowed_one() {
        let d = at(
            3,
            15,
            "unknown variant `Holdd`, expected one of `Tap`, `Hold`, `Roll`, `Mine`",
        );
        assert_eq!(help(&d).as_deref(), Some("did you mean `Hold`?"));
        assert_eq!(code(&d), "unknown-variant");
        let far = at(
            3,
            15,
            "unknown field `xyzzy`; the fields allowed here are `meter`, `lanes`",
        );
        assert_eq!(help(&far), None);
        // A megabyte of a name is never close to any, and costs no comparison letter by letter.
        let huge = format!(
            "unknown field `{}`; the fields allowed here are `title`",
            "t".repeat(1_000_000)
        );
        assert_eq!(help(&at(1, 1, &huge)), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn a_problem_at_the_very_end_of_a_file_is_drawn_too() {
        for (source, line, column) in [("(\n  a: 1", 2, 7), ("", 1, 1), ("x\n", 2, 1), ("é", 1, 9)]
        {
            let d = at(line, column, "unexpected end of file");
            let drawn = render(&d, Some(source));
            assert!(drawn.starts_with("l.ron:"), "{drawn}");
            let _ = for_editors(&d, Some(source));
        }
    }

    #[test]
    fn the_span_covers_the_word_and_the_picture_underlines_it() {
        let source = "(\n    charts: [\n        (kind: Holdd, lane: 2),\n    ],\n)\n";
        let d = at(
            3,
            16,
            "unknown variant `Holdd`, expected one of `Tap`, `Hold`",
        );
        let span = span(&d, source).unwrap();
        let chars: String = source.chars().skip(span.start).take(span.len()).collect();
        assert_eq!(chars, "Holdd");
        let drawn = render(&d, Some(source));
        assert!(
            drawn.starts_with("l.ron:3:16: error: unknown variant `Holdd`"),
            "{drawn}"
        );
        assert!(
            drawn.contains("3 │         (kind: Holdd, lane: 2),"),
            "{drawn}"
        );
        assert!(drawn.contains("──┬──"), "{drawn}");
        assert!(drawn.contains("Help: did you mean `Hold`?"), "{drawn}");
        let editor = for_editors(&d, Some(source));
        assert_eq!((editor.end_line, editor.end_column), (Some(3), Some(21)));
    }
}
