//! Reading a whole project for a lossless backup: every row, deleted ones and the change log included, in a
//! fixed number of queries whatever the size.

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use super::records::*;
use crate::domain::*;
use crate::store::columns::COLUMNS;
use crate::store::{Result, Store, StoreError};

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
                        departments: Vec::new(),
                        confirmations: Vec::new(),
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

        p.departments = self.departments(id)?;
        let mut stmt = c.prepare(
            "SELECT id, requirement_id, stakeholder_id, verdict, note, requirement_version, created_at, updated_at,
                    deleted_at FROM confirmation WHERE project_id = ?1 ORDER BY created_at, id",
        )?;
        p.confirmations = stmt
            .query_map([id], |r| {
                Ok(ConfirmationRecord {
                    id: r.get(0)?,
                    requirement: r.get(1)?,
                    stakeholder: r.get(2)?,
                    verdict: r.get(3)?,
                    note: r.get(4)?,
                    requirement_version: r.get(5)?,
                    created_at: r.get(6)?,
                    updated_at: r.get(7)?,
                    deleted_at: r.get(8)?,
                })
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
        let mut accepted = self.all_accepted_findings(project)?;
        for req in &mut out {
            req.accepted_findings = accepted.remove(&req.id).unwrap_or_default();
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::store::OutcomeFields;

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
}
