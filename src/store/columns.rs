//! The requirement row's columns, said once. Every read of a requirement selects [`COLUMNS`] and maps the
//! row with [`requirement`]; the inserts of whole rows bind their values in [`NAMES`]' order; undo writes
//! back only the [`EDITABLE`] ones. A new column is added here (and in a migration), not in every query.
//! The one other read, the interactive list's compact row ([`SUMMARY_COLUMNS`], [`summary`]), is here too.

use std::sync::LazyLock;

use rusqlite::Row;

use super::sql::{Ts, opt_ts};
use crate::domain::{Requirement, RequirementSummary};

/// Every column of `requirement`, in the order [`requirement`] reads them: first the row's identity and
/// bookkeeping, which only the store sets, then the columns an edit may change.
pub(super) const NAMES: [&str; 21] = [
    "id",
    "project_id",
    "seq",
    "version",
    "created_at",
    "updated_at",
    "title",
    "statement",
    "kind",
    "priority",
    "status",
    "stage_id",
    "interview_id",
    "channel",
    "pain_point",
    "moment_of_truth",
    "acceptance",
    "rationale",
    "quote",
    "external_ref",
    "deleted_at",
];

/// Where the edited columns start in [`NAMES`].
const FIRST_EDITABLE: usize = 6;

/// The columns an edit may change and a change-log row may name (so undo may write them back).
pub(super) const EDITABLE: &[&str] = NAMES.split_at(FIRST_EDITABLE).1;

/// Positions in [`NAMES`] of the timestamps, which a lossless backup reads as their stored text.
pub(super) const CREATED_AT: usize = 4;
pub(super) const UPDATED_AT: usize = 5;
pub(super) const DELETED_AT: usize = 20;

/// [`NAMES`] as a select list, unqualified so it serves `FROM requirement` and `FROM requirement r` alike.
pub(super) static COLUMNS: LazyLock<String> = LazyLock::new(|| NAMES.join(", "));

/// `?1, ?2, ... ?21`: the values of an insert that binds every column in [`NAMES`]' order.
pub(super) static PLACEHOLDERS: LazyLock<String> =
    LazyLock::new(|| (1..=NAMES.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", "));

/// Maps a row selected with [`COLUMNS`]; the links are left empty for the caller to fill.
pub(super) fn requirement(r: &Row<'_>) -> rusqlite::Result<Requirement> {
    Ok(Requirement {
        id: r.get(0)?,
        project_id: r.get(1)?,
        seq: r.get(2)?,
        version: r.get(3)?,
        created_at: r.get::<_, Ts>(CREATED_AT)?.0,
        updated_at: r.get::<_, Ts>(UPDATED_AT)?.0,
        title: r.get(6)?,
        statement: r.get(7)?,
        kind: r.get(8)?,
        priority: r.get(9)?,
        status: r.get(10)?,
        stage: r.get(11)?,
        interview: r.get(12)?,
        channel: r.get(13)?,
        pain_point: r.get(14)?,
        moment_of_truth: r.get(15)?,
        acceptance: r.get(16)?,
        rationale: r.get(17)?,
        quote: r.get(18)?,
        external_ref: r.get(19)?,
        deleted_at: opt_ts(r.get(DELETED_AT)?),
        outcomes: Vec::new(),
        sources: Vec::new(),
        tags: Vec::new(),
    })
}

/// The columns of the interactive list's compact row. Only these, not [`COLUMNS`]: the long texts
/// (acceptance, rationale, quote) are left in the file, and no link is read per row, which is what keeps a
/// 100,000-row list fast to load; callers join links loaded once for the whole project.
pub(super) const SUMMARY_COLUMNS: &str =
    "id, seq, title, statement, stage_id, priority, status, pain_point, moment_of_truth, version";

/// Maps a row selected with [`SUMMARY_COLUMNS`]; the first outcome is left for the caller to join.
pub(super) fn summary(r: &Row<'_>) -> rusqlite::Result<RequirementSummary> {
    Ok(RequirementSummary {
        id: r.get(0)?,
        seq: r.get(1)?,
        title: r.get(2)?,
        statement: r.get(3)?,
        stage: r.get(4)?,
        outcome: None,
        outcome_count: 0,
        priority: r.get(5)?,
        status: r.get(6)?,
        pain_point: r.get(7)?,
        moment_of_truth: r.get(8)?,
        version: r.get(9)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// The list must name every column the migrations create, once, or a new column would be silently
    /// dropped by backups and never read.
    #[test]
    fn the_column_list_is_the_table() {
        let store = Store::open_in_memory().unwrap();
        let mut stmt = store.conn.prepare("SELECT name FROM pragma_table_info('requirement') ORDER BY name").unwrap();
        let mut table: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|n| n.unwrap()).collect();
        table.sort();
        let mut ours: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
        ours.sort();
        assert_eq!(ours, table);
        assert_eq!(
            [NAMES[CREATED_AT], NAMES[UPDATED_AT], NAMES[DELETED_AT]],
            ["created_at", "updated_at", "deleted_at"]
        );
        assert!(!EDITABLE.contains(&"version") && EDITABLE.contains(&"title"));
        for name in SUMMARY_COLUMNS.split(", ") {
            assert!(NAMES.contains(&name), "the compact row reads {name}, which is no column");
        }
    }
}
