//! Restoring a JSON backup through the real binary: a crafted file is held to the rules of every other input
//! (limits, ranges, enumerations, the change log's entities and columns) and refused whole, leaving the
//! database file as it was; its text is cleaned of control characters before it is stored, so nothing it
//! holds can reach a terminal later; and an honest backup still restores exactly.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::*;

/// The terminal-title escape sequence a crafted backup hides in its text.
const RETITLE: &str = "\u{1b}]0;PWNED\u{7}";

/// The demo project's backup, as a JSON value to tamper with, and the folder it was written in.
fn demo_backup() -> (TempDb, Value) {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let path = db.dir.path().join("demo.json");
    ok(&db.path, &["export", "--format", "json", "-o", path.to_str().unwrap()]);
    let backup = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    (db, backup)
}

/// Writes `backup` next to `db`'s file, as `name`.
fn write_backup(db: &TempDb, name: &str, backup: &Value) -> PathBuf {
    let path = db.dir.path().join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(backup).unwrap()).unwrap();
    path
}

/// A file with a project of its own, so a refused restore has something to leave untouched.
fn target() -> TempDb {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "CHK", "--name", "Checkout"]);
    db
}

/// Imports `backup` into `db` and checks that it is refused (`name` says which case, in failures): exit 1,
/// a problem line containing `expected`, and the database file byte for byte as it was (the binary has
/// exited, so every connection is closed).
fn assert_refused(db: &TempDb, name: &str, backup: &Value, expected: &str) -> String {
    let path = write_backup(db, "crafted.json", backup);
    let before = std::fs::read(&db.path).unwrap();
    let run = elicit(&db.path, &["import", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{name}: expected a refusal\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(run.stderr.contains(expected), "{name}: expected {expected:?} in\n{}", run.stderr);
    assert!(run.stderr.contains("nothing was imported"), "{name}: {}", run.stderr);
    assert!(std::fs::read(&db.path).unwrap() == before, "{name}: the refused restore changed the database file");
    run.stderr
}

/// One crafted backup: what it tries, how it changes the honest one, and the problem it must be refused with.
type Case = (&'static str, fn(&mut Value), String);

fn project(backup: &mut Value) -> &mut Value {
    &mut backup["projects"][0]
}

/// The index of the first change-log row about `entity` that is not its creation.
fn change_about(backup: &Value, entity: &str) -> usize {
    let log = backup["projects"][0]["change_log"].as_array().unwrap();
    log.iter().position(|l| l["entity"] == entity && l["field"] != "*created").unwrap()
}

/// Every byte `args` writes to stdout.
fn stdout_bytes(db: &Path, args: &[&str]) -> Vec<u8> {
    let out = elicit_cmd(db).args(args).output().unwrap();
    assert!(out.status.success(), "elicit {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn a_next_seq_at_the_end_of_the_integers_is_refused_and_the_file_is_untouched() {
    let (_demo, mut backup) = demo_backup();
    project(&mut backup)["next_seq"] = Value::from(i64::MAX);
    let db = target();
    let stderr = assert_refused(&db, "huge next_seq", &backup, "projects[SHOP].next_seq: must be from 1 to 999999999");
    assert!(stderr.contains("9223372036854775807"), "{stderr}");
    // The file goes on working.
    assert_eq!(ok(&db.path, &["add", "Pay by card"]).trim(), "CHK-1");
}

#[test]
fn a_next_seq_below_the_highest_number_is_refused_not_raised() {
    let (_demo, mut backup) = demo_backup();
    project(&mut backup)["next_seq"] = Value::from(5);
    let stderr = assert_refused(
        &target(),
        "low next_seq",
        &backup,
        "projects[SHOP].next_seq: 5 is not above the highest requirement number in the backup, 40 (SHOP-40)",
    );
    assert!(stderr.contains("refused, not raised") && stderr.contains("41 or more"), "{stderr}");
}

#[test]
fn numbers_out_of_range_are_named_by_field() {
    let (_demo, backup) = demo_backup();
    let stage = backup["projects"][0]["stages"][2]["id"].as_str().unwrap().to_owned();
    let cases: Vec<Case> = vec![
        (
            "seq",
            |b| {
                project(b)["requirements"][0]["seq"] = Value::from(1_000_000_000);
                project(b)["next_seq"] = Value::from(1_000_000_001);
            },
            "requirements[SHOP-1000000000].seq: must be from 1 to 999999999, not 1000000000".into(),
        ),
        (
            "version zero",
            |b| project(b)["requirements"][1]["version"] = Value::from(0),
            "requirements[SHOP-2].version: must be from 1 to 999999999, not 0".into(),
        ),
        (
            "version at the end of the integers",
            |b| project(b)["requirements"][1]["version"] = Value::from(i64::MAX),
            "requirements[SHOP-2].version: must be from 1 to 999999999".into(),
        ),
        (
            "stage position",
            |b| project(b)["stages"][2]["position"] = Value::from(-3),
            format!("stages[{stage}].position: must be from 1 to 999999999, not -3"),
        ),
    ];
    let db = target();
    for (name, tamper, expected) in cases {
        let mut crafted = backup.clone();
        tamper(&mut crafted);
        assert_refused(&db, name, &crafted, &expected);
    }
}

#[test]
fn a_change_log_row_for_an_unknown_entity_is_refused() {
    let (_demo, mut backup) = demo_backup();
    project(&mut backup)["change_log"][0]["entity"] = json!("sqlite_master");
    assert_refused(
        &target(),
        "unknown entity",
        &backup,
        "projects[SHOP].change_log[0].entity: unknown entity \"sqlite_master\"",
    );
}

#[test]
fn a_change_log_row_naming_a_column_undo_may_not_write_is_refused() {
    let (_demo, mut backup) = demo_backup();
    // `project_id` is a real column of `requirement`, but undo writing it would move the row to another project.
    let i = change_about(&backup, "requirement");
    project(&mut backup)["change_log"][i]["field"] = json!("project_id");
    assert_refused(
        &target(),
        "not a column",
        &backup,
        &format!("projects[SHOP].change_log[{i}].field: requirement has no field \"project_id\""),
    );
}

#[test]
fn a_change_log_row_about_a_row_outside_the_backup_is_refused() {
    let (_demo, mut backup) = demo_backup();
    let i = change_about(&backup, "requirement");
    project(&mut backup)["change_log"][i]["entity_id"] = json!("01900000-0000-7000-8000-000000000000");
    assert_refused(
        &target(),
        "row elsewhere",
        &backup,
        &format!("projects[SHOP].change_log[{i}].entity_id: names a requirement that is not in the backup"),
    );
}

#[test]
fn text_over_its_limit_is_refused() {
    let (_demo, backup) = demo_backup();
    let stage = backup["projects"][0]["stages"][0]["id"].as_str().unwrap().to_owned();
    let person = backup["projects"][0]["stakeholders"][0]["id"].as_str().unwrap().to_owned();
    let cases: Vec<Case> = vec![
        (
            "title",
            |b| project(b)["requirements"][0]["title"] = json!("x".repeat(201)),
            "requirements[SHOP-1].title: title is 201 characters long; the limit is 200".into(),
        ),
        (
            "statement",
            |b| project(b)["requirements"][0]["statement"] = json!("y".repeat(100_001)),
            "requirements[SHOP-1].statement: statement is 100001 characters long; the limit is 100000".into(),
        ),
        (
            "stage name",
            |b| project(b)["stages"][0]["name"] = json!("z".repeat(201)),
            format!("stages[{stage}].name: name is 201 characters long; the limit is 200"),
        ),
        (
            "stakeholder name",
            |b| project(b)["stakeholders"][0]["name"] = json!(" \u{1b} "),
            format!("stakeholders[{person}].name: name must not be empty"),
        ),
        (
            "band",
            |b| project(b)["target_min"] = json!(0.9),
            "projects[SHOP].target_min: invalid target band 0.9..0.4".into(),
        ),
        (
            "timestamp",
            |b| project(b)["requirements"][0]["updated_at"] = json!("yesterday"),
            "requirements[SHOP-1].updated_at: \"yesterday\" is not an RFC 3339 timestamp".into(),
        ),
        (
            "draft payload",
            |b| {
                project(b)["drafts"] = json!([{
                    "id": "01900000-0000-7000-8000-00000000d0af",
                    "form": "requirement",
                    "payload": "{\"values\": ",
                    "updated_at": "2026-11-20T10:00:00.000000Z",
                }])
            },
            "drafts[01900000-0000-7000-8000-00000000d0af].payload: is not JSON".into(),
        ),
    ];
    let db = target();
    for (name, tamper, expected) in cases {
        let mut crafted = backup.clone();
        tamper(&mut crafted);
        assert_refused(&db, name, &crafted, &expected);
    }
}

#[test]
fn every_problem_is_listed_at_once() {
    let (_demo, mut backup) = demo_backup();
    let p = project(&mut backup);
    p["next_seq"] = Value::from(i64::MAX);
    p["requirements"][3]["version"] = Value::from(0);
    p["change_log"][0]["entity"] = json!("nowhere");
    let stderr = assert_refused(&target(), "three problems", &backup, "has 3 problems; nothing was imported");
    for field in ["next_seq", "requirements[SHOP-4].version", "change_log[0].entity"] {
        assert!(stderr.contains(field), "{field} missing from\n{stderr}");
    }
}

#[test]
fn a_format_version_given_as_a_string_is_named_as_such() {
    let (_demo, mut backup) = demo_backup();
    backup["format_version"] = json!("1");
    assert_refused(
        &target(),
        "string version",
        &backup,
        ":1: format_version: must be a whole number, not the string \"1\"",
    );
}

#[test]
fn control_characters_in_a_backup_never_reach_the_terminal() {
    let (_demo, mut backup) = demo_backup();
    let p = project(&mut backup);
    p["name"] = json!(format!("Shop{RETITLE}"));
    p["stages"][0]["name"] = json!(format!("Browse{RETITLE}"));
    p["stages"][0]["description"] = json!(format!("Looking around\n{RETITLE}"));
    p["outcomes"][0]["statement"] = json!(format!("Fewer calls{RETITLE}"));
    p["stakeholders"][0]["name"] = json!(format!("Ana{RETITLE}"));
    p["interviews"][0]["title"] = json!(format!("Kick-off{RETITLE}"));
    p["requirements"][0]["title"] = json!(format!("Refund{RETITLE} in one step"));
    p["requirements"][0]["statement"] = json!(format!("First line\r\nsecond{RETITLE}\n\tindented"));
    p["requirements"][0]["tags"] = json!([format!("quick{RETITLE}"), "quick]0;pwned"]);
    p["requirements"][0]["external_ref"] = json!(format!("JIRA-1{RETITLE}"));
    p["time_entries"][0]["note"] = json!(format!("Prep{RETITLE}"));
    p["change_log"][0]["actor"] = json!(format!("mallory{RETITLE}"));
    p["drafts"] = json!([{
        "id": "01900000-0000-7000-8000-00000000d0af",
        "form": "requirement",
        "payload": serde_json::to_string(&json!({"values": {"title": format!("Half{RETITLE}")}})).unwrap(),
        "updated_at": "2026-11-20T10:00:00.000000Z",
    }]);
    let db = TempDb::new();
    let path = write_backup(&db, "escapes.json", &backup);
    ok(&db.path, &["import", path.to_str().unwrap()]);

    for args in [&["list", "--format", "csv"][..], &["export", "--format", "csv"], &["export", "--format", "json"]] {
        let out = stdout_bytes(&db.path, args);
        assert!(!out.contains(&0x1b) && !out.contains(&0x07), "elicit {args:?} wrote a control character");
        // `export --format json` would write them as `\u001b` and `\u0007`.
        assert!(!String::from_utf8_lossy(&out).contains("\\u001b"), "elicit {args:?} holds an escape");
    }
    // Cleaned the way every other input is: one-line fields flattened and trimmed, line breaks kept in
    // multi-line ones, tags normalised and made unique.
    let show: Value = serde_json::from_str(&ok(&db.path, &["show", "SHOP-1", "--format", "json"])).unwrap();
    assert_eq!(show["title"], "Refund]0;PWNED in one step");
    assert_eq!(show["statement"], "First line\nsecond]0;PWNED\n\tindented");
    assert_eq!(show["tags"], json!(["quick]0;pwned"]));
}

#[test]
fn an_honest_backup_still_restores_exactly() {
    let (demo, _) = demo_backup();
    // History with multi-line text, tabs, tags and a deletion, so the change log holds every kind of value.
    ok(&demo.path, &["edit", "SHOP-3", "--priority", "must", "--statement", "Line one\n\tLine two"]);
    ok(&demo.path, &["edit", "SHOP-5", "--tag", "Quick Win"]);
    ok(&demo.path, &["delete", "SHOP-4"]);
    let first = demo.dir.path().join("first.json");
    ok(&demo.path, &["export", "--format", "json", "-o", first.to_str().unwrap()]);

    // A draft as the requirement form saves it: compact JSON, keys in order, line breaks and tabs typed.
    let mut backup: Value = serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
    let payload = r#"{"requirement":"","values":{"statement":"Two\nlines\n\tand a tab","title":"Refund"}}"#;
    project(&mut backup)["drafts"] = json!([{
        "id": "01900000-0000-7000-8000-00000000d0af",
        "form": "requirement",
        "payload": payload,
        "updated_at": "2026-11-20T10:00:00.000000Z",
    }]);

    let other = TempDb::new();
    let out = ok(&other.path, &["import", first.to_str().unwrap()]);
    assert!(out.contains("restored SHOP (new project): 40 requirements"), "{out}");
    let second = other.dir.path().join("second.json");
    ok(&other.path, &["export", "--format", "json", "-o", second.to_str().unwrap()]);
    assert!(std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(), "export, import, export: identical");

    let with_draft = TempDb::new();
    let path = write_backup(&with_draft, "draft.json", &backup);
    ok(&with_draft.path, &["import", path.to_str().unwrap()]);
    let third = with_draft.dir.path().join("third.json");
    ok(&with_draft.path, &["export", "--format", "json", "-o", third.to_str().unwrap()]);
    let restored: Value = serde_json::from_slice(&std::fs::read(&third).unwrap()).unwrap();
    assert_eq!(restored["projects"][0]["drafts"][0]["payload"], payload, "the draft as it was typed");
    assert_eq!(restored["projects"][0]["drafts"], backup["projects"][0]["drafts"]);
}
