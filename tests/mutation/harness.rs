//! Running the real binary on mutated copies of corpus projects, and what every run must show.
//!
//! A run is reduced to a signature (exit code and, for exit 2, the error; else the findings
//! with their code, id, package and line, and the package count) so that a mutated project can
//! be compared with its original and with the same project without the file.

use crate::mutate::{Kind, Mutation};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A secgate subcommand the suite runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmd {
    Audit,
    Pins,
    Licenses,
    Sbom,
    Secrets,
    Check,
}

impl Cmd {
    fn name(self) -> &'static str {
        match self {
            Self::Audit => "audit",
            Self::Pins => "pins",
            Self::Licenses => "licenses",
            Self::Sbom => "sbom",
            Self::Secrets => "secrets",
            Self::Check => "check",
        }
    }
}

/// Whether NUL bytes or UTF-16 can never be valid in the file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// TOML, JSON, YAML, yarn.lock: structured text where a NUL or UTF-16 is never valid.
    Strict,
    /// Strict, and JSON: every truncation before the last byte breaks it.
    Json,
    /// Line-based files (requirements, Dockerfile) a lenient reader may take line by line.
    Lines,
}

/// One corpus file the suite mutates, and the commands run on its project.
pub struct Target {
    /// Corpus folder.
    pub project: &'static str,
    /// The mutated file, relative to the project.
    pub file: &'static str,
    /// Advisory database for `audit` and `check`, relative to the advisory data.
    pub db: &'static str,
    /// Commands run on every mutation.
    pub commands: &'static [Cmd],
    /// The file's format.
    pub syntax: Syntax,
    /// A real file of the same kind in another corpus folder: the symlink target.
    pub outside: &'static str,
}

/// What one run did.
pub struct Outcome {
    /// Exit code; `None` when killed by a signal.
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs the suite's commands with shared settings and remembers reference outcomes.
pub struct Harness {
    shared: PathBuf,
    /// An empty Cargo home: licences of crates are never found, so `licenses` on a Cargo
    /// project must fail with the missing-sources message or over the file itself.
    cargo_home: tempfile::TempDir,
    /// Signatures of the unmutated project and of the project without the file.
    references: HashMap<(&'static str, &'static str, Cmd, bool), String>,
    /// Every broken rule, with its reproducer.
    pub failures: Vec<String>,
    /// Runs made.
    pub runs: usize,
}

impl Harness {
    /// A harness over the shared corpus and advisory data.
    pub fn new(shared: PathBuf) -> Self {
        Self {
            shared,
            cargo_home: tempfile::tempdir().expect("temporary Cargo home"),
            references: HashMap::new(),
            failures: Vec::new(),
            runs: 0,
        }
    }

    /// Copies `target`'s project into a new directory: `(tmp, root)`; the root is `tmp/root`.
    pub fn copy(&self, target: &Target) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("temporary directory");
        let root = tmp.path().join("root");
        crate::common::copy_dir(&self.shared.join("corpus").join(target.project), &root);
        (tmp, root)
    }

    /// Runs `cmd` on the project at `root`.
    pub fn run(&mut self, target: &Target, cmd: Cmd, root: &Path) -> Outcome {
        self.runs += 1;
        let db = self.shared.join("advisory-data").join(target.db);
        let mut command = Command::new(env!("CARGO_BIN_EXE_secgate"));
        command.arg(cmd.name()).arg(root).arg("--offline");
        if cmd == Cmd::Sbom {
            command.args(["--format", "cyclonedx"]);
        } else {
            command.args(["--format", "json"]).arg("--db").arg(&db);
        }
        command
            .current_dir(root.parent().unwrap_or(root))
            .env_remove("SECGATE_DB")
            .env_remove("GITHUB_REF")
            .env("NO_COLOR", "1")
            .env("SECGATE_OFFLINE", "1")
            .env("SOURCE_DATE_EPOCH", crate::common::TODAY_EPOCH)
            .env("CARGO_HOME", self.cargo_home.path())
            // The indexes of the shared databases are built once and reused by every run.
            .env(
                "SECGATE_CACHE",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("target/secgate-test-cache"),
            );
        run(&mut command)
    }

    /// The signature of `cmd` on `target`'s project unmutated (`without_file` false) or with
    /// the file deleted (true), computed once.
    pub fn reference(&mut self, target: &Target, cmd: Cmd, without_file: bool) -> String {
        let key = (target.project, target.file, cmd, without_file);
        if let Some(sig) = self.references.get(&key) {
            return sig.clone();
        }
        let (_tmp, root) = self.copy(target);
        if without_file {
            std::fs::remove_file(root.join(target.file)).expect("remove the file");
        }
        let outcome = self.run(target, cmd, &root);
        let sig = signature(cmd, &outcome, &root);
        self.references.insert(key, sig.clone());
        sig
    }

    /// Checks one run of `cmd` on `target` mutated by `mutation`, and records what it broke.
    pub fn judge(
        &mut self,
        target: &Target,
        mutation: &Mutation,
        cmd: Cmd,
        root: &Path,
        outcome: &Outcome,
    ) {
        let problems = self.problems(target, mutation, cmd, root, outcome);
        if !problems.is_empty() {
            self.failures.push(format!(
                "{}/{} {mutation}: `secgate {} <root> --offline{}` {}\n  exit {:?}\n  stderr: {}\n  stdout: {}",
                target.project,
                target.file,
                cmd.name(),
                if cmd == Cmd::Sbom { " --format cyclonedx".to_owned() } else { format!(" --format json --db <advisory-data>/{}", target.db) },
                problems.join("; "),
                outcome.code,
                clip(&outcome.stderr),
                clip(&outcome.stdout),
            ));
        }
    }

    fn problems(
        &mut self,
        target: &Target,
        mutation: &Mutation,
        cmd: Cmd,
        root: &Path,
        outcome: &Outcome,
    ) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(code @ 0..=2) = outcome.code else {
            problems.push("exit code is not 0, 1 or 2 (a panic or a signal)".to_owned());
            return problems;
        };
        let sig = signature(cmd, outcome, root);
        let baseline = self.reference(target, cmd, false);
        let file_name = Path::new(target.file)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(target.file);
        let taken_away = matches!(mutation.kind(), Kind::Unreadable | Kind::Outside);
        let explained = outcome.stderr.contains(file_name)
            || outcome.stderr.contains(target.file)
            || outcome.stderr.contains("are not in the cargo cache")
            || sig == baseline
            || (taken_away && sig == self.reference(target, cmd, true));
        if code == 2 && !explained {
            problems.push(format!("exit 2 without naming `{file_name}` on stderr"));
        }
        if code != 2 && sig.starts_with("unreadable report") {
            problems.push(sig.clone());
        }
        match mutation.kind() {
            Kind::Equivalent => {
                if sig != baseline {
                    problems.push(format!(
                        "not the findings of the unmutated file\n{}",
                        diff(&baseline, &sig)
                    ));
                }
            }
            Kind::Undecodable if cmd != Cmd::Secrets && target.syntax != Syntax::Lines => {
                if code != 2 && sig != baseline {
                    problems.push(format!(
                        "an undecodable file neither failed (exit 2) nor read losslessly\n{}",
                        diff(&baseline, &sig)
                    ));
                }
            }
            Kind::Damaging => {
                let json_cut =
                    target.syntax == Syntax::Json && matches!(mutation, Mutation::Truncate { .. });
                if json_cut && code != 2 && sig != baseline {
                    problems.push(format!(
                        "a truncated JSON file did not fail (exit 2)\n{}",
                        diff(&baseline, &sig)
                    ));
                }
                if code != 2 && sig.contains("packages 0\n") && matches!(cmd, Cmd::Audit) {
                    problems.push("an audit of 0 packages did not fail".to_owned());
                }
            }
            Kind::Unreadable | Kind::Outside => {
                let absent = self.reference(target, cmd, true);
                if code != 2 && sig != absent {
                    problems.push(format!(
                        "the file was read through the symlink or directory: not an error and not the result without the file\n{}",
                        diff(&absent, &sig)
                    ));
                }
            }
            Kind::Undecodable => {}
        }
        problems
    }
}

/// Runs a prepared command, stdin an empty pipe.
pub fn run(command: &mut Command) -> Outcome {
    let child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start secgate");
    let out = child.wait_with_output().expect("wait for secgate");
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// What a run says, independent of where it ran: exit 2 and its error, or the findings and
/// the package count (SBOM: the components and the dependency edges).
pub fn signature(cmd: Cmd, outcome: &Outcome, root: &Path) -> String {
    let code = outcome.code.unwrap_or(-1);
    if code == 2 {
        let root = root.to_string_lossy();
        return format!(
            "exit 2: {}",
            outcome.stderr.replace(root.as_ref(), "[ROOT]")
        );
    }
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&outcome.stdout) else {
        return format!("unreadable report (exit {code}): not JSON");
    };
    let mut out = format!("exit {code}\n");
    if cmd == Cmd::Sbom {
        let mut purls: Vec<&str> = json["components"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["purl"].as_str().or(c["name"].as_str()))
            .collect();
        purls.sort_unstable();
        let edges: usize = json["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| d["dependsOn"].as_array().map_or(0, Vec::len))
            .sum();
        let _ = writeln!(out, "components {}, edges {edges}", purls.len());
        for purl in purls {
            out.push_str(purl);
            out.push('\n');
        }
        return out;
    }
    let _ = writeln!(out, "packages {}", json["summary"]["packages"]);
    for f in json["findings"].as_array().into_iter().flatten() {
        let _ = writeln!(
            out,
            "{} {} {}@{} {}:{}",
            f["code"].as_str().unwrap_or("?"),
            f["id"].as_str().unwrap_or("-"),
            f["package"]["name"].as_str().unwrap_or("-"),
            f["package"]["version"].as_str().unwrap_or("-"),
            f["location"]["path"].as_str().unwrap_or("-"),
            f["location"]["line"],
        );
    }
    out
}

/// The lines only `expected` has and the lines only `got` has (the first few of each).
fn diff(expected: &str, got: &str) -> String {
    let only = |a: &str, b: &str| -> String {
        let b: std::collections::HashSet<&str> = b.lines().collect();
        let lines: Vec<&str> = a.lines().filter(|l| !b.contains(l)).collect();
        let mut text = lines
            .iter()
            .take(8)
            .copied()
            .collect::<Vec<_>>()
            .join("\n      ");
        if lines.len() > 8 {
            let _ = write!(text, "\n      ... {} more", lines.len() - 8);
        }
        text
    };
    format!(
        "    expected, missing:\n      {}\n    got, extra:\n      {}",
        only(expected, got),
        only(got, expected)
    )
}

/// The first lines of a long output, for failure messages.
fn clip(text: &str) -> String {
    let head: String = text.lines().take(6).collect::<Vec<_>>().join("\n    ");
    if head.chars().count() > 1200 {
        format!("{}...", head.chars().take(1200).collect::<String>())
    } else {
        head
    }
}
