//! `stage`, `outcome` and `stakeholder` subcommands, so a project can be set up from a script.

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;
use serde::Serialize;

use super::output::{self, FormatArg};
use crate::analysis::{self, coverage};
use crate::domain::*;
use crate::store::{OutcomeFields, StakeholderFields, Store};

/// `elicit stage ...`
#[derive(Debug, Subcommand)]
pub enum StageCommand {
    /// Add a stage at the end of the journey.
    Add {
        /// The stage's name, e.g. "Return".
        name: String,
        /// What happens in it, from the customer's side.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List the stages in journey order.
    List(FormatArg),
    /// Rename a stage or change its description.
    Rename {
        /// The stage, by name or number.
        stage: String,
        /// The new name.
        name: String,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Move a stage earlier (negative) or later (positive) in the journey.
    Move {
        /// The stage, by name or number.
        stage: String,
        /// How many places: -1 is one earlier, 2 is two later.
        #[arg(allow_hyphen_values = true)]
        by: i64,
    },
    /// Delete a stage; its requirements move to --move-to, or lose their stage.
    Delete {
        /// The stage, by name or number.
        stage: String,
        /// The stage its requirements move to (by name or number); without it they lose their stage.
        #[arg(long, value_name = "STAGE")]
        move_to: Option<String>,
    },
}

/// `elicit outcome ...`
#[derive(Debug, Subcommand)]
pub enum OutcomeCommand {
    /// Add a measurable customer outcome.
    Add {
        /// What changes for the customer, e.g. "Billing questions resolved in one contact".
        statement: String,
        /// How it is measured.
        #[arg(long, default_value = "custom")]
        metric: Metric,
        /// Where the measure stands today.
        #[arg(long)]
        baseline: Option<f64>,
        /// Where it should get to.
        #[arg(long)]
        target: Option<f64>,
        /// e.g. %, points, days.
        #[arg(long, default_value = "")]
        unit: String,
    },
    /// List outcomes with the number of requirements linked.
    List(FormatArg),
}

/// `elicit stakeholder ...`
#[derive(Debug, Subcommand)]
pub enum StakeholderCommand {
    /// Add a stakeholder.
    Add {
        /// Their name, as interviews and `--source` refer to them.
        name: String,
        /// Their role, e.g. "Store manager".
        #[arg(long, default_value = "")]
        role: String,
        /// Their department.
        #[arg(long, default_value = "")]
        department: String,
        /// Their organisation, for people outside yours.
        #[arg(long, default_value = "")]
        organisation: String,
        /// How to reach them (e-mail, phone).
        #[arg(long, default_value = "")]
        contact: String,
        /// Anything else worth knowing.
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// List stakeholders.
    List(FormatArg),
}

/// `elicit department`: the departments the project expects to hear from.
#[derive(Debug, Subcommand)]
pub enum DepartmentCommand {
    /// Add departments the project expects to hear from (coverage names those nobody was met from).
    Add {
        /// Department names, e.g. Billing "Customer care".
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Stop expecting these departments (their stakeholders still count).
    Remove {
        /// Department names (ignoring case).
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// List the departments expected and those of the stakeholders, and how each was heard.
    List(FormatArg),
}

#[derive(Serialize)]
struct StageJson {
    position: i64,
    uuid: String,
    name: String,
    description: String,
    requirements: usize,
}

pub fn stage(store: &mut Store, key: Option<&str>, cmd: StageCommand, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    match cmd {
        StageCommand::Add { name, description } => {
            let s = store.add_stage(project.id, &name, &description)?;
            writeln!(out, "added stage {} ({})", terminal_safe(&s.name, true), s.position)?;
        }
        StageCommand::List(f) => {
            let stages = store.stages(project.id)?;
            let reqs = store.requirements(&project, &Default::default())?;
            let items: Vec<StageJson> = stages
                .iter()
                .enumerate()
                .map(|(i, s)| StageJson {
                    position: i as i64 + 1,
                    uuid: s.id.to_string(),
                    name: s.name.clone(),
                    description: s.description.clone(),
                    requirements: reqs.iter().filter(|r| r.requirement.stage == Some(s.id)).count(),
                })
                .collect();
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|s| {
                    vec![s.position.to_string(), s.name.clone(), s.requirements.to_string(), s.description.clone()]
                })
                .collect();
            output::listing(out, f.format, &["#", "STAGE", "REQUIREMENTS", "DESCRIPTION"], &rows, &items)?;
        }
        StageCommand::Rename { stage, name, description } => {
            let s = store.find_stage(project.id, &stage)?;
            let s = store.update_stage(s.id, Some(&name), description.as_deref())?;
            writeln!(out, "renamed stage to {}", terminal_safe(&s.name, true))?;
        }
        StageCommand::Move { stage, by } => {
            let s = store.find_stage(project.id, &stage)?;
            store.move_stage(s.id, by)?;
            let names: Vec<String> = store.stages(project.id)?.into_iter().map(|s| s.name).collect();
            writeln!(out, "journey: {}", terminal_safe(&names.join(" > "), true))?;
        }
        StageCommand::Delete { stage, move_to } => {
            let s = store.find_stage(project.id, &stage)?;
            let target = move_to.as_deref().map(|t| store.find_stage(project.id, t)).transpose()?;
            let moved = store.delete_stage(s.id, target.as_ref().map(|t| t.id))?;
            let whereto = target.map_or("no stage".to_owned(), |t| terminal_safe(&t.name, true));
            writeln!(
                out,
                "deleted stage {}; {moved} requirement(s) moved to {whereto} (undo with `elicit undo`)",
                terminal_safe(&s.name, true)
            )?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct OutcomeJson {
    number: usize,
    uuid: String,
    statement: String,
    metric: Metric,
    baseline: Option<f64>,
    target: Option<f64>,
    unit: String,
    requirements: usize,
}

fn number(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v}"))
}

pub fn outcome(store: &mut Store, key: Option<&str>, cmd: OutcomeCommand, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    match cmd {
        OutcomeCommand::Add { statement, metric, baseline, target, unit } => {
            let o = store.add_outcome(project.id, OutcomeFields { statement, metric, baseline, target, unit })?;
            writeln!(out, "added outcome {}", terminal_safe(&o.statement, true))?;
        }
        OutcomeCommand::List(f) => {
            let outcomes = store.outcomes(project.id)?;
            let reqs = store.requirements(&project, &Default::default())?;
            let items: Vec<OutcomeJson> = outcomes
                .into_iter()
                .enumerate()
                .map(|(i, o)| OutcomeJson {
                    number: i + 1,
                    uuid: o.id.to_string(),
                    requirements: reqs.iter().filter(|r| r.requirement.outcomes.contains(&o.id)).count(),
                    statement: o.statement,
                    metric: o.metric,
                    baseline: o.baseline,
                    target: o.target,
                    unit: o.unit,
                })
                .collect();
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|o| {
                    vec![
                        o.number.to_string(),
                        o.metric.to_string(),
                        format!("{} -> {} {}", number(o.baseline), number(o.target), o.unit).trim().to_owned(),
                        o.requirements.to_string(),
                        o.statement.clone(),
                    ]
                })
                .collect();
            output::listing(
                out,
                f.format,
                &["#", "METRIC", "BASELINE -> TARGET", "REQUIREMENTS", "OUTCOME"],
                &rows,
                &items,
            )?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct StakeholderJson {
    uuid: String,
    name: String,
    role: String,
    department: String,
    organisation: String,
    contact: String,
    notes: String,
    interviews: usize,
    requirements: usize,
    /// Of their requirements, how many they have yet to confirm (no answer, changed since, change asked).
    unconfirmed: usize,
}

pub fn stakeholder(store: &mut Store, key: Option<&str>, cmd: StakeholderCommand, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    match cmd {
        StakeholderCommand::Add { name, role, department, organisation, contact, notes } => {
            let s = store.add_stakeholder(
                project.id,
                StakeholderFields { name, role, department, organisation, contact, notes },
            )?;
            writeln!(out, "added stakeholder {}", terminal_safe(&s.name, true))?;
        }
        StakeholderCommand::List(f) => {
            let people = store.stakeholders(project.id)?;
            let interviews = store.interviews(project.id)?;
            let reqs = store.requirements(&project, &Default::default())?;
            let sign_offs = store.sign_offs(project.id)?;
            let items: Vec<StakeholderJson> = people
                .into_iter()
                .map(|s| StakeholderJson {
                    unconfirmed: analysis::stakeholder_sign_off(reqs.iter().map(|d| &d.requirement), &sign_offs, s.id)
                        .unconfirmed(),
                    uuid: s.id.to_string(),
                    interviews: interviews.iter().filter(|i| i.stakeholders.contains(&s.id)).count(),
                    requirements: reqs.iter().filter(|r| r.requirement.sources.contains(&s.id)).count(),
                    name: s.name,
                    role: s.role,
                    department: s.department,
                    organisation: s.organisation,
                    contact: s.contact,
                    notes: s.notes,
                })
                .collect();
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.role.clone(),
                        s.department.clone(),
                        s.interviews.to_string(),
                        s.requirements.to_string(),
                        s.unconfirmed.to_string(),
                    ]
                })
                .collect();
            output::listing(
                out,
                f.format,
                &["NAME", "ROLE", "DEPARTMENT", "INTERVIEWS", "REQUIREMENTS", "UNCONFIRMED"],
                &rows,
                &items,
            )?;
        }
    }
    Ok(())
}

pub fn department(store: &mut Store, key: Option<&str>, cmd: DepartmentCommand, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let mut expected = store.departments(project.id)?;
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    match cmd {
        DepartmentCommand::Add { names } => {
            expected.extend(names);
            let changed = store.set_departments(project.id, &expected)?;
            let now = store.departments(project.id)?;
            let safe: Vec<String> = now.iter().map(|d| terminal_safe(d, true)).collect();
            let verb = if changed { "departments expected" } else { "already expected" };
            writeln!(out, "{verb}: {}", safe.join(", "))?;
        }
        DepartmentCommand::Remove { names } => {
            if let Some(unknown) = names.iter().find(|n| !expected.iter().any(|e| same(e, n))) {
                let listed = if expected.is_empty() { "none".into() } else { expected.join(", ") };
                anyhow::bail!(
                    "{:?} is not an expected department; expected: {}",
                    terminal_safe(unknown, true),
                    terminal_safe(&listed, true)
                );
            }
            expected.retain(|e| !names.iter().any(|n| same(e, n)));
            store.set_departments(project.id, &expected)?;
            let listed = if expected.is_empty() { "none".into() } else { expected.join(", ") };
            writeln!(out, "departments expected: {}", terminal_safe(&listed, true))?;
        }
        DepartmentCommand::List(f) => {
            let people = store.stakeholders(project.id)?;
            let interviews = store.interviews(project.id)?;
            let reqs = store.requirements(&project, &Default::default())?;
            let sources = reqs.iter().flat_map(|d| d.requirement.sources.iter().map(move |s| (d.requirement.id, *s)));
            let all = coverage::expect(coverage::departments(&people, &interviews, sources), &expected);
            if all.is_empty() && f.format == super::Format::Table {
                writeln!(
                    out,
                    "no departments yet; list those you expect to hear from with `elicit department add NAME`"
                )?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|d| {
                    vec![
                        d.department.clone(),
                        if d.expected { "yes" } else { "-" }.into(),
                        d.stakeholders.to_string(),
                        d.interviewed.to_string(),
                        d.requirements.to_string(),
                    ]
                })
                .collect();
            output::listing(
                out,
                f.format,
                &["DEPARTMENT", "EXPECTED", "STAKEHOLDERS", "INTERVIEWED", "REQUIREMENTS"],
                &rows,
                &all,
            )?;
        }
    }
    Ok(())
}
