//! The report's quality section and the findings on each card: the lint of `analysis::lint`, run as
//! `elicit lint` runs it (the project's settings, duplicates included), laid out for the templates.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use super::ReportData;
use crate::analysis;
use crate::domain::*;

/// The quality section: the same scores and findings as `elicit lint`.
#[derive(Debug, Clone, Serialize)]
pub struct QualityView {
    /// The project score, 0-100.
    pub score: String,
    pub requirements: usize,
    pub with_findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings per rule, most first.
    pub by_rule: Vec<RuleBar>,
    /// The lowest-scoring requirements (at most ten), with their findings and hints.
    pub weakest: Vec<WeakView>,
    /// Near-duplicate and conflict pairs (at most twenty shown) and how many there are.
    pub pairs: Vec<PairView>,
    pub pair_count: usize,
    /// Interviews in the order held, with the mean score of what was captured in each: the trend.
    pub interviews: Vec<ScoreRow>,
    /// The findings analysts accepted, with why, by requirement.
    pub accepted: Vec<AcceptedView>,
}

/// An accepted finding, as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AcceptedView {
    pub id: String,
    pub rule: &'static str,
    pub text: String,
    pub message: Cow<'static, str>,
    pub reason: String,
    pub by: String,
    pub on: String,
}

/// One rule's count in the quality section.
#[derive(Debug, Clone, Serialize)]
pub struct RuleBar {
    /// The rule id, as the bar chart's label.
    pub label: &'static str,
    pub value: String,
    pub rule: &'static str,
    pub severity: &'static str,
    pub message: &'static str,
    pub count: usize,
    pub len: f64,
}

/// A weak requirement in the quality section.
#[derive(Debug, Clone, Serialize)]
pub struct WeakView {
    pub id: String,
    pub title: String,
    pub score: u32,
    pub findings: Vec<FindingView>,
}

/// One finding as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub rule: &'static str,
    pub severity: &'static str,
    pub field: &'static str,
    pub text: String,
    pub message: Cow<'static, str>,
    pub hint: Cow<'static, str>,
}

/// A duplicate or conflict pair.
#[derive(Debug, Clone, Serialize)]
pub struct PairView {
    pub kind: &'static str,
    pub a: String,
    pub b: String,
    pub reason: String,
}

/// A group's score (an interview).
#[derive(Debug, Clone, Serialize)]
pub struct ScoreRow {
    pub name: String,
    pub requirements: usize,
    pub score: String,
}

/// What a requirement's card shows of the lint.
#[derive(Debug, Clone, Serialize)]
pub struct CardQuality {
    pub score: u32,
    pub findings: Vec<FindingView>,
    pub accepted: Vec<AcceptedView>,
}

fn finding_view(f: &analysis::lint::Finding) -> FindingView {
    FindingView {
        rule: f.rule.as_str(),
        severity: f.severity.as_str(),
        field: f.field.as_str(),
        text: f.text.clone(),
        message: f.message.clone(),
        hint: f.hint.clone(),
    }
}

/// Lints the report's requirements as `elicit lint` does (the project's settings, duplicates included).
pub(super) fn build(data: &ReportData) -> (QualityView, HashMap<RequirementId, CardQuality>) {
    use analysis::lint::{Linter, RuleId, Severity};
    let reqs = &data.requirements;
    let mut lint = Linter::new(&data.lint_settings).lint_project(data.project.key.as_str(), reqs, true);
    lint.accept(reqs, &data.accepted);
    let mut accepted = Vec::new();
    let scores = analysis::lint::scores(reqs, &lint, &data.interviews, &data.stakeholders);
    let mut per_rule: HashMap<RuleId, usize> = HashMap::new();
    let (mut errors, mut warnings, mut infos, mut with_findings) = (0, 0, 0, 0);
    let mut cards = HashMap::with_capacity(reqs.len());
    for l in &lint.requirements {
        if !l.findings.is_empty() {
            with_findings += 1;
        }
        for f in &l.findings {
            *per_rule.entry(f.rule).or_default() += 1;
            match f.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => infos += 1,
            }
        }
        let findings = l.findings.iter().map(finding_view).collect();
        let here: Vec<AcceptedView> = l
            .accepted
            .iter()
            .map(|(f, a)| AcceptedView {
                id: reqs[l.index].human_id.clone(),
                rule: f.rule.as_str(),
                text: f.text.clone(),
                message: f.message.clone(),
                reason: a.reason.clone(),
                by: a.by.clone(),
                on: format_human(a.at),
            })
            .collect();
        accepted.extend(here.iter().cloned());
        cards.insert(reqs[l.index].requirement.id, CardQuality { score: l.score, findings, accepted: here });
    }
    let mut rules: Vec<(RuleId, usize)> = per_rule.into_iter().collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let max = rules.first().map_or(1, |r| r.1).max(1) as f64;
    let by_rule = rules
        .into_iter()
        .map(|(rule, count)| RuleBar {
            label: rule.as_str(),
            value: count.to_string(),
            rule: rule.as_str(),
            severity: rule.severity().as_str(),
            message: rule.message(),
            count,
            len: round1(count as f64 / max * 100.0),
        })
        .collect();
    let mut order: Vec<&analysis::lint::RequirementLint> = lint.requirements.iter().filter(|l| l.score < 100).collect();
    order.sort_by_key(|l| (l.score, l.index));
    let weakest = order
        .into_iter()
        .take(10)
        .map(|l| {
            let d = &data.requirements[l.index];
            WeakView {
                id: d.human_id.clone(),
                title: d.requirement.title.clone(),
                score: l.score,
                findings: l.findings.iter().map(finding_view).collect(),
            }
        })
        .collect();
    let pairs = lint
        .pairs
        .iter()
        .take(20)
        .map(|p| PairView {
            kind: p.kind.rule().as_str(),
            a: data.requirements[p.a].human_id.clone(),
            b: data.requirements[p.b].human_id.clone(),
            reason: p.reason.clone(),
        })
        .collect();
    let interviews = scores
        .interviews
        .iter()
        .map(|g| ScoreRow { name: g.name.clone(), requirements: g.requirements, score: format!("{:.0}", g.score) })
        .collect();
    let view = QualityView {
        score: format!("{:.0}", scores.project),
        requirements: reqs.len(),
        with_findings,
        errors,
        warnings,
        infos,
        by_rule,
        weakest,
        pairs,
        pair_count: lint.pairs.len(),
        interviews,
        accepted,
    };
    (view, cards)
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
