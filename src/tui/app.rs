//! The app: routes each event to whoever has the keyboard (the top overlay, else the screen) and applies
//! the [`Effect`] that comes back, the one place effects take hold. Screens and overlays own their state;
//! the [`Session`] owns the store and the loaded project; the app owns the stack of overlays.

use std::time::Duration;

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};

use super::action::Action;
pub use super::component::Screen;
use super::component::{Component, Ctx, Effect, Overlay, OverlayCtx};
use super::forms::{self, DRAFT_FORM, FormView, WAITING};
use super::jobs::Event;
use super::keymap::{self, Mode};
use super::message::{Choice, Purpose, Question};
use super::screens::Screens;
pub use super::session::{Finished, Session};
pub use super::status::{Status, StatusLine};
use super::theme::Theme;
use crate::domain::*;
use crate::store::{Store, StoreError};

/// The whole application state.
pub struct App {
    pub session: Session,
    pub screen: Screen,
    pub screens: Screens,
    /// Drawn over the screen, the last on top; the top one has the keyboard.
    pub overlays: Vec<Box<dyn Overlay>>,
    pub status: StatusLine,
    pub theme: Theme,
    /// The terminal size, for mouse hit-testing with the same layout as drawing.
    pub size: (u16, u16),
    pub should_quit: bool,
}

impl App {
    /// Builds the app on an open store: loads `project_key` (or the current project) and offers a saved draft.
    /// Without any project, the first-run form opens.
    pub fn new(store: Store, project_key: Option<&str>, theme: Theme) -> Result<App, StoreError> {
        let mut app = App {
            session: Session::new(store)?,
            screen: Screen::Requirements,
            screens: Screens::default(),
            overlays: Vec::new(),
            status: StatusLine::default(),
            theme,
            size: (80, 24),
            should_quit: false,
        };
        if app.session.store.projects()?.is_empty() {
            app.apply(forms::first_run_form(true));
            return Ok(app);
        }
        let project = app.session.store.resolve_project(project_key)?;
        app.switch_project(project)?;
        app.sync_detail();
        Ok(app)
    }

    /// Loads another project and resets the views.
    pub fn switch_project(&mut self, project: Project) -> Result<(), StoreError> {
        self.session.load(project)?;
        self.screens = Screens::default();
        self.data_changed();
        let Some(d) = &self.session.data else { return Ok(()) };
        let effect = self.screens.capture.after_load(&self.session.store, d);
        let offer = forms::offer_draft(&self.session.store, d.project.id)?;
        self.apply(Effect::Then(vec![effect, offer]));
        Ok(())
    }

    /// Reloads everything from the store (after undo or a change by another process).
    pub fn reload(&mut self) {
        if let Err(e) = self.session.reload() {
            self.status.error(e);
        }
        self.data_changed();
    }

    /// Tells every screen the data changed, so each keeps its state consistent, and recomputes the gaps.
    fn data_changed(&mut self) {
        self.session.recompute_gaps();
        // The quality of the whole project follows in the background (a capture's new row waits for the
        // next change, so Enter in the capture box never starts a lint of 100,000 requirements).
        self.session.assess();
        let Some(d) = &self.session.data else { return };
        for screen in Screen::ALL {
            self.screens.get_mut(screen).data_changed(d);
        }
        let effect = self.screens.capture.sync(&self.session.store, d);
        self.apply(effect);
    }

    /// Reloads what one change touched: the small tables, and the time entries or one requirement's row.
    fn refresh(&mut self, time: bool, id: Option<RequirementId>) {
        if let Err(e) = self.session.refresh(time, id) {
            return self.status.error(e);
        }
        if let Some(id) = id {
            self.screens.requirements.follow(id);
        }
        self.data_changed();
    }

    /// The requirement selected on the Requirements screen, if any.
    pub fn selected_requirement(&self) -> Option<RequirementId> {
        self.session.data.as_ref().and_then(|d| self.screens.requirements.selected(d))
    }

    /// The selected time entry on the Time screen, if any.
    pub fn selected_time_entry(&self) -> Option<&TimeEntry> {
        self.session.data.as_ref().and_then(|d| self.screens.time.selected_entry(d))
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
        if self.session.data.is_none() { Mode::Form } else { self.screens.get(self.screen).mode() }
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
            Event::Done(done) => match self.session.finished(done) {
                Ok(Finished::Lists) => self.data_changed(),
                Ok(Finished::File(said)) => self.apply(said),
                Ok(Finished::Quality) => {}
                Ok(Finished::Stale) => {}
                Err(e) => self.status.error(e),
            },
        }
        self.sync_detail();
    }

    /// Fetches the selected requirement's full record for the detail pane.
    fn sync_detail(&mut self) {
        let Some(d) = &self.session.data else { return };
        let effect = self.screens.requirements.sync_detail(&self.session.store, d);
        self.apply(effect);
    }

    fn handle_key(&mut self, key: KeyEvent) {
        let action = keymap::resolve(self.mode(), &key);
        if action == Some(Action::ForceQuit) {
            self.should_quit = true;
        } else if !self.overlays.is_empty() {
            // An overlay takes the key with its action: a bound key may be text in a form's text field.
            self.with_focus(|o, ctx| o.input(ctx, action, &key), |_, _| Effect::None);
        } else if let Some(a) = action {
            self.update(a);
        } else {
            self.with_focus(|o, ctx| o.key(ctx, &key), |s, ctx| s.key(ctx, &key));
        }
    }

    /// Applies an action: to the top overlay, else a global key's, else the screen's.
    pub fn update(&mut self, action: Action) {
        if !self.overlays.is_empty() {
            return self.with_focus(|o, ctx| o.update(ctx, action), |_, _| Effect::None);
        }
        if action == Action::ForceQuit || (action == Action::Quit && self.session.data.is_none()) {
            return self.should_quit = true;
        }
        // Writes waiting for the file go first, so changes land in the order they were made and the next
        // one is worked out from what is saved.
        self.retry_waiting(true);
        if self.session.is_waiting() && action.is_one_key_edit() {
            return self
                .status
                .info("Still waiting for the database to save your last change; press again once it is saved.");
        }
        let screen = self.screen;
        self.with_screens(|screens, ctx| {
            super::globals::effect(action, screen, ctx).unwrap_or_else(|| screens.get_mut(screen).update(ctx, action))
        });
    }

    /// Runs `f` on the screens with a context lent from the session, then applies the effect it returns.
    pub(super) fn with_screens(&mut self, f: impl FnOnce(&mut Screens, &mut Ctx<'_>) -> Effect) {
        let area = self.areas().body;
        let Some(mut ctx) = self.session.ctx(area) else { return };
        let effect = f(&mut self.screens, &mut ctx);
        self.apply(effect);
    }

    /// Hands an event to the top overlay (`over`), or to the focused screen (`screen`) when none is open.
    fn with_focus(
        &mut self,
        over: impl FnOnce(&mut dyn Overlay, &mut OverlayCtx<'_>) -> Effect,
        screen: impl FnOnce(&mut dyn Component, &mut Ctx<'_>) -> Effect,
    ) {
        let Some(mut top) = self.overlays.pop() else {
            let current = self.screen;
            return self.with_screens(|s, ctx| screen(s.get_mut(current), ctx));
        };
        let area = self.areas().body;
        let effect = over(top.as_mut(), &mut self.session.overlay_ctx(area));
        self.overlays.push(top);
        self.apply(effect);
    }

    /// Where each part of the frame goes at the terminal's size: the layout drawing and clicks use.
    pub(super) fn areas(&self) -> super::layout::Areas {
        super::layout::layout(ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1))
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
            Effect::RowAdded(id) => match (self.session.add_row(id), &self.session.data) {
                (Ok(appended), Some(d)) => self.screens.requirements.row_added(d, appended),
                (Err(e), _) => self.status.error(e),
                _ => {}
            },
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
                    self.status.error(e);
                }
            }
            Effect::LoadDemo => {
                let effect = forms::load_demo(&mut self.session.store);
                self.apply(effect);
            }
            Effect::Job(job) => {
                self.status.info(job.starting.clone());
                self.session.write_file(job);
            }
            Effect::Quit => self.should_quit = true,
            Effect::Wait(write) => {
                self.session.wait(write);
                self.status.info(WAITING);
            }
            Effect::Info(text) => self.status.info(text),
            Effect::Error(text) => self.status.error(text),
            Effect::Then(effects) => effects.into_iter().for_each(|e| self.apply(e)),
        }
    }

    /// A picker's choice: for a screen, the app (projects), or the form beneath.
    fn picked(&mut self, purpose: Purpose, choices: Vec<Choice>) {
        match (purpose.screen(), purpose, choices.first()) {
            (Some(screen), ..) => self.with_screens(|s, ctx| s.get_mut(screen).picked(ctx, purpose, choices)),
            (None, Purpose::Project, choice) => {
                let effect = forms::project_picked(&self.session.store, choice.copied());
                self.apply(effect);
            }
            (None, ..) => self.with_focus(|o, ctx| o.picked(ctx, purpose, choices), |_, _| Effect::None),
        }
    }

    /// The answer to a question: for the screen it is about, or the app's own.
    fn answered(&mut self, question: Question, yes: bool) {
        let effect = match (question.screen(), question) {
            (Some(screen), question) => {
                return self.with_screens(|s, ctx| s.get_mut(screen).answered(ctx, question, yes));
            }
            (None, Question::Backup(target)) if yes => super::export::backup(&self.session.store, target),
            (None, question) => forms::answered(&mut self.session.store, self.session.data.as_ref(), question, yes),
        };
        self.apply(effect);
    }

    /// Switches to the Requirements screen with `id` selected (clearing a filter that hides it).
    pub fn show_requirement(&mut self, id: RequirementId) {
        self.screen = Screen::Requirements;
        self.screens.journey.matrix = false;
        let Some(d) = &self.session.data else { return };
        self.screens.requirements.show(d, id);
    }

    /// Closes the top form and forgets its draft.
    fn close_form(&mut self) {
        let Some(top) = self.overlays.pop() else { return };
        if let (Some(view), Some(d)) = (top.downcast_ref::<FormView>(), &self.session.data)
            && view.purpose.is_requirement()
            && let Err(e) = self.session.store.discard_draft(d.project.id, DRAFT_FORM)
        {
            self.status.error(e);
        }
    }

    /// Periodic work between events: autosave drafts, notice other processes' changes, expire messages.
    /// Returns whether anything on screen may have changed.
    pub fn tick(&mut self) -> bool {
        let status_before = self.status.current.clone();
        let mut changed = self.retry_waiting(false);
        self.autosave(false);
        match self.session.changed_elsewhere() {
            Ok(true) => {
                self.reload();
                self.sync_detail();
                changed = true;
            }
            Ok(false) => {}
            Err(e) => self.status.error(e),
        }
        self.status.expire();
        changed || self.status.current != status_before
    }

    /// Tries the writes that wait for the file; returns whether any went through.
    pub fn retry_waiting(&mut self, now: bool) -> bool {
        let done = self.session.retry_waiting(now);
        let any = !done.is_empty();
        done.into_iter().for_each(|e| self.apply(e));
        any
    }

    /// Saves what is being typed (the capture box, the requirement form) as drafts, so a crash loses at
    /// most the last half second; `now` saves at once (before leaving).
    fn autosave(&mut self, now: bool) {
        let session = &mut self.session;
        let Some(d) = &session.data else { return };
        let project = d.project.id;
        let mut effect = self.screens.capture.autosave(&mut session.store, d, now);
        if let Some(view) = self.overlays.iter_mut().rev().find_map(|o| o.downcast_mut::<FormView>()) {
            effect = Effect::Then(vec![effect, view.autosave(&mut session.store, project, now)]);
        }
        self.apply(effect);
    }

    /// Saves every draft now.
    pub fn autosave_draft(&mut self) {
        self.autosave(true);
    }

    /// Handles events (the terminal's too) until `busy` says no job runs: the full lists of a big project
    /// are in, or a file written in the background is complete. For leaving, benchmarks and tests.
    pub fn wait_for(&mut self, busy: impl Fn(&Session) -> bool) {
        while busy(&self.session) {
            if let Some(event) = self.session.next_event(Duration::from_millis(50)) {
                self.handle(event);
            }
        }
    }

    fn handle_mouse(&mut self, m: MouseEvent) {
        match m.kind {
            MouseEventKind::ScrollUp => self.update(Action::Up),
            MouseEventKind::ScrollDown => self.update(Action::Down),
            MouseEventKind::Down(MouseButton::Left) if self.overlays.is_empty() => {
                let (areas, Some(d)) = (self.areas(), &self.session.data) else { return };
                self.screens.click(&mut self.screen, d, areas, (m.column, m.row));
            }
            _ => {}
        }
    }
}
