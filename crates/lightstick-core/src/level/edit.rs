//! Changing a level file in place as its author would by hand: a chart added to its `charts`,
//! or put in place of one, with every other byte (comments, order, spacing) left as it was.

use crate::spans::{self, Node, Spanned};

use super::write::ChartBlock;

/// Where a new chart goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChartPlace {
    /// After the level's last chart.
    Added,
    /// In place of the chart of this difficulty.
    Replacing(String),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the level file does not read as RON; fix it before writing a chart into it")]
    Unreadable,
    #[error("the level file has no `charts: [...]` list to write the chart into")]
    NoCharts,
    #[error("the level has no chart named `{0}` to replace")]
    NoSuchChart(String),
}

/// `source` with `block` written at `place`; nothing else in it changes.
pub fn put_chart(
    source: &str,
    place: &ChartPlace,
    block: &ChartBlock,
) -> Result<String, EditError> {
    let tree = spans::parse(source).ok_or(EditError::Unreadable)?;
    let charts = tree.field("charts").ok_or(EditError::NoCharts)?;
    let Node::Seq(items) = &charts.node else {
        return Err(EditError::NoCharts);
    };
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let edit = match place {
        ChartPlace::Replacing(name) => {
            let chart = items
                .iter()
                .find(|c| matches!(&c.field("difficulty").map(|d| &d.node), Some(Node::Str(d)) if d.eq_ignore_ascii_case(name)))
                .ok_or_else(|| EditError::NoSuchChart(name.clone()))?;
            let (from, to) = range(source, chart)?;
            Splice::new(from, to, block.to_ron(indent_at(source, from)))
        }
        ChartPlace::Added => match items.last() {
            Some(last) => after(source, last, block),
            None => into_empty(source, &tree, charts, block)?,
        },
    };
    Ok(edit.apply(source, newline))
}

/// Text put in place of `source[from..to]`.
struct Splice {
    from: usize,
    to: usize,
    text: String,
}

impl Splice {
    fn new(from: usize, to: usize, text: String) -> Splice {
        Splice { from, to, text }
    }

    fn apply(self, source: &str, newline: &str) -> String {
        let text = if newline == "\n" {
            self.text
        } else {
            self.text.replace('\n', newline)
        };
        format!("{}{text}{}", &source[..self.from], &source[self.to..])
    }
}

/// The bytes a value spans.
fn range(source: &str, value: &Spanned) -> Result<(usize, usize), EditError> {
    let from = spans::byte_at(source, value.at).ok_or(EditError::Unreadable)?;
    let to = spans::byte_at(source, value.end).ok_or(EditError::Unreadable)?;
    Ok((from, to))
}

/// The spaces and tabs that start the line holding byte `at`.
fn indent_at(source: &str, at: usize) -> &str {
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &source[line_start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The block added after the last chart, on lines of its own when the last chart ends its line
/// (as it does in every level written by hand), else straight after it.
fn after(source: &str, last: &Spanned, block: &ChartBlock) -> Splice {
    let Ok((from, end)) = range(source, last) else {
        return Splice::new(source.len(), source.len(), String::new());
    };
    let indent = indent_at(source, from);
    let rest = &source[end..];
    let comma = rest
        .trim_start_matches([' ', '\t'])
        .starts_with(',')
        .then(|| end + rest.find(',').unwrap_or(0) + 1);
    let after_comma = comma.unwrap_or(end);
    let line_rest = source[after_comma..].split('\n').next().unwrap_or("");
    let ends_line = {
        let tail = line_rest.trim_start_matches([' ', '\t', '\r']);
        tail.is_empty() || tail.starts_with("//")
    };
    let chart = block.to_ron(indent);
    match (
        comma,
        ends_line && after_comma + line_rest.len() < source.len(),
    ) {
        (Some(_), true) => {
            let at = after_comma + line_rest.len() + 1;
            Splice::new(at, at, format!("{indent}{chart},\n"))
        }
        (None, true) => {
            // The last chart had no comma: one goes after it, and the new chart below.
            let at = after_comma + line_rest.len() + 1;
            Splice::new(
                end,
                at,
                format!(",{}\n{indent}{chart},\n", &source[end..at - 1]),
            )
        }
        (Some(at), false) => Splice::new(at, at, format!("\n{indent}{chart},")),
        (None, false) => Splice::new(end, end, format!(",\n{indent}{chart}")),
    }
}

/// The block as the only chart of `charts: []`, a level deeper than the `charts` field.
fn into_empty(
    source: &str,
    tree: &Spanned,
    charts: &Spanned,
    block: &ChartBlock,
) -> Result<Splice, EditError> {
    let (open, _) = range(source, charts)?;
    let field_at = tree
        .field_name_at("charts")
        .and_then(|at| spans::byte_at(source, at))
        .unwrap_or(open);
    let outer = indent_at(source, field_at);
    let indent = format!("{outer}    ");
    let chart = block.to_ron(&indent);
    Ok(Splice::new(
        open + 1,
        open + 1,
        format!("\n{indent}{chart},\n{outer}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::PlacedKind;

    const NOTES: [(u8, f64, PlacedKind); 2] = [
        (0, 0.0, PlacedKind::Tap),
        (3, 2.0, PlacedKind::Hold { end_beat: 3.0 }),
    ];

    fn block(name: &str) -> ChartBlock<'_> {
        ChartBlock {
            note: "Recorded in Lightstick.",
            difficulty: name,
            meter: 2,
            lanes: 4,
            notes: &NOTES,
            sections: &[],
        }
    }

    const LEVEL: &str = "// my level\n(\n    title: \"T\", // the title\n    charts: [\n        (\n            difficulty: \"Easy\", // first\n            meter: 1,\n            lanes: 4,\n            measures: [[\"1000\"]],\n        ), // after easy\n        (difficulty: \"Hard\", meter: 5, lanes: 4, measures: [])\n    ],\n)\n";

    /// Just the charts of a level file: the tests' levels leave out what a level must have.
    #[derive(serde::Deserialize)]
    struct Charts {
        charts: Vec<crate::level::format::ChartFile>,
    }

    fn charts_of(source: &str) -> Vec<crate::level::format::ChartFile> {
        ron::from_str::<Charts>(source)
            .map(|l| l.charts)
            .unwrap_or_else(|e| panic!("{e}\n{source}"))
    }

    #[test]
    fn an_added_chart_goes_after_the_last_and_nothing_else_moves() {
        let edited = put_chart(LEVEL, &ChartPlace::Added, &block("Recorded")).unwrap();
        // The last chart had no comma: it gains one, and the rest is the author's.
        assert!(edited.starts_with(&LEVEL[..LEVEL.find("measures: [])").unwrap() + 13]));
        assert!(
            edited.contains("measures: []),\n        (\n            // Recorded in Lightstick.\n")
        );
        assert!(edited.ends_with("        ),\n    ],\n)\n"), "{edited}");
        let charts = charts_of(&edited);
        assert_eq!(charts.len(), 3);
        assert_eq!(charts[2].difficulty, "Recorded");
        assert_eq!(charts[2].measures[0], ["1000", "0000", "0002", "0003"]);
    }

    #[test]
    fn a_replaced_chart_takes_the_place_of_the_old_one_only() {
        let edited =
            put_chart(LEVEL, &ChartPlace::Replacing("easy".into()), &block("Easy")).unwrap();
        let start = LEVEL.find("        (\n").unwrap() + 8;
        let end = LEVEL.find(", // after easy").unwrap();
        assert_eq!(&edited[..start], &LEVEL[..start]);
        assert!(edited.ends_with(&LEVEL[end..]));
        let charts = charts_of(&edited);
        assert_eq!(charts.len(), 2);
        assert_eq!(charts[0].meter, 2);
        assert_eq!(charts[1].difficulty, "Hard");
        assert_eq!(
            put_chart(LEVEL, &ChartPlace::Replacing("Expert".into()), &block("x")),
            Err(EditError::NoSuchChart("Expert".into()))
        );
    }

    #[test]
    fn empty_lists_one_line_lists_and_windows_line_ends() {
        let empty = "(\n    title: \"T\",\n    charts: [],\n)";
        let edited = put_chart(empty, &ChartPlace::Added, &block("New")).unwrap();
        assert!(edited.contains("    charts: [\n        (\n"), "{edited}");
        assert!(edited.contains("        ),\n    ],\n)"), "{edited}");
        assert_eq!(charts_of(&edited).len(), 1);

        let one_line = "(charts: [(difficulty: \"A\", meter: 1, lanes: 4)])";
        let edited = put_chart(one_line, &ChartPlace::Added, &block("B")).unwrap();
        assert_eq!(charts_of(&edited).len(), 2);

        let crlf = LEVEL.replace('\n', "\r\n");
        let edited = put_chart(&crlf, &ChartPlace::Added, &block("Recorded")).unwrap();
        assert!(!edited.replace("\r\n", "").contains('\n'));
        assert_eq!(charts_of(&edited).len(), 3);
    }

    #[test]
    fn a_file_that_is_not_a_level_is_refused() {
        assert_eq!(
            put_chart("(title: ", &ChartPlace::Added, &block("x")),
            Err(EditError::Unreadable)
        );
        assert_eq!(
            put_chart("(title: \"x\")", &ChartPlace::Added, &block("x")),
            Err(EditError::NoCharts)
        );
    }
}
