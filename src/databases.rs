//! Which advisory databases a gate uses, and whether they are fresh enough to trust.
//!
//! `--db DIR` (or `$SECGATE_DB`) is used as it is: no freshness check, its age is reported.
//! Otherwise the databases fetched by `secgate db fetch` are taken from the cache, for the
//! sources the policy enables, and must be younger than the policy's `max-age`. Either way the
//! prebuilt indexes live in `<cache>/index/` (see [`secgate_advisories::AdvisoryIndex`]).

use crate::cli::GlobalArgs;
use anyhow::bail;
use secgate_advisories::AdvisoryIndex;
use secgate_core::{Code, Finding, Location};
use secgate_policy::{Policy, Source};
use std::path::PathBuf;

/// The databases chosen for one run.
pub struct Selected {
    /// Directories (or archives) to load.
    pub dirs: Vec<PathBuf>,
    /// For cached data: when it was fetched and whether that is too long ago.
    pub freshness: Option<Freshness>,
    /// Where the prebuilt indexes are; `None` when there is no cache directory.
    pub index: Option<AdvisoryIndex>,
}

/// Age of the cached databases.
pub struct Freshness {
    /// Seconds since the last fetch.
    pub age: u64,
    /// Older than the policy allows.
    pub stale: bool,
    /// The cache manifest, where a `db-stale` finding points when the policy is silent.
    pub manifest: PathBuf,
}

/// Chooses the databases for `policy`. With the `osv-api` source online, the cache may hold
/// nothing: the API alone is then the database.
pub fn select(global: &GlobalArgs, policy: &Policy) -> anyhow::Result<Selected> {
    let explicit = global.db_dirs();
    if !explicit.is_empty() {
        return Ok(Selected {
            dirs: explicit,
            freshness: None,
            index: crate::db::cache_dir(global)
                .ok()
                .map(|cache| crate::db::index(&cache, None)),
        });
    }
    let sources = &policy.advisories.sources;
    let api_only = sources.iter().all(|s| *s == Source::OsvApi);
    if api_only && !global.offline {
        return Ok(Selected {
            dirs: Vec::new(),
            freshness: None,
            index: None,
        });
    }
    if api_only {
        bail!(
            "the policy's only advisory source is `osv-api`, and `--offline` forbids the network"
        );
    }
    let cache = crate::db::cache_dir(global)?;
    let Some(manifest) = secgate_fetch::read_manifest(&cache)? else {
        bail!(
            "no advisory database: nothing fetched into `{}` and no `--db` given\n\
             hint: run `secgate db fetch` first, or pass `--db DIR` (a RustSec advisory-db checkout or an OSV tree)",
            cache.display()
        );
    };
    let db = cache.join("db");
    let mut dirs = Vec::new();
    if sources.contains(&Source::Rustsec) && manifest.source("rustsec").is_some() {
        dirs.push(db.join("rustsec"));
    }
    if sources.contains(&Source::Osv) && manifest.sources.iter().any(|s| s.name.starts_with("osv/"))
    {
        dirs.push(db.join("osv"));
    }
    if dirs.is_empty() {
        bail!(
            "the fetched databases in `{}` hold none of the policy's sources ({})\nhint: run `secgate db fetch`",
            db.display(),
            sources
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let age = crate::db::now().saturating_sub(manifest.fetched_at);
    Ok(Selected {
        index: Some(crate::db::index(&cache, Some(&manifest))),
        dirs,
        freshness: Some(Freshness {
            age,
            stale: age > policy.advisories.max_age.as_secs(),
            manifest: db.join(secgate_fetch::MANIFEST_FILE),
        }),
    })
}

/// The `db-stale` finding: at the policy's `max-age` when it sets one, else at the manifest.
pub fn stale_finding(freshness: &Freshness, policy: &Policy) -> Finding {
    let location = policy
        .advisories
        .max_age_location
        .clone()
        .unwrap_or_else(|| Location::new(freshness.manifest.to_string_lossy(), 1, 1));
    let mut f = Finding::new(
        Code::DbStale,
        location,
        format!(
            "the advisory databases were fetched {} ago, more than `max-age` ({}) allows",
            crate::db::age(freshness.age),
            policy.advisories.max_age_text()
        ),
    );
    f.fix = Some("run `secgate db fetch`".to_owned());
    f
}

/// Says on standard error why the gate did not run on stale data: the report (perhaps written
/// to a file, perhaps SARIF) holds the `db-stale` finding, but a CI log must explain exit 2 too.
/// The run on stale data ends here, whatever the levels: the report holds the `db-stale`
/// finding, stderr says why, and the exit code is 2.
pub fn stale_exit(
    global: &GlobalArgs,
    stale: Finding,
    packages: usize,
    sources: &secgate_report::Sources,
) -> anyhow::Result<u8> {
    let report = secgate_report::Report::new(env!("CARGO_PKG_VERSION"), vec![stale], packages, 0);
    crate::output::emit(global, &report, sources)?;
    if let Some(stale) = report.findings.first() {
        print_stale(stale, global);
    }
    Ok(crate::exit::EXIT_ERROR)
}

fn print_stale(stale: &Finding, global: &GlobalArgs) {
    let fix = stale.fix.as_deref().unwrap_or("run `secgate db fetch`");
    crate::fail::print(
        &anyhow::anyhow!("{}\nhint: {fix}", stale.message),
        global.color_stderr(),
    );
}
