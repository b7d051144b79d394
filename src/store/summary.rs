//! Compact requirement rows for the interactive list, and bulk insertion for generated data sets.

use rusqlite::{OptionalExtension, Row};

use super::{Result, Store};
use crate::domain::*;

const SELECT: &str = "SELECT r.id, r.seq, r.title, r.statement, r.stage_id,
        (SELECT l.outcome_id FROM requirement_outcome l JOIN outcome o ON o.id = l.outcome_id
          WHERE l.requirement_id = r.id AND o.deleted_at IS NULL ORDER BY l.position LIMIT 1),
        (SELECT count(*) FROM requirement_outcome l JOIN outcome o ON o.id = l.outcome_id
          WHERE l.requirement_id = r.id AND o.deleted_at IS NULL),
        r.priority, r.status, r.pain_point, r.moment_of_truth
    FROM requirement r";

fn from_row(r: &Row<'_>) -> rusqlite::Result<RequirementSummary> {
    Ok(RequirementSummary {
        id: r.get(0)?,
        seq: r.get(1)?,
        title: r.get(2)?,
        statement: r.get(3)?,
        stage: r.get(4)?,
        outcome: r.get(5)?,
        outcome_count: r.get(6)?,
        priority: r.get(7)?,
        status: r.get(8)?,
        pain_point: r.get(9)?,
        moment_of_truth: r.get(10)?,
    })
}

impl Store {
    /// Every live requirement of a project as a compact row, in id order: one query, no per-row lookups.
    pub fn requirement_summaries(&self, project: ProjectId) -> Result<Vec<RequirementSummary>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT} WHERE r.project_id = ?1 AND r.deleted_at IS NULL ORDER BY r.seq"))?;
        let rows = stmt.query_map([project], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One requirement as a compact row; `None` when it is deleted or missing.
    pub fn requirement_summary(&self, id: RequirementId) -> Result<Option<RequirementSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!("{SELECT} WHERE r.id = ?1 AND r.deleted_at IS NULL"))?;
        Ok(stmt.query_row([id], from_row).optional()?)
    }

    /// Adds many requirements as one action (one transaction, one undo step); returns their numbers.
    pub fn add_requirements(&mut self, project: ProjectId, items: Vec<NewRequirement>) -> Result<Vec<i64>> {
        let items = items.into_iter().map(NewRequirement::validated).collect::<Result<Vec<_>, _>>()?;
        self.write(Some(project), |tx| {
            items.iter().map(|new| tx.insert_requirement(project, new).map(|(_, seq)| seq)).collect()
        })
    }
}

impl Store {
    /// (requirement, outcome) pairs of a project's live requirements and outcomes, for traceability.
    pub fn outcome_links(&self, project: ProjectId) -> Result<Vec<(RequirementId, OutcomeId)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.requirement_id, l.outcome_id FROM requirement_outcome l
             JOIN requirement r ON r.id = l.requirement_id JOIN outcome o ON o.id = l.outcome_id
             WHERE r.project_id = ?1 AND r.deleted_at IS NULL AND o.deleted_at IS NULL ORDER BY l.position",
        )?;
        let rows = stmt.query_map([project], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (requirement, stakeholder) pairs of a project's live requirements: who asked for what.
    pub fn source_links(&self, project: ProjectId) -> Result<Vec<(RequirementId, StakeholderId)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.requirement_id, l.stakeholder_id FROM requirement_source l
             JOIN requirement r ON r.id = l.requirement_id
             WHERE r.project_id = ?1 AND r.deleted_at IS NULL ORDER BY l.position",
        )?;
        let rows = stmt.query_map([project], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
