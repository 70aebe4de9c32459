//! Small helpers over `toml-span` values: parsing a file into a [`PinsError::Parse`] on bad
//! TOML, reading strings with their byte spans, and the span of a table's `[header]`.
//!
//! Every model in this module keeps owned strings and byte ranges instead of borrowing the
//! `toml-span` tree, so manifests and lockfiles can be cross-referenced freely after parsing.

use crate::{PinsError, SourceFile};
use std::ops::Range;
use toml_span::Value;
use toml_span::value::{Key, Table};

/// A string from the file with the byte span of its text (string values: without the quotes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Spanned {
    /// The text.
    pub value: String,
    /// Where it is.
    pub span: Range<usize>,
}

impl Spanned {
    /// The string value of `value`, if it is a string.
    pub fn of(value: &Value<'_>) -> Option<Spanned> {
        value.as_str().map(|s| Spanned {
            value: s.to_owned(),
            span: value.span.into(),
        })
    }

    /// A key's name and span.
    pub fn key(key: &Key<'_>) -> Spanned {
        Spanned {
            value: key.name.to_string(),
            span: key.span.into(),
        }
    }
}

/// Parses `file` as TOML; a syntax error becomes [`PinsError::Parse`] at its line and column.
pub(super) fn parse(file: &SourceFile) -> Result<Value<'_>, PinsError> {
    toml_span::parse(&file.text).map_err(|error| {
        let location = file.location(error.span.into());
        PinsError::Parse {
            path: file.path.clone(),
            line: location.line,
            column: location.column,
            message: error.to_string(),
        }
    })
}

/// The entry `name` of `table` with its key (for the key's span).
pub(super) fn entry<'t, 'de>(
    table: &'t Table<'de>,
    name: &str,
) -> Option<(&'t Key<'de>, &'t Value<'de>)> {
    table.get_key_value(name)
}

/// The string at `name` in `table`.
pub(super) fn string(table: &Table<'_>, name: &str) -> Option<Spanned> {
    table.get(name).and_then(Spanned::of)
}

/// The strings of the array at `name` in `table` (other elements are skipped).
pub(super) fn strings(table: &Table<'_>, name: &str) -> Vec<String> {
    table
        .get(name)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `value` is `{ workspace = true }` (also written `key.workspace = true`).
pub(super) fn inherits(value: &Value<'_>) -> bool {
    value
        .as_table()
        .and_then(|t| t.get("workspace"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The span of the `[name]` header that `key` is written in, or of the key itself when it is
/// not a bracketed header (a dotted key `package.name = ...`, an inline table).
pub(super) fn header(text: &str, key: &Key<'_>) -> Range<usize> {
    let span: Range<usize> = key.span.into();
    let bytes = text.as_bytes();
    let open = span
        .start
        .checked_sub(1)
        .filter(|&i| bytes.get(i) == Some(&b'['));
    match open {
        Some(open) if bytes.get(span.end) == Some(&b']') => open..span.end + 1,
        _ => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileKind;

    #[test]
    fn bad_toml_is_a_parse_error_at_its_line() {
        let file = SourceFile::new("x/Cargo.toml", FileKind::CargoManifest, "[a]\nb = \n");
        let Err(PinsError::Parse { path, line, .. }) = parse(&file) else {
            panic!("expected a parse error");
        };
        assert_eq!((path.as_str(), line), ("x/Cargo.toml", 2));
    }

    #[test]
    fn headers_include_their_brackets_and_dotted_keys_do_not() {
        let text = "[package]\nname = \"a\"\n[workspace]\n";
        let file = SourceFile::new("Cargo.toml", FileKind::CargoManifest, text);
        let root = parse(&file).unwrap();
        let top = root.as_table().unwrap();
        let (key, _) = entry(top, "workspace").unwrap();
        assert_eq!(&text[header(text, key)], "[workspace]");
        let dotted = "package.name = \"a\"\n";
        let root = toml_span::parse(dotted).unwrap();
        let (key, _) = entry(root.as_table().unwrap(), "package").unwrap();
        assert_eq!(&dotted[header(dotted, key)], "package");
    }

    #[test]
    fn strings_and_inheritance() {
        let root = toml_span::parse("a = [\"x\", 1, \"y\"]\nv.workspace = true\nw = 2").unwrap();
        let top = root.as_table().unwrap();
        assert_eq!(strings(top, "a"), ["x", "y"]);
        assert!(inherits(&top["v"]));
        assert!(!inherits(&top["w"]));
        assert_eq!(string(top, "w"), None);
    }
}
