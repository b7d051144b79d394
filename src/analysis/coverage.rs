//! Coverage: which parts of the journey, which outcomes and which departments the requirements do not yet
//! reach. Gaps are what an analyst plans the next interviews around.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::domain::{Interview, JourneyStage, Outcome, OutcomeId, Requirement, StageId, Stakeholder, StakeholderId};

/// A department and how it was heard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentCoverage {
    /// The department as written on its stakeholders (the first spelling seen; matching ignores case).
    pub department: String,
    /// Stakeholders in the department.
    pub stakeholders: usize,
    /// Of those, how many took part in at least one interview.
    pub interviewed: usize,
    /// Live requirements with a source in the department.
    pub requirements: usize,
    /// Whether the project lists it among the departments it expects to hear from.
    pub expected: bool,
}

/// The coverage gaps and the departments heard from.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Coverage {
    /// Stages with no live requirement, in journey order.
    pub stages_without_requirements: Vec<StageId>,
    /// Outcomes with no live requirement, in the given order.
    pub outcomes_without_requirements: Vec<OutcomeId>,
    /// Departments none of whose stakeholders took part in an interview, by name: those of the stakeholders
    /// met and, once [`Coverage::expect_departments`] is given them, those the project expects to hear from.
    pub departments_not_interviewed: Vec<String>,
    /// Departments with at least one interviewed stakeholder or one requirement sourced from them.
    pub departments_heard_from: Vec<DepartmentCoverage>,
    /// Every department with stakeholders, heard from or not, sorted by name.
    pub departments: Vec<DepartmentCoverage>,
    /// How many journey stages there were to cover.
    pub stages_defined: usize,
    /// How many outcomes there were to cover.
    pub outcomes_defined: usize,
}

/// A kind of coverage gap, for [`Coverage::no_gaps`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapKind {
    /// Journey stages with no requirement.
    Stages,
    /// Outcomes with no requirement.
    Outcomes,
    /// Departments not heard.
    Departments,
}

/// What an empty list of gaps means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoGaps {
    /// Everything there was to cover is covered: "none", and it may be shown as good news.
    Covered,
    /// There was nothing to cover; these words say what is missing instead ("no outcomes defined").
    NothingDefined(&'static str),
}

impl Coverage {
    /// What it means that there is no gap of `kind` to list: covered, or nothing there to cover. A green
    /// "none" is only true in the first case; with no outcomes defined, "no outcome lacks requirements" is
    /// no achievement.
    pub fn no_gaps(&self, kind: GapKind) -> NoGaps {
        let (defined, words) = match kind {
            GapKind::Stages => (self.stages_defined, "no journey stages defined"),
            GapKind::Outcomes => (self.outcomes_defined, "no outcomes defined"),
            GapKind::Departments => (self.departments.len(), "no departments known"),
        };
        if defined == 0 { NoGaps::NothingDefined(words) } else { NoGaps::Covered }
    }

    /// Measures the departments against the ones the project expects to hear from as well as those of its
    /// stakeholders: an expected department nobody from has been met yet is a gap too.
    pub fn expect_departments(mut self, expected: &[String]) -> Coverage {
        self.departments = expect(std::mem::take(&mut self.departments), expected);
        self.departments_not_interviewed =
            self.departments.iter().filter(|d| d.interviewed == 0).map(|d| d.department.clone()).collect();
        for d in &mut self.departments_heard_from {
            d.expected = expected.iter().any(|e| same_department(e, &d.department));
        }
        self
    }

    /// The number of gaps of every kind together.
    pub fn gap_count(&self) -> usize {
        self.stages_without_requirements.len()
            + self.outcomes_without_requirements.len()
            + self.departments_not_interviewed.len()
    }
}

fn same_department(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// `departments` (as [`departments`] gives them) with every department of `expected` marked as expected, and
/// those nobody from has been met added with nothing heard; sorted by name as [`departments`] sorts them.
pub fn expect(mut departments: Vec<DepartmentCoverage>, expected: &[String]) -> Vec<DepartmentCoverage> {
    for name in expected.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        match departments.iter_mut().find(|d| same_department(&d.department, name)) {
            Some(d) => d.expected = true,
            None => departments.push(DepartmentCoverage {
                department: name.to_owned(),
                stakeholders: 0,
                interviewed: 0,
                requirements: 0,
                expected: true,
            }),
        }
    }
    departments.sort_by_key(|d| d.department.trim().to_lowercase());
    departments
}

/// Live requirements per stage id (requirements without a stage are not counted).
pub fn requirements_per_stage<'a>(requirements: impl IntoIterator<Item = &'a Requirement>) -> HashMap<StageId, usize> {
    let mut out = HashMap::new();
    for r in requirements.into_iter().filter(|r| r.deleted_at.is_none()) {
        if let Some(s) = r.stage {
            *out.entry(s).or_insert(0) += 1;
        }
    }
    out
}

/// Live requirements per outcome id.
pub fn requirements_per_outcome<'a>(
    requirements: impl IntoIterator<Item = &'a Requirement>,
) -> HashMap<OutcomeId, usize> {
    let mut out = HashMap::new();
    for r in requirements.into_iter().filter(|r| r.deleted_at.is_none()) {
        for o in &r.outcomes {
            *out.entry(*o).or_insert(0) += 1;
        }
    }
    out
}

/// Computes the coverage of a project. Deleted requirements are ignored; stakeholders without a department
/// are left out of the department figures (there is nothing to name).
pub fn coverage<'a>(
    stages: &[JourneyStage],
    outcomes: &[Outcome],
    stakeholders: &[Stakeholder],
    interviews: &[Interview],
    requirements: impl IntoIterator<Item = &'a Requirement> + Clone,
) -> Coverage {
    let per_stage = requirements_per_stage(requirements.clone());
    let per_outcome = requirements_per_outcome(requirements.clone());
    let sources = requirements
        .into_iter()
        .filter(|r| r.deleted_at.is_none())
        .enumerate()
        .flat_map(|(i, r)| r.sources.iter().map(move |s| (i, *s)));
    let all = departments(stakeholders, interviews, sources);
    Coverage {
        stages_without_requirements: stages
            .iter()
            .filter(|s| per_stage.get(&s.id).copied().unwrap_or(0) == 0)
            .map(|s| s.id)
            .collect(),
        outcomes_without_requirements: outcomes
            .iter()
            .filter(|o| per_outcome.get(&o.id).copied().unwrap_or(0) == 0)
            .map(|o| o.id)
            .collect(),
        departments_not_interviewed: all.iter().filter(|d| d.interviewed == 0).map(|d| d.department.clone()).collect(),
        departments_heard_from: all.iter().filter(|d| d.interviewed > 0 || d.requirements > 0).cloned().collect(),
        departments: all,
        stages_defined: stages.len(),
        outcomes_defined: outcomes.len(),
    }
}

/// Every department with stakeholders, sorted by name: matched ignoring case and surrounding space (the first
/// spelling seen is shown), with how many of its people were interviewed and how many requirements have a
/// source in it. `sources` pairs a requirement (any key that tells requirements apart) with one of its
/// sources; a requirement counts once per department even when two of its sources share one. Stakeholders
/// without a department are left out: there is nothing to name.
pub fn departments<K: std::hash::Hash + Eq>(
    stakeholders: &[Stakeholder],
    interviews: &[Interview],
    sources: impl IntoIterator<Item = (K, StakeholderId)>,
) -> Vec<DepartmentCoverage> {
    let interviewed: HashSet<StakeholderId> = interviews.iter().flat_map(|i| i.stakeholders.iter().copied()).collect();
    // Department by lower-cased name, keeping the first spelling for display.
    let mut departments: BTreeMap<String, DepartmentCoverage> = BTreeMap::new();
    let mut department_of: HashMap<StakeholderId, String> = HashMap::new();
    for s in stakeholders {
        let name = s.department.trim();
        if name.is_empty() {
            continue;
        }
        let key = name.to_lowercase();
        let d = departments.entry(key.clone()).or_insert_with(|| DepartmentCoverage {
            department: name.to_owned(),
            stakeholders: 0,
            interviewed: 0,
            requirements: 0,
            expected: false,
        });
        d.stakeholders += 1;
        if interviewed.contains(&s.id) {
            d.interviewed += 1;
        }
        department_of.insert(s.id, key);
    }
    let mut counted: HashSet<(K, &String)> = HashSet::new();
    for (requirement, source) in sources {
        if let Some(key) = department_of.get(&source)
            && counted.insert((requirement, key))
            && let Some(d) = departments.get_mut(key)
        {
            d.requirements += 1;
        }
    }
    departments.into_values().collect()
}

/// Requirement counts per (stage, outcome): rows follow `stages`, columns follow `outcomes`. A requirement
/// linked to two outcomes counts in both columns; requirements without a stage are in no row.
pub fn traceability<'a>(
    stages: &[JourneyStage],
    outcomes: &[Outcome],
    requirements: impl IntoIterator<Item = &'a Requirement>,
) -> Vec<Vec<usize>> {
    let row: HashMap<StageId, usize> = stages.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let col: HashMap<OutcomeId, usize> = outcomes.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let mut matrix = vec![vec![0; outcomes.len()]; stages.len()];
    for r in requirements.into_iter().filter(|r| r.deleted_at.is_none()) {
        let Some(i) = r.stage.and_then(|s| row.get(&s)) else { continue };
        for o in &r.outcomes {
            if let Some(j) = col.get(o) {
                matrix[*i][*j] += 1;
            }
        }
    }
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    fn stage(name: &str, p: ProjectId) -> JourneyStage {
        JourneyStage { id: StageId::new(), project_id: p, name: name.into(), description: String::new(), position: 0 }
    }

    fn person(name: &str, dept: &str, p: ProjectId) -> Stakeholder {
        Stakeholder {
            id: StakeholderId::new(),
            project_id: p,
            name: name.into(),
            role: String::new(),
            department: dept.into(),
            organisation: String::new(),
            contact: String::new(),
            notes: String::new(),
        }
    }

    fn req(p: ProjectId, stage: Option<StageId>, outcomes: Vec<OutcomeId>, sources: Vec<StakeholderId>) -> Requirement {
        Requirement { title: "t".into(), stage, outcomes, sources, ..Requirement::unsaved(p, Timestamp::UNIX_EPOCH) }
    }

    #[test]
    fn finds_every_kind_of_gap() {
        let p = ProjectId::new();
        let (buy, pay) = (stage("Buy", p), stage("Pay", p));
        let nps = Outcome {
            id: OutcomeId::new(),
            project_id: p,
            statement: "NPS".into(),
            metric: Metric::Nps,
            baseline: None,
            target: None,
            unit: String::new(),
        };
        let churn = Outcome { id: OutcomeId::new(), statement: "Churn".into(), ..nps.clone() };
        let ana = person("Ana", "Support", p);
        let bo = person("Bo", "support", p);
        let cy = person("Cy", "Finance", p);
        let dee = person("Dee", "", p);
        let interview = Interview {
            id: InterviewId::new(),
            project_id: p,
            title: "x".into(),
            mode: InterviewMode::Video,
            started_at: Timestamp::UNIX_EPOCH,
            ended_at: None,
            notes: String::new(),
            stakeholders: vec![ana.id],
        };
        let mut deleted = req(p, Some(pay.id), vec![churn.id], vec![cy.id]);
        deleted.deleted_at = Some(Timestamp::UNIX_EPOCH);
        let reqs = [req(p, Some(buy.id), vec![nps.id], vec![ana.id, bo.id]), deleted];
        let c = coverage(
            &[buy.clone(), pay.clone()],
            &[nps.clone(), churn.clone()],
            &[ana, bo, cy, dee],
            &[interview],
            reqs.iter(),
        );
        assert_eq!(c.stages_without_requirements, vec![pay.id]);
        assert_eq!(c.outcomes_without_requirements, vec![churn.id]);
        assert_eq!(c.departments_not_interviewed, vec!["Finance".to_string()]);
        assert_eq!(
            c.departments_heard_from,
            vec![DepartmentCoverage {
                department: "Support".into(),
                stakeholders: 2,
                interviewed: 1,
                requirements: 1,
                expected: false
            }]
        );
        assert_eq!(c.departments.len(), 2);
        assert_eq!(c.gap_count(), 3);

        // Expected departments: one already met (any spelling), one nobody from has been met.
        let c = c.expect_departments(&[" SUPPORT".into(), "Billing".into()]);
        let names: Vec<(&str, bool)> = c.departments.iter().map(|d| (d.department.as_str(), d.expected)).collect();
        assert_eq!(names, [("Billing", true), ("Finance", false), ("Support", true)]);
        assert_eq!(c.departments_not_interviewed, ["Billing", "Finance"]);
        assert!(c.departments_heard_from[0].expected);
        assert_eq!(c.gap_count(), 4);
        assert_eq!(c.no_gaps(GapKind::Outcomes), NoGaps::Covered);
    }

    /// Issue 14 §4: "none" is good news only where there was something to cover.
    #[test]
    fn nothing_to_cover_is_not_said_to_be_covered() {
        let c = coverage(&[], &[], &[], &[], std::iter::empty::<&Requirement>());
        assert_eq!(c.no_gaps(GapKind::Outcomes), NoGaps::NothingDefined("no outcomes defined"));
        assert_eq!(c.no_gaps(GapKind::Stages), NoGaps::NothingDefined("no journey stages defined"));
        assert_eq!(c.no_gaps(GapKind::Departments), NoGaps::NothingDefined("no departments known"));
        let expected = c.expect_departments(&["Billing".into()]);
        assert_eq!(expected.departments_not_interviewed, ["Billing"]);
        assert_eq!(expected.no_gaps(GapKind::Departments), NoGaps::Covered);
    }

    #[test]
    fn empty_project_has_no_gaps_and_no_panic() {
        let c = coverage(&[], &[], &[], &[], std::iter::empty::<&Requirement>());
        assert_eq!(c, Coverage::default());
        assert!(traceability(&[], &[], std::iter::empty::<&Requirement>()).is_empty());
    }

    #[test]
    fn traceability_counts_each_outcome_link() {
        let p = ProjectId::new();
        let s = stage("Buy", p);
        let o1 = OutcomeId::new();
        let o2 = OutcomeId::new();
        let outcome = |id| Outcome {
            id,
            project_id: p,
            statement: "o".into(),
            metric: Metric::Custom,
            baseline: None,
            target: None,
            unit: String::new(),
        };
        let reqs = [
            req(p, Some(s.id), vec![o1, o2], vec![]),
            req(p, Some(s.id), vec![o1], vec![]),
            req(p, None, vec![o2], vec![]),
        ];
        assert_eq!(traceability(&[s], &[outcome(o1), outcome(o2)], reqs.iter()), vec![vec![2, 1]]);
    }
}
