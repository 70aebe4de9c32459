//! Resolving an npm lockfile's `dependencies` entries to the packages they name.
//!
//! The inventory writes them in two shapes:
//! - `package-lock.json` / `npm-shrinkwrap.json`: the bare names the package asks for, as it
//!   installs them (an alias's own name). Which install they mean is Node's lookup: the
//!   nearest `node_modules/<name>` from the package's folder up to the project root. The
//!   folder is the entry's key in v2/v3 (`node_modules/a/node_modules/b`); v1 nests entries
//!   under their parent's `dependencies`, so the folder is rebuilt from how the entries nest
//!   in the text.
//! - pnpm and yarn: `name@version` (pnpm's `name@file:…` or tarball-URL keys too), already
//!   resolved by the parser; yarn leaves a bare name where a descriptor matched no entry.
//!
//! The same `name@version` may be installed in several folders: those entries share one
//! `bom_ref`, so any of them stands for the component. Entries with the same `name@version`
//! but different `bom_ref`s (different sources) make a `name@version` ambiguous.

use secgate_core::Package;
use std::collections::HashMap;

/// The packages of one npm lockfile, indexed for lookups.
pub(super) struct NpmIndex<'a> {
    /// Package-lock only: install folder (`node_modules/a/node_modules/b`) → package.
    by_folder: Option<HashMap<String, usize>>,
    /// Per package, its install folder (package-lock only).
    folders: Vec<String>,
    /// `name@version`, and pnpm's key without peers, → packages.
    by_id: HashMap<String, Vec<usize>>,
    by_name: HashMap<&'a str, Vec<usize>>,
    bom_refs: &'a [String],
}

impl<'a> NpmIndex<'a> {
    /// Indexes `packages` of the lockfile at `path` whose text is `text`; `bom_refs` are the
    /// packages' `bom_ref`s, in the same order.
    pub(super) fn new(
        path: &str,
        text: &str,
        format_version: u32,
        packages: &'a [Package],
        bom_refs: &'a [String],
    ) -> Self {
        let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let is_package_lock = matches!(file, "package-lock.json" | "npm-shrinkwrap.json");
        let folders = if !is_package_lock {
            Vec::new()
        } else if format_version >= 2 {
            packages.iter().map(|p| key(text, p)).collect()
        } else {
            nested_folders(text, packages)
        };
        let by_folder = is_package_lock.then(|| {
            folders
                .iter()
                .enumerate()
                .map(|(i, folder)| (folder.clone(), i))
                .collect()
        });
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, package) in packages.iter().enumerate() {
            let id = format!("{}@{}", package.name, package.version);
            if file == "pnpm-lock.yaml" {
                let key = pnpm_key(&key(text, package));
                if key != id {
                    by_id.entry(key).or_default().push(i);
                }
            }
            by_id.entry(id).or_default().push(i);
            by_name.entry(package.name.as_str()).or_default().push(i);
        }
        Self {
            by_folder,
            folders,
            by_id,
            by_name,
            bom_refs,
        }
    }

    /// The package that `entry`, a dependency of package `from`, names, or why there is none.
    pub(super) fn resolve(&self, from: usize, entry: &str) -> Result<usize, String> {
        if let Some(by_folder) = &self.by_folder {
            let folder = self.folders.get(from).map_or("", String::as_str);
            return node_lookup(folder, entry, by_folder)
                .ok_or_else(|| format!("is installed nowhere `{folder}` can see it"));
        }
        let candidates = match split_descriptor(entry) {
            // pnpm writes an alias of a `file:` package as `alias@real@file:…`.
            Some((_, target)) if !self.by_id.contains_key(entry) => self.by_id.get(target),
            Some(_) => self.by_id.get(entry),
            None => self.by_name.get(entry),
        };
        let mut candidates = candidates.into_iter().flatten().copied();
        let Some(first) = candidates.next() else {
            return Err("names no package of this lockfile".to_owned());
        };
        let first_ref = self.bom_refs.get(first);
        if candidates.any(|i| self.bom_refs.get(i) != first_ref) {
            return Err("is ambiguous: packages from several sources match it".to_owned());
        }
        Ok(first)
    }
}

/// Node's lookup: `<folder>/node_modules/<name>`, then the same from each parent folder, up to
/// the project's `node_modules/<name>`.
fn node_lookup(folder: &str, name: &str, by_folder: &HashMap<String, usize>) -> Option<usize> {
    let mut dir = folder;
    loop {
        let candidate = if dir.is_empty() {
            format!("node_modules/{name}")
        } else {
            format!("{dir}/node_modules/{name}")
        };
        if let Some(&i) = by_folder.get(&candidate) {
            return Some(i);
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// A package's entry key as written, without quotes.
fn key(text: &str, package: &Package) -> String {
    let raw = package
        .location
        .span
        .clone()
        .and_then(|span| text.get(span))
        .unwrap_or_default();
    raw.trim_matches(['"', '\'']).to_owned()
}

/// A pnpm `packages:` key as the parser's ids write it: no leading `/`, no peer suffix.
fn pnpm_key(key: &str) -> String {
    let key = key.strip_prefix('/').unwrap_or(key);
    key.split_once('(')
        .map_or(key, |(without_peers, _)| without_peers)
        .to_owned()
}

/// `name@version` split after the name (a scope's `@` is part of it).
fn split_descriptor(entry: &str) -> Option<(&str, &str)> {
    let at = entry.get(1..)?.find('@')? + 1;
    Some((entry.get(..at)?, entry.get(at + 1..)?))
}

/// v1 install folders: each entry's object in the text contains the entries nested under it,
/// and the inventory lists them parent first, so a stack of open objects gives every entry's
/// parent.
fn nested_folders(text: &str, packages: &[Package]) -> Vec<String> {
    let mut folders: Vec<String> = Vec::with_capacity(packages.len());
    // (folder, end of the entry's object) of the entries enclosing the current one.
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (i, package) in packages.iter().enumerate() {
        let span = package.location.span.clone().unwrap_or(0..0);
        while open.last().is_some_and(|&(_, end)| end <= span.start) {
            open.pop();
        }
        let name = key(text, package);
        let folder = match open.last().and_then(|&(parent, _)| folders.get(parent)) {
            Some(parent) => format!("{parent}/node_modules/{name}"),
            None => format!("node_modules/{name}"),
        };
        folders.push(folder);
        if let Some(end) = object_end(text, span.end) {
            open.push((i, end));
        }
    }
    folders
}

/// The byte after the `}` closing the object that follows the key ending at `after_key`.
fn object_end(text: &str, after_key: usize) -> Option<usize> {
    let rest = text.get(after_key..)?;
    let open = rest.find('{')?;
    if !rest
        .get(..open)?
        .trim()
        .trim_start_matches(':')
        .trim()
        .is_empty()
    {
        return None;
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (at, byte) in rest.bytes().enumerate().skip(open) {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(after_key + at + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_lookup_prefers_the_nearest_install() {
        let by_folder: HashMap<String, usize> = [
            ("node_modules/a", 0),
            ("node_modules/b", 1),
            ("node_modules/a/node_modules/b", 2),
            ("packages/w", 3),
            ("packages/w/node_modules/b", 4),
            ("node_modules/@s/c", 5),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        assert_eq!(node_lookup("node_modules/a", "b", &by_folder), Some(2));
        assert_eq!(
            node_lookup("node_modules/a/node_modules/b", "b", &by_folder),
            Some(2)
        );
        assert_eq!(node_lookup("node_modules/b", "a", &by_folder), Some(0));
        assert_eq!(node_lookup("packages/w", "b", &by_folder), Some(4));
        assert_eq!(
            node_lookup("node_modules/a/node_modules/b", "@s/c", &by_folder),
            Some(5)
        );
        assert_eq!(node_lookup("node_modules/a", "d", &by_folder), None);
    }

    #[test]
    fn objects_end_at_their_matching_brace() {
        let text = r#"{"a": {"x": "}{\"", "n": {"b": {}}}, "c": {}}"#;
        let after_a = text.find("\"a\"").unwrap() + 3;
        let end = object_end(text, after_a).unwrap();
        assert_eq!(&text[end..], r#", "c": {}}"#);
        assert_eq!(object_end(r#""a": "s""#, 3), None);
    }

    #[test]
    fn pnpm_keys_lose_slash_and_peers() {
        assert_eq!(pnpm_key("/@s/a@1.0.0(b@2)"), "@s/a@1.0.0");
        assert_eq!(pnpm_key("a@file:x"), "a@file:x");
        assert_eq!(split_descriptor("@s/a@1"), Some(("@s/a", "1")));
        assert_eq!(split_descriptor("@s/a"), None);
    }
}
