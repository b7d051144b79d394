//! Interview mode in the workbench: the capture box, quick actions on the last captured line, the notes
//! pane, starting, pausing and stopping the interview, and the unsaved line kept in the draft table.
//!
//! The interview itself (open or not, paused or not) is read from the view model (`ProjectData`), so the
//! header, this screen and the store never disagree; this component only holds what is typed and selected.
//! A capture appends its row to the loaded data instead of reloading the project, so Enter stays fast on
//! a database of 100,000 requirements.

mod draw;
pub(crate) use draw::draw_gaps;
use draw::names;
mod review;
pub use review::InterviewView;
mod start;

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui_textarea::{CursorMove, TextArea};

use super::action::Action;
use super::component::{Component, Ctx, Effect, OverlayCtx, Selection, View, patch_requirement};
use super::data::ProjectData;
use super::form::{Field, Form};
use super::forms::{FormPurpose, FormView, SaveOutcome, WAITING, in_project};
use super::keymap::{Mode, keys_for};
use super::message::{Choice, FieldId, Leaving, LineFate, Purpose, Question, Screen};
use super::overlays::Confirm;
use super::picker::Picker;
use super::quality::{Repeat, Repeats};
use crate::analysis::lint::PairKind;
use crate::domain::*;
use crate::store::{Store, StoreError, note_lines};

/// The draft slot that holds the capture box's unsaved line.
pub const DRAFT_CAPTURE: &str = "capture-line";

/// Which part of the Capture screen has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaptureFocus {
    #[default]
    Box,
    Notes,
}

/// The Capture screen's own state.
pub struct CaptureScreen {
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
    /// What the quality lint says of the line being typed, the most serious finding first.
    pub live: Vec<crate::analysis::lint::Finding>,
    /// The requirement the line being typed nearly repeats or contradicts, if any.
    pub repeat: Option<Repeat>,
    pub note_selected: usize,
    /// With no interview running: the interview selected in the list of those held (newest first).
    pub held: Selection,
    /// How many notes the open interview had at the last sync: a note added since is selected.
    notes_seen: usize,
    /// Whether the loaded project has an interview open (it decides the keymap mode).
    open: bool,
    revision: u64,
    saved_revision: u64,
    last_save: Instant,
}

impl Default for CaptureScreen {
    fn default() -> Self {
        CaptureScreen {
            focus: CaptureFocus::Box,
            input: one_line(""),
            stage: None,
            captured: Vec::new(),
            interview: None,
            last: None,
            live: Vec::new(),
            repeat: None,
            note_selected: 0,
            held: Selection::default(),
            notes_seen: 0,
            open: false,
            revision: 0,
            saved_revision: 0,
            last_save: Instant::now(),
        }
    }
}

fn one_line(text: &str) -> TextArea<'static> {
    let mut t = TextArea::new(vec![clean_line(text)]);
    t.set_cursor_line_style(ratatui::style::Style::default());
    t.move_cursor(CursorMove::End);
    t
}

impl CaptureScreen {
    /// The text typed in the box.
    pub fn text(&self) -> String {
        self.input.lines().join(" ")
    }

    fn set_text(&mut self, text: &str) {
        self.input = one_line(text);
        self.revision += 1;
        self.live.clear();
        self.repeat = None;
    }

    /// Checks the line being typed, so the box can say at once why it reads weak and whether it repeats a
    /// requirement already there (it never blocks Enter).
    fn check(&mut self, linter: &crate::analysis::lint::Linter, repeats: Option<&Repeats>) {
        let text = self.text();
        self.live = linter.lint_text(&text);
        // The most serious first; among equals, the first in the line.
        self.live.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.start.cmp(&b.start)));
        self.repeat = repeats.and_then(|r| r.nearest(&text));
    }

    /// The line repeats a requirement: link it to that one instead of adding a second (see
    /// [`Store::link_repeat`]).
    fn link_repeat(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        let repeat = match &self.repeat {
            Some(r) if r.kind == PairKind::Duplicate && !self.text().trim().is_empty() => r.clone(),
            _ => {
                return Effect::Info("Nothing to link: the line being typed does not repeat a requirement.".into());
            }
        };
        match ctx.store.link_repeat(ctx.data.project.id, repeat.id, &self.text()) {
            Ok(r) => {
                let id = ctx.data.human_id(r.seq);
                let who = open_interview(ctx.data).map(|i| names(ctx.data, &i.stakeholders)).unwrap_or_default();
                Effect::Then(vec![
                    self.clear_box(ctx),
                    Effect::Refresh(Some(r.id)),
                    Effect::Info(format!("Linked to {id}, heard again from {who}; the words are in the notes.")),
                ])
            }
            Err(e) => Effect::error(e),
        }
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

impl CaptureScreen {
    /// Brings the capture state in line with the loaded project: the open interview's captured lines and
    /// the default stage. Called whenever the data changed.
    pub fn sync(&mut self, store: &Store, d: &ProjectData) -> Effect {
        let open = open_interview(d).map(|i| i.id);
        let same_interview = open == self.interview;
        self.open = open.is_some();
        if self.stage.is_none_or(|s| d.stage(Some(s)).is_none()) {
            self.stage = d.stages.first().map(|s| s.id);
        }
        if open != self.interview || open.is_some() {
            if open.is_some() && open != self.interview {
                // A newly opened interview: the cursor goes to the box, ready for the first line.
                self.focus = CaptureFocus::Box;
            }
            self.interview = open;
            let captured = match open.map(|i| store.interview_requirements(i)).transpose() {
                Ok(c) => c.unwrap_or_default(),
                Err(e) => return Effect::error(e),
            };
            if self.last.is_none_or(|l| !captured.iter().any(|c| c.0 == l)) {
                self.last = captured.last().map(|c| c.0);
            }
            self.captured = captured;
        }
        let notes = d.interviews.iter().find(|i| Some(i.id) == open).map_or(0, |i| note_lines(&i.notes).len());
        if same_interview && notes > self.notes_seen {
            self.note_selected = notes - 1;
        }
        self.notes_seen = notes;
        self.note_selected = self.note_selected.min(notes.saturating_sub(1));
        Effect::None
    }

    /// After a project is loaded: an interview left running lands on Capture with its unsaved line back.
    pub fn after_load(&mut self, store: &Store, d: &ProjectData) -> Effect {
        *self = CaptureScreen::default();
        let synced = self.sync(store, d);
        if open_interview(d).is_none() {
            return synced;
        }
        let mut effects = vec![synced, Effect::Show(Screen::Capture)];
        match store.draft(d.project.id, DRAFT_CAPTURE) {
            Ok(Some(draft)) => {
                let text = draft.payload.get("text").and_then(|t| t.as_str()).unwrap_or_default().to_owned();
                if !text.trim().is_empty() {
                    self.set_text(&text);
                    self.check(&d.linter, None);
                    self.saved_revision = self.revision;
                    let stage = draft.payload.get("stage").and_then(|s| s.as_str()).and_then(|s| s.parse().ok());
                    if let Some(stage) = stage.filter(|s| d.stage(Some(*s)).is_some()) {
                        self.stage = Some(stage);
                    }
                    let when = format!("{} {}", format_clock(draft.updated_at), zone_label());
                    effects.push(Effect::Info(format!(
                        "Your unsaved line from {when} is back in the box: {} saves it.",
                        keys_for(Mode::Capture, Action::Save)
                    )));
                }
            }
            Ok(None) => {}
            Err(e) => effects.push(Effect::error(e)),
        }
        Effect::Then(effects)
    }

    /// Saves the capture box's text to the draft table when it changed (at most every 0.5 s unless
    /// `now`), so a crash loses at most the last half second of typing.
    pub fn autosave(&mut self, store: &mut Store, d: &ProjectData, now: bool) -> Effect {
        if self.revision == self.saved_revision || (!now && self.last_save.elapsed() < Duration::from_millis(500)) {
            return Effect::None;
        }
        let project = d.project.id;
        let text = self.text();
        let result = if text.trim().is_empty() {
            store.discard_draft(project, DRAFT_CAPTURE)
        } else {
            let interview = self.interview.map(|i| i.to_string()).unwrap_or_default();
            // The sticky choices come back with the line after a crash, so it is filed as it was meant to be.
            let stage = self.stage.map(|s| s.to_string()).unwrap_or_default();
            let payload = serde_json::json!({ "interview": interview, "text": text, "stage": stage });
            store.save_draft(project, DRAFT_CAPTURE, &payload)
        };
        self.last_save = Instant::now();
        match result {
            Ok(()) => {
                self.saved_revision = self.revision;
                Effect::None
            }
            // Another process holds the file: the line stays in the box and is saved at the next tick.
            Err(StoreError::Busy) => Effect::Info(WAITING.into()),
            Err(e) => Effect::error(e),
        }
    }

    fn clear_box(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        self.set_text("");
        self.autosave(ctx.store, ctx.data, true)
    }

    /// Applies an action on the Capture screen.
    fn action(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        let d = ctx.data;
        let Some(open) = open_interview(d) else {
            return match action {
                Action::New => start::start_form(d),
                Action::Open => match d.interviews.iter().rev().nth(self.held.index) {
                    Some(i) => InterviewView::open(ctx.store, i.id),
                    None => Effect::Info(format!(
                        "No interviews held yet: {} starts one.",
                        keys_for(Mode::CaptureIdle, Action::New)
                    )),
                },
                _ => {
                    self.held.apply(action, d.interviews.len());
                    Effect::None
                }
            };
        };
        let typed = !self.text().trim().is_empty();
        if typed && action == Action::LastToNote && self.focus == CaptureFocus::Box {
            // The line being typed is the one meant: it becomes a note, as Ctrl-N would make it.
            return self.note_from_box(ctx, open.id);
        }
        if typed && self.focus == CaptureFocus::Box && action.acts_on_last_line() {
            // The command is meant for the line being typed: save it, then act on it once its row is in.
            // Should the save fail, the line stays in the box and nothing else is touched.
            return match self.capture_line(ctx) {
                saved if self.text().trim().is_empty() => Effect::Then(vec![saved, Effect::Dispatch(action)]),
                failed => failed,
            };
        }
        match action {
            Action::StopInterview if typed => {
                let items = vec![
                    (
                        Choice::LineFate(LineFate::Requirement),
                        "Save it as a requirement, then end the interview".into(),
                    ),
                    (Choice::LineFate(LineFate::Note), "Save it as a note, then end the interview".into()),
                    (Choice::LineFate(LineFate::Drop), "Drop it and end the interview".into()),
                ];
                let title = format!("End {:?}? The box still holds a line", open.title);
                Picker::new(title, items, false, Vec::new(), Purpose::EndWithLine).open()
            }
            Action::Save => self.capture_line(ctx),
            Action::AddNote if self.focus == CaptureFocus::Box => self.note_from_box(ctx, open.id),
            Action::AddNote => note_form(),
            Action::SwitchFocus => {
                self.focus = match self.focus {
                    CaptureFocus::Box => CaptureFocus::Notes,
                    CaptureFocus::Notes => CaptureFocus::Box,
                };
                Effect::None
            }
            Action::Up | Action::Down if self.focus == CaptureFocus::Box => {
                // While the box is empty, Up/Down mark an earlier line for the Alt keys.
                if !typed {
                    self.mark(if action == Action::Up { -1 } else { 1 });
                }
                Effect::None
            }
            Action::ClearLine => self.clear_box(ctx),
            Action::Up => {
                self.note_selected = self.note_selected.saturating_sub(1);
                Effect::None
            }
            Action::Down => {
                let n = note_lines(&open.notes).len();
                self.note_selected = (self.note_selected + 1).min(n.saturating_sub(1));
                Effect::None
            }
            Action::First => {
                self.note_selected = 0;
                Effect::None
            }
            Action::Last => {
                self.note_selected = note_lines(&open.notes).len().saturating_sub(1);
                Effect::None
            }
            Action::NoteToRequirement => self.note_to_requirement(ctx),
            Action::PauseResume => pause_resume(ctx, open),
            Action::StopInterview => Effect::Push(Confirm::new(
                format!("End the interview {:?} and stop its timer?", open.title),
                Question::StopInterview,
            )),
            Action::PickStage | Action::PickOutcome => self.picker(d, action),
            Action::SetStage(n) => match d.stages.get(usize::from(n).saturating_sub(1)).map(|s| s.id) {
                Some(s) => self.set_stage(ctx, s),
                None => Effect::Error(format!("there is no stage {n}; the journey has {}", d.stages.len())),
            },
            Action::CyclePriority | Action::SetPriority(_) | Action::ToggleMomentOfTruth | Action::TogglePainPoint => {
                self.flag(ctx, action)
            }
            Action::LastToNote => self.last_to_note(ctx),
            Action::LinkRepeat => self.link_repeat(ctx),
            _ => Effect::None,
        }
    }

    /// Enter in the box: saves the line at once, attributed to the interview, in the default stage.
    /// The line still in the box, saved as a requirement before the interview ends (so nothing typed is
    /// lost); nothing when the box is empty.
    fn capture_line_if_typed(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        if self.text().trim().is_empty() { Effect::None } else { self.capture_line(ctx) }
    }

    fn capture_line(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        let text = self.text();
        if text.trim().is_empty() {
            return Effect::Info(format!("Type what you heard, then {}.", keys_for(Mode::Capture, Action::Save)));
        }
        match ctx.store.capture_requirement(ctx.data.project.id, &text, self.stage) {
            Ok(r) => {
                self.captured.push((r.id, r.seq));
                self.last = Some(r.id);
                Effect::Then(vec![
                    self.clear_box(ctx),
                    Effect::RowAdded(r.id),
                    Effect::Info(format!("Captured {}.", ctx.data.human_id(r.seq))),
                ])
            }
            Err(e) => Effect::error(e),
        }
    }

    fn note_from_box(&mut self, ctx: &mut Ctx<'_>, interview: InterviewId) -> Effect {
        let text = self.text();
        if text.trim().is_empty() {
            return Effect::Info(format!(
                "Type the note in the box, then {}.",
                keys_for(Mode::Capture, Action::AddNote)
            ));
        }
        match ctx.store.add_interview_note(interview, &text) {
            Ok(_) => {
                self.note_selected = usize::MAX;
                Effect::Then(vec![self.clear_box(ctx), Effect::Refresh(None), Effect::Info("Note added.".into())])
            }
            Err(e) => Effect::error(e),
        }
    }

    fn note_to_requirement(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        match ctx.store.note_to_requirement(ctx.data.project.id, self.note_selected, self.stage) {
            Ok(r) => {
                self.captured.push((r.id, r.seq));
                self.last = Some(r.id);
                Effect::Then(vec![
                    Effect::Refresh(Some(r.id)),
                    Effect::Info(format!("Note is now {}, with its quote and who said it.", ctx.data.human_id(r.seq))),
                ])
            }
            Err(e) => Effect::error(e),
        }
    }

    /// The confirmed stop: ends the interview and its time entry.
    pub fn stop(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        match ctx.store.stop_interview(ctx.data.project.id) {
            Ok(i) => {
                let n = self.captured.len();
                let saved = self.autosave(ctx.store, ctx.data, true);
                self.focus = CaptureFocus::Box;
                let minutes = i.ended_at.unwrap_or(i.started_at).duration_since(i.started_at).as_mins();
                Effect::Then(vec![
                    saved,
                    Effect::ReloadTime,
                    Effect::Info(format!("Interview ended after {minutes} min; {n} requirement(s) captured.")),
                ])
            }
            Err(e) => Effect::error(e),
        }
    }

    /// Moves the marker `by` lines through this interview's captured lines (it stops at either end).
    fn mark(&mut self, by: isize) {
        let at = self.last.and_then(|l| self.captured.iter().position(|c| c.0 == l)).unwrap_or(self.captured.len());
        let to = (at as isize + by).clamp(0, self.captured.len() as isize - 1);
        self.last = self.captured.get(to.max(0) as usize).map(|c| c.0);
    }

    /// The marked captured line, the one quick keys act on (the newest unless another was marked), if it is
    /// still one of this interview's.
    fn last_line(&self) -> Option<RequirementId> {
        self.last.filter(|l| self.captured.iter().any(|c| c.0 == *l))
    }

    fn nothing_captured() -> Effect {
        Effect::Info(format!(
            "Nothing captured yet: type a line and press {} first.",
            keys_for(Mode::Capture, Action::Save)
        ))
    }

    fn picker(&self, d: &ProjectData, action: Action) -> Effect {
        let Some(last) = self.last_line() else { return Self::nothing_captured() };
        let row = d.rows.iter().rev().find(|r| r.id == last);
        let picker = if action == Action::PickStage {
            // Numbered as Alt-1..9 file a line under them.
            let items = d
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| (Choice::Stage(s.id), format!("{} {}", i + 1, s.name)))
                .collect();
            let current = row.and_then(|r| r.stage).map(Choice::Stage).into_iter().collect();
            Picker::new("Stage of the last line", items, false, current, Purpose::CaptureStage)
        } else {
            let mut items: Vec<(Choice, String)> =
                d.outcomes.iter().map(|o| (Choice::Outcome(o.id), o.statement.clone())).collect();
            items.push((Choice::NewOutcome, "+ New outcome…".into()));
            let current =
                d.outcome_links.iter().filter(|(r, _)| *r == last).map(|(_, o)| Choice::Outcome(*o)).collect();
            Picker::new("Outcomes of the last line", items, true, current, Purpose::CaptureOutcomes)
        };
        picker.open()
    }

    /// A choice from a picker opened on this screen.
    fn chosen(&mut self, ctx: &mut Ctx<'_>, purpose: Purpose, result: Vec<Choice>) -> Effect {
        match purpose {
            Purpose::EndWithLine => {
                let Some(interview) = open_interview(ctx.data).map(|i| i.id) else { return Effect::None };
                let kept = match result.first() {
                    Some(Choice::LineFate(LineFate::Requirement)) => self.capture_line(ctx),
                    Some(Choice::LineFate(LineFate::Note)) => self.note_from_box(ctx, interview),
                    Some(Choice::LineFate(LineFate::Drop)) => self.clear_box(ctx),
                    _ => return Effect::Info("Nothing chosen: the interview goes on.".into()),
                };
                if !self.text().trim().is_empty() {
                    // The line could not be kept: it stays in the box and the interview goes on.
                    return kept;
                }
                Effect::Then(vec![kept, self.stop(ctx)])
            }
            Purpose::Quit => match (result.first(), open_interview(ctx.data)) {
                (Some(Choice::Leaving(Leaving::PauseAndQuit)), Some(open)) => {
                    Effect::Then(vec![pause_resume(ctx, open), Effect::Quit])
                }
                (Some(Choice::Leaving(Leaving::EndAndQuit)), Some(_)) => {
                    let saved = self.capture_line_if_typed(ctx);
                    Effect::Then(vec![saved, self.stop(ctx), Effect::Quit])
                }
                (Some(Choice::Leaving(_)), _) => Effect::Quit,
                _ => Effect::None,
            },
            Purpose::CaptureStage => match result.first().and_then(|c| c.stage()) {
                Some(s) => self.set_stage(ctx, s),
                None => Effect::None,
            },
            Purpose::CaptureOutcomes => {
                let Some(last) = self.last_line() else { return Self::nothing_captured() };
                if result.contains(&Choice::NewOutcome) {
                    return super::forms::outcome_form_for(last);
                }
                let outcomes: Vec<OutcomeId> = result.iter().filter_map(|c| c.outcome()).collect();
                if outcomes.is_empty() {
                    return Effect::Info("Nothing picked: no outcome was linked.".into());
                }
                let names: Vec<String> = outcomes
                    .iter()
                    .filter_map(|o| ctx.data.outcome(Some(*o)).map(|o| terminal_safe(&o.statement, true)))
                    .collect();
                let patch = RequirementPatch { outcomes: Some(outcomes), ..Default::default() };
                patch_line(ctx, last, patch, &format!("Linked: {}.", names.join("; ")))
            }
            _ => Effect::None,
        }
    }

    /// Sets the last line's stage, and makes it the stage of the lines that follow.
    fn set_stage(&mut self, ctx: &mut Ctx<'_>, stage: StageId) -> Effect {
        self.stage = Some(stage);
        let name = ctx.data.stage(Some(stage)).map(|s| s.name.clone()).unwrap_or_default();
        match self.last_line() {
            Some(last) => {
                let patch = RequirementPatch { stage: Some(Some(stage)), ..Default::default() };
                patch_line(ctx, last, patch, &format!("Stage {name}; new lines go there too."))
            }
            None => Effect::Info(format!("New lines go to stage {name}.")),
        }
    }

    fn flag(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        let Some(last) = self.last_line() else { return Self::nothing_captured() };
        let Some(row) = ctx.data.rows.iter().rev().find(|r| r.id == last) else { return Effect::None };
        let (patch, msg) = match action {
            Action::SetPriority(p) => {
                (RequirementPatch { priority: Some(p), ..Default::default() }, format!("Priority {p}."))
            }
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
        patch_line(ctx, last, patch, &msg)
    }

    fn last_to_note(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        let Some(last) = self.last_line() else { return Self::nothing_captured() };
        match ctx.store.requirement_to_note(last) {
            Ok(_) => {
                self.captured.retain(|c| c.0 != last);
                self.last = self.captured.last().map(|c| c.0);
                Effect::Then(vec![
                    Effect::Refresh(Some(last)),
                    Effect::Info(format!(
                        "Turned into a note. Press {} then {} to undo.",
                        keys_for(Mode::Capture, Action::SwitchFocus),
                        keys_for(Mode::Global, Action::Undo)
                    )),
                ])
            }
            Err(e) => Effect::error(e),
        }
    }
}

fn note_form() -> Effect {
    let field = Field::line(FieldId::Note, "Note", "").with_help("what was said; \"Name: words\" records who said it");
    Effect::Push(FormView::saved_by(Form::new("Add a note", vec![field]), FormPurpose::AddNote, save_note_form))
}

/// Saves the note form (the notes pane selects the new note as it appears).
fn save_note_form(ctx: &mut OverlayCtx<'_>, form: &mut Form, _: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    in_project(ctx, |ctx| {
        let Some(interview) = open_interview(ctx.data).map(|i| i.id) else {
            return Ok(SaveOutcome::Saved(Effect::Info("The interview has ended.".into())));
        };
        if let Err(e) = required_line("note", &form.text(FieldId::Note), MAX_TEXT_CHARS) {
            form.set_error(FieldId::Note, e.to_string());
            return Ok(SaveOutcome::Invalid);
        }
        ctx.store.add_interview_note(interview, &form.text(FieldId::Note))?;
        Ok(SaveOutcome::Saved(Effect::Then(vec![Effect::Refresh(None), Effect::Info("Note added.".into())])))
    })
}

fn pause_resume(ctx: &mut Ctx<'_>, open: &Interview) -> Effect {
    let project = ctx.data.project.id;
    let paused = is_paused(ctx.data, open);
    let result = if paused { ctx.store.resume_interview(project) } else { ctx.store.pause_interview(project) };
    match result {
        Ok(_) => Effect::Then(vec![
            Effect::ReloadTime,
            Effect::Info(
                if paused { "Resumed: the timer runs again." } else { "Paused: the timer is stopped." }.into(),
            ),
        ]),
        Err(e) => Effect::error(e),
    }
}

/// Quitting: at once, unless an interview's timer runs; then a choice, since a timer left running
/// overnight would count the night as requirements work.
pub fn quitting(d: &ProjectData) -> Effect {
    let Some(open) = open_interview(d).filter(|i| !is_paused(d, i)) else { return Effect::Quit };
    let items = vec![
        (Choice::Leaving(Leaving::PauseAndQuit), "Pause the interview and quit (resume it later)".to_owned()),
        (Choice::Leaving(Leaving::EndAndQuit), "End the interview and quit".to_owned()),
        (Choice::Leaving(Leaving::QuitRunning), "Quit; the interview's timer keeps running".to_owned()),
    ];
    let title = format!("The interview {:?} is recording", open.title);
    Picker::new(title, items, false, Vec::new(), Purpose::Quit).open()
}

/// A quick-key change to a captured line, checked against the version shown.
fn patch_line(ctx: &mut Ctx<'_>, id: RequirementId, patch: RequirementPatch, message: &str) -> Effect {
    let version = ctx.data.rows.iter().rev().find(|r| r.id == id).map(|r| r.version);
    let message = message.to_owned();
    patch_requirement(ctx, id, version, patch, |_| message)
}

impl Component for CaptureScreen {
    fn mode(&self) -> Mode {
        match (self.open, self.focus) {
            (false, _) => Mode::CaptureIdle,
            (true, CaptureFocus::Box) => Mode::Capture,
            (true, CaptureFocus::Notes) => Mode::CaptureNotes,
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        self.action(ctx, action)
    }

    fn picked(&mut self, ctx: &mut Ctx<'_>, purpose: Purpose, choices: Vec<Choice>) -> Effect {
        self.chosen(ctx, purpose, choices)
    }

    fn answered(&mut self, ctx: &mut Ctx<'_>, question: Question, yes: bool) -> Effect {
        if question == Question::StopInterview && yes { self.stop(ctx) } else { Effect::None }
    }

    /// A key the keymap left to the box: it edits the line.
    fn key(&mut self, ctx: &mut Ctx<'_>, key: &KeyEvent) -> Effect {
        if !self.open || self.focus != CaptureFocus::Box {
            return Effect::None;
        }
        // One line only: no line breaks, no control characters.
        let newline = key.code == KeyCode::Enter
            || key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('m' | 'j'));
        if newline || matches!(key.code, KeyCode::Char(c) if c.is_control()) {
            return Effect::None;
        }
        if self.input.input(*key) {
            self.revision += 1;
            self.check(&ctx.data.linter, ctx.repeats);
        }
        Effect::None
    }

    /// Pasted text goes into the box as one line.
    fn paste(&mut self, ctx: &mut Ctx<'_>, text: &str) -> Effect {
        if self.open && self.focus == CaptureFocus::Box {
            self.input.insert_str(clean_line(text));
            self.revision += 1;
            self.check(&ctx.data.linter, ctx.repeats);
        }
        Effect::None
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw::draw(frame, area, self, view);
    }

    fn data_changed(&mut self, data: &ProjectData) {
        self.held.clamp(data.interviews.len());
    }
}
