//! The `elicit` binary: parse arguments, run the command, map errors to one line and an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use elicit::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version print to stdout and exit 0; usage errors exit 2.
        Err(e) => e.exit(),
    };
    // The one place the environment is read.
    let settings = cli::Settings::resolve(cli.db.as_deref(), cli.utc);
    elicit::domain::set_display_zone(settings.zone.clone());
    let stdout = std::io::stdout();
    // Plain `elicit` on a terminal opens the workbench; without a terminal it prints how to start.
    let result = if cli.command.is_none() && stdout.is_terminal() && std::io::stdin().is_terminal() {
        open_workbench(&cli, &settings)
    } else if stdout.is_terminal() {
        cli::run(cli, &settings, &mut cli::TerminalSafe::new(stdout.lock()))
    } else {
        cli::run(cli, &settings, &mut stdout.lock())
    };
    let mut out = stdout.lock();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`elicit list | head`) is the reader having had enough, not an error.
            if cli::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            let _ = out.flush();
            let mut message = elicit::domain::terminal_safe(&e.to_string(), true);
            for cause in e.chain().skip(1) {
                let cause = cause.to_string();
                if !message.contains(&cause) {
                    message.push_str(": ");
                    message.push_str(&elicit::domain::terminal_safe(&cause, true));
                }
            }
            eprintln!("error: {message}");
            if let Some(hint) = e.downcast_ref::<elicit::store::StoreError>().and_then(|s| s.hint()) {
                eprintln!("hint: {hint}");
            }
            // A value clap could not check is a usage error like the ones clap reports.
            ExitCode::from(if e.downcast_ref::<cli::UsageError>().is_some() { 2 } else { 1 })
        }
    }
}

fn open_workbench(cli: &Cli, settings: &cli::Settings) -> anyhow::Result<()> {
    let path = settings.db()?;
    // The default database is simply created on first run; a path the user typed that holds nothing may be
    // a typo, so ask before making a new, empty database there.
    let default = elicit::config::default_db_path().is_some_and(|d| d == path);
    if !default && !path.exists() && !confirm_new_database(path)? {
        return Ok(());
    }
    let mut store = elicit::store::Store::open(path)?;
    store.set_actor(&settings.actor);
    elicit::tui::run(store, cli.project.as_deref(), settings)
}

/// Asks on the terminal, before the workbench starts, whether to create a database at `path`.
fn confirm_new_database(path: &std::path::Path) -> anyhow::Result<bool> {
    let shown = elicit::domain::terminal_safe(&path.display().to_string(), true);
    eprint!("There is no database at {shown}.\nCreate a new one there and open the workbench? [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
    if !yes {
        eprintln!("Nothing was created. Check --db (or ELICIT_DB) for a typo.");
    }
    Ok(yes)
}
