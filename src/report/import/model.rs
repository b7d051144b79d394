//! What the readers hand the rest of the import: the options they read with, the rows they found (with
//! their links still as names), and the problems, each naming its file, line and field. Readers depend on
//! this module only; it depends on no reader.

use std::fmt;

use crate::domain::*;
use crate::report::{ProgressFn, ReportError};

/// How to import.
#[derive(Clone, Default)]
pub struct ImportOptions<'a> {
    /// The file's name as shown in problems (`FILE:LINE: ...`).
    pub file_label: String,
    /// CSV and ReqIF: the project to import into (default: the current one). JSON: only this project of the
    /// backup (default: every project in it).
    pub project_key: Option<String>,
    /// Report what would be imported; write nothing.
    pub dry_run: bool,
    /// Import the valid rows and report the invalid ones, instead of importing nothing.
    pub skip_invalid: bool,
    /// Create stages, outcomes and stakeholders that the file names but the project lacks.
    pub create_missing: bool,
    /// Called as rows are read.
    pub progress: Option<ProgressFn<'a>>,
}

impl ImportOptions<'_> {
    pub(crate) fn tick(&self, done: u64, total: u64) {
        if let Some(p) = self.progress {
            p(done, total);
        }
    }
}

/// One thing wrong with an input file: `FILE:LINE: field: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based line, when the format has lines that mean something.
    pub line: Option<u64>,
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}: {}", self.file, self.field, self.message),
            None => write!(f, "{}: {}: {}", self.file, self.field, self.message),
        }
    }
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    pub dry_run: bool,
    /// CSV and ReqIF: the key of the project imported into.
    pub project: String,
    /// Requirements imported (or that would be).
    pub imported: usize,
    /// The human ids given to them (`CHK-41`), in file order; empty for JSON and dry runs.
    pub ids: Vec<String>,
    /// Why rows were left out with `skip_invalid` (a row can have several problems).
    pub skipped: Vec<Problem>,
    /// How many rows (CSV) or spec-objects (ReqIF) were left out with `skip_invalid`.
    pub skipped_rows: usize,
    /// Everything else worth telling: created stages, ignored columns, rows already present.
    pub notes: Vec<String>,
}

/// The text of a file that must be UTF-8 (a leading byte-order mark is dropped); the error names the line.
pub(crate) fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, ReportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let column = good.len() - good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
        ReportError::Problems(vec![Problem {
            file: file.to_owned(),
            line: Some(line),
            field: "encoding".into(),
            message: format!(
                "the file is not valid UTF-8 (byte 0x{:02X} at column {column}); save it as UTF-8 and try again",
                bytes.get(e.valid_up_to()).copied().unwrap_or(0)
            ),
        }])
    })
}

/// A requirement read from a file, with its links still as names.
#[derive(Debug, Clone, Default)]
pub(crate) struct PendingRequirement {
    pub line: Option<u64>,
    /// Keep this UUID (a requirement from another elicit file), if it is not in this file yet.
    pub uuid: Option<RequirementId>,
    pub new: NewRequirement,
    pub stage: Option<String>,
    /// True when an unknown stage is an error (CSV column); false when it only means "no stage" (ReqIF
    /// chapters, which in other tools' documents are often just document structure).
    pub stage_required: bool,
    pub outcomes: Vec<String>,
    pub sources: Vec<String>,
    pub interview: Option<String>,
    /// How problems name the row besides its line (ReqIF: `spec-object ID`); problems start with it.
    pub label: Option<String>,
    /// The row already has problems (reported by the reader); its names are still checked, so the user
    /// sees every problem at once, but it is never imported.
    pub invalid: bool,
}

/// Rows read from a file: the good ones, the problems, and notes for the summary.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub rows: Vec<PendingRequirement>,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
    /// Descriptions for stages the import creates: (stage name, description), first one per name counts.
    pub stage_descriptions: Vec<(String, String)>,
}

/// A problem with the file as a whole (no line), as the whole import's error.
pub(crate) fn file_problem(file: &str, field: &str, message: String) -> ReportError {
    ReportError::Problems(vec![Problem { file: file.to_owned(), line: None, field: field.into(), message }])
}
