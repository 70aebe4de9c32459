//! `secgate init --baseline`: today's findings, accepted so the gate passes from now on and
//! fails on anything new. Each accepted finding becomes an entry with a reason that says it was
//! accepted unreviewed and, where the policy supports it, an expiry date [`DAYS`] away, so the
//! acceptance cannot outlive a review:
//!
//! | finding | entry |
//! |---|---|
//! | an advisory (`vulnerability`, `unmaintained`, ...) | `[advisories] ignore = [{ id, reason, expires }]` |
//! | a pinning finding | `[pins] ignore = [{ path, code, reason, expires }]` |
//! | `license-denied` | `[licenses] exceptions = [{ package, version, allow, reason }]` |
//!
//! Other findings (a missing or unknown licence, a signature, a stale database) have no entry
//! that could accept them: they stay, and the gate keeps failing until they are fixed.

use crate::check::{self, Checked};
use crate::cli::{CheckArgs, DevArgs, GlobalArgs, LicenseSourceArgs};
use anyhow::bail;
use secgate_core::{Code, Gate};
use secgate_policy::Policy;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// How long a baseline entry lasts.
const DAYS: i64 = 90;

/// The entries to add, by section.
#[derive(Debug, Default)]
pub struct Entries {
    advisories: BTreeSet<String>,
    pins: BTreeSet<(String, String)>,
    licenses: BTreeSet<(String, String, String)>,
}

/// The last day baseline entries apply.
pub fn expiry() -> String {
    let today = crate::audit::today();
    today
        .checked_add(jiff::Span::new().days(DAYS))
        .unwrap_or(today)
        .to_string()
}

fn reason() -> String {
    format!(
        "accepted unreviewed by `secgate init --baseline` on {}: review before it expires",
        crate::audit::today()
    )
}

/// Runs every gate under the policy `text` and collects what can be accepted; also the number
/// of findings that will be.
pub fn entries(global: &GlobalArgs, root: &Path, text: &str) -> anyhow::Result<(Entries, usize)> {
    let policy = Policy::parse(text, "secgate.toml")?;
    let args = CheckArgs {
        path: root.to_owned(),
        sources: LicenseSourceArgs::default(),
        dev: DevArgs::default(),
    };
    let inventory = crate::project::load(global, root)?.inventory.ok();
    let gathered = match check::gather(global, &args, &policy, root, inventory)? {
        Checked::Ran(gathered) => gathered,
        Checked::Stale(finding, _) => bail!("{}", finding.message),
    };
    let mut entries = Entries::default();
    let mut count = 0;
    for f in &gathered.findings {
        let accepted = match (f.code.gate(), f.code) {
            (Gate::Advisories, _) => f.id.clone().is_some_and(|id| {
                entries.advisories.insert(id);
                true
            }),
            (Gate::Pins, code) => {
                entries
                    .pins
                    .insert((f.location.path.clone(), code.as_str().to_owned()));
                true
            }
            (_, Code::LicenseDenied) => match (&f.package, &f.id) {
                (Some(p), Some(failed)) => {
                    entries
                        .licenses
                        .insert((p.name.clone(), p.version.clone(), failed.clone()));
                    true
                }
                _ => false,
            },
            _ => false,
        };
        count += usize::from(accepted);
    }
    Ok((entries, count))
}

/// `text` with the entries in place of the empty lists of the default policy.
pub fn apply(text: &str, entries: &Entries) -> String {
    let reason = toml_string(&reason());
    let expires = expiry();
    let mut text = text.to_owned();
    if !entries.advisories.is_empty() {
        let lines: Vec<String> = entries
            .advisories
            .iter()
            .map(|id| {
                format!(
                    "  {{ id = {}, reason = {reason}, expires = \"{expires}\" }},",
                    toml_string(id)
                )
            })
            .collect();
        text = replace_section_key(&text, "[advisories]", "ignore = []", &lines, "ignore");
    }
    if !entries.pins.is_empty() {
        let lines: Vec<String> = entries
            .pins
            .iter()
            .map(|(path, code)| {
                format!(
                    "  {{ path = {}, code = \"{code}\", reason = {reason}, expires = \"{expires}\" }},",
                    toml_string(path)
                )
            })
            .collect();
        text = replace_section_key(&text, "[pins]", "ignore = []", &lines, "ignore");
    }
    if !entries.licenses.is_empty() {
        let lines: Vec<String> = entries
            .licenses
            .iter()
            .map(|(name, version, failed)| {
                let allow: Vec<String> = failed.split(", ").map(toml_string).collect();
                format!(
                    "  {{ package = {}, version = {}, allow = [{}], reason = {reason} }},",
                    toml_string(name),
                    toml_string(version),
                    allow.join(", ")
                )
            })
            .collect();
        text = replace_section_key(
            &text,
            "[licenses]",
            "preset = \"default\"",
            &lines,
            "exceptions",
        );
    }
    text
}

/// Replaces the first `anchor` line after `section` with `key = [lines]` (keeping the anchor
/// when it is not an empty list itself).
fn replace_section_key(
    text: &str,
    section: &str,
    anchor: &str,
    lines: &[String],
    key: &str,
) -> String {
    let Some(start) = text.find(section) else {
        return text.to_owned();
    };
    let Some(offset) = text[start..].find(&format!("\n{anchor}\n")) else {
        return text.to_owned();
    };
    let at = start + offset + 1;
    let list = format!(
        "# Accepted by `secgate init --baseline`.\n{key} = [\n{}\n]\n",
        lines.join("\n")
    );
    let kept = if anchor.ends_with("= []") {
        String::new()
    } else {
        format!("{anchor}\n")
    };
    format!(
        "{}{kept}{list}{}",
        &text[..at],
        &text[at + anchor.len() + 1..]
    )
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
