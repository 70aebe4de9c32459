use super::{HashAlgorithm, PublicKey};
use crate::sigstore::test_data::{
    artifact, b64_at, bundle, case_dir, public_good_root, staging_root,
};
use const_oid::db::{rfc5912, rfc8410};
use der::{Decode as _, Encode as _};
use sha2::Digest as _;
use std::process::{Command, Stdio};

fn certificate(der: &[u8]) -> x509_cert::Certificate {
    x509_cert::Certificate::from_der(der).expect("certificate parses")
}

fn spki_of(cert: &x509_cert::Certificate) -> Vec<u8> {
    cert.tbs_certificate
        .subject_public_key_info
        .to_der()
        .expect("SPKI encodes")
}

/// Checks `cert`'s signature with `issuer`'s key the way a chain check does.
fn check_issued(cert: &x509_cert::Certificate, issuer: &PublicKey) -> Result<(), String> {
    let tbs = cert.tbs_certificate.to_der().expect("TBS encodes");
    let sig = cert.signature.as_bytes().expect("aligned signature");
    issuer
        .verify_with_algorithm(&tbs, sig, &cert.signature_algorithm.oid)
        .map_err(|e| e.0)
}

#[test]
fn p256_leaf_verifies_the_message_signature_of_a_conformance_bundle() {
    let b = bundle("happy-path-v0.3");
    let leaf = certificate(&b64_at(&b, "/verificationMaterial/certificate/rawBytes"));
    let key = PublicKey::from_spki(&spki_of(&leaf), Some("PKIX_ECDSA_P256_SHA_256")).unwrap();
    let sig = b64_at(&b, "/messageSignature/signature");
    let message = artifact("happy-path-v0.3");

    key.verify(&message, &sig).unwrap();
    let digest: [u8; 32] = sha2::Sha256::digest(&message).into();
    key.verify_sha256_digest(&digest, &sig).unwrap();

    let mut tampered = message.clone();
    tampered.push(b'!');
    assert!(key.verify(&tampered, &sig).is_err());
    let mut wrong = digest;
    wrong[0] ^= 1;
    assert!(key.verify_sha256_digest(&wrong, &sig).is_err());
    let short = key
        .verify_digest(HashAlgorithm::Sha384, &digest, &sig)
        .unwrap_err();
    assert!(short.0.contains("digest of 32 bytes"), "{short}");
    let garbage = key.verify(&message, b"\x30\x02\x01").unwrap_err();
    assert!(garbage.0.contains("malformed ECDSA signature"), "{garbage}");
}

#[test]
fn fulcio_p384_chain_verifies_with_its_certificate_signature_algorithms() {
    let root = public_good_root();
    let fulcio = root
        .certificate_authorities
        .iter()
        .find(|a| a.chain.len() == 2)
        .expect("the current Fulcio CA has an intermediate");
    let intermediate = certificate(&fulcio.chain[0]);
    let ca = certificate(&fulcio.chain[1]);
    let ca_key = PublicKey::from_spki(&spki_of(&ca), None).unwrap();
    let intermediate_key = PublicKey::from_spki(&spki_of(&intermediate), None).unwrap();
    assert_eq!(
        intermediate.signature_algorithm.oid,
        rfc5912::ECDSA_WITH_SHA_384
    );

    check_issued(&ca, &ca_key).unwrap();
    check_issued(&intermediate, &ca_key).unwrap();
    let b = bundle("happy-path-v0.3");
    let leaf = certificate(&b64_at(&b, "/verificationMaterial/certificate/rawBytes"));
    check_issued(&leaf, &intermediate_key).unwrap();

    // The leaf is not issued by the root directly.
    assert!(check_issued(&leaf, &ca_key).is_err());
    let tbs = intermediate.tbs_certificate.to_der().unwrap();
    let sig = intermediate.signature.as_bytes().unwrap();
    let wrong_family = ca_key
        .verify_with_algorithm(&tbs, sig, &rfc5912::SHA_384_WITH_RSA_ENCRYPTION)
        .unwrap_err();
    assert!(wrong_family.0.contains("does not fit"), "{wrong_family}");
    let unknown = ca_key
        .verify_with_algorithm(&tbs, sig, &rfc5912::ID_SHA_256)
        .unwrap_err();
    assert!(
        unknown.0.contains("unsupported signature algorithm"),
        "{unknown}"
    );
}

#[test]
fn pem_key_of_a_managed_key_case_verifies_its_signature() {
    let pem = std::fs::read_to_string(case_dir("managed-key-happy-path").join("key.pub")).unwrap();
    let key = PublicKey::from_pem(&format!("comment\n{pem}\ntrailer")).unwrap();
    let b = bundle("managed-key-happy-path");
    let sig = b64_at(&b, "/messageSignature/signature");
    key.verify(&artifact("managed-key-happy-path"), &sig)
        .unwrap();

    // The wrong-key case's key has a damaged base64 tail: it must not load.
    let wrong =
        std::fs::read_to_string(case_dir("managed-key-wrong-key_fail").join("key.pub")).unwrap();
    assert!(PublicKey::from_pem(&wrong).is_err());
    assert!(PublicKey::from_pem("no key here").is_err());
    assert!(PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\n!!!\n").is_err());
    assert!(
        PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----").is_err()
    );
}

fn ed25519_spki(raw: &[u8; 32]) -> Vec<u8> {
    let mut spki = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    spki.extend_from_slice(raw);
    spki
}

#[test]
fn ed25519_signs_messages_not_digests() {
    use ed25519_dalek::Signer as _;
    let signer = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let spki = ed25519_spki(signer.verifying_key().as_bytes());
    let key = PublicKey::from_spki(&spki, Some("PKIX_ED25519")).unwrap();
    assert!(key.is_ed25519());
    let sig = signer.sign(b"checkpoint body\n").to_bytes();

    key.verify(b"checkpoint body\n", &sig).unwrap();
    key.verify_with_algorithm(b"checkpoint body\n", &sig, &rfc8410::ID_ED_25519)
        .unwrap();
    assert!(key.verify(b"checkpoint body!", &sig).is_err());
    assert!(key.verify(b"checkpoint body\n", &sig[..63]).is_err());
    assert!(key.verify_sha256_digest(&[0; 32], &sig).is_err());
    assert_eq!(key.key_id(), <[u8; 32]>::from(sha2::Sha256::digest(&spki)));
}

#[test]
fn ecdsa_accepts_der_and_fixed_size_signatures() {
    use signature::Signer as _;
    let signer = p256::ecdsa::SigningKey::from_bytes(&[9; 32].into()).unwrap();
    let spki = {
        use p256::pkcs8::EncodePublicKey as _;
        signer
            .verifying_key()
            .to_public_key_der()
            .unwrap()
            .into_vec()
    };
    let key = PublicKey::from_spki(&spki, None).unwrap();
    let sig: p256::ecdsa::Signature = signer.sign(b"message");
    key.verify(b"message", sig.to_der().as_bytes()).unwrap();
    key.verify(b"message", &sig.to_bytes()).unwrap();
    assert!(key.verify(b"massage", &sig.to_bytes()).is_err());
    assert!(key.verify(b"message", &sig.to_bytes()[..63]).is_err());
}

#[test]
fn key_details_must_fit_the_key() {
    let b = bundle("happy-path-v0.3");
    let leaf = certificate(&b64_at(&b, "/verificationMaterial/certificate/rawBytes"));
    let p256 = spki_of(&leaf);
    for details in [
        "PKIX_ED25519",
        "PKIX_ECDSA_P384_SHA_384",
        "PKIX_RSA_PSS_2048_SHA256",
    ] {
        let err = PublicKey::from_spki(&p256, Some(details)).unwrap_err();
        assert!(
            err.0.contains("do not fit a ECDSA P-256 key"),
            "{details}: {err}"
        );
    }
    let err = PublicKey::from_spki(&p256, Some("LMS_SHA256")).unwrap_err();
    assert!(err.0.contains("unsupported key details"), "{err}");
    PublicKey::from_spki(&p256, Some("")).unwrap();

    assert!(PublicKey::from_spki(b"", None).is_err());
    assert!(PublicKey::from_spki(&p256[..p256.len() - 1], None).is_err());
    let mut off_curve = p256.clone();
    let last = off_curve.len() - 1;
    off_curve[last] ^= 1;
    let err = PublicKey::from_spki(&off_curve, None).unwrap_err();
    assert!(err.0.contains("malformed P-256 public key"), "{err}");
}

#[test]
fn pkcs1_ct_log_key_of_the_staging_root_parses() {
    let root = staging_root();
    let rsa_log = root
        .ctlogs
        .iter()
        .find(|l| l.key_details == "PKCS1_RSA_PKCS1V5")
        .expect("staging has a PKCS#1 CT log key");
    let key = PublicKey::from_spki(&rsa_log.spki, Some(&rsa_log.key_details)).unwrap();
    assert_eq!(key.spki(), rsa_log.spki.as_slice());
    // The same bytes are not a SubjectPublicKeyInfo.
    assert!(PublicKey::from_spki(&rsa_log.spki, None).is_err());
}

/// Runs `openssl` with the space-separated `args` in `dir`.
fn openssl(dir: &std::path::Path, args: &str) {
    let mut child = Command::new("openssl")
        .args(args.split(' '))
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl runs");
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const MESSAGE: &[u8] = b"release artifact";

/// A throwaway RSA key of `bits` in a temporary directory (`key.pem`, `pub.der`), and `msg`.
fn rsa_key(bits: u32) -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    let d = dir.path();
    std::fs::write(d.join("msg"), MESSAGE).unwrap();
    openssl(
        d,
        &format!("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:{bits} -out key.pem"),
    );
    openssl(d, "pkey -in key.pem -pubout -outform DER -out pub.der");
    dir
}

/// Signs `msg` with `openssl dgst` and `options`; returns the signature.
fn rsa_sign(dir: &tempfile::TempDir, options: &str) -> Vec<u8> {
    openssl(
        dir.path(),
        &format!("dgst {options} -sign key.pem -out msg.sig msg"),
    );
    std::fs::read(dir.path().join("msg.sig")).unwrap()
}

fn read(dir: &tempfile::TempDir, file: &str) -> Vec<u8> {
    std::fs::read(dir.path().join(file)).unwrap()
}

#[test]
fn rsa_pkcs1v15_signatures_from_openssl_verify() {
    let dir = rsa_key(2048);
    let sha256 = rsa_sign(&dir, "-sha256");
    let sha384 = rsa_sign(&dir, "-sha384");
    let pss = rsa_sign(&dir, "-sha256 -sigopt rsa_padding_mode:pss");
    let key = PublicKey::from_spki(
        &read(&dir, "pub.der"),
        Some("PKIX_RSA_PKCS1V15_2048_SHA256"),
    )
    .unwrap();

    key.verify(MESSAGE, &sha256).unwrap();
    key.verify_sha256_digest(&sha2::Sha256::digest(MESSAGE).into(), &sha256)
        .unwrap();
    assert!(key.verify(MESSAGE, &pss).is_err());
    assert!(key.verify(b"other", &sha256).is_err());
    let sha384_rsa = rfc5912::SHA_384_WITH_RSA_ENCRYPTION;
    key.verify_with_algorithm(MESSAGE, &sha384, &sha384_rsa)
        .unwrap();
    let sha256_rsa = rfc5912::SHA_256_WITH_RSA_ENCRYPTION;
    assert!(
        key.verify_with_algorithm(MESSAGE, &sha384, &sha256_rsa)
            .is_err()
    );
    // With no key details an RSA key is PKCS#1 v1.5 with SHA-256.
    let plain = PublicKey::from_spki(&read(&dir, "pub.der"), None).unwrap();
    plain.verify(MESSAGE, &sha256).unwrap();
}

#[test]
fn rsa_pss_signatures_from_openssl_verify_with_either_salt_length() {
    let dir = rsa_key(2048);
    let pss = rsa_sign(
        &dir,
        "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest",
    );
    let pss_max = rsa_sign(
        &dir,
        "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:max",
    );
    let pkcs1 = rsa_sign(&dir, "-sha256");
    let key =
        PublicKey::from_spki(&read(&dir, "pub.der"), Some("PKIX_RSA_PSS_2048_SHA256")).unwrap();

    key.verify(MESSAGE, &pss).unwrap();
    key.verify(MESSAGE, &pss_max).unwrap();
    assert!(key.verify(MESSAGE, &pkcs1).is_err());
    assert!(key.verify(b"other", &pss).is_err());
    assert!(key.verify(MESSAGE, b"short").is_err());
}

#[test]
fn rsa_keys_under_2048_bits_are_refused() {
    let dir = rsa_key(1024);
    let err = PublicKey::from_spki(&read(&dir, "pub.der"), None).unwrap_err();
    assert!(err.0.contains("1024-bit RSA key is too weak"), "{err}");
}

#[test]
fn hash_algorithms_by_oid() {
    assert_eq!(
        HashAlgorithm::from_oid(&rfc5912::ID_SHA_256),
        Some(HashAlgorithm::Sha256)
    );
    assert_eq!(
        HashAlgorithm::from_oid(&rfc5912::ID_SHA_384),
        Some(HashAlgorithm::Sha384)
    );
    assert_eq!(
        HashAlgorithm::from_oid(&rfc5912::ID_SHA_512),
        Some(HashAlgorithm::Sha512)
    );
    assert_eq!(HashAlgorithm::from_oid(&rfc5912::ID_SHA_1), None);
    assert_eq!(HashAlgorithm::Sha384.digest(b"abc").len(), 48);
    assert_eq!(
        HashAlgorithm::Sha256.digest(b"abc")[..4],
        [0xba, 0x78, 0x16, 0xbf]
    );
}
