use super::verify_timestamp;
use crate::sigstore::BundleError;
use crate::sigstore::test_data::{b64_at, bundle, trusted_root};
use crate::sigstore::trust_root::Authority;

/// The case's first RFC 3161 timestamp, the signature it stamps, and the root's authorities.
fn case(name: &str) -> (Vec<u8>, Vec<u8>, Vec<Authority>) {
    let b = bundle(name);
    let token = b64_at(
        &b,
        "/verificationMaterial/timestampVerificationData/rfc3161Timestamps/0/signedTimestamp",
    );
    let signature = if b.pointer("/messageSignature").is_some() {
        b64_at(&b, "/messageSignature/signature")
    } else {
        b64_at(&b, "/dsseEnvelope/signatures/0/sig")
    };
    (token, signature, trusted_root(name).timestamp_authorities)
}

fn check(name: &str) -> Result<i64, BundleError> {
    let (token, signature, authorities) = case(name);
    verify_timestamp(&token, &signature, &authorities)
}

fn rfc3339(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_second()
}

#[test]
fn conformance_timestamps_verify() {
    let cases = [
        ("rekor2-happy-path", "2025-06-12T12:02:20Z"),
        (
            "rekor2-timestamp-with-embedded-cert",
            "2025-08-06T18:51:36Z",
        ),
        ("rekor2-timestamp-without-embedded-cert", ""),
        ("rekor2-dsse-happy-path", ""),
        // The TSA chain has expired since, but was valid when the timestamp was made.
        (
            "rekor2-timestamp-with-expired-cert-chain",
            "2025-08-07T15:32:26Z",
        ),
        // Generated exactly at the end of the authority's validity, which is inclusive.
        (
            "trust-root-tsa-validity-end-inclusive",
            "2025-06-12T12:02:20Z",
        ),
    ];
    for (name, expected) in cases {
        let time = check(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        if !expected.is_empty() {
            assert_eq!(time, rfc3339(expected), "{name}");
        }
    }
}

#[test]
fn timestamps_outside_the_signing_certificate_are_still_sound_timestamps() {
    // These cases fail on the signing certificate's validity, which the orchestration checks
    // with the time returned here; the timestamp itself verifies.
    for name in [
        "rekor2-timestamp-with-incorrect-time_fail",
        "intoto-tsa-timestamp-outside-cert-validity_fail",
    ] {
        check(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn conformance_timestamps_that_must_fail_are_rejected() {
    let cases = [
        ("rekor2-timestamp-payload-mismatch_fail", "message imprint"),
        (
            "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail",
            "does not chain",
        ),
        (
            "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail",
            "signature by",
        ),
        (
            "rekor2-timestamp-outside-tsa-cert-validity_fail",
            "validity of the TSA certificate",
        ),
        (
            "rekor2-timestamp-outside-trust-root-tsa-validity_fail",
            "validity of the timestamp authority",
        ),
    ];
    for (name, why) in cases {
        let err = check(name).unwrap_err();
        assert!(err.0.contains(why), "{name}: {err}");
    }
}

#[test]
fn the_authority_must_be_in_the_trusted_root() {
    let (token, signature, authorities) = case("rekor2-happy-path");
    let err = verify_timestamp(&token, &signature, &[]).unwrap_err();
    assert!(err.0.contains("no timestamp authorities"), "{err}");
    // The production TSA does not vouch for a staging timestamp.
    let production = trusted_root("happy-path-v0.3").timestamp_authorities;
    assert!(!production.is_empty());
    assert!(verify_timestamp(&token, &signature, &production).is_err());
    // Validity bounds of the authority are honoured on both sides.
    let gen_time = rfc3339("2025-06-12T12:02:20Z");
    let mut late = authorities.clone();
    for a in &mut late {
        a.start = Some(gen_time + 1);
    }
    let err = verify_timestamp(&token, &signature, &late).unwrap_err();
    assert!(
        err.0.contains("validity of the timestamp authority"),
        "{err}"
    );
    let mut ended = authorities.clone();
    for a in &mut ended {
        a.end = Some(gen_time - 1);
    }
    assert!(verify_timestamp(&token, &signature, &ended).is_err());
}

#[test]
fn the_signature_must_be_the_stamped_one() {
    let (token, mut signature, authorities) = case("rekor2-happy-path");
    signature.push(0);
    let err = verify_timestamp(&token, &signature, &authorities).unwrap_err();
    assert!(err.0.contains("message imprint"), "{err}");
}

/// Where the DER element whose header starts at `at` has its contents.
fn contents_at(der: &[u8], at: usize) -> (usize, usize) {
    let len = der[at + 1];
    if len < 0x80 {
        (at + 2, usize::from(len))
    } else {
        let n = usize::from(len & 0x7f);
        let value = der[at + 2..at + 2 + n]
            .iter()
            .fold(0, |acc, b| (acc << 8) | usize::from(*b));
        (at + 2 + n, value)
    }
}

#[test]
fn tampering_never_yields_another_verified_time() {
    let (token, signature, authorities) = case("rekor2-timestamp-with-embedded-cert");
    let time = verify_timestamp(&token, &signature, &authorities).unwrap();
    // The encapsulated TSTInfo: after the id-ct-TSTInfo OID come [0] { OCTET STRING { TSTInfo } }.
    let oid = [
        0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
    ];
    let oid_at = token.windows(oid.len()).position(|w| w == oid).unwrap();
    let (explicit, _) = contents_at(&token, oid_at + oid.len());
    let tst_info = {
        let (start, len) = contents_at(&token, explicit);
        start..start + len
    };
    // Every TSTInfo byte, and a sample of the rest (each verification is slow in debug builds).
    let positions = (0..token.len()).filter(|i| tst_info.contains(i) || i % 5 == 0);
    for i in positions {
        let mut bad = token.clone();
        bad[i] ^= 0x01;
        // Unsigned parts (the CMS version, the digest algorithm list, an embedded certificate
        // that then no longer names the signer and is passed over for the trusted one) may
        // change; what is vouched for may not.
        if let Ok(t) = verify_timestamp(&bad, &signature, &authorities) {
            assert_eq!(t, time, "byte {i} changed the verified time");
            assert!(
                !tst_info.contains(&i),
                "TSTInfo byte {i} changed and still verified"
            );
        }
    }
    for len in [0, 1, 10, token.len() / 2, token.len() - 1] {
        assert!(verify_timestamp(&token[..len], &signature, &authorities).is_err());
    }
    let mut trailing = token.clone();
    trailing.push(0);
    assert!(verify_timestamp(&trailing, &signature, &authorities).is_err());
}

#[test]
fn bare_tokens_and_granted_responses_are_accepted_rejections_are_not() {
    let (response, signature, authorities) = case("rekor2-happy-path");
    // TimeStampResp ::= SEQUENCE { status SEQUENCE { INTEGER 0 }, token } with 4-byte header.
    assert_eq!(response[4..9], [0x30, 0x03, 0x02, 0x01, 0x00]);
    let token = &response[9..];
    verify_timestamp(token, &signature, &authorities).unwrap();

    let mut rejected = response.clone();
    rejected[8] = 2;
    let err = verify_timestamp(&rejected, &signature, &authorities).unwrap_err();
    assert!(err.0.contains("not granted"), "{err}");
    let mut with_mods = response.clone();
    with_mods[8] = 1;
    verify_timestamp(&with_mods, &signature, &authorities).unwrap();
}
