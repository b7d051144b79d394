//! End to end: the real binary in a pseudo terminal, keys in, screen text out (vt100).

use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::common::*;

pub(crate) struct Session {
    parser: vt100::Parser,
    bytes: Vec<u8>,
    rx: Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    pub(crate) child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    pub(crate) fn start(db: &std::path::Path, rows: u16, cols: u16) -> Session {
        Session::start_with(db, rows, cols, &[])
    }

    /// As [`Session::start`], with these environment variables set.
    pub(crate) fn start_with(db: &std::path::Path, rows: u16, cols: u16, envs: &[(&str, &str)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("open a pseudo terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_elicit"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env("TZ", "UTC");
        cmd.env_remove("ELICIT_UTC");
        cmd.env_remove("ELICIT_DB");
        // The user's own keymap never changes what the tests press.
        cmd.env("ELICIT_KEYS", db.with_extension("no-keys.toml"));
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn elicit");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        // The master must outlive the child; leak it into the reader's lifetime by keeping it here.
        std::mem::forget(pair.master);
        Session {
            parser: vt100::Parser::new(
                std::num::NonZero::new(rows).expect("rows"),
                std::num::NonZero::new(cols).expect("cols"),
                0,
            ),
            bytes: Vec::new(),
            rx,
            writer,
            child,
        }
    }

    pub(crate) fn pump(&mut self, wait: Duration) {
        if let Ok(chunk) = self.rx.recv_timeout(wait) {
            self.parser.process(&chunk);
            self.bytes.extend_from_slice(&chunk);
        }
        while let Ok(chunk) = self.rx.try_recv() {
            self.parser.process(&chunk);
            self.bytes.extend_from_slice(&chunk);
        }
    }

    pub(crate) fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    pub(crate) fn wait_for(&mut self, text: &str) {
        self.wait_until_said(&format!("{text:?}"), |screen| screen.contains(text));
    }

    /// Reads the terminal until `ready` holds for the screen (at most 15 s; then the test fails).
    pub(crate) fn wait_until(&mut self, ready: impl Fn(&str) -> bool) {
        self.wait_until_said("the screen to change", ready);
    }

    fn wait_until_said(&mut self, what: &str, ready: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            self.pump(Duration::from_millis(50));
            if ready(&self.screen()) {
                return;
            }
        }
        panic!("timed out waiting for {what}; screen:\n{}", self.screen());
    }

    pub(crate) fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush");
        // Let a lone Esc be read as Esc, not as the start of a sequence.
        std::thread::sleep(Duration::from_millis(120));
        self.pump(Duration::from_millis(30));
    }

    pub(crate) fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            self.pump(Duration::from_millis(50));
            if let Ok(Some(status)) = self.child.try_wait() {
                self.pump(Duration::from_millis(100));
                return status.exit_code();
            }
        }
        let _ = self.child.kill();
        panic!("elicit did not exit; screen:\n{}", self.screen());
    }
}

/// A test that fails half-way must not leave a workbench running behind it.
impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `elicit --db DB ARGS` with a pseudo terminal as its standard output and returns every byte it
/// printed there.
pub(crate) fn run_in_terminal(db: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let (status, bytes) = status_in_terminal(db, args);
    assert_eq!(status, 0, "elicit {args:?} failed: {}", String::from_utf8_lossy(&bytes));
    bytes
}

/// As [`run_in_terminal`], also when it fails: its exit code and every byte it printed (stdout and stderr
/// both go to the terminal).
pub(crate) fn status_in_terminal(db: &std::path::Path, args: &[&str]) -> (u32, Vec<u8>) {
    let pair = native_pty_system()
        .openpty(PtySize { rows: 50, cols: 200, pixel_width: 0, pixel_height: 0 })
        .expect("open a pseudo terminal");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_elicit"));
    cmd.arg("--db");
    cmd.arg(db);
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env("TZ", "UTC");
    cmd.env_remove("ELICIT_UTC");
    cmd.env_remove("ELICIT_DB");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn elicit");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        let _ = tx.send(all);
    });
    let status = child.wait().expect("wait for elicit");
    drop(pair.master);
    (status.exit_code(), rx.recv_timeout(Duration::from_secs(10)).expect("output"))
}

const TAB: &str = "\t";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_S: &str = "\x13";

#[test]
fn a_new_user_creates_a_project_captures_edits_filters_deletes_and_undoes() {
    let db = TempDb::new();
    let mut s = Session::start(&db.path, 30, 100);
    // A --db path with no file behind it may be a typo: the workbench asks before creating one.
    s.wait_for("Create a new one there and open the workbench? [y/N]");
    s.send("y\r");
    s.wait_for("create your first project");
    s.send("web");
    s.send(TAB);
    s.send("Web shop");
    s.send(CTRL_S);
    s.wait_for("Created project WEB");
    for title in ["Pay with a saved card", "Track my parcel", "Return without a printer"] {
        s.send("n");
        s.wait_for("New requirement");
        s.send(title);
        s.send(CTRL_S);
        s.wait_for("Added WEB-");
        s.wait_for(title);
    }
    s.wait_for("3 of 3");
    // The newest (WEB-3) is selected: edit its title.
    s.send("e");
    s.wait_for("Edit WEB-3");
    s.send(" at the locker");
    s.send(CTRL_S);
    s.wait_for("Saved WEB-3");
    s.wait_for("Return without a printer at the locker");
    // Filter, then clear it.
    s.send("/");
    s.send("parcel");
    s.wait_for("1 of 3");
    s.send(ENTER);
    s.send(ESC);
    s.wait_for("3 of 3");
    // Delete the first and undo.
    s.send("g");
    s.send("d");
    s.wait_for("Delete WEB-1");
    s.send("y");
    s.wait_for("2 of 2");
    s.send("u");
    s.wait_for("3 of 3");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    let raw = String::from_utf8_lossy(&s.bytes);
    assert!(raw.contains("\x1b[?1049l"), "left the alternate screen");
    assert!(raw.contains("\x1b[?25h"), "showed the cursor again");

    let json: serde_json::Value = serde_json::from_str(&ok(&db.path, &["list", "--format", "json"])).unwrap();
    let titles: Vec<&str> = json.as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Pay with a saved card", "Track my parcel", "Return without a printer at the locker"]);
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_half_typed_text() {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let mut s = Session::start(&db.path, 30, 100);
    s.wait_for("SHOP");
    s.send("3");
    s.send("n");
    s.wait_for("New requirement");
    s.send("Half a thought");
    eventually("the form to be autosaved", || draft_holds(&db.path, "Half a thought"));
    let pid = s.child.process_id().expect("pid");
    let status = std::process::Command::new("kill").arg("-TERM").arg(pid.to_string()).status().unwrap();
    assert!(status.success());
    assert_eq!(s.exit_code(), 0);
    let raw = String::from_utf8_lossy(&s.bytes);
    assert!(raw.contains("\x1b[?1049l"), "left the alternate screen");

    let mut s = Session::start(&db.path, 30, 100);
    s.wait_for("unsaved requirement");
    s.send("y");
    s.wait_for("Half a thought");
    s.send(CTRL_S);
    s.wait_for("Added SHOP-41");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn kill_9_mid_typing_loses_nothing_saved_and_offers_the_half_line_back() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "KIL", "--name", "Crash test"]);
    let mut s = Session::start(&db.path, 30, 100);
    s.wait_for("KIL");
    for t in ["One", "Two"] {
        s.send("n");
        s.wait_for("New requirement");
        s.send(t);
        s.send(CTRL_S);
        s.wait_for("Added KIL-");
    }
    s.send("n");
    s.wait_for("New requirement");
    s.send("Three, half");
    eventually("the form to be autosaved", || draft_holds(&db.path, "Three, half"));
    s.child.kill().expect("kill -9");
    let _ = s.child.wait();
    let out = ok(&db.path, &["list", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    let mut s = Session::start(&db.path, 30, 100);
    s.wait_for("unsaved requirement");
    s.send("y");
    s.wait_for("Three, half");
    s.send(ESC);
    s.send("y");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn closing_the_terminal_ends_the_workbench() {
    // A closed window or a killed tmux session: every master side of the pseudo terminal goes away, the
    // workbench gets SIGHUP and its terminal reads as end-of-file. It must exit, not spin.
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let pair = native_pty_system()
        .openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 })
        .expect("open a pseudo terminal");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_elicit"));
    cmd.arg("--db");
    cmd.arg(&db.path);
    cmd.env("TERM", "xterm-256color");
    cmd.env("TZ", "UTC");
    cmd.env_remove("ELICIT_UTC");
    cmd.env_remove("ELICIT_DB");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn elicit");
    drop(pair.slave);
    // Read on this thread (no reader thread holding a copy of the master) until the first screen is up.
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut seen = Vec::new();
    let mut buf = [0u8; 8192];
    while !String::from_utf8_lossy(&seen).contains("SHOP") {
        let n = reader.read(&mut buf).expect("read the first screen");
        assert!(n > 0, "elicit closed the terminal before drawing");
        seen.extend_from_slice(&buf[..n]);
    }
    drop(reader);
    drop(pair.master);
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if child.try_wait().expect("wait").is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("elicit kept running after its terminal closed");
}

#[test]
fn the_workbench_creates_nothing_at_a_mistyped_path_unless_asked_to() {
    let db = TempDb::new();
    let mut s = Session::start(&db.path, 30, 100);
    s.wait_for("There is no database at");
    s.send("n\r");
    s.wait_for("Nothing was created");
    assert_eq!(s.exit_code(), 0);
    assert!(!db.path.exists(), "no database was made at {}", db.path.display());
}

fn shown(db: &std::path::Path, id: &str) -> serde_json::Value {
    serde_json::from_str(&ok(db, &["show", id, "--format", "json"])).unwrap()
}

/// Opens SHOP-3's edit form in a workbench on the demo database.
fn edit_shop3(db: &std::path::Path) -> Session {
    let mut s = Session::start(db, 30, 110);
    s.wait_for("Requirements");
    s.send("3");
    s.wait_for("SHOP-1");
    s.send("jj");
    s.wait_for("SHOP-3 ");
    s.send("e");
    s.wait_for("Edit SHOP-3");
    s
}

#[test]
fn the_edit_form_keeps_what_another_terminal_saved_meanwhile() {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let mut s = edit_shop3(&db.path);
    s.send(" by phone");
    ok(&db.path, &["edit", "SHOP-3", "--status", "approved", "--statement", "Theirs"]);
    s.send(CTRL_S);
    s.wait_for("Saved SHOP-3");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    let v = shown(&db.path, "SHOP-3");
    assert!(v["title"].as_str().unwrap().ends_with(" by phone"), "{v}");
    assert_eq!((v["status"].as_str(), v["statement"].as_str()), (Some("approved"), Some("Theirs")));
}

#[test]
fn two_workbenches_editing_one_field_ask_before_either_overwrites() {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let mut first = edit_shop3(&db.path);
    let mut second = edit_shop3(&db.path);
    first.send(" (first)");
    first.send(CTRL_S);
    first.wait_for("Saved SHOP-3");
    second.send(" (second)");
    second.send(CTRL_S);
    second.wait_for("changed while you edited it");
    assert!(shown(&db.path, "SHOP-3")["title"].as_str().unwrap().ends_with(" (first)"), "nothing written yet");
    second.send("\x1b[C"); // Right: keep mine.
    second.send(CTRL_S);
    second.wait_for("Saved SHOP-3");
    for s in [&mut first, &mut second] {
        s.send("q");
        assert_eq!(s.exit_code(), 0);
    }
    assert!(shown(&db.path, "SHOP-3")["title"].as_str().unwrap().ends_with(" (second)"));
}

#[test]
fn a_keymap_file_rebinds_keys_and_help_and_hints_follow() {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let keys = db.dir.path().join("keys.toml");
    std::fs::write(&keys, "[requirements]\nnew = \"a\"\n[global]\nhelp = \"F1\"\n").unwrap();
    let mut s = Session::start_with(&db.path, 30, 120, &[("ELICIT_KEYS", keys.to_str().unwrap())]);
    s.wait_for("SHOP-1");
    // The footer hints follow the file.
    s.wait_for("F1 help");
    s.wait_for("a new");
    s.send("n");
    s.send("a");
    s.wait_for("New requirement");
    s.send(ESC);
    s.wait_until(|screen| !screen.contains("New requirement"));
    s.send("\x1bOP");
    s.wait_for("Keys (");
    // Help lists the Requirements keys first: `a` is "new" now, and `n` is nothing.
    let screen = s.screen();
    let new_line = screen.lines().find(|l| l.contains(" new ") || l.trim_end().ends_with(" new")).unwrap_or_default();
    assert!(new_line.contains(" a "), "help shows the user's key: {screen}");
    s.send(ESC);
    s.send("q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn a_keymap_file_with_a_mistake_is_refused_before_the_workbench_opens() {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    let keys = db.dir.path().join("keys.toml");
    std::fs::write(&keys, "[requirements]\nnw = \"a\"\n").unwrap();
    let mut s = Session::start_with(&db.path, 30, 120, &[("ELICIT_KEYS", keys.to_str().unwrap())]);
    s.wait_for("has no action \"nw\"; its actions are");
    assert_eq!(s.exit_code(), 1);
    assert!(!s.screen().contains("SHOP-1"), "the workbench never opened");
}
