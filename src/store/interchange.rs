//! Backup, restore and bulk import: whole-project reads with every row (deleted ones and the change log
//! included), inserts of rows with their own UUIDs, and a fast path for importing many new requirements.
//!
//! Restoring is idempotent: a row whose UUID is already in the file is left as it is, and change-log actions
//! already present are not added again, so importing the same backup twice adds nothing the second time.
//! A restore is not itself logged: the restored change log is the history, and logging the restore would
//! make a backup of the restored file differ from the original.

use std::collections::{HashMap, HashSet};

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, ToSql, params};
use serde::{Deserialize, Serialize};

use super::columns::{self, COLUMNS, PLACEHOLDERS};
use super::{CREATED, Entity, Result, Store, StoreError, Tx};
use crate::domain::*;

/// A project with every row that belongs to it, as stored (timestamps as their exact stored text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectRecord {
    pub id: ProjectId,
    pub key: ProjectKey,
    pub name: String,
    pub description: String,
    pub journey: String,
    pub planned_hours: Option<f64>,
    pub target_min: f64,
    pub target_max: f64,
    pub next_seq: i64,
    pub created_at: String,
    pub updated_at: String,
    pub last_used_at: Option<String>,
    pub deleted_at: Option<String>,
    pub stages: Vec<StageRecord>,
    pub outcomes: Vec<OutcomeRecord>,
    pub stakeholders: Vec<StakeholderRecord>,
    pub interviews: Vec<InterviewRecord>,
    pub requirements: Vec<RequirementRecord>,
    pub time_entries: Vec<TimeEntryRecord>,
    pub change_log: Vec<ChangeRecord>,
    pub drafts: Vec<DraftRecord>,
}

/// A journey stage row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageRecord {
    pub id: StageId,
    pub name: String,
    pub description: String,
    pub position: i64,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// An outcome row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRecord {
    pub id: OutcomeId,
    pub statement: String,
    pub metric: Metric,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub unit: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// A stakeholder row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakeholderRecord {
    pub id: StakeholderId,
    pub name: String,
    pub role: String,
    pub department: String,
    pub organisation: String,
    pub contact: String,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// An interview row with its stakeholders in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterviewRecord {
    pub id: InterviewId,
    pub title: String,
    pub mode: InterviewMode,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub notes: String,
    pub stakeholders: Vec<StakeholderId>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// A requirement row with its links in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementRecord {
    pub id: RequirementId,
    pub seq: i64,
    pub title: String,
    pub statement: String,
    pub kind: Kind,
    pub priority: Priority,
    pub status: Status,
    pub stage: Option<StageId>,
    pub interview: Option<InterviewId>,
    pub channel: Option<Channel>,
    pub pain_point: bool,
    pub moment_of_truth: bool,
    pub acceptance: String,
    pub rationale: String,
    pub quote: String,
    #[serde(default)]
    pub external_ref: String,
    pub version: i64,
    pub outcomes: Vec<OutcomeId>,
    pub sources: Vec<StakeholderId>,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

impl RequirementRecord {
    /// Maps a row selected with [`COLUMNS`] through the one requirement mapper, keeping the timestamps as
    /// their stored text; the links are left empty for the caller to fill.
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequirementRecord> {
        let q = columns::requirement(r)?;
        Ok(RequirementRecord {
            id: q.id,
            seq: q.seq,
            title: q.title,
            statement: q.statement,
            kind: q.kind,
            priority: q.priority,
            status: q.status,
            stage: q.stage,
            interview: q.interview,
            channel: q.channel,
            pain_point: q.pain_point,
            moment_of_truth: q.moment_of_truth,
            acceptance: q.acceptance,
            rationale: q.rationale,
            quote: q.quote,
            external_ref: q.external_ref,
            version: q.version,
            outcomes: Vec::new(),
            sources: Vec::new(),
            tags: Vec::new(),
            created_at: r.get(columns::CREATED_AT)?,
            updated_at: r.get(columns::UPDATED_AT)?,
            deleted_at: r.get(columns::DELETED_AT)?,
        })
    }
}

/// A time entry row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeEntryRecord {
    pub id: TimeEntryId,
    pub activity: Activity,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub interview: Option<InterviewId>,
    pub note: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// A change-log row. `old` and `new` keep their SQLite type: JSON null, integer, real or string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRecord {
    pub action_id: ActionId,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub old: serde_json::Value,
    pub new: serde_json::Value,
    pub at: String,
    pub actor: String,
    pub undone_at: Option<String>,
}

/// What a change-log field is, as undo reads it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    /// The row's creation ([`CREATED`]): undo soft-deletes the row.
    Created,
    /// A link list, logged as a JSON list of ids or tags.
    Links,
    /// A one-line column.
    Line,
    /// A multi-line column: its values keep their line breaks.
    Text,
}

/// The link lists the change log records as one field each. They mirror the fields of history.rs's `Link`,
/// which keeps them to itself; `every_field_the_store_logs_is_one_a_backup_may_name` checks they still do.
const LINK_FIELDS: [(Entity, &str); 4] = [
    (Entity::Requirement, "outcomes"),
    (Entity::Requirement, "sources"),
    (Entity::Requirement, "tags"),
    (Entity::Interview, "stakeholders"),
];

/// The multi-line columns among [`Entity::columns`] (the ones their forms clean with `long_text`).
const TEXT_COLUMNS: [&str; 7] = ["description", "statement", "acceptance", "rationale", "quote", "notes", "note"];

impl ChangeRecord {
    /// The entity and the kind of field this row names, or the field that is wrong and why: undo writes a
    /// row's `old` value back into the column it names, so a backup may only name what undo itself knows.
    fn target(&self) -> std::result::Result<(Entity, FieldKind), (&'static str, String)> {
        let entity = Entity::from_table(&self.entity).ok_or_else(|| {
            let known: Vec<&str> = Entity::ALL.iter().map(|e| e.table()).collect();
            ("entity", format!("unknown entity {:?}; the change log records {}", self.entity, known.join(", ")))
        })?;
        let field = self.field.as_str();
        let kind = if field == CREATED {
            FieldKind::Created
        } else if LINK_FIELDS.contains(&(entity, field)) {
            FieldKind::Links
        } else if entity.columns().contains(&field) {
            if TEXT_COLUMNS.contains(&field) { FieldKind::Text } else { FieldKind::Line }
        } else {
            return Err(("field", format!("{} has no field {field:?} that undo may write back", self.entity)));
        };
        Ok((entity, kind))
    }

    /// Cleans the row's text as the store cleans what it writes (a value keeps its line breaks only where its
    /// column does; a link list is cleaned item by item) and checks that undo could replay it. Reports each
    /// problem with the field it is about; returns the entity the row names when it is one the store knows.
    pub fn clean(&mut self, report: &mut dyn FnMut(&'static str, String)) -> Option<Entity> {
        self.actor = clean_line(&self.actor);
        let (entity, kind) = self.target().map_err(|(field, message)| report(field, message)).ok()?;
        for (name, value) in [("old", &mut self.old), ("new", &mut self.new)] {
            match value {
                serde_json::Value::Array(_) | serde_json::Value::Object(_) => report(
                    name,
                    "must be one value (text, a number, true, false or null), not a list or an object".into(),
                ),
                serde_json::Value::String(s) if kind == FieldKind::Links => {
                    match serde_json::from_str::<Vec<String>>(s) {
                        Ok(list) => {
                            let cleaned: Vec<String> = list.iter().map(|item| clean_line(item)).collect();
                            if cleaned != list {
                                // Written as `write_links` writes it; a list of strings always serialises.
                                *s = serde_json::to_string(&cleaned).unwrap_or_default();
                            }
                        }
                        Err(e) => report(
                            name,
                            format!("must be the {} list as JSON text (a list of strings): {e}", self.field),
                        ),
                    }
                }
                serde_json::Value::String(s) if kind == FieldKind::Text => *s = clean_text(s),
                serde_json::Value::String(s) => *s = clean_line(s),
                _ => {}
            }
        }
        Some(entity)
    }
}

/// A saved form draft; the payload is kept as the exact JSON text stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftRecord {
    pub id: DraftId,
    pub form: String,
    pub payload: String,
    pub updated_at: String,
}

/// How many rows a restore added, and how many it found already present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RestoreCounts {
    /// Whether the project row itself was new.
    pub project_added: bool,
    /// Rows added, over every table.
    pub added: usize,
    /// Rows skipped because their UUID (or change-log action) was already there.
    pub already_present: usize,
    /// Requirements added.
    pub requirements_added: usize,
}

impl RestoreCounts {
    /// Counts one row insert that added `inserted` rows (0: it was already there).
    fn count(&mut self, inserted: usize) {
        if inserted > 0 {
            self.added += inserted;
        } else {
            self.already_present += 1;
        }
    }
}

fn value_to_json(v: Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => i.into(),
        Value::Real(f) => serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Text(t) => t.into(),
        // The schema never stores blobs in the change log; keep the bytes readable rather than fail.
        Value::Blob(b) => String::from_utf8_lossy(&b).into_owned().into(),
    }
}

fn json_to_value(v: &serde_json::Value) -> Result<Value> {
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => Value::Integer(i),
            _ => Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::Text(s.clone()),
        serde_json::Value::Bool(b) => Value::Integer(i64::from(*b)),
        other => return Err(ValidationError::new(format!("a change-log value must be a scalar, not {other}")).into()),
    })
}

/// Groups `(owner, value)` rows by owner, keeping their order.
fn grouped<K: std::hash::Hash + Eq, V>(rows: Vec<(K, V)>) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = HashMap::new();
    for (k, v) in rows {
        out.entry(k).or_default().push(v);
    }
    out
}

impl Store {
    /// The ids of every project in the file, deleted ones included, oldest first.
    pub fn all_project_ids(&self) -> Result<Vec<ProjectId>> {
        let mut stmt = self.conn.prepare("SELECT id FROM project ORDER BY created_at, id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every row of one project, for a lossless backup. A fixed number of queries, whatever the size.
    pub fn project_record(&self, id: ProjectId) -> Result<ProjectRecord> {
        let c = &self.conn;
        let mut p = c
            .query_row(
                "SELECT id, key, name, description, journey, planned_hours, target_min, target_max, next_seq,
                        created_at, updated_at, last_used_at, deleted_at FROM project WHERE id = ?1",
                [id],
                |r| {
                    Ok(ProjectRecord {
                        id: r.get(0)?,
                        key: r.get(1)?,
                        name: r.get(2)?,
                        description: r.get(3)?,
                        journey: r.get(4)?,
                        planned_hours: r.get(5)?,
                        target_min: r.get(6)?,
                        target_max: r.get(7)?,
                        next_seq: r.get(8)?,
                        created_at: r.get(9)?,
                        updated_at: r.get(10)?,
                        last_used_at: r.get(11)?,
                        deleted_at: r.get(12)?,
                        stages: Vec::new(),
                        outcomes: Vec::new(),
                        stakeholders: Vec::new(),
                        interviews: Vec::new(),
                        requirements: Vec::new(),
                        time_entries: Vec::new(),
                        change_log: Vec::new(),
                        drafts: Vec::new(),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no project with id {id}")))?;

        let mut stmt = c.prepare(
            "SELECT id, name, description, position, created_at, updated_at, deleted_at FROM journey_stage
             WHERE project_id = ?1 ORDER BY position, created_at, id",
        )?;
        p.stages = stmt
            .query_map([id], |r| {
                Ok(StageRecord {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    description: r.get(2)?,
                    position: r.get(3)?,
                    created_at: r.get(4)?,
                    updated_at: r.get(5)?,
                    deleted_at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let mut stmt = c.prepare(
            "SELECT id, statement, metric, baseline, target, unit, created_at, updated_at, deleted_at FROM outcome
             WHERE project_id = ?1 ORDER BY created_at, id",
        )?;
        p.outcomes = stmt
            .query_map([id], |r| {
                Ok(OutcomeRecord {
                    id: r.get(0)?,
                    statement: r.get(1)?,
                    metric: r.get(2)?,
                    baseline: r.get(3)?,
                    target: r.get(4)?,
                    unit: r.get(5)?,
                    created_at: r.get(6)?,
                    updated_at: r.get(7)?,
                    deleted_at: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let mut stmt = c.prepare(
            "SELECT id, name, role, department, organisation, contact, notes, created_at, updated_at, deleted_at
             FROM stakeholder WHERE project_id = ?1 ORDER BY created_at, id",
        )?;
        p.stakeholders = stmt
            .query_map([id], |r| {
                Ok(StakeholderRecord {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                    department: r.get(3)?,
                    organisation: r.get(4)?,
                    contact: r.get(5)?,
                    notes: r.get(6)?,
                    created_at: r.get(7)?,
                    updated_at: r.get(8)?,
                    deleted_at: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let mut stmt = c.prepare(
            "SELECT l.interview_id, l.stakeholder_id FROM interview_stakeholder l JOIN interview i ON i.id = l.interview_id
             WHERE i.project_id = ?1 ORDER BY l.interview_id, l.position",
        )?;
        let mut people: HashMap<InterviewId, Vec<StakeholderId>> =
            grouped(stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?);
        let mut stmt = c.prepare(
            "SELECT id, title, mode, started_at, ended_at, notes, created_at, updated_at, deleted_at FROM interview
             WHERE project_id = ?1 ORDER BY started_at, id",
        )?;
        p.interviews = stmt
            .query_map([id], |r| {
                let id: InterviewId = r.get(0)?;
                Ok(InterviewRecord {
                    id,
                    title: r.get(1)?,
                    mode: r.get(2)?,
                    started_at: r.get(3)?,
                    ended_at: r.get(4)?,
                    notes: r.get(5)?,
                    stakeholders: Vec::new(),
                    created_at: r.get(6)?,
                    updated_at: r.get(7)?,
                    deleted_at: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for i in &mut p.interviews {
            i.stakeholders = people.remove(&i.id).unwrap_or_default();
        }

        // The change log (a row per requirement at least) is read beside the requirements, on two cores.
        (p.requirements, p.change_log) = self.requirement_records(id, |c| change_log_records(c, id))?;

        let mut stmt = c.prepare(
            "SELECT id, activity, started_at, ended_at, interview_id, note, created_at, updated_at, deleted_at
             FROM time_entry WHERE project_id = ?1 ORDER BY started_at, id",
        )?;
        p.time_entries = stmt
            .query_map([id], |r| {
                Ok(TimeEntryRecord {
                    id: r.get(0)?,
                    activity: r.get(1)?,
                    started_at: r.get(2)?,
                    ended_at: r.get(3)?,
                    interview: r.get(4)?,
                    note: r.get(5)?,
                    created_at: r.get(6)?,
                    updated_at: r.get(7)?,
                    deleted_at: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let mut stmt =
            c.prepare("SELECT id, form, payload, updated_at FROM draft WHERE project_id = ?1 ORDER BY form, id")?;
        p.drafts = stmt
            .query_map([id], |r| {
                Ok(DraftRecord { id: r.get(0)?, form: r.get(1)?, payload: r.get(2)?, updated_at: r.get(3)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(p)
    }

    /// Every requirement of a project (deleted ones included) with its links, in number order, and what
    /// `also` reads on the same snapshot.
    fn requirement_records<U: Send>(
        &self,
        project: ProjectId,
        also: impl FnOnce(&rusqlite::Connection) -> Result<U> + Send,
    ) -> Result<(Vec<RequirementRecord>, U)> {
        let rows = |c: &rusqlite::Connection| -> Result<Vec<RequirementRecord>> {
            let mut stmt =
                c.prepare(&format!("SELECT {} FROM requirement WHERE project_id = ?1 ORDER BY seq", *COLUMNS))?;
            let rows = stmt.query_map([project], RequirementRecord::from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let (mut out, links, more) = self.with_links(project, rows, |r| r.id, also)?;
        for (req, ((o, s), t)) in out.iter_mut().zip(links.outcomes.into_iter().zip(links.sources).zip(links.tags)) {
            req.outcomes = o;
            req.sources = s;
            req.tags = t;
        }
        Ok((out, more))
    }
}

/// A project's change log, oldest first.
fn change_log_records(c: &rusqlite::Connection, project: ProjectId) -> Result<Vec<ChangeRecord>> {
    let mut stmt = c.prepare(
        "SELECT action_id, entity, entity_id, field, old, new, at, actor, undone_at FROM change_log
         WHERE project_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([project], |r| {
        Ok(ChangeRecord {
            action_id: r.get(0)?,
            entity: r.get(1)?,
            entity_id: r.get(2)?,
            field: r.get(3)?,
            old: value_to_json(r.get(4)?),
            new: value_to_json(r.get(5)?),
            at: r.get(6)?,
            actor: r.get(7)?,
            undone_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

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

    /// Adds many validated requirements to `project` as part of this action, fast: multi-row inserts, one
    /// read and one update of the project's counter, and one change-log row per requirement (its creation,
    /// which is all undo needs to take the import back). Every stage, interview, outcome and stakeholder the
    /// items name must be a live row of the project; that is checked here, once per distinct id, so this is
    /// safe inside [`Store::write_bulk`] where SQLite does not check references row by row. `ids` gives a
    /// requirement its UUID when `Some` (stable identifiers from another elicit file), else a new one is
    /// made. Returns each requirement's id and number.
    ///
    /// The inserts are `INSERT OR ROLLBACK`: a row SQLite refuses ends the whole transaction, which an import
    /// wants anyway, and it spares SQLite a statement journal for every multi-row statement (about a tenth
    /// of a 100,000-row import).
    pub(crate) fn import_requirements(
        &self,
        project: ProjectId,
        items: &[(Option<RequirementId>, NewRequirement)],
    ) -> Result<Vec<(RequirementId, i64)>> {
        let c = self.conn();
        let first: i64 = c
            .query_row("SELECT next_seq FROM project WHERE id = ?1 AND deleted_at IS NULL", [project], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound("that project no longer exists".into()))?;
        self.check_references(project, items.iter().map(|(_, n)| n))?;
        let out: Vec<(RequirementId, i64)> =
            items.iter().zip(first..).map(|((id, _), seq)| (id.unwrap_or_default(), seq)).collect();
        let table = Entity::Requirement.table();
        for (items, out) in items.chunks(BULK_ROWS).zip(out.chunks(BULK_ROWS)) {
            let mut rows: Vec<&dyn ToSql> = Vec::with_capacity(items.len() * 16);
            for ((_, new), (id, seq)) in items.iter().zip(out) {
                rows.extend_from_slice(&[
                    id,
                    seq,
                    &new.title,
                    &new.statement,
                    &new.kind,
                    &new.priority,
                    &new.status,
                    &new.stage,
                    &new.interview,
                    &new.channel,
                    &new.pain_point,
                    &new.moment_of_truth,
                    &new.acceptance,
                    &new.rationale,
                    &new.quote,
                    &new.external_ref,
                ]);
            }
            // In the order of `columns::NAMES`: id, project, seq, version, created, updated, the edited
            // columns but the last, deleted_at.
            self.insert_many(
                &format!("INSERT OR ROLLBACK INTO requirement ({})", *COLUMNS),
                &[&project, &self.now_text],
                "($, ?1, $, 1, ?2, ?2, $, $, $, $, $, $, $, $, $, $, $, $, $, $, NULL)",
                &rows,
            )?;

            let keys: Vec<String> = out.iter().map(|(id, _)| id.to_string()).collect();
            let rows: Vec<&dyn ToSql> = keys.iter().map(|k| k as &dyn ToSql).collect();
            self.insert_many(
                "INSERT OR ROLLBACK INTO change_log (action_id, project_id, entity, entity_id, field, at, actor)",
                &[&self.action, &self.project, &table, &CREATED, &self.now_text, &self.actor],
                "(?1, ?2, ?3, $, ?4, ?5, ?6)",
                &rows,
            )?;

            let positions: Vec<i64> = (0..items
                .iter()
                .map(|(_, n)| n.outcomes.len().max(n.sources.len()).max(n.tags.len()))
                .max()
                .unwrap_or(0))
                .map(|p| p as i64)
                .collect();
            let mut outcomes: Vec<&dyn ToSql> = Vec::new();
            let mut sources: Vec<&dyn ToSql> = Vec::new();
            let mut tags: Vec<&dyn ToSql> = Vec::new();
            for ((_, new), key) in items.iter().zip(&keys) {
                for (o, p) in new.outcomes.iter().zip(&positions) {
                    outcomes.extend_from_slice(&[key, o, p]);
                }
                for (s, p) in new.sources.iter().zip(&positions) {
                    sources.extend_from_slice(&[key, s, p]);
                }
                for (t, p) in new.tags.iter().zip(&positions) {
                    tags.extend_from_slice(&[key, t, p]);
                }
            }
            for (table, column, values) in [
                ("requirement_outcome", "outcome_id", &outcomes),
                ("requirement_source", "stakeholder_id", &sources),
                ("requirement_tag", "tag", &tags),
            ] {
                let head = format!("INSERT OR ROLLBACK INTO {table} (requirement_id, {column}, position)");
                self.insert_many(&head, &[], "($, $, $)", values)?;
            }
        }
        // Not logged, as in `insert_requirement`: undo must never hand out a number again.
        let next = first + out.len() as i64;
        c.execute("UPDATE project SET next_seq = ?1 WHERE id = ?2", params![next, project])?;
        Ok(out)
    }

    /// Checks that every stage, interview, outcome and stakeholder `items` name is a live row of `project`:
    /// one lookup per distinct id rather than SQLite's foreign-key lookup per row, and stricter than it
    /// (another project's row, or a deleted one, is refused too).
    fn check_references<'a>(&self, project: ProjectId, items: impl Iterator<Item = &'a NewRequirement>) -> Result<()> {
        let mut stages = HashSet::new();
        let mut interviews = HashSet::new();
        let mut outcomes = HashSet::new();
        let mut people = HashSet::new();
        for new in items {
            stages.extend(new.stage.map(|s| s.to_string()));
            interviews.extend(new.interview.map(|i| i.to_string()));
            outcomes.extend(new.outcomes.iter().map(|o| o.to_string()));
            people.extend(new.sources.iter().map(|s| s.to_string()));
        }
        for (table, what, ids) in [
            ("journey_stage", "stage", stages),
            ("interview", "interview", interviews),
            ("outcome", "outcome", outcomes),
            ("stakeholder", "stakeholder", people),
        ] {
            let sql =
                format!("SELECT count(*) > 0 FROM {table} WHERE id = ?1 AND project_id = ?2 AND deleted_at IS NULL");
            let mut stmt = self.conn().prepare_cached(&sql)?;
            for id in ids {
                if !stmt.query_row(params![id, project], |r| r.get::<_, bool>(0))? {
                    return Err(StoreError::Conflict(format!(
                        "a {what} this import links to was deleted or moved to another project while importing; \
                         nothing was imported, try again"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Inserts rows with multi-row `INSERT ... VALUES (...), (...)` statements of up to [`BULK_ROWS`] rows.
    /// `row` is one row's tuple: `?1`, `?2`... stand for the `shared` values, bound once per statement, and
    /// each `$` for the row's next value from `values`, which holds the rows' values in order.
    fn insert_many(&self, head: &str, shared: &[&dyn ToSql], row: &str, values: &[&dyn ToSql]) -> Result<()> {
        let width = row.matches('$').count();
        for chunk in values.chunks(width * BULK_ROWS) {
            let mut sql = format!("{head} VALUES ");
            let mut n = shared.len();
            for r in 0..chunk.len() / width {
                if r > 0 {
                    sql.push_str(", ");
                }
                for part in row.split_inclusive('$') {
                    match part.strip_suffix('$') {
                        Some(text) => {
                            n += 1;
                            sql.push_str(text);
                            sql.push_str(&format!("?{n}"));
                        }
                        None => sql.push_str(part),
                    }
                }
            }
            let mut stmt = self.conn().prepare_cached(&sql)?;
            for (i, v) in shared.iter().chain(chunk).enumerate() {
                stmt.raw_bind_parameter(i + 1, v)?;
            }
            stmt.raw_execute()?;
        }
        Ok(())
    }
}

/// Rows per statement in a bulk import. SQLite pays a setup cost per statement run, not per row, and an
/// insert into `requirement` builds a temporary lookup table for each of its `CHECK (x IN (...))` lists on
/// every run: with one statement per row that setup was more than half of a 100,000-row import. 200 rows of
/// the widest insert (16 values a row, 2 shared) stay far below SQLite's limits on variables and VALUES rows.
const BULK_ROWS: usize = 200;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewProject, OutcomeFields};

    fn project(store: &mut Store, key: &str) -> ProjectId {
        let new = NewProject::new(key.parse().unwrap(), format!("Project {key}"));
        store.create_project(new).unwrap().id
    }

    fn outcome(store: &mut Store, project: ProjectId) -> OutcomeId {
        let fields = OutcomeFields {
            statement: "Refunds resolved in one contact".into(),
            metric: Metric::Fcr,
            baseline: None,
            target: None,
            unit: String::new(),
        };
        store.add_outcome(project, fields).unwrap().id
    }

    /// Every field any edit logs must be one a restored change log may name, and cleaning an honest row must
    /// change nothing: the store's lists of logged fields and the backup check's lists may not drift apart.
    #[test]
    fn every_field_the_store_logs_is_one_a_backup_may_name() {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::load(&mut store).unwrap();
        let id = store.all_project_ids().unwrap()[0];
        let p = store.project_record(id).unwrap();
        let two_lines = || "One\n\tTwo".to_owned();
        let patch = crate::store::ProjectPatch {
            name: Some("Renamed".into()),
            description: Some(two_lines()),
            planned_hours: Some(Some(12.5)),
            band: Some((0.2, 0.5)),
        };
        store.update_project(id, patch).unwrap();
        store.update_stage(p.stages[0].id, Some("Look"), Some(&two_lines())).unwrap();
        store.move_stage(p.stages[0].id, 1).unwrap();
        let fields = OutcomeFields {
            statement: "Fewer calls".into(),
            metric: Metric::Csat,
            baseline: Some(1.0),
            target: Some(2.0),
            unit: "calls".into(),
        };
        store.update_outcome(p.outcomes[0].id, fields).unwrap();
        let person = crate::store::StakeholderFields {
            name: "Ana".into(),
            role: "Lead".into(),
            department: "Care".into(),
            organisation: "Shop".into(),
            contact: "ana@example.com".into(),
            notes: two_lines(),
        };
        store.update_stakeholder(p.stakeholders[0].id, person).unwrap();
        store.set_interview_notes(p.interviews[0].id, &two_lines()).unwrap();
        let patch = RequirementPatch {
            title: Some("Refund in one step".into()),
            statement: Some(two_lines()),
            kind: Some(Kind::Quality),
            priority: Some(Priority::Must),
            status: Some(Status::Approved),
            stage: Some(None),
            interview: Some(None),
            channel: Some(Some(Channel::Web)),
            pain_point: Some(true),
            moment_of_truth: Some(true),
            acceptance: Some(two_lines()),
            rationale: Some(two_lines()),
            quote: Some(two_lines()),
            external_ref: Some("JIRA-7".into()),
            outcomes: Some(Vec::new()),
            sources: Some(Vec::new()),
            tags: Some(vec!["quick win".into()]),
        };
        store.update_requirement(p.requirements[0].id, patch).unwrap();
        let patch = crate::store::TimeEntryPatch {
            activity: Some(Activity::Design),
            note: Some(two_lines()),
            ..Default::default()
        };
        store.update_time_entry(p.time_entries[0].id, patch).unwrap();
        store.delete_requirement(p.requirements[1].id).unwrap();
        store.delete_stage(p.stages[1].id, None).unwrap();
        store.undo(id).unwrap();

        let record = store.project_record(id).unwrap();
        let mut fields = HashSet::new();
        for row in &record.change_log {
            let mut cleaned = row.clone();
            let mut problems = Vec::new();
            let entity = cleaned.clean(&mut |field, message| problems.push(format!("{field}: {message}")));
            assert!(entity.is_some() && problems.is_empty(), "{row:?}: {problems:?}");
            assert_eq!(&cleaned, row, "cleaning an honest change-log row changed it");
            fields.insert((row.entity.clone(), row.field.clone()));
        }
        for (entity, field) in [("requirement", "statement"), ("requirement", "tags"), ("project", "planned_hours")] {
            assert!(fields.contains(&(entity.into(), field.into())), "the test no longer logs {entity}.{field}");
        }
    }

    /// The bulk path runs without SQLite's foreign-key checks, so its own check is all that stands between a
    /// wrong id and a dangling link: it must refuse another project's row and write nothing.
    #[test]
    fn bulk_import_refuses_references_outside_the_project_and_restores_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let (a, b) = (project(&mut store, "AA"), project(&mut store, "BB"));
        let (own, foreign) = (outcome(&mut store, a), outcome(&mut store, b));
        let item = |outcomes: Vec<OutcomeId>| {
            let new = NewRequirement { title: "Track a refund".into(), outcomes, ..NewRequirement::default() };
            vec![(None, new)]
        };
        let refused = store.write_bulk(Some(a), |tx| tx.import_requirements(a, &item(vec![own, foreign])));
        assert!(matches!(refused, Err(StoreError::Conflict(ref m)) if m.contains("outcome")), "{refused:?}");
        let count = |store: &Store, sql: &str| store.conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count(&store, "SELECT count(*) FROM requirement"), 0);
        assert_eq!(count(&store, "PRAGMA foreign_keys"), 1, "foreign keys are back on after a failed bulk write");

        let written = store.write_bulk(Some(a), |tx| tx.import_requirements(a, &item(vec![own]))).unwrap();
        assert_eq!(written.len(), 1);
        assert_eq!(count(&store, "SELECT count(*) FROM requirement_outcome"), 1);
        assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
        assert!(store.check_integrity().unwrap().is_empty());

        // A row SQLite refuses (here a UUID already in the file) fails the whole bulk write, which is rolled
        // back whole (`INSERT OR ROLLBACK`), and the store goes on working.
        let again = vec![(Some(written[0].0), item(vec![own]).remove(0).1)];
        let refused = store.write_bulk(Some(a), |tx| tx.import_requirements(a, &again));
        assert!(refused.is_err());
        assert_eq!(count(&store, "SELECT count(*) FROM requirement"), 1);
        assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
        assert!(store.write_bulk(Some(a), |tx| tx.import_requirements(a, &item(vec![own]))).is_ok());
        assert_eq!(count(&store, "SELECT count(*) FROM requirement"), 2);

        // A caller that swallows the refusal and carries on must not be told the write succeeded.
        let swallowed = store.write_bulk(Some(a), |tx| {
            let _ = tx.import_requirements(a, &again);
            Ok(())
        });
        assert!(matches!(swallowed, Err(StoreError::Conflict(_))), "{swallowed:?}");
        assert_eq!(count(&store, "SELECT count(*) FROM requirement"), 2);

        // A panic inside the write still turns the checks back on.
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.write_bulk(Some(a), |_| -> Result<()> { panic!("a bug in an importer") })
        }));
        assert!(panicked.is_err());
        assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
    }
}
