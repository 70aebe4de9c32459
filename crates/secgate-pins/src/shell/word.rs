//! Words of shell text: quote removal, escapes, and the `$(...)`, `` `...` ``, `<(...)` and
//! `${...}` expansions inside a word, kept verbatim in its text and recorded as substitutions
//! so their insides are scanned as scripts too.

use super::lex::Lexer;
use std::ops::Range;

/// A word of a command, as the shell would pass it after quote removal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Word {
    /// The raw bytes of the word in the script.
    pub span: Range<usize>,
    /// The text with quotes removed and escapes resolved; expansions are kept verbatim.
    pub text: String,
    /// Whether the text contains an expansion (`$x`, `${x}`, `$(...)`), whose value is unknown.
    pub dynamic: bool,
    /// Command and process substitutions inside the word.
    pub subs: Vec<Sub>,
}

/// A `$(...)`, `` `...` `` or `<(...)` inside a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sub {
    /// The bytes of the script between the delimiters.
    pub inner: Range<usize>,
    /// `<(...)` or `>(...)`: the shell passes a file name that reads the output.
    pub process: bool,
}

impl Lexer<'_> {
    /// Pushes the character at the cursor and moves past it.
    fn push_char(&mut self, text: &mut String) {
        if let Some(c) = self
            .s
            .get(self.pos..self.end)
            .and_then(|r| r.chars().next())
        {
            text.push(c);
            self.pos += c.len_utf8();
        } else {
            self.pos = self.end;
        }
    }

    pub(super) fn word(&mut self) -> Word {
        let start = self.pos;
        let mut w = Word::default();
        while let Some(c) = self.peek(0) {
            match c {
                b'<' | b'>' if self.peek(1) == Some(b'(') => {
                    let (inner_end, after) = self.match_paren(self.pos + 2);
                    w.subs.push(Sub {
                        inner: self.pos + 2..inner_end,
                        process: true,
                    });
                    w.dynamic = true;
                    w.text.push_str(self.slice(self.pos, after));
                    self.pos = after;
                }
                b' ' | b'\t' | b'\r' | b'\n' | b'|' | b'&' | b';' | b'(' | b')' | b'<' | b'>' => {
                    break;
                }
                b'\\' => match self.continuation_len() {
                    0 => {
                        self.pos += 1;
                        self.push_char(&mut w.text);
                    }
                    n => self.pos += n,
                },
                b'\'' => {
                    let close = self.find(b'\'', self.pos + 1);
                    w.text.push_str(self.slice(self.pos + 1, close));
                    self.pos = (close + 1).min(self.end);
                }
                b'"' => {
                    self.pos += 1;
                    self.double_quoted(&mut w);
                }
                b'$' => self.dollar(&mut w, false),
                b'`' => self.backtick(&mut w),
                _ => self.push_char(&mut w.text),
            }
        }
        w.span = start..self.pos;
        w
    }

    /// The rest of a `"..."` string, the opening quote already consumed.
    fn double_quoted(&mut self, w: &mut Word) {
        while let Some(c) = self.peek(0) {
            match c {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' => match self.peek(1) {
                    Some(b'\n') => self.pos += 2,
                    Some(b'$' | b'`' | b'"' | b'\\') => {
                        self.pos += 1;
                        self.push_char(&mut w.text);
                    }
                    _ => self.push_char(&mut w.text),
                },
                b'$' => self.dollar(w, true),
                b'`' => self.backtick(w),
                _ => self.push_char(&mut w.text),
            }
        }
    }

    /// A `$` expansion at the cursor; its raw text is kept in the word.
    fn dollar(&mut self, w: &mut Word, quoted: bool) {
        let start = self.pos;
        match self.peek(1) {
            Some(b'(') => {
                let arithmetic = self.peek(2) == Some(b'(');
                let (inner_end, after) = self.match_paren(start + 2);
                if !arithmetic {
                    w.subs.push(Sub {
                        inner: start + 2..inner_end,
                        process: false,
                    });
                }
                self.pos = after;
            }
            Some(b'{') => self.pos = self.match_brace(start + 2),
            Some(b'\'') if !quoted => {
                // `$'...'`: ANSI-C quoting; `\'` does not close it.
                let mut i = start + 2;
                while i < self.end && self.b.get(i) != Some(&b'\'') {
                    i += if self.b.get(i) == Some(&b'\\') { 2 } else { 1 };
                }
                w.text.push_str(self.slice(start + 2, i));
                self.pos = (i + 1).min(self.end);
                return;
            }
            Some(c) if c.is_ascii_alphanumeric() || b"_@*#?$!-".contains(&c) => {
                self.pos += 1;
                if c.is_ascii_alphabetic() || c == b'_' {
                    while self
                        .peek(0)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                    {
                        self.pos += 1;
                    }
                } else {
                    self.pos += 1;
                }
            }
            _ => {
                // A lone `$` (or `$"..."`) is literal.
                self.pos += 1;
                if self.peek(0) != Some(b'"') || quoted {
                    w.text.push('$');
                }
                return;
            }
        }
        w.dynamic = true;
        w.text.push_str(self.slice(start, self.pos));
    }

    fn backtick(&mut self, w: &mut Word) {
        let start = self.pos;
        let mut i = start + 1;
        while i < self.end && self.b.get(i) != Some(&b'`') {
            i += if self.b.get(i) == Some(&b'\\') { 2 } else { 1 };
        }
        let inner_end = i.min(self.end);
        w.subs.push(Sub {
            inner: start + 1..inner_end,
            process: false,
        });
        w.dynamic = true;
        self.pos = (inner_end + 1).min(self.end);
        w.text.push_str(self.slice(start, self.pos));
    }

    /// From just after an opening `(`: (end of the inner text, index after the closing `)`).
    pub(super) fn match_paren(&self, from: usize) -> (usize, usize) {
        self.match_close(from, b'(', b')')
    }

    /// From just after `${`: the index after the closing `}`.
    fn match_brace(&self, from: usize) -> usize {
        self.match_close(from, b'{', b'}').1
    }

    fn match_close(&self, from: usize, open: u8, close: u8) -> (usize, usize) {
        let mut depth = 1usize;
        let mut i = from;
        while let Some(&c) = self.b.get(i).filter(|_| i < self.end) {
            match c {
                b'\\' => i += 2,
                b'\'' => i = self.find(b'\'', i + 1) + 1,
                b'"' => {
                    i += 1;
                    while let Some(&d) = self.b.get(i).filter(|_| i < self.end) {
                        match d {
                            b'\\' => i += 2,
                            b'"' => break,
                            _ => i += 1,
                        }
                    }
                    i += 1;
                }
                b'`' => i = self.find(b'`', i + 1) + 1,
                _ if c == open => {
                    depth += 1;
                    i += 1;
                }
                _ if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return (i, i + 1);
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        (self.end, self.end)
    }
}
