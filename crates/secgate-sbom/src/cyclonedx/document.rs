//! The CycloneDX document as serde structs: BOM, metadata, components and the dependency graph.
//! Field names and enum values are the specification's; optional fields are left out when
//! empty rather than written as `null`, which the schema rejects.

use super::SpecVersion;
use super::vulnerability::{self, Vulnerability};
use crate::build::git_repository;
use crate::{HashAlgorithm, Sbom};
use secgate_core::PackageSource;
use serde::Serialize;

/// A whole BOM.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    bom_format: &'static str,
    spec_version: &'static str,
    /// Set once the rest of the document is known: it is derived from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) serial_number: Option<String>,
    version: u32,
    metadata: Metadata<'a>,
    components: Vec<Component<'a>>,
    dependencies: Vec<Dependency<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    vulnerabilities: Vec<Vulnerability<'a>>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<String>,
    tools: Tools<'a>,
    component: RootComponent<'a>,
}

/// The object form of `metadata.tools`, valid in 1.5 and 1.6 (the array form is deprecated).
#[derive(Serialize)]
struct Tools<'a> {
    components: [ToolComponent<'a>; 1],
}

#[derive(Serialize)]
struct ToolComponent<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct RootComponent<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<Supplier<'a>>,
    name: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<Hash<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<License<'a>>,
    purl: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExternalReference<'a>>,
}

#[derive(Serialize)]
struct Supplier<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Hash<'a> {
    alg: &'static str,
    content: &'a str,
}

#[derive(Serialize)]
struct License<'a> {
    expression: &'a str,
}

#[derive(Serialize)]
struct ExternalReference<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    depends_on: Vec<&'a str>,
}

impl<'a> Document<'a> {
    /// The document for `sbom`, without its serial number.
    pub(super) fn new(sbom: &'a Sbom, spec: SpecVersion, timestamp: Option<String>) -> Self {
        let root = &sbom.root;
        let mut components: Vec<Component<'a>> = sbom.components.iter().map(component).collect();
        components.sort_by(|a, b| a.bom_ref.cmp(b.bom_ref));
        components.dedup_by(|a, b| a.bom_ref == b.bom_ref);

        let mut dependencies: Vec<Dependency<'a>> = sbom
            .components
            .iter()
            .map(|c| dependency(&c.bom_ref, &c.depends_on))
            .collect();
        dependencies.push(dependency(&root.bom_ref, &root.depends_on));
        dependencies.sort_by(|a, b| a.reference.cmp(b.reference));
        dependencies.dedup_by(|a, b| a.reference == b.reference);

        Self {
            schema: spec.schema_url(),
            bom_format: "CycloneDX",
            spec_version: spec.as_str(),
            serial_number: None,
            version: 1,
            metadata: Metadata {
                timestamp,
                tools: Tools {
                    components: [ToolComponent {
                        kind: "application",
                        name: &sbom.tool.name,
                        version: &sbom.tool.version,
                    }],
                },
                component: RootComponent {
                    kind: "application",
                    bom_ref: &root.bom_ref,
                    name: &root.name,
                    version: root.version.as_deref(),
                    purl: root.purl.as_deref(),
                },
            },
            components,
            dependencies,
            vulnerabilities: vulnerability::all(&sbom.vulnerabilities),
        }
    }
}

fn component(c: &crate::Component) -> Component<'_> {
    let external_references = match &c.source {
        PackageSource::Git { url, rev } => vec![ExternalReference {
            kind: "vcs",
            url: git_repository(url),
            comment: rev.as_ref().map(|rev| format!("commit {rev}")),
        }],
        _ => Vec::new(),
    };
    Component {
        kind: "library",
        bom_ref: &c.bom_ref,
        supplier: c.supplier.as_deref().map(|name| Supplier { name }),
        name: &c.name,
        version: &c.version,
        hashes: c
            .hashes
            .iter()
            .map(|h| Hash {
                alg: algorithm(h.algorithm),
                content: &h.hex,
            })
            .collect(),
        licenses: c
            .license
            .as_deref()
            .map(|expression| License { expression })
            .into_iter()
            .collect(),
        purl: &c.purl,
        external_references,
    }
}

fn dependency<'a>(reference: &'a str, depends_on: &'a [String]) -> Dependency<'a> {
    let mut depends_on: Vec<&str> = depends_on.iter().map(String::as_str).collect();
    // The schema wants unique items; the model promises sorted and unique, this makes sure.
    depends_on.sort_unstable();
    depends_on.dedup();
    Dependency {
        reference,
        depends_on,
    }
}

/// The CycloneDX `hash-alg` name.
fn algorithm(algorithm: HashAlgorithm) -> &'static str {
    match algorithm {
        HashAlgorithm::Sha1 => "SHA-1",
        HashAlgorithm::Sha256 => "SHA-256",
        HashAlgorithm::Sha384 => "SHA-384",
        HashAlgorithm::Sha512 => "SHA-512",
    }
}
