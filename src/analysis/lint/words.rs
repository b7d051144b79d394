//! The word lists of `assets/lint/`, parsed once, and phrase matching over tokens.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::text::{Kind, Token};

/// The names of the lists a project can add words to (`elicit settings lint-word add LIST WORD`).
pub const LIST_NAMES: &[&str] =
    &["vague", "escape", "open-ending", "quantifier", "weak", "placeholder", "absolute", "comparative", "unit"];

/// Phrases keyed by their first word, longest first.
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl Phrases {
    fn parse(text: &str) -> Phrases {
        let mut p = Phrases::default();
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
    pub synonyms: HashMap<String, String>,
}

static STANDARD: LazyLock<WordLists> = LazyLock::new(|| {
    let mut synonyms = HashMap::new();
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
    WordLists {
        vague: Phrases::parse(include_str!("../../../assets/lint/vague.txt")),
        escape: Phrases::parse(include_str!("../../../assets/lint/escape.txt")),
        open_ending: Phrases::parse(include_str!("../../../assets/lint/open_ending.txt")),
        quantifier: Phrases::parse(include_str!("../../../assets/lint/quantifiers.txt")),
        weak: Phrases::parse(include_str!("../../../assets/lint/weak.txt")),
        placeholder: Phrases::parse(include_str!("../../../assets/lint/placeholders.txt")),
        absolute: Phrases::parse(include_str!("../../../assets/lint/absolutes.txt")),
        comparative: Phrases::parse(include_str!("../../../assets/lint/comparatives.txt")),
        unit: Phrases::default(),
        synonyms,
    }
});

impl WordLists {
    /// The built-in lists, parsed on first use.
    pub fn standard() -> &'static WordLists {
        &STANDARD
    }

    /// Adds a word to the named list; unknown names are ignored.
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
