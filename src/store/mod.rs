//! The SQLite store: opening and migrating the file, one transaction per user action, and every query.
//!
//! Front ends never write SQL; they call the methods here. Every mutation goes through [`Store::write`]
//! (or, for bulk imports, `Store::write_bulk`), which opens an immediate transaction, hands out a [`Tx`]
//! that records each changed field in `change_log` (for history and undo), and commits only if the whole
//! action succeeded.

mod backup;
mod batch;
mod capture;
mod columns;
mod draft;
mod error;
mod history;
mod interchange;
mod interview;
mod journey;
mod lint;
mod lookup;
mod migrate;
mod outcome;
mod project;
mod requirement;
mod signoff;
mod sql;
mod stakeholder;
mod summary;
mod time;
mod timesheet;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};

use crate::domain::*;

/// How long a write waits for another process's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub use backup::{CopySummary, DAILY_COPIES, DAILY_SETTING, daily_folder};
pub use batch::{BulkEdit, BulkEdited};
pub use capture::{note_lines, split_note};
pub use error::{Result, StoreError};
pub use history::UndoneAction;
pub use interchange::{
    ChangeRecord, ConfirmationRecord, DraftRecord, InterviewRecord, OutcomeRecord, ProjectRecord, RequirementRecord,
    RestoreCounts, StageRecord, StakeholderRecord, TimeEntryRecord,
};
pub use interview::NewInterview;
pub use migrate::SCHEMA_VERSION;
pub use outcome::OutcomeFields;
pub use project::{NewProject, ProjectPatch};
pub use requirement::RequirementFilter;
pub use signoff::NewConfirmation;
pub use sql::Ts;
pub use stakeholder::StakeholderFields;
pub use time::NewTimeEntry;
pub use timesheet::TimeEntryPatch;

/// Where the current time comes from: the system clock, or a fixed instant for tests and snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The real time.
    System,
    /// Always this instant.
    Fixed(Timestamp),
}

impl Clock {
    /// The current time by this clock.
    pub fn now(self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => t,
        }
    }
}

/// An open elicit database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    clock: Clock,
    actor: String,
    /// Opened for reading only: by choice (a command that only reads) or because the file, its folder or
    /// the disk does not allow writing.
    read_only: bool,
    /// Today's daily copy, being written on its own thread and connection; waited for when the store closes.
    daily: Option<std::thread::JoinHandle<()>>,
    /// How long a write waits for another process's write to end.
    busy_timeout: Duration,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(copy) = self.daily.take() {
            let _ = copy.join();
        }
    }
}

impl Store {
    /// Opens (creating if needed, with parent folders, readable by the owner only) and migrates the
    /// database at `path`, for reading and writing; starts today's daily copy if one is due.
    ///
    /// A file that is not SQLite, or whose schema is newer than this build knows, is refused and left
    /// byte-for-byte untouched; so is a file that cannot be written (with [`StoreError::ReadOnly`]).
    pub fn open(path: &Path) -> Result<Store> {
        let mut store = Store::open_file(path, false)?;
        store.daily = store.start_daily_copy();
        Ok(store)
    }

    /// Opens the existing database at `path` for a command that only reads: never creates anything (a
    /// missing file is [`StoreError::NoDatabase`]) and never writes, so a read-only file, folder or disk
    /// can be read. A file from an older elicit is upgraded first where it can be written.
    pub fn open_to_read(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::NoDatabase { path: path.to_path_buf() });
        }
        let store = Store::open_file(path, true)?;
        if migrate::user_version(&store.conn)? < migrate::SCHEMA_VERSION {
            drop(store);
            return Store::open_file(path, false).map_err(|e| match e {
                StoreError::ReadOnly { .. } => StoreError::Conflict(format!(
                    "{} is read-only and was written by an older elicit; copy it to a folder you can write to \
                     so elicit can upgrade the copy",
                    path.display()
                )),
                other => other,
            });
        }
        Ok(store)
    }

    fn open_file(path: &Path, read_only: bool) -> Result<Store> {
        if path.exists() {
            migrate::check_sqlite_header(path)?;
        } else {
            create_private(path)?;
        }
        let conn = if read_only { open_read_only(path)? } else { open_read_write(path)? };
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Read the version before any pragma that writes to the file, so a refused file stays untouched.
        let version = migrate::user_version(&conn).map_err(|e| open_error(path, e))?;
        migrate::check_openable(&conn, path, version)?;
        let mut store = Store {
            conn,
            path: Some(path.to_path_buf()),
            clock: Clock::System,
            actor: actor(),
            read_only,
            daily: None,
            busy_timeout: BUSY_TIMEOUT,
        };
        store.configure()?;
        if !read_only {
            migrate::migrate(&mut store.conn, Some(path), version)?;
        }
        Ok(store)
    }

    /// An in-memory database, migrated; for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let version = migrate::user_version(&conn)?;
        migrate::migrate(&mut conn, None, version)?;
        Ok(Store {
            conn,
            path: None,
            clock: Clock::System,
            actor: actor(),
            read_only: false,
            daily: None,
            busy_timeout: BUSY_TIMEOUT,
        })
    }

    /// Names who the change log records as making the changes from here on.
    pub fn set_actor(&mut self, actor: &str) {
        self.actor = clean_line(actor);
    }

    /// Sets how long a write waits for another process's write to end before it fails with
    /// [`StoreError::Busy`]: the workbench waits only a moment, so a lock held elsewhere never freezes it.
    pub fn set_busy_timeout(&mut self, wait: Duration) -> Result<()> {
        self.conn.busy_timeout(wait)?;
        self.busy_timeout = wait;
        Ok(())
    }

    /// Whether this store was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Starts writing today's daily copy on its own thread and read-only connection, if one is due.
    fn start_daily_copy(&self) -> Option<std::thread::JoinHandle<()>> {
        let path = self.path.clone()?;
        if !self.daily_copy_due().is_ok_and(|due| due.is_some()) {
            return None;
        }
        let clock = self.clock;
        std::thread::Builder::new()
            .name("daily copy".into())
            .spawn(move || {
                // A failed daily copy must not fail the user's command; the next open tries again.
                if let Ok(mut store) = Store::open_file(&path, true) {
                    store.clock = clock;
                    let _ = store.keep_daily_copy();
                }
            })
            .ok()
    }

    /// The value of a setting of this database, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// Sets a setting of this database.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(None, |tx| {
            tx.conn().execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
                params![key, value],
            )?;
            Ok(())
        })
    }

    /// Limits this connection's page cache to `kib` KiB: for a background reader that goes through a big
    /// project once, where the usual 32 MiB would only add to the memory the workbench holds at its peak.
    pub fn set_cache_kib(&self, kib: u32) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -i64::from(kib))?;
        Ok(())
    }

    fn configure(&self) -> Result<()> {
        if self.read_only {
            // Per-connection settings only: a read-only connection must not touch the file.
            self.conn.pragma_update(None, "foreign_keys", "ON")?;
            self.conn.pragma_update(None, "cache_size", -32768)?;
            return Ok(());
        }
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // 32 MiB of page cache (the default is 2 MiB): exports and imports of 100,000 requirements touch
        // about 200 MB of pages, and a small cache makes SQLite re-read and spill them many times over.
        self.conn.pragma_update(None, "cache_size", -32768)?;
        Ok(())
    }

    /// Two read-only connections on this file that see the same committed state, for reading one big
    /// project on two cores. This connection takes the write lock for a moment, without waiting, so that no
    /// commit can land between the two connections' first reads. `None` when that cannot be had now: an
    /// in-memory store, a read-only file, or another writer holding the lock (the caller then reads alone).
    pub(super) fn snapshot_pair(&self) -> Option<(Connection, Connection)> {
        let path = self.path.as_deref()?;
        let open = || -> rusqlite::Result<Connection> {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(path, flags)?;
            conn.pragma_update(None, "cache_size", -32768)?;
            Ok(conn)
        };
        let (a, b) = (open().ok()?, open().ok()?);
        // A store opened to read takes the momentary lock on a connection of its own, which writes nothing;
        // where it may not write, it reads alone.
        let own;
        let locker = if self.read_only {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            own = Connection::open_with_flags(path, flags).ok()?;
            if own.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
                return None;
            }
            &own
        } else {
            &self.conn
        };
        locker.busy_timeout(Duration::ZERO).ok()?;
        let locked = locker.execute_batch("BEGIN IMMEDIATE");
        let _ = locker.busy_timeout(self.busy_timeout);
        locked.ok()?;
        let started = [&a, &b].into_iter().try_for_each(|c| {
            c.execute_batch("BEGIN")?;
            // The first read fixes the snapshot this connection sees until its transaction ends.
            c.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
        });
        // Should the lock not be given back, this connection must not be used as if it had been.
        if locker.execute_batch("ROLLBACK").is_err() || !locker.is_autocommit() {
            return None;
        }
        started.ok()?;
        Some((a, b))
    }

    /// The file this store reads, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Uses `clock` for every timestamp written from now on.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The current time by the store's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The underlying connection, for read-only checks in tests and diagnostics.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// A number that changes whenever another connection commits to the file (`PRAGMA data_version`).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs one user action as one immediate transaction; commits if `f` succeeds, rolls back otherwise.
    pub fn write<T>(&mut self, project: Option<ProjectId>, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.transaction(project, f, true)
    }

    /// As [`Store::write`], with SQLite's row-by-row foreign-key checks off for this one transaction: for bulk
    /// inserts that check their references themselves ([`Tx::import_requirements`]). Those lookups were half
    /// the CPU of a 100,000-requirement import. The pragma cannot change inside a transaction, hence here.
    pub(crate) fn write_bulk<T>(
        &mut self,
        project: Option<ProjectId>,
        f: impl FnOnce(&Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        // The checks come back on however the write ends, a panic included; the write's own outcome is
        // what the caller hears about.
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.transaction(project, f, true)));
        let back = self.conn.pragma_update(None, "foreign_keys", "ON");
        let out = out.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        back?;
        Ok(out)
    }

    /// Runs `f` exactly as [`Store::write`] would, then rolls everything back: a dry run that still meets
    /// every constraint the real write would.
    pub fn rehearse<T>(&mut self, project: Option<ProjectId>, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.transaction(project, f, false)
    }

    fn transaction<T>(
        &mut self,
        project: Option<ProjectId>,
        f: impl FnOnce(&Tx<'_>) -> Result<T>,
        commit: bool,
    ) -> Result<T> {
        let now = self.clock.now();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = {
            let t = Tx {
                tx: &tx,
                action: ActionId::new(),
                project,
                now,
                now_text: format_timestamp(now),
                actor: &self.actor,
                changed: Default::default(),
            };
            f(&t)?
        };
        if tx.is_autocommit() {
            // An `OR ROLLBACK` statement failed and `f` carried on: the transaction is gone, and whatever ran
            // after it committed on its own. Refuse rather than report success.
            return Err(StoreError::Conflict("the write was rolled back part way; try it again".into()));
        }
        if commit {
            tx.commit()?
        } else {
            tx.rollback()?
        }
        Ok(out)
    }

    /// Checks the file: `PRAGMA integrity_check` and `foreign_key_check`; returns the problems found.
    pub fn check_integrity(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| Ok(format!("foreign key broken in {}", r.get::<_, String>(0)?)))?;
        for row in rows {
            problems.push(row?);
        }
        Ok(problems)
    }
}

/// Creates a new, empty database file readable by its owner only (SQLite gives its `-wal` and `-shm` files
/// the same mode), with its parent folders.
fn create_private(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
            what: "cannot create the folder",
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Another process created it a moment ago: open that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied || is_read_only_fs(&e) => {
            Err(StoreError::ReadOnly { path: path.to_path_buf() })
        }
        Err(source) => Err(StoreError::Io { what: "cannot create", path: path.to_path_buf(), source }),
    }
}

fn is_read_only_fs(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::ReadOnlyFilesystem
}

fn open_read_write(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    // SQLite quietly opens a file it may not write for reading only; a command that writes must hear it now,
    // before it has done any work, not as "attempt to write a readonly database" half way.
    if conn.is_readonly(rusqlite::MAIN_DB)? || !writable_folder(path) {
        return Err(StoreError::ReadOnly { path: path.to_path_buf() });
    }
    Ok(conn)
}

/// Whether SQLite can create its `-wal` and `-shm` files beside `path` (or they exist already).
fn writable_folder(path: &Path) -> bool {
    let wal = crate::files::with_suffix(path, "-wal");
    if wal.exists() {
        return true;
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    tempfile::Builder::new().prefix(".elicit-probe-").tempfile_in(dir).is_ok()
}

fn open_read_only(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    // A WAL database in a folder nobody may write to cannot get its `-shm` file; SQLite then can only read
    // it as an immutable file, which is what such a folder (a read-only mount, a CD, a locked share) holds.
    match conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)) {
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) => {
            drop(conn);
            let uri = format!("file:{}?immutable=1", uri_path(path));
            let flags = flags | OpenFlags::SQLITE_OPEN_URI;
            Connection::open_with_flags(uri, flags).map_err(|e| open_error(path, e))
        }
        _ => Ok(conn),
    }
}

/// `path` as the path part of an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for b in absolute.to_string_lossy().bytes() {
        match b {
            b'?' | b'#' | b'%' => out.push_str(&format!("%{b:02X}")),
            b if b.is_ascii() => out.push(char::from(b)),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase { path: path.to_path_buf() },
        _ => StoreError::from(e),
    }
}

/// Who the change log names until [`Store::set_actor`] says: the settings' actor, as the binary resolves it.
fn actor() -> String {
    crate::config::actor_from_env()
}

/// The kinds of row that the change log knows how to restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Project,
    Stage,
    Outcome,
    Stakeholder,
    Interview,
    Requirement,
    TimeEntry,
    Confirmation,
}

impl Entity {
    const ALL: [Entity; 8] = [
        Entity::Project,
        Entity::Stage,
        Entity::Outcome,
        Entity::Stakeholder,
        Entity::Interview,
        Entity::Requirement,
        Entity::TimeEntry,
        Entity::Confirmation,
    ];

    /// The table (and change-log entity name).
    pub fn table(self) -> &'static str {
        match self {
            Entity::Project => "project",
            Entity::Stage => "journey_stage",
            Entity::Outcome => "outcome",
            Entity::Stakeholder => "stakeholder",
            Entity::Interview => "interview",
            Entity::Requirement => "requirement",
            Entity::TimeEntry => "time_entry",
            Entity::Confirmation => "confirmation",
        }
    }

    fn from_table(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.table() == name)
    }

    /// Columns a change-log row may name; undo only ever writes these, whatever the file says.
    fn columns(self) -> &'static [&'static str] {
        match self {
            Entity::Project => {
                &["key", "name", "description", "journey", "planned_hours", "target_min", "target_max", "deleted_at"]
            }
            Entity::Stage => &["name", "description", "position", "deleted_at"],
            Entity::Outcome => &["statement", "metric", "baseline", "target", "unit", "deleted_at"],
            Entity::Stakeholder => &["name", "role", "department", "organisation", "contact", "notes", "deleted_at"],
            Entity::Interview => &["title", "mode", "started_at", "ended_at", "notes", "deleted_at"],
            Entity::Requirement => columns::EDITABLE,
            Entity::TimeEntry => &["activity", "started_at", "ended_at", "interview_id", "note", "deleted_at"],
            // An answer is never edited, only recorded (and undone, which deletes it).
            Entity::Confirmation => &["deleted_at"],
        }
    }
}

/// The change-log field that marks a row's creation; undoing it soft-deletes the row.
pub(crate) const CREATED: &str = "*created";

/// One user action in progress: the transaction plus what every change-log row needs.
pub struct Tx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    action: ActionId,
    project: Option<ProjectId>,
    now: Timestamp,
    now_text: String,
    actor: &'a str,
    /// Requirements whose version this action has already raised (once per action, whatever it changes).
    changed: std::cell::RefCell<std::collections::HashSet<String>>,
}

impl Tx<'_> {
    /// Raises requirement `id`'s version once per action: every change to a requirement (an edit, a
    /// delete, an undo, a stage it lost) makes it a new version, so a save checked against the version
    /// it started from notices any of them.
    pub(crate) fn changed_requirement(&self, id: &str) -> Result<()> {
        if self.changed.borrow_mut().insert(id.to_owned()) {
            self.tx.execute("UPDATE requirement SET version = version + 1 WHERE id = ?1", [id])?;
        }
        Ok(())
    }

    /// The connection inside the transaction.
    pub(crate) fn conn(&self) -> &Connection {
        self.tx
    }

    /// The action's timestamp (the same for every row it writes).
    pub fn now(&self) -> Timestamp {
        self.now
    }

    pub(crate) fn now_text(&self) -> &str {
        &self.now_text
    }

    /// Records one changed field.
    pub(crate) fn log(&self, entity: Entity, id: &str, field: &str, old: Value, new: Value) -> Result<()> {
        self.tx.execute(
            "INSERT INTO change_log (action_id, project_id, entity, entity_id, field, old, new, at, actor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![self.action, self.project, entity.table(), id, field, old, new, self.now_text, self.actor],
        )?;
        Ok(())
    }

    /// Records the creation of a row.
    pub(crate) fn log_created(&self, entity: Entity, id: &str) -> Result<()> {
        self.log(entity, id, CREATED, Value::Null, Value::Null)
    }

    /// Sets one column of one row when it differs, bumps `updated_at`, and logs the change.
    /// Returns whether anything changed.
    pub(crate) fn set(&self, entity: Entity, id: &str, column: &'static str, new: Value) -> Result<bool> {
        debug_assert!(entity.columns().contains(&column));
        let table = entity.table();
        let old: Value =
            self.tx.query_row(&format!("SELECT {column} FROM {table} WHERE id = ?1"), [id], |r| r.get(0))?;
        if old == new {
            return Ok(false);
        }
        self.tx.execute(
            &format!("UPDATE {table} SET {column} = ?1, updated_at = ?2 WHERE id = ?3"),
            params![new, self.now_text, id],
        )?;
        if entity == Entity::Requirement {
            self.changed_requirement(id)?;
        }
        self.log(entity, id, column, old, new)?;
        Ok(true)
    }

    /// Soft-deletes a row.
    pub(crate) fn soft_delete(&self, entity: Entity, id: &str) -> Result<bool> {
        self.set(entity, id, "deleted_at", Value::Text(self.now_text.clone()))
    }
}

/// Converts an optional displayable value to an SQLite value (NULL for `None`).
pub(crate) fn opt_text<T: ToString>(v: Option<T>) -> Value {
    v.map_or(Value::Null, |v| Value::Text(v.to_string()))
}

/// An SQLite text value.
pub(crate) fn text(v: impl ToString) -> Value {
    Value::Text(v.to_string())
}
