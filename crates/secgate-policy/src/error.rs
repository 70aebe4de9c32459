//! Why a policy could not be loaded: an unreadable file ([`PolicyError::Read`]) or a file with
//! problems ([`PolicyError::Invalid`]), each [`ConfigProblem`] with its line, column and byte
//! span so the CLI can underline the offending text. [`Problems`] collects them during
//! validation and hands them back in file order; TOML syntax errors become problems here too.

use secgate_core::{LineIndex, Location};
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use toml_span::{ErrorKind, Span};

/// A policy that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The policy file could not be read (or, given with `--config`, does not exist).
    #[error("cannot read policy file `{}`", path.display())]
    Read {
        /// The file as given.
        path: PathBuf,
        /// The underlying error.
        #[source]
        io: std::io::Error,
    },
    /// The policy file has one or more problems; all of them are listed.
    #[error("invalid policy file `{path}`: {}", count(problems.len()))]
    Invalid {
        /// The file as given, for messages.
        path: String,
        /// The file's text, for snippets.
        text: String,
        /// Every problem found, in file order.
        problems: Vec<ConfigProblem>,
    },
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 problem".to_owned()
    } else {
        format!("{n} problems")
    }
}

/// One problem in a policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// What is wrong: lowercase, no trailing period, names in backticks.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte range of the offending text.
    pub span: Range<usize>,
    /// What to do about it, when there is something concrete to say.
    pub hint: Option<String>,
}

impl fmt::Display for ConfigProblem {
    /// `line:column: message`, the hint (if any) on the next line as `hint: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Collects the problems of one policy text.
pub(crate) struct Problems<'a> {
    text: &'a str,
    index: LineIndex,
    list: Vec<ConfigProblem>,
}

impl<'a> Problems<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            index: LineIndex::new(text),
            list: Vec::new(),
        }
    }

    /// 1-based line of byte `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> u32 {
        self.index.line_col(self.text, offset).0
    }

    /// 1-based (line, column) of byte `offset`.
    pub(crate) fn line_col(&self, offset: usize) -> (u32, u32) {
        self.index.line_col(self.text, offset)
    }

    /// Where an earlier entry starting at byte `earlier` is, seen from one starting at `here`:
    /// `column N` on the same line, else `line N`.
    pub(crate) fn first_at(&self, earlier: usize, here: usize) -> String {
        let (line, column) = self.line_col(earlier);
        if line == self.line_of(here) {
            format!("column {column}")
        } else {
            format!("line {line}")
        }
    }

    /// The part of the string value `value` (at `span`, quotes excluded) that is `part` (a byte
    /// range of `value`), so a problem can point at one term of it. When the file writes the
    /// string differently from its value (escapes, a multi-line string), the whole `span`.
    pub(crate) fn part_of(&self, span: Span, value: &str, part: Range<usize>) -> Span {
        let written = self.text.get(span.start..span.end);
        if written == Some(value) && part.start <= part.end && part.end <= value.len() {
            Span::new(span.start + part.start, span.start + part.end)
        } else {
            span
        }
    }

    /// The location of `span` in the policy file `path`, for findings that point at the policy.
    pub(crate) fn location(&self, path: &str, span: Span) -> Location {
        let Range { start, end } = self.within(span);
        let (line, column) = self.line_col(start);
        Location {
            path: path.to_owned(),
            line,
            column,
            span: Some(start..end),
        }
    }

    /// `span` cut to the text and widened to character boundaries, so a renderer can slice the
    /// text with it: the TOML parser points at one byte of a multi-byte character it rejects.
    fn within(&self, span: Span) -> Range<usize> {
        let mut start = span.start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.clamp(start, self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }

    /// Records a problem at `span`.
    pub(crate) fn push(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) {
        let Range { start, end } = self.within(span);
        let (line, column) = self.line_col(start);
        self.list.push(ConfigProblem {
            message: message.into(),
            line,
            column,
            span: start..end,
            hint,
        });
    }

    /// Records a TOML syntax error.
    pub(crate) fn push_syntax(&mut self, err: &toml_span::Error) {
        let found = self.text.get(err.span.start..err.span.end).unwrap_or("");
        let (message, hint) = match &err.kind {
            ErrorKind::DuplicateKey { key, first } => (
                format!(
                    "duplicate key `{key}` (first at line {})",
                    self.line_of(first.start)
                ),
                Some("a key may appear only once in a table".to_owned()),
            ),
            ErrorKind::DuplicateTable { name, first } => (
                format!(
                    "table `[{name}]` defined twice (first at line {})",
                    self.line_of(first.start)
                ),
                Some("merge the two tables into one".to_owned()),
            ),
            ErrorKind::InvalidNumber if looks_like_date(found) => (
                "invalid number".to_owned(),
                Some(format!("write dates as strings: `\"{found}\"`")),
            ),
            ErrorKind::UnquotedString => (
                "invalid value".to_owned(),
                Some("strings must be quoted".to_owned()),
            ),
            ErrorKind::Unexpected(c) => (format!("unexpected character `{}`", escape(*c)), None),
            ErrorKind::InvalidCharInString('\n') => (
                "unterminated string".to_owned(),
                Some(
                    "close the string on the same line, or use `\"\"\"` for a multi-line string"
                        .to_owned(),
                ),
            ),
            ErrorKind::InvalidCharInString(c) => (
                format!("invalid character `{}` in string", escape(*c)),
                None,
            ),
            ErrorKind::UnexpectedEof => ("unexpected end of file".to_owned(), None),
            _ => (err.to_string(), None),
        };
        self.push(err.span, format!("invalid toml: {message}"), hint);
    }

    /// The problems in file order (by start offset; ties keep the order they were found in).
    pub(crate) fn finish(mut self) -> Vec<ConfigProblem> {
        self.list.sort_by_key(|p| p.span.start);
        self.list
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

fn escape(c: char) -> String {
    if c.is_whitespace() || c.is_control() {
        c.escape_default().to_string()
    } else {
        c.to_string()
    }
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_come_back_in_file_order_with_clamped_spans() {
        let text = "a\nbc\n";
        let mut p = Problems::new(text);
        p.push(Span::new(3, 4), "second", None);
        p.push(Span::new(0, 1), "first", Some("do it".to_owned()));
        p.push(Span::new(4, 99), "past the end", None);
        let list = p.finish();
        let msgs: Vec<_> = list.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(msgs, ["first", "second", "past the end"]);
        assert_eq!((list[1].line, list[1].column), (2, 2));
        assert_eq!(list[2].span, 4..5);
        assert_eq!(list[0].to_string(), "1:1: first\n  hint: do it");
    }

    #[test]
    fn error_messages_count_problems() {
        let err = PolicyError::Invalid {
            path: "secgate.toml".into(),
            text: String::new(),
            problems: vec![],
        };
        assert_eq!(
            err.to_string(),
            "invalid policy file `secgate.toml`: 0 problems"
        );
        let err = PolicyError::Read {
            path: "x/secgate.toml".into(),
            io: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert_eq!(err.to_string(), "cannot read policy file `x/secgate.toml`");
    }

    #[test]
    fn a_rejected_multi_byte_character_is_pointed_at_whole() {
        // The TOML parser reports `\u{84}` (two bytes) with the span 0..1.
        let text = "\u{84}x = 1\n";
        let Err(PolicyError::Invalid { problems, .. }) = crate::Policy::parse(text, "s.toml")
        else {
            panic!("not a policy");
        };
        assert_eq!(problems[0].span, 0..2, "{problems:?}");
        assert!(text.get(problems[0].span.clone()).is_some());
    }
}
