//! Requirements: creation with a never-reused per-project number, edits field by field, soft deletes,
//! and listing with every link resolved in a fixed number of queries (no query per row).

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params};

use super::history::Link;
use super::sql::{Ts, opt_ts};
use super::{Entity, Result, Store, StoreError, Tx, opt_text, text};
use crate::domain::*;

/// Which requirements a listing returns.
#[derive(Debug, Clone, Default)]
pub struct RequirementFilter {
    pub stage: Option<StageId>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub include_deleted: bool,
}

const COLUMNS: &str = "r.id, r.project_id, r.seq, r.title, r.statement, r.kind, r.priority, r.status, r.stage_id,
    r.interview_id, r.channel, r.pain_point, r.moment_of_truth, r.acceptance, r.rationale, r.quote, r.version,
    r.created_at, r.updated_at, r.deleted_at, r.external_ref";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Requirement> {
    Ok(Requirement {
        id: r.get(0)?,
        project_id: r.get(1)?,
        seq: r.get(2)?,
        title: r.get(3)?,
        statement: r.get(4)?,
        kind: r.get(5)?,
        priority: r.get(6)?,
        status: r.get(7)?,
        stage: r.get(8)?,
        interview: r.get(9)?,
        channel: r.get(10)?,
        pain_point: r.get(11)?,
        moment_of_truth: r.get(12)?,
        acceptance: r.get(13)?,
        rationale: r.get(14)?,
        quote: r.get(15)?,
        version: r.get(16)?,
        created_at: r.get::<_, Ts>(17)?.0,
        updated_at: r.get::<_, Ts>(18)?.0,
        deleted_at: opt_ts(r.get(19)?),
        external_ref: r.get(20)?,
        outcomes: Vec::new(),
        sources: Vec::new(),
        tags: Vec::new(),
    })
}

impl Tx<'_> {
    /// Checks that every linked row exists, is live, and belongs to `project`.
    fn check_links(
        &self,
        project: ProjectId,
        stage: Option<StageId>,
        interview: Option<InterviewId>,
        outcomes: &[OutcomeId],
        sources: &[StakeholderId],
    ) -> Result<()> {
        let check = |table: &str, what: &str, id: String| -> Result<()> {
            let ok: bool = self.conn().query_row(
                &format!("SELECT count(*) > 0 FROM {table} WHERE id = ?1 AND project_id = ?2 AND deleted_at IS NULL"),
                params![id, project],
                |r| r.get(0),
            )?;
            if ok { Ok(()) } else { Err(StoreError::NotFound(format!("no {what} {id} in this project"))) }
        };
        if let Some(s) = stage {
            check("journey_stage", "stage", s.to_string())?;
        }
        if let Some(i) = interview {
            check("interview", "interview", i.to_string())?;
        }
        for o in outcomes {
            check("outcome", "outcome", o.to_string())?;
        }
        for s in sources {
            check("stakeholder", "stakeholder", s.to_string())?;
        }
        Ok(())
    }

    /// Inserts a validated requirement, taking the project's next number.
    pub(crate) fn insert_requirement(&self, project: ProjectId, new: &NewRequirement) -> Result<(RequirementId, i64)> {
        self.check_links(project, new.stage, new.interview, &new.outcomes, &new.sources)?;
        let seq: i64 = self
            .conn()
            .query_row("SELECT next_seq FROM project WHERE id = ?1 AND deleted_at IS NULL", [project], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound("that project no longer exists".into()))?;
        // Not logged: undo must never hand out a number again.
        self.conn().execute("UPDATE project SET next_seq = next_seq + 1 WHERE id = ?1", [project])?;
        let id = RequirementId::new();
        self.conn().execute(
            "INSERT INTO requirement (id, project_id, seq, title, statement, kind, priority, status, stage_id, interview_id,
                channel, pain_point, moment_of_truth, acceptance, rationale, quote, version, created_at, updated_at,
                external_ref)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 1, ?17, ?17, ?18)",
            params![
                id,
                project,
                seq,
                new.title,
                new.statement,
                new.kind,
                new.priority,
                new.status,
                new.stage,
                new.interview,
                new.channel,
                new.pain_point,
                new.moment_of_truth,
                new.acceptance,
                new.rationale,
                new.quote,
                self.now_text(),
                new.external_ref
            ],
        )?;
        let key = id.to_string();
        self.log_created(Entity::Requirement, &key)?;
        self.write_links(Link::Outcomes, &key, &strings(&new.outcomes))?;
        self.write_links(Link::Sources, &key, &strings(&new.sources))?;
        self.write_links(Link::Tags, &key, &new.tags)?;
        Ok((id, seq))
    }
}

fn strings<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

impl Store {
    /// Adds a requirement; returns it with its new human number.
    pub fn add_requirement(&mut self, project: ProjectId, new: NewRequirement) -> Result<Requirement> {
        let new = new.validated()?;
        let (id, _) = self.write(Some(project), |tx| tx.insert_requirement(project, &new))?;
        self.requirement(id)
    }

    /// The requirement with this id, with its links (deleted ones too).
    pub fn requirement(&self, id: RequirementId) -> Result<Requirement> {
        let mut req = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM requirement r WHERE r.id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no requirement with id {id}")))?;
        let key = id.to_string();
        req.outcomes = self.links(Link::Outcomes, &key)?.iter().filter_map(|s| s.parse().ok()).collect();
        req.sources = self.links(Link::Sources, &key)?.iter().filter_map(|s| s.parse().ok()).collect();
        req.tags = self.links(Link::Tags, &key)?;
        Ok(req)
    }

    /// Finds a requirement of `project` by human id (`CHK-7`, `chk-7`, `7`) or UUID, deleted ones included.
    pub fn find_requirement(&self, project: &Project, wanted: &str) -> Result<Requirement> {
        let w = wanted.trim();
        let seq = w
            .rsplit_once('-')
            .filter(|(k, _)| k.eq_ignore_ascii_case(project.key.as_str()))
            .map_or(w, |(_, n)| n)
            .parse::<i64>()
            .ok();
        let id: Option<RequirementId> = match seq {
            Some(seq) => self
                .conn
                .query_row(
                    "SELECT id FROM requirement WHERE project_id = ?1 AND seq = ?2",
                    params![project.id, seq],
                    |r| r.get(0),
                )
                .optional()?,
            None => w
                .parse::<RequirementId>()
                .ok()
                .map(|id| {
                    self.conn
                        .query_row(
                            "SELECT id FROM requirement WHERE project_id = ?1 AND id = ?2",
                            params![project.id, id],
                            |r| r.get(0),
                        )
                        .optional()
                })
                .transpose()?
                .flatten(),
        };
        match id {
            Some(id) => self.requirement(id),
            None => Err(StoreError::NotFound(format!(
                "no requirement {w:?} in project {}; ids look like {}-7 (see `elicit list`)",
                project.key, project.key
            ))),
        }
    }

    /// The project's requirements matching `filter`, in id order, with links resolved to names.
    pub fn requirements(&self, project: &Project, filter: &RequirementFilter) -> Result<Vec<RequirementDetails>> {
        let mut sql = format!("SELECT {COLUMNS} FROM requirement r WHERE r.project_id = ?1");
        let mut args: Vec<Value> = vec![text(project.id)];
        if !filter.include_deleted {
            sql.push_str(" AND r.deleted_at IS NULL");
        }
        if let Some(s) = filter.stage {
            args.push(text(s));
            sql.push_str(&format!(" AND r.stage_id = ?{}", args.len()));
        }
        if let Some(s) = filter.status {
            args.push(text(s));
            sql.push_str(&format!(" AND r.status = ?{}", args.len()));
        }
        if let Some(p) = filter.priority {
            args.push(text(p));
            sql.push_str(&format!(" AND r.priority = ?{}", args.len()));
        }
        sql.push_str(" ORDER BY r.seq");
        let mut stmt = self.conn.prepare(&sql)?;
        let reqs: Vec<Requirement> =
            stmt.query_map(rusqlite::params_from_iter(args), from_row)?.collect::<rusqlite::Result<_>>()?;

        let stages: HashMap<StageId, String> =
            self.named("SELECT id, name FROM journey_stage WHERE project_id = ?1", project.id)?;
        let interviews: HashMap<InterviewId, String> =
            self.named("SELECT id, title FROM interview WHERE project_id = ?1", project.id)?;
        let statements: HashMap<OutcomeId, String> =
            self.named("SELECT id, statement FROM outcome WHERE project_id = ?1 AND deleted_at IS NULL", project.id)?;
        let names: HashMap<StakeholderId, String> =
            self.named("SELECT id, name FROM stakeholder WHERE project_id = ?1 AND deleted_at IS NULL", project.id)?;

        // Links are placed straight into per-requirement lists by the requirement's index, and sorted by
        // position per requirement: no owner-id strings, no name copies per link row in SQL, and no
        // project-wide sort of every link row (the old `ORDER BY l.position` cost more than the reads).
        let index = positions(reqs.iter().map(|r| r.id));
        let mut outcomes: Vec<Vec<(i64, OutcomeId)>> = vec![Vec::new(); reqs.len()];
        // Only links to live outcomes and stakeholders count: the name maps hold exactly those.
        self.each_link(Link::Outcomes, project.id, &index, |i, pos, r| {
            let o: OutcomeId = r.get(2)?;
            if statements.contains_key(&o) {
                outcomes[i].push((pos, o));
            }
            Ok(())
        })?;
        let mut sources: Vec<Vec<(i64, StakeholderId)>> = vec![Vec::new(); reqs.len()];
        self.each_link(Link::Sources, project.id, &index, |i, pos, r| {
            let s: StakeholderId = r.get(2)?;
            if names.contains_key(&s) {
                sources[i].push((pos, s));
            }
            Ok(())
        })?;
        let mut tags: Vec<Vec<(i64, String)>> = vec![Vec::new(); reqs.len()];
        self.each_link(Link::Tags, project.id, &index, |i, pos, r| {
            tags[i].push((pos, r.get(2)?));
            Ok(())
        })?;
        drop(index);
        Ok(reqs
            .into_iter()
            .zip(outcomes.into_iter().zip(sources).zip(tags))
            .map(|(mut r, ((outs, srcs), tags))| {
                r.outcomes = by_position(outs);
                r.sources = by_position(srcs);
                r.tags = by_position(tags);
                RequirementDetails {
                    human_id: human_id(&project.key, r.seq),
                    stage_name: r.stage.and_then(|s| stages.get(&s).cloned()),
                    interview_title: r.interview.and_then(|i| interviews.get(&i).cloned()),
                    outcome_statements: r.outcomes.iter().filter_map(|o| statements.get(o).cloned()).collect(),
                    source_names: r.sources.iter().filter_map(|s| names.get(s).cloned()).collect(),
                    requirement: r,
                }
            })
            .collect())
    }

    /// One requirement with its links resolved to names.
    pub fn requirement_details(&self, project: &Project, id: RequirementId) -> Result<RequirementDetails> {
        let r = self.requirement(id)?;
        let stage_name = r.stage.map(|s| self.stage(s).map(|s| s.name)).transpose()?;
        let interview_title = r.interview.map(|i| self.interview(i).map(|i| i.title)).transpose()?;
        let outcome_statements =
            r.outcomes.iter().map(|o| self.outcome(*o).map(|o| o.statement)).collect::<Result<_>>()?;
        let source_names = r.sources.iter().map(|s| self.stakeholder(*s).map(|s| s.name)).collect::<Result<_>>()?;
        Ok(RequirementDetails {
            human_id: human_id(&project.key, r.seq),
            requirement: r,
            stage_name,
            outcome_statements,
            source_names,
            interview_title,
        })
    }

    /// The number of live requirements in a project.
    pub fn requirement_count(&self, project: ProjectId) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM requirement WHERE project_id = ?1 AND deleted_at IS NULL",
            [project],
            |r| r.get(0),
        )?)
    }

    /// Applies a patch; returns the requirement as saved. A patch that changes nothing writes nothing.
    pub fn update_requirement(&mut self, id: RequirementId, patch: RequirementPatch) -> Result<Requirement> {
        let current = self.requirement(id)?;
        if current.deleted_at.is_some() {
            return Err(StoreError::Conflict("that requirement is deleted; `elicit undo` can restore it".into()));
        }
        let p = patch.validated()?;
        let key = id.to_string();
        self.write(Some(current.project_id), |tx| {
            tx.check_links(
                current.project_id,
                p.stage.flatten(),
                p.interview.flatten(),
                p.outcomes.as_deref().unwrap_or_default(),
                p.sources.as_deref().unwrap_or_default(),
            )?;
            let e = Entity::Requirement;
            let mut changed = false;
            let mut set = |column: &'static str, v: Option<Value>| -> Result<()> {
                if let Some(v) = v {
                    changed |= tx.set(e, &key, column, v)?;
                }
                Ok(())
            };
            set("title", p.title.as_ref().map(text))?;
            set("statement", p.statement.as_ref().map(text))?;
            set("kind", p.kind.map(text))?;
            set("priority", p.priority.map(text))?;
            set("status", p.status.map(text))?;
            set("stage_id", p.stage.map(opt_text))?;
            set("interview_id", p.interview.map(opt_text))?;
            set("channel", p.channel.map(opt_text))?;
            set("pain_point", p.pain_point.map(|b| Value::Integer(b.into())))?;
            set("moment_of_truth", p.moment_of_truth.map(|b| Value::Integer(b.into())))?;
            set("acceptance", p.acceptance.as_ref().map(text))?;
            set("rationale", p.rationale.as_ref().map(text))?;
            set("quote", p.quote.as_ref().map(text))?;
            set("external_ref", p.external_ref.as_ref().map(text))?;
            if let Some(o) = &p.outcomes {
                changed |= tx.write_links(Link::Outcomes, &key, &strings(o))?;
            }
            if let Some(s) = &p.sources {
                changed |= tx.write_links(Link::Sources, &key, &strings(s))?;
            }
            if let Some(t) = &p.tags {
                changed |= tx.write_links(Link::Tags, &key, t)?;
            }
            if changed {
                tx.conn().execute(
                    "UPDATE requirement SET version = version + 1, updated_at = ?1 WHERE id = ?2",
                    params![tx.now_text(), key],
                )?;
            }
            Ok(())
        })?;
        self.requirement(id)
    }

    /// Deletes a requirement (soft; `undo` restores it). Its number is never given out again.
    pub fn delete_requirement(&mut self, id: RequirementId) -> Result<()> {
        let current = self.requirement(id)?;
        if current.deleted_at.is_some() {
            return Err(StoreError::Conflict("that requirement is already deleted".into()));
        }
        self.write(Some(current.project_id), |tx| tx.soft_delete(Entity::Requirement, &id.to_string()).map(drop))
    }

    fn named<K: std::str::FromStr + std::hash::Hash + Eq>(
        &self,
        sql: &str,
        project: ProjectId,
    ) -> Result<HashMap<K, String>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([project], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, name) = row?;
            if let Ok(id) = id.parse() {
                out.insert(id, name);
            }
        }
        Ok(out)
    }

    /// Runs a link query over a whole project whose first two columns are the requirement id and the link's
    /// position, and hands each row to `place` with the index of its requirement in `index`; rows of
    /// requirements that are not in `index` (filtered out) are skipped.
    pub(super) fn each_link(
        &self,
        link: Link,
        project: ProjectId,
        index: &HashMap<RequirementId, usize>,
        mut place: impl FnMut(usize, i64, &Row<'_>) -> rusqlite::Result<()>,
    ) -> Result<()> {
        debug_assert!(link != Link::InterviewStakeholders, "requirement links only");
        let (table, owner, value) = link.table();
        // When the loaded requirements are most of the file's, reading the whole link table and dropping
        // other projects' rows through `index` costs about half of joining every link row to its owner.
        let total: i64 = self.conn.query_row("SELECT count(*) FROM requirement", [], |r| r.get(0))?;
        let scan = index.len() as i64 * 2 >= total;
        let sql = if scan {
            format!("SELECT {owner}, position, {value} FROM {table}")
        } else {
            format!(
                "SELECT l.{owner}, l.position, l.{value} FROM {table} l
                 JOIN requirement r ON r.id = l.{owner} WHERE r.project_id = ?1"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = if scan { stmt.query([])? } else { stmt.query([project])? };
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get::<_, RequirementId>(0)?) {
                place(i, r.get(1)?, r)?;
            }
        }
        Ok(())
    }
}

/// Each requirement id's index in a list.
pub(super) fn positions(ids: impl Iterator<Item = RequirementId>) -> HashMap<RequirementId, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

/// The values of `(position, value)` pairs in position order (stable, as the rows came when positions tie).
pub(super) fn by_position<T>(mut links: Vec<(i64, T)>) -> Vec<T> {
    links.sort_by_key(|(p, _)| *p);
    links.into_iter().map(|(_, v)| v).collect()
}
