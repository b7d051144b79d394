//! ReqIF import: reads spec-objects and the specification hierarchy of any ReqIF 1.x file.
//!
//! Mapping: `ReqIF.Name` is the title (else the first line of `ReqIF.Text`, else the object's long name or
//! foreign id); `ReqIF.Text` the statement; `ReqIF.ForeignID` the external reference. Objects with a
//! `ReqIF.ChapterName` are headings: they are not imported, and the requirements below them are placed in
//! the journey stage of that name. Files elicit wrote also carry `elicit.*` attributes for every other field
//! and our UUIDs as identifiers, so they round-trip; a requirement whose UUID is already in the file is
//! left as it is. XHTML values become plain text with line breaks.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::ReportError;
use super::import::{ImportOptions, Parsed, PendingRequirement, Problem};
use crate::domain::*;

/// One attribute value of a spec-object.
#[derive(Debug, Clone)]
enum AttrValue {
    Text(String),
    Enum(Vec<String>),
}

#[derive(Debug, Default)]
struct SpecObject {
    identifier: String,
    long_name: String,
    line: u64,
    values: Vec<(String, AttrValue)>,
}

/// What the streaming pass collects.
#[derive(Debug, Default)]
struct Document {
    /// attribute-definition identifier -> long name
    definitions: HashMap<String, String>,
    /// enum-value identifier -> long name
    enum_values: HashMap<String, String>,
    objects: Vec<SpecObject>,
    /// (spec-object ref, ref of the nearest heading ancestor's object) in document order.
    hierarchy: Vec<(String, Vec<String>)>,
    saw_root: bool,
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

fn line_of(text: &str, offset: u64) -> u64 {
    let end = (offset as usize).min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// Parses the XML into a [`Document`]; malformed XML is one problem with its line.
fn parse(text: &str, file: &str) -> Result<Document, ReportError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut doc = Document::default();
    let mut stack: Vec<String> = Vec::new();
    let mut object: Option<SpecObject> = None;
    // The attribute value being read: (definition ref, text, enum refs, kind is xhtml)
    let mut value: Option<(String, String, Vec<String>, bool)> = None;
    let mut in_the_value = 0usize;
    let mut hierarchy_objects: Vec<Option<String>> = Vec::new();
    let mut buffer_text = String::new();
    let fail = |reader: &Reader<&[u8]>, message: String| {
        ReportError::Problems(vec![Problem {
            file: file.to_owned(),
            line: Some(line_of(text, reader.error_position().max(reader.buffer_position().saturating_sub(1)))),
            field: "xml".into(),
            message,
        }])
    };
    loop {
        let event = reader.read_event().map_err(|e| fail(&reader, format!("malformed XML: {e}")))?;
        let (event, is_empty) = match event {
            Event::Empty(e) => (Event::Start(e), true),
            other => (other, false),
        };
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_owned();
                if stack.is_empty() {
                    if name != "REQ-IF" {
                        return Err(fail(
                            &reader,
                            format!("not a ReqIF file: the root element is <{name}>, not <REQ-IF>"),
                        ));
                    }
                    doc.saw_root = true;
                }
                if in_the_value > 0 {
                    // A line break, or a new block after some text, starts a new line.
                    let block =
                        matches!(name.as_str(), "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                    if name == "br" || (block && !buffer_text.is_empty() && !buffer_text.ends_with('\n')) {
                        buffer_text.push('\n');
                    }
                } else if name.starts_with("ATTRIBUTE-DEFINITION-") && !name.ends_with("-REF") {
                    if let (Some(id), Some(long)) = (attribute(&e, "IDENTIFIER"), attribute(&e, "LONG-NAME")) {
                        doc.definitions.insert(id, long);
                    }
                } else if name == "ENUM-VALUE" {
                    if let Some(id) = attribute(&e, "IDENTIFIER") {
                        doc.enum_values.insert(id.clone(), attribute(&e, "LONG-NAME").unwrap_or(id));
                    }
                } else if name == "SPEC-OBJECT" && stack.last().is_some_and(|p| p == "SPEC-OBJECTS") {
                    object = Some(SpecObject {
                        identifier: attribute(&e, "IDENTIFIER").unwrap_or_default(),
                        long_name: attribute(&e, "LONG-NAME").unwrap_or_default(),
                        line: line_of(text, reader.buffer_position()),
                        values: Vec::new(),
                    });
                } else if name.starts_with("ATTRIBUTE-VALUE-") && object.is_some() {
                    let the_value = attribute(&e, "THE-VALUE").unwrap_or_default();
                    value = Some((String::new(), the_value, Vec::new(), name == "ATTRIBUTE-VALUE-XHTML"));
                    if is_empty {
                        value = None;
                    }
                } else if name == "THE-VALUE" && value.is_some() {
                    buffer_text.clear();
                } else if name == "SPEC-HIERARCHY" {
                    hierarchy_objects.push(None);
                }
                if !is_empty {
                    if (name == "THE-VALUE" && value.is_some()) || in_the_value > 0 {
                        in_the_value += 1;
                    }
                    stack.push(name);
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                if in_the_value > 0 {
                    buffer_text.push_str(&content);
                } else if let Some(top) = stack.last() {
                    let trimmed = content.trim();
                    if trimmed.is_empty() {
                        continue;
                    }
                    append_ref_text(top, trimmed, &mut value, &mut hierarchy_objects);
                }
            }
            Event::CData(c) if in_the_value > 0 => buffer_text.push_str(&c.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let name = r.as_ref().to_owned();
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_owned(),
                            // XHTML from other tools often uses the non-breaking space by name.
                            None if name == "nbsp" => "\u{a0}".to_owned(),
                            None => return Err(fail(&reader, format!("unknown entity &{name};"))),
                        }
                    }
                };
                if in_the_value > 0 {
                    buffer_text.push_str(&resolved);
                } else if let Some(top) = stack.last() {
                    append_ref_text(top, &resolved, &mut value, &mut hierarchy_objects);
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_owned();
                stack.pop();
                if in_the_value > 0 {
                    in_the_value -= 1;
                    if in_the_value > 0
                        && matches!(name.as_str(), "p" | "div" | "li" | "tr")
                        && !buffer_text.ends_with('\n')
                    {
                        buffer_text.push('\n');
                    }
                    if in_the_value == 0
                        && let Some(v) = value.as_mut()
                    {
                        v.1 = buffer_text.trim_end_matches('\n').to_owned();
                    }
                } else if name.starts_with("ATTRIBUTE-VALUE-") {
                    if let (Some((def, text_value, enums, _)), Some(o)) = (value.take(), object.as_mut()) {
                        let v = if name == "ATTRIBUTE-VALUE-ENUMERATION" {
                            AttrValue::Enum(enums)
                        } else {
                            AttrValue::Text(text_value)
                        };
                        o.values.push((def, v));
                    }
                } else if name == "SPEC-OBJECT" {
                    if let Some(o) = object.take() {
                        doc.objects.push(o);
                    }
                } else if name == "SPEC-HIERARCHY" {
                    if let Some(Some(obj)) = hierarchy_objects.last().cloned() {
                        let ancestors: Vec<String> =
                            hierarchy_objects[..hierarchy_objects.len() - 1].iter().flatten().cloned().collect();
                        doc.hierarchy.push((obj, ancestors));
                    }
                    hierarchy_objects.pop();
                }
            }
            // No ReqIF tool writes entity declarations; they exist to expand text a billion-fold or to read
            // other files, and nothing here would expand them anyway: say so rather than import half a file.
            Event::DocType(d) if d.as_ref().contains("ENTITY") => {
                return Err(fail(
                    &reader,
                    "the file declares XML entities in a DOCTYPE; ReqIF needs none, and elicit neither expands \
                     nor follows them, so the file is refused"
                        .into(),
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(fail(&reader, format!("the file ends inside <{open}>; it is cut short or malformed")));
    }
    if !doc.saw_root {
        return Err(ReportError::Problems(vec![Problem {
            file: file.to_owned(),
            line: Some(1),
            field: "xml".into(),
            message: "the file has no <REQ-IF> element; expected a ReqIF document".into(),
        }]));
    }
    Ok(doc)
}

/// Text inside the reference elements this importer reads.
fn append_ref_text(
    top: &str,
    text: &str,
    value: &mut Option<(String, String, Vec<String>, bool)>,
    hierarchy: &mut [Option<String>],
) {
    if top.starts_with("ATTRIBUTE-DEFINITION-") && top.ends_with("-REF") {
        if let Some(v) = value.as_mut() {
            v.0.push_str(text);
        }
    } else if top == "ENUM-VALUE-REF" {
        if let Some(v) = value.as_mut() {
            v.2.push(text.to_owned());
        }
    } else if top == "SPEC-OBJECT-REF"
        && let Some(last) = hierarchy.last_mut()
    {
        last.get_or_insert_with(String::new).push_str(text);
    }
}

/// Reads a ReqIF file into pending requirements.
pub(super) fn read(text: &str, options: &ImportOptions<'_>) -> Result<Parsed, ReportError> {
    let file = options.file_label.as_str();
    if text.trim().is_empty() {
        return Err(ReportError::Problems(vec![Problem {
            file: file.to_owned(),
            line: Some(1),
            field: "file".into(),
            message: "the file is empty; expected a ReqIF document".into(),
        }]));
    }
    let doc = parse(text, file)?;
    let ours = doc.definitions.values().any(|n| n.starts_with("elicit."));
    let chapter_of: HashMap<&str, String> = doc
        .objects
        .iter()
        .filter_map(|o| {
            o.values.iter().find_map(|(def, v)| match (doc.definitions.get(def).map(String::as_str), v) {
                (Some("ReqIF.ChapterName"), AttrValue::Text(t)) => Some((o.identifier.as_str(), t.clone())),
                _ => None,
            })
        })
        .collect();
    let mut stage_of: HashMap<&str, String> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (obj, ancestors) in &doc.hierarchy {
        if let Some(stage) = ancestors.iter().rev().find_map(|a| chapter_of.get(a.as_str())) {
            stage_of.insert(obj.as_str(), stage.clone());
        }
        order.push(obj.as_str());
    }
    // Objects in the hierarchy come in its order; any others after them, in file order.
    let position: HashMap<&str, usize> = order.iter().enumerate().map(|(i, o)| (*o, i)).collect();
    let mut objects: Vec<&SpecObject> = doc.objects.iter().collect();
    objects.sort_by_key(|o| position.get(o.identifier.as_str()).copied().unwrap_or(usize::MAX));

    let mut parsed = Parsed::default();
    let total = objects.len() as u64;
    let mut headings = 0;
    for (i, o) in objects.into_iter().enumerate() {
        if i % 4096 == 0 {
            options.tick(i as u64, total);
        }
        if chapter_of.contains_key(o.identifier.as_str()) {
            headings += 1;
            continue;
        }
        let mut row = PendingRequirement { line: Some(o.line), ..PendingRequirement::default() };
        let mut problem = |field: &str, message: String| {
            parsed.problems.push(Problem { file: file.into(), line: Some(o.line), field: field.into(), message });
        };
        let mut foreign_id = String::new();
        for (def, v) in &o.values {
            let name = doc.definitions.get(def).map(String::as_str).unwrap_or_default();
            let text = match v {
                AttrValue::Text(t) => t.clone(),
                AttrValue::Enum(refs) => refs
                    .iter()
                    .map(|r| doc.enum_values.get(r).cloned().unwrap_or_else(|| r.clone()))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let lines = |t: &str| t.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
            match name {
                "ReqIF.Name" => row.new.title = text,
                "ReqIF.Text" => row.new.statement = text,
                "ReqIF.ForeignID" => foreign_id = text,
                "elicit.Kind" => parse_into(&text, &mut row.new.kind, name, &mut problem),
                "elicit.Priority" => parse_into(&text, &mut row.new.priority, name, &mut problem),
                "elicit.Status" => parse_into(&text, &mut row.new.status, name, &mut problem),
                "elicit.Channel" if !text.is_empty() => match text.parse() {
                    Ok(c) => row.new.channel = Some(c),
                    Err(e) => problem(name, format!("{e}")),
                },
                "elicit.Outcomes" => row.outcomes = lines(&text),
                "elicit.Sources" => row.sources = lines(&text),
                "elicit.Interview" => row.interview = Some(text).filter(|t| !t.is_empty()),
                "elicit.PainPoint" => row.new.pain_point = text.trim() == "true",
                "elicit.MomentOfTruth" => row.new.moment_of_truth = text.trim() == "true",
                "elicit.Tags" => row.new.tags = lines(&text),
                "elicit.Acceptance" => row.new.acceptance = text,
                "elicit.Rationale" => row.new.rationale = text,
                "elicit.Quote" => row.new.quote = text,
                "elicit.ExternalRef" => row.new.external_ref = text,
                _ => {}
            }
        }
        if row.new.title.trim().is_empty() {
            // Tools that only write the text: its first line is the best title there is.
            let first = row.new.statement.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
            let fallback =
                [first, o.long_name.trim(), foreign_id.trim()].into_iter().find(|t| !t.is_empty()).unwrap_or_default();
            row.new.title = fallback.chars().take(MAX_TITLE_CHARS).collect();
            if row.new.title.trim().is_empty() {
                problem(
                    "ReqIF.Name",
                    format!("spec-object {} has no name, text or id to use as its title", o.identifier),
                );
            }
        }
        if ours {
            row.uuid = o.identifier.strip_prefix('_').and_then(|u| u.parse().ok());
        } else {
            row.new.external_ref = foreign_id;
        }
        row.stage = stage_of.get(o.identifier.as_str()).cloned();
        row.invalid = parsed.problems.iter().any(|p| p.line == Some(o.line));
        parsed.rows.push(row);
    }
    if !ours && headings > 0 {
        parsed.notes.push(format!(
            "{headings} chapter heading{} (ReqIF.ChapterName) not imported as requirements; each names the stage of the requirements below it",
            if headings == 1 { "" } else { "s" }
        ));
    }
    options.tick(total, total);
    Ok(parsed)
}

fn parse_into<T: std::str::FromStr<Err = ValidationError>>(
    text: &str,
    target: &mut T,
    name: &str,
    problem: &mut dyn FnMut(&str, String),
) {
    if text.is_empty() {
        return;
    }
    match text.parse() {
        Ok(v) => *target = v,
        Err(e) => problem(name, e.to_string()),
    }
}
