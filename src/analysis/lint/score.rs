//! Scores: a requirement starts at 100 and loses points per finding by severity; a project, an interview
//! and a stakeholder score the mean of their requirements, and the trend follows the interviews in order.

use std::collections::HashMap;

use serde::Serialize;

use super::{Finding, ProjectLint};
use crate::domain::{Interview, InterviewId, Requirement, Stakeholder, StakeholderId};

/// The score of one requirement from its findings: 100 minus the penalties, at least 0.
pub fn requirement_score(findings: &[Finding]) -> u32 {
    let lost: u32 = findings.iter().map(|f| f.severity.penalty()).sum();
    100u32.saturating_sub(lost)
}

/// The score of a group of requirements (an interview, a stakeholder).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScore {
    pub name: String,
    pub requirements: usize,
    pub findings: usize,
    /// Mean requirement score, 0..=100.
    pub score: f64,
}

/// One interview's score in a trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub interview: String,
    pub requirements: usize,
    pub score: f64,
}

/// Every score of a project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Mean requirement score (100 for a project without requirements).
    pub project: f64,
    pub requirements: usize,
    pub findings: usize,
    /// Interviews in the order they were held, with their requirements' mean score: the trend.
    pub interviews: Vec<GroupScore>,
    /// Stakeholders with requirements, with the trend of their requirements through the interviews.
    pub stakeholders: Vec<(GroupScore, Vec<TrendPoint>)>,
}

#[derive(Default)]
struct Acc {
    n: usize,
    findings: usize,
    sum: f64,
}

impl Acc {
    fn add(&mut self, score: u32, findings: usize) {
        self.n += 1;
        self.findings += findings;
        self.sum += f64::from(score);
    }

    fn mean(&self) -> f64 {
        if self.n == 0 { 100.0 } else { self.sum / self.n as f64 }
    }
}

/// The scores of `reqs` (the slice `lint` was made from), grouped by `interviews` and `stakeholders`.
pub fn scores<R: AsRef<Requirement>>(
    reqs: &[R],
    lint: &ProjectLint,
    interviews: &[Interview],
    stakeholders: &[Stakeholder],
) -> Scores {
    let mut total = Acc::default();
    let mut by_interview: HashMap<InterviewId, Acc> = HashMap::new();
    let mut by_person: HashMap<StakeholderId, Acc> = HashMap::new();
    let mut by_person_interview: HashMap<(StakeholderId, InterviewId), Acc> = HashMap::new();
    for l in &lint.requirements {
        let Some(r) = reqs.get(l.index).map(AsRef::as_ref) else { continue };
        let n = l.findings.len();
        total.add(l.score, n);
        if let Some(i) = r.interview {
            by_interview.entry(i).or_default().add(l.score, n);
        }
        for s in &r.sources {
            by_person.entry(*s).or_default().add(l.score, n);
            if let Some(i) = r.interview {
                by_person_interview.entry((*s, i)).or_default().add(l.score, n);
            }
        }
    }
    let mut ordered: Vec<&Interview> = interviews.iter().collect();
    ordered.sort_by_key(|i| i.started_at);
    let group = |name: &str, a: &Acc| GroupScore {
        name: name.to_owned(),
        requirements: a.n,
        findings: a.findings,
        score: a.mean(),
    };
    let interview_scores = ordered.iter().filter_map(|i| by_interview.get(&i.id).map(|a| group(&i.title, a))).collect();
    let stakeholder_scores = stakeholders
        .iter()
        .filter_map(|s| {
            let a = by_person.get(&s.id)?;
            let trend = ordered
                .iter()
                .filter_map(|i| {
                    by_person_interview.get(&(s.id, i.id)).map(|a| TrendPoint {
                        interview: i.title.clone(),
                        requirements: a.n,
                        score: a.mean(),
                    })
                })
                .collect();
            Some((group(&s.name, a), trend))
        })
        .collect();
    Scores {
        project: total.mean(),
        requirements: total.n,
        findings: total.findings,
        interviews: interview_scores,
        stakeholders: stakeholder_scores,
    }
}
