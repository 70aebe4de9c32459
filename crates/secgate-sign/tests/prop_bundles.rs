//! Property tests of the Sigstore bundle and trusted-root parsers and of checksum files: a
//! damaged bundle checked against an artifact it was not made for is refused with a
//! [`BundleError`], a damaged trusted root parses or is refused, and a damaged `SHA256SUMS`
//! gives a report or a typed error; never a panic, in bounded time. Seeds are the Sigstore
//! conformance cases in `../shared/sigstore` and sums files written here.

// One copy of the property-test helpers, kept with the advisories crate's tests.
#[path = "../../secgate-advisories/tests/prop_common/mod.rs"]
mod prop_common;

use prop_common::{apply, config, mutations, noise, timed};
use proptest::prelude::*;
use secgate_sign::checksums::verify_checksums;
use secgate_sign::sigstore::{BundleError, Identity, TrustedRoot, VerifyOptions, verify_bundle};
use sha2::{Digest, Sha256, Sha512};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::LazyLock;

fn sigstore_dir() -> PathBuf {
    std::env::var_os("SECGATE_SHARED")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
            PathBuf::from,
        )
        .join("sigstore")
}

/// Every conformance bundle, and every trusted root (the cases' own and the public-good one).
struct Seeds {
    bundles: Vec<Vec<u8>>,
    roots: Vec<Vec<u8>>,
}

static SEEDS: LazyLock<Seeds> = LazyLock::new(|| {
    let cases = sigstore_dir().join("conformance/bundle-verify");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&cases)
        .unwrap_or_else(|e| panic!("{}: {e} (set SECGATE_SHARED)", cases.display()))
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let read_all = |name: &str| -> Vec<Vec<u8>> {
        dirs.iter()
            .map(|d| d.join(name))
            .filter(|p| p.exists())
            .map(|p| std::fs::read(p).unwrap())
            .collect()
    };
    let bundles = read_all("bundle.sigstore.json");
    let mut roots = read_all("trusted_root.json");
    roots.push(std::fs::read(sigstore_dir().join("trust/public-good-trusted_root.json")).unwrap());
    assert!(
        bundles.len() >= 70,
        "expected the conformance bundles, found {}",
        bundles.len()
    );
    Seeds { bundles, roots }
});

fn options() -> VerifyOptions {
    VerifyOptions {
        trusted_root: TrustedRoot::public_good(),
        identity: Identity::Certificate {
            identity: "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main".to_owned(),
            issuer: "https://token.actions.githubusercontent.com".to_owned(),
        },
        now: 1_893_456_000,
    }
}

/// `bundle` over an artifact no conformance case signed must be refused.
fn assert_refused(bundle: &[u8], artifact: &[u8]) {
    let mut unsigned = b"not the signed artifact: ".to_vec();
    unsigned.extend_from_slice(artifact);
    let verdict: Result<_, BundleError> = timed("verifying a bundle", || {
        verify_bundle(bundle, &unsigned, &options())
    });
    assert!(
        verdict.is_err(),
        "a bundle verified for an artifact it did not sign: {verdict:?}"
    );
}

/// A `SHA256SUMS` or `SHA512SUMS` for the files of a temp dir, in every line format.
fn sums_seed(dir: &std::path::Path) -> Vec<u8> {
    let files: [(&str, &[u8]); 3] = [
        ("app-1.0.tar.gz", b"release"),
        ("app 1.0 (linux).zip", b"binary \x00 bytes"),
        ("sub/notes.txt", b"notes\n"),
    ];
    let mut sums = String::new();
    for (i, (name, content)) in files.iter().enumerate() {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        let sha256 = hex(&Sha256::digest(content));
        let sha512 = hex(&Sha512::digest(content));
        let written = match i {
            0 => writeln!(sums, "{sha256}  {name}"),
            1 => writeln!(sums, "{sha256} *{name}\nSHA512 ({name}) = {sha512}"),
            _ => writeln!(sums, "SHA256 ({name}) = {sha256}"),
        };
        written.expect("writing to a String");
    }
    sums.into_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        write!(out, "{b:02x}").expect("writing to a String");
        out
    })
}

/// Writes `sums` (or, when `None`, the seed itself) beside the listed files and checks it.
fn check_sums(edit: impl FnOnce(Vec<u8>) -> Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let sums = edit(sums_seed(dir.path()));
    let path = dir.path().join("SHA256SUMS");
    std::fs::write(&path, &sums).unwrap();
    let report = timed("checking a sums file", || {
        verify_checksums(&path, "SHA256SUMS", dir.path())
    });
    if let Ok(report) = report {
        assert!(report.listed >= 1, "a report that checked nothing");
    }
}

const JSON_NESTING: &[&str] = &["[", "{\"a\":", "\"", "\\u", "{"];
const SUMS_NESTING: &[&str] = &["(", "*", " ", "SHA256 (", "0", "../"];

proptest! {
    #![proptest_config(config(0x5EC6_B0D1))]

    #[test]
    fn mutated_bundles_are_refused(
        pick in any::<prop::sample::Index>(),
        edits in mutations(JSON_NESTING, 4),
        artifact in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let bundle = apply(pick.get::<Vec<u8>>(&SEEDS.bundles), &edits);
        assert_refused(&bundle, &artifact);
    }

    #[test]
    fn arbitrary_bundles_are_refused(bytes in noise("{}[]\":,mediaTypeverificationMaterial")) {
        assert_refused(&bytes, b"a.txt");
    }

    #[test]
    fn mutated_trusted_roots_parse_or_are_refused(
        pick in any::<prop::sample::Index>(),
        edits in mutations(JSON_NESTING, 4),
    ) {
        let root = apply(pick.get::<Vec<u8>>(&SEEDS.roots), &edits);
        timed("parsing a trusted root", || {
            let _ = TrustedRoot::from_json(&root);
        });
    }

    #[test]
    fn mutated_sums_files_report_or_fail(edits in mutations(SUMS_NESTING, 4)) {
        check_sums(|seed| apply(&seed, &edits));
    }

    #[test]
    fn arbitrary_sums_files_report_or_fail(bytes in noise("0123456789abcdef *()=SHA\n")) {
        check_sums(|_| bytes);
    }
}

#[test]
fn the_unmutated_sums_seed_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("SHA256SUMS");
    std::fs::write(&path, sums_seed(dir.path())).unwrap();
    let report = verify_checksums(&path, "SHA256SUMS", dir.path()).expect("the seed parses");
    assert_eq!(report.listed, 4);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}
