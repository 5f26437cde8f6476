//! The MSD tag syntax of `.sm` and `.ssc` files, read the way StepMania 5 reads it.
//!
//! A file is a run of `#NAME:param:param;` tags. StepMania is lenient, and files in the wild
//! rely on it: `//` comments run to the end of a line, anywhere; a `#` at the start of a line
//! ends a tag whose `;` is missing; a backslash takes the next character as it is; text outside
//! tags is ignored.

/// One `#NAME:…;` tag: its name in upper case, its parameters after the name, and where the
/// `#` stands (line and column, from 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    pub name: String,
    pub params: Vec<String>,
    pub line: usize,
    pub column: usize,
}

impl Tag {
    /// The first parameter, trimmed: the value of a plain `#NAME:value;` tag.
    pub fn value(&self) -> &str {
        self.params.first().map_or("", |p| p.trim())
    }

    /// Every parameter joined by the colons between them, trimmed: the value of a tag of free
    /// text (`#TITLE:Re:End of a Dream;`), where a colon is part of the text.
    pub fn text(&self) -> String {
        self.params.join(":").trim().to_string()
    }
}

/// Every tag of `text`, in order.
pub fn parse(text: &str) -> Vec<Tag> {
    let chars: Vec<char> = text.chars().collect();
    let mut tags: Vec<Tag> = Vec::new();
    // The parameters of the tag being read: the name comes first.
    let mut params: Vec<String> = Vec::new();
    let mut reading = false;
    let mut tag_at = (1, 1);
    let (mut line, mut column) = (1usize, 1usize);
    // Whether only blanks stand between the start of this line and the current character.
    let mut line_start = true;
    let mut i = 0;
    let finish = |params: &mut Vec<String>, tags: &mut Vec<Tag>, at: (usize, usize)| {
        let mut taken = std::mem::take(params);
        if taken.is_empty() {
            return;
        }
        let name = taken.remove(0).trim().to_ascii_uppercase();
        tags.push(Tag {
            name,
            params: taken,
            line: at.0,
            column: at.1,
        });
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
                column += 1;
            }
            continue;
        }
        if c == '#' && (!reading || line_start) {
            if reading {
                // A tag whose `;` is missing: it ends where the next line's tag begins.
                if let Some(last) = params.last_mut() {
                    let trimmed = last.trim_end().len();
                    last.truncate(trimmed);
                }
                finish(&mut params, &mut tags, tag_at);
            }
            reading = true;
            tag_at = (line, column);
            params.push(String::new());
            line_start = false;
            i += 1;
            column += 1;
            continue;
        }
        if c == '\n' {
            line += 1;
            column = 1;
            line_start = true;
        } else {
            column += 1;
            if !c.is_whitespace() {
                line_start = false;
            }
        }
        i += 1;
        if !reading {
            continue;
        }
        match c {
            ':' => params.push(String::new()),
            ';' => {
                reading = false;
                finish(&mut params, &mut tags, tag_at);
            }
            '\\' if i < chars.len() => {
                let next = chars[i];
                if next == '\n' {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
                i += 1;
                if let Some(last) = params.last_mut() {
                    last.push(next);
                }
            }
            _ => {
                if let Some(last) = params.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    if reading {
        // A tag left open at the end of the file still counts, as StepMania reads it.
        finish(&mut params, &mut tags, tag_at);
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_parameters_and_positions() {
        let tags = parse("#TITLE:Hello;\n  #bpms:0.000=120.000\n,4=60;\n#NOTES:a:b:c;");
        assert_eq!(tags.len(), 3);
        assert_eq!(tags[0].name, "TITLE");
        assert_eq!(tags[0].value(), "Hello");
        assert_eq!((tags[1].line, tags[1].column), (2, 3));
        assert_eq!(tags[1].name, "BPMS");
        assert_eq!(tags[1].value(), "0.000=120.000\n,4=60");
        assert_eq!(tags[2].params, ["a", "b", "c"]);
    }

    #[test]
    fn comments_missing_semicolons_and_escapes() {
        let text =
            "// a comment #TITLE:no;\n#TITLE:Song // trailing\n#ARTIST:A\\;B;\n#SUBTITLE:x#y;";
        let tags = parse(text);
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["TITLE", "ARTIST", "SUBTITLE"]);
        assert_eq!(tags[0].value(), "Song");
        assert_eq!(tags[1].value(), "A;B");
        // A `#` inside a line is part of the value.
        assert_eq!(tags[2].value(), "x#y");
    }

    #[test]
    fn a_tag_with_no_end_runs_to_the_end_of_the_file() {
        let tags = parse("#TITLE:open");
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].value(), "open");
    }
}
