//! Output helpers: formats, terminal-safe tables, JSON and CSV.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::domain::{fit, pad, spreadsheet_safe, terminal_safe, text_width};

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

/// The file an `-o/--output FILE` names, or `None` for standard output: no `-o` at all, or `-o -` as
/// every shell tool spells it. Every command with an output file reads its path through here.
pub fn output_file(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| p.as_os_str() != "-")
}

/// Refuses to send `what` (a binary format such as xlsx) to standard output when that is a terminal,
/// where it would only garble the screen; a pipe or a redirect (`> file`, `| ssh ...`) is fine. `example`
/// is the command line that writes it to a file instead.
pub fn refuse_binary_on_terminal(what: &str, example: &str) -> Result<()> {
    if std::io::stdout().is_terminal() {
        bail!("cannot write {what} to a terminal (it is binary); write it to a file, e.g. `{example}`, or pipe it");
    }
    Ok(())
}

/// Prints rows as aligned columns; every cell is made terminal-safe and long cells are cut at `max`
/// columns, marked "…". Columns are aligned by display width, so wide characters keep them straight.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>], max: usize) -> Result<()> {
    let cells: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(|c| fit(&terminal_safe(c, true), max)).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| text_width(h)).collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(text_width(c));
        }
    }
    let line = |cols: Vec<&str>| -> String {
        let last = cols.len().saturating_sub(1);
        let mut s = String::new();
        for (i, c) in cols.iter().enumerate() {
            if i == last {
                s.push_str(c);
            } else {
                s.push_str(&pad(c, widths[i]));
                s.push_str("  ");
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

/// Standard output when it is a terminal: text from the database or an import passes through
/// [`terminal_safe`] on its way, so no stored escape sequence (a window title, a clipboard write, a screen
/// clear) or bidi control can act on the user's terminal, whichever command printed it.
pub struct TerminalSafe<W: Write> {
    inner: W,
    /// The start of a UTF-8 sequence whose last bytes arrive with the next write.
    pending: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        TerminalSafe { inner, pending: Vec::new() }
    }

    fn pass(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(bytes);
        self.inner.write_all(terminal_safe(&text, false).as_bytes())
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        // Keep an incomplete character at the end for the next write; anything else goes out now.
        let complete = match std::str::from_utf8(&bytes) {
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            _ => bytes.len(),
        };
        self.pass(&bytes[..complete])?;
        self.pending = bytes[complete..].to_vec();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() {
            self.pass(&pending)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_never_reach_the_terminal_even_split_across_writes() {
        let mut out = Vec::new();
        {
            let mut safe = TerminalSafe::new(&mut out);
            safe.write_all(b"Stage \x1b]0;PWNED\x07 and \x1b]52;c;aGk=\x07 \xe2\x80").unwrap();
            // The rest of U+202E (a bidi override) and of an accented letter arrive in the next write.
            safe.write_all(b"\xaeevil\xe2\x80\xac caf\xc3").unwrap();
            safe.write_all(b"\xa9\n\tend\r\n").unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "Stage ]0;PWNED and ]52;c;aGk= evil café\n\tend\n");
    }
}
