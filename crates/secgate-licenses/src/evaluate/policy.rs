//! The licence policy: allowed and denied licences, per-package exceptions, and clarifications
//! of packages whose declared licence is wrong or missing.
//!
//! Entries are single licences, each normalized to its canonical SPDX form: `ID`,
//! `ID WITH EXCEPTION`, or an exact `LicenseRef-...` name. An expression (`MIT OR Apache-2.0`),
//! `+` (`Apache-2.0+`), a deprecated id (`GPL-2.0`: say `GPL-2.0-only` or `GPL-2.0-or-later`)
//! and an id that is not on the SPDX list are refused with a [`LicenseIdError`]; policy
//! entries are strict even though package expressions are read laxly.

use secgate_core::Location;
use spdx::Licensee;
use spdx::error::Reason;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// What the licence gate allows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LicensePolicy {
    /// Allowed licences, normalized (`MIT`, `Apache-2.0 WITH LLVM-exception`).
    pub allow: BTreeSet<String>,
    /// Denied licences, normalized; an explicit deny wins over `allow` (not over an exception).
    pub deny: BTreeSet<String>,
    /// Licences allowed for one package only.
    pub exceptions: Vec<Exception>,
    /// Corrections of a package's licence expression.
    pub clarify: Vec<Clarification>,
}

/// Licences allowed for one package only, with the reason they are acceptable there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    /// Package name.
    pub package: String,
    /// Exact version it applies to; every version when `None`.
    pub version: Option<String>,
    /// Licence entries, as for [`LicensePolicy::allow`].
    pub allow: Vec<String>,
    /// Why these licences are acceptable for this package.
    pub reason: String,
    /// Where the entry is in the policy file.
    pub location: Option<Location>,
}

/// The licence expression a package really has, replacing the declared or detected one as long
/// as the licence files it was judged from are unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clarification {
    /// Package name.
    pub package: String,
    /// Exact version it applies to; every version when `None`.
    pub version: Option<String>,
    /// The SPDX expression to use instead.
    pub expression: String,
    /// Licence files (path relative to the package root, sha256 hex) that must all be present
    /// with these hashes for the clarification to apply; with none it always applies.
    pub files: Vec<(String, String)>,
    /// Why.
    pub reason: Option<String>,
    /// Where the entry is in the policy file.
    pub location: Option<Location>,
}

/// A licence entry of the policy that is not one valid SPDX licence.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LicenseIdError {
    /// A term that is neither an SPDX licence or exception id nor a `LicenseRef-`.
    #[error("unknown licence id `{term}` in `{entry}`{}", suggest(.suggestion.as_deref()))]
    Unknown {
        /// The entry as written.
        entry: String,
        /// The unknown term.
        term: String,
        /// The id it probably means (`mit` → `MIT`).
        suggestion: Option<String>,
    },
    /// A deprecated SPDX id.
    #[error("deprecated licence id `{term}` in `{entry}`{}", replace(.replacements))]
    Deprecated {
        /// The entry as written.
        entry: String,
        /// The deprecated id.
        term: String,
        /// Current ids to use instead (`GPL-2.0-only`, `GPL-2.0-or-later`).
        replacements: Vec<String>,
    },
    /// Not a single licence: an expression, a `+`, or empty.
    #[error("`{entry}` is not a single licence: {problem}\nhint: {hint}")]
    NotALicence {
        /// The entry as written.
        entry: String,
        /// What the parser found.
        problem: String,
        /// What to write instead.
        hint: String,
    },
}

fn suggest(suggestion: Option<&str>) -> String {
    suggestion.map_or_else(
        || "\nhint: use an id from https://spdx.org/licenses/ or a `LicenseRef-` name".to_owned(),
        |s| format!("\nhint: did you mean `{s}`?"),
    )
}

fn replace(replacements: &[String]) -> String {
    if replacements.is_empty() {
        return "\nhint: use a current id from https://spdx.org/licenses/".to_owned();
    }
    let mut out = "\nhint: use ".to_owned();
    for (i, r) in replacements.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        let _ = write!(out, "`{r}`");
    }
    out
}

impl LicensePolicy {
    /// Adds licences to `allow`. Every valid entry is added; the invalid ones are all returned.
    pub fn allow<I, S>(&mut self, ids: I) -> Result<(), Vec<LicenseIdError>>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        add(&mut self.allow, ids)
    }

    /// Adds licences to `deny`. Every valid entry is added; the invalid ones are all returned.
    pub fn deny<I, S>(&mut self, ids: I) -> Result<(), Vec<LicenseIdError>>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        add(&mut self.deny, ids)
    }
}

fn add<I, S>(set: &mut BTreeSet<String>, ids: I) -> Result<(), Vec<LicenseIdError>>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut errors = Vec::new();
    for id in ids {
        match normalize_id(id.as_ref()) {
            Ok(normalized) => {
                set.insert(normalized);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The canonical form of one policy licence entry (`ID`, `ID WITH EXCEPTION`, `LicenseRef-...`),
/// or why it is not one. Use it to validate exception entries too.
pub fn normalize_id(entry: &str) -> Result<String, LicenseIdError> {
    let trimmed = entry.trim();
    let err = match Licensee::parse(trimmed) {
        Ok(l) => return Ok(l.to_string()),
        Err(err) => err,
    };
    let term = trimmed.get(err.span.clone()).unwrap_or(trimmed).to_owned();
    let not_a_licence = |hint: String| LicenseIdError::NotALicence {
        entry: entry.to_owned(),
        problem: err.reason.to_string(),
        hint,
    };
    Err(match err.reason {
        Reason::DeprecatedLicenseId => LicenseIdError::Deprecated {
            entry: entry.to_owned(),
            replacements: replacements(&term),
            term,
        },
        Reason::UnknownTerm | Reason::UnknownLicense | Reason::UnknownException => {
            LicenseIdError::Unknown {
                entry: entry.to_owned(),
                suggestion: suggestion(&term),
                term,
            }
        }
        _ if trimmed.contains('+') => not_a_licence(format!(
            "`+` belongs in a package's expression; allow `{}` (for GNU licences, the \
             `-or-later` id)",
            trimmed.trim_end_matches('+')
        )),
        _ if trimmed.is_empty() => not_a_licence("remove the empty entry".to_owned()),
        _ => not_a_licence(
            "list each licence on its own (`MIT`, `Apache-2.0 WITH LLVM-exception`)".to_owned(),
        ),
    })
}

/// Parses a policy entry for matching; entries that are not valid match nothing.
pub(crate) fn licensee(entry: &str) -> Option<Licensee> {
    Licensee::parse(&normalize_id(entry).ok()?).ok()
}

/// The current ids for a deprecated bare GNU id (`GPL-2.0` → `-only`, `-or-later`).
fn replacements(term: &str) -> Vec<String> {
    let Some(id) = spdx::license_id(term) else {
        return Vec::new();
    };
    if !id.is_gnu() {
        return Vec::new();
    }
    [false, true]
        .into_iter()
        .filter_map(|or_later| spdx::gnu_license_id(id.name, or_later))
        .map(|id| id.name.to_owned())
        .collect()
}

/// The id a mistyped term probably means: same letters in another case, or an imprecise name
/// (`apache2`) spdx knows.
fn suggestion(term: &str) -> Option<String> {
    if let Some(l) = spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(term))
    {
        return Some(l.name.to_owned());
    }
    if let Some(e) = spdx::identifiers::EXCEPTIONS
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(term))
    {
        return Some(e.name.to_owned());
    }
    spdx::imprecise_license_id(term)
        .filter(|(_, len)| *len == term.len())
        .map(|(id, _)| id.name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_normalized() {
        assert_eq!(normalize_id(" MIT ").unwrap(), "MIT");
        assert_eq!(
            normalize_id("Apache-2.0 with LLVM-exception").unwrap(),
            "Apache-2.0 WITH LLVM-exception"
        );
        assert_eq!(normalize_id("LicenseRef-ring").unwrap(), "LicenseRef-ring");
    }

    #[test]
    fn invalid_entries_say_what_to_write() {
        let e = normalize_id("mit").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown licence id `mit` in `mit`\nhint: did you mean `MIT`?"
        );
        let e = normalize_id("Foo-1.0").unwrap_err();
        assert!(
            matches!(
                &e,
                LicenseIdError::Unknown {
                    suggestion: None,
                    ..
                }
            ),
            "{e:?}"
        );
        let e = normalize_id("GPL-2.0").unwrap_err();
        assert_eq!(
            e.to_string(),
            "deprecated licence id `GPL-2.0` in `GPL-2.0`\nhint: use `GPL-2.0-only` or \
             `GPL-2.0-or-later`"
        );
        let e = normalize_id("Apache-2.0 WITH Foo-exception").unwrap_err();
        assert!(
            matches!(&e, LicenseIdError::Unknown { term, .. } if term == "Foo-exception"),
            "{e:?}"
        );
        for entry in ["MIT OR Apache-2.0", "Apache-2.0+", ""] {
            let e = normalize_id(entry).unwrap_err();
            assert!(
                matches!(e, LicenseIdError::NotALicence { .. }),
                "{entry}: {e:?}"
            );
        }
        assert!(
            normalize_id("Apache-2.0+")
                .unwrap_err()
                .to_string()
                .contains("allow `Apache-2.0`")
        );
    }

    #[test]
    fn allow_adds_the_valid_entries_and_returns_every_error() {
        let mut p = LicensePolicy::default();
        let errors = p.allow(["MIT", "Nope-1", "ISC", "GPL-3.0"]).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            p.allow.iter().map(String::as_str).collect::<Vec<_>>(),
            ["ISC", "MIT"]
        );
        p.deny(["GPL-3.0-only"]).unwrap();
        assert!(p.deny.contains("GPL-3.0-only"));
    }
}
