//! A repository, driven through the `git` command.

use super::SignedObject;
use crate::SignError;
use std::path::{Path, PathBuf};

/// A git repository (any directory inside its work tree, or a bare repository).
#[derive(Clone, Debug)]
pub struct Repo {
    dir: PathBuf,
}

/// What a tag name resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagTarget {
    /// An annotated (or signed) tag object.
    Annotated(SignedObject),
    /// A lightweight tag: the ref points straight at a commit (id given).
    Lightweight(String),
}

impl Repo {
    /// Opens the repository containing `dir`; an error when `git` is missing or `dir` is not in
    /// a repository.
    pub fn open(dir: &Path) -> Result<Self, SignError> {
        let _ = dir;
        Err(SignError::Git("git support is not built yet".to_owned()))
    }

    /// The directory git runs in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Resolves `refs/tags/<name>`; an error when there is no such tag.
    pub fn tag(&self, name: &str) -> Result<TagTarget, SignError> {
        let _ = name;
        Err(SignError::Git("git support is not built yet".to_owned()))
    }

    /// Every commit of `range` (anything `git rev-list` accepts: `A..B`, `B ^A`, one commit),
    /// merges included, oldest first.
    pub fn commits(&self, range: &str) -> Result<Vec<SignedObject>, SignError> {
        let _ = range;
        Err(SignError::Git("git support is not built yet".to_owned()))
    }

    /// The most recent tag reachable from `HEAD` (`git describe --tags --abbrev=0`), if any.
    pub fn latest_tag(&self) -> Result<Option<String>, SignError> {
        Err(SignError::Git("git support is not built yet".to_owned()))
    }

    /// The tags that point at `HEAD` (for `secgate check` on a release build).
    pub fn tags_at_head(&self) -> Result<Vec<String>, SignError> {
        Err(SignError::Git("git support is not built yet".to_owned()))
    }
}
