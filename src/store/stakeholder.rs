//! Stakeholders: the people whose needs are heard.

use rusqlite::{OptionalExtension, Row, params};

use super::{Entity, Result, Store, StoreError, Tx, text};
use crate::domain::*;

/// What a new or edited stakeholder holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StakeholderFields {
    pub name: String,
    pub role: String,
    pub department: String,
    pub organisation: String,
    pub contact: String,
    pub notes: String,
}

impl StakeholderFields {
    fn validated(self) -> Result<Self, ValidationError> {
        Ok(StakeholderFields {
            name: required_line("stakeholder name", &self.name, MAX_NAME_CHARS)?,
            role: optional_line("role", &self.role, MAX_NAME_CHARS)?,
            department: optional_line("department", &self.department, MAX_NAME_CHARS)?,
            organisation: optional_line("organisation", &self.organisation, MAX_NAME_CHARS)?,
            contact: optional_line("contact", &self.contact, MAX_NAME_CHARS)?,
            notes: long_text("notes", &self.notes)?,
        })
    }
}

const COLUMNS: &str = "id, project_id, name, role, department, organisation, contact, notes";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Stakeholder> {
    Ok(Stakeholder {
        id: r.get(0)?,
        project_id: r.get(1)?,
        name: r.get(2)?,
        role: r.get(3)?,
        department: r.get(4)?,
        organisation: r.get(5)?,
        contact: r.get(6)?,
        notes: r.get(7)?,
    })
}

impl Tx<'_> {
    /// Inserts a validated stakeholder.
    pub(crate) fn insert_stakeholder(&self, project: ProjectId, fields: StakeholderFields) -> Result<StakeholderId> {
        let f = fields.validated()?;
        self.refuse_duplicate("stakeholder", "name", project, &f.name, None)?;
        let id = StakeholderId::new();
        self.conn().execute(
            "INSERT INTO stakeholder (id, project_id, name, role, department, organisation, contact, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![id, project, f.name, f.role, f.department, f.organisation, f.contact, f.notes, self.now_text()],
        )?;
        self.log_created(Entity::Stakeholder, &id.to_string())?;
        Ok(id)
    }
}

impl Store {
    /// Adds a stakeholder to a project.
    pub fn add_stakeholder(&mut self, project: ProjectId, fields: StakeholderFields) -> Result<Stakeholder> {
        let id = self.write(Some(project), |tx| tx.insert_stakeholder(project, fields))?;
        self.stakeholder(id)
    }

    /// The stakeholder with this id.
    pub fn stakeholder(&self, id: StakeholderId) -> Result<Stakeholder> {
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM stakeholder WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no stakeholder with id {id}")))
    }

    /// The project's live stakeholders by name.
    pub fn stakeholders(&self, project: ProjectId) -> Result<Vec<Stakeholder>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM stakeholder WHERE project_id = ?1 AND deleted_at IS NULL ORDER BY name COLLATE NOCASE, id"
        ))?;
        let rows = stmt.query_map([project], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes a stakeholder.
    pub fn update_stakeholder(&mut self, id: StakeholderId, fields: StakeholderFields) -> Result<Stakeholder> {
        let current = self.stakeholder(id)?;
        let f = fields.validated()?;
        let key = id.to_string();
        self.write(Some(current.project_id), |tx| {
            tx.refuse_duplicate("stakeholder", "name", current.project_id, &f.name, Some(key.clone()))?;
            for (column, value) in [
                ("name", &f.name),
                ("role", &f.role),
                ("department", &f.department),
                ("organisation", &f.organisation),
                ("contact", &f.contact),
                ("notes", &f.notes),
            ] {
                tx.set(Entity::Stakeholder, &key, column, text(value))?;
            }
            Ok(())
        })?;
        self.stakeholder(id)
    }

    /// Deletes a stakeholder (soft).
    pub fn delete_stakeholder(&mut self, id: StakeholderId) -> Result<()> {
        let current = self.stakeholder(id)?;
        self.write(Some(current.project_id), |tx| tx.soft_delete(Entity::Stakeholder, &id.to_string()).map(drop))
    }
}
