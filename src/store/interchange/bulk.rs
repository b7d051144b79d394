//! The fast path for importing many new requirements: multi-row inserts with the references checked once.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, ToSql, params};

use crate::domain::*;
use crate::store::columns::COLUMNS;
use crate::store::{CREATED, Entity, Result, StoreError, Tx};

impl Tx<'_> {
    /// Adds many validated requirements to `project` as part of this action, fast: multi-row inserts, one
    /// read and one update of the project's counter, and one change-log row per requirement (its creation,
    /// which is all undo needs to take the import back). Every stage, interview, outcome and stakeholder the
    /// items name must be a live row of the project; that is checked here, once per distinct id, so this is
    /// safe inside [`crate::store::Store::write_bulk`] where SQLite does not check references row by row. `ids` gives a
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewProject, OutcomeFields, Store};

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
