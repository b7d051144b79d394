//! The app: routes each event to whoever has the keyboard (the top overlay, else the screen) and applies
//! the [`Effect`] that comes back, the one place effects take hold. The screens and overlays own their
//! state; the app owns the store, the loaded project and the stack of overlays.

use std::time::{Duration, Instant};

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};

use super::action::Action;
pub use super::component::Screen;
use super::component::{Ctx, Effect, Overlay, OverlayCtx, Waiting};
use super::data::ProjectData;
use super::forms::{self, DRAFT_FORM, FormView, WAITING};
use super::gaps::Gaps;
use super::jobs::{Done, Event, Jobs};
use super::keymap::{self, Mode};
use super::message::{Choice, Purpose, Question};
use super::overlays::{Confirm, Help};
use super::screens::Screens;
use super::theme::Theme;
use crate::domain::*;
use crate::store::{Store, StoreError};

/// How long a workbench write waits for another process's write: a moment, so that a lock held elsewhere
/// (a long import) never freezes drawing or typing; such a write fails at once with a plain message instead.
const WORKBENCH_BUSY_TIMEOUT: Duration = Duration::from_millis(40);

/// A line in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// The whole application state.
pub struct App {
    pub store: Store,
    pub data: Option<ProjectData>,
    pub screen: Screen,
    /// Drawn over the screen, the last on top; the top one has the keyboard.
    pub overlays: Vec<Box<dyn Overlay>>,
    pub status: Option<Status>,
    status_at: Option<Instant>,
    pub screens: Screens,
    pub theme: Theme,
    /// The terminal size, for mouse hit-testing with the same layout as drawing.
    pub size: (u16, u16),
    pub should_quit: bool,
    /// The author exports name (from the settings).
    pub author: String,
    data_version: i64,
    last_poll: Instant,
    jobs: Jobs,
    /// The coverage gaps of the loaded project, computed when its data changes (Capture and Dashboard).
    pub gaps: Gaps,
    /// Writes waiting for another process to let go of the file.
    waiting: Waiting,
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
            author: crate::config::Settings::resolve(None).author,
            data_version: 0,
            last_poll: Instant::now(),
            jobs: Jobs::default(),
            gaps: Gaps::default(),
            waiting: Waiting::default(),
        };
        app.store.set_busy_timeout(WORKBENCH_BUSY_TIMEOUT)?;
        app.data_version = app.store.data_version()?;
        if app.store.projects()?.is_empty() {
            app.apply(forms::first_run_form(true));
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
        self.jobs.cancel_lists();
        let (complete, key) = (data.complete, data.project.id);
        self.screens = Screens::default();
        self.data = Some(data);
        self.data_changed();
        if !complete {
            self.load_lists();
        }
        if let Some(d) = &self.data {
            let effect = self.screens.capture.after_load(&self.store, d);
            self.apply(effect);
        }
        if let Some(draft) = self.store.draft(key, DRAFT_FORM)? {
            let when = draft.updated_at.strftime("%Y-%m-%d %H:%M UTC");
            let no = keymap::keys_for(Mode::Confirm, Action::Cancel);
            let message = format!("An unsaved requirement from {when} was kept. Reopen it? ({no} discards it)");
            self.overlays.push(Confirm::new(message, Question::RestoreDraft));
        }
        Ok(())
    }

    /// Reloads everything from the store (after undo or a change by another process). The rows on screen
    /// stay until the new ones are in, so a big project does not flicker back to its first page.
    pub fn reload(&mut self) {
        let Some(data) = &mut self.data else { return };
        match data.reload(&self.store) {
            Ok(true) => {}
            Ok(false) => self.load_lists(),
            Err(e) => self.error(e),
        }
        self.data_changed();
    }

    /// Starts loading the full lists of a big project on another connection (see [`Jobs`]).
    fn load_lists(&mut self) {
        let Some(data) = &mut self.data else { return };
        match self.store.path() {
            Some(path) => self.jobs.load_lists(path.to_path_buf(), data.project.clone()),
            // An in-memory store has no second connection: load here.
            None => match super::data::Lists::load(&self.store, &data.project) {
                Ok(lists) => data.complete_with(lists),
                Err(e) => self.error(e),
            },
        }
    }

    /// Tells every screen the data changed, so each keeps its state consistent, and recomputes the gaps.
    fn data_changed(&mut self) {
        let Some(d) = &self.data else { return };
        self.gaps = super::gaps::compute_gaps(d);
        for screen in Screen::ALL {
            self.screens.get_mut(screen).data_changed(d);
        }
        let effect = self.screens.capture.sync(&self.store, d);
        self.apply(effect);
    }

    /// Reloads what one change touched: the small tables, and the time entries or one requirement's row.
    fn refresh(&mut self, time: bool, id: Option<RequirementId>) {
        let Some(d) = &mut self.data else { return };
        if let Err(e) = d.refresh(&self.store, time, id) {
            return self.error(e);
        }
        if let Some(id) = id {
            self.screens.requirements.follow(id);
        }
        self.data_changed();
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

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), error: false });
        self.status_at = Some(Instant::now());
    }

    pub fn error(&mut self, e: impl std::fmt::Display) {
        self.status = Some(Status { text: e.to_string(), error: true });
        self.status_at = Some(Instant::now());
    }

    /// The top overlay if it is a `T`.
    pub fn top<T: Overlay>(&self) -> Option<&T> {
        self.overlays.last().and_then(|o| o.downcast_ref())
    }

    /// As [`App::top`], to change.
    pub fn top_mut<T: Overlay>(&mut self) -> Option<&mut T> {
        self.overlays.last_mut().and_then(|o| o.downcast_mut())
    }

    /// The keymap mode: the top overlay's, else the screen's.
    pub fn mode(&self) -> Mode {
        self.overlays.last().map_or_else(|| self.mode_under_overlays(), |o| o.mode())
    }

    /// The mode of the screen beneath any overlays (for help).
    pub fn mode_under_overlays(&self) -> Mode {
        if self.data.is_none() { Mode::Form } else { self.screens.get(self.screen).mode() }
    }

    /// Applies one terminal event.
    pub fn handle_event(&mut self, event: crossterm::event::Event) {
        self.handle(Event::Terminal(event));
    }

    /// Applies one event: the terminal's, or a job's that finished.
    pub fn handle(&mut self, event: Event) {
        use crossterm::event::Event as Term;
        match event {
            Event::Terminal(Term::Key(key)) if key.kind != KeyEventKind::Release => self.handle_key(key),
            Event::Terminal(Term::Mouse(m)) => self.handle_mouse(m),
            Event::Terminal(Term::Resize(w, h)) => self.size = (w, h),
            Event::Terminal(Term::Paste(text)) => {
                self.with_focus(|o, ctx| o.paste(ctx, &text), |s, ctx| s.paste(ctx, &text));
            }
            Event::Terminal(_) => {}
            Event::Done(Done::Lists { generation, result }) => {
                if self.jobs.lists_arrived(generation) {
                    match (result, &mut self.data) {
                        (Ok(lists), Some(d)) => d.complete_with(lists),
                        (Err(e), _) => self.error(e),
                        _ => {}
                    }
                    self.data_changed();
                }
            }
            Event::Done(Done::File(result)) => {
                self.jobs.file_written();
                match result {
                    Ok(done) => self.info(done),
                    Err(failed) => self.error(failed),
                }
            }
        }
        self.sync_detail();
    }

    /// The next event, waiting at most `timeout`; for the event loop.
    pub fn next_event(&self, timeout: Duration) -> Option<Event> {
        self.jobs.next(timeout)
    }

    /// Where the terminal's events go in, for the thread that reads them.
    pub fn event_sender(&self) -> std::sync::mpsc::SyncSender<Event> {
        self.jobs.sender()
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

    /// The selected time entry on the Time screen, if any.
    pub fn selected_time_entry(&self) -> Option<&TimeEntry> {
        self.data.as_ref().and_then(|d| self.screens.time.selected_entry(d))
    }

    fn handle_key(&mut self, key: KeyEvent) {
        let action = keymap::resolve(self.mode(), &key);
        if action == Some(Action::ForceQuit) {
            self.should_quit = true;
            return;
        }
        if !self.overlays.is_empty() {
            // An overlay takes the key with its action: a bound key may be text in a form's text field.
            return self.with_focus(|o, ctx| o.input(ctx, action, &key), |_, _| Effect::None);
        }
        match action {
            Some(a) => self.update(a),
            None => self.with_focus(|o, ctx| o.key(ctx, &key), |s, ctx| s.key(ctx, &key)),
        }
    }

    /// Applies an action: to the top overlay, or the app's own, or the screen's.
    pub fn update(&mut self, action: Action) {
        if !self.overlays.is_empty() {
            return self.with_focus(|o, ctx| o.update(ctx, action), |_, _| Effect::None);
        }
        match action {
            Action::Quit | Action::ForceQuit => self.should_quit = true,
            Action::Help => self.overlays.push(Box::new(Help::default())),
            Action::Screen(n) => {
                if let Some(s) = Screen::ALL.get(usize::from(n).saturating_sub(1)) {
                    self.screen = *s;
                }
            }
            Action::NextScreen => self.screen = self.screen.step(1),
            Action::PrevScreen => self.screen = self.screen.step(-1),
            Action::ProjectPicker => {
                let current = self.data.as_ref().map(|d| d.project.id);
                self.apply(super::picker::projects(&self.store, current));
            }
            Action::Undo => self.undo(),
            Action::Export => self.with_screens(|_, ctx| super::export::open_form(ctx)),
            Action::Backup => self.apply(super::export::ask_backup(&self.store, self.jobs.writing())),
            _ => {
                // Writes waiting for the file go first, so changes land in the order they were made and
                // the next one is worked out from what is saved.
                if !self.waiting.is_empty() {
                    self.retry_waiting(true);
                }
                if !self.waiting.is_empty() && action.is_one_key_edit() {
                    return self.info(
                        "Still waiting for the database to save your last change; press again once it is saved.",
                    );
                }
                let screen = self.screen;
                self.with_screens(|screens, ctx| screens.get_mut(screen).update(ctx, action));
            }
        }
    }

    /// Runs `f` on the screens with a context lent from the app, then applies the effect it returns.
    pub(super) fn with_screens(&mut self, f: impl FnOnce(&mut Screens, &mut Ctx<'_>) -> Effect) {
        let area = self.areas().body;
        let Some(data) = &self.data else { return };
        let (writing, author) = (self.jobs.writing(), self.author.as_str());
        let mut ctx = Ctx { store: &mut self.store, data, area, writing, author };
        let effect = f(&mut self.screens, &mut ctx);
        self.apply(effect);
    }

    fn with_overlay_ctx(&mut self, f: impl FnOnce(&mut OverlayCtx<'_>) -> Effect) -> Effect {
        let area = self.areas().body;
        let (data, writing, author) = (self.data.as_ref(), self.jobs.writing(), self.author.as_str());
        let mut ctx = OverlayCtx { store: &mut self.store, data, area, writing, author };
        f(&mut ctx)
    }

    /// Hands an event to the top overlay (`over`), or to the focused screen (`screen`) when none is open.
    fn with_focus(
        &mut self,
        over: impl FnOnce(&mut dyn Overlay, &mut OverlayCtx<'_>) -> Effect,
        screen: impl FnOnce(&mut dyn super::component::Component, &mut Ctx<'_>) -> Effect,
    ) {
        let Some(mut top) = self.overlays.pop() else {
            let current = self.screen;
            return self.with_screens(|s, ctx| screen(s.get_mut(current), ctx));
        };
        let effect = self.with_overlay_ctx(|ctx| over(top.as_mut(), ctx));
        self.overlays.push(top);
        self.apply(effect);
    }

    /// Where each part of the frame goes at the terminal's size: the layout drawing and clicks use.
    pub(super) fn areas(&self) -> super::ui::Areas {
        super::ui::layout(ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// The running timer's elapsed whole seconds: the event loop redraws when this changes.
    pub fn timer_second(&self) -> Option<i64> {
        self.data.as_ref()?.timer_second(self.store.now())
    }

    /// Carries out what a component asked for: the one place effects take hold.
    pub(super) fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::None => {}
            Effect::Push(overlay) => self.overlays.push(overlay),
            Effect::Close => drop(self.overlays.pop()),
            Effect::CloseForm => self.close_form(),
            Effect::Reload => self.reload(),
            Effect::Refresh(id) => self.refresh(false, id),
            Effect::ReloadTime => self.refresh(true, None),
            Effect::RowAdded(id) => self.show_new_row(id),
            Effect::Show(screen) => self.screen = screen,
            Effect::ShowRequirement(id) => {
                self.overlays.clear();
                self.show_requirement(id);
            }
            Effect::ShowTimeEntry(id) => self.screens.time.follow(id),
            Effect::Dispatch(action) => self.update(action),
            Effect::Picked(purpose, choices) => self.picked(purpose, choices),
            Effect::AddChoice(field, choice, label) => {
                if let Some(top) = self.overlays.last_mut() {
                    top.add_choice(field, choice, label);
                }
            }
            Effect::Answered(question, yes) => self.answered(question, yes),
            Effect::SwitchProject(project) => {
                if let Err(e) = self.switch_project(project) {
                    self.error(e);
                }
            }
            Effect::LoadDemo => match crate::demo::load(&mut self.store)
                .and_then(|d| self.switch_project(d.project).map(|()| d.already_existed))
            {
                Ok(false) => self.info(format!(
                    "Loaded the demo project SHOP. Press {} for keys.",
                    keymap::keys_for(Mode::Global, Action::Help)
                )),
                Ok(true) => self.info("The demo project SHOP was already here; switched to it."),
                Err(e) => self.error(e),
            },
            Effect::Job(job) => {
                self.info(job.starting.clone());
                self.jobs.write_file(job);
            }
            Effect::Quit => self.should_quit = true,
            Effect::Wait(write) => {
                self.waiting.push(write);
                self.info(WAITING);
            }
            Effect::Info(text) => self.info(text),
            Effect::Error(text) => self.error(text),
            Effect::Then(effects) => effects.into_iter().for_each(|e| self.apply(e)),
        }
    }

    /// A picker's choice: for the form beneath, a screen, or the app (projects).
    fn picked(&mut self, purpose: Purpose, choices: Vec<Choice>) {
        match (purpose.screen(), purpose) {
            (Some(screen), _) => self.with_screens(|s, ctx| s.get_mut(screen).picked(ctx, purpose, choices)),
            (None, Purpose::Project) => match choices.first() {
                Some(Choice::NewProject) => self.apply(forms::first_run_form(false)),
                Some(Choice::Project(id)) => {
                    match self.store.project(*id).and_then(|p| {
                        let key = p.key.clone();
                        self.switch_project(p).map(|()| key)
                    }) {
                        Ok(key) => self.info(format!("Switched to {key}")),
                        Err(e) => self.error(e),
                    }
                }
                _ => {}
            },
            (None, _) => self.with_focus(|o, ctx| o.picked(ctx, purpose, choices), |_, _| Effect::None),
        }
    }

    /// The answer to a question: for the screen it is about, or the app's own.
    fn answered(&mut self, question: Question, yes: bool) {
        if let Some(screen) = question.screen() {
            return self.with_screens(|s, ctx| s.get_mut(screen).answered(ctx, question, yes));
        }
        match (question, yes) {
            (Question::DiscardForm, true) => {
                self.close_form();
                self.info("Discarded.");
            }
            (Question::RestoreDraft, true) => self.with_screens(|_, ctx| forms::restore_draft(ctx)),
            (Question::RestoreDraft, false) => {
                let Some(d) = &self.data else { return };
                match self.store.discard_draft(d.project.id, DRAFT_FORM) {
                    Ok(()) => self.info("Unsaved requirement discarded."),
                    Err(e) => self.error(e),
                }
            }
            (Question::Backup(target), true) => self.apply(super::export::backup(&self.store, target)),
            _ => {}
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

    /// Switches to the Requirements screen with `id` selected (clearing a filter that hides it).
    pub fn show_requirement(&mut self, id: RequirementId) {
        self.screen = Screen::Requirements;
        self.screens.journey.matrix = false;
        let Some(d) = &self.data else { return };
        self.screens.requirements.show(d, id);
    }

    /// Closes the top form and forgets its draft.
    fn close_form(&mut self) {
        let Some(top) = self.overlays.pop() else { return };
        if let (Some(view), Some(d)) = (top.downcast_ref::<FormView>(), &self.data)
            && view.purpose.is_requirement()
            && let Err(e) = self.store.discard_draft(d.project.id, DRAFT_FORM)
        {
            self.error(e);
        }
    }

    /// Periodic work between events: autosave drafts, notice other processes' changes, expire messages.
    /// Returns whether anything on screen may have changed.
    pub fn tick(&mut self) -> bool {
        let status_before = self.status.clone();
        let mut changed = self.retry_waiting(false);
        self.autosave(false);
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
        let done = self.waiting.retry(&mut self.store, now);
        let any = !done.is_empty();
        done.into_iter().for_each(|e| self.apply(e));
        any
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

    /// Saves what is being typed (the capture box, the requirement form) as drafts, so a crash loses at
    /// most the last half second; `now` saves at once (before leaving).
    fn autosave(&mut self, now: bool) {
        let Some(d) = &self.data else { return };
        let project = d.project.id;
        let mut effect = self.screens.capture.autosave(&mut self.store, d, now);
        if let Some(view) = self.overlays.iter_mut().rev().find_map(|o| o.downcast_mut::<FormView>()) {
            effect = Effect::Then(vec![effect, view.autosave(&mut self.store, project, now)]);
        }
        self.apply(effect);
    }

    /// Saves every draft now.
    pub fn autosave_draft(&mut self) {
        self.autosave(true);
    }

    /// Waits until the background load of the lists (if any) has arrived; for benchmarks and tests.
    pub fn wait_for_lists(&mut self) {
        self.wait_while(|app| app.jobs.loading());
    }

    /// Waits until a background export (if any) has ended; for leaving, and tests.
    pub fn wait_for_export(&mut self) {
        self.wait_while(|app| app.jobs.writing());
    }

    /// Handles events (the terminal's too) until `busy` says no job runs.
    fn wait_while(&mut self, busy: impl Fn(&App) -> bool) {
        while busy(self) {
            if let Some(event) = self.jobs.next(Duration::from_millis(50)) {
                self.handle(event);
            }
        }
    }

    fn handle_mouse(&mut self, m: MouseEvent) {
        if !self.overlays.is_empty() || self.data.is_none() {
            match m.kind {
                MouseEventKind::ScrollUp => self.update(Action::Up),
                MouseEventKind::ScrollDown => self.update(Action::Down),
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
                } else if areas.body.contains((m.column, m.row).into())
                    && let Some(d) = &self.data
                {
                    self.screens.get_mut(self.screen).click(d, areas.body, m.column, m.row);
                }
            }
            MouseEventKind::ScrollUp => self.update(Action::Up),
            MouseEventKind::ScrollDown => self.update(Action::Down),
            _ => {}
        }
    }
}
