//! Reading an armored sshsig (`-----BEGIN SSH SIGNATURE-----`, PROTOCOL.sshsig), including one
//! made with an OpenSSH certificate.
//!
//! `ssh_key::SshSig` decodes only plain public keys in the signature blob; `ssh-keygen -Y sign`
//! with a certificate puts the whole certificate there. So the blob is read here far enough to
//! find the public key: a certificate is parsed by [`Certificate`] and replaced by its plain key
//! before `SshSig` decodes the rest, which is left byte for byte as signed.

use super::certificate::{CERT_SUFFIX, Certificate};
use super::wire::{Wire, put_string};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ssh_key::SshSig;

/// The sshsig PEM label.
const LABEL: &str = "SSH SIGNATURE";
/// Every sshsig blob starts with these six bytes.
const MAGIC: &[u8] = b"SSHSIG";

/// A decoded sshsig, not yet verified.
#[derive(Debug)]
pub(crate) struct Envelope {
    /// The signature, with the plain public key that made it.
    pub(crate) sig: SshSig,
    /// The certificate of that key, when the signature was made with one.
    pub(crate) certificate: Option<Certificate>,
}

/// Decodes `armored`; the error says why it is not an sshsig.
pub(crate) fn decode(armored: &str) -> Result<Envelope, String> {
    let blob = dearmor(armored)?;
    let truncated = || "the SSH signature is truncated".to_owned();
    let mut wire = Wire::new(&blob);
    if wire.bytes(MAGIC.len()) != Some(MAGIC) {
        return Err("not an SSH signature: the blob does not start with SSHSIG".to_owned());
    }
    wire.u32().ok_or_else(truncated)?; // version, which SshSig checks
    let key_start = wire.position();
    let key_blob = wire.string().ok_or_else(truncated)?;
    let key_type = Wire::new(key_blob)
        .text()
        .ok_or("the signature's public key has no type")?;

    let certificate = if key_type.ends_with(CERT_SUFFIX) {
        let certificate = Certificate::parse(key_blob)
            .map_err(|why| format!("the signature's certificate does not parse: {why}"))?;
        Some(certificate)
    } else {
        None
    };
    let sig = match &certificate {
        None => SshSig::from_pem(rearmor(&blob)),
        Some(certificate) => {
            let mut plain = blob.get(..key_start).unwrap_or_default().to_vec();
            put_string(&mut plain, &certificate.key_blob).ok_or_else(truncated)?;
            plain.extend_from_slice(wire.rest());
            SshSig::from_pem(rearmor(&plain))
        }
    }
    .map_err(|e| format!("the SSH signature does not parse: {e}"))?;
    Ok(Envelope { sig, certificate })
}

/// The bytes inside the armor. Lenient about line width, blank lines and CRLF, since the
/// armor carries no meaning; strict about the label.
fn dearmor(armored: &str) -> Result<Vec<u8>, String> {
    let begin = format!("-----BEGIN {LABEL}-----");
    let end = format!("-----END {LABEL}-----");
    let mut lines = armored.lines().map(str::trim);
    if !lines.by_ref().any(|line| line == begin) {
        return Err(format!("not an SSH signature: no `{begin}` line"));
    }
    let mut body = String::new();
    for line in lines {
        if line == end {
            return STANDARD
                .decode(body.as_bytes())
                .map_err(|e| format!("the SSH signature is not valid base64: {e}"));
        }
        body.push_str(line);
    }
    Err(format!("the SSH signature has no `{end}` line"))
}

/// Armors `blob` the way `ssh-keygen` does (70 columns), which is what `SshSig::from_pem`
/// expects.
fn rearmor(blob: &[u8]) -> String {
    let encoded = STANDARD.encode(blob);
    let mut pem = format!("-----BEGIN {LABEL}-----\n");
    for chunk in encoded.as_bytes().chunks(70) {
        // base64 output is ASCII, so every chunk is UTF-8.
        pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END ");
    pem.push_str(LABEL);
    pem.push_str("-----\n");
    pem
}

#[cfg(test)]
mod tests {
    use super::decode;

    /// The example signature of `ssh_key::PublicKey::verify`'s documentation.
    const SIGNATURE: &str = "-----BEGIN SSH SIGNATURE-----
U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgsz6u836i33yqAQ3v3qNOJB9l8b
UppPQ+0UMn9cVKq2IAAAAHZXhhbXBsZQAAAAAAAAAGc2hhNTEyAAAAUwAAAAtzc2gtZWQy
NTUxOQAAAEBPEav+tMGNnox4MuzM7rlHyVBajCn8B0kAyiOWwPKprNsG3i6X+voz/WCSik
/FowYwqhgCABUJSvRX3AERVBUP
-----END SSH SIGNATURE-----
";

    #[test]
    fn plain_signatures_decode_whatever_the_wrapping() {
        let rewrapped = SIGNATURE
            .replace('\n', "")
            .replace("-----U1", "-----\r\nU1");
        let rewrapped = rewrapped.replace("UP-----", "UP\r\n-----");
        for armored in [SIGNATURE, rewrapped.as_str()] {
            let envelope = decode(armored).expect("decodes");
            assert_eq!(envelope.sig.namespace(), "example");
            assert!(envelope.certificate.is_none());
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode("").is_err());
        assert!(decode("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n").is_err());
        assert!(
            decode("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----").is_err()
        );
        assert!(
            decode("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----").is_err()
        );
        assert!(decode("-----BEGIN SSH SIGNATURE-----\n!!\n-----END SSH SIGNATURE-----").is_err());
    }
}
