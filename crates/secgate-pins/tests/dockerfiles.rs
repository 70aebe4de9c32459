//! The Dockerfile checks on the real Dockerfiles of `../shared/corpus`: the exact findings on
//! each as committed (warehouse's five `FROM`s with stage aliases, scorecard's digests, nushell's
//! tag-only images and long `RUN` continuations with comment lines), and on in-memory edits
//! (an install or a download piped to a shell inside those `RUN`s, a digest removed), so a rule
//! that silently stopped working, or a span that drifted, fails here.
//!
//! The corpus is found through `SECGATE_SHARED`, else `../shared` next to the repository; a
//! missing corpus fails the tests.

mod common;

use common::read;
use secgate_core::Code;
use secgate_pins::{FileKind, ImagesRule, PinsOptions, SourceFile, dockerfile};

/// (code, line, column, id, flagged text) of every finding on `text` as the file `path`.
fn check_with(path: &str, text: &str, images: ImagesRule) -> Vec<(Code, u32, u32, String, String)> {
    let file = SourceFile::new(path, FileKind::Dockerfile, text);
    let options = PinsOptions {
        images,
        ..PinsOptions::default()
    };
    dockerfile::check(&file, &options)
        .into_iter()
        .map(|f| {
            assert!(f.fix.is_some(), "{f:?}");
            let span = f.location.span.clone().unwrap();
            let flagged = text[span].to_owned();
            (
                f.code,
                f.location.line,
                f.location.column,
                f.id.unwrap_or_default(),
                flagged,
            )
        })
        .collect()
}

fn check(path: &str, text: &str) -> Vec<(Code, u32, u32, String, String)> {
    check_with(path, text, ImagesRule::Digest)
}

/// `text` with `from` replaced by `to` on 1-based `line`, which must contain it.
fn edit_line(text: &str, line: usize, from: &str, to: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let target = &mut lines[line - 1];
    assert!(target.contains(from), "line {line} is {target:?}");
    *target = target.replacen(from, to, 1);
    lines.join("\n")
}

const IMAGE: Code = Code::ImageUnpinned;

fn image(line: u32, id: &str) -> (Code, u32, u32, String, String) {
    (IMAGE, line, 6, id.to_owned(), id.to_owned())
}

#[test]
fn warehouse_pins_its_base_images_by_tag_and_its_stages_by_alias() {
    let path = "pip-warehouse/Dockerfile";
    let text = read(path);
    // `FROM static-deps AS static`, `FROM base AS docs` and `FROM base` are stages.
    assert_eq!(
        check(path, &text),
        [
            image(5, "node:26.7.0-trixie"),
            image(45, "python:3.14.7-slim-trixie")
        ]
    );
    assert_eq!(check_with(path, &text, ImagesRule::Off), []);
    let file = SourceFile::new(path, FileKind::Dockerfile, text.clone());
    let found = dockerfile::check(&file, &PinsOptions::default());
    assert_eq!(
        found[0].fix.as_deref(),
        Some(
            "`FROM node:26.7.0-trixie@sha256:<digest> AS static-deps` (the digest is shown by \
             `docker buildx imagetools inspect node:26.7.0-trixie`)"
        )
    );
}

#[test]
fn warehouse_run_lines_are_scanned_through_their_mount_flags() {
    let path = "pip-warehouse/Dockerfile";
    let text = edit_line(&read(path), 19, "npm ci", "npm install");
    let found = check_with(path, &text, ImagesRule::Off);
    assert_eq!(
        found,
        [(
            Code::InstallUnlocked,
            19,
            5,
            "npm-install".into(),
            "npm install".into()
        )]
    );
}

#[test]
fn scorecard_pins_by_digest() {
    let path = "scorecard/Dockerfile";
    let text = read(path);
    assert_eq!(check(path, &text), []);
    let sha = "@sha256:1e598ea5752ae26c093b746fd73c5095af97d6f2d679c43e83e0eac484a33dc3";
    let unpinned = edit_line(&text, 15, sha, "");
    assert_eq!(check(path, &unpinned), [image(15, "golang:1.26.2")]);
    let truncated = edit_line(&text, 15, sha, "@sha256:1e598ea5");
    let found = check(path, &truncated);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].1, found[0].2), (15, 6));
}

#[test]
fn nushell_images_are_tags_and_its_scripts_download_only_data() {
    let alpine = "cargo-nushell/docker/Dockerfile";
    let debian = "cargo-nushell/docker/debian.Dockerfile";
    // `wget -qO - ... | grep | cut | grep | xargs wget` fetches a release: no shell runs it.
    assert_eq!(check(alpine, &read(alpine)), [image(8, "alpine")]);
    assert_eq!(
        check(debian, &read(debian)),
        [image(8, "debian:bookworm-slim")]
    );
}

#[test]
fn edits_inside_nushells_long_run_are_found_at_their_lines() {
    let path = "cargo-nushell/docker/Dockerfile";
    let text = read(path);
    // Line 34 of the `RUN` on lines 30-49 pipes the download into `sh`; line 46 follows a
    // comment line inside the continuation.
    let text = edit_line(
        &text,
        34,
        "${RELEASE_QUERY_API} \\",
        "${RELEASE_QUERY_API} | sh \\",
    );
    let text = edit_line(
        &text,
        46,
        "su -c 'config reset -w' nushell",
        "cargo install nu",
    );
    let found = check_with(path, &text, ImagesRule::Off);
    assert_eq!(
        found,
        [
            (
                Code::CurlPipeShell,
                34,
                8,
                "wget|sh".into(),
                "wget -qO - ${RELEASE_QUERY_API} | sh".into()
            ),
            (
                Code::InstallUnlocked,
                46,
                8,
                "cargo-install".into(),
                "cargo install nu".into()
            ),
        ]
    );
}
