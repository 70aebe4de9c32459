//! Git objects, read by running `git` (`git cat-file`, `git rev-parse`, `git rev-list`): the
//! installed git already handles every repository layout, pack format and object-format, and a
//! gate that runs in CI has it. An object is split into the payload that was signed and the
//! signature, exactly as git splits it for `verify-tag` and `verify-commit`.

mod object;
mod repo;

pub use object::{SignatureBlock, SignedObject};
pub use repo::{Repo, TagTarget};
