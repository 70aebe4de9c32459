//! A lexical split of shell text into pipelines of simple commands: quotes, `\`-newline
//! continuations, comments, redirections, heredoc bodies and `$(...)` / `` `...` `` / `<(...)`
//! substitutions are respected, so the rules see the words a shell would run. It is not a full
//! shell parser: compound commands (`if`, `for`, `{ ...; }`, `( ... )`) are flattened into the
//! simple commands they contain, which is all the pinning rules need.

pub(crate) use super::word::Word;
use std::ops::Range;

/// A simple command: its words, and the targets of its redirections kept apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Command {
    /// The words, command name first (assignments and wrappers included).
    pub words: Vec<Word>,
    /// Redirection targets (`> file`), which are not arguments.
    pub redirects: Vec<Word>,
}

impl Command {
    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.redirects.is_empty()
    }
}

/// Commands joined by `|` or `|&`.
pub(crate) type Pipeline = Vec<Command>;

/// The pipelines of the bytes `range` of `script`.
pub(crate) fn parse(script: &str, range: Range<usize>) -> Vec<Pipeline> {
    let end = range.end.min(script.len());
    let mut lexer = Lexer {
        s: script,
        b: script.as_bytes(),
        pos: range.start.min(end),
        end,
        heredocs: Vec::new(),
    };
    lexer.run()
}

pub(super) struct Lexer<'a> {
    pub(super) s: &'a str,
    pub(super) b: &'a [u8],
    pub(super) pos: usize,
    pub(super) end: usize,
    /// Heredoc delimiters whose bodies start after the next newline (delimiter, `<<-`).
    heredocs: Vec<(String, bool)>,
}

/// What a pipeline or command is split on; everything else is collected into words.
#[derive(Default)]
struct Parts {
    out: Vec<Pipeline>,
    pipeline: Pipeline,
    command: Command,
}

impl Parts {
    fn end_command(&mut self) {
        if !self.command.is_empty() {
            self.pipeline.push(std::mem::take(&mut self.command));
        }
    }

    fn end_pipeline(&mut self) {
        self.end_command();
        if !self.pipeline.is_empty() {
            self.out.push(std::mem::take(&mut self.pipeline));
        }
    }
}

impl Lexer<'_> {
    pub(super) fn peek(&self, ahead: usize) -> Option<u8> {
        let i = self.pos + ahead;
        if i < self.end {
            self.b.get(i).copied()
        } else {
            None
        }
    }

    pub(super) fn slice(&self, from: usize, to: usize) -> &str {
        self.s.get(from..to.min(self.end)).unwrap_or_default()
    }

    fn run(&mut self) -> Vec<Pipeline> {
        let mut parts = Parts::default();
        // The next word is the target of a redirection, not an argument.
        let mut redirect = false;
        while let Some(c) = self.peek(0) {
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.continuation_len() > 0 => self.pos += self.continuation_len(),
                b'\n' => {
                    self.pos += 1;
                    self.heredoc_bodies();
                    // A newline right after `|` continues the pipeline.
                    if !parts.command.is_empty() || parts.pipeline.is_empty() {
                        parts.end_pipeline();
                    }
                    redirect = false;
                }
                b'#' => self.pos = self.find(b'\n', self.pos),
                b'|' => {
                    if self.peek(1) == Some(b'|') {
                        self.pos += 2;
                        parts.end_pipeline();
                    } else {
                        self.pos += if self.peek(1) == Some(b'&') { 2 } else { 1 };
                        parts.end_command();
                    }
                }
                b'&' if self.peek(1) == Some(b'>') => {
                    self.pos += if self.peek(2) == Some(b'>') { 3 } else { 2 };
                    redirect = true;
                }
                b'&' | b';' => {
                    self.pos += if matches!(self.peek(1), Some(b'&' | b';')) {
                        2
                    } else {
                        1
                    };
                    parts.end_pipeline();
                }
                b'(' if self.peek(1) == Some(b'(') => {
                    // `(( arithmetic ))`: no commands inside, and `<<` there is a shift.
                    self.pos = self.match_paren(self.pos + 1).1;
                    parts.end_pipeline();
                }
                b'(' | b')' => {
                    self.pos += 1;
                    parts.end_pipeline();
                }
                b'<' | b'>' if self.peek(1) != Some(b'(') => redirect = self.redirection(),
                b'0'..=b'9' if self.fd_redirection() => {}
                _ => {
                    let word = self.word();
                    if redirect {
                        parts.command.redirects.push(word);
                        redirect = false;
                    } else {
                        parts.command.words.push(word);
                    }
                }
            }
        }
        parts.end_pipeline();
        parts.out
    }

    /// Bytes of a `\`-newline continuation at the cursor, or 0.
    pub(super) fn continuation_len(&self) -> usize {
        match (self.peek(0), self.peek(1), self.peek(2)) {
            (Some(b'\\'), Some(b'\n'), _) => 2,
            (Some(b'\\'), Some(b'\r'), Some(b'\n')) => 3,
            _ => 0,
        }
    }

    /// Index of the first `byte` at or after `from`, or the end.
    pub(super) fn find(&self, byte: u8, from: usize) -> usize {
        self.b
            .get(from..self.end)
            .and_then(|rest| rest.iter().position(|&b| b == byte))
            .map_or(self.end, |i| from + i)
    }

    /// `2>`, `10<`: skips the descriptor so the operator is lexed next; false for a plain word.
    fn fd_redirection(&mut self) -> bool {
        let mut i = self.pos;
        while i < self.end && self.b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let is_redirection = matches!(self.b.get(i), Some(b'<' | b'>')) && i < self.end;
        if is_redirection {
            self.pos = i;
        }
        is_redirection
    }

    /// A redirection operator at the cursor; returns whether a target word follows.
    fn redirection(&mut self) -> bool {
        if self.peek(0) == Some(b'<') && self.peek(1) == Some(b'<') {
            if self.peek(2) == Some(b'<') {
                self.pos += 3;
                return true;
            }
            let strip_tabs = self.peek(2) == Some(b'-');
            self.pos += if strip_tabs { 3 } else { 2 };
            while matches!(self.peek(0), Some(b' ' | b'\t')) {
                self.pos += 1;
            }
            if self.peek(0).is_some_and(|c| !b"\n|&;()<>".contains(&c)) {
                let delimiter = self.word().text;
                self.heredocs.push((delimiter, strip_tabs));
            }
            return false;
        }
        self.pos += 1;
        while matches!(self.peek(0), Some(b'>' | b'|' | b'&')) {
            self.pos += 1;
        }
        true
    }

    /// Skips the bodies of the heredocs opened on the line that just ended.
    fn heredoc_bodies(&mut self) {
        for (delimiter, strip_tabs) in std::mem::take(&mut self.heredocs) {
            while self.pos < self.end {
                let line_end = self.find(b'\n', self.pos);
                let line = self.slice(self.pos, line_end).trim_end_matches('\r');
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                let done = line == delimiter;
                self.pos = (line_end + 1).min(self.end);
                if done {
                    break;
                }
            }
        }
    }
}
