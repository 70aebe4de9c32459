//! A JSON reader that keeps the byte span of every key and value, so each package-lock entry
//! points at its key. `serde_json` gives no spans; this reader also reports where malformed
//! input stops being JSON, and never panics or recurses without bound.

use std::ops::Range;

/// How deeply nested a document may be (`serde_json`'s own limit is 128).
const MAX_DEPTH: usize = 256;

/// A value and where it is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    /// The value's bytes (strings include their quotes).
    pub span: Range<usize>,
    /// The value.
    pub value: Value,
}

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// An object's members in document order.
    Object(Vec<Member>),
    /// An array.
    Array(Vec<Node>),
    /// A string, unescaped.
    String(String),
    /// A number, as written.
    Number(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// One `"key": value` of an object.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Member {
    /// The key, unescaped.
    pub key: String,
    /// The key's bytes, quotes included.
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node,
}

/// Where and why a text is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct JsonError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl Node {
    /// The members of an object (none for other values).
    pub(crate) fn members(&self) -> &[Member] {
        match &self.value {
            Value::Object(members) => members,
            _ => &[],
        }
    }

    /// The value of member `key`; the last duplicate wins, as in `serde_json` and npm.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.members()
            .iter()
            .rev()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The string value.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether member `key` is `true`.
    pub(crate) fn flag(&self, key: &str) -> bool {
        self.get(key).is_some_and(|n| n.value == Value::Bool(true))
    }

    /// The string member `key`.
    pub(crate) fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }
}

/// The tree of `text`, or where it stops being JSON.
pub(crate) fn parse(text: &str) -> Result<Node, JsonError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    let node = reader.value(0)?;
    reader.blank();
    if reader.pos == text.len() {
        Ok(node)
    } else {
        Err(reader.error("unexpected text after the JSON document"))
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, message: &str) -> JsonError {
        JsonError {
            offset: self.pos.min(self.text.len()),
            message: message.to_owned(),
        }
    }

    fn blank(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, message: &str) -> Result<(), JsonError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(message))
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.blank();
        let found = self.bytes.get(self.pos) == Some(&byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("JSON nested too deeply"));
        }
        self.blank();
        let start = self.pos;
        let value = match self.bytes.get(self.pos) {
            None => return Err(self.error("unexpected end of JSON")),
            Some(b'{') => {
                self.pos += 1;
                Value::Object(self.members(depth)?)
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        self.expect(b',', "expected `,` or `]` in array")?;
                    }
                }
                Value::Array(items)
            }
            Some(b'"') => Value::String(self.string()?),
            Some(_) => self.word()?,
        };
        Ok(Node {
            span: start..self.pos,
            value,
        })
    }

    fn members(&mut self, depth: usize) -> Result<Vec<Member>, JsonError> {
        let mut members = Vec::new();
        if self.eat(b'}') {
            return Ok(members);
        }
        loop {
            self.blank();
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = key_start..self.pos;
            self.expect(b':', "expected `:` after object key")?;
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            if self.eat(b'}') {
                return Ok(members);
            }
            self.expect(b',', "expected `,` or `}` in object")?;
        }
    }

    /// `true`, `false`, `null` or a number.
    fn word(&mut self) -> Result<Value, JsonError> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
            .unwrap_or(rest.len());
        let word = self.text.get(self.pos..self.pos + len).unwrap_or_default();
        let value = match word {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            _ if is_number(word) => Value::Number(word.to_owned()),
            _ => return Err(self.error("expected a JSON value")),
        };
        self.pos += len;
        Ok(value)
    }

    /// A string at the cursor, unescaped.
    fn string(&mut self) -> Result<String, JsonError> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return Err(self.error("expected a string"));
        }
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let Some(run) = rest.iter().position(|b| matches!(b, b'"' | b'\\' | b'\n')) else {
                self.pos = self.text.len();
                return Err(self.error("unterminated string"));
            };
            out.push_str(self.text.get(self.pos..self.pos + run).unwrap_or_default());
            self.pos += run;
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {}
                _ => return Err(self.error("unterminated string")),
            }
            let escape = self.bytes.get(self.pos + 1).copied();
            self.pos += 2;
            match escape {
                Some(b'n') => out.push('\n'),
                Some(b't') => out.push('\t'),
                Some(b'r') => out.push('\r'),
                Some(b'b') => out.push('\u{8}'),
                Some(b'f') => out.push('\u{c}'),
                Some(b'u') => out.push(self.unicode()?),
                Some(b @ (b'"' | b'\\' | b'/')) => out.push(char::from(b)),
                _ => {
                    self.pos -= 1;
                    return Err(self.error("invalid escape in string"));
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (and its low surrogate), after the `\u`.
    fn unicode(&mut self) -> Result<char, JsonError> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high)
            && self.text.get(self.pos..self.pos + 2) == Some("\\u")
        {
            self.pos += 2;
            let low = self.hex4()?;
            0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
        } else {
            high
        };
        Ok(char::from_u32(code).unwrap_or('\u{fffd}'))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let hex = self.text.get(self.pos..self.pos + 4).unwrap_or_default();
        let code = u32::from_str_radix(hex, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.pos += 4;
        Ok(code)
    }
}

/// A JSON number, checked loosely (digits, sign, fraction, exponent).
fn is_number(word: &str) -> bool {
    let digits = word.strip_prefix('-').unwrap_or(word);
    digits.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_their_spans() {
        let text = r#"{ "a": {"b\"c": [1, true, null], "d": "x\u00e9\ud83d\ude00y"}, "a": 2 }"#;
        let root = parse(text).unwrap();
        let first = &root.members()[0];
        assert_eq!(&text[first.key_span.clone()], "\"a\"");
        let inner = &first.value.members()[0];
        assert_eq!(&text[inner.key_span.clone()], r#""b\"c""#);
        assert_eq!(&text[inner.value.span.clone()], "[1, true, null]");
        assert_eq!(first.value.str_of("d"), Some("xé😀y"));
        assert_eq!(root.get("a").unwrap().value, Value::Number("2".into()));
    }

    #[test]
    fn bad_input_is_an_error_at_its_offset() {
        for (bad, offset) in [
            ("", 0),
            ("{", 1),
            ("{\"a\" 1}", 5),
            ("[1 2]", 3),
            ("\"\\u12\"", 3),
            ("{} x", 3),
            ("\"open", 5),
            ("[tru]", 1),
        ] {
            assert_eq!(parse(bad).unwrap_err().offset, offset, "{bad}");
        }
        let deep = "[".repeat(300) + &"]".repeat(300);
        assert!(parse(&deep).is_err());
    }
}
