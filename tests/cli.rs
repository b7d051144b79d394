//! The real `elicit` binary driven through its command line: every command, its output formats, and its
//! error paths with their exact exit codes (0 ok, 1 user error, 2 usage error).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::*;

const RETAIL: [&str; 7] = ["Discover", "Browse", "Buy", "Receive", "Use", "Get support", "Return"];
const BANKING: [&str; 7] = ["Explore", "Apply", "Verify Identity", "Activate", "Transact", "Get Help", "Close"];
const TEMPLATES: [&str; 4] = ["retail", "b2b-saas", "banking", "healthcare"];

/// Fields every requirement object in `list --format json` and `show --format json` carries.
const REQUIREMENT_FIELDS: [&str; 18] = [
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
    "interview",
    "tags",
    "acceptance",
    "channel",
    "pain_point",
    "moment_of_truth",
    "created_at",
    "updated_at",
];

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

/// Asserts that a run is a user error: exit code 1, exactly one `error: ` line on stderr, no panic.
/// Returns the error line.
fn assert_user_error(run: &Run, what: &str) -> String {
    assert_eq!(run.code, 1, "{what}: expected exit code 1\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert_no_panic(run, what);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "{what}: expected exactly one `error: ` line, stderr: {}", run.stderr);
    errors[0].to_owned()
}

/// Runs a command that must fail with a user error (exit 1); returns the `error: ` line.
fn user_error(db: &Path, args: &[&str]) -> String {
    let run = elicit(db, args);
    assert_user_error(&run, &format!("{args:?}"))
}

/// Runs a command that must fail with a usage error from clap (exit 2); returns stderr.
fn usage_error(db: &Path, args: &[&str]) -> String {
    let run = elicit(db, args);
    assert_eq!(run.code, 2, "{args:?}: expected exit code 2\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert_no_panic(&run, &format!("{args:?}"));
    assert!(
        run.stderr.contains("error") || run.stderr.contains("Usage"),
        "{args:?}: stderr should explain the usage error: {}",
        run.stderr
    );
    run.stderr
}

fn assert_no_panic(run: &Run, what: &str) {
    let all = format!("{}{}", run.stdout, run.stderr).to_lowercase();
    for bad in ["panicked", "backtrace", "rust_backtrace"] {
        assert!(!all.contains(bad), "{what}: output mentions {bad:?}\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
    }
}

/// Runs a command that must succeed and parses its stdout as JSON.
fn json(db: &Path, args: &[&str]) -> Value {
    let out = ok(db, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} printed invalid JSON ({e}):\n{out}"))
}

/// `list --format json` (plus `extra` arguments) as an array.
fn list(db: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["list", "--format", "json"];
    args.extend_from_slice(extra);
    match json(db, &args) {
        Value::Array(items) => items,
        other => panic!("list --format json is not an array: {other}"),
    }
}

/// The ids of requirements, in order.
fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|r| r["id"].as_str().unwrap_or("?").to_owned()).collect()
}

/// `show ID --format json`.
fn show(db: &Path, id: &str) -> Value {
    json(db, &["show", id, "--format", "json"])
}

/// A JSON array of strings as a vector.
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or_else(|| panic!("not a string: {s}")).to_owned())
        .collect()
}

/// The names of the current project's stages, in journey order.
fn stage_names(db: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = extra.to_vec();
    args.extend_from_slice(&["stage", "list", "--format", "json"]);
    let stages = json(db, &args);
    stages
        .as_array()
        .unwrap_or_else(|| panic!("stage list is not an array: {stages}"))
        .iter()
        .map(|s| s["name"].as_str().unwrap_or("?").to_owned())
        .collect()
}

/// The keys of the projects in the database, in the order `projects` lists them.
fn project_keys(db: &Path) -> Vec<String> {
    let projects = json(db, &["projects", "--format", "json"]);
    projects
        .as_array()
        .unwrap_or_else(|| panic!("projects is not an array: {projects}"))
        .iter()
        .map(|p| p["key"].as_str().unwrap_or("?").to_owned())
        .collect()
}

/// A database with project CHK ("Checkout", retail journey).
fn checkout() -> TempDb {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "CHK", "--name", "Checkout"]);
    db
}

/// Adds a requirement and returns the id it printed.
fn add(db: &Path, args: &[&str]) -> String {
    let mut all = vec!["add"];
    all.extend_from_slice(args);
    ok(db, &all).trim().to_owned()
}

/// The `elicit` binary with no `--db`, a clean environment and `home` as the home directory.
fn bare_cmd(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_elicit"));
    cmd.env_remove("ELICIT_DB").env_remove("XDG_DATA_HOME").env("HOME", home).env("NO_COLOR", "1").current_dir(home);
    cmd
}

fn run(cmd: &mut Command) -> Run {
    cmd.output().unwrap_or_else(|e| panic!("cannot run elicit: {e}")).into()
}

// ---------------------------------------------------------------------------------------------------------
// Help, version, usage errors, getting started
// ---------------------------------------------------------------------------------------------------------

#[test]
fn help_and_version_exit_zero() {
    let db = TempDb::new();
    let help = elicit(&db.path, &["--help"]);
    assert_eq!(help.code, 0, "{}", help.stderr);
    assert!(help.stdout.contains("Usage"), "{}", help.stdout);
    for command in ["init", "demo", "projects", "journeys", "add", "list", "show", "edit", "delete", "undo", "stage"] {
        assert!(help.stdout.contains(command), "--help does not mention {command}:\n{}", help.stdout);
    }
    assert!(help.stdout.contains("Exit codes"), "{}", help.stdout);

    let version = elicit(&db.path, &["--version"]);
    assert_eq!(version.code, 0, "{}", version.stderr);
    assert_eq!(version.stdout.trim(), format!("elicit {}", env!("CARGO_PKG_VERSION")));

    let sub = elicit(&db.path, &["add", "--help"]);
    assert_eq!(sub.code, 0, "{}", sub.stderr);
    assert!(sub.stdout.contains("--moment-of-truth"), "{}", sub.stdout);
    assert!(!db.path.exists(), "help and version must not create the database");
}

#[test]
fn usage_errors_exit_two() {
    let db = TempDb::new();
    let err = usage_error(&db.path, &["bogus"]);
    assert!(err.contains("bogus"), "{err}");
    usage_error(&db.path, &["add"]);
    let err = usage_error(&db.path, &["init", "--name", "Checkout"]);
    assert!(err.contains("--key"), "{err}");
    usage_error(&db.path, &["show"]);
    usage_error(&db.path, &["edit"]);
    usage_error(&db.path, &["delete"]);
    usage_error(&db.path, &["stage"]);
    usage_error(&db.path, &["stage", "rename", "Buy"]);
    usage_error(&db.path, &["list", "--format", "xml"]);
    usage_error(&db.path, &["list", "--status", "finished"]);
    usage_error(&db.path, &["add", "x", "--kind", "wish"]);
    usage_error(&db.path, &["list", "--no-such-flag"]);
    assert!(!db.path.exists(), "a usage error must not create the database");
}

#[test]
fn no_command_prints_getting_started() {
    let db = TempDb::new();
    let run = elicit(&db.path, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("elicit demo"), "{}", run.stdout);
    assert!(run.stdout.contains("elicit init"), "{}", run.stdout);
    assert!(run.stdout.contains(&db.path.display().to_string()), "should name the database: {}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------------------
// init, journeys, projects
// ---------------------------------------------------------------------------------------------------------

#[test]
fn init_uses_the_retail_journey_by_default() {
    let db = TempDb::new();
    let out = ok(&db.path, &["init", "--key", "CHK", "--name", "Checkout"]);
    assert!(out.contains("created project CHK (Checkout)"), "{out}");
    assert!(out.contains("Discover > Browse > Buy > Receive > Use > Get support > Return"), "{out}");
    assert_eq!(stage_names(&db.path, &[]), RETAIL);

    let stages = json(&db.path, &["stage", "list", "--format", "json"]);
    let positions: Vec<i64> = stages.as_array().unwrap().iter().map(|s| s["position"].as_i64().unwrap()).collect();
    assert_eq!(positions, [1, 2, 3, 4, 5, 6, 7]);
    assert!(stages.as_array().unwrap().iter().all(|s| s["requirements"] == 0));

    let projects = json(&db.path, &["projects", "--format", "json"]);
    assert_eq!(projects.as_array().map(Vec::len), Some(1), "{projects}");
    let p = &projects[0];
    assert_eq!(p["key"], "CHK");
    assert_eq!(p["name"], "Checkout");
    assert_eq!(p["requirements"], 0);
    assert_eq!(p["target_min"], 0.25);
    assert_eq!(p["target_max"], 0.4);
}

#[test]
fn init_with_the_banking_journey() {
    let db = TempDb::new();
    let out = ok(&db.path, &["init", "--key", "BANK", "--name", "Everyday banking", "--journey", "banking"]);
    assert!(out.contains("created project BANK"), "{out}");
    assert_eq!(stage_names(&db.path, &[]), BANKING);
}

#[test]
fn init_with_no_journey_has_no_stages() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "NOJ", "--name", "Bare", "--journey", "none"]);
    assert!(stage_names(&db.path, &[]).is_empty());
    let err = user_error(&db.path, &["add", "x", "--stage", "Buy"]);
    assert!(err.contains("Buy"), "{err}");
}

#[test]
fn init_with_an_unknown_journey_lists_the_templates() {
    let db = TempDb::new();
    let err = user_error(&db.path, &["init", "--key", "CHK", "--name", "Checkout", "--journey", "airline"]);
    assert!(err.contains("airline"), "{err}");
    for t in TEMPLATES {
        assert!(err.contains(t), "the error should list {t}: {err}");
    }
    assert!(project_keys(&db.path).is_empty(), "a failed init must not create a project");
}

#[test]
fn init_rejects_malformed_keys() {
    let db = TempDb::new();
    for key in ["chk", "C", "TOOLONGKEY", "CH1", "CH-K", ""] {
        let err = usage_error(&db.path, &["init", "--key", key, "--name", "Checkout"]);
        assert!(err.contains("2 to 8 upper-case letters"), "key {key:?}: {err}");
    }
    // Refused before anything is opened: not even an empty database is left.
    assert!(!db.path.exists());
    // The limits themselves are fine.
    ok(&db.path, &["init", "--key", "AB", "--name", "Two"]);
    ok(&db.path, &["init", "--key", "ABCDEFGH", "--name", "Eight"]);
    assert_eq!(project_keys(&db.path).len(), 2);
}

#[test]
fn init_rejects_a_duplicate_key() {
    let db = checkout();
    let err = user_error(&db.path, &["init", "--key", "CHK", "--name", "Another"]);
    assert!(err.contains("CHK") && err.contains("already exists"), "{err}");
    let projects = json(&db.path, &["projects", "--format", "json"]);
    assert_eq!(projects.as_array().map(Vec::len), Some(1));
    assert_eq!(projects[0]["name"], "Checkout", "the existing project must be untouched");
}

#[test]
fn init_rejects_bad_targets_and_names() {
    let db = TempDb::new();
    let err =
        user_error(&db.path, &["init", "--key", "CHK", "--name", "C", "--target-min", "0.5", "--target-max", "0.4"]);
    assert!(err.contains("0.5") && err.contains("0.4"), "{err}");
    user_error(&db.path, &["init", "--key", "CHK", "--name", "C", "--target-max", "1.5"]);
    user_error(&db.path, &["init", "--key", "CHK", "--name", "   "]);
    user_error(&db.path, &["init", "--key", "CHK", "--name", "C", "--planned-hours", "0"]);
    assert!(project_keys(&db.path).is_empty());
    ok(&db.path, &["init", "--key", "CHK", "--name", "C", "--target-min", "0.1", "--target-max", "0.2"]);
    let projects = json(&db.path, &["projects", "--format", "json"]);
    assert_eq!(projects[0]["target_min"], 0.1);
    assert_eq!(projects[0]["target_max"], 0.2);
}

#[test]
fn journeys_lists_the_four_templates() {
    let db = TempDb::new();
    let out = ok(&db.path, &["journeys"]);
    for t in TEMPLATES {
        assert!(out.lines().any(|l| l.starts_with(t)), "journeys should list {t}:\n{out}");
    }
    assert!(out.contains(&RETAIL.join(" > ")), "{out}");
    assert!(out.contains(&BANKING.join(" > ")), "{out}");
    assert_eq!(out.lines().count(), 8, "two lines per template:\n{out}");
}

#[test]
fn projects_lists_projects_as_table_json_and_csv() {
    let db = TempDb::new();
    ok(&db.path, &["settings", "daily-backups", "on"]);
    let empty = ok(&db.path, &["projects"]);
    assert!(empty.contains("no projects yet"), "{empty}");
    assert_eq!(json(&db.path, &["projects", "--format", "json"]), Value::Array(vec![]));

    ok(&db.path, &["init", "--key", "AAA", "--name", "Alpha"]);
    ok(&db.path, &["init", "--key", "BBB", "--name", "Beta", "--planned-hours", "120"]);
    add(&db.path, &["--project", "AAA", "One"]);
    add(&db.path, &["--project", "AAA", "Two"]);

    let table = ok(&db.path, &["projects"]);
    let header = table.lines().next().unwrap_or_default();
    assert!(header.starts_with("KEY") && header.contains("REQUIREMENTS"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("AAA") && l.contains("Alpha") && l.contains(" 2 ")), "{table}");
    assert!(table.lines().any(|l| l.starts_with("BBB") && l.contains("Beta") && l.contains(" 0 ")), "{table}");

    let projects = json(&db.path, &["projects", "--format", "json"]);
    let items = projects.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let a = items.iter().find(|p| p["key"] == "AAA").expect("AAA listed");
    let b = items.iter().find(|p| p["key"] == "BBB").expect("BBB listed");
    assert_eq!(a["requirements"], 2);
    assert_eq!(b["requirements"], 0);
    assert_eq!(b["planned_hours"], 120.0);
    assert_eq!(a["planned_hours"], Value::Null);

    let csv = ok(&db.path, &["projects", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("KEY,NAME,REQUIREMENTS,TARGET"));
    assert_eq!(lines.count(), 2, "{csv}");
}

#[test]
fn project_flag_picks_a_project_and_the_most_recently_used_is_the_default() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "AAA", "--name", "Alpha"]);
    ok(&db.path, &["init", "--key", "BBB", "--name", "Beta"]);
    // The newest project is the most recently used one.
    assert_eq!(add(&db.path, &["first"]), "BBB-1");
    // Naming a project picks it and makes it the most recently used.
    assert_eq!(add(&db.path, &["--project", "AAA", "second"]), "AAA-1");
    assert_eq!(add(&db.path, &["third"]), "AAA-2");
    assert_eq!(project_keys(&db.path), ["AAA", "BBB"], "projects lists the most recently used first");
    // Keys on the command line are case-insensitive.
    let beta = list(&db.path, &["--project", "bbb"]);
    assert_eq!(ids(&beta), ["BBB-1"]);
    assert_eq!(beta[0]["title"], "first");
    // Reading never writes to the file, so reading BBB leaves AAA the most recently used.
    assert_eq!(ids(&list(&db.path, &[])), ["AAA-1", "AAA-2"], "reading with --project changes nothing");
    assert_eq!(add(&db.path, &["--project", "BBB", "fourth"]), "BBB-2");
    assert_eq!(ids(&list(&db.path, &[])), ["BBB-1", "BBB-2"], "writing with --project marks it as used");
}

#[test]
fn an_unknown_project_names_the_existing_keys() {
    let db = TempDb::new();
    let err = user_error(&db.path, &["list"]);
    assert!(err.contains("no database at"), "{err}");
    assert!(!db.path.exists(), "a command that only reads creates nothing");
    ok(&db.path, &["settings", "daily-backups", "on"]);
    let err = user_error(&db.path, &["list"]);
    assert!(err.contains("no project"), "{err}");
    ok(&db.path, &["init", "--key", "AAA", "--name", "Alpha"]);
    ok(&db.path, &["init", "--key", "BBB", "--name", "Beta"]);
    let err = user_error(&db.path, &["--project", "ZZZ", "list"]);
    assert!(err.contains("ZZZ") && err.contains("AAA") && err.contains("BBB"), "{err}");
    let err = user_error(&db.path, &["--project", "ZZZ", "add", "x"]);
    assert!(err.contains("AAA") && err.contains("BBB"), "{err}");
    assert!(list(&db.path, &["--project", "AAA"]).is_empty() && list(&db.path, &["--project", "BBB"]).is_empty());
}

// ---------------------------------------------------------------------------------------------------------
// add
// ---------------------------------------------------------------------------------------------------------

#[test]
fn add_prints_sequential_ids_and_uses_defaults() {
    let db = checkout();
    let first = ok(&db.path, &["add", "Refund without a receipt"]);
    assert_eq!(first, "CHK-1\n");
    assert_eq!(ok(&db.path, &["add", "Track my parcel"]), "CHK-2\n");

    let items = list(&db.path, &[]);
    assert_eq!(ids(&items), ["CHK-1", "CHK-2"]);
    let r = &items[0];
    for field in REQUIREMENT_FIELDS {
        assert!(r.get(field).is_some(), "missing field {field} in {r}");
    }
    assert_eq!(r["title"], "Refund without a receipt");
    assert_eq!(r["statement"], "");
    assert_eq!(r["kind"], "functional");
    assert_eq!(r["priority"], "should");
    assert_eq!(r["status"], "draft");
    assert_eq!(r["stage"], Value::Null);
    assert_eq!(r["outcomes"], Value::Array(vec![]));
    assert_eq!(r["sources"], Value::Array(vec![]));
    assert_eq!(r["interview"], Value::Null);
    assert_eq!(r["tags"], Value::Array(vec![]));
    assert_eq!(r["channel"], Value::Null);
    assert_eq!(r["pain_point"], false);
    assert_eq!(r["moment_of_truth"], false);
    assert_eq!(r["version"], 1);
    assert_eq!(r["created_at"], r["updated_at"]);
    assert!(r["uuid"].as_str().is_some_and(|u| u.len() == 36), "{r}");
    assert_ne!(items[0]["uuid"], items[1]["uuid"]);
}

#[test]
fn add_stores_every_option() {
    let db = checkout();
    ok(&db.path, &["outcome", "add", "Refunds resolved in one contact", "--metric", "fcr"]);
    ok(&db.path, &["outcome", "add", "Fewer abandoned baskets", "--metric", "churn"]);
    ok(&db.path, &["stakeholder", "add", "Ana Ruiz", "--department", "Stores"]);
    ok(&db.path, &["stakeholder", "add", "Ben Ode", "--department", "Finance"]);
    let id = add(
        &db.path,
        &[
            "Refund without a receipt",
            "--statement",
            "The store shall refund a purchase found on the customer's card.",
            "--acceptance",
            "Given a card purchase, when the receipt is lost, then the refund goes to the card.",
            "--rationale",
            "Lost receipts cause most return complaints.",
            "--stage",
            "Return",
            "--outcome",
            "Refunds resolved in one contact",
            "--outcome",
            "Fewer abandoned baskets",
            "--priority",
            "must",
            "--status",
            "approved",
            "--kind",
            "business-rule",
            "--source",
            "Ana Ruiz",
            "--source",
            "Ben Ode",
            "--channel",
            "store",
            "--tag",
            "returns",
            "--tag",
            "refunds",
            "--pain-point",
            "--moment-of-truth",
        ],
    );
    assert_eq!(id, "CHK-1");
    let items = list(&db.path, &[]);
    assert_eq!(items.len(), 1);
    let r = &items[0];
    assert_eq!(r["id"], "CHK-1");
    assert_eq!(r["title"], "Refund without a receipt");
    assert_eq!(r["statement"], "The store shall refund a purchase found on the customer's card.");
    assert_eq!(r["acceptance"], "Given a card purchase, when the receipt is lost, then the refund goes to the card.");
    assert_eq!(r["rationale"], "Lost receipts cause most return complaints.");
    assert_eq!(r["stage"], "Return");
    assert_eq!(strings(&r["outcomes"]), ["Refunds resolved in one contact", "Fewer abandoned baskets"]);
    assert_eq!(r["priority"], "must");
    assert_eq!(r["status"], "approved");
    assert_eq!(r["kind"], "business-rule");
    assert_eq!(strings(&r["sources"]), ["Ana Ruiz", "Ben Ode"]);
    assert_eq!(r["interview"], Value::Null);
    assert_eq!(r["channel"], "store");
    assert_eq!(strings(&r["tags"]), ["returns", "refunds"]);
    assert_eq!(r["pain_point"], true);
    assert_eq!(r["moment_of_truth"], true);
    // show gives the same object.
    assert_eq!(&show(&db.path, "CHK-1"), r);
}

#[test]
fn add_finds_stages_and_outcomes_case_insensitively_and_by_prefix_or_number() {
    let db = checkout();
    ok(&db.path, &["outcome", "add", "Refunds resolved in one contact"]);
    ok(&db.path, &["outcome", "add", "Fewer abandoned baskets"]);
    add(&db.path, &["a", "--stage", "gEt SuPpOrT", "--outcome", "REFUNDS RESOLVED IN ONE CONTACT"]);
    add(&db.path, &["b", "--stage", "3", "--outcome", "fewer"]);
    add(&db.path, &["c", "--stage", "return", "--outcome", "2", "--outcome", "refunds"]);
    let items = list(&db.path, &[]);
    assert_eq!(items[0]["stage"], "Get support");
    assert_eq!(strings(&items[0]["outcomes"]), ["Refunds resolved in one contact"]);
    assert_eq!(items[1]["stage"], "Buy");
    assert_eq!(strings(&items[1]["outcomes"]), ["Fewer abandoned baskets"]);
    assert_eq!(items[2]["stage"], "Return");
    assert_eq!(strings(&items[2]["outcomes"]), ["Fewer abandoned baskets", "Refunds resolved in one contact"]);
}

#[test]
fn add_with_an_unknown_stage_names_the_valid_stages_and_adds_nothing() {
    let db = checkout();
    let err = user_error(&db.path, &["add", "x", "--stage", "Checkout"]);
    assert!(err.contains("Checkout"), "{err}");
    for stage in RETAIL {
        assert!(err.contains(stage), "the error should list {stage}: {err}");
    }
    assert!(list(&db.path, &[]).is_empty());
    assert_eq!(add(&db.path, &["x"]), "CHK-1", "a failed add must not use up a number");
}

#[test]
fn add_with_an_unknown_outcome_or_stakeholder_names_the_valid_ones() {
    let db = checkout();
    let err = user_error(&db.path, &["add", "x", "--outcome", "Happier customers"]);
    assert!(err.contains("Happier customers"), "{err}");
    ok(&db.path, &["outcome", "add", "Refunds resolved in one contact"]);
    ok(&db.path, &["outcome", "add", "Refunds reach customers sooner"]);
    let err = user_error(&db.path, &["add", "x", "--outcome", "Happier customers"]);
    assert!(err.contains("Refunds resolved in one contact") && err.contains("Refunds reach customers sooner"), "{err}");
    // A prefix that fits two outcomes is refused too.
    let err = user_error(&db.path, &["add", "x", "--outcome", "refunds"]);
    assert!(err.contains("ambiguous"), "{err}");

    ok(&db.path, &["stakeholder", "add", "Ana Ruiz"]);
    ok(&db.path, &["stakeholder", "add", "Ben Ode"]);
    let err = user_error(&db.path, &["add", "x", "--source", "Zed Zulu"]);
    assert!(err.contains("Zed Zulu") && err.contains("Ana Ruiz") && err.contains("Ben Ode"), "{err}");
    assert!(list(&db.path, &[]).is_empty(), "nothing is added when a link is unknown");
}

#[test]
fn add_validates_the_title() {
    let db = checkout();
    let err = user_error(&db.path, &["add", ""]);
    assert!(err.contains("title"), "{err}");
    user_error(&db.path, &["add", "   "]);
    let long = "x".repeat(201);
    let err = user_error(&db.path, &["add", &long]);
    assert!(err.contains("201") && err.contains("200"), "{err}");
    let wide = "é".repeat(201);
    user_error(&db.path, &["add", &wide]);
    assert!(list(&db.path, &[]).is_empty());
    let max = "é".repeat(200);
    assert_eq!(add(&db.path, &[&max]), "CHK-1");
    assert_eq!(list(&db.path, &[])[0]["title"], max.as_str());
}

#[test]
fn add_parses_priority_status_and_kind_case_insensitively() {
    let db = checkout();
    add(&db.path, &["a", "--priority", "MUST", "--status", "Approved", "--kind", "Quality"]);
    add(&db.path, &["b", "--priority", "Wont", "--channel", "Call-Centre"]);
    let items = list(&db.path, &[]);
    assert_eq!(items[0]["priority"], "must");
    assert_eq!(items[0]["status"], "approved");
    assert_eq!(items[0]["kind"], "quality");
    assert_eq!(items[1]["priority"], "wont");
    assert_eq!(items[1]["channel"], "call-centre");

    let err = usage_error(&db.path, &["add", "c", "--priority", "urgent"]);
    assert!(err.contains("urgent"), "{err}");
    assert!(err.contains("must, should, could, wont"), "{err}");
    assert_eq!(list(&db.path, &[]).len(), 2);
}

#[test]
fn control_characters_are_stripped_from_stored_text_and_output() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "CHK", "--name", "Check\u{1b}[2Jout"]);
    let id = add(
        &db.path,
        &[
            "Red \u{1b}[31mALERT\u{7} title",
            "--statement",
            "Line one\u{1b}]0;owned\u{7}\nLine two",
            "--tag",
            "x\u{1b}y",
        ],
    );
    assert_eq!(id, "CHK-1");
    let r = &list(&db.path, &[])[0];
    let title = r["title"].as_str().unwrap();
    assert!(!title.contains('\u{1b}') && !title.contains('\u{7}'), "{title:?}");
    assert!(title.contains("ALERT"), "{title:?}");
    let statement = r["statement"].as_str().unwrap();
    assert!(!statement.contains('\u{1b}') && statement.contains("Line two"), "{statement:?}");

    for args in [
        vec!["list"],
        vec!["list", "--format", "csv"],
        vec!["list", "--format", "json"],
        vec!["show", "CHK-1"],
        vec!["projects"],
    ] {
        let out = ok(&db.path, &args);
        assert!(!out.contains('\u{1b}'), "{args:?} printed an ESC byte: {out:?}");
        assert!(!out.contains('\u{7}'), "{args:?} printed a BEL byte: {out:?}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------------------------------------

#[test]
fn list_filters_by_stage_status_and_priority() {
    let db = checkout();
    add(&db.path, &["a", "--stage", "Buy", "--status", "approved", "--priority", "must"]);
    add(&db.path, &["b", "--stage", "Buy", "--status", "draft", "--priority", "could"]);
    add(&db.path, &["c", "--stage", "Return", "--status", "approved", "--priority", "must"]);
    add(&db.path, &["d"]);

    assert_eq!(ids(&list(&db.path, &[])), ["CHK-1", "CHK-2", "CHK-3", "CHK-4"]);
    assert_eq!(ids(&list(&db.path, &["--stage", "buy"])), ["CHK-1", "CHK-2"]);
    assert_eq!(ids(&list(&db.path, &["--stage", "Return"])), ["CHK-3"]);
    assert_eq!(ids(&list(&db.path, &["--status", "approved"])), ["CHK-1", "CHK-3"]);
    assert_eq!(ids(&list(&db.path, &["--status", "draft"])), ["CHK-2", "CHK-4"]);
    assert_eq!(ids(&list(&db.path, &["--priority", "must"])), ["CHK-1", "CHK-3"]);
    assert_eq!(ids(&list(&db.path, &["--priority", "should"])), ["CHK-4"]);
    assert_eq!(ids(&list(&db.path, &["--stage", "Buy", "--priority", "must", "--status", "approved"])), ["CHK-1"]);
    assert!(list(&db.path, &["--stage", "Discover"]).is_empty());

    let table = ok(&db.path, &["list", "--stage", "Buy"]);
    let header = table.lines().next().unwrap_or_default();
    assert!(header.starts_with("ID") && header.contains("PRIORITY") && header.contains("TITLE"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("CHK-1 ") && l.contains("must") && l.contains("Buy")), "{table}");
    assert!(!table.contains("CHK-3"), "{table}");
    assert!(table.contains("2 requirements"), "{table}");
    let none = ok(&db.path, &["list", "--stage", "Use"]);
    assert!(none.contains("no requirements match"), "{none}");

    let err = user_error(&db.path, &["list", "--stage", "Nowhere"]);
    assert!(err.contains("Nowhere") && err.contains("Discover"), "{err}");
}

#[test]
fn list_csv_has_a_header_one_row_per_requirement_and_guards_formulas() {
    let db = checkout();
    add(&db.path, &["=SUM(A1:A9)", "--statement", "+1 for refunds", "--tag", "a", "--tag", "b"]);
    add(&db.path, &["Say \"hi\", politely", "--statement=-5 days", "--acceptance", "@admin checks"]);
    add(&db.path, &["Plain title", "--stage", "Buy"]);

    let out = ok(&db.path, &["list", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().expect("csv header").iter().map(str::to_owned).collect();
    for field in ["id", "uuid", "title", "statement", "priority", "status", "stage", "tags", "acceptance"] {
        assert!(header.iter().any(|h| h == field), "csv header lacks {field}: {header:?}");
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("csv row")).collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(rows.iter().all(|r| r.len() == header.len()), "{out}");
    assert_eq!(&rows[0][col("id")], "CHK-1");
    assert_eq!(&rows[0][col("title")], "'=SUM(A1:A9)");
    assert_eq!(&rows[0][col("statement")], "'+1 for refunds");
    assert_eq!(&rows[1][col("title")], "Say \"hi\", politely");
    assert_eq!(&rows[1][col("statement")], "'-5 days");
    assert_eq!(&rows[1][col("acceptance")], "'@admin checks");
    assert_eq!(&rows[2][col("title")], "Plain title");
    assert_eq!(&rows[2][col("stage")], "Buy");
    // JSON keeps the stored text as it is.
    assert_eq!(list(&db.path, &[])[0]["title"], "=SUM(A1:A9)");
}

#[test]
fn list_json_is_a_valid_array_of_requirement_objects() {
    let db = checkout();
    assert_eq!(ok(&db.path, &["list", "--format", "json"]).trim(), "[]");
    for i in 0..3 {
        add(&db.path, &[&format!("Requirement {i}")]);
    }
    let out = ok(&db.path, &["list", "--format", "json"]);
    let parsed: Value = serde_json::from_str(&out).expect("valid JSON");
    let items = parsed.as_array().expect("an array");
    assert_eq!(items.len(), 3);
    for r in items {
        let obj = r.as_object().expect("an object");
        for field in REQUIREMENT_FIELDS {
            assert!(obj.contains_key(field), "missing {field}: {r}");
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// show
// ---------------------------------------------------------------------------------------------------------

#[test]
fn show_accepts_every_id_form() {
    let db = checkout();
    add(&db.path, &["Refund without a receipt", "--stage", "Return", "--priority", "must", "--tag", "returns"]);
    add(&db.path, &["Another"]);
    let by_id = show(&db.path, "CHK-1");
    assert_eq!(by_id["title"], "Refund without a receipt");
    let uuid = by_id["uuid"].as_str().unwrap().to_owned();
    assert_eq!(show(&db.path, "chk-1"), by_id);
    assert_eq!(show(&db.path, "1"), by_id);
    assert_eq!(show(&db.path, &uuid), by_id);
    assert_eq!(show(&db.path, "CHK-2")["title"], "Another");

    let card = ok(&db.path, &["show", "CHK-1"]);
    assert!(card.starts_with("CHK-1  Refund without a receipt"), "{card}");
    assert!(card.lines().any(|l| l.starts_with("priority") && l.ends_with("must")), "{card}");
    assert!(card.lines().any(|l| l.starts_with("stage") && l.ends_with("Return")), "{card}");
    assert!(card.lines().any(|l| l.starts_with("tags") && l.ends_with("returns")), "{card}");

    let err = user_error(&db.path, &["show", "CHK-99"]);
    assert!(err.contains("CHK-99"), "{err}");
    user_error(&db.path, &["show", "99"]);
    user_error(&db.path, &["show", "nonsense"]);
    user_error(&db.path, &["show", "0190a3c2-0000-7000-8000-000000000000"]);
}

#[test]
fn show_does_not_find_another_projects_requirement() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "AAA", "--name", "Alpha"]);
    ok(&db.path, &["init", "--key", "BBB", "--name", "Beta"]);
    add(&db.path, &["--project", "AAA", "alpha one"]);
    let uuid = show(&db.path, "AAA-1")["uuid"].as_str().unwrap().to_owned();
    user_error(&db.path, &["--project", "BBB", "show", "1"]);
    user_error(&db.path, &["--project", "BBB", "show", "AAA-1"]);
    user_error(&db.path, &["--project", "BBB", "show", &uuid]);
}

// ---------------------------------------------------------------------------------------------------------
// edit
// ---------------------------------------------------------------------------------------------------------

#[test]
fn edit_changes_exactly_the_given_fields_and_bumps_the_version() {
    let db = checkout();
    ok(&db.path, &["outcome", "add", "Refunds resolved in one contact"]);
    ok(&db.path, &["outcome", "add", "Fewer abandoned baskets"]);
    ok(&db.path, &["stakeholder", "add", "Ana Ruiz"]);
    add(
        &db.path,
        &[
            "Old title",
            "--statement",
            "The statement",
            "--acceptance",
            "The acceptance",
            "--rationale",
            "The rationale",
            "--stage",
            "Return",
            "--outcome",
            "Fewer abandoned baskets",
            "--status",
            "proposed",
            "--kind",
            "constraint",
            "--source",
            "Ana Ruiz",
            "--channel",
            "web",
            "--tag",
            "old",
            "--pain-point",
        ],
    );
    let before = show(&db.path, "CHK-1");
    assert_eq!(before["version"], 1);

    let out = ok(
        &db.path,
        &[
            "edit",
            "CHK-1",
            "--title",
            "New title",
            "--priority",
            "must",
            "--stage",
            "Buy",
            "--outcome",
            "refunds",
            "--tag",
            "a",
            "--tag",
            "b",
        ],
    );
    assert!(out.contains("CHK-1 updated (version 2)"), "{out}");
    let after = show(&db.path, "CHK-1");
    assert_eq!(after["title"], "New title");
    assert_eq!(after["priority"], "must");
    assert_eq!(after["stage"], "Buy");
    assert_eq!(strings(&after["outcomes"]), ["Refunds resolved in one contact"]);
    assert_eq!(strings(&after["tags"]), ["a", "b"]);
    assert_eq!(after["version"], 2);
    for same in [
        "id",
        "uuid",
        "statement",
        "acceptance",
        "rationale",
        "status",
        "kind",
        "sources",
        "interview",
        "channel",
        "pain_point",
        "moment_of_truth",
        "created_at",
    ] {
        assert_eq!(after[same], before[same], "edit changed {same}");
    }
    assert_eq!(list(&db.path, &[])[0], after, "list and show agree");
}

#[test]
fn edit_without_fields_is_refused() {
    let db = checkout();
    add(&db.path, &["x"]);
    let err = user_error(&db.path, &["edit", "CHK-1"]);
    assert!(err.contains("nothing to change"), "{err}");
    assert_eq!(show(&db.path, "CHK-1")["version"], 1);
    user_error(&db.path, &["edit", "CHK-9", "--title", "y"]);
    let err = user_error(&db.path, &["edit", "CHK-1", "--title", ""]);
    assert!(err.contains("title"), "{err}");
    user_error(&db.path, &["edit", "CHK-1", "--stage", "Nowhere"]);
    let err = usage_error(&db.path, &["edit", "CHK-1", "--channel", "pigeon"]);
    assert!(err.contains("unknown channel \"pigeon\"; valid values: store"), "{err}");
    user_error(&db.path, &["edit", "CHK-1", "--outcome", "nothing like it"]);
    assert_eq!(show(&db.path, "CHK-1")["title"], "x");
    assert_eq!(show(&db.path, "CHK-1")["version"], 1);
}

#[test]
fn edit_clears_stage_tags_outcomes_sources_and_channel() {
    let db = checkout();
    ok(&db.path, &["outcome", "add", "Refunds resolved in one contact"]);
    ok(&db.path, &["stakeholder", "add", "Ana Ruiz"]);
    add(&db.path, &["x", "--stage", "Buy", "--tag", "a", "--outcome", "1", "--source", "Ana Ruiz", "--channel", "web"]);
    ok(&db.path, &["edit", "CHK-1", "--stage", "none"]);
    let r = show(&db.path, "CHK-1");
    assert_eq!(r["stage"], Value::Null);
    assert_eq!(strings(&r["tags"]), ["a"], "clearing the stage leaves the tags");
    assert_eq!(r["version"], 2);
    ok(&db.path, &["edit", "CHK-1", "--clear-tags"]);
    ok(&db.path, &["edit", "CHK-1", "--clear-outcomes", "--clear-sources", "--channel", "none"]);
    let r = show(&db.path, "CHK-1");
    assert_eq!(r["tags"], Value::Array(vec![]));
    assert_eq!(r["outcomes"], Value::Array(vec![]));
    assert_eq!(r["sources"], Value::Array(vec![]));
    assert_eq!(r["channel"], Value::Null);
    assert_eq!(r["version"], 4);
    ok(&db.path, &["edit", "CHK-1", "--pain-point", "true", "--moment-of-truth", "true"]);
    let r = show(&db.path, "CHK-1");
    assert_eq!((r["pain_point"].clone(), r["moment_of_truth"].clone()), (Value::Bool(true), Value::Bool(true)));
    usage_error(&db.path, &["edit", "CHK-1", "--tag", "a", "--clear-tags"]);
}

#[test]
fn edit_to_the_same_values_reports_unchanged_and_keeps_the_version() {
    let db = checkout();
    ok(&db.path, &["outcome", "add", "Refunds resolved in one contact"]);
    add(&db.path, &["Same", "--stage", "Buy", "--priority", "must", "--tag", "x", "--outcome", "1"]);
    let before = show(&db.path, "CHK-1");
    let out = ok(
        &db.path,
        &[
            "edit",
            "chk-1",
            "--title",
            "Same",
            "--stage",
            "BUY",
            "--priority",
            "MUST",
            "--tag",
            "X",
            "--outcome",
            "refunds resolved in one contact",
        ],
    );
    assert!(out.contains("unchanged"), "{out}");
    let after = show(&db.path, "CHK-1");
    assert_eq!(after, before, "an edit that changes nothing writes nothing");
    assert_eq!(after["version"], 1);
}

// ---------------------------------------------------------------------------------------------------------
// delete and undo
// ---------------------------------------------------------------------------------------------------------

#[test]
fn delete_hides_a_requirement_and_undo_restores_it() {
    let db = checkout();
    add(&db.path, &["First"]);
    add(&db.path, &["Second"]);
    let out = ok(&db.path, &["delete", "CHK-1"]);
    assert!(out.contains("deleted CHK-1"), "{out}");
    assert_eq!(ids(&list(&db.path, &[])), ["CHK-2"]);
    let all = list(&db.path, &["--deleted"]);
    assert_eq!(ids(&all), ["CHK-1", "CHK-2"]);
    assert!(all[0]["deleted_at"].is_string(), "{}", all[0]);
    assert_eq!(all[1]["deleted_at"], Value::Null);
    let table = ok(&db.path, &["list", "--deleted"]);
    assert!(table.contains("CHK-1 (deleted)"), "{table}");
    let table = ok(&db.path, &["list"]);
    assert!(!table.contains("CHK-1"), "{table}");
    let card = ok(&db.path, &["show", "CHK-1"]);
    assert!(card.contains("deleted"), "{card}");

    user_error(&db.path, &["delete", "CHK-1"]);
    user_error(&db.path, &["edit", "CHK-1", "--title", "Changed"]);
    user_error(&db.path, &["delete", "CHK-7"]);

    let out = ok(&db.path, &["undo"]);
    assert!(out.starts_with("undid"), "{out}");
    let items = list(&db.path, &[]);
    assert_eq!(ids(&items), ["CHK-1", "CHK-2"]);
    assert_eq!(items[0]["title"], "First");
    assert_eq!(items[0]["deleted_at"], Value::Null);
}

#[test]
fn requirement_numbers_are_never_reused() {
    let db = checkout();
    assert_eq!(add(&db.path, &["one"]), "CHK-1");
    assert_eq!(add(&db.path, &["two"]), "CHK-2");
    ok(&db.path, &["delete", "CHK-2"]);
    assert_eq!(add(&db.path, &["three"]), "CHK-3");
    // Undoing a creation removes the requirement but not its number.
    let out = ok(&db.path, &["undo"]);
    assert!(out.contains("creation"), "{out}");
    assert_eq!(ids(&list(&db.path, &[])), ["CHK-1"]);
    assert_eq!(add(&db.path, &["four"]), "CHK-4");
    assert_eq!(ids(&list(&db.path, &[])), ["CHK-1", "CHK-4"]);
    assert_eq!(ids(&list(&db.path, &["--deleted"])), ["CHK-1", "CHK-2", "CHK-3", "CHK-4"]);
    assert_eq!(show(&db.path, "CHK-4")["title"], "four");
}

#[test]
fn undo_restores_an_edit() {
    let db = checkout();
    add(&db.path, &["Old title", "--priority", "could", "--tag", "one", "--tag", "two", "--stage", "Buy"]);
    let before = show(&db.path, "CHK-1");
    ok(&db.path, &["edit", "CHK-1", "--title", "New title", "--priority", "must", "--tag", "three", "--stage", "Use"]);
    assert_eq!(show(&db.path, "CHK-1")["title"], "New title");
    let out = ok(&db.path, &["undo"]);
    assert!(out.starts_with("undid the edit"), "{out}");
    let after = show(&db.path, "CHK-1");
    assert_eq!(after["title"], "Old title");
    assert_eq!(after["priority"], "could");
    assert_eq!(strings(&after["tags"]), ["one", "two"]);
    assert_eq!(after["stage"], "Buy");
    assert_eq!(after["id"], before["id"]);
    // The next undo reverts the creation.
    ok(&db.path, &["undo"]);
    assert!(list(&db.path, &[]).is_empty());
}

#[test]
fn undo_only_touches_the_current_project() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "AAA", "--name", "Alpha"]);
    ok(&db.path, &["init", "--key", "BBB", "--name", "Beta"]);
    add(&db.path, &["--project", "AAA", "alpha"]);
    ok(&db.path, &["--project", "AAA", "edit", "1", "--title", "alpha edited"]);
    add(&db.path, &["--project", "BBB", "beta"]);
    ok(&db.path, &["--project", "AAA", "undo"]);
    assert_eq!(json(&db.path, &["--project", "AAA", "show", "1", "--format", "json"])["title"], "alpha");
    let beta = list(&db.path, &["--project", "BBB"]);
    assert_eq!(ids(&beta), ["BBB-1"]);
    assert_eq!(beta[0]["title"], "beta");
}

#[test]
fn undo_with_nothing_to_undo_is_an_error() {
    let db = checkout();
    // A new project has nothing to undo; undo must not silently delete the project itself.
    let err = user_error(&db.path, &["undo"]);
    assert!(err.contains("nothing to undo"), "{err}");
    assert_eq!(project_keys(&db.path), ["CHK"]);
    // After undoing the only change, there is again nothing to undo.
    add(&db.path, &["x"]);
    ok(&db.path, &["undo"]);
    let err = user_error(&db.path, &["undo"]);
    assert!(err.contains("nothing to undo"), "{err}");
    assert_eq!(project_keys(&db.path), ["CHK"]);
}

#[test]
fn a_project_key_is_either_listed_or_free_after_undo() {
    let db = checkout();
    // Whatever undo does right after init, the key must not end up hidden and blocked at once.
    let _ = elicit(&db.path, &["undo"]);
    if !project_keys(&db.path).contains(&"CHK".to_owned()) {
        let run = elicit(&db.path, &["init", "--key", "CHK", "--name", "Checkout again"]);
        assert_eq!(
            run.code, 0,
            "CHK is not listed by `projects` but `init --key CHK` is refused\nstdout: {}\nstderr: {}",
            run.stdout, run.stderr
        );
    }
}

#[test]
fn undo_messages_name_what_was_undone() {
    let db = checkout();
    add(&db.path, &["a", "--stage", "Buy"]);
    ok(&db.path, &["stage", "delete", "Buy", "--move-to", "Receive"]);
    let stage = ok(&db.path, &["undo"]);
    ok(&db.path, &["outcome", "add", "Refunds resolved in one contact"]);
    let outcome = ok(&db.path, &["undo"]);
    let mut problems = Vec::new();
    if !stage.contains("deletion of a stage") {
        problems.push(format!("undoing `stage delete` should report the deletion of a stage, got: {stage}"));
    }
    if !outcome.contains("creation of an outcome") {
        problems.push(format!("undoing `outcome add` should report the creation of an outcome, got: {outcome}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------------------
// stage, outcome, stakeholder
// ---------------------------------------------------------------------------------------------------------

#[test]
fn stage_add_list_rename_and_move() {
    let db = checkout();
    let out = ok(&db.path, &["stage", "add", "Loyalty", "--description", "The shopper comes back"]);
    assert!(out.contains("added stage Loyalty (8)"), "{out}");
    let mut expected: Vec<&str> = RETAIL.to_vec();
    expected.push("Loyalty");
    assert_eq!(stage_names(&db.path, &[]), expected);
    let err = user_error(&db.path, &["stage", "add", "loyalty"]);
    assert!(err.contains("already exists"), "{err}");
    user_error(&db.path, &["stage", "add", "  "]);

    let out = ok(&db.path, &["stage", "rename", "LOYALTY", "Repeat", "--description", "Buys again"]);
    assert!(out.contains("Repeat"), "{out}");
    let stages = json(&db.path, &["stage", "list", "--format", "json"]);
    let last = &stages[7];
    assert_eq!(last["name"], "Repeat");
    assert_eq!(last["description"], "Buys again");
    assert_eq!(last["position"], 8);
    let err = user_error(&db.path, &["stage", "rename", "Repeat", "buy"]);
    assert!(err.contains("already exists"), "{err}");
    user_error(&db.path, &["stage", "rename", "Nowhere", "Somewhere"]);

    let out = ok(&db.path, &["stage", "move", "Repeat", "-2"]);
    assert!(out.contains("Use > Repeat > Get support"), "{out}");
    assert_eq!(
        stage_names(&db.path, &[]),
        ["Discover", "Browse", "Buy", "Receive", "Use", "Repeat", "Get support", "Return"]
    );
    ok(&db.path, &["stage", "move", "Discover", "1"]);
    assert_eq!(
        stage_names(&db.path, &[]),
        ["Browse", "Discover", "Buy", "Receive", "Use", "Repeat", "Get support", "Return"]
    );
    // Moving past the end stops at the end.
    ok(&db.path, &["stage", "move", "Browse", "99"]);
    assert_eq!(stage_names(&db.path, &[]).last().map(String::as_str), Some("Browse"));
    user_error(&db.path, &["stage", "move", "Nowhere", "1"]);

    add(&db.path, &["in buy", "--stage", "Buy"]);
    let table = ok(&db.path, &["stage", "list"]);
    assert!(table.lines().next().unwrap_or_default().contains("STAGE"), "{table}");
    assert!(table.lines().any(|l| l.contains("Buy") && l.contains(" 1 ")), "{table}");
}

#[test]
fn stage_delete_moves_or_unassigns_its_requirements_and_undo_restores_them() {
    let db = checkout();
    add(&db.path, &["a", "--stage", "Buy"]);
    add(&db.path, &["b", "--stage", "Buy"]);
    add(&db.path, &["c", "--stage", "Use"]);

    let err = user_error(&db.path, &["stage", "delete", "Buy", "--move-to", "buy"]);
    assert!(err.contains("stage being deleted"), "{err}");
    user_error(&db.path, &["stage", "delete", "Buy", "--move-to", "Nowhere"]);
    user_error(&db.path, &["stage", "delete", "Nowhere"]);
    assert_eq!(stage_names(&db.path, &[]), RETAIL);

    let out = ok(&db.path, &["stage", "delete", "Buy", "--move-to", "Receive"]);
    assert!(out.contains("2 requirement(s) moved to Receive"), "{out}");
    assert!(!stage_names(&db.path, &[]).contains(&"Buy".to_owned()));
    assert_eq!(ids(&list(&db.path, &["--stage", "Receive"])), ["CHK-1", "CHK-2"]);
    let stages = json(&db.path, &["stage", "list", "--format", "json"]);
    let receive = stages.as_array().unwrap().iter().find(|s| s["name"] == "Receive").unwrap();
    assert_eq!(receive["requirements"], 2);

    let out = ok(&db.path, &["stage", "delete", "use"]);
    assert!(out.contains("1 requirement(s) moved to no stage"), "{out}");
    assert_eq!(show(&db.path, "CHK-3")["stage"], Value::Null);

    ok(&db.path, &["undo"]);
    assert_eq!(show(&db.path, "CHK-3")["stage"], "Use");
    ok(&db.path, &["undo"]);
    assert_eq!(stage_names(&db.path, &[]), RETAIL);
    assert_eq!(ids(&list(&db.path, &["--stage", "Buy"])), ["CHK-1", "CHK-2"]);
}

#[test]
fn outcome_add_and_list() {
    let db = checkout();
    assert_eq!(json(&db.path, &["outcome", "list", "--format", "json"]), Value::Array(vec![]));
    let out = ok(
        &db.path,
        &[
            "outcome",
            "add",
            "Shoppers recommend us",
            "--metric",
            "NPS",
            "--baseline",
            "18",
            "--target",
            "35",
            "--unit",
            "points",
        ],
    );
    assert!(out.contains("added outcome Shoppers recommend us"), "{out}");
    ok(&db.path, &["outcome", "add", "Fewer abandoned baskets"]);
    ok(&db.path, &["outcome", "add", "Faster refunds", "--metric", "Time", "--unit", "days"]);
    let err = usage_error(&db.path, &["outcome", "add", "Bad", "--metric", "happiness"]);
    assert!(err.contains("happiness") && err.contains("nps") && err.contains("csat"), "{err}");
    user_error(&db.path, &["outcome", "add", ""]);

    add(&db.path, &["a", "--outcome", "shoppers"]);
    add(&db.path, &["b", "--outcome", "shoppers", "--outcome", "faster"]);

    let outcomes = json(&db.path, &["outcome", "list", "--format", "json"]);
    let items = outcomes.as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["number"], 1);
    assert_eq!(items[0]["statement"], "Shoppers recommend us");
    assert_eq!(items[0]["metric"], "nps");
    assert_eq!(items[0]["baseline"], 18.0);
    assert_eq!(items[0]["target"], 35.0);
    assert_eq!(items[0]["unit"], "points");
    assert_eq!(items[0]["requirements"], 2);
    assert_eq!(items[1]["metric"], "custom");
    assert_eq!(items[1]["baseline"], Value::Null);
    assert_eq!(items[1]["requirements"], 0);
    assert_eq!(items[2]["metric"], "time");
    assert_eq!(items[2]["requirements"], 1);

    let table = ok(&db.path, &["outcome", "list"]);
    assert!(table.lines().next().unwrap_or_default().contains("METRIC"), "{table}");
    assert!(table.contains("18 -> 35 points"), "{table}");
    assert!(table.contains("Fewer abandoned baskets"), "{table}");
}

#[test]
fn stakeholder_add_and_list_with_counts() {
    let db = checkout();
    assert_eq!(json(&db.path, &["stakeholder", "list", "--format", "json"]), Value::Array(vec![]));
    let out = ok(
        &db.path,
        &[
            "stakeholder",
            "add",
            "Ben Ode",
            "--role",
            "Finance controller",
            "--department",
            "Finance",
            "--organisation",
            "Northwind",
            "--contact",
            "ben@example.com",
            "--notes",
            "Owns refunds",
        ],
    );
    assert!(out.contains("added stakeholder Ben Ode"), "{out}");
    ok(&db.path, &["stakeholder", "add", "Ana Ruiz", "--department", "Stores"]);
    user_error(&db.path, &["stakeholder", "add", ""]);
    add(&db.path, &["a", "--source", "ben ode"]);
    add(&db.path, &["b", "--source", "Ben Ode", "--source", "ana"]);
    add(&db.path, &["c", "--source", "Ana Ruiz"]);
    ok(&db.path, &["delete", "CHK-3"]);

    let people = json(&db.path, &["stakeholder", "list", "--format", "json"]);
    let items = people.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let ben = items.iter().find(|p| p["name"] == "Ben Ode").expect("Ben listed");
    let ana = items.iter().find(|p| p["name"] == "Ana Ruiz").expect("Ana listed");
    assert_eq!(ben["role"], "Finance controller");
    assert_eq!(ben["department"], "Finance");
    assert_eq!(ben["organisation"], "Northwind");
    assert_eq!(ben["contact"], "ben@example.com");
    assert_eq!(ben["notes"], "Owns refunds");
    assert_eq!(ben["interviews"], 0);
    assert_eq!(ben["requirements"], 2);
    assert_eq!(ana["requirements"], 1, "a deleted requirement does not count");
    assert_eq!(ana["interviews"], 0);
    assert_eq!(strings(&show(&db.path, "CHK-2")["sources"]), ["Ben Ode", "Ana Ruiz"]);

    let table = ok(&db.path, &["stakeholder", "list"]);
    assert!(table.lines().next().unwrap_or_default().starts_with("NAME"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("Ben Ode") && l.contains("Finance")), "{table}");
}

#[test]
fn a_stakeholder_name_shared_by_two_people_is_not_silently_resolved() {
    let db = checkout();
    ok(&db.path, &["stakeholder", "add", "Sam Lee", "--department", "Finance"]);
    let second = elicit(&db.path, &["stakeholder", "add", "sam lee", "--department", "Stores"]);
    if second.code == 0 {
        // Both exist, so the name alone must not pick one of them behind the user's back.
        let run = elicit(&db.path, &["add", "x", "--source", "Sam Lee"]);
        assert_user_error(&run, "add --source with a name two stakeholders share");
    } else {
        assert_user_error(&second, "stakeholder add with a duplicate name");
    }
}

#[test]
fn an_outcome_statement_shared_by_two_outcomes_is_not_silently_resolved() {
    let db = checkout();
    ok(&db.path, &["outcome", "add", "Faster refunds", "--metric", "time"]);
    let second = elicit(&db.path, &["outcome", "add", "faster refunds", "--metric", "csat"]);
    if second.code == 0 {
        let run = elicit(&db.path, &["add", "x", "--outcome", "Faster refunds"]);
        assert_user_error(&run, "add --outcome with a statement two outcomes share");
    } else {
        assert_user_error(&second, "outcome add with a duplicate statement");
    }
}

// ---------------------------------------------------------------------------------------------------------
// demo
// ---------------------------------------------------------------------------------------------------------

#[test]
fn demo_creates_the_shop_project_once() {
    let db = TempDb::new();
    let out = ok(&db.path, &["demo"]);
    assert!(out.contains("SHOP"), "{out}");
    assert_eq!(project_keys(&db.path), ["SHOP"]);

    let reqs = list(&db.path, &["--project", "SHOP"]);
    assert_eq!(reqs.len(), 40);
    let seen = ids(&reqs);
    let distinct: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), 40, "every id is different");
    assert!(seen.iter().all(|id| id.starts_with("SHOP-")), "{seen:?}");

    let stages = stage_names(&db.path, &["--project", "SHOP"]);
    assert!(stages.len() >= 6, "{stages:?}");
    let outcomes = json(&db.path, &["--project", "SHOP", "outcome", "list", "--format", "json"]);
    assert!(outcomes.as_array().unwrap().len() >= 5, "{outcomes}");
    let people = json(&db.path, &["--project", "SHOP", "stakeholder", "list", "--format", "json"]);
    let people = people.as_array().unwrap();
    assert!(people.len() >= 8, "{people:?}");
    let mut departments: Vec<&str> =
        people.iter().filter_map(|p| p["department"].as_str()).filter(|d| !d.is_empty()).collect();
    departments.sort_unstable();
    departments.dedup();
    assert!(departments.len() >= 5, "{departments:?}");
    assert!(people.iter().any(|p| p["interviews"].as_u64().unwrap_or(0) > 0), "the demo has interviews");

    let again = elicit(&db.path, &["demo"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("already"), "{}", again.stdout);
    assert_eq!(list(&db.path, &["--project", "SHOP"]).len(), 40);
    assert_eq!(project_keys(&db.path), ["SHOP"]);
}

// ---------------------------------------------------------------------------------------------------------
// The database file
// ---------------------------------------------------------------------------------------------------------

#[test]
fn db_in_a_missing_nested_folder_is_created() {
    let db = TempDb::new();
    let nested = db.dir.path().join("a").join("b").join("c").join("elicit.db");
    ok(&nested, &["init", "--key", "CHK", "--name", "Checkout"]);
    assert!(nested.is_file());
    assert_eq!(add(&nested, &["x"]), "CHK-1");
    assert_eq!(ids(&list(&nested, &[])), ["CHK-1"]);
}

#[test]
fn elicit_db_env_var_is_used_when_db_is_absent() {
    let home = tempfile::tempdir().expect("temp home");
    let db = home.path().join("from-env").join("env.db");
    let r = run(bare_cmd(home.path()).env("ELICIT_DB", &db).args(["init", "--key", "ENV", "--name", "From env"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(db.is_file(), "ELICIT_DB should be the database");
    let r = run(bare_cmd(home.path()).env("ELICIT_DB", &db).args(["add", "via env"]));
    assert_eq!((r.code, r.stdout.trim()), (0, "ENV-1"), "{}", r.stderr);
    // The same data is visible through --db.
    assert_eq!(ids(&list(&db, &[])), ["ENV-1"]);
    // --db wins over ELICIT_DB.
    let other = home.path().join("other.db");
    let r = run(bare_cmd(home.path()).env("ELICIT_DB", &db).arg("--db").arg(&other).args(["projects"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("no database at {}", other.display())), "{}", r.stderr);
    // Getting started names the database in use.
    let r = run(bare_cmd(home.path()).env("ELICIT_DB", &db));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(&db.display().to_string()), "{}", r.stdout);
}

#[cfg(target_os = "linux")]
#[test]
fn without_db_or_env_the_database_lives_in_the_home_data_folder() {
    let home = tempfile::tempdir().expect("temp home");
    let r = run(bare_cmd(home.path()).args(["init", "--key", "HOME", "--name", "Home"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = home.path().join(".local/share/elicit/elicit.db");
    assert!(expected.is_file(), "expected the database at {}", expected.display());
    // An empty ELICIT_DB counts as unset.
    let r = run(bare_cmd(home.path()).env("ELICIT_DB", "").args(["projects"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("HOME"), "{}", r.stdout);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let db = TempDb::new();
    let path = db.dir.path().join("notes.txt");
    let line = "These are my meeting notes, not a database.\n";
    let text: String = line.repeat(4096 / line.len() + 1).chars().take(4096).collect();
    std::fs::write(&path, &text).expect("write text file");
    let before = std::fs::read(&path).expect("read");
    assert_eq!(before.len(), 4096);

    for args in [&["list"][..], &["init", "--key", "CHK", "--name", "x"], &["demo"], &["undo"]] {
        let err = user_error(&path, args);
        assert!(err.contains(&path.display().to_string()), "{args:?}: the error should name the file: {err}");
        assert_eq!(std::fs::read(&path).expect("read"), before, "{args:?} changed the file");
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = db.dir.path().join(format!("notes.txt{suffix}"));
        assert!(!side.exists(), "{} was created", side.display());
    }
}

#[test]
fn another_programs_sqlite_database_is_refused_and_left_untouched() {
    let db = TempDb::new();
    let path = db.dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');").expect("create");
    }
    let before = std::fs::read(&path).expect("read");
    let err = user_error(&path, &["list"]);
    assert!(err.contains(&path.display().to_string()), "{err}");
    user_error(&path, &["init", "--key", "CHK", "--name", "x"]);
    assert_eq!(std::fs::read(&path).expect("read"), before, "the file changed");
}

/// The change log names the user: from `ELICIT_ACTOR`, else the shell's user variables, else the home
/// folder's name where a service or container sets none of them (never "unknown" while a name is known).
#[test]
fn the_change_log_records_the_users_name() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "ACT", "--name", "Actors"]);
    let home = db.dir.path().join("priya");
    std::fs::create_dir_all(&home).unwrap();
    let add = |envs: &[(&str, &str)], title: &str| {
        let mut cmd = elicit_cmd(&db.path);
        cmd.env_remove("USER").env_remove("USERNAME").env_remove("LOGNAME").env_remove("ELICIT_ACTOR");
        cmd.env("HOME", &home);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.args(["add", title]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    add(&[], "Named by the home folder");
    add(&[("USER", "sam")], "Named by USER");
    add(&[("USER", "sam"), ("ELICIT_ACTOR", "Alex Analyst")], "Named by ELICIT_ACTOR");
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let actors: Vec<String> = conn
        .prepare(
            "SELECT DISTINCT actor FROM change_log WHERE field = '*created' AND entity = 'requirement' ORDER BY rowid",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(actors.ends_with(&["priya".to_owned(), "sam".to_owned(), "Alex Analyst".to_owned()]), "{actors:?}");
}

/// `list` narrows by tag, outcome, source stakeholder, interview and words, combinable with the others.
#[test]
fn list_filters_by_tag_outcome_source_interview_and_words() {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--format", "json"];
        all.extend_from_slice(args);
        let v: serde_json::Value = serde_json::from_str(&ok(&db.path, &all)).unwrap();
        v.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
    };
    let everything = ids(&[]);
    let all: Vec<serde_json::Value> =
        serde_json::from_str::<serde_json::Value>(&ok(&db.path, &["list", "--format", "json"]))
            .unwrap()
            .as_array()
            .unwrap()
            .clone();
    // Each filter keeps exactly the rows that carry what it names, and some but not all of them.
    let expect = |keep: &dyn Fn(&serde_json::Value) -> bool| -> Vec<String> {
        all.iter().filter(|r| keep(r)).map(|r| r["id"].as_str().unwrap().to_owned()).collect()
    };
    let tagged = ids(&["--tag", "CHECKOUT"]);
    assert_eq!(tagged, expect(&|r| r["tags"].as_array().unwrap().iter().any(|t| t == "checkout")));
    assert!(!tagged.is_empty() && tagged.len() < everything.len(), "{tagged:?}");
    let by_source = ids(&["--source", "Priya"]);
    assert_eq!(by_source, expect(&|r| r["sources"].as_array().unwrap().iter().any(|s| s == "Priya Raman")));
    assert!(!by_source.is_empty());
    let words = ids(&["--text", "REFUND receipt"]);
    assert!(!words.is_empty());
    for id in &words {
        let r = all.iter().find(|r| r["id"] == id.as_str()).unwrap();
        let text = format!("{} {} {} {}", r["title"], r["statement"], r["acceptance"], r["rationale"]).to_lowercase();
        assert!(text.contains("refund") && text.contains("receipt"), "{id}: {text}");
    }
    let interview = ids(&["--interview", "Loyalty"]);
    assert_eq!(interview.len(), 5, "{interview:?}");
    let outcome = ids(&["--outcome", "1"]);
    assert!(!outcome.is_empty() && outcome.len() < everything.len());
    // Combined with the existing filters, all must hold.
    let both = ids(&["--tag", "checkout", "--priority", "must"]);
    assert_eq!(
        both,
        expect(&|r| r["priority"] == "must" && r["tags"].as_array().unwrap().iter().any(|t| t == "checkout"))
    );
    let none = ids(&["--text", "zebra crossing"]);
    assert!(none.is_empty());
    let err = elicit(&db.path, &["list", "--source", "Nobody"]);
    assert_eq!(err.code, 1, "{}", err.stderr);
}
