//! `elicit backup`, `elicit restore` and `elicit settings`: whole-file copies of the database, and the
//! settings kept in it.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::store::{DAILY_COPIES, DAILY_SETTING, Store, daily_folder};

/// Arguments of `elicit backup`.
#[derive(Debug, Clone, clap::Args)]
pub struct BackupArgs {
    /// The copy to write (replaced only once it is complete and checked; readable by you only); `-` writes
    /// it to standard output, for a pipe.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Arguments of `elicit restore`.
#[derive(Debug, Clone, clap::Args)]
pub struct RestoreArgs {
    /// A copy made by `elicit backup` (or a daily copy); a JSON backup is restored with `elicit import`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// The settings `elicit settings` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SettingName {
    /// Keep a copy of the database per day beside it (the last 7): on or off.
    DailyBackups,
    /// The project's own lint words: `lint-word add LIST WORD...`, `lint-word remove LIST WORD...`.
    LintWord,
    /// The project's lint rules: `lint-rule off RULE`, `lint-rule on RULE`.
    LintRule,
}

/// Arguments of `elicit settings`.
#[derive(Debug, Clone, clap::Args)]
pub struct SettingsArgs {
    /// The setting to show or change (all are shown without one).
    #[arg(value_enum)]
    pub name: Option<SettingName>,
    /// The new value (for lint-word and lint-rule: the action, add/remove or on/off).
    pub value: Option<String>,
    /// For lint-word: the list and the word; for lint-rule: the rule.
    #[arg(value_name = "ARGS")]
    pub rest: Vec<String>,
}

pub fn backup(store: &Store, args: BackupArgs, out: &mut dyn Write) -> Result<()> {
    let Some(file) = super::output::output_file(Some(&args.file)) else {
        return backup_to_stdout(store, out);
    };
    let copy = store.backup_to(file)?;
    writeln!(
        out,
        "backed up {} to {}: {} project{}, {} requirement{}; integrity check passed",
        store.path().map(|p| p.display().to_string()).unwrap_or_default(),
        file.display(),
        copy.projects,
        plural(copy.projects),
        copy.requirements,
        plural(copy.requirements),
    )?;
    Ok(())
}

/// `elicit backup -`: the checked copy goes to standard output (`| gzip`, `| ssh host 'cat > x.db'`) and the
/// summary to stderr. SQLite writes a copy to a file, so it is made in a private temporary folder first
/// and streamed from there; nothing of it is left behind.
fn backup_to_stdout(store: &Store, out: &mut dyn Write) -> Result<()> {
    super::output::refuse_binary_on_terminal("a database copy", "elicit backup elicit-copy.db")?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("elicit-backup.db");
    let copy = store.backup_to(&path)?;
    std::io::copy(&mut std::fs::File::open(&path)?, out)?;
    out.flush()?;
    eprintln!(
        "backed up {} to standard output: {} project{}, {} requirement{}; integrity check passed",
        store.path().map(|p| p.display().to_string()).unwrap_or_default(),
        copy.projects,
        plural(copy.projects),
        copy.requirements,
        plural(copy.requirements),
    );
    Ok(())
}

pub fn restore(store: &mut Store, args: RestoreArgs, out: &mut dyn Write) -> Result<()> {
    let (copy, kept) = store.restore_from(&args.file)?;
    writeln!(
        out,
        "restored {} into {}: {} project{}, {} requirement{}",
        args.file.display(),
        store.path().map(|p| p.display().to_string()).unwrap_or_default(),
        copy.projects,
        plural(copy.projects),
        copy.requirements,
        plural(copy.requirements),
    )?;
    if let Some(kept) = kept {
        writeln!(out, "what the database held before is kept in {} (restore it to undo this)", kept.display())?;
    }
    Ok(())
}

pub fn settings(store: &mut Store, key: Option<&str>, args: SettingsArgs, out: &mut dyn Write) -> Result<()> {
    match args.name {
        Some(SettingName::LintWord) => return super::lint::words(store, key, args.value.as_deref(), &args.rest, out),
        Some(SettingName::LintRule) => return super::lint::rules(store, key, args.value.as_deref(), &args.rest, out),
        _ => {}
    }
    if !args.rest.is_empty() {
        super::usage!("daily-backups takes one value, on or off");
    }
    match (args.name, args.value) {
        (None, _) | (Some(SettingName::DailyBackups), None) => {
            let on = store.setting(DAILY_SETTING)?.as_deref() != Some("off");
            let folder = store.path().map(daily_folder).map(|p| p.display().to_string()).unwrap_or_default();
            writeln!(
                out,
                "daily-backups  {}  (a copy a day in {folder}, the last {DAILY_COPIES} kept)",
                if on { "on" } else { "off" }
            )?;
        }
        (Some(SettingName::LintWord | SettingName::LintRule), _) => {}
        (Some(SettingName::DailyBackups), Some(value)) => {
            let value = match value.trim().to_ascii_lowercase().as_str() {
                "on" | "yes" | "true" => "on",
                "off" | "no" | "false" => "off",
                other => super::usage!("daily-backups is on or off, not {other:?}"),
            };
            store.set_setting(DAILY_SETTING, value)?;
            writeln!(out, "daily-backups is now {value}")?;
        }
    }
    Ok(())
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}
