//! Property: `parse_cargo_lock` never panics and stays fast on any text, giving packages or a
//! located [`secgate_inventory::LockfileError`]. Inputs: arbitrary bytes, mutations of every real
//! `Cargo.lock` (corpus v2–v4 and this crate's v1–v4 fixtures), and grammar-shaped lockfiles.
//!
//! `SECGATE_PROPTEST_CASES=5000 cargo test -p secgate-inventory prop_` runs a longer search.

mod prop_common;
mod prop_lockfile;

use prop_common::{
    Seed, config, corpus_seeds, fixture_seeds, lines_of, mutate, mutations, repeated, text, timed,
};
use prop_lockfile::assert_located;
use proptest::prelude::*;
use proptest::sample::Index;
use secgate_inventory::{parse_cargo_lock, parse_cargo_lock_bytes};
use std::sync::LazyLock;

static SEEDS: LazyLock<Vec<Seed>> = LazyLock::new(|| {
    let mut seeds = corpus_seeds(&[
        "cargo-bat/Cargo.lock",
        "cargo-old-ytop/Cargo.lock",
        "cargo-old-spotify-tui/Cargo.lock",
        "cargo-xi-editor-2023/rust/Cargo.lock",
        "cargo-nushell/Cargo.lock",
        "cargo-large-omicron/Cargo.lock",
    ]);
    seeds.extend(fixture_seeds("tests/fixtures", ".lock"));
    seeds
});

/// Lines of Cargo.lock's grammar, valid and slightly off.
const LOCK_LINES: &[&str] = &[
    "version = 3",
    "version = 4",
    "version = 1",
    "version = \"3\"",
    "[[package]]",
    "[package]",
    "[root]",
    "[metadata]",
    "[[patch.unused]]",
    "name = \"serde\"",
    "name = \"\"",
    "version = \"1.0.0\"",
    "version = \"1.0.0-alpha.1+build\"",
    "version = \"x\"",
    "source = \"registry+https://github.com/rust-lang/crates.io-index\"",
    "source = \"sparse+https://index.crates.invalid/\"",
    "source = \"git+https://github.com/a/b?branch=main#0123456789abcdef0123456789abcdef01234567\"",
    "source = \"git+https://github.com/a/b#\"",
    "source = \"path+file:///x\"",
    "checksum = \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"",
    "dependencies = [",
    " \"serde\",",
    " \"serde 1.0.0\",",
    " \"serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)\",",
    "]",
    "dependencies = []",
    "\"checksum serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)\" = \"00\"",
    "# comment",
    "",
];

fn check(what: &str, text: &str) {
    let result = timed(what, text.len(), || parse_cargo_lock(text, "Cargo.lock"));
    assert_located(text, &result);
}

proptest! {
    #![proptest_config(config(0x5ec6_0001))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let result = timed("bytes", bytes.len(), || parse_cargo_lock_bytes(bytes.clone(), "Cargo.lock"));
        if let Ok(lock) = &result {
            assert_located(&lock.text, &result);
        }
    }

    #[test]
    fn arbitrary_text(input in ".{0,2000}") {
        check("text", &input);
    }

    #[test]
    fn mutated_real_lockfiles(seed in any::<Index>(), changes in mutations()) {
        let seed = &SEEDS[seed.index(SEEDS.len())];
        let input = text(&mutate(&seed.bytes, &changes));
        check(&seed.name, &input);
    }

    #[test]
    fn grammar_shaped_lockfiles(input in lines_of(LOCK_LINES)) {
        check("grammar", &input);
    }
}

/// Nesting far deeper than any lockfile, in every TOML construct that nests.
#[test]
fn deep_nesting_is_refused_or_read() {
    for unit in ["[", "{a=", "[{a=", "[[", "a.", "\""] {
        let deep = format!("version = 3\nx = {}\n", repeated(unit));
        check(unit, &deep);
    }
    let keys = format!("[{}]\n", "a.".repeat(100_000) + "b");
    check("dotted header", &keys);
}
