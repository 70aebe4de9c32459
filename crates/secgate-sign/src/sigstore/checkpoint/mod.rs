//! Signed checkpoints (the signed-note format of transparency logs): origin, tree size and root
//! hash, signed by the log (and possibly cosigned by witnesses).
//!
//! The note format is `golang.org/x/mod/sumdb/note`: the body ends at the first blank line, and
//! each signature line is `— <name> <base64(key hint || signature)>`. The log signs under its
//! name, the authority of its base URL (`rekor.sigstore.dev`, `log2025-1.rekor.sigstage.dev`,
//! `localhost:8000`); the origin line is that name (Rekor v2) or `<name> - <tree id>` (Rekor v1).
//! The key hint is the first four bytes of SHA-256(name || "\n" || 0x01 || key) for Ed25519 keys
//! (the note standard) and of SHA-256(SPKI DER) otherwise (Rekor v1's ECDSA notes).

use super::BundleError;
use super::keys::PublicKey;
use super::trust_root::LogKey;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// A checkpoint whose log signature verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The origin line (the log's name).
    pub origin: String,
    /// Tree size.
    pub size: u64,
    /// Root hash.
    pub root_hash: [u8; 32],
}

/// Parses the signed note `envelope` and verifies that a signature line by `log` (matched by
/// key hint and name) verifies over the note body. Extra signatures (witness cosignatures) are
/// allowed; a note with no verifying signature from `log` is rejected, and so is a note where a
/// signature that claims to be the log's (same name and key hint) does not verify.
pub fn verify_checkpoint(envelope: &str, log: &LogKey) -> Result<Checkpoint, BundleError> {
    let (body, signatures) = envelope
        .split_once("\n\n")
        .ok_or_else(|| malformed("no blank line before the signatures"))?;
    // The signed text includes the body's final newline.
    let text = &envelope[..=body.len()];
    let checkpoint = parse_body(body)?;

    let name = log_name(log, &checkpoint.origin);
    let rekor_v1_origin = checkpoint
        .origin
        .strip_prefix(name)
        .is_some_and(|rest| rest.starts_with(" - "));
    if checkpoint.origin != name && !rekor_v1_origin {
        return Err(BundleError::new(format!(
            "checkpoint origin `{}` is not the log `{name}`",
            checkpoint.origin
        )));
    }

    let key = PublicKey::from_spki(&log.spki, Some(&log.key_details))?;
    let hint = key_hint(&key, name);
    let mut verified = false;
    for line in signature_lines(signatures)? {
        let (signer, sig) = parse_signature_line(line)?;
        if signer != name || sig.get(..4) != Some(hint.as_slice()) {
            continue; // a witness cosignature or another key of the same name
        }
        if verified {
            continue; // like the note standard, the first signature by a key decides
        }
        let raw = sig.get(4..).unwrap_or_default();
        key.verify(text.as_bytes(), raw).map_err(|e| {
            BundleError::new(format!("checkpoint signature by `{name}` is invalid: {e}"))
        })?;
        verified = true;
    }
    if verified {
        Ok(checkpoint)
    } else {
        Err(BundleError::new(format!(
            "checkpoint carries no signature by the log `{name}`"
        )))
    }
}

/// The origin, size and root hash lines; further lines (extensions) are allowed.
fn parse_body(body: &str) -> Result<Checkpoint, BundleError> {
    let mut lines = body.split('\n');
    let origin = lines.next().filter(|o| !o.is_empty());
    let origin = origin.ok_or_else(|| malformed("no origin line"))?;
    let size = lines
        .next()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or_else(|| malformed("no tree size on the second line"))?;
    let root_hash = lines
        .next()
        .and_then(|r| base64::engine::general_purpose::STANDARD.decode(r).ok())
        .and_then(|r| <[u8; 32]>::try_from(r).ok())
        .ok_or_else(|| malformed("no 32-byte base64 root hash on the third line"))?;
    Ok(Checkpoint {
        origin: origin.to_owned(),
        size,
        root_hash,
    })
}

/// The signature lines: the section is non-empty and each line ends with a newline.
fn signature_lines(section: &str) -> Result<impl Iterator<Item = &str>, BundleError> {
    if section.is_empty() {
        return Err(BundleError::new("checkpoint carries no signatures"));
    }
    let section = section
        .strip_suffix('\n')
        .ok_or_else(|| malformed("the signature section does not end with a newline"))?;
    Ok(section.split('\n'))
}

/// `— <name> <base64>`, decoded; the decoded signature has a 4-byte hint and at least one byte.
fn parse_signature_line(line: &str) -> Result<(&str, Vec<u8>), BundleError> {
    let rest = line
        .strip_prefix("\u{2014} ")
        .ok_or_else(|| malformed("a signature line does not start with `— `"))?;
    let (name, b64) = rest
        .rsplit_once(' ')
        .ok_or_else(|| malformed("a signature line has no signature"))?;
    if name.is_empty() || name.contains(char::is_whitespace) || name.contains('+') {
        return Err(malformed("a signature line has an invalid signer name"));
    }
    let sig = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| malformed("a signature is not base64"))?;
    if sig.len() < 5 {
        return Err(malformed("a signature is too short for a key hint"));
    }
    Ok((name, sig))
}

/// The name the log signs under: its base URL without scheme and path; a log without a base
/// URL signs under the origin's name part.
fn log_name<'a>(log: &'a LogKey, origin: &'a str) -> &'a str {
    let url = log.base_url.trim();
    if url.is_empty() {
        return origin.split(" - ").next().unwrap_or(origin);
    }
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    without_scheme.split('/').next().unwrap_or(without_scheme)
}

/// The 4-byte key hint a signature by `key` under `name` carries.
fn key_hint(key: &PublicKey, name: &str) -> [u8; 4] {
    let digest: [u8; 32] = match key.ed25519_bytes() {
        Some(raw) => Sha256::new()
            .chain_update(name.as_bytes())
            .chain_update(b"\n\x01")
            .chain_update(raw)
            .finalize()
            .into(),
        None => Sha256::digest(key.spki()).into(),
    };
    let [a, b, c, d, ..] = digest;
    [a, b, c, d]
}

fn malformed(why: &str) -> BundleError {
    BundleError::new(format!("malformed checkpoint: {why}"))
}

#[cfg(test)]
mod tests;
