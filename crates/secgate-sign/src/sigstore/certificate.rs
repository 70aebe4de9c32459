//! The signing certificate: chain to a Fulcio CA of the trusted root, validity, key usage.
