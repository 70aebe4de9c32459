//! The secgate model shared by every crate: what a repository depends on ([`Package`]),
//! what a gate found ([`Finding`] with its stable [`Code`], [`Level`] and [`Severity`]), and
//! where it was found ([`Location`]). No I/O lives here: inventory produces packages, checkers
//! turn them into findings, the policy sets levels, and the report renders them.

mod code;
mod finding;
mod location;
mod package;
mod pin_codes;
mod release_codes;
mod secret_codes;
mod sign_codes;

pub use code::{Code, Gate};
pub use finding::{Finding, Level, PackageRef, Severity, sort_findings};
pub use location::{LineIndex, Location};
pub use package::{Ecosystem, Package, PackageSource, pep503_name, percent_encode, purl};
