//! Finding what a user names: a project by key, a stage, outcome, stakeholder or interview by its name
//! (whole, case-insensitive, or a unique prefix), its list number or its id, and a requirement by its human
//! id. The rules and the messages that list what exists are the same for every kind of row, so they live
//! together, apart from the queries of each concept.

use rusqlite::{OptionalExtension, params};

use super::sql::Ts;
use super::{Result, Store, StoreError};
use crate::domain::*;

impl Store {
    /// The project a command works on: the one named by `key`, else the only one, else the most recently
    /// used. Naming a project marks it as most recently used, except in a store opened to read.
    pub fn resolve_project(&mut self, key: Option<&str>) -> Result<Project> {
        if let Some(key) = key {
            let key: ProjectKey = key.trim().to_ascii_uppercase().parse()?;
            let Some(project) = self.project_by_key(&key)? else {
                let known = self.projects()?.iter().map(|p| p.key.to_string()).collect::<Vec<_>>().join(", ");
                return Err(StoreError::NotFound(format!("no project with key {key}; projects: {known}")));
            };
            // Remembering the choice is a convenience; a command that only reads leaves the file as it is.
            if !self.read_only {
                self.conn.execute(
                    "UPDATE project SET last_used_at = ?1 WHERE id = ?2",
                    params![Ts(self.now()), project.id],
                )?;
            }
            return Ok(project);
        }
        self.projects()?.into_iter().next().ok_or_else(|| {
            StoreError::NotFound(
                "no project yet; create one with `elicit init --key KEY --name NAME` or try `elicit demo`".into(),
            )
        })
    }

    /// Finds a stage by name (case-insensitive), by position number, or by id; the error lists the stages.
    pub fn find_stage(&self, project: ProjectId, name_or_id: &str) -> Result<JourneyStage> {
        let stages = self.stages(project)?;
        let names: Vec<String> = stages.iter().map(|s| s.name.clone()).collect();
        let index = find_by_name(&names, name_or_id, |i| stages[i].id.to_string(), "stage")?;
        Ok(stages[index].clone())
    }

    /// Finds an outcome by statement (case-insensitive, whole or unique prefix), by list number, or by id.
    pub fn find_outcome(&self, project: ProjectId, text_or_id: &str) -> Result<Outcome> {
        let outcomes = self.outcomes(project)?;
        let names: Vec<String> = outcomes.iter().map(|o| o.statement.clone()).collect();
        let index = find_by_name(&names, text_or_id, |i| outcomes[i].id.to_string(), "outcome")?;
        Ok(outcomes[index].clone())
    }

    /// Finds a stakeholder by name (case-insensitive, whole or unique prefix), list number, or id.
    pub fn find_stakeholder(&self, project: ProjectId, name_or_id: &str) -> Result<Stakeholder> {
        let all = self.stakeholders(project)?;
        let names: Vec<String> = all.iter().map(|s| s.name.clone()).collect();
        let i = find_by_name(&names, name_or_id, |i| all[i].id.to_string(), "stakeholder")?;
        Ok(all[i].clone())
    }

    /// Finds an interview by title (case-insensitive, whole or unique prefix), list number, or id.
    pub fn find_interview(&self, project: ProjectId, wanted: &str) -> Result<Interview> {
        let all = self.interviews(project)?;
        let names: Vec<String> = all.iter().map(|i| i.title.clone()).collect();
        let i = find_by_name(&names, wanted, |i| all[i].id.to_string(), "interview")?;
        Ok(all[i].clone())
    }

    /// Finds a requirement of `project` by human id (`CHK-7`, `chk-7`, `7`) or UUID, deleted ones included.
    pub fn find_requirement(&self, project: &Project, wanted: &str) -> Result<Requirement> {
        let w = wanted.trim();
        let seq = w
            .rsplit_once('-')
            .filter(|(k, _)| k.eq_ignore_ascii_case(project.key.as_str()))
            .map_or(w, |(_, n)| n)
            .parse::<i64>()
            .ok();
        let id: Option<RequirementId> = match seq {
            Some(seq) => self
                .conn
                .query_row(
                    "SELECT id FROM requirement WHERE project_id = ?1 AND seq = ?2",
                    params![project.id, seq],
                    |r| r.get(0),
                )
                .optional()?,
            None => w
                .parse::<RequirementId>()
                .ok()
                .map(|id| {
                    self.conn
                        .query_row(
                            "SELECT id FROM requirement WHERE project_id = ?1 AND id = ?2",
                            params![project.id, id],
                            |r| r.get(0),
                        )
                        .optional()
                })
                .transpose()?
                .flatten(),
        };
        match id {
            Some(id) => self.requirement(id),
            None => Err(StoreError::NotFound(format!(
                "no requirement {w:?} in project {}; ids look like {}-7 (see `elicit list`)",
                project.key, project.key
            ))),
        }
    }
}

/// Picks one of `names` by exact (case-insensitive) name, by 1-based number, by id, or by a unique prefix;
/// the error lists what exists.
fn find_by_name(names: &[String], wanted: &str, id_of: impl Fn(usize) -> String, what: &str) -> Result<usize> {
    let wanted = wanted.trim();
    let lower = wanted.to_lowercase();
    let exact: Vec<usize> = (0..names.len()).filter(|&i| names[i].to_lowercase() == lower).collect();
    if exact.len() > 1 {
        return Err(StoreError::NotFound(format!(
            "{} {what}s are called {wanted:?}; name one by its number in `elicit {what} list` or its id",
            exact.len()
        )));
    }
    if let Some(&i) = exact.first() {
        return Ok(i);
    }
    if let Some(i) = (0..names.len()).find(|&i| id_of(i) == lower) {
        return Ok(i);
    }
    if let Some(n) = wanted.parse::<usize>().ok().filter(|n| (1..=names.len()).contains(n)) {
        return Ok(n - 1);
    }
    let prefixed: Vec<usize> = (0..names.len()).filter(|&i| names[i].to_lowercase().starts_with(&lower)).collect();
    if prefixed.len() == 1 && !lower.is_empty() {
        return Ok(prefixed[0]);
    }
    let listing = if names.is_empty() {
        format!("none yet (add one with `elicit {what} add`)")
    } else {
        names.iter().enumerate().map(|(i, n)| format!("{}. {n}", i + 1)).collect::<Vec<_>>().join("; ")
    };
    let problem = if prefixed.len() > 1 { "ambiguous" } else { "unknown" };
    Err(StoreError::NotFound(format!("{problem} {what} {wanted:?}; {what}s: {listing}")))
}
