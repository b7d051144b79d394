//! Sign-off: stakeholders' answers about requirements (confirmed, changed, rejected), kept as a history, and
//! the departments a project expects to hear from.
//!
//! An answer is a row of its own, never an edit of the requirement: confirming does not raise the
//! requirement's version, so "changed since confirmation" means the requirement itself changed. Recording
//! answers is one action, so one undo takes back a whole read-back's confirmations.

use std::collections::HashMap;

use rusqlite::{Row, params};

use super::history::Link;
use super::sql::Ts;
use super::{Entity, Result, Store, StoreError, Tx};
use crate::domain::*;

/// One stakeholder's answer, to be recorded for one or more requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConfirmation {
    /// Who answered.
    pub stakeholder: StakeholderId,
    pub verdict: Verdict,
    /// What they said, if anything (one or more lines).
    pub note: String,
}

const SELECT: &str = "SELECT c.id, c.requirement_id, c.stakeholder_id, s.name, c.verdict, c.note,
                             c.requirement_version, c.created_at
                      FROM confirmation c JOIN stakeholder s ON s.id = c.stakeholder_id
                      WHERE c.deleted_at IS NULL AND s.deleted_at IS NULL";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Confirmation> {
    Ok(Confirmation {
        id: r.get(0)?,
        requirement: r.get(1)?,
        stakeholder: r.get(2)?,
        stakeholder_name: r.get(3)?,
        verdict: r.get(4)?,
        note: r.get(5)?,
        version: r.get(6)?,
        at: r.get::<_, Ts>(7)?.0,
    })
}

impl Tx<'_> {
    /// Records `answer` about requirement `id` of `project` at its current version.
    fn insert_confirmation(
        &self,
        project: ProjectId,
        id: RequirementId,
        answer: &NewConfirmation,
    ) -> Result<ConfirmationId> {
        let row: Option<(i64, Option<String>, i64, ProjectKey)> =
            rusqlite::OptionalExtension::optional(self.conn().query_row(
                "SELECT r.version, r.deleted_at, r.seq, p.key FROM requirement r JOIN project p ON p.id = r.project_id
                 WHERE r.id = ?1 AND r.project_id = ?2",
                params![id, project],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            ))?;
        let Some((version, deleted, seq, key)) = row else {
            return Err(StoreError::NotFound(format!("no requirement {id} in this project")));
        };
        if deleted.is_some() {
            return Err(StoreError::Conflict(format!(
                "{} is deleted; `elicit undo` can restore it before it is confirmed",
                human_id(&key, seq)
            )));
        }
        let cid = ConfirmationId::new();
        self.conn().execute(
            "INSERT INTO confirmation (id, project_id, requirement_id, stakeholder_id, verdict, note,
                                       requirement_version, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![cid, project, id, answer.stakeholder, answer.verdict, answer.note, version, self.now_text()],
        )?;
        self.log_created(Entity::Confirmation, &cid.to_string())?;
        Ok(cid)
    }
}

impl Store {
    /// Records one stakeholder's answer about each of `requirements` (in that order), as one action: all or
    /// nothing, and one undo takes them all back. A requirement named twice is answered once. Refuses a
    /// deleted requirement, one of another project, and a stakeholder who is deleted or of another project.
    pub fn confirm(
        &mut self,
        project: ProjectId,
        requirements: &[RequirementId],
        answer: NewConfirmation,
    ) -> Result<Vec<Confirmation>> {
        let answer = NewConfirmation { note: long_text("note", &answer.note)?, ..answer };
        if requirements.is_empty() {
            return Err(ValidationError::new("name at least one requirement to confirm").into());
        }
        let mut ids = requirements.to_vec();
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(*id));
        let added: Vec<ConfirmationId> = self.write(Some(project), |tx| {
            let live: bool = tx.conn().query_row(
                "SELECT count(*) > 0 FROM stakeholder WHERE id = ?1 AND project_id = ?2 AND deleted_at IS NULL",
                params![answer.stakeholder, project],
                |r| r.get(0),
            )?;
            if !live {
                return Err(StoreError::NotFound(format!("no stakeholder {} in this project", answer.stakeholder)));
            }
            ids.iter().map(|id| tx.insert_confirmation(project, *id, &answer)).collect()
        })?;
        let mut by_id: HashMap<ConfirmationId, Confirmation> =
            self.confirmations(project)?.into_iter().map(|c| (c.id, c)).collect();
        Ok(added.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// Every answer recorded in `project` (not undone, by stakeholders not deleted), oldest first: the whole
    /// history, not only the answers that count.
    pub fn confirmations(&self, project: ProjectId) -> Result<Vec<Confirmation>> {
        let mut stmt =
            self.conn.prepare_cached(&format!("{SELECT} AND c.project_id = ?1 ORDER BY c.created_at, c.id"))?;
        let rows = stmt.query_map([project], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every answer about one requirement, oldest first.
    pub fn requirement_confirmations(&self, id: RequirementId) -> Result<Vec<Confirmation>> {
        let mut stmt =
            self.conn.prepare_cached(&format!("{SELECT} AND c.requirement_id = ?1 ORDER BY c.created_at, c.id"))?;
        let rows = stmt.query_map([id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The sign-off of one requirement: the newest answer of each stakeholder, against its version now.
    pub fn sign_off(&self, id: RequirementId) -> Result<SignOff> {
        let version = self.requirement(id)?.version;
        Ok(SignOff::from_answers(version, self.requirement_confirmations(id)?))
    }

    /// The sign-off of every live requirement of `project` (one with no answers has an empty one), in two
    /// queries whatever the size.
    pub fn sign_offs(&self, project: ProjectId) -> Result<HashMap<RequirementId, SignOff>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, version FROM requirement WHERE project_id = ?1 AND deleted_at IS NULL")?;
        let versions: Vec<(RequirementId, i64)> =
            stmt.query_map([project], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut answers: HashMap<RequirementId, Vec<Confirmation>> = HashMap::new();
        for c in self.confirmations(project)? {
            answers.entry(c.requirement).or_default().push(c);
        }
        Ok(versions
            .into_iter()
            .map(|(id, version)| (id, SignOff::from_answers(version, answers.remove(&id).unwrap_or_default())))
            .collect())
    }

    /// The departments `project` expects to hear from, in the order they were listed.
    pub fn departments(&self, project: ProjectId) -> Result<Vec<String>> {
        self.links(Link::Departments, &project.to_string())
    }

    /// Replaces the departments `project` expects to hear from (cleaned, blanks dropped, each once ignoring
    /// case, in the order given), as one undoable action. Returns whether the list changed.
    pub fn set_departments(&mut self, project: ProjectId, departments: &[String]) -> Result<bool> {
        let mut list: Vec<String> = Vec::with_capacity(departments.len());
        for d in departments {
            let d = optional_line("department", d, MAX_NAME_CHARS)?;
            if !d.is_empty() && !list.iter().any(|x| x.to_lowercase() == d.to_lowercase()) {
                list.push(d);
            }
        }
        self.write(Some(project), |tx| {
            let live: bool = tx.conn().query_row(
                "SELECT count(*) > 0 FROM project WHERE id = ?1 AND deleted_at IS NULL",
                [project],
                |r| r.get(0),
            )?;
            if !live {
                return Err(StoreError::NotFound("that project no longer exists".into()));
            }
            tx.write_links(Link::Departments, &project.to_string(), &list)
        })
    }
}
