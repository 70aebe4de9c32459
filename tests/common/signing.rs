//! Throwaway git repositories and signing keys for the signature gate's end-to-end tests: real
//! `git`, `ssh-keygen` and `gpg`, everything inside one temp dir, no agent of the user's, no
//! network.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A temp dir holding a repository (`repo/`), keys (`keys/`) and private homes for git and
/// gpg.
pub struct Lab {
    pub dir: tempfile::TempDir,
}

impl Drop for Lab {
    fn drop(&mut self) {
        // gpg starts an agent for its home; stop it so no process outlives the test.
        if self.gnupg().is_dir() {
            let _ = Command::new("gpgconf")
                .arg("--homedir")
                .arg(self.gnupg())
                .args(["--kill", "gpg-agent"])
                .stdin(Stdio::piped())
                .output();
        }
    }
}

impl Lab {
    /// A lab with an empty repository that has one commit (`README`).
    pub fn new() -> Lab {
        let dir = tempfile::Builder::new().prefix("sg").tempdir().unwrap();
        let lab = Lab { dir };
        std::fs::create_dir_all(lab.repo()).unwrap();
        std::fs::create_dir_all(lab.keys()).unwrap();
        lab.git(&["init", "-q", "-b", "main"]);
        lab.commit("README", "hello\n", "first commit", None);
        lab
    }

    pub fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    pub fn keys(&self) -> PathBuf {
        self.dir.path().join("keys")
    }

    pub fn gnupg(&self) -> PathBuf {
        self.dir.path().join("gnupg")
    }

    /// Runs git in the repository with a private configuration; panics when git fails.
    pub fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(self.repo())
            .env("HOME", self.dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.dir.path().join("gitconfig"))
            .env("GNUPGHOME", self.gnupg())
            .env("GIT_AUTHOR_NAME", "Alice")
            .env("GIT_AUTHOR_EMAIL", "alice@example.com")
            .env("GIT_COMMITTER_NAME", "Alice")
            .env("GIT_COMMITTER_EMAIL", "alice@example.com")
            .stdin(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// Writes `file` and commits it, signed with `signing` (git `-c` options) when given.
    pub fn commit(
        &self,
        file: &str,
        text: &str,
        message: &str,
        signing: Option<&[String]>,
    ) -> String {
        std::fs::write(self.repo().join(file), text).unwrap();
        self.git(&["add", file]);
        let mut args: Vec<String> = signing.map(<[String]>::to_vec).unwrap_or_default();
        args.extend(["commit".into(), "-q".into(), "-m".into(), message.into()]);
        if signing.is_some() {
            args.push("-S".into());
        }
        self.git(&args.iter().map(String::as_str).collect::<Vec<_>>());
        self.git(&["rev-parse", "HEAD"])
    }

    /// Creates an SSH ed25519 key `keys/<name>`; returns the git `-c` options that sign with it.
    pub fn ssh_key(&self, name: &str) -> Vec<String> {
        let key = self.keys().join(name);
        let out = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&key)
            .stdin(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "ssh-keygen: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        vec![
            "-c".into(),
            "gpg.format=ssh".into(),
            "-c".into(),
            format!("user.signingKey={}", key.display()),
        ]
    }

    /// The public key line of `keys/<name>`.
    pub fn ssh_public(&self, name: &str) -> String {
        std::fs::read_to_string(self.keys().join(format!("{name}.pub")))
            .unwrap()
            .trim()
            .to_owned()
    }

    /// Writes an allowed-signers file trusting `principal` with the key `name`; returns its path.
    pub fn allowed_signers(&self, file: &Path, lines: &[(&str, &str, &str)]) -> PathBuf {
        let text: Vec<String> = lines
            .iter()
            .map(|(principal, options, key)| {
                format!("{principal} {options} {}", self.ssh_public(key))
            })
            .collect();
        let text = text.join("\n") + "\n";
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(file, text).unwrap();
        file.to_owned()
    }

    /// Runs gpg in the lab's home; panics when it fails.
    pub fn gpg(&self, args: &[&str]) -> String {
        std::fs::create_dir_all(self.gnupg()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(self.gnupg(), std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let out = Command::new("gpg")
            .arg("--homedir")
            .arg(self.gnupg())
            .args(["--batch", "--pinentry-mode", "loopback", "--passphrase", ""])
            .args(args)
            .stdin(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "gpg {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Creates an OpenPGP signing key for `uid`, exports it armored to `keys/<file>`; returns
    /// the git `-c` option that signs with it.
    pub fn gpg_key(&self, uid: &str, file: &str) -> Vec<String> {
        self.gpg(&["--quick-gen-key", uid, "ed25519", "sign", "1y"]);
        let listing = self.gpg(&["--with-colons", "--list-keys", uid]);
        let fpr = listing
            .lines()
            .find_map(|l| l.strip_prefix("fpr:"))
            .and_then(|l| l.split(':').find(|f| f.len() == 40))
            .unwrap()
            .to_owned();
        let armored = self.gpg(&["--armor", "--export", &fpr]);
        std::fs::write(self.keys().join(file), armored).unwrap();
        vec!["-c".into(), format!("user.signingKey={fpr}")]
    }
}
