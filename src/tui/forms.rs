//! Building each form of the app and saving it through the store.

use super::action::Action;
use super::app::{App, DRAFT_FORM, FormPurpose, Overlay};
use super::capture::CaptureScreen;
use super::component::{Ctx, Effect};
use super::conflict::{Conflict, ConflictStep};
use super::data::ProjectData;
use super::form::{Field, FieldKind, Form};
use super::picker::{Picker, PickerPurpose};
use crate::domain::*;
use crate::journeys;
use crate::store::{NewProject, OutcomeFields, StakeholderFields, Store, StoreError};

/// What saving a form came to.
pub(super) enum SaveOutcome {
    /// Written; the message says what.
    Saved(String),
    /// Not written: the form marks what to fix.
    Invalid,
    /// Not written yet: another process changed the same fields; this view asks whose to keep.
    Conflict(Overlay),
}

/// Sets field `f` of `r` to the patch's value for it, when the patch has one.
fn apply_field(r: &mut Requirement, p: &RequirementPatch, f: ReqField) {
    match f {
        ReqField::Title => r.title = p.title.clone().unwrap_or_else(|| r.title.clone()),
        ReqField::Statement => r.statement = p.statement.clone().unwrap_or_else(|| r.statement.clone()),
        ReqField::Acceptance => r.acceptance = p.acceptance.clone().unwrap_or_else(|| r.acceptance.clone()),
        ReqField::Rationale => r.rationale = p.rationale.clone().unwrap_or_else(|| r.rationale.clone()),
        ReqField::Stage => r.stage = p.stage.unwrap_or(r.stage),
        ReqField::Outcomes => r.outcomes = p.outcomes.clone().unwrap_or_else(|| r.outcomes.clone()),
        ReqField::Sources => r.sources = p.sources.clone().unwrap_or_else(|| r.sources.clone()),
        ReqField::Priority => r.priority = p.priority.unwrap_or(r.priority),
        ReqField::Status => r.status = p.status.unwrap_or(r.status),
        ReqField::Kind => r.kind = p.kind.unwrap_or(r.kind),
        ReqField::Channel => r.channel = p.channel.unwrap_or(r.channel),
        ReqField::Tags => r.tags = p.tags.clone().unwrap_or_else(|| r.tags.clone()),
        ReqField::PainPoint => r.pain_point = p.pain_point.unwrap_or(r.pain_point),
        ReqField::MomentOfTruth => r.moment_of_truth = p.moment_of_truth.unwrap_or(r.moment_of_truth),
    }
}

fn choices<T: std::fmt::Display>(all: &[T]) -> Vec<String> {
    all.iter().map(ToString::to_string).collect()
}

fn index_of<T: PartialEq>(all: &[T], v: &T) -> usize {
    all.iter().position(|x| x == v).unwrap_or(0)
}

fn parse_number(form: &mut Form, name: &str, what: &str) -> Result<Option<f64>, ()> {
    let text = form.text(name).trim().replace(',', ".");
    if text.is_empty() {
        return Ok(None);
    }
    match text.trim_end_matches('%').trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => {
            form.set_error(name, Some(format!("{what} must be a number, e.g. 42 or 3.5")));
            Err(())
        }
    }
}

impl App {
    /// The first-run form: a new project, or the demo. `required` means there is no project to go back to.
    pub fn open_first_run(&mut self, required: bool) {
        let mut templates: Vec<String> = journeys::template_names().iter().map(|s| s.to_string()).collect();
        templates.push("none".into());
        let mut form = Form::new(
            if required { "Welcome to elicit: create your first project" } else { "New project" },
            vec![
                Field::line("key", "Key", "").with_help("2-8 capital letters, e.g. CHK; ids become CHK-1, CHK-2"),
                Field::line("name", "Name", "").with_help("e.g. Checkout redesign"),
                Field::choice("journey", "Journey", templates, 0).with_help("←/→ choose the customer-journey stages"),
                Field::line("min", "Target min %", "25").with_help("share of time for requirements work, lower end"),
                Field::line("max", "Target max %", "40").with_help("upper end of the band"),
                Field::line("hours", "Planned hours", "").with_help("optional: hours planned for the project"),
            ],
        );
        form.intro = if required {
            vec![
                "Requirements, stages, outcomes and stakeholders live in one local file.".into(),
                "Fill in your first project below and press Ctrl-S to create it.".into(),
                "New to elicit? Press Ctrl-D to load a demo project to explore instead.".into(),
                "Esc quits.".into(),
            ]
        } else {
            vec!["Fill in the project and press Ctrl-S; Ctrl-D opens the demo project instead.".into()]
        };
        let purpose = if required { FormPurpose::FirstRun } else { FormPurpose::NewProject };
        self.overlays.push(Overlay::Form { form: Box::new(form), purpose });
    }

    pub(super) fn load_demo_from_form(&mut self) {
        if !matches!(
            self.overlays.last(),
            Some(Overlay::Form { purpose: FormPurpose::FirstRun | FormPurpose::NewProject, .. })
        ) {
            return;
        }
        match crate::demo::load(&mut self.store).and_then(|d| {
            self.overlays.pop();
            self.switch_project(d.project).map(|()| d.already_existed)
        }) {
            Ok(false) => self.info("Loaded the demo project SHOP. Press ? for keys."),
            Ok(true) => self.info("The demo project SHOP was already here; switched to it."),
            Err(e) => self.error(e),
        }
    }

    /// Opens the requirement form, empty (new) or filled from a saved requirement.
    pub fn open_requirement_form(&mut self, edit: Option<RequirementId>, stage: Option<StageId>) {
        let Some(d) = &self.data else { return };
        match requirement_form(&self.store, d, edit, stage) {
            Ok(form) => self.overlays.push(form),
            Err(e) => self.error(e),
        }
    }

    /// Reopens the autosaved requirement form.
    pub(super) fn restore_draft(&mut self) {
        let Some(d) = &self.data else { return };
        let draft = match self.store.draft(d.project.id, DRAFT_FORM) {
            Ok(Some(draft)) => draft,
            Ok(None) => return,
            Err(e) => return self.error(e),
        };
        let target =
            draft.payload.get("requirement").and_then(|v| v.as_str()).and_then(|s| s.parse::<RequirementId>().ok());
        self.open_requirement_form(target, None);
        if let Some(Overlay::Form { form, purpose }) = self.overlays.last_mut()
            && let Some(values) = draft.payload.get("values")
        {
            form.load_json(values);
            // The edit merges against the version the draft started from, not the one saved now, so what
            // others saved since is seen as theirs and never quietly undone.
            if let (FormPurpose::EditRequirement(base), Some(started)) =
                (purpose, draft.payload.get("base").and_then(|b| serde_json::from_value::<Requirement>(b.clone()).ok()))
                && started.id == base.id
            {
                **base = started;
            }
        }
        self.info("Reopened your unsaved requirement.");
    }

    pub(super) fn open_field_picker(&mut self, index: usize) {
        let Some(Overlay::Form { form, .. }) = self.overlays.last() else { return };
        let Some(field) = form.fields.get(index) else { return };
        if let FieldKind::Pick { options, multi } = &field.kind {
            let picker = Picker::new(
                field.label,
                options.clone(),
                *multi,
                field.picked.clone(),
                PickerPurpose::FormField(index),
            );
            self.overlays.push(Overlay::Picker(picker));
        }
    }

    /// Validates and saves the top form; on failure the form stays open with the reasons shown.
    pub(super) fn save_form(&mut self) {
        let Some(Overlay::Form { mut form, purpose }) = self.overlays.pop() else { return };
        for f in &mut form.fields {
            f.error = None;
        }
        form.message = None;
        let result = self.save(&mut form, &purpose);
        match result {
            Ok(SaveOutcome::Saved(message)) => {
                self.overlays.push(Overlay::Form { form, purpose });
                self.close_form();
                // An empty message: the save reported through its own effects.
                if !message.is_empty() {
                    self.info(message);
                }
            }
            Ok(SaveOutcome::Invalid) => {
                form.message = Some("Fix the marked fields, then Ctrl-S.".into());
                self.overlays.push(Overlay::Form { form, purpose });
            }
            Ok(SaveOutcome::Conflict(view)) => {
                // The form stays open beneath, as typed: going back to it loses nothing.
                self.overlays.push(Overlay::Form { form, purpose });
                self.overlays.push(view);
            }
            Err(e) => {
                form.message = Some(format!("Not saved: {e}"));
                self.overlays.push(Overlay::Form { form, purpose });
            }
        }
    }

    /// An action in the conflict view over an edit form.
    pub(super) fn conflict_action(&mut self, action: Action) {
        let area = self.areas().body;
        let Some(data) = &self.data else { return };
        let Some(Overlay::Conflict(view)) = self.overlays.last_mut() else { return };
        let mut ctx = Ctx { store: &mut self.store, data, area };
        match view.update(&mut ctx, action) {
            ConflictStep::Stay => {}
            ConflictStep::Back => {
                self.overlays.pop();
            }
            ConflictStep::Failed(message) => self.error(message),
            ConflictStep::Again(fresh) => {
                *view = fresh;
                self.error("It was changed again meanwhile: the choices below are against the newest version.");
            }
            ConflictStep::Saved(effect) => {
                self.overlays.pop();
                self.close_form();
                self.apply(effect);
            }
        }
    }

    /// Saves a form the Capture screen owns; its effects report the outcome.
    fn save_with_capture(
        &mut self,
        form: &mut Form,
        save: fn(&mut CaptureScreen, &mut Ctx<'_>, &mut Form) -> Result<Option<Effect>, StoreError>,
    ) -> Result<String, StoreError> {
        let mut saved = Ok(());
        self.with_screens(|screens, ctx| match save(&mut screens.capture, ctx, form) {
            Ok(effect) => effect.unwrap_or(Effect::None),
            Err(e) => {
                saved = Err(e);
                Effect::None
            }
        });
        saved.map(|()| String::new())
    }

    fn save(&mut self, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
        if matches!(purpose, FormPurpose::NewRequirement | FormPurpose::EditRequirement(_)) {
            return self.save_requirement(form, purpose);
        }
        let message = self.save_other(form, purpose)?;
        Ok(if form.has_errors() { SaveOutcome::Invalid } else { SaveOutcome::Saved(message) })
    }

    fn save_other(&mut self, form: &mut Form, purpose: &FormPurpose) -> Result<String, StoreError> {
        match purpose {
            FormPurpose::FirstRun | FormPurpose::NewProject => self.save_project(form),
            FormPurpose::Export => self.save_export(form),
            FormPurpose::StartInterview => self.save_with_capture(form, super::capture::CaptureScreen::save_start_form),
            FormPurpose::InterviewStakeholder => self.save_interview_stakeholder(form),
            FormPurpose::AddNote => self.save_with_capture(form, super::capture::CaptureScreen::save_note_form),
            FormPurpose::NewRequirement | FormPurpose::EditRequirement(_) => Ok(String::new()),
            FormPurpose::NewOutcome | FormPurpose::EditOutcome(_) => {
                let Some(d) = &self.data else { return Ok(String::new()) };
                let project = d.project.id;
                let statement = form.text("statement");
                if let Err(e) = required_line("outcome", &statement, MAX_TITLE_CHARS) {
                    form.set_error("statement", Some(e.to_string()));
                }
                let baseline = parse_number(form, "baseline", "baseline");
                let target = parse_number(form, "target", "target");
                let (Ok(baseline), Ok(target)) = (baseline, target) else { return Ok(String::new()) };
                if form.has_errors() {
                    return Ok(String::new());
                }
                let fields = OutcomeFields {
                    statement,
                    metric: Metric::ALL[form.choice("metric").min(Metric::ALL.len() - 1)],
                    baseline,
                    target,
                    unit: form.text("unit"),
                };
                match purpose {
                    FormPurpose::EditOutcome(id) => self.store.update_outcome(*id, fields)?,
                    _ => self.store.add_outcome(project, fields)?,
                };
                self.reload();
                Ok("Outcome saved.".into())
            }
            FormPurpose::NewStakeholder | FormPurpose::EditStakeholder(_) => {
                let Some(d) = &self.data else { return Ok(String::new()) };
                let project = d.project.id;
                let Some(fields) = stakeholder_fields(form) else { return Ok(String::new()) };
                match purpose {
                    FormPurpose::EditStakeholder(id) => self.store.update_stakeholder(*id, fields)?,
                    _ => self.store.add_stakeholder(project, fields)?,
                };
                self.reload();
                Ok("Stakeholder saved.".into())
            }
            FormPurpose::NewTimeEntry | FormPurpose::EditTimeEntry(_) => {
                let Some(d) = &self.data else { return Ok(String::new()) };
                let (message, saved) = super::screens::time::save_time_entry(&mut self.store, d, form, purpose)?;
                if let Some(id) = saved {
                    self.screens.time.follow(id);
                    self.reload();
                }
                Ok(message)
            }
            FormPurpose::AddStage | FormPurpose::RenameStage(_) => {
                let Some(d) = &self.data else { return Ok(String::new()) };
                let project = d.project.id;
                let (name, description) = (form.text("name"), form.text("description"));
                if let Err(e) = required_line("stage name", &name, MAX_NAME_CHARS) {
                    form.set_error("name", Some(e.to_string()));
                    return Ok(String::new());
                }
                match purpose {
                    FormPurpose::RenameStage(id) => {
                        self.store.update_stage(*id, Some(&name), Some(&description))?;
                    }
                    _ => {
                        self.store.add_stage(project, &name, &description)?;
                    }
                }
                self.reload();
                Ok("Stage saved.".into())
            }
        }
    }

    fn save_project(&mut self, form: &mut Form) -> Result<String, StoreError> {
        let key = form.text("key").trim().to_ascii_uppercase();
        let key: Option<ProjectKey> = match key.parse() {
            Ok(k) => Some(k),
            Err(e) => {
                form.set_error("key", Some(e.to_string()));
                None
            }
        };
        let name = form.text("name");
        if let Err(e) = required_line("project name", &name, MAX_NAME_CHARS) {
            form.set_error("name", Some(e.to_string()));
        }
        let min = parse_number(form, "min", "the lower target");
        let max = parse_number(form, "max", "the upper target");
        let hours = parse_number(form, "hours", "planned hours");
        let (Ok(min), Ok(max), Ok(hours), Some(key)) = (min, max, hours, key) else { return Ok(String::new()) };
        let (min, max) = (min.unwrap_or(25.0) / 100.0, max.unwrap_or(40.0) / 100.0);
        if let Err(e) = band(min, max) {
            form.set_error("max", Some(e.to_string()));
        }
        if let Some(Err(e)) = hours.map(planned_hours) {
            form.set_error("hours", Some(e.to_string()));
        }
        if form.has_errors() {
            return Ok(String::new());
        }
        let names = journeys::template_names();
        let (journey, stages) = match names.get(form.choice("journey")) {
            Some(name) => {
                let t = journeys::template(name)?;
                (t.name, t.stages.into_iter().map(|s| (s.name, s.description)).collect())
            }
            None => (String::new(), Vec::new()),
        };
        let project = self.store.create_project(NewProject {
            key,
            name,
            description: String::new(),
            journey,
            stages,
            planned_hours: hours,
            target_min: min,
            target_max: max,
        })?;
        let key = project.key.to_string();
        self.switch_project(project)?;
        self.screen = super::app::Screen::Requirements;
        Ok(format!("Created project {key}. Press n to add a requirement."))
    }

    fn save_requirement(&mut self, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
        let Some(d) = &self.data else { return Ok(SaveOutcome::Invalid) };
        let project = d.project.id;
        let key = d.project.key.clone();
        let title = form.text("title");
        if let Err(e) = crate::domain::title(&title) {
            form.set_error("title", Some(e.to_string()));
        }
        for (name, what) in
            [("statement", "statement"), ("acceptance", "acceptance criteria"), ("rationale", "rationale")]
        {
            if let Err(e) = long_text(what, &form.text(name)) {
                form.set_error(name, Some(e.to_string()));
            }
        }
        let tags: Vec<String> =
            form.text("tags").split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
        for t in &tags {
            if let Err(e) = tag(t) {
                form.set_error("tags", Some(e.to_string()));
            }
        }
        if form.has_errors() {
            return Ok(SaveOutcome::Invalid);
        }
        let stage: Option<StageId> = form.picked("stage").first().and_then(|s| s.parse().ok());
        let outcomes: Vec<OutcomeId> = form.picked("outcomes").iter().filter_map(|s| s.parse().ok()).collect();
        let sources: Vec<StakeholderId> = form.picked("sources").iter().filter_map(|s| s.parse().ok()).collect();
        let priority = Priority::ALL[form.choice("priority").min(Priority::ALL.len() - 1)];
        let status = Status::ALL[form.choice("status").min(Status::ALL.len() - 1)];
        let kind = Kind::ALL[form.choice("kind").min(Kind::ALL.len() - 1)];
        let channel = form.choice("channel").checked_sub(1).and_then(|i| Channel::ALL.get(i)).copied();
        let (id, seq) = match purpose {
            FormPurpose::EditRequirement(base) => {
                let patch = RequirementPatch {
                    title: Some(title),
                    statement: Some(form.text("statement")),
                    kind: Some(kind),
                    priority: Some(priority),
                    status: Some(status),
                    stage: Some(stage),
                    interview: None,
                    channel: Some(channel),
                    pain_point: Some(form.on("pain_point")),
                    moment_of_truth: Some(form.on("moment_of_truth")),
                    acceptance: Some(form.text("acceptance")),
                    rationale: Some(form.text("rationale")),
                    quote: None,
                    external_ref: None,
                    outcomes: Some(outcomes),
                    sources: Some(sources),
                    tags: Some(tags),
                }
                .validated()?;
                // The form as a requirement, cleaned as the store would save it, so only real edits count.
                let mut mine = (**base).clone();
                for f in ReqField::ALL {
                    apply_field(&mut mine, &patch, f);
                }
                // Merged against what is saved now: another process may have changed it since the form opened.
                let theirs = self.store.requirement(base.id)?;
                let conflict = Conflict::new((**base).clone(), theirs, mine);
                if !conflict.merge.conflicts.is_empty() {
                    return Ok(SaveOutcome::Conflict(Overlay::Conflict(Box::new(conflict))));
                }
                let merged = conflict.theirs.version != base.version;
                let r =
                    self.store.update_requirement_if(base.id, Some(conflict.theirs.version), conflict.merge.patch)?;
                self.refresh_requirement(Some(r.id));
                let also = if merged { " (with the change saved elsewhere meanwhile)" } else { "" };
                return Ok(SaveOutcome::Saved(format!("Saved {}{also}.", human_id(&key, r.seq))));
            }
            _ => {
                let new = NewRequirement {
                    title,
                    statement: form.text("statement"),
                    kind,
                    priority,
                    status,
                    stage,
                    // Added while an interview runs, it belongs to that interview, as in the capture box.
                    interview: self.store.open_interview(project)?.map(|i| i.id),
                    channel,
                    pain_point: form.on("pain_point"),
                    moment_of_truth: form.on("moment_of_truth"),
                    acceptance: form.text("acceptance"),
                    rationale: form.text("rationale"),
                    quote: String::new(),
                    external_ref: String::new(),
                    outcomes,
                    sources,
                    tags,
                };
                let r = self.store.add_requirement(project, new)?;
                (r.id, r.seq)
            }
        };
        self.refresh_requirement(Some(id));
        Ok(SaveOutcome::Saved(format!("Added {}.", human_id(&key, seq))))
    }
}

/// The stakeholder a form describes (fields the form lacks stay empty), or `None`, with the error on the
/// form, when the name is missing or too long. The stakeholder form and the interview's quick add share it.
pub(super) fn stakeholder_fields(form: &mut Form) -> Option<StakeholderFields> {
    if let Err(e) = required_line("name", &form.text("name"), MAX_NAME_CHARS) {
        form.set_error("name", Some(e.to_string()));
        return None;
    }
    Some(StakeholderFields {
        name: form.text("name"),
        role: form.text("role"),
        department: form.text("department"),
        organisation: form.text("organisation"),
        contact: form.text("contact"),
        notes: form.text("notes"),
    })
}

/// The form for a new outcome, or for editing `edit`.
pub fn outcome_form(edit: Option<&Outcome>) -> Overlay {
    let o = edit.cloned();
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let fields = vec![
        Field::line("statement", "Outcome", o.as_ref().map_or("", |o| &o.statement))
            .with_help("what improves for the customer, e.g. Refunds paid within 3 days"),
        Field::choice(
            "metric",
            "Metric",
            choices(Metric::ALL),
            o.as_ref().map_or(0, |o| index_of(Metric::ALL, &o.metric)),
        ),
        Field::line("baseline", "Baseline", &num(o.as_ref().and_then(|o| o.baseline))),
        Field::line("target", "Target", &num(o.as_ref().and_then(|o| o.target))),
        Field::line("unit", "Unit", o.as_ref().map_or("", |o| &o.unit)).with_help("%, points, days, …"),
    ];
    let (title, purpose) = match &o {
        Some(o) => ("Edit outcome", FormPurpose::EditOutcome(o.id)),
        None => ("New outcome", FormPurpose::NewOutcome),
    };
    Overlay::Form { form: Box::new(Form::new(title, fields)), purpose }
}

/// The form for a new stakeholder, or for editing `edit`.
pub fn stakeholder_form(edit: Option<&Stakeholder>) -> Overlay {
    let s = edit.cloned().unwrap_or(Stakeholder {
        id: StakeholderId::new(),
        project_id: ProjectId::new(),
        name: String::new(),
        role: String::new(),
        department: String::new(),
        organisation: String::new(),
        contact: String::new(),
        notes: String::new(),
    });
    let fields = vec![
        Field::line("name", "Name", &s.name),
        Field::line("role", "Role", &s.role),
        Field::line("department", "Department", &s.department).with_help("drives coverage: who has been heard"),
        Field::line("organisation", "Organisation", &s.organisation),
        Field::line("contact", "Contact", &s.contact),
        Field::text("notes", "Notes", &s.notes),
    ];
    let (title, purpose) = match edit {
        Some(s) => ("Edit stakeholder", FormPurpose::EditStakeholder(s.id)),
        None => ("New stakeholder", FormPurpose::NewStakeholder),
    };
    Overlay::Form { form: Box::new(Form::new(title, fields)), purpose }
}

/// The form for a new journey stage, or for renaming `rename`.
pub fn stage_form(rename: Option<&JourneyStage>) -> Overlay {
    let fields = vec![
        Field::line("name", "Name", rename.map_or("", |s| &s.name)),
        Field::line("description", "Description", rename.map_or("", |s| &s.description)),
    ];
    let (title, purpose) = match rename {
        Some(s) => ("Rename stage", FormPurpose::RenameStage(s.id)),
        None => ("Add stage", FormPurpose::AddStage),
    };
    Overlay::Form { form: Box::new(Form::new(title, fields)), purpose }
}

/// The requirement form, empty (new, in `stage`) or filled from the saved requirement `edit`.
pub fn requirement_form(
    store: &Store,
    d: &ProjectData,
    edit: Option<RequirementId>,
    stage: Option<StageId>,
) -> Result<Overlay, StoreError> {
    let existing = edit.map(|id| store.requirement(id)).transpose()?;
    let r =
        existing.clone().unwrap_or_else(|| Requirement { stage, ..Requirement::unsaved(d.project.id, store.now()) });
    // A new requirement written during an interview is, by default, sourced from its stakeholders.
    let mut r = r;
    if existing.is_none()
        && let Some(i) = d.interviews.iter().find(|i| i.ended_at.is_none())
    {
        r.sources = i.stakeholders.clone();
    }
    let mut stages: Vec<(String, String)> = vec![(String::new(), "(no stage)".into())];
    stages.extend(d.stages.iter().map(|s| (s.id.to_string(), s.name.clone())));
    let outcomes = d.outcomes.iter().map(|o| (o.id.to_string(), o.statement.clone())).collect();
    let people = d
        .stakeholders
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                if s.department.is_empty() { s.name.clone() } else { format!("{} ({})", s.name, s.department) },
            )
        })
        .collect();
    let mut channels = vec!["none".to_owned()];
    channels.extend(choices(Channel::ALL));
    let channel = r.channel.map_or(0, |c| index_of(Channel::ALL, &c) + 1);
    let ids = |v: &[String]| v.to_vec();
    let fields = vec![
        Field::line("title", "Title", &r.title).with_help("one line a stakeholder would recognise"),
        Field::text("statement", "Statement", &r.statement).with_help("The <system> shall <do what> for <whom>…"),
        Field::text("acceptance", "Acceptance", &r.acceptance).with_help("how we will know it is met"),
        Field::text("rationale", "Rationale", &r.rationale).with_help("why it matters to the customer"),
        Field::pick("stage", "Stage", stages, false, r.stage.map(|s| vec![s.to_string()]).unwrap_or_default()),
        Field::pick(
            "outcomes",
            "Outcomes",
            outcomes,
            true,
            ids(&r.outcomes.iter().map(ToString::to_string).collect::<Vec<_>>()),
        ),
        Field::pick("sources", "Sources", people, true, r.sources.iter().map(ToString::to_string).collect()),
        Field::choice("priority", "Priority", choices(Priority::ALL), index_of(Priority::ALL, &r.priority)),
        Field::choice("status", "Status", choices(Status::ALL), index_of(Status::ALL, &r.status)),
        Field::choice("kind", "Kind", choices(Kind::ALL), index_of(Kind::ALL, &r.kind)),
        Field::choice("channel", "Channel", channels, channel),
        Field::line("tags", "Tags", &r.tags.join(", ")).with_help("comma-separated"),
        Field::toggle("pain_point", "Pain point", r.pain_point),
        Field::toggle("moment_of_truth", "Moment of truth", r.moment_of_truth),
    ];
    let title = match &existing {
        Some(r) => format!("Edit {}", d.human_id(r.seq)),
        None => "New requirement".into(),
    };
    let purpose = match edit {
        Some(_) => match existing {
            Some(base) => FormPurpose::EditRequirement(Box::new(base)),
            None => FormPurpose::NewRequirement,
        },
        None => FormPurpose::NewRequirement,
    };
    Ok(Overlay::Form { form: Box::new(Form::new(title, fields)), purpose })
}
