//! What every Python parser shares: the text with its line index (for locations and
//! [`LockfileError::Parse`] errors), PEP 503 names, the public-index test, and typed access to
//! `toml-span` values.

use crate::LockfileError;
use crate::error::span_within;
use secgate_core::{Ecosystem, LineIndex, Location, Package, PackageSource};
use std::ops::Range;
use toml_span::Value;
use toml_span::value::Table;

pub(crate) use secgate_core::pep503_name as normalize;

/// Whether an index URL is the public PyPI, so PyPI advisories apply to what it serves.
///
/// The shared corpus replaces the PyPI hosts by `pypi.invalid` / `files.pypi.invalid`
/// placeholders (see its README); they stand for PyPI and are treated as such.
pub(crate) fn is_default_index(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    matches!(
        host.to_ascii_lowercase().as_str(),
        "pypi.org"
            | "pypi.python.org"
            | "files.pythonhosted.org"
            | "pypi.invalid"
            | "files.pypi.invalid"
    )
}

/// The source of a package served by the index at `url`.
pub(crate) fn index_source(url: &str) -> PackageSource {
    if is_default_index(url) {
        PackageSource::DefaultRegistry
    } else {
        PackageSource::Registry(url.to_owned())
    }
}

/// A `git+https://host/repo@rev` style URL split into URL and revision; a `#fragment` (uv writes
/// the locked commit there) wins over `@rev`.
pub(crate) fn git_source(url: &str, rev: Option<&str>) -> PackageSource {
    let url = url.strip_prefix("git+").unwrap_or(url);
    let (url, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (url, None),
    };
    // A query (`?subdirectory=...`) is not part of the repository URL.
    let url = url.split_once('?').map_or(url, |(u, _)| u);
    // `@rev` only counts after the host part: `ssh://git@host/...` has an `@` that is a user.
    let path_start = url.find("://").map_or(0, |i| i + 3);
    let (url, at_rev) = match url.get(path_start..).and_then(|p| p.rfind('@')) {
        Some(i)
            if url
                .get(path_start..path_start + i)
                .is_some_and(|p| p.contains('/')) =>
        {
            (
                url.get(..path_start + i).unwrap_or(url),
                url.get(path_start + i + 1..),
            )
        }
        _ => (url, None),
    };
    let rev = rev
        .or(fragment.filter(|f| !f.contains('=')))
        .or(at_rev)
        .filter(|r| !r.is_empty());
    PackageSource::Git {
        url: url.to_owned(),
        rev: rev.map(str::to_owned),
    }
}

/// A `sha256:<hex>` checksum from an algorithm and a hex digest, when the algorithm is sha256.
pub(crate) fn sha256(algorithm: &str, hex: &str) -> Option<String> {
    (algorithm.eq_ignore_ascii_case("sha256") && !hex.is_empty())
        .then(|| format!("sha256:{}", hex.to_ascii_lowercase()))
}

/// A `sha256:<hex>` string as written in poetry, uv and Pipfile lockfiles, if it is one.
pub(crate) fn sha256_prefixed(hash: &str) -> Option<String> {
    let (algorithm, hex) = hash.split_once(':')?;
    sha256(algorithm, hex)
}

/// One file's text, path and line index.
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub path: &'a str,
    lines: LineIndex,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, path: &'a str) -> Self {
        Self {
            text,
            path,
            lines: LineIndex::new(text),
        }
    }

    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        self.lines.line_col(self.text, offset)
    }

    /// Byte offset of the end of the line holding `offset`, without its line break.
    pub fn line_end(&self, offset: usize) -> usize {
        let rest = self.text.get(offset..).unwrap_or_default();
        let end = rest.find('\n').map_or(self.text.len(), |i| offset + i);
        if self.text.get(..end).is_some_and(|s| s.ends_with('\r')) && end > offset {
            end - 1
        } else {
            end
        }
    }

    /// A [`LockfileError::Parse`] about `span`.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> LockfileError {
        let (line, column) = self.line_col(span.start);
        LockfileError::Parse {
            path: self.path.to_owned(),
            line,
            column,
            span,
            message: message.into(),
        }
    }

    /// The location of an entry that starts at `start`; the span runs to the end of `end`'s line.
    pub fn location(&self, start: usize, end: usize) -> Location {
        let (line, column) = self.line_col(start);
        Location {
            path: self.path.to_owned(),
            line,
            column,
            span: Some(start..self.line_end(end.max(start))),
        }
    }

    /// Parses the text as TOML; syntax errors become [`LockfileError::Parse`].
    pub fn toml(&self) -> Result<Value<'a>, LockfileError> {
        toml_span::parse(self.text).map_err(|e| {
            let span = span_within(self.text, e.span.into());
            self.error(span, format!("invalid TOML: {}", e.kind))
        })
    }

    /// `key` of `table` as a string, if present; another type is an error.
    pub fn str_of<'v>(
        &self,
        table: &'v Table<'_>,
        key: &str,
    ) -> Result<Option<(&'v str, Range<usize>)>, LockfileError> {
        match table.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .map(|s| Some((s, value.span.into())))
                .ok_or_else(|| self.wrong_type(key, "a string", value)),
        }
    }

    /// `key` of `table` as an array, empty when absent.
    pub fn array_of<'v, 'de>(
        &self,
        table: &'v Table<'de>,
        key: &str,
    ) -> Result<&'v [Value<'de>], LockfileError> {
        match table.get(key) {
            None => Ok(&[]),
            Some(value) => value
                .as_array()
                .map(Vec::as_slice)
                .ok_or_else(|| self.wrong_type(key, "an array", value)),
        }
    }

    /// `key` of `table` as a table, if present.
    pub fn table_of<'v, 'de>(
        &self,
        table: &'v Table<'de>,
        key: &str,
    ) -> Result<Option<&'v Table<'de>>, LockfileError> {
        match table.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_table()
                .map(Some)
                .ok_or_else(|| self.wrong_type(key, "a table", value)),
        }
    }

    /// `value` as a table.
    pub fn as_table<'v, 'de>(
        &self,
        key: &str,
        value: &'v Value<'de>,
    ) -> Result<&'v Table<'de>, LockfileError> {
        value
            .as_table()
            .ok_or_else(|| self.wrong_type(key, "a table", value))
    }

    pub fn wrong_type(&self, key: &str, expected: &str, value: &Value<'_>) -> LockfileError {
        self.error(
            value.span.into(),
            format!(
                "`{key}` must be {expected}, found {}",
                value.as_ref().type_str()
            ),
        )
    }

    /// The name and version of a TOML package entry whose header starts at `header`.
    /// `version` may be missing only where `version_optional` (workspace members, VCS and
    /// directory packages, whose version is dynamic); it is then empty.
    pub fn name_version(
        &self,
        table: &Table<'_>,
        header: usize,
        entry: &str,
        version_optional: bool,
    ) -> Result<(String, String), LockfileError> {
        let header_span = header..self.line_end(header);
        let (name, _) = self.str_of(table, "name")?.ok_or_else(|| {
            self.error(
                header_span.clone(),
                format!("`{entry}` entry has no `name`"),
            )
        })?;
        let version = match self.str_of(table, "version")? {
            Some((v, _)) => v.to_owned(),
            None if version_optional => String::new(),
            None => {
                return Err(self.error(
                    header_span,
                    format!("`{entry}` entry `{name}` has no `version`"),
                ));
            }
        };
        Ok((normalize(name), version))
    }
}

/// A PyPI package with everything but the parts each format fills in.
pub(crate) fn package(name: String, version: String, location: Location) -> Package {
    Package {
        name,
        version,
        ecosystem: Ecosystem::PyPI,
        source: PackageSource::DefaultRegistry,
        checksum: None,
        dependencies: Vec::new(),
        direct: None,
        dev: false,
        location,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalize("Foo.Bar__baz-_qux"), "foo-bar-baz-qux");
        assert_eq!(normalize("typing_extensions"), "typing-extensions");
    }

    #[test]
    fn git_urls_split() {
        assert_eq!(
            git_source("git+https://github.com/a/b@v1.0#egg=b", None),
            PackageSource::Git {
                url: "https://github.com/a/b".into(),
                rev: Some("v1.0".into())
            }
        );
        assert_eq!(
            git_source("https://github.com/a/b#6f657b30", None),
            PackageSource::Git {
                url: "https://github.com/a/b".into(),
                rev: Some("6f657b30".into())
            }
        );
        assert_eq!(
            git_source("ssh://git@github.com/a/b", None),
            PackageSource::Git {
                url: "ssh://git@github.com/a/b".into(),
                rev: None
            }
        );
    }

    #[test]
    fn public_index_is_recognised() {
        assert!(is_default_index("https://pypi.org/simple"));
        assert!(is_default_index("https://pypi.invalid/simple"));
        assert!(!is_default_index("https://example.com/pypi/simple"));
    }
}
