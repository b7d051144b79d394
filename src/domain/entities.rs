//! The entities of schema v1 (DESIGN.md section 2) as plain values.

use serde::{Deserialize, Serialize};

use super::*;

/// A requirements-gathering project; its key prefixes the human ids of its requirements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: ProjectId,
    pub key: ProjectKey,
    pub name: String,
    pub description: String,
    pub planned_hours: Option<f64>,
    pub target_min: f64,
    pub target_max: f64,
    /// The sequence number the next requirement gets; never goes down, so ids are never reused.
    pub next_seq: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A stage of the customer journey (Discover, Buy, ...), ordered by `position`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneyStage {
    pub id: StageId,
    pub project_id: ProjectId,
    pub name: String,
    pub description: String,
    pub position: i64,
}

/// A measurable result for the customer, such as "billing questions resolved in one contact".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: OutcomeId,
    pub project_id: ProjectId,
    pub statement: String,
    pub metric: Metric,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub unit: String,
}

/// Someone whose needs are heard; departments drive coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stakeholder {
    pub id: StakeholderId,
    pub project_id: ProjectId,
    pub name: String,
    pub role: String,
    pub department: String,
    pub organisation: String,
    pub contact: String,
    pub notes: String,
}

/// A conversation with stakeholders; open while `ended_at` is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    pub id: InterviewId,
    pub project_id: ProjectId,
    pub title: String,
    pub mode: InterviewMode,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub notes: String,
    pub stakeholders: Vec<StakeholderId>,
}

/// A customer-facing requirement with its links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    pub id: RequirementId,
    pub project_id: ProjectId,
    /// Per-project number; with the project key it forms the human id (`CHK-7`).
    pub seq: i64,
    pub title: String,
    pub statement: String,
    pub kind: Kind,
    pub priority: Priority,
    pub status: Status,
    pub stage: Option<StageId>,
    pub interview: Option<InterviewId>,
    pub channel: Option<Channel>,
    pub pain_point: bool,
    pub moment_of_truth: bool,
    pub acceptance: String,
    pub rationale: String,
    /// The stakeholder's own words, when the requirement came from a note.
    pub quote: String,
    /// The id this requirement has in another tool (a CSV `id` column, a ReqIF ForeignID); never our own id.
    #[serde(default)]
    pub external_ref: String,
    /// Goes up by one with every saved edit.
    pub version: i64,
    pub outcomes: Vec<OutcomeId>,
    pub sources: Vec<StakeholderId>,
    pub tags: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
}

/// A requirement with its links resolved to the names users read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementDetails {
    /// The human id, e.g. `CHK-7`.
    pub human_id: String,
    pub requirement: Requirement,
    pub stage_name: Option<String>,
    pub outcome_statements: Vec<String>,
    pub source_names: Vec<String>,
    pub interview_title: Option<String>,
}

/// Logged project time; open (a running timer) while `ended_at` is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeEntry {
    pub id: TimeEntryId,
    pub project_id: ProjectId,
    pub activity: Activity,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub interview: Option<InterviewId>,
    pub note: String,
}

/// One changed field, as recorded for history and undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeLogEntry {
    pub action_id: ActionId,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub at: Timestamp,
    pub actor: String,
}

/// One change to a requirement as people read it: names instead of ids, lists joined, yes or no for flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementChange {
    /// The action it was part of (one edit, one bulk change, one read-back's confirmations).
    pub action_id: ActionId,
    pub at: Timestamp,
    /// Who made it, as the change log records it.
    pub actor: String,
    /// What changed, in the words users know: "priority", "stage", "tags", "created", "deleted",
    /// "confirmation".
    pub field: String,
    /// The value before (`None` where there was none, as for a creation or a new confirmation).
    pub old: Option<String>,
    /// The value after.
    pub new: Option<String>,
}

/// Unsaved form text, autosaved while typing so nothing is lost in a crash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub project_id: ProjectId,
    pub form: String,
    pub payload: serde_json::Value,
    pub updated_at: Timestamp,
}

/// The fields of a new requirement; everything but the title has a sensible default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewRequirement {
    pub title: String,
    pub statement: String,
    pub kind: Kind,
    pub priority: Priority,
    pub status: Status,
    pub stage: Option<StageId>,
    pub interview: Option<InterviewId>,
    pub channel: Option<Channel>,
    pub pain_point: bool,
    pub moment_of_truth: bool,
    pub acceptance: String,
    pub rationale: String,
    pub quote: String,
    /// The id this requirement has in another tool; empty when it was made here.
    pub external_ref: String,
    pub outcomes: Vec<OutcomeId>,
    pub sources: Vec<StakeholderId>,
    pub tags: Vec<String>,
}

/// A change to a requirement: `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequirementPatch {
    pub title: Option<String>,
    pub statement: Option<String>,
    pub kind: Option<Kind>,
    pub priority: Option<Priority>,
    pub status: Option<Status>,
    pub stage: Option<Option<StageId>>,
    pub interview: Option<Option<InterviewId>>,
    pub channel: Option<Option<Channel>>,
    pub pain_point: Option<bool>,
    pub moment_of_truth: Option<bool>,
    pub acceptance: Option<String>,
    pub rationale: Option<String>,
    pub quote: Option<String>,
    pub external_ref: Option<String>,
    pub outcomes: Option<Vec<OutcomeId>>,
    pub sources: Option<Vec<StakeholderId>>,
    pub tags: Option<Vec<String>>,
}

impl NewRequirement {
    /// Checks and cleans every field, so the store only ever sees valid text.
    pub fn validated(mut self) -> Result<Self, ValidationError> {
        self.title = title(&self.title)?;
        self.statement = long_text(Field::Statement, &self.statement)?;
        self.acceptance = long_text(Field::Acceptance, &self.acceptance)?;
        self.rationale = long_text(Field::Rationale, &self.rationale)?;
        self.quote = long_text(Field::Quote, &self.quote)?;
        self.external_ref = optional_line(Field::ExternalRef, &self.external_ref, MAX_NAME_CHARS)?;
        self.tags = normalise_tags(&self.tags)?;
        dedup_in_order(&mut self.outcomes);
        dedup_in_order(&mut self.sources);
        Ok(self)
    }
}

impl Requirement {
    /// A requirement not saved yet: no number, default kind, priority and status, no links.
    pub fn unsaved(project_id: ProjectId, at: Timestamp) -> Requirement {
        Requirement {
            id: RequirementId::new(),
            project_id,
            seq: 0,
            title: String::new(),
            statement: String::new(),
            kind: Kind::default(),
            priority: Priority::default(),
            status: Status::default(),
            stage: None,
            interview: None,
            channel: None,
            pain_point: false,
            moment_of_truth: false,
            acceptance: String::new(),
            rationale: String::new(),
            quote: String::new(),
            external_ref: String::new(),
            version: 0,
            outcomes: Vec::new(),
            sources: Vec::new(),
            tags: Vec::new(),
            created_at: at,
            updated_at: at,
            deleted_at: None,
        }
    }
}

impl RequirementPatch {
    /// Checks and cleans every given field.
    pub fn validated(mut self) -> Result<Self, ValidationError> {
        if let Some(t) = &self.title {
            self.title = Some(title(t)?);
        }
        for (what, field) in [
            (Field::Statement, &mut self.statement),
            (Field::Acceptance, &mut self.acceptance),
            (Field::Rationale, &mut self.rationale),
            (Field::Quote, &mut self.quote),
        ] {
            if let Some(text) = field {
                *field = Some(long_text(what, text)?);
            }
        }
        if let Some(r) = &self.external_ref {
            self.external_ref = Some(optional_line(Field::ExternalRef, r, MAX_NAME_CHARS)?);
        }
        if let Some(tags) = &self.tags {
            self.tags = Some(normalise_tags(tags)?);
        }
        if let Some(list) = &mut self.outcomes {
            dedup_in_order(list);
        }
        if let Some(list) = &mut self.sources {
            dedup_in_order(list);
        }
        Ok(self)
    }

    /// True when the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == RequirementPatch::default()
    }
}

/// Formats the human id of a requirement: `CHK-7`.
pub fn human_id(key: &ProjectKey, seq: i64) -> String {
    format!("{key}-{seq}")
}

fn normalise_tags(tags: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut out = Vec::with_capacity(tags.len());
    for t in tags {
        let t = tag(t)?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

fn dedup_in_order<T: PartialEq + Copy>(list: &mut Vec<T>) {
    let mut seen = Vec::with_capacity(list.len());
    list.retain(|x| {
        if seen.contains(x) {
            false
        } else {
            seen.push(*x);
            true
        }
    });
}

impl AsRef<Requirement> for Requirement {
    fn as_ref(&self) -> &Requirement {
        self
    }
}

impl AsRef<Requirement> for RequirementDetails {
    fn as_ref(&self) -> &Requirement {
        &self.requirement
    }
}
