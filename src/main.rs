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
    let stdout = std::io::stdout();
    // Plain `elicit` on a terminal opens the workbench; without a terminal it prints how to start.
    let result = if cli.command.is_none() && stdout.is_terminal() && std::io::stdin().is_terminal() {
        open_workbench(&cli)
    } else if stdout.is_terminal() {
        cli::run(cli, &mut cli::TerminalSafe::new(stdout.lock()))
    } else {
        cli::run(cli, &mut stdout.lock())
    };
    let mut out = stdout.lock();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`elicit list | head`) is not an error worth reporting.
            if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
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
            ExitCode::from(1)
        }
    }
}

fn open_workbench(cli: &Cli) -> anyhow::Result<()> {
    let path = cli::db_path(cli.db.as_ref())?;
    let store = elicit::store::Store::open(&path)?;
    elicit::tui::run(store, cli.project.as_deref())
}
