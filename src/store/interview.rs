//! Interviews and the stakeholders who took part.

use rusqlite::{OptionalExtension, Row, params};

use super::history::Link;
use super::sql::{Ts, opt_ts};
use super::{Entity, Result, Store, StoreError, Tx, text};
use crate::domain::*;

/// What a new interview holds. `ended_at: None` means it is still running.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInterview {
    pub title: String,
    pub mode: InterviewMode,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub notes: String,
    pub stakeholders: Vec<StakeholderId>,
}

const COLUMNS: &str = "id, project_id, title, mode, started_at, ended_at, notes";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Interview> {
    Ok(Interview {
        id: r.get(0)?,
        project_id: r.get(1)?,
        title: r.get(2)?,
        mode: r.get(3)?,
        started_at: r.get::<_, Ts>(4)?.0,
        ended_at: opt_ts(r.get(5)?),
        notes: r.get(6)?,
        stakeholders: Vec::new(),
    })
}

impl Tx<'_> {
    /// Inserts an interview with its stakeholders.
    pub(crate) fn insert_interview(&self, project: ProjectId, new: &NewInterview) -> Result<InterviewId> {
        let title = required_line("interview title", &new.title, MAX_TITLE_CHARS)?;
        let notes = long_text("interview notes", &new.notes)?;
        if new.ended_at.is_some_and(|e| e < new.started_at) {
            return Err(ValidationError::new("an interview cannot end before it starts").into());
        }
        for s in &new.stakeholders {
            let ok: bool = self.conn().query_row(
                "SELECT count(*) > 0 FROM stakeholder WHERE id = ?1 AND project_id = ?2 AND deleted_at IS NULL",
                params![s, project],
                |r| r.get(0),
            )?;
            if !ok {
                return Err(StoreError::NotFound(format!("no stakeholder {s} in this project")));
            }
        }
        let id = InterviewId::new();
        self.conn().execute(
            "INSERT INTO interview (id, project_id, title, mode, started_at, ended_at, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![id, project, title, new.mode, Ts(new.started_at), new.ended_at.map(Ts), notes, self.now_text()],
        )?;
        let key = id.to_string();
        self.log_created(Entity::Interview, &key)?;
        let people: Vec<String> = new.stakeholders.iter().map(ToString::to_string).collect();
        self.write_links(Link::InterviewStakeholders, &key, &people)?;
        Ok(id)
    }
}

impl Store {
    /// Records an interview (past or running).
    pub fn add_interview(&mut self, project: ProjectId, new: NewInterview) -> Result<Interview> {
        let id = self.write(Some(project), |tx| tx.insert_interview(project, &new))?;
        self.interview(id)
    }

    /// The interview with this id, with its stakeholders.
    pub fn interview(&self, id: InterviewId) -> Result<Interview> {
        let mut interview = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM interview WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no interview with id {id}")))?;
        interview.stakeholders =
            self.links(Link::InterviewStakeholders, &id.to_string())?.iter().filter_map(|s| s.parse().ok()).collect();
        Ok(interview)
    }

    /// The project's live interviews, oldest first, with their stakeholders.
    pub fn interviews(&self, project: ProjectId) -> Result<Vec<Interview>> {
        let ids: Vec<InterviewId> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id FROM interview WHERE project_id = ?1 AND deleted_at IS NULL ORDER BY started_at, id",
            )?;
            stmt.query_map([project], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        ids.into_iter().map(|id| self.interview(id)).collect()
    }

    /// The running interview of a project, if any.
    pub fn open_interview(&self, project: ProjectId) -> Result<Option<Interview>> {
        let id: Option<InterviewId> = self
            .conn
            .query_row(
                "SELECT id FROM interview WHERE project_id = ?1 AND ended_at IS NULL AND deleted_at IS NULL
                 ORDER BY started_at DESC LIMIT 1",
                [project],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.interview(id)).transpose()
    }

    /// Sets the notes of an interview.
    pub fn set_interview_notes(&mut self, id: InterviewId, notes: &str) -> Result<()> {
        let interview = self.interview(id)?;
        let notes = long_text("interview notes", notes)?;
        self.write(Some(interview.project_id), |tx| {
            tx.set(Entity::Interview, &id.to_string(), "notes", text(notes)).map(drop)
        })
    }
}
