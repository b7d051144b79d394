//! One streaming pass over a ReqIF document, collecting what the importer needs: attribute definitions,
//! enumeration values, spec-object types, the spec-objects with their values (XHTML already flattened to
//! text), where the specifications place them, and how many relations there are.
//!
//! Linear in the file: line numbers come from a cursor that only moves forward, and the specification tree is
//! kept as a list of (object, parent) in document order, so finding a requirement's chapter never walks
//! the tree from its root.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::report::ReportError;
use crate::report::import::model::Problem;
use crate::report::import::xhtml::{Flattener, Whitespace, attribute, resolve};

/// The datatype of an attribute, from its element name (`ATTRIBUTE-DEFINITION-XHTML`, `ATTRIBUTE-VALUE-XHTML`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueKind {
    String,
    Xhtml,
    Enumeration,
    Boolean,
    Integer,
    Real,
    Date,
    Other,
}

impl ValueKind {
    fn of(suffix: &str) -> ValueKind {
        match suffix {
            "STRING" => ValueKind::String,
            "XHTML" => ValueKind::Xhtml,
            "ENUMERATION" => ValueKind::Enumeration,
            "BOOLEAN" => ValueKind::Boolean,
            "INTEGER" => ValueKind::Integer,
            "REAL" => ValueKind::Real,
            "DATE" => ValueKind::Date,
            _ => ValueKind::Other,
        }
    }

    /// Text an analyst wrote (as opposed to numbers, dates, flags and choices).
    pub(super) fn is_text(self) -> bool {
        matches!(self, ValueKind::String | ValueKind::Xhtml)
    }
}

/// An attribute definition.
#[derive(Debug, Clone)]
pub(super) struct Definition {
    pub identifier: String,
    /// Its LONG-NAME; many tools leave it out.
    pub long_name: Option<String>,
    pub kind: ValueKind,
}

impl Definition {
    /// How messages name it: its LONG-NAME, else its identifier.
    pub(super) fn name(&self) -> &str {
        self.long_name.as_deref().unwrap_or(&self.identifier)
    }
}

/// What an attribute value holds.
#[derive(Debug, Clone)]
pub(super) enum Value {
    /// Text, a number, a date or a flag as written (XHTML flattened to plain text).
    Text(String),
    /// The identifiers of the chosen enumeration values.
    Enumeration(Vec<String>),
}

/// One value of a spec-object.
#[derive(Debug, Clone)]
pub(super) struct AttributeValue {
    /// Its attribute definition: an index into [`Document::definitions`].
    pub definition: usize,
    pub value: Value,
}

/// A spec-object as the file holds it.
#[derive(Debug, Clone, Default)]
pub(super) struct SpecObject {
    pub identifier: String,
    pub long_name: String,
    /// The identifier of its spec-object type (empty when the file names none).
    pub type_ref: String,
    pub line: u64,
    pub values: Vec<AttributeValue>,
}

/// One node of a specification tree: the object it shows and its parent node, in document order (a parent
/// always comes before its children).
#[derive(Debug, Clone)]
pub(super) struct Placement {
    pub object: String,
    pub parent: Option<usize>,
}

/// What the pass collects.
#[derive(Debug, Default)]
pub(super) struct Document {
    /// The attribute definitions, declared or only referred to (fragments refer to ones they never declare).
    pub definitions: Vec<Definition>,
    /// Identifier -> index into `definitions`.
    definition_index: HashMap<String, usize>,
    /// Enumeration value identifier -> its long name (or identifier).
    pub enum_values: HashMap<String, String>,
    /// Spec-object type identifier -> its long name (or identifier).
    pub types: HashMap<String, String>,
    pub objects: Vec<SpecObject>,
    pub placements: Vec<Placement>,
    /// SPEC-RELATION elements (links between objects).
    pub relations: usize,
    /// SPECIFICATION elements.
    pub specifications: usize,
    /// The file was written by elicit (it defines `elicit.*` attributes).
    pub ours: bool,
    /// SPEC-OBJECT elements outside SPEC-OBJECTS (not read), and the first: (identifier, line, parent).
    pub misplaced: usize,
    pub first_misplaced: Option<(String, u64, String)>,
}

impl Document {
    /// Declares an attribute definition (again: a later declaration fills in what a reference could not
    /// know); returns its index.
    pub(super) fn declare(&mut self, identifier: &str, long_name: Option<String>, kind: ValueKind) -> usize {
        self.ours |= long_name.as_deref().is_some_and(|n| n.starts_with("elicit."));
        match self.definition_index.get(identifier) {
            Some(&i) => {
                self.definitions[i].long_name = long_name.or(self.definitions[i].long_name.take());
                self.definitions[i].kind = kind;
                i
            }
            None => self.add(identifier, long_name, kind),
        }
    }

    /// The index of the definition `identifier`, added (without a name) when the file never declared it.
    fn referred(&mut self, identifier: &str, kind: ValueKind) -> usize {
        match self.definition_index.get(identifier) {
            Some(&i) => i,
            None => self.add(identifier, None, kind),
        }
    }

    fn add(&mut self, identifier: &str, long_name: Option<String>, kind: ValueKind) -> usize {
        self.definitions.push(Definition { identifier: identifier.to_owned(), long_name, kind });
        self.definition_index.insert(identifier.to_owned(), self.definitions.len() - 1);
        self.definitions.len() - 1
    }
}

/// What an open element is, as far as the pass cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    SpecObjects,
    SpecRelations,
    Specifications,
    Type,
    Object,
    /// An element holding an identifier as text (`*-REF`).
    Ref,
    Other,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "SPEC-OBJECTS" => Tag::SpecObjects,
            "SPEC-RELATIONS" => Tag::SpecRelations,
            "SPECIFICATIONS" => Tag::Specifications,
            "TYPE" => Tag::Type,
            "OBJECT" => Tag::Object,
            n if n.ends_with("-REF") => Tag::Ref,
            _ => Tag::Other,
        }
    }
}

/// The name of the element whose start tag begins at byte `at` (for messages).
fn element_at(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or_default().trim_start_matches('<');
    let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
    let name = &rest[..end];
    name.rsplit(':').next().unwrap_or(name)
}

/// The value being read.
#[derive(Debug)]
struct PendingValue {
    definition: Option<usize>,
    kind: ValueKind,
    text: String,
    enums: Vec<String>,
}

/// Line numbers for byte offsets that only grow: each byte is counted once.
struct Lines {
    offset: usize,
    line: u64,
}

impl Lines {
    fn at(&mut self, text: &str, offset: usize) -> u64 {
        let end = offset.min(text.len());
        if end > self.offset {
            self.line += text.as_bytes()[self.offset..end].iter().filter(|b| **b == b'\n').count() as u64;
            self.offset = end;
        }
        self.line
    }
}

fn line_of(text: &str, offset: u64) -> u64 {
    Lines { offset: 0, line: 1 }.at(text, offset as usize)
}

/// Parses the XML into a [`Document`]; malformed XML is one problem with its line.
pub(super) fn parse(text: &str, file: &str) -> Result<Document, ReportError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut doc = Document::default();
    let mut lines = Lines { offset: 0, line: 1 };
    let mut saw_root = false;
    // Open elements, innermost last, with where each starts (for messages).
    let mut stack: Vec<(Tag, usize)> = Vec::new();
    let mut object: Option<SpecObject> = None;
    let mut value: Option<PendingValue> = None;
    // Inside THE-VALUE of a value: its text, and how many of its elements are open.
    let mut flattener: Option<Flattener> = None;
    let mut depth = 0usize;
    // The text of the `*-REF` element being read.
    let mut reference = String::new();
    // Open SPEC-HIERARCHY nodes, innermost last (indices into doc.placements).
    let mut open: Vec<usize> = Vec::new();
    let fail = |reader: &Reader<&[u8]>, message: String| {
        ReportError::Problems(vec![Problem {
            file: file.to_owned(),
            line: Some(line_of(text, reader.error_position().max(reader.buffer_position().saturating_sub(1)))),
            field: "xml".into(),
            message,
        }])
    };
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| fail(&reader, format!("malformed XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().into_inner();
                if let Some(f) = flattener.as_mut() {
                    f.start(name, |key| attribute(e, key), empty);
                    if !empty {
                        depth += 1;
                    }
                    continue;
                }
                if stack.is_empty() {
                    if name != "REQ-IF" {
                        return Err(fail(
                            &reader,
                            format!("not a ReqIF file: the root element is <{name}>, not <REQ-IF>"),
                        ));
                    }
                    saw_root = true;
                }
                let parent = stack.last().map_or(Tag::Other, |(t, _)| *t);
                if name == "SPEC-OBJECT-TYPE" {
                    if let Some(id) = attribute(e, "IDENTIFIER") {
                        let long = attribute(e, "LONG-NAME").filter(|n| !n.trim().is_empty());
                        doc.types.insert(id.clone(), long.unwrap_or(id));
                    }
                } else if let Some(kind) = name.strip_prefix("ATTRIBUTE-DEFINITION-").filter(|k| !k.ends_with("-REF")) {
                    if let Some(id) = attribute(e, "IDENTIFIER") {
                        let long_name = attribute(e, "LONG-NAME").filter(|n| !n.trim().is_empty());
                        doc.declare(&id, long_name, ValueKind::of(kind));
                    }
                } else if name == "ENUM-VALUE" {
                    if let Some(id) = attribute(e, "IDENTIFIER") {
                        let long = attribute(e, "LONG-NAME").filter(|n| !n.trim().is_empty());
                        doc.enum_values.insert(id.clone(), long.unwrap_or(id));
                    }
                } else if name == "SPEC-OBJECT" && parent != Tag::SpecObjects {
                    doc.misplaced += 1;
                    if doc.first_misplaced.is_none() {
                        let id = attribute(e, "IDENTIFIER").unwrap_or_default();
                        let line = lines.at(text, reader.buffer_position() as usize);
                        let inside = stack.last().map_or("", |(_, start)| element_at(text, *start));
                        doc.first_misplaced = Some((id, line, inside.to_owned()));
                    }
                } else if name == "SPEC-OBJECT" {
                    // Objects of a file are alike: room for as many values as the last one had.
                    let values = Vec::with_capacity(doc.objects.last().map_or(4, |o| o.values.len()));
                    object = Some(SpecObject {
                        identifier: attribute(e, "IDENTIFIER").unwrap_or_default(),
                        long_name: attribute(e, "LONG-NAME").unwrap_or_default(),
                        line: lines.at(text, reader.buffer_position() as usize),
                        values,
                        ..SpecObject::default()
                    });
                    if empty {
                        doc.objects.extend(object.take());
                    }
                } else if let Some(kind) = name.strip_prefix("ATTRIBUTE-VALUE-")
                    && object.is_some()
                    && value.is_none()
                    && !empty
                {
                    let kind = ValueKind::of(kind);
                    // XHTML and enumeration values hold their content in elements, the others in THE-VALUE.
                    let text = match kind {
                        ValueKind::Xhtml | ValueKind::Enumeration => String::new(),
                        _ => attribute(e, "THE-VALUE").unwrap_or_default(),
                    };
                    value = Some(PendingValue { definition: None, kind, text, enums: Vec::new() });
                } else if name == "THE-VALUE" && value.is_some() && !empty {
                    flattener = Some(Flattener::new(if doc.ours { Whitespace::Kept } else { Whitespace::Html }));
                    depth = 0;
                } else if name == "SPEC-RELATION" && parent == Tag::SpecRelations {
                    doc.relations += 1;
                } else if name == "SPECIFICATION" && parent == Tag::Specifications {
                    doc.specifications += 1;
                } else if name == "SPEC-HIERARCHY" && !empty {
                    doc.placements.push(Placement { object: String::new(), parent: open.last().copied() });
                    open.push(doc.placements.len() - 1);
                }
                if name.ends_with("-REF") {
                    reference.clear();
                }
                if !empty {
                    stack.push((Tag::of(name), at));
                }
            }
            Event::Text(t) => {
                if let Some(f) = flattener.as_mut() {
                    f.text(&t.xml10_content());
                } else if stack.last().is_some_and(|(top, _)| *top == Tag::Ref) {
                    reference.push_str(t.xml10_content().trim());
                }
            }
            Event::CData(c) => {
                if let Some(f) = flattener.as_mut() {
                    f.text(&c.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = resolve(&r);
                if let Some(f) = flattener.as_mut() {
                    // XHTML from other tools uses HTML's names; one nobody defined is kept as written.
                    let name: &str = r.as_ref();
                    f.text(&resolved.unwrap_or_else(|| format!("&{name};")));
                } else if stack.last().is_some_and(|(top, _)| *top == Tag::Ref) {
                    match resolved {
                        Some(s) => reference.push_str(&s),
                        None => {
                            let name: &str = r.as_ref();
                            return Err(fail(&reader, format!("unknown entity &{name};")));
                        }
                    }
                }
            }
            Event::End(e) => {
                let name = e.local_name().into_inner();
                if let Some(f) = flattener.as_mut() {
                    if depth > 0 {
                        depth -= 1;
                        f.end(name);
                        continue;
                    }
                    // The end of THE-VALUE.
                    if let (Some(f), Some(v)) = (flattener.take(), value.as_mut()) {
                        v.text = f.finish();
                    }
                    stack.pop();
                    continue;
                }
                stack.pop();
                let parent = stack.last().map_or(Tag::Other, |(t, _)| *t);
                if name.ends_with("-REF") {
                    let text = reference.as_str();
                    if name == "SPEC-OBJECT-TYPE-REF" && parent == Tag::Type && value.is_none() {
                        if let Some(o) = object.as_mut() {
                            o.type_ref = text.to_owned();
                        }
                    } else if name.starts_with("ATTRIBUTE-DEFINITION-") {
                        if let Some(v) = value.as_mut()
                            && !text.is_empty()
                        {
                            v.definition = Some(doc.referred(text, v.kind));
                        }
                    } else if name == "ENUM-VALUE-REF" {
                        if let Some(v) = value.as_mut() {
                            v.enums.push(text.to_owned());
                        }
                    } else if name == "SPEC-OBJECT-REF"
                        && parent == Tag::Object
                        && let Some(&node) = open.last()
                    {
                        doc.placements[node].object = text.to_owned();
                    }
                } else if name.starts_with("ATTRIBUTE-VALUE-") && value.is_some() {
                    if let (Some(v), Some(o)) = (value.take(), object.as_mut())
                        && let Some(definition) = v.definition
                    {
                        let value = if v.kind == ValueKind::Enumeration {
                            Value::Enumeration(v.enums)
                        } else {
                            Value::Text(v.text)
                        };
                        o.values.push(AttributeValue { definition, value });
                    }
                } else if name == "SPEC-OBJECT" {
                    if let Some(o) = object.take() {
                        doc.objects.push(o);
                    }
                } else if name == "SPEC-HIERARCHY" {
                    open.pop();
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
    if flattener.is_some() {
        return Err(fail(&reader, "the file ends inside <THE-VALUE>; it is cut short or malformed".into()));
    }
    if let Some((_, start)) = stack.last() {
        let open = element_at(text, *start);
        return Err(fail(&reader, format!("the file ends inside <{open}>; it is cut short or malformed")));
    }
    if !saw_root {
        return Err(ReportError::Problems(vec![Problem {
            file: file.to_owned(),
            line: Some(1),
            field: "xml".into(),
            message: "the file has no <REQ-IF> element; expected a ReqIF document".into(),
        }]));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_count_each_byte_once_and_match_a_count_from_the_start() {
        let text = "a\nb\n\nc\nd";
        let mut lines = Lines { offset: 0, line: 1 };
        for offset in 0..=text.len() {
            assert_eq!(lines.at(text, offset), line_of(text, offset as u64), "offset {offset}");
        }
    }

    #[test]
    fn the_specification_tree_is_kept_as_parents() {
        let xml = r#"<REQ-IF><CORE-CONTENT><REQ-IF-CONTENT><SPEC-OBJECTS>
            <SPEC-OBJECT IDENTIFIER="h"/><SPEC-OBJECT IDENTIFIER="r"/></SPEC-OBJECTS>
            <SPEC-RELATIONS><SPEC-RELATION IDENTIFIER="x"/></SPEC-RELATIONS>
            <SPECIFICATIONS><SPECIFICATION IDENTIFIER="s"><CHILDREN>
              <SPEC-HIERARCHY IDENTIFIER="1"><OBJECT><SPEC-OBJECT-REF>h</SPEC-OBJECT-REF></OBJECT><CHILDREN>
                <SPEC-HIERARCHY IDENTIFIER="2"><OBJECT><SPEC-OBJECT-REF>r</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>
              </CHILDREN></SPEC-HIERARCHY>
            </CHILDREN></SPECIFICATION></SPECIFICATIONS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"#;
        let doc = parse(xml, "t.reqif").unwrap();
        assert_eq!(doc.objects.len(), 2);
        assert_eq!((doc.relations, doc.specifications), (1, 1));
        let tree: Vec<(&str, Option<usize>)> = doc.placements.iter().map(|p| (p.object.as_str(), p.parent)).collect();
        assert_eq!(tree, [("h", None), ("r", Some(0))]);
    }
}
