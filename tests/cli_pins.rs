//! End-to-end runs of `secgate pins` (and the pinning part of `secgate check`): every corpus
//! project's workflows, Dockerfiles, requirements files, npm and Cargo manifests, with every
//! finding listed at `file:line:column` in a snapshot; fixtures for each rule in failing and
//! passing form; the policy's knobs; the online tag check against a loopback GitHub API.

mod common;

#[path = "../crates/secgate-fetch/tests/it/server.rs"]
#[allow(dead_code)]
mod server;

use common::{corpus, fixture, output_dir, s, secgate, secgate_in};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// `code path:line:column id` per finding, in report order.
fn lines(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}:{} {}",
                f["level"].as_str().unwrap(),
                f["code"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["line"],
                f["location"]["column"],
                f["id"].as_str().unwrap_or("-"),
            )
        })
        .collect()
}

fn pins_json(path: &Path, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["pins", s(path), "--format", "json"];
    args.extend_from_slice(extra);
    let run = secgate(&args);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run.code, report, run.stderr)
}

/// Every corpus project with something to pin: one snapshot of every finding, and SARIF for
/// CI's validator.
#[test]
fn corpus_projects_every_finding_at_its_line() {
    let projects = [
        "cargo-bat",
        "cargo-large-omicron",
        "cargo-nushell",
        "cargo-old-spotify-tui",
        "cargo-old-ytop",
        "cargo-xi-editor-2023",
        "npm-axios",
        "npm-lock-v1-warehouse",
        "npm-lock-v3-marked",
        "pip-hashes-warehouse",
        "pip-warehouse",
        "pip-whisper",
        "pnpm-vite",
        "pnpm-vue-core",
        "poetry",
        "scorecard",
        "yarn-v1-drawio-desktop",
        "yarn-webpack",
    ];
    let mut all = String::new();
    for project in projects {
        let dir = corpus(project);
        let (code, report, stderr) = pins_json(&dir, &[]);
        let denied = report["summary"]["deny"].as_u64().unwrap();
        assert_eq!(code, i32::from(denied > 0), "{project}: {stderr}");
        assert!(
            report["summary"]["files"].as_u64().unwrap() > 0,
            "{project}"
        );
        all.push_str("## ");
        all.push_str(project);
        all.push('\n');
        for line in lines(&report) {
            all.push_str(&line);
            all.push('\n');
        }
        let sarif = output_dir().join(format!("pins-{project}.sarif"));
        let run = secgate(&["pins", s(&dir), "--format", "sarif", "-o", s(&sarif)]);
        assert_eq!(run.code, code, "{}", run.stderr);
    }
    insta::assert_snapshot!("pins_corpus", all);
}

#[test]
fn every_rule_fails_on_the_unpinned_fixture_and_passes_on_the_pinned_one() {
    let (code, report, stderr) = pins_json(&fixture("unpinned-mixed"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        lines(&report),
        [
            "deny image-unpinned .github/workflows/ci.yml:9:16 rust:1.80",
            "deny action-unpinned .github/workflows/ci.yml:11:15 actions/checkout@v4",
            "deny action-tag-mismatch .github/workflows/ci.yml:13:76 Swatinem/rust-cache@9d47c6ad4b02e050fd481d890b2ea34778fd09d6",
            "deny action-unpinned .github/workflows/ci.yml:14:15 dtolnay/rust-toolchain@stable",
            "deny curl-pipe-shell .github/workflows/ci.yml:18:11 curl|sh",
            "warn install-unlocked .github/workflows/ci.yml:19:11 cargo-install",
            "warn install-unlocked .github/workflows/ci.yml:21:14 npm-install",
            "deny image-unpinned Dockerfile:3:6 rust:1.80",
            "deny curl-pipe-shell Dockerfile:6:5 wget|bash",
            "deny image-unpinned Dockerfile:7:6 ${BASE}",
            "deny lockfile-missing package.json:4:3 unpinned-mixed",
            "deny requirement-unpinned requirements.txt:3:1 requests",
            "deny requirement-unpinned requirements.txt:4:1 numpy",
            "deny requirement-unpinned requirements.txt:5:1 django",
        ]
    );
    assert_eq!(report["summary"]["files"], 4);
    // The fix is concrete: the pinned form of the line.
    let first = &report["findings"][1];
    assert_eq!(
        first["fix"],
        "pin to the commit: `uses: actions/checkout@<40-hex sha> # v4`"
    );
    // SARIF (validated in CI) carries the same file and line for every result.
    let sarif_path = output_dir().join("pins-unpinned-mixed.sarif");
    let run = secgate(&[
        "pins",
        s(&fixture("unpinned-mixed")),
        "--format",
        "sarif",
        "-o",
        s(&sarif_path),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    let sarif_places: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let place = &r["locations"][0]["physicalLocation"];
            format!(
                "{} {}:{}:{}",
                r["ruleId"].as_str().unwrap(),
                place["artifactLocation"]["uri"].as_str().unwrap(),
                place["region"]["startLine"],
                place["region"]["startColumn"]
            )
        })
        .collect();
    let json_places: Vec<String> = lines(&report)
        .iter()
        .map(|l| l.split(' ').skip(1).take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(sarif_places, json_places);

    let human = secgate(&["pins", s(&fixture("unpinned-mixed"))]);
    insta::assert_snapshot!("pins_unpinned_mixed_human", human.stdout);

    let (code, report, stderr) = pins_json(&fixture("pinned-clean"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines(&report), Vec::<String>::new());
    assert_eq!(report["summary"]["files"], 3);
}

#[test]
fn policy_knobs_allow_tags_hashes_rules_off_and_per_file_ignores() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("unpinned-mixed"), tmp.path());
    let policy = r#"[pins]
allow-tags = ["actions/*", "dtolnay/rust-toolchain"]
images = "off"
python = "exact-with-hashes"
ignore = [
  { path = ".github/workflows/*.yml", code = ["install-unlocked", "curl-pipe-shell"], reason = "bootstrap steps, reviewed" },
  { path = "package.json", reason = "example manifest, never installed" },
  { path = "docs/**", reason = "nothing there any more" },
]
"#;
    std::fs::write(tmp.path().join("secgate.toml"), policy).unwrap();
    let (code, report, stderr) = pins_json(tmp.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        lines(&report),
        [
            "deny action-tag-mismatch .github/workflows/ci.yml:13:76 Swatinem/rust-cache@9d47c6ad4b02e050fd481d890b2ea34778fd09d6",
            "deny curl-pipe-shell Dockerfile:6:5 wget|bash",
            "deny hash-missing requirements.txt:2:1 flask",
            // An unpinned requirement is reported once: its hash comes with the pin.
            "deny requirement-unpinned requirements.txt:3:1 requests",
            "deny requirement-unpinned requirements.txt:4:1 numpy",
            "deny requirement-unpinned requirements.txt:5:1 django",
            "warn ignore-unused secgate.toml:8:3 docs/**",
        ]
    );
    assert_eq!(report["summary"]["ignored"], 4);

    // Levels apply to pinning codes like to any other.
    std::fs::write(
        tmp.path().join("secgate.toml"),
        "[pins]\nactions = \"off\"\nimages = \"off\"\npython = \"off\"\n\n[levels]\ncurl-pipe-shell = \"warn\"\nlockfile-missing = \"allow\"\n",
    )
    .unwrap();
    let (code, report, stderr) = pins_json(tmp.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        lines(&report),
        [
            "warn curl-pipe-shell .github/workflows/ci.yml:18:11 curl|sh",
            "warn install-unlocked .github/workflows/ci.yml:19:11 cargo-install",
            "warn install-unlocked .github/workflows/ci.yml:21:14 npm-install",
            "warn curl-pipe-shell Dockerfile:6:5 wget|bash",
            "allow lockfile-missing package.json:4:3 unpinned-mixed",
        ]
    );
}

/// `# v4.1.0` after a SHA is checked against the tag's real commit through the GitHub API
/// (here a loopback server), with the token sent; `--offline` never asks.
#[test]
fn online_version_comments_are_resolved_to_commits() {
    let server = server::Server::start();
    server.route(
        "/gh/repos/actions/setup-node/commits/v4.1.0",
        server::Route::handler(|request| {
            assert_eq!(request.header("authorization"), Some("Bearer test-token"));
            (200, b"1111111111111111111111111111111111111111".to_vec())
        }),
    );
    let run = |offline: &str| {
        common::run(
            Command::new(env!("CARGO_BIN_EXE_secgate"))
                .args(["pins", s(&fixture("unpinned-mixed")), "--format", "json"])
                .env("SECGATE_OFFLINE", offline)
                .env("SECGATE_GITHUB_API_URL", server.url("/gh"))
                .env("GITHUB_TOKEN", "test-token")
                .env_remove("GH_TOKEN"),
        )
    };
    let online = run("0");
    assert_eq!(online.code, 1, "{}", online.stderr);
    let report: Value = serde_json::from_str(&online.stdout).unwrap();
    let mismatch: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "action-tag-mismatch" && f["location"]["line"] == 12)
        .collect();
    assert_eq!(mismatch.len(), 1, "{:#}", report["findings"]);
    assert_eq!(mismatch[0]["id"], "actions/setup-node@v4.1.0");
    assert!(
        mismatch[0]["message"]
            .as_str()
            .unwrap()
            .contains("1111111111111111111111111111111111111111")
    );
    assert_eq!(server.requests().len(), 1);

    let offline = run("1");
    assert_eq!(offline.code, 1, "{}", offline.stderr);
    assert!(!offline.stdout.contains("actions/setup-node@v4.1.0"));
    assert!(
        offline
            .stdout
            .contains("not resolved to commits (--offline)")
    );
    assert_eq!(server.requests().len(), 1, "--offline opened a connection");

    // A failing API is not a pass: exit 2, with what to do.
    let failing = server::Server::start();
    failing.route(
        "/gh/repos/actions/setup-node/commits/v4.1.0",
        server::Route::Status(403),
    );
    let run = common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(["pins", s(&fixture("unpinned-mixed"))])
            .env("SECGATE_OFFLINE", "0")
            .env("SECGATE_GITHUB_API_URL", failing.url("/gh")),
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("GITHUB_TOKEN"), "{}", run.stderr);
}

#[test]
fn bad_or_empty_input_exits_2_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let workflows = tmp.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::write(
        workflows.join("ci.yml"),
        "jobs:\n  test:\n    steps:\n      - uses: [unclosed\n",
    )
    .unwrap();
    let run = secgate(&["pins", s(tmp.path())]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(".github/workflows/ci.yml:"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());

    let lock = tmp.path().join("package-lock.json");
    std::fs::remove_file(workflows.join("ci.yml")).unwrap();
    std::fs::write(
        &lock,
        "{\"lockfileVersion\": 3, \"packages\": {\n  \"\": [}\n",
    )
    .unwrap();
    let run = secgate(&["pins", s(tmp.path())]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("package-lock.json:"), "{}", run.stderr);

    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("README.md"), "nothing to pin\n").unwrap();
    let run = secgate(&["pins", s(empty.path())]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nothing to check"), "{}", run.stderr);

    let run = secgate(&["pins", s(&empty.path().join("README.md"))]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a file the pinning gate checks"));

    let run = secgate(&["pins", s(&empty.path().join("missing"))]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}

#[test]
fn one_file_may_be_checked_alone() {
    let dockerfile = fixture("unpinned-mixed").join("Dockerfile");
    let (code, report, _) = pins_json(&dockerfile, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines(&report),
        [
            "deny image-unpinned Dockerfile:3:6 rust:1.80",
            "deny curl-pipe-shell Dockerfile:6:5 wget|bash",
            "deny image-unpinned Dockerfile:7:6 ${BASE}",
        ]
    );
    let workflow = fixture("unpinned-mixed").join(".github/workflows/ci.yml");
    let (code, report, _) = pins_json(&workflow, &[]);
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["location"]["path"], "ci.yml");
    assert_eq!(report["summary"]["files"], 1);
    // Relative paths resolve from the working directory.
    let run = secgate_in(&fixture("pinned-clean"), &["pins", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The Cargo rules through the binary on a real workspace: a requirement the lock does not
/// meet, a new dependency, and no lockfile at all. Cargo cannot confirm here (the copy has no
/// sources), so the findings stay and a note says why.
#[test]
fn stale_and_missing_cargo_lockfiles_of_a_real_project() {
    let tmp = tempfile::tempdir().unwrap();
    let bat = corpus("cargo-bat");
    let manifest = std::fs::read_to_string(bat.join("Cargo.toml")).unwrap();
    let edited = manifest
        .replacen("once_cell = \"1.20\"", "once_cell = \"1.99\"", 1)
        .replacen(
            "[dependencies]\n",
            "[dependencies]\nnot-locked-yet = \"0.1\"\n",
            1,
        );
    assert_ne!(edited, manifest);
    std::fs::write(tmp.path().join("Cargo.toml"), edited).unwrap();
    std::fs::copy(bat.join("Cargo.lock"), tmp.path().join("Cargo.lock")).unwrap();
    let (code, report, stderr) = pins_json(tmp.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        lines(&report),
        [
            "deny lockfile-stale Cargo.toml:44:1 not-locked-yet",
            "deny lockfile-stale Cargo.toml:50:14 once_cell",
        ]
    );
    let text = report.to_string();
    assert!(
        text.contains("cargo could not confirm the 2 lockfile-stale findings"),
        "{text}"
    );

    std::fs::remove_file(tmp.path().join("Cargo.lock")).unwrap();
    let (code, report, _) = pins_json(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(lines(&report), ["deny lockfile-missing Cargo.toml:1:1 bat"]);
}

/// Shell scripts in the tree are read like `run:` steps.
#[test]
fn shell_scripts_are_checked_at_their_lines() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("scripts")).unwrap();
    std::fs::write(
        tmp.path().join("scripts/install.sh"),
        "#!/bin/sh\nset -eu\n# bootstrap\ncurl -fsSL https://example.invalid/x.sh | bash\ncargo install --locked ripgrep@14.1.1\ncargo install just\n",
    )
    .unwrap();
    let (code, report, stderr) = pins_json(tmp.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        lines(&report),
        [
            "deny curl-pipe-shell scripts/install.sh:4:1 curl|bash",
            "warn install-unlocked scripts/install.sh:6:1 cargo-install",
        ]
    );
}
