//! CSV export: one row per requirement with every field, RFC 4180 quoting (the `csv` crate), UTF-8, a header
//! row. List fields (outcomes, sources, tags) are joined with `; `. Text a spreadsheet would run as a
//! formula is neutralised with a leading `'` (see [`crate::domain::spreadsheet_safe`]).

use std::io::Write;

use super::{ExportOptions, LIST_SEPARATOR, ReportData, ReportError};
use crate::domain::*;

/// The columns of a requirement row, in order; CSV import reads the same names.
pub const COLUMNS: [&str; 22] = [
    "id",
    "uuid",
    "title",
    "statement",
    "kind",
    "priority",
    "status",
    "stage",
    "outcomes",
    "sources",
    "interview",
    "channel",
    "pain_point",
    "moment_of_truth",
    "tags",
    "acceptance",
    "rationale",
    "quote",
    "external_ref",
    "version",
    "created_at",
    "updated_at",
];

/// One requirement as the cells of [`COLUMNS`], unescaped.
pub fn requirement_row(d: &RequirementDetails) -> [String; 22] {
    let r = &d.requirement;
    [
        d.human_id.clone(),
        r.id.to_string(),
        r.title.clone(),
        r.statement.clone(),
        r.kind.to_string(),
        r.priority.to_string(),
        r.status.to_string(),
        d.stage_name.clone().unwrap_or_default(),
        d.outcome_statements.join(LIST_SEPARATOR),
        d.source_names.join(LIST_SEPARATOR),
        d.interview_title.clone().unwrap_or_default(),
        r.channel.map(|c| c.to_string()).unwrap_or_default(),
        r.pain_point.to_string(),
        r.moment_of_truth.to_string(),
        r.tags.join(LIST_SEPARATOR),
        r.acceptance.clone(),
        r.rationale.clone(),
        r.quote.clone(),
        r.external_ref.clone(),
        r.version.to_string(),
        format_timestamp(r.created_at),
        format_timestamp(r.updated_at),
    ]
}

/// Writes the CSV export.
pub fn write(data: &ReportData, options: &ExportOptions<'_>, writer: &mut dyn Write) -> Result<(), ReportError> {
    if options.bom {
        // Excel on Windows reads a CSV without one in the ANSI code page, garbling every non-ASCII letter.
        writer.write_all("\u{feff}".as_bytes())?;
    }
    let mut header = ::csv::Writer::from_writer(Vec::new());
    header.write_record(COLUMNS)?;
    writer.write_all(&header.into_inner().map_err(|e| e.into_error())?)?;
    let rows = |chunk: &[RequirementDetails], buf: &mut Vec<u8>| -> Result<(), ReportError> {
        let mut w = ::csv::Writer::from_writer(buf);
        for d in chunk {
            let row = requirement_row(d);
            let cells = row.each_ref().map(|c| spreadsheet_safe(c));
            w.write_record(cells.iter().map(|c| c.as_bytes()))?;
        }
        w.flush()?;
        Ok(())
    };
    let total = data.requirements.len() as u64;
    super::chunks::write_ordered(&data.requirements, writer, &rows, &mut |n| options.tick(n as u64, total))?;
    writer.flush()?;
    options.tick(total, total);
    Ok(())
}
