//! SPDX 2.3 JSON.
//!
//! [`write`] turns an [`Sbom`] into one SPDX document: the root package (`SPDXRef-Root`,
//! purpose `APPLICATION`), one `LIBRARY` package per component, `SPDXRef-DOCUMENT DESCRIBES
//! SPDXRef-Root`, and a `DEPENDS_ON` relationship per edge of the dependency graph.
//!
//! What SPDX cannot say exactly is written as `NOASSERTION` rather than guessed: a declared
//! licence with an id outside the SPDX licence list, the download location of a package from a
//! registry other than crates.io or from the workspace itself. `licenseConcluded` is always
//! `NOASSERTION`: secgate reads declarations, it does not conclude licences.
//!
//! The output is reproducible: packages and relationships are sorted, the only time is
//! `sbom.timestamp` (the Unix epoch without one, since SPDX requires a creation time), and the
//! `documentNamespace` ends in the SHA-256 of the rest of the document. Vulnerabilities are not
//! written: SPDX 2.3 has no place for them beyond advisory links (CycloneDX carries them).

mod document;
mod fields;
mod ids;
mod license;

use crate::{Component, Root, Sbom};
use document::{
    CreationInfo, DATA_LICENSE, DOCUMENT_ID, Document, ExternalRef, ExtractedLicensingInfo,
    NOASSERTION, Package, Purpose, Relationship, RelationshipType, SPDX_VERSION,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Writes `sbom` as an SPDX 2.3 JSON document (pretty-printed, trailing newline).
///
/// Components are identified by `bom_ref`: a second component with the same `bom_ref` is left
/// out, a component with the root's `bom_ref` is written as the root package, and a
/// `depends_on` entry naming no component (nor the root) is left out, so every relationship
/// names a package of the document.
pub fn write(sbom: &Sbom) -> String {
    let components = distinct_components(&sbom.components);
    let root_component = components
        .iter()
        .find(|component| component.bom_ref == sbom.root.bom_ref)
        .copied();
    let mut spdx_ids = ids::assign(
        components
            .iter()
            .map(|component| component.bom_ref.as_str())
            .filter(|bom_ref| *bom_ref != sbom.root.bom_ref),
    );
    spdx_ids.insert(sbom.root.bom_ref.as_str(), ids::ROOT_ID.to_owned());

    let mut license_refs = BTreeSet::new();
    let mut packages = vec![root_package(&sbom.root, root_component, &mut license_refs)];
    let mut libraries: Vec<Package> = components
        .iter()
        .filter(|component| component.bom_ref != sbom.root.bom_ref)
        .filter_map(|component| {
            let spdx_id = spdx_ids.get(component.bom_ref.as_str())?.clone();
            Some(component_package(component, spdx_id, &mut license_refs))
        })
        .collect();
    libraries.sort_by(|a, b| a.spdx_id.cmp(&b.spdx_id));
    packages.append(&mut libraries);

    let mut document = Document {
        spdx_version: SPDX_VERSION,
        data_license: DATA_LICENSE,
        spdx_id: DOCUMENT_ID,
        name: sbom.root.name.clone(),
        namespace: String::new(),
        creation_info: CreationInfo {
            created: fields::created(sbom.timestamp),
            creators: vec![format!("Tool: {}-{}", sbom.tool.name, sbom.tool.version)],
        },
        packages,
        has_extracted_licensing_infos: license_refs
            .into_iter()
            .map(ExtractedLicensingInfo::unrecorded)
            .collect(),
        relationships: relationships(&sbom.root, &components, &spdx_ids),
    };
    let digest = format!("{:x}", Sha256::digest(to_json(&document).as_bytes()));
    document.namespace = fields::namespace(&sbom.root.name, sbom.root.version.as_deref(), &digest);
    to_json(&document)
}

/// The components, first of each `bom_ref`, in input order.
fn distinct_components(components: &[Component]) -> Vec<&Component> {
    let mut seen = BTreeSet::new();
    components
        .iter()
        .filter(|component| seen.insert(component.bom_ref.as_str()))
        .collect()
}

/// The described package. When the root is itself a locked package (a workspace whose root
/// manifest is a package), that component's details are the root's.
fn root_package(
    root: &Root,
    component: Option<&Component>,
    license_refs: &mut BTreeSet<String>,
) -> Package {
    let mut package = match component {
        Some(component) => component_package(component, ids::ROOT_ID.to_owned(), license_refs),
        None => Package {
            spdx_id: ids::ROOT_ID.to_owned(),
            name: String::new(),
            version_info: None,
            supplier: None,
            download_location: NOASSERTION.to_owned(),
            files_analyzed: false,
            checksums: Vec::new(),
            license_concluded: NOASSERTION,
            license_declared: NOASSERTION.to_owned(),
            copyright_text: NOASSERTION,
            external_refs: Vec::new(),
            primary_package_purpose: Purpose::Application,
        },
    };
    package.name.clone_from(&root.name);
    package.version_info = root.version.clone().or(package.version_info);
    if let Some(purl) = root.purl.as_deref().filter(|purl| is_purl(purl)) {
        package.external_refs = vec![ExternalRef::purl(purl.to_owned())];
    }
    package.primary_package_purpose = Purpose::Application;
    package
}

/// A locked package as an SPDX package with id `spdx_id`; `LicenseRef-` ids its licence uses
/// are added to `license_refs`.
fn component_package(
    component: &Component,
    spdx_id: String,
    license_refs: &mut BTreeSet<String>,
) -> Package {
    let declared = component.license.as_deref().and_then(license::declared);
    let license_declared = match declared {
        Some(declared) => {
            license_refs.extend(declared.license_refs);
            declared.expression
        }
        None => NOASSERTION.to_owned(),
    };
    Package {
        spdx_id,
        name: component.name.clone(),
        version_info: Some(component.version.clone()),
        supplier: component.supplier.as_deref().and_then(fields::supplier),
        download_location: fields::download_location(
            component.ecosystem,
            &component.name,
            &component.version,
            &component.source,
        ),
        files_analyzed: false,
        checksums: fields::checksums(&component.hashes),
        license_concluded: NOASSERTION,
        license_declared,
        copyright_text: NOASSERTION,
        external_refs: is_purl(&component.purl)
            .then(|| ExternalRef::purl(component.purl.clone()))
            .into_iter()
            .collect(),
        primary_package_purpose: Purpose::Library,
    }
}

/// `DESCRIBES` the root, then every dependency edge whose both ends are packages of the
/// document, sorted and each once.
fn relationships(
    root: &Root,
    components: &[&Component],
    spdx_ids: &BTreeMap<&str, String>,
) -> Vec<Relationship> {
    let edges = std::iter::once((root.bom_ref.as_str(), &root.depends_on)).chain(
        components
            .iter()
            .map(|component| (component.bom_ref.as_str(), &component.depends_on)),
    );
    let mut depends_on = BTreeSet::new();
    for (from, targets) in edges {
        let Some(from) = spdx_ids.get(from) else {
            continue;
        };
        for to in targets.iter().filter_map(|to| spdx_ids.get(to.as_str())) {
            if from != to {
                depends_on.insert((from.clone(), to.clone()));
            }
        }
    }
    std::iter::once(Relationship {
        element: DOCUMENT_ID.to_owned(),
        kind: RelationshipType::Describes,
        related: ids::ROOT_ID.to_owned(),
    })
    .chain(depends_on.into_iter().map(|(from, to)| Relationship {
        element: from,
        kind: RelationshipType::DependsOn,
        related: to,
    }))
    .collect()
}

/// Whether `purl` has the `pkg:type/name` shape SPDX consumers check locators against.
fn is_purl(purl: &str) -> bool {
    purl.strip_prefix("pkg:")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(kind, name)| !kind.is_empty() && !name.is_empty())
}

/// Two-space pretty JSON with a trailing newline.
fn to_json(document: &Document) -> String {
    // The document holds only strings, booleans, sequences and structs, which serde_json
    // always serializes; an error here would be a bug in this module, not bad input.
    let mut json =
        serde_json::to_string_pretty(document).expect("an SPDX document always serializes");
    json.push('\n');
    json
}
