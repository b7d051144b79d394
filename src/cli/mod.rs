//! The command line: clap definitions and one function per command.
//!
//! Commands share the store and its rules with the TUI, so a script and a person get the same results.
//! User errors come back as `anyhow` errors that `main` prints as one `error: ...` line with exit code 1;
//! clap reports usage errors itself with exit code 2.

mod backup;
mod export;
mod import;
mod interview;
mod lint;
mod output;
mod project;
mod requirements;
mod review;
mod setup;
mod time;
mod values;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

pub use crate::config::Settings;
use crate::store::Store;

pub use output::{Format, TerminalSafe};
pub use time::build_report as time_report;

const AFTER_HELP: &str = "\
Data lives in one SQLite file: --db PATH, else $ELICIT_DB, else the platform data directory
(on Linux ~/.local/share/elicit/elicit.db). `elicit backup FILE` copies it safely at any time,
`elicit restore FILE` brings a copy back, and a copy a day is kept beside it (the last 7).

Exit codes: 0 ok, 1 user error or findings, 2 usage error.";

/// elicit: capture customer-facing requirements during stakeholder interviews, trace them to journey
/// stages and customer outcomes, and keep score of the time spent understanding the customer.
#[derive(Debug, Parser)]
#[command(name = "elicit", version, about, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// The database file (commands that write create it if missing) [env: ELICIT_DB].
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The project to work on, by key (default: the only project, or the most recently used one).
    #[arg(long, global = true, value_name = "KEY")]
    pub project: Option<String>,

    /// Show (and read typed) times in UTC instead of the local time zone [env: ELICIT_UTC].
    #[arg(long, global = true)]
    pub utc: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Every subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a project, with journey stages from a template.
    Init(project::InitArgs),
    /// Create the sample project SHOP (a retail programme) to explore elicit with.
    Demo,
    /// List the projects in the database.
    Projects(output::FormatArg),
    /// List the journey templates `init --journey` accepts.
    Journeys,
    /// Add a requirement; prints its id (e.g. SHOP-41).
    Add(requirements::AddArgs),
    /// List requirements.
    List(requirements::ListArgs),
    /// Show one requirement with every field.
    Show(requirements::ShowArgs),
    /// Change fields of a requirement.
    Edit(requirements::EditArgs),
    /// Change the stage, status, priority, outcomes or tags of several requirements at once (one undo).
    Set(review::SetArgs),
    /// Record a stakeholder's answer about requirements: confirmed (default), --changed or --rejected.
    Confirm(review::ConfirmArgs),
    /// What happened to a requirement: when, who, which field, old -> new (newest first).
    History(review::HistoryArgs),
    /// Delete a requirement (undo restores it; its id is never reused).
    Delete(requirements::IdArg),
    /// Undo the most recent change in the project.
    Undo,
    /// Journey stages: add, list, rename, move, delete.
    #[command(subcommand)]
    Stage(setup::StageCommand),
    /// Customer outcomes: add, list.
    #[command(subcommand)]
    Outcome(setup::OutcomeCommand),
    /// Stakeholders: add, list.
    #[command(subcommand)]
    Stakeholder(setup::StakeholderCommand),
    /// Departments the project expects to hear from: add, remove, list.
    #[command(subcommand)]
    Department(setup::DepartmentCommand),
    /// Export the report (html, md) or the requirements (csv, xlsx, json backup, reqif).
    Export(export::ExportArgs),
    /// Import requirements from CSV or ReqIF, or restore a JSON backup.
    Import(import::ImportArgs),
    /// Interviews: start, stop, pause, resume, note, list.
    #[command(subcommand)]
    Interview(interview::InterviewCommand),
    /// Time: start and stop timers, log, list, edit, delete entries, and the requirements-share report.
    #[command(subcommand)]
    Time(time::TimeCommand),
    /// Copy the whole database to FILE, safely while elicit is in use elsewhere.
    Backup(backup::BackupArgs),
    /// Replace the database with a copy made by `elicit backup` (the current one is kept beside it).
    Restore(backup::RestoreArgs),
    /// Check requirement quality: wording, structure, EARS, duplicates and conflicts (exit 1 on errors).
    Lint(lint::LintArgs),
    /// Show or change settings: daily-backups on|off; lint-word add|remove LIST WORD; lint-rule on|off RULE.
    Settings(backup::SettingsArgs),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish (see README to install).
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `elicit man | man -l -`; `elicit man edit` for one command's page.
    Man {
        /// A command to print the page of (default: elicit itself, which lists every command).
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

impl Command {
    /// Whether the command only reads: it then opens the file read-only and never creates one, so a
    /// mistyped `--db` says so instead of making an empty database, and a read-only file can be read.
    fn only_reads(&self) -> bool {
        match self {
            Command::Projects(_)
            | Command::Journeys
            | Command::List(_)
            | Command::Show(_)
            | Command::History(_)
            | Command::Export(_)
            | Command::Backup(_) => true,
            Command::Lint(args) => args.accept.is_none() && args.withdraw.is_none(),
            Command::Stage(c) => matches!(c, setup::StageCommand::List(_)),
            Command::Outcome(c) => matches!(c, setup::OutcomeCommand::List(_)),
            Command::Stakeholder(c) => matches!(c, setup::StakeholderCommand::List(_)),
            Command::Department(c) => matches!(c, setup::DepartmentCommand::List(_)),
            Command::Interview(c) => {
                matches!(c, interview::InterviewCommand::List { .. } | interview::InterviewCommand::Readback { .. })
            }
            Command::Time(c) => matches!(c, time::TimeCommand::List(_) | time::TimeCommand::Report { .. }),
            Command::Settings(args) => args.value.is_none(),
            _ => false,
        }
    }
}

/// Runs a parsed command line with the `settings` resolved from it, writing results to `out`.
pub fn run(cli: Cli, settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let Some(command) = cli.command else {
        return getting_started(settings, out);
    };
    match &command {
        Command::Journeys => return project::journeys(out),
        Command::Completions { shell } => return completions(*shell, out),
        Command::Man { command } => return man(command.as_deref(), out),
        _ => {}
    }
    if let Command::Lint(args) = &command
        && args.text.is_some()
    {
        return lint::text(settings.db().ok(), cli.project.as_deref(), args, out);
    }
    let path = settings.db()?;
    let mut store = if command.only_reads() { Store::open_to_read(path)? } else { Store::open(path)? };
    store.set_actor(&settings.actor);
    let key = cli.project.as_deref();
    match command {
        Command::Init(args) => project::init(&mut store, args, out),
        Command::Demo => project::demo(&mut store, out),
        Command::Projects(f) => project::list(&store, f.format, out),
        Command::Journeys => project::journeys(out),
        Command::Add(args) => requirements::add(&mut store, key, args, out),
        Command::List(args) => requirements::list(&mut store, key, args, out),
        Command::Show(args) => requirements::show(&mut store, key, args, out),
        Command::Edit(args) => requirements::edit(&mut store, key, args, out),
        Command::Set(args) => review::set(&mut store, key, args, out),
        Command::Confirm(args) => review::confirm(&mut store, key, args, out),
        Command::History(args) => review::history(&mut store, key, args, out),
        Command::Delete(args) => requirements::delete(&mut store, key, args, out),
        Command::Undo => requirements::undo(&mut store, key, out),
        Command::Stage(c) => setup::stage(&mut store, key, c, out),
        Command::Outcome(c) => setup::outcome(&mut store, key, c, out),
        Command::Stakeholder(c) => setup::stakeholder(&mut store, key, c, out),
        Command::Department(c) => setup::department(&mut store, key, c, out),
        Command::Export(args) => export::export(&mut store, key, args, &settings.author, out),
        Command::Import(args) => import::import(&mut store, key, args, out),
        Command::Interview(c) => interview::run(&mut store, key, c, out),
        Command::Time(c) => time::run(&mut store, key, c, out),
        Command::Backup(args) => backup::backup(&store, args, out),
        Command::Restore(args) => backup::restore(&mut store, args, out),
        Command::Lint(args) => lint::lint(&mut store, key, args, out),
        Command::Settings(args) => backup::settings(&mut store, key, args, out),
        Command::Completions { shell } => completions(shell, out),
        Command::Man { command } => man(command.as_deref(), out),
    }
}

/// `elicit completions SHELL`: the script that shell sources to complete elicit's commands, flags and
/// their values.
fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<()> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    // clap_complete panics when its writer fails; a closed pipe must end quietly like every other output.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "elicit", &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// `elicit man [COMMAND]`: the manual page of elicit, or of one of its commands, as roff.
fn man(command: Option<&str>, out: &mut dyn Write) -> Result<()> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    cmd.build();
    let page = match command {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            // Built, a subcommand is displayed as the command line that runs it: elicit-edit(1).
            Some(sub) => sub.clone().version(env!("CARGO_PKG_VERSION")),
            None => usage!("no command {name:?}; `elicit --help` lists them"),
        },
    };
    clap_mangen::Man::new(page).render(out)?;
    Ok(())
}

fn getting_started(settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let path = settings.db.as_ref().map_or_else(|| "(no default path)".into(), |p| p.display().to_string());
    writeln!(
        out,
        "elicit {} - requirements gathering in the terminal

Database: {path}

Get started:
  elicit demo                          create the sample project SHOP and look around
  elicit list                          list its requirements
  elicit init --key CHK --name \"Checkout\"   start your own project (retail journey by default)
  elicit add \"Refund without a receipt\" --stage Return --priority must
  elicit --help                        every command

Run `elicit` in a terminal to open the interactive workbench.",
        env!("CARGO_PKG_VERSION")
    )?;
    Ok(())
}

/// A value on the command line that clap cannot check by itself, because what it may be depends on the
/// word before it (`settings lint-rule off RULE`): `main` exits 2 for it, as for every usage error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Returns a [`UsageError`] from the function, formatted like `format!`.
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err($crate::cli::UsageError(format!($($arg)*)).into())
    };
}
pub(crate) use usage;

/// Whether `e` is, anywhere in its chain of causes, a write to a pipe whose reader has gone
/// (`elicit list | head`). The io error may sit under context or inside a writer's own error type, so
/// every cause is looked at, as ripgrep does; serde_json and csv keep their io error out of the chain, so
/// they are asked for it themselves.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let kind = if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            Some(io.kind())
        } else if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            json.io_error_kind()
        } else if let Some(::csv::ErrorKind::Io(io)) = cause.downcast_ref::<::csv::Error>().map(::csv::Error::kind) {
            Some(io.kind())
        } else {
            None
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
