//! A project's own lint settings: words it adds to the word lists and rules it switches off; and the
//! findings its analysts accepted, with why.
//!
//! Plain values: the store reads and writes them, `analysis::lint` builds its `Linter` from them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a project changes about the quality lint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintSettings {
    /// Extra words or phrases per word list ("vague" -> ["snappy"]), lower case.
    pub words: BTreeMap<String, Vec<String>>,
    /// Rule ids switched off ("passive-voice").
    pub disabled_rules: Vec<String>,
}

/// A quality finding an analyst accepted on one requirement, with the reason: the lint no longer counts it
/// there (it is listed as accepted instead). It matches the same rule, in the same field, about the same
/// words; once the words are edited away it matches nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedFinding {
    /// The rule id ("vague-term").
    pub rule: String,
    /// The field the finding is in ("statement", or "requirement" for one about the whole requirement).
    pub field: String,
    /// What it is about: the flagged words in lower case, or for a duplicate or conflict the other
    /// requirement's id; empty for a finding about the whole requirement.
    pub subject: String,
    pub reason: String,
    /// Who accepted it (the user's name from the environment, as the change log records it).
    pub by: String,
    pub at: crate::domain::Timestamp,
}
