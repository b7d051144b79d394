//! Time entries: logged project time and the one running timer per project.

use rusqlite::{OptionalExtension, Row, params};

use super::sql::{Ts, opt_ts};
use super::{Entity, Result, Store, StoreError, Tx, text};
use crate::domain::*;

/// What a new time entry holds. `ended_at: None` starts a running timer.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTimeEntry {
    pub activity: Activity,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub interview: Option<InterviewId>,
    pub note: String,
}

const COLUMNS: &str = "id, project_id, activity, started_at, ended_at, interview_id, note";

fn from_row(r: &Row<'_>) -> rusqlite::Result<TimeEntry> {
    Ok(TimeEntry {
        id: r.get(0)?,
        project_id: r.get(1)?,
        activity: r.get(2)?,
        started_at: r.get::<_, Ts>(3)?.0,
        ended_at: opt_ts(r.get(4)?),
        interview: r.get(5)?,
        note: r.get(6)?,
    })
}

impl Tx<'_> {
    /// Inserts a time entry; a running one is refused while another timer runs.
    pub(crate) fn insert_time_entry(&self, project: ProjectId, new: &NewTimeEntry) -> Result<TimeEntryId> {
        let note = long_text("note", &new.note)?;
        if new.ended_at.is_some_and(|e| e < new.started_at) {
            return Err(ValidationError::new("a time entry cannot end before it starts").into());
        }
        if new.ended_at.is_none() {
            let running: bool = self.conn().query_row(
                "SELECT count(*) > 0 FROM time_entry WHERE project_id = ?1 AND ended_at IS NULL AND deleted_at IS NULL",
                [project],
                |r| r.get(0),
            )?;
            if running {
                return Err(StoreError::Conflict("a timer is already running in this project; stop it first".into()));
            }
        }
        let id = TimeEntryId::new();
        self.conn().execute(
            "INSERT INTO time_entry (id, project_id, activity, started_at, ended_at, interview_id, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![id, project, new.activity, Ts(new.started_at), new.ended_at.map(Ts), new.interview, note, self.now_text()],
        )?;
        self.log_created(Entity::TimeEntry, &id.to_string())?;
        Ok(id)
    }

    /// Stops the project's running timer at the transaction's time, if one runs; returns the stopped entry.
    pub(crate) fn stop_timer(&self, project: ProjectId) -> Result<Option<TimeEntryId>> {
        let running: Option<(TimeEntryId, Ts)> = self
            .conn()
            .query_row(
                "SELECT id, started_at FROM time_entry WHERE project_id = ?1 AND ended_at IS NULL AND deleted_at IS NULL",
                [project],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, started)) = running else { return Ok(None) };
        // A clock that went backwards must not produce an entry that ends before it starts.
        let end = self.now().max(started.0);
        self.set(Entity::TimeEntry, &id.to_string(), "ended_at", text(format_timestamp(end)))?;
        Ok(Some(id))
    }

    /// Starts a timer now, first stopping any timer already running in the project (at most one runs).
    /// Returns the new entry and the one it stopped.
    pub(crate) fn start_timer(
        &self,
        project: ProjectId,
        activity: Activity,
        interview: Option<InterviewId>,
        note: &str,
    ) -> Result<(TimeEntryId, Option<TimeEntryId>)> {
        let stopped = self.stop_timer(project)?;
        let new = NewTimeEntry { activity, started_at: self.now(), ended_at: None, interview, note: note.to_owned() };
        Ok((self.insert_time_entry(project, &new)?, stopped))
    }
}

impl Store {
    /// Logs a time entry (finished, or a running timer when `ended_at` is `None`).
    pub fn add_time_entry(&mut self, project: ProjectId, new: NewTimeEntry) -> Result<TimeEntry> {
        let id = self.write(Some(project), |tx| tx.insert_time_entry(project, &new))?;
        self.time_entry(id)
    }

    /// Starts a timer for `activity` now, stopping the project's running timer first (at most one runs).
    pub fn start_timer(&mut self, project: ProjectId, activity: Activity, note: &str) -> Result<TimeEntry> {
        let (id, _) = self.write(Some(project), |tx| tx.start_timer(project, activity, None, note))?;
        self.time_entry(id)
    }

    /// Stops the project's running timer now; `None` when nothing was running (and nothing is written).
    pub fn stop_timer(&mut self, project: ProjectId) -> Result<Option<TimeEntry>> {
        let stopped = self.write(Some(project), |tx| tx.stop_timer(project))?;
        stopped.map(|id| self.time_entry(id)).transpose()
    }

    /// Where `length` of time logged "just now" should end so it does not lie over time already logged:
    /// `before` if nothing logged (a running timer included) falls within `length` of it, else the latest
    /// moment before that leaves `length` free. Two durations logged one after the other then sit side by
    /// side instead of on top of each other, which would count their minutes once
    /// (see [`crate::domain::shared_hours`]).
    pub fn free_end(&self, project: ProjectId, before: Timestamp, length: jiff::SignedDuration) -> Result<Timestamp> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT max(started_at) FROM time_entry WHERE project_id = ?1 AND deleted_at IS NULL
             AND started_at < ?2 AND coalesce(ended_at, ?4) > ?3",
        )?;
        let mut end = before;
        loop {
            let Ok(start) = end.checked_sub(length) else { return Ok(end) };
            let later: Option<Ts> =
                stmt.query_row(params![project, Ts(end), Ts(start), Ts(self.now())], |r| r.get(0))?;
            match later {
                Some(Ts(taken)) if taken < end => end = taken,
                _ => return Ok(end),
            }
        }
    }

    /// The time entry with this id.
    pub fn time_entry(&self, id: TimeEntryId) -> Result<TimeEntry> {
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM time_entry WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no time entry with id {id}")))
    }

    /// The project's live time entries, oldest first.
    pub fn time_entries(&self, project: ProjectId) -> Result<Vec<TimeEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM time_entry WHERE project_id = ?1 AND deleted_at IS NULL ORDER BY started_at, id"
        ))?;
        let rows = stmt.query_map([project], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The running timer of a project, if any.
    pub fn running_timer(&self, project: ProjectId) -> Result<Option<TimeEntry>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM time_entry WHERE project_id = ?1 AND ended_at IS NULL AND deleted_at IS NULL"
                ),
                [project],
                from_row,
            )
            .optional()?)
    }
}
