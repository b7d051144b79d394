//! The requirements report and interchange: export to HTML, Markdown, CSV, Excel, JSON and ReqIF, and import
//! from CSV, JSON and ReqIF.
//!
//! Every exporter reads one [`ReportData`] (loaded once, in a fixed number of queries) and writes to any
//! `io::Write`, so the CLI, the TUI and tests share one code path. The report formats (HTML, Markdown) also
//! share one view model, [`ReportView`], so both always hold the same sections and the same numbers.
//! Importers check a whole file first and report every problem as `FILE:LINE: field: what is wrong`; only a
//! file without problems (or with `skip_invalid`) is written, as one transaction.

mod chunks;
mod csv;
mod data;
mod html;
mod import;
mod json;
mod markdown;
mod quality;
pub mod readback;
mod reqif;
mod signoff;
mod template;
mod view;
mod xlsx;

use std::fmt;
use std::io::Write;
use std::str::FromStr;

pub use self::csv::{COLUMNS as CSV_COLUMNS, join_list, requirement_row, split_list};
pub use data::ReportData;
pub use import::{
    ImportFormat, ImportOptions, ImportSummary, MAX_CHANGES_LISTED, Problem, RowChange, import, import_from,
    import_mapped, table_help,
};
pub use json::{BACKUP_FORMAT, BACKUP_FORMAT_VERSION, Backup};
pub use view::ReportView;

use crate::domain::*;
use crate::store::{Store, StoreError};

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One self-contained HTML file: inline CSS and SVG, prints well.
    Html,
    /// The same report as GitHub-flavoured Markdown.
    Markdown,
    /// One row per requirement with every field.
    Csv,
    /// An Excel workbook: requirements, outcomes, stakeholders, traceability and time sheets.
    Xlsx,
    /// The lossless backup of a project (or of every project).
    Json,
    /// ReqIF 1.2 XML for DOORS, Polarion, Jama, StrictDoc and other requirements tools.
    Reqif,
    /// The same ReqIF zipped (`.reqifz`), the archive most tools exchange.
    Reqifz,
}

impl ExportFormat {
    /// Every format, in the order the help lists them.
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Html,
        ExportFormat::Markdown,
        ExportFormat::Csv,
        ExportFormat::Xlsx,
        ExportFormat::Json,
        ExportFormat::Reqif,
        ExportFormat::Reqifz,
    ];

    /// The name users type (`--format md`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Html => "html",
            ExportFormat::Markdown => "md",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
            ExportFormat::Reqif => "reqif",
            ExportFormat::Reqifz => "reqifz",
        }
    }

    /// True for formats that are not text and must go to a file, never to a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, ExportFormat::Xlsx | ExportFormat::Reqifz)
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        let alias = match s.as_str() {
            "markdown" => "md",
            "excel" => "xlsx",
            "htm" => "html",
            other => other,
        };
        ExportFormat::ALL.into_iter().find(|f| f.as_str() == alias).ok_or_else(|| {
            ValidationError::new(format!(
                "unknown export format {s:?}; valid values: html, md, csv, xlsx, json, reqif, reqifz"
            ))
        })
    }
}

/// Reports how far a long export or import has got: `(done, total)`.
pub type ProgressFn<'a> = &'a dyn Fn(u64, u64);

/// What to export and how.
#[derive(Clone, Default)]
pub struct ExportOptions<'a> {
    /// Only requirements with one of these statuses (all when empty).
    pub statuses: Vec<Status>,
    /// Only requirements in one of these stages (all when empty).
    pub stages: Vec<StageId>,
    /// Who the report is by, for the cover.
    pub author: String,
    /// "Now" for the cover date and for running timers; the store's clock when `None`.
    pub now: Option<Timestamp>,
    /// JSON only: back up every project in the file, not just `project`.
    pub all_projects: bool,
    /// Called as the export proceeds.
    pub progress: Option<ProgressFn<'a>>,
    /// CSV only: start with a UTF-8 byte-order mark, for Excel on Windows.
    pub bom: bool,
    /// Called with each warning about what the file could not hold as it is (an XLSX cell cut to Excel's
    /// limit, naming the requirement); the export goes on.
    pub warn: Option<&'a dyn Fn(&str)>,
}

impl fmt::Debug for ExportOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportOptions")
            .field("statuses", &self.statuses)
            .field("stages", &self.stages)
            .field("author", &self.author)
            .field("now", &self.now)
            .field("all_projects", &self.all_projects)
            .field("bom", &self.bom)
            .finish_non_exhaustive()
    }
}

impl ExportOptions<'_> {
    /// Passes a warning to [`ExportOptions::warn`], if anyone listens.
    pub fn warn(&self, warning: &str) {
        if let Some(warn) = self.warn {
            warn(warning);
        }
    }

    /// True when a status or stage filter narrows the requirements.
    pub fn is_filtered(&self) -> bool {
        !self.statuses.is_empty() || !self.stages.is_empty()
    }

    pub(crate) fn tick(&self, done: u64, total: u64) {
        if let Some(p) = self.progress {
            p(done, total);
        }
    }
}

/// Anything that can go wrong exporting or importing. Wrapped errors stay as their source, so a caller
/// (or the top level's cause chain) can ask what went wrong underneath; the message is readable text.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading or writing the database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the output (or reading the input) failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The options do not fit the format.
    #[error("{0}")]
    Invalid(String),
    /// A template lacks what the renderer needs (a bug: the templates are part of the binary).
    #[error("the report template failed: {0}")]
    Template(String),
    /// A template failed to render (a bug: the templates are part of the binary).
    #[error("the report template failed: {0:#}")]
    Render(#[from] minijinja::Error),
    /// The Excel writer failed.
    #[error("cannot write the Excel workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The CSV writer or reader failed other than on I/O.
    #[error("{0}")]
    Csv(#[source] ::csv::Error),
    /// JSON could not be written or read other than on I/O.
    #[error("{0}")]
    Json(#[source] serde_json::Error),
    /// The input file has problems; nothing was written.
    #[error("{}", problems_text(.0))]
    Problems(Vec<Problem>),
}

fn problems_text(problems: &[Problem]) -> String {
    let mut s = format!(
        "the file has {} problem{}; nothing was imported",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push('\n');
        s.push_str(&p.to_string());
    }
    s
}

impl From<::csv::Error> for ReportError {
    fn from(e: ::csv::Error) -> Self {
        // An I/O error stays one, so a closed pipe is still recognised as such.
        if !e.is_io_error() {
            return ReportError::Csv(e);
        }
        match e.into_kind() {
            ::csv::ErrorKind::Io(io) => ReportError::Io(io),
            // Not reached: `is_io_error` means the kind is `Io`.
            _ => ReportError::Invalid("the CSV writer failed".into()),
        }
    }
}

impl From<serde_json::Error> for ReportError {
    fn from(e: serde_json::Error) -> Self {
        match e.io_error_kind() {
            Some(kind) => ReportError::Io(std::io::Error::new(kind, e.to_string())),
            None => ReportError::Json(e),
        }
    }
}

/// Exports `project` in `format` to `writer`: the entry point for every front end.
///
/// Filters apply to the report and table formats; the JSON backup is always whole (it is a backup) and
/// refuses them rather than silently ignoring them.
pub fn export(
    store: &Store,
    project: &Project,
    format: ExportFormat,
    options: &ExportOptions<'_>,
    writer: &mut dyn Write,
) -> Result<(), ReportError> {
    if options.bom && format != ExportFormat::Csv {
        return Err(ReportError::Invalid("--bom applies only to CSV (--format csv)".into()));
    }
    if format == ExportFormat::Json {
        if options.is_filtered() {
            return Err(ReportError::Invalid(
                "--status and --stage do not apply to the JSON backup, which always holds the whole project".into(),
            ));
        }
        return json::export(store, project, options, writer);
    }
    if options.all_projects {
        return Err(ReportError::Invalid("--all applies only to the JSON backup (--format json)".into()));
    }
    let data = ReportData::load(store, project, options)?;
    match format {
        ExportFormat::Html => html::write(&data, writer),
        ExportFormat::Markdown => markdown::write(&data, writer),
        ExportFormat::Csv => csv::write(&data, options, writer),
        ExportFormat::Xlsx => xlsx::write(&data, options, writer),
        ExportFormat::Reqif => reqif::write(&data, options, writer),
        ExportFormat::Reqifz => reqif::write_zipped(&data, options, writer),
        ExportFormat::Json => Ok(()),
    }
}

/// Exports to a file without ever destroying data: the open database and its companion files are
/// refused; a regular file is replaced only once the export is complete (a full disk or a bad filter never
/// leaves half a file or destroys the previous one), keeping its permissions; a new file is private to its
/// owner; a device such as `/dev/null` is written to, never replaced (see [`crate::files`]).
pub fn export_to_file(
    store: &Store,
    project: &Project,
    format: ExportFormat,
    options: &ExportOptions<'_>,
    path: &std::path::Path,
) -> Result<(), ReportError> {
    crate::files::refuse_database(path, store.path())?;
    crate::files::write_replacing(path, crate::files::Privacy::Private, |out| {
        export(store, project, format, options, out)
    })
}

/// A file name for exporting `project` in `format` on `date`: `SHOP-report-2026-11-23.html`.
pub fn proposed_file_name(project: &Project, format: ExportFormat, date: jiff::civil::Date) -> String {
    let what = match format {
        ExportFormat::Html | ExportFormat::Markdown => "report",
        ExportFormat::Json => "backup",
        ExportFormat::Csv | ExportFormat::Xlsx | ExportFormat::Reqif | ExportFormat::Reqifz => "requirements",
    };
    format!("{}-{what}-{date}.{}", project.key, format.extension())
}

/// Joins list cells the way CSV and XLSX write them, and CSV import splits them.
pub const LIST_SEPARATOR: &str = "; ";

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    /// A CSV error that is not I/O reads as csv's own message (no Debug text) and keeps the error as its
    /// source; an I/O one stays an I/O error of the same kind.
    #[test]
    fn report_errors_keep_their_sources_and_read_well() {
        let mut reader = ::csv::ReaderBuilder::new().from_reader("a,b\n1\n".as_bytes());
        let bad = reader.records().find_map(|r| r.err()).unwrap();
        let e = ReportError::from(bad);
        assert!(matches!(e, ReportError::Csv(_)), "{e:?}");
        assert!(e.source().is_some());
        let text = e.to_string();
        assert!(text.contains("found record with 1 field") && !text.contains("UnequalLengths"), "{text}");

        let pipe = ::csv::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(matches!(ReportError::from(pipe), ReportError::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe));

        let json = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let e = ReportError::from(json);
        assert!(matches!(e, ReportError::Json(_)) && e.source().is_some(), "{e:?}");
        assert!(e.to_string().contains("EOF while parsing"), "{e}");

        let template = minijinja::Environment::new().render_str("{{ x.y.z }}", ()).unwrap_err();
        let e = ReportError::from(template);
        assert!(e.source().is_some() && e.to_string().starts_with("the report template failed: "), "{e}");
    }
}
