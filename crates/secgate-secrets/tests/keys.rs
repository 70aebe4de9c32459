//! Private keys generated at test time by the real tools (`ssh-keygen`, `openssl`, `gpg`), so
//! no key is ever committed: each is found at its header with the right rule id, and only the
//! header is shown.

mod common;

use common::{assert_masked, scan, summary, tool};
use std::path::Path;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("generated key is text")
}

/// (file name, key text) for an OpenSSH ed25519 key, a PKCS#8 key, a traditional RSA key and an
/// OpenPGP secret key block.
fn generate(dir: &Path) -> Vec<(&'static str, String)> {
    tool(
        dir,
        "ssh-keygen",
        &[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "ci",
            "-f",
            "id_ed25519",
        ],
        &[],
    );
    tool(
        dir,
        "openssl",
        &["genpkey", "-algorithm", "ed25519", "-out", "pkcs8.pem"],
        &[],
    );
    tool(
        dir,
        "openssl",
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:1024",
            "-out",
            "rsa8.pem",
        ],
        &[],
    );
    tool(
        dir,
        "openssl",
        &["rsa", "-in", "rsa8.pem", "-traditional", "-out", "rsa.pem"],
        &[],
    );
    let home = dir.join("gnupg");
    std::fs::create_dir(&home).expect("mkdir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    }
    let env = [("GNUPGHOME", home.as_path())];
    tool(
        dir,
        "gpg",
        &[
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "CI Test <ci@example.invalid>",
            "ed25519",
            "sign",
            "never",
        ],
        &env,
    );
    let pgp = tool(
        dir,
        "gpg",
        &["--batch", "--armor", "--export-secret-keys"],
        &env,
    );
    vec![
        ("id_ed25519", read(&dir.join("id_ed25519"))),
        ("pkcs8.pem", read(&dir.join("pkcs8.pem"))),
        ("rsa.pem", read(&dir.join("rsa.pem"))),
        ("secret.asc", String::from_utf8(pgp).expect("armor is text")),
    ]
}

#[test]
fn generated_private_keys_are_found_at_their_header() {
    let work = tempfile::tempdir().expect("temp dir");
    let keys = generate(work.path());
    let repo = tempfile::tempdir().expect("temp dir");
    for (name, key) in &keys {
        std::fs::write(repo.path().join(name), key).expect("write");
    }
    // One key indented inside YAML, after other lines, as it is pasted into CI configs.
    let ssh = &keys[0].1;
    let indented: String = ssh.lines().map(|l| ["    ", l, "\n"].concat()).collect();
    std::fs::write(
        repo.path().join("deploy.yml"),
        format!("server:\n  host: example.invalid\n  key: |\n{indented}"),
    )
    .expect("write");
    let scan = scan(repo.path());
    assert_eq!(
        summary(&scan.findings),
        [
            "deploy.yml:4:5 private-key openssh-private-key",
            "id_ed25519:1:1 private-key openssh-private-key",
            "pkcs8.pem:1:1 private-key pem-private-key",
            "rsa.pem:1:1 private-key pem-private-key",
            "secret.asc:1:1 private-key pgp-private-key",
        ]
    );
    for (_, key) in &keys {
        let body = key.lines().max_by_key(|l| l.len()).expect("a body line");
        assert!(!body.starts_with("-----"), "{body}");
        assert_masked(&scan.findings, body);
    }
    let pgp = scan.findings.last().expect("found");
    assert!(
        pgp.message
            .contains("`-----BEGIN PGP PRIVATE KEY BLOCK-----`"),
        "{}",
        pgp.message
    );
    assert!(
        pgp.message
            .contains(&secgate_secrets::fingerprint(keys[3].1.trim_end()))
    );
}

#[test]
fn a_public_key_beside_it_is_not_a_finding() {
    let work = tempfile::tempdir().expect("temp dir");
    tool(
        work.path(),
        "ssh-keygen",
        &["-q", "-t", "ed25519", "-N", "", "-f", "k"],
        &[],
    );
    tool(
        work.path(),
        "openssl",
        &["genpkey", "-algorithm", "ed25519", "-out", "k.pem"],
        &[],
    );
    tool(
        work.path(),
        "openssl",
        &["pkey", "-in", "k.pem", "-pubout", "-out", "k.pub.pem"],
        &[],
    );
    std::fs::remove_file(work.path().join("k")).expect("rm");
    std::fs::remove_file(work.path().join("k.pem")).expect("rm");
    let scan = scan(work.path());
    assert_eq!(summary(&scan.findings), Vec::<String>::new());
    assert_eq!(scan.files, 2);
}
