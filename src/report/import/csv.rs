//! CSV import: RFC 4180 (the `csv` crate) read as a stream, a header row resolved by `table`, then one
//! requirement per row, so a file of a million rows is never held whole.
//!
//! Line numbers are those an editor shows, for LF and CRLF files alike: records end at `\n` only (a `\r`
//! before it is dropped from the last cell), so the reader counts every line once. A quote that is never
//! closed swallows the rest of the file; the reader watches the quoting itself and reports the line the
//! quote opened on.

use std::io::Read;

use super::model::{ImportOptions, Parsed, Problem};
use super::table::{self, TableRows};
use crate::report::ReportError;

/// Reads the header now and the rows as they are asked for.
pub(super) fn read<'a>(input: Box<dyn Read + 'a>, options: &ImportOptions<'a>) -> Result<Parsed<'a>, ReportError> {
    let file = options.file_label.clone();
    let fatal = |line: u64, field: &str, message: String| {
        ReportError::Problems(vec![Problem { file: file.clone(), line: Some(line), field: field.into(), message }])
    };
    let quotes = std::rc::Rc::new(std::cell::Cell::new(Quotes::default()));
    let watched = Watch { inner: input, quotes: quotes.clone() };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_reader(watched);
    let mut record = ::csv::ByteRecord::new();
    let empty = "the file is empty; expected a header row such as: title,statement,priority";
    let header = match reader.read_byte_record(&mut record) {
        Ok(true) => cells(&record, 1, &file)?,
        Ok(false) => return Err(fatal(1, "file", empty.into())),
        Err(e) => return Err(fatal(1, "header", e.to_string())),
    };
    if header.iter().all(|h| h.trim().is_empty()) && reader.is_done() {
        return Err(fatal(1, "file", empty.into()));
    }
    let mut notes = Vec::new();
    let layout = table::layout(&header, options, &mut notes)?;
    let records =
        Records { reader, record, quotes, file, progress: options.progress, total: options.input_len, rows: 0 };
    Ok(Parsed {
        rows: Box::new(TableRows::new(layout, records)),
        problems: Vec::new(),
        notes,
        stage_descriptions: Vec::new(),
    })
}

/// The cells of a record as text, each checked for UTF-8; a `\r` that ended the line is not a cell's.
fn cells(record: &::csv::ByteRecord, line: u64, file: &str) -> Result<Vec<String>, ReportError> {
    let n = record.len();
    let mut out = Vec::with_capacity(n);
    // Where the cell starts on its line: exact for cells without quotes, which is where bad bytes hide.
    let mut column = 1;
    for (i, cell) in record.iter().enumerate() {
        let cell = if i + 1 == n { cell.strip_suffix(b"\r").unwrap_or(cell) } else { cell };
        match std::str::from_utf8(cell) {
            Ok(text) => {
                column += cell.len() + 1;
                out.push(text.to_owned());
            }
            Err(e) => {
                return Err(ReportError::Problems(vec![Problem {
                    file: file.to_owned(),
                    line: Some(line),
                    field: "encoding".into(),
                    message: format!(
                        "the file is not valid UTF-8 (byte 0x{:02X} at column {}); save it as UTF-8 and try again",
                        cell.get(e.valid_up_to()).copied().unwrap_or(0),
                        column + e.valid_up_to()
                    ),
                }]));
            }
        }
    }
    Ok(out)
}

/// The quoting state of the bytes read so far, kept beside the CSV parser (which ends an unclosed quote at
/// the end of the file without a word).
#[derive(Debug, Clone, Copy)]
struct Quotes {
    line: u64,
    /// At the start of a cell, where a `"` opens a quoted cell.
    cell_start: bool,
    /// Inside a quoted cell: the line it opened on.
    open: Option<u64>,
    /// Inside a quoted cell, just after a `"`: the quote closes unless a second `"` follows.
    after_quote: bool,
}

impl Default for Quotes {
    fn default() -> Self {
        Quotes { line: 1, cell_start: true, open: None, after_quote: false }
    }
}

impl Quotes {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.open.is_some() {
                if self.after_quote {
                    self.after_quote = false;
                    if b == b'"' {
                        continue;
                    }
                    self.open = None;
                    self.unquoted(b);
                } else if b == b'"' {
                    self.after_quote = true;
                } else if b == b'\n' {
                    self.line += 1;
                }
            } else {
                self.unquoted(b);
            }
        }
    }

    fn unquoted(&mut self, b: u8) {
        match b {
            b'"' if self.cell_start => {
                self.open = Some(self.line);
                self.cell_start = false;
            }
            b',' => self.cell_start = true,
            b'\n' => {
                self.line += 1;
                self.cell_start = true;
            }
            // A byte-order mark or the `\r` of a CRLF does not start a cell's text.
            b'\r' | 0xEF | 0xBB | 0xBF if self.cell_start && (b == b'\r' || self.line == 1) => {}
            _ => self.cell_start = false,
        }
    }

    /// The line of a quote still open at the end of the file.
    fn unclosed(&self) -> Option<u64> {
        self.open.filter(|_| !self.after_quote)
    }
}

/// The input, with its quoting watched as the parser reads it.
struct Watch<R> {
    inner: R,
    quotes: std::rc::Rc<std::cell::Cell<Quotes>>,
}

impl<R: Read> Read for Watch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut q = self.quotes.get();
        q.feed(&buf[..n]);
        self.quotes.set(q);
        Ok(n)
    }
}

/// The records of a CSV file, read on demand, as (line, cells) or the problems of a record.
struct Records<'a> {
    reader: ::csv::Reader<Watch<Box<dyn Read + 'a>>>,
    record: ::csv::ByteRecord,
    quotes: std::rc::Rc<std::cell::Cell<Quotes>>,
    file: String,
    progress: Option<crate::report::ProgressFn<'a>>,
    /// The file's size, for progress (0: unknown, no progress).
    total: u64,
    rows: u64,
}

impl Records<'_> {
    fn problem(&self, line: u64, message: String) -> Vec<Problem> {
        vec![Problem { file: self.file.clone(), line: Some(line), field: "row".into(), message }]
    }
}

impl Iterator for Records<'_> {
    type Item = Result<(u64, Vec<String>), Vec<Problem>>;

    fn next(&mut self) -> Option<Self::Item> {
        let read = self.reader.read_byte_record(&mut self.record);
        self.rows += 1;
        if let Some(tick) = self.progress.filter(|_| self.total > 0 && self.rows.is_multiple_of(4096)) {
            tick(self.reader.position().byte().min(self.total), self.total);
        }
        if self.reader.is_done()
            && let Some(open) = self.quotes.get().unclosed()
        {
            // Report it once: the parser has nothing more to give.
            self.quotes.set(Quotes::default());
            return Some(Err(self.problem(
                open,
                "a quoted cell starts on this line and is never closed (a \" is missing); everything after it \
                 was read as that one cell"
                    .into(),
            )));
        }
        match read {
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                Some(match cells(&self.record, line, &self.file) {
                    Ok(cells) => Ok((line, cells)),
                    Err(ReportError::Problems(p)) => Err(p),
                    Err(e) => Err(self.problem(line, e.to_string())),
                })
            }
            Ok(false) => {
                if let Some(tick) = self.progress.filter(|_| self.total > 0) {
                    tick(self.total, self.total);
                }
                None
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                Some(Err(self.problem(line, e.to_string())))
            }
        }
    }
}
