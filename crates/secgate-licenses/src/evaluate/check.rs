//! The licence gate over many packages: which expression applies to each (declared, detected,
//! or clarified by the policy), which exceptions apply, and the findings.
//!
//! An exception applies to every package of its name, or only to the exact version it names,
//! and counts as used as soon as it applies to one package, whether or not its licences were
//! needed. A clarification applies the same way, and only while every licence file it lists is
//! present with the sha256 it gives; when one changed, the package is judged on what it
//! declares, and a finding about it says the clarification went stale.

use crate::evaluate::diags::{self, Origin, Stale};
use crate::evaluate::expression::Matcher;
use crate::evaluate::policy::{Clarification, LicensePolicy, licensee};
use crate::evaluate::{LicenseInput, LicenseSource};
use secgate_core::{Finding, Package, sort_findings};
use spdx::Licensee;

/// Findings for every input whose licence is denied, unknown or missing, and one
/// `license-exception-unused` per exception that applied to no input; sorted, at the codes'
/// default levels.
pub fn evaluate(inputs: &[LicenseInput<'_>], policy: &LicensePolicy) -> Vec<Finding> {
    let matcher = Matcher::new(policy);
    let exception_allow: Vec<Vec<Licensee>> = policy
        .exceptions
        .iter()
        .map(|e| e.allow.iter().filter_map(|s| licensee(s)).collect())
        .collect();
    let mut used = vec![false; policy.exceptions.len()];
    let mut findings = Vec::new();

    for input in inputs {
        let package = input.package;
        let mut extra = Vec::new();
        for (i, exception) in policy.exceptions.iter().enumerate() {
            if applies(&exception.package, exception.version.as_deref(), package) {
                used[i] = true;
                extra.extend(exception_allow[i].iter().cloned());
            }
        }
        let (clarified, stale) = clarification(input, policy);
        let (expression, origin) = match (clarified, &input.source) {
            (Some(c), _) => (c.expression.as_str(), Origin::Clarified(c)),
            (None, LicenseSource::Declared { expression }) => {
                (expression.as_str(), Origin::Declared)
            }
            (
                None,
                LicenseSource::Detected {
                    expression,
                    confidence,
                    file,
                },
            ) => (
                expression.as_str(),
                Origin::Detected {
                    file,
                    confidence: *confidence,
                },
            ),
            (None, LicenseSource::Missing) => {
                findings.push(diags::missing(input, stale.as_ref()));
                continue;
            }
        };
        let outcome = matcher.check(expression, &extra);
        // Only what the package itself declares: a detected id is canonical, and a
        // clarification is the policy's own expression.
        if outcome.verdict.legacy() && matches!(origin, Origin::Declared) {
            findings.push(diags::legacy(package, expression));
        }
        if let Some(finding) =
            diags::verdict(package, expression, &origin, &outcome, stale.as_ref())
        {
            findings.push(finding);
        }
    }

    for (exception, used) in policy.exceptions.iter().zip(used) {
        if !used {
            findings.push(diags::exception_unused(exception));
        }
    }
    sort_findings(&mut findings);
    findings
}

fn applies(name: &str, version: Option<&str>, package: &Package) -> bool {
    name == package.name && version.is_none_or(|v| v == package.version)
}

/// The clarification that applies to the input, else the first one for the package whose
/// licence files changed.
fn clarification<'p>(
    input: &LicenseInput<'_>,
    policy: &'p LicensePolicy,
) -> (Option<&'p Clarification>, Option<Stale<'p>>) {
    let mut stale = None;
    for c in &policy.clarify {
        if !applies(&c.package, c.version.as_deref(), input.package) {
            continue;
        }
        let changes = changed_files(c, &input.files);
        if changes.is_empty() {
            return (Some(c), None);
        }
        stale.get_or_insert(Stale {
            clarification: c,
            changes,
        });
    }
    (None, stale)
}

/// The files of `c` not present in `files` with the same sha256: (path, expected, found).
fn changed_files<'p>(
    c: &'p Clarification,
    files: &[(String, String)],
) -> Vec<(&'p str, &'p str, Option<String>)> {
    c.files
        .iter()
        .filter_map(|(path, expected)| {
            let found = files
                .iter()
                .find(|(p, _)| same_path(p, path))
                .map(|(_, hash)| hash);
            match found {
                Some(hash) if hash.trim().eq_ignore_ascii_case(expected.trim()) => None,
                found => Some((path.as_str(), expected.as_str(), found.cloned())),
            }
        })
        .collect()
}

fn same_path(a: &str, b: &str) -> bool {
    let norm = |p: &str| p.replace('\\', "/").trim_start_matches("./").to_owned();
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clar(files: &[(&str, &str)]) -> Clarification {
        Clarification {
            package: "ring".into(),
            version: None,
            expression: "MIT AND ISC AND OpenSSL".into(),
            files: files
                .iter()
                .map(|(p, h)| ((*p).to_owned(), (*h).to_owned()))
                .collect(),
            reason: None,
            location: None,
        }
    }

    #[test]
    fn changed_files_compare_paths_and_hashes_loosely() {
        let found = vec![("./LICENSE".to_owned(), "ABCD".to_owned())];
        assert!(changed_files(&clar(&[("LICENSE", "abcd")]), &found).is_empty());
        let two = clar(&[("LICENSE", "ef01"), ("NOTICE", "99")]);
        let changes = changed_files(&two, &found);
        assert_eq!(
            changes,
            [
                ("LICENSE", "ef01", Some("ABCD".to_owned())),
                ("NOTICE", "99", None)
            ]
        );
        assert!(changed_files(&clar(&[]), &[]).is_empty());
    }
}
