//! Splitting an OpenPGP key file into the binary packet streams it holds: one per ASCII-armored
//! block (a file may hold several, with text around them, like an Apache `KEYS` file), or the
//! whole file when it is binary.

use crate::SignError;
use std::io::Read;

/// The armor type of a public key block; gpg also uses it for revocation certificates.
const PUBLIC_KEY_BLOCK: &str = "PGP PUBLIC KEY BLOCK";
/// The armor type of a secret key block (`gpg --export-secret-keys --armor`).
const PRIVATE_KEY_BLOCK: &str = "PGP PRIVATE KEY BLOCK";

/// The packets of one armored block, or of a whole binary file.
#[derive(Debug)]
pub(super) struct KeyBlock {
    /// 1-based line of the block's `-----BEGIN` line (1 for a binary file).
    pub line: u32,
    /// The dearmored packets.
    pub packets: Vec<u8>,
}

/// A parse error at `line` of the key file `path`.
pub(super) fn parse_error(path: &str, line: u32, message: impl Into<String>) -> SignError {
    SignError::Parse {
        path: path.to_owned(),
        line,
        message: message.into(),
    }
}

/// The packet streams of the key file `path` whose content is `data`.
pub(super) fn key_blocks(path: &str, data: &[u8]) -> Result<Vec<KeyBlock>, SignError> {
    // Editors on Windows may save the armored text with a byte order mark.
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let Some(&first) = data.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(parse_error(
            path,
            1,
            "empty file: expected an OpenPGP public key",
        ));
    };
    // A binary OpenPGP packet header always has the high bit set; armor is ASCII.
    if first & 0x80 != 0 {
        return Ok(vec![KeyBlock {
            line: 1,
            packets: data.to_vec(),
        }]);
    }
    let blocks = armored_blocks(path, data)?;
    if blocks.is_empty() {
        return Err(parse_error(
            path,
            1,
            "no OpenPGP public key: expected `-----BEGIN PGP PUBLIC KEY BLOCK-----` or a binary key (`gpg --export`)",
        ));
    }
    Ok(blocks)
}

/// Every `-----BEGIN PGP ...-----` to `-----END PGP ...-----` block of `data`, dearmored.
fn armored_blocks(path: &str, data: &[u8]) -> Result<Vec<KeyBlock>, SignError> {
    let mut blocks = Vec::new();
    let mut open: Option<(u32, String, Vec<u8>)> = None;
    for (index, raw) in data.split(|&b| b == b'\n').enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = String::from_utf8_lossy(raw);
        let line = line.trim_end();
        if let Some((start, typ, mut text)) = open.take() {
            text.extend_from_slice(line.as_bytes());
            text.push(b'\n');
            if let Some(end) = armor_type(line, "END") {
                if end != typ {
                    return Err(parse_error(
                        path,
                        line_no,
                        format!("`-----END {end}-----` closes a `-----BEGIN {typ}-----` block"),
                    ));
                }
                blocks.push(KeyBlock {
                    line: start,
                    packets: dearmor(path, start, &text)?,
                });
            } else {
                open = Some((start, typ, text));
            }
            continue;
        }
        let Some(typ) = armor_type(line, "BEGIN") else {
            continue;
        };
        match typ.as_str() {
            PUBLIC_KEY_BLOCK => {}
            PRIVATE_KEY_BLOCK => {
                return Err(parse_error(
                    path,
                    line_no,
                    "this is a secret key; a public key is expected (export it with `gpg --armor --export KEY`)",
                ));
            }
            other => {
                return Err(parse_error(
                    path,
                    line_no,
                    format!(
                        "`-----BEGIN {other}-----` is not a public key; expected `-----BEGIN {PUBLIC_KEY_BLOCK}-----`"
                    ),
                ));
            }
        }
        let mut text = line.as_bytes().to_vec();
        text.push(b'\n');
        open = Some((line_no, typ, text));
    }
    if let Some((start, typ, _)) = open {
        return Err(parse_error(
            path,
            start,
            format!("armored block is not closed: no `-----END {typ}-----` line"),
        ));
    }
    Ok(blocks)
}

/// The `TYPE` of an armor line `-----BEGIN TYPE-----` (or `END`), when `line` is one.
fn armor_type(line: &str, which: &str) -> Option<String> {
    let rest = line
        .trim_start()
        .strip_prefix("-----")?
        .strip_prefix(which)?;
    let typ = rest.strip_prefix(' ')?.strip_suffix("-----")?;
    typ.starts_with("PGP ").then(|| typ.to_owned())
}

/// The packets of one armored block (`text` runs from its BEGIN to its END line).
fn dearmor(path: &str, line: u32, text: &[u8]) -> Result<Vec<u8>, SignError> {
    let mut packets = Vec::new();
    pgp::armor::Dearmor::new(text)
        .read_to_end(&mut packets)
        .map_err(|e| parse_error(path, line, format!("armor does not decode: {e}")))?;
    Ok(packets)
}
