//! Licence expressions against policies: operators, legacy forms, unknown ids, references,
//! explicit denies, the presets, and the licence values real crates and npm packages declare.

use secgate_licenses::evaluate::{LicensePolicy, Verdict, check_expression};

fn default() -> LicensePolicy {
    LicensePolicy::from_preset("default").expect("default preset")
}

fn policy(allow: &[&str]) -> LicensePolicy {
    let mut p = LicensePolicy::default();
    p.allow(allow.iter().copied()).expect("valid ids");
    p
}

fn verdict(expr: &str, policy: &LicensePolicy) -> Verdict {
    check_expression(expr, policy, &[])
}

fn allowed(expr: &str, policy: &LicensePolicy) -> bool {
    verdict(expr, policy).is_allowed()
}

fn failed(expr: &str, policy: &LicensePolicy) -> Vec<String> {
    match verdict(expr, policy) {
        Verdict::Denied { failed, .. } => failed,
        other => panic!("`{expr}`: expected denied, got {other:?}"),
    }
}

fn unknown(expr: &str, policy: &LicensePolicy) -> String {
    match verdict(expr, policy) {
        Verdict::Unknown { reason } => reason,
        other => panic!("`{expr}`: expected unknown, got {other:?}"),
    }
}

#[test]
fn or_needs_one_side_and_needs_every_part() {
    let p = policy(&["MIT", "Apache-2.0"]);
    assert!(allowed("MIT OR GPL-3.0-only", &p));
    assert!(allowed("GPL-3.0-only OR MIT", &p));
    assert_eq!(
        failed("GPL-2.0-only OR GPL-3.0-only", &p),
        ["GPL-2.0-only", "GPL-3.0-only"]
    );
    assert!(allowed("MIT AND Apache-2.0", &p));
    assert_eq!(failed("MIT AND GPL-3.0-only", &p), ["GPL-3.0-only"]);
    // AND binds tighter than OR.
    assert!(allowed("GPL-3.0-only AND Zlib OR MIT", &p));
    assert_eq!(
        failed("MIT AND Zlib OR GPL-3.0-only", &p),
        ["Zlib", "GPL-3.0-only"]
    );
}

#[test]
fn nested_parentheses() {
    let p = policy(&["MIT", "Apache-2.0"]);
    assert!(allowed(
        "((MIT OR GPL-3.0-only) AND (Apache-2.0 OR LGPL-2.1-only)) OR GPL-2.0-only",
        &p
    ));
    assert_eq!(
        failed("((MIT OR GPL-3.0-only) AND (Zlib OR LGPL-2.1-only))", &p),
        ["Zlib", "LGPL-2.1-only"]
    );
    assert!(allowed("(((MIT)))", &p));
}

#[test]
fn with_exception_is_a_licence_of_its_own() {
    let plain = policy(&["Apache-2.0"]);
    assert_eq!(
        failed("Apache-2.0 WITH LLVM-exception", &plain),
        ["Apache-2.0 WITH LLVM-exception"]
    );
    let pair = policy(&["Apache-2.0 WITH LLVM-exception"]);
    assert!(allowed("Apache-2.0 WITH LLVM-exception", &pair));
    // The pair does not allow the plain licence, nor another exception.
    assert_eq!(failed("Apache-2.0", &pair), ["Apache-2.0"]);
    assert!(!allowed("GPL-2.0-only WITH Classpath-exception-2.0", &pair));
    assert!(allowed(
        "Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT",
        &plain
    ));
}

#[test]
fn legacy_slash_reads_as_or_and_is_flagged() {
    let p = policy(&["MIT", "Apache-2.0"]);
    for value in ["MIT/Apache-2.0", "Apache-2.0/MIT", "Apache-2.0 / MIT"] {
        assert_eq!(
            verdict(value, &p),
            Verdict::Allowed { legacy: true },
            "{value}"
        );
    }
    assert_eq!(
        verdict("MIT OR Apache-2.0", &p),
        Verdict::Allowed { legacy: false }
    );
    assert_eq!(
        verdict("GPL-3.0-only/LGPL-3.0-only", &p),
        Verdict::Denied {
            failed: vec!["GPL-3.0-only".into(), "LGPL-3.0-only".into()],
            denied: vec![],
            legacy: true,
        }
    );
    assert_eq!(
        secgate_licenses::evaluate::canonical_form("MIT/Apache-2.0").as_deref(),
        Some("MIT OR Apache-2.0")
    );
}

#[test]
fn deprecated_and_or_later_ids_read_as_cargo_deny_reads_them() {
    // `GPL-2.0` (deprecated) is `GPL-2.0-only`; `LGPL-2.1+` is `LGPL-2.1-or-later`.
    let p = default();
    assert_eq!(failed("GPL-2.0", &p), ["GPL-2.0-only"]);
    assert!(verdict("GPL-2.0", &p).legacy());
    assert_eq!(failed("LGPL-2.1+", &p), ["LGPL-2.1-or-later"]);
    assert_eq!(failed("GPL-2.0+", &p), ["GPL-2.0-or-later"]);
    assert_eq!(
        verdict("GPL-2.0", &policy(&["GPL-2.0-only"])),
        Verdict::Allowed { legacy: true }
    );
    assert!(allowed("LGPL-2.1+", &policy(&["LGPL-2.1-or-later"])));
    // `-or-later` is its own id, matched exactly (as spdx and cargo-deny do).
    assert!(!allowed("LGPL-2.1+", &policy(&["LGPL-2.1-only"])));
    // `+` on other licences: the base licence satisfies it.
    assert_eq!(
        verdict("Apache-2.0+", &p),
        Verdict::Allowed { legacy: false }
    );
    assert_eq!(failed("MPL-1.1+", &p), ["MPL-1.1+"]);
}

#[test]
fn ids_not_on_the_spdx_list_are_unknown() {
    let p = default();
    assert_eq!(
        unknown("Foo-1.0", &p),
        "`Foo-1.0` is not an SPDX licence or exception id (column 1)"
    );
    // Not even beside an allowed side: the value is broken, as cargo-deny says.
    assert!(unknown("MIT OR Foo-1.0", &p).contains("`Foo-1.0`"));
    assert!(unknown("Apache-2.0 WITH Foo-exception", &p).contains("`Foo-exception`"));
}

#[test]
fn garbage_is_unknown() {
    let p = default();
    for garbage in [
        "",
        "   ",
        "see LICENSE file",
        "MIT AND",
        "(MIT",
        "MIT)",
        "MIT OR OR Apache-2.0",
        "MIT Apache-2.0",
        "Apache License, Version 2.0",
        "WITH LLVM-exception",
        "MIT +",
        "UNLICENSED",
        "SEE LICENSE IN LICENSE.txt",
    ] {
        let reason = unknown(garbage, &p);
        assert!(!reason.is_empty(), "{garbage:?}");
    }
    assert_eq!(unknown("", &p), "the expression is empty");
}

#[test]
fn license_refs_are_unknown_unless_allowed_by_exact_name() {
    let p = default();
    assert_eq!(
        unknown("LicenseRef-ring", &p),
        "`LicenseRef-ring` is not on the SPDX licence list and the policy does not allow it by \
         that exact name"
    );
    assert!(allowed("LicenseRef-ring", &policy(&["LicenseRef-ring"])));
    assert!(!allowed("LicenseRef-ring", &policy(&["LicenseRef-Ring"])));
    assert!(!allowed("LicenseRef-ring-2", &policy(&["LicenseRef-ring"])));
    // An allowed side is enough; a failing reference makes the verdict unknown, not denied.
    assert!(allowed("MIT OR LicenseRef-ring", &p));
    assert!(matches!(
        verdict("MIT AND LicenseRef-ring", &p),
        Verdict::Unknown { .. }
    ));
    assert!(matches!(
        verdict("MIT WITH AdditionRef-extra", &p),
        Verdict::Unknown { .. }
    ));
    assert!(allowed(
        "MIT WITH AdditionRef-extra",
        &policy(&["MIT WITH AdditionRef-extra"])
    ));
}

#[test]
fn explicit_deny_beats_allow() {
    let mut p = default();
    p.deny(["MIT"]).unwrap();
    assert_eq!(
        verdict("MIT", &p),
        Verdict::Denied {
            failed: vec!["MIT".into()],
            denied: vec!["MIT".into()],
            legacy: false,
        }
    );
    assert!(allowed("MIT OR Apache-2.0", &p));
    assert_eq!(
        verdict("MIT AND Apache-2.0", &p),
        Verdict::Denied {
            failed: vec!["MIT".into()],
            denied: vec!["MIT".into()],
            legacy: false,
        }
    );
    // A package's exception beats the deny (that is what the exception is for).
    assert!(check_expression("MIT", &p, &["MIT".to_owned()]).is_allowed());
}

#[test]
fn package_allow_adds_licences_for_that_check_only() {
    let p = default();
    let extra = ["OpenSSL".to_owned(), "not an id".to_owned()];
    assert!(check_expression("MIT AND ISC AND OpenSSL", &p, &extra).is_allowed());
    assert!(!check_expression("MIT AND ISC AND OpenSSL", &p, &[]).is_allowed());
}

#[test]
fn policy_entries_are_validated() {
    let mut p = LicensePolicy::default();
    let errors = p
        .allow(["MIT", "Foo-1.0", "GPL-2.0", "MIT OR ISC", "apache-2.0"])
        .unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert!(messages[0].starts_with("unknown licence id `Foo-1.0`"));
    assert!(messages[1].contains("`GPL-2.0-only` or `GPL-2.0-or-later`"));
    assert!(messages[2].starts_with("`MIT OR ISC` is not a single licence"));
    assert!(messages[3].ends_with("did you mean `Apache-2.0`?"));
    assert_eq!(p.allow.len(), 1);
}

#[test]
fn presets_parse_and_contain_what_they_say() {
    assert_eq!(
        LicensePolicy::preset_names(),
        ["default", "strict", "permissive"]
    );
    let set = |name: &str| -> Vec<String> {
        LicensePolicy::from_preset(name)
            .unwrap_or_else(|| panic!("preset {name}"))
            .allow
            .into_iter()
            .collect()
    };
    let strict = set("strict");
    assert_eq!(
        strict,
        ["Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "MIT"]
    );
    let default = set("default");
    let mut expected = vec![
        "MIT",
        "Apache-2.0",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "ISC",
        "0BSD",
        "Zlib",
        "Unicode-3.0",
        "Unicode-DFS-2016",
        "CC0-1.0",
        "BSL-1.0",
        "Apache-2.0 WITH LLVM-exception",
        "BlueOak-1.0.0",
    ];
    expected.sort_unstable();
    assert_eq!(default, expected);
    let permissive = set("permissive");
    for id in &default {
        assert!(permissive.contains(id), "permissive lacks {id}");
    }
    let mut extra: Vec<&str> = permissive
        .iter()
        .filter(|id| !default.contains(id))
        .map(String::as_str)
        .collect();
    extra.sort_unstable();
    assert_eq!(
        extra,
        [
            "CDLA-Permissive-2.0",
            "MPL-2.0",
            "OpenSSL",
            "Unlicense",
            "WTFPL"
        ]
    );
    for name in LicensePolicy::preset_names() {
        assert!(LicensePolicy::from_preset(name).unwrap().deny.is_empty());
    }
}

/// The `license` values of the crates in this workspace's own lockfile (and common npm ones),
/// with what the `default` preset says about each.
#[test]
fn real_licence_values_under_the_default_preset() {
    let p = default();
    let allowed_values = [
        "MIT OR Apache-2.0",
        "Apache-2.0 OR MIT",
        "MIT",
        "Apache-2.0",
        "Unicode-3.0",
        "Unlicense OR MIT",
        "Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT",
        "Apache-2.0 WITH LLVM-exception",
        "(MIT OR Apache-2.0) AND Unicode-3.0",
        "(MIT OR Apache-2.0) AND Unicode-DFS-2016",
        "BSD-3-Clause AND MIT",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "ISC",
        "Zlib",
        "Zlib OR Apache-2.0 OR MIT",
        "MIT OR Zlib OR Apache-2.0",
        "Apache-2.0 AND ISC",
        "Apache-2.0 OR ISC OR MIT",
        "MIT OR Apache-2.0 OR LGPL-2.1-or-later",
        "CC0-1.0",
        "CC0-1.0 OR MIT-0 OR Apache-2.0",
        "0BSD OR MIT OR Apache-2.0",
        "Apache-2.0 OR BSL-1.0",
        "BSL-1.0",
        "(MIT OR CC0-1.0)",
        "(BSD-2-Clause OR MIT OR Apache-2.0)",
        "(Apache-2.0 OR MIT) AND BSD-3-Clause",
        // glob, minimatch, lru-cache: in nearly every npm tree.
        "BlueOak-1.0.0",
    ];
    for value in allowed_values {
        assert_eq!(
            verdict(value, &p),
            Verdict::Allowed { legacy: false },
            "{value}"
        );
    }
    for legacy in ["MIT/Apache-2.0", "Apache-2.0/MIT", "Apache-2.0 / MIT"] {
        assert_eq!(
            verdict(legacy, &p),
            Verdict::Allowed { legacy: true },
            "{legacy}"
        );
    }
    let denied = [
        ("MPL-2.0", vec!["MPL-2.0"]),
        ("CDLA-Permissive-2.0", vec!["CDLA-Permissive-2.0"]),
        ("Python-2.0", vec!["Python-2.0"]),
        ("CC-BY-3.0", vec!["CC-BY-3.0"]),
        ("Artistic-2.0", vec!["Artistic-2.0"]),
        ("Unlicense", vec!["Unlicense"]),
        ("GPL-3.0-or-later", vec!["GPL-3.0-or-later"]),
        (
            "LGPL-2.1-only OR GPL-2.0-only",
            vec!["LGPL-2.1-only", "GPL-2.0-only"],
        ),
        ("MIT AND MPL-2.0", vec!["MPL-2.0"]),
    ];
    for (value, failures) in denied {
        assert_eq!(failed(value, &p), failures, "{value}");
    }
    let permissive = LicensePolicy::from_preset("permissive").unwrap();
    for value in [
        "MPL-2.0",
        "CDLA-Permissive-2.0",
        "BlueOak-1.0.0",
        "Unlicense",
    ] {
        assert!(allowed(value, &permissive), "{value}");
    }
    let strict = LicensePolicy::from_preset("strict").unwrap();
    assert!(allowed("MIT OR Apache-2.0", &strict));
    assert_eq!(failed("Apache-2.0 AND ISC", &strict), ["ISC"]);
    assert_eq!(
        failed("(MIT OR Apache-2.0) AND Unicode-3.0", &strict),
        ["Unicode-3.0"]
    );
    assert_eq!(
        failed("Apache-2.0 WITH LLVM-exception", &strict),
        ["Apache-2.0 WITH LLVM-exception"]
    );
}
