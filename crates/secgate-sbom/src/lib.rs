//! Software bills of materials: [`build`] turns an inventory (and what the licence gate and the
//! advisory gate found) into one [`Sbom`], which [`cyclonedx`] writes as CycloneDX 1.6 (or 1.5)
//! JSON and [`spdx`] as SPDX 2.3 JSON.
//!
//! Output is reproducible: components, dependencies and vulnerabilities are sorted, the
//! CycloneDX `serialNumber` and the SPDX `documentNamespace` are derived from the content, and
//! the only time written is the one the caller gives (`SOURCE_DATE_EPOCH`).
//!
//! Both formats are written from typed models of their own: `cyclonedx-bom` 0.8 stops at
//! CycloneDX 1.5, and the `spdx` crate is about licence expressions, not SPDX documents.

mod build;
pub mod cyclonedx;
mod model;
pub mod spdx;

pub use build::{BuildError, Built, DroppedEdge, build, build_with_dropped};
pub use model::{
    Analysis, Component, Hash, HashAlgorithm, Rating, Root, Sbom, Tool, Vulnerability,
};
