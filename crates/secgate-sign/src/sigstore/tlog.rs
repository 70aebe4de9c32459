//! Transparency-log entries: the entry body (Rekor v1 `hashedrekord`, `dsse`, `intoto`; Rekor v2
//! `hashedrekord` 0.0.2 and `dsse` 0.0.2) must describe this bundle's signature, key and
//! artifact; the entry must be proven in the log.
