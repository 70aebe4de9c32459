//! Property tests of SPDX expression evaluation and npm licence discovery: any licence text,
//! however malformed or deeply nested, gets a [`Verdict`] (never a panic, in bounded time), and
//! a damaged `package-lock.json` still gives one discovery result per package. Seeds are the
//! licence values real npm lockfiles declare (`../shared/corpus`) and the crate's fixtures.

// One copy of the property-test helpers, kept with the advisories crate's tests.
#[path = "../../secgate-advisories/tests/prop_common/mod.rs"]
mod prop_common;

use prop_common::{apply, config, mutations, noise, shared, timed};
use proptest::prelude::*;
use secgate_core::Package;
use secgate_licenses::evaluate::{
    LicensePolicy, Verdict, canonical_form, check_expression, sbom_expression,
};
use secgate_licenses::npm::{NpmLockfile, discover_npm};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// The npm lockfiles of the corpus that record licences.
const PACKAGE_LOCKS: &[&str] = &[
    "npm-axios/package-lock.json",
    "npm-lock-v3-marked/package-lock.json",
];

fn read_corpus(file: &str) -> String {
    std::fs::read_to_string(shared().join("corpus").join(file)).unwrap()
}

/// Every string value of a `license` key in `value`, recursively.
fn licence_values(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("license", serde_json::Value::String(s)) => {
                        out.insert(s.clone());
                    }
                    _ => licence_values(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| licence_values(v, out)),
        _ => {}
    }
}

/// The distinct licence values of the corpus lockfiles and the `license =` lines of the
/// crate's fixtures, read once per test binary.
static SEED_EXPRESSIONS: LazyLock<Vec<String>> = LazyLock::new(seed_expressions);

fn seed_expressions() -> Vec<String> {
    let mut out = BTreeSet::new();
    for file in PACKAGE_LOCKS {
        let json: serde_json::Value = serde_json::from_str(&read_corpus(file)).unwrap();
        licence_values(&json, &mut out);
    }
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/registry-varied-licenses/Cargo.toml"
    );
    let text = std::fs::read_to_string(fixture).unwrap();
    out.extend(
        text.lines()
            .filter_map(|l| l.trim().strip_prefix("license"))
            .filter_map(|l| l.split('"').nth(1))
            .map(str::to_owned),
    );
    out.extend(
        [
            "MIT/Apache-2.0",
            "GPL-2.0+",
            "Apache-2.0 WITH LLVM-exception",
            "LicenseRef-Proprietary",
            "(MIT OR Apache-2.0) AND Unicode-3.0",
        ]
        .map(str::to_owned),
    );
    assert!(out.len() >= 10, "too few seed licence values: {out:?}");
    out.into_iter().collect()
}

fn policies() -> [LicensePolicy; 2] {
    let mut small = LicensePolicy::default();
    small.allow(["MIT", "Apache-2.0"]).unwrap();
    [LicensePolicy::from_preset("default").unwrap(), small]
}

/// Evaluates `expr` under every policy; a verdict always names something when it denies.
fn evaluate(expr: &str, package_allow: &[String]) {
    for policy in &policies() {
        let verdict = timed("evaluating an expression", || {
            check_expression(expr, policy, package_allow)
        });
        if let Verdict::Denied { failed, .. } = &verdict {
            assert!(!failed.is_empty(), "`{expr}` denied for no licence");
        }
    }
    timed("canonicalizing an expression", || {
        let _ = canonical_form(expr);
        let _ = sbom_expression(expr);
    });
}

/// An SPDX-shaped expression: ids, `+`, `WITH`, `AND`/`OR`/`/`, parentheses.
fn spdx() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        Just("MIT".to_owned()),
        Just("Apache-2.0".to_owned()),
        Just("GPL-2.0".to_owned()),
        Just("GPL-3.0-or-later".to_owned()),
        Just("BSD-3-Clause".to_owned()),
        Just("LicenseRef-Own".to_owned()),
        Just("DocumentRef-x:LicenseRef-y".to_owned()),
        Just("UNLICENSED".to_owned()),
        Just("SEE LICENSE IN LICENSE.md".to_owned()),
        "[A-Za-z0-9.+-]{1,12}",
    ];
    let leaf = (
        id,
        any::<bool>(),
        proptest::option::of(Just("LLVM-exception")),
    )
        .prop_map(|(id, plus, with)| {
            let mut s = id;
            if plus {
                s.push('+');
            }
            if let Some(w) = with {
                s.push_str(" WITH ");
                s.push_str(w);
            }
            s
        });
    leaf.prop_recursive(6, 64, 4, |inner| {
        let op = prop_oneof![
            Just(" AND "),
            Just(" OR "),
            Just("/"),
            Just(" and "),
            Just(" ")
        ];
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, op, b)| format!("{a}{op}{b}")),
            inner.prop_map(|e| format!("({e})")),
        ]
    })
}

const SPDX_NESTING: &[&str] = &["(", ")", "( ", "MIT AND ", "MIT OR (", " WITH ", "+"];
const JSON_NESTING: &[&str] = &["[", "{\"a\":", "\"", "{\"license\":"];

/// The packages a corpus lockfile locks, parsed from its unmutated text.
fn packages(file: &str) -> Vec<Package> {
    secgate_inventory::npm::parse_package_lock(&read_corpus(file), file)
        .unwrap()
        .packages
}

proptest! {
    #![proptest_config(config(0x5EC6_5BD1))]

    #[test]
    fn arbitrary_text_gets_a_verdict(text in ".{0,200}", allow in proptest::collection::vec(".{0,20}", 0..3)) {
        evaluate(&text, &allow);
    }

    #[test]
    fn arbitrary_bytes_get_a_verdict(bytes in noise("()+/ ANDORWITH-.:")) {
        evaluate(&String::from_utf8_lossy(&bytes), &[]);
    }

    #[test]
    fn generated_expressions_get_a_verdict(expr in spdx()) {
        evaluate(&expr, &[]);
        evaluate(&expr, std::slice::from_ref(&expr));
    }

    #[test]
    fn mutated_real_licence_values_get_a_verdict(
        pick in any::<prop::sample::Index>(),
        edits in mutations(SPDX_NESTING, 3),
    ) {
        let seed = pick.get::<String>(&SEED_EXPRESSIONS);
        let expr = String::from_utf8_lossy(&apply(seed.as_bytes(), &edits)).into_owned();
        evaluate(&expr, &[]);
    }

    #[test]
    fn deep_nesting_gets_a_verdict(depth in 1usize..50_000, chain in 1usize..5_000) {
        let nested = format!("{}MIT{}", "(".repeat(depth), ")".repeat(depth));
        evaluate(&nested, &[]);
        evaluate(&"(".repeat(depth), &[]);
        evaluate(&vec!["MIT"; chain].join(" AND "), &[]);
        evaluate(&vec!["(MIT"; chain].join(" OR "), &[]);
    }

    #[test]
    fn mutated_package_locks_discover_every_package(
        pick in 0..PACKAGE_LOCKS.len(),
        edits in mutations(JSON_NESTING, 4),
    ) {
        let file = PACKAGE_LOCKS[pick];
        let packages = packages(file);
        let refs: Vec<&Package> = packages.iter().collect();
        let text = String::from_utf8_lossy(&apply(read_corpus(file).as_bytes(), &edits)).into_owned();
        let root = tempfile::tempdir().unwrap();
        let lockfiles = [NpmLockfile { path: file, text: &text }];
        let found = timed("npm discovery", || discover_npm(root.path(), &lockfiles, &refs)).found;
        prop_assert_eq!(found.len(), refs.len());
    }
}
