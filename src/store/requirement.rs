//! Requirements: creation with a never-reused per-project number, edits field by field, soft deletes,
//! and listing with every link resolved in a fixed number of queries (no query per row).

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::columns::{self, COLUMNS, PLACEHOLDERS};
use super::history::Link;
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

impl Tx<'_> {
    /// Checks that every linked row exists, is live, and belongs to `project`.
    pub(super) fn check_links(
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

    /// Marks requirement `id` as changed by this action: a new version and a new `updated_at`, for changes
    /// that are not its columns (links alone make a new version too).
    pub(super) fn touch_requirement(&self, id: &str) -> Result<()> {
        self.changed_requirement(id)?;
        self.conn().execute("UPDATE requirement SET updated_at = ?1 WHERE id = ?2", params![self.now_text(), id])?;
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
        let now = self.now_text();
        self.conn().execute(
            &format!("INSERT INTO requirement ({}) VALUES ({})", *COLUMNS, *PLACEHOLDERS),
            params![
                id,
                project,
                seq,
                1,
                now,
                now,
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
                new.external_ref,
                None::<String>
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

impl Tx<'_> {
    /// Applies a checked patch to `current` inside this write, field by field through the change log (so
    /// history and undo see it); returns whether anything changed. A patch that changes nothing writes
    /// nothing. [`Store::update_requirement_if`] and re-imports both come here.
    pub(crate) fn update_requirement(&self, current: &Requirement, p: &RequirementPatch) -> Result<bool> {
        let key = current.id.to_string();
        self.check_links(
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
                changed |= self.set(e, &key, column, v)?;
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
            changed |= self.write_links(Link::Outcomes, &key, &strings(o))?;
        }
        if let Some(s) = &p.sources {
            changed |= self.write_links(Link::Sources, &key, &strings(s))?;
        }
        if let Some(t) = &p.tags {
            changed |= self.write_links(Link::Tags, &key, t)?;
        }
        if changed {
            self.touch_requirement(&key)?;
        }
        Ok(changed)
    }
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
            .query_row(&format!("SELECT {} FROM requirement r WHERE r.id = ?1", *COLUMNS), [id], columns::requirement)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no requirement with id {id}")))?;
        let key = id.to_string();
        req.outcomes = self.links(Link::Outcomes, &key)?.iter().filter_map(|s| s.parse().ok()).collect();
        req.sources = self.links(Link::Sources, &key)?.iter().filter_map(|s| s.parse().ok()).collect();
        req.tags = self.links(Link::Tags, &key)?;
        Ok(req)
    }

    /// The project's requirements matching `filter`, in id order, with links resolved to names.
    pub fn requirements(&self, project: &Project, filter: &RequirementFilter) -> Result<Vec<RequirementDetails>> {
        let mut sql = format!("SELECT {} FROM requirement r WHERE r.project_id = ?1", *COLUMNS);
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
        let (reqs, links, ()) = self.with_links(
            project.id,
            |conn| {
                let mut stmt = conn.prepare(&sql)?;
                let rows = stmt.query_map(rusqlite::params_from_iter(args), columns::requirement)?;
                Ok(rows.collect::<rusqlite::Result<Vec<Requirement>>>()?)
            },
            |r| r.id,
            |_| Ok(()),
        )?;

        let stages: HashMap<StageId, String> =
            self.named("SELECT id, name FROM journey_stage WHERE project_id = ?1", project.id)?;
        let interviews: HashMap<InterviewId, String> =
            self.named("SELECT id, title FROM interview WHERE project_id = ?1", project.id)?;
        let statements: HashMap<OutcomeId, String> =
            self.named("SELECT id, statement FROM outcome WHERE project_id = ?1 AND deleted_at IS NULL", project.id)?;
        let names: HashMap<StakeholderId, String> =
            self.named("SELECT id, name FROM stakeholder WHERE project_id = ?1 AND deleted_at IS NULL", project.id)?;
        let Links { outcomes, sources, tags } = links;
        Ok(reqs
            .into_iter()
            .zip(outcomes.into_iter().zip(sources).zip(tags))
            .map(|(mut r, ((mut outs, mut srcs), tags))| {
                // Only links to live outcomes and stakeholders count: the name maps hold exactly those.
                outs.retain(|o| statements.contains_key(o));
                srcs.retain(|s| names.contains_key(s));
                r.outcomes = outs;
                r.sources = srcs;
                r.tags = tags;
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

    /// Up to `limit` live requirements numbered after `after`: id, number, title and statement, in number
    /// order. What comparing a new line with the whole project needs, a page at a time, without loading
    /// whole requirements.
    pub fn requirement_texts(
        &self,
        project: ProjectId,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(RequirementId, i64, String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, seq, title, statement FROM requirement WHERE project_id = ?1 AND deleted_at IS NULL
             AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt
            .query_map(params![project, after, limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The tags the project's live requirements carry, each once, in order.
    pub fn project_tags(&self, project: ProjectId) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT t.tag FROM requirement_tag t JOIN requirement r ON r.id = t.requirement_id
             WHERE r.project_id = ?1 AND r.deleted_at IS NULL ORDER BY t.tag",
        )?;
        let rows = stmt.query_map([project], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The live requirements of `project` tagged `tag`.
    pub fn requirements_tagged(&self, project: ProjectId, tag: &str) -> Result<Vec<RequirementId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id FROM requirement_tag t JOIN requirement r ON r.id = t.requirement_id
             WHERE r.project_id = ?1 AND r.deleted_at IS NULL AND t.tag = ?2",
        )?;
        let rows = stmt.query_map(params![project, tag], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Applies a patch; returns the requirement as saved. A patch that changes nothing writes nothing.
    pub fn update_requirement(&mut self, id: RequirementId, patch: RequirementPatch) -> Result<Requirement> {
        self.update_requirement_if(id, None, patch)
    }

    /// As [`Store::update_requirement`], but only while the requirement is still at `expected_version`
    /// (checked inside the write, so no other writer can slip in between): otherwise
    /// [`StoreError::Changed`] and nothing is written.
    pub fn update_requirement_if(
        &mut self,
        id: RequirementId,
        expected_version: Option<i64>,
        patch: RequirementPatch,
    ) -> Result<Requirement> {
        let current = self.requirement(id)?;
        if current.deleted_at.is_some() {
            return Err(StoreError::Conflict("that requirement is deleted; `elicit undo` can restore it".into()));
        }
        let p = patch.validated()?;
        let key = id.to_string();
        self.write(Some(current.project_id), |tx| {
            if let Some(expected) = expected_version {
                let (found, project_key): (i64, ProjectKey) = tx.conn().query_row(
                    "SELECT r.version, p.key FROM requirement r JOIN project p ON p.id = r.project_id WHERE r.id = ?1",
                    [&key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                if found != expected {
                    return Err(StoreError::Changed { id: human_id(&project_key, current.seq), expected, found });
                }
            }
            tx.update_requirement(&current, &p).map(drop)
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
}

/// A project's requirement links as read: `(requirement, position, value)` rows of every link table.
#[derive(Default)]
struct LinkRows {
    outcomes: Vec<(RequirementId, i64, OutcomeId)>,
    sources: Vec<(RequirementId, i64, StakeholderId)>,
    tags: Vec<(RequirementId, i64, String)>,
}

/// Each loaded requirement's links, in position order, by the requirement's index in the loaded list.
pub(super) struct Links {
    pub outcomes: Vec<Vec<OutcomeId>>,
    pub sources: Vec<Vec<StakeholderId>>,
    pub tags: Vec<Vec<String>>,
}

/// Requirements in a project from which loading splits over two connections and two cores.
const PARALLEL_FROM: i64 = 20_000;

impl LinkRows {
    /// Reads every link row of `project`'s requirements. When the project holds most of the file's
    /// requirements, whole link tables are read (other projects' rows are dropped when placing): that costs
    /// about half of joining every link row to its owner.
    fn read(conn: &Connection, project: ProjectId, in_project: i64) -> Result<LinkRows> {
        let total: i64 = conn.query_row("SELECT count(*) FROM requirement", [], |r| r.get(0))?;
        let scan = in_project * 2 >= total;
        fn each<V: rusqlite::types::FromSql>(
            conn: &Connection,
            link: Link,
            project: ProjectId,
            scan: bool,
        ) -> Result<Vec<(RequirementId, i64, V)>> {
            let (table, owner, value) = link.table();
            let sql = if scan {
                format!("SELECT {owner}, position, {value} FROM {table}")
            } else {
                format!(
                    "SELECT l.{owner}, l.position, l.{value} FROM {table} l
                     JOIN requirement r ON r.id = l.{owner} WHERE r.project_id = ?1"
                )
            };
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = if scan { stmt.query_map([], row)? } else { stmt.query_map([project], row)? };
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        }
        fn row<V: rusqlite::types::FromSql>(r: &Row<'_>) -> rusqlite::Result<(RequirementId, i64, V)> {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        }
        Ok(LinkRows {
            outcomes: each(conn, Link::Outcomes, project, scan)?,
            sources: each(conn, Link::Sources, project, scan)?,
            tags: each(conn, Link::Tags, project, scan)?,
        })
    }

    /// Places the rows into per-requirement lists for the requirements `ids` lists, in that order.
    fn place(self, ids: impl Iterator<Item = RequirementId>) -> Links {
        let index: HashMap<RequirementId, usize> = ids.enumerate().map(|(i, id)| (id, i)).collect();
        fn by_owner<V>(index: &HashMap<RequirementId, usize>, rows: Vec<(RequirementId, i64, V)>) -> Vec<Vec<V>> {
            let mut lists: Vec<Vec<(i64, V)>> = Vec::new();
            lists.resize_with(index.len(), Vec::new);
            for (owner, position, value) in rows {
                if let Some(&i) = index.get(&owner) {
                    lists[i].push((position, value));
                }
            }
            lists.into_iter().map(by_position).collect()
        }
        Links {
            outcomes: by_owner(&index, self.outcomes),
            sources: by_owner(&index, self.sources),
            tags: by_owner(&index, self.tags),
        }
    }
}

impl Store {
    /// Loads a project's requirement rows with `rows` (which reads them on the connection it is given), the
    /// links of those rows, and whatever `also` reads. A big project is read on two cores: rows on one
    /// connection, links and then `also` on another, both reading the same committed state (see
    /// [`Store::snapshot_pair`]); a small one, or a file that cannot take a second reader now, is read on
    /// this connection alone.
    pub(super) fn with_links<T: Send, U: Send>(
        &self,
        project: ProjectId,
        rows: impl FnOnce(&Connection) -> Result<Vec<T>> + Send,
        id: impl Fn(&T) -> RequirementId,
        also: impl FnOnce(&Connection) -> Result<U> + Send,
    ) -> Result<(Vec<T>, Links, U)> {
        self.with_links_from(PARALLEL_FROM, project, rows, id, also)
    }

    fn with_links_from<T: Send, U: Send>(
        &self,
        parallel_from: i64,
        project: ProjectId,
        rows: impl FnOnce(&Connection) -> Result<Vec<T>> + Send,
        id: impl Fn(&T) -> RequirementId,
        also: impl FnOnce(&Connection) -> Result<U> + Send,
    ) -> Result<(Vec<T>, Links, U)> {
        let in_project: i64 =
            self.conn.query_row("SELECT count(*) FROM requirement WHERE project_id = ?1", [project], |r| r.get(0))?;
        let pair = if in_project >= parallel_from { self.snapshot_pair() } else { None };
        let (loaded, links, more) = match pair {
            Some((a, b)) => std::thread::scope(|scope| {
                let other = scope.spawn(move || -> Result<(LinkRows, U)> {
                    let links = LinkRows::read(&b, project, in_project)?;
                    Ok((links, also(&b)?))
                });
                let loaded = rows(&a);
                let other = other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                let (links, more) = other?;
                Ok::<_, StoreError>((loaded?, links, more))
            })?,
            None => {
                // One read transaction, so rows, links and `also` see one snapshot here too.
                let read = self.conn.unchecked_transaction()?;
                let loaded = (rows(&read)?, LinkRows::read(&read, project, in_project)?, also(&read)?);
                read.commit()?;
                loaded
            }
        };
        let links = links.place(loaded.iter().map(id));
        Ok((loaded, links, more))
    }
}

/// The values of `(position, value)` pairs in position order (stable, as the rows came when positions tie).
fn by_position<T>(mut links: Vec<(i64, T)>) -> Vec<T> {
    links.sort_by_key(|(p, _)| *p);
    links.into_iter().map(|(_, v)| v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewProject, OutcomeFields};

    /// Loads requirement ids with their links, splitting over two connections from `parallel_from` rows.
    fn load(
        store: &Store,
        project: ProjectId,
        parallel_from: i64,
    ) -> Vec<(RequirementId, Vec<OutcomeId>, Vec<String>)> {
        let rows = |c: &Connection| -> Result<Vec<RequirementId>> {
            let mut stmt = c.prepare("SELECT id FROM requirement WHERE project_id = ?1 ORDER BY seq")?;
            Ok(stmt.query_map([project], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
        };
        let (ids, links, ()) = store.with_links_from(parallel_from, project, rows, |id| *id, |_| Ok(())).unwrap();
        ids.into_iter().zip(links.outcomes).zip(links.tags).map(|((id, o), t)| (id, o, t)).collect()
    }

    /// The two-connection load must give exactly what the one-connection load gives, for a project that
    /// shares the file with another (so whole-table link reads must drop the other project's rows), and fall
    /// back to one connection when another writer holds the lock.
    #[test]
    fn loading_on_two_connections_matches_one_and_falls_back_when_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut store = Store::open(&path).unwrap();
        let mut projects = Vec::new();
        for key in ["AA", "BB"] {
            let project =
                store.create_project(NewProject::new(key.parse().unwrap(), format!("Project {key}"))).unwrap();
            let fields = |n: usize| OutcomeFields {
                statement: format!("Outcome {n} of {key}"),
                metric: Metric::Csat,
                baseline: None,
                target: None,
                unit: String::new(),
            };
            let outcomes: Vec<OutcomeId> =
                (0..3).map(|n| store.add_outcome(project.id, fields(n)).unwrap().id).collect();
            for i in 0..12 {
                let new = NewRequirement {
                    title: format!("Requirement {i} of {key}"),
                    outcomes: outcomes.iter().copied().cycle().skip(i).take(i % 3).collect(),
                    tags: (0..i % 4).map(|t| format!("tag{t}")).collect(),
                    ..NewRequirement::default()
                };
                store.add_requirement(project.id, new).unwrap();
            }
            projects.push(project);
        }
        assert!(store.snapshot_pair().is_some(), "a file store can have a snapshot pair");
        for project in &projects {
            let alone = load(&store, project.id, i64::MAX);
            assert_eq!(alone.len(), 12);
            assert!(alone.iter().any(|(_, o, t)| o.len() == 2 && t.len() == 3));
            assert_eq!(load(&store, project.id, 1), alone, "two connections read what one reads");
        }

        let other = Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let asked = std::time::Instant::now();
        assert!(store.snapshot_pair().is_none(), "another writer holds the lock: no pair");
        assert!(asked.elapsed() < std::time::Duration::from_secs(1), "and no waiting for the lock");
        let timeout: i64 = store.conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0)).unwrap();
        assert_eq!(timeout, 5000, "writes wait for other writers again afterwards");
        assert_eq!(load(&store, projects[0].id, 1), load(&store, projects[0].id, i64::MAX));
        other.execute_batch("ROLLBACK").unwrap();
    }
}
