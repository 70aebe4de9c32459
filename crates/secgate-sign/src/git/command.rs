//! Running the `git` binary in a repository and turning its failures into [`SignError::Git`].

use crate::SignError;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `git -C <dir> <args>`, never prompting, with every stream piped.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .args(args)
        // A gate in CI must fail, not hang on a credential or pager prompt.
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        // Pipes rather than `Stdio::null()`: an empty pipe is empty even where `/dev/null` is
        // not a device (some sandboxes).
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs git with `input` on its stdin (written from another thread, so that a git that
/// answers while it reads — `cat-file --batch` — never blocks on a full stdout pipe).
pub(super) fn run_with_input(
    dir: &Path,
    args: &[&str],
    input: Vec<u8>,
) -> Result<Output, SignError> {
    let mut child = command(dir, args).spawn().map_err(|e| spawn_error(&e))?;
    let writer = child.stdin.take().map(|mut stdin| {
        std::thread::spawn(move || {
            // A git that exits early closes the pipe; its exit status tells why.
            let _ = stdin.write_all(&input);
        })
    });
    let output = child.wait_with_output();
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    output.map_err(|e| SignError::Git(format!("cannot run `git {}`: {e}", args.join(" "))))
}

/// Runs git with an empty stdin.
pub(super) fn run(dir: &Path, args: &[&str]) -> Result<Output, SignError> {
    run_with_input(dir, args, Vec::new())
}

/// Runs git and returns its stdout; a non-zero exit is an error that says what failed in
/// which directory, with git's own message.
pub(super) fn stdout(dir: &Path, args: &[&str]) -> Result<Vec<u8>, SignError> {
    let output = run(dir, args)?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(failed(dir, args, &output))
    }
}

/// The error for a git command that exited non-zero.
pub(super) fn failed(dir: &Path, args: &[&str], output: &Output) -> SignError {
    let subcommand = args.first().copied().unwrap_or_default();
    SignError::Git(format!(
        "`git {subcommand}` failed in {}: {}",
        dir.display(),
        stderr_message(output)
    ))
}

/// git's error message, on one line.
pub(super) fn stderr_message(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        format!("git exited with {}", output.status)
    } else {
        lines.join("; ")
    }
}

/// Why git could not be started at all.
fn spawn_error(e: &std::io::Error) -> SignError {
    if e.kind() == std::io::ErrorKind::NotFound {
        SignError::Git(
            "git is required to verify tags and commits, but no `git` was found on PATH".to_owned(),
        )
    } else {
        SignError::Git(format!("cannot run git: {e}"))
    }
}

/// The non-empty lines of a command's output.
pub(super) fn output_lines(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}
