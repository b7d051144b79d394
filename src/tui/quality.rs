//! The project's quality as the Dashboard and the Requirements list show it: the lint of every requirement,
//! worked out on another connection (100,000 requirements take about half a second), once per change.

use std::collections::HashMap;

use crate::analysis::lint::{self, Linter, Severity};
use crate::domain::{Project, RequirementId};
use crate::store::{RequirementFilter, Store, StoreError};

/// What the lint of the whole project came to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality {
    /// The mean of the requirements' scores (100 with none).
    pub score: f64,
    /// Findings by severity: errors, warnings, infos.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Per requirement with findings: how many.
    pub findings: HashMap<RequirementId, usize>,
    /// The interviews by score, weakest first (title, score, requirements).
    pub interviews: Vec<(String, f64, usize)>,
    /// Every finding, the most serious first, then by requirement number.
    pub list: Vec<FindingRow>,
}

/// One finding of the project, as the Findings view lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub requirement: RequirementId,
    pub seq: i64,
    pub finding: lint::Finding,
}

/// Up to this many requirements the workbench assesses the whole project after each change: that takes a
/// fraction of a second and some tens of MB. A bigger one would hold every requirement and its findings
/// in memory at once (hundreds of MB at 100,000); `elicit lint` assesses it instead.
pub const ASSESS_AT_MOST: usize = 20_000;

/// Lints every live requirement of `project` (duplicates and conflicts included).
pub fn assess(store: &Store, project: &Project) -> Result<Quality, StoreError> {
    let linter = Linter::new(&store.lint_settings(project.id)?);
    let reqs: Vec<_> = store.requirements(project, &RequirementFilter::default())?;
    let all: Vec<_> = reqs.into_iter().map(|d| d.requirement).collect();
    let linted = linter.lint_project(project.key.as_str(), &all, true);
    let scores = lint::scores(&all, &linted, &store.interviews(project.id)?, &store.stakeholders(project.id)?);
    let mut q = Quality { score: scores.project, ..Quality::default() };
    for l in &linted.requirements {
        for f in &l.findings {
            match f.severity {
                Severity::Error => q.errors += 1,
                Severity::Warning => q.warnings += 1,
                Severity::Info => q.infos += 1,
            }
        }
        if !l.findings.is_empty() {
            q.findings.insert(all[l.index].id, l.findings.len());
        }
        let r = &all[l.index];
        q.list.extend(l.findings.iter().map(|f| FindingRow { requirement: r.id, seq: r.seq, finding: f.clone() }));
    }
    q.interviews = scores.interviews.into_iter().map(|g| (g.name, g.score, g.requirements)).collect();
    q.interviews.sort_by(|a, b| a.1.total_cmp(&b.1));
    q.list.sort_by(|a, b| b.finding.severity.cmp(&a.finding.severity).then(a.seq.cmp(&b.seq)));
    Ok(q)
}
