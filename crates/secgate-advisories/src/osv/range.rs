//! Whether a version is affected, by the OSV evaluation algorithm, over any version ordering.
//!
//! The algorithm is the schema's `IsVulnerable`: a version listed in `versions` is affected;
//! otherwise each `SEMVER` or `ECOSYSTEM` range is evaluated by sorting its events by version
//! (`introduced: "0"` first), walking them in order (`introduced` turns the status on at its
//! version, `fixed` turns it off at its version, `last_affected` off just after it), and
//! applying the range only below one of its `limit`s (`"*"` or no limit: no bound). `GIT`
//! ranges need commit history and are ignored.
//!
//! The ordering is a [`VersionScheme`], so an ecosystem with its own versions plugs in a scheme
//! and reuses the walk; [`EcosystemScheme`] picks it from the package's ecosystem. crates.io
//! uses [`Semver`] for both `SEMVER` and `ECOSYSTEM` ranges: semantic-versioning precedence,
//! where `1.2.0-rc.1 < 1.2.0` and build metadata is ignored. That is not Cargo's requirement
//! matching, which excludes pre-releases from ranges that do not name one. npm uses
//! [`NpmSemver`] (the same precedence, a more lenient parse) and PyPI [`Pep440`], each for both
//! range kinds.

use crate::osv::npm_semver::NpmSemver;
use crate::osv::pep440::{Pep440, Pep440Version};
use crate::osv::{Affected, Event, RangeKind};
use secgate_core::Ecosystem;
use std::cmp::Ordering;

/// A total order over one ecosystem's versions.
pub trait VersionScheme {
    /// A parsed version.
    type Version;

    /// Parses a version string; `None` when it is not a version of this scheme.
    fn parse(&self, text: &str) -> Option<Self::Version>;

    /// Compares two versions.
    fn compare(&self, a: &Self::Version, b: &Self::Version) -> Ordering;
}

/// semantic-versioning precedence (the `semver` crate): pre-releases sort before their release, build
/// metadata is ignored.
#[derive(Clone, Copy, Debug, Default)]
pub struct Semver;

impl VersionScheme for Semver {
    type Version = semver::Version;

    fn parse(&self, text: &str) -> Option<semver::Version> {
        semver::Version::parse(text).ok()
    }

    fn compare(&self, a: &semver::Version, b: &semver::Version) -> Ordering {
        a.cmp_precedence(b)
    }
}

/// The version ordering of one OSV ecosystem, chosen from the ecosystem's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcosystemScheme {
    /// crates.io: [`Semver`].
    CratesIo,
    /// npm: [`NpmSemver`].
    Npm,
    /// PyPI: [`Pep440`].
    PyPI,
}

impl EcosystemScheme {
    /// The scheme of a package's ecosystem.
    pub fn of(ecosystem: Ecosystem) -> EcosystemScheme {
        match ecosystem {
            Ecosystem::CratesIo => EcosystemScheme::CratesIo,
            Ecosystem::Npm => EcosystemScheme::Npm,
            Ecosystem::PyPI => EcosystemScheme::PyPI,
        }
    }

    /// The scheme of an OSV ecosystem name (`crates.io`, `npm`, `PyPI`); `None` for an
    /// ecosystem secgate does not match.
    pub fn of_osv(ecosystem: &str) -> Option<EcosystemScheme> {
        match ecosystem {
            "crates.io" => Some(EcosystemScheme::CratesIo),
            "npm" => Some(EcosystemScheme::Npm),
            "PyPI" => Some(EcosystemScheme::PyPI),
            _ => None,
        }
    }
}

/// A version on the line of an [`EcosystemScheme`]: what the normalized records store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EcosystemVersion {
    /// crates.io and npm.
    Semver(semver::Version),
    /// PyPI.
    Pep440(Pep440Version),
}

impl VersionScheme for EcosystemScheme {
    type Version = EcosystemVersion;

    fn parse(&self, text: &str) -> Option<EcosystemVersion> {
        match self {
            EcosystemScheme::CratesIo => Semver.parse(text).map(EcosystemVersion::Semver),
            EcosystemScheme::Npm => NpmSemver.parse(text).map(EcosystemVersion::Semver),
            EcosystemScheme::PyPI => Pep440.parse(text).map(EcosystemVersion::Pep440),
        }
    }

    fn compare(&self, a: &EcosystemVersion, b: &EcosystemVersion) -> Ordering {
        match (a, b) {
            (EcosystemVersion::Semver(a), EcosystemVersion::Semver(b)) => a.cmp_precedence(b),
            (EcosystemVersion::Pep440(a), EcosystemVersion::Pep440(b)) => a.cmp(b),
            // One scheme never yields both kinds; an order is still needed for totality.
            (EcosystemVersion::Semver(_), EcosystemVersion::Pep440(_)) => Ordering::Less,
            (EcosystemVersion::Pep440(_), EcosystemVersion::Semver(_)) => Ordering::Greater,
        }
    }
}

/// An event version placed on the scheme's line: `"0"` before everything, `"*"` after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Point<V> {
    Zero,
    At(V),
    Infinity,
}

/// What an event does at its point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EventKind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

/// An event whose version the scheme has parsed. A range is kept as its placed events sorted by
/// point, which is all [`placed_affects`] needs: the advisory index stores ranges this way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Placed<V> {
    pub kind: EventKind,
    pub at: Point<V>,
}

fn point<S: VersionScheme>(scheme: &S, event: &Event) -> Option<Point<S::Version>> {
    match event {
        Event::Introduced(v) if v == "0" => Some(Point::Zero),
        Event::Limit(v) if v.contains('*') => Some(Point::Infinity),
        _ => scheme.parse(event.version()).map(Point::At),
    }
}

/// `version` compared with `point`.
fn against<S: VersionScheme>(
    scheme: &S,
    version: &S::Version,
    point: &Point<S::Version>,
) -> Ordering {
    match point {
        Point::Zero => Ordering::Greater,
        Point::At(p) => scheme.compare(version, p),
        Point::Infinity => Ordering::Less,
    }
}

fn compare_points<S: VersionScheme>(
    scheme: &S,
    a: &Point<S::Version>,
    b: &Point<S::Version>,
) -> Ordering {
    match (a, b) {
        (Point::Zero, Point::Zero) | (Point::Infinity, Point::Infinity) => Ordering::Equal,
        (Point::Zero, _) | (_, Point::Infinity) => Ordering::Less,
        (_, Point::Zero) | (Point::Infinity, _) => Ordering::Greater,
        (Point::At(a), Point::At(b)) => scheme.compare(a, b),
    }
}

/// The event versions of a range that `scheme` cannot place; empty when the range can be
/// evaluated.
pub fn unparsable_events<'a, S: VersionScheme>(scheme: &S, events: &'a [Event]) -> Vec<&'a str> {
    events
        .iter()
        .filter(|e| point(scheme, e).is_none())
        .map(Event::version)
        .collect()
}

/// The events of a range that `scheme` can place, sorted by point. Events whose version the
/// scheme cannot parse are left out (loading reports such records as bad before they get
/// here); the sort is stable, so events at the same version keep their order in the record.
pub(crate) fn place<S: VersionScheme>(scheme: &S, events: &[Event]) -> Vec<Placed<S::Version>> {
    let mut placed: Vec<Placed<S::Version>> = events
        .iter()
        .filter_map(|e| {
            let kind = match e {
                Event::Introduced(_) => EventKind::Introduced,
                Event::Fixed(_) => EventKind::Fixed,
                Event::LastAffected(_) => EventKind::LastAffected,
                Event::Limit(_) => EventKind::Limit,
            };
            point(scheme, e).map(|at| Placed { kind, at })
        })
        .collect();
    placed.sort_by(|a, b| compare_points(scheme, &a.at, &b.at));
    placed
}

/// Whether `version` is inside the range made of `events`. Events whose version the scheme
/// cannot parse are left out (loading reports such records as bad before they get here).
pub fn range_affects<S: VersionScheme>(scheme: &S, events: &[Event], version: &S::Version) -> bool {
    placed_affects(scheme, &place(scheme, events), version)
}

/// [`range_affects`] on the output of [`place`].
pub(crate) fn placed_affects<S: VersionScheme>(
    scheme: &S,
    placed: &[Placed<S::Version>],
    version: &S::Version,
) -> bool {
    let mut limits = placed
        .iter()
        .filter(|p| p.kind == EventKind::Limit)
        .peekable();
    let before_limits = limits.peek().is_none()
        || limits.any(|limit| against(scheme, version, &limit.at) == Ordering::Less);
    if !before_limits {
        return false;
    }
    let mut affected = false;
    for event in placed {
        let cmp = against(scheme, version, &event.at);
        match event.kind {
            EventKind::Introduced if cmp != Ordering::Less => affected = true,
            EventKind::Fixed if cmp != Ordering::Less => affected = false,
            EventKind::LastAffected if cmp == Ordering::Greater => affected = false,
            _ => {}
        }
    }
    affected
}

/// Whether the package version `version` (as locked) is affected by `affected`: listed in its
/// `versions`, or inside one of its ranges. `SEMVER` ranges are ordered by [`Semver`],
/// `ECOSYSTEM` ranges by `ecosystem`.
pub fn is_affected<S: VersionScheme>(scheme: &S, affected: &Affected, version: &str) -> bool {
    affected_on(scheme, &Semver, affected, version, false)
}

/// [`is_affected`] with the scheme of `ecosystem` (see [`EcosystemScheme`]): crates.io orders
/// both range kinds by [`Semver`], npm by [`NpmSemver`], PyPI by [`Pep440`]; a version listed
/// in `versions` matches when the scheme finds it equal (`1.0` listed, `1.0.0` locked).
pub fn is_affected_in(ecosystem: Ecosystem, affected: &Affected, version: &str) -> bool {
    match ecosystem {
        Ecosystem::CratesIo => is_affected(&Semver, affected, version),
        Ecosystem::Npm => affected_on(&NpmSemver, &NpmSemver, affected, version, true),
        Ecosystem::PyPI => affected_on(&Pep440, &Pep440, affected, version, true),
    }
}

/// The OSV evaluation with `scheme` for `ECOSYSTEM` ranges and `versions`, and `semver_line`
/// for `SEMVER` ranges. With `whole_ranges`, a range with an event the scheme cannot place is
/// not evaluated at all: real PyPI records have a few (`fixed: "2019-09-12"`), and dropping
/// just the event would turn a bounded range into "every version"; their `versions` lists
/// still match.
fn affected_on<S: VersionScheme, T: VersionScheme>(
    scheme: &S,
    semver_line: &T,
    affected: &Affected,
    version: &str,
    whole_ranges: bool,
) -> bool {
    let parsed = scheme.parse(version);
    let listed = affected.versions.iter().any(|v| {
        v == version
            || parsed
                .as_ref()
                .zip(scheme.parse(v))
                .is_some_and(|(a, b)| scheme.compare(a, &b) == Ordering::Equal)
    });
    if listed {
        return true;
    }
    let semver = semver_line.parse(version);
    affected.ranges.iter().any(|range| match range.kind {
        RangeKind::Semver => semver.as_ref().is_some_and(|v| {
            (!whole_ranges || unparsable_events(semver_line, &range.events).is_empty())
                && range_affects(semver_line, &range.events, v)
        }),
        RangeKind::Ecosystem => parsed.as_ref().is_some_and(|v| {
            (!whole_ranges || unparsable_events(scheme, &range.events).is_empty())
                && range_affects(scheme, &range.events, v)
        }),
        RangeKind::Git | RangeKind::Unknown => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(spec: &str) -> Vec<Event> {
        spec.split_whitespace()
            .map(|e| {
                let (kind, v) = e.split_once('=').unwrap();
                let v = v.to_owned();
                match kind {
                    "i" => Event::Introduced(v),
                    "f" => Event::Fixed(v),
                    "l" => Event::LastAffected(v),
                    "lim" => Event::Limit(v),
                    _ => unreachable!(),
                }
            })
            .collect()
    }

    fn hits(events: &str, version: &str) -> bool {
        range_affects(
            &Semver,
            &ev(events),
            &semver::Version::parse(version).unwrap(),
        )
    }

    #[test]
    fn introduced_zero_and_fixed_is_exclusive() {
        assert!(hits("i=0 f=1.0.2", "0.0.0"));
        assert!(hits("i=0 f=1.0.2", "1.0.1"));
        assert!(!hits("i=0 f=1.0.2", "1.0.2"));
        assert!(!hits("i=0 f=1.0.2", "2.0.0"));
        assert!(hits("i=0", "999.0.0"));
    }

    #[test]
    fn events_are_sorted_before_the_walk() {
        let unsorted = "f=3.2.5 i=3.0.0 f=1.0.2 i=1.0.0";
        assert!(!hits(unsorted, "0.9.0"));
        assert!(hits(unsorted, "1.0.0"));
        assert!(!hits(unsorted, "2.0.0"));
        assert!(hits(unsorted, "3.2.4"));
        assert!(!hits(unsorted, "3.2.5"));
    }

    #[test]
    fn last_affected_is_inclusive() {
        assert!(hits("i=0 l=2.1.214", "2.1.214"));
        assert!(!hits("i=0 l=2.1.214", "2.1.215"));
        assert!(!hits("i=0 l=2.1.214", "2.1.215-alpha"));
        assert!(hits("i=0 l=2.1.214", "2.1.214+build.7"));
    }

    #[test]
    fn limit_bounds_the_range() {
        assert!(hits("i=1.0.0 lim=2.0.0", "1.9.9"));
        assert!(!hits("i=1.0.0 lim=2.0.0", "2.0.0"));
        assert!(!hits("i=1.0.0 lim=2.0.0", "3.0.0"));
        // Several limits: below any of them.
        assert!(hits("i=1.0.0 lim=2.0.0 lim=4.0.0", "3.0.0"));
        assert!(hits("i=1.0.0 lim=*", "100.0.0"));
    }

    #[test]
    fn pre_releases_follow_semver_precedence() {
        // Cargo's requirement `>= 1.2.0` would not match 1.2.0-rc.1 at all; precedence puts it
        // just below 1.2.0, so it is still affected.
        assert!(hits("i=0 f=1.2.0", "1.2.0-rc.1"));
        assert!(!hits("i=0 f=1.2.0-rc.2", "1.2.0-rc.10"));
        assert!(hits("i=0 f=1.2.0-rc.10", "1.2.0-rc.2"));
        // `1.0.0-0` is the lowest version of 1.0.0: RustSec's export writes bounds like this.
        assert!(hits("i=1.0.0-0 f=1.1.0", "1.0.0-alpha"));
        assert!(!hits("i=1.0.0 f=1.1.0", "1.0.0-alpha"));
        assert!(hits("i=0.0.0-0", "0.0.0-0"));
        // Build metadata does not change precedence.
        assert!(!hits("i=0 f=1.2.0", "1.2.0+build.1"));
    }

    #[test]
    fn unparsable_events_are_named() {
        assert_eq!(
            unparsable_events(&Semver, &ev("i=0 f=1.2 lim=* l=x.y.z")),
            ["1.2", "x.y.z"]
        );
    }
}
