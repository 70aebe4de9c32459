//! `[advisories] severity-threshold`: like `npm audit --audit-level`, vulnerabilities of a known
//! severity below the threshold become warnings instead of failing the gate. They are still
//! reported, never hidden, and a vulnerability of unknown severity keeps its level (fail closed).

use crate::error::Problems;
use crate::suggest;
use secgate_core::{Code, Finding, Level, Severity};
use toml_span::Value;

/// The names a threshold may have, lowest first (`moderate` is `medium`).
const NAMES: &[&str] = &["none", "low", "moderate", "medium", "high", "critical"];

fn names_hint() -> String {
    format!("a severity is one of {}", suggest::list(NAMES))
}

/// Parses the value of `severity-threshold`, reporting what is wrong with it.
pub(crate) fn parse_threshold(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<Severity> {
    let Some(name) = value.as_str() else {
        let found = value.as_ref().type_str();
        let score = value.as_float().or_else(|| {
            value
                .as_integer()
                .and_then(|n| i32::try_from(n).ok())
                .map(f64::from)
        });
        let hint = match score.and_then(from_cvss) {
            Some(severity) => format!(
                "write the severity name, e.g. `severity-threshold = \"{severity}\"` for a CVSS score of {}",
                score.unwrap_or_default()
            ),
            None => names_hint(),
        };
        problems.push(
            value.span,
            format!("`severity-threshold` must be a string, found {found}"),
            Some(hint),
        );
        return None;
    };
    let severity = Severity::from_name(name);
    if severity.is_none() {
        let lower = name.to_ascii_lowercase();
        let close = suggest::close(name, NAMES);
        let hint = if Severity::from_name(&lower).is_some() {
            format!("severity names are lowercase: `{lower}`")
        } else if close.is_empty() {
            names_hint()
        } else {
            format!("did you mean {}?", suggest::list(&close))
        };
        problems.push(
            value.span,
            format!("unknown severity `{name}` for `severity-threshold`"),
            Some(hint),
        );
    }
    severity
}

/// The severity band of a CVSS base score, `None` outside 0.0–10.0.
fn from_cvss(score: f64) -> Option<Severity> {
    Some(match score {
        s if !(0.0..=10.0).contains(&s) => return None,
        s if s <= 0.0 => Severity::None,
        s if s < 4.0 => Severity::Low,
        s if s < 7.0 => Severity::Medium,
        s if s < 9.0 => Severity::High,
        _ => Severity::Critical,
    })
}

/// The level of `finding` given the level its code has under the policy and the threshold: a
/// `vulnerability` at `deny` whose known severity is below `threshold` is lowered to `warn`.
/// Every other finding, a vulnerability of unknown severity, and a level already below `deny`
/// are left as they are.
pub(crate) fn thresholded(level: Level, threshold: Option<Severity>, finding: &Finding) -> Level {
    let below = match (threshold, finding.severity) {
        (Some(threshold), Some(severity)) => severity < threshold,
        _ => false,
    };
    if finding.code == Code::Vulnerability && level == Level::Deny && below {
        Level::Warn
    } else {
        level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss_scores_map_to_their_band() {
        assert_eq!(from_cvss(0.0), Some(Severity::None));
        assert_eq!(from_cvss(3.9), Some(Severity::Low));
        assert_eq!(from_cvss(4.0), Some(Severity::Medium));
        assert_eq!(from_cvss(7.0), Some(Severity::High));
        assert_eq!(from_cvss(9.0), Some(Severity::Critical));
        assert_eq!(from_cvss(10.0), Some(Severity::Critical));
        assert_eq!(from_cvss(11.0), None);
        assert_eq!(from_cvss(-1.0), None);
        assert_eq!(from_cvss(f64::NAN), None);
    }

    #[test]
    fn every_name_parses() {
        for name in NAMES {
            assert!(Severity::from_name(name).is_some(), "{name}");
        }
    }
}
