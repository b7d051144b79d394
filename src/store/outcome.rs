//! Customer outcomes: measurable results requirements are traced to.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params};

use super::{Entity, Result, Store, StoreError, Tx, text};
use crate::domain::*;

/// What a new or edited outcome holds.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeFields {
    pub statement: String,
    pub metric: Metric,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub unit: String,
}

impl OutcomeFields {
    fn validated(mut self) -> Result<Self, ValidationError> {
        self.statement = required_line("outcome statement", &self.statement, MAX_TITLE_CHARS)?;
        self.unit = optional_line("unit", &self.unit, 40)?;
        for (what, v) in [("baseline", self.baseline), ("target", self.target)] {
            if v.is_some_and(|v| !v.is_finite()) {
                return Err(ValidationError::new(format!("{what} must be a finite number")));
            }
        }
        Ok(self)
    }
}

const COLUMNS: &str = "id, project_id, statement, metric, baseline, target, unit";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Outcome> {
    Ok(Outcome {
        id: r.get(0)?,
        project_id: r.get(1)?,
        statement: r.get(2)?,
        metric: r.get(3)?,
        baseline: r.get(4)?,
        target: r.get(5)?,
        unit: r.get(6)?,
    })
}

fn real(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::Real)
}

impl Tx<'_> {
    /// Refuses a second live row of `table` whose `column` equals `value` ignoring case (`except` is the row
    /// being edited), so names typed on the command line always find one row.
    pub(crate) fn refuse_duplicate(
        &self,
        table: &str,
        column: &str,
        project: ProjectId,
        value: &str,
        except: Option<String>,
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {column} FROM {table} WHERE project_id = ?1 AND deleted_at IS NULL AND id <> ?2"
        ))?;
        let lower = value.to_lowercase();
        let mut clash = false;
        for v in stmt.query_map(params![project, except.unwrap_or_default()], |r| r.get::<_, String>(0))? {
            clash |= v?.to_lowercase() == lower;
        }
        if clash {
            let what = table.replace('_', " ");
            return Err(StoreError::Conflict(format!("there is already a {what} {value:?} in this project")));
        }
        Ok(())
    }

    /// Inserts a validated outcome.
    pub(crate) fn insert_outcome(&self, project: ProjectId, fields: OutcomeFields) -> Result<OutcomeId> {
        let f = fields.validated()?;
        self.refuse_duplicate("outcome", "statement", project, &f.statement, None)?;
        let id = OutcomeId::new();
        self.conn().execute(
            "INSERT INTO outcome (id, project_id, statement, metric, baseline, target, unit, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![id, project, f.statement, f.metric, f.baseline, f.target, f.unit, self.now_text()],
        )?;
        self.log_created(Entity::Outcome, &id.to_string())?;
        Ok(id)
    }
}

impl Store {
    /// Adds an outcome to a project.
    pub fn add_outcome(&mut self, project: ProjectId, fields: OutcomeFields) -> Result<Outcome> {
        let id = self.write(Some(project), |tx| tx.insert_outcome(project, fields))?;
        self.outcome(id)
    }

    /// The outcome with this id.
    pub fn outcome(&self, id: OutcomeId) -> Result<Outcome> {
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM outcome WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no outcome with id {id}")))
    }

    /// The project's live outcomes in the order they were added.
    pub fn outcomes(&self, project: ProjectId) -> Result<Vec<Outcome>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outcome WHERE project_id = ?1 AND deleted_at IS NULL ORDER BY created_at, id"
        ))?;
        let rows = stmt.query_map([project], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes an outcome.
    pub fn update_outcome(&mut self, id: OutcomeId, fields: OutcomeFields) -> Result<Outcome> {
        let current = self.outcome(id)?;
        let f = fields.validated()?;
        let key = id.to_string();
        self.write(Some(current.project_id), |tx| {
            tx.refuse_duplicate("outcome", "statement", current.project_id, &f.statement, Some(key.clone()))?;
            tx.set(Entity::Outcome, &key, "statement", text(&f.statement))?;
            tx.set(Entity::Outcome, &key, "metric", text(f.metric))?;
            tx.set(Entity::Outcome, &key, "baseline", real(f.baseline))?;
            tx.set(Entity::Outcome, &key, "target", real(f.target))?;
            tx.set(Entity::Outcome, &key, "unit", text(&f.unit))?;
            Ok(())
        })?;
        self.outcome(id)
    }

    /// Deletes an outcome (soft); its links stay so undo restores them.
    pub fn delete_outcome(&mut self, id: OutcomeId) -> Result<()> {
        let current = self.outcome(id)?;
        self.write(Some(current.project_id), |tx| tx.soft_delete(Entity::Outcome, &id.to_string()).map(drop))
    }
}
