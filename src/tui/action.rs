//! What a key press means, independent of the key: the messages of the update loop.

use serde::{Deserialize, Serialize};

/// A user intent. Named in kebab-case so a user keymap file can name them later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Quit,
    ForceQuit,
    Help,
    NextScreen,
    PrevScreen,
    Screen(u8),
    ProjectPicker,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Back,
    Filter,
    New,
    Edit,
    Delete,
    Undo,
    CycleStatus,
    RaisePriority,
    LowerPriority,
    SortNext,
    SortReverse,
    MoveToPrevStage,
    MoveToNextStage,
    StageEarlier,
    StageLater,
    AddStage,
    RenameStage,
    DeleteStage,
    ToggleMatrix,
    StartTimer,
    StopTimer,
    NextField,
    PrevField,
    Save,
    Toggle,
    Confirm,
    Cancel,
    LoadDemo,
    Export,
    /// Copy the whole database beside it.
    Backup,
    // Capture.
    PickStage,
    SetStage(u8),
    PickOutcome,
    CyclePriority,
    /// Set the priority at once (one key per MoSCoW value).
    SetPriority(crate::domain::Priority),
    /// Empty the capture box.
    ClearLine,
    /// In a multi-pick: select or unselect the item under the cursor.
    Select,
    /// List every quality finding of the project.
    Findings,
    /// Show only the requirements with quality findings (again: all of them).
    FilterFindings,
    /// Accept the selected quality finding with a reason (an accepted one: withdraw the acceptance).
    AcceptFinding,
    /// Narrow the Requirements list by field: stage, status, priority, tag, source, outcome, interview, sign-off.
    FilterFields,
    /// Mark every row shown (again: unmark them).
    MarkAll,
    /// Set stage, status, priority, outcome or tags on the marked requirements at once.
    BulkSet,
    /// Record a stakeholder's sign-off of the marked (or selected) requirements.
    SignOff,
    /// Show the selected requirement's history of changes.
    History,
    ToggleMomentOfTruth,
    TogglePainPoint,
    LastToNote,
    /// In the capture box: link the line to the requirement it repeats instead of adding it.
    LinkRepeat,
    AddNote,
    NoteToRequirement,
    SwitchFocus,
    PauseResume,
    StopInterview,
}

impl Action {
    /// Capture quick commands: they act on the last captured line.
    pub fn acts_on_last_line(self) -> bool {
        matches!(
            self,
            Action::PickStage
                | Action::PickOutcome
                | Action::SetStage(_)
                | Action::CyclePriority
                | Action::SetPriority(_)
                | Action::ToggleMomentOfTruth
                | Action::TogglePainPoint
                | Action::LastToNote
        )
    }

    /// One-key edits, worked out from the row on screen (so they wait while an earlier one waits for the
    /// database): the list keys and the capture quick keys that change a field at once.
    pub fn is_one_key_edit(self) -> bool {
        matches!(
            self,
            Action::CycleStatus
                | Action::RaisePriority
                | Action::LowerPriority
                | Action::MoveToPrevStage
                | Action::MoveToNextStage
        ) || (self.acts_on_last_line() && !matches!(self, Action::PickStage | Action::PickOutcome | Action::LastToNote))
    }
}
