//! ReqIF import on the real binary with files other tools wrote: every file of the samples folder
//! (`../shared/data/reqif-samples/`: DOORS, Polarion, ReqIF Studio, Enterprise Architect, Eclipse RMF,
//! Capella, StrictDoc) imports, or fails with a message that names the object or the reason; per file, the
//! requirements imported match the text-bearing spec-objects counted here by a scan of our own (quick-xml,
//! none of the importer's code); and no statement starts with white space. Then one scenario per issue item:
//! headings, attribute mapping and `--map`, XHTML, long values and `--skip-invalid`, objects in no
//! specification, relations, `.reqifz`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use serde_json::Value;

use crate::common::*;

/// The samples folder: `ELICIT_REQIF_SAMPLES`, else `../shared/data/reqif-samples` beside the repository.
fn samples() -> Option<PathBuf> {
    let dir = std::env::var_os("ELICIT_REQIF_SAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/reqif-samples"));
    dir.is_dir().then_some(dir)
}

fn sample(name: &str) -> Option<PathBuf> {
    let dir = samples()?;
    let found = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().contains(name));
    Some(found.unwrap_or_else(|| panic!("no sample named *{name}* in {}", dir.display())))
}

/// A database with an empty project TST.
fn project() -> TempDb {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "TST", "--name", "Samples", "--journey", "none"]);
    db
}

fn requirements(db: &Path) -> Vec<Value> {
    serde_json::from_str::<Value>(&ok(db, &["list", "--format", "json"])).unwrap().as_array().unwrap().clone()
}

/// The number in "imported N requirements" / "would import N requirements".
fn imported(out: &str) -> usize {
    let line = out.lines().find(|l| l.contains("import") && l.contains("requirement")).unwrap_or_default();
    line.split_whitespace().find_map(|w| w.parse().ok()).unwrap_or_else(|| panic!("no count in {out}"))
}

// ---------------------------------------------------------------------------------------------------------
// The census: what a file holds, counted without the importer.

/// Lower-case letters and digits: "Object Text" and "OBJECT_TEXT" alike.
fn key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Ids and metadata (who wrote or changed what when, versions, states): values, but not the text of a
/// requirement (Eclipse RMF's samples hold nothing but an "Author").
fn not_text(k: &str) -> bool {
    k.starts_with("reqifforeign")
        || k.ends_with("createdby")
        || k.ends_with("createdon")
        || k.ends_with("modifiedby")
        || k.ends_with("modifiedon")
        || k.ends_with("absolutenumber")
        || k.ends_with("author")
        || k.ends_with("owner")
        || k.ends_with("date")
        || k.ends_with("version")
        || ["reqifprefix", "reqifchangedescription", "reqifrevision", "id", "uid", "requirementid"].contains(&k)
        || ["status", "state", "priority"].contains(&k)
}

fn is_heading_attribute(k: &str) -> bool {
    k == "reqifchaptername" || k == "heading" || k == "chaptername" || k.ends_with("objectheading")
}

fn is_title_attribute(k: &str) -> bool {
    ["reqifname", "name", "title", "summary", "shorttext", "objectshorttext"].contains(&k)
}

fn is_statement_attribute(k: &str) -> bool {
    ["reqiftext", "reqifdescription", "text", "description", "plaintext", "richtext", "statement"].contains(&k)
        || k.ends_with("objecttext")
}

#[derive(Debug, Default)]
struct Census {
    /// Spec-objects with text of their own that are not chapter headings: what should become requirements.
    requirements: usize,
    headings: usize,
    /// Identifiers of every spec-object, for "the message names the object".
    identifiers: Vec<String>,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.normalized_value(XmlVersion::Implicit1_0).map_or_else(|_| a.value.to_string(), |v| v.into_owned()))
}

/// One object as the census sees it: its type, and per value (attribute key, datatype, holds text).
#[derive(Default)]
struct Seen {
    type_ref: String,
    values: Vec<(String, String, bool)>,
}

fn census(xml: &str) -> Census {
    // Definitions and types first: a file may place them anywhere.
    let mut names: HashMap<String, String> = HashMap::new();
    let mut types: HashMap<String, String> = HashMap::new();
    let mut reader = Reader::from_str(xml);
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let n = e.local_name().into_inner().to_owned();
                if n.starts_with("ATTRIBUTE-DEFINITION-") && !n.ends_with("-REF") {
                    let id = attr(&e, "IDENTIFIER").unwrap_or_default();
                    let long = attr(&e, "LONG-NAME").filter(|l| !l.trim().is_empty()).unwrap_or_else(|| id.clone());
                    names.insert(id, long);
                } else if n == "SPEC-OBJECT-TYPE" {
                    let long = attr(&e, "LONG-NAME").unwrap_or_default();
                    types.insert(attr(&e, "IDENTIFIER").unwrap_or_default(), long);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut c = Census::default();
    let mut seen: Vec<Seen> = Vec::new();
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut object: Option<Seen> = None;
    let mut value: Option<(String, String, String)> = None; // (datatype, definition, text)
    let mut in_the_value = false;
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let n = e.local_name().into_inner().to_owned();
                let placed = stack.last().is_some_and(|p| p == "SPEC-OBJECTS");
                if n == "SPEC-OBJECT" && placed {
                    c.identifiers.push(attr(e, "IDENTIFIER").unwrap_or_default());
                    object = Some(Seen::default());
                } else if let Some(kind) = n.strip_prefix("ATTRIBUTE-VALUE-")
                    && object.is_some()
                {
                    value = Some((kind.to_owned(), String::new(), attr(e, "THE-VALUE").unwrap_or_default()));
                } else if n == "THE-VALUE" {
                    in_the_value = true;
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(n);
                } else if n == "SPEC-OBJECT" && placed {
                    seen.extend(object.take());
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                let top = stack.last().map(String::as_str).unwrap_or_default();
                if let Some(v) = value.as_mut() {
                    if in_the_value {
                        v.2.push_str(&text);
                    } else if top.starts_with("ATTRIBUTE-DEFINITION-") {
                        v.1.push_str(text.trim());
                    }
                } else if top == "SPEC-OBJECT-TYPE-REF"
                    && let Some(o) = object.as_mut()
                {
                    o.type_ref.push_str(text.trim());
                }
            }
            Event::GeneralRef(_) if in_the_value => {
                if let Some(v) = value.as_mut() {
                    v.2.push('x');
                }
            }
            Event::End(e) => {
                let n = e.local_name().into_inner().to_owned();
                stack.pop();
                if n == "THE-VALUE" {
                    in_the_value = false;
                } else if n.starts_with("ATTRIBUTE-VALUE-") {
                    if let (Some((kind, def, text)), Some(o)) = (value.take(), object.as_mut()) {
                        let name = names.get(&def).cloned().unwrap_or(def);
                        o.values.push((key(&name), kind, !text.trim().is_empty()));
                    }
                } else if n == "SPEC-OBJECT" {
                    seen.extend(object.take());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A type none of whose objects has a statement attribute takes its other text for the statement.
    let mut typed_statement: HashMap<&str, bool> = HashMap::new();
    for o in &seen {
        let has = o.values.iter().any(|(k, _, has)| *has && is_statement_attribute(k));
        *typed_statement.entry(o.type_ref.as_str()).or_default() |= has;
    }
    for o in &seen {
        let text: Vec<&str> = o
            .values
            .iter()
            .filter(|(k, kind, has)| *has && (kind == "STRING" || kind == "XHTML") && !not_text(k))
            .map(|(k, _, _)| k.as_str())
            .collect();
        if text.is_empty() {
            continue;
        }
        let type_name = key(types.get(&o.type_ref).map_or("", String::as_str));
        let heading_type = type_name.contains("heading") || type_name.contains("chapter") || type_name == "section";
        let heading = text.iter().any(|k| is_heading_attribute(k));
        let statement = if typed_statement[o.type_ref.as_str()] {
            text.iter().any(|k| is_statement_attribute(k))
        } else {
            text.iter().any(|k| !is_heading_attribute(k) && !is_title_attribute(k))
        };
        if heading_type || (heading && !statement) {
            c.headings += 1;
        } else {
            c.requirements += 1;
        }
    }
    c
}

/// The census of a `.reqif`, or of every `.reqif` in a `.reqifz`.
fn census_of(path: &Path) -> Census {
    let bytes = std::fs::read(path).unwrap();
    if !bytes.starts_with(b"PK\x03\x04") {
        return census(&String::from_utf8_lossy(&bytes));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = Census::default();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        if entry.name().unwrap().ends_with(".reqif") {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
            let c = census(&text);
            all.requirements += c.requirements;
            all.headings += c.headings;
            all.identifiers.extend(c.identifiers);
        }
    }
    all
}

/// The tool that wrote each sample, from INDEX.tsv.
fn tools(dir: &Path) -> HashMap<String, String> {
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap_or_default();
    index
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((cols.first()?.to_string(), cols.get(3)?.to_string()))
        })
        .collect()
}

/// True for a line that starts with white space and is not a nested list item (`  - x`, `  2. x`).
fn indented(line: &str) -> bool {
    let rest = line.trim_start();
    rest.len() != line.len()
        && !(rest.starts_with("- ") || rest.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok()))
}

#[test]
fn every_sample_imports_or_names_what_stops_it_and_imports_each_text_bearing_object() {
    let Some(dir) = samples() else {
        eprintln!("skipped: no samples folder (set ELICIT_REQIF_SAMPLES to ../shared/data/reqif-samples)");
        return;
    };
    let tools = tools(&dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "reqif" || e == "reqifz"))
        .collect();
    files.sort();
    assert!(files.len() >= 80, "expected the 88 samples in {}, found {}", dir.display(), files.len());
    let mut wrong: Vec<String> = Vec::new();
    let mut table = String::from(
        "| file | tool | objects with text | imported | headings | outcome / message |\n|---|---|---|---|---|---|\n",
    );
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let expected = census_of(path);
        let db = project();
        let run = elicit(&db.path, &["import", path.to_str().unwrap()]);
        let message;
        let got;
        if run.code == 0 {
            got = imported(&run.stdout);
            if got != expected.requirements {
                wrong.push(format!(
                    "{name}: imported {got}, the file has {} text-bearing spec-objects that are not headings\n{}",
                    expected.requirements, run.stdout
                ));
            }
            for r in requirements(&db.path) {
                let statement = r["statement"].as_str().unwrap();
                let title = r["title"].as_str().unwrap();
                if statement.starts_with(char::is_whitespace) || title.starts_with(char::is_whitespace) {
                    wrong.push(format!("{name}: {} starts with white space: {title:?} / {statement:?}", r["id"]));
                }
                if let Some(line) = statement.lines().find(|l| indented(l)) {
                    wrong.push(format!("{name}: {} has an indented line (XML indentation?): {line:?}", r["id"]));
                }
            }
            let notable: Vec<&str> = run
                .stdout
                .lines()
                .filter(|l| !l.starts_with("imported") && !l.starts_with("attributes") && !l.starts_with("undo"))
                .collect();
            message = notable.join("; ");
        } else {
            got = 0;
            // FILE[:LINE]: field: reason, naming the object when there is one to name.
            let first = run.stderr.lines().next().unwrap_or_default();
            let reason = first.strip_prefix(path.to_str().unwrap()).unwrap_or(first);
            if !run.stderr.contains("nothing was imported") || reason.split(": ").count() < 3 {
                wrong
                    .push(format!("{name}: exit {} without a FILE:LINE: field: reason line\n{}", run.code, run.stderr));
            }
            if expected.requirements > 0 && !expected.identifiers.iter().any(|id| run.stderr.contains(id.as_str())) {
                wrong.push(format!("{name}: refused without naming a spec-object\n{}", run.stderr));
            }
            message = format!("refused{reason}");
        }
        let tool = tools.get(&name).map_or("", String::as_str);
        let short = name.trim_start_matches("strictdoc-project_");
        let outcome = match (run.code, message.is_empty()) {
            (0, true) => "exit 0".to_owned(),
            (0, false) => format!("exit 0; {message}"),
            _ => message,
        };
        table.push_str(&format!(
            "| {short} | {tool} | {} | {got} | {} | {} |\n",
            expected.requirements,
            expected.headings,
            outcome.replace('|', "\\|")
        ));
    }
    eprintln!("{table}");
    if let Some(out) = std::env::var_os("ELICIT_SAMPLES_TABLE") {
        std::fs::write(out, &table).unwrap();
    }
    assert!(wrong.is_empty(), "{} of {} samples:\n{}", wrong.len(), files.len(), wrong.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------------------
// One scenario per issue item, on files written here.

/// A ReqIF document of one spec-object type with `ReqIF.ForeignID`, `ReqIF.Name`, `ReqIF.Text` and the
/// `extra` attribute definitions; `objects` and `after` (relations, specifications) are spliced in.
fn document(extra: &str, objects: &str, after: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><REQ-IF-TOOL-ID>Hand</REQ-IF-TOOL-ID></REQ-IF-HEADER></THE-HEADER>
  <CORE-CONTENT>
    <REQ-IF-CONTENT>
      <SPEC-TYPES>
        <SPEC-OBJECT-TYPE IDENTIFIER="t" LONG-NAME="Requirement">
          <SPEC-ATTRIBUTES>
            <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="id" LONG-NAME="ReqIF.ForeignID"/>
            <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="name" LONG-NAME="ReqIF.Name"/>
            <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="text" LONG-NAME="ReqIF.Text"/>
            {extra}
          </SPEC-ATTRIBUTES>
        </SPEC-OBJECT-TYPE>
      </SPEC-TYPES>
      <SPEC-OBJECTS>
{objects}
      </SPEC-OBJECTS>
{after}
    </REQ-IF-CONTENT>
  </CORE-CONTENT>
</REQ-IF>
"#
    )
}

/// A spec-object of type `t`: string values as (definition, text), then the XHTML of `ReqIF.Text`.
fn object(identifier: &str, strings: &[(&str, &str)], xhtml: &str) -> String {
    let mut s = format!(
        "        <SPEC-OBJECT IDENTIFIER=\"{identifier}\">\n          <TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE>\n          <VALUES>\n"
    );
    for (def, text) in strings {
        s.push_str(&format!(
            "            <ATTRIBUTE-VALUE-STRING THE-VALUE=\"{text}\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>{def}</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>\n"
        ));
    }
    if !xhtml.is_empty() {
        s.push_str(&format!(
            "            <ATTRIBUTE-VALUE-XHTML>\n              <DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>text</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>\n              <THE-VALUE>\n{xhtml}\n              </THE-VALUE>\n            </ATTRIBUTE-VALUE-XHTML>\n"
        ));
    }
    s.push_str("          </VALUES>\n        </SPEC-OBJECT>");
    s
}

fn write(db: &TempDb, name: &str, content: &[u8]) -> String {
    let path = db.dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_owned()
}

fn stages(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT name, description FROM journey_stage ORDER BY position").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn polarion_requirements_with_a_chapter_name_are_requirements_and_headings_become_stages() {
    let Some(path) = sample("sample1_polarion.reqif") else { return eprintln!("skipped: no samples folder") };
    let db = project();
    let out = ok(&db.path, &["import", path.to_str().unwrap(), "--create-missing"]);
    assert!(out.contains("imported 1 requirement into TST: TST-1"), "{out}");
    assert!(out.contains("1 chapter heading not imported"), "{out}");
    let r = &requirements(&db.path)[0];
    assert_eq!(r["title"], "SW: Lorem Ipsum");
    assert_eq!(r["statement"], "The Lorem Ipsum shall do something.");
    assert_eq!(r["external_ref"], "LOREM-818");
    assert_eq!(r["status"], "draft");
    assert_eq!(r["stage"], "Section 1");
    let rationale = r["rationale"].as_str().unwrap();
    assert!(rationale.contains("ReqIF.ForeignCreatedBy: redacted@mail.com"), "{rationale}");
    // The heading's own text is the description of the stage made of it.
    assert_eq!(stages(&db.path), [("Section 1".to_owned(), "Section text...".to_owned())]);
}

#[test]
fn the_dry_run_says_what_was_mapped_kept_and_ignored() {
    let Some(path) = sample("TC1000_E0000") else { return eprintln!("skipped: no samples folder") };
    let db = project();
    let out = ok(&db.path, &["import", path.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("dry run: nothing was written") && out.contains("would import 1 requirement"), "{out}");
    assert!(out.contains("attributes mapped: TC1000 String -> statement (the richest text attribute)"), "{out}");
    assert!(
        out.contains("attributes kept in the rationale as \"Name: value\" lines: TC1000T, TC1000F, TC1000 Integer"),
        "{out}"
    );
    assert!(requirements(&db.path).is_empty());
    let out = ok(&db.path, &["import", path.to_str().unwrap(), "--map", "TC1000 Integer=ignore", "--dry-run"]);
    assert!(out.contains("attributes ignored: TC1000 Integer"), "{out}");
}

#[test]
fn map_overrides_the_automatic_choice_and_names_what_it_cannot_find() {
    let db = project();
    let xml = document(
        r#"<ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="ot" LONG-NAME="Object Text"/>"#,
        &object("o1", &[("name", "Short name")], "<xhtml:div>Main text</xhtml:div>"),
        "",
    )
    .replace("</VALUES>", "<ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>ot</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><xhtml:div>Other text</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML></VALUES>");
    let path = write(&db, "m.reqif", xml.as_bytes());
    // By default ReqIF.Text wins and Object Text is kept as a note.
    let out = ok(&db.path, &["import", &path, "--dry-run"]);
    assert!(out.contains("ReqIF.Text -> statement") && out.contains("lines: Object Text"), "{out}");
    // --map by LONG-NAME and by IDENTIFIER.
    let out = ok(&db.path, &["import", &path, "--map", "Object Text=statement", "--map", "text=rationale"]);
    assert!(
        out.contains("Object Text -> statement (--map)") && out.contains("ReqIF.Text -> rationale (--map)"),
        "{out}"
    );
    let r = &requirements(&db.path)[0];
    assert_eq!((r["title"].as_str(), r["statement"].as_str()), (Some("Short name"), Some("Other text")));
    assert_eq!(r["rationale"], "Main text");
    let run = elicit(&db.path, &["import", &path, "--map", "Nope=title"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no attribute of the file has the LONG-NAME or IDENTIFIER \"Nope\"")
            && run.stderr.contains("Object Text"),
        "{}",
        run.stderr
    );
    let run = elicit(&db.path, &["import", &path, "--map", "Object Text=colour"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown field \"colour\"; fields: title, statement, id"), "{}", run.stderr);
    let run = elicit(&db.path, &["import", &path, "--map", "no-field"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("ATTRIBUTE=FIELD"), "{}", run.stderr);
}

#[test]
fn xhtml_becomes_text_to_read_and_long_tables_are_accepted() {
    let db = project();
    let xhtml = r#"                <xhtml:div>
                  <xhtml:h2>Refunds</xhtml:h2>
                  <xhtml:p>The shop
                     shall refund:</xhtml:p>
                  <xhtml:ul>
                    <xhtml:li>cards</xhtml:li>
                    <xhtml:li>vouchers</xhtml:li>
                  </xhtml:ul>
                  <xhtml:table>
                    <xhtml:tr><xhtml:th>Channel</xhtml:th><xhtml:th>Days</xhtml:th></xhtml:tr>
                    <xhtml:tr><xhtml:td>Web</xhtml:td><xhtml:td>3</xhtml:td></xhtml:tr>
                  </xhtml:table>
                  <xhtml:p>See <xhtml:a href="https://example.org/policy">the policy</xhtml:a> and <xhtml:object data="files/flow.png" type="image/png">flow</xhtml:object>.</xhtml:p>
                </xhtml:div>"#;
    let rows: String = (0..2000)
        .map(|i| format!("<xhtml:tr><xhtml:td>Signal {i:04}</xhtml:td><xhtml:td>0 to 250 km/h</xhtml:td></xhtml:tr>"))
        .collect();
    let big = format!("<xhtml:div><xhtml:table>{rows}</xhtml:table></xhtml:div>");
    let objects = [object("a", &[("id", "R-1")], xhtml), object("b", &[("id", "R-2"), ("name", "Signal table")], &big)];
    let path = write(&db, "x.reqif", document("", &objects.join("\n"), "").as_bytes());
    let out = ok(&db.path, &["import", &path]);
    assert!(out.contains("imported 2 requirements"), "{out}");
    let reqs = requirements(&db.path);
    assert_eq!(
        reqs[0]["statement"],
        "Refunds\nThe shop shall refund:\n- cards\n- vouchers\nChannel | Days\nWeb | 3\nSee the policy (https://example.org/policy) and [image: flow.png]."
    );
    assert_eq!(reqs[0]["title"], "Refunds");
    let long = reqs[1]["statement"].as_str().unwrap();
    assert!(
        long.chars().count() > 55_000 && long.starts_with("Signal 0000 | 0 to 250 km/h\nSignal 0001 |"),
        "{}",
        &long[..80]
    );
}

#[test]
fn skip_invalid_skips_whole_objects_and_counts_them() {
    let db = project();
    let extra = r#"<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="prio" LONG-NAME="elicit.Priority"/>"#;
    let too_long = "y".repeat(100_001);
    let bad = |id: &str| object(id, &[("name", id), ("prio", "urgent")], &format!("<xhtml:div>{too_long}</xhtml:div>"));
    let objects = [object("good", &[("name", "Fine")], "<xhtml:div>ok</xhtml:div>"), bad("bad-1"), bad("bad-2")];
    let path = write(&db, "s.reqif", document(extra, &objects.join("\n"), "").as_bytes());
    let run = elicit(&db.path, &["import", &path]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("spec-object bad-1: unknown priority \"urgent\""), "{}", run.stderr);
    assert!(
        run.stderr.contains("spec-object bad-2: statement is 100001 characters long; the limit is 100000"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("has 4 problems; nothing was imported"), "{}", run.stderr);
    let out = ok(&db.path, &["import", &path, "--skip-invalid"]);
    assert!(
        out.contains("imported 1 requirement") && out.contains("skipped 2 invalid spec-objects (4 problems):"),
        "{out}"
    );
}

#[test]
fn objects_in_no_specification_relations_and_empty_objects_are_reported() {
    let db = project();
    let relations = r#"      <SPEC-RELATIONS>
        <SPEC-RELATION IDENTIFIER="r1"><SOURCE><SPEC-OBJECT-REF>a</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>b</SPEC-OBJECT-REF></TARGET></SPEC-RELATION>
        <SPEC-RELATION IDENTIFIER="r2"><SOURCE><SPEC-OBJECT-REF>b</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>a</SPEC-OBJECT-REF></TARGET></SPEC-RELATION>
      </SPEC-RELATIONS>"#;
    let objects =
        [object("a", &[("name", "One")], ""), object("b", &[("name", "Two")], ""), object("c", &[("id", "C-9")], "")];
    let path = write(&db, "n.reqif", document("", &objects.join("\n"), relations).as_bytes());
    let out = ok(&db.path, &["import", &path]);
    assert!(out.contains("imported 2 requirements"), "{out}");
    assert!(out.contains("none of the 2 spec-objects is in a specification (the file has no SPECIFICATION)"), "{out}");
    assert!(out.contains("2 SPEC-RELATIONs (links between objects) not imported"), "{out}");
    assert!(out.contains("1 spec-object holds no text and is not imported: c"), "{out}");
}

#[test]
fn metadata_such_as_an_author_is_never_taken_for_the_statement() {
    // Eclipse RMF's hand-written sample: two objects of a type holding only "Author" and an integer "Age".
    let Some(path) = sample("org.eclipse.rmf__02_sample") else {
        eprintln!("skipped: no samples folder (set ELICIT_REQIF_SAMPLES to ../shared/data/reqif-samples)");
        return;
    };
    let db = project();
    let out = ok(&db.path, &["import", path.to_str().unwrap()]);
    assert!(!out.contains("-> statement"), "{out}");
    assert!(out.contains("imported 0 requirements"), "{out}");
    assert!(out.contains("2 spec-objects hold no text (only Author, Age) and are not imported: 2c84e85a-"), "{out}");
    // Beside a text attribute of any name, the metadata stays a note however long it is.
    let defs = r#"<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="au" LONG-NAME="Author"/>
            <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="cm" LONG-NAME="Remark"/>"#;
    let objects = [object("o1", &[("au", "Maximilian Mustermann-Oberhuber"), ("cm", "The till shall print.")], "")];
    let path = write(&db, "m.reqif", document(defs, &objects.join("\n"), "").as_bytes());
    let out = ok(&db.path, &["import", &path]);
    assert!(out.contains("Remark -> statement (the richest text attribute)"), "{out}");
    let r = &requirements(&db.path)[0];
    assert_eq!(r["statement"], "The till shall print.");
    assert!(r["rationale"].as_str().unwrap().contains("Author: Maximilian Mustermann-Oberhuber"), "{r}");
}

#[test]
fn a_reqifz_imports_every_reqif_inside_and_an_archive_without_one_is_named() {
    if let Some(path) = sample("TC1700_E0000") {
        let db = project();
        let out = ok(&db.path, &["import", path.to_str().unwrap()]);
        assert!(out.contains("imported 2 requirements") && out.contains("1 SPEC-RELATION"), "{out}");
    }
    let db = project();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut zip, b"no requirements here").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let path = write(&db, "empty.reqifz", &bytes);
    let run = elicit(&db.path, &["import", &path]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("reqifz: the archive holds no .reqif file (it holds readme.txt)"), "{}", run.stderr);
}

#[test]
fn our_own_export_brings_its_stage_descriptions_back() {
    let demo = TempDb::new();
    ok(&demo.path, &["demo"]);
    let path = demo.dir.path().join("shop.reqif");
    ok(&demo.path, &["export", "--format", "reqif", "-o", path.to_str().unwrap()]);
    let copy = TempDb::new();
    ok(&copy.path, &["init", "--key", "SHOP", "--name", "Copy", "--journey", "none"]);
    ok(&copy.path, &["import", path.to_str().unwrap(), "--create-missing"]);
    let described: Vec<(String, String)> = stages(&demo.path).into_iter().filter(|(_, d)| !d.is_empty()).collect();
    assert!(!described.is_empty(), "the demo's stages have descriptions");
    let copied = stages(&copy.path);
    for stage in &described {
        assert!(copied.contains(stage), "{stage:?} not in {copied:?}");
    }
}
