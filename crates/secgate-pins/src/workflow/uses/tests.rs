//! `uses:` classification.

use super::*;

fn remote(value: &str) -> (&str, &str, Ref<'_>) {
    match Uses::parse(value) {
        Uses::Remote {
            target,
            repo,
            reference,
        } => (target, repo, reference),
        other => panic!("{value}: {other:?}"),
    }
}

#[test]
fn refs_are_classified() {
    let sha = "de0fac2e4500dabe0009e67214ff5f5447ce83dd";
    let upper = sha.to_ascii_uppercase();
    assert_eq!(remote(&format!("actions/checkout@{sha}")).2, Ref::Sha(sha));
    assert_eq!(
        remote(&format!("actions/checkout@{upper}")).2,
        Ref::Sha(&upper)
    );
    assert_eq!(remote("actions/checkout@v4").2, Ref::Tag("v4"));
    assert_eq!(remote("a/b@1.2.3").2, Ref::Tag("1.2.3"));
    assert_eq!(
        remote("dtolnay/rust-toolchain@stable").2,
        Ref::Branch("stable")
    );
    assert_eq!(
        remote("actions/upload-artifact@master").2,
        Ref::Branch("master")
    );
    assert_eq!(remote("a/b@releases/v1").2, Ref::Branch("releases/v1"));
    assert_eq!(remote("a/b@de0fac2").2, Ref::ShortSha("de0fac2"));
    assert_eq!(remote("a/b@latest").2, Ref::TagOrBranch("latest"));
    assert_eq!(remote("a/b@").2, Ref::Missing);
    assert_eq!(remote("a/b").2, Ref::Missing);
    // 41 hex digits is not a commit SHA.
    assert_eq!(
        remote(&format!("a/b@{sha}0")).2,
        Ref::TagOrBranch(&format!("{sha}0")[..])
    );
}

#[test]
fn targets_and_repos() {
    let (target, repo, _) = remote("github/codeql-action/init@v3");
    assert_eq!(
        (target, repo),
        ("github/codeql-action/init", "github/codeql-action")
    );
    let (target, repo, _) =
        remote("slsa-framework/slsa-github-generator/.github/workflows/x.yml@v2.1.0");
    assert_eq!(
        target,
        "slsa-framework/slsa-github-generator/.github/workflows/x.yml"
    );
    assert_eq!(repo, "slsa-framework/slsa-github-generator");
    assert_eq!(remote("owner").1, "owner");
}

#[test]
fn local_docker_and_expressions() {
    assert_eq!(Uses::parse("./.github/actions/setup"), Uses::Local);
    assert_eq!(Uses::parse("${{ matrix.action }}"), Uses::Expression);
    assert_eq!(
        Uses::parse("actions/checkout@${{ inputs.ref }}"),
        Uses::Expression
    );
    let digest = format!("alpine@sha256:{}", "0".repeat(64));
    assert_eq!(
        Uses::parse(&format!("docker://{digest}")),
        Uses::Docker {
            image: &digest,
            pinned: true
        }
    );
    assert_eq!(
        Uses::parse("docker://alpine:3.18"),
        Uses::Docker {
            image: "alpine:3.18",
            pinned: false
        }
    );
}
