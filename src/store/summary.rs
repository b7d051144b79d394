//! Compact requirement rows for the interactive list, and bulk insertion for generated data sets.

use rusqlite::OptionalExtension;

use super::columns::{self, SUMMARY_COLUMNS};
use super::{Result, Store};
use crate::domain::*;

impl Store {
    /// Live requirements of a project as compact rows in id order, at most `limit` of them. The first
    /// linked outcome is left empty: callers join it from [`Store::outcome_links`], loaded once.
    pub fn requirement_summaries(&self, project: ProjectId, limit: Option<usize>) -> Result<Vec<RequirementSummary>> {
        let limit = limit.map_or(-1, |l| l as i64);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM requirement r WHERE r.project_id = ?1 AND r.deleted_at IS NULL ORDER BY r.seq LIMIT ?2"
        ))?;
        let rows = stmt.query_map(rusqlite::params![project, limit], columns::summary)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One live requirement as a compact row with its live outcome and source links; `None` when it is
    /// deleted or missing.
    #[allow(clippy::type_complexity)]
    pub fn requirement_summary(
        &self,
        id: RequirementId,
    ) -> Result<Option<(RequirementSummary, Vec<OutcomeId>, Vec<StakeholderId>)>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM requirement r WHERE r.id = ?1 AND r.deleted_at IS NULL"
        ))?;
        let Some(row) = stmt.query_row([id], columns::summary).optional()? else { return Ok(None) };
        let mut outcomes = self.conn.prepare_cached(
            "SELECT l.outcome_id FROM requirement_outcome l JOIN outcome o ON o.id = l.outcome_id
             WHERE l.requirement_id = ?1 AND o.deleted_at IS NULL ORDER BY l.position",
        )?;
        let outcomes = outcomes.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut sources = self.conn.prepare_cached(
            "SELECT stakeholder_id FROM requirement_source WHERE requirement_id = ?1 ORDER BY position",
        )?;
        let sources = sources.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(Some((row, outcomes, sources)))
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

impl Store {
    /// The number of live requirements, counting no further than `cap` (cheap even on huge projects).
    pub fn requirement_count_up_to(&self, project: ProjectId, cap: i64) -> Result<i64> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM requirement WHERE project_id = ?1 AND deleted_at IS NULL LIMIT ?2)",
        )?;
        Ok(stmt.query_row(rusqlite::params![project, cap], |r| r.get(0))?)
    }
}
