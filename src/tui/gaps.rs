//! The coverage gaps the Capture screen prompts with and the Dashboard lists, from
//! [`mod@crate::analysis::coverage`]; computed once each time the project data changes.

use std::collections::HashSet;

use crate::analysis::coverage;
use crate::domain::*;
use crate::tui::data::ProjectData;

/// Asks [`coverage::coverage`] for the gaps. It takes full requirements; building 100,000 of them for a
/// question about a few stages and outcomes would cost more than a frame, so it gets one stand-in per
/// stage and per outcome that has requirements, which gives the same answer.
/// The gap prompts: names of stages and outcomes with no requirement, departments never interviewed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gaps {
    pub stages: Vec<String>,
    pub outcomes: Vec<String>,
    pub departments: Vec<String>,
    /// What each empty list means: all covered, or nothing defined to cover (stages, outcomes, departments).
    pub empty: [Option<coverage::NoGaps>; 3],
}

pub fn compute_gaps(d: &ProjectData) -> Gaps {
    let mut stages: HashSet<StageId> = HashSet::new();
    for r in &d.rows {
        if let Some(s) = r.stage {
            stages.insert(s);
            if stages.len() >= d.stages.len() {
                break;
            }
        }
    }
    let mut outcomes: HashSet<OutcomeId> = HashSet::new();
    for (_, o) in &d.outcome_links {
        outcomes.insert(*o);
        if outcomes.len() >= d.outcomes.len() {
            break;
        }
    }
    let stand_in = |stage: Option<StageId>, outcomes: Vec<OutcomeId>| Requirement {
        stage,
        outcomes,
        ..Requirement::unsaved(d.project.id, Timestamp::UNIX_EPOCH)
    };
    let reps: Vec<Requirement> = stages
        .into_iter()
        .map(|s| stand_in(Some(s), Vec::new()))
        .chain(outcomes.into_iter().map(|o| stand_in(None, vec![o])))
        .collect();
    let c = coverage::coverage(&d.stages, &d.outcomes, &d.stakeholders, &d.interviews, reps.iter())
        .expect_departments(&d.departments);
    let kinds = [coverage::GapKind::Stages, coverage::GapKind::Outcomes, coverage::GapKind::Departments];
    Gaps {
        empty: kinds.map(|k| Some(c.no_gaps(k))),
        // Numbered as the journey orders them: Alt-1..9 in the capture box file a line under that stage.
        stages: c
            .stages_without_requirements
            .iter()
            .filter_map(|s| d.stages.iter().position(|x| x.id == *s).map(|i| format!("{} {}", i + 1, d.stages[i].name)))
            .collect(),
        outcomes: c
            .outcomes_without_requirements
            .iter()
            .filter_map(|o| d.outcome(Some(*o)))
            .map(|o| o.statement.clone())
            .collect(),
        departments: c.departments_not_interviewed,
    }
}
