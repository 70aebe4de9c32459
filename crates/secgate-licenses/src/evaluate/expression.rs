//! One SPDX licence expression against the policy: parsing it the way crates.io values need,
//! and deciding whether it is allowed.
//!
//! Parsing is strict SPDX first. A value that only parses in the lax form cargo-deny accepts is
//! *legacy*: `/` for `OR` (`MIT/Apache-2.0`), lower-case operators, imprecise names (`mit`,
//! `apache2`), deprecated ids, and `+` on GNU ids. A legacy value is evaluated in its canonical
//! form ([`spdx::Expression::canonicalize`]), so deprecated bare GNU ids read as their `-only`
//! form (`GPL-2.0` is `GPL-2.0-only`) and `LGPL-2.1+` as `LGPL-2.1-or-later`; the verdict says
//! it was legacy so the caller can warn. An id that is not on the SPDX list (`Foo-1.0`) is never
//! accepted, in either mode.
//!
//! Each requirement (`ID`, `ID+`, `ID WITH EXCEPTION`, `LicenseRef-...`) is decided in this
//! order, as cargo-deny does: allowed when the package's exceptions allow it, else failed when
//! the policy's `deny` matches it, else allowed when `allow` matches it, else failed. Matching
//! is [`spdx::Licensee::satisfies`]: an entry `Apache-2.0` matches `Apache-2.0` and
//! `Apache-2.0+`, but not `Apache-2.0 WITH LLVM-exception`, which needs an entry of its own;
//! `GPL-2.0-or-later` is its own id and needs its own entry too. A `LicenseRef-` or
//! `AdditionRef-` is only matched by an entry with exactly its name, and when one of them is
//! what fails the verdict is [`Verdict::Unknown`]: nobody has judged that licence text yet.
//!
//! `OR` holds when either side holds, `AND` when both do. The failed requirements reported are
//! the ones that decide the outcome: the parts of an `OR` that was satisfied are not listed.

use crate::evaluate::policy::{LicensePolicy, licensee};
use spdx::expression::{ExprNode, Operator};
use spdx::{AdditionItem, Expression, LicenseItem, LicenseReq, Licensee, ParseMode};

/// The outcome of one licence expression under the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The expression is satisfied.
    Allowed {
        /// The value only parsed in the lax (legacy) form; see [`Verdict::legacy`].
        legacy: bool,
    },
    /// The expression parsed but is not satisfied.
    Denied {
        /// The requirements that made it fail, canonical (`GPL-3.0-only`,
        /// `Apache-2.0 WITH LLVM-exception`), in expression order, each once.
        failed: Vec<String>,
        /// Those of `failed` that an explicit `deny` entry matched.
        denied: Vec<String>,
        /// The value only parsed in the lax (legacy) form.
        legacy: bool,
    },
    /// The expression cannot be judged: it does not parse, names an id that is not on the SPDX
    /// list, or fails on a `LicenseRef-`/`AdditionRef-` that the policy does not name.
    Unknown {
        /// Why, one lower-case phrase naming the offending term in backticks.
        reason: String,
    },
}

impl Verdict {
    /// Whether the expression is satisfied.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Verdict::Allowed { .. })
    }

    /// Whether the value used a legacy, non-SPDX form (`MIT/Apache-2.0`, `GPL-2.0`,
    /// `LGPL-2.1+`, `mit`): it was read as cargo-deny reads it, and is worth a warning.
    pub fn legacy(&self) -> bool {
        match self {
            Verdict::Allowed { legacy } | Verdict::Denied { legacy, .. } => *legacy,
            Verdict::Unknown { .. } => false,
        }
    }
}

/// Decides `expr` under `policy`, with `package_allow` the licences the policy's exceptions
/// allow for this one package (entries as in [`LicensePolicy::allow`]; invalid ones match
/// nothing).
pub fn check_expression(expr: &str, policy: &LicensePolicy, package_allow: &[String]) -> Verdict {
    let matcher = Matcher::new(policy);
    let extra: Vec<Licensee> = package_allow.iter().filter_map(|s| licensee(s)).collect();
    matcher.check(expr, &extra).verdict
}

/// The value in canonical SPDX form when it is written in a legacy form (`MIT/Apache-2.0` →
/// `MIT OR Apache-2.0`), for a warning that says what to write instead; `None` when it is
/// already canonical or does not parse.
pub fn canonical_form(expr: &str) -> Option<String> {
    Expression::canonicalize(expr).ok().flatten()
}

/// The expression as an SBOM may state it: the canonical SPDX form (legacy forms such as
/// `MIT/Apache-2.0` rewritten), or `None` when it is not a valid SPDX expression of ids on the
/// SPDX list (or `LicenseRef-` ids) even read laxly.
pub fn sbom_expression(expr: &str) -> Option<String> {
    // The lax rewrite can return text that still does not parse (`MIT AND` → `MIT AND `), so
    // whatever comes out must parse strictly.
    let candidate = canonical_form(expr).unwrap_or_else(|| expr.to_owned());
    Expression::parse(&candidate).ok().map(|_| candidate)
}

/// Which operator joins the top of an expression, to explain a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Root {
    /// A single requirement.
    Single,
    /// `... OR ...`: every side failed.
    Or,
    /// `... AND ...`: some part failed.
    And,
}

/// A verdict with what a message needs to explain it.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub(crate) verdict: Verdict,
    pub(crate) root: Root,
}

/// The policy's allow and deny entries, parsed once for many expressions.
pub(crate) struct Matcher {
    allow: Vec<Licensee>,
    deny: Vec<Licensee>,
}

impl Matcher {
    pub(crate) fn new(policy: &LicensePolicy) -> Self {
        Matcher {
            allow: policy.allow.iter().filter_map(|s| licensee(s)).collect(),
            deny: policy.deny.iter().filter_map(|s| licensee(s)).collect(),
        }
    }

    /// Decides `expr`; `extra` are the package's exception licences.
    pub(crate) fn check(&self, expr: &str, extra: &[Licensee]) -> Outcome {
        let (parsed, legacy) = match parse(expr) {
            Ok(parsed) => parsed,
            Err(reason) => {
                return Outcome {
                    verdict: Verdict::Unknown { reason },
                    root: Root::Single,
                };
            }
        };
        let mut failed: Vec<&LicenseReq> = Vec::new();
        let mut denied: Vec<&LicenseReq> = Vec::new();
        // Postfix evaluation keeping, per subexpression, the requirements that make it fail
        // (empty exactly when it holds).
        let mut stack: Vec<Vec<&LicenseReq>> = Vec::new();
        let mut root = Root::Single;
        for node in parsed.iter() {
            match node {
                ExprNode::Req(req) => {
                    let req = &req.req;
                    let ok = if extra.iter().any(|l| l.satisfies(req)) {
                        true
                    } else if self.deny.iter().any(|l| l.satisfies(req)) {
                        denied.push(req);
                        false
                    } else {
                        self.allow.iter().any(|l| l.satisfies(req))
                    };
                    stack.push(if ok { Vec::new() } else { vec![req] });
                    root = Root::Single;
                }
                ExprNode::Op(op) => {
                    let (Some(b), Some(mut a)) = (stack.pop(), stack.pop()) else {
                        unreachable!("spdx yields valid postfix expressions");
                    };
                    let holds = match op {
                        Operator::Or => a.is_empty() || b.is_empty(),
                        Operator::And => a.is_empty() && b.is_empty(),
                    };
                    if holds {
                        a.clear();
                    } else {
                        a.extend(b);
                    }
                    stack.push(a);
                    root = match op {
                        Operator::Or => Root::Or,
                        Operator::And => Root::And,
                    };
                }
            }
        }
        for req in stack.pop().unwrap_or_default() {
            if !failed.contains(&req) {
                failed.push(req);
            }
        }
        let verdict = if failed.is_empty() {
            Verdict::Allowed { legacy }
        } else if let Some(unnamed) = failed.iter().find(|r| is_reference(r)) {
            Verdict::Unknown {
                reason: format!(
                    "`{unnamed}` is not on the SPDX licence list and the policy does not allow it \
                     by that exact name"
                ),
            }
        } else {
            let names = |reqs: &[&LicenseReq]| {
                let mut out: Vec<String> = Vec::new();
                for r in reqs {
                    let s = r.to_string();
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
                out
            };
            denied.retain(|d| failed.contains(d));
            Verdict::Denied {
                failed: names(&failed),
                denied: names(&denied),
                legacy,
            }
        };
        Outcome { verdict, root }
    }
}

fn is_reference(req: &LicenseReq) -> bool {
    matches!(req.license, LicenseItem::Other(_))
        || matches!(req.addition, Some(AdditionItem::Other(_)))
}

/// Parses strictly, else laxly (then canonically): the expression and whether it was legacy.
fn parse(raw: &str) -> Result<(Expression, bool), String> {
    if let Ok(expr) = Expression::parse(raw) {
        return Ok((expr, false));
    }
    let lax = Expression::parse_mode(raw, ParseMode::LAX).map_err(|e| describe(raw, &e))?;
    // Canonical form: `/` → OR, `GPL-2.0` → `GPL-2.0-only`, `LGPL-2.1+` → `LGPL-2.1-or-later`,
    // imprecise names → their ids. Deprecated ids without a current form stay as they are.
    let keep_deprecated = ParseMode {
        allow_deprecated: true,
        ..ParseMode::STRICT
    };
    let canonical = Expression::canonicalize(raw)
        .ok()
        .flatten()
        .and_then(|c| Expression::parse_mode(&c, keep_deprecated).ok());
    Ok((canonical.unwrap_or(lax), true))
}

/// Why `raw` does not parse, naming the offending term.
fn describe(raw: &str, err: &spdx::ParseError) -> String {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return "the expression is empty".to_owned();
    }
    if trimmed == "UNLICENSED" {
        return "`UNLICENSED` is npm's marker for a package whose authors grant no licence"
            .to_owned();
    }
    if let Some(file) = trimmed.strip_prefix("SEE LICENSE IN ") {
        return format!(
            "the licence is only in the file `{file}`, not given as an SPDX expression"
        );
    }
    let term = raw.get(err.span.clone()).unwrap_or("").trim();
    let column = raw
        .get(..err.span.start)
        .map_or(1, |before| before.chars().count() + 1);
    match err.reason {
        spdx::error::Reason::UnknownTerm
        | spdx::error::Reason::UnknownLicense
        | spdx::error::Reason::UnknownException => {
            format!("`{term}` is not an SPDX licence or exception id (column {column})")
        }
        _ if term.is_empty() => format!("{} (column {column})", err.reason),
        _ => format!("{} at `{term}` (column {column})", err.reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sbom_expressions_are_canonical_spdx_or_nothing() {
        assert_eq!(sbom_expression("MIT").as_deref(), Some("MIT"));
        assert_eq!(
            sbom_expression("MIT/Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            sbom_expression("Apache-2.0 WITH LLVM-exception").as_deref(),
            Some("Apache-2.0 WITH LLVM-exception")
        );
        assert_eq!(sbom_expression("Foo-1.0"), None);
        assert_eq!(sbom_expression("MIT AND"), None);
    }

    fn policy(allow: &[&str], deny: &[&str]) -> LicensePolicy {
        let mut p = LicensePolicy::default();
        p.allow(allow.iter().copied()).unwrap();
        p.deny(deny.iter().copied()).unwrap();
        p
    }

    fn failed(v: &Verdict) -> Vec<&str> {
        match v {
            Verdict::Denied { failed, .. } => failed.iter().map(String::as_str).collect(),
            other => panic!("expected denied, got {other:?}"),
        }
    }

    #[test]
    fn failures_are_the_parts_that_decide() {
        let p = policy(&["MIT"], &[]);
        let m = Matcher::new(&p);
        // The satisfied OR contributes nothing; the failed AND part is listed.
        let out = m.check("(MIT OR GPL-3.0-only) AND Zlib", &[]);
        assert_eq!(failed(&out.verdict), ["Zlib"]);
        assert_eq!(out.root, Root::And);
        let out = m.check("GPL-2.0-only OR (BSD-3-Clause AND MIT)", &[]);
        assert_eq!(failed(&out.verdict), ["GPL-2.0-only", "BSD-3-Clause"]);
        assert_eq!(out.root, Root::Or);
        let out = m.check("Zlib AND Zlib", &[]);
        assert_eq!(failed(&out.verdict), ["Zlib"]);
    }

    #[test]
    fn legacy_is_set_only_for_lax_values() {
        let p = policy(&["MIT", "Apache-2.0", "GPL-2.0-only"], &[]);
        let m = Matcher::new(&p);
        assert_eq!(
            m.check("MIT OR Apache-2.0", &[]).verdict,
            Verdict::Allowed { legacy: false }
        );
        for legacy in ["MIT/Apache-2.0", "Apache-2.0 / MIT", "mit", "GPL-2.0"] {
            let v = m.check(legacy, &[]).verdict;
            assert_eq!(v, Verdict::Allowed { legacy: true }, "{legacy}");
            assert!(v.legacy());
        }
        assert_eq!(
            canonical_form("MIT/Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(canonical_form("MIT OR Apache-2.0"), None);
    }

    #[test]
    fn unknown_reasons_name_the_term() {
        let m = Matcher::new(&LicensePolicy::default());
        let reason = |e: &str| match m.check(e, &[]).verdict {
            Verdict::Unknown { reason } => reason,
            other => panic!("{e}: {other:?}"),
        };
        assert_eq!(
            reason("MIT OR Foo-1.0"),
            "`Foo-1.0` is not an SPDX licence or exception id (column 8)"
        );
        assert_eq!(reason(""), "the expression is empty");
        assert!(reason("(MIT").contains("unclosed"), "{}", reason("(MIT"));
        assert!(reason("SEE LICENSE IN LICENSE.md").contains("`LICENSE.md`"));
        assert!(reason("UNLICENSED").contains("no licence"));
    }
}
