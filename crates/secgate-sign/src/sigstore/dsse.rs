//! DSSE envelopes: the pre-authentication encoding the signature covers, and the in-toto
//! statement's subject digests, which tie the envelope to the artifact.

use super::BundleError;
use super::bundle::Envelope;
use serde::Deserialize;
use sha2::Digest as _;
use std::collections::BTreeMap;

/// The payload type of in-toto statements.
pub(crate) const IN_TOTO: &str = "application/vnd.in-toto+json";

/// `PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body`.
pub(crate) fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

#[derive(Deserialize)]
struct Statement {
    #[serde(default)]
    subject: Vec<Subject>,
}

#[derive(Deserialize)]
struct Subject {
    #[serde(default)]
    digest: BTreeMap<String, String>,
}

/// Checks that the envelope is an in-toto statement and that `artifact` is one of its
/// subjects (by SHA-256 or SHA-512 digest).
pub(crate) fn check_subject(envelope: &Envelope, artifact: &[u8]) -> Result<(), BundleError> {
    if envelope.payload_type != IN_TOTO {
        return Err(BundleError::new(format!(
            "DSSE payload type `{}` is not an in-toto statement, so it names no artifact",
            envelope.payload_type
        )));
    }
    let statement: Statement = serde_json::from_slice(&envelope.payload)
        .map_err(|e| BundleError::new(format!("in-toto statement does not parse: {e}")))?;
    let sha256 = hex(&sha2::Sha256::digest(artifact));
    let sha512 = hex(&sha2::Sha512::digest(artifact));
    let matches = statement.subject.iter().any(|subject| {
        subject.digest.iter().any(|(algorithm, value)| {
            let value = value.to_ascii_lowercase();
            (algorithm == "sha256" && value == sha256) || (algorithm == "sha512" && value == sha512)
        })
    });
    if matches {
        Ok(())
    } else {
        Err(BundleError::new(format!(
            "the artifact (sha256 {sha256}) is not a subject of the in-toto statement"
        )))
    }
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // From the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn subject_must_name_the_artifact() {
        let digest = hex(&sha2::Sha256::digest(b"artifact"));
        let envelope = Envelope {
            payload: format!(r#"{{"subject":[{{"name":"a","digest":{{"sha256":"{digest}"}}}}]}}"#)
                .into_bytes(),
            payload_type: IN_TOTO.into(),
            signature: vec![1],
        };
        assert!(check_subject(&envelope, b"artifact").is_ok());
        let err = check_subject(&envelope, b"other").unwrap_err();
        assert!(err.0.contains("not a subject"), "{err}");
    }
}
