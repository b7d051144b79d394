//! ReqIF import at scale: 10,000 and 100,000 objects, in files written the way Polarion and DOORS write
//! theirs and in elicit's own export.
//!
//! Run with `cargo bench --bench reqif_import`. Plain `std::time` measurement (no harness). The foreign-style
//! file is generated here as Polarion and DOORS write theirs: pretty-printed XML, a chapter heading every 50
//! objects, `ReqIF.ChapterName` on every requirement too, XHTML text with paragraphs, lists, tables and
//! links, an enumeration, bookkeeping attributes and a nested specification tree; the DOORS-style one has
//! DOORS's attribute names, no `ReqIF.ForeignID` and no heading on requirements. elicit's own file is the
//! export of a generated project. Each import runs in a process of its own (as each `elicit import` does)
//! on a fresh database, reads the file from disk and writes every requirement, as `elicit import FILE` does
//! (chapters stay chapters: `--create-missing` would make the 2,000 chapters of the big file journey
//! stages, one insert at a time); the table shows wall-clock and CPU seconds and the process's peak resident
//! memory (VmHWM, Linux), beside the file's size. Target (issue 12): 100,000 objects in at most 5 s, with memory that grows with the file, not
//! faster. `BENCH_SIZES=10000` runs only the sizes listed; `BENCH_RUNS` (default 1) repeats each import and
//! shows the median; `BENCH_DETAIL=1` adds a dry run of each file ("(read)": everything but the write);
//! `BENCH_KEEP=DIR` keeps the generated files there (to profile one import: run this binary with
//! `ELICIT_BENCH_REQIF_IMPORT="FILE\nDB\ndry"`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use elicit::domain::*;
use elicit::report::{ExportFormat, ExportOptions, ImportFormat, ImportOptions, export, import};
use elicit::store::{NewProject, Store};

mod measure;
use measure::{cpu_secs, peak_mb};

fn new_project(store: &mut Store, key: &str) -> Project {
    store
        .create_project(NewProject {
            key: key.parse().unwrap(),
            name: "ReqIF benchmark".into(),
            description: String::new(),
            journey: String::new(),
            stages: Vec::new(),
            planned_hours: None,
            target_min: 0.25,
            target_max: 0.4,
        })
        .unwrap()
}

/// Set in the environment of a child run: "FILE\nDATABASE\nMODE" (MODE `write` or `dry`). The child
/// imports the file once and prints its seconds, CPU seconds, peak memory and the requirements imported.
const CHILD: &str = "ELICIT_BENCH_REQIF_IMPORT";

fn import_once(spec: &str) {
    let mut parts = spec.lines();
    let (file, db, mode) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    let mut store = Store::open(Path::new(db)).unwrap();
    new_project(&mut store, "BEN");
    let options = ImportOptions {
        file_label: file.into(),
        project_key: Some("BEN".into()),
        dry_run: mode == "dry",
        ..ImportOptions::default()
    };
    let (t, cpu) = (Instant::now(), cpu_secs());
    let bytes = std::fs::read(file).unwrap();
    let summary = import(&mut store, ImportFormat::Reqif, &bytes, &options).unwrap();
    println!("{} {} {} {}", t.elapsed().as_secs_f64(), cpu_secs() - cpu, peak_mb(), summary.imported);
}

/// A ReqIF file as Polarion writes them: `n` spec-objects, one in 50 a chapter heading. With `doors`, as
/// DOORS writes them instead: its attribute names ("Object Heading", "Object Text", "Created By", "Created
/// On"), no `ReqIF.ForeignID` and no heading on the requirements, so titles come from the text.
fn foreign_file(n: usize, doors: bool) -> String {
    let mut s = String::with_capacity(n * 1800);
    s.push_str(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <THE-HEADER>
    <REQ-IF-HEADER IDENTIFIER="_header">
      <CREATION-TIME>2026-01-01T00:00:00.000Z</CREATION-TIME>
      <REQ-IF-TOOL-ID>Generated like Polarion ALM</REQ-IF-TOOL-ID>
      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>
      <SOURCE-TOOL-ID>bench</SOURCE-TOOL-ID>
      <TITLE>Braking system specification</TITLE>
    </REQ-IF-HEADER>
  </THE-HEADER>
  <CORE-CONTENT>
    <REQ-IF-CONTENT>
      <DATATYPES>
        <DATATYPE-DEFINITION-STRING IDENTIFIER="_dt-string" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="String" MAX-LENGTH="32000"/>
        <DATATYPE-DEFINITION-XHTML IDENTIFIER="_dt-xhtml" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="XHTML"/>
        <DATATYPE-DEFINITION-DATE IDENTIFIER="_dt-date" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="Date"/>
        <DATATYPE-DEFINITION-ENUMERATION IDENTIFIER="_dt-status" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="Status">
          <SPECIFIED-VALUES>
            <ENUM-VALUE IDENTIFIER="_st-draft" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="Draft"><PROPERTIES><EMBEDDED-VALUE KEY="0" OTHER-CONTENT=""/></PROPERTIES></ENUM-VALUE>
            <ENUM-VALUE IDENTIFIER="_st-approved" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="Approved"><PROPERTIES><EMBEDDED-VALUE KEY="1" OTHER-CONTENT=""/></PROPERTIES></ENUM-VALUE>
            <ENUM-VALUE IDENTIFIER="_st-review" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="In Review"><PROPERTIES><EMBEDDED-VALUE KEY="2" OTHER-CONTENT=""/></PROPERTIES></ENUM-VALUE>
          </SPECIFIED-VALUES>
        </DATATYPE-DEFINITION-ENUMERATION>
      </DATATYPES>
      <SPEC-TYPES>
        <SPEC-OBJECT-TYPE IDENTIFIER="_type-heading" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="Heading">
          <SPEC-ATTRIBUTES>
            <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="_h-chapter" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="ReqIF.ChapterName"><TYPE><DATATYPE-DEFINITION-STRING-REF>_dt-string</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
            <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="_h-text" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-XHTML-REF>_dt-xhtml</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
          </SPEC-ATTRIBUTES>
        </SPEC-OBJECT-TYPE>
        <SPEC-OBJECT-TYPE IDENTIFIER="_type-req" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="Software Requirement">
          <SPEC-ATTRIBUTES>
            <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="_r-id" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="ReqIF.ForeignID"><TYPE><DATATYPE-DEFINITION-STRING-REF>_dt-string</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
            <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="_r-chapter" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="ReqIF.ChapterName"><TYPE><DATATYPE-DEFINITION-STRING-REF>_dt-string</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
            <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="_r-text" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-XHTML-REF>_dt-xhtml</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
            <ATTRIBUTE-DEFINITION-ENUMERATION IDENTIFIER="_r-status" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="Status" MULTI-VALUED="false"><TYPE><DATATYPE-DEFINITION-ENUMERATION-REF>_dt-status</DATATYPE-DEFINITION-ENUMERATION-REF></TYPE></ATTRIBUTE-DEFINITION-ENUMERATION>
            <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="_r-by" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="ReqIF.ForeignCreatedBy"><TYPE><DATATYPE-DEFINITION-STRING-REF>_dt-string</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
            <ATTRIBUTE-DEFINITION-DATE IDENTIFIER="_r-on" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="ReqIF.ForeignCreatedOn"><TYPE><DATATYPE-DEFINITION-DATE-REF>_dt-date</DATATYPE-DEFINITION-DATE-REF></TYPE></ATTRIBUTE-DEFINITION-DATE>
          </SPEC-ATTRIBUTES>
        </SPEC-OBJECT-TYPE>
        <SPECIFICATION-TYPE IDENTIFIER="_type-doc" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="Document"/>
      </SPEC-TYPES>
      <SPEC-OBJECTS>
"#,
    );
    let parts = ["pedal", "caliper", "sensor", "controller", "valve", "pump", "display", "logger"];
    for i in 0..n {
        if i % 50 == 0 {
            let _ = write!(
                s,
                r#"        <SPEC-OBJECT IDENTIFIER="_o{i}" LAST-CHANGE="2026-01-01T00:00:00.000Z">
          <VALUES>
            <ATTRIBUTE-VALUE-STRING THE-VALUE="{} {} subsystem">
              <DEFINITION>
                <ATTRIBUTE-DEFINITION-STRING-REF>_h-chapter</ATTRIBUTE-DEFINITION-STRING-REF>
              </DEFINITION>
            </ATTRIBUTE-VALUE-STRING>
            <ATTRIBUTE-VALUE-XHTML>
              <DEFINITION>
                <ATTRIBUTE-DEFINITION-XHTML-REF>_h-text</ATTRIBUTE-DEFINITION-XHTML-REF>
              </DEFINITION>
              <THE-VALUE>
                <xhtml:div>
                  <xhtml:p>This chapter holds the requirements of the {} subsystem.</xhtml:p>
                </xhtml:div>
              </THE-VALUE>
            </ATTRIBUTE-VALUE-XHTML>
          </VALUES>
          <TYPE>
            <SPEC-OBJECT-TYPE-REF>_type-heading</SPEC-OBJECT-TYPE-REF>
          </TYPE>
        </SPEC-OBJECT>
"#,
                i / 50 + 1,
                parts[(i / 50) % parts.len()],
                parts[(i / 50) % parts.len()]
            );
            continue;
        }
        let part = parts[i % parts.len()];
        let extra = match i % 5 {
            0 => format!(
                "\n                  <xhtml:table>\n                    <xhtml:tr><xhtml:th>Signal</xhtml:th><xhtml:th>Range</xhtml:th></xhtml:tr>\n                    <xhtml:tr><xhtml:td>{part} position</xhtml:td><xhtml:td>0 to {i} mm</xhtml:td></xhtml:tr>\n                  </xhtml:table>"
            ),
            1 => "\n                  <xhtml:ul>\n                    <xhtml:li>in the rain</xhtml:li>\n                    <xhtml:li>below freezing</xhtml:li>\n                  </xhtml:ul>".to_owned(),
            2 => format!("\n                  <xhtml:p>See <xhtml:a href=\"https://example.org/spec/{i}\">the interface specification</xhtml:a>.</xhtml:p>"),
            _ => String::new(),
        };
        // DOORS gives a requirement neither an id attribute nor a heading of its own.
        let labels = if doors {
            String::new()
        } else {
            format!(
                r#"
            <ATTRIBUTE-VALUE-STRING THE-VALUE="SWR-{i}">
              <DEFINITION>
                <ATTRIBUTE-DEFINITION-STRING-REF>_r-id</ATTRIBUTE-DEFINITION-STRING-REF>
              </DEFINITION>
            </ATTRIBUTE-VALUE-STRING>
            <ATTRIBUTE-VALUE-STRING THE-VALUE="The {part} reports its state within 10 ms ({i})">
              <DEFINITION>
                <ATTRIBUTE-DEFINITION-STRING-REF>_r-chapter</ATTRIBUTE-DEFINITION-STRING-REF>
              </DEFINITION>
            </ATTRIBUTE-VALUE-STRING>"#
            )
        };
        let _ = write!(
            s,
            r#"        <SPEC-OBJECT IDENTIFIER="_o{i}" LAST-CHANGE="2026-01-01T00:00:00.000Z">
          <VALUES>{labels}
            <ATTRIBUTE-VALUE-XHTML>
              <DEFINITION>
                <ATTRIBUTE-DEFINITION-XHTML-REF>_r-text</ATTRIBUTE-DEFINITION-XHTML-REF>
              </DEFINITION>
              <THE-VALUE>
                <xhtml:div>
                  <xhtml:p>The <xhtml:b>{part}</xhtml:b> shall report its state to the brake controller
                    within 10&#160;ms of every change, case {i}.</xhtml:p>{extra}
                </xhtml:div>
              </THE-VALUE>
            </ATTRIBUTE-VALUE-XHTML>
            <ATTRIBUTE-VALUE-ENUMERATION>
              <DEFINITION>
                <ATTRIBUTE-DEFINITION-ENUMERATION-REF>_r-status</ATTRIBUTE-DEFINITION-ENUMERATION-REF>
              </DEFINITION>
              <VALUES>
                <ENUM-VALUE-REF>{}</ENUM-VALUE-REF>
              </VALUES>
            </ATTRIBUTE-VALUE-ENUMERATION>
            <ATTRIBUTE-VALUE-STRING THE-VALUE="engineer{}@example.org">
              <DEFINITION>
                <ATTRIBUTE-DEFINITION-STRING-REF>_r-by</ATTRIBUTE-DEFINITION-STRING-REF>
              </DEFINITION>
            </ATTRIBUTE-VALUE-STRING>
            <ATTRIBUTE-VALUE-DATE THE-VALUE="2025-11-03T10:46:58.611Z">
              <DEFINITION>
                <ATTRIBUTE-DEFINITION-DATE-REF>_r-on</ATTRIBUTE-DEFINITION-DATE-REF>
              </DEFINITION>
            </ATTRIBUTE-VALUE-DATE>
          </VALUES>
          <TYPE>
            <SPEC-OBJECT-TYPE-REF>_type-req</SPEC-OBJECT-TYPE-REF>
          </TYPE>
        </SPEC-OBJECT>
"#,
            ["_st-draft", "_st-approved", "_st-review"][i % 3],
            i % 40
        );
    }
    s.push_str(
        r#"      </SPEC-OBJECTS>
      <SPEC-RELATIONS/>
      <SPECIFICATIONS>
        <SPECIFICATION IDENTIFIER="_spec" LAST-CHANGE="2026-01-01T00:00:00.000Z" LONG-NAME="Braking system">
          <TYPE>
            <SPECIFICATION-TYPE-REF>_type-doc</SPECIFICATION-TYPE-REF>
          </TYPE>
          <CHILDREN>
"#,
    );
    for i in 0..n {
        if i % 50 == 0 {
            if i > 0 {
                s.push_str("              </CHILDREN>\n            </SPEC-HIERARCHY>\n");
            }
            let _ = write!(
                s,
                "            <SPEC-HIERARCHY IDENTIFIER=\"_h{i}\" LAST-CHANGE=\"2026-01-01T00:00:00.000Z\">\n              <OBJECT>\n                <SPEC-OBJECT-REF>_o{i}</SPEC-OBJECT-REF>\n              </OBJECT>\n              <CHILDREN>\n"
            );
            continue;
        }
        let _ = write!(
            s,
            "                <SPEC-HIERARCHY IDENTIFIER=\"_h{i}\" LAST-CHANGE=\"2026-01-01T00:00:00.000Z\">\n                  <OBJECT>\n                    <SPEC-OBJECT-REF>_o{i}</SPEC-OBJECT-REF>\n                  </OBJECT>\n                </SPEC-HIERARCHY>\n"
        );
    }
    if n > 0 {
        s.push_str("              </CHILDREN>\n            </SPEC-HIERARCHY>\n");
    }
    s.push_str(
        "          </CHILDREN>\n        </SPECIFICATION>\n      </SPECIFICATIONS>\n      <SPEC-RELATION-GROUPS/>\n    </REQ-IF-CONTENT>\n  </CORE-CONTENT>\n</REQ-IF>\n",
    );
    if !doors {
        return s;
    }
    let header_end = s.find("<SPEC-OBJECTS>").unwrap();
    let mut head = s[..header_end].to_owned();
    for (from, to) in [
        ("Generated like Polarion ALM", "Generated like IBM DOORS"),
        ("LONG-NAME=\"ReqIF.ChapterName\"", "LONG-NAME=\"Object Heading\""),
        ("LONG-NAME=\"ReqIF.Text\"", "LONG-NAME=\"Object Text\""),
        ("LONG-NAME=\"ReqIF.ForeignCreatedBy\"", "LONG-NAME=\"Created By\""),
        ("LONG-NAME=\"ReqIF.ForeignCreatedOn\"", "LONG-NAME=\"Created On\""),
    ] {
        head = head.replace(from, to);
    }
    // Neither an id attribute nor a heading attribute on the requirement type.
    head = head
        .lines()
        .filter(|l| !l.contains("LONG-NAME=\"ReqIF.ForeignID\"") && !l.contains("IDENTIFIER=\"_r-chapter\""))
        .map(|l| format!("{l}\n"))
        .collect();
    head + &s[header_end..]
}

/// elicit's own export of a project of `n` requirements over seven stages.
fn own_file(n: usize, dir: &Path, out: &Path) {
    let db = dir.join(format!("own-{n}.db"));
    let mut store = Store::open(&db).unwrap();
    let project = store
        .create_project(NewProject {
            key: "OWN".parse().unwrap(),
            name: "Own export".into(),
            description: String::new(),
            journey: "retail".into(),
            stages: ["Discover", "Browse", "Buy", "Receive", "Use", "Get support", "Return"]
                .iter()
                .map(|s| (s.to_string(), format!("Where customers {s}")))
                .collect(),
            planned_hours: None,
            target_min: 0.25,
            target_max: 0.4,
        })
        .unwrap();
    let stages = store.stages(project.id).unwrap();
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..n {
        batch.push(NewRequirement {
            title: format!("Customer can track the refund of order {i}"),
            statement: format!(
                "The service shall show the customer where the refund for order {i} stands.\nAnd when the money arrives."
            ),
            priority: Priority::ALL[i % 4],
            status: Status::ALL[i % 7],
            stage: Some(stages[i % stages.len()].id),
            acceptance: "Given a return\nWhen the refund is issued\nThen the customer sees the date".into(),
            tags: vec!["refunds".into()],
            ..Default::default()
        });
        if batch.len() == 10_000 {
            store.add_requirements(project.id, std::mem::take(&mut batch)).unwrap();
        }
    }
    if !batch.is_empty() {
        store.add_requirements(project.id, batch).unwrap();
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    export(&store, &project, ExportFormat::Reqif, &ExportOptions::default(), &mut file).unwrap();
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        return import_once(&spec);
    }
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(1).max(1);
    let modes: &[&str] = if std::env::var_os("BENCH_DETAIL").is_some() { &["dry", "write"] } else { &["write"] };
    let dir = tempfile::tempdir().unwrap();
    println!(
        "{:<24} {:>9} {:>10} {:>10} {:>9} {:>9} {:>14} {:>12}",
        "file", "objects", "imported", "file (MB)", "seconds", "cpu s", "peak RSS (MB)", "runs (s)"
    );
    for &n in &sizes {
        for kind in ["Polarion-style", "DOORS-style", "elicit export"] {
            let path = dir.path().join(format!("{}-{n}.reqif", kind.replace(' ', "-")));
            match kind {
                "Polarion-style" => std::fs::write(&path, foreign_file(n, false)).unwrap(),
                "DOORS-style" => std::fs::write(&path, foreign_file(n, true)).unwrap(),
                _ => own_file(n, dir.path(), &path),
            }
            let size = std::fs::metadata(&path).unwrap().len() as f64 / 1e6;
            for mode in modes {
                let mut results: Vec<(f64, f64, f64, usize)> = Vec::new();
                for run in 0..runs {
                    let db = dir.path().join(format!("import-{n}-{run}.db"));
                    let child = std::process::Command::new(std::env::current_exe().unwrap())
                        .env(CHILD, format!("{}\n{}\n{mode}", path.display(), db.display()))
                        .output()
                        .unwrap();
                    assert!(child.status.success(), "{}", String::from_utf8_lossy(&child.stderr));
                    let out = String::from_utf8(child.stdout).unwrap();
                    let v: Vec<&str> = out.split_whitespace().collect();
                    results.push((
                        v[0].parse().unwrap(),
                        v[1].parse().unwrap(),
                        v[2].parse().unwrap(),
                        v[3].parse().unwrap(),
                    ));
                    let _ = std::fs::remove_file(&db);
                }
                results.sort_by(|a, b| a.0.total_cmp(&b.0));
                let (secs, cpu, peak, imported) = results[results.len() / 2];
                let spread = format!("{:.2}-{:.2}", results[0].0, results[results.len() - 1].0);
                let label = if *mode == "dry" { format!("({kind}, read)") } else { kind.to_owned() };
                println!(
                    "{label:<24} {n:>9} {imported:>10} {size:>10.1} {secs:>9.2} {cpu:>9.2} {peak:>14.0} {spread:>12}"
                );
            }
            match std::env::var_os("BENCH_KEEP") {
                Some(keep) => std::fs::rename(&path, Path::new(&keep).join(path.file_name().unwrap())).unwrap(),
                None => std::fs::remove_file(&path).unwrap(),
            }
        }
    }
}
