//! The crates actually built: `cargo metadata`'s resolve graph, optionally for given targets
//! (`--filter-platform`), like cargo-deny's `[graph] targets`.
//!
//! A Cargo.lock locks every crate any feature or platform could need; the resolve graph has
//! only those the workspace's default features (or all features) pull in, and with targets,
//! only those built for them. `cargo metadata` is run by hand rather than through the
//! `cargo_metadata` crate so its stdin can be an empty pipe: with `--filter-platform` cargo
//! runs `rustc -` to learn the target's cfg, and that must not read whatever a sandbox's
//! `/dev/null` holds.

use super::DiscoverError;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Which graph to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphOptions {
    /// Target triples; empty means every platform.
    pub targets: Vec<String>,
    /// Resolve with `--all-features` instead of the default features.
    pub all_features: bool,
    /// Pass `--offline` to cargo.
    pub offline: bool,
}

/// The (name, version) of every crate in the resolve graph of the workspace at `manifest_dir`,
/// for any of the targets (the union).
pub fn built_crates(
    manifest_dir: &Path,
    opts: &GraphOptions,
) -> Result<BTreeSet<(String, String)>, DiscoverError> {
    let mut built = BTreeSet::new();
    if opts.targets.is_empty() {
        built.extend(metadata(manifest_dir, None, opts)?);
    }
    for target in &opts.targets {
        built.extend(metadata(manifest_dir, Some(target), opts)?);
    }
    Ok(built)
}

fn metadata(
    manifest_dir: &Path,
    target: Option<&str>,
    opts: &GraphOptions,
) -> Result<Vec<(String, String)>, DiscoverError> {
    let program =
        PathBuf::from(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    let mut command = Command::new(&program);
    command
        .args(["metadata", "--format-version", "1", "--locked"])
        .arg("--manifest-path")
        .arg(manifest_dir.join("Cargo.toml"))
        .stdin(Stdio::piped());
    if let Some(target) = target {
        command.args(["--filter-platform", target]);
    }
    if opts.all_features {
        command.arg("--all-features");
    }
    if opts.offline {
        command.arg("--offline");
    }
    let output = command
        .output()
        .map_err(|source| DiscoverError::CargoSpawn { program, source })?;
    if !output.status.success() {
        return Err(DiscoverError::CargoMetadata {
            status: output.status.code(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    parse(&output.stdout)
}

/// The crates reachable in `resolve.nodes` from the workspace members over normal and build
/// edges, named through `packages`. Dev-dependencies are left out, as cargo-deny leaves them
/// out: they are not part of what is shipped.
fn parse(json: &[u8]) -> Result<Vec<(String, String)>, DiscoverError> {
    let bad = |what: &str| DiscoverError::CargoMetadata {
        status: Some(0),
        stderr: format!("unexpected `cargo metadata` output: {what}"),
    };
    let root: Value = serde_json::from_slice(json).map_err(|e| bad(&e.to_string()))?;
    let packages: HashMap<&str, (String, String)> = root
        .get("packages")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `packages`"))?
        .iter()
        .filter_map(|p| {
            Some((
                p.get("id")?.as_str()?,
                (
                    p.get("name")?.as_str()?.to_owned(),
                    p.get("version")?.as_str()?.to_owned(),
                ),
            ))
        })
        .collect();
    let nodes: HashMap<&str, &Value> = root
        .get("resolve")
        .and_then(|r| r.get("nodes"))
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `resolve.nodes` (is this a virtual manifest without members?)"))?
        .iter()
        .filter_map(|n| Some((n.get("id")?.as_str()?, n)))
        .collect();
    let mut stack: Vec<&str> = root
        .get("workspace_members")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `workspace_members`"))?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut built = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        built.push(
            packages
                .get(id)
                .cloned()
                .ok_or_else(|| bad(&format!("`{id}` is not among `packages`")))?,
        );
        let deps = nodes
            .get(id)
            .and_then(|n| n.get("deps"))
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for dep in deps {
            let shipped = dep
                .get("dep_kinds")
                .and_then(Value::as_array)
                .is_some_and(|kinds| {
                    kinds
                        .iter()
                        .any(|k| k.get("kind").and_then(Value::as_str) != Some("dev"))
                });
            if shipped && let Some(pkg) = dep.get("pkg").and_then(Value::as_str) {
                stack.push(pkg);
            }
        }
    }
    Ok(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_their_shipped_dependencies_are_built() {
        let json = br#"{"packages": [
            {"id": "r#a@1.0.0", "name": "a", "version": "1.0.0"},
            {"id": "path+file:///w#0.1.0", "name": "w", "version": "0.1.0"},
            {"id": "r#b@2.0.0", "name": "b", "version": "2.0.0"},
            {"id": "r#t@3.0.0", "name": "t", "version": "3.0.0"},
            {"id": "r#c@4.0.0", "name": "c", "version": "4.0.0"}
          ],
          "workspace_members": ["path+file:///w#0.1.0"],
          "resolve": {"nodes": [
            {"id": "path+file:///w#0.1.0", "deps": [
              {"pkg": "r#a@1.0.0", "dep_kinds": [{"kind": null}]},
              {"pkg": "r#t@3.0.0", "dep_kinds": [{"kind": "dev"}]},
              {"pkg": "r#c@4.0.0", "dep_kinds": [{"kind": "build"}]}]},
            {"id": "r#a@1.0.0", "deps": []},
            {"id": "r#b@2.0.0", "deps": []},
            {"id": "r#t@3.0.0", "deps": [{"pkg": "r#b@2.0.0", "dep_kinds": [{"kind": null}]}]},
            {"id": "r#c@4.0.0", "deps": []}]}}"#;
        let mut built = parse(json).unwrap();
        built.sort();
        let names: Vec<&str> = built.iter().map(|(n, _)| n.as_str()).collect();
        // `t` is only a dev-dependency, and `b` only reached through it.
        assert_eq!(names, ["a", "c", "w"]);
        assert!(parse(b"{}").is_err());
        assert!(
            parse(br#"{"packages": [], "workspace_members": ["x"], "resolve": {"nodes": []}}"#)
                .is_err()
        );
        assert!(parse(b"not json").is_err());
    }
}
