//! `verify_tag` on tags that real git made and signed with throwaway SSH and gpg keys.

mod common;

use common::{Sandbox, Signer, context, openpgp_trust, ssh_trust};
use secgate_core::Code;
use secgate_sign::git::{Repo, TagTarget};
use secgate_sign::tag::{TagReport, verify_tag};
use secgate_sign::{SignError, Trust};

fn open(repo: &std::path::Path) -> Repo {
    Repo::open(repo).unwrap_or_else(|e| panic!("open: {e}"))
}

fn verify(repo: &std::path::Path, name: &str, trust: &Trust) -> TagReport {
    verify_tag(&open(repo), name, &context(trust)).unwrap_or_else(|e| panic!("verify: {e}"))
}

/// The only finding of `report`: its code, id and message.
fn only_finding(report: &TagReport) -> (Code, String, String) {
    assert!(report.verified.is_none(), "{report:?}");
    let [finding] = report.findings.as_slice() else {
        panic!("expected one finding: {report:?}");
    };
    assert_eq!(finding.location.path, "secgate.toml");
    (
        finding.code,
        finding.id.clone().unwrap_or_default(),
        finding.message.clone(),
    )
}

/// A repository with one commit and the tag `v1.0` signed by Alice's SSH key.
fn ssh_tagged(sandbox: &Sandbox) -> (std::path::PathBuf, common::SshKey) {
    let repo = sandbox.repo("repo");
    let key = sandbox.ssh_key("alice");
    sandbox.commit(&repo, "first", &Signer::Unsigned);
    sandbox.tag(&repo, "v1.0", "release 1.0", &Signer::Ssh(&key));
    (repo, key)
}

#[test]
fn ssh_signed_tag_is_accepted_with_its_signer() {
    let sandbox = Sandbox::new();
    let (repo, key) = ssh_tagged(&sandbox);
    let signers = sandbox.allowed_signers(&format!("alice@example.com {}\n", key.public));
    let report = verify(&repo, "v1.0", &ssh_trust(signers));
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    let verified = report.verified.expect("verified");
    assert_eq!(verified.signer, "alice@example.com");
    assert_eq!(verified.key, key.fingerprint);
    assert_eq!(verified.format, "ssh");
}

#[test]
fn tag_signed_by_a_key_not_in_allowed_signers_is_not_allowed() {
    let sandbox = Sandbox::new();
    let (repo, _) = ssh_tagged(&sandbox);
    let other = sandbox.ssh_key("mallory");
    let signers = sandbox.allowed_signers(&format!("alice@example.com {}\n", other.public));
    let (code, id, message) = only_finding(&verify(&repo, "v1.0", &ssh_trust(signers)));
    assert_eq!(code, Code::SignerNotAllowed);
    assert_eq!(id, "v1.0");
    assert!(
        message.starts_with(
            "tag `v1.0` (tagged by Alice <alice@example.com>) is not signed by an allowed signer: "
        ),
        "{message}"
    );
}

#[test]
fn tampered_tag_payload_is_invalid() {
    let sandbox = Sandbox::new();
    let (repo, key) = ssh_tagged(&sandbox);
    // The signed tag with another message, its signature kept, under a ref of its own.
    let original = sandbox.git(&repo, &["cat-file", "tag", "v1.0"]);
    let tampered = original.replace("release 1.0", "release 6.6") + "\n";
    assert_ne!(tampered.trim_end(), original);
    let id = sandbox.run(&repo, "git", &["mktag"], tampered.as_bytes());
    sandbox.git(&repo, &["update-ref", "refs/tags/evil", &id]);
    let signers = sandbox.allowed_signers(&format!("alice@example.com {}\n", key.public));
    let (code, tag, message) = only_finding(&verify(&repo, "evil", &ssh_trust(signers)));
    assert_eq!(code, Code::SignatureInvalid);
    assert_eq!(tag, "evil");
    assert!(
        message.starts_with(
            "tag `evil` (tagged by Alice <alice@example.com>) has an invalid signature: "
        ),
        "{message}"
    );
}

#[test]
fn signature_after_valid_before_is_not_allowed() {
    let sandbox = Sandbox::new();
    let (repo, key) = ssh_tagged(&sandbox);
    // Quoted, as ssh-keygen requires (it rejects `valid-before=20200101`: "missing start quote").
    let line = format!(
        "alice@example.com valid-before=\"20200101\" {}\n",
        key.public
    );
    let (code, id, message) = only_finding(&verify(
        &repo,
        "v1.0",
        &ssh_trust(sandbox.allowed_signers(&line)),
    ));
    assert_eq!((code, id.as_str()), (Code::SignerNotAllowed, "v1.0"));
    assert!(message.contains("Alice <alice@example.com>"), "{message}");
}

#[test]
fn ssh_signature_without_allowed_signers_is_not_allowed() {
    let sandbox = Sandbox::new();
    let (repo, _) = ssh_tagged(&sandbox);
    let bob = sandbox.gpg_key("Bob <bob@example.com>");
    let report = verify(&repo, "v1.0", &openpgp_trust(sandbox.keyring(&[&bob])));
    let (code, _, message) = only_finding(&report);
    assert_eq!(code, Code::SignerNotAllowed);
    assert!(
        message.ends_with("no allowed-signers file is configured for SSH signatures"),
        "{message}"
    );
    let fix = report.findings[0].fix.as_deref().unwrap_or_default();
    assert!(fix.contains("allowed-signers"), "{fix}");
}

#[test]
fn gpg_signed_tag_is_accepted_with_its_signer() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let bob = sandbox.gpg_key("Bob <bob@example.com>");
    sandbox.commit(&repo, "first", &Signer::Unsigned);
    sandbox.tag(&repo, "v2.0", "release 2.0", &Signer::Gpg(&bob));
    let report = verify(&repo, "v2.0", &openpgp_trust(sandbox.keyring(&[&bob])));
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    let verified = report.verified.expect("verified");
    assert_eq!(verified.signer, "Bob <bob@example.com>");
    assert_eq!(verified.key, bob.fingerprint);
    assert_eq!(verified.format, "openpgp");
}

#[test]
fn gpg_key_expired_is_not_allowed() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let old = sandbox.expired_gpg_key("Olga <olga@example.com>");
    sandbox.commit(&repo, "first", &Signer::Unsigned);
    sandbox.tag(&repo, "v0.1", "old release", &Signer::Gpg(&old));
    let (code, id, message) = only_finding(&verify(
        &repo,
        "v0.1",
        &openpgp_trust(sandbox.keyring(&[&old])),
    ));
    assert_eq!((code, id.as_str()), (Code::SignerNotAllowed, "v0.1"));
    assert!(
        message.starts_with(
            "tag `v0.1` (tagged by Alice <alice@example.com>) is not signed by an allowed signer: "
        ),
        "{message}"
    );
}

#[test]
fn gpg_key_revoked_is_not_allowed() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let bob = sandbox.gpg_key("Bob <bob@example.com>");
    sandbox.commit(&repo, "first", &Signer::Unsigned);
    sandbox.tag(&repo, "v2.0", "release 2.0", &Signer::Gpg(&bob));
    sandbox.revoke_gpg_key(&bob);
    let (code, id, _) = only_finding(&verify(
        &repo,
        "v2.0",
        &openpgp_trust(sandbox.keyring(&[&bob])),
    ));
    assert_eq!((code, id.as_str()), (Code::SignerNotAllowed, "v2.0"));
}

#[test]
fn unsigned_annotated_tag_is_unsigned() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let key = sandbox.ssh_key("alice");
    sandbox.commit(&repo, "first", &Signer::Unsigned);
    sandbox.tag(&repo, "v1.0", "release 1.0", &Signer::Unsigned);
    let signers = sandbox.allowed_signers(&format!("alice@example.com {}\n", key.public));
    let report = verify(&repo, "v1.0", &ssh_trust(signers));
    let (code, id, message) = only_finding(&report);
    assert_eq!((code, id.as_str()), (Code::TagUnsigned, "v1.0"));
    assert_eq!(
        message,
        "tag `v1.0` (tagged by Alice <alice@example.com>) carries no signature"
    );
    let fix = report.findings[0].fix.as_deref().unwrap_or_default();
    assert!(fix.contains("git tag -s -f -m v1.0 v1.0 v1.0^{}"), "{fix}");
}

#[test]
fn lightweight_tag_is_unsigned() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let key = sandbox.ssh_key("alice");
    let commit = sandbox.commit(&repo, "first", &Signer::Ssh(&key));
    sandbox.git(&repo, &["tag", "v1.0"]);
    assert_eq!(
        open(&repo).tag("v1.0").ok(),
        Some(TagTarget::Lightweight(commit))
    );
    let signers = sandbox.allowed_signers(&format!("alice@example.com {}\n", key.public));
    let (code, id, message) = only_finding(&verify(&repo, "v1.0", &ssh_trust(signers)));
    assert_eq!((code, id.as_str()), (Code::TagUnsigned, "v1.0"));
    assert_eq!(
        message,
        "`v1.0` is a lightweight tag: there is no tag object to sign"
    );
}

#[test]
fn missing_tag_and_missing_repository_are_errors() {
    let sandbox = Sandbox::new();
    let (repo, key) = ssh_tagged(&sandbox);
    let trust = ssh_trust(sandbox.allowed_signers(&format!("alice@example.com {}\n", key.public)));
    for name in ["v9.9", "v1.0^{}", "--help"] {
        match verify_tag(&open(&repo), name, &context(&trust)) {
            Err(SignError::Git(message)) => {
                assert_eq!(message, format!("no tag `{name}` in {}", repo.display()));
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let plain = sandbox.path().join("plain");
    std::fs::create_dir(&plain).expect("mkdir");
    match Repo::open(&plain) {
        Err(SignError::Git(message)) => {
            assert!(
                message.starts_with(&format!("{} is not in a git repository", plain.display())),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_signers_is_an_error_before_anything_else() {
    let sandbox = Sandbox::new();
    let (repo, _) = ssh_tagged(&sandbox);
    let result = verify_tag(&open(&repo), "no-such-tag", &context(&Trust::default()));
    assert!(matches!(result, Err(SignError::NoTrust)), "{result:?}");
}

#[test]
fn latest_tag_and_tags_at_head() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    sandbox.commit(&repo, "first", &Signer::Unsigned);
    let repository = open(&repo);
    assert_eq!(repository.latest_tag().ok(), Some(None));
    assert_eq!(repository.tags_at_head().ok(), Some(Vec::new()));
    sandbox.tag(&repo, "v1.0", "release 1.0", &Signer::Unsigned);
    sandbox.commit(&repo, "second", &Signer::Unsigned);
    assert_eq!(repository.latest_tag().ok(), Some(Some("v1.0".to_owned())));
    assert_eq!(repository.tags_at_head().ok(), Some(Vec::new()));
    sandbox.tag(&repo, "v1.1", "release 1.1", &Signer::Unsigned);
    sandbox.git(&repo, &["tag", "v1.1-light"]);
    assert_eq!(repository.latest_tag().ok(), Some(Some("v1.1".to_owned())));
    let at_head = repository.tags_at_head().expect("tags");
    assert_eq!(at_head, ["v1.1", "v1.1-light"]);
}

#[test]
fn x509_signed_tag_is_invalid() {
    let sandbox = Sandbox::new();
    let (repo, key) = ssh_tagged(&sandbox);
    let commit = sandbox.git(&repo, &["rev-parse", "HEAD"]);
    let tag = format!(
        "object {commit}\ntype commit\ntag smime\ntagger Alice <alice@example.com> 1795444395 +0000\n\n\
         smime release\n-----BEGIN SIGNED MESSAGE-----\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\n-----END SIGNED MESSAGE-----\n"
    );
    let id = sandbox.run(&repo, "git", &["mktag"], tag.as_bytes());
    sandbox.git(&repo, &["update-ref", "refs/tags/smime", &id]);
    let signers = sandbox.allowed_signers(&format!("alice@example.com {}\n", key.public));
    let (code, name, message) = only_finding(&verify(&repo, "smime", &ssh_trust(signers)));
    assert_eq!((code, name.as_str()), (Code::SignatureInvalid, "smime"));
    assert!(
        message.ends_with("x509 (gpgsm) signature, which secgate does not verify"),
        "{message}"
    );
}
