//! The explanations of the release check's codes (`secgate verify release`), kept apart from
//! `code.rs` so neither grows long.

use crate::Code;

/// What a release code means and how to fix it.
pub(crate) fn explanation(code: Code) -> &'static str {
    match code {
        Code::TagCommitMismatch => {
            "The release tag names another commit than the one the pipeline is releasing (HEAD, \
             or `--commit`): the artifacts were built from code the signed tag does not \
             vouch for, or the tag was moved.\n\n\
             Fix: build the release from the tagged commit (check out the tag), or tag the \
             commit you build, signed: `git tag -s vX.Y.Z <commit>`."
        }
        Code::ChecksumsMissing => {
            "The artifacts directory has no checksum file (`SHA256SUMS`, `SHA512SUMS`, or \
             `*.sha256`), so nobody can tell a downloaded artifact from a swapped one.\n\n\
             Fix: write one next to the artifacts: `sha256sum * > SHA256SUMS` (and sign it, \
             or attach a Sigstore bundle)."
        }
        Code::ArtifactUnlisted => {
            "A file in the artifacts directory is not listed in the checksum file: it would be \
             published without a digest that vouches for it.\n\n\
             Fix: regenerate the checksum file after the last artifact is built, or move files \
             that are not release artifacts out of the directory."
        }
        Code::SbomMissing => {
            "The release check was asked for an SBOM (`--sbom FILE`), or found none among the \
             artifacts (`*.cdx.json`, `*.spdx.json`, `*bom*.json`): the release does not say \
             what it contains.\n\n\
             Fix: `secgate sbom --format cyclonedx --output dist/sbom.cdx.json` before the check."
        }
        Code::SbomInvalid => {
            "The SBOM is not a CycloneDX or SPDX JSON document secgate can read, or it does not \
             list packages that the repository's lockfiles lock: it was written for another \
             state of the code. The message names the first missing packages.\n\n\
             Fix: regenerate it from the released commit with `secgate sbom`."
        }
        _ => unreachable!("not a release code: {code:?}"),
    }
}
