//! Restoring a JSON backup (see `report::json` for the format): the rows come back with their own UUIDs, ids
//! and history; rows already in the file are left alone, so importing the same backup twice adds nothing the
//! second time. A backup is held to the rules of every other input before anything is written: its text is
//! cleaned, and a field over its limit, a number out of range or a change-log row undo could not replay
//! refuses the whole file.

use std::collections::HashSet;

use super::model::{ImportOptions, ImportSummary, Problem};
use crate::domain::*;
use crate::report::ReportError;
use crate::report::json::{BACKUP_FORMAT, BACKUP_FORMAT_VERSION, Backup, MAX_COUNTER};
use crate::store::{Entity, ProjectRecord, Store};

/// Reads, checks and restores a backup; every problem is reported before anything is written.
pub(super) fn import(store: &mut Store, text: &str, options: &ImportOptions<'_>) -> Result<ImportSummary, ReportError> {
    let file = options.file_label.as_str();
    let problem = |line: Option<u64>, field: &str, message: String| Problem {
        file: file.to_owned(),
        line,
        field: field.to_owned(),
        message,
    };
    if text.trim().is_empty() {
        return Err(ReportError::Problems(vec![problem(
            Some(1),
            "file",
            "the file is empty; expected an elicit JSON backup".into(),
        )]));
    }
    // Check the envelope first, so a file that is not a backup gets that message, not a field error.
    let envelope: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ReportError::Problems(vec![problem(Some(e.line() as u64), "json", format!("not valid JSON: {e}"))])
    })?;
    let format = envelope.get("format").and_then(|f| f.as_str()).unwrap_or_default();
    if format != BACKUP_FORMAT {
        return Err(ReportError::Problems(vec![problem(
            Some(1),
            "format",
            format!(
                "not an elicit backup (expected \"format\": \"{BACKUP_FORMAT}\"); export one with `elicit export --format json`"
            ),
        )]));
    }
    let version = format_version(envelope.get("format_version"))
        .map_err(|message| ReportError::Problems(vec![problem(Some(1), "format_version", message)]))?;
    if version == 0 || version > u64::from(BACKUP_FORMAT_VERSION) {
        return Err(ReportError::Problems(vec![problem(
            Some(1),
            "format_version",
            format!(
                "backup format version {version} is not one this elicit reads (1 to {BACKUP_FORMAT_VERSION}); upgrade elicit"
            ),
        )]));
    }
    drop(envelope);
    let backup: Backup = serde_json::from_str(text)
        .map_err(|e| ReportError::Problems(vec![problem(Some(e.line() as u64), "json", e.to_string())]))?;

    let mut projects = backup.projects;
    if let Some(key) = &options.project_key {
        let wanted = key.trim().to_ascii_uppercase();
        let keys: Vec<String> = projects.iter().map(|p| p.key.to_string()).collect();
        projects.retain(|p| p.key.as_str() == wanted);
        if projects.is_empty() {
            return Err(ReportError::Invalid(format!(
                "the backup has no project {wanted}; it holds: {}",
                if keys.is_empty() { "no projects".to_owned() } else { keys.join(", ") }
            )));
        }
    }
    let mut problems = Vec::new();
    for p in &mut projects {
        check_project(p, &mut |field, message| problems.push(problem(None, &field, message)));
    }
    if !problems.is_empty() {
        return Err(ReportError::Problems(problems));
    }
    let counts = if options.dry_run {
        store.rehearse(None, |tx| projects.iter().map(|p| tx.restore_project(p)).collect::<Result<Vec<_>, _>>())?
    } else {
        store.restore_projects(&projects)?
    };
    let mut summary = ImportSummary { dry_run: options.dry_run, ..ImportSummary::default() };
    let verb = if options.dry_run { "would restore" } else { "restored" };
    for (p, n) in projects.iter().zip(&counts) {
        summary.imported += n.requirements_added;
        let what = if n.project_added { "new project" } else { "existing project" };
        summary.notes.push(format!(
            "{verb} {} ({what}): {} requirement{} and {} other row{} added; {} row{} already present, left as they are",
            p.key,
            n.requirements_added,
            if n.requirements_added == 1 { "" } else { "s" },
            n.added - n.requirements_added,
            if n.added - n.requirements_added == 1 { "" } else { "s" },
            n.already_present,
            if n.already_present == 1 { "" } else { "s" },
        ));
    }
    Ok(summary)
}

/// The `format_version` of a backup, or what is wrong with it.
fn format_version(value: Option<&serde_json::Value>) -> Result<u64, String> {
    use serde_json::Value;
    let given = match value {
        None => return Err(format!("missing; an elicit backup gives it as a whole number, {BACKUP_FORMAT_VERSION}")),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(version) => return Ok(version),
            None => n.to_string(),
        },
        Some(Value::String(s)) => format!("the string {s:?}"),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Null) => "null".into(),
        Some(Value::Array(_)) => "a list".into(),
        Some(Value::Object(_)) => "an object".into(),
    };
    Err(format!("must be a whole number, not {given}"))
}

/// The first item `items` lists a second time, if any.
fn repeated<T: std::hash::Hash + Eq + Copy>(items: &[T]) -> Option<T> {
    let mut seen = HashSet::new();
    items.iter().copied().find(|i| !seen.insert(*i))
}

/// Checks and cleans one project of a backup, in one pass over its rows. Text is cleaned the way every other
/// input cleans it, silently; what no other input could store is reported against its field path
/// (`projects[SHOP].requirements[SHOP-3].title`): text over its limit, a number out of range, a reference or a
/// change-log target that is not in the backup, a timestamp that does not parse. Timestamps are rewritten as
/// the store writes them, so that their text order stays their time order.
fn check_project(p: &mut ProjectRecord, report: &mut dyn FnMut(String, String)) {
    let mut c = Check { key: p.key.to_string(), problems: Vec::new() };
    c.required("", "name", &mut p.name, MAX_NAME_CHARS);
    c.long("", "description", &mut p.description);
    c.line("", "journey", &mut p.journey, MAX_NAME_CHARS);
    if let Some(Err(e)) = p.planned_hours.map(planned_hours) {
        c.problem("", "planned_hours", e);
    }
    if let Err(e) = band(p.target_min, p.target_max) {
        c.problem("", "target_min", e);
    }
    c.times("", &mut p.created_at, &mut p.updated_at, &mut p.deleted_at);
    c.optional_timestamp("", "last_used_at", &mut p.last_used_at);

    let stages: HashSet<StageId> = p.stages.iter().map(|s| s.id).collect();
    let outcomes: HashSet<OutcomeId> = p.outcomes.iter().map(|o| o.id).collect();
    let people: HashSet<StakeholderId> = p.stakeholders.iter().map(|s| s.id).collect();
    let interviews: HashSet<InterviewId> = p.interviews.iter().map(|i| i.id).collect();
    let requirements: HashSet<RequirementId> = p.requirements.iter().map(|r| r.id).collect();
    let time_entries: HashSet<TimeEntryId> = p.time_entries.iter().map(|t| t.id).collect();
    let confirmations: HashSet<ConfirmationId> = p.confirmations.iter().map(|a| a.id).collect();

    for s in &mut p.stages {
        let row = format!("stages[{}]", s.id);
        c.required(&row, "name", &mut s.name, MAX_NAME_CHARS);
        c.long(&row, "description", &mut s.description);
        c.counter(&row, "position", s.position);
        c.times(&row, &mut s.created_at, &mut s.updated_at, &mut s.deleted_at);
    }
    for o in &mut p.outcomes {
        let row = format!("outcomes[{}]", o.id);
        c.required(&row, "statement", &mut o.statement, MAX_TITLE_CHARS);
        // As long as the outcome form takes.
        c.line(&row, "unit", &mut o.unit, 40);
        c.times(&row, &mut o.created_at, &mut o.updated_at, &mut o.deleted_at);
    }
    for s in &mut p.stakeholders {
        let row = format!("stakeholders[{}]", s.id);
        c.required(&row, "name", &mut s.name, MAX_NAME_CHARS);
        for (field, value) in [
            ("role", &mut s.role),
            ("department", &mut s.department),
            ("organisation", &mut s.organisation),
            ("contact", &mut s.contact),
        ] {
            c.line(&row, field, value, MAX_NAME_CHARS);
        }
        c.long(&row, "notes", &mut s.notes);
        c.times(&row, &mut s.created_at, &mut s.updated_at, &mut s.deleted_at);
    }
    for i in &mut p.interviews {
        let row = format!("interviews[{}]", i.id);
        c.required(&row, "title", &mut i.title, MAX_TITLE_CHARS);
        c.long(&row, "notes", &mut i.notes);
        c.timestamp(&row, "started_at", &mut i.started_at);
        c.optional_timestamp(&row, "ended_at", &mut i.ended_at);
        for s in i.stakeholders.iter().filter(|s| !people.contains(*s)) {
            c.problem(&row, "stakeholders", format!("no stakeholder {s} in the backup"));
        }
        if let Some(twice) = repeated(&i.stakeholders) {
            c.problem(&row, "stakeholders", format!("lists stakeholder {twice} twice"));
        }
        c.times(&row, &mut i.created_at, &mut i.updated_at, &mut i.deleted_at);
    }
    let mut seqs = HashSet::new();
    for r in &mut p.requirements {
        let row = format!("requirements[{}]", human_id(&p.key, r.seq));
        c.text(&row, "title", &mut r.title, title);
        for (field, value) in [
            ("statement", &mut r.statement),
            ("acceptance", &mut r.acceptance),
            ("rationale", &mut r.rationale),
            ("quote", &mut r.quote),
        ] {
            c.long(&row, field, value);
        }
        c.line(&row, "external_ref", &mut r.external_ref, MAX_NAME_CHARS);
        c.tags(&row, &mut r.tags);
        if c.counter(&row, "seq", r.seq) && !seqs.insert(r.seq) {
            c.problem(&row, "seq", format!("number {} is used twice", r.seq));
        }
        c.counter(&row, "version", r.version);
        if r.stage.is_some_and(|s| !stages.contains(&s)) {
            c.problem(&row, "stage", "names a stage that is not in the backup");
        }
        if r.interview.is_some_and(|i| !interviews.contains(&i)) {
            c.problem(&row, "interview", "names an interview that is not in the backup");
        }
        if r.outcomes.iter().any(|o| !outcomes.contains(o)) {
            c.problem(&row, "outcomes", "names an outcome that is not in the backup");
        }
        if r.sources.iter().any(|s| !people.contains(s)) {
            c.problem(&row, "sources", "names a stakeholder that is not in the backup");
        }
        // elicit never writes a link twice; a repeat means the file was edited, and the store refuses it.
        if let Some(twice) = repeated(&r.outcomes) {
            c.problem(&row, "outcomes", format!("lists outcome {twice} twice"));
        }
        if let Some(twice) = repeated(&r.sources) {
            c.problem(&row, "sources", format!("lists stakeholder {twice} twice"));
        }
        c.times(&row, &mut r.created_at, &mut r.updated_at, &mut r.deleted_at);
    }
    let highest = p.requirements.iter().map(|r| r.seq).max().unwrap_or(0);
    if c.counter("", "next_seq", p.next_seq) && highest <= MAX_COUNTER && p.next_seq <= highest {
        c.problem(
            "",
            "next_seq",
            format!(
                "{} is not above the highest requirement number in the backup, {highest} ({}), so a new requirement \
                 would get a number already in use; refused, not raised: set it to {} or more",
                p.next_seq,
                human_id(&p.key, highest),
                highest + 1
            ),
        );
    }
    for t in &mut p.time_entries {
        let row = format!("time_entries[{}]", t.id);
        c.long(&row, "note", &mut t.note);
        let started = c.timestamp(&row, "started_at", &mut t.started_at);
        let ended = c.optional_timestamp(&row, "ended_at", &mut t.ended_at);
        if let (Some(started), Some(ended)) = (started, ended)
            && ended < started
        {
            c.problem(&row, "ended_at", "is before started_at");
        }
        if t.interview.is_some_and(|i| !interviews.contains(&i)) {
            c.problem(&row, "interview", "names an interview that is not in the backup");
        }
        c.times(&row, &mut t.created_at, &mut t.updated_at, &mut t.deleted_at);
    }
    for d in &mut p.departments {
        c.required("", "departments", d, MAX_NAME_CHARS);
    }
    for a in &mut p.confirmations {
        let row = format!("confirmations[{}]", a.id);
        c.long(&row, "note", &mut a.note);
        c.counter(&row, "requirement_version", a.requirement_version);
        if !requirements.contains(&a.requirement) {
            c.problem(&row, "requirement", "names a requirement that is not in the backup");
        }
        if !people.contains(&a.stakeholder) {
            c.problem(&row, "stakeholder", "names a stakeholder that is not in the backup");
        }
        c.times(&row, &mut a.created_at, &mut a.updated_at, &mut a.deleted_at);
    }
    let project = p.id;
    for (i, l) in p.change_log.iter_mut().enumerate() {
        let row = format!("change_log[{i}]");
        let entity = l.clean(&mut |field, message| c.problem(&row, field, message));
        // Undo writes to the row an entry names: it must be one of this project's.
        let id = uuid::Uuid::parse_str(&l.entity_id).ok();
        let (noun, present) = match entity {
            None => ("row", true),
            Some(Entity::Project) => ("project", id.is_some_and(|id| ProjectId(id) == project)),
            Some(Entity::Stage) => ("stage", id.is_some_and(|id| stages.contains(&StageId(id)))),
            Some(Entity::Outcome) => ("outcome", id.is_some_and(|id| outcomes.contains(&OutcomeId(id)))),
            Some(Entity::Stakeholder) => ("stakeholder", id.is_some_and(|id| people.contains(&StakeholderId(id)))),
            Some(Entity::Interview) => ("interview", id.is_some_and(|id| interviews.contains(&InterviewId(id)))),
            Some(Entity::Requirement) => {
                ("requirement", id.is_some_and(|id| requirements.contains(&RequirementId(id))))
            }
            Some(Entity::TimeEntry) => ("time entry", id.is_some_and(|id| time_entries.contains(&TimeEntryId(id)))),
            Some(Entity::Confirmation) => {
                ("confirmation", id.is_some_and(|id| confirmations.contains(&ConfirmationId(id))))
            }
        };
        if !present {
            c.problem(&row, "entity_id", format!("names a {noun} that is not in the backup"));
        }
        c.timestamp(&row, "at", &mut l.at);
        c.optional_timestamp(&row, "undone_at", &mut l.undone_at);
    }
    for d in &mut p.drafts {
        let row = format!("drafts[{}]", d.id);
        c.line(&row, "form", &mut d.form, MAX_NAME_CHARS);
        match clean_payload(&d.payload) {
            Ok(Some(cleaned)) => d.payload = cleaned,
            Ok(None) => {}
            Err(e) => c.problem(&row, "payload", format!("is not JSON: {e}")),
        }
        c.timestamp(&row, "updated_at", &mut d.updated_at);
    }
    for (field, message) in c.problems {
        report(field, message);
    }
}

/// A draft's payload with every string in it cleaned as a form's multi-line field cleans its text, or why it is
/// not JSON. `None` when it was clean already: the stored text is then kept exactly as it was.
fn clean_payload(payload: &str) -> Result<Option<String>, serde_json::Error> {
    fn clean(value: &mut serde_json::Value) -> bool {
        match value {
            serde_json::Value::String(s) => {
                let cleaned = clean_text(s);
                let changed = cleaned != *s;
                *s = cleaned;
                changed
            }
            serde_json::Value::Array(items) => items.iter_mut().fold(false, |changed, v| clean(v) | changed),
            serde_json::Value::Object(map) => map.values_mut().fold(false, |changed, v| clean(v) | changed),
            _ => false,
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(payload)?;
    // Written as `Store::save_draft` writes a payload.
    Ok(clean(&mut value).then(|| value.to_string()))
}

/// The problems found in one project of a backup, each with its field path.
struct Check {
    key: String,
    problems: Vec<(String, String)>,
}

impl Check {
    /// Records a problem with `field` of the row at `row` (`stages[<id>]`; empty for the project itself).
    fn problem(&mut self, row: &str, field: &str, message: impl ToString) {
        let dot = if row.is_empty() { "" } else { "." };
        self.problems.push((format!("projects[{}].{row}{dot}{field}", self.key), message.to_string()));
    }

    /// Replaces `value` with what `rule` makes of it (the cleaned text), or records why `rule` refuses it.
    fn text(
        &mut self,
        row: &str,
        field: &str,
        value: &mut String,
        rule: impl FnOnce(&str) -> Result<String, ValidationError>,
    ) {
        match rule(value) {
            Ok(cleaned) => *value = cleaned,
            Err(e) => self.problem(row, field, e),
        }
    }

    /// A one-line field that must not be empty.
    fn required(&mut self, row: &str, field: &str, value: &mut String, max: usize) {
        self.text(row, field, value, |t| required_line(field, t, max));
    }

    /// A one-line field that may be empty.
    fn line(&mut self, row: &str, field: &str, value: &mut String, max: usize) {
        self.text(row, field, value, |t| optional_line(field, t, max));
    }

    /// A multi-line field.
    fn long(&mut self, row: &str, field: &str, value: &mut String) {
        self.text(row, field, value, |t| long_text(field, t));
    }

    /// Replaces every tag with its normal form, keeping each once.
    fn tags(&mut self, row: &str, tags: &mut Vec<String>) {
        let mut kept = Vec::with_capacity(tags.len());
        for t in tags.iter() {
            match tag(t) {
                Ok(t) if !kept.contains(&t) => kept.push(t),
                Ok(_) => {}
                Err(e) => self.problem(row, "tags", e),
            }
        }
        *tags = kept;
    }

    /// Whether a number, position or version is in `1..=MAX_COUNTER`; records a problem when it is not.
    fn counter(&mut self, row: &str, field: &str, value: i64) -> bool {
        let valid = (1..=MAX_COUNTER).contains(&value);
        if !valid {
            self.problem(row, field, format!("must be from 1 to {MAX_COUNTER}, not {value}"));
        }
        valid
    }

    /// Reads a timestamp and rewrites it as the store writes timestamps; `None` (and a problem) when it is
    /// not one.
    fn timestamp(&mut self, row: &str, field: &str, value: &mut String) -> Option<Timestamp> {
        match parse_timestamp(value) {
            Ok(t) => {
                *value = format_timestamp(t);
                Some(t)
            }
            Err(_) => {
                self.problem(row, field, format!("{value:?} is not an RFC 3339 timestamp"));
                None
            }
        }
    }

    /// A timestamp that may be absent.
    fn optional_timestamp(&mut self, row: &str, field: &str, value: &mut Option<String>) -> Option<Timestamp> {
        value.as_mut().and_then(|v| self.timestamp(row, field, v))
    }

    /// The three timestamps of every row.
    fn times(&mut self, row: &str, created: &mut String, updated: &mut String, deleted: &mut Option<String>) {
        self.timestamp(row, "created_at", created);
        self.timestamp(row, "updated_at", updated);
        self.optional_timestamp(row, "deleted_at", deleted);
    }
}
