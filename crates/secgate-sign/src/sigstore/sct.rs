//! Signed certificate timestamps embedded in the signing certificate (RFC 6962 precertificate
//! SCTs), verified against the trusted root's CT logs.
