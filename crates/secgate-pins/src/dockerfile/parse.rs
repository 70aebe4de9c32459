//! Dockerfile instructions as `BuildKit` reads them: parser directives at the top (`# escape=`),
//! comment lines, continuation lines ending in the escape character (comment and empty lines
//! inside a continuation are dropped), and heredoc bodies after `RUN`, `COPY` and `ADD`.
//!
//! Each instruction keeps its arguments as a copy of the file's bytes in which continuations and
//! dropped lines are blanked with spaces: the copy has the same length as the original, so an
//! offset into it is an offset into the file plus [`Instruction::args_start`].

use std::ops::Range;

/// One instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Instruction {
    /// Upper-cased keyword (`FROM`, `RUN`).
    pub keyword: String,
    /// Where the arguments start in the file.
    pub args_start: usize,
    /// The arguments, continuations and comment lines blanked (same length as in the file).
    pub args: String,
    /// The bodies of its heredocs, in the file, each with whether it was opened by `<<-`.
    pub heredocs: Vec<Heredoc>,
}

/// A heredoc body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Heredoc {
    /// The body's bytes in the file, terminator line excluded.
    pub body: Range<usize>,
}

impl Instruction {
    /// The arguments' words (split on blanks) with their file spans.
    pub(crate) fn words(&self) -> Vec<(&str, Range<usize>)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in self.args.char_indices().chain([(self.args.len(), ' ')]) {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    let range = self.args_start + s..self.args_start + i;
                    out.push((self.args.get(s..i).unwrap_or_default(), range));
                    start = None;
                }
                _ => {}
            }
        }
        out
    }
}

/// The physical lines of `text`: (start offset, content without the line break, next offset).
fn physical_lines(text: &str) -> Vec<(usize, &str, usize)> {
    let mut out = Vec::new();
    // BuildKit skips a byte-order mark.
    let mut offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for raw in text.get(offset..).unwrap_or_default().split_inclusive('\n') {
        let content = raw.trim_end_matches(['\n', '\r']);
        out.push((offset, content, offset + raw.len()));
        offset += raw.len();
    }
    out
}

/// `# name=value` at the top of the file.
fn directive(line: &str) -> Option<(String, &str)> {
    let rest = line.strip_prefix('#')?;
    let (name, value) = rest.split_once('=')?;
    let name = name.trim();
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    valid.then(|| (name.to_ascii_lowercase(), value.trim()))
}

/// Every instruction of a Dockerfile, in order.
pub(crate) fn instructions(text: &str) -> Vec<Instruction> {
    let lines = physical_lines(text);
    let mut escape = '\\';
    let mut out = Vec::new();
    let mut directives = true;
    let mut i = 0;
    while let Some(&(start, content, _)) = lines.get(i) {
        i += 1;
        if directives {
            if let Some((name, value)) = directive(content) {
                if name == "escape" && value == "`" {
                    escape = '`';
                }
                continue;
            }
            directives = false;
        }
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let keyword_start = start + (content.len() - trimmed.len());
        let keyword_len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let keyword = trimmed[..keyword_len].to_ascii_uppercase();
        let mut blank: Vec<u8> = Vec::new();
        let args_start = keyword_start + keyword_len;
        // Walk the continuation lines from the keyword's line on.
        let mut line_from = args_start;
        let mut line = (start, content, lines.get(i - 1).map_or(text.len(), |l| l.2));
        let end;
        loop {
            let (_, content, next) = line;
            let content_end = line.0 + content.len();
            let body = text.get(line_from..content_end).unwrap_or_default();
            let stripped = body.trim_end_matches([' ', '\t']);
            if let Some(kept) = stripped.strip_suffix(escape) {
                blank.extend_from_slice(kept.as_bytes());
                blank.resize(blank.len() + (next - line_from - kept.len()), b' ');
                // Comment and empty lines inside a continuation are dropped.
                while let Some(&(s, c, n)) = lines.get(i) {
                    let t = c.trim_start();
                    if !(t.is_empty() || t.starts_with('#')) {
                        break;
                    }
                    blank.resize(blank.len() + (n - s), b' ');
                    i += 1;
                }
                let Some(&next_line) = lines.get(i) else {
                    end = text.len();
                    break;
                };
                i += 1;
                line = next_line;
                line_from = next_line.0;
            } else {
                blank.extend_from_slice(body.as_bytes());
                end = content_end;
                break;
            }
        }
        blank.truncate(end.saturating_sub(args_start));
        let args = String::from_utf8(blank).unwrap_or_default();
        let mut instruction = Instruction {
            keyword,
            args_start,
            args,
            heredocs: Vec::new(),
        };
        if matches!(instruction.keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (delimiter, strip_tabs) in heredoc_markers(&instruction.args) {
                let body_start = lines.get(i).map_or(text.len(), |l| l.0);
                let mut body_end = text.len();
                while let Some(&(s, c, _)) = lines.get(i) {
                    i += 1;
                    let c = if strip_tabs {
                        c.trim_start_matches('\t')
                    } else {
                        c
                    };
                    if c == delimiter {
                        body_end = s;
                        break;
                    }
                }
                instruction.heredocs.push(Heredoc {
                    body: body_start..body_end.max(body_start),
                });
            }
        }
        out.push(instruction);
    }
    out
}

/// The heredocs an instruction opens: (delimiter, `<<-`).
fn heredoc_markers(args: &str) -> Vec<(String, bool)> {
    args.split_whitespace()
        .filter_map(|word| {
            let rest = word.strip_prefix("<<")?;
            if rest.starts_with('<') {
                return None;
            }
            let (rest, strip_tabs) = match rest.strip_prefix('-') {
                Some(r) => (r, true),
                None => (rest, false),
            };
            let delimiter = rest.trim_matches(['"', '\'']);
            let valid = !delimiter.is_empty()
                && delimiter
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_');
            valid.then(|| (delimiter.to_owned(), strip_tabs))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<(String, String)> {
        instructions(text)
            .into_iter()
            .map(|i| (i.keyword, i.args))
            .collect()
    }

    #[test]
    fn continuations_and_comments_blank_to_the_same_length() {
        let text =
            "# syntax=docker/dockerfile:1\nFROM a\nRUN x \\\n  # note\n\n  && y \\  \n  z\nrun w\n";
        let found = instructions(text);
        assert_eq!(found.len(), 3);
        assert_eq!(found[1].keyword, "RUN");
        let run = &found[1];
        assert_eq!(run.args.len(), text.find("\nrun").unwrap() - run.args_start);
        assert_eq!(
            run.args.split_whitespace().collect::<Vec<_>>(),
            ["x", "&&", "y", "z"]
        );
        assert!(!run.args.contains('\n'));
        let z = run.words().into_iter().find(|(w, _)| *w == "z").unwrap().1;
        assert_eq!(&text[z], "z");
        assert_eq!(found[2].keyword, "RUN");
    }

    #[test]
    fn the_escape_directive_changes_the_continuation_character() {
        let text = "# escape=`\nFROM a\nRUN dir \\ `\n  c:\\\n";
        let found = args(text);
        assert_eq!(
            found[1].1.split_whitespace().collect::<Vec<_>>(),
            ["dir", "\\", "c:\\"]
        );
        // After the first instruction, directives are comments.
        let late = args("FROM a\n# escape=`\nRUN a `\nb\n");
        assert_eq!(late.len(), 3);
    }

    #[test]
    fn heredoc_bodies_are_not_instructions() {
        let text = "FROM a\nRUN <<EOF\nFROM evil\nEOF\nCOPY <<-x /f\n\tRUN no\n\tx\nUSER me\n";
        let found = instructions(text);
        let keywords: Vec<_> = found.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(keywords, ["FROM", "RUN", "COPY", "USER"]);
        assert_eq!(&text[found[1].heredocs[0].body.clone()], "FROM evil\n");
        assert_eq!(&text[found[2].heredocs[0].body.clone()], "\tRUN no\n");
    }

    #[test]
    fn a_file_ending_in_a_continuation_or_an_open_heredoc() {
        assert_eq!(args("RUN a \\").len(), 1);
        assert_eq!(args("RUN a \\\n# only comments\n").len(), 1);
        let open = instructions("RUN <<EOF\nbody");
        assert_eq!(open[0].heredocs[0].body, 10..14);
        assert!(instructions("").is_empty());
        let bom = instructions("\u{feff}FROM a\n");
        assert_eq!((bom[0].keyword.as_str(), bom[0].args_start), ("FROM", 7));
    }
}
