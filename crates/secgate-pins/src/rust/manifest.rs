//! The parts of a `Cargo.toml` the pinning gate reads, with spans:
//!
//! - `[package]` (or the pre-2018 `[project]`): `name`, `version`, `publish`, `workspace`;
//! - `[workspace]`: `members`, `exclude`, `[workspace.package]` `version` and `publish`,
//!   `[workspace.dependencies]`;
//! - every dependency table ([`package_deps`]), and `[patch.*]` / `[replace]`.
//!
//! A manifest that is not valid TOML is an error; a key of an unexpected type is treated as
//! absent (Cargo reports those itself).

use super::dep::{Dep, package_deps, patch_deps, table_deps};
use super::spanned::{Spanned, entry, header, inherits, parse, string, strings};
use crate::{PinsError, SourceFile};
use std::ops::Range;
use toml_span::Value;
use toml_span::value::Table;

/// A `[package]` key that may be inherited from `[workspace.package]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Field<T> {
    /// Not written.
    Absent,
    /// Written in the manifest, at `span`.
    Value(T, Range<usize>),
    /// `key.workspace = true`, with the span of the key.
    Inherited(Range<usize>),
}

/// `[package]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Package {
    /// `name`.
    pub name: String,
    /// The `[package]` header (or the `package` key).
    pub header: Range<usize>,
    /// `version`.
    pub version: Field<String>,
    /// `publish`: `false` and `[]` mean not published.
    pub publish: Field<bool>,
    /// `workspace = "../root"`: the workspace root's directory, relative to this one.
    pub workspace: Option<String>,
}

/// `[workspace]` of a workspace root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Workspace {
    /// The `[workspace]` header (or the `workspace` key).
    pub header: Range<usize>,
    /// `members` globs.
    pub members: Vec<String>,
    /// `exclude` paths.
    pub exclude: Vec<String>,
    /// `[workspace.package] version`.
    pub version: Option<String>,
    /// `[workspace.package] publish`.
    pub publish: Option<bool>,
    /// `[workspace.dependencies]`.
    pub deps: Vec<Dep>,
}

/// One parsed `Cargo.toml`.
#[derive(Clone, Debug)]
pub(super) struct Manifest<'f> {
    /// The file.
    pub file: &'f SourceFile,
    /// Its directory relative to the scanned root, `/`-separated, `""` for the root itself.
    pub dir: String,
    /// `[package]`, absent in a virtual workspace manifest.
    pub package: Option<Package>,
    /// `[workspace]`, present in a workspace root.
    pub workspace: Option<Workspace>,
    /// The package's dependencies, every kind and target.
    pub deps: Vec<Dep>,
    /// `[patch.*]` and `[replace]` entries (they apply only in a workspace root).
    pub patches: Vec<Dep>,
}

impl<'f> Manifest<'f> {
    /// Parses `file`.
    pub fn parse(file: &'f SourceFile) -> Result<Manifest<'f>, PinsError> {
        let root = parse(file)?;
        let dir = file
            .path
            .rsplit_once('/')
            .map(|(dir, _)| dir.to_owned())
            .unwrap_or_default();
        let mut manifest = Manifest {
            file,
            dir,
            package: None,
            workspace: None,
            deps: Vec::new(),
            patches: Vec::new(),
        };
        let Some(top) = root.as_table() else {
            return Ok(manifest);
        };
        let text = file.text.as_str();
        let package = entry(top, "package").or_else(|| entry(top, "project"));
        if let Some((key, Some(table))) = package.map(|(k, v)| (k, v.as_table())) {
            manifest.package = read_package(table, header(text, key));
        }
        if let Some((key, value)) = entry(top, "workspace") {
            let table = value.as_table();
            let sub = |name: &str| table.and_then(|t| t.get(name));
            let ws_package = sub("package").and_then(Value::as_table);
            manifest.workspace = Some(Workspace {
                header: header(text, key),
                members: table.map(|t| strings(t, "members")).unwrap_or_default(),
                exclude: table.map(|t| strings(t, "exclude")).unwrap_or_default(),
                version: ws_package
                    .and_then(|t| string(t, "version"))
                    .map(|s| s.value),
                publish: ws_package.and_then(|t| t.get("publish")).and_then(publish),
                deps: sub("dependencies")
                    .map(|v| table_deps("workspace.dependencies", v))
                    .unwrap_or_default(),
            });
        }
        if manifest.package.is_some() {
            manifest.deps = package_deps(top);
        }
        manifest.patches = patch_deps(top);
        Ok(manifest)
    }

    /// The package name, or the directory for a virtual manifest (for messages and ids).
    pub fn label(&self) -> String {
        match (&self.package, self.dir.as_str()) {
            (Some(package), _) => package.name.clone(),
            (None, "") => ".".to_owned(),
            (None, dir) => dir.to_owned(),
        }
    }
}

fn read_package(table: &Table<'_>, header: Range<usize>) -> Option<Package> {
    let name = string(table, "name")?.value;
    let version = match entry(table, "version") {
        None => Field::Absent,
        Some((key, value)) if inherits(value) => Field::Inherited(key.span.into()),
        Some((_, value)) => match Spanned::of(value) {
            Some(s) => Field::Value(s.value, s.span),
            None => Field::Absent,
        },
    };
    let publish = match entry(table, "publish") {
        None => Field::Absent,
        Some((key, value)) if inherits(value) => Field::Inherited(key.span.into()),
        Some((_, value)) => match publish(value) {
            Some(p) => Field::Value(p, value.span.into()),
            None => Field::Absent,
        },
    };
    Some(Package {
        name,
        header,
        version,
        publish,
        workspace: string(table, "workspace").map(|s| s.value),
    })
}

/// `publish = false` / `publish = []` is not published; `true` or a list of registries is.
fn publish(value: &Value<'_>) -> Option<bool> {
    value
        .as_bool()
        .or_else(|| value.as_array().map(|registries| !registries.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileKind;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile::new(path, FileKind::CargoManifest, text)
    }

    #[test]
    fn reads_package_workspace_and_patches() {
        let f = file(
            "ws/Cargo.toml",
            r#"[package]
name = "app"
version.workspace = true
publish = []

[workspace]
members = ["crates/*"]
exclude = ["crates/old"]

[workspace.package]
version = "1.2.3"
publish = false

[workspace.dependencies]
serde = "1"

[dependencies]
serde.workspace = true

[patch.crates-io]
serde = { path = "../serde" }
"#,
        );
        let m = Manifest::parse(&f).unwrap();
        assert_eq!(m.dir, "ws");
        let package = m.package.as_ref().unwrap();
        assert_eq!(package.name, "app");
        assert_eq!(&f.text[package.header.clone()], "[package]");
        assert!(matches!(package.version, Field::Inherited(_)));
        assert!(matches!(package.publish, Field::Value(false, _)));
        let ws = m.workspace.as_ref().unwrap();
        assert_eq!(&f.text[ws.header.clone()], "[workspace]");
        assert_eq!(
            (ws.members.as_slice(), ws.exclude.as_slice()),
            (&["crates/*".to_owned()][..], &["crates/old".to_owned()][..])
        );
        assert_eq!(
            (ws.version.as_deref(), ws.publish),
            (Some("1.2.3"), Some(false))
        );
        assert_eq!(ws.deps.len(), 1);
        assert!(m.deps[0].inherits);
        assert_eq!(m.patches[0].path.as_deref(), Some("../serde"));
        assert_eq!(m.label(), "app");
    }

    #[test]
    fn virtual_manifests_and_odd_shapes() {
        let f = file(
            "Cargo.toml",
            "workspace = { members = 3 }\npackage = 1\n[dependencies]\na = \"1\"\n",
        );
        let m = Manifest::parse(&f).unwrap();
        assert!(m.package.is_none());
        assert!(m.workspace.as_ref().unwrap().members.is_empty());
        // Dependencies of a manifest without a package are not read.
        assert!(m.deps.is_empty());
        assert_eq!(m.label(), ".");
        let f = file("a/Cargo.toml", "[package]\nversion = \"1\"\n");
        assert!(Manifest::parse(&f).unwrap().package.is_none());
    }

    #[test]
    fn invalid_toml_is_an_error() {
        let f = file("Cargo.toml", "[package\nname = 1");
        assert!(matches!(
            Manifest::parse(&f),
            Err(PinsError::Parse { line: 1, .. })
        ));
    }
}
