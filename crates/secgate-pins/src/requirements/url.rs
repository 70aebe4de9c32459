//! URL and path requirements: a VCS URL is pinned only by a full commit after `@`
//! (`git+https://host/o/r.git@<40 hex>`), an archive URL only by its own `#sha256=` hash; a path
//! or `file:` URL is the project's own code.

use super::spec::{Loose, Verdict};

/// A URL or path requirement rather than a name (`git+https://...`, `./pkg`, `.`).
pub(super) fn is_url_or_path(spec: &str) -> bool {
    // Project names never contain `/`; a first token with one is a path (`dist/x.whl`).
    let head = spec
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '@'))
        .next()
        .unwrap_or_default();
    spec.starts_with(['.', '/', '~'])
        || spec.starts_with("file:")
        || head.contains('/')
        || [".whl", ".tar.gz", ".zip"]
            .iter()
            .any(|ext| crate::shell::has_extension(head, ext))
        || spec.split_once("://").is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
}

/// The `#egg=NAME` of a URL, without extras.
pub(super) fn egg(url: &str) -> Option<&str> {
    let fragment = url.split_once('#')?.1;
    let egg = fragment
        .split('&')
        .find_map(|part| part.strip_prefix("egg="))?;
    let egg = egg.split('[').next().unwrap_or(egg);
    (!egg.is_empty()).then_some(egg)
}

/// (verdict, whether it has its own hash) of a URL or path.
pub(super) fn judge_url(url: &str, name: Option<&str>) -> (Verdict, bool) {
    if url.starts_with(['.', '/', '~']) || url.starts_with("file:") || !url.contains("://") {
        return (Verdict::Local, false);
    }
    let (base, fragment) = url.split_once('#').unwrap_or((url, ""));
    let vcs = ["git+", "hg+", "svn+", "bzr+", "git://"]
        .iter()
        .any(|p| url.starts_with(p));
    if vcs {
        let path = base
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('/'))
            .map_or("", |(_, path)| path);
        let rev = path.rsplit_once('@').map(|(_, rev)| rev);
        if rev.is_some_and(crate::shell::is_commit) {
            return (Verdict::Pinned, true);
        }
        let repo = match rev {
            Some(rev) => base
                .strip_suffix(rev)
                .and_then(|b| b.strip_suffix('@'))
                .unwrap_or(base),
            None => base,
        };
        let egg_part = if fragment.is_empty() {
            name.map(|n| format!("#egg={n}")).unwrap_or_default()
        } else {
            format!("#{fragment}")
        };
        let why = match rev {
            Some(rev) => format!("follows `{rev}`, a branch or tag that can move, not a commit"),
            None => "follows the repository's default branch, not a commit".to_owned(),
        };
        let pinned = format!("{repo}@<40-hex commit>{egg_part}");
        let pinned = match name {
            Some(name) if !name.is_empty() => format!("{name} @ {pinned}"),
            _ => pinned,
        };
        return (Verdict::Unpinned(Loose { why, pinned }), false);
    }
    let hashed = fragment.split('&').any(|part| {
        ["sha256=", "sha384=", "sha512="].iter().any(|p| {
            part.strip_prefix(p)
                .is_some_and(|h| h.len() >= 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        })
    });
    if hashed {
        return (Verdict::Pinned, true);
    }
    let pinned = format!("{base}#sha256=<sha256 of the archive>");
    let pinned = match name {
        Some(name) if !name.is_empty() => format!("{name} @ {pinned}"),
        _ => pinned,
    };
    (
        Verdict::Unpinned(Loose {
            why: "downloads an archive with no `#sha256=` hash, so its content can change"
                .to_owned(),
            pinned,
        }),
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::super::spec::{Loose, Verdict, judge};

    fn verdict(spec: &str) -> Verdict {
        judge(spec).verdict
    }

    fn loose(spec: &str) -> Loose {
        match verdict(spec) {
            Verdict::Unpinned(loose) => loose,
            other => panic!("{spec} is {other:?}"),
        }
    }

    #[test]
    fn urls_pin_by_commit_or_hash() {
        let sha = "a".repeat(40);
        assert_eq!(
            verdict(&format!("git+https://github.com/o/r.git@{sha}#egg=r")),
            Verdict::Pinned
        );
        assert_eq!(
            verdict(&format!("r @ git+ssh://git@github.com/o/r.git@{sha}")),
            Verdict::Pinned
        );
        let tag = loose("git+https://github.com/o/r.git@v1.0#egg=r");
        assert!(tag.why.contains("`v1.0`"));
        assert_eq!(
            tag.pinned,
            "git+https://github.com/o/r.git@<40-hex commit>#egg=r"
        );
        let ssh = loose("r @ git+ssh://git@github.com/o/r.git");
        assert!(ssh.why.contains("default branch"), "{ssh:?}");
        assert_eq!(
            ssh.pinned,
            "r @ git+ssh://git@github.com/o/r.git@<40-hex commit>#egg=r"
        );
        let hash = "b".repeat(64);
        let spec = format!("foo @ https://x/foo-1.0.tar.gz#sha256={hash}");
        let hashed = judge(&spec);
        assert_eq!(
            (hashed.verdict, hashed.self_hashed),
            (Verdict::Pinned, true)
        );
        assert!(
            loose("https://x/foo-1.0.tar.gz")
                .why
                .contains("no `#sha256=`")
        );
        assert_eq!(
            judge("git+https://x/o/r@main#egg=My_Pkg[x]").name,
            Some("My_Pkg")
        );
    }

    #[test]
    fn local_paths_are_the_projects_own_code() {
        for spec in [
            ".",
            "./pkg",
            ".[dev]",
            "/abs/pkg",
            "file:///tmp/x.whl",
            "dist/x.whl",
        ] {
            assert_eq!(verdict(spec), Verdict::Local, "{spec}");
        }
    }
}
