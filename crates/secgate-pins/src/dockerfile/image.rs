//! `image-unpinned`: every `FROM` (and `COPY --from=`) image must carry a digest
//! (`name:tag@sha256:<64 hex>`), except `scratch` and earlier build stages. Global build args
//! (`ARG NAME=default` before the first `FROM`) are substituted into the image (`$NAME`,
//! `${NAME}`, `${NAME:-default}`, `${NAME:+alt}`) and the result is judged; an image that cannot
//! be resolved (an arg without a default, another substitution form) is reported as such.

use super::args::{Args, substitute};

/// What an image reference pins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Judged {
    /// A digest, `scratch`, or a build stage.
    Fine,
    /// Not pinned: the message and the fix.
    Unpinned {
        /// One sentence.
        message: String,
        /// The concrete fix.
        fix: String,
    },
}

/// Whether `reference` ends in a valid `@sha256:<64 hex>` (or `@sha512:<128 hex>`) digest.
fn has_digest(reference: &str) -> Option<bool> {
    let (_, digest) = reference.rsplit_once('@')?;
    let valid = match digest.split_once(':') {
        Some(("sha256", hex)) => hex.len() == 64,
        Some(("sha512", hex)) => hex.len() == 128,
        _ => false,
    } && digest
        .split_once(':')
        .is_some_and(|(_, hex)| hex.bytes().all(|b| b.is_ascii_hexdigit()));
    Some(valid)
}

/// (name, tag) of a reference without a digest; the tag is after the last `:` past the last `/`.
fn split_tag(reference: &str) -> (&str, Option<&str>) {
    let slash = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[slash..].rfind(':') {
        Some(colon) => (
            &reference[..slash + colon],
            Some(&reference[slash + colon + 1..]),
        ),
        None => (reference, None),
    }
}

/// Judges the image `written` in a `FROM` or `COPY --from=`: `stages` are the earlier stage
/// names (lower-cased), `alias` the `AS name` of this `FROM`, for the fix.
pub(crate) fn judge(written: &str, args: &Args, stages: &[String], alias: Option<&str>) -> Judged {
    let resolved = match substitute(written, args) {
        Ok(resolved) => resolved,
        Err(why) => {
            return Judged::Unpinned {
                message: format!(
                    "image `{written}` cannot be resolved, so its digest cannot be checked: {why}"
                ),
                fix: "give the build arg a default pinned by digest before the first `FROM` \
                      (`ARG BASE=image:tag@sha256:<digest>`), or write the image in `FROM` \
                      with its digest"
                    .to_owned(),
            };
        }
    };
    let lower = resolved.to_ascii_lowercase();
    if lower == "scratch" || stages.contains(&lower) {
        return Judged::Fine;
    }
    let digest = has_digest(&resolved);
    if digest == Some(true) {
        return Judged::Fine;
    }
    let base = resolved
        .rsplit_once('@')
        .map_or(resolved.as_str(), |(b, _)| b);
    let (name, tag) = split_tag(base);
    let shown = if resolved == written {
        format!("`{written}`")
    } else {
        format!("`{written}` (`{resolved}` with the build args' defaults)")
    };
    let message = match (digest, tag) {
        (Some(false), _) => format!(
            "image {shown} has a digest that is not `sha256:` and 64 hex digits, so it pins nothing"
        ),
        (_, Some(tag)) => format!(
            "image {shown} is pinned by the tag `{tag}` only, and a tag can be moved to \
             another image"
        ),
        (_, None) => format!(
            "image {shown} has neither tag nor digest: it is whatever `{name}:latest` is at \
             build time"
        ),
    };
    let reference = format!("{name}:{}", tag.unwrap_or("<version>"));
    let alias = alias.map(|a| format!(" AS {a}")).unwrap_or_default();
    Judged::Unpinned {
        message,
        fix: format!(
            "`FROM {reference}@sha256:<digest>{alias}` (the digest is shown by `docker buildx \
             imagetools inspect {reference}`)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_stages_and_scratch_are_fine() {
        let sha = "a".repeat(64);
        let none = Args::new();
        let stages = vec!["builder".to_owned()];
        assert_eq!(
            judge(&format!("golang:1.26@sha256:{sha}"), &none, &stages, None),
            Judged::Fine
        );
        assert_eq!(
            judge(
                &format!("cgr.dev/c/static@sha256:{sha}"),
                &none,
                &stages,
                None
            ),
            Judged::Fine
        );
        assert_eq!(judge("Builder", &none, &stages, None), Judged::Fine);
        assert_eq!(judge("scratch", &none, &stages, None), Judged::Fine);
    }

    fn unpinned(written: &str, args: &Args) -> (String, String) {
        match judge(written, args, &[], Some("base")) {
            Judged::Unpinned { message, fix } => (message, fix),
            Judged::Fine => panic!("{written} is fine"),
        }
    }

    #[test]
    fn tags_missing_tags_bad_digests_and_unresolved_args() {
        let none = Args::new();
        let (message, fix) = unpinned("node:26.7.0-trixie", &none);
        assert!(message.contains("tag `26.7.0-trixie`"), "{message}");
        assert_eq!(
            fix,
            "`FROM node:26.7.0-trixie@sha256:<digest> AS base` (the digest is shown by `docker \
             buildx imagetools inspect node:26.7.0-trixie`)"
        );
        let (message, fix) = unpinned("localhost:5000/alpine", &none);
        assert!(
            message.contains("`localhost:5000/alpine:latest`"),
            "{message}"
        );
        assert!(fix.contains("localhost:5000/alpine:<version>@sha256"));
        assert!(unpinned("alpine@sha256:abc", &none).0.contains("64 hex"));
        let a: Args = [("PY", Some("3.12")), ("BASE", None)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.map(str::to_owned)))
            .collect();
        let (message, _) = unpinned("python:${PY}", &a);
        assert!(
            message.contains("`python:3.12` with the build args' defaults"),
            "{message}"
        );
        let (message, fix) = unpinned("${BASE}", &a);
        assert!(
            message.contains("cannot be resolved") && message.contains("`BASE` has no default")
        );
        assert!(fix.contains("ARG BASE="));
    }
}
