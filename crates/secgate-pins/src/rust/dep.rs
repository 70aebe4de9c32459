//! One dependency entry of a manifest, in any of the shapes Cargo accepts:
//!
//! - `foo = "1.0"` (a bare requirement);
//! - `foo = { version, package, path, git, branch, tag, rev, registry, optional, features, ... }`
//!   (inline, or a `[dependencies.foo]` table);
//! - `foo = { workspace = true, ... }` / `foo.workspace = true` (inherited from the root's
//!   `[workspace.dependencies]`).
//!
//! Keys the gate does not need (`optional`, `features`, `default-features`) are ignored, and an
//! entry of a shape Cargo would reject is skipped rather than reported: the gate judges pins,
//! Cargo judges manifests.

use super::spanned::{Spanned, inherits, string};
use toml_span::Value;
use toml_span::value::{Key, Table};

/// Where a git dependency points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct GitSource {
    /// `git = "URL"`.
    pub url: Spanned,
    /// `branch = "..."`.
    pub branch: Option<Spanned>,
    /// `tag = "..."`.
    pub tag: Option<Spanned>,
    /// `rev = "..."`.
    pub rev: Option<Spanned>,
}

/// One dependency entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Dep {
    /// The key as written (the name the code uses).
    pub key: Spanned,
    /// The real package name: `package = "..."` when renamed, else the key.
    pub name: String,
    /// The table it is in, for messages: `dependencies`, `target.'cfg(unix)'.dev-dependencies`,
    /// `workspace.dependencies`, `patch.crates-io`, `replace`.
    pub section: String,
    /// The version requirement.
    pub version: Option<Spanned>,
    /// `path = "..."`, relative to the manifest's directory.
    pub path: Option<String>,
    /// `git = "..."` and its reference.
    pub git: Option<GitSource>,
    /// `workspace = true`: everything but features comes from `[workspace.dependencies]`.
    pub inherits: bool,
}

impl Dep {
    /// Reads the entry `key = value` of `section`; `None` for shapes Cargo does not accept.
    pub fn parse(section: &str, key: &Key<'_>, value: &Value<'_>) -> Option<Dep> {
        let key = Spanned::key(key);
        let mut dep = Dep {
            name: key.value.clone(),
            key,
            section: section.to_owned(),
            version: None,
            path: None,
            git: None,
            inherits: false,
        };
        if let Some(version) = Spanned::of(value) {
            dep.version = Some(version);
            return Some(dep);
        }
        let table = value.as_table()?;
        if let Some(package) = string(table, "package") {
            dep.name = package.value;
        }
        dep.inherits = inherits(value);
        dep.version = string(table, "version");
        dep.path = string(table, "path").map(|p| p.value);
        dep.git = string(table, "git").map(|url| GitSource {
            url,
            branch: string(table, "branch"),
            tag: string(table, "tag"),
            rev: string(table, "rev"),
        });
        Some(dep)
    }

    /// Whether the dependency comes from a registry (not a path or git checkout).
    pub fn is_registry(&self) -> bool {
        self.path.is_none() && self.git.is_none() && !self.inherits
    }
}

/// Every entry of the dependency table `value` (skipping entries of unknown shape).
pub(super) fn table_deps(section: &str, value: &Value<'_>) -> Vec<Dep> {
    value
        .as_table()
        .map(|table| {
            table
                .iter()
                .filter_map(|(key, value)| Dep::parse(section, key, value))
                .collect()
        })
        .unwrap_or_default()
}

/// The dependency tables of a package: `[dependencies]`, `[dev-dependencies]`,
/// `[build-dependencies]` (and their old `_` spellings), also under every
/// `[target.'cfg(..)']` or `[target.<triple>]`.
pub(super) fn package_deps(top: &Table<'_>) -> Vec<Dep> {
    let mut deps = kinds(top, "");
    if let Some(targets) = top.get("target").and_then(Value::as_table) {
        for (target, value) in targets {
            if let Some(table) = value.as_table() {
                deps.extend(kinds(table, &format!("target.'{}'.", target.name)));
            }
        }
    }
    deps
}

fn kinds(table: &Table<'_>, prefix: &str) -> Vec<Dep> {
    const KINDS: [&str; 5] = [
        "dependencies",
        "dev-dependencies",
        "dev_dependencies",
        "build-dependencies",
        "build_dependencies",
    ];
    let mut deps = Vec::new();
    for kind in KINDS {
        if let Some(value) = table.get(kind) {
            deps.extend(table_deps(&format!("{prefix}{kind}"), value));
        }
    }
    deps
}

/// The entries of `[patch.<source>]` and `[replace]`. A `[replace]` key is `name:version`;
/// its name is the part before the colon.
pub(super) fn patch_deps(top: &Table<'_>) -> Vec<Dep> {
    let mut deps = Vec::new();
    if let Some(sources) = top.get("patch").and_then(Value::as_table) {
        for (source, value) in sources {
            deps.extend(table_deps(&format!("patch.{}", source.name), value));
        }
    }
    if let Some(value) = top.get("replace") {
        for mut dep in table_deps("replace", value) {
            if let Some((name, _)) = dep.key.value.split_once(':') {
                name.clone_into(&mut dep.name);
            }
            deps.push(dep);
        }
    }
    deps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Dep> {
        let root = toml_span::parse(text).unwrap();
        package_deps(root.as_table().unwrap())
    }

    #[test]
    fn reads_every_shape_and_section() {
        let text = r#"
[dependencies]
a = "1.2"
b = { version = "2", package = "real-b", optional = true }
c = { path = "../c" }
d = { git = "https://example.com/d", branch = "main" }
e.workspace = true
[dependencies.f]
version = "3"
[dev-dependencies]
g = "4"
[target.'cfg(unix)'.build-dependencies]
h = "5"
"#;
        let deps = parse(text);
        let names: Vec<_> = deps
            .iter()
            .map(|d| format!("{}:{}:{}", d.section, d.key.value, d.name))
            .collect();
        assert_eq!(
            names,
            [
                "dependencies:a:a",
                "dependencies:b:real-b",
                "dependencies:c:c",
                "dependencies:d:d",
                "dependencies:e:e",
                "dependencies:f:f",
                "dev-dependencies:g:g",
                "target.'cfg(unix)'.build-dependencies:h:h",
            ]
        );
        assert_eq!(&text[deps[0].version.clone().unwrap().span], "1.2");
        assert!(deps[1].is_registry());
        assert_eq!(deps[2].path.as_deref(), Some("../c"));
        let git = deps[3].git.as_ref().unwrap();
        assert_eq!(git.branch.as_ref().unwrap().value, "main");
        assert!(git.rev.is_none() && !deps[3].is_registry());
        assert!(deps[4].inherits && !deps[4].is_registry());
        assert_eq!(deps[5].version.as_ref().unwrap().value, "3");
    }

    #[test]
    fn odd_shapes_are_skipped() {
        assert!(parse("[dependencies]\na = 1\nb = [\"x\"]\n").is_empty());
        assert!(parse("dependencies = 3\ntarget = \"x\"\n").is_empty());
    }

    #[test]
    fn patches_and_replacements_name_the_real_package() {
        let text = r#"
[patch.crates-io]
x = { git = "https://example.com/x" }
y2 = { path = "y", package = "y" }
[replace]
"z:1.0.0" = { path = "z" }
"#;
        let root = toml_span::parse(text).unwrap();
        let deps = patch_deps(root.as_table().unwrap());
        let names: Vec<_> = deps
            .iter()
            .map(|d| (d.section.as_str(), d.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("patch.crates-io", "x"),
                ("patch.crates-io", "y"),
                ("replace", "z")
            ]
        );
    }
}
