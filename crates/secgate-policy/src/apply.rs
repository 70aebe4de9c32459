//! Applying a policy to what the gates found: ignores remove the findings they cover (matched
//! by advisory id or alias), expired and unused ignores become findings of their own, and every
//! finding gets the level the policy gives its code, lowered to `warn` for a vulnerability below
//! the `severity-threshold`.

use crate::Policy;
use crate::ignore::Ignore;
use jiff::civil::Date;
use secgate_core::{Code, Finding, Gate};

/// The findings after the policy was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// Remaining findings, in input order, then the policy's own findings (`ignore-expired`,
    /// `ignore-unused`) in policy order; every level set by the policy.
    pub findings: Vec<Finding>,
    /// How many findings an ignore removed.
    pub ignored: usize,
}

/// Applies ignores and levels.
///
/// `gates_run` are the gates that actually ran: an ignore is reported unused only when its gate
/// ran (advisory ignores belong to [`Gate::Advisories`]). `today` decides expiry: an ignore whose
/// `expires` is before `today` is expired; on the `expires` day itself it still applies.
///
/// An ignore applies to findings of the advisories gate whose `id` or one of whose `aliases` is
/// the ignored id. An expired ignore suppresses nothing and yields one `ignore-expired` finding
/// at its entry, whether or not it matched; an unexpired one that matched nothing yields one
/// `ignore-unused` finding.
///
/// Every remaining finding then gets [`Policy::level_for`]: the level of its code, except that
/// with `severity-threshold` set, a `vulnerability` at `deny` whose severity is known and below
/// the threshold becomes `warn` (reported, not hidden, like `npm audit --audit-level`). A
/// vulnerability of unknown severity keeps its level, so a missing score never weakens the gate.
pub fn apply(policy: &Policy, findings: Vec<Finding>, gates_run: &[Gate], today: Date) -> Applied {
    let ignores = &policy.advisories.ignore;
    let is_expired: Vec<bool> = ignores
        .iter()
        .map(|i| i.expires.is_some_and(|d| d < today))
        .collect();
    let mut used = vec![false; ignores.len()];
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = 0;
    for finding in findings {
        let by = ignores
            .iter()
            .enumerate()
            .position(|(i, ignore)| !is_expired[i] && covers(ignore, &finding));
        if let Some(i) = by {
            used[i] = true;
            suppressed += 1;
        } else {
            kept.push(finding);
        }
    }
    let advisories_ran = gates_run.contains(&Gate::Advisories);
    for (i, ignore) in ignores.iter().enumerate() {
        if is_expired[i] {
            kept.push(expired_finding(ignore));
        } else if !used[i] && advisories_ran {
            kept.push(unused_finding(ignore));
        }
    }
    for finding in &mut kept {
        finding.level = policy.level_for(finding);
    }
    Applied {
        findings: kept,
        ignored: suppressed,
    }
}

fn covers(ignore: &Ignore, finding: &Finding) -> bool {
    finding.code.gate() == Gate::Advisories
        && (finding.id.as_deref() == Some(ignore.id.as_str())
            || finding.aliases.contains(&ignore.id))
}

fn expired_finding(ignore: &Ignore) -> Finding {
    let date = ignore.expires.map_or_else(String::new, |d| d.to_string());
    let mut f = Finding::new(
        Code::IgnoreExpired,
        ignore.location.clone(),
        format!("ignore for `{}` expired on {date}", ignore.id),
    );
    f.id = Some(ignore.id.clone());
    f.fix = Some(format!(
        "upgrade the affected package, or review the risk and move `expires` past {date} with a new `reason`"
    ));
    f
}

fn unused_finding(ignore: &Ignore) -> Finding {
    let mut f = Finding::new(
        Code::IgnoreUnused,
        ignore.location.clone(),
        format!("ignore for `{}` matched no finding", ignore.id),
    );
    f.id = Some(ignore.id.clone());
    f.fix = Some("delete the entry from the policy file, or correct its id".to_owned());
    f
}
