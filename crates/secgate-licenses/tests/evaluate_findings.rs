//! The licence gate over packages: findings, their locations and messages, exceptions and
//! clarifications.

use secgate_core::{Code, Ecosystem, Finding, Level, Location, Package, PackageSource};
use secgate_licenses::evaluate::{
    Clarification, Exception, LicenseInput, LicensePolicy, LicenseSource, evaluate,
};

fn package(name: &str, version: &str, line: u32) -> Package {
    Package {
        name: name.to_owned(),
        version: version.to_owned(),
        ecosystem: Ecosystem::CratesIo,
        source: PackageSource::DefaultRegistry,
        checksum: None,
        dependencies: Vec::new(),
        direct: None,
        dev: false,
        location: Location::new("Cargo.lock", line, 1),
    }
}

fn declared<'a>(package: &'a Package, expression: &str) -> LicenseInput<'a> {
    LicenseInput {
        package,
        source: LicenseSource::Declared {
            expression: expression.to_owned(),
        },
        files: Vec::new(),
    }
}

fn default() -> LicensePolicy {
    LicensePolicy::from_preset("default").unwrap()
}

fn exception(package: &str, version: Option<&str>, allow: &[&str], line: u32) -> Exception {
    Exception {
        package: package.to_owned(),
        version: version.map(str::to_owned),
        allow: allow.iter().map(|s| (*s).to_owned()).collect(),
        reason: "reviewed".to_owned(),
        location: Some(Location::new("secgate.toml", line, 3)),
    }
}

fn codes(findings: &[Finding]) -> Vec<(Code, &str, u32)> {
    findings
        .iter()
        .map(|f| (f.code, f.location.path.as_str(), f.location.line))
        .collect()
}

#[test]
fn allowed_packages_give_no_finding() {
    let a = package("serde", "1.0.219", 10);
    let b = package("unicode-ident", "1.0.18", 20);
    let c = package("fnv", "1.0.7", 30);
    let inputs = [
        declared(&a, "MIT OR Apache-2.0"),
        declared(&b, "(MIT OR Apache-2.0) AND Unicode-3.0"),
        declared(&c, "Apache-2.0 OR MIT"),
    ];
    assert!(evaluate(&inputs, &default()).is_empty());
}

#[test]
fn legacy_declarations_are_allowed_with_a_warning_naming_the_canonical_form() {
    let fnv = package("fnv", "1.0.7", 30);
    let old = package("old-gnu", "0.1.0", 40);
    let gpl = package("gpl-thing", "1.0.0", 50);
    let mut policy = default();
    policy.allow.insert("LGPL-2.1-or-later".to_owned());
    let findings = evaluate(
        &[
            declared(&fnv, "Apache-2.0 / MIT"),
            declared(&old, "LGPL-2.1+"),
            declared(&gpl, "GPL-2.0"),
        ],
        &policy,
    );
    assert_eq!(
        codes(&findings),
        [
            (Code::LicenseLegacyExpression, "Cargo.lock", 30),
            (Code::LicenseLegacyExpression, "Cargo.lock", 40),
            (Code::LicenseDenied, "Cargo.lock", 50),
            (Code::LicenseLegacyExpression, "Cargo.lock", 50),
        ]
    );
    assert_eq!(findings[0].level, Level::Warn);
    assert_eq!(
        findings[0].message,
        "licence `Apache-2.0 / MIT` is not an SPDX expression; it was read as `Apache-2.0 OR MIT`"
    );
    assert!(
        findings[1].message.contains("read as `LGPL-2.1-or-later`"),
        "{}",
        findings[1].message
    );
    assert_eq!(findings[0].package.as_ref().unwrap().name, "fnv");
}

#[test]
fn denied_finding_names_the_failed_parts_at_the_lockfile_line() {
    let gpl = package("gpl-thing", "2.0.0", 42);
    let findings = evaluate(
        &[declared(&gpl, "GPL-2.0-only OR GPL-3.0-only")],
        &default(),
    );
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.code, Code::LicenseDenied);
    assert_eq!(f.level, Level::Deny);
    assert_eq!(f.location, Location::new("Cargo.lock", 42, 1));
    let p = f.package.as_ref().unwrap();
    assert_eq!(
        (p.name.as_str(), p.version.as_str()),
        ("gpl-thing", "2.0.0")
    );
    assert_eq!(
        f.message,
        "`GPL-2.0-only`, `GPL-3.0-only` are not allowed (in `GPL-2.0-only OR GPL-3.0-only`: no \
         side of the `OR` is allowed)"
    );
    let fix = f.fix.as_deref().unwrap();
    assert!(fix.starts_with("replace `gpl-thing`"), "{fix}");
    assert!(
        fix.contains("one of `GPL-2.0-only`, `GPL-3.0-only`"),
        "{fix}"
    );
    assert!(
        fix.contains("package = \"gpl-thing\", allow = [\"GPL-2.0-only\"]"),
        "{fix}"
    );
    assert!(fix.contains("`[licenses] allow`"), "{fix}");

    let and = package("mixed", "0.1.0", 7);
    let findings = evaluate(&[declared(&and, "MIT AND MPL-2.0")], &default());
    assert_eq!(
        findings[0].message,
        "`MPL-2.0` is not allowed (in `MIT AND MPL-2.0`: every part of an `AND` must be allowed)"
    );
    let single = evaluate(&[declared(&and, "MPL-2.0")], &default());
    assert_eq!(single[0].message, "`MPL-2.0` is not allowed");
    let legacy = evaluate(&[declared(&and, "GPL-2.0")], &default());
    assert_eq!(
        legacy[0].message,
        "`GPL-2.0-only` is not allowed (read from `GPL-2.0`)"
    );
}

#[test]
fn explicit_deny_says_so() {
    let mut policy = default();
    policy.deny(["Zlib"]).unwrap();
    let z = package("zlib-rs", "0.5.0", 3);
    let findings = evaluate(&[declared(&z, "Zlib")], &policy);
    assert_eq!(findings[0].message, "`Zlib` is denied by the policy");
    assert!(
        findings[0]
            .fix
            .as_deref()
            .unwrap()
            .contains("denied explicitly, so an exception is the only way")
    );
}

#[test]
fn unknown_and_missing_findings() {
    let a = package("weird", "0.1.0", 5);
    let b = package("nolicence", "0.2.0", 9);
    let c = package("detected", "1.0.0", 12);
    let d = package("unrecognized", "1.0.0", 15);
    let inputs = [
        declared(&a, "MIT OR Foo-1.0"),
        LicenseInput {
            package: &b,
            source: LicenseSource::Missing,
            files: Vec::new(),
        },
        LicenseInput {
            package: &c,
            source: LicenseSource::Detected {
                expression: "MPL-2.0".into(),
                confidence: 0.934,
                file: "LICENSE".into(),
            },
            files: vec![("LICENSE".into(), "00".into())],
        },
        LicenseInput {
            package: &d,
            source: LicenseSource::Missing,
            files: vec![("COPYING".into(), "11".into())],
        },
    ];
    let findings = evaluate(&inputs, &default());
    assert_eq!(
        codes(&findings),
        [
            (Code::LicenseUnknown, "Cargo.lock", 5),
            (Code::LicenseMissing, "Cargo.lock", 9),
            (Code::LicenseDenied, "Cargo.lock", 12),
            (Code::LicenseMissing, "Cargo.lock", 15),
        ]
    );
    assert_eq!(
        findings[0].message,
        "licence `MIT OR Foo-1.0` cannot be evaluated: `Foo-1.0` is not an SPDX licence or \
         exception id (column 8)"
    );
    assert_eq!(
        findings[1].message,
        "no licence information: no declared licence and no licence file"
    );
    assert!(
        findings[1]
            .fix
            .as_deref()
            .unwrap()
            .contains("clarification")
    );
    assert_eq!(
        findings[2].message,
        "`MPL-2.0` is not allowed; detected in `LICENSE` with confidence 0.93"
    );
    assert_eq!(
        findings[3].message,
        "no licence information: no declared licence, and the text of `COPYING` was not \
         recognized"
    );
    assert!(findings.iter().all(|f| f.level == Level::Deny));
}

#[test]
fn exceptions_apply_by_name_and_optionally_version() {
    let roots = package("webpki-roots", "1.0.1", 50);
    let old_roots = package("webpki-roots", "0.26.11", 51);
    let inputs = [
        declared(&roots, "CDLA-Permissive-2.0"),
        declared(&old_roots, "CDLA-Permissive-2.0"),
    ];

    // Without a version: every version.
    let mut policy = default();
    policy.exceptions = vec![exception("webpki-roots", None, &["CDLA-Permissive-2.0"], 4)];
    assert!(evaluate(&inputs, &policy).is_empty());

    // With a version: only that one; the other is still denied.
    policy.exceptions = vec![exception(
        "webpki-roots",
        Some("1.0.1"),
        &["CDLA-Permissive-2.0"],
        4,
    )];
    let findings = evaluate(&inputs, &policy);
    assert_eq!(codes(&findings), [(Code::LicenseDenied, "Cargo.lock", 51)]);

    // An exception for another package does not help.
    policy.exceptions = vec![
        exception("webpki-roots", Some("9.9.9"), &["CDLA-Permissive-2.0"], 4),
        exception("ring", None, &["CDLA-Permissive-2.0"], 5),
    ];
    let findings = evaluate(&inputs, &policy);
    assert_eq!(
        codes(&findings),
        [
            (Code::LicenseDenied, "Cargo.lock", 50),
            (Code::LicenseDenied, "Cargo.lock", 51),
            (Code::LicenseExceptionUnused, "secgate.toml", 4),
            (Code::LicenseExceptionUnused, "secgate.toml", 5),
        ]
    );
}

#[test]
fn exception_overrides_an_explicit_deny() {
    let mut policy = default();
    policy.deny(["MPL-2.0"]).unwrap();
    policy.exceptions = vec![exception("option-ext", None, &["MPL-2.0"], 8)];
    let p = package("option-ext", "0.2.0", 3);
    assert!(evaluate(&[declared(&p, "MPL-2.0")], &policy).is_empty());
}

#[test]
fn unused_exception_is_a_warning_at_its_policy_entry() {
    let mut policy = default();
    policy.exceptions = vec![
        exception("ring", Some("0.16.20"), &["OpenSSL"], 12),
        Exception {
            location: None,
            ..exception("gone", None, &["MPL-2.0"], 0)
        },
    ];
    // A package of that name but another version does not use it.
    let ring = package("ring", "0.17.14", 3);
    let findings = evaluate(&[declared(&ring, "Apache-2.0 AND ISC")], &policy);
    assert_eq!(findings.len(), 2);
    let f = &findings[1];
    assert_eq!(f.code, Code::LicenseExceptionUnused);
    assert_eq!(f.level, Level::Warn);
    assert_eq!(f.location, Location::new("secgate.toml", 12, 3));
    assert_eq!(
        f.message,
        "licence exception for `ring` version 0.16.20 matched no locked package"
    );
    assert!(f.package.is_none());
    assert!(
        findings[0]
            .message
            .ends_with("(its place in the policy file is unknown)")
    );
    // An exception counts as used once it applies, even when its licences were not needed.
    policy.exceptions = vec![exception("ring", None, &["OpenSSL"], 12)];
    assert!(evaluate(&[declared(&ring, "Apache-2.0 AND ISC")], &policy).is_empty());
}

const LICENSE_SHA: &str = "b0a3a1a5c9c1f7e3c22ef2a2a8a8d5a3f4bd8cdb1e3a0d5b95c5c3f7e7e6a1d2";

fn ring_clarification(version: Option<&str>, sha: &str) -> Clarification {
    Clarification {
        package: "ring".into(),
        version: version.map(str::to_owned),
        expression: "MIT AND ISC AND OpenSSL".into(),
        files: vec![("LICENSE".into(), sha.into())],
        reason: Some("ring's LICENSE holds these three".into()),
        location: Some(Location::new("secgate.toml", 20, 1)),
    }
}

fn ring_input<'a>(package: &'a Package, sha: &str) -> LicenseInput<'a> {
    LicenseInput {
        package,
        source: LicenseSource::Declared {
            expression: "LicenseRef-ring".into(),
        },
        files: vec![("LICENSE".into(), sha.into())],
    }
}

#[test]
fn clarification_replaces_the_expression_while_the_files_match() {
    let ring = package("ring", "0.16.20", 30);
    let mut policy = LicensePolicy::from_preset("permissive").unwrap();
    policy.clarify = vec![ring_clarification(Some("0.16.20"), LICENSE_SHA)];
    // Without it, `LicenseRef-ring` is unknown.
    let unclarified = evaluate(&[ring_input(&ring, LICENSE_SHA)], &LicensePolicy::default());
    assert_eq!(unclarified[0].code, Code::LicenseUnknown);
    // Matching hash (any case): the clarified expression is judged, and allowed.
    let upper = LICENSE_SHA.to_uppercase();
    assert!(evaluate(&[ring_input(&ring, &upper)], &policy).is_empty());
    // Only for that version.
    let newer = package("ring", "0.16.21", 31);
    let findings = evaluate(&[ring_input(&newer, LICENSE_SHA)], &policy);
    assert_eq!(codes(&findings), [(Code::LicenseUnknown, "Cargo.lock", 31)]);
}

#[test]
fn clarified_expression_still_has_to_be_allowed() {
    let ring = package("ring", "0.16.20", 30);
    let mut policy = default();
    policy.clarify = vec![ring_clarification(None, LICENSE_SHA)];
    let findings = evaluate(&[ring_input(&ring, LICENSE_SHA)], &policy);
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].message,
        "`OpenSSL` is not allowed (in `MIT AND ISC AND OpenSSL`: every part of an `AND` must be \
         allowed); clarified by the policy at secgate.toml:20:1"
    );
}

#[test]
fn changed_licence_file_makes_the_clarification_stale() {
    let ring = package("ring", "0.16.20", 30);
    let mut policy = LicensePolicy::from_preset("permissive").unwrap();
    policy.clarify = vec![ring_clarification(None, LICENSE_SHA)];
    let new_sha = "0".repeat(64);
    let findings = evaluate(&[ring_input(&ring, &new_sha)], &policy);
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.code, Code::LicenseUnknown);
    assert_eq!(
        f.message,
        "licence `LicenseRef-ring` cannot be evaluated: `LicenseRef-ring` is not on the SPDX \
         licence list and the policy does not allow it by that exact name; the clarification at \
         secgate.toml:20:1 does not apply because `LICENSE` changed since it was clarified"
    );
    let fix = f.fix.as_deref().unwrap();
    assert!(
        fix.contains(&format!(
            "if the licence is still `MIT AND ISC AND OpenSSL`, update the clarification's \
             sha256 of `LICENSE` to `{new_sha}`"
        )),
        "{fix}"
    );

    // A listed file that is gone also makes it stale.
    let mut input = ring_input(&ring, LICENSE_SHA);
    input.files.clear();
    let findings = evaluate(&[input], &policy);
    assert!(
        findings[0]
            .message
            .ends_with("because `LICENSE` is no longer in the package"),
        "{}",
        findings[0].message
    );

    // A clarification for another version does not apply and is not mentioned.
    policy.clarify = vec![ring_clarification(Some("0.17.0"), LICENSE_SHA)];
    let findings = evaluate(&[ring_input(&ring, LICENSE_SHA)], &policy);
    assert!(!findings[0].message.contains("clarification"));
}

#[test]
fn findings_are_sorted() {
    let a = package("a", "1.0.0", 30);
    let b = package("b", "1.0.0", 10);
    let findings = evaluate(
        &[declared(&a, "MPL-2.0"), declared(&b, "GPL-3.0-only")],
        &default(),
    );
    let lines: Vec<u32> = findings.iter().map(|f| f.location.line).collect();
    assert_eq!(lines, [10, 30]);
}
