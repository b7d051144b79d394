//! Rules about amounts: absolutes, numbers without units, comparatives without a reference.

use super::vocabulary::*;
use super::{Check, Kind};
use crate::analysis::lint::RuleId;

impl Check<'_> {
    pub(super) fn absolutes(&mut self) {
        for (a, b) in self.matches(&self.lists.absolute) {
            let w = self.word(a);
            let prev = if a > 0 { self.word(a - 1) } else { "" };
            if matches!(w, "all" | "every" | "any") && b == a {
                if w == "all" && matches!(prev, "at" | "in") && self.word(a + 1) != "cases" {
                    continue;
                }
                if matches!(prev, "nearly" | "almost" | "not" | "virtually" | "practically") {
                    continue;
                }
                if w == "any"
                    && (self.in_subordinate_clause(a)
                        || matches!(prev, "without" | "not" | "no" | "than" | "if" | "of"))
                {
                    continue;
                }
                // "every month" is a frequency, not a claim about everything.
                if w == "every"
                    && (self.is_any(a + 1, TIME_UNITS) || self.t.get(a + 1).is_some_and(|t| t.kind == Kind::Number))
                {
                    continue;
                }
                // "all orders placed in the last 90 days" narrows the set; "every prescription screen" is a
                // set the system holds and a tester can go through. Only a set with no edge ("every
                // device", "any question", "accessible to all") is an absolute.
                let after = if matches!(self.word(a + 1), "the" | "of") { a + 2 } else { a + 1 };
                let open = self.is_any(after, OPEN_SETS);
                let standalone = self.t.get(a + 1).is_none_or(|t| t.kind != Kind::Word);
                if self.scoped(b + 1) || !(open || standalone) {
                    continue;
                }
            }
            self.push(RuleId::Absolute, a, b);
        }
        // 100% of anything is an absolute too.
        for i in 0..self.t.len() {
            let t = &self.t[i];
            if t.kind == Kind::Number && (t.lower == "100" || t.lower == "100.0") {
                let pct = self.t.get(i + 1).is_some_and(|n| n.lower == "%") || self.word(i + 1) == "percent";
                if pct {
                    self.push(RuleId::Absolute, i, i + 1);
                }
            }
        }
    }

    /// Whether the words after a universal quantifier narrow its set ("all orders placed in ...").
    fn scoped(&self, from: usize) -> bool {
        let t = self.t;
        for (k, tok) in t.iter().enumerate().take((from + 8).min(t.len())).skip(from) {
            if tok.ends_sentence() || tok.lower == ":" || self.is_any(k, MODALS) {
                return false;
            }
            if tok.kind == Kind::Number {
                return true;
            }
            let w = tok.lower.as_str();
            if tok.kind == Kind::Word
                && (matches!(
                    w,
                    "that"
                        | "which"
                        | "who"
                        | "whose"
                        | "where"
                        | "in"
                        | "of"
                        | "on"
                        | "from"
                        | "with"
                        | "within"
                        | "for"
                        | "at"
                        | "during"
                        | "since"
                        | "between"
                        | "over"
                        | "under"
                        | "older"
                        | "newer"
                        | "above"
                        | "below"
                        | "except"
                        | "excluding"
                        | "listed"
                        | "named"
                        | "matching"
                        | "belonging"
                        | "by"
                        | "to"
                        | "into"
                        | "made"
                        | "held"
                        | "sent"
                        | "paid"
                        | "open"
                        | "due"
                        | "before"
                        | "after"
                ) || (k > from && w.len() > 4 && (w.ends_with("ed") || w.ends_with("ing"))))
            {
                return true;
            }
        }
        false
    }

    pub(super) fn numbers(&mut self) {
        let t = self.t;
        for i in 0..t.len() {
            let tok = &t[i];
            if tok.kind != Kind::Number {
                continue;
            }
            let n = tok.lower.as_str();
            // "2s", "10ms", "1st", "9:30" carry their unit or are not quantities.
            if n.chars().any(|c| c.is_alphabetic() || c == ':') {
                continue;
            }
            if n.len() == 4 && (n.starts_with("19") || n.starts_with("20")) && n.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            if i > 0 {
                let p = &t[i - 1];
                if matches!(
                    p.lower.as_str(),
                    "£" | "$" | "€" | "#" | "¥" | "№" | "x" | "v" | "-" | "/" | "+" | "." | "(" | "[" | "§"
                ) && !p.space_before
                    || matches!(p.lower.as_str(), "£" | "$" | "€" | "#" | "¥" | "§")
                {
                    continue;
                }
                if p.kind == Kind::Word
                    && (p.all_caps
                        || p.inner_capital
                        || (p.capital && i > 1 && !t[i - 2].ends_sentence())
                        || NUMBERED_NOUNS.contains(&p.lower.as_str())
                        || matches!(p.lower.as_str(), "top" | "first" | "last" | "next" | "bottom" | "latest")
                        || p.lower.chars().any(|c| c.is_ascii_digit()))
                {
                    continue;
                }
            }
            // Lists and ranges: "2 to 5 days", "4 or 6 digits", "between 8 and 20 characters": the last
            // number carries the unit.
            if (self.is_any(i + 1, &["to", "and", "or"])
                || t.get(i + 1).is_some_and(|x| matches!(x.lower.as_str(), "-" | "–" | "," | "/")))
                && t.get(i + 2).is_some_and(|x| x.kind == Kind::Number)
            {
                continue;
            }
            // "a 4-hour slot": the unit is joined to the number.
            if t.get(i + 1).is_some_and(|x| x.lower == "-" && !x.space_before)
                && t.get(i + 2).is_some_and(|x| x.kind == Kind::Word && !x.space_before)
            {
                continue;
            }
            // A score, a rating or a grade is a number without a unit by nature.
            let range = self.sentence_range(i);
            if (range.start..i).any(|k| self.is_any(k, DIMENSIONLESS)) {
                continue;
            }
            let unit = match t.get(i + 1) {
                None => false,
                Some(next) if next.kind == Kind::Symbol => {
                    matches!(next.lower.as_str(), "%" | "°" | "×" | "x" | "′" | "″" | "'" | "\"" | "€" | "£" | "$")
                }
                Some(next) if next.kind == Kind::Word => {
                    !FUNCTION_WORDS.contains(&next.lower.as_str())
                        || self.lists.unit.match_at(t, i + 1).is_some()
                        || next.lower == "of"
                        || next.lower == "per"
                }
                Some(_) => true,
            };
            if unit || self.lists.unit.contains_word(self.word(i + 1)) {
                continue;
            }
            // A list item number ("1." at the start) is not a quantity either.
            if i == 0 || t[i - 1].ends_sentence() || t[i - 1].lower == "(" {
                continue;
            }
            let mut first = i;
            if i > 0
                && self.is_any(
                    i - 1,
                    &[
                        "within", "under", "over", "below", "above", "than", "to", "least", "most", "exceeds",
                        "exceed", "after", "every", "of", "maximum", "minimum",
                    ],
                )
            {
                first = i - 1;
            }
            self.push(RuleId::NumberWithoutUnit, first, i);
        }
    }

    pub(super) fn comparatives(&mut self) {
        let t = self.t;
        let mut matched: Vec<(usize, usize)> = self.matches(&self.lists.comparative);
        // "the most convenient", "more secure", "less complex".
        for i in 0..t.len() {
            let w = self.word(i);
            let next = self.word(i + 1);
            let prev = if i > 0 { self.word(i - 1) } else { "" };
            let evaluative = |x: &str| {
                self.lists.vague.contains_word(x)
                    || (x.len() > 5
                        && ["ly", "ive", "ful", "able", "ible", "ient", "ent", "ure", "ate", "ous"]
                            .iter()
                            .any(|s| x.ends_with(s)))
            };
            if (matches!(w, "more" | "less") && !matches!(prev, "no" | "or" | "and") && evaluative(next))
                || (matches!(w, "most" | "least")
                    && prev == "the"
                    && evaluative(next)
                    && !matches!(next, "recent" | "recently" | "frequent" | "frequently" | "common" | "commonly"))
            {
                matched.push((i, i + 1));
            }
        }
        for (a, b) in matched {
            let w = self.word(a);
            let prev = if a > 0 { self.word(a - 1) } else { "" };
            let next = self.word(b + 1);
            if (w == "longer" && prev == "no")
                || (w == "lower" && matches!(next, "case" | "limit" | "bound"))
                || (w == "higher" && next == "education")
            {
                continue;
            }
            if matches!(
                w,
                "higher" | "lower" | "greater" | "larger" | "smaller" | "shorter" | "longer" | "fewer" | "bigger"
            ) && prev == "or"
            {
                // "5 or fewer", "30 days or longer": the number is the reference.
                continue;
            }
            if matches!(
                w,
                "best" | "fastest" | "quickest" | "easiest" | "simplest" | "cheapest" | "smoothest" | "safest"
            ) && next == "before"
            {
                // "best before" dates.
                continue;
            }
            // "than" followed by a number or a named thing is a reference; "than before" or "than the
            // current one" is not.
            if let Some(than) = (b + 1..(b + 4).min(t.len())).find(|&k| self.word(k) == "than") {
                let after = self.word(than + 1);
                let vague_ref = matches!(
                    after,
                    "before" | "now" | "today" | "usual" | "necessary" | "expected" | "competitors" | "others" | "ever"
                ) || (after == "the"
                    && matches!(self.word(than + 2), "current" | "existing" | "old" | "previous" | "competition"));
                if !vague_ref {
                    continue;
                }
            }
            if self.word(a) == "improved" || self.word(a) == "enhanced" {
                // "an improved search" has no reference; "shall be improved" is the same.
            }
            self.push(RuleId::Comparative, a, b);
        }
    }
}
