//! Git objects, read by running `git` (`git cat-file`, `git rev-parse`, `git rev-list`): the
//! installed git already handles every repository layout, pack format and object-format, and a
//! gate that runs in CI has it. An object is split into the payload that was signed and the
//! signature, exactly as git splits it for `verify-tag` and `verify-commit`.

mod batch;
mod command;
mod object;
mod repo;
mod split;
pub(crate) mod verify;

pub use object::{SignatureBlock, SignedObject};
pub use repo::{Repo, TagTarget};
