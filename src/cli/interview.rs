//! `interview start|stop|pause|resume|note|list`: interview mode from a script, with the same rules as
//! the Capture screen (one open interview per project; its `requirements` timer runs while it does).

use std::io::Write;

use anyhow::{Result, bail};
use clap::Subcommand;
use serde::Serialize;

use super::output::{self, Format};
use crate::domain::*;
use crate::store::Store;

/// `elicit interview ...`
#[derive(Debug, Subcommand)]
pub enum InterviewCommand {
    /// Start an interview now; its requirements timer starts too (stopping any other timer).
    Start {
        /// What the interview is about, e.g. "Store walk-through".
        #[arg(long)]
        title: String,
        /// Who takes part, by name (case-insensitive; a unique start is enough); repeat for several.
        #[arg(long = "stakeholder", value_name = "NAME", required = true)]
        stakeholders: Vec<String>,
        /// How it is held.
        #[arg(long, default_value = "in-person")]
        mode: InterviewMode,
    },
    /// End the running interview and close its time entry.
    Stop,
    /// Pause the running interview's timer (a break, an interruption).
    Pause,
    /// Resume the paused interview's timer.
    Resume,
    /// Add a timestamped note to the running interview.
    Note {
        /// The note; write "Name: words" to record who said it.
        text: String,
    },
    /// One page for the stakeholder: what was heard in an interview, by journey stage, in their words,
    /// with the open questions. Send it after the call, and record their answers with `elicit confirm`.
    Readback {
        /// The interview: its title (a unique start is enough) or its uuid.
        interview: String,
        /// md (for an e-mail) or html (one page to print or attach).
        #[arg(long, value_enum, default_value = "md")]
        format: crate::report::readback::ReadbackFormat,
        /// Write to this file instead of the terminal (`-` is standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// List the project's interviews, newest first.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// The JSON shape of an interview in `interview list`.
#[derive(Debug, Serialize)]
pub struct InterviewJson {
    pub uuid: String,
    pub title: String,
    pub mode: InterviewMode,
    pub started_at: String,
    pub ended_at: Option<String>,
    /// `running`, `paused` or `ended`.
    pub state: &'static str,
    /// From start to end (or to now while it runs).
    pub minutes: i64,
    /// Minutes logged as requirements time in its time entries (pauses excluded).
    pub timed_minutes: i64,
    pub stakeholders: Vec<String>,
    /// Live requirements captured in it.
    pub requirements: usize,
    pub notes: String,
}

/// Runs one `interview` subcommand.
pub fn run(store: &mut Store, key: Option<&str>, command: InterviewCommand, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let safe = |t: &str| terminal_safe(t, true);
    match command {
        InterviewCommand::Start { title, stakeholders, mode } => {
            let people =
                stakeholders.iter().map(|s| store.find_stakeholder(project.id, s)).collect::<Result<Vec<_>, _>>()?;
            let ids: Vec<StakeholderId> = people.iter().map(|s| s.id).collect();
            let i = store.start_interview(project.id, &title, mode, &ids)?;
            let names: Vec<String> = people.iter().map(|s| safe(&s.name)).collect();
            writeln!(
                out,
                "started {:?} ({}) with {}; requirements timer running",
                safe(&i.title),
                i.mode,
                names.join(", ")
            )?;
        }
        InterviewCommand::Stop => {
            let i = store.stop_interview(project.id)?;
            let minutes = i.ended_at.unwrap_or(i.started_at).duration_since(i.started_at).as_mins();
            let captured = store.interview_requirements(i.id)?.len();
            writeln!(out, "stopped {:?} after {minutes} min; {captured} requirement(s) captured", safe(&i.title))?;
        }
        InterviewCommand::Pause => {
            let i = store.pause_interview(project.id)?;
            writeln!(out, "paused {:?}; `elicit interview resume` restarts its timer", safe(&i.title))?;
        }
        InterviewCommand::Resume => {
            let i = store.resume_interview(project.id)?;
            writeln!(out, "resumed {:?}", safe(&i.title))?;
        }
        InterviewCommand::Note { text } => {
            let Some(open) = store.open_interview(project.id)? else {
                bail!("no interview is running; start one with `elicit interview start`");
            };
            store.add_interview_note(open.id, &text)?;
            writeln!(out, "noted in {:?}", safe(&open.title))?;
        }
        InterviewCommand::Readback { interview, format, output } => {
            let interview = store.find_interview(project.id, &interview)?;
            let page = crate::report::readback::build(store, &project, &interview)?;
            match output::output_file(output.as_deref()) {
                Some(path) => {
                    crate::report::readback::write_file(store, &page, format, path)?;
                    writeln!(
                        out,
                        "read-back of {:?} written to {}",
                        safe(&interview.title),
                        safe(&path.display().to_string())
                    )?;
                }
                None => crate::report::readback::write(&page, format, out)?,
            }
        }
        InterviewCommand::List { format } => list(store, &project, format, out)?,
    }
    Ok(())
}

fn list(store: &Store, project: &Project, format: Format, out: &mut dyn Write) -> Result<()> {
    let now = store.now();
    let people: std::collections::HashMap<StakeholderId, String> =
        store.stakeholders(project.id)?.into_iter().map(|s| (s.id, s.name)).collect();
    let time = store.time_entries(project.id)?;
    let mut items = Vec::new();
    for i in store.interviews(project.id)?.into_iter().rev() {
        let state = match i.ended_at {
            Some(_) => "ended",
            None if store.interview_paused(&i)? => "paused",
            None => "running",
        };
        let timed: i64 = time
            .iter()
            .filter(|e| e.interview == Some(i.id) && e.activity == Activity::Requirements)
            .map(|e| e.ended_at.unwrap_or(now).max(e.started_at).duration_since(e.started_at).as_secs())
            .sum::<i64>()
            / 60;
        items.push(InterviewJson {
            uuid: i.id.to_string(),
            title: i.title.clone(),
            mode: i.mode,
            started_at: format_timestamp(i.started_at),
            ended_at: i.ended_at.map(format_timestamp),
            state,
            minutes: i.ended_at.unwrap_or(now).max(i.started_at).duration_since(i.started_at).as_mins(),
            timed_minutes: timed,
            stakeholders: i.stakeholders.iter().filter_map(|s| people.get(s).cloned()).collect(),
            requirements: store.interview_requirements(i.id)?.len(),
            notes: i.notes.clone(),
        });
    }
    if format == Format::Table && items.is_empty() {
        writeln!(out, "no interviews yet; start one with `elicit interview start --title T --stakeholder NAME`")?;
        return Ok(());
    }
    // A table is for people, in the display zone; CSV is for other tools and stays UTC like the JSON.
    let table = format == Format::Table;
    let started = |text: &str| match parse_timestamp(text) {
        Ok(t) if table => format_minute(t),
        _ => text.get(..16).unwrap_or(text).replace('T', " "),
    };
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                started(&i.started_at),
                i.title.clone(),
                i.mode.to_string(),
                format!("{} min", i.minutes),
                i.state.to_owned(),
                i.requirements.to_string(),
                i.stakeholders.join(", "),
            ]
        })
        .collect();
    let started = format!("STARTED ({})", if table { zone_label() } else { "UTC".to_owned() });
    let header = [started.as_str(), "TITLE", "MODE", "LENGTH", "STATE", "REQS", "STAKEHOLDERS"];
    output::listing(out, format, &header, &rows, &items)
}
