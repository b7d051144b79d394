//! Projects: creation (with their journey stages), lookup and the "current project" rule.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params};

use super::sql::Ts;
use super::{Entity, Result, Store, StoreError, Tx, text};
use crate::domain::*;

/// What a new project needs.
#[derive(Debug, Clone)]
pub struct NewProject {
    pub key: ProjectKey,
    pub name: String,
    pub description: String,
    /// The journey template it was created from ("" for none).
    pub journey: String,
    pub stages: Vec<(String, String)>,
    pub planned_hours: Option<f64>,
    pub target_min: f64,
    pub target_max: f64,
}

impl NewProject {
    /// A project with only a key and a name: no description, journey or stages, no planned hours, and the
    /// usual 25-40% band for requirements work.
    pub fn new(key: ProjectKey, name: impl Into<String>) -> NewProject {
        NewProject {
            key,
            name: name.into(),
            description: String::new(),
            journey: String::new(),
            stages: Vec::new(),
            planned_hours: None,
            target_min: 0.25,
            target_max: 0.40,
        }
    }
}

/// Changes to a project; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProjectPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub planned_hours: Option<Option<f64>>,
    pub band: Option<(f64, f64)>,
}

const COLUMNS: &str =
    "id, key, name, description, planned_hours, target_min, target_max, next_seq, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Project> {
    Ok(Project {
        id: r.get(0)?,
        key: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        planned_hours: r.get(4)?,
        target_min: r.get(5)?,
        target_max: r.get(6)?,
        next_seq: r.get(7)?,
        created_at: r.get::<_, Ts>(8)?.0,
        updated_at: r.get::<_, Ts>(9)?.0,
    })
}

impl Tx<'_> {
    /// Inserts a project with its stages; refuses a key already in use.
    pub(crate) fn insert_project(&self, id: ProjectId, new: &NewProject) -> Result<()> {
        let name = required_line("project name", &new.name, MAX_NAME_CHARS)?;
        let description = long_text("description", &new.description)?;
        let (target_min, target_max) = band(new.target_min, new.target_max)?;
        let planned = new.planned_hours.map(planned_hours).transpose()?;
        let taken: bool =
            self.conn().query_row("SELECT count(*) > 0 FROM project WHERE key = ?1", [&new.key], |r| r.get(0))?;
        if taken {
            return Err(StoreError::Conflict(format!("a project with key {} already exists", new.key)));
        }
        self.conn().execute(
            "INSERT INTO project (id, key, name, description, journey, planned_hours, target_min, target_max,
                                  created_at, updated_at, last_used_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?9)",
            params![id, new.key, name, description, new.journey, planned, target_min, target_max, self.now_text()],
        )?;
        self.log_created(Entity::Project, &id.to_string())?;
        for (name, description) in &new.stages {
            self.insert_stage(id, name, description)?;
        }
        Ok(())
    }
}

impl Store {
    /// Creates a project and its journey stages in one transaction.
    pub fn create_project(&mut self, new: NewProject) -> Result<Project> {
        let id = ProjectId::new();
        self.write(Some(id), |tx| tx.insert_project(id, &new))?;
        self.project(id)
    }

    /// The project with this id.
    pub fn project(&self, id: ProjectId) -> Result<Project> {
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM project WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no project with id {id}")))
    }

    /// The live project with this key, if any.
    pub fn project_by_key(&self, key: &ProjectKey) -> Result<Option<Project>> {
        Ok(self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM project WHERE key = ?1 AND deleted_at IS NULL"), [key], from_row)
            .optional()?)
    }

    /// Every live project, most recently used first.
    pub fn projects(&self) -> Result<Vec<Project>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM project WHERE deleted_at IS NULL ORDER BY last_used_at DESC, created_at DESC"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes a project's name, description, planned hours or target band.
    pub fn update_project(&mut self, id: ProjectId, patch: ProjectPatch) -> Result<Project> {
        let name = patch.name.as_deref().map(|n| required_line("project name", n, MAX_NAME_CHARS)).transpose()?;
        let description = patch.description.as_deref().map(|d| long_text("description", d)).transpose()?;
        let hours = patch.planned_hours.map(|h| h.map(planned_hours).transpose()).transpose()?;
        let band = patch.band.map(|(a, b)| band(a, b)).transpose()?;
        let key = id.to_string();
        self.write(Some(id), |tx| {
            if let Some(name) = name {
                tx.set(Entity::Project, &key, "name", text(name))?;
            }
            if let Some(d) = description {
                tx.set(Entity::Project, &key, "description", text(d))?;
            }
            if let Some(h) = hours {
                tx.set(Entity::Project, &key, "planned_hours", h.map_or(Value::Null, Value::Real))?;
            }
            if let Some((min, max)) = band {
                // Widen first so the CHECK (min <= max) holds between the two updates.
                tx.set(Entity::Project, &key, "target_min", Value::Real(0.0))?;
                tx.set(Entity::Project, &key, "target_max", Value::Real(max))?;
                tx.set(Entity::Project, &key, "target_min", Value::Real(min))?;
            }
            Ok(())
        })?;
        self.project(id)
    }
}
