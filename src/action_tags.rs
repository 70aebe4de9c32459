//! Online half of `action-tag-mismatch`: ask the GitHub API which commit each (repository, tag)
//! named in a `# vX.Y.Z` comment points at, in parallel, each pair once.

use anyhow::Context;
use secgate_fetch::{Endpoints, FetchOptions};
use secgate_pins::{ActionRef, ResolvedTags};
use std::collections::BTreeSet;

/// Requests in flight at once.
const PARALLEL: usize = 8;

/// The commit of every (repository, tag) the refs name. `GITHUB_TOKEN` (or `GH_TOKEN`) is sent
/// when set. A failed lookup fails the run: a tag check that did not happen must not pass.
pub fn resolve(endpoints: Endpoints, refs: &[ActionRef]) -> anyhow::Result<ResolvedTags> {
    let pairs: Vec<(String, String)> = refs
        .iter()
        .map(|r| (r.repo.to_ascii_lowercase(), r.tag.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let token = ["GITHUB_TOKEN", "GH_TOKEN"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|t| !t.is_empty()));
    let opts = FetchOptions {
        endpoints,
        ..FetchOptions::default()
    };
    let api = &opts.endpoints.github_api;
    let results = crate::parallel::map(&pairs, PARALLEL, |(repo, tag)| {
        secgate_fetch::tag_commit(api, repo, tag, token.as_deref(), &opts)
    });
    let mut resolved = ResolvedTags::new();
    for (pair, result) in pairs.iter().zip(results) {
        let commit = result.with_context(|| {
            format!(
                "cannot check which commit tag `{}` of `{}` points at\n\
                 hint: set `GITHUB_TOKEN` (the API limits anonymous requests), or pass `--offline` \
                 to check only that version comments are versions",
                pair.1, pair.0
            )
        })?;
        resolved.insert(pair.clone(), commit);
    }
    Ok(resolved)
}
