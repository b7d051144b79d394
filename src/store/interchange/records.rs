//! The rows of a lossless backup, as stored (timestamps as their exact stored text), and the checks a
//! restored change-log row must pass before undo may replay it.

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use crate::domain::*;
use crate::store::columns;
use crate::store::{CREATED, Entity, Result};

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
    /// The departments the project expects to hear from, in order. Left out when there are none, so a
    /// backup without any reads in an elicit from before sign-off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<String>,
    /// Every stakeholder answer, oldest first (left out when there are none, as `departments`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirmations: Vec<ConfirmationRecord>,
}

/// A stakeholder's answer about a requirement, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmationRecord {
    pub id: ConfirmationId,
    pub requirement: RequirementId,
    pub stakeholder: StakeholderId,
    pub verdict: Verdict,
    pub note: String,
    /// The requirement's version the stakeholder answered about.
    pub requirement_version: i64,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
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
    /// The quality findings accepted on it, in order (left out when there are none, so a backup of a
    /// project without any reads as before).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted_findings: Vec<AcceptedFinding>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

impl RequirementRecord {
    /// Maps a row selected with [`columns::COLUMNS`] through the one requirement mapper, keeping the timestamps as
    /// their stored text; the links are left empty for the caller to fill.
    pub(super) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequirementRecord> {
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
            accepted_findings: Vec::new(),
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
pub(super) enum FieldKind {
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
const LINK_FIELDS: [(Entity, &str); 6] = [
    (Entity::Requirement, "outcomes"),
    (Entity::Requirement, "sources"),
    (Entity::Requirement, "tags"),
    (Entity::Interview, "stakeholders"),
    (Entity::Project, "departments"),
    (Entity::Requirement, "accepted findings"),
];

/// The multi-line columns among [`Entity::columns`] (the ones their forms clean with `long_text`).
const TEXT_COLUMNS: [&str; 7] = ["description", "statement", "acceptance", "rationale", "quote", "notes", "note"];

impl ChangeRecord {
    /// The entity and the kind of field this row names, or the field that is wrong and why: undo writes a
    /// row's `old` value back into the column it names, so a backup may only name what undo itself knows.
    pub(super) fn target(&self) -> std::result::Result<(Entity, FieldKind), (&'static str, String)> {
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
    pub(super) fn count(&mut self, inserted: usize) {
        if inserted > 0 {
            self.added += inserted;
        } else {
            self.already_present += 1;
        }
    }
}

pub(super) fn value_to_json(v: Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => i.into(),
        Value::Real(f) => serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Text(t) => t.into(),
        // The schema never stores blobs in the change log; keep the bytes readable rather than fail.
        Value::Blob(b) => String::from_utf8_lossy(&b).into_owned().into(),
    }
}

pub(super) fn json_to_value(v: &serde_json::Value) -> Result<Value> {
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
