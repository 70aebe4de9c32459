//! `secgate init`: a commented policy matched to the repository, never over an existing one
//! without `--force`; with `--baseline`, today's findings accepted so `check` passes.

mod common;

use common::{rustsec_db, s};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn secgate(cwd: &Path, args: &[&str]) -> common::Run {
    common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(args)
            .current_dir(cwd)
            .env("CARGO_HOME", common::test_cargo_home())
            .env("SECGATE_OFFLINE", "1")
            .env("SOURCE_DATE_EPOCH", common::TODAY_EPOCH)
            .env("NO_COLOR", "1"),
    )
}

/// The example Rust project without its policy, its crates' sources fetched.
fn example_project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/rust-project");
    common::copy_dir(&example, tmp.path());
    std::fs::remove_file(tmp.path().join("secgate.toml")).unwrap();
    let fetched = common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(["licenses", s(tmp.path()), "--fetch", "-q"])
            .env("CARGO_HOME", common::test_cargo_home())
            .env_remove("SECGATE_OFFLINE"),
    );
    assert!(fetched.code <= 1, "{}", fetched.stderr);
    tmp
}

fn check(root: &Path) -> (i32, Value) {
    let db = rustsec_db();
    let run = secgate(root, &["check", ".", "--db", s(&db), "--format", "json"]);
    assert!(run.code <= 1, "{}", run.stderr);
    (run.code, serde_json::from_str(&run.stdout).unwrap())
}

#[test]
fn init_then_baseline_makes_check_pass_on_the_example_project() {
    let tmp = example_project();
    let root = tmp.path();
    let run = secgate(root, &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("for Rust (Cargo)"), "{}", run.stderr);
    let written = std::fs::read_to_string(root.join("secgate.toml")).unwrap();
    assert!(written.contains("# Found in this repository: Rust (Cargo)."));
    // No workflow and no Dockerfile here: those rules are off, and say how to turn them on.
    assert!(written.contains("actions = \"off\""), "{written}");
    assert!(written.contains("images = \"off\""), "{written}");

    // Never over an existing policy without --force; the file is left as it was.
    let again = secgate(root, &["init"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("already exists; pass `--force`"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(root.join("secgate.toml")).unwrap(),
        written
    );

    // The defaults: smallvec's advisory and option-ext's MPL-2.0 fail the gate.
    let (code, report) = check(root);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["deny"], 2);

    let db = rustsec_db();
    let baseline = secgate(root, &["init", "--force", "--baseline", "--db", s(&db)]);
    assert_eq!(baseline.code, 0, "{}", baseline.stderr);
    assert!(
        baseline
            .stderr
            .contains("accepted 2 current finding(s) until 2027-02-21"),
        "{}",
        baseline.stderr
    );
    let written = std::fs::read_to_string(root.join("secgate.toml")).unwrap();
    assert!(written.contains("{ id = \"RUSTSEC-2021-0003\", reason = \"accepted unreviewed by `secgate init --baseline` on 2026-11-23: review before it expires\", expires = \"2027-02-21\" }"), "{written}");
    assert!(
        written.contains("{ package = \"option-ext\", version = \"0.2.0\", allow = [\"MPL-2.0\"]"),
        "{written}"
    );
    let (code, report) = check(root);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["ignored"], 1);
    assert_eq!(report["summary"]["deny"], 0);
}

#[test]
fn init_turns_on_the_checks_the_repository_needs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "web/package.json",
        "{\"name\": \"web\", \"version\": \"1.0.0\"}\n",
    );
    write(
        "requirements.txt",
        "six==1.16.0 \\\n    --hash=sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254\n",
    );
    write(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n",
    );
    write("Dockerfile", "FROM scratch\n");
    write(".github/allowed_signers", "");
    write("tests/fixtures/broken/package.json", "{}\n");
    std::fs::create_dir(root.join(".git")).unwrap();

    let run = secgate(root, &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(root.join("secgate.toml")).unwrap();
    assert!(written.contains(
        "# Found in this repository: npm, Python, GitHub workflows, Dockerfiles, an allowed-signers file."
    ), "{written}");
    for expected in [
        "sources = [\"osv\"]",
        "actions = \"sha\"",
        "images = \"digest\"",
        "python = \"exact-with-hashes\"",
        "tags = \"required\"",
        "allowed-signers = \".github/allowed_signers\"",
        "exclude = [\"tests/fixtures/**\"]",
        "enabled = true",
    ] {
        assert!(written.contains(expected), "{expected}\n{written}");
    }
    // What init wrote is a policy secgate reads: the pinning gate runs under it.
    let pins = secgate(root, &["pins", "."]);
    assert!(pins.code <= 1, "{}", pins.stderr);
}

#[test]
fn init_on_a_missing_directory_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let run = secgate(tmp.path(), &["init", "no-such-dir"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`no-such-dir` is not a directory"),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("no-such-dir").exists());
}
