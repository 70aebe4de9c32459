//! `image-unpinned` in workflows and actions: job containers, service containers and a Docker
//! action's `runs.image: docker://...` must name their image by digest (`@sha256:<64 hex>`), as
//! zizmor's `unpinned-images` asks; a tag can be re-pushed with other content.

use super::uses::value_span;
use super::yaml::Scalar;
use crate::{ImagesRule, PinsOptions, SourceFile};
use secgate_core::Code;

/// Where an image reference was found, for the message and the fix.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ImageSite<'a> {
    /// `jobs.<job>.container: image` (`image` key: `false`).
    Container { job: &'a str, image_key: bool },
    /// `jobs.<job>.services.<service>.image`.
    Service { job: &'a str, service: &'a str },
    /// An action's `runs.image`.
    Action,
}

/// Whether `image` ends in `@sha256:` and 64 hex digits.
pub(crate) fn has_digest(image: &str) -> bool {
    image
        .rsplit_once("@sha256:")
        .is_some_and(|(_, hex)| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Checks one image scalar, adding an `image-unpinned` finding to `out` when it has no digest.
/// Empty values (a service switched off), `${{ }}` expressions (decided at run time) and, for
/// actions, anything but `docker://` (a Dockerfile built from the action's own repository) are
/// not checked.
pub(crate) fn check(
    file: &SourceFile,
    scalar: &Scalar,
    site: ImageSite<'_>,
    options: &PinsOptions,
    out: &mut super::Checked,
) {
    let value = scalar.value.trim();
    if options.images == ImagesRule::Off || value.is_empty() || value.contains("${{") {
        return;
    }
    let image = match (site, value.strip_prefix("docker://")) {
        (ImageSite::Action, None) => return,
        (_, Some(image)) => image,
        (_, None) => value,
    };
    if has_digest(image) {
        return;
    }
    let message = match site {
        ImageSite::Container { job, .. } => {
            format!("job `{job}` runs in container image `{image}`, which is not pinned by digest")
        }
        ImageSite::Service { job, service } => format!(
            "service `{service}` of job `{job}` runs image `{image}`, which is not pinned by digest"
        ),
        ImageSite::Action => {
            format!("the action runs Docker image `{image}`, which is not pinned by digest")
        }
    };
    let (key, prefix) = match site {
        ImageSite::Container {
            image_key: false, ..
        } => ("container", ""),
        ImageSite::Action => ("image", "docker://"),
        _ => ("image", ""),
    };
    // A tag pinned along with the digest stays readable; a stale digest-less `@` part is replaced.
    let base = image.split_once('@').map_or(image, |(name, _)| name);
    let fix = format!(
        "pin the digest: `{key}: {prefix}{base}@sha256:<digest>` (`docker buildx imagetools \
         inspect {base}` shows it)"
    );
    let mut finding = file.finding(
        Code::ImageUnpinned,
        value_span(file, scalar),
        message,
        Some(fix),
    );
    finding.id = Some(image.to_owned());
    out.findings.push(finding);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_64_hex_after_sha256() {
        let hex = "a".repeat(64);
        assert!(has_digest(&format!("postgres:17@sha256:{hex}")));
        assert!(has_digest(&format!("ghcr.io/o/i@sha256:{hex}")));
        assert!(!has_digest("postgres:17"));
        assert!(!has_digest("postgres@sha256:abc"));
        assert!(!has_digest(&format!("postgres@sha512:{hex}")));
        assert!(!has_digest(&format!("postgres@sha256:{}", "g".repeat(64))));
    }
}
