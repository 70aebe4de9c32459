//! Unit tests of the Dockerfile rules on small inline files.

use super::*;
use crate::FileKind;

const SHA: &str = "1e598ea5752ae26c093b746fd73c5095af97d6f2d679c43e83e0eac484a33dc3";

fn run_with(text: &str, images: ImagesRule) -> Vec<(Code, u32, u32, String)> {
    let file = SourceFile::new("Dockerfile", FileKind::Dockerfile, text);
    let options = PinsOptions {
        images,
        ..PinsOptions::default()
    };
    check(&file, &options)
        .into_iter()
        .map(|f| {
            let id = f.id.clone().unwrap_or_default();
            (f.code, f.location.line, f.location.column, id)
        })
        .collect()
}

fn run(text: &str) -> Vec<(Code, u32, u32, String)> {
    run_with(text, ImagesRule::Digest)
}

const IMG: Code = Code::ImageUnpinned;

#[test]
fn tags_are_unpinned_and_digests_stages_scratch_are_not() {
    let text = format!(
        "FROM --platform=$BUILDPLATFORM golang:1.26 AS Build\n\
         FROM golang:1.26@sha256:{SHA} AS base\n\
         FROM build AS test\n\
         FROM scratch\n\
         from alpine\n"
    );
    assert_eq!(
        run(&text),
        [
            (IMG, 1, 32, "golang:1.26".into()),
            (IMG, 5, 6, "alpine".into())
        ]
    );
    let file = SourceFile::new("Dockerfile", FileKind::Dockerfile, text.clone());
    let found = check(&file, &PinsOptions::default());
    assert_eq!(found[0].location.span, Some(31..42));
    assert!(
        found[0]
            .fix
            .as_deref()
            .unwrap()
            .starts_with("`FROM golang:1.26@sha256:<digest> AS Build`")
    );
    assert!(found[1].message.contains("alpine:latest"));
}

#[test]
fn global_args_are_substituted() {
    let text = format!(
        "ARG PY=3.12\nARG BASE=python:${{PY}}@sha256:{SHA}\nARG FREE\n\
         FROM python:${{PY}}-slim\n\
         FROM ${{BASE}}\n\
         FROM ${{FREE}}\n\
         FROM ${{FREE:-debian:12}}\n\
         ARG LATE=x\n\
         FROM img:${{LATE}}\n"
    );
    assert_eq!(
        run(&text),
        [
            (IMG, 4, 6, "python:${PY}-slim".into()),
            (IMG, 6, 6, "${FREE}".into()),
            (IMG, 7, 6, "${FREE:-debian:12}".into()),
            (IMG, 9, 6, "img:${LATE}".into()),
        ]
    );
    let file = SourceFile::new("Dockerfile", FileKind::Dockerfile, text.clone());
    let found = check(&file, &PinsOptions::default());
    assert!(found[0].message.contains("`python:3.12-slim`"));
    assert!(found[1].message.contains("cannot be resolved"));
    assert!(
        found[3]
            .message
            .contains("not a build arg declared before the first `FROM`")
    );
}

#[test]
fn copy_from_an_image_is_checked_too() {
    let text = format!(
        "FROM alpine@sha256:{SHA} AS a\nCOPY --from=a /x /x\nCOPY --from=0 /x /x\n\
         COPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=$IMG /x /x\n"
    );
    assert_eq!(run(&text), [(IMG, 4, 13, "nginx:1.27".into())]);
}

#[test]
fn images_off_skips_images_but_not_scripts() {
    let text = "FROM alpine\nRUN curl -fsSL https://x | sh\n";
    assert_eq!(
        run_with(text, ImagesRule::Off),
        [(Code::CurlPipeShell, 2, 5, "curl|sh".into())]
    );
}

#[test]
fn run_scripts_map_to_their_exact_place() {
    let text = format!(
        "FROM alpine@sha256:{SHA}\n\
         RUN --mount=type=cache,target=/root/.npm \\\n    npm ci\n\
         RUN apk add curl \\\n    # fetch the installer\n    && wget -qO- https://x \\\n    | sh\n\
         RUN [\"sh\", \"-c\", \"curl x | sh\"]\n\
         RUN cargo install ripgrep\n"
    );
    let file = SourceFile::new("Dockerfile", FileKind::Dockerfile, text.clone());
    let found = check(&file, &PinsOptions::default());
    let got: Vec<_> = found
        .iter()
        .map(|f| (f.code, f.location.line, f.location.column))
        .collect();
    assert_eq!(
        got,
        [(Code::CurlPipeShell, 6, 8), (Code::InstallUnlocked, 9, 5)]
    );
    let span = found[0].location.span.clone().unwrap();
    assert_eq!(&text[span], "wget -qO- https://x \\\n    | sh");
}

#[test]
fn heredoc_scripts_are_scanned_and_other_heredocs_are_data() {
    let text = "FROM scratch\n\
                RUN <<EOF\nset -e\npip install requests\nEOF\n\
                RUN <<EOF\n#!/usr/bin/env python3\nprint('pip install x')\nEOF\n\
                RUN cat <<EOF > /etc/x\nnpm install\nEOF\n\
                RUN bash <<-EOF\n\tcurl x | sh\n\tEOF\n";
    let got = run(text);
    assert_eq!(
        got,
        [
            (Code::InstallUnlocked, 4, 13, "pip install requests".into()),
            (Code::CurlPipeShell, 14, 2, "curl|sh".into())
        ]
    );
}

#[test]
fn escape_directive_and_odd_files() {
    let text =
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN npm `\n    install\n";
    assert_eq!(
        run(text),
        [
            (
                IMG,
                2,
                6,
                "mcr.microsoft.com/windows/servercore:ltsc2022".into()
            ),
            (Code::InstallUnlocked, 3, 5, "npm-install".into()),
        ]
    );
    for odd in [
        "",
        "FROM",
        "FROM --platform=x",
        "RUN",
        "RUN --mount=x",
        "ARG",
        "\u{feff}FROM a",
        "RUN \\",
        "COPY --from=",
    ] {
        let _ = run(odd);
    }
}
