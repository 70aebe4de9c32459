//! Evaluating SPDX licence expressions against the allowlist, exceptions and clarifications.
//!
//! [`evaluate`] turns what discovery found for each package ([`LicenseInput`]) into findings:
//! `license-denied`, `license-unknown` or `license-missing` at the package's lockfile line, and
//! `license-exception-unused` for exceptions that matched no package.
//! [`check_expression`] decides one expression; the rules are in `evaluate/expression.rs`:
//! strict SPDX, with crates.io's legacy forms (`MIT/Apache-2.0`, `GPL-2.0`, `LGPL-2.1+`) read
//! as cargo-deny reads them and flagged; `WITH` pairs allowed only by an entry naming the pair;
//! an explicit `deny` beating `allow`; a package's exceptions beating both.
//!
//! The policy ([`LicensePolicy`]) comes from a preset ([`LicensePolicy::from_preset`], the
//! files in `policies/licenses/`) plus the entries of `secgate.toml`.

mod check;
mod diags;
mod expression;
mod policy;
mod preset;

pub use check::evaluate;
pub use expression::{Verdict, canonical_form, check_expression, sbom_expression};
pub use policy::{Clarification, Exception, LicenseIdError, LicensePolicy, normalize_id};

use secgate_core::Package;

/// What discovery found about one package's licence.
#[derive(Clone, Debug, PartialEq)]
pub enum LicenseSource {
    /// The licence the package declares: Cargo.toml `license`, package.json `license`.
    Declared {
        /// The declared value, as written.
        expression: String,
    },
    /// A licence recognized from a licence file's text. Whether the confidence is high enough
    /// is the caller's decision: a `Detected` given here is used as it is.
    Detected {
        /// The recognized SPDX expression.
        expression: String,
        /// How sure the detector is, 0.0–1.0.
        confidence: f32,
        /// The file it was recognized in, relative to the package root.
        file: String,
    },
    /// Neither a declared licence nor a recognized licence file.
    Missing,
}

/// One package to evaluate.
#[derive(Clone, Debug)]
pub struct LicenseInput<'a> {
    /// The locked package; findings point at its location.
    pub package: &'a Package,
    /// What its licence is.
    pub source: LicenseSource,
    /// Licence files found in the package (path relative to its root, sha256 hex), matched
    /// against clarifications.
    pub files: Vec<(String, String)>,
}
