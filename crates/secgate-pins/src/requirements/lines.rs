//! The logical lines of a pip requirements file, as pip reads them: physical lines ending in `\`
//! are joined (a comment line ends the join), then comments (`#` at the start or after
//! whitespace) are removed. Each logical line keeps a map back to the file's bytes, so a finding
//! points at the exact line and column even when a requirement spans continuation lines.

use std::ops::Range;

/// One logical line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Line {
    /// The joined text, comments removed (not trimmed).
    pub text: String,
    /// (offset in `text`, offset in the file) where each joined piece starts.
    pieces: Vec<(usize, usize)>,
}

impl Line {
    /// The file offset of byte `at` of [`Line::text`].
    pub(crate) fn file_offset(&self, at: usize) -> usize {
        let piece = self.pieces.iter().rev().find(|(start, _)| *start <= at);
        piece.map_or(at, |(start, file)| file + (at - start))
    }

    /// The file bytes of `range` of [`Line::text`] (its start and end mapped separately).
    pub(crate) fn file_span(&self, range: Range<usize>) -> Range<usize> {
        let start = self.file_offset(range.start);
        // Map the last byte, not the end, so a span ending a piece stays on its line.
        let end = if range.end > range.start {
            self.file_offset(range.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }

    fn push(&mut self, text: &str, file_start: usize) {
        self.pieces.push((self.text.len(), file_start));
        self.text.push_str(text);
    }
}

/// The non-empty logical lines of `text`.
pub(crate) fn logical_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current = Line::default();
    let mut joining = false;
    // pip decodes a byte-order mark away.
    let mut offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for raw in text.get(offset..).unwrap_or_default().split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let content = raw.trim_end_matches(['\n', '\r']);
        let comment = content.trim_start().starts_with('#');
        if let Some(joined) = content.strip_suffix('\\').filter(|_| !comment) {
            current.push(joined, start);
            joining = true;
            continue;
        }
        if joining && comment {
            // A comment line ends the continuation and is dropped with the comment below.
            current.push(" ", start);
        }
        current.push(content, start);
        joining = false;
        finish(&mut lines, std::mem::take(&mut current));
    }
    if joining {
        finish(&mut lines, current);
    }
    lines
}

fn finish(lines: &mut Vec<Line>, mut line: Line) {
    let bytes = line.text.as_bytes();
    let comment = (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()));
    if let Some(at) = comment {
        line.text.truncate(at);
    }
    if !line.text.trim().is_empty() {
        lines.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_join_and_comments_go() {
        let text = "a==1 \\\n    --hash=sha256:x \\\n    # via b\nc  # note\n\n# only\nd#e\n";
        let lines = logical_lines(text);
        let texts: Vec<_> = lines.iter().map(|l| l.text.trim().to_owned()).collect();
        assert_eq!(texts, ["a==1     --hash=sha256:x", "c", "d#e"]);
        let hash = lines[0].text.find("--hash").unwrap();
        assert_eq!(lines[0].file_offset(hash), text.find("--hash").unwrap());
        let d = lines[2].file_span(0..3);
        assert_eq!(&text[d], "d#e");
    }

    #[test]
    fn crlf_and_a_final_continuation() {
        let lines = logical_lines("a==1\r\nb \\");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "a==1");
        assert_eq!(lines[1].text, "b ");
        let bom = logical_lines("\u{feff}numpy\n");
        assert_eq!((bom[0].text.as_str(), bom[0].file_offset(0)), ("numpy", 3));
    }
}
