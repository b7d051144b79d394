//! Starting an interview from the Capture screen: the start form, and a stakeholder added on the spot.

use super::{CaptureFocus, CaptureScreen};
use crate::domain::*;
use crate::store::StoreError;
use crate::tui::app::{App, FormPurpose, Overlay, Screen};
use crate::tui::component::{Ctx, Effect};
use crate::tui::data::ProjectData;
use crate::tui::form::{Field, FieldKind, Form};

/// The start form: title, mode, stakeholders (fuzzy multi-pick, or a new one added on the spot).
pub(super) fn start_form(d: &ProjectData) -> Effect {
    let fields = vec![
        Field::line("title", "Title", "").with_help("e.g. Store walk-through with the night shift"),
        Field::choice("mode", "Mode", InterviewMode::ALL.iter().map(ToString::to_string).collect(), 0),
        Field::pick("stakeholders", "Stakeholders", stakeholder_options(d), true, Vec::new()),
    ];
    let mut form = Form::new("Start an interview", fields);
    form.intro = vec![
        "Starting logs requirements time until you pause or end the interview.".into(),
        "Stakeholders: Enter opens the picker; pick \"+ New stakeholder…\" to add someone on the spot.".into(),
    ];
    Effect::Push(Overlay::Form { form: Box::new(form), purpose: FormPurpose::StartInterview })
}

impl CaptureScreen {
    /// Saves the start form: starts the interview and its timer, and puts the cursor in the capture box;
    /// `None` when the form shows what to fix.
    pub fn save_start_form(&mut self, ctx: &mut Ctx<'_>, form: &mut Form) -> Result<Option<Effect>, StoreError> {
        let title = form.text("title");
        if let Err(e) = required_line("interview title", &title, MAX_TITLE_CHARS) {
            form.set_error("title", Some(e.to_string()));
        }
        let people: Vec<StakeholderId> = form.picked("stakeholders").iter().filter_map(|s| s.parse().ok()).collect();
        if people.is_empty() {
            form.set_error("stakeholders", Some("pick at least one stakeholder (Enter opens the list)".into()));
        }
        if form.has_errors() {
            return Ok(None);
        }
        let mode = InterviewMode::ALL[form.choice("mode").min(InterviewMode::ALL.len() - 1)];
        let i = ctx.store.start_interview(ctx.data.project.id, &title, mode, &people)?;
        self.focus = CaptureFocus::Box;
        Ok(Some(Effect::Then(vec![
            Effect::ReloadTime,
            Effect::Show(Screen::Capture),
            Effect::Info(format!(
                "Interview {:?} started; requirements time is running. Type and press Enter.",
                i.title
            )),
        ])))
    }
}

impl App {
    /// The picker of the start form confirmed: "+ New stakeholder…" opens the stakeholder form on top.
    pub(in crate::tui) fn start_form_picked(&mut self, index: usize, result: Vec<String>) {
        let wants_new = result.iter().any(|id| id == NEW_STAKEHOLDER);
        if let Some(Overlay::Form { form, .. }) = self.overlays.last_mut() {
            form.set_picked(index, result.into_iter().filter(|id| !id.is_empty() && id != NEW_STAKEHOLDER).collect());
        }
        if wants_new {
            let fields = vec![
                Field::line("name", "Name", ""),
                Field::line("role", "Role", ""),
                Field::line("department", "Department", "").with_help("drives coverage: who has been heard"),
            ];
            self.overlays.push(Overlay::Form {
                form: Box::new(Form::new("New stakeholder for this interview", fields)),
                purpose: FormPurpose::InterviewStakeholder,
            });
        }
    }

    /// Saves the on-the-spot stakeholder and picks them in the start form beneath.
    pub(in crate::tui) fn save_interview_stakeholder(
        &mut self,
        form: &mut Form,
    ) -> Result<String, crate::store::StoreError> {
        let Some(d) = &self.data else { return Ok(String::new()) };
        let project = d.project.id;
        let Some(fields) = crate::tui::forms::stakeholder_fields(form) else { return Ok(String::new()) };
        let s = self.store.add_stakeholder(project, fields)?;
        self.refresh_requirement(None);
        let options = self.data.as_ref().map(stakeholder_options).unwrap_or_default();
        // The form being saved was taken off the stack; the start form is on top now.
        if let Some(Overlay::Form { form: start, purpose: FormPurpose::StartInterview }) = self.overlays.last_mut()
            && let Some(f) = start.field_mut("stakeholders")
        {
            if let FieldKind::Pick { options: o, .. } = &mut f.kind {
                *o = options;
            }
            f.picked.push(s.id.to_string());
            start.dirty = true;
        }
        Ok(format!("Added {}.", terminal_safe(&s.name, true)))
    }
}

/// The picker id of "+ New stakeholder…".
const NEW_STAKEHOLDER: &str = "+new";

fn stakeholder_options(d: &ProjectData) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = d
        .stakeholders
        .iter()
        .map(|s| {
            let mut label = s.name.clone();
            let about: Vec<&str> =
                [s.role.as_str(), s.department.as_str()].into_iter().filter(|t| !t.is_empty()).collect();
            if !about.is_empty() {
                label.push_str(&format!(" ({})", about.join(", ")));
            }
            (s.id.to_string(), label)
        })
        .collect();
    out.push((NEW_STAKEHOLDER.into(), "+ New stakeholder…".into()));
    out
}
