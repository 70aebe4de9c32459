//! One line of a sums file: GNU coreutils (`<hex>  <file>`, `<hex> *<file>`) or BSD tag
//! (`SHA256 (<file>) = <hex>`), either one in the `\`-escaped form coreutils writes when a name
//! holds a backslash or a newline.
//!
//! Errors are the message of a `SignError::Parse`; the caller adds the file and line.

use super::digest::{Algorithm, Tag, decode_hex};
use std::ops::Range;

/// The expected shapes, for messages about lines that are none of them.
const EXPECTED: &str = "expected `<hex>  <file>`, `<hex> *<file>` or `SHA256 (<file>) = <hex>`";

/// A file a sums file lists.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Entry {
    /// The digest algorithm.
    pub algorithm: Algorithm,
    /// The listed digest.
    pub digest: Vec<u8>,
    /// The file name, unescaped, relative to the release directory.
    pub name: String,
    /// Where the name is written (escaped) in the line, in bytes.
    pub name_range: Range<usize>,
}

/// Parses one line (without its `\n`; a trailing `\r` is dropped). Blank and `#` comment lines
/// are `Ok(None)`.
pub(super) fn parse_line(line: &str) -> Result<Option<Entry>, String> {
    let content = line.strip_suffix('\r').unwrap_or(line);
    // coreutils skips leading blanks before the digest or tag, so a reindented file still checks.
    let body = content.trim_start_matches([' ', '\t']);
    if body.trim_end().is_empty() || body.starts_with('#') {
        return Ok(None);
    }
    let (escaped, body) = match body.strip_prefix('\\') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let start = content.len() - body.len();
    let token_end = body.find([' ', '\t', '(']).unwrap_or(body.len());
    let (token, after) = body.split_at(token_end);
    let is_hex = token.bytes().all(|b| b.is_ascii_hexdigit());
    let entry =
        if !token.is_empty() && !is_hex && (after.starts_with('(') || after.starts_with(" (")) {
            parse_bsd(token, after, start + token_end)?
        } else {
            parse_gnu(token, after, start + token_end)?
        };
    let name = raw_name(content, &entry.name_range)?;
    let name = if escaped {
        unescape(name)?
    } else {
        name.to_owned()
    };
    check_name(&name)?;
    Ok(Some(Entry { name, ..entry }))
}

/// `<hex>  <file>` or `<hex> *<file>`; `after` starts right after the digest, at byte `offset`
/// of the line. The returned entry's name is empty: the caller fills it from `name_range`.
fn parse_gnu(hex: &str, after: &str, offset: usize) -> Result<Entry, String> {
    if hex.is_empty() {
        return Err(format!("this line is not a checksum line: {EXPECTED}"));
    }
    if let Some(bad) = hex.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!(
            "`{}` is not a hex digest (`{}` is not a hex digit): {EXPECTED}",
            shorten(hex),
            bad.escape_default()
        ));
    }
    let algorithm = Algorithm::from_hex_len(hex.len()).ok_or_else(|| wrong_length(hex.len()))?;
    let digest = decode_hex(hex).ok_or_else(|| wrong_length(hex.len()))?;
    // coreutils writes two characters between digest and name: a blank, then ` ` (text mode)
    // or `*` (binary mode). A single space would make a name's own leading space ambiguous.
    let mut separator = after.chars();
    let first = separator.next();
    let mode = separator.next();
    if after.trim().is_empty() {
        return Err("no file name after the digest".to_owned());
    }
    if !matches!(first, Some(' ' | '\t')) || !matches!(mode, Some(' ' | '*')) {
        return Err(format!(
            "the digest must be followed by two spaces (or ` *` for binary mode) and the file \
             name: {EXPECTED}"
        ));
    }
    let name_start = offset + 2;
    let name_end = offset + after.len();
    if name_start >= name_end {
        return Err("no file name after the digest".to_owned());
    }
    Ok(Entry {
        algorithm,
        digest,
        name: String::new(),
        name_range: name_start..name_end,
    })
}

/// `TAG (<file>) = <hex>`; `after` starts right after the tag, at byte `offset` of the line.
/// The returned entry's name is empty: the caller fills it from `name_range`.
fn parse_bsd(tag: &str, after: &str, offset: usize) -> Result<Entry, String> {
    let algorithm = match Algorithm::from_tag(tag) {
        Tag::Strong(algorithm) => algorithm,
        Tag::Weak => {
            return Err(format!(
                "{} is too weak to gate on (collisions can be made): list SHA-256, SHA-384 \
                 or SHA-512 digests (`sha256sum`)",
                shorten(tag)
            ));
        }
        Tag::Unsupported => {
            return Err(format!(
                "`{}` digests are not supported: use SHA256, SHA384 or SHA512",
                shorten(tag)
            ));
        }
    };
    let open = after.find('(').unwrap_or(0) + 1;
    let inner = after.get(open..).unwrap_or_default();
    // The name may itself contain `) = `; the digest cannot, so the last one ends the name.
    let Some(close) = inner.rfind(") = ") else {
        return Err(format!(
            "expected `{} (<file>) = <hex>`: the line has no `) = ` after the file name",
            shorten(tag)
        ));
    };
    let hex = inner.get(close + 4..).unwrap_or_default().trim_end();
    if hex.is_empty() {
        return Err(format!("no {} digest after `) = `", algorithm.name()));
    }
    let digest =
        decode_hex(hex).ok_or_else(|| match hex.chars().find(|c| !c.is_ascii_hexdigit()) {
            Some(bad) => format!(
                "`{}` is not a hex digest (`{}` is not a hex digit)",
                shorten(hex),
                bad.escape_default()
            ),
            None => bsd_length(algorithm, hex.len()),
        })?;
    if hex.len() != algorithm.hex_len() {
        return Err(bsd_length(algorithm, hex.len()));
    }
    let name_start = offset + open;
    if close == 0 {
        return Err("no file name between the parentheses".to_owned());
    }
    Ok(Entry {
        algorithm,
        digest,
        name: String::new(),
        name_range: name_start..name_start + close,
    })
}

fn wrong_length(len: usize) -> String {
    let weak = match len {
        32 => " (32 is MD5, too weak to gate on)",
        40 => " (40 is SHA-1, too weak to gate on)",
        _ => "",
    };
    format!("a digest of {len} hex digits is not SHA-256 (64), SHA-384 (96) or SHA-512 (128){weak}")
}

fn bsd_length(algorithm: Algorithm, len: usize) -> String {
    format!(
        "a {} digest has {} hex digits, this one has {len}",
        algorithm.name(),
        algorithm.hex_len()
    )
}

fn raw_name<'a>(content: &'a str, range: &Range<usize>) -> Result<&'a str, String> {
    content
        .get(range.clone())
        .ok_or_else(|| "the file name is not on a character boundary".to_owned())
}

/// Undoes coreutils' escaping: `\\` and `\n`, and `\r` (written by coreutils 9.2 and later).
fn unescape(raw: &str) -> Result<String, String> {
    let mut name = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            name.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => name.push('\\'),
            Some('n') => name.push('\n'),
            Some('r') => name.push('\r'),
            Some(other) => {
                return Err(format!(
                    "unknown escape `\\{}` in the file name (a line starting with `\\` may only \
                     use `\\\\`, `\\n` and `\\r`)",
                    other.escape_default()
                ));
            }
            None => return Err("the file name ends in a lone `\\`".to_owned()),
        }
    }
    Ok(name)
}

/// Refuses names that would make the gate read outside the release directory.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("no file name after the digest".to_owned());
    }
    if name.contains('\0') {
        return Err("the file name contains a NUL byte".to_owned());
    }
    let drive = matches!(name.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic());
    if name.starts_with(['/', '\\']) || drive {
        return Err(format!(
            "`{}` is an absolute path: a sums file must list files relative to the release \
             directory, never make the gate read outside it",
            shorten(name)
        ));
    }
    // `\` counts as a separator too: a sums file written on Windows means it as one.
    if name.split(['/', '\\']).any(|component| component == "..") {
        return Err(format!(
            "`{}` has a `..` component: a sums file must not make the gate read outside the \
             release directory",
            shorten(name)
        ));
    }
    Ok(())
}

/// At most 40 characters of `text`, control characters escaped, for quoting input in messages.
pub(super) fn shorten(text: &str) -> String {
    let mut out = String::new();
    for (index, c) in text.chars().enumerate() {
        if index == 40 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
