//! The two error types of this crate: [`LockfileError`] for one lockfile that cannot be read as
//! a Cargo lockfile (each variant says where, as path, 1-based line and column, and byte span),
//! and [`InventoryError`] for a PATH that yields no lockfile to check at all.
//!
//! A lockfile error displays as `Cargo.lock:12:5: message`, so it is useful even when printed
//! alone; renderers that show a snippet use [`LockfileError::location`] and
//! [`LockfileError::span`]. Causes (TOML syntax, semver, UTF-8, I/O) are `#[source]`s and are not
//! repeated in the message, so print the error chain.

use secgate_core::Location;
use std::ops::Range;
use std::path::PathBuf;
use thiserror::Error;

/// A lockfile that cannot be read as a Cargo lockfile.
#[derive(Debug, Error)]
pub enum LockfileError {
    /// The file is not valid UTF-8.
    #[error("{path}:{line}:{column}: lockfile is not valid UTF-8")]
    NotUtf8 {
        /// Lockfile path.
        path: String,
        /// Line of the first invalid byte.
        line: u32,
        /// Column of the first invalid byte.
        column: u32,
        /// The invalid bytes.
        span: Range<usize>,
        /// The decoding error.
        #[source]
        source: std::str::Utf8Error,
    },
    /// The file is not valid TOML.
    #[error("{path}:{line}:{column}: invalid TOML")]
    Toml {
        /// Lockfile path.
        path: String,
        /// Line of the syntax error.
        line: u32,
        /// Column of the syntax error.
        column: u32,
        /// Bytes the TOML parser points at.
        span: Range<usize>,
        /// The parser's error (boxed: it is large and rare).
        #[source]
        source: Box<toml_span::Error>,
    },
    /// The file locks no package: it is empty or has no `[[package]]` entry.
    #[error(
        "{path}:{line}:{column}: lockfile has no `[[package]]` entries\n\
         hint: an empty lockfile locks nothing; regenerate it with `cargo generate-lockfile`"
    )]
    NoPackages {
        /// Lockfile path.
        path: String,
        /// Always 1.
        line: u32,
        /// Always 1.
        column: u32,
        /// Empty span at the start of the file.
        span: Range<usize>,
    },
    /// The top-level `version` is not a lockfile format this crate reads.
    #[error(
        "{path}:{line}:{column}: unsupported lockfile `version = {version}`\n\
         hint: secgate reads Cargo lockfile formats 1 to 4 (`version = 3` and `version = 4`, or none)"
    )]
    UnsupportedVersion {
        /// Lockfile path.
        path: String,
        /// Line of the `version` value.
        line: u32,
        /// Column of the `version` value.
        column: u32,
        /// The `version` value.
        span: Range<usize>,
        /// The version found.
        version: i64,
    },
    /// A `[[package]]` entry (or `[root]`) lacks a key every entry must have.
    #[error("{path}:{line}:{column}: `{table}` entry has no `{key}`")]
    MissingKey {
        /// Lockfile path.
        path: String,
        /// Line of the entry's header.
        line: u32,
        /// Column of the entry's header.
        column: u32,
        /// The entry's header line.
        span: Range<usize>,
        /// `[[package]]` or `[root]`.
        table: &'static str,
        /// `name` or `version`.
        key: &'static str,
    },
    /// A package version is not a valid semantic version.
    #[error(
        "{path}:{line}:{column}: version `{version}` of `{name}` is not a valid semver version"
    )]
    InvalidVersion {
        /// Lockfile path.
        path: String,
        /// Line of the version string.
        line: u32,
        /// Column of the version string.
        column: u32,
        /// The version string, without quotes.
        span: Range<usize>,
        /// Package name.
        name: String,
        /// The version as written.
        version: String,
        /// Why semver rejects it.
        #[source]
        source: semver::Error,
    },
    /// A key this crate reads has a value of the wrong type.
    #[error("{path}:{line}:{column}: `{key}` must be {expected}, found {found}")]
    WrongType {
        /// Lockfile path.
        path: String,
        /// Line of the value.
        line: u32,
        /// Column of the value.
        column: u32,
        /// The value.
        span: Range<usize>,
        /// The key, as written in the lockfile.
        key: String,
        /// What the key must hold (`a string`, `an array of strings`, ...).
        expected: &'static str,
        /// The TOML type found.
        found: &'static str,
    },
    /// An npm or Python lockfile or requirements file that does not parse, or holds an entry
    /// this crate cannot read (JSON, YAML and TOML syntax, a missing `version`, ...).
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// File path.
        path: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// Bytes the problem is about.
        span: Range<usize>,
        /// What is wrong.
        message: String,
    },
}

impl LockfileError {
    fn parts(&self) -> (&str, u32, u32, &Range<usize>) {
        match self {
            Self::NotUtf8 {
                path,
                line,
                column,
                span,
                ..
            }
            | Self::Toml {
                path,
                line,
                column,
                span,
                ..
            }
            | Self::NoPackages {
                path,
                line,
                column,
                span,
            }
            | Self::UnsupportedVersion {
                path,
                line,
                column,
                span,
                ..
            }
            | Self::MissingKey {
                path,
                line,
                column,
                span,
                ..
            }
            | Self::InvalidVersion {
                path,
                line,
                column,
                span,
                ..
            }
            | Self::WrongType {
                path,
                line,
                column,
                span,
                ..
            }
            | Self::Parse {
                path,
                line,
                column,
                span,
                ..
            } => (path, *line, *column, span),
        }
    }

    /// Path of the lockfile, as given to the parser.
    pub fn path(&self) -> &str {
        self.parts().0
    }

    /// 1-based line of the problem.
    pub fn line(&self) -> u32 {
        self.parts().1
    }

    /// 1-based column of the problem, in characters.
    pub fn column(&self) -> u32 {
        self.parts().2
    }

    /// Byte range of the problem in the lockfile text, for snippets.
    pub fn span(&self) -> Range<usize> {
        self.parts().3.clone()
    }

    /// The problem as a model location (with its span).
    pub fn location(&self) -> Location {
        let (path, line, column, span) = self.parts();
        Location {
            path: path.to_owned(),
            line,
            column,
            span: Some(span.clone()),
        }
    }
}

/// A PATH that yields no lockfile to check.
#[derive(Debug, Error)]
pub enum InventoryError {
    /// PATH does not exist.
    #[error("`{path}` does not exist")]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// A file or directory could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A directory with no lockfile or requirements file anywhere below it.
    #[error(
        "no lockfile found in `{path}` or below it (Cargo.lock, package-lock.json, \
         pnpm-lock.yaml, yarn.lock, requirements*.txt, poetry.lock, uv.lock, Pipfile.lock, \
         pylock.toml)\n\
         hint: commit the lockfile (`cargo generate-lockfile`, `npm install --package-lock-only`, \
         ...), so that the gate checks the exact versions that are built"
    )]
    NoLockfile {
        /// The directory walked.
        path: PathBuf,
    },
    /// Dependency files were found, but none pins an exact version (requirements with ranges
    /// only): there is nothing to audit, which must not pass as a clean audit.
    #[error(
        "nothing to audit in `{path}`: {files} lock(s) no exact version\n\
         hint: pin exact versions (`name==1.2.3`, e.g. with `pip-compile`), or commit a lockfile"
    )]
    NothingLocked {
        /// The PATH given.
        path: PathBuf,
        /// The files read, comma-separated.
        files: String,
    },
    /// A `Cargo.toml` with no `Cargo.lock` in its directory or above.
    #[error(
        "no `Cargo.lock` found for `{manifest}` in its directory or any directory above it\n\
         hint: run `cargo generate-lockfile` next to the workspace root `Cargo.toml` and commit it"
    )]
    NoLockfileForManifest {
        /// The manifest given.
        manifest: PathBuf,
    },
    /// A file that is neither a dependency file the inventory reads nor a Cargo manifest.
    #[error(
        "`{path}` is not a lockfile or requirements file secgate reads\n\
         hint: pass the repository directory, a `Cargo.lock` or `Cargo.toml`, a \
         `package-lock.json`, `pnpm-lock.yaml` or `yarn.lock`, a `requirements*.txt`, or a \
         `poetry.lock`, `uv.lock`, `Pipfile.lock` or `pylock.toml`"
    )]
    UnsupportedFile {
        /// The file given.
        path: PathBuf,
    },
    /// A lockfile that was found cannot be parsed.
    #[error("{error}")]
    Lockfile {
        /// The lockfile as it can be opened (the walked directory joined with the relative path).
        file: PathBuf,
        /// What is wrong, at the path relative to the root (boxed: errors stay small).
        error: Box<LockfileError>,
    },
}

/// `span` cut to `text` and widened to character boundaries, so a renderer can slice the text
/// with it. The TOML parser reports some syntax errors with a span past the end of the text or
/// ending before it starts (`version = 3]` gives `11..26` in a 12-byte text).
pub(crate) fn span_within(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::span_within;

    #[test]
    fn spans_from_the_toml_parser_are_cut_to_the_text() {
        assert_eq!(span_within("version = 3]", 11..26), 11..12);
        // A reversed span, as the TOML parser reports for `version = 3]` in a longer text.
        let reversed = std::ops::Range { start: 2, end: 1 };
        assert_eq!(span_within("abc", reversed), 2..2);
        assert_eq!(span_within("abc", 7..9), 3..3);
        assert_eq!(span_within("aé", 2..2), 1..3);
        assert_eq!(span_within("aéb", 1..2), 1..3);
    }

    #[test]
    fn a_bad_toml_span_in_a_lockfile_is_cut_to_the_text() {
        let text = "version = 3]";
        let e = crate::parse_cargo_lock(text, "Cargo.lock").unwrap_err();
        assert!(text.get(e.span()).is_some(), "{:?}", e.span());
    }
}
