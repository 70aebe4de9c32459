//! The mutation suite: the real binary on real corpus projects and advisory records that were
//! truncated, bit-flipped, duplicated, re-encoded (UTF-16, BOM, CRLF), NUL-poisoned, given a
//! 2 MiB line, or replaced by a symlink leaving the root, a dangling symlink or a directory.
//!
//! On every case: exit 0, 1 or 2 only (a panic is a failure); exit 2 names the file; an
//! undecodable file is an error unless read losslessly; CRLF and a UTF-8 BOM change nothing; a
//! file that cannot be read, or a symlink out of the root, is an error or as if absent, never
//! followed. Damaged advisory records are `db-bad-record` warnings and the run goes on.
//!
//! Cases are drawn from a fixed seed; `SECGATE_MUTATION_CASES` (per test) raises their number.

mod common;
#[path = "mutation/harness.rs"]
mod harness;
#[path = "mutation/mutate.rs"]
mod mutate;

use harness::{Cmd, Harness, Syntax, Target};
use mutate::{MUTATIONS, Mutation, Rng};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const SEED: u64 = 0x5EC6_A7E0_2026_1123;

/// Cases per suite test: every mutation kind once, unless the environment asks for more.
fn cases() -> usize {
    std::env::var("SECGATE_MUTATION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MUTATIONS)
}

const CARGO: &[Target] = &[
    Target {
        project: "cargo-bat",
        file: "Cargo.lock",
        db: "rustsec",
        commands: &[
            Cmd::Audit,
            Cmd::Licenses,
            Cmd::Sbom,
            Cmd::Pins,
            Cmd::Secrets,
            Cmd::Check,
        ],
        syntax: Syntax::Strict,
        outside: "cargo-old-spotify-tui/Cargo.lock",
    },
    Target {
        project: "cargo-old-ytop",
        file: "Cargo.lock",
        db: "rustsec",
        commands: &[Cmd::Audit, Cmd::Sbom, Cmd::Check],
        syntax: Syntax::Strict,
        outside: "cargo-xi-editor-2023/rust/Cargo.lock",
    },
    Target {
        project: "cargo-xi-editor-2023",
        file: "rust/Cargo.lock",
        db: "rustsec",
        commands: &[Cmd::Audit, Cmd::Sbom, Cmd::Pins],
        syntax: Syntax::Strict,
        outside: "cargo-old-ytop/Cargo.lock",
    },
    Target {
        project: "cargo-bat",
        file: "Cargo.toml",
        db: "rustsec",
        commands: &[Cmd::Pins, Cmd::Sbom],
        syntax: Syntax::Strict,
        outside: "cargo-nushell/Cargo.toml",
    },
];

const NPM: &[Target] = &[
    Target {
        project: "npm-lock-v3-marked",
        file: "package-lock.json",
        db: "osv/crates.io",
        commands: &[Cmd::Audit, Cmd::Licenses, Cmd::Sbom, Cmd::Pins, Cmd::Check],
        syntax: Syntax::Json,
        outside: "npm-axios/package-lock.json",
    },
    Target {
        project: "npm-lock-v1-warehouse",
        file: "package-lock.json",
        db: "osv/crates.io",
        commands: &[Cmd::Audit, Cmd::Sbom],
        syntax: Syntax::Json,
        outside: "npm-lock-v3-marked/package-lock.json",
    },
    Target {
        project: "pnpm-vue-core",
        file: "pnpm-lock.yaml",
        db: "osv/crates.io",
        commands: &[Cmd::Audit, Cmd::Sbom, Cmd::Pins],
        syntax: Syntax::Strict,
        outside: "pnpm-vite/pnpm-lock.yaml",
    },
    Target {
        project: "yarn-v1-drawio-desktop",
        file: "yarn.lock",
        db: "osv/crates.io",
        commands: &[Cmd::Audit, Cmd::Sbom, Cmd::Pins],
        syntax: Syntax::Strict,
        outside: "yarn-webpack/yarn.lock",
    },
];

const PYTHON_AND_CI: &[Target] = &[
    Target {
        project: "pip-hashes-warehouse",
        file: "requirements/main.txt",
        db: "osv/PyPI",
        commands: &[Cmd::Audit, Cmd::Pins, Cmd::Sbom],
        syntax: Syntax::Lines,
        outside: "pip-warehouse/requirements/main.txt",
    },
    Target {
        project: "poetry",
        file: "poetry.lock",
        db: "osv/PyPI",
        commands: &[Cmd::Audit, Cmd::Sbom],
        syntax: Syntax::Strict,
        outside: "uv-pydantic/uv.lock",
    },
    Target {
        project: "uv-pydantic",
        file: "uv.lock",
        db: "osv/PyPI",
        commands: &[Cmd::Audit, Cmd::Sbom],
        syntax: Syntax::Strict,
        outside: "poetry/poetry.lock",
    },
    Target {
        project: "scorecard",
        file: "Dockerfile",
        db: "osv/PyPI",
        commands: &[Cmd::Pins, Cmd::Secrets],
        syntax: Syntax::Lines,
        outside: "pip-warehouse/Dockerfile",
    },
    Target {
        project: "scorecard",
        file: ".github/workflows/goreleaser.yaml",
        db: "osv/PyPI",
        commands: &[Cmd::Pins, Cmd::Secrets],
        syntax: Syntax::Strict,
        outside: "cargo-bat/.github/workflows/CICD.yml",
    },
];

/// Runs `cases()` mutations over `targets`: case `i` applies mutation kind `i` (so every kind
/// is covered) to a target drawn from the seed, and runs each of the target's commands.
fn suite(name: &str, targets: &[Target], seed: u64) {
    let shared = common::shared();
    let mut rng = Rng::new(seed);
    let mut harness = Harness::new(shared.clone());
    let cases = cases();
    for case in 0..cases {
        let target = &targets[rng.below(targets.len())];
        let (tmp, root) = harness.copy(target);
        let file = root.join(target.file);
        let original = std::fs::read(&file).expect("corpus file");
        let outside = tmp.path().join("outside").join(
            Path::new(target.outside)
                .file_name()
                .expect("outside file name"),
        );
        std::fs::create_dir_all(outside.parent().expect("outside dir")).expect("outside dir");
        std::fs::copy(shared.join("corpus").join(target.outside), &outside)
            .expect("outside lockfile");
        let mutation = Mutation::draw(case, &mut rng, &original);
        mutation
            .apply(&file, &original, &outside)
            .expect("apply the mutation");
        for &cmd in target.commands {
            let outcome = harness.run(target, cmd, &root);
            harness.judge(target, &mutation, cmd, &root, &outcome);
        }
    }
    assert!(harness.runs >= cases, "{name}: the suite ran nothing");
    assert!(
        harness.failures.is_empty(),
        "{name}: {} of {} runs broke the fail-closed rules (seed {seed:#x}):\n\n{}",
        harness.failures.len(),
        harness.runs,
        harness.failures.join("\n\n")
    );
}

#[test]
fn cargo_projects_under_mutation() {
    suite("cargo", CARGO, SEED);
}

#[test]
fn npm_projects_under_mutation() {
    suite("npm", NPM, SEED ^ 0x0A);
}

#[test]
fn python_projects_and_ci_files_under_mutation() {
    suite("python and ci", PYTHON_AND_CI, SEED ^ 0xB0);
}

/// Every target once with each mutation whose expected result is exact: CRLF and BOM (same
/// findings), and the three that take the file away (error or as if absent).
#[test]
fn every_lockfile_in_crlf_with_bom_and_taken_away() {
    let shared = common::shared();
    let mut harness = Harness::new(shared.clone());
    let exact = [
        Mutation::Crlf,
        Mutation::Utf8Bom,
        Mutation::SymlinkOutside,
        Mutation::DanglingSymlink,
        Mutation::DirectoryInstead,
    ];
    let primary: Vec<&Target> = [CARGO, NPM, PYTHON_AND_CI]
        .into_iter()
        .flatten()
        .filter(|t| {
            Path::new(t.file).extension().is_some_and(|e| {
                ["lock", "json", "txt"]
                    .iter()
                    .any(|x| e.eq_ignore_ascii_case(x))
            })
        })
        .collect();
    for target in primary {
        // The first command reads the lockfile; the others are covered by the seeded suites.
        let cmd = target.commands[0];
        for mutation in &exact {
            let (tmp, root) = harness.copy(target);
            let file = root.join(target.file);
            let original = std::fs::read(&file).expect("corpus file");
            let outside = tmp.path().join("outside-lockfile");
            std::fs::copy(shared.join("corpus").join(target.outside), &outside)
                .expect("outside lockfile");
            mutation
                .apply(&file, &original, &outside)
                .expect("apply the mutation");
            let outcome = harness.run(target, cmd, &root);
            harness.judge(target, mutation, cmd, &root, &outcome);
        }
    }
    assert!(
        harness.failures.is_empty(),
        "{} of {} runs broke the fail-closed rules:\n\n{}",
        harness.failures.len(),
        harness.runs,
        harness.failures.join("\n\n")
    );
}

/// The findings of an audit report as `code id package@version line`, and the files named by
/// its `db-bad-record` warnings.
fn audit_findings(report: &Value) -> (BTreeSet<String>, Vec<String>) {
    let mut findings = BTreeSet::new();
    let mut bad = Vec::new();
    for f in report["findings"].as_array().into_iter().flatten() {
        if f["code"] == "db-bad-record" {
            bad.push(f["location"]["path"].as_str().unwrap_or("?").to_owned());
        } else {
            findings.insert(format!(
                "{} {} {}@{} {}",
                f["code"].as_str().unwrap_or("?"),
                f["id"].as_str().unwrap_or("-"),
                f["package"]["name"].as_str().unwrap_or("-"),
                f["package"]["version"].as_str().unwrap_or("-"),
                f["location"]["line"],
            ));
        }
    }
    (findings, bad)
}

/// Where a record's structured data ends: the RustSec front matter's closing fence, or the
/// last non-blank byte of an OSV JSON record.
fn data_end(ext: &str, bytes: &[u8]) -> usize {
    if ext == "md" {
        let after_opening = bytes.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
        bytes[after_opening..]
            .windows(4)
            .position(|w| w == b"\n```")
            .map_or(0, |i| after_opening + i)
    } else {
        bytes
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .unwrap_or(0)
    }
}

fn audit_json(db: &Path, cache: &Path) -> (harness::Outcome, Value) {
    let project = common::corpus("cargo-xi-editor-2023");
    let outcome = harness::run(
        std::process::Command::new(env!("CARGO_BIN_EXE_secgate"))
            .arg("audit")
            .arg(&project)
            .args(["--offline", "--format", "json", "--db"])
            .arg(db)
            .current_dir(&project)
            .env_remove("SECGATE_DB")
            .env("NO_COLOR", "1")
            .env("SOURCE_DATE_EPOCH", common::TODAY_EPOCH)
            .env("SECGATE_CACHE", cache),
    );
    let report = serde_json::from_str(&outcome.stdout).unwrap_or(Value::Null);
    (outcome, report)
}

/// Mutates the records of the advisories found in xi-editor's lockfile, one mutation kind
/// after the other, in a copy of `source` (a directory of record files, `ext` their
/// extension, `layout` how a record's id maps to its path), and audits against the copy.
fn records_under_mutation(source: &str, ext: &str, layout: fn(&str, &str) -> String) {
    let shared = common::shared();
    let original_db = shared.join("advisory-data").join(source);
    let cache = tempfile::tempdir().expect("cache");
    let (outcome, report) = audit_json(&original_db, cache.path());
    assert_eq!(outcome.code, Some(1), "unmutated audit: {}", outcome.stderr);
    let (baseline, bad) = audit_findings(&report);
    assert!(bad.is_empty(), "the shared data has bad records: {bad:?}");

    let tmp = tempfile::tempdir().expect("temporary directory");
    let db = tmp.path().join("db");
    common::copy_dir(&original_db, &db);
    let mut ids: Vec<(String, String)> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let id = f["id"].as_str().unwrap_or_default().to_owned();
            let path = layout(f["package"]["name"].as_str().unwrap_or_default(), &id);
            (id, path)
        })
        .collect();
    ids.sort();
    ids.dedup();
    let text_kinds = [0, 1, 2, 3, 4, 5, 6, 7];
    let mut rng = Rng::new(SEED ^ ext.len() as u64);
    let mut mutated = Vec::new();
    for (i, (id, rel)) in ids.iter().enumerate() {
        let file = db.join(format!("{rel}.{ext}"));
        let original = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mutation = Mutation::draw(text_kinds[i % text_kinds.len()], &mut rng, &original);
        let bytes = mutation.mutate(&original);
        std::fs::write(&file, &bytes).expect("write the record");
        // Breaks it for sure: not UTF-8, or a NUL or a cut before the end of the data (the
        // TOML front matter's closing fence, the JSON object's closing brace).
        let data_end = data_end(ext, &original);
        let surely_bad = match &mutation {
            Mutation::Utf16Le => true,
            Mutation::InsertNul { at } => at.iter().any(|&o| o < data_end),
            Mutation::Truncate { at } => *at < data_end,
            _ => false,
        };
        mutated.push((id.clone(), format!("{rel}.{ext}"), mutation, surely_bad));
    }

    let (outcome, report) = audit_json(&db, cache.path());
    let problems = record_problems(&outcome, &report, &baseline, &mutated);
    assert!(
        problems.is_empty(),
        "{source} with mutated records ({}):\n{}",
        mutated
            .iter()
            .map(|(_, rel, m, _)| format!("{rel}: {m}"))
            .collect::<Vec<_>>()
            .join("\n"),
        problems.join("\n")
    );
}

/// A mutated record: its id, its path in the database, the mutation, and whether the
/// mutation surely breaks it.
type MutatedRecord = (String, String, Mutation, bool);

/// What the audit against the mutated records got wrong.
fn record_problems(
    outcome: &harness::Outcome,
    report: &Value,
    baseline: &BTreeSet<String>,
    mutated: &[MutatedRecord],
) -> Vec<String> {
    let mut problems = Vec::new();
    if !matches!(outcome.code, Some(0 | 1)) {
        problems.push(format!(
            "exit {:?} (bad records must not stop the run): {}",
            outcome.code, outcome.stderr
        ));
    }
    let (findings, bad) = audit_findings(report);
    let mutated_ids: BTreeSet<&str> = mutated.iter().map(|(id, ..)| id.as_str()).collect();
    for (id, rel, mutation, surely_bad) in mutated {
        let reported = bad.iter().any(|p| p.ends_with(rel.as_str()));
        if *surely_bad && !reported {
            problems.push(format!("{rel} ({mutation}): no db-bad-record"));
        }
        if matches!(mutation, Mutation::Crlf | Mutation::Utf8Bom) {
            let want: BTreeSet<&String> = baseline
                .iter()
                .filter(|f| f.contains(id.as_str()))
                .collect();
            let got: BTreeSet<&String> = findings
                .iter()
                .filter(|f| f.contains(id.as_str()))
                .collect();
            if reported || want != got {
                problems.push(format!(
                    "{rel} ({mutation}) is the same record, yet: db-bad-record {reported}, findings {got:?} instead of {want:?}"
                ));
            }
        }
    }
    for path in &bad {
        if !mutated
            .iter()
            .any(|(_, rel, ..)| path.ends_with(rel.as_str()))
        {
            problems.push(format!("db-bad-record for an unmutated record: {path}"));
        }
    }
    let untouched = |set: &BTreeSet<String>| -> BTreeSet<String> {
        set.iter()
            .filter(|f| !mutated_ids.iter().any(|id| f.contains(id)))
            .cloned()
            .collect()
    };
    if untouched(&findings) != untouched(baseline) {
        problems.push(format!(
            "the findings of unmutated records changed:\n  before: {:?}\n  after: {:?}",
            untouched(baseline),
            untouched(&findings)
        ));
    }
    problems
}

#[test]
fn mutated_rustsec_records_are_db_bad_record_and_the_run_goes_on() {
    records_under_mutation("rustsec", "md", |package, id| {
        format!("crates/{package}/{id}")
    });
}

#[test]
fn mutated_osv_records_are_db_bad_record_and_the_run_goes_on() {
    records_under_mutation("osv/crates.io", "json", |_, id| id.to_owned());
}
