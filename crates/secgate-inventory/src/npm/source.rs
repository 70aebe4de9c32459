//! Where an npm package comes from, decided from the URL or specifier a lockfile records
//! (`resolved`, pnpm `tarball`, yarn berry `resolution`).
//!
//! The public registry is recognised by host, including the `.invalid` placeholders the shared
//! corpus uses instead of the real hosts. GitHub tarball downloads of a commit or tag are git
//! sources (advisories for the registry package do not apply to a fork's tarball).

use secgate_core::PackageSource;

/// Hosts of the public npm registry and its mirrors that serve the same packages.
const DEFAULT_REGISTRY_HOSTS: &[&str] = &[
    "registry.npmjs.org",
    "registry.npmjs.com",
    "registry.yarnpkg.com",
    "registry.npm.invalid",
    "registry.yarn.invalid",
];

/// Specifier prefixes that name a git repository (`git:` covers `git://`).
const GIT_PREFIXES: &[&str] = &[
    "git+",
    "git:",
    "git@",
    "github:",
    "gitlab:",
    "bitbucket:",
    "gist:",
];

/// Whether an npm specifier or `resolved` value names a git repository (`git+https://…`,
/// `github:owner/repo`, ...), as npm reads them.
pub fn is_git_specifier(spec: &str) -> bool {
    GIT_PREFIXES.iter().any(|p| spec.starts_with(p))
}

/// Specifier prefixes of packages built from the repository itself.
const LOCAL_PREFIXES: &[&str] = &["file:", "link:", "workspace:", "portal:"];

/// The source of package `name` downloaded from `resolved`.
pub(crate) fn from_resolved(resolved: &str, name: &str) -> PackageSource {
    if LOCAL_PREFIXES.iter().any(|p| resolved.starts_with(p)) {
        return PackageSource::Local;
    }
    if is_git_specifier(resolved) {
        return git(resolved);
    }
    let Some((scheme, rest)) = resolved.split_once("://") else {
        // A bare path (a v2 link's `resolved`) is a folder of the repository.
        return PackageSource::Local;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| host_only(h));
    let host = host_only(host);
    if DEFAULT_REGISTRY_HOSTS.contains(&host) {
        return PackageSource::DefaultRegistry;
    }
    if let Some(source) = github_tarball(host, rest) {
        return source;
    }
    if resolved.contains(".git#") || has_git_suffix(resolved) {
        return git(resolved);
    }
    PackageSource::Registry(registry_base(scheme, rest, name))
}

/// Whether `url` ends in `.git` (in any case).
pub(crate) fn has_git_suffix(url: &str) -> bool {
    std::path::Path::new(url)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("git"))
}

fn host_only(host: &str) -> &str {
    host.split(':').next().unwrap_or(host)
}

/// A git specifier: the URL without `git+` and fragment, the fragment as the revision (yarn
/// berry writes `#commit=SHA`).
pub(crate) fn git(spec: &str) -> PackageSource {
    let spec = spec.strip_prefix("git+").unwrap_or(spec);
    let (url, fragment) = spec.split_once('#').unwrap_or((spec, ""));
    let rev = fragment
        .split('&')
        .find_map(|part| part.strip_prefix("commit=").or(Some(part)))
        .filter(|rev| !rev.is_empty() && !rev.contains('='))
        .map(str::to_owned);
    PackageSource::Git {
        url: url.to_owned(),
        rev,
    }
}

/// `codeload.github.com/o/r/tar.gz/REF` and `github.com/o/r/tarball/REF` (or `archive/REF.tar.gz`).
fn github_tarball(host: &str, rest: &str) -> Option<PackageSource> {
    let path = rest.get(host.len()..)?.trim_start_matches('/');
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut parts = path.splitn(4, '/');
    let (owner, repo, kind, reference) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let reference = match (host, kind) {
        ("codeload.github.com", "tar.gz" | "zip" | "legacy.tar.gz")
        | ("github.com", "tarball" | "zipball") => reference,
        ("github.com", "archive") => reference
            .strip_suffix(".tar.gz")
            .or_else(|| reference.strip_suffix(".zip"))
            .unwrap_or(reference),
        _ => return None,
    };
    Some(PackageSource::Git {
        url: format!("https://github.com/{owner}/{repo}"),
        rev: Some(reference.to_owned()).filter(|r| !r.is_empty()),
    })
}

/// The registry a tarball URL belongs to: the part before `/NAME/-/FILE.tgz`, else the URL.
fn registry_base(scheme: &str, rest: &str, name: &str) -> String {
    let url = rest.split('#').next().unwrap_or(rest);
    let base = url.split_once("/-/").map_or(url, |(before, _)| {
        before
            .strip_suffix(name)
            .or_else(|| before.strip_suffix(&name.replace('/', "%2f")))
            .or_else(|| before.strip_suffix(&name.replace('/', "%2F")))
            .map_or(before, |b| b.trim_end_matches('/'))
    });
    format!("{scheme}://{base}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_hosts_git_and_local() {
        let t = |r: &str| from_resolved(r, "@s/p");
        assert_eq!(
            t("https://registry.npm.invalid/@s/p/-/p-1.0.0.tgz"),
            PackageSource::DefaultRegistry
        );
        assert_eq!(
            t("http://registry.npmjs.org/@s/p/-/p-1.0.0.tgz"),
            PackageSource::DefaultRegistry
        );
        assert_eq!(
            t("https://npm.corp.example/api/npm/@s/p/-/p-1.0.0.tgz"),
            PackageSource::Registry("https://npm.corp.example/api/npm".into())
        );
        assert_eq!(
            t("git+ssh://git@github.com/o/r.git#abc123"),
            PackageSource::Git {
                url: "ssh://git@github.com/o/r.git".into(),
                rev: Some("abc123".into())
            }
        );
        assert_eq!(
            t("https://codeload.github.com/webpack/tooling/tar.gz/4c13a0"),
            PackageSource::Git {
                url: "https://github.com/webpack/tooling".into(),
                rev: Some("4c13a0".into())
            }
        );
        assert_eq!(
            git("https://github.com/o/r.git#commit=abc"),
            PackageSource::Git {
                url: "https://github.com/o/r.git".into(),
                rev: Some("abc".into())
            }
        );
        assert_eq!(t("file:../p"), PackageSource::Local);
        assert_eq!(t("packages/p"), PackageSource::Local);
    }
}
