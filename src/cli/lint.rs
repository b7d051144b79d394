//! `elicit lint`: the quality lint over a project's requirements, or over one sentence (`--text`).

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;

use super::{output, usage};
use crate::analysis::lint::{Ears, Finding, Linter, RuleId, Severity, ears};
use crate::domain::{LintSettings, Project, RequirementDetails};
use crate::store::{RequirementFilter, Store};

/// How `lint` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LintFormat {
    /// One line per finding, for people.
    #[default]
    Table,
    /// An array with one object per requirement that has findings, for scripts.
    Json,
}

/// Arguments of `elicit lint`.
#[derive(Debug, Clone, clap::Args)]
pub struct LintArgs {
    /// Requirement ids (CHK-7, 7 or a UUID); every requirement of the project without any.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Table)]
    pub format: LintFormat,
    /// Only findings at least this severe: info, warning, error.
    #[arg(long, value_name = "S", default_value = "info")]
    pub min_severity: Severity,
    /// Also report statements that are not in an EARS form (as info).
    #[arg(long)]
    pub ears: bool,
    /// Check this sentence without saving it (needs no database).
    #[arg(long, value_name = "TEXT", conflicts_with = "ids")]
    pub text: Option<String>,
    /// Accept the requirement's finding of this rule with a reason (--reason): it no longer counts there,
    /// and the report lists it as accepted. Give one ID; --words picks the finding when the rule flags
    /// several words.
    #[arg(long, value_name = "RULE", requires = "reason", conflicts_with_all = ["text", "withdraw", "accepted"])]
    pub accept: Option<RuleId>,
    /// Why the finding is accepted (with --accept).
    #[arg(long, value_name = "TEXT", requires = "accept")]
    pub reason: Option<String>,
    /// The flagged words of the finding meant (with --accept or --withdraw), e.g. "fast".
    #[arg(long, value_name = "WORDS")]
    pub words: Option<String>,
    /// Count an accepted finding of this rule again (one ID).
    #[arg(long, value_name = "RULE", conflicts_with_all = ["text", "accepted"])]
    pub withdraw: Option<RuleId>,
    /// List the accepted findings, with who accepted them, when and why.
    #[arg(long, conflicts_with = "text")]
    pub accepted: bool,
}

/// An accepted finding in `lint --accepted --format json`.
#[derive(Debug, Serialize)]
pub struct AcceptedJson<'a> {
    pub id: &'a str,
    pub rule: &'a str,
    pub field: &'a str,
    pub text: &'a str,
    pub message: &'a str,
    pub reason: &'a str,
    pub by: &'a str,
    pub at: String,
    #[serde(skip)]
    when: crate::domain::Timestamp,
}

/// One requirement in `lint --format json`.
#[derive(Debug, Serialize)]
pub struct LintJson<'a> {
    pub id: Option<String>,
    pub uuid: Option<String>,
    pub score: u32,
    pub ears: Ears,
    pub findings: Vec<&'a Finding>,
}

/// `lint --text`: one sentence, with the project's settings when there is a database to read them from.
pub fn text(db: Option<&Path>, key: Option<&str>, args: &LintArgs, out: &mut dyn Write) -> Result<()> {
    let text = args.text.as_deref().unwrap_or_default();
    let settings = settings_if_any(db, key);
    let linter = Linter::new(&settings).with_ears(args.ears);
    let all = linter.lint_text(text);
    let findings: Vec<&Finding> = all.iter().filter(|f| f.severity >= args.min_severity).collect();
    let score = crate::analysis::lint::requirement_score(&all);
    let kind = ears(text);
    match args.format {
        LintFormat::Json => output::json(out, &LintJson { id: None, uuid: None, score, ears: kind, findings })?,
        LintFormat::Table => {
            if findings.is_empty() {
                writeln!(out, "no findings (score {score}, EARS: {kind})")?;
            } else {
                let rows: Vec<Vec<String>> = findings.iter().map(|f| row("-", score, f)).collect();
                output::table(out, &HEADER, &rows, 80)?;
                writeln!(out, "score {score}, EARS: {kind}")?;
            }
        }
    }
    if all.iter().any(|f| f.severity == Severity::Error) {
        bail!("the text has {} error finding(s)", all.iter().filter(|f| f.severity == Severity::Error).count());
    }
    Ok(())
}

/// The lint settings of the project in the database at `db`, if there is one; the defaults otherwise, so
/// `lint --text` works before any database exists.
fn settings_if_any(db: Option<&Path>, key: Option<&str>) -> LintSettings {
    let Some(path) = db.filter(|p| p.exists()) else { return LintSettings::default() };
    let Ok(mut store) = Store::open_to_read(path) else { return LintSettings::default() };
    match store.resolve_project(key) {
        Ok(p) => store.lint_settings(p.id).unwrap_or_default(),
        Err(_) => LintSettings::default(),
    }
}

const HEADER: [&str; 7] = ["ID", "SCORE", "SEVERITY", "RULE", "WHERE", "TEXT", "HINT"];

fn row(id: &str, score: u32, f: &Finding) -> Vec<String> {
    let place =
        if f.end > f.start { format!("{} {}-{}", f.field.as_str(), f.start, f.end) } else { f.field.as_str().into() };
    let text = if f.text.is_empty() { f.message.to_string() } else { format!("\"{}\": {}", f.text, f.message) };
    vec![id.into(), score.to_string(), f.severity.to_string(), f.rule.to_string(), place, text, f.hint.to_string()]
}

/// The linted requirements of a project: details, score, EARS pattern and findings, in list order.
pub struct Linted {
    pub details: Vec<RequirementDetails>,
    pub lint: crate::analysis::lint::ProjectLint,
}

/// Lints every live requirement of the project with its settings, duplicates included.
pub fn lint_project(store: &mut Store, key: Option<&str>, with_ears: bool) -> Result<Linted> {
    let project = store.resolve_project(key)?;
    let settings = store.lint_settings(project.id)?;
    let details = store.requirements(&project, &RequirementFilter::default())?;
    let linter = Linter::new(&settings).with_ears(with_ears);
    let mut lint = linter.lint_project(project.key.as_str(), &details, true);
    lint.accept(&details, &store.project_accepted_findings(project.id)?);
    Ok(Linted { details, lint })
}

pub fn lint(store: &mut Store, key: Option<&str>, args: LintArgs, out: &mut dyn Write) -> Result<()> {
    let project = store.resolve_project(key)?;
    let wanted: Option<Vec<crate::domain::RequirementId>> = if args.ids.is_empty() {
        None
    } else {
        Some(args.ids.iter().map(|id| store.find_requirement(&project, id).map(|r| r.id)).collect::<Result<_, _>>()?)
    };
    if let Some(rule) = args.accept.or(args.withdraw) {
        return accept(store, &project, &args, rule, out);
    }
    let linted = lint_project(store, Some(project.key.as_str()), args.ears)?;
    if args.accepted {
        return list_accepted(&linted, wanted.as_deref(), args.format, out);
    }
    let mut items = Vec::new();
    let mut errors = 0;
    for l in &linted.lint.requirements {
        let d = &linted.details[l.index];
        if wanted.as_ref().is_some_and(|w| !w.contains(&d.requirement.id)) {
            continue;
        }
        errors += l.findings.iter().filter(|f| f.severity == Severity::Error).count();
        let findings: Vec<&Finding> = l.findings.iter().filter(|f| f.severity >= args.min_severity).collect();
        if !findings.is_empty() {
            items.push((d, l, findings));
        }
    }
    match args.format {
        LintFormat::Json => {
            let json: Vec<LintJson> = items
                .into_iter()
                .map(|(d, l, findings)| LintJson {
                    id: Some(d.human_id.clone()),
                    uuid: Some(d.requirement.id.to_string()),
                    score: l.score,
                    ears: l.ears,
                    findings,
                })
                .collect();
            output::json(out, &json)?;
        }
        LintFormat::Table => {
            let rows: Vec<Vec<String>> =
                items.iter().flat_map(|(d, l, fs)| fs.iter().map(|f| row(&d.human_id, l.score, f))).collect();
            if rows.is_empty() {
                writeln!(out, "no findings")?;
            } else {
                output::table(out, &HEADER, &rows, 80)?;
            }
            let n = linted.lint.requirements.len();
            let mean = if n == 0 {
                100.0
            } else {
                linted.lint.requirements.iter().map(|l| f64::from(l.score)).sum::<f64>() / n as f64
            };
            writeln!(
                out,
                "{} finding(s) in {} of {n} requirement(s); project score {mean:.0}",
                rows.len(),
                items.len()
            )?;
            let accepted: usize = linted.lint.requirements.iter().map(|l| l.accepted.len()).sum();
            if accepted > 0 {
                writeln!(out, "{accepted} accepted finding(s) not counted (`elicit lint --accepted` lists them)")?;
            }
        }
    }
    if errors > 0 {
        bail!(
            "{errors} error finding(s) remain; fix them or switch the rule off with `elicit settings lint-rule off RULE`"
        );
    }
    Ok(())
}

/// `lint ID --accept RULE --reason TEXT [--words W]`, or `--withdraw RULE`: the finding is named by its rule
/// and, when the rule flags several words of the requirement, by the words.
fn accept(store: &mut Store, project: &Project, args: &LintArgs, rule: RuleId, out: &mut dyn Write) -> Result<()> {
    let [id] = args.ids.as_slice() else {
        bail!(
            "name one requirement: elicit lint ID --{} {rule} ...",
            if args.accept.is_some() { "accept" } else { "withdraw" }
        )
    };
    let r = store.find_requirement(project, id)?;
    let human = crate::domain::human_id(&project.key, r.seq);
    let linted = lint_project(store, Some(project.key.as_str()), true)?;
    let Some(l) = linted.lint.requirements.iter().find(|l| linted.details[l.index].requirement.id == r.id) else {
        bail!("{human} is not a live requirement of {}", project.key)
    };
    let words = args.words.as_deref().map(str::to_lowercase);
    let pick = |found: Vec<&Finding>| -> Result<Finding> {
        let found: Vec<&Finding> =
            found.into_iter().filter(|f| words.as_ref().is_none_or(|w| f.subject() == *w)).collect();
        match found.as_slice() {
            [one] => Ok((*one).clone()),
            [] => bail!(
                "{human} has no {}{rule} finding{}",
                if args.accept.is_some() { "" } else { "accepted " },
                words.as_ref().map(|w| format!(" about {w:?}")).unwrap_or_default()
            ),
            many => bail!(
                "{human} has {} {rule} findings; say which with --words: {}",
                many.len(),
                many.iter().map(|f| format!("{:?}", f.subject())).collect::<Vec<_>>().join(", ")
            ),
        }
    };
    if args.accept.is_some() {
        let f = pick(l.findings.iter().filter(|f| f.rule == rule).collect())?;
        let reason = args.reason.as_deref().unwrap_or_default();
        store.accept_finding(r.id, f.rule.as_str(), f.field.as_str(), &f.subject(), reason)?;
        writeln!(out, "accepted {rule} on {human}{}: it no longer counts (undo reverts)", about(&f))?;
    } else {
        let f = pick(l.accepted.iter().map(|(f, _)| f).filter(|f| f.rule == rule).collect())?;
        store.withdraw_acceptance(r.id, f.rule.as_str(), f.field.as_str(), &f.subject())?;
        writeln!(out, "{rule} counts again on {human}{}", about(&f))?;
    }
    Ok(())
}

fn about(f: &Finding) -> String {
    if f.text.is_empty() { String::new() } else { format!(" (\"{}\")", f.text) }
}

/// `lint --accepted`: the accepted findings that still match the requirements' text.
fn list_accepted(
    linted: &Linted,
    wanted: Option<&[crate::domain::RequirementId]>,
    format: LintFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let mut items = Vec::new();
    for l in &linted.lint.requirements {
        let d = &linted.details[l.index];
        if wanted.is_some_and(|w| !w.contains(&d.requirement.id)) {
            continue;
        }
        for (f, a) in &l.accepted {
            items.push(AcceptedJson {
                id: &d.human_id,
                rule: f.rule.as_str(),
                field: f.field.as_str(),
                text: &f.text,
                message: &f.message,
                reason: &a.reason,
                by: &a.by,
                at: crate::domain::format_timestamp(a.at),
                when: a.at,
            });
        }
    }
    match format {
        LintFormat::Json => output::json(out, &items)?,
        LintFormat::Table if items.is_empty() => writeln!(out, "no accepted findings")?,
        LintFormat::Table => {
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|a| {
                    let text = if a.text.is_empty() { a.message.to_owned() } else { format!("\"{}\"", a.text) };
                    vec![
                        a.id.into(),
                        a.rule.into(),
                        text,
                        a.reason.into(),
                        a.by.into(),
                        crate::domain::local_date(a.when).to_string(),
                    ]
                })
                .collect();
            output::table(out, &["ID", "RULE", "TEXT", "REASON", "BY", "ON"], &rows, 60)?;
        }
    }
    Ok(())
}

/// `elicit settings lint-word [add|remove LIST WORD...]`.
pub fn words(
    store: &mut Store,
    key: Option<&str>,
    action: Option<&str>,
    rest: &[String],
    out: &mut dyn Write,
) -> Result<()> {
    let project = store.resolve_project(key)?;
    let lists = crate::analysis::lint::LIST_NAMES;
    match action {
        None => {
            let settings = store.lint_settings(project.id)?;
            for list in lists {
                let words = settings.words.get(*list).map(|w| w.join(", ")).unwrap_or_default();
                writeln!(out, "{list:<12} {}", if words.is_empty() { "-".into() } else { words })?;
            }
        }
        Some(action @ ("add" | "remove")) => {
            let [list, words @ ..] = rest else { usage!("usage: elicit settings lint-word {action} LIST WORD...") };
            if !lists.contains(&list.as_str()) {
                usage!("unknown word list {list:?}; valid values: {}", lists.join(", "));
            }
            if words.is_empty() {
                usage!("usage: elicit settings lint-word {action} {list} WORD...");
            }
            let word = words.join(" ");
            let changed = if action == "add" {
                store.add_lint_word(project.id, list, &word)?
            } else {
                store.remove_lint_word(project.id, list, &word)?
            };
            let what = match (action, changed) {
                ("add", true) => "added to",
                ("add", false) => "was already in",
                (_, true) => "removed from",
                _ => "was not in",
            };
            writeln!(out, "{word:?} {what} the {list} list of {}", project.key)?;
        }
        Some(other) => usage!("lint-word takes add or remove, not {other:?}"),
    }
    Ok(())
}

/// `elicit settings lint-rule [on|off RULE]`.
pub fn rules(
    store: &mut Store,
    key: Option<&str>,
    action: Option<&str>,
    rest: &[String],
    out: &mut dyn Write,
) -> Result<()> {
    let project = store.resolve_project(key)?;
    match action {
        None => {
            let off = store.lint_settings(project.id)?.disabled_rules;
            for r in RuleId::ALL {
                let state = if off.iter().any(|o| o == r.as_str()) { "off" } else { "on" };
                writeln!(out, "{:<26} {state:<3}  {:<7}  {}", r.as_str(), r.severity().as_str(), r.message())?;
            }
        }
        Some(action @ ("on" | "off")) => {
            let [rule] = rest else { usage!("usage: elicit settings lint-rule {action} RULE") };
            let rule: RuleId = match rule.parse() {
                Ok(rule) => rule,
                Err(e) => usage!("{e}"),
            };
            let changed = store.set_lint_rule(project.id, rule.as_str(), action == "on")?;
            let note = if changed { "" } else { " (it already was)" };
            writeln!(out, "{} is now {action} for {}{note}", rule.as_str(), project.key)?;
        }
        Some(other) => usage!("lint-rule takes on or off, not {other:?}"),
    }
    Ok(())
}

/// Score and finding count of every requirement, by UUID, for `list --format json`.
pub fn scores_by_id(linted: &Linted) -> std::collections::HashMap<crate::domain::RequirementId, (u32, usize)> {
    linted
        .lint
        .requirements
        .iter()
        .map(|l| (linted.details[l.index].requirement.id, (l.score, l.findings.len())))
        .collect()
}
