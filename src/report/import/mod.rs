//! Import: the entry point that hands a file to its reader (`csv`, `reqif`, or the JSON backup) and the
//! rows read to the shared writer (`write`). The readers and the writer meet only in `model`, so no reader
//! imports another or the entry point.
//!
//! All or nothing by default: every row is checked first and any problem aborts the import with the full
//! list, before anything is written. `skip_invalid` imports the valid rows and reports the others;
//! `dry_run` reports what would happen and writes nothing.

mod csv;
mod json;
pub(super) mod model;
mod reqif;
mod write;

use model::utf8;
pub use model::{ImportOptions, ImportSummary, Problem};
use write::write_rows;

use super::ReportError;
use crate::store::Store;

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// An elicit JSON backup.
    Json,
    /// ReqIF 1.x XML.
    Reqif,
}

/// Imports `bytes` (the whole file) in `format`.
pub fn import(
    store: &mut Store,
    format: ImportFormat,
    bytes: &[u8],
    options: &ImportOptions<'_>,
) -> Result<ImportSummary, ReportError> {
    import_mapped(store, format, bytes, options, &[])
}

/// [`import`] with `--map ATTRIBUTE=FIELD` pairs: ReqIF attributes (by LONG-NAME or IDENTIFIER) read into the
/// field named (title, statement, id, prefix, heading, rationale, acceptance, quote, tags, kind, priority,
/// status, note, ignore). An unknown field, or an attribute the file does not have, is a problem.
pub fn import_mapped(
    store: &mut Store,
    format: ImportFormat,
    bytes: &[u8],
    options: &ImportOptions<'_>,
    map: &[(String, String)],
) -> Result<ImportSummary, ReportError> {
    if let (Some((attribute, _)), ImportFormat::Csv | ImportFormat::Json) = (map.first(), format) {
        return Err(ReportError::Problems(vec![Problem {
            file: options.file_label.clone(),
            line: None,
            field: "--map".into(),
            message: format!("--map {attribute}=... is for ReqIF attributes; this is not a ReqIF import"),
        }]));
    }
    match format {
        ImportFormat::Json => json::import(store, utf8(bytes, &options.file_label)?, options),
        ImportFormat::Csv => {
            let text = utf8(bytes, &options.file_label)?;
            let project = store.resolve_project(options.project_key.as_deref())?;
            let parsed = csv::read(text, options)?;
            write_rows(store, &project, parsed, options)
        }
        ImportFormat::Reqif => {
            // A .reqifz is a zip archive, not text: the reader looks at the bytes first.
            let project = store.resolve_project(options.project_key.as_deref())?;
            let parsed = reqif::read(bytes, options, map)?;
            write_rows(store, &project, parsed, options)
        }
    }
}
