//! CSV import: a header row whose names are matched to fields case-insensitively (spaces, dashes and
//! underscores alike, plus a few common synonyms), then one requirement per row.
//!
//! An `id` column from another tool becomes the requirement's external reference, never elicit's own id.
//! Columns elicit writes but does not read back (`uuid`, `version`, `created_at`, `updated_at`) are ignored
//! quietly; any other unknown column is named in the summary so nothing disappears unnoticed.

use super::model::{ImportOptions, Parsed, PendingRequirement, Problem};
use crate::domain::*;
use crate::report::csv::COLUMNS;
use crate::report::{LIST_SEPARATOR, ReportError};

/// The fields a CSV column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
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
    /// Written by `export`, not read back.
    Ignored,
}

fn field(normalised: &str) -> Option<Field> {
    Some(match normalised {
        "id" | "key" => Field::Id,
        "title" | "name" | "summary" | "requirement" => Field::Title,
        "statement" | "description" | "text" => Field::Statement,
        "kind" | "type" => Field::Kind,
        "priority" | "moscow" => Field::Priority,
        "status" | "state" => Field::Status,
        "stage" | "journey_stage" => Field::Stage,
        "outcomes" | "outcome" => Field::Outcomes,
        "sources" | "source" | "stakeholders" | "stakeholder" => Field::Sources,
        "interview" => Field::Interview,
        "channel" | "touchpoint" => Field::Channel,
        "pain_point" => Field::PainPoint,
        "moment_of_truth" => Field::MomentOfTruth,
        "tags" | "tag" | "labels" => Field::Tags,
        "acceptance" | "acceptance_criteria" => Field::Acceptance,
        "rationale" => Field::Rationale,
        "quote" => Field::Quote,
        "external_ref" | "external_id" | "ref" => Field::ExternalRef,
        "uuid" | "version" | "created_at" | "updated_at" => Field::Ignored,
        _ => return None,
    })
}

fn normalise(header: &str) -> String {
    header.trim().trim_start_matches('\u{feff}').to_lowercase().replace([' ', '-'], "_")
}

/// Splits a list cell (`a; b`) into trimmed, non-empty items.
fn list(cell: &str) -> Vec<String> {
    cell.split(LIST_SEPARATOR.trim()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// An optional enumeration cell: empty means "the default".
fn parse_opt<T: std::str::FromStr<Err = ValidationError>>(cell: &str) -> Result<Option<T>, String> {
    if cell.trim().is_empty() { Ok(None) } else { cell.parse().map(Some).map_err(|e: ValidationError| e.to_string()) }
}

fn boolean(cell: &str) -> Result<bool, String> {
    match cell.trim().to_lowercase().as_str() {
        "" | "false" | "no" | "n" | "0" => Ok(false),
        "true" | "yes" | "y" | "1" | "x" => Ok(true),
        other => Err(format!("{other:?} is not true or false (also accepted: yes/no, 1/0, x)")),
    }
}

/// Reads a CSV file into pending requirements and problems.
pub(super) fn read(text: &str, options: &ImportOptions<'_>) -> Result<Parsed, ReportError> {
    let file = options.file_label.as_str();
    let fatal = |line: u64, field: &str, message: String| {
        ReportError::Problems(vec![Problem { file: file.to_owned(), line: Some(line), field: field.into(), message }])
    };
    if text.trim().is_empty() {
        return Err(fatal(
            1,
            "file",
            "the file is empty; expected a header row such as: title,statement,priority".into(),
        ));
    }
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(fatal(1, "header", e.to_string())),
        None => return Err(fatal(1, "file", "the file is empty; expected a header row".into())),
    };
    let mut fields: Vec<Option<Field>> = Vec::with_capacity(header.len());
    let mut ignored = Vec::new();
    let mut seen: Vec<Field> = Vec::new();
    for name in header.iter() {
        let f = field(&normalise(name));
        match f {
            Some(Field::Ignored) | None => {
                if f.is_none() && !name.trim().is_empty() {
                    ignored.push(name.trim().to_owned());
                }
            }
            Some(f) if seen.contains(&f) => {
                return Err(fatal(1, name.trim(), "this field has two columns; keep one".into()));
            }
            Some(f) => seen.push(f),
        }
        fields.push(f);
    }
    if !seen.contains(&Field::Title) {
        let raw = header.iter().collect::<Vec<_>>().join(",");
        let hint = [(';', "semicolons"), ('\t', "tabs"), ('|', "pipes")]
            .into_iter()
            .find(|(c, _)| header.len() == 1 && raw.contains(*c))
            .map(|(_, name)| {
                format!("; the header looks separated by {name}: elicit reads comma-separated CSV (RFC 4180), save the file with commas")
            })
            .unwrap_or_else(|| format!("; the columns found are: {raw}"));
        return Err(fatal(1, "title", format!("required column missing{hint}")));
    }

    let mut parsed = Parsed::default();
    if !ignored.is_empty() {
        parsed.notes.push(format!(
            "ignored unknown column{}: {} (known columns: {})",
            if ignored.len() == 1 { "" } else { "s" },
            ignored.join(", "),
            COLUMNS.join(", ")
        ));
    }
    let total = text.len() as u64;
    for (i, record) in records.enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                parsed.problems.push(Problem {
                    file: file.into(),
                    line: Some(line),
                    field: "row".into(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(i as u64 + 2, |p| p.line());
        if i % 4096 == 0 {
            options.tick(record.position().map_or(0, |p| p.byte()), total);
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            parsed.problems.push(Problem {
                file: file.into(),
                line: Some(line),
                field: "row".into(),
                message: format!(
                    "the row has {} cells but the header has {}; check for an unquoted comma",
                    record.len(),
                    header.len()
                ),
            });
            continue;
        }
        let before = parsed.problems.len();
        let mut problem = |field: &str, message: String| {
            parsed.problems.push(Problem { file: file.into(), line: Some(line), field: field.into(), message });
        };
        let mut row = PendingRequirement { line: Some(line), stage_required: true, ..PendingRequirement::default() };
        let mut id = String::new();
        for (idx, (f, cell)) in fields.iter().zip(record.iter()).enumerate() {
            let Some(f) = f else { continue };
            // Undo the spreadsheet-safety apostrophe that `export` puts before formula-like text.
            let cell = match cell.strip_prefix('\'') {
                Some(rest) if matches!(rest.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) => rest,
                _ => cell,
            };
            let name = header.get(idx).unwrap_or_default().trim();
            match f {
                Field::Id => id = cell.trim().to_owned(),
                Field::Title => row.new.title = cell.to_owned(),
                Field::Statement => row.new.statement = cell.to_owned(),
                Field::Kind => match parse_opt(cell) {
                    Ok(v) => row.new.kind = v.unwrap_or_default(),
                    Err(e) => problem(name, e),
                },
                Field::Priority => match parse_opt(cell) {
                    Ok(v) => row.new.priority = v.unwrap_or_default(),
                    Err(e) => problem(name, e),
                },
                Field::Status => match parse_opt(cell) {
                    Ok(v) => row.new.status = v.unwrap_or_default(),
                    Err(e) => problem(name, e),
                },
                Field::Channel => match parse_opt(cell) {
                    Ok(v) => row.new.channel = v,
                    Err(e) => problem(name, e),
                },
                Field::Stage => row.stage = Some(cell.trim().to_owned()).filter(|s| !s.is_empty()),
                Field::Outcomes => row.outcomes = list(cell),
                Field::Sources => row.sources = list(cell),
                Field::Interview => row.interview = Some(cell.trim().to_owned()).filter(|s| !s.is_empty()),
                Field::PainPoint => match boolean(cell) {
                    Ok(b) => row.new.pain_point = b,
                    Err(e) => problem(name, e),
                },
                Field::MomentOfTruth => match boolean(cell) {
                    Ok(b) => row.new.moment_of_truth = b,
                    Err(e) => problem(name, e),
                },
                Field::Tags => row.new.tags = list(cell),
                Field::Acceptance => row.new.acceptance = cell.to_owned(),
                Field::Rationale => row.new.rationale = cell.to_owned(),
                Field::Quote => row.new.quote = cell.to_owned(),
                Field::ExternalRef => row.new.external_ref = cell.trim().to_owned(),
                Field::Ignored => {}
            }
        }
        if row.new.external_ref.is_empty() {
            row.new.external_ref = id;
        }
        row.invalid = parsed.problems.len() > before;
        parsed.rows.push(row);
    }
    options.tick(total, total);
    Ok(parsed)
}
