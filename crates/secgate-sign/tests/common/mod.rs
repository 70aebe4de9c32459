//! What the git tag and commit tests share: a sandbox (a temporary home with its own empty git
//! config and gpg home directory) in which real `git`, `ssh-keygen` and `gpg` make repositories,
//! throwaway keys and signed objects. Nothing is written outside the sandbox; its gpg-agent is
//! stopped when it is dropped.
#![allow(dead_code)] // each test file uses a different part of these helpers

use secgate_core::Location;
use secgate_sign::openpgp::Keyring;
use secgate_sign::ssh::AllowedSigners;
use secgate_sign::{Trust, TrustContext};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A throwaway SSH key.
pub struct SshKey {
    /// The private key file (what `user.signingKey` names).
    pub private: PathBuf,
    /// The public key line, `ssh-ed25519 AAAA... comment`.
    pub public: String,
    /// `SHA256:...`.
    pub fingerprint: String,
}

/// A throwaway OpenPGP key in the sandbox's gpg home directory.
pub struct GpgKey {
    /// Uppercase hex fingerprint of the primary (and only, signing) key.
    pub fingerprint: String,
    /// A `gpg.program` wrapper that signs at a faked time, for keys made in the past.
    pub program: Option<PathBuf>,
}

/// How a commit or tag is signed.
pub enum Signer<'a> {
    /// Not at all.
    Unsigned,
    /// `gpg.format = ssh`.
    Ssh(&'a SshKey),
    /// OpenPGP through gpg.
    Gpg(&'a GpgKey),
}

/// A temporary home for git, ssh-keygen and gpg.
pub struct Sandbox {
    dir: tempfile::TempDir,
    gnupg: PathBuf,
}

impl Sandbox {
    /// A fresh sandbox with an empty global git config and an empty gpg home directory.
    pub fn new() -> Self {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let gnupg = dir.path().join("gnupg");
        std::fs::create_dir(&gnupg).expect("gnupg dir");
        set_private(&gnupg);
        std::fs::write(dir.path().join("gitconfig"), "").expect("gitconfig");
        Sandbox { dir, gnupg }
    }

    /// The sandbox directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `program args` in the sandbox environment, in `cwd`; panics with its stderr on failure.
    pub fn run(&self, cwd: &Path, program: &str, args: &[&str], input: &[u8]) -> String {
        let output = self.try_run(cwd, program, args, input);
        assert!(
            output.status.success(),
            "`{program} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_owned()
    }

    /// Like [`Sandbox::run`], returning the output whatever the status.
    pub fn try_run(&self, cwd: &Path, program: &str, args: &[&str], input: &[u8]) -> Output {
        let home = self.path();
        let mut child = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .env("HOME", home)
            .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GNUPGHOME", &self.gnupg)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            // Pipes, not `Stdio::null()`: `/dev/null` is not a device in every sandbox.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input).expect("write stdin");
        drop(stdin);
        child.wait_with_output().expect("wait")
    }

    /// `git args` in `repo`.
    pub fn git(&self, repo: &Path, args: &[&str]) -> String {
        self.run(repo, "git", args, b"")
    }

    /// A new repository `name` with Alice as user.
    pub fn repo(&self, name: &str) -> PathBuf {
        let repo = self.path().join(name);
        self.git(self.path(), &["init", "-q", "-b", "main", name]);
        self.git(&repo, &["config", "user.name", "Alice"]);
        self.git(&repo, &["config", "user.email", "alice@example.com"]);
        repo
    }

    /// Commits a new file named after `message`, signed by `signer`; the new commit id. One
    /// file per commit, so that branches merge without conflicts.
    pub fn commit(&self, repo: &Path, message: &str, signer: &Signer<'_>) -> String {
        let name: String = message
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let file = format!("{name}.txt");
        std::fs::write(repo.join(&file), format!("{message}\n")).expect("write file");
        self.git(repo, &["add", &file]);
        self.signed(repo, signer, &["commit", "-q", "-m", message]);
        self.git(repo, &["rev-parse", "HEAD"])
    }

    /// Runs a git command that signs (`commit`, `tag -s`, `merge -S`) with `signer`'s key; an
    /// unsigned signer runs it as given.
    pub fn signed(&self, repo: &Path, signer: &Signer<'_>, args: &[&str]) -> String {
        let mut all: Vec<String> = Vec::new();
        match signer {
            Signer::Unsigned => {}
            Signer::Ssh(key) => {
                all.extend(["-c".into(), "gpg.format=ssh".into(), "-c".into()]);
                all.push(format!("user.signingKey={}", key.private.display()));
            }
            Signer::Gpg(key) => {
                all.extend(["-c".into(), format!("user.signingKey={}", key.fingerprint)]);
                if let Some(program) = &key.program {
                    all.extend(["-c".into(), format!("gpg.program={}", program.display())]);
                }
            }
        }
        all.extend(args.iter().map(|a| (*a).to_owned()));
        if !matches!(signer, Signer::Unsigned) && args.first() == Some(&"commit") {
            all.push("-S".into());
        }
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        self.git(repo, &all)
    }

    /// Makes the annotated tag `name` on HEAD, signed by `signer` (`-a` when unsigned).
    pub fn tag(&self, repo: &Path, name: &str, message: &str, signer: &Signer<'_>) {
        let flag = if matches!(signer, Signer::Unsigned) {
            "-a"
        } else {
            "-s"
        };
        self.signed(repo, signer, &["tag", flag, "-m", message, name]);
    }

    /// A new ed25519 SSH key without passphrase.
    pub fn ssh_key(&self, name: &str) -> SshKey {
        let private = self.path().join(name);
        let path = private.to_str().expect("utf-8 path");
        self.run(
            self.path(),
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path],
            b"",
        );
        let public = std::fs::read_to_string(private.with_extension("pub")).expect("public key");
        let listing = self.run(
            self.path(),
            "ssh-keygen",
            &["-l", "-f", &format!("{path}.pub")],
            b"",
        );
        let fingerprint = listing
            .split_whitespace()
            .nth(1)
            .expect("fingerprint")
            .to_owned();
        SshKey {
            private,
            public: public.trim().to_owned(),
            fingerprint,
        }
    }

    /// `gpg --batch` in the sandbox's gpg home directory.
    pub fn gpg(&self, args: &[&str]) -> String {
        let mut all = vec!["--batch", "--pinentry-mode", "loopback", "--passphrase", ""];
        all.extend(args);
        self.run(self.path(), "gpg", &all, b"")
    }

    /// A new ed25519 signing key for `uid`, valid for a year.
    pub fn gpg_key(&self, uid: &str) -> GpgKey {
        self.gpg(&["--quick-gen-key", uid, "ed25519", "sign", "1y"]);
        GpgKey {
            fingerprint: self.gpg_fingerprint(uid),
            program: None,
        }
    }

    /// A key for `uid` made on 2020-01-01 that expired a day later; git signs with it through
    /// a gpg that believes it is 2020-01-01 06:00.
    pub fn expired_gpg_key(&self, uid: &str) -> GpgKey {
        let faked = ["--faked-system-time", "20200101T000000"];
        self.gpg(
            &[
                &faked[..],
                &["--quick-gen-key", uid, "ed25519", "sign", "1d"],
            ]
            .concat(),
        );
        let program = self.path().join("gpg-in-2020");
        let script = "#!/bin/sh\nexec gpg --faked-system-time 20200101T060000 \"$@\"\n";
        std::fs::write(&program, script).expect("gpg wrapper");
        set_executable(&program);
        GpgKey {
            fingerprint: self.gpg_fingerprint(uid),
            program: Some(program),
        }
    }

    /// Revokes `key` with the revocation certificate gpg made with it.
    pub fn revoke_gpg_key(&self, key: &GpgKey) {
        let file = self
            .gnupg
            .join("openpgp-revocs.d")
            .join(format!("{}.rev", key.fingerprint));
        let text = std::fs::read_to_string(&file).expect("revocation certificate");
        // gpg stores it defused: a `:` in front of the armor line.
        let armed = text.replace(
            ":-----BEGIN PGP PUBLIC KEY BLOCK-----",
            "-----BEGIN PGP PUBLIC KEY BLOCK-----",
        );
        let path = self.path().join("revocation.asc");
        std::fs::write(&path, armed).expect("write revocation");
        self.gpg(&["--import", path.to_str().expect("utf-8 path")]);
    }

    fn gpg_fingerprint(&self, uid: &str) -> String {
        let listing = self.gpg(&["--with-colons", "--list-keys", uid]);
        listing
            .lines()
            .find_map(|line| line.strip_prefix("fpr:::::::::"))
            .and_then(|rest| rest.split(':').next())
            .expect("fingerprint")
            .to_owned()
    }

    /// The armored public keys `keys`, exported to a file and loaded as a keyring.
    pub fn keyring(&self, keys: &[&GpgKey]) -> Keyring {
        let path = self.path().join("release-keys.asc");
        let mut args = vec!["--armor", "--export"];
        args.extend(keys.iter().map(|k| k.fingerprint.as_str()));
        let armored = self.gpg(&args);
        std::fs::write(&path, armored).expect("write keys");
        Keyring::load(&[path.as_path()]).unwrap_or_else(|e| panic!("keyring: {e}"))
    }

    /// An allowed-signers file with `text`, loaded.
    pub fn allowed_signers(&self, text: &str) -> AllowedSigners {
        let path = self.path().join("allowed_signers");
        std::fs::write(&path, text).expect("write allowed signers");
        AllowedSigners::load(&path).unwrap_or_else(|e| panic!("allowed signers: {e}"))
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Only when gpg ever ran here, which started an agent; gpgconf's own failure is moot.
        if self.gnupg.join("pubring.kbx").exists() {
            let home = self.gnupg.to_string_lossy().into_owned();
            let _ = self.try_run(
                self.path(),
                "gpgconf",
                &["--homedir", &home, "--kill", "gpg-agent"],
                b"",
            );
        }
    }
}

/// A trust context over `trust`, now, pointing at `secgate.toml`.
pub fn context(trust: &Trust) -> TrustContext<'_> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    TrustContext {
        trust,
        location: Location::new("secgate.toml", 12, 1),
        now: i64::try_from(now).expect("time fits"),
    }
}

/// Trust in SSH signers only.
pub fn ssh_trust(signers: AllowedSigners) -> Trust {
    Trust {
        allowed_signers: Some(signers),
        openpgp: None,
    }
}

/// Trust in OpenPGP keys only.
pub fn openpgp_trust(keyring: Keyring) -> Trust {
    Trust {
        allowed_signers: None,
        openpgp: Some(keyring),
    }
}

fn set_private(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
}

fn set_executable(file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}
