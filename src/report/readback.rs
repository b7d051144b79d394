//! The read-back: one page to send the stakeholder after an interview, in their words. What was heard,
//! grouped by journey stage, each requirement with its outcome and priority (and the words said, where a
//! note was turned into it), then the open questions: what is still unclear about these requirements and
//! which parts of the journey nobody has spoken about yet.

use std::io::Write;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::ReportError;
use crate::analysis::coverage;
use crate::domain::*;
use crate::store::Store;

const MARKDOWN: &str = include_str!("../../assets/readback/readback.md");
const HTML: &str = include_str!("../../assets/readback/readback.html");

/// The formats a read-back is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReadbackFormat {
    /// Markdown: pastes into an e-mail or a chat.
    Md,
    /// HTML: one self-contained page (no scripts, no network), prints on one or two sheets.
    Html,
}

/// One requirement as read back.
#[derive(Debug, Serialize)]
pub struct ReadbackItem {
    pub id: String,
    pub title: String,
    /// The statement, when it says more than the title.
    pub statement: String,
    /// The stakeholder's own words, when kept.
    pub quote: String,
    pub priority: String,
    pub outcomes: Vec<String>,
}

/// A journey stage and what was heard about it.
#[derive(Debug, Serialize)]
pub struct ReadbackGroup {
    pub stage: String,
    pub items: Vec<ReadbackItem>,
}

/// Everything the page shows.
#[derive(Debug, Serialize)]
pub struct Readback {
    pub project: String,
    pub title: String,
    pub mode: String,
    /// "Tuesday 1 December 2026, 09:00–09:40 UTC".
    pub when: String,
    pub with: Vec<String>,
    pub count: usize,
    /// The id of the first line, for the "reply with the id" sentence.
    pub example_id: String,
    pub groups: Vec<ReadbackGroup>,
    pub questions: Vec<String>,
}

/// The read-back of `interview`, from what is saved now.
pub fn build(store: &Store, project: &Project, interview: &Interview) -> Result<Readback, ReportError> {
    let stages = store.stages(project.id)?;
    let outcomes = store.outcomes(project.id)?;
    let stakeholders = store.stakeholders(project.id)?;
    let interviews = store.interviews(project.id)?;
    let mut captured = Vec::new();
    for (id, _) in store.interview_heard(interview.id)? {
        captured.push(store.requirement(id)?);
    }
    let human = |seq| human_id(&project.key, seq);
    let mut questions = Vec::new();
    let mut groups: Vec<ReadbackGroup> = Vec::new();
    // In journey order, then what has no stage yet.
    let order = stages.iter().map(|s| Some(s.id)).chain(std::iter::once(None));
    for stage in order {
        let items: Vec<ReadbackItem> = captured
            .iter()
            .filter(|r| r.stage == stage)
            .map(|r| {
                if r.outcomes.is_empty() {
                    questions.push(format!(
                        "{} {}: what result for the customer should this bring?",
                        human(r.seq),
                        r.title
                    ));
                }
                if r.acceptance.trim().is_empty() {
                    questions.push(format!("{} {}: how will we know it works?", human(r.seq), r.title));
                }
                ReadbackItem {
                    id: human(r.seq),
                    title: r.title.clone(),
                    statement: if r.statement.trim() == r.title.trim() { String::new() } else { r.statement.clone() },
                    quote: r.quote.clone(),
                    priority: r.priority.to_string(),
                    outcomes: r
                        .outcomes
                        .iter()
                        .filter_map(|o| outcomes.iter().find(|x| x.id == *o).map(|x| x.statement.clone()))
                        .collect(),
                }
            })
            .collect();
        if !items.is_empty() {
            let name =
                stage.and_then(|s| stages.iter().find(|x| x.id == s)).map_or("No stage yet", |s| s.name.as_str());
            groups.push(ReadbackGroup { stage: name.to_owned(), items });
        }
    }
    // What nobody has spoken about yet: stages with no requirement in the whole project.
    let all = store.requirements(project, &crate::store::RequirementFilter::default())?;
    let c = coverage::coverage(&stages, &outcomes, &stakeholders, &interviews, all.iter().map(|r| &r.requirement));
    let departments: Vec<&str> = interview
        .stakeholders
        .iter()
        .filter_map(|s| stakeholders.iter().find(|x| x.id == *s))
        .map(|s| s.department.trim())
        .filter(|d| !d.is_empty())
        .collect();
    let whose = if departments.is_empty() { "you".to_owned() } else { departments.join(" and ") };
    for s in c.stages_without_requirements.iter().filter_map(|s| stages.iter().find(|x| x.id == *s)) {
        questions.push(format!("Nothing yet about {}: does it matter to {whose}?", s.name));
    }
    let with = interview
        .stakeholders
        .iter()
        .filter_map(|s| stakeholders.iter().find(|x| x.id == *s))
        .map(|s| if s.role.is_empty() { s.name.clone() } else { format!("{} ({})", s.name, s.role) })
        .collect();
    let when = interview_when(interview);
    Ok(Readback {
        project: format!("{} {}", project.key, project.name),
        title: interview.title.clone(),
        mode: interview.mode.to_string(),
        when,
        with,
        count: captured.len(),
        example_id: groups
            .first()
            .and_then(|g| g.items.first())
            .map_or_else(|| human_id(&project.key, 1), |i| i.id.clone()),
        groups,
        questions,
    })
}

/// When an interview was held, for people, in the display zone: "Tuesday 1 December 2026, 09:00–09:40 UTC"
/// (the read-back and the report's interviews say it the same way).
pub(super) fn interview_when(interview: &Interview) -> String {
    let day = shown(interview.started_at).strftime("%A %-d %B %Y, %H:%M").to_string();
    match interview.ended_at {
        Some(end) => format!("{day}–{} {}", format_clock(end), zone_label()),
        None => format!("{day} {} (still open)", zone_label()),
    }
}

/// Writes the read-back in `format` to `out`.
pub fn write(readback: &Readback, format: ReadbackFormat, out: &mut dyn Write) -> Result<(), ReportError> {
    let mut env = Environment::new();
    // Block tags on their own lines leave no blank lines behind.
    env.set_syntax(SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build()?);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None });
    env.add_filter("md", super::template::escape_text);
    env.add_template("readback.md", MARKDOWN)?;
    env.add_template("readback.html", HTML)?;
    let name = match format {
        ReadbackFormat::Md => "readback.md",
        ReadbackFormat::Html => "readback.html",
    };
    let page = env.get_template(name)?.render(Serde(readback))?;
    out.write_all(page.as_bytes())?;
    Ok(())
}

/// Writes the read-back to the file `path` (never over the database; a file that exists is replaced
/// whole or not at all).
pub fn write_file(
    store: &Store,
    readback: &Readback,
    format: ReadbackFormat,
    path: &std::path::Path,
) -> Result<(), ReportError> {
    crate::files::refuse_database(path, store.path())?;
    crate::files::write_replacing(path, crate::files::Privacy::Private, |out| write(readback, format, out))
}
