//! A finding: one problem a gate found, with its stable code, its level under the policy, and
//! the real location it is about.

use crate::{Code, Ecosystem, Location, Package};
use serde::{Serialize, Serializer};
use std::fmt;

/// How a finding affects the gate: `deny` fails it (exit 1), `warn` reports, `allow` only counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Counted in the summary, not shown by the human and Markdown views.
    Allow,
    /// Reported; does not fail the gate.
    Warn,
    /// Reported; fails the gate.
    Deny,
}

impl Level {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// Parses `allow`, `warn` or `deny`.
    pub fn from_name(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Level {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Severity of a vulnerability, from its CVSS score where the advisory has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// CVSS 0.0.
    None,
    /// CVSS 0.1–3.9.
    Low,
    /// CVSS 4.0–6.9 (npm and GitHub call it "moderate").
    Medium,
    /// CVSS 7.0–8.9.
    High,
    /// CVSS 9.0–10.0.
    Critical,
}

impl Severity {
    /// Lower-case name as it appears in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::None => "none",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a severity name; `moderate` is accepted for `medium`.
    pub fn from_name(s: &str) -> Option<Severity> {
        match s {
            "none" => Some(Severity::None),
            "low" => Some(Severity::Low),
            "medium" | "moderate" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The package a finding is about, as the report shows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PackageRef {
    /// Name.
    pub name: String,
    /// Locked version.
    pub version: String,
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Package URL.
    pub purl: String,
}

impl From<&Package> for PackageRef {
    fn from(p: &Package) -> Self {
        PackageRef {
            name: p.name.clone(),
            version: p.version.clone(),
            ecosystem: p.ecosystem,
            purl: p.purl(),
        }
    }
}

/// One problem found by a gate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code.
    pub code: Code,
    /// Level after the policy was applied.
    pub level: Level,
    /// Severity, when known.
    pub severity: Option<Severity>,
    /// Advisory or rule instance id (e.g. `RUSTSEC-2023-0071`).
    pub id: Option<String>,
    /// Other ids of the same issue (CVE, GHSA, ...), sorted.
    pub aliases: Vec<String>,
    /// Package concerned.
    pub package: Option<PackageRef>,
    /// Where it is.
    pub location: Location,
    /// Human message, one sentence.
    pub message: String,
    /// What to do about it, when there is something concrete.
    pub fix: Option<String>,
    /// Link to more information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Finding {
    /// A finding at the code's default level.
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Self {
        Finding {
            code,
            level: code.default_level(),
            severity: None,
            id: None,
            aliases: Vec::new(),
            package: None,
            location,
            message: message.into(),
            fix: None,
            url: None,
        }
    }

    /// The key findings are sorted by: (path, line, code, id), then the rest for a total order.
    fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.location.path,
            self.location.line,
            self.code.as_str(),
            &self.id,
            self.location.column,
            &self.package,
            &self.message,
        )
    }
}

/// Sorts findings into report order, so output is byte-identical across runs.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_sort_by_path_line_code_id() {
        let f = |path: &str, line, code, id: &str| {
            let mut f = Finding::new(code, Location::new(path, line, 1), "m");
            f.id = Some(id.to_owned());
            f
        };
        let mut v = vec![
            f("b", 1, Code::Vulnerability, "A"),
            f("a", 9, Code::Vulnerability, "A"),
            f("a", 2, Code::Vulnerability, "B"),
            f("a", 2, Code::Vulnerability, "A"),
            f("a", 2, Code::Unmaintained, "Z"),
        ];
        sort_findings(&mut v);
        let order: Vec<_> = v
            .iter()
            .map(|f| {
                format!(
                    "{}:{}:{}:{}",
                    f.location.path,
                    f.location.line,
                    f.code,
                    f.id.as_deref().unwrap_or("")
                )
            })
            .collect();
        assert_eq!(
            order,
            [
                "a:2:unmaintained:Z",
                "a:2:vulnerability:A",
                "a:2:vulnerability:B",
                "a:9:vulnerability:A",
                "b:1:vulnerability:A"
            ]
        );
    }

    #[test]
    fn severity_accepts_moderate_for_medium() {
        assert_eq!(Severity::from_name("moderate"), Some(Severity::Medium));
        assert_eq!(Severity::Medium.as_str(), "medium");
        assert!(Severity::Critical > Severity::High);
        assert_eq!(Severity::from_name("urgent"), None);
    }
}
