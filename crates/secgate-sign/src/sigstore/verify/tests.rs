//! Verification outcomes beyond the conformance suite: real bundles edited one field at a time,
//! and policies that must not accept them.

use super::*;
use crate::sigstore::test_data;

const DEFAULT_IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const DEFAULT_ISSUER: &str = "https://token.actions.githubusercontent.com";
/// A fixed "now" (2026-01-01), after every case bundle was made.
const NOW: i64 = 1_767_225_600;

/// Runs a case's bundle, edited by `edit`, with `options` edited by `configure`.
fn run_edited(
    name: &str,
    edit: impl FnOnce(&mut serde_json::Value),
    configure: impl FnOnce(&mut VerifyOptions),
) -> Result<BundleVerified, String> {
    let mut bundle = test_data::bundle(name);
    edit(&mut bundle);
    let mut options = VerifyOptions {
        trusted_root: test_data::public_good_root(),
        identity: Identity::Certificate {
            identity: DEFAULT_IDENTITY.into(),
            issuer: DEFAULT_ISSUER.into(),
        },
        now: NOW,
    };
    configure(&mut options);
    let bundle = serde_json::to_vec(&bundle).expect("bundle encodes");
    verify_bundle(&bundle, &test_data::artifact(name), &options).map_err(|e| e.0)
}

#[test]
fn a_verified_bundle_reports_signer_signing_time_and_log_index() {
    let verified = run_edited("happy-path-v0.1", |_| {}, |_| {}).expect("happy path verifies");
    assert_eq!(
        verified,
        BundleVerified {
            signer: DEFAULT_IDENTITY.into(),
            signed_at: Some(1_689_177_396),
            log_index: Some(27_246_492),
        }
    );
}

#[test]
fn another_identity_or_issuer_is_rejected() {
    let err = run_edited(
        "happy-path-v0.3",
        |_| {},
        |o| {
            o.identity = Identity::Certificate {
                identity:
                    "https://github.com/someone/else/.github/workflows/release.yml@refs/heads/main"
                        .into(),
                issuer: DEFAULT_ISSUER.into(),
            };
        },
    )
    .expect_err("another identity");
    assert!(err.contains("does not match the expected"), "{err}");
    let err = run_edited(
        "happy-path-v0.3",
        |_| {},
        |o| {
            o.identity = Identity::Certificate {
                identity: DEFAULT_IDENTITY.into(),
                issuer: "https://accounts.google.com".into(),
            };
        },
    )
    .expect_err("another issuer");
    assert!(err.contains("OIDC issuer"), "{err}");
}

#[test]
fn an_entry_integrated_after_now_is_rejected() {
    // The day before the entry was integrated.
    let err = run_edited(
        "happy-path-v0.3",
        |_| {},
        |o| o.now = 1_710_869_186 - 86_400,
    )
    .expect_err("integrated in the future");
    assert!(err.contains("in the future"), "{err}");
}

#[test]
fn a_certificate_bundle_does_not_verify_against_a_public_key() {
    let key = std::fs::read(test_data::case_dir("managed-key-happy-path").join("key.pub"))
        .expect("key.pub");
    let err = run_edited(
        "happy-path-v0.3",
        |_| {},
        |o| o.identity = Identity::PublicKey(key),
    )
    .expect_err("certificate bundle with key policy");
    assert!(err.contains("a public key is expected"), "{err}");
}

#[test]
fn a_v01_bundle_without_inclusion_promise_is_rejected() {
    let err = run_edited(
        "happy-path-v0.1",
        |b| {
            let entry = &mut b["verificationMaterial"]["tlogEntries"][0];
            entry
                .as_object_mut()
                .expect("entry object")
                .remove("inclusionPromise");
        },
        |_| {},
    )
    .expect_err("no promise");
    assert!(err.contains("inclusion promise"), "{err}");
}

#[test]
fn a_kind_version_that_contradicts_the_body_is_rejected() {
    let err = run_edited(
        "happy-path-v0.3",
        |b| b["verificationMaterial"]["tlogEntries"][0]["kindVersion"]["kind"] = "dsse".into(),
        |_| {},
    )
    .expect_err("kind mismatch");
    assert!(err.contains("kindVersion says"), "{err}");
}

#[test]
fn a_bundle_without_log_entries_is_rejected() {
    let err = run_edited(
        "happy-path-v0.3",
        |b| b["verificationMaterial"]["tlogEntries"] = serde_json::json!([]),
        |_| {},
    )
    .expect_err("no entries");
    assert!(err.contains("no transparency-log entry"), "{err}");
}

#[test]
fn a_trusted_root_without_the_fulcio_ca_is_rejected() {
    let err = run_edited(
        "happy-path-v0.3",
        |_| {},
        |o| o.trusted_root.certificate_authorities.clear(),
    )
    .expect_err("no CA");
    assert!(
        err.contains("does not chain to a trusted Fulcio CA"),
        "{err}"
    );
}

#[test]
fn an_sct_that_its_log_key_does_not_verify_is_rejected() {
    let err = run_edited(
        "happy-path-v0.3",
        |_| {},
        |o| {
            // Keep the log ids, swap the keys: the SCT's log is found but its key is wrong.
            let keys: Vec<Vec<u8>> = o
                .trusted_root
                .ctlogs
                .iter()
                .map(|l| l.spki.clone())
                .collect();
            for (log, key) in o.trusted_root.ctlogs.iter_mut().zip(keys.iter().rev()) {
                log.spki.clone_from(key);
            }
        },
    )
    .expect_err("wrong CT log key");
    assert!(err.contains("SCT signature does not verify"), "{err}");
}

#[test]
fn a_leaf_from_another_fulcio_instance_is_rejected() {
    let staging = test_data::staging_root();
    let err = run_edited(
        "happy-path-v0.3",
        |_| {},
        |o| o.trusted_root.certificate_authorities = staging.certificate_authorities,
    )
    .expect_err("staging CA");
    // Staging's intermediate has the production one's name, so only the signature tells.
    assert!(err.contains("does not verify"), "{err}");
}

#[test]
fn a_key_bundle_does_not_verify_with_another_key() {
    // A well-formed P-256 key that did not sign: the public-good CT log's.
    let root = test_data::public_good_root();
    let other = root.ctlogs.last().expect("a CT log").spki.clone();
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, other)
    );
    let err = run_edited(
        "managed-key-happy-path",
        |_| {},
        |o| o.identity = Identity::PublicKey(pem.into_bytes()),
    )
    .expect_err("another key");
    assert!(err.contains("certificate or public key differs"), "{err}");
}

#[test]
fn a_v03_bundle_with_a_certificate_chain_is_rejected() {
    let err = run_edited(
        "happy-path-v0.3",
        |b| {
            let material = &mut b["verificationMaterial"];
            let certificate = material["certificate"].clone();
            material["x509CertificateChain"] = serde_json::json!({"certificates": [certificate]});
            material
                .as_object_mut()
                .expect("material object")
                .remove("certificate");
        },
        |_| {},
    )
    .expect_err("chain in v0.3");
    assert!(err.contains("must carry `certificate`"), "{err}");
}
