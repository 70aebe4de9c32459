//! `Cargo.lock` parsing on hand-written fixtures, one file per format version and per failure.

use secgate_core::{Ecosystem, Package, PackageSource};
use secgate_inventory::{Lockfile, LockfileError, parse_cargo_lock, parse_cargo_lock_bytes};
use std::path::PathBuf;

const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn parse(name: &str) -> Result<Lockfile, LockfileError> {
    parse_cargo_lock_bytes(fixture_bytes(name), name)
}

fn good(name: &str) -> Lockfile {
    parse(name).unwrap_or_else(|e| panic!("{name} does not parse: {e}"))
}

fn bad(name: &str) -> LockfileError {
    match parse(name) {
        Ok(l) => panic!("{name} parsed into {} packages", l.packages.len()),
        Err(e) => e,
    }
}

fn package<'a>(lock: &'a Lockfile, name: &str, version: &str) -> &'a Package {
    lock.packages
        .iter()
        .find(|p| p.name == name && p.version == version)
        .unwrap_or_else(|| panic!("{} has no {name} {version}", lock.path))
}

fn names(lock: &Lockfile) -> Vec<String> {
    lock.packages
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect()
}

fn lines(lock: &Lockfile) -> Vec<u32> {
    lock.packages.iter().map(|p| p.location.line).collect()
}

fn git(url: &str, rev: &str) -> PackageSource {
    PackageSource::Git {
        url: url.to_owned(),
        rev: Some(rev.to_owned()),
    }
}

#[test]
fn v1_root_and_metadata_checksums() {
    let lock = good("v1.lock");
    assert_eq!(lock.format_version, 1);
    assert_eq!(
        names(&lock),
        [
            "app 0.1.0",
            "helper 0.1.0",
            "libc 0.2.103",
            "memchr 2.3.3",
            "rust-onig 0.4.0"
        ]
    );
    assert_eq!(lines(&lock), [1, 11, 18, 23, 31]);

    let root = package(&lock, "app", "0.1.0");
    assert_eq!(root.source, PackageSource::Local);
    assert_eq!((root.location.line, root.location.column), (1, 1));
    assert_eq!(
        root.location.span,
        Some(0..lock.text.find("\ndependencies").unwrap())
    );
    assert_eq!(root.dependencies.len(), 4);
    assert_eq!(
        root.dependencies[3],
        "rust-onig 0.4.0 (git+https://github.com/kornelski/rust-onig?branch=bindgen#ab2b6c1d3e8a5f1cdbd0a7b1a4b0e67a2bd3c0f1)"
    );

    let libc = package(&lock, "libc", "0.2.103");
    assert_eq!(libc.source, PackageSource::DefaultRegistry);
    assert_eq!(
        libc.checksum.as_deref(),
        Some("dd8f7255a17a627354f321ef0055d63b898c6fb27eff628af4d1b66b7331edf6")
    );
    assert!(libc.dependencies.is_empty());
    let memchr = package(&lock, "memchr", "2.3.3");
    assert_eq!(
        memchr.checksum.as_deref(),
        Some("3728d817d99e5ac407411fa471ff9800a778d88a24685968b36824eaf4bee400")
    );
    assert_eq!(memchr.dependencies, [format!("libc 0.2.103 ({CRATES_IO})")]);

    // `<none>` in `[metadata]` means no checksum.
    let onig = package(&lock, "rust-onig", "0.4.0");
    assert_eq!(onig.checksum, None);
    assert_eq!(
        onig.source,
        git(
            "https://github.com/kornelski/rust-onig?branch=bindgen",
            "ab2b6c1d3e8a5f1cdbd0a7b1a4b0e67a2bd3c0f1"
        )
    );
    assert_eq!(
        package(&lock, "helper", "0.1.0").source,
        PackageSource::Local
    );
}

#[test]
fn v1_without_root_is_recognised_by_its_metadata() {
    let text = "[[package]]\nname = \"libc\"\nversion = \"0.2.103\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[metadata]\n\"checksum libc 0.2.103 (registry+https://github.com/rust-lang/crates.io-index)\" = \"dd8f\"\n";
    let lock = parse_cargo_lock(text, "Cargo.lock").unwrap();
    assert_eq!(lock.format_version, 1);
    assert_eq!(lock.packages[0].checksum.as_deref(), Some("dd8f"));
}

#[test]
fn v2_inline_checksums_and_short_dependencies() {
    let lock = good("v2.lock");
    assert_eq!(lock.format_version, 2);
    assert_eq!(
        names(&lock),
        [
            "app 0.1.0",
            "cfg-if 0.1.10",
            "cfg-if 1.0.0",
            "helper 0.2.0",
            "regex 1.3.7",
            "tui 0.9.5"
        ]
    );
    assert_eq!(lines(&lock), [3, 14, 20, 26, 33, 39]);

    let app = package(&lock, "app", "0.1.0");
    assert_eq!(app.source, PackageSource::Local);
    assert_eq!(app.checksum, None);
    assert_eq!(
        app.dependencies,
        ["cfg-if 0.1.10", "cfg-if 1.0.0", "helper", "regex", "tui"]
    );
    assert_eq!(app.ecosystem, Ecosystem::CratesIo);

    let cfg_if = package(&lock, "cfg-if", "1.0.0");
    assert_eq!(cfg_if.source, PackageSource::DefaultRegistry);
    assert_eq!(
        cfg_if.checksum.as_deref(),
        Some("baf1de4339761588bc0619e3cbc0120ee582ebb74b53b4efbf79117bd2da40fd")
    );
    let tui = package(&lock, "tui", "0.9.5");
    assert_eq!(
        tui.source,
        git(
            "https://github.com/fdehau/tui-rs?rev=3a2b4e1",
            "3a2b4e1f20f6b2c8b6e2c8d31a9b3f1f0c8f1e4d"
        )
    );
    assert_eq!(tui.checksum, None);
    assert_eq!(
        package(&lock, "helper", "0.2.0").source,
        PackageSource::Local
    );
}

#[test]
fn v3_with_an_alternative_registry() {
    let lock = good("v3.lock");
    assert_eq!(lock.format_version, 3);
    assert_eq!(
        names(&lock),
        [
            "aho-corasick 0.7.13",
            "app 0.3.0",
            "internal-log 1.2.0",
            "memchr 2.3.3",
            "onig 6.4.0"
        ]
    );
    assert_eq!(lines(&lock), [5, 14, 23, 29, 35]);

    let internal = package(&lock, "internal-log", "1.2.0");
    assert_eq!(
        internal.source,
        PackageSource::Registry("https://gitlab.example.com/rust/crates-index".into())
    );
    assert!(!internal.source.is_default_registry());
    assert_eq!(
        internal.checksum.as_deref(),
        Some("5f2c1f0c3a7d9d3b1f0e6c4d8a2b7e9f1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f")
    );
    assert_eq!(
        package(&lock, "onig", "6.4.0").source,
        git(
            "https://github.com/kornelski/rust-onig?branch=bindgen",
            "ab2b6c1d3e8a5f1cdbd0a7b1a4b0e67a2bd3c0f1"
        )
    );
    assert_eq!(package(&lock, "app", "0.3.0").source, PackageSource::Local);
    assert_eq!(
        package(&lock, "aho-corasick", "0.7.13").source,
        PackageSource::DefaultRegistry
    );
}

#[test]
fn v4_sparse_registries_and_build_metadata_versions() {
    let lock = good("v4.lock");
    assert_eq!(lock.format_version, 4);
    assert_eq!(
        names(&lock),
        [
            "bat-like 0.25.0",
            "company-auth 3.1.4-beta.2+build.7",
            "itoa 1.0.17",
            "libc 0.2.186",
            "reedline 0.49.0",
            "xtask-support 0.1.0"
        ]
    );
    assert_eq!(lines(&lock), [5, 16, 22, 28, 34, 42]);

    assert_eq!(
        package(&lock, "company-auth", "3.1.4-beta.2+build.7").source,
        PackageSource::Registry("sparse+https://cargo.example.com/api/v1/crates/".into())
    );
    let itoa = package(&lock, "itoa", "1.0.17");
    assert_eq!(itoa.source, PackageSource::DefaultRegistry);
    assert_eq!(
        itoa.checksum.as_deref(),
        Some("92ecc6618181def0457392ccd0ee51198e065e016d1d527a7ac1b6dc7c1f09d2")
    );
    assert_eq!(
        package(&lock, "reedline", "0.49.0").source,
        git(
            "https://github.com/nushell/reedline?branch=main",
            "e4fe8edfb28440614e58a8c9dba78d128783f70f"
        )
    );
    // The last entry ends at the end of the file: its span stops at its version line.
    let last = package(&lock, "xtask-support", "0.1.0");
    let span = last.location.span.clone().unwrap();
    assert_eq!(
        &lock.text[span],
        "[[package]]\nname = \"xtask-support\"\nversion = \"0.1.0\""
    );
}

#[test]
fn every_span_covers_header_name_and_version() {
    for name in ["v1.lock", "v2.lock", "v3.lock", "v4.lock"] {
        let lock = good(name);
        for p in &lock.packages {
            assert_eq!(p.location.path, name);
            let span = p.location.span.clone().unwrap();
            let snippet = &lock.text[span];
            let header = if p.location.line == 1 && name == "v1.lock" {
                "[root]"
            } else {
                "[[package]]"
            };
            assert!(snippet.starts_with(header), "{snippet}");
            assert!(
                snippet.contains(&format!("name = \"{}\"", p.name)),
                "{snippet}"
            );
            assert!(
                snippet.ends_with(&format!("version = \"{}\"", p.version)),
                "{snippet}"
            );
        }
    }
}

#[test]
fn crlf_line_endings_and_indented_headers() {
    let text = "version = 3\r\n\r\n  [[package]]\r\nname = \"a\"\r\nversion = \"1.0.0\"\r\n";
    let lock = parse_cargo_lock(text, "Cargo.lock").unwrap();
    let p = &lock.packages[0];
    assert_eq!((p.location.line, p.location.column), (3, 3));
    assert_eq!(
        &text[p.location.span.clone().unwrap()],
        "[[package]]\r\nname = \"a\"\r\nversion = \"1.0.0\""
    );
}

#[test]
fn unknown_keys_are_ignored() {
    let text = "version = 4\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nreplace = \"b 1.0.0\"\nfuture = { x = 1 }\n";
    let lock = parse_cargo_lock(text, "Cargo.lock").unwrap();
    assert_eq!(lock.packages.len(), 1);
}

#[test]
fn truncated_is_a_toml_error_at_the_open_string() {
    let e = bad("truncated.lock");
    assert!(matches!(e, LockfileError::Toml { .. }), "{e:?}");
    assert_eq!((e.line(), e.column()), (14, 10));
    assert_eq!(e.path(), "truncated.lock");
    assert!(
        e.to_string()
            .starts_with("truncated.lock:14:10: invalid TOML"),
        "{e}"
    );
    let source = std::error::Error::source(&e).unwrap().to_string();
    assert_eq!(source, "unterminated string");
}

#[test]
fn garbage_is_a_toml_error_at_the_first_byte() {
    let e = bad("garbage.lock");
    assert!(matches!(e, LockfileError::Toml { .. }), "{e:?}");
    assert_eq!((e.line(), e.column()), (1, 1));
}

#[test]
fn not_utf8_points_at_the_first_bad_byte() {
    let e = bad("not-utf8.lock");
    assert!(matches!(e, LockfileError::NotUtf8 { .. }), "{e:?}");
    assert_eq!((e.line(), e.column()), (8, 1));
    let text = fixture_bytes("not-utf8.lock");
    assert_eq!(text[e.span().start], 0xff);
}

#[test]
fn missing_version_points_at_the_entry_header() {
    let e = bad("missing-version.lock");
    match &e {
        LockfileError::MissingKey { table, key, .. } => {
            assert_eq!((*table, *key), ("[[package]]", "version"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((e.line(), e.column()), (12, 1));
    assert_eq!(
        e.to_string(),
        "missing-version.lock:12:1: `[[package]]` entry has no `version`"
    );
    let text = String::from_utf8(fixture_bytes("missing-version.lock")).unwrap();
    assert_eq!(&text[e.span()], "[[package]]");
}

#[test]
fn bad_semver_points_at_the_version_string() {
    let e = bad("bad-semver.lock");
    match &e {
        LockfileError::InvalidVersion { name, version, .. } => {
            assert_eq!((name.as_str(), version.as_str()), ("memchr", "2.3"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((e.line(), e.column()), (11, 12));
    let location = e.location();
    assert_eq!(
        (location.path.as_str(), location.line),
        ("bad-semver.lock", 11)
    );
}

#[test]
fn unsupported_version_points_at_the_number() {
    let e = bad("unsupported-version.lock");
    assert!(
        matches!(e, LockfileError::UnsupportedVersion { version: 99, .. }),
        "{e:?}"
    );
    assert_eq!((e.line(), e.column()), (3, 11));
    assert!(e.to_string().contains("`version = 99`"), "{e}");
    let string_version = parse_cargo_lock("version = \"3\"\n", "Cargo.lock").unwrap_err();
    assert!(
        matches!(string_version, LockfileError::WrongType { .. }),
        "{string_version:?}"
    );
}

#[test]
fn empty_and_package_less_lockfiles_are_errors() {
    for name in ["empty.lock", "no-packages.lock"] {
        let e = bad(name);
        assert!(
            matches!(e, LockfileError::NoPackages { .. }),
            "{name}: {e:?}"
        );
        assert_eq!((e.line(), e.column()), (1, 1));
        assert!(e.to_string().contains("cargo generate-lockfile"), "{e}");
    }
}

#[test]
fn wrong_types_point_at_the_value() {
    let e = bad("wrong-type.lock");
    match &e {
        LockfileError::WrongType {
            key,
            expected,
            found,
            ..
        } => {
            assert_eq!(key, "dependencies");
            assert_eq!((*expected, *found), ("an array of strings", "integer"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((e.line(), e.column()), (10, 2));
    assert_eq!(
        e.to_string(),
        "wrong-type.lock:10:2: `dependencies` must be an array of strings, found integer"
    );

    let name = parse_cargo_lock("[[package]]\nname = 1\nversion = \"1.0.0\"\n", "x").unwrap_err();
    assert_eq!((name.line(), name.column()), (2, 8));
    let package = parse_cargo_lock("package = \"x\"\n", "x").unwrap_err();
    assert!(
        matches!(package, LockfileError::WrongType { .. }),
        "{package:?}"
    );
}
