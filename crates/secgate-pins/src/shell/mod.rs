//! Shell commands that defeat pinning: `install-unlocked` and `curl-pipe-shell`, in `*.sh`
//! files, workflow `run:` steps and Dockerfile `RUN` lines.
//!
//! The script is split lexically (`lex`, `word`) into pipelines of simple commands, with
//! quotes, continuations, comments, heredoc bodies and substitutions respected; each command's
//! program is found behind keywords, assignments and wrappers such as `sudo -E` (`command`);
//! the rules run on that (`fetch` for `curl-pipe-shell`; `install`, `node` and `pip` for
//! `install-unlocked`). The insides of `$(...)`, `` `...` ``, `<(...)` and of a literal
//! `sh -c '...'` are scanned as scripts too.

mod command;
mod fetch;
mod install;
mod lex;
mod node;
mod pip;
mod word;

use crate::SourceFile;
use secgate_core::{Code, Finding};
use std::ops::Range;

pub(crate) use install::{has_extension, is_commit};

/// How deeply substitutions inside substitutions are scanned.
const MAX_DEPTH: usize = 8;

/// One problem in a script, located by bytes of the script text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellHit {
    /// `install-unlocked` or `curl-pipe-shell`.
    pub code: Code,
    /// A short stable name of what was found (`curl|sh`, `cargo-install`, `pip install
    /// requests`), the finding's `id`.
    pub id: String,
    /// The offending bytes of the script (the command, from its first word).
    pub span: Range<usize>,
    /// One sentence.
    pub message: String,
    /// The concrete fix.
    pub fix: Option<String>,
}

/// Every problem in `script` (shell text, possibly with `\`-newline continuations), in order.
pub fn scan(script: &str) -> Vec<ShellHit> {
    let mut hits = Vec::new();
    scan_range(script, 0..script.len(), 0, &mut hits);
    hits.sort_by_key(|h| (h.span.start, h.span.end, h.code));
    hits.dedup();
    hits
}

fn scan_range(script: &str, range: Range<usize>, depth: usize, hits: &mut Vec<ShellHit>) {
    if depth > MAX_DEPTH {
        return;
    }
    for pipeline in lex::parse(script, range) {
        fetch::check(script, &pipeline, hits);
        for cmd in &pipeline {
            install::check(command::program(&cmd.words), hits);
            for word in cmd.words.iter().chain(&cmd.redirects) {
                for sub in &word.subs {
                    scan_range(script, sub.inner.clone(), depth + 1, hits);
                }
            }
            if let Some(inner) = fetch::inline_script(script, cmd) {
                scan_range(script, inner, depth + 1, hits);
            }
        }
    }
}

/// [`scan`] over a whole `*.sh` file.
pub fn check_file(file: &SourceFile) -> Vec<Finding> {
    scan(&file.text)
        .into_iter()
        .map(|hit| {
            let span = hit.span.clone();
            hit.finding(file, span)
        })
        .collect()
}

impl ShellHit {
    /// The finding this hit is in `file`, at `span` (the hit's bytes mapped to the file).
    pub fn finding(self, file: &SourceFile, span: Range<usize>) -> Finding {
        let mut finding = file.finding(self.code, span, self.message, self.fix);
        finding.id = Some(self.id);
        finding
    }
}

#[cfg(test)]
mod tests;
