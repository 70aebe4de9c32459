//! `[advisories] sources`: which advisory sources `audit` reads. A non-empty list of distinct
//! names among `rustsec`, `osv` and `osv-api`; an empty list is an error because the gate would
//! check nothing, and a repeated name is an error because it is always a slip.

use crate::error::Problems;
use crate::suggest;
use std::fmt;
use toml_span::{Span, Value};

/// An advisory source the advisories gate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// `rustsec`: the RustSec advisory database.
    Rustsec,
    /// `osv`: OSV records from downloaded archives or trees, which also carry GitHub-only (GHSA)
    /// advisories and other ecosystems.
    Osv,
    /// `osv-api`: online queries to the OSV API.
    OsvApi,
}

impl Source {
    /// Every source, in documentation order.
    pub const ALL: &'static [Source] = &[Source::Rustsec, Source::Osv, Source::OsvApi];

    /// The sources used when the policy does not set `sources`.
    pub const DEFAULT: &'static [Source] = &[Source::Rustsec, Source::Osv];

    /// The name used in policy files.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Rustsec => "rustsec",
            Source::Osv => "osv",
            Source::OsvApi => "osv-api",
        }
    }

    /// Parses a source name (exact, lowercase).
    pub fn from_name(name: &str) -> Option<Source> {
        Source::ALL.iter().copied().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const EXAMPLE: &str = "write a list, e.g. `sources = [\"rustsec\", \"osv\"]`";

fn names() -> Vec<&'static str> {
    Source::ALL.iter().map(|s| s.as_str()).collect()
}

/// Parses the value of `sources`; `None` when anything about it is wrong (all reported).
pub(crate) fn parse_sources(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<Vec<Source>> {
    let Some(items) = value.as_array() else {
        let found = value.as_ref().type_str();
        let hint = match value.as_str().and_then(Source::from_name) {
            Some(source) => format!("write a list: `sources = [\"{source}\"]`"),
            None => EXAMPLE.to_owned(),
        };
        problems.push(
            value.span,
            format!("`sources` must be an array of strings, found {found}"),
            Some(hint),
        );
        return None;
    };
    if items.is_empty() {
        problems.push(
            value.span,
            "`sources` is empty, so the gate would check nothing",
            Some(format!(
                "name at least one of {}, or remove the key to use the default `[\"rustsec\", \"osv\"]`",
                suggest::list(&names())
            )),
        );
        return None;
    }
    let mut sources = Vec::with_capacity(items.len());
    let mut first: Vec<(Source, Span)> = Vec::new();
    let mut valid = true;
    for item in items {
        let Some(source) = source(item, problems) else {
            valid = false;
            continue;
        };
        if let Some((_, earlier)) = first.iter().find(|(s, _)| *s == source) {
            let at = problems.first_at(earlier.start, item.span.start);
            problems.push(
                item.span,
                format!("duplicate source `{source}` (first at {at})"),
                Some("list each source once".to_owned()),
            );
            valid = false;
            continue;
        }
        first.push((source, item.span));
        sources.push(source);
    }
    valid.then_some(sources)
}

/// One element of `sources`.
fn source(item: &Value<'_>, problems: &mut Problems<'_>) -> Option<Source> {
    let Some(name) = item.as_str() else {
        let found = item.as_ref().type_str();
        problems.push(
            item.span,
            format!("a source must be a string, found {found}"),
            Some(format!("sources are {}", suggest::list(&names()))),
        );
        return None;
    };
    let source = Source::from_name(name);
    if source.is_none() {
        let lower = name.to_ascii_lowercase();
        let hint = if let Some(known) = Source::from_name(&lower) {
            format!("source names are lowercase: `{known}`")
        } else if matches!(lower.as_str(), "ghsa" | "github") {
            "GitHub advisories (GHSA) are read through `osv`".to_owned()
        } else {
            suggest::hint(name, &names())
        };
        problems.push(
            item.span,
            format!("unknown advisory source `{name}`"),
            Some(hint),
        );
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &source in Source::ALL {
            assert_eq!(Source::from_name(source.as_str()), Some(source));
        }
        assert_eq!(Source::OsvApi.to_string(), "osv-api");
        assert_eq!(Source::from_name("OSV"), None);
    }
}
