//! A JSON reader that keeps the byte span of every key and value, so a finding or a package can
//! point at the key of its entry (`serde_json` gives no spans). Objects keep their members in
//! document order, duplicates included. Malformed input is an error at the byte where it stops
//! being JSON; the reader never panics and never recurses deeper than [`Options::max_depth`].
//!
//! [`parse`] reads a whole document with the default [`Options`]; [`parse_with`] adds an offset
//! for text that starts inside a larger file, a different depth limit, or the stricter string
//! and looser word scanning some callers rely on.

use std::fmt;
use std::ops::Range;

/// A value and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value's bytes (strings include their quotes), shifted by [`Options::base`].
    pub span: Range<usize>,
    /// The value.
    pub value: Value,
}

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An object's members in document order.
    Object(Vec<Member>),
    /// An array's items in document order.
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
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// The key's bytes, quotes included, shifted by [`Options::base`].
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node,
}

/// Where and why a text is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset of the problem, shifted by [`Options::base`].
    pub offset: usize,
    /// What is wrong.
    pub kind: ErrorKind,
}

/// What is wrong with a text that is not JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// More text follows the document.
    TrailingText,
    /// Nesting is deeper than [`Options::max_depth`].
    TooDeep,
    /// The text ends where a value should start.
    UnexpectedEnd,
    /// No value starts here.
    ExpectedValue,
    /// An object member does not start with a string key.
    ExpectedKey,
    /// A key is not followed by `:`.
    ExpectedColon,
    /// An object member is followed by neither `,` nor `}`.
    ExpectedCommaOrBrace,
    /// An array item is followed by neither `,` nor `]`.
    ExpectedCommaOrBracket,
    /// A string has no closing quote (or, unless [`Options::reject_control_characters`], is
    /// broken by a raw line feed).
    UnterminatedString,
    /// A string holds a raw control character ([`Options::reject_control_characters`] only).
    ControlCharacter,
    /// A backslash is followed by no valid escape.
    InvalidEscape,
    /// A `\u` escape is not followed by four hex digits.
    InvalidUnicodeEscape,
}

impl ErrorKind {
    /// The default description, e.g. "expected `,` or `}` in object".
    pub fn message(self) -> &'static str {
        match self {
            ErrorKind::TrailingText => "unexpected text after the JSON document",
            ErrorKind::TooDeep => "JSON nested too deeply",
            ErrorKind::UnexpectedEnd => "unexpected end of JSON",
            ErrorKind::ExpectedValue => "expected a JSON value",
            ErrorKind::ExpectedKey => "expected a string",
            ErrorKind::ExpectedColon => "expected `:` after object key",
            ErrorKind::ExpectedCommaOrBrace => "expected `,` or `}` in object",
            ErrorKind::ExpectedCommaOrBracket => "expected `,` or `]` in array",
            ErrorKind::UnterminatedString => "unterminated string",
            ErrorKind::ControlCharacter => "control character in string",
            ErrorKind::InvalidEscape => "invalid escape in string",
            ErrorKind::InvalidUnicodeEscape => "invalid \\u escape",
        }
    }
}

impl JsonError {
    /// The default description of [`JsonError::kind`] (see [`ErrorKind::message`]).
    pub fn message(&self) -> &'static str {
        self.kind.message()
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message(), self.offset)
    }
}

impl std::error::Error for JsonError {}

/// How [`parse_with`] reads a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Added to every span and error offset: where the text starts in its file (e.g. after a
    /// byte-order mark). Default 0.
    pub base: usize,
    /// How deeply arrays and objects may nest before the text is refused. Default 256
    /// (`serde_json`'s own limit is 128).
    pub max_depth: usize,
    /// Whether a raw control character (below U+0020) in a string is an error, as JSON requires.
    /// By default only a raw line feed is, as an unterminated string.
    pub reject_control_characters: bool,
    /// How `true`, `false`, `null` and numbers are scanned. Default [`Words::Whole`].
    pub words: Words,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base: 0,
            max_depth: 256,
            reject_control_characters: false,
            words: Words::Whole,
        }
    }
}

/// How bare words (`true`, `false`, `null`, numbers) are scanned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Words {
    /// The whole run of ASCII letters, digits, `+`, `-` and `.` must be a literal or a number
    /// (digits first, after an optional `-`): `1x` is not a JSON value.
    #[default]
    Whole,
    /// A literal is its exact letters and a number the run of digits, `+`, `-`, `.`, `e` and
    /// `E` after a leading `-` or digit, unchecked; whatever follows is read as the next token:
    /// `1x` is the number `1` and then unexpected text.
    Prefix,
}

impl Node {
    /// The members of an object (none for other values).
    pub fn members(&self) -> &[Member] {
        self.as_object().unwrap_or_default()
    }

    /// The members of an object, or `None` for other values.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The items of an array, or `None` for other values.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The value of member `key`; the last duplicate wins, as in `serde_json` and npm.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.members()
            .iter()
            .rev()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The value of member `key`, the first duplicate winning (unlike [`Node::get`]).
    pub fn get_first(&self, key: &str) -> Option<&Node> {
        self.members()
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The string value.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether the value is `true`.
    pub fn is_true(&self) -> bool {
        self.value == Value::Bool(true)
    }

    /// Whether member `key` ([`Node::get`]) is `true`.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).is_some_and(Node::is_true)
    }

    /// The string member `key` ([`Node::get`]).
    pub fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// The value's type with its article, for messages: "an object", "a string", "null".
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// The tree of `text` read with the default [`Options`], or where it stops being JSON.
pub fn parse(text: &str) -> Result<Node, JsonError> {
    parse_with(text, &Options::default())
}

/// The tree of `text` read with `options`, or where it stops being JSON.
pub fn parse_with(text: &str, options: &Options) -> Result<Node, JsonError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        options,
    };
    let node = reader.value(0)?;
    reader.blank();
    if reader.pos == text.len() {
        Ok(node)
    } else {
        Err(reader.error(ErrorKind::TrailingText))
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    options: &'a Options,
}

impl Reader<'_> {
    fn error(&self, kind: ErrorKind) -> JsonError {
        self.error_at(self.pos, kind)
    }

    fn error_at(&self, at: usize, kind: ErrorKind) -> JsonError {
        JsonError {
            offset: self.options.base + at.min(self.text.len()),
            kind,
        }
    }

    fn span(&self, start: usize) -> Range<usize> {
        self.options.base + start..self.options.base + self.pos
    }

    fn blank(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, kind: ErrorKind) -> Result<(), JsonError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(kind))
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
        if depth > self.options.max_depth {
            return Err(self.error(ErrorKind::TooDeep));
        }
        self.blank();
        let start = self.pos;
        let value = match self.bytes.get(self.pos) {
            None => return Err(self.error(ErrorKind::UnexpectedEnd)),
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
                        self.expect(b',', ErrorKind::ExpectedCommaOrBracket)?;
                    }
                }
                Value::Array(items)
            }
            Some(b'"') => Value::String(self.string()?),
            Some(_) => match self.options.words {
                Words::Whole => self.whole_word()?,
                Words::Prefix => self.prefix_word()?,
            },
        };
        Ok(Node {
            span: self.span(start),
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
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error(ErrorKind::ExpectedKey));
            }
            let key = self.string()?;
            let key_span = self.span(key_start);
            self.expect(b':', ErrorKind::ExpectedColon)?;
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            if self.eat(b'}') {
                return Ok(members);
            }
            self.expect(b',', ErrorKind::ExpectedCommaOrBrace)?;
        }
    }

    /// `true`, `false`, `null` or a number: the whole run of word characters ([`Words::Whole`]).
    fn whole_word(&mut self) -> Result<Value, JsonError> {
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
            _ => return Err(self.error(ErrorKind::ExpectedValue)),
        };
        self.pos += len;
        Ok(value)
    }

    /// `true`, `false`, `null` or a number: as far as it goes ([`Words::Prefix`]).
    fn prefix_word(&mut self) -> Result<Value, JsonError> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        for (literal, value) in [
            ("true", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("null", Value::Null),
        ] {
            if rest.first() == literal.as_bytes().first() {
                if !rest.starts_with(literal.as_bytes()) {
                    break;
                }
                self.pos += literal.len();
                return Ok(value);
            }
        }
        if !matches!(rest.first(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.error(ErrorKind::ExpectedValue));
        }
        let len = rest
            .iter()
            .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
            .unwrap_or(rest.len());
        // Only ASCII bytes were counted, so both ends are char boundaries.
        let number = self.text.get(self.pos..self.pos + len).unwrap_or_default();
        self.pos += len;
        Ok(Value::Number(number.to_owned()))
    }

    /// A string at the cursor (its opening quote), unescaped.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let strict = self.options.reject_control_characters;
        let mut out = String::new();
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let Some(run) = rest.iter().position(|&b| {
                b == b'"' || b == b'\\' || if strict { b < 0x20 } else { b == b'\n' }
            }) else {
                self.pos = self.text.len();
                return Err(self.error(ErrorKind::UnterminatedString));
            };
            // Stops only at ASCII bytes, so both ends are char boundaries.
            out.push_str(self.text.get(self.pos..self.pos + run).unwrap_or_default());
            self.pos += run;
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {}
                _ if strict => return Err(self.error(ErrorKind::ControlCharacter)),
                _ => return Err(self.error(ErrorKind::UnterminatedString)),
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
                _ => return Err(self.error_at(self.pos - 1, ErrorKind::InvalidEscape)),
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
        let code = u32::from_str_radix(hex, 16)
            .map_err(|_| self.error(ErrorKind::InvalidUnicodeEscape))?;
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

    /// The options of a reader that refuses control characters and scans words by prefix.
    const STRICT_PREFIX: Options = Options {
        base: 0,
        max_depth: 128,
        reject_control_characters: true,
        words: Words::Prefix,
    };

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
        // The last duplicate wins, like `serde_json`; `get_first` keeps the first.
        assert_eq!(root.get("a").unwrap().value, Value::Number("2".into()));
        assert_eq!(root.get_first("a").unwrap().type_name(), "an object");
        assert_eq!(inner.value.as_array().map(<[Node]>::len), Some(3));
        assert!(parse("[true]").unwrap().span == (0..6));
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

    #[test]
    fn offsets_shift_by_the_base() {
        let options = Options {
            base: 3,
            ..Options::default()
        };
        let root = parse_with(r#"{"k": false}"#, &options).unwrap();
        assert_eq!(root.members()[0].key_span, 4..7);
        assert!(!root.flag("k"));
        assert_eq!(parse_with("{} x", &options).unwrap_err().offset, 6);
    }

    #[test]
    fn strict_prefix_options_keep_key_order_and_refuse_control_characters() {
        let text = "{\"b\": [1, true, null], \"a\": {\"x\\n\\u00e9\": \"y\"}}";
        let json = parse_with(text, &STRICT_PREFIX).unwrap();
        let members = json.as_object().unwrap();
        assert_eq!(members[0].key, "b");
        assert_eq!(&text[members[1].key_span.clone()], "\"a\"");
        let inner = members[1].value.as_object().unwrap();
        assert_eq!(inner[0].key, "x\n\u{e9}");
        assert_eq!(inner[0].value.as_str(), Some("y"));

        let err = parse_with("{\"a\": 1,, }", &STRICT_PREFIX).unwrap_err();
        assert_eq!((err.offset, err.kind), (8, ErrorKind::ExpectedKey));
        let err = parse_with("[\"a\tb\"]", &STRICT_PREFIX).unwrap_err();
        assert_eq!((err.offset, err.kind), (3, ErrorKind::ControlCharacter));
        assert_eq!(
            parse("[\"a\tb\"]").unwrap().as_array().unwrap()[0].as_str(),
            Some("a\tb")
        );
        let err = parse_with("[1x]", &STRICT_PREFIX).unwrap_err();
        assert_eq!(
            (err.offset, err.kind),
            (2, ErrorKind::ExpectedCommaOrBracket)
        );
        let err = parse("[1x]").unwrap_err();
        assert_eq!((err.offset, err.kind), (1, ErrorKind::ExpectedValue));
        assert!(parse_with("[1, 2", &STRICT_PREFIX).is_err());
        assert!(parse_with("\"\\u12", &STRICT_PREFIX).is_err());
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).is_ok());
        let err = parse_with(&deep, &STRICT_PREFIX).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooDeep);
    }
}
