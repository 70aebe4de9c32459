//! Helpers for end-to-end tests: run the real `secgate` binary, find ../shared, keep outputs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `../shared` beside the repository, or `$SECGATE_SHARED`. Missing data fails the test: these
/// tests must never pass by checking nothing.
pub fn shared() -> PathBuf {
    let dir = std::env::var_os("SECGATE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("advisory-data/rustsec/crates").is_dir() && dir.join("corpus").is_dir(),
        "../shared (advisory-data and corpus) is required; set SECGATE_SHARED to its path"
    );
    std::fs::canonicalize(dir).unwrap()
}

/// The real RustSec snapshot.
pub fn rustsec_db() -> PathBuf {
    shared().join("advisory-data/rustsec")
}

/// A corpus project directory.
pub fn corpus(name: &str) -> PathBuf {
    shared().join("corpus").join(name)
}

/// A fixture of this repository's own tests.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs a prepared command to completion and keeps what it did.
pub fn run(command: &mut Command) -> Run {
    let out = command.output().expect("run secgate");
    Run {
        code: out.status.code().expect("secgate was killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The day tests run on, for `SOURCE_DATE_EPOCH`: 2026-11-23T00:00:00Z.
pub const TODAY_EPOCH: &str = "1795392000";

/// Runs `secgate` with `args` in `cwd`, with no `SECGATE_*` variables or colour from outside.
pub fn secgate_in(cwd: &Path, args: &[&str]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_secgate"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SECGATE_DB")
        // `check` verifies $GITHUB_REF's tag on a tag push; tests choose their tags themselves.
        .env_remove("GITHUB_REF")
        .env("NO_COLOR", "1")
        // Tests never touch the network or the user's cache unless they say so.
        .env("SECGATE_OFFLINE", "1")
        // A fixed "today" (2026-11-23), so the age of the advisory data in the notes does not
        // change the snapshots from one day to the next.
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env(
            "SECGATE_CACHE",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/secgate-test-cache"),
        ))
}

/// Runs `secgate` from the repository root.
pub fn secgate(args: &[&str]) -> Run {
    secgate_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Where tests leave SARIF and other reports for CI's validators.
pub fn output_dir() -> PathBuf {
    let dir = std::env::var_os("SECGATE_TEST_OUTPUT").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/secgate-test-output"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Path as a &str for argument lists.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Insta settings that replace the machine's paths with stable placeholders.
pub fn insta_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&regex_escape(s(&shared())), "[SHARED]");
    settings.add_filter(&regex_escape(env!("CARGO_MANIFEST_DIR")), "[REPO]");
    settings.add_filter(r"secgate [0-9]+\.[0-9]+\.[0-9]+", "secgate [VERSION]");
    settings
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Copies the directory tree `from` to `to` (created if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The licence gate's 34-crate fixture project (`Cargo.toml` and `Cargo.lock`).
pub fn licence_fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/secgate-licenses/tests/fixtures/registry-varied-licenses")
}

/// The private Cargo home the licence fixture's crates are fetched into.
pub fn test_cargo_home() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/secgate-test-cargo-home")
}

/// A copy of the licence fixture that Cargo can fetch for (it needs a target).
pub fn licence_fixture_project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(licence_fixture_dir().join(file), tmp.path().join(file)).unwrap();
    }
    std::fs::create_dir(tmp.path().join("src")).unwrap();
    std::fs::write(tmp.path().join("src/lib.rs"), "").unwrap();
    tmp
}

pub mod signing;
