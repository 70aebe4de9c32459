//! Property: the pinning checks never panic and stay fast on any text: workflows and actions,
//! Dockerfiles, requirements files, `Cargo.toml` + `Cargo.lock`, `package.json` +
//! `package-lock.json`, and shell scripts give findings at real slices of the file, or a
//! [`secgate_pins::PinsError`]. Inputs: arbitrary text, mutations of the corpus files, and
//! grammar-shaped files. The checks are called on in-memory [`SourceFile`]s, as `scan` does
//! after its walk (no `cargo metadata` run per case).
//!
//! `SECGATE_PROPTEST_CASES=5000 cargo test -p secgate-pins prop_` runs a longer search.

// The seed, mutation and timing helpers are shared with the other crates' property tests.
#[path = "../../secgate-inventory/tests/prop_common/mod.rs"]
mod prop_common;

use prop_common::{
    Seed, config, corpus_seeds, json_value, ladder, lines_of, mutate, mutations, repeated, text,
    timed,
};
use proptest::prelude::*;
use proptest::sample::Index;
use secgate_core::Finding;
use secgate_pins::{
    FileKind, PinsOptions, SourceFile, dockerfile, npm, requirements, rust, shell, workflow,
};
use std::sync::LazyLock;

/// The kinds of file checked here, with the name each is checked under.
#[derive(Clone, Copy, Debug)]
enum Target {
    Workflow,
    Action,
    Dockerfile,
    Requirements,
    CargoManifest,
    CargoLock,
    PackageJson,
    NpmLock,
    Shell,
}

const TARGETS: &[Target] = &[
    Target::Workflow,
    Target::Action,
    Target::Dockerfile,
    Target::Requirements,
    Target::CargoManifest,
    Target::CargoLock,
    Target::PackageJson,
    Target::NpmLock,
    Target::Shell,
];

static WORKFLOWS: LazyLock<Vec<Seed>> = LazyLock::new(|| {
    corpus_seeds(&[
        "cargo-bat/.github/workflows/CICD.yml",
        "cargo-nushell/.github/workflows/ci.yml",
        "cargo-nushell/.github/workflows/release.yml",
        "cargo-nushell/.github/workflows/nightly-build.yml",
        "cargo-nushell/.github/workflows/audit.yml",
        "pip-warehouse/.github/workflows/ci.yml",
        "pip-warehouse/.github/workflows/combine-prs.yml",
        "pip-warehouse/.github/workflows/codeql-analysis.yml",
        "poetry/.github/workflows/tests.yaml",
        "poetry/.github/workflows/release.yaml",
        "scorecard/.github/workflows/goreleaser.yaml",
    ])
});

static DOCKERFILES: LazyLock<Vec<Seed>> = LazyLock::new(|| {
    corpus_seeds(&[
        "pip-warehouse/Dockerfile",
        "scorecard/Dockerfile",
        "cargo-nushell/docker/Dockerfile",
        "cargo-nushell/docker/debian.Dockerfile",
    ])
});

static REQUIREMENTS: LazyLock<Vec<Seed>> = LazyLock::new(|| {
    corpus_seeds(&[
        "pip-warehouse/requirements/deploy.txt",
        "pip-hashes-warehouse/requirements/main.txt",
        "pip-whisper/requirements.txt",
        "pip-warehouse/requirements/main.in",
    ])
});

/// Matching manifest and lockfile pairs, so mutations hit the staleness comparison too.
static CARGO: LazyLock<Vec<(Seed, Seed)>> = LazyLock::new(|| {
    [
        "cargo-bat",
        "cargo-old-ytop",
        "cargo-old-spotify-tui",
        "cargo-xi-editor-2023/rust",
    ]
    .iter()
    .map(|dir| {
        let mut pair = corpus_seeds(&[&format!("{dir}/Cargo.toml"), &format!("{dir}/Cargo.lock")]);
        let lock = pair.pop().expect("two seeds");
        (pair.pop().expect("two seeds"), lock)
    })
    .collect()
});

static NPM: LazyLock<Vec<(Seed, Seed)>> = LazyLock::new(|| {
    ["npm-lock-v3-marked", "npm-lock-v1-warehouse"]
        .iter()
        .map(|dir| {
            let mut pair = corpus_seeds(&[
                &format!("{dir}/package.json"),
                &format!("{dir}/package-lock.json"),
            ]);
            let lock = pair.pop().expect("two seeds");
            (pair.pop().expect("two seeds"), lock)
        })
        .collect()
});

/// Fails unless every finding points at a real slice of its file.
fn assert_located(files: &[SourceFile], findings: &[Finding]) {
    for f in findings {
        let file = files
            .iter()
            .find(|s| s.path == f.location.path)
            .unwrap_or_else(|| panic!("finding in an unknown file: {f:?}"));
        assert!(f.location.line >= 1, "finding at line 0: {f:?}");
        if let Some(span) = &f.location.span {
            assert!(
                file.text.get(span.clone()).is_some(),
                "finding span {span:?} is not a slice of `{}` ({} bytes): {}",
                file.path,
                file.text.len(),
                f.message
            );
        }
    }
}

/// Runs the check of `target` on `text` (with `partner`, the manifest's lockfile or the
/// lockfile's manifest, where the check reads a pair).
fn check(target: Target, what: &str, text: &str, partner: Option<&str>) {
    let options = PinsOptions::default();
    let one = |path: &str, kind: FileKind| vec![SourceFile::new(path, kind, text)];
    let (files, findings) = match target {
        Target::Workflow | Target::Action => {
            let (path, kind) = match target {
                Target::Action => ("action.yml", FileKind::Action),
                _ => (".github/workflows/ci.yml", FileKind::Workflow),
            };
            let files = one(path, kind);
            let found = timed(what, text.len(), || workflow::check(&files[0], &options));
            (files, found.map(|c| c.findings).unwrap_or_default())
        }
        Target::Dockerfile => {
            let files = one("Dockerfile", FileKind::Dockerfile);
            let found = timed(what, text.len(), || dockerfile::check(&files[0], &options));
            (files, found)
        }
        Target::Requirements => {
            let files = one("requirements.txt", FileKind::Requirements);
            let found = timed(what, text.len(), || {
                requirements::check(&files[0], &options)
            });
            (files, found)
        }
        Target::CargoManifest | Target::CargoLock => {
            let mut files = vec![
                SourceFile::new(
                    "Cargo.toml",
                    FileKind::CargoManifest,
                    partner.unwrap_or_default(),
                ),
                SourceFile::new(
                    "Cargo.lock",
                    FileKind::CargoLock,
                    partner.unwrap_or_default(),
                ),
            ];
            let mine = usize::from(matches!(target, Target::CargoLock));
            files[mine] = SourceFile::new(files[mine].path.clone(), files[mine].kind, text);
            let refs: Vec<&SourceFile> = files.iter().collect();
            let found = timed(what, text.len(), || rust::check(&refs));
            (files, found.unwrap_or_default())
        }
        Target::PackageJson | Target::NpmLock => {
            let mut files = vec![
                SourceFile::new(
                    "package.json",
                    FileKind::PackageJson,
                    partner.unwrap_or("{}"),
                ),
                SourceFile::new(
                    "package-lock.json",
                    FileKind::NpmLock,
                    partner.unwrap_or("{}"),
                ),
            ];
            let mine = usize::from(matches!(target, Target::NpmLock));
            files[mine] = SourceFile::new(files[mine].path.clone(), files[mine].kind, text);
            let found = timed(what, text.len(), || npm::check(&files));
            (files, found.unwrap_or_default())
        }
        Target::Shell => {
            let files = one("install.sh", FileKind::ShellScript);
            for hit in timed(what, text.len(), || shell::scan(text)) {
                assert!(
                    text.get(hit.span.clone()).is_some(),
                    "shell hit {:?}",
                    hit.span
                );
            }
            let found = timed(what, text.len(), || shell::check_file(&files[0]));
            (files, found)
        }
    };
    assert_located(&files, &findings);
}

/// Lines of workflow and action YAML.
const WORKFLOW_LINES: &[&str] = &[
    "on: [push, pull_request]",
    "permissions: {}",
    "jobs:",
    "build:",
    "runs-on: ubuntu-latest",
    "container: node:20",
    "container:",
    "image: node@sha256:0123",
    "services:",
    "steps:",
    "- uses: actions/checkout@v4",
    "- uses: actions/checkout@0123456789abcdef0123456789abcdef01234567 # v4.1.1",
    "- uses: ./.github/actions/local",
    "- uses: docker://alpine:3",
    "- uses: owner/repo/path@main",
    "uses: octo/reusable/.github/workflows/w.yml@v2.1.0",
    "- uses:",
    "- run: curl -sSL https://x.invalid/install.sh | sh",
    "- run: |",
    "run: >-",
    "pip install requests",
    "cargo install ripgrep",
    "npm install -g foo",
    "with:",
    "using: composite",
    "runs:",
    "shell: bash",
    "&a x: *a",
    "<<: *a",
    "? complex",
    "'quoted': \"v\"",
    "---",
    "",
];

/// Lines of Dockerfiles.
const DOCKERFILE_LINES: &[&str] = &[
    "FROM python:3.12-slim AS build",
    "FROM python:3.12@sha256:0123456789abcdef",
    "FROM --platform=$BUILDPLATFORM golang:1.22 AS base",
    "FROM base",
    "FROM ${IMAGE}",
    "FROM scratch",
    "FROM",
    "ARG IMAGE=alpine:3",
    "ARG",
    "ENV A=1",
    "RUN pip install requests \\",
    "RUN curl -fsSL https://x.invalid/s | bash",
    "RUN <<EOF",
    "EOF",
    "RUN [\"sh\", \"-c\", \"npm i\"]",
    "COPY --from=build /a /b",
    "# syntax=docker/dockerfile:1",
    "# escape=`",
    "\\",
    "`",
    "",
];

/// Lines of Cargo manifests.
const MANIFEST_LINES: &[&str] = &[
    "[package]",
    "[workspace]",
    "[dependencies]",
    "[dev-dependencies]",
    "[workspace.dependencies]",
    "[target.'cfg(unix)'.dependencies]",
    "[patch.crates-io]",
    "[dependencies.serde]",
    "name = \"app\"",
    "version = \"0.1.0\"",
    "publish = false",
    "members = [\"crates/*\", \"../x\"]",
    "exclude = [\"a\"]",
    "serde = \"*\"",
    "serde = \"1\"",
    "serde = { version = \"1\", features = [\"derive\"] }",
    "a = { git = \"https://h.invalid/a\" }",
    "a = { git = \"https://h.invalid/a\", rev = \"0123\" }",
    "a = { path = \"../a\" }",
    "a = { workspace = true }",
    "a.workspace = true",
    "package = \"b\"",
    "",
];

/// Lines of shell scripts.
const SHELL_LINES: &[&str] = &[
    "#!/bin/sh",
    "curl -sSL https://x.invalid/i.sh | sh",
    "wget -qO- https://x.invalid | sudo bash -s --",
    "pip install requests",
    "pip install -r requirements.txt --require-hashes",
    "npm install",
    "npm ci",
    "cargo install cargo-audit --locked",
    "go install x@latest",
    "if true; then",
    "fi",
    "$(curl x | sh)",
    "echo \"unterminated",
    "cat <<'EOF'",
    "EOF",
    "a && b || c; d &",
    "\\",
    "",
];

/// Lines of requirements files.
const REQUIREMENT_LINES: &[&str] = &[
    "requests==2.31.0",
    "requests>=2",
    "requests",
    "a==1.0 \\",
    "    --hash=sha256:0123456789abcdef",
    "-r other.txt",
    "-e git+https://h.invalid/a.git#egg=a",
    "git+https://h.invalid/a.git@0123456789abcdef0123456789abcdef01234567",
    "a @ https://x.invalid/a.whl",
    "--require-hashes",
    "-i https://x.invalid/simple",
    "# comment",
    "; marker",
    "",
];

proptest! {
    #![proptest_config(config(0x5ec6_0201))]

    #[test]
    fn arbitrary_text(input in ".{0,2000}") {
        for &target in TARGETS {
            check(target, "text", &input, None);
        }
    }

    #[test]
    fn mutated_workflows(seed in any::<Index>(), changes in mutations(), action: bool) {
        let seed = &WORKFLOWS[seed.index(WORKFLOWS.len())];
        let target = if action { Target::Action } else { Target::Workflow };
        check(target, &seed.name, &text(&mutate(&seed.bytes, &changes)), None);
    }

    #[test]
    fn mutated_dockerfiles(seed in any::<Index>(), changes in mutations()) {
        let seed = &DOCKERFILES[seed.index(DOCKERFILES.len())];
        let input = text(&mutate(&seed.bytes, &changes));
        check(Target::Dockerfile, &seed.name, &input, None);
        check(Target::Shell, &seed.name, &input, None);
    }

    #[test]
    fn mutated_requirements(seed in any::<Index>(), changes in mutations()) {
        let seed = &REQUIREMENTS[seed.index(REQUIREMENTS.len())];
        check(Target::Requirements, &seed.name, &text(&mutate(&seed.bytes, &changes)), None);
    }

    #[test]
    fn mutated_cargo_pairs(seed in any::<Index>(), changes in mutations(), lock: bool) {
        let (manifest, lockfile) = &CARGO[seed.index(CARGO.len())];
        let (target, mutated, partner) = if lock {
            (Target::CargoLock, lockfile, manifest)
        } else {
            (Target::CargoManifest, manifest, lockfile)
        };
        let input = text(&mutate(&mutated.bytes, &changes));
        check(target, &mutated.name, &input, Some(&text(&partner.bytes)));
    }

    #[test]
    fn mutated_npm_pairs(seed in any::<Index>(), changes in mutations(), lock: bool) {
        let (manifest, lockfile) = &NPM[seed.index(NPM.len())];
        let (target, mutated, partner) = if lock {
            (Target::NpmLock, lockfile, manifest)
        } else {
            (Target::PackageJson, manifest, lockfile)
        };
        let input = text(&mutate(&mutated.bytes, &changes));
        check(target, &mutated.name, &input, Some(&text(&partner.bytes)));
    }

    #[test]
    fn grammar_shaped_files(
        workflow in lines_of(WORKFLOW_LINES),
        dockerfile in lines_of(DOCKERFILE_LINES),
        manifest in lines_of(MANIFEST_LINES),
        script in lines_of(SHELL_LINES),
        reqs in lines_of(REQUIREMENT_LINES),
        json in json_value(),
    ) {
        check(Target::Workflow, "grammar", &workflow, None);
        check(Target::Action, "grammar", &workflow, None);
        check(Target::Dockerfile, "grammar", &dockerfile, None);
        check(Target::CargoManifest, "grammar", &manifest, None);
        check(Target::Shell, "grammar", &script, None);
        check(Target::Requirements, "grammar", &reqs, None);
        check(Target::PackageJson, "grammar", &json, None);
        check(Target::NpmLock, "grammar", &json, Some("{\"dependencies\": {\"a\": \"1\"}}"));
    }
}

/// Nesting far deeper than any real file, in each format's nesting constructs.
#[test]
fn deep_nesting_is_refused_or_read() {
    for unit in ["[", "{", "{a: ", "- ", "[{a: "] {
        let deep = format!("jobs: {}", repeated(unit));
        check(Target::Workflow, unit, &deep, None);
    }
    let indented: String = ladder(1_400, " ", "k");
    check(Target::Workflow, "indentation", &indented, None);
    for unit in ["[", "{\"a\":"] {
        check(Target::PackageJson, unit, &repeated(unit), None);
        check(Target::NpmLock, unit, &repeated(unit), None);
    }
    for unit in ["[", "{a="] {
        check(
            Target::CargoManifest,
            unit,
            &format!("[dependencies]\na = {}", repeated(unit)),
            None,
        );
    }
    let shell = ["$(", "`", "(", "{ ", "if a; then ", "\"$("];
    for unit in shell {
        check(Target::Shell, unit, &repeated(unit), None);
        check(
            Target::Dockerfile,
            unit,
            &format!("FROM a\nRUN {}", repeated(unit)),
            None,
        );
    }
    check(
        Target::Dockerfile,
        "continuations",
        &format!("FROM a\nRUN {}", "x \\\n".repeat(100_000)),
        None,
    );
}
