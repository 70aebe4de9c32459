//! The licence gate: which licence each locked package has ([`discover`]), and whether its SPDX
//! expression satisfies the policy's allowlist ([`evaluate`]). Checkers return findings; they
//! never print.

pub mod discover;
pub mod evaluate;
mod gate;
pub mod npm;

pub use gate::inputs;
