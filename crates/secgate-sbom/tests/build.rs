//! `build` on the real corpus lockfiles and on small hand-written ones.

use secgate_core::PackageSource;
use secgate_sbom::{BuildError, Component, HashAlgorithm, Root, Sbom, Tool, build};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const CARGO_CORPUS: [&str; 6] = [
    "cargo-bat",
    "cargo-large-omicron",
    "cargo-nushell",
    "cargo-old-spotify-tui",
    "cargo-old-ytop",
    "cargo-xi-editor-2023",
];

fn shared() -> PathBuf {
    std::env::var_os("SECGATE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    )
}

fn root(bom_ref: &str) -> Root {
    Root {
        bom_ref: bom_ref.into(),
        name: "project".into(),
        version: None,
        purl: None,
        depends_on: Vec::new(),
    }
}

fn tool() -> Tool {
    Tool {
        name: "secgate".into(),
        version: "0.1.0".into(),
    }
}

fn build_path(path: &Path, root_ref: &str) -> Result<Sbom, BuildError> {
    let inventory = secgate_inventory::discover(path).expect("inventory");
    build(&inventory, root(root_ref), &BTreeMap::new(), tool(), None)
}

/// The corpus folder's lockfile text (xi-editor keeps it under `rust/`).
fn lockfile_text(folder: &str) -> String {
    let dir = shared().join("corpus").join(folder);
    let path = [dir.join("Cargo.lock"), dir.join("rust/Cargo.lock")]
        .into_iter()
        .find(|p| p.is_file())
        .expect("corpus lockfile");
    fs::read_to_string(path).expect("read lockfile")
}

/// `(name, version, source, checksum)` of every `[[package]]`, read from the text directly.
fn entries(text: &str) -> Vec<(String, String, Option<String>, Option<String>)> {
    let value = |block: &str, key: &str| {
        block.lines().find_map(|line| {
            let rest = line.strip_prefix(key)?.strip_prefix(" = \"")?;
            Some(rest.trim_end_matches('"').to_owned())
        })
    };
    text.split("[[package]]")
        .skip(1)
        .map(|block| {
            (
                value(block, "name").expect("name"),
                value(block, "version").expect("version"),
                value(block, "source"),
                value(block, "checksum"),
            )
        })
        .collect()
}

fn by_ref(sbom: &Sbom) -> BTreeMap<&str, &Component> {
    sbom.components
        .iter()
        .map(|c| (c.bom_ref.as_str(), c))
        .collect()
}

#[test]
fn every_corpus_lockfile_gives_one_sorted_component_per_package() {
    for folder in CARGO_CORPUS {
        let text = lockfile_text(folder);
        let packages = text.lines().filter(|l| *l == "[[package]]").count();
        let sbom = build_path(&shared().join("corpus").join(folder), "project").expect(folder);
        assert_eq!(sbom.components.len(), packages, "{folder}");
        let refs: Vec<&str> = sbom.components.iter().map(|c| c.bom_ref.as_str()).collect();
        let mut sorted = refs.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(refs, sorted, "{folder}: sorted and unique");
    }
}

#[test]
fn sampled_purls_and_checksums_match_the_lockfile_text() {
    for folder in CARGO_CORPUS {
        let text = lockfile_text(folder);
        let sbom = build_path(&shared().join("corpus").join(folder), "project").expect(folder);
        let components = by_ref(&sbom);
        let crates_io: Vec<_> = entries(&text)
            .into_iter()
            .filter(|e| {
                e.2.as_deref()
                    .is_some_and(|s| s.contains("crates.io-index"))
            })
            .collect();
        let step = (crates_io.len() / 20).max(1);
        for (name, version, _, checksum) in crates_io.iter().step_by(step) {
            let purl = format!("pkg:cargo/{name}@{}", version.replace('+', "%2B"));
            let component = components
                .get(purl.as_str())
                .unwrap_or_else(|| panic!("{folder}: no component {purl}"));
            assert_eq!(component.purl, purl);
            assert_eq!((&component.name, &component.version), (name, version));
            let hashes: Vec<_> = component
                .hashes
                .iter()
                .map(|h| (h.algorithm, h.hex.clone()))
                .collect();
            let expected: Vec<_> = checksum
                .iter()
                .map(|c| (HashAlgorithm::Sha256, c.clone()))
                .collect();
            assert_eq!(hashes, expected, "{folder}: {purl}");
        }
    }
}

#[test]
fn the_graph_has_every_lockfile_edge_and_only_existing_components() {
    for folder in CARGO_CORPUS {
        let text = lockfile_text(folder);
        // Every dependency entry is one ` "..."` line of a `dependencies` array.
        let entry_lines = text.lines().filter(|l| l.starts_with(" \"")).count();
        let sbom = build_path(&shared().join("corpus").join(folder), "project").expect(folder);
        let refs: BTreeSet<&str> = sbom.components.iter().map(|c| c.bom_ref.as_str()).collect();
        let edges: usize = sbom.components.iter().map(|c| c.depends_on.len()).sum();
        assert_eq!(edges, entry_lines, "{folder}");
        for component in &sbom.components {
            for dependency in &component.depends_on {
                assert!(refs.contains(dependency.as_str()), "{folder}: {dependency}");
            }
            assert!(component.depends_on.is_sorted(), "{folder}");
        }
        assert!(!sbom.root.depends_on.is_empty(), "{folder}");
        for top in &sbom.root.depends_on {
            let component = by_ref(&sbom)[top.as_str()];
            assert_eq!(component.source, PackageSource::Local, "{folder}: {top}");
        }
    }
}

#[test]
fn git_packages_carry_vcs_url_and_no_hash() {
    let folder = "cargo-large-omicron";
    let text = lockfile_text(folder);
    let git_entries = text
        .lines()
        .filter(|l| l.starts_with("source = \"git+"))
        .count();
    let sbom = build_path(&shared().join("corpus").join(folder), "project").expect(folder);
    let git: Vec<&Component> = sbom
        .components
        .iter()
        .filter(|c| matches!(c.source, PackageSource::Git { .. }))
        .collect();
    assert!(git_entries > 50, "omicron has many git packages");
    assert_eq!(git.len(), git_entries);
    for component in &git {
        assert!(
            component
                .purl
                .contains("?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2F"),
            "{}",
            component.purl
        );
        assert!(component.hashes.is_empty(), "{}", component.purl);
    }
    // Two spellings of one repository at one commit stay two packages, as in Cargo.
    let components = by_ref(&sbom);
    for purl in [
        "pkg:cargo/rats-corim@0.1.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Foxidecomputer\
         %2Frats-corim%40f0d5d5168d3d31487a56df32c676b0c6240bcc6b",
        "pkg:cargo/rats-corim@0.1.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Foxidecomputer\
         %2Frats-corim.git%3Frev%3Df0d5d5168d3d31487a56df32c676b0c6240bcc6b\
         %40f0d5d5168d3d31487a56df32c676b0c6240bcc6b",
    ] {
        assert!(components.contains_key(purl), "{purl}");
    }
}

#[test]
fn root_depends_on_the_top_workspace_members() {
    let bat = build_path(&shared().join("corpus/cargo-bat"), "project").expect("bat");
    let version = entries(&lockfile_text("cargo-bat"))
        .into_iter()
        .find(|e| e.0 == "bat")
        .expect("bat entry")
        .1;
    assert_eq!(bat.root.depends_on, [format!("pkg:cargo/bat@{version}")]);

    // A root that is itself a locked package takes that package's place and dependencies.
    let bat_ref = format!("pkg:cargo/bat@{version}");
    let folded = build_path(&shared().join("corpus/cargo-bat"), &bat_ref).expect("bat");
    assert_eq!(folded.components.len(), bat.components.len() - 1);
    assert!(!by_ref(&folded).contains_key(bat_ref.as_str()));
    assert_eq!(
        folded.root.depends_on,
        by_ref(&bat)[bat_ref.as_str()].depends_on
    );
}

const HEADER: &str = "version = 4\n\n";

fn lockfile(dir: &Path, relative: &str, packages: &str) -> PathBuf {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(&path, format!("{HEADER}{packages}")).expect("write");
    path
}

const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

fn dependency_lines(deps: &[&str]) -> String {
    deps.iter().flat_map(|d| [" \"", d, "\",\n"]).collect()
}

fn crate_entry(name: &str, version: &str, deps: &[&str]) -> String {
    let deps = dependency_lines(deps);
    format!(
        "[[package]]\nname = \"{name}\"\nversion = \"{version}\"\nsource = \"{CRATES_IO}\"\n\
         checksum = \"{}\"\ndependencies = [\n{deps}]\n\n",
        "ab".repeat(32)
    )
}

fn local_entry(name: &str, deps: &[&str]) -> String {
    let deps = dependency_lines(deps);
    format!("[[package]]\nname = \"{name}\"\nversion = \"0.1.0\"\ndependencies = [\n{deps}]\n\n")
}

#[test]
fn members_nobody_depends_on_are_the_top_and_licences_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = [
        local_entry("app", &["lib", "serde"]),
        local_entry("lib", &["serde"]),
        local_entry("xtask", &[]),
        crate_entry("serde", "1.0.0", &[]),
    ]
    .concat();
    let path = lockfile(dir.path(), "Cargo.lock", &text);
    let inventory = secgate_inventory::discover(&path).expect("inventory");
    let licenses = BTreeMap::from([(("serde".into(), "1.0.0".into()), "MIT OR Apache-2.0".into())]);
    let sbom = build(&inventory, root("project"), &licenses, tool(), Some(7)).expect("build");
    assert_eq!(
        sbom.root.depends_on,
        ["pkg:cargo/app@0.1.0", "pkg:cargo/xtask@0.1.0"]
    );
    assert_eq!(sbom.timestamp, Some(7));
    let components = by_ref(&sbom);
    let serde = components["pkg:cargo/serde@1.0.0"];
    assert_eq!(serde.license.as_deref(), Some("MIT OR Apache-2.0"));
    assert_eq!(components["pkg:cargo/app@0.1.0"].license, None);
    assert_eq!(
        components["pkg:cargo/app@0.1.0"].depends_on,
        ["pkg:cargo/lib@0.1.0", "pkg:cargo/serde@1.0.0"]
    );

    // Without local packages, the top is what nothing depends on.
    let only_registry = [
        crate_entry("a", "1.0.0", &["b"]),
        crate_entry("b", "1.0.0", &[]),
        crate_entry("c", "1.0.0", &[]),
    ]
    .concat();
    let path = lockfile(dir.path(), "registry/Cargo.lock", &only_registry);
    let sbom = build_path(&path, "project").expect("build");
    assert_eq!(
        sbom.root.depends_on,
        ["pkg:cargo/a@1.0.0", "pkg:cargo/c@1.0.0"]
    );
}

#[test]
fn a_package_in_several_lockfiles_is_one_component_with_all_its_dependencies() {
    let dir = tempfile::tempdir().expect("tempdir");
    lockfile(
        dir.path(),
        "one/Cargo.lock",
        &[
            crate_entry("shared", "1.0.0", &["a"]),
            crate_entry("a", "1.0.0", &[]),
        ]
        .concat(),
    );
    lockfile(
        dir.path(),
        "two/Cargo.lock",
        &[
            crate_entry("shared", "1.0.0", &["b 2.0.0"]),
            crate_entry("b", "1.0.0", &[]),
            crate_entry("b", "2.0.0", &[]),
        ]
        .concat(),
    );
    let sbom = build_path(dir.path(), "project").expect("build");
    let refs: Vec<&str> = sbom.components.iter().map(|c| c.bom_ref.as_str()).collect();
    assert_eq!(
        refs,
        [
            "pkg:cargo/a@1.0.0",
            "pkg:cargo/b@1.0.0",
            "pkg:cargo/b@2.0.0",
            "pkg:cargo/shared@1.0.0"
        ]
    );
    let shared = by_ref(&sbom)["pkg:cargo/shared@1.0.0"];
    assert_eq!(
        shared.depends_on,
        ["pkg:cargo/a@1.0.0", "pkg:cargo/b@2.0.0"]
    );
    assert_eq!(shared.hashes.len(), 1, "the same checksum once");
}

fn build_error(packages: &str) -> BuildError {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = lockfile(dir.path(), "Cargo.lock", packages);
    build_path(&path, "project").expect_err("corrupt lockfile")
}

#[test]
fn unresolvable_and_ambiguous_dependencies_are_errors_at_the_package_line() {
    // Line 1 is `version = 4`, 2 blank, 3 the first `[[package]]`; an entry is 8 lines plus
    // one per dependency.
    let ambiguous = [
        crate_entry("a", "1.0.0", &["b"]),
        crate_entry("b", "1.0.0", &[]),
        crate_entry("b", "2.0.0", &[]),
    ]
    .concat();
    let error = build_error(&ambiguous);
    assert_eq!((error.path.as_str(), error.line), ("Cargo.lock", 3));
    assert!(error.message.contains("\"b\" is ambiguous"), "{error}");

    let unknown = [
        crate_entry("a", "1.0.0", &[]),
        crate_entry("c", "1.0.0", &["a 1.0.1"]),
    ]
    .concat();
    let error = build_error(&unknown);
    assert_eq!(error.line, 11);
    assert!(
        error.message.contains("\"a 1.0.1\" names no package"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "Cargo.lock:11: c 1.0.0: dependency \"a 1.0.1\" names no package of this lockfile"
    );
}

#[test]
fn a_checksum_that_is_not_sha256_is_an_error() {
    let text = crate_entry("a", "1.0.0", &[]).replace(&"ab".repeat(32), "not-hex");
    let error = build_error(&text);
    assert_eq!(error.line, 3);
    assert!(
        error.message.contains("\"not-hex\" is not a SHA-256"),
        "{error}"
    );
}
