//! pip's logical lines: physical lines joined at a trailing `\`, comments removed, blank lines
//! dropped, as pip's `req_file.py` does (`join_lines` then `ignore_comments`). Each logical line
//! keeps the byte offsets of its pieces, so a position in it maps back to the file.

/// One logical line of a requirements file.
pub(crate) struct LogicalLine {
    /// The joined text, comment removed; not trimmed, so offsets map back.
    pub text: String,
    /// `(offset in text, offset in file)` of each joined piece, in order.
    pieces: Vec<(usize, usize)>,
}

impl LogicalLine {
    /// The file offset of byte `at` of [`LogicalLine::text`].
    pub fn file_offset(&self, at: usize) -> usize {
        let (start, file) = self
            .pieces
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .copied()
            .unwrap_or((0, 0));
        file + (at - start)
    }
}

/// Whether a physical line is all comment (pip's `COMMENT_RE.match`: `#` after optional blanks).
fn is_comment_line(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// `line` without its comment: from a `#` at the start or after whitespace.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace)) {
            return line.get(..i).unwrap_or(line);
        }
    }
    line
}

/// The logical lines of `text` that hold something besides comments and blanks.
pub(crate) fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let mut out = Vec::new();
    let mut current: Option<LogicalLine> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let continues = line.ends_with('\\') && !is_comment_line(line);
        let content = if continues {
            line.get(..line.len() - 1).unwrap_or_default()
        } else {
            line
        };
        let logical = current.get_or_insert_with(|| LogicalLine {
            text: String::new(),
            pieces: Vec::new(),
        });
        if is_comment_line(line) && !logical.text.is_empty() {
            // A comment ends a continued line (pip prefixes it with a blank so it is dropped).
            logical.text.push(' ');
        } else {
            logical.pieces.push((logical.text.len(), line_start));
            logical.text.push_str(content);
        }
        if !continues {
            finish(current.take(), &mut out);
        }
    }
    finish(current, &mut out);
    out
}

fn finish(line: Option<LogicalLine>, out: &mut Vec<LogicalLine>) {
    if let Some(mut line) = line {
        let kept = strip_comment(&line.text).trim_end().len();
        line.text.truncate(kept);
        if !line.text.trim().is_empty() {
            out.push(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_join_and_map_back() {
        let text = "# head\na==1 \\\n    --hash=sha256:ab \\\n  --hash=sha256:cd\n    # via x\nb==2 # note\n";
        let lines = logical_lines(text);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0].text,
            "a==1     --hash=sha256:ab   --hash=sha256:cd"
        );
        assert_eq!(lines[0].file_offset(0), 7);
        let at = lines[0].text.find("--hash=sha256:cd").unwrap();
        let off = lines[0].file_offset(at);
        assert!(text[off..].starts_with("--hash=sha256:cd"));
        assert_eq!(lines[1].text, "b==2");
        assert!(text[lines[1].file_offset(0)..].starts_with("b==2"));
    }

    #[test]
    fn comment_ending_in_backslash_does_not_continue() {
        let lines = logical_lines("# c \\\na==1\n");
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "a==1");
    }
}
