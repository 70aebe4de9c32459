//! The explanations of the secret gate's codes, kept apart from `code.rs` so neither grows long.

use crate::Code;

/// What a secret code means and how to fix it.
pub(crate) fn explanation(code: Code) -> &'static str {
    match code {
        Code::PrivateKey => {
            "A private key block (PEM `-----BEGIN ... PRIVATE KEY-----`, OpenSSH, or an OpenPGP \
             `PRIVATE KEY BLOCK`) is committed. Anyone who can read the repository, or any \
             clone or fork of it, can impersonate the key's owner. The finding shows only the \
             first and last characters of the block; the fingerprint identifies it.\n\n\
             Fix: revoke or rotate the key first (removing the file does not remove it from \
             history), then delete it and rewrite history if the repository is public. If the \
             key is a deliberately committed test fixture, allowlist its path with a reason:\n\n\
             [secrets]\n\
             allow = [{ path = \"tests/fixtures/**\", reason = \"throwaway test keys\" }]"
        }
        Code::CloudCredential => {
            "A cloud provider access key is committed: an AWS access key id (`AKIA...`, \
             `ASIA...`) with its secret, a Google API key (`AIza...`) or service-account key, an \
             Azure storage key. The finding masks the value.\n\n\
             Fix: deactivate the key at the provider now, issue a new one and load it from the \
             CI secret store or the environment, never from a file in the repository."
        }
        Code::ApiToken => {
            "A service token with a documented, recognizable format is committed: GitHub \
             (`ghp_`, `gho_`, `ghs_`, `github_pat_`, checked by their CRC32 suffix where the \
             format has one), GitLab, Slack, Stripe, npm, PyPI and others. The finding masks \
             the token and names the rule that matched.\n\n\
             Fix: revoke the token at the service, create a new one with the least scope \
             needed, and give it to CI as a secret."
        }
        Code::GenericSecret => {
            "A `password`, `secret`, `token` or `api_key` assignment has a value with high \
             entropy, so it looks like a real credential rather than a placeholder. Test \
             fixtures and obvious placeholders (`changeme`, `${VAR}`, `<secret>`) are not \
             reported.\n\n\
             Fix: move the value to the environment or a secret store. If it is not a secret, \
             allowlist it by fingerprint (shown in the finding) with a reason:\n\n\
             [secrets]\n\
             allow = [{ fingerprint = \"sha256:...\", reason = \"public demo value\" }]"
        }
        _ => unreachable!("not a secret code: {code:?}"),
    }
}
