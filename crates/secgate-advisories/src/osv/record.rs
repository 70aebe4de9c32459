//! The OSV record model (<https://ossf.github.io/osv-schema/>), read with serde.
//!
//! Only the fields secgate uses are typed; unknown fields are ignored, so records written for a
//! newer schema version still load. Arrays that producers sometimes write as `null` read as
//! empty. Timestamps are RFC 3339 and typed, so `modified` compares as a time, not a string.
//!
//! RustSec's export keeps its own fields in `affected[].database_specific` (`informational`,
//! `cvss`, `categories`) and puts only the licence in the top-level `database_specific`; both
//! places are read for `informational`.

use serde::{Deserialize, Deserializer};

/// One OSV record: a vulnerability (or informational advisory) and the packages it affects.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OsvRecord {
    /// The record's id (`RUSTSEC-2023-0071`, `GHSA-…`, `PYSEC-…`).
    pub id: String,
    /// When the record last changed.
    #[serde(deserialize_with = "timestamp")]
    pub modified: jiff::Timestamp,
    /// When the record was published.
    #[serde(default, deserialize_with = "optional_timestamp")]
    pub published: Option<jiff::Timestamp>,
    /// Set when the record was withdrawn: it no longer describes a real issue.
    #[serde(default, deserialize_with = "optional_timestamp")]
    pub withdrawn: Option<jiff::Timestamp>,
    /// Other ids of the same issue.
    #[serde(default, deserialize_with = "nullable")]
    pub aliases: Vec<String>,
    /// Ids of related but different issues.
    #[serde(default, deserialize_with = "nullable")]
    pub related: Vec<String>,
    /// One-line summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Markdown description.
    #[serde(default)]
    pub details: Option<String>,
    /// Severity scores of the whole record.
    #[serde(default, deserialize_with = "nullable")]
    pub severity: Vec<OsvSeverity>,
    /// The affected packages and their versions.
    #[serde(default, deserialize_with = "nullable")]
    pub affected: Vec<Affected>,
    /// Links.
    #[serde(default, deserialize_with = "nullable")]
    pub references: Vec<Reference>,
    /// The publishing database's own fields.
    #[serde(default)]
    pub database_specific: Option<DatabaseSpecific>,
}

/// A severity score.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OsvSeverity {
    /// The scoring system.
    #[serde(rename = "type")]
    pub kind: SeverityKind,
    /// The score, for CVSS a vector string (`CVSS:3.1/AV:N/…`).
    pub score: String,
}

/// Scoring systems of [`OsvSeverity`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum SeverityKind {
    /// CVSS v2 vector (not scored by secgate).
    #[serde(rename = "CVSS_V2")]
    CvssV2,
    /// CVSS v3.0 or v3.1 vector.
    #[serde(rename = "CVSS_V3")]
    CvssV3,
    /// CVSS v4.0 vector.
    #[serde(rename = "CVSS_V4")]
    CvssV4,
    /// Any other system (`Ubuntu`, ...).
    #[serde(other)]
    Other,
}

/// One affected package.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Affected {
    /// The package; absent in records that describe only git commits.
    #[serde(default)]
    pub package: Option<AffectedPackage>,
    /// Severity for this package only (then the record has no top-level severity).
    #[serde(default, deserialize_with = "nullable")]
    pub severity: Vec<OsvSeverity>,
    /// Affected version ranges.
    #[serde(default, deserialize_with = "nullable")]
    pub ranges: Vec<Range>,
    /// Affected versions, listed one by one.
    #[serde(default, deserialize_with = "nullable")]
    pub versions: Vec<String>,
    /// Fields defined by the ecosystem.
    #[serde(default)]
    pub ecosystem_specific: Option<EcosystemSpecific>,
    /// Fields defined by the publishing database.
    #[serde(default)]
    pub database_specific: Option<DatabaseSpecific>,
}

/// The package of an [`Affected`] entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AffectedPackage {
    /// OSV ecosystem name (`crates.io`, `PyPI`, `npm`).
    pub ecosystem: String,
    /// Package name in that ecosystem.
    pub name: String,
    /// Package URL without a version.
    #[serde(default)]
    pub purl: Option<String>,
}

/// A range of affected versions, as a timeline of events.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Range {
    /// How the event versions are ordered.
    #[serde(rename = "type")]
    pub kind: RangeKind,
    /// Repository of a `GIT` range.
    #[serde(default)]
    pub repo: Option<String>,
    /// The events, in any order.
    #[serde(default, deserialize_with = "nullable")]
    pub events: Vec<Event>,
}

/// The ordering of a [`Range`]'s versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum RangeKind {
    /// Semantic versions, ordered by semantic-versioning precedence.
    #[serde(rename = "SEMVER")]
    Semver,
    /// The ecosystem's own versions and ordering.
    #[serde(rename = "ECOSYSTEM")]
    Ecosystem,
    /// Git commits: not evaluated for registry packages.
    #[serde(rename = "GIT")]
    Git,
    /// A type from a newer schema.
    #[serde(other)]
    Unknown,
}

/// One status change of a [`Range`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Versions from here on are affected; `"0"` means from the first version.
    Introduced(String),
    /// Versions from here on are fixed.
    Fixed(String),
    /// The last affected version: later versions are not affected.
    LastAffected(String),
    /// An upper limit on the range (`"*"`: none).
    Limit(String),
}

impl Event {
    /// The event's version string.
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }
}

/// `affected[].ecosystem_specific`, as RustSec and Go fill it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct EcosystemSpecific {
    /// Where the issue applies.
    #[serde(default)]
    pub affects: Option<Affects>,
}

/// The platforms and functions an issue is limited to; empty lists mean all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Affects {
    /// Target operating systems.
    #[serde(default, deserialize_with = "nullable")]
    pub os: Vec<String>,
    /// Target architectures.
    #[serde(default, deserialize_with = "nullable")]
    pub arch: Vec<String>,
    /// Affected functions (paths).
    #[serde(default, deserialize_with = "nullable")]
    pub functions: Vec<String>,
}

/// The `database_specific` fields secgate reads (top level or per affected package).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct DatabaseSpecific {
    /// RustSec's informational kind: `unmaintained`, `unsound`, `notice`; `null` for a
    /// vulnerability.
    #[serde(default)]
    pub informational: Option<String>,
    /// GitHub's qualitative rating in its OSV export (`LOW`, `MODERATE`, `HIGH`,
    /// `CRITICAL`): what `npm audit --audit-level` compares against.
    #[serde(default)]
    pub severity: Option<String>,
}

/// A link.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Reference {
    /// What the link is.
    #[serde(rename = "type")]
    pub kind: ReferenceKind,
    /// The URL.
    pub url: String,
}

/// Kinds of [`Reference`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReferenceKind {
    /// A published security advisory.
    Advisory,
    /// An article or blog post.
    Article,
    /// A detection tool or rule.
    Detection,
    /// A discussion thread.
    Discussion,
    /// A bug report.
    Report,
    /// The fix.
    Fix,
    /// The commit that introduced the issue.
    Introduced,
    /// The package's home page.
    Package,
    /// A demonstration of the issue.
    Evidence,
    /// A web page of another kind.
    Web,
    /// A kind from a newer schema.
    #[serde(other)]
    Other,
}

impl OsvRecord {
    /// The RustSec informational kind of `affected`, falling back to the record's own
    /// `database_specific`; `None` for a vulnerability.
    pub fn informational<'a>(&'a self, affected: &'a Affected) -> Option<&'a str> {
        affected
            .database_specific
            .as_ref()
            .and_then(|d| d.informational.as_deref())
            .or_else(|| {
                self.database_specific
                    .as_ref()
                    .and_then(|d| d.informational.as_deref())
            })
    }

    /// The `affected` entries about `name` in `ecosystem`.
    pub fn affected_package<'a>(
        &'a self,
        ecosystem: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Affected> + 'a {
        self.affected.iter().filter(move |a| {
            a.package
                .as_ref()
                .is_some_and(|p| p.ecosystem == ecosystem && p.name == name)
        })
    }
}

/// An array that may be written as `null`.
fn nullable<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<jiff::Timestamp, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(|e| {
        serde::de::Error::custom(format_args!("`{text}` is not an RFC 3339 time: {e}"))
    })
}

fn optional_timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<jiff::Timestamp>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|e| {
            serde::de::Error::custom(format_args!("`{text}` is not an RFC 3339 time: {e}"))
        }),
    }
}
