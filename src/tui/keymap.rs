//! One table of key bindings drives key handling, the footer hints, every message that names a key and
//! the `?` help overlay, so help can never drift from behaviour. The table is [`DEFAULTS`] with the
//! user's keymap file (see [`load`]) applied once at start.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Which bindings apply: the screen or overlay that has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Keys that work on every screen (not in text fields or overlays).
    Global,
    Requirements,
    Journey,
    Matrix,
    Outcomes,
    Stakeholders,
    Time,
    /// Dashboard and Capture: read-only overviews for now.
    Overview,
    /// Capture with no interview running: past interviews, start one.
    CaptureIdle,
    /// Capture: the one-line capture box has the keyboard (typing is text; commands use Ctrl/Alt).
    Capture,
    /// Capture: the notes pane has the keyboard.
    CaptureNotes,
    /// Typing a filter.
    Filter,
    Form,
    Picker,
    /// A list of requirements in an overlay (matrix cell, outcome, stakeholder).
    List,
    /// The list of the project's quality findings.
    Findings,
    /// A requirement's history of changes.
    History,
    Help,
    Confirm,
    /// Saving an edit someone else overtook: theirs and mine per field.
    Conflict,
    /// An interview opened from the interviews held: its notes and requirements.
    Interview,
}

impl Mode {
    /// Every mode, in the order help lists them (after the mode the user is in).
    pub const ALL: [Mode; 21] = [
        Mode::Capture,
        Mode::CaptureNotes,
        Mode::CaptureIdle,
        Mode::Interview,
        Mode::Requirements,
        Mode::Journey,
        Mode::Matrix,
        Mode::Outcomes,
        Mode::Stakeholders,
        Mode::Time,
        Mode::Overview,
        Mode::Filter,
        Mode::Form,
        Mode::Picker,
        Mode::List,
        Mode::Findings,
        Mode::History,
        Mode::Confirm,
        Mode::Conflict,
        Mode::Help,
        Mode::Global,
    ];

    /// Modes in which the global bindings also apply.
    pub fn has_globals(self) -> bool {
        matches!(
            self,
            Mode::Requirements
                | Mode::Journey
                | Mode::Matrix
                | Mode::Outcomes
                | Mode::Stakeholders
                | Mode::Time
                | Mode::Overview
                | Mode::CaptureIdle
                | Mode::CaptureNotes
        )
    }

    /// The name shown as the heading of this mode in help.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Global => "Everywhere",
            Mode::Requirements => "Requirements",
            Mode::Journey => "Journey board",
            Mode::Matrix => "Traceability matrix",
            Mode::Outcomes => "Outcomes",
            Mode::Stakeholders => "Stakeholders",
            Mode::Overview => "Dashboard",
            Mode::CaptureIdle => "Capture (no interview running)",
            Mode::Capture => "Capture box (Alt keys act on the last captured line)",
            Mode::CaptureNotes => "Capture: notes pane",
            Mode::Time => "Time",
            Mode::Filter => "Filter",
            Mode::Form => "Forms",
            Mode::Picker => "Pickers",
            Mode::List => "Requirement lists",
            Mode::Findings => "Quality findings",
            Mode::History => "A requirement's history",
            Mode::Help => "Help",
            Mode::Confirm => "Questions",
            Mode::Conflict => "Edit conflicts (theirs and yours, per field)",
            Mode::Interview => "An interview held",
        }
    }
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key { code, mods: KeyModifiers::NONE }
    }
    const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    const fn ctrl(c: char) -> Key {
        Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
    }
    const fn alt(c: char) -> Key {
        Key { code: KeyCode::Char(c), mods: KeyModifiers::ALT }
    }

    /// How the key is written in hints and help.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Delete".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else {
            base
        }
    }

    /// The binding key for an event: shifted letters arrive as upper-case chars, so SHIFT is dropped for chars.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        if !matches!(ev.code, KeyCode::Char(_)) {
            mods |= ev.modifiers & KeyModifiers::SHIFT;
        }
        if ev.code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code: ev.code, mods }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub mode: Mode,
    pub key: Key,
    pub action: Action,
    pub description: &'static str,
    /// Shown in the footer (the most useful few per mode).
    pub hint: bool,
}

const fn b(mode: Mode, key: Key, action: Action, description: &'static str, hint: bool) -> Binding {
    Binding { mode, key, action, description, hint }
}

use Action as A;
use KeyCode as K;
use Mode as M;

/// The bindings elicit ships with. Order matters only for display.
pub const DEFAULTS: &[Binding] = &[
    // Everywhere (outside text fields and overlays).
    b(M::Global, Key::ch('q'), A::Quit, "quit", true),
    b(M::Global, Key::ch('?'), A::Help, "help", true),
    b(M::Global, Key::ch('1'), A::Screen(1), "Dashboard", false),
    b(M::Global, Key::ch('2'), A::Screen(2), "Capture", false),
    b(M::Global, Key::ch('3'), A::Screen(3), "Requirements", false),
    b(M::Global, Key::ch('4'), A::Screen(4), "Journey", false),
    b(M::Global, Key::ch('5'), A::Screen(5), "Outcomes", false),
    b(M::Global, Key::ch('6'), A::Screen(6), "Stakeholders", false),
    b(M::Global, Key::ch('7'), A::Screen(7), "Time", false),
    b(M::Global, Key::plain(K::Tab), A::NextScreen, "next screen", false),
    b(M::Global, Key::plain(K::BackTab), A::PrevScreen, "previous screen", false),
    b(M::Global, Key::ch('p'), A::ProjectPicker, "switch or create project", false),
    b(M::Global, Key::ch('u'), A::Undo, "undo the last change", false),
    b(M::Global, Key::ch('x'), A::Export, "export the report or the requirements", false),
    b(M::Global, Key::ch('B'), A::Backup, "back up the whole database (a copy beside it)", false),
    b(M::Global, Key::plain(K::Up), A::Up, "up", false),
    b(M::Global, Key::ch('k'), A::Up, "up", false),
    b(M::Global, Key::plain(K::Down), A::Down, "down", false),
    b(M::Global, Key::ch('j'), A::Down, "down", false),
    b(M::Global, Key::plain(K::PageUp), A::PageUp, "page up", false),
    b(M::Global, Key::plain(K::PageDown), A::PageDown, "page down", false),
    b(M::Global, Key::ch('g'), A::First, "first", false),
    b(M::Global, Key::plain(K::Home), A::First, "first", false),
    b(M::Global, Key::ch('G'), A::Last, "last", false),
    b(M::Global, Key::plain(K::End), A::Last, "last", false),
    b(M::Global, Key::ctrl('c'), A::ForceQuit, "quit at once (works everywhere)", false),
    // Requirements.
    b(M::Requirements, Key::ch('/'), A::Filter, "filter", true),
    b(M::Requirements, Key::ch('n'), A::New, "new", true),
    b(M::Requirements, Key::ch('e'), A::Edit, "edit", true),
    b(M::Requirements, Key::plain(K::Enter), A::Edit, "edit", false),
    b(M::Requirements, Key::ch('d'), A::Delete, "delete", true),
    b(M::Requirements, Key::ch('s'), A::CycleStatus, "status", true),
    b(M::Requirements, Key::ch('+'), A::RaisePriority, "priority up", true),
    b(M::Requirements, Key::ch('-'), A::LowerPriority, "priority down", false),
    b(M::Requirements, Key::ch('o'), A::SortNext, "sort", true),
    b(M::Requirements, Key::ch('O'), A::SortReverse, "reverse sort", false),
    b(M::Requirements, Key::plain(K::Esc), A::Back, "clear every filter (then the marks)", false),
    b(M::Requirements, Key::ch('F'), A::Findings, "every quality finding", false),
    b(M::Requirements, Key::ch('!'), A::FilterFindings, "only those with findings (again: all)", false),
    b(M::Requirements, Key::ch('f'), A::FilterFields, "filter by stage, priority, source, sign-off…", true),
    b(M::Requirements, Key::ch(' '), A::Select, "mark the row (for set and sign-off)", false),
    b(M::Requirements, Key::ch('*'), A::MarkAll, "mark every row shown (again: none)", false),
    b(M::Requirements, Key::ch('b'), A::BulkSet, "set stage, status, priority, outcome, tags on the marked…", false),
    b(M::Requirements, Key::ch('c'), A::SignOff, "record a stakeholder's sign-off…", true),
    b(M::Requirements, Key::ch('h'), A::History, "history of changes", false),
    // Journey board.
    b(M::Journey, Key::plain(K::Left), A::Left, "previous stage", false),
    b(M::Journey, Key::ch('h'), A::Left, "previous stage", false),
    b(M::Journey, Key::plain(K::Right), A::Right, "next stage", false),
    b(M::Journey, Key::ch('l'), A::Right, "next stage", false),
    b(M::Journey, Key::ch('H'), A::MoveToPrevStage, "card to previous stage", true),
    b(M::Journey, Key::ch('L'), A::MoveToNextStage, "card to next stage", true),
    b(M::Journey, Key::ch('<'), A::StageEarlier, "move stage left", false),
    b(M::Journey, Key::ch('>'), A::StageLater, "move stage right", false),
    b(M::Journey, Key::ch('a'), A::AddStage, "add stage", true),
    b(M::Journey, Key::ch('r'), A::RenameStage, "rename stage", false),
    b(M::Journey, Key::ch('D'), A::DeleteStage, "delete stage", false),
    b(M::Journey, Key::ch('n'), A::New, "new requirement in this stage", false),
    b(M::Journey, Key::ch('e'), A::Edit, "edit requirement", false),
    b(M::Journey, Key::plain(K::Enter), A::Edit, "edit requirement", false),
    b(M::Journey, Key::ch('m'), A::ToggleMatrix, "matrix", true),
    // Matrix.
    b(M::Matrix, Key::plain(K::Left), A::Left, "previous stage", false),
    b(M::Matrix, Key::ch('h'), A::Left, "previous stage", false),
    b(M::Matrix, Key::plain(K::Right), A::Right, "next stage", false),
    b(M::Matrix, Key::ch('l'), A::Right, "next stage", false),
    b(M::Matrix, Key::plain(K::Enter), A::Open, "list the cell's requirements", true),
    b(M::Matrix, Key::ch('m'), A::ToggleMatrix, "back to the board", true),
    b(M::Matrix, Key::plain(K::Esc), A::ToggleMatrix, "back to the board", false),
    // Outcomes.
    b(M::Outcomes, Key::ch('n'), A::New, "new outcome", true),
    b(M::Outcomes, Key::ch('e'), A::Edit, "edit", true),
    b(M::Outcomes, Key::ch('d'), A::Delete, "delete", true),
    b(M::Outcomes, Key::plain(K::Enter), A::Open, "linked requirements", true),
    // Stakeholders.
    b(M::Stakeholders, Key::ch('n'), A::New, "new stakeholder", true),
    b(M::Stakeholders, Key::ch('e'), A::Edit, "edit", true),
    b(M::Stakeholders, Key::ch('d'), A::Delete, "delete", true),
    b(M::Stakeholders, Key::plain(K::Enter), A::Open, "requirements sourced", true),
    // Capture, no interview running.
    b(M::CaptureIdle, Key::ch('n'), A::New, "start an interview", true),
    b(M::CaptureIdle, Key::plain(K::Enter), A::Open, "open the selected interview", true),
    // An interview held.
    b(M::Interview, Key::plain(K::Up), A::Up, "previous requirement", false),
    b(M::Interview, Key::plain(K::Down), A::Down, "next requirement", false),
    b(M::Interview, Key::plain(K::Enter), A::Open, "show the requirement in Requirements", true),
    b(M::Interview, Key::ch('e'), A::Edit, "edit the notes", true),
    b(M::Interview, Key::ch('r'), A::PauseResume, "resume (or reopen) the interview", true),
    b(M::Interview, Key::ch('x'), A::Export, "read back: one page for the stakeholder", true),
    b(M::Interview, Key::ch('c'), A::SignOff, "sign-off of the whole read-back…", true),
    b(M::Interview, Key::plain(K::Esc), A::Cancel, "close", true),
    b(M::Interview, Key::ch('q'), A::Cancel, "close", false),
    b(M::Interview, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // Capture box: letters, digits and Space are text here, so commands use Enter, Ctrl and Alt.
    b(M::Capture, Key::plain(K::Enter), A::Save, "save line", true),
    b(M::Capture, Key::alt('s'), A::PickStage, "stage…", true),
    b(M::Capture, Key::alt('o'), A::PickOutcome, "outcome…", true),
    b(M::Capture, Key::alt('p'), A::CyclePriority, "priority", true),
    b(M::Capture, Key::alt('u'), A::SetPriority(crate::domain::Priority::Must), "priority must", false),
    b(M::Capture, Key::alt('h'), A::SetPriority(crate::domain::Priority::Should), "priority should", false),
    b(M::Capture, Key::alt('c'), A::SetPriority(crate::domain::Priority::Could), "priority could", false),
    b(M::Capture, Key::alt('w'), A::SetPriority(crate::domain::Priority::Wont), "priority won't", false),
    b(M::Capture, Key::plain(K::Up), A::Up, "mark the line above (box empty): Alt keys act on it", false),
    b(M::Capture, Key::plain(K::Down), A::Down, "mark the line below (box empty)", false),
    b(M::Capture, Key::ctrl('u'), A::ClearLine, "clear the line", false),
    b(M::Capture, Key::alt('m'), A::ToggleMomentOfTruth, "moment of truth", true),
    b(M::Capture, Key::alt('x'), A::TogglePainPoint, "pain point", true),
    b(M::Capture, Key::alt('n'), A::LastToNote, "line → note", true),
    b(M::Capture, Key::alt('l'), A::LinkRepeat, "link the line to the requirement it repeats", false),
    b(M::Capture, Key::ctrl('n'), A::AddNote, "save as note", true),
    b(M::Capture, Key::plain(K::Tab), A::SwitchFocus, "notes", true),
    b(M::Capture, Key::plain(K::Esc), A::SwitchFocus, "leave the box (screen keys work again)", false),
    b(M::Capture, Key::ctrl('p'), A::PauseResume, "pause/resume", true),
    b(M::Capture, Key::ctrl('e'), A::StopInterview, "end interview", true),
    b(M::Capture, Key::alt('1'), A::SetStage(1), "stage 1", false),
    b(M::Capture, Key::alt('2'), A::SetStage(2), "stage 2", false),
    b(M::Capture, Key::alt('3'), A::SetStage(3), "stage 3", false),
    b(M::Capture, Key::alt('4'), A::SetStage(4), "stage 4", false),
    b(M::Capture, Key::alt('5'), A::SetStage(5), "stage 5", false),
    b(M::Capture, Key::alt('6'), A::SetStage(6), "stage 6", false),
    b(M::Capture, Key::alt('7'), A::SetStage(7), "stage 7", false),
    b(M::Capture, Key::alt('8'), A::SetStage(8), "stage 8", false),
    b(M::Capture, Key::alt('9'), A::SetStage(9), "stage 9", false),
    b(M::Capture, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // Capture, notes pane.
    b(M::CaptureNotes, Key::plain(K::Enter), A::NoteToRequirement, "note → requirement (quote kept)", true),
    b(M::CaptureNotes, Key::ch('r'), A::NoteToRequirement, "note → requirement (quote kept)", false),
    b(M::CaptureNotes, Key::ch('a'), A::AddNote, "add a note", true),
    b(M::CaptureNotes, Key::plain(K::Tab), A::SwitchFocus, "back to the box", true),
    b(M::CaptureNotes, Key::ch('i'), A::SwitchFocus, "back to the box", false),
    b(M::CaptureNotes, Key::plain(K::Esc), A::SwitchFocus, "back to the box", false),
    b(M::CaptureNotes, Key::ctrl('p'), A::PauseResume, "pause/resume", true),
    b(M::CaptureNotes, Key::ctrl('e'), A::StopInterview, "end interview", true),
    // Time.
    b(M::Time, Key::ch('s'), A::StartTimer, "start a timer", true),
    // S, not x: x exports everywhere on main, and s/S read as a pair.
    b(M::Time, Key::ch('S'), A::StopTimer, "stop the timer", true),
    b(M::Time, Key::ch('n'), A::New, "log time by hand", true),
    b(M::Time, Key::ch('e'), A::Edit, "edit entry", true),
    b(M::Time, Key::plain(K::Enter), A::Edit, "edit entry", false),
    b(M::Time, Key::ch('d'), A::Delete, "delete entry", true),
    // Filter.
    b(M::Filter, Key::plain(K::Enter), A::Confirm, "keep filter", true),
    b(M::Filter, Key::plain(K::Esc), A::Cancel, "clear filter", true),
    b(M::Filter, Key::plain(K::Up), A::Up, "up", false),
    b(M::Filter, Key::plain(K::Down), A::Down, "down", false),
    b(M::Filter, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // Forms.
    b(M::Form, Key::plain(K::Tab), A::NextField, "next field", true),
    b(M::Form, Key::plain(K::BackTab), A::PrevField, "previous field", true),
    b(M::Form, Key::ctrl('s'), A::Save, "save", true),
    b(M::Form, Key::plain(K::Esc), A::Cancel, "cancel", true),
    b(M::Form, Key::plain(K::Enter), A::Open, "pick / new line / next field", false),
    b(M::Form, Key::plain(K::Left), A::Left, "previous choice (choice fields)", false),
    b(M::Form, Key::plain(K::Right), A::Right, "next choice (choice fields)", false),
    b(M::Form, Key::ch(' '), A::Toggle, "toggle (yes/no fields)", false),
    b(M::Form, Key::ctrl('d'), A::LoadDemo, "load the demo project (first-run form)", false),
    b(M::Form, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // Pickers.
    b(M::Picker, Key::plain(K::Up), A::Up, "up", false),
    b(M::Picker, Key::plain(K::Down), A::Down, "down", false),
    b(M::Picker, Key::ch(' '), A::Toggle, "select / unselect (multi-pick)", true),
    b(M::Picker, Key::plain(K::Tab), A::Select, "select while searching (multi-pick)", true),
    b(M::Picker, Key::plain(K::Enter), A::Confirm, "choose", true),
    b(M::Picker, Key::plain(K::Esc), A::Cancel, "cancel", true),
    b(M::Picker, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // Lists.
    b(M::List, Key::plain(K::Up), A::Up, "up", false),
    b(M::List, Key::ch('k'), A::Up, "up", false),
    b(M::List, Key::plain(K::Down), A::Down, "down", false),
    b(M::List, Key::ch('j'), A::Down, "down", false),
    b(M::List, Key::plain(K::Enter), A::Open, "show in Requirements", true),
    b(M::List, Key::plain(K::Esc), A::Cancel, "close", true),
    b(M::List, Key::ch('q'), A::Cancel, "close", false),
    b(M::List, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // A requirement's history.
    b(M::History, Key::plain(K::Up), A::Up, "up", false),
    b(M::History, Key::ch('k'), A::Up, "up", false),
    b(M::History, Key::plain(K::Down), A::Down, "down", false),
    b(M::History, Key::ch('j'), A::Down, "down", false),
    b(M::History, Key::plain(K::Esc), A::Cancel, "close", true),
    b(M::History, Key::ch('q'), A::Cancel, "close", false),
    b(M::History, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // The quality findings.
    b(M::Findings, Key::plain(K::Up), A::Up, "up", false),
    b(M::Findings, Key::ch('k'), A::Up, "up", false),
    b(M::Findings, Key::plain(K::Down), A::Down, "down", false),
    b(M::Findings, Key::ch('j'), A::Down, "down", false),
    b(M::Findings, Key::ch('g'), A::First, "first", false),
    b(M::Findings, Key::plain(K::Home), A::First, "first", false),
    b(M::Findings, Key::ch('G'), A::Last, "last", false),
    b(M::Findings, Key::plain(K::End), A::Last, "last", false),
    b(M::Findings, Key::plain(K::Enter), A::Open, "show in Requirements", true),
    b(M::Findings, Key::ch('a'), A::AcceptFinding, "accept with a reason… (again: count it again)", true),
    b(M::Findings, Key::plain(K::Esc), A::Cancel, "close", true),
    b(M::Findings, Key::ch('q'), A::Cancel, "close", false),
    b(M::Findings, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // Help.
    b(M::Help, Key::plain(K::Esc), A::Cancel, "close", true),
    b(M::Help, Key::ch('?'), A::Cancel, "close", false),
    b(M::Help, Key::ch('q'), A::Cancel, "close", false),
    b(M::Help, Key::plain(K::Up), A::Up, "scroll up", true),
    b(M::Help, Key::ch('k'), A::Up, "scroll up", false),
    b(M::Help, Key::plain(K::Down), A::Down, "scroll down", true),
    b(M::Help, Key::ch('j'), A::Down, "scroll down", false),
    b(M::Help, Key::plain(K::PageUp), A::PageUp, "page up", false),
    b(M::Help, Key::plain(K::PageDown), A::PageDown, "page down", false),
    b(M::Help, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // Questions.
    b(M::Confirm, Key::ch('y'), A::Confirm, "yes", true),
    b(M::Confirm, Key::plain(K::Enter), A::Confirm, "yes", false),
    b(M::Confirm, Key::ch('n'), A::Cancel, "no", true),
    b(M::Confirm, Key::plain(K::Esc), A::Cancel, "no", false),
    b(M::Confirm, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
    // Edit conflicts.
    b(M::Conflict, Key::plain(K::Up), A::Up, "previous field", true),
    b(M::Conflict, Key::plain(K::Down), A::Down, "next field", true),
    b(M::Conflict, Key::plain(K::Left), A::Left, "keep theirs", true),
    b(M::Conflict, Key::plain(K::Right), A::Right, "keep mine", true),
    b(M::Conflict, Key::ctrl('s'), A::Save, "save with these choices", true),
    b(M::Conflict, Key::plain(K::Esc), A::Cancel, "back to my form (nothing saved)", true),
    b(M::Conflict, Key::ctrl('c'), A::ForceQuit, "quit at once", false),
];

static KEYMAP: std::sync::OnceLock<Vec<Binding>> = std::sync::OnceLock::new();

/// The bindings in force: the defaults, or what [`install`] set.
fn bindings() -> &'static [Binding] {
    KEYMAP.get_or_init(|| DEFAULTS.to_vec())
}

/// Puts `bindings` in force for the rest of the process (before the first key is read); `false` when
/// bindings were in force already.
pub fn install(bindings: Vec<Binding>) -> bool {
    KEYMAP.set(bindings).is_ok()
}

/// The action bound to `key` in `mode` (falling back to the global bindings where they apply).
pub fn resolve(mode: Mode, key: &KeyEvent) -> Option<Action> {
    let key = Key::from_event(key);
    let find = |m: Mode| bindings().iter().find(|b| b.mode == m && b.key == key).map(|b| b.action);
    find(mode).or_else(|| if mode.has_globals() { find(Mode::Global) } else { None })
}

/// The footer hints of a mode: the global ones where they apply, then the mode's own.
pub fn hints(mode: Mode) -> Vec<(String, &'static str)> {
    // Global keys first: the footer is cut at the right edge, and quit and help must always show.
    let mut out: Vec<(String, &'static str)> = Vec::new();
    if mode.has_globals() {
        out.extend(
            bindings().iter().filter(|b| b.mode == Mode::Global && b.hint).map(|b| (b.key.label(), b.description)),
        );
    }
    out.extend(bindings().iter().filter(|b| b.mode == mode && b.hint).map(|b| (b.key.label(), b.description)));
    out
}

/// The modes help lists, in order: the one the user is in (and the global keys, where they apply) first,
/// then every other mode that has keys, in [`Mode::ALL`] order.
pub fn help_order(under: Mode) -> Vec<Mode> {
    let mut modes = vec![under];
    if under.has_globals() {
        modes.push(Mode::Global);
    }
    for m in Mode::ALL {
        if !modes.contains(&m) && bindings().iter().any(|b| b.mode == m) {
            modes.push(m);
        }
    }
    modes
}

/// The first key bound to `action` in `mode` (or globally, where the globals apply), as hints write it:
/// what every message naming a key uses, so none can name a key that does something else.
pub fn keys_for(mode: Mode, action: Action) -> String {
    let find = |m: Mode| bindings().iter().find(|b| b.mode == m && b.action == action).map(|b| b.key.label());
    find(mode)
        .or_else(|| if mode.has_globals() || mode == Mode::Global { find(Mode::Global) } else { None })
        .unwrap_or_else(|| "(unbound)".to_owned())
}

/// As [`keys_for`], for the binding of `action` whose description says `what` (an action bound to two
/// keys described differently, like Tab "notes" and Esc "leave the box").
pub fn key_described(mode: Mode, action: Action, what: &str) -> String {
    bindings()
        .iter()
        .find(|b| b.mode == mode && b.action == action && b.description.contains(what))
        .map_or_else(|| keys_for(mode, action), |b| b.key.label())
}

/// The footer hints of `mode` as one line: "Enter choose · Esc cancel".
pub fn hint_line(mode: Mode) -> String {
    hints(mode).into_iter().map(|(k, d)| format!("{k} {d}")).collect::<Vec<_>>().join(" · ")
}

/// Help lines for a mode: bindings with the same action and description are merged ("↓, j  down").
pub fn help_lines(mode: Mode) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, Action, &'static str)> = Vec::new();
    for b in bindings().iter().filter(|b| b.mode == mode) {
        if let Some(line) = out.iter_mut().find(|(_, a, d)| *a == b.action && *d == b.description) {
            line.0.push_str(", ");
            line.0.push_str(&b.key.label());
        } else {
            out.push((b.key.label(), b.action, b.description));
        }
    }
    out.into_iter().map(|(k, _, d)| (k, d)).collect()
}

/// The name a keymap file gives a mode: its help title's words in kebab-case (`capture-notes`).
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Global => "global",
        Mode::Requirements => "requirements",
        Mode::Journey => "journey",
        Mode::Matrix => "matrix",
        Mode::Outcomes => "outcomes",
        Mode::Stakeholders => "stakeholders",
        Mode::Time => "time",
        Mode::Overview => "dashboard",
        Mode::CaptureIdle => "capture-idle",
        Mode::Interview => "interview",
        Mode::Capture => "capture",
        Mode::CaptureNotes => "capture-notes",
        Mode::Filter => "filter",
        Mode::Form => "form",
        Mode::Picker => "picker",
        Mode::List => "list",
        Mode::Findings => "findings",
        Mode::History => "history",
        Mode::Help => "help",
        Mode::Confirm => "question",
        Mode::Conflict => "conflict",
    }
}

/// The name a keymap file gives an action: `new`, `raise-priority`, `screen-3`, `set-stage-2`.
pub fn action_name(action: Action) -> String {
    match action {
        Action::Screen(n) => format!("screen-{n}"),
        Action::SetStage(n) => format!("set-stage-{n}"),
        Action::SetPriority(p) => format!("priority-{p}"),
        other => serde_json::to_value(other).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
    }
}

/// Reads a key as a keymap file writes it: `a`, `G`, `?`, `Ctrl-s`, `Alt-x`, `Enter`, `Esc`, `Tab`,
/// `Shift-Tab`, `Space`, `Up`/`↑`, `Down`/`↓`, `Left`/`←`, `Right`/`→`, `PgUp`, `PgDn`, `Home`, `End`,
/// `Backspace`, `Delete`, `F1`..`F12`.
pub fn parse_key(text: &str) -> Option<Key> {
    let text = text.trim();
    let (mods, base) = if let Some(rest) = text.strip_prefix("Ctrl-").or_else(|| text.strip_prefix("ctrl-")) {
        (KeyModifiers::CONTROL, rest)
    } else if let Some(rest) = text.strip_prefix("Alt-").or_else(|| text.strip_prefix("alt-")) {
        (KeyModifiers::ALT, rest)
    } else {
        (KeyModifiers::NONE, text)
    };
    let code = match base {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "Shift-Tab" => KeyCode::BackTab,
        "Space" => KeyCode::Char(' '),
        "Up" | "↑" => KeyCode::Up,
        "Down" | "↓" => KeyCode::Down,
        "Left" | "←" => KeyCode::Left,
        "Right" | "→" => KeyCode::Right,
        "PgUp" => KeyCode::PageUp,
        "PgDn" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Backspace" => KeyCode::Backspace,
        "Delete" => KeyCode::Delete,
        f if f.len() > 1 && f.starts_with('F') => KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?),
        one => {
            let mut chars = one.chars();
            let c = chars.next()?;
            if chars.next().is_some() || c.is_control() {
                return None;
            }
            // Ctrl-S and Ctrl-s are the same key to the terminal.
            KeyCode::Char(if mods == KeyModifiers::CONTROL { c.to_ascii_lowercase() } else { c })
        }
    };
    Some(Key { code, mods })
}

/// What is wrong with a keymap file, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("cannot read the keymap {path}: {source}")]
    Read { path: std::path::PathBuf, source: std::io::Error },
    #[error("the keymap {path} is not valid TOML: {message}")]
    Syntax { path: std::path::PathBuf, message: String },
    #[error("the keymap {path}: {problem}")]
    Binding { path: std::path::PathBuf, problem: String },
}

/// The bindings with the keymap file at `path` applied, or the defaults when there is no such file.
///
/// The file has a table per mode, and in it an action's new key, or keys:
///
/// ```toml
/// [requirements]
/// new = "a"
/// delete = ["x", "Delete"]
/// [global]
/// quit = "Q"
/// ```
///
/// The keys given replace the action's keys in that mode; a key may not end up bound twice in one mode.
pub fn load(path: &std::path::Path) -> Result<Vec<Binding>, KeymapError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DEFAULTS.to_vec()),
        Err(source) => return Err(KeymapError::Read { path: path.to_path_buf(), source }),
    };
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| KeymapError::Syntax {
        path: path.to_path_buf(),
        message: crate::domain::clean_line(&e.to_string()),
    })?;
    apply(DEFAULTS, &table).map_err(|problem| KeymapError::Binding { path: path.to_path_buf(), problem })
}

/// `defaults` with the rebinding of `table` (a parsed keymap file) applied.
fn apply(defaults: &[Binding], table: &toml::Table) -> Result<Vec<Binding>, String> {
    let mut out = defaults.to_vec();
    for (mode_key, actions) in table {
        let mode = Mode::ALL.into_iter().find(|m| mode_name(*m) == mode_key).ok_or_else(|| {
            let names: Vec<&str> = Mode::ALL.iter().map(|m| mode_name(*m)).collect();
            format!("there is no mode [{mode_key}]; the modes are {}", names.join(", "))
        })?;
        let toml::Value::Table(actions) = actions else {
            return Err(format!("[{mode_key}] should be a table of action = \"key\""));
        };
        for (action_key, keys) in actions {
            let template =
                defaults.iter().find(|b| b.mode == mode && action_name(b.action) == *action_key).copied().ok_or_else(
                    || {
                        let mut names: Vec<String> =
                            defaults.iter().filter(|b| b.mode == mode).map(|b| action_name(b.action)).collect();
                        names.dedup();
                        format!("[{mode_key}] has no action {action_key:?}; its actions are {}", names.join(", "))
                    },
                )?;
            if template.action == Action::ForceQuit {
                return Err("Ctrl-C always quits at once; force-quit cannot be rebound".into());
            }
            let keys: Vec<&str> = match keys {
                toml::Value::String(k) => vec![k.as_str()],
                toml::Value::Array(list) => list.iter().filter_map(toml::Value::as_str).collect(),
                _ => Vec::new(),
            };
            if keys.is_empty() {
                return Err(format!("[{mode_key}] {action_key}: give a key, e.g. {action_key} = \"a\""));
            }
            // The new keys take the place of the old ones, so the footer keeps its order.
            let at = out.iter().position(|b| b.mode == mode && b.action == template.action).unwrap_or(out.len());
            out.retain(|b| !(b.mode == mode && b.action == template.action));
            let at = at.min(out.len());
            for (i, k) in keys.into_iter().enumerate() {
                let key = parse_key(k).ok_or_else(|| {
                    format!("[{mode_key}] {action_key}: {k:?} is not a key (try \"a\", \"Ctrl-s\", \"Enter\", \"F2\")")
                })?;
                out.insert(at + i, Binding { key, hint: template.hint, ..template });
            }
        }
    }
    for (i, a) in out.iter().enumerate() {
        if let Some(b) = out[i + 1..].iter().find(|b| b.mode == a.mode && b.key == a.key) {
            return Err(format!(
                "{} is bound twice in [{}]: to {} and to {}; rebind one of them too",
                a.key.label(),
                mode_name(a.mode),
                action_name(a.action),
                action_name(b.action)
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for (i, a) in DEFAULTS.iter().enumerate() {
            for b in &DEFAULTS[i + 1..] {
                assert!(!(a.mode == b.mode && a.key == b.key), "{:?} {} bound twice", a.mode, a.key.label());
            }
        }
    }

    #[test]
    fn mode_keys_do_not_shadow_quit_or_screen_switching_by_accident() {
        // A screen may override a global key only deliberately; these must stay global everywhere.
        for b in DEFAULTS.iter().filter(|b| b.mode.has_globals()) {
            for c in ['q', '1', '2', '3', '4', '5', '6', '7', '?'] {
                assert_ne!(b.key, Key::ch(c), "{:?} shadows {c}", b.mode);
            }
        }
    }

    #[test]
    fn every_binding_has_a_description() {
        for b in DEFAULTS {
            assert!(!b.description.trim().is_empty(), "{:?} {}", b.mode, b.key.label());
        }
    }

    #[test]
    fn resolves_mode_keys_before_globals_and_ctrl_c_everywhere() {
        let key = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(resolve(Mode::Requirements, &key('n')), Some(Action::New));
        assert_eq!(resolve(Mode::Requirements, &key('q')), Some(Action::Quit));
        assert_eq!(resolve(Mode::Form, &key('q')), None, "q is text in a form");
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [Mode::Requirements, Mode::Form, Mode::Filter, Mode::Picker, Mode::Help, Mode::Confirm, Mode::List]
        {
            assert_eq!(resolve(mode, &ctrl_c), Some(Action::ForceQuit), "{mode:?}");
        }
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(resolve(Mode::Requirements, &shifted), Some(Action::Last));
    }

    fn file(text: &str) -> Result<Vec<Binding>, String> {
        apply(DEFAULTS, &text.parse::<toml::Table>().expect("toml"))
    }

    fn find(bindings: &[Binding], mode: Mode, key: Key) -> Option<Action> {
        bindings.iter().find(|b| b.mode == mode && b.key == key).map(|b| b.action)
    }

    #[test]
    fn a_keymap_file_rebinds_an_action_in_one_mode() {
        let b = file("[requirements]\nnew = \"a\"\ndelete = [\"x\", \"Delete\"]\n").expect("valid");
        assert_eq!(find(&b, Mode::Requirements, Key::ch('a')), Some(Action::New));
        assert_eq!(find(&b, Mode::Requirements, Key::ch('n')), None, "the old key is free");
        assert_eq!(find(&b, Mode::Requirements, Key::ch('x')), Some(Action::Delete));
        assert_eq!(find(&b, Mode::Requirements, Key::plain(KeyCode::Delete)), Some(Action::Delete));
        assert_eq!(find(&b, Mode::Outcomes, Key::ch('n')), Some(Action::New), "other modes keep theirs");
        let help = b.iter().find(|x| x.mode == Mode::Requirements && x.action == Action::New).expect("bound");
        assert_eq!(help.description, "new", "the description stays");
        let b = file("[global]\nscreen-3 = \"F3\"\n[capture]\nset-stage-1 = \"Alt-q\"\n").expect("valid");
        assert_eq!(find(&b, Mode::Global, Key::plain(KeyCode::F(3))), Some(Action::Screen(3)));
        assert_eq!(find(&b, Mode::Capture, Key::alt('q')), Some(Action::SetStage(1)));
    }

    #[test]
    fn a_bad_keymap_file_says_what_to_fix() {
        let err = |t: &str| file(t).expect_err("refused");
        assert!(
            err("[reqs]\nnew = \"a\"").contains("no mode [reqs]; the modes are capture, capture-notes, "),
            "{}",
            err("[reqs]\nnew = \"a\"")
        );
        assert!(err("[requirements]\nnw = \"a\"").contains("has no action \"nw\"; its actions are "));
        assert!(err("[requirements]\nnew = \"Ctrl-\"").contains("is not a key"));
        assert!(err("[requirements]\nnew = \"e\"").contains("e is bound twice in [requirements]: to new and to edit"));
        assert!(err("[global]\nforce-quit = \"Q\"").contains("cannot be rebound"));
        assert!(err("[requirements]\nnew = 3").contains("give a key"));
    }

    #[test]
    fn keys_read_as_hints_write_them() {
        for b in DEFAULTS {
            assert_eq!(parse_key(&b.key.label()), Some(b.key), "{}", b.key.label());
        }
        assert_eq!(parse_key("Ctrl-S"), Some(Key::ctrl('s')));
        assert_eq!(parse_key("F13"), None);
        assert_eq!(parse_key("F3").map(|k| k.label()), Some("F3".to_owned()));
        assert_eq!(parse_key("ab"), None);
    }
}
