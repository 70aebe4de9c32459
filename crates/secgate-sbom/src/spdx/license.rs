//! `licenseDeclared`: an SPDX document may only declare expressions built from SPDX licence-list
//! ids, licence-list exceptions and `LicenseRef-` ids defined in the document. Anything else is
//! written as `NOASSERTION` rather than passed through, because one unknown id makes the whole
//! document invalid for SPDX consumers.

use spdx::expression::{ExprNode, Operator};
use spdx::{AdditionItem, Expression, LicenseItem, ParseMode};
use std::collections::BTreeSet;

/// Strict SPDX syntax (case-sensitive ids, no `/`, no guessed names), except that deprecated
/// ids (`GPL-2.0`) are still valid SPDX 2.3 and `GPL-2.0+` is read as `GPL-2.0-or-later`.
const MODE: ParseMode = ParseMode {
    allow_deprecated: true,
    allow_postfix_plus_on_gpl: true,
    ..ParseMode::STRICT
};

/// A declared licence that may be written.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Declared {
    /// The expression, re-rendered from its parse (canonical operators and parentheses).
    pub expression: String,
    /// The `LicenseRef-` ids it uses, which the document must define.
    pub license_refs: BTreeSet<String>,
}

/// The writable form of `expression`, or `None` when it must be `NOASSERTION`.
pub(super) fn declared(expression: &str) -> Option<Declared> {
    let expression = expression.trim();
    if expression == "NONE" {
        // The package declares that it has no licence, which SPDX says with `NONE` alone.
        return Some(Declared {
            expression: expression.to_owned(),
            license_refs: BTreeSet::new(),
        });
    }
    let parsed = Expression::parse_mode(expression, MODE).ok()?;
    let mut license_refs = BTreeSet::new();
    // Post-order operands: each entry is a rendered sub-expression and its top operator.
    let mut stack: Vec<(String, Option<Operator>)> = Vec::new();
    for node in parsed.iter() {
        match node {
            ExprNode::Req(req) => {
                let term = term(&req.req.license, &mut license_refs)?;
                let rendered = match &req.req.addition {
                    None => term,
                    Some(AdditionItem::Spdx(exception)) => {
                        format!("{term} WITH {}", exception.name)
                    }
                    // `AdditionRef-` is SPDX 3; a 2.3 consumer cannot resolve it.
                    Some(AdditionItem::Other(_)) => return None,
                };
                stack.push((rendered, None));
            }
            ExprNode::Op(operator) => {
                let right = stack.pop()?;
                let left = stack.pop()?;
                stack.push((join(left, *operator, right), Some(*operator)));
            }
        }
    }
    let (expression, _) = stack.pop()?;
    stack.is_empty().then_some(Declared {
        expression,
        license_refs,
    })
}

/// One licence term, or `None` when it may not appear in a 2.3 document.
fn term(license: &LicenseItem, license_refs: &mut BTreeSet<String>) -> Option<String> {
    match license {
        // The list carries the two special values as ids too; inside an expression they
        // are not licences.
        LicenseItem::Spdx { id, .. } if matches!(id.name, "NOASSERTION" | "NONE") => None,
        LicenseItem::Spdx { .. } => Some(license.to_string()),
        // A reference into another document needs an `externalDocumentRefs` entry, and
        // a lockfile names no such document.
        LicenseItem::Other(reference) if reference.doc_ref.is_some() => None,
        LicenseItem::Other(_) => {
            let id = license.to_string();
            license_refs.insert(id.clone());
            Some(id)
        }
    }
}

/// `left OPERATOR right`, parenthesizing an `OR` operand of `AND` (`AND` binds tighter; `OR`
/// and `AND` are each associative, so no other operand needs parentheses).
fn join(
    (left, left_op): (String, Option<Operator>),
    operator: Operator,
    (right, right_op): (String, Option<Operator>),
) -> String {
    let operand = |text: String, op: Option<Operator>| {
        if operator == Operator::And && op == Some(Operator::Or) {
            format!("({text})")
        } else {
            text
        }
    };
    let word = match operator {
        Operator::And => "AND",
        Operator::Or => "OR",
    };
    format!(
        "{} {word} {}",
        operand(left, left_op),
        operand(right, right_op)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(expression: &str) -> Option<String> {
        declared(expression).map(|d| d.expression)
    }

    #[test]
    fn list_ids_exceptions_and_operators_are_kept() {
        assert_eq!(
            written("MIT OR Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            written("Apache-2.0 WITH LLVM-exception OR MIT").as_deref(),
            Some("Apache-2.0 WITH LLVM-exception OR MIT")
        );
        assert_eq!(
            written("(MIT OR Apache-2.0) AND Unicode-3.0").as_deref(),
            Some("(MIT OR Apache-2.0) AND Unicode-3.0")
        );
        assert_eq!(
            written("MIT AND (Apache-2.0 AND BSD-3-Clause)").as_deref(),
            Some("MIT AND Apache-2.0 AND BSD-3-Clause")
        );
        assert_eq!(written("mit or Apache-2.0"), None);
        assert_eq!(
            written("MIT or Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
    }

    #[test]
    fn deprecated_and_or_later_forms_stay_valid() {
        assert_eq!(written("GPL-2.0").as_deref(), Some("GPL-2.0"));
        assert_eq!(written("GPL-2.0+").as_deref(), Some("GPL-2.0-or-later"));
        assert_eq!(written("Apache-1.1+").as_deref(), Some("Apache-1.1+"));
    }

    #[test]
    fn unknown_ids_and_foreign_refs_are_no_assertion() {
        assert_eq!(written("MIT OR Foo-1.0"), None);
        assert_eq!(written("MIT/Apache-2.0"), None);
        assert_eq!(written("MIT WITH Foo-exception"), None);
        assert_eq!(written("DocumentRef-x:LicenseRef-y"), None);
        assert_eq!(written("MIT AND NOASSERTION"), None);
        assert_eq!(written(""), None);
        assert_eq!(written("MIT OR"), None);
        assert_eq!(written("NONE").as_deref(), Some("NONE"));
    }

    #[test]
    fn license_refs_are_reported_for_definition() {
        let declared = declared("MIT OR LicenseRef-Proprietary").expect("valid expression");
        assert_eq!(declared.expression, "MIT OR LicenseRef-Proprietary");
        assert_eq!(
            declared.license_refs.into_iter().collect::<Vec<_>>(),
            ["LicenseRef-Proprietary"]
        );
    }
}
