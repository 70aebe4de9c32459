//! The `[secrets] allow` entries: which findings they remove, and the `ignore-unused` finding
//! for an entry that removed none (a stale entry would silently allow a future leak).

use crate::SecretsError;
use crate::report::Detected;
use globset::{GlobBuilder, GlobMatcher};
use secgate_core::{Code, Finding, Location};

/// One `[secrets] allow` entry. It matches a finding when every field it sets matches; an
/// entry should set at least one of `path`, `rule` and `fingerprint` (the policy validates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowEntry {
    /// Glob on the finding's `/`-separated relative path, e.g. `tests/fixtures/**`.
    pub path: Option<String>,
    /// A code name (`private-key`) or a rule id (`github-token`).
    pub rule: Option<String>,
    /// `sha256:<64 hex>` of the secret's exact bytes, as the finding shows it.
    pub fingerprint: Option<String>,
    /// Why the entry exists.
    pub reason: String,
    /// Where the entry is written in the policy file.
    pub location: Location,
}

/// Allow entries with their globs compiled.
pub(crate) struct Allowlist<'a> {
    entries: Vec<(&'a AllowEntry, Option<GlobMatcher>)>,
}

impl<'a> Allowlist<'a> {
    /// Compiles every entry's glob.
    pub(crate) fn new(entries: &'a [AllowEntry]) -> Result<Self, SecretsError> {
        let entries = entries
            .iter()
            .map(|entry| {
                let glob = entry
                    .path
                    .as_deref()
                    .map(|glob| {
                        // `*` stays within one name, as in every other path glob of the policy.
                        GlobBuilder::new(glob)
                            .literal_separator(true)
                            .build()
                            .map(|g| g.compile_matcher())
                            .map_err(|source| SecretsError::BadGlob {
                                glob: glob.to_owned(),
                                source,
                            })
                    })
                    .transpose()?;
                Ok((entry, glob))
            })
            .collect::<Result<_, SecretsError>>()?;
        Ok(Allowlist { entries })
    }

    fn matches(entry: &AllowEntry, glob: Option<&GlobMatcher>, found: &Detected) -> bool {
        // An entry that names nothing would silence the whole gate; it matches nothing instead
        // (and is reported as unused).
        if entry.path.is_none() && entry.rule.is_none() && entry.fingerprint.is_none() {
            return false;
        }
        let finding = &found.finding;
        let path_ok = glob.is_none_or(|g| g.is_match(&finding.location.path));
        let rule_ok = entry.rule.as_deref().is_none_or(|rule| {
            rule == finding.code.as_str() || finding.id.as_deref() == Some(rule)
        });
        let fingerprint_ok = entry
            .fingerprint
            .as_deref()
            .is_none_or(|fp| fp.eq_ignore_ascii_case(&found.fingerprint));
        path_ok && rule_ok && fingerprint_ok
    }

    /// Removes allowed findings; returns the rest (with one `ignore-unused` finding per unused
    /// entry) and how many were removed.
    pub(crate) fn apply(&self, detected: Vec<Detected>) -> (Vec<Finding>, usize) {
        let mut used = vec![false; self.entries.len()];
        let mut kept = Vec::with_capacity(detected.len());
        let mut allowed = 0;
        for found in detected {
            let mut is_allowed = false;
            for ((entry, glob), used) in self.entries.iter().zip(used.iter_mut()) {
                if Self::matches(entry, glob.as_ref(), &found) {
                    *used = true;
                    is_allowed = true;
                }
            }
            if is_allowed {
                allowed += 1;
            } else {
                kept.push(found.finding);
            }
        }
        for ((entry, _), used) in self.entries.iter().zip(used) {
            if !used {
                kept.push(unused(entry));
            }
        }
        (kept, allowed)
    }
}

fn unused(entry: &AllowEntry) -> Finding {
    let mut what = Vec::new();
    if let Some(path) = &entry.path {
        what.push(format!("path `{path}`"));
    }
    if let Some(rule) = &entry.rule {
        what.push(format!("rule `{rule}`"));
    }
    if let Some(fp) = &entry.fingerprint {
        what.push(format!("fingerprint `{fp}`"));
    }
    let mut finding = Finding::new(
        Code::IgnoreUnused,
        entry.location.clone(),
        format!(
            "the `[secrets] allow` entry ({}) matched no secret",
            what.join(", ")
        ),
    );
    finding.id = Some("secrets-allow".to_owned());
    finding.fix = Some("delete the entry from the policy file, or correct it".to_owned());
    finding
}
