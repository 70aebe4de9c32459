//! `verify_commits` on ranges that real git made, with commits signed by throwaway SSH and
//! gpg keys, unsigned commits, merges and a tampered commit.

mod common;

use common::{Sandbox, Signer, SshKey, context, ssh_trust};
use secgate_core::Code;
use secgate_sign::commits::{CommitsReport, verify_commits};
use secgate_sign::git::Repo;
use secgate_sign::{SignError, Trust};
use std::path::{Path, PathBuf};

fn open(repo: &Path) -> Repo {
    Repo::open(repo).unwrap_or_else(|e| panic!("open: {e}"))
}

fn verify(repo: &Path, range: &str, trust: &Trust) -> CommitsReport {
    verify_commits(&open(repo), range, &context(trust)).unwrap_or_else(|e| panic!("verify: {e}"))
}

fn alice_trust(sandbox: &Sandbox, key: &SshKey) -> Trust {
    ssh_trust(sandbox.allowed_signers(&format!("alice@example.com {}\n", key.public)))
}

/// A repository with a signed base commit, Alice's key, and the base id.
fn signed_base(sandbox: &Sandbox) -> (PathBuf, SshKey, String) {
    let repo = sandbox.repo("repo");
    let key = sandbox.ssh_key("alice");
    let base = sandbox.commit(&repo, "base", &Signer::Ssh(&key));
    (repo, key, base)
}

#[test]
fn one_unsigned_commit_is_reported_at_that_commit_only_and_merges_are_checked() {
    let sandbox = Sandbox::new();
    let (repo, key, base) = signed_base(&sandbox);
    let alice = Signer::Ssh(&key);
    let first = sandbox.commit(&repo, "signed one", &alice);
    let unsigned = sandbox.commit(&repo, "forgot to sign", &Signer::Unsigned);
    sandbox.git(&repo, &["checkout", "-q", "-b", "side"]);
    let side = sandbox.commit(&repo, "on the side", &alice);
    sandbox.git(&repo, &["checkout", "-q", "main"]);
    let last = sandbox.commit(&repo, "signed again", &alice);
    sandbox.signed(
        &repo,
        &alice,
        &["merge", "-q", "--no-ff", "-S", "-m", "merge side", "side"],
    );
    let merge = sandbox.git(&repo, &["rev-parse", "HEAD"]);
    let parents = sandbox.git(&repo, &["rev-list", "--parents", "-n", "1", "HEAD"]);
    assert_eq!(parents.split(' ').count(), 3, "HEAD is a merge: {parents}");

    let report = verify(
        &repo,
        &format!("{base}..HEAD"),
        &alice_trust(&sandbox, &key),
    );

    let [finding] = report.findings.as_slice() else {
        panic!("expected one finding: {:?}", report.findings);
    };
    assert_eq!(finding.code, Code::CommitUnsigned);
    assert_eq!(finding.id.as_deref(), Some(unsigned.as_str()));
    assert_eq!(
        finding.message,
        format!(
            "commit {} by Alice <alice@example.com> (\"forgot to sign\") carries no signature",
            &unsigned[..12]
        )
    );
    let checked: Vec<&str> = report.commits.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(checked.len(), 5);
    for id in [&first, &unsigned, &side, &last, &merge] {
        assert!(checked.contains(&id.as_str()), "{id} not checked");
    }
    assert_eq!(
        checked.last(),
        Some(&merge.as_str()),
        "oldest first, the merge last"
    );
    for (id, verified) in &report.commits {
        if *id == unsigned {
            assert!(verified.is_none());
        } else {
            let verified = verified
                .as_ref()
                .unwrap_or_else(|| panic!("{id} not verified"));
            assert_eq!(
                (verified.signer.as_str(), verified.format),
                ("alice@example.com", "ssh")
            );
        }
    }
}

#[test]
fn tampered_commit_is_invalid() {
    let sandbox = Sandbox::new();
    let (repo, key, base) = signed_base(&sandbox);
    sandbox.commit(&repo, "harmless change", &Signer::Ssh(&key));
    let original = sandbox.git(&repo, &["cat-file", "commit", "HEAD"]);
    let tampered = original.replace("harmless change", "evil change") + "\n";
    assert!(tampered.contains("gpgsig -----BEGIN SSH SIGNATURE-----"));
    let id = sandbox.run(
        &repo,
        "git",
        &["hash-object", "-t", "commit", "-w", "--stdin"],
        tampered.as_bytes(),
    );

    let report = verify(
        &repo,
        &format!("{base}..{id}"),
        &alice_trust(&sandbox, &key),
    );

    let [finding] = report.findings.as_slice() else {
        panic!("expected one finding: {:?}", report.findings);
    };
    assert_eq!(finding.code, Code::SignatureInvalid);
    assert_eq!(finding.id.as_deref(), Some(id.as_str()));
    assert!(
        finding.message.starts_with(&format!(
            "commit {} by Alice <alice@example.com> (\"evil change\") has an invalid signature: ",
            &id[..12]
        )),
        "{}",
        finding.message
    );
    assert_eq!(report.commits, [(id, None)]);
}

#[test]
fn commit_signed_by_another_key_is_not_allowed() {
    let sandbox = Sandbox::new();
    let (repo, key, base) = signed_base(&sandbox);
    let mallory = sandbox.ssh_key("mallory");
    let commit = sandbox.commit(&repo, "sneaky", &Signer::Ssh(&mallory));
    let report = verify(
        &repo,
        &format!("{base}..HEAD"),
        &alice_trust(&sandbox, &key),
    );
    let [finding] = report.findings.as_slice() else {
        panic!("expected one finding: {:?}", report.findings);
    };
    assert_eq!(finding.code, Code::SignerNotAllowed);
    assert_eq!(finding.id.as_deref(), Some(commit.as_str()));
    assert!(
        finding
            .message
            .contains("(\"sneaky\") is not signed by an allowed signer: "),
        "{}",
        finding.message
    );
}

#[test]
fn ssh_and_gpg_signed_commits_pass_together() {
    let sandbox = Sandbox::new();
    let (repo, key, base) = signed_base(&sandbox);
    let bob = sandbox.gpg_key("Bob <bob@example.com>");
    sandbox.commit(&repo, "by ssh", &Signer::Ssh(&key));
    sandbox.commit(&repo, "by gpg", &Signer::Gpg(&bob));
    let trust = Trust {
        allowed_signers: Some(
            sandbox.allowed_signers(&format!("alice@example.com {}\n", key.public)),
        ),
        openpgp: Some(sandbox.keyring(&[&bob])),
    };
    let report = verify(&repo, &format!("{base}..HEAD"), &trust);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    let formats: Vec<&str> = report
        .commits
        .iter()
        .map(|(_, verified)| verified.as_ref().map_or("none", |v| v.format))
        .collect();
    assert_eq!(formats, ["ssh", "openpgp"]);
}

#[test]
fn empty_range_checks_nothing() {
    let sandbox = Sandbox::new();
    let (repo, key, _) = signed_base(&sandbox);
    let report = verify(&repo, "HEAD..HEAD", &alice_trust(&sandbox, &key));
    assert!(report.findings.is_empty());
    assert!(report.commits.is_empty());
}

#[test]
fn bad_ranges_are_errors() {
    let sandbox = Sandbox::new();
    let (repo, key, _) = signed_base(&sandbox);
    let trust = alice_trust(&sandbox, &key);
    for range in ["", "--all", "HEAD --output=x", "no-such-branch..HEAD"] {
        let result = verify_commits(&open(&repo), range, &context(&trust));
        assert!(
            matches!(result, Err(SignError::Git(_))),
            "{range}: {result:?}"
        );
    }
    assert!(!repo.join("x").exists());
    let result = verify_commits(&open(&repo), "HEAD", &context(&Trust::default()));
    assert!(matches!(result, Err(SignError::NoTrust)), "{result:?}");
}

#[test]
fn commits_parse_to_the_payload_git_verifies() {
    // git's own view of the payload: `verify-commit -v` prints it before checking.
    let sandbox = Sandbox::new();
    let (repo, key, _) = signed_base(&sandbox);
    let allowed = sandbox.path().join("git_allowed_signers");
    std::fs::write(&allowed, format!("alice@example.com {}\n", key.public)).expect("write");
    let config = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
    let from_git = sandbox.git(&repo, &["-c", &config, "verify-commit", "-v", "HEAD"]);
    let commits = open(&repo).commits("HEAD").expect("commits");
    let [commit] = commits.as_slice() else {
        panic!("{commits:?}");
    };
    assert_eq!(
        String::from_utf8_lossy(&commit.payload).trim_end(),
        from_git
    );
    assert_eq!(commit.subject, "base");
}
