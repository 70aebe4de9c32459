//! A repository, driven through the `git` command.

use super::batch::{self, RawObject};
use super::{SignedObject, command};
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
        let output = command::run(dir, &["rev-parse", "--git-dir"])?;
        if !output.status.success() {
            return Err(SignError::Git(format!(
                "{} is not in a git repository: {}",
                dir.display(),
                command::stderr_message(&output)
            )));
        }
        Ok(Repo {
            dir: dir.to_owned(),
        })
    }

    /// The directory git runs in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Resolves `refs/tags/<name>`; an error when there is no such tag.
    pub fn tag(&self, name: &str) -> Result<TagTarget, SignError> {
        let no_tag = || SignError::Git(format!("no tag `{name}` in {}", self.dir.display()));
        // Revision syntax (`v1^{}`, `v1~1`, `@{-1}`) would resolve to some other object than
        // the tag itself: only plain ref names are looked up.
        if !is_plain_ref_name(name) {
            return Err(no_tag());
        }
        let refname = format!("refs/tags/{name}");
        let args = ["rev-parse", "--verify", "--quiet", refname.as_str()];
        let output = command::run(&self.dir, &args)?;
        let id = command::output_lines(&output.stdout)
            .into_iter()
            .next()
            .filter(|_| output.status.success())
            .ok_or_else(no_tag)?;
        let kind = command::stdout(&self.dir, &["cat-file", "-t", id.as_str()])?;
        if String::from_utf8_lossy(&kind).trim() != "tag" {
            return Ok(TagTarget::Lightweight(id));
        }
        let data = command::stdout(&self.dir, &["cat-file", "tag", id.as_str()])?;
        self.signed_object(&RawObject {
            id,
            kind: "tag".to_owned(),
            data,
        })
        .map(TagTarget::Annotated)
    }

    /// Every commit of `range` (anything `git rev-list` accepts: `A..B`, `B ^A`, one commit),
    /// merges included, oldest first.
    pub fn commits(&self, range: &str) -> Result<Vec<SignedObject>, SignError> {
        let revisions: Vec<&str> = range.split_whitespace().collect();
        if revisions.is_empty() {
            return Err(SignError::Git("no commit range given".to_owned()));
        }
        if let Some(option) = revisions.iter().find(|r| r.starts_with('-')) {
            return Err(SignError::Git(format!(
                "`{option}` is not a commit range (it would be read as a `git rev-list` option)"
            )));
        }
        let mut args = vec!["rev-list", "--reverse", "--end-of-options"];
        args.extend(&revisions);
        // Revisions only: a name that is also a file is still a revision.
        args.push("--");
        let ids = command::output_lines(&command::stdout(&self.dir, &args)?);
        batch::read_objects(&self.dir, &ids)?
            .iter()
            .map(|object| self.signed_object(object))
            .collect()
    }

    /// The most recent tag reachable from `HEAD` (`git describe --tags --abbrev=0`), if any.
    pub fn latest_tag(&self) -> Result<Option<String>, SignError> {
        let args = ["describe", "--tags", "--abbrev=0", "HEAD"];
        let output = command::run(&self.dir, &args)?;
        if output.status.success() {
            return Ok(command::output_lines(&output.stdout).into_iter().next());
        }
        // describe fails both when there is no tag and when something is wrong; the tags
        // reachable from HEAD tell the two apart without reading a translated message.
        let merged = command::stdout(&self.dir, &["tag", "--merged", "HEAD"])?;
        if command::output_lines(&merged).is_empty() {
            Ok(None)
        } else {
            Err(command::failed(&self.dir, &args, &output))
        }
    }

    /// The commit `revision` names (a tag is peeled to its commit); an error when it names
    /// none.
    pub fn commit_id(&self, revision: &str) -> Result<String, SignError> {
        if revision.starts_with('-') {
            return Err(SignError::Git(format!("`{revision}` is not a revision")));
        }
        let peeled = format!("{revision}^{{commit}}");
        let args = ["rev-parse", "--verify", "--quiet", peeled.as_str()];
        let output = command::run(&self.dir, &args)?;
        command::output_lines(&output.stdout)
            .into_iter()
            .next()
            .filter(|_| output.status.success())
            .ok_or_else(|| {
                SignError::Git(format!(
                    "`{revision}` names no commit in {}",
                    self.dir.display()
                ))
            })
    }

    /// The tags that point at `HEAD` (for `secgate check` on a release build).
    pub fn tags_at_head(&self) -> Result<Vec<String>, SignError> {
        let out = command::stdout(&self.dir, &["tag", "--points-at", "HEAD"])?;
        Ok(command::output_lines(&out))
    }

    /// Parses an object read from this repository.
    fn signed_object(&self, object: &RawObject) -> Result<SignedObject, SignError> {
        let kind = match object.kind.as_str() {
            "tag" => "tag",
            "commit" => "commit",
            other => {
                return Err(SignError::Git(format!(
                    "{} in {} is a {other}, not a commit",
                    object.id,
                    self.dir.display()
                )));
            }
        };
        SignedObject::parse(&object.id, kind, &object.data).map_err(SignError::Git)
    }
}

/// Whether `name` is a ref name and not revision syntax: none of the characters git forbids in
/// ref names (`git check-ref-format`), no `..`, no `@{`, and not starting with `-`.
fn is_plain_ref_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['-', '/'])
        && !name.ends_with(['/', '.'])
        && !name.contains("..")
        && !name.contains("@{")
        && !name.contains("//")
        && name != "@"
        && !name
            .chars()
            .any(|c| c.is_control() || " ~^:?*[\\".contains(c))
}

#[cfg(test)]
mod tests {
    use super::is_plain_ref_name;

    #[test]
    fn revision_syntax_is_not_a_tag_name() {
        for name in ["v1.0", "release/2024-01", "v1.0-rc.1+build"] {
            assert!(is_plain_ref_name(name), "{name}");
        }
        for name in [
            "", "v1^{}", "v1~1", "v1..v2", "@{-1}", "-v1", "a b", "v1:", "@", "x/",
        ] {
            assert!(!is_plain_ref_name(name), "{name}");
        }
    }
}
