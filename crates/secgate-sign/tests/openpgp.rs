//! OpenPGP keys and signatures made by a real `gpg` in a throwaway home directory.

use pgp::composed::{ArmorOptions, Deserializable, SignedPublicKey};
use secgate_sign::openpgp::{Keyring, verify_openpgp};
use secgate_sign::{Rejection, SignError, Verified};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};
use tempfile::TempDir;

const PAYLOAD: &[u8] = b"object 2b1c0d6f\ntype commit\ntag v1.0.0\ntagger Alice <alice@example.com> 1700000000 +0000\n\nRelease 1.0.0\n";

/// A `gpg` home in a temp directory, with files for keyrings next to it; its agent is killed
/// when dropped.
struct Gpg {
    dir: TempDir,
}

impl Gpg {
    fn new() -> Self {
        let dir = TempDir::new().expect("temp dir");
        let home = dir.path().join("gnupg");
        std::fs::create_dir(&home).expect("gnupg home");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700))
                .expect("chmod gnupg home");
        }
        Gpg { dir }
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("gnupg")
    }

    /// Runs gpg with `args` (and `input` on stdin), asserts it succeeded, returns its stdout.
    fn run_with_input(&self, args: &[&str], input: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let home = self.home();
        let mut child = Command::new("gpg")
            .arg("--batch")
            .arg("--homedir")
            .arg(&home)
            .args(["--pinentry-mode", "loopback", "--passphrase", ""])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gpg runs");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input).expect("gpg stdin");
        drop(stdin);
        let out = child.wait_with_output().expect("gpg finishes");
        assert!(
            out.status.success(),
            "gpg {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    fn run(&self, args: &[&str]) -> Vec<u8> {
        self.run_with_input(args, b"")
    }

    /// Generates a key for `uid` (`algo`, usage `sign`, expiring after `expiry`), optionally at a
    /// faked time; returns its fingerprint.
    fn generate(&self, uid: &str, algo: &str, expiry: &str, faked_time: Option<&str>) -> String {
        let mut args = Vec::new();
        if let Some(time) = faked_time {
            args.extend(["--faked-system-time", time]);
        }
        args.extend(["--quick-gen-key", uid, algo, "sign", expiry]);
        self.run(&args);
        self.fingerprints(uid).remove(0)
    }

    /// Adds a signing subkey to `fpr`; returns the subkey's fingerprint.
    fn add_signing_subkey(&self, fpr: &str) -> String {
        self.run(&["--quick-add-key", fpr, "ed25519", "sign"]);
        self.fingerprints(fpr).pop().expect("subkey fingerprint")
    }

    /// The fingerprints of the key `id`: primary first, then subkeys.
    fn fingerprints(&self, id: &str) -> Vec<String> {
        let listing = self.run(&["--with-colons", "--list-keys", id]);
        String::from_utf8_lossy(&listing)
            .lines()
            .filter_map(|l| l.strip_prefix("fpr:"))
            .filter_map(|l| l.split(':').nth(8).map(str::to_owned))
            .collect()
    }

    fn export(&self, ids: &[&str]) -> String {
        let mut args = vec!["--armor", "--export"];
        args.extend(ids);
        String::from_utf8(self.run(&args)).expect("armored export")
    }

    /// An armored detached signature over `payload` by `key` (`FPR!` for a subkey).
    fn sign(&self, key: &str, payload: &[u8], extra: &[&str]) -> String {
        let mut args = vec!["--armor", "--detach-sign", "-u", key];
        args.extend(extra);
        String::from_utf8(self.run_with_input(&args, payload)).expect("armored signature")
    }

    /// Writes `content` to `name` in the temp directory; returns its path.
    fn file(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).expect("write file");
        path
    }

    fn keyring(&self, name: &str, content: impl AsRef<[u8]>) -> Keyring {
        let path = self.file(name, content);
        Keyring::load(&[path.as_path()]).expect("keyring loads")
    }
}

impl Drop for Gpg {
    fn drop(&mut self) {
        let status = Command::new("gpgconf")
            .arg("--homedir")
            .arg(self.home())
            .args(["--kill", "gpg-agent"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map(|o| o.status.success());
        if !std::thread::panicking() {
            assert!(
                matches!(status, Ok(true)),
                "gpgconf --kill gpg-agent failed"
            );
        }
    }
}

fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    i64::try_from(secs).expect("seconds fit")
}

fn load_err(path: &Path) -> SignError {
    Keyring::load(&[path]).expect_err("keyring must not load")
}

fn not_allowed(result: Result<Verified, Rejection>) -> String {
    match result {
        Err(Rejection::NotAllowed(reason)) => reason,
        other => panic!("expected NotAllowed, got {other:?}"),
    }
}

fn invalid(result: Result<Verified, Rejection>) -> String {
    match result {
        Err(Rejection::Invalid(reason)) => reason,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn good_ed25519_signature_is_accepted() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));
    let signature = gpg.sign(&fpr, PAYLOAD, &[]);

    let verified = verify_openpgp(&signature, PAYLOAD, now(), &keyring).expect("accepted");
    assert_eq!(
        verified,
        Verified {
            signer: "Alice <alice@example.com>".to_owned(),
            key: fpr.clone(),
            format: "openpgp",
        }
    );
    assert_eq!(keyring.keys.len(), 1);
    assert_eq!(keyring.keys[0].fingerprint(), fpr);
    assert!(keyring.keys[0].source().ends_with("alice.asc"));
}

#[test]
fn good_rsa_signature_is_accepted() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Bob <bob@example.com>", "rsa3072", "1y", None);
    let keyring = gpg.keyring("bob.asc", gpg.export(&[&fpr]));
    let signature = gpg.sign(&fpr, PAYLOAD, &[]);

    let verified = verify_openpgp(&signature, PAYLOAD, now(), &keyring).expect("accepted");
    assert_eq!(verified.signer, "Bob <bob@example.com>");
    assert_eq!(verified.key, fpr);
}

#[test]
fn text_mode_signature_is_accepted() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));
    let signature = gpg.sign(&fpr, PAYLOAD, &["--textmode"]);

    assert!(verify_openpgp(&signature, PAYLOAD, now(), &keyring).is_ok());
    let changed = [PAYLOAD, b"evil\n"].concat();
    invalid(verify_openpgp(&signature, &changed, now(), &keyring));
}

#[test]
fn changed_payload_is_invalid() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));
    let signature = gpg.sign(&fpr, PAYLOAD, &[]);

    let changed = String::from_utf8_lossy(PAYLOAD).replace("v1.0.0", "v1.0.1");
    let reason = invalid(verify_openpgp(
        &signature,
        changed.as_bytes(),
        now(),
        &keyring,
    ));
    assert!(reason.contains("does not verify"), "{reason}");
}

#[test]
fn signature_that_does_not_parse_is_invalid() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));

    let garbage =
        "-----BEGIN PGP SIGNATURE-----\n\nbm90IGEgc2lnbmF0dXJl\n-----END PGP SIGNATURE-----\n";
    invalid(verify_openpgp(garbage, PAYLOAD, now(), &keyring));
    invalid(verify_openpgp(
        "not armored at all",
        PAYLOAD,
        now(),
        &keyring,
    ));
}

#[test]
fn key_signature_is_not_a_signature_over_data() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));
    // The revocation certificate is a signature packet, but over the key, not over data.
    let key_signature = revocation_certificate(&gpg, &fpr).replace("PUBLIC KEY BLOCK", "SIGNATURE");

    let reason = invalid(verify_openpgp(&key_signature, PAYLOAD, now(), &keyring));
    assert!(reason.contains("KeyRevocation"), "{reason}");
}

#[test]
fn signature_dated_in_the_future_is_invalid() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));
    let signature = gpg.sign(&fpr, PAYLOAD, &[]);

    let a_day_ago = now() - 86_400;
    let reason = invalid(verify_openpgp(&signature, PAYLOAD, a_day_ago, &keyring));
    assert!(reason.contains("in the future"), "{reason}");
}

#[test]
fn key_not_in_keyring_is_not_allowed() {
    let gpg = Gpg::new();
    let alice = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let mallory = gpg.generate("Mallory <mallory@example.com>", "ed25519", "1y", None);
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&alice]));
    let signature = gpg.sign(&mallory, PAYLOAD, &[]);

    let reason = not_allowed(verify_openpgp(&signature, PAYLOAD, now(), &keyring));
    assert!(reason.contains(&mallory), "{reason}");
    assert!(reason.contains("is not among the release keys"), "{reason}");
    assert!(reason.contains("alice.asc"), "{reason}");
}

#[test]
fn expired_key_is_not_allowed() {
    let gpg = Gpg::new();
    let fpr = gpg.generate(
        "Old <old@example.com>",
        "ed25519",
        "1d",
        Some("20200101T000000!"),
    );
    let keyring = gpg.keyring("old.asc", gpg.export(&[&fpr]));
    let signature = gpg.sign(&fpr, PAYLOAD, &["--faked-system-time", "20200101T120000!"]);

    let reason = not_allowed(verify_openpgp(&signature, PAYLOAD, now(), &keyring));
    assert!(
        reason.contains("expired on 2020-01-02T00:00:00Z"),
        "{reason}"
    );
    assert!(reason.contains(&fpr), "{reason}");

    // While the key was still valid, the same signature was good.
    let then = 1_577_880_000; // 2020-01-01T12:00:00Z
    assert!(verify_openpgp(&signature, PAYLOAD, then + 60, &keyring).is_ok());
}

/// gpg's stored revocation certificate, made importable by removing its guard colon.
fn revocation_certificate(gpg: &Gpg, fpr: &str) -> String {
    let path = gpg
        .home()
        .join("openpgp-revocs.d")
        .join(format!("{fpr}.rev"));
    let text = std::fs::read_to_string(path).expect("revocation certificate");
    text.lines()
        .map(|l| l.strip_prefix(':').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn revoked_key_is_not_allowed() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let signature = gpg.sign(&fpr, PAYLOAD, &[]);
    gpg.run_with_input(&["--import"], revocation_certificate(&gpg, &fpr).as_bytes());
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));

    let reason = not_allowed(verify_openpgp(&signature, PAYLOAD, now(), &keyring));
    assert!(reason.contains("revoked"), "{reason}");
    assert!(reason.contains(&fpr), "{reason}");
}

#[test]
fn revocation_certificate_next_to_the_key_revokes_it() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let signature = gpg.sign(&fpr, PAYLOAD, &[]);
    let content = format!(
        "{}\n{}\n",
        gpg.export(&[&fpr]),
        revocation_certificate(&gpg, &fpr)
    );
    let keyring = gpg.keyring("alice.asc", content);

    let reason = not_allowed(verify_openpgp(&signature, PAYLOAD, now(), &keyring));
    assert!(reason.contains("revoked"), "{reason}");

    // Alone, a revocation certificate is no key.
    let alone = gpg.file("rev.asc", revocation_certificate(&gpg, &fpr));
    assert!(matches!(load_err(&alone), SignError::Parse { .. }));
}

#[test]
fn signing_subkey_is_accepted_and_named() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let sub = gpg.add_signing_subkey(&fpr);
    assert_ne!(sub, fpr);
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));
    let signature = gpg.sign(&format!("{sub}!"), PAYLOAD, &[]);

    let verified = verify_openpgp(&signature, PAYLOAD, now(), &keyring).expect("accepted");
    assert_eq!(verified.key, sub);
    assert_eq!(verified.signer, "Alice <alice@example.com>");
    assert_eq!(keyring.keys[0].subkey_fingerprints(), vec![sub]);
}

#[test]
fn revoked_subkey_is_not_allowed() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let sub = gpg.add_signing_subkey(&fpr);
    let signature = gpg.sign(&format!("{sub}!"), PAYLOAD, &[]);
    // key 1, revkey, confirm, reason 0, empty description, confirm, save.
    gpg.run_with_input(
        &["--command-fd", "0", "--edit-key", &fpr],
        b"key 1\nrevkey\ny\n0\n\ny\nsave\n",
    );
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));

    let reason = not_allowed(verify_openpgp(&signature, PAYLOAD, now(), &keyring));
    assert!(reason.contains(&format!("subkey {sub}")), "{reason}");
    assert!(reason.contains("revoked"), "{reason}");
    // The primary key itself is still good.
    let by_primary = gpg.sign(&format!("{fpr}!"), PAYLOAD, &[]);
    assert!(verify_openpgp(&by_primary, PAYLOAD, now(), &keyring).is_ok());
}

#[test]
fn expired_subkey_is_not_allowed() {
    let gpg = Gpg::new();
    let past = ["--faked-system-time", "20200101T000000!"];
    let fpr = gpg.generate(
        "Alice <alice@example.com>",
        "ed25519",
        "never",
        Some("20200101T000000!"),
    );
    let mut args = past.to_vec();
    args.extend(["--quick-add-key", &fpr, "ed25519", "sign", "1d"]);
    gpg.run(&args);
    let sub = gpg.fingerprints(&fpr).pop().expect("subkey");
    let keyring = gpg.keyring("alice.asc", gpg.export(&[&fpr]));
    let signature = gpg.sign(&format!("{sub}!"), PAYLOAD, &past);

    let reason = not_allowed(verify_openpgp(&signature, PAYLOAD, now(), &keyring));
    assert!(
        reason.contains(&format!("subkey {sub}")) && reason.contains("expired on 2020-01-02"),
        "{reason}"
    );
    // The primary key never expires and still signs.
    let by_primary = gpg.sign(&format!("{fpr}!"), PAYLOAD, &[]);
    assert!(verify_openpgp(&by_primary, PAYLOAD, now(), &keyring).is_ok());
}

#[test]
fn subkey_bound_by_another_key_is_not_allowed() {
    let gpg = Gpg::new();
    let alice = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let mallory = gpg.generate("Mallory <mallory@example.com>", "ed25519", "1y", None);
    let mallory_sub = gpg.add_signing_subkey(&mallory);
    let signature = gpg.sign(&format!("{mallory_sub}!"), PAYLOAD, &[]);

    // Graft Mallory's subkey, with Mallory's binding signature, onto Alice's key.
    let (mut grafted, _) = SignedPublicKey::from_string(&gpg.export(&[&alice])).expect("alice");
    let (donor, _) = SignedPublicKey::from_string(&gpg.export(&[&mallory])).expect("mallory");
    grafted.public_subkeys.extend(donor.public_subkeys);
    let armored = grafted
        .to_armored_string(ArmorOptions::default())
        .expect("armored graft");
    let keyring = gpg.keyring("grafted.asc", armored);

    let reason = not_allowed(verify_openpgp(&signature, PAYLOAD, now(), &keyring));
    assert!(reason.contains("not bound"), "{reason}");
    assert!(keyring.keys[0].subkey_fingerprints().is_empty());
}

#[test]
fn keyring_file_with_two_keys() {
    let gpg = Gpg::new();
    let alice = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let bob = gpg.generate("Bob <bob@example.com>", "ed25519", "1y", None);
    let by_alice = gpg.sign(&alice, PAYLOAD, &[]);
    let by_bob = gpg.sign(&bob, PAYLOAD, &[]);

    // One armored block holding both keys.
    let one_block = gpg.keyring("both.asc", gpg.export(&[&alice, &bob]));
    // Two blocks with text around them, as in an Apache KEYS file.
    let two_blocks = gpg.keyring(
        "KEYS",
        format!(
            "Release keys\n\npub alice\n{}\npub bob\n{}\n",
            gpg.export(&[&alice]),
            gpg.export(&[&bob])
        ),
    );
    // A binary keyring.
    let binary = gpg.keyring("both.gpg", gpg.run(&["--export", &alice, &bob]));

    for keyring in [&one_block, &two_blocks, &binary] {
        assert_eq!(keyring.keys.len(), 2);
        let a = verify_openpgp(&by_alice, PAYLOAD, now(), keyring).expect("alice accepted");
        let b = verify_openpgp(&by_bob, PAYLOAD, now(), keyring).expect("bob accepted");
        assert_eq!(a.signer, "Alice <alice@example.com>");
        assert_eq!(b.signer, "Bob <bob@example.com>");
    }
}

#[test]
fn keys_from_several_files() {
    let gpg = Gpg::new();
    let alice = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let bob = gpg.generate("Bob <bob@example.com>", "ed25519", "1y", None);
    let a = gpg.file("alice.asc", gpg.export(&[&alice]));
    let b = gpg.file("bob.asc", gpg.export(&[&bob]));
    let keyring = Keyring::load(&[a.as_path(), b.as_path()]).expect("loads");

    assert_eq!(keyring.paths.len(), 2);
    assert!(keyring.keys[1].source().ends_with("bob.asc"));
    let by_bob = gpg.sign(&bob, PAYLOAD, &[]);
    assert!(verify_openpgp(&by_bob, PAYLOAD, now(), &keyring).is_ok());
}

#[test]
fn garbage_keyring_is_a_parse_error() {
    let gpg = Gpg::new();
    let text = gpg.file(
        "garbage.asc",
        "these are not the keys you are looking for\n",
    );
    assert!(matches!(load_err(&text), SignError::Parse { line: 1, .. }));

    let binary = gpg.file("garbage.gpg", [0x99u8, 0x01, 0xff, 0x00, 0x13, 0x37]);
    assert!(matches!(load_err(&binary), SignError::Parse { .. }));

    let empty = gpg.file("empty.asc", "");
    assert!(matches!(load_err(&empty), SignError::Parse { line: 1, .. }));

    let broken_armor = gpg.file(
        "broken.asc",
        "keys:\n\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----\n",
    );
    assert!(matches!(
        load_err(&broken_armor),
        SignError::Parse { line: 3, .. }
    ));

    let unclosed = gpg.file(
        "unclosed.asc",
        "\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ==\n",
    );
    assert!(matches!(
        load_err(&unclosed),
        SignError::Parse { line: 2, .. }
    ));

    let signature_instead = gpg.file(
        "sig.asc",
        "-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n",
    );
    let err = load_err(&signature_instead);
    assert!(err.to_string().contains("is not a public key"), "{err}");
}

#[test]
fn missing_keyring_file_is_a_read_error() {
    let gpg = Gpg::new();
    let missing = gpg.dir.path().join("missing.asc");
    assert!(matches!(load_err(&missing), SignError::Read { .. }));
}

#[test]
fn secret_key_file_is_a_parse_error() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);

    let armored = gpg.file(
        "secret.asc",
        gpg.run(&["--armor", "--export-secret-keys", &fpr]),
    );
    let err = load_err(&armored);
    assert!(matches!(err, SignError::Parse { line: 1, .. }));
    assert!(err.to_string().contains("public key is expected"), "{err}");

    let binary = gpg.file("secret.gpg", gpg.run(&["--export-secret-keys", &fpr]));
    let err = load_err(&binary);
    assert!(err.to_string().contains("public key is expected"), "{err}");
}

#[test]
fn key_whose_self_signature_does_not_verify_is_refused() {
    let gpg = Gpg::new();
    let fpr = gpg.generate("Alice <alice@example.com>", "ed25519", "1y", None);
    let mut binary = gpg.run(&["--export", &fpr]);
    // Change the user id without re-signing it (same length, so the packets still parse).
    let at = binary
        .windows(5)
        .position(|w| w == b"Alice")
        .expect("user id in export");
    binary[at..at + 5].copy_from_slice(b"Eve__");

    let err = load_err(&gpg.file("tampered.gpg", binary));
    assert!(err.to_string().contains("no valid self-signature"), "{err}");
}
