//! Every form of the workbench: building it, the overlay that holds it ([`FormView`]), and saving it
//! through the store. A save says what it came to ([`SaveOutcome`]); the form marks what to fix.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Action;
use super::component::{Ctx, Effect, Overlay, OverlayCtx, OverlayView};
use super::conflict::Conflict;
use super::data::ProjectData;
use super::form::{Field, FieldKind, Form, FormEvent};
use super::keymap::{Mode, keys_for};
use super::message::{Choice, FieldId, Purpose, Question, Screen};
use super::overlays::{Confirm, centered};
use super::picker::Picker;
use crate::domain::*;
use crate::journeys;
use crate::store::{NewProject, OutcomeFields, StakeholderFields, Store, StoreError};

/// The name of the draft slot that holds an unsaved requirement form.
pub const DRAFT_FORM: &str = "requirement-form";

/// What a form is for, so saving knows what to write.
#[derive(Debug, Clone, PartialEq)]
pub enum FormPurpose {
    FirstRun,
    NewProject,
    NewRequirement,
    /// Editing the requirement as it was when the form opened: the base a save merges against.
    EditRequirement(Box<Requirement>),
    NewOutcome,
    /// A new outcome, linked to this requirement once saved (from the capture box's outcome picker).
    NewOutcomeFor(RequirementId),
    EditOutcome(OutcomeId),
    NewStakeholder,
    EditStakeholder(StakeholderId),
    AddStage,
    RenameStage(StageId),
    Export,
    StartInterview,
    InterviewStakeholder,
    AddNote,
    /// The notes of an interview held.
    InterviewNotes(InterviewId),
    /// Write the read-back of an interview to a file.
    Readback(InterviewId),
    NewTimeEntry,
    EditTimeEntry(TimeEntryId),
    /// Accept a quality finding on a requirement with a reason: the finding as an acceptance names it.
    AcceptFinding {
        requirement: RequirementId,
        rule: String,
        field: String,
        subject: String,
    },
    /// Set fields on these requirements at once.
    BulkSet(Vec<RequirementId>),
    /// Record one stakeholder's sign-off of these requirements; `people` in the order the form offers them.
    SignOff {
        requirements: Vec<RequirementId>,
        people: Vec<StakeholderId>,
    },
}

impl FormPurpose {
    /// Whether the form is the requirement form, whose unsaved values are kept as a draft.
    pub fn is_requirement(&self) -> bool {
        matches!(self, FormPurpose::NewRequirement | FormPurpose::EditRequirement(_))
    }
}

/// What saving a form came to.
pub enum SaveOutcome {
    /// Written; the effect reports it and refreshes what it changed.
    Saved(Effect),
    /// Not written: the form marks what to fix.
    Invalid,
    /// Not written yet: another process changed the same fields; this view asks whose to keep.
    Conflict(Box<Conflict>),
}

/// How a form is saved: the module that builds a form gives its save, so this module needs none of them.
pub type SaveFn = fn(&mut OverlayCtx<'_>, &mut Form, &FormPurpose) -> Result<SaveOutcome, StoreError>;

/// Runs a save that needs the loaded project (every form but the project form).
pub fn in_project(
    ctx: &mut OverlayCtx<'_>,
    save: impl FnOnce(&mut Ctx<'_>) -> Result<SaveOutcome, StoreError>,
) -> Result<SaveOutcome, StoreError> {
    match ctx.screen() {
        Some(mut ctx) => save(&mut ctx),
        None => Ok(SaveOutcome::Invalid),
    }
}

/// A form over the screen, with what it is for; it saves itself through the store.
pub struct FormView {
    pub form: Form,
    pub purpose: FormPurpose,
    save: SaveFn,
    /// Keeps fields in step after a change (the export form's proposed file name).
    follow: Option<fn(&Store, &Project, &mut Form)>,
    /// Goes up with every change, so the draft is saved only when something changed.
    revision: u64,
    saved_revision: u64,
    last_save: Instant,
}

impl std::fmt::Debug for FormView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormView").field("form", &self.form).field("purpose", &self.purpose).finish_non_exhaustive()
    }
}

impl FormView {
    /// A form saved by this module (projects, requirements, outcomes, stakeholders, stages).
    pub fn new(form: Form, purpose: FormPurpose) -> Box<FormView> {
        FormView::saved_by(form, purpose, save)
    }

    /// A form saved by `save`.
    pub fn saved_by(form: Form, purpose: FormPurpose, save: SaveFn) -> Box<FormView> {
        Box::new(FormView {
            form,
            purpose,
            save,
            follow: None,
            revision: 0,
            saved_revision: 0,
            last_save: Instant::now(),
        })
    }

    /// Calls `follow` after every change, to keep fields in step.
    pub fn following(mut self: Box<Self>, follow: fn(&Store, &Project, &mut Form)) -> Box<FormView> {
        self.follow = Some(follow);
        self
    }

    /// As an effect that opens it.
    pub fn open(form: Form, purpose: FormPurpose) -> Effect {
        Effect::Push(FormView::new(form, purpose))
    }

    /// Saves the requirement form as a draft when it changed (at most every half second), or at once
    /// when `now`, so a crash loses nothing typed.
    pub fn autosave(&mut self, store: &mut Store, project: ProjectId, now: bool) -> Effect {
        if !now && (self.revision == self.saved_revision || self.last_save.elapsed() < Duration::from_millis(500)) {
            return Effect::None;
        }
        let (target, base) = match &self.purpose {
            FormPurpose::NewRequirement => (String::new(), serde_json::Value::Null),
            FormPurpose::EditRequirement(base) => {
                (base.id.to_string(), serde_json::to_value(&**base).unwrap_or_default())
            }
            _ => return Effect::None,
        };
        self.last_save = Instant::now();
        if !self.form.dirty {
            self.saved_revision = self.revision;
            return Effect::None;
        }
        let payload = serde_json::json!({ "requirement": target, "base": base, "values": self.form.to_json() });
        match store.save_draft(project, DRAFT_FORM, &payload) {
            Ok(()) => {
                self.saved_revision = self.revision;
                Effect::None
            }
            // Another process holds the file: keep typing; the draft is saved at a later tick.
            Err(StoreError::Busy) => Effect::Info(WAITING.into()),
            Err(e) => Effect::error(e),
        }
    }

    fn changed(&mut self, ctx: &mut OverlayCtx<'_>) {
        self.revision += 1;
        if self.purpose.is_requirement()
            && let Some(d) = ctx.data
        {
            check_wording(&d.linter, &mut self.form);
        }
        if let (Some(follow), Some(d)) = (self.follow, ctx.data) {
            follow(ctx.store, &d.project, &mut self.form);
        }
    }

    fn open_picker(&self, field: FieldId) -> Effect {
        let Some(f) = self.form.field(field) else { return Effect::None };
        let FieldKind::Pick { options, multi } = &f.kind else { return Effect::None };
        Picker::new(f.label, options.clone(), *multi, f.picked.clone(), Purpose::Field(field)).open()
    }

    /// Validates and saves; on failure the form stays open with the reasons shown.
    fn save(&mut self, ctx: &mut OverlayCtx<'_>) -> Effect {
        for f in &mut self.form.fields {
            f.error = None;
        }
        self.form.message = None;
        match (self.save)(ctx, &mut self.form, &self.purpose) {
            Ok(SaveOutcome::Saved(effect)) => Effect::Then(vec![Effect::CloseForm, effect]),
            Ok(SaveOutcome::Invalid) => {
                self.form.message =
                    Some(format!("Fix the marked fields, then {}.", keys_for(Mode::Form, Action::Save)));
                Effect::None
            }
            // The form stays open beneath, as typed: going back to it loses nothing.
            Ok(SaveOutcome::Conflict(view)) => Effect::Push(view),
            Err(e) => {
                self.form.message = Some(format!("Not saved: {e}"));
                Effect::None
            }
        }
    }

    fn cancel(&self) -> Effect {
        if self.purpose == FormPurpose::FirstRun {
            Effect::Quit
        } else if self.form.dirty {
            Effect::Push(Confirm::new("Drop what you typed in this form?", Question::DiscardForm))
        } else {
            Effect::CloseForm
        }
    }

    /// A bound action (with the key that made it, for text fields that take the key as text) or typing.
    fn handle(&mut self, ctx: &mut OverlayCtx<'_>, action: Option<Action>, key: &KeyEvent) -> Effect {
        let event = match action {
            Some(a) => self.form.act(a, key),
            None => self.form.input(key),
        };
        let effect = match event {
            FormEvent::None => Effect::None,
            FormEvent::Changed => {
                self.changed(ctx);
                Effect::None
            }
            FormEvent::Pick(field) => self.open_picker(field),
            FormEvent::Save => self.save(ctx),
            FormEvent::Cancel => self.cancel(),
        };
        if action == Some(Action::LoadDemo) && matches!(self.purpose, FormPurpose::FirstRun | FormPurpose::NewProject) {
            return Effect::Then(vec![Effect::Close, Effect::LoadDemo]);
        }
        effect
    }
}

impl Overlay for FormView {
    fn mode(&self) -> Mode {
        Mode::Form
    }

    fn update(&mut self, ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        self.handle(ctx, Some(action), &KeyEvent::from(KeyCode::Null))
    }

    fn input(&mut self, ctx: &mut OverlayCtx<'_>, action: Option<Action>, key: &KeyEvent) -> Effect {
        self.handle(ctx, action, key)
    }

    fn paste(&mut self, ctx: &mut OverlayCtx<'_>, text: &str) -> Effect {
        if self.form.paste(text) == FormEvent::Changed {
            self.changed(ctx);
        }
        Effect::None
    }

    fn picked(&mut self, _ctx: &mut OverlayCtx<'_>, purpose: Purpose, choices: Vec<Choice>) -> Effect {
        let Purpose::Field(field) = purpose else { return Effect::None };
        let wants_new = choices.contains(&Choice::NewStakeholder);
        let kept = choices.into_iter().filter(|c| !matches!(c, Choice::NoStage | Choice::NewStakeholder)).collect();
        self.form.set_picked(field, kept);
        self.revision += 1;
        if wants_new {
            return quick_stakeholder_form();
        }
        Effect::None
    }

    fn add_choice(&mut self, field: FieldId, choice: Choice, label: String) {
        if let Some(f) = self.form.field_mut(field) {
            if let FieldKind::Pick { options, .. } = &mut f.kind {
                // Before "+ New …", which stays last.
                let at = options.iter().position(|(c, _)| *c == Choice::NewStakeholder).unwrap_or(options.len());
                options.insert(at, (choice, label));
            }
            f.picked.push(choice);
            f.error = None;
            self.form.dirty = true;
            self.revision += 1;
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        self.form.render(frame, centered(body, 100, self.form.wanted_height().max(12)), view.theme);
    }
}

/// Notes under the requirement form's text fields what the quality lint finds in them, as they are
/// typed: the most serious finding of each, and how many more.
pub fn check_wording(linter: &crate::analysis::lint::Linter, form: &mut Form) {
    use crate::analysis::lint::Field as Lint;
    for (id, lint) in
        [(FieldId::Title, Lint::Title), (FieldId::Statement, Lint::Statement), (FieldId::Acceptance, Lint::Acceptance)]
    {
        let Some(f) = form.field_mut(id) else { continue };
        let mut found = linter.lint_field(lint, &f.text_value());
        found.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.start.cmp(&b.start)));
        f.mark(found.iter().filter(|x| x.end > x.start).map(|x| (x.start, x.end)).collect());
        f.note = found.first().map(|first| {
            let more = if found.len() > 1 { format!(" (+{} more)", found.len() - 1) } else { String::new() };
            format!("⚠ \"{}\": {}{more} · {}", first.text, first.message, first.hint)
        });
    }
}

/// What the status line says while an autosave waits for another process's write.
pub const WAITING: &str =
    "Waiting for the database (another elicit is writing): your change is saved as soon as it can be.";

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

fn parse_number(form: &mut Form, field: FieldId, what: &str) -> Result<Option<f64>, ()> {
    let text = form.text(field).trim().replace(',', ".");
    if text.is_empty() {
        return Ok(None);
    }
    match text.trim_end_matches('%').trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => {
            form.set_error(field, format!("{what} must be a number, e.g. 42 or 3.5"));
            Err(())
        }
    }
}

/// How a choice field is changed: "←/→".
pub fn choose_keys() -> String {
    format!("{}/{}", keys_for(Mode::Form, Action::Left), keys_for(Mode::Form, Action::Right))
}

/// The first-run form: a new project, or the demo. `required` means there is no project to go back to.
pub fn first_run_form(required: bool) -> Effect {
    let mut templates: Vec<String> = journeys::template_names().iter().map(|s| s.to_string()).collect();
    templates.push("none".into());
    let mut form = Form::new(
        if required { "Welcome to elicit: create your first project" } else { "New project" },
        vec![
            Field::line(FieldId::Key, "Key", "").with_help("2-8 capital letters, e.g. CHK; ids become CHK-1, CHK-2"),
            Field::line(FieldId::Name, "Name", "").with_help("e.g. Checkout redesign"),
            Field::choice(FieldId::Journey, "Journey", templates, 0)
                .with_help(format!("{} choose the customer-journey stages", choose_keys())),
            Field::line(FieldId::Min, "Target min %", "25").with_help("share of time for requirements work, lower end"),
            Field::line(FieldId::Max, "Target max %", "40").with_help("upper end of the band"),
            Field::line(FieldId::Hours, "Planned hours", "").with_help("optional: hours planned for the project"),
        ],
    );
    let k = |a| keys_for(Mode::Form, a);
    form.intro = if required {
        vec![
            "Requirements, stages, outcomes and stakeholders live in one local file.".into(),
            format!("Fill in your first project below and press {} to create it.", k(Action::Save)),
            format!("New to elicit? Press {} to load a demo project to explore instead.", k(Action::LoadDemo)),
            format!("{} quits.", k(Action::Cancel)),
        ]
    } else {
        vec![format!(
            "Fill in the project and press {}; {} opens the demo project instead.",
            k(Action::Save),
            k(Action::LoadDemo)
        )]
    };
    FormView::open(form, if required { FormPurpose::FirstRun } else { FormPurpose::NewProject })
}

/// The question whether to reopen the requirement form left unsaved in `project`, if there is one.
pub fn offer_draft(store: &Store, project: ProjectId) -> Result<Effect, StoreError> {
    let Some(draft) = store.draft(project, DRAFT_FORM)? else { return Ok(Effect::None) };
    let when = format!("{} {}", format_minute(draft.updated_at), zone_label());
    let no = keys_for(Mode::Confirm, Action::Cancel);
    let message = format!("An unsaved requirement from {when} was kept. Reopen it? ({no} discards it)");
    Ok(Effect::Push(Confirm::new(message, Question::RestoreDraft)))
}

/// The answers to the form questions: drop what was typed, reopen the unsaved requirement or forget it.
pub fn answered(store: &mut Store, data: Option<&ProjectData>, question: Question, yes: bool) -> Effect {
    match (question, yes, data) {
        (Question::DiscardForm, true, _) => Effect::Then(vec![Effect::CloseForm, Effect::Info("Discarded.".into())]),
        (Question::RestoreDraft, true, Some(data)) => restore_draft(&mut Ctx {
            store,
            data,
            area: Rect::default(),
            writing: false,
            author: "",
            quality: None,
            repeats: None,
        }),
        (Question::RestoreDraft, false, Some(d)) => match store.discard_draft(d.project.id, DRAFT_FORM) {
            Ok(()) => Effect::Info("Unsaved requirement discarded.".into()),
            Err(e) => Effect::error(e),
        },
        _ => Effect::None,
    }
}

/// What picking in the project picker comes to: the other project loaded, or the new-project form.
pub fn project_picked(store: &Store, choice: Option<Choice>) -> Effect {
    match choice {
        Some(Choice::NewProject) => first_run_form(false),
        Some(Choice::Project(id)) => match store.project(id) {
            Ok(p) => {
                let said = format!("Switched to {}", p.key);
                Effect::Then(vec![Effect::SwitchProject(p), Effect::Info(said)])
            }
            Err(e) => Effect::error(e),
        },
        _ => Effect::None,
    }
}

/// Loads the demo project and switches to it.
pub fn load_demo(store: &mut Store) -> Effect {
    match crate::demo::load(store) {
        Ok(d) => {
            let said = if d.already_existed {
                "The demo project SHOP was already here; switched to it.".to_owned()
            } else {
                format!("Loaded the demo project SHOP. Press {} for keys.", keys_for(Mode::Global, Action::Help))
            };
            Effect::Then(vec![Effect::SwitchProject(d.project), Effect::Info(said)])
        }
        Err(e) => Effect::error(e),
    }
}

/// Reopens the autosaved requirement form, as it was left.
fn restore_draft(ctx: &mut Ctx<'_>) -> Effect {
    let draft = match ctx.store.draft(ctx.data.project.id, DRAFT_FORM) {
        Ok(Some(draft)) => draft,
        Ok(None) => return Effect::None,
        Err(e) => return Effect::error(e),
    };
    let target =
        draft.payload.get("requirement").and_then(|v| v.as_str()).and_then(|s| s.parse::<RequirementId>().ok());
    let mut view = match requirement_form(ctx.store, ctx.data, target, None) {
        Ok(view) => view,
        Err(e) => return Effect::error(e),
    };
    if let Some(values) = draft.payload.get("values") {
        view.form.load_json(values);
        // The edit merges against the version the draft started from, not the one saved now, so what
        // others saved since is seen as theirs and never quietly undone.
        if let (FormPurpose::EditRequirement(base), Some(started)) = (
            &mut view.purpose,
            draft.payload.get("base").and_then(|b| serde_json::from_value::<Requirement>(b.clone()).ok()),
        ) && started.id == base.id
        {
            **base = started;
        }
    }
    Effect::Then(vec![Effect::Push(view), Effect::Info("Reopened your unsaved requirement.".into())])
}

/// Saves the forms this module builds, as `purpose` says.
fn save(ctx: &mut OverlayCtx<'_>, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    if matches!(purpose, FormPurpose::FirstRun | FormPurpose::NewProject) {
        return save_project(ctx.store, form);
    }
    in_project(ctx, |ctx| save_in_project(ctx, form, purpose))
}

fn save_in_project(ctx: &mut Ctx<'_>, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    let project = ctx.data.project.id;
    match purpose {
        FormPurpose::NewRequirement | FormPurpose::EditRequirement(_) => save_requirement(ctx, form, purpose),
        FormPurpose::InterviewStakeholder => save_quick_stakeholder(ctx, form),
        FormPurpose::NewOutcome | FormPurpose::NewOutcomeFor(_) | FormPurpose::EditOutcome(_) => {
            let statement = form.text(FieldId::Statement);
            if let Err(e) = required_line("outcome", &statement, MAX_TITLE_CHARS) {
                form.set_error(FieldId::Statement, e.to_string());
            }
            let baseline = parse_number(form, FieldId::Baseline, "baseline");
            let target = parse_number(form, FieldId::Target, "target");
            let (Ok(baseline), Ok(target)) = (baseline, target) else { return Ok(SaveOutcome::Invalid) };
            if form.has_errors() {
                return Ok(SaveOutcome::Invalid);
            }
            let fields = OutcomeFields {
                statement,
                metric: form.chosen(FieldId::Metric, Metric::ALL),
                baseline,
                target,
                unit: form.text(FieldId::Unit),
            };
            let saved = match purpose {
                FormPurpose::EditOutcome(id) => ctx.store.update_outcome(*id, fields)?,
                _ => ctx.store.add_outcome(project, fields)?,
            };
            let FormPurpose::NewOutcomeFor(line) = purpose else {
                return Ok(SaveOutcome::Saved(Effect::Then(vec![
                    Effect::Reload,
                    Effect::Info("Outcome saved.".into()),
                ])));
            };
            // Linked to what is saved now, so an outcome linked meanwhile elsewhere stays linked.
            let r = ctx.store.requirement(*line)?;
            let mut outcomes = r.outcomes.clone();
            outcomes.push(saved.id);
            let patch = RequirementPatch { outcomes: Some(outcomes), ..Default::default() };
            let r = ctx.store.update_requirement_if(r.id, Some(r.version), patch)?;
            let said = format!("Outcome added and linked to {}.", ctx.data.human_id(r.seq));
            Ok(SaveOutcome::Saved(Effect::Then(vec![Effect::Reload, Effect::Info(said)])))
        }
        FormPurpose::NewStakeholder | FormPurpose::EditStakeholder(_) => {
            let Some(fields) = stakeholder_fields(form) else { return Ok(SaveOutcome::Invalid) };
            match purpose {
                FormPurpose::EditStakeholder(id) => ctx.store.update_stakeholder(*id, fields)?,
                _ => ctx.store.add_stakeholder(project, fields)?,
            };
            Ok(SaveOutcome::Saved(Effect::Then(vec![Effect::Reload, Effect::Info("Stakeholder saved.".into())])))
        }
        FormPurpose::AddStage | FormPurpose::RenameStage(_) => {
            let (name, description) = (form.text(FieldId::Name), form.text(FieldId::Description));
            if let Err(e) = required_line("stage name", &name, MAX_NAME_CHARS) {
                form.set_error(FieldId::Name, e.to_string());
                return Ok(SaveOutcome::Invalid);
            }
            match purpose {
                FormPurpose::RenameStage(id) => {
                    ctx.store.update_stage(*id, Some(&name), Some(&description))?;
                }
                _ => {
                    ctx.store.add_stage(project, &name, &description)?;
                }
            }
            Ok(SaveOutcome::Saved(Effect::Then(vec![Effect::Reload, Effect::Info("Stage saved.".into())])))
        }
        // Saved by the modules that build them.
        FormPurpose::FirstRun
        | FormPurpose::NewProject
        | FormPurpose::Export
        | FormPurpose::StartInterview
        | FormPurpose::AddNote
        | FormPurpose::InterviewNotes(_)
        | FormPurpose::Readback(_)
        | FormPurpose::NewTimeEntry
        | FormPurpose::EditTimeEntry(_)
        | FormPurpose::AcceptFinding { .. }
        | FormPurpose::BulkSet(_)
        | FormPurpose::SignOff { .. } => Ok(SaveOutcome::Invalid),
    }
}

/// The stakeholder form of the interview start form: someone added on the spot.
fn quick_stakeholder_form() -> Effect {
    let fields = vec![
        Field::line(FieldId::Name, "Name", ""),
        Field::line(FieldId::Role, "Role", ""),
        Field::line(FieldId::Department, "Department", "").with_help("drives coverage: who has been heard"),
    ];
    FormView::open(Form::new("New stakeholder for this interview", fields), FormPurpose::InterviewStakeholder)
}

/// Saves the on-the-spot stakeholder and picks them in the start form beneath.
fn save_quick_stakeholder(ctx: &mut Ctx<'_>, form: &mut Form) -> Result<SaveOutcome, StoreError> {
    let Some(fields) = stakeholder_fields(form) else { return Ok(SaveOutcome::Invalid) };
    let s = ctx.store.add_stakeholder(ctx.data.project.id, fields)?;
    let label = stakeholder_label(&s);
    Ok(SaveOutcome::Saved(Effect::Then(vec![
        Effect::Refresh(None),
        Effect::AddChoice(FieldId::Stakeholders, Choice::Stakeholder(s.id), label),
        Effect::Info(format!("Added {}.", terminal_safe(&s.name, true))),
    ])))
}

/// "Name (Role, Department)", as the interview form lists people.
pub fn stakeholder_label(s: &Stakeholder) -> String {
    let mut label = s.name.clone();
    let about: Vec<&str> = [s.role.as_str(), s.department.as_str()].into_iter().filter(|t| !t.is_empty()).collect();
    if !about.is_empty() {
        label.push_str(&format!(" ({})", about.join(", ")));
    }
    label
}

fn save_project(store: &mut Store, form: &mut Form) -> Result<SaveOutcome, StoreError> {
    let key = form.text(FieldId::Key).trim().to_ascii_uppercase();
    let key: Option<ProjectKey> = match key.parse() {
        Ok(k) => Some(k),
        Err(e) => {
            form.set_error(FieldId::Key, format!("{e}"));
            None
        }
    };
    let name = form.text(FieldId::Name);
    if let Err(e) = required_line("project name", &name, MAX_NAME_CHARS) {
        form.set_error(FieldId::Name, e.to_string());
    }
    let min = parse_number(form, FieldId::Min, "the lower target");
    let max = parse_number(form, FieldId::Max, "the upper target");
    let hours = parse_number(form, FieldId::Hours, "planned hours");
    let (Ok(min), Ok(max), Ok(hours), Some(key)) = (min, max, hours, key) else { return Ok(SaveOutcome::Invalid) };
    let (min, max) = (min.unwrap_or(25.0) / 100.0, max.unwrap_or(40.0) / 100.0);
    if let Err(e) = band(min, max) {
        form.set_error(FieldId::Max, e.to_string());
    }
    if let Some(Err(e)) = hours.map(planned_hours) {
        form.set_error(FieldId::Hours, e.to_string());
    }
    if form.has_errors() {
        return Ok(SaveOutcome::Invalid);
    }
    let names = journeys::template_names();
    let (journey, stages) = match names.get(form.choice(FieldId::Journey)) {
        Some(name) => {
            let t = journeys::template(name)?;
            (t.name, t.stages.into_iter().map(|s| (s.name, s.description)).collect())
        }
        None => (String::new(), Vec::new()),
    };
    let project = store.create_project(NewProject {
        key,
        name,
        description: String::new(),
        journey,
        stages,
        planned_hours: hours,
        target_min: min,
        target_max: max,
    })?;
    let said = format!(
        "Created project {}. Press {} to add a requirement.",
        project.key,
        keys_for(Mode::Requirements, Action::New)
    );
    Ok(SaveOutcome::Saved(Effect::Then(vec![
        Effect::SwitchProject(project),
        Effect::Show(Screen::Requirements),
        Effect::Info(said),
    ])))
}

fn save_requirement(ctx: &mut Ctx<'_>, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    let project = ctx.data.project.id;
    let title = form.text(FieldId::Title);
    if let Err(e) = crate::domain::title(&title) {
        form.set_error(FieldId::Title, e.to_string());
    }
    for (field, what) in [
        (FieldId::Statement, "statement"),
        (FieldId::Acceptance, "acceptance criteria"),
        (FieldId::Rationale, "rationale"),
    ] {
        if let Err(e) = long_text(what, &form.text(field)) {
            form.set_error(field, e.to_string());
        }
    }
    let tags: Vec<String> =
        form.text(FieldId::Tags).split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
    for t in &tags {
        if let Err(e) = tag(t) {
            form.set_error(FieldId::Tags, e.to_string());
        }
    }
    if form.has_errors() {
        return Ok(SaveOutcome::Invalid);
    }
    let stage = form.picked(FieldId::Stage).iter().find_map(|c| c.stage());
    let outcomes: Vec<OutcomeId> = form.picked(FieldId::Outcomes).iter().filter_map(|c| c.outcome()).collect();
    let sources: Vec<StakeholderId> = form.picked(FieldId::Sources).iter().filter_map(|c| c.stakeholder()).collect();
    let priority = form.chosen(FieldId::Priority, Priority::ALL);
    let status = form.chosen(FieldId::Status, Status::ALL);
    let kind = form.chosen(FieldId::Kind, Kind::ALL);
    let channel = form.choice(FieldId::Channel).checked_sub(1).and_then(|i| Channel::ALL.get(i)).copied();
    let (statement, acceptance, rationale) =
        (form.text(FieldId::Statement), form.text(FieldId::Acceptance), form.text(FieldId::Rationale));
    let (pain_point, moment_of_truth) = (form.on(FieldId::PainPoint), form.on(FieldId::MomentOfTruth));
    if let FormPurpose::EditRequirement(base) = purpose {
        let patch = RequirementPatch {
            title: Some(title),
            statement: Some(statement),
            kind: Some(kind),
            priority: Some(priority),
            status: Some(status),
            stage: Some(stage),
            interview: None,
            channel: Some(channel),
            pain_point: Some(pain_point),
            moment_of_truth: Some(moment_of_truth),
            acceptance: Some(acceptance),
            rationale: Some(rationale),
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
        let theirs = ctx.store.requirement(base.id)?;
        let conflict = Conflict::new((**base).clone(), theirs, mine);
        if !conflict.merge.conflicts.is_empty() {
            return Ok(SaveOutcome::Conflict(Box::new(conflict)));
        }
        let merged = conflict.theirs.version != base.version;
        let r = ctx.store.update_requirement_if(base.id, Some(conflict.theirs.version), conflict.merge.patch)?;
        let also = if merged { " (with the change saved elsewhere meanwhile)" } else { "" };
        let said = format!("Saved {}{also}.", ctx.data.human_id(r.seq));
        return Ok(SaveOutcome::Saved(Effect::Then(vec![Effect::Refresh(Some(r.id)), Effect::Info(said)])));
    }
    let new = NewRequirement {
        title,
        statement,
        kind,
        priority,
        status,
        stage,
        // Added while an interview runs, it belongs to that interview, as in the capture box.
        interview: ctx.store.open_interview(project)?.map(|i| i.id),
        channel,
        pain_point,
        moment_of_truth,
        acceptance,
        rationale,
        quote: String::new(),
        external_ref: String::new(),
        outcomes,
        sources,
        tags,
    };
    let r = ctx.store.add_requirement(project, new)?;
    let said = format!("Added {}.", ctx.data.human_id(r.seq));
    Ok(SaveOutcome::Saved(Effect::Then(vec![Effect::Refresh(Some(r.id)), Effect::Info(said)])))
}

/// The stakeholder a form describes (fields the form lacks stay empty), or `None`, with the error on the
/// form, when the name is missing or too long. The stakeholder form and the interview's quick add share it.
pub(super) fn stakeholder_fields(form: &mut Form) -> Option<StakeholderFields> {
    if let Err(e) = required_line("name", &form.text(FieldId::Name), MAX_NAME_CHARS) {
        form.set_error(FieldId::Name, e.to_string());
        return None;
    }
    Some(StakeholderFields {
        name: form.text(FieldId::Name),
        role: form.text(FieldId::Role),
        department: form.text(FieldId::Department),
        organisation: form.text_if_any(FieldId::Organisation),
        contact: form.text_if_any(FieldId::Contact),
        notes: form.text_if_any(FieldId::Notes),
    })
}

/// The form for a new outcome, or for editing `edit`.
pub fn outcome_form(edit: Option<&Outcome>) -> Effect {
    let o = edit.cloned();
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let fields = vec![
        Field::line(FieldId::Statement, "Outcome", o.as_ref().map_or("", |o| &o.statement))
            .with_help("what improves for the customer, e.g. Refunds paid within 3 days"),
        Field::choice(
            FieldId::Metric,
            "Metric",
            choices(Metric::ALL),
            o.as_ref().map_or(0, |o| index_of(Metric::ALL, &o.metric)),
        ),
        Field::line(FieldId::Baseline, "Baseline", &num(o.as_ref().and_then(|o| o.baseline))),
        Field::line(FieldId::Target, "Target", &num(o.as_ref().and_then(|o| o.target))),
        Field::line(FieldId::Unit, "Unit", o.as_ref().map_or("", |o| &o.unit)).with_help("%, points, days, …"),
    ];
    let (title, purpose) = match &o {
        Some(o) => ("Edit outcome", FormPurpose::EditOutcome(o.id)),
        None => ("New outcome", FormPurpose::NewOutcome),
    };
    FormView::open(Form::new(title, fields), purpose)
}

/// The form for a new outcome that the captured line `line` is then linked to.
pub fn outcome_form_for(line: RequirementId) -> Effect {
    match outcome_form(None) {
        Effect::Push(mut view) => {
            if let Some(form) = view.downcast_mut::<FormView>() {
                form.purpose = FormPurpose::NewOutcomeFor(line);
                form.form.title = "New outcome for the marked line".into();
            }
            Effect::Push(view)
        }
        other => other,
    }
}

/// The form for a new stakeholder, or for editing `edit`.
pub fn stakeholder_form(edit: Option<&Stakeholder>) -> Effect {
    let text = |f: fn(&Stakeholder) -> &str| edit.map_or("", f);
    let fields = vec![
        Field::line(FieldId::Name, "Name", text(|s| &s.name)),
        Field::line(FieldId::Role, "Role", text(|s| &s.role)),
        Field::line(FieldId::Department, "Department", text(|s| &s.department))
            .with_help("drives coverage: who has been heard"),
        Field::line(FieldId::Organisation, "Organisation", text(|s| &s.organisation)),
        Field::line(FieldId::Contact, "Contact", text(|s| &s.contact)),
        Field::text(FieldId::Notes, "Notes", text(|s| &s.notes)),
    ];
    let (title, purpose) = match edit {
        Some(s) => ("Edit stakeholder", FormPurpose::EditStakeholder(s.id)),
        None => ("New stakeholder", FormPurpose::NewStakeholder),
    };
    FormView::open(Form::new(title, fields), purpose)
}

/// The form for a new journey stage, or for renaming `rename`.
pub fn stage_form(rename: Option<&JourneyStage>) -> Effect {
    let fields = vec![
        Field::line(FieldId::Name, "Name", rename.map_or("", |s| &s.name)),
        Field::line(FieldId::Description, "Description", rename.map_or("", |s| &s.description)),
    ];
    let (title, purpose) = match rename {
        Some(s) => ("Rename stage", FormPurpose::RenameStage(s.id)),
        None => ("Add stage", FormPurpose::AddStage),
    };
    FormView::open(Form::new(title, fields), purpose)
}

/// The stakeholders as pick options: "Name (Department)".
fn people(d: &ProjectData) -> Vec<(Choice, String)> {
    d.stakeholders
        .iter()
        .map(|s| {
            let label = if s.department.is_empty() { s.name.clone() } else { format!("{} ({})", s.name, s.department) };
            (Choice::Stakeholder(s.id), label)
        })
        .collect()
}

/// The requirement form, empty (new, in `stage`) or filled from the saved requirement `edit`.
pub fn requirement_form(
    store: &Store,
    d: &ProjectData,
    edit: Option<RequirementId>,
    stage: Option<StageId>,
) -> Result<Box<FormView>, StoreError> {
    let existing = edit.map(|id| store.requirement(id)).transpose()?;
    let mut r =
        existing.clone().unwrap_or_else(|| Requirement { stage, ..Requirement::unsaved(d.project.id, store.now()) });
    // A new requirement written during an interview is, by default, sourced from its stakeholders.
    if existing.is_none()
        && let Some(i) = d.interviews.iter().find(|i| i.ended_at.is_none())
    {
        r.sources = i.stakeholders.clone();
    }
    let mut stages: Vec<(Choice, String)> = vec![(Choice::NoStage, "(no stage)".into())];
    stages.extend(d.stages.iter().map(|s| (Choice::Stage(s.id), s.name.clone())));
    let outcomes = d.outcomes.iter().map(|o| (Choice::Outcome(o.id), o.statement.clone())).collect();
    let mut channels = vec!["none".to_owned()];
    channels.extend(choices(Channel::ALL));
    let channel = r.channel.map_or(0, |c| index_of(Channel::ALL, &c) + 1);
    let fields = vec![
        Field::line(FieldId::Title, "Title", &r.title).with_help("one line a stakeholder would recognise"),
        Field::text(FieldId::Statement, "Statement", &r.statement)
            .with_help("The <system> shall <do what> for <whom>…"),
        Field::text(FieldId::Acceptance, "Acceptance", &r.acceptance).with_help("how we will know it is met"),
        Field::text(FieldId::Rationale, "Rationale", &r.rationale).with_help("why it matters to the customer"),
        Field::pick(FieldId::Stage, "Stage", stages, false, r.stage.map(Choice::Stage).into_iter().collect()),
        Field::pick(
            FieldId::Outcomes,
            "Outcomes",
            outcomes,
            true,
            r.outcomes.iter().map(|o| Choice::Outcome(*o)).collect(),
        ),
        Field::pick(
            FieldId::Sources,
            "Sources",
            people(d),
            true,
            r.sources.iter().map(|s| Choice::Stakeholder(*s)).collect(),
        ),
        Field::choice(FieldId::Priority, "Priority", choices(Priority::ALL), index_of(Priority::ALL, &r.priority)),
        Field::choice(FieldId::Status, "Status", choices(Status::ALL), index_of(Status::ALL, &r.status)),
        Field::choice(FieldId::Kind, "Kind", choices(Kind::ALL), index_of(Kind::ALL, &r.kind)),
        Field::choice(FieldId::Channel, "Channel", channels, channel),
        Field::line(FieldId::Tags, "Tags", &r.tags.join(", ")).with_help("comma-separated"),
        Field::toggle(FieldId::PainPoint, "Pain point", r.pain_point),
        Field::toggle(FieldId::MomentOfTruth, "Moment of truth", r.moment_of_truth),
    ];
    let (title, purpose) = match existing {
        Some(base) => (format!("Edit {}", d.human_id(base.seq)), FormPurpose::EditRequirement(Box::new(base))),
        None => ("New requirement".into(), FormPurpose::NewRequirement),
    };
    let mut form = Form::new(title, fields);
    // What is weak in a saved requirement shows as soon as its form opens.
    check_wording(&d.linter, &mut form);
    Ok(FormView::new(form, purpose))
}

/// The requirement form as an effect that opens it (or says why it cannot).
pub fn open_requirement_form(ctx: &Ctx<'_>, edit: Option<RequirementId>, stage: Option<StageId>) -> Effect {
    match requirement_form(ctx.store, ctx.data, edit, stage) {
        Ok(view) => Effect::Push(view),
        Err(e) => Effect::error(e),
    }
}
