//! The SPDX 2.3 JSON document, as typed structs: field order here is the order in the output,
//! and optional fields are left out rather than written as `null` (the schema has no nulls).

use serde::Serialize;

/// `spdxVersion` of every document written here.
pub(super) const SPDX_VERSION: &str = "SPDX-2.3";
/// The licence of the SPDX document itself: the specification requires CC0-1.0.
pub(super) const DATA_LICENSE: &str = "CC0-1.0";
/// The document's own SPDXID.
pub(super) const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";
/// "No assertion made": the value SPDX asks for where a field is required but unknown.
pub(super) const NOASSERTION: &str = "NOASSERTION";

/// The whole document.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Document {
    pub spdx_version: &'static str,
    pub data_license: &'static str,
    #[serde(rename = "SPDXID")]
    pub spdx_id: &'static str,
    pub name: String,
    #[serde(rename = "documentNamespace")]
    pub namespace: String,
    pub creation_info: CreationInfo,
    pub packages: Vec<Package>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub has_extracted_licensing_infos: Vec<ExtractedLicensingInfo>,
    pub relationships: Vec<Relationship>,
}

/// Who wrote the document, and when.
#[derive(Debug, Serialize)]
pub(super) struct CreationInfo {
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub created: String,
    /// `Tool: secgate-<version>`.
    pub creators: Vec<String>,
}

/// One package: the described root, or a locked dependency.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Package {
    #[serde(rename = "SPDXID")]
    pub spdx_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_info: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    pub download_location: String,
    /// Always false: the package's files are not listed, so no verification code is owed.
    pub files_analyzed: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checksums: Vec<Checksum>,
    /// Always `NOASSERTION`: secgate reads what packages declare, it concludes nothing.
    pub license_concluded: &'static str,
    pub license_declared: String,
    pub copyright_text: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
    pub primary_package_purpose: Purpose,
}

/// `primaryPackagePurpose`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(super) enum Purpose {
    /// The described project.
    Application,
    /// Everything it depends on.
    Library,
}

/// A digest of the distributed artifact.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Checksum {
    /// `SHA1`, `SHA256`, `SHA384` or `SHA512`.
    pub algorithm: &'static str,
    /// Lower-case hex.
    pub checksum_value: String,
}

/// A reference outside the document; only package-manager purls are written.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ExternalRef {
    #[serde(rename = "referenceCategory")]
    pub category: &'static str,
    #[serde(rename = "referenceType")]
    pub kind: &'static str,
    #[serde(rename = "referenceLocator")]
    pub locator: String,
}

impl ExternalRef {
    /// The package's purl.
    pub fn purl(purl: String) -> Self {
        Self {
            category: "PACKAGE-MANAGER",
            kind: "purl",
            locator: purl,
        }
    }
}

/// A `LicenseRef-` id used in a declared licence. SPDX requires every such id to be defined
/// in the document, with its text; the text is not in a lockfile, so the entry says so.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ExtractedLicensingInfo {
    pub license_id: String,
    pub extracted_text: &'static str,
    pub comment: &'static str,
}

impl ExtractedLicensingInfo {
    /// The entry for `license_id` (`LicenseRef-...`).
    pub fn unrecorded(license_id: String) -> Self {
        Self {
            license_id,
            extracted_text: "The licence text was not recorded in the inventory this document \
                             was written from.",
            comment: "Declared by the package under this LicenseRef id; see the package's own \
                      licence files for its text.",
        }
    }
}

/// An edge between two SPDX elements.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Relationship {
    #[serde(rename = "spdxElementId")]
    pub element: String,
    #[serde(rename = "relationshipType")]
    pub kind: RelationshipType,
    #[serde(rename = "relatedSpdxElement")]
    pub related: String,
}

/// The relationship types written here. Declaration order is the output order: the
/// document's `DESCRIBES` comes before the dependency graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(super) enum RelationshipType {
    /// The document describes the root package.
    Describes,
    /// A package depends on another.
    DependsOn,
}
