//! `time start|stop|log|list|edit|delete|report`: project time and the requirements share.
//!
//! Activities, durations and moments are checked by clap (`super::values`), so a typo is a usage error
//! (exit 2) that lists the valid activities or shows how to write a duration, and nothing is written.
//! Times are shown, and typed times read, in the display zone (local unless `--utc`).

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::output::{self, Format};
use super::values;
use crate::analysis::{self, TimeReport};
use crate::domain::*;
use crate::store::{NewTimeEntry, Store, TimeEntryPatch};

/// `elicit time ...`
#[derive(Debug, clap::Subcommand)]
pub enum TimeCommand {
    /// Start a timer now (a running timer is stopped first: one runs at a time).
    Start {
        /// What the time is spent on.
        activity: Activity,
        /// What the time is for.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Stop the running timer.
    Stop,
    /// Log time already spent, e.g. `time log design 1h30m`.
    Log {
        /// What the time was spent on.
        activity: Activity,
        /// How long: 90m, 1h30m, "1h 30m", 2.5h or 1:30 (a bare number is refused: minutes or hours?).
        #[arg(value_parser = values::duration)]
        duration: jiff::SignedDuration,
        /// When the work ended (local time, or UTC with --utc): 2026-11-20 14:30, or a date alone for 17:00
        /// that day. Default: now, or just before time already logged there, so durations logged one after
        /// another never overlap.
        #[arg(long, value_name = "DATE|DATETIME", value_parser = values::moment)]
        at: Option<String>,
        /// What the time was for.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List the project's time entries, oldest first.
    List(output::FormatArg),
    /// Change a time entry: only the fields given change.
    Edit(EditArgs),
    /// Delete a time entry (`elicit undo` restores it).
    Delete {
        /// The entry's id, or a unique start of it (as `time list` shows).
        id: String,
    },
    /// Hours per activity and the requirements share against the target band.
    Report {
        /// table, json (every figure) or csv (hours per activity).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// Arguments of `elicit time edit`.
#[derive(Debug, Clone, clap::Args)]
pub struct EditArgs {
    /// The entry's id, or a unique start of it (as `time list` shows).
    pub id: String,
    /// New activity.
    #[arg(long)]
    pub activity: Option<Activity>,
    /// New start (local time, or UTC with --utc), e.g. "2026-11-20 09:00".
    #[arg(long, value_name = "DATETIME", value_parser = values::exact_moment)]
    pub start: Option<String>,
    /// New end (local time, or UTC with --utc), e.g. "2026-11-20 10:30".
    #[arg(long, value_name = "DATETIME", conflicts_with = "duration", value_parser = values::exact_moment)]
    pub end: Option<String>,
    /// New length, counted from the (new) start: 90m, 1h30m, 2.5h.
    #[arg(long, value_parser = values::duration)]
    pub duration: Option<jiff::SignedDuration>,
    /// New note.
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run(store: &mut Store, key: Option<&str>, command: TimeCommand, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    match command {
        TimeCommand::Start { activity, note } => {
            let (started, stopped) = store.switch_timer(project.id, activity, &note)?;
            if let Some(s) = stopped {
                writeln!(out, "stopped {} after {}", s.activity, format_hm(length(&s, store.now())))?;
            }
            writeln!(out, "started {} at {} {}", started.activity, format_clock(started.started_at), zone_label())?;
        }
        TimeCommand::Stop => match store.stop_timer(project.id)? {
            Some(s) => writeln!(
                out,
                "stopped {} after {} (started {} {})",
                s.activity,
                format_hm(length(&s, store.now())),
                format_minute(s.started_at),
                zone_label()
            )?,
            None => bail!("no timer is running in {}; start one with `elicit time start ACTIVITY`", project.key),
        },
        TimeCommand::Log { activity, duration: length, at, note } => {
            let now = store.now();
            let end = match at.as_deref() {
                // Just spent: it ends now, or just before time already logged there.
                None => store.free_end(project.id, now, length)?,
                Some(text) => match parse_moment(text)? {
                    // A bare date means the end of that working day; today, now if that is still to come.
                    m @ Moment::Day(day) if day == local_date(now) => m.at_hour(END_OF_WORKING_DAY).min(now),
                    m @ Moment::Day(_) => m.at_hour(END_OF_WORKING_DAY),
                    Moment::At(t) => t,
                },
            };
            let start = end.checked_sub(length)?;
            check_entry_times(start, Some(end), now)?;
            let entry = store.add_time_entry(
                project.id,
                NewTimeEntry { activity, started_at: start, ended_at: Some(end), interview: None, note },
            )?;
            writeln!(
                out,
                "logged {} of {}, {}–{} {} (id {})",
                format_duration(length),
                entry.activity,
                format_minute(start),
                format_clock(end),
                zone_label(),
                short_id_of(store, &entry)?
            )?;
        }
        TimeCommand::List(f) => list(store, &project, f.format, out)?,
        TimeCommand::Edit(args) => edit(store, &project, args, out)?,
        TimeCommand::Delete { id } => {
            let entry = store.find_time_entry(project.id, &id)?;
            store.delete_time_entry(entry.id)?;
            writeln!(
                out,
                "deleted {} {} from {} {} (undo with `elicit undo`)",
                entry.activity,
                format_hm(length(&entry, store.now())),
                format_minute(entry.started_at),
                zone_label()
            )?;
        }
        TimeCommand::Report { format } => report(store, &project, format, out)?,
    }
    Ok(())
}

/// How long an entry lasted, a running one up to `now`.
fn length(e: &TimeEntry, now: Timestamp) -> jiff::SignedDuration {
    e.ended_at.unwrap_or(now).duration_since(e.started_at)
}

/// The shortest end of each id (at least 8 hex digits) that no other id shares. Ends, not starts: an id's
/// start is the time it was made (UUID v7), so entries made within a minute of each other share it and a
/// short start printed now would be ambiguous a minute later; the end is random, so it stays unique.
fn short_ids(ids: &[String]) -> Vec<String> {
    let reversed: Vec<String> = ids.iter().map(|i| i.chars().rev().filter(|c| *c != '-').collect()).collect();
    let mut order: Vec<usize> = (0..reversed.len()).collect();
    order.sort_by(|a, b| reversed[*a].cmp(&reversed[*b]));
    let common = |a: &str, b: &str| a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let mut out = vec![String::new(); reversed.len()];
    for (k, &i) in order.iter().enumerate() {
        let before = k.checked_sub(1).map_or(0, |p| common(&reversed[order[p]], &reversed[i]));
        let after = order.get(k + 1).map_or(0, |&n| common(&reversed[n], &reversed[i]));
        let n = (before.max(after) + 1).max(8);
        out[i] = reversed[i].chars().take(n).collect::<Vec<_>>().into_iter().rev().collect();
    }
    out
}

/// The short id `time list` shows for this entry.
fn short_id_of(store: &Store, entry: &TimeEntry) -> Result<String> {
    let ids: Vec<String> = store.time_entries(entry.project_id)?.iter().map(|e| e.id.to_string()).collect();
    let wanted = entry.id.to_string();
    Ok(ids.iter().position(|i| *i == wanted).map_or(wanted, |at| short_ids(&ids).swap_remove(at)))
}

#[derive(Serialize)]
struct EntryJson {
    id: String,
    activity: Activity,
    started_at: String,
    ended_at: Option<String>,
    hours: f64,
    running: bool,
    interview: Option<String>,
    note: String,
    /// Overlaps another entry: the shared minutes count once in the share.
    overlaps: bool,
}

fn round(h: f64) -> f64 {
    (h * 10_000.0).round() / 10_000.0
}

fn list(store: &Store, project: &Project, format: Format, out: &mut dyn Write) -> Result<()> {
    let entries = store.time_entries(project.id)?;
    let now = store.now();
    if entries.is_empty() && format == Format::Table {
        writeln!(out, "no time logged yet; try `elicit time start requirements` or `elicit time log design 1h30m`")?;
        return Ok(());
    }
    let ids = short_ids(&entries.iter().map(|e| e.id.to_string()).collect::<Vec<_>>());
    let overlaps = analysis::overlapping_entries(&entries, now);
    let items: Vec<EntryJson> = entries
        .iter()
        .zip(&overlaps)
        .map(|(e, overlaps)| EntryJson {
            id: e.id.to_string(),
            activity: e.activity,
            started_at: format_timestamp(e.started_at),
            ended_at: e.ended_at.map(format_timestamp),
            hours: round(analysis::entry_hours(e, now)),
            running: e.ended_at.is_none(),
            interview: e.interview.map(|i| i.to_string()),
            note: e.note.clone(),
            overlaps: *overlaps,
        })
        .collect();
    match format {
        Format::Json => output::json(out, &items),
        Format::Csv => {
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|e| {
                    vec![
                        e.id.clone(),
                        e.activity.to_string(),
                        e.started_at.clone(),
                        e.ended_at.clone().unwrap_or_default(),
                        e.hours.to_string(),
                        e.running.to_string(),
                        e.interview.clone().unwrap_or_default(),
                        e.note.clone(),
                        e.overlaps.to_string(),
                    ]
                })
                .collect();
            output::csv(
                out,
                &["id", "activity", "started_at", "ended_at", "hours", "running", "interview", "note", "overlaps"],
                &rows,
            )
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = entries
                .iter()
                .zip(&ids)
                .zip(&overlaps)
                .map(|((e, id), overlaps)| {
                    let mark = if *overlaps { " *" } else { "" };
                    vec![
                        id.clone(),
                        format_minute(e.started_at),
                        e.ended_at.map_or("running".into(), format_clock),
                        format!("{}{mark}", format_hm(length(e, now))),
                        e.activity.to_string(),
                        e.note.clone(),
                    ]
                })
                .collect();
            let start = format!("START ({})", zone_label());
            output::table(out, &["ID", &start, "END", "LENGTH", "ACTIVITY", "NOTE"], &rows, 60)?;
            writeln!(out, "{} entr{}", entries.len(), if entries.len() == 1 { "y" } else { "ies" })?;
            let overlapping = overlaps.iter().filter(|o| **o).count();
            if overlapping > 0 {
                writeln!(out, "{}", overlap_note(overlapping))?;
            }
            Ok(())
        }
    }
}

/// A moment for `edit`, already checked by clap to be exact (a bare date would silently pick an hour),
/// read now that the display zone is known.
fn exact(text: &str) -> Result<Timestamp> {
    Ok(parse_moment(text)?.at_hour(0))
}

fn edit(store: &mut Store, project: &Project, args: EditArgs, out: &mut dyn Write) -> Result<()> {
    let entry = store.find_time_entry(project.id, &args.id)?;
    let started_at = args.start.as_deref().map(exact).transpose()?;
    let start = started_at.unwrap_or(entry.started_at);
    let ended_at = match (args.end.as_deref(), args.duration) {
        (Some(e), _) => Some(Some(exact(e)?)),
        (None, Some(d)) => Some(Some(start.checked_add(d)?)),
        (None, None) => None,
    };
    let patch = TimeEntryPatch { activity: args.activity, started_at, ended_at, note: args.note };
    if patch.is_empty() {
        bail!("nothing to change; give at least one of --activity, --start, --end, --duration, --note");
    }
    let saved = store.update_time_entry(entry.id, patch)?;
    let end = saved.ended_at.map_or("running".into(), |t| format!("{} {}", format_clock(t), zone_label()));
    writeln!(
        out,
        "updated {}: {} {}–{end} ({})",
        short_id_of(store, &saved)?,
        saved.activity,
        format_minute(saved.started_at),
        format_hm(length(&saved, store.now()))
    )?;
    Ok(())
}

#[derive(Serialize)]
struct RunningJson {
    id: String,
    activity: Activity,
    started_at: String,
    hours: f64,
    interview: Option<String>,
}

#[derive(Serialize)]
struct ReportJson {
    project: String,
    now: String,
    /// Hours per activity, every activity present.
    hours: serde_json::Map<String, serde_json::Value>,
    total_hours: f64,
    requirements_hours: f64,
    share: Option<f64>,
    band_min: f64,
    band_max: f64,
    verdict: Option<analysis::Verdict>,
    planned_hours: Option<f64>,
    planned_share: Option<f64>,
    planned_used: Option<f64>,
    running: Option<RunningJson>,
    /// Entries that overlap another (their shared minutes are counted once).
    overlapping_entries: usize,
}

/// The report for a project at the store's now: the entries' times read from the store's index, then the shared
/// analysis.
pub fn build_report(store: &Store, project: &Project) -> Result<TimeReport> {
    Ok(report_of(&store.time_spans(project.id, store.now())?, project))
}

/// The report over the entries' stretches of time, each moment counted once.
fn report_of(spans: &[Span], project: &Project) -> TimeReport {
    analysis::time_report(&shared_hours(spans), project.target_min, project.target_max, project.planned_hours)
}

/// What the `*` beside overlapping entries means, and what to do about it.
fn overlap_note(n: usize) -> String {
    format!(
        "* {n} entries overlap another: their shared minutes count once in the share; fix the times with \
         `elicit time edit ID --start/--end`"
    )
}

fn percent(f: f64) -> String {
    format!("{:.0}%", f * 100.0)
}

fn report(store: &Store, project: &Project, format: Format, out: &mut dyn Write) -> Result<()> {
    let now = store.now();
    // One read of the entries' times for the sums and the overlaps.
    let spans = store.time_spans(project.id, now)?;
    let r = report_of(&spans, project);
    let overlapping = overlapping(&spans).into_iter().filter(|o| *o).count();
    let running = store.running_timer(project.id)?;
    if format == Format::Csv {
        let mut rows: Vec<Vec<String>> =
            r.activities.iter().map(|a| vec![a.activity.to_string(), round(a.hours).to_string()]).collect();
        rows.push(vec!["total".into(), round(r.total_hours).to_string()]);
        return output::csv(out, &["activity", "hours"], &rows);
    }
    if format == Format::Json {
        let running = running.map(|e| RunningJson {
            id: e.id.to_string(),
            activity: e.activity,
            started_at: format_timestamp(e.started_at),
            hours: round(analysis::entry_hours(&e, now)),
            interview: e.interview.map(|i| i.to_string()),
        });
        let hours = r.activities.iter().map(|a| (a.activity.to_string(), serde_json::json!(round(a.hours)))).collect();
        return output::json(
            out,
            &ReportJson {
                project: project.key.to_string(),
                now: format_timestamp(now),
                hours,
                total_hours: round(r.total_hours),
                requirements_hours: round(r.requirements_hours),
                share: r.share,
                band_min: r.band_min,
                band_max: r.band_max,
                verdict: r.verdict,
                planned_hours: r.planned_hours,
                planned_share: r.planned_share,
                planned_used: r.planned_used,
                running,
                overlapping_entries: overlapping,
            },
        );
    }
    let rows: Vec<Vec<String>> = r
        .activities
        .iter()
        .map(|a| {
            let of_all = if r.total_hours > 0.0 { percent(a.hours / r.total_hours) } else { "-".into() };
            vec![a.activity.to_string(), format!("{:.1}", a.hours), of_all]
        })
        .chain(std::iter::once(vec!["total".into(), format!("{:.1}", r.total_hours), String::new()]))
        .collect();
    output::table(out, &["ACTIVITY", "HOURS", "OF ALL"], &rows, 40)?;
    let band = format!("{}–{}", percent(r.band_min), percent(r.band_max));
    match (r.share, r.verdict) {
        (Some(s), Some(v)) => writeln!(out, "requirements share: {} ({}, {band})", percent(s), v.describe())?,
        (Some(s), None) => writeln!(
            out,
            "requirements share: {} so far (only {:.1} h logged; judged against {band} from {:.0} h)",
            percent(s),
            r.total_hours,
            analysis::MEANINGFUL_HOURS
        )?,
        _ => writeln!(out, "requirements share: none yet (no time logged; target band {band})")?,
    }
    if let (Some(p), Some(ps), Some(pu)) = (r.planned_hours, r.planned_share, r.planned_used) {
        writeln!(
            out,
            "planned: {p:.0} h; requirements so far {} of the plan, {} of the plan used",
            percent(ps),
            percent(pu)
        )?;
    }
    if overlapping > 0 {
        writeln!(out, "{}", overlap_note(overlapping).trim_start_matches("* "))?;
    }
    if let Some(e) = running {
        writeln!(
            out,
            "running: {} since {} {} ({}, counted up to now)",
            e.activity,
            format_minute(e.started_at),
            zone_label(),
            format_hm(length(&e, now))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_are_unique_ends_of_at_least_eight_digits() {
        let ids: Vec<String> = [
            "0190aaaa-bbbb-7ccc-8ddd-100000000001",
            "0190aaaa-bbbb-7ccc-8ddd-200000000001",
            "0190aaaa-bbbb-7ccc-8ddd-0000abcdef12",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let short = short_ids(&ids);
        assert_eq!(short[0], "100000000001");
        assert_eq!(short[1], "200000000001");
        assert_eq!(short[2], "abcdef12");
    }
}
