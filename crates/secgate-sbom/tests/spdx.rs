//! The SPDX 2.3 writer: a hand-built SBOM with one package of each source kind, then every
//! `Cargo.lock` of the shared corpus through `discover`, `build` and `spdx::write`.
//!
//! The corpus lives in `$SECGATE_SHARED/corpus`, or else `../shared/corpus` beside the
//! repository; a missing corpus fails the test. With `SECGATE_SPDX_OUT` set to a directory, the
//! corpus documents are also written there, for the SPDX validator in
//! `../shared/tools/validate`.

use secgate_core::{Ecosystem, PackageSource};
use secgate_sbom::{Component, Hash, HashAlgorithm, Root, Sbom, Tool, spdx};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SERDE: &str = "pkg:cargo/serde@1.0.200";
const GIT: &str = "pkg:cargo/reedline@0.30.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fnushell%2Freedline%407f3a1b2c";
const LOCAL: &str = "pkg:cargo/demo-util@0.1.0";
const SERDE_SHA256: &str = "ddc6f9cc94d67c0e21aaf7eda3a010fd3af78ebf6e096aa6e2e13c79749cce4f";

fn component(bom_ref: &str, name: &str, version: &str, source: PackageSource) -> Component {
    Component {
        bom_ref: bom_ref.to_owned(),
        name: name.to_owned(),
        version: version.to_owned(),
        ecosystem: Ecosystem::CratesIo,
        purl: bom_ref.to_owned(),
        source,
        license: None,
        hashes: Vec::new(),
        supplier: None,
        depends_on: Vec::new(),
    }
}

/// `demo` depends on serde (crates.io), reedline (git) and demo-util (local); reedline and
/// demo-util depend on serde, and demo-util names a package that is not in the SBOM.
fn demo() -> Sbom {
    let mut serde = component(SERDE, "serde", "1.0.200", PackageSource::DefaultRegistry);
    serde.license = Some("MIT OR Apache-2.0".to_owned());
    serde.supplier = Some("serde-rs".to_owned());
    serde.hashes = vec![Hash {
        algorithm: HashAlgorithm::Sha256,
        hex: SERDE_SHA256.to_owned(),
    }];
    let mut git = component(
        GIT,
        "reedline",
        "0.30.0",
        PackageSource::Git {
            url: "https://github.com/nushell/reedline?branch=main".to_owned(),
            rev: Some("7f3a1b2c".to_owned()),
        },
    );
    git.license = Some("Apache-2.0 WITH LLVM-exception".to_owned());
    git.depends_on = vec![SERDE.to_owned()];
    let mut local = component(LOCAL, "demo-util", "0.1.0", PackageSource::Local);
    local.license = Some("MIT AND Acme-Proprietary-1.0".to_owned());
    local.depends_on = vec!["pkg:cargo/missing@1.0.0".to_owned(), SERDE.to_owned()];
    Sbom {
        root: Root {
            bom_ref: "root".to_owned(),
            name: "demo".to_owned(),
            version: Some("0.1.0".to_owned()),
            purl: Some("pkg:cargo/demo@0.1.0".to_owned()),
            depends_on: vec![GIT.to_owned(), LOCAL.to_owned(), SERDE.to_owned()],
        },
        components: vec![serde, git, local],
        tool: Tool {
            name: "secgate".to_owned(),
            version: "0.1.0".to_owned(),
        },
        timestamp: Some(1_767_323_045),
        vulnerabilities: Vec::new(),
    }
}

/// Keeps `json` as `<name>.spdx.json` in `$SECGATE_SPDX_OUT`, when set, for the validator.
fn save(name: &str, json: &str) {
    if let Some(out) = std::env::var_os("SECGATE_SPDX_OUT") {
        std::fs::write(PathBuf::from(out).join(format!("{name}.spdx.json")), json)
            .expect("writable SECGATE_SPDX_OUT");
    }
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).expect("spdx::write writes JSON")
}

/// The package named `name`.
fn package<'a>(document: &'a Value, name: &str) -> &'a Value {
    document["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no package {name}"))
}

/// `(from, type, to)` for every relationship.
fn relationships(document: &Value) -> Vec<(String, String, String)> {
    document["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .map(|r| {
            let field = |key: &str| r[key].as_str().expect(key).to_owned();
            (
                field("spdxElementId"),
                field("relationshipType"),
                field("relatedSpdxElement"),
            )
        })
        .collect()
}

fn valid_spdx_id(id: &str) -> bool {
    id.strip_prefix("SPDXRef-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    })
}

/// Every package SPDXID is valid and unique, and every relationship names the document or a
/// package; returns the package ids.
fn check_ids(document: &Value) -> BTreeSet<String> {
    let packages = document["packages"].as_array().expect("packages");
    let ids: BTreeSet<String> = packages
        .iter()
        .map(|p| p["SPDXID"].as_str().expect("SPDXID").to_owned())
        .collect();
    assert_eq!(ids.len(), packages.len(), "duplicate SPDXIDs");
    for id in &ids {
        assert!(valid_spdx_id(id), "invalid SPDXID {id}");
    }
    for (from, kind, to) in relationships(document) {
        assert!(
            from == "SPDXRef-DOCUMENT" || ids.contains(&from),
            "{from} {kind} {to}: undefined element"
        );
        assert!(ids.contains(&to), "{from} {kind} {to}: undefined target");
    }
    ids
}

#[test]
fn document_header_names_the_root_and_its_creation() {
    let json = spdx::write(&demo());
    save("demo", &json);
    let document = parse(&json);
    assert_eq!(document["spdxVersion"], "SPDX-2.3");
    assert_eq!(document["dataLicense"], "CC0-1.0");
    assert_eq!(document["SPDXID"], "SPDXRef-DOCUMENT");
    assert_eq!(document["name"], "demo");
    let namespace = document["documentNamespace"].as_str().expect("namespace");
    let digest = namespace
        .strip_prefix("https://secgate.invalid/spdx/demo-0.1.0-")
        .expect("namespace under secgate.invalid, with name and version");
    assert_eq!(digest.len(), 64);
    assert!(digest.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(document["creationInfo"]["created"], "2026-01-02T03:04:05Z");
    assert_eq!(
        document["creationInfo"]["creators"],
        serde_json::json!(["Tool: secgate-0.1.0"])
    );
}

#[test]
fn without_a_timestamp_the_creation_time_is_the_epoch() {
    let mut sbom = demo();
    sbom.timestamp = None;
    let document = parse(&spdx::write(&sbom));
    assert_eq!(document["creationInfo"]["created"], "1970-01-01T00:00:00Z");
}

#[test]
fn root_is_the_application_and_components_are_libraries() {
    let document = parse(&spdx::write(&demo()));
    let packages = document["packages"].as_array().expect("packages");
    assert_eq!(packages.len(), 4);
    let root = &packages[0];
    assert_eq!(root["SPDXID"], "SPDXRef-Root");
    assert_eq!(root["name"], "demo");
    assert_eq!(root["versionInfo"], "0.1.0");
    assert_eq!(root["primaryPackagePurpose"], "APPLICATION");
    assert_eq!(root["downloadLocation"], "NOASSERTION");
    assert_eq!(
        root["externalRefs"][0]["referenceLocator"],
        "pkg:cargo/demo@0.1.0"
    );
    for library in &packages[1..] {
        assert_eq!(library["primaryPackagePurpose"], "LIBRARY");
        assert_eq!(library["filesAnalyzed"], false);
        assert_eq!(library["licenseConcluded"], "NOASSERTION");
        assert_eq!(library["copyrightText"], "NOASSERTION");
        let purl = &library["externalRefs"][0];
        assert_eq!(purl["referenceCategory"], "PACKAGE-MANAGER");
        assert_eq!(purl["referenceType"], "purl");
        assert!(
            purl["referenceLocator"]
                .as_str()
                .is_some_and(|l| l.starts_with("pkg:cargo/"))
        );
    }
}

#[test]
fn download_location_checksums_and_supplier_follow_the_source() {
    let document = parse(&spdx::write(&demo()));
    let serde = package(&document, "serde");
    assert_eq!(
        serde["downloadLocation"],
        "https://crates.io/api/v1/crates/serde/1.0.200/download"
    );
    assert_eq!(
        serde["checksums"],
        serde_json::json!([{"algorithm": "SHA256", "checksumValue": SERDE_SHA256}])
    );
    assert_eq!(serde["supplier"], "Organization: serde-rs");
    assert_eq!(serde["externalRefs"][0]["referenceLocator"], SERDE);

    let git = package(&document, "reedline");
    assert_eq!(
        git["downloadLocation"],
        "git+https://github.com/nushell/reedline@7f3a1b2c"
    );
    assert!(git.get("checksums").is_none());
    assert!(git.get("supplier").is_none());

    let local = package(&document, "demo-util");
    assert_eq!(local["downloadLocation"], "NOASSERTION");
}

#[test]
fn declared_licences_keep_exceptions_and_drop_unknown_ids() {
    let document = parse(&spdx::write(&demo()));
    assert_eq!(
        package(&document, "serde")["licenseDeclared"],
        "MIT OR Apache-2.0"
    );
    assert_eq!(
        package(&document, "reedline")["licenseDeclared"],
        "Apache-2.0 WITH LLVM-exception"
    );
    // One id off the SPDX list makes the whole expression unassertable.
    assert_eq!(
        package(&document, "demo-util")["licenseDeclared"],
        "NOASSERTION"
    );
    assert!(document.get("hasExtractedLicensingInfos").is_none());
}

#[test]
fn license_refs_are_defined_in_the_document() {
    let mut sbom = demo();
    sbom.components[2].license = Some("MIT AND LicenseRef-Acme".to_owned());
    let json = spdx::write(&sbom);
    save("demo-license-ref", &json);
    let document = parse(&json);
    assert_eq!(
        package(&document, "demo-util")["licenseDeclared"],
        "MIT AND LicenseRef-Acme"
    );
    let infos = document["hasExtractedLicensingInfos"]
        .as_array()
        .expect("extracted licensing infos");
    assert_eq!(infos.len(), 1);
    assert_eq!(infos[0]["licenseId"], "LicenseRef-Acme");
    assert!(
        infos[0]["extractedText"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
}

#[test]
fn relationships_describe_the_root_and_follow_the_graph() {
    let document = parse(&spdx::write(&demo()));
    let id = |name: &str| {
        package(&document, name)["SPDXID"]
            .as_str()
            .expect("SPDXID")
            .to_owned()
    };
    let (root, serde, git, local) = (id("demo"), id("serde"), id("reedline"), id("demo-util"));
    assert_eq!(serde, "SPDXRef-Package-cargo-serde-1.0.200");
    let depends = |from: &str, to: &str| (from.to_owned(), "DEPENDS_ON".to_owned(), to.to_owned());
    let mut expected_edges = vec![
        depends(&root, &git),
        depends(&root, &local),
        depends(&root, &serde),
        depends(&git, &serde),
        // demo-util's dependency on a package outside the SBOM is left out.
        depends(&local, &serde),
    ];
    expected_edges.sort();
    let mut expected = vec![(
        "SPDXRef-DOCUMENT".to_owned(),
        "DESCRIBES".to_owned(),
        root.clone(),
    )];
    expected.extend(expected_edges);
    assert_eq!(relationships(&document), expected);
    check_ids(&document);
}

#[test]
fn spdx_ids_stay_unique_when_sanitized_refs_collide() {
    let mut sbom = demo();
    // Both sanitize to `cargo-a-b-1`; the third is not a purl at all.
    for bom_ref in ["pkg:cargo/a-b@1", "pkg:cargo/a@b-1", "not a purl!"] {
        let mut extra = component(bom_ref, "a", "1", PackageSource::DefaultRegistry);
        extra.purl = "pkg:cargo/a@1".to_owned();
        sbom.components.push(extra);
        sbom.root.depends_on.push(bom_ref.to_owned());
    }
    let json = spdx::write(&sbom);
    save("demo-colliding-ids", &json);
    let document = parse(&json);
    let ids = check_ids(&document);
    assert_eq!(ids.len(), 7);
    let root_edges = relationships(&document)
        .into_iter()
        .filter(|(from, kind, _)| from == "SPDXRef-Root" && kind == "DEPENDS_ON")
        .count();
    assert_eq!(root_edges, 6);
}

#[test]
fn a_component_with_the_roots_ref_is_written_once_as_the_root() {
    let mut sbom = demo();
    let mut root_package = component("root", "demo", "0.1.0", PackageSource::Local);
    root_package.depends_on = vec![SERDE.to_owned()];
    sbom.root.depends_on.clear();
    sbom.components.push(root_package);
    let document = parse(&spdx::write(&sbom));
    assert_eq!(document["packages"].as_array().map(Vec::len), Some(4));
    let root_edges: Vec<_> = relationships(&document)
        .into_iter()
        .filter(|(from, _, _)| from == "SPDXRef-Root")
        .collect();
    assert_eq!(
        root_edges,
        [(
            "SPDXRef-Root".to_owned(),
            "DEPENDS_ON".to_owned(),
            "SPDXRef-Package-cargo-serde-1.0.200".to_owned()
        )]
    );
}

#[test]
fn output_is_reproducible_and_its_namespace_follows_the_content() {
    let sbom = demo();
    let first = spdx::write(&sbom);
    assert_eq!(first, spdx::write(&sbom));
    assert!(first.ends_with("}\n"));
    assert!(first.starts_with("{\n  \"spdxVersion\": \"SPDX-2.3\",\n"));

    // Input order does not matter.
    let mut shuffled = demo();
    shuffled.components.reverse();
    shuffled.root.depends_on.reverse();
    assert_eq!(first, spdx::write(&shuffled));

    // Any change of content moves the namespace.
    let namespace = |json: &str| parse(json)["documentNamespace"].clone();
    let mut changed = demo();
    changed.components[0].version = "1.0.201".to_owned();
    assert_ne!(namespace(&first), namespace(&spdx::write(&changed)));
    let mut later = demo();
    later.timestamp = Some(1_767_323_046);
    assert_ne!(namespace(&first), namespace(&spdx::write(&later)));
}

fn shared_corpus() -> PathBuf {
    let shared = std::env::var_os("SECGATE_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    let corpus = shared.join("corpus");
    assert!(
        corpus.is_dir(),
        "the shared corpus is missing at {}: set SECGATE_SHARED to the shared directory",
        corpus.display()
    );
    corpus
}

/// Every `Cargo.lock` under `dir`.
fn lockfiles_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable corpus")
        .map(|entry| entry.expect("readable corpus entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            lockfiles_under(&path, found);
        } else if path.file_name().is_some_and(|name| name == "Cargo.lock") {
            found.push(path);
        }
    }
}

#[test]
fn every_corpus_cargo_lock_writes_a_consistent_document() {
    let corpus = shared_corpus();
    let mut lockfiles = Vec::new();
    for entry in std::fs::read_dir(&corpus).expect("readable corpus") {
        let path = entry.expect("readable corpus entry").path();
        if path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("cargo-"))
        {
            lockfiles_under(&path, &mut lockfiles);
        }
    }
    lockfiles.sort();
    assert!(lockfiles.len() >= 6, "corpus lockfiles: {lockfiles:?}");
    for lockfile in &lockfiles {
        let text = std::fs::read_to_string(lockfile).expect("readable lockfile");
        let entries = text.lines().filter(|line| *line == "[[package]]").count();
        let inventory = secgate_inventory::discover(lockfile).expect("corpus lockfile parses");
        let project = lockfile
            .strip_prefix(&corpus)
            .ok()
            .and_then(|relative| relative.components().next())
            .map(|first| first.as_os_str().to_string_lossy().into_owned())
            .expect("lockfile inside the corpus");
        let root = Root {
            bom_ref: "root".to_owned(),
            name: project.clone(),
            version: None,
            purl: None,
            depends_on: Vec::new(),
        };
        let licenses = BTreeMap::from([(
            ("serde".to_owned(), "1.0.0".to_owned()),
            "MIT OR Apache-2.0".to_owned(),
        )]);
        let tool = Tool {
            name: "secgate".to_owned(),
            version: "0.1.0".to_owned(),
        };
        let sbom = secgate_sbom::build(&inventory, root, &licenses, tool, Some(1_767_323_045))
            .expect("corpus SBOM builds");
        let json = spdx::write(&sbom);
        save(&project, &json);

        let document = parse(&json);
        let packages = document["packages"].as_array().expect("packages");
        assert_eq!(
            packages.len(),
            entries + 1,
            "{project}: one package per [[package]] entry, plus the root"
        );
        let ids = check_ids(&document);
        let edges = relationships(&document);
        assert_eq!(edges[0].1, "DESCRIBES", "{project}");
        // The graph is written, not only the package list: every locked package is the
        // target of an edge (the root's, for the workspace members at the top).
        let targets: BTreeSet<&String> = edges.iter().map(|(_, _, to)| to).collect();
        let unreached: Vec<&String> = ids
            .iter()
            .filter(|id| *id != "SPDXRef-Root" && !targets.contains(id))
            .collect();
        assert!(
            unreached.is_empty(),
            "{project}: packages without an incoming edge: {unreached:?}"
        );
        assert_eq!(json, spdx::write(&sbom), "{project}: reproducible");
    }
}
