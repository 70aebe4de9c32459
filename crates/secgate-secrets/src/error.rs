//! The errors that stop a scan from running at all (findings are never errors).

use std::path::PathBuf;

/// Why a scan could not run.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    /// The directory or file to scan cannot be read.
    #[error("cannot read `{}`", path.display())]
    Root {
        /// The path given.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `--commits` was given for a directory that is not inside a git repository.
    #[error("`{}` is not a git repository\nhint: `--commits` needs the repository's history; run it in a clone", path.display())]
    NotARepository {
        /// The path given.
        path: PathBuf,
        /// What git said.
        stderr: String,
    },
    /// git does not accept the commit range.
    #[error("bad commit range `{range}`: {stderr}\nhint: give a range such as `origin/main..HEAD`")]
    BadRange {
        /// The range given.
        range: String,
        /// What git said.
        stderr: String,
    },
    /// git could not be started.
    #[error("cannot run `git`\nhint: install git and put it on PATH")]
    GitMissing(#[source] std::io::Error),
    /// A git command failed.
    #[error("`git {command}` failed: {stderr}")]
    Git {
        /// The git subcommand and its arguments.
        command: String,
        /// What git said.
        stderr: String,
    },
    /// An allow entry's `path` is not a valid glob.
    #[error("bad glob `{glob}` in a `[secrets] allow` entry")]
    BadGlob {
        /// The glob.
        glob: String,
        /// Why.
        #[source]
        source: globset::Error,
    },
}
