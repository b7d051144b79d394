//! Screens as components: each owns its state, changes it only in [`Component::update`], and draws from it
//! without changing it. The app routes actions to the focused component and applies the [`Effect`] it
//! returns in one place, so no component reaches into another's state or into the app's.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Action;
use super::data::ProjectData;
use super::gaps::Gaps;
use super::keymap::Mode;
pub use super::message::Screen;
use super::message::{Choice, FieldId, Purpose, Question};
use super::theme::Theme;
use crate::domain::{Project, Requirement, RequirementId, RequirementPatch, TimeEntryId, Timestamp};
use crate::store::{Store, StoreError};

/// What a screen may use while it handles an action: the store (to persist), the project as loaded, and
/// the area the screen is drawn in (so scrolling is worked out here, not while drawing).
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub data: &'a ProjectData,
    pub area: Rect,
    /// Whether a file (an export or a backup) is being written in the background.
    pub writing: bool,
    /// The author exports name.
    pub author: &'a str,
    /// The quality of the whole project, once assessed.
    pub quality: Option<&'a super::quality::Quality>,
    /// The project's statements, once indexed, to tell a line that repeats one.
    pub repeats: Option<&'a super::quality::Repeats>,
}

/// What an overlay may use: as [`Ctx`], but an overlay can be open before any project exists (the
/// first-run form), so the project is optional.
pub struct OverlayCtx<'a> {
    pub store: &'a mut Store,
    pub data: Option<&'a ProjectData>,
    pub area: Rect,
    pub writing: bool,
    pub author: &'a str,
    /// The quality of the whole project, once assessed.
    pub quality: Option<&'a super::quality::Quality>,
}

impl OverlayCtx<'_> {
    /// The screen context, when a project is loaded.
    pub fn screen(&mut self) -> Option<Ctx<'_>> {
        let data = self.data?;
        Some(Ctx {
            store: self.store,
            data,
            area: self.area,
            writing: self.writing,
            author: self.author,
            quality: self.quality,
            repeats: None,
        })
    }
}

/// What a component may read while it draws.
pub struct View<'a> {
    pub data: &'a ProjectData,
    /// The coverage gaps of `data`, computed once when it changed.
    pub gaps: &'a Gaps,
    /// The quality of the whole project, once assessed (in the background).
    pub quality: Option<&'a super::quality::Quality>,
    pub theme: &'a Theme,
    pub now: Timestamp,
}

/// What an overlay may read while it draws (over the screen's `area`).
pub struct OverlayView<'a> {
    pub data: Option<&'a ProjectData>,
    pub theme: &'a Theme,
    /// The mode of the screen beneath all overlays (help starts with its keys).
    pub under: Mode,
    pub now: Timestamp,
    /// The quality of the whole project, once assessed.
    pub quality: Option<&'a super::quality::Quality>,
}

/// A file written on a thread of its own (a big export, a backup): the work, and what to say before.
pub struct Job {
    pub work: Box<dyn FnOnce() -> Result<String, String> + Send>,
    pub starting: String,
}

/// What the app does after a component handled an action.
#[must_use]
pub enum Effect {
    /// Nothing beyond the component's own state.
    None,
    /// Open an overlay on top of the screen.
    Push(Box<dyn Overlay>),
    /// Close the top overlay.
    Close,
    /// Close the top overlay, a form: its autosaved draft goes too.
    CloseForm,
    /// Reload the project from the store (after a change that touches many rows).
    Reload,
    /// Reload the small tables and this requirement's row (after a change to one requirement).
    Refresh(Option<RequirementId>),
    /// Reload the small tables and the time entries (after an interview or its timer changed).
    ReloadTime,
    /// Add this just-written requirement's row to the loaded data, without reloading the project.
    RowAdded(RequirementId),
    /// Switch to this screen.
    Show(Screen),
    /// Show this requirement on the Requirements screen.
    ShowRequirement(RequirementId),
    /// Select this time entry on the Time screen.
    ShowTimeEntry(TimeEntryId),
    /// Hand this action to the focused screen once the effects before it are applied.
    Dispatch(Action),
    /// A picker's choice, for whoever the purpose names.
    Picked(Purpose, Vec<Choice>),
    /// Add a choice to a pick field of the form on top, and pick it.
    AddChoice(FieldId, Choice, String),
    /// The answer to a question: yes (`true`) or no.
    Answered(Question, bool),
    /// Load this project (and reset the screens).
    SwitchProject(Project),
    /// Load the demo project.
    LoadDemo,
    /// Write a file in the background.
    Job(Job),
    /// Leave the workbench.
    Quit,
    /// A write that waits for another process to let go of the file.
    Wait(Pending),
    /// Say something in the status line.
    Info(String),
    /// Report a failure in the status line; the app goes on.
    Error(String),
    /// Several effects, in order.
    Then(Vec<Effect>),
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Effect::Info(t) => write!(f, "Info({t:?})"),
            Effect::Error(t) => write!(f, "Error({t:?})"),
            Effect::Then(v) => f.debug_list().entries(v).finish(),
            _ => f.write_str("Effect"),
        }
    }
}

impl Effect {
    /// A failed store call as an effect.
    pub fn error(e: impl std::fmt::Display) -> Effect {
        Effect::Error(e.to_string())
    }
}

/// A screen of the workbench.
pub trait Component {
    /// The keymap mode while this component has the keyboard.
    fn mode(&self) -> Mode;
    /// Handles one action.
    fn update(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect;
    /// A key the keymap gives no action in this component's mode: typing, where the component takes text.
    fn key(&mut self, _ctx: &mut Ctx<'_>, _key: &KeyEvent) -> Effect {
        Effect::None
    }
    /// Text pasted while this component has the keyboard.
    fn paste(&mut self, _ctx: &mut Ctx<'_>, _text: &str) -> Effect {
        Effect::None
    }
    /// A choice from a picker this screen opened.
    fn picked(&mut self, _ctx: &mut Ctx<'_>, _purpose: Purpose, _choices: Vec<Choice>) -> Effect {
        Effect::None
    }
    /// The answer to a question this screen asked.
    fn answered(&mut self, _ctx: &mut Ctx<'_>, _question: Question, _yes: bool) -> Effect {
        Effect::None
    }
    /// Draws into `area`, reading state only.
    fn draw(&self, frame: &mut Frame<'_>, area: Rect, view: &View<'_>);
    /// Called after the project data changed (a reload, another project): keep the state consistent.
    fn data_changed(&mut self, _data: &ProjectData) {}
    /// A left click at (`x`, `y`) inside the screen's `area`.
    fn click(&mut self, _data: &ProjectData, _area: Rect, _x: u16, _y: u16) {}
}

/// Something drawn over the screen that has the keyboard while it is open: a form, a picker, a question,
/// help, a list, the conflict view. The app keeps a stack of them; the top one gets every key.
pub trait Overlay: Any {
    /// The keymap mode while this overlay is on top.
    fn mode(&self) -> Mode;
    /// Handles one action.
    fn update(&mut self, ctx: &mut OverlayCtx<'_>, action: Action) -> Effect;
    /// A key the keymap gives no action in this mode: typing.
    fn key(&mut self, _ctx: &mut OverlayCtx<'_>, _key: &KeyEvent) -> Effect {
        Effect::None
    }
    /// A key as it came, with the action the keymap gives it (if any): the action, else typing.
    fn input(&mut self, ctx: &mut OverlayCtx<'_>, action: Option<Action>, key: &KeyEvent) -> Effect {
        match action {
            Some(a) => self.update(ctx, a),
            None => self.key(ctx, key),
        }
    }
    /// Text pasted while this overlay is on top.
    fn paste(&mut self, _ctx: &mut OverlayCtx<'_>, _text: &str) -> Effect {
        Effect::None
    }
    /// A choice from a picker opened over this overlay.
    fn picked(&mut self, _ctx: &mut OverlayCtx<'_>, _purpose: Purpose, _choices: Vec<Choice>) -> Effect {
        Effect::None
    }
    /// A choice to add to one of this overlay's fields (and pick).
    fn add_choice(&mut self, _field: FieldId, _choice: Choice, _label: String) {}
    /// Draws over `body`, reading state only.
    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>);
}

impl dyn Overlay {
    /// This overlay as its concrete type, if it is one.
    pub fn downcast_ref<T: Overlay>(&self) -> Option<&T> {
        (self as &dyn Any).downcast_ref()
    }

    /// As `downcast_ref`, to change.
    pub fn downcast_mut<T: Overlay>(&mut self) -> Option<&mut T> {
        (self as &mut dyn Any).downcast_mut()
    }

    /// Whether this overlay is a `T`.
    pub fn is<T: Overlay>(&self) -> bool {
        self.downcast_ref::<T>().is_some()
    }
}

/// A selected row in a list of `len` rows, moved by the usual keys; the one implementation the simple list
/// screens share.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    pub index: usize,
}

impl Selection {
    /// How far PgUp/PgDn move.
    const PAGE: usize = 10;

    /// Moves for Up/Down/First/Last/PgUp/PgDn; returns whether `action` was a move.
    pub fn apply(&mut self, action: Action, len: usize) -> bool {
        let last = len.saturating_sub(1);
        self.index = match action {
            Action::Up => self.index.saturating_sub(1),
            Action::Down => (self.index + 1).min(last),
            Action::First => 0,
            Action::Last => last,
            Action::PageUp => self.index.saturating_sub(Self::PAGE),
            Action::PageDown => (self.index + Self::PAGE).min(last),
            _ => return false,
        };
        true
    }

    /// Keeps the selection inside a list that now has `len` rows.
    pub fn clamp(&mut self, len: usize) {
        self.index = self.index.min(len.saturating_sub(1));
    }

    /// Selects the data row drawn at terminal row `y` of a bordered table with a header at `area`.
    pub fn click(&mut self, area: Rect, y: u16, len: usize) {
        // Tables draw a border and a header row before the first data row.
        if y >= area.y + 2 {
            let row = usize::from(y - area.y - 2);
            if row < len {
                self.index = row;
            }
        }
    }
}

/// Saves a small change to one requirement (a one-key edit) only if it is still at the `version` the
/// analyst saw, then refreshes its row and says `message` of what was saved. When someone else changed it
/// meanwhile nothing is written: the screen reloads to show their change, and the analyst decides again.
/// When another process holds the file, the change waits (see [`Effect::Wait`]) and is saved when it can.
pub fn patch_requirement(
    ctx: &mut Ctx<'_>,
    id: RequirementId,
    version: Option<i64>,
    patch: RequirementPatch,
    message: impl FnOnce(&Requirement) -> String + Send + 'static,
) -> Effect {
    let mut message = Some(message);
    let mut write = move |store: &mut Store| -> Result<Effect, StoreError> {
        match store.update_requirement_if(id, version, patch.clone()) {
            Ok(r) => {
                let said = message.take().map(|m| m(&r)).unwrap_or_default();
                Ok(Effect::Then(vec![Effect::Refresh(Some(id)), Effect::Info(said)]))
            }
            Err(e @ StoreError::Changed { .. }) => {
                Ok(Effect::Then(vec![Effect::Reload, Effect::Error(format!("{e}; the screen now shows their change"))]))
            }
            Err(e) => Err(e),
        }
    };
    match write(ctx.store) {
        Ok(effect) => effect,
        Err(StoreError::Busy) => Effect::Wait(Pending::new(write)),
        Err(e) => Effect::error(e),
    }
}

/// A write to try again: what it does to the store, and what the app then does.
type Write = Box<dyn FnMut(&mut Store) -> Result<Effect, StoreError> + Send>;

/// A write that found the file held by another process: tried again every quarter second until it goes
/// through (or gives up after [`Pending::PATIENCE`]); meanwhile the workbench goes on and says it is waiting.
pub struct Pending {
    write: Write,
    since: std::time::Instant,
    tried: std::time::Instant,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").field("since", &self.since).finish_non_exhaustive()
    }
}

impl Pending {
    /// How long a write waits for the file before it is given up.
    pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);
    /// How often it tries again: each try may wait a moment for the lock, and keys must not.
    const EVERY: std::time::Duration = std::time::Duration::from_millis(250);

    fn new(write: impl FnMut(&mut Store) -> Result<Effect, StoreError> + Send + 'static) -> Pending {
        let now = std::time::Instant::now();
        Pending { write: Box::new(write), since: now, tried: now }
    }

    /// Tries the write again when it is time to: `Some(effect)` once it went through (or failed for good,
    /// as an error effect), `None` while the file is still held.
    pub fn retry(&mut self, store: &mut Store, now: bool) -> Option<Effect> {
        if !now && self.tried.elapsed() < Self::EVERY {
            return None;
        }
        self.tried = std::time::Instant::now();
        match (self.write)(store) {
            Ok(effect) => Some(effect),
            Err(StoreError::Busy) if self.since.elapsed() < Self::PATIENCE => None,
            Err(StoreError::Busy) => Some(Effect::Error(format!(
                "gave up after {} s: another elicit kept the database busy; the change was not written",
                Self::PATIENCE.as_secs()
            ))),
            Err(e) => Some(Effect::error(e)),
        }
    }
}

/// The writes waiting for another process to let go of the file, oldest first: they go through in the
/// order they were made.
#[derive(Debug, Default)]
pub struct Waiting(std::collections::VecDeque<Pending>);

impl Waiting {
    pub fn push(&mut self, write: Pending) {
        self.0.push_back(write);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Tries the writes in order, stopping at the first still held up; the effects of those that went
    /// through (or failed for good), in order.
    pub fn retry(&mut self, store: &mut Store, now: bool) -> Vec<Effect> {
        let mut done = Vec::new();
        while let Some(write) = self.0.front_mut() {
            let Some(effect) = write.retry(store, now) else { break };
            self.0.pop_front();
            done.push(effect);
        }
        done
    }
}
