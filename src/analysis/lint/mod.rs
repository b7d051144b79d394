//! The requirement quality lint: wording rules, structure rules, EARS, duplicates and conflicts, scores.
//!
//! One rule engine for every front end: build a [`Linter`] once (from the word lists in `assets/lint/` and
//! the project's [`LintSettings`]), then check a single text as it is typed ([`Linter::lint_text`], a few
//! microseconds), a requirement ([`Linter::lint_requirement`]) or a whole project ([`Linter::lint_project`],
//! which adds duplicate and conflict pairs and the scores). Pure: no I/O, no SQL.
//!
//! Precision comes before recall: a finding the analyst does not believe costs more than a weak phrase
//! missed, so each rule looks at the words around a match before it reports (see `wording.rs`).
//! Spans are character offsets into the field's text.

mod duplicates;
mod ears;
mod score;
mod structure;
mod text;
mod wording;
mod words;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::domain::{AcceptedFinding, LintSettings, Requirement, RequirementId};

pub use duplicates::{DuplicateIndex, Pair, PairKind, compared_text};
pub use ears::{Ears, classify as ears};
pub use score::{GroupScore, Scores, TrendPoint, requirement_score, scores};
pub use words::LIST_NAMES;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Points a requirement loses for one finding of this severity.
    pub fn penalty(self) -> u32 {
        match self {
            Severity::Error => 25,
            Severity::Warning => 10,
            Severity::Info => 3,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "warning" | "warn" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!("unknown severity {other:?}; valid values: info, warning, error")),
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $name:literal, $sev:ident, $message:literal, $hint:literal;)*) => {
        /// Every rule the lint knows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($variant,)*
        }

        impl RuleId {
            /// Every rule, in report order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The kebab-case id users type and JSON carries.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $name,)*
                }
            }

            /// The severity of this rule's findings.
            pub fn severity(self) -> Severity {
                match self {
                    $(RuleId::$variant => Severity::$sev,)*
                }
            }

            /// One line: what is wrong.
            pub fn message(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $message,)*
                }
            }

            /// One line: how to fix it.
            pub fn hint(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $hint,)*
                }
            }
        }
    };
}

rules! {
    VagueTerm = "vague-term", Error,
        "vague or unverifiable term",
        "say what a tester can measure: a number with a unit, a named standard or an observable behaviour";
    EscapeClause = "escape-clause", Warning,
        "escape clause: it lets the requirement be skipped",
        "say exactly when it applies, or drop the clause";
    OpenEnding = "open-ending", Warning,
        "open ending: the list never ends",
        "list every item, or name the rule that decides what belongs";
    VagueQuantifier = "vague-quantifier", Warning,
        "vague quantifier",
        "give the number or the range";
    WeakPhrasing = "weak-phrasing", Warning,
        "weak or optional phrasing in a binding requirement",
        "use \"shall\" for what is required; put options in a separate, lower-priority requirement";
    Placeholder = "placeholder", Error,
        "placeholder: the requirement is not finished",
        "replace it with the real value, or ask the stakeholder and record the answer";
    Compound = "compound", Warning,
        "compound requirement: more than one need in one statement",
        "split it into one requirement per need, so each can be tested and traced on its own";
    UnclearPronoun = "unclear-pronoun", Warning,
        "pronoun with an unclear referent",
        "repeat the noun it stands for";
    PassiveVoice = "passive-voice", Info,
        "passive voice with no actor",
        "name who or what does it: \"the system shall archive the data\"";
    Absolute = "absolute", Warning,
        "absolute or universal quantifier: hard to guarantee and to test",
        "state the set or the limit it really covers, and the exceptions";
    NumberWithoutUnit = "number-without-unit", Warning,
        "number without a unit",
        "add the unit: seconds, days, items, GBP, percent ...";
    Comparative = "comparative", Warning,
        "comparative or superlative without a reference",
        "compare with a measurable reference: \"within 2 seconds\", \"in 30% fewer steps than today\"";
    Negative = "negative", Info,
        "negative statement",
        "state what the system shall do instead, if you can; a negative is hard to test";
    MissingAcceptance = "missing-acceptance", Warning,
        "no acceptance criterion",
        "add how it will be checked: given, when, then";
    MissingStage = "missing-stage", Info,
        "no journey stage",
        "place it on the customer journey";
    MissingOutcome = "missing-outcome", Info,
        "no customer outcome",
        "link the outcome it moves, or ask why it matters";
    MissingSource = "missing-source", Info,
        "no source stakeholder",
        "record who asked for it";
    MomentOfTruthNotMust = "moment-of-truth-not-must", Warning,
        "a moment of truth that is not a must",
        "make it a must, or take the moment-of-truth mark off";
    ApprovedWithErrors = "approved-with-errors", Error,
        "approved, but the requirement still has errors",
        "fix the errors, or take the requirement back to proposed";
    NotEars = "not-ears", Info,
        "not in an EARS form",
        "start from a template: \"The <system> shall ...\", \"When <trigger>, the <system> shall ...\"";
    Duplicate = "duplicate", Warning,
        "near-duplicate of another requirement",
        "merge the two, or link them and say how they differ";
    Conflict = "conflict", Error,
        "likely conflict with another requirement",
        "decide which one holds and change or reject the other";
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        RuleId::ALL.iter().copied().find(|r| r.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
            format!("unknown rule {s:?}; valid values: {}", names.join(", "))
        })
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The field a finding is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Statement,
    Acceptance,
    /// The requirement as a whole (structure rules, duplicates): the span is empty.
    Requirement,
}

impl Field {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Statement => "statement",
            Field::Acceptance => "acceptance",
            Field::Requirement => "requirement",
        }
    }
}

/// One problem found, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub field: Field,
    /// Character offset of the span's start in the field's text.
    pub start: usize,
    /// Character offset just past the span's end.
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// One line: what is wrong (for duplicates, which requirement it repeats).
    pub message: Cow<'static, str>,
    /// One line: how to fix it.
    pub hint: Cow<'static, str>,
    /// For a duplicate or conflict: the other requirement's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
}

impl Finding {
    fn new(rule: RuleId, field: Field, start: usize, end: usize, text: String) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            field,
            start,
            end,
            text,
            message: Cow::Borrowed(rule.message()),
            hint: Cow::Borrowed(rule.hint()),
            other: None,
        }
    }

    /// What the finding is about, as an acceptance names it: the flagged words in lower case, or the
    /// other requirement of a duplicate or conflict; empty when it is about the whole requirement.
    pub fn subject(&self) -> String {
        match &self.other {
            Some(other) => other.clone(),
            None => self.text.to_lowercase(),
        }
    }

    /// The acceptance among `accepted` that this finding matches, if any.
    pub fn accepted_in<'a>(&self, accepted: &'a [AcceptedFinding]) -> Option<&'a AcceptedFinding> {
        accepted
            .iter()
            .find(|a| a.rule == self.rule.as_str() && a.field == self.field.as_str() && a.subject == self.subject())
    }
}

/// Takes out of `findings` those an analyst accepted; returns them with their acceptance.
pub fn take_accepted(findings: &mut Vec<Finding>, accepted: &[AcceptedFinding]) -> Vec<(Finding, AcceptedFinding)> {
    if accepted.is_empty() {
        return Vec::new();
    }
    let mut taken = Vec::new();
    findings.retain(|f| match f.accepted_in(accepted) {
        Some(a) => {
            taken.push((f.clone(), a.clone()));
            false
        }
        None => true,
    });
    taken
}

/// The lint of one requirement within a project.
#[derive(Debug, Clone)]
pub struct RequirementLint {
    /// Index into the slice given to [`Linter::lint_project`].
    pub index: usize,
    pub score: u32,
    pub ears: Ears,
    pub findings: Vec<Finding>,
    /// Findings an analyst accepted (see [`ProjectLint::accept`]): not in `findings`, not in the score.
    pub accepted: Vec<(Finding, AcceptedFinding)>,
}

/// The lint of a whole project.
#[derive(Debug, Clone)]
pub struct ProjectLint {
    /// One entry per requirement given, in the same order.
    pub requirements: Vec<RequirementLint>,
    /// Duplicate and conflict pairs, each once (`a < b` as indices).
    pub pairs: Vec<Pair>,
    /// The project key, which names the other requirement of a pair.
    key: String,
}

impl ProjectLint {
    /// Moves the findings analysts accepted (per requirement id) out of each requirement's findings and
    /// score; `reqs` is the slice the lint was made of.
    pub fn accept<R: AsRef<Requirement>>(
        &mut self,
        reqs: &[R],
        accepted: &HashMap<RequirementId, Vec<AcceptedFinding>>,
    ) {
        if accepted.is_empty() {
            return;
        }
        for l in &mut self.requirements {
            let Some(list) = reqs.get(l.index).and_then(|r| accepted.get(&r.as_ref().id)) else { continue };
            l.accepted = take_accepted(&mut l.findings, list);
            l.score = requirement_score(&l.findings);
        }
        // A pair whose finding was accepted is no longer reported as a pair either.
        let (requirements, key) = (&self.requirements, &self.key);
        self.pairs.retain(|p| {
            let other = format!("{key}-{}", reqs[p.a].as_ref().seq);
            !requirements[p.b]
                .accepted
                .iter()
                .any(|(f, _)| f.rule == p.kind.rule() && f.other.as_deref() == Some(&other))
        });
    }
}

/// The rule engine, built once and used for any number of texts.
#[derive(Debug, Clone)]
pub struct Linter {
    lists: words::WordLists,
    disabled: Vec<RuleId>,
    report_not_ears: bool,
}

impl Default for Linter {
    fn default() -> Self {
        Linter::new(&LintSettings::default())
    }
}

impl Linter {
    /// The built-in word lists with a project's additions; rules the project switched off stay off.
    /// Unknown list or rule names are ignored (an older binary reading a newer file's settings).
    pub fn new(settings: &LintSettings) -> Linter {
        let mut lists = words::WordLists::standard().clone();
        for (list, added) in &settings.words {
            for w in added {
                lists.add(list, w);
            }
        }
        lists.index();
        let disabled = settings.disabled_rules.iter().filter_map(|r| r.parse().ok()).collect();
        Linter { lists, disabled, report_not_ears: false }
    }

    /// Also report statements that are not in an EARS form (as info).
    pub fn with_ears(mut self, on: bool) -> Linter {
        self.report_not_ears = on;
        self
    }

    /// Whether a rule is on.
    pub fn enabled(&self, rule: RuleId) -> bool {
        !self.disabled.contains(&rule) && (rule != RuleId::NotEars || self.report_not_ears)
    }

    /// The wording rules on one statement, as typed in the capture box or `lint --text`.
    pub fn lint_text(&self, text: &str) -> Vec<Finding> {
        self.lint_field(Field::Statement, text)
    }

    /// The wording rules for one field: a statement gets every rule, a title or acceptance criteria only
    /// those that make sense in a phrase (vague terms, escape clauses, open endings, placeholders).
    pub fn lint_field(&self, field: Field, text: &str) -> Vec<Finding> {
        self.lint_field_ears(field, text).0
    }

    /// The wording findings and the EARS pattern of a field, from one tokenising.
    fn lint_field_ears(&self, field: Field, text: &str) -> (Vec<Finding>, Ears) {
        let tokens = text::tokenize(text);
        let mut found = wording::check_tokens(&self.lists, field, text, &tokens);
        let kind = ears::classify_tokens(&tokens);
        if field == Field::Statement && self.enabled(RuleId::NotEars) && kind == Ears::NotEars && !tokens.is_empty() {
            found.push(Finding::new(RuleId::NotEars, field, 0, 0, String::new()));
        }
        if !self.disabled.is_empty() {
            found.retain(|f| self.enabled(f.rule));
        }
        (found, kind)
    }

    /// Every rule that looks at one requirement alone: wording of its fields, and structure.
    pub fn lint_requirement(&self, r: &Requirement) -> Vec<Finding> {
        self.lint_requirement_ears(r).0
    }

    /// The findings of a requirement and the EARS pattern of its statement (its title when it has none).
    fn lint_requirement_ears(&self, r: &Requirement) -> (Vec<Finding>, Ears) {
        let statement_empty = r.statement.trim().is_empty();
        let (mut found, kind) = if statement_empty {
            // A line from the capture box has only a title: that is its statement.
            let (mut found, kind) = self.lint_field_ears(Field::Statement, &r.title);
            for f in &mut found {
                f.field = Field::Title;
            }
            (found, kind)
        } else {
            let mut found = self.lint_field(Field::Title, &r.title);
            let (statement, kind) = self.lint_field_ears(Field::Statement, &r.statement);
            // A title that repeats the statement's weak word ("Fast checkout": "... shall be fast") is one
            // problem, reported where it is fixed: in the statement.
            found.retain(|t| {
                !statement.iter().any(|s| s.rule == t.rule && s.text.to_lowercase() == t.text.to_lowercase())
            });
            found.extend(statement);
            (found, kind)
        };
        if !r.acceptance.is_empty() {
            found.extend(self.lint_field(Field::Acceptance, &r.acceptance));
        }
        found.extend(structure::check(r, &found).into_iter().filter(|f| self.enabled(f.rule)));
        (found, kind)
    }

    /// Every rule over a project's requirements; duplicate and conflict detection when `duplicates`.
    /// `key` is the project key, for naming the other requirement of a pair ("looks like SHOP-16").
    /// Takes requirements or anything holding one (`RequirementDetails`), so callers need not copy them.
    pub fn lint_project<R: AsRef<Requirement> + Sync>(&self, key: &str, reqs: &[R], duplicates: bool) -> ProjectLint {
        let linted = parallel_map(reqs, |r| self.lint_requirement_ears(r.as_ref()));
        let mut out: Vec<RequirementLint> = linted
            .into_iter()
            .enumerate()
            .map(|(index, (findings, ears))| RequirementLint { index, score: 0, ears, findings, accepted: Vec::new() })
            .collect();
        let mut pairs = Vec::new();
        if duplicates && (self.enabled(RuleId::Duplicate) || self.enabled(RuleId::Conflict)) {
            pairs = duplicates::pairs(reqs);
            pairs.retain(|p| self.enabled(p.kind.rule()));
            for p in &pairs {
                // The finding goes on the later requirement and names the earlier one.
                let other = format!("{key}-{}", reqs[p.a].as_ref().seq);
                let mut f = Finding::new(p.kind.rule(), Field::Requirement, 0, 0, String::new());
                f.message = Cow::Owned(format!("{} {other}: {}", p.kind.verb(), p.reason));
                f.other = Some(other);
                out[p.b].findings.push(f);
            }
        }
        for r in &mut out {
            r.score = requirement_score(&r.findings);
        }
        ProjectLint { requirements: out, pairs, key: key.to_owned() }
    }
}

/// `f` over `items` on all cores, in order. Small inputs stay on this thread.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads <= 1 || items.len() < 4096 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|c| scope.spawn(|| c.iter().map(&f).collect::<Vec<R>>())).collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            out.extend(h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        out
    })
}

#[cfg(test)]
mod tests;
