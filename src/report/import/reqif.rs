//! ReqIF import: the spec-objects of any ReqIF 1.x file (or of every `.reqif` in a `.reqifz` archive)
//! become requirements, placed in the journey stage of the chapter heading above them.
//!
//! Which attribute fills which field is chosen per spec-object type (see `mapping`): the ReqIF
//! Implementation Guide's names, then common tool names, then the richest text attribute, and `--map`
//! over all of these; the summary says what was mapped to what. Attributes no rule maps are kept as
//! `Name: value` lines at the end of the rationale (multi-line values indented by two spaces), so the
//! analyst sees them; nothing is left out without a word.
//!
//! An object is a chapter heading when its type is plainly a heading type ("Heading", "Section", ...) or
//! when it has a heading (`ReqIF.ChapterName`, "Object Heading") but no text of its own: Polarion and
//! Simulink give every requirement a `ReqIF.ChapterName` too, and those are requirements (the chapter name
//! is then their title). A heading's text becomes the description of the stage `--create-missing` makes
//! of it. Title, in order: the title attribute, the heading, the object's LONG-NAME, the first line of the
//! statement; a title that is cut to one line of 200 characters keeps its full text in the statement (when
//! there is none) or the rationale.
//!
//! Files elicit wrote also carry `elicit.*` attributes for every other field and our UUIDs as identifiers,
//! so they round-trip; a requirement whose UUID is already in the database is left as it is. Relations
//! between objects are counted and reported, not imported (elicit has no links yet).

mod archive;
mod document;
mod listing;
mod mapping;
mod xhtml;

use std::collections::{BTreeMap, HashMap};

use super::model::{ImportOptions, Parsed, PendingRequirement, Problem, file_problem, utf8};
use crate::domain::*;
use crate::report::ReportError;
use document::{Document, SpecObject, Value};
use listing::{LISTED, Listing};
use mapping::{Field, Mapping, Override};

/// Reads a ReqIF file, or a `.reqifz` archive (recognised by its zip signature, whatever its name), into
/// pending requirements. `map` holds the `--map ATTRIBUTE=FIELD` pairs.
pub(super) fn read(bytes: &[u8], options: &ImportOptions<'_>, map: &[(String, String)]) -> Result<Parsed, ReportError> {
    let file = options.file_label.as_str();
    let mut overrides = mapping::overrides(map).map_err(|m| file_problem(file, "--map", m))?;
    let mut names: Vec<String> = Vec::new();
    let parsed = if bytes.starts_with(b"PK\x03\x04") {
        archive::read(bytes, file, |text, label| read_document(text, label, options, &mut overrides, &mut names))?
    } else {
        read_document(utf8(bytes, file)?, file, options, &mut overrides, &mut names)?
    };
    if let Some(unused) = overrides.iter().find(|o| !o.used) {
        names.sort();
        names.dedup();
        let shown = match names.len() {
            0 => "none".to_owned(),
            n if n > 40 => format!("{} and {} more", names[..40].join(", "), n - 40),
            _ => names.join(", "),
        };
        return Err(file_problem(
            file,
            "--map",
            format!(
                "no attribute of the file has the LONG-NAME or IDENTIFIER {:?}; its attributes: {shown}",
                unused.attribute
            ),
        ));
    }
    Ok(parsed)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What one spec-object holds, by field.
#[derive(Debug, Default)]
struct Gathered {
    title: String,
    /// The attribute the title came from, for the note when it is cut.
    title_from: String,
    statement: String,
    heading: String,
    heading_from: String,
    foreign_id: String,
    prefix: String,
    rationale: String,
    /// `Name: value` lines of the attributes no rule maps, each with whether it is text an analyst wrote.
    notes: Vec<(String, bool)>,
    /// Some note holds text an analyst wrote (not bookkeeping such as who changed it when).
    has_text_note: bool,
    /// Problems with elicit's own attributes: (field, message).
    problems: Vec<(String, String)>,
}

/// Values of an attribute that do not fit the field it maps to (kept as notes instead).
struct Unmatched {
    attribute: String,
    field: &'static str,
    /// The first few distinct values.
    values: Vec<String>,
    objects: usize,
}

fn paragraph(into: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if !into.is_empty() {
        into.push_str("\n\n");
    }
    into.push_str(text);
}

/// `text` without white space at either end, in place.
fn trimmed(mut text: String) -> String {
    let end = text.trim_end().len();
    text.truncate(end);
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
    text
}

fn flag(text: &str) -> bool {
    matches!(text.trim().to_ascii_lowercase().as_str(), "true" | "yes" | "1")
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// One line of at most [`MAX_TITLE_CHARS`] from the first line of `text` (no-break spaces as spaces), and
/// whether that left text out.
fn one_line(text: &str) -> (String, bool) {
    let mut all = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = all.next().unwrap_or_default();
    let first = if first.contains('\u{a0}') { clean_line(&first.replace('\u{a0}', " ")) } else { clean_line(first) };
    let more = all.next().is_some();
    if first.chars().count() <= MAX_TITLE_CHARS {
        return (first, more);
    }
    let mut cut: String = first.chars().take(MAX_TITLE_CHARS - 1).collect();
    cut.push('…');
    (cut, true)
}

/// Collects the values of `o` by the field each maps to.
fn gather(
    o: &mut SpecObject,
    doc: &Document,
    mapping: &Mapping,
    row: &mut PendingRequirement,
    unmatched: &mut Vec<Unmatched>,
) -> Gathered {
    let mut g = Gathered::default();
    for v in std::mem::take(&mut o.values) {
        let def = &doc.definitions[v.definition];
        let name = def.name();
        let text = match v.value {
            Value::Text(t) if doc.ours => t,
            Value::Text(t) => trimmed(t),
            Value::Enumeration(refs) => refs
                .iter()
                .map(|r| doc.enum_values.get(r).map_or(r.as_str(), String::as_str))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let field = mapping.field(v.definition);
        if text.is_empty() && !matches!(field, Field::PainPoint | Field::MomentOfTruth) {
            continue;
        }
        let note = |g: &mut Gathered, text: &str| {
            let written = def.kind.is_text() && !mapping::is_bookkeeping(name);
            g.notes.push((format!("{name}: {}", text.replace('\n', "\n  ")), written));
            g.has_text_note |= written;
        };
        let mut choice = |g: &mut Gathered, label: &'static str, parsed: bool| {
            if parsed {
                return;
            }
            if doc.ours {
                let e = match label {
                    "kind" => text.parse::<crate::domain::Kind>().err(),
                    "priority" => text.parse::<Priority>().err(),
                    _ => text.parse::<Status>().err(),
                };
                g.problems.push((name.to_owned(), e.map(|e| e.to_string()).unwrap_or_default()));
                return;
            }
            note(g, &text);
            match unmatched.iter_mut().find(|u| u.attribute == name && u.field == label) {
                Some(u) => {
                    u.objects += 1;
                    if u.values.len() <= LISTED && !u.values.contains(&text) {
                        u.values.push(text.clone());
                    }
                }
                None => unmatched.push(Unmatched {
                    attribute: name.to_owned(),
                    field: label,
                    values: vec![text.clone()],
                    objects: 1,
                }),
            }
        };
        match field {
            Field::Title if g.title.is_empty() => (g.title, g.title_from) = (text, name.to_owned()),
            Field::Heading if g.heading.is_empty() => (g.heading, g.heading_from) = (text, name.to_owned()),
            Field::ForeignId if g.foreign_id.is_empty() => g.foreign_id = text,
            Field::Prefix if g.prefix.is_empty() => g.prefix = text,
            Field::Title | Field::Heading | Field::ForeignId | Field::Prefix | Field::Note => note(&mut g, &text),
            Field::Statement => paragraph(&mut g.statement, &text),
            Field::Rationale => paragraph(&mut g.rationale, &text),
            Field::Acceptance => paragraph(&mut row.new.acceptance, &text),
            Field::Quote => paragraph(&mut row.new.quote, &text),
            Field::Tags if doc.ours => row.new.tags.extend(lines(&text)),
            Field::Tags => row
                .new
                .tags
                .extend(text.split([',', ';', '\n']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)),
            Field::Kind => {
                let parsed = text.parse().map(|k| row.new.kind = k).is_ok();
                choice(&mut g, "kind", parsed);
            }
            Field::Priority => {
                let parsed = text.parse().map(|p| row.new.priority = p).is_ok();
                choice(&mut g, "priority", parsed);
            }
            Field::Status => {
                let parsed = text.parse().map(|s| row.new.status = s).is_ok();
                choice(&mut g, "status", parsed);
            }
            Field::Channel => match text.parse() {
                Ok(c) => row.new.channel = Some(c),
                Err(e) => g.problems.push((name.to_owned(), format!("{e}"))),
            },
            Field::Outcomes => row.outcomes = lines(&text),
            Field::Sources => row.sources = lines(&text),
            Field::Interview => row.interview = Some(text),
            Field::PainPoint => row.new.pain_point = flag(&text),
            Field::MomentOfTruth => row.new.moment_of_truth = flag(&text),
            Field::ExternalRef => row.new.external_ref = text,
            Field::Ignore => {}
        }
    }
    g
}

/// A chapter heading: its name (the stage of the requirements below it) and its text.
struct Heading {
    name: String,
    text: String,
}

/// Reads one ReqIF document.
fn read_document(
    text: &str,
    file: &str,
    options: &ImportOptions<'_>,
    overrides: &mut [Override],
    names: &mut Vec<String>,
) -> Result<Parsed, ReportError> {
    if text.trim().is_empty() {
        return Err(ReportError::Problems(vec![Problem {
            file: file.to_owned(),
            line: Some(1),
            field: "file".into(),
            message: "the file is empty; expected a ReqIF document".into(),
        }]));
    }
    let mut doc = document::parse(text, file)?;
    let mut parsed = Parsed::default();
    if let Some((id, line, parent)) = doc.first_misplaced.take() {
        let others = match doc.misplaced - 1 {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        let message = format!(
            "spec-object {id}{others} is inside <{parent}>, not <SPEC-OBJECTS>: the file does not follow the ReqIF \
             schema, so its objects cannot be read"
        );
        if doc.objects.is_empty() {
            return Err(ReportError::Problems(vec![Problem {
                file: file.to_owned(),
                line: Some(line),
                field: "xml".into(),
                message,
            }]));
        }
        parsed.notes.push(format!("not imported: {message} (line {line})"));
    }
    names.extend(doc.definitions.iter().map(|d| d.name().to_owned()));
    let mapping = Mapping::resolve(&doc, overrides);
    let total = doc.objects.len();
    if total == 0 {
        parsed.notes.push("the file holds no SPEC-OBJECTs: there is nothing to import".into());
    } else {
        parsed.notes.splice(0..0, mapping.summary());
    }

    // Each object once: a heading, a requirement, or an object without text.
    let mut objects = std::mem::take(&mut doc.objects);
    let mut headings: BTreeMap<usize, Heading> = BTreeMap::new();
    let mut requirements: Vec<Option<(PendingRequirement, Gathered)>> = Vec::with_capacity(total);
    let mut empty = Listing::default();
    // What the objects without text do hold (metadata such as an Author, numbers), to name it.
    let mut metadata_only: Vec<String> = Vec::new();
    let mut unmatched: Vec<Unmatched> = Vec::new();
    for (i, o) in objects.iter_mut().enumerate() {
        if i % 4096 == 0 {
            options.tick(i as u64, total as u64);
        }
        let mut row = PendingRequirement { line: Some(o.line), ..PendingRequirement::default() };
        let g = gather(o, &doc, &mapping, &mut row, &mut unmatched);
        let type_name = doc.types.get(&o.type_ref).map_or(o.type_ref.as_str(), String::as_str);
        let heading_type = !o.type_ref.is_empty() && mapping::is_heading_type(type_name);
        if heading_type || (!g.heading.is_empty() && g.statement.is_empty()) {
            let name = [&g.heading, &g.title, &o.long_name].into_iter().find(|t| !t.trim().is_empty());
            if let Some(name) = name {
                // Notes someone wrote on a heading stay with it; bookkeeping does not belong in a stage.
                let mut text = g.statement;
                let written: Vec<&str> = g.notes.iter().filter(|(_, w)| *w).map(|(n, _)| n.as_str()).collect();
                paragraph(&mut text, &written.join("\n"));
                headings.insert(i, Heading { name: one_line(name).0, text });
                requirements.push(None);
                continue;
            }
        }
        if g.title.is_empty() && g.heading.is_empty() && g.statement.is_empty() && !g.has_text_note {
            empty.push(if o.identifier.is_empty() { format!("line {}", o.line) } else { o.identifier.clone() });
            for (note, _) in &g.notes {
                let name = note.split_once(": ").map_or(note.as_str(), |(name, _)| name);
                if !metadata_only.iter().any(|n| n == name) {
                    metadata_only.push(name.to_owned());
                }
            }
            requirements.push(None);
            continue;
        }
        requirements.push(Some((row, g)));
    }

    // The specification tree: document order, and the nearest heading above each node.
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(total);
    for (i, o) in objects.iter().enumerate() {
        index.entry(o.identifier.as_str()).or_insert(i);
    }
    let mut above: Vec<Option<usize>> = Vec::with_capacity(doc.placements.len());
    let mut order: Vec<usize> = Vec::with_capacity(total);
    let mut chapter: Vec<Option<usize>> = vec![None; total];
    let mut placed = vec![false; total];
    let mut dangling = 0usize;
    for p in &doc.placements {
        let parent_heading = p.parent.and_then(|parent| {
            let object = index.get(doc.placements[parent].object.as_str()).copied();
            match object {
                Some(o) if headings.contains_key(&o) => Some(o),
                _ => above[parent],
            }
        });
        above.push(parent_heading);
        match index.get(p.object.as_str()) {
            Some(&o) if !placed[o] => {
                placed[o] = true;
                chapter[o] = parent_heading;
                order.push(o);
            }
            Some(_) => {}
            None => dangling += 1,
        }
    }
    // Requirements (not headings or empty objects) no specification places.
    let requirements_in_all = requirements.iter().filter(|r| r.is_some()).count();
    let unplaced = (0..total).filter(|o| !placed[*o] && requirements[*o].is_some()).count();
    order.extend((0..total).filter(|o| !placed[*o]));

    let mut heading_texts = 0;
    let mut long_texts = Listing::default();
    for (o, h) in &headings {
        if h.text.chars().count() > MAX_TEXT_CHARS {
            long_texts.push(objects[*o].identifier.clone());
        } else if !h.text.trim().is_empty() {
            heading_texts += 1;
            parsed.stage_descriptions.push((h.name.clone(), h.text.clone()));
        }
    }
    let mut repeated = Listing::default();
    for o in order {
        let Some((mut row, g)) = requirements[o].take() else { continue };
        let object = &objects[o];
        build(&mut row, g, object, &doc, &mut parsed.problems, file);
        row.stage = chapter[o].and_then(|h| headings.get(&h)).map(|h| h.name.clone());
        let first = index.get(object.identifier.as_str()).copied().unwrap_or(o);
        if first != o && !object.identifier.is_empty() {
            if doc.ours {
                // Our identifiers are the requirements' UUIDs: a second object with one cannot be imported.
                let label = row.label.clone().unwrap_or_default();
                parsed.problems.push(Problem {
                    file: file.into(),
                    line: Some(object.line),
                    field: "IDENTIFIER".into(),
                    message: format!(
                        "{label}: an earlier spec-object (line {}) has the same IDENTIFIER",
                        objects[first].line
                    ),
                });
                row.invalid = true;
            } else {
                repeated.push(object.identifier.clone());
            }
        }
        parsed.rows.push(row);
    }
    if !repeated.is_empty() {
        parsed.notes.push(format!(
            "{} repeat the IDENTIFIER of an earlier one (imported, but the specification places only the first): {}",
            plural(repeated.len(), "spec-object", "spec-objects"),
            repeated
        ));
    }

    // What the summary says about the file beyond the mapping.
    let notes = &mut parsed.notes;
    for u in &unmatched {
        let more = if u.values.len() > LISTED { ", ..." } else { "" };
        let values = u.values.iter().take(LISTED).cloned().collect::<Vec<_>>().join(", ");
        notes.push(format!(
            "{} of {} are not elicit {} values ({values}{more}), kept in the rationale",
            plural(u.objects, "value", "values"),
            u.attribute,
            u.field
        ));
    }
    if !doc.ours && !headings.is_empty() {
        notes.push(format!(
            "{} not imported as requirements; each names the stage of the requirements below it",
            plural(headings.len(), "chapter heading", "chapter headings")
        ));
    }
    if heading_texts > 0 && !options.create_missing {
        notes.push(format!(
            "the text of {} becomes the stage's description when --create-missing makes the chapter a stage",
            plural(heading_texts, "chapter heading", "chapter headings")
        ));
    }
    if !long_texts.is_empty() {
        notes.push(format!(
            "the text of {} is longer than a stage description can be ({MAX_TEXT_CHARS} characters) and is not kept: {}",
            plural(long_texts.len(), "chapter heading", "chapter headings"),
            long_texts
        ));
    }
    if !empty.is_empty() {
        let verb = if empty.len() == 1 { "holds no text" } else { "hold no text" };
        let held =
            if metadata_only.is_empty() { String::new() } else { format!(" (only {})", metadata_only.join(", ")) };
        let verb = if empty.len() == 1 { format!("{verb}{held} and is") } else { format!("{verb}{held} and are") };
        notes.push(format!("{} {verb} not imported: {}", plural(empty.len(), "spec-object", "spec-objects"), empty));
    }
    let why = if doc.specifications == 0 { "the file has no SPECIFICATION" } else { "no SPECIFICATION places it" };
    match (unplaced, requirements_in_all) {
        (0, _) => {}
        (1, 1) => notes.push(format!("the spec-object is in no specification ({why}): imported without a chapter")),
        (u, n) if u == n => notes.push(format!(
            "none of the {n} spec-objects is in a specification ({}): all are imported in file order, without chapters",
            if doc.specifications == 0 { "the file has no SPECIFICATION" } else { "no SPECIFICATION places them" }
        )),
        (u, n) => notes.push(format!(
            "{u} of {n} spec-objects are in no specification: imported after the others, in file order, without chapters"
        )),
    }
    if dangling > 0 {
        notes.push(format!(
            "{} of the specification name spec-objects the file does not hold",
            plural(dangling, "entry", "entries")
        ));
    }
    if doc.relations > 0 {
        notes.push(format!(
            "{} (links between objects) not imported: elicit has no links between requirements yet",
            plural(doc.relations, "SPEC-RELATION", "SPEC-RELATIONs")
        ));
    }
    options.tick(total as u64, total as u64);
    Ok(parsed)
}

/// Fills the rest of `row` from what its object holds: title, statement, external reference, rationale.
fn build(
    row: &mut PendingRequirement,
    g: Gathered,
    o: &SpecObject,
    doc: &Document,
    problems: &mut Vec<Problem>,
    file: &str,
) {
    let mut statement = g.statement;
    let mut rationale = g.rationale;
    let mut notes: Vec<String> = g.notes.into_iter().map(|(n, _)| n).collect();
    // The best title there is; text a one-line title cannot hold stays in the statement or the rationale.
    let sources = [(&g.title, g.title_from.as_str()), (&g.heading, g.heading_from.as_str()), (&o.long_name, "")];
    match sources.into_iter().find(|(t, _)| !t.trim().is_empty()) {
        Some((text, from)) => {
            let (title, cut) = one_line(text);
            row.new.title = title;
            if cut && !from.is_empty() {
                if statement.is_empty() {
                    statement = text.clone();
                } else {
                    notes.insert(0, format!("{from}: {}", text.replace('\n', "\n  ")));
                }
            }
        }
        None => {
            let first = if statement.trim().is_empty() { notes.first().map_or("", String::as_str) } else { &statement };
            row.new.title = one_line(first).0;
        }
    }
    row.new.statement = statement;
    if !notes.is_empty() {
        paragraph(&mut rationale, &notes.join("\n"));
    }
    row.new.rationale = rationale;
    if doc.ours {
        row.uuid = o.identifier.strip_prefix('_').and_then(|u| u.parse().ok());
    } else if !g.foreign_id.is_empty() {
        row.new.external_ref = if g.prefix.is_empty() || g.foreign_id.starts_with(&g.prefix) {
            g.foreign_id.clone()
        } else {
            format!("{}{}", g.prefix, g.foreign_id)
        };
    }
    let mut label =
        format!("spec-object {}", if o.identifier.is_empty() { "without IDENTIFIER" } else { &o.identifier });
    if !g.foreign_id.is_empty() && g.foreign_id != o.identifier {
        label.push_str(&format!(" ({})", g.foreign_id));
    }
    for (field, message) in g.problems {
        problems.push(Problem { file: file.into(), line: Some(o.line), field, message: format!("{label}: {message}") });
        row.invalid = true;
    }
    row.label = Some(label);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_line_and_say_when_they_were_cut() {
        assert_eq!(one_line("  Refund\nmore"), ("Refund".to_owned(), true));
        assert_eq!(one_line("Within\u{a0}3 days"), ("Within 3 days".to_owned(), false));
        let (title, cut) = one_line(&"word ".repeat(100));
        assert!(cut && title.chars().count() == MAX_TITLE_CHARS && title.ends_with('…'), "{title}");
    }

    #[test]
    fn listings_stop_after_a_few() {
        let mut items = Listing::default();
        (1..=7).for_each(|i| items.push(i.to_string()));
        assert_eq!(items.to_string(), "1, 2, 3, 4, 5 and 2 more");
    }
}
