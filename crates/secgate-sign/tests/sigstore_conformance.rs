//! The bundle-verification cases of the Sigstore client conformance suite, run through
//! `verify_bundle` from the shared test material (never copied into the repository): every case
//! whose name ends in `_fail` must be rejected, every other one accepted.
// Each verdict and the pass count are the suite's report (`cargo test -- --nocapture`).
#![allow(clippy::print_stdout)]

use secgate_sign::sigstore::{BundleVerified, Identity, TrustedRoot, VerifyOptions, verify_bundle};
use std::path::{Path, PathBuf};

/// Cases that do not yet get the expected verdict. Each is asserted to still miss it, so fixing
/// one forces it off this list.
const KNOWN_GAPS: &[&str] = &[];

const DEFAULT_IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const DEFAULT_ISSUER: &str = "https://token.actions.githubusercontent.com";

fn shared() -> PathBuf {
    // `../shared` beside the repository, or `$SECGATE_SHARED` (as the workspace's other tests).
    std::env::var_os("SECGATE_SHARED")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
            PathBuf::from,
        )
        .join("sigstore")
}

fn cases_dir() -> PathBuf {
    shared().join("conformance/bundle-verify")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_text(path: &Path) -> Option<String> {
    path.exists()
        .then(|| String::from_utf8_lossy(&read(path)).trim().to_owned())
}

fn now() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since_epoch.as_secs()).expect("seconds fit in i64")
}

/// Runs one case the way the conformance harness does; a trusted root that does not parse is
/// a rejection too.
fn run_case(name: &str) -> Result<BundleVerified, String> {
    let dir = cases_dir().join(name);
    let bundle = read(&dir.join("bundle.sigstore.json"));
    let artifact_path = dir.join("artifact");
    let artifact = if artifact_path.exists() {
        read(&artifact_path)
    } else {
        read(&shared().join("conformance/a.txt"))
    };
    let root_path = dir.join("trusted_root.json");
    let root_path = if root_path.exists() {
        root_path
    } else {
        shared().join("trust/public-good-trusted_root.json")
    };
    let trusted_root = TrustedRoot::from_json(&read(&root_path)).map_err(|e| e.to_string())?;
    let key_path = dir.join("key.pub");
    let identity = if key_path.exists() {
        Identity::PublicKey(read(&key_path))
    } else {
        Identity::Certificate {
            identity: read_text(&dir.join("identity")).unwrap_or_else(|| DEFAULT_IDENTITY.into()),
            issuer: read_text(&dir.join("issuer")).unwrap_or_else(|| DEFAULT_ISSUER.into()),
        }
    };
    let options = VerifyOptions {
        trusted_root,
        identity,
        now: now(),
    };
    verify_bundle(&bundle, &artifact, &options).map_err(|e| e.to_string())
}

fn case_names() -> Vec<String> {
    let dir = cases_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("bundle.sigstore.json").exists())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn conformance_bundle_verify_cases() {
    let names = case_names();
    assert!(
        names.len() >= 70,
        "expected the 70 conformance cases, found {}",
        names.len()
    );
    for gap in KNOWN_GAPS {
        assert!(
            names.iter().any(|n| n == gap),
            "KNOWN_GAPS names no case `{gap}`"
        );
    }
    let mut passed = 0;
    let mut failures = Vec::new();
    let mut fixed_gaps = Vec::new();
    for name in &names {
        let outcome = run_case(name);
        let should_accept = !name.ends_with("_fail");
        let as_expected = outcome.is_ok() == should_accept;
        if as_expected {
            passed += 1;
        }
        let verdict = match &outcome {
            Ok(verified) => format!("accepted ({})", verified.signer),
            Err(reason) => format!("rejected: {reason}"),
        };
        println!(
            "{} {name}: {verdict}",
            if as_expected { "ok  " } else { "MISS" }
        );
        if KNOWN_GAPS.contains(&name.as_str()) {
            if as_expected {
                fixed_gaps.push(name.clone());
            }
        } else if !as_expected {
            failures.push(format!("{name}: {verdict}"));
        }
    }
    println!("sigstore conformance: {passed}/{} cases pass", names.len());
    assert!(
        failures.is_empty(),
        "cases with the wrong verdict:\n{}",
        failures.join("\n")
    );
    assert!(
        fixed_gaps.is_empty(),
        "these KNOWN_GAPS now pass; remove them from the list: {fixed_gaps:?}"
    );
}

/// Why each `_fail` case must be rejected: a case rejected for some other reason would hide a
/// missing check.
const EXPECTED_REASONS: &[(&str, &str)] = &[
    (
        "bundle-empty-certificate-chain_fail",
        "certificate chain is empty",
    ),
    ("bundle-from-wrong-instance_fail", "not in the trusted root"),
    (
        "intoto-tsa-timestamp-outside-cert-validity_fail",
        "outside the signing certificate's validity",
    ),
    ("bundle-invalid-base64-signature_fail", "not valid base64"),
    ("bundle-malformed-json_fail", "not valid bundle JSON"),
    ("bundle-negative-log-index_fail", "logIndex is negative"),
    (
        "bundle-unknown-version_fail",
        "unsupported bundle media type",
    ),
    ("bundle-with-root-cert_fail", "root certificate"),
    ("checkpoint-bad-keyhint_fail", "checkpoint"),
    (
        "checkpoint-wrong-roothash_fail",
        "checkpoint is for another tree",
    ),
    ("dsse-invalid-sig_fail", "DSSE signature"),
    ("dsse-mismatch-envelope_fail", "payload digest differs"),
    ("dsse-mismatch-sig_fail", "DSSE signature differs"),
    (
        "inclusion-proof-corrupted-hash_fail",
        "inclusion proof does not verify",
    ),
    (
        "incorrect-public-key_fail",
        "certificate or public key differs",
    ),
    (
        "integrated-time-in-future_fail",
        "outside the signing certificate's validity",
    ),
    (
        "intoto-expired-certificate_fail",
        "outside the signing certificate's validity",
    ),
    (
        "intoto-log-entry-mismatch_fail",
        "does not match the bundle",
    ),
    ("intoto-missing-inclusion-proof_fail", "no inclusion proof"),
    (
        "intoto-set-outside-signing-cert-validity_fail",
        "outside the signing certificate's validity",
    ),
    ("invalid-checkpoint-signature_fail", "checkpoint"),
    ("invalid-ct-key_fail", "SCT"),
    ("invalid-inclusion-proof_fail", "inclusion proof"),
    ("managed-key-no-key_fail", "signed with a public key"),
    ("managed-key-wrong-key_fail", "public key"),
    ("message-digest-mismatch_fail", "messageDigest"),
    ("rekor2-checkpoint-missing-log-signature_fail", "checkpoint"),
    ("rekor2-checkpoint-missing-origin_fail", "checkpoint"),
    ("rekor2-checkpoint-missing-root-hash_fail", "checkpoint"),
    ("rekor2-checkpoint-missing-size_fail", "checkpoint"),
    ("rekor2-checkpoint-no-matching-signature_fail", "checkpoint"),
    (
        "rekor2-dsse-invalid-sig_fail",
        "signature or its certificate or key differs",
    ),
    (
        "rekor2-dsse-mismatch-envelope_fail",
        "signed digest differs",
    ),
    (
        "rekor2-dsse-mismatch-sig_fail",
        "signature or its certificate or key differs",
    ),
    ("rekor2-no-inclusion-proof_fail", "no inclusion proof"),
    ("rekor2-no-timestamp_fail", "no verified signing time"),
    (
        "rekor2-timestamp-outside-trust-root-tsa-validity_fail",
        "RFC 3161 timestamp",
    ),
    (
        "rekor2-timestamp-outside-tsa-cert-validity_fail",
        "RFC 3161 timestamp",
    ),
    (
        "rekor2-timestamp-payload-mismatch_fail",
        "RFC 3161 timestamp",
    ),
    (
        "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail",
        "RFC 3161 timestamp",
    ),
    (
        "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail",
        "RFC 3161 timestamp",
    ),
    (
        "rekor2-timestamp-with-incorrect-time_fail",
        "outside the signing certificate's validity",
    ),
    ("set-invalid-signature_fail", "signed entry timestamp"),
    ("signature-mismatch_fail", "signature differs"),
    (
        "trust-root-tlog-missing-validity-start_fail",
        "validFor.start",
    ),
    (
        "wrong-hashedrekord-artifact_fail",
        "artifact digest differs",
    ),
    ("wrong-hashedrekord-cert-and-sig_fail", "signature differs"),
    ("wrong-hashedrekord-entry_fail", "does not match the bundle"),
    ("wrong-material_fail", "messageDigest"),
];

#[test]
fn fail_cases_are_rejected_for_their_reason() {
    let names = case_names();
    let mut wrong = Vec::new();
    let fail_cases = names.iter().filter(|n| n.ends_with("_fail")).count();
    assert_eq!(
        EXPECTED_REASONS.len(),
        fail_cases,
        "every `_fail` case needs its expected reason"
    );
    for (name, reason) in EXPECTED_REASONS {
        assert!(names.iter().any(|n| n == name), "no case `{name}`");
        if KNOWN_GAPS.contains(name) {
            continue;
        }
        match run_case(name) {
            Ok(_) => wrong.push(format!("{name}: accepted")),
            Err(e) if !e.contains(reason) => {
                wrong.push(format!("{name}: `{e}` does not mention `{reason}`"));
            }
            Err(_) => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
