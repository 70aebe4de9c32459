//! Property: `Policy::parse` never panics and stays fast on any text, giving a policy or
//! [`PolicyError::Invalid`] whose every problem points at a real slice of the text. Inputs:
//! arbitrary text, mutations of the shipped policies and of every fixture, and grammar-shaped
//! policies built from the real sections and keys.
//!
//! `SECGATE_PROPTEST_CASES=5000 cargo test -p secgate-policy prop_` runs a longer search.

// The seed, mutation and timing helpers are shared with the other crates' property tests.
#[path = "../../secgate-inventory/tests/prop_common/mod.rs"]
mod prop_common;

use prop_common::{
    Seed, config, fixture_seeds, lines_of, mutate, mutations, read_seed, repeated, text, timed,
};
use proptest::prelude::*;
use proptest::sample::Index;
use secgate_policy::{Policy, PolicyError};
use std::path::Path;
use std::sync::LazyLock;

static SEEDS: LazyLock<Vec<Seed>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut seeds: Vec<Seed> = [
        "policies/default.toml",
        "policies/licenses/default.toml",
        "policies/licenses/permissive.toml",
        "policies/licenses/strict.toml",
    ]
    .iter()
    .map(|p| read_seed(&root.join(p)))
    .collect();
    seeds.extend(fixture_seeds("tests/fixtures", ".toml"));
    seeds
});

/// Lines of secgate.toml's grammar: every section and many keys, with good and bad values.
const POLICY_LINES: &[&str] = &[
    "[advisories]",
    "[levels]",
    "[licenses]",
    "[pins]",
    "[paths]",
    "[secrets]",
    "[signatures]",
    "[[advisories.ignore]]",
    "[[licenses.clarify]]",
    "[[licenses.exceptions]]",
    "[[pins.ignore]]",
    "[[secrets.allow]]",
    "[unknown]",
    "sources = [\"rustsec\", \"osv\"]",
    "sources = []",
    "sources = [\"rustsec\", \"rustsec\"]",
    "severity-threshold = \"moderate\"",
    "severity-threshold = 3",
    "include-dev = true",
    "max-age = \"7d\"",
    "max-age = \"0h\"",
    "max-age = \"-1d\"",
    "ignore = [\"RUSTSEC-2020-0071\"]",
    "ignore = [{ id = \"RUSTSEC-2020-0071\", reason = \"not reachable\", until = \"2030-01-01\" }]",
    "ignore = [{ id = \"GHSA-xxxx\" }]",
    "id = \"RUSTSEC-2020-0071\"",
    "id = \"CVE-2024-1234\"",
    "reason = \"because\"",
    "reason = \"\"",
    "until = \"2030-13-45\"",
    "ignore-expired = \"deny\"",
    "ignore-unused = \"warn\"",
    "vulnerability = \"deny\"",
    "unmaintained = \"allow\"",
    "yanked = \"loud\"",
    "preset = \"permissive\"",
    "preset = \"nope\"",
    "allow = [\"MIT\", \"Apache-2.0 WITH LLVM-exception\"]",
    "deny = [\"GPL-3.0-only\", \"GPL-3.0\"]",
    "package = \"ring\"",
    "version = \"0.16.*\"",
    "expression = \"MIT AND ISC AND OpenSSL\"",
    "expression = \"((MIT OR\"",
    "license-files = [{ path = \"LICENSE\", hash = 0xbd0eed23 }]",
    "files = [\"LICENSE\"]",
    "actions = \"sha\"",
    "images = \"digest\"",
    "python = \"hashes\"",
    "allow-tags = [\"actions/*\"]",
    "exclude = [\"vendor/**\", \"**/[\", \"{a,b}\"]",
    "path = \"tests/**\"",
    "code = \"action-unpinned\"",
    "enabled = true",
    "entropy-threshold = 4.5",
    "entropy-threshold = -1",
    "max-file-size = \"1MiB\"",
    "max-file-size = \"12 parsecs\"",
    "rule = \"aws-access-key\"",
    "fingerprint = \"abc\"",
    "scan-history = false",
    "openpgp-keys = [\"keys/a.asc\"]",
    "allowed-signers = \".github/allowed_signers\"",
    "a.b.c = 1",
    "# comment",
    "",
];

/// Fails unless `result` (the parse of `text`) points only at real places of `text`.
fn assert_located(text: &str, result: &Result<Policy, PolicyError>) {
    match result {
        Ok(_) => {}
        Err(PolicyError::Invalid { problems, .. }) => {
            assert!(!problems.is_empty(), "an invalid policy names its problems");
            for p in problems {
                assert!(
                    p.line >= 1 && p.column >= 1,
                    "problem at line/column 0: {p}"
                );
                assert!(
                    text.get(p.span.clone()).is_some(),
                    "problem span {:?} is not a slice of the text ({} bytes): {p}",
                    p.span,
                    text.len()
                );
            }
        }
        Err(e @ PolicyError::Read { .. }) => panic!("parsing text cannot fail to read: {e}"),
    }
}

fn check(what: &str, text: &str) {
    let result = timed(what, text.len(), || Policy::parse(text, "secgate.toml"));
    assert_located(text, &result);
}

proptest! {
    #![proptest_config(config(0x5ec6_0101))]

    #[test]
    fn arbitrary_text(input in ".{0,2000}") {
        check("text", &input);
    }

    #[test]
    fn mutated_real_policies(seed in any::<Index>(), changes in mutations()) {
        let seed = &SEEDS[seed.index(SEEDS.len())];
        check(&seed.name, &text(&mutate(&seed.bytes, &changes)));
    }

    #[test]
    fn grammar_shaped_policies(input in lines_of(POLICY_LINES)) {
        check("grammar", &input);
    }
}

/// Nesting far deeper than any policy, in TOML's nesting constructs and SPDX parentheses.
#[test]
fn deep_nesting_is_refused_or_read() {
    for unit in ["[", "{a=", "[{a="] {
        check(
            unit,
            &format!("[advisories]\nsources = {}\n", repeated(unit)),
        );
    }
    let parens = format!("{}MIT{}", "(".repeat(100_000), ")".repeat(100_000));
    let clarify = format!(
        "[[licenses.clarify]]\npackage = \"a\"\nexpression = \"{parens}\"\nfiles = [\"LICENSE\"]\n"
    );
    check("spdx parentheses", &clarify);
    let allow = format!("[licenses]\nallow = [\"{}MIT\"]\n", "(".repeat(100_000));
    check("spdx open parentheses", &allow);
    let exclude = format!("[paths]\nexclude = [\"{}\"]\n", "{a,".repeat(100_000));
    check("glob braces", &exclude);
}
