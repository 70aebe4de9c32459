//! The report model every renderer reads: the sorted findings of one run, the counts per level,
//! and the inputs that only some views need (the output [`Format`], the [`Sources`] the human
//! view quotes, and the [`RenderOptions`]).

use secgate_core::{Finding, Level, PackageRef, sort_findings};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Counts shown at the end of every view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Findings at level deny: the gate fails when this is not zero.
    pub deny: usize,
    /// Findings at level warn.
    pub warn: usize,
    /// Findings at level allow: counted, listed only in JSON (and verbose human / Markdown).
    pub allow: usize,
    /// Packages checked.
    pub packages: usize,
    /// Files checked by gates that read files rather than packages (the pinning gate); left out
    /// of the JSON when zero.
    #[serde(skip_serializing_if = "is_zero")]
    pub files: usize,
    /// Findings silenced by an ignore entry of the policy.
    pub ignored: usize,
}

/// One run's findings in report order, with their summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The secgate version that produced the report.
    pub tool_version: String,
    /// Findings sorted by (path, line, code, id).
    pub findings: Vec<Finding>,
    /// Counts per level, packages checked and findings ignored.
    pub summary: Summary,
    /// Facts about the run a reader should know that are not findings: the age of the
    /// databases used, checks skipped under `--offline`. In report order, one sentence each.
    pub notes: Vec<String>,
}

impl Report {
    /// Sorts findings (`secgate_core::sort_findings`) and computes deny/warn/allow counts from
    /// the levels.
    pub fn new(
        tool_version: &str,
        mut findings: Vec<Finding>,
        packages: usize,
        ignored: usize,
    ) -> Report {
        sort_findings(&mut findings);
        let count = |level| findings.iter().filter(|f| f.level == level).count();
        let summary = Summary {
            deny: count(Level::Deny),
            warn: count(Level::Warn),
            allow: count(Level::Allow),
            packages,
            files: 0,
            ignored,
        };
        Report {
            tool_version: tool_version.to_owned(),
            findings,
            summary,
            notes: Vec::new(),
        }
    }

    /// What was checked, for the summary line: `1,035 packages`, `12 files`, or both.
    pub(crate) fn checked(&self) -> String {
        let s = &self.summary;
        let packages = plural(s.packages, "package", "packages");
        match (s.packages, s.files) {
            (_, 0) => packages,
            (0, files) => plural(files, "file", "files"),
            (_, files) => format!("{packages} and {}", plural(files, "file", "files")),
        }
    }

    /// Whether any finding is at level deny, i.e. the gate fails (exit code 1).
    pub fn has_denials(&self) -> bool {
        self.summary.deny > 0
    }

    /// The findings a reader-facing view lists, in report order: deny and warn, plus allow when
    /// `verbose`.
    pub(crate) fn shown(&self, verbose: bool) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| verbose || f.level != Level::Allow)
    }
}

/// An output format of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Diagnostics with source snippets, for a terminal or a CI log.
    Human,
    /// The stable JSON report, version 1.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// Markdown, for `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

impl Format {
    /// Every format, in the order the CLI documents them.
    pub const ALL: [Format; 4] = [Format::Human, Format::Json, Format::Sarif, Format::Markdown];

    /// The name used by `--format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `--format` value that names no format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown report format `{value}` (expected `human`, `json`, `sarif` or `markdown`)")]
pub struct ParseFormatError {
    /// The value given.
    pub value: String,
}

impl FromStr for Format {
    type Err = ParseFormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| ParseFormatError {
                value: s.to_owned(),
            })
    }
}

/// Source texts by location path, so renderers can show snippets. Paths as in
/// [`Location::path`](secgate_core::Location::path).
#[derive(Clone, Debug, Default)]
pub struct Sources {
    texts: BTreeMap<String, String>,
}

impl Sources {
    /// Adds (or replaces) the text of the file at `path`.
    pub fn insert(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.texts.insert(path.into(), text.into());
    }

    /// Adds every file of `other` (replacing texts of the same path).
    pub fn extend(&mut self, other: Sources) {
        self.texts.extend(other.texts);
    }

    /// The text of the file at `path`, if it was inserted.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }
}

/// How the reader-facing views (human, Markdown) render.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours in the human view.
    pub color: bool,
    /// Also list findings at level allow.
    pub verbose: bool,
}

/// `name@version`, as the SARIF and Markdown views name a package.
pub(crate) fn package_at(p: &PackageRef) -> String {
    format!("{}@{}", p.name, p.version)
}

/// `1035` as `1,035`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 warning`, `2 warnings`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn new_sorts_and_counts_levels() {
        let report = testdata::report();
        let s = report.summary;
        assert_eq!((s.deny, s.warn, s.allow), (1, 2, 1));
        assert_eq!((s.packages, s.ignored), (1035, 1));
        assert!(report.has_denials());
        let paths: Vec<_> = report.findings.iter().map(|f| f.location.line).collect();
        assert_eq!(paths, [3, 6, 11, 16]);
        let mut quiet = report.clone();
        quiet.findings.retain(|f| f.level != Level::Deny);
        let quiet = Report::new("0.1.0", quiet.findings, 3, 0);
        assert!(!quiet.has_denials());
        assert_eq!(report.shown(false).count(), 3);
        assert_eq!(report.shown(true).count(), 4);
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string(), f.as_str());
        }
        let err = "xml".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown report format `xml` (expected `human`, `json`, `sarif` or `markdown`)"
        );
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1035), "1,035");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(plural(1, "warning", "warnings"), "1 warning");
        assert_eq!(plural(2, "warning", "warnings"), "2 warnings");
    }

    #[test]
    fn sources_return_inserted_text() {
        let mut s = Sources::default();
        s.insert("Cargo.lock", "version = 4\n");
        assert_eq!(s.get("Cargo.lock"), Some("version = 4\n"));
        assert_eq!(s.get("other"), None);
    }
}
