//! The shared second half of CSV and ReqIF import: resolving stage, outcome and stakeholder names,
//! creating missing ones on request, and writing the rows in one transaction.

use std::collections::{HashMap, HashSet};

use super::model::{ImportOptions, ImportSummary, Parsed, PendingRequirement, Problem};
use crate::domain::*;
use crate::report::ReportError;
use crate::store::{OutcomeFields, StakeholderFields, Store};

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

/// Resolves names, applies `create_missing`, and writes the rows as one action (one undo step).
pub(super) fn write_rows(
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
                parsed.problems.push(Problem {
                    file: file.clone(),
                    line: row.line,
                    field: e.field().map_or("requirement", Field::name).into(),
                    message: labelled(e.to_string()),
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
