//! The stable JSON report, version 1 (DESIGN.md "JSON report"):
//!
//! ```json
//! {"version": 1, "tool": {"name": "secgate", "version": "0.1.0"},
//!  "findings": [{"code": ..., "level": ..., "severity": ..., "id": ..., "aliases": [...],
//!                "package": {...} | null, "location": {"path", "line", "column"},
//!                "message": ..., "fix": ... | null, "url": ... (only when present)}],
//!  "summary": {"deny": 1, "warn": 0, "allow": 0, "packages": 1128, "ignored": 0}}
//! ```
//!
//! Every finding is listed, level allow included. The finding shape is
//! [`Finding`]'s own `Serialize`, so the model and this view cannot drift apart. Output is
//! pretty-printed with two-space indentation and ends with a newline.

use crate::{Format, RenderError, Report, Summary};
use secgate_core::Finding;
use serde::Serialize;

/// The version of the JSON shape; bumped only on a breaking change.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool<'a>,
    findings: &'a [Finding],
    summary: &'a Summary,
    /// Present only when the run has notes, so reports without them keep their exact shape.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

/// Renders the JSON report.
pub fn render(report: &Report) -> Result<String, RenderError> {
    let doc = JsonReport {
        version: JSON_VERSION,
        tool: Tool {
            name: "secgate",
            version: &report.tool_version,
        },
        findings: &report.findings,
        summary: &report.summary,
        notes: &report.notes,
    };
    crate::to_pretty_json(&doc, Format::Json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;
    use serde_json::Value;

    fn parsed() -> (String, Value) {
        let text = render(&testdata::report()).unwrap();
        let value = serde_json::from_str(&text).unwrap();
        (text, value)
    }

    #[test]
    fn json_snapshot() {
        insta::assert_snapshot!(parsed().0);
    }

    #[test]
    fn top_level_keys_and_summary_are_exact() {
        let (text, v) = parsed();
        assert!(text.ends_with("}\n"));
        assert!(text.starts_with("{\n  \"version\": 1,\n  \"tool\": {\n    \"name\""));
        let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["findings", "summary", "tool", "version"]);
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"]["name"], "secgate");
        assert_eq!(v["tool"]["version"], "0.1.0");
        assert_eq!(
            v["summary"],
            serde_json::json!({"deny": 1, "warn": 2, "allow": 1, "packages": 1035, "ignored": 1})
        );
    }

    #[test]
    fn findings_have_the_stable_shape_and_include_allow() {
        let (_, v) = parsed();
        let findings = v["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 4);
        let levels: Vec<_> = findings
            .iter()
            .map(|f| f["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["warn", "warn", "deny", "allow"]);

        let vuln = &findings[2];
        let mut keys: Vec<_> = vuln.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "aliases", "code", "fix", "id", "level", "location", "message", "package",
                "severity", "url"
            ]
        );
        assert_eq!(vuln["code"], "vulnerability");
        assert_eq!(vuln["severity"], "medium");
        assert_eq!(
            vuln["package"],
            serde_json::json!({"name": "rsa", "version": "0.9.6", "ecosystem": "crates.io",
                               "purl": "pkg:cargo/rsa@0.9.6"})
        );
        assert_eq!(
            vuln["location"],
            serde_json::json!({"path": "Cargo.lock", "line": 11, "column": 1})
        );

        // Absent optional values are null, except `url`, which is left out.
        let bad = &findings[0];
        assert_eq!(bad["code"], "db-bad-record");
        assert!(bad["package"].is_null() && bad["severity"].is_null() && bad["fix"].is_null());
        assert_eq!(bad["aliases"], serde_json::json!([]));
        assert!(bad.as_object().unwrap().get("url").is_none());
    }

    #[test]
    fn output_is_deterministic() {
        let a = render(&testdata::report()).unwrap();
        let mut shuffled = testdata::findings();
        shuffled.reverse();
        let b = render(&Report::new("0.1.0", shuffled, 1035, 1)).unwrap();
        assert_eq!(a, b);
    }
}
