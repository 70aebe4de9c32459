//! Licence discovery against a real Cargo registry cache.
//!
//! `tests/fixtures/registry-varied-licenses` pins ten crates.io packages with varied licence
//! metadata. The first run fetches them with `cargo fetch --locked` into a private Cargo home,
//! `<workspace>/target/secgate-test-cargo-home` (the user's `~/.cargo` is never touched), and
//! later runs reuse it. Fetching needs crates.io: without it these tests fail and say so.

use secgate_core::Package;
use secgate_inventory::parse_cargo_lock;
use secgate_licenses::discover::{
    DiscoverError, DiscoverOptions, Discovered, Discovery, cargo_fetch_into, discover,
};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/registry-varied-licenses"
);
const SPARSE_INDEX_DIR: &str = "index.crates.io-1949cf8c6b5b557f";

/// The private Cargo home holding the fixture's packages, fetched on first use.
fn cargo_home() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let home =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/secgate-test-cargo-home");
        let lock = fs::read(Path::new(FIXTURE).join("Cargo.lock")).unwrap();
        let marker = home.join("secgate-fixture-lock.sha256");
        let want = sha256_hex(&lock);
        if fs::read_to_string(&marker).ok().as_deref() != Some(want.as_str()) {
            // Fetch from a copy: Cargo needs a target, and nothing is written into the fixture.
            let project = tempfile::tempdir().unwrap();
            fs::copy(
                Path::new(FIXTURE).join("Cargo.toml"),
                project.path().join("Cargo.toml"),
            )
            .unwrap();
            fs::write(project.path().join("Cargo.lock"), &lock).unwrap();
            fs::create_dir(project.path().join("src")).unwrap();
            fs::write(project.path().join("src/lib.rs"), "").unwrap();
            fs::create_dir_all(&home).unwrap();
            if let Err(e) = cargo_fetch_into(project.path(), &home) {
                panic!(
                    "cannot build the test registry cache in {}: these tests fetch 33 crates \
                     from crates.io on their first run, so crates.io must be reachable\n{e}",
                    home.display()
                );
            }
            fs::write(&marker, &want).unwrap();
        }
        home
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn fixture_packages() -> Vec<Package> {
    let text = fs::read_to_string(Path::new(FIXTURE).join("Cargo.lock")).unwrap();
    parse_cargo_lock(&text, "Cargo.lock").unwrap().packages
}

fn run(packages: &[Package], cargo_home: &Path) -> Result<Discovery, DiscoverError> {
    let refs: Vec<&Package> = packages.iter().collect();
    discover(&refs, &DiscoverOptions::new(cargo_home, FIXTURE))
}

fn get<'a>(discovery: &'a Discovery, name: &str) -> &'a Discovered {
    discovery
        .found
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("{name} not in the result"))
}

fn file_names(d: &Discovered) -> Vec<&str> {
    d.files.iter().map(|(path, _)| path.as_str()).collect()
}

#[test]
fn declared_licences_are_read_as_written() {
    let packages = fixture_packages();
    assert_eq!(packages.len(), 34);
    let start = Instant::now();
    let discovery = run(&packages, cargo_home()).unwrap();
    let elapsed = start.elapsed();

    assert_eq!(discovery.missing, Vec::<(String, String)>::new());
    assert_eq!(discovery.found.len(), packages.len());
    for (package, found) in packages.iter().zip(&discovery.found) {
        assert_eq!(
            (&found.name, &found.version),
            (&package.name, &package.version)
        );
        assert!(found.manifest.is_some(), "{} has no manifest", found.name);
    }

    let expected = [
        ("ring", "Apache-2.0 AND ISC"),
        ("unicode-ident", "(MIT OR Apache-2.0) AND Unicode-3.0"),
        ("webpki-roots", "CDLA-Permissive-2.0"),
        ("option-ext", "MPL-2.0"),
        ("libc", "MIT OR Apache-2.0"),
        ("r-efi", "MIT OR Apache-2.0 OR LGPL-2.1-or-later"),
        ("foldhash", "Zlib"),
        ("adler2", "0BSD OR MIT OR Apache-2.0"),
        ("encoding_rs", "(Apache-2.0 OR MIT) AND BSD-3-Clause"),
        // The legacy `/` form is kept as written: judging it is the evaluator's job.
        ("core_detect", "MIT/Apache-2.0"),
        (
            "wasi",
            "Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT",
        ),
    ];
    for (name, license) in expected {
        let found = get(&discovery, name);
        assert_eq!(found.license.as_deref(), Some(license), "{name}");
        assert_eq!(found.license_file, None, "{name}");
        // A declared licence is never second-guessed from the text.
        assert_eq!(found.detected, None, "{name}");
        assert!(found.detections.is_empty(), "{name}");
    }
    let wasi = get(&discovery, "wasi");
    assert_eq!(wasi.version, "0.11.1+wasi-snapshot-preview1");

    // The root package is local: found in the repository root, declaring nothing.
    let root = get(&discovery, "registry-varied-licenses");
    assert_eq!(root.license, None);
    assert_eq!(root.detected, None);
    assert!(root.files.is_empty());
    assert_eq!(
        root.manifest.as_deref(),
        Some(
            Path::new(FIXTURE)
                .canonicalize()
                .unwrap()
                .join("Cargo.toml")
                .as_path()
        )
    );

    let ring = get(&discovery, "ring");
    let ring_dir = cargo_home()
        .join("registry/src")
        .join(SPARSE_INDEX_DIR)
        .join("ring-0.17.14");
    assert_eq!(
        ring.manifest.as_deref(),
        Some(ring_dir.join("Cargo.toml").as_path())
    );
    assert_eq!(
        file_names(ring),
        ["LICENSE", "LICENSE-BoringSSL", "LICENSE-other-bits"]
    );
    for (path, sha) in &ring.files {
        assert_eq!(
            sha,
            &sha256_hex(&fs::read(ring_dir.join(path)).unwrap()),
            "{path}"
        );
    }
    assert_eq!(
        file_names(get(&discovery, "encoding_rs")),
        ["LICENSE-APACHE", "LICENSE-MIT", "LICENSE-WHATWG"]
    );
    assert_eq!(file_names(get(&discovery, "option-ext")), ["LICENSE.txt"]);
    // Names match in any case.
    assert_eq!(
        file_names(get(&discovery, "windows-sys")),
        ["license-apache-2.0", "license-mit"]
    );
    assert!(get(&discovery, "r-efi").files.is_empty());

    // Generous even for a debug build: no licence text is matched here.
    assert!(elapsed.as_secs() < 5, "{elapsed:?}");
}

#[test]
fn license_file_only_is_recognized_from_its_text() {
    let discovery = run(&fixture_packages(), cargo_home()).unwrap();
    let cprng = get(&discovery, "fuchsia-cprng");
    assert_eq!(cprng.license, None);
    assert_eq!(cprng.license_file.as_deref(), Some("LICENSE"));
    let detected = cprng
        .detected
        .as_ref()
        .expect("fuchsia-cprng's LICENSE is recognized");
    // Fuchsia's licence is the three-clause BSD text.
    assert_eq!(detected.expression, "BSD-3-Clause");
    assert_eq!(detected.file, "LICENSE");
    assert!(detected.confidence >= 0.8, "{}", detected.confidence);
    assert_eq!(cprng.detections, std::slice::from_ref(detected));
    assert_eq!(file_names(cprng), ["LICENSE"]);
    assert_eq!(cprng.files[0].1.len(), 64);

    // Above any possible score nothing is recognized.
    let packages = fixture_packages();
    let refs: Vec<&Package> = packages
        .iter()
        .filter(|p| p.name == "fuchsia-cprng")
        .collect();
    let mut opts = DiscoverOptions::new(cargo_home(), FIXTURE);
    opts.threshold = 1.01;
    let strict = discover(&refs, &opts).unwrap();
    assert_eq!(strict.found[0].detected, None);
    assert_eq!(strict.found[0].files, cprng.files);
}

/// Copies a directory tree (regular files only).
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_removed_package_directory_is_reported_missing() {
    let names = ["adler2", "foldhash", "option-ext", "unicode-ident"];
    let packages: Vec<Package> = fixture_packages()
        .into_iter()
        .filter(|p| names.contains(&p.name.as_str()))
        .collect();
    assert_eq!(packages.len(), 4);
    let home = tempfile::tempdir().unwrap();
    let src = cargo_home().join("registry/src").join(SPARSE_INDEX_DIR);
    let copy = home.path().join("registry/src").join(SPARSE_INDEX_DIR);
    for p in &packages {
        let dir = format!("{}-{}", p.name, p.version);
        copy_dir(&src.join(&dir), &copy.join(&dir));
    }
    assert!(run(&packages, home.path()).unwrap().missing.is_empty());

    fs::remove_dir_all(copy.join("foldhash-0.1.5")).unwrap();
    let discovery = run(&packages, home.path()).unwrap();
    assert_eq!(
        discovery.missing,
        [("foldhash".to_owned(), "0.1.5".to_owned())]
    );
    let foldhash = get(&discovery, "foldhash");
    assert_eq!(foldhash.manifest, None);
    assert_eq!(foldhash.license, None);
    assert!(foldhash.files.is_empty());
    assert_eq!(
        get(&discovery, "option-ext").license.as_deref(),
        Some("MPL-2.0")
    );

    // No registry cache at all: everything from the registry is missing.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(run(&packages, empty.path()).unwrap().missing.len(), 4);
}

/// A cache dir `name-version` holding the given manifest and files.
fn fake_package(home: &Path, dir: &str, manifest: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = home.join("registry/src").join(SPARSE_INDEX_DIR).join(dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    for (name, bytes) in files {
        fs::write(dir.join(name), bytes).unwrap();
    }
    dir
}

fn registry_package(name: &str, version: &str) -> Package {
    let lock = format!(
        "version = 4\n\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
    );
    parse_cargo_lock(&lock, "Cargo.lock")
        .unwrap()
        .packages
        .remove(0)
}

#[test]
fn no_declared_licence_is_recognized_from_every_licence_file() {
    // Real licence texts from the fetched cache, in a package that declares nothing.
    let libc = cargo_home()
        .join("registry/src")
        .join(SPARSE_INDEX_DIR)
        .join("libc-0.2.191");
    let mit = fs::read(libc.join("LICENSE-MIT")).unwrap();
    let apache = fs::read(libc.join("LICENSE-APACHE")).unwrap();
    let home = tempfile::tempdir().unwrap();
    fake_package(
        home.path(),
        "undeclared-1.0.0",
        "[package]\nname = \"undeclared\"\nversion = \"1.0.0\"\n",
        &[
            ("LICENSE-MIT", &mit),
            ("LICENSE-APACHE", &apache),
            ("COPYING.notes", b"Thanks to everyone who helped."),
        ],
    );
    let discovery = run(&[registry_package("undeclared", "1.0.0")], home.path()).unwrap();
    let found = &discovery.found[0];
    assert_eq!(found.license, None);
    let detected = found.detected.as_ref().expect("recognized");
    assert_eq!(detected.expression, "Apache-2.0 AND MIT");
    assert_eq!(detected.file, "LICENSE-APACHE");
    let per_file: Vec<(&str, &str)> = found
        .detections
        .iter()
        .map(|d| (d.file.as_str(), d.expression.as_str()))
        .collect();
    assert_eq!(
        per_file,
        [("LICENSE-APACHE", "Apache-2.0"), ("LICENSE-MIT", "MIT")]
    );
    // Every licence file is hashed, recognized or not.
    assert_eq!(
        file_names(found),
        ["COPYING.notes", "LICENSE-APACHE", "LICENSE-MIT"]
    );
    assert_eq!(found.files[2].1, sha256_hex(&mit));
}

#[test]
fn broken_and_foreign_registry_manifests_are_errors() {
    let home = tempfile::tempdir().unwrap();
    let dir = fake_package(
        home.path(),
        "broken-1.0.0",
        "[package]\nname = \"broken\"\nversion = \"1.0.0\"\nlicense = \"MIT\n",
        &[],
    );
    let err = run(&[registry_package("broken", "1.0.0")], home.path()).unwrap_err();
    let DiscoverError::Manifest { path, line, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, &dir.join("Cargo.toml"));
    assert_eq!(*line, 4);
    assert!(
        err.to_string()
            .starts_with(&format!("{}:4:", dir.join("Cargo.toml").display())),
        "{err}"
    );

    fake_package(
        home.path(),
        "other-1.0.0",
        "[package]\nname = \"impostor\"\nversion = \"1.0.0\"\nlicense = \"MIT\"\n",
        &[],
    );
    let err = run(&[registry_package("other", "1.0.0")], home.path()).unwrap_err();
    assert!(
        matches!(&err, DiscoverError::ManifestMismatch { found_name, .. } if found_name == "impostor"),
        "{err:?}"
    );
}

#[test]
fn cargo_fetch_failure_carries_cargos_stderr() {
    let empty = tempfile::tempdir().unwrap();
    let err = cargo_fetch_into(empty.path(), &empty.path().join("home")).unwrap_err();
    let DiscoverError::CargoFetch { status, stderr } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*status, Some(101));
    assert!(stderr.contains("Cargo.toml"), "{stderr}");
    assert!(
        err.to_string()
            .contains("`cargo fetch --locked` failed (exit status 101)")
    );
}
