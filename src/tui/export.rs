//! Exporting from the workbench (`x`): a small form picks the format and proposes a file; the export itself is
//! the same library call the `export` command makes, so both write the same bytes.

use std::path::{Path, PathBuf};

use super::action::Action;
use super::component::{Ctx, Effect, Job, OverlayCtx};
use super::form::{Field, Form};
use super::forms::{FormPurpose, FormView, SaveOutcome, in_project};
use super::keymap::{Mode, keys_for};
use super::message::{FieldId, Question};
use super::overlays::Confirm;
use crate::domain::*;
use crate::report::{self, ExportFormat, ExportOptions};
use crate::store::{Store, StoreError};

/// From this many requirements a project exports on a thread and connection of its own, so the workbench
/// keeps drawing (100,000 take one to four seconds); smaller ones take milliseconds and export in place.
const BACKGROUND_FROM: usize = 5_000;

/// The formats in the order the form offers them, with what each is for.
const CHOICES: [(ExportFormat, &str); 6] = [
    (ExportFormat::Html, "HTML report"),
    (ExportFormat::Markdown, "Markdown report"),
    (ExportFormat::Xlsx, "Excel workbook"),
    (ExportFormat::Csv, "CSV"),
    (ExportFormat::Reqif, "ReqIF 1.2"),
    (ExportFormat::Json, "JSON backup"),
];

/// The folder proposed files go to: where elicit was started, else the home folder.
pub(super) fn base_dir() -> PathBuf {
    std::env::current_dir()
        .ok()
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `~/x` means the home folder, as in a shell; a relative path is relative to where elicit was started.
pub(super) fn resolve(typed: &str) -> PathBuf {
    let typed = typed.trim();
    if let Some(rest) = typed.strip_prefix("~/")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    let path = Path::new(typed);
    if path.is_absolute() { path.to_path_buf() } else { base_dir().join(path) }
}

fn path_field(path: &str) -> Field {
    Field::line(FieldId::Path, "Save to", path).with_help("~/ is your home folder")
}

fn proposed_path(store: &Store, project: &Project, format: ExportFormat) -> String {
    let date = crate::domain::local_date(store.now());
    base_dir().join(report::proposed_file_name(project, format, date)).display().to_string()
}

/// The export form for the current project.
pub fn open_form(ctx: &Ctx<'_>) -> Effect {
    let project = &ctx.data.project;
    let labels = CHOICES.iter().map(|(f, label)| format!("{label} (.{})", f.extension())).collect();
    let mut form = Form::new(
        format!("Export {}", project.key),
        vec![
            Field::choice(FieldId::Format, "Format", labels, 0)
                .with_help(format!("{} to choose", super::forms::choose_keys())),
            path_field(&proposed_path(ctx.store, project, ExportFormat::Html)),
            Field::toggle(FieldId::Replace, "Replace", false)
                .with_help(format!("{}: replace a file that already exists", keys_for(Mode::Form, Action::Toggle))),
        ],
    );
    form.intro = vec![
        "Every requirement with its stages, outcomes, people and time.".into(),
        format!("{} exports; {} cancels.", keys_for(Mode::Form, Action::Save), keys_for(Mode::Form, Action::Cancel)),
    ];
    Effect::Push(FormView::saved_by(form, FormPurpose::Export, save_form).following(follow_format))
}

fn save_form(ctx: &mut OverlayCtx<'_>, form: &mut Form, _: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    in_project(ctx, |ctx| save(ctx, form))
}

/// Keeps a proposed file name in step with the format: once the user types a name of their own, it stays.
fn follow_format(store: &Store, project: &Project, form: &mut Form) {
    let (format, _) = CHOICES.get(form.choice(FieldId::Format)).copied().unwrap_or(CHOICES[0]);
    let typed = form.text(FieldId::Path);
    let wanted = proposed_path(store, project, format);
    if typed != wanted
        && CHOICES.iter().any(|(f, _)| typed == proposed_path(store, project, *f))
        && let Some(field) = form.field_mut(FieldId::Path)
    {
        *field = path_field(&wanted);
    }
}

/// Exports as the form says. Problems with the file are shown on the form, which stays open.
fn save(ctx: &mut Ctx<'_>, form: &mut Form) -> Result<SaveOutcome, StoreError> {
    let (project, big) = (ctx.data.project.clone(), ctx.data.total >= BACKGROUND_FROM);
    if ctx.writing {
        form.set_error(FieldId::Path, "an export is still being written; try again when it is done".to_owned());
        return Ok(SaveOutcome::Invalid);
    }
    let (format, label) = CHOICES.get(form.choice(FieldId::Format)).copied().unwrap_or(CHOICES[0]);
    let typed = form.text(FieldId::Path);
    if typed.trim().is_empty() {
        form.set_error(FieldId::Path, "give a file to save to".to_owned());
        return Ok(SaveOutcome::Invalid);
    }
    let path = resolve(&typed);
    if path.is_dir() {
        form.set_error(FieldId::Path, format!("{} is a folder; add a file name", path.display()));
        return Ok(SaveOutcome::Invalid);
    }
    if path.exists() && !form.on(FieldId::Replace) {
        form.set_error(FieldId::Path, "that file exists; turn on Replace or choose another name".to_owned());
        return Ok(SaveOutcome::Invalid);
    }
    let done = clean_line(&format!("{label} of {} written to {}", project.key, path.display()));
    let author = ctx.author.to_owned();
    let options = move || ExportOptions { author: author.clone(), ..ExportOptions::default() };
    if let (true, Some(db)) = (big, ctx.store.path()) {
        let db = db.to_path_buf();
        let starting = clean_line(&format!("Writing the {label} of {} to {}…", project.key, path.display()));
        let work = move || {
            Store::open_to_read(&db)
                .map_err(report::ReportError::from)
                .and_then(|store| report::export_to_file(&store, &project, format, &options(), &path))
                .map(|()| done)
                .map_err(|e| clean_line(&format!("export failed: {e}")))
        };
        return Ok(SaveOutcome::Saved(Effect::Job(Job { work: Box::new(work), starting })));
    }
    if let Err(e) = report::export_to_file(ctx.store, &project, format, &options(), &path) {
        form.set_error(FieldId::Path, clean_line(&e.to_string()));
        return Ok(SaveOutcome::Invalid);
    }
    Ok(SaveOutcome::Saved(Effect::Info(done)))
}

/// Asks whether to copy the whole database to a new file beside it.
pub fn ask_backup(store: &Store, writing: bool) -> Effect {
    let Some(db) = store.path() else {
        return Effect::Error("this database lives in memory only; there is no file to back up".into());
    };
    if writing {
        return Effect::Error("a file is still being written; back up once it is done".into());
    }
    let stamp = store.now().strftime("%Y-%m-%d-%H%M%S");
    let name = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "elicit".into());
    let target = db.with_file_name(format!("{name}-backup-{stamp}.db"));
    let message = clean_line(&format!("Back up the whole database to {}?", target.display()));
    Effect::Push(Confirm::new(message, Question::Backup(target)))
}

/// Copies the database on its own thread and connection (SQLite's online backup), so the workbench goes
/// on; the status line says when the copy is complete and checked.
pub fn backup(store: &Store, target: PathBuf) -> Effect {
    let Some(db) = store.path().map(Path::to_path_buf) else { return Effect::None };
    let work = move || {
        Store::open_to_read(&db)
            .and_then(|store| store.backup_to(&target))
            .map(|copy| {
                clean_line(&format!(
                    "Backed up to {} ({} requirements; integrity checked). `elicit restore` brings it back.",
                    target.display(),
                    copy.requirements
                ))
            })
            .map_err(|e| clean_line(&format!("backup failed: {e}")))
    };
    Effect::Job(Job { work: Box::new(work), starting: "Backing up the database…".into() })
}
