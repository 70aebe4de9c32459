//! `run:` scripts: [`crate::shell::scan`] reads a scalar's *value*, and [`ValueMap`] turns the
//! byte spans of its hits back into byte spans of the file.
//!
//! The map is exact. The scalar's source is cut into pieces that appear verbatim in the value
//! (each line of a block scalar after its indentation, each line of a flow scalar without the
//! whitespace folding removes) and escapes (`\t`, `''`) whose decoded text is known. The pieces
//! are then found in the value in order; between them the value may only hold the spaces and
//! line breaks that folding and chomping add. If that alignment fails (which only an escape this
//! code does not know could cause), the hit is located by searching its text in the scalar's
//! source, and failing that at the whole scalar.

use super::yaml::Scalar;
use crate::SourceFile;
use saphyr_parser::ScalarStyle;
use secgate_core::Finding;
use std::ops::Range;

/// The findings of the shell scan of the `run:` script `scalar`, at their real file spans.
pub(crate) fn findings(file: &SourceFile, scalar: &Scalar) -> Vec<Finding> {
    let hits = crate::shell::scan(&scalar.value);
    if hits.is_empty() {
        return Vec::new();
    }
    let map = ValueMap::new(&file.text, scalar);
    hits.into_iter()
        .map(|hit| {
            let span = snap(&scalar.value, hit.span.clone());
            let span = match &map {
                Some(map) => map.map_span(span),
                None => search(&file.text, scalar, span),
            };
            hit.finding(file, span)
        })
        .collect()
}

/// `span` inside `value` and on character boundaries (widened), so the file span is too.
fn snap(value: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(value.len());
    while !value.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, value.len());
    while !value.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The fallback: the first occurrence of the hit's text in the scalar's source.
fn search(text: &str, scalar: &Scalar, span: Range<usize>) -> Range<usize> {
    let found = scalar
        .value
        .get(span)
        .filter(|s| !s.is_empty())
        .and_then(|hit| {
            let source = text.get(scalar.span.clone())?;
            let at = scalar.span.start + source.find(hit)?;
            Some(at..at + hit.len())
        });
    found.unwrap_or_else(|| scalar.span.clone())
}

/// A run of the value that comes from a run of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    value: Range<usize>,
    file: Range<usize>,
    /// The bytes are the same (else an escape: the whole value run maps to the whole source).
    copy: bool,
}

/// Text of the file that yields known text of the value.
struct Piece {
    file: Range<usize>,
    /// The decoded text of an escape; `None` when the value holds the file's bytes.
    decoded: Option<String>,
}

/// Maps byte offsets in a scalar's value to byte offsets in the file.
#[derive(Clone, Debug)]
pub(crate) struct ValueMap {
    segments: Vec<Segment>,
    value_len: usize,
    scalar_span: Range<usize>,
}

impl ValueMap {
    /// The map of `scalar` in `text`, or `None` when its source does not align with its value.
    pub(crate) fn new(text: &str, scalar: &Scalar) -> Option<ValueMap> {
        let pieces = pieces(text, scalar)?;
        let value = scalar.value.as_str();
        let mut segments = Vec::with_capacity(pieces.len());
        let mut at = 0;
        for piece in pieces {
            let want = match &piece.decoded {
                Some(decoded) => decoded.as_str(),
                None => text.get(piece.file.clone())?,
            };
            if want.is_empty() {
                continue;
            }
            // Skip what folding and chomping inserted between two pieces.
            loop {
                let rest = value.get(at..)?;
                if rest.starts_with(want) {
                    break;
                }
                match rest.chars().next() {
                    Some(c @ (' ' | '\n')) => at += c.len_utf8(),
                    _ => return None,
                }
            }
            segments.push(Segment {
                value: at..at + want.len(),
                file: piece.file,
                copy: piece.decoded.is_none(),
            });
            at += want.len();
        }
        let tail = value.get(at..)?;
        tail.chars()
            .all(|c| c == ' ' || c == '\n')
            .then_some(ValueMap {
                segments,
                value_len: value.len(),
                scalar_span: scalar.span.clone(),
            })
    }

    /// The file bytes of the value bytes `span`. A span starting on inserted folding starts at
    /// the next piece; one ending inside an escape ends after the whole escape.
    pub(crate) fn map_span(&self, span: Range<usize>) -> Range<usize> {
        let start = span.start.min(self.value_len);
        let end = span.end.clamp(start, self.value_len);
        let file_start = self.map_start(start);
        if end == start {
            return file_start..file_start;
        }
        file_start..self.map_end(end).max(file_start)
    }

    fn map_start(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.value.end <= offset);
        match self.segments.get(i) {
            Some(s) if s.copy && s.value.start <= offset => s.file.start + (offset - s.value.start),
            Some(s) => s.file.start,
            None => self
                .segments
                .last()
                .map_or(self.scalar_span.start, |s| s.file.end),
        }
    }

    fn map_end(&self, end: usize) -> usize {
        let last = end - 1;
        let i = self.segments.partition_point(|s| s.value.end <= last);
        match self.segments.get(i) {
            Some(s) if s.value.start <= last && s.copy => s.file.start + (end - s.value.start),
            Some(s) if s.value.start <= last => s.file.end,
            _ => match i.checked_sub(1).and_then(|p| self.segments.get(p)) {
                Some(previous) => previous.file.end,
                None => self
                    .segments
                    .first()
                    .map_or(self.scalar_span.end, |s| s.file.start),
            },
        }
    }
}

/// The source of `scalar` cut into pieces, in order.
fn pieces(text: &str, scalar: &Scalar) -> Option<Vec<Piece>> {
    let span = scalar.span.clone();
    let quoted = matches!(
        scalar.style,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
    );
    let body = if quoted {
        // Inside the quotes (each one byte).
        span.start + 1..span.end.checked_sub(1)?
    } else {
        span
    };
    let lines = lines(text, body)?;
    let last = lines.len().saturating_sub(1);
    let mut pieces = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        let line_text = text.get(line.clone())?;
        let mut start = line.start;
        let mut end = line.end;
        match scalar.style {
            ScalarStyle::Literal | ScalarStyle::Folded => {
                // Lines after the first (whose span starts at its content) lose the indentation.
                if i > 0 {
                    let indent = line_text.bytes().take(scalar.column);
                    start += indent.take_while(|b| *b == b' ').count();
                }
            }
            _ => {
                // Folding drops the whitespace around line breaks, not at a quoted edge.
                if i > 0 || !quoted {
                    start = line.end - line_text.trim_start_matches([' ', '\t']).len();
                }
                if i < last || !quoted {
                    end = start + text.get(start..end)?.trim_end_matches([' ', '\t']).len();
                }
            }
        }
        match scalar.style {
            ScalarStyle::SingleQuoted => single_quoted(text, start..end, &mut pieces)?,
            ScalarStyle::DoubleQuoted => double_quoted(text, start..line.end, end, &mut pieces)?,
            _ => pieces.push(Piece {
                file: start..end,
                decoded: None,
            }),
        }
    }
    Some(pieces)
}

/// The lines of `region`, each without its line break.
fn lines(text: &str, region: Range<usize>) -> Option<Vec<Range<usize>>> {
    let body = text.get(region.clone())?;
    let mut lines = Vec::new();
    let mut start = region.start;
    for line in body.split('\n') {
        let content = line.strip_suffix('\r').unwrap_or(line);
        lines.push(start..start + content.len());
        start += line.len() + 1;
    }
    Some(lines)
}

/// A single-quoted line: text, with `''` meaning `'`.
fn single_quoted(text: &str, line: Range<usize>, pieces: &mut Vec<Piece>) -> Option<()> {
    let mut start = line.start;
    for (at, _) in text.get(line.clone())?.match_indices("''") {
        let quote = line.start + at;
        pieces.push(Piece {
            file: start..quote,
            decoded: None,
        });
        pieces.push(Piece {
            file: quote..quote + 2,
            decoded: Some("'".to_owned()),
        });
        start = quote + 2;
    }
    pieces.push(Piece {
        file: start..line.end,
        decoded: None,
    });
    Some(())
}

/// A double-quoted line from `line.start` to its end, whose trailing whitespace from
/// `trimmed_end` on folds away unless an escape comes after it.
fn double_quoted(
    text: &str,
    line: Range<usize>,
    trimmed_end: usize,
    pieces: &mut Vec<Piece>,
) -> Option<()> {
    let source = text.get(line.clone())?;
    let mut start = line.start;
    let mut chars = source.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        let escape_start = line.start + at;
        let (len, decoded) = escape(source.get(at + 1..)?)?;
        pieces.push(Piece {
            file: start..escape_start,
            decoded: None,
        });
        pieces.push(Piece {
            file: escape_start..escape_start + 1 + len,
            decoded: Some(decoded),
        });
        start = escape_start + 1 + len;
        while chars.peek().is_some_and(|(i, _)| line.start + i < start) {
            chars.next();
        }
    }
    pieces.push(Piece {
        file: start..trimmed_end.max(start),
        decoded: None,
    });
    Some(())
}

/// The escape after a `\` in `rest`: its source length (without the `\`) and what it means.
/// Nothing after the `\` is an escaped line break, which means nothing.
fn escape(rest: &str) -> Option<(usize, String)> {
    let Some(c) = rest.chars().next() else {
        return Some((0, String::new()));
    };
    let simple = match c {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        ' ' | '"' | '/' | '\\' => c,
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        'x' | 'u' | 'U' => {
            let digits = match c {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex = rest.get(1..=digits)?;
            let decoded = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            return Some((1 + digits, decoded.to_string()));
        }
        _ => return None,
    };
    Some((c.len_utf8(), simple.to_string()))
}

#[cfg(test)]
mod tests;
