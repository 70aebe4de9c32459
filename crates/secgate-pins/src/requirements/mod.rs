//! pip requirements files: `requirement-unpinned` for every requirement that does not pin one
//! exact version (or a commit, or a hashed archive), and `hash-missing` for pinned requirements
//! without `--hash` when hashes are required: by the policy (`exact-with-hashes`), by a
//! `--require-hashes` line, or because another requirement of the file has a `--hash` (pip then
//! runs in hash-checking mode and rejects every line without one).
//!
//! Not checked: `-r`/`-c` includes (each file is checked on its own), index options, local paths
//! and editable local installs (`-e .`), which are the project's own code.

mod lines;
pub(crate) mod spec;
mod url;

use crate::{PinsOptions, PythonRule, SourceFile};
use lines::{Line, logical_lines};
use secgate_core::{Code, Finding};
use spec::{Parsed, Verdict, judge, normalize};

/// One requirement of the file, located.
struct Requirement<'a> {
    line: &'a Line,
    /// Where the requirement starts in the line's text.
    at: usize,
    parsed: Parsed<'a>,
    /// Whether the line has a `--hash` option.
    hashed: bool,
    /// An `-e` line: pip cannot hash-check editables.
    editable: bool,
}

/// `requirement-unpinned` and `hash-missing` for one requirements file.
pub fn check(file: &SourceFile, options: &PinsOptions) -> Vec<Finding> {
    if options.python == PythonRule::Off {
        return Vec::new();
    }
    let lines = logical_lines(&file.text);
    let mut requirements = Vec::new();
    let mut require_hashes = false;
    for line in &lines {
        let text = line.text.as_str();
        let at = text.len() - text.trim_start().len();
        let body = text.trim();
        if let Some(value) = editable(body) {
            let value_at = at + (body.len() - value.len());
            requirements.push(Requirement {
                line,
                at: value_at,
                parsed: judge(value),
                hashed: false,
                editable: true,
            });
        } else if body.starts_with('-') {
            require_hashes |= body.split_whitespace().any(|t| t == "--require-hashes");
        } else {
            // pip splits the requirement from its options at the first whitespace-led `-`.
            let end = body
                .char_indices()
                .find(|&(i, c)| c == '-' && i > 0 && body[..i].ends_with(char::is_whitespace))
                .map_or(body.len(), |(i, _)| i);
            let hashed = body[end..]
                .split_whitespace()
                .any(|t| t == "--hash" || t.starts_with("--hash="));
            requirements.push(Requirement {
                line,
                at,
                parsed: judge(&body[..end]),
                hashed,
                editable: false,
            });
        }
    }
    let hashes = if options.python == PythonRule::ExactWithHashes {
        Some("the policy asks for hashes (`python = \"exact-with-hashes\"`)")
    } else if require_hashes {
        Some("the file has `--require-hashes`")
    } else if requirements.iter().any(|r| r.hashed) {
        Some(
            "other requirements in this file have `--hash`, so pip runs in hash-checking mode \
             and rejects this line",
        )
    } else {
        None
    };
    let mut findings = Vec::new();
    for requirement in &requirements {
        findings.extend(finding(file, requirement, hashes));
    }
    findings
}

/// The value of an `-e`/`--editable` line.
fn editable(body: &str) -> Option<&str> {
    let value = body
        .strip_prefix("--editable")
        .or_else(|| body.strip_prefix("-e"))?;
    let value = value.strip_prefix('=').unwrap_or(value).trim();
    (!value.is_empty()).then_some(value)
}

fn finding(file: &SourceFile, r: &Requirement<'_>, hashes: Option<&str>) -> Option<Finding> {
    let text = r
        .line
        .text
        .get(r.at..r.at + r.parsed.len)
        .unwrap_or_default();
    let span = r.line.file_span(r.at..r.at + r.parsed.len);
    let id = r.parsed.name.map_or_else(|| text.to_owned(), normalize);
    let mut finding = match &r.parsed.verdict {
        Verdict::Local => return None,
        Verdict::Unpinned(loose) => {
            let bare = r.parsed.name.is_some_and(|n| n.len() == r.parsed.len);
            let fix = if bare {
                format!(
                    "pin the version you test with, e.g. with pip-compile or `uv pip \
                     compile`: `{}`",
                    loose.pinned
                )
            } else {
                format!(
                    "pin it exactly: `{}` (pip-compile or `uv pip compile` write the whole set, \
                     with `--generate-hashes` for hashes)",
                    loose.pinned
                )
            };
            file.finding(
                Code::RequirementUnpinned,
                span,
                format!("`{text}` {}", loose.why),
                Some(fix),
            )
        }
        Verdict::Pinned => {
            let why = hashes?;
            if r.hashed || r.editable || r.parsed.self_hashed {
                return None;
            }
            file.finding(
                Code::HashMissing,
                span,
                format!("`{text}` has no `--hash`, and {why}"),
                Some(format!(
                    "regenerate with `pip-compile --generate-hashes` (or `uv pip compile \
                     --generate-hashes`), or add `--hash=sha256:<digest>` for each file of `{text}`"
                )),
            )
        }
    };
    finding.id = Some(id);
    Some(finding)
}

#[cfg(test)]
mod tests;
