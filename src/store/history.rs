//! Link tables, the change log and undo.
//!
//! Every mutation records (entity, id, field, old, new) rows grouped by action. Undo replays the newest
//! action of a project backwards, restoring old values; creations are undone by a soft delete. The
//! columns undo may touch come from a fixed list, never from the file, so a tampered log cannot inject SQL.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};

use super::{CREATED, Entity, Result, Store, StoreError, Tx};
use crate::domain::*;

/// A many-to-many link whose whole list is one logged field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Link {
    Outcomes,
    Sources,
    Tags,
    InterviewStakeholders,
    /// The departments a project expects to hear from.
    Departments,
    /// The findings accepted on a requirement, each a JSON object.
    Accepted,
}

impl Link {
    const ALL: [Link; 6] =
        [Link::Outcomes, Link::Sources, Link::Tags, Link::InterviewStakeholders, Link::Departments, Link::Accepted];

    fn entity(self) -> Entity {
        match self {
            Link::InterviewStakeholders => Entity::Interview,
            Link::Departments => Entity::Project,
            Link::Outcomes | Link::Sources | Link::Tags | Link::Accepted => Entity::Requirement,
        }
    }

    /// The change-log field name.
    fn field(self) -> &'static str {
        match self {
            Link::Outcomes => "outcomes",
            Link::Sources => "sources",
            Link::Tags => "tags",
            Link::InterviewStakeholders => "stakeholders",
            Link::Departments => "departments",
            Link::Accepted => "accepted findings",
        }
    }

    /// (table, owner column, value column)
    pub(crate) fn table(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Link::Outcomes => ("requirement_outcome", "requirement_id", "outcome_id"),
            Link::Sources => ("requirement_source", "requirement_id", "stakeholder_id"),
            Link::Tags => ("requirement_tag", "requirement_id", "tag"),
            Link::InterviewStakeholders => ("interview_stakeholder", "interview_id", "stakeholder_id"),
            Link::Departments => ("project_department", "project_id", "department"),
            Link::Accepted => ("requirement_accepted_finding", "requirement_id", "finding"),
        }
    }

    fn from_field(entity: Entity, field: &str) -> Option<Link> {
        Link::ALL.into_iter().find(|l| l.entity() == entity && l.field() == field)
    }
}

pub(super) fn read_links(conn: &rusqlite::Connection, link: Link, owner: &str) -> Result<Vec<String>> {
    let (table, owner_col, value_col) = link.table();
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {value_col} FROM {table} WHERE {owner_col} = ?1 ORDER BY position"))?;
    let rows = stmt.query_map([owner], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Tx<'_> {
    /// Replaces a link list when it differs and logs the old and new lists. Returns whether it changed.
    pub(crate) fn write_links(&self, link: Link, owner: &str, values: &[String]) -> Result<bool> {
        let old = read_links(self.conn(), link, owner)?;
        if old == values {
            return Ok(false);
        }
        let (table, owner_col, _) = link.table();
        self.conn().execute(&format!("DELETE FROM {table} WHERE {owner_col} = ?1"), [owner])?;
        self.insert_links(link, owner, values)?;
        let json = |list: &[String]| Value::Text(serde_json::to_string(list).unwrap_or_else(|_| "[]".into()));
        self.log(link.entity(), owner, link.field(), json(&old), json(values))?;
        Ok(true)
    }
}

/// What one undo reverted.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoneAction {
    /// When the undone action happened.
    pub at: Timestamp,
    /// A short description, e.g. "edit of requirement (title, priority)".
    pub summary: String,
}

struct LogRow {
    id: i64,
    entity: String,
    entity_id: String,
    field: String,
    old: Value,
}

impl Store {
    pub(crate) fn links(&self, link: Link, owner: &str) -> Result<Vec<String>> {
        read_links(&self.conn, link, owner)
    }

    /// Reverts the newest not-yet-undone action of `project`, as one transaction.
    pub fn undo(&mut self, project: ProjectId) -> Result<UndoneAction> {
        // Only "no row" means nothing to undo; a busy or damaged file is said as such.
        let newest: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT action_id, at FROM change_log WHERE project_id = ?1 AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
                [project],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((action, at)) = newest else {
            return Err(StoreError::NothingToUndo);
        };
        // Creating the project is where its history starts: undo stops there rather than removing it.
        let creates_project: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM change_log WHERE action_id = ?1 AND entity = 'project' AND field = ?2",
            params![action, CREATED],
            |r| r.get(0),
        )?;
        if creates_project {
            return Err(StoreError::NothingToUndo);
        }
        let rows: Vec<LogRow> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, entity, entity_id, field, old FROM change_log WHERE action_id = ?1 AND undone_at IS NULL ORDER BY id DESC",
            )?;
            stmt.query_map([&action], |r| {
                Ok(LogRow { id: r.get(0)?, entity: r.get(1)?, entity_id: r.get(2)?, field: r.get(3)?, old: r.get(4)? })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let summary = summarize(&rows);
        self.write(Some(project), |tx| {
            for row in &rows {
                tx.revert(row)?;
                tx.conn()
                    .execute("UPDATE change_log SET undone_at = ?1 WHERE id = ?2", params![tx.now_text(), row.id])?;
            }
            Ok(())
        })
        .map_err(|e| match e {
            StoreError::Sqlite(inner) => StoreError::Conflict(format!("cannot undo {summary}: {inner}")),
            other => other,
        })?;
        Ok(UndoneAction { at: parse_timestamp(&at)?, summary })
    }

    /// The change history of one row, oldest first.
    pub fn history(&self, entity: Entity, id: &str) -> Result<Vec<ChangeLogEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT action_id, entity, entity_id, field, old, new, at, actor FROM change_log
             WHERE entity = ?1 AND entity_id = ?2 AND undone_at IS NULL ORDER BY id",
        )?;
        let as_text = |v: Value| match v {
            Value::Null => None,
            Value::Integer(i) => Some(i.to_string()),
            Value::Real(f) => Some(f.to_string()),
            Value::Text(t) => Some(t),
            Value::Blob(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        };
        let rows = stmt.query_map(params![entity.table(), id], |r| {
            Ok(ChangeLogEntry {
                action_id: r.get(0)?,
                entity: r.get(1)?,
                entity_id: r.get(2)?,
                field: r.get(3)?,
                old: as_text(r.get(4)?),
                new: as_text(r.get(5)?),
                at: r.get::<_, super::Ts>(6)?.0,
                actor: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Store {
    /// What happened to requirement `id`, newest first, readable: every logged change to it that has not
    /// been undone, and every answer a stakeholder gave about it. Ids are resolved to names (of deleted rows
    /// too, so old history still reads), link lists are joined and flags read yes or no.
    pub fn requirement_history(&self, id: RequirementId) -> Result<Vec<RequirementChange>> {
        let project = self.requirement(id)?.project_id;
        let names = |sql: &str| -> Result<HashMap<String, String>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([project], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let stages = names("SELECT id, name FROM journey_stage WHERE project_id = ?1")?;
        let interviews = names("SELECT id, title FROM interview WHERE project_id = ?1")?;
        let outcomes = names("SELECT id, statement FROM outcome WHERE project_id = ?1")?;
        let people = names("SELECT id, name FROM stakeholder WHERE project_id = ?1")?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, stakeholder_id, verdict, note FROM confirmation WHERE requirement_id = ?1")?;
        let answers: HashMap<String, (String, Verdict, String)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT action_id, entity, entity_id, field, old, new, at, actor FROM change_log
             WHERE undone_at IS NULL AND ((entity = 'requirement' AND entity_id = ?1)
                OR (entity = 'confirmation' AND field = ?2
                    AND entity_id IN (SELECT id FROM confirmation WHERE requirement_id = ?1)))
             ORDER BY id DESC",
        )?;
        let rows = stmt.query_map(params![id, CREATED], |r| {
            Ok((
                r.get::<_, ActionId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Value>(4)?,
                r.get::<_, Value>(5)?,
                r.get::<_, super::Ts>(6)?.0,
                r.get::<_, String>(7)?,
            ))
        })?;
        let unknown = |what: &str| format!("(a {what} no longer known)");
        let one = |field: &str, v: Value| -> Option<String> {
            let text = match v {
                Value::Null => return None,
                Value::Integer(i) => i.to_string(),
                Value::Real(f) => f.to_string(),
                Value::Text(t) => t,
                Value::Blob(b) => String::from_utf8_lossy(&b).into_owned(),
            };
            let named = |map: &HashMap<String, String>, what: &str| map.get(&text).cloned().unwrap_or(unknown(what));
            let list = |map: Option<&HashMap<String, String>>, what: &str, join: &str| {
                let items: Vec<String> = serde_json::from_str(&text).unwrap_or_default();
                let items: Vec<String> = match map {
                    Some(map) => items.iter().map(|i| map.get(i).cloned().unwrap_or(unknown(what))).collect(),
                    None => items,
                };
                if items.is_empty() { "none".to_owned() } else { items.join(join) }
            };
            Some(match field {
                "stage_id" => named(&stages, "stage"),
                "interview_id" => named(&interviews, "interview"),
                "outcomes" => list(Some(&outcomes), "outcome", "; "),
                "sources" => list(Some(&people), "stakeholder", ", "),
                "tags" => list(None, "tag", ", "),
                "pain_point" | "moment_of_truth" => if text == "0" { "no" } else { "yes" }.to_owned(),
                _ => text,
            })
        };
        let mut out = Vec::new();
        for row in rows {
            let (action_id, entity, entity_id, field, old, new, at, actor) = row?;
            let (field, old, new) = if entity == Entity::Confirmation.table() {
                let new = answers.get(&entity_id).map(|(who, verdict, note)| {
                    let who = people.get(who).cloned().unwrap_or(unknown("stakeholder"));
                    let said = if note.is_empty() { String::new() } else { format!(": {note}") };
                    format!("{} by {who}{said}", verdict.describe())
                });
                ("confirmation".to_owned(), None, new)
            } else if field == "deleted_at" {
                // The moment of deletion is the row's own time; what people read is whether it was deleted.
                let flag = |v: &Value| Some(if matches!(v, Value::Null) { "no" } else { "yes" }.to_owned());
                ("deleted".to_owned(), flag(&old), flag(&new))
            } else {
                (field_label(&field).to_owned(), one(&field, old), one(&field, new))
            };
            out.push(RequirementChange { action_id, at, actor, field, old, new });
        }
        Ok(out)
    }
}

impl Tx<'_> {
    fn insert_links(&self, link: Link, owner: &str, values: &[String]) -> Result<()> {
        let (table, owner_col, value_col) = link.table();
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("INSERT INTO {table} ({owner_col}, {value_col}, position) VALUES (?1, ?2, ?3)"))?;
        for (i, v) in values.iter().enumerate() {
            stmt.execute(params![owner, v, i as i64])?;
        }
        Ok(())
    }

    fn revert(&self, row: &LogRow) -> Result<()> {
        let entity = Entity::from_table(&row.entity)
            .ok_or_else(|| StoreError::Conflict(format!("cannot undo a change to unknown table {:?}", row.entity)))?;
        let table = entity.table();
        if row.field == CREATED {
            self.conn().execute(
                &format!("UPDATE {table} SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NULL"),
                params![self.now_text(), row.entity_id],
            )?;
            return Ok(());
        }
        if let Some(link) = Link::from_field(entity, &row.field) {
            let old: Vec<String> = match &row.old {
                Value::Text(t) => {
                    serde_json::from_str(t).map_err(|e| StoreError::Conflict(format!("cannot undo: {e}")))?
                }
                _ => Vec::new(),
            };
            let (link_table, owner_col, _) = link.table();
            self.conn().execute(&format!("DELETE FROM {link_table} WHERE {owner_col} = ?1"), [&row.entity_id])?;
            if entity == Entity::Requirement {
                self.changed_requirement(&row.entity_id)?;
            }
            return self.insert_links(link, &row.entity_id, &old);
        }
        let column = entity
            .columns()
            .iter()
            .find(|c| **c == row.field)
            .ok_or_else(|| StoreError::Conflict(format!("cannot undo a change to {}.{}", row.entity, row.field)))?;
        self.conn().execute(
            &format!("UPDATE {table} SET {column} = ?1, updated_at = ?2 WHERE id = ?3"),
            params![row.old, self.now_text(), row.entity_id],
        )?;
        if entity == Entity::Requirement {
            self.changed_requirement(&row.entity_id)?;
        }
        Ok(())
    }
}

fn summarize(rows: &[LogRow]) -> String {
    // The row that says what the action was about: a creation or deletion, else the first change made
    // (rows are newest first, so the first change is the last row).
    let Some(main) = rows
        .iter()
        .find(|r| r.field == CREATED || (r.field == "deleted_at" && matches!(r.old, Value::Null)))
        .or(rows.last())
    else {
        return "nothing".into();
    };
    let (noun, plural) = match main.entity.as_str() {
        "journey_stage" => ("a stage", "stages"),
        "time_entry" => ("a time entry", "time entries"),
        "outcome" => ("an outcome", "outcomes"),
        "interview" => ("an interview", "interviews"),
        "requirement" => ("a requirement", "requirements"),
        "stakeholder" => ("a stakeholder", "stakeholders"),
        "project" => ("a project", "projects"),
        "confirmation" => ("a confirmation", "confirmations"),
        _ => ("a row", "rows"),
    };
    let created = rows.iter().filter(|r| r.field == CREATED).count();
    if created > 1 {
        let one_kind = rows.iter().filter(|r| r.field == CREATED).all(|r| r.entity == main.entity);
        return format!("creation of {created} {}", if one_kind { plural } else { "rows" });
    }
    if main.field == CREATED {
        return format!("creation of {noun}");
    }
    if main.field == "deleted_at" {
        return format!("deletion of {noun}");
    }
    // One action may edit many rows of a kind (a bulk edit): say how many.
    let mut edited: Vec<&str> = rows.iter().filter(|r| r.entity == main.entity).map(|r| r.entity_id.as_str()).collect();
    edited.sort_unstable();
    edited.dedup();
    let noun = if edited.len() > 1 { format!("{} {plural}", edited.len()) } else { noun.to_owned() };
    // Column names in the words users know.
    let mut fields: Vec<&str> =
        rows.iter().filter(|r| r.entity == main.entity).map(|r| field_label(&r.field)).collect();
    fields.sort_unstable();
    fields.dedup();
    format!("edit of {noun} ({})", fields.join(", "))
}

/// A change-log field in the words users know.
fn field_label(field: &str) -> &str {
    match field {
        CREATED => "created",
        "stage_id" => "stage",
        "interview_id" => "interview",
        "deleted_at" => "deleted",
        "pain_point" => "pain point",
        "moment_of_truth" => "moment of truth",
        "started_at" => "start",
        "ended_at" => "end",
        "external_ref" => "external ref",
        other => other,
    }
}
