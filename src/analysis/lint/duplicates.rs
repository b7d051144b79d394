//! Near-duplicates and likely conflicts, found without comparing all pairs.
//!
//! Each statement becomes a set of concepts: its content words, stemmed and mapped through the synonym
//! groups of `assets/lint/synonyms.txt` ("shows the customer" and "displays to the client" meet). Two sets
//! are similar when their Jaccard overlap reaches [`THRESHOLD`]. Candidates come from an inverted index
//! probed with each set's rarest concepts only (prefix filtering: two sets that share that much must share
//! one of the rarest few), so 100,000 statements take well under a second. A similar pair is a conflict when
//! one says "shall" and the other "shall not", or when they give different numbers for the same unit;
//! otherwise a duplicate.

use std::collections::HashMap;

use super::RuleId;
use super::text::{Kind, stem, tokenize};
use super::words::WordLists;
use crate::domain::Requirement;

/// The Jaccard overlap of concepts from which two statements are near-duplicates.
pub const THRESHOLD: f32 = 0.7;
/// At most this many earlier requirements are reported for one requirement (the most similar).
const MAX_PER_REQUIREMENT: usize = 3;
/// At most this many entries of one index list are looked at (the most recent), so a word that every
/// generated statement shares cannot make the search quadratic.
const MAX_SCAN: usize = 400;
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

#[derive(Debug, Default)]
struct Concepts {
    ids: HashMap<String, u32>,
}

impl Concepts {
    fn id(&mut self, word: &str) -> u32 {
        let key = stem(word);
        let key = WordLists::standard().synonyms.get(&key).cloned().unwrap_or(key);
        let next = self.ids.len() as u32;
        *self.ids.entry(key).or_insert(next)
    }

    fn signature(&mut self, text: &str) -> Signature {
        let tokens = tokenize(text);
        let mut s = Signature::default();
        for (i, t) in tokens.iter().enumerate() {
            match t.kind {
                Kind::Word => {
                    if matches!(t.lower.as_str(), "not" | "never" | "cannot" | "can't" | "won't" | "mustn't") {
                        s.negated = true;
                    } else if !STOP.contains(&t.lower.as_str()) && t.lower.chars().count() > 1 {
                        s.concepts.push(self.id(&t.lower));
                    }
                }
                Kind::Number => {
                    if let Some(unit) = tokens.get(i + 1).filter(|u| u.kind == Kind::Word || u.lower == "%")
                        && !STOP.contains(&unit.lower.as_str())
                    {
                        let unit = self.id(&unit.lower);
                        s.numbers.push((unit, t.lower.clone()));
                    }
                }
                Kind::Symbol => {}
            }
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
fn judge(a: &Signature, b: &Signature, similarity: f32) -> Option<(PairKind, String)> {
    if similarity < THRESHOLD {
        return None;
    }
    if a.negated != b.negated {
        return Some((PairKind::Conflict, "one says it shall, the other that it shall not".into()));
    }
    for (unit, value) in &a.numbers {
        if let Some((_, other)) = b.numbers.iter().find(|(u, v)| u == unit && v != value)
            && !b.numbers.iter().any(|(u, v)| u == unit && v == value)
        {
            return Some((
                PairKind::Conflict,
                format!("a different number for the same quantity ({value} here, {other} there)"),
            ));
        }
    }
    Some((
        PairKind::Duplicate,
        format!("the same need in other words ({:.0}% of the words shared)", similarity * 100.0),
    ))
}

/// The text duplicate detection reads: the statement, or the title when there is none.
fn text_of(r: &Requirement) -> &str {
    if r.statement.trim().is_empty() { &r.title } else { &r.statement }
}

/// An index of a project's statements, to ask whether a new line nearly repeats one of them.
#[derive(Debug, Default)]
pub struct DuplicateIndex {
    concepts: Concepts,
    signatures: Vec<Signature>,
    postings: HashMap<u32, Vec<u32>>,
}

impl DuplicateIndex {
    /// An empty index.
    pub fn new() -> DuplicateIndex {
        DuplicateIndex::default()
    }

    /// An index of these requirements; matches are reported by index into `reqs`.
    pub fn of(reqs: &[Requirement]) -> DuplicateIndex {
        let mut index = DuplicateIndex::new();
        for r in reqs {
            index.add(text_of(r));
        }
        index
    }

    /// Adds a statement; it gets the next index.
    pub fn add(&mut self, text: &str) -> usize {
        let sig = self.concepts.signature(text);
        let n = self.signatures.len() as u32;
        for &c in &sig.concepts {
            self.postings.entry(c).or_default().push(n);
        }
        self.signatures.push(sig);
        n as usize
    }

    /// The statements already in the index that `text` nearly repeats or contradicts, most similar first:
    /// (index, kind, similarity, reason).
    pub fn similar(&mut self, text: &str) -> Vec<(usize, PairKind, f32, String)> {
        let sig = self.concepts.signature(text);
        self.matches(&sig, self.signatures.len())
    }

    fn matches(&self, sig: &Signature, before: usize) -> Vec<(usize, PairKind, f32, String)> {
        if sig.concepts.len() < MIN_CONCEPTS {
            return Vec::new();
        }
        let mut probe: Vec<(usize, u32)> =
            sig.concepts.iter().map(|c| (self.postings.get(c).map_or(0, Vec::len), *c)).collect();
        probe.sort_unstable();
        let mut seen: Vec<u32> = Vec::new();
        let mut found = Vec::new();
        for &(_, c) in probe.iter().take(prefix_len(sig.concepts.len())) {
            let Some(list) = self.postings.get(&c) else { continue };
            let end = list.partition_point(|&j| (j as usize) < before);
            for &j in list[..end].iter().rev().take(MAX_SCAN) {
                if seen.contains(&j) {
                    continue;
                }
                if seen.len() < 4 * MAX_SCAN {
                    seen.push(j);
                }
                let other = &self.signatures[j as usize];
                if other.concepts.len() < MIN_CONCEPTS {
                    continue;
                }
                let s = jaccard(&sig.concepts, &other.concepts);
                if let Some((kind, reason)) = judge(sig, other, s) {
                    found.push((j as usize, kind, s, reason));
                }
            }
        }
        found.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        found.dedup_by_key(|f| f.0);
        found
    }
}

/// The duplicate and conflict pairs among `reqs`, each pair once, at most a few per requirement.
pub fn pairs(reqs: &[Requirement]) -> Vec<Pair> {
    let mut index = DuplicateIndex::new();
    let mut out = Vec::new();
    for (b, r) in reqs.iter().enumerate() {
        let sig = index.concepts.signature(text_of(r));
        let mut found = index.matches(&sig, b);
        // Conflicts first: they matter more than a repeat.
        found.sort_by_key(|f| f.1 != PairKind::Conflict);
        for (a, kind, similarity, reason) in found.into_iter().take(MAX_PER_REQUIREMENT) {
            out.push(Pair { a, b, kind, similarity, reason });
        }
        let n = index.signatures.len() as u32;
        for &c in &sig.concepts {
            index.postings.entry(c).or_default().push(n);
        }
        index.signatures.push(sig);
    }
    out
}
