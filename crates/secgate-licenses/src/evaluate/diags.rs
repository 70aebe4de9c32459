//! The licence gate's findings: one constructor per code, with a message that names the
//! expression and the licences that failed, and a fix that says what to change.

use crate::evaluate::LicenseInput;
use crate::evaluate::expression::{Outcome, Root, Verdict};
use crate::evaluate::policy::{Clarification, Exception};
use secgate_core::{Code, Finding, Location, Package, PackageRef};
use std::fmt::Write as _;

/// Where the evaluated expression came from.
pub(crate) enum Origin<'a> {
    Declared,
    Detected { file: &'a str, confidence: f32 },
    Clarified(&'a Clarification),
}

/// A clarification for the package that no longer applies: (path, clarified sha256, found).
pub(crate) struct Stale<'a> {
    pub(crate) clarification: &'a Clarification,
    pub(crate) changes: Vec<(&'a str, &'a str, Option<String>)>,
}

/// The finding for a verdict that is not `Allowed`.
pub(crate) fn verdict(
    package: &Package,
    expression: &str,
    origin: &Origin<'_>,
    outcome: &Outcome,
    stale: Option<&Stale<'_>>,
) -> Option<Finding> {
    let expression = expression.trim();
    let (code, mut message, mut fix) = match &outcome.verdict {
        Verdict::Allowed { .. } => return None,
        Verdict::Denied { failed, denied, .. } => (
            Code::LicenseDenied,
            denied_message(expression, failed, denied, outcome.root),
            denied_fix(&package.name, failed, denied, outcome.root),
        ),
        Verdict::Unknown { reason } => (
            Code::LicenseUnknown,
            format!("licence `{expression}` cannot be evaluated: {reason}"),
            format!(
                "read the licence of `{}`; if it is acceptable, add a clarification for it with \
                 its SPDX expression and the sha256 of its licence files (or allow a \
                 `LicenseRef-` by its exact name); otherwise replace the package",
                package.name
            ),
        ),
    };
    match origin {
        Origin::Declared => {}
        Origin::Detected { file, confidence } => {
            let _ = write!(
                message,
                "; detected in `{file}` with confidence {confidence:.2}"
            );
        }
        Origin::Clarified(c) => {
            let _ = write!(
                message,
                "; clarified by the policy{}",
                at(c.location.as_ref())
            );
            fix.push_str(", or correct the clarification");
        }
    }
    add_stale(&mut message, &mut fix, stale);
    let mut f = finding(code, package, message, fix);
    if let Verdict::Denied { failed, .. } = &outcome.verdict {
        // The licences that failed, as `[licenses] exceptions` would name them.
        f.id = Some(failed.join(", "));
    }
    Some(f)
}

/// `license-missing` for a package with neither a declared nor a detected licence.
pub(crate) fn missing(input: &LicenseInput<'_>, stale: Option<&Stale<'_>>) -> Finding {
    let package = input.package;
    let mut message = if package.ecosystem != secgate_core::Ecosystem::CratesIo {
        // npm packages are judged on their declared `license` only.
        "no licence information: the package declares no licence".to_owned()
    } else if input.files.is_empty() {
        "no licence information: no declared licence and no licence file".to_owned()
    } else {
        let files: Vec<String> = input.files.iter().map(|(p, _)| format!("`{p}`")).collect();
        format!(
            "no licence information: no declared licence, and the text of {} was not recognized",
            files.join(", ")
        )
    };
    let mut fix = format!(
        "find the licence of `{}` and add a clarification for it with its SPDX expression and \
         the sha256 of its licence files, or replace the package",
        package.name
    );
    add_stale(&mut message, &mut fix, stale);
    finding(Code::LicenseMissing, package, message, fix)
}

/// `license-legacy-expression` for a declared value that only parsed in the lax form: what it
/// was read as, so the user can see the gate judged what the authors meant.
pub(crate) fn legacy(package: &Package, expression: &str) -> Finding {
    let expression = expression.trim();
    let message = match crate::evaluate::canonical_form(expression) {
        Some(canonical) => format!(
            "licence `{expression}` is not an SPDX expression; it was read as `{canonical}`"
        ),
        None => format!("licence `{expression}` is not an SPDX expression; it was read laxly"),
    };
    finding(
        Code::LicenseLegacyExpression,
        package,
        message,
        format!(
            "nothing is needed for the gate; ask the authors of `{}` to declare the SPDX form",
            package.name
        ),
    )
}

/// `license-exception-unused` at the exception's entry in the policy.
pub(crate) fn exception_unused(exception: &Exception) -> Finding {
    let version = exception
        .version
        .as_ref()
        .map_or_else(String::new, |v| format!(" version {v}"));
    let mut message = format!(
        "licence exception for `{}`{version} matched no locked package",
        exception.package
    );
    let location = exception.location.clone().unwrap_or_else(|| {
        message.push_str(" (its place in the policy file is unknown)");
        Location::new("secgate.toml", 1, 1)
    });
    let mut f = Finding::new(Code::LicenseExceptionUnused, location, message);
    f.fix = Some(
        "delete the exception from the policy, or correct its `package` or `version`".to_owned(),
    );
    f
}

fn finding(code: Code, package: &Package, message: String, fix: String) -> Finding {
    let mut f = Finding::new(code, package.location.clone(), message);
    f.package = Some(PackageRef::from(package));
    f.fix = Some(fix);
    f
}

/// "`A` is denied by the policy and `B` is not allowed (in `expr`: no side of the `OR` is
/// allowed)".
fn denied_message(expression: &str, failed: &[String], denied: &[String], root: Root) -> String {
    let not_allowed: Vec<String> = failed
        .iter()
        .filter(|f| !denied.contains(f))
        .cloned()
        .collect();
    let mut parts = Vec::new();
    if !denied.is_empty() {
        parts.push(format!("{} denied by the policy", subject(denied)));
    }
    if !not_allowed.is_empty() {
        parts.push(format!("{} not allowed", subject(&not_allowed)));
    }
    let mut message = parts.join(" and ");
    match root {
        Root::Or => {
            let _ = write!(
                message,
                " (in `{expression}`: no side of the `OR` is allowed)"
            );
        }
        Root::And => {
            let _ = write!(
                message,
                " (in `{expression}`: every part of an `AND` must be allowed)"
            );
        }
        Root::Single if failed.len() == 1 && failed[0] == expression => {}
        Root::Single => {
            let _ = write!(message, " (read from `{expression}`)");
        }
    }
    message
}

/// "`A` is" / "`A`, `B` are".
fn subject(names: &[String]) -> String {
    let list = quoted(names, ", ");
    if names.len() == 1 {
        format!("{list} is")
    } else {
        format!("{list} are")
    }
}

fn denied_fix(package: &str, failed: &[String], denied: &[String], root: Root) -> String {
    // For an OR, one licence is enough to allow; otherwise every failed one is needed.
    let needed: Vec<String> = if root == Root::Or {
        failed.iter().take(1).cloned().collect()
    } else {
        failed.to_vec()
    };
    let entries = needed
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let exception = format!(
        "`[licenses] exceptions = [{{ package = \"{package}\", allow = [{entries}], reason = \
         \"...\" }}]`"
    );
    if denied.is_empty() {
        let which = if root == Root::Or && failed.len() > 1 {
            format!("one of {}", quoted(failed, ", "))
        } else {
            quoted(failed, " and ")
        };
        format!(
            "replace `{package}` with a package under an allowed licence, allow {which} for this \
             package only with {exception}, or add it to `[licenses] allow`"
        )
    } else {
        format!(
            "replace `{package}`, or allow it for this package only with {exception}: {} \
             denied explicitly, so an exception is the only way to allow it",
            subject(denied)
        )
    }
}

fn quoted(names: &[String], separator: &str) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// " at path:line:column", or "" when the location is unknown.
fn at(location: Option<&Location>) -> String {
    location.map_or_else(String::new, |l| {
        format!(" at {}:{}:{}", l.path, l.line, l.column)
    })
}

fn add_stale(message: &mut String, fix: &mut String, stale: Option<&Stale<'_>>) {
    let Some(stale) = stale else {
        return;
    };
    let _ = write!(
        message,
        "; the clarification{} does not apply because",
        at(stale.clarification.location.as_ref())
    );
    let mut update = Vec::new();
    for (i, (path, _, found)) in stale.changes.iter().enumerate() {
        let sep = if i == 0 { "" } else { " and" };
        match found {
            Some(hash) => {
                let _ = write!(message, "{sep} `{path}` changed since it was clarified");
                update.push(format!("`{path}` to `{hash}`"));
            }
            None => {
                let _ = write!(message, "{sep} `{path}` is no longer in the package");
            }
        }
    }
    fix.push_str("; if the licence is still `");
    fix.push_str(&stale.clarification.expression);
    fix.push_str("`, update the clarification");
    if !update.is_empty() {
        let _ = write!(fix, "'s sha256 of {}", update.join(" and "));
    }
    fix.push_str(" after reading the new text");
}
