//! Property tests of the advisory record parsers: any RustSec advisory file, OSV JSON record or
//! `all.zip` archive, however damaged, loads as a record or a `db-bad-record` (a
//! [`secgate_advisories::BadRecord`]) or fails the load with a typed [`DbError`]; it never
//! panics and never takes unbounded time. Seeds are the real snapshots in
//! `../shared/advisory-data`.

mod prop_common;

use prop_common::{apply, config, mutations, noise, shared, timed};
use proptest::prelude::*;
use secgate_advisories::{Database, DbError};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// Every `step`-th file of `dir` with extension `ext`, sorted, as bytes.
fn seeds(dir: &Path, ext: &str, step: usize) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    let seeds: Vec<Vec<u8>> = files
        .iter()
        .step_by(step)
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert!(
        seeds.len() >= 5,
        "too few seed records under {}",
        dir.display()
    );
    seeds
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every 15th real RustSec advisory, read once per test binary.
static RUSTSEC_SEEDS: LazyLock<Vec<Vec<u8>>> =
    LazyLock::new(|| seeds(&shared().join("advisory-data/rustsec/crates"), "md", 15));

/// Real OSV records of both ecosystems, read once per test binary.
static OSV_SEEDS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let osv = shared().join("advisory-data/osv");
    let mut all = seeds(&osv.join("crates.io"), "json", 40);
    all.extend(seeds(&osv.join("PyPI"), "json", 80));
    all
});

/// Loads a RustSec tree holding `record` as its one advisory.
fn load_rustsec(record: &[u8]) -> Database {
    let dir = tempfile::tempdir().unwrap();
    let crate_dir = dir.path().join("crates/some-crate");
    std::fs::create_dir_all(&crate_dir).unwrap();
    std::fs::write(crate_dir.join("RUSTSEC-2099-0001.md"), record).unwrap();
    let db = timed("loading a RustSec record", || {
        Database::open(&[dir.path().to_path_buf()])
    });
    db.expect("a RustSec tree with one bad record still loads")
}

/// Loads an OSV tree holding `record` as its one `<ecosystem>` record.
fn load_osv(ecosystem: &str, record: &[u8]) -> Database {
    let dir = tempfile::tempdir().unwrap();
    let eco = dir.path().join(ecosystem);
    std::fs::create_dir_all(&eco).unwrap();
    std::fs::write(eco.join("REC-2099-1.json"), record).unwrap();
    let db = timed("loading an OSV record", || {
        Database::open(&[dir.path().to_path_buf()])
    });
    db.expect("an OSV tree with one bad record still loads")
}

/// A record is either kept or reported, never silently lost.
fn assert_one_outcome(db: &Database) {
    assert!(
        db.len() + db.bad_records.len() <= 1,
        "one record gave {} records and {} bad records",
        db.len(),
        db.bad_records.len()
    );
    for bad in &db.bad_records {
        assert!(
            bad.line >= 1 && bad.column >= 1,
            "bad record position {bad:?}"
        );
    }
}

/// An `all.zip` of a few real records, as OSV.dev serves them.
fn archive() -> Vec<u8> {
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut cursor);
        let options = zip::write::SimpleFileOptions::default();
        for (i, record) in OSV_SEEDS.iter().take(8).enumerate() {
            zip.start_file(format!("REC-{i}.json"), options).unwrap();
            zip.write_all(record).unwrap();
        }
        zip.finish().unwrap();
    }
    cursor.into_inner()
}

/// A TOML front matter made of plausible advisory keys and values.
fn front_matter() -> impl Strategy<Value = String> {
    let known = proptest::sample::select(vec![
        "id",
        "package",
        "date",
        "url",
        "categories",
        "keywords",
        "aliases",
        "cvss",
        "informational",
        "withdrawn",
        "patched",
        "unaffected",
        "functions",
    ]);
    let key = prop_oneof![known.prop_map(str::to_owned), "[a-z_]{1,8}"];
    let value = prop_oneof![
        Just("\"RUSTSEC-2020-0001\"".to_owned()),
        Just("\"2021-01-01\"".to_owned()),
        Just("\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"".to_owned()),
        Just("[\">= 1.2.3\", \"^0.4\"]".to_owned()),
        Just("[\"< 0.0.0-0\"]".to_owned()),
        "\"[ -~]{0,20}\"",
        "\\[(\"[<>=^~0-9. ,*-]{0,12}\", ){0,3}\\]",
        any::<i64>().prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
    ];
    let table = prop_oneof![
        Just("[advisory]"),
        Just("[versions]"),
        Just("[affected]"),
        Just("[affected.functions]")
    ];
    let section = (table, proptest::collection::vec((key, value), 0..8)).prop_map(|(t, kv)| {
        let mut s = format!("{t}\n");
        for (k, v) in kv {
            writeln!(s, "{k} = {v}").expect("writing to a String");
        }
        s
    });
    proptest::collection::vec(section, 0..4)
        .prop_map(|sections| format!("```toml\n{}```\n\n# Title\n\nText.\n", sections.concat()))
}

/// An OSV-shaped JSON object with plausible keys and arbitrary values.
fn osv_json() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(serde_json::json!("0")),
        Just(serde_json::json!("1.2.3")),
        Just(serde_json::json!("2024-01-01T00:00:00Z")),
        Just(serde_json::json!("crates.io")),
        Just(serde_json::json!("PyPI")),
        Just(serde_json::json!("SEMVER")),
        Just(serde_json::json!("ECOSYSTEM")),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
        "[ -~]{0,12}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
    ];
    let key = prop_oneof![
        Just("id"),
        Just("modified"),
        Just("published"),
        Just("withdrawn"),
        Just("aliases"),
        Just("affected"),
        Just("package"),
        Just("ecosystem"),
        Just("name"),
        Just("ranges"),
        Just("type"),
        Just("events"),
        Just("introduced"),
        Just("fixed"),
        Just("last_affected"),
        Just("limit"),
        Just("versions"),
        Just("severity"),
        Just("score"),
        Just("database_specific"),
        Just("ecosystem_specific"),
        Just("references"),
        Just("url"),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6).prop_map(|kv| {
                serde_json::Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
    .prop_map(|v| v.to_string())
}

const TOML_NESTING: &[&str] = &["[", "{", "[[", "a.", "\"", "```toml\n", "\n  "];
const JSON_NESTING: &[&str] = &["[", "{\"a\":", "\"", "\\", "{"];

proptest! {
    #![proptest_config(config(0x5EC6_A7E1))]

    #[test]
    fn mutated_rustsec_records_load_or_are_reported(
        pick in any::<prop::sample::Index>(),
        edits in mutations(TOML_NESTING, 4),
    ) {
        let record = apply(pick.get::<Vec<u8>>(&RUSTSEC_SEEDS), &edits);
        assert_one_outcome(&load_rustsec(&record));
    }

    #[test]
    fn arbitrary_rustsec_files_load_or_are_reported(bytes in noise("```toml\n[]=\"'#.,{}<>^~0123456789")) {
        assert_one_outcome(&load_rustsec(&bytes));
    }

    #[test]
    fn generated_rustsec_front_matter_loads_or_is_reported(text in front_matter()) {
        assert_one_outcome(&load_rustsec(text.as_bytes()));
    }

    #[test]
    fn mutated_osv_records_load_or_are_reported(
        pick in any::<prop::sample::Index>(),
        pypi in any::<bool>(),
        edits in mutations(JSON_NESTING, 4),
    ) {
        let record = apply(pick.get::<Vec<u8>>(&OSV_SEEDS), &edits);
        let ecosystem = if pypi { "PyPI" } else { "crates.io" };
        assert_one_outcome(&load_osv(ecosystem, &record));
    }

    #[test]
    fn arbitrary_osv_records_load_or_are_reported(bytes in noise("{}[]\":,0123456789.-")) {
        assert_one_outcome(&load_osv("crates.io", &bytes));
    }

    #[test]
    fn generated_osv_records_load_or_are_reported(text in osv_json(), pypi in any::<bool>()) {
        let ecosystem = if pypi { "PyPI" } else { "crates.io" };
        assert_one_outcome(&load_osv(ecosystem, text.as_bytes()));
    }

    #[test]
    fn mutated_archives_load_or_fail_with_a_typed_error(edits in mutations(JSON_NESTING, 3)) {
        let bytes = apply(&archive(), &edits);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.zip");
        std::fs::write(&path, &bytes).unwrap();
        let loaded: Result<Database, DbError> =
            timed("loading an all.zip", || Database::open(&[path]));
        if let Ok(db) = loaded {
            prop_assert!(db.len() + db.bad_records.len() <= 64);
        }
    }
}

#[test]
fn unmutated_seeds_load_as_one_record_each() {
    // Mutations are only worth making from records the loader accepts.
    for seed in RUSTSEC_SEEDS.iter() {
        let db = load_rustsec(seed);
        assert!(db.bad_records.is_empty(), "{:?}", db.bad_records);
    }
    for seed in OSV_SEEDS.iter() {
        let db = load_osv("PyPI", seed);
        assert!(db.bad_records.is_empty(), "{:?}", db.bad_records);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.zip");
    std::fs::write(&path, archive()).unwrap();
    let db = Database::open(&[path]).unwrap();
    assert!(
        db.bad_records.is_empty() && !db.is_empty(),
        "{:?}",
        db.bad_records
    );
}
