//! A file the gate checks: its path relative to the scanned root, its text, and a line index
//! that turns byte offsets into the locations findings carry.

use crate::FileKind;
use secgate_core::{Code, Finding, LineIndex, Location};
use std::ops::Range;

/// One checked file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the scanned root, `/`-separated.
    pub path: String,
    /// What kind of file it is.
    pub kind: FileKind,
    /// The whole text (invalid UTF-8 replaced).
    pub text: String,
    lines: LineIndex,
}

impl SourceFile {
    /// A file of `kind` at `path` with `text`.
    pub fn new(path: impl Into<String>, kind: FileKind, text: impl Into<String>) -> Self {
        let text = text.into();
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            kind,
            text,
            lines,
        }
    }

    /// The location of the bytes `span` of the text: line and column of its start, with the
    /// span kept for snippets.
    pub fn location(&self, span: Range<usize>) -> Location {
        let (line, column) = self.lines.line_col(&self.text, span.start);
        let mut location = Location::new(self.path.clone(), line, column);
        location.span = Some(span);
        location
    }

    /// Byte offset where 1-based `line` starts, if the text has it.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.lines.line_start(line)
    }

    /// A finding of `code` about the bytes `span`, with its message and fix.
    pub fn finding(
        &self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
        fix: Option<String>,
    ) -> Finding {
        let mut finding = Finding::new(code, self.location(span), message);
        finding.fix = fix;
        finding
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_one_based_with_spans() {
        let f = SourceFile::new("a/b.yml", FileKind::Workflow, "x: 1\n  uses: foo@v1\n");
        let at = f.text.find("foo").unwrap();
        let loc = f.location(at..at + 3);
        assert_eq!((loc.line, loc.column), (2, 9));
        assert_eq!(loc.span, Some(at..at + 3));
        assert_eq!(f.line_start(2), Some(5));
    }
}
