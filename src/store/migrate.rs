//! Schema migrations: ordered, append-only SQL files embedded in the binary, applied in one transaction
//! after a backup copy of the file, and tracked with `PRAGMA user_version`.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::{Result, StoreError};

/// The migrations in order; the schema version is their count. Never edit a shipped one: append.
const MIGRATIONS: &[&str] = &[
    include_str!("../../assets/migrations/0001_init.sql"),
    include_str!("../../assets/migrations/0002_external_ref.sql"),
    include_str!("../../assets/migrations/0003_time_report_index.sql"),
    include_str!("../../assets/migrations/0004_settings.sql"),
    include_str!("../../assets/migrations/0005_signoff.sql"),
    include_str!("../../assets/migrations/0006_accepted_findings.sql"),
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Refuses a non-empty file that does not start with the SQLite header, without writing to it.
pub fn check_sqlite_header(path: &Path) -> Result<()> {
    let io = |source| StoreError::Io { what: "cannot read", path: path.to_path_buf(), source };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut head = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut head).map_err(io)?;
    if head.is_empty() || head.as_slice() == SQLITE_MAGIC {
        Ok(())
    } else {
        Err(StoreError::NotADatabase { path: path.to_path_buf() })
    }
}

/// The file's schema version.
pub fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Refuses, before anything is written, a file elicit must not touch: a schema newer than this build, or
/// another program's SQLite database (tables but no elicit version).
pub fn check_openable(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: path.to_path_buf(), found: version, known: SCHEMA_VERSION });
    }
    if version == 0 {
        let tables: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(StoreError::NotADatabase { path: path.to_path_buf() });
        }
    }
    Ok(())
}

/// Brings the schema from `version` to [`SCHEMA_VERSION`]; a no-op when it is already there.
///
/// A file with data is copied first. Should the upgrade fail, it is rolled back, the file is as it was, and
/// the copy just made is removed again: the file itself still holds exactly that, so repeated attempts never
/// pile up copies.
pub fn migrate(conn: &mut Connection, path: Option<&Path>, version: i64) -> Result<()> {
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    let copy = match path {
        Some(path) if version > 0 => Some(backup_before_migration(conn, path, version)?),
        _ => None,
    };
    let upgraded = (|| -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
        }
        tx.commit()
    })();
    match (upgraded, path) {
        (Ok(()), _) => Ok(()),
        (Err(e), Some(path)) if version > 0 => {
            if let Some(copy) = &copy {
                let _ = std::fs::remove_file(copy);
            }
            Err(StoreError::MigrationFailed {
                path: path.to_path_buf(),
                from: version,
                to: SCHEMA_VERSION,
                reason: e.to_string(),
            })
        }
        (Err(e), _) => Err(e.into()),
    }
}

/// Copies the database to `<db>.bak-v<N>` (a consistent snapshot, WAL included, readable by the owner only)
/// before it is migrated. An older copy for the same version is never overwritten.
fn backup_before_migration(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let mut target = PathBuf::from(format!("{}.bak-v{version}", path.display()));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = PathBuf::from(format!("{}.bak-v{version}.{n}", path.display()));
    }
    // VACUUM INTO writes into an empty file that exists already, keeping its mode: make it private first.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&target).map_err(|source| StoreError::Io { what: "cannot create", path: target.clone(), source })?;
    if let Err(e) = conn.execute("VACUUM INTO ?1", [target.to_string_lossy()]) {
        let _ = std::fs::remove_file(&target);
        return Err(e.into());
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_is_a_consistent_copy_and_never_overwrites_an_older_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE t (v); INSERT INTO t VALUES (1), (2);").unwrap();
        let first = backup_before_migration(&conn, &path, 1).unwrap();
        assert_eq!(first, dir.path().join("x.db.bak-v1"));
        let second = backup_before_migration(&conn, &path, 1).unwrap();
        assert_eq!(second, dir.path().join("x.db.bak-v1.2"));
        let copy = Connection::open(&first).unwrap();
        let n: i64 = copy.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 2, "rows still in the WAL are in the copy");
    }

    #[test]
    fn migrations_are_numbered_files_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/migrations");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        names.sort();
        assert_eq!(names.len(), MIGRATIONS.len(), "every migration file must be listed in MIGRATIONS");
        for (i, name) in names.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name}");
        }
    }
}
