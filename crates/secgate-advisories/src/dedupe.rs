//! One finding per (package, issue), however many sources reported it.
//!
//! RustSec's own records, its OSV export and GitHub's OSV records describe many issues more
//! than once, under the same id (`RUSTSEC-…` in both RustSec forms) or under ids that list each
//! other as aliases (`RUSTSEC-…` ↔ `GHSA-…` ↔ `CVE-…`). Findings about the same package
//! location that share an id or an alias are merged: the primary id is the RustSec one when a
//! RustSec record is among them (the native record first, then its OSV export), else the
//! first OSV id in id order; its code, message, fix and url are kept; the severity is the
//! highest; the aliases are the union of every id and alias but the primary.
//!
//! Sharing an alias is not enough for two records *of the same database* with different ids:
//! RustSec itself has distinct advisories on one crate that list the same CVE and GHSA
//! (`failure`'s RUSTSEC-2019-0036 and RUSTSEC-2020-0036, four `wasmtime` pairs), and each is
//! reported, as `cargo audit` does. They merge only when one lists the other's id. A record
//! that links two such findings (a GHSA naming both) is folded into each.

use secgate_core::{Finding, PackageRef};
use std::collections::{BTreeSet, HashMap};

/// Where a finding came from; decides which id becomes the primary one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Origin {
    /// A RustSec advisory-db record.
    Rustsec,
    /// An OSV record.
    Osv,
}

/// A finding before merging. Its `id` is set.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub finding: Finding,
    pub origin: Origin,
}

impl Candidate {
    fn id(&self) -> &str {
        self.finding.id.as_deref().unwrap_or_default()
    }

    /// Native RustSec first, then OSV records with a RustSec id, then other OSV records.
    fn rank(&self) -> (u8, &str) {
        let rank = match self.origin {
            Origin::Rustsec => 0,
            Origin::Osv if self.id().starts_with("RUSTSEC-") => 1,
            Origin::Osv => 2,
        };
        (rank, self.id())
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id()).chain(self.finding.aliases.iter().map(String::as_str))
    }
}

/// The database part of an id: `RUSTSEC`, `GHSA`, `CVE`, `PYSEC`.
fn database(id: &str) -> &str {
    id.split_once('-').map_or(id, |(db, _)| db)
}

struct Group {
    /// Indices into the package's candidates, best rank first.
    members: Vec<usize>,
    primary: String,
    /// Every id and alias of the members.
    names: BTreeSet<String>,
}

impl Group {
    fn links(&self, c: &Candidate) -> bool {
        c.names().any(|n| self.names.contains(n))
    }

    /// Whether `id` may share a finding with this group's primary id: ids of different
    /// databases may; ids of one database only when equal or when one names the other.
    fn accepts(&self, id: &str, names: &BTreeSet<String>) -> bool {
        database(id) != database(&self.primary)
            || id == self.primary
            || self.names.contains(id)
            || names.contains(&self.primary)
    }
}

/// Merges candidates that describe the same issue for the same package; see the module docs.
/// Findings come out grouped by package in first-seen order.
pub(crate) fn merge(candidates: Vec<Candidate>) -> Vec<Finding> {
    type Key = (String, u32, u32, Option<PackageRef>);
    let mut order: Vec<Key> = Vec::new();
    let mut by_package: HashMap<Key, Vec<Candidate>> = HashMap::new();
    for c in candidates {
        let l = &c.finding.location;
        let key = (l.path.clone(), l.line, l.column, c.finding.package.clone());
        let list = by_package.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            Vec::new()
        });
        list.push(c);
    }
    let mut out = Vec::new();
    for key in order {
        let list = by_package.remove(&key).unwrap_or_default();
        out.extend(merge_package(list));
    }
    out
}

fn merge_package(mut cands: Vec<Candidate>) -> Vec<Finding> {
    cands.sort_by(|a, b| a.rank().cmp(&b.rank()));
    // A group folded into another becomes `None`, so indices stay valid.
    let mut groups: Vec<Option<Group>> = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        let names: BTreeSet<String> = c.names().map(str::to_owned).collect();
        let linked: Vec<usize> = (0..groups.len())
            .filter(|&g| {
                groups[g]
                    .as_ref()
                    .is_some_and(|g| g.links(c) && g.accepts(c.id(), &names))
            })
            .collect();
        let Some((&target, others)) = linked.split_first() else {
            groups.push(Some(Group {
                members: vec![i],
                primary: c.id().to_owned(),
                names,
            }));
            continue;
        };
        // The target is the linked group with the best primary. Fold in the other linked
        // groups that may share its finding; the rest keep their own finding and also absorb
        // this candidate.
        let mut receivers = vec![target];
        for &g in others {
            let (Some(t), Some(o)) = (&groups[target], &groups[g]) else {
                continue;
            };
            if t.accepts(&o.primary, &o.names) {
                let o = groups[g].take().expect("checked above");
                let t = groups[target].as_mut().expect("checked above");
                t.members.extend(o.members);
                t.names.extend(o.names);
            } else {
                receivers.push(g);
            }
        }
        // A candidate folded into several findings gives each its names but the other
        // findings' primary ids, so no finding claims another as an alias.
        let primaries: Vec<String> = receivers
            .iter()
            .filter_map(|&g| groups[g].as_ref().map(|g| g.primary.clone()))
            .collect();
        for g in receivers {
            let g = groups[g].as_mut().expect("live group");
            g.members.push(i);
            let own = g.primary.clone();
            g.names.extend(
                names
                    .iter()
                    .filter(|n| **n == own || !primaries.contains(n))
                    .cloned(),
            );
        }
    }
    groups
        .into_iter()
        .flatten()
        .map(|mut g| {
            g.members.sort_unstable();
            g.members.dedup();
            let mut f = cands[g.members[0]].finding.clone();
            f.severity = g
                .members
                .iter()
                .filter_map(|&m| cands[m].finding.severity)
                .max();
            let primary = f.id.clone().unwrap_or_default();
            g.names.remove(&primary);
            f.aliases = g.names.into_iter().collect();
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use secgate_core::{Code, Location, Severity};

    fn cand(origin: Origin, id: &str, aliases: &[&str], sev: Option<Severity>) -> Candidate {
        let mut f = Finding::new(
            Code::Vulnerability,
            Location::new("Cargo.lock", 3, 1),
            format!("{id} message"),
        );
        f.id = Some(id.to_owned());
        f.aliases = aliases.iter().map(|a| (*a).to_owned()).collect();
        f.severity = sev;
        Candidate { finding: f, origin }
    }

    fn ids(findings: &[Finding]) -> Vec<(String, Vec<String>)> {
        let mut v: Vec<_> = findings
            .iter()
            .map(|f| (f.id.clone().unwrap(), f.aliases.clone()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn same_id_and_aliases_either_way_merge_with_the_rustsec_id_primary() {
        let out = merge(vec![
            cand(Origin::Osv, "GHSA-aaaa", &["CVE-1"], Some(Severity::High)),
            cand(Origin::Osv, "RUSTSEC-2024-0001", &["GHSA-aaaa"], None),
            cand(
                Origin::Rustsec,
                "RUSTSEC-2024-0001",
                &["CVE-1"],
                Some(Severity::Low),
            ),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].message, "RUSTSEC-2024-0001 message",
            "native text wins"
        );
        assert_eq!(out[0].severity, Some(Severity::High), "highest severity");
        assert_eq!(
            ids(&out),
            [(
                "RUSTSEC-2024-0001".to_owned(),
                vec!["CVE-1".to_owned(), "GHSA-aaaa".to_owned()]
            )]
        );
    }

    #[test]
    fn osv_only_records_keep_their_own_id() {
        let out = merge(vec![
            cand(Origin::Osv, "GHSA-bbbb", &["CVE-2"], None),
            cand(Origin::Rustsec, "RUSTSEC-2024-0001", &["CVE-1"], None),
        ]);
        assert_eq!(
            ids(&out),
            [
                ("GHSA-bbbb".to_owned(), vec!["CVE-2".to_owned()]),
                ("RUSTSEC-2024-0001".to_owned(), vec!["CVE-1".to_owned()]),
            ]
        );
    }

    #[test]
    fn distinct_ids_of_one_database_sharing_an_alias_stay_apart() {
        // As `failure`'s RUSTSEC-2019-0036 and RUSTSEC-2020-0036: same CVE, two advisories.
        let out = merge(vec![
            cand(
                Origin::Rustsec,
                "RUSTSEC-2019-0036",
                &["CVE-9", "GHSA-x"],
                None,
            ),
            cand(
                Origin::Rustsec,
                "RUSTSEC-2020-0036",
                &["CVE-9", "GHSA-x"],
                None,
            ),
            cand(Origin::Osv, "GHSA-x", &["CVE-9"], Some(Severity::Critical)),
        ]);
        assert_eq!(
            ids(&out),
            [
                (
                    "RUSTSEC-2019-0036".to_owned(),
                    vec!["CVE-9".to_owned(), "GHSA-x".to_owned()]
                ),
                (
                    "RUSTSEC-2020-0036".to_owned(),
                    vec!["CVE-9".to_owned(), "GHSA-x".to_owned()]
                ),
            ]
        );
        assert!(out.iter().all(|f| f.severity == Some(Severity::Critical)));
        // A record naming both is folded into each without making them aliases of each other.
        let out = merge(vec![
            cand(Origin::Rustsec, "RUSTSEC-2019-0036", &["CVE-9"], None),
            cand(Origin::Rustsec, "RUSTSEC-2020-0036", &["CVE-9"], None),
            cand(
                Origin::Osv,
                "GHSA-y",
                &["RUSTSEC-2019-0036", "RUSTSEC-2020-0036"],
                None,
            ),
            cand(Origin::Osv, "GHSA-z", &["CVE-9"], None),
        ]);
        assert_eq!(
            ids(&out),
            [
                (
                    "RUSTSEC-2019-0036".to_owned(),
                    vec!["CVE-9".to_owned(), "GHSA-y".to_owned(), "GHSA-z".to_owned()]
                ),
                (
                    "RUSTSEC-2020-0036".to_owned(),
                    vec!["CVE-9".to_owned(), "GHSA-y".to_owned(), "GHSA-z".to_owned()]
                ),
            ]
        );
        // Unless one names the other.
        let out = merge(vec![
            cand(
                Origin::Osv,
                "RUSTSEC-2025-0000",
                &["RUSTSEC-2025-0065"],
                None,
            ),
            cand(Origin::Osv, "RUSTSEC-2025-0065", &[], None),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].id.as_deref(), Some("RUSTSEC-2025-0000"));
    }

    #[test]
    fn a_later_record_joins_groups_transitively() {
        let out = merge(vec![
            cand(Origin::Osv, "PYSEC-1", &[], None),
            cand(Origin::Osv, "GHSA-1", &[], None),
            cand(Origin::Osv, "UVI-1", &["GHSA-1", "PYSEC-1"], None),
        ]);
        assert_eq!(
            ids(&out),
            [(
                "GHSA-1".to_owned(),
                vec!["PYSEC-1".to_owned(), "UVI-1".to_owned()]
            )]
        );
    }

    #[test]
    fn different_packages_never_merge() {
        let mut other = cand(Origin::Osv, "RUSTSEC-2024-0001", &[], None);
        other.finding.location.line = 9;
        let out = merge(vec![
            cand(Origin::Rustsec, "RUSTSEC-2024-0001", &[], None),
            other,
        ]);
        assert_eq!(out.len(), 2);
    }
}
