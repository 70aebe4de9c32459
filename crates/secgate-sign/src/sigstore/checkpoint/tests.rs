use super::{Checkpoint, verify_checkpoint};
use crate::sigstore::test_data::{b64_at, bundle, str_at, trusted_root};
use crate::sigstore::trust_root::LogKey;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

const ENTRY: &str = "/verificationMaterial/tlogEntries/0";

/// The case's checkpoint envelope and the trusted-root log its entry names.
fn case(name: &str) -> (String, LogKey, serde_json::Value) {
    let b = bundle(name);
    let envelope = str_at(&b, &format!("{ENTRY}/inclusionProof/checkpoint/envelope")).to_owned();
    let log_id = b64_at(&b, &format!("{ENTRY}/logId/keyId"));
    let log = trusted_root(name)
        .tlogs
        .into_iter()
        .find(|l| l.log_id == log_id)
        .unwrap_or_else(|| panic!("{name}: the entry's log is in the trusted root"));
    (envelope, log, b)
}

#[test]
fn conformance_checkpoints_of_rekor_v1_and_v2_verify() {
    let cases = [
        "happy-path-v0.3",
        "managed-key-and-trusted-root",
        "intoto-with-custom-trust-root",
        "bundle-with-sct-with-extensions",
        "rekor2-happy-path",
        "rekor2-dsse-happy-path",
        "rekor2-checkpoint-cosigned",
        "rekor2-checkpoint-multiple-cosigs",
        "rekor2-checkpoint-origin-not-first",
        "rekor2-checkpoint-two-sigs-cosigned",
        "rekor2-checkpoint-two-sigs-from-origin",
    ];
    for name in cases {
        let (envelope, log, b) = case(name);
        let checkpoint =
            verify_checkpoint(&envelope, &log).unwrap_or_else(|e| panic!("{name}: {e}"));
        let size: u64 = str_at(&b, &format!("{ENTRY}/inclusionProof/treeSize"))
            .parse()
            .unwrap();
        let root = b64_at(&b, &format!("{ENTRY}/inclusionProof/rootHash"));
        assert_eq!(checkpoint.size, size, "{name}");
        assert_eq!(checkpoint.root_hash.as_slice(), root.as_slice(), "{name}");
        assert!(
            checkpoint
                .origin
                .starts_with(envelope.lines().next().unwrap())
        );
    }
}

#[test]
fn conformance_checkpoints_that_must_fail_are_rejected() {
    let cases = [
        (
            "rekor2-checkpoint-missing-log-signature_fail",
            "no signatures",
        ),
        ("rekor2-checkpoint-missing-origin_fail", "tree size"),
        ("rekor2-checkpoint-missing-root-hash_fail", "root hash"),
        ("rekor2-checkpoint-missing-size_fail", "tree size"),
        (
            "rekor2-checkpoint-no-matching-signature_fail",
            "is not the log",
        ),
        ("checkpoint-bad-keyhint_fail", "no signature by the log"),
        ("invalid-checkpoint-signature_fail", "is invalid"),
    ];
    for (name, why) in cases {
        let (envelope, log, _) = case(name);
        let err = verify_checkpoint(&envelope, &log).unwrap_err();
        assert!(err.0.contains(why), "{name}: {err}");
    }
}

#[test]
fn a_checkpoint_with_a_wrong_root_verifies_but_does_not_match_the_proof() {
    // The note itself is sound; the orchestration must compare it with the proof.
    let (envelope, log, b) = case("checkpoint-wrong-roothash_fail");
    let checkpoint = verify_checkpoint(&envelope, &log).unwrap();
    let root = b64_at(&b, &format!("{ENTRY}/inclusionProof/rootHash"));
    assert_ne!(checkpoint.root_hash.as_slice(), root.as_slice());
}

#[test]
fn a_checkpoint_of_another_log_is_rejected() {
    let (envelope, _, _) = case("rekor2-happy-path");
    let (_, v1_log, _) = case("happy-path-v0.3");
    assert!(verify_checkpoint(&envelope, &v1_log).is_err());
    let (v1_envelope, _, _) = case("happy-path-v0.3");
    let (_, v2_log, _) = case("rekor2-happy-path");
    assert!(verify_checkpoint(&v1_envelope, &v2_log).is_err());
}

/// A throwaway Ed25519 log named `log.example` that signs notes.
struct TestLog {
    signer: ed25519_dalek::SigningKey,
    log: LogKey,
}

impl TestLog {
    fn new() -> Self {
        let signer = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
        let mut spki = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        spki.extend_from_slice(signer.verifying_key().as_bytes());
        let log = LogKey {
            base_url: "https://log.example/api".to_owned(),
            log_id: Vec::new(),
            spki,
            key_details: "PKIX_ED25519".to_owned(),
            start: None,
            end: None,
        };
        TestLog { signer, log }
    }

    fn hint(&self, name: &str) -> [u8; 4] {
        let digest = Sha256::new()
            .chain_update(name)
            .chain_update(b"\n\x01")
            .chain_update(self.signer.verifying_key().as_bytes())
            .finalize();
        [digest[0], digest[1], digest[2], digest[3]]
    }

    fn line(&self, name: &str, text: &str) -> String {
        use ed25519_dalek::Signer as _;
        let mut sig = self.hint(name).to_vec();
        sig.extend_from_slice(&self.signer.sign(text.as_bytes()).to_bytes());
        let b64 = base64::engine::general_purpose::STANDARD.encode(sig);
        format!("\u{2014} {name} {b64}\n")
    }
}

const ROOT: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

#[test]
fn a_note_signed_by_the_log_verifies_with_extension_lines() {
    let t = TestLog::new();
    let text = format!("log.example\n42\n{ROOT}\nTimestamp: 1\n");
    let note = format!("{text}\n{}", t.line("log.example", &text));
    let checkpoint = verify_checkpoint(&note, &t.log).unwrap();
    assert_eq!(
        checkpoint,
        Checkpoint {
            origin: "log.example".to_owned(),
            size: 42,
            root_hash: [0; 32],
        }
    );
}

#[test]
fn signatures_under_another_name_or_over_another_body_do_not_count() {
    let t = TestLog::new();
    let text = format!("log.example\n42\n{ROOT}\n");

    // Signed by the right key, but under a witness name: not the log's signature.
    let note = format!("{text}\n{}", t.line("witness.example", &text));
    let err = verify_checkpoint(&note, &t.log).unwrap_err();
    assert!(err.0.contains("no signature by the log"), "{err}");

    // The log's hint and name over a different size: the signature fails, the note is rejected.
    let other = format!("log.example\n43\n{ROOT}\n");
    let note = format!("{text}\n{}", t.line("log.example", &other));
    let err = verify_checkpoint(&note, &t.log).unwrap_err();
    assert!(err.0.contains("is invalid"), "{err}");
}

#[test]
fn malformed_notes_are_rejected() {
    let t = TestLog::new();
    let text = format!("log.example\n42\n{ROOT}\n");
    let good = t.line("log.example", &text);
    let bad = [
        format!("{text}{good}"),                        // no blank line
        format!("{text}\n{}", good.trim_end()),         // no final newline
        format!("{text}\n{good}garbage\n"),             // a line that is not a signature
        format!("{text}\n{good}\u{2014} w AAAA\n"),     // a signature without a hint
        format!("{text}\n{good}\u{2014} w !!!!\n"),     // not base64
        format!("log.example\n+42\n{ROOT}\n\n{good}"),  // size with a sign
        format!("log.example\n42\nAAAA\n\n{good}"),     // short root hash
        format!("\n42\n{ROOT}\n\n{good}"),              // empty origin
        format!("other.example\n42\n{ROOT}\n\n{good}"), // another log's origin
    ];
    for note in bad {
        assert!(
            verify_checkpoint(&note, &t.log).is_err(),
            "accepted: {note:?}"
        );
    }
}

#[test]
fn rekor_v1_origin_and_key_hint() {
    let (envelope, log, _) = case("happy-path-v0.3");
    assert!(envelope.starts_with("rekor.sigstore.dev - "));
    // Rekor v1 hints are the first bytes of SHA-256 of the SPKI, i.e. of the log id.
    let line = envelope
        .lines()
        .find(|l| l.starts_with('\u{2014}'))
        .unwrap();
    let sig = base64::engine::general_purpose::STANDARD
        .decode(line.rsplit(' ').next().unwrap())
        .unwrap();
    assert_eq!(sig[..4], Sha256::digest(&log.spki)[..4]);
    assert_eq!(sig[..4], log.log_id[..4]);
}
