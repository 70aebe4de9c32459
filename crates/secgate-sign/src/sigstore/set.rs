//! The signed entry timestamp (Rekor v1 inclusion promise): the log's signature over the
//! canonical JSON of `{body, integratedTime, logID, logIndex}`.

use super::BundleError;
use super::keys::PublicKey;
use super::trust_root::LogKey;
use std::fmt::Write as _;

/// Verifies the SET `signature` for the entry with base64 `body` (canonicalized body as in the
/// bundle), `integrated_time`, `log_index` and `log_id` (raw bytes; hex in the signed JSON)
/// with `log`'s key.
pub fn verify_set(
    signature: &[u8],
    body_b64: &str,
    integrated_time: i64,
    log_index: i64,
    log_id: &[u8],
    log: &LogKey,
) -> Result<(), BundleError> {
    let payload = set_payload(body_b64, integrated_time, log_index, log_id);
    PublicKey::from_spki(&log.spki, Some(&log.key_details))?
        .verify(payload.as_bytes(), signature)
        .map_err(|e| BundleError::new(format!("signed entry timestamp is invalid: {e}")))
}

/// The RFC 8785 canonical JSON the log signs: keys sorted, no whitespace, the log id in
/// lower-case hex.
pub fn set_payload(body_b64: &str, integrated_time: i64, log_index: i64, log_id: &[u8]) -> String {
    let log_id_hex = log_id.iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    });
    // serde_json escapes strings as RFC 8785 does (`"`, `\`, control characters only).
    let body = serde_json::Value::from(body_b64).to_string();
    format!(
        r#"{{"body":{body},"integratedTime":{integrated_time},"logID":"{log_id_hex}","logIndex":{log_index}}}"#
    )
}

#[cfg(test)]
mod tests {
    use super::{set_payload, verify_set};
    use crate::sigstore::test_data::{b64_at, bundle, str_at, trusted_root};

    const ENTRY: &str = "/verificationMaterial/tlogEntries/0";

    fn check(case: &str) -> Result<(), crate::sigstore::BundleError> {
        let b = bundle(case);
        let field = |name: &str| format!("{ENTRY}/{name}");
        let log_id = b64_at(&b, &field("logId/keyId"));
        let log = trusted_root(case)
            .tlogs
            .into_iter()
            .find(|l| l.log_id == log_id)
            .expect("the entry's log is in the trusted root");
        verify_set(
            &b64_at(&b, &field("inclusionPromise/signedEntryTimestamp")),
            str_at(&b, &field("canonicalizedBody")),
            str_at(&b, &field("integratedTime")).parse().unwrap(),
            str_at(&b, &field("logIndex")).parse().unwrap(),
            &log_id,
            &log,
        )
    }

    #[test]
    fn conformance_sets_verify() {
        for case in [
            "happy-path-v0.1",
            "happy-path-v0.3",
            "managed-key-happy-path",
            "managed-key-and-trusted-root",
            "intoto-with-custom-trust-root",
            "trust-root-tlog-validity-end-inclusive",
        ] {
            check(case).unwrap_or_else(|e| panic!("{case}: {e}"));
        }
    }

    #[test]
    fn invalid_set_signature_is_rejected() {
        let err = check("set-invalid-signature_fail").unwrap_err();
        assert!(err.0.contains("signed entry timestamp is invalid"), "{err}");
    }

    #[test]
    fn any_changed_field_breaks_the_set() {
        let case = "happy-path-v0.3";
        let b = bundle(case);
        let field = |name: &str| format!("{ENTRY}/{name}");
        let log_id = b64_at(&b, &field("logId/keyId"));
        let log = trusted_root(case)
            .tlogs
            .into_iter()
            .find(|l| l.log_id == log_id)
            .unwrap();
        let sig = b64_at(&b, &field("inclusionPromise/signedEntryTimestamp"));
        let body = str_at(&b, &field("canonicalizedBody"));
        let time: i64 = str_at(&b, &field("integratedTime")).parse().unwrap();
        let index: i64 = str_at(&b, &field("logIndex")).parse().unwrap();
        verify_set(&sig, body, time, index, &log_id, &log).unwrap();
        assert!(verify_set(&sig, body, time + 1, index, &log_id, &log).is_err());
        assert!(verify_set(&sig, body, time, index + 1, &log_id, &log).is_err());
        assert!(verify_set(&sig, &body[1..], time, index, &log_id, &log).is_err());
        assert!(verify_set(&sig, body, time, index, &log_id[1..], &log).is_err());
        assert!(verify_set(&sig[1..], body, time, index, &log_id, &log).is_err());
    }

    #[test]
    fn payload_is_canonical_json() {
        assert_eq!(
            set_payload("ab+/=", 1_700_000_000, 7, &[0x0f, 0xa0]),
            r#"{"body":"ab+/=","integratedTime":1700000000,"logID":"0fa0","logIndex":7}"#
        );
    }
}
