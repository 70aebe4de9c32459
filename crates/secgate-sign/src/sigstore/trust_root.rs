//! The trusted root (`application/vnd.dev.sigstore.trustedroot+json;version=0.1`): Fulcio CAs,
//! Rekor logs, CT logs and timestamp authorities, each with the period it is valid for.

use super::BundleError;
use base64::Engine as _;
use serde::Deserialize;

/// A parsed trusted root.
#[derive(Clone, Debug)]
pub struct TrustedRoot {
    /// Transparency logs (Rekor v1 and v2).
    pub tlogs: Vec<LogKey>,
    /// Certificate-transparency logs (for SCTs).
    pub ctlogs: Vec<LogKey>,
    /// Fulcio certificate authorities.
    pub certificate_authorities: Vec<Authority>,
    /// RFC 3161 timestamp authorities.
    pub timestamp_authorities: Vec<Authority>,
}

/// A log's key: the transparency log or CT log public key and its validity.
#[derive(Clone, Debug)]
pub struct LogKey {
    /// `baseUrl` (Rekor v2 checkpoints are signed under the URL's host as origin).
    pub base_url: String,
    /// The log id (`logId.keyId`), raw bytes.
    pub log_id: Vec<u8>,
    /// `SubjectPublicKeyInfo` DER.
    pub spki: Vec<u8>,
    /// `keyDetails`, e.g. `PKIX_ECDSA_P256_SHA_256`, `PKIX_ED25519`.
    pub key_details: String,
    /// Valid from (seconds since the epoch).
    pub start: Option<i64>,
    /// Valid until (inclusive), if it ended.
    pub end: Option<i64>,
}

/// A certificate authority or timestamp authority: its chain (leaf-most first, root last) and
/// validity.
#[derive(Clone, Debug)]
pub struct Authority {
    /// `uri`.
    pub uri: String,
    /// DER certificates, as listed (the first is the issuing or signing certificate).
    pub chain: Vec<Vec<u8>>,
    /// Valid from.
    pub start: Option<i64>,
    /// Valid until (inclusive), if it ended.
    pub end: Option<i64>,
}

impl TrustedRoot {
    /// Parses a trusted-root JSON document.
    pub fn from_json(json: &[u8]) -> Result<Self, BundleError> {
        let raw: RawRoot = serde_json::from_slice(json)
            .map_err(|e| BundleError::new(format!("trusted root does not parse: {e}")))?;
        Ok(TrustedRoot {
            tlogs: raw
                .tlogs
                .into_iter()
                .map(log_key)
                .collect::<Result<_, _>>()?,
            ctlogs: raw
                .ctlogs
                .into_iter()
                .map(log_key)
                .collect::<Result<_, _>>()?,
            certificate_authorities: raw
                .certificate_authorities
                .into_iter()
                .map(authority)
                .collect::<Result<_, _>>()?,
            timestamp_authorities: raw
                .timestamp_authorities
                .into_iter()
                .map(authority)
                .collect::<Result<_, _>>()?,
        })
    }

    /// The embedded public-good root.
    pub fn public_good() -> Self {
        Self::from_json(super::PUBLIC_GOOD_TRUSTED_ROOT.as_bytes())
            .expect("the embedded public-good trusted root parses")
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRoot {
    #[serde(default)]
    tlogs: Vec<RawLog>,
    #[serde(default)]
    ctlogs: Vec<RawLog>,
    #[serde(default)]
    certificate_authorities: Vec<RawAuthority>,
    #[serde(default)]
    timestamp_authorities: Vec<RawAuthority>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLog {
    #[serde(default)]
    base_url: String,
    public_key: RawPublicKey,
    log_id: RawLogId,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPublicKey {
    #[serde(default)]
    raw_bytes: String,
    #[serde(default)]
    key_details: String,
    valid_for: Option<RawValidity>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLogId {
    key_id: String,
}

#[derive(Deserialize)]
struct RawValidity {
    start: Option<String>,
    end: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAuthority {
    #[serde(default)]
    uri: String,
    cert_chain: RawChain,
    valid_for: Option<RawValidity>,
}

#[derive(Deserialize)]
struct RawChain {
    certificates: Vec<RawCert>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCert {
    raw_bytes: String,
}

fn b64(s: &str, what: &str) -> Result<Vec<u8>, BundleError> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| BundleError::new(format!("trusted root: {what} is not base64: {e}")))
}

/// Parses an RFC 3339 time to seconds since the epoch.
pub(crate) fn rfc3339(s: &str) -> Result<i64, BundleError> {
    s.parse::<jiff::Timestamp>()
        .map(jiff::Timestamp::as_second)
        .map_err(|e| BundleError::new(format!("`{s}` is not an RFC 3339 time: {e}")))
}

fn validity(v: Option<RawValidity>) -> Result<(Option<i64>, Option<i64>), BundleError> {
    let Some(v) = v else { return Ok((None, None)) };
    let start = v.start.as_deref().map(rfc3339).transpose()?;
    let end = v.end.as_deref().map(rfc3339).transpose()?;
    Ok((start, end))
}

fn log_key(raw: RawLog) -> Result<LogKey, BundleError> {
    let (start, end) = validity(raw.public_key.valid_for)?;
    Ok(LogKey {
        base_url: raw.base_url,
        log_id: b64(&raw.log_id.key_id, "logId.keyId")?,
        spki: b64(&raw.public_key.raw_bytes, "publicKey.rawBytes")?,
        key_details: raw.public_key.key_details,
        start,
        end,
    })
}

fn authority(raw: RawAuthority) -> Result<Authority, BundleError> {
    let (start, end) = validity(raw.valid_for)?;
    Ok(Authority {
        uri: raw.uri,
        chain: raw
            .cert_chain
            .certificates
            .iter()
            .map(|c| b64(&c.raw_bytes, "certificate rawBytes"))
            .collect::<Result<_, _>>()?,
        start,
        end,
    })
}
