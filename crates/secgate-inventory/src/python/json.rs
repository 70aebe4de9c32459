//! A small JSON reader that keeps the byte span of every value and object key, so an entry of a
//! `Pipfile.lock` can point at the line of its key. Objects keep their keys in file order.

use std::ops::Range;

/// A JSON value with the byte span it covers.
#[derive(Debug)]
pub(crate) struct Json {
    pub span: Range<usize>,
    pub kind: Kind,
}

/// The JSON types.
#[derive(Debug)]
pub(crate) enum Kind {
    Null,
    Bool,
    /// The number as written.
    Number,
    String(String),
    Array(Vec<Json>),
    /// Members in file order: (key, key span, value).
    Object(Vec<Member>),
}

/// One `"key": value` of an object.
#[derive(Debug)]
pub(crate) struct Member {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Json,
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match &self.kind {
            Kind::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn members(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Json]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

/// A syntax error at a byte offset.
pub(crate) struct SyntaxError {
    pub at: usize,
    pub message: &'static str,
}

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 128;

/// Parses a whole JSON document.
pub(crate) fn parse(text: &str) -> Result<Json, SyntaxError> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    let value = p.value(0)?;
    p.blank();
    if p.pos < p.bytes.len() {
        return Err(p.fail("unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn fail(&self, message: &'static str) -> SyntaxError {
        SyntaxError {
            at: self.pos,
            message,
        }
    }

    fn blank(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.fail("JSON nested too deeply"));
        }
        self.blank();
        let start = self.pos;
        let kind =
            match self.bytes.get(self.pos) {
                None => return Err(self.fail("unexpected end of JSON")),
                Some(b'{') => self.object(depth)?,
                Some(b'[') => self.array(depth)?,
                Some(b'"') => Kind::String(self.string()?),
                Some(b't') => self.word("true", Kind::Bool)?,
                Some(b'f') => self.word("false", Kind::Bool)?,
                Some(b'n') => self.word("null", Kind::Null)?,
                Some(b'-' | b'0'..=b'9') => {
                    while self.bytes.get(self.pos).is_some_and(|b| {
                        matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                    }) {
                        self.pos += 1;
                    }
                    Kind::Number
                }
                Some(_) => return Err(self.fail("expected a JSON value")),
            };
        Ok(Json {
            span: start..self.pos,
            kind,
        })
    }

    fn word(&mut self, word: &'static str, kind: Kind) -> Result<Kind, SyntaxError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.fail("expected a JSON value"))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Kind, SyntaxError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.blank();
        if self.eat(b'}') {
            return Ok(Kind::Object(members));
        }
        loop {
            self.blank();
            let key_start = self.pos;
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.fail("expected a string key"));
            }
            let key = self.string()?;
            let key_span = key_start..self.pos;
            self.blank();
            if !self.eat(b':') {
                return Err(self.fail("expected `:` after the key"));
            }
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.blank();
            if self.eat(b'}') {
                return Ok(Kind::Object(members));
            }
            if !self.eat(b',') {
                return Err(self.fail("expected `,` or `}`"));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Kind, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.blank();
        if self.eat(b']') {
            return Ok(Kind::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.blank();
            if self.eat(b']') {
                return Ok(Kind::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.fail("expected `,` or `]`"));
            }
        }
    }

    /// A string starting at the opening quote; escapes decoded.
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while self
                .bytes
                .get(self.pos)
                .is_some_and(|b| *b != b'"' && *b != b'\\' && *b >= 0x20)
            {
                self.pos += 1;
            }
            // Stops only at ASCII bytes, so both ends are char boundaries.
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.fail("control character in a string")),
                None => return Err(self.fail("unterminated string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let c = match self.bytes.get(self.pos) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let code = self.hex4(self.pos + 1)?;
                self.pos += 4;
                let code = if (0xD800..0xDC00).contains(&code)
                    && self.bytes.get(self.pos + 1..self.pos + 3) == Some(b"\\u")
                {
                    let low = self.hex4(self.pos + 3)?;
                    self.pos += 6;
                    0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
                } else {
                    code
                };
                char::from_u32(code).unwrap_or('\u{FFFD}')
            }
            _ => return Err(self.fail("invalid escape in a string")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&self, at: usize) -> Result<u32, SyntaxError> {
        self.text
            .get(at..at + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or(SyntaxError {
                at,
                message: "invalid `\\u` escape",
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_spans_and_order() {
        let text = "{\"b\": [1, true, null], \"a\": {\"x\\n\\u00e9\": \"y\"}}";
        let json = parse(text).ok().unwrap();
        let members = json.members().unwrap();
        assert_eq!(members[0].key, "b");
        assert_eq!(&text[members[1].key_span.clone()], "\"a\"");
        let inner = members[1].value.members().unwrap();
        assert_eq!(inner[0].key, "x\n\u{e9}");
        assert_eq!(inner[0].value.as_str(), Some("y"));
    }

    #[test]
    fn reports_errors_with_offsets() {
        let err = parse("{\"a\": 1,, }").err().unwrap();
        assert_eq!(err.at, 8);
        assert!(parse("[1, 2").is_err());
        assert!(parse("\"\\u12").is_err());
    }
}
