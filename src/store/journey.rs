//! Journey stages: ordered per project, named case-insensitively.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params};

use super::{Entity, Result, Store, StoreError, Tx, text};
use crate::domain::*;

fn from_row(r: &Row<'_>) -> rusqlite::Result<JourneyStage> {
    Ok(JourneyStage {
        id: r.get(0)?,
        project_id: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        position: r.get(4)?,
    })
}

impl Tx<'_> {
    /// Inserts a stage at the end of the project's journey.
    pub(crate) fn insert_stage(&self, project: ProjectId, name: &str, description: &str) -> Result<StageId> {
        let name = required_line("stage name", name, MAX_NAME_CHARS)?;
        let description = long_text("stage description", description)?;
        let clash: i64 = self.conn().query_row(
            "SELECT count(*) FROM journey_stage WHERE project_id = ?1 AND deleted_at IS NULL AND lower(name) = lower(?2)",
            params![project, name],
            |r| r.get(0),
        )?;
        if clash > 0 {
            return Err(StoreError::Conflict(format!("a stage named {name:?} already exists")));
        }
        let position: i64 = self.conn().query_row(
            "SELECT coalesce(max(position), 0) + 1 FROM journey_stage WHERE project_id = ?1 AND deleted_at IS NULL",
            [project],
            |r| r.get(0),
        )?;
        let id = StageId::new();
        self.conn().execute(
            "INSERT INTO journey_stage (id, project_id, name, description, position, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![id, project, name, description, position, self.now_text()],
        )?;
        self.log_created(Entity::Stage, &id.to_string())?;
        Ok(id)
    }
}

impl Store {
    /// The project's live stages in journey order.
    pub fn stages(&self, project: ProjectId) -> Result<Vec<JourneyStage>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, project_id, name, description, position FROM journey_stage
             WHERE project_id = ?1 AND deleted_at IS NULL ORDER BY position, created_at",
        )?;
        let rows = stmt.query_map([project], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a stage at the end of the journey.
    pub fn add_stage(&mut self, project: ProjectId, name: &str, description: &str) -> Result<JourneyStage> {
        let id = self.write(Some(project), |tx| tx.insert_stage(project, name, description))?;
        self.stage(id)
    }

    /// The stage with this id (live or deleted).
    pub fn stage(&self, id: StageId) -> Result<JourneyStage> {
        self.conn
            .query_row(
                "SELECT id, project_id, name, description, position FROM journey_stage WHERE id = ?1",
                [id],
                from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no stage with id {id}")))
    }

    /// Renames a stage and/or changes its description.
    pub fn update_stage(&mut self, id: StageId, name: Option<&str>, description: Option<&str>) -> Result<JourneyStage> {
        let stage = self.stage(id)?;
        let name = name.map(|n| required_line("stage name", n, MAX_NAME_CHARS)).transpose()?;
        if let Some(n) = &name {
            let lower = n.to_lowercase();
            if self.stages(stage.project_id)?.iter().any(|o| o.id != id && o.name.to_lowercase() == lower) {
                return Err(StoreError::Conflict(format!("a stage named {n:?} already exists")));
            }
        }
        let description = description.map(|d| long_text("stage description", d)).transpose()?;
        let key = id.to_string();
        self.write(Some(stage.project_id), |tx| {
            if let Some(n) = name {
                tx.set(Entity::Stage, &key, "name", text(n))?;
            }
            if let Some(d) = description {
                tx.set(Entity::Stage, &key, "description", text(d))?;
            }
            Ok(())
        })?;
        self.stage(id)
    }

    /// Moves a stage one place earlier (`delta < 0`) or later (`delta > 0`) in the journey.
    pub fn move_stage(&mut self, id: StageId, delta: i64) -> Result<()> {
        let stage = self.stage(id)?;
        let mut stages = self.stages(stage.project_id)?;
        let Some(from) = stages.iter().position(|s| s.id == id) else {
            return Err(StoreError::NotFound("that stage was deleted".into()));
        };
        let to = (from as i64 + delta).clamp(0, stages.len() as i64 - 1) as usize;
        if to == from {
            return Ok(());
        }
        let moved = stages.remove(from);
        stages.insert(to, moved);
        self.write(Some(stage.project_id), |tx| {
            for (i, s) in stages.iter().enumerate() {
                tx.set(Entity::Stage, &s.id.to_string(), "position", Value::Integer(i as i64 + 1))?;
            }
            Ok(())
        })
    }

    /// Deletes a stage (soft); its requirements move to `reassign_to`, or lose their stage when `None`.
    pub fn delete_stage(&mut self, id: StageId, reassign_to: Option<StageId>) -> Result<usize> {
        let stage = self.stage(id)?;
        if reassign_to == Some(id) {
            return Err(StoreError::Conflict("cannot move requirements to the stage being deleted".into()));
        }
        let moved: Vec<String> = {
            let mut stmt =
                self.conn.prepare("SELECT id FROM requirement WHERE stage_id = ?1 AND deleted_at IS NULL")?;
            stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        self.write(Some(stage.project_id), |tx| {
            for req in &moved {
                tx.set(Entity::Requirement, req, "stage_id", super::opt_text(reassign_to))?;
            }
            tx.soft_delete(Entity::Stage, &id.to_string())?;
            Ok(moved.len())
        })
    }
}

impl Tx<'_> {
    /// (name, id) of the project's live stages, for loaders that link by name inside a transaction.
    pub(crate) fn stage_ids(&self, project: ProjectId) -> Result<Vec<(String, StageId)>> {
        let mut stmt = self.conn().prepare(
            "SELECT name, id FROM journey_stage WHERE project_id = ?1 AND deleted_at IS NULL ORDER BY position",
        )?;
        let rows = stmt.query_map([project], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
