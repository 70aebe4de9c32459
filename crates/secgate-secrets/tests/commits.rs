//! `scan_commits` on a real temporary git repository: what the commits of a range add is
//! reported (even when a later commit removes it), what existed before the range is not.

mod common;

use common::{Fakes, assert_masked, summary, tool};
use secgate_secrets::{SecretsError, scan_commits};
use std::path::Path;

fn git(repo: &Path, args: &[&str]) -> String {
    let mut all = vec![
        "-c",
        "user.name=CI",
        "-c",
        "user.email=ci@example.invalid",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "init.defaultBranch=main",
    ];
    all.extend_from_slice(args);
    String::from_utf8(tool(repo, "git", &all, &[]))
        .expect("utf-8")
        .trim()
        .to_owned()
}

fn commit(repo: &Path, file: &str, content: &str, message: &str) -> String {
    std::fs::write(repo.join(file), content).expect("write");
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
    git(repo, &["rev-parse", "HEAD"])
}

#[test]
fn a_secret_added_then_removed_in_the_range_is_reported_and_older_lines_are_not() {
    let mut f = Fakes::new(42);
    let old_secret = format!("sk_live_{}", f.alnum(24));
    let token = f.crc_token("ghp_");
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    let before = format!("# deploy settings\nstripe = {old_secret}\n");
    let base = commit(repo, "deploy.env", &before, "base");
    let added = format!("# deploy settings\nstripe = {old_secret}\nGITHUB_TOKEN={token}\n");
    let second = commit(repo, "deploy.env", &added, "add token");
    commit(repo, "deploy.env", &before, "remove token");
    commit(repo, "README.md", "# project\n", "docs");

    let opts = common::opts();
    let scan = scan_commits(repo, &format!("{base}..HEAD"), &opts, &[]).expect("scan runs");
    assert_eq!(
        summary(&scan.findings),
        ["deploy.env:3:14 api-token github-token"]
    );
    let finding = &scan.findings[0];
    assert!(
        finding.message.contains(&second[..12]),
        "{}",
        finding.message
    );
    assert_masked(&scan.findings, &token);
    // Three commits: the token commit's blob, its removal's blob and the README.
    assert_eq!(scan.files, 3);

    // The whole history includes the base commit, whose secret is then reported too.
    let all = scan_commits(repo, "HEAD", &opts, &[]).expect("scan runs");
    assert_eq!(
        summary(&all.findings),
        [
            "deploy.env:2:10 api-token stripe-secret-key",
            "deploy.env:3:14 api-token github-token"
        ]
    );
}

#[test]
fn a_bad_range_and_a_directory_outside_git_are_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    let opts = common::opts();
    let err = scan_commits(repo, "HEAD", &opts, &[]).expect_err("not a repository");
    assert!(
        matches!(err, SecretsError::NotARepository { .. }),
        "{err:?}"
    );

    git(repo, &["init", "-q"]);
    commit(repo, "a.txt", "hello\n", "first");
    for range in ["no-such-branch..HEAD", "--all", ""] {
        let err = scan_commits(repo, range, &opts, &[]).expect_err("bad range");
        assert!(
            matches!(err, SecretsError::BadRange { .. }),
            "{range}: {err:?}"
        );
    }
}

#[test]
fn binary_and_oversized_blobs_are_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    std::fs::write(repo.join("logo.png"), b"\x89PNG\0\0\0binary").expect("write");
    std::fs::write(repo.join("big.txt"), "x".repeat(4096)).expect("write");
    commit(repo, "small.txt", "ok\n", "files");
    let opts = secgate_secrets::ScanOptions {
        max_file_size: 1024,
        ..common::opts()
    };
    let scan = scan_commits(repo, "HEAD", &opts, &[]).expect("scan runs");
    assert_eq!(
        scan.skipped,
        [
            ("big.txt".to_owned(), secgate_secrets::SkipReason::TooLarge),
            ("logo.png".to_owned(), secgate_secrets::SkipReason::Binary),
        ]
    );
    assert_eq!(scan.files, 1);
}
