//! Tests of the SARIF view: structure, locations, fingerprints and URI encoding; every
//! document they produce is also written under `target/secgate-test-output/` for the validator.

use super::*;
use crate::testdata::{self, DB_RECORD, save_sarif};
use serde_json::Value;

fn sarif_of(report: &Report, name: &str) -> (String, Value) {
    let text = render(report, &testdata::sources()).unwrap();
    save_sarif(name, &text);
    let value = serde_json::from_str(&text).unwrap();
    (text, value)
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!(sarif_of(&testdata::report(), "fixture").0);
}

#[test]
fn one_run_with_driver_and_one_rule_per_used_code() {
    let (text, v) = sarif_of(&testdata::report(), "rules");
    assert!(text.ends_with("}\n"));
    assert_eq!(v["$schema"], SCHEMA);
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"].as_array().unwrap().len(), 1);
    let driver = &v["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "secgate");
    assert_eq!(driver["semanticVersion"], "0.1.0");
    assert_eq!(driver["informationUri"], INFORMATION_URI);
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<_> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // `notice` is only at level allow, so it has no result and no rule.
    assert_eq!(ids, ["db-bad-record", "unmaintained", "vulnerability"]);
    assert_eq!(rules[0]["name"], "DbBadRecord");
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
    assert_eq!(
        rules[2]["properties"]["tags"],
        json!(["security", "advisories"])
    );
    assert_eq!(rules[2]["help"]["text"], Code::Vulnerability.explanation());
    assert!(
        rules[2]["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("```toml\n[advisories]")
    );
}

#[test]
fn results_only_for_deny_and_warn_at_the_real_location() {
    let report = testdata::report();
    let (_, v) = sarif_of(&report, "results");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let reported: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.level != Level::Allow)
        .collect();
    assert_eq!(results.len(), reported.len());
    for (r, f) in results.iter().zip(&reported) {
        assert_eq!(r["ruleId"], f.code.as_str());
        let rule =
            &v["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], f.location.line);
        assert!(
            r["message"]["text"]
                .as_str()
                .unwrap()
                .contains(f.id.as_deref().unwrap())
        );
    }
    let uri = |i: usize| {
        results[i]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone()
    };
    assert_eq!(uri(0), format!("file://{DB_RECORD}"));
    assert_eq!(uri(0), "file:///tmp/db/crates/x/RUSTSEC-0000-0001.md");
    assert_eq!(uri(1), "Cargo.lock");
    let vuln = &results[2];
    assert_eq!(vuln["level"], "error");
    assert_eq!(results[1]["level"], "warning");
    assert!(
        vuln["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("RUSTSEC-2023-0071: rsa@0.9.6: ")
    );
    let region = &vuln["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["endLine"].clone(), region["endColumn"].clone()),
        (json!(11), json!(13))
    );
    assert!(
        results[1]["locations"][0]["physicalLocation"]["region"]
            .get("endLine")
            .is_none()
    );
    assert_eq!(
        vuln["properties"],
        json!({"severity": "medium", "aliases": ["CVE-2023-49092", "GHSA-c38w-74pg-36hr"]})
    );
    assert!(results[1].get("properties").is_none());
}

#[test]
fn fingerprints_ignore_the_line() {
    let original = testdata::report();
    let mut moved = testdata::findings();
    for f in &mut moved {
        f.location.line += 40;
        f.location.span = None;
    }
    let moved = Report::new("0.1.0", moved, 1035, 1);
    let prints = |v: &Value| -> Vec<String> {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"][FINGERPRINT_KEY]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let a = prints(&sarif_of(&original, "fingerprint-original").1);
    let b = prints(&sarif_of(&moved, "fingerprint-moved").1);
    assert_eq!(a, b);
    assert!(a.iter().all(|p| p.len() == 64));
    assert_eq!(a.len(), 3);
    assert!(a[0] != a[1] && a[1] != a[2]);
}

#[test]
fn empty_report_has_an_empty_results_array() {
    let (_, v) = sarif_of(&Report::new("0.1.0", Vec::new(), 0, 0), "empty");
    assert_eq!(v["runs"][0]["results"], json!([]));
    assert_eq!(v["runs"][0]["tool"]["driver"]["rules"], json!([]));
}

#[test]
fn uris_are_percent_encoded() {
    let uri = |p: &str| artifact_uri(&Location::new(p, 1, 1));
    assert_eq!(
        uri("dir with space/Cargo.lock"),
        "dir%20with%20space/Cargo.lock"
    );
    assert_eq!(
        uri("node_modules/@scope/pkg/package.json"),
        "node_modules/@scope/pkg/package.json"
    );
    assert_eq!(uri("x/a:b ü#?.lock"), "x/a%3Ab%20%C3%BC%23%3F.lock");
    assert_eq!(uri("/tmp/my db/x.md"), "file:///tmp/my%20db/x.md");
    assert_eq!(uri("C:\\db\\x y.md"), "file:///C:/db/x%20y.md");
    assert_eq!(uri("../db/x.md"), "../db/x.md");
    assert_eq!(rule_name(Code::DbBadRecord), "DbBadRecord");
    assert_eq!(rule_name(Code::Vulnerability), "Vulnerability");
}

/// `count` findings at level warn in `Cargo.lock`, and one deny sorted after all of them.
fn many_findings(count: u32) -> Report {
    let mut findings: Vec<Finding> = (1..=count)
        .map(|line| {
            let mut f = Finding::new(Code::Yanked, Location::new("Cargo.lock", line, 1), "yanked");
            f.id = Some(format!("Y{line}"));
            f
        })
        .collect();
    let mut deny = Finding::new(
        Code::Vulnerability,
        Location::new("z/Cargo.lock", 1, 1),
        "the one that matters",
    );
    deny.level = Level::Deny;
    deny.id = Some("RUSTSEC-2020-0071".to_owned());
    findings.push(deny);
    assert!(findings.iter().take(3).all(|f| f.level == Level::Warn));
    Report::new("0.1.0", findings, 1, 0)
}

#[test]
fn more_results_than_github_accepts_are_truncated_deny_first_and_recorded() {
    let report = many_findings(25_000);
    assert_eq!(report.findings.len(), 25_001);
    assert_eq!(report.findings.last().unwrap().level, Level::Deny);
    let (_, v) = sarif_of(&report, "truncated-25001");
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(
        v["runs"].as_array().unwrap().len(),
        1,
        "GitHub takes up to 20 runs"
    );
    let run = &v["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), limits::MAX_RESULTS_PER_RUN);
    // The denial sorts last in the report but is kept, first; the last warning is the one left out.
    assert_eq!(results[0]["ruleId"], "vulnerability");
    assert_eq!(results[0]["level"], "error");
    assert!(results[1..].iter().all(|r| r["ruleId"] == "yanked"));
    let last = &results[results.len() - 1];
    assert!(
        last["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Y24999: ")
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results.iter().step_by(997) {
        let rule = &rules[usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap()];
        assert_eq!(rule["id"], r["ruleId"]);
    }

    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 1);
    assert_eq!(notifications[0]["level"], "warning");
    let text = notifications[0]["message"]["text"].as_str().unwrap();
    assert!(text.contains("25001 findings"), "{text}");
    assert!(text.contains("1 of them were left out"), "{text}");
    assert!(text.contains("JSON report"), "{text}");
    assert_eq!(
        run["properties"],
        json!({"truncated": true, "resultLimit": 25_000, "resultsTotal": 25_001,
               "resultsOmitted": 1, "resultsOmittedDeny": 0, "resultsOmittedWarn": 1})
    );
}

#[test]
fn at_the_limit_nothing_is_left_out_or_recorded() {
    let report = testdata::report();
    let text = render_with_limit(&report, &testdata::sources(), 3).unwrap();
    assert_eq!(text, render(&report, &testdata::sources()).unwrap());
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v["runs"][0].get("invocations").is_none());
    assert!(v["runs"][0].get("properties").is_none());
}

#[test]
fn a_low_limit_keeps_denials_and_counts_omitted_levels() {
    let text = render_with_limit(&testdata::report(), &testdata::sources(), 1).unwrap();
    save_sarif("truncated-limit-1", &text);
    let v: Value = serde_json::from_str(&text).unwrap();
    let run = &v["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "vulnerability");
    // Only the kept result's code is a rule, so `ruleIndex` 0 is right.
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 1);
    assert_eq!(results[0]["ruleIndex"], 0);
    assert_eq!(run["properties"]["resultsOmittedWarn"], 2);
    assert_eq!(run["properties"]["resultsOmittedDeny"], 0);

    // With more denials than the limit, warnings all go and the first denials stay.
    let mut two_denials = testdata::findings();
    for f in &mut two_denials {
        f.level = Level::Deny;
    }
    let report = Report::new("0.1.0", two_denials, 1, 0);
    let v: Value =
        serde_json::from_str(&render_with_limit(&report, &testdata::sources(), 2).unwrap())
            .unwrap();
    assert_eq!(v["runs"][0]["properties"]["resultsOmittedDeny"], 2);
    assert_eq!(v["runs"][0]["properties"]["resultsTotal"], 4);
}
