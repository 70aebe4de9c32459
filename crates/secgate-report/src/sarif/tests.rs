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
