//! Output helpers: formats, terminal-safe tables, JSON and CSV.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::domain::{spreadsheet_safe, terminal_safe};

/// How a listing is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// An array of objects for scripts.
    Json,
    /// One row per item with a header, for spreadsheets.
    Csv,
}

/// `--format` for commands that list things.
#[derive(Debug, Clone, clap::Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Prints rows as aligned columns; every cell is made terminal-safe and long cells are cut at `max` chars.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>], max: usize) -> Result<()> {
    let cells: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(|c| cut(&terminal_safe(c, true), max)).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cols: Vec<&str>| -> String {
        let last = cols.len().saturating_sub(1);
        let mut s = String::new();
        for (i, c) in cols.iter().enumerate() {
            if i == last {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        s.trim_end().to_owned()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &cells {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Prints a value as pretty JSON.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Prints rows as CSV with a header; cells are guarded against formula injection.
pub fn csv(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// Prints rows in the chosen format; `json` is the serialisable form of the same items.
pub fn listing<T: Serialize>(
    out: &mut dyn Write,
    format: Format,
    header: &[&str],
    rows: &[Vec<String>],
    json_items: &[T],
) -> Result<()> {
    match format {
        Format::Table => table(out, header, rows, 80),
        Format::Json => json(out, json_items),
        Format::Csv => csv(out, header, rows),
    }
}
