//! Changing logged time: edit and delete time entries (logged, undoable), find one by a short id, and the
//! per-activity sums the time report is built from, summed in SQL so 50,000 entries stay fast.

use rusqlite::{OptionalExtension, params};

use super::sql::{Ts, opt_ts};
use super::{Entity, NewTimeEntry, Result, Store, StoreError, Tx, opt_text, text};
use crate::domain::*;

/// A change to a time entry: `None` leaves a field as it is; `ended_at: Some(None)` makes it a running timer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimeEntryPatch {
    pub activity: Option<Activity>,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Option<Timestamp>>,
    pub note: Option<String>,
}

impl TimeEntryPatch {
    /// True when the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == TimeEntryPatch::default()
    }
}

impl Tx<'_> {
    fn live_time_entry(&self, id: TimeEntryId) -> Result<(ProjectId, Timestamp, Option<Timestamp>)> {
        self.conn()
            .query_row(
                "SELECT project_id, started_at, ended_at FROM time_entry WHERE id = ?1 AND deleted_at IS NULL",
                [id],
                |r| Ok((r.get(0)?, r.get::<_, Ts>(1)?.0, opt_ts(r.get(2)?))),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no time entry with id {id}")))
    }

    /// Applies a patch, field by field, each change logged. Keeps "at most one running timer": an entry
    /// can only become (or stay) open while no other timer of its project runs.
    pub(crate) fn update_time_entry(&self, id: TimeEntryId, patch: &TimeEntryPatch) -> Result<bool> {
        let (project, old_start, old_end) = self.live_time_entry(id)?;
        let start = patch.started_at.unwrap_or(old_start);
        let end = patch.ended_at.unwrap_or(old_end);
        check_entry_times(start, end, self.now())?;
        if end.is_none() {
            let other: bool = self.conn().query_row(
                "SELECT count(*) > 0 FROM time_entry
                 WHERE project_id = ?1 AND id <> ?2 AND ended_at IS NULL AND deleted_at IS NULL",
                params![project, id],
                |r| r.get(0),
            )?;
            if other {
                return Err(StoreError::Conflict(
                    "another timer is running in this project; stop it before leaving this entry open".into(),
                ));
            }
        }
        let key = id.to_string();
        let mut changed = false;
        if let Some(a) = patch.activity {
            changed |= self.set(Entity::TimeEntry, &key, "activity", text(a))?;
        }
        // Write the end before the start when the entry moves later, so no intermediate state breaks the
        // table's "ends no earlier than it starts" check.
        let set_start = |changed: &mut bool| -> Result<()> {
            if patch.started_at.is_some() {
                *changed |= self.set(Entity::TimeEntry, &key, "started_at", text(format_timestamp(start)))?;
            }
            Ok(())
        };
        let set_end = |changed: &mut bool| -> Result<()> {
            if patch.ended_at.is_some() {
                *changed |= self.set(Entity::TimeEntry, &key, "ended_at", opt_text(end.map(format_timestamp)))?;
            }
            Ok(())
        };
        if old_end.is_some_and(|e| start > e) {
            set_end(&mut changed)?;
            set_start(&mut changed)?;
        } else {
            set_start(&mut changed)?;
            set_end(&mut changed)?;
        }
        if let Some(note) = &patch.note {
            changed |= self.set(Entity::TimeEntry, &key, "note", text(long_text("note", note)?))?;
        }
        Ok(changed)
    }
}

impl Store {
    /// Edits a time entry as one logged, undoable action; returns it as saved.
    pub fn update_time_entry(&mut self, id: TimeEntryId, patch: TimeEntryPatch) -> Result<TimeEntry> {
        let project = self.time_entry(id)?.project_id;
        self.write(Some(project), |tx| tx.update_time_entry(id, &patch))?;
        self.time_entry(id)
    }

    /// Soft-deletes a time entry (undo restores it); returns the entry as it was.
    pub fn delete_time_entry(&mut self, id: TimeEntryId) -> Result<TimeEntry> {
        let entry = self.time_entry(id)?;
        self.write(Some(entry.project_id), |tx| {
            tx.live_time_entry(id)?;
            tx.soft_delete(Entity::TimeEntry, &id.to_string())
        })?;
        Ok(entry)
    }

    /// The live entry of `project` whose id ends with `prefix` (the short id `time list` and `time log`
    /// print) or starts with it (hex digits, dashes ignored, like a short git hash); an error when none or
    /// several match.
    pub fn find_time_entry(&self, project: ProjectId, prefix: &str) -> Result<TimeEntry> {
        let wanted: String = prefix.trim().chars().filter(|c| *c != '-').collect::<String>().to_ascii_lowercase();
        if wanted.len() < 4 || !wanted.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ValidationError::new(format!(
                "invalid time entry id {prefix:?}: give at least 4 characters of the id shown by `elicit time list`"
            ))
            .into());
        }
        let mut stmt = self.conn.prepare(
            "SELECT id FROM time_entry WHERE project_id = ?1 AND deleted_at IS NULL
             AND (substr(replace(id, '-', ''), 1, length(?2)) = ?2 OR substr(replace(id, '-', ''), -length(?2)) = ?2)
             LIMIT 2",
        )?;
        let ids: Vec<TimeEntryId> =
            stmt.query_map(params![project, wanted], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [id] => self.time_entry(*id),
            [] => Err(StoreError::NotFound(format!(
                "no time entry {prefix:?} in this project; `elicit time list` shows the ids"
            ))),
            _ => Err(StoreError::Conflict(format!("several time entries match {prefix:?}; give more of the id"))),
        }
    }

    /// Hours per activity over the project's live entries, a running timer counted up to `now`, each moment
    /// counted once where entries overlap ([`shared_hours`]); activities without time are left out.
    pub fn activity_hours(&self, project: ProjectId, now: Timestamp) -> Result<Vec<(Activity, f64)>> {
        Ok(shared_hours(&self.time_spans(project, now)?))
    }

    /// The stretch of time of each live entry of the project (a running timer up to `now`), for sums and
    /// overlap checks over many entries. Reads only the covering index `time_entry_report`, parsing the
    /// store's own timestamp format directly (SQLite's date functions cost more than the rest).
    pub fn time_spans(&self, project: ProjectId, now: Timestamp) -> Result<Vec<Span>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT activity, started_at, ended_at FROM time_entry WHERE project_id = ?1 AND deleted_at IS NULL",
        )?;
        let now_us = now.as_microsecond();
        let mut spans = Vec::new();
        let mut rows = stmt.query([project])?;
        while let Some(r) = rows.next()? {
            let activity = as_text(r, 0)?.unwrap_or_default();
            let Some(&activity) = Activity::ALL.iter().find(|a| a.as_str() == activity) else { continue };
            let start = stored_micros(as_text(r, 1)?.unwrap_or_default())?;
            let end = match as_text(r, 2)? {
                Some(text) => stored_micros(text)?,
                None => now_us,
            };
            spans.push(Span { activity, start, end: end.max(start) });
        }
        Ok(spans)
    }
}

/// A text column without copying it; NULL is `None`.
fn as_text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// Microseconds since 1970 of a stored timestamp.
fn stored_micros(text: &str) -> Result<i64> {
    Ok(parse_timestamp(text)?.as_microsecond())
}

impl Store {
    /// Starts a timer for `activity` now, stopping the project's running timer at the same instant; returns
    /// the new entry and the stopped one (as saved), so front ends can say what happened.
    pub fn switch_timer(
        &mut self,
        project: ProjectId,
        activity: Activity,
        note: &str,
    ) -> Result<(TimeEntry, Option<TimeEntry>)> {
        let (id, stopped) = self.write(Some(project), |tx| tx.start_timer(project, activity, None, note))?;
        Ok((self.time_entry(id)?, stopped.map(|s| self.time_entry(s)).transpose()?))
    }
}

impl Store {
    /// Logs many entries as one action, one transaction (imports, generated data); undo removes them all.
    pub fn add_time_entries(&mut self, project: ProjectId, entries: &[NewTimeEntry]) -> Result<usize> {
        self.write(Some(project), |tx| {
            for e in entries {
                tx.insert_time_entry(project, e)?;
            }
            Ok(entries.len())
        })
    }
}
