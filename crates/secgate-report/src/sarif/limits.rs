//! GitHub code scanning's limits on one SARIF upload, kept by the renderer so an upload is
//! never rejected.
//!
//! GitHub refuses a file with more than [`MAX_RESULTS_PER_RUN`] results in a run or more than
//! 20 runs. secgate writes a single run, so only the result limit can bite: a
//! huge monorepo with every finding at level warn can pass it. Then the run keeps the most
//! important results (every deny before any warn, report order within a level), and says what
//! it left out twice: as a warning notification in `invocations[0]`, which GitHub shows on the
//! analysis, and as machine-readable counts in the run's `properties`. The JSON report always
//! has every finding.

use secgate_core::{Finding, Level};
use serde_json::json;
use serde_sarif::sarif::{Invocation, Message, Notification, PropertyBag, Run};
use std::collections::BTreeMap;

/// The most results GitHub code scanning accepts in one run.
pub const MAX_RESULTS_PER_RUN: usize = 25_000;

/// The findings that become results, and what the limit left out.
pub(super) struct Selection<'a> {
    /// Findings to report, in output order.
    pub kept: Vec<&'a Finding>,
    /// Findings at level deny left out.
    pub omitted_deny: usize,
    /// Findings at level warn left out.
    pub omitted_warn: usize,
}

impl Selection<'_> {
    fn omitted(&self) -> usize {
        self.omitted_deny + self.omitted_warn
    }
}

/// Chooses at most `limit` findings at level deny or warn: all of them in report order when
/// they fit, else every deny before any warn (report order within each level).
pub(super) fn select(findings: &[Finding], limit: usize) -> Selection<'_> {
    let mut kept: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.level != Level::Allow)
        .collect();
    if kept.len() <= limit {
        return Selection {
            kept,
            omitted_deny: 0,
            omitted_warn: 0,
        };
    }
    // Stable: report order survives within a level.
    kept.sort_by_key(|f| f.level != Level::Deny);
    let dropped = kept.split_off(limit);
    let omitted_deny = dropped.iter().filter(|f| f.level == Level::Deny).count();
    Selection {
        kept,
        omitted_deny,
        omitted_warn: dropped.len() - omitted_deny,
    }
}

/// Records a truncation in `run`: a warning notification and counts in its properties. A run
/// that kept everything is left as it is, so ordinary output does not change.
pub(super) fn record(run: &mut Run, selection: &Selection<'_>) {
    let omitted = selection.omitted();
    if omitted == 0 {
        return;
    }
    let kept = selection.kept.len();
    let total = kept + omitted;
    let text = format!(
        "secgate found {total} findings at level deny or warn, more than the {MAX_RESULTS_PER_RUN} \
         results GitHub code scanning accepts in one run: {omitted} of them were left out of this \
         SARIF file ({} deny, {} warn; denials are kept before warnings). The JSON report \
         (`--format json` or `--report json=FILE`) has all of them.",
        selection.omitted_deny, selection.omitted_warn
    );
    let notification = Notification::builder()
        .level(json!("warning"))
        .message(Message::builder().text(text).build())
        .build();
    run.invocations = Some(vec![
        Invocation::builder()
            // The analysis itself completed; only its SARIF rendering is shortened.
            .execution_successful(true)
            .tool_execution_notifications(vec![notification])
            .build(),
    ]);
    let properties = BTreeMap::from([
        ("truncated".to_owned(), json!(true)),
        ("resultLimit".to_owned(), json!(MAX_RESULTS_PER_RUN)),
        ("resultsTotal".to_owned(), json!(total)),
        ("resultsOmitted".to_owned(), json!(omitted)),
        (
            "resultsOmittedDeny".to_owned(),
            json!(selection.omitted_deny),
        ),
        (
            "resultsOmittedWarn".to_owned(),
            json!(selection.omitted_warn),
        ),
    ]);
    run.properties = Some(
        PropertyBag::builder()
            .additional_properties(properties)
            .build(),
    );
}
