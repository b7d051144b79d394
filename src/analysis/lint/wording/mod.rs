//! The wording rules: one pass of tokens, then each rule looks at a match and the words around it.
//!
//! The word lists say what to look for; the code here says when a match is not a problem ("at most 5",
//! "all orders placed in the last 90 days", "so that the customer can", "5 orders"), because a finding the
//! analyst does not believe costs more than a weak phrase missed.

mod grammar;
mod quantities;
mod vocabulary;

use self::vocabulary::*;
use super::text::{Kind, Token, slice};
use super::words::{Phrases, WordLists};
use super::{Field, Finding, RuleId};

/// Runs the wording rules for `field` over `text`, already split into `tokens`.
pub fn check_tokens(lists: &WordLists, field: Field, text: &str, tokens: &[Token]) -> Vec<Finding> {
    if tokens.is_empty() {
        return Vec::new();
    }
    let mut c = Check::new(lists, field, text, tokens);
    c.placeholders();
    c.phrases(&lists.escape, RuleId::EscapeClause);
    c.phrases(&lists.open_ending, RuleId::OpenEnding);
    c.ellipsis();
    c.vague();
    if field == Field::Statement {
        c.quantifiers();
        c.weak();
        c.compound();
        c.pronouns();
        c.passive();
        c.absolutes();
        c.numbers();
        c.comparatives();
        c.negatives();
    }
    let mut out = c.out;
    // A vague word inside an escape clause or an open ending is that finding, not a second one.
    let wide: Vec<(usize, usize)> = out
        .iter()
        .filter(|f| matches!(f.rule, RuleId::EscapeClause | RuleId::OpenEnding | RuleId::Placeholder))
        .map(|f| (f.start, f.end))
        .collect();
    out.retain(|f| {
        matches!(f.rule, RuleId::EscapeClause | RuleId::OpenEnding | RuleId::Placeholder)
            || !wide.iter().any(|&(s, e)| f.start >= s && f.end <= e)
    });
    out.sort_by_key(|f| (f.start, f.end, f.rule));
    out.dedup_by(|a, b| a.rule == b.rule && a.start == b.start);
    out
}

pub(super) struct Check<'a> {
    pub(super) lists: &'a WordLists,
    pub(super) field: Field,
    pub(super) text: &'a str,
    pub(super) t: &'a [Token],
    /// Sentence number of each token.
    pub(super) sentence: Vec<usize>,
    /// First and one-past-last token of each sentence.
    pub(super) bounds: Vec<(usize, usize)>,
    /// Per token, the bits of the word lists with a phrase starting with it.
    pub(super) masks: Vec<u16>,
    pub(super) out: Vec<Finding>,
}

impl<'a> Check<'a> {
    pub(super) fn new(lists: &'a WordLists, field: Field, text: &'a str, t: &'a [Token]) -> Check<'a> {
        let mut sentence = Vec::with_capacity(t.len());
        let mut bounds = Vec::new();
        let mut first = 0;
        for (i, tok) in t.iter().enumerate() {
            sentence.push(bounds.len());
            // "e.g." and "etc." do not end a sentence unless a capital follows.
            if tok.ends_sentence() && t.get(i + 1).is_none_or(|next| next.capital || next.kind != Kind::Word) {
                bounds.push((first, i + 1));
                first = i + 1;
            }
        }
        if first < t.len() {
            bounds.push((first, t.len()));
        }
        let masks = t
            .iter()
            .map(|tok| if tok.kind == Kind::Word { lists.first_words.get(&tok.lower).copied().unwrap_or(0) } else { 0 })
            .collect();
        Check { lists, field, text, t, sentence, bounds, masks, out: Vec::new() }
    }

    pub(super) fn push(&mut self, rule: RuleId, first: usize, last: usize) {
        let (start, end) = (self.t[first].start, self.t[last].end);
        let text = slice(self.text, start, end);
        self.out.push(Finding::new(rule, self.field, start, end, text));
    }

    pub(super) fn word(&self, i: usize) -> &str {
        self.t.get(i).filter(|t| t.kind == Kind::Word).map_or("", |t| t.lower.as_str())
    }

    pub(super) fn is_any(&self, i: usize, set: &[&str]) -> bool {
        let w = self.word(i);
        !w.is_empty() && set.contains(&w)
    }

    /// The tokens of the sentence holding token `i`.
    pub(super) fn sentence_range(&self, i: usize) -> std::ops::Range<usize> {
        let (start, end) = self.bounds.get(self.sentence[i]).copied().unwrap_or((0, self.t.len()));
        start..end
    }

    /// Whether a subordinating word comes before token `i` in its clause.
    pub(super) fn in_subordinate_clause(&self, i: usize) -> bool {
        let range = self.sentence_range(i);
        (range.start..i).rev().take_while(|&k| !self.t[k].ends_clause()).any(|k| self.is_any(k, SUBORDINATORS))
            || (range.start..i).any(|k| self.is_any(k, &["so", "order"]) && self.word(k + 1) == "that")
                && !(range.start..i).any(|k| self.is_any(k, BINDING))
    }

    pub(super) fn has_binding_modal(&self, range: std::ops::Range<usize>) -> bool {
        range.into_iter().any(|k| self.is_any(k, BINDING) && self.word(k + 1) != "try")
    }

    /// Matches of a phrase list, left to right, never overlapping.
    pub(super) fn matches(&self, phrases: &Phrases) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < self.t.len() {
            if self.masks[i] & phrases.bit != 0
                && let Some(n) = phrases.match_at(self.t, i)
            {
                let mut last = i + n - 1;
                // "etc." keeps its full stop.
                if self.t.get(last + 1).is_some_and(|t| t.lower == "." && !t.space_before) && self.word(last) == "etc" {
                    last += 1;
                }
                found.push((i, last));
                i = last + 1;
            } else {
                i += 1;
            }
        }
        found
    }

    fn phrases(&mut self, phrases: &Phrases, rule: RuleId) {
        for (a, b) in self.matches(phrases) {
            if rule == RuleId::OpenEnding && matches!(self.word(a), "and" | "or") && self.word(a + 1) == "other" {
                // "and other" opens a list only when a noun follows, not in "one and the other".
                if !self.t.get(a + 2).is_some_and(Token::is_word) {
                    continue;
                }
            }
            self.push(rule, a, b);
        }
    }

    fn placeholders(&mut self) {
        for (a, b) in self.matches(&self.lists.placeholder) {
            // "to do" is a placeholder only on its own ("TO DO"), not in "the tasks to do".
            if self.word(a) == "to" && self.word(a + 1) == "do" && !(self.t[a].all_caps || self.t[a].capital && a == 0)
            {
                continue;
            }
            // "will need to be confirmed through trials" is a plan, not a gap in the text.
            if self.word(a) == "to"
                && a > 0
                && self.is_any(
                    a - 1,
                    &["need", "needs", "needed", "has", "have", "had", "want", "wants", "ought", "going"],
                )
            {
                continue;
            }
            self.push(RuleId::Placeholder, a, b);
        }
        let t = self.t;
        for i in 0..t.len() {
            // "???" and "[insert date]" / "<system>" written into the text.
            if t[i].lower == "?" && t.get(i + 1).is_some_and(|n| n.lower == "?" && !n.space_before) {
                if i == 0 || t[i - 1].lower != "?" {
                    let mut j = i;
                    while t.get(j + 1).is_some_and(|n| n.lower == "?") {
                        j += 1;
                    }
                    self.push(RuleId::Placeholder, i, j);
                }
            } else if t[i].lower == "[" || t[i].lower == "<" {
                let close = if t[i].lower == "[" { "]" } else { ">" };
                if let Some(j) = (i + 1..t.len().min(i + 8)).find(|&j| t[j].lower == close) {
                    let inner = &t[i + 1..j];
                    let words = inner.iter().filter(|x| x.kind == Kind::Word).count();
                    let digits =
                        inner.iter().any(|x| x.kind == Kind::Number || x.lower.chars().any(|c| c.is_ascii_digit()));
                    let caps = inner.iter().all(|x| x.kind != Kind::Word || x.all_caps);
                    if words > 0 && !digits && !caps {
                        self.push(RuleId::Placeholder, i, j);
                    }
                }
            } else if t[i].kind == Kind::Word
                && matches!(t[i].lower.as_str(), "x" | "n" | "xx" | "nn" | "y")
                && t[i].capital
                && i > 0
                && self.is_any(
                    i - 1,
                    &[
                        "within", "after", "to", "than", "least", "most", "of", "every", "over", "under", "before",
                        "last", "first", "next",
                    ],
                )
            {
                self.push(RuleId::Placeholder, i, i);
            }
        }
    }

    fn ellipsis(&mut self) {
        let t = self.t;
        for i in 0..t.len() {
            let three = t[i].lower == "."
                && t.get(i + 1).is_some_and(|n| n.lower == "." && !n.space_before)
                && t.get(i + 2).is_some_and(|n| n.lower == "." && !n.space_before)
                && (i == 0 || t[i - 1].lower != ".");
            if three {
                self.push(RuleId::OpenEnding, i, i + 2);
            } else if t[i].lower == "…" {
                self.push(RuleId::OpenEnding, i, i);
            }
        }
    }

    fn vague(&mut self) {
        let timed = (0..self.t.len()).any(|k| {
            self.t[k].kind == Kind::Number && (self.is_any(k + 1, TIME_UNITS) || self.t[k].lower.ends_with("ms"))
        });
        for (a, b) in self.matches(&self.lists.vague) {
            let w = self.word(a);
            let next = self.word(b + 1);
            let prev = if a > 0 { self.word(a - 1) } else { "" };
            // Speed words next to a measured time say the same thing twice, not something vague.
            if timed
                && matches!(
                    w,
                    "fast"
                        | "quick"
                        | "quickly"
                        | "rapid"
                        | "rapidly"
                        | "prompt"
                        | "promptly"
                        | "swift"
                        | "swiftly"
                        | "timely"
                )
            {
                continue;
            }
            // Terms of art: "effective date", "simple interest", "a prompt", "good standing".
            if (w == "effective" && matches!(next, "date" | "from" | "immediately"))
                || (w == "simple" && next == "interest")
                || (w == "prompt" && matches!(prev, "a" | "the" | "each" | "this"))
                || (w == "good" && matches!(next, "standing" | "faith"))
                || (w == "relevant" && matches!(prev, "where" | "if" | "when"))
                || (w == "friendly" && prev == "user")
            {
                continue;
            }
            self.push(RuleId::VagueTerm, a, b);
        }
    }

    fn quantifiers(&mut self) {
        for (a, b) in self.matches(&self.lists.quantifier) {
            let w = self.word(a);
            let prev = if a > 0 { self.word(a - 1) } else { "" };
            let next_tok = self.t.get(b + 1);
            let next = self.word(b + 1);
            let numeric_next = next_tok
                .is_some_and(|t| t.kind == Kind::Number || matches!(t.lower.as_str(), "£" | "$" | "€"))
                || matches!(
                    next,
                    "one" | "two" | "three" | "four" | "five" | "ten" | "twenty" | "fifty" | "hundred" | "a"
                );
            let skip = match w {
                "about" | "around" => !numeric_next,
                "most" => {
                    matches!(prev, "at" | "the" | "is" | "are")
                        || matches!(next, "recent" | "recently" | "likely" | "recently-used")
                }
                "many" => matches!(prev, "how" | "as"),
                "few" => prev == "a" || prev == "very",
                "almost" | "nearly" => false,
                "some" => matches!(next, "time"),
                _ => false,
            };
            if !skip {
                self.push(RuleId::VagueQuantifier, a, b);
            }
        }
    }

    fn weak(&mut self) {
        let t = self.t;
        let mut covered_until = 0;
        for (a, b) in self.matches(&self.lists.weak) {
            let range = self.sentence_range(a);
            let binding = self.has_binding_modal(range.clone());
            // With a binding modal in the sentence, a weak word in a subordinate clause ("so that the
            // customer could") is not the requirement's own verb.
            if binding && self.in_subordinate_clause(a) && !matches!(self.word(a), "ideally" | "preferably") {
                continue;
            }
            if self.word(a) == "would" && self.in_subordinate_clause(a) {
                continue;
            }
            self.push(RuleId::WeakPhrasing, a, b);
            covered_until = covered_until.max(b + 1);
        }
        // "may" and "can" are weak when nothing in the sentence binds.
        for i in 0..t.len() {
            if !self.is_any(i, &["may", "can"]) || self.word(i + 1) == "not" {
                continue;
            }
            let range = self.sentence_range(i);
            if self.has_binding_modal(range.clone()) || self.in_subordinate_clause(i) {
                continue;
            }
            if range.clone().any(|k| self.is_any(k, &["should", "might", "could"])) {
                continue;
            }
            let mut last = i;
            if self.word(i + 1) == "be" && self.word(i + 2) == "able" && self.word(i + 3) == "to" {
                last = i + 3;
            }
            self.push(RuleId::WeakPhrasing, i, last);
        }
    }

    fn negatives(&mut self) {
        let t = self.t;
        for i in 0..t.len() {
            let w = self.word(i);
            if matches!(w, "cannot" | "can't" | "won't" | "mustn't" | "shan't" | "shouldn't") {
                self.push(RuleId::Negative, i, i);
            } else if matches!(w, "shall" | "must" | "will" | "should" | "may" | "can")
                && matches!(self.word(i + 1), "not" | "never")
            {
                self.push(RuleId::Negative, i, i + 1);
            }
        }
    }
}
