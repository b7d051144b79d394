//! Conversions between domain values and SQLite values, kept in the store so the domain stays I/O-free.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::*;

/// Reads a value stored as its text form through its `FromStr`.
macro_rules! from_text_sql {
    ($($t:ty),+) => {$(
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                text.parse::<$t>().map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )+};
}

/// Identifiers bind their text form.
macro_rules! text_sql {
    ($($t:ty),+ $(,)?) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.to_string()))
            }
        }
        from_text_sql!($t);
    )+};
}

/// Enumerations bind their static text: no allocation per value, which counts in bulk imports.
macro_rules! enum_sql {
    ($($t:ty),+ $(,)?) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_str().as_bytes())))
            }
        }
        from_text_sql!($t);
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
    ConfirmationId,
    ActionId,
    ProjectKey
);
enum_sql!(Kind, Priority, Status, Activity, Channel, Metric, InterviewMode, Verdict);

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
