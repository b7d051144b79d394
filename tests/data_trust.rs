//! Nothing the analyst captured is lost or exposed (issue 10): export guards, version-checked edits,
//! read-only and missing files, permissions, migration failures, time ids, backup and restore, daily copies.
//! Each test drives the real binary on real files.

use std::path::{Path, PathBuf};

use crate::common::*;

fn demo() -> TempDb {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    db
}

fn fails(db: &Path, args: &[&str]) -> String {
    let r = elicit(db, args);
    assert_eq!(r.code, 1, "elicit {args:?} should fail\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.stderr
}

fn requirement_count(db: &Path) -> usize {
    let v: serde_json::Value = serde_json::from_str(&ok(db, &["list", "--format", "json"])).unwrap();
    v.as_array().unwrap().len()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

#[test]
fn an_export_over_the_database_or_its_companions_is_refused_and_loses_nothing() {
    let db = demo();
    let before = std::fs::read(&db.path).unwrap();
    let dotted = db.dir.path().join(".").join("elicit.db");
    let wal = with_suffix(&db.path, "-wal");
    let shm = with_suffix(&db.path, "-shm");
    for format in ["csv", "json", "html", "md", "reqif", "xlsx"] {
        for target in [&db.path, &dotted, &wal, &shm] {
            let err = fails(&db.path, &["export", "--format", format, "-o", target.to_str().unwrap()]);
            assert!(err.contains("is the database elicit has open"), "{format} {target:?}: {err}");
            assert_eq!(err.lines().count(), 1, "one line: {err}");
        }
    }
    // Also when spelled relative to the working folder.
    let r = elicit_cmd(Path::new("elicit.db"))
        .current_dir(db.dir.path())
        .args(["export", "--format", "csv", "-o", "./elicit.db"])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1), "{}", String::from_utf8_lossy(&r.stderr));
    assert_eq!(std::fs::read(&db.path).unwrap(), before, "the database file is unchanged");
    assert_eq!(requirement_count(&db.path), 40);
}

#[cfg(unix)]
#[test]
fn devices_are_written_to_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let db = demo();
    let out = ok(&db.path, &["export", "--format", "json", "-o", "/dev/null"]);
    assert!(out.contains("wrote /dev/null"), "{out}");
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "/dev/null is still a device");
    if Path::new("/dev/full").exists() {
        let err = fails(&db.path, &["export", "--format", "html", "-o", "/dev/full"]);
        assert!(err.contains("/dev/full") && err.contains("No space left"), "{err}");
        assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
    }
}

#[test]
fn dash_means_standard_output_for_every_text_format() {
    let db = demo();
    for (format, start) in
        [("csv", "id,"), ("json", "{"), ("md", "# "), ("html", "<!DOCTYPE html>"), ("reqif", "<?xml")]
    {
        let out = ok(&db.path, &["export", "--format", format, "-o", "-"]);
        assert!(out.starts_with(start), "{format}: {}", &out[..out.len().min(80)]);
        assert!(!db.dir.path().join("-").exists(), "no file named -");
    }
    // A workbook goes to a pipe when asked, never to a terminal.
    let out = elicit_cmd(&db.path).args(["export", "--format", "xlsx", "-o", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"PK"), "an xlsx is a zip file");
}

#[test]
fn leftovers_of_a_killed_export_are_removed_by_the_next_export() {
    let db = demo();
    let out = db.dir.path().join("report.csv");
    let stale = [db.dir.path().join(".report.csv.elicit-tmp-4242"), db.dir.path().join(".other.html.elicit-tmp-x1")];
    for s in &stale {
        std::fs::write(s, vec![b'x'; 10_000]).unwrap();
    }
    let keep = db.dir.path().join(".notes");
    std::fs::write(&keep, b"mine").unwrap();
    ok(&db.path, &["export", "--format", "csv", "-o", out.to_str().unwrap()]);
    for s in &stale {
        assert!(!s.exists(), "{s:?} removed");
    }
    assert!(keep.exists(), "files that are not ours stay");
    let names: Vec<String> =
        std::fs::read_dir(db.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert!(!names.iter().any(|n| n.contains("elicit-tmp")), "{names:?}");
}

#[cfg(unix)]
#[test]
fn files_holding_people_are_private_and_a_replaced_export_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let db = demo();
    assert_eq!(mode(&db.path), 0o600, "a new database");
    let daily = std::fs::read_dir(with_suffix(&db.path, ".daily")).unwrap().next().unwrap().unwrap().path();
    assert_eq!(mode(&daily), 0o600, "the daily copy");
    let backup = db.dir.path().join("copy.db");
    ok(&db.path, &["backup", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), 0o600, "a backup");
    let json = db.dir.path().join("backup.json");
    ok(&db.path, &["export", "--format", "json", "-o", json.to_str().unwrap()]);
    assert_eq!(mode(&json), 0o600, "a new export");
    std::fs::set_permissions(&json, std::fs::Permissions::from_mode(0o640)).unwrap();
    ok(&db.path, &["export", "--format", "json", "-o", json.to_str().unwrap()]);
    assert_eq!(mode(&json), 0o640, "a replaced export keeps its mode");
    // SQLite gives -wal and -shm the database's mode: look while a second connection holds them open.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.query_row("SELECT count(*) FROM requirement", [], |r| r.get::<_, i64>(0)).unwrap();
    for companion in ["-wal", "-shm"] {
        let p = with_suffix(&db.path, companion);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{companion}");
        }
    }
}

#[test]
fn an_edit_applies_only_to_the_version_it_was_based_on() {
    let db = demo();
    let version = |db: &Path| -> i64 {
        let v: serde_json::Value = serde_json::from_str(&ok(db, &["show", "SHOP-3", "--format", "json"])).unwrap();
        v["version"].as_i64().unwrap()
    };
    let seen = version(&db.path);
    // Someone else changes status and statement.
    ok(&db.path, &["edit", "SHOP-3", "--status", "approved", "--statement", "Theirs"]);
    // A save based on the version seen before is refused, and nothing is written.
    let err = fails(&db.path, &["edit", "SHOP-3", "--title", "Mine", "--if-version", &seen.to_string()]);
    assert!(err.contains("SHOP-3 was changed by someone else since version"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&ok(&db.path, &["show", "SHOP-3", "--format", "json"])).unwrap();
    assert_eq!((v["status"].as_str(), v["statement"].as_str()), (Some("approved"), Some("Theirs")));
    assert_ne!(v["title"], "Mine");
    // Based on the current version it applies, and only the field it names.
    let now = version(&db.path);
    let out = ok(&db.path, &["edit", "SHOP-3", "--title", "Mine", "--if-version", &now.to_string()]);
    assert!(out.contains(&format!("version {}", now + 1)), "{out}");
    let v: serde_json::Value = serde_json::from_str(&ok(&db.path, &["show", "SHOP-3", "--format", "json"])).unwrap();
    assert_eq!(
        (v["title"].as_str(), v["status"].as_str(), v["statement"].as_str()),
        (Some("Mine"), Some("approved"), Some("Theirs"))
    );
}

#[test]
fn a_mistyped_database_path_for_a_reading_command_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo").join("nested").join("elicti.db");
    for args in [
        &["list"][..],
        &["show", "SHOP-1"],
        &["export", "--format", "csv"],
        &["projects"],
        &["time", "report"],
        &["interview", "list"],
        &["backup", "x.db"],
    ] {
        let err = fails(&missing, args);
        assert!(err.contains(&format!("no database at {}", missing.display())), "{args:?}: {err}");
        assert!(!dir.path().join("typo").exists(), "{args:?} made folders");
    }
    // A command that writes creates it, so a backup can be restored into a new file.
    ok(&missing, &["init", "--key", "NEW", "--name", "New"]);
    assert!(missing.is_file());
}

/// Makes `path` immutable (even root cannot write it) for the life of the guard, where the file system
/// supports it.
struct Immutable(Vec<PathBuf>);

impl Immutable {
    fn set(paths: &[&Path]) -> Option<Immutable> {
        for p in paths {
            let ok = std::process::Command::new("chattr").arg("+i").arg(p).status().ok()?.success();
            if !ok {
                return None;
            }
        }
        Some(Immutable(paths.iter().map(|p| p.to_path_buf()).collect()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::process::Command::new("chattr").arg("-i").arg(p).status();
        }
    }
}

#[test]
fn a_read_only_database_can_be_read_and_a_write_says_it_is_read_only() {
    let db = demo();
    let before = std::fs::read(&db.path).unwrap();
    // Root may write any file whose mode forbids it; an immutable file and folder stop even root.
    let Some(_guard) = Immutable::set(&[&db.path, db.dir.path()]) else {
        eprintln!("skipped: chattr +i is not available on this file system");
        return;
    };
    assert_eq!(requirement_count(&db.path), 40, "list works");
    ok(&db.path, &["show", "SHOP-1"]);
    ok(&db.path, &["projects"]);
    ok(&db.path, &["export", "--format", "csv", "-o", "-"]);
    let err = fails(&db.path, &["add", "One more"]);
    assert!(err.contains("is read-only") && err.contains("nothing was written"), "{err}");
    drop(_guard);
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
}

#[test]
fn a_failed_upgrade_leaves_the_file_as_it_was_and_no_pile_of_copies() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "OLD", "--name", "Old"]);
    // A file that says schema v2 but already has v3's index: the upgrade to v3 cannot succeed.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute_batch("DROP TABLE setting; PRAGMA user_version = 2;").unwrap();
    drop(conn);
    let before = std::fs::read(&db.path).unwrap();
    for _ in 0..3 {
        let err = fails(&db.path, &["add", "x"]);
        let upgrade = format!("v2 to v{}", elicit::store::SCHEMA_VERSION);
        assert!(err.contains("cannot upgrade") && err.contains(&upgrade) && err.contains("left as it was"), "{err}");
        assert!(err.contains("hint:"), "says what to do: {err}");
    }
    let copies: Vec<String> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".bak-v"))
        .collect();
    assert!(copies.is_empty(), "a failed attempt keeps no copy: {copies:?}");
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
}

#[test]
fn a_printed_time_entry_id_stays_valid_after_more_entries() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "TIM", "--name", "Time"]);
    let first = ok(&db.path, &["time", "log", "design", "30m"]);
    let id = first.split("(id ").nth(1).unwrap().trim_end().trim_end_matches(')').to_owned();
    for _ in 0..5 {
        ok(&db.path, &["time", "log", "build", "15m"]);
    }
    let out = ok(&db.path, &["time", "delete", &id]);
    assert!(out.contains("deleted design"), "{out}");
}

#[test]
fn backup_while_another_process_writes_is_sound_and_restore_brings_it_back() {
    let db = demo();
    // A writer adding requirements while the backup runs.
    let writer_db = db.path.clone();
    let writer = std::thread::spawn(move || {
        for i in 0..15 {
            ok(&writer_db, &["add", &format!("Added during the backup {i}")]);
        }
    });
    let copy = db.dir.path().join("copy.db");
    let out = ok(&db.path, &["backup", copy.to_str().unwrap()]);
    writer.join().unwrap();
    assert!(out.contains("integrity check passed"), "{out}");
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let in_copy: i64 = conn.query_row("SELECT count(*) FROM requirement", [], |r| r.get(0)).unwrap();
    drop(conn);
    assert!((40..=55).contains(&in_copy), "{in_copy}");
    assert!(out.contains(&format!("{in_copy} requirements")), "{out}");

    // Lose some work, then restore the copy.
    ok(&db.path, &["delete", "SHOP-1"]);
    let out = ok(&db.path, &["restore", copy.to_str().unwrap()]);
    assert!(out.contains("restored") && out.contains("kept in"), "{out}");
    assert_eq!(requirement_count(&db.path) as i64, in_copy);
    let kept: Vec<PathBuf> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced content is kept");
}

#[test]
fn restore_refuses_what_is_not_a_sound_elicit_database() {
    let db = demo();
    let before = requirement_count(&db.path);
    let dir = db.dir.path();
    type Make = Box<dyn Fn(&Path)>;
    let cases: Vec<(&str, PathBuf, Make)> = vec![
        ("not sqlite", dir.join("notes.txt"), Box::new(|p| std::fs::write(p, "hello").unwrap())),
        ("empty", dir.join("empty.db"), Box::new(|p| std::fs::write(p, "").unwrap())),
        (
            "another program's database",
            dir.join("other.db"),
            Box::new(|p| rusqlite::Connection::open(p).unwrap().execute_batch("CREATE TABLE t (x);").unwrap()),
        ),
        (
            "a newer elicit",
            dir.join("newer.db"),
            Box::new(|p| {
                rusqlite::Connection::open(p)
                    .unwrap()
                    .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 99;")
                    .unwrap()
            }),
        ),
        (
            "a JSON backup",
            dir.join("b.json"),
            Box::new(|p| std::fs::write(p, "{\"format\": \"elicit-backup\"}").unwrap()),
        ),
        ("the database itself", db.path.clone(), Box::new(|_| {})),
        ("missing", dir.join("missing.db"), Box::new(|_| {})),
    ];
    for (what, path, make) in cases {
        make(&path);
        let err = fails(&db.path, &["restore", path.to_str().unwrap()]);
        assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{what}: {err}");
        assert_eq!(requirement_count(&db.path), before, "{what}: nothing changed");
    }
}

#[test]
fn a_copy_a_day_is_kept_beside_the_database_the_last_seven_and_it_can_be_turned_off() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "DAY", "--name", "Days"]);
    let folder = with_suffix(&db.path, ".daily");
    let today = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    assert!(folder.join(format!("{today}.db")).is_file(), "today's copy");
    // Older copies from earlier days: only the newest seven are kept.
    std::fs::remove_file(folder.join(format!("{today}.db"))).unwrap();
    for day in 1..=9 {
        std::fs::write(folder.join(format!("2020-01-0{day}.db")), b"old").unwrap();
    }
    ok(&db.path, &["add", "One"]);
    let mut names: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    assert_eq!(names.last().unwrap(), &format!("{today}.db"));
    assert_eq!(names[0], "2020-01-04.db", "the oldest went first");
    // The copy is a sound database holding what the file held.
    let conn = rusqlite::Connection::open(folder.join(format!("{today}.db"))).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM project", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
    drop(conn);
    // Turned off, none is made.
    ok(&db.path, &["settings", "daily-backups", "off"]);
    std::fs::remove_dir_all(&folder).unwrap();
    ok(&db.path, &["add", "Two"]);
    assert!(!folder.exists());
    assert!(ok(&db.path, &["settings"]).contains("daily-backups  off"));
}

#[test]
fn stored_escape_sequences_never_reach_a_terminal_through_list_or_export() {
    // The binary filters what it prints when standard output is a terminal; the pty tests drive that.
    let db = demo();
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE journey_stage SET name = 'Disc\u{1b}]0;PWNED\u{7}over\u{202e}' WHERE position = (SELECT min(position) FROM journey_stage)",
        [],
    )
    .unwrap();
    drop(conn);
    for args in [&["list", "--format", "csv"][..], &["export", "--format", "csv"], &["export", "--format", "html"]] {
        let bytes = crate::e2e::run_in_terminal(&db.path, args);
        assert!(!bytes.contains(&0x1b) && !bytes.contains(&0x07), "{args:?} printed a control character");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("]0;PWNED\u{7}") && !text.contains('\u{202e}'), "{args:?}");
        assert!(text.contains("]0;PWNEDover"), "{args:?}: the visible text stays");
    }
}

#[test]
fn a_one_key_edit_never_overwrites_a_change_the_workbench_has_not_shown() {
    use elicit::tui::action::Action;
    use elicit::tui::app::App;
    use elicit::tui::theme::Theme;
    let db = demo();
    let mut app = App::new(elicit::store::Store::open(&db.path).unwrap(), None, Theme { color: false }).unwrap();
    let d = app.session.data.as_ref().unwrap();
    let shop3 = d.rows.iter().find(|r| r.seq == 3).unwrap().clone();
    app.show_requirement(shop3.id);
    // Another process approves SHOP-3 and rewrites its statement; the workbench has not polled yet.
    ok(&db.path, &["edit", "SHOP-3", "--status", "verified", "--statement", "Theirs"]);
    app.update(Action::CycleStatus);
    let status = app.status.current.clone().unwrap();
    assert!(status.error && status.text.contains("changed by someone else"), "{status:?}");
    let v: serde_json::Value = serde_json::from_str(&ok(&db.path, &["show", "SHOP-3", "--format", "json"])).unwrap();
    assert_eq!((v["status"].as_str(), v["statement"].as_str()), (Some("verified"), Some("Theirs")));
    // The screen now shows their change, so the next press applies to what the analyst sees.
    let shown = app.session.data.as_ref().unwrap().rows.iter().find(|r| r.seq == 3).unwrap().status;
    assert_eq!(shown, elicit::domain::Status::Verified);
    app.update(Action::CycleStatus);
    let v: serde_json::Value = serde_json::from_str(&ok(&db.path, &["show", "SHOP-3", "--format", "json"])).unwrap();
    assert_eq!(v["status"].as_str(), Some(elicit::domain::Status::Verified.next().to_string().as_str()));
    assert_eq!(v["statement"].as_str(), Some("Theirs"), "only the field pressed for changes");
}

mod edit_form_against_another_writer {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use elicit::tui::action::Action;
    use elicit::tui::app::App;
    use elicit::tui::conflict::Conflict;
    use elicit::tui::form::Field;
    use elicit::tui::forms::FormView;
    use elicit::tui::message::FieldId;
    use elicit::tui::overlays::Confirm;
    use elicit::tui::theme::Theme;

    use super::*;

    fn ctrl_s() -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
    }

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    /// A workbench with SHOP-3's edit form open.
    fn editing_shop3(db: &TempDb) -> App {
        let mut app = App::new(elicit::store::Store::open(&db.path).unwrap(), None, Theme { color: false }).unwrap();
        let id = app.session.data.as_ref().unwrap().rows.iter().find(|r| r.seq == 3).unwrap().id;
        app.show_requirement(id);
        app.update(Action::Edit);
        assert!(app.top::<FormView>().is_some(), "the edit form is open");
        app
    }

    fn set_field(app: &mut App, name: FieldId, label: &'static str, value: &str, multi: bool) {
        let Some(FormView { form, .. }) = app.top_mut::<FormView>() else { panic!("form") };
        *form.field_mut(name).unwrap() =
            if multi { Field::text(name, label, value) } else { Field::line(name, label, value) };
        form.dirty = true;
    }

    fn shop3(db: &TempDb) -> serde_json::Value {
        serde_json::from_str(&ok(&db.path, &["show", "SHOP-3", "--format", "json"])).unwrap()
    }

    #[test]
    fn fields_changed_on_one_side_only_merge_silently() {
        let db = demo();
        let mut app = editing_shop3(&db);
        ok(&db.path, &["edit", "SHOP-3", "--status", "approved", "--statement", "Theirs"]);
        set_field(&mut app, FieldId::Title, "Title", "Mine", false);
        app.handle_event(ctrl_s());
        assert!(app.overlays.is_empty(), "saved without asking");
        let v = shop3(&db);
        assert_eq!(
            (v["title"].as_str(), v["status"].as_str(), v["statement"].as_str()),
            (Some("Mine"), Some("approved"), Some("Theirs"))
        );
        assert!(app.status.current.clone().unwrap().text.contains("saved elsewhere"), "it says it merged");
    }

    #[test]
    fn a_field_changed_on_both_sides_asks_and_writes_nothing_until_chosen() {
        let db = demo();
        let mut app = editing_shop3(&db);
        ok(&db.path, &["edit", "SHOP-3", "--status", "approved", "--statement", "Theirs"]);
        set_field(&mut app, FieldId::Title, "Title", "Mine", false);
        set_field(&mut app, FieldId::Statement, "Statement", "Mine too", true);
        app.handle_event(ctrl_s());
        assert!(app.top::<Conflict>().is_some(), "the conflict view opens");
        let before = shop3(&db);
        assert_eq!(before["statement"], "Theirs", "nothing written yet");
        assert_ne!(before["title"], "Mine", "nothing written yet");
        // Esc goes back to the form, as typed.
        app.handle_event(key(KeyCode::Esc));
        assert!(app.top::<FormView>().is_some());
        assert_eq!(shop3(&db)["statement"], "Theirs");
        // Again, keep mine for the statement.
        app.handle_event(ctrl_s());
        app.handle_event(key(KeyCode::Right));
        app.handle_event(ctrl_s());
        assert!(app.overlays.is_empty(), "saved and closed");
        let v = shop3(&db);
        assert_eq!(
            (v["title"].as_str(), v["status"].as_str(), v["statement"].as_str()),
            (Some("Mine"), Some("approved"), Some("Mine too"))
        );
    }

    #[test]
    fn keeping_theirs_keeps_their_words() {
        let db = demo();
        let mut app = editing_shop3(&db);
        ok(&db.path, &["edit", "SHOP-3", "--statement", "Theirs"]);
        set_field(&mut app, FieldId::Statement, "Statement", "Mine", true);
        app.handle_event(ctrl_s());
        app.handle_event(key(KeyCode::Left));
        app.handle_event(ctrl_s());
        assert!(app.overlays.is_empty());
        assert_eq!(shop3(&db)["statement"], "Theirs");
    }

    #[test]
    fn a_save_from_the_conflict_view_that_meets_a_busy_file_keeps_the_view_and_the_form() {
        let db = demo();
        let mut app = editing_shop3(&db);
        ok(&db.path, &["edit", "SHOP-3", "--statement", "Theirs"]);
        set_field(&mut app, FieldId::Statement, "Statement", "Mine", true);
        app.handle_event(ctrl_s());
        let other = rusqlite::Connection::open(&db.path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        app.handle_event(key(KeyCode::Right));
        app.handle_event(ctrl_s());
        assert!(app.top::<Conflict>().is_some(), "still choosing");
        assert!(app.status.current.clone().unwrap().text.contains("busy"));
        other.execute_batch("ROLLBACK").unwrap();
        app.handle_event(ctrl_s());
        assert!(app.overlays.is_empty());
        assert_eq!(shop3(&db)["statement"], "Mine");
    }

    #[test]
    fn a_draft_reopened_after_a_crash_merges_against_the_version_it_started_from() {
        let db = demo();
        let mut app = editing_shop3(&db);
        set_field(&mut app, FieldId::Title, "Title", "Mine, typed before the crash", false);
        app.autosave_draft();
        drop(app);
        ok(&db.path, &["edit", "SHOP-3", "--statement", "Theirs, saved while the workbench was down"]);
        let mut app = App::new(elicit::store::Store::open(&db.path).unwrap(), None, Theme { color: false }).unwrap();
        assert!(app.top::<Confirm>().is_some(), "the draft is offered back");
        app.update(Action::Confirm);
        app.handle_event(ctrl_s());
        assert!(app.overlays.is_empty(), "one side each: merged");
        let v = shop3(&db);
        assert_eq!(
            (v["title"].as_str(), v["statement"].as_str()),
            (Some("Mine, typed before the crash"), Some("Theirs, saved while the workbench was down"))
        );
    }

    #[test]
    fn two_workbenches_never_undo_each_other() {
        let db = demo();
        let mut first = editing_shop3(&db);
        let mut second = editing_shop3(&db);
        set_field(&mut first, FieldId::Title, "Title", "From the first", false);
        first.handle_event(ctrl_s());
        assert!(first.overlays.is_empty());
        set_field(&mut second, FieldId::Rationale, "Rationale", "From the second", true);
        second.handle_event(ctrl_s());
        assert!(second.overlays.is_empty(), "different fields merge");
        let v = shop3(&db);
        assert_eq!((v["title"].as_str(), v["rationale"].as_str()), (Some("From the first"), Some("From the second")));
    }
}

#[test]
fn a_write_held_elsewhere_never_freezes_the_workbench() {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use elicit::tui::action::Action;
    use elicit::tui::app::App;
    use elicit::tui::theme::Theme;
    let db = demo();
    let mut app = App::new(elicit::store::Store::open(&db.path).unwrap(), None, Theme { color: false }).unwrap();
    // Another process takes the write lock and keeps it (a long import does).
    let other = rusqlite::Connection::open(&db.path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let selected = app.selected_requirement().unwrap();
    let before = app.session.store.requirement(selected).unwrap().status;
    app.update(Action::CycleStatus);
    let status = app.status.current.clone().unwrap();
    assert!(!status.error && status.text.contains("Waiting for the database"), "{status:?}");
    assert!(app.session.is_waiting(), "the change waits for the file");
    // Typing in a form goes on; its autosave waits for the lock instead of stalling the keys.
    app.update(Action::New);
    for c in "Typed while another writer held the file".chars() {
        app.handle_event(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        app.tick();
    }
    app.autosave_draft();
    // 40 keys and ticks, each a moment: the keys never wait for the lock.
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "took {:?}", started.elapsed());
    assert!(app.status.current.clone().unwrap().text.contains("Waiting for the database"));
    let project = app.session.data.as_ref().unwrap().project.id;
    other.execute_batch("ROLLBACK").unwrap();
    app.retry_waiting(true);
    assert!(!app.session.is_waiting(), "written once the file was free");
    assert_eq!(
        app.session.store.requirement(selected).unwrap().status,
        before.next(),
        "the one requirement pressed on"
    );
    app.autosave_draft();
    let draft = app
        .session
        .store
        .draft(project, elicit::tui::forms::DRAFT_FORM)
        .unwrap()
        .expect("saved once the lock was free");
    assert!(draft.payload.to_string().contains("Typed while another writer held the file"));
}

#[test]
fn the_workbench_backs_up_the_whole_database_beside_it() {
    use elicit::tui::action::Action;
    use elicit::tui::app::App;
    use elicit::tui::overlays::Confirm;
    use elicit::tui::theme::Theme;
    let db = demo();
    let mut app = App::new(elicit::store::Store::open(&db.path).unwrap(), None, Theme { color: false }).unwrap();
    app.update(Action::Backup);
    let Some(Confirm { message, .. }) = app.top::<Confirm>() else { panic!("it asks first") };
    assert!(message.contains("elicit-backup-"), "{message}");
    app.update(Action::Confirm);
    app.wait_for(elicit::tui::session::Session::writing);
    let status = app.status.current.clone().unwrap();
    assert!(
        !status.error && status.text.contains("Backed up to") && status.text.contains("40 requirements"),
        "{status:?}"
    );
    let copy = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("elicit-backup-"))
        .expect("the copy");
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM requirement", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 40);
}

#[test]
fn an_undo_or_a_delete_elsewhere_is_a_new_version_too() {
    let db = demo();
    let version = |db: &Path| -> i64 {
        let v: serde_json::Value = serde_json::from_str(&ok(db, &["show", "SHOP-5", "--format", "json"])).unwrap();
        v["version"].as_i64().unwrap()
    };
    ok(&db.path, &["edit", "SHOP-5", "--priority", "wont"]);
    let seen = version(&db.path);
    ok(&db.path, &["undo"]);
    assert_eq!(version(&db.path), seen + 1, "undoing the edit makes a new version");
    let err = fails(&db.path, &["edit", "SHOP-5", "--status", "approved", "--if-version", &seen.to_string()]);
    assert!(err.contains("changed by someone else"), "{err}");
    // One action raises the version once, however many fields it changes.
    let before = version(&db.path);
    ok(&db.path, &["edit", "SHOP-5", "--status", "approved", "--priority", "could", "--tag", "a", "--tag", "b"]);
    assert_eq!(version(&db.path), before + 1);
}
