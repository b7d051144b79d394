//! Compact views for interactive lists that must stay fast at 100,000 requirements.

use super::*;

/// One requirement as a list row: enough to show, sort and filter, without its long text fields.
#[derive(Debug, Clone, PartialEq)]
pub struct RequirementSummary {
    pub id: RequirementId,
    pub seq: i64,
    pub title: String,
    /// The statement, kept for the fuzzy filter.
    pub statement: String,
    pub stage: Option<StageId>,
    /// The first linked outcome, shown in the list.
    pub outcome: Option<OutcomeId>,
    /// How many outcomes are linked.
    pub outcome_count: u32,
    pub priority: Priority,
    pub status: Status,
    pub pain_point: bool,
    pub moment_of_truth: bool,
    /// The version shown, so a one-key edit applies only to what the analyst saw.
    pub version: i64,
}
