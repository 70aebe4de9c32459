//! The secgate policy: `secgate.toml`, parsed with spans and validated all at once.
//!
//! [`load`] finds the file (`--config`, `secgate.toml`, `.secgate.toml`, else the embedded
//! [`DEFAULT_POLICY`]) and [`Policy::parse`] validates it: unknown keys are errors (a typo must
//! never weaken a policy), every ignore needs an advisory id and a reason, every licence entry
//! must be a current SPDX id, every licence exception a reason, and every problem is
//! reported in one [`PolicyError::Invalid`] with its line, column and span. [`apply`] then runs
//! the policy over the findings of the gates: ignores, expired and unused ignores, levels and
//! the severity threshold.
//!
//! ```toml
//! [advisories]
//! sources = ["rustsec", "osv"]     # which advisory sources `audit` reads
//! severity-threshold = "moderate"  # vulnerabilities below it: warn instead of deny
//! max-age = "7d"                   # an older fetched database is `db-stale`
//! db-urls = { rustsec = "https://mirror.example/advisory-db.zip" }  # mirrors; env overrides
//! ignore = [
//!   { id = "RUSTSEC-2023-0071", reason = "rsa only verifies; no key material", expires = "2027-01-31" },
//! ]
//! unmaintained = "deny"      # shortcut for the advisory codes' levels
//!
//! [licenses]
//! preset = "default"         # `default`, `strict` or `permissive` (policies/licenses/)
//! allow = ["MPL-2.0"]        # added to the preset's list
//! deny = ["GPL-3.0-only"]    # denied even when the preset allows it
//! confidence-threshold = 0.8 # licence text detection must be this sure
//! exceptions = [{ package = "ring", allow = ["OpenSSL"], reason = "BoringSSL-derived code" }]
//! clarify = [{ package = "ring", version = "0.17.8", expression = "MIT AND ISC AND OpenSSL", reason = "read from its LICENSE" }]
//!
//! [pins]
//! actions = "sha"            # uses: owner/repo@<40-hex sha>; "off" to skip
//! allow-tags = ["actions/*"] # owners (or owner/repo) whose actions may be used by tag
//! images = "digest"          # FROM image@sha256:...; "off" to skip
//! python = "exact"           # name==version; "exact-with-hashes" also wants --hash; "off"
//! ignore = [{ path = "docker/dev.Dockerfile", code = "image-unpinned", reason = "local only" }]
//!
//! [signatures]
//! tags = "required"          # `check` verifies the tag at HEAD; "off" (default) to skip
//! commits = "required"       # every commit of `commit-range` (default: since the latest tag)
//! allowed-signers = ".github/allowed_signers"   # git's SSH allowed_signers format
//! openpgp-keys = [".github/release-keys.asc"]   # armored OpenPGP public keys
//!
//! [paths]
//! exclude = ["tests/fixtures/**"]  # every gate skips these files and directories
//!
//! [secrets]
//! enabled = true             # `check` runs the secret gate; `secgate secrets` always does
//! max-file-size = "1MiB"     # larger files are not scanned (bytes, KiB or MiB)
//! entropy-threshold = 3.5    # bits per character a generic `password = "..."` value needs
//! allow = [{ path = "tests/fixtures/keys/**", reason = "throwaway keys for the tests" }]
//!
//! [levels]                   # any finding code -> allow | warn | deny
//! db-bad-record = "deny"
//! ```

mod advisory_id;
mod apply;
mod cfg;
mod db_urls;
mod error;
mod ignore;
mod licenses;
mod locate;
mod max_age;
mod paths;
mod pins;
mod policy;
mod secrets;
mod signatures;
mod sources;
mod suggest;
mod threshold;

pub use apply::{Applied, advisory_ignore_for, apply};
pub use db_urls::DbUrls;
pub use error::{ConfigProblem, PolicyError};
pub use ignore::Ignore;
pub use licenses::LicensesPolicy;
pub use locate::{FILE_NAMES, load, locate};
pub use paths::PathsPolicy;
pub use pins::{PathIgnore, PinsPolicy, glob_match};
pub use policy::{AdvisoriesPolicy, DEFAULT_POLICY, Policy};
pub use secrets::{SecretAllow, SecretsPolicy};
pub use signatures::{Requirement, SignaturesPolicy};
pub use sources::Source;
