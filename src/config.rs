//! Configuration in one place: where the database lives (`--db PATH`, else `ELICIT_DB`, else the platform
//! data directory), who is making changes, which time zone times are shown in, and how the workbench looks.

use std::path::PathBuf;

/// The file name inside the data directory.
pub const DB_FILE_NAME: &str = "elicit.db";

/// The keymap's file name inside the config directory.
pub const KEYMAP_FILE_NAME: &str = "keys.toml";

/// The default database path: `<platform data dir>/elicit.db`, e.g.
/// `~/.local/share/elicit/elicit.db` on Linux. `None` when no home directory is known.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "elicit").map(|d| d.data_dir().join(DB_FILE_NAME))
}

/// Everything elicit takes from its command line and environment, resolved once when it starts: the
/// commands and the workbench read it from here and never from the environment themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The database: `--db`, else `ELICIT_DB`, else the platform default (`None` without a home directory).
    pub db: Option<PathBuf>,
    /// Who the change log records as making each change: `ELICIT_ACTOR`, else the user's name.
    pub actor: String,
    /// The author a report names: `ELICIT_AUTHOR`, else `ELICIT_ACTOR`, else the user's name, else none.
    pub author: String,
    /// Colours in the workbench, unless `NO_COLOR` is set (no-color.org).
    pub color: bool,
    /// The user's keymap file: `ELICIT_KEYS`, else `keys.toml` in the platform config directory
    /// (`~/.config/elicit/keys.toml` on Linux). It need not exist.
    pub keymap: Option<PathBuf>,
    /// The zone times are shown (and typed) in: UTC with `--utc` or a set `ELICIT_UTC`, else the system's
    /// local zone (`TZ`, else the platform setting), else UTC when that cannot be found.
    pub zone: jiff::tz::TimeZone,
}

impl Settings {
    /// Resolves the settings from `--db` (if given), `--utc` and the environment.
    pub fn resolve(db: Option<&std::path::Path>, utc: bool) -> Settings {
        // Read here rather than through clap: an empty ELICIT_DB means "not set", not "no path given".
        let from_env = std::env::var_os("ELICIT_DB").filter(|v| !v.is_empty()).map(PathBuf::from);
        Settings {
            db: db.map(std::path::Path::to_path_buf).or(from_env).or_else(default_db_path),
            author: author_from_env(),
            actor: actor_from_env(),
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            keymap: std::env::var_os("ELICIT_KEYS").filter(|v| !v.is_empty()).map(PathBuf::from).or_else(|| {
                directories::ProjectDirs::from("", "", "elicit").map(|d| d.config_dir().join(KEYMAP_FILE_NAME))
            }),
            zone: if utc || env_flag("ELICIT_UTC") { jiff::tz::TimeZone::UTC } else { crate::domain::system_zone() },
        }
    }

    /// The database path, or why there is none.
    pub fn db(&self) -> Result<&std::path::Path, NoDatabasePath> {
        self.db.as_deref().ok_or(NoDatabasePath)
    }
}

/// No `--db`, no `ELICIT_DB` and no home directory for the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot find a home directory for the default database; pass --db PATH or set ELICIT_DB")]
pub struct NoDatabasePath;

/// Who the change log names: `ELICIT_ACTOR`, else the user's name, else "unknown".
pub fn actor_from_env() -> String {
    env_text("ELICIT_ACTOR").or_else(user_name).unwrap_or_else(|| "unknown".to_owned())
}

/// The author a report names: `ELICIT_AUTHOR`, else `ELICIT_ACTOR`, else the user's name, else none.
pub fn author_from_env() -> String {
    env_text("ELICIT_AUTHOR").or_else(|| env_text("ELICIT_ACTOR")).or_else(user_name).unwrap_or_default()
}

/// Whether a yes/no variable is set: any value but empty, `0`, `false`, `no` or `off`.
fn env_flag(name: &str) -> bool {
    std::env::var(name)
        .is_ok_and(|v| !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false" | "no" | "off"))
}

fn env_text(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| crate::domain::clean_line(&v)).filter(|v| !v.trim().is_empty())
}

/// The user's name: `USER`, `USERNAME` or `LOGNAME` as the shell sets it, else the name of the home
/// folder (set even where those are not, as in some containers and services).
pub fn user_name() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"].iter().find_map(|k| env_text(k)).or_else(|| {
        let dirs = directories::BaseDirs::new()?;
        let name = dirs.home_dir().file_name()?.to_string_lossy().into_owned();
        Some(crate::domain::clean_line(&name)).filter(|n| !n.is_empty() && n != "/")
    })
}
