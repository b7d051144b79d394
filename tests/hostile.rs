//! Hostile input, table-driven: each case gets one clear `error:` line, exit code 1, no panic, and leaves
//! both the database and the input file exactly as they were.

use std::path::{Path, PathBuf};

use crate::common::*;

const REQIF_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;
const REQIF_BODY: &str = r#"<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><CORE-CONTENT><REQ-IF-CONTENT><SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER="a" LONG-NAME="&x;"/></SPEC-OBJECTS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"#;

/// One hostile case: its name, the input file it makes (if any) and the command it runs.
struct Case {
    name: &'static str,
    /// File name and content of the input, written into the case's folder.
    input: Option<(&'static str, Vec<u8>)>,
    /// The database to point `--db` at instead of the demo database (a file name in the folder; a name
    /// ending in `/` is made as a folder).
    db: Option<(&'static str, Vec<u8>)>,
    /// Arguments; `{in}` is replaced by the input's path, `{dir}` by the folder.
    args: &'static [&'static str],
    /// A word the error line must hold.
    says: &'static str,
}

fn cases(demo_bytes: &[u8]) -> Vec<Case> {
    let mut random = Vec::with_capacity(8192);
    let mut x: u32 = 0x9e37_79b9;
    for _ in 0..8192 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        random.push(x as u8);
    }
    let newer = {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("n.db");
        rusqlite::Connection::open(&p).unwrap().execute_batch("CREATE TABLE t (x); PRAGMA user_version = 99;").unwrap();
        std::fs::read(&p).unwrap()
    };
    let csv = |body: &str| format!("title,statement,priority\n{body}").into_bytes();
    vec![
        Case { name: "random bytes as --db", input: None, db: Some(("random.db", random.clone())), args: &["list"], says: "not an elicit database" },
        Case {
            name: "a truncated database",
            input: None,
            db: Some(("cut.db", demo_bytes[..demo_bytes.len() / 2].to_vec())),
            args: &["list"],
            says: "damaged",
        },
        Case { name: "a newer schema", input: None, db: Some(("newer.db", newer)), args: &["list"], says: "newer elicit" },
        Case { name: "a folder as --db", input: None, db: Some(("folder/", Vec::new())), args: &["list"], says: "" },
        Case { name: "invalid UTF-8", input: Some(("bad.csv", b"title\n\xff\xfe caf\xe9\n".to_vec())), db: None, args: &["import", "{in}"], says: "UTF-8" },
        Case { name: "an unbalanced quote", input: Some(("q.csv", csv("\"open,x,must\nok,x,must\n"))), db: None, args: &["import", "{in}"], says: "cells" },
        Case {
            name: "a 50 MB cell",
            input: Some(("big.csv", csv(&format!("t,{},must\n", "y".repeat(50_000_000))))),
            db: None,
            args: &["import", "{in}"],
            says: "limit",
        },
        Case { name: "an unknown priority", input: Some(("p.csv", csv("t,s,urgent\n"))), db: None, args: &["import", "{in}"], says: "priority" },
        Case { name: "an empty file", input: Some(("empty.csv", Vec::new())), db: None, args: &["import", "{in}"], says: "empty" },
        Case { name: "a picture as CSV", input: Some(("pic.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())), db: None, args: &["import", "{in}"], says: "" },
        Case { name: "a missing import file", input: None, db: None, args: &["import", "{dir}/nothing-here.csv"], says: "nothing-here.csv" },
        Case { name: "a folder to import", input: None, db: None, args: &["import", "{dir}"], says: "" },
        Case {
            name: "JSON nested 100,000 deep",
            input: Some(("deep.json", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes())),
            db: None,
            args: &["import", "{in}"],
            says: "JSON",
        },
        Case {
            name: "a crafted backup",
            input: Some((
                "seq.json",
                br#"{"format":"elicit-backup","format_version":"1","projects":[]}"#.to_vec(),
            )),
            db: None,
            args: &["import", "{in}"],
            says: "format_version",
        },
        Case {
            name: "entity expansion in ReqIF",
            input: Some((
                "lol.reqif",
                format!(
                    "{REQIF_HEAD}<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY x \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>{REQIF_BODY}"
                )
                .into_bytes(),
            )),
            db: None,
            args: &["import", "{in}"],
            says: "entities",
        },
        Case {
            name: "an external entity in ReqIF",
            input: Some((
                "xxe.reqif",
                format!("{REQIF_HEAD}<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{REQIF_BODY}").into_bytes(),
            )),
            db: None,
            args: &["import", "{in}"],
            says: "entities",
        },
        Case {
            name: "malformed XML",
            input: Some(("cut.reqif", format!("{REQIF_HEAD}<REQ-IF><CORE-CONTENT>").into_bytes())),
            db: None,
            args: &["import", "{in}"],
            says: "",
        },
        Case { name: "a web page as ReqIF", input: Some(("page.reqif", b"<html><body>hi</body></html>".to_vec())), db: None, args: &["import", "{in}"], says: "REQ-IF" },
        Case { name: "a title over 200 characters", input: None, db: None, args: &["add", LONG_TITLE], says: "200" },
        Case { name: "a duration without a unit", input: None, db: None, args: &["time", "log", "design", "45"], says: "unit" },
        Case { name: "a duration over a day", input: None, db: None, args: &["time", "log", "design", "99999999h"], says: "" },
        Case { name: "an invalid project key", input: None, db: None, args: &["--project", "x!", "list"], says: "key" },
        Case { name: "an export into a folder", input: None, db: None, args: &["export", "--format", "csv", "-o", "{dir}"], says: "folder" },
        Case {
            name: "an export into a missing folder",
            input: None,
            db: None,
            args: &["export", "--format", "csv", "-o", "{dir}/no/such/out.csv"],
            says: "",
        },
        Case { name: "restore from random bytes", input: Some(("r.db", random)), db: None, args: &["restore", "{in}"], says: "not an elicit database" },
    ]
}

/// 299 characters: over the 200 a title may hold.
const LONG_TITLE: &str = "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word";

/// The cases whose value the command line itself refuses (exit 2).
const USAGE_ERRORS: [&str; 2] = ["a duration without a unit", "a duration over a day"];

fn hash(path: &Path) -> Option<Vec<u8>> {
    if path.is_dir() {
        return None;
    }
    std::fs::read(path).ok()
}

#[test]
fn hostile_input_gets_one_clear_line_and_changes_nothing() {
    let demo = TempDb::new();
    ok(&demo.path, &["demo"]);
    // A closed, checkpointed copy, so the bytes compared are the whole database.
    let demo_bytes = std::fs::read(&demo.path).unwrap();
    let all = cases(&demo_bytes);
    assert!(all.len() >= 20, "at least 20 kinds");
    for case in all {
        let dir = tempfile::tempdir().unwrap();
        let db: PathBuf = match &case.db {
            Some((name, _)) if name.ends_with('/') => {
                let p = dir.path().join(name.trim_end_matches('/'));
                std::fs::create_dir(&p).unwrap();
                p
            }
            Some((name, bytes)) => {
                let p = dir.path().join(name);
                std::fs::write(&p, bytes).unwrap();
                p
            }
            None => {
                let p = dir.path().join("elicit.db");
                std::fs::write(&p, &demo_bytes).unwrap();
                p
            }
        };
        let input = case.input.as_ref().map(|(name, bytes)| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        });
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| {
                a.replace("{dir}", &dir.path().display().to_string())
                    .replace("{in}", &input.as_ref().map(|p| p.display().to_string()).unwrap_or_default())
            })
            .collect();
        let db_before = hash(&db);
        let input_before = input.as_deref().and_then(hash);
        let run = elicit_cmd(&db).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        let name = case.name;
        // Values clap checks (durations) are usage errors, exit 2; the rest are user errors, exit 1.
        let expected = if USAGE_ERRORS.contains(&name) { 2 } else { 1 };
        assert_eq!(run.status.code(), Some(expected), "{name}: exit code\n{stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{name}: one error line\n{stderr}");
        assert!(errors[0].len() < 400, "{name}: a line a person reads: {}", errors[0]);
        assert!(stderr.contains(case.says), "{name}: should say {:?}\n{stderr}", case.says);
        assert_eq!(hash(&db), db_before, "{name}: the database changed");
        assert_eq!(input.as_deref().and_then(hash), input_before, "{name}: the input file changed");
    }
}

#[test]
fn a_full_disk_during_an_import_rolls_back_everything() {
    use elicit::report::{ImportFormat, ImportOptions};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("full.db");
    ok(&path, &["demo"]);
    let mut store = elicit::store::Store::open(&path).unwrap();
    let project = store.resolve_project(Some("SHOP")).unwrap();
    let before = store.requirement_count(project.id).unwrap();
    // The database may not grow past its current size: the next page it needs is "the disk is full".
    let pages: i64 = store.connection().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    store.connection().pragma_update(None, "max_page_count", pages + 2).unwrap();
    let mut csv = String::from("title,statement\n");
    for i in 0..3000 {
        csv.push_str(&format!("Requirement {i},{}\n", "statement text ".repeat(20)));
    }
    let options =
        ImportOptions { file_label: "big.csv".into(), project_key: Some("SHOP".into()), ..ImportOptions::default() };
    let err = elicit::report::import(&mut store, ImportFormat::Csv, csv.as_bytes(), &options).unwrap_err();
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert_eq!(store.requirement_count(project.id).unwrap(), before, "nothing of the import is there");
    assert!(store.check_integrity().unwrap().is_empty());
}
