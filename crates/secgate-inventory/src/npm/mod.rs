//! npm lockfiles: `package-lock.json` / `npm-shrinkwrap.json` (lockfileVersion 1, 2, 3),
//! `pnpm-lock.yaml` (v6 and v9) and `yarn.lock` (classic v1 and berry). Every package keeps the
//! line of its entry; links and workspace packages are [`secgate_core::PackageSource::Local`]
//! (not audited against the registry).

use crate::{Lockfile, LockfileError};

/// Parses a `package-lock.json` or `npm-shrinkwrap.json`; `path` names it in locations.
pub fn parse_package_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    Err(not_yet(text, path))
}

/// Parses a `pnpm-lock.yaml`.
pub fn parse_pnpm_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    Err(not_yet(text, path))
}

/// Parses a `yarn.lock` (classic v1 or berry).
pub fn parse_yarn_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    Err(not_yet(text, path))
}

fn not_yet(_text: &str, path: &str) -> LockfileError {
    LockfileError::Parse {
        path: path.to_owned(),
        line: 1,
        column: 1,
        span: 0..0,
        message: "npm lockfiles are not read yet".to_owned(),
    }
}
