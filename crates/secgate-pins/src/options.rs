//! What the policy's `[pins]` section asks of the pinning gate.

/// How actions must be referenced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ActionsRule {
    /// `uses: owner/repo@<40 hex>` (owners in `allow_tags` may use tags).
    #[default]
    Sha,
    /// Not checked.
    Off,
}

/// How container images must be referenced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ImagesRule {
    /// `FROM image@sha256:...`.
    #[default]
    Digest,
    /// Not checked.
    Off,
}

/// How Python requirements must be pinned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PythonRule {
    /// `name==version` on every line.
    #[default]
    Exact,
    /// `name==version` and at least one `--hash` on every line.
    ExactWithHashes,
    /// Not checked.
    Off,
}

/// The pinning gate's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PinsOptions {
    /// Actions rule.
    pub actions: ActionsRule,
    /// `owner/*` or `owner/repo` patterns whose actions may be used by tag or branch.
    pub allow_tags: Vec<String>,
    /// Images rule.
    pub images: ImagesRule,
    /// Python rule.
    pub python: PythonRule,
}

impl PinsOptions {
    /// Whether `uses: owner/repo[/path]@ref` may use a tag: its `owner/repo` matches an
    /// `allow_tags` pattern (`owner/*` or exactly `owner/repo`, compared case-insensitively like
    /// GitHub does).
    pub fn tag_allowed(&self, owner_repo: &str) -> bool {
        let owner_repo = owner_repo.to_ascii_lowercase();
        let owner = owner_repo.split('/').next().unwrap_or_default();
        self.allow_tags.iter().any(|pattern| {
            let pattern = pattern.to_ascii_lowercase();
            match pattern.strip_suffix("/*") {
                Some(p_owner) => p_owner == owner,
                None => pattern == owner_repo,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_tags_matches_owner_wildcards_and_exact_repos() {
        let o = PinsOptions {
            allow_tags: vec!["actions/*".into(), "Swatinem/rust-cache".into()],
            ..PinsOptions::default()
        };
        assert!(o.tag_allowed("actions/checkout"));
        assert!(o.tag_allowed("swatinem/rust-cache"));
        assert!(!o.tag_allowed("swatinem/other"));
        assert!(!o.tag_allowed("actions-rs/toolchain"));
    }
}
