//! End to end: `secgate secrets` on a tree and on a commit range of a temp repository, with
//! fake credentials made at test time (nothing real-looking is committed to this repository):
//! every value masked in the human, JSON and SARIF reports; the allowlist by path and by
//! fingerprint; a stale entry; `secgate check` with the gate enabled.

mod common;

use common::{output_dir, s, secgate_in};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

/// Characters from the clock and the process id: a different fake secret every run.
fn random(len: usize, alphabet: &[u8]) -> String {
    let mut state = u64::from(std::process::id())
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            alphabet[(state % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

struct Secrets {
    stripe: String,
    aws: String,
    password: String,
    key: String,
}

/// A tree with a Stripe key and an AWS key id in `config/.env`, a password in
/// `app/settings.py` and an OpenSSH private key in `deploy/id_ed25519`.
fn tree(root: &Path) -> Secrets {
    let secrets = Secrets {
        stripe: format!("sk_live_{}", random(32, ALNUM)),
        aws: format!("AKIA{}", random(16, BASE32)),
        password: format!("{}-{}", random(14, ALNUM), random(10, ALNUM)),
        key: String::new(),
    };
    std::fs::create_dir_all(root.join("config")).unwrap();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::create_dir_all(root.join("deploy")).unwrap();
    std::fs::write(
        root.join("config/.env"),
        format!(
            "DEBUG=0\nSTRIPE_KEY={}\nAWS_ACCESS_KEY_ID={}\n",
            secrets.stripe, secrets.aws
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("app/settings.py"),
        format!("NAME = \"app\"\npassword = \"{}\"\n", secrets.password),
    )
    .unwrap();
    let key = root.join("deploy/id_ed25519");
    let out = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "deploy",
            "-f",
            s(&key),
        ])
        .stdin(Stdio::piped())
        .output()
        .expect("ssh-keygen is installed");
    assert!(out.status.success());
    std::fs::remove_file(root.join("deploy/id_ed25519.pub")).unwrap();
    let key_text = std::fs::read_to_string(&key).unwrap();
    // The base64 body of the key: what must never be printed.
    let body = key_text.lines().nth(1).unwrap().to_owned();
    Secrets {
        key: body,
        ..secrets
    }
}

fn assert_masked(text: &str, secrets: &Secrets, what: &str) {
    for secret in [
        &secrets.stripe,
        &secrets.aws,
        &secrets.password,
        &secrets.key,
    ] {
        assert!(
            !text.contains(secret.as_str()),
            "{what} shows a secret in full:\n{text}"
        );
    }
}

/// (code, path, line) of every finding.
fn found(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(code: &str, path: &str, line: u64) -> (String, String, u64) {
    (code.to_owned(), path.to_owned(), line)
}

#[test]
fn every_kind_is_found_at_its_line_and_masked_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let secrets = tree(tmp.path());
    let json = secgate_in(tmp.path(), &["secrets", ".", "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    assert_masked(&json.stdout, &secrets, "JSON");
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        found(&report),
        [
            row("generic-secret", "app/settings.py", 2),
            row("api-token", "config/.env", 2),
            row("cloud-credential", "config/.env", 3),
            row("private-key", "deploy/id_ed25519", 1),
        ]
    );
    // The fingerprint an allowlist can name is in the message.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["message"].as_str().unwrap().contains("sha256:")),
        "{report:#}"
    );

    let human = secgate_in(tmp.path(), &["secrets", "."]);
    assert_eq!(human.code, 1);
    assert_masked(&human.stdout, &secrets, "human report");
    assert!(
        human.stdout.contains("= at config/.env:2:"),
        "{}",
        human.stdout
    );

    let sarif_path = output_dir().join("secrets.sarif");
    let sarif = secgate_in(
        tmp.path(),
        &[
            "secrets",
            ".",
            "--format",
            "sarif",
            "--output",
            s(&sarif_path),
        ],
    );
    assert_eq!(sarif.code, 1);
    assert_masked(
        &std::fs::read_to_string(&sarif_path).unwrap(),
        &secrets,
        "SARIF",
    );
}

#[test]
fn the_allowlist_takes_paths_and_fingerprints_and_reports_stale_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let secrets = tree(tmp.path());
    let json = secgate_in(tmp.path(), &["secrets", ".", "--format", "json"]);
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    let stripe = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "api-token")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    let start = stripe.find("sha256:").unwrap();
    let fingerprint = &stripe[start..start + 7 + 64];
    std::fs::write(
        tmp.path().join("secgate.toml"),
        format!(
            "[secrets]\nallow = [\n  {{ path = \"deploy/**\", reason = \"throwaway deploy key for a demo\" }},\n  {{ fingerprint = \"{fingerprint}\", reason = \"revoked test-mode key\" }},\n  {{ path = \"old/**\", reason = \"was moved\" }},\n]\n"
        ),
    )
    .unwrap();
    let json = secgate_in(tmp.path(), &["secrets", ".", "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    assert_masked(&json.stdout, &secrets, "JSON");
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        found(&report),
        [
            row("generic-secret", "app/settings.py", 2),
            row("cloud-credential", "config/.env", 3),
            row("ignore-unused", "secgate.toml", 5),
        ]
    );
    assert!(
        report["notes"][0]
            .as_str()
            .unwrap()
            .contains("2 finding(s) allowed by `[secrets] allow`"),
        "{report:#}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", dir.join(".git-test-config"))
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .stdin(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_commit_range_reports_what_it_added_even_when_removed_later() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("README"), "hello\n").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    let token = format!("sk_live_{}", random(32, ALNUM));
    std::fs::write(repo.join("README"), format!("hello\nkey: {token}\n")).unwrap();
    git(&repo, &["commit", "-q", "-am", "oops"]);
    std::fs::write(repo.join("README"), "hello\n").unwrap();
    git(&repo, &["commit", "-q", "-am", "remove the key"]);

    // The tree is clean now...
    let tree = secgate_in(&repo, &["secrets", "."]);
    assert_eq!(tree.code, 0, "{}{}", tree.stdout, tree.stderr);
    // ...but the pull request's commits added a key.
    let range = secgate_in(
        &repo,
        &[
            "secrets",
            ".",
            "--commits",
            "HEAD~2..HEAD",
            "--format",
            "json",
        ],
    );
    assert_eq!(range.code, 1, "{}", range.stderr);
    assert!(!range.stdout.contains(&token));
    let report: Value = serde_json::from_str(&range.stdout).unwrap();
    assert_eq!(found(&report), [row("api-token", "README", 2)]);

    let bad = secgate_in(&repo, &["secrets", ".", "--commits", "no-such-ref..HEAD"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("no-such-ref"), "{}", bad.stderr);
}

#[test]
fn check_runs_the_secret_gate_when_the_policy_enables_it() {
    let tmp = tempfile::tempdir().unwrap();
    let secrets = tree(tmp.path());
    std::fs::write(
        tmp.path().join("package.json"),
        "{\"name\": \"x\", \"version\": \"1.0.0\", \"private\": true}\n",
    )
    .unwrap();
    let off = secgate_in(tmp.path(), &["check", ".", "--format", "json"]);
    assert_eq!(off.code, 0, "{}{}", off.stdout, off.stderr);
    std::fs::write(
        tmp.path().join("secgate.toml"),
        "[secrets]\nenabled = true\n",
    )
    .unwrap();
    let on = secgate_in(tmp.path(), &["check", ".", "--format", "json"]);
    assert_eq!(on.code, 1, "{}", on.stderr);
    assert_masked(&on.stdout, &secrets, "check's JSON");
    let report: Value = serde_json::from_str(&on.stdout).unwrap();
    assert_eq!(found(&report).len(), 4, "{report:#}");
}

#[test]
fn excluded_paths_are_not_walked() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    std::fs::write(
        tmp.path().join("secgate.toml"),
        "[paths]\nexclude = [\"deploy\", \"config/**\"]\n",
    )
    .unwrap();
    let run = secgate_in(tmp.path(), &["secrets", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        found(&report),
        [row("generic-secret", "app/settings.py", 2)]
    );
    // Not scanned at all: only app/settings.py and secgate.toml were read.
    assert!(
        report["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("secrets: scanned 2 file(s)"),
        "{report:#}"
    );
}
