//! RFC 6962 / RFC 9162 Merkle inclusion proofs.

use super::BundleError;
use sha2::{Digest as _, Sha256};

/// The RFC 6962 leaf hash: SHA-256(0x00 || leaf).
pub fn leaf_hash(leaf: &[u8]) -> [u8; 32] {
    Sha256::new()
        .chain_update([0x00])
        .chain_update(leaf)
        .finalize()
        .into()
}

/// The RFC 6962 interior node hash: SHA-256(0x01 || left || right).
pub fn node_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    Sha256::new()
        .chain_update([0x01])
        .chain_update(left)
        .chain_update(right)
        .finalize()
        .into()
}

/// Verifies that the leaf with hash `leaf` is at `index` in the tree of `tree_size` leaves whose
/// root is `root`, given the audit path `proof`.
pub fn verify_inclusion(
    leaf: &[u8; 32],
    index: u64,
    tree_size: u64,
    proof: &[[u8; 32]],
    root: &[u8; 32],
) -> Result<(), BundleError> {
    let computed = root_from_inclusion_proof(leaf, index, tree_size, proof)?;
    if &computed == root {
        Ok(())
    } else {
        Err(BundleError::new(
            "inclusion proof does not lead to the log's root hash",
        ))
    }
}

/// The root hash the audit path `proof` leads to from `leaf` at `index` in a tree of
/// `tree_size` leaves (RFC 9162 §2.1.3.2); a proof of the wrong length is rejected.
pub fn root_from_inclusion_proof(
    leaf: &[u8; 32],
    index: u64,
    tree_size: u64,
    proof: &[[u8; 32]],
) -> Result<[u8; 32], BundleError> {
    if index >= tree_size {
        return Err(BundleError::new(format!(
            "inclusion proof index {index} is not inside the tree of {tree_size} entries"
        )));
    }
    let mut fn_ = index;
    let mut sn = tree_size - 1;
    let mut hash = *leaf;
    for sibling in proof {
        if sn == 0 {
            return Err(wrong_length(proof.len(), index, tree_size));
        }
        if fn_ & 1 == 1 || fn_ == sn {
            hash = node_hash(sibling, &hash);
            // A left sibling at the right edge: climb past the levels where this node has
            // no sibling (the tree's right edge is not a full subtree).
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            hash = node_hash(&hash, sibling);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn == 0 {
        Ok(hash)
    } else {
        Err(wrong_length(proof.len(), index, tree_size))
    }
}

fn wrong_length(len: usize, index: u64, tree_size: u64) -> BundleError {
    BundleError::new(format!(
        "an inclusion proof of {len} hashes does not fit index {index} in a tree of {tree_size}"
    ))
}

#[cfg(test)]
mod tests {
    use super::{leaf_hash, node_hash, root_from_inclusion_proof, verify_inclusion};
    use crate::sigstore::test_data::{b64_at, bundle, str_at};

    /// The largest power of two below `n` (> 1): where RFC 6962 splits a tree.
    fn split(n: usize) -> usize {
        1 << (usize::BITS - 1 - (n - 1).leading_zeros())
    }

    /// A tree over `leaves` built the RFC 6962 way (split at the largest power of two below n).
    fn tree_root(leaves: &[[u8; 32]]) -> [u8; 32] {
        match leaves {
            [] => unreachable!("no empty subtrees in these tests"),
            [one] => *one,
            _ => {
                let k = split(leaves.len());
                node_hash(&tree_root(&leaves[..k]), &tree_root(&leaves[k..]))
            }
        }
    }

    /// The RFC 6962 audit path for leaf `m` of `leaves`.
    fn audit_path(m: usize, leaves: &[[u8; 32]]) -> Vec<[u8; 32]> {
        if leaves.len() <= 1 {
            return Vec::new();
        }
        let k = split(leaves.len());
        if m < k {
            let mut path = audit_path(m, &leaves[..k]);
            path.push(tree_root(&leaves[k..]));
            path
        } else {
            let mut path = audit_path(m - k, &leaves[k..]);
            path.push(tree_root(&leaves[..k]));
            path
        }
    }

    #[test]
    fn every_leaf_of_small_trees_is_proven_and_tampering_is_caught() {
        for size in 1..=17_u64 {
            let leaves: Vec<[u8; 32]> = (0..size).map(|i| leaf_hash(&i.to_be_bytes())).collect();
            let root = tree_root(&leaves);
            for index in 0..size {
                let m = usize::try_from(index).unwrap();
                let path = audit_path(m, &leaves);
                verify_inclusion(&leaves[m], index, size, &path, &root)
                    .unwrap_or_else(|e| panic!("size {size} index {index}: {e}"));
                // Another leaf, index, size, or a longer/shorter path must not verify.
                let other = leaf_hash(b"other");
                assert!(verify_inclusion(&other, index, size, &path, &root).is_err());
                if size > 1 {
                    let wrong_index = (index + 1) % size;
                    assert!(verify_inclusion(&leaves[m], wrong_index, size, &path, &root).is_err());
                }
                let mut longer = path.clone();
                longer.push([0; 32]);
                assert!(verify_inclusion(&leaves[m], index, size, &longer, &root).is_err());
                if let Some((_, shorter)) = path.split_last() {
                    assert!(verify_inclusion(&leaves[m], index, size, shorter, &root).is_err());
                }
            }
            assert!(verify_inclusion(&leaves[0], size, size, &[], &root).is_err());
        }
    }

    #[test]
    fn leaf_and_node_hashes_are_domain_separated() {
        // SHA-256 of the single byte 0x00: the RFC 6962 hash of an empty leaf.
        assert_eq!(leaf_hash(b"")[..4], [0x6e, 0x34, 0x0b, 0x9c],);
        assert_ne!(leaf_hash(&[0; 64]), node_hash(&[0; 32], &[0; 32]));
    }

    fn proof_of(case: &str) -> (Vec<u8>, u64, u64, Vec<[u8; 32]>, [u8; 32]) {
        let b = bundle(case);
        let entry = "/verificationMaterial/tlogEntries/0";
        let body = b64_at(&b, &format!("{entry}/canonicalizedBody"));
        let index = str_at(&b, &format!("{entry}/inclusionProof/logIndex"))
            .parse()
            .unwrap();
        let size = str_at(&b, &format!("{entry}/inclusionProof/treeSize"))
            .parse()
            .unwrap();
        let root = b64_at(&b, &format!("{entry}/inclusionProof/rootHash"))
            .try_into()
            .unwrap();
        let hashes = b
            .pointer(&format!("{entry}/inclusionProof/hashes"))
            .and_then(serde_json::Value::as_array)
            .unwrap()
            .iter()
            .map(|h| {
                let raw = base64::Engine::decode(
                    &base64::engine::general_purpose::STANDARD,
                    h.as_str().unwrap(),
                )
                .unwrap();
                <[u8; 32]>::try_from(raw).unwrap()
            })
            .collect();
        (body, index, size, hashes, root)
    }

    #[test]
    fn conformance_inclusion_proofs_of_rekor_v1_and_v2_verify() {
        for case in [
            "happy-path-v0.3",
            "managed-key-happy-path",
            "rekor2-happy-path",
            "rekor2-dsse-happy-path",
        ] {
            let (body, index, size, proof, root) = proof_of(case);
            verify_inclusion(&leaf_hash(&body), index, size, &proof, &root)
                .unwrap_or_else(|e| panic!("{case}: {e}"));
        }
    }

    #[test]
    fn corrupted_conformance_inclusion_proofs_fail() {
        for case in [
            "inclusion-proof-corrupted-hash_fail",
            "invalid-inclusion-proof_fail",
        ] {
            let (body, index, size, proof, root) = proof_of(case);
            assert!(
                verify_inclusion(&leaf_hash(&body), index, size, &proof, &root).is_err(),
                "{case} verified"
            );
        }
    }

    #[test]
    fn wrong_length_is_reported_as_such() {
        let err = root_from_inclusion_proof(&[0; 32], 0, 1, &[[0; 32]]).unwrap_err();
        assert!(err.0.contains("does not fit"), "{err}");
        let err = root_from_inclusion_proof(&[0; 32], 3, 8, &[[0; 32]]).unwrap_err();
        assert!(err.0.contains("does not fit"), "{err}");
        assert_eq!(
            root_from_inclusion_proof(&[5; 32], 0, 1, &[]).unwrap(),
            [5; 32]
        );
    }
}
