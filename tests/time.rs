//! Time tracking: the store on real SQLite files (edit, delete, undo, a timer surviving a restart) and the
//! real binary's `time` commands with their errors and the report's JSON.

use std::path::Path;

use elicit::domain::*;
use elicit::store::*;
use serde_json::Value;

use crate::common::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn project(store: &mut Store, key: &str) -> Project {
    store.create_project(NewProject::new(key.parse().unwrap(), format!("Project {key}"))).unwrap()
}

fn logged(store: &mut Store, p: &Project, activity: Activity, start: &str, end: &str) -> TimeEntry {
    store
        .add_time_entry(
            p.id,
            NewTimeEntry { activity, started_at: ts(start), ended_at: Some(ts(end)), interview: None, note: "".into() },
        )
        .unwrap()
}

/// Rows in the change log: a failed command must leave it as it was.
fn change_count(db: &Path) -> i64 {
    let store = Store::open(db).unwrap();
    store.connection().query_row("SELECT count(*) FROM change_log", [], |r| r.get(0)).unwrap()
}

// ---------------------------------------------------------------------------------------------------------
// Store
// ---------------------------------------------------------------------------------------------------------

#[test]
fn a_timer_left_running_keeps_running_after_a_restart() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    let p = project(&mut store, "CHK");
    store.set_clock(Clock::Fixed(ts("2026-03-02T09:00:00Z")));
    let started = store.start_timer(p.id, Activity::Requirements, "workshop").unwrap();
    drop(store);
    for _ in 0..2 {
        let store = Store::open(&db.path).unwrap();
        let running = store.running_timer(p.id).unwrap().expect("still running after reopening");
        assert_eq!((running.id, running.started_at, running.ended_at), (started.id, started.started_at, None));
    }
}

#[test]
fn editing_an_entry_is_logged_validated_and_undoable() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    let p = project(&mut store, "CHK");
    store.set_clock(Clock::Fixed(ts("2026-03-05T12:00:00Z")));
    let e = logged(&mut store, &p, Activity::Design, "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z");
    // Move it a day later: the new start is after the old end, which the table's check must survive.
    let patch = TimeEntryPatch {
        activity: Some(Activity::Requirements),
        started_at: Some(ts("2026-03-03T09:00:00Z")),
        ended_at: Some(Some(ts("2026-03-03T11:30:00Z"))),
        note: Some("interview write-up".into()),
    };
    let saved = store.update_time_entry(e.id, patch).unwrap();
    assert_eq!(saved.activity, Activity::Requirements);
    assert_eq!((saved.started_at, saved.ended_at), (ts("2026-03-03T09:00:00Z"), Some(ts("2026-03-03T11:30:00Z"))));
    let fields: Vec<String> =
        store.history(Entity::TimeEntry, &e.id.to_string()).unwrap().into_iter().map(|c| c.field).collect();
    assert!(fields.iter().any(|f| f == "started_at") && fields.iter().any(|f| f == "note"), "{fields:?}");
    // Undo restores every field in one step.
    store.undo(p.id).unwrap();
    let back = store.time_entry(e.id).unwrap();
    assert_eq!(back, e);

    let ends_before_start = TimeEntryPatch { ended_at: Some(Some(ts("2026-03-02T08:00:00Z"))), ..Default::default() };
    let err = store.update_time_entry(e.id, ends_before_start).unwrap_err().to_string();
    assert!(err.contains("cannot end before it starts"), "{err}");
    let future = TimeEntryPatch { ended_at: Some(Some(ts("2026-03-06T08:00:00Z"))), ..Default::default() };
    let err = store.update_time_entry(e.id, future).unwrap_err().to_string();
    assert!(err.contains("future"), "{err}");
    assert_eq!(store.time_entry(e.id).unwrap(), e, "refused edits change nothing");
}

#[test]
fn a_running_entry_stays_the_only_running_one() {
    let mut store = Store::open_in_memory().unwrap();
    let p = project(&mut store, "CHK");
    store.set_clock(Clock::Fixed(ts("2026-03-05T12:00:00Z")));
    let done = logged(&mut store, &p, Activity::Design, "2026-03-05T09:00:00Z", "2026-03-05T10:00:00Z");
    let running = store.start_timer(p.id, Activity::Build, "").unwrap();
    // Reopening a finished entry while another runs is refused.
    let reopen = TimeEntryPatch { ended_at: Some(None), ..Default::default() };
    assert!(matches!(store.update_time_entry(done.id, reopen.clone()), Err(StoreError::Conflict(_))));
    // The running one may be edited and stays running; its start cannot move into the future.
    let earlier = TimeEntryPatch { started_at: Some(ts("2026-03-05T11:00:00Z")), ..Default::default() };
    let saved = store.update_time_entry(running.id, earlier).unwrap();
    assert_eq!((saved.started_at, saved.ended_at), (ts("2026-03-05T11:00:00Z"), None));
    let later = TimeEntryPatch { started_at: Some(ts("2026-03-05T13:00:00Z")), ..Default::default() };
    assert!(store.update_time_entry(running.id, later).is_err());
    // Once it is stopped, the finished one may be reopened.
    store.stop_timer(p.id).unwrap();
    assert_eq!(store.update_time_entry(done.id, reopen).unwrap().ended_at, None);
}

#[test]
fn deleting_an_entry_is_soft_and_undo_restores_it() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    let p = project(&mut store, "CHK");
    store.set_clock(Clock::Fixed(ts("2026-03-05T12:00:00Z")));
    let e = logged(&mut store, &p, Activity::Test, "2026-03-04T09:00:00Z", "2026-03-04T10:00:00Z");
    store.delete_time_entry(e.id).unwrap();
    assert!(store.time_entries(p.id).unwrap().is_empty());
    assert!(store.delete_time_entry(e.id).is_err(), "deleting twice is an error");
    let undone = store.undo(p.id).unwrap();
    assert!(undone.summary.contains("deletion of a time entry"), "{}", undone.summary);
    assert_eq!(store.time_entries(p.id).unwrap(), vec![e]);
}

#[test]
fn entries_are_found_by_a_unique_start_of_their_id() {
    let mut store = Store::open_in_memory().unwrap();
    let p = project(&mut store, "CHK");
    store.set_clock(Clock::Fixed(ts("2026-03-05T12:00:00Z")));
    let a = logged(&mut store, &p, Activity::Test, "2026-03-04T09:00:00Z", "2026-03-04T10:00:00Z");
    let b = logged(&mut store, &p, Activity::Test, "2026-03-04T10:00:00Z", "2026-03-04T11:00:00Z");
    let (ida, idb) = (a.id.to_string().replace('-', ""), b.id.to_string().replace('-', ""));
    let common = ida.chars().zip(idb.chars()).take_while(|(x, y)| x == y).count();
    assert_eq!(store.find_time_entry(p.id, &ida[..common + 1]).unwrap().id, a.id);
    assert_eq!(store.find_time_entry(p.id, &a.id.to_string().to_uppercase()).unwrap().id, a.id, "full id, any case");
    assert!(matches!(store.find_time_entry(p.id, &ida[..common.max(4)]), Err(StoreError::Conflict(_))));
    assert!(store.find_time_entry(p.id, "12").is_err(), "too short");
    assert!(store.find_time_entry(p.id, "'; DROP TABLE time_entry; --").is_err());
    let other = project(&mut store, "OTH");
    assert!(matches!(store.find_time_entry(other.id, &ida), Err(StoreError::NotFound(_))), "other projects' entries");
}

#[test]
fn sql_sums_match_the_analysis_over_loaded_entries() {
    let mut store = Store::open_in_memory().unwrap();
    let p = project(&mut store, "CHK");
    let now = ts("2026-03-05T12:00:00Z");
    store.set_clock(Clock::Fixed(ts("2026-03-05T10:20:00Z")));
    logged(&mut store, &p, Activity::Requirements, "2026-03-02T22:00:00Z", "2026-03-03T01:30:00Z");
    logged(&mut store, &p, Activity::Build, "2026-03-03T09:00:00Z", "2026-03-03T09:00:00Z");
    logged(&mut store, &p, Activity::Build, "2026-03-04T09:00:00.250Z", "2026-03-04T17:00:00Z");
    store.start_timer(p.id, Activity::Requirements, "").unwrap();
    store.set_clock(Clock::Fixed(now));
    let sums = store.activity_hours(p.id, now).unwrap();
    let loaded = elicit::analysis::hours_by_activity(&store.time_entries(p.id).unwrap(), now);
    assert_eq!(sums.len(), loaded.len());
    for ((a, x), (b, y)) in sums.iter().zip(&loaded) {
        assert_eq!(a, b);
        assert!((x - y).abs() < 1e-6, "{a}: {x} vs {y}");
    }
    assert!((sums[0].1 - (3.5 + 100.0 / 60.0)).abs() < 1e-6, "the running timer counts up to now: {sums:?}");
}

// ---------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------

fn init(db: &Path) {
    ok(db, &["init", "--key", "CHK", "--name", "Checkout", "--planned-hours", "100"]);
}

fn json(db: &Path, args: &[&str]) -> Value {
    let out = ok(db, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} printed invalid JSON ({e}):\n{out}"))
}

/// Asserts a user error: exit 1, one `error:` line, nothing written. Returns that line.
fn refused(db: &Path, args: &[&str]) -> String {
    refused_with(db, args, 1)
}

/// Asserts a usage error (a value clap refuses): exit 2, one `error:` line, nothing written.
fn misused(db: &Path, args: &[&str]) -> String {
    refused_with(db, args, 2)
}

fn refused_with(db: &Path, args: &[&str], code: i32) -> String {
    let before = change_count(db);
    let run = elicit(db, args);
    assert_eq!(run.code, code, "{args:?}\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "{args:?}: {}", run.stderr);
    assert!(!run.stderr.to_lowercase().contains("panicked"));
    assert_eq!(change_count(db), before, "{args:?} wrote something");
    errors[0].to_owned()
}

#[test]
fn report_with_no_time_has_no_share_rather_than_a_division_by_zero() {
    let db = TempDb::new();
    init(&db.path);
    let r = json(&db.path, &["time", "report", "--format", "json"]);
    assert_eq!(r["share"], Value::Null);
    assert_eq!(r["verdict"], Value::Null);
    assert_eq!(r["total_hours"], 0.0);
    assert_eq!((r["band_min"].as_f64(), r["band_max"].as_f64()), (Some(0.25), Some(0.4)));
    assert_eq!(r["hours"]["requirements"], 0.0);
    assert_eq!(r["running"], Value::Null);
    let table = ok(&db.path, &["time", "report"]);
    assert!(table.contains("none yet"), "{table}");
}

#[test]
fn log_and_report_give_totals_share_verdict_and_plan() {
    let db = TempDb::new();
    init(&db.path);
    let out = ok(&db.path, &["time", "log", "requirements", "1h30m", "--note", "stakeholder interview"]);
    assert!(out.starts_with("logged 1h30m of requirements"), "{out}");
    ok(&db.path, &["time", "log", "build", "2.5h", "--at", "2026-01-15"]);
    ok(&db.path, &["time", "log", "design", "1h 30m", "--at", "2026-01-14 12:00"]);
    ok(&db.path, &["time", "log", "BUILD", "90m"]);
    let r = json(&db.path, &["time", "report", "--format", "json"]);
    assert_eq!(r["project"], "CHK");
    assert_eq!(r["hours"]["requirements"], 1.5);
    assert_eq!(r["hours"]["build"], 4.0);
    assert_eq!(r["hours"]["design"], 1.5);
    assert_eq!(r["hours"]["deploy"], 0.0);
    assert_eq!(r["total_hours"], 7.0);
    let share = r["share"].as_f64().unwrap();
    assert!((share - 1.5 / 7.0).abs() < 1e-9, "{share}");
    assert_eq!(r["verdict"], "below");
    assert_eq!(r["planned_hours"], 100.0);
    assert!((r["planned_share"].as_f64().unwrap() - 0.015).abs() < 1e-9);
    assert!((r["planned_used"].as_f64().unwrap() - 0.07).abs() < 1e-9);

    let list = json(&db.path, &["time", "list", "--format", "json"]);
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["started_at"], "2026-01-14T10:30:00.000000Z", "oldest first; --at is the end");
    assert_eq!(items[1]["ended_at"], "2026-01-15T17:00:00.000000Z", "a bare date ends at 17:00 UTC");
    let table = ok(&db.path, &["time", "report"]);
    assert!(table.contains("21% (below the target band, 25%–40%)"), "{table}");
    let csv = ok(&db.path, &["time", "report", "--format", "csv"]);
    assert!(csv.starts_with("activity,hours\nrequirements,1.5\n") && csv.ends_with("total,7\n"), "{csv}");
    let csv = ok(&db.path, &["time", "list", "--format", "csv"]);
    assert!(csv.starts_with("id,activity,started_at"), "{csv}");
}

#[test]
fn start_stop_and_a_running_timer_counted_in_the_report() {
    let db = TempDb::new();
    init(&db.path);
    let out = ok(&db.path, &["time", "start", "design", "--note", "wireframes"]);
    assert!(out.starts_with("started design at "), "{out}");
    let out = ok(&db.path, &["time", "start", "requirements"]);
    assert!(
        out.starts_with("stopped design after 0:00\nstarted requirements"),
        "starting stops the running one: {out}"
    );
    // The running timer counts up to now: once any time has passed, it outweighs the stopped 0:00.
    let mut r = serde_json::Value::Null;
    crate::common::eventually("the running timer to count", || {
        r = json(&db.path, &["time", "report", "--format", "json"]);
        r["share"].as_f64().is_some_and(|s| s > 0.5)
    });
    assert_eq!(r["running"]["activity"], "requirements");
    assert!(ok(&db.path, &["time", "report"]).contains("running: requirements since"));
    let out = ok(&db.path, &["time", "stop"]);
    assert!(out.starts_with("stopped requirements after 0:00"), "{out}");
    let list = json(&db.path, &["time", "list", "--format", "json"]);
    assert!(list.as_array().unwrap().iter().all(|e| e["running"] == false && e["ended_at"].is_string()));
    // Nothing running now: a clear error, exit 1, nothing written.
    let e = refused(&db.path, &["time", "stop"]);
    assert!(e.contains("no timer is running"), "{e}");
}

#[test]
fn bad_durations_and_activities_are_one_line_errors_and_write_nothing() {
    let db = TempDb::new();
    init(&db.path);
    for (duration, says) in [
        ("45", "needs a unit"),
        ("0m", "longer than zero"),
        ("-1h", "negative"),
        ("25h", "more than 24h"),
        ("soon", "expected a number"),
        ("1h30", "needs a unit"),
    ] {
        let e = misused(&db.path, &["time", "log", "design", "--", duration]);
        assert!(e.contains(says) && e.contains(duration), "{duration}: {e}");
    }
    let e = misused(&db.path, &["time", "log", "desgin", "1h"]);
    assert!(e.contains("unknown activity \"desgin\""), "{e}");
    for a in Activity::ALL {
        assert!(e.contains(a.as_str()), "the error lists {a}: {e}");
    }
    misused(&db.path, &["time", "start", "lunch"]);
    let e = misused(&db.path, &["time", "log", "design", "1h", "--at", "next tuesday"]);
    assert!(e.contains("2026-11-20 14:30"), "shows how to write a date: {e}");
    for future in ["2999-01-01 10:00", "2999-01-01"] {
        let e = refused(&db.path, &["time", "log", "design", "1h", "--at", future]);
        assert!(e.contains("future"), "{future}: {e}");
    }
    assert_eq!(json(&db.path, &["time", "list", "--format", "json"]), serde_json::json!([]));
}

#[test]
fn edit_and_delete_by_short_id_and_undo() {
    let db = TempDb::new();
    init(&db.path);
    ok(&db.path, &["time", "log", "design", "1h", "--at", "2026-01-14 12:00"]);
    let list = json(&db.path, &["time", "list", "--format", "json"]);
    let id = list[0]["id"].as_str().unwrap().replace('-', "");
    let short = &id[..12];
    let out = ok(&db.path, &["time", "edit", short, "--activity", "requirements", "--duration", "2h"]);
    assert!(out.contains("requirements 2026-01-14 11:00–13:00 UTC (2:00)"), "{out}");
    let e = refused(&db.path, &["time", "edit", short, "--end", "2026-01-14 10:00"]);
    assert!(e.contains("cannot end before it starts"), "{e}");
    let e = misused(&db.path, &["time", "edit", short, "--start", "2026-01-14"]);
    assert!(e.contains("needs a time of day"), "{e}");
    refused(&db.path, &["time", "edit", short]);
    refused(&db.path, &["time", "edit", "ffffffff", "--note", "x"]);
    let out = ok(&db.path, &["time", "delete", short]);
    assert!(out.starts_with("deleted requirements 2:00"), "{out}");
    assert_eq!(json(&db.path, &["time", "list", "--format", "json"]), serde_json::json!([]));
    ok(&db.path, &["undo"]);
    let back = json(&db.path, &["time", "list", "--format", "json"]);
    assert_eq!(back[0]["activity"], "requirements");
    assert_eq!(back[0]["hours"], 2.0);
}

#[test]
fn the_first_minutes_get_the_share_so_far_not_a_verdict() {
    let db = TempDb::new();
    init(&db.path);
    ok(&db.path, &["time", "log", "requirements", "20m"]);
    let r = json(&db.path, &["time", "report", "--format", "json"]);
    assert_eq!(r["share"], 1.0);
    assert_eq!(r["verdict"], Value::Null, "no verdict on 20 minutes: {r}");
    let table = ok(&db.path, &["time", "report"]);
    assert!(
        table.contains("requirements share: 100% so far (only 0.3 h logged; judged against 25%–40% from 1 h)"),
        "{table}"
    );
    ok(&db.path, &["time", "log", "build", "1h"]);
    let r = json(&db.path, &["time", "report", "--format", "json"]);
    assert_eq!(r["verdict"], "inside", "judged once an hour is logged: {r}");
}
