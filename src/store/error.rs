//! Typed errors at the storage boundary; the CLI and TUI turn them into one-line messages.

use std::path::PathBuf;

use crate::domain::ValidationError;

/// Anything that can go wrong reading or writing the elicit database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not an SQLite database.
    #[error("{} is not an elicit database; it was left untouched", path.display())]
    NotADatabase { path: PathBuf },
    /// The file was written by a newer elicit.
    #[error(
        "{} was written by a newer elicit (schema v{found}; this elicit knows up to v{known}); upgrade elicit to open it. The file was left untouched",
        path.display()
    )]
    TooNew { path: PathBuf, found: i64, known: i64 },
    /// A command that only reads was pointed at a file that does not exist.
    #[error("no database at {}", path.display())]
    NoDatabase { path: PathBuf },
    /// The file, its folder or the disk does not allow writing; nothing was written.
    #[error(
        "{} is read-only (the file, its folder or the disk does not allow writing); nothing was written",
        read_only_name(path)
    )]
    ReadOnly { path: PathBuf },
    /// Upgrading the file's schema failed; it was rolled back and the file is as it was.
    #[error(
        "cannot upgrade {} from schema v{from} to v{to}: {reason}. The file was left as it was",
        path.display()
    )]
    MigrationFailed { path: PathBuf, from: i64, to: i64, reason: String },
    /// The file is an SQLite database whose pages are broken (cut short, overwritten); nothing was written.
    #[error("the database file is damaged ({0}); nothing was written")]
    Damaged(String),
    /// A value failed validation.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A named thing does not exist; the message says which ones do.
    #[error("{0}")]
    NotFound(String),
    /// The change would break a rule (a duplicate key, a second running timer, ...).
    #[error("{0}")]
    Conflict(String),
    /// The row changed since the version a save started from; nothing was written.
    #[error(
        "{id} was changed by someone else since version {expected} (it is now version {found}); nothing was written"
    )]
    Changed { id: String, expected: i64, found: i64 },
    /// There is no action left to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// The disk (or the database's size limit) is full; the transaction was rolled back.
    #[error("the disk is full; nothing was written (free some space and try again)")]
    DiskFull,
    /// Another process holds the database for longer than the busy timeout.
    #[error("the database is busy (another elicit is writing); nothing was written, try again")]
    Busy,
    /// Creating folders or copying files failed.
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Reading or writing a file other than the database failed; the message names the file.
    #[error("{0}")]
    File(std::io::Error),
    /// Any other SQLite error.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path: PathBuf::new() },
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged(e.to_string()),
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// A second line telling the user what to do next, where there is something useful to say.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            StoreError::NotADatabase { .. } => {
                Some("point --db (or ELICIT_DB) at an elicit database, or at a new file to start one")
            }
            StoreError::TooNew { .. } => Some("install the newest elicit; this file is safe and unchanged"),
            StoreError::DiskFull => Some("your last change was not saved; free disk space and repeat it"),
            StoreError::Damaged(_) => Some(
                "restore a copy with `elicit restore FILE`: a copy a day is kept in the .daily folder beside the database",
            ),
            StoreError::MigrationFailed { .. } => Some(
                "the file's tables do not match its recorded version (it may have been changed by another program); \
                 keep working with the elicit that wrote it, restore a backup with `elicit restore FILE`, or export \
                 a JSON backup with that elicit and import it into a new file",
            ),
            StoreError::NoDatabase { .. } => Some(
                "check --db (or ELICIT_DB); `elicit init` or `elicit demo` creates a database, `elicit restore FILE` brings one back",
            ),
            StoreError::ReadOnly { .. } => Some(
                "commands that only read (list, show, export, projects) work; copy the file elsewhere to change it",
            ),
            _ => None,
        }
    }
}

fn read_only_name(path: &std::path::Path) -> String {
    if path.as_os_str().is_empty() { "the database".to_owned() } else { path.display().to_string() }
}

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
