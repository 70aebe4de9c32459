//! `Cargo.lock` parsing, for every format Cargo has written, keeping the line of each entry.
//!
//! | format | how it is recognised | checksums | dependency strings |
//! |---|---|---|---|
//! | 1 | no `version`; `[metadata]` `"checksum NAME VERSION (SOURCE)"` keys or a `[root]` table | in `[metadata]` (`<none>` = none) | `name version (source)` |
//! | 2 | no `version`, none of the above | inline `checksum` | `name`, `name version`, or with `(source)` |
//! | 3 | `version = 3` | inline | as 2 |
//! | 4 | `version = 4` | inline | as 2 |
//!
//! The text is parsed once with `toml-span`; each `[[package]]` table's span starts at its
//! header, so an entry's line comes from one [`LineIndex`] lookup, never from rescanning the
//! text. Keys Cargo may add over time (`replace`, ...) are ignored; the keys read here must have
//! the right type.

use crate::LockfileError;
use crate::cargo_source::{checksum_key, checksum_value, parse_source};
use crate::error::span_within;
use secgate_core::{Ecosystem, LineIndex, Location, Package};
use std::collections::HashMap;
use std::ops::Range;
use toml_span::value::Table;
use toml_span::{Span, Value};

/// One lockfile that was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lockfile {
    /// Path relative to the inventory root, `/`-separated (as given to the parser).
    pub path: String,
    /// The whole text, for snippets.
    pub text: String,
    /// The file's format version: Cargo 1 to 4, npm `lockfileVersion`, pnpm and uv `lockVersion`
    /// major; 0 where the format has none (requirements, yarn v1).
    pub format_version: u32,
    /// Locked packages in file order (a v1 `[root]` first).
    pub packages: Vec<Package>,
}

/// Parses one `Cargo.lock` text. `path` is used in locations and errors.
pub fn parse_cargo_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let (format_version, packages) = parse_text(text, path)?;
    Ok(Lockfile {
        path: path.to_owned(),
        text: text.to_owned(),
        format_version,
        packages,
    })
}

/// Parses one `Cargo.lock` file's bytes, which must be UTF-8. `path` is used in locations and
/// errors.
pub fn parse_cargo_lock_bytes(bytes: Vec<u8>, path: &str) -> Result<Lockfile, LockfileError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bad = e.utf8_error().error_len().unwrap_or(1);
        // The prefix before the first bad byte is valid, so it can be indexed.
        let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
        let (line, column) = LineIndex::new(prefix).line_col(prefix, valid);
        LockfileError::NotUtf8 {
            path: path.to_owned(),
            line,
            column,
            span: valid..valid + bad,
            source: e.utf8_error(),
        }
    })?;
    let (format_version, packages) = parse_text(&text, path)?;
    Ok(Lockfile {
        path: path.to_owned(),
        text,
        format_version,
        packages,
    })
}

fn parse_text(text: &str, path: &str) -> Result<(u32, Vec<Package>), LockfileError> {
    let cx = Cx {
        text,
        path,
        lines: LineIndex::new(text),
    };
    let root = toml_span::parse(text).map_err(|source| {
        let span = span_within(text, source.span.into());
        let (line, column) = cx.line_col(span.start);
        LockfileError::Toml {
            path: path.to_owned(),
            line,
            column,
            span,
            source: Box::new(source),
        }
    })?;
    let Some(top) = root.as_table() else {
        return Err(cx.no_packages());
    };

    let explicit_version = top
        .get("version")
        .map(|v| cx.format_version(v))
        .transpose()?;
    let checksums = match top.get("metadata") {
        Some(metadata) => cx.metadata_checksums(metadata)?,
        None => HashMap::new(),
    };

    let mut packages = Vec::new();
    let root_table = top.get("root");
    if let Some(entry) = root_table {
        packages.push(cx.package(entry, "[root]", &checksums)?);
    }
    if let Some(array) = top.get("package") {
        let entries = array
            .as_array()
            .ok_or_else(|| cx.wrong_type("package", "an array of tables", array))?;
        packages.reserve(entries.len());
        for entry in entries {
            packages.push(cx.package(entry, "[[package]]", &checksums)?);
        }
    }
    if packages.is_empty() {
        return Err(cx.no_packages());
    }

    let format_version =
        explicit_version.unwrap_or(if !checksums.is_empty() || root_table.is_some() {
            1
        } else {
            2
        });
    Ok((format_version, packages))
}

/// What every error and location needs: the text, its path and its line index.
struct Cx<'a> {
    text: &'a str,
    path: &'a str,
    lines: LineIndex,
}

impl Cx<'_> {
    fn line_col(&self, offset: usize) -> (u32, u32) {
        self.lines.line_col(self.text, offset)
    }

    /// Byte offset of the end of the line holding `offset`, without its `\r\n` or `\n`.
    fn line_end(&self, offset: usize) -> usize {
        let rest = self.text.get(offset..).unwrap_or_default();
        let end = rest.find('\n').map_or(self.text.len(), |i| offset + i);
        if end > offset && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        }
    }

    fn no_packages(&self) -> LockfileError {
        LockfileError::NoPackages {
            path: self.path.to_owned(),
            line: 1,
            column: 1,
            span: 0..0,
        }
    }

    fn wrong_type(&self, key: &str, expected: &'static str, value: &Value<'_>) -> LockfileError {
        let (line, column) = self.line_col(value.span.start);
        LockfileError::WrongType {
            path: self.path.to_owned(),
            line,
            column,
            span: value.span.into(),
            key: key.to_owned(),
            expected,
            found: value.as_ref().type_str(),
        }
    }

    /// The top-level `version = N`: 3 or 4.
    fn format_version(&self, value: &Value<'_>) -> Result<u32, LockfileError> {
        match value.as_integer() {
            Some(3) => Ok(3),
            Some(4) => Ok(4),
            Some(version) => {
                let (line, column) = self.line_col(value.span.start);
                Err(LockfileError::UnsupportedVersion {
                    path: self.path.to_owned(),
                    line,
                    column,
                    span: value.span.into(),
                    version,
                })
            }
            None => Err(self.wrong_type("version", "an integer", value)),
        }
    }

    /// v1 `[metadata]` checksums, keyed by `NAME VERSION (SOURCE)`; other keys are ignored.
    fn metadata_checksums<'v>(
        &self,
        metadata: &'v Value<'_>,
    ) -> Result<HashMap<&'v str, &'v str>, LockfileError> {
        let table = metadata
            .as_table()
            .ok_or_else(|| self.wrong_type("metadata", "a table", metadata))?;
        let mut checksums = HashMap::with_capacity(table.len());
        for (key, value) in table {
            if let Some(id) = key.name.strip_prefix("checksum ") {
                let sum = value
                    .as_str()
                    .ok_or_else(|| self.wrong_type(&key.name, "a string", value))?;
                checksums.insert(id, sum);
            }
        }
        Ok(checksums)
    }

    /// A string-valued key of `table`, with the span of its value.
    fn string<'v>(
        &self,
        table: &'v Table<'_>,
        key: &'static str,
    ) -> Result<Option<(&'v str, Span)>, LockfileError> {
        table.get(key).map_or(Ok(None), |value| {
            value
                .as_str()
                .map(|s| Some((s, value.span)))
                .ok_or_else(|| self.wrong_type(key, "a string", value))
        })
    }

    fn missing(&self, header: usize, table: &'static str, key: &'static str) -> LockfileError {
        let (line, column) = self.line_col(header);
        LockfileError::MissingKey {
            path: self.path.to_owned(),
            line,
            column,
            span: header..self.line_end(header),
            table,
            key,
        }
    }

    /// One `[[package]]` (or `[root]`) entry.
    fn package(
        &self,
        entry: &Value<'_>,
        table_name: &'static str,
        checksums: &HashMap<&str, &str>,
    ) -> Result<Package, LockfileError> {
        let key = if table_name == "[root]" {
            "root"
        } else {
            "package"
        };
        let table = entry
            .as_table()
            .ok_or_else(|| self.wrong_type(key, "a table", entry))?;
        // toml-span starts a table's span at its header (`[[package]]`), not at its first key.
        let header = entry.span.start;
        let (name, name_span) = self
            .string(table, "name")?
            .ok_or_else(|| self.missing(header, table_name, "name"))?;
        let (version, version_span) = self
            .string(table, "version")?
            .ok_or_else(|| self.missing(header, table_name, "version"))?;
        if let Err(source) = semver::Version::parse(version) {
            let (line, column) = self.line_col(version_span.start);
            return Err(LockfileError::InvalidVersion {
                path: self.path.to_owned(),
                line,
                column,
                span: version_span.into(),
                name: name.to_owned(),
                version: version.to_owned(),
                source,
            });
        }
        let source = self.string(table, "source")?.map(|(s, _)| s);
        let checksum = match self.string(table, "checksum")? {
            Some((sum, _)) => Some(sum),
            None => source
                .and_then(|s| checksums.get(checksum_key(name, version, s).as_str()))
                .and_then(|sum| checksum_value(sum)),
        };
        let dependencies = match table.get("dependencies") {
            Some(value) => self.dependencies(value)?,
            None => Vec::new(),
        };

        let (line, column) = self.line_col(header);
        let end = self.line_end(name_span.end.max(version_span.end));
        Ok(Package {
            name: name.to_owned(),
            version: version.to_owned(),
            ecosystem: Ecosystem::CratesIo,
            source: parse_source(source),
            checksum: checksum.map(str::to_owned),
            dependencies,
            // Cargo.lock does not say which packages are direct or only for development.
            direct: None,
            dev: false,
            location: Location {
                path: self.path.to_owned(),
                line,
                column,
                span: Some(Range { start: header, end }),
            },
        })
    }

    fn dependencies(&self, value: &Value<'_>) -> Result<Vec<String>, LockfileError> {
        const EXPECTED: &str = "an array of strings";
        let items = value
            .as_array()
            .ok_or_else(|| self.wrong_type("dependencies", EXPECTED, value))?;
        items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| self.wrong_type("dependencies", EXPECTED, item))
            })
            .collect()
    }
}
