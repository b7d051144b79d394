//! Which attribute fills which field of a requirement.
//!
//! Tools name the same things differently, and many leave LONG-NAME out. Per spec-object type, each field
//! takes the first attribute of: the ReqIF Implementation Guide's standard names (`ReqIF.ForeignID`,
//! `ReqIF.Name`, `ReqIF.Text`, `ReqIF.ChapterName`, `ReqIF.Description`, `ReqIF.Prefix`), then the names
//! tools commonly use ("Object Text", "Text", "Description", "Title", "Object Heading", "ID", ...), matched
//! ignoring case, spaces and punctuation; an attribute without a LONG-NAME is matched by its identifier
//! and the identifier's last part (DOORS writes `..._OBJECTTEXT`). A type with no statement attribute then
//! takes its richest text attribute (most characters over its objects; metadata such as the guide's and
//! DOORS's bookkeeping attributes, `ReqIF.ForeignCreatedBy`, "Author", "Date", "Version", "Status", never
//! count). `--map ATTRIBUTE=FIELD` overrides all of
//! this, by LONG-NAME or IDENTIFIER.
//!
//! Every attribute no rule maps is kept as a `Name: value` line in the requirement's rationale, so nothing
//! disappears without a word; `--map ATTRIBUTE=ignore` leaves one out.

use std::collections::{HashMap, HashSet};

use super::document::{Document, Value, ValueKind};

/// What an attribute fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Field {
    ForeignId,
    Prefix,
    Title,
    Statement,
    Heading,
    Rationale,
    Acceptance,
    Quote,
    Tags,
    Kind,
    Priority,
    Status,
    // elicit's own attributes
    Channel,
    Outcomes,
    Sources,
    Interview,
    PainPoint,
    MomentOfTruth,
    ExternalRef,
    /// A `Name: value` line in the rationale.
    Note,
    /// Left out.
    Ignore,
}

/// The fields `--map` accepts, by the name the user types.
const MAP_FIELDS: &[(&str, Field)] = &[
    ("title", Field::Title),
    ("statement", Field::Statement),
    ("id", Field::ForeignId),
    ("prefix", Field::Prefix),
    ("heading", Field::Heading),
    ("rationale", Field::Rationale),
    ("acceptance", Field::Acceptance),
    ("quote", Field::Quote),
    ("tags", Field::Tags),
    ("kind", Field::Kind),
    ("priority", Field::Priority),
    ("status", Field::Status),
    ("note", Field::Note),
    ("ignore", Field::Ignore),
];

impl Field {
    /// How the summary names the field.
    fn label(self) -> &'static str {
        match self {
            Field::ForeignId => "id (external reference)",
            Field::Prefix => "id prefix",
            Field::Title => "title",
            Field::Statement => "statement",
            Field::Heading => "heading (the stage of the requirements below it, or a title)",
            Field::Rationale => "rationale",
            Field::Acceptance => "acceptance",
            Field::Quote => "quote",
            Field::Tags => "tags",
            Field::Kind => "kind",
            Field::Priority => "priority",
            Field::Status => "status",
            Field::Channel => "channel",
            Field::Outcomes => "outcomes",
            Field::Sources => "sources",
            Field::Interview => "interview",
            Field::PainPoint => "pain point",
            Field::MomentOfTruth => "moment of truth",
            Field::ExternalRef => "external reference",
            Field::Note => "note",
            Field::Ignore => "ignored",
        }
    }
}

/// Names matched to fields, best first: the Implementation Guide's, then common tool names. Compared after
/// [`normalise`].
const NAMES: &[(&str, Field)] = &[
    ("reqifforeignid", Field::ForeignId),
    ("reqifprefix", Field::Prefix),
    ("reqifname", Field::Title),
    ("reqiftext", Field::Statement),
    ("reqifchaptername", Field::Heading),
    ("reqifdescription", Field::Statement),
    ("objecttext", Field::Statement),
    ("text", Field::Statement),
    ("description", Field::Statement),
    ("plaintext", Field::Statement),
    ("richtext", Field::Statement),
    ("statement", Field::Statement),
    ("requirementtext", Field::Statement),
    ("name", Field::Title),
    ("title", Field::Title),
    ("summary", Field::Title),
    ("objectshorttext", Field::Title),
    ("shorttext", Field::Title),
    ("objectheading", Field::Heading),
    ("heading", Field::Heading),
    ("chaptername", Field::Heading),
    ("id", Field::ForeignId),
    ("uid", Field::ForeignId),
    ("identifier", Field::ForeignId),
    ("key", Field::ForeignId),
    ("reqid", Field::ForeignId),
    ("requirementid", Field::ForeignId),
    ("absolutenumber", Field::ForeignId),
    ("objectidentifier", Field::ForeignId),
    ("externalid", Field::ForeignId),
    ("prefix", Field::Prefix),
    ("rationale", Field::Rationale),
    ("acceptancecriteria", Field::Acceptance),
    ("acceptance", Field::Acceptance),
    ("status", Field::Status),
    ("state", Field::Status),
    ("priority", Field::Priority),
    ("tags", Field::Tags),
    ("labels", Field::Tags),
    ("keywords", Field::Tags),
];

/// elicit's own attributes (files it wrote).
const OWN: &[(&str, Field)] = &[
    ("elicit.Kind", Field::Kind),
    ("elicit.Priority", Field::Priority),
    ("elicit.Status", Field::Status),
    ("elicit.Channel", Field::Channel),
    ("elicit.Outcomes", Field::Outcomes),
    ("elicit.Sources", Field::Sources),
    ("elicit.Interview", Field::Interview),
    ("elicit.PainPoint", Field::PainPoint),
    ("elicit.MomentOfTruth", Field::MomentOfTruth),
    ("elicit.Tags", Field::Tags),
    ("elicit.Acceptance", Field::Acceptance),
    ("elicit.Rationale", Field::Rationale),
    ("elicit.Quote", Field::Quote),
    ("elicit.ExternalRef", Field::ExternalRef),
    // Set by the store on import.
    ("elicit.Version", Field::Ignore),
    ("elicit.Created", Field::Ignore),
    ("elicit.Updated", Field::Ignore),
];

/// Metadata attributes (who wrote or changed what when, ids, versions, states): kept as notes, never
/// taken for the statement, and an object that holds nothing else holds no text. Eclipse RMF's samples
/// carry only an "Author"; DOORS's "Created By", "Last Modified On"; others "Date", "Version", "Owner".
pub(super) fn is_bookkeeping(name: &str) -> bool {
    let n = normalise(name);
    let who = ["author", "owner", "creator", "assignee", "reporter", "responsible", "editor", "modifier"];
    let when_or_which = ["date", "time", "timestamp", "version", "revision", "baseline", "identifier", "uuid", "guid"];
    n.starts_with("reqifforeign")
        || n.starts_with("created")
        || n.starts_with("modified")
        || n.starts_with("lastmodified")
        || n.starts_with("lastchange")
        || n.starts_with("changed")
        || n.ends_with("by")
        || n.ends_with("on") && (n.contains("modified") || n.contains("created") || n.contains("changed"))
        || who.iter().any(|w| n.ends_with(w))
        || when_or_which.iter().any(|w| n.ends_with(w))
        || matches!(
            n.as_str(),
            "reqifchangedescription"
                | "id"
                | "uid"
                | "key"
                | "status"
                | "state"
                | "priority"
                | "severity"
                | "absolutenumber"
                | "objectnumber"
                | "objectlevel"
                | "level"
        )
}

/// Lower case letters and digits only: "Object Text", "OBJECT_TEXT" and "objectText" are all `objecttext`.
fn normalise(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// True for a spec-object type whose name says its objects are headings.
pub(super) fn is_heading_type(name: &str) -> bool {
    let n = normalise(name);
    matches!(n.as_str(), "heading" | "headings" | "chapter" | "section" | "folder" | "header" | "elicitjourneystage")
        || n.contains("heading")
        || n.contains("chapter")
}

/// One `--map ATTRIBUTE=FIELD`.
#[derive(Debug, Clone)]
pub(super) struct Override {
    pub attribute: String,
    field: Field,
    /// Some attribute of the file matched it.
    pub used: bool,
}

/// Reads `--map` pairs; an unknown field is an error that lists the valid ones.
pub(super) fn overrides(pairs: &[(String, String)]) -> Result<Vec<Override>, String> {
    pairs
        .iter()
        .map(|(attribute, field)| {
            let wanted = field.trim().to_lowercase();
            let field = MAP_FIELDS.iter().find(|(name, _)| *name == wanted).map(|(_, f)| *f).ok_or_else(|| {
                let names: Vec<&str> = MAP_FIELDS.iter().map(|(n, _)| *n).collect();
                format!("--map {attribute}={field}: unknown field {field:?}; fields: {}", names.join(", "))
            })?;
            Ok(Override { attribute: attribute.trim().to_owned(), field, used: false })
        })
        .collect()
}

/// How a field was chosen, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Name,
    Richest,
    Map,
}

/// The fields of a file's attribute definitions.
#[derive(Debug, Default)]
pub(super) struct Mapping {
    /// By definition index; definitions no object uses have none.
    fields: Vec<Field>,
    /// (attribute name, its identifier, field, rule) per used definition, in the order first used.
    chosen: Vec<(String, String, Field, Rule)>,
    ours: bool,
}

/// What the objects of the file hold for one attribute definition.
#[derive(Debug, Clone, Copy)]
struct Usage {
    kind: ValueKind,
    chars: usize,
}

impl Mapping {
    /// The field of the attribute definition `definition` (an index into the document's definitions).
    pub(super) fn field(&self, definition: usize) -> Field {
        self.fields.get(definition).copied().unwrap_or(Field::Note)
    }

    /// Chooses the fields of every attribute definition the objects of `doc` use.
    pub(super) fn resolve(doc: &Document, overrides: &mut [Override]) -> Mapping {
        let mut usage: Vec<Option<Usage>> = vec![None; doc.definitions.len()];
        // Spec-object types in the order their first attribute is used, with those attributes.
        let mut group_of: HashMap<&str, usize> = HashMap::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for o in &doc.objects {
            for v in &o.values {
                let chars = match &v.value {
                    Value::Text(t) => t.len(),
                    Value::Enumeration(e) => e.len(),
                };
                let u = usage[v.definition].get_or_insert_with(|| {
                    let group = *group_of.entry(o.type_ref.as_str()).or_insert_with(|| {
                        groups.push(Vec::new());
                        groups.len() - 1
                    });
                    groups[group].push(v.definition);
                    Usage { kind: doc.definitions[v.definition].kind, chars: 0 }
                });
                u.chars += chars;
            }
        }
        let mut mapping =
            Mapping { fields: vec![Field::Note; doc.definitions.len()], ours: doc.ours, ..Mapping::default() };
        for defs in &groups {
            mapping.resolve_type(doc, defs, &usage, overrides);
        }
        mapping
    }

    /// Chooses the fields of one type's attributes.
    fn resolve_type(&mut self, doc: &Document, defs: &[usize], usage: &[Option<Usage>], overrides: &mut [Override]) {
        let mut chosen: Vec<(usize, Field, Rule)> = Vec::new();
        let mut forced_fields: Vec<Field> = Vec::new();
        let mut candidates: Vec<(usize, Field, usize)> = Vec::new();
        for &d in defs {
            let (id, name) = (doc.definitions[d].identifier.as_str(), doc.definitions[d].long_name.as_deref());
            let forced = overrides.iter_mut().find(|o| o.attribute == id || name == Some(o.attribute.as_str()));
            let forced = match forced {
                Some(o) => Some(o),
                None => overrides.iter_mut().find(|o| {
                    o.attribute.eq_ignore_ascii_case(id)
                        || name.is_some_and(|n| n.trim().eq_ignore_ascii_case(&o.attribute))
                }),
            };
            if let Some(o) = forced {
                o.used = true;
                chosen.push((d, o.field, Rule::Map));
                forced_fields.push(o.field);
                continue;
            }
            if self.ours
                && let Some(n) = name
                && let Some((_, f)) = OWN.iter().find(|(own, _)| *own == n)
            {
                chosen.push((d, *f, Rule::Name));
                continue;
            }
            // The LONG-NAME first; when it matches no rule or is missing, the identifier and its last part
            // (DOORS writes `..._OBJECTTEXT`).
            let last = id.rsplit(['_', '-', '.', ':']).find(|p| !p.is_empty()).unwrap_or(id);
            let rank_of = |key: &str| NAMES.iter().position(|(n, _)| *n == key);
            let by_name = name.and_then(|n| rank_of(&normalise(n)));
            let by_id = || rank_of(&normalise(id)).or_else(|| rank_of(&normalise(last)));
            match by_name.or_else(by_id) {
                Some(rank) => candidates.push((d, NAMES[rank].1, rank)),
                None => chosen.push((d, Field::Note, Rule::Name)),
            }
        }
        // Each field takes its best-named attribute, unless --map gave it one; the others become notes.
        let mut best: HashMap<Field, (usize, usize)> = HashMap::new();
        for &(d, field, rank) in &candidates {
            if forced_fields.contains(&field) {
                continue;
            }
            let entry = best.entry(field).or_insert((d, rank));
            if rank < entry.1 {
                *entry = (d, rank);
            }
        }
        for &(d, field, _) in &candidates {
            let wins = best.get(&field).is_some_and(|(winner, _)| *winner == d);
            chosen.push((d, if wins { field } else { Field::Note }, Rule::Name));
        }
        // No statement: the richest text attribute is one.
        if !self.ours && !chosen.iter().any(|(_, f, _)| *f == Field::Statement) {
            let richest = chosen
                .iter()
                .enumerate()
                .filter_map(|(i, (d, f, rule))| {
                    let u = usage[*d]?;
                    let eligible = *f == Field::Note
                        && *rule == Rule::Name
                        && u.kind.is_text()
                        && u.chars > 0
                        && !is_bookkeeping(doc.definitions[*d].name());
                    eligible.then_some((i, u.chars))
                })
                .max_by_key(|(i, chars)| (*chars, std::cmp::Reverse(*i)))
                .map(|(i, _)| i);
            if let Some(i) = richest {
                chosen[i].1 = Field::Statement;
                chosen[i].2 = Rule::Richest;
            }
        }
        for (d, field, rule) in chosen {
            self.fields[d] = field;
            let def = &doc.definitions[d];
            self.chosen.push((def.name().to_owned(), def.identifier.clone(), field, rule));
        }
    }

    /// Lines for the import summary: what was mapped to what, what was kept as notes, what was left out.
    pub(super) fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        // One line per attribute name and field: the identifier is named only where one name (several
        // object types each have a "ReqIF.ForeignID") went to different fields.
        let mut fields_of: std::collections::HashMap<&str, HashSet<Field>> = std::collections::HashMap::new();
        for (name, _, field, _) in &self.chosen {
            fields_of.entry(name).or_default().insert(*field);
        }
        let mut seen = HashSet::new();
        let shown: Vec<(String, Field, Rule)> = self
            .chosen
            .iter()
            .map(|(name, id, field, rule)| {
                let name = if fields_of[name.as_str()].len() > 1 { format!("{name} ({id})") } else { name.clone() };
                (name, *field, *rule)
            })
            .filter(|(name, field, _)| seen.insert((name.clone(), *field)))
            .collect();
        let pick = |wanted: fn(Field) -> bool| -> Vec<&(String, Field, Rule)> {
            shown.iter().filter(|(_, f, _)| wanted(*f)).collect()
        };
        let mapped = pick(|f| !matches!(f, Field::Note | Field::Ignore));
        if self.ours {
            let forced: Vec<String> = mapped
                .iter()
                .filter(|(_, _, r)| *r == Rule::Map)
                .map(|(n, f, _)| format!("{n} -> {}", f.label()))
                .collect();
            lines.push(if forced.is_empty() {
                "attributes: elicit's own, each back into its field".to_owned()
            } else {
                format!("attributes: elicit's own, each back into its field; --map: {}", forced.join("; "))
            });
        } else if mapped.is_empty() {
            lines.push("attributes mapped: none (no attribute holds a title, text or id)".to_owned());
        } else {
            let shown: Vec<String> = mapped
                .iter()
                .map(|(name, field, rule)| {
                    let how = match rule {
                        Rule::Name => "",
                        Rule::Richest => " (the richest text attribute)",
                        Rule::Map => " (--map)",
                    };
                    format!("{name} -> {}{how}", field.label())
                })
                .collect();
            lines.push(format!("attributes mapped: {}", shown.join("; ")));
        }
        let notes = pick(|f| f == Field::Note);
        if !notes.is_empty() {
            let names: Vec<&str> = notes.iter().map(|(n, _, _)| n.as_str()).collect();
            lines.push(format!(
                "attributes kept in the rationale as \"Name: value\" lines: {} (--map ATTRIBUTE=FIELD maps one, ATTRIBUTE=ignore leaves it out)",
                names.join(", ")
            ));
        }
        let ignored = pick(|f| f == Field::Ignore);
        if !ignored.is_empty() {
            let names: Vec<&str> = ignored.iter().map(|(n, _, _)| n.as_str()).collect();
            lines.push(format!("attributes ignored: {}", names.join(", ")));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::super::document::{AttributeValue, SpecObject};
    use super::*;

    fn doc(defs: &[(&str, Option<&str>, ValueKind)], values: &[(&str, &str)]) -> Document {
        let mut d = Document::default();
        let index: Vec<usize> =
            defs.iter().map(|(id, name, kind)| d.declare(id, name.map(str::to_owned), *kind)).collect();
        let values = values
            .iter()
            .map(|(def, text)| {
                let i = index[defs.iter().position(|(id, _, _)| id == def).unwrap()];
                AttributeValue { definition: i, value: Value::Text((*text).into()) }
            })
            .collect();
        d.objects.push(SpecObject { identifier: "o".into(), type_ref: "t".into(), values, ..SpecObject::default() });
        d
    }

    /// The field of the definition with identifier `id`.
    fn field(m: &Mapping, d: &Document, id: &str) -> Field {
        m.field(d.definitions.iter().position(|def| def.identifier == id).unwrap())
    }

    #[test]
    fn standard_names_win_over_tool_names_and_the_loser_is_a_note() {
        let d = doc(
            &[("a", Some("Description"), ValueKind::String), ("b", Some("ReqIF.Text"), ValueKind::Xhtml)],
            &[("a", "long description text"), ("b", "text")],
        );
        let m = Mapping::resolve(&d, &mut []);
        assert_eq!((field(&m, &d, "a"), field(&m, &d, "b")), (Field::Note, Field::Statement));
    }

    #[test]
    fn identifiers_stand_for_missing_names_and_the_richest_text_is_the_statement() {
        let d = doc(
            &[("_x_OBJECTTEXT", None, ValueKind::Xhtml), ("_x_CREATEDBY", None, ValueKind::Xhtml)],
            &[("_x_OBJECTTEXT", "text"), ("_x_CREATEDBY", "someone with a long name")],
        );
        let m = Mapping::resolve(&d, &mut []);
        assert_eq!(field(&m, &d, "_x_OBJECTTEXT"), Field::Statement);
        let d = doc(
            &[("REQ-TXT", None, ValueKind::String), ("C", Some("ReqIF.ForeignCreatedBy"), ValueKind::String)],
            &[("REQ-TXT", "short"), ("C", "a much longer bookkeeping value")],
        );
        let m = Mapping::resolve(&d, &mut []);
        assert_eq!((field(&m, &d, "REQ-TXT"), field(&m, &d, "C")), (Field::Statement, Field::Note));
        assert!(m.summary()[0].contains("REQ-TXT -> statement (the richest text attribute)"), "{:?}", m.summary());
    }

    #[test]
    fn metadata_is_never_the_richest_text() {
        // Eclipse RMF's sample: an object type with only an "Author" (and an integer) has no statement.
        let d = doc(&[("a", Some("Author"), ValueKind::String)], &[("a", "Max Mustermann")]);
        let m = Mapping::resolve(&d, &mut []);
        assert_eq!(field(&m, &d, "a"), Field::Note);
        assert!(!m.summary()[0].contains("statement"), "{:?}", m.summary());
        for name in ["Author", "Created By", "Last Modified On", "Date", "Creation Date", "Version", "Status", "Owner"]
        {
            assert!(is_bookkeeping(name), "{name}");
        }
        for name in ["Comment", "TC1000 String", "A1", "Notes", "Object Text", "Verification method"] {
            assert!(!is_bookkeeping(name), "{name}");
        }
        // Beside a real text attribute, that one is the statement however long the metadata.
        let d = doc(
            &[("a", Some("Author"), ValueKind::String), ("c", Some("Comment"), ValueKind::String)],
            &[("a", "a very long author name indeed"), ("c", "short")],
        );
        let m = Mapping::resolve(&d, &mut []);
        assert_eq!((field(&m, &d, "a"), field(&m, &d, "c")), (Field::Note, Field::Statement));
    }

    #[test]
    fn map_overrides_by_long_name_or_identifier() {
        let d = doc(
            &[("a", Some("ReqIF.Text"), ValueKind::Xhtml), ("b", Some("Object Text"), ValueKind::Xhtml)],
            &[("a", "x"), ("b", "y")],
        );
        let mut o = overrides(&[("Object Text".into(), "statement".into()), ("a".into(), "ignore".into())]).unwrap();
        let m = Mapping::resolve(&d, &mut o);
        assert_eq!((field(&m, &d, "a"), field(&m, &d, "b")), (Field::Ignore, Field::Statement));
        assert!(o.iter().all(|o| o.used));
        let err = overrides(&[("x".into(), "colour".into())]).unwrap_err();
        assert!(err.contains("unknown field \"colour\"") && err.contains("statement"), "{err}");
    }

    #[test]
    fn heading_types_are_plain_from_their_names() {
        for name in ["Heading", "SECTION", "Chapter heading", "elicit journey stage"] {
            assert!(is_heading_type(name), "{name}");
        }
        for name in ["Software Requirement", "Requirement Type", "TC1000 SpecObjectType"] {
            assert!(!is_heading_type(name), "{name}");
        }
    }
}
