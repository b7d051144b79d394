//! Sign-off, history and bulk changes (issue 14): the store on real SQLite files, and the real binary.

use elicit::domain::*;
use elicit::store::*;
use serde_json::Value;

use crate::common::*;

struct Setup {
    store: Store,
    project: Project,
    ana: StakeholderId,
    sam: StakeholderId,
    reqs: Vec<RequirementId>,
}

fn setup(db: &TempDb) -> Setup {
    let mut store = Store::open(&db.path).unwrap();
    store.set_actor("analyst");
    let mut new = NewProject::new("SO".parse().unwrap(), "Sign-off");
    new.stages = vec![("Buy".into(), String::new()), ("Pay".into(), String::new())];
    let project = store.create_project(new).unwrap();
    let person = |name: &str| StakeholderFields { name: name.into(), department: "Care".into(), ..Default::default() };
    let ana = store.add_stakeholder(project.id, person("Ana Ruiz")).unwrap().id;
    let sam = store.add_stakeholder(project.id, person("Sam Cole")).unwrap().id;
    let reqs = (1..=3)
        .map(|i| {
            let new = NewRequirement { title: format!("Need {i}"), sources: vec![ana], ..Default::default() };
            store.add_requirement(project.id, new).unwrap().id
        })
        .collect();
    Setup { store, project, ana, sam, reqs }
}

fn answer(stakeholder: StakeholderId, verdict: Verdict) -> NewConfirmation {
    NewConfirmation { stakeholder, verdict, note: String::new() }
}

#[test]
fn confirmations_keep_their_history_the_newest_per_stakeholder_counts_and_one_undo_takes_a_batch_back() {
    let db = TempDb::new();
    let Setup { mut store, project, ana, sam, reqs } = setup(&db);
    let first = store.confirm(project.id, &reqs, answer(ana, Verdict::Changed)).unwrap();
    assert_eq!(first.iter().map(|c| c.requirement).collect::<Vec<_>>(), reqs, "in the order named");
    assert!(first.iter().all(|c| c.version == 1 && c.stakeholder_name == "Ana Ruiz"));
    store.confirm(project.id, &reqs[..1], answer(ana, Verdict::Confirmed)).unwrap();
    store
        .confirm(
            project.id,
            &[reqs[0], reqs[0]],
            NewConfirmation { stakeholder: sam, verdict: Verdict::Confirmed, note: "fine\nby me".into() },
        )
        .unwrap();

    assert_eq!(store.requirement_confirmations(reqs[0]).unwrap().len(), 3, "every answer is kept");
    let s = store.sign_off(reqs[0]).unwrap();
    assert_eq!(s.answers.len(), 2, "one per stakeholder, a repeated id answered once");
    assert_eq!(s.answer_of(ana).map(|a| a.verdict), Some(Verdict::Confirmed), "the newest of Ana's counts");
    assert_eq!(s.answer_of(sam).map(|a| a.note.as_str()), Some("fine\nby me"));
    assert!(s.is_confirmed());
    let all = store.sign_offs(project.id).unwrap();
    assert_eq!(all[&reqs[1]].state(), SignOffState::ChangeAsked);

    // Editing after the answers shows it changed since; confirming again settles it.
    store
        .update_requirement(reqs[0], RequirementPatch { priority: Some(Priority::Must), ..Default::default() })
        .unwrap();
    let s = store.sign_off(reqs[0]).unwrap();
    assert!(s.changed_since() && s.needs_confirmation(), "{s:?}");
    assert!(s.label().contains("changed since confirmation"), "{}", s.label());
    store.confirm(project.id, &reqs[..1], answer(ana, Verdict::Confirmed)).unwrap();
    store.confirm(project.id, &reqs[..1], answer(sam, Verdict::Confirmed)).unwrap();
    assert!(store.sign_off(reqs[0]).unwrap().is_confirmed());
    assert_eq!(store.requirement(reqs[0]).unwrap().version, 2, "confirming is no edit of the requirement");

    // One undo per confirm: the last two, then the edit.
    let undone = store.undo(project.id).unwrap();
    assert_eq!(undone.summary, "creation of a confirmation");
    store.undo(project.id).unwrap();
    assert!(store.sign_off(reqs[0]).unwrap().changed_since());
    store.undo(project.id).unwrap();
    assert_eq!(store.requirement(reqs[0]).unwrap().priority, Priority::Should);
    store.undo(project.id).unwrap();
    store.undo(project.id).unwrap();
    let undone = store.undo(project.id).unwrap();
    assert_eq!(undone.summary, "creation of 3 confirmations", "the first batch is one step");
    assert!(store.confirmations(project.id).unwrap().is_empty());
    assert!(store.check_integrity().unwrap().is_empty());
}

#[test]
fn a_refused_confirmation_writes_nothing() {
    let db = TempDb::new();
    let Setup { mut store, project, ana, reqs, .. } = setup(&db);
    store.delete_requirement(reqs[2]).unwrap();
    let err = store.confirm(project.id, &reqs, answer(ana, Verdict::Confirmed)).unwrap_err();
    assert!(err.to_string().contains("SO-3 is deleted"), "{err}");
    let other = store.create_project(NewProject::new("OT".parse().unwrap(), "Other")).unwrap();
    let stranger = store.add_stakeholder(other.id, StakeholderFields { name: "Bo".into(), ..Default::default() });
    let err = store.confirm(project.id, &reqs[..1], answer(stranger.unwrap().id, Verdict::Confirmed)).unwrap_err();
    assert!(err.to_string().contains("no stakeholder"), "{err}");
    assert!(store.confirmations(project.id).unwrap().is_empty(), "not even the first two");
}

#[test]
fn a_bulk_edit_is_one_transaction_and_one_undo() {
    let db = TempDb::new();
    let Setup { mut store, project, reqs, .. } = setup(&db);
    let stages = store.stages(project.id).unwrap();
    let outcome = store
        .add_outcome(
            project.id,
            OutcomeFields {
                statement: "Fewer calls".into(),
                metric: Metric::Fcr,
                baseline: None,
                target: None,
                unit: String::new(),
            },
        )
        .unwrap();
    store
        .update_requirement(reqs[0], RequirementPatch { tags: Some(vec!["old".into()]), ..Default::default() })
        .unwrap();
    let edit = BulkEdit {
        stage: Some(Some(stages[1].id)),
        priority: Some(Priority::Must),
        link_outcomes: vec![outcome.id],
        add_tags: vec!["Quick Win".into()],
        ..Default::default()
    };
    let done = store.bulk_edit(project.id, &reqs[..2], &edit).unwrap();
    assert_eq!(done.changed, reqs[..2]);
    for id in &reqs[..2] {
        let r = store.requirement(*id).unwrap();
        assert_eq!((r.stage, r.priority, r.outcomes.clone()), (Some(stages[1].id), Priority::Must, vec![outcome.id]));
    }
    assert_eq!(store.requirement(reqs[0]).unwrap().tags, ["old", "quick-win"], "other tags are kept");
    let again = store.bulk_edit(project.id, &reqs[..2], &edit).unwrap();
    assert_eq!((again.changed.len(), again.unchanged.len()), (0, 2));

    let remove = BulkEdit { remove_tags: vec!["old".into()], status: Some(Status::Approved), ..Default::default() };
    store.delete_requirement(reqs[2]).unwrap();
    let err = store.bulk_edit(project.id, &reqs, &remove).unwrap_err();
    assert!(err.to_string().contains("SO-3 is deleted"), "{err}");
    assert_eq!(store.requirement(reqs[0]).unwrap().status, Status::Draft, "nothing of a refused edit is saved");
    store.undo(project.id).unwrap(); // the delete

    let undone = store.undo(project.id).unwrap();
    assert!(undone.summary.starts_with("edit of 2 requirements ("), "{}", undone.summary);
    for id in &reqs[..2] {
        let r = store.requirement(*id).unwrap();
        assert_eq!((r.stage, r.priority, r.outcomes.len()), (None, Priority::Should, 0), "one undo took all back");
    }
    assert_eq!(store.requirement(reqs[0]).unwrap().tags, ["old"]);
}

#[test]
fn history_reads_newest_first_with_names_not_ids() {
    let db = TempDb::new();
    let Setup { mut store, project, ana, sam, reqs } = setup(&db);
    let stages = store.stages(project.id).unwrap();
    let patch = RequirementPatch {
        stage: Some(Some(stages[0].id)),
        sources: Some(vec![ana, sam]),
        pain_point: Some(true),
        ..Default::default()
    };
    store.update_requirement(reqs[0], patch).unwrap();
    store
        .confirm(project.id, &reqs[..1], NewConfirmation { note: "yes".into(), ..answer(sam, Verdict::Rejected) })
        .unwrap();
    store.delete_requirement(reqs[0]).unwrap();
    let h = store.requirement_history(reqs[0]).unwrap();
    let rows: Vec<(&str, Option<&str>, Option<&str>)> =
        h.iter().map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref())).collect();
    assert_eq!(
        rows,
        [
            ("deleted", Some("no"), Some("yes")),
            ("confirmation", None, Some("rejected by Sam Cole: yes")),
            ("sources", Some("Ana Ruiz"), Some("Ana Ruiz, Sam Cole")),
            ("pain point", Some("no"), Some("yes")),
            ("stage", None, Some("Buy")),
            ("sources", Some("none"), Some("Ana Ruiz")),
            ("created", None, None),
        ]
    );
    assert!(h.iter().all(|c| c.actor == "analyst"));
    assert!(h.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    store.undo(project.id).unwrap();
    assert_eq!(store.requirement_history(reqs[0]).unwrap()[0].field, "confirmation", "an undone change is gone");
}

#[test]
fn a_backup_carries_confirmations_and_departments() {
    let db = TempDb::new();
    let Setup { mut store, project, ana, reqs, .. } = setup(&db);
    store.set_departments(project.id, &["Billing".into(), " care ".into(), "billing".into()]).unwrap();
    assert_eq!(store.departments(project.id).unwrap(), ["Billing", "care"], "once each, ignoring case");
    store.confirm(project.id, &reqs, answer(ana, Verdict::Confirmed)).unwrap();
    store.confirm(project.id, &reqs[..1], answer(ana, Verdict::Changed)).unwrap();
    store.undo(project.id).unwrap();
    let record = store.project_record(project.id).unwrap();
    assert_eq!(record.confirmations.len(), 4, "undone ones too, as deleted rows");
    assert_eq!(record.departments, ["Billing", "care"]);

    let copy = TempDb::new();
    let mut other = Store::open(&copy.path).unwrap();
    other.restore_projects(std::slice::from_ref(&record)).unwrap();
    assert_eq!(other.project_record(project.id).unwrap(), record);
    assert!(other.sign_off(reqs[0]).unwrap().is_confirmed());
    let twice = other.restore_projects(std::slice::from_ref(&record)).unwrap();
    assert_eq!(twice[0].added, 0, "restoring again adds nothing");

    // A backup without either field (an older elicit's) still reads.
    let mut json = serde_json::to_value(&record).unwrap();
    let map = json.as_object_mut().unwrap();
    map.remove("confirmations");
    map.remove("departments");
    let old: ProjectRecord = serde_json::from_value(json).unwrap();
    assert!(old.confirmations.is_empty() && old.departments.is_empty());
}

#[test]
fn departments_undo_as_one_step() {
    let db = TempDb::new();
    let Setup { mut store, project, .. } = setup(&db);
    assert!(store.set_departments(project.id, &["Billing".into()]).unwrap());
    assert!(!store.set_departments(project.id, &["Billing".into()]).unwrap(), "the same list changes nothing");
    store.set_departments(project.id, &["Billing".into(), "Legal".into()]).unwrap();
    store.undo(project.id).unwrap();
    assert_eq!(store.departments(project.id).unwrap(), ["Billing"]);
    let err = store.set_departments(project.id, &["x".repeat(201)]).unwrap_err();
    assert!(err.to_string().contains("department"), "{err}");
}

/// A file of schema v4 (the one before sign-off) opens in this build: upgraded, its data kept and a v4 copy
/// made, and the new tables work at once.
#[test]
fn a_v4_database_is_upgraded_to_sign_off() {
    let db = TempDb::new();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        for sql in [
            include_str!("../assets/migrations/0001_init.sql"),
            include_str!("../assets/migrations/0002_external_ref.sql"),
            include_str!("../assets/migrations/0003_time_report_index.sql"),
            include_str!("../assets/migrations/0004_settings.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute_batch(
            "INSERT INTO project (id, key, name, created_at, updated_at) VALUES
                ('0197a1b2-0000-7000-8000-000000000001', 'OLD', 'Old file', '2026-06-01T09:00:00.000000Z',
                 '2026-06-01T09:00:00.000000Z');
             INSERT INTO stakeholder (id, project_id, name, department, created_at, updated_at) VALUES
                ('0197a1b2-0000-7000-8000-000000000031', '0197a1b2-0000-7000-8000-000000000001', 'Ana', 'Care',
                 '2026-06-01T09:00:00.000000Z', '2026-06-01T09:00:00.000000Z');
             INSERT INTO requirement (id, project_id, seq, title, kind, priority, status, version, created_at,
                                      updated_at) VALUES
                ('0197a1b2-0000-7000-8000-000000000051', '0197a1b2-0000-7000-8000-000000000001', 1, 'Old need',
                 'functional', 'must', 'draft', 3, '2026-06-01T09:00:00.000000Z', '2026-06-01T09:00:00.000000Z');
             UPDATE project SET next_seq = 2;",
        )
        .unwrap();
    }
    let mut store = Store::open(&db.path).unwrap();
    let version: i64 = store.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert!(std::path::PathBuf::from(format!("{}.bak-v4", db.path.display())).exists());
    let p = store.resolve_project(Some("OLD")).unwrap();
    let r = store.find_requirement(&p, "OLD-1").unwrap();
    assert!(store.sign_off(r.id).unwrap().needs_confirmation(), "an old requirement starts unconfirmed");
    let ana = store.find_stakeholder(p.id, "ana").unwrap();
    store.confirm(p.id, &[r.id], answer(ana.id, Verdict::Confirmed)).unwrap();
    assert_eq!(store.sign_off(r.id).unwrap().answers[0].version, 3);
    store.set_departments(p.id, &["Care".into()]).unwrap();
    assert!(store.departments(p.id).unwrap() == ["Care"] && store.check_integrity().unwrap().is_empty());
}

fn demo() -> TempDb {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    db
}

fn list_ids(db: &TempDb, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--format", "json"];
    all.extend_from_slice(args);
    let v: Value = serde_json::from_str(&ok(&db.path, &all)).unwrap();
    v.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn cli_confirms_a_whole_read_back_and_lists_by_confirmation() {
    let db = demo();
    let captured = list_ids(&db, &["--interview", "Contact centre"]);
    assert!(captured.len() > 3);
    let said = ok(&db.path, &["confirm", "--interview", "contact centre", "--by", "hann"]);
    assert!(said.starts_with("confirmed by Hannah Okafor: "), "{said}");
    assert_eq!(list_ids(&db, &["--confirmed"]), captured);
    let unconfirmed = list_ids(&db, &["--unconfirmed"]);
    assert!(unconfirmed.iter().all(|id| !captured.contains(id)) && !unconfirmed.is_empty());

    let people: Value = serde_json::from_str(&ok(&db.path, &["stakeholder", "list", "--format", "json"])).unwrap();
    let hannah = people.as_array().unwrap().iter().find(|p| p["name"] == "Hannah Okafor").unwrap();
    assert_eq!((hannah["requirements"].as_u64(), hannah["unconfirmed"].as_u64()), (Some(6), Some(1)));

    // The done-when of issue 14: the unconfirmed must-haves of one department.
    let care = list_ids(&db, &["--unconfirmed", "--priority", "must", "--department", "customer SUPPORT"]);
    assert_eq!(care, ["SHOP-19"], "the one must-have of Customer support not confirmed in the listening session");
    let bad = elicit(&db.path, &["list", "--department", "Nope"]);
    assert!(
        bad.code == 1 && bad.stderr.contains("unknown department \"Nope\"; departments: Customer support"),
        "{}",
        bad.stderr
    );

    let first = captured[0].as_str();
    ok(&db.path, &["confirm", first, "--by", "Declan", "--changed", "--note", "Needs the <order> number"]);
    let shown: Value = serde_json::from_str(&ok(&db.path, &["show", first, "--format", "json"])).unwrap();
    let c = &shown["confirmation"];
    assert_eq!((c["state"].as_str(), c["confirmed"].as_bool()), (Some("change-asked"), Some(false)));
    assert_eq!(c["answers"].as_array().unwrap().len(), 2);
    assert!(list_ids(&db, &["--unconfirmed"]).contains(&first.to_owned()));

    ok(&db.path, &["edit", &captured[1], "--priority", "wont"]);
    let table = ok(&db.path, &["list", "--interview", "contact centre"]);
    let line = table.lines().find(|l| l.starts_with(&format!("{} ", captured[1]))).unwrap();
    assert!(line.contains("confirmed, changed since"), "{table}");
    let card = ok(&db.path, &["show", &captured[1]]);
    assert!(card.contains("confirmation  confirmed by Hannah Okafor (changed since confirmation)"), "{card}");

    let bad = elicit(&db.path, &["confirm", first, "--by", "Nobody"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("unknown stakeholder \"Nobody\""), "{}", bad.stderr);
    let both = elicit(&db.path, &["confirm", first, "--by", "Hannah", "--changed", "--rejected"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
    ok(&db.path, &["undo"]);
    ok(&db.path, &["undo"]);
    ok(&db.path, &["undo"]);
    assert!(list_ids(&db, &["--confirmed"]).is_empty(), "one undo per confirm command");
}

#[test]
fn cli_history_is_newest_first_and_readable() {
    let db = demo();
    ok(&db.path, &["edit", "SHOP-3", "--priority", "must", "--stage", "Buy"]);
    ok(&db.path, &["confirm", "SHOP-3", "--by", "Sofia", "--note", "Yes, 10%"]);
    let out = elicit_cmd(&db.path).env("ELICIT_ACTOR", "Kim").args(["history", "SHOP-3"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("SHOP-3  "), "{text}");
    assert!(lines[1].starts_with("WHEN (UTC)") && lines[1].contains("CHANGE"), "{text}");
    assert!(lines[2].contains("confirmation") && lines[2].contains("confirmed by Sofia Lindqvist: Yes, 10%"), "{text}");
    assert!(text.contains("should -> must"), "{text}");
    assert!(text.contains("Discover -> Buy"), "stage names, not ids: {text}");
    assert!(!text.contains("[\"") && !text.contains("-7000-"), "no raw JSON or ids: {text}");
    assert!(lines.last().unwrap().contains("created"), "{text}");

    let json: Value = serde_json::from_str(&ok(&db.path, &["history", "SHOP-3", "--format", "json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows[0]["field"], "confirmation");
    let priority = rows.iter().find(|r| r["field"] == "priority").unwrap();
    assert_eq!((priority["old"].as_str(), priority["new"].as_str()), (Some("should"), Some("must")));
}

#[test]
fn cli_set_changes_many_requirements_as_one_undo() {
    let db = demo();
    let said = ok(
        &db.path,
        &["set", "SHOP-1", "2", "SHOP-3", "--priority", "could", "--tag", "Review me", "--status", "proposed"],
    );
    assert!(said.starts_with("updated 3 requirements: SHOP-1, SHOP-2, SHOP-3"), "{said}");
    let tagged = list_ids(&db, &["--tag", "review-me", "--priority", "could"]);
    assert_eq!(tagged, ["SHOP-1", "SHOP-2", "SHOP-3"]);
    let undone = ok(&db.path, &["undo"]);
    assert!(undone.contains("edit of 3 requirements"), "{undone}");
    assert!(list_ids(&db, &["--tag", "review-me"]).is_empty());

    let none = elicit(&db.path, &["set", "SHOP-1"]);
    assert_eq!(none.code, 1);
    assert!(none.stderr.contains("nothing to change"), "{}", none.stderr);
    let missing = elicit(&db.path, &["set", "SHOP-1", "SHOP-999", "--priority", "must"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("SHOP-999"), "{}", missing.stderr);
    let shown: Value = serde_json::from_str(&ok(&db.path, &["show", "SHOP-1", "--format", "json"])).unwrap();
    assert_ne!(shown["priority"], "must", "a refused set changes nothing");
}

#[test]
fn cli_departments_are_listed_added_and_removed() {
    let db = demo();
    let said = ok(&db.path, &["department", "add", "Billing", "legal"]);
    assert_eq!(said.trim(), "departments expected: Billing, legal");
    let listing = ok(&db.path, &["department", "list"]);
    let billing = listing.lines().find(|l| l.starts_with("Billing")).unwrap();
    assert_eq!(billing.split_whitespace().collect::<Vec<_>>(), ["Billing", "yes", "0", "0", "0"]);
    let legal = listing.lines().find(|l| l.starts_with("Legal")).unwrap();
    assert!(legal.contains("yes"), "an expected department met already keeps its spelling: {listing}");
    let bad = elicit(&db.path, &["department", "remove", "Nope"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("not an expected department"), "{}", bad.stderr);
    assert_eq!(ok(&db.path, &["department", "remove", "BILLING"]).trim(), "departments expected: legal");
}

/// Issue 14 §4: ten to eleven and half past ten to half past eleven count 1.5 h, and both are flagged.
#[test]
fn cli_overlapping_time_is_flagged_and_counted_once() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "TIM", "--name", "Time"]);
    ok(&db.path, &["time", "log", "requirements", "1h", "--at", "2026-11-16 11:00"]);
    ok(&db.path, &["time", "log", "requirements", "1h", "--at", "2026-11-16 11:30"]);
    ok(&db.path, &["time", "log", "design", "30m", "--at", "2026-11-16 13:00"]);
    let report: Value = serde_json::from_str(&ok(&db.path, &["time", "report", "--format", "json"])).unwrap();
    assert_eq!(report["requirements_hours"], 1.5);
    assert_eq!(report["total_hours"], 2.0);
    assert_eq!(report["share"], 0.75);
    assert_eq!(report["overlapping_entries"], 2);
    let table = ok(&db.path, &["time", "report"]);
    assert!(table.contains("requirements share: 75%"), "{table}");
    assert!(table.contains("2 entries overlap another"), "{table}");

    let list = ok(&db.path, &["time", "list"]);
    let marked: Vec<&str> = list.lines().filter(|l| l.contains(" * ")).collect();
    assert_eq!(marked.len(), 2, "{list}");
    assert!(marked.iter().all(|l| l.contains("requirements")), "{list}");
    assert!(list.contains("* 2 entries overlap another"), "{list}");
    let json: Value = serde_json::from_str(&ok(&db.path, &["time", "list", "--format", "json"])).unwrap();
    let flags: Vec<bool> = json.as_array().unwrap().iter().map(|e| e["overlaps"].as_bool().unwrap()).collect();
    assert_eq!(flags, [true, true, false]);
}

fn report(db: &TempDb, format: &str) -> String {
    let path = db.dir.path().join(format!("report.{format}"));
    ok(&db.path, &["export", "--format", format, "-o", path.to_str().unwrap()]);
    std::fs::read_to_string(path).unwrap()
}

/// The part of `page` from `start` up to the next `end`.
fn section<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).unwrap_or_else(|| panic!("no {start:?} in the report"));
    let rest = &page[from..];
    &rest[..rest[start.len()..].find(end).map_or(rest.len(), |i| i + start.len())]
}

/// Issue 14 §5: the interviews, each stakeholder's sign-off and each card's, in HTML and Markdown; empty
/// fields left out of the cards; no raw timestamps in the new parts.
#[test]
fn the_report_shows_interviews_and_sign_off_and_leaves_empty_fields_out() {
    let db = demo();
    ok(&db.path, &["confirm", "--interview", "Contact centre", "--by", "Hannah"]);
    ok(&db.path, &["confirm", "SHOP-1", "--by", "Sofia", "--changed"]);
    ok(&db.path, &["department", "add", "Billing"]);
    let interviews: Value = serde_json::from_str(&ok(&db.path, &["interview", "list", "--format", "json"])).unwrap();
    let raw_time = |text: &str| text.contains(":00.") || text.contains("T0") || text.contains("T1");

    let html = report(&db, "html");
    let held = section(&html, "<section id=\"interviews\">", "</section>");
    for i in interviews.as_array().unwrap() {
        let title = i["title"].as_str().unwrap();
        assert!(held.contains(title), "{title} is in the Interviews section");
    }
    let contact = section(held, "Contact centre listening session", "</tr>");
    assert!(contact.contains("Wednesday 4 November 2026, 14:00–15:15 UTC") && contact.contains("75 min"), "{contact}");
    assert!(contact.contains("Hannah Okafor, Declan Moyles"), "{contact}");
    assert!(
        contact.contains("<td class=\"num\">10</td><td class=\"num\">10</td><td class=\"num\">0</td>"),
        "{contact}"
    );
    assert!(held.contains("Listened to 12 live calls."), "notes are shown");
    assert!(!raw_time(held), "no raw timestamps: {held}");

    let people = section(&html, "<section id=\"stakeholders\">", "</section>");
    let hannah = section(people, "<td>Hannah Okafor</td>", "</tr>");
    assert!(hannah.contains("<td>5 confirmed, 1 awaiting</td>"), "one of hers came from another interview: {hannah}");
    let sofia = section(people, "<td>Sofia Lindqvist</td>", "</tr>");
    assert!(sofia.contains("1 change asked, 4 awaiting"), "{sofia}");
    assert!(people.contains("Billing <span class=\"muted small\">(expected)</span>"), "{people}");
    assert!(html.contains("Department &quot;Billing&quot; was never interviewed"), "an expected department is a gap");

    let card = section(&html, "<article class=\"req\" id=\"SHOP-1\">", "</article>");
    assert!(card.contains("Sign-off: change asked by Sofia Lindqvist"), "{card}");
    let confirmed = section(&html, "<article class=\"req\" id=\"SHOP-27\">", "</article>");
    assert!(confirmed.contains("<span class=\"signed\">Sign-off: ✓ confirmed by Hannah Okafor</span>"), "{confirmed}");
    for empty in ["<dt>Quote</dt>", "<dt>External ref</dt>", "<dt>Stage</dt>", "none yet", ">none<"] {
        assert!(!card.contains(empty), "{empty} is left out of a card without it: {card}");
    }
    assert!(html.contains("<b>Marks</b> pain point"), "a mark that is there is shown");

    let md = report(&db, "md");
    let held = section(&md, "## Interviews", "\n## ");
    assert!(held.contains("| Contact centre listening session (in-person) | Wednesday 4 November 2026, 14:00–15:15 UTC | 75 min | Hannah Okafor, Declan Moyles | 10 | 10 | 0 |"), "{held}");
    assert!(!raw_time(held), "{held}");
    assert!(md.contains("| Hannah Okafor | Customer support manager | Customer support |"), "{md}");
    let card = section(&md, "#### SHOP-1 ", "\n#### ");
    assert!(card.contains("| Sign-off | change asked by Sofia Lindqvist |"), "{card}");
    for empty in ["| Quote |", "| External ref |", "| Marks |", "none yet", "| Stage |"] {
        assert!(!card.contains(empty), "{empty}: {card}");
    }
}

/// Issue 14 §5: the weekly chart draws the band lines behind the bars, each figure on a halo, and says
/// what the lines and colours mean.
#[test]
fn the_weekly_chart_keeps_its_figures_clear_of_the_band_lines_and_has_a_legend() {
    let db = demo();
    let html = report(&db, "html");
    let chart = section(&html, "<svg class=\"chart weekly\"", "</svg>");
    let first_line = chart.find("stroke-dasharray").unwrap();
    let first_bar = chart.find("<rect class=\"fill-").unwrap();
    assert!(first_line < first_bar, "band lines are drawn first, behind the bars and labels");
    assert!(chart.matches("<text class=\"halo\"").count() >= 5, "every week's figure has a halo");
    assert!(html.contains(".weekly .halo { paint-order: stroke;"), "the halo is drawn under the figure");
    let legend = section(chart, "<g class=\"legend\"", "</g>");
    for words in ["target band 25-40%", ">below<", ">inside<", ">above<"] {
        assert!(legend.contains(words), "{words}: {legend}");
    }
}

/// Issue 14 §4: with nothing to cover, the report does not call coverage complete.
#[test]
fn a_report_with_nothing_defined_says_so_instead_of_no_gaps() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "NEW", "--name", "New", "--journey", "none"]);
    ok(&db.path, &["add", "A first need"]);
    let html = report(&db, "html");
    let gaps = section(&html, "<h3>Top coverage gaps</h3>", "</div>");
    for words in ["No journey stages defined", "No outcomes defined", "No departments known"] {
        assert!(gaps.contains(words), "{words}: {gaps}");
    }
    assert!(!gaps.contains("No gaps"), "{gaps}");
    let md = report(&db, "md");
    assert!(md.contains("- No outcomes defined") && !md.contains("- None: every stage"), "{md}");
}
