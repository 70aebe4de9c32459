//! `[paths]`: files every gate skips. `exclude` lists globs relative to the repository root
//! (`/`-separated, `*` within a name, `**` any depth, see [`glob_match`]); a file is skipped
//! when it or one of its directories matches, so `tests/fixtures` and `tests/fixtures/**` both
//! skip everything below `tests/fixtures`. The same glob rules apply to `[secrets] allow` paths.

use crate::cfg::unknown_key;
use crate::error::Problems;
use crate::pins::glob_match;
use toml_span::Value;
use toml_span::value::Table;

/// The `[paths]` section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathsPolicy {
    /// Globs of the files and directories every gate skips, in file order, normalized (no
    /// leading `./`, no trailing `/`).
    pub exclude: Vec<String>,
}

impl PathsPolicy {
    /// Whether the file or directory at `relative` (`/`-separated, relative to the repository
    /// root) is excluded: it, or one of its ancestor directories, matches an `exclude` glob.
    pub fn excludes(&self, relative: &str) -> bool {
        let relative = relative.trim_start_matches("./");
        let relative = relative.trim_end_matches('/');
        if relative.is_empty() || self.exclude.is_empty() {
            return false;
        }
        // The path itself, then each ancestor: `a/b/c`, `a/b`, `a`.
        let ancestors = relative
            .match_indices('/')
            .map(|(at, _)| relative.get(..at).unwrap_or_default());
        std::iter::once(relative)
            .chain(ancestors)
            .any(|candidate| self.exclude.iter().any(|g| glob_match(g, candidate)))
    }
}

const KEYS: &[&str] = &["exclude"];
const EXCLUDE_HINT: &str = "write `exclude = [\"tests/fixtures/**\", \"examples/**\"]`";

/// Parses the `[paths]` table.
pub(crate) fn parse_paths(table: &Table<'_>, problems: &mut Problems<'_>) -> PathsPolicy {
    let mut paths = PathsPolicy::default();
    for (key, value) in table {
        match key.name.as_ref() {
            "exclude" => paths.exclude = exclude(value, problems),
            _ => unknown_key(key, Some("paths"), KEYS, problems),
        }
    }
    paths
}

fn exclude(value: &Value<'_>, problems: &mut Problems<'_>) -> Vec<String> {
    let Some(items) = value.as_array() else {
        let found = value.as_ref().type_str();
        let hint = match value.as_str() {
            Some(s) => format!("write it as a list: `exclude = [\"{s}\"]`"),
            None => EXCLUDE_HINT.to_owned(),
        };
        problems.push(
            value.span,
            format!("`exclude` must be an array of globs, found {found}"),
            Some(hint),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| relative_glob(item, "`exclude` entry", EXCLUDE_HINT, problems))
        .collect()
}

/// A glob relative to the repository root, normalized; `what` names the value in messages
/// ("`exclude` entry", "`path`"), `example` is the hint for a value of the wrong type.
pub(crate) fn relative_glob(
    value: &Value<'_>,
    what: &str,
    example: &str,
    problems: &mut Problems<'_>,
) -> Option<String> {
    let Some(glob) = value.as_str() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("{what} must be a string, found {found}"),
            Some(example.to_owned()),
        );
        return None;
    };
    match glob_problem(glob) {
        None => Some(normalize(glob)),
        Some((problem, hint)) => {
            problems.push(value.span, format!("{what} `{glob}` {problem}"), Some(hint));
            None
        }
    }
}

/// What is wrong with `glob` as a repository-relative glob, and a hint; `None` when nothing.
fn glob_problem(glob: &str) -> Option<(&'static str, String)> {
    const RELATIVE: &str = "globs are relative to the repository root, e.g. `tests/fixtures/**`";
    if glob.trim().is_empty() {
        return Some(("is empty", RELATIVE.to_owned()));
    }
    if glob.contains('\\') {
        let slashed = glob.replace('\\', "/");
        return Some((
            "uses `\\`",
            format!("separate directories with `/`: `{slashed}`"),
        ));
    }
    if glob.starts_with('/') || has_drive(glob) {
        return Some(("is an absolute path", RELATIVE.to_owned()));
    }
    if glob.split('/').any(|part| part == "..") {
        return Some(("leaves the repository with `..`", RELATIVE.to_owned()));
    }
    if normalize(glob).is_empty() {
        return Some(("names the repository root itself", RELATIVE.to_owned()));
    }
    None
}

/// `C:` or `C:/...`: a Windows absolute path.
fn has_drive(glob: &str) -> bool {
    let bytes = glob.as_bytes();
    matches!(bytes, [letter, b':', ..] if letter.is_ascii_alphabetic())
}

/// Without a leading `./` or trailing `/`, which do not change what the glob names.
fn normalize(glob: &str) -> String {
    let mut glob = glob;
    while let Some(rest) = glob.strip_prefix("./") {
        glob = rest;
    }
    glob.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(globs: &[&str]) -> PathsPolicy {
        PathsPolicy {
            exclude: globs.iter().map(|g| (*g).to_owned()).collect(),
        }
    }

    #[test]
    fn a_glob_excludes_matching_files_and_everything_below_matching_directories() {
        let paths = policy(&["tests/fixtures/**", "examples", "*.min.js", "docs/*/gen"]);
        assert!(paths.excludes("tests/fixtures/a/Cargo.lock"));
        assert!(paths.excludes("tests/fixtures"));
        assert!(paths.excludes("examples/x/y"));
        assert!(paths.excludes("./examples/x"));
        assert!(paths.excludes("app.min.js"));
        assert!(paths.excludes("docs/api/gen/index.html"));
        assert!(!paths.excludes("tests/unit.rs"));
        assert!(!paths.excludes("src/examples.rs"));
        assert!(!paths.excludes("web/app.min.js"));
        assert!(!paths.excludes("docs/gen/index.html"));
        assert!(!paths.excludes(""));
        assert!(!PathsPolicy::default().excludes("anything"));
    }

    #[test]
    fn globs_must_be_relative_and_slash_separated() {
        assert_eq!(glob_problem("tests/**"), None);
        assert_eq!(glob_problem("").map(|p| p.0), Some("is empty"));
        assert_eq!(
            glob_problem("/etc").map(|p| p.0),
            Some("is an absolute path")
        );
        assert_eq!(
            glob_problem("C:/x").map(|p| p.0),
            Some("is an absolute path")
        );
        assert_eq!(
            glob_problem("a/../b").map(|p| p.0),
            Some("leaves the repository with `..`")
        );
        assert_eq!(
            glob_problem("a\\b"),
            Some((
                "uses `\\`",
                "separate directories with `/`: `a/b`".to_owned()
            ))
        );
        assert_eq!(
            glob_problem("./").map(|p| p.0),
            Some("names the repository root itself")
        );
        assert_eq!(normalize("././vendor/"), "vendor");
    }
}
