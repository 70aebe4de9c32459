//! What a simple command runs: the program behind shell keywords, `NAME=value` assignments and
//! wrappers such as `sudo -E` or `env`, and for an interpreter where its program comes from
//! (standard input, an inline `-c` string, or a file).

use super::lex::Word;

/// Shell keywords that may precede a command in a flattened compound command.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time",
];

/// The file name of a command word (`/usr/bin/curl` → `curl`).
pub(crate) fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// Index of the first word that is not a shell keyword: where the command, as written, starts.
pub(crate) fn first_word(words: &[Word]) -> usize {
    words
        .iter()
        .position(|w| !KEYWORDS.contains(&w.text.as_str()))
        .unwrap_or(words.len())
}

/// The words from the program the command runs: keywords, leading assignments and wrappers
/// (`sudo`, `doas`, `env`, `command`, `exec`, `nohup`, `time`, `nice`, `timeout`) skipped.
pub(crate) fn program(words: &[Word]) -> &[Word] {
    let mut i = first_word(words);
    while let Some(word) = words.get(i) {
        let text = word.text.as_str();
        if is_assignment(text) {
            i += 1;
            continue;
        }
        let (options_with_value, positional_skip): (&[&str], usize) = match basename(text) {
            "sudo" | "doas" => (
                &[
                    "-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user",
                    "--group", "--host", "--prompt", "--chdir", "--role", "--type",
                ],
                0,
            ),
            "env" => (&["-u", "-C", "-S", "--unset", "--chdir"], 0),
            "exec" => (&["-a"], 0),
            "nice" => (&["-n", "--adjustment"], 0),
            "timeout" => (&["-s", "-k", "--signal", "--kill-after"], 1),
            "command" | "builtin" | "nohup" | "time" | "stdbuf" => (&[], 0),
            _ => break,
        };
        i = skip_options(words, i + 1, options_with_value) + positional_skip;
        // `env` also takes assignments after its options; the loop skips them.
    }
    words.get(i..).unwrap_or_default()
}

/// `NAME=value`: an assignment before the command name.
fn is_assignment(text: &str) -> bool {
    text.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Index of the first word at or after `from` that is not an option (`--` ends the options).
fn skip_options(words: &[Word], from: usize, with_value: &[&str]) -> usize {
    let mut i = from;
    while let Some(word) = words.get(i) {
        let text = word.text.as_str();
        if text == "--" {
            return i + 1;
        }
        if !text.starts_with('-') || text == "-" {
            break;
        }
        i += if with_value.contains(&text) { 2 } else { 1 };
    }
    i
}

/// Where an interpreter gets the program it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// Standard input: `sh`, `bash -s`, `python -`.
    Stdin,
    /// The argument at this index of the command's words: `sh -c '...'`, `perl -e '...'`.
    Inline(usize),
    /// A script file named by the argument at this index: `bash <(...)`, `python x.py`.
    File(usize),
    /// Something else (`python -m json.tool`, `node --version`).
    Other,
}

/// How an interpreter's options say where its program is.
struct Interpreter {
    /// Short options whose value (attached or next) is the program text.
    inline: &'static str,
    /// Short options that make it read the program from standard input.
    stdin: &'static str,
    /// Short options that take a value (attached or next).
    value: &'static str,
    /// Short options after which no program is run from anywhere we track.
    other: &'static str,
    /// Long options whose value is the program text.
    inline_long: &'static [&'static str],
    /// Long options taking the next word as value.
    value_long: &'static [&'static str],
}

const SHELL: Interpreter = Interpreter {
    inline: "c",
    stdin: "s",
    value: "oO",
    other: "",
    inline_long: &[],
    value_long: &["--rcfile", "--init-file"],
};
const PYTHON: Interpreter = Interpreter {
    inline: "c",
    stdin: "",
    value: "WXQ",
    other: "mVh",
    inline_long: &[],
    value_long: &["--check-hash-based-pycs"],
};
const PERL: Interpreter = Interpreter {
    inline: "eE",
    stdin: "",
    value: "",
    other: "vh",
    inline_long: &[],
    value_long: &[],
};
const RUBY: Interpreter = Interpreter {
    inline: "e",
    stdin: "",
    value: "rICE",
    other: "vh",
    inline_long: &[],
    value_long: &[],
};
const NODE: Interpreter = Interpreter {
    inline: "ep",
    stdin: "",
    value: "r",
    other: "vh",
    inline_long: &["--eval", "--print"],
    value_long: &["--require", "--import", "--loader", "--experimental-loader"],
};

/// Whether `name` is an interpreter a downloaded script could be fed to.
pub(crate) fn is_interpreter(name: &str) -> bool {
    interpreter(name).is_some()
}

fn interpreter(name: &str) -> Option<&'static Interpreter> {
    match name {
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "ash" | "mksh" | "fish" => Some(&SHELL),
        "perl" => Some(&PERL),
        "ruby" => Some(&RUBY),
        "node" | "nodejs" => Some(&NODE),
        _ if is_python(name) => Some(&PYTHON),
        _ => None,
    }
}

/// `python`, `python3`, `python3.12`.
pub(crate) fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Where the interpreter `words[0]` takes its program from, or `None` if it is none.
pub(crate) fn source(words: &[Word]) -> Option<Source> {
    let interp = interpreter(basename(&words.first()?.text))?;
    let mut inline_pending = false;
    let mut i = 1;
    while let Some(word) = words.get(i) {
        let text = word.text.as_str();
        let positional = !text.starts_with('-') || text.len() == 1;
        if text == "-" {
            return Some(Source::Stdin);
        }
        if positional || text == "--" {
            let at = if text == "--" { i + 1 } else { i };
            if words.get(at).is_none() {
                break;
            }
            return Some(if inline_pending {
                Source::Inline(at)
            } else {
                Source::File(at)
            });
        }
        if let Some(long) = text.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            let name = format!("--{name}");
            if interp.inline_long.contains(&name.as_str()) {
                if long.contains('=') {
                    return Some(Source::Inline(i));
                }
                inline_pending = true;
            } else if interp.value_long.contains(&name.as_str()) && !long.contains('=') {
                i += 1;
            }
            i += 1;
            continue;
        }
        let cluster = text.get(1..).unwrap_or_default();
        for (k, c) in cluster.char_indices() {
            let attached = cluster.len() > k + c.len_utf8();
            if interp.inline.contains(c) {
                if attached {
                    return Some(Source::Inline(i));
                }
                inline_pending = true;
                break;
            }
            if interp.stdin.contains(c) {
                return Some(Source::Stdin);
            }
            if interp.other.contains(c) {
                return Some(Source::Other);
            }
            if interp.value.contains(c) {
                if !attached {
                    i += 1;
                }
                break;
            }
        }
        i += 1;
    }
    Some(if inline_pending {
        Source::Other
    } else {
        Source::Stdin
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::lex::parse;

    fn words(script: &str) -> Vec<Word> {
        parse(script, 0..script.len())
            .into_iter()
            .next()
            .and_then(|p| p.into_iter().next())
            .map(|c| c.words)
            .unwrap_or_default()
    }

    fn program_of(script: &str) -> Vec<String> {
        program(&words(script))
            .iter()
            .map(|w| w.text.clone())
            .collect()
    }

    #[test]
    fn wrappers_and_assignments_are_skipped() {
        assert_eq!(program_of("sudo -E bash -"), ["bash", "-"]);
        assert_eq!(program_of("sudo -u root -H sh"), ["sh"]);
        assert_eq!(
            program_of("FOO=1 BAR=2 env -i X=3 cargo install x"),
            ["cargo", "install", "x"]
        );
        assert_eq!(
            program_of("if ! timeout 5 nice -n 10 curl x"),
            ["curl", "x"]
        );
        assert_eq!(program_of("/usr/bin/env python3 -"), ["python3", "-"]);
        assert_eq!(program_of("FOO=1"), Vec::<String>::new());
    }

    #[test]
    fn interpreters_know_where_their_program_is() {
        let s = |script: &str| source(program(&words(script)));
        assert_eq!(s("sh"), Some(Source::Stdin));
        assert_eq!(s("bash -s -- --flag"), Some(Source::Stdin));
        assert_eq!(s("bash -x -o pipefail"), Some(Source::Stdin));
        assert_eq!(s("sudo sh -"), Some(Source::Stdin));
        assert_eq!(s("python3 -u"), Some(Source::Stdin));
        assert_eq!(s("sh -c 'echo hi'"), Some(Source::Inline(2)));
        assert_eq!(s("bash -ec 'echo hi'"), Some(Source::Inline(2)));
        assert_eq!(s("python -c'print(1)'"), Some(Source::Inline(1)));
        assert_eq!(s("perl -ne 'print'"), Some(Source::Inline(2)));
        assert_eq!(s("node --eval=1"), Some(Source::Inline(1)));
        assert_eq!(s("python3 -m json.tool"), Some(Source::Other));
        assert_eq!(s("python3 -W ignore script.py"), Some(Source::File(3)));
        assert_eq!(s("bash install.sh"), Some(Source::File(1)));
        assert_eq!(s("ruby -r json x.rb"), Some(Source::File(3)));
        assert_eq!(s("grep x"), None);
        assert!(is_python("python3.12") && !is_python("pythonista"));
    }
}
