//! Checking the signature of one tag or commit against the trusted signers: the part
//! `verify tag` and `verify commits` share. SSH signatures go to [`crate::ssh::verify_ssh`] in
//! git's namespace at the object's own time; OpenPGP signatures to
//! [`crate::openpgp::verify_openpgp`] at the time of the check.

use super::{SignatureBlock, SignedObject};
use crate::{Rejection, TrustContext, Verified, openpgp, ssh};
use secgate_core::Code;

/// The namespace git signs objects in.
const GIT_NAMESPACE: &str = "git";

/// The outcome of checking one object's signature.
#[derive(Clone, Debug)]
pub(crate) enum Outcome {
    /// The object carries no signature.
    Unsigned,
    /// The signature verified and its signer is allowed.
    Verified(Verified),
    /// The signature was not accepted: `signature-invalid` or `signer-not-allowed`.
    Rejected {
        /// The finding code.
        code: Code,
        /// Why, one clause.
        reason: String,
        /// What to do, when there is something concrete.
        fix: Option<String>,
    },
}

/// Checks `object`'s signature against `ctx.trust`.
pub(crate) fn check(object: &SignedObject, ctx: &TrustContext<'_>) -> Outcome {
    let Some(signature) = &object.signature else {
        return Outcome::Unsigned;
    };
    match signature {
        SignatureBlock::Ssh(armored) => {
            let Some(signers) = &ctx.trust.allowed_signers else {
                return not_configured(
                    "it carries an SSH signature, but no allowed-signers file is configured for SSH signatures",
                    "set `allowed-signers` under [signatures] in secgate.toml, or pass --allowed-signers",
                );
            };
            // git verifies at the object's own time (ssh-keygen `-Overify-time`), and without
            // a time when the object has none, which means now.
            let signed_at = if object.time > 0 {
                object.time
            } else {
                ctx.now
            };
            let result =
                ssh::verify_ssh(armored, &object.payload, GIT_NAMESPACE, signed_at, signers);
            outcome(result, || {
                format!(
                    "if the signer should be trusted, list their key in {} for namespace `git` at the time of signing; otherwise re-sign with an allowed key",
                    signers.path
                )
            })
        }
        SignatureBlock::OpenPgp(armored) => {
            let Some(keyring) = &ctx.trust.openpgp else {
                return not_configured(
                    "it carries an OpenPGP signature, but no OpenPGP keys are configured for OpenPGP signatures",
                    "set `openpgp-keys` under [signatures] in secgate.toml, or pass --openpgp-key",
                );
            };
            let result = openpgp::verify_openpgp(armored, &object.payload, ctx.now, keyring);
            outcome(result, || {
                "if the signer should be trusted, add their current public key to `openpgp-keys`; otherwise re-sign with a trusted, unexpired key".to_owned()
            })
        }
        SignatureBlock::X509(_) => Outcome::Rejected {
            code: Code::SignatureInvalid,
            reason: "it is an x509 (gpgsm) signature, which secgate does not verify".to_owned(),
            fix: Some("re-sign it with an SSH or OpenPGP key".to_owned()),
        },
        SignatureBlock::Unknown(_) => Outcome::Rejected {
            code: Code::SignatureInvalid,
            reason: "its signature header holds no SSH, OpenPGP or x509 signature".to_owned(),
            fix: None,
        },
    }
}

/// A signature of a kind the policy configures no signers for.
fn not_configured(reason: &str, fix: &str) -> Outcome {
    Outcome::Rejected {
        code: Code::SignerNotAllowed,
        reason: reason.to_owned(),
        fix: Some(fix.to_owned()),
    }
}

/// The outcome of a verifier's answer; `allow_fix` says how to trust a valid signer.
fn outcome(result: Result<Verified, Rejection>, allow_fix: impl FnOnce() -> String) -> Outcome {
    match result {
        Ok(verified) => Outcome::Verified(verified),
        Err(Rejection::Invalid(reason)) => Outcome::Rejected {
            code: Code::SignatureInvalid,
            reason,
            fix: None,
        },
        Err(Rejection::NotAllowed(reason)) => Outcome::Rejected {
            code: Code::SignerNotAllowed,
            reason,
            fix: Some(allow_fix()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{Outcome, check};
    use crate::git::SignedObject;
    use crate::openpgp::Keyring;
    use crate::ssh::AllowedSigners;
    use crate::{Trust, TrustContext};
    use secgate_core::{Code, Location};

    fn tag_signed_with(armor: &str) -> SignedObject {
        let raw = format!(
            "object 156a83a5abc1da65b9595652e99b835cce531918\ntype commit\ntag v1\n\
             tagger A <a@x> 1700000000 +0000\n\nv1\n{armor}\nAAAA\n-----END-----\n"
        );
        SignedObject::parse(
            "92b5608875a09666cb2d8e16ab7cb7789c841b24",
            "tag",
            raw.as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn rejected(outcome: Outcome) -> (Code, String) {
        match outcome {
            Outcome::Rejected { code, reason, .. } => (code, reason),
            other => panic!("not rejected: {other:?}"),
        }
    }

    fn ssh_only() -> Trust {
        Trust {
            allowed_signers: Some(AllowedSigners {
                path: "allowed_signers".to_owned(),
                signers: Vec::new(),
            }),
            openpgp: None,
        }
    }

    fn openpgp_only() -> Trust {
        Trust {
            allowed_signers: None,
            openpgp: Some(Keyring {
                paths: vec!["keys.asc".to_owned()],
                keys: Vec::new(),
            }),
        }
    }

    fn ctx(trust: &Trust) -> TrustContext<'_> {
        TrustContext {
            trust,
            location: Location::new("secgate.toml", 1, 1),
            now: 1_800_000_000,
        }
    }

    #[test]
    fn x509_and_unknown_signatures_are_invalid() {
        let trust = ssh_only();
        let x509 = tag_signed_with("-----BEGIN SIGNED MESSAGE-----");
        let (code, reason) = rejected(check(&x509, &ctx(&trust)));
        assert_eq!(code, Code::SignatureInvalid);
        assert_eq!(
            reason,
            "it is an x509 (gpgsm) signature, which secgate does not verify"
        );
        let unknown = SignedObject::parse("x", "commit", b"tree t\ngpgsig what\n\nm\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            rejected(check(&unknown, &ctx(&trust))).0,
            Code::SignatureInvalid
        );
    }

    #[test]
    fn a_signature_kind_without_configured_signers_is_not_allowed() {
        let ssh = tag_signed_with("-----BEGIN SSH SIGNATURE-----");
        let (code, reason) = rejected(check(&ssh, &ctx(&openpgp_only())));
        assert_eq!(code, Code::SignerNotAllowed);
        assert!(reason.ends_with("no allowed-signers file is configured for SSH signatures"));
        let pgp = tag_signed_with("-----BEGIN PGP SIGNATURE-----");
        let (code, reason) = rejected(check(&pgp, &ctx(&ssh_only())));
        assert_eq!(code, Code::SignerNotAllowed);
        assert!(reason.ends_with("no OpenPGP keys are configured for OpenPGP signatures"));
    }

    #[test]
    fn no_signature_is_unsigned() {
        let raw = b"object x\ntype commit\ntag v1\ntagger A <a@x> 1 +0000\n\nv1\n";
        let tag = SignedObject::parse("x", "tag", raw).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(check(&tag, &ctx(&ssh_only())), Outcome::Unsigned));
    }
}
