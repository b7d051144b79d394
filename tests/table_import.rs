//! CSV and Excel import on the real binary: other tools' files as they write them (tests/data/import), the
//! mapping flags and help, CSV errors, and re-import of elicit's own CSV, XLSX and ReqIF as updates.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{TempDb, elicit, ok};

fn data(name: &str) -> String {
    format!("{}/tests/data/import/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn shop() -> TempDb {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "SHOP", "--name", "Shop"]);
    db
}

fn file(db: &TempDb, name: &str) -> PathBuf {
    db.dir.path().join(name)
}

fn show(db: &Path, id: &str) -> Value {
    serde_json::from_str(&ok(db, &["show", id, "--format", "json"])).unwrap()
}

fn all(db: &Path) -> Vec<Value> {
    serde_json::from_str::<Value>(&ok(db, &["list", "--format", "json"])).unwrap().as_array().unwrap().clone()
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_jira_csv_imports_as_jira_writes_it() {
    let db = shop();
    let out = ok(&db.path, &["import", &data("jira.csv")]);
    assert!(out.contains("imported 3 requirements into SHOP: SHOP-1 to SHOP-3"), "{out}");
    assert!(out.contains("Issue key → external_ref") && out.contains("Labels (3 columns) → tags"), "{out}");
    assert!(out.contains("lines in the rationale") && out.contains("Custom field (Story Points)"), "{out}");
    // And how the values were read: which Jira word became which elicit value, how often.
    assert!(out.contains("priority High → must (1)") && out.contains("status In Progress → approved (1)"), "{out}");
    let r = show(&db.path, "SHOP-1");
    assert_eq!(r["title"], "Refund to the original card");
    assert_eq!(r["external_ref"], "SHOPJ-101");
    assert_eq!(r["priority"], "must", "High");
    assert_eq!(r["status"], "draft", "To Do");
    assert_eq!(r["tags"], serde_json::json!(["refunds", "cards"]));
    assert_eq!(
        r["statement"],
        "Context\nAs a customer I want my refund on the card I paid with.\n\n- no store credit\n- within 3 days\n\n\
         See refund policy (https://wiki.example.com/refunds)"
    );
    assert_eq!(r["acceptance"], "Given a card payment\nWhen the return is accepted\nThen the refund goes to that card");
    let rationale = r["rationale"].as_str().unwrap();
    assert!(
        rationale.contains("Custom field (Story Points): 3") && rationale.contains("Sprint: Sprint 12"),
        "{rationale}"
    );
    let r = show(&db.path, "SHOP-3");
    assert_eq!((r["priority"].as_str(), r["status"].as_str()), (Some("wont"), Some("implemented")));
    assert_eq!(r["statement"], "Screen | Shows\nqueue | waiting number\n[image: queue.png]");
}

#[test]
fn an_azure_devops_csv_with_bom_crlf_and_html_imports() {
    let bytes = std::fs::read(data("azure-devops.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF") && bytes.windows(2).any(|w| w == b"\r\n"),
        "the file is as ADO writes it"
    );
    let db = shop();
    let out = ok(&db.path, &["import", &data("azure-devops.csv")]);
    assert!(out.contains("imported 4 requirements") && out.contains("Title 1, Title 2, Title 3 → title"), "{out}");
    let titles: Vec<String> = all(&db.path).iter().map(|r| r["title"].as_str().unwrap().to_owned()).collect();
    assert_eq!(titles, ["Returns", "Refund handling", "Print a returns label", "Queue number skips"]);
    let r = show(&db.path, "SHOP-2");
    assert_eq!(r["external_ref"], "413");
    assert_eq!((r["priority"].as_str(), r["status"].as_str()), (Some("should"), Some("draft")));
    assert_eq!(r["tags"], serde_json::json!(["refunds", "cards"]));
    assert_eq!(r["statement"], "Refunds are paid\u{a0}within 3 days.\n\n- card\n- cash");
    assert_eq!(r["acceptance"], "- Refund shows on the statement within 3 days\n- Cash refunds need a receipt");
    let r = show(&db.path, "SHOP-3");
    assert_eq!(r["acceptance"], "The label has the order number & a barcode.");
    assert_eq!((r["priority"].as_str(), r["status"].as_str()), (Some("could"), Some("implemented")));
    assert!(r["rationale"].as_str().unwrap().contains("Area Path: Shop\\Returns"), "{}", r["rationale"]);
    assert_eq!(show(&db.path, "SHOP-4")["status"], "verified", "Closed");
}

#[test]
fn doorstop_and_strictdoc_csvs_import() {
    let db = shop();
    let out = ok(&db.path, &["import", &data("doorstop.csv")]);
    assert!(out.contains("imported 3 requirements") && out.contains("uid → external_ref"), "{out}");
    let r = show(&db.path, "SHOP-2");
    assert_eq!(
        r["title"], "The system shall refund card payments to the card used.",
        "no title column: the first line"
    );
    assert_eq!(
        r["statement"],
        "The system shall refund card payments to the card used.\n\nCash refunds are out of scope."
    );
    assert_eq!(r["external_ref"], "REQ002");
    let rationale = r["rationale"].as_str().unwrap();
    assert!(rationale.contains("ref: src/refund.py") && rationale.contains("normative: True"), "{rationale}");

    let out = ok(&db.path, &["import", &data("strictdoc.csv")]);
    assert!(out.contains("imported 3 requirements into SHOP: SHOP-4 to SHOP-6"), "{out}");
    let r = show(&db.path, "SHOP-4");
    assert_eq!((r["title"].as_str(), r["external_ref"].as_str()), (Some("Refund to card"), Some("SDOC-1")));
    assert_eq!(r["statement"], "The system shall refund card payments to the card used.");
    assert_eq!(r["rationale"], "Customers expect it.\n\nLEVEL: 1");
    assert_eq!(show(&db.path, "SHOP-5")["status"], "approved", "Active");
    assert_eq!(show(&db.path, "SHOP-6")["status"], "rejected", "Obsolete");
    // Importing another tool's file again matches by its keys: nothing is added twice.
    let out = ok(&db.path, &["import", &data("strictdoc.csv")]);
    assert!(out.contains("imported 0 requirements") && out.contains("3 matched and unchanged"), "{out}");
}

#[test]
fn map_flags_override_the_defaults_and_help_lists_the_mapping() {
    let db = shop();
    let path = file(&db, "in.csv");
    std::fs::write(&path, "Ticket,Headline,Phase\nT-1,Gift cards,Waiting\n").unwrap();
    let run = elicit(&db.path, &["import", path.to_str().unwrap(), "--map-column", "Headline=title"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(show(&db.path, "SHOP-1")["rationale"], "Ticket: T-1\nPhase: Waiting", "unmapped columns are kept");
    ok(&db.path, &["undo"]);
    // An unknown value is a problem that names the flag to fix it; with the flag the file imports.
    let args = ["import", path.to_str().unwrap(), "--map-column", "Headline=title", "--map-column", "phase=status"];
    let run = elicit(&db.path, &args);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(":2: Phase: unknown status \"Waiting\"")
            && run.stderr.contains("--map-value status:Waiting="),
        "{}",
        run.stderr
    );
    let mut args = args.to_vec();
    args.extend(["--map-column", "ticket=external_ref", "--map-value", "status:waiting=proposed"]);
    let out = ok(&db.path, &args);
    assert!(
        out.contains("Headline → title; Phase → status; Ticket → external_ref")
            || out.contains("Ticket → external_ref"),
        "{out}"
    );
    let r = show(&db.path, "SHOP-2");
    assert_eq!((r["status"].as_str(), r["external_ref"].as_str()), (Some("proposed"), Some("T-1")));
    let run = elicit(&db.path, &["import", path.to_str().unwrap(), "--map-column", "Nope=title"]);
    assert!(run.code == 1 && run.stderr.contains("the file has no column \"nope\""), "{}", run.stderr);
    let run = elicit(&db.path, &["import", path.to_str().unwrap(), "--map-column", "Headline=colour"]);
    assert!(run.code == 1 && run.stderr.contains("\"colour\" is not a field"), "{}", run.stderr);

    let help = ok(&db.path, &["import", "--help"]);
    for needle in [
        "--map-column <FROM=TO>",
        "--map-value <FIELD:FROM=TO>",
        "--sheet <NAME>",
        "--as-new",
        "external_ref: external ref, external id, issue key, key, uid",
        "kind: kind, type, issue type, work item type",
        "status: to do=draft",
        "in progress=approved",
        "priority: highest=must",
        "1=must",
    ] {
        assert!(help.contains(needle), "import --help lacks {needle:?}:\n{help}");
    }
}

#[test]
fn csv_errors_name_the_right_line_for_crlf_files_and_unclosed_quotes() {
    let db = shop();
    let path = file(&db, "crlf.csv");
    std::fs::write(&path, "title,priority\r\nGood,must\r\n\"Two\r\nlines\",must\r\nBad,urgent\r\n").unwrap();
    let label = path.to_str().unwrap();
    let run = elicit(&db.path, &["import", label]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&format!("{label}:5: priority: unknown priority \"urgent\"")), "{}", run.stderr);
    std::fs::write(&path, "title,statement\nGood,fine\nBroken,\"never closed\nNext,row\n").unwrap();
    let run = elicit(&db.path, &["import", label]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("{label}:3: row: a quoted cell starts on this line and is never closed")),
        "{}",
        run.stderr
    );
    std::fs::write(&path, "title,statement\nGood,fine\nToo,many,cells\n").unwrap();
    let run = elicit(&db.path, &["import", label]);
    assert!(
        run.code == 1 && run.stderr.contains(":3: row: the row has 3 cells but the header has 2"),
        "{}",
        run.stderr
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM requirement"), 0, "nothing was written");
}

/// The demo project exported as CSV, cells edited as a spreadsheet user would, imported back.
#[test]
fn an_edited_csv_export_updates_instead_of_duplicating() {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let csv = file(&db, "own.csv");
    ok(&db.path, &["export", "--format", "csv", "-o", csv.to_str().unwrap()]);
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let before = show(&db.path, "SHOP-1");
    rows[0][col("title")] = "Refund to the card used".into();
    rows[0][col("priority")] = "could".into();
    // Excel drops the UUID column's cells sometimes: the id finds the row alone.
    rows[1][col("uuid")] = String::new();
    rows[1][col("rationale")] = "Edited in Excel.".into();
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_path(&csv).unwrap();
    w.write_record(&header).unwrap();
    rows.iter().for_each(|r| w.write_record(r).unwrap());
    w.flush().unwrap();
    let changes = count(&db.path, "SELECT count(*) FROM change_log");

    let out = ok(&db.path, &["import", csv.to_str().unwrap(), "--dry-run"]);
    assert!(
        out.contains("would import 0 requirements")
            && out.contains("would update 2 existing requirements (38 matched and unchanged)"),
        "{out}"
    );
    assert!(
        out.contains("SHOP-1 (matched by UUID):")
            && out.contains("-> \"Refund to the card used\"")
            && out.contains("-> \"could\""),
        "{out}"
    );
    assert!(out.contains("SHOP-2 (matched by id):") && out.contains("rationale: "), "{out}");
    assert_eq!(count(&db.path, "SELECT count(*) FROM change_log"), changes, "a dry run writes nothing");

    let out = ok(&db.path, &["import", csv.to_str().unwrap()]);
    assert!(out.contains("updated 2 existing requirements"), "{out}");
    assert_eq!(all(&db.path).len(), 40, "nothing was added");
    let after = show(&db.path, "SHOP-1");
    assert_eq!((after["title"].as_str(), after["priority"].as_str()), (Some("Refund to the card used"), Some("could")));
    assert_eq!(after["version"].as_i64(), before["version"].as_i64().map(|v| v + 1));
    assert_eq!(show(&db.path, "SHOP-2")["rationale"], "Edited in Excel.");
    let logged = count(
        &db.path,
        &format!(
            "SELECT count(*) FROM change_log WHERE entity_id = '{}' AND field IN ('title', 'priority')",
            before["uuid"].as_str().unwrap()
        ),
    );
    assert_eq!(logged, 2, "the change log records each changed field");
    // One undo step takes the whole re-import back.
    ok(&db.path, &["undo"]);
    assert_eq!(show(&db.path, "SHOP-1")["title"], before["title"]);
    assert_eq!(show(&db.path, "SHOP-1")["priority"], before["priority"]);

    let out = ok(&db.path, &["import", csv.to_str().unwrap(), "--as-new"]);
    assert!(out.contains("imported 40 requirements into SHOP: SHOP-41 to SHOP-80"), "{out}");
    assert_eq!(show(&db.path, "SHOP-41")["external_ref"], "", "a copy of SHOP-1 does not call SHOP-1 its reference");
}

#[test]
fn an_edited_xlsx_export_updates_and_sheet_picks_the_sheet() {
    use calamine::{Data, Reader};
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let exported = file(&db, "own.xlsx");
    ok(&db.path, &["export", "--format", "xlsx", "-o", exported.to_str().unwrap()]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&exported).unwrap();
    let sheets = book.sheet_names();
    let range = book.worksheet_range(&sheets[0]).unwrap();
    // Write it back as a spreadsheet program would, with one title changed, behind a first sheet of notes.
    let edited = file(&db, "edited.xlsx");
    let mut out = rust_xlsxwriter::Workbook::new();
    out.add_worksheet().set_name("Notes").unwrap().write_string(0, 0, "read me").unwrap();
    let sheet = out.add_worksheet().set_name("Requirements").unwrap();
    let title = range.rows().next().unwrap().iter().position(|c| *c == Data::String("title".into())).unwrap();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                _ if r == 1 && c as usize == title => sheet.write_string(r, c, "Changed in Excel").map(drop),
                Data::String(s) => sheet.write_string(r, c, s).map(drop),
                Data::Float(f) => sheet.write_number(r, c, *f).map(drop),
                Data::Int(i) => sheet.write_number(r, c, *i as f64).map(drop),
                Data::Bool(b) => sheet.write_boolean(r, c, *b).map(drop),
                Data::DateTime(d) => sheet.write_number(r, c, d.as_f64()).map(drop),
                _ => Ok(()),
            }
            .unwrap();
        }
    }
    out.save(&edited).unwrap();
    let run = elicit(&db.path, &["import", edited.to_str().unwrap()]);
    assert_eq!(run.code, 1, "the first sheet has no title column");
    assert!(run.stderr.contains("required column missing"), "{}", run.stderr);
    let out = ok(&db.path, &["import", edited.to_str().unwrap(), "--sheet", "requirements", "--dry-run"]);
    assert!(out.contains("would update 1 existing requirement") && out.contains("\"Changed in Excel\""), "{out}");
    let out = ok(&db.path, &["import", edited.to_str().unwrap(), "--sheet", "Requirements"]);
    assert!(out.contains("imported 0 requirements") && out.contains("updated 1 existing requirement"), "{out}");
    assert_eq!(show(&db.path, "SHOP-1")["title"], "Changed in Excel");
    assert_eq!(all(&db.path).len(), 40);
    let run = elicit(&db.path, &["import", edited.to_str().unwrap(), "--sheet", "Nope"]);
    assert!(
        run.code == 1 && run.stderr.contains("the workbook has no sheet \"Nope\"; its sheets: Notes, Requirements"),
        "{}",
        run.stderr
    );
}

/// A ReqIF file another tool rewrote: the identifiers are no longer our UUIDs, but the ForeignID still says
/// SHOP-7.
#[test]
fn a_rewritten_reqif_updates_by_its_foreign_ids() {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let reqif = file(&db, "own.reqif");
    ok(&db.path, &["export", "--format", "reqif", "-o", reqif.to_str().unwrap()]);
    let text = std::fs::read_to_string(&reqif).unwrap();
    let before = show(&db.path, "SHOP-1");
    let uuid = before["uuid"].as_str().unwrap();
    // Every identifier renamed as DOORS would (its own scheme), references included; one title edited.
    let mut rewritten = text.clone();
    for (i, r) in all(&db.path).iter().enumerate() {
        rewritten = rewritten.replace(r["uuid"].as_str().unwrap(), &format!("DOORS-OBJ-{i}"));
    }
    assert!(!rewritten.contains(uuid));
    let title = before["title"].as_str().unwrap();
    rewritten = rewritten.replacen(&format!("THE-VALUE=\"{title}\""), "THE-VALUE=\"Renamed in DOORS\"", 1);
    std::fs::write(&reqif, rewritten).unwrap();
    let out = ok(&db.path, &["import", reqif.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("would import 0 requirements") && out.contains("SHOP-1 (matched by id):"), "{out}");
    let out = ok(&db.path, &["import", reqif.to_str().unwrap()]);
    assert!(out.contains("updated 1 existing requirement (39 matched and unchanged)"), "{out}");
    assert_eq!(show(&db.path, "SHOP-1")["title"], "Renamed in DOORS");
    assert_eq!(all(&db.path).len(), 40);
}

#[test]
fn list_cells_round_trip_names_with_semicolons_and_commas() {
    let db = shop();
    ok(&db.path, &["stakeholder", "add", "Smith; Jones"]);
    ok(&db.path, &["stakeholder", "add", "Returns, refunds desk"]);
    let path = file(&db, "in.csv");
    std::fs::write(&path, "title,sources\nShared need,\"\"\"Smith; Jones\"\"; \"\"Returns, refunds desk\"\"\"\n")
        .unwrap();
    ok(&db.path, &["import", path.to_str().unwrap()]);
    assert_eq!(show(&db.path, "SHOP-1")["sources"], serde_json::json!(["Smith; Jones", "Returns, refunds desk"]));
    let out = file(&db, "out.csv");
    ok(&db.path, &["export", "--format", "csv", "-o", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"\"\"Smith; Jones\"\"; \"\"Returns, refunds desk\"\"\""), "{text}");
    let other = shop();
    ok(&other.path, &["import", out.to_str().unwrap(), "--create-missing"]);
    assert_eq!(show(&other.path, "SHOP-1")["sources"], serde_json::json!(["Smith; Jones", "Returns, refunds desk"]));
}

/// A ReqIF that another tool wrote from scratch (no `elicit.*` attributes): only the ForeignID ties it to
/// SHOP-1, and the fields it lacks are left as they are.
#[test]
fn a_foreign_reqif_with_our_foreign_id_updates_only_what_it_holds() {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let before = show(&db.path, "SHOP-1");
    let statement = before["statement"].as_str().unwrap().replace('&', "&amp;").replace('<', "&lt;");
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <THE-HEADER><REQ-IF-HEADER IDENTIFIER="h1"><SOURCE-TOOL-ID>StrictDoc</SOURCE-TOOL-ID><TITLE>Spec</TITLE></REQ-IF-HEADER></THE-HEADER>
  <CORE-CONTENT><REQ-IF-CONTENT>
    <DATATYPES>
      <DATATYPE-DEFINITION-STRING IDENTIFIER="dt-s" LAST-CHANGE="2024-01-01T00:00:00Z" MAX-LENGTH="100000"/>
    </DATATYPES>
    <SPEC-TYPES>
      <SPEC-OBJECT-TYPE IDENTIFIER="t1" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="Requirement">
        <SPEC-ATTRIBUTES>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-id" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="ReqIF.ForeignID"><TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-name" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="ReqIF.Name"><TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-text" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
        </SPEC-ATTRIBUTES>
      </SPEC-OBJECT-TYPE>
    </SPEC-TYPES>
    <SPEC-OBJECTS>
      <SPEC-OBJECT IDENTIFIER="SDOC-1" LAST-CHANGE="2024-01-01T00:00:00Z"><TYPE><SPEC-OBJECT-TYPE-REF>t1</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="SHOP-1"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="Renamed in StrictDoc"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-name</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="{statement}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-text</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
      </VALUES></SPEC-OBJECT>
    </SPEC-OBJECTS>
  </REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>"#
    );
    let path = file(&db, "strictdoc.reqif");
    std::fs::write(&path, xml).unwrap();
    let out = ok(&db.path, &["import", path.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("would import 0 requirements") && out.contains("SHOP-1 (matched by id):"), "{out}");
    assert!(out.contains("title: ") && !out.contains("rationale: ") && !out.contains("external_ref: "), "{out}");
    ok(&db.path, &["import", path.to_str().unwrap()]);
    let after = show(&db.path, "SHOP-1");
    assert_eq!(after["title"], "Renamed in StrictDoc");
    for f in ["statement", "rationale", "acceptance", "priority", "status", "tags", "external_ref", "stage"] {
        assert_eq!(after[f], before[f], "{f} is left as it was");
    }
    assert_eq!(all(&db.path).len(), 40);
}
