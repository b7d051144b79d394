//! `add`, `list`, `show`, `edit`, `delete`, `undo`.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::output::{self, Format};
use crate::domain::*;
use crate::report;
use crate::store::{RequirementFilter, Store};

/// Arguments of `elicit add`.
#[derive(Debug, Clone, clap::Args)]
pub struct AddArgs {
    /// One-line title of the requirement.
    pub title: String,
    /// The full statement ("The checkout shall ...").
    #[arg(long, default_value = "")]
    pub statement: String,
    /// Acceptance criteria.
    #[arg(long, default_value = "")]
    pub acceptance: String,
    /// Why it matters.
    #[arg(long, default_value = "")]
    pub rationale: String,
    /// Journey stage, by name or number.
    #[arg(long)]
    pub stage: Option<String>,
    /// Customer outcome it moves, by statement (or a unique start of it) or number; repeat for several.
    #[arg(long = "outcome", value_name = "OUTCOME")]
    pub outcomes: Vec<String>,
    /// MoSCoW priority.
    #[arg(long, default_value = "should")]
    pub priority: Priority,
    /// Where it is in its life.
    #[arg(long, default_value = "draft")]
    pub status: Status,
    /// What sort of need it states.
    #[arg(long, default_value = "functional")]
    pub kind: Kind,
    /// Stakeholder who asked for it, by name; repeat for several (default: those of the running interview).
    #[arg(long = "source", value_name = "STAKEHOLDER")]
    pub sources: Vec<String>,
    /// Touchpoint through which the customer meets the need.
    #[arg(long)]
    pub channel: Option<Channel>,
    /// A tag; repeat for several.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Marks it as addressing a customer pain point.
    #[arg(long)]
    pub pain_point: bool,
    /// Marks it as a moment of truth in the journey.
    #[arg(long)]
    pub moment_of_truth: bool,
}

/// Arguments of `elicit list`.
#[derive(Debug, Clone, clap::Args)]
pub struct ListArgs {
    /// Only this journey stage.
    #[arg(long)]
    pub stage: Option<String>,
    /// Only this status.
    #[arg(long)]
    pub status: Option<Status>,
    /// Only this priority.
    #[arg(long)]
    pub priority: Option<Priority>,
    /// Only those with this tag (ignoring case); repeat for several, all of which must be there.
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Only those linked to this outcome (its statement, a unique start of it, or its number in `outcome list`).
    #[arg(long, value_name = "OUTCOME")]
    pub outcome: Option<String>,
    /// Only those asked for by this stakeholder (a name or a unique start of it).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Only those asked for by someone of this department (its name, ignoring case).
    #[arg(long, value_name = "DEPARTMENT")]
    pub department: Option<String>,
    /// Only those captured in this interview (its title or a unique start of it).
    #[arg(long, value_name = "INTERVIEW")]
    pub interview: Option<String>,
    /// Only those whose title, statement, acceptance or rationale hold every one of these words (ignoring case).
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,
    /// Only those every stakeholder who answered confirmed, unchanged since (see `elicit confirm`).
    #[arg(long, conflicts_with = "unconfirmed")]
    pub confirmed: bool,
    /// Only those still to be confirmed: nobody answered, a change was asked, or edited since an answer.
    #[arg(long)]
    pub unconfirmed: bool,
    /// Include deleted requirements.
    #[arg(long)]
    pub deleted: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// A requirement id argument.
#[derive(Debug, Clone, clap::Args)]
pub struct IdArg {
    /// Requirement id: CHK-7, 7, or its UUID.
    pub id: String,
}

/// Arguments of `elicit show`.
#[derive(Debug, Clone, clap::Args)]
pub struct ShowArgs {
    /// Requirement id: CHK-7, 7, or its UUID.
    pub id: String,
    /// Output format (table prints a readable card).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Arguments of `elicit edit`: only the fields given change.
#[derive(Debug, Clone, clap::Args)]
pub struct EditArgs {
    /// Requirement id: CHK-7, 7, or its UUID.
    pub id: String,
    /// New one-line title.
    #[arg(long)]
    pub title: Option<String>,
    /// New statement ("The checkout shall ...").
    #[arg(long)]
    pub statement: Option<String>,
    /// New acceptance criteria.
    #[arg(long)]
    pub acceptance: Option<String>,
    /// New rationale: why it matters.
    #[arg(long)]
    pub rationale: Option<String>,
    /// Journey stage by name or number; `none` clears it.
    #[arg(long)]
    pub stage: Option<String>,
    /// Replaces the linked outcomes; repeat for several.
    #[arg(long = "outcome", value_name = "OUTCOME")]
    pub outcomes: Vec<String>,
    /// Removes every linked outcome.
    #[arg(long, conflicts_with = "outcomes")]
    pub clear_outcomes: bool,
    /// New MoSCoW priority.
    #[arg(long)]
    pub priority: Option<Priority>,
    /// New status.
    #[arg(long)]
    pub status: Option<Status>,
    /// New kind of need.
    #[arg(long)]
    pub kind: Option<Kind>,
    /// Replaces the sources; repeat for several.
    #[arg(long = "source", value_name = "STAKEHOLDER")]
    pub sources: Vec<String>,
    /// Removes every source.
    #[arg(long, conflicts_with = "sources")]
    pub clear_sources: bool,
    /// Touchpoint; `none` clears it.
    #[arg(long)]
    pub channel: Option<super::values::ChannelOrNone>,
    /// Replaces the tags; repeat for several.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Removes every tag.
    #[arg(long, conflicts_with = "tags")]
    pub clear_tags: bool,
    /// true or false.
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set)]
    pub pain_point: Option<bool>,
    /// true or false.
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set)]
    pub moment_of_truth: Option<bool>,
    /// Only if the requirement is still at this version (as `show` prints it); otherwise nothing is
    /// written and the command fails, so a script never overwrites a change it has not seen.
    #[arg(long, value_name = "N")]
    pub if_version: Option<i64>,
}

/// The JSON shape of a requirement in `list` and `show`.
#[derive(Debug, Serialize)]
pub struct RequirementJson {
    pub id: String,
    pub uuid: String,
    pub title: String,
    pub statement: String,
    pub kind: Kind,
    pub priority: Priority,
    pub status: Status,
    pub stage: Option<String>,
    pub outcomes: Vec<String>,
    pub sources: Vec<String>,
    pub interview: Option<String>,
    pub channel: Option<Channel>,
    pub pain_point: bool,
    pub moment_of_truth: bool,
    pub tags: Vec<String>,
    pub acceptance: String,
    pub rationale: String,
    pub quote: String,
    /// The id in another tool, for requirements imported from one.
    pub external_ref: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    /// Quality score, 0..=100, as `elicit lint` computes it (absent for a deleted requirement).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    /// How many lint findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<usize>,
    /// The stakeholders' answers (absent for a deleted requirement).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<SignOffJson>,
}

/// The JSON shape of a requirement's sign-off.
#[derive(Debug, Serialize)]
pub struct SignOffJson {
    /// unconfirmed, confirmed, change-asked or rejected.
    pub state: SignOffState,
    /// Edited after an answer that counts.
    pub changed_since: bool,
    /// Confirmed by everyone who answered and unchanged since.
    pub confirmed: bool,
    /// The newest answer of each stakeholder.
    pub answers: Vec<AnswerJson>,
}

/// One stakeholder's newest answer.
#[derive(Debug, Serialize)]
pub struct AnswerJson {
    pub stakeholder: String,
    pub verdict: Verdict,
    pub note: String,
    pub at: String,
    /// The requirement's version they answered about.
    pub version: i64,
}

impl From<&SignOff> for SignOffJson {
    fn from(s: &SignOff) -> Self {
        SignOffJson {
            state: s.state(),
            changed_since: s.changed_since(),
            confirmed: s.is_confirmed(),
            answers: s
                .answers
                .iter()
                .map(|a| AnswerJson {
                    stakeholder: a.stakeholder_name.clone(),
                    verdict: a.verdict,
                    note: a.note.clone(),
                    at: format_timestamp(a.at),
                    version: a.version,
                })
                .collect(),
        }
    }
}

impl From<&RequirementDetails> for RequirementJson {
    fn from(d: &RequirementDetails) -> Self {
        let r = &d.requirement;
        RequirementJson {
            id: d.human_id.clone(),
            uuid: r.id.to_string(),
            title: r.title.clone(),
            statement: r.statement.clone(),
            kind: r.kind,
            priority: r.priority,
            status: r.status,
            stage: d.stage_name.clone(),
            outcomes: d.outcome_statements.clone(),
            sources: d.source_names.clone(),
            interview: d.interview_title.clone(),
            channel: r.channel,
            pain_point: r.pain_point,
            moment_of_truth: r.moment_of_truth,
            tags: r.tags.clone(),
            acceptance: r.acceptance.clone(),
            rationale: r.rationale.clone(),
            quote: r.quote.clone(),
            external_ref: r.external_ref.clone(),
            version: r.version,
            created_at: format_timestamp(r.created_at),
            updated_at: format_timestamp(r.updated_at),
            deleted_at: r.deleted_at.map(format_timestamp),
            score: None,
            findings: None,
            confirmation: None,
        }
    }
}

pub fn add(store: &mut Store, key: Option<&str>, args: AddArgs, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let stage = args.stage.as_deref().map(|s| store.find_stage(project.id, s)).transpose()?.map(|s| s.id);
    let outcomes =
        args.outcomes.iter().map(|o| store.find_outcome(project.id, o).map(|o| o.id)).collect::<Result<_, _>>()?;
    let mut sources: Vec<StakeholderId> =
        args.sources.iter().map(|s| store.find_stakeholder(project.id, s).map(|s| s.id)).collect::<Result<_, _>>()?;
    // A requirement added while an interview runs belongs to it, as in the capture box.
    let interview = store.open_interview(project.id)?;
    if let Some(i) = interview.as_ref().filter(|_| sources.is_empty()) {
        sources = i.stakeholders.clone();
    }
    let req = store.add_requirement(
        project.id,
        NewRequirement {
            title: args.title,
            statement: args.statement,
            kind: args.kind,
            priority: args.priority,
            status: args.status,
            stage,
            interview: interview.map(|i| i.id),
            channel: args.channel,
            pain_point: args.pain_point,
            moment_of_truth: args.moment_of_truth,
            acceptance: args.acceptance,
            rationale: args.rationale,
            quote: String::new(),
            external_ref: String::new(),
            outcomes,
            sources,
            tags: args.tags,
        },
    )?;
    writeln!(out, "{}", human_id(&project.key, req.seq))?;
    Ok(())
}

pub fn list(store: &mut Store, key: Option<&str>, args: ListArgs, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let stage = args.stage.as_deref().map(|s| store.find_stage(project.id, s)).transpose()?.map(|s| s.id);
    let filter =
        RequirementFilter { stage, status: args.status, priority: args.priority, include_deleted: args.deleted };
    let mut reqs = store.requirements(&project, &filter)?;
    let outcome = args.outcome.as_deref().map(|o| store.find_outcome(project.id, o)).transpose()?.map(|o| o.id);
    let source = args.source.as_deref().map(|s| store.find_stakeholder(project.id, s)).transpose()?.map(|s| s.id);
    let interview = args.interview.as_deref().map(|i| store.find_interview(project.id, i)).transpose()?.map(|i| i.id);
    let tags: Vec<String> = args.tag.iter().map(|t| t.trim().to_lowercase()).collect();
    let words: Vec<String> =
        args.text.as_deref().unwrap_or_default().split_whitespace().map(str::to_lowercase).collect();
    let department: Option<Vec<StakeholderId>> = match args.department.as_deref() {
        None => None,
        Some(name) => {
            let people = store.stakeholders(project.id)?;
            let wanted = name.trim().to_lowercase();
            let members: Vec<StakeholderId> =
                people.iter().filter(|s| s.department.trim().to_lowercase() == wanted).map(|s| s.id).collect();
            if members.is_empty() && !store.departments(project.id)?.iter().any(|d| d.to_lowercase() == wanted) {
                let mut known: Vec<String> = people.iter().map(|s| s.department.trim().to_owned()).collect();
                known.extend(store.departments(project.id)?);
                known.retain(|d| !d.is_empty());
                known.sort_by_key(|d| d.to_lowercase());
                known.dedup_by_key(|d| d.to_lowercase());
                let known = if known.is_empty() { "none yet".to_owned() } else { known.join(", ") };
                bail!(
                    "unknown department {:?}; departments: {}",
                    terminal_safe(name, true),
                    terminal_safe(&known, true)
                );
            }
            Some(members)
        }
    };
    let sign_offs = store.sign_offs(project.id)?;
    let signed = |d: &RequirementDetails| sign_offs.get(&d.requirement.id);
    reqs.retain(|d| {
        // A deleted requirement is neither confirmed nor waiting for it.
        let wanted = match (args.confirmed, args.unconfirmed) {
            (true, _) => signed(d).is_some_and(SignOff::is_confirmed),
            (_, true) => signed(d).is_some_and(SignOff::needs_confirmation),
            _ => true,
        };
        wanted && {
            let r = &d.requirement;
            let has_tags = tags.iter().all(|t| r.tags.iter().any(|x| x.to_lowercase() == *t));
            let text = || format!("{} {} {} {}", r.title, r.statement, r.acceptance, r.rationale).to_lowercase();
            has_tags
                && outcome.is_none_or(|o| r.outcomes.contains(&o))
                && source.is_none_or(|s| r.sources.contains(&s))
                && department.as_ref().is_none_or(|people| r.sources.iter().any(|s| people.contains(s)))
                && interview.is_none_or(|i| r.interview == Some(i))
                && (words.is_empty() || {
                    let all = text();
                    words.iter().all(|w| all.contains(w.as_str()))
                })
        }
    });
    match args.format {
        Format::Json => {
            // The same scores as `elicit lint` (duplicates included); deleted requirements have none.
            let linted = super::lint::lint_project(store, Some(project.key.as_str()), false)?;
            let scores = super::lint::scores_by_id(&linted);
            let items: Vec<RequirementJson> = reqs
                .iter()
                .map(|d| {
                    let mut j = RequirementJson::from(d);
                    if let Some((score, findings)) = scores.get(&d.requirement.id) {
                        j.score = Some(*score);
                        j.findings = Some(*findings);
                    }
                    j.confirmation = signed(d).map(SignOffJson::from);
                    j
                })
                .collect();
            output::json(out, &items)
        }
        Format::Csv => {
            // The same columns as `export --format csv`, so a listing can be re-imported.
            let rows: Vec<Vec<String>> = reqs.iter().map(|d| report::requirement_row(d).into()).collect();
            output::csv(out, &report::CSV_COLUMNS, &rows)
        }
        Format::Table => {
            if reqs.is_empty() {
                writeln!(out, "no requirements match; add one with `elicit add \"TITLE\"`")?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = reqs
                .iter()
                .map(|d| {
                    let r = &d.requirement;
                    let mut id = d.human_id.clone();
                    if r.deleted_at.is_some() {
                        id.push_str(" (deleted)");
                    }
                    vec![
                        id,
                        r.priority.to_string(),
                        r.status.to_string(),
                        d.stage_name.clone().unwrap_or_else(|| "-".into()),
                        signed(d).map_or_else(|| "-".into(), short_sign_off),
                        r.title.clone(),
                    ]
                })
                .collect();
            output::table(out, &["ID", "PRIORITY", "STATUS", "STAGE", "CONFIRMED", "TITLE"], &rows, 80)?;
            writeln!(out, "{} requirement{}", reqs.len(), if reqs.len() == 1 { "" } else { "s" })?;
            Ok(())
        }
    }
}

/// A sign-off in a list column: the state, and "changed since" where it was edited after an answer.
fn short_sign_off(s: &SignOff) -> String {
    match (s.state(), s.changed_since()) {
        (SignOffState::Confirmed, false) => "yes".into(),
        (SignOffState::Unconfirmed, _) => "no".into(),
        (state, false) => state.to_string(),
        (state, true) => format!("{state}, changed since"),
    }
}

pub fn show(store: &mut Store, key: Option<&str>, args: ShowArgs, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let req = store.find_requirement(&project, &args.id)?;
    let d = store.requirement_details(&project, req.id)?;
    let sign_off = store.sign_off(req.id)?;
    if args.format == Format::Json {
        // The same score as `list` and `lint` give it (duplicates included, so the whole project is read).
        let linted = super::lint::lint_project(store, Some(project.key.as_str()), false)?;
        let mut j = RequirementJson::from(&d);
        j.confirmation = d.requirement.deleted_at.is_none().then(|| SignOffJson::from(&sign_off));
        if let Some((score, findings)) = super::lint::scores_by_id(&linted).get(&d.requirement.id) {
            j.score = Some(*score);
            j.findings = Some(*findings);
        }
        return output::json(out, &j);
    }
    let r = &d.requirement;
    let safe = |t: &str| terminal_safe(t, false);
    let deleted = if r.deleted_at.is_some() { "  (deleted; `elicit undo` may restore it)" } else { "" };
    writeln!(out, "{}  {}{deleted}", d.human_id, safe(&r.title))?;
    let mut field = |name: &str, value: String| -> Result<()> {
        if !value.is_empty() {
            let value = value.replace('\n', &format!("\n{:14}", ""));
            writeln!(out, "{name:<13} {value}")?;
        }
        Ok(())
    };
    field("kind", r.kind.to_string())?;
    field("priority", r.priority.to_string())?;
    field("status", r.status.to_string())?;
    field("stage", d.stage_name.as_deref().map(safe).unwrap_or_else(|| "-".into()))?;
    field("outcomes", d.outcome_statements.iter().map(|o| safe(o)).collect::<Vec<_>>().join("; "))?;
    field("sources", d.source_names.iter().map(|s| safe(s)).collect::<Vec<_>>().join(", "))?;
    field("interview", d.interview_title.as_deref().map(safe).unwrap_or_default())?;
    field("channel", r.channel.map(|c| c.to_string()).unwrap_or_default())?;
    let mut marks = Vec::new();
    if r.pain_point {
        marks.push("pain point");
    }
    if r.moment_of_truth {
        marks.push("moment of truth");
    }
    field("marks", marks.join(", "))?;
    field("tags", r.tags.join(", "))?;
    field("statement", safe(&r.statement))?;
    field("acceptance", safe(&r.acceptance))?;
    field("rationale", safe(&r.rationale))?;
    field("quote", safe(&r.quote))?;
    field("external ref", safe(&r.external_ref))?;
    field("confirmation", safe(&sign_off.label()))?;
    for a in &sign_off.answers {
        let said = if a.note.is_empty() { String::new() } else { format!(": {}", a.note.replace('\n', " ")) };
        let since = if a.version < r.version { ", changed since" } else { "" };
        let line = format!(
            "{} by {} on {} {} (version {}{since}){said}",
            a.verdict.describe(),
            a.stakeholder_name,
            format_minute(a.at),
            zone_label(),
            a.version
        );
        field("", safe(&line))?;
    }
    field("version", r.version.to_string())?;
    field("created", format!("{} {}", format_minute(r.created_at), zone_label()))?;
    field("updated", format!("{} {}", format_minute(r.updated_at), zone_label()))?;
    Ok(())
}

pub fn edit(store: &mut Store, key: Option<&str>, args: EditArgs, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let req = store.find_requirement(&project, &args.id)?;
    let is_none = |s: &str| s.trim().eq_ignore_ascii_case("none") || s.trim().is_empty();
    let stage = match args.stage.as_deref() {
        None => None,
        Some(s) if is_none(s) => Some(None),
        Some(s) => Some(Some(store.find_stage(project.id, s)?.id)),
    };
    let channel = args.channel.map(|c| c.0);
    let outcomes = if args.clear_outcomes {
        Some(Vec::new())
    } else if args.outcomes.is_empty() {
        None
    } else {
        Some(args.outcomes.iter().map(|o| store.find_outcome(project.id, o).map(|o| o.id)).collect::<Result<_, _>>()?)
    };
    let sources = if args.clear_sources {
        Some(Vec::new())
    } else if args.sources.is_empty() {
        None
    } else {
        Some(
            args.sources
                .iter()
                .map(|s| store.find_stakeholder(project.id, s).map(|s| s.id))
                .collect::<Result<_, _>>()?,
        )
    };
    let tags = if args.clear_tags {
        Some(Vec::new())
    } else if args.tags.is_empty() {
        None
    } else {
        Some(args.tags)
    };
    let patch = RequirementPatch {
        title: args.title,
        statement: args.statement,
        kind: args.kind,
        priority: args.priority,
        status: args.status,
        stage,
        interview: None,
        channel,
        pain_point: args.pain_point,
        moment_of_truth: args.moment_of_truth,
        acceptance: args.acceptance,
        rationale: args.rationale,
        quote: None,
        external_ref: None,
        outcomes,
        sources,
        tags,
    };
    if patch.is_empty() {
        bail!("nothing to change; give at least one field, e.g. `elicit edit {} --priority must`", args.id);
    }
    let before = req.version;
    let saved = store.update_requirement_if(req.id, args.if_version, patch)?;
    let id = human_id(&project.key, saved.seq);
    if saved.version == before {
        writeln!(out, "{id} unchanged (the values given are the current ones)")?;
    } else {
        writeln!(out, "{id} updated (version {})", saved.version)?;
    }
    Ok(())
}

pub fn delete(store: &mut Store, key: Option<&str>, args: IdArg, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let req = store.find_requirement(&project, &args.id)?;
    store.delete_requirement(req.id)?;
    writeln!(out, "deleted {} (undo with `elicit undo`)", human_id(&project.key, req.seq))?;
    Ok(())
}

pub fn undo(store: &mut Store, key: Option<&str>, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let undone = store.undo(project.id)?;
    writeln!(out, "undid the {} made at {} {}", undone.summary, format_minute(undone.at), zone_label())?;
    Ok(())
}
