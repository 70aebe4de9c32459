//! Helpers shared by the integration tests: the real data folder and packages.

#![allow(dead_code)]

use secgate_core::{Ecosystem, Location, Package, PackageSource};
use std::path::{Path, PathBuf};

/// `../shared` (or `$SECGATE_SHARED`); panics when the real data is missing.
pub fn shared() -> PathBuf {
    let dir = std::env::var_os("SECGATE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("advisory-data/rustsec/crates").is_dir()
            && dir.join("advisory-data/osv/crates.io").is_dir(),
        "../shared/advisory-data is required for these tests (set SECGATE_SHARED)"
    );
    dir
}

/// The RustSec snapshot.
pub fn rustsec_dir() -> PathBuf {
    shared().join("advisory-data/rustsec")
}

/// The OSV tree (`crates.io/`, `PyPI/`).
pub fn osv_dir() -> PathBuf {
    shared().join("advisory-data/osv")
}

/// The Cargo.lock files of ../shared/corpus, relative to `corpus/`.
pub const LOCKFILES: &[&str] = &[
    "cargo-bat/Cargo.lock",
    "cargo-nushell/Cargo.lock",
    "cargo-large-omicron/Cargo.lock",
    "cargo-old-ytop/Cargo.lock",
    "cargo-old-spotify-tui/Cargo.lock",
    "cargo-xi-editor-2023/rust/Cargo.lock",
];

/// The packages of a corpus lockfile (see [`LOCKFILES`]).
pub fn packages(lockfile: &str) -> Vec<Package> {
    let path = shared().join("corpus").join(lockfile);
    let text = std::fs::read_to_string(&path).unwrap();
    secgate_inventory::parse_cargo_lock(&text, lockfile)
        .unwrap()
        .packages
}

/// A crates.io package locked at `line` of `Cargo.lock`.
pub fn crate_at(name: &str, version: &str, line: u32) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        ecosystem: Ecosystem::CratesIo,
        source: PackageSource::DefaultRegistry,
        checksum: None,
        dependencies: vec![],
        direct: None,
        dev: false,
        location: Location::new("Cargo.lock", line, 1),
    }
}
