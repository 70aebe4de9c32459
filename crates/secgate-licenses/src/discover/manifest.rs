//! The few keys of a `Cargo.toml` that licence discovery reads, parsed with `toml-span` so every
//! problem has a real line and column:
//!
//! - `[package]` (or the pre-2018 `[project]`): `name`, `version`, `license`, `license-file`, and
//!   `workspace` (an explicit path to the workspace root);
//! - `[workspace]`: whether the manifest is a workspace root, and `[workspace.package]`
//!   `version`, `license` and `license-file` for members that inherit them.
//!
//! `version`, `license` and `license-file` may be `{ workspace = true }` (dotted:
//! `license.workspace = true`); [`Field::Inherited`] keeps where, so a missing workspace value
//! can be reported at the member's line. Every other key is ignored.

use super::DiscoverError;
use secgate_core::LineIndex;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml_span::Value;
use toml_span::value::Table;

/// A `[package]` key that may be inherited from the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Field {
    /// Not in the manifest.
    Absent,
    /// A string value.
    Value(String),
    /// `{ workspace = true }`, at this place in the manifest.
    Inherited {
        /// 1-based line of the key.
        line: u32,
        /// 1-based column of the key.
        column: u32,
        /// From the key to the end of the value.
        span: Range<usize>,
    },
}

/// `[package]` keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PackageKeys {
    pub name: String,
    pub version: Field,
    pub license: Field,
    pub license_file: Field,
    /// `package.workspace`: the workspace root's directory, relative to this manifest's.
    pub workspace: Option<String>,
}

/// `[workspace.package]` keys of a workspace root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct WorkspaceKeys {
    pub version: Option<String>,
    pub license: Option<String>,
    pub license_file: Option<String>,
}

/// What one `Cargo.toml` says about licences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Manifest {
    /// The file it was read from.
    pub path: PathBuf,
    /// `[package]`, absent in a virtual workspace manifest.
    pub package: Option<PackageKeys>,
    /// `[workspace]`, present when this manifest is a workspace root.
    pub workspace: Option<WorkspaceKeys>,
}

impl Manifest {
    /// The directory holding the manifest (the package root).
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// Parses `text`, read from `path`.
pub(super) fn parse_manifest(text: &str, path: &Path) -> Result<Manifest, DiscoverError> {
    let cx = Cx { text, path };
    let root = toml_span::parse(text).map_err(|e| cx.error(e.span.into(), e.to_string()))?;
    let Some(top) = root.as_table() else {
        return Err(cx.error(0..0, "a manifest must be a TOML table".to_owned()));
    };
    let package = match top.get("package").or_else(|| top.get("project")) {
        Some(value) => Some(cx.package(value)?),
        None => None,
    };
    let workspace = match top.get("workspace") {
        Some(value) => Some(cx.workspace(value)?),
        None => None,
    };
    Ok(Manifest {
        path: path.to_owned(),
        package,
        workspace,
    })
}

/// Like [`parse_manifest`], reading only the text up to the end of the `[package]` table when
/// that parses: the rest (dependencies, features: 60 kB in `web-sys`) is never needed for a
/// registry package, whose published manifest is normalized with `[package]` first. A cut
/// inside a multi-line string fails to parse, and then the whole text is parsed, so the result
/// (and any error) is the same as [`parse_manifest`]'s. `workspace` is never read.
pub(super) fn parse_package_table(text: &str, path: &Path) -> Result<Manifest, DiscoverError> {
    if let Some(head) = package_section(text)
        && let Ok(manifest) = parse_manifest(head, path)
        && manifest.package.is_some()
    {
        return Ok(manifest);
    }
    parse_manifest(text, path)
}

/// The text from the start to the first table header after `[package]`.
fn package_section(text: &str) -> Option<&str> {
    let mut offset = 0;
    let mut in_package = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            if in_package {
                return Some(&text[..offset]);
            }
            let header = trimmed.split('#').next().unwrap_or_default().trim_end();
            in_package = header == "[package]";
        }
        offset += line.len();
    }
    in_package.then_some(text)
}

struct Cx<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Cx<'_> {
    fn package(&self, value: &Value<'_>) -> Result<PackageKeys, DiscoverError> {
        let table = self.table(value, "package")?;
        let name = match table.get("name") {
            Some(v) => self.string(v, "package.name")?,
            None => {
                return Err(self.error(value.span.into(), "`[package]` has no `name`".to_owned()));
            }
        };
        Ok(PackageKeys {
            name,
            version: self.field(table, "version")?,
            license: self.field(table, "license")?,
            license_file: self.field(table, "license-file")?,
            workspace: table
                .get("workspace")
                .map(|v| self.string(v, "package.workspace"))
                .transpose()?,
        })
    }

    fn workspace(&self, value: &Value<'_>) -> Result<WorkspaceKeys, DiscoverError> {
        let table = self.table(value, "workspace")?;
        let Some(package) = table.get("package") else {
            return Ok(WorkspaceKeys::default());
        };
        let package = self.table(package, "workspace.package")?;
        let key = |name: &str| {
            package
                .get(name)
                .map(|v| self.string(v, &format!("workspace.package.{name}")))
                .transpose()
        };
        Ok(WorkspaceKeys {
            version: key("version")?,
            license: key("license")?,
            license_file: key("license-file")?,
        })
    }

    /// A `[package]` key that is a string or `{ workspace = true }`.
    fn field(&self, package: &Table<'_>, key: &str) -> Result<Field, DiscoverError> {
        let Some((name, value)) = package.get_key_value(key) else {
            return Ok(Field::Absent);
        };
        if let Some(s) = value.as_str() {
            return Ok(Field::Value(s.to_owned()));
        }
        let inherited = value.as_table().is_some_and(|t| {
            t.len() == 1 && t.get("workspace").and_then(Value::as_bool) == Some(true)
        });
        if inherited {
            // From the key: a dotted `license.workspace = true` has no span of its own.
            let start = name.span.start;
            let (line, column) = self.line_col(start);
            return Ok(Field::Inherited {
                line,
                column,
                span: start..value.span.end.max(start),
            });
        }
        Err(self.error(
            value.span.into(),
            format!("`package.{key}` must be a string or `{{ workspace = true }}`"),
        ))
    }

    fn table<'v, 'de>(
        &self,
        value: &'v Value<'de>,
        key: &str,
    ) -> Result<&'v Table<'de>, DiscoverError> {
        value
            .as_table()
            .ok_or_else(|| self.error(value.span.into(), format!("`{key}` must be a table")))
    }

    fn string(&self, value: &Value<'_>, key: &str) -> Result<String, DiscoverError> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.error(value.span.into(), format!("`{key}` must be a string")))
    }

    fn line_col(&self, offset: usize) -> (u32, u32) {
        LineIndex::new(self.text).line_col(self.text, offset)
    }

    fn error(&self, span: Range<usize>, message: String) -> DiscoverError {
        let (line, column) = self.line_col(span.start);
        DiscoverError::Manifest {
            path: self.path.to_owned(),
            line,
            column,
            span,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Manifest, DiscoverError> {
        parse_manifest(text, Path::new("x/Cargo.toml"))
    }

    #[test]
    fn reads_package_and_workspace_keys() {
        let m = parse(
            "[package]\nname = \"a\"\nversion = \"1.2.3\"\nlicense = \"MIT OR Apache-2.0\"\n\
             license-file = \"LICENSE\"\ndescription = \"ignored\"\n\
             [workspace.package]\nlicense = \"MIT\"\nversion = \"0.1.0\"\n",
        )
        .unwrap();
        assert_eq!(m.dir(), Path::new("x"));
        let p = m.package.unwrap();
        assert_eq!(p.name, "a");
        assert_eq!(p.version, Field::Value("1.2.3".into()));
        assert_eq!(p.license, Field::Value("MIT OR Apache-2.0".into()));
        assert_eq!(p.license_file, Field::Value("LICENSE".into()));
        let w = m.workspace.unwrap();
        assert_eq!(w.license.as_deref(), Some("MIT"));
        assert_eq!(w.version.as_deref(), Some("0.1.0"));
        assert_eq!(w.license_file, None);
    }

    #[test]
    fn inherited_keys_keep_their_line() {
        let m = parse(
            "[package]\nname = \"a\"\nversion.workspace = true\n\
             license = { workspace = true }\n",
        )
        .unwrap();
        let p = m.package.unwrap();
        assert!(matches!(p.version, Field::Inherited { line: 3, .. }));
        assert!(matches!(
            p.license,
            Field::Inherited {
                line: 4,
                column: 1,
                ..
            }
        ));
        assert_eq!(p.license_file, Field::Absent);
        assert!(m.workspace.is_none());
    }

    #[test]
    fn package_table_alone_is_read_when_it_parses() {
        let text = "# generated\n[package]\nname = \"a\"\nversion = \"1.0.0\"\n\
                    license = \"MIT\"\n\n[package.metadata.docs.rs]\nall-features = true\n\
                    [features]\nx = []\n";
        assert_eq!(
            package_section(text),
            Some(
                "# generated\n[package]\nname = \"a\"\nversion = \"1.0.0\"\nlicense = \"MIT\"\n\n"
            )
        );
        let m = parse_package_table(text, Path::new("Cargo.toml")).unwrap();
        assert_eq!(m.package.unwrap().license, Field::Value("MIT".into()));

        // A header-like line inside a multi-line string cuts the string: the whole text is read.
        let text = "[package]\nname = \"a\"\ndescription = \"\"\"\n[not a table]\n\"\"\"\n\
                    license = \"ISC\"\n[dependencies]\n";
        let m = parse_package_table(text, Path::new("Cargo.toml")).unwrap();
        assert_eq!(m.package.unwrap().license, Field::Value("ISC".into()));

        // No `[package]` header: the whole text decides, errors included.
        assert_eq!(package_section("package = { name = \"a\" }\n"), None);
        let err = parse_package_table("[dependencies]\nx = \n", Path::new("Cargo.toml"));
        assert_eq!(err.unwrap_err().line_column().map(|(l, _)| l), Some(2));
    }

    #[test]
    fn virtual_manifest_has_no_package() {
        let m = parse("[workspace]\nmembers = [\"a\"]\n").unwrap();
        assert!(m.package.is_none());
        assert_eq!(m.workspace, Some(WorkspaceKeys::default()));
    }

    #[test]
    fn wrong_types_and_syntax_point_at_the_line() {
        let err = parse("[package]\nname = \"a\"\nlicense = 3\n").unwrap_err();
        let DiscoverError::Manifest {
            line,
            column,
            message,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!((*line, *column), (3, 11));
        assert!(
            message.contains("`package.license` must be a string"),
            "{message}"
        );
        assert!(err.to_string().starts_with("x/Cargo.toml:3:11: "), "{err}");

        let err = parse("[package]\nname = \"a\"\nlicense = { workspace = false }\n").unwrap_err();
        assert_eq!(err.line_column(), Some((3, 11)));

        let err = parse("[package]\nversion = \"1.0.0\"\n").unwrap_err();
        assert!(err.to_string().contains("has no `name`"), "{err}");

        let err = parse("[package]\nname = \"a\"\nlicense = \"MIT\n").unwrap_err();
        assert_eq!(err.line_column().map(|(l, _)| l), Some(3), "{err}");
    }
}
