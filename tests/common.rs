//! Shared helpers: temporary databases and running the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder holding one database path; removed when dropped.
pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TempDb {
    pub fn new() -> TempDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("elicit.db");
        TempDb { dir, path }
    }
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// The `elicit` binary with a clean environment pointing at `db`. Times show in UTC (`TZ=UTC`), so what
/// the tests read does not depend on the machine's zone; a test of the zone sets `TZ` itself.
pub fn elicit_cmd(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_elicit"));
    cmd.env_remove("ELICIT_DB").env_remove("ELICIT_UTC").env("TZ", "UTC").env("NO_COLOR", "1").arg("--db").arg(db);
    cmd
}

/// Runs `elicit --db DB ARGS...`.
pub fn elicit(db: &Path, args: &[&str]) -> Run {
    elicit_cmd(db).args(args).output().expect("run elicit").into()
}

/// Runs and asserts exit code 0, returning stdout.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let run = elicit(db, args);
    assert_eq!(run.code, 0, "elicit {args:?} failed\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
    run.stdout
}

/// Waits until `ready` holds, checking every 20 ms for at most 10 s; then the test fails, naming `what`.
/// For what happens in its own time (an autosave, another process's change), instead of a fixed sleep.
pub fn eventually(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !ready() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Whether a draft (an unsaved form or capture line) holding `text` is in the database at `db`.
pub fn draft_holds(db: &Path, text: &str) -> bool {
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return false;
    };
    let found: rusqlite::Result<i64> =
        conn.query_row("SELECT count(*) FROM draft WHERE instr(payload, ?1) > 0", [text], |r| r.get(0));
    found.is_ok_and(|n| n > 0)
}
