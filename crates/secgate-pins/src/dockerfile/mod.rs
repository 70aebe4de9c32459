//! Dockerfiles: `image-unpinned` for every `FROM` (and `COPY --from=`) image without a digest,
//! and the shell-form `RUN` scripts (heredoc scripts included) through [`crate::shell`].
//!
//! Not checked: exec-form `RUN ["sh", "-c", "..."]`, `--mount=from=` images, and `COPY --from=`
//! values with a variable (they expand with stage-scoped args the gate does not follow).

mod args;
mod image;
mod parse;

use crate::{ImagesRule, PinsOptions, SourceFile, shell};
use args::{Args, declare};
use image::{Judged, judge};
use parse::{Instruction, instructions};
use secgate_core::{Code, Finding};
use std::ops::Range;

/// `image-unpinned` for every `FROM`, and the `RUN` scripts through [`crate::shell`].
pub fn check(file: &SourceFile, options: &PinsOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut args = Args::new();
    let mut stages: Vec<String> = Vec::new();
    let mut seen_from = false;
    let images = options.images != ImagesRule::Off;
    for instruction in instructions(&file.text) {
        match instruction.keyword.as_str() {
            "ARG" if !seen_from => declare(&mut args, &instruction.words()),
            "FROM" => {
                seen_from = true;
                let words = instruction.words();
                let mut positional = words.iter().filter(|(w, _)| !w.starts_with("--"));
                let Some((image, span)) = positional.next() else {
                    continue;
                };
                let alias = match (positional.next(), positional.next()) {
                    (Some((as_, _)), Some((name, _))) if as_.eq_ignore_ascii_case("as") => {
                        Some(*name)
                    }
                    _ => None,
                };
                if images {
                    let judged = judge(image, &args, &stages, alias);
                    findings.extend(image_finding(file, image, span.clone(), judged));
                }
                stages.extend(alias.map(str::to_ascii_lowercase));
            }
            "COPY" if images => {
                for (word, span) in instruction.words() {
                    let Some(from) = word.strip_prefix("--from=") else {
                        continue;
                    };
                    let stage_index = from.bytes().all(|b| b.is_ascii_digit());
                    if stage_index || from.contains('$') {
                        continue;
                    }
                    let span = span.start + "--from=".len()..span.end;
                    let judged = judge(from, &Args::new(), &stages, None);
                    findings.extend(image_finding(file, from, span, judged));
                }
            }
            "RUN" => run(file, &instruction, &mut findings),
            _ => {}
        }
    }
    findings
}

fn image_finding(
    file: &SourceFile,
    written: &str,
    span: Range<usize>,
    judged: Judged,
) -> Option<Finding> {
    let Judged::Unpinned { message, fix } = judged else {
        return None;
    };
    let mut finding = file.finding(Code::ImageUnpinned, span, message, Some(fix));
    finding.id = Some(written.to_owned());
    Some(finding)
}

/// The shell rules on a `RUN`: its command line, and its heredocs when they are the script.
fn run(file: &SourceFile, instruction: &Instruction, findings: &mut Vec<Finding>) {
    // Skip the `--mount=...`, `--network=...` flags before the command.
    let script_start = instruction
        .words()
        .into_iter()
        .find(|(w, _)| !w.starts_with("--"))
        .map(|(_, span)| span.start - instruction.args_start);
    let Some(script_start) = script_start else {
        return;
    };
    let script = instruction.args.get(script_start..).unwrap_or_default();
    if script.starts_with('[') {
        return;
    }
    let mut scripts: Vec<(&str, usize)> = vec![(script, instruction.args_start + script_start)];
    // `RUN <<EOF` runs the body; `RUN bash <<EOF` feeds it to a shell's standard input.
    let first = script.split_whitespace().next().unwrap_or_default();
    let first = first.rsplit('/').next().unwrap_or(first);
    if first.starts_with("<<") || matches!(first, "sh" | "bash" | "dash" | "zsh" | "ash") {
        for heredoc in &instruction.heredocs {
            let body = file.text.get(heredoc.body.clone()).unwrap_or_default();
            // A `#!` line other than a shell's makes the body another language.
            let shebang = body.lines().next().and_then(|l| l.strip_prefix("#!"));
            if shebang.is_none_or(|s| s.trim_end().ends_with("sh")) {
                scripts.push((body, heredoc.body.start));
            }
        }
    }
    for (script, offset) in scripts {
        for hit in shell::scan(script) {
            let span = hit.span.start + offset..hit.span.end + offset;
            findings.push(hit.finding(file, span));
        }
    }
}

#[cfg(test)]
mod tests;
