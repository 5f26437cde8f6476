//! Problems found in files a user handed us, each with the file, line and column it is about.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

/// A line and column, both counted from 1; the column counts characters.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// `None` when the problem is with the file as a whole (missing, too large, unreadable).
    pub position: Option<Position>,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &Path, position: Option<Position>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            position,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(file: &Path, position: Option<Position>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, position, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `line:column`, or empty for whole-file problems: for the song list.
    pub fn location(&self) -> String {
        match self.position {
            Some(p) => format!("{}:{}", p.line, p.column),
            None => String::new(),
        }
    }
}

/// `path:line:column: error: message`, the form editors and terminals make clickable.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.position {
            Some(p) => write!(
                f,
                "{}:{}:{}: {severity}: {}",
                self.file.display(),
                p.line,
                p.column,
                self.message
            ),
            None => write!(f, "{}: {severity}: {}", self.file.display(), self.message),
        }
    }
}

/// Turns a RON parse error into a diagnostic at the position RON reports.
pub fn from_ron_error(file: &Path, error: &ron::error::SpannedError) -> Diagnostic {
    let position = Position::new(error.span.start.line.max(1), error.span.start.col.max(1));
    Diagnostic::error(file, Some(position), explain_ron_error(&error.code))
}

fn explain_ron_error(code: &ron::Error) -> String {
    let listed = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match code {
        // A replay or settings file from a newer version may name a mod this one lacks.
        ron::Error::NoSuchEnumVariant {
            expected,
            found,
            outer: Some(outer),
        } if outer == "LaneMod" => format!(
            "`{found}` is not a lane mod this version knows; it knows {}",
            listed(expected)
        ),
        ron::Error::NoSuchStructField {
            expected,
            found,
            outer: Some(outer),
        } if outer == "Mods" => format!(
            "`{found}` is not a mod this version knows; it knows {}",
            listed(expected)
        ),
        ron::Error::NoSuchStructField {
            expected, found, ..
        } => format!(
            "unknown field `{found}`; the fields allowed here are {}",
            expected
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ron::Error::NoSuchEnumVariant {
            expected, found, ..
        } => format!(
            "unknown variant `{found}`; use one of {}",
            expected
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ron::Error::MissingStructField { field, outer } => match outer {
            Some(outer) => format!("`{outer}` is missing its required field `{field}`"),
            None => format!("missing required field `{field}`"),
        },
        other => format!("{other}"),
    }
}

/// The message of a caught panic, for saying what a third-party parser gave up on.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with no message".into())
}
