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
    /// Add every row as a new requirement, even one that matches an existing requirement (by id, UUID or
    /// external reference), instead of updating the match.
    pub as_new: bool,
    /// CSV and Excel: `--map-column FROM=TO` pairs: the column FROM (its header, any case) fills the field
    /// TO, over the default mapping (`ignore` leaves it out, `note` keeps it in the rationale).
    pub map_columns: Vec<(String, String)>,
    /// CSV and Excel: `--map-value FIELD:FROM=TO` triples: in FIELD (kind, priority or status), the cell
    /// value FROM (any case) means the elicit value TO, over the default vocabulary.
    pub map_values: Vec<(String, String, String)>,
    /// Excel: the sheet to read (default: the first).
    pub sheet: Option<String>,
    /// The input's size in bytes, when known: a CSV file read as a stream reports progress by it.
    pub input_len: u64,
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
    /// Requirements added (or that would be).
    pub imported: usize,
    /// The first and last human id given to them (`CHK-41`, `CHK-90`); none for JSON and dry runs.
    pub id_range: Option<(String, String)>,
    /// Existing requirements that rows matched and changed (or would change).
    pub updated: usize,
    /// Existing requirements that rows matched, where nothing differed.
    pub unchanged: usize,
    /// The changes of the first [`MAX_CHANGES_LISTED`] updated requirements, field by field.
    pub changes: Vec<RowChange>,
    /// Why rows were left out with `skip_invalid` (a row can have several problems).
    pub skipped: Vec<Problem>,
    /// How many rows (CSV) or spec-objects (ReqIF) were left out with `skip_invalid`.
    pub skipped_rows: usize,
    /// Everything else worth telling: created stages, ignored columns, rows already present.
    pub notes: Vec<String>,
}

/// How many updated requirements a summary lists field by field; the rest are counted.
pub const MAX_CHANGES_LISTED: usize = 1000;

/// What a re-import changes in one existing requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowChange {
    /// The requirement's human id (`SHOP-7`).
    pub id: String,
    /// How the row matched it: `id`, `UUID` or `external reference`.
    pub matched_by: &'static str,
    /// `(field, old value, new value)`, values as the CSV export writes them.
    pub fields: Vec<(&'static str, String, String)>,
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
    /// The requirement's human id as the file gives it (`SHOP-7`: an `id` column, a ReqIF `ForeignID`), to
    /// find the requirement it updates.
    pub human_id: Option<String>,
    /// The human id is another tool's key when it matches nothing (a CSV `id` column): it becomes the
    /// external reference of a new row.
    pub id_is_reference: bool,
    /// The fields the file gives for this row: a re-import compares and changes only these.
    pub provided: Provided,
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

/// A requirement field a file can give (the target of a column or attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Title,
    Statement,
    Kind,
    Priority,
    Status,
    Stage,
    Outcomes,
    Sources,
    Interview,
    Channel,
    PainPoint,
    MomentOfTruth,
    Tags,
    Acceptance,
    Rationale,
    Quote,
    ExternalRef,
}

impl Target {
    /// Every field, in the order of elicit's CSV columns.
    pub const ALL: [Target; 17] = [
        Target::Title,
        Target::Statement,
        Target::Kind,
        Target::Priority,
        Target::Status,
        Target::Stage,
        Target::Outcomes,
        Target::Sources,
        Target::Interview,
        Target::Channel,
        Target::PainPoint,
        Target::MomentOfTruth,
        Target::Tags,
        Target::Acceptance,
        Target::Rationale,
        Target::Quote,
        Target::ExternalRef,
    ];

    /// The field's name: elicit's CSV column, and what `--map-column` and the change listing call it.
    pub fn name(self) -> &'static str {
        match self {
            Target::Title => "title",
            Target::Statement => "statement",
            Target::Kind => "kind",
            Target::Priority => "priority",
            Target::Status => "status",
            Target::Stage => "stage",
            Target::Outcomes => "outcomes",
            Target::Sources => "sources",
            Target::Interview => "interview",
            Target::Channel => "channel",
            Target::PainPoint => "pain_point",
            Target::MomentOfTruth => "moment_of_truth",
            Target::Tags => "tags",
            Target::Acceptance => "acceptance",
            Target::Rationale => "rationale",
            Target::Quote => "quote",
            Target::ExternalRef => "external_ref",
        }
    }
}

/// A set of [`Target`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Provided(u32);

impl Provided {
    /// Every field (a file of elicit's own that holds them all).
    pub fn all() -> Provided {
        Target::ALL.iter().fold(Provided::default(), |p, t| p.with(*t))
    }

    pub fn with(self, t: Target) -> Provided {
        Provided(self.0 | 1 << t as u32)
    }

    pub fn has(self, t: Target) -> bool {
        self.0 & (1 << t as u32) != 0
    }
}

/// What a reader hands the writer, in file order: a row, or a problem of the row that follows it (a row
/// with problems comes marked `invalid`, so its names are still checked).
#[derive(Debug)]
pub(crate) enum Item {
    Row(Box<PendingRequirement>),
    Problem(Problem),
    /// A line for the summary that is known only once every row is read.
    Note(String),
}

/// Rows read from a file: the rows as they are read (so a large file is never held whole), the problems
/// found before them, and notes for the summary.
pub(crate) struct Parsed<'a> {
    pub rows: Box<dyn Iterator<Item = Item> + 'a>,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
    /// Descriptions for stages the import creates: (stage name, description), first one per name counts.
    pub stage_descriptions: Vec<(String, String)>,
}

impl Default for Parsed<'_> {
    fn default() -> Self {
        Parsed {
            rows: Box::new(std::iter::empty()),
            problems: Vec::new(),
            notes: Vec::new(),
            stage_descriptions: Vec::new(),
        }
    }
}

/// One line of at most [`MAX_TITLE_CHARS`] from the first line of `text` (no-break spaces as spaces), and
/// whether that left text out: the title of a row that has none. A long line is cut at a word boundary
/// near the limit when there is one, and ends with `…`.
pub(crate) fn one_line(text: &str) -> (String, bool) {
    let mut all = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = all.next().unwrap_or_default();
    let first = if first.contains('\u{a0}') { clean_line(&first.replace('\u{a0}', " ")) } else { clean_line(first) };
    let more = all.next().is_some();
    if first.chars().count() <= MAX_TITLE_CHARS {
        return (first, more);
    }
    let mut cut: String = first.chars().take(MAX_TITLE_CHARS - 1).collect();
    // Cut at the last space of the final fifth, so the title does not end mid-word.
    if let Some(space) = cut.rfind(' ').filter(|i| cut[..*i].chars().count() > MAX_TITLE_CHARS * 4 / 5) {
        cut.truncate(space);
    }
    cut.push('…');
    (cut, true)
}

/// A problem with the file as a whole (no line), as the whole import's error.
pub(crate) fn file_problem(file: &str, field: &str, message: String) -> ReportError {
    ReportError::Problems(vec![Problem { file: file.to_owned(), line: None, field: field.into(), message }])
}
