//! Property tests of the tree scan: a tree holding one file of arbitrary or damaged text is
//! scanned or skipped, never a panic, in bounded time, and no finding shows a planted secret in
//! full. Seeds are credentials assembled at test time and real files of `../shared/corpus`.

mod common;
// One copy of the property-test helpers, kept with the advisories crate's tests.
#[path = "../../secgate-advisories/tests/prop_common/mod.rs"]
mod prop_common;

use common::{BASE64, Fakes};
use prop_common::{apply, config, mutations, noise, shared, timed};
use proptest::prelude::*;
use secgate_secrets::{Scan, ScanOptions, scan_tree};
use std::sync::LazyLock;

/// Real text files from the corpus: manifests, workflows, Dockerfiles, requirements.
const CORPUS_FILES: &[&str] = &[
    "pip-warehouse/Dockerfile",
    "pip-whisper/requirements.txt",
    "poetry/pyproject.toml",
    "cargo-bat/Cargo.toml",
    "scorecard/.github/workflows/goreleaser.yaml",
    "npm-axios/package.json",
];

/// Text with one credential of each kind the rules know, built from `seed`.
fn planted(seed: u64) -> (String, Vec<String>) {
    let mut fakes = Fakes::new(seed);
    let github = fakes.crc_token("ghp_");
    let npm = fakes.crc_token("npm_");
    let aws = format!(
        "AKIA{}",
        fakes.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    );
    let generic = fakes.alnum(32);
    let body: Vec<String> = (0..6).map(|_| fakes.chars(BASE64, 64)).collect();
    let jwt = format!(
        "eyJhbGciOiJIUzI1NiJ9.{}.{}",
        fakes.chars(BASE64, 40).replace(['+', '/'], "_"),
        fakes.chars(BASE64, 43).replace(['+', '/'], "_")
    );
    let text = format!(
        "token = \"{github}\"\n//registry.npmjs.org/:_authToken={npm}\naws_access_key_id = {aws}\n\
         password: \"{generic}\"\nAuthorization: Bearer {jwt}\n\
         -----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
        body.join("\n")
    );
    (text, vec![github, npm, generic])
}

/// Planted credentials and corpus files, read once per test binary.
static SEEDS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(seeds);

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = (1..=4).map(|s| planted(s).0.into_bytes()).collect();
    for file in CORPUS_FILES {
        seeds.push(std::fs::read(shared().join("corpus").join(file)).unwrap());
    }
    seeds
}

/// Scans a tree holding `bytes` as its one file.
fn scan_one(bytes: &[u8]) -> Scan {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.env"), bytes).unwrap();
    let opts = ScanOptions {
        threads: 1,
        ..ScanOptions::default()
    };
    let scan = timed("scanning one file", || scan_tree(dir.path(), &opts, &[]))
        .expect("a readable tree scans");
    assert_eq!(
        scan.files + scan.skipped.len(),
        1,
        "the one file is scanned or skipped: {scan:?}"
    );
    scan
}

/// No field of a finding holds `secret` in full.
fn assert_masked(scan: &Scan, secret: &str) {
    for f in &scan.findings {
        let json = serde_json::to_string(f).unwrap();
        assert!(!json.contains(secret), "secret shown in full: {json}");
    }
}

const NESTING: &[&str] = &[
    "-----BEGIN RSA PRIVATE KEY-----\n",
    "ghp_",
    "eyJ",
    "\"",
    "=",
    "  ",
];

proptest! {
    #![proptest_config(config(0x5EC6_5EC2))]

    #[test]
    fn arbitrary_files_are_scanned_or_skipped(bytes in noise("ghp_npm_AKIAeyJ=:\"'-\n ")) {
        scan_one(&bytes);
    }

    #[test]
    fn mutated_files_are_scanned_or_skipped(
        pick in any::<prop::sample::Index>(),
        edits in mutations(NESTING, 4),
    ) {
        scan_one(&apply(pick.get::<Vec<u8>>(&SEEDS), &edits));
    }

    #[test]
    fn planted_secrets_are_found_and_masked(seed in any::<u64>(), lines in 0usize..2_000) {
        let (text, secrets) = planted(seed);
        // Padding before the secrets moves them to a later line and a later 8 KiB window.
        let padded = format!("{}{text}", "x = 1\n".repeat(lines));
        let scan = scan_one(padded.as_bytes());
        prop_assert!(!scan.findings.is_empty(), "nothing found in {padded}");
        for secret in &secrets {
            assert_masked(&scan, secret);
        }
    }

    #[test]
    fn long_lines_scan_in_bounded_time(len in 1usize..1_000_000, byte in b' '..=b'~') {
        let line = vec![byte; len];
        scan_one(&line);
    }
}
