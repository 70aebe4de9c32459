//! `[secrets] allow` entries by path glob, by rule (code name or rule id) and by fingerprint;
//! an entry that matches nothing becomes an `ignore-unused` finding at the entry.

mod common;

use common::{BASE64, Fakes, scan_allow, summary, tree};
use secgate_core::{Code, Location};
use secgate_secrets::{AllowEntry, SecretsError, fingerprint, scan_tree};

fn entry(path: Option<&str>, rule: Option<&str>, fp: Option<&str>, line: u32) -> AllowEntry {
    AllowEntry {
        path: path.map(str::to_owned),
        rule: rule.map(str::to_owned),
        fingerprint: fp.map(str::to_owned),
        reason: "test".to_owned(),
        location: Location::new("secgate.toml", line, 3),
    }
}

/// A tree with a fixture key, a GitHub token, a Stripe key and a generic password.
fn project(f: &mut Fakes) -> (tempfile::TempDir, String) {
    let body: String = (0..4).map(|_| f.chars(BASE64, 64) + "\n").collect();
    let key = format!("-----BEGIN PRIVATE KEY-----\n{body}-----END PRIVATE KEY-----\n");
    let password = f.chars(&format!("{}!#%", common::ALNUM), 20);
    let dir = tree(&[
        ("tests/fixtures/keys/server.pem", &key),
        ("src/ci.sh", &format!("GH={}\n", f.crc_token("ghp_"))),
        ("src/pay.py", &format!("KEY = 'sk_live_{}'\n", f.alnum(24))),
        ("config/app.env", &format!("password={password}\n")),
    ]);
    (dir, password)
}

#[test]
fn entries_by_path_rule_and_fingerprint_remove_findings_and_unused_ones_are_reported() {
    let mut f = Fakes::new(99);
    let (dir, password) = project(&mut f);
    let all = scan_allow(dir.path(), &[]);
    assert_eq!(
        summary(&all.findings),
        [
            "config/app.env:1:10 generic-secret generic-secret",
            "src/ci.sh:1:4 api-token github-token",
            "src/pay.py:1:8 api-token stripe-secret-key",
            "tests/fixtures/keys/server.pem:1:1 private-key pem-private-key",
        ]
    );
    let allow = [
        entry(Some("tests/fixtures/**"), None, None, 2),
        entry(None, Some("github-token"), None, 3),
        entry(None, None, Some(&fingerprint(&password)), 4),
        entry(None, Some("pypi-token"), None, 5),
        entry(Some("src/**"), Some("private-key"), None, 6),
    ];
    let scan = scan_allow(dir.path(), &allow);
    assert_eq!(scan.allowed, 3);
    assert_eq!(
        summary(&scan.findings),
        [
            "secgate.toml:5:3 ignore-unused secrets-allow",
            "secgate.toml:6:3 ignore-unused secrets-allow",
            "src/pay.py:1:8 api-token stripe-secret-key",
        ]
    );
    let unused = &scan.findings[0];
    assert_eq!(unused.code, Code::IgnoreUnused);
    assert!(unused.message.contains("pypi-token"), "{}", unused.message);
}

#[test]
fn a_rule_entry_may_name_the_code_and_all_its_fields_must_match() {
    let mut f = Fakes::new(5);
    let (dir, _) = project(&mut f);
    // `api-token` covers both the GitHub and the Stripe findings.
    let scan = scan_allow(dir.path(), &[entry(None, Some("api-token"), None, 2)]);
    assert_eq!(scan.allowed, 2);
    assert_eq!(scan.findings.len(), 2);
    // Path and rule together: only the Stripe key in src/pay.py.
    let scan = scan_allow(
        dir.path(),
        &[entry(
            Some("src/pay.py"),
            Some("stripe-secret-key"),
            None,
            2,
        )],
    );
    assert_eq!(scan.allowed, 1);
    assert!(
        scan.findings
            .iter()
            .all(|f| f.id.as_deref() != Some("stripe-secret-key"))
    );
    // A fingerprint of another value allows nothing, even on the right path.
    let other = fingerprint("not the secret");
    let scan = scan_allow(dir.path(), &[entry(Some("src/**"), None, Some(&other), 2)]);
    assert_eq!(scan.allowed, 0);
    assert_eq!(
        summary(&scan.findings)[0],
        "config/app.env:1:10 generic-secret generic-secret"
    );
    assert!(
        summary(&scan.findings)
            .contains(&"secgate.toml:2:3 ignore-unused secrets-allow".to_owned())
    );
}

#[test]
fn an_entry_that_names_nothing_allows_nothing() {
    let mut f = Fakes::new(8);
    let (dir, _) = project(&mut f);
    let scan = scan_allow(dir.path(), &[entry(None, None, None, 9)]);
    assert_eq!(scan.allowed, 0);
    assert_eq!(scan.findings.len(), 5);
    assert_eq!(
        common::with_code(&scan.findings, Code::IgnoreUnused).len(),
        1
    );
}

#[test]
fn a_bad_glob_is_an_error() {
    let dir = tree(&[("a.txt", "x\n")]);
    let err = scan_tree(
        dir.path(),
        &common::opts(),
        &[entry(Some("src/[a"), None, None, 1)],
    )
    .expect_err("bad glob");
    assert!(matches!(err, SecretsError::BadGlob { .. }), "{err:?}");
}

#[test]
fn an_unreadable_root_is_an_error() {
    let dir = tree(&[]);
    let err = scan_tree(&dir.path().join("missing"), &common::opts(), &[]).expect_err("missing");
    assert!(matches!(err, SecretsError::Root { .. }), "{err:?}");
}
