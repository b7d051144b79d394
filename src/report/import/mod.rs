//! Import: the entry point that hands a file to its reader (`csv` and `xlsx`, which share `table` and the
//! default mapping in `columns`; `reqif`; or the JSON backup) and the rows read to the shared writer
//! (`write`), which matches them to existing requirements (`matching`). The readers and the writer meet
//! only in `model`, so no reader imports another or the entry point.
//!
//! All or nothing by default: every row is checked first and any problem aborts the import with the full
//! list, before anything is written. `skip_invalid` imports the valid rows and reports the others;
//! `dry_run` reports what would happen and writes nothing.

mod columns;
mod csv;
mod json;
mod markup;
mod matching;
pub(super) mod model;
mod reqif;
mod table;
mod write;
mod xhtml;
mod xlsx;

use std::io::Read;

pub use columns::help as table_help;
use model::utf8;
pub use model::{ImportOptions, ImportSummary, MAX_CHANGES_LISTED, Problem, RowChange};
use write::write_rows;

use super::ReportError;
use crate::store::Store;

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// An Excel workbook (.xlsx): one sheet with a header row.
    Xlsx,
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

/// [`import_mapped`] reading from `input`: a CSV file is read as a stream, so memory does not grow with it;
/// the other formats are read whole first.
pub fn import_from<'a>(
    store: &mut Store,
    format: ImportFormat,
    mut input: impl Read + 'a,
    options: &ImportOptions<'a>,
    map: &[(String, String)],
) -> Result<ImportSummary, ReportError> {
    if format == ImportFormat::Csv {
        check_map(format, options, map)?;
        let project = store.resolve_project(options.project_key.as_deref())?;
        let parsed = csv::read(Box::new(input), options)?;
        return write_rows(store, &project, parsed, options);
    }
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    import_mapped(store, format, &bytes, options, map)
}

/// `--map` is for ReqIF; `--map-column`, `--map-value` and `--sheet` for tables.
fn check_map(format: ImportFormat, options: &ImportOptions<'_>, map: &[(String, String)]) -> Result<(), ReportError> {
    let problem = |field: &str, message: String| {
        Err(ReportError::Problems(vec![Problem {
            file: options.file_label.clone(),
            line: None,
            field: field.into(),
            message,
        }]))
    };
    if let (Some((attribute, _)), ImportFormat::Csv | ImportFormat::Xlsx | ImportFormat::Json) = (map.first(), format) {
        return problem(
            "--map",
            format!("--map {attribute}=... is for ReqIF attributes; for CSV and Excel columns use --map-column"),
        );
    }
    let table = matches!(format, ImportFormat::Csv | ImportFormat::Xlsx);
    if !table && (!options.map_columns.is_empty() || !options.map_values.is_empty()) {
        let flag = if options.map_columns.is_empty() { "--map-value" } else { "--map-column" };
        return problem(flag, format!("{flag} is for CSV and Excel files; this is not one"));
    }
    if format != ImportFormat::Xlsx && options.sheet.is_some() {
        return problem("--sheet", "--sheet is for Excel workbooks; this is not one".into());
    }
    Ok(())
}

/// [`import`] with `--map ATTRIBUTE=FIELD` pairs: ReqIF attributes (by LONG-NAME or IDENTIFIER) read into the
/// field named (title, statement, id, prefix, heading, rationale, acceptance, quote, tags, kind, priority,
/// status, note, ignore). An unknown field, or an attribute the file does not have, is a problem.
pub fn import_mapped<'a>(
    store: &mut Store,
    format: ImportFormat,
    bytes: &'a [u8],
    options: &ImportOptions<'a>,
    map: &[(String, String)],
) -> Result<ImportSummary, ReportError> {
    check_map(format, options, map)?;
    match format {
        ImportFormat::Json => json::import(store, utf8(bytes, &options.file_label)?, options),
        ImportFormat::Csv => {
            let project = store.resolve_project(options.project_key.as_deref())?;
            let parsed = csv::read(Box::new(bytes), options)?;
            write_rows(store, &project, parsed, options)
        }
        ImportFormat::Xlsx => {
            let project = store.resolve_project(options.project_key.as_deref())?;
            let parsed = xlsx::read(bytes.to_vec(), options)?;
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
