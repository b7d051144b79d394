//! Interview mode: starting, pausing, resuming and stopping the running interview together with its
//! `requirements` timer, timestamped notes, and capturing requirements attributed to the interview.
//!
//! Each operation is one [`Store::write`], so the interview row, its time entry, a captured requirement
//! and a note always change together (and one undo reverts them together). Notes are lines `HH:MM  text`
//! in the interview's `notes` column rather than a table of their own: they are a transcript to read and
//! export as one text, a note's identity is its line, and no migration is needed.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};

use super::{Entity, NewInterview, Result, Store, StoreError, Tx, text};
use crate::domain::*;

/// How a note marks the requirement its words repeat: "(repeats SHOP-5)".
fn repeat_marker(human: &str) -> String {
    format!("(repeats {human})")
}

/// The human ids the notes mark as repeated, in order.
fn repeated_ids(notes: &str) -> Vec<&str> {
    notes.lines().filter_map(|l| l.trim_end().strip_suffix(')')?.rsplit_once("(repeats ").map(|(_, id)| id)).collect()
}

/// The gap between a note's time and its text.
const NOTE_GAP: &str = "  ";

/// The non-empty lines of an interview's notes, each one note.
pub fn note_lines(notes: &str) -> Vec<&str> {
    notes.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// Splits a note line into its `HH:MM` time (when it has one) and its text.
pub fn split_note(line: &str) -> (Option<&str>, &str) {
    let b = line.as_bytes();
    let stamped = b.len() > 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
    if stamped { (Some(&line[..5]), line[5..].trim()) } else { (None, line.trim()) }
}

/// Shortens `text` to a valid requirement title (one line, at most [`MAX_TITLE_CHARS`] characters).
fn title_from(text: &str) -> String {
    let line = clean_line(text);
    if line.chars().count() <= MAX_TITLE_CHARS {
        return line;
    }
    let mut cut: String = line.chars().take(MAX_TITLE_CHARS - 1).collect();
    cut.push('…');
    cut
}

impl Tx<'_> {
    /// The project's open interview: (id, title).
    fn open_interview_id(&self, project: ProjectId) -> Result<Option<(InterviewId, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, title FROM interview WHERE project_id = ?1 AND ended_at IS NULL AND deleted_at IS NULL
                 ORDER BY started_at DESC LIMIT 1",
                [project],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    fn require_open_interview(&self, project: ProjectId) -> Result<(InterviewId, String)> {
        self.open_interview_id(project)?.ok_or_else(|| {
            StoreError::NotFound("no interview is running; start one with `elicit interview start`".into())
        })
    }

    /// The running time entry linked to `interview`, if its timer runs.
    fn interview_timer(&self, interview: InterviewId) -> Result<Option<TimeEntryId>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM time_entry WHERE interview_id = ?1 AND ended_at IS NULL AND deleted_at IS NULL",
                [interview],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The live stakeholders of an interview, in the order they were picked.
    fn interview_people(&self, interview: InterviewId) -> Result<Vec<StakeholderId>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT l.stakeholder_id FROM interview_stakeholder l JOIN stakeholder s ON s.id = l.stakeholder_id
             WHERE l.interview_id = ?1 AND s.deleted_at IS NULL ORDER BY l.position",
        )?;
        let rows = stmt.query_map([interview], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn notes_of(&self, interview: InterviewId) -> Result<String> {
        Ok(self.conn().query_row("SELECT notes FROM interview WHERE id = ?1", [interview], |r| r.get(0))?)
    }

    /// Appends `HH:MM  text` (the time of `at`, UTC) to the interview's notes.
    fn append_note(&self, interview: InterviewId, at: Timestamp, note: &str) -> Result<()> {
        let note = required_line("note", note, MAX_TEXT_CHARS)?;
        let mut notes = self.notes_of(interview)?;
        if !notes.is_empty() && !notes.ends_with('\n') {
            notes.push('\n');
        }
        notes.push_str(&format!("{}{NOTE_GAP}{note}", at.strftime("%H:%M")));
        let notes = long_text("interview notes", &notes)?;
        self.set(Entity::Interview, &interview.to_string(), "notes", text(notes)).map(drop)
    }

    /// Inserts a requirement attributed to the open interview and, unless `sources` says otherwise, to
    /// every stakeholder of it.
    fn capture(
        &self,
        project: ProjectId,
        title: &str,
        stage: Option<StageId>,
        quote: &str,
        sources: Option<Vec<StakeholderId>>,
    ) -> Result<RequirementId> {
        let (interview, _) = self.require_open_interview(project)?;
        let sources = match sources {
            Some(s) => s,
            None => self.interview_people(interview)?,
        };
        // A spoken line longer than a title keeps every word as the statement.
        let (title, statement) = title_and_statement(title);
        let new = NewRequirement {
            title,
            statement,
            quote: quote.to_owned(),
            stage,
            interview: Some(interview),
            sources,
            ..Default::default()
        }
        .validated()?;
        Ok(self.insert_requirement(project, &new)?.0)
    }
}

impl Store {
    /// Starts an interview now with its stakeholders, and a `requirements` timer linked to it (stopping
    /// any other running timer), as one action. Refused while another interview is open.
    pub fn start_interview(
        &mut self,
        project: ProjectId,
        title: &str,
        mode: InterviewMode,
        stakeholders: &[StakeholderId],
    ) -> Result<Interview> {
        let id = self.write(Some(project), |tx| {
            if let Some((_, open)) = tx.open_interview_id(project)? {
                return Err(StoreError::Conflict(format!(
                    "the interview {open:?} is still running; stop it first (`elicit interview stop`)"
                )));
            }
            let new = NewInterview {
                title: title.to_owned(),
                mode,
                started_at: tx.now(),
                ended_at: None,
                notes: String::new(),
                stakeholders: stakeholders.to_vec(),
            };
            let id = tx.insert_interview(project, &new)?;
            tx.start_timer(project, Activity::Requirements, Some(id), &format!("Interview: {}", clean_line(title)))?;
            Ok(id)
        })?;
        self.interview(id)
    }

    /// Pauses the open interview: closes its running time entry. Refused when it is already paused.
    pub fn pause_interview(&mut self, project: ProjectId) -> Result<Interview> {
        let id = self.write(Some(project), |tx| {
            let (id, title) = tx.require_open_interview(project)?;
            if tx.interview_timer(id)?.is_none() {
                return Err(StoreError::Conflict(format!("the interview {title:?} is already paused")));
            }
            tx.stop_timer(project)?;
            Ok(id)
        })?;
        self.interview(id)
    }

    /// Resumes a paused interview: opens a new `requirements` time entry linked to it (stopping any other
    /// running timer). Refused when its timer already runs.
    pub fn resume_interview(&mut self, project: ProjectId) -> Result<Interview> {
        let id = self.write(Some(project), |tx| {
            let (id, title) = tx.require_open_interview(project)?;
            if tx.interview_timer(id)?.is_some() {
                return Err(StoreError::Conflict(format!("the interview {title:?} is not paused")));
            }
            tx.start_timer(project, Activity::Requirements, Some(id), &format!("Interview: {title}"))?;
            Ok(id)
        })?;
        self.interview(id)
    }

    /// Ends the open interview now and closes its running time entry (a timer of another activity, started
    /// while the interview was paused, keeps running).
    pub fn stop_interview(&mut self, project: ProjectId) -> Result<Interview> {
        let id = self.write(Some(project), |tx| {
            let (id, _) = tx.require_open_interview(project)?;
            if tx.interview_timer(id)?.is_some() {
                tx.stop_timer(project)?;
            }
            tx.set(Entity::Interview, &id.to_string(), "ended_at", text(format_timestamp(tx.now())))?;
            Ok(id)
        })?;
        self.interview(id)
    }

    /// Reopens an ended interview to go on with it (a follow-up question, a second session): it is open
    /// again, and a new `requirements` time entry linked to it starts (stopping any other running timer);
    /// the time between the two sessions is not counted. Refused while another interview is open.
    pub fn reopen_interview(&mut self, id: InterviewId) -> Result<Interview> {
        let interview = self.interview(id)?;
        let project = interview.project_id;
        if interview.ended_at.is_none() {
            return Err(StoreError::Conflict(format!("the interview {:?} is still open", interview.title)));
        }
        self.write(Some(project), |tx| {
            if let Some((_, open)) = tx.open_interview_id(project)? {
                return Err(StoreError::Conflict(format!(
                    "the interview {open:?} is running; end it before reopening another"
                )));
            }
            tx.set(Entity::Interview, &id.to_string(), "ended_at", rusqlite::types::Value::Null)?;
            tx.start_timer(project, Activity::Requirements, Some(id), &format!("Interview: {}", interview.title))?;
            Ok(())
        })?;
        self.interview(id)
    }

    /// True when the interview is open but its timer does not run.
    pub fn interview_paused(&self, interview: &Interview) -> Result<bool> {
        if interview.ended_at.is_some() {
            return Ok(false);
        }
        let running: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM time_entry WHERE interview_id = ?1 AND ended_at IS NULL AND deleted_at IS NULL",
            [interview.id],
            |r| r.get(0),
        )?;
        Ok(!running)
    }

    /// Appends a timestamped note (`HH:MM  text`, UTC) to an interview.
    pub fn add_interview_note(&mut self, interview: InterviewId, note: &str) -> Result<Interview> {
        let project = self.interview(interview)?.project_id;
        self.write(Some(project), |tx| tx.append_note(interview, tx.now(), note))?;
        self.interview(interview)
    }

    /// Captures a requirement from one typed line: attributed to the open interview and its stakeholders,
    /// placed in `stage`. Refused when no interview is open.
    pub fn capture_requirement(
        &mut self,
        project: ProjectId,
        title: &str,
        stage: Option<StageId>,
    ) -> Result<Requirement> {
        let id = self.write(Some(project), |tx| tx.capture(project, title, stage, "", None))?;
        self.requirement(id)
    }

    /// The line being typed repeats `existing`: instead of a second requirement, the open interview's
    /// stakeholders join its sources (it was heard again, from them) and the words as said go to the
    /// interview's notes, marked with the id they repeat, so nothing heard is lost. One action for undo.
    pub fn link_repeat(&mut self, project: ProjectId, existing: RequirementId, words: &str) -> Result<Requirement> {
        let r = self.requirement(existing)?;
        if r.deleted_at.is_some() || r.project_id != project {
            return Err(StoreError::Conflict("that requirement is no longer in this project".into()));
        }
        let key = self.project(project)?.key;
        let note = format!("{} {}", words.trim(), repeat_marker(&human_id(&key, r.seq)));
        self.write(Some(project), |tx| {
            let (interview, _) = tx.require_open_interview(project)?;
            let mut sources = r.sources.clone();
            for who in tx.interview_people(interview)? {
                if !sources.contains(&who) {
                    sources.push(who);
                }
            }
            let id = existing.to_string();
            let values: Vec<String> = sources.iter().map(ToString::to_string).collect();
            if tx.write_links(super::history::Link::Sources, &id, &values)? {
                tx.changed_requirement(&id)?;
                tx.conn()
                    .execute("UPDATE requirement SET updated_at = ?1 WHERE id = ?2", params![tx.now_text(), id])?;
            }
            tx.append_note(interview, tx.now(), &note)
        })?;
        self.requirement(existing)
    }

    /// Turns a captured requirement into a note of its interview instead: the requirement is deleted (soft)
    /// and its title appended as a note stamped with the time it was captured.
    pub fn requirement_to_note(&mut self, id: RequirementId) -> Result<Interview> {
        let r = self.requirement(id)?;
        if r.deleted_at.is_some() {
            return Err(StoreError::Conflict("that requirement is already deleted".into()));
        }
        let interview = r.interview.ok_or_else(|| {
            StoreError::Conflict("that requirement was not captured in an interview; there is no notes pane".into())
        })?;
        // The words as heard: the quote, else the whole line (a long line keeps it in the statement).
        let text = if !r.quote.is_empty() {
            r.quote.clone()
        } else if r.title.chars().count() > 0 && r.statement.starts_with(r.title.trim_end_matches('…')) {
            r.statement.clone()
        } else {
            r.title.clone()
        };
        self.write(Some(r.project_id), |tx| {
            tx.soft_delete(Entity::Requirement, &id.to_string())?;
            tx.append_note(interview, r.created_at, &text)
        })?;
        self.interview(interview)
    }

    /// Turns note number `index` (of [`note_lines`]) of the open interview into a requirement that keeps
    /// the words verbatim as its quote. A note written `Name: words` is attributed to that stakeholder of
    /// the interview; any other note to all of them. The note leaves the notes pane (one action: undo
    /// brings it back and removes the requirement).
    pub fn note_to_requirement(
        &mut self,
        project: ProjectId,
        index: usize,
        stage: Option<StageId>,
    ) -> Result<Requirement> {
        let id = self.write(Some(project), |tx| {
            let (interview, _) = tx.require_open_interview(project)?;
            let notes = tx.notes_of(interview)?;
            let lines = note_lines(&notes);
            let line = *lines.get(index).ok_or_else(|| StoreError::NotFound(format!("no note {}", index + 1)))?;
            let (_, words) = split_note(line);
            let people = tx.interview_people(interview)?;
            let (sources, quote) = match said_by(tx, &people, words)? {
                Some((who, rest)) => (vec![who], rest),
                None => (people, words),
            };
            let id = tx.capture(project, &title_from(quote), stage, quote, Some(sources))?;
            let kept: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, l)| *l).collect();
            tx.set(Entity::Interview, &interview.to_string(), "notes", Value::Text(kept.join("\n")))?;
            Ok(id)
        })?;
        self.requirement(id)
    }

    /// What was heard in an interview: the live requirements captured in it, then those a line of it
    /// repeated (linked with [`Store::link_repeat`], marked in its notes), each once. The read-back and a
    /// whole read-back's sign-off cover these.
    pub fn interview_heard(&self, interview: InterviewId) -> Result<Vec<(RequirementId, i64)>> {
        let mut heard = self.interview_requirements(interview)?;
        let i = self.interview(interview)?;
        let key = self.project(i.project_id)?.key;
        for id in repeated_ids(&i.notes) {
            let Some(seq) = id.strip_prefix(&format!("{key}-")).and_then(|n| n.parse::<i64>().ok()) else { continue };
            let found: Option<RequirementId> = self
                .conn
                .query_row(
                    "SELECT id FROM requirement WHERE project_id = ?1 AND seq = ?2 AND deleted_at IS NULL",
                    params![i.project_id, seq],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(found) = found.filter(|f| !heard.iter().any(|(h, _)| h == f)) {
                heard.push((found, seq));
            }
        }
        Ok(heard)
    }

    /// The live requirements captured in an interview, in id order.
    pub fn interview_requirements(&self, interview: InterviewId) -> Result<Vec<(RequirementId, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, seq FROM requirement WHERE interview_id = ?1 AND deleted_at IS NULL ORDER BY seq",
        )?;
        let rows = stmt.query_map([interview], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// `Name: words` where Name is (the whole name or the first name of) one of `people`: that stakeholder
/// and the words.
fn said_by<'a>(tx: &Tx<'_>, people: &[StakeholderId], note: &'a str) -> Result<Option<(StakeholderId, &'a str)>> {
    let Some((who, rest)) = note.split_once(':') else { return Ok(None) };
    let (who, rest) = (who.trim(), rest.trim());
    if who.is_empty() || rest.is_empty() || who.chars().count() > MAX_NAME_CHARS {
        return Ok(None);
    }
    for p in people {
        let name: String =
            tx.conn().query_row("SELECT name FROM stakeholder WHERE id = ?1", params![p], |r| r.get(0))?;
        let first = name.split_whitespace().next().unwrap_or_default();
        if name.eq_ignore_ascii_case(who) || first.eq_ignore_ascii_case(who) {
            return Ok(Some((*p, rest)));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_lines_split_into_time_and_text() {
        assert_eq!(split_note("10:05  Refunds take too long"), (Some("10:05"), "Refunds take too long"));
        assert_eq!(split_note("free text"), (None, "free text"));
        assert_eq!(split_note("1:05 x"), (None, "1:05 x"));
        assert_eq!(note_lines("a\n\n  \nb"), vec!["a", "b"]);
        assert_eq!(title_from(&"x".repeat(300)).chars().count(), MAX_TITLE_CHARS);
    }
}
