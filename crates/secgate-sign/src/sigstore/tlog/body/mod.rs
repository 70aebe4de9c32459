//! The entry body must describe this bundle: the same signature, the same certificate or key,
//! and the artifact (or DSSE payload) digest. Without this check a valid log entry for some
//! other signature could vouch for this one.
//!
//! Rekor v1 bodies: `hashedrekord` 0.0.1, `dsse` 0.0.1, `intoto` 0.0.2 (with PEM verifiers);
//! Rekor v2 bodies: `hashedrekord` 0.0.2 (also used for DSSE, over the PAE) and `dsse` 0.0.2.

mod v1;
mod v2;

use super::super::BundleError;
use super::super::bundle::{Content, LogEntry, decode_base64};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Digest as _;

/// Who signed, as the bundle and the policy establish it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Signer<'a> {
    /// The signing certificate (DER).
    Certificate(&'a [u8]),
    /// The public key (`SubjectPublicKeyInfo` DER).
    Key(&'a [u8]),
}

/// What the body must match.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Expected<'a> {
    pub content: &'a Content,
    pub artifact: &'a [u8],
    pub signer: Signer<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header {
    kind: String,
    api_version: String,
    spec: serde_json::Value,
}

/// Checks the body of `entry` against the bundle.
pub(crate) fn check_body(entry: &LogEntry, expected: &Expected<'_>) -> Result<(), BundleError> {
    let header: Header = serde_json::from_slice(&entry.body)
        .map_err(|e| BundleError::new(format!("tlog entry body does not parse: {e}")))?;
    if header.kind != entry.kind || header.api_version != entry.version {
        return Err(BundleError::new(format!(
            "tlog entry body is {} {}, but its kindVersion says {} {}",
            header.kind, header.api_version, entry.kind, entry.version
        )));
    }
    let mismatch = |what: &str| {
        BundleError::new(format!(
            "tlog entry ({} {}) does not match the bundle: {what}",
            header.kind, header.api_version
        ))
    };
    match (header.kind.as_str(), header.api_version.as_str()) {
        ("hashedrekord", "0.0.1") => v1::hashedrekord_v001(&spec(header.spec)?, expected, mismatch),
        ("dsse", "0.0.1") => v1::dsse_v001(&spec(header.spec)?, expected, mismatch),
        ("intoto", "0.0.2") => v1::intoto_v002(&spec(header.spec)?, expected, mismatch),
        ("hashedrekord", "0.0.2") => v2::hashedrekord_v002(&spec(header.spec)?, expected, mismatch),
        ("dsse", "0.0.2") => v2::dsse_v002(&spec(header.spec)?, expected, mismatch),
        (kind, version) => Err(BundleError::new(format!(
            "unsupported tlog entry kind {kind} {version}"
        ))),
    }
}

fn spec<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, BundleError> {
    serde_json::from_value(value)
        .map_err(|e| BundleError::new(format!("tlog entry body spec does not parse: {e}")))
}

pub(super) fn sha256(bytes: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(bytes).into()
}

/// A v1 verifier: base64 of a PEM certificate or public key.
pub(super) fn pem_matches(pem_base64: &str, signer: Signer<'_>) -> bool {
    let Ok(pem) = decode_base64(pem_base64, "tlog entry verifier") else {
        return false;
    };
    let Some((label, der)) = decode_pem(&pem) else {
        return false;
    };
    match signer {
        Signer::Certificate(cert) => label == "CERTIFICATE" && der == cert,
        Signer::Key(spki) => label == "PUBLIC KEY" && der == spki,
    }
}

/// The label and contents of the first PEM block. Lenient about line length, since some
/// clients log the base64 on one line (RFC 7468 parsers that insist on 64 columns refuse it).
fn decode_pem(pem: &[u8]) -> Option<(String, Vec<u8>)> {
    let text = std::str::from_utf8(pem).ok()?;
    let (_, rest) = text.split_once("-----BEGIN ")?;
    let (label, rest) = rest.split_once("-----")?;
    let (body, _) = rest.split_once(&format!("-----END {label}-----"))?;
    let der = decode_base64(body, "PEM").ok()?;
    Some((label.to_owned(), der))
}
