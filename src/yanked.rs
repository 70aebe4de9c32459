//! Looking up the yanked state of every locked crates.io package in the registry's sparse
//! index (online only; cached by `secgate-fetch`), in parallel.

use crate::cli::GlobalArgs;
use anyhow::Context;
use secgate_advisories::YankedIndex;
use secgate_core::Package;
use secgate_fetch::{Endpoints, FetchError, FetchOptions};
use std::collections::BTreeSet;
use std::time::Duration;

/// How long a cached index entry is trusted before it is asked for again.
const INDEX_MAX_AGE: Duration = Duration::from_secs(3_600);
/// Index requests in flight at once.
const PARALLEL: usize = 16;

/// The index entries of every crates.io package, and the crates the index does not know.
pub fn lookup<'a>(
    global: &GlobalArgs,
    endpoints: Endpoints,
    packages: impl IntoIterator<Item = &'a Package>,
) -> anyhow::Result<(YankedIndex, Vec<String>)> {
    let names: Vec<&str> = packages
        .into_iter()
        .filter(|p| {
            p.ecosystem == secgate_core::Ecosystem::CratesIo && p.source.is_default_registry()
        })
        .map(|p| p.name.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let cache = crate::db::cache_dir(global)?;
    let opts = FetchOptions {
        endpoints,
        ..FetchOptions::default()
    };
    let results = crate::parallel::map(&names, PARALLEL, |name| {
        secgate_fetch::yanked_versions(&cache, name, &opts, INDEX_MAX_AGE)
    });
    let mut index = YankedIndex::new();
    let mut unknown = Vec::new();
    for (&name, result) in names.iter().zip(results) {
        match result {
            Ok(versions) => {
                index.insert(name.to_owned(), versions);
            }
            Err(FetchError::Http { status: 404, .. }) => unknown.push(name.to_owned()),
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("cannot check whether `{name}` is yanked\nhint: pass `--offline` to skip the yanked check")
                });
            }
        }
    }
    Ok((index, unknown))
}
