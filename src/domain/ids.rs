//! Newtype ids, so a stage id can never be passed where an outcome id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered (v7) id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// Identifies a project.
    ProjectId
);
id_type!(
    /// Identifies a customer-journey stage.
    StageId
);
id_type!(
    /// Identifies a customer outcome.
    OutcomeId
);
id_type!(
    /// Identifies a stakeholder.
    StakeholderId
);
id_type!(
    /// Identifies an interview.
    InterviewId
);
id_type!(
    /// Identifies a requirement.
    RequirementId
);
id_type!(
    /// Identifies a time entry.
    TimeEntryId
);
id_type!(
    /// Identifies one stakeholder's answer about one requirement.
    ConfirmationId
);
id_type!(
    /// Identifies a saved draft of a form.
    DraftId
);
id_type!(
    /// Groups the change-log rows written by one user action, so undo reverts the action as a whole.
    ActionId
);
