//! Hand tokenising: words, numbers and symbols with their character offsets.
//!
//! Every rule works on these tokens, so a span is always in characters (what an editor counts), never in
//! bytes. One pass over the text, one small string per word; no regex.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, with digits, inner hyphens and apostrophes ("user-friendly", "SHOP-16", "can't").
    Word,
    /// Starts with a digit: "2", "2.5", "1,000", "9:30", "10ms" (letters straight after the digits are kept).
    Number,
    /// One character of punctuation or a symbol.
    Symbol,
}

/// One token of a text.
#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Kind,
    /// The token in lower case (words) or as written (numbers, symbols).
    pub lower: String,
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset just past the last character.
    pub end: usize,
    /// The first character is upper case.
    pub capital: bool,
    /// Every letter is upper case and there are at least two ("TBD", "ETCS").
    pub all_caps: bool,
    /// An upper-case letter after the first character ("prEN", "iPhone", "McAfee"): a name.
    pub inner_capital: bool,
    /// Whitespace comes right before this token (or it starts the text).
    pub space_before: bool,
}

impl Token {
    /// A word equal to `w` (lower case).
    pub fn is(&self, w: &str) -> bool {
        self.lower == w
    }

    /// A word.
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    /// A symbol that ends a sentence.
    pub fn ends_sentence(&self) -> bool {
        self.kind == Kind::Symbol && matches!(self.lower.as_str(), "." | "!" | "?" | ";")
    }

    /// A symbol that ends a clause (a sentence end, a comma, a colon, a bracket or a dash).
    pub fn ends_clause(&self) -> bool {
        self.kind == Kind::Symbol
            && matches!(self.lower.as_str(), "." | "!" | "?" | ";" | "," | ":" | "(" | ")" | "–" | "—")
    }
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::with_capacity(chars.len() / 5 + 1);
    let mut i = 0;
    let mut space_before = true;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            space_before = true;
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if c.is_ascii_digit() {
            kind = Kind::Number;
            i += 1;
            while i < chars.len() {
                let d = chars[i];
                let next_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if d.is_ascii_digit() || d.is_alphabetic() || ((d == '.' || d == ',' || d == ':') && next_digit) {
                    i += 1;
                } else {
                    break;
                }
            }
        } else if word_char(c) {
            kind = Kind::Word;
            i += 1;
            while i < chars.len() {
                let d = chars[i];
                let joins = (d == '-' || d == '\'' || d == '’')
                    && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
                    && chars[i - 1].is_alphanumeric();
                if word_char(d) || joins {
                    i += 1;
                } else {
                    break;
                }
            }
        } else {
            kind = Kind::Symbol;
            i += 1;
        }
        let raw = &chars[start..i];
        let capital = raw[0].is_uppercase();
        let (mut letters, mut upper) = (0, 0);
        let mut lower = String::with_capacity(raw.len());
        for &c in raw {
            if c.is_alphabetic() {
                letters += 1;
                if c.is_uppercase() {
                    upper += 1;
                }
            }
            if kind != Kind::Word {
                lower.push(c);
            } else if c == '’' {
                lower.push('\'');
            } else if c.is_ascii() {
                lower.push(c.to_ascii_lowercase());
            } else {
                lower.extend(c.to_lowercase());
            }
        }
        let all_caps = letters >= 2 && upper == letters;
        let inner_capital = upper > usize::from(capital);
        tokens.push(Token { kind, lower, start, end: i, capital, all_caps, inner_capital, space_before });
        space_before = false;
    }
    tokens
}

/// The text of characters `start..end` of `text`.
pub fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

/// Light suffix stripping for matching words of one family ("orders", "ordered", "storing", "stores" ->
/// "order", "order", "stor", "stor"). Not a linguist's stemmer: it only has to send the forms of one word to
/// one key, for duplicate detection.
pub fn stem(word: &str) -> String {
    if word.chars().count() <= 3 || !word.is_ascii() {
        return word.to_owned();
    }
    let mut w = word.to_owned();
    if let Some(base) = w.strip_suffix("ies") {
        w = format!("{base}y");
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(w.len() - 1);
    }
    for suffix in ["ing", "ed", "ly"] {
        if w.len() >= suffix.len() + 4 && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            break;
        }
    }
    if w.len() > 4 && w.ends_with('e') {
        w.truncate(w.len() - 1);
    }
    if w.ends_with('y') && w.len() > 4 {
        w.truncate(w.len() - 1);
        w.push('i');
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_characters() {
        let t = tokenize("Café: £5 “fast”");
        let words: Vec<(&str, usize, usize)> = t.iter().map(|t| (t.lower.as_str(), t.start, t.end)).collect();
        assert_eq!(words[0], ("café", 0, 4));
        assert_eq!(words[2], ("£", 6, 7));
        assert_eq!(words[3], ("5", 7, 8));
        assert_eq!(words[5], ("fast", 10, 14));
    }

    #[test]
    fn words_keep_hyphens_and_numbers_their_decimals() {
        let t = tokenize("user-friendly SHOP-16 within 2.5s and/or 1,000");
        let l: Vec<&str> = t.iter().map(|t| t.lower.as_str()).collect();
        assert_eq!(l, ["user-friendly", "shop-16", "within", "2.5s", "and", "/", "or", "1,000"]);
        assert!(t[1].all_caps);
    }

    #[test]
    fn stems_join_word_families() {
        assert_eq!(stem("orders"), stem("order"));
        assert_eq!(stem("stored"), stem("stores"));
        assert_eq!(stem("storing"), stem("store"));
        assert_eq!(stem("deliveries"), stem("delivery"));
        assert_eq!(stem("ordered"), "order");
        assert_eq!(stem("address"), "address");
    }
}
