//! The Markdown view, for `$GITHUB_STEP_SUMMARY`: a `## secgate` heading, a one-line verdict
//! with the counts, and a table of the findings at level deny (first) and warn (then), each
//! group in report order. Findings at level allow are only counted, unless `verbose` lists them
//! after the others.
//!
//! Cells are escaped so a `|`, a newline or an HTML tag in an advisory's text cannot break the
//! table or the page.

use crate::report::{package_at, plural, thousands};
use crate::{RenderOptions, Report};
use secgate_core::{Finding, Level};
use std::fmt::Write as _;

/// Renders the job summary.
pub fn render(report: &Report, options: RenderOptions) -> String {
    let s = &report.summary;
    let mut out = String::from("## secgate\n\n");
    let _ = writeln!(
        out,
        "**{}**: {} denied, {}, {} allowed, {}, {} ignored\n",
        if report.has_denials() {
            "failed"
        } else {
            "passed"
        },
        thousands(s.deny),
        plural(s.warn, "warning", "warnings"),
        thousands(s.allow),
        report.checked(),
        thousands(s.ignored),
    );
    for note in &report.notes {
        let _ = writeln!(out, "> {note}\n");
    }

    let mut levels = vec![Level::Deny, Level::Warn];
    if options.verbose {
        levels.push(Level::Allow);
    }
    let rows: Vec<&Finding> = levels
        .iter()
        .flat_map(|level| report.findings.iter().filter(move |f| f.level == *level))
        .collect();

    if rows.is_empty() {
        if s.allow == 0 {
            out.push_str("No findings.\n");
        } else {
            let _ = writeln!(
                out,
                "No findings at level deny or warn ({} not listed).",
                plural(s.allow, "allowed finding", "allowed findings")
            );
        }
        return out;
    }

    out.push_str("| Level | Code | ID | Package | Location | Message |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for f in rows {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} |",
            f.level,
            f.code,
            cell(f.id.as_deref().unwrap_or("")),
            cell(&f.package.as_ref().map(package_at).unwrap_or_default()),
            cell(&format!("{}:{}", f.location.path, f.location.line)),
            cell(&f.message),
        );
    }
    if !options.verbose && s.allow > 0 {
        let _ = writeln!(
            out,
            "\n{} not listed.",
            plural(s.allow, "allowed finding", "allowed findings")
        );
    }
    out
}

/// Escapes one table cell: `|` would end the cell, a newline the row, and `<` / `&` would be
/// read as HTML by GitHub.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        for c in line.chars() {
            match c {
                '|' => out.push_str("\\|"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                _ => out.push(c),
            }
        }
        if lines.peek().is_some() {
            out.push_str("<br>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    fn markdown(verbose: bool) -> String {
        let options = RenderOptions {
            color: false,
            verbose,
        };
        render(&testdata::report(), options)
    }

    #[test]
    fn markdown_snapshot() {
        insta::assert_snapshot!(markdown(false));
    }

    #[test]
    fn markdown_verbose_snapshot() {
        insta::assert_snapshot!(markdown(true));
    }

    #[test]
    fn verdict_and_rows_deny_first() {
        let md = markdown(false);
        assert!(md.starts_with("## secgate\n\n**failed**: "));
        assert!(
            md.contains("**failed**: 1 denied, 2 warnings, 1 allowed, 1,035 packages, 1 ignored\n")
        );
        let rows: Vec<_> = md
            .lines()
            .filter(|l| l.starts_with("| deny") || l.starts_with("| warn"))
            .collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].starts_with(
            "| deny | `vulnerability` | RUSTSEC-2023-0071 | rsa@0.9.6 | Cargo.lock:11 |"
        ));
        assert!(rows[1].contains("`db-bad-record`"));
        assert!(!md.contains("oldcrate"));
        assert!(md.contains("1 allowed finding not listed."));
        assert!(markdown(true).contains("| allow | `notice` |"));
    }

    #[test]
    fn cells_escape_pipes_newlines_and_html() {
        let md = markdown(false);
        assert!(md.contains("ansi_term is unmaintained \\| use nu-ansi-term or anstyle"));
        assert_eq!(cell("a|b\nc <d> & e"), "a\\|b<br>c &lt;d&gt; &amp; e");
        for row in md.lines().filter(|l| l.starts_with("| ")) {
            let unescaped = row.replace("\\|", "").matches('|').count();
            assert_eq!(unescaped, 7, "{row}");
        }
    }

    #[test]
    fn empty_report_says_no_findings() {
        let passed = crate::Report::new("0.1.0", Vec::new(), 12, 0);
        let md = render(&passed, RenderOptions::default());
        assert_eq!(
            md,
            "## secgate\n\n**passed**: 0 denied, 0 warnings, 0 allowed, 12 packages, 0 ignored\n\nNo findings.\n"
        );
    }
}
