//! `secgate verify`: signed tags, signed commits, Sigstore bundles and checksum files. Each
//! subcommand reports like the other gates (findings, notes, the chosen format) and exits 1
//! when a signature check failed, 2 when it could not check.

mod git;
mod release;
mod release_sbom;
mod sigstore;

use crate::cli::{GlobalArgs, VerifyArgs, VerifyCommand};
use crate::output;
use secgate_core::{Finding, Gate};
use secgate_policy::Policy;
use secgate_report::{Report, Sources};

pub fn run(global: &GlobalArgs, args: &VerifyArgs) -> anyhow::Result<u8> {
    match &args.command {
        VerifyCommand::Tag(args) => git::tag(global, args),
        VerifyCommand::Commits(args) => git::commits(global, args),
        VerifyCommand::Artifact(args) => sigstore::artifact(global, args),
        VerifyCommand::Checksums(args) => sigstore::checksums(global, args),
        VerifyCommand::Release(args) => release::release(global, args),
    }
}

/// What a verify subcommand found, before the policy's levels are applied.
struct Outcome {
    findings: Vec<Finding>,
    notes: Vec<String>,
    sources: Sources,
}

/// Applies the policy's levels, renders, and picks the exit code.
fn finish(
    global: &GlobalArgs,
    policy: &Policy,
    policy_source: Option<(String, String)>,
    outcome: Outcome,
) -> anyhow::Result<u8> {
    let applied = secgate_policy::apply(
        policy,
        outcome.findings,
        &[Gate::Signatures],
        crate::audit::today(),
    );
    let mut report = Report::new(
        env!("CARGO_PKG_VERSION"),
        applied.findings,
        0,
        applied.ignored,
    );
    report.notes = outcome.notes;
    let mut sources = outcome.sources;
    if let Some((path, text)) = policy_source {
        sources.insert(path, text);
    }
    output::gate(global, &report, &sources)
}
