//! One pip requirement (PEP 508 with pip's URL forms) judged for pinning: `name==1.2.3` and
//! `name===1.2.3` are pinned; a range, a wildcard (`==1.*`) or a bare name is not; a VCS URL is
//! pinned only by a full commit after `@`, an archive URL only by a `#sha256=` hash; a local
//! path is the project's own code. Shared by requirements files and `pip install` commands.

use super::url::{egg, is_url_or_path, judge_url};

/// What a requirement pins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// One exact version, a VCS commit, or an archive URL with a hash.
    Pinned,
    /// A local path (`.`, `./pkg`, `file:`): the project's own code.
    Local,
    /// Anything else.
    Unpinned(Loose),
}

/// Why a requirement is not pinned, and its pinned form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Loose {
    /// Says what is wrong (completes "`numpy` ...").
    pub why: String,
    /// The requirement written pinned, with placeholders (`numpy==X.Y.Z`).
    pub pinned: String,
}

/// A requirement as parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Parsed<'a> {
    /// The project name as written, when there is one (`#egg=` for a bare URL).
    pub name: Option<&'a str>,
    /// Bytes of the input that are the requirement itself (name, extras, version or URL),
    /// without the environment marker and trailing space.
    pub len: usize,
    /// What it pins.
    pub verdict: Verdict,
    /// Whether the requirement carries its own content hash: an archive URL with `#sha256=`,
    /// or a VCS URL pinned to a full commit (a hash of the tree).
    pub self_hashed: bool,
}

/// PEP 503 normalized name: lower-case, runs of `-`, `_`, `.` become one `-`.
pub(crate) fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Judges one requirement (the text after any leading whitespace, options already removed).
pub(crate) fn judge(spec: &str) -> Parsed<'_> {
    let spec = spec.trim_end();
    if is_url_or_path(spec) {
        let len = spec.find(char::is_whitespace).unwrap_or(spec.len());
        let url = &spec[..len];
        let (verdict, self_hashed) = judge_url(url, None);
        return Parsed {
            name: egg(url),
            len,
            verdict,
            self_hashed,
        };
    }
    let name_len = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = &spec[..name_len];
    let mut rest = spec[name_len..].trim_start();
    let mut at = spec.len() - rest.len();
    if rest.starts_with('[') {
        let close = rest.find(']').map_or(rest.len(), |i| i + 1);
        rest = rest[close..].trim_start();
        at = spec.len() - rest.len();
    }
    if let Some(url) = rest.strip_prefix('@') {
        let url = url.trim_start();
        let url_start = spec.len() - url.len();
        let url_len = url.find(char::is_whitespace).unwrap_or(url.len());
        let (verdict, self_hashed) = judge_url(&url[..url_len], Some(name));
        return Parsed {
            name: Some(name).filter(|n| !n.is_empty()),
            len: url_start + url_len,
            verdict,
            self_hashed,
        };
    }
    let version_end = rest.find(';').map_or(spec.len(), |i| at + i);
    let version = spec[at..version_end].trim_end();
    let len = if version.is_empty() {
        name_len
    } else {
        at + version.len()
    };
    Parsed {
        name: Some(name).filter(|n| !n.is_empty()),
        len,
        verdict: judge_version(name, version),
        self_hashed: false,
    }
}

/// `==1.2.3` pins; anything else does not.
fn judge_version(name: &str, version: &str) -> Verdict {
    let pinned = format!("{name}==X.Y.Z");
    let clauses: Vec<&str> = version
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if name.is_empty() {
        return Verdict::Unpinned(Loose {
            why: "is not a requirement pip understands, so nothing is pinned".to_owned(),
            pinned: "NAME==X.Y.Z".to_owned(),
        });
    }
    if clauses.is_empty() {
        return Verdict::Unpinned(Loose {
            why: "has no version, so whatever is newest is installed".to_owned(),
            pinned,
        });
    }
    let exact: Vec<&str> = clauses
        .iter()
        .filter(|c| c.starts_with("==") && !c.starts_with("==="))
        .map(|c| c[2..].trim())
        .chain(
            clauses
                .iter()
                .filter_map(|c| c.strip_prefix("==="))
                .map(str::trim),
        )
        .collect();
    match exact.as_slice() {
        [one] if !one.contains('*') && !one.is_empty() => Verdict::Pinned,
        [one] if one.contains('*') => Verdict::Unpinned(Loose {
            why: "is a wildcard that accepts every matching release".to_owned(),
            pinned,
        }),
        _ => Verdict::Unpinned(Loose {
            why: "accepts a range of versions, so each install may get a different one".to_owned(),
            pinned,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(spec: &str) -> Verdict {
        judge(spec).verdict
    }

    fn loose(spec: &str) -> Loose {
        match verdict(spec) {
            Verdict::Unpinned(loose) => loose,
            other => panic!("{spec} is {other:?}"),
        }
    }

    #[test]
    fn exact_versions_pin() {
        assert_eq!(verdict("numpy==1.26.4"), Verdict::Pinned);
        assert_eq!(verdict("numpy === 1.26.4"), Verdict::Pinned);
        assert_eq!(verdict("celery[redis]==5.6.3"), Verdict::Pinned);
        assert_eq!(
            verdict("foo==1.0 ; python_version < \"3.8\""),
            Verdict::Pinned
        );
        assert_eq!(verdict("foo (==1.0)"), Verdict::Pinned);
        assert_eq!(verdict("foo==1.0,!=1.1"), Verdict::Pinned);
    }

    #[test]
    fn ranges_wildcards_and_bare_names_do_not() {
        assert!(loose("numpy").why.contains("no version"));
        assert_eq!(loose("numpy").pinned, "numpy==X.Y.Z");
        assert!(loose("foo==1.*").why.contains("wildcard"));
        assert!(
            loose("triton>=2.0.0;platform_machine==\"x86_64\"")
                .why
                .contains("range")
        );
        assert!(loose("foo~=1.2").why.contains("range"));
        assert!(loose("foo>=1,<2").why.contains("range"));
        assert!(loose("foo==1.0,==1.1").why.contains("range"));
    }

    #[test]
    fn the_requirement_span_excludes_the_marker() {
        let spec = "triton>=2.0.0;platform_machine==\"x86_64\"";
        assert_eq!(&spec[..judge(spec).len], "triton>=2.0.0");
        let spec = "foo [bar] >= 1.0 ; python_version < \"3.8\"";
        assert_eq!(&spec[..judge(spec).len], "foo [bar] >= 1.0");
        assert_eq!(judge("numpy").len, 5);
        assert_eq!(judge("numpy  ").len, 5);
        assert_eq!(judge("foo @ https://x/foo.whl ; os_name == 'nt'").len, 23);
    }

    #[test]
    fn names_normalize_like_pep_503() {
        assert_eq!(normalize("Foo__Bar.-baz"), "foo-bar-baz");
        assert_eq!(normalize("more-itertools"), "more-itertools");
    }
}
