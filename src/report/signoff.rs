//! What the report says about sign-off: the interviews held (who, when, how long, what was captured and how
//! much of it the stakeholders confirmed) and, per stakeholder, how their requirements stand
//! ([`analysis::stakeholder_sign_off`], which the Dashboard counts with too).

use serde::Serialize;

use super::ReportData;
use crate::analysis::{self, StakeholderSignOff};
use crate::domain::*;

/// One interview of the Interviews section.
#[derive(Debug, Clone, Serialize)]
pub struct InterviewView {
    pub title: String,
    pub mode: String,
    /// "Tuesday 1 December 2026, 09:00–09:40 UTC" (in the display zone), as the read-back says it.
    pub when: String,
    /// "45 min", or "still open".
    pub length: String,
    /// The stakeholders, by name.
    pub with: String,
    pub notes: String,
    /// Requirements of this report captured in it.
    pub requirements: usize,
    /// Of those, confirmed by everyone who answered and unchanged since.
    pub confirmed: usize,
    /// Of those, still to be (re)confirmed.
    pub awaiting: usize,
}

/// The interviews of the project, oldest first.
pub fn interviews(data: &ReportData) -> Vec<InterviewView> {
    let mut held: Vec<&Interview> = data.interviews.iter().collect();
    held.sort_by_key(|i| i.started_at);
    held.into_iter()
        .map(|i| {
            let captured: Vec<&RequirementDetails> =
                data.requirements.iter().filter(|d| d.requirement.interview == Some(i.id)).collect();
            let signed = |d: &&RequirementDetails| data.sign_offs.get(&d.requirement.id);
            let with: Vec<&str> = i
                .stakeholders
                .iter()
                .filter_map(|s| data.stakeholders.iter().find(|x| x.id == *s))
                .map(|s| s.name.as_str())
                .collect();
            InterviewView {
                title: i.title.clone(),
                mode: i.mode.to_string(),
                when: super::readback::interview_when(i),
                length: match i.ended_at {
                    Some(end) => format!("{} min", end.duration_since(i.started_at).as_mins().max(0)),
                    None => "still open".into(),
                },
                with: with.join(", "),
                notes: i.notes.clone(),
                requirements: captured.len(),
                confirmed: captured.iter().filter(|d| signed(d).is_some_and(SignOff::is_confirmed)).count(),
                awaiting: captured.iter().filter(|d| signed(d).is_none_or(SignOff::needs_confirmation)).count(),
            }
        })
        .collect()
}

/// How the requirements of this report that `stakeholder` is a source of stand with them.
pub fn stakeholder_sign_off(data: &ReportData, stakeholder: StakeholderId) -> StakeholderSignOff {
    analysis::stakeholder_sign_off(data.requirements.iter().map(|d| &d.requirement), &data.sign_offs, stakeholder)
}
