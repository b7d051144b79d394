//! Interview mode in the workbench: the capture box, quick actions on the last captured line, the notes
//! pane, starting, pausing and stopping the interview, and the unsaved line kept in the draft table.
//!
//! The interview itself (open or not, paused or not) is read from the view model (`ProjectData`), so the
//! header, this screen and the store never disagree; this module only holds what is typed and selected.
//! A capture appends its row to the loaded data instead of reloading the project, so Enter stays fast on
//! a database of 100,000 requirements.

mod gaps;
mod start;

use std::cell::RefCell;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

use super::action::Action;
use super::app::{App, FormPurpose, Overlay, Pending};
use super::data::ProjectData;
use super::form::{Field, Form};
use super::picker::{Picker, PickerPurpose};
use crate::domain::*;
use crate::store::note_lines;

/// The draft slot that holds the capture box's unsaved line.
pub const DRAFT_CAPTURE: &str = "capture-line";

/// Which part of the Capture screen has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaptureFocus {
    #[default]
    Box,
    Notes,
}

/// What a picker opened from the capture box sets on the last captured line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapturePick {
    Stage,
    Outcome,
}

/// The gap prompts: names of stages and outcomes with no requirement, departments never interviewed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gaps {
    pub stages: Vec<String>,
    pub outcomes: Vec<String>,
    pub departments: Vec<String>,
}

/// What the gaps were computed from; when any of it changes they are computed again.
type GapKey = (u64, usize, usize, usize, usize, usize);

/// The Capture screen's own state.
pub struct CaptureState {
    pub focus: CaptureFocus,
    /// The one-line capture box.
    pub input: TextArea<'static>,
    /// The stage new lines get: the first stage, or the last one chosen here.
    pub stage: Option<StageId>,
    /// Requirements captured in the open interview (id, number), oldest first.
    pub captured: Vec<(RequirementId, i64)>,
    /// The interview `captured` belongs to.
    pub interview: Option<InterviewId>,
    /// The line quick keys act on.
    pub last: Option<RequirementId>,
    pub note_selected: usize,
    revision: u64,
    saved_revision: u64,
    last_save: Instant,
    gaps: RefCell<Option<(GapKey, Gaps)>>,
}

impl Default for CaptureState {
    fn default() -> Self {
        CaptureState {
            focus: CaptureFocus::Box,
            input: one_line(""),
            stage: None,
            captured: Vec::new(),
            interview: None,
            last: None,
            note_selected: 0,
            revision: 0,
            saved_revision: 0,
            last_save: Instant::now(),
            gaps: RefCell::new(None),
        }
    }
}

fn one_line(text: &str) -> TextArea<'static> {
    let mut t = TextArea::new(vec![clean_line(text)]);
    t.set_cursor_line_style(ratatui::style::Style::default());
    t.move_cursor(CursorMove::End);
    t
}

impl CaptureState {
    /// The text typed in the box.
    pub fn text(&self) -> String {
        self.input.lines().join(" ")
    }

    fn set_text(&mut self, text: &str) {
        self.input = one_line(text);
        self.revision += 1;
    }

    /// The gap prompts for `d`, computed again only when the data changed.
    pub fn gaps(&self, d: &ProjectData) -> Gaps {
        let key = (d.revision, d.total, d.stages.len(), d.outcomes.len(), d.stakeholders.len(), d.interviews.len());
        if let Some((k, g)) = &*self.gaps.borrow()
            && *k == key
        {
            return g.clone();
        }
        let g = gaps::compute_gaps(d);
        *self.gaps.borrow_mut() = Some((key, g.clone()));
        g
    }
}

/// The open interview of the loaded project, if any.
pub fn open_interview(d: &ProjectData) -> Option<&Interview> {
    d.interviews.iter().rev().find(|i| i.ended_at.is_none())
}

/// True when the interview's timer is not running (from the loaded time entries).
pub fn is_paused(d: &ProjectData, interview: &Interview) -> bool {
    d.running_timer().is_none_or(|e| e.interview != Some(interview.id))
}

impl App {
    /// Brings the capture state in line with the loaded project: the open interview's captured lines, the
    /// default stage, and an unsaved line from a previous run. Called after loading or reloading.
    pub fn capture_sync(&mut self) {
        let Some(d) = &self.data else { return };
        let open = open_interview(d).map(|i| i.id);
        if self.capture.stage.is_none_or(|s| d.stage(Some(s)).is_none()) {
            self.capture.stage = d.stages.first().map(|s| s.id);
        }
        if open != self.capture.interview || open.is_some() {
            self.capture.interview = open;
            let captured = match open.map(|i| self.store.interview_requirements(i)).transpose() {
                Ok(c) => c.unwrap_or_default(),
                Err(e) => return self.error(e),
            };
            if self.capture.last.is_none_or(|l| !captured.iter().any(|c| c.0 == l)) {
                self.capture.last = captured.last().map(|c| c.0);
            }
            self.capture.captured = captured;
        }
        let notes = d.interviews.iter().find(|i| Some(i.id) == open).map_or(0, |i| note_lines(&i.notes).len());
        self.capture.note_selected = self.capture.note_selected.min(notes.saturating_sub(1));
    }

    /// After a project is loaded: an interview left running lands on Capture with its unsaved line back.
    pub fn capture_after_load(&mut self) {
        self.capture = Default::default();
        self.capture_sync();
        let Some(d) = &self.data else { return };
        if open_interview(d).is_none() {
            return;
        }
        self.screen = super::app::Screen::Capture;
        let project = d.project.id;
        match self.store.draft(project, DRAFT_CAPTURE) {
            Ok(Some(draft)) => {
                let text = draft.payload.get("text").and_then(|t| t.as_str()).unwrap_or_default().to_owned();
                if !text.trim().is_empty() {
                    self.capture.set_text(&text);
                    self.capture.saved_revision = self.capture.revision;
                    let when = draft.updated_at.strftime("%H:%M UTC");
                    self.info(format!("Your unsaved line from {when} is back in the box: Enter saves it."));
                }
            }
            Ok(None) => {}
            Err(e) => self.error(e),
        }
    }

    /// Saves the capture box's text to the draft table when it changed (at most every 0.5 s unless
    /// `now`), so a crash loses at most the last half second of typing.
    pub fn autosave_capture(&mut self, now: bool) {
        let c = &self.capture;
        if c.revision == c.saved_revision || (!now && c.last_save.elapsed() < Duration::from_millis(500)) {
            return;
        }
        let Some(d) = &self.data else { return };
        let project = d.project.id;
        let text = self.capture.text();
        let result = if text.trim().is_empty() {
            self.store.discard_draft(project, DRAFT_CAPTURE)
        } else {
            let interview = self.capture.interview.map(|i| i.to_string()).unwrap_or_default();
            self.store.save_draft(project, DRAFT_CAPTURE, &serde_json::json!({ "interview": interview, "text": text }))
        };
        self.capture.saved_revision = self.capture.revision;
        self.capture.last_save = Instant::now();
        if let Err(e) = result {
            self.error(e);
        }
    }

    fn clear_box(&mut self) {
        self.capture.set_text("");
        self.autosave_capture(true);
    }

    /// A key while the capture box has the keyboard: bound keys act, others edit the line.
    pub fn capture_key(&mut self, key: &KeyEvent, action: Option<Action>) {
        if let Some(a) = action {
            return self.capture_action(a);
        }
        // One line only: no line breaks, no control characters.
        let newline = key.code == KeyCode::Enter
            || key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('m' | 'j'));
        if newline || matches!(key.code, KeyCode::Char(c) if c.is_control()) {
            return;
        }
        if self.capture.input.input(*key) {
            self.capture.revision += 1;
        }
    }

    /// Pasted text goes into the box as one line.
    pub fn capture_paste(&mut self, text: &str) {
        if self.data.as_ref().and_then(open_interview).is_none() {
            return;
        }
        self.capture.input.insert_str(clean_line(text));
        self.capture.revision += 1;
    }

    /// Applies an action on the Capture screen.
    pub fn capture_action(&mut self, action: Action) {
        let Some(d) = &self.data else { return };
        let open = open_interview(d).cloned();
        let Some(open) = open else {
            if action == Action::New {
                self.open_start_interview_form();
            }
            return;
        };
        match action {
            Action::Save => self.capture_line(),
            Action::AddNote if self.capture.focus == CaptureFocus::Box => self.capture_note_from_box(open.id),
            Action::AddNote => self.open_note_form(),
            Action::SwitchFocus => {
                self.capture.focus = match self.capture.focus {
                    CaptureFocus::Box => CaptureFocus::Notes,
                    CaptureFocus::Notes => CaptureFocus::Box,
                }
            }
            Action::Up => self.capture.note_selected = self.capture.note_selected.saturating_sub(1),
            Action::Down => {
                let n = note_lines(&open.notes).len();
                self.capture.note_selected = (self.capture.note_selected + 1).min(n.saturating_sub(1));
            }
            Action::First => self.capture.note_selected = 0,
            Action::Last => self.capture.note_selected = note_lines(&open.notes).len().saturating_sub(1),
            Action::NoteToRequirement => self.capture_note_to_requirement(),
            Action::PauseResume => self.capture_pause_resume(&open),
            Action::StopInterview => self.overlays.push(Overlay::Confirm {
                message: format!("End the interview {:?} and stop its timer?", open.title),
                pending: Pending::StopInterview,
            }),
            Action::PickStage | Action::PickOutcome => self.capture_picker(action),
            Action::SetStage(n) => {
                let stage = d.stages.get(usize::from(n).saturating_sub(1)).map(|s| s.id);
                match stage {
                    Some(s) => self.capture_set_stage(s),
                    None => self.error(format!("there is no stage {n}; the journey has {}", d.stages.len())),
                }
            }
            Action::CyclePriority | Action::ToggleMomentOfTruth | Action::TogglePainPoint => self.capture_flag(action),
            Action::LastToNote => self.capture_last_to_note(),
            _ => {}
        }
    }

    /// Enter in the box: saves the line at once, attributed to the interview, in the default stage.
    fn capture_line(&mut self) {
        let Some(d) = &self.data else { return };
        let text = self.capture.text();
        if text.trim().is_empty() {
            return self.info("Type what you heard, then Enter.");
        }
        let project = d.project.id;
        match self.store.capture_requirement(project, &text, self.capture.stage) {
            Ok(r) => {
                self.capture.captured.push((r.id, r.seq));
                self.capture.last = Some(r.id);
                self.clear_box();
                self.show_new_row(r.id);
                let id = self.data.as_ref().map(|d| d.human_id(r.seq)).unwrap_or_default();
                self.info(format!("Captured {id}."));
            }
            Err(e) => self.error(e),
        }
    }

    /// Adds a just-captured requirement to the loaded rows. Nothing else in the view model changes when
    /// a line is captured, so the project is not reloaded: this keeps Enter within a frame on big projects.
    fn show_new_row(&mut self, id: RequirementId) {
        let Some(d) = &mut self.data else { return };
        let before = d.rows.len();
        if let Err(e) = d.patch_row(&self.store, id) {
            return self.error(e);
        }
        if d.rows.len() == before + 1 && d.rows.last().is_some_and(|r| r.id == id) {
            self.screens.requirements.index.appended(d);
        } else {
            self.screens.requirements.index.apply(d, None);
        }
    }

    fn capture_note_from_box(&mut self, interview: InterviewId) {
        let text = self.capture.text();
        if text.trim().is_empty() {
            return self.info("Type the note in the box, then Ctrl-N.");
        }
        match self.store.add_interview_note(interview, &text) {
            Ok(_) => {
                self.clear_box();
                self.refresh_requirement(None);
                self.capture.note_selected = usize::MAX;
                self.capture_sync();
                self.info("Note added.");
            }
            Err(e) => self.error(e),
        }
    }

    fn open_note_form(&mut self) {
        let field = Field::line("note", "Note", "").with_help("what was said; \"Name: words\" records who said it");
        self.overlays.push(Overlay::Form {
            form: Box::new(Form::new("Add a note", vec![field])),
            purpose: FormPurpose::AddNote,
        });
    }

    /// Saves the note form.
    pub(super) fn save_note_form(&mut self, form: &mut Form) -> Result<String, crate::store::StoreError> {
        let Some(interview) = self.data.as_ref().and_then(open_interview).map(|i| i.id) else {
            return Ok("The interview has ended.".into());
        };
        if let Err(e) = required_line("note", &form.text("note"), MAX_TEXT_CHARS) {
            form.set_error("note", Some(e.to_string()));
            return Ok(String::new());
        }
        self.store.add_interview_note(interview, &form.text("note"))?;
        self.refresh_requirement(None);
        self.capture.note_selected = usize::MAX;
        self.capture_sync();
        Ok("Note added.".into())
    }

    fn capture_note_to_requirement(&mut self) {
        let Some(d) = &self.data else { return };
        let project = d.project.id;
        match self.store.note_to_requirement(project, self.capture.note_selected, self.capture.stage) {
            Ok(r) => {
                self.capture.captured.push((r.id, r.seq));
                self.capture.last = Some(r.id);
                self.refresh_requirement(Some(r.id));
                self.capture_sync();
                let id = self.data.as_ref().map(|d| d.human_id(r.seq)).unwrap_or_default();
                self.info(format!("Note is now {id}, with its quote and who said it."));
            }
            Err(e) => self.error(e),
        }
    }

    fn capture_pause_resume(&mut self, open: &Interview) {
        let Some(d) = &self.data else { return };
        let project = d.project.id;
        let paused = is_paused(d, open);
        let result = if paused { self.store.resume_interview(project) } else { self.store.pause_interview(project) };
        match result {
            Ok(_) => {
                self.reload_time();
                self.info(if paused { "Resumed: the timer runs again." } else { "Paused: the timer is stopped." });
            }
            Err(e) => self.error(e),
        }
    }

    /// Reloads the small tables and the time entries (after the interview or its timer changed).
    fn reload_time(&mut self) {
        let Some(d) = &mut self.data else { return };
        let result = d.reload_small(&self.store).and_then(|()| d.reload_time(&self.store));
        if let Err(e) = result {
            self.error(e);
        }
        self.capture_sync();
    }

    /// The confirmed stop: ends the interview and its time entry.
    pub(super) fn capture_stop(&mut self) {
        let Some(d) = &self.data else { return };
        let project = d.project.id;
        match self.store.stop_interview(project) {
            Ok(i) => {
                let n = self.capture.captured.len();
                self.autosave_capture(true);
                self.reload_time();
                self.capture.focus = CaptureFocus::Box;
                let minutes = i.ended_at.unwrap_or(i.started_at).duration_since(i.started_at).as_mins();
                self.info(format!("Interview ended after {minutes} min; {n} requirement(s) captured."));
            }
            Err(e) => self.error(e),
        }
    }

    fn last_line(&mut self) -> Option<RequirementId> {
        let last = self.capture.last.filter(|l| self.capture.captured.iter().any(|c| c.0 == *l));
        if last.is_none() {
            self.info("Nothing captured yet: type a line and press Enter first.");
        }
        last
    }

    fn capture_picker(&mut self, action: Action) {
        let Some(d) = &self.data else { return };
        let Some(last) = self.capture.last.filter(|l| self.capture.captured.iter().any(|c| c.0 == *l)) else {
            return self.info("Nothing captured yet: type a line and press Enter first.");
        };
        let row = d.rows.iter().rev().find(|r| r.id == last);
        let picker = if action == Action::PickStage {
            let items = d.stages.iter().map(|s| (s.id.to_string(), s.name.clone())).collect();
            let current = row.and_then(|r| r.stage).map(|s| vec![s.to_string()]).unwrap_or_default();
            Picker::new("Stage of the last line", items, false, current, PickerPurpose::Capture(CapturePick::Stage))
        } else {
            let items = d.outcomes.iter().map(|o| (o.id.to_string(), o.statement.clone())).collect();
            let current: Vec<String> =
                d.outcome_links.iter().filter(|(r, _)| *r == last).map(|(_, o)| o.to_string()).collect();
            Picker::new("Outcomes of the last line", items, true, current, PickerPurpose::Capture(CapturePick::Outcome))
        };
        self.overlays.push(Overlay::Picker(picker));
    }

    /// A choice from a picker opened by a quick key.
    pub(super) fn capture_picked(&mut self, what: CapturePick, result: Vec<String>) {
        match what {
            CapturePick::Stage => {
                if let Some(s) = result.first().and_then(|s| s.parse().ok()) {
                    self.capture_set_stage(s);
                }
            }
            CapturePick::Outcome => {
                let Some(last) = self.last_line() else { return };
                let outcomes: Vec<OutcomeId> = result.iter().filter_map(|o| o.parse().ok()).collect();
                let patch = RequirementPatch { outcomes: Some(outcomes), ..Default::default() };
                self.capture_patch(last, patch, "Outcomes linked.");
            }
        }
    }

    /// Sets the last line's stage, and makes it the stage of the lines that follow.
    fn capture_set_stage(&mut self, stage: StageId) {
        self.capture.stage = Some(stage);
        let name = self.data.as_ref().and_then(|d| d.stage(Some(stage))).map(|s| s.name.clone()).unwrap_or_default();
        match self.capture.last.filter(|l| self.capture.captured.iter().any(|c| c.0 == *l)) {
            Some(last) => {
                let patch = RequirementPatch { stage: Some(Some(stage)), ..Default::default() };
                self.capture_patch(last, patch, &format!("Stage {name}; new lines go there too."));
            }
            None => self.info(format!("New lines go to stage {name}.")),
        }
    }

    fn capture_flag(&mut self, action: Action) {
        let Some(last) = self.last_line() else { return };
        let Some(row) = self.data.as_ref().and_then(|d| d.rows.iter().rev().find(|r| r.id == last)) else { return };
        let (patch, msg) = match action {
            Action::CyclePriority => {
                let i = Priority::ALL.iter().position(|p| *p == row.priority).unwrap_or(0);
                let p = Priority::ALL[(i + 1) % Priority::ALL.len()];
                (RequirementPatch { priority: Some(p), ..Default::default() }, format!("Priority {p}."))
            }
            Action::ToggleMomentOfTruth => {
                let on = !row.moment_of_truth;
                let msg = if on { "Marked a moment of truth ★." } else { "No longer a moment of truth." };
                (RequirementPatch { moment_of_truth: Some(on), ..Default::default() }, msg.to_owned())
            }
            _ => {
                let on = !row.pain_point;
                let msg = if on { "Marked a pain point !." } else { "No longer a pain point." };
                (RequirementPatch { pain_point: Some(on), ..Default::default() }, msg.to_owned())
            }
        };
        self.capture_patch(last, patch, &msg);
    }

    fn capture_patch(&mut self, id: RequirementId, patch: RequirementPatch, message: &str) {
        match self.store.update_requirement(id, patch) {
            Ok(_) => {
                self.refresh_requirement(Some(id));
                self.info(message.to_owned());
            }
            Err(e) => self.error(e),
        }
    }

    fn capture_last_to_note(&mut self) {
        let Some(last) = self.last_line() else { return };
        match self.store.requirement_to_note(last) {
            Ok(_) => {
                self.capture.captured.retain(|c| c.0 != last);
                self.capture.last = self.capture.captured.last().map(|c| c.0);
                self.refresh_requirement(Some(last));
                self.capture_sync();
                self.info("Turned into a note. Press Esc then u to undo.");
            }
            Err(e) => self.error(e),
        }
    }
}

impl App {
    /// The keymap mode of the Capture screen.
    pub fn capture_mode(&self) -> super::keymap::Mode {
        use super::keymap::Mode;
        match (self.data.as_ref().and_then(open_interview), self.capture.focus) {
            (None, _) => Mode::CaptureIdle,
            (Some(_), CaptureFocus::Box) => Mode::Capture,
            (Some(_), CaptureFocus::Notes) => Mode::CaptureNotes,
        }
    }
}
