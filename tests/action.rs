//! The GitHub Action (`action.yml` and `action/*.sh`), run as the runner runs it.
//!
//! `action.yml` is read by hand (just enough YAML: its inputs, each step's `env:` mapping and
//! `run:`), checked for the rules it must obey (inputs reach scripts only through `env:`, every
//! `uses:` pinned by SHA), and then each step's script is executed directly: the step's `env:`
//! filled from the test's inputs and the inputs' defaults, `GITHUB_OUTPUT`,
//! `GITHUB_STEP_SUMMARY`, `GITHUB_PATH`, `RUNNER_TEMP`, `GITHUB_ACTION_PATH` = this repository,
//! and the directories the install step added to `GITHUB_PATH` in front of `PATH`.

mod common;

#[path = "../crates/secgate-fetch/tests/it/server.rs"]
#[allow(dead_code)]
mod server;

use action::{ActionFile, Runner, outputs, repo};
use common::{output_dir, rustsec_db, s};
use serde_json::Value;
use std::path::Path;

/// Every workflow and action this repository ships.
const WORKFLOWS: [&str; 5] = [
    "action.yml",
    "examples/ci-gate.yml",
    "examples/release.yml",
    "examples/npm-python/.github/workflows/ci.yml",
    ".github/workflows/ci.yml",
];

#[test]
fn runs_never_interpolate_and_every_uses_is_pinned_by_sha() {
    for file in WORKFLOWS {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        for run in &action::runs(&text) {
            assert!(!run.contains("${{"), "{file}: `run:` interpolates: {run}");
        }
        for uses in action::uses(&text) {
            assert!(
                uses == "./" || action::is_sha_pinned(&uses),
                "{file}: `uses: {uses}` is not owner/repo@<40 hex>"
            );
        }
    }
    let action = ActionFile::read();
    assert_eq!(
        action::runs(&action.text).len(),
        2,
        "the install and run steps"
    );
    assert!(action.text.contains("using: composite"));
    assert!(!action.text.contains("docker"));
    assert!(action::is_sha_pinned(
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"
    ));
    assert!(!action::is_sha_pinned("actions/checkout@v4"));
}

#[test]
fn every_input_reaches_its_script_through_env() {
    let action = ActionFile::read();
    let steps = action.steps();
    assert_eq!(
        steps.iter().map(|s| s.script.as_str()).collect::<Vec<_>>(),
        ["install.sh", "run.sh"]
    );
    let mut mapped: Vec<&str> = steps
        .iter()
        .flat_map(|s| s.env.iter().map(|(_, input)| input.as_str()))
        .collect();
    mapped.sort_unstable();
    let declared = action.inputs();
    let mut inputs: Vec<&str> = declared.iter().map(|(n, _)| n.as_str()).collect();
    inputs.sort_unstable();
    assert_eq!(mapped, inputs, "every input mapped once, nothing else");
    for step in &steps {
        let script = std::fs::read_to_string(repo().join("action").join(&step.script)).unwrap();
        assert!(script.contains("set -euo pipefail"), "{}", step.script);
        let code = script.lines().filter(|l| !l.trim_start().starts_with('#'));
        assert!(
            code.clone().all(|l| !l.contains("eval ")),
            "{}: no eval",
            step.script
        );
        for (var, input) in &step.env {
            assert_eq!(
                *var,
                format!("INPUT_{}", input.to_uppercase().replace('-', "_"))
            );
            assert!(
                script.contains(var.as_str()),
                "{} never reads {var}",
                step.script
            );
        }
    }
}

/// The action on a fixture with RUSTSEC-2020-0071: `audit` with the snapshot through `args`.
fn audit_inputs<'a>(db: &'a str, fail_on: &'a str) -> Vec<(&'a str, String)> {
    vec![
        ("command", "audit".to_owned()),
        ("path", s(&common::fixture("vuln-old-time")).to_owned()),
        ("fail-on", fail_on.to_owned()),
        ("sarif-file", "reports/secgate.sarif".to_owned()),
        ("args", format!("--db {db} --offline")),
    ]
}

#[test]
fn a_denied_finding_fails_the_step_with_sarif_summary_and_outputs() {
    let runner = Runner::new();
    std::fs::write(&runner.summary, "# earlier step\n").unwrap();
    let db = rustsec_db();
    // Default `install: auto`: the secgate on PATH is this action's version, so none is built.
    let install = runner.step("install.sh", &[], true);
    assert_eq!(install.code, 0, "{}", install.stderr);
    assert!(
        install.stdout.contains("already on PATH"),
        "{}",
        install.stdout
    );

    let run = runner.step("run.sh", &audit_inputs(s(&db), "deny"), true);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("::error"), "{}", run.stderr);
    let out = outputs(&runner);
    assert_eq!(out["exit-code"], "1");
    assert_eq!(out["findings"], "1");
    assert_eq!(out["sarif-file"], "reports/secgate.sarif");

    let sarif_path = runner.workspace.join("reports/secgate.sarif");
    let sarif_text = std::fs::read_to_string(&sarif_path).unwrap();
    std::fs::write(output_dir().join("action-deny.sarif"), &sarif_text).unwrap();
    let sarif: Value = serde_json::from_str(&sarif_text).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "vulnerability");
    assert_eq!(result["level"], "error");
    let message = result["message"]["text"].as_str().unwrap();
    assert!(message.contains("RUSTSEC-2020-0071"), "{message}");

    let summary = std::fs::read_to_string(&runner.summary).unwrap();
    assert!(
        summary.starts_with("# earlier step\n\n## secgate"),
        "{summary}"
    );
    assert!(summary.contains("RUSTSEC-2020-0071"), "{summary}");
    // The human report went to the log.
    assert!(
        run.stdout.contains("error[vulnerability]"),
        "{}",
        run.stdout
    );
}

#[test]
fn fail_on_never_passes_a_denial_and_args_split_by_line() {
    let runner = Runner::new();
    let db = rustsec_db();
    let mut inputs = audit_inputs(s(&db), "never");
    // One argument per line: a path with a space would survive.
    inputs.push(("args", format!("--db\n  {}\n--offline\n", s(&db))));
    inputs.push(("install", "false".to_owned()));
    assert_eq!(runner.step("install.sh", &inputs, true).code, 0);
    let run = runner.step("run.sh", &inputs, true);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("fail-on is never"), "{}", run.stdout);
    let out = outputs(&runner);
    assert_eq!(out["exit-code"], "1");
    assert_eq!(out["findings"], "1");
    let sarif = std::fs::read_to_string(runner.workspace.join("reports/secgate.sarif")).unwrap();
    std::fs::write(output_dir().join("action-never.sarif"), &sarif).unwrap();
}

#[test]
fn could_not_check_fails_even_with_fail_on_never() {
    let runner = Runner::new();
    let db = rustsec_db();
    let mut inputs = audit_inputs(s(&db), "never");
    inputs.push(("path", "no/such/project".to_owned()));
    let run = runner.step("run.sh", &inputs, true);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("could not check"), "{}", run.stderr);
    let out = outputs(&runner);
    assert_eq!(out["exit-code"], "2");
    assert_eq!(out["findings"], "0");
    assert_eq!(out["sarif-file"], "");
    let summary = std::fs::read_to_string(&runner.summary).unwrap();
    assert!(summary.contains("could not check"), "{summary}");

    // An unknown fail-on is a usage error, not a pass.
    let mut bad = audit_inputs(s(&db), "sometimes");
    bad.push(("install", "false".to_owned()));
    assert_eq!(runner.step("run.sh", &bad, true).code, 2);
}

#[test]
fn a_prebuilt_binary_is_installed_only_with_the_right_sha256() {
    let binary = Path::new(env!("CARGO_BIN_EXE_secgate"));
    let server = server::Server::start();
    server.route(
        "/secgate",
        server::Route::serve(&std::fs::read(binary).unwrap(), "bin"),
    );
    let runner = Runner::new();
    let sha = action::sha256_hex(binary);
    let install = [
        ("binary-url", server.url("/secgate")),
        ("binary-sha256", sha.to_uppercase()),
    ];
    // The test binary's directory is not on PATH: only the download can be run.
    let run = runner.step("install.sh", &install, false);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("installed secgate 0.1.0"),
        "{}",
        run.stdout
    );
    let installed = runner.temp.join("secgate/bin/secgate");
    assert_eq!(action::sha256_hex(&installed), sha);
    let db = rustsec_db();
    let gate = runner.step("run.sh", &audit_inputs(s(&db), "deny"), false);
    assert_eq!(gate.code, 1, "{}\n{}", gate.stdout, gate.stderr);
    assert_eq!(outputs(&runner)["exit-code"], "1");
}

#[test]
fn a_wrong_sha256_fails_before_the_download_ever_runs() {
    let runner = Runner::new();
    let marker = runner.temp.join("it-ran");
    let script = format!("#!/bin/sh\ntouch '{}'\necho secgate 0.1.0\n", s(&marker));
    let server = server::Server::start();
    server.route("/secgate", server::Route::serve(script.as_bytes(), "x"));
    let wrong = "0".repeat(64);
    let install = [
        ("binary-url", server.url("/secgate")),
        ("binary-sha256", wrong.clone()),
    ];
    let run = runner.step("install.sh", &install, false);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("sha256 mismatch"), "{}", run.stderr);
    assert!(!marker.exists(), "the unverified download was executed");
    assert!(!runner.temp.join("secgate/bin/secgate").exists());
    assert_eq!(std::fs::read_to_string(&runner.github_path).unwrap(), "");
    assert_eq!(server.requests_to("/secgate").len(), 1);

    // No sha256 at all is refused before anything is downloaded.
    let run = runner.step(
        "install.sh",
        &[("binary-url", server.url("/secgate"))],
        false,
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("64 hex digits"), "{}", run.stderr);
    assert_eq!(server.requests_to("/secgate").len(), 1);
}

#[test]
fn the_action_and_workflows_pass_the_pinning_gate() {
    // The example workflows are copied where a repository keeps them: only there are they
    // workflows to the pinning gate.
    let tmp = tempfile::tempdir().unwrap();
    let workflows = tmp.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    for file in ["examples/ci-gate.yml", "examples/release.yml"] {
        let name = Path::new(file).file_name().unwrap();
        std::fs::copy(repo().join(file), workflows.join(name)).unwrap();
    }
    let mut targets = vec![tmp.path().to_path_buf()];
    for file in ["action.yml", "examples", ".github/workflows/ci.yml"] {
        targets.push(repo().join(file));
    }
    for target in targets {
        let run = common::secgate(&["pins", s(&target), "--offline", "--format", "json"]);
        assert_eq!(
            run.code,
            0,
            "{}: {}\n{}",
            target.display(),
            run.stdout,
            run.stderr
        );
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["summary"]["deny"], 0, "{}", run.stdout);
        // The only warning allowed: the repository policy's ignore for a fixture directory,
        // unused when one file or another directory is checked.
        let other: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] != "ignore-unused")
            .collect();
        assert!(other.is_empty(), "{}: {other:?}", target.display());
        let notes = report["notes"].to_string();
        assert!(
            notes.contains("workflow") || notes.contains("action"),
            "{notes}"
        );
    }
}

#[test]
fn zizmor_finds_nothing_of_high_severity() {
    let zizmor = action::zizmor();
    let mut command = std::process::Command::new(zizmor);
    command.args(["--offline", "--format", "json", "--strict-collection"]);
    for file in WORKFLOWS {
        command.arg(repo().join(file));
    }
    let run = common::run(
        command
            .current_dir(repo())
            .stdin(std::process::Stdio::piped()),
    );
    // 0: no findings; 10–14: findings, the highest severity in the code. JSON either way.
    let findings: Vec<Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("zizmor JSON ({e}): {}\n{}", run.stdout, run.stderr));
    let high: Vec<String> = findings
        .iter()
        .filter(|f| f["determinations"]["severity"] == "High")
        .map(|f| format!("{}: {}", f["ident"], f["desc"]))
        .collect();
    assert!(
        high.is_empty(),
        "zizmor high-severity findings:\n{}",
        high.join("\n")
    );
    assert!(run.stderr.contains("completed"), "{}", run.stderr);
}

/// The runner's side: reading `action.yml`, and running one step's script as the runner would.
mod action {
    use crate::common::{self, Run, TODAY_EPOCH, s};
    use std::collections::{BTreeMap, HashMap};
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};

    /// This repository: `GITHUB_ACTION_PATH`.
    pub fn repo() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// A line's key and value when it is `key: value` (after an optional `- `), and its indent.
    fn key_value(line: &str) -> Option<(usize, &str, &str)> {
        let content = line.trim_start();
        let indent = line.len() - content.len();
        let content = content.strip_prefix("- ").unwrap_or(content);
        let (key, value) = content.split_once(':')?;
        (!key.contains(' ') && !key.starts_with('#')).then(|| (indent, key, value.trim()))
    }

    /// Every `run:` value, block scalars with their lines.
    pub fn runs(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.lines().collect();
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let Some((indent, "run", value)) = key_value(line) else {
                continue;
            };
            let mut run = value.to_owned();
            for next in &lines[i + 1..] {
                let trimmed = next.trim_start();
                if !trimmed.is_empty() && next.len() - trimmed.len() <= indent {
                    break;
                }
                run.push('\n');
                run.push_str(next);
            }
            out.push(run);
        }
        out
    }

    /// Every `uses:` value, without its trailing comment.
    pub fn uses(text: &str) -> Vec<String> {
        text.lines()
            .filter_map(key_value)
            .filter(|(_, key, _)| *key == "uses")
            .map(|(_, _, value)| value.split(" #").next().unwrap_or("").trim().to_owned())
            .collect()
    }

    /// `owner/repo[/path]@<40 lowercase hex>`.
    pub fn is_sha_pinned(uses: &str) -> bool {
        let Some((name, sha)) = uses.split_once('@') else {
            return false;
        };
        let parts: Vec<&str> = name.split('/').collect();
        parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && !p.contains(['.', ' ']) || *p == ".github")
            && sha.len() == 40
            && sha
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }

    /// One step of the composite action.
    pub struct Step {
        /// The script its `run:` calls (`install.sh`).
        pub script: String,
        /// `(VARIABLE, input name)` of its `env:` mapping.
        pub env: Vec<(String, String)>,
    }

    /// `action.yml`.
    pub struct ActionFile {
        pub text: String,
    }

    impl ActionFile {
        pub fn read() -> Self {
            Self {
                text: std::fs::read_to_string(repo().join("action.yml")).unwrap(),
            }
        }

        /// `(name, default)` of every input, in file order.
        pub fn inputs(&self) -> Vec<(String, String)> {
            let mut inputs: Vec<(String, String)> = Vec::new();
            let mut in_inputs = false;
            for line in self.text.lines() {
                match key_value(line) {
                    Some((0, key, _)) => in_inputs = key == "inputs",
                    Some((2, key, _)) if in_inputs => inputs.push((key.to_owned(), String::new())),
                    Some((4, "default", value)) if in_inputs => {
                        let value = value.trim_matches('"').to_owned();
                        inputs.last_mut().expect("default under an input").1 = value;
                    }
                    _ => {}
                }
            }
            inputs
        }

        /// The steps, each with the `INPUT_*: ${{ inputs.x }}` lines of its `env:`.
        pub fn steps(&self) -> Vec<Step> {
            let mut steps = Vec::new();
            let mut env = Vec::new();
            for line in self.text.lines() {
                let Some((_, key, value)) = key_value(line) else {
                    continue;
                };
                if let Some(input) = value
                    .strip_prefix("${{ inputs.")
                    .and_then(|v| v.strip_suffix(" }}"))
                    .filter(|_| key.starts_with("INPUT_"))
                {
                    env.push((key.to_owned(), input.to_owned()));
                }
                if key == "run" {
                    let script = value
                        .strip_prefix("bash \"$GITHUB_ACTION_PATH/action/")
                        .and_then(|v| v.strip_suffix('"'))
                        .unwrap_or_else(|| panic!("run: is not one action/ script: {value}"));
                    steps.push(Step {
                        script: script.to_owned(),
                        env: std::mem::take(&mut env),
                    });
                }
            }
            steps
        }
    }

    /// A job's files: workspace, runner temp, and the runner's command files.
    pub struct Runner {
        _dir: tempfile::TempDir,
        pub workspace: PathBuf,
        pub temp: PathBuf,
        pub output: PathBuf,
        pub summary: PathBuf,
        pub github_path: PathBuf,
    }

    impl Runner {
        pub fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let runner = Self {
                workspace: dir.path().join("workspace"),
                temp: dir.path().join("runner-temp"),
                output: dir.path().join("github_output"),
                summary: dir.path().join("step_summary.md"),
                github_path: dir.path().join("github_path"),
                _dir: dir,
            };
            for d in [&runner.workspace, &runner.temp] {
                std::fs::create_dir_all(d).unwrap();
            }
            for f in [&runner.output, &runner.summary, &runner.github_path] {
                std::fs::write(f, "").unwrap();
            }
            runner
        }

        /// Runs `script` as its step: the step's `env:` from `inputs` (the last value of a
        /// repeated name wins) or the input's default, PATH with the `GITHUB_PATH` entries first,
        /// and the test binary's directory next when `test_binary_on_path`.
        pub fn step(
            &self,
            script: &str,
            inputs: &[(&str, String)],
            test_binary_on_path: bool,
        ) -> Run {
            let action = ActionFile::read();
            let given: HashMap<&str, &str> = inputs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let defaults: BTreeMap<String, String> = action.inputs().into_iter().collect();
            let step = action
                .steps()
                .into_iter()
                .find(|s| s.script == script)
                .unwrap();
            let mut path: Vec<PathBuf> = std::fs::read_to_string(&self.github_path)
                .unwrap()
                .lines()
                .map(PathBuf::from)
                .collect();
            if test_binary_on_path {
                path.push(
                    Path::new(env!("CARGO_BIN_EXE_secgate"))
                        .parent()
                        .unwrap()
                        .into(),
                );
            }
            path.extend(std::env::split_paths(
                &std::env::var_os("PATH").unwrap_or_default(),
            ));
            let mut command = Command::new("bash");
            command
                .arg(repo().join("action").join(script))
                .current_dir(&self.workspace)
                .env("PATH", std::env::join_paths(path).unwrap())
                .env("GITHUB_ACTION_PATH", repo())
                .env("RUNNER_TEMP", &self.temp)
                .env("GITHUB_OUTPUT", &self.output)
                .env("GITHUB_STEP_SUMMARY", &self.summary)
                .env("GITHUB_PATH", &self.github_path)
                .env_remove("SECGATE_DB")
                .env_remove("SECGATE_OFFLINE")
                .env_remove("GITHUB_REF")
                .env("NO_COLOR", "1")
                .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
                .env("SECGATE_CACHE", self.temp.join("cache"))
                .stdin(Stdio::piped());
            for (var, input) in &step.env {
                let value = given
                    .get(input.as_str())
                    .copied()
                    .unwrap_or(&defaults[input]);
                command.env(var, value);
            }
            common::run(&mut command)
        }
    }

    /// `GITHUB_OUTPUT` as a map (the last value of a name wins, as on the runner).
    pub fn outputs(runner: &Runner) -> HashMap<String, String> {
        std::fs::read_to_string(&runner.output)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// Hex sha256 of a file, by coreutils' `sha256sum` (an implementation the action does not
    /// share with secgate).
    pub fn sha256_hex(file: &Path) -> String {
        let run = common::run(Command::new("sha256sum").arg(file).stdin(Stdio::piped()));
        assert_eq!(run.code, 0, "sha256sum is required: {}", run.stderr);
        run.stdout.split(' ').next().unwrap().to_owned()
    }

    /// zizmor on PATH, or where `pip install --user zizmor` puts it.
    pub fn zizmor() -> PathBuf {
        let on_path = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join("zizmor"))
            .find(|p| p.is_file());
        let user = std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/bin/zizmor"));
        on_path
            .or(user.filter(|p| p.is_file()))
            .unwrap_or_else(|| {
                panic!(
                    "zizmor is required: `python3 -m pip install --user zizmor` (.ci/run installs it); {}",
                    s(Path::new("not found on PATH or in ~/.local/bin"))
                )
            })
    }
}
