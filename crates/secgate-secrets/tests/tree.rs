//! The tree walk: hidden files are scanned, `.gitignore`/`.ignore` are respected outside a git
//! repository too, `.git` and symlinks are not followed, binaries and large files are listed as
//! skipped, invalid UTF-8 is scanned lossily.

mod common;

use common::{Fakes, scan, summary, tree};
use secgate_secrets::{ScanOptions, SkipReason, scan_tree};

#[test]
fn walk_rules() {
    let mut f = Fakes::new(3);
    let token = |f: &mut Fakes| format!("TOKEN={}\n", f.crc_token("ghp_"));
    let dir = tree(&[
        (".env", &token(&mut f)),
        (".gitignore", "build/\n*.log\n"),
        ("build/out.txt", &token(&mut f)),
        ("app.log", &token(&mut f)),
        ("sub/.ignore", "generated.txt\n"),
        ("sub/generated.txt", &token(&mut f)),
        (".git/config", &token(&mut f)),
        ("big.txt", &format!("{}{}", "x".repeat(2048), token(&mut f))),
    ]);
    let mut latin1 = b"caf\xe9 ".to_vec();
    latin1.extend_from_slice(token(&mut f).as_bytes());
    std::fs::write(dir.path().join("latin1.txt"), latin1).expect("write");
    std::fs::write(dir.path().join("logo.bin"), b"\0\0\x01").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join(".env"), dir.path().join("link.env")).expect("ln");
    let opts = ScanOptions {
        max_file_size: 1024,
        ..common::opts()
    };
    let scan = scan_tree(dir.path(), &opts, &[]).expect("scan runs");
    assert_eq!(
        summary(&scan.findings),
        [
            ".env:1:7 api-token github-token",
            "latin1.txt:1:12 api-token github-token"
        ]
    );
    assert_eq!(
        scan.skipped,
        [
            ("big.txt".to_owned(), SkipReason::TooLarge),
            ("logo.bin".to_owned(), SkipReason::Binary)
        ]
    );
    // .env, .gitignore, sub/.ignore, latin1.txt.
    assert_eq!(scan.files, 4);
}

#[test]
fn a_file_as_root_is_scanned_under_its_name() {
    let mut f = Fakes::new(11);
    let dir = tree(&[("ci.yml", &format!("env:\n  NPM: {}\n", f.crc_token("npm_")))]);
    let scan = scan(&dir.path().join("ci.yml"));
    assert_eq!(summary(&scan.findings), ["ci.yml:2:8 api-token npm-token"]);
}
