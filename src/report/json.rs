//! The JSON backup: every row of a project (or of every project), links, change log and drafts included,
//! with a format version. Importing it restores the rows with their own UUIDs, ids and history; rows already
//! in the file are left alone, so importing the same backup twice adds nothing the second time.
//!
//! The file carries no export time, so exporting, restoring into an empty file and exporting again gives the
//! same bytes.

use std::collections::HashSet;
use std::io::{BufWriter, Write};

use serde::{Deserialize, Serialize};

use super::import::{ImportOptions, ImportSummary, Problem};
use super::{ExportOptions, ReportError};
use crate::domain::*;
use crate::store::{ProjectRecord, SCHEMA_VERSION, Store};

/// The `format` field of every backup file.
pub const BACKUP_FORMAT: &str = "elicit-backup";
/// The version of the backup layout this build writes and the newest it reads.
pub const BACKUP_FORMAT_VERSION: u32 = 1;

/// A backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// Always [`BACKUP_FORMAT`].
    pub format: String,
    /// The backup layout version, [`BACKUP_FORMAT_VERSION`] when written by this build.
    pub format_version: u32,
    /// The database schema version of the file it was taken from (for information).
    pub schema_version: i64,
    /// The projects, with every row.
    pub projects: Vec<ProjectRecord>,
}

/// Writes the backup of `project`, or of every project when `options.all_projects`.
pub fn export(
    store: &Store,
    project: &Project,
    options: &ExportOptions<'_>,
    writer: &mut dyn Write,
) -> Result<(), ReportError> {
    let ids = if options.all_projects { store.all_project_ids()? } else { vec![project.id] };
    let total = ids.len() as u64;
    let mut projects = Vec::with_capacity(ids.len());
    for (i, id) in ids.into_iter().enumerate() {
        options.tick(i as u64, total);
        projects.push(store.project_record(id)?);
    }
    let backup = Backup {
        format: BACKUP_FORMAT.into(),
        format_version: BACKUP_FORMAT_VERSION,
        schema_version: SCHEMA_VERSION,
        projects,
    };
    let mut out = BufWriter::with_capacity(1 << 16, writer);
    write_pretty(backup, &mut out)?;
    out.write_all(b"\n")?;
    out.flush()?;
    options.tick(total, total);
    Ok(())
}

/// Writes `backup` exactly as `serde_json::to_writer_pretty` would, with the two long lists of each
/// project (requirements and change log) formatted on every core: the rest is formatted with the lists
/// empty, and each list's items, formatted alone and indented to their depth, replace its `[]`.
fn write_pretty(mut backup: Backup, out: &mut dyn Write) -> Result<(), ReportError> {
    let lists: Vec<_> = backup
        .projects
        .iter_mut()
        .map(|p| (std::mem::take(&mut p.requirements), std::mem::take(&mut p.change_log)))
        .collect();
    let skeleton = serde_json::to_string_pretty(&backup)?;
    let mut rest = skeleton.as_str();
    for (requirements, change_log) in &lists {
        rest = splice(rest, "requirements", requirements, out)?;
        rest = splice(rest, "change_log", change_log, out)?;
    }
    out.write_all(rest.as_bytes())?;
    Ok(())
}

/// Where a project's fields sit in the pretty layout: inside the backup object and its `projects` array.
const FIELD_INDENT: &str = "\n      ";
/// Where the items of a project's list sit.
const ITEM_INDENT: &str = "        ";

/// Writes `skeleton` up to the project field `key`'s empty list, then `list`'s items in its place; returns
/// the rest of the skeleton.
fn splice<'s, T: Serialize + Sync>(
    skeleton: &'s str,
    key: &str,
    list: &[T],
    out: &mut dyn Write,
) -> Result<&'s str, ReportError> {
    let empty = format!("{FIELD_INDENT}\"{key}\": []");
    let at = skeleton.find(&empty).ok_or_else(|| ReportError::Invalid(format!("backup layout lacks {key}")))?;
    // Up to and including the `[`.
    let (before, after) = skeleton.split_at(at + empty.len() - 1);
    out.write_all(before.as_bytes())?;
    if !list.is_empty() {
        let format = |chunk: &[T], buf: &mut Vec<u8>| -> Result<(), ReportError> {
            let mut one = Vec::new();
            for item in chunk {
                buf.extend_from_slice(if std::ptr::eq(item, &list[0]) { b"\n" } else { b",\n" });
                buf.extend_from_slice(ITEM_INDENT.as_bytes());
                one.clear();
                serde_json::to_writer_pretty(&mut one, item)?;
                // A line break never occurs inside a JSON string (it is written `\n`), so every one starts a line.
                for (i, line) in one.split(|b| *b == b'\n').enumerate() {
                    if i > 0 {
                        buf.push(b'\n');
                        buf.extend_from_slice(ITEM_INDENT.as_bytes());
                    }
                    buf.extend_from_slice(line);
                }
            }
            Ok(())
        };
        super::chunks::write_ordered(list, out, &format, &mut |_| {})?;
        out.write_all(FIELD_INDENT.as_bytes())?;
    }
    // `after` starts with the `]`.
    Ok(after)
}

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
    let version = envelope.get("format_version").and_then(|v| v.as_u64()).unwrap_or(0);
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
    for p in &projects {
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

/// Checks what SQLite cannot say clearly: references inside the project, timestamps, enumerated text.
fn check_project(p: &ProjectRecord, report: &mut dyn FnMut(String, String)) {
    let at = |what: &str| format!("projects[{}].{what}", p.key);
    let mut ts = |field: String, value: &str| {
        if parse_timestamp(value).is_err() {
            report(field, format!("{value:?} is not an RFC 3339 timestamp"));
        }
    };
    ts(at("created_at"), &p.created_at);
    ts(at("updated_at"), &p.updated_at);
    let stages: HashSet<StageId> = p.stages.iter().map(|s| s.id).collect();
    let outcomes: HashSet<OutcomeId> = p.outcomes.iter().map(|o| o.id).collect();
    let people: HashSet<StakeholderId> = p.stakeholders.iter().map(|s| s.id).collect();
    let interviews: HashSet<InterviewId> = p.interviews.iter().map(|i| i.id).collect();
    let mut seqs = HashSet::new();
    let mut problems: Vec<(String, String)> = Vec::new();
    for s in &p.stages {
        if s.name.trim().is_empty() {
            problems.push((at(&format!("stages[{}].name", s.id)), "must not be empty".into()));
        }
    }
    for i in &p.interviews {
        for s in &i.stakeholders {
            if !people.contains(s) {
                problems.push((
                    at(&format!("interviews[{}].stakeholders", i.id)),
                    format!("no stakeholder {s} in the backup"),
                ));
            }
        }
    }
    for r in &p.requirements {
        let rid = human_id(&p.key, r.seq);
        let f = |name: &str| at(&format!("requirements[{rid}].{name}"));
        if let Err(e) = title(&r.title) {
            problems.push((f("title"), e.to_string()));
        }
        if r.seq < 1 || !seqs.insert(r.seq) {
            problems.push((f("seq"), format!("number {} is used twice or is not positive", r.seq)));
        }
        if r.seq >= p.next_seq {
            problems.push((f("seq"), format!("number {} is not below the project's next_seq {}", r.seq, p.next_seq)));
        }
        if r.stage.is_some_and(|s| !stages.contains(&s)) {
            problems.push((f("stage"), "names a stage that is not in the backup".into()));
        }
        if r.interview.is_some_and(|i| !interviews.contains(&i)) {
            problems.push((f("interview"), "names an interview that is not in the backup".into()));
        }
        if r.outcomes.iter().any(|o| !outcomes.contains(o)) {
            problems.push((f("outcomes"), "names an outcome that is not in the backup".into()));
        }
        if r.sources.iter().any(|s| !people.contains(s)) {
            problems.push((f("sources"), "names a stakeholder that is not in the backup".into()));
        }
        for (name, value) in [("created_at", Some(&r.created_at)), ("updated_at", Some(&r.updated_at))] {
            if let Some(v) = value.filter(|v| parse_timestamp(v).is_err()) {
                problems.push((f(name), format!("{v:?} is not an RFC 3339 timestamp")));
            }
        }
    }
    for t in &p.time_entries {
        if t.interview.is_some_and(|i| !interviews.contains(&i)) {
            problems.push((
                at(&format!("time_entries[{}].interview", t.id)),
                "names an interview that is not in the backup".into(),
            ));
        }
        if parse_timestamp(&t.started_at).is_err() {
            problems.push((
                at(&format!("time_entries[{}].started_at", t.id)),
                format!("{:?} is not a timestamp", t.started_at),
            ));
        }
    }
    for (field, message) in problems {
        report(field, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The backup must be byte for byte what serde_json writes, also when the long lists span many chunks,
    /// when one list is empty, and for several projects.
    #[test]
    fn parallel_pretty_output_equals_serde_json() {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::load(&mut store).unwrap();
        let id = store.all_project_ids().unwrap()[0];
        let demo = store.project_record(id).unwrap();
        assert!(!demo.requirements.is_empty() && !demo.change_log.is_empty());
        let mut big = demo.clone();
        big.requirements = demo.requirements.iter().cycle().take(2_500).cloned().collect();
        big.change_log = demo.change_log.iter().cycle().take(3_100).cloned().collect();
        let mut bare = demo.clone();
        bare.change_log.clear();
        for projects in [vec![demo.clone()], vec![big, bare, demo]] {
            let backup = Backup {
                format: BACKUP_FORMAT.into(),
                format_version: BACKUP_FORMAT_VERSION,
                schema_version: SCHEMA_VERSION,
                projects,
            };
            let expected = serde_json::to_string_pretty(&backup).unwrap();
            let mut ours = Vec::new();
            write_pretty(backup, &mut ours).unwrap();
            assert!(String::from_utf8(ours).unwrap() == expected, "the parallel layout differs from serde_json's");
        }
    }
}
