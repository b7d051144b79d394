//! The project's quality as the Dashboard and the Requirements list show it: the lint of every requirement,
//! worked out on another connection (100,000 requirements take about half a second), once per change; and
//! the index of statements that the capture box compares the line being typed with.

use std::collections::HashMap;

use crate::analysis::lint::{self, DuplicateIndex, Linter, PairKind, Severity};
use crate::domain::{AcceptedFinding, Project, RequirementId};
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
    /// The findings analysts accepted (with the acceptance), by requirement number.
    pub accepted: Vec<FindingRow>,
}

/// One finding of the project, as the Findings view lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub requirement: RequirementId,
    pub seq: i64,
    pub finding: lint::Finding,
    /// Why an analyst accepted it, when one did.
    pub accepted: Option<AcceptedFinding>,
}

/// Up to this many requirements the workbench assesses the whole project after each change: that takes a
/// fraction of a second and some tens of MB. A bigger one would hold every requirement and its findings
/// in memory at once (hundreds of MB at 100,000); `elicit lint` assesses it instead.
pub const ASSESS_AT_MOST: usize = 20_000;

/// What one assessment of the project came to.
#[derive(Debug, Default)]
pub struct Assessment {
    /// The lint of every requirement; none for a project bigger than [`ASSESS_AT_MOST`].
    pub quality: Option<Quality>,
    /// The statements a new line is compared with, for any size of project.
    pub repeats: Repeats,
}

/// The project's statements, indexed so that the capture box can say at once that a line being typed
/// nearly repeats (or contradicts) a requirement already there.
#[derive(Debug, Default)]
pub struct Repeats {
    index: DuplicateIndex,
    /// Per statement of the index, in its order: the requirement and its number.
    ids: Vec<(RequirementId, i64)>,
}

/// An existing requirement a line nearly repeats or contradicts.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeat {
    pub id: RequirementId,
    pub seq: i64,
    pub kind: PairKind,
    /// Why, in words.
    pub reason: String,
}

impl Repeats {
    /// Adds a requirement written since the index was made (a line just captured).
    pub fn add(&mut self, id: RequirementId, seq: i64, text: &str) {
        self.index.add(text);
        self.ids.push((id, seq));
    }

    /// Adds these requirements: (id, number, title, statement).
    pub fn extend(&mut self, rows: Vec<(RequirementId, i64, String, String)>) {
        let texts: Vec<&str> = rows.iter().map(|(_, _, t, s)| lint::compared_text(t, s)).collect();
        self.index.extend(&texts);
        self.ids.extend(rows.iter().map(|(id, seq, _, _)| (*id, *seq)));
    }

    /// The requirement `text` most nearly repeats or contradicts (a contradiction first: it matters more).
    pub fn nearest(&self, text: &str) -> Option<Repeat> {
        let mut found = self.index.similar(text);
        found.sort_by_key(|f| f.1 != PairKind::Conflict);
        let (at, kind, _, reason) = found.into_iter().next()?;
        let (id, seq) = *self.ids.get(at)?;
        Some(Repeat { id, seq, kind, reason })
    }
}

/// Assesses `project`: the lint of every requirement when it is small enough (see [`ASSESS_AT_MOST`]),
/// and the index of its statements for the capture box whatever its size.
pub fn assess(store: &Store, project: &Project) -> Result<Assessment, StoreError> {
    if store.requirement_count(project.id)? as usize > ASSESS_AT_MOST {
        // Read a page at a time, so only the index is held, never every statement at once.
        let mut repeats = Repeats::default();
        let mut after = 0;
        loop {
            let page = store.requirement_texts(project.id, after, 2048)?;
            let Some(last) = page.last() else { break };
            after = last.1;
            repeats.extend(page);
        }
        repeats.index.shrink_to_fit();
        repeats.ids.shrink_to_fit();
        return Ok(Assessment { quality: None, repeats });
    }
    let reqs: Vec<_> = store.requirements(project, &RequirementFilter::default())?;
    let all: Vec<_> = reqs.into_iter().map(|d| d.requirement).collect();
    let mut repeats = Repeats::default();
    repeats.extend(all.iter().map(|r| (r.id, r.seq, r.title.clone(), r.statement.clone())).collect());
    Ok(Assessment { quality: Some(assess_requirements(store, project, &all)?), repeats })
}

/// Lints every requirement given (duplicates and conflicts included).
fn assess_requirements(
    store: &Store,
    project: &Project,
    all: &[crate::domain::Requirement],
) -> Result<Quality, StoreError> {
    let linter = Linter::new(&store.lint_settings(project.id)?);
    let mut linted = linter.lint_project(project.key.as_str(), all, true);
    linted.accept(all, &store.project_accepted_findings(project.id)?);
    let scores = lint::scores(all, &linted, &store.interviews(project.id)?, &store.stakeholders(project.id)?);
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
        q.list.extend(l.findings.iter().map(|f| FindingRow {
            requirement: r.id,
            seq: r.seq,
            finding: f.clone(),
            accepted: None,
        }));
        q.accepted.extend(l.accepted.iter().map(|(f, a)| FindingRow {
            requirement: r.id,
            seq: r.seq,
            finding: f.clone(),
            accepted: Some(a.clone()),
        }));
    }
    q.interviews = scores.interviews.into_iter().map(|g| (g.name, g.score, g.requirements)).collect();
    q.interviews.sort_by(|a, b| a.1.total_cmp(&b.1));
    q.list.sort_by(|a, b| b.finding.severity.cmp(&a.finding.severity).then(a.seq.cmp(&b.seq)));
    Ok(q)
}
