//! The fail-closed review: every situation where secgate cannot check exits 2 with one clear
//! `error:` line on standard error, never 0 and never a silent pass.

mod common;

use common::{corpus, rustsec_db, s, shared};
use std::ffi::OsStr;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// What one run did.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `secgate args` in `cwd`, offline, with its cache in `cache` and no `SECGATE_*` settings
/// from outside; `setup` adjusts the command before it runs.
fn secgate(cwd: &Path, cache: &Path, args: &[&OsStr], setup: impl FnOnce(&mut Command)) -> Outcome {
    run_program(
        Path::new(env!("CARGO_BIN_EXE_secgate")),
        cwd,
        cache,
        args,
        setup,
    )
}

/// As [`secgate`], as an unprivileged user when the tests run as root (for whom permissions do
/// not stop reads). That user may not reach the build directory (CI keeps it under the root
/// user's home), so it runs a link to the binary (or a copy) in `cwd`, which must be open to
/// all and is removed with the test's temporary directory.
fn secgate_unprivileged(cwd: &Path, cache: &Path, args: &[&OsStr]) -> Outcome {
    let program = cwd.join("secgate-bin");
    if std::fs::hard_link(env!("CARGO_BIN_EXE_secgate"), &program).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_secgate"), &program).unwrap();
    }
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    run_program(&program, cwd, cache, args, unprivileged)
}

fn run_program(
    program: &Path,
    cwd: &Path,
    cache: &Path,
    args: &[&OsStr],
    setup: impl FnOnce(&mut Command),
) -> Outcome {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("SECGATE_DB")
        .env_remove("GITHUB_REF")
        .env("NO_COLOR", "1")
        .env("SECGATE_OFFLINE", "1")
        .env("SOURCE_DATE_EPOCH", common::TODAY_EPOCH)
        .env("SECGATE_CACHE", cache)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    setup(&mut command);
    let out = command
        .spawn()
        .expect("start secgate")
        .wait_with_output()
        .expect("wait for secgate");
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn args<'a>(list: &'a [&'a str]) -> Vec<&'a OsStr> {
    list.iter().map(OsStr::new).collect()
}

/// Asserts exit 2 and that the first line of standard error is an `error:` holding `words`.
fn fails_closed(out: &Outcome, words: &[&str]) {
    let first = out.stderr.lines().next().unwrap_or_default();
    assert_eq!(
        out.code,
        Some(2),
        "expected exit 2\nstderr: {}\nstdout: {}",
        out.stderr,
        out.stdout
    );
    assert!(
        first.starts_with("error: "),
        "the first stderr line is not an error: {}",
        out.stderr
    );
    for word in words {
        assert!(
            first.contains(word),
            "the first stderr line lacks `{word}`: {first}\nstderr: {}",
            out.stderr
        );
    }
}

/// Runs as an unprivileged user when the tests run as root, for whom permissions do not stop
/// reads; `dirs` are opened to that user first.
fn unprivileged(command: &mut Command) {
    if std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0) {
        command.uid(65_534).gid(65_534);
    }
}

fn open_to_all(dir: &Path) {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod 755");
}

#[test]
fn no_advisory_database_fetched_and_no_db() {
    let tmp = tempfile::tempdir().unwrap();
    let bat = corpus("cargo-bat");
    let out = secgate(tmp.path(), tmp.path(), &args(&["audit", s(&bat)]), |_| {});
    fails_closed(&out, &["no advisory database", "no `--db` given"]);
    assert!(out.stderr.contains("secgate db fetch"), "{}", out.stderr);
}

#[test]
fn stale_fetched_database() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    std::fs::create_dir_all(&db).unwrap();
    std::os::unix::fs::symlink(rustsec_db(), db.join("rustsec")).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let fetched = now - 8 * 86_400;
    let manifest = serde_json::json!({
        "sources": [{
            "name": "rustsec", "url": "https://example.invalid/advisory-db.zip",
            "etag": null, "last_modified": null, "size": 1, "sha256": "00",
            "fetched_at": fetched, "path": "rustsec", "records": 908, "revision": null
        }],
        "fetched_at": fetched,
    });
    std::fs::write(db.join("manifest.json"), manifest.to_string()).unwrap();
    let bat = corpus("cargo-bat");
    for command in ["audit", "check"] {
        let out = secgate(tmp.path(), tmp.path(), &args(&[command, s(&bat)]), |_| {});
        fails_closed(
            &out,
            &["advisory databases were fetched 8d ago", "`max-age` (7d)"],
        );
        assert!(out.stderr.contains("secgate db fetch"), "{}", out.stderr);
        assert!(out.stdout.contains("db-stale"), "{}", out.stdout);
    }
}

#[test]
fn network_down_without_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let bat = corpus("cargo-bat");
    let db = rustsec_db();
    let out = secgate(
        tmp.path(),
        tmp.path(),
        &args(&["audit", s(&bat), "--db", s(&db)]),
        |c| {
            c.env_remove("SECGATE_OFFLINE");
            for var in [
                "SECGATE_RUSTSEC_URL",
                "SECGATE_OSV_URL",
                "SECGATE_OSV_API_URL",
                "SECGATE_CRATES_INDEX_URL",
                "SECGATE_GITHUB_API_URL",
            ] {
                c.env(var, "http://127.0.0.1:1");
            }
        },
    );
    fails_closed(&out, &["cannot check whether", "is yanked"]);
    assert!(out.stderr.contains("--offline"), "{}", out.stderr);
}

#[test]
fn missing_crate_sources_for_licences() {
    let tmp = tempfile::tempdir().unwrap();
    let cargo_home = tmp.path().join("cargo-home");
    std::fs::create_dir(&cargo_home).unwrap();
    let bat = corpus("cargo-bat");
    let out = secgate(tmp.path(), tmp.path(), &args(&["licenses", s(&bat)]), |c| {
        c.env("CARGO_HOME", &cargo_home);
    });
    fails_closed(&out, &["locked crate(s) are not in the cargo cache"]);
    assert!(
        out.stderr.contains("cargo fetch --locked"),
        "{}",
        out.stderr
    );
}

#[test]
fn unsupported_cargo_lock_version() {
    let tmp = tempfile::tempdir().unwrap();
    let lock = std::fs::read_to_string(corpus("cargo-bat").join("Cargo.lock")).unwrap();
    assert!(lock.contains("\nversion = 4\n"));
    std::fs::write(
        tmp.path().join("Cargo.lock"),
        lock.replacen("\nversion = 4\n", "\nversion = 99\n", 1),
    )
    .unwrap();
    let db = rustsec_db();
    let out = secgate(
        tmp.path(),
        tmp.path(),
        &args(&["audit", ".", "--db", s(&db)]),
        |_| {},
    );
    fails_closed(&out, &["unsupported lockfile `version = 99`"]);
    assert!(out.stderr.contains("Cargo.lock:3:11"), "{}", out.stderr);
}

#[test]
fn unsupported_package_lock_version() {
    let tmp = tempfile::tempdir().unwrap();
    let lock =
        std::fs::read_to_string(corpus("npm-lock-v3-marked").join("package-lock.json")).unwrap();
    assert!(lock.contains("\"lockfileVersion\": 3,"));
    std::fs::write(
        tmp.path().join("package-lock.json"),
        lock.replacen("\"lockfileVersion\": 3,", "\"lockfileVersion\": 99,", 1),
    )
    .unwrap();
    let db = shared().join("advisory-data/osv/crates.io");
    let out = secgate(
        tmp.path(),
        tmp.path(),
        &args(&["audit", ".", "--db", s(&db)]),
        |_| {},
    );
    fails_closed(&out, &["lockfileVersion"]);
    assert!(out.stderr.contains("package-lock.json"), "{}", out.stderr);
}

#[test]
fn npm_licences_not_recorded_and_packages_not_installed() {
    let tmp = tempfile::tempdir().unwrap();
    let project = corpus("npm-lock-v1-warehouse");
    let out = secgate(
        tmp.path(),
        tmp.path(),
        &args(&["licenses", s(&project)]),
        |_| {},
    );
    fails_closed(
        &out,
        &["are not recorded in `package-lock.json`", "not installed"],
    );
    assert!(
        out.stderr.contains("hint: install them first"),
        "{}",
        out.stderr
    );
}

#[test]
fn invalid_policy_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        corpus("cargo-bat").join("Cargo.lock"),
        tmp.path().join("Cargo.lock"),
    )
    .unwrap();
    std::fs::write(tmp.path().join("secgate.toml"), "[advisories]\nbogus = 1\n").unwrap();
    let db = rustsec_db();
    let out = secgate(
        tmp.path(),
        tmp.path(),
        &args(&["audit", ".", "--db", s(&db)]),
        |_| {},
    );
    fails_closed(&out, &["unknown key `bogus` in `[advisories]`"]);
    assert!(out.stderr.contains("secgate.toml:2:1"), "{}", out.stderr);
    assert!(
        out.stderr.contains("error: invalid policy file"),
        "{}",
        out.stderr
    );
}

#[test]
fn nothing_to_check_in_an_empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let db = rustsec_db();
    for (command, words) in [
        ("audit", "no lockfile found in"),
        ("licenses", "no lockfile found in"),
        ("sbom", "no lockfile found in"),
        ("pins", "nothing to check for pins under"),
        ("check", "nothing to check for pins under"),
        ("secrets", "nothing to scan for secrets under"),
    ] {
        let out = secgate(
            tmp.path(),
            tmp.path(),
            &args(&[command, s(&empty), "--db", s(&db)]),
            |_| {},
        );
        fails_closed(&out, &[words]);
    }
}

#[test]
fn missing_path() {
    let tmp = tempfile::tempdir().unwrap();
    let out = secgate(
        tmp.path(),
        tmp.path(),
        &args(&["audit", "no-such-dir"]),
        |_| {},
    );
    fails_closed(&out, &["`no-such-dir` does not exist"]);
}

#[test]
fn unreadable_path() {
    let tmp = tempfile::tempdir().unwrap();
    open_to_all(tmp.path());
    let project = tmp.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::copy(
        corpus("cargo-bat").join("Cargo.lock"),
        project.join("Cargo.lock"),
    )
    .unwrap();
    std::fs::set_permissions(&project, std::fs::Permissions::from_mode(0o000)).unwrap();
    let db = rustsec_db();
    let out = secgate_unprivileged(
        tmp.path(),
        tmp.path(),
        &args(&["audit", "project", "--db", s(&db)]),
    );
    // Give the directory back so the temporary directory can be removed.
    std::fs::set_permissions(&project, std::fs::Permissions::from_mode(0o755)).unwrap();
    fails_closed(&out, &["cannot read `project`"]);
    assert!(out.stderr.contains("Permission denied"), "{}", out.stderr);
}

#[test]
fn verify_tag_without_signers() {
    let tmp = tempfile::tempdir().unwrap();
    let git = |list: &[&str]| {
        let out = Command::new("git")
            .args(list)
            .current_dir(tmp.path())
            .stdin(Stdio::piped())
            .output()
            .expect("this test needs `git` on PATH");
        assert!(out.status.success(), "git {list:?}: {out:?}");
    };
    git(&["init", "-q"]);
    git(&[
        "-c",
        "user.name=Release",
        "-c",
        "user.email=release@example.invalid",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "release",
    ]);
    git(&["tag", "v1.0.0"]);
    let out = secgate(
        tmp.path(),
        tmp.path(),
        &args(&["verify", "tag", "v1.0.0"]),
        |_| {},
    );
    fails_closed(&out, &["no signers to verify against"]);
}

#[test]
fn secrets_on_an_unreadable_file() {
    let tmp = tempfile::tempdir().unwrap();
    open_to_all(tmp.path());
    let tree = tmp.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    open_to_all(&tree);
    std::fs::write(tree.join("readable.txt"), "nothing secret\n").unwrap();
    let locked = tree.join("locked.env");
    std::fs::write(&locked, "API_TOKEN=not-readable\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = secgate_unprivileged(tmp.path(), tmp.path(), &args(&["secrets", "tree"]));
    fails_closed(&out, &["cannot read 1 file(s) under `tree`", "locked.env"]);
}

#[test]
fn secrets_in_an_unreadable_directory() {
    let tmp = tempfile::tempdir().unwrap();
    open_to_all(tmp.path());
    let tree = tmp.path().join("tree");
    std::fs::create_dir_all(tree.join("private")).unwrap();
    open_to_all(&tree);
    std::fs::write(tree.join("readable.txt"), "nothing secret\n").unwrap();
    std::fs::write(tree.join("private/key.env"), "API_TOKEN=not-readable\n").unwrap();
    std::fs::set_permissions(tree.join("private"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = secgate_unprivileged(tmp.path(), tmp.path(), &args(&["secrets", "tree"]));
    // Give the directory back so the temporary directory can be removed.
    std::fs::set_permissions(tree.join("private"), std::fs::Permissions::from_mode(0o755)).unwrap();
    fails_closed(&out, &["cannot read 1 file(s) under `tree`", "private"]);
}
