//! End to end: `secgate verify tag|commits` on real repositories signed with real `ssh-keygen`
//! and `gpg` keys, `secgate check` with `[signatures]`, `secgate verify checksums` and
//! `secgate verify artifact` on the Sigstore conformance bundles.

mod common;

use common::signing::Lab;
use common::{output_dir, s, secgate_in, shared};
use serde_json::Value;
use std::path::Path;

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// (code, id) of every finding.
fn codes(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// A lab whose HEAD is tagged `v1.0` by Alice's SSH key, with `keys/allowed_signers` trusting it.
fn ssh_tagged_lab() -> (Lab, std::path::PathBuf) {
    let lab = Lab::new();
    let sign = lab.ssh_key("alice");
    let mut args: Vec<&str> = sign.iter().map(String::as_str).collect();
    args.extend(["tag", "-s", "v1.0", "-m", "release 1.0"]);
    lab.git(&args);
    let signers = lab.allowed_signers(
        &lab.keys().join("allowed_signers"),
        &[("alice@example.com", "namespaces=\"git\"", "alice")],
    );
    (lab, signers)
}

#[test]
fn ssh_signed_tag_is_accepted_and_names_its_signer() {
    let (lab, signers) = ssh_tagged_lab();
    let run = secgate_in(
        lab.dir.path(),
        &[
            "verify",
            "tag",
            "v1.0",
            "--repo",
            s(&lab.repo()),
            "--allowed-signers",
            s(&signers),
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("tag `v1.0`: signed by alice@example.com (ssh key SHA256:"),
        "{}",
        run.stdout
    );
}

#[test]
fn tag_by_a_key_outside_allowed_signers_fails_the_gate_in_every_format() {
    let (lab, _) = ssh_tagged_lab();
    lab.ssh_key("mallory");
    let signers = lab.allowed_signers(
        &lab.keys().join("others"),
        &[("mallory@example.com", "", "mallory")],
    );
    let repo = lab.repo();
    let base = [
        "verify",
        "tag",
        "v1.0",
        "--repo",
        s(&repo),
        "--allowed-signers",
        s(&signers),
    ];
    let run = secgate_in(lab.dir.path(), &[&base[..], &["--format", "json"]].concat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run.stdout);
    assert_eq!(
        codes(&report),
        [("signer-not-allowed".to_owned(), "v1.0".to_owned())]
    );
    let finding = &report["findings"][0];
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("Alice <alice@example.com>"),
        "{finding}"
    );

    let sarif = output_dir().join("verify-tag-signer-not-allowed.sarif");
    let run = secgate_in(
        lab.dir.path(),
        &[&base[..], &["--format", "sarif", "-o", s(&sarif)]].concat(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "signer-not-allowed"
    );
}

#[test]
fn unsigned_and_lightweight_tags_are_tag_unsigned() {
    let (lab, signers) = ssh_tagged_lab();
    lab.git(&["tag", "-a", "v1.1", "-m", "not signed"]);
    lab.git(&["tag", "v1.2"]);
    for tag in ["v1.1", "v1.2"] {
        let run = secgate_in(
            lab.dir.path(),
            &[
                "verify",
                "tag",
                tag,
                "--repo",
                s(&lab.repo()),
                "--allowed-signers",
                s(&signers),
                "--format",
                "json",
            ],
        );
        assert_eq!(run.code, 1, "{tag}: {}", run.stderr);
        let report = json(&run.stdout);
        // No policy file demands it, so the finding points at the trust file given.
        let path = report["findings"][0]["location"]["path"].as_str().unwrap();
        assert!(path.ends_with("keys/allowed_signers"), "{path}");
        assert_eq!(
            codes(&report),
            [("tag-unsigned".to_owned(), tag.to_owned())]
        );
    }
}

#[test]
fn gpg_signed_tag_is_accepted_with_the_release_key() {
    let lab = Lab::new();
    let sign = lab.gpg_key("Alice <alice@example.com>", "release.asc");
    let mut args: Vec<&str> = sign.iter().map(String::as_str).collect();
    args.extend(["tag", "-s", "v2.0", "-m", "release 2.0"]);
    lab.git(&args);
    let key = lab.keys().join("release.asc");
    let run = secgate_in(
        lab.dir.path(),
        &[
            "verify",
            "tag",
            "v2.0",
            "--repo",
            s(&lab.repo()),
            "--openpgp-key",
            s(&key),
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("signed by Alice <alice@example.com> (openpgp key"),
        "{}",
        run.stdout
    );
}

#[test]
fn commit_range_reports_only_the_unsigned_commit() {
    let lab = Lab::new();
    let sign = lab.ssh_key("alice");
    let base = lab.git(&["rev-parse", "HEAD"]);
    lab.commit("a.txt", "a\n", "signed one", Some(&sign));
    let unsigned = lab.commit("b.txt", "b\n", "forgot to sign", None);
    lab.commit("c.txt", "c\n", "signed again", Some(&sign));
    let signers = lab.allowed_signers(
        &lab.keys().join("allowed_signers"),
        &[("alice@example.com", "", "alice")],
    );
    let range = format!("{base}..HEAD");
    let run = secgate_in(
        lab.dir.path(),
        &[
            "verify",
            "commits",
            &range,
            "--repo",
            s(&lab.repo()),
            "--allowed-signers",
            s(&signers),
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run.stdout);
    assert_eq!(
        codes(&report),
        [("commit-unsigned".to_owned(), unsigned.clone())]
    );
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("forgot to sign") && message.contains("Alice"),
        "{message}"
    );
    assert!(
        report["notes"].to_string().contains("3 checked, 2 signed"),
        "{}",
        report["notes"]
    );
}

#[test]
fn empty_explicit_range_and_missing_signers_are_errors_not_passes() {
    let (lab, signers) = ssh_tagged_lab();
    let run = secgate_in(
        lab.dir.path(),
        &[
            "verify",
            "commits",
            "HEAD..HEAD",
            "--repo",
            s(&lab.repo()),
            "--allowed-signers",
            s(&signers),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("has no commits: nothing was verified"),
        "{}",
        run.stderr
    );

    let run = secgate_in(
        lab.dir.path(),
        &["verify", "tag", "v1.0", "--repo", s(&lab.repo())],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no signers to verify against"),
        "{}",
        run.stderr
    );

    let run = secgate_in(
        lab.dir.path(),
        &[
            "verify",
            "tag",
            "v9",
            "--repo",
            s(&lab.repo()),
            "--allowed-signers",
            s(&signers),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("v9"), "{}", run.stderr);

    let bad = lab.keys().join("bad_signers");
    std::fs::write(&bad, "# ok\nalice@example.com ssh-ed25519 not-base64!\n").unwrap();
    let run = secgate_in(
        lab.dir.path(),
        &[
            "verify",
            "tag",
            "v1.0",
            "--repo",
            s(&lab.repo()),
            "--allowed-signers",
            s(&bad),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad_signers:2"), "{}", run.stderr);
}

/// A repository with a policy that requires signed tags, signers under `.github/`, and one shell
/// script so the pinning gate has something to read.
fn policy_lab() -> Lab {
    let lab = Lab::new();
    lab.ssh_key("alice");
    lab.allowed_signers(
        &lab.repo().join(".github/allowed_signers"),
        &[("alice@example.com", "namespaces=\"git\"", "alice")],
    );
    std::fs::write(
        lab.repo().join("secgate.toml"),
        "[signatures]\ntags = \"required\"\ncommits = \"off\"\nallowed-signers = \".github/allowed_signers\"\n",
    )
    .unwrap();
    std::fs::write(
        lab.repo().join("build.sh"),
        "#!/bin/sh\ncargo build --locked\n",
    )
    .unwrap();
    lab.git(&["add", "."]);
    lab.git(&["commit", "-q", "-m", "policy"]);
    lab
}

#[test]
fn check_verifies_the_tag_at_head_when_the_policy_requires_it() {
    let lab = policy_lab();
    lab.git(&["tag", "-a", "v3.0", "-m", "unsigned release"]);
    let run = secgate_in(&lab.repo(), &["check", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = json(&run.stdout);
    assert_eq!(
        codes(&report),
        [("tag-unsigned".to_owned(), "v3.0".to_owned())]
    );
    // The finding points at the policy line that requires signed tags.
    let location = &report["findings"][0]["location"];
    assert_eq!(
        (location["path"].as_str(), location["line"].as_u64()),
        (Some("secgate.toml"), Some(2))
    );

    lab.git(&["tag", "-d", "v3.0"]);
    let sign = [
        "-c".to_owned(),
        "gpg.format=ssh".to_owned(),
        "-c".to_owned(),
        format!("user.signingKey={}", lab.keys().join("alice").display()),
    ];
    let mut args: Vec<&str> = sign.iter().map(String::as_str).collect();
    args.extend(["tag", "-s", "v3.0", "-m", "signed release"]);
    lab.git(&args);
    let run = secgate_in(&lab.repo(), &["check", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("tag `v3.0` signed by alice@example.com"),
        "{}",
        run.stdout
    );
}

#[test]
fn checksums_good_mismatch_missing_and_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("app.tar.gz"), b"release bytes").unwrap();
    std::fs::write(d.join("app.zip"), b"other bytes").unwrap();
    let digest = |bytes: &[u8]| {
        use sha2::Digest as _;
        let hash = sha2::Sha256::digest(bytes);
        hash.iter()
            .fold(String::new(), |hex, b| hex + &format!("{b:02x}"))
    };
    let good = format!(
        "{}  app.tar.gz\n{}  app.zip\n",
        digest(b"release bytes"),
        digest(b"other bytes")
    );
    std::fs::write(d.join("SHA256SUMS"), &good).unwrap();
    let run = secgate_in(d, &["verify", "checksums", "SHA256SUMS"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("2 of 2 listed file(s) match"),
        "{}",
        run.stdout
    );

    std::fs::write(d.join("app.zip"), b"tampered").unwrap();
    std::fs::remove_file(d.join("app.tar.gz")).unwrap();
    let sarif = output_dir().join("verify-checksums-mismatch.sarif");
    let run = secgate_in(
        d,
        &[
            "verify",
            "checksums",
            "SHA256SUMS",
            "--format",
            "sarif",
            "-o",
            s(&sarif),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = secgate_in(
        d,
        &["verify", "checksums", "SHA256SUMS", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run.stdout);
    assert_eq!(
        codes(&report),
        [
            ("checksum-mismatch".to_owned(), "app.tar.gz".to_owned()),
            ("checksum-mismatch".to_owned(), "app.zip".to_owned()),
        ]
    );
    assert_eq!(report["findings"][1]["location"]["line"], 2);

    std::fs::write(d.join("SHA256SUMS"), format!("{good}not a checksum line\n")).unwrap();
    let run = secgate_in(d, &["verify", "checksums", "SHA256SUMS"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("SHA256SUMS:3"), "{}", run.stderr);
}

fn conformance(case: &str) -> std::path::PathBuf {
    shared()
        .join("sigstore/conformance/bundle-verify")
        .join(case)
}

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

fn verify_artifact(case: &str, extra: &[&str]) -> common::Run {
    let dir = conformance(case);
    let artifact = if dir.join("artifact").is_file() {
        dir.join("artifact")
    } else {
        shared().join("sigstore/conformance/a.txt")
    };
    let bundle = dir.join("bundle.sigstore.json");
    let mut args = vec!["verify", "artifact", s(&artifact), "--bundle", s(&bundle)];
    args.extend_from_slice(extra);
    secgate_in(Path::new(env!("CARGO_MANIFEST_DIR")), &args)
}

#[test]
fn sigstore_bundle_verifies_through_the_binary() {
    let run = verify_artifact(
        "happy-path-v0.3",
        &[
            "--certificate-identity",
            IDENTITY,
            "--certificate-oidc-issuer",
            ISSUER,
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!("signed by {IDENTITY}")),
        "{}",
        run.stdout
    );

    // The right bundle, the wrong expected signer.
    let run = verify_artifact(
        "happy-path-v0.3",
        &[
            "--certificate-identity",
            "https://example.com/other",
            "--certificate-oidc-issuer",
            ISSUER,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(codes(&json(&run.stdout))[0].0, "bundle-invalid");

    let sarif = output_dir().join("verify-artifact-bundle-invalid.sarif");
    let run = verify_artifact(
        "signature-mismatch_fail",
        &[
            "--certificate-identity",
            IDENTITY,
            "--certificate-oidc-issuer",
            ISSUER,
            "--format",
            "sarif",
            "-o",
            s(&sarif),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);

    let run = verify_artifact("happy-path-v0.3", &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("--certificate-identity"),
        "{}",
        run.stderr
    );
}

#[test]
fn sigstore_managed_key_bundle_verifies_with_key() {
    let dir = conformance("managed-key-happy-path");
    let key = dir.join("key.pub");
    let mut extra = vec!["--key", s(&key)];
    let root = dir.join("trusted_root.json");
    if root.is_file() {
        extra.extend(["--trusted-root", s(&root)]);
    }
    let run = verify_artifact("managed-key-happy-path", &extra);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn checksums_bundle_is_verified_for_the_sums_file_itself() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("app.bin"), b"x").unwrap();
    std::fs::write(
        d.join("SHA256SUMS"),
        "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  app.bin\n",
    )
    .unwrap();
    // A genuine bundle, but for another file (the conformance artifact): the sums file is not
    // what was signed, so the gate fails even though every listed file matches.
    let bundle = conformance("happy-path-v0.3").join("bundle.sigstore.json");
    let run = secgate_in(
        d,
        &[
            "verify",
            "checksums",
            "SHA256SUMS",
            "--bundle",
            s(&bundle),
            "--certificate-identity",
            IDENTITY,
            "--certificate-oidc-issuer",
            ISSUER,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run.stdout);
    assert_eq!(
        codes(&report),
        [("bundle-invalid".to_owned(), "SHA256SUMS".to_owned())]
    );
    assert!(
        report["notes"]
            .to_string()
            .contains("1 of 1 listed file(s) match"),
        "{}",
        report["notes"]
    );

    // The bundle's own artifact as the "sums file" verifies; its lines are then not checksums.
    let a = shared().join("sigstore/conformance/a.txt");
    std::fs::copy(&a, d.join("a.txt")).unwrap();
    let run = secgate_in(
        d,
        &[
            "verify",
            "checksums",
            "a.txt",
            "--bundle",
            s(&bundle),
            "--certificate-identity",
            IDENTITY,
            "--certificate-oidc-issuer",
            ISSUER,
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("a.txt:1"), "{}", run.stderr);
}
