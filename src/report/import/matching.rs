//! Which existing requirement a row of an import stands for, the same way for every format (CSV, Excel,
//! ReqIF): its UUID; else its human id (`SHOP-7`, from an `id` column or a ReqIF `ForeignID`) when the
//! prefix is this project's key; else its external reference (another tool's key, Jira's `Issue key`,
//! Doorstop's `uid`) when exactly one requirement has it. And what the row would change in it, field by
//! field, comparing only the fields the file gives.

use std::collections::HashMap;

use super::model::{PendingRequirement, Target};
use crate::domain::*;
use crate::report::csv::join_list;
use crate::store::{RequirementFilter, Store};

/// The live requirements of the project, by everything a row can match them by.
pub(super) struct Existing {
    key: ProjectKey,
    all: Vec<RequirementDetails>,
    by_uuid: HashMap<RequirementId, usize>,
    by_seq: HashMap<i64, usize>,
    /// External reference (trimmed) to the requirement, or `None` when several have it.
    by_ref: HashMap<String, Option<usize>>,
}

impl Existing {
    /// Reads the project's live requirements (held while the import runs: memory follows the project,
    /// not the file).
    pub(super) fn load(store: &Store, project: &Project) -> Result<Existing, crate::store::StoreError> {
        let all = store.requirements(project, &RequirementFilter::default())?;
        let mut by_ref: HashMap<String, Option<usize>> = HashMap::new();
        for (i, d) in all.iter().enumerate() {
            let r = d.requirement.external_ref.trim();
            if !r.is_empty() {
                by_ref.entry(r.to_owned()).and_modify(|e| *e = None).or_insert(Some(i));
            }
        }
        Ok(Existing {
            key: project.key.clone(),
            by_uuid: all.iter().enumerate().map(|(i, d)| (d.requirement.id, i)).collect(),
            by_seq: all.iter().enumerate().map(|(i, d)| (d.requirement.seq, i)).collect(),
            by_ref,
            all,
        })
    }

    /// The number of `id` in this project (`SHOP-7` or `shop-7` when the key is SHOP).
    fn seq_of(&self, id: &str) -> Option<i64> {
        let (key, n) = id.trim().rsplit_once('-')?;
        key.eq_ignore_ascii_case(self.key.as_str()).then(|| n.parse().ok()).flatten()
    }

    /// The requirement `row` stands for, and how it was found. The one matching rule of every import.
    pub(super) fn find(&self, row: &PendingRequirement) -> Option<(&RequirementDetails, &'static str)> {
        if let Some(i) = row.uuid.and_then(|u| self.by_uuid.get(&u)) {
            return Some((&self.all[*i], "UUID"));
        }
        if let Some(i) = row.human_id.as_deref().and_then(|h| self.seq_of(h)).and_then(|s| self.by_seq.get(&s)) {
            return Some((&self.all[*i], "id"));
        }
        let reference = [row.new.external_ref.trim(), row.human_id.as_deref().unwrap_or_default().trim()];
        reference
            .into_iter()
            .filter(|r| !r.is_empty())
            .find_map(|r| self.by_ref.get(r).copied().flatten())
            .map(|i| (&self.all[i], "external reference"))
    }
}

/// The fields of `row` (validated) that differ from `current`, among those the file gives: `(field, old,
/// new)` with values as the CSV export writes them. Names (stage, outcomes, sources, interview) compare
/// ignoring case, as the import resolves them.
pub(super) fn changes(current: &RequirementDetails, row: &PendingRequirement) -> Vec<(Target, String, String)> {
    let r = &current.requirement;
    let n = &row.new;
    let mut out = Vec::new();
    let same_names = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.trim().eq_ignore_ascii_case(y.trim()))
    };
    let mut text = |t: Target, old: &str, new: &str| {
        if row.provided.has(t) && old != new {
            out.push((t, old.to_owned(), new.to_owned()));
        }
    };
    text(Target::Title, &r.title, &n.title);
    text(Target::Statement, &r.statement, &n.statement);
    text(Target::Kind, r.kind.as_str(), n.kind.as_str());
    text(Target::Priority, r.priority.as_str(), n.priority.as_str());
    text(Target::Status, r.status.as_str(), n.status.as_str());
    text(Target::Channel, r.channel.map_or("", |c| c.as_str()), n.channel.map_or("", |c| c.as_str()));
    text(Target::PainPoint, &r.pain_point.to_string(), &n.pain_point.to_string());
    text(Target::MomentOfTruth, &r.moment_of_truth.to_string(), &n.moment_of_truth.to_string());
    text(Target::Acceptance, &r.acceptance, &n.acceptance);
    text(Target::Rationale, &r.rationale, &n.rationale);
    text(Target::Quote, &r.quote, &n.quote);
    // A row found by its human id carries that id as its reference only because the file had no other.
    let given_ref = if row.human_id.as_deref().is_some_and(|h| h.trim() == n.external_ref.trim()) {
        r.external_ref.as_str()
    } else {
        n.external_ref.as_str()
    };
    text(Target::ExternalRef, &r.external_ref, given_ref);
    let tags_same = r.tags == n.tags;
    if row.provided.has(Target::Tags) && !tags_same {
        out.push((Target::Tags, join_list(&r.tags), join_list(&n.tags)));
    }
    let name = |v: &Option<String>| v.as_deref().unwrap_or_default().trim().to_owned();
    if row.provided.has(Target::Stage) && !name(&current.stage_name).eq_ignore_ascii_case(&name(&row.stage)) {
        out.push((Target::Stage, name(&current.stage_name), name(&row.stage)));
    }
    if row.provided.has(Target::Interview)
        && !name(&current.interview_title).eq_ignore_ascii_case(&name(&row.interview))
    {
        out.push((Target::Interview, name(&current.interview_title), name(&row.interview)));
    }
    if row.provided.has(Target::Outcomes) && !same_names(&current.outcome_statements, &row.outcomes) {
        out.push((Target::Outcomes, join_list(&current.outcome_statements), join_list(&row.outcomes)));
    }
    if row.provided.has(Target::Sources) && !same_names(&current.source_names, &row.sources) {
        out.push((Target::Sources, join_list(&current.source_names), join_list(&row.sources)));
    }
    out
}
