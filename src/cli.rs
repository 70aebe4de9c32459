//! Command-line arguments (clap derive): global options and one `*Args` struct per subcommand.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

mod verify;
pub use verify::*;

/// Supply-chain security gate for CI.
#[derive(Debug, Parser)]
#[command(name = "secgate", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Policy file (default: `secgate.toml`, then `.secgate.toml` in the scanned root, else the
    /// embedded default policy).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report format.
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write the report to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the same report as FORMAT to FILE (`sarif=results.sarif`,
    /// `markdown=summary.md`, `json=report.json`, `human=report.txt`); may be given more than
    /// once. One run, several renderings: what a CI step needs for code scanning and the job
    /// summary.
    #[arg(long = "report", global = true, value_name = "FORMAT=FILE", value_parser = parse_extra_report)]
    pub reports: Vec<ExtraReport>,
    /// Never touch the network; use only local advisory databases.
    #[arg(long, global = true, env = "SECGATE_OFFLINE", value_parser = clap::builder::FalseyValueParser::new())]
    pub offline: bool,
    /// Cache of fetched databases (default: the platform cache directory).
    #[arg(long, global = true, value_name = "DIR", env = "SECGATE_CACHE")]
    pub cache: Option<PathBuf>,
    /// Advisory database directory, used as it is (a RustSec advisory-db checkout); may be
    /// given more than once. Default: the directories in `$SECGATE_DB` (path-list separated).
    #[arg(long, global = true, value_name = "DIR")]
    pub db: Vec<PathBuf>,
    /// When to colour the human report.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Show only denied findings in the human report.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also show findings at level allow.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// One `--report FORMAT=FILE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraReport {
    /// The format to render.
    pub format: FormatArg,
    /// Where to write it (replaced atomically).
    pub path: PathBuf,
}

fn parse_extra_report(value: &str) -> Result<ExtraReport, String> {
    let (format, path) = value.split_once('=').ok_or_else(|| {
        format!("`{value}` is not FORMAT=FILE (for example `sarif=results.sarif`)")
    })?;
    let format = FormatArg::from_str(format, true).map_err(|_| {
        format!("`{format}` is not a report format: human, json, sarif or markdown")
    })?;
    if matches!(format, FormatArg::Cyclonedx | FormatArg::Spdx) {
        return Err("SBOM formats are written by `secgate sbom --format`, not `--report`".into());
    }
    if path.is_empty() {
        return Err(format!("`{value}` names no file"));
    }
    Ok(ExtraReport {
        format,
        path: PathBuf::from(path),
    })
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Diagnostics with source snippets.
    Human,
    /// The stable JSON report, version 1.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// A Markdown table for `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// CycloneDX JSON SBOM (`secgate sbom` only; its default).
    Cyclonedx,
    /// SPDX 2.3 JSON SBOM (`secgate sbom` only).
    Spdx,
}

/// Colour choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl GlobalArgs {
    /// Whether the report (stdout, or a file) gets colour.
    pub fn color_stdout(&self) -> bool {
        self.color_for(self.output.is_none() && std::io::stdout().is_terminal())
    }

    /// Whether error messages on stderr get colour.
    pub fn color_stderr(&self) -> bool {
        self.color_for(std::io::stderr().is_terminal())
    }

    fn color_for(&self, terminal: bool) -> bool {
        match self.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// The advisory database directories: `--db`, else `$SECGATE_DB`.
    pub fn db_dirs(&self) -> Vec<PathBuf> {
        if !self.db.is_empty() {
            return self.db.clone();
        }
        std::env::var_os("SECGATE_DB")
            .map(|v| {
                std::env::split_paths(&v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every gate: advisories, licences, pins, and signed tags and commits when the policy
    /// requires them, in one report.
    Check(CheckArgs),
    /// Check every locked dependency against the advisory databases.
    Audit(AuditArgs),
    /// Check every locked package's licence against the policy's allowlist.
    Licenses(LicensesArgs),
    /// Check that lockfiles, dependencies, actions, images and install commands are pinned.
    Pins(PinsArgs),
    /// Committed credentials: private keys, cloud keys, API tokens, high-entropy passwords, in
    /// the working tree or in the lines a commit range adds. Values are always masked.
    Secrets(SecretsArgs),
    /// Verify signatures and releases: a signed tag, the commits of a range, a Sigstore bundle,
    /// a checksum file, the whole release.
    Verify(VerifyArgs),
    /// Write the software bill of materials: CycloneDX 1.6 (`--format cyclonedx`, the default)
    /// or SPDX 2.3 (`--format spdx`) JSON.
    Sbom(SbomArgs),
    /// Write a commented `secgate.toml`: the defaults, with the checks matched to what the
    /// repository has.
    Init(InitArgs),
    /// Explain a finding code: what it means and how to fix or ignore it.
    Explain(ExplainArgs),
    /// Advisory databases: download them into the cache, or show what the cache holds.
    Db(DbArgs),
}

/// `secgate db`.
#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

/// `secgate db` subcommands.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Download the RustSec database and the OSV archives, verify them, and replace the cached
    /// copy atomically (a failed fetch keeps the previous one).
    Fetch(FetchArgs),
    /// Show the cached databases: sources, age, record counts, checksums.
    Status,
}

/// `secgate db fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// OSV ecosystems whose archives to download.
    #[arg(long, value_name = "ECOSYSTEM", default_values_t = ["crates.io".to_owned()])]
    pub ecosystem: Vec<String>,
}

/// `secgate audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Repository root, or one lockfile, requirements file or Cargo.toml.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub dev: DevArgs,
}

/// Whether development-only packages are audited (default: the policy's `include-dev`).
#[derive(Clone, Debug, Default, Args)]
pub struct DevArgs {
    /// Audit development-only packages too (npm `dev`, poetry dev groups, Pipfile `develop`).
    #[arg(long, conflicts_with = "no_dev")]
    pub dev: bool,
    /// Leave development-only packages out of the advisory check.
    #[arg(long)]
    pub no_dev: bool,
}

impl DevArgs {
    /// The flag's answer, if one was given.
    pub fn include(&self) -> Option<bool> {
        if self.dev {
            Some(true)
        } else if self.no_dev {
            Some(false)
        } else {
            None
        }
    }
}

/// `secgate licenses`.
#[derive(Debug, Args)]
pub struct LicensesArgs {
    /// Repository root, or one Cargo.lock or Cargo.toml.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub sources: LicenseSourceArgs,
}

/// Where the licence gate reads crates from, and which crates it judges.
#[derive(Clone, Debug, Default, Args)]
pub struct LicenseSourceArgs {
    /// When crate sources are missing from the cargo cache, run `cargo fetch --locked` first.
    #[arg(long)]
    pub fetch: bool,
    /// Judge only the crates `cargo metadata` resolves (what is built with the default
    /// features), not every crate the Cargo.lock locks; like cargo-deny's graph.
    #[arg(long)]
    pub graph: bool,
    /// With `--graph`: only the crates built for this target triple (may be given more than
    /// once: the union); implies `--graph`.
    #[arg(long, value_name = "TRIPLE")]
    pub target: Vec<String>,
    /// With `--graph`: resolve with every feature of the workspace enabled; implies `--graph`.
    #[arg(long)]
    pub all_features: bool,
}

/// `secgate init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository root.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Replace an existing `secgate.toml` / `.secgate.toml`.
    #[arg(long)]
    pub force: bool,
    /// Accept today's findings (advisories, pins, denied licences) as entries with a reason and
    /// a 90-day expiry, so the gate passes now and fails on anything new; runs every gate
    /// first (with `--db`, or the fetched databases).
    #[arg(long)]
    pub baseline: bool,
}

/// `secgate secrets`.
#[derive(Debug, Args)]
pub struct SecretsArgs {
    /// The directory to scan (`.gitignore` respected), or the repository with `--commits`.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Scan only the lines the commits of this range add (`git rev-list` syntax, for example
    /// `origin/main..HEAD`: what a pull request introduces), instead of the working tree.
    #[arg(long, value_name = "RANGE")]
    pub commits: Option<String>,
}

/// `secgate check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Repository root, or one lockfile, requirements file or Cargo.toml.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub sources: LicenseSourceArgs,
    #[command(flatten)]
    pub dev: DevArgs,
}

/// `secgate pins`.
#[derive(Debug, Args)]
pub struct PinsArgs {
    /// Repository root (walked), or one file: a Cargo.toml or Cargo.lock, a workflow or
    /// action.yml, a Dockerfile, a requirements file, a package.json or package-lock.json, or a
    /// shell script.
    #[arg(default_value = ".")]
    pub path: PathBuf,
}

/// `secgate sbom`.
#[derive(Debug, Args)]
pub struct SbomArgs {
    /// Repository root, or one Cargo.lock or Cargo.toml.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// CycloneDX specification version.
    #[arg(long, value_enum, default_value_t = CdxVersionArg::V1_6)]
    pub spec_version: CdxVersionArg,
    /// Add the advisories that affect the components (CycloneDX `vulnerabilities`, with a VEX
    /// `not_affected` analysis for advisories the policy ignores); needs the advisory databases.
    #[arg(long)]
    pub with_vulnerabilities: bool,
    /// Stamp the document with the current time (default: `SOURCE_DATE_EPOCH` when set, else
    /// no time, so the output is reproducible).
    #[arg(long)]
    pub timestamp: bool,
    /// When crate sources are missing from the cargo cache, run `cargo fetch --locked` first
    /// (licences are read from the crates' manifests).
    #[arg(long)]
    pub fetch: bool,
}

/// CycloneDX versions `secgate sbom` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CdxVersionArg {
    /// CycloneDX 1.5.
    #[value(name = "1.5")]
    V1_5,
    /// CycloneDX 1.6.
    #[value(name = "1.6")]
    V1_6,
}

/// `secgate explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A finding code, e.g. `vulnerability`; `--list` (or no code) lists them all.
    pub code: Option<String>,
}

/// The process arguments, without the `secgate` word cargo inserts for `cargo secgate ...`.
pub fn args() -> Vec<std::ffi::OsString> {
    let mut args: Vec<_> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "secgate") {
        args.remove(1);
    }
    args
}
