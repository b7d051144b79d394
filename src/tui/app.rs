//! The model and its update function: the only place state changes.
//!
//! A key becomes an [`Action`] through the keymap; `update` applies it, through the store when it persists
//! something, and then refreshes the view model from what was saved. Drawing only reads this state.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::action::Action;
use super::component::{Component, Ctx, Effect};
use super::data::{LOAD_AT_ONCE, Lists, ProjectData};
use super::form::{Form, FormEvent};
use super::gaps::Gaps;
use super::keymap::{self, Mode};
use super::picker::{Picker, PickerPurpose};
use super::theme::Theme;
use crate::domain::*;
use crate::store::{Store, StoreError};

/// The screens, in tab order (keys 1-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Dashboard,
    Capture,
    Requirements,
    Journey,
    Outcomes,
    Stakeholders,
    Time,
}

impl Screen {
    pub const ALL: [Screen; 7] = [
        Screen::Dashboard,
        Screen::Capture,
        Screen::Requirements,
        Screen::Journey,
        Screen::Outcomes,
        Screen::Stakeholders,
        Screen::Time,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Dashboard => "Dashboard",
            Screen::Capture => "Capture",
            Screen::Requirements => "Requirements",
            Screen::Journey => "Journey",
            Screen::Outcomes => "Outcomes",
            Screen::Stakeholders => "Stakeholders",
            Screen::Time => "Time",
        }
    }

    /// A shorter title for narrow terminals.
    pub fn short_title(self) -> &'static str {
        match self {
            Screen::Dashboard => "Dash",
            Screen::Requirements => "Reqs",
            Screen::Stakeholders => "People",
            other => other.title(),
        }
    }

    fn index(self) -> usize {
        Screen::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// What a form is for, so saving knows what to write.
#[derive(Debug, Clone, PartialEq)]
pub enum FormPurpose {
    FirstRun,
    NewProject,
    NewRequirement,
    /// Editing the requirement as it was when the form opened: the base a save merges against.
    EditRequirement(Box<Requirement>),
    NewOutcome,
    EditOutcome(OutcomeId),
    NewStakeholder,
    EditStakeholder(StakeholderId),
    AddStage,
    RenameStage(StageId),
    Export,
    StartInterview,
    InterviewStakeholder,
    AddNote,
    NewTimeEntry,
    EditTimeEntry(TimeEntryId),
}

/// What a yes answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    DeleteRequirement(RequirementId),
    DeleteOutcome(OutcomeId),
    DeleteStakeholder(StakeholderId),
    DeleteTimeEntry(TimeEntryId),
    /// Close the top form, dropping what was typed.
    DiscardForm,
    /// Reopen the autosaved requirement form (no: forget it).
    RestoreDraft,
    /// End the running interview and its time entry.
    StopInterview,
    /// Copy the whole database to this file.
    Backup(std::path::PathBuf),
}

/// Something drawn over the screen that has the keyboard.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Confirm {
        message: String,
        pending: Pending,
    },
    Form {
        form: Box<Form>,
        purpose: FormPurpose,
    },
    Picker(Picker),
    List {
        title: String,
        items: Vec<RequirementId>,
        selected: usize,
    },
    /// Theirs and mine side by side for the fields both changed; over the edit form.
    Conflict(Box<super::conflict::Conflict>),
}

/// A line in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// The screens, each a component owning its state.
#[derive(Default)]
pub struct Screens {
    pub dashboard: super::screens::overview::DashboardScreen,
    pub capture: super::capture::CaptureScreen,
    pub requirements: super::screens::requirements::RequirementsScreen,
    pub journey: super::screens::journey::JourneyScreen,
    pub outcomes: super::screens::outcomes::OutcomesScreen,
    pub stakeholders: super::screens::stakeholders::StakeholdersScreen,
    pub time: super::screens::time::TimeScreen,
}

impl Screens {
    /// The component that draws and handles `screen`.
    pub fn get(&self, screen: Screen) -> &dyn Component {
        match screen {
            Screen::Dashboard => &self.dashboard,
            Screen::Capture => &self.capture,
            Screen::Requirements => &self.requirements,
            Screen::Journey => &self.journey,
            Screen::Outcomes => &self.outcomes,
            Screen::Stakeholders => &self.stakeholders,
            Screen::Time => &self.time,
        }
    }

    /// As [`Screens::get`], to change.
    pub fn get_mut(&mut self, screen: Screen) -> &mut dyn Component {
        match screen {
            Screen::Dashboard => &mut self.dashboard,
            Screen::Capture => &mut self.capture,
            Screen::Requirements => &mut self.requirements,
            Screen::Journey => &mut self.journey,
            Screen::Outcomes => &mut self.outcomes,
            Screen::Stakeholders => &mut self.stakeholders,
            Screen::Time => &mut self.time,
        }
    }
}

/// How long a workbench write waits for another process's write: a moment, so that a lock held elsewhere
/// (a long import) never freezes drawing or typing; such a write fails at once with a plain message instead.
const WORKBENCH_BUSY_TIMEOUT: Duration = Duration::from_millis(40);

/// What the status line says while an autosave waits for another process's write.
pub const WAITING: &str =
    "Waiting for the database (another elicit is writing): your change is saved as soon as it can be.";

/// The name of the draft slot that holds an unsaved requirement form.
pub const DRAFT_FORM: &str = "requirement-form";

/// The whole application state.
pub struct App {
    pub store: Store,
    pub data: Option<ProjectData>,
    pub screen: Screen,
    pub overlays: Vec<Overlay>,
    pub status: Option<Status>,
    status_at: Option<Instant>,
    /// The screens that are components: each owns its state (see [`super::component`]).
    pub screens: Screens,
    pub theme: Theme,
    /// The terminal size, for mouse hit-testing with the same layout as drawing.
    pub size: (u16, u16),
    pub should_quit: bool,
    data_version: i64,
    last_poll: Instant,
    form_revision: u64,
    draft_revision: u64,
    last_draft_save: Instant,
    /// The full lists of a big project, loading on another connection.
    lists: Option<std::sync::mpsc::Receiver<Result<Lists, StoreError>>>,
    /// A big project's export, running on another connection: what to say when it ends.
    pub(super) export_job: Option<std::sync::mpsc::Receiver<Result<String, String>>>,
    /// The coverage gaps of the loaded project, computed when its data changes (Capture and Dashboard).
    pub gaps: Gaps,
    /// Writes waiting for another process to let go of the file, oldest first.
    waiting: std::collections::VecDeque<super::component::Pending>,
}

impl App {
    /// Builds the app on an open store: loads `project_key` (or the current project) and offers a saved draft.
    /// Without any project, the first-run form opens.
    pub fn new(store: Store, project_key: Option<&str>, theme: Theme) -> Result<App, StoreError> {
        let mut app = App {
            store,
            data: None,
            screen: Screen::Requirements,
            overlays: Vec::new(),
            status: None,
            status_at: None,
            screens: Screens::default(),
            theme,
            size: (80, 24),
            should_quit: false,
            data_version: 0,
            last_poll: Instant::now(),
            form_revision: 0,
            draft_revision: 0,
            last_draft_save: Instant::now(),
            lists: None,
            export_job: None,
            gaps: Gaps::default(),
            waiting: Default::default(),
        };
        app.store.set_busy_timeout(WORKBENCH_BUSY_TIMEOUT)?;
        app.data_version = app.store.data_version()?;
        let has_projects = !app.store.projects()?.is_empty();
        if !has_projects {
            app.open_first_run(true);
            return Ok(app);
        }
        let project = app.store.resolve_project(project_key)?;
        app.switch_project(project)?;
        app.sync_detail();
        Ok(app)
    }

    /// Loads another project and resets the views.
    pub fn switch_project(&mut self, project: Project) -> Result<(), StoreError> {
        let data = ProjectData::load(&self.store, project)?;
        self.lists = None;
        let complete = data.complete;
        self.screens = Screens::default();
        let key = data.project.id;
        self.data = Some(data);
        self.clamp_selections();
        if !complete {
            self.load_lists_in_background();
        }
        if let Some(d) = &self.data {
            let effect = self.screens.capture.after_load(&self.store, d);
            self.apply(effect);
        }
        if let Some(draft) = self.store.draft(key, DRAFT_FORM)? {
            let when = draft.updated_at.strftime("%Y-%m-%d %H:%M UTC").to_string();
            self.overlays.push(Overlay::Confirm {
                message: format!("An unsaved requirement from {when} was kept. Reopen it? (n discards it)"),
                pending: Pending::RestoreDraft,
            });
        }
        Ok(())
    }

    /// Reloads everything from the store (after undo or a change by another process). The rows on screen
    /// stay until the new ones are in, so a big project does not flicker back to its first page.
    pub fn reload(&mut self) {
        let Some(data) = &mut self.data else { return };
        let id = data.project.id;
        let result = data
            .reload_small(&self.store)
            .and_then(|()| data.reload_time(&self.store))
            .and_then(|()| self.store.requirement_count_up_to(id, LOAD_AT_ONCE + 1));
        match result {
            Ok(total) if total <= LOAD_AT_ONCE => match Lists::load(&self.store, &data.project) {
                Ok(lists) => self.install_lists(lists),
                Err(e) => self.error(e),
            },
            Ok(_) => self.load_lists_in_background(),
            Err(e) => self.error(e),
        }
        // The small tables and the time are in now: let the screens follow what they were told to.
        self.clamp_selections();
    }

    /// Starts loading the full lists of a big project on a second connection; [`App::poll_lists`] installs them.
    fn load_lists_in_background(&mut self) {
        let Some(data) = &self.data else { return };
        let project = data.project.clone();
        let Some(path) = self.store.path().map(std::path::Path::to_path_buf) else {
            // An in-memory store has no second connection: load here.
            match Lists::load(&self.store, &project) {
                Ok(lists) => self.install_lists(lists),
                Err(e) => self.error(e),
            }
            return;
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = Store::open_to_read(&path).and_then(|store| Lists::load(&store, &project));
            let _ = tx.send(result);
        });
        self.lists = Some(rx);
    }

    /// Installs the background-loaded lists if they have arrived; returns whether they did.
    pub fn poll_lists(&mut self) -> bool {
        let Some(rx) = &self.lists else { return false };
        match rx.try_recv() {
            Ok(result) => {
                self.lists = None;
                match result {
                    Ok(lists) => self.install_lists(lists),
                    Err(e) => self.error(e),
                }
                true
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.lists = None;
                false
            }
        }
    }

    /// Waits until the background load (if any) has finished; for benchmarks and tests.
    pub fn wait_for_lists(&mut self) {
        while self.lists.is_some() {
            if !self.poll_lists() {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }

    fn install_lists(&mut self, lists: Lists) {
        let Some(data) = &mut self.data else { return };
        data.complete_with(lists);
        self.clamp_selections();
    }

    /// Refreshes the small tables and one requirement row after a change to that requirement.
    pub fn refresh_requirement(&mut self, id: Option<RequirementId>) {
        let Some(data) = &mut self.data else { return };
        let result = data.reload_small(&self.store).and_then(|()| match id {
            Some(id) => data.patch_row(&self.store, id),
            None => Ok(()),
        });
        if let Err(e) = result {
            self.error(e);
            return;
        }
        if let Some(id) = id {
            self.screens.requirements.follow(id);
        }
        self.clamp_selections();
    }

    /// Tells every screen the data changed, so each keeps its state consistent, and recomputes the gaps.
    fn clamp_selections(&mut self) {
        let Some(d) = &self.data else { return };
        self.gaps = super::gaps::compute_gaps(d);
        for screen in Screen::ALL {
            self.screens.get_mut(screen).data_changed(d);
        }
        let effect = self.screens.capture.sync(&self.store, d);
        self.apply(effect);
    }

    /// Reloads the small tables and the time entries (after the interview or its timer changed).
    fn reload_time(&mut self) {
        let Some(d) = &mut self.data else { return };
        let result = d.reload_small(&self.store).and_then(|()| d.reload_time(&self.store));
        if let Err(e) = result {
            self.error(e);
        }
        self.clamp_selections();
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
        self.gaps = super::gaps::compute_gaps(d);
    }

    /// Saves the capture box's line to the draft table (at most every half second unless `now`).
    fn autosave_capture(&mut self, now: bool) {
        let Some(d) = &self.data else { return };
        let effect = self.screens.capture.autosave(&mut self.store, d, now);
        self.apply(effect);
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), error: false });
        self.status_at = Some(Instant::now());
    }

    pub fn error(&mut self, e: impl std::fmt::Display) {
        self.status = Some(Status { text: e.to_string(), error: true });
        self.status_at = Some(Instant::now());
    }

    /// The keymap mode: the top overlay's, the filter's, or the screen's.
    pub fn mode(&self) -> Mode {
        match self.overlays.last() {
            Some(Overlay::Help { .. }) => Mode::Help,
            Some(Overlay::Confirm { .. }) => Mode::Confirm,
            Some(Overlay::Form { .. }) => Mode::Form,
            Some(Overlay::Picker(_)) => Mode::Picker,
            Some(Overlay::List { .. }) => Mode::List,
            Some(Overlay::Conflict(_)) => Mode::Conflict,
            None => self.screens.get(self.screen).mode(),
        }
    }

    /// The mode of the screen beneath any overlays (for help).
    pub fn mode_under_overlays(&self) -> Mode {
        match self.screen {
            _ if self.data.is_none() => Mode::Form,
            s => self.screens.get(s).mode(),
        }
    }

    /// Applies one terminal event.
    pub fn handle_event(&mut self, event: Event) {
        self.poll_lists();
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.handle_key(key),
            Event::Mouse(m) => self.handle_mouse(m),
            Event::Resize(w, h) => self.size = (w, h),
            Event::Paste(text) => self.handle_paste(&text),
            _ => {}
        }
        self.sync_detail();
    }

    /// Fetches the selected requirement's full record for the detail pane.
    fn sync_detail(&mut self) {
        let Some(d) = &self.data else { return };
        let effect = self.screens.requirements.sync_detail(&self.store, d);
        self.apply(effect);
    }

    /// The requirement selected on the Requirements screen, if any.
    pub fn selected_requirement(&self) -> Option<RequirementId> {
        self.data.as_ref().and_then(|d| self.screens.requirements.selected(d))
    }

    fn handle_key(&mut self, key: KeyEvent) {
        let mode = self.mode();
        let action = keymap::resolve(mode, &key);
        if action == Some(Action::ForceQuit) {
            self.should_quit = true;
            return;
        }
        match mode {
            Mode::Form => {
                let Some(Overlay::Form { form, .. }) = self.overlays.last_mut() else { return };
                let event = match action {
                    Some(a) => form.act(a, &key),
                    None => form.input(&key),
                };
                self.form_event(event, action);
                self.follow_export_format();
            }
            Mode::Picker => match action {
                Some(a) => self.picker_action(a),
                None => {
                    if let Some(Overlay::Picker(p)) = self.overlays.last_mut() {
                        match key.code {
                            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => p.type_char(c),
                            KeyCode::Backspace => p.backspace(),
                            _ => {}
                        }
                    }
                }
            },
            _ => match action {
                Some(a) => self.update(a),
                None if self.overlays.is_empty() => {
                    let screen = self.screen;
                    self.with_screens(|s, ctx| s.get_mut(screen).key(ctx, &key));
                }
                None => {}
            },
        }
    }

    fn handle_paste(&mut self, text: &str) {
        match self.overlays.last_mut() {
            Some(Overlay::Form { form, .. }) => {
                let ev = form.paste(text);
                self.form_event(ev, None);
            }
            Some(Overlay::Picker(p)) => {
                for c in clean_line(text).chars() {
                    p.type_char(c);
                }
            }
            None => {
                let screen = self.screen;
                self.with_screens(|s, ctx| s.get_mut(screen).paste(ctx, text));
            }
            _ => {}
        }
    }

    /// Applies an action in a browsing mode (no text field has the keyboard).
    pub fn update(&mut self, action: Action) {
        match self.overlays.last() {
            Some(Overlay::Help { .. }) => return self.help_action(action),
            Some(Overlay::Confirm { .. }) => return self.confirm_action(action),
            Some(Overlay::List { .. }) => return self.list_action(action),
            Some(Overlay::Conflict(_)) => return self.conflict_action(action),
            Some(Overlay::Picker(_)) => return self.picker_action(action),
            Some(Overlay::Form { .. }) => return,
            None => {}
        }
        match action {
            Action::Quit | Action::ForceQuit => self.should_quit = true,
            Action::Help => self.overlays.push(Overlay::Help { scroll: 0 }),
            Action::Screen(n) => {
                if let Some(s) = Screen::ALL.get(usize::from(n).saturating_sub(1)) {
                    self.screen = *s;
                }
            }
            Action::NextScreen => self.screen = Screen::ALL[(self.screen.index() + 1) % Screen::ALL.len()],
            Action::PrevScreen => {
                self.screen = Screen::ALL[(self.screen.index() + Screen::ALL.len() - 1) % Screen::ALL.len()]
            }
            Action::ProjectPicker => self.open_project_picker(),
            Action::Undo => self.undo(),
            Action::Export => self.open_export_form(),
            Action::Backup => self.ask_backup(),
            _ => self.route(self.screen, action),
        }
    }

    /// Hands `action` to the component of `screen` and applies what it asks for.
    fn route(&mut self, screen: Screen, action: Action) {
        // Writes waiting for the file go first, so changes land in the order they were made and the next
        // one is worked out from what is saved.
        if !self.waiting.is_empty() {
            self.retry_waiting(true);
        }
        if !self.waiting.is_empty() && action.is_one_key_edit() {
            return self.info("Still waiting for the database to save your last change; press again once it is saved.");
        }
        self.with_screens(|screens, ctx| screens.get_mut(screen).update(ctx, action));
    }

    /// Runs `f` on the screens with a context lent from the app, then applies the effect it returns.
    pub(super) fn with_screens(&mut self, f: impl FnOnce(&mut Screens, &mut Ctx<'_>) -> Effect) {
        let area = self.areas().body;
        let Some(data) = &self.data else { return };
        let mut ctx = Ctx { store: &mut self.store, data, area };
        let effect = f(&mut self.screens, &mut ctx);
        self.apply(effect);
    }

    /// Where each part of the frame goes at the terminal's size: the layout drawing and clicks use.
    pub(super) fn areas(&self) -> super::ui::Areas {
        super::ui::layout(ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// The selected time entry on the Time screen, if any.
    pub fn selected_time_entry(&self) -> Option<&TimeEntry> {
        self.data.as_ref().and_then(|d| self.screens.time.selected_entry(d))
    }

    /// The running timer's elapsed whole seconds (else an open interview's, whose length Capture shows):
    /// the screen changes when this does, so the event loop redraws once a second while something runs
    /// and not at all otherwise.
    pub fn timer_second(&self) -> Option<i64> {
        let d = self.data.as_ref()?;
        let start = d
            .running_timer()
            .map(|e| e.started_at)
            .or_else(|| d.interviews.iter().find(|i| i.ended_at.is_none()).map(|i| i.started_at))?;
        Some(self.store.now().duration_since(start).as_secs())
    }

    /// Carries out what a component asked for: the one place effects take hold.
    pub(super) fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::None => {}
            Effect::Push(overlay) => self.overlays.push(overlay),
            Effect::Reload => self.reload(),
            Effect::Refresh(id) => self.refresh_requirement(id),
            Effect::ReloadTime => self.reload_time(),
            Effect::RowAdded(id) => self.show_new_row(id),
            Effect::Show(screen) => self.screen = screen,
            Effect::Dispatch(action) => self.route(self.screen, action),
            Effect::Wait(write) => {
                self.waiting.push_back(write);
                self.info(WAITING);
            }
            Effect::Info(text) => self.info(text),
            Effect::Error(text) => self.error(text),
            Effect::Then(effects) => effects.into_iter().for_each(|e| self.apply(e)),
        }
    }

    fn undo(&mut self) {
        let Some(d) = &self.data else { return };
        match self.store.undo(d.project.id) {
            Ok(u) => {
                self.reload();
                self.info(format!("Undid the {}", u.summary));
            }
            Err(e) => self.error(e),
        }
    }

    fn help_action(&mut self, action: Action) {
        let Some(Overlay::Help { scroll }) = self.overlays.last_mut() else { return };
        match action {
            Action::Cancel | Action::Help | Action::Quit => {
                self.overlays.pop();
            }
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1),
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::PageDown => *scroll = scroll.saturating_add(10),
            _ => {}
        }
    }

    fn confirm_action(&mut self, action: Action) {
        let Some(Overlay::Confirm { pending, .. }) = self.overlays.last() else { return };
        let pending = pending.clone();
        match action {
            Action::Confirm => {
                self.overlays.pop();
                self.confirmed(pending);
            }
            Action::Cancel => {
                self.overlays.pop();
                if pending == Pending::RestoreDraft
                    && let Some(d) = &self.data
                {
                    let id = d.project.id;
                    match self.store.discard_draft(id, DRAFT_FORM) {
                        Ok(()) => self.info("Unsaved requirement discarded."),
                        Err(e) => self.error(e),
                    }
                }
            }
            _ => {}
        }
    }

    fn confirmed(&mut self, pending: Pending) {
        let result = match pending {
            Pending::DeleteRequirement(id) => {
                let name =
                    self.data.as_ref().and_then(|d| d.rows.iter().find(|r| r.id == id).map(|r| d.human_id(r.seq)));
                match self.store.delete_requirement(id) {
                    Ok(()) => {
                        self.refresh_requirement(Some(id));
                        self.info(format!("Deleted {}. Press u to undo.", name.unwrap_or_default()));
                        return;
                    }
                    Err(e) => Err(e),
                }
            }
            Pending::DeleteOutcome(id) => self.store.delete_outcome(id).map(|()| {
                self.reload();
                "Outcome deleted. Press u to undo."
            }),
            Pending::DeleteStakeholder(id) => self.store.delete_stakeholder(id).map(|()| {
                self.reload();
                "Stakeholder deleted. Press u to undo."
            }),
            Pending::DeleteTimeEntry(id) => {
                self.with_screens(|screens, ctx| screens.time.delete(ctx, id));
                return;
            }
            Pending::DiscardForm => {
                self.close_form();
                Ok("Discarded.")
            }
            Pending::RestoreDraft => {
                self.restore_draft();
                return;
            }
            Pending::Backup(target) => {
                self.start_backup(target);
                return;
            }
            Pending::StopInterview => {
                self.with_screens(|s, ctx| s.capture.stop(ctx));
                return;
            }
        };
        match result {
            Ok(msg) => self.info(msg),
            Err(e) => self.error(e),
        }
    }

    fn list_action(&mut self, action: Action) {
        let Some(Overlay::List { items, selected, .. }) = self.overlays.last_mut() else { return };
        match action {
            Action::Up => *selected = selected.saturating_sub(1),
            Action::Down => *selected = (*selected + 1).min(items.len().saturating_sub(1)),
            Action::Cancel => {
                self.overlays.pop();
            }
            Action::Open => {
                let target = items.get(*selected).copied();
                self.overlays.clear();
                if let Some(id) = target {
                    self.show_requirement(id);
                }
            }
            _ => {}
        }
    }

    /// Switches to the Requirements screen with `id` selected (clearing a filter that hides it).
    pub fn show_requirement(&mut self, id: RequirementId) {
        self.screen = Screen::Requirements;
        self.screens.journey.matrix = false;
        let Some(d) = &self.data else { return };
        self.screens.requirements.show(d, id);
    }

    fn picker_action(&mut self, action: Action) {
        let Some(Overlay::Picker(p)) = self.overlays.last_mut() else { return };
        match action {
            Action::Up => p.move_by(-1),
            Action::Down => p.move_by(1),
            Action::Toggle if p.multi => p.toggle(),
            Action::Toggle => p.type_char(' '),
            Action::Cancel => {
                self.overlays.pop();
            }
            Action::Confirm => {
                let (purpose, result) = (p.purpose.clone(), p.result());
                self.overlays.pop();
                self.picked(purpose, result);
            }
            _ => {}
        }
    }

    fn picked(&mut self, purpose: PickerPurpose, result: Vec<String>) {
        match purpose {
            PickerPurpose::FormField(index)
                if matches!(self.overlays.last(), Some(Overlay::Form { purpose: FormPurpose::StartInterview, .. })) =>
            {
                self.start_form_picked(index, result)
            }
            PickerPurpose::Capture(what) => self.with_screens(|s, ctx| s.capture.picked(ctx, what, result)),
            PickerPurpose::FormField(index) => {
                if let Some(Overlay::Form { form, .. }) = self.overlays.last_mut() {
                    form.set_picked(index, result.into_iter().filter(|id| !id.is_empty()).collect());
                    self.form_revision += 1;
                }
            }
            PickerPurpose::Project => match result.first().map(String::as_str) {
                Some("") => self.open_first_run(false),
                Some(id) => {
                    let found = id.parse().ok().and_then(|id| self.store.project(id).ok());
                    if let Some(p) = found {
                        let key = p.key.to_string();
                        match self.store.resolve_project(Some(&key)).and_then(|p| self.switch_project(p)) {
                            Ok(()) => self.info(format!("Switched to {key}")),
                            Err(e) => self.error(e),
                        }
                    }
                }
                None => {}
            },
            PickerPurpose::StartTimer => {
                if let Some(activity) = result.first().and_then(|a| a.parse::<Activity>().ok()) {
                    self.with_screens(|screens, ctx| screens.time.start_timer(ctx, activity));
                }
            }
            PickerPurpose::StageDeleteTarget(stage) => {
                let target = result.first().and_then(|id| id.parse::<StageId>().ok());
                if let Ok(stage) = stage.parse::<StageId>() {
                    match self.store.delete_stage(stage, target) {
                        Ok(n) => {
                            self.reload();
                            self.info(format!("Stage deleted; {n} requirement(s) moved. Press u to undo."));
                        }
                        Err(e) => self.error(e),
                    }
                }
            }
        }
    }

    fn open_project_picker(&mut self) {
        let projects = match self.store.projects() {
            Ok(p) => p,
            Err(e) => return self.error(e),
        };
        let mut items: Vec<(String, String)> =
            projects.iter().map(|p| (p.id.to_string(), format!("{}  {}", p.key, p.name))).collect();
        items.push((String::new(), "+ New project…".into()));
        let current = self.data.as_ref().map(|d| vec![d.project.id.to_string()]).unwrap_or_default();
        self.overlays.push(Overlay::Picker(Picker::new("Projects", items, false, current, PickerPurpose::Project)));
    }

    fn form_event(&mut self, event: FormEvent, action: Option<Action>) {
        match event {
            FormEvent::None => {}
            FormEvent::Changed => self.form_revision += 1,
            FormEvent::Pick(index) => self.open_field_picker(index),
            FormEvent::Save => self.save_form(),
            FormEvent::Cancel => {
                let Some(Overlay::Form { form, purpose }) = self.overlays.last() else { return };
                if *purpose == FormPurpose::FirstRun {
                    self.should_quit = true;
                } else if form.dirty {
                    self.overlays.push(Overlay::Confirm {
                        message: "Drop what you typed in this form?".into(),
                        pending: Pending::DiscardForm,
                    });
                } else {
                    self.close_form();
                }
            }
        }
        if action == Some(Action::LoadDemo) {
            self.load_demo_from_form();
        }
    }

    /// Closes the top form and forgets its draft.
    pub fn close_form(&mut self) {
        if let Some(Overlay::Form { purpose, .. }) = self.overlays.pop()
            && matches!(purpose, FormPurpose::NewRequirement | FormPurpose::EditRequirement(_))
            && let Some(d) = &self.data
        {
            let id = d.project.id;
            if let Err(e) = self.store.discard_draft(id, DRAFT_FORM) {
                self.error(e);
            }
        }
    }

    /// Periodic work between events: autosave drafts, notice other processes' changes, expire messages.
    /// Returns whether anything on screen may have changed.
    pub fn tick(&mut self) -> bool {
        let status_before = self.status.clone();
        let mut changed = self.poll_lists() | self.poll_export() | self.retry_waiting(false);
        self.autosave_capture(false);
        if self.form_revision != self.draft_revision && self.last_draft_save.elapsed() >= Duration::from_millis(500) {
            self.autosave_draft();
        }
        if self.last_poll.elapsed() >= Duration::from_millis(500) {
            self.last_poll = Instant::now();
            match self.store.data_version() {
                Ok(v) if v != self.data_version => {
                    self.data_version = v;
                    self.reload();
                    self.sync_detail();
                    changed = true;
                }
                Ok(_) => {}
                Err(e) => self.error(e),
            }
        }
        if self.status_at.is_some_and(|t| t.elapsed() > Duration::from_secs(8)) {
            self.status = None;
            self.status_at = None;
        }
        changed || self.status != status_before
    }

    /// Tries the writes that wait for the file, in order (each at most every quarter second, unless
    /// `now`); returns whether any went through.
    pub fn retry_waiting(&mut self, now: bool) -> bool {
        let mut done = false;
        while let Some(write) = self.waiting.front_mut() {
            let Some(effect) = write.retry(&mut self.store, now) else { break };
            self.waiting.pop_front();
            self.apply(effect);
            done = true;
        }
        done
    }

    /// Before leaving: gives the writes still waiting for the file up to `patience` to go through, and
    /// returns how many could not be written.
    pub fn finish_waiting(&mut self, patience: Duration) -> usize {
        let until = Instant::now() + patience;
        while !self.waiting.is_empty() && Instant::now() < until {
            if !self.retry_waiting(true) {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        self.waiting.len()
    }

    /// Whether a write is waiting for another process to let go of the file.
    pub fn is_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// Saves the open requirement form as a draft, so a crash loses nothing.
    pub fn autosave_draft(&mut self) {
        self.autosave_capture(true);
        self.draft_revision = self.form_revision;
        self.last_draft_save = Instant::now();
        let Some(data) = &self.data else { return };
        let project = data.project.id;
        let Some((form, purpose)) = self.overlays.iter().rev().find_map(|o| match o {
            Overlay::Form { form, purpose } => Some((form, purpose)),
            _ => None,
        }) else {
            return;
        };
        let (target, base) = match purpose {
            FormPurpose::NewRequirement => (String::new(), serde_json::Value::Null),
            FormPurpose::EditRequirement(base) => {
                (base.id.to_string(), serde_json::to_value(&**base).unwrap_or_default())
            }
            _ => return,
        };
        if !form.dirty {
            return;
        }
        let payload = serde_json::json!({ "requirement": target, "base": base, "values": form.to_json() });
        match self.store.save_draft(project, DRAFT_FORM, &payload) {
            Ok(()) => {}
            // Another process holds the file: keep typing, and save the draft at the next tick.
            Err(StoreError::Busy) => {
                self.draft_revision = self.form_revision.wrapping_sub(1);
                self.info(WAITING);
            }
            Err(e) => self.error(e),
        }
    }

    fn handle_mouse(&mut self, m: MouseEvent) {
        if !self.overlays.is_empty() || self.data.is_none() {
            match m.kind {
                MouseEventKind::ScrollUp => self.scroll_overlay(-1),
                MouseEventKind::ScrollDown => self.scroll_overlay(1),
                _ => {}
            }
            return;
        }
        let areas = self.areas();
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if m.row == areas.tabs.y {
                    if let Some(i) = super::ui::tab_at(m.column, self.size.0) {
                        self.screen = Screen::ALL[i];
                        self.screens.requirements.filtering = false;
                    }
                } else if areas.body.contains((m.column, m.row).into()) {
                    self.click_body(areas.body, m.column, m.row);
                }
            }
            MouseEventKind::ScrollUp => self.update(Action::Up),
            MouseEventKind::ScrollDown => self.update(Action::Down),
            _ => {}
        }
    }

    fn scroll_overlay(&mut self, delta: isize) {
        match self.overlays.last() {
            Some(Overlay::Picker(_)) => self.picker_action(if delta < 0 { Action::Up } else { Action::Down }),
            Some(Overlay::List { .. }) => self.list_action(if delta < 0 { Action::Up } else { Action::Down }),
            Some(Overlay::Help { .. }) => self.help_action(if delta < 0 { Action::Up } else { Action::Down }),
            _ => {}
        }
    }

    fn click_body(&mut self, body: ratatui::layout::Rect, x: u16, y: u16) {
        if let Some(d) = &self.data {
            self.screens.get_mut(self.screen).click(d, body, x, y);
        }
    }
}
