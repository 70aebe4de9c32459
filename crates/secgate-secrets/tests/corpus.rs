//! False-positive checks on real files: the shared corpus (lockfiles, manifests, workflows,
//! Dockerfiles of public projects) and the advisory database snapshots contain no credentials,
//! so the gate must report nothing on them.

mod common;

use common::{scan, shared, summary};

#[test]
fn the_real_world_corpus_has_no_findings() {
    let corpus = shared().join("corpus");
    let scan = scan(&corpus);
    assert_eq!(summary(&scan.findings), Vec::<String>::new());
    assert!(scan.files > 50, "only {} files scanned", scan.files);
}

#[test]
fn the_osv_advisory_snapshot_has_no_findings() {
    let osv = shared().join("advisory-data/osv");
    let scan = scan(&osv);
    assert_eq!(summary(&scan.findings), Vec::<String>::new());
    assert!(scan.files > 1000, "only {} files scanned", scan.files);
}

#[test]
fn the_rustsec_advisory_snapshot_has_no_findings() {
    let rustsec = shared().join("advisory-data/rustsec");
    let scan = scan(&rustsec);
    assert_eq!(summary(&scan.findings), Vec::<String>::new());
    assert!(scan.files > 500, "only {} files scanned", scan.files);
}
