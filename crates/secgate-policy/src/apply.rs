//! Applying a policy to what the gates found: ignores remove the findings they cover (matched
//! by advisory id or alias, or for pinning findings by file and code), expired and unused ignores become findings of their own, and every
//! finding gets the level the policy gives its code, lowered to `warn` for a vulnerability below
//! the `severity-threshold`.

use crate::Policy;
use crate::ignore::Ignore;
use crate::pins::PathIgnore;
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
/// ran (advisory ignores belong to [`Gate::Advisories`], `[pins]` ignores to [`Gate::Pins`]). `today` decides expiry: an ignore whose
/// `expires` is before `today` is expired; on the `expires` day itself it still applies.
///
/// An advisory ignore applies to findings of the advisories gate whose `id` or one of whose
/// `aliases` is the ignored id; a `[pins]` ignore to pinning findings in files its glob matches,
/// of its codes (all pinning codes when it lists none). An expired ignore suppresses nothing and yields one `ignore-expired` finding
/// at its entry, whether or not it matched; an unexpired one that matched nothing yields one
/// `ignore-unused` finding.
///
/// Every remaining finding then gets [`Policy::level_for`]: the level of its code, except that
/// with `severity-threshold` set, a `vulnerability` at `deny` whose severity is known and below
/// the threshold becomes `warn` (reported, not hidden, like `npm audit --audit-level`). A
/// vulnerability of unknown severity keeps its level, so a missing score never weakens the gate.
pub fn apply(policy: &Policy, findings: Vec<Finding>, gates_run: &[Gate], today: Date) -> Applied {
    let rules: Vec<Rule<'_>> = policy
        .advisories
        .ignore
        .iter()
        .map(Rule::Advisory)
        .chain(policy.pins.ignore.iter().map(Rule::Path))
        .collect();
    let is_expired: Vec<bool> = rules
        .iter()
        .map(|r| r.expires().is_some_and(|d| d < today))
        .collect();
    let mut used = vec![false; rules.len()];
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = 0;
    for finding in findings {
        let by = rules
            .iter()
            .enumerate()
            .position(|(i, rule)| !is_expired[i] && rule.covers(&finding));
        if let Some(i) = by {
            used[i] = true;
            suppressed += 1;
        } else {
            kept.push(finding);
        }
    }
    for (i, rule) in rules.iter().enumerate() {
        if is_expired[i] {
            kept.push(expired_finding(rule));
        } else if !used[i] && gates_run.contains(&rule.gate()) {
            kept.push(unused_finding(rule));
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

/// An ignore of either kind: by advisory id, or by file for pinning findings.
enum Rule<'a> {
    Advisory(&'a Ignore),
    Path(&'a PathIgnore),
}

impl Rule<'_> {
    fn expires(&self) -> Option<Date> {
        match self {
            Rule::Advisory(i) => i.expires,
            Rule::Path(i) => i.expires,
        }
    }

    /// The gate whose run makes an unmatched entry `ignore-unused`.
    fn gate(&self) -> Gate {
        match self {
            Rule::Advisory(_) => Gate::Advisories,
            Rule::Path(_) => Gate::Pins,
        }
    }

    fn covers(&self, finding: &Finding) -> bool {
        match self {
            Rule::Advisory(ignore) => covers(ignore, finding),
            Rule::Path(ignore) => ignore.covers(finding),
        }
    }

    fn location(&self) -> &secgate_core::Location {
        match self {
            Rule::Advisory(i) => &i.location,
            Rule::Path(i) => &i.location,
        }
    }

    /// The finding id: the advisory id, or the ignored path (with its codes).
    fn label(&self) -> String {
        match self {
            Rule::Advisory(i) => i.id.clone(),
            Rule::Path(i) => i.label(),
        }
    }

    fn what(&self) -> &'static str {
        match self {
            Rule::Advisory(_) => "upgrade the affected package",
            Rule::Path(_) => "pin what the file uses",
        }
    }
}

/// The unexpired advisory ignore of `policy` that covers `finding` (the one [`apply`] would
/// remove it with), for a VEX statement that the advisory does not affect this project.
pub fn advisory_ignore_for<'a>(
    policy: &'a Policy,
    finding: &Finding,
    today: Date,
) -> Option<&'a Ignore> {
    policy
        .advisories
        .ignore
        .iter()
        .find(|i| i.expires.is_none_or(|d| d >= today) && covers(i, finding))
}

fn covers(ignore: &Ignore, finding: &Finding) -> bool {
    finding.code.gate() == Gate::Advisories
        && (finding.id.as_deref() == Some(ignore.id.as_str())
            || finding.aliases.contains(&ignore.id))
}

fn expired_finding(rule: &Rule<'_>) -> Finding {
    let date = rule.expires().map_or_else(String::new, |d| d.to_string());
    let label = rule.label();
    let mut f = Finding::new(
        Code::IgnoreExpired,
        rule.location().clone(),
        format!("ignore for `{label}` expired on {date}"),
    );
    f.id = Some(label);
    f.fix = Some(format!(
        "{}, or review the risk and move `expires` past {date} with a new `reason`",
        rule.what()
    ));
    f
}

fn unused_finding(rule: &Rule<'_>) -> Finding {
    let label = rule.label();
    let mut f = Finding::new(
        Code::IgnoreUnused,
        rule.location().clone(),
        format!("ignore for `{label}` matched no finding"),
    );
    f.id = Some(label);
    f.fix = Some(match rule {
        Rule::Advisory(_) => "delete the entry from the policy file, or correct its id".to_owned(),
        Rule::Path(_) => {
            "delete the entry from the policy file, or correct its path or codes".to_owned()
        }
    });
    f
}
