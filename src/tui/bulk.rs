//! Changes to many requirements at once from the Requirements list: setting fields on the marked rows, and
//! recording a stakeholder's sign-off of them (or of a whole interview's read-back). Each is one action,
//! so one undo takes it all back.

use crate::domain::*;
use crate::store::{BulkEdit, NewConfirmation, StoreError};
use crate::tui::action::Action;
use crate::tui::component::{Effect, OverlayCtx};
use crate::tui::data::ProjectData;
use crate::tui::form::{Field, Form};
use crate::tui::forms::{FormPurpose, FormView, SaveOutcome, in_project};
use crate::tui::keymap::{Mode, keys_for};
use crate::tui::message::FieldId;

const KEEP: &str = "(keep)";

/// The keys that change a choice field.
fn choose_keys() -> String {
    format!("{}/{}", keys_for(Mode::Form, Action::Left), keys_for(Mode::Form, Action::Right))
}

fn with_keep(values: impl IntoIterator<Item = String>) -> Vec<String> {
    std::iter::once(KEEP.to_owned()).chain(values).collect()
}

/// How a form's title names what it acts on: the one requirement, or how many.
fn what(d: &ProjectData, ids: &[RequirementId]) -> String {
    match ids {
        [one] => d.rows.iter().find(|r| r.id == *one).map_or_else(
            || "1 requirement".into(),
            |r| format!("{} \"{}\"", d.human_id(r.seq), fit(&terminal_safe(&r.title, true), 40)),
        ),
        many => format!("{} requirements", many.len()),
    }
}

fn nothing_to_act_on() -> Effect {
    Effect::Info("No requirement selected.".into())
}

/// The form that sets fields on `ids` at once.
pub fn bulk_form(d: &ProjectData, ids: &[RequirementId]) -> Effect {
    if ids.is_empty() {
        return nothing_to_act_on();
    }
    let mut stages = vec!["(no stage)".to_owned()];
    stages.extend(d.stages.iter().map(|s| terminal_safe(&s.name, true)));
    let fields = vec![
        Field::choice(FieldId::Stage, "Stage", with_keep(stages), 0),
        Field::choice(FieldId::Status, "Status", with_keep(Status::ALL.iter().map(ToString::to_string)), 0),
        Field::choice(FieldId::Priority, "Priority", with_keep(Priority::ALL.iter().map(ToString::to_string)), 0),
        Field::choice(
            FieldId::Outcomes,
            "Link outcome",
            with_keep(d.outcomes.iter().map(|o| terminal_safe(&o.statement, true))),
            0,
        ),
        Field::line(FieldId::Tags, "Add tags", "").with_help("comma-separated"),
        Field::line(FieldId::RemoveTags, "Remove tags", "").with_help("comma-separated"),
    ];
    let title = format!("Set on {}", what(d, ids));
    Effect::Push(FormView::saved_by(Form::new(title, fields), FormPurpose::BulkSet(ids.to_vec()), save_bulk))
}

fn tags(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

fn save_bulk(ctx: &mut OverlayCtx<'_>, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    let FormPurpose::BulkSet(ids) = purpose else { return Ok(SaveOutcome::Invalid) };
    in_project(ctx, |ctx| {
        let d = ctx.data;
        let pick = |id: FieldId| form.choice(id).checked_sub(1);
        let edit = BulkEdit {
            stage: match pick(FieldId::Stage) {
                None => None,
                Some(0) => Some(None),
                Some(i) => Some(d.stages.get(i - 1).map(|s| s.id)),
            },
            status: pick(FieldId::Status).and_then(|i| Status::ALL.get(i).copied()),
            priority: pick(FieldId::Priority).and_then(|i| Priority::ALL.get(i).copied()),
            link_outcomes: pick(FieldId::Outcomes).and_then(|i| d.outcomes.get(i)).map(|o| o.id).into_iter().collect(),
            unlink_outcomes: Vec::new(),
            add_tags: tags(&form.text(FieldId::Tags)),
            remove_tags: tags(&form.text(FieldId::RemoveTags)),
        };
        if edit.is_empty() {
            form.message = Some(format!("Nothing to set: choose a value with {}, or type tags.", choose_keys()));
            return Ok(SaveOutcome::Invalid);
        }
        let done = ctx.store.bulk_edit(d.project.id, ids, &edit)?;
        let unchanged = match done.unchanged.len() {
            0 => String::new(),
            n => format!(" ({n} already had it)"),
        };
        Ok(SaveOutcome::Saved(Effect::Then(vec![
            Effect::Reload,
            Effect::Info(format!(
                "Set on {} requirement(s){unchanged}; {} undoes it all.",
                done.changed.len(),
                keys_for(Mode::Global, Action::Undo)
            )),
        ])))
    })
}

/// The form that records one stakeholder's answer about `ids`; `people` are offered first (the
/// interview's stakeholders for a read-back), else those the requirements were heard from.
pub fn sign_off_form(d: &ProjectData, ids: &[RequirementId], people: Option<&[StakeholderId]>) -> Effect {
    if ids.is_empty() {
        return nothing_to_act_on();
    }
    if d.stakeholders.is_empty() {
        return Effect::Info("No stakeholders yet: add who signs off on the Stakeholders screen (6).".into());
    }
    let first: Vec<StakeholderId> = match people {
        Some(p) => p.to_vec(),
        None => d.source_links.iter().filter(|(r, _)| ids.contains(r)).map(|(_, s)| *s).collect(),
    };
    let mut order: Vec<&Stakeholder> = d.stakeholders.iter().collect();
    order.sort_by_key(|s| !first.contains(&s.id));
    let names = order.iter().map(|s| terminal_safe(&s.name, true)).collect();
    let verdicts = Verdict::ALL.iter().map(ToString::to_string).collect();
    let fields = vec![
        Field::choice(FieldId::Who, "Stakeholder", names, 0),
        Field::choice(FieldId::Verdict, "Answer", verdicts, 0),
        Field::line(FieldId::Note, "Note", "").with_help("what they said (optional)"),
    ];
    let title = format!("Sign-off of {}", what(d, ids));
    let mut form = Form::new(title, fields);
    form.intro = vec![format!("{} choose who answered and what; the date is today's.", choose_keys())];
    // The form keeps the order it offered, so the save reads the same person the analyst saw.
    let purpose = FormPurpose::SignOff { requirements: ids.to_vec(), people: order.iter().map(|s| s.id).collect() };
    Effect::Push(FormView::saved_by(form, purpose, save_sign_off))
}

fn save_sign_off(ctx: &mut OverlayCtx<'_>, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    let FormPurpose::SignOff { requirements, people } = purpose else { return Ok(SaveOutcome::Invalid) };
    in_project(ctx, |ctx| {
        let d = ctx.data;
        let Some(stakeholder) = people.get(form.choice(FieldId::Who)).copied() else {
            return Ok(SaveOutcome::Invalid);
        };
        let verdict = form.chosen(FieldId::Verdict, Verdict::ALL);
        let answer = NewConfirmation { stakeholder, verdict, note: form.text(FieldId::Note) };
        let done = ctx.store.confirm(d.project.id, requirements, answer)?;
        let name = d.stakeholders.iter().find(|s| s.id == stakeholder).map_or("?", |s| s.name.as_str());
        Ok(SaveOutcome::Saved(Effect::Then(vec![
            Effect::Reload,
            Effect::Info(format!(
                "{} requirement(s) {verdict} by {}; {} undoes it.",
                done.len(),
                terminal_safe(name, true),
                keys_for(Mode::Global, Action::Undo)
            )),
        ])))
    })
}
