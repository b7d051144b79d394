//! ReqIF 1.2 export: one specification per project, a spec-object per requirement, grouped under one
//! heading object per journey stage.
//!
//! Attribute names follow the ReqIF Implementation Guide, so other tools map them without configuration:
//! `ReqIF.ForeignID` (the human id, `CHK-7`), `ReqIF.Name` (title), `ReqIF.Text` (statement, XHTML) and
//! `ReqIF.ChapterName` (stage headings). Our other fields are further attribute definitions named
//! `elicit.*`: enumerations for kind, priority, status and channel, booleans for the marks, XHTML for the
//! acceptance criteria and rationale, strings for the rest (lists one item per line). Identifiers are our
//! UUIDs behind an underscore (an XML ID cannot start with a digit), so they stay stable across exports.

use std::io::{BufWriter, Write};

use super::{ExportOptions, ReportData, ReportError};
use crate::domain::*;

/// The ReqIF namespace.
pub const NAMESPACE: &str = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd";
/// The XHTML namespace used inside `THE-VALUE` of XHTML attributes.
pub const XHTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";
/// The tool id written in the header; the importer recognises files it wrote by their `elicit.*` attributes.
pub const TOOL_ID: &str = "elicit";

/// The identifier of a row: our UUID behind an underscore.
pub fn identifier(uuid: impl std::fmt::Display) -> String {
    format!("_{uuid}")
}

/// An attribute of the requirement type: identifier, long name, datatype kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    String,
    Xhtml,
    Boolean,
    Integer,
    Date,
    /// An enumeration with this datatype identifier.
    Enumeration(&'static str),
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::String => "STRING",
            Kind::Xhtml => "XHTML",
            Kind::Boolean => "BOOLEAN",
            Kind::Integer => "INTEGER",
            Kind::Date => "DATE",
            Kind::Enumeration(_) => "ENUMERATION",
        }
    }

    fn datatype(self) -> &'static str {
        match self {
            Kind::String => "_elicit-string",
            Kind::Xhtml => "_elicit-xhtml",
            Kind::Boolean => "_elicit-boolean",
            Kind::Integer => "_elicit-integer",
            Kind::Date => "_elicit-date",
            Kind::Enumeration(id) => id,
        }
    }
}

/// The attribute definitions of a requirement, in the order they are written.
pub(super) const ATTRIBUTES: &[(&str, &str, Kind)] = &[
    ("_elicit-ad-foreign-id", "ReqIF.ForeignID", Kind::String),
    ("_elicit-ad-name", "ReqIF.Name", Kind::String),
    ("_elicit-ad-text", "ReqIF.Text", Kind::Xhtml),
    ("_elicit-ad-kind", "elicit.Kind", Kind::Enumeration("_elicit-kind")),
    ("_elicit-ad-priority", "elicit.Priority", Kind::Enumeration("_elicit-priority")),
    ("_elicit-ad-status", "elicit.Status", Kind::Enumeration("_elicit-status")),
    ("_elicit-ad-channel", "elicit.Channel", Kind::Enumeration("_elicit-channel")),
    ("_elicit-ad-outcomes", "elicit.Outcomes", Kind::String),
    ("_elicit-ad-sources", "elicit.Sources", Kind::String),
    ("_elicit-ad-interview", "elicit.Interview", Kind::String),
    ("_elicit-ad-pain-point", "elicit.PainPoint", Kind::Boolean),
    ("_elicit-ad-moment-of-truth", "elicit.MomentOfTruth", Kind::Boolean),
    ("_elicit-ad-tags", "elicit.Tags", Kind::String),
    ("_elicit-ad-acceptance", "elicit.Acceptance", Kind::Xhtml),
    ("_elicit-ad-rationale", "elicit.Rationale", Kind::Xhtml),
    ("_elicit-ad-quote", "elicit.Quote", Kind::String),
    ("_elicit-ad-external-ref", "elicit.ExternalRef", Kind::String),
    ("_elicit-ad-version", "elicit.Version", Kind::Integer),
    ("_elicit-ad-created", "elicit.Created", Kind::Date),
    ("_elicit-ad-updated", "elicit.Updated", Kind::Date),
];

const REQUIREMENT_TYPE: &str = "_elicit-requirement-type";
const STAGE_TYPE: &str = "_elicit-stage-type";
const SPECIFICATION_TYPE: &str = "_elicit-specification-type";
const CHAPTER_NAME: &str = "_elicit-ad-chapter-name";
const CHAPTER_TEXT: &str = "_elicit-ad-chapter-text";

/// The enumerations: datatype identifier, long name, values.
fn enumerations() -> [(&'static str, &'static str, Vec<&'static str>); 4] {
    [
        ("_elicit-kind", "elicit kind", crate::domain::Kind::ALL.iter().map(|v| v.as_str()).collect()),
        ("_elicit-priority", "elicit priority", Priority::ALL.iter().map(|v| v.as_str()).collect()),
        ("_elicit-status", "elicit status", Status::ALL.iter().map(|v| v.as_str()).collect()),
        ("_elicit-channel", "elicit channel", Channel::ALL.iter().map(|v| v.as_str()).collect()),
    ]
}

/// The identifier of an enumeration value: `_elicit-kind-functional`.
pub(super) fn enum_value_id(datatype: &str, value: &str) -> String {
    format!("{datatype}-{value}")
}

/// Escapes text for an XML attribute value; line breaks and tabs become character references so attribute
/// normalisation does not turn them into spaces.
fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // XML 1.0 forbids other control characters; the store never keeps them, but stay safe.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text content.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Plain text as an XHTML `div`, one `br` per line break.
fn xhtml(s: &str) -> String {
    let lines: Vec<String> = s.split('\n').map(text).collect();
    format!("<xhtml:div>{}</xhtml:div>", lines.join("<xhtml:br/>"))
}

struct Doc<'w> {
    out: BufWriter<&'w mut dyn Write>,
    stamp: String,
}

impl Doc<'_> {
    fn line(&mut self, s: &str) -> Result<(), ReportError> {
        self.out.write_all(s.as_bytes())?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    fn value(&mut self, id: &str, kind: Kind, value: &str) -> Result<(), ReportError> {
        let tag = kind.tag();
        match kind {
            Kind::Xhtml => self.line(&format!(
                "<ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>{id}</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE>{}</THE-VALUE></ATTRIBUTE-VALUE-XHTML>",
                xhtml(value)
            )),
            Kind::Enumeration(dt) => self.line(&format!(
                "<ATTRIBUTE-VALUE-ENUMERATION><DEFINITION><ATTRIBUTE-DEFINITION-ENUMERATION-REF>{id}</ATTRIBUTE-DEFINITION-ENUMERATION-REF></DEFINITION><VALUES><ENUM-VALUE-REF>{}</ENUM-VALUE-REF></VALUES></ATTRIBUTE-VALUE-ENUMERATION>",
                enum_value_id(dt, value)
            )),
            _ => self.line(&format!(
                "<ATTRIBUTE-VALUE-{tag} THE-VALUE=\"{}\"><DEFINITION><ATTRIBUTE-DEFINITION-{tag}-REF>{id}</ATTRIBUTE-DEFINITION-{tag}-REF></DEFINITION></ATTRIBUTE-VALUE-{tag}>",
                attr(value)
            )),
        }
    }

    fn identifiable(&self, id: &str, long_name: &str) -> String {
        format!("IDENTIFIER=\"{}\" LAST-CHANGE=\"{}\" LONG-NAME=\"{}\"", attr(id), self.stamp, attr(long_name))
    }
}

/// Writes the ReqIF document.
pub fn write(data: &ReportData, options: &ExportOptions<'_>, writer: &mut dyn Write) -> Result<(), ReportError> {
    let p = &data.project;
    let stamp = format_timestamp(data.now);
    let mut d = Doc { out: BufWriter::with_capacity(1 << 16, writer), stamp: stamp.clone() };
    d.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    d.line(&format!("<REQ-IF xmlns=\"{NAMESPACE}\" xmlns:xhtml=\"{XHTML_NAMESPACE}\">"))?;
    d.line("<THE-HEADER>")?;
    d.line(&format!("<REQ-IF-HEADER IDENTIFIER=\"{}\">", attr(&format!("_header-{}", p.id))))?;
    d.line(&format!(
        "<COMMENT>{}</COMMENT>",
        text(&format!("Requirements of {} ({}), exported by elicit", p.name, p.key))
    ))?;
    d.line(&format!("<CREATION-TIME>{stamp}</CREATION-TIME>"))?;
    d.line(&format!("<REQ-IF-TOOL-ID>{TOOL_ID}</REQ-IF-TOOL-ID>"))?;
    d.line("<REQ-IF-VERSION>1.0</REQ-IF-VERSION>")?;
    d.line(&format!("<SOURCE-TOOL-ID>elicit {}</SOURCE-TOOL-ID>", env!("CARGO_PKG_VERSION")))?;
    d.line(&format!("<TITLE>{}</TITLE>", text(&p.name)))?;
    d.line("</REQ-IF-HEADER>")?;
    d.line("</THE-HEADER>")?;
    d.line("<CORE-CONTENT>")?;
    d.line("<REQ-IF-CONTENT>")?;

    d.line("<DATATYPES>")?;
    let simple = [
        ("STRING", "_elicit-string", "String", format!(" MAX-LENGTH=\"{MAX_TEXT_CHARS}\"")),
        ("XHTML", "_elicit-xhtml", "XHTML", String::new()),
        ("BOOLEAN", "_elicit-boolean", "Boolean", String::new()),
        ("INTEGER", "_elicit-integer", "Integer", " MAX=\"2147483647\" MIN=\"0\"".to_owned()),
        ("DATE", "_elicit-date", "Date", String::new()),
    ];
    for (tag, id, name, extra) in simple {
        d.line(&format!("<DATATYPE-DEFINITION-{tag} {}{extra}/>", d.identifiable(id, name)))?;
    }
    for (id, name, values) in enumerations() {
        d.line(&format!("<DATATYPE-DEFINITION-ENUMERATION {}>", d.identifiable(id, name)))?;
        d.line("<SPECIFIED-VALUES>")?;
        for (key, v) in values.iter().enumerate() {
            d.line(&format!(
                "<ENUM-VALUE {}><PROPERTIES><EMBEDDED-VALUE KEY=\"{key}\" OTHER-CONTENT=\"\"/></PROPERTIES></ENUM-VALUE>",
                d.identifiable(&enum_value_id(id, v), v)
            ))?;
        }
        d.line("</SPECIFIED-VALUES>")?;
        d.line("</DATATYPE-DEFINITION-ENUMERATION>")?;
    }
    d.line("</DATATYPES>")?;

    d.line("<SPEC-TYPES>")?;
    d.line(&format!("<SPEC-OBJECT-TYPE {}>", d.identifiable(STAGE_TYPE, "elicit journey stage")))?;
    d.line("<SPEC-ATTRIBUTES>")?;
    for (id, name, kind) in
        [(CHAPTER_NAME, "ReqIF.ChapterName", Kind::String), (CHAPTER_TEXT, "ReqIF.Text", Kind::Xhtml)]
    {
        attribute_definition(&mut d, id, name, kind)?;
    }
    d.line("</SPEC-ATTRIBUTES>")?;
    d.line("</SPEC-OBJECT-TYPE>")?;
    d.line(&format!("<SPEC-OBJECT-TYPE {}>", d.identifiable(REQUIREMENT_TYPE, "elicit requirement")))?;
    d.line("<SPEC-ATTRIBUTES>")?;
    for (id, name, kind) in ATTRIBUTES {
        attribute_definition(&mut d, id, name, *kind)?;
    }
    d.line("</SPEC-ATTRIBUTES>")?;
    d.line("</SPEC-OBJECT-TYPE>")?;
    d.line(&format!("<SPECIFICATION-TYPE {}/>", d.identifiable(SPECIFICATION_TYPE, "elicit project")))?;
    d.line("</SPEC-TYPES>")?;

    d.line("<SPEC-OBJECTS>")?;
    let staged: Vec<&JourneyStage> = data.stages.iter().collect();
    for s in &staged {
        d.line(&format!("<SPEC-OBJECT {}>", d.identifiable(&identifier(s.id), &s.name)))?;
        d.line("<VALUES>")?;
        d.value(CHAPTER_NAME, Kind::String, &s.name)?;
        if !s.description.is_empty() {
            d.value(CHAPTER_TEXT, Kind::Xhtml, &s.description)?;
        }
        d.line("</VALUES>")?;
        d.line(&format!("<TYPE><SPEC-OBJECT-TYPE-REF>{STAGE_TYPE}</SPEC-OBJECT-TYPE-REF></TYPE>"))?;
        d.line("</SPEC-OBJECT>")?;
    }
    let total = data.requirements.len() as u64;
    for (i, r) in data.requirements.iter().enumerate() {
        requirement(&mut d, r)?;
        if i % 4096 == 0 {
            options.tick(i as u64, total);
        }
    }
    d.line("</SPEC-OBJECTS>")?;
    d.line("<SPEC-RELATIONS/>")?;

    d.line("<SPECIFICATIONS>")?;
    d.line(&format!("<SPECIFICATION {}>", d.identifiable(&identifier(p.id), &p.name)))?;
    d.line(&format!("<TYPE><SPECIFICATION-TYPE-REF>{SPECIFICATION_TYPE}</SPECIFICATION-TYPE-REF></TYPE>"))?;
    let has_children = !staged.is_empty() || !data.requirements.is_empty();
    if has_children {
        d.line("<CHILDREN>")?;
    }
    for s in &staged {
        let inside: Vec<&RequirementDetails> =
            data.requirements.iter().filter(|r| r.requirement.stage == Some(s.id)).collect();
        hierarchy_open(&mut d, &s.id.to_string(), &s.name)?;
        if !inside.is_empty() {
            d.line("<CHILDREN>")?;
            for r in inside {
                hierarchy_leaf(&mut d, r)?;
            }
            d.line("</CHILDREN>")?;
        }
        d.line("</SPEC-HIERARCHY>")?;
    }
    for r in data.requirements.iter().filter(|r| r.requirement.stage.is_none()) {
        hierarchy_leaf(&mut d, r)?;
    }
    if has_children {
        d.line("</CHILDREN>")?;
    }
    d.line("</SPECIFICATION>")?;
    d.line("</SPECIFICATIONS>")?;
    d.line("<SPEC-RELATION-GROUPS/>")?;
    d.line("</REQ-IF-CONTENT>")?;
    d.line("</CORE-CONTENT>")?;
    d.line("</REQ-IF>")?;
    d.out.flush()?;
    options.tick(total, total);
    Ok(())
}

fn attribute_definition(d: &mut Doc<'_>, id: &str, name: &str, kind: Kind) -> Result<(), ReportError> {
    let tag = kind.tag();
    let multi = if matches!(kind, Kind::Enumeration(_)) { " MULTI-VALUED=\"false\"" } else { "" };
    d.line(&format!(
        "<ATTRIBUTE-DEFINITION-{tag} {}{multi}><TYPE><DATATYPE-DEFINITION-{tag}-REF>{}</DATATYPE-DEFINITION-{tag}-REF></TYPE></ATTRIBUTE-DEFINITION-{tag}>",
        d.identifiable(id, name),
        kind.datatype()
    ))
}

fn requirement(d: &mut Doc<'_>, details: &RequirementDetails) -> Result<(), ReportError> {
    let r = &details.requirement;
    d.line(&format!("<SPEC-OBJECT {}>", d.identifiable(&identifier(r.id), &details.human_id)))?;
    d.line("<VALUES>")?;
    let lines = |items: &[String]| items.join("\n");
    let values: [(&str, String); 20] = [
        ("_elicit-ad-foreign-id", details.human_id.clone()),
        ("_elicit-ad-name", r.title.clone()),
        ("_elicit-ad-text", r.statement.clone()),
        ("_elicit-ad-kind", r.kind.to_string()),
        ("_elicit-ad-priority", r.priority.to_string()),
        ("_elicit-ad-status", r.status.to_string()),
        ("_elicit-ad-channel", r.channel.map(|c| c.to_string()).unwrap_or_default()),
        ("_elicit-ad-outcomes", lines(&details.outcome_statements)),
        ("_elicit-ad-sources", lines(&details.source_names)),
        ("_elicit-ad-interview", details.interview_title.clone().unwrap_or_default()),
        ("_elicit-ad-pain-point", r.pain_point.to_string()),
        ("_elicit-ad-moment-of-truth", r.moment_of_truth.to_string()),
        ("_elicit-ad-tags", lines(&r.tags)),
        ("_elicit-ad-acceptance", r.acceptance.clone()),
        ("_elicit-ad-rationale", r.rationale.clone()),
        ("_elicit-ad-quote", r.quote.clone()),
        ("_elicit-ad-external-ref", r.external_ref.clone()),
        ("_elicit-ad-version", r.version.to_string()),
        ("_elicit-ad-created", format_timestamp(r.created_at)),
        ("_elicit-ad-updated", format_timestamp(r.updated_at)),
    ];
    for ((id, _, kind), (value_id, value)) in ATTRIBUTES.iter().zip(values.iter()) {
        debug_assert_eq!(id, value_id);
        // Empty optional text is left out, as tools do; booleans and enumerations are always written.
        if value.is_empty() {
            continue;
        }
        d.value(id, *kind, value)?;
    }
    d.line("</VALUES>")?;
    d.line(&format!("<TYPE><SPEC-OBJECT-TYPE-REF>{REQUIREMENT_TYPE}</SPEC-OBJECT-TYPE-REF></TYPE>"))?;
    d.line("</SPEC-OBJECT>")
}

fn hierarchy_open(d: &mut Doc<'_>, uuid: &str, name: &str) -> Result<(), ReportError> {
    d.line(&format!("<SPEC-HIERARCHY {}>", d.identifiable(&format!("_h-{uuid}"), name)))?;
    d.line(&format!("<OBJECT><SPEC-OBJECT-REF>{}</SPEC-OBJECT-REF></OBJECT>", identifier(uuid)))
}

fn hierarchy_leaf(d: &mut Doc<'_>, r: &RequirementDetails) -> Result<(), ReportError> {
    hierarchy_open(d, &r.requirement.id.to_string(), &r.human_id)?;
    d.line("</SPEC-HIERARCHY>")
}
