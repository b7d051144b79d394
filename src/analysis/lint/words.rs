//! The word lists of `assets/lint/`, parsed once, and phrase matching over tokens.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::text::{Kind, Token};

/// The names of the lists a project can add words to (`elicit settings lint-word add LIST WORD`).
pub const LIST_NAMES: &[&str] =
    &["vague", "escape", "open-ending", "quantifier", "weak", "placeholder", "absolute", "comparative", "unit"];

/// FNV-1a: the maps here are keyed by short words, where SipHash's start-up cost dominates.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A map keyed by words, hashed with [`Fnv`].
pub type WordMap<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

/// Phrases keyed by their first word, longest first.
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    by_first: WordMap<Vec<Vec<String>>>,
    /// This list's bit in [`WordLists::first_words`].
    pub bit: u16,
}

impl Phrases {
    fn parse(text: &str, bit: u16) -> Phrases {
        let mut p = Phrases { bit, ..Phrases::default() };
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if !line.is_empty() {
                p.add(line);
            }
        }
        p
    }

    /// Adds a word or phrase (split like the tokeniser splits text).
    pub fn add(&mut self, phrase: &str) {
        let words: Vec<String> = super::text::tokenize(phrase).into_iter().map(|t| t.lower).collect();
        let Some(first) = words.first().cloned() else { return };
        let list = self.by_first.entry(first).or_default();
        if !list.contains(&words) {
            list.push(words);
            list.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
    }

    /// The number of tokens of the longest phrase that starts at `tokens[i]`, if any.
    pub fn match_at(&self, tokens: &[Token], i: usize) -> Option<usize> {
        let candidates = self.by_first.get(&tokens[i].lower)?;
        'next: for phrase in candidates {
            if i + phrase.len() > tokens.len() {
                continue;
            }
            for (k, w) in phrase.iter().enumerate() {
                let t = &tokens[i + k];
                // "and/or" is one phrase only when written without spaces.
                if t.lower != *w || (k > 0 && t.kind == Kind::Symbol && t.space_before) {
                    continue 'next;
                }
            }
            return Some(phrase.len());
        }
        None
    }

    /// Whether a single word is in the list.
    pub fn contains_word(&self, word: &str) -> bool {
        self.by_first.get(word).is_some_and(|l| l.iter().any(|p| p.len() == 1))
    }
}

/// Every list the wording rules use.
#[derive(Debug, Clone, Default)]
pub struct WordLists {
    pub vague: Phrases,
    pub escape: Phrases,
    pub open_ending: Phrases,
    pub quantifier: Phrases,
    pub weak: Phrases,
    pub placeholder: Phrases,
    pub absolute: Phrases,
    pub comparative: Phrases,
    /// Units a project adds, so "within 3 sprints" is not a number without a unit.
    pub unit: Phrases,
    /// Synonym groups: word -> the word standing for its group.
    pub synonyms: WordMap<String>,
    /// For each word that starts a phrase of some list, the bits of those lists: one look-up per token
    /// tells which lists can match there.
    pub first_words: WordMap<u16>,
}

static STANDARD: LazyLock<WordLists> = LazyLock::new(|| {
    let mut synonyms = WordMap::default();
    for line in include_str!("../../../assets/lint/synonyms.txt").lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        if let Some(head) = words.next() {
            let head = super::text::stem(head);
            synonyms.insert(head.clone(), head.clone());
            for w in words {
                synonyms.insert(super::text::stem(w), head.clone());
            }
        }
    }
    let mut lists = WordLists {
        vague: Phrases::parse(include_str!("../../../assets/lint/vague.txt"), 1 << 0),
        escape: Phrases::parse(include_str!("../../../assets/lint/escape.txt"), 1 << 1),
        open_ending: Phrases::parse(include_str!("../../../assets/lint/open_ending.txt"), 1 << 2),
        quantifier: Phrases::parse(include_str!("../../../assets/lint/quantifiers.txt"), 1 << 3),
        weak: Phrases::parse(include_str!("../../../assets/lint/weak.txt"), 1 << 4),
        placeholder: Phrases::parse(include_str!("../../../assets/lint/placeholders.txt"), 1 << 5),
        absolute: Phrases::parse(include_str!("../../../assets/lint/absolutes.txt"), 1 << 6),
        comparative: Phrases::parse(include_str!("../../../assets/lint/comparatives.txt"), 1 << 7),
        unit: Phrases { bit: 1 << 8, ..Phrases::default() },
        synonyms,
        first_words: WordMap::default(),
    };
    lists.index();
    lists
});

impl WordLists {
    /// The built-in lists, parsed on first use.
    pub fn standard() -> &'static WordLists {
        &STANDARD
    }

    /// Rebuilds [`WordLists::first_words`] after words were added.
    pub fn index(&mut self) {
        let mut first = WordMap::default();
        for list in [
            &self.vague,
            &self.escape,
            &self.open_ending,
            &self.quantifier,
            &self.weak,
            &self.placeholder,
            &self.absolute,
            &self.comparative,
            &self.unit,
        ] {
            for word in list.by_first.keys() {
                *first.entry(word.clone()).or_insert(0u16) |= list.bit;
            }
        }
        self.first_words = first;
    }

    /// Adds a word to the named list; unknown names are ignored. Call [`WordLists::index`] afterwards.
    pub fn add(&mut self, list: &str, word: &str) {
        let target = match list {
            "vague" => &mut self.vague,
            "escape" => &mut self.escape,
            "open-ending" => &mut self.open_ending,
            "quantifier" => &mut self.quantifier,
            "weak" => &mut self.weak,
            "placeholder" => &mut self.placeholder,
            "absolute" => &mut self.absolute,
            "comparative" => &mut self.comparative,
            "unit" => &mut self.unit,
            _ => return,
        };
        target.add(word);
    }
}
