//! `apply`: ignores by id and by alias, expiry relative to `today`, unused ignores only when the
//! advisories gate ran, levels from the policy on every finding, and the severity threshold.

use jiff::civil::Date;
use secgate_core::{Code, Finding, Gate, Level, Location, Severity};
use secgate_policy::{Policy, apply};

const POLICY: &str = r#"[advisories]
ignore = [
  { id = "RUSTSEC-2023-0071", reason = "rsa only verifies" },
  { id = "CVE-2020-26235", reason = "time: no env mutation", expires = "2026-03-01" },
  { id = "RUSTSEC-2021-0139", reason = "ansi_term: replaced soon", expires = "2025-12-31" },
]
"#;

const TODAY: Date = Date::constant(2026, 1, 15);

fn policy(text: &str) -> Policy {
    Policy::parse(text, "secgate.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn advisory(code: Code, id: &str, aliases: &[&str]) -> Finding {
    let mut f = Finding::new(code, Location::new("Cargo.lock", 10, 1), "advisory");
    f.id = Some(id.to_owned());
    f.aliases = aliases.iter().map(|a| (*a).to_owned()).collect();
    f
}

fn summary(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}:{}",
                f.code,
                f.level,
                f.id.as_deref().unwrap_or("-"),
                f.location.path,
                f.location.line
            )
        })
        .collect()
}

#[test]
fn ignore_by_id_removes_the_finding_and_counts_it() {
    let findings = vec![
        advisory(
            Code::Vulnerability,
            "RUSTSEC-2023-0071",
            &["CVE-2023-49092"],
        ),
        advisory(Code::Vulnerability, "RUSTSEC-2024-0001", &[]),
    ];
    let out = apply(&policy(POLICY), findings, &[Gate::Advisories], TODAY);
    assert_eq!(out.ignored, 1);
    assert_eq!(
        summary(&out.findings),
        [
            "vulnerability deny RUSTSEC-2024-0001 Cargo.lock:10",
            // Not matched, not expired: unused.
            "ignore-unused warn CVE-2020-26235 secgate.toml:4",
            // Expired on 2025-12-31: reported whether or not it matched.
            "ignore-expired deny RUSTSEC-2021-0139 secgate.toml:5",
        ]
    );
}

#[test]
fn ignore_by_alias_removes_the_finding() {
    let findings = vec![
        advisory(
            Code::Vulnerability,
            "RUSTSEC-2020-0071",
            &["CVE-2020-26235", "GHSA-wcg3-cvx6-7396"],
        ),
        advisory(Code::Unsound, "RUSTSEC-2020-0071", &["CVE-2020-26235"]),
    ];
    let out = apply(&policy(POLICY), findings, &[Gate::Advisories], TODAY);
    assert_eq!(out.ignored, 2);
    let codes: Vec<_> = out.findings.iter().map(|f| f.code).collect();
    assert_eq!(
        codes,
        [Code::IgnoreUnused, Code::IgnoreExpired],
        "only RUSTSEC-2023-0071 is unused; CVE-2020-26235 was used twice"
    );
    assert_eq!(out.findings[0].id.as_deref(), Some("RUSTSEC-2023-0071"));
}

#[test]
fn expired_ignore_keeps_the_finding_and_reports_at_the_entry() {
    let findings = vec![advisory(Code::Unmaintained, "RUSTSEC-2021-0139", &[])];
    let out = apply(&policy(POLICY), findings, &[Gate::Advisories], TODAY);
    assert_eq!(out.ignored, 0);
    let expired: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.code == Code::IgnoreExpired)
        .collect();
    assert_eq!(expired.len(), 1);
    let f = expired[0];
    assert_eq!(f.id.as_deref(), Some("RUSTSEC-2021-0139"));
    assert_eq!((f.location.line, f.location.column), (5, 3));
    assert_eq!(f.location.path, "secgate.toml");
    assert!(f.location.span.is_some());
    assert!(f.message.contains("RUSTSEC-2021-0139") && f.message.contains("2025-12-31"));
    let fix = f.fix.as_deref().unwrap_or("");
    assert!(fix.contains("upgrade") && fix.contains("reason"), "{fix}");
    assert!(
        out.findings
            .iter()
            .any(|f| f.code == Code::Unmaintained && f.id.as_deref() == Some("RUSTSEC-2021-0139")),
        "the expired ignore must not suppress"
    );
}

#[test]
fn ignore_expiring_today_still_applies() {
    let text = "[advisories]\nignore = [{ id = \"RUSTSEC-2023-0071\", reason = \"r\", expires = \"2026-01-15\" }]\n";
    let findings = vec![advisory(Code::Vulnerability, "RUSTSEC-2023-0071", &[])];
    let out = apply(&policy(text), findings.clone(), &[Gate::Advisories], TODAY);
    assert_eq!(out.ignored, 1);
    assert!(out.findings.is_empty());

    let tomorrow = Date::constant(2026, 1, 16);
    let out = apply(&policy(text), findings, &[Gate::Advisories], tomorrow);
    assert_eq!(out.ignored, 0);
    assert_eq!(
        summary(&out.findings),
        [
            "vulnerability deny RUSTSEC-2023-0071 Cargo.lock:10",
            "ignore-expired deny RUSTSEC-2023-0071 secgate.toml:2",
        ]
    );
}

#[test]
fn unused_ignores_are_reported_only_when_the_advisories_gate_ran() {
    let policy = policy(POLICY);
    let ran = apply(
        &policy,
        Vec::new(),
        &[Gate::Advisories, Gate::Database],
        TODAY,
    );
    let unused: Vec<_> = ran
        .findings
        .iter()
        .filter(|f| f.code == Code::IgnoreUnused)
        .map(|f| f.id.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(unused, ["RUSTSEC-2023-0071", "CVE-2020-26235"]);
    assert_eq!(
        ran.findings[0].message,
        "ignore for `RUSTSEC-2023-0071` matched no finding"
    );

    let not_run = apply(&policy, Vec::new(), &[Gate::Database], TODAY);
    assert_eq!(
        summary(&not_run.findings),
        ["ignore-expired deny RUSTSEC-2021-0139 secgate.toml:5"],
        "expiry does not depend on the gate; unused does"
    );
}

#[test]
fn policy_levels_override_defaults_on_every_finding() {
    let text = "[advisories]\nunmaintained = \"deny\"\nignore = [{ id = \"RUSTSEC-2023-0071\", reason = \"r\" }]\n\n[levels]\nignore-unused = \"deny\"\ndb-bad-record = \"allow\"\n";
    let findings = vec![
        advisory(Code::Unmaintained, "RUSTSEC-2024-0384", &[]),
        advisory(Code::Notice, "RUSTSEC-2024-0001", &[]),
        advisory(Code::DbBadRecord, "RUSTSEC-2023-0071", &[]),
    ];
    let out = apply(&policy(text), findings, &[Gate::Advisories], TODAY);
    assert_eq!(
        summary(&out.findings),
        [
            "unmaintained deny RUSTSEC-2024-0384 Cargo.lock:10",
            "notice warn RUSTSEC-2024-0001 Cargo.lock:10",
            // A bad database record is not an advisory finding: the ignore does not cover it.
            "db-bad-record allow RUSTSEC-2023-0071 Cargo.lock:10",
            "ignore-unused deny RUSTSEC-2023-0071 secgate.toml:3",
        ]
    );
    assert_eq!(out.ignored, 0);
}

#[test]
fn embedded_default_changes_nothing() {
    let findings = vec![advisory(Code::Unsound, "RUSTSEC-2024-0001", &[])];
    let out = apply(
        &Policy::embedded_default(),
        findings,
        &[Gate::Advisories],
        TODAY,
    );
    assert_eq!(out.ignored, 0);
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].level, Level::Warn);
}

fn rated(code: Code, id: &str, severity: Option<Severity>) -> Finding {
    let mut f = advisory(code, id, &[]);
    f.severity = severity;
    f
}

/// `id level` of each finding after applying `text` to one vulnerability per severity (and one
/// of unknown severity).
fn vulnerability_levels(text: &str) -> Vec<String> {
    let findings = vec![
        rated(Code::Vulnerability, "CRITICAL", Some(Severity::Critical)),
        rated(Code::Vulnerability, "HIGH", Some(Severity::High)),
        rated(Code::Vulnerability, "MEDIUM", Some(Severity::Medium)),
        rated(Code::Vulnerability, "LOW", Some(Severity::Low)),
        rated(Code::Vulnerability, "NONE", Some(Severity::None)),
        rated(Code::Vulnerability, "UNKNOWN", None),
    ];
    apply(&policy(text), findings, &[Gate::Advisories], TODAY)
        .findings
        .iter()
        .map(|f| format!("{} {}", f.id.as_deref().unwrap_or("-"), f.level))
        .collect()
}

#[test]
fn below_the_threshold_vulnerabilities_warn_and_unknown_ones_still_deny() {
    assert_eq!(
        vulnerability_levels("[advisories]\nseverity-threshold = \"moderate\"\n"),
        [
            "CRITICAL deny",
            "HIGH deny",
            // At the threshold is not below it.
            "MEDIUM deny",
            "LOW warn",
            "NONE warn",
            // Fail closed: a missing severity never weakens the gate.
            "UNKNOWN deny",
        ]
    );
    assert_eq!(
        vulnerability_levels("[advisories]\nseverity-threshold = \"critical\"\n"),
        [
            "CRITICAL deny",
            "HIGH warn",
            "MEDIUM warn",
            "LOW warn",
            "NONE warn",
            "UNKNOWN deny",
        ]
    );
}

#[test]
fn without_a_threshold_or_with_none_every_vulnerability_keeps_its_level() {
    let all_deny = [
        "CRITICAL deny",
        "HIGH deny",
        "MEDIUM deny",
        "LOW deny",
        "NONE deny",
        "UNKNOWN deny",
    ];
    assert_eq!(vulnerability_levels(""), all_deny);
    assert_eq!(
        vulnerability_levels("[advisories]\nseverity-threshold = \"none\"\n"),
        all_deny
    );
}

#[test]
fn the_threshold_never_raises_a_level() {
    let text =
        "[advisories]\nseverity-threshold = \"moderate\"\n\n[levels]\nvulnerability = \"warn\"\n";
    assert_eq!(
        vulnerability_levels(text),
        [
            "CRITICAL warn",
            "HIGH warn",
            "MEDIUM warn",
            "LOW warn",
            "NONE warn",
            "UNKNOWN warn",
        ]
    );
    let text = "[advisories]\nseverity-threshold = \"high\"\nvulnerability = \"allow\"\n";
    assert!(
        vulnerability_levels(text)
            .iter()
            .all(|l| l.ends_with(" allow"))
    );
}

#[test]
fn the_threshold_only_touches_vulnerabilities() {
    let text = "[advisories]\nseverity-threshold = \"critical\"\nunmaintained = \"deny\"\nunsound = \"deny\"\n\n[levels]\ndb-bad-record = \"deny\"\n";
    let findings = vec![
        rated(Code::Unmaintained, "RUSTSEC-2024-0384", Some(Severity::Low)),
        rated(Code::Unsound, "RUSTSEC-2024-0001", Some(Severity::Medium)),
        rated(Code::DbBadRecord, "RUSTSEC-2024-0002", Some(Severity::Low)),
        rated(
            Code::Vulnerability,
            "RUSTSEC-2024-0003",
            Some(Severity::Low),
        ),
    ];
    let out = apply(&policy(text), findings, &[Gate::Advisories], TODAY);
    assert_eq!(
        summary(&out.findings),
        [
            "unmaintained deny RUSTSEC-2024-0384 Cargo.lock:10",
            "unsound deny RUSTSEC-2024-0001 Cargo.lock:10",
            "db-bad-record deny RUSTSEC-2024-0002 Cargo.lock:10",
            "vulnerability warn RUSTSEC-2024-0003 Cargo.lock:10",
        ]
    );
}

#[test]
fn ignores_apply_before_the_threshold_and_level_for_agrees_with_apply() {
    let text = "[advisories]\nseverity-threshold = \"high\"\nignore = [{ id = \"RUSTSEC-2023-0071\", reason = \"r\" }]\n";
    let policy = policy(text);
    let low = rated(
        Code::Vulnerability,
        "RUSTSEC-2023-0071",
        Some(Severity::Low),
    );
    assert_eq!(policy.level_for(&low), Level::Warn);
    assert_eq!(policy.level(Code::Vulnerability), Level::Deny);
    let out = apply(&policy, vec![low], &[Gate::Advisories], TODAY);
    assert_eq!(
        out.ignored, 1,
        "a warned vulnerability can still be ignored"
    );
    assert!(out.findings.is_empty());
    let high = rated(
        Code::Vulnerability,
        "RUSTSEC-2024-0003",
        Some(Severity::High),
    );
    assert_eq!(policy.level_for(&high), Level::Deny);
}

fn pin(code: Code, path: &str, id: &str) -> Finding {
    let mut f = Finding::new(code, Location::new(path, 3, 7), "unpinned");
    f.id = Some(id.to_owned());
    f
}

#[test]
fn pins_ignores_match_by_glob_and_code_and_expire_like_advisory_ignores() {
    let text = r#"[pins]
ignore = [
  { path = "docker/*.Dockerfile", code = "image-unpinned", reason = "dev images" },
  { path = ".github/workflows/**", code = ["action-unpinned", "action-tag-mismatch"], reason = "r" },
  { path = "old/Dockerfile", reason = "gone", expires = "2025-01-01" },
  { path = "never/*", reason = "matches nothing" },
]
"#;
    let findings = vec![
        pin(Code::ImageUnpinned, "docker/dev.Dockerfile", "rust:1"),
        // Same file, another code: not covered by the first entry.
        pin(Code::CurlPipeShell, "docker/dev.Dockerfile", "curl"),
        // `*` stays within one directory.
        pin(Code::ImageUnpinned, "docker/sub/x.Dockerfile", "alpine"),
        pin(Code::ActionUnpinned, ".github/workflows/ci.yml", "a/b@v1"),
        pin(Code::ImageUnpinned, "old/Dockerfile", "debian"),
        // An advisory finding is never covered by a path ignore.
        advisory(Code::Vulnerability, "RUSTSEC-2024-0001", &[]),
    ];
    let out = apply(
        &policy(text),
        findings,
        &[Gate::Pins, Gate::Advisories],
        TODAY,
    );
    assert_eq!(out.ignored, 2);
    assert_eq!(
        summary(&out.findings),
        [
            "curl-pipe-shell deny curl docker/dev.Dockerfile:3",
            "image-unpinned deny alpine docker/sub/x.Dockerfile:3",
            "image-unpinned deny debian old/Dockerfile:3",
            "vulnerability deny RUSTSEC-2024-0001 Cargo.lock:10",
            "ignore-expired deny old/Dockerfile secgate.toml:5",
            "ignore-unused warn never/* secgate.toml:6",
        ]
    );
    // Unused path ignores are only reported when the pinning gate ran.
    let out = apply(&policy(text), Vec::new(), &[Gate::Advisories], TODAY);
    assert_eq!(
        summary(&out.findings),
        ["ignore-expired deny old/Dockerfile secgate.toml:5"]
    );
}
