//! DSSE envelopes: the pre-authentication encoding and the in-toto statement's subject digests.
