//! The `osv-api` source: ask the OSV API which records affect this run's registry packages
//! (crates.io, npm, PyPI),
//! then fetch those records, so an audit sees advisories newer than any archive.

use anyhow::Context;
use secgate_core::Package;
use secgate_fetch::{Endpoints, FetchOptions, PackageQuery};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Records as `(origin, bytes)`: where each came from, and its JSON.
pub type Records = Vec<(PathBuf, Vec<u8>)>;

/// The API base URL (for reports) and every record it returned.
pub fn query<'a>(
    endpoints: Endpoints,
    packages: impl IntoIterator<Item = &'a Package>,
) -> anyhow::Result<(PathBuf, Records)> {
    let opts = FetchOptions {
        endpoints,
        ..FetchOptions::default()
    };
    let api = opts.endpoints.osv_api.clone();
    let queries: Vec<PackageQuery> = packages
        .into_iter()
        .filter(|p| p.source.is_default_registry())
        .map(|p| (p.ecosystem, p.name.as_str(), p.version.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|(ecosystem, name, version)| PackageQuery {
            ecosystem: ecosystem.as_str().to_owned(),
            name: name.to_owned(),
            version: version.to_owned(),
        })
        .collect();
    let hint = "hint: pass `--offline` to skip online sources, or remove `osv-api` from `[advisories] sources`";
    let ids: BTreeSet<String> = secgate_fetch::osv_query(&api, &queries, &opts)
        .with_context(|| format!("cannot query the OSV API at `{api}`\n{hint}"))?
        .into_iter()
        .flatten()
        .collect();
    let mut records = Vec::with_capacity(ids.len());
    for id in ids {
        let bytes = secgate_fetch::osv_vuln(&api, &id, &opts)
            .with_context(|| format!("cannot fetch `{id}` from the OSV API at `{api}`\n{hint}"))?;
        records.push((PathBuf::from(format!("{api}/v1/vulns/{id}")), bytes));
    }
    Ok((PathBuf::from(api), records))
}
