//! Every real `Cargo.lock` of the shared corpus parses, with one package per `[[package]]` line
//! and each package located at its own header.
//!
//! The corpus lives in the shared directory: `$SECGATE_SHARED`, or else `../shared` beside the
//! repository. A missing corpus fails the test: it is the real-world check of this parser.

use secgate_core::PackageSource;
use secgate_inventory::{Lockfile, discover};
use std::path::PathBuf;

/// The lockfiles the corpus is known to hold, with the format version of each file's header.
const KNOWN: &[(&str, u32, usize)] = &[
    ("cargo-bat/Cargo.lock", 4, 317),
    ("cargo-large-omicron/Cargo.lock", 4, 1425),
    ("cargo-nushell/Cargo.lock", 4, 1035),
    ("cargo-old-spotify-tui/Cargo.lock", 3, 255),
    ("cargo-old-ytop/Cargo.lock", 2, 129),
    ("cargo-xi-editor-2023/rust/Cargo.lock", 3, 164),
];

fn corpus_dir() -> PathBuf {
    let shared = std::env::var_os("SECGATE_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    let corpus = shared.join("corpus");
    assert!(
        corpus.is_dir(),
        "the shared corpus is missing at {}: set SECGATE_SHARED to the shared directory",
        corpus.display()
    );
    corpus
}

/// The format version a lockfile's own text declares, read without the parser.
fn declared_format(text: &str) -> u32 {
    let head = &text[..text.find("[[package]]").unwrap_or(text.len())];
    if let Some(line) = head.lines().find(|l| l.starts_with("version = ")) {
        return line["version = ".len()..].trim().parse().unwrap();
    }
    if text.contains("\n\"checksum ") || text.starts_with("[root]") {
        1
    } else {
        2
    }
}

fn check_lockfile(lock: &Lockfile) {
    let text = &lock.text;
    let lines: Vec<&str> = text.lines().collect();
    let headers = lines.iter().filter(|l| **l == "[[package]]").count();
    assert_eq!(lock.packages.len(), headers, "{}: package count", lock.path);
    assert_eq!(
        lock.format_version,
        declared_format(text),
        "{}: format",
        lock.path
    );

    for p in &lock.packages {
        let at = p.location.line as usize - 1;
        assert_eq!(
            lines[at], "[[package]]",
            "{}: {} {}",
            lock.path, p.name, p.version
        );
        assert_eq!(p.location.column, 1);
        assert_eq!(
            lines[at + 1],
            format!("name = \"{}\"", p.name),
            "{}",
            lock.path
        );
        assert_eq!(
            lines[at + 2],
            format!("version = \"{}\"", p.version),
            "{}",
            lock.path
        );
        let span = p.location.span.clone().unwrap();
        assert_eq!(
            &text[span],
            format!(
                "[[package]]\nname = \"{}\"\nversion = \"{}\"",
                p.name, p.version
            )
        );
    }

    let count = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    let checksums = lock
        .packages
        .iter()
        .filter(|p| p.checksum.is_some())
        .count();
    assert_eq!(checksums, count("checksum = "), "{}: checksums", lock.path);
    let crates_io = lock
        .packages
        .iter()
        .filter(|p| p.source == PackageSource::DefaultRegistry)
        .count();
    assert_eq!(
        crates_io,
        count("source = \"registry+https://github.com/rust-lang/crates.io-index\""),
        "{}: crates.io packages",
        lock.path
    );
    let git = lock
        .packages
        .iter()
        .filter(
            |p| matches!(&p.source, PackageSource::Git { rev: Some(rev), .. } if rev.len() == 40),
        )
        .count();
    assert_eq!(git, count("source = \"git+"), "{}: git packages", lock.path);
    let dependencies: usize = lock.packages.iter().map(|p| p.dependencies.len()).sum();
    assert_eq!(
        dependencies,
        count(" \""),
        "{}: dependency strings",
        lock.path
    );
}

#[test]
fn every_corpus_lockfile_parses_with_real_locations() {
    let corpus = corpus_dir();
    let inventory = discover(&corpus).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(inventory.root, corpus);
    let paths: Vec<&str> = inventory
        .lockfiles
        .iter()
        .map(|l| l.path.as_str())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "lockfiles are sorted by path");

    for (path, format, count) in KNOWN {
        let lock = inventory
            .lockfiles
            .iter()
            .find(|l| l.path == *path)
            .unwrap_or_else(|| panic!("{path} not found in {paths:?}"));
        assert_eq!(lock.format_version, *format, "{path}");
        assert_eq!(lock.packages.len(), *count, "{path}");
    }
    // The walk also reads the npm and Python files (their own tests check them); the
    // `[[package]]` checks are for Cargo lockfiles.
    for lock in inventory
        .lockfiles
        .iter()
        .filter(|l| l.path.ends_with("Cargo.lock"))
    {
        check_lockfile(lock);
    }
    assert_eq!(
        inventory.package_count(),
        inventory
            .lockfiles
            .iter()
            .map(|l| l.packages.len())
            .sum::<usize>()
    );
    assert_eq!(inventory.packages().count(), inventory.package_count());
}

#[test]
fn omicron_keeps_same_named_git_packages_apart() {
    let path = corpus_dir().join("cargo-large-omicron/Cargo.lock");
    let inventory = discover(&path).unwrap();
    assert_eq!(inventory.root, corpus_dir().join("cargo-large-omicron"));
    let lock = &inventory.lockfiles[0];
    assert_eq!(lock.path, "Cargo.lock");
    let attest: Vec<_> = lock
        .packages
        .iter()
        .filter(|p| p.name == "attest-data" && p.version == "0.5.0")
        .collect();
    assert_eq!(attest.len(), 2, "two git sources of attest-data 0.5.0");
    assert_ne!(attest[0].source, attest[1].source);
    assert!(attest.iter().all(|p| p.checksum.is_none()));
}
