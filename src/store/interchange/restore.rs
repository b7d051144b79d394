//! Writing backup records back: rows keep their own UUIDs, rows already in the file are left as they are.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, params};

use super::records::*;
use crate::domain::*;
use crate::store::columns::{COLUMNS, PLACEHOLDERS};
use crate::store::{Result, Store, StoreError, Tx};

impl Tx<'_> {
    /// Inserts one project's rows with their own UUIDs; rows already in the file are left as they are.
    /// The caller checks the record first (references, enumerations, timestamps); SQLite's constraints and
    /// foreign keys are the last line of defence.
    pub(crate) fn restore_project(&self, p: &ProjectRecord) -> Result<RestoreCounts> {
        let c = self.conn();
        let mut n = RestoreCounts::default();
        let existing: Option<ProjectId> =
            c.query_row("SELECT id FROM project WHERE key = ?1", [&p.key], |r| r.get(0)).optional()?;
        match existing {
            Some(id) if id != p.id => {
                return Err(StoreError::Conflict(format!(
                    "this database already has a different project with key {}; import the backup into another \
                     database file, or rename the key in the file",
                    p.key
                )));
            }
            Some(_) => {
                n.already_present += 1;
                c.execute("UPDATE project SET next_seq = max(next_seq, ?1) WHERE id = ?2", params![p.next_seq, p.id])?;
            }
            None => {
                c.execute(
                    "INSERT INTO project (id, key, name, description, journey, planned_hours, target_min, target_max,
                                          next_seq, created_at, updated_at, last_used_at, deleted_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    params![
                        p.id,
                        p.key,
                        p.name,
                        p.description,
                        p.journey,
                        p.planned_hours,
                        p.target_min,
                        p.target_max,
                        p.next_seq,
                        p.created_at,
                        p.updated_at,
                        p.last_used_at,
                        p.deleted_at
                    ],
                )?;
                n.project_added = true;
                n.added += 1;
            }
        }

        let mut stmt = c.prepare_cached(
            "INSERT INTO journey_stage (id, project_id, name, description, position, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
        )?;
        for s in &p.stages {
            n.count(stmt.execute(params![
                s.id,
                p.id,
                s.name,
                s.description,
                s.position,
                s.created_at,
                s.updated_at,
                s.deleted_at
            ])?);
        }
        let mut stmt = c.prepare_cached(
            "INSERT INTO outcome (id, project_id, statement, metric, baseline, target, unit, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
        )?;
        for o in &p.outcomes {
            n.count(stmt.execute(params![
                o.id,
                p.id,
                o.statement,
                o.metric,
                o.baseline,
                o.target,
                o.unit,
                o.created_at,
                o.updated_at,
                o.deleted_at
            ])?);
        }
        let mut stmt = c.prepare_cached(
            "INSERT INTO stakeholder (id, project_id, name, role, department, organisation, contact, notes, created_at,
                                      updated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (id) DO NOTHING",
        )?;
        for s in &p.stakeholders {
            n.count(stmt.execute(params![
                s.id,
                p.id,
                s.name,
                s.role,
                s.department,
                s.organisation,
                s.contact,
                s.notes,
                s.created_at,
                s.updated_at,
                s.deleted_at
            ])?);
        }
        let mut stmt = c.prepare_cached(
            "INSERT INTO interview (id, project_id, title, mode, started_at, ended_at, notes, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
        )?;
        let mut link = c.prepare_cached(
            "INSERT INTO interview_stakeholder (interview_id, stakeholder_id, position) VALUES (?1, ?2, ?3)",
        )?;
        for i in &p.interviews {
            let inserted = stmt.execute(params![
                i.id,
                p.id,
                i.title,
                i.mode,
                i.started_at,
                i.ended_at,
                i.notes,
                i.created_at,
                i.updated_at,
                i.deleted_at
            ])?;
            if inserted > 0 {
                for (pos, s) in i.stakeholders.iter().enumerate() {
                    link.execute(params![i.id, s, pos as i64])?;
                }
            }
            n.count(inserted);
        }

        let taken: HashMap<i64, RequirementId> = {
            let mut stmt = c.prepare("SELECT seq, id FROM requirement WHERE project_id = ?1")?;
            stmt.query_map([p.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        let mut stmt = c.prepare_cached(&format!(
            "INSERT INTO requirement ({}) VALUES ({}) ON CONFLICT (id) DO NOTHING",
            *COLUMNS, *PLACEHOLDERS
        ))?;
        for r in &p.requirements {
            if let Some(other) = taken.get(&r.seq).filter(|other| **other != r.id) {
                return Err(StoreError::Conflict(format!(
                    "requirement {} in the file has the number of a different requirement already here ({other}); \
                     the two files have diverged, so nothing was imported",
                    human_id(&p.key, r.seq)
                )));
            }
            let inserted = stmt.execute(params![
                r.id,
                p.id,
                r.seq,
                r.version,
                r.created_at,
                r.updated_at,
                r.title,
                r.statement,
                r.kind,
                r.priority,
                r.status,
                r.stage,
                r.interview,
                r.channel,
                r.pain_point,
                r.moment_of_truth,
                r.acceptance,
                r.rationale,
                r.quote,
                r.external_ref,
                r.deleted_at
            ])?;
            if inserted > 0 {
                self.insert_requirement_links(r.id, &r.outcomes, &r.sources, &r.tags)?;
                self.insert_accepted_findings(r.id, &r.accepted_findings)?;
                n.requirements_added += 1;
            }
            n.count(inserted);
        }

        let mut stmt = c.prepare_cached(
            "INSERT INTO time_entry (id, project_id, activity, started_at, ended_at, interview_id, note, created_at,
                                     updated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
        )?;
        for t in &p.time_entries {
            n.count(stmt.execute(params![
                t.id,
                p.id,
                t.activity,
                t.started_at,
                t.ended_at,
                t.interview,
                t.note,
                t.created_at,
                t.updated_at,
                t.deleted_at
            ])?);
        }

        let mut stmt = c.prepare_cached(
            "INSERT INTO confirmation (id, project_id, requirement_id, stakeholder_id, verdict, note,
                                       requirement_version, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
        )?;
        for a in &p.confirmations {
            n.count(stmt.execute(params![
                a.id,
                p.id,
                a.requirement,
                a.stakeholder,
                a.verdict,
                a.note,
                a.requirement_version,
                a.created_at,
                a.updated_at,
                a.deleted_at
            ])?);
        }
        // A department already listed here stays where it is; the backup's others are added after it.
        let mut stmt = c.prepare_cached(
            "INSERT INTO project_department (project_id, department, position)
             VALUES (?1, ?2, (SELECT count(*) FROM project_department WHERE project_id = ?1))
             ON CONFLICT DO NOTHING",
        )?;
        for d in &p.departments {
            n.count(stmt.execute(params![p.id, d])?);
        }

        // Actions are restored whole or not at all, so undo never meets half an action.
        let known: HashSet<String> = {
            let mut stmt = c.prepare("SELECT DISTINCT action_id FROM change_log WHERE project_id = ?1")?;
            stmt.query_map([p.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let mut stmt = c.prepare_cached(
            "INSERT INTO change_log (action_id, project_id, entity, entity_id, field, old, new, at, actor, undone_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for l in &p.change_log {
            if known.contains(&l.action_id.to_string()) {
                n.already_present += 1;
                continue;
            }
            // Checked by the caller with the row's path; here so no caller can hand undo a column it lacks.
            l.target().map_err(|(field, message)| ValidationError::new(format!("change log {field}: {message}")))?;
            stmt.execute(params![
                l.action_id,
                p.id,
                l.entity,
                l.entity_id,
                l.field,
                json_to_value(&l.old)?,
                json_to_value(&l.new)?,
                l.at,
                l.actor,
                l.undone_at
            ])?;
            n.added += 1;
        }

        let mut stmt = c.prepare_cached(
            "INSERT OR IGNORE INTO draft (id, project_id, form, payload, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for d in &p.drafts {
            n.count(stmt.execute(params![d.id, p.id, d.form, d.payload, d.updated_at])?);
        }
        Ok(n)
    }

    fn insert_accepted_findings(&self, id: RequirementId, accepted: &[AcceptedFinding]) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO requirement_accepted_finding (requirement_id, finding, position) VALUES (?1, ?2, ?3)",
        )?;
        for (i, a) in accepted.iter().enumerate() {
            let json = serde_json::to_string(a).map_err(|e| ValidationError::new(format!("accepted finding: {e}")))?;
            stmt.execute(params![id, json, i as i64])?;
        }
        Ok(())
    }

    fn insert_requirement_links(
        &self,
        id: RequirementId,
        outcomes: &[OutcomeId],
        sources: &[StakeholderId],
        tags: &[String],
    ) -> Result<()> {
        let c = self.conn();
        let mut stmt = c.prepare_cached(
            "INSERT INTO requirement_outcome (requirement_id, outcome_id, position) VALUES (?1, ?2, ?3)",
        )?;
        for (i, o) in outcomes.iter().enumerate() {
            stmt.execute(params![id, o, i as i64])?;
        }
        let mut stmt = c.prepare_cached(
            "INSERT INTO requirement_source (requirement_id, stakeholder_id, position) VALUES (?1, ?2, ?3)",
        )?;
        for (i, s) in sources.iter().enumerate() {
            stmt.execute(params![id, s, i as i64])?;
        }
        let mut stmt =
            c.prepare_cached("INSERT INTO requirement_tag (requirement_id, tag, position) VALUES (?1, ?2, ?3)")?;
        for (i, t) in tags.iter().enumerate() {
            stmt.execute(params![id, t, i as i64])?;
        }
        Ok(())
    }
}

impl Store {
    /// Restores project records as one transaction: all of them or, on any error, none.
    pub fn restore_projects(&mut self, records: &[ProjectRecord]) -> Result<Vec<RestoreCounts>> {
        self.write(None, |tx| records.iter().map(|p| tx.restore_project(p)).collect())
    }

    /// The UUIDs among `ids` that are already in the file (as requirements of any project).
    pub fn existing_requirements(&self, ids: &[RequirementId]) -> Result<HashSet<RequirementId>> {
        let mut stmt = self.conn.prepare_cached("SELECT count(*) > 0 FROM requirement WHERE id = ?1")?;
        let mut out = HashSet::new();
        for id in ids {
            if stmt.query_row([id], |r| r.get::<_, bool>(0))? {
                out.insert(*id);
            }
        }
        Ok(out)
    }
}
