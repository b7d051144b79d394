//! A project's own lint settings: words it adds to the word lists and rules it switches off.
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
