//! The shared half of CSV and Excel import: a header row resolved to fields (`--map-column`, then the
//! default table in `columns`), and each row of cells made a pending requirement.
//!
//! Cells from another tool's file are cleaned on the way: HTML (Azure DevOps) and Jira's wiki markup become
//! plain text, values of kind, priority and status are read through `--map-value` and the default
//! vocabularies (a value none of them knows is a problem that names the `--map-value` to fix it), and a row
//! without a title takes the first line of its statement. Columns no rule maps are kept as `Column: value`
//! lines at the end of the rationale, as the ReqIF importer keeps attributes, and named in the summary. A
//! file with a `uuid` column is elicit's own export: its cells are taken as written.

use std::collections::HashSet;

use super::columns::{Column, default_column, default_value, normalise};
use super::markup::jira_to_text;
use super::model::{ImportOptions, Item, PendingRequirement, Problem, Provided, Target, one_line};
use super::xhtml::{html_to_text, looks_like_html};
use crate::domain::*;
use crate::report::ReportError;
use crate::report::csv::split_list;

/// A header row resolved.
pub(super) struct Layout {
    headers: Vec<String>,
    columns: Vec<Option<Column>>,
    /// elicit's own export (it has a `uuid` column).
    ours: bool,
    /// Jira's export (an `Issue key` or `Issue Type` column): text cells hold wiki markup.
    jira: bool,
    provided: Provided,
    values: Vec<(Target, String, String)>,
    file: String,
    /// How the default vocabularies turned the file's values into elicit's, and how often: the summary
    /// says so ("priority: High → must (3)").
    converted: std::cell::RefCell<Vec<(Target, String, &'static str, usize)>>,
}

/// Resolves a header row; the notes say what was mapped to what.
pub(super) fn layout(
    header: &[String],
    options: &ImportOptions<'_>,
    notes: &mut Vec<String>,
) -> Result<Layout, ReportError> {
    let file = options.file_label.clone();
    let fatal = |field: &str, message: String| {
        ReportError::Problems(vec![Problem { file: file.clone(), line: Some(1), field: field.into(), message }])
    };
    let mut overrides: Vec<(String, Column, bool)> = Vec::new();
    for (from, to) in &options.map_columns {
        let column = Column::parse(to).ok_or_else(|| {
            let fields: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
            fatal(
                "--map-column",
                format!(
                    "{to:?} is not a field; fields: {}, id, uuid, note (kept in the rationale), ignore",
                    fields.join(", ")
                ),
            )
        })?;
        overrides.push((normalise(from), column, false));
    }
    let mut values = Vec::new();
    for (field, from, to) in &options.map_values {
        let target = match Column::parse(field) {
            Some(Column::Field(t @ (Target::Kind | Target::Priority | Target::Status | Target::Channel))) => t,
            _ => {
                return Err(fatal(
                    "--map-value",
                    format!("{field:?}: values can be mapped for kind, priority, status and channel"),
                ));
            }
        };
        let valid = match target {
            Target::Kind => to.parse::<Kind>().map(drop),
            Target::Priority => to.parse::<Priority>().map(drop),
            Target::Status => to.parse::<Status>().map(drop),
            _ => to.parse::<Channel>().map(drop),
        };
        valid.map_err(|e| fatal("--map-value", e.to_string()))?;
        values.push((target, normalise(from), to.clone()));
    }

    let headers: Vec<String> =
        header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_owned()).collect();
    let mut columns = Vec::with_capacity(headers.len());
    for name in &headers {
        let n = normalise(name);
        let column = match overrides.iter_mut().find(|(from, _, _)| *from == n) {
            Some((_, c, used)) => {
                *used = true;
                Some(*c)
            }
            None if name.is_empty() => None,
            None => Some(default_column(name).unwrap_or(Column::Note)),
        };
        columns.push(column);
    }
    if let Some((from, _, _)) = overrides.iter().find(|(_, _, used)| !used) {
        return Err(fatal(
            "--map-column",
            format!("the file has no column {from:?}; its columns: {}", headers.join(", ")),
        ));
    }
    let has = |c: Column| columns.contains(&Some(c));
    if !has(Column::Field(Target::Title)) && !has(Column::Field(Target::Statement)) {
        let raw = headers.join(",");
        let hint = [(';', "semicolons"), ('\t', "tabs"), ('|', "pipes")]
            .into_iter()
            .find(|(c, _)| headers.len() == 1 && raw.contains(*c))
            .map(|(_, name)| {
                format!("; the header looks separated by {name}: elicit reads comma-separated CSV (RFC 4180), save the file with commas")
            })
            .unwrap_or_else(|| {
                format!("; the columns found are: {raw}; a title or statement column is needed (--map-column NAME=title names one)")
            });
        return Err(fatal("title", format!("required column missing{hint}")));
    }
    let jira = headers.iter().any(|h| matches!(normalise(h).as_str(), "issue key" | "issue type" | "issue id"));
    let provided = columns
        .iter()
        .filter_map(|c| match c {
            Some(Column::Field(t)) => Some(*t),
            Some(Column::Note) => Some(Target::Rationale),
            _ => None,
        })
        .fold(Provided::default(), Provided::with);

    // What was mapped to what, one entry per field, repeated columns counted.
    let mut mapped: Vec<(Column, Vec<&str>)> = Vec::new();
    for (name, column) in headers.iter().zip(&columns) {
        let Some(column) = column else { continue };
        match mapped.iter_mut().find(|(c, _)| c == column) {
            Some((_, names)) if !names.contains(&name.as_str()) => names.push(name),
            Some(_) => {}
            None => mapped.push((*column, vec![name])),
        }
    }
    let shown = |c: &Column, names: &[&str]| {
        let count = headers.iter().zip(&columns).filter(|(_, x)| x.as_ref() == Some(c)).count();
        let more = if count > names.len() { format!(" ({count} columns)") } else { String::new() };
        format!("{}{more}", names.join(", "))
    };
    let fields: Vec<String> = mapped
        .iter()
        .filter(|(c, _)| !matches!(c, Column::Note | Column::Ignore))
        .map(|(c, names)| format!("{} → {}", shown(c, names), c.name()))
        .collect();
    let ours = has(Column::Uuid);
    if ours {
        notes.push("elicit's own export: columns read as named".into());
    } else if !fields.is_empty() {
        notes.push(format!("columns mapped: {}", fields.join("; ")));
    }
    if let Some((c, names)) = mapped.iter().find(|(c, _)| *c == Column::Note) {
        notes.push(format!(
            "columns kept as \"Column: value\" lines in the rationale (--map-column NAME=FIELD maps one, NAME=ignore drops it): {}",
            shown(c, names)
        ));
    }
    if let Some((c, names)) = mapped.iter().find(|(c, _)| *c == Column::Ignore) {
        notes.push(format!("columns ignored: {}", shown(c, names)));
    }
    Ok(Layout {
        headers,
        columns,
        ours,
        jira,
        provided,
        values,
        file: options.file_label.clone(),
        converted: Default::default(),
    })
}

impl Layout {
    /// How many cells a row should have.
    pub(super) fn width(&self) -> usize {
        self.headers.len()
    }

    /// A cell as text: the spreadsheet-safety apostrophe of elicit's export undone; another tool's HTML and
    /// wiki markup made plain text.
    fn text(&self, cell: &str) -> String {
        let cell = match cell.strip_prefix('\'') {
            Some(rest) if matches!(rest.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) => rest,
            _ => cell,
        };
        if self.ours {
            cell.to_owned()
        } else if looks_like_html(cell) {
            html_to_text(cell)
        } else if self.jira {
            jira_to_text(cell)
        } else {
            cell.trim().to_owned()
        }
    }

    /// The value of an enumerated field: `--map-value`, elicit's own spelling, the default vocabulary.
    fn choice<T: std::str::FromStr<Err = ValidationError>>(&self, field: Target, cell: &str) -> Result<T, String> {
        let n = normalise(cell);
        if let Some((_, _, to)) = self.values.iter().find(|(f, from, _)| *f == field && *from == n) {
            return to.parse().map_err(|e: ValidationError| e.to_string());
        }
        match cell.parse::<T>() {
            Ok(v) => Ok(v),
            Err(e) => match default_value(field, cell).filter(|_| !self.ours) {
                Some(to) => {
                    let mut converted = self.converted.borrow_mut();
                    let from = cell.trim();
                    match converted.iter_mut().find(|(f, c, _, _)| *f == field && c == from) {
                        Some(seen) => seen.3 += 1,
                        None => converted.push((field, from.to_owned(), to, 1)),
                    }
                    to.parse().map_err(|e: ValidationError| e.to_string())
                }
                None => Err(format!("{e}; --map-value {}:{}=VALUE maps it", field.name(), cell.trim())),
            },
        }
    }

    /// One row as items: its problems, then the row (marked invalid when it has any).
    pub(super) fn row(&self, line: u64, cells: &[String], out: &mut Vec<Item>) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        let file = self.file.clone();
        let mut problems: Vec<Problem> = Vec::new();
        let mut problem = |field: &str, message: String| {
            problems.push(Problem { file: file.clone(), line: Some(line), field: field.into(), message })
        };
        if cells.len() != self.width() {
            problem(
                "row",
                format!(
                    "the row has {} cells but the header has {}; check for an unquoted comma",
                    cells.len(),
                    self.width()
                ),
            );
            out.extend(problems.into_iter().map(Item::Problem));
            return;
        }
        let mut row = PendingRequirement {
            line: Some(line),
            stage_required: true,
            provided: self.provided,
            ..PendingRequirement::default()
        };
        let mut id = String::new();
        let mut notes: Vec<String> = Vec::new();
        let mut seen: HashSet<Target> = HashSet::new();
        for (idx, (column, cell)) in self.columns.iter().zip(cells).enumerate() {
            let Some(column) = column else { continue };
            if cell.trim().is_empty() {
                continue;
            }
            let name = self.headers[idx].clone();
            let note =
                |notes: &mut Vec<String>, text: &str| notes.push(format!("{name}: {}", text.replace('\n', "\n  ")));
            let target = match column {
                Column::Id => {
                    if id.is_empty() {
                        id = cell.trim().to_owned();
                    }
                    continue;
                }
                Column::Uuid => {
                    match cell.trim().parse::<RequirementId>() {
                        Ok(u) => row.uuid = Some(u),
                        Err(_) => problem(&name, format!("{:?} is not a UUID", cell.trim())),
                    }
                    continue;
                }
                Column::Ignore => continue,
                Column::Note => {
                    note(&mut notes, &self.text(cell));
                    continue;
                }
                Column::Field(t) => *t,
            };
            // A second column for a field: lists and texts add to it; a second value of a single-valued
            // field is kept as a note.
            let again = !seen.insert(target);
            let single = |again: bool, notes: &mut Vec<String>| {
                if again {
                    note(notes, cell.trim());
                }
                !again
            };
            match target {
                Target::Title if !again => row.new.title = self.text(cell),
                Target::Title => {}
                Target::Statement => paragraph(&mut row.new.statement, &self.text(cell)),
                Target::Acceptance => paragraph(&mut row.new.acceptance, &self.text(cell)),
                Target::Rationale => paragraph(&mut row.new.rationale, &self.text(cell)),
                Target::Quote => paragraph(&mut row.new.quote, &self.text(cell)),
                Target::Kind if single(again, &mut notes) => match self.choice(target, cell) {
                    Ok(v) => row.new.kind = v,
                    Err(e) => problem(&name, e),
                },
                Target::Priority if single(again, &mut notes) => match self.choice(target, cell) {
                    Ok(v) => row.new.priority = v,
                    Err(e) => problem(&name, e),
                },
                Target::Status if single(again, &mut notes) => match self.choice(target, cell) {
                    Ok(v) => row.new.status = v,
                    Err(e) => problem(&name, e),
                },
                Target::Channel if single(again, &mut notes) => match self.choice(target, cell) {
                    Ok(v) => row.new.channel = Some(v),
                    Err(e) => problem(&name, e),
                },
                Target::Stage if single(again, &mut notes) => row.stage = Some(cell.trim().to_owned()),
                Target::Interview if single(again, &mut notes) => row.interview = Some(cell.trim().to_owned()),
                Target::ExternalRef if single(again, &mut notes) => row.new.external_ref = cell.trim().to_owned(),
                Target::PainPoint if single(again, &mut notes) => match boolean(cell) {
                    Ok(b) => row.new.pain_point = b,
                    Err(e) => problem(&name, e),
                },
                Target::MomentOfTruth if single(again, &mut notes) => match boolean(cell) {
                    Ok(b) => row.new.moment_of_truth = b,
                    Err(e) => problem(&name, e),
                },
                Target::Outcomes => row.outcomes.extend(split_list(cell)),
                Target::Sources => row.sources.extend(split_list(cell)),
                Target::Tags => row.new.tags.extend(split_list(cell)),
                _ => {}
            }
        }
        if !id.is_empty() {
            row.human_id = Some(id);
            row.id_is_reference = true;
        }
        if row.new.title.trim().is_empty() {
            // Doorstop has no title column; a Jira sub-row may have none: the text's first line is the title.
            let (title, _) = one_line(&row.new.statement);
            row.new.title = title;
            row.provided = row.provided.with(Target::Title);
        }
        if !notes.is_empty() {
            paragraph(&mut row.new.rationale, &notes.join("\n"));
        }
        row.invalid = !problems.is_empty();
        out.extend(problems.into_iter().map(Item::Problem));
        out.push(Item::Row(Box::new(row)));
    }
}

fn paragraph(into: &mut String, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    if !into.is_empty() {
        into.push_str("\n\n");
    }
    into.push_str(text);
}

fn boolean(cell: &str) -> Result<bool, String> {
    match cell.trim().to_lowercase().as_str() {
        "" | "false" | "no" | "n" | "0" => Ok(false),
        "true" | "yes" | "y" | "1" | "x" => Ok(true),
        other => Err(format!("{other:?} is not true or false (also accepted: yes/no, 1/0, x)")),
    }
}

/// The items of a table's rows, read one at a time from `cells`: a row's line and cells, or the problems
/// that kept a row from being read.
pub(super) struct TableRows<I> {
    layout: Layout,
    cells: I,
    buffer: Vec<Item>,
}

impl<I> TableRows<I> {
    pub(super) fn new(layout: Layout, cells: I) -> Self {
        TableRows { layout, cells, buffer: Vec::new() }
    }
}

impl<I: Iterator<Item = Result<(u64, Vec<String>), Vec<Problem>>>> Iterator for TableRows<I> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.buffer.pop() {
                return Some(item);
            }
            let mut items = Vec::new();
            match self.cells.next() {
                Some(Ok((line, cells))) => self.layout.row(line, &cells, &mut items),
                Some(Err(problems)) => items.extend(problems.into_iter().map(Item::Problem)),
                // After the last row: how the values were read, once.
                None => {
                    let converted = std::mem::take(&mut *self.layout.converted.borrow_mut());
                    if converted.is_empty() {
                        return None;
                    }
                    let said: Vec<String> = converted
                        .iter()
                        .map(|(field, from, to, n)| format!("{} {from} → {to} ({n})", field.name()))
                        .collect();
                    return Some(Item::Note(format!(
                        "values read by the default vocabularies (import --help lists them; --map-value \
                         changes one): {}",
                        said.join("; ")
                    )));
                }
            }
            items.reverse();
            self.buffer = items;
        }
    }
}
