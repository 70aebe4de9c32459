//! `curl-pipe-shell`: a download executed in the same step, without a pin or a checksum —
//! `curl ... | sh`, `wget -O- ... | sudo -E bash -`, `sh -c "$(curl ...)"`, `bash <(curl ...)`,
//! `eval "$(wget -qO- ...)"`.
//!
//! An interpreter that reads its program from somewhere else is not flagged: `curl api | python3
//! -c '...'` and `curl api | python3 -m json.tool` feed the download to the program as data.

use super::ShellHit;
use super::command::{Source, basename, first_word, is_interpreter, program, source};
use super::lex::{Command, Pipeline, Word, parse};
use secgate_core::Code;
use std::ops::Range;

const FIX: &str = "download the script to a file, verify it against a pinned sha256 \
                   (`echo \"<sha256>  install.sh\" | sha256sum -c`), then run the file; or \
                   install the tool from a package manager with a locked version";

/// Whether the command's program is `curl` or `wget`.
fn is_fetch(command: &Command) -> bool {
    program(&command.words)
        .first()
        .is_some_and(|w| matches!(basename(&w.text), "curl" | "wget"))
}

/// Every `curl-pipe-shell` in one pipeline.
pub(crate) fn check(script: &str, pipeline: &Pipeline, hits: &mut Vec<ShellHit>) {
    for (i, command) in pipeline.iter().enumerate() {
        if is_fetch(command) {
            piped(command, pipeline.get(i + 1..).unwrap_or_default(), hits);
        }
        substituted(script, command, hits);
    }
}

/// `curl ... | [tee ... |] sh`: the download reaches an interpreter that runs standard input.
fn piped(fetch: &Command, rest: &[Command], hits: &mut Vec<ShellHit>) {
    let start = fetch
        .words
        .get(first_word(&fetch.words))
        .map_or(0, |w| w.span.start);
    let tool = program(&fetch.words)
        .first()
        .map_or("curl", |w| basename(&w.text));
    for later in rest {
        let words = program(&later.words);
        if source(words) == Some(Source::Stdin)
            && let Some(interp) = words.first()
        {
            let name = basename(&interp.text);
            hits.push(ShellHit {
                code: Code::CurlPipeShell,
                id: format!("{tool}|{name}"),
                span: start..interp.span.end,
                message: format!(
                    "the output of `{tool}` is piped into `{name}`: whatever the server returns \
                     runs unverified"
                ),
                fix: Some(FIX.to_owned()),
            });
            return;
        }
    }
}

/// `sh -c "$(curl ...)"`, `bash <(curl ...)`, `source <(curl ...)`, `eval "$(curl ...)"`.
fn substituted(script: &str, command: &Command, hits: &mut Vec<ShellHit>) {
    let words = program(&command.words);
    let Some(first) = words.first() else {
        return;
    };
    let name = basename(&first.text);
    // (the word holding the program, whether it is a file name rather than program text)
    let programs: Vec<(&Word, bool)> = match name {
        "eval" => words.iter().skip(1).map(|w| (w, false)).collect(),
        "source" | "." => words.get(1).map(|w| (w, true)).into_iter().collect(),
        _ if is_interpreter(name) => match source(words) {
            Some(Source::Inline(i)) => words.get(i).map(|w| (w, false)).into_iter().collect(),
            Some(Source::File(i)) => words.get(i).map(|w| (w, true)).into_iter().collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    for (word, file) in programs {
        let fetched = word
            .subs
            .iter()
            .filter(|sub| sub.process == file)
            .find_map(|sub| fetch_in(script, sub.inner.clone()));
        if let Some(tool) = fetched {
            let span: Range<usize> = first.span.start..word.span.end;
            let how = if file {
                "as a script file"
            } else {
                "as program text"
            };
            hits.push(ShellHit {
                code: Code::CurlPipeShell,
                id: format!("{name}<{tool}"),
                span,
                message: format!(
                    "`{name}` runs the output of `{tool}` {how}: whatever the server returns \
                     runs unverified"
                ),
                fix: Some(FIX.to_owned()),
            });
        }
    }
}

/// The download tool a substitution runs, if any.
fn fetch_in(script: &str, inner: Range<usize>) -> Option<&'static str> {
    parse(script, inner).iter().flatten().find_map(|c| {
        let name = basename(&program(&c.words).first()?.text);
        match name {
            "curl" => Some("curl"),
            "wget" => Some("wget"),
            _ => None,
        }
    })
}

/// `sh -c '...'` with a literal quoted program: the bytes of that program, to scan as a script.
pub(crate) fn inline_script(script: &str, command: &Command) -> Option<Range<usize>> {
    let words = program(&command.words);
    let first = words.first()?;
    if !matches!(
        basename(&first.text),
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "ash" | "mksh"
    ) {
        return None;
    }
    let Source::Inline(i) = source(words)? else {
        return None;
    };
    let word = words.get(i)?;
    let raw = script.get(word.span.clone())?;
    let inner = raw.get(1..raw.len().checked_sub(1)?)?;
    let quoted = match (raw.as_bytes().first(), raw.as_bytes().last()) {
        (Some(b'\''), Some(b'\'')) => !inner.contains('\''),
        (Some(b'"'), Some(b'"')) => !inner.contains(['"', '\\']) && word.subs.is_empty(),
        _ => false,
    };
    (quoted && raw.len() >= 2).then(|| word.span.start + 1..word.span.end - 1)
}
