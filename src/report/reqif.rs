//! ReqIF 1.2 export: one specification per project, a spec-object per requirement, grouped under one
//! heading object per journey stage.
//!
//! Attribute names follow the ReqIF Implementation Guide, so other tools map them without configuration:
//! `ReqIF.ForeignID` (the human id, `CHK-7`), `ReqIF.Name` (title), `ReqIF.Text` (statement, XHTML) and
//! `ReqIF.ChapterName` (stage headings). Our other fields are further attribute definitions named
//! `elicit.*`: enumerations for kind, priority, status and channel, XHTML for the acceptance criteria and
//! rationale, strings for the rest (lists one item per line). The marks (pain point, moment of truth) are a
//! two-value enumeration "yes"/"no" rather than `ATTRIBUTE-DEFINITION-BOOLEAN`, which StrictDoc's converter
//! refuses; every ReqIF tool reads an enumeration, and the importer reads both encodings (files written
//! before used booleans). Identifiers are our UUIDs behind an underscore (an XML ID cannot start with a
//! digit), so they stay stable across exports.

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
            Kind::Integer => "INTEGER",
            Kind::Date => "DATE",
            Kind::Enumeration(_) => "ENUMERATION",
        }
    }

    fn datatype(self) -> &'static str {
        match self {
            Kind::String => "_elicit-string",
            Kind::Xhtml => "_elicit-xhtml",
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
    ("_elicit-ad-pain-point", "elicit.PainPoint", Kind::Enumeration(FLAG)),
    ("_elicit-ad-moment-of-truth", "elicit.MomentOfTruth", Kind::Enumeration(FLAG)),
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
/// The datatype of the marks: an enumeration of [`FLAG_VALUES`].
const FLAG: &str = "_elicit-flag";
/// The values of a mark, true first.
const FLAG_VALUES: [&str; 2] = ["yes", "no"];

/// The enumerations: datatype identifier, long name, values.
fn enumerations() -> [(&'static str, &'static str, Vec<&'static str>); 5] {
    [
        ("_elicit-kind", "elicit kind", crate::domain::Kind::ALL.iter().map(|v| v.as_str()).collect()),
        ("_elicit-priority", "elicit priority", Priority::ALL.iter().map(|v| v.as_str()).collect()),
        ("_elicit-status", "elicit status", Status::ALL.iter().map(|v| v.as_str()).collect()),
        ("_elicit-channel", "elicit channel", Channel::ALL.iter().map(|v| v.as_str()).collect()),
        (FLAG, "elicit yes/no", FLAG_VALUES.to_vec()),
    ]
}

/// The identifier of an enumeration value: `_elicit-kind-functional`.
pub(super) fn enum_value_id(datatype: &str, value: &str) -> String {
    format!("{datatype}-{value}")
}

/// Text escaped for an XML attribute value, as it is written; line breaks and tabs become character
/// references so attribute normalisation does not turn them into spaces.
struct Attr<'a>(&'a str);

/// Text escaped as element content, as it is written.
struct Text<'a>(&'a str);

/// Plain text as an XHTML `div`, one `br` per line break, as it is written.
struct Xhtml<'a>(&'a str);

/// Writes `s` with each character that `escape` maps replaced; the runs in between are written whole.
fn write_escaped(
    f: &mut std::fmt::Formatter<'_>,
    s: &str,
    escape: impl Fn(char) -> Option<&'static str>,
) -> std::fmt::Result {
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if let Some(replacement) = escape(c) {
            f.write_str(&s[start..i])?;
            f.write_str(replacement)?;
            start = i + c.len_utf8();
        }
    }
    f.write_str(&s[start..])
}

/// XML 1.0 forbids control characters other than these; the store never keeps them, but stay safe.
fn dropped(c: char) -> Option<&'static str> {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t')).then_some("")
}

impl std::fmt::Display for Attr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_escaped(f, self.0, |c| match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '"' => Some("&quot;"),
            '\n' => Some("&#10;"),
            '\r' => Some("&#13;"),
            '\t' => Some("&#9;"),
            c => dropped(c),
        })
    }
}

impl std::fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_escaped(f, self.0, |c| match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '\r' => Some(""),
            c => dropped(c),
        })
    }
}

impl std::fmt::Display for Xhtml<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<xhtml:div>")?;
        for (i, line) in self.0.split('\n').enumerate() {
            if i > 0 {
                f.write_str("<xhtml:br/>")?;
            }
            write!(f, "{}", Text(line))?;
        }
        f.write_str("</xhtml:div>")
    }
}

/// The document being written: to the output itself, or to a chunk's buffer (see `chunks`).
struct Doc<W: Write> {
    out: W,
    stamp: String,
}

impl<W: Write> Doc<W> {
    fn line(&mut self, s: &str) -> Result<(), ReportError> {
        self.out.write_all(s.as_bytes())?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    fn value(&mut self, id: &str, kind: Kind, value: &str) -> Result<(), ReportError> {
        let tag = kind.tag();
        match kind {
            Kind::Xhtml => writeln!(
                self.out,
                "<ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>{id}</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE>{}</THE-VALUE></ATTRIBUTE-VALUE-XHTML>",
                Xhtml(value)
            )?,
            Kind::Enumeration(dt) => writeln!(
                self.out,
                "<ATTRIBUTE-VALUE-ENUMERATION><DEFINITION><ATTRIBUTE-DEFINITION-ENUMERATION-REF>{id}</ATTRIBUTE-DEFINITION-ENUMERATION-REF></DEFINITION><VALUES><ENUM-VALUE-REF>{}</ENUM-VALUE-REF></VALUES></ATTRIBUTE-VALUE-ENUMERATION>",
                enum_value_id(dt, value)
            )?,
            _ => writeln!(
                self.out,
                "<ATTRIBUTE-VALUE-{tag} THE-VALUE=\"{}\"><DEFINITION><ATTRIBUTE-DEFINITION-{tag}-REF>{id}</ATTRIBUTE-DEFINITION-{tag}-REF></DEFINITION></ATTRIBUTE-VALUE-{tag}>",
                Attr(value)
            )?,
        }
        Ok(())
    }

    fn identifiable(&self, id: &str, long_name: &str) -> String {
        format!("IDENTIFIER=\"{}\" LAST-CHANGE=\"{}\" LONG-NAME=\"{}\"", Attr(id), self.stamp, Attr(long_name))
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
    d.line(&format!("<REQ-IF-HEADER IDENTIFIER=\"{}\">", Attr(&format!("_header-{}", p.id))))?;
    d.line(&format!(
        "<COMMENT>{}</COMMENT>",
        Text(&format!("Requirements of {} ({}), exported by elicit", p.name, p.key))
    ))?;
    d.line(&format!("<CREATION-TIME>{stamp}</CREATION-TIME>"))?;
    d.line(&format!("<REQ-IF-TOOL-ID>{TOOL_ID}</REQ-IF-TOOL-ID>"))?;
    d.line("<REQ-IF-VERSION>1.0</REQ-IF-VERSION>")?;
    d.line(&format!("<SOURCE-TOOL-ID>elicit {}</SOURCE-TOOL-ID>", env!("CARGO_PKG_VERSION")))?;
    d.line(&format!("<TITLE>{}</TITLE>", Text(&p.name)))?;
    d.line("</REQ-IF-HEADER>")?;
    d.line("</THE-HEADER>")?;
    d.line("<CORE-CONTENT>")?;
    d.line("<REQ-IF-CONTENT>")?;

    d.line("<DATATYPES>")?;
    let simple = [
        ("STRING", "_elicit-string", "String", format!(" MAX-LENGTH=\"{MAX_TEXT_CHARS}\"")),
        ("XHTML", "_elicit-xhtml", "XHTML", String::new()),
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
    write_each(&mut d, &data.requirements, requirement, &mut |n| options.tick(n as u64, total))?;
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
            write_each(&mut d, &inside, |d, r| hierarchy_leaf(d, r), &mut |_| {})?;
            d.line("</CHILDREN>")?;
        }
        d.line("</SPEC-HIERARCHY>")?;
    }
    let unplaced: Vec<&RequirementDetails> =
        data.requirements.iter().filter(|r| r.requirement.stage.is_none()).collect();
    write_each(&mut d, &unplaced, |d, r| hierarchy_leaf(d, r), &mut |_| {})?;
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

/// Writes the ReqIF document zipped (`.reqifz`): one deflated `KEY-requirements.reqif` inside. The archive
/// is built in memory (compressed, a fraction of the XML) so it carries sizes in its local headers rather
/// than data descriptors, which some readers do not follow.
pub fn write_zipped(data: &ReportData, options: &ExportOptions<'_>, writer: &mut dyn Write) -> Result<(), ReportError> {
    let zip_error = |e: zip::result::ZipError| ReportError::Io(std::io::Error::other(e));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut entry = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    // Zip times are local civil times without a zone; the export's UTC time is the honest choice.
    let t = data.now.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    let to = |n: i8| u8::try_from(n).unwrap_or_default();
    let year = u16::try_from(t.year()).unwrap_or_default();
    if let Ok(time) = zip::DateTime::from_date_and_time(
        year,
        to(t.month()),
        to(t.day()),
        to(t.hour()),
        to(t.minute()),
        to(t.second()),
    ) {
        entry = entry.last_modified_time(time);
    }
    zip.start_file(format!("{}-requirements.reqif", data.project.key), entry).map_err(zip_error)?;
    write(data, options, &mut zip)?;
    let archive = zip.finish().map_err(zip_error)?.into_inner();
    writer.write_all(&archive)?;
    writer.flush()?;
    Ok(())
}

fn attribute_definition(d: &mut Doc<impl Write>, id: &str, name: &str, kind: Kind) -> Result<(), ReportError> {
    let tag = kind.tag();
    let multi = if matches!(kind, Kind::Enumeration(_)) { " MULTI-VALUED=\"false\"" } else { "" };
    d.line(&format!(
        "<ATTRIBUTE-DEFINITION-{tag} {}{multi}><TYPE><DATATYPE-DEFINITION-{tag}-REF>{}</DATATYPE-DEFINITION-{tag}-REF></TYPE></ATTRIBUTE-DEFINITION-{tag}>",
        d.identifiable(id, name),
        kind.datatype()
    ))
}

fn requirement(d: &mut Doc<impl Write>, details: &RequirementDetails) -> Result<(), ReportError> {
    use std::borrow::Cow;
    let r = &details.requirement;
    d.line(&format!("<SPEC-OBJECT {}>", d.identifiable(&identifier(r.id), &details.human_id)))?;
    d.line("<VALUES>")?;
    let lines = |items: &[String]| Cow::Owned(items.join("\n"));
    let b = |s: &'static str| Cow::Borrowed(s);
    let bool_text = |v: bool| b(FLAG_VALUES[usize::from(!v)]);
    let values: [(&str, Cow<'_, str>); 20] = [
        ("_elicit-ad-foreign-id", Cow::Borrowed(&details.human_id)),
        ("_elicit-ad-name", Cow::Borrowed(&r.title)),
        ("_elicit-ad-text", Cow::Borrowed(&r.statement)),
        ("_elicit-ad-kind", b(r.kind.as_str())),
        ("_elicit-ad-priority", b(r.priority.as_str())),
        ("_elicit-ad-status", b(r.status.as_str())),
        ("_elicit-ad-channel", b(r.channel.map_or("", |c| c.as_str()))),
        ("_elicit-ad-outcomes", lines(&details.outcome_statements)),
        ("_elicit-ad-sources", lines(&details.source_names)),
        ("_elicit-ad-interview", Cow::Borrowed(details.interview_title.as_deref().unwrap_or_default())),
        ("_elicit-ad-pain-point", bool_text(r.pain_point)),
        ("_elicit-ad-moment-of-truth", bool_text(r.moment_of_truth)),
        ("_elicit-ad-tags", lines(&r.tags)),
        ("_elicit-ad-acceptance", Cow::Borrowed(&r.acceptance)),
        ("_elicit-ad-rationale", Cow::Borrowed(&r.rationale)),
        ("_elicit-ad-quote", Cow::Borrowed(&r.quote)),
        ("_elicit-ad-external-ref", Cow::Borrowed(&r.external_ref)),
        ("_elicit-ad-version", Cow::Owned(r.version.to_string())),
        ("_elicit-ad-created", Cow::Owned(format_timestamp(r.created_at))),
        ("_elicit-ad-updated", Cow::Owned(format_timestamp(r.updated_at))),
    ];
    for ((id, _, kind), (value_id, value)) in ATTRIBUTES.iter().zip(values.iter()) {
        debug_assert_eq!(id, value_id);
        // Empty optional text is left out, as tools do; the marks and enumerations are always written.
        if value.is_empty() {
            continue;
        }
        d.value(id, *kind, value)?;
    }
    d.line("</VALUES>")?;
    d.line(&format!("<TYPE><SPEC-OBJECT-TYPE-REF>{REQUIREMENT_TYPE}</SPEC-OBJECT-TYPE-REF></TYPE>"))?;
    d.line("</SPEC-OBJECT>")
}

/// Writes `items` with `each`, formatting chunks of them on every core (see `chunks`).
fn write_each<T: Sync>(
    d: &mut Doc<impl Write>,
    items: &[T],
    each: fn(&mut Doc<Vec<u8>>, &T) -> Result<(), ReportError>,
    written: &mut dyn FnMut(usize),
) -> Result<(), ReportError> {
    let stamp = &d.stamp;
    let format = |chunk: &[T], buf: &mut Vec<u8>| -> Result<(), ReportError> {
        let mut doc = Doc { out: std::mem::take(buf), stamp: stamp.clone() };
        let result = chunk.iter().try_for_each(|item| each(&mut doc, item));
        *buf = doc.out;
        result
    };
    super::chunks::write_ordered(items, &mut d.out, &format, written)
}

fn hierarchy_open(d: &mut Doc<impl Write>, uuid: &str, name: &str) -> Result<(), ReportError> {
    d.line(&format!("<SPEC-HIERARCHY {}>", d.identifiable(&format!("_h-{uuid}"), name)))?;
    d.line(&format!("<OBJECT><SPEC-OBJECT-REF>{}</SPEC-OBJECT-REF></OBJECT>", identifier(uuid)))
}

fn hierarchy_leaf(d: &mut Doc<impl Write>, r: &RequirementDetails) -> Result<(), ReportError> {
    hierarchy_open(d, &r.requirement.id.to_string(), &r.human_id)?;
    d.line("</SPEC-HIERARCHY>")
}
