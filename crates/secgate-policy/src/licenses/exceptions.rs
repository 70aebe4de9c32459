//! `[licenses] exceptions`: licences allowed for one package only (every version, or one exact
//! `version`), each with the `reason` they are acceptable there. `allow` lists at least one
//! licence, each checked like the section's own `allow`. Two exceptions for the same package and
//! version are an error at the second: their licences belong in one entry.

use super::entry::{self, Kind, Seen};
use super::ids::parse_ids;
use crate::error::Problems;
use secgate_licenses::evaluate::Exception;
use toml_span::Value;

const KIND: Kind = Kind {
    name: "exception",
    list: "exceptions",
    keys: &["package", "version", "allow", "reason"],
    example: "{ package = \"ring\", allow = [\"OpenSSL\"], reason = \"why it is acceptable here\" }",
};

const REASON_HINT: &str = "say why the licence is acceptable for this package, e.g. `reason = \"BoringSSL-derived code\"`";

/// Parses the value of `exceptions`; invalid entries are reported and left out.
pub(super) fn parse_exceptions(
    value: &Value<'_>,
    path: &str,
    problems: &mut Problems<'_>,
) -> Vec<Exception> {
    let mut seen = Seen::default();
    let mut exceptions = Vec::new();
    for item in entry::entries(value, &KIND, problems) {
        let Some(table) = entry::table(item, &KIND, problems) else {
            continue;
        };
        let target = entry::target(table, item.span, &KIND, problems);
        if let Some((target, span)) = &target {
            seen.check(
                target,
                *span,
                &KIND,
                "merge the two entries: one `allow` can list several licences",
                problems,
            );
        }
        let target = target.map(|(t, _)| t);
        let allow = allow(table.get("allow"), item, target.as_ref(), problems);
        let reason = entry::reason(
            table,
            item.span,
            &KIND,
            target.as_ref(),
            REASON_HINT,
            problems,
        );
        let location = problems.location(path, item.span);
        if let (Some(target), Some(allow), Some(reason)) = (target, allow, reason) {
            exceptions.push(Exception {
                package: target.package,
                version: target.version,
                allow,
                reason,
                location: Some(location),
            });
        }
    }
    exceptions
}

/// The exception's licences: `None` when missing, empty or with an invalid entry (reported).
fn allow(
    value: Option<&Value<'_>>,
    item: &Value<'_>,
    target: Option<&entry::Target>,
    problems: &mut Problems<'_>,
) -> Option<Vec<String>> {
    let name = target.map_or_else(String::new, entry::Target::for_text);
    let hint = || "list the licences it may use, e.g. `allow = [\"OpenSSL\"]`".to_owned();
    let Some(value) = value else {
        problems.push(
            item.span,
            format!("exception{name} has no `allow`"),
            Some(hint()),
        );
        return None;
    };
    let count = value.as_array().map(Vec::len);
    let ids = parse_ids(value, "allow", problems)?;
    if count == Some(0) {
        problems.push(
            value.span,
            format!("exception{name} allows nothing"),
            Some(hint()),
        );
        return None;
    }
    // Every entry was valid and distinct: invalid and repeated ones are reported and left out.
    (Some(ids.len()) == count).then(|| ids.into_iter().map(|i| i.id).collect())
}
