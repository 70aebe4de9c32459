//! Cargo source ids as lockfiles write them (`source = "..."`), mapped to the model's
//! [`PackageSource`].
//!
//! - `registry+https://github.com/rust-lang/crates.io-index` and `sparse+https://index.crates.io/`
//!   are crates.io: [`PackageSource::DefaultRegistry`];
//! - any other `registry+URL` is [`PackageSource::Registry`] with `URL`, and any other
//!   `sparse+URL` keeps its `sparse+` prefix, because that is how Cargo's `index = "..."`
//!   configuration names a sparse index (so the value can be compared with `.cargo/config.toml`);
//! - `git+URL?query#commit` is [`PackageSource::Git`] with the URL and its query (`?branch=`,
//!   `?tag=`, `?rev=`: what the manifest asked for), and the fragment as the locked commit;
//! - no source at all is a workspace member or a path dependency: [`PackageSource::Local`].
//!
//! Any other scheme (`path+`, `directory+`, `local-registry+`, which Cargo does not normally
//! write into lockfiles) is kept whole as a [`PackageSource::Registry`], so nothing is dropped
//! and nothing is mistaken for crates.io.

use secgate_core::PackageSource;

/// crates.io's git index, as Cargo writes it.
const CRATES_IO_GIT: &str = "registry+https://github.com/rust-lang/crates.io-index";
/// crates.io's sparse index, as Cargo writes it.
const CRATES_IO_SPARSE: &str = "sparse+https://index.crates.io/";

/// Maps a lockfile `source` value (or its absence) to a [`PackageSource`].
pub(crate) fn parse_source(source: Option<&str>) -> PackageSource {
    let Some(source) = source else {
        return PackageSource::Local;
    };
    if source == CRATES_IO_GIT || source == CRATES_IO_SPARSE {
        return PackageSource::DefaultRegistry;
    }
    if let Some(url) = source.strip_prefix("registry+") {
        return PackageSource::Registry(url.to_owned());
    }
    if let Some(git) = source.strip_prefix("git+") {
        return match git.split_once('#') {
            Some((url, rev)) if !rev.is_empty() => PackageSource::Git {
                url: url.to_owned(),
                rev: Some(rev.to_owned()),
            },
            Some((url, _)) => PackageSource::Git {
                url: url.to_owned(),
                rev: None,
            },
            None => PackageSource::Git {
                url: git.to_owned(),
                rev: None,
            },
        };
    }
    PackageSource::Registry(source.to_owned())
}

/// The part of a v1 `[metadata]` checksum key after `checksum `: `NAME VERSION (SOURCE)`.
pub(crate) fn checksum_key(name: &str, version: &str, source: &str) -> String {
    format!("{name} {version} ({source})")
}

/// The checksum a v1 `[metadata]` value stands for: `<none>` means the package has none.
pub(crate) fn checksum_value(value: &str) -> Option<&str> {
    (value != "<none>" && !value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_io_in_both_index_protocols_is_the_default_registry() {
        assert_eq!(
            parse_source(Some(CRATES_IO_GIT)),
            PackageSource::DefaultRegistry
        );
        assert_eq!(
            parse_source(Some(CRATES_IO_SPARSE)),
            PackageSource::DefaultRegistry
        );
        // Near misses are not crates.io.
        assert_eq!(
            parse_source(Some("sparse+https://index.crates.io")),
            PackageSource::Registry("sparse+https://index.crates.io".into())
        );
    }

    #[test]
    fn other_registries_keep_their_index_url() {
        assert_eq!(
            parse_source(Some("registry+https://gitlab.example.com/index")),
            PackageSource::Registry("https://gitlab.example.com/index".into())
        );
        assert_eq!(
            parse_source(Some("sparse+https://cargo.example.com/api/v1/crates/")),
            PackageSource::Registry("sparse+https://cargo.example.com/api/v1/crates/".into())
        );
        assert_eq!(
            parse_source(Some("path+file:///src/x")),
            PackageSource::Registry("path+file:///src/x".into())
        );
    }

    #[test]
    fn git_sources_keep_the_query_and_lock_the_fragment() {
        assert_eq!(
            parse_source(Some(
                "git+https://github.com/nushell/reedline?branch=main#7f3a1b2c"
            )),
            PackageSource::Git {
                url: "https://github.com/nushell/reedline?branch=main".into(),
                rev: Some("7f3a1b2c".into()),
            }
        );
        assert_eq!(
            parse_source(Some("git+https://github.com/illumos/smf-rs#72389b51")),
            PackageSource::Git {
                url: "https://github.com/illumos/smf-rs".into(),
                rev: Some("72389b51".into()),
            }
        );
        assert_eq!(
            parse_source(Some("git+https://example.com/x?rev=abc")),
            PackageSource::Git {
                url: "https://example.com/x?rev=abc".into(),
                rev: None,
            }
        );
        assert_eq!(
            parse_source(Some("git+https://example.com/x#")),
            PackageSource::Git {
                url: "https://example.com/x".into(),
                rev: None,
            }
        );
    }

    #[test]
    fn no_source_is_local() {
        assert_eq!(parse_source(None), PackageSource::Local);
    }

    #[test]
    fn v1_metadata_checksums() {
        assert_eq!(
            checksum_key("libc", "0.2.40", CRATES_IO_GIT),
            "libc 0.2.40 (registry+https://github.com/rust-lang/crates.io-index)"
        );
        assert_eq!(checksum_value("<none>"), None);
        assert_eq!(checksum_value("ab12"), Some("ab12"));
    }
}
