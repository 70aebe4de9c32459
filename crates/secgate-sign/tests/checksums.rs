//! `verify_checksums` against sums files written by the real coreutils tools and by hand.

use secgate_core::Code;
use secgate_sign::SignError;
use secgate_sign::checksums::{ChecksumReport, verify_checksums};
use sha2::{Digest, Sha256, Sha512};
use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use tempfile::TempDir;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn sha256(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}"); // writing to a String cannot fail
        out
    })
}

/// Runs a coreutils digest tool in `dir` and returns what it prints.
fn coreutils(dir: &Path, tool: &str, args: &[&str]) -> Result<String, Box<dyn std::error::Error>> {
    let output = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .output()?;
    assert!(output.status.success(), "{tool} failed: {output:?}");
    Ok(String::from_utf8(output.stdout)?)
}

/// Writes `sums` as `SHA256SUMS` in `dir` and checks it against `dir`.
fn verify(dir: &Path, sums: &str) -> Result<ChecksumReport, SignError> {
    let path = dir.join("SHA256SUMS");
    fs::write(&path, sums).map_err(|source| SignError::Read {
        path: path.clone(),
        source,
    })?;
    verify_checksums(&path, "dist/SHA256SUMS", dir)
}

/// The line and message of a parse error, failing the test on anything else.
fn parse_error(result: Result<ChecksumReport, SignError>) -> (u32, String) {
    match result {
        Err(SignError::Parse {
            path,
            line,
            message,
        }) => {
            assert_eq!(path, "dist/SHA256SUMS");
            (line, message)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn gnu_text_binary_and_bsd_lines_all_match() -> TestResult {
    let dir = TempDir::new()?;
    fs::write(dir.path().join("app.tar.gz"), b"release tarball")?;
    fs::write(dir.path().join("app.zip"), b"release zip")?;
    fs::create_dir(dir.path().join("sub"))?;
    fs::write(dir.path().join("sub/notes.txt"), b"notes")?;
    fs::write(dir.path().join("name with  spaces"), b"spaced")?;
    let mut sums = String::from("# release v1.2.3\n\n");
    sums += &coreutils(
        dir.path(),
        "sha256sum",
        &["app.tar.gz", "name with  spaces"],
    )?;
    sums += &coreutils(dir.path(), "sha256sum", &["--binary", "app.zip"])?;
    sums += &coreutils(dir.path(), "sha512sum", &["sub/notes.txt"])?;
    sums += &coreutils(dir.path(), "sha256sum", &["--tag", "app.zip"])?;
    sums += &coreutils(dir.path(), "sha512sum", &["--tag", "app.tar.gz"])?;
    sums += &coreutils(dir.path(), "sha384sum", &["--tag", "sub/notes.txt"])?;
    sums += &coreutils(dir.path(), "sha384sum", &["app.zip"])?;
    assert!(sums.contains(" *app.zip\n") && sums.contains("SHA512 (app.tar.gz) = "));

    let report = verify(dir.path(), &sums)?;
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!((report.listed, report.matched), (8, 8));
    Ok(())
}

#[test]
fn uppercase_hex_and_indented_lines_match() -> TestResult {
    let dir = TempDir::new()?;
    fs::write(dir.path().join("a"), b"a")?;
    let digest = sha256(b"a").to_uppercase();
    let report = verify(
        dir.path(),
        &format!("  {digest}  a\nSHA256 (a) = {digest}   \n"),
    )?;
    assert_eq!((report.listed, report.matched), (2, 2));
    Ok(())
}

#[test]
fn mismatch_is_a_finding_at_the_name() -> TestResult {
    let dir = TempDir::new()?;
    fs::write(dir.path().join("good.bin"), b"good")?;
    fs::write(dir.path().join("bad.bin"), b"tampered")?;
    let listed = sha256(b"original");
    let actual = sha256(b"tampered");
    let sums = format!(
        "{}  good.bin\n# comment\n{listed} *bad.bin\nSHA256 (bad.bin) = {listed}\n",
        sha256(b"good")
    );
    let report = verify(dir.path(), &sums)?;
    assert_eq!((report.listed, report.matched), (3, 1));
    let [gnu, bsd] = report.findings.as_slice() else {
        panic!("expected two findings: {:?}", report.findings);
    };
    for finding in [gnu, bsd] {
        assert_eq!(finding.code, Code::ChecksumMismatch);
        assert_eq!(finding.id.as_deref(), Some("bad.bin"));
        assert_eq!(finding.location.path, "dist/SHA256SUMS");
        let span = finding.location.span.clone().ok_or("no span")?;
        assert_eq!(sums.get(span), Some("bad.bin"));
        assert!(finding.message.contains("sha256"), "{}", finding.message);
        assert!(
            finding.message.contains(&actual[..16]),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains(&listed[..16]),
            "{}",
            finding.message
        );
        assert!(
            finding
                .fix
                .as_deref()
                .unwrap_or_default()
                .contains("SHA256SUMS")
        );
    }
    assert_eq!((gnu.location.line, gnu.location.column), (3, 67));
    assert_eq!((bsd.location.line, bsd.location.column), (4, 9));
    assert!(
        gnu.message
            .starts_with("`bad.bin` does not match SHA256SUMS")
    );
    Ok(())
}

#[test]
fn missing_file_is_a_finding() -> TestResult {
    let dir = TempDir::new()?;
    let report = verify(dir.path(), &format!("{}  gone.tar.gz\n", sha256(b"x")))?;
    assert_eq!((report.listed, report.matched), (1, 0));
    let [finding] = report.findings.as_slice() else {
        panic!("expected one finding: {:?}", report.findings);
    };
    assert_eq!(finding.code, Code::ChecksumMismatch);
    assert_eq!(
        finding.message,
        "`gone.tar.gz` is listed in SHA256SUMS but missing"
    );
    assert_eq!((finding.location.line, finding.location.column), (1, 67));
    Ok(())
}

#[test]
fn a_listed_directory_is_a_finding() -> TestResult {
    let dir = TempDir::new()?;
    fs::create_dir(dir.path().join("sub"))?;
    let report = verify(dir.path(), &format!("{}  sub\n", sha256(b"")))?;
    assert_eq!(report.matched, 0);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.message.contains("not a regular file"))
    );
    Ok(())
}

#[test]
fn duplicate_entries_are_each_checked() -> TestResult {
    let dir = TempDir::new()?;
    fs::write(dir.path().join("a"), b"a")?;
    let good = sha256(b"a");
    let report = verify(
        dir.path(),
        &format!("{good}  a\n{good}  a\n{}  a\n", sha256(b"b")),
    )?;
    assert_eq!((report.listed, report.matched), (3, 2));
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings.first().map(|f| f.location.line), Some(3));
    Ok(())
}

#[test]
fn malformed_lines_are_parse_errors_at_their_line() -> TestResult {
    let dir = TempDir::new()?;
    fs::write(dir.path().join("a"), b"a")?;
    let good = sha256(b"a");
    let cases = [
        (format!("{}zz  a", &good[..62]), "is not a hex digest"),
        (format!("{}  a", &good[..60]), "60 hex digits"),
        (format!("{}  a", &good[..40]), "SHA-1, too weak"),
        (good.clone(), "no file name"),
        (format!("{good}  "), "no file name"),
        (format!("{good} a"), "two spaces"),
        (
            format!("MD5 (a) = {}", &good[..32]),
            "MD5 is too weak to gate on",
        ),
        (
            format!("SHA1 (a) = {}", &good[..40]),
            "SHA1 is too weak to gate on",
        ),
        (format!("BLAKE2b (a) = {good}"), "not supported"),
        (
            format!("SHA512 (a) = {good}"),
            "sha512 digest has 128 hex digits",
        ),
        (format!("SHA256 (a) {good}"), "no `) = `"),
        (format!("SHA256 () = {good}"), "no file name"),
        (format!("{good}  /etc/passwd"), "absolute path"),
        (format!("SHA256 (C:\\x) = {good}"), "absolute path"),
        (format!("{good}  ../secret"), "`..` component"),
        (format!("{good} *dist/../../secret"), "`..` component"),
        (format!("\\{good}  a\\tb"), "unknown escape"),
        ("just some text".to_owned(), "expected `<hex>  <file>`"),
    ];
    for (bad, expected) in cases {
        let sums = format!("{good}  a\n# ok so far\n{bad}\n{good}  a\n");
        let (line, message) = parse_error(verify(dir.path(), &sums));
        assert_eq!(line, 3, "{bad}: {message}");
        assert!(message.contains(expected), "{bad}: {message}");
    }
    Ok(())
}

#[test]
fn a_sums_file_listing_nothing_is_an_error() -> TestResult {
    let dir = TempDir::new()?;
    for sums in ["", "\n\n", "# nothing released\r\n  \n"] {
        let (line, message) = parse_error(verify(dir.path(), sums));
        assert_eq!(line, 1);
        assert!(message.contains("lists no files"), "{message}");
    }
    Ok(())
}

#[test]
fn an_unreadable_sums_file_is_a_read_error() -> TestResult {
    let dir = TempDir::new()?;
    let missing = dir.path().join("SHA256SUMS");
    let result = verify_checksums(&missing, "SHA256SUMS", dir.path());
    assert!(
        matches!(&result, Err(SignError::Read { path, .. }) if *path == missing),
        "{result:?}"
    );
    Ok(())
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_tolerated() -> TestResult {
    let dir = TempDir::new()?;
    fs::write(dir.path().join("a.txt"), b"a")?;
    fs::write(dir.path().join("b.txt"), b"b")?;
    let sums = format!(
        "\u{feff}{}  a.txt\r\nSHA256 (b.txt) = {}\r\n{}  b.txt\r\n",
        sha256(b"a"),
        sha256(b"b"),
        sha256(b"not b")
    );
    let report = verify(dir.path(), &sums)?;
    assert_eq!((report.listed, report.matched), (3, 2));
    let finding = report.findings.first().ok_or("no finding")?;
    assert_eq!(finding.id.as_deref(), Some("b.txt"));
    assert_eq!(finding.location.line, 3);
    assert_eq!(
        sums.get(finding.location.span.clone().ok_or("no span")?),
        Some("b.txt")
    );
    Ok(())
}

#[test]
fn escaped_names_written_by_coreutils_match() -> TestResult {
    let dir = TempDir::new()?;
    fs::write(dir.path().join("new\nline"), b"one")?;
    fs::write(dir.path().join("back\\slash"), b"two")?;
    let mut sums = coreutils(dir.path(), "sha256sum", &["new\nline", "back\\slash"])?;
    sums += &coreutils(dir.path(), "sha512sum", &["--tag", "new\nline"])?;
    assert!(sums.contains("\\SHA512 (new\\nline) = "), "{sums}");
    let report = verify(dir.path(), &sums)?;
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!((report.listed, report.matched), (3, 3));

    // An unescaped line keeps its backslash literally: `a\nb` is four characters here.
    fs::write(dir.path().join("a\\nb"), b"literal")?;
    let report = verify(dir.path(), &format!("{}  a\\nb\n", sha256(b"literal")))?;
    assert_eq!(report.matched, 1);

    let report = verify(dir.path(), &format!("\\{}  new\\nline\n", sha256(b"other")))?;
    let finding = report.findings.first().ok_or("no finding")?;
    assert_eq!(finding.id.as_deref(), Some("new\nline"));
    assert_eq!(finding.location.column, 68);
    Ok(())
}

#[test]
fn a_large_file_is_hashed_correctly() -> TestResult {
    let dir = TempDir::new()?;
    let path = dir.path().join("big.iso");
    let mut file = fs::File::create(&path)?;
    let mut sha512 = Sha512::new();
    // 6 MiB of varying bytes, in pieces that do not line up with any buffer size.
    for chunk in 0..1000u32 {
        let piece: Vec<u8> = (0..6291u32)
            .map(|i| (i.wrapping_mul(31) ^ chunk) as u8)
            .collect();
        file.write_all(&piece)?;
        sha512.update(&piece);
    }
    file.sync_all()?;
    drop(file);
    let digest = hex(&sha512.finalize());
    let from_tool = coreutils(dir.path(), "sha256sum", &["big.iso"])?;
    let report = verify(dir.path(), &format!("{from_tool}{digest}  big.iso\n"))?;
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.matched, 2);

    // One flipped byte at the very end must be caught.
    let mut file = fs::OpenOptions::new().append(true).open(&path)?;
    file.write_all(b"!")?;
    drop(file);
    let report = verify(dir.path(), &format!("{digest}  big.iso\n"))?;
    assert_eq!(report.matched, 0);
    assert!(
        report
            .findings
            .first()
            .is_some_and(|f| f.message.contains("sha512"))
    );
    Ok(())
}

#[test]
fn names_resolve_against_the_base_directory() -> TestResult {
    let sums_dir = TempDir::new()?;
    let release = TempDir::new()?;
    fs::write(release.path().join("app"), b"app")?;
    let sums = sums_dir.path().join("SHA256SUMS");
    fs::write(&sums, format!("{}  app\n", sha256(b"app")))?;
    let report = verify_checksums(&sums, "SHA256SUMS", release.path())?;
    assert_eq!((report.listed, report.matched), (1, 1));
    let report = verify_checksums(&sums, "SHA256SUMS", sums_dir.path())?;
    assert_eq!(report.matched, 0);
    Ok(())
}

#[test]
fn an_artifact_passed_as_the_sums_file_is_refused_unread() -> TestResult {
    let dir = TempDir::new()?;
    let path = dir.path().join("huge.iso");
    // Sparse: 65 MiB on paper, nothing on disk.
    fs::File::create(&path)?.set_len(65 * 1024 * 1024)?;
    let result = verify_checksums(&path, "dist/SHA256SUMS", dir.path());
    let (line, message) = parse_error(result);
    assert_eq!(line, 1);
    assert!(message.contains("too large"), "{message}");
    Ok(())
}
