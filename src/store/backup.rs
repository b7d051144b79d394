//! Whole-file copies of the database: `elicit backup` and `elicit restore`, and the rolling daily copies kept
//! beside the database so that a lost or broken file costs at most a day's work.
//!
//! Copies use SQLite's online backup API in one step, which reads one consistent snapshot: safe while a
//! workbench or another command is writing, and the copy holds every committed row (those still in the WAL
//! included). Copies are private to their owner (0600): they hold people's names, contacts and words.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{BUSY_TIMEOUT, Result, Store, StoreError, migrate};
use crate::files::{self, Privacy};

/// How many daily copies are kept.
pub const DAILY_COPIES: usize = 7;

/// The setting that turns the daily copies off (`elicit settings daily-backups off`).
pub const DAILY_SETTING: &str = "daily-backups";

/// What a copy holds, to tell the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopySummary {
    /// Live projects.
    pub projects: i64,
    /// Live requirements over every project.
    pub requirements: i64,
}

/// Copies every page of `from` into `to` in one step (one read snapshot), waiting for a writer that holds
/// a lock for at most the busy timeout.
fn copy_pages(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = Backup::new(from, to)?;
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50))
            }
            StepResult::Busy | StepResult::Locked => return Err(StoreError::Busy),
            // The enum is non-exhaustive; any other answer is a step to retry.
            _ => {}
        }
    }
}

fn summary(conn: &Connection) -> Result<CopySummary> {
    Ok(CopySummary {
        projects: conn.query_row("SELECT count(*) FROM project WHERE deleted_at IS NULL", [], |r| r.get(0))?,
        requirements: conn.query_row(
            "SELECT count(*) FROM requirement r JOIN project p ON p.id = r.project_id
             WHERE r.deleted_at IS NULL AND p.deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?,
    })
}

/// Problems `PRAGMA integrity_check` reports for `conn` (empty when the file is sound).
fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut problems = Vec::new();
    for row in rows {
        let row = row?;
        if row != "ok" {
            problems.push(row);
        }
    }
    Ok(problems)
}

/// Writes a copy of `conn`'s database to `target` (replaced only once the copy is complete and checked).
fn write_copy(conn: &Connection, target: &Path) -> Result<CopySummary> {
    let mut result = None;
    files::replace_regular(target, Privacy::Private, |_, tmp| {
        let mut dst = Connection::open(tmp)?;
        copy_pages(conn, &mut dst)?;
        // The copy is a file on its own: no WAL beside it.
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        let problems = integrity_problems(&dst)?;
        if !problems.is_empty() {
            return Err(StoreError::Conflict(format!(
                "the copy failed its integrity check ({}); {} was not written",
                problems.join("; "),
                target.display()
            )));
        }
        result = Some(summary(&dst)?);
        dst.close().map_err(|(_, e)| StoreError::from(e))
    })?;
    result.ok_or_else(|| StoreError::Conflict("the copy was not made".into()))
}

impl From<std::io::Error> for StoreError {
    fn from(source: std::io::Error) -> Self {
        StoreError::File(source)
    }
}

impl Store {
    /// Copies the whole database to `target` with SQLite's online backup API: safe while another process
    /// writes; the copy passes `PRAGMA integrity_check` before it replaces `target`.
    pub fn backup_to(&self, target: &Path) -> Result<CopySummary> {
        files::refuse_database(target, self.path())?;
        write_copy(&self.conn, target)
    }

    /// Replaces this database's content with the elicit database at `source`, after checking it (an elicit
    /// database, sound, schema not newer than this build) and keeping a copy of the current content beside
    /// the database. Returns what was restored and where the previous content was kept.
    pub fn restore_from(&mut self, source: &Path) -> Result<(CopySummary, Option<PathBuf>)> {
        if let Some(db) = self.path() {
            files::refuse_database(source, Some(db)).map_err(|_| {
                StoreError::Conflict(format!("{} is the database itself; restore from a backup copy", source.display()))
            })?;
        }
        let src = open_backup(source)?;
        let kept = match self.path.clone() {
            Some(db) => {
                let at = self.now().strftime("%Y%m%dT%H%M%SZ");
                let kept = files::with_suffix(&db, &format!(".before-restore-{at}"));
                write_copy(&self.conn, &kept)?;
                Some(kept)
            }
            None => None,
        };
        copy_pages(&src, &mut self.conn)?;
        let version = migrate::user_version(&self.conn)?;
        migrate::migrate(&mut self.conn, self.path.as_deref(), version)?;
        Ok((summary(&self.conn)?, kept))
    }

    /// Keeps today's copy of the database in the daily folder beside it (the last [`DAILY_COPIES`] days),
    /// unless turned off with the [`DAILY_SETTING`] setting. Returns the copy made, if one was due.
    pub fn keep_daily_copy(&self) -> Result<Option<PathBuf>> {
        let Some(target) = self.daily_copy_due()? else { return Ok(None) };
        let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
            what: "cannot create the folder",
            path: dir.clone(),
            source,
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
        }
        write_copy(&self.conn, &target)?;
        prune_daily(&dir);
        Ok(Some(target))
    }
}

impl Store {
    /// Where today's daily copy goes, when it is due: a file-backed store, copies not turned off, and no
    /// copy for today yet.
    pub(super) fn daily_copy_due(&self) -> Result<Option<PathBuf>> {
        let Some(db) = self.path() else { return Ok(None) };
        if self.setting(DAILY_SETTING)?.as_deref() == Some("off") {
            return Ok(None);
        }
        let day = self.now().strftime("%Y-%m-%d").to_string();
        let target = daily_folder(db).join(format!("{day}.db"));
        Ok((!target.exists()).then_some(target))
    }
}

/// The folder of daily copies of `db`: `elicit.db` -> `elicit.db.daily/`.
pub fn daily_folder(db: &Path) -> PathBuf {
    files::with_suffix(db, ".daily")
}

/// Removes all but the newest [`DAILY_COPIES`] daily copies (named by date, so the names sort by age).
fn prune_daily(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut copies: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.len() == "2026-12-01.db".len()
                    && n.ends_with(".db")
                    && n.as_bytes()[..10].iter().all(|b| b.is_ascii_digit() || *b == b'-')
            })
        })
        .collect();
    copies.sort();
    let extra = copies.len().saturating_sub(DAILY_COPIES);
    for old in &copies[..extra] {
        let _ = std::fs::remove_file(old);
    }
}

/// Opens `source` read-only as a backup to restore, refusing anything that is not a sound elicit database
/// this build can read.
fn open_backup(source: &Path) -> Result<Connection> {
    if !source.is_file() {
        return Err(StoreError::NotFound(format!("no backup file at {}", source.display())));
    }
    let head = std::fs::read(source).map(|b| b.into_iter().take(16).collect::<Vec<u8>>()).unwrap_or_default();
    if head.first() == Some(&b'{') {
        return Err(StoreError::Conflict(format!(
            "{} is a JSON backup; restore it with `elicit import {}`",
            source.display(),
            source.display()
        )));
    }
    migrate::check_sqlite_header(source)?;
    if std::fs::metadata(source).map(|m| m.len()).unwrap_or(0) == 0 {
        return Err(StoreError::NotADatabase { path: source.to_path_buf() });
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(source, flags).map_err(|e| super::open_error(source, e))?;
    let version = migrate::user_version(&conn).map_err(|e| super::open_error(source, e))?;
    migrate::check_openable(&conn, source, version)?;
    if version == 0 {
        return Err(StoreError::NotADatabase { path: source.to_path_buf() });
    }
    let problems = integrity_problems(&conn).map_err(|e| match e {
        StoreError::Sqlite(_) => StoreError::NotADatabase { path: source.to_path_buf() },
        other => other,
    })?;
    if !problems.is_empty() {
        return Err(StoreError::Conflict(format!(
            "{} is damaged ({}); nothing was restored",
            source.display(),
            problems.into_iter().take(3).collect::<Vec<_>>().join("; ")
        )));
    }
    Ok(conn)
}
