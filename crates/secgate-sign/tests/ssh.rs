//! SSH signatures made by the real `ssh-keygen`, checked against allowed-signers files the way
//! git checks them, and the allowed-signers parser's errors.

use secgate_sign::ssh::{AllowedSigners, verify_ssh};
use secgate_sign::{Rejection, SignError, Verified};

/// Throwaway keys, certificates and signatures made by running `ssh-keygen` in a temp dir.
mod keygen {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use tempfile::TempDir;

    /// A temp dir to make keys and signatures in.
    pub struct Workspace {
        dir: TempDir,
    }

    impl Workspace {
        pub fn new() -> Self {
            Self {
                dir: tempfile::tempdir().expect("temp dir"),
            }
        }

        pub fn path(&self, name: &str) -> PathBuf {
            self.dir.path().join(name)
        }

        /// Generates the key `name` (`-t` and more from `kind`); returns its private key path.
        pub fn key(&self, name: &str, kind: &[&str]) -> PathBuf {
            let key = self.path(name);
            let mut args = vec!["-q", "-N", "", "-C", name, "-f"];
            let key_arg = key.to_str().expect("UTF-8 temp path");
            args.push(key_arg);
            args.extend_from_slice(kind);
            run(&args);
            key
        }

        /// Signs `payload` in `namespace` with `signer` (a private key, or a `-cert.pub` to sign
        /// with the certificate); returns the armored signature.
        pub fn sign(&self, signer: &Path, namespace: &str, payload: &[u8]) -> String {
            let file = tempfile::NamedTempFile::new_in(self.dir.path()).expect("payload file");
            std::fs::write(file.path(), payload).expect("write the payload");
            let file_arg = file.path().to_str().expect("UTF-8");
            let signer_arg = signer.to_str().expect("UTF-8");
            run(&["-Y", "sign", "-n", namespace, "-f", signer_arg, file_arg]);
            let sig = format!("{file_arg}.sig");
            let armored = std::fs::read_to_string(&sig).expect("the signature file");
            std::fs::remove_file(&sig).expect("remove the signature file");
            armored
        }

        /// Has `ca` certify `key`'s public key for `principals`, with extra `ssh-keygen`
        /// arguments; returns the `-cert.pub` path.
        pub fn certify(&self, ca: &Path, key: &Path, principals: &str, extra: &[&str]) -> PathBuf {
            let public = key.with_extension("pub");
            let ca_arg = ca.to_str().expect("UTF-8");
            let mut args = vec!["-q", "-s", ca_arg, "-I", "test-id", "-n", principals];
            args.extend_from_slice(extra);
            args.push(public.to_str().expect("UTF-8"));
            run(&args);
            let name = key.file_name().and_then(|n| n.to_str()).expect("key name");
            self.path(&format!("{name}-cert.pub"))
        }

        /// Whether `ssh-keygen -Y verify` accepts the signature for `principal` (the oracle
        /// these tests compare against).
        pub fn ssh_keygen_accepts(
            &self,
            allowed: &Path,
            principal: &str,
            namespace: &str,
            armored: &str,
            payload: &[u8],
        ) -> bool {
            let sig = self.path("oracle.sig");
            std::fs::write(&sig, armored).expect("write the signature");
            let mut child = Command::new("ssh-keygen")
                .args(["-Y", "verify", "-n", namespace, "-I", principal, "-f"])
                .arg(allowed)
                .arg("-s")
                .arg(&sig)
                .args(["-O", "verify-time=20231114"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run ssh-keygen");
            {
                use std::io::Write;
                let mut stdin = child.stdin.take().expect("stdin");
                // A write error means ssh-keygen quit without reading: its exit status says why.
                stdin.write_all(payload).ok();
            }
            child
                .wait_with_output()
                .expect("ssh-keygen output")
                .status
                .success()
        }
    }

    /// The `keytype base64 comment` text of a key's `.pub` file.
    pub fn public(key: &Path) -> String {
        let text = std::fs::read_to_string(key.with_extension("pub")).expect("read the public key");
        text.trim().to_owned()
    }

    /// The SHA256 fingerprint of a key, as `ssh-keygen -l` prints it.
    pub fn fingerprint(key: &Path) -> String {
        let public = key.with_extension("pub");
        let out = run(&["-l", "-E", "sha256", "-f", public.to_str().expect("UTF-8")]);
        let fingerprint = out.split_whitespace().nth(1).expect("a fingerprint field");
        assert!(fingerprint.starts_with("SHA256:"), "{out}");
        fingerprint.to_owned()
    }

    /// Runs `ssh-keygen args`, fails the test unless it succeeds, and returns its stdout.
    fn run(args: &[&str]) -> String {
        let child = Command::new("ssh-keygen")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run ssh-keygen");
        let out = child.wait_with_output().expect("ssh-keygen output");
        assert!(
            out.status.success(),
            "ssh-keygen {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

use keygen::Workspace;

const PAYLOAD: &[u8] =
    b"object 0123456789abcdef0123456789abcdef01234567\ntype commit\ntag v1.0.0\n\nRelease v1.0.0\n";
/// 2023-11-14T22:13:20Z, the tagger time the signatures are checked at.
const SIGNED_AT: i64 = 1_700_000_000;
const ED25519: &[&str] = &["-t", "ed25519"];

fn signers(text: &str) -> AllowedSigners {
    AllowedSigners::parse(text, "allowed_signers").expect("the allowed-signers file parses")
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

fn accepted_for(kind: &[&str]) {
    let ws = Workspace::new();
    let key = ws.key("key", kind);
    let armored = ws.sign(&key, "git", PAYLOAD);
    let allowed = signers(&format!("alice@example.com {}\n", keygen::public(&key)));
    let verified = verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &allowed);
    assert_eq!(
        verified,
        Ok(Verified {
            signer: "alice@example.com".to_owned(),
            key: keygen::fingerprint(&key),
            format: "ssh",
        })
    );
}

#[test]
fn ed25519_signature_is_accepted() {
    accepted_for(ED25519);
}

#[test]
fn ecdsa_p256_signature_is_accepted() {
    accepted_for(&["-t", "ecdsa", "-b", "256"]);
}

#[test]
fn rsa_signature_is_accepted() {
    accepted_for(&["-t", "rsa", "-b", "2048"]);
}

#[test]
fn payload_changed_by_one_byte_is_invalid() {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let armored = ws.sign(&key, "git", PAYLOAD);
    let allowed = signers(&format!("alice@example.com {}\n", keygen::public(&key)));
    let mut changed = PAYLOAD.to_vec();
    if let Some(last) = changed.last_mut() {
        *last ^= 1;
    }
    let reason = invalid(verify_ssh(&armored, &changed, "git", SIGNED_AT, &allowed));
    assert!(reason.contains("does not verify"), "{reason}");
}

#[test]
fn signature_for_another_namespace_is_invalid() {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let armored = ws.sign(&key, "file", PAYLOAD);
    let allowed = signers(&format!("alice@example.com {}\n", keygen::public(&key)));
    let reason = invalid(verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &allowed));
    assert!(reason.contains("namespace `file`, not `git`"), "{reason}");
}

#[test]
fn garbled_signature_is_invalid() {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let allowed = signers(&format!("alice@example.com {}\n", keygen::public(&key)));
    let armored = ws
        .sign(&key, "git", PAYLOAD)
        .replacen("U1NIU0lH", "U1NIU0lI", 1);
    invalid(verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &allowed));
    invalid(verify_ssh(
        "not a signature",
        PAYLOAD,
        "git",
        SIGNED_AT,
        &allowed,
    ));
}

#[test]
fn key_not_in_the_file_is_not_allowed() {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let other = ws.key("other", ED25519);
    let armored = ws.sign(&key, "git", PAYLOAD);
    let allowed = signers(&format!("alice@example.com {}\n", keygen::public(&other)));
    let reason = not_allowed(verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &allowed));
    assert_eq!(
        reason,
        format!(
            "key {} is not in allowed_signers",
            keygen::fingerprint(&key)
        )
    );
}

#[test]
fn line_for_other_namespaces_is_not_allowed() {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let armored = ws.sign(&key, "git", PAYLOAD);
    let text = format!(
        "# release keys\n\nalice@example.com namespaces=\"file\" {}\n",
        keygen::public(&key)
    );
    let reason = not_allowed(verify_ssh(
        &armored,
        PAYLOAD,
        "git",
        SIGNED_AT,
        &signers(&text),
    ));
    assert!(
        reason.contains("allowed_signers:3 allows namespaces \"file\""),
        "{reason}"
    );

    let text = format!(
        "alice@example.com namespaces=\"file,g*\" {}\n",
        keygen::public(&key)
    );
    assert!(verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &signers(&text)).is_ok());
}

#[test]
fn validity_window_must_cover_the_signing_time() {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let armored = ws.sign(&key, "git", PAYLOAD);
    let public = keygen::public(&key);
    let check = |options: &str| {
        let text = format!("alice@example.com {options} {public}\n");
        verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &signers(&text))
    };

    let reason = not_allowed(check(r#"valid-before="20200101""#));
    assert!(
        reason.contains("valid only until 2020-01-01T00:00:00Z (valid-before)"),
        "{reason}"
    );
    let reason = not_allowed(check(r#"valid-after="20300101Z""#));
    assert!(
        reason.contains("valid only from 2030-01-01T00:00:00Z (valid-after)"),
        "{reason}"
    );
    assert!(check(r#"valid-after="20230101",valid-before="20240101""#).is_ok());
    // Both bounds are inclusive, as in ssh-keygen.
    assert!(check(r#"valid-after="20231114221320""#).is_ok());
    assert!(check(r#"valid-before="20231114221320Z""#).is_ok());
    not_allowed(check(r#"valid-before="20231114221319Z""#));
}

#[test]
fn a_later_line_can_allow_what_an_earlier_one_does_not() {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let armored = ws.sign(&key, "git", PAYLOAD);
    let public = keygen::public(&key);
    let text =
        format!("old@example.com valid-before=\"20200101\" {public}\nnew@example.com {public}\n");
    let verified = verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &signers(&text));
    assert_eq!(verified.map(|v| v.signer), Ok("new@example.com".to_owned()));
}

#[test]
fn wildcard_principals_parse_and_are_reported_as_written() {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let armored = ws.sign(&key, "git", PAYLOAD);
    let text = format!(
        "*@example.com,!mallory@example.com,ci-?? {}\n",
        keygen::public(&key)
    );
    let allowed = signers(&text);
    assert_eq!(
        allowed.signers.first().map(|s| s.principals.clone()),
        Some(vec![
            "*@example.com".to_owned(),
            "!mallory@example.com".to_owned(),
            "ci-??".to_owned()
        ])
    );
    let verified = verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &allowed);
    assert_eq!(
        verified.map(|v| v.signer),
        Ok("*@example.com,!mallory@example.com,ci-??".to_owned())
    );
}

#[test]
fn certificate_signed_by_an_allowed_ca_is_accepted() {
    let ws = Workspace::new();
    let ca = ws.key("ca", ED25519);
    let key = ws.key("key", ED25519);
    let cert = ws.certify(&ca, &key, "alice@example.com,ops", &[]);
    let armored = ws.sign(&cert, "git", PAYLOAD);
    let text = format!("*@example.com cert-authority {}\n", keygen::public(&ca));
    std::fs::write(ws.path("allowed"), &text).expect("write allowed signers");
    let allowed = AllowedSigners::load(&ws.path("allowed")).expect("loads");

    let verified = verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &allowed);
    assert_eq!(
        verified,
        Ok(Verified {
            signer: "alice@example.com".to_owned(),
            key: keygen::fingerprint(&key),
            format: "ssh",
        })
    );
    assert!(ws.ssh_keygen_accepts(
        &ws.path("allowed"),
        "alice@example.com",
        "git",
        &armored,
        PAYLOAD
    ));
}

#[test]
fn certificate_principal_not_matching_the_ca_line_is_not_allowed() {
    let ws = Workspace::new();
    let ca = ws.key("ca", ED25519);
    let key = ws.key("key", ED25519);
    let cert = ws.certify(&ca, &key, "alice@example.com", &[]);
    let armored = ws.sign(&cert, "git", PAYLOAD);
    let text = format!("bob@example.com cert-authority {}\n", keygen::public(&ca));
    std::fs::write(ws.path("allowed"), &text).expect("write allowed signers");
    let allowed = AllowedSigners::load(&ws.path("allowed")).expect("loads");

    let reason = not_allowed(verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &allowed));
    assert!(
        reason.contains("(alice@example.com) matches `bob@example.com`"),
        "{reason}"
    );
    assert!(!ws.ssh_keygen_accepts(
        &ws.path("allowed"),
        "alice@example.com",
        "git",
        &armored,
        PAYLOAD
    ));
}

#[test]
fn certificate_with_forged_principals_is_invalid() {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    let ws = Workspace::new();
    let ca = ws.key("ca", ED25519);
    let key = ws.key("key", ED25519);
    let cert = ws.certify(&ca, &key, "alice@example.com", &[]);
    let armored = ws.sign(&cert, "git", PAYLOAD);
    let allowed = signers(&format!(
        "bobby@example.com cert-authority {}\n",
        keygen::public(&ca)
    ));

    // The sshsig signature covers the payload, not the certificate inside it, so rewriting the
    // certificate's principal (same length) keeps that signature valid: only the CA's
    // signature over the certificate catches it.
    let body: String = armored
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let mut blob = STANDARD.decode(body).expect("base64");
    let at = blob
        .windows(17)
        .position(|w| w == b"alice@example.com")
        .expect("the principal is in the blob");
    blob.splice(at..at + 17, *b"bobby@example.com");
    let forged = format!(
        "-----BEGIN SSH SIGNATURE-----\n{}\n-----END SSH SIGNATURE-----\n",
        STANDARD.encode(&blob)
    );

    let reason = invalid(verify_ssh(&forged, PAYLOAD, "git", SIGNED_AT, &allowed));
    assert!(reason.contains("valid signature by CA"), "{reason}");
}

#[test]
fn certificate_outside_its_validity_is_not_allowed() {
    let ws = Workspace::new();
    let ca = ws.key("ca", ED25519);
    let key = ws.key("key", ED25519);
    let cert = ws.certify(&ca, &key, "alice@example.com", &["-V", "20240101:20250101"]);
    let armored = ws.sign(&cert, "git", PAYLOAD);
    let allowed = signers(&format!(
        "alice@example.com cert-authority {}\n",
        keygen::public(&ca)
    ));

    let reason = not_allowed(verify_ssh(&armored, PAYLOAD, "git", SIGNED_AT, &allowed));
    assert!(reason.contains("is valid from"), "{reason}");
    // Inside the window the same signature is fine (the window's bounds are local times in
    // ssh-keygen, so probe well inside it).
    assert!(verify_ssh(&armored, PAYLOAD, "git", 1_720_000_000, &allowed).is_ok());
}

#[test]
fn certificate_signature_needs_a_cert_authority_line() {
    let ws = Workspace::new();
    let ca = ws.key("ca", ED25519);
    let key = ws.key("key", ED25519);
    let cert = ws.certify(&ca, &key, "alice@example.com", &[]);
    let armored = ws.sign(&cert, "git", PAYLOAD);

    // The CA's key without `cert-authority`, or the certified key itself, is not enough:
    // ssh-keygen matches certificates only against CA lines.
    let text = format!(
        "alice@example.com {}\nalice@example.com {}\n",
        keygen::public(&ca),
        keygen::public(&key)
    );
    let reason = not_allowed(verify_ssh(
        &armored,
        PAYLOAD,
        "git",
        SIGNED_AT,
        &signers(&text),
    ));
    assert!(
        reason.contains("which is not a cert-authority in allowed_signers"),
        "{reason}"
    );
}

#[test]
fn ca_key_signing_directly_is_not_allowed() {
    let ws = Workspace::new();
    let ca = ws.key("ca", ED25519);
    let armored = ws.sign(&ca, "git", PAYLOAD);
    let text = format!("alice@example.com cert-authority {}\n", keygen::public(&ca));
    let reason = not_allowed(verify_ssh(
        &armored,
        PAYLOAD,
        "git",
        SIGNED_AT,
        &signers(&text),
    ));
    assert!(
        reason.contains("allowed_signers:1 only as a cert-authority"),
        "{reason}"
    );
}

#[test]
fn comments_and_blank_lines_are_skipped_and_lines_kept() {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let public = keygen::public(&key);
    let text = format!(
        "# maintainers\n\n   \n\t# indented comment\r\nalice@example.com {public}\r\n\n\"bob@example.com\" namespaces=\"git\",cert-authority {public} bob's CA\n"
    );
    let allowed = signers(&text);
    let lines: Vec<(u32, bool)> = allowed
        .signers
        .iter()
        .map(|s| (s.line, s.cert_authority))
        .collect();
    assert_eq!(lines, [(5, false), (7, true)]);
    assert_eq!(allowed.path, "allowed_signers");
}

/// The line and message of the parse error for `bad`, put on line 4 after a comment, a blank
/// line and a good line.
fn parse_error(bad: &str) -> (u32, String) {
    let ws = Workspace::new();
    let key = ws.key("key", ED25519);
    let public = keygen::public(&key);
    let bad = bad.replace("KEY", &public);
    let text = format!("# signers\n\nalice@example.com {public}\n{bad}\n");
    match AllowedSigners::parse(&text, "signers.txt") {
        Err(SignError::Parse {
            path,
            line,
            message,
        }) => {
            assert_eq!(path, "signers.txt");
            (line, message)
        }
        other => panic!("expected a parse error for {bad:?}, got {other:?}"),
    }
}

#[test]
fn each_malformed_line_kind_is_reported_at_its_line() {
    let cases = [
        ("bob@example.com ssh-ed25519 AAAAnotakey", "does not parse"),
        ("bob@example.com ssh-ed25519", "base64 key data must follow"),
        ("bob@example.com trusted KEY", "unknown option `trusted`"),
        (
            "bob@example.com valid-after=\"2024-01-01\" KEY",
            "bad `valid-after` time",
        ),
        (
            "bob@example.com valid-before=\"20241301\" KEY",
            "bad `valid-before` time",
        ),
        (
            "bob@example.com valid-after=20240101 KEY",
            "must be in double quotes",
        ),
        (
            "bob@example.com namespaces=\"git\"",
            "a key must follow the options",
        ),
        ("bob@example.com", "a key must follow the principals"),
        ("\"bob@example.com KEY", "no closing quote"),
        ("KEY", "principals are missing"),
        (
            "bob@example.com cert-authority ssh-ed25519-cert-v01@openssh.com AAAA",
            "is a certificate",
        ),
    ];
    for (bad, expected) in cases {
        let (line, message) = parse_error(bad);
        assert_eq!(line, 4, "{bad}: {message}");
        assert!(message.contains(expected), "{bad}: {message}");
    }
}

#[test]
fn parse_error_displays_path_and_line() {
    let err = AllowedSigners::parse(
        "\n\nalice@example.com bogus-option ssh-ed25519 AAAA\n",
        "as",
    )
    .expect_err("bad option");
    assert!(
        err.to_string()
            .starts_with("as:3: unknown option `bogus-option`"),
        "{err}"
    );
}

#[test]
fn missing_file_is_a_read_error() {
    let ws = Workspace::new();
    let missing = ws.path("absent");
    match AllowedSigners::load(&missing) {
        Err(SignError::Read { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected a read error, got {other:?}"),
    }
}
