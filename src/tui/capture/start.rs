//! Starting an interview from the Capture screen: the start form (a stakeholder can be added on the spot
//! from its picker; see [`crate::tui::forms`]).

use crate::domain::*;
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::component::{Effect, OverlayCtx};
use crate::tui::data::ProjectData;
use crate::tui::form::{Field, Form};
use crate::tui::forms::{FormPurpose, FormView, SaveOutcome, in_project, stakeholder_label};
use crate::tui::keymap::{Mode, keys_for};
use crate::tui::message::{Choice, FieldId, Screen};

/// The start form: title, mode, stakeholders (fuzzy multi-pick, or a new one added on the spot).
pub(super) fn start_form(d: &ProjectData) -> Effect {
    let fields = vec![
        Field::line(FieldId::Title, "Title", "").with_help("e.g. Store walk-through with the night shift"),
        Field::choice(FieldId::Mode, "Mode", InterviewMode::ALL.iter().map(ToString::to_string).collect(), 0),
        Field::pick(FieldId::Stakeholders, "Stakeholders", stakeholder_options(d), true, Vec::new()),
    ];
    let mut form = Form::new("Start an interview", fields);
    form.intro = vec![
        "Starting logs requirements time until you pause or end the interview.".into(),
        format!(
            "Stakeholders: {} opens the picker; pick \"+ New stakeholder…\" to add someone on the spot.",
            keys_for(Mode::Form, Action::Open)
        ),
    ];
    Effect::Push(FormView::saved_by(form, FormPurpose::StartInterview, save_start_form))
}

/// Saves the start form: starts the interview and its timer (the box gets the cursor as the screen sees
/// the interview open).
fn save_start_form(ctx: &mut OverlayCtx<'_>, form: &mut Form, _: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    in_project(ctx, |ctx| {
        let title = form.text(FieldId::Title);
        if let Err(e) = required_line("interview title", &title, MAX_TITLE_CHARS) {
            form.set_error(FieldId::Title, e.to_string());
        }
        let people: Vec<StakeholderId> =
            form.picked(FieldId::Stakeholders).iter().filter_map(|c| c.stakeholder()).collect();
        if people.is_empty() {
            let open = keys_for(Mode::Form, Action::Open);
            form.set_error(FieldId::Stakeholders, format!("pick at least one stakeholder ({open} opens the list)"));
        }
        if form.has_errors() {
            return Ok(SaveOutcome::Invalid);
        }
        let mode = form.chosen(FieldId::Mode, InterviewMode::ALL);
        let i = ctx.store.start_interview(ctx.data.project.id, &title, mode, &people)?;
        Ok(SaveOutcome::Saved(Effect::Then(vec![
            Effect::ReloadTime,
            Effect::Show(Screen::Capture),
            Effect::Info(format!(
                "Interview {:?} started; requirements time is running. Type and press {}.",
                i.title,
                keys_for(Mode::Capture, Action::Save)
            )),
        ])))
    })
}

fn stakeholder_options(d: &ProjectData) -> Vec<(Choice, String)> {
    let mut out: Vec<(Choice, String)> =
        d.stakeholders.iter().map(|s| (Choice::Stakeholder(s.id), stakeholder_label(s))).collect();
    out.push((Choice::NewStakeholder, "+ New stakeholder…".into()));
    out
}
