//! Excel import (`.xlsx`, read with calamine): the first sheet, or the one `--sheet` names, read as a CSV
//! file would be, by the same mapping (`table`). Problems name the sheet's row numbers as Excel shows them.
//!
//! Cells that are not text are written as a person would type them: whole numbers without `.0`, dates as
//! `2026-12-01` (with ` 14:30` when they have a time of day), booleans as `true`/`false`, an error cell as
//! its code (`#N/A`).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::model::{ImportOptions, Parsed, file_problem};
use super::table::{self, TableRows};
use crate::report::ReportError;

/// Reads the sheet; its header at once, its rows as they are asked for.
pub(super) fn read<'a>(bytes: Vec<u8>, options: &ImportOptions<'_>) -> Result<Parsed<'a>, ReportError> {
    let file = options.file_label.as_str();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| file_problem(file, "xlsx", format!("not an Excel workbook that can be read (.xlsx): {e}")))?;
    let names = book.sheet_names();
    let sheet = match &options.sheet {
        Some(wanted) => names.iter().find(|n| n.eq_ignore_ascii_case(wanted.trim())).cloned().ok_or_else(|| {
            file_problem(
                file,
                "--sheet",
                format!("the workbook has no sheet {wanted:?}; its sheets: {}", names.join(", ")),
            )
        })?,
        None => {
            names.first().cloned().ok_or_else(|| file_problem(file, "xlsx", "the workbook has no sheets".into()))?
        }
    };
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| file_problem(file, "xlsx", format!("cannot read sheet {sheet:?}: {e}")))?;
    let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
    let mut rows = range.rows();
    let header: Vec<String> = match rows.next() {
        Some(cells) => cells.iter().map(text).collect(),
        None => {
            return Err(file_problem(
                file,
                "file",
                format!("sheet {sheet:?} is empty; expected a header row such as: title, statement, priority"),
            ));
        }
    };
    let mut notes = vec![format!(
        "read sheet {sheet:?}{}",
        if names.len() > 1 { format!(" of {}", names.len()) } else { String::new() }
    )];
    let layout = table::layout(&header, options, &mut notes)?;
    // calamine holds the sheet in memory already; its rows become requirements one at a time.
    let body: Vec<Vec<String>> = rows.map(|cells| cells.iter().map(text).collect()).collect();
    drop(range);
    let cells = body.into_iter().enumerate().map(move |(i, cells)| Ok((first_row + i as u64 + 2, cells)));
    Ok(Parsed {
        rows: Box::new(TableRows::new(layout, cells)),
        problems: Vec::new(),
        notes,
        stage_descriptions: Vec::new(),
    })
}

/// A cell as the text a person would type for it.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}")
            }
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}
