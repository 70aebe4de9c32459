//! Printing why the gate could not run (exit 2): policy problems and lockfile errors as
//! diagnostics with the file, line, column and a snippet; anything else as `error:` with its
//! causes and `hint:` lines.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor};
use secgate_inventory::InventoryError;
use secgate_policy::PolicyError;
use std::io::Write;
use std::ops::Range;

/// Prints `err` to standard error.
pub fn print(err: &anyhow::Error, color: bool) {
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    if !print_diagnostics(err, &mut buf) {
        print_chain(err, &mut buf);
    }
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(buf.as_slice());
    let _ = stderr.flush();
}

fn print_diagnostics(err: &anyhow::Error, buf: &mut termcolor::Buffer) -> bool {
    if let Some(PolicyError::Invalid {
        path,
        text,
        problems,
    }) = err.downcast_ref::<PolicyError>()
    {
        let file = SimpleFile::new(path.as_str(), text.as_str());
        for p in problems {
            let notes = p.hint.iter().map(|h| format!("hint: {h}")).collect();
            emit(buf, &file, &p.message, clamp(&p.span, text.len()), notes);
        }
        let _ = writeln!(buf, "error: {err}");
        return true;
    }
    if let Some(InventoryError::Lockfile { file, error: e }) = err.downcast_ref::<InventoryError>()
    {
        let display = file.display().to_string();
        let mut message = e.to_string();
        // The error displays as `path:line:col: message`; the diagnostic header has the place.
        if let Some(rest) =
            message.strip_prefix(&format!("{}:{}:{}: ", e.path(), e.line(), e.column()))
        {
            message = rest.to_owned();
        }
        let mut notes = Vec::new();
        let mut cause = std::error::Error::source(e);
        while let Some(c) = cause {
            notes.push(format!("caused by: {}", one_line(&c.to_string())));
            cause = c.source();
        }
        if let Ok(bytes) = std::fs::read(file) {
            let text = String::from_utf8_lossy(&bytes);
            let file = SimpleFile::new(display.as_str(), text.as_ref());
            emit(buf, &file, &message, clamp(&e.span(), text.len()), notes);
        } else {
            let _ = writeln!(
                buf,
                "error: {display}:{}:{}: {message}",
                e.line(),
                e.column()
            );
            for n in &notes {
                let _ = writeln!(buf, "  = {n}");
            }
        }
        return true;
    }
    false
}

fn emit(
    buf: &mut termcolor::Buffer,
    file: &SimpleFile<&str, &str>,
    message: &str,
    span: Range<usize>,
    notes: Vec<String>,
) {
    let diagnostic = Diagnostic::error()
        .with_message(message)
        .with_labels(vec![Label::primary((), span)])
        .with_notes(notes);
    let _ = term::emit_to_write_style(buf, &Config::default(), file, &diagnostic);
}

/// Keeps a span inside the text so a snippet can always be drawn.
fn clamp(span: &Range<usize>, len: usize) -> Range<usize> {
    let start = span.start.min(len);
    start..span.end.clamp(start, len)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn print_chain(err: &anyhow::Error, buf: &mut termcolor::Buffer) {
    let mut hints = Vec::new();
    for (i, cause) in err.chain().enumerate() {
        let text = cause.to_string();
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default();
        if i == 0 {
            let _ = writeln!(buf, "error: {first}");
        } else {
            let _ = writeln!(buf, "  caused by: {first}");
        }
        hints.extend(lines.map(str::to_owned));
    }
    for hint in hints {
        let _ = writeln!(buf, "{hint}");
    }
}
