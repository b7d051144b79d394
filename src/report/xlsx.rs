//! Excel export (rust_xlsxwriter): a Requirements sheet (frozen header, autofilter, column widths, wrapped
//! text) plus Outcomes, Stakeholders, Traceability (stage x outcome counts) and Time sheets.
//!
//! The Requirements sheet is written in constant-memory mode (rows streamed to a temporary file), so its
//! strings are stored inline rather than in a shared table; Excel, LibreOffice and calamine read both.
//! Text that a spreadsheet would run as a formula (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return)
//! is written with Excel's quote-prefix cell format, so it stays text and reads back exactly (no `'` in the
//! value, unlike CSV, which has no cell formats). Times are Excel dates (UTC) with a date format. A value
//! longer than a cell holds (32,767 characters) is cut with a note in the cell and a warning naming the
//! requirement, rather than failing the whole workbook.

use std::collections::HashMap;
use std::io::Write;

use std::borrow::Cow;

use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::csv::{COLUMNS, requirement_row};
use super::view::percent;
use super::{ExportOptions, ReportData, ReportError};
use crate::analysis;
use crate::domain::*;

/// Column widths (in characters) of the Requirements sheet, matching [`COLUMNS`].
const WIDTHS: [f64; 22] = [
    10.0, 38.0, 40.0, 60.0, 13.0, 9.0, 12.0, 16.0, 40.0, 24.0, 26.0, 13.0, 10.0, 10.0, 18.0, 50.0, 40.0, 30.0, 14.0,
    8.0, 27.0, 27.0,
];
/// Columns written as numbers, booleans or dates instead of text.
const VERSION: usize = 19;
const PAIN_POINT: usize = 12;
const MOMENT_OF_TRUTH: usize = 13;
const CREATED_AT: usize = 20;
const UPDATED_AT: usize = 21;

struct Formats {
    header: Format,
    text: Format,
    number: Format,
    percent: Format,
    empty: Format,
    time: Format,
    day: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDCE4F2))
            .set_border_bottom(FormatBorder::Thin)
            .set_align(FormatAlign::Top)
            .set_text_wrap(),
        text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        number: Format::new().set_align(FormatAlign::Top),
        percent: Format::new().set_num_format("0%").set_align(FormatAlign::Top),
        empty: Format::new().set_background_color(Color::RGB(0xFDE7E4)).set_align(FormatAlign::Center),
        time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss").set_align(FormatAlign::Top),
        day: Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top),
    }
}

/// The longest text an Excel cell holds.
const MAX_CELL_CHARS: usize = 32_767;

/// `text` as a cell holds it: whole, or cut to [`MAX_CELL_CHARS`] with a note saying so, and then how many
/// characters it had.
fn fit(text: &str) -> (Cow<'_, str>, Option<usize>) {
    // Bytes bound characters from above: most cells are decided without counting.
    if text.len() <= MAX_CELL_CHARS {
        return (Cow::Borrowed(text), None);
    }
    let chars = text.chars().count();
    if chars <= MAX_CELL_CHARS {
        return (Cow::Borrowed(text), None);
    }
    let note = format!(" … [truncated: {chars} characters, see JSON export]");
    let mut out: String = text.chars().take(MAX_CELL_CHARS - note.chars().count()).collect();
    out.push_str(&note);
    (Cow::Owned(out), Some(chars))
}

/// Writes a text cell in `format`: formula-like text with the quote prefix added to it, text too long for a
/// cell cut by [`fit`], with a warning that names `what` (`SHOP-7 tags`).
fn text_cell(
    sheet: &mut Worksheet,
    (row, col): (u32, u16),
    text: &str,
    format: &Format,
    options: &ExportOptions<'_>,
    what: impl FnOnce() -> String,
) -> Result<(), ReportError> {
    let (text, cut) = fit(text);
    if let Some(chars) = cut {
        options.warn(&format!(
            "{}: {chars} characters cut to the {MAX_CELL_CHARS} an Excel cell holds (the cell says so; the JSON export holds it whole)",
            what()
        ));
    }
    if formula_like(&text) {
        sheet.write_string_with_format(row, col, text, &format.clone().set_quote_prefix())?;
    } else {
        sheet.write_string_with_format(row, col, text, format)?;
    }
    Ok(())
}

/// A time as an Excel date (UTC) in `format`; text outside Excel's years 1900-9999.
fn time_cell(sheet: &mut Worksheet, (row, col): (u32, u16), t: Timestamp, format: &Format) -> Result<(), ReportError> {
    match ExcelDateTime::from_timestamp(t.as_second()) {
        Ok(date) => sheet.write_datetime_with_format(row, col, date, format)?,
        Err(_) => sheet.write_string_with_format(row, col, format_timestamp(t), format)?,
    };
    Ok(())
}

/// Ids joined with commas, as many as fit in one cell, then how many more there are.
fn id_list(ids: &[&str]) -> String {
    let mut out = String::new();
    for (i, id) in ids.iter().enumerate() {
        if out.len() + id.len() + 40 > MAX_CELL_CHARS {
            out.push_str(&format!(" and {} more", ids.len() - i));
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(id);
    }
    out
}

/// Writes a header row, freezes it and sets the widths.
fn header(sheet: &mut Worksheet, f: &Formats, names: &[&str], widths: &[f64]) -> Result<(), ReportError> {
    for (c, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &f.header)?;
        sheet.set_column_width(c as u16, widths.get(c).copied().unwrap_or(14.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes the workbook.
pub fn write(data: &ReportData, options: &ExportOptions<'_>, writer: &mut dyn Write) -> Result<(), ReportError> {
    let f = formats();
    let mut book = Workbook::new();
    let total = data.requirements.len() as u64;

    // Constant-memory mode streams the rows to a temporary file as they are written, so 100,000
    // requirements do not sit in memory as cells; it needs rows in order, which is how they come.
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("Requirements")?;
    header(sheet, &f, &COLUMNS, &WIDTHS)?;
    for (i, d) in data.requirements.iter().enumerate() {
        let row = i as u32 + 1;
        let r = &d.requirement;
        for (c, cell) in requirement_row(d).iter().enumerate() {
            let col = c as u16;
            match c {
                VERSION => {
                    sheet.write_number_with_format(row, col, r.version as f64, &f.number)?;
                }
                PAIN_POINT => {
                    sheet.write_boolean_with_format(row, col, r.pain_point, &f.number)?;
                }
                MOMENT_OF_TRUTH => {
                    sheet.write_boolean_with_format(row, col, r.moment_of_truth, &f.number)?;
                }
                CREATED_AT => time_cell(sheet, (row, col), r.created_at, &f.time)?,
                UPDATED_AT => time_cell(sheet, (row, col), r.updated_at, &f.time)?,
                _ if cell.is_empty() => {}
                _ => text_cell(sheet, (row, col), cell, &f.text, options, || format!("{} {}", d.human_id, COLUMNS[c]))?,
            }
        }
        if i % 4096 == 0 {
            options.tick(i as u64, total * 2);
        }
    }
    sheet.autofilter(0, 0, data.requirements.len() as u32, COLUMNS.len() as u16 - 1)?;

    outcomes_sheet(book.add_worksheet(), &f, data, options)?;
    stakeholders_sheet(book.add_worksheet(), &f, data, options)?;
    traceability_sheet(book.add_worksheet(), &f, data, options)?;
    time_sheet(book.add_worksheet(), &f, data)?;

    options.tick(total, total * 2);
    let bytes = book.save_to_buffer()?;
    writer.write_all(&bytes)?;
    writer.flush()?;
    options.tick(total * 2, total * 2);
    Ok(())
}

fn outcomes_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    data: &ReportData,
    options: &ExportOptions<'_>,
) -> Result<(), ReportError> {
    sheet.set_name("Outcomes")?;
    let names = ["statement", "metric", "baseline", "target", "unit", "requirements", "requirement ids"];
    header(sheet, f, &names, &[50.0, 10.0, 10.0, 10.0, 8.0, 13.0, 50.0])?;
    let mut ids: HashMap<OutcomeId, Vec<&str>> = HashMap::new();
    for d in &data.requirements {
        for o in &d.requirement.outcomes {
            ids.entry(*o).or_default().push(&d.human_id);
        }
    }
    for (i, o) in data.outcomes.iter().enumerate() {
        let row = i as u32 + 1;
        let linked = ids.get(&o.id).map(Vec::as_slice).unwrap_or_default();
        let what = || format!("outcome {:?} statement", clean_line(&o.statement));
        text_cell(sheet, (row, 0), &o.statement, &f.text, options, what)?;
        sheet.write_string_with_format(row, 1, o.metric.as_str(), &f.text)?;
        if let Some(b) = o.baseline {
            sheet.write_number_with_format(row, 2, b, &f.number)?;
        }
        if let Some(t) = o.target {
            sheet.write_number_with_format(row, 3, t, &f.number)?;
        }
        text_cell(sheet, (row, 4), &o.unit, &f.text, options, || {
            format!("outcome {:?} unit", clean_line(&o.statement))
        })?;
        if linked.is_empty() {
            sheet.write_number_with_format(row, 5, 0.0, &f.empty)?;
        } else {
            sheet.write_number_with_format(row, 5, linked.len() as f64, &f.number)?;
        }
        sheet.write_string_with_format(row, 6, id_list(linked), &f.text)?;
    }
    sheet.autofilter(0, 0, data.outcomes.len() as u32, names.len() as u16 - 1)?;
    Ok(())
}

fn stakeholders_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    data: &ReportData,
    options: &ExportOptions<'_>,
) -> Result<(), ReportError> {
    sheet.set_name("Stakeholders")?;
    let names = ["name", "role", "department", "organisation", "contact", "interviews", "requirements"];
    header(sheet, f, &names, &[24.0, 26.0, 20.0, 20.0, 28.0, 11.0, 13.0])?;
    let mut interviews: HashMap<StakeholderId, usize> = HashMap::new();
    for i in &data.interviews {
        for s in &i.stakeholders {
            *interviews.entry(*s).or_default() += 1;
        }
    }
    let mut sourced: HashMap<StakeholderId, usize> = HashMap::new();
    for d in &data.requirements {
        for s in &d.requirement.sources {
            *sourced.entry(*s).or_default() += 1;
        }
    }
    for (i, s) in data.stakeholders.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, text) in [&s.name, &s.role, &s.department, &s.organisation, &s.contact].into_iter().enumerate() {
            text_cell(sheet, (row, c as u16), text, &f.text, options, || {
                format!("stakeholder {:?} {}", s.name, names[c])
            })?;
        }
        let heard = interviews.get(&s.id).copied().unwrap_or(0);
        sheet.write_number_with_format(row, 5, heard as f64, if heard == 0 { &f.empty } else { &f.number })?;
        sheet.write_number_with_format(row, 6, sourced.get(&s.id).copied().unwrap_or(0) as f64, &f.number)?;
    }
    sheet.autofilter(0, 0, data.stakeholders.len() as u32, names.len() as u16 - 1)?;
    Ok(())
}

fn traceability_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    data: &ReportData,
    options: &ExportOptions<'_>,
) -> Result<(), ReportError> {
    sheet.set_name("Traceability")?;
    let reqs = data.requirements.iter().map(|d| &d.requirement);
    let matrix = analysis::traceability(&data.stages, &data.outcomes, reqs);
    sheet.write_string_with_format(0, 0, "stage \\ outcome", &f.header)?;
    sheet.set_column_width(0, 24)?;
    for (j, o) in data.outcomes.iter().enumerate() {
        let what = || format!("outcome {:?} statement", clean_line(&o.statement));
        text_cell(sheet, (0, j as u16 + 1), &o.statement, &f.header, options, what)?;
        sheet.set_column_width(j as u16 + 1, 18)?;
    }
    sheet.set_row_height(0, 60)?;
    for (i, s) in data.stages.iter().enumerate() {
        let row = i as u32 + 1;
        text_cell(sheet, (row, 0), &s.name, &f.text, options, || format!("stage {:?}", s.name))?;
        for (j, n) in matrix[i].iter().enumerate() {
            // Empty cells are highlighted: they are the gaps a reader looks for.
            let format = if *n == 0 { &f.empty } else { &f.number };
            sheet.write_number_with_format(row, j as u16 + 1, *n as f64, format)?;
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

fn time_sheet(sheet: &mut Worksheet, f: &Formats, data: &ReportData) -> Result<(), ReportError> {
    sheet.set_name("Time")?;
    header(sheet, f, &["activity", "hours", "share"], &[16.0, 10.0, 10.0, 4.0, 16.0, 20.0, 12.0, 10.0])?;
    let totals = analysis::time_totals(&data.time_entries, data.now);
    let mut row = 1;
    for (a, h) in analysis::hours_by_activity(&data.time_entries, data.now) {
        sheet.write_string_with_format(row, 0, a.as_str(), &f.text)?;
        sheet.write_number_with_format(row, 1, (h * 10.0).round() / 10.0, &f.number)?;
        if totals.total_hours > 0.0 {
            sheet.write_number_with_format(row, 2, h / totals.total_hours, &f.percent)?;
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "total", &f.header)?;
    sheet.write_number_with_format(row, 1, (totals.total_hours * 10.0).round() / 10.0, &f.header)?;
    row += 2;
    let p = &data.project;
    let share = totals.share().map(percent).unwrap_or_else(|| "no time logged".into());
    let verdict = totals.judged(p.target_min, p.target_max).map(analysis::Verdict::describe).unwrap_or_default();
    sheet.write_string_with_format(row, 0, "requirements share", &f.text)?;
    sheet.write_string_with_format(
        row,
        1,
        format!("{share} (target {}-{}) {verdict}", percent(p.target_min), percent(p.target_max)),
        &f.number,
    )?;

    for (c, name) in ["week starting", "requirements hours", "all hours", "share"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16 + 4, *name, &f.header)?;
    }
    for (i, w) in analysis::weekly_shares(&data.time_entries, data.now).iter().enumerate() {
        let row = i as u32 + 1;
        let day = ExcelDateTime::from_ymd(
            u16::try_from(w.week_start.year()).unwrap_or_default(),
            u8::try_from(w.week_start.month()).unwrap_or_default(),
            u8::try_from(w.week_start.day()).unwrap_or_default(),
        );
        match day {
            Ok(day) => sheet.write_datetime_with_format(row, 4, day, &f.day)?,
            Err(_) => sheet.write_string_with_format(row, 4, w.week_start.to_string(), &f.text)?,
        };
        sheet.write_number_with_format(row, 5, (w.totals.requirements_hours * 10.0).round() / 10.0, &f.number)?;
        sheet.write_number_with_format(row, 6, (w.totals.total_hours * 10.0).round() / 10.0, &f.number)?;
        if let Some(s) = w.share() {
            sheet.write_number_with_format(row, 7, s, &f.percent)?;
        }
    }
    Ok(())
}
