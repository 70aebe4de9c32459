//! Where a finding is: a file relative to the scanned root, with a 1-based line and column,
//! and optionally the byte span that renderers underline.

use serde::Serialize;
use std::ops::Range;

/// A position in a real file.
///
/// `path` is relative to the scanned root and `/`-separated when the file lies inside it; a file
/// outside the root (an advisory record in a database directory, say) keeps the path as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// File path, relative to the scanned root when inside it.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// Byte range in the file that the finding is about, for snippets; not part of the JSON.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

impl Location {
    /// A location at `line`:`column` of `path` with no span.
    pub fn new(path: impl Into<String>, line: u32, column: u32) -> Self {
        Self {
            path: path.into(),
            line,
            column,
            span: None,
        }
    }

    /// Whether `path` lies inside the scanned root (relative, no `..` component).
    pub fn is_inside_root(&self) -> bool {
        let p = &self.path;
        !(p.starts_with('/')
            || p.split('/').any(|c| c == "..")
            || p.as_bytes().get(1) == Some(&b':'))
    }
}

/// Maps byte offsets of one text to 1-based line and column numbers.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        Self { starts }
    }

    /// 1-based (line, column) of byte `offset` in `text`; the column counts characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        ((line + 1) as u32, (col + 1) as u32)
    }

    /// Byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.starts.get((line as usize).checked_sub(1)?).copied()
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b'\n').then_some(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let text = "ab\nçd\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        // 'ç' is two bytes: the byte after it is the second character.
        assert_eq!(idx.line_col(text, 5), (2, 2));
        assert_eq!(idx.line_col(text, 7), (3, 1));
        assert_eq!(idx.line_col(text, 8), (4, 1));
        assert_eq!(idx.line_col(text, 100), (4, 2));
        assert_eq!(idx.line_start(2), Some(3));
        assert_eq!(idx.line_start(0), None);
    }

    #[test]
    fn inside_root_rejects_absolute_and_parent_paths() {
        assert!(Location::new("Cargo.lock", 1, 1).is_inside_root());
        assert!(Location::new("rust/Cargo.lock", 1, 1).is_inside_root());
        assert!(!Location::new("/db/x.md", 1, 1).is_inside_root());
        assert!(!Location::new("../db/x.md", 1, 1).is_inside_root());
        assert!(!Location::new("C:/db/x.md", 1, 1).is_inside_root());
    }
}
