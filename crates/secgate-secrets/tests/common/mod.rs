//! Helpers for the secret gate's tests: fake credentials assembled at test time (so no
//! real-looking secret is ever committed), temp trees, and the shared real-world data.
#![allow(dead_code)] // each test binary uses a different subset of the helpers

use secgate_core::{Code, Finding};
use secgate_secrets::{AllowEntry, Scan, ScanOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A deterministic generator (xorshift64*), so fakes differ per call but tests are repeatable.
pub struct Fakes(u64);

impl Fakes {
    pub fn new(seed: u64) -> Self {
        Fakes(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `n` characters drawn from `alphabet`.
    pub fn chars(&mut self, alphabet: &str, n: usize) -> String {
        let alphabet: Vec<char> = alphabet.chars().collect();
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize])
            .collect()
    }

    pub fn alnum(&mut self, n: usize) -> String {
        self.chars(ALNUM, n)
    }

    /// A GitHub/npm-style token: prefix, 30 random base62 characters, their CRC32 in base62.
    pub fn crc_token(&mut self, prefix: &str) -> String {
        let random = self.alnum(30);
        format!("{prefix}{random}{}", base62_crc(&random))
    }
}

pub const ALNUM: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The 6-character base62 CRC32 suffix, computed here independently of the library.
pub fn base62_crc(random: &str) -> String {
    let digits: Vec<char> = ALNUM.chars().collect();
    let mut n = crc32fast::hash(random.as_bytes());
    let mut out = vec!['0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = digits[(n % 62) as usize];
        n /= 62;
    }
    out.into_iter().collect()
}

/// Writes `files` (relative path, content) under a fresh temp dir.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    dir
}

/// Options with two threads, so tests do not depend on the machine.
pub fn opts() -> ScanOptions {
    ScanOptions {
        threads: 2,
        ..ScanOptions::default()
    }
}

pub fn scan(root: &Path) -> Scan {
    secgate_secrets::scan_tree(root, &opts(), &[]).expect("scan runs")
}

pub fn scan_allow(root: &Path, allow: &[AllowEntry]) -> Scan {
    secgate_secrets::scan_tree(root, &opts(), allow).expect("scan runs")
}

/// `path:line:column code id` of each finding, for compact assertions.
pub fn summary(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {} {}",
                f.location.path,
                f.location.line,
                f.location.column,
                f.code,
                f.id.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

/// Asserts that no field a report shows contains `secret`.
pub fn assert_masked(findings: &[Finding], secret: &str) {
    for f in findings {
        let shown = format!(
            "{} {} {} {}",
            f.message,
            f.fix.as_deref().unwrap_or(""),
            f.id.as_deref().unwrap_or(""),
            f.location.path
        );
        assert!(!shown.contains(secret), "secret leaked in {shown}");
        let json = serde_json::to_string(f).expect("serializes");
        assert!(!json.contains(secret), "secret leaked in {json}");
    }
}

/// The findings with `code`.
pub fn with_code(findings: &[Finding], code: Code) -> Vec<&Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

/// `../shared` beside the repository, or `$SECGATE_SHARED`; missing data fails the test.
pub fn shared() -> PathBuf {
    let dir = std::env::var_os("SECGATE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("corpus").is_dir() && dir.join("advisory-data").is_dir(),
        "../shared (corpus and advisory-data) is required; set SECGATE_SHARED to its path"
    );
    dir
}

/// Runs a tool to success, failing the test with a clear message when it is missing.
pub fn tool(dir: &Path, program: &str, args: &[&str], envs: &[(&str, &Path)]) -> Vec<u8> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("`{program}` is required for this test and cannot run: {e}"));
    assert!(
        out.status.success(),
        "`{program} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
