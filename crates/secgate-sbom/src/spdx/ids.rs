//! SPDXIDs for packages. An SPDXID may only hold letters, digits, `.` and `-` after
//! `SPDXRef-`, while a `bom_ref` is a purl (`pkg:cargo/serde@1.0.200`, with `?vcs_url=...`
//! qualifiers for git sources), so ids are sanitized purls. Sanitizing loses information, so
//! uniqueness is restored with a digest of the `bom_ref`; the id of a package does not depend
//! on the other packages unless their sanitized forms collide.

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The SPDXID of the described root package.
pub(super) const ROOT_ID: &str = "SPDXRef-Root";
/// Prefix of every component's SPDXID.
const PACKAGE_PREFIX: &str = "SPDXRef-Package-";
/// Hex digits of the `bom_ref` digest appended to ids that would otherwise be ambiguous.
const SHORT_DIGEST: usize = 8;

/// Maps each distinct `bom_ref` to a valid SPDXID, unique among them and distinct from
/// [`ROOT_ID`] and the document's id.
pub(super) fn assign<'a>(bom_refs: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, String> {
    let bom_refs: BTreeSet<&str> = bom_refs.into_iter().collect();
    let bases: BTreeMap<&str, (String, bool)> = bom_refs
        .iter()
        .map(|bom_ref| (*bom_ref, readable_base(bom_ref)))
        .collect();
    let mut base_count: BTreeMap<&str, usize> = BTreeMap::new();
    for (base, _) in bases.values() {
        *base_count.entry(base.as_str()).or_default() += 1;
    }

    let mut ids: BTreeMap<&str, String> = bases
        .iter()
        .map(|(bom_ref, (base, lossless))| {
            let shared = base_count.get(base.as_str()).copied().unwrap_or(0) > 1;
            let id = if *lossless && !shared {
                format!("{PACKAGE_PREFIX}{base}")
            } else {
                with_digest(base, bom_ref, SHORT_DIGEST)
            };
            (*bom_ref, id)
        })
        .collect();

    // A short digest can still meet another package's plain id; the full digest cannot
    // (short of a SHA-256 collision), so the few ids involved take it.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for id in ids.values() {
        *seen.entry(id.clone()).or_default() += 1;
    }
    for (bom_ref, id) in &mut ids {
        if seen.get(id.as_str()).copied().unwrap_or(0) > 1 {
            let (base, _) = readable_base(bom_ref);
            *id = with_digest(&base, bom_ref, 64);
        }
    }
    ids
}

/// The readable part of a `bom_ref`'s id, and whether it alone identifies the `bom_ref`: a
/// plain purl (`pkg:cargo/name@version`) sanitizes to `cargo-name-1.0.0` and is taken as
/// unambiguous, while qualifiers and subpaths (git and other-registry sources), or anything
/// that is not a purl, are left out of the readable part and need the digest.
fn readable_base(bom_ref: &str) -> (String, bool) {
    let (core, rest) = match bom_ref.find(['?', '#']) {
        Some(at) => bom_ref.split_at(at),
        None => (bom_ref, ""),
    };
    let (core, is_purl) = match core.strip_prefix("pkg:") {
        Some(core) => (core, true),
        None => (core, false),
    };
    let base = sanitize(core);
    let lossless = is_purl && rest.is_empty() && !base.is_empty();
    (base, lossless)
}

/// `text` with every run of characters outside `[A-Za-z0-9.]` turned into one `-`, trimmed
/// of leading and trailing `-`.
fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// `SPDXRef-Package-<base>-<first `len` hex digits of SHA-256(bom_ref)>`.
fn with_digest(base: &str, bom_ref: &str, len: usize) -> String {
    let digest = format!("{:x}", Sha256::digest(bom_ref.as_bytes()));
    let short = digest.get(..len).unwrap_or(&digest);
    if base.is_empty() {
        format!("{PACKAGE_PREFIX}{short}")
    } else {
        format!("{PACKAGE_PREFIX}{base}-{short}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(id: &str) -> bool {
        id.strip_prefix("SPDXRef-").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
    }

    #[test]
    fn plain_purls_read_as_name_and_version() {
        let ids = assign(["pkg:cargo/serde@1.0.200"]);
        assert_eq!(
            ids["pkg:cargo/serde@1.0.200"],
            "SPDXRef-Package-cargo-serde-1.0.200"
        );
    }

    #[test]
    fn qualified_and_colliding_refs_get_a_digest_and_stay_unique() {
        let refs = [
            "pkg:cargo/a-b@1",
            "pkg:cargo/a@b-1",
            "pkg:cargo/x@1.0.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fo%2Fx%40abc",
            "pkg:cargo/x@1.0.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fo%2Fx%40def",
            "???",
            "",
        ];
        let ids = assign(refs);
        let distinct: BTreeSet<&String> = ids.values().collect();
        assert_eq!(distinct.len(), refs.len());
        assert!(ids.values().all(|id| valid(id)), "{ids:?}");
        assert!(ids["pkg:cargo/a-b@1"].starts_with("SPDXRef-Package-cargo-a-b-1-"));
        assert!(ids["???"].len() == PACKAGE_PREFIX.len() + SHORT_DIGEST);
    }

    #[test]
    fn a_short_digest_meeting_a_plain_id_takes_the_full_digest() {
        let qualified = "pkg:cargo/x@1?q=1";
        let short = with_digest("cargo-x-1", qualified, SHORT_DIGEST);
        let plain = format!(
            "pkg:{}",
            short
                .trim_start_matches(PACKAGE_PREFIX)
                .replace("cargo-x-1-", "cargo/x@1-")
        );
        let ids = assign([qualified, plain.as_str()]);
        assert_ne!(ids[qualified], ids[plain.as_str()]);
        assert!(ids.values().all(|id| valid(id)));
    }
}
