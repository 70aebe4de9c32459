//! git's two ways of carrying a signature inside an object, ported line for line so that the
//! payload secgate verifies is byte for byte the payload git verifies:
//!
//! - a tag's signature is the armored block at the end of its message (`parse_signature` and
//!   `parse_signed_buffer` in git's `gpg-interface.c`), and any `gpgsig` headers (signatures for
//!   the other hash algorithm) are cut from the payload (`remove_signature` in `commit.c`);
//! - a commit's signature is its `gpgsig` header (`gpgsig-sha256` in a SHA-256 repository) with
//!   its continuation lines, and the payload is the object without every `gpgsig*` header
//!   (`parse_buffer_signed_by_header` in `commit.c`).

/// The armor lines that start a signature, as git's `get_format_by_sig` knows them.
pub(super) const SIGNATURE_STARTS: [&str; 4] = [
    "-----BEGIN PGP SIGNATURE-----",
    "-----BEGIN PGP MESSAGE-----",
    "-----BEGIN SIGNED MESSAGE-----",
    "-----BEGIN SSH SIGNATURE-----",
];

/// The signature headers git writes, one per hash algorithm.
const SIGNATURE_HEADERS: [&[u8]; 2] = [b"gpgsig", b"gpgsig-sha256"];

/// A payload and the raw signature bytes, if the object carries one.
pub(super) type Split = (Vec<u8>, Option<Vec<u8>>);

/// The header that carries this object's own signature: git picks it by the repository's hash
/// algorithm, which the length of the object id gives away (64 hex digits for SHA-256).
pub(super) fn own_signature_header(id: &str) -> &'static [u8] {
    if id.len() == 64 {
        b"gpgsig-sha256"
    } else {
        b"gpgsig"
    }
}

/// Splits a tag: the trailing armored block is the signature. A tag with no trailing block but
/// a signature header of its own hash algorithm is read the way a commit is.
pub(super) fn split_tag(data: &[u8], own_header: &[u8]) -> Split {
    match trailing_signature_start(data) {
        Some(start) => {
            let (payload, signature) = data.split_at(start);
            (without_signature_headers(payload), Some(signature.to_vec()))
        }
        None => split_commit(data, own_header),
    }
}

/// The offset of the last line that starts an armored signature (`parse_signed_buffer`).
fn trailing_signature_start(data: &[u8]) -> Option<usize> {
    lines(data)
        .filter(|(_, line)| {
            SIGNATURE_STARTS
                .iter()
                .any(|start| line.starts_with(start.as_bytes()))
        })
        .map(|(offset, _)| offset)
        .last()
}

/// The tag payload without its `gpgsig` / `gpgsig-sha256` header blocks (`remove_signature`).
/// Only the header part is looked at: the message is kept whole.
fn without_signature_headers(data: &[u8]) -> Vec<u8> {
    let mut kept = Vec::with_capacity(data.len());
    let mut in_signature = false;
    for (offset, line) in lines(data) {
        if in_signature && line.first() == Some(&b' ') {
            continue;
        }
        in_signature = SIGNATURE_HEADERS
            .iter()
            .any(|header| is_header(line, header));
        if in_signature {
            continue;
        }
        if line.first() == Some(&b'\n') {
            kept.extend_from_slice(data.get(offset..).unwrap_or_default());
            break;
        }
        kept.extend_from_slice(line);
    }
    kept
}

/// Splits a commit (`parse_buffer_signed_by_header`): the `own_header` block is the signature,
/// continuation lines joined without their leading space; headers of other `gpgsig*` kinds (the
/// other hash algorithm's signature) are dropped from the payload and ignored.
pub(super) fn split_commit(data: &[u8], own_header: &[u8]) -> Split {
    let mut payload = Vec::with_capacity(data.len());
    let mut signature = Vec::new();
    let (mut saw_signature, mut in_signature, mut other_signature) = (false, false, false);
    for (offset, line) in lines(data) {
        let mut signature_part = None;
        if in_signature && line.first() == Some(&b' ') {
            signature_part = line.get(1..);
        } else if is_header(line, own_header) {
            signature_part = line.get(own_header.len() + 1..);
            other_signature = false;
        } else if line.starts_with(b"gpgsig") {
            other_signature = true;
        } else if other_signature && line.first() != Some(&b' ') {
            other_signature = false;
        }
        if let Some(part) = signature_part {
            signature.extend_from_slice(part);
            saw_signature = true;
            in_signature = true;
            continue;
        }
        if line.first() == Some(&b'\n') {
            // The end of the header: the message is payload, whatever it contains.
            payload.extend_from_slice(data.get(offset..).unwrap_or_default());
            break;
        }
        if !other_signature {
            payload.extend_from_slice(line);
        }
        in_signature = false;
    }
    (payload, saw_signature.then_some(signature))
}

/// Whether `line` is the header `name` followed by its value (`name SP ...`).
fn is_header(line: &[u8], name: &[u8]) -> bool {
    line.strip_prefix(name)
        .is_some_and(|rest| rest.first() == Some(&b' '))
}

/// The lines of `data` with their offsets, each with its `\n` (the last may lack one).
pub(super) fn lines(data: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut offset = 0;
    data.split_inclusive(|&b| b == b'\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line)
    })
}
