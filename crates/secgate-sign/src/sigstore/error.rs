//! Why a bundle was rejected (the `bundle-invalid` finding's message) or could not be read.

/// A bundle that did not verify; the text says which check failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BundleError(pub String);

impl BundleError {
    /// A rejection with `reason`.
    pub fn new(reason: impl Into<String>) -> Self {
        BundleError(reason.into())
    }
}
