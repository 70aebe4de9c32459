//! Property tests of the version schemes (semver, node-semver, PEP 440) and the OSV range
//! evaluation on them: any text parses or is refused, any two parsed versions compare
//! consistently, and any events evaluate without a panic.

mod prop_common;

use prop_common::{config, timed};
use proptest::prelude::*;
use secgate_advisories::osv::{
    Event, NpmSemver, Pep440, Semver, VersionScheme, range_affects, unparsable_events,
};
use std::cmp::Ordering;

/// Version-shaped text: digits, separators, pre-release words, epochs, locals, operators.
fn version_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,3}(\\.[0-9]{1,3}){0,4}",
        "v?=?[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(-[a-z0-9.]{1,10})?(\\+[a-z0-9.]{1,10})?",
        "([0-9]!)?[0-9]{1,3}(\\.[0-9]{1,3}){0,3}((a|b|rc|alpha|beta|c|pre|preview)[0-9]{0,3})?(\\.?(post|dev|r|rev)[0-9]{0,3})?(\\+[a-z0-9._-]{1,10})?",
        "[0-9]{15,30}(\\.[0-9]{15,30}){0,2}",
        "[ -~]{0,24}",
        ".{0,24}",
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        version_text().prop_map(Event::Introduced),
        Just(Event::Introduced("0".to_owned())),
        version_text().prop_map(Event::Fixed),
        version_text().prop_map(Event::LastAffected),
        version_text().prop_map(Event::Limit),
        Just(Event::Limit("*".to_owned())),
    ]
}

/// Parsing, comparing and range evaluation of one scheme never panic, and order is consistent.
fn check_scheme<S: VersionScheme>(scheme: &S, a: &str, b: &str, events: &[Event]) {
    let (pa, pb) = timed("parsing two versions", || {
        (scheme.parse(a), scheme.parse(b))
    });
    if let (Some(pa), Some(pb)) = (&pa, &pb) {
        let ab = scheme.compare(pa, pb);
        assert_eq!(ab, scheme.compare(pb, pa).reverse(), "{a:?} vs {b:?}");
        assert_eq!(scheme.compare(pa, pa), Ordering::Equal, "{a:?} vs itself");
    }
    timed("evaluating a range", || {
        let _ = unparsable_events(scheme, events);
        if let Some(v) = &pa {
            let _ = range_affects(scheme, events, v);
        }
    });
}

proptest! {
    #![proptest_config(config(0x5EC6_0440))]

    #[test]
    fn any_text_is_a_version_or_refused(
        a in version_text(),
        b in version_text(),
        events in proptest::collection::vec(event(), 0..8),
    ) {
        check_scheme(&Semver, &a, &b, &events);
        check_scheme(&NpmSemver, &a, &b, &events);
        check_scheme(&Pep440, &a, &b, &events);
    }

    #[test]
    fn long_versions_parse_in_bounded_time(digits in 1usize..20_000, parts in 1usize..64) {
        let text = vec!["9".repeat(digits); parts].join(".");
        check_scheme(&Pep440, &text, "1.0", &[]);
        check_scheme(&Semver, &text, "1.0.0", &[]);
        check_scheme(&NpmSemver, &text, "1.0.0", &[]);
    }
}
