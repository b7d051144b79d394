//! Conversions between domain values and SQLite values, kept in the store so the domain stays I/O-free.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::*;

macro_rules! text_sql {
    ($($t:ty),+ $(,)?) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.to_string()))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                text.parse::<$t>().map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )+};
}

text_sql!(
    ProjectId,
    StageId,
    OutcomeId,
    StakeholderId,
    InterviewId,
    RequirementId,
    TimeEntryId,
    DraftId,
    ActionId,
    ProjectKey,
    Kind,
    Priority,
    Status,
    Activity,
    Channel,
    Metric,
    InterviewMode,
);

/// A timestamp column, stored as RFC 3339 text with microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ts(pub Timestamp);

impl ToSql for Ts {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(format_timestamp(self.0)))
    }
}

impl FromSql for Ts {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        parse_timestamp(text).map(Ts).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// Reads an optional timestamp column.
pub fn opt_ts(v: Option<Ts>) -> Option<Timestamp> {
    v.map(|t| t.0)
}
