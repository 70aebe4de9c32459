//! Severity from CVSS vectors: RustSec's `cvss` field and OSV `severity[]` entries (CVSS v3.0,
//! v3.1 and v4.0), scored with the `cvss` crate and mapped to the qualitative scale.

use crate::osv::{OsvSeverity, SeverityKind};
use secgate_core::Severity;

/// The secgate severity of a CVSS qualitative rating.
pub(crate) fn from_cvss(s: cvss::Severity) -> Severity {
    match s {
        cvss::Severity::None => Severity::None,
        cvss::Severity::Low => Severity::Low,
        cvss::Severity::Medium => Severity::Medium,
        cvss::Severity::High => Severity::High,
        cvss::Severity::Critical => Severity::Critical,
    }
}

/// The severity of one OSV score; `None` for a system secgate does not score (CVSS v2,
/// distribution ratings) or a vector that does not parse.
pub(crate) fn from_osv(score: &OsvSeverity) -> Option<Severity> {
    match score.kind {
        SeverityKind::CvssV3 | SeverityKind::CvssV4 => score
            .score
            .trim()
            .parse::<cvss::Cvss>()
            .ok()
            .map(|v| from_cvss(v.severity())),
        SeverityKind::CvssV2 | SeverityKind::Other => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn osv(kind: SeverityKind, score: &str) -> Option<Severity> {
        from_osv(&OsvSeverity {
            kind,
            score: score.to_owned(),
        })
    }

    #[test]
    fn v3_and_v4_vectors_are_scored() {
        // 5.9: the rsa crate's Marvin attack.
        assert_eq!(
            osv(
                SeverityKind::CvssV3,
                "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"
            ),
            Some(Severity::Medium)
        );
        assert_eq!(
            osv(
                SeverityKind::CvssV3,
                "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
            ),
            Some(Severity::Critical)
        );
        assert_eq!(
            osv(
                SeverityKind::CvssV4,
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
            ),
            Some(Severity::Critical)
        );
        assert_eq!(
            osv(
                SeverityKind::CvssV4,
                "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N"
            ),
            Some(Severity::Low)
        );
    }

    #[test]
    fn other_systems_and_bad_vectors_have_no_severity() {
        assert_eq!(
            osv(SeverityKind::CvssV2, "AV:N/AC:L/Au:N/C:P/I:P/A:P"),
            None
        );
        assert_eq!(osv(SeverityKind::Other, "high"), None);
        assert_eq!(osv(SeverityKind::CvssV3, "CVSS:3.1/AV:X"), None);
    }
}
