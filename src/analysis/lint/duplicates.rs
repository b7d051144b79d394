//! Near-duplicates and likely conflicts, found without comparing all pairs.
//!
//! Each statement becomes a set of concepts: its content words, stemmed and mapped through the synonym
//! groups of `assets/lint/synonyms.txt` ("shows the customer" and "displays to the client" meet). Two sets
//! are similar when their Jaccard overlap reaches [`THRESHOLD`]. Candidates come from an inverted index
//! probed with each set's rarest concepts only (prefix filtering: two sets that share that much must share
//! one of the rarest few), so 100,000 statements take well under a second. A similar pair is a conflict when
//! one says "shall" and the other "shall not", or when they give different numbers for the same unit;
//! otherwise a duplicate.

use super::RuleId;
use super::text::{Kind, stem, tokenize};
use super::words::{WordLists, WordMap};
use crate::domain::Requirement;

/// The Jaccard overlap of concepts from which two statements are near-duplicates.
pub const THRESHOLD: f32 = 0.7;
/// At most this many earlier requirements are reported for one requirement (the most similar).
const MAX_PER_REQUIREMENT: usize = 3;
/// At most this many entries of one index list are looked at (the most recent), so a word that every
/// generated statement shares cannot make the search quadratic.
const MAX_SCAN: usize = 64;
/// Stop looking once this many similar statements are found.
const ENOUGH: usize = 24;
/// Sets smaller than this are too short to call anything a duplicate of them.
const MIN_CONCEPTS: usize = 3;

const STOP: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "from", "as", "is", "are", "be",
    "been", "being", "was", "were", "it", "its", "this", "that", "these", "those", "their", "they", "them", "his",
    "her", "our", "your", "shall", "must", "will", "should", "may", "can", "could", "would", "might", "not", "never",
    "no", "so", "than", "then", "when", "if", "while", "where", "which", "who", "each", "every", "all", "any", "also",
    "only", "into", "onto", "per", "has", "have", "do", "does", "able", "system", "there", "via", "within", "up",
];

/// Whether a pair repeats or contradicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairKind {
    Duplicate,
    Conflict,
}

impl PairKind {
    /// The rule a finding of this pair has.
    pub fn rule(self) -> RuleId {
        match self {
            PairKind::Duplicate => RuleId::Duplicate,
            PairKind::Conflict => RuleId::Conflict,
        }
    }

    /// How a finding names the other requirement: "looks like SHOP-16".
    pub fn verb(self) -> &'static str {
        match self {
            PairKind::Duplicate => "looks like",
            PairKind::Conflict => "may conflict with",
        }
    }
}

/// Two similar requirements, by index into the slice given; `a < b`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub kind: PairKind,
    /// Jaccard overlap of their concepts, 0..=1.
    pub similarity: f32,
    /// Why, in words.
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
struct Signature {
    /// Sorted, unique concept ids.
    concepts: Vec<u32>,
    negated: bool,
    /// (unit concept, value as written).
    numbers: Vec<(u32, String)>,
}

/// A statement's concept keys before they are numbered: made in parallel, numbered in order.
#[derive(Debug, Default)]
struct Keys {
    words: Vec<String>,
    negated: bool,
    numbers: Vec<(String, String)>,
}

fn key_of(word: &str) -> String {
    // "the customer's order" and "the order of the customer" share "customer".
    let word = word.strip_suffix("'s").unwrap_or(word);
    let key = stem(word);
    WordLists::standard().synonyms.get(&key).cloned().unwrap_or(key)
}

fn keys(text: &str) -> Keys {
    let tokens = tokenize(text);
    let mut k = Keys::default();
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            Kind::Word => {
                if matches!(t.lower.as_str(), "not" | "never" | "cannot" | "can't" | "won't" | "mustn't") {
                    k.negated = true;
                } else if !STOP.contains(&t.lower.as_str()) && t.lower.chars().count() > 1 {
                    k.words.push(key_of(&t.lower));
                }
            }
            Kind::Number => {
                if let Some(unit) = tokens.get(i + 1).filter(|u| u.kind == Kind::Word || u.lower == "%")
                    && !STOP.contains(&unit.lower.as_str())
                {
                    k.numbers.push((key_of(&unit.lower), t.lower.clone()));
                }
            }
            Kind::Symbol => {}
        }
    }
    k
}

#[derive(Debug, Default)]
struct Concepts {
    ids: WordMap<u32>,
}

impl Concepts {
    fn id(&mut self, key: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(key).or_insert(next)
    }

    fn number(&mut self, keys: Keys) -> Signature {
        let mut s =
            Signature { concepts: Vec::with_capacity(keys.words.len()), negated: keys.negated, numbers: Vec::new() };
        for w in keys.words {
            s.concepts.push(self.id(w));
        }
        for (unit, value) in keys.numbers {
            let unit = self.id(unit);
            s.numbers.push((unit, value));
        }
        s.concepts.sort_unstable();
        s.concepts.dedup();
        s
    }

    fn signature(&mut self, text: &str) -> Signature {
        self.number(keys(text))
    }

    /// The signature of a text that is only looked up, not added: a concept the index has never seen gets
    /// a number past the known ones (it matches nothing but still counts in the overlap), so the index
    /// can be shared while the analyst types.
    fn lookup(&self, text: &str) -> Signature {
        let keys = keys(text);
        let mut unseen: Vec<String> = Vec::new();
        let mut id = |key: String| -> u32 {
            if let Some(&known) = self.ids.get(&key) {
                return known;
            }
            let at = unseen.iter().position(|k| *k == key).unwrap_or_else(|| {
                unseen.push(key);
                unseen.len() - 1
            });
            (self.ids.len() + at) as u32
        };
        let mut s =
            Signature { concepts: Vec::with_capacity(keys.words.len()), negated: keys.negated, numbers: Vec::new() };
        for w in keys.words {
            s.concepts.push(id(w));
        }
        for (unit, value) in keys.numbers {
            s.numbers.push((id(unit), value));
        }
        s.concepts.sort_unstable();
        s.concepts.dedup();
        s
    }
}

fn jaccard(a: &[u32], b: &[u32]) -> f32 {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 { 0.0 } else { shared as f32 / union as f32 }
}

/// How many of a set's rarest concepts must be probed so that no pair at [`THRESHOLD`] is missed.
fn prefix_len(n: usize) -> usize {
    let need = (THRESHOLD * n as f32).ceil() as usize;
    (n + 1).saturating_sub(need).clamp(1, n.max(1))
}

/// Decides what a similar pair is.
fn judge(a: &Signature, b: &Signature) -> PairKind {
    if a.negated != b.negated || different_number(a, b).is_some() { PairKind::Conflict } else { PairKind::Duplicate }
}

/// A number `a` gives for a unit that `b` gives only other numbers for.
fn different_number<'s>(a: &'s Signature, b: &'s Signature) -> Option<(&'s str, &'s str)> {
    a.numbers.iter().find_map(|(unit, value)| {
        let other = b.numbers.iter().find(|(u, v)| u == unit && v != value)?;
        (!b.numbers.iter().any(|(u, v)| u == unit && v == value)).then_some((value.as_str(), other.1.as_str()))
    })
}

/// Why a pair is what it is, in words.
fn reason(a: &Signature, b: &Signature, kind: PairKind, similarity: f32) -> String {
    match kind {
        PairKind::Conflict if a.negated != b.negated => "one says it shall, the other that it shall not".into(),
        PairKind::Conflict => match different_number(a, b) {
            Some((here, there)) => format!("a different number for the same quantity ({here} here, {there} there)"),
            None => "they contradict each other".into(),
        },
        PairKind::Duplicate => {
            format!("the same need in other words ({:.0}% of the words shared)", similarity * 100.0)
        }
    }
}

/// The text duplicate detection reads: the statement, or the title when there is none.
fn text_of(r: &Requirement) -> &str {
    compared_text(&r.title, &r.statement)
}

/// Of a requirement's title and statement, the one duplicate detection compares: the statement, or the
/// title when there is none (a line from the capture box).
pub fn compared_text<'a>(title: &'a str, statement: &'a str) -> &'a str {
    if statement.trim().is_empty() { title } else { statement }
}

/// An index of a project's statements, to ask whether a new line nearly repeats one of them.
#[derive(Debug, Default)]
pub struct DuplicateIndex {
    concepts: Concepts,
    signatures: Vec<Signature>,
    /// Per concept id, the statements that hold it, in order.
    postings: Vec<Vec<u32>>,
}

impl DuplicateIndex {
    /// An empty index.
    pub fn new() -> DuplicateIndex {
        DuplicateIndex::default()
    }

    /// An index of these requirements; matches are reported by index into `reqs`.
    pub fn of<R: AsRef<Requirement> + Sync>(reqs: &[R]) -> DuplicateIndex {
        DuplicateIndex::numbered(parallel_keys(reqs))
    }

    /// An index of these statements (for a requirement: its statement, or its title when it has none);
    /// matches are reported by index into `texts`.
    pub fn of_texts<S: AsRef<str> + Sync>(texts: &[S]) -> DuplicateIndex {
        let mut index = DuplicateIndex::new();
        index.extend(texts);
        index
    }

    /// Adds these statements, in order, each keyed and numbered in turn: the words of many statements are
    /// never held at once, only the index grows (the workbench builds it in the background, where memory
    /// matters more than the second core: 100,000 statements in about half a second).
    pub fn extend<S: AsRef<str> + Sync>(&mut self, texts: &[S]) {
        for t in texts {
            let mut sig = self.concepts.number(keys(t.as_ref()));
            // Kept for as long as the workbench runs: no spare capacity.
            sig.concepts.shrink_to_fit();
            self.push(sig);
        }
    }

    /// Gives back the spare capacity the index grew with, once it is complete (it is then kept for as long
    /// as the workbench runs).
    pub fn shrink_to_fit(&mut self) {
        for list in &mut self.postings {
            list.shrink_to_fit();
        }
        self.postings.shrink_to_fit();
        self.signatures.shrink_to_fit();
    }

    /// How many statements the index holds.
    pub fn len(&self) -> usize {
        self.signatures.len()
    }

    /// Whether the index holds no statement.
    pub fn is_empty(&self) -> bool {
        self.signatures.is_empty()
    }

    fn numbered(keys: Vec<Keys>) -> DuplicateIndex {
        let mut index = DuplicateIndex::new();
        for k in keys {
            let sig = index.concepts.number(k);
            index.push(sig);
        }
        index
    }

    /// Adds a statement; it gets the next index.
    pub fn add(&mut self, text: &str) -> usize {
        let sig = self.concepts.signature(text);
        self.push(sig)
    }

    fn push(&mut self, sig: Signature) -> usize {
        let n = self.signatures.len() as u32;
        for &c in &sig.concepts {
            let c = c as usize;
            if self.postings.len() <= c {
                self.postings.resize_with(c + 1, Vec::new);
            }
            self.postings[c].push(n);
        }
        self.signatures.push(sig);
        n as usize
    }

    /// The statements already in the index that `text` nearly repeats or contradicts, most similar first:
    /// (index, kind, similarity, reason).
    pub fn similar(&self, text: &str) -> Vec<(usize, PairKind, f32, String)> {
        let sig = self.concepts.lookup(text);
        let mut seen = Vec::new();
        let found = self.matches(&sig, self.signatures.len(), &mut seen);
        found.into_iter().map(|(j, kind, s)| (j, kind, s, reason(&sig, &self.signatures[j], kind, s))).collect()
    }

    /// Candidates among the first `before` statements, most similar first. `seen` is scratch space (one
    /// stamp per statement) kept between calls so that no call clears a large array.
    fn matches(&self, sig: &Signature, before: usize, seen: &mut Vec<u32>) -> Vec<(usize, PairKind, f32)> {
        if sig.concepts.len() < MIN_CONCEPTS {
            return Vec::new();
        }
        if seen.len() < self.signatures.len() + 1 {
            seen.resize(self.signatures.len() + 1, u32::MAX);
        }
        let stamp = before as u32;
        let mut probe: Vec<(usize, u32)> =
            sig.concepts.iter().map(|&c| (self.postings.get(c as usize).map_or(0, Vec::len), c)).collect();
        probe.sort_unstable();
        let mut found = Vec::new();
        for &(_, c) in probe.iter().take(prefix_len(sig.concepts.len())) {
            let Some(list) = self.postings.get(c as usize) else { continue };
            let end = list.partition_point(|&j| (j as usize) < before);
            for &j in list[..end].iter().rev().take(MAX_SCAN) {
                if seen[j as usize] == stamp {
                    continue;
                }
                seen[j as usize] = stamp;
                let other = &self.signatures[j as usize];
                if other.concepts.len() < MIN_CONCEPTS {
                    continue;
                }
                let s = jaccard(&sig.concepts, &other.concepts);
                if s >= THRESHOLD {
                    found.push((j as usize, judge(sig, other), s));
                }
            }
            // Enough to choose the few reported from: a statement repeated a thousand times need not be
            // compared with every copy.
            if found.len() >= ENOUGH {
                break;
            }
        }
        found.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        found
    }
}

/// The concept keys of every requirement, made on all cores.
fn parallel_keys<R: AsRef<Requirement> + Sync>(reqs: &[R]) -> Vec<Keys> {
    super::parallel_map(reqs, |r| keys(text_of(r.as_ref())))
}

/// The duplicate and conflict pairs among `reqs`, each pair once, at most a few per requirement.
pub fn pairs<R: AsRef<Requirement> + Sync>(reqs: &[R]) -> Vec<Pair> {
    let mut index = DuplicateIndex::new();
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (b, k) in parallel_keys(reqs).into_iter().enumerate() {
        let sig = index.concepts.number(k);
        let mut found = index.matches(&sig, b, &mut seen);
        // Conflicts first: they matter more than a repeat.
        found.sort_by_key(|f| f.1 != PairKind::Conflict);
        for (a, kind, similarity) in found.into_iter().take(MAX_PER_REQUIREMENT) {
            let reason = reason(&sig, &index.signatures[a], kind, similarity);
            out.push(Pair { a, b, kind, similarity, reason });
        }
        index.push(sig);
    }
    out
}
