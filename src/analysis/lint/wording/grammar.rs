//! Rules about how the statement is built: compound needs, pronouns with an unclear referent, passive voice.

use super::vocabulary::*;
use super::{Check, Kind, Token};
use crate::analysis::lint::RuleId;

impl Check<'_> {
    pub(super) fn compound(&mut self) {
        let t = self.t;
        // Several modal verbs: several requirements in one statement.
        let mut modals = Vec::new();
        for i in 0..t.len() {
            if self.is_any(i, &["shall", "must", "should"])
                || (self.word(i) == "will" && !self.in_subordinate_clause(i))
            {
                if self.word(i + 1) == "try" {
                    continue;
                }
                modals.push(i);
            }
        }
        if let Some(&second) = modals.get(1) {
            let mut first = second;
            if second > 0 && self.is_any(second - 1, &["and", "or", "also", "then"]) {
                first = second - 1;
            }
            self.push(RuleId::Compound, first, second);
        }
        for i in 0..t.len() {
            // "A/B" alternatives and "and/or", written without spaces.
            if t[i].lower == "/"
                && !t[i].space_before
                && i > 0
                && t[i - 1].kind == Kind::Word
                && t.get(i + 1).is_some_and(|n| n.kind == Kind::Word && !n.space_before)
            {
                let (l, r) = (&t[i - 1], &t[i + 1]);
                let pair = format!("{}/{}", l.lower, r.lower);
                let alpha = |x: &Token| x.lower.chars().filter(|c| c.is_alphabetic()).count() >= 3;
                // A path or a format ("/api/orders", "dd/mm/yyyy") chains slashes; acronym pairs
                // ("TCP/IP", "UI/UX") name one thing.
                let chained = (i >= 2 && t[i - 2].lower == "/" && !t[i - 1].space_before)
                    || t.get(i + 2).is_some_and(|n| n.lower == "/" && !n.space_before);
                if pair == "and/or" {
                    if self.word(i + 2) != "more" {
                        self.push(RuleId::Compound, i - 1, i + 1);
                    }
                } else if alpha(l)
                    && alpha(r)
                    && !PAIR_TERMS.contains(&pair.as_str())
                    && !(l.all_caps && r.all_caps)
                    && !chained
                {
                    self.push(RuleId::Compound, i - 1, i + 1);
                }
            }
        }
        if modals.len() >= 2 {
            return;
        }
        // "shall V1 <object> and V2 <object>": a second action with its own object.
        let Some(&m) = modals.first() else { return };
        let mut v1 = m + 1;
        while self.is_any(v1, &["not", "also", "always", "only", "automatically", "immediately"])
            || self.word(v1).ends_with("ly")
        {
            v1 += 1;
        }
        if self.is_any(v1, &["be", "have"]) {
            return;
        }
        let end = self.sentence_range(m).end;
        let mut k = v1 + 2;
        while k + 1 < end {
            // A relative or purpose clause ("so that the customer can see and track") has its own verbs;
            // a time or condition clause ("when the order ships") does not end the main one.
            if self.is_any(k, &["that", "which", "who", "whom", "whose", "so", "because", "than", "unless", "whether"])
                || self.is_any(k, MODALS)
                || self.word(k) == "to" && self.is_any(k - 1, &["order", "so"])
            {
                return;
            }
            if self.is_any(k, &["and", "or"]) {
                let mut v = k + 1;
                if self.word(v) == "then" || self.word(v) == "also" {
                    v += 1;
                }
                let object = t.get(v + 1).is_some_and(|o| {
                    o.kind == Kind::Word
                        && (DETERMINERS.contains(&o.lower.as_str()) || PRONOUN_OBJECTS.contains(&o.lower.as_str()))
                });
                if self.is_any(v, ACTION_VERBS) && self.word(v) != "then" && object {
                    self.push(RuleId::Compound, k, v);
                    return;
                }
            }
            k += 1;
        }
    }

    pub(super) fn pronouns(&mut self) {
        let t = self.t;
        for i in 0..t.len() {
            let w = self.word(i);
            if !matches!(w, "it" | "they" | "them" | "this" | "that" | "these" | "those") {
                continue;
            }
            let range = self.sentence_range(i);
            // The first word of the sentence, or of the main clause after a leading "When ...,".
            let leading = i == range.start
                || (i > range.start
                    && t[i - 1].lower == ","
                    && self.is_any(
                        range.start,
                        &["when", "if", "while", "where", "once", "after", "before", "as", "until", "unless"],
                    ));
            let next = self.word(i + 1);
            let verb_next = self.is_any(i + 1, MODALS)
                || matches!(
                    next,
                    "is" | "are"
                        | "was"
                        | "were"
                        | "has"
                        | "have"
                        | "does"
                        | "do"
                        | "means"
                        | "includes"
                        | "requires"
                        | "also"
                        | "then"
                )
                || t.get(i + 1).is_none_or(|n| n.kind == Kind::Symbol);
            match w {
                "it" => {
                    let expletive = (i + 1..(i + 6).min(t.len())).any(|k| self.is_any(k, EXPLETIVE_IT));
                    if expletive {
                        continue;
                    }
                    // Two things "it" could be, and "it" does something ("before it notifies"); or three.
                    let subject = t.get(i + 1).is_some_and(|n| {
                        n.kind == Kind::Word && !FUNCTION_WORDS.contains(&n.lower.as_str())
                            || self.is_any(i + 1, MODALS)
                    });
                    // The subject before "shall" is the thing the requirement is about; count the others.
                    let from = (range.start..i).find(|&k| self.is_any(k, MODALS)).unwrap_or(range.start);
                    let candidates = self.antecedents(from, i, false);
                    if leading || candidates >= 3 || candidates >= 2 && subject {
                        self.push(RuleId::UnclearPronoun, i, i);
                    }
                }
                "they" | "them" if leading || self.antecedents(range.start, i, true) >= 2 => {
                    self.push(RuleId::UnclearPronoun, i, i);
                }
                "this" | "that" | "these" | "those" => {
                    if w == "that" && !leading {
                        continue;
                    }
                    if verb_next && (leading || self.antecedents(range.start, i, w == "these" || w == "those") >= 2) {
                        self.push(RuleId::UnclearPronoun, i, i);
                    }
                }
                _ => {}
            }
        }
    }

    /// Noun phrases in `from..to` that agree in number with a pronoun.
    fn antecedents(&self, from: usize, to: usize, plural: bool) -> usize {
        let t = self.t;
        let mut count = 0;
        let mut k = from;
        while k < to {
            let starts = t[k].kind == Kind::Word
                && (DETERMINERS.contains(&t[k].lower.as_str()) || ((t[k].capital || t[k].all_caps) && k > from));
            if !starts {
                k += 1;
                continue;
            }
            // The head: the last word before a function word, a symbol or a verb-like word.
            let mut head = k;
            let mut j = if t[k].capital && !DETERMINERS.contains(&t[k].lower.as_str()) { k } else { k + 1 };
            while j < to
                && j < k + 5
                && t[j].kind == Kind::Word
                && !FUNCTION_WORDS.contains(&t[j].lower.as_str())
                && !MODALS.contains(&t[j].lower.as_str())
            {
                head = j;
                j += 1;
            }
            if head > k || t[k].capital {
                let h = t[head].lower.as_str();
                let is_plural = (h.ends_with('s') && !h.ends_with("ss") && !h.ends_with("us") && !h.ends_with("is"))
                    || matches!(h, "data" | "people" | "staff" | "children");
                if is_plural == plural {
                    count += 1;
                }
            }
            k = j.max(k + 1);
        }
        count
    }

    pub(super) fn passive(&mut self) {
        let t = self.t;
        for i in 0..t.len() {
            let w = self.word(i);
            let (aux_start, be) = if matches!(w, "be" | "been") {
                let mut m = i;
                while m > 0 && self.is_any(m - 1, &["not", "also", "always", "never", "only", "have", "has", "to"]) {
                    m -= 1;
                }
                if m == 0 || !self.is_any(m - 1, MODALS) {
                    // "needs to be", "is to be": keep; other "be" (an infinitive after a verb) is not clear.
                    if !(i > 0
                        && self.word(i - 1) == "to"
                        && i > 1
                        && self.is_any(i - 2, &["needs", "need", "is", "are", "has", "have"]))
                    {
                        continue;
                    }
                    (i - 1, i)
                } else {
                    (m - 1, i)
                }
            } else if matches!(w, "is" | "are" | "was" | "were") {
                let range = self.sentence_range(i);
                if range.clone().any(|k| self.is_any(k, MODALS)) || self.in_subordinate_clause(i) {
                    continue;
                }
                (i, i)
            } else {
                continue;
            };
            let mut p = be + 1;
            if self.word(p).ends_with("ly") && self.word(p).len() > 4
                || self.is_any(p, &["not", "also", "then", "only"])
            {
                p += 1;
            }
            let part = self.word(p);
            let participle = (part.len() >= 4 && part.ends_with("ed")) || IRREGULAR_PARTICIPLES.contains(&part);
            if !participle || NOT_PASSIVE.contains(&part) {
                continue;
            }
            if matches!(self.word(p + 1), "in" | "on" | "out")
                && matches!(part, "logged" | "signed" | "checked" | "switched" | "turned")
            {
                continue;
            }
            let end = self.sentence_range(i).end;
            // "by the system", "by a clinician", "by Finance" name an actor; "by email", "by default" do not.
            let by = (p + 1..end.min(p + 10)).any(|k| {
                self.word(k) == "by"
                    && t.get(k + 1).is_some_and(|n| {
                        n.kind == Kind::Word
                            && !BY_MEANS.contains(&n.lower.as_str())
                            && (DETERMINERS.contains(&n.lower.as_str())
                                || n.capital
                                || n.all_caps
                                || n.lower.ends_with('s'))
                    })
            });
            if by {
                continue;
            }
            self.push(RuleId::PassiveVoice, aux_start, p);
        }
    }
}
