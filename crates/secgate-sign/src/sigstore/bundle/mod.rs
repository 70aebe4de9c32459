//! The bundle document (`application/vnd.dev.sigstore.bundle+json;version=0.1|0.2|0.3` and
//! `application/vnd.dev.sigstore.bundle.v0.3+json`). Parsing checks everything that needs no
//! key: the media type, that the required parts are present, base64, non-negative indices, and
//! the proof each version requires (v0.1 an inclusion promise, v0.2 and later an inclusion
//! proof). Nothing in a parsed bundle is trusted yet.

mod entry;
mod raw;

pub(crate) use entry::LogEntry;

use super::BundleError;
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use raw::{RawBundle, RawEnvelope, RawMaterial, RawMessageSignature};

/// Protobuf JSON writes bytes as standard base64; padding is optional on input.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes protobuf-JSON base64, naming `what` on failure. Line breaks and other whitespace
/// are skipped, as the Go and Python decoders Sigstore's clients use skip them.
pub(crate) fn decode_base64(text: &str, what: &str) -> Result<Vec<u8>, BundleError> {
    let compact: String;
    let text = if text.contains(|c: char| c.is_ascii_whitespace()) {
        compact = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        compact.as_str()
    } else {
        text
    };
    BASE64
        .decode(text)
        .map_err(|e| BundleError::new(format!("{what} is not valid base64: {e}")))
}

/// The bundle format version, from the media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Version {
    V0_1,
    V0_2,
    V0_3,
}

/// A bundle whose shape has been checked.
#[derive(Debug)]
pub(crate) struct Bundle {
    pub material: Material,
    pub entries: Vec<LogEntry>,
    /// RFC 3161 timestamp tokens (DER).
    pub timestamps: Vec<Vec<u8>>,
    pub content: Content,
}

/// What the signature is verified with.
#[derive(Debug)]
pub(crate) enum Material {
    /// The signing certificate (DER) and any further certificates the bundle lists after it.
    Certificate { leaf: Vec<u8>, rest: Vec<Vec<u8>> },
    /// A key the verifier must already have; the hint is informational only.
    PublicKey,
}

/// What was signed.
#[derive(Debug)]
pub(crate) enum Content {
    /// A signature over the artifact bytes, with the digest the signer claims for them.
    Message {
        digest: Option<MessageDigest>,
        signature: Vec<u8>,
    },
    /// A DSSE envelope with exactly one signature.
    Dsse(Envelope),
}

/// The `messageDigest` hint.
#[derive(Debug)]
pub(crate) struct MessageDigest {
    pub algorithm: String,
    pub digest: Vec<u8>,
}

/// A DSSE envelope.
#[derive(Debug)]
pub(crate) struct Envelope {
    pub payload: Vec<u8>,
    pub payload_type: String,
    pub signature: Vec<u8>,
}

impl Content {
    /// The signature bytes (RFC 3161 timestamps are over these).
    pub fn signature(&self) -> &[u8] {
        match self {
            Content::Message { signature, .. } => signature,
            Content::Dsse(envelope) => &envelope.signature,
        }
    }
}

impl Bundle {
    /// Parses and shape-checks the bundle JSON.
    pub fn parse(json: &[u8]) -> Result<Self, BundleError> {
        let raw: RawBundle = serde_json::from_slice(json)
            .map_err(|e| BundleError::new(format!("bundle is not valid bundle JSON: {e}")))?;
        let version = media_type_version(raw.media_type.as_deref())?;
        let material = raw
            .verification_material
            .ok_or_else(|| BundleError::new("bundle has no verificationMaterial"))?;
        let content = content(raw.message_signature, raw.dsse_envelope)?;
        let key_material = key_material(&material, version)?;
        let timestamps = material
            .timestamp_verification_data
            .map(|data| data.rfc3161_timestamps)
            .unwrap_or_default()
            .iter()
            .map(|t| decode_base64(&t.signed_timestamp, "RFC 3161 signedTimestamp"))
            .collect::<Result<_, _>>()?;
        if material.tlog_entries.is_empty() {
            return Err(BundleError::new("bundle has no transparency-log entry"));
        }
        let entries = material
            .tlog_entries
            .into_iter()
            .map(|e| entry::log_entry(e, version))
            .collect::<Result<_, _>>()?;
        Ok(Bundle {
            material: key_material,
            entries,
            timestamps,
            content,
        })
    }
}

fn media_type_version(media_type: Option<&str>) -> Result<Version, BundleError> {
    match media_type {
        Some("application/vnd.dev.sigstore.bundle+json;version=0.1") => Ok(Version::V0_1),
        Some("application/vnd.dev.sigstore.bundle+json;version=0.2") => Ok(Version::V0_2),
        Some(
            "application/vnd.dev.sigstore.bundle+json;version=0.3"
            | "application/vnd.dev.sigstore.bundle.v0.3+json",
        ) => Ok(Version::V0_3),
        Some(other) => Err(BundleError::new(format!(
            "unsupported bundle media type `{other}`"
        ))),
        None => Err(BundleError::new("bundle has no mediaType")),
    }
}

fn key_material(material: &RawMaterial, version: Version) -> Result<Material, BundleError> {
    if let Some(chain) = &material.x509_certificate_chain {
        // From v0.3 the signing certificate travels alone (`certificate`), as the spec says.
        if version >= Version::V0_3 {
            return Err(BundleError::new(
                "a v0.3 bundle must carry `certificate`, not `x509CertificateChain`",
            ));
        }
        let mut certificates = chain
            .certificates
            .iter()
            .map(|c| decode_base64(&c.raw_bytes, "certificate rawBytes"))
            .collect::<Result<Vec<_>, _>>()?;
        if certificates.is_empty() {
            return Err(BundleError::new("bundle certificate chain is empty"));
        }
        let leaf = certificates.remove(0);
        return Ok(Material::Certificate {
            leaf,
            rest: certificates,
        });
    }
    if let Some(certificate) = &material.certificate {
        let leaf = decode_base64(&certificate.raw_bytes, "certificate rawBytes")?;
        if leaf.is_empty() {
            return Err(BundleError::new("bundle certificate is empty"));
        }
        return Ok(Material::Certificate {
            leaf,
            rest: Vec::new(),
        });
    }
    if material.public_key.is_some() {
        // The hint only names the key; the verifier brings the key itself.
        return Ok(Material::PublicKey);
    }
    Err(BundleError::new(
        "bundle has neither a certificate nor a public key",
    ))
}

fn content(
    message: Option<RawMessageSignature>,
    envelope: Option<RawEnvelope>,
) -> Result<Content, BundleError> {
    match (message, envelope) {
        (Some(message), None) => {
            let signature = decode_base64(&message.signature, "message signature")?;
            if signature.is_empty() {
                return Err(BundleError::new("message signature is empty"));
            }
            let digest = message
                .message_digest
                .map(|d| {
                    Ok::<_, BundleError>(MessageDigest {
                        algorithm: d.algorithm,
                        digest: decode_base64(&d.digest, "messageDigest digest")?,
                    })
                })
                .transpose()?;
            Ok(Content::Message { digest, signature })
        }
        (None, Some(envelope)) => {
            let payload = decode_base64(&envelope.payload, "DSSE payload")?;
            let [signature] = envelope.signatures.as_slice() else {
                return Err(BundleError::new(format!(
                    "DSSE envelope must carry exactly one signature, it has {}",
                    envelope.signatures.len()
                )));
            };
            let signature = decode_base64(&signature.sig, "DSSE signature")?;
            if signature.is_empty() {
                return Err(BundleError::new("DSSE signature is empty"));
            }
            Ok(Content::Dsse(Envelope {
                payload,
                payload_type: envelope.payload_type,
                signature,
            }))
        }
        (Some(_), Some(_)) => Err(BundleError::new(
            "bundle has both a message signature and a DSSE envelope",
        )),
        (None, None) => Err(BundleError::new(
            "bundle has neither a message signature nor a DSSE envelope",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_skips_line_breaks_but_not_junk() {
        assert_eq!(decode_base64("aGVs\nbG8=", "x").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVsbG8", "x").unwrap(), b"hello");
        let err = decode_base64("INVALID!!!", "signature").unwrap_err();
        assert!(err.0.starts_with("signature is not valid base64"), "{err}");
    }

    #[test]
    fn media_types_map_to_versions() {
        let v = |t| media_type_version(Some(t));
        assert_eq!(
            v("application/vnd.dev.sigstore.bundle+json;version=0.1"),
            Ok(Version::V0_1)
        );
        assert_eq!(
            v("application/vnd.dev.sigstore.bundle+json;version=0.2"),
            Ok(Version::V0_2)
        );
        assert_eq!(
            v("application/vnd.dev.sigstore.bundle+json;version=0.3"),
            Ok(Version::V0_3)
        );
        assert_eq!(
            v("application/vnd.dev.sigstore.bundle.v0.3+json"),
            Ok(Version::V0_3)
        );
        assert!(v("application/vnd.dev.sigstore.bundle.v0.4+json").is_err());
        assert!(media_type_version(None).is_err());
    }

    #[test]
    fn a_bundle_needs_content_and_material() {
        let err = Bundle::parse(
            br#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}}}"#,
        )
        .unwrap_err();
        assert!(
            err.0
                .contains("neither a message signature nor a DSSE envelope"),
            "{err}"
        );
        let err = Bundle::parse(
            br#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{},"messageSignature":{"signature":"AAAA"}}"#,
        )
        .unwrap_err();
        assert!(
            err.0.contains("neither a certificate nor a public key"),
            "{err}"
        );
    }

    #[test]
    fn a_dsse_envelope_must_have_one_signature() {
        let err = content(
            None,
            Some(RawEnvelope {
                payload: "e30=".into(),
                payload_type: "application/vnd.in-toto+json".into(),
                signatures: Vec::new(),
            }),
        )
        .unwrap_err();
        assert!(err.0.contains("exactly one signature"), "{err}");
    }
}
