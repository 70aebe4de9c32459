//! Package URLs of locked packages, with the qualifiers that tell sources apart.
//!
//! crates.io and local packages get the plain `pkg:cargo/<name>@<version>` (a path dependency
//! has no address of its own; its name and version are all an SBOM reader can match on). A git
//! package adds `vcs_url=git+<repository>[?<query>]@<commit>`, another registry adds
//! `repository_url=<index>`. Qualifier values are percent-encoded and qualifiers are sorted by
//! key, as the purl specification requires.

use secgate_core::{Ecosystem, PackageSource, percent_encode, purl};
use std::collections::BTreeMap;

/// The purl of a package `name`@`version` from `source`.
pub(crate) fn package_purl(
    ecosystem: Ecosystem,
    name: &str,
    version: &str,
    source: &PackageSource,
) -> String {
    let mut out = purl(ecosystem, name, version);
    // A workspace member without a version (uv's dynamic versions, an npm folder without
    // one): the purl version is optional, and `name@` is no valid purl.
    if version.is_empty() {
        out.pop();
    }
    let qualifiers = qualifiers(source);
    for (i, (key, value)) in qualifiers.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(key);
        out.push('=');
        out.push_str(&percent_encode(value, b""));
    }
    out
}

/// The repository of a git source without the manifest's `?branch=`/`?rev=`/`?tag=` query.
pub(crate) fn git_repository(url: &str) -> &str {
    url.split_once('?')
        .map_or(url, |(repository, _)| repository)
}

/// Qualifiers by key: a `BTreeMap` keeps them in the order the purl specification requires.
fn qualifiers(source: &PackageSource) -> BTreeMap<&'static str, String> {
    let mut qualifiers = BTreeMap::new();
    match source {
        PackageSource::DefaultRegistry | PackageSource::Local => {}
        PackageSource::Registry(index) => {
            qualifiers.insert("repository_url", index.clone());
        }
        PackageSource::Git { url, rev } => {
            // Cargo's source id with `@` for `#` before the commit, as cargo-cyclonedx writes
            // it: the manifest's `?branch=`/`?rev=` query stays, because Cargo locks (and
            // builds) the same commit asked for in two ways as two packages, and their
            // bom_refs must differ as well.
            let mut vcs_url = format!("git+{url}");
            if let Some(rev) = rev {
                vcs_url.push('@');
                vcs_url.push_str(rev);
            }
            qualifiers.insert("vcs_url", vcs_url);
        }
    }
    qualifiers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cargo(name: &str, version: &str, source: &PackageSource) -> String {
        package_purl(Ecosystem::CratesIo, name, version, source)
    }

    #[test]
    fn crates_io_and_local_packages_have_no_qualifiers() {
        assert_eq!(
            cargo("serde", "1.0.0", &PackageSource::DefaultRegistry),
            "pkg:cargo/serde@1.0.0"
        );
        assert_eq!(
            cargo("bat", "0.25.0", &PackageSource::Local),
            "pkg:cargo/bat@0.25.0"
        );
    }

    #[test]
    fn git_packages_carry_the_encoded_repository_and_commit() {
        let source = PackageSource::Git {
            url: "https://github.com/oxidecomputer/tough?branch=oxide%2Fdevelop".into(),
            rev: Some("56967c96".into()),
        };
        assert_eq!(
            cargo("tough", "0.1.0", &source),
            "pkg:cargo/tough@0.1.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Foxidecomputer\
             %2Ftough%3Fbranch%3Doxide%252Fdevelop%4056967c96"
        );
        let plain = PackageSource::Git {
            url: "https://example.com/x".into(),
            rev: Some("abc".into()),
        };
        assert_eq!(
            cargo("x", "1.0.0", &plain),
            "pkg:cargo/x@1.0.0?vcs_url=git%2Bhttps%3A%2F%2Fexample.com%2Fx%40abc"
        );
        let bare = PackageSource::Git {
            url: "https://example.com/x".into(),
            rev: None,
        };
        assert_eq!(
            cargo("x", "1.0.0", &bare),
            "pkg:cargo/x@1.0.0?vcs_url=git%2Bhttps%3A%2F%2Fexample.com%2Fx"
        );
    }

    #[test]
    fn packages_without_a_version_have_no_at() {
        assert_eq!(
            package_purl(Ecosystem::PyPI, "pydantic", "", &PackageSource::Local),
            "pkg:pypi/pydantic"
        );
        assert_eq!(
            package_purl(
                Ecosystem::Npm,
                "@s/a",
                "1.0.0",
                &PackageSource::DefaultRegistry
            ),
            "pkg:npm/%40s/a@1.0.0"
        );
    }

    #[test]
    fn other_registries_carry_their_index() {
        let source = PackageSource::Registry("sparse+https://cargo.example.com/index/".into());
        assert_eq!(
            cargo("x", "1.0.0", &source),
            "pkg:cargo/x@1.0.0?repository_url=\
             sparse%2Bhttps%3A%2F%2Fcargo.example.com%2Findex%2F"
        );
    }
}
