//! Import: the entry point, the problem list, and the shared second half of CSV and ReqIF import (resolving
//! stage, outcome and stakeholder names, creating missing ones on request, and writing in one transaction).
//!
//! All or nothing by default: every row is checked first and any problem aborts the import with the full
//! list, before anything is written. `skip_invalid` imports the valid rows and reports the others;
//! `dry_run` reports what would happen and writes nothing.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::{ProgressFn, ReportError, csv_import, json, reqif_import};
use crate::domain::*;
use crate::store::{OutcomeFields, StakeholderFields, Store};

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// An elicit JSON backup.
    Json,
    /// ReqIF 1.x XML.
    Reqif,
}

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

/// Imports `bytes` (the whole file) in `format`.
pub fn import(
    store: &mut Store,
    format: ImportFormat,
    bytes: &[u8],
    options: &ImportOptions<'_>,
) -> Result<ImportSummary, ReportError> {
    import_mapped(store, format, bytes, options, &[])
}

/// [`import`] with `--map ATTRIBUTE=FIELD` pairs: ReqIF attributes (by LONG-NAME or IDENTIFIER) read into the
/// field named (title, statement, id, prefix, heading, rationale, acceptance, quote, tags, kind, priority,
/// status, note, ignore). An unknown field, or an attribute the file does not have, is a problem.
pub fn import_mapped(
    store: &mut Store,
    format: ImportFormat,
    bytes: &[u8],
    options: &ImportOptions<'_>,
    map: &[(String, String)],
) -> Result<ImportSummary, ReportError> {
    if let (Some((attribute, _)), ImportFormat::Csv | ImportFormat::Json) = (map.first(), format) {
        return Err(ReportError::Problems(vec![Problem {
            file: options.file_label.clone(),
            line: None,
            field: "--map".into(),
            message: format!("--map {attribute}=... is for ReqIF attributes; this is not a ReqIF import"),
        }]));
    }
    match format {
        ImportFormat::Json => json::import(store, utf8(bytes, &options.file_label)?, options),
        ImportFormat::Csv => {
            let text = utf8(bytes, &options.file_label)?;
            let project = store.resolve_project(options.project_key.as_deref())?;
            let parsed = csv_import::read(text, options)?;
            write_rows(store, &project, parsed, options)
        }
        ImportFormat::Reqif => {
            // A .reqifz is a zip archive, not text: the reader looks at the bytes first.
            let project = store.resolve_project(options.project_key.as_deref())?;
            let parsed = reqif_import::read(bytes, options, map)?;
            write_rows(store, &project, parsed, options)
        }
    }
}

/// The text of a file that must be UTF-8 (a leading byte-order mark is dropped); the error names the line.
pub(super) fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, ReportError> {
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
pub(super) struct PendingRequirement {
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
pub(super) struct Parsed {
    pub rows: Vec<PendingRequirement>,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
    /// Descriptions for stages the import creates: (stage name, description), first one per name counts.
    pub stage_descriptions: Vec<(String, String)>,
}

/// Looks names up case-insensitively; remembers which unknown names were asked for.
struct Names<T> {
    known: HashMap<String, T>,
    listing: String,
}

impl<T: Copy> Names<T> {
    fn new(items: impl Iterator<Item = (String, T)>) -> Self {
        let items: Vec<(String, T)> = items.collect();
        let listing = if items.is_empty() {
            "none yet".to_owned()
        } else {
            items.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join("; ")
        };
        Names { known: items.into_iter().map(|(n, id)| (n.trim().to_lowercase(), id)).collect(), listing }
    }

    fn get(&self, name: &str) -> Option<T> {
        self.known.get(&name.trim().to_lowercase()).copied()
    }
}

/// The field a validation message is about: the messages start with the field's name.
fn field_of(message: &str) -> &'static str {
    const FIELDS: [(&str, &str); 8] = [
        ("title", "title"),
        ("statement", "statement"),
        ("acceptance", "acceptance"),
        ("rationale", "rationale"),
        ("quote", "quote"),
        ("external reference", "external_ref"),
        ("a tag", "tags"),
        ("tag", "tags"),
    ];
    FIELDS.iter().find(|(prefix, _)| message.starts_with(prefix)).map_or("requirement", |(_, f)| f)
}

/// Resolves names, applies `create_missing`, and writes the rows as one action (one undo step).
fn write_rows(
    store: &mut Store,
    project: &Project,
    mut parsed: Parsed,
    options: &ImportOptions<'_>,
) -> Result<ImportSummary, ReportError> {
    let file = options.file_label.clone();
    let stages = Names::new(store.stages(project.id)?.into_iter().map(|s| (s.name, s.id)));
    let outcomes = Names::new(store.outcomes(project.id)?.into_iter().map(|o| (o.statement, o.id)));
    let people = Names::new(store.stakeholders(project.id)?.into_iter().map(|s| (s.name, s.id)));
    let interviews = Names::new(store.interviews(project.id)?.into_iter().map(|i| (i.title, i.id)));
    let existing = store.existing_requirements(&parsed.rows.iter().filter_map(|r| r.uuid).collect::<Vec<_>>())?;

    // Names to create, first spelling kept, in file order.
    let mut new_stages: Vec<String> = Vec::new();
    let mut new_outcomes: Vec<String> = Vec::new();
    let mut new_people: Vec<String> = Vec::new();
    // The lower-case names already in those lists, so each row checks its names in constant time.
    let mut seen_names: [HashSet<String>; 3] = Default::default();
    let mut unplaced_chapters: HashSet<String> = HashSet::new();
    let mut unknown_interviews: HashSet<String> = HashSet::new();
    let mut already_present = 0;
    let mut skipped_rows = 0;

    let mut rows = Vec::with_capacity(parsed.rows.len());
    for mut row in parsed.rows {
        if row.uuid.is_some_and(|u| existing.contains(&u)) {
            already_present += 1;
            continue;
        }
        let mut problems = Vec::new();
        // Names this row would create; only kept if the row itself is imported.
        let mut wants: Vec<(usize, String)> = Vec::new();
        let label = row.label.clone();
        let labelled = |message: String| match &label {
            Some(l) => format!("{l}: {message}"),
            None => message,
        };
        let mut problem = |field: &str, message: String| {
            problems.push(Problem {
                file: file.clone(),
                line: row.line,
                field: field.into(),
                message: labelled(message),
            })
        };
        if let Some(s) = row.stage.as_deref().filter(|s| !s.trim().is_empty())
            && stages.get(s).is_none()
        {
            if options.create_missing {
                if let Err(e) = required_line("stage name", s, MAX_NAME_CHARS) {
                    problem("stage", e.to_string());
                }
                wants.push((0, s.to_owned()));
            } else if row.stage_required {
                problem(
                    "stage",
                    format!("unknown stage {s:?}; stages: {}; --create-missing creates it", stages.listing),
                );
            } else {
                unplaced_chapters.insert(s.trim().to_owned());
            }
        }
        for o in &row.outcomes {
            if outcomes.get(o).is_none() {
                if options.create_missing {
                    if let Err(e) = required_line("outcome statement", o, MAX_TITLE_CHARS) {
                        problem("outcomes", e.to_string());
                    }
                    wants.push((1, o.clone()));
                } else {
                    problem(
                        "outcomes",
                        format!("unknown outcome {o:?}; outcomes: {}; --create-missing creates it", outcomes.listing),
                    );
                }
            }
        }
        for s in &row.sources {
            if people.get(s).is_none() {
                if options.create_missing {
                    if let Err(e) = required_line("stakeholder name", s, MAX_NAME_CHARS) {
                        problem("sources", e.to_string());
                    }
                    wants.push((2, s.clone()));
                } else {
                    problem(
                        "sources",
                        format!(
                            "unknown stakeholder {s:?}; stakeholders: {}; --create-missing creates them",
                            people.listing
                        ),
                    );
                }
            }
        }
        if let Some(i) = row.interview.as_deref().filter(|i| !i.trim().is_empty() && interviews.get(i).is_none()) {
            unknown_interviews.insert(i.trim().to_owned());
        }
        // The row's text is moved, not copied: nothing below reads `row.new` again.
        match std::mem::take(&mut row.new).validated() {
            Ok(new) if problems.is_empty() && !row.invalid => {
                for (kind, name) in wants {
                    let list = match kind {
                        0 => &mut new_stages,
                        1 => &mut new_outcomes,
                        _ => &mut new_people,
                    };
                    if seen_names[kind].insert(name.trim().to_lowercase()) {
                        list.push(name.trim().to_owned());
                    }
                }
                rows.push(PendingRequirement { new, ..row })
            }
            Ok(_) => {
                skipped_rows += 1;
                parsed.problems.append(&mut problems);
            }
            Err(e) => {
                skipped_rows += 1;
                parsed.problems.append(&mut problems);
                let message = e.to_string();
                parsed.problems.push(Problem {
                    file: file.clone(),
                    line: row.line,
                    field: field_of(&message).into(),
                    message: labelled(message),
                });
            }
        }
    }
    parsed.problems.sort_by_key(|p| p.line);

    let mut summary = ImportSummary {
        dry_run: options.dry_run,
        project: project.key.to_string(),
        notes: parsed.notes,
        ..ImportSummary::default()
    };
    if !parsed.problems.is_empty() {
        if !options.skip_invalid {
            return Err(ReportError::Problems(parsed.problems));
        }
        // Rows with problems never reached `rows`, so what is left is exactly the valid ones.
        summary.skipped = parsed.problems;
        summary.skipped_rows = skipped_rows;
    }
    let verb = if options.dry_run { "would create" } else { "created" };
    for (what, list) in [("stage", &new_stages), ("outcome", &new_outcomes), ("stakeholder", &new_people)] {
        if !list.is_empty() {
            summary.notes.push(format!("{verb} {what}{}: {}", if list.len() == 1 { "" } else { "s" }, list.join("; ")));
        }
    }
    if !unplaced_chapters.is_empty() {
        let mut c: Vec<String> = unplaced_chapters.into_iter().collect();
        c.sort();
        summary.notes.push(format!(
            "chapters that are not journey stages of {} (their requirements have no stage; --create-missing makes them stages): {}",
            project.key,
            c.join("; ")
        ));
    }
    if !unknown_interviews.is_empty() {
        let mut c: Vec<String> = unknown_interviews.into_iter().collect();
        c.sort();
        summary.notes.push(format!("interviews not in this project, left unlinked: {}", c.join("; ")));
    }
    if already_present > 0 {
        summary.notes.push(format!(
            "{already_present} requirement{} already in this file (same UUID), left as they are",
            if already_present == 1 { " is" } else { "s are" }
        ));
    }
    summary.imported = rows.len();
    if options.dry_run || rows.is_empty() {
        return Ok(summary);
    }

    let project_id = project.id;
    let create = options.create_missing;
    let mut descriptions: HashMap<String, String> = HashMap::new();
    for (name, text) in parsed.stage_descriptions {
        descriptions.entry(name.trim().to_lowercase()).or_insert(text);
    }
    let written = store.write_bulk(Some(project_id), |tx| {
        let mut stage_ids: HashMap<String, StageId> = stages.known.clone();
        let mut outcome_ids: HashMap<String, OutcomeId> = outcomes.known.clone();
        let mut people_ids: HashMap<String, StakeholderId> = people.known.clone();
        if create {
            for name in &new_stages {
                let description = descriptions.get(&name.to_lowercase()).map_or("", String::as_str);
                stage_ids.insert(name.to_lowercase(), tx.insert_stage(project_id, name, description)?);
            }
            for statement in &new_outcomes {
                let fields = OutcomeFields {
                    statement: statement.clone(),
                    metric: Metric::Custom,
                    baseline: None,
                    target: None,
                    unit: String::new(),
                };
                outcome_ids.insert(statement.to_lowercase(), tx.insert_outcome(project_id, fields)?);
            }
            for name in &new_people {
                let fields = StakeholderFields { name: name.clone(), ..StakeholderFields::default() };
                people_ids.insert(name.to_lowercase(), tx.insert_stakeholder(project_id, fields)?);
            }
        }
        let key = |s: &str| s.trim().to_lowercase();
        let items: Vec<(Option<RequirementId>, NewRequirement)> = rows
            .into_iter()
            .map(|r| {
                let mut new = r.new;
                new.stage = r.stage.as_deref().and_then(|s| stage_ids.get(&key(s)).copied());
                new.outcomes = r.outcomes.iter().filter_map(|o| outcome_ids.get(&key(o)).copied()).collect();
                new.sources = r.sources.iter().filter_map(|s| people_ids.get(&key(s)).copied()).collect();
                new.interview = r.interview.as_deref().and_then(|i| interviews.get(i));
                // Names were matched ignoring case, so two spellings can name one row: keep it once.
                let mut seen = HashSet::new();
                new.outcomes.retain(|o| seen.insert(o.0));
                let mut seen = HashSet::new();
                new.sources.retain(|s| seen.insert(s.0));
                (r.uuid, new)
            })
            .collect();
        tx.import_requirements(project_id, &items)
    })?;
    summary.ids = written.iter().map(|(_, seq)| human_id(&project.key, *seq)).collect();
    Ok(summary)
}
