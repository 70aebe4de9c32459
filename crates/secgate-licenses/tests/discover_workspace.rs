//! Licence discovery for packages built from source trees: workspace members and path
//! dependencies found by walking the repository, and git dependencies in
//! `$CARGO_HOME/git/checkouts`. Each test writes a small repository into a temporary directory;
//! no network.

use secgate_core::Package;
use secgate_inventory::parse_cargo_lock;
use secgate_licenses::discover::{DiscoverError, DiscoverOptions, Discovery, discover};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const MIT_TEXT: &str = "MIT License\n\nCopyright (c) 2026 The Example Authors\n\n\
Permission is hereby granted, free of charge, to any person obtaining a copy of this software \
and associated documentation files (the \"Software\"), to deal in the Software without \
restriction, including without limitation the rights to use, copy, modify, merge, publish, \
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the \
Software is furnished to do so, subject to the following conditions:\n\n\
The above copyright notice and this permission notice shall be included in all copies or \
substantial portions of the Software.\n\n\
THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING \
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND \
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, \
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, \
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Packages from a lockfile of (name, version, source) entries.
fn packages(entries: &[(&str, &str, Option<&str>)]) -> Vec<Package> {
    let mut lock = String::from("version = 4\n");
    for (name, version, source) in entries {
        let _ = write!(
            lock,
            "\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\n"
        );
        if let Some(source) = source {
            let _ = writeln!(lock, "source = \"{source}\"");
        }
    }
    parse_cargo_lock(&lock, "Cargo.lock").unwrap().packages
}

fn run(packages: &[Package], cargo_home: &Path, repo: &Path) -> Result<Discovery, DiscoverError> {
    let refs: Vec<&Package> = packages.iter().collect();
    discover(&refs, &DiscoverOptions::new(cargo_home, repo))
}

/// A workspace: `[workspace.package]` gives `license = "MIT"`, the version and a licence file.
fn workspace() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    write(
        r,
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"0.3.0\"\n\
         license = \"MIT\"\nlicense-file = \"LICENSE.txt\"\n",
    );
    write(r, "LICENSE.txt", MIT_TEXT);
    write(
        r,
        "crates/app/Cargo.toml",
        "[package]\nname = \"app\"\nversion.workspace = true\nlicense.workspace = true\n",
    );
    write(r, "crates/app/LICENSE", MIT_TEXT);
    write(
        r,
        "crates/explicit/Cargo.toml",
        "[package]\nname = \"explicit\"\nversion = \"1.0.0\"\nlicense = \"Apache-2.0\"\n",
    );
    write(
        r,
        "crates/undeclared/Cargo.toml",
        "[package]\nname = \"undeclared\"\nversion = \"0.1.0\"\n",
    );
    write(r, "crates/undeclared/LICENSE-MIT", MIT_TEXT);
    write(
        r,
        "crates/blank/Cargo.toml",
        "[package]\nname = \"blank\"\nversion = \"0.1.0\"\nlicense = \"\"\n",
    );
    write(r, "crates/blank/COPYING", MIT_TEXT);
    write(
        r,
        "crates/shared-file/Cargo.toml",
        "[package]\nname = \"shared-file\"\nversion.workspace = true\n\
         license-file.workspace = true\n",
    );
    // A path dependency outside `crates/`, with no version (Cargo's default 0.0.0).
    write(
        r,
        "vendor/helper/Cargo.toml",
        "[package]\nname = \"helper\"\nlicense = \"ISC\"\n",
    );
    // Copies that must never be picked: build output, hidden directories.
    for skipped in ["target/package/app-0.3.0", ".hidden/app"] {
        write(
            r,
            &format!("{skipped}/Cargo.toml"),
            "[package]\nname = \"app\"\nversion = \"0.3.0\"\nlicense = \"GPL-3.0-only\"\n",
        );
    }
    // A broken manifest that belongs to no locked package (a test fixture, say).
    write(
        r,
        "tests/fixtures/bad/Cargo.toml",
        "[package\nname = \"fixture\"\n",
    );
    repo
}

#[test]
fn workspace_members_inherit_from_the_workspace_root() {
    let repo = workspace();
    let home = tempfile::tempdir().unwrap();
    let packages = packages(&[
        ("app", "0.3.0", None),
        ("explicit", "1.0.0", None),
        ("undeclared", "0.1.0", None),
        ("shared-file", "0.3.0", None),
        ("helper", "0.0.0", None),
        ("gone", "1.0.0", None),
        ("blank", "0.1.0", None),
    ]);
    let discovery = run(&packages, home.path(), repo.path()).unwrap();
    let root = repo.path().canonicalize().unwrap();
    let found = &discovery.found;
    assert_eq!(found.len(), 7);

    assert_eq!(found[0].name, "app");
    assert_eq!(found[0].license.as_deref(), Some("MIT"));
    assert_eq!(
        found[0].manifest.as_deref(),
        Some(root.join("crates/app/Cargo.toml").as_path())
    );
    assert_eq!(found[0].detected, None);
    assert_eq!(found[0].files.len(), 1);
    assert_eq!(found[0].files[0].0, "LICENSE");

    assert_eq!(found[1].license.as_deref(), Some("Apache-2.0"));

    // No licence declared: recognized from its licence file.
    assert_eq!(found[2].license, None);
    let detected = found[2].detected.as_ref().expect("MIT text recognized");
    assert_eq!(
        (detected.expression.as_str(), detected.file.as_str()),
        ("MIT", "LICENSE-MIT")
    );
    assert!(detected.confidence >= 0.8);

    // `license-file.workspace = true`: the root's file, relative to the member, and recognized.
    assert_eq!(found[3].license, None);
    assert_eq!(found[3].license_file.as_deref(), Some("../../LICENSE.txt"));
    assert_eq!(found[3].files.len(), 1);
    assert_eq!(found[3].files[0].0, "../../LICENSE.txt");
    assert_eq!(
        found[3].files[0].1, found[0].files[0].1,
        "same text, same sha256"
    );
    assert_eq!(
        found[3].detected.as_ref().map(|d| d.file.as_str()),
        Some("../../LICENSE.txt")
    );

    assert_eq!(found[4].license.as_deref(), Some("ISC"));
    assert_eq!(
        found[4].manifest.as_deref(),
        Some(root.join("vendor/helper/Cargo.toml").as_path())
    );

    // `license = ""` declares nothing: the text decides.
    assert_eq!(found[6].license, None);
    assert_eq!(
        found[6]
            .detected
            .as_ref()
            .map(|d| (d.expression.as_str(), d.file.as_str())),
        Some(("MIT", "COPYING"))
    );

    // A local package the repository does not have.
    assert_eq!(found[5].manifest, None);
    assert_eq!(discovery.missing, [("gone".to_owned(), "1.0.0".to_owned())]);
}

#[test]
fn a_version_mismatch_is_not_a_match() {
    let repo = workspace();
    let home = tempfile::tempdir().unwrap();
    let discovery = run(
        &packages(&[("app", "0.2.0", None)]),
        home.path(),
        repo.path(),
    )
    .unwrap();
    assert_eq!(discovery.missing.len(), 1);
}

#[test]
fn inheriting_what_the_root_lacks_is_an_error_at_the_member_line() {
    let repo = workspace();
    write(
        repo.path(),
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"0.3.0\"\n",
    );
    let home = tempfile::tempdir().unwrap();
    let err = run(
        &packages(&[("app", "0.3.0", None)]),
        home.path(),
        repo.path(),
    )
    .unwrap_err();
    let DiscoverError::Inheritance {
        path,
        line,
        column,
        key,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(
        path.ends_with("crates/app/Cargo.toml"),
        "{}",
        path.display()
    );
    assert_eq!((*line, *column, *key), (4, 1, "license"));
    assert!(
        err.to_string()
            .contains("`license.workspace = true`, but no workspace root manifest has"),
        "{err}"
    );
}

#[test]
fn a_broken_member_manifest_is_an_error_with_path_and_line() {
    let repo = workspace();
    write(
        repo.path(),
        "crates/explicit/Cargo.toml",
        "[package]\nname = \"explicit\"\nversion = \"1.0.0\"\nlicense = Apache-2.0\n",
    );
    let home = tempfile::tempdir().unwrap();
    let err = run(
        &packages(&[("app", "0.3.0", None), ("explicit", "1.0.0", None)]),
        home.path(),
        repo.path(),
    )
    .unwrap_err();
    let DiscoverError::Manifest {
        path, line, column, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(
        path.ends_with("crates/explicit/Cargo.toml"),
        "{}",
        path.display()
    );
    assert_eq!((*line, *column), (4, 11));
    assert!(
        err.to_string().contains("explicit/Cargo.toml:4:11: "),
        "{err}"
    );

    // The broken fixture manifest mentions no locked package: it is ignored.
    let discovery = run(
        &packages(&[("app", "0.3.0", None)]),
        home.path(),
        repo.path(),
    )
    .unwrap();
    assert!(discovery.missing.is_empty());
}

#[test]
fn git_dependencies_are_read_from_their_checkout() {
    let home = tempfile::tempdir().unwrap();
    let checkout = home
        .path()
        .join("git/checkouts/smf-rs-0a1b2c3d4e5f6789/72389b5");
    write(
        &checkout,
        "Cargo.toml",
        "[workspace]\nmembers = [\"smf\"]\n[workspace.package]\nlicense = \"MPL-2.0\"\n",
    );
    write(
        &checkout,
        "smf/Cargo.toml",
        "[package]\nname = \"smf\"\nversion = \"0.10.0\"\nlicense.workspace = true\n",
    );
    // The same repository at another commit must not be read.
    write(
        &home
            .path()
            .join("git/checkouts/smf-rs-0a1b2c3d4e5f6789/aaaaaaa"),
        "smf/Cargo.toml",
        "[package]\nname = \"smf\"\nversion = \"0.10.0\"\nlicense = \"GPL-2.0-only\"\n",
    );
    let repo = tempfile::tempdir().unwrap();
    let packages = packages(&[
        (
            "smf",
            "0.10.0",
            Some(
                "git+https://github.com/illumos/smf-rs?branch=main#72389b51f2e0bc0ad4a8d0a6c1e6d7c0e5b2a9f1",
            ),
        ),
        (
            "uncloned",
            "1.0.0",
            Some(
                "git+https://github.com/example/uncloned#0123456789abcdef0123456789abcdef01234567",
            ),
        ),
    ]);
    let discovery = run(&packages, home.path(), repo.path()).unwrap();
    assert_eq!(discovery.found[0].license.as_deref(), Some("MPL-2.0"));
    assert_eq!(
        discovery.found[0].manifest.as_deref(),
        Some(checkout.join("smf/Cargo.toml").as_path())
    );
    assert_eq!(
        discovery.missing,
        [("uncloned".to_owned(), "1.0.0".to_owned())]
    );
}
