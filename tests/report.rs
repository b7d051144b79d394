//! Export and import through the real binary on real SQLite files: every format from the demo project,
//! lossless JSON and ReqIF round trips, escaping and formula injection, and bad input files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

const SECTIONS: [&str; 6] = [
    "Executive summary",
    "Journey overview",
    "Outcome traceability",
    "Requirements by journey stage",
    "Stakeholders and departments",
    "Time summary",
];

fn demo() -> TempDb {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    db
}

fn file(db: &TempDb, name: &str) -> PathBuf {
    db.dir.path().join(name)
}

fn export(db: &TempDb, format: &str, name: &str) -> PathBuf {
    let out = file(db, name);
    ok(&db.path, &["export", "--format", format, "-o", out.to_str().unwrap()]);
    out
}

fn requirements_json(db: &Path) -> Vec<Value> {
    let out = ok(db, &["list", "--format", "json"]);
    serde_json::from_str::<Value>(&out).unwrap().as_array().unwrap().clone()
}

fn html_escape(s: &str) -> String {
    // minijinja's HTML escaping.
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn every_format_exports_from_the_demo_project() {
    let db = demo();
    let reqs = requirements_json(&db.path);
    assert_eq!(reqs.len(), 40);

    let html = std::fs::read_to_string(export(&db, "html", "r.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "the report needs no scripts");
    assert!(!html.contains("http://") && !html.contains("https://"), "no network fetches");
    for s in SECTIONS {
        assert!(html.contains(&format!("<h2>{s}</h2>")), "html section {s}");
    }
    // The quality section (issue 11): the lint's score, findings by rule, the weakest requirements with
    // their hints, and the findings in each card.
    assert!(html.contains("<h2>Quality findings</h2>"), "html quality section");
    let quality = html.split("<section id=\"quality\">").nth(1).and_then(|q| q.split("</section>").next()).unwrap();
    assert!(quality.contains("Quality score") && quality.contains("vague-term"), "{quality}");
    assert!(quality.contains("Fast and easy checkout") && quality.contains("say what a tester can measure"));
    let card = html.split("id=\"SHOP-12\"").nth(1).and_then(|c| c.split("</article>").next()).unwrap();
    assert!(card.contains("placeholder") && card.contains("“TBD”"), "{card}");
    for r in &reqs {
        let id = r["id"].as_str().unwrap();
        assert!(html.contains(&format!("id=\"{id}\"")), "html requirement {id}");
        assert!(html.contains(&html_escape(r["title"].as_str().unwrap())), "html title of {id}");
    }
    assert!(html.contains("<svg class=\"gauge\""), "share gauge");

    let md = String::from_utf8(std::fs::read(export(&db, "md", "r.md")).unwrap()).unwrap();
    for s in SECTIONS {
        assert!(md.contains(&format!("## {s}")), "markdown section {s}");
    }
    assert!(md.contains("## Quality findings") && md.contains("**Weakest requirements**"), "markdown quality");
    assert!(md.contains("| Quality | score 75<br>error placeholder \"TBD\""), "markdown card findings");
    for r in &reqs {
        let id = r["id"].as_str().unwrap();
        assert!(md.contains(&format!("#### {id} ")), "markdown requirement {id}");
    }
    // Table rows keep their shape: every row of the requirement tables has exactly three pipes.
    for line in md.lines().filter(|l| l.starts_with("| Statement |")) {
        assert_eq!(line.matches('|').count() - line.matches("\\|").count(), 3, "{line}");
    }

    let csv = std::fs::read(export(&db, "csv", "r.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    assert_eq!(reader.headers().unwrap().get(0), Some("id"));
    assert_eq!(reader.records().count(), 40);

    let xlsx = export(&db, "xlsx", "r.xlsx");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["Requirements", "Outcomes", "Stakeholders", "Traceability", "Time"]);
    let sheet = book.worksheet_range("Requirements").unwrap();
    assert_eq!(sheet.height(), 41);

    let json: Value = serde_json::from_slice(&std::fs::read(export(&db, "json", "r.json")).unwrap()).unwrap();
    assert_eq!(json["format"], "elicit-backup");
    assert_eq!(json["format_version"], 1);
    let project = &json["projects"][0];
    for table in
        ["stages", "outcomes", "stakeholders", "interviews", "requirements", "time_entries", "change_log", "drafts"]
    {
        assert!(project[table].is_array(), "backup holds {table}");
    }
    assert_eq!(project["requirements"].as_array().unwrap().len(), 40);

    let reqif = std::fs::read_to_string(export(&db, "reqif", "r.reqif")).unwrap();
    assert!(reqif.contains("LONG-NAME=\"ReqIF.ForeignID\"") && reqif.contains("THE-VALUE=\"SHOP-7\""));

    // Without -o, text goes to stdout (a binary format only to a pipe: see tests/shell.rs).
    assert!(ok(&db.path, &["export", "--format", "md"]).contains("## Executive summary"));
}

#[test]
fn filters_narrow_the_report_and_the_backup_refuses_them() {
    let db = demo();
    let out = ok(&db.path, &["export", "--format", "csv", "--status", "approved", "--stage", "Buy"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| &r[6] == "approved" && &r[7] == "Buy"));
    let md = ok(&db.path, &["export", "--format", "md", "--status", "approved"]);
    assert!(md.contains("only requirements with status approved"));
    let run = elicit(&db.path, &["export", "--format", "json", "--status", "approved"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("JSON backup"), "{}", run.stderr);
}

#[test]
fn json_round_trip_is_lossless_and_idempotent() {
    let db = demo();
    // History and a draft too.
    ok(&db.path, &["edit", "SHOP-3", "--priority", "must"]);
    ok(&db.path, &["delete", "SHOP-4"]);
    let first = export(&db, "json", "first.json");

    let other = TempDb::new();
    let out = ok(&other.path, &["import", first.to_str().unwrap()]);
    assert!(out.contains("restored SHOP (new project): 40 requirements"), "{out}");
    let second = file(&db, "second.json");
    ok(&other.path, &["export", "--format", "json", "-o", second.to_str().unwrap()]);
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap(), "export, import, export: identical");

    // Importing it again adds nothing.
    let before = count(&other.path, "SELECT count(*) FROM change_log");
    let out = ok(&other.path, &["import", first.to_str().unwrap()]);
    assert!(out.contains("0 requirements and 0 other rows added"), "{out}");
    assert_eq!(count(&other.path, "SELECT count(*) FROM requirement"), 40);
    assert_eq!(count(&other.path, "SELECT count(*) FROM change_log"), before);

    // The restored history works: undo reverts the last action (the delete of SHOP-4).
    ok(&other.path, &["undo"]);
    assert!(ok(&other.path, &["list"]).contains("SHOP-4 "));
    // Numbers are never reused after a restore.
    assert_eq!(ok(&other.path, &["add", "New one"]).trim(), "SHOP-41");
}

#[test]
fn json_dry_run_writes_nothing_and_bad_backups_are_refused() {
    let db = demo();
    let backup = export(&db, "json", "b.json");
    let other = TempDb::new();
    let out = ok(&other.path, &["import", backup.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("dry run") && out.contains("would restore SHOP"), "{out}");
    assert_eq!(count(&other.path, "SELECT count(*) FROM project"), 0);

    // A reference to a stage that is not in the backup: reported, nothing written.
    let mut json: Value = serde_json::from_slice(&std::fs::read(&backup).unwrap()).unwrap();
    json["projects"][0]["requirements"][0]["stage"] = Value::String("01900000-0000-7000-8000-000000000000".into());
    let broken = file(&db, "broken.json");
    std::fs::write(&broken, serde_json::to_vec(&json).unwrap()).unwrap();
    let run = elicit(&other.path, &["import", broken.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("requirements[SHOP-1].stage"), "{}", run.stderr);
    assert_eq!(count(&other.path, "SELECT count(*) FROM project"), 0);
}

/// Every reference in a ReqIF document names something the document declares.
fn check_reqif_declarations(xml: &str) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut declared: HashMap<String, String> = HashMap::new();
    let mut refs: Vec<(String, String)> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            event @ (Event::Start(_) | Event::Empty(_)) => {
                let (Event::Start(e) | Event::Empty(e)) = &event else { unreachable!() };
                let name = e.local_name().as_ref().to_owned();
                if let Some(id) = e.attributes().flatten().find(|a| a.key.as_ref() == "IDENTIFIER") {
                    let id = id.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned();
                    assert!(!id.starts_with(|c: char| c.is_ascii_digit()), "an XML ID cannot start with a digit: {id}");
                    assert!(declared.insert(id.clone(), name.clone()).is_none(), "identifier {id} declared twice");
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(name);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last().filter(|t| t.ends_with("-REF")) {
                    refs.push((top.clone(), t.xml10_content().trim().to_owned()));
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty());
    for (tag, target) in refs {
        let kind = declared.get(&target).unwrap_or_else(|| panic!("{tag} names undeclared {target}"));
        let expected = tag.trim_end_matches("-REF");
        assert!(kind == expected || (tag == "ENUM-VALUE-REF" && kind == "ENUM-VALUE"), "{tag} -> {target} is a {kind}");
    }
}

#[test]
fn reqif_is_well_formed_declares_what_it_uses_and_round_trips() {
    let db = demo();
    ok(&db.path, &["edit", "SHOP-2", "--statement", "Line one & <two>\n\tindented \"quoted\"\n\nafter a blank line"]);
    let path = export(&db, "reqif", "r.reqif");
    let xml = std::fs::read_to_string(&path).unwrap();
    check_reqif_declarations(&xml);
    for name in ["ReqIF.ForeignID", "ReqIF.Name", "ReqIF.Text", "ReqIF.ChapterName"] {
        assert!(xml.contains(&format!("LONG-NAME=\"{name}\"")), "{name}");
    }

    let other = TempDb::new();
    ok(&other.path, &["init", "--key", "SHOP", "--name", "Copy", "--journey", "none"]);
    let out = ok(&other.path, &["import", path.to_str().unwrap(), "--create-missing"]);
    assert!(out.contains("imported 40 requirements into SHOP"), "{out}");
    let before = requirements_json(&db.path);
    let after = requirements_json(&other.path);
    assert_eq!(before.len(), after.len());
    let fields = [
        "id",
        "uuid",
        "title",
        "statement",
        "kind",
        "priority",
        "status",
        "stage",
        "outcomes",
        "sources",
        "channel",
        "pain_point",
        "moment_of_truth",
        "tags",
        "acceptance",
        "rationale",
        "quote",
        "external_ref",
    ];
    for (a, b) in before.iter().zip(&after) {
        for f in fields {
            assert_eq!(a[f], b[f], "{} field {f}", a["id"]);
        }
    }
    // The same file again adds nothing and changes nothing: identifiers are our UUIDs.
    let out = ok(&other.path, &["import", path.to_str().unwrap(), "--create-missing"]);
    assert!(
        out.contains("imported 0 requirements")
            && out.contains("updated 0 existing requirements (40 matched and unchanged)"),
        "{out}"
    );
}

#[test]
fn reqif_from_another_tool_maps_title_text_and_foreign_id() {
    let db = demo();
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <THE-HEADER><REQ-IF-HEADER IDENTIFIER="h1"><SOURCE-TOOL-ID>OtherTool</SOURCE-TOOL-ID><TITLE>Spec</TITLE></REQ-IF-HEADER></THE-HEADER>
  <CORE-CONTENT><REQ-IF-CONTENT>
    <DATATYPES>
      <DATATYPE-DEFINITION-STRING IDENTIFIER="dt-s" LAST-CHANGE="2024-01-01T00:00:00Z" MAX-LENGTH="1000"/>
      <DATATYPE-DEFINITION-XHTML IDENTIFIER="dt-x" LAST-CHANGE="2024-01-01T00:00:00Z"/>
    </DATATYPES>
    <SPEC-TYPES>
      <SPEC-OBJECT-TYPE IDENTIFIER="t1" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="Requirement">
        <SPEC-ATTRIBUTES>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-id" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="ReqIF.ForeignID"><TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-name" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="ReqIF.Name"><TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
          <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="a-text" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-XHTML-REF>dt-x</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
        </SPEC-ATTRIBUTES>
      </SPEC-OBJECT-TYPE>
    </SPEC-TYPES>
    <SPEC-OBJECTS>
      <SPEC-OBJECT IDENTIFIER="o1" LAST-CHANGE="2024-01-01T00:00:00Z"><TYPE><SPEC-OBJECT-TYPE-REF>t1</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="DOORS-101"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="Refund &amp; exchange"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-name</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>a-text</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>
          <THE-VALUE><xhtml:div><xhtml:p>The shop <xhtml:b>shall</xhtml:b> refund.</xhtml:p><xhtml:p>Within&#160;3 days.</xhtml:p></xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
      </VALUES></SPEC-OBJECT>
      <SPEC-OBJECT IDENTIFIER="o2" LAST-CHANGE="2024-01-01T00:00:00Z"><TYPE><SPEC-OBJECT-TYPE-REF>t1</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>
        <ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>a-text</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>
          <THE-VALUE><xhtml:div>Only text here<xhtml:br/>second line</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
      </VALUES></SPEC-OBJECT>
    </SPEC-OBJECTS>
  </REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>"#;
    let path = file(&db, "other.reqif");
    std::fs::write(&path, xml).unwrap();
    let out = ok(&db.path, &["import", path.to_str().unwrap()]);
    assert!(out.contains("imported 2 requirements into SHOP: SHOP-41 to SHOP-42"), "{out}");
    let a: Value = serde_json::from_str(&ok(&db.path, &["show", "SHOP-41", "--format", "json"])).unwrap();
    assert_eq!(a["title"], "Refund & exchange");
    assert_eq!(a["statement"], "The shop shall refund.\nWithin\u{a0}3 days.");
    assert_eq!(a["external_ref"], "DOORS-101");
    let b: Value = serde_json::from_str(&ok(&db.path, &["show", "SHOP-42", "--format", "json"])).unwrap();
    assert_eq!(b["title"], "Only text here");
    assert_eq!(b["statement"], "Only text here\nsecond line");
    assert!(ok(&db.path, &["show", "SHOP-41"]).contains("external ref  DOORS-101"));
}

#[test]
fn an_independent_reqif_reader_accepts_the_export_when_installed() {
    // strictdoc's `reqif` package. `.ci/run` installs it in a venv and names its Python in
    // ELICIT_REQIF_PYTHON, and then the reader must be there; elsewhere the test is skipped without it.
    let required = std::env::var("ELICIT_REQIF_PYTHON").ok().filter(|p| !p.is_empty());
    let python = required.clone().unwrap_or_else(|| "python3".into());
    let has_reqif = std::process::Command::new(&python)
        .args(["-c", "import reqif"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_reqif {
        assert!(required.is_none(), "ELICIT_REQIF_PYTHON={python} cannot import reqif");
        eprintln!("skipped: {python} -c 'import reqif' failed");
        return;
    }
    let db = demo();
    let path = export(&db, "reqif", "r.reqif");
    let script = r#"
import sys
from reqif.parser import ReqIFParser
bundle = ReqIFParser.parse(sys.argv[1])
content = bundle.core_content.req_if_content
names = {a.long_name for t in content.spec_types for a in (getattr(t, 'attribute_definitions', None) or [])}
assert {'ReqIF.ForeignID', 'ReqIF.Name', 'ReqIF.Text', 'ReqIF.ChapterName'} <= names, names
print(len(content.spec_objects), len(content.specifications))
"#;
    let out = std::process::Command::new(&python).args(["-c", script, path.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "47 1", "40 requirements + 7 stage headings, 1 spec");
    // And the package's validation against the ReqIF 1.2 XSD it ships (`reqif validate --use-reqif-schema`,
    // which reports issues in its output and exits 0 either way).
    let validate = "import sys\nfrom reqif.cli.main import main\nsys.argv = ['reqif', 'validate', '--use-reqif-schema', sys.argv[1]]\nmain()";
    let out = std::process::Command::new(&python).args(["-c", validate, path.to_str().unwrap()]).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("0 errors, 0 schema issues found, 0 semantic issues found"), "{said}");
}

#[test]
fn strictdoc_converts_the_export_and_the_reqifz_when_installed() {
    // StrictDoc's converter, a second reader independent of ours. `.ci/run` installs it in the reader venv
    // and names the program in ELICIT_STRICTDOC; then it must run. Elsewhere `strictdoc` on the PATH is
    // used, and without one the test says it was skipped.
    let required = std::env::var("ELICIT_STRICTDOC").ok().filter(|p| !p.is_empty());
    let program = required.clone().unwrap_or_else(|| "strictdoc".into());
    let runs = std::process::Command::new(&program).arg("--version").output().is_ok_and(|o| o.status.success());
    if !runs {
        assert!(required.is_none(), "ELICIT_STRICTDOC={program} does not run");
        eprintln!("skipped: `{program} --version` failed (pip install strictdoc==0.30.4, or set ELICIT_STRICTDOC)");
        return;
    }
    let db = demo();
    let all = requirements_json(&db.path);
    let pain_points = all.iter().filter(|r| r["pain_point"] == true).count();
    let moments = all.iter().filter(|r| r["moment_of_truth"] == true).count();
    assert!(pain_points > 0 && moments > 0 && pain_points < all.len());
    for name in ["r.reqif", "r.reqifz"] {
        let path = export(&db, "reqif", name);
        let out_dir = file(&db, &format!("sdoc-{name}"));
        let run = std::process::Command::new(&program)
            .args(["convert", path.to_str().unwrap(), out_dir.to_str().unwrap()])
            .output()
            .unwrap();
        let log = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        assert!(run.status.success() && !log.contains("error:"), "strictdoc convert {name}:\n{log}");
        let sdocs: Vec<PathBuf> = std::fs::read_dir(&out_dir).unwrap().flatten().map(|e| e.path()).collect();
        assert_eq!(sdocs.len(), 1, "{sdocs:?}");
        let sdoc = std::fs::read_to_string(&sdocs[0]).unwrap();
        let lines = |prefix: &str| sdoc.lines().filter(|l| l.starts_with(prefix)).count();
        assert_eq!(lines("[ELICIT_REQUIREMENT]"), 40, "{name}");
        assert_eq!(lines("[[ELICIT_JOURNEY_STAGE]]"), 7, "{name}");
        assert!(sdoc.contains("TYPE: SingleChoice(yes, no)"), "{name}: the marks are a yes/no choice");
        assert_eq!(lines("ELICIT_PAINPOINT: yes"), pain_points, "{name}");
        assert_eq!(lines("ELICIT_PAINPOINT: no"), all.len() - pain_points, "{name}");
        assert_eq!(lines("ELICIT_MOMENTOFTRUTH: yes"), moments, "{name}");
        assert!(sdoc.contains("UID: SHOP-7\n"), "{name}");
    }
}

#[test]
fn reqif_marks_are_a_yes_no_enumeration_and_old_boolean_files_still_import() {
    let db = demo();
    let xml = std::fs::read_to_string(export(&db, "reqif", "r.reqif")).unwrap();
    assert!(!xml.contains("BOOLEAN"), "no ATTRIBUTE-DEFINITION-BOOLEAN: StrictDoc refuses it");
    assert!(
        xml.contains(
            r#"LONG-NAME="elicit.PainPoint" MULTI-VALUED="false"><TYPE><DATATYPE-DEFINITION-ENUMERATION-REF>"#
        )
    );
    // Files written before the change carry the marks as booleans; they come back the same.
    let old = TempDb::new();
    ok(&old.path, &["init", "--key", "OLD", "--name", "Old", "--journey", "none"]);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/elicit-boolean-flags.reqif");
    assert!(std::fs::read_to_string(&path).unwrap().contains("<ATTRIBUTE-DEFINITION-BOOLEAN"));
    let out = ok(&old.path, &["import", path.to_str().unwrap()]);
    assert!(out.contains("imported 3 requirements"), "{out}");
    let marks: Vec<(String, bool, bool)> = requirements_json(&old.path)
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r["pain_point"] == true, r["moment_of_truth"] == true))
        .collect();
    let expected = [("OLD-1", true, true), ("OLD-2", true, false), ("OLD-3", false, false)];
    assert_eq!(marks, expected.map(|(id, p, m)| (id.to_owned(), p, m)));
}

#[test]
fn reqifz_export_is_a_zip_of_the_reqif_and_round_trips() {
    let db = demo();
    ok(&db.path, &["edit", "SHOP-3", "--statement", "Zipped & <escaped>\nsecond line"]);
    let plain = std::fs::read(export(&db, "reqif", "r.reqif")).unwrap();
    // By extension with --format reqif, or by --format reqifz whatever the name.
    for (format, name) in [("reqif", "r.reqifz"), ("reqifz", "r.zip")] {
        let path = export(&db, format, name);
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04") && bytes.len() < plain.len() / 3, "{name}: a deflated zip");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 1);
        let mut entry = archive.by_index(0).unwrap();
        assert_eq!(entry.name().unwrap(), "SHOP-requirements.reqif");
        let mut inside = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut inside).unwrap();
        // The same document but for the time stamps written into it.
        let stamps = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .lines()
                .filter(|l| !l.contains("LAST-CHANGE") && !l.contains("CREATION-TIME"))
                .count()
        };
        assert_eq!(stamps(&inside), stamps(&plain), "{name}");
    }
    let zipped = file(&db, "r.reqifz");
    let other = TempDb::new();
    ok(&other.path, &["init", "--key", "SHOP", "--name", "Copy", "--journey", "none"]);
    let out = ok(&other.path, &["import", zipped.to_str().unwrap(), "--create-missing"]);
    assert!(out.contains("imported 40 requirements into SHOP"), "{out}");
    let (before, after) = (requirements_json(&db.path), requirements_json(&other.path));
    for (a, b) in before.iter().zip(&after) {
        for f in ["id", "uuid", "title", "statement", "stage", "tags", "pain_point", "moment_of_truth", "acceptance"] {
            assert_eq!(a[f], b[f], "{} field {f}", a["id"]);
        }
    }
    // A zip is binary: into a pipe it goes as is (a terminal refuses it: tests/shell.rs).
    let piped = elicit_cmd(&db.path).args(["export", "--format", "reqifz"]).output().expect("run");
    assert_eq!(piped.status.code(), Some(0));
    assert!(piped.stdout.starts_with(b"PK"), "a zip archive");
}

#[test]
fn html_escapes_and_spreadsheets_neutralise_formulas() {
    let db = demo();
    ok(&db.path, &["add", "<script>alert(1)</script>", "--statement", "<img src=x onerror=alert(2)>"]);
    ok(
        &db.path,
        &[
            "add",
            "=HYPERLINK(\"http://evil\",\"x\")",
            "--statement",
            "+1+1",
            "--rationale",
            "@SUM(A1)",
            "--acceptance=-2",
        ],
    );
    let html = std::fs::read_to_string(export(&db, "html", "x.html")).unwrap();
    assert!(!html.contains("<script>alert(1)"), "title must be escaped");
    assert!(html.contains(&html_escape("<script>alert(1)</script>")));
    assert!(!html.contains("<img src=x"));
    let md = std::fs::read_to_string(export(&db, "md", "x.md")).unwrap();
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));

    let csv = std::fs::read(export(&db, "csv", "x.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let row = reader.records().map(|r| r.unwrap()).find(|r| &r[0] == "SHOP-42").unwrap();
    assert_eq!(&row[2], "'=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(&row[3], "'+1+1");
    assert_eq!(&row[15], "'-2");
    assert_eq!(&row[16], "'@SUM(A1)");

    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(export(&db, "xlsx", "x.xlsx")).unwrap();
    let sheet = book.worksheet_range("Requirements").unwrap();
    let row = sheet.rows().find(|r| r[0] == Data::String("SHOP-42".into())).unwrap();
    // Excel's quote prefix keeps them text; the value itself is exact (see xlsx_cells_are_exact_...).
    assert_eq!(row[2], Data::String("=HYPERLINK(\"http://evil\",\"x\")".into()));
    assert_eq!(row[3], Data::String("+1+1".into()));
    assert_eq!(row[15], Data::String("-2".into()));
    assert_eq!(row[16], Data::String("@SUM(A1)".into()));
    let formulas = book.worksheet_formula("Requirements").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formulas in the workbook");
}

/// The entry `name` of the zip archive (an XLSX) at `path`, as text.
fn zip_entry(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
    text
}

/// The value of `attribute` in the XML start tag that begins at the start of `tag`.
fn xml_attribute<'a>(tag: &'a str, attribute: &str) -> Option<&'a str> {
    let tag = &tag[..tag.find('>')?];
    let start = tag.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

#[test]
fn xlsx_cells_are_exact_dates_are_dates_and_long_cells_are_cut_with_a_warning() {
    use calamine::{Data, DataType, Reader};
    let db = demo();
    let long = "The statement goes on. ".repeat(2_000); // 46,000 characters, over Excel's 32,767
    ok(&db.path, &["edit", "SHOP-2", "--statement", long.trim_end()]);
    let before = requirements_json(&db.path);
    let listed = before.iter().filter(|r| r["acceptance"].as_str().unwrap().starts_with("- ")).count();
    assert!(listed > 0, "the demo has acceptance criteria written as lists");

    let path = file(&db, "x.xlsx");
    let run = elicit(&db.path, &["export", "--format", "xlsx", "-o", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: SHOP-2 statement: 45999 characters cut to the 32767 an Excel cell holds"),
        "{}",
        run.stderr
    );
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("Requirements").unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for r in &before {
        let id = r["id"].as_str().unwrap();
        let row = sheet.rows().find(|row| row[0] == Data::String(id.into())).unwrap();
        let acceptance = r["acceptance"].as_str().unwrap();
        if acceptance.is_empty() {
            assert_eq!(row[col("acceptance")], Data::Empty, "{id}");
        } else {
            // Exactly the text: no apostrophe in front of "- ".
            assert_eq!(row[col("acceptance")], Data::String(acceptance.into()), "{id}");
        }
        for field in ["created_at", "updated_at"] {
            let stored = r[field].as_str().unwrap().parse::<jiff::Timestamp>().unwrap();
            let cell = row[col(field)].get_datetime().unwrap_or_else(|| panic!("{id} {field} is a date"));
            let serial = stored.as_millisecond() as f64 / 86_400_000.0 + 25_569.0;
            assert!((cell.as_f64() - serial).abs() < 1.0 / 86_400.0, "{id} {field}: {} vs {stored}", cell.as_f64());
        }
    }
    let row = sheet.rows().find(|row| row[0] == Data::String("SHOP-2".into())).unwrap();
    let cut = row[col("statement")].to_string();
    assert_eq!(cut.chars().count(), 32_767);
    assert!(cut.starts_with("The statement goes on. The"), "{}", &cut[..40]);
    assert!(cut.ends_with(" … [truncated: 45999 characters, see JSON export]"), "{}", &cut[cut.len() - 80..]);

    // The cells that start with "- " carry a style with the quote prefix (Excel shows them as text).
    let styles = zip_entry(&path, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let quoted: Vec<usize> = xfs
        .match_indices("<xf ")
        .enumerate()
        .filter(|(_, (at, _))| xml_attribute(&xfs[*at..], "quotePrefix") == Some("1"))
        .map(|(i, _)| i)
        .collect();
    assert!(!quoted.is_empty(), "a quote-prefix style: {xfs}");
    let sheet_xml = zip_entry(&path, "xl/worksheets/sheet1.xml");
    let column = (b'A' + col("acceptance") as u8) as char;
    let mut prefixed = 0;
    for (at, _) in sheet_xml.match_indices("<c ") {
        let cell = &sheet_xml[at..];
        let end = cell.find("</c>").unwrap_or(cell.len());
        if xml_attribute(cell, "r").is_some_and(|r| r.starts_with(column)) && cell[..end].contains("<t>- ") {
            let style: usize = xml_attribute(cell, "s").unwrap().parse().unwrap();
            assert!(quoted.contains(&style), "{}", &cell[..end.min(200)]);
            prefixed += 1;
        }
    }
    assert_eq!(prefixed, listed);
}

#[test]
fn csv_bom_is_written_only_when_asked_and_only_for_csv() {
    let db = demo();
    let plain = std::fs::read(export(&db, "csv", "plain.csv")).unwrap();
    assert!(plain.starts_with(b"id,"));
    let path = file(&db, "bom.csv");
    ok(&db.path, &["export", "--format", "csv", "--bom", "-o", path.to_str().unwrap()]);
    let bom = std::fs::read(&path).unwrap();
    assert_eq!(&bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&bom[3..], &plain[..], "the same file after the mark");
    assert!(ok(&db.path, &["export", "--format", "csv", "--bom"]).starts_with("\u{feff}id,"));
    let run = elicit(&db.path, &["export", "--format", "md", "--bom"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--bom applies only to CSV"), "{}", run.stderr);
    assert!(elicit(&db.path, &["export", "--help"]).stdout.contains("--bom"));
}

#[test]
fn markdown_shows_user_text_as_written_and_never_as_markup() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let db = demo();
    let title = "Pay [here](javascript:alert(1)) *now*";
    let statement = "# Not a heading\n_under_ `code` <b>bold</b> | pipe ![img](x.png) ~~gone~~ \\ back";
    ok(&db.path, &["edit", "SHOP-5", "--title", title, "--statement", statement]);
    let md = ok(&db.path, &["export", "--format", "md"]);
    assert!(!md.contains("[here](javascript"), "an unescaped link");

    let mut texts = String::new();
    let mut first_table_header: Option<String> = None;
    let (mut in_head, mut tables) = (false, 0);
    for event in Parser::new_ext(&md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("a link or image from user text: {dest_url}")
            }
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Heading { .. })
                if texts.ends_with("SHOP-5 ") =>
            {
                panic!("markup from user text")
            }
            // The template's own line breaks in cells are the only HTML.
            Event::Html(h) | Event::InlineHtml(h) => {
                assert_eq!(&*h, "<br>", "raw HTML from user text");
                texts.push('\n');
            }
            Event::Code(c) => panic!("a code span from user text: {c}"),
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::TableHead) if tables == 1 => (in_head, first_table_header) = (true, Some(String::new())),
            Event::End(pulldown_cmark::TagEnd::TableHead) => in_head = false,
            Event::Text(t) => {
                if in_head {
                    first_table_header.as_mut().unwrap().push_str(&t);
                }
                texts.push_str(&t);
            }
            Event::Start(Tag::TableCell) if in_head => first_table_header.as_mut().unwrap().push('|'),
            _ => {}
        }
    }
    // The text a reader sees is what was written.
    assert!(texts.contains(title), "{title}");
    assert!(texts.contains(statement), "{statement}");
    let header = first_table_header.expect("a first table");
    assert!(header.split('|').skip(1).all(|cell| !cell.trim().is_empty()), "empty header cell: {header:?}");
}

#[test]
fn csv_import_maps_headers_keeps_foreign_ids_and_is_all_or_nothing() {
    let db = demo();
    let path = file(&db, "in.csv");
    std::fs::write(
        &path,
        "ID,Title,Description,Priority,Journey Stage,Tags,Pain-Point,Owner\n\
         JIRA-1,Refund to the original card,\"The refund goes back to the card, \"\"always\"\".\",must,Return,refunds; cards,yes,ann\n\
         JIRA-2,Gift receipts,,COULD,buy,,no,bob\n",
    )
    .unwrap();
    let out = ok(&db.path, &["import", path.to_str().unwrap(), "--dry-run"]);
    assert!(
        out.contains("would import 2 requirements into SHOP")
            && out.contains("columns kept as \"Column: value\" lines in the rationale")
            && out.contains("drops it): Owner"),
        "{out}"
    );
    assert_eq!(requirements_json(&db.path).len(), 40, "a dry run writes nothing");
    let out = ok(&db.path, &["import", path.to_str().unwrap()]);
    assert!(out.contains("imported 2 requirements into SHOP: SHOP-41 to SHOP-42"), "{out}");
    let r: Value = serde_json::from_str(&ok(&db.path, &["show", "SHOP-41", "--format", "json"])).unwrap();
    assert_eq!(r["external_ref"], "JIRA-1");
    assert_eq!(r["statement"], "The refund goes back to the card, \"always\".");
    assert_eq!(r["priority"], "must");
    assert_eq!(r["stage"], "Return");
    assert_eq!(r["tags"], serde_json::json!(["refunds", "cards"]));
    assert_eq!(r["pain_point"], true);
    // The whole import is one undo step.
    ok(&db.path, &["undo"]);
    assert_eq!(requirements_json(&db.path).len(), 40);

    // One bad row: nothing is imported and every problem is listed as FILE:LINE: field: message.
    std::fs::write(&path, "title,priority,stage,outcomes\nGood,must,Buy,\nBad,urgent,Nowhere,\nAlso good,,,\n")
        .unwrap();
    let label = path.to_str().unwrap();
    let run = elicit(&db.path, &["import", label]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&format!("{label}:3: priority: unknown priority \"urgent\"")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{label}:3: stage: unknown stage \"Nowhere\"")), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was imported"), "{}", run.stderr);
    assert_eq!(requirements_json(&db.path).len(), 40);
    // --skip-invalid imports the rest and says what was skipped.
    let out = ok(&db.path, &["import", label, "--skip-invalid"]);
    assert!(out.contains("imported 2 requirements") && out.contains("skipped 1 invalid row (2 problems)"), "{out}");
    // --create-missing creates the stage instead of complaining.
    std::fs::write(&path, "title,stage,sources\nNew stage please,Aftercare,New Person\n").unwrap();
    let out = ok(&db.path, &["import", label, "--create-missing"]);
    assert!(out.contains("created stage: Aftercare") && out.contains("created stakeholder: New Person"), "{out}");
}

#[test]
fn our_own_csv_export_imports_back() {
    let db = demo();
    let csv = export(&db, "csv", "own.csv");
    let other = TempDb::new();
    ok(&other.path, &["init", "--key", "COPY", "--name", "Copy"]);
    let out = ok(&other.path, &["import", csv.to_str().unwrap(), "--create-missing"]);
    assert!(out.contains("imported 40 requirements into COPY"), "{out}");
    let before = requirements_json(&db.path);
    let after = requirements_json(&other.path);
    assert_eq!(before.len(), after.len(), "the comparison below covers every requirement");
    for (a, b) in before.iter().zip(&after) {
        for f in
            ["title", "statement", "kind", "priority", "status", "stage", "outcomes", "sources", "tags", "acceptance"]
        {
            assert_eq!(a[f], b[f], "{} {f}", a["id"]);
        }
        assert_eq!(b["external_ref"], a["id"], "our id becomes the external reference");
    }
}

#[test]
fn bad_files_get_clear_errors_and_write_nothing() {
    let db = demo();
    let changes = count(&db.path, "SELECT count(*) FROM change_log");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", Vec::new(), ":1: file: the file is empty"),
        (
            "semicolons.csv",
            b"title;priority\nA;must\n".to_vec(),
            ":1: title: required column missing; the header looks separated by semicolons",
        ),
        (
            "latin1.csv",
            b"title\nCaf\xe9 menu\n".to_vec(),
            ":2: encoding: the file is not valid UTF-8 (byte 0xE9 at column 4)",
        ),
        (
            "nocolumn.csv",
            b"priority,stage\nmust,Buy\n".to_vec(),
            ":1: title: required column missing; the columns found are: priority,stage",
        ),
        (
            "huge.csv",
            format!("title,statement\nBig,{}\n", "x".repeat(10 * 1024 * 1024)).into_bytes(),
            ":2: statement: statement is 10485760 characters long; the limit is 100000",
        ),
        (
            "broken.reqif",
            b"<?xml version=\"1.0\"?>\n<REQ-IF>\n<CORE-CONTENT>\n</REQ-IF>\n".to_vec(),
            ": xml: malformed XML",
        ),
        (
            "cut.reqif",
            b"<?xml version=\"1.0\"?>\n<REQ-IF>\n<CORE-CONTENT>\n".to_vec(),
            ": xml: the file ends inside <CORE-CONTENT>",
        ),
        ("notreqif.xml", b"<html><body/></html>".to_vec(), ":1: xml: not a ReqIF file"),
        ("empty.json", b"  \n".to_vec(), ":1: file: the file is empty"),
        ("garbage.json", b"{\"format\": \"elicit-backup\",".to_vec(), ": json: not valid JSON"),
        ("other.json", b"{\"hello\": 1}".to_vec(), ":1: format: not an elicit backup"),
    ];
    for (name, bytes, expected) in cases {
        let path = file(&db, name);
        std::fs::write(&path, bytes).unwrap();
        let run = elicit(&db.path, &["import", path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: expected {expected:?} in\n{}", run.stderr);
        assert!(run.stderr.contains("nothing was imported"), "{name}: {}", run.stderr);
        assert_eq!(count(&db.path, "SELECT count(*) FROM change_log"), changes, "{name} wrote something");
    }
    assert_eq!(requirements_json(&db.path).len(), 40);
}

#[test]
fn the_library_export_is_callable_without_the_cli() {
    use elicit::report::{ExportFormat, ExportOptions, export};
    let db = demo();
    let mut store = elicit::store::Store::open(&db.path).unwrap();
    let project = store.resolve_project(Some("SHOP")).unwrap();
    let ticks = std::cell::Cell::new(0);
    let progress = |_: u64, _: u64| ticks.set(ticks.get() + 1);
    let options = ExportOptions { author: "Ana Analyst".into(), progress: Some(&progress), ..ExportOptions::default() };
    let mut out = Vec::new();
    export(&store, &project, ExportFormat::Html, &options, &mut out).unwrap();
    let html = String::from_utf8(out).unwrap();
    assert!(html.contains("<dt>Author</dt><dd>Ana Analyst</dd>"));
    let mut out = Vec::new();
    export(&store, &project, ExportFormat::Csv, &options, &mut out).unwrap();
    assert!(ticks.get() > 0, "progress is reported");
    // Every format, not only the two above, is callable and writes something.
    for format in ExportFormat::ALL {
        let mut out = Vec::new();
        export(&store, &project, format, &ExportOptions::default(), &mut out).unwrap();
        assert!(out.len() > 1000, "{} wrote {} bytes", format.as_str(), out.len());
    }
}

/// A row's validation problem names the field the validation error names, not one guessed from the start of
/// its message: "acceptance criteria ..." is the `acceptance` column, a tag's problem is `tags`, an external
/// reference's is `external_ref`.
#[test]
fn import_problems_name_the_field_the_validation_error_names() {
    use elicit::report::{ImportFormat, ImportOptions, Problem, import};
    use elicit::store::{NewProject, Store};

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    store.create_project(NewProject::new("IMP".parse().unwrap(), "Import")).unwrap();
    let csv = format!(
        "id,title,acceptance,tags\n,A,{},\n,B,,{}\n{},C,,\n",
        "y".repeat(100_001),
        "t".repeat(61),
        "r".repeat(201)
    );
    let options = ImportOptions { file_label: "in.csv".into(), ..ImportOptions::default() };
    let problems = match import(&mut store, ImportFormat::Csv, csv.as_bytes(), &options) {
        Err(elicit::report::ReportError::Problems(p)) => p,
        other => panic!("expected problems, got {other:?}"),
    };
    let named: Vec<(Option<u64>, &str, &str)> =
        problems.iter().map(|p: &Problem| (p.line, p.field.as_str(), p.message.as_str())).collect();
    assert_eq!(
        named,
        [
            (Some(2), "acceptance", "acceptance criteria is 100001 characters long; the limit is 100000"),
            (Some(3), "tags", "tag is 61 characters long; the limit is 60"),
            (Some(4), "external_ref", "external reference is 201 characters long; the limit is 200"),
        ]
    );
}

/// Importing into a project that lacks the file's outcomes and stakeholders names each missing one once,
/// after the per-row problems, and imports nothing.
#[test]
fn an_import_missing_names_lists_each_once() {
    let db = demo();
    let out = db.dir.path().join("x.reqif");
    ok(&db.path, &["export", "--format", "reqif", "-o", out.to_str().unwrap()]);
    let other = TempDb::new();
    ok(&other.path, &["init", "--key", "SHOP", "--name", "Copy", "--journey", "retail"]);
    let run = elicit(&other.path, &["import", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let summary = run.stderr.lines().find(|l| l.contains(": names: missing here:")).expect(&run.stderr);
    assert!(summary.contains("9 stakeholders") && summary.contains("--create-missing creates them"), "{summary}");
    assert_eq!(summary.matches("\"Priya Raman\"").count(), 1, "each name once: {summary}");
    assert!(ok(&other.path, &["list", "--format", "json"]).trim() == "[]", "nothing imported");
}
