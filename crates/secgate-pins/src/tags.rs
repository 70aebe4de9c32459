//! `action-tag-mismatch` online: a workflow pins `owner/repo@<sha> # vX.Y.Z`; the caller resolves
//! each (repository, tag) to the commit it points at (the GitHub API) and [`tag_mismatches`]
//! compares. The scan itself never touches the network.

use secgate_core::{Code, Finding, Location};
use std::collections::BTreeMap;

/// An action pinned by commit SHA with a version comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionRef {
    /// `owner/repo` (without a sub-path), as written.
    pub repo: String,
    /// The 40-hex commit SHA, lower-case.
    pub sha: String,
    /// The version the comment names (`v4.2.2`).
    pub tag: String,
    /// Where the comment's version is.
    pub location: Location,
}

/// What a (repository, tag) resolved to: the commit, or `None` when the repository has no such
/// tag. Keys are `(owner/repo lower-cased, tag)`; pairs that could not be looked up are absent.
pub type ResolvedTags = BTreeMap<(String, String), Option<String>>;

/// An `action-tag-mismatch` finding for every ref whose tag resolved to another commit, or does
/// not exist. Refs whose tag was not looked up produce nothing.
pub fn tag_mismatches(refs: &[ActionRef], resolved: &ResolvedTags) -> Vec<Finding> {
    let mut findings = Vec::new();
    for r in refs {
        let key = (r.repo.to_ascii_lowercase(), r.tag.clone());
        let Some(commit) = resolved.get(&key) else {
            continue;
        };
        let message = match commit {
            Some(commit) if commit.eq_ignore_ascii_case(&r.sha) => continue,
            Some(commit) => format!(
                "`{}` is pinned to {} but the comment says {}, which is commit {commit}",
                r.repo, r.sha, r.tag
            ),
            None => format!(
                "`{}` is pinned to {} but the comment names tag {}, which the repository does not have",
                r.repo, r.sha, r.tag
            ),
        };
        let mut finding = Finding::new(Code::ActionTagMismatch, r.location.clone(), message);
        finding.id = Some(format!("{}@{}", r.repo, r.tag));
        finding.fix = Some(match commit {
            Some(commit) => format!(
                "pin `{}@{commit} # {}`, or change the comment to the tag of {}",
                r.repo, r.tag, r.sha
            ),
            None => format!("change the comment to the tag of {}", r.sha),
        });
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(tag: &str) -> ActionRef {
        ActionRef {
            repo: "actions/Checkout".into(),
            sha: "a".repeat(40),
            tag: tag.into(),
            location: Location::new(".github/workflows/ci.yml", 7, 60),
        }
    }

    #[test]
    fn only_wrong_or_missing_tags_are_findings() {
        let mut resolved = ResolvedTags::new();
        resolved.insert(
            ("actions/checkout".into(), "v1".into()),
            Some("a".repeat(40)),
        );
        resolved.insert(
            ("actions/checkout".into(), "v2".into()),
            Some("b".repeat(40)),
        );
        resolved.insert(("actions/checkout".into(), "v9".into()), None);
        let refs = [r("v1"), r("v2"), r("v9"), r("v3")];
        let found = tag_mismatches(&refs, &resolved);
        let ids: Vec<_> = found.iter().map(|f| f.id.clone().unwrap()).collect();
        assert_eq!(ids, ["actions/Checkout@v2", "actions/Checkout@v9"]);
        assert!(found[0].message.contains(&"b".repeat(40)));
        assert!(found[1].message.contains("does not have"));
        assert_eq!(found[0].location.line, 7);
    }
}
