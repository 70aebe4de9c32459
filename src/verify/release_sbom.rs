//! The release check's SBOM part: there is one, it is CycloneDX or SPDX JSON, and it lists
//! every package the repository's lockfiles lock (by name and version), so it describes the
//! code being released and not some earlier state of it.

use crate::listing::first_of;
use secgate_core::{Code, Finding, Location, PackageSource};
use secgate_inventory::Inventory;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// How many missing packages a finding names.
const SHOWN: usize = 5;

/// `sbom-missing` or `sbom-invalid` findings for `sbom` (none when it is fine).
pub(super) fn sbom_findings(
    sbom: Option<&Path>,
    inventory: Option<&Inventory>,
    missing_at: &str,
    notes: &mut Vec<String>,
) -> Vec<Finding> {
    let Some(path) = sbom else {
        return vec![missing(
            &format!(
                "the release has no SBOM: none was given (`--sbom`) and none is among the \
                 artifacts in `{missing_at}`"
            ),
            missing_at,
        )];
    };
    let shown = path.display().to_string();
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return vec![missing(
                &format!("the SBOM `{shown}` does not exist"),
                &shown,
            )];
        }
        Err(e) => return vec![invalid(&shown, &format!("cannot be read: {e}"))],
    };
    let listed = match components(&text) {
        Ok(listed) => listed,
        Err(why) => return vec![invalid(&shown, &why)],
    };
    let locked: BTreeSet<(String, String)> = inventory
        .map(|i| {
            i.packages()
                .filter(|p| p.source != PackageSource::Local)
                .map(|p| (p.name.clone(), p.version.clone()))
                .collect()
        })
        .unwrap_or_default();
    let absent: Vec<&(String, String)> = locked.iter().filter(|p| !listed.1.contains(*p)).collect();
    if absent.is_empty() {
        notes.push(format!(
            "release: SBOM `{shown}` ({}) lists all {} locked package(s)",
            listed.0,
            locked.len()
        ));
        return Vec::new();
    }
    vec![invalid(
        &shown,
        &format!(
            "does not list {} locked package(s): {}",
            absent.len(),
            first_of(absent.iter().map(|(n, v)| format!("{n} {v}")), SHOWN)
        ),
    )]
}

/// The document kind and the (name, version) of every component or package it lists.
/// The document kind (`CycloneDX`, `SPDX`) and the (name, version) pairs it lists.
type Listed = (&'static str, BTreeSet<(String, String)>);

fn components(text: &[u8]) -> Result<Listed, String> {
    let doc: Value = serde_json::from_slice(text).map_err(|e| format!("is not JSON: {e}"))?;
    let mut found = BTreeSet::new();
    if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        if doc.get("specVersion").and_then(Value::as_str).is_none() {
            return Err("is CycloneDX without a `specVersion`".to_owned());
        }
        let mut stack: Vec<&Value> = doc
            .get("components")
            .and_then(Value::as_array)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        while let Some(component) = stack.pop() {
            if let (Some(name), Some(version)) = (
                component.get("name").and_then(Value::as_str),
                component.get("version").and_then(Value::as_str),
            ) {
                found.insert((name.to_owned(), version.to_owned()));
            }
            if let Some(nested) = component.get("components").and_then(Value::as_array) {
                stack.extend(nested);
            }
        }
        return Ok(("CycloneDX", found));
    }
    if doc
        .get("spdxVersion")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("SPDX-2."))
    {
        for package in doc
            .get("packages")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
        {
            if let (Some(name), Some(version)) = (
                package.get("name").and_then(Value::as_str),
                package.get("versionInfo").and_then(Value::as_str),
            ) {
                found.insert((name.to_owned(), version.to_owned()));
            }
        }
        return Ok(("SPDX", found));
    }
    Err("is neither CycloneDX (`bomFormat`) nor SPDX 2 (`spdxVersion`) JSON".to_owned())
}

fn missing(message: &str, path: &str) -> Finding {
    let mut f = Finding::new(Code::SbomMissing, Location::new(path, 1, 1), message);
    f.fix = Some("write it with `secgate sbom --format cyclonedx --output FILE`".to_owned());
    f
}

fn invalid(path: &str, why: &str) -> Finding {
    let mut f = Finding::new(
        Code::SbomInvalid,
        Location::new(path, 1, 1),
        format!("the SBOM `{path}` {why}"),
    );
    f.fix = Some("regenerate it from the released commit with `secgate sbom`".to_owned());
    f
}
