//! `secgate db fetch | status`: the advisory databases in the cache, and their prebuilt
//! indexes in `<cache>/index/`.

use crate::cli::{DbArgs, DbCommand, GlobalArgs};
use crate::exit;
use anyhow::{Context, bail};
use secgate_advisories::{AdvisoryIndex, IndexState};
use secgate_fetch::{FetchOptions, Manifest};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The directory of the prebuilt advisory indexes, inside the cache.
const INDEX_DIR: &str = "index";

pub fn run(global: &GlobalArgs, args: &DbArgs) -> anyhow::Result<u8> {
    let cache = cache_dir(global)?;
    match &args.command {
        DbCommand::Fetch(fetch) => {
            if global.offline {
                bail!("`db fetch` downloads the databases, and `--offline` forbids the network");
            }
            // The policy of the current directory may name mirrors (`[advisories.db-urls]`).
            let (policy, _) =
                secgate_policy::load(std::path::Path::new("."), global.config.as_deref())?;
            let opts = FetchOptions {
                endpoints: crate::endpoints::endpoints(&policy),
                ecosystems: fetch.ecosystem.clone(),
                ..FetchOptions::default()
            };
            let previous = secgate_fetch::read_manifest(&cache).ok().flatten();
            let manifest = secgate_fetch::fetch(&cache, &opts).with_context(|| {
                format!(
                    "cannot fetch the advisory databases into `{}` (the previous copy, if any, is kept)",
                    cache.display()
                )
            })?;
            let index = index(&cache, Some(&manifest));
            let mut text = String::new();
            for s in &manifest.sources {
                if let Err(e) = index.build(&cache.join("db").join(&s.path)) {
                    let e = anyhow::Error::new(e);
                    let _ = writeln!(text, "note: no index built for {}: {e:#}", s.name);
                }
            }
            // Indexes of data this fetch replaced are of no further use.
            for old in previous.iter().flat_map(|m| &m.sources) {
                if !manifest.sources.iter().any(|s| s.sha256 == old.sha256) {
                    index.discard(&old.sha256);
                }
            }
            text.insert_str(0, &describe(&cache, &manifest, &index, now()));
            print(&text)?;
            Ok(exit::EXIT_OK)
        }
        DbCommand::Status => {
            let Some(manifest) = secgate_fetch::read_manifest(&cache)? else {
                bail!(
                    "no advisory database in `{}`\nhint: run `secgate db fetch`, or pass `--db DIR` to a command",
                    cache.display()
                );
            };
            print(&describe(
                &cache,
                &manifest,
                &index(&cache, Some(&manifest)),
                now(),
            ))?;
            Ok(exit::EXIT_OK)
        }
    }
}

/// The prebuilt indexes of `cache`; the sources of `manifest` are keyed by the checksums it
/// recorded.
pub fn index(cache: &Path, manifest: Option<&Manifest>) -> AdvisoryIndex {
    let db = cache.join("db");
    manifest
        .iter()
        .flat_map(|m| &m.sources)
        .fold(AdvisoryIndex::new(cache.join(INDEX_DIR)), |index, s| {
            index.with_content_key(&db.join(&s.path), &s.sha256)
        })
}

/// `--cache`, else `$SECGATE_CACHE`, else the platform cache directory.
pub fn cache_dir(global: &GlobalArgs) -> anyhow::Result<PathBuf> {
    match &global.cache {
        Some(dir) => Ok(dir.clone()),
        None => Ok(secgate_fetch::default_cache_dir()?),
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A duration in seconds as the largest whole unit: `3d`, `5h`, `12m`, `40s`.
pub fn age(seconds: u64) -> String {
    match seconds {
        s if s >= 86_400 => format!("{}d", s / 86_400),
        s if s >= 3_600 => format!("{}h", s / 3_600),
        s if s >= 60 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

fn describe(cache: &Path, manifest: &Manifest, index: &AdvisoryIndex, now: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "advisory databases in {} (fetched {} ago)",
        cache.join("db").display(),
        age(now.saturating_sub(manifest.fetched_at))
    );
    for s in &manifest.sources {
        let _ = writeln!(
            out,
            "  {:<14} {:>6} records  {:>9} bytes  sha256 {}  {}{}",
            s.name,
            s.records,
            s.size,
            s.sha256.get(..12).unwrap_or(&s.sha256),
            s.url,
            s.revision
                .as_deref()
                .map_or_else(String::new, |r| format!("  revision {r}")),
        );
        let state = match index.status(&cache.join("db").join(&s.path)) {
            Ok(status) => match status.state {
                IndexState::Present { bytes, .. } => format!("present, {bytes} bytes"),
                IndexState::Missing => "missing (built on first use)".to_owned(),
                IndexState::Invalid { bytes } => {
                    format!("invalid, {bytes} bytes (rebuilt on first use)")
                }
            },
            Err(e) => format!("unavailable: {:#}", anyhow::Error::new(e)),
        };
        let _ = writeln!(out, "  {:<14} index {state}", "");
    }
    out
}

fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    Ok(())
}
