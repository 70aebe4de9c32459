//! `install-unlocked` for pip: `pip install`, `pip3 install`, `python -m pip install` and
//! `uv pip install` of requirements without one exact `==` version (each loose requirement is a
//! finding at its argument). `-r file`, `-c file` and local paths (`.`, `-e .`, `./dist/x.whl`)
//! are fine: the file is checked as a requirements file, and local code is the project's own.

use super::ShellHit;
use super::command::{basename, is_python};
use super::install::positionals;
use super::lex::Word;
use crate::requirements::spec::{Verdict, judge};
use secgate_core::Code;

/// pip options that take the next word as their value.
const VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--requirement",
    "-e",
    "--editable",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--src",
    "--upgrade-strategy",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--no-binary",
    "--only-binary",
    "--progress-bar",
    "--trusted-host",
    "--cache-dir",
    "--log",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--cert",
    "--client-cert",
    "-C",
    "--config-settings",
    "--global-option",
    "--build-option",
    "--report",
    "--python",
    "--root-user-action",
    "--group",
    // uv pip
    "-p",
    "--index",
    "--default-index",
    "--index-strategy",
    "--keyring-provider",
    "-P",
    "--upgrade-package",
    "--exclude-newer",
    "--resolution",
    "--prerelease",
    "--override",
    "--build-constraint",
    "--extra",
    "--config-file",
    "--link-mode",
    "--python-platform",
    "--torch-backend",
    "--reinstall-package",
    "--refresh-package",
    "--no-build-package",
    "--no-binary-package",
    "--only-binary-package",
];

/// The tool as written (`pip3`, `python3 -m pip`, `uv pip`) and the arguments after `install`.
fn install_args(words: &[Word]) -> Option<(String, &[Word])> {
    let name = basename(&words.first()?.text);
    let sub = if is_pip(name) {
        1
    } else if name == "uv" {
        (words.get(1)?.text == "pip").then_some(2)?
    } else if is_python(name) || name == "py" {
        // `python [options] -m pip`
        let m = words
            .iter()
            .skip(1)
            .take_while(|w| w.text.starts_with('-'))
            .position(|w| w.text == "-m")?
            + 1;
        (words.get(m + 1)?.text == "pip").then_some(m + 2)?
    } else {
        return None;
    };
    if words.get(sub)?.text != "install" {
        return None;
    }
    let tool = words
        .get(..sub)?
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some((tool, words.get(sub + 1..)?))
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// One finding per loose requirement of a pip install command.
pub(crate) fn check(words: &[Word], hits: &mut Vec<ShellHit>) {
    let Some((tool, args)) = install_args(words) else {
        return;
    };
    let mut requirements = positionals(args, VALUE_OPTIONS);
    // `-e URL` installs that URL: judged like a requirement (local paths pass).
    for (i, word) in args.iter().enumerate() {
        if matches!(word.text.as_str(), "-e" | "--editable")
            && let Some(value) = args.get(i + 1)
        {
            requirements.push(value);
        }
    }
    for word in requirements.into_iter().filter(|w| !w.dynamic) {
        let parsed = judge(&word.text);
        if let Verdict::Unpinned(loose) = parsed.verdict {
            hits.push(ShellHit {
                code: Code::InstallUnlocked,
                id: format!("{tool} install {}", word.text),
                span: word.span.clone(),
                message: format!("`{tool} install` of `{}` {}", word.text, loose.why),
                fix: Some(format!(
                    "`{tool} install {}` with the version you test with, or `{tool} install -r \
                     requirements.txt` with pinned, hashed requirements",
                    loose.pinned
                )),
            });
        }
    }
}
