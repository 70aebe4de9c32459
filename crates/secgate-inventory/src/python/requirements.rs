//! pip requirements files with their `-r` / `-c` includes. Each file becomes one [`Lockfile`]
//! (format version 0), in depth-first include order, each file once even when includes form a
//! cycle. Only exact pins become packages; `-i/--index-url` applies to every file, as pip's
//! options do.

use super::common::{Doc, index_source, normalize, package};
use super::lines::logical_lines;
use super::requirement::{Line, Pin, classify};
use crate::{Lockfile, LockfileError};
use secgate_core::PackageSource;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// One file read, before packages are built (the index URL is only known at the end).
struct ReadFile {
    path: String,
    text: String,
    constraint: bool,
    pins: Vec<Pin>,
}

/// Reads `file` (shown as `path`) and its includes.
pub(crate) fn read(file: &Path, path: &str) -> Result<Vec<Lockfile>, LockfileError> {
    let text = read_text(file).map_err(|message| Doc::new("", path).error(0..0, message))?;
    let mut walk = Walk {
        seen: HashSet::new(),
        files: Vec::new(),
        index_url: None,
    };
    walk.seen.insert(identity(file));
    walk.visit(file, path, text, false)?;

    let source = walk
        .index_url
        .as_deref()
        .map_or(PackageSource::DefaultRegistry, index_source);
    Ok(walk
        .files
        .into_iter()
        .map(|read| build(read, &source))
        .collect())
}

/// Parses requirements text alone (no includes are followed): for tests and callers that hold
/// the text already.
pub(crate) fn parse_text(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let doc = Doc::new(text, path);
    let mut index_url = None;
    let mut pins = Vec::new();
    for line in logical_lines(text) {
        match classify(&line).map_err(|e| doc.error(e.at..doc.line_end(e.at), e.message))? {
            Line::Pin(pin) => pins.push(pin),
            Line::IndexUrl(url) => index_url = Some(url),
            Line::Include { .. } | Line::Skip => {}
        }
    }
    let source = index_url
        .as_deref()
        .map_or(PackageSource::DefaultRegistry, index_source);
    Ok(build(
        ReadFile {
            path: path.to_owned(),
            text: text.to_owned(),
            constraint: false,
            pins,
        },
        &source,
    ))
}

struct Walk {
    seen: HashSet<PathBuf>,
    files: Vec<ReadFile>,
    index_url: Option<String>,
}

impl Walk {
    fn visit(
        &mut self,
        file: &Path,
        path: &str,
        text: String,
        constraint: bool,
    ) -> Result<(), LockfileError> {
        let doc = Doc::new(&text, path);
        let mut pins = Vec::new();
        let mut includes = Vec::new();
        for line in logical_lines(&text) {
            let line =
                classify(&line).map_err(|e| doc.error(e.at..doc.line_end(e.at), e.message))?;
            match line {
                Line::Pin(pin) => pins.push(pin),
                Line::IndexUrl(url) => self.index_url = Some(url),
                Line::Include {
                    target,
                    constraint,
                    at,
                } => includes.push((target, constraint, at)),
                Line::Skip => {}
            }
        }
        let mut children = Vec::new();
        for (target, nested_constraint, at) in includes {
            let child = file.parent().unwrap_or(Path::new("")).join(&target);
            if !self.seen.insert(identity(&child)) {
                continue;
            }
            let child_text = read_text(&child).map_err(|message| {
                doc.error(
                    at..doc.line_end(at),
                    format!("cannot include `{target}`: {message}"),
                )
            })?;
            children.push((
                child,
                shown_path(path, &target),
                child_text,
                nested_constraint,
            ));
        }
        self.files.push(ReadFile {
            path: path.to_owned(),
            text,
            constraint,
            pins,
        });
        for (child, child_path, child_text, nested_constraint) in children {
            self.visit(&child, &child_path, child_text, nested_constraint)?;
        }
        Ok(())
    }
}

fn build(read: ReadFile, source: &PackageSource) -> Lockfile {
    let doc = Doc::new(&read.text, &read.path);
    let packages = read
        .pins
        .into_iter()
        .map(|pin| {
            let mut p = package(
                normalize(&pin.name),
                pin.version,
                doc.location(pin.at, pin.at),
            );
            p.source = source.clone();
            p.checksum = pin.checksum;
            // A constraint only limits versions; it installs nothing by itself.
            p.direct = Some(!read.constraint);
            p
        })
        .collect();
    Lockfile {
        path: read.path,
        text: read.text,
        format_version: 0,
        packages,
    }
}

fn read_text(file: &Path) -> Result<String, String> {
    let bytes = crate::kind::read_capped(file)
        .map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    String::from_utf8(bytes)
        .map(crate::kind::strip_bom)
        .map_err(|e| {
            format!(
                "`{}` is not valid UTF-8 (byte {})",
                file.display(),
                e.utf8_error().valid_up_to()
            )
        })
}

/// The same file reached by two spellings is one file.
fn identity(file: &Path) -> PathBuf {
    std::fs::canonicalize(file).unwrap_or_else(|_| lexical(file))
}

fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The include `target` as a path shown next to `parent` (the including file's shown path):
/// the parent's directory joined with the target, `.` and `..` resolved, `/`-separated.
fn shown_path(parent: &str, target: &str) -> String {
    if target.starts_with('/') {
        return target.to_owned();
    }
    let mut parts: Vec<&str> = parent.split('/').collect();
    parts.pop();
    for part in target.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_paths_are_shown_next_to_the_parent() {
        assert_eq!(
            shown_path("requirements/main.txt", "base.txt"),
            "requirements/base.txt"
        );
        assert_eq!(shown_path("requirements/main.txt", "../dev.txt"), "dev.txt");
        assert_eq!(shown_path("main.txt", "../x/y.txt"), "../x/y.txt");
        assert_eq!(shown_path("main.txt", "./a/./b.txt"), "a/b.txt");
    }
}
