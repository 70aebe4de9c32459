//! The explanations of the signature gate's codes, kept apart from `code.rs` so neither grows
//! long.

use crate::Code;

/// What a signature code means and how to fix it.
pub(crate) fn explanation(code: Code) -> &'static str {
    match code {
        Code::TagUnsigned => {
            "The release tag carries no signature: it is a lightweight tag (a bare ref, with no \
             tag object to sign) or an annotated tag made without `-s`. Anyone who can push to the \
             repository can move or recreate it, and nothing ties the release to its maintainers.\n\n\
             Fix: delete and recreate the tag signed: `git tag -s v1.2.3 -m v1.2.3` with \
             `gpg.format = ssh` and `user.signingKey` set (SSH) or a GnuPG key (OpenPGP), and add \
             the key to the allowed signers (`[signatures] allowed-signers`) or the release keys \
             (`[signatures] openpgp-keys`)."
        }
        Code::CommitUnsigned => {
            "A commit of the checked range carries no signature (no `gpgsig` header). The \
             finding names the commit and its author. Unsigned commits can be authored as \
             anyone: git takes the author name and email on trust.\n\n\
             Fix: sign commits (`git config commit.gpgSign true`) and re-sign the range \
             (`git rebase --exec 'git commit --amend --no-edit -S' BASE`)."
        }
        Code::SignatureInvalid => {
            "The tag or commit has a signature, but it does not verify over the object git \
             signed: the object was changed after signing, the signature is corrupt, or it is \
             in a format secgate does not verify (x509 / gpgsm).\n\n\
             Fix: find out who changed the object — a tampered tag or commit is exactly what \
             this gate exists to catch — then re-sign it."
        }
        Code::SignerNotAllowed => {
            "The signature is valid, but the key is not one the policy trusts: it is not in \
             the allowed-signers file (or only for another namespace), the signing time lies \
             outside its `valid-after` / `valid-before`, or the OpenPGP key is not among the \
             release keys, has expired or is revoked.\n\n\
             Fix: if the signer should be trusted, add their key to `[signatures] \
             allowed-signers` (git's `allowed_signers` format: `email namespaces=\"git\" \
             ssh-ed25519 AAAA...`) or `openpgp-keys`; otherwise re-sign with an allowed key."
        }
        Code::BundleInvalid => {
            "The Sigstore bundle does not verify for this artifact: the message names the \
             failed check — certificate chain to the trusted root's Fulcio CA, SCT, signature \
             over the artifact, transparency-log entry, inclusion proof and checkpoint, signed \
             entry timestamp or RFC 3161 timestamp, or the certificate's identity and issuer \
             against `--certificate-identity` / `--certificate-oidc-issuer`.\n\n\
             Fix: make sure the bundle belongs to this exact artifact and was produced by the \
             expected workflow; re-sign the artifact (`cosign sign-blob --bundle`) if it was \
             rebuilt."
        }
        Code::ChecksumMismatch => {
            "A file listed in the checksum file (`SHA256SUMS`, `SHA512SUMS`) is missing, or its \
             digest differs from the listed one: the release artifact is not the one that was \
             checksummed.\n\n\
             Fix: rebuild or re-download the artifact, or regenerate the checksum file from the \
             artifacts you publish (`sha256sum * > SHA256SUMS`) and sign it."
        }
        _ => unreachable!("not a signature code: {code:?}"),
    }
}
