//! The shared second half of CSV, Excel and ReqIF import: resolving stage, outcome and stakeholder names,
//! creating missing ones on request, matching rows to existing requirements (`matching`), and writing it
//! all in one transaction, one undo step.
//!
//! Rows stream through: each is checked as it comes, a row that matches a requirement updates it through
//! the store's own update (so the change log, history and undo see every field), and new rows are written
//! in batches of [`BATCH`] inside the same transaction. Memory therefore holds one batch, not the file.
//! All or nothing still holds: the first problem stops the writing (checking goes on, so every problem is
//! reported) and the transaction is rolled back, unless `skip_invalid`; a dry run rolls back always.

use std::collections::{HashMap, HashSet};

use super::matching::{Existing, changes};
use super::model::{
    ImportOptions, ImportSummary, Item, MAX_CHANGES_LISTED, Parsed, PendingRequirement, Problem, RowChange, Target,
};
use crate::domain::*;
use crate::report::ReportError;
use crate::store::{OutcomeFields, StakeholderFields, Store, StoreError, Tx};

/// New rows written per statement batch: enough to keep SQLite busy, few enough that memory stays flat.
const BATCH: usize = 4096;

/// What the write returns to roll itself back when the file has problems (never shown: the problems are).
const REFUSED: &str = "the import has problems";

/// Looks names up case-insensitively.
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
        Names { known: items.into_iter().map(|(n, id)| (key(&n), id)).collect(), listing }
    }

    fn get(&self, name: &str) -> Option<T> {
        self.known.get(&key(name)).copied()
    }
}

/// True when `id` is a human id of the project with `key` (`SHOP-7`).
fn is_human_id(id: &str, key: &ProjectKey) -> bool {
    id.rsplit_once('-').is_some_and(|(k, n)| k.eq_ignore_ascii_case(key.as_str()) && n.parse::<i64>().is_ok())
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// What the import has done so far, inside its transaction.
struct Run<'o> {
    options: &'o ImportOptions<'o>,
    project: Project,
    stages: Names<StageId>,
    outcomes: Names<OutcomeId>,
    people: Names<StakeholderId>,
    interviews: Names<InterviewId>,
    existing: Option<Existing>,
    descriptions: HashMap<String, String>,
    /// Names created, first spelling kept, in file order: stages, outcomes, stakeholders.
    created: [Vec<String>; 3],
    unplaced_chapters: HashSet<String>,
    unknown_interviews: HashSet<String>,
    /// The stage, outcome and stakeholder names the file gives that the project lacks, each once in the
    /// order met: a refused import says them once, after the rows that name them.
    missing: [Vec<String>; 3],
    problems: Vec<Problem>,
    skipped_rows: usize,
    batch: Vec<NewRequirement>,
    batch_uuids: Vec<Option<RequirementId>>,
    summary: ImportSummary,
}

/// Resolves names, matches, and writes the rows as one action (one undo step).
pub(super) fn write_rows(
    store: &mut Store,
    project: &Project,
    parsed: Parsed<'_>,
    options: &ImportOptions<'_>,
) -> Result<ImportSummary, ReportError> {
    let Parsed { rows, problems, notes, stage_descriptions } = parsed;
    let mut descriptions = HashMap::new();
    for (name, text) in stage_descriptions {
        descriptions.entry(key(&name)).or_insert(text);
    }
    let existing = if options.as_new { None } else { Some(Existing::load(store, project)?) };
    let mut run = Run {
        options,
        project: project.clone(),
        stages: Names::new(store.stages(project.id)?.into_iter().map(|s| (s.name, s.id))),
        outcomes: Names::new(store.outcomes(project.id)?.into_iter().map(|o| (o.statement, o.id))),
        people: Names::new(store.stakeholders(project.id)?.into_iter().map(|s| (s.name, s.id))),
        interviews: Names::new(store.interviews(project.id)?.into_iter().map(|i| (i.title, i.id))),
        existing,
        descriptions,
        created: Default::default(),
        unplaced_chapters: HashSet::new(),
        unknown_interviews: HashSet::new(),
        missing: Default::default(),
        // A row's problems come from the reader (marked on the row) and from the checks here.
        problems,
        skipped_rows: 0,
        batch: Vec::with_capacity(BATCH),
        batch_uuids: Vec::with_capacity(BATCH),
        summary: ImportSummary {
            dry_run: options.dry_run,
            project: project.key.to_string(),
            notes,
            ..ImportSummary::default()
        },
    };
    let body = |tx: &Tx<'_>| -> Result<(), StoreError> {
        for item in rows {
            match item {
                Item::Problem(p) => run.problems.push(p),
                Item::Row(row) => run.row(tx, *row)?,
                Item::Note(n) => run.summary.notes.push(n),
            }
        }
        run.flush(tx)?;
        if run.refused() {
            // Rolls back whatever was written before the first problem; the problems are told below.
            return Err(StoreError::Conflict(REFUSED.into()));
        }
        Ok(())
    };
    let outcome =
        if options.dry_run { store.rehearse(Some(project.id), body) } else { store.write_bulk(Some(project.id), body) };
    match outcome {
        Err(StoreError::Conflict(m)) if m == REFUSED => {}
        Err(e) => return Err(e.into()),
        Ok(()) => {}
    }
    run.finish()
}

impl Run<'_> {
    /// Problems stop the import (nothing more is written) unless `skip_invalid`.
    fn refused(&self) -> bool {
        !self.problems.is_empty() && !self.options.skip_invalid
    }

    fn row(&mut self, tx: &Tx<'_>, mut row: PendingRequirement) -> Result<(), StoreError> {
        let file = self.options.file_label.clone();
        let mut problems = Vec::new();
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
        let create = self.options.create_missing;
        // Names this row would create; created only if the row itself is written.
        let mut wants: Vec<(usize, String)> = Vec::new();
        if let Some(s) = row.stage.as_deref().filter(|s| !s.trim().is_empty())
            && self.stages.get(s).is_none()
        {
            if create {
                if let Err(e) = required_line("stage name", s, MAX_NAME_CHARS) {
                    problem("stage", e.to_string());
                }
                wants.push((0, s.to_owned()));
            } else if row.stage_required {
                note_missing(&mut self.missing[0], s);
                problem(
                    "stage",
                    format!("unknown stage {s:?}; stages: {}; --create-missing creates it", self.stages.listing),
                );
            } else {
                self.unplaced_chapters.insert(s.trim().to_owned());
            }
        }
        for o in &row.outcomes {
            if self.outcomes.get(o).is_none() {
                if create {
                    if let Err(e) = required_line("outcome statement", o, MAX_TITLE_CHARS) {
                        problem("outcomes", e.to_string());
                    }
                    wants.push((1, o.clone()));
                } else {
                    note_missing(&mut self.missing[1], o);
                    problem(
                        "outcomes",
                        format!(
                            "unknown outcome {o:?}; outcomes: {}; --create-missing creates it",
                            self.outcomes.listing
                        ),
                    );
                }
            }
        }
        for s in &row.sources {
            if self.people.get(s).is_none() {
                if create {
                    if let Err(e) = required_line("stakeholder name", s, MAX_NAME_CHARS) {
                        problem("sources", e.to_string());
                    }
                    wants.push((2, s.clone()));
                } else {
                    note_missing(&mut self.missing[2], s);
                    problem(
                        "sources",
                        format!(
                            "unknown stakeholder {s:?}; stakeholders: {}; --create-missing creates them",
                            self.people.listing
                        ),
                    );
                }
            }
        }
        if let Some(i) = row.interview.as_deref().filter(|i| !i.trim().is_empty() && self.interviews.get(i).is_none()) {
            self.unknown_interviews.insert(i.trim().to_owned());
        }
        // Another tool's id (or another project's SHOP-7) is kept as the external reference; an id of
        // this project that no live requirement has (deleted since) is no reference.
        if let Some(id) = row.human_id.as_deref().filter(|_| row.id_is_reference)
            && row.new.external_ref.is_empty()
            && !is_human_id(id, &self.project.key)
        {
            row.new.external_ref = id.to_owned();
        }
        let validated = std::mem::take(&mut row.new).validated();
        let new = match validated {
            Ok(new) if problems.is_empty() && !row.invalid => new,
            Ok(_) => {
                self.skipped_rows += 1;
                self.problems.append(&mut problems);
                return Ok(());
            }
            Err(e) => {
                self.skipped_rows += 1;
                self.problems.append(&mut problems);
                let message = match &row.label {
                    Some(l) => format!("{l}: {e}"),
                    None => e.to_string(),
                };
                self.problems.push(Problem {
                    file,
                    line: row.line,
                    field: e.field().map_or("requirement", Field::name).into(),
                    message,
                });
                return Ok(());
            }
        };
        row.new = new;
        if self.refused() {
            // Nothing will be written; the rest of the file is only checked.
            return Ok(());
        }
        for (kind, name) in wants {
            self.create(tx, kind, name.trim())?;
        }
        let found = self.existing.as_ref().and_then(|e| e.find(&row)).map(|(d, how)| (d.clone(), how));
        match found {
            Some((current, how)) => self.update(tx, &current, how, row),
            None => {
                let new = self.linked(std::mem::take(&mut row.new), &row);
                self.batch.push(new);
                self.batch_uuids.push(row.uuid);
                if self.batch.len() >= BATCH {
                    self.flush(tx)?;
                }
                Ok(())
            }
        }
    }

    /// Creates a stage (0), outcome (1) or stakeholder (2) the project lacks, once per name.
    fn create(&mut self, tx: &Tx<'_>, kind: usize, name: &str) -> Result<(), StoreError> {
        let project = self.project.id;
        let k = key(name);
        match kind {
            0 if self.stages.get(name).is_none() => {
                let description = self.descriptions.get(&k).map_or("", String::as_str);
                let id = tx.insert_stage(project, name, description)?;
                self.stages.known.insert(k, id);
            }
            1 if self.outcomes.get(name).is_none() => {
                let fields = OutcomeFields {
                    statement: name.to_owned(),
                    metric: Metric::Custom,
                    baseline: None,
                    target: None,
                    unit: String::new(),
                };
                let id = tx.insert_outcome(project, fields)?;
                self.outcomes.known.insert(k, id);
            }
            2 if self.people.get(name).is_none() => {
                let fields = StakeholderFields { name: name.to_owned(), ..StakeholderFields::default() };
                let id = tx.insert_stakeholder(project, fields)?;
                self.people.known.insert(k, id);
            }
            _ => return Ok(()),
        }
        self.created[kind].push(name.to_owned());
        Ok(())
    }

    /// `new` with the row's names resolved to ids (each linked once, whatever its spelling).
    fn linked(&self, mut new: NewRequirement, row: &PendingRequirement) -> NewRequirement {
        new.stage = row.stage.as_deref().and_then(|s| self.stages.get(s));
        new.outcomes = row.outcomes.iter().filter_map(|o| self.outcomes.get(o)).collect();
        new.sources = row.sources.iter().filter_map(|s| self.people.get(s)).collect();
        new.interview = row.interview.as_deref().and_then(|i| self.interviews.get(i));
        let mut seen = HashSet::new();
        new.outcomes.retain(|o| seen.insert(o.0));
        let mut seen = HashSet::new();
        new.sources.retain(|s| seen.insert(s.0));
        new
    }

    /// Updates `current` with the fields of `row` that differ.
    fn update(
        &mut self,
        tx: &Tx<'_>,
        current: &RequirementDetails,
        how: &'static str,
        row: PendingRequirement,
    ) -> Result<(), StoreError> {
        let new = self.linked(row.new.clone(), &row);
        // A name that resolves to nothing here (an interview this project lacks) changes nothing.
        let r = &current.requirement;
        let mut fields = changes(current, &row);
        fields.retain(|(t, _, _)| match t {
            Target::Stage => new.stage != r.stage,
            Target::Interview => new.interview != r.interview,
            Target::Outcomes => new.outcomes != r.outcomes,
            Target::Sources => new.sources != r.sources,
            _ => true,
        });
        if fields.is_empty() {
            self.summary.unchanged += 1;
            return Ok(());
        }
        let mut patch = RequirementPatch::default();
        for (t, _, _) in &fields {
            match t {
                Target::Title => patch.title = Some(new.title.clone()),
                Target::Statement => patch.statement = Some(new.statement.clone()),
                Target::Kind => patch.kind = Some(new.kind),
                Target::Priority => patch.priority = Some(new.priority),
                Target::Status => patch.status = Some(new.status),
                Target::Stage => patch.stage = Some(new.stage),
                Target::Outcomes => patch.outcomes = Some(new.outcomes.clone()),
                Target::Sources => patch.sources = Some(new.sources.clone()),
                Target::Interview => patch.interview = Some(new.interview),
                Target::Channel => patch.channel = Some(new.channel),
                Target::PainPoint => patch.pain_point = Some(new.pain_point),
                Target::MomentOfTruth => patch.moment_of_truth = Some(new.moment_of_truth),
                Target::Tags => patch.tags = Some(new.tags.clone()),
                Target::Acceptance => patch.acceptance = Some(new.acceptance.clone()),
                Target::Rationale => patch.rationale = Some(new.rationale.clone()),
                Target::Quote => patch.quote = Some(new.quote.clone()),
                Target::ExternalRef => patch.external_ref = Some(new.external_ref.clone()),
            }
        }
        let patch = patch.validated()?;
        tx.update_requirement(&current.requirement, &patch)?;
        self.summary.updated += 1;
        if self.summary.changes.len() < MAX_CHANGES_LISTED {
            self.summary.changes.push(RowChange {
                id: current.human_id.clone(),
                matched_by: how,
                fields: fields.into_iter().map(|(t, old, new)| (t.name(), old, new)).collect(),
            });
        }
        Ok(())
    }

    /// Writes the batch of new rows.
    fn flush(&mut self, tx: &Tx<'_>) -> Result<(), StoreError> {
        if self.batch.is_empty() || self.refused() {
            self.batch.clear();
            self.batch_uuids.clear();
            return Ok(());
        }
        // A UUID from the file is kept where it is free: the same file imported into a second project (or
        // a requirement deleted for good) gets new ones.
        let wanted: Vec<RequirementId> = self.batch_uuids.iter().flatten().copied().collect();
        let taken = tx.existing_requirements(&wanted)?;
        let mut seen = HashSet::new();
        let items: Vec<(Option<RequirementId>, NewRequirement)> = self
            .batch_uuids
            .drain(..)
            .map(|u| u.filter(|u| !taken.contains(u) && seen.insert(*u)))
            .zip(self.batch.drain(..))
            .collect();
        let written = tx.import_requirements(self.project.id, &items)?;
        self.summary.imported += written.len();
        let id = |seq: i64| human_id(&self.project.key, seq);
        if let (Some((_, first)), Some((_, last))) = (written.first(), written.last()) {
            let first = self.summary.id_range.take().map_or_else(|| id(*first), |(f, _)| f);
            self.summary.id_range = Some((first, id(*last)));
        }
        Ok(())
    }

    fn finish(mut self) -> Result<ImportSummary, ReportError> {
        self.problems.sort_by_key(|p| p.line);
        let mut summary = self.summary;
        if !self.problems.is_empty() {
            if !self.options.skip_invalid {
                let named: Vec<String> = ["stage", "outcome", "stakeholder"]
                    .iter()
                    .zip(&self.missing)
                    .filter(|(_, names)| !names.is_empty())
                    .map(|(what, names)| {
                        let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
                        let s = if names.len() == 1 { "" } else { "s" };
                        format!("{} {what}{s} ({})", names.len(), quoted.join(", "))
                    })
                    .collect();
                if !named.is_empty() {
                    self.problems.push(Problem {
                        file: self.options.file_label.clone(),
                        line: None,
                        field: "names".into(),
                        message: format!("missing here: {}; --create-missing creates them", named.join(", ")),
                    });
                }
                return Err(ReportError::Problems(self.problems));
            }
            summary.skipped = self.problems;
            summary.skipped_rows = self.skipped_rows;
        }
        if self.options.dry_run {
            // The rehearsal wrote and rolled back: what it counted is what the import would do.
            summary.id_range = None;
        }
        let verb = if self.options.dry_run { "would create" } else { "created" };
        for (what, list) in ["stage", "outcome", "stakeholder"].iter().zip(&self.created) {
            if !list.is_empty() {
                summary.notes.push(format!(
                    "{verb} {what}{}: {}",
                    if list.len() == 1 { "" } else { "s" },
                    list.join("; ")
                ));
            }
        }
        if !self.unplaced_chapters.is_empty() {
            let mut c: Vec<String> = self.unplaced_chapters.into_iter().collect();
            c.sort();
            summary.notes.push(format!(
                "chapters that are not journey stages of {} (their requirements have no stage; --create-missing makes them stages): {}",
                self.project.key,
                c.join("; ")
            ));
        }
        if !self.unknown_interviews.is_empty() {
            let mut c: Vec<String> = self.unknown_interviews.into_iter().collect();
            c.sort();
            summary.notes.push(format!("interviews not in this project, left unlinked: {}", c.join("; ")));
        }
        Ok(summary)
    }
}

/// Keeps `name` once in `names` (as the project's names are matched: ignoring case and spaces at the ends).
fn note_missing(names: &mut Vec<String>, name: &str) {
    let name = name.trim();
    if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
        names.push(name.to_owned());
    }
}
