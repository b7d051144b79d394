//! Validation and cleaning of user text, shared by every front end.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Longest requirement title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest multi-line text field (statement, acceptance, rationale, notes), in characters. Requirements from
/// other tools run to 56,000 characters (specifications with tables), so this leaves room above them.
pub const MAX_TEXT_CHARS: usize = 100_000;
/// Longest short field (names, roles, tags), in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A value a user gave that elicit cannot accept; the message says what is wrong and what would be right,
/// and [`ValidationError::field`] says which field it is about (when it is about one), so nobody has to
/// recover the field from the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    field: Option<Field>,
    message: String,
}

impl ValidationError {
    /// A validation error about no field in particular (a key, a band, a format name).
    pub fn new(message: impl Into<String>) -> Self {
        Self { field: None, message: message.into() }
    }

    /// A validation error about `field`.
    pub fn about(field: Field, message: impl Into<String>) -> Self {
        Self { field: Some(field), message: message.into() }
    }

    /// The field the error is about, if it is about one.
    pub fn field(&self) -> Option<Field> {
        self.field
    }

    /// What is wrong, as the user reads it (the same text as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A requirement field a validation error can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    Statement,
    Acceptance,
    Rationale,
    Quote,
    ExternalRef,
    Tags,
}

impl Field {
    /// The field's name as files and problems name it (the CSV column, the backup's key).
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Statement => "statement",
            Field::Acceptance => "acceptance",
            Field::Rationale => "rationale",
            Field::Quote => "quote",
            Field::ExternalRef => "external_ref",
            Field::Tags => "tags",
        }
    }

    /// How messages speak of the field ("acceptance criteria is 100,001 characters long").
    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Statement => "statement",
            Field::Acceptance => "acceptance criteria",
            Field::Rationale => "rationale",
            Field::Quote => "quote",
            Field::ExternalRef => "external reference",
            Field::Tags => "tag",
        }
    }
}

/// What a text check is about: a requirement [`Field`], or a plain label (`"stage name"`) for a value
/// that is no requirement field. Either way the label starts the message.
pub trait Subject: Copy {
    /// The words that start the message.
    fn label(&self) -> &str;
    /// The field an error names, if any.
    fn field(&self) -> Option<Field>;
}

impl Subject for &str {
    fn label(&self) -> &str {
        self
    }
    fn field(&self) -> Option<Field> {
        None
    }
}

impl Subject for Field {
    fn label(&self) -> &str {
        Field::label(*self)
    }
    fn field(&self) -> Option<Field> {
        Some(*self)
    }
}

fn invalid(what: impl Subject, message: String) -> ValidationError {
    ValidationError { field: what.field(), message }
}

/// A project key: 2-8 upper-case ASCII letters, the prefix of human ids such as `CHK-7`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectKey(String);

impl ProjectKey {
    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ProjectKey {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (2..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase());
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(ValidationError::new(format!(
                "invalid project key {s:?}: use 2 to 8 upper-case letters A-Z, for example CHK"
            )))
        }
    }
}

impl TryFrom<String> for ProjectKey {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<ProjectKey> for String {
    fn from(key: ProjectKey) -> Self {
        key.0
    }
}

impl fmt::Display for ProjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// True for characters that must never reach a terminal or a stored field: control characters (escape
/// sequences start with one), the bidirectional overrides and isolates that can make text read in another
/// order than it is stored ("Trojan source"), and invisible zero-width characters that make two equal-looking
/// texts differ. The zero-width (non-)joiners are judged by [`filter_chars`], which keeps them only inside
/// non-ASCII words, where scripts such as Persian, Hindi and emoji sequences need them.
fn is_hidden(c: char) -> bool {
    match c {
        '\u{061C}'
        | '\u{200B}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => true,
        c => c.is_control(),
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// A character a joiner may stand beside: part of a non-ASCII word.
fn joins(c: Option<&char>) -> bool {
    c.is_some_and(|c| !c.is_ascii() && !c.is_whitespace() && !is_joiner(*c))
}

/// Maps every character of `text` through `keep` (which sees each character that is not a joiner),
/// dropping `None`s; a joiner is kept only between two kept non-ASCII, non-space characters. Neighbours are
/// judged on what is kept, so cleaning cleaned text changes nothing.
fn filter_chars(text: &str, mut keep: impl FnMut(char) -> Option<char>) -> String {
    let kept: Vec<char> = text.chars().filter_map(|c| if is_joiner(c) { Some(c) } else { keep(c) }).collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in kept.iter().enumerate() {
        if !is_joiner(*c) || (i > 0 && joins(kept.get(i - 1)) && joins(kept.get(i + 1))) {
            out.push(*c);
        }
    }
    out
}

/// Whether `text` holds anything [`is_hidden`] would drop (other than the `allowed` controls).
fn needs_cleaning(text: &str, allowed: &[char]) -> bool {
    // A fast scan first: most text is clean, and it counts when importing 100,000 rows.
    text.chars().any(|c| (c.is_control() && !allowed.contains(&c)) || (!c.is_ascii() && (is_hidden(c) || is_joiner(c))))
}

/// Cleans a one-line field: line breaks and tabs become spaces, other control characters (escape
/// sequences included), bidi controls and zero-width characters are dropped, and the ends are trimmed.
pub fn clean_line(text: &str) -> String {
    if !needs_cleaning(text, &[]) {
        return text.trim().to_owned();
    }
    filter_chars(text, |c| match c {
        '\n' | '\r' | '\t' => Some(' '),
        c if is_hidden(c) => None,
        c => Some(c),
    })
    .trim()
    .to_owned()
}

/// Cleans a multi-line field: keeps line breaks and tabs, normalises CRLF to LF, drops other control
/// characters, bidi controls and zero-width characters, and trims trailing whitespace.
pub fn clean_text(text: &str) -> String {
    if !needs_cleaning(text, &['\n', '\t']) {
        return text.trim_end().trim_start_matches('\n').to_owned();
    }
    let text = text.replace("\r\n", "\n");
    let kept = filter_chars(&text, |c| match c {
        '\n' | '\t' => Some(c),
        '\r' => Some('\n'),
        c if is_hidden(c) => None,
        c => Some(c),
    });
    kept.trim_end().trim_start_matches('\n').to_owned()
}

/// Makes text from the database safe to print on a terminal: no escape sequences, no control characters,
/// no bidi controls or zero-width characters (line breaks and tabs become spaces when `single_line`, and are
/// kept otherwise).
pub fn terminal_safe(text: &str, single_line: bool) -> String {
    filter_chars(text, |c| match c {
        '\n' | '\t' if single_line => Some(' '),
        '\n' | '\t' => Some(c),
        c if is_hidden(c) => None,
        c => Some(c),
    })
}

/// Guards a cell against formula injection in CSV and spreadsheets: text that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading apostrophe.
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(text) { std::borrow::Cow::Owned(format!("'{text}")) } else { std::borrow::Cow::Borrowed(text) }
}

/// True for text a spreadsheet would run as a formula: it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (OWASP's list).
pub fn formula_like(text: &str) -> bool {
    matches!(text.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// A cleaned, non-empty one-line value of at most `max` characters.
pub fn required_line(what: impl Subject, text: &str, max: usize) -> Result<String, ValidationError> {
    let cleaned = clean_line(text);
    if cleaned.is_empty() {
        return Err(invalid(what, format!("{} must not be empty", what.label())));
    }
    check_len(what, &cleaned, max)?;
    Ok(cleaned)
}

/// A cleaned, possibly empty one-line value of at most `max` characters.
pub fn optional_line(what: impl Subject, text: &str, max: usize) -> Result<String, ValidationError> {
    let cleaned = clean_line(text);
    check_len(what, &cleaned, max)?;
    Ok(cleaned)
}

/// A cleaned multi-line value of at most [`MAX_TEXT_CHARS`] characters.
pub fn long_text(what: impl Subject, text: &str) -> Result<String, ValidationError> {
    let cleaned = clean_text(text);
    check_len(what, &cleaned, MAX_TEXT_CHARS)?;
    Ok(cleaned)
}

/// A requirement title: non-empty, one line, at most [`MAX_TITLE_CHARS`] characters.
pub fn title(text: &str) -> Result<String, ValidationError> {
    required_line(Field::Title, text, MAX_TITLE_CHARS)
}

/// A title and a statement for one spoken line: a line that fits is the title alone; a longer one (people
/// talk in long sentences) keeps every word as the statement, under a title made of its first sentence when
/// that fits, else its words up to the limit, cut at a word and marked with "…".
pub fn title_and_statement(line: &str) -> (String, String) {
    let line = clean_line(line);
    if line.chars().count() <= MAX_TITLE_CHARS {
        return (line, String::new());
    }
    let first_sentence = line
        .match_indices(['.', '!', '?'])
        .map(|(i, _)| &line[..=i])
        .take_while(|s| s.chars().count() <= MAX_TITLE_CHARS)
        .filter(|s| line[s.len()..].starts_with(' '))
        .last();
    if let Some(sentence) = first_sentence.filter(|s| s.chars().count() >= 20) {
        return (sentence.trim().to_owned(), line);
    }
    // Room for the "…" that says the title is cut.
    let room: String = line.chars().take(MAX_TITLE_CHARS - 1).collect();
    let cut = match room.rfind(char::is_whitespace) {
        Some(at) if at > room.len() / 2 => &room[..at],
        _ => room.as_str(),
    };
    (format!("{}…", cut.trim_end()), line)
}

/// A tag: one word-like token, lower-cased; spaces become dashes.
pub fn tag(text: &str) -> Result<String, ValidationError> {
    let cleaned = clean_line(text).to_lowercase().split_whitespace().collect::<Vec<_>>().join("-");
    if cleaned.is_empty() {
        return Err(ValidationError::about(Field::Tags, "a tag must not be empty"));
    }
    check_len(Field::Tags, &cleaned, 60)?;
    Ok(cleaned)
}

/// A requirements-share band: `0 <= min <= max <= 1`.
pub fn band(min: f64, max: f64) -> Result<(f64, f64), ValidationError> {
    let valid = |v: f64| v.is_finite() && (0.0..=1.0).contains(&v);
    if !valid(min) || !valid(max) || min > max {
        return Err(ValidationError::new(format!(
            "invalid target band {min}..{max}: give fractions between 0 and 1 with min <= max, e.g. 0.25 and 0.40"
        )));
    }
    Ok((min, max))
}

/// Planned hours: positive and finite.
pub fn planned_hours(hours: f64) -> Result<f64, ValidationError> {
    if !hours.is_finite() || hours <= 0.0 {
        return Err(ValidationError::new(format!("planned hours must be a positive number, not {hours}")));
    }
    Ok(hours)
}

fn check_len(what: impl Subject, text: &str, max: usize) -> Result<(), ValidationError> {
    let n = text.chars().count();
    if n > max {
        return Err(invalid(what, format!("{} is {n} characters long; the limit is {max}", what.label())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_keys() {
        assert!("CHK".parse::<ProjectKey>().is_ok());
        assert!("ABCDEFGH".parse::<ProjectKey>().is_ok());
        for bad in ["C", "chk", "ABCDEFGHI", "CH1", "", "CHÉ"] {
            let err = bad.parse::<ProjectKey>().err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains("2 to 8 upper-case letters"), "{bad}: {err}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(title("  Refund  in\tone step \n").ok().as_deref(), Some("Refund  in one step"));
        assert!(title("   ").is_err());
        assert!(title(&"x".repeat(200)).is_ok());
        let err = title(&"x".repeat(201)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("201") && err.contains("200"), "{err}");
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(clean_line("a\u{1b}[31mred\u{7}"), "a[31mred");
        assert_eq!(clean_text("one\r\ntwo\u{1b}\n\n"), "one\ntwo");
        assert_eq!(terminal_safe("x\u{1b}]0;evil\u{7}\ny", true), "x]0;evil y");
        assert!(long_text("statement", &"y".repeat(56_000)).is_ok());
        assert!(long_text("statement", &"y".repeat(100_001)).is_err());
    }

    #[test]
    fn bidi_controls_and_zero_width_characters_are_removed() {
        // "Trojan source": an override makes the stored text read differently on screen.
        assert_eq!(clean_line("pay \u{202E}01$\u{202C} now"), "pay 01$ now");
        assert_eq!(clean_text("a\u{2066}b\u{2069}\nc\u{200B}d\u{FEFF}"), "ab\ncd");
        assert_eq!(terminal_safe("SHOP\u{200D}-1\u{200F}", true), "SHOP-1");
        assert_eq!(clean_line("\u{061C}x\u{2060}"), "x");
        // A joiner between two non-ASCII characters is part of the text (emoji, Persian, Hindi).
        assert_eq!(clean_line("👩\u{200D}💻"), "👩\u{200D}💻");
        assert_eq!(clean_line("می\u{200C}خواهم"), "می\u{200C}خواهم");
        assert_eq!(clean_line("Café in Zürich"), "Café in Zürich");
        // Judged on what is kept, so a second cleaning changes nothing.
        for text in ["é\u{200D}\u{200B}a", "é\u{200D}\u{200D}é", "\u{3000}\u{200D}é", "é\u{200D}"] {
            let once = clean_line(text);
            assert_eq!(clean_line(&once), once, "{text:?}");
            assert!(!once.contains('\u{200D}'), "{text:?} -> {once:?}");
        }
    }

    #[test]
    fn formulas_are_defused_for_spreadsheets() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("Refund in 3 days"), "Refund in 3 days");
    }

    #[test]
    fn a_long_spoken_line_keeps_every_word_under_a_short_title() {
        assert_eq!(title_and_statement(" Refund in one step "), ("Refund in one step".into(), String::new()));
        let long = format!("Customers want the refund on the card they paid with. {}", "And more words ".repeat(20));
        let (title, statement) = title_and_statement(&long);
        assert_eq!(title, "Customers want the refund on the card they paid with.");
        assert_eq!(statement, clean_line(&long));
        let run_on = "word ".repeat(80);
        let (title, statement) = title_and_statement(&run_on);
        assert!(title.ends_with("word…") && title.chars().count() <= MAX_TITLE_CHARS, "{title}");
        assert_eq!(statement, run_on.trim());
        let one_word = "x".repeat(300);
        let (title, _) = title_and_statement(&one_word);
        assert_eq!(title.chars().count(), MAX_TITLE_CHARS);
        assert!(self::title(&title).is_ok());
    }

    /// The field travels with the error, and the message reads as it always did.
    #[test]
    fn errors_name_their_field() {
        let e = long_text(Field::Acceptance, &"y".repeat(MAX_TEXT_CHARS + 1)).unwrap_err();
        assert_eq!(e.field(), Some(Field::Acceptance));
        assert_eq!(e.to_string(), "acceptance criteria is 100001 characters long; the limit is 100000");
        assert_eq!(title(" ").unwrap_err().field(), Some(Field::Title));
        assert_eq!(tag(" ").unwrap_err().field(), Some(Field::Tags));
        assert_eq!(tag(&"x".repeat(61)).unwrap_err().field(), Some(Field::Tags));
        let e = required_line("stage name", "", MAX_NAME_CHARS).unwrap_err();
        assert_eq!((e.field(), e.message()), (None, "stage name must not be empty"));
        assert_eq!(band(0.5, 0.4).unwrap_err().field(), None);
    }

    #[test]
    fn bands_and_tags() {
        assert!(band(0.25, 0.4).is_ok());
        assert!(band(0.5, 0.4).is_err());
        assert!(band(-0.1, 0.4).is_err());
        assert_eq!(tag(" Quick Win ").ok().as_deref(), Some("quick-win"));
    }
}
