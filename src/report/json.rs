//! The JSON backup: every row of a project (or of every project), links, change log and drafts included,
//! with a format version; `import::json` restores it.
//!
//! The file carries no export time, so exporting, restoring into an empty file and exporting again gives the
//! same bytes.

use std::io::{BufWriter, Write};

use serde::{Deserialize, Serialize};

use super::{ExportOptions, ReportError};
use crate::domain::*;
use crate::store::{ProjectRecord, SCHEMA_VERSION, Store};

/// The `format` field of every backup file.
pub const BACKUP_FORMAT: &str = "elicit-backup";
/// The version of the backup layout this build writes and the newest it reads.
pub const BACKUP_FORMAT_VERSION: u32 = 1;
/// The highest requirement number, `next_seq`, version and stage position a backup may hold: more than any
/// project reaches, and so far below `i64::MAX` that counting on from it never overflows (SQLite would store
/// the overflowed number as a real, and every later read of the project would fail).
pub const MAX_COUNTER: i64 = 999_999_999;

/// A backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// Always [`BACKUP_FORMAT`].
    pub format: String,
    /// The backup layout version, [`BACKUP_FORMAT_VERSION`] when written by this build.
    pub format_version: u32,
    /// The database schema version of the file it was taken from (for information).
    pub schema_version: i64,
    /// The projects, with every row.
    pub projects: Vec<ProjectRecord>,
}

/// Writes the backup of `project`, or of every project when `options.all_projects`.
pub fn export(
    store: &Store,
    project: &Project,
    options: &ExportOptions<'_>,
    writer: &mut dyn Write,
) -> Result<(), ReportError> {
    let ids = if options.all_projects { store.all_project_ids()? } else { vec![project.id] };
    let total = ids.len() as u64;
    let mut projects = Vec::with_capacity(ids.len());
    for (i, id) in ids.into_iter().enumerate() {
        options.tick(i as u64, total);
        projects.push(store.project_record(id)?);
    }
    let backup = Backup {
        format: BACKUP_FORMAT.into(),
        format_version: BACKUP_FORMAT_VERSION,
        schema_version: SCHEMA_VERSION,
        projects,
    };
    let mut out = BufWriter::with_capacity(1 << 16, writer);
    serde_json::to_writer_pretty(&mut out, &backup)?;
    out.write_all(b"\n")?;
    out.flush()?;
    options.tick(total, total);
    Ok(())
}
