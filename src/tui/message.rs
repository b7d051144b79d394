//! The words components use to talk to the app and to each other: which screen, which form field, what a
//! picker offers and what it is for, and what a question asks. Typed ids throughout, so nothing is parsed
//! back from strings and no sentinel value stands for "new" or "none".

use std::path::PathBuf;

use crate::domain::{Activity, OutcomeId, ProjectId, RequirementId, StageId, StakeholderId, TimeEntryId};

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

    /// The screen `step` tabs away, wrapping around.
    pub fn step(self, step: isize) -> Screen {
        let n = Screen::ALL.len() as isize;
        let here = Screen::ALL.iter().position(|s| *s == self).unwrap_or(0) as isize;
        Screen::ALL[(here + step).rem_euclid(n) as usize]
    }
}

/// Every field a form of the workbench has. The names are what autosaved drafts store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    Acceptance,
    Activity,
    Baseline,
    Channel,
    Contact,
    Department,
    Description,
    Duration,
    End,
    Format,
    Hours,
    Journey,
    Key,
    Kind,
    Max,
    Metric,
    Min,
    Mode,
    MomentOfTruth,
    Name,
    Note,
    Notes,
    Organisation,
    PainPoint,
    Path,
    Priority,
    Rationale,
    Reason,
    RemoveTags,
    Replace,
    Role,
    Sources,
    Outcomes,
    Stage,
    Stakeholders,
    Start,
    Statement,
    Status,
    Tags,
    Target,
    Title,
    Unit,
    Verdict,
    Who,
}

impl FieldId {
    /// The key of the field in a saved draft.
    pub fn name(self) -> &'static str {
        match self {
            FieldId::Acceptance => "acceptance",
            FieldId::Activity => "activity",
            FieldId::Baseline => "baseline",
            FieldId::Channel => "channel",
            FieldId::Contact => "contact",
            FieldId::Department => "department",
            FieldId::Description => "description",
            FieldId::Duration => "duration",
            FieldId::End => "end",
            FieldId::Format => "format",
            FieldId::Hours => "hours",
            FieldId::Journey => "journey",
            FieldId::Key => "key",
            FieldId::Kind => "kind",
            FieldId::Max => "max",
            FieldId::Metric => "metric",
            FieldId::Min => "min",
            FieldId::Mode => "mode",
            FieldId::MomentOfTruth => "moment_of_truth",
            FieldId::Name => "name",
            FieldId::Note => "note",
            FieldId::Notes => "notes",
            FieldId::Organisation => "organisation",
            FieldId::PainPoint => "pain_point",
            FieldId::Path => "path",
            FieldId::Priority => "priority",
            FieldId::Rationale => "rationale",
            FieldId::Reason => "reason",
            FieldId::RemoveTags => "remove_tags",
            FieldId::Verdict => "verdict",
            FieldId::Who => "who",
            FieldId::Replace => "replace",
            FieldId::Role => "role",
            FieldId::Sources => "sources",
            FieldId::Outcomes => "outcomes",
            FieldId::Stage => "stage",
            FieldId::Stakeholders => "stakeholders",
            FieldId::Start => "start",
            FieldId::Statement => "statement",
            FieldId::Status => "status",
            FieldId::Tags => "tags",
            FieldId::Target => "target",
            FieldId::Title => "title",
            FieldId::Unit => "unit",
        }
    }
}

/// What becomes of the line still in the capture box when the interview ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFate {
    Requirement,
    Note,
    Drop,
}

/// How to leave while an interview's timer runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaving {
    PauseAndQuit,
    EndAndQuit,
    /// The timer keeps counting until the interview is paused or ended.
    QuitRunning,
}

/// One thing a picker offers, by its typed id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Stage(StageId),
    /// "(no stage)".
    NoStage,
    Outcome(OutcomeId),
    Stakeholder(StakeholderId),
    /// "+ New stakeholder…": add someone on the spot.
    NewStakeholder,
    Project(ProjectId),
    /// "+ New project…".
    NewProject,
    /// "+ New outcome…": write one and link it.
    NewOutcome,
    Activity(Activity),
    LineFate(LineFate),
    Leaving(Leaving),
    /// Entry `n` of the list filters the Requirements screen offered (see `screens::requirements::Facet`).
    Facet(u32),
}

impl Choice {
    /// How the choice is kept in a saved draft: the id as text (as drafts have always held it).
    pub fn key(&self) -> String {
        match self {
            Choice::Stage(id) => id.to_string(),
            Choice::Outcome(id) => id.to_string(),
            Choice::Stakeholder(id) => id.to_string(),
            Choice::Project(id) => id.to_string(),
            Choice::Activity(a) => a.to_string(),
            Choice::NoStage => String::new(),
            Choice::NewStakeholder => "+new-stakeholder".into(),
            Choice::NewProject => "+new-project".into(),
            Choice::NewOutcome => "+new-outcome".into(),
            Choice::LineFate(f) => format!("{f:?}"),
            Choice::Leaving(l) => format!("{l:?}"),
            Choice::Facet(n) => format!("facet-{n}"),
        }
    }

    pub fn stage(self) -> Option<StageId> {
        if let Choice::Stage(id) = self { Some(id) } else { None }
    }
    pub fn outcome(self) -> Option<OutcomeId> {
        if let Choice::Outcome(id) = self { Some(id) } else { None }
    }
    pub fn stakeholder(self) -> Option<StakeholderId> {
        if let Choice::Stakeholder(id) = self { Some(id) } else { None }
    }
}

/// What a picker's choice is for, and so who receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Fill this field of the form beneath.
    Field(FieldId),
    /// Switch to the project picked (or create one).
    Project,
    /// Where the requirements of this deleted stage go.
    StageDeleteTarget(StageId),
    /// The last captured line's stage.
    CaptureStage,
    /// The last captured line's outcomes.
    CaptureOutcomes,
    /// What becomes of the line in the box when the interview ends.
    EndWithLine,
    /// Start a timer for the activity picked.
    StartTimer,
    /// Quit while an interview's timer runs: how.
    Quit,
    /// Narrow the Requirements list to the fields picked.
    ListFilter,
}

/// What a yes (or a no) answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
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
    Backup(PathBuf),
}

impl Question {
    /// The screen whose data the question is about, when a screen answers it (else the app does).
    pub fn screen(&self) -> Option<Screen> {
        match self {
            Question::DeleteRequirement(_) => Some(Screen::Requirements),
            Question::DeleteOutcome(_) => Some(Screen::Outcomes),
            Question::DeleteStakeholder(_) => Some(Screen::Stakeholders),
            Question::DeleteTimeEntry(_) => Some(Screen::Time),
            Question::StopInterview => Some(Screen::Capture),
            Question::DiscardForm | Question::RestoreDraft | Question::Backup(_) => None,
        }
    }
}

impl Purpose {
    /// The screen that receives the choice, when a screen does (else the form beneath or the app).
    pub fn screen(self) -> Option<Screen> {
        match self {
            Purpose::StageDeleteTarget(_) => Some(Screen::Journey),
            Purpose::CaptureStage | Purpose::CaptureOutcomes | Purpose::EndWithLine | Purpose::Quit => {
                Some(Screen::Capture)
            }
            Purpose::StartTimer => Some(Screen::Time),
            Purpose::ListFilter => Some(Screen::Requirements),
            Purpose::Field(_) | Purpose::Project => None,
        }
    }
}
