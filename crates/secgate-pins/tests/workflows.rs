//! The workflow checks on real workflows from the shared corpus (`../shared/corpus`, or
//! `$SECGATE_SHARED/corpus`): exact findings and version comments, line by line.

mod common;

use common::corpus;
use secgate_core::{Code, Finding};
use secgate_pins::{ActionsRule, FileKind, PinsOptions, SourceFile, classify, workflow};

/// `project/path/in/repo` of the corpus, as a file of its repository.
fn load(path: &str) -> SourceFile {
    let (project, relative) = path.split_once('/').unwrap();
    let full = corpus().join(project).join(relative);
    let text = std::fs::read_to_string(&full)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()));
    SourceFile::new(relative, classify(relative).unwrap(), text)
}

fn check(path: &str, options: &PinsOptions) -> (SourceFile, workflow::Checked) {
    let file = load(path);
    assert_eq!(file.kind, FileKind::Workflow, "{path}");
    let checked = workflow::check(&file, options).unwrap();
    (file, checked)
}

/// Findings of the codes this module decides: (code, line, id), in line order. The `run:`
/// script findings belong to the shell scanner and are checked by [`script_findings_are_sane`].
fn pin_findings(checked: &workflow::Checked) -> Vec<(&'static str, u32, String)> {
    let mut rows: Vec<_> = checked
        .findings
        .iter()
        .filter(|f| !is_script_code(f))
        .map(|f| {
            let id = f.id.clone().unwrap_or_default();
            (f.code.as_str(), f.location.line, id)
        })
        .collect();
    rows.sort();
    rows
}

fn is_script_code(f: &Finding) -> bool {
    matches!(f.code, Code::InstallUnlocked | Code::CurlPipeShell)
}

/// Version comments: (line, repo, tag); checks each location is at the version text.
fn refs(file: &SourceFile, checked: &workflow::Checked) -> Vec<(u32, String, String)> {
    checked
        .action_refs
        .iter()
        .map(|r| {
            let span = r.location.span.clone().expect("refs have spans");
            assert_eq!(file.text[span].to_owned(), r.tag, "{}", file.path);
            assert_eq!(r.sha.len(), 40);
            (r.location.line, r.repo.clone(), r.tag.clone())
        })
        .collect()
}

/// Whatever the shell scanner reports, the mapped span is real text of a `run:` script.
fn script_findings_are_sane(file: &SourceFile, checked: &workflow::Checked) {
    for f in checked.findings.iter().filter(|f| is_script_code(f)) {
        let span = f.location.span.clone().unwrap();
        let text = &file.text[span];
        assert!(
            !text.is_empty() && !text.starts_with(char::is_whitespace),
            "{f:?}"
        );
        let line_start = file.line_start(f.location.line).unwrap();
        let before = &file.text[line_start..f.location.span.clone().unwrap().start];
        assert_eq!(before.chars().count() + 1, f.location.column as usize);
    }
}

fn unpinned(line: u32, id: &str) -> (&'static str, u32, String) {
    (Code::ActionUnpinned.as_str(), line, id.to_owned())
}

/// An expected version comment: its line, and the repository and tag it names.
type ExpectedRef = (u32, (&'static str, &'static str));

const CHECKOUT_V7: (&str, &str) = ("actions/checkout", "v7.0.1");

fn expect_refs(rows: &[ExpectedRef]) -> Vec<(u32, String, String)> {
    rows.iter()
        .map(|(line, (repo, tag))| (*line, (*repo).to_owned(), (*tag).to_owned()))
        .collect()
}

#[test]
fn bat_uses_tags_and_branches() {
    let (file, checked) = check(
        "cargo-bat/.github/workflows/CICD.yml",
        &PinsOptions::default(),
    );
    let (checkout, toolchain) = ("actions/checkout@v6", "dtolnay/rust-toolchain@stable");
    let expected = vec![
        unpinned(38, checkout),
        unpinned(58, toolchain),
        unpinned(61, checkout),
        unpinned(71, checkout),
        unpinned(73, "dtolnay/rust-toolchain@master"),
        unpinned(83, checkout),
        unpinned(93, checkout),
        unpinned(97, toolchain),
        unpinned(122, checkout),
        unpinned(127, toolchain),
        unpinned(138, checkout),
        unpinned(140, toolchain),
        unpinned(153, checkout),
        unpinned(181, checkout),
        unpinned(192, toolchain),
        unpinned(425, "actions/upload-artifact@master"),
        unpinned(431, "actions/upload-artifact@master"),
        unpinned(445, "softprops/action-gh-release@v2"),
    ];
    assert_eq!(pin_findings(&checked), expected);
    // Line 460 pins winget-releaser by SHA without a comment: nothing to check offline.
    assert!(checked.action_refs.is_empty());
    let first = &checked
        .findings
        .iter()
        .find(|f| f.location.line == 38)
        .unwrap();
    assert_eq!(first.location.column, 13);
    assert_eq!(&file.text[first.location.span.clone().unwrap()], checkout);
    assert!(first.message.contains("tag `v6`"));
    let branch = &checked
        .findings
        .iter()
        .find(|f| f.location.line == 58)
        .unwrap();
    assert!(branch.message.contains("branch `stable`"));
    assert_eq!(
        branch.fix.as_deref(),
        Some("pin to the commit: `uses: dtolnay/rust-toolchain@<40-hex sha> # stable`")
    );
    script_findings_are_sane(&file, &checked);
    // The `run:` script of line 198 is mapped back to its place in the file.
    let install = checked
        .findings
        .iter()
        .find(|f| f.code == Code::InstallUnlocked && f.location.line == 198)
        .expect("`cargo install cross` without `--locked` on line 198");
    assert_eq!(install.location.column, 12);
    let span = install.location.span.clone().unwrap();
    assert!(file.text[span].starts_with("cargo install cross --git"));
}

#[test]
fn allow_tags_keeps_other_owners() {
    let options = PinsOptions {
        allow_tags: vec!["actions/*".into()],
        ..PinsOptions::default()
    };
    let (_, checked) = check("cargo-bat/.github/workflows/CICD.yml", &options);
    let toolchain = "dtolnay/rust-toolchain@stable";
    let expected = vec![
        unpinned(58, toolchain),
        unpinned(73, "dtolnay/rust-toolchain@master"),
        unpinned(97, toolchain),
        unpinned(127, toolchain),
        unpinned(140, toolchain),
        unpinned(192, toolchain),
        unpinned(445, "softprops/action-gh-release@v2"),
    ];
    assert_eq!(pin_findings(&checked), expected);
    let off = PinsOptions {
        actions: ActionsRule::Off,
        ..PinsOptions::default()
    };
    let (_, checked) = check("cargo-bat/.github/workflows/CICD.yml", &off);
    assert!(pin_findings(&checked).is_empty());
}

#[test]
fn nushell_pins_everything_with_version_comments() {
    let toolchain = "actions-rust-lang/setup-rust-toolchain";
    let setup_nu = ("hustcer/setup-nu", "v3.26");
    let cases: [(&str, Vec<ExpectedRef>); 4] = [
        (
            "audit.yml",
            vec![
                (31, CHECKOUT_V7),
                (32, ("taiki-e/install-action", "v2.85.8")),
                (35, ("rustsec/audit-check", "v2.0.0")),
            ],
        ),
        (
            "ci.yml",
            vec![
                (111, CHECKOUT_V7),
                (118, ("Swatinem/rust-cache", "v2.9.1")),
                (180, CHECKOUT_V7),
                (183, (toolchain, "v1.12.0")),
                (189, ("actions/upload-artifact", "v7.0.1")),
                (197, ("actions/upload-artifact", "v7.0.1")),
                (211, ("actions/setup-python", "v7.0.0")),
            ],
        ),
        (
            "nightly-build.yml",
            vec![
                (40, CHECKOUT_V7),
                (49, setup_nu),
                (169, CHECKOUT_V7),
                (190, (toolchain, "v1.17.0")),
                (197, setup_nu),
                (211, ("JasonEtco/create-an-issue", "v2.9.2")),
                (222, ("softprops/action-gh-release", "v2.0.9")),
                (254, ("softprops/action-gh-release", "v2.0.9")),
                (273, CHECKOUT_V7),
                (278, setup_nu),
            ],
        ),
        (
            "release.yml",
            vec![
                (76, CHECKOUT_V7),
                (94, (toolchain, "v1.12.0")),
                (101, setup_nu),
                (116, ("softprops/action-gh-release", "v2.0.5")),
                (145, ("softprops/action-gh-release", "v2.0.5")),
            ],
        ),
    ];
    for (name, expected) in cases {
        let path = format!("cargo-nushell/.github/workflows/{name}");
        let (file, checked) = check(&path, &PinsOptions::default());
        assert_eq!(pin_findings(&checked), [], "{name}");
        assert_eq!(refs(&file, &checked), expect_refs(&expected), "{name}");
        script_findings_are_sane(&file, &checked);
    }
    let (_, checked) = check(
        "cargo-nushell/.github/workflows/audit.yml",
        &PinsOptions::default(),
    );
    let first = &checked.action_refs[0];
    assert_eq!(first.sha, "3d3c42e5aac5ba805825da76410c181273ba90b1");
    assert_eq!(first.location.column, 75);
}

#[test]
fn warehouse_pins_actions_but_not_a_service_image() {
    let (file, checked) = check(
        "pip-warehouse/.github/workflows/ci.yml",
        &PinsOptions::default(),
    );
    // Line 64 `registry.depot.dev/...:${{ ... }}` and the `${{ ... }}` service images of lines
    // 71-84 are decided at run time and not checked.
    assert_eq!(
        pin_findings(&checked),
        [(
            Code::ImageUnpinned.as_str(),
            114,
            "postgres:17.5".to_owned()
        )]
    );
    let image = &checked
        .findings
        .iter()
        .find(|f| f.code == Code::ImageUnpinned)
        .unwrap();
    assert_eq!(image.location.column, 16);
    assert!(
        image
            .message
            .contains("service `postgres` of job `check_db`")
    );
    let expected = [
        (25, CHECKOUT_V7),
        (29, ("depot/setup-action", "v1.7.1")),
        (32, ("depot/build-push-action", "v1.18.0")),
        (90, CHECKOUT_V7),
        (95, ("actions/cache", "v6.1.0")),
        (125, CHECKOUT_V7),
        (131, ("falti/dotenv-action", "v1.2.1")),
    ];
    assert_eq!(refs(&file, &checked), expect_refs(&expected));
    script_findings_are_sane(&file, &checked);

    let codeql = ("github/codeql-action", "v4.37.7");
    let (file, checked) = check(
        "pip-warehouse/.github/workflows/codeql-analysis.yml",
        &PinsOptions::default(),
    );
    assert_eq!(pin_findings(&checked), []);
    let expected = [
        (41, CHECKOUT_V7),
        (47, ("actions/setup-python", "v7.0.0")),
        (57, codeql),
        (72, codeql),
        (85, codeql),
    ];
    assert_eq!(refs(&file, &checked), expect_refs(&expected));

    let (file, checked) = check(
        "pip-warehouse/.github/workflows/combine-prs.yml",
        &PinsOptions::default(),
    );
    assert_eq!(pin_findings(&checked), []);
    let expected = [
        (29, ("actions/create-github-app-token", "v3.2.0")),
        (41, ("github/combine-prs", "v5.2.0")),
    ];
    assert_eq!(refs(&file, &checked), expect_refs(&expected));
}

#[test]
fn poetry_local_actions_are_fine() {
    let checkout = ("actions/checkout", "v6.0.2");
    let (file, checked) = check(
        "poetry/.github/workflows/tests.yaml",
        &PinsOptions::default(),
    );
    // `./.github/actions/...` steps (65, 85, 100, 102) and the local reusable workflow (112).
    assert_eq!(pin_findings(&checked), []);
    let expected = [
        (28, checkout),
        (32, ("dorny/paths-filter", "v4.0.1")),
        (61, checkout),
        (75, checkout),
        (96, checkout),
    ];
    assert_eq!(refs(&file, &checked), expect_refs(&expected));
    script_findings_are_sane(&file, &checked);

    let (file, checked) = check(
        "poetry/.github/workflows/release.yaml",
        &PinsOptions::default(),
    );
    assert_eq!(pin_findings(&checked), []);
    let download = ("actions/download-artifact", "v8.0.1");
    let expected = [
        (14, checkout),
        (20, ("actions/upload-artifact", "v7.0.1")),
        (34, checkout),
        (38, download),
        (58, download),
        (63, ("pypa/gh-action-pypi-publish", "v1.14.0")),
    ];
    assert_eq!(refs(&file, &checked), expect_refs(&expected));
}

#[test]
fn scorecard_reusable_workflow_by_tag() {
    let (file, checked) = check(
        "scorecard/.github/workflows/goreleaser.yaml",
        &PinsOptions::default(),
    );
    let reusable =
        "slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0";
    assert_eq!(pin_findings(&checked), [unpinned(77, reusable)]);
    let finding = &checked.findings[0];
    assert_eq!(finding.location.column, 11);
    assert!(
        finding.message.starts_with("reusable workflow"),
        "{}",
        finding.message
    );
    assert!(finding.message.contains("tag `v2.1.0`"));
    let expected = [
        (37, ("step-security/harden-runner", "v2.20.0")),
        (42, CHECKOUT_V7),
        (46, ("actions/setup-go", "v7.0.0")),
        (55, ("goreleaser/goreleaser-action", "v7.2.3")),
        (88, ("slsa-framework/slsa-verifier", "v2.7.1")),
    ];
    assert_eq!(refs(&file, &checked), expect_refs(&expected));
    // The sub-path `/actions/installer` is not part of the repository a tag belongs to.
    assert_eq!(checked.action_refs[4].repo, "slsa-framework/slsa-verifier");
}

#[test]
fn truncated_and_mangled_corpus_workflows_never_panic() {
    for path in [
        "cargo-bat/.github/workflows/CICD.yml",
        "cargo-nushell/.github/workflows/nightly-build.yml",
        "pip-warehouse/.github/workflows/ci.yml",
        "scorecard/.github/workflows/goreleaser.yaml",
    ] {
        let file = load(path);
        let text = &file.text;
        let cuts = (0..text.len())
            .step_by(97)
            .filter(|i| text.is_char_boundary(*i));
        for cut in cuts {
            for mangled in [
                text[..cut].to_owned(),
                format!("{}é\"\\\t'{}", &text[..cut], &text[cut..]),
            ] {
                let file = SourceFile::new(file.path.clone(), file.kind, mangled);
                if let Ok(checked) = workflow::check(&file, &PinsOptions::default()) {
                    for f in &checked.findings {
                        let span = f.location.span.clone().unwrap();
                        assert!(file.text.get(span).is_some(), "{f:?}");
                    }
                }
            }
        }
    }
}
