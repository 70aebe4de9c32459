//! `[advisories] ignore` entries: each needs an advisory-shaped `id` and a non-empty `reason`,
//! may carry an `expires` date (`YYYY-MM-DD`, a real date), and no id may be ignored twice.
//! Entries are written inline (`{ id = "...", reason = "..." }`) or as `[[advisories.ignore]]`.

use crate::advisory_id::check_id;
use crate::error::Problems;
use crate::suggest;
use jiff::civil::Date;
use secgate_core::Location;
use std::collections::HashMap;
use toml_span::value::ValueInner;
use toml_span::{Span, Value};

/// One advisory the policy accepts, with why and until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignore {
    /// Advisory id or alias (`RUSTSEC-2023-0071`, `CVE-2023-49092`, `GHSA-...`).
    pub id: String,
    /// Why the advisory does not apply.
    pub reason: String,
    /// Last day the ignore applies; it expires the day after.
    pub expires: Option<Date>,
    /// The entry in the policy file.
    pub location: Location,
}

const KEYS: &[&str] = &["id", "reason", "expires"];
const EXAMPLE: &str = "write `{ id = \"RUSTSEC-2023-0071\", reason = \"why it does not apply\", expires = \"2027-01-31\" }`";

/// Parses the value of `ignore`; invalid entries are reported and left out.
pub(crate) fn parse_ignores(
    value: &Value<'_>,
    path: &str,
    problems: &mut Problems<'_>,
) -> Vec<Ignore> {
    let Some(entries) = value.as_array() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("`ignore` must be an array of tables, found {found}"),
            Some(EXAMPLE.to_owned()),
        );
        return Vec::new();
    };
    let mut first_line: HashMap<String, u32> = HashMap::new();
    let mut ignores = Vec::new();
    for entry in entries {
        if let Some((id, span)) = entry_id(entry) {
            if let Some(first) = first_line.get(id) {
                problems.push(
                    span,
                    format!("duplicate ignore for `{id}` (first at line {first})"),
                    Some("remove one of the two entries".to_owned()),
                );
            } else {
                first_line.insert(id.to_owned(), problems.line_of(span.start));
            }
        }
        if let Some(ignore) = parse_entry(entry, path, problems) {
            ignores.push(ignore);
        }
    }
    ignores
}

/// The id of an entry, when it has a non-empty one, for duplicate detection.
fn entry_id<'v>(entry: &'v Value<'_>) -> Option<(&'v str, Span)> {
    let id = entry.as_table()?.get("id")?;
    let s = id.as_str().filter(|s| !s.is_empty())?;
    Some((s, id.span))
}

fn parse_entry(entry: &Value<'_>, path: &str, problems: &mut Problems<'_>) -> Option<Ignore> {
    let Some(table) = entry.as_table() else {
        let found = entry.as_ref().type_str();
        let hint = if found == "string" {
            format!("every ignore needs a reason: {EXAMPLE}")
        } else {
            EXAMPLE.to_owned()
        };
        problems.push(
            entry.span,
            format!("an ignore must be a table, found {found}"),
            Some(hint),
        );
        return None;
    };
    for key in table.keys().filter(|k| !KEYS.contains(&k.name.as_ref())) {
        problems.push(
            key.span,
            format!("unknown key `{}` in ignore", key.name),
            Some(suggest::hint(&key.name, KEYS)),
        );
    }
    let id = string(table.get("id"), "id", problems).and_then(|(id, value)| match check_id(id) {
        Ok(()) => Some(id.to_owned()),
        Err((message, hint)) => {
            problems.push(value.span, message, hint);
            None
        }
    });
    if table.get("id").is_none() {
        problems.push(entry.span, "ignore has no `id`", Some(EXAMPLE.to_owned()));
    }
    let name = id
        .as_deref()
        .map_or_else(String::new, |id| format!(" for `{id}`"));
    let reason = match string(table.get("reason"), "reason", problems) {
        Some((r, _)) if !r.trim().is_empty() => Some(r.to_owned()),
        Some((_, value)) => {
            problems.push(
                value.span,
                format!("ignore{name} has an empty `reason`"),
                Some(reason_hint()),
            );
            None
        }
        None => {
            if table.get("reason").is_none() {
                problems.push(
                    entry.span,
                    format!("ignore{name} has no `reason`"),
                    Some(reason_hint()),
                );
            }
            None
        }
    };
    let expires = match string(table.get("expires"), "expires", problems) {
        None => Ok(None),
        Some((s, value)) => parse_date(s).map(Some).map_err(|message| {
            problems.push(
                value.span,
                message,
                Some("write the date as `YYYY-MM-DD`, e.g. `2027-01-31`".to_owned()),
            );
        }),
    };
    let location = problems.location(path, entry.span);
    Some(Ignore {
        id: id?,
        reason: reason?,
        expires: expires.ok()?,
        location,
    })
}

fn reason_hint() -> String {
    "say why the advisory does not apply, e.g. `reason = \"only verifies signatures\"`".to_owned()
}

/// The string at `key`, reporting a value of another type.
fn string<'v, 'de>(
    value: Option<&'v Value<'de>>,
    key: &str,
    problems: &mut Problems<'_>,
) -> Option<(&'v str, &'v Value<'de>)> {
    let value = value?;
    if let ValueInner::String(s) = value.as_ref() {
        return Some((s.as_ref(), value));
    }
    let found = value.as_ref().type_str();
    let hint = if key == "expires" {
        "write the date as a string: `expires = \"2027-01-31\"`".to_owned()
    } else {
        EXAMPLE.to_owned()
    };
    problems.push(
        value.span,
        format!("`{key}` must be a string, found {found}"),
        Some(hint),
    );
    None
}

/// Parses a `YYYY-MM-DD` date that exists in the calendar.
pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(format!(
            "`expires` must be a date written `YYYY-MM-DD`, found `{s}`"
        ));
    }
    // The shape check above guarantees ASCII digits, so these parses cannot fail.
    let year: i16 = s[0..4].parse().unwrap_or_default();
    let month: i8 = s[5..7].parse().unwrap_or_default();
    let day: i8 = s[8..10].parse().unwrap_or_default();
    Date::new(year, month, day).map_err(|_| format!("`expires` date `{s}` does not exist"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_iso_and_real() {
        assert_eq!(parse_date("2027-01-31"), Ok(Date::constant(2027, 1, 31)));
        assert_eq!(parse_date("2028-02-29"), Ok(Date::constant(2028, 2, 29)));
        assert_eq!(
            parse_date("2027-02-29").unwrap_err(),
            "`expires` date `2027-02-29` does not exist"
        );
        assert_eq!(
            parse_date("2027-13-01").unwrap_err(),
            "`expires` date `2027-13-01` does not exist"
        );
        assert_eq!(
            parse_date("31/01/2027").unwrap_err(),
            "`expires` must be a date written `YYYY-MM-DD`, found `31/01/2027`"
        );
        assert!(parse_date("2027-1-31").is_err());
        assert!(parse_date("2027-01-31T00:00").is_err());
    }
}
