//! The store on real SQLite files in temporary folders.

use std::collections::HashSet;

use elicit::domain::*;
use elicit::store::*;

use crate::common::*;

fn project(store: &mut Store, key: &str) -> Project {
    store
        .create_project(NewProject {
            key: key.parse().unwrap(),
            name: format!("Project {key}"),
            description: "A test project".into(),
            journey: "retail".into(),
            stages: vec![("Discover".into(), "finds us".into()), ("Buy".into(), "pays".into())],
            planned_hours: Some(100.0),
            target_min: 0.25,
            target_max: 0.4,
        })
        .unwrap()
}

fn file_hash(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn migrates_an_empty_file_to_the_current_schema() {
    let db = TempDb::new();
    let store = Store::open(&db.path).unwrap();
    let version: i64 = store.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = store.connection().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store.connection().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    for table in [
        "project",
        "journey_stage",
        "outcome",
        "stakeholder",
        "interview",
        "requirement",
        "time_entry",
        "change_log",
        "draft",
    ] {
        let n: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "table {table}");
    }
    assert!(store.check_integrity().unwrap().is_empty());
}

#[test]
fn creates_missing_parent_folders() {
    let db = TempDb::new();
    let nested = db.dir.path().join("a/b/c/elicit.db");
    Store::open(&nested).unwrap();
    assert!(nested.exists());
}

#[test]
fn opening_twice_changes_nothing_and_makes_no_backup() {
    let db = TempDb::new();
    {
        let mut store = Store::open(&db.path).unwrap();
        let p = project(&mut store, "CHK");
        store.add_requirement(p.id, NewRequirement { title: "One".into(), ..Default::default() }).unwrap();
    }
    let store = Store::open(&db.path).unwrap();
    let p = store.projects().unwrap().remove(0);
    assert_eq!(store.requirements(&p, &RequirementFilter::default()).unwrap().len(), 1);
    let backups: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".bak-v"))
        .collect();
    assert!(backups.is_empty(), "no migration ran, so no backup is due");
}

#[test]
fn refuses_a_file_that_is_not_sqlite_and_leaves_it_untouched() {
    let db = TempDb::new();
    std::fs::write(&db.path, "name,title\nthis is a CSV file, not a database\n".repeat(100)).unwrap();
    let before = file_hash(&db.path);
    let err = Store::open(&db.path).err().expect("must refuse");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains(&db.path.display().to_string()));
    assert_eq!(file_hash(&db.path), before);
    assert!(!db.dir.path().join("elicit.db-wal").exists());
}

#[test]
fn refuses_another_programs_sqlite_file_untouched() {
    let db = TempDb::new();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');").unwrap();
    }
    let before = file_hash(&db.path);
    let err = Store::open(&db.path).err().expect("must refuse");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert_eq!(file_hash(&db.path), before);
}

#[test]
fn refuses_a_newer_schema_untouched() {
    let db = TempDb::new();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;").unwrap();
    }
    let before = file_hash(&db.path);
    let err = Store::open(&db.path).err().expect("must refuse");
    let msg = err.to_string();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{msg}");
    assert!(msg.contains("upgrade elicit"), "{msg}");
    assert_eq!(file_hash(&db.path), before);
}

#[test]
fn round_trips_every_entity() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    let p = project(&mut store, "CHK");
    // What was given comes back (the project returned is already the one read back from the file).
    assert_eq!((p.key.as_str(), p.name.as_str(), p.description.as_str()), ("CHK", "Project CHK", "A test project"));
    assert_eq!((p.target_min, p.target_max), (0.25, 0.4));
    assert_eq!(p.planned_hours, Some(100.0));
    assert_eq!(p.next_seq, 1);

    let stages = store.stages(p.id).unwrap();
    assert_eq!(stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Discover", "Buy"]);
    let get = store.add_stage(p.id, "Get support", "asks for help").unwrap();
    assert_eq!(get.position, 3);
    assert_eq!(store.find_stage(p.id, "get SUPPORT").unwrap().id, get.id);

    let outcome = store
        .add_outcome(
            p.id,
            OutcomeFields {
                statement: "Billing questions resolved in one contact".into(),
                metric: Metric::Fcr,
                baseline: Some(62.0),
                target: Some(80.0),
                unit: "%".into(),
            },
        )
        .unwrap();
    assert_eq!(store.outcomes(p.id).unwrap(), vec![outcome.clone()]);
    assert_eq!(store.find_outcome(p.id, "billing").unwrap().id, outcome.id);

    let ana = store
        .add_stakeholder(
            p.id,
            StakeholderFields {
                name: "Ana Ruiz".into(),
                role: "Call-centre lead".into(),
                department: "Customer support".into(),
                organisation: "Acme".into(),
                contact: "ana@example.com".into(),
                notes: "Prefers mornings".into(),
            },
        )
        .unwrap();
    assert_eq!(
        [&ana.name, &ana.role, &ana.department, &ana.organisation, &ana.contact, &ana.notes],
        ["Ana Ruiz", "Call-centre lead", "Customer support", "Acme", "ana@example.com", "Prefers mornings"]
    );
    assert_eq!(store.stakeholders(p.id).unwrap(), vec![ana.clone()]);

    let start = store.now();
    let interview = store
        .add_interview(
            p.id,
            NewInterview {
                title: "Support deep dive".into(),
                mode: InterviewMode::Video,
                started_at: start,
                ended_at: None,
                notes: "".into(),
                stakeholders: vec![ana.id],
            },
        )
        .unwrap();
    assert_eq!(store.open_interview(p.id).unwrap().map(|i| i.id), Some(interview.id));
    assert_eq!(store.interview(interview.id).unwrap().stakeholders, vec![ana.id]);

    let req = store
        .add_requirement(
            p.id,
            NewRequirement {
                title: "Resolve billing questions in one call".into(),
                statement: "The agent shall see the full bill.\nAnd its history.".into(),
                kind: Kind::Functional,
                priority: Priority::Must,
                status: Status::Proposed,
                stage: Some(get.id),
                interview: Some(interview.id),
                channel: Some(Channel::CallCentre),
                pain_point: true,
                moment_of_truth: true,
                acceptance: "Given a bill\nWhen asked\nThen answered".into(),
                rationale: "Repeat calls cost money".into(),
                quote: "I hate calling twice".into(),
                external_ref: "JIRA-12".into(),
                outcomes: vec![outcome.id],
                sources: vec![ana.id],
                tags: vec!["Billing".into(), "quick win".into()],
            },
        )
        .unwrap();
    // `add_requirement` returns the row read back, so compare with what was given, field by field.
    let back = store.requirement(req.id).unwrap();
    assert_eq!(back.title, "Resolve billing questions in one call");
    assert_eq!(back.statement, "The agent shall see the full bill.\nAnd its history.");
    assert_eq!((back.kind, back.priority, back.status), (Kind::Functional, Priority::Must, Status::Proposed));
    assert_eq!(
        (back.stage, back.interview, back.channel),
        (Some(get.id), Some(interview.id), Some(Channel::CallCentre))
    );
    assert_eq!((back.pain_point, back.moment_of_truth), (true, true));
    assert_eq!(
        [&back.acceptance, &back.rationale, &back.quote, &back.external_ref],
        ["Given a bill\nWhen asked\nThen answered", "Repeat calls cost money", "I hate calling twice", "JIRA-12"]
    );
    assert_eq!((back.outcomes.as_slice(), back.sources.as_slice()), ([outcome.id].as_slice(), [ana.id].as_slice()));
    assert_eq!(back.seq, 1);
    assert_eq!(back.tags, ["billing", "quick-win"]);
    assert_eq!(back.version, 1);
    let details = store.requirements(&p, &RequirementFilter::default()).unwrap();
    assert_eq!(details.len(), 1);
    assert_eq!(details[0].human_id, "CHK-1");
    assert_eq!(details[0].stage_name.as_deref(), Some("Get support"));
    assert_eq!(details[0].outcome_statements, ["Billing questions resolved in one contact"]);
    assert_eq!(details[0].source_names, ["Ana Ruiz"]);
    assert_eq!(details[0].interview_title.as_deref(), Some("Support deep dive"));
    assert_eq!(store.requirement_details(&p, req.id).unwrap(), details[0]);

    let entry = store
        .add_time_entry(
            p.id,
            NewTimeEntry {
                activity: Activity::Requirements,
                started_at: start,
                ended_at: None,
                interview: Some(interview.id),
                note: "interview".into(),
            },
        )
        .unwrap();
    assert_eq!(store.running_timer(p.id).unwrap(), Some(entry.clone()));
    assert_eq!(store.time_entries(p.id).unwrap(), vec![entry]);

    let history = store.history(Entity::Requirement, &req.id.to_string()).unwrap();
    assert!(history.iter().any(|h| h.field == "tags" && h.new.as_deref() == Some(r#"["billing","quick-win"]"#)));

    let payload = serde_json::json!({"title": "half typed", "statement": "the custo"});
    store.save_draft(p.id, "requirement", &payload).unwrap();
    store.save_draft(p.id, "requirement", &payload).unwrap();
    assert_eq!(store.draft(p.id, "requirement").unwrap().map(|d| d.payload), Some(payload));
    store.discard_draft(p.id, "requirement").unwrap();
    assert_eq!(store.draft(p.id, "requirement").unwrap(), None);

    drop(store);
    let store = Store::open(&db.path).unwrap();
    assert_eq!(store.requirement(req.id).unwrap(), req, "survives reopening");
    assert!(store.check_integrity().unwrap().is_empty());
}

#[test]
fn timestamps_are_stored_as_sortable_rfc3339_utc() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(Clock::Fixed("2026-03-01T09:30:00Z".parse().unwrap()));
    let p = project(&mut store, "CHK");
    let text: String = store
        .connection()
        .query_row("SELECT created_at FROM project WHERE id = ?1", [p.id.to_string()], |r| r.get(0))
        .unwrap();
    assert_eq!(text, "2026-03-01T09:30:00.000000Z");
}

#[test]
fn a_failing_write_rolls_back_everything() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    let p = project(&mut store, "CHK");
    let result: Result<()> =
        store.write(Some(p.id), |_tx| Err(StoreError::Conflict("simulated failure after writing".into())));
    assert!(result.is_err());
    // A requirement linked to an outcome of another project fails after its row and number were written.
    let other = project(&mut store, "OTH");
    let foreign = store
        .add_outcome(
            other.id,
            OutcomeFields { statement: "x".into(), metric: Metric::Nps, baseline: None, target: None, unit: "".into() },
        )
        .unwrap();
    let err = store
        .add_requirement(
            p.id,
            NewRequirement { title: "Linked wrongly".into(), outcomes: vec![foreign.id], ..Default::default() },
        )
        .expect_err("must fail");
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    let p2 = store.project(p.id).unwrap();
    assert_eq!(p2.next_seq, 1, "the number was not consumed");
    assert_eq!(store.requirement_count(p.id).unwrap(), 0);
    let logged: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM change_log WHERE project_id = ?1 AND entity = 'requirement'",
            [p.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 0);
}

#[test]
fn ids_are_never_reused_and_deletes_undo() {
    let mut store = Store::open_in_memory().unwrap();
    let p = project(&mut store, "CHK");
    let a = store.add_requirement(p.id, NewRequirement { title: "A".into(), ..Default::default() }).unwrap();
    let b = store.add_requirement(p.id, NewRequirement { title: "B".into(), ..Default::default() }).unwrap();
    store.delete_requirement(b.id).unwrap();
    assert_eq!(store.requirement_count(p.id).unwrap(), 1);
    let undone = store.undo(p.id).unwrap();
    assert!(undone.summary.contains("deletion"), "{}", undone.summary);
    assert_eq!(store.requirement_count(p.id).unwrap(), 2);
    // Undo the creation of B, then add: the new one is 3, not 2.
    store.undo(p.id).unwrap();
    assert_eq!(store.requirement_count(p.id).unwrap(), 1);
    let c = store.add_requirement(p.id, NewRequirement { title: "C".into(), ..Default::default() }).unwrap();
    assert_eq!((a.seq, b.seq, c.seq), (1, 2, 3));
    let project = store.project(p.id).unwrap();
    assert_eq!(store.find_requirement(&project, "chk-2").unwrap().id, b.id, "deleted ones are still found by id");
}

#[test]
fn undo_reverts_a_whole_edit_including_links() {
    let mut store = Store::open_in_memory().unwrap();
    let p = project(&mut store, "CHK");
    let buy = store.find_stage(p.id, "buy").unwrap();
    let r = store
        .add_requirement(p.id, NewRequirement { title: "Before".into(), tags: vec!["x".into()], ..Default::default() })
        .unwrap();
    let edited = store
        .update_requirement(
            r.id,
            RequirementPatch {
                title: Some("After".into()),
                priority: Some(Priority::Must),
                stage: Some(Some(buy.id)),
                tags: Some(vec!["y".into(), "z".into()]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((edited.title.as_str(), edited.version, edited.stage), ("After", 2, Some(buy.id)));
    store.undo(p.id).unwrap();
    let back = store.requirement(r.id).unwrap();
    assert_eq!(back.title, "Before");
    assert_eq!(back.priority, Priority::Should);
    assert_eq!(back.stage, None);
    assert_eq!(back.tags, ["x"]);
    // A patch that changes nothing writes nothing.
    let same = store
        .update_requirement(r.id, RequirementPatch { title: Some("Before".into()), ..Default::default() })
        .unwrap();
    assert_eq!(same.version, back.version);
}

#[test]
fn deleting_a_stage_moves_its_requirements_and_undo_brings_them_back() {
    let mut store = Store::open_in_memory().unwrap();
    let p = project(&mut store, "CHK");
    let discover = store.find_stage(p.id, "Discover").unwrap();
    let buy = store.find_stage(p.id, "Buy").unwrap();
    let r = store
        .add_requirement(p.id, NewRequirement { title: "A".into(), stage: Some(buy.id), ..Default::default() })
        .unwrap();
    assert_eq!(store.delete_stage(buy.id, Some(discover.id)).unwrap(), 1);
    assert_eq!(store.requirement(r.id).unwrap().stage, Some(discover.id));
    assert_eq!(store.stages(p.id).unwrap().len(), 1);
    store.undo(p.id).unwrap();
    assert_eq!(store.requirement(r.id).unwrap().stage, Some(buy.id));
    assert_eq!(store.stages(p.id).unwrap().len(), 2);
}

#[test]
fn stages_reorder_and_refuse_duplicate_names() {
    let mut store = Store::open_in_memory().unwrap();
    let p = project(&mut store, "CHK");
    let buy = store.find_stage(p.id, "Buy").unwrap();
    store.move_stage(buy.id, -1).unwrap();
    let names: Vec<String> = store.stages(p.id).unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["Buy", "Discover"]);
    assert!(matches!(store.add_stage(p.id, "buy", ""), Err(StoreError::Conflict(_))));
    let err = store.find_stage(p.id, "Checkout").err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("Buy") && err.contains("Discover"), "the error lists the stages: {err}");
}

#[test]
fn only_one_timer_runs_per_project() {
    let mut store = Store::open_in_memory().unwrap();
    let p = project(&mut store, "CHK");
    let start = store.now();
    let timer =
        |activity| NewTimeEntry { activity, started_at: start, ended_at: None, interview: None, note: "".into() };
    store.add_time_entry(p.id, timer(Activity::Design)).unwrap();
    assert!(matches!(store.add_time_entry(p.id, timer(Activity::Build)), Err(StoreError::Conflict(_))));
    let other = project(&mut store, "OTH");
    store.add_time_entry(other.id, timer(Activity::Build)).unwrap();
}

#[test]
fn starting_a_timer_stops_the_running_one_at_the_same_moment() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    let p = project(&mut store, "CHK");
    let t0: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    store.set_clock(Clock::Fixed(t0));
    let first = store.start_timer(p.id, Activity::Design, "sketches").unwrap();
    assert_eq!(first.ended_at, None);
    let t1 = t0 + jiff::SignedDuration::from_mins(45);
    store.set_clock(Clock::Fixed(t1));
    let second = store.start_timer(p.id, Activity::Requirements, "").unwrap();
    assert_eq!(store.time_entry(first.id).unwrap().ended_at, Some(t1), "the first stops when the second starts");
    assert_eq!(store.running_timer(p.id).unwrap().map(|t| t.id), Some(second.id));
    let stopped = store.stop_timer(p.id).unwrap().expect("a timer was running");
    assert_eq!((stopped.id, stopped.ended_at), (second.id, Some(t1)));
    assert_eq!(store.stop_timer(p.id).unwrap(), None, "nothing left to stop");
    drop(store);
    let store = Store::open(&db.path).unwrap();
    assert_eq!(store.time_entries(p.id).unwrap().len(), 2, "both entries persisted");
}

#[test]
fn the_current_project_is_the_only_or_the_most_recently_used() {
    let mut store = Store::open_in_memory().unwrap();
    assert!(matches!(store.resolve_project(None), Err(StoreError::NotFound(_))));
    let a = project(&mut store, "AAA");
    assert_eq!(store.resolve_project(None).unwrap().id, a.id);
    let b = project(&mut store, "BBB");
    store.set_clock(Clock::Fixed(store.now() + jiff::SignedDuration::from_secs(60)));
    assert_eq!(store.resolve_project(Some("aaa")).unwrap().id, a.id);
    assert_eq!(store.resolve_project(None).unwrap().id, a.id, "naming a project makes it the most recent");
    assert_eq!(store.resolve_project(Some("BBB")).unwrap().id, b.id);
    let err = store.resolve_project(Some("ZZZ")).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("AAA") && err.contains("BBB"), "{err}");
}

#[test]
fn the_demo_is_complete_valid_and_loaded_once() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    let first = elicit::demo::load(&mut store).unwrap();
    assert!(!first.already_existed);
    let again = elicit::demo::load(&mut store).unwrap();
    assert!(again.already_existed);
    let p = first.project;
    let reqs = store.requirements(&p, &RequirementFilter::default()).unwrap();
    assert_eq!(reqs.len(), 40);
    assert!(store.stages(p.id).unwrap().len() >= 6);
    let outcomes = store.outcomes(p.id).unwrap();
    assert!(outcomes.len() >= 5);
    assert!(outcomes.iter().all(|o| o.baseline.is_some() && o.target.is_some()));
    let people = store.stakeholders(p.id).unwrap();
    assert!(people.len() >= 8);
    let departments: HashSet<&str> = people.iter().map(|s| s.department.as_str()).collect();
    assert!(departments.len() >= 5, "{departments:?}");
    assert!(store.interviews(p.id).unwrap().len() >= 4);
    let kinds: HashSet<Kind> = reqs.iter().map(|r| r.requirement.kind).collect();
    let priorities: HashSet<Priority> = reqs.iter().map(|r| r.requirement.priority).collect();
    let statuses: HashSet<Status> = reqs.iter().map(|r| r.requirement.status).collect();
    assert!(kinds.len() >= 4 && priorities.len() == 4 && statuses.len() >= 4);
    assert!(reqs.iter().any(|r| r.requirement.pain_point) && reqs.iter().any(|r| r.requirement.moment_of_truth));
    assert!(reqs.iter().filter(|r| r.requirement.acceptance.is_empty()).count() >= 3, "some are deliberately weak");

    // Six weeks of time, about 30% of it on requirements.
    let entries = store.time_entries(p.id).unwrap();
    let hours = |filter: &dyn Fn(&TimeEntry) -> bool| -> f64 {
        entries
            .iter()
            .filter(|e| filter(e))
            .map(|e| e.ended_at.unwrap().duration_since(e.started_at).as_secs_f64() / 3600.0)
            .sum()
    };
    let total = hours(&|_| true);
    let share = hours(&|e| e.activity == Activity::Requirements) / total;
    assert!((0.27..=0.34).contains(&share), "requirements share {share}");
    let first_day = entries.iter().map(|e| e.started_at).min().unwrap();
    assert!(store.now().duration_since(first_day).as_hours() >= 24 * 38, "spans about six weeks");
    assert!(store.check_integrity().unwrap().is_empty());
}

#[test]
fn two_processes_adding_at_once_get_distinct_ids() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "CHK", "--name", "Concurrency"]);
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let path = db.path.clone();
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for i in 0..200 {
                    let run = elicit(&path, &["add", &format!("worker {w} requirement {i}")]);
                    assert_eq!(run.code, 0, "{}", run.stderr);
                    ids.push(run.stdout.trim().to_owned());
                }
                ids
            })
        })
        .collect();
    let ids: Vec<String> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 400);
    assert_eq!(distinct.len(), 400);
    let store = Store::open(&db.path).unwrap();
    let p = store.projects().unwrap().remove(0);
    assert_eq!(store.requirement_count(p.id).unwrap(), 400);
    assert_eq!(store.project(p.id).unwrap().next_seq, 401);
    assert!(store.check_integrity().unwrap().is_empty());
}

#[test]
fn links_load_the_same_for_a_small_and_a_dominant_project_and_skip_deleted_outcomes() {
    // A small project's links are joined to their owners; a project holding most of the file's
    // requirements reads whole link tables. Both must give the same, live-only, ordered links.
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    let mut check = |key: &str, n: usize| {
        let p = project(&mut store, key);
        let outcome = |s: &str| OutcomeFields {
            statement: s.into(),
            metric: Metric::Nps,
            baseline: None,
            target: None,
            unit: String::new(),
        };
        let kept = store.add_outcome(p.id, outcome("Kept outcome")).unwrap();
        let gone = store.add_outcome(p.id, outcome("Deleted outcome")).unwrap();
        let ana = store.add_stakeholder(p.id, StakeholderFields { name: "Ana".into(), ..Default::default() }).unwrap();
        for i in 0..n {
            let new = NewRequirement {
                title: format!("{key} requirement {i}"),
                outcomes: vec![gone.id, kept.id],
                sources: vec![ana.id],
                tags: vec!["zeta".into(), "alpha".into()],
                ..Default::default()
            };
            store.add_requirement(p.id, new).unwrap();
        }
        store.delete_outcome(gone.id).unwrap();
        let loaded = store.requirements(&p, &RequirementFilter::default()).unwrap();
        assert_eq!(loaded.len(), n);
        for d in &loaded {
            assert_eq!(d.requirement.outcomes, vec![kept.id], "{key}: the deleted outcome is dropped");
            assert_eq!(d.outcome_statements, ["Kept outcome"]);
            assert_eq!(d.source_names, ["Ana"]);
            assert_eq!(d.requirement.tags, ["zeta", "alpha"], "{key}: tags keep their order");
        }
    };
    check("BIG", 5);
    check("SML", 1);
}

/// A project with one of everything a lookup finds and one action to undo, on a real file.
fn populated(db: &TempDb) -> (Store, Project, StakeholderId, OutcomeId, StageId) {
    let mut store = Store::open(&db.path).unwrap();
    let p = project(&mut store, "LCK");
    let person = store.add_stakeholder(p.id, StakeholderFields { name: "Ana".into(), ..Default::default() }).unwrap();
    let fields = OutcomeFields {
        statement: "Refunds in one contact".into(),
        metric: Metric::Fcr,
        baseline: None,
        target: None,
        unit: String::new(),
    };
    let outcome = store.add_outcome(p.id, fields).unwrap();
    let stage = store.stages(p.id).unwrap()[0].id;
    store.add_requirement(p.id, NewRequirement { title: "Track a refund".into(), ..Default::default() }).unwrap();
    (store, p, person.id, outcome.id, stage)
}

/// Another writer holding the file is "busy" to undo, not "nothing to undo" and not a conflict: the user
/// should try again, not believe their history is gone. (A reader of a WAL file is never blocked by a writer,
/// so lookups meet "busy" only where they write; the damaged-file test covers their reads.)
#[test]
fn undo_on_a_file_another_writer_holds_says_busy() {
    let db = TempDb::new();
    let (mut store, p, ..) = populated(&db);
    store.set_busy_timeout(std::time::Duration::from_millis(50)).unwrap();
    let other = rusqlite::Connection::open(&db.path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let undo = store.undo(p.id);
    assert!(matches!(undo, Err(StoreError::Busy)), "{undo:?}");
    other.execute_batch("ROLLBACK").unwrap();
    assert!(store.undo(p.id).is_ok(), "once the lock is gone the action is undone");
}

/// A file whose pages are broken is "damaged" to a lookup and to undo, never "not found" or "nothing to
/// undo", which would hide the damage until the daily copies have rotated the good data away.
#[test]
fn lookups_and_undo_on_a_damaged_file_say_damaged() {
    let db = TempDb::new();
    let (store, p, person, outcome, stage) = populated(&db);
    let roots: Vec<i64> = ["stakeholder", "outcome", "journey_stage", "change_log"]
        .iter()
        .map(|t| {
            let sql = "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = ?1";
            store.connection().query_row(sql, [t], |r| r.get(0)).unwrap()
        })
        .collect();
    drop(store);
    assert!(!db.path.with_extension("db-wal").exists(), "closing wrote everything into the file");
    let mut bytes = std::fs::read(&db.path).unwrap();
    let page = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    for root in roots {
        let at = (root as usize - 1) * page;
        bytes[at..at + page].fill(0xA5);
    }
    std::fs::write(&db.path, &bytes).unwrap();
    let mut store = Store::open(&db.path).unwrap();

    for found in [
        store.stakeholder(person).map(drop),
        store.outcome(outcome).map(drop),
        store.stage(stage).map(drop),
        store.undo(p.id).map(drop),
    ] {
        assert!(matches!(found, Err(StoreError::Damaged(_))), "{found:?}");
    }
}

/// A schema-v1 file as elicit 0.1 left it after a first interview: every table holds realistic rows, with
/// a soft-deleted requirement, ordered links, a change log undo can replay, and a draft.
const V1_ROWS: &str = r#"
INSERT INTO project VALUES ('0197a1b2-0000-7000-8000-000000000001', 'SHOP', 'Northwind checkout',
    'Rework of online checkout and returns', 'retail', 120.0, 0.25, 0.40, 3,
    '2025-06-02T09:00:00.000000Z', '2025-06-02T09:00:00.000000Z', '2025-06-03T11:05:00.000000Z', NULL);
INSERT INTO journey_stage VALUES
    ('0197a1b2-0000-7000-8000-000000000011', '0197a1b2-0000-7000-8000-000000000001', 'Buy', 'pays', 1,
     '2025-06-02T09:00:00.000000Z', '2025-06-02T09:00:00.000000Z', NULL),
    ('0197a1b2-0000-7000-8000-000000000012', '0197a1b2-0000-7000-8000-000000000001', 'Get support', '', 2,
     '2025-06-02T09:00:00.000000Z', '2025-06-02T09:00:00.000000Z', NULL);
INSERT INTO outcome VALUES ('0197a1b2-0000-7000-8000-000000000021', '0197a1b2-0000-7000-8000-000000000001',
    'Refund questions resolved in one contact', 'fcr', 62.0, 80.0, '%',
    '2025-06-02T09:10:00.000000Z', '2025-06-02T09:10:00.000000Z', NULL);
INSERT INTO stakeholder VALUES
    ('0197a1b2-0000-7000-8000-000000000031', '0197a1b2-0000-7000-8000-000000000001', 'Ana Ruiz',
     'Call-centre lead', 'Customer support', 'Northwind', 'ana@example.com', 'Prefers mornings',
     '2025-06-02T09:20:00.000000Z', '2025-06-02T09:20:00.000000Z', NULL),
    ('0197a1b2-0000-7000-8000-000000000032', '0197a1b2-0000-7000-8000-000000000001', 'Sam Lee',
     'Store manager', 'Stores', 'Northwind', '', '',
     '2025-06-02T09:21:00.000000Z', '2025-06-02T09:21:00.000000Z', NULL);
INSERT INTO interview VALUES ('0197a1b2-0000-7000-8000-000000000041', '0197a1b2-0000-7000-8000-000000000001',
    'Support deep dive', 'video', '2025-06-03T10:00:00.000000Z', '2025-06-03T11:00:00.000000Z',
    'Refunds by phone take three calls', '2025-06-03T10:00:00.000000Z', '2025-06-03T11:00:00.000000Z', NULL);
INSERT INTO interview_stakeholder VALUES
    ('0197a1b2-0000-7000-8000-000000000041', '0197a1b2-0000-7000-8000-000000000031', 0),
    ('0197a1b2-0000-7000-8000-000000000041', '0197a1b2-0000-7000-8000-000000000032', 1);
INSERT INTO requirement VALUES
    ('0197a1b2-0000-7000-8000-000000000051', '0197a1b2-0000-7000-8000-000000000001', 1, 'Show refund status',
     'The customer sees where the refund stands.
And when the money arrives.', 'functional', 'must', 'approved', '0197a1b2-0000-7000-8000-000000000012',
     '0197a1b2-0000-7000-8000-000000000041', 'call-centre', 1, 0, 'Given a return
When the refund is issued
Then the customer sees the date', 'Customers call to ask', 'I called three times', 2,
     '2025-06-03T10:20:00.000000Z', '2025-06-03T10:40:00.000000Z', NULL),
    ('0197a1b2-0000-7000-8000-000000000052', '0197a1b2-0000-7000-8000-000000000001', 2, 'Gift receipts',
     '', 'business-rule', 'could', 'draft', NULL, NULL, NULL, 0, 0, '', '', '', 2,
     '2025-06-03T10:30:00.000000Z', '2025-06-03T10:50:00.000000Z', '2025-06-03T10:50:00.000000Z');
INSERT INTO requirement_outcome VALUES
    ('0197a1b2-0000-7000-8000-000000000051', '0197a1b2-0000-7000-8000-000000000021', 0);
INSERT INTO requirement_source VALUES
    ('0197a1b2-0000-7000-8000-000000000051', '0197a1b2-0000-7000-8000-000000000032', 0),
    ('0197a1b2-0000-7000-8000-000000000051', '0197a1b2-0000-7000-8000-000000000031', 1);
INSERT INTO requirement_tag VALUES
    ('0197a1b2-0000-7000-8000-000000000051', 'refunds', 0),
    ('0197a1b2-0000-7000-8000-000000000051', 'quick-win', 1);
INSERT INTO time_entry VALUES ('0197a1b2-0000-7000-8000-000000000061', '0197a1b2-0000-7000-8000-000000000001',
    'requirements', '2025-06-03T10:00:00.000000Z', '2025-06-03T11:00:00.000000Z',
    '0197a1b2-0000-7000-8000-000000000041', 'Interview', '2025-06-03T10:00:00.000000Z',
    '2025-06-03T11:00:00.000000Z', NULL);
INSERT INTO change_log (action_id, project_id, entity, entity_id, field, old, new, at, actor) VALUES
    ('0197a1b2-0000-7000-8000-0000000000a1', '0197a1b2-0000-7000-8000-000000000001', 'project',
     '0197a1b2-0000-7000-8000-000000000001', '*created', NULL, NULL, '2025-06-02T09:00:00.000000Z', 'ana'),
    ('0197a1b2-0000-7000-8000-0000000000a2', '0197a1b2-0000-7000-8000-000000000001', 'requirement',
     '0197a1b2-0000-7000-8000-000000000051', '*created', NULL, NULL, '2025-06-03T10:20:00.000000Z', 'ana'),
    ('0197a1b2-0000-7000-8000-0000000000a3', '0197a1b2-0000-7000-8000-000000000001', 'requirement',
     '0197a1b2-0000-7000-8000-000000000051', 'priority', 'should', 'must', '2025-06-03T10:40:00.000000Z', 'ana');
INSERT INTO draft VALUES ('0197a1b2-0000-7000-8000-000000000071', '0197a1b2-0000-7000-8000-000000000001',
    'requirement', '{"title":"Half typed"}', '2025-06-03T11:05:00.000000Z');
"#;

/// An elicit 0.1 user's file opens in this build: upgraded to the current schema with every row kept and
/// still working (lookups, links in order, undo of a v1 change), and the v1 file copied to `<db>.bak-v1`
/// before anything changed.
#[test]
fn a_populated_v1_database_is_upgraded_keeping_its_data_and_a_v1_copy() {
    let db = TempDb::new();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute_batch(include_str!("../assets/migrations/0001_init.sql")).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(V1_ROWS).unwrap();
    }
    let mut store = Store::open(&db.path).unwrap();
    let version: i64 = store.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert!(store.check_integrity().unwrap().is_empty());

    let p = store.resolve_project(Some("SHOP")).unwrap();
    assert_eq!((p.name.as_str(), p.planned_hours, p.next_seq), ("Northwind checkout", Some(120.0), 3));
    let stages = store.stages(p.id).unwrap();
    assert_eq!(stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Buy", "Get support"]);
    let outcome = store.find_outcome(p.id, "refund questions").unwrap();
    assert_eq!((outcome.metric, outcome.baseline, outcome.target), (Metric::Fcr, Some(62.0), Some(80.0)));
    let (ana, sam) = (store.find_stakeholder(p.id, "ana").unwrap(), store.find_stakeholder(p.id, "sam").unwrap());
    assert_eq!(ana.department, "Customer support");
    let interview = store.find_interview(p.id, "support").unwrap();
    assert_eq!(interview.stakeholders, [ana.id, sam.id], "interview stakeholders keep their order");

    let r = store.find_requirement(&p, "SHOP-1").unwrap();
    assert_eq!(r.title, "Show refund status");
    assert_eq!(r.statement, "The customer sees where the refund stands.\nAnd when the money arrives.");
    assert_eq!(r.acceptance, "Given a return\nWhen the refund is issued\nThen the customer sees the date");
    assert_eq!((r.kind, r.priority, r.status), (Kind::Functional, Priority::Must, Status::Approved));
    assert_eq!((r.stage, r.interview, r.channel), (Some(stages[1].id), Some(interview.id), Some(Channel::CallCentre)));
    assert_eq!((r.pain_point, r.moment_of_truth, r.version), (true, false, 2));
    assert_eq!(r.outcomes, [outcome.id]);
    assert_eq!(r.sources, [sam.id, ana.id], "sources keep their order");
    assert_eq!(r.tags, ["refunds", "quick-win"]);
    assert_eq!(r.external_ref, "", "the column v2 added starts empty");
    assert_eq!(r.created_at.to_string(), "2025-06-03T10:20:00Z");
    assert!(store.find_requirement(&p, "SHOP-2").unwrap().deleted_at.is_some(), "the deleted one stays deleted");
    assert_eq!(store.requirement_count(p.id).unwrap(), 1);
    assert_eq!(store.time_entries(p.id).unwrap().len(), 1);
    assert_eq!(
        store.draft(p.id, "requirement").unwrap().map(|d| d.payload),
        Some(serde_json::json!({"title": "Half typed"}))
    );
    assert_eq!(store.history(Entity::Requirement, &r.id.to_string()).unwrap().len(), 2);

    // The v1 change log still drives undo.
    let undone = store.undo(p.id).unwrap();
    assert!(undone.summary.contains("priority"), "{}", undone.summary);
    assert_eq!(store.requirement(r.id).unwrap().priority, Priority::Should);
    assert_eq!(
        store.add_requirement(p.id, NewRequirement { title: "Next".into(), ..Default::default() }).unwrap().seq,
        3
    );
    drop(store);

    // The copy is the v1 file as it was, named as migrate.rs names it.
    let copy = std::path::PathBuf::from(format!("{}.bak-v1", db.path.display()));
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 1);
    let titles: Vec<String> = conn
        .prepare("SELECT title FROM requirement ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|t| t.unwrap())
        .collect();
    assert_eq!(titles, ["Show refund status", "Gift receipts"]);
    let priority: String = conn.query_row("SELECT priority FROM requirement WHERE seq = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(priority, "must", "the copy was made before the undo");
    let has_v2_column: bool = conn
        .query_row("SELECT count(*) > 0 FROM pragma_table_info('requirement') WHERE name = 'external_ref'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!has_v2_column, "the copy is the v1 schema");
    drop(conn);

    // Opening the upgraded file again makes no second copy.
    drop(Store::open(&db.path).unwrap());
    assert!(!std::path::PathBuf::from(format!("{}.bak-v1.2", db.path.display())).exists());
}

/// FNV-1a, 64 bits: a stable fingerprint that notices any edit to a file (line endings normalised, so a
/// checkout that converts them is not an edit).
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .filter(|b| **b != b'\r')
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}

/// A migration that has shipped is in every file made since: editing one gives two files of the same
/// version different schemas. A schema change is a new numbered file, whose fingerprint is added here when
/// it ships.
#[test]
fn shipped_migrations_never_change() {
    const SHIPPED: [(&str, u64); 5] = [
        ("0001_init.sql", 0x90ea_cf88_8318_4bf7),
        ("0002_external_ref.sql", 0xc6db_a4e8_1a6a_03d8),
        ("0003_time_report_index.sql", 0x7b67_d5e5_c75c_0ce2),
        ("0004_settings.sql", 0x5e25_d69d_868a_f6b6),
        ("0005_signoff.sql", 0xedc1_0355_fb83_97a3),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/migrations");
    let mut files: Vec<(String, u64)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fingerprint(&std::fs::read(&p).unwrap())))
        .collect();
    files.sort();
    assert!(files.len() >= SHIPPED.len(), "a shipped migration was removed: {files:?}");
    for ((name, hash), (shipped, expected)) in files.iter().zip(SHIPPED) {
        assert_eq!(name, shipped, "a shipped migration was renamed, or a new one sorts before it");
        assert_eq!(*hash, expected, "{name} has shipped and must not change; put the change in a new migration");
    }
}
