//! `init`, `demo`, `projects`, `journeys`.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::output::{self, Format};
use crate::domain::*;
use crate::journeys;
use crate::store::{NewProject, Store};

/// Arguments of `elicit init`.
#[derive(Debug, Clone, clap::Args)]
pub struct InitArgs {
    /// Project key: 2-8 upper-case letters; it prefixes requirement ids (CHK-7).
    #[arg(long)]
    pub key: ProjectKey,
    /// Project name.
    #[arg(long)]
    pub name: String,
    /// Journey template (see `elicit journeys`), or `none` for no stages.
    #[arg(long, default_value = journeys::DEFAULT_TEMPLATE)]
    pub journey: String,
    /// Hours planned for the whole project, for the requirements-share figure.
    #[arg(long, value_name = "HOURS")]
    pub planned_hours: Option<f64>,
    /// Lower end of the target requirements share (fraction).
    #[arg(long, default_value_t = 0.25, value_name = "FRACTION")]
    pub target_min: f64,
    /// Upper end of the target requirements share (fraction).
    #[arg(long, default_value_t = 0.40, value_name = "FRACTION")]
    pub target_max: f64,
    /// A short description of the project.
    #[arg(long, default_value = "")]
    pub description: String,
}

pub fn init(store: &mut Store, args: InitArgs, out: &mut dyn Write) -> Result<()> {
    let key = args.key;
    let (journey, stages) = if args.journey.trim().eq_ignore_ascii_case("none") {
        (String::new(), Vec::new())
    } else {
        let t = journeys::template(&args.journey)?;
        (t.name.clone(), t.stages.into_iter().map(|s| (s.name, s.description)).collect())
    };
    let project = store.create_project(NewProject {
        key,
        name: args.name,
        description: args.description,
        journey: journey.clone(),
        stages,
        planned_hours: args.planned_hours,
        target_min: args.target_min,
        target_max: args.target_max,
    })?;
    let stages = store.stages(project.id)?;
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    writeln!(out, "created project {} ({})", project.key, terminal_safe(&project.name, true))?;
    if !names.is_empty() {
        writeln!(out, "journey ({journey}): {}", names.join(" > "))?;
    }
    writeln!(out, "next: elicit --project {} add \"...\" --stage {}", project.key, names.first().unwrap_or(&"STAGE"))?;
    Ok(())
}

pub fn demo(store: &mut Store, out: &mut dyn Write) -> Result<()> {
    let created = crate::demo::load(store)?;
    let project = created.project;
    if created.already_existed {
        writeln!(out, "the demo project {} is already in this database; nothing added", project.key)?;
    } else {
        let n = store.requirement_count(project.id)?;
        writeln!(out, "created demo project {} ({}) with {n} requirements", project.key, project.name)?;
    }
    writeln!(out, "try: elicit --project {} list", project.key)?;
    Ok(())
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    key: &'a str,
    uuid: String,
    name: &'a str,
    description: &'a str,
    planned_hours: Option<f64>,
    target_min: f64,
    target_max: f64,
    requirements: i64,
    created_at: String,
}

pub fn list(store: &Store, format: Format, out: &mut dyn Write) -> Result<()> {
    let projects = store.projects()?;
    let mut rows = Vec::new();
    let mut items = Vec::new();
    for p in &projects {
        let n = store.requirement_count(p.id)?;
        rows.push(vec![
            p.key.to_string(),
            p.name.clone(),
            n.to_string(),
            format!("{:.0}-{:.0}%", p.target_min * 100.0, p.target_max * 100.0),
        ]);
        items.push(ProjectJson {
            key: p.key.as_str(),
            uuid: p.id.to_string(),
            name: &p.name,
            description: &p.description,
            planned_hours: p.planned_hours,
            target_min: p.target_min,
            target_max: p.target_max,
            requirements: n,
            created_at: format_timestamp(p.created_at),
        });
    }
    if projects.is_empty() && format == Format::Table {
        writeln!(out, "no projects yet; create one with `elicit init --key KEY --name NAME` or try `elicit demo`")?;
        return Ok(());
    }
    output::listing(out, format, &["KEY", "NAME", "REQUIREMENTS", "TARGET"], &rows, &items)
}

pub fn journeys(out: &mut dyn Write) -> Result<()> {
    for t in journeys::templates() {
        let stages: Vec<&str> = t.stages.iter().map(|s| s.name.as_str()).collect();
        writeln!(out, "{:<11} {}", t.name, t.description)?;
        writeln!(out, "{:<11} {}", "", stages.join(" > "))?;
    }
    Ok(())
}
