//! Package and document fields whose SPDX syntax is stricter than the model's values:
//! download locations, supplier actors, checksums, the creation time and the namespace.

use super::document::{Checksum, NOASSERTION};
use crate::{Hash, HashAlgorithm};
use secgate_core::{Ecosystem, PackageSource, percent_encode};

/// Where the document namespaces live. `.invalid` never resolves, so the URI names the
/// document without promising that anything is served there.
const NAMESPACE_BASE: &str = "https://secgate.invalid/spdx/";

/// `downloadLocation` of a package from `source`.
pub(super) fn download_location(
    ecosystem: Ecosystem,
    name: &str,
    version: &str,
    source: &PackageSource,
) -> String {
    match (ecosystem, source) {
        (Ecosystem::CratesIo, PackageSource::DefaultRegistry) => format!(
            "https://crates.io/api/v1/crates/{}/{}/download",
            percent_encode(name, b"+"),
            percent_encode(version, b"+")
        ),
        // npm and PyPI tarball URLs are in the lockfiles, not in the model (yet).
        (Ecosystem::Npm | Ecosystem::PyPI, PackageSource::DefaultRegistry) => {
            NOASSERTION.to_owned()
        }
        (_, PackageSource::Git { url, rev }) => git_location(url, rev.as_deref()),
        // Another registry's download URL comes from its index `config.json`, which the
        // lockfile does not carry; a local package is not downloaded at all.
        (_, PackageSource::Registry(_) | PackageSource::Local) => NOASSERTION.to_owned(),
    }
}

/// `git+<url>@<revision>`, SPDX's VCS location syntax. Cargo keeps what the manifest asked
/// for as a query (`?branch=main`); the locked commit is more precise and takes its place,
/// and without one the asked-for ref is the best revision there is.
fn git_location(url: &str, rev: Option<&str>) -> String {
    let (repository, query) = url.split_once('?').unwrap_or((url, ""));
    let asked = query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        matches!(key, "rev" | "tag" | "branch")
            .then_some(value)
            .filter(|value| !value.is_empty())
    });
    let scheme = if repository.starts_with("git+") {
        ""
    } else {
        "git+"
    };
    match rev.filter(|rev| !rev.is_empty()).or(asked) {
        Some(revision) => format!("{scheme}{repository}@{revision}"),
        None => format!("{scheme}{repository}"),
    }
}

/// `supplier` in SPDX actor syntax. A value already in that syntax is kept; `Name <email>`
/// (how Cargo and npm write authors) is a person; a bare name is taken as the organization
/// that publishes the package. Parentheses would be read as the e-mail part, so they go.
pub(super) fn supplier(supplier: &str) -> Option<String> {
    let supplier = supplier.trim();
    for kind in ["Organization:", "Person:"] {
        if let Some(rest) = supplier.strip_prefix(kind) {
            return actor(kind, rest, None);
        }
    }
    if let Some((name, rest)) = supplier.split_once('<') {
        let email = rest.trim_end().strip_suffix('>').unwrap_or(rest);
        return actor("Person:", name, Some(email));
    }
    actor("Organization:", supplier, None)
}

/// `<kind> <name>` or `<kind> <name> (<email>)`, or `None` without a name.
fn actor(kind: &str, name: &str, email: Option<&str>) -> Option<String> {
    let clean = |text: &str| -> String {
        let kept: String = text
            .chars()
            .filter(|c| !matches!(c, '(' | ')') && !c.is_control())
            .collect();
        kept.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let name = clean(name);
    if name.is_empty() {
        return None;
    }
    match email.map(clean).filter(|email| !email.is_empty()) {
        Some(email) => Some(format!("{kind} {name} ({email})")),
        None => Some(format!("{kind} {name}")),
    }
}

/// The package's checksums, sorted by algorithm; digests that are not hex of the algorithm's
/// length are left out, since SPDX consumers reject them.
pub(super) fn checksums(hashes: &[Hash]) -> Vec<Checksum> {
    let mut checksums: Vec<Checksum> = hashes
        .iter()
        .filter_map(|hash| {
            let (algorithm, hex_len) = match hash.algorithm {
                HashAlgorithm::Sha1 => ("SHA1", 40),
                HashAlgorithm::Sha256 => ("SHA256", 64),
                HashAlgorithm::Sha384 => ("SHA384", 96),
                HashAlgorithm::Sha512 => ("SHA512", 128),
            };
            let value = hash.hex.to_ascii_lowercase();
            (value.len() == hex_len && value.bytes().all(|b| b.is_ascii_hexdigit())).then_some(
                Checksum {
                    algorithm,
                    checksum_value: value,
                },
            )
        })
        .collect();
    checksums.sort();
    checksums.dedup();
    checksums
}

/// `created`: `YYYY-MM-DDThh:mm:ssZ`, the Unix epoch without a timestamp. SPDX has a
/// four-digit year from 0001 and `jiff` stops a day short of year 10000, so a timestamp
/// outside both ranges is clamped to them.
pub(super) fn created(timestamp: Option<i64>) -> String {
    // 0001-01-01T00:00:00Z.
    const FIRST: i64 = -62_135_596_800;
    let last = jiff::Timestamp::MAX.as_second();
    let seconds = timestamp.unwrap_or(0).clamp(FIRST, last);
    jiff::Timestamp::from_second(seconds).map_or_else(
        |_| "1970-01-01T00:00:00Z".to_owned(),
        |at| at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )
}

/// `documentNamespace`: `<base><name>[-<version>]-<digest>`, the digest being the SHA-256
/// hex of the document written without its namespace, so identical content gets an identical
/// namespace and different content a different one.
pub(super) fn namespace(name: &str, version: Option<&str>, digest_hex: &str) -> String {
    let mut namespace = format!("{NAMESPACE_BASE}{}", percent_encode(name, b""));
    if let Some(version) = version {
        namespace.push('-');
        namespace.push_str(&percent_encode(version, b"+"));
    }
    namespace.push('-');
    namespace.push_str(digest_hex);
    namespace
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_locations_by_source() {
        let crates_io = download_location(
            Ecosystem::CratesIo,
            "serde",
            "1.0.200",
            &PackageSource::DefaultRegistry,
        );
        assert_eq!(
            crates_io,
            "https://crates.io/api/v1/crates/serde/1.0.200/download"
        );
        let git = |url: &str, rev: Option<&str>| {
            download_location(
                Ecosystem::CratesIo,
                "x",
                "1.0.0",
                &PackageSource::Git {
                    url: url.to_owned(),
                    rev: rev.map(str::to_owned),
                },
            )
        };
        assert_eq!(
            git("https://github.com/o/x?branch=main", Some("7f3a1b2c")),
            "git+https://github.com/o/x@7f3a1b2c"
        );
        assert_eq!(
            git("https://github.com/o/x?tag=v1", None),
            "git+https://github.com/o/x@v1"
        );
        assert_eq!(
            git("https://github.com/o/x", None),
            "git+https://github.com/o/x"
        );
        let elsewhere = PackageSource::Registry("sparse+https://cargo.example.com/".into());
        assert_eq!(
            download_location(Ecosystem::CratesIo, "x", "1.0.0", &elsewhere),
            "NOASSERTION"
        );
    }

    #[test]
    fn suppliers_in_actor_syntax() {
        assert_eq!(
            supplier("Jane Doe <jane@example.com>").as_deref(),
            Some("Person: Jane Doe (jane@example.com)")
        );
        assert_eq!(
            supplier("serde-rs").as_deref(),
            Some("Organization: serde-rs")
        );
        assert_eq!(
            supplier("Organization: Acme (Europe)").as_deref(),
            Some("Organization: Acme Europe")
        );
        assert_eq!(supplier("  "), None);
        assert_eq!(supplier("<a@b>"), None);
    }

    #[test]
    fn checksums_keep_only_well_formed_digests() {
        let hashes = [
            Hash {
                algorithm: HashAlgorithm::Sha512,
                hex: "ab".repeat(64),
            },
            Hash {
                algorithm: HashAlgorithm::Sha256,
                hex: "AB".repeat(32),
            },
            Hash {
                algorithm: HashAlgorithm::Sha256,
                hex: "zz".repeat(32),
            },
            Hash {
                algorithm: HashAlgorithm::Sha1,
                hex: "ab".repeat(32),
            },
        ];
        let written: Vec<(&str, String)> = checksums(&hashes)
            .into_iter()
            .map(|c| (c.algorithm, c.checksum_value))
            .collect();
        assert_eq!(
            written,
            [("SHA256", "ab".repeat(32)), ("SHA512", "ab".repeat(64))]
        );
    }

    #[test]
    fn created_is_whole_seconds_utc_and_clamped() {
        assert_eq!(created(None), "1970-01-01T00:00:00Z");
        assert_eq!(created(Some(1_700_000_000)), "2023-11-14T22:13:20Z");
        assert_eq!(created(Some(i64::MAX)), "9999-12-30T22:00:00Z");
        assert_eq!(created(Some(i64::MIN)), "0001-01-01T00:00:00Z");
    }

    #[test]
    fn namespace_encodes_the_name() {
        assert_eq!(
            namespace("my app#1", Some("1.0.0+b"), "ff"),
            "https://secgate.invalid/spdx/my%20app%231-1.0.0+b-ff"
        );
        assert_eq!(
            namespace("app", None, "ff"),
            "https://secgate.invalid/spdx/app-ff"
        );
    }
}
