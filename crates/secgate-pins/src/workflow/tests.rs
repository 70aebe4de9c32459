//! Whole-file checks on small inline workflows and actions: every rule, failing and passing.

use super::*;
use crate::{ActionsRule, ImagesRule};
use secgate_core::Code;

const SHA: &str = "de0fac2e4500dabe0009e67214ff5f5447ce83dd";

/// A YAML file from its lines.
fn yaml(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn run(kind: FileKind, text: &str, options: &PinsOptions) -> Checked {
    let path = match kind {
        FileKind::Action => "action.yml",
        _ => ".github/workflows/ci.yml",
    };
    check(&SourceFile::new(path, kind, text), options).unwrap()
}

fn workflow(text: &str) -> Checked {
    run(FileKind::Workflow, text, &PinsOptions::default())
}

fn action(text: &str) -> Checked {
    run(FileKind::Action, text, &PinsOptions::default())
}

type Row = (&'static str, u32, u32, String);

/// (code, line, column, id) of each finding, sorted.
fn summary(checked: &Checked) -> Vec<Row> {
    let mut rows: Vec<_> = checked
        .findings
        .iter()
        .map(|f| {
            let id = f.id.clone().unwrap_or_default();
            (f.code.as_str(), f.location.line, f.location.column, id)
        })
        .collect();
    rows.sort();
    rows
}

fn row(code: Code, line: u32, column: u32, id: &str) -> Row {
    (code.as_str(), line, column, id.to_owned())
}

#[test]
fn unpinned_refs_of_every_kind() {
    let text = yaml(&[
        "jobs:",
        "  build:",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - uses: dtolnay/rust-toolchain@stable",
        "      - uses: a/b@de0fac2",
        "      - uses: a/b",
        "      - uses: docker://alpine:3.18",
        "      - uses: \"${{ matrix.action }}\"",
    ]);
    let checked = workflow(&text);
    let u = Code::ActionUnpinned;
    assert_eq!(
        summary(&checked),
        [
            row(u, 4, 15, "actions/checkout@v4"),
            row(u, 5, 15, "dtolnay/rust-toolchain@stable"),
            row(u, 6, 15, "a/b@de0fac2"),
            row(u, 7, 15, "a/b"),
            row(u, 8, 15, "docker://alpine:3.18"),
            row(u, 9, 16, "${{ matrix.action }}"),
        ]
    );
    let says = |i: usize, what: &str| {
        let message = &checked.findings[i].message;
        assert!(message.contains(what), "{message}");
    };
    says(0, "tag `v4`");
    says(1, "branch `stable`");
    says(2, "short commit SHA `de0fac2`");
    says(3, "no `@ref`");
    says(4, "not pinned by digest");
    says(5, "cannot be verified");
    assert_eq!(
        checked.findings[0].fix.as_deref(),
        Some("pin to the commit: `uses: actions/checkout@<40-hex sha> # v4`")
    );
    assert!(checked.action_refs.is_empty());
}

#[test]
fn pinned_local_and_digest_refs_are_fine() {
    let docker = format!("      - uses: docker://alpine@sha256:{}", "0".repeat(64));
    let text = yaml(&[
        "jobs:",
        "  a:",
        "    steps:",
        &format!("      - uses: actions/checkout@{SHA}"),
        "      - uses: ./.github/actions/setup",
        &docker,
        "      - run: echo hi",
        "  b:",
        "    uses: ./.github/workflows/reusable.yml",
    ]);
    let checked = workflow(&text);
    assert!(checked.findings.is_empty(), "{:?}", checked.findings);
}

#[test]
fn reusable_workflows_are_checked() {
    let text = yaml(&[
        "jobs:",
        "  release:",
        "    uses: o/r/.github/workflows/x.yml@v2.1.0",
    ]);
    let checked = workflow(&text);
    let id = "o/r/.github/workflows/x.yml@v2.1.0";
    assert_eq!(summary(&checked), [row(Code::ActionUnpinned, 3, 11, id)]);
    assert!(checked.findings[0].message.starts_with("reusable workflow"));
}

#[test]
fn version_comments_become_action_refs() {
    let upper = SHA.to_ascii_uppercase();
    let text = yaml(&[
        "jobs:",
        "  a:",
        "    steps:",
        &format!("      - uses: actions/checkout@{upper} # v6.0.2"),
        &format!("      - uses: 'github/codeql-action/init@{SHA}' # tag=v4.1.0"),
        &format!("      - uses: a/b@{SHA}"),
    ]);
    let checked = workflow(&text);
    assert!(checked.findings.is_empty(), "{:?}", checked.findings);
    let refs: Vec<_> = checked
        .action_refs
        .iter()
        .map(|r| {
            let at = (r.location.line, r.location.column);
            (r.repo.as_str(), r.sha.as_str(), r.tag.as_str(), at)
        })
        .collect();
    assert_eq!(
        refs,
        [
            ("actions/checkout", SHA, "v6.0.2", (4, 75)),
            ("github/codeql-action", SHA, "v4.1.0", (5, 90)),
        ]
    );
}

#[test]
fn a_comment_that_is_not_a_version_is_a_mismatch() {
    let text = yaml(&[
        "jobs:",
        "  a:",
        "    steps:",
        &format!("      - uses: a/b@{SHA} # main branch"),
    ]);
    let checked = workflow(&text);
    let id = format!("a/b@{SHA}");
    assert_eq!(
        summary(&checked),
        [row(Code::ActionTagMismatch, 4, 60, &id)]
    );
    assert!(checked.findings[0].message.contains("`# main branch`"));
    assert!(checked.action_refs.is_empty());
}

#[test]
fn hash_inside_quotes_is_not_a_comment() {
    let text = yaml(&[
        "jobs:",
        "  a:",
        "    steps:",
        &format!("      - uses: \"a/b@{SHA}\""),
        "        run: \"x # v1\"",
    ]);
    let checked = workflow(&text);
    assert!(checked.findings.is_empty() && checked.action_refs.is_empty());
}

#[test]
fn allow_tags_and_rule_off() {
    let text = yaml(&[
        "jobs:",
        "  a:",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - uses: actions/cache/save@main",
        "      - uses: other/x@v1",
        &format!("      - uses: actions/setup@{SHA} # v1"),
    ]);
    let allow = PinsOptions {
        allow_tags: vec!["actions/*".into()],
        ..PinsOptions::default()
    };
    let checked = run(FileKind::Workflow, &text, &allow);
    let expected = [row(Code::ActionUnpinned, 6, 15, "other/x@v1")];
    assert_eq!(summary(&checked), expected);
    // An allowed owner's SHA pin still has its comment read.
    assert_eq!(checked.action_refs.len(), 1);
    let off = PinsOptions {
        actions: ActionsRule::Off,
        ..PinsOptions::default()
    };
    let checked = run(FileKind::Workflow, &text, &off);
    assert!(checked.findings.is_empty() && checked.action_refs.is_empty());
}

#[test]
fn composite_and_docker_actions() {
    let composite = yaml(&[
        "runs:",
        "  using: composite",
        "  steps:",
        "    - uses: actions/cache@v4",
        "    - run: echo",
        "      shell: bash",
    ]);
    let expected = [row(Code::ActionUnpinned, 4, 13, "actions/cache@v4")];
    assert_eq!(summary(&action(&composite)), expected);

    let docker = yaml(&["runs:", "  using: docker", "  image: docker://alpine:3.18"]);
    let checked = action(&docker);
    let expected = [row(Code::ImageUnpinned, 3, 10, "alpine:3.18")];
    assert_eq!(summary(&checked), expected);
    let fix = checked.findings[0].fix.as_deref().unwrap_or_default();
    assert!(
        fix.starts_with("pin the digest: `image: docker://alpine:3.18@sha256:<digest>`"),
        "{fix}"
    );

    let built = yaml(&["runs:", "  using: docker", "  image: Dockerfile"]);
    assert!(action(&built).findings.is_empty());
    let pinned = format!(
        "runs:\n  image: docker://alpine@sha256:{}\n",
        "b".repeat(64)
    );
    assert!(action(&pinned).findings.is_empty());
}

#[test]
fn container_and_service_images() {
    let digest = format!("        image: redis@sha256:{}", "a".repeat(64));
    let text = yaml(&[
        "jobs:",
        "  a:",
        "    container: node:18",
        "    services:",
        "      db:",
        "        image: postgres:17.5",
        "      cache:",
        &digest,
        "      off:",
        "        image: ''",
        "  b:",
        "    container:",
        "      image: ghcr.io/o/i:${{ github.sha }}",
        "  c:",
        "    container:",
        "      image: \"ubuntu:24.04\"",
    ]);
    let checked = workflow(&text);
    let i = Code::ImageUnpinned;
    let expected = [
        row(i, 3, 16, "node:18"),
        row(i, 6, 16, "postgres:17.5"),
        row(i, 16, 15, "ubuntu:24.04"),
    ];
    assert_eq!(summary(&checked), expected);
    let message = &checked.findings[1].message;
    assert!(message.contains("service `db` of job `a`"), "{message}");
    let fix = checked.findings[0].fix.as_deref().unwrap_or_default();
    assert!(fix.starts_with("pin the digest: `container: node:18@sha256:<digest>`"));
    let off = PinsOptions {
        images: ImagesRule::Off,
        ..PinsOptions::default()
    };
    assert!(run(FileKind::Workflow, &text, &off).findings.is_empty());
}

#[test]
fn columns_count_characters_after_non_ascii_text() {
    let text = yaml(&[
        "name: “CI” ünïcödé",
        "jobs:",
        "  a:",
        "    steps:",
        "      - name: é",
        "        uses: x/y@v1 # ß",
    ]);
    let checked = workflow(&text);
    assert_eq!(
        summary(&checked),
        [row(Code::ActionUnpinned, 6, 15, "x/y@v1")]
    );
    let span = checked.findings[0].location.span.clone().unwrap();
    assert_eq!(&text[span], "x/y@v1");
}

#[test]
fn aliases_are_followed_and_reported_once() {
    let text = yaml(&[
        "jobs:",
        "  a:",
        "    steps: &steps",
        "      - uses: x/y@v1",
        "  b:",
        "    steps: *steps",
        "  c: *unknown",
    ]);
    let file = SourceFile::new("w.yml", FileKind::Workflow, text.as_str());
    // An alias without an anchor is a YAML error.
    assert!(check(&file, &PinsOptions::default()).is_err());
    let text = text.replace("  c: *unknown\n", "");
    let expected = [row(Code::ActionUnpinned, 4, 15, "x/y@v1")];
    assert_eq!(summary(&workflow(&text)), expected);
}

#[test]
fn unexpected_shapes_are_skipped() {
    for text in [
        "",
        "- a\n- b\n",
        "jobs: [1, 2]\n",
        "jobs:\n  a: 1\n  b:\n    steps: {uses: x/y@v1}\n",
        "jobs:\n  a:\n    steps:\n      - x/y@v1\n      - uses: [x/y@v1]\n      - run: {a: 1}\n",
        "jobs:\n  a:\n    services: [db]\n    container: [x]\n",
        "on: push\n---\njobs: {}\n",
    ] {
        assert!(workflow(text).findings.is_empty(), "{text}");
    }
    // A workflow's keys mean nothing in an action.
    let w = "jobs:\n  a:\n    steps:\n      - uses: x/y@v1\n";
    assert!(action(w).findings.is_empty());
}

#[test]
fn yaml_syntax_errors_are_parse_errors() {
    let path = ".github/workflows/bad.yml";
    let file = SourceFile::new(path, FileKind::Workflow, "jobs:\n  a: [b\n");
    match check(&file, &PinsOptions::default()) {
        Err(PinsError::Parse {
            path: p,
            line,
            column,
            message,
        }) => {
            assert_eq!((p.as_str(), line, column), (path, 3, 1));
            assert!(!message.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn run_scripts_are_scanned_at_their_file_position() {
    let text = yaml(&[
        "jobs:",
        "  a:",
        "    steps:",
        "      - run: |",
        "          echo start",
        "          curl https://x | sh",
    ]);
    let checked = workflow(&text);
    let curl: Vec<_> = checked
        .findings
        .iter()
        .filter(|f| f.code == Code::CurlPipeShell)
        .collect();
    assert_eq!(curl.len(), 1, "{:?}", checked.findings);
    assert_eq!((curl[0].location.line, curl[0].location.column), (6, 11));
    let span = curl[0].location.span.clone().unwrap();
    assert!(text[span].starts_with("curl"));
}
