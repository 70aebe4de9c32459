//! Parsing objects that real git produced (`testdata/*.raw`, from `git cat-file`) against the
//! payload git itself verified (`testdata/*.payload`, from `git verify-tag -v` /
//! `git verify-commit -v`, whose signatures all checked good).

use super::{SignatureBlock, SignedObject};

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../testdata/", $name)).as_slice()
    };
}

const ALICE: &str = "Alice <alice@example.com>";

fn parse(id: &str, kind: &'static str, raw: &[u8]) -> SignedObject {
    match SignedObject::parse(id, kind, raw) {
        Ok(object) => object,
        Err(e) => panic!("{id}: {e}"),
    }
}

fn signature_text(object: &SignedObject) -> &str {
    object.signature.as_ref().map_or("", SignatureBlock::text)
}

#[test]
fn ssh_signed_tag_splits_at_the_trailing_block() {
    let raw = fixture!("ssh_tag.raw");
    let tag = parse("92b5608875a09666cb2d8e16ab7cb7789c841b24", "tag", raw);
    assert_eq!(tag.payload, fixture!("ssh_tag.payload"));
    assert!(matches!(tag.signature, Some(SignatureBlock::Ssh(_))));
    let text = signature_text(&tag);
    assert!(text.starts_with("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH"));
    assert!(text.ends_with("-----END SSH SIGNATURE-----\n"));
    assert_eq!(text.lines().count(), 6, "every armor line is kept");
    // Payload and signature are the whole object.
    assert_eq!([tag.payload.as_slice(), text.as_bytes()].concat(), raw);
    assert_eq!(tag.who, ALICE);
    assert_eq!(tag.time, 1_795_444_395);
    assert_eq!(tag.subject, "release 1.0");
    assert_eq!(tag.kind, "tag");
}

#[test]
fn openpgp_signed_tag_is_openpgp() {
    let tag = parse(
        "26b3ffb5312049327da82725497069522ea615c8",
        "tag",
        fixture!("pgp_tag.raw"),
    );
    assert_eq!(tag.payload, fixture!("pgp_tag.payload"));
    assert!(matches!(tag.signature, Some(SignatureBlock::OpenPgp(_))));
    assert!(signature_text(&tag).contains("\n=NAOX\n-----END PGP SIGNATURE-----\n"));
    assert_eq!(tag.subject, "gpg release");
    assert_eq!(tag.time, 1_795_444_399);
}

#[test]
fn signature_headers_are_cut_from_a_tag_payload() {
    // The SSH tag above with a `gpgsig-sha256` header added (the other hash algorithm's
    // signature); git verified its trailing signature over the payload without the header.
    let tag = parse(
        "87c7e13027942bb7a5190a9a7483d40f0d714d7c",
        "tag",
        fixture!("header_tag.raw"),
    );
    assert_eq!(tag.payload, fixture!("header_tag.payload"));
    assert_eq!(tag.payload, fixture!("ssh_tag.payload"));
    assert!(signature_text(&tag).starts_with("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH"));
}

#[test]
fn a_tag_signed_through_a_header_of_its_own_algorithm_reads_like_a_commit() {
    let raw = b"object 156a83a5abc1da65b9595652e99b835cce531918\ntype commit\ntag v9\n\
        tagger Alice <alice@example.com> 1795444395 +0000\n\
        gpgsig -----BEGIN SSH SIGNATURE-----\n AAAA\n -----END SSH SIGNATURE-----\n\nnine\n";
    let tag = parse("87c7e13027942bb7a5190a9a7483d40f0d714d7c", "tag", raw);
    assert_eq!(
        tag.signature,
        Some(SignatureBlock::Ssh(
            "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n".to_owned()
        ))
    );
    assert_eq!(
        tag.payload,
        b"object 156a83a5abc1da65b9595652e99b835cce531918\ntype commit\ntag v9\n\
        tagger Alice <alice@example.com> 1795444395 +0000\n\nnine\n"
    );
}

#[test]
fn a_signature_glued_to_a_message_without_newline_is_no_signature() {
    // `git tag -s --cleanup=verbatim` of a message without a trailing newline: the armor does
    // not start a line, and `git verify-tag` says "no signature found".
    let raw = fixture!("glued_signature_tag.raw");
    let tag = parse("682389d90276996efc126e4e7f566625a5968ab8", "tag", raw);
    assert_eq!(tag.signature, None);
    assert_eq!(tag.payload, raw);
    assert!(
        tag.subject
            .starts_with("no newline at end-----BEGIN SSH SIGNATURE-----")
    );
}

#[test]
fn unsigned_tag_without_trailing_newline() {
    let raw = fixture!("unsigned_tag_no_newline.raw");
    assert_eq!(raw.last(), Some(&b'e'));
    let tag = parse("3ce6bf8b5bdbd5142ebec672a92b355f4f65433e", "tag", raw);
    assert_eq!(tag.signature, None);
    assert_eq!(tag.payload, raw);
    assert_eq!(tag.subject, "no trailing newline");
    assert_eq!(tag.who, ALICE);
}

#[test]
fn ssh_signed_commit_drops_the_gpgsig_header() {
    let commit = parse(
        "156a83a5abc1da65b9595652e99b835cce531918",
        "commit",
        fixture!("ssh_commit.raw"),
    );
    assert_eq!(commit.payload, fixture!("ssh_commit.payload"));
    let text = signature_text(&commit);
    assert!(matches!(commit.signature, Some(SignatureBlock::Ssh(_))));
    assert!(text.starts_with("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH"));
    assert!(text.ends_with("\n-----END SSH SIGNATURE-----\n"));
    assert!(!text.contains("\n "), "continuation spaces are stripped");
    assert_eq!(commit.subject, "first commit");
    assert_eq!(commit.who, ALICE);
    assert_eq!(commit.time, 1_795_444_395);
}

#[test]
fn openpgp_signed_merge_commit_keeps_its_blank_armor_line() {
    let commit = parse(
        "0db7a53067d68edf866494448a86bda05244efa2",
        "commit",
        fixture!("pgp_merge_commit.raw"),
    );
    assert_eq!(commit.payload, fixture!("pgp_merge_commit.payload"));
    // The armor's empty line is stored as a lone space: it stays an empty line.
    assert!(signature_text(&commit).starts_with("-----BEGIN PGP SIGNATURE-----\n\niHUE"));
    assert_eq!(commit.subject, "Merge branch 'side'");
}

#[test]
fn mergetag_header_stays_in_the_payload() {
    // A merge of a signed tag: its `mergetag` header embeds the tag with its PGP signature,
    // which is part of what the commit's own SSH signature covers.
    let commit = parse(
        "326ce266fc84e4a16d32b0e71f8106d119f37f09",
        "commit",
        fixture!("mergetag_commit.raw"),
    );
    assert_eq!(commit.payload, fixture!("mergetag_commit.payload"));
    assert!(matches!(commit.signature, Some(SignatureBlock::Ssh(_))));
    assert!(!signature_text(&commit).contains("PGP"));
    assert_eq!(commit.subject, "Merge tag 'st'");
    assert_eq!(commit.who, ALICE);
}

#[test]
fn sha256_commit_is_signed_in_gpgsig_sha256() {
    let id = "632cd5a45f11d87599d05cbe861ac2e6c42858a55c2ebb07562a213be3707b5d";
    let raw = fixture!("sha256_commit.raw");
    let commit = parse(id, "commit", raw);
    assert_eq!(commit.payload, fixture!("sha256_commit.payload"));
    assert!(matches!(commit.signature, Some(SignatureBlock::Ssh(_))));
    assert_eq!(commit.who, "Carol <carol@example.com>");
    assert_eq!(commit.short_id(), "632cd5a45f11");
    // With a SHA-1 id the same header is the other algorithm's signature: dropped, not used.
    let as_sha1 = parse("156a83a5abc1da65b9595652e99b835cce531918", "commit", raw);
    assert_eq!(as_sha1.signature, None);
    assert_eq!(as_sha1.payload, fixture!("sha256_commit.payload"));
}

#[test]
fn unsigned_commit() {
    let raw = fixture!("unsigned_commit.raw");
    let commit = parse("503d25f5cf4c7c7df0965c05d6ffc34a61f75122", "commit", raw);
    assert_eq!(commit.signature, None);
    assert_eq!(commit.payload, raw);
    assert_eq!(commit.subject, "side commit");
}

#[test]
fn body_lines_that_look_like_headers_are_message() {
    let raw = b"tree 04a59185a0c5f4047e4fd3fa87b0c84e671b00ee\n\
        author A <a@x> 1 +0000\ncommitter C <c@x> 2 +0000\n\n\nsubject\n\n\
        gpgsig not a header\n -----BEGIN SSH SIGNATURE-----\n";
    let commit = parse("503d25f5cf4c7c7df0965c05d6ffc34a61f75122", "commit", raw);
    assert_eq!(commit.signature, None);
    assert_eq!(commit.payload, raw);
    assert_eq!(commit.subject, "subject");
    assert_eq!((commit.who.as_str(), commit.time), ("A <a@x>", 2));
}

#[test]
fn odd_objects_parse_without_panicking() {
    for raw in [
        &b""[..],
        b"\n",
        b"gpgsig",
        b"gpgsig ",
        b"tagger \n",
        b"tagger x > y\n\n",
        b"object x\n\n-----BEGIN SIGNED MESSAGE-----",
        b"\xff\xfe\n\n\xff",
    ] {
        for kind in ["tag", "commit"] {
            let object = parse("x", kind, raw);
            assert!(object.payload.len() <= raw.len());
        }
    }
    let x509 = parse(
        "x",
        "tag",
        b"object x\n\nm\n-----BEGIN SIGNED MESSAGE-----\nz\n",
    );
    assert!(matches!(x509.signature, Some(SignatureBlock::X509(_))));
    let unknown = parse("x", "commit", b"tree x\ngpgsig what\n\nm\n");
    assert_eq!(
        unknown.signature,
        Some(SignatureBlock::Unknown("what\n".to_owned()))
    );
    assert!(SignedObject::parse("x", "tree", b"").is_err());
}
