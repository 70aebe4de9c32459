//! The human view: one codespan diagnostic per finding at level deny (error) or warn (warning),
//! and at level allow (note) when `verbose`, then a one-line verdict.
//!
//! A diagnostic quotes the real file when its text is in [`Sources`]: the finding's span when it
//! has one, else the finding's line from its column on. Without the text, a note says where the
//! finding is (`at path:line:column`), so no location is ever lost. Secret findings are never
//! quoted, whatever the sources hold. Output is ANSI-coloured only
//! when asked and otherwise plain text, identical across runs.

use crate::report::{plural, thousands};
use crate::{RenderError, RenderOptions, Report, Sources};
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Buffer, Color, ColorSpec, WriteColor};
use codespan_reporting::term::{self, Config};
use secgate_core::{Finding, Gate, Level, LineIndex, Location};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::ops::Range;

/// A file of `Sources` registered with codespan, with its line index.
struct SourceFile<'a> {
    id: usize,
    text: &'a str,
    lines: LineIndex,
}

/// Renders the diagnostics and the verdict line.
pub fn render(
    report: &Report,
    sources: &Sources,
    options: RenderOptions,
) -> Result<String, RenderError> {
    let mut buffer = if options.color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = Config::default();
    let mut files = SimpleFiles::new();
    let mut known: HashMap<&str, SourceFile<'_>> = HashMap::new();

    for f in report.shown(options.verbose) {
        let path = f.location.path.as_str();
        // A secret is never quoted: the line would show it in full. Its finding names the
        // place and carries the masked value instead.
        let quotable = f.code.gate() != Gate::Secrets;
        let file = sources.get(path).filter(|_| quotable).map(|text| {
            &*known.entry(path).or_insert_with(|| SourceFile {
                id: files.add(path, text),
                text,
                lines: LineIndex::new(text),
            })
        });
        let diag = diagnostic(f, file);
        term::emit_to_write_style(&mut buffer, &config, &files, &diag).map_err(|source| {
            RenderError::Diagnostic {
                path: path.to_owned(),
                source,
            }
        })?;
    }
    verdict(&mut buffer, report).map_err(RenderError::Write)?;
    Ok(String::from_utf8_lossy(&buffer.into_inner()).into_owned())
}

/// `error[vulnerability]: RUSTSEC-2023-0071: rsa 0.9.6: <message>` with its label and notes.
fn diagnostic(f: &Finding, file: Option<&SourceFile<'_>>) -> Diagnostic<usize> {
    let severity = match f.level {
        Level::Deny => Severity::Error,
        Level::Warn => Severity::Warning,
        Level::Allow => Severity::Note,
    };
    let mut message = String::new();
    if let Some(id) = &f.id {
        message.push_str(id);
        message.push_str(": ");
    }
    if let Some(p) = &f.package {
        let _ = write!(message, "{} {}: ", p.name, p.version);
    }
    message.push_str(&f.message);
    let mut diag = Diagnostic::new(severity)
        .with_code(f.code.as_str())
        .with_message(message);

    let mut notes = Vec::new();
    if let Some((id, range)) =
        file.and_then(|file| Some((file.id, label_range(&f.location, file)?)))
    {
        let mut label = Label::primary(id, range);
        if let Some(p) = &f.package {
            let verb = if is_lockfile(&f.location.path) {
                "locked"
            } else {
                "declared"
            };
            label = label.with_message(format!("`{} {}` {verb} here", p.name, p.version));
        }
        diag = diag.with_label(label);
    } else {
        let loc = &f.location;
        notes.push(format!("at {}:{}:{}", loc.path, loc.line, loc.column));
    }
    if !f.aliases.is_empty() {
        notes.push(format!("aliases: {}", f.aliases.join(", ")));
    }
    if let Some(severity) = f.severity {
        notes.push(format!("severity: {severity}"));
    }
    if let Some(fix) = &f.fix {
        notes.push(format!("fix: {fix}"));
    }
    if let Some(url) = &f.url {
        notes.push(format!("url: {url}"));
    }
    diag.with_notes(notes)
}

/// The byte range to underline: the span when it is valid in the text, else the location's
/// line from its column to the end of the line; `None` when the text has no such line.
fn label_range(loc: &Location, file: &SourceFile<'_>) -> Option<Range<usize>> {
    let text = file.text;
    if let Some(span) = &loc.span
        && span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
    {
        return Some(span.clone());
    }
    let start = file.lines.line_start(loc.line)?;
    if start >= text.len() && loc.line > 1 {
        // The index has an empty last "line" after a final newline: not a real line.
        return None;
    }
    let rest = &text[start..];
    let line = rest
        .split('\n')
        .next()
        .unwrap_or(rest)
        .trim_end_matches('\r');
    let column = line
        .char_indices()
        .nth(loc.column.saturating_sub(1) as usize)
        .map_or(0, |(i, _)| i);
    Some(start + column..start + line.len())
}

/// Whether a location path names a lockfile, where packages are "locked" rather than declared.
fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.contains("lock") || name == "npm-shrinkwrap.json"
}

/// `secgate: 1 denied, 14 warnings, 0 allowed; 1,035 packages checked, 0 ignored — gate failed`.
fn verdict(out: &mut Buffer, report: &Report) -> std::io::Result<()> {
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    let s = &report.summary;
    write!(
        out,
        "secgate: {} denied, {}, {} allowed; {} checked, {} ignored — ",
        thousands(s.deny),
        plural(s.warn, "warning", "warnings"),
        thousands(s.allow),
        report.checked(),
        thousands(s.ignored),
    )?;
    let (text, color) = if report.has_denials() {
        ("gate failed", Color::Red)
    } else {
        ("gate passed", Color::Green)
    };
    out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
    out.write_all(text.as_bytes())?;
    out.reset()?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    fn human(color: bool, verbose: bool) -> String {
        let options = RenderOptions { color, verbose };
        render(&testdata::report(), &testdata::sources(), options).unwrap()
    }

    #[test]
    fn human_snapshot() {
        insta::assert_snapshot!(human(false, false));
    }

    #[test]
    fn human_verbose_snapshot() {
        insta::assert_snapshot!(human(false, true));
    }

    #[test]
    fn plain_output_has_no_escapes_and_quotes_the_source() {
        let out = human(false, false);
        assert!(!out.contains('\x1b'));
        assert!(out.contains("error[vulnerability]: RUSTSEC-2023-0071: rsa 0.9.6: Marvin Attack"));
        assert!(
            out.contains("name = \"rsa\""),
            "span snippet missing:\n{out}"
        );
        assert!(out.contains("`rsa 0.9.6` locked here"));
        assert!(
            out.contains("name = \"ansi_term\""),
            "line snippet missing:\n{out}"
        );
        assert!(out.contains("Cargo.lock:11:1"));
        assert!(out.contains("= at /tmp/db/crates/x/RUSTSEC-0000-0001.md:3:1"));
        assert!(out.contains("= aliases: CVE-2023-49092, GHSA-c38w-74pg-36hr"));
        assert!(out.contains("= fix: upgrade to >=0.9.7"));
        assert!(
            !out.contains("oldcrate"),
            "allow findings are hidden unless verbose"
        );
        assert!(out.ends_with(
            "secgate: 1 denied, 2 warnings, 1 allowed; 1,035 packages checked, 1 ignored — gate failed\n"
        ));
        assert_eq!(out, human(false, false));
    }

    #[test]
    fn a_secret_finding_never_quotes_its_line() {
        let secret = "ghp_000000000000000000000000000000000000";
        let mut f = Finding::new(
            secgate_core::Code::ApiToken,
            Location::new(".env", 2, 7),
            "GitHub token `ghp_********00`",
        );
        f.location.span = Some(16..16 + secret.len());
        let report = Report::new("0.1.0", vec![f], 0, 0);
        let mut sources = Sources::default();
        sources.insert(".env", format!("A=1\nTOKEN={secret}\n"));
        let options = RenderOptions {
            color: false,
            verbose: false,
        };
        let out = render(&report, &sources, options).unwrap();
        assert!(!out.contains(secret), "{out}");
        assert!(out.contains("= at .env:2:7"), "{out}");
    }

    #[test]
    fn verbose_shows_allow_as_notes_and_color_adds_escapes() {
        assert!(human(false, true).contains("note[notice]: RUSTSEC-2099-0001: oldcrate 1.0.0"));
        assert!(human(true, false).contains('\x1b'));
    }

    #[test]
    fn missing_lines_and_bad_spans_fall_back_to_a_note() {
        let mut f = testdata::findings().remove(1);
        f.location.span = Some(3..10_000);
        f.location.line = 500;
        let report = Report::new("0.1.0", vec![f], 1, 0);
        let out = render(&report, &testdata::sources(), RenderOptions::default()).unwrap();
        assert!(out.contains("= at Cargo.lock:500:1"), "{out}");
        assert!(out.ends_with("1 package checked, 0 ignored — gate failed\n"));
    }

    #[test]
    fn line_labels_start_at_the_column() {
        let text = "first\nsecond line\n";
        let file = SourceFile {
            id: 0,
            text,
            lines: LineIndex::new(text),
        };
        let range = label_range(&Location::new("f", 2, 8), &file).unwrap();
        assert_eq!(&text[range], "line");
        assert_eq!(label_range(&Location::new("f", 3, 1), &file), None);
        assert!(is_lockfile("web/package-lock.json") && !is_lockfile("Cargo.toml"));
    }
}
