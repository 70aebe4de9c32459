//! Property tests of the SSH and OpenPGP parsers: any `allowed_signers` text, sshsig armored
//! signature, armored OpenPGP key or detached signature, however damaged, is parsed or refused
//! with a typed error or rejection; never a panic, in bounded time. Seeds are real keys and
//! signatures `ssh-keygen` and `gpg` make once per test binary in a throwaway sandbox.

mod common;
// One copy of the property-test helpers, kept with the advisories crate's tests.
#[path = "../../secgate-advisories/tests/prop_common/mod.rs"]
mod prop_common;

use common::Sandbox;
use prop_common::{apply, config, mutations, noise, timed};
use proptest::prelude::*;
use secgate_sign::openpgp::{Keyring, verify_openpgp};
use secgate_sign::ssh::{AllowedSigners, verify_ssh};
use std::sync::LazyLock;

/// What was signed.
const PAYLOAD: &[u8] =
    b"object 0123456789abcdef0123456789abcdef01234567\ntype commit\ntag v1.0.0\n";

/// 2030-01-01: inside the validity windows of the `allowed_signers` seed.
const NOW: i64 = 1_893_456_000;

/// The present: the OpenPGP key is valid for a year from when the test made it.
fn now() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since_epoch.as_secs()).expect("seconds fit in i64")
}

/// Real signing material, made once.
struct Material {
    allowed_signers: String,
    ssh_signature: String,
    pgp_key: String,
    pgp_signature: String,
}

static MATERIAL: LazyLock<Material> = LazyLock::new(|| {
    let sandbox = Sandbox::new();
    let key = sandbox.ssh_key("signer");
    let private = key.private.to_str().expect("utf-8 path");
    let ssh_signature = sandbox.run(
        sandbox.path(),
        "ssh-keygen",
        &["-Y", "sign", "-n", "git", "-f", private],
        PAYLOAD,
    );
    let allowed_signers = format!(
        "dev@example.com namespaces=\"git\" {}\n\
         *@example.org,!bad@example.org cert-authority,valid-after=\"20200101\",valid-before=\"20991231Z\" {}\n\
         # a comment\n\n\"quoted name\" {}\n",
        key.public, key.public, key.public
    );
    let gpg = sandbox.gpg_key("Release <release@example.com>");
    let pgp_key = sandbox.gpg(&["--armor", "--export", &gpg.fingerprint]);
    let pgp_signature = sandbox.run(
        sandbox.path(),
        "gpg",
        &[
            "--batch",
            "--armor",
            "--detach-sign",
            "-u",
            &gpg.fingerprint,
        ],
        PAYLOAD,
    );
    Material {
        allowed_signers,
        ssh_signature,
        pgp_key,
        pgp_signature,
    }
});

fn mutate_text(seed: &str, edits: &[prop_common::Mutation]) -> String {
    String::from_utf8_lossy(&apply(seed.as_bytes(), edits)).into_owned()
}

/// Parses `signers` and, when it parses, verifies `signature` against it.
fn check_ssh(signers: &str, signature: &str) {
    let parsed = timed("parsing allowed_signers", || {
        AllowedSigners::parse(signers, "allowed_signers")
    });
    let fallback;
    let signers = if let Ok(s) = &parsed {
        s
    } else {
        fallback = AllowedSigners::parse(&MATERIAL.allowed_signers, "allowed_signers")
            .expect("the real allowed_signers parses");
        &fallback
    };
    timed("verifying an SSH signature", || {
        let _ = verify_ssh(signature, PAYLOAD, "git", NOW, signers);
    });
}

/// Loads `key` and verifies `signature` against it (or against the real key when it fails).
fn check_openpgp(key: &[u8], signature: &str) {
    let mut keyring = Keyring::default();
    let added = timed("reading an OpenPGP key", || keyring.add("key.asc", key));
    if added.is_err() {
        keyring = Keyring::default();
        keyring
            .add("key.asc", MATERIAL.pgp_key.as_bytes())
            .expect("the real key loads");
    }
    timed("verifying an OpenPGP signature", || {
        let _ = verify_openpgp(signature, PAYLOAD, now(), &keyring);
    });
}

const ARMOR_NESTING: &[&str] = &[
    "-----BEGIN SSH SIGNATURE-----\n",
    "=",
    "AAAA",
    "\n",
    "-----",
];
const SIGNERS_NESTING: &[&str] = &["\"", ",", "namespaces=\"", "*", "!", "ssh-ed25519 "];
const PGP_NESTING: &[&str] = &["-----BEGIN PGP SIGNATURE-----\n", "mQ", "=", "\n", "wsB"];

proptest! {
    #![proptest_config(config(0x5EC6_0551))]

    #[test]
    fn mutated_ssh_material_is_parsed_or_refused(
        signers_edits in mutations(SIGNERS_NESTING, 3),
        signature_edits in mutations(ARMOR_NESTING, 3),
    ) {
        let m = &*MATERIAL;
        check_ssh(&mutate_text(&m.allowed_signers, &signers_edits), &m.ssh_signature);
        check_ssh(&m.allowed_signers, &mutate_text(&m.ssh_signature, &signature_edits));
    }

    #[test]
    fn arbitrary_ssh_material_is_parsed_or_refused(
        signers in noise("\"*,!= @namespaces"),
        signature in noise("-BEGIN SSH SIGNATURE=\nA+/"),
    ) {
        check_ssh(&String::from_utf8_lossy(&signers), &String::from_utf8_lossy(&signature));
    }

    #[test]
    fn mutated_openpgp_material_is_parsed_or_refused(
        key_edits in mutations(PGP_NESTING, 3),
        signature_edits in mutations(PGP_NESTING, 3),
    ) {
        let m = &*MATERIAL;
        check_openpgp(&apply(m.pgp_key.as_bytes(), &key_edits), &m.pgp_signature);
        check_openpgp(m.pgp_key.as_bytes(), &mutate_text(&m.pgp_signature, &signature_edits));
    }

    #[test]
    fn arbitrary_openpgp_material_is_parsed_or_refused(
        key in noise("-BEGIN PGP PUBLIC KEY BLOCK=\nmQ+/"),
        signature in noise("-BEGIN PGP SIGNATURE=\nwsB+/"),
    ) {
        check_openpgp(&key, &String::from_utf8_lossy(&signature));
    }
}

#[test]
fn the_real_material_verifies() {
    // The seeds are only worth mutating if the unmutated material is accepted.
    let m = &*MATERIAL;
    let signers = AllowedSigners::parse(&m.allowed_signers, "allowed_signers").unwrap();
    verify_ssh(&m.ssh_signature, PAYLOAD, "git", NOW, &signers).expect("ssh signature verifies");
    let mut keyring = Keyring::default();
    keyring.add("key.asc", m.pgp_key.as_bytes()).unwrap();
    verify_openpgp(&m.pgp_signature, PAYLOAD, now(), &keyring).expect("openpgp signature verifies");
}
