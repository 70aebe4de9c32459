//! A JSON tree that keeps the byte span of every key and value, so package.json and
//! package-lock.json findings point at the exact key. `serde_json` (which the caller runs first,
//! for its error messages) gives no spans; this reader is small because the text is already
//! known to be valid JSON, and it still returns `None` rather than panicking on anything else.

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

/// A JSON value; numbers and `null` are not needed and not kept.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// An object's members in document order.
    Object(Vec<Member>),
    /// An array.
    Array(Vec<Node>),
    /// A string, unescaped.
    String(String),
    /// `true` or `false`.
    Bool(bool),
    /// A number or `null`.
    Other,
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

impl Node {
    /// The members of an object (none for other values).
    pub(crate) fn members(&self) -> &[Member] {
        match &self.value {
            Value::Object(members) => members,
            _ => &[],
        }
    }

    /// The member `key` of an object; the last one wins, as in `serde_json`.
    pub(crate) fn get(&self, key: &str) -> Option<&Member> {
        self.members().iter().rev().find(|m| m.key == key)
    }

    /// The string value.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether the value is `true`.
    pub(crate) fn is_true(&self) -> bool {
        self.value == Value::Bool(true)
    }
}

/// The tree of `text` (valid JSON), offsets shifted by `base`.
pub(crate) fn parse(text: &str, base: usize) -> Option<Node> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        base,
    };
    let node = reader.value(0)?;
    reader.blank();
    (reader.pos == text.len()).then_some(node)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl Reader<'_> {
    fn blank(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
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

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.blank();
        let start = self.pos;
        let value = match self.bytes.get(self.pos)? {
            b'{' => {
                self.pos += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.blank();
                        let key_start = self.pos;
                        let key = self.string()?;
                        let key_span = self.base + key_start..self.base + self.pos;
                        if !self.eat(b':') {
                            return None;
                        }
                        let value = self.value(depth + 1)?;
                        members.push(Member {
                            key,
                            key_span,
                            value,
                        });
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Value::Object(members)
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Value::Array(items)
            }
            b'"' => Value::String(self.string()?),
            _ => {
                let len = self.bytes[self.pos..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
                    .unwrap_or(self.bytes.len() - self.pos);
                let word = self.text.get(self.pos..self.pos + len)?;
                self.pos += len;
                match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "" => return None,
                    _ => Value::Other,
                }
            }
        };
        Some(Node {
            span: self.base + start..self.base + self.pos,
            value,
        })
    }

    /// A string at the cursor, unescaped.
    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run = self
                .bytes
                .get(self.pos..)?
                .iter()
                .position(|b| matches!(b, b'"' | b'\\'))?;
            out.push_str(self.text.get(self.pos..self.pos + run)?);
            self.pos += run;
            if self.bytes.get(self.pos) == Some(&b'"') {
                self.pos += 1;
                return Some(out);
            }
            let escape = *self.bytes.get(self.pos + 1)?;
            self.pos += 2;
            match escape {
                b'n' => out.push('\n'),
                b't' => out.push('\t'),
                b'r' => out.push('\r'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'u' => {
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
                    out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                }
                other => out.push(char::from(other)),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let hex = self.text.get(self.pos..self.pos + 4)?;
        self.pos += 4;
        u32::from_str_radix(hex, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_their_spans() {
        let text = r#"{ "a": {"b\"c": [1, true, null], "d": "x\u00e9\ud83d\ude00y"}, "a": 2 }"#;
        let root = parse(text, 0).unwrap();
        let first = &root.members()[0];
        assert_eq!(&text[first.key_span.clone()], "\"a\"");
        let inner = first.value.get("b\"c").unwrap();
        assert_eq!(&text[inner.key_span.clone()], r#""b\"c""#);
        assert_eq!(&text[inner.value.span.clone()], "[1, true, null]");
        assert_eq!(first.value.get("d").unwrap().value.as_str(), Some("xé😀y"));
        // The last duplicate wins, like `serde_json`.
        assert_eq!(root.get("a").unwrap().value.value, Value::Other);
        assert!(parse("[true]", 0).unwrap().span == (0..6));
    }

    #[test]
    fn offsets_shift_by_the_base_and_bad_input_is_none() {
        let root = parse(r#"{"k": false}"#, 3).unwrap();
        assert_eq!(root.members()[0].key_span, 4..7);
        assert!(!root.members()[0].value.is_true());
        for bad in ["", "{", "{\"a\" 1}", "[1 2]", "\"\\u12\"", "{} x", "\"open"] {
            assert_eq!(parse(bad, 0), None, "{bad}");
        }
        let deep = "[".repeat(300) + &"]".repeat(300);
        assert_eq!(parse(&deep, 0), None);
    }
}
