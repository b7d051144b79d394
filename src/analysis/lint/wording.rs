//! The wording rules: one pass of tokens, then each rule looks at a match and the words around it.
//!
//! The word lists say what to look for; the code here says when a match is not a problem ("at most 5",
//! "all orders placed in the last 90 days", "so that the customer can", "5 orders"), because a finding the
//! analyst does not believe costs more than a weak phrase missed.

use super::text::{Kind, Token, slice};
use super::words::{Phrases, WordLists};
use super::{Field, Finding, RuleId};

const BINDING: &[&str] = &["shall", "must", "will"];
const MODALS: &[&str] = &["shall", "must", "will", "should", "may", "might", "can", "could", "would"];
const SUBORDINATORS: &[&str] = &[
    "that", "which", "who", "whom", "whose", "so", "if", "when", "whenever", "where", "wherever", "unless", "whether",
    "until", "while", "because", "as", "once", "before", "after", "than", "since", "though", "although", "how", "what",
    "why",
];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "each", "every", "any", "all", "its", "their", "his", "her", "this", "these", "those", "our",
    "your", "my", "no", "some", "both", "either", "neither", "another",
];
const PRONOUN_OBJECTS: &[&str] = &["it", "them", "him", "her", "they", "one", "up", "out"];
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "for", "by", "with", "from", "after",
    "before", "within", "than", "when", "if", "while", "where", "that", "which", "who", "shall", "must", "will",
    "should", "may", "can", "could", "is", "are", "be", "was", "were", "has", "have", "then", "so", "as", "into",
    "unless", "until", "during", "under", "over", "between", "without", "each", "every", "per", "its", "their",
];
const TIME_UNITS: &[&str] = &[
    "ms",
    "millisecond",
    "milliseconds",
    "s",
    "sec",
    "secs",
    "second",
    "seconds",
    "minute",
    "minutes",
    "min",
    "mins",
    "hour",
    "hours",
    "h",
    "hrs",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
];
/// Nouns a number names an item of ("level 2", "step 3"), not a quantity of.
const NUMBERED_NOUNS: &[&str] = &[
    "level",
    "step",
    "stage",
    "version",
    "release",
    "phase",
    "tier",
    "page",
    "section",
    "chapter",
    "option",
    "item",
    "line",
    "row",
    "column",
    "grade",
    "class",
    "type",
    "category",
    "priority",
    "band",
    "zone",
    "room",
    "floor",
    "gate",
    "platform",
    "terminal",
    "desk",
    "window",
    "article",
    "clause",
    "annex",
    "appendix",
    "rule",
    "figure",
    "table",
    "number",
    "no",
    "id",
    "code",
    "channel",
    "port",
    "v",
    "ward",
    "bed",
    "box",
    "form",
    "schedule",
    "requirement",
    "req",
    "part",
    "paragraph",
    "regulation",
    "standard",
    "iso",
    "wcag",
    "tls",
    "pci",
    "sla",
    "p",
];
/// Quantities that have no unit: "a score of 7 or more".
const DIMENSIONLESS: &[&str] =
    &["score", "scores", "rating", "ratings", "grade", "index", "ratio", "scale", "rank", "ranking"];
/// Action verbs: "and" followed by one of these and its object starts a second need.
const ACTION_VERBS: &[&str] = &[
    "send",
    "email",
    "notify",
    "display",
    "show",
    "store",
    "save",
    "record",
    "log",
    "print",
    "generate",
    "create",
    "calculate",
    "validate",
    "check",
    "verify",
    "update",
    "delete",
    "remove",
    "archive",
    "export",
    "import",
    "issue",
    "offer",
    "refund",
    "charge",
    "block",
    "lock",
    "unlock",
    "reject",
    "accept",
    "allow",
    "let",
    "enable",
    "disable",
    "prevent",
    "provide",
    "give",
    "apply",
    "assign",
    "route",
    "transfer",
    "forward",
    "escalate",
    "alert",
    "warn",
    "remind",
    "schedule",
    "book",
    "cancel",
    "confirm",
    "approve",
    "request",
    "retrieve",
    "restore",
    "encrypt",
    "mask",
    "hide",
    "publish",
    "share",
    "upload",
    "download",
    "sync",
    "synchronise",
    "synchronize",
    "submit",
    "capture",
    "scan",
    "track",
    "monitor",
    "attach",
    "link",
    "open",
    "close",
    "add",
    "mark",
    "flag",
    "sort",
    "filter",
    "search",
    "reset",
    "release",
    "pay",
    "collect",
    "deliver",
    "dispatch",
    "keep",
    "retain",
    "sign",
    "authenticate",
    "register",
    "identify",
    "compare",
    "convert",
    "deduct",
    "credit",
    "debit",
    "post",
    "transmit",
    "receive",
    "redirect",
    "suggest",
    "recommend",
    "highlight",
    "present",
    "inform",
    "prompt",
    "ask",
    "require",
    "raise",
    "invite",
    "contact",
    "call",
    "text",
    "queue",
    "hold",
    "refresh",
    "recalculate",
    "award",
    "redeem",
    "waive",
    "refer",
    "prescribe",
    "dispense",
    "admit",
    "discharge",
    "then",
    "also",
    "produce",
    "calculates",
    "sends",
    "shows",
    "displays",
    "stores",
    "records",
    "notifies",
    "emails",
    "creates",
    "updates",
    "deletes",
    "offers",
    "issues",
    "allows",
    "lets",
    "provides",
    "gives",
    "logs",
    "prints",
    "generates",
    "checks",
    "verifies",
    "blocks",
    "locks",
];
const IRREGULAR_PARTICIPLES: &[&str] = &[
    "sent",
    "shown",
    "given",
    "kept",
    "held",
    "made",
    "paid",
    "sold",
    "taken",
    "written",
    "read",
    "built",
    "bought",
    "chosen",
    "done",
    "found",
    "known",
    "left",
    "lost",
    "met",
    "put",
    "run",
    "set",
    "told",
    "understood",
    "hidden",
    "frozen",
    "withdrawn",
    "drawn",
    "broken",
    "spoken",
    "driven",
    "shut",
    "cut",
    "split",
    "bound",
    "fed",
    "led",
    "spent",
    "overridden",
    "forgotten",
    "seen",
    "sought",
    "brought",
    "taught",
    "thrown",
    "grown",
    "proven",
    "shown",
    "sworn",
    "torn",
    "worn",
    "upheld",
    "withheld",
    "rebuilt",
    "rewritten",
    "reset",
    "resent",
    "undone",
];
/// Participles that read as states or that hand the action to the subject ("shall be required to enter").
const NOT_PASSIVE: &[&str] = &[
    "based",
    "located",
    "concerned",
    "interested",
    "supposed",
    "called",
    "named",
    "known",
    "expected",
    "allowed",
    "permitted",
    "required",
    "entitled",
    "obliged",
    "authorised",
    "authorized",
    "logged",
    "signed",
    "dedicated",
    "limited",
    "designed",
    "used",
    "need",
    "needed",
    "tired",
    "pleased",
    "satisfied",
    "red",
    "bed",
    "led",
];
const EXPLETIVE_IT: &[&str] = &[
    "possible",
    "necessary",
    "required",
    "important",
    "mandatory",
    "desirable",
    "recommended",
    "likely",
    "impossible",
    "permitted",
    "allowed",
    "forbidden",
    "prohibited",
    "essential",
    "acceptable",
];
/// Sets with no edge a tester could reach: "every device", "any question", "all users".
const OPEN_SETS: &[&str] = &[
    "device",
    "devices",
    "browser",
    "browsers",
    "platform",
    "platforms",
    "user",
    "users",
    "situation",
    "situations",
    "circumstance",
    "circumstances",
    "case",
    "cases",
    "time",
    "times",
    "condition",
    "conditions",
    "question",
    "questions",
    "request",
    "requests",
    "language",
    "languages",
    "scenario",
    "scenarios",
    "environment",
    "environments",
    "load",
    "loads",
    "input",
    "inputs",
    "error",
    "errors",
    "format",
    "formats",
    "people",
    "field",
    "fields",
    "data",
    "information",
    "type",
    "types",
    "kind",
    "kinds",
    "problem",
    "problems",
    "issue",
    "issues",
    "query",
    "queries",
    "system",
    "systems",
    "network",
    "networks",
    "channel",
    "channels",
    "size",
    "sizes",
    "operating",
    "need",
    "needs",
    "feature",
    "features",
    "things",
    "everything",
    "purpose",
    "purposes",
];
/// What follows "by" when it names a means rather than an actor.
const BY_MEANS: &[&str] = &[
    "email",
    "emails",
    "sms",
    "post",
    "phone",
    "text",
    "texts",
    "letter",
    "card",
    "cards",
    "cash",
    "cheque",
    "default",
    "hand",
    "means",
    "courier",
    "mail",
    "telephone",
    "fax",
    "name",
    "date",
    "law",
    "rules",
    "standards",
    "type",
];
const PAIR_TERMS: &[&str] = &[
    "input/output",
    "read/write",
    "client/server",
    "on/off",
    "yes/no",
    "true/false",
    "pass/fail",
    "open/close",
    "login/logout",
    "either/or",
    "he/she",
    "his/her",
    "him/her",
    "s/he",
    "and/or",
    "peer/peer",
    "drag/drop",
    "check-in/check-out",
    "w/o",
];

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

struct Check<'a> {
    lists: &'a WordLists,
    field: Field,
    text: &'a str,
    t: &'a [Token],
    /// Sentence number of each token.
    sentence: Vec<usize>,
    /// First and one-past-last token of each sentence.
    bounds: Vec<(usize, usize)>,
    /// Per token, the bits of the word lists with a phrase starting with it.
    masks: Vec<u16>,
    out: Vec<Finding>,
}

impl<'a> Check<'a> {
    fn new(lists: &'a WordLists, field: Field, text: &'a str, t: &'a [Token]) -> Check<'a> {
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

    fn push(&mut self, rule: RuleId, first: usize, last: usize) {
        let (start, end) = (self.t[first].start, self.t[last].end);
        let text = slice(self.text, start, end);
        self.out.push(Finding::new(rule, self.field, start, end, text));
    }

    fn word(&self, i: usize) -> &str {
        self.t.get(i).filter(|t| t.kind == Kind::Word).map_or("", |t| t.lower.as_str())
    }

    fn is_any(&self, i: usize, set: &[&str]) -> bool {
        let w = self.word(i);
        !w.is_empty() && set.contains(&w)
    }

    /// The tokens of the sentence holding token `i`.
    fn sentence_range(&self, i: usize) -> std::ops::Range<usize> {
        let (start, end) = self.bounds.get(self.sentence[i]).copied().unwrap_or((0, self.t.len()));
        start..end
    }

    /// Whether a subordinating word comes before token `i` in its clause.
    fn in_subordinate_clause(&self, i: usize) -> bool {
        let range = self.sentence_range(i);
        (range.start..i).rev().take_while(|&k| !self.t[k].ends_clause()).any(|k| self.is_any(k, SUBORDINATORS))
            || (range.start..i).any(|k| self.is_any(k, &["so", "order"]) && self.word(k + 1) == "that")
                && !(range.start..i).any(|k| self.is_any(k, BINDING))
    }

    fn has_binding_modal(&self, range: std::ops::Range<usize>) -> bool {
        range.into_iter().any(|k| self.is_any(k, BINDING) && self.word(k + 1) != "try")
    }

    /// Matches of a phrase list, left to right, never overlapping.
    fn matches(&self, phrases: &Phrases) -> Vec<(usize, usize)> {
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

    fn compound(&mut self) {
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
                let alpha = |x: &Token| x.lower.chars().filter(|c| c.is_alphabetic()).count() >= 2;
                if pair == "and/or" {
                    if self.word(i + 2) != "more" {
                        self.push(RuleId::Compound, i - 1, i + 1);
                    }
                } else if alpha(l)
                    && alpha(r)
                    && !PAIR_TERMS.contains(&pair.as_str())
                    && !(l.all_caps && r.all_caps && l.lower.len() <= 2)
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

    fn pronouns(&mut self) {
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

    fn passive(&mut self) {
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

    fn absolutes(&mut self) {
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

    fn numbers(&mut self) {
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

    fn comparatives(&mut self) {
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
                || (matches!(w, "most" | "least") && prev == "the" && evaluative(next))
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
