//! Licence entries: `allow`, `deny` and each exception's `allow`. Every entry is one SPDX
//! licence (`MIT`, `Apache-2.0 WITH LLVM-exception`, `LicenseRef-...`) checked and normalized by
//! the licence evaluator's [`normalize_id`], so the policy file accepts exactly what the gate
//! can match. An unknown id is an error with the id it probably means, a deprecated one names
//! the ids to use instead, and an expression (`MIT OR Apache-2.0`) or `+` says to list each
//! licence on its own. A licence listed twice in one list is an error at the second.

use crate::error::Problems;
use secgate_licenses::evaluate::{LicenseIdError, normalize_id};
use toml_span::{Span, Value};

/// One valid entry: its canonical form and where it is written.
#[derive(Clone, Debug)]
pub(super) struct Id {
    pub(super) id: String,
    pub(super) span: Span,
}

/// The valid entries of the list `key`, in file order, each once; invalid and repeated entries
/// are reported and left out. `None` when the value is not an array (reported).
pub(super) fn parse_ids(
    value: &Value<'_>,
    key: &str,
    problems: &mut Problems<'_>,
) -> Option<Vec<Id>> {
    let example = || format!("write a list of SPDX ids, e.g. `{key} = [\"MIT\", \"ISC\"]`");
    let Some(items) = value.as_array() else {
        let found = value.as_ref().type_str();
        let hint = match value.as_str() {
            Some(s) => format!("write a list: `{key} = [\"{s}\"]`"),
            None => example(),
        };
        problems.push(
            value.span,
            format!("`{key}` must be an array of strings, found {found}"),
            Some(hint),
        );
        return None;
    };
    let mut ids: Vec<Id> = Vec::with_capacity(items.len());
    for item in items {
        let Some(entry) = item.as_str() else {
            let found = item.as_ref().type_str();
            problems.push(
                item.span,
                format!("a licence in `{key}` must be a string, found {found}"),
                Some(example()),
            );
            continue;
        };
        let id = match normalize_id(entry) {
            Ok(id) => id,
            Err(err) => {
                report(&err, entry, item.span, problems);
                continue;
            }
        };
        if let Some(earlier) = ids.iter().find(|i| i.id == id) {
            let at = problems.first_at(earlier.span.start, item.span.start);
            problems.push(
                item.span,
                format!("duplicate licence `{id}` in `{key}` (first at {at})"),
                Some("list each licence once".to_owned()),
            );
            continue;
        }
        ids.push(Id {
            id,
            span: item.span,
        });
    }
    Some(ids)
}

/// Reports why `written` (the string value at `span`) is not valid: an unknown or deprecated
/// id is pointed at where it appears in `written` and named with its suggestion or
/// replacements.
pub(super) fn report(err: &LicenseIdError, written: &str, span: Span, problems: &mut Problems<'_>) {
    let (term, message, hint) = match err {
        LicenseIdError::Unknown {
            term, suggestion, ..
        } => (
            term,
            format!("unknown licence id `{term}`{}", within(term, written)),
            suggestion.as_ref().map_or_else(
                || "use an id from https://spdx.org/licenses/ or a `LicenseRef-` name".to_owned(),
                |s| format!("did you mean `{s}`?"),
            ),
        ),
        LicenseIdError::Deprecated {
            term, replacements, ..
        } => (
            term,
            format!("deprecated licence id `{term}`{}", within(term, written)),
            if replacements.is_empty() {
                "use a current id from https://spdx.org/licenses/".to_owned()
            } else {
                let quoted: Vec<String> = replacements.iter().map(|r| format!("`{r}`")).collect();
                format!("use {}", quoted.join(" or "))
            },
        ),
        LicenseIdError::NotALicence {
            entry,
            problem,
            hint,
        } => {
            problems.push(
                span,
                format!("`{entry}` is not a single licence: {problem}"),
                Some(hint.clone()),
            );
            return;
        }
    };
    let at = match written.find(term.as_str()) {
        Some(start) if !term.is_empty() => {
            problems.part_of(span, written, start..start + term.len())
        }
        _ => span,
    };
    problems.push(at, message, Some(hint));
}

/// `` in `MIT AND Foo` `` when the term is only part of what was written.
fn within(term: &str, written: &str) -> String {
    if term == written.trim() {
        String::new()
    } else {
        format!(" in `{written}`")
    }
}
