//! CSV export: one row per requirement with every field, RFC 4180 quoting (the `csv` crate), UTF-8, a header
//! row. List fields (outcomes, sources, tags) are joined with `; `; a name that itself holds `;` or `,`
//! (or starts with `"`) is put in double quotes, inner quotes doubled, as in `"Smith; Jones"; Refunds`
//! (see [`join_list`] and [`split_list`], which CSV and Excel import use). Text a spreadsheet would run as a
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

/// A list cell: the items joined with [`LIST_SEPARATOR`], an item that holds `;` or `,` or starts with `"`
/// in double quotes (inner quotes doubled), so [`split_list`] gives the same items back and a reader in
/// Excel still sees each name whole.
pub fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let item = item.as_ref();
        if i > 0 {
            out.push_str(LIST_SEPARATOR);
        }
        if item.contains([';', ',']) || item.starts_with('"') {
            out.push('"');
            out.push_str(&item.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

/// The items of a list cell as [`join_list`] writes it: split at `;` outside double quotes, each trimmed,
/// empty ones left out. A cell of another tool without quotes (`a; b`, or `Refunds, returns` as one name)
/// reads as it looks.
pub fn split_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut quoted = false;
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                item.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if item.trim().is_empty() => {
                item.clear();
                quoted = true;
            }
            ';' if !quoted => items.push(std::mem::take(&mut item)),
            c => item.push(c),
        }
    }
    items.push(item);
    items.into_iter().map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()).collect()
}

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
        join_list(&d.outcome_statements),
        join_list(&d.source_names),
        d.interview_title.clone().unwrap_or_default(),
        r.channel.map(|c| c.to_string()).unwrap_or_default(),
        r.pain_point.to_string(),
        r.moment_of_truth.to_string(),
        join_list(&r.tags),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_cells_round_trip_names_with_separators() {
        let names = ["Smith; Jones", "Refunds, returns", "\"Quoted\" name", "plain"];
        let cell = join_list(&names);
        assert_eq!(cell, "\"Smith; Jones\"; \"Refunds, returns\"; \"\"\"Quoted\"\" name\"; plain");
        assert_eq!(split_list(&cell), names);
        assert_eq!(split_list("a; b;; c "), ["a", "b", "c"]);
        assert_eq!(split_list("Refunds, returns"), ["Refunds, returns"]);
        assert_eq!(split_list("say \"hi\"; x"), ["say \"hi\"", "x"]);
    }
}
