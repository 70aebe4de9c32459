//! The stable finding codes. Each code is kebab-case, has a default level, belongs to one gate,
//! is the SARIF `ruleId`, and is documented by `secgate explain`. Adding a code means adding a
//! variant here, its text in [`Code::explanation`], and nothing else: the registry test below
//! fails on an undocumented or duplicate code.

use crate::Level;
use serde::{Serialize, Serializer};
use std::fmt;

/// The gate a code belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gate {
    /// Security advisories against locked packages.
    Advisories,
    /// The advisory database itself.
    Database,
    /// Licences of locked packages against the policy's allowlist.
    Licenses,
    /// Pinned versions, lockfiles, actions, images and install commands.
    Pins,
    /// Signed tags, commits and release artifacts.
    Signatures,
    /// Credentials committed to the tree or introduced by commits.
    Secrets,
    /// The release pipeline: the tag is on the released commit, artifacts are checksummed, the
    /// SBOM is there.
    Release,
    /// The policy file.
    Policy,
}

impl Gate {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Gate::Advisories => "advisories",
            Gate::Database => "database",
            Gate::Licenses => "licenses",
            Gate::Pins => "pins",
            Gate::Signatures => "signatures",
            Gate::Secrets => "secrets",
            Gate::Release => "release",
            Gate::Policy => "policy",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $gate:ident, $level:ident;)*) => {
        /// A stable finding code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The kebab-case name used in reports, policy files and `secgate explain`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }

            /// The gate that reports this code.
            pub fn gate(self) -> Gate {
                match self { $(Code::$variant => Gate::$gate),* }
            }

            /// The level a finding gets when the policy does not say otherwise.
            pub fn default_level(self) -> Level {
                match self { $(Code::$variant => Level::$level),* }
            }
        }
    };
}

codes! {
    Vulnerability = "vulnerability", Advisories, Deny;
    Unmaintained = "unmaintained", Advisories, Warn;
    Unsound = "unsound", Advisories, Warn;
    Notice = "notice", Advisories, Warn;
    Yanked = "yanked", Advisories, Warn;
    DbBadRecord = "db-bad-record", Database, Warn;
    DbStale = "db-stale", Database, Deny;
    LicenseDenied = "license-denied", Licenses, Deny;
    LicenseUnknown = "license-unknown", Licenses, Deny;
    LicenseMissing = "license-missing", Licenses, Deny;
    LicenseExceptionUnused = "license-exception-unused", Licenses, Warn;
    LicenseLegacyExpression = "license-legacy-expression", Licenses, Warn;
    LockfileMissing = "lockfile-missing", Pins, Deny;
    LockfileStale = "lockfile-stale", Pins, Deny;
    GitUnpinned = "git-unpinned", Pins, Deny;
    VersionWildcard = "version-wildcard", Pins, Warn;
    ActionUnpinned = "action-unpinned", Pins, Deny;
    ActionTagMismatch = "action-tag-mismatch", Pins, Deny;
    ImageUnpinned = "image-unpinned", Pins, Deny;
    RequirementUnpinned = "requirement-unpinned", Pins, Deny;
    HashMissing = "hash-missing", Pins, Deny;
    InstallUnlocked = "install-unlocked", Pins, Warn;
    CurlPipeShell = "curl-pipe-shell", Pins, Deny;
    TagUnsigned = "tag-unsigned", Signatures, Deny;
    CommitUnsigned = "commit-unsigned", Signatures, Deny;
    SignatureInvalid = "signature-invalid", Signatures, Deny;
    SignerNotAllowed = "signer-not-allowed", Signatures, Deny;
    BundleInvalid = "bundle-invalid", Signatures, Deny;
    ChecksumMismatch = "checksum-mismatch", Signatures, Deny;
    PrivateKey = "private-key", Secrets, Deny;
    CloudCredential = "cloud-credential", Secrets, Deny;
    ApiToken = "api-token", Secrets, Deny;
    GenericSecret = "generic-secret", Secrets, Deny;
    TagCommitMismatch = "tag-commit-mismatch", Release, Deny;
    ChecksumsMissing = "checksums-missing", Release, Deny;
    ArtifactUnlisted = "artifact-unlisted", Release, Deny;
    SbomMissing = "sbom-missing", Release, Deny;
    SbomInvalid = "sbom-invalid", Release, Deny;
    IgnoreExpired = "ignore-expired", Policy, Deny;
    IgnoreUnused = "ignore-unused", Policy, Warn;
}

impl Code {
    /// Parses a code name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// One line: what the code reports (the SARIF rule's short description).
    pub fn summary(self) -> &'static str {
        match self {
            Code::Vulnerability => "A locked package has a known security vulnerability",
            Code::Unmaintained => "A locked package is no longer maintained",
            Code::Unsound => {
                "A locked package has an unsound API (undefined behaviour from safe code)"
            }
            Code::Notice => "A locked package has an informational security notice",
            Code::Yanked => "A locked package version was yanked from its registry",
            Code::DbBadRecord => "An advisory record could not be parsed and was skipped",
            Code::DbStale => "The advisory database is older than the policy's `max-age`",
            Code::LicenseDenied => "A locked package's licence is not allowed by the policy",
            Code::LicenseUnknown => {
                "A locked package's licence expression cannot be parsed or names a licence \
                 outside the SPDX list"
            }
            Code::LicenseMissing => "A locked package declares no licence and none was found",
            Code::LicenseExceptionUnused => {
                "A licence exception in the policy matched no locked package"
            }
            Code::LicenseLegacyExpression => {
                "A package declares its licence in a legacy, non-SPDX form (`MIT/Apache-2.0`)"
            }
            Code::LockfileMissing => "A project has a manifest but no committed lockfile",
            Code::LockfileStale => "The lockfile does not satisfy the manifests",
            Code::GitUnpinned => "A git dependency is not pinned to a commit",
            Code::VersionWildcard => "A dependency accepts any version (`*`)",
            Code::ActionUnpinned => "A workflow uses an action that is not pinned to a commit SHA",
            Code::ActionTagMismatch => {
                "The version comment after a pinned action disagrees with its commit SHA"
            }
            Code::ImageUnpinned => "A container image is not pinned by digest",
            Code::RequirementUnpinned => "A Python requirement is not pinned to one exact version",
            Code::HashMissing => "A locked or pinned package has no integrity hash",
            Code::InstallUnlocked => "An install command ignores the lockfile",
            Code::CurlPipeShell => "A script downloaded over the network is piped into a shell",
            Code::TagUnsigned => "A release tag is lightweight or carries no signature",
            Code::CommitUnsigned => "A commit carries no signature",
            Code::SignatureInvalid => {
                "A tag or commit signature does not verify over the signed object"
            }
            Code::SignerNotAllowed => {
                "A signature verifies but its key is not an allowed signer (at that time)"
            }
            Code::BundleInvalid => "A Sigstore bundle does not verify for the artifact",
            Code::ChecksumMismatch => {
                "A file listed in a checksum file is missing or has a different digest"
            }
            Code::PrivateKey => "A private key is committed to the repository",
            Code::CloudCredential => "A cloud provider access key is committed to the repository",
            Code::ApiToken => "A service API token is committed to the repository",
            Code::GenericSecret => {
                "A password or secret with high entropy is assigned in a committed file"
            }
            Code::TagCommitMismatch => {
                "The release tag does not point at the commit being released"
            }
            Code::ChecksumsMissing => "The release artifacts come without a checksum file",
            Code::ArtifactUnlisted => "A release artifact is not listed in the checksum file",
            Code::SbomMissing => "The release has no SBOM",
            Code::SbomInvalid => {
                "The release SBOM is not valid CycloneDX or SPDX JSON, or misses locked packages"
            }
            Code::IgnoreExpired => "An ignore in the policy has passed its expiry date",
            Code::IgnoreUnused => "An ignore in the policy matched no finding",
        }
    }

    /// What the code means, why it matters, and how to fix or ignore it.
    pub fn explanation(self) -> &'static str {
        match self {
            Code::Vulnerability => {
                "An advisory (RustSec, or an OSV record such as a GitHub advisory) says the locked \
                 version of this package is affected by a security vulnerability: it is inside an \
                 affected range (for RustSec: not in any `patched` or `unaffected` range).\n\n\
                 Fix: upgrade the package to a patched version (`cargo update -p NAME --precise \
                 VERSION`, or raise the requirement in Cargo.toml); the finding's `fix` names the \
                 patched ranges. If the vulnerable code path cannot be reached in your use, ignore \
                 the advisory in secgate.toml with a reason and an expiry date:\n\n\
                 [advisories]\n\
                 ignore = [{ id = \"RUSTSEC-2023-0071\", reason = \"only verifies\", expires = \"2027-01-31\" }]"
            }
            Code::Unmaintained => {
                "An informational advisory says the package is unmaintained: nobody will fix \
                 future vulnerabilities in it.\n\n\
                 Fix: move to a maintained alternative (the advisory usually names one). To accept \
                 the risk for a while, ignore the advisory id in secgate.toml with a reason and an \
                 expiry date, or set `[levels] unmaintained = \"allow\"`."
            }
            Code::Unsound => {
                "An informational advisory says the package exposes an API through which safe code \
                 can cause undefined behaviour.\n\n\
                 Fix: upgrade to a version outside the advisory's affected ranges or stop using the \
                 unsound API; ignore the advisory id with a reason if you do not call it."
            }
            Code::Notice => {
                "An informational advisory carries a notice about the package (for example a \
                 crate that was compromised and removed, or a behaviour users should know).\n\n\
                 Fix: read the advisory and act on it; ignore the id with a reason once handled."
            }
            Code::Yanked => {
                "The registry marks the locked version as yanked: its authors withdrew it, usually \
                 because it is broken or insecure. Existing lockfiles still build with it, so \
                 nothing else tells you.\n\n\
                 Fix: `cargo update -p NAME` to move to a version that is not yanked. Checking \
                 needs the registry index, so it is skipped (with a note) under `--offline`."
            }
            Code::DbStale => {
                "The advisory database was fetched longer ago than `[advisories] max-age` allows \
                 (7 days by default). Checking against it would miss recent advisories, so the \
                 gate does not run on it and exits 2.\n\n\
                 Fix: run `secgate db fetch`, or raise `max-age` in secgate.toml. An explicit \
                 `--db DIR` with `--offline` is used as it is, and its age is reported."
            }
            Code::DbBadRecord => {
                "A record of the advisory database could not be parsed. secgate skips that one \
                 record, reports it here with the parser's message, and checks against all the \
                 others: one malformed advisory never aborts the whole database.\n\n\
                 Fix: update the database (a newer snapshot usually fixes the record) or report \
                 the record upstream. The finding is at level warn; set `[levels] db-bad-record = \
                 \"deny\"` to fail the gate on an incomplete database."
            }
            Code::LicenseDenied
            | Code::LicenseUnknown
            | Code::LicenseMissing
            | Code::LicenseExceptionUnused
            | Code::LicenseLegacyExpression => self.licenses_explanation(),
            Code::LockfileMissing
            | Code::LockfileStale
            | Code::GitUnpinned
            | Code::VersionWildcard
            | Code::ActionUnpinned
            | Code::ActionTagMismatch
            | Code::ImageUnpinned
            | Code::RequirementUnpinned
            | Code::HashMissing
            | Code::InstallUnlocked
            | Code::CurlPipeShell => crate::pin_codes::explanation(self),
            Code::TagUnsigned
            | Code::CommitUnsigned
            | Code::SignatureInvalid
            | Code::SignerNotAllowed
            | Code::BundleInvalid
            | Code::ChecksumMismatch => crate::sign_codes::explanation(self),
            Code::PrivateKey | Code::CloudCredential | Code::ApiToken | Code::GenericSecret => {
                crate::secret_codes::explanation(self)
            }
            Code::TagCommitMismatch
            | Code::ChecksumsMissing
            | Code::ArtifactUnlisted
            | Code::SbomMissing
            | Code::SbomInvalid => crate::release_codes::explanation(self),
            Code::IgnoreExpired => {
                "An ignore entry (`[advisories] ignore` or `[pins] ignore`) has an `expires` date that has passed. The ignore no \
                 longer applies, so the advisory it silenced is reported again, and this finding \
                 points at the entry in the policy file.\n\n\
                 Fix: upgrade the package, or review the risk and move `expires` forward with an \
                 updated `reason`."
            }
            Code::IgnoreUnused => {
                "An ignore entry (`[advisories] ignore` or `[pins] ignore`) matched no finding in \
                 this run: the package was upgraded or removed, the file was fixed, or the id or \
                 path is mistyped. Stale ignores hide future problems.\n\n\
                 Fix: delete the entry from the policy file (or correct its id)."
            }
        }
    }

    /// The explanations of the licence gate's codes (kept apart so neither function grows long).
    fn licenses_explanation(self) -> &'static str {
        match self {
            Code::LicenseDenied => {
                "The package's SPDX licence expression is not satisfied by the policy: for `OR` at \
                 least one side must be allowed, for `AND` every part. A licence with an exception \
                 (`Apache-2.0 WITH LLVM-exception`) is its own licence and needs its own allow \
                 entry, and an explicit `deny` entry wins over `allow`. The message names the \
                 licences that failed.\n\n\
                 Fix: replace the package with one under an allowed licence; or, after checking \
                 that its licence is acceptable for this project, allow it for this package only \
                 with an exception and a reason:\n\n\
                 [licenses]\n\
                 exceptions = [{ package = \"ring\", allow = [\"OpenSSL\"], reason = \"...\" }]\n\n\
                 or allow the licence for every package with `[licenses] allow = [\"ID\"]`."
            }
            Code::LicenseUnknown => {
                "The package's licence cannot be judged: its expression does not parse (even in \
                 the lax form crates.io accepts: `/` for `OR`, deprecated ids such as `GPL-2.0`), \
                 it names an id that is not on the SPDX licence list (`Foo-1.0`), or it uses a \
                 `LicenseRef-` licence that the policy does not allow by its exact name.\n\n\
                 Fix: read the package's licence text. If it is acceptable, add a clarification \
                 for the package (the SPDX expression, and the licence files with their sha256 \
                 so the clarification stops applying when they change), or allow the exact \
                 `LicenseRef-...` name. Ask the package's authors to use an SPDX expression."
            }
            Code::LicenseMissing => {
                "The package has no licence information at all: no `license` field in its \
                 manifest and no licence file that could be recognized. Without a licence you \
                 have no right to use or redistribute it.\n\n\
                 Fix: find the licence (the repository, the crate's files) and add a \
                 clarification for the package with the SPDX expression and the sha256 of the \
                 licence files; or replace the package. Ask its authors to declare a licence."
            }
            Code::LicenseExceptionUnused => {
                "A `[licenses] exceptions` entry matched no locked package (by name, and by \
                 version when the entry gives one): the package was upgraded or removed, or the \
                 name is mistyped. A stale exception silently allows a licence if the package \
                 comes back.\n\n\
                 Fix: delete the entry from the policy file, or correct its package name or \
                 version."
            }
            Code::LicenseLegacyExpression => {
                "The package declares its licence in a form that is not an SPDX expression but                  that crates.io and npm used to accept: `/` for `OR` (`MIT/Apache-2.0`),                  lower-case operators, imprecise names (`mit`, `apache2`), or deprecated ids                  (`GPL-2.0`, `LGPL-2.1+`). secgate reads it as cargo-deny does (the finding gives                  the canonical SPDX form it was judged as) and warns, because another tool may                  read it differently or not at all.

                 Fix: nothing is needed for the gate; ask the package's authors to declare the                  canonical form. Set `[levels] license-legacy-expression = \"allow\"` to silence                  it."
            }
            _ => unreachable!("only called for licence codes"),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "duplicate code {name}");
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name} is not kebab-case"
            );
            assert_eq!(Code::from_name(name), Some(*code));
            assert!(!code.summary().is_empty(), "{name} has no summary");
            assert!(
                code.explanation().len() > 80,
                "{name} has no real explanation"
            );
            assert!(
                code.explanation().contains("Fix:"),
                "{name} does not say how to fix"
            );
        }
        assert_eq!(Code::from_name("no-such-code"), None);
    }

    #[test]
    fn vulnerabilities_deny_and_informational_warn_by_default() {
        assert_eq!(Code::Vulnerability.default_level(), Level::Deny);
        assert_eq!(Code::Unmaintained.default_level(), Level::Warn);
        assert_eq!(Code::IgnoreExpired.default_level(), Level::Deny);
        assert_eq!(Code::IgnoreUnused.default_level(), Level::Warn);
        assert_eq!(Code::DbBadRecord.default_level(), Level::Warn);
        assert_eq!(Code::LicenseDenied.default_level(), Level::Deny);
        assert_eq!(Code::LicenseUnknown.default_level(), Level::Deny);
        assert_eq!(Code::LicenseMissing.default_level(), Level::Deny);
        assert_eq!(Code::LicenseExceptionUnused.default_level(), Level::Warn);
        assert_eq!(Code::LicenseDenied.gate(), Gate::Licenses);
        assert_eq!(Gate::Licenses.as_str(), "licenses");
    }
}
