//! CycloneDX JSON (1.6 by default, 1.5 on request).
//!
//! The document is written from typed structs of its own ([`document`], [`vulnerability`]),
//! using only what both 1.5 and 1.6 define (`metadata.tools` in its object form, for
//! instance), so the two versions differ in `specVersion` and `$schema` alone.
//!
//! Output is reproducible: components, dependencies and vulnerabilities are sorted, no time is
//! written unless the caller gives one, and the `serialNumber` is derived from the SHA-256 of
//! the document written without it, so the same bill of materials always carries the same
//! serial number and any change to it gives a new one.

mod document;
mod vulnerability;

use crate::Sbom;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The CycloneDX specification version to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SpecVersion {
    /// 1.5.
    V1_5,
    /// 1.6.
    #[default]
    V1_6,
}

impl SpecVersion {
    /// The `specVersion` value.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V1_5 => "1.5",
            SpecVersion::V1_6 => "1.6",
        }
    }

    /// The `$schema` URL, exactly as the official schema's `$schema` property allows it.
    pub fn schema_url(self) -> &'static str {
        match self {
            SpecVersion::V1_5 => "http://cyclonedx.org/schema/bom-1.5.schema.json",
            SpecVersion::V1_6 => "http://cyclonedx.org/schema/bom-1.6.schema.json",
        }
    }
}

/// Writes `sbom` as CycloneDX JSON (pretty-printed, trailing newline).
pub fn write(sbom: &Sbom, spec: SpecVersion) -> String {
    let mut bom = document::Document::new(sbom, spec, timestamp(sbom.timestamp));
    let unnumbered = to_json(&bom);
    bom.serial_number = Some(serial_number(unnumbered.as_bytes()));
    to_json(&bom)
}

fn to_json(bom: &document::Document<'_>) -> String {
    // The document holds only strings, numbers, booleans and structs with string keys: there
    // is nothing serde_json can refuse to write into a String.
    let mut json = serde_json::to_string_pretty(bom).expect("a CycloneDX document serializes");
    json.push('\n');
    json
}

/// `urn:uuid:` and the first 16 bytes of the SHA-256 of `content`, formatted as a version-5
/// style UUID (version nibble 5, RFC 4122 variant) so schema patterns and UUID parsers accept it.
fn serial_number(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    let mut bytes = [0u8; 16];
    for (byte, digest_byte) in bytes.iter_mut().zip(digest.iter()) {
        *byte = *digest_byte;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut uuid = String::with_capacity(45);
    uuid.push_str("urn:uuid:");
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            uuid.push('-');
        }
        let _ = write!(uuid, "{byte:02x}");
    }
    uuid
}

/// RFC 3339 UTC (`YYYY-MM-DDTHH:MM:SSZ`), or nothing for a time outside years 0000–9999, which
/// the `date-time` format cannot express.
fn timestamp(seconds: Option<i64>) -> Option<String> {
    let time = jiff::Timestamp::from_second(seconds?).ok()?;
    let text = time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    (text.len() == 20 && text.starts_with(|c: char| c.is_ascii_digit())).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_are_version_5_uuids_of_the_content() {
        let a = serial_number(b"a");
        assert_eq!(a, serial_number(b"a"));
        assert_ne!(a, serial_number(b"b"));
        // SHA-256("a") = ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb
        assert_eq!(a, "urn:uuid:ca978112-ca1b-5dca-bac2-31b39a23dc4d");
    }

    #[test]
    fn timestamps_are_rfc3339_utc_within_four_digit_years() {
        assert_eq!(timestamp(None), None);
        assert_eq!(timestamp(Some(0)).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            timestamp(Some(1_700_000_000)).as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        assert_eq!(timestamp(Some(-70_000_000_000)), None);
        assert_eq!(timestamp(Some(i64::MAX)), None);
    }
}
