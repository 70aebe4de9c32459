//! npm versions, ordered as node-semver orders them: the line of npm's `SEMVER` and
//! `ECOSYSTEM` ranges.
//!
//! node-semver's precedence is semantic versioning 2.0's (`1.0.0-rc.1 < 1.0.0`, numeric
//! pre-release identifiers below alphanumeric ones and compared as numbers, build metadata
//! ignored), so versions are [`semver::Version`]s compared by precedence. Parsing is what
//! node-semver's `valid()` accepts and more lenient than Cargo's: surrounding whitespace and a
//! leading `=` or `v` (`=v1.2.3`) are dropped. Partial versions (`1.2`) and ranges are not
//! versions.

use crate::osv::range::VersionScheme;
use std::cmp::Ordering;

/// The node-semver ordering.
#[derive(Clone, Copy, Debug, Default)]
pub struct NpmSemver;

impl VersionScheme for NpmSemver {
    type Version = semver::Version;

    fn parse(&self, text: &str) -> Option<semver::Version> {
        let text = text.trim();
        let text = text.strip_prefix('=').unwrap_or(text).trim_start();
        let text = text
            .strip_prefix('v')
            .or_else(|| text.strip_prefix('V'))
            .unwrap_or(text);
        semver::Version::parse(text).ok()
    }

    fn compare(&self, a: &semver::Version, b: &semver::Version) -> Ordering {
        a.cmp_precedence(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> semver::Version {
        NpmSemver
            .parse(text)
            .unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn prefixes_and_whitespace_are_tolerated() {
        for text in ["1.2.3", "v1.2.3", "=1.2.3", "=v1.2.3", " 1.2.3 ", "V1.2.3"] {
            assert_eq!(v(text), semver::Version::new(1, 2, 3), "{text}");
        }
        for text in ["1.2", "^1.2.3", ">=1.0.0", "vv1.2.3", "latest", ""] {
            assert!(NpmSemver.parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn precedence_is_semver() {
        let line = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
        ];
        for pair in line.windows(2) {
            assert_eq!(
                NpmSemver.compare(&v(pair[0]), &v(pair[1])),
                Ordering::Less,
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(
            NpmSemver.compare(&v("1.0.0+build.5"), &v("1.0.0")),
            Ordering::Equal
        );
    }
}
