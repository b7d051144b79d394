//! Enumerations with one spelling each: `Display` writes it, `FromStr` reads it case-insensitively and,
//! on failure, names every valid value.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ValidationError;

macro_rules! value_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal $(, default $def:ident)? { $($(#[$vdoc:meta])* $variant:ident = $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in the order users see them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The valid spellings joined with commas, for error messages and help.
            pub fn valid_values() -> String {
                [$($text),+].join(", ")
            }
        }

        $(
            impl Default for $name {
                fn default() -> Self {
                    $name::$def
                }
            }
        )?

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                $(
                    if wanted == $text $(|| wanted == $alias)* {
                        return Ok($name::$variant);
                    }
                )+
                Err(ValidationError::new(format!(
                    "unknown {} {:?}; valid values: {}",
                    $what,
                    s,
                    $name::valid_values()
                )))
            }
        }
    };
}

value_enum!(
    /// What sort of need a requirement states.
    Kind, "kind", default Functional {
        Functional = "functional",
        Quality = "quality" | "non-functional" | "nfr",
        Constraint = "constraint",
        Data = "data",
        BusinessRule = "business-rule" | "rule",
    }
);

value_enum!(
    /// MoSCoW priority.
    Priority, "priority", default Should {
        Must = "must",
        Should = "should",
        Could = "could",
        Wont = "wont" | "won't",
    }
);

value_enum!(
    /// Where a requirement is in its life.
    Status, "status", default Draft {
        Draft = "draft",
        Proposed = "proposed",
        Approved = "approved",
        Implemented = "implemented",
        Verified = "verified",
        Deferred = "deferred",
        Rejected = "rejected",
    }
);

value_enum!(
    /// What project time was spent on; `requirements` is the share elicit keeps score of.
    Activity, "activity" {
        Requirements = "requirements",
        Design = "design",
        Build = "build",
        Test = "test",
        Deploy = "deploy",
        Management = "management",
        Other = "other",
    }
);

value_enum!(
    /// The touchpoint through which the customer meets the need.
    Channel, "channel" {
        Store = "store",
        Web = "web",
        MobileApp = "mobile-app" | "app" | "mobile",
        CallCentre = "call-centre" | "call-center",
        Ivr = "ivr",
        Email = "email",
        Chat = "chat",
        Billing = "billing",
        FieldService = "field-service",
        Partner = "partner",
        Other = "other",
    }
);

value_enum!(
    /// How a customer outcome is measured.
    Metric, "metric" {
        Nps = "nps",
        Csat = "csat",
        Ces = "ces",
        Churn = "churn",
        Revenue = "revenue",
        Fcr = "fcr",
        Time = "time",
        Custom = "custom",
    }
);

value_enum!(
    /// How an interview is held.
    InterviewMode, "interview mode" {
        InPerson = "in-person" | "inperson" | "person",
        Video = "video",
        Phone = "phone",
        Workshop = "workshop",
    }
);

value_enum!(
    /// A stakeholder's answer when a requirement is read back to them.
    Verdict, "verdict" {
        /// It is what they need, as written.
        Confirmed = "confirmed" | "confirm" | "yes",
        /// They asked for it to be changed.
        Changed = "changed" | "change",
        /// It is not what they need.
        Rejected = "rejected" | "reject" | "no",
    }
);

impl Verdict {
    /// The words users read before "by NAME": "confirmed", "change asked", "rejected".
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Changed => "change asked",
            Verdict::Rejected => "rejected",
        }
    }
}

impl Priority {
    /// One step more urgent (must is the top).
    pub fn raised(self) -> Self {
        match self {
            Priority::Wont => Priority::Could,
            Priority::Could => Priority::Should,
            Priority::Should | Priority::Must => Priority::Must,
        }
    }

    /// One step less urgent (wont is the bottom).
    pub fn lowered(self) -> Self {
        match self {
            Priority::Must => Priority::Should,
            Priority::Should => Priority::Could,
            Priority::Could | Priority::Wont => Priority::Wont,
        }
    }
}

impl Status {
    /// The next status in the usual life cycle, wrapping around.
    pub fn next(self) -> Self {
        let all = Status::ALL;
        let i = all.iter().position(|s| *s == self).unwrap_or(0);
        all[(i + 1) % all.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively_and_lists_valid_values_on_error() {
        assert_eq!("MUST".parse::<Priority>().ok(), Some(Priority::Must));
        assert_eq!("Business Rule".parse::<Kind>().ok(), Some(Kind::BusinessRule));
        assert_eq!("Call_Centre".parse::<Channel>().ok(), Some(Channel::CallCentre));
        let err = "urgent".parse::<Priority>().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("must, should, could, wont"), "{err}");
        assert!(err.contains("urgent"), "{err}");
    }

    #[test]
    fn display_round_trips_for_every_value() {
        for k in Kind::ALL {
            assert_eq!(k.to_string().parse::<Kind>().ok(), Some(*k));
        }
        for s in Status::ALL {
            assert_eq!(s.to_string().parse::<Status>().ok(), Some(*s));
        }
        for c in Channel::ALL {
            assert_eq!(c.to_string().parse::<Channel>().ok(), Some(*c));
        }
        for a in Activity::ALL {
            assert_eq!(a.to_string().parse::<Activity>().ok(), Some(*a));
        }
        for m in Metric::ALL {
            assert_eq!(m.to_string().parse::<Metric>().ok(), Some(*m));
        }
        for m in InterviewMode::ALL {
            assert_eq!(m.to_string().parse::<InterviewMode>().ok(), Some(*m));
        }
    }

    #[test]
    fn priority_steps_stop_at_the_ends() {
        assert_eq!(Priority::Must.raised(), Priority::Must);
        assert_eq!(Priority::Wont.lowered(), Priority::Wont);
        assert_eq!(Priority::Could.raised(), Priority::Should);
        assert_eq!(Status::Rejected.next(), Status::Draft);
    }
}
