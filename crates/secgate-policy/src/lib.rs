//! The secgate policy: `secgate.toml`, parsed with spans and validated all at once.
//!
//! [`load`] finds the file (`--config`, `secgate.toml`, `.secgate.toml`, else the embedded
//! [`DEFAULT_POLICY`]) and [`Policy::parse`] validates it: unknown keys are errors (a typo must
//! never weaken a policy), every ignore needs an advisory id and a reason, and every problem is
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
//! [levels]                   # any finding code -> allow | warn | deny
//! db-bad-record = "deny"
//! ```

mod advisory_id;
mod apply;
mod cfg;
mod db_urls;
mod error;
mod ignore;
mod locate;
mod max_age;
mod policy;
mod sources;
mod suggest;
mod threshold;

pub use apply::{Applied, apply};
pub use db_urls::DbUrls;
pub use error::{ConfigProblem, PolicyError};
pub use ignore::Ignore;
pub use locate::{FILE_NAMES, load, locate};
pub use policy::{AdvisoriesPolicy, DEFAULT_POLICY, Policy};
pub use sources::Source;
