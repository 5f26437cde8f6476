//! A small RON reader that keeps where each value starts, and the one way to find a value in
//! it, so every file's checks (levels, song sheets, catalogs, tours, replays) can point at the
//! exact line and column of a note, a BPM or a field that serde accepted but that is wrong.

use crate::diagnostic::Position;

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// `(name: value, ...)` or `Name(name: value, ...)`.
    Struct(Vec<Field>),
    /// `(a, b)`, `Name(a, b)` or `[a, b]`.
    Seq(Vec<Spanned>),
    /// `{ key: value }`.
    Map(Vec<(Spanned, Spanned)>),
    /// A string, with its unescaped text.
    Str(String),
    /// A number, identifier, character or anything else that stands alone.
    Atom(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub name_at: Position,
    pub value: Spanned,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spanned {
    pub at: Position,
    /// Just after the value's last character: with `at`, the text a change in place replaces.
    pub end: Position,
    /// The identifier before a `(`: a variant or struct name.
    pub tag: Option<String>,
    pub node: Node,
}

impl Spanned {
    pub fn field(&self, name: &str) -> Option<&Spanned> {
        match &self.node {
            Node::Struct(fields) => fields.iter().find(|f| f.name == name).map(|f| &f.value),
            _ => None,
        }
    }

    /// Where the field's name is written, for "this field is wrong" messages.
    pub fn field_name_at(&self, name: &str) -> Option<Position> {
        match &self.node {
            Node::Struct(fields) => fields.iter().find(|f| f.name == name).map(|f| f.name_at),
            _ => None,
        }
    }

    pub fn index(&self, i: usize) -> Option<&Spanned> {
        match &self.node {
            Node::Seq(items) => items.get(i),
            // A struct-like tuple with named fields read positionally.
            Node::Struct(fields) => fields.get(i).map(|f| &f.value),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        match &self.node {
            Node::Seq(items) => items.len(),
            Node::Struct(fields) => fields.len(),
            Node::Map(entries) => entries.len(),
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn as_atom(&self) -> Option<&str> {
        match &self.node {
            Node::Atom(text) => Some(text),
            _ => None,
        }
    }
}

/// One step of a path into a RON tree.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    Field(&'a str),
    Index(usize),
    /// The value under a map key.
    Key(&'a str),
}

impl Spanned {
    /// The entry of a map whose key is the string `key`: (the key, the value).
    pub fn entry(&self, key: &str) -> Option<(&Spanned, &Spanned)> {
        match &self.node {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.node, Node::Str(text) if text == key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    fn step(&self, step: Step) -> Option<&Spanned> {
        match step {
            Step::Field(name) => self.field(name),
            Step::Index(i) => self.index(i),
            Step::Key(key) => self.entry(key).map(|(_, value)| value),
        }
    }
}

/// Where the value at `steps` is written; the nearest enclosing value if the path goes further
/// than the file does (a defaulted field, say).
pub fn locate(tree: Option<&Spanned>, steps: &[Step]) -> Option<Position> {
    let mut node = tree?;
    for step in steps {
        match node.step(*step) {
            Some(next) => node = next,
            None => break,
        }
    }
    Some(node.at)
}

/// Where the key `key` of the map at `steps` is written: `{"flute": ...}` points at `"flute"`.
pub fn key_position(tree: Option<&Spanned>, steps: &[Step], key: &str) -> Option<Position> {
    let mut node = tree?;
    for step in steps {
        node = node.step(*step)?;
    }
    node.entry(key).map(|(k, _)| k.at)
}

/// The byte index of `at` (line and column, counted in characters) in `source`; `None` past
/// its end.
pub fn byte_at(source: &str, at: Position) -> Option<usize> {
    let mut line_start = 0;
    for _ in 1..at.line {
        line_start += source[line_start..].find('\n')? + 1;
    }
    let line = &source[line_start..];
    let column = at.column.checked_sub(1)?;
    let within = line
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(line.len()))
        .nth(column)?;
    Some(line_start + within)
}

/// Reads a whole RON document. Returns `None` on text RON itself would reject; the caller
/// reports RON's own error in that case.
pub fn parse(source: &str) -> Option<Spanned> {
    let mut reader = Reader {
        chars: source.chars().collect(),
        index: 0,
        line: 1,
        column: 1,
        depth: 0,
    };
    reader.skip_trivia();
    while reader.peek() == Some('#') {
        // `#![enable(...)]` extension attributes.
        while let Some(c) = reader.bump() {
            if c == ']' {
                break;
            }
        }
        reader.skip_trivia();
    }
    let value = reader.value()?;
    reader.skip_trivia();
    reader.peek().is_none().then_some(value)
}

/// How deeply values may nest: RON's own default limit, so a file this reader gives up on is
/// one RON refuses too, with its own positioned error. Without it, a file of thousands of `(`
/// would overflow the stack before RON could say anything.
pub const MAX_DEPTH: usize = 128;

struct Reader {
    chars: Vec<char>,
    index: usize,
    line: usize,
    column: usize,
    depth: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.index + ahead).copied()
    }

    fn position(&self) -> Position {
        Position::new(self.line, self.column)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.index += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                (Some('/'), Some('*')) => {
                    self.bump();
                    self.bump();
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.bump(), self.peek()) {
                            (Some('*'), Some('/')) => {
                                self.bump();
                                depth -= 1;
                            }
                            (Some('/'), Some('*')) => {
                                self.bump();
                                depth += 1;
                            }
                            (None, _) => return,
                            _ => {}
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn expect(&mut self, wanted: char) -> Option<()> {
        self.skip_trivia();
        (self.bump()? == wanted).then_some(())
    }

    fn value(&mut self) -> Option<Spanned> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        self.skip_trivia();
        let at = self.position();
        let value = self.value_inside();
        self.depth -= 1;
        let (tag, node) = value?;
        Some(Spanned {
            at,
            end: self.position(),
            tag,
            node,
        })
    }

    /// The value at the reader, as its tag and node.
    fn value_inside(&mut self) -> Option<(Option<String>, Node)> {
        let c = self.peek()?;
        match c {
            '(' => self.parenthesised(None),
            '[' => {
                self.bump();
                let items = self.items(']')?;
                Some((None, Node::Seq(items)))
            }
            '{' => {
                self.bump();
                let mut entries = Vec::new();
                loop {
                    self.skip_trivia();
                    if self.peek() == Some('}') {
                        self.bump();
                        break;
                    }
                    let key = self.value()?;
                    self.expect(':')?;
                    let value = self.value()?;
                    entries.push((key, value));
                    self.skip_trivia();
                    match self.peek()? {
                        ',' => {
                            self.bump();
                        }
                        '}' => {}
                        _ => return None,
                    }
                }
                Some((None, Node::Map(entries)))
            }
            '"' => {
                let text = self.string()?;
                Some((None, Node::Str(text)))
            }
            'r' if matches!(self.peek_at(1), Some('#') | Some('"')) => {
                let text = self.raw_string()?;
                Some((None, Node::Str(text)))
            }
            '\'' => {
                let mut text = String::new();
                self.bump();
                while let Some(c) = self.bump() {
                    if c == '\\' {
                        text.push(self.bump()?);
                    } else if c == '\'' {
                        break;
                    } else {
                        text.push(c);
                    }
                }
                Some((None, Node::Atom(text)))
            }
            c if c.is_alphabetic() || c == '_' => {
                let ident = self.word();
                self.skip_trivia();
                if self.peek() == Some('(') {
                    self.parenthesised(Some(ident))
                } else {
                    Some((None, Node::Atom(ident)))
                }
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                let word = self.word();
                Some((None, Node::Atom(word)))
            }
            _ => None,
        }
    }

    /// An identifier or number: everything up to the next delimiter.
    fn word(&mut self) -> String {
        let mut word = String::new();
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || matches!(c, '_' | '.' | '+' | '-' | '#') {
                word.push(c);
                self.bump();
            } else {
                break;
            }
        }
        word
    }

    fn parenthesised(&mut self, tag: Option<String>) -> Option<(Option<String>, Node)> {
        self.bump(); // (
        self.skip_trivia();
        // A struct if the first thing inside is `name:` (and not `name::`).
        let save = (self.index, self.line, self.column);
        let is_struct = if self.peek().is_some_and(|c| c.is_alphabetic() || c == '_') {
            self.word();
            self.skip_trivia();
            self.peek() == Some(':')
        } else {
            false
        };
        (self.index, self.line, self.column) = save;
        let node = if is_struct {
            let mut fields = Vec::new();
            loop {
                self.skip_trivia();
                if self.peek() == Some(')') {
                    self.bump();
                    break;
                }
                let name_at = self.position();
                let name = self.word();
                if name.is_empty() {
                    return None;
                }
                self.expect(':')?;
                let value = self.value()?;
                fields.push(Field {
                    name,
                    name_at,
                    value,
                });
                self.skip_trivia();
                match self.peek()? {
                    ',' => {
                        self.bump();
                    }
                    ')' => {}
                    _ => return None,
                }
            }
            Node::Struct(fields)
        } else {
            Node::Seq(self.items(')')?)
        };
        Some((tag, node))
    }

    fn items(&mut self, close: char) -> Option<Vec<Spanned>> {
        let mut items = Vec::new();
        loop {
            self.skip_trivia();
            if self.peek() == Some(close) {
                self.bump();
                return Some(items);
            }
            items.push(self.value()?);
            self.skip_trivia();
            match self.peek()? {
                ',' => {
                    self.bump();
                }
                c if c == close => {}
                _ => return None,
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        self.bump(); // "
        let mut text = String::new();
        loop {
            match self.bump()? {
                '"' => return Some(text),
                '\\' => match self.bump()? {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    'r' => text.push('\r'),
                    '0' => text.push('\0'),
                    'u' => {
                        // \u{XXXX}: kept approximately; only positions matter here.
                        while let Some(c) = self.bump() {
                            if c == '}' {
                                break;
                            }
                        }
                        text.push('\u{FFFD}');
                    }
                    other => text.push(other),
                },
                c => text.push(c),
            }
        }
    }

    fn raw_string(&mut self) -> Option<String> {
        self.bump(); // r
        let mut hashes = 0;
        while self.peek() == Some('#') {
            self.bump();
            hashes += 1;
        }
        if self.bump()? != '"' {
            return None;
        }
        let mut text = String::new();
        loop {
            let c = self.bump()?;
            if c == '"' {
                let mut seen = 0;
                while seen < hashes && self.peek() == Some('#') {
                    self.bump();
                    seen += 1;
                }
                if seen == hashes {
                    return Some(text);
                }
                text.push('"');
                text.extend(std::iter::repeat_n('#', seen));
            } else {
                text.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_positions() {
        let source = "// a level\n(\n  title: \"x\",\n  charts: [\n    (lanes: 4, rows: [\"1000\", \"0M00\"]),\n  ],\n)\n";
        let root = parse(source).expect("parses");
        let title = root.field("title").unwrap();
        assert_eq!(title.at, Position::new(3, 10));
        assert_eq!(root.field_name_at("charts"), Some(Position::new(4, 3)));
        let chart = root.field("charts").unwrap().index(0).unwrap();
        assert_eq!(chart.at, Position::new(5, 5));
        let row = chart.field("rows").unwrap().index(1).unwrap();
        assert_eq!(row.at, Position::new(5, 31));
        assert_eq!(row.node, Node::Str("0M00".into()));
    }

    #[test]
    fn reads_tagged_tuples_maps_and_comments() {
        let source = "#![enable(implicit_some)]\nLevel(a: Hold(length: 2.0), b: [(1, -2.5e3)], /* c */ m: {\"k\": r#\"v\"#})";
        let root = parse(source).expect("parses");
        assert_eq!(root.tag.as_deref(), Some("Level"));
        assert_eq!(root.field("a").unwrap().tag.as_deref(), Some("Hold"));
        let pair = root.field("b").unwrap().index(0).unwrap();
        assert_eq!(pair.index(1).unwrap().as_atom(), Some("-2.5e3"));
        assert_eq!(root.field("m").unwrap().len(), 1);
    }

    #[test]
    fn each_value_knows_where_it_ends() {
        let source = "(\n  name: \"하나\", // c\n  list: [1, (a: 2)],\n)";
        let root = parse(source).unwrap();
        let text = |v: &Spanned| {
            let (from, to) = (
                byte_at(source, v.at).unwrap(),
                byte_at(source, v.end).unwrap(),
            );
            source[from..to].to_string()
        };
        assert_eq!(text(root.field("name").unwrap()), "\"하나\"");
        assert_eq!(text(root.field("list").unwrap()), "[1, (a: 2)]");
        assert_eq!(
            text(root.field("list").unwrap().index(1).unwrap()),
            "(a: 2)"
        );
        assert_eq!(text(&root), source);
        assert_eq!(byte_at(source, Position::new(9, 1)), None);
    }

    #[test]
    fn rejects_broken_text() {
        assert!(parse("(a: [1, 2)").is_none());
        assert!(parse("(a: \"open").is_none());
    }
}
