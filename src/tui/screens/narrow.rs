//! The Requirements list's field filters: by stage, status, priority, tag, source stakeholder, their
//! department, outcome, interview and sign-off. Several values of one field keep any of them (stage Buy or
//! Pay); values of different fields keep only what has all of them (must, and from Legal, and unconfirmed).
//! They combine with the fuzzy text filter and the "has findings" filter.

use std::collections::HashSet;

use crate::domain::*;
use crate::store::{Store, StoreError};
use crate::tui::data::ProjectData;
use crate::tui::message::Choice;

/// Where a requirement's sign-off stands, as a filter asks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignOffFacet {
    /// Nobody answered yet.
    Unconfirmed,
    /// It still has to be (re)confirmed: no answer, a change asked, or edited since an answer.
    Needed,
    /// Confirmed by everyone who answered and not edited since.
    Confirmed,
    ChangeAsked,
    Rejected,
    /// Edited after an answer.
    ChangedSince,
}

impl SignOffFacet {
    const ALL: [SignOffFacet; 6] = [
        SignOffFacet::Needed,
        SignOffFacet::Unconfirmed,
        SignOffFacet::Confirmed,
        SignOffFacet::ChangeAsked,
        SignOffFacet::Rejected,
        SignOffFacet::ChangedSince,
    ];

    fn label(self) -> &'static str {
        match self {
            SignOffFacet::Unconfirmed => "unconfirmed (nobody answered)",
            SignOffFacet::Needed => "needs sign-off",
            SignOffFacet::Confirmed => "confirmed",
            SignOffFacet::ChangeAsked => "change asked",
            SignOffFacet::Rejected => "rejected",
            SignOffFacet::ChangedSince => "changed since sign-off",
        }
    }

    fn holds(self, s: &SignOff) -> bool {
        match self {
            SignOffFacet::Unconfirmed => s.state() == SignOffState::Unconfirmed,
            SignOffFacet::Needed => s.needs_confirmation(),
            SignOffFacet::Confirmed => s.is_confirmed(),
            SignOffFacet::ChangeAsked => s.state() == SignOffState::ChangeAsked,
            SignOffFacet::Rejected => s.state() == SignOffState::Rejected,
            SignOffFacet::ChangedSince => s.changed_since(),
        }
    }
}

/// One value the list can be narrowed to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Facet {
    /// In this stage (`None`: in no stage).
    Stage(Option<StageId>),
    Status(Status),
    Priority(Priority),
    Tag(String),
    /// Heard from this stakeholder.
    Source(StakeholderId),
    /// Heard from someone of this department.
    Department(String),
    Outcome(OutcomeId),
    /// Captured in this interview.
    Interview(InterviewId),
    SignOff(SignOffFacet),
}

impl Facet {
    /// Which field it filters: values of one field keep any of them.
    fn field(&self) -> u8 {
        match self {
            Facet::Stage(_) => 0,
            Facet::Status(_) => 1,
            Facet::Priority(_) => 2,
            Facet::Tag(_) => 3,
            Facet::Source(_) => 4,
            Facet::Department(_) => 5,
            Facet::Outcome(_) => 6,
            Facet::Interview(_) => 7,
            Facet::SignOff(_) => 8,
        }
    }

    /// How the picker and the list's title name it.
    pub fn label(&self, d: &ProjectData) -> String {
        match self {
            Facet::Stage(s) => format!("stage {}", d.stage(*s).map_or("(none)", |s| s.name.as_str())),
            Facet::Status(s) => format!("status {s}"),
            Facet::Priority(p) => format!("priority {p}"),
            Facet::Tag(t) => format!("tag {t}"),
            Facet::Source(id) => {
                format!("from {}", d.stakeholders.iter().find(|s| s.id == *id).map_or("?", |s| s.name.as_str()))
            }
            Facet::Department(name) => format!("department {name}"),
            Facet::Outcome(id) => format!("outcome {}", d.outcome(Some(*id)).map_or("?", |o| o.statement.as_str())),
            Facet::Interview(id) => {
                format!("interview {}", d.interviews.iter().find(|i| i.id == *id).map_or("?", |i| i.title.as_str()))
            }
            Facet::SignOff(s) => s.label().to_owned(),
        }
    }
}

/// Every value the list can be narrowed to, as the picker offers them.
pub fn menu(store: &Store, d: &ProjectData) -> Result<Vec<Facet>, StoreError> {
    let mut out: Vec<Facet> = d.stages.iter().map(|s| Facet::Stage(Some(s.id))).collect();
    out.push(Facet::Stage(None));
    out.extend(Priority::ALL.iter().map(|p| Facet::Priority(*p)));
    out.extend(Status::ALL.iter().map(|s| Facet::Status(*s)));
    out.extend(SignOffFacet::ALL.into_iter().map(Facet::SignOff));
    out.extend(d.stakeholders.iter().map(|s| Facet::Source(s.id)));
    let mut departments: Vec<&str> =
        d.stakeholders.iter().map(|s| s.department.trim()).filter(|s| !s.is_empty()).collect();
    departments.sort_unstable();
    departments.dedup();
    out.extend(departments.into_iter().map(|s| Facet::Department(s.to_owned())));
    out.extend(d.outcomes.iter().map(|o| Facet::Outcome(o.id)));
    out.extend(d.interviews.iter().rev().map(|i| Facet::Interview(i.id)));
    out.extend(store.project_tags(d.project.id)?.into_iter().map(Facet::Tag));
    Ok(out)
}

/// The menu as picker items, and those of `chosen` already picked.
pub fn picker_items(menu: &[Facet], chosen: &[Facet], d: &ProjectData) -> (Vec<(Choice, String)>, Vec<Choice>) {
    let items = menu.iter().enumerate().map(|(i, f)| (Choice::Facet(i as u32), f.label(d))).collect();
    let picked =
        menu.iter().enumerate().filter(|(_, f)| chosen.contains(f)).map(|(i, _)| Choice::Facet(i as u32)).collect();
    (items, picked)
}

/// The requirements that pass every field filter of `facets`; `None` when there are none.
pub fn matching(
    store: &Store,
    d: &ProjectData,
    facets: &[Facet],
) -> Result<Option<HashSet<RequirementId>>, StoreError> {
    if facets.is_empty() {
        return Ok(None);
    }
    let mut fields: Vec<u8> = facets.iter().map(Facet::field).collect();
    fields.sort_unstable();
    fields.dedup();
    let mut kept: Option<HashSet<RequirementId>> = None;
    for field in fields {
        let mut any: HashSet<RequirementId> = HashSet::new();
        for f in facets.iter().filter(|f| f.field() == field) {
            any.extend(ids(store, d, f)?);
        }
        kept = Some(match kept {
            None => any,
            Some(k) => k.intersection(&any).copied().collect(),
        });
    }
    Ok(kept)
}

/// The requirements one value keeps.
fn ids(store: &Store, d: &ProjectData, f: &Facet) -> Result<Vec<RequirementId>, StoreError> {
    let rows = |keep: &dyn Fn(&RequirementSummary) -> bool| d.rows.iter().filter(|r| keep(r)).map(|r| r.id).collect();
    Ok(match f {
        Facet::Stage(s) => rows(&|r| r.stage == *s),
        Facet::Status(s) => rows(&|r| r.status == *s),
        Facet::Priority(p) => rows(&|r| r.priority == *p),
        Facet::SignOff(s) => rows(&|r| s.holds(&d.sign_off(r))),
        Facet::Tag(t) => store.requirements_tagged(d.project.id, t)?,
        Facet::Source(who) => d.source_links.iter().filter(|(_, s)| s == who).map(|(r, _)| *r).collect(),
        Facet::Department(name) => {
            let people: HashSet<StakeholderId> =
                d.stakeholders.iter().filter(|s| s.department.trim() == name).map(|s| s.id).collect();
            d.source_links.iter().filter(|(_, s)| people.contains(s)).map(|(r, _)| *r).collect()
        }
        Facet::Outcome(o) => d.outcome_links.iter().filter(|(_, x)| x == o).map(|(r, _)| *r).collect(),
        Facet::Interview(i) => store.interview_requirements(*i)?.into_iter().map(|(id, _)| id).collect(),
    })
}
