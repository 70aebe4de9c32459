//! What a repository depends on. [`discover`] turns a PATH (a repository directory, a
//! `Cargo.lock` or a `Cargo.toml`) into an [`Inventory`]: every lockfile found, each parsed into
//! [`secgate_core::Package`]s that keep the exact line of their `[[package]]` entry, so every
//! finding about a package can point at the real file.
//!
//! An empty result is an error, never an empty inventory: a gate must not pass on nothing.

mod cargo_lock;
mod cargo_source;
mod discover;
mod error;
pub mod json;
mod kind;
pub mod npm;
pub mod python;

pub use cargo_lock::{Lockfile, parse_cargo_lock, parse_cargo_lock_bytes};
pub use discover::{Inventory, discover, discover_excluding};
pub use error::{InventoryError, LockfileError};
pub use kind::DependencyFile;
