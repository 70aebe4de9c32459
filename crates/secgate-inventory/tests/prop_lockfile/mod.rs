//! What every lockfile parser promises on any input, checked by the `prop_*` tests of this
//! crate: a typed error whose location is inside the text, or packages whose locations are.
#![allow(dead_code)] // Each test file uses a different subset of these helpers.

use secgate_inventory::{Lockfile, LockfileError};

/// Fails unless `result` (the parse of `text`) points only at real places of `text`.
pub fn assert_located(text: &str, result: &Result<Lockfile, LockfileError>) {
    let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
    match result {
        Err(e) => {
            let span = e.span();
            assert!(
                e.line() >= 1 && e.column() >= 1,
                "error at line/column 0: {e}"
            );
            assert!(
                e.line() <= lines.saturating_add(1),
                "error line {} past the text's {lines} lines: {e}",
                e.line()
            );
            assert!(
                text.get(span.clone()).is_some(),
                "error span {span:?} is not a slice of the text ({} bytes): {e}",
                text.len()
            );
        }
        Ok(lock) => {
            for package in &lock.packages {
                let at = &package.location;
                assert!(
                    at.line >= 1 && at.line <= lines.saturating_add(1),
                    "package `{}` at line {} of a {lines}-line text",
                    package.name,
                    at.line
                );
                if let Some(span) = &at.span {
                    assert!(
                        text.get(span.clone()).is_some(),
                        "package `{}` span {span:?} is not a slice of the text ({} bytes)",
                        package.name,
                        text.len()
                    );
                }
            }
        }
    }
}
