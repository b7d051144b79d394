//! The view model of the report: every number and phrase the HTML and Markdown templates show, computed
//! once in Rust (with [`crate::analysis`]) so the templates only lay them out and both formats agree.

use std::collections::HashMap;

use serde::Serialize;

use super::ReportData;
pub use super::quality::{CardQuality, FindingView, QualityView};
pub use super::signoff::InterviewView;
pub use crate::analysis::StakeholderSignOff;
use crate::analysis::{self, Verdict};
use crate::domain::*;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub title: String,
    pub project_key: String,
    pub project_name: String,
    pub description: String,
    pub generated: String,
    pub author: String,
    pub filter_note: String,
    pub counts: Counts,
    pub by_status: Vec<Bar>,
    pub by_priority: Vec<Bar>,
    pub share: ShareView,
    pub top_gaps: Vec<String>,
    pub journey: Vec<StageView>,
    pub unstaged: usize,
    pub outcomes: Vec<OutcomeView>,
    pub outcomes_without_requirements: usize,
    pub stakeholders: Vec<StakeholderView>,
    pub departments: Vec<DepartmentView>,
    pub departments_not_interviewed: Vec<String>,
    /// The interviews held, oldest first.
    pub interviews: Vec<InterviewView>,
    pub time: TimeView,
    /// Whether the quality section is shown (there are requirements to judge).
    pub has_quality: bool,
    pub quality: QualityView,
    /// Score and findings of each requirement, for its card; not a template value of the main page.
    #[serde(skip)]
    pub cards: HashMap<RequirementId, CardQuality>,
}

/// Cover counts.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub requirements: usize,
    pub stages: usize,
    pub outcomes: usize,
    pub stakeholders: usize,
    pub interviews: usize,
    pub must: usize,
    pub pain_points: usize,
    pub moments_of_truth: usize,
    pub hours: String,
    /// Requirements confirmed by every stakeholder who answered, unchanged since.
    pub confirmed: usize,
}

/// One bar of a bar chart: a label, a count and its length (0-100, relative to the longest bar).
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub count: usize,
    pub value: String,
    pub len: f64,
}

/// The requirements share against the band, with the geometry of its gauge (0-100 scale).
#[derive(Debug, Clone, Serialize)]
pub struct ShareView {
    pub known: bool,
    pub share: String,
    pub band: String,
    pub verdict: String,
    /// below, inside or above (a CSS class).
    pub verdict_class: String,
    pub requirements_hours: String,
    pub total_hours: String,
    pub pos: f64,
    /// The band's ends as labels: "25%", "40%".
    pub band_low: String,
    pub band_high: String,
    pub band_from: f64,
    pub band_width: f64,
}

/// A stage of the journey overview.
#[derive(Debug, Clone, Serialize)]
pub struct StageView {
    pub position: usize,
    pub name: String,
    /// The name cut to fit a chart label.
    pub short_name: String,
    pub description: String,
    pub count: usize,
    pub must: usize,
    pub len: f64,
    pub moments_of_truth: Vec<Ref>,
    pub pain_points: Vec<Ref>,
}

/// A short reference to a requirement.
#[derive(Debug, Clone, Serialize)]
pub struct Ref {
    pub id: String,
    pub title: String,
    pub status: String,
    pub priority: String,
}

/// An outcome with the requirements traced to it.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeView {
    pub statement: String,
    pub metric: String,
    pub baseline: String,
    pub target: String,
    pub requirements: Vec<Ref>,
}

/// A requirement with every field as display text, borrowed from the loaded data where it can be: the
/// report builds one per requirement, 100,000 in a big project.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub statement: &'a str,
    pub kind: &'static str,
    pub priority: &'static str,
    pub status: &'static str,
    pub stage: &'a str,
    pub outcomes: &'a [String],
    pub sources: &'a [String],
    pub interview: &'a str,
    pub channel: &'static str,
    pub marks: &'static str,
    pub pain_point: bool,
    pub moment_of_truth: bool,
    pub tags: String,
    pub acceptance: &'a str,
    pub rationale: &'a str,
    pub quote: &'a str,
    pub external_ref: &'a str,
    pub version: i64,
    pub created: String,
    pub updated: String,
    /// The lint's score, when the requirement was linted.
    pub score: Option<u32>,
    pub findings: &'a [FindingView],
    /// The stakeholders' answers: "confirmed by Ana Ruiz", "unconfirmed", "... (changed since confirmation)".
    pub confirmation: String,
    /// Confirmed by everyone who answered and unchanged since (for the card's mark).
    pub confirmed: bool,
    /// The findings analysts accepted on it, with why.
    pub accepted: &'a [super::quality::AcceptedView],
}

/// A stakeholder with how much was heard from them.
#[derive(Debug, Clone, Serialize)]
pub struct StakeholderView {
    pub name: String,
    pub role: String,
    pub department: String,
    pub organisation: String,
    pub interviews: usize,
    pub requirements: usize,
    /// How the requirements they are a source of stand with them.
    pub sign_off: StakeholderSignOff,
}

/// A department's coverage.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentView {
    pub department: String,
    pub stakeholders: usize,
    pub interviewed: usize,
    pub requirements: usize,
    /// One the project expects to hear from.
    pub expected: bool,
}

/// The time summary.
#[derive(Debug, Clone, Serialize)]
pub struct TimeView {
    pub entries: usize,
    pub by_activity: Vec<Bar>,
    pub weeks: Vec<WeekView>,
    /// Band lines of the weekly chart, 0-100.
    pub band_min: f64,
    pub band_max: f64,
}

/// One week of the time summary.
#[derive(Debug, Clone, Serialize)]
pub struct WeekView {
    pub week: String,
    pub requirements_hours: String,
    pub total_hours: String,
    pub share: String,
    /// 0-100; 0 when the week has no time.
    pub height: f64,
    pub verdict_class: String,
}

/// "31%".
pub fn percent(fraction: f64) -> String {
    format!("{:.0}%", fraction * 100.0)
}

/// "12.5".
pub fn hours(h: f64) -> String {
    format!("{h:.1}")
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn number(v: Option<f64>, unit: &str) -> String {
    match v {
        None => String::new(),
        Some(v) if unit.is_empty() => format!("{v}"),
        Some(v) if unit == "%" => format!("{v}%"),
        Some(v) => format!("{v} {unit}"),
    }
}

fn bars(items: Vec<(String, usize)>) -> Vec<Bar> {
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    items
        .into_iter()
        .map(|(label, count)| Bar { label, count, value: count.to_string(), len: round1(count as f64 / max * 100.0) })
        .collect()
}

fn reference(d: &RequirementDetails) -> Ref {
    Ref {
        id: d.human_id.clone(),
        title: d.requirement.title.clone(),
        status: d.requirement.status.to_string(),
        priority: d.requirement.priority.to_string(),
    }
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Below => "below",
        Verdict::Inside => "inside",
        Verdict::Above => "above",
    }
}

impl ReportView {
    /// Builds the view of a loaded project.
    pub fn build(data: &ReportData) -> ReportView {
        let p = &data.project;
        let (quality, cards) = super::quality::build(data);
        let reqs: Vec<&Requirement> = data.requirements.iter().map(|d| &d.requirement).collect();
        let coverage = analysis::coverage(
            &data.stages,
            &data.outcomes,
            &data.stakeholders,
            &data.interviews,
            reqs.iter().copied(),
        )
        .expect_departments(&data.expected_departments);
        let stage_name = data.stage_names();
        let outcome_name: HashMap<OutcomeId, &str> =
            data.outcomes.iter().map(|o| (o.id, o.statement.as_str())).collect();

        let count_by = |f: &dyn Fn(&Requirement) -> bool| reqs.iter().filter(|r| f(r)).count();
        let by_status =
            bars(Status::ALL.iter().map(|s| (s.to_string(), count_by(&|r: &Requirement| r.status == *s))).collect());
        let by_priority = bars(
            Priority::ALL.iter().map(|s| (s.to_string(), count_by(&|r: &Requirement| r.priority == *s))).collect(),
        );

        let totals = analysis::time_totals(&data.time_entries, data.now);
        let share = match totals.share() {
            Some(s) => {
                let v = analysis::verdict(s, p.target_min, p.target_max);
                ShareView {
                    known: true,
                    share: percent(s),
                    band: format!("{}-{}", percent(p.target_min).trim_end_matches('%'), percent(p.target_max)),
                    verdict: v.describe().to_owned(),
                    verdict_class: verdict_class(v).to_owned(),
                    requirements_hours: hours(totals.requirements_hours),
                    total_hours: hours(totals.total_hours),
                    pos: round1(s.clamp(0.0, 1.0) * 100.0),
                    band_low: percent(p.target_min),
                    band_high: percent(p.target_max),
                    band_from: round1(p.target_min * 100.0),
                    band_width: round1((p.target_max - p.target_min) * 100.0),
                }
            }
            None => ShareView {
                known: false,
                share: "no time logged".into(),
                band: format!("{}-{}", percent(p.target_min).trim_end_matches('%'), percent(p.target_max)),
                verdict: String::new(),
                verdict_class: String::new(),
                requirements_hours: hours(0.0),
                total_hours: hours(0.0),
                pos: 0.0,
                band_low: percent(p.target_min),
                band_high: percent(p.target_max),
                band_from: round1(p.target_min * 100.0),
                band_width: round1((p.target_max - p.target_min) * 100.0),
            },
        };

        let mut top_gaps = Vec::new();
        for s in &coverage.stages_without_requirements {
            top_gaps.push(format!("Stage \"{}\" has no requirements", stage_name.get(s).copied().unwrap_or("?")));
        }
        for o in &coverage.outcomes_without_requirements {
            top_gaps.push(format!("Outcome \"{}\" has no requirements", outcome_name.get(o).copied().unwrap_or("?")));
        }
        for d in &coverage.departments_not_interviewed {
            top_gaps.push(format!("Department \"{d}\" was never interviewed"));
        }
        // Nothing to cover is a gap too, not a clean bill: say what is missing.
        for kind in [analysis::GapKind::Stages, analysis::GapKind::Outcomes, analysis::GapKind::Departments] {
            if let analysis::NoGaps::NothingDefined(words) = coverage.no_gaps(kind) {
                let mut words = words.to_owned();
                words[..1].make_ascii_uppercase();
                top_gaps.push(words);
            }
        }
        let unstaged_count = reqs.iter().filter(|r| r.stage.is_none()).count();
        if unstaged_count > 0 {
            top_gaps.push(format!(
                "{unstaged_count} requirement{} not placed on the journey",
                if unstaged_count == 1 { " is" } else { "s are" }
            ));
        }
        let no_outcome = reqs.iter().filter(|r| r.outcomes.is_empty()).count();
        if no_outcome > 0 {
            top_gaps.push(format!(
                "{no_outcome} requirement{} not traced to an outcome",
                if no_outcome == 1 { " is" } else { "s are" }
            ));
        }

        let per_stage = analysis::requirements_per_stage(reqs.iter().copied());
        let max_stage = per_stage.values().copied().max().unwrap_or(0).max(1) as f64;
        let journey = data
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let in_stage: Vec<&RequirementDetails> =
                    data.requirements.iter().filter(|d| d.requirement.stage == Some(s.id)).collect();
                StageView {
                    position: i + 1,
                    name: s.name.clone(),
                    short_name: crate::domain::fit(&s.name, 24),
                    description: s.description.clone(),
                    count: in_stage.len(),
                    must: in_stage.iter().filter(|d| d.requirement.priority == Priority::Must).count(),
                    len: round1(in_stage.len() as f64 / max_stage * 100.0),
                    moments_of_truth: in_stage
                        .iter()
                        .filter(|d| d.requirement.moment_of_truth)
                        .map(|d| reference(d))
                        .collect(),
                    pain_points: in_stage.iter().filter(|d| d.requirement.pain_point).map(|d| reference(d)).collect(),
                }
            })
            .collect();

        let mut traced: HashMap<OutcomeId, Vec<Ref>> = HashMap::new();
        for d in &data.requirements {
            for o in &d.requirement.outcomes {
                traced.entry(*o).or_default().push(reference(d));
            }
        }
        let outcomes = data
            .outcomes
            .iter()
            .map(|o| OutcomeView {
                statement: o.statement.clone(),
                metric: o.metric.to_string(),
                baseline: number(o.baseline, &o.unit),
                target: number(o.target, &o.unit),
                requirements: traced.remove(&o.id).unwrap_or_default(),
            })
            .collect();

        let mut interviews_of: HashMap<StakeholderId, usize> = HashMap::new();
        for i in &data.interviews {
            for s in &i.stakeholders {
                *interviews_of.entry(*s).or_default() += 1;
            }
        }
        let mut sourced: HashMap<StakeholderId, usize> = HashMap::new();
        for r in &reqs {
            for s in &r.sources {
                *sourced.entry(*s).or_default() += 1;
            }
        }
        let stakeholders = data
            .stakeholders
            .iter()
            .map(|s| StakeholderView {
                name: s.name.clone(),
                role: s.role.clone(),
                department: s.department.clone(),
                organisation: s.organisation.clone(),
                interviews: interviews_of.get(&s.id).copied().unwrap_or(0),
                requirements: sourced.get(&s.id).copied().unwrap_or(0),
                sign_off: super::signoff::stakeholder_sign_off(data, s.id),
            })
            .collect();
        let departments = coverage
            .departments
            .iter()
            .map(|d| DepartmentView {
                department: d.department.clone(),
                stakeholders: d.stakeholders,
                interviewed: d.interviewed,
                requirements: d.requirements,
                expected: d.expected,
            })
            .collect();

        let activity = analysis::hours_by_activity(&data.time_entries, data.now);
        let max_h = activity.iter().map(|(_, h)| *h).fold(0.0, f64::max).max(f64::EPSILON);
        let total_h = totals.total_hours.max(f64::EPSILON);
        let by_activity = activity
            .iter()
            .map(|(a, h)| Bar {
                label: a.to_string(),
                count: 0,
                value: format!("{} h ({})", hours(*h), percent(h / total_h)),
                len: round1(h / max_h * 100.0),
            })
            .collect();
        let weeks = analysis::weekly_shares(&data.time_entries, data.now)
            .iter()
            .map(|w| WeekView {
                week: w.week_start.to_string(),
                requirements_hours: hours(w.totals.requirements_hours),
                total_hours: hours(w.totals.total_hours),
                share: w.share().map(percent).unwrap_or_else(|| "-".into()),
                height: round1(w.share().unwrap_or(0.0).clamp(0.0, 1.0) * 100.0),
                verdict_class: w
                    .share()
                    .map(|s| verdict_class(analysis::verdict(s, p.target_min, p.target_max)))
                    .unwrap_or("")
                    .to_owned(),
            })
            .collect();

        ReportView {
            title: format!("{}: requirements report", p.name),
            project_key: p.key.to_string(),
            project_name: p.name.clone(),
            description: p.description.clone(),
            generated: format!("{} {}", format_human(data.now), zone_label()),
            author: data.author.clone(),
            filter_note: data.filter_note.clone(),
            counts: Counts {
                requirements: reqs.len(),
                stages: data.stages.len(),
                outcomes: data.outcomes.len(),
                stakeholders: data.stakeholders.len(),
                interviews: data.interviews.len(),
                must: count_by(&|r: &Requirement| r.priority == Priority::Must),
                pain_points: count_by(&|r: &Requirement| r.pain_point),
                moments_of_truth: count_by(&|r: &Requirement| r.moment_of_truth),
                hours: hours(totals.total_hours),
                confirmed: data
                    .requirements
                    .iter()
                    .filter(|d| data.sign_offs.get(&d.requirement.id).is_some_and(SignOff::is_confirmed))
                    .count(),
            },
            by_status,
            by_priority,
            share,
            top_gaps,
            journey,
            unstaged: unstaged_count,
            outcomes,
            outcomes_without_requirements: coverage.outcomes_without_requirements.len(),
            stakeholders,
            departments,
            departments_not_interviewed: coverage.departments_not_interviewed.clone(),
            interviews: super::signoff::interviews(data),
            time: TimeView {
                entries: data.time_entries.len(),
                by_activity,
                weeks,
                band_min: round1(p.target_min * 100.0),
                band_max: round1(p.target_max * 100.0),
            },
            has_quality: !data.requirements.is_empty(),
            quality,
            cards,
        }
    }
}

/// The requirements grouped by stage in journey order, then those without a stage; borrowed, so a report
/// of 100,000 requirements is laid out one requirement at a time instead of copied whole.
pub fn groups(data: &ReportData) -> Vec<(String, Vec<&RequirementDetails>)> {
    let mut by_stage: HashMap<Option<StageId>, Vec<&RequirementDetails>> = HashMap::new();
    for d in &data.requirements {
        by_stage.entry(d.requirement.stage).or_default().push(d);
    }
    let mut out: Vec<(String, Vec<&RequirementDetails>)> =
        data.stages.iter().filter_map(|s| by_stage.remove(&Some(s.id)).map(|r| (s.name.clone(), r))).collect();
    if let Some(r) = by_stage.remove(&None) {
        out.push(("Not placed on the journey".into(), r));
    }
    out
}

/// One requirement with every field as display text, what the lint found in it, and its sign-off.
pub fn requirement_view<'a>(
    d: &'a RequirementDetails,
    quality: Option<&'a CardQuality>,
    sign_off: Option<&SignOff>,
) -> RequirementView<'a> {
    let r = &d.requirement;
    RequirementView {
        confirmation: sign_off.map_or_else(|| SignOffState::Unconfirmed.to_string(), SignOff::label),
        confirmed: sign_off.is_some_and(SignOff::is_confirmed),
        score: quality.map(|q| q.score),
        findings: quality.map_or(&[][..], |q| q.findings.as_slice()),
        accepted: quality.map_or(&[][..], |q| q.accepted.as_slice()),
        id: &d.human_id,
        title: &r.title,
        statement: &r.statement,
        kind: r.kind.as_str(),
        priority: r.priority.as_str(),
        status: r.status.as_str(),
        stage: d.stage_name.as_deref().unwrap_or_default(),
        outcomes: &d.outcome_statements,
        sources: &d.source_names,
        interview: d.interview_title.as_deref().unwrap_or_default(),
        channel: r.channel.map_or("", |c| c.as_str()),
        marks: match (r.pain_point, r.moment_of_truth) {
            (true, true) => "pain point, moment of truth",
            (true, false) => "pain point",
            (false, true) => "moment of truth",
            (false, false) => "",
        },
        pain_point: r.pain_point,
        moment_of_truth: r.moment_of_truth,
        tags: r.tags.join(", "),
        acceptance: &r.acceptance,
        rationale: &r.rationale,
        quote: &r.quote,
        external_ref: &r.external_ref,
        version: r.version,
        created: format_human(r.created_at),
        updated: format_human(r.updated_at),
    }
}
