//! What `exceptions` and `clarify` entries share: each is a table (inline or `[[licenses.x]]`)
//! naming a `package`, optionally one exact `version`, and a non-empty `reason`; unknown keys
//! are errors, and two entries for the same package and version are an error at the second.

use crate::error::Problems;
use crate::suggest;
use std::collections::HashMap;
use toml_span::value::{Table, ValueInner};
use toml_span::{Span, Value};

/// One kind of entry: `exception` or `clarification`.
pub(super) struct Kind {
    /// The entry's name in messages.
    pub(super) name: &'static str,
    /// The key of the list in `[licenses]`.
    pub(super) list: &'static str,
    /// The keys an entry may have.
    pub(super) keys: &'static [&'static str],
    /// A complete entry, for hints.
    pub(super) example: &'static str,
}

impl Kind {
    pub(super) fn example(&self) -> String {
        format!("write `{}`", self.example)
    }
}

/// The entries of the list, or none when it is not an array (reported).
pub(super) fn entries<'v, 'de>(
    value: &'v Value<'de>,
    kind: &Kind,
    problems: &mut Problems<'_>,
) -> &'v [Value<'de>] {
    if let Some(entries) = value.as_array() {
        return entries;
    }
    let found = value.as_ref().type_str();
    problems.push(
        value.span,
        format!("`{}` must be an array of tables, found {found}", kind.list),
        Some(kind.example()),
    );
    &[]
}

/// The entry as a table, reporting another type and every unknown key.
pub(super) fn table<'v, 'de>(
    entry: &'v Value<'de>,
    kind: &Kind,
    problems: &mut Problems<'_>,
) -> Option<&'v Table<'de>> {
    let Some(table) = entry.as_table() else {
        let found = entry.as_ref().type_str();
        problems.push(
            entry.span,
            format!("{} must be a table, found {found}", article(kind.name)),
            Some(kind.example()),
        );
        return None;
    };
    for key in table
        .keys()
        .filter(|k| !kind.keys.contains(&k.name.as_ref()))
    {
        problems.push(
            key.span,
            format!("unknown key `{}` in {}", key.name, kind.name),
            Some(suggest::hint(&key.name, kind.keys)),
        );
    }
    Some(table)
}

fn article(name: &str) -> String {
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

/// The string at `key`, reporting a value of another type; `None` when absent or not a string.
pub(super) fn string<'v>(
    table: &'v Table<'_>,
    key: &str,
    hint: impl FnOnce() -> String,
    problems: &mut Problems<'_>,
) -> Option<(&'v str, Span)> {
    let value = table.get(key)?;
    if let ValueInner::String(s) = value.as_ref() {
        return Some((s.as_ref(), value.span));
    }
    let found = value.as_ref().type_str();
    problems.push(
        value.span,
        format!("`{key}` must be a string, found {found}"),
        Some(hint()),
    );
    None
}

/// Who an entry is for: its package and, when given, exact version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Target {
    pub(super) package: String,
    pub(super) version: Option<String>,
}

impl Target {
    /// `` for `ring` `` or `` for `ring` 0.17.8 ``, for messages.
    pub(super) fn for_text(&self) -> String {
        match &self.version {
            Some(v) => format!(" for `{}` {v}", self.package),
            None => format!(" for `{}`", self.package),
        }
    }
}

/// The entry's `package` and `version`, with the span of the `package` value; `None` when one
/// of them is missing or invalid (reported).
pub(super) fn target(
    table: &Table<'_>,
    entry: Span,
    kind: &Kind,
    problems: &mut Problems<'_>,
) -> Option<(Target, Span)> {
    let package = match string(table, "package", || kind.example(), problems) {
        Some((p, span)) if p.trim().is_empty() || p.chars().any(char::is_whitespace) => {
            let message = if p.trim().is_empty() {
                format!("{} has an empty `package`", kind.name)
            } else {
                format!("package name `{p}` contains whitespace")
            };
            problems.push(
                span,
                message,
                Some("name the package as it is locked, e.g. `package = \"ring\"`".to_owned()),
            );
            None
        }
        Some((p, span)) => Some((p.to_owned(), span)),
        None => {
            if !table.contains_key("package") {
                problems.push(
                    entry,
                    format!("{} has no `package`", kind.name),
                    Some(kind.example()),
                );
            }
            None
        }
    };
    let version = version(table, problems);
    let (package, span) = package?;
    Some((
        Target {
            package,
            version: version.ok()?,
        },
        span,
    ))
}

/// `Ok(None)` without a version, `Ok(Some(v))` with a valid one, `Err` when invalid (reported).
fn version(table: &Table<'_>, problems: &mut Problems<'_>) -> Result<Option<String>, ()> {
    let hint = || {
        "write the version as locked, e.g. `version = \"0.17.8\"`, or leave `version` out to \
         cover every version"
            .to_owned()
    };
    if !table.contains_key("version") {
        return Ok(None);
    }
    let (v, span) = string(table, "version", hint, problems).ok_or(())?;
    let exact = !v.is_empty()
        && !v.chars().any(char::is_whitespace)
        && !v.starts_with(['^', '~', '<', '>', '=', '!'])
        && !v.contains(['*', ',', '|'])
        && !v.split('.').any(|part| part.eq_ignore_ascii_case("x"));
    if exact {
        Ok(Some(v.to_owned()))
    } else {
        problems.push(
            span,
            format!("`version` must be one exact version, found `{v}`"),
            Some(hint()),
        );
        Err(())
    }
}

/// The entry's non-empty `reason`; `None` when missing, empty or not a string (reported).
pub(super) fn reason(
    table: &Table<'_>,
    entry: Span,
    kind: &Kind,
    target: Option<&Target>,
    hint: &str,
    problems: &mut Problems<'_>,
) -> Option<String> {
    let name = target.map_or_else(String::new, Target::for_text);
    match string(table, "reason", || kind.example(), problems) {
        Some((r, _)) if !r.trim().is_empty() => Some(r.to_owned()),
        Some((_, span)) => {
            problems.push(
                span,
                format!("{}{name} has an empty `reason`", kind.name),
                Some(hint.to_owned()),
            );
            None
        }
        None => {
            if !table.contains_key("reason") {
                problems.push(
                    entry,
                    format!("{}{name} has no `reason`", kind.name),
                    Some(hint.to_owned()),
                );
            }
            None
        }
    }
}

/// The targets seen so far in one list, to report a second entry for the same one.
#[derive(Default)]
pub(super) struct Seen {
    first: HashMap<Target, usize>,
}

impl Seen {
    /// Reports `target` (its `package` value at `span`) when an earlier entry has it.
    pub(super) fn check(
        &mut self,
        target: &Target,
        span: Span,
        kind: &Kind,
        hint: &str,
        problems: &mut Problems<'_>,
    ) {
        if let Some(&earlier) = self.first.get(target) {
            problems.push(
                span,
                format!(
                    "duplicate {}{} (first at {})",
                    kind.name,
                    target.for_text(),
                    problems.first_at(earlier, span.start)
                ),
                Some(hint.to_owned()),
            );
        } else {
            self.first.insert(target.clone(), span.start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_well_in_messages() {
        let mut t = Target {
            package: "ring".into(),
            version: None,
        };
        assert_eq!(t.for_text(), " for `ring`");
        t.version = Some("0.17.8".into());
        assert_eq!(t.for_text(), " for `ring` 0.17.8");
        assert_eq!(article("exception"), "an exception");
        assert_eq!(article("clarification"), "a clarification");
    }
}
