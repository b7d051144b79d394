//! `confirm`, `history` and `set`: what comes after the interview. Recording the stakeholders' answers,
//! reading what happened to a requirement, and changing many requirements at once.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::output::{self, Format};
use crate::domain::*;
use crate::store::{BulkEdit, NewConfirmation, Store};

/// Arguments of `elicit confirm`.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfirmArgs {
    /// Requirement ids: SHOP-7, 7, or a UUID; several at once.
    #[arg(value_name = "ID", required_unless_present = "interview")]
    pub ids: Vec<String>,
    /// Every requirement captured in this interview (its title, a unique start of it, or its uuid): a whole
    /// read-back answered at once.
    #[arg(long, value_name = "INTERVIEW")]
    pub interview: Option<String>,
    /// The stakeholder who answered: a name or a unique start of it.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// They asked for a change (instead of confirming).
    #[arg(long, conflicts_with = "rejected")]
    pub changed: bool,
    /// They rejected it (instead of confirming).
    #[arg(long)]
    pub rejected: bool,
    /// What they said, kept with the answer.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
}

/// Arguments of `elicit history`.
#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// Requirement id: SHOP-7, 7, or its UUID.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Arguments of `elicit set`: one change to many requirements, saved (and undone) as one.
#[derive(Debug, Clone, clap::Args)]
pub struct SetArgs {
    /// Requirement ids: SHOP-7, 7, or a UUID; several at once.
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
    /// Move them to this journey stage (name or number); `none` takes them out of any stage.
    #[arg(long)]
    pub stage: Option<String>,
    /// Set this status on all of them.
    #[arg(long)]
    pub status: Option<Status>,
    /// Set this priority on all of them.
    #[arg(long)]
    pub priority: Option<Priority>,
    /// Link them to this outcome (statement, a unique start of it, or number), keeping their other links;
    /// repeat for several.
    #[arg(long = "outcome", value_name = "OUTCOME")]
    pub outcomes: Vec<String>,
    /// Unlink them from this outcome; repeat for several.
    #[arg(long = "remove-outcome", value_name = "OUTCOME")]
    pub remove_outcomes: Vec<String>,
    /// Add this tag, keeping their other tags; repeat for several.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Remove this tag; repeat for several.
    #[arg(long = "remove-tag", value_name = "TAG")]
    pub remove_tags: Vec<String>,
}

/// The requirements named by `ids`, in that order.
fn requirements(store: &Store, project: &Project, ids: &[String]) -> Result<Vec<Requirement>> {
    Ok(ids.iter().map(|id| store.find_requirement(project, id)).collect::<Result<_, _>>()?)
}

pub fn confirm(store: &mut Store, key: Option<&str>, args: ConfirmArgs, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let who = store.find_stakeholder(project.id, &args.by)?;
    let mut ids: Vec<RequirementId> = requirements(store, &project, &args.ids)?.iter().map(|r| r.id).collect();
    if let Some(name) = &args.interview {
        let interview = store.find_interview(project.id, name)?;
        let captured = store.interview_heard(interview.id)?;
        if captured.is_empty() && ids.is_empty() {
            bail!("no requirements were captured in {:?}; nothing to confirm", terminal_safe(&interview.title, true));
        }
        ids.extend(captured.into_iter().map(|(id, _)| id));
    }
    let verdict = match (args.changed, args.rejected) {
        (true, _) => Verdict::Changed,
        (_, true) => Verdict::Rejected,
        _ => Verdict::Confirmed,
    };
    let recorded =
        store.confirm(project.id, &ids, NewConfirmation { stakeholder: who.id, verdict, note: args.note })?;
    let mut seqs: Vec<String> = Vec::with_capacity(recorded.len());
    for c in &recorded {
        seqs.push(human_id(&project.key, store.requirement(c.requirement)?.seq));
    }
    let n = recorded.len();
    writeln!(
        out,
        "{} by {}: {} (undo with `elicit undo`)",
        verdict.describe(),
        terminal_safe(&who.name, true),
        if n <= 12 { seqs.join(", ") } else { format!("{n} requirements") }
    )?;
    Ok(())
}

/// The JSON shape of one change in `elicit history`.
#[derive(Debug, Serialize)]
struct ChangeJson<'a> {
    at: String,
    actor: &'a str,
    field: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
}

pub fn history(store: &mut Store, key: Option<&str>, args: HistoryArgs, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let req = store.find_requirement(&project, &args.id)?;
    let changes = store.requirement_history(req.id)?;
    let id = human_id(&project.key, req.seq);
    match args.format {
        Format::Json => {
            let items: Vec<ChangeJson<'_>> = changes
                .iter()
                .map(|c| ChangeJson {
                    at: format_timestamp(c.at),
                    actor: &c.actor,
                    field: &c.field,
                    old: c.old.as_deref(),
                    new: c.new.as_deref(),
                })
                .collect();
            output::json(out, &items)
        }
        Format::Csv => {
            let rows: Vec<Vec<String>> = changes
                .iter()
                .map(|c| {
                    vec![
                        format_timestamp(c.at),
                        c.actor.clone(),
                        c.field.clone(),
                        c.old.clone().unwrap_or_default(),
                        c.new.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            output::csv(out, &["at", "actor", "field", "old", "new"], &rows)
        }
        Format::Table => {
            writeln!(out, "{id}  {}", terminal_safe(&req.title, true))?;
            if changes.is_empty() {
                writeln!(out, "no recorded changes")?;
                return Ok(());
            }
            // One line each: a long or multi-line value is cut, `--format json` has it whole.
            let value = |v: &Option<String>| match v.as_deref() {
                None => "-".to_owned(),
                Some("") => "(empty)".to_owned(),
                Some(v) => v.split_whitespace().collect::<Vec<_>>().join(" "),
            };
            let rows: Vec<Vec<String>> = changes
                .iter()
                .map(|c| {
                    let change = match (&c.old, &c.new, c.field.as_str()) {
                        (_, _, "created") => "created".to_owned(),
                        (None, Some(_), "confirmation") => value(&c.new),
                        _ => format!("{} -> {}", fit(&value(&c.old), 40), fit(&value(&c.new), 40)),
                    };
                    vec![format_minute(c.at), c.actor.clone(), c.field.clone(), change]
                })
                .collect();
            let when = format!("WHEN ({})", zone_label());
            output::table(out, &[&when, "WHO", "FIELD", "CHANGE"], &rows, 90)?;
            Ok(())
        }
    }
}

pub fn set(store: &mut Store, key: Option<&str>, args: SetArgs, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let reqs = requirements(store, &project, &args.ids)?;
    let is_none = |s: &str| s.trim().eq_ignore_ascii_case("none") || s.trim().is_empty();
    let stage = match args.stage.as_deref() {
        None => None,
        Some(s) if is_none(s) => Some(None),
        Some(s) => Some(Some(store.find_stage(project.id, s)?.id)),
    };
    let outcomes = |names: &[String]| -> Result<Vec<OutcomeId>> {
        Ok(names.iter().map(|o| store.find_outcome(project.id, o).map(|o| o.id)).collect::<Result<_, _>>()?)
    };
    let edit = BulkEdit {
        stage,
        status: args.status,
        priority: args.priority,
        link_outcomes: outcomes(&args.outcomes)?,
        unlink_outcomes: outcomes(&args.remove_outcomes)?,
        add_tags: args.tags,
        remove_tags: args.remove_tags,
    };
    if edit.is_empty() {
        bail!(
            "nothing to change; give --stage, --status, --priority, --outcome, --remove-outcome, --tag or \
             --remove-tag, e.g. `elicit set {} --priority must`",
            args.ids.join(" ")
        );
    }
    let ids: Vec<RequirementId> = reqs.iter().map(|r| r.id).collect();
    let done = store.bulk_edit(project.id, &ids, &edit)?;
    let named = |list: &[RequirementId]| -> Vec<String> {
        reqs.iter().filter(|r| list.contains(&r.id)).map(|r| human_id(&project.key, r.seq)).collect()
    };
    let (changed, unchanged) = (named(&done.changed), named(&done.unchanged));
    if changed.is_empty() {
        writeln!(out, "nothing changed (the values given are the current ones)")?;
        return Ok(());
    }
    writeln!(
        out,
        "updated {} requirement{}: {} (one `elicit undo` takes it back)",
        changed.len(),
        if changed.len() == 1 { "" } else { "s" },
        changed.join(", ")
    )?;
    if !unchanged.is_empty() {
        writeln!(out, "already so: {}", unchanged.join(", "))?;
    }
    Ok(())
}
