//! `secgate audit`: inventory → advisories → policy → report → exit code.

use crate::cli::{AuditArgs, FormatArg, GlobalArgs};
use crate::endpoints::endpoints;
use crate::{databases, osv_api, output, yanked};
use anyhow::Context;
use secgate_advisories::Database;
use secgate_core::{Finding, Gate};
use secgate_policy::{PolicyError, Source};
use secgate_report::{Format, RenderOptions, Report, Sources};
use std::borrow::Cow;

pub fn run(global: &GlobalArgs, args: &AuditArgs) -> anyhow::Result<u8> {
    let project = crate::project::load(global, &args.path)?;
    let (policy, policy_source) = (project.policy, project.policy_source);
    let inventory = project.inventory?;

    let selected = databases::select(global, &policy)?;
    if let Some(freshness) = selected.freshness.as_ref().filter(|f| f.stale) {
        // The gate did not run on trustworthy data: report why, and exit 2 whatever the levels.
        return databases::stale_exit(
            global,
            databases::stale_finding(freshness, &policy),
            inventory.package_count(),
            &sources(&inventory, policy_source),
        );
    }
    let include_dev = args.dev.include().unwrap_or(policy.advisories.include_dev);
    let (audited, dev_note) = without_dev(&inventory, include_dev);
    let (findings, mut notes) = advisory_findings(global, &policy, &audited, &selected)?;
    notes.extend(dev_note);
    let applied = secgate_policy::apply(&policy, findings, &[Gate::Advisories], today());
    let mut report = Report::new(
        env!("CARGO_PKG_VERSION"),
        applied.findings,
        inventory.package_count(),
        applied.ignored,
    );
    report.notes = notes;
    output::gate(global, &report, &sources(&inventory, policy_source))
}

/// The inventory to audit: all of it, or without the development-only packages (with a note
/// saying how many were left out, so a smaller audit never looks like a full one).
pub fn without_dev(
    inventory: &secgate_inventory::Inventory,
    include_dev: bool,
) -> (Cow<'_, secgate_inventory::Inventory>, Option<String>) {
    // The usual case audits everything: no copy of the lockfiles and their texts.
    if include_dev {
        return (Cow::Borrowed(inventory), None);
    }
    let left_out = inventory.packages().filter(|p| p.dev).count();
    let note = format!(
        "advisories: {left_out} development-only package(s) not audited (`--no-dev` / `include-dev = false`)"
    );
    if left_out == 0 {
        return (Cow::Borrowed(inventory), Some(note));
    }
    let mut audited = inventory.clone();
    for lockfile in &mut audited.lockfiles {
        lockfile.packages.retain(|p| !p.dev);
    }
    (Cow::Owned(audited), Some(note))
}

/// Every advisory and yanked finding for the inventory, and the notes on what was read or
/// skipped. Online sources are asked only without `--offline`.
pub fn advisory_findings(
    global: &GlobalArgs,
    policy: &secgate_policy::Policy,
    inventory: &secgate_inventory::Inventory,
    selected: &databases::Selected,
) -> anyhow::Result<(Vec<Finding>, Vec<String>)> {
    let names = inventory
        .packages()
        .filter(|p| p.source.is_default_registry())
        .map(|p| p.name.as_str())
        .collect();
    let index = selected
        .index
        .clone()
        .map(secgate_advisories::AdvisoryIndex::with_direct_rustsec_trees);
    // A `--db` tree has no fetch record: while the database loads, find how current each
    // RustSec checkout is from its newest advisory (OSV sources report theirs while loading).
    let age_cache = crate::db::cache_dir(global)
        .ok()
        .map(|cache| cache.join("data-age"));
    let (db, rustsec_dates) = std::thread::scope(|scope| {
        let dates = selected.freshness.is_none().then(|| {
            scope.spawn(|| {
                selected
                    .dirs
                    .iter()
                    .filter(|dir| dir.join("crates").is_dir())
                    .map(|dir| {
                        let cache = age_cache.as_deref();
                        let date = secgate_advisories::newest_rustsec_date_cached(dir, cache);
                        (dir.clone(), date)
                    })
                    .collect::<Vec<_>>()
            })
        });
        let db = Database::open_indexed(&selected.dirs, Some(&names), index.as_ref());
        let dates = dates
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        (db, dates)
    });
    let mut db = db.context("cannot load the advisory database")?;
    let mut skipped = Vec::new();
    if policy.advisories.sources.contains(&Source::OsvApi) {
        if global.offline {
            skipped.push("osv-api: not queried (--offline)".to_owned());
        } else {
            let (api, records) = osv_api::query(endpoints(policy), inventory.packages())?;
            db.add_osv_records(api, &records);
        }
    }
    let mut findings = secgate_advisories::check(inventory.packages(), &db);
    if global.offline {
        skipped.push("yanked versions: not checked (--offline)".to_owned());
    } else {
        let (index, unknown) = yanked::lookup(global, endpoints(policy), inventory.packages())?;
        findings.extend(secgate_advisories::yanked(inventory.packages(), &index));
        if !unknown.is_empty() {
            skipped.push(format!(
                "yanked versions: {} crate(s) not in the registry index: {}",
                unknown.len(),
                unknown.join(", ")
            ));
        }
    }
    let mut notes = database_notes(&db, selected.freshness.as_ref());
    if selected.freshness.is_none() {
        notes.extend(data_age_notes(&db, &rustsec_dates));
    }
    notes.extend(skipped);
    Ok((findings, notes))
}

/// The source texts the human view quotes: the lockfiles and the policy.
pub fn sources(
    inventory: &secgate_inventory::Inventory,
    policy_source: Option<(String, String)>,
) -> Sources {
    let mut sources = Sources::default();
    for lockfile in &inventory.lockfiles {
        sources.insert(lockfile.path.clone(), lockfile.text.clone());
    }
    if let Some((path, text)) = policy_source {
        sources.insert(path, text);
    }
    sources
}

/// What was checked against: each database with its record count, and its age.
fn database_notes(db: &Database, freshness: Option<&databases::Freshness>) -> Vec<String> {
    let mut notes: Vec<String> = db
        .sources
        .iter()
        .map(|s| {
            format!(
                "advisories: {} records read from `{}`",
                s.records,
                s.path.display()
            )
        })
        .collect();
    if let Some(f) = freshness {
        notes.push(format!(
            "advisory databases fetched {} ago",
            crate::db::age(f.age)
        ));
    }
    notes
}

/// The age of databases used as they are (`--db`): the newest advisory of each RustSec
/// checkout, the latest `modified` of each OSV source.
fn data_age_notes(
    db: &Database,
    rustsec: &[(std::path::PathBuf, Option<jiff::civil::Date>)],
) -> Vec<String> {
    let today = today();
    let age = |date: jiff::civil::Date| {
        let days = (today - date).get_days();
        match days {
            0 => "today".to_owned(),
            1 => "1 day ago".to_owned(),
            n => format!("{n} days ago"),
        }
    };
    let mut notes = Vec::new();
    for (dir, date) in rustsec {
        notes.push(match date {
            Some(date) => format!(
                "advisory data `{}`: newest advisory dated {date} ({})",
                dir.display(),
                age(*date)
            ),
            None => format!(
                "advisory data `{}`: no dated advisory, age unknown",
                dir.display()
            ),
        });
    }
    for source in db
        .sources
        .iter()
        .filter(|s| s.kind != secgate_advisories::SourceKind::Rustsec)
    {
        if let Some(newest) = source.newest {
            let date = newest.to_zoned(jiff::tz::TimeZone::UTC).date();
            notes.push(format!(
                "advisory data `{}`: newest record modified {date} ({})",
                source.path.display(),
                age(date)
            ));
        }
    }
    notes
}

/// Policy problems name the file relative to the root (as findings do); in an error, show the
/// path the user can open.
pub fn openable_policy_path(root: &std::path::Path, e: PolicyError) -> PolicyError {
    match e {
        PolicyError::Invalid {
            path,
            text,
            problems,
        } if std::path::Path::new(&path).is_relative() => PolicyError::Invalid {
            path: root.join(&path).display().to_string(),
            text,
            problems,
        },
        other => other,
    }
}

/// Today's date in UTC, for ignore expiry and the age of `--db` data. `SOURCE_DATE_EPOCH`
/// (seconds since 1970, as reproducible builds use it) fixes the day, so a report can be
/// reproduced byte for byte later.
pub fn today() -> jiff::civil::Date {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// The report format of `--format`; the SBOM formats are only for `secgate sbom`.
pub fn report_format(f: FormatArg) -> anyhow::Result<Format> {
    Ok(match f {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Cyclonedx | FormatArg::Spdx => anyhow::bail!(
            "`--format {}` is an SBOM format: use it with `secgate sbom`; reports are human, json, sarif or markdown",
            if f == FormatArg::Spdx {
                "spdx"
            } else {
                "cyclonedx"
            }
        ),
    })
}

/// Render options for the report from the global flags.
pub fn render_options(global: &GlobalArgs) -> RenderOptions {
    RenderOptions {
        color: global.color_stdout(),
        verbose: global.verbose,
    }
}
