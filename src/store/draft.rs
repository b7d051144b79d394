//! Drafts: unsaved form text, autosaved so a crash loses nothing. Not logged: autosave is not a user action.

use rusqlite::{OptionalExtension, params};

use super::sql::Ts;
use super::{Result, Store};
use crate::domain::*;

impl Store {
    /// Saves (or replaces) the draft of `form` in `project`.
    pub fn save_draft(&mut self, project: ProjectId, form: &str, payload: &serde_json::Value) -> Result<()> {
        let now = Ts(self.now());
        self.conn.execute(
            "INSERT INTO draft (id, project_id, form, payload, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (project_id, form) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at",
            params![DraftId::new(), project, form, payload.to_string(), now],
        )?;
        Ok(())
    }

    /// The saved draft of `form`, if any.
    pub fn draft(&self, project: ProjectId, form: &str) -> Result<Option<Draft>> {
        let row: Option<(String, Ts)> = self
            .conn
            .query_row(
                "SELECT payload, updated_at FROM draft WHERE project_id = ?1 AND form = ?2",
                params![project, form],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.map(|(payload, at)| Draft {
            project_id: project,
            form: form.to_owned(),
            payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
            updated_at: at.0,
        }))
    }

    /// Forgets the draft of `form` (after it was saved or discarded).
    pub fn discard_draft(&mut self, project: ProjectId, form: &str) -> Result<()> {
        self.conn.execute("DELETE FROM draft WHERE project_id = ?1 AND form = ?2", params![project, form])?;
        Ok(())
    }
}
