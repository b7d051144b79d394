//! Saving an edit that someone else overtook: a three-way merge of a requirement's fields against the
//! version the edit started from. A field changed on one side only takes that side's value; a field both
//! sides changed differently is a conflict the analyst decides.

use super::{Requirement, RequirementPatch};

/// A field of a requirement that an edit can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReqField {
    Title,
    Statement,
    Acceptance,
    Rationale,
    Stage,
    Outcomes,
    Sources,
    Priority,
    Status,
    Kind,
    Channel,
    Tags,
    PainPoint,
    MomentOfTruth,
}

impl ReqField {
    /// Every field, in the order the edit form shows them.
    pub const ALL: [ReqField; 14] = [
        ReqField::Title,
        ReqField::Statement,
        ReqField::Acceptance,
        ReqField::Rationale,
        ReqField::Stage,
        ReqField::Outcomes,
        ReqField::Sources,
        ReqField::Priority,
        ReqField::Status,
        ReqField::Kind,
        ReqField::Channel,
        ReqField::Tags,
        ReqField::PainPoint,
        ReqField::MomentOfTruth,
    ];

    /// The field's name as the edit form labels it.
    pub fn label(self) -> &'static str {
        match self {
            ReqField::Title => "Title",
            ReqField::Statement => "Statement",
            ReqField::Acceptance => "Acceptance",
            ReqField::Rationale => "Rationale",
            ReqField::Stage => "Stage",
            ReqField::Outcomes => "Outcomes",
            ReqField::Sources => "Sources",
            ReqField::Priority => "Priority",
            ReqField::Status => "Status",
            ReqField::Kind => "Kind",
            ReqField::Channel => "Channel",
            ReqField::Tags => "Tags",
            ReqField::PainPoint => "Pain point",
            ReqField::MomentOfTruth => "Moment of truth",
        }
    }

    /// Whether `a` and `b` hold different values in this field.
    pub fn differs(self, a: &Requirement, b: &Requirement) -> bool {
        match self {
            ReqField::Title => a.title != b.title,
            ReqField::Statement => a.statement != b.statement,
            ReqField::Acceptance => a.acceptance != b.acceptance,
            ReqField::Rationale => a.rationale != b.rationale,
            ReqField::Stage => a.stage != b.stage,
            ReqField::Outcomes => a.outcomes != b.outcomes,
            ReqField::Sources => a.sources != b.sources,
            ReqField::Priority => a.priority != b.priority,
            ReqField::Status => a.status != b.status,
            ReqField::Kind => a.kind != b.kind,
            ReqField::Channel => a.channel != b.channel,
            ReqField::Tags => a.tags != b.tags,
            ReqField::PainPoint => a.pain_point != b.pain_point,
            ReqField::MomentOfTruth => a.moment_of_truth != b.moment_of_truth,
        }
    }

    /// Sets this field of `patch` to the value `from` holds.
    pub fn take(self, patch: &mut RequirementPatch, from: &Requirement) {
        match self {
            ReqField::Title => patch.title = Some(from.title.clone()),
            ReqField::Statement => patch.statement = Some(from.statement.clone()),
            ReqField::Acceptance => patch.acceptance = Some(from.acceptance.clone()),
            ReqField::Rationale => patch.rationale = Some(from.rationale.clone()),
            ReqField::Stage => patch.stage = Some(from.stage),
            ReqField::Outcomes => patch.outcomes = Some(from.outcomes.clone()),
            ReqField::Sources => patch.sources = Some(from.sources.clone()),
            ReqField::Priority => patch.priority = Some(from.priority),
            ReqField::Status => patch.status = Some(from.status),
            ReqField::Kind => patch.kind = Some(from.kind),
            ReqField::Channel => patch.channel = Some(from.channel),
            ReqField::Tags => patch.tags = Some(from.tags.clone()),
            ReqField::PainPoint => patch.pain_point = Some(from.pain_point),
            ReqField::MomentOfTruth => patch.moment_of_truth = Some(from.moment_of_truth),
        }
    }
}

/// The outcome of merging an edit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Merge {
    /// The changes to write: every field the edit changed that nobody else did.
    pub patch: RequirementPatch,
    /// Fields both sides changed to different values, in form order.
    pub conflicts: Vec<ReqField>,
}

/// Merges `mine` (the edit, started from `base`) with `theirs` (what is saved now).
pub fn merge(base: &Requirement, theirs: &Requirement, mine: &Requirement) -> Merge {
    let mut out = Merge::default();
    for f in ReqField::ALL {
        let changed_mine = f.differs(base, mine);
        let changed_theirs = f.differs(base, theirs);
        match (changed_mine, changed_theirs) {
            (true, false) => f.take(&mut out.patch, mine),
            (true, true) if f.differs(theirs, mine) => out.conflicts.push(f),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Priority, ProjectId, Status, Timestamp};

    fn req() -> Requirement {
        Requirement { title: "Refund".into(), ..Requirement::unsaved(ProjectId::new(), Timestamp::UNIX_EPOCH) }
    }

    #[test]
    fn fields_changed_on_one_side_merge_and_both_sides_conflict() {
        let base = req();
        let mut theirs = base.clone();
        theirs.status = Status::Approved;
        theirs.statement = "Theirs".into();
        theirs.rationale = "Same".into();
        let mut mine = base.clone();
        mine.title = "Refund in one step".into();
        mine.statement = "Mine".into();
        mine.rationale = "Same".into();
        mine.priority = Priority::Must;
        let m = merge(&base, &theirs, &mine);
        assert_eq!(m.conflicts, vec![ReqField::Statement], "only the field both changed differently");
        assert_eq!(m.patch.title.as_deref(), Some("Refund in one step"));
        assert_eq!(m.patch.priority, Some(Priority::Must));
        assert_eq!(m.patch.status, None, "their status stays");
        assert_eq!(m.patch.statement, None, "a conflict is not written until chosen");
        assert_eq!(m.patch.rationale, None, "both made the same change: nothing to write");
    }

    #[test]
    fn an_edit_nobody_overtook_is_written_as_it_stands() {
        let base = req();
        let mut mine = base.clone();
        mine.tags = vec!["billing".into()];
        let m = merge(&base, &base, &mine);
        assert!(m.conflicts.is_empty());
        assert_eq!(m.patch.tags, Some(vec!["billing".to_owned()]));
    }
}
