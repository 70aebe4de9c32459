//! `uses:` references: `action-unpinned` for anything but a full commit SHA, and for a SHA pin
//! the version comment after it (an [`ActionRef`] for the online tag check, or an offline
//! `action-tag-mismatch` when the comment is not a version).

use super::comment::{trailing_comment, version_token};
use super::yaml::Scalar;
use crate::{ActionRef, ActionsRule, PinsOptions, SourceFile};
use saphyr_parser::ScalarStyle;
use secgate_core::Code;

/// What a `uses:` value refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Uses<'a> {
    /// `./path`: code of the same repository, pinned by the checkout itself.
    Local,
    /// `docker://image`, pinned when it ends in `@sha256:<64 hex>`.
    Docker { image: &'a str, pinned: bool },
    /// Contains `${{ ... }}`: what runs is decided at run time.
    Expression,
    /// `owner/repo[/path][@ref]`.
    Remote {
        /// `owner/repo[/path]`.
        target: &'a str,
        /// `owner/repo`, for `allow_tags`.
        repo: &'a str,
        /// The ref after `@`, and what kind it looks like.
        reference: Ref<'a>,
    },
}

/// The ref of a remote `uses:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ref<'a> {
    /// A full 40-hex commit SHA: pinned.
    Sha(&'a str),
    /// 7 to 39 hex digits: an abbreviated commit.
    ShortSha(&'a str),
    /// Looks like a version (`v4`, `1.2.3`).
    Tag(&'a str),
    /// A well-known branch name (`main`, `stable`) or one with a `/`.
    Branch(&'a str),
    /// Anything else: a tag or a branch, the name does not say.
    TagOrBranch(&'a str),
    /// No `@ref`, or an empty one.
    Missing,
}

/// Branch names that are never tags in practice.
const BRANCHES: &[&str] = &[
    "main", "master", "stable", "beta", "nightly", "develop", "dev", "trunk", "next", "head",
];

impl<'a> Uses<'a> {
    /// Classifies a `uses:` value.
    pub(crate) fn parse(value: &'a str) -> Uses<'a> {
        let value = value.trim();
        if value.contains("${{") {
            return Uses::Expression;
        }
        if value.starts_with("./") {
            return Uses::Local;
        }
        if let Some(image) = value.strip_prefix("docker://") {
            return Uses::Docker {
                image,
                pinned: super::image::has_digest(image),
            };
        }
        let (target, reference) = match value.split_once('@') {
            Some((target, reference)) => (target, Ref::classify(reference)),
            None => (value, Ref::Missing),
        };
        let repo = match target.match_indices('/').nth(1) {
            Some((second_slash, _)) => &target[..second_slash],
            None => target,
        };
        Uses::Remote {
            target,
            repo,
            reference,
        }
    }
}

impl<'a> Ref<'a> {
    fn classify(reference: &'a str) -> Ref<'a> {
        let hex = reference.bytes().all(|b| b.is_ascii_hexdigit());
        if reference.is_empty() {
            Ref::Missing
        } else if hex && reference.len() == 40 {
            Ref::Sha(reference)
        } else if hex && (7..40).contains(&reference.len()) {
            Ref::ShortSha(reference)
        } else if super::comment::is_version(reference) {
            Ref::Tag(reference)
        } else if reference.contains('/')
            || BRANCHES.contains(&reference.to_ascii_lowercase().as_str())
        {
            Ref::Branch(reference)
        } else {
            Ref::TagOrBranch(reference)
        }
    }
}

/// Checks the `uses:` scalar `uses`, adding findings and action refs to `out`.
pub(crate) fn check(
    file: &SourceFile,
    uses: &Scalar,
    options: &PinsOptions,
    out: &mut super::Checked,
) {
    let value = uses.value.trim();
    if options.actions == ActionsRule::Off || value.is_empty() {
        return;
    }
    let (message, fix) = match Uses::parse(value) {
        Uses::Local | Uses::Docker { pinned: true, .. } => return,
        Uses::Remote {
            target,
            repo,
            reference: Ref::Sha(sha),
        } => return version_comment(file, uses, target, repo, sha, out),
        Uses::Remote { repo, .. } if options.tag_allowed(repo) => return,
        Uses::Expression => (
            format!(
                "action `{value}` contains a `${{{{ }}}}` expression, so it cannot be verified \
                 as pinned to a commit"
            ),
            "name the action literally and pin it to the commit: `uses: \
             owner/repo@<40-hex sha> # <version>`"
                .to_owned(),
        ),
        Uses::Docker { image, .. } => (
            format!(
                "action `{value}` runs image `{image}` by tag, which can be re-pushed; it is not \
                 pinned by digest"
            ),
            format!("pin the image digest: `uses: docker://{image}@sha256:<digest>`"),
        ),
        Uses::Remote {
            target,
            reference: Ref::Missing,
            ..
        } => (
            format!(
                "{} `{target}` has no `@ref`, so it is not pinned to a commit",
                kind(target)
            ),
            format!("pin to the commit: `uses: {target}@<40-hex sha> # <version>`"),
        ),
        Uses::Remote {
            target, reference, ..
        } => {
            let (what, written) = describe(reference);
            (
                format!(
                    "{} `{target}` {what}; only a full commit SHA is immutable",
                    kind(target)
                ),
                format!("pin to the commit: `uses: {target}@<40-hex sha> # {written}`"),
            )
        }
    };
    let mut finding = file.finding(
        Code::ActionUnpinned,
        value_span(file, uses),
        message,
        Some(fix),
    );
    finding.id = Some(value.to_owned());
    out.findings.push(finding);
}

/// "action" or "reusable workflow", for messages.
fn kind(target: &str) -> &'static str {
    if target.contains("/.github/workflows/") {
        "reusable workflow"
    } else {
        "action"
    }
}

/// How an unpinned ref is used, for the message, and the ref as written, for the fix's comment.
fn describe(reference: Ref<'_>) -> (String, &str) {
    match reference {
        Ref::ShortSha(r) => (
            format!(
                "is referenced by the short commit SHA `{r}`, which another commit can be made \
                 to share"
            ),
            r,
        ),
        Ref::Tag(r) => (
            format!("is referenced by tag `{r}`, which can be moved to other code"),
            r,
        ),
        Ref::Branch(r) => (
            format!("follows branch `{r}`, which changes with every push"),
            r,
        ),
        Ref::TagOrBranch(r) => (
            format!("is referenced by tag or branch `{r}`, which can be moved to other code"),
            r,
        ),
        Ref::Sha(r) => (format!("is pinned to `{r}`"), r),
        Ref::Missing => ("has no ref".to_owned(), ""),
    }
}

/// The bytes of the value as written: inside the quotes of a quoted scalar, without the
/// whitespace a plain one may carry.
pub(crate) fn value_span(file: &SourceFile, scalar: &Scalar) -> std::ops::Range<usize> {
    let value = scalar.value.trim();
    file.text
        .get(scalar.span.clone())
        .and_then(|source| source.find(value))
        .filter(|_| !value.is_empty())
        .map_or(scalar.span.clone(), |at| {
            scalar.span.start + at..scalar.span.start + at + value.len()
        })
}

/// The comment after a SHA pin: an [`ActionRef`] when it names a version, else an
/// `action-tag-mismatch` finding. No comment, no check.
fn version_comment(
    file: &SourceFile,
    uses: &Scalar,
    target: &str,
    repo: &str,
    sha: &str,
    out: &mut super::Checked,
) {
    if matches!(uses.style, ScalarStyle::Literal | ScalarStyle::Folded) {
        return;
    }
    let Some(comment) = trailing_comment(&file.text, uses.span.end) else {
        return;
    };
    let Some(text) = file.text.get(comment.text.clone()) else {
        return;
    };
    if let Some(version) = version_token(text) {
        let span = comment.text.start + version.start..comment.text.start + version.end;
        out.action_refs.push(ActionRef {
            repo: repo.to_owned(),
            sha: sha.to_ascii_lowercase(),
            tag: text.get(version).unwrap_or_default().to_owned(),
            location: file.location(span),
        });
        return;
    }
    let written = file.text.get(comment.whole.clone()).unwrap_or_default();
    let mut finding = file.finding(
        Code::ActionTagMismatch,
        comment.whole,
        format!("the comment after the SHA pin of `{target}` is not a version: `{written}`"),
        Some(format!(
            "write the tag of that commit after the pin: `uses: {target}@{sha} # vX.Y.Z`"
        )),
    );
    finding.id = Some(uses.value.trim().to_owned());
    out.findings.push(finding);
}

#[cfg(test)]
mod tests;
