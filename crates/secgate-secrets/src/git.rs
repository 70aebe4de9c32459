//! The git processes a commit scan needs: one-shot commands, and one long-lived
//! `git cat-file --batch` that reads every blob.

use crate::SecretsError;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// A git command in `repo` with the environment that could change its output removed.
fn command(repo: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(repo)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The outcome of a one-shot git command: stdout, or stderr when it failed.
pub(crate) fn run(repo: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, SecretsError> {
    let mut child = command(repo)
        .args(args)
        .spawn()
        .map_err(SecretsError::GitMissing)?;
    // git never reads stdin for these commands; closing it makes sure it cannot wait on it.
    drop(child.stdin.take());
    let out = child.wait_with_output().map_err(SecretsError::GitMissing)?;
    if out.status.success() {
        Ok(Ok(out.stdout))
    } else {
        Ok(Err(String::from_utf8_lossy(&out.stderr).trim().to_owned()))
    }
}

/// Like [`run`], with a failure as [`SecretsError::Git`].
pub(crate) fn run_ok(repo: &Path, args: &[&str]) -> Result<Vec<u8>, SecretsError> {
    run(repo, args)?.map_err(|stderr| SecretsError::Git {
        command: args.join(" "),
        stderr,
    })
}

/// A blob as `cat-file` gave it.
pub(crate) enum Blob {
    Content(Vec<u8>),
    TooLarge,
    Missing,
}

/// One `git cat-file --batch` process, asked for one object at a time.
pub(crate) struct CatFile {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

fn broken(e: &std::io::Error) -> SecretsError {
    SecretsError::Git {
        command: "cat-file --batch".to_owned(),
        stderr: e.to_string(),
    }
}

impl CatFile {
    /// Starts the process.
    pub(crate) fn start(repo: &Path) -> Result<Self, SecretsError> {
        let mut child = command(repo)
            .args(["cat-file", "--batch"])
            .stderr(Stdio::piped())
            .spawn()
            .map_err(SecretsError::GitMissing)?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(SecretsError::Git {
                command: "cat-file --batch".to_owned(),
                stderr: "no pipes to the process".to_owned(),
            });
        };
        Ok(CatFile {
            child,
            stdin: BufWriter::new(stdin),
            stdout: BufReader::new(stdout),
        })
    }

    /// The blob `oid`, unless it is larger than `max_size` bytes.
    pub(crate) fn blob(&mut self, oid: &str, max_size: u64) -> Result<Blob, SecretsError> {
        writeln!(self.stdin, "{oid}").map_err(|e| broken(&e))?;
        self.stdin.flush().map_err(|e| broken(&e))?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).map_err(|e| broken(&e))?;
        let mut fields = header.split_whitespace();
        let (_, kind, size) = (fields.next(), fields.next(), fields.next());
        let Some(size) = size.and_then(|s| s.parse::<u64>().ok()) else {
            return Ok(Blob::Missing);
        };
        // The content is followed by one newline, which must be consumed too.
        let mut content = Vec::new();
        if size > max_size || kind != Some("blob") {
            std::io::copy(&mut (&mut self.stdout).take(size + 1), &mut std::io::sink())
                .map_err(|e| broken(&e))?;
            return Ok(Blob::TooLarge);
        }
        (&mut self.stdout)
            .take(size + 1)
            .read_to_end(&mut content)
            .map_err(|e| broken(&e))?;
        content.pop();
        Ok(Blob::Content(content))
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Closing stdin ends the process; wait so it never lingers as a zombie.
        let _ = self.stdin.flush();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
