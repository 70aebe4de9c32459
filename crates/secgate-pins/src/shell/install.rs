//! `install-unlocked`: package-manager commands that install something other than what a
//! lockfile records — `cargo install` without `--locked`, and installs of packages without an
//! exact version (`gem install foo`, `go install x@latest`) — and the helpers the other
//! ecosystems share. npm, yarn, pnpm and bun live in [`super::node`], pip in [`super::pip`].

use super::ShellHit;
use super::command::basename;
use super::lex::Word;
use super::node;
use secgate_core::Code;
use std::ops::Range;

/// `install-unlocked` for one command, given the words from its program on.
pub(crate) fn check(words: &[Word], hits: &mut Vec<ShellHit>) {
    let Some(first) = words.first() else {
        return;
    };
    match basename(&first.text) {
        "cargo" => cargo(words, hits),
        "npm" => node::npm(words, hits),
        "yarn" => node::yarn(words, hits),
        "pnpm" => node::pnpm(words, hits),
        "bun" => node::bun(words, hits),
        "gem" => gem(words, hits),
        "go" => go(words, hits),
        _ => super::pip::check(words, hits),
    }
}

/// From the first to the last word.
pub(crate) fn span_of(words: &[Word]) -> Range<usize> {
    match (words.first(), words.last()) {
        (Some(first), Some(last)) => first.span.start..last.span.end,
        _ => 0..0,
    }
}

/// The words' texts joined by spaces (continuations and quotes gone).
pub(crate) fn joined(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether any word is one of `flags`, alone or as `--flag=value`.
pub(crate) fn has_flag(words: &[Word], flags: &[&str]) -> bool {
    words.iter().any(|w| {
        let name = w.text.split('=').next().unwrap_or_default();
        flags.contains(&name)
    })
}

/// The non-option words, skipping the values of `with_value` options (`--` ends options).
pub(crate) fn positionals<'a>(words: &'a [Word], with_value: &[&str]) -> Vec<&'a Word> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(word) = words.get(i) {
        let text = word.text.as_str();
        if text == "--" {
            out.extend(words.get(i + 1..).unwrap_or_default());
            break;
        }
        if text.starts_with('-') && text != "-" {
            i += if with_value.contains(&text) { 2 } else { 1 };
        } else {
            out.push(word);
            i += 1;
        }
    }
    out
}

pub(crate) fn hit(
    hits: &mut Vec<ShellHit>,
    id: String,
    span: Range<usize>,
    message: String,
    fix: String,
) {
    hits.push(ShellHit {
        code: Code::InstallUnlocked,
        id,
        span,
        message,
        fix: Some(fix),
    });
}

/// `cargo [+toolchain] [options] install ...` without `--locked`.
fn cargo(words: &[Word], hits: &mut Vec<ShellHit>) {
    let options = ["--config", "-Z", "-C", "--color"];
    let mut i = 1;
    while let Some(w) = words.get(i).filter(|w| w.text.starts_with(['+', '-'])) {
        i += if options.contains(&w.text.as_str()) {
            2
        } else {
            1
        };
    }
    if words.get(i).is_none_or(|w| w.text != "install") {
        return;
    }
    let args = words.get(i + 1..).unwrap_or_default();
    if has_flag(args, &["--locked", "--frozen", "--list", "--help", "-h"]) {
        return;
    }
    let versioned = has_flag(args, &["--version", "--vers", "--rev", "--path"])
        || positionals(args, &[]).iter().any(|w| w.text.contains('@'));
    let pin = if versioned {
        ""
    } else {
        ", with an exact version (`NAME@X.Y.Z`)"
    };
    hit(
        hits,
        "cargo-install".to_owned(),
        span_of(words),
        "`cargo install` without `--locked` ignores the crate's Cargo.lock and resolves its \
         dependencies to whatever is newest at install time"
            .to_owned(),
        format!("`cargo install --locked {}`{pin}", joined(args)),
    );
}

/// Whether `text` ends with `extension` (`.tgz`), ignoring ASCII case.
pub(crate) fn has_extension(text: &str, extension: &str) -> bool {
    text.len() >= extension.len()
        && text.as_bytes()[text.len() - extension.len()..]
            .eq_ignore_ascii_case(extension.as_bytes())
}

/// A full git commit id (SHA-1 or SHA-256).
pub(crate) fn is_commit(rev: &str) -> bool {
    matches!(rev.len(), 40 | 64) && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `gem install NAME` without `-v`/`--version` or `NAME:VERSION`.
fn gem(words: &[Word], hits: &mut Vec<ShellHit>) {
    let args = words.get(1..).unwrap_or_default();
    let positional = positionals(args, &["-i", "--install-dir", "-n", "--bindir", "--source"]);
    if positional.first().is_none_or(|w| w.text != "install")
        || has_flag(args, &["-v", "--version"])
    {
        return;
    }
    for gem in positional.iter().skip(1).filter(|w| !w.dynamic) {
        if gem.text.contains(':') || has_extension(&gem.text, ".gem") {
            continue;
        }
        hit(
            hits,
            format!("gem install {}", gem.text),
            gem.span.clone(),
            format!(
                "`gem install` of `{}` has no version, so whatever is newest is installed",
                gem.text
            ),
            format!("`gem install {} -v X.Y.Z`", gem.text),
        );
    }
}

/// `go install PKG@latest` (or a branch): a moving version.
fn go(words: &[Word], hits: &mut Vec<ShellHit>) {
    let positional = positionals(words.get(1..).unwrap_or_default(), &["-C", "-o", "-tags"]);
    if positional.first().is_none_or(|w| w.text != "install") {
        return;
    }
    for package in positional.iter().skip(1).filter(|w| !w.dynamic) {
        let Some((path, version)) = package.text.rsplit_once('@') else {
            continue;
        };
        let tagged =
            version.starts_with('v') && version[1..].starts_with(|c: char| c.is_ascii_digit());
        let commit = version.len() >= 12 && version.bytes().all(|b| b.is_ascii_hexdigit());
        if !tagged && !commit {
            hit(
                hits,
                format!("go install {}", package.text),
                package.span.clone(),
                format!(
                    "`go install` of `{}` follows `{version}`, which moves",
                    package.text
                ),
                format!("`go install {path}@vX.Y.Z`"),
            );
        }
    }
}
