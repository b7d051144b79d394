//! Everything an export needs about one project, loaded once.

use std::collections::HashMap;

use super::{ExportOptions, ReportError};
use crate::domain::*;
use crate::store::{RequirementFilter, Store};

/// One project's rows for an export: the requirements selected by the filters, and every stage, outcome,
/// stakeholder, interview and time entry (live ones) for context.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub project: Project,
    pub stages: Vec<JourneyStage>,
    pub outcomes: Vec<Outcome>,
    pub stakeholders: Vec<Stakeholder>,
    pub interviews: Vec<Interview>,
    /// Live requirements matching the filters, in id order.
    pub requirements: Vec<RequirementDetails>,
    pub time_entries: Vec<TimeEntry>,
    /// The moment the export describes (cover date; running timers count up to it).
    pub now: Timestamp,
    pub author: String,
    /// A phrase naming the filters ("status approved; stage Buy"), empty when the export is whole.
    pub filter_note: String,
    /// The project's own lint words and switched-off rules, for the quality section.
    pub lint_settings: LintSettings,
    /// The stakeholders' answers about every live requirement of the project.
    pub sign_offs: HashMap<RequirementId, SignOff>,
    /// The departments the project expects to hear from.
    pub expected_departments: Vec<String>,
    /// The findings analysts accepted, per requirement.
    pub accepted: HashMap<RequirementId, Vec<AcceptedFinding>>,
}

impl ReportData {
    /// Loads a project for export, applying the status and stage filters of `options`.
    pub fn load(store: &Store, project: &Project, options: &ExportOptions<'_>) -> Result<ReportData, ReportError> {
        let stages = store.stages(project.id)?;
        let mut requirements = store.requirements(project, &RequirementFilter::default())?;
        if !options.statuses.is_empty() {
            requirements.retain(|d| options.statuses.contains(&d.requirement.status));
        }
        if !options.stages.is_empty() {
            requirements.retain(|d| d.requirement.stage.is_some_and(|s| options.stages.contains(&s)));
        }
        let mut notes = Vec::new();
        if !options.statuses.is_empty() {
            let s: Vec<&str> = options.statuses.iter().map(|s| s.as_str()).collect();
            notes.push(format!("status {}", s.join(" or ")));
        }
        if !options.stages.is_empty() {
            let names: HashMap<StageId, &str> = stages.iter().map(|s| (s.id, s.name.as_str())).collect();
            let s: Vec<&str> = options.stages.iter().filter_map(|id| names.get(id).copied()).collect();
            notes.push(format!("stage {}", s.join(" or ")));
        }
        Ok(ReportData {
            project: project.clone(),
            outcomes: store.outcomes(project.id)?,
            stakeholders: store.stakeholders(project.id)?,
            interviews: store.interviews(project.id)?,
            time_entries: store.time_entries(project.id)?,
            requirements,
            stages,
            now: options.now.unwrap_or_else(|| store.now()),
            author: options.author.clone(),
            filter_note: notes.join("; "),
            lint_settings: store.lint_settings(project.id)?,
            sign_offs: store.sign_offs(project.id)?,
            expected_departments: store.departments(project.id)?,
            accepted: store.project_accepted_findings(project.id)?,
        })
    }

    /// Stage names by id.
    pub fn stage_names(&self) -> HashMap<StageId, &str> {
        self.stages.iter().map(|s| (s.id, s.name.as_str())).collect()
    }
}
