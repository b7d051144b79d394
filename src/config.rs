//! Where the database lives: `--db PATH`, else `ELICIT_DB`, else the platform data directory.

use std::path::PathBuf;

/// The file name inside the data directory.
pub const DB_FILE_NAME: &str = "elicit.db";

/// The default database path: `<platform data dir>/elicit.db`, e.g.
/// `~/.local/share/elicit/elicit.db` on Linux. `None` when no home directory is known.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "elicit").map(|d| d.data_dir().join(DB_FILE_NAME))
}
