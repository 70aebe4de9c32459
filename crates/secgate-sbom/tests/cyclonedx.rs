//! The CycloneDX writer on the real corpus lockfiles: the fields the CycloneDX 1.5/1.6 schemas
//! require, the references between them, VEX analysis, and reproducibility. (The third-party
//! validator in `shared/tools/validate` is run on these outputs by hand and by CI on the files
//! the CLI tests write; these tests do not depend on it being installed.)

use secgate_core::Severity;
use secgate_sbom::cyclonedx::{self, SpecVersion};
use secgate_sbom::{Analysis, Rating, Root, Sbom, Tool, Vulnerability, build};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fmt::Write as _;
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

fn corpus_sbom(folder: &str, timestamp: Option<i64>) -> Sbom {
    let inventory =
        secgate_inventory::discover(&shared().join("corpus").join(folder)).expect("inventory");
    let licenses = inventory
        .packages()
        .filter(|p| p.name.starts_with('s'))
        .map(|p| {
            (
                (p.name.clone(), p.version.clone()),
                "MIT OR Apache-2.0".into(),
            )
        })
        .collect();
    let root = Root {
        bom_ref: format!("project:{folder}"),
        name: folder.into(),
        version: Some("1.0.0".into()),
        purl: None,
        depends_on: Vec::new(),
    };
    let tool = Tool {
        name: "secgate".into(),
        version: "0.1.0".into(),
    };
    build(&inventory, root, &licenses, tool, timestamp).expect("build")
}

fn str_of<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer}"))
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn assert_keys_within(value: &Value, allowed: &[&str], what: &str) {
    let unknown: Vec<_> = keys(value)
        .into_iter()
        .filter(|k| !allowed.contains(k))
        .collect();
    assert!(unknown.is_empty(), "{what}: unknown properties {unknown:?}");
}

fn assert_no_nulls(value: &Value, at: &str) {
    match value {
        Value::Null => panic!("null at {at}"),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                assert_no_nulls(item, &format!("{at}/{i}"));
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                assert_no_nulls(item, &format!("{at}/{key}"));
            }
        }
        _ => {}
    }
}

/// `urn:uuid:` + 8-4-4-4-12 lower-case hex, version 5, RFC 4122 variant.
fn assert_serial_number(serial: &str) {
    let uuid = serial.strip_prefix("urn:uuid:").expect("urn:uuid:");
    let groups: Vec<&str> = uuid.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    assert_eq!(lengths, [8, 4, 4, 4, 12], "{serial}");
    assert!(
        uuid.bytes()
            .all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert!(groups[2].starts_with('5'), "version 5: {serial}");
    assert!(
        groups[3].starts_with(['8', '9', 'a', 'b']),
        "variant: {serial}"
    );
}

/// What the CycloneDX 1.5 and 1.6 schemas require of the document `json` writes for `sbom`.
fn assert_cyclonedx(json: &str, sbom: &Sbom, spec: &str) {
    assert!(json.ends_with("}\n") && json.starts_with("{\n  \"$schema\""));
    let doc: Value = serde_json::from_str(json).expect("JSON");
    assert_no_nulls(&doc, "#");
    assert_keys_within(
        &doc,
        &[
            "$schema",
            "bomFormat",
            "specVersion",
            "serialNumber",
            "version",
            "metadata",
            "components",
            "dependencies",
            "vulnerabilities",
        ],
        "bom",
    );
    assert_eq!(
        str_of(&doc, "/$schema"),
        format!("http://cyclonedx.org/schema/bom-{spec}.schema.json")
    );
    assert_eq!(str_of(&doc, "/bomFormat"), "CycloneDX");
    assert_eq!(str_of(&doc, "/specVersion"), spec);
    assert_eq!(doc["version"], 1);
    assert_serial_number(str_of(&doc, "/serialNumber"));

    let metadata = &doc["metadata"];
    assert_keys_within(metadata, &["timestamp", "tools", "component"], "metadata");
    assert_eq!(metadata["tools"]["components"][0]["type"], "application");
    assert_eq!(metadata["tools"]["components"][0]["name"], "secgate");
    assert_eq!(metadata["component"]["type"], "application");
    assert_eq!(metadata["component"]["bom-ref"], sbom.root.bom_ref.as_str());

    let components = doc["components"].as_array().expect("components");
    assert_eq!(components.len(), sbom.components.len());
    let mut refs = BTreeSet::from([sbom.root.bom_ref.as_str()]);
    for c in components {
        assert_keys_within(
            c,
            &[
                "type",
                "bom-ref",
                "supplier",
                "name",
                "version",
                "hashes",
                "licenses",
                "purl",
                "externalReferences",
            ],
            "component",
        );
        assert_eq!(c["type"], "library");
        let bom_ref = str_of(c, "/bom-ref");
        assert_eq!(c["purl"].as_str(), Some(bom_ref));
        assert!(bom_ref.starts_with("pkg:cargo/"), "{bom_ref}");
        assert!(refs.insert(bom_ref), "duplicate bom-ref {bom_ref}");
        for hash in c["hashes"].as_array().into_iter().flatten() {
            assert_eq!(hash["alg"], "SHA-256");
            let content = hash["content"].as_str().expect("content");
            assert!(content.len() == 64 && content.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        for licence in c["licenses"].as_array().into_iter().flatten() {
            assert_eq!(keys(licence), BTreeSet::from(["expression"]));
        }
        let is_git = bom_ref.contains("?vcs_url=");
        assert_eq!(c.get("externalReferences").is_some(), is_git, "{bom_ref}");
        if is_git {
            assert_eq!(c["externalReferences"][0]["type"], "vcs");
            assert!(c.get("hashes").is_none(), "{bom_ref}");
        }
    }

    let dependencies = doc["dependencies"].as_array().expect("dependencies");
    assert_eq!(
        dependencies.len(),
        components.len() + 1,
        "one per component and the root"
    );
    let dependency_refs: Vec<&str> = dependencies.iter().map(|d| str_of(d, "/ref")).collect();
    assert!(dependency_refs.is_sorted());
    assert_eq!(
        dependency_refs.iter().copied().collect::<BTreeSet<_>>(),
        refs
    );
    for dependency in dependencies {
        assert_eq!(keys(dependency), BTreeSet::from(["dependsOn", "ref"]));
        let depends_on: Vec<&str> = dependency["dependsOn"]
            .as_array()
            .expect("dependsOn")
            .iter()
            .map(|d| d.as_str().expect("ref"))
            .collect();
        assert!(depends_on.is_sorted());
        for target in depends_on {
            assert!(refs.contains(target), "dangling {target}");
        }
    }
}

#[test]
fn every_corpus_lockfile_writes_cyclonedx_1_6_with_what_the_schema_requires() {
    let out = tempfile::tempdir().expect("tempdir");
    for folder in CARGO_CORPUS {
        let sbom = corpus_sbom(folder, None);
        let json = cyclonedx::write(&sbom, SpecVersion::default());
        let path = out.path().join(format!("{folder}.cdx.json"));
        fs::write(&path, &json).expect("write");
        let written = fs::read_to_string(&path).expect("read");
        assert_cyclonedx(&written, &sbom, "1.6");
        let doc: Value = serde_json::from_str(&written).expect("JSON");
        assert!(doc["metadata"].get("timestamp").is_none(), "{folder}");
        assert!(doc.get("vulnerabilities").is_none(), "{folder}");
        let root = doc["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .find(|d| d["ref"] == sbom.root.bom_ref.as_str())
            .expect("root dependency");
        assert_eq!(
            root["dependsOn"].as_array().map(Vec::len),
            Some(sbom.root.depends_on.len())
        );
        assert!(!sbom.root.depends_on.is_empty(), "{folder}");
    }
}

#[test]
fn version_1_5_differs_only_in_spec_version_schema_and_serial_number() {
    let sbom = corpus_sbom("cargo-old-ytop", Some(1_700_000_000));
    let v15 = cyclonedx::write(&sbom, SpecVersion::V1_5);
    assert_cyclonedx(&v15, &sbom, "1.5");
    let v16 = cyclonedx::write(&sbom, SpecVersion::V1_6);
    let mut a: Value = serde_json::from_str(&v15).expect("JSON");
    let mut b: Value = serde_json::from_str(&v16).expect("JSON");
    assert_eq!(a["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
    assert_ne!(a["serialNumber"], b["serialNumber"]);
    for doc in [&mut a, &mut b] {
        let map = doc.as_object_mut().expect("object");
        for key in ["$schema", "specVersion", "serialNumber"] {
            map.remove(key);
        }
    }
    assert_eq!(a, b);
}

fn vulnerability(id: &str, affects: &[&str]) -> Vulnerability {
    Vulnerability {
        id: id.into(),
        aliases: Vec::new(),
        source: ("RustSec".into(), None),
        description: String::new(),
        rating: None,
        affects: affects.iter().map(|a| (*a).to_owned()).collect(),
        recommendation: None,
        analysis: None,
    }
}

#[test]
fn vulnerabilities_carry_ratings_references_and_vex_analysis() {
    let mut sbom = corpus_sbom("cargo-old-ytop", None);
    let first = sbom.components[0].bom_ref.clone();
    let second = sbom.components[1].bom_ref.clone();
    let ignored = Vulnerability {
        aliases: vec!["GHSA-c38w-74pg-36hr".into(), "CVE-2023-49092".into()],
        source: (
            "RustSec".into(),
            Some("https://rustsec.org/advisories/RUSTSEC-2023-0071.html".into()),
        ),
        description: "Marvin Attack: potential key recovery through timing sidechannels".into(),
        rating: Some(Rating {
            severity: Severity::Medium,
            score: Some(5.9),
            vector: Some("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N".into()),
        }),
        recommendation: Some("no fixed version".into()),
        analysis: Some(Analysis {
            detail: "we never decrypt with RSA".into(),
        }),
        ..vulnerability("RUSTSEC-2023-0071", &[&first])
    };
    let unscored = Vulnerability {
        rating: Some(Rating {
            severity: Severity::Critical,
            score: Some(f64::NAN),
            vector: Some("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N".into()),
        }),
        ..vulnerability("RUSTSEC-2020-0001", &[&second, &first])
    };
    // The same id reported twice (per affected package) needs two bom-refs; `[second]` sorts
    // after `[first, second]` once `affects` is sorted.
    let again = vulnerability("RUSTSEC-2020-0001", &[&second]);
    sbom.vulnerabilities = vec![ignored, unscored, again];

    for spec in [SpecVersion::V1_5, SpecVersion::V1_6] {
        let json = cyclonedx::write(&sbom, spec);
        assert_cyclonedx(&json, &sbom, spec.as_str());
        let doc: Value = serde_json::from_str(&json).expect("JSON");
        let vulns = doc["vulnerabilities"].as_array().expect("vulnerabilities");
        let ids: Vec<(&str, &str)> = vulns
            .iter()
            .map(|v| (str_of(v, "/id"), str_of(v, "/bom-ref")))
            .collect();
        assert_eq!(
            ids,
            [
                ("RUSTSEC-2020-0001", "RUSTSEC-2020-0001"),
                ("RUSTSEC-2020-0001", "RUSTSEC-2020-0001#2"),
                ("RUSTSEC-2023-0071", "RUSTSEC-2023-0071"),
            ],
            "sorted by id, then by what they affect"
        );

        let marvin = &vulns[2];
        assert_eq!(
            marvin["analysis"],
            serde_json::json!({"state": "not_affected", "detail": "we never decrypt with RSA"})
        );
        assert_eq!(marvin["ratings"][0]["severity"], "medium");
        assert_eq!(marvin["ratings"][0]["score"], 5.9);
        assert_eq!(marvin["ratings"][0]["method"], "CVSSv31");
        assert_eq!(marvin["source"]["name"], "RustSec");
        assert_eq!(marvin["recommendation"], "no fixed version");
        assert_eq!(marvin["affects"], serde_json::json!([{"ref": first}]));
        let references: Vec<(&str, &str)> = marvin["references"]
            .as_array()
            .expect("references")
            .iter()
            .map(|r| (str_of(r, "/id"), str_of(r, "/source/name")))
            .collect();
        assert_eq!(
            references,
            [("CVE-2023-49092", "NVD"), ("GHSA-c38w-74pg-36hr", "GitHub")]
        );

        let unscored = &vulns[0];
        assert_eq!(
            keys(&unscored["ratings"][0]),
            BTreeSet::from(["method", "severity", "vector"]),
            "a NaN score is left out"
        );
        assert_eq!(unscored["ratings"][0]["method"], "CVSSv4");
        assert!(unscored.get("analysis").is_none());
        assert!(unscored.get("description").is_none());
        let affects: Vec<&str> = unscored["affects"]
            .as_array()
            .expect("affects")
            .iter()
            .map(|a| str_of(a, "/ref"))
            .collect();
        let mut expected = [first.as_str(), second.as_str()];
        expected.sort_unstable();
        assert_eq!(affects, expected);
    }
}

#[test]
fn identical_input_writes_identical_bytes() {
    for spec in [SpecVersion::V1_5, SpecVersion::V1_6] {
        let a = cyclonedx::write(&corpus_sbom("cargo-nushell", Some(0)), spec);
        let b = cyclonedx::write(&corpus_sbom("cargo-nushell", Some(0)), spec);
        assert!(a == b, "two writes of the same input differ");
        assert!(a.contains("\"timestamp\": \"1970-01-01T00:00:00Z\""));
    }
}

#[test]
fn the_serial_number_is_the_hash_of_the_rest_and_follows_every_change() {
    let sbom = corpus_sbom("cargo-bat", None);
    let json = cyclonedx::write(&sbom, SpecVersion::V1_6);
    let doc: Value = serde_json::from_str(&json).expect("JSON");
    let serial = str_of(&doc, "/serialNumber").to_owned();

    // The document without its serial number hashes to it.
    let without = json.replace(&format!("  \"serialNumber\": \"{serial}\",\n"), "");
    assert_ne!(without, json);
    let digest = Sha256::digest(without.as_bytes())
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        });
    let hex: String = serial.trim_start_matches("urn:uuid:").replace('-', "");
    assert_eq!(hex.get(..12), digest.get(..12));
    assert_eq!(hex.get(13..16), digest.get(13..16));
    assert_eq!(hex.get(17..), digest.get(17..32));

    let serial_of = |sbom: &Sbom| -> String {
        let doc: Value =
            serde_json::from_str(&cyclonedx::write(sbom, SpecVersion::V1_6)).expect("JSON");
        str_of(&doc, "/serialNumber").to_owned()
    };
    let mut changed = sbom.clone();
    changed.components[10].version.push_str("-patched");
    assert_ne!(serial_of(&changed), serial);
    let mut relicensed = sbom.clone();
    relicensed.components[10].license = Some("MIT".into());
    assert_ne!(serial_of(&relicensed), serial);
    let mut later = sbom.clone();
    later.timestamp = Some(1);
    assert_ne!(serial_of(&later), serial);
    assert_eq!(serial_of(&sbom.clone()), serial);
}

#[test]
fn an_unordered_model_is_written_sorted() {
    let mut sbom = corpus_sbom("cargo-old-ytop", None);
    let sorted = cyclonedx::write(&sbom, SpecVersion::V1_6);
    sbom.components.reverse();
    for component in &mut sbom.components {
        component.depends_on.reverse();
    }
    assert_eq!(cyclonedx::write(&sbom, SpecVersion::V1_6), sorted);
}
