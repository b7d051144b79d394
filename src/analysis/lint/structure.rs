//! Structure rules: what a requirement lacks as a record, not as wording.

use super::{Field, Finding, RuleId, Severity};
use crate::domain::{Priority, Requirement, Status};

/// The structure findings of `r`, given the wording findings already made (for "approved with errors").
pub fn check(r: &Requirement, wording: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |rule: RuleId| out.push(Finding::new(rule, Field::Requirement, 0, 0, String::new()));
    if r.status == Status::Rejected {
        return Vec::new();
    }
    if r.acceptance.trim().is_empty() {
        add(RuleId::MissingAcceptance);
    }
    if r.stage.is_none() {
        add(RuleId::MissingStage);
    }
    if r.outcomes.is_empty() {
        add(RuleId::MissingOutcome);
    }
    if r.sources.is_empty() {
        add(RuleId::MissingSource);
    }
    if r.moment_of_truth && r.priority != Priority::Must {
        add(RuleId::MomentOfTruthNotMust);
    }
    let approved = matches!(r.status, Status::Approved | Status::Implemented | Status::Verified);
    if approved && wording.iter().any(|f| f.severity == Severity::Error) {
        add(RuleId::ApprovedWithErrors);
    }
    out
}
