//! Exporting from the workbench (`x`): a small form picks the format and proposes a file; the export itself is
//! the same library call the `export` command makes, so both write the same bytes.

use std::path::{Path, PathBuf};

use super::app::{App, FormPurpose, Overlay, Pending};
use super::form::{Field, Form};
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
fn base_dir() -> PathBuf {
    std::env::current_dir()
        .ok()
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `~/x` means the home folder, as in a shell; a relative path is relative to where elicit was started.
fn resolve(typed: &str) -> PathBuf {
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
    Field::line("path", "Save to", path).with_help("~/ is your home folder")
}

impl App {
    fn proposed_export_path(&self, project: &Project, format: ExportFormat) -> String {
        let date = self.store.now().to_zoned(jiff::tz::TimeZone::UTC).date();
        base_dir().join(report::proposed_file_name(project, format, date)).display().to_string()
    }

    /// Opens the export form for the current project.
    pub fn open_export_form(&mut self) {
        let Some(d) = &self.data else { return };
        let project = d.project.clone();
        let labels = CHOICES.iter().map(|(f, label)| format!("{label} (.{})", f.extension())).collect();
        let mut form = Form::new(
            format!("Export {}", project.key),
            vec![
                Field::choice("format", "Format", labels, 0).with_help("←/→ to choose"),
                path_field(&self.proposed_export_path(&project, ExportFormat::Html)),
                Field::toggle("replace", "Replace", false).with_help("Space: replace a file that already exists"),
            ],
        );
        form.intro = vec![
            "Every requirement with its stages, outcomes, people and time.".into(),
            "Ctrl-S exports; Esc cancels.".into(),
        ];
        self.overlays.push(Overlay::Form { form: Box::new(form), purpose: FormPurpose::Export });
    }

    /// Keeps a proposed file name in step with the format: once the user types a name of their own, it stays.
    pub(super) fn follow_export_format(&mut self) {
        let Some(d) = &self.data else { return };
        let project = d.project.clone();
        let Some(Overlay::Form { form, purpose: FormPurpose::Export }) = self.overlays.last() else { return };
        let (format, _) = CHOICES.get(form.choice("format")).copied().unwrap_or(CHOICES[0]);
        let typed = form.text("path");
        let wanted = self.proposed_export_path(&project, format);
        if typed != wanted && CHOICES.iter().any(|(f, _)| typed == self.proposed_export_path(&project, *f)) {
            let Some(Overlay::Form { form, .. }) = self.overlays.last_mut() else { return };
            if let Some(field) = form.field_mut("path") {
                *field = path_field(&wanted);
            }
        }
    }

    /// Exports as the form says. Problems with the file are shown on the form, which stays open.
    pub(super) fn save_export(&mut self, form: &mut Form) -> Result<String, StoreError> {
        let Some(d) = &self.data else { return Ok(String::new()) };
        let (project, big) = (d.project.clone(), d.total >= BACKGROUND_FROM);
        if self.export_job.is_some() {
            form.set_error("path", Some("an export is still being written; try again when it is done".into()));
            return Ok(String::new());
        }
        let (format, label) = CHOICES.get(form.choice("format")).copied().unwrap_or(CHOICES[0]);
        let typed = form.text("path");
        if typed.trim().is_empty() {
            form.set_error("path", Some("give a file to save to".into()));
            return Ok(String::new());
        }
        let path = resolve(&typed);
        if path.is_dir() {
            form.set_error("path", Some(format!("{} is a folder; add a file name", path.display())));
            return Ok(String::new());
        }
        if path.exists() && !form.on("replace") {
            form.set_error("path", Some("that file exists; turn on Replace or choose another name".into()));
            return Ok(String::new());
        }
        let done = clean_line(&format!("{label} of {} written to {}", project.key, path.display()));
        if let (true, Some(db)) = (big, self.store.path()) {
            let (db, (send, receive)) = (db.to_path_buf(), std::sync::mpsc::channel());
            let writing = clean_line(&format!("Writing the {label} of {} to {}…", project.key, path.display()));
            std::thread::spawn(move || {
                let options = ExportOptions { author: report::default_author(), ..ExportOptions::default() };
                let result = Store::open_to_read(&db)
                    .map_err(report::ReportError::from)
                    .and_then(|store| report::export_to_file(&store, &project, format, &options, &path));
                let _ = send.send(result.map(|()| done).map_err(|e| clean_line(&format!("export failed: {e}"))));
            });
            self.export_job = Some(receive);
            return Ok(writing);
        }
        let options = ExportOptions { author: report::default_author(), ..ExportOptions::default() };
        if let Err(e) = report::export_to_file(&self.store, &project, format, &options, &path) {
            form.set_error("path", Some(clean_line(&e.to_string())));
            return Ok(String::new());
        }
        Ok(done)
    }

    /// Asks whether to copy the whole database to a new file beside it.
    pub(super) fn ask_backup(&mut self) {
        let Some(db) = self.store.path().map(std::path::Path::to_path_buf) else {
            return self.error("this database lives in memory only; there is no file to back up");
        };
        if self.export_job.is_some() {
            return self.error("a file is still being written; back up once it is done");
        }
        let stamp = self.store.now().strftime("%Y-%m-%d-%H%M%S");
        let name = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "elicit".into());
        let target = db.with_file_name(format!("{name}-backup-{stamp}.db"));
        let message = clean_line(&format!("Back up the whole database to {}?", target.display()));
        self.overlays.push(Overlay::Confirm { message, pending: Pending::Backup(target) });
    }

    /// Copies the database on its own thread and connection (SQLite's online backup), so the workbench goes
    /// on; the status line says when the copy is complete and checked.
    pub(super) fn start_backup(&mut self, target: std::path::PathBuf) {
        let Some(db) = self.store.path().map(std::path::Path::to_path_buf) else { return };
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = Store::open_to_read(&db).and_then(|store| store.backup_to(&target));
            let _ = send.send(
                result
                    .map(|copy| {
                        clean_line(&format!(
                            "Backed up to {} ({} requirements; integrity checked). `elicit restore` brings it back.",
                            target.display(),
                            copy.requirements
                        ))
                    })
                    .map_err(|e| clean_line(&format!("backup failed: {e}"))),
            );
        });
        self.export_job = Some(receive);
        self.info("Backing up the database…");
    }

    /// Says how a background export ended, once it has; returns whether it did.
    pub(super) fn poll_export(&mut self) -> bool {
        let Some(job) = &self.export_job else { return false };
        let ended = match job.try_recv() {
            Ok(Ok(done)) => {
                self.info(done);
                true
            }
            Ok(Err(failed)) => {
                self.error(failed);
                true
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.error("the file was not written: its thread stopped unexpectedly");
                true
            }
        };
        if ended {
            self.export_job = None;
        }
        ended
    }

    /// Waits until a background export (if any) has ended; for tests.
    pub fn wait_for_export(&mut self) {
        while self.export_job.is_some() {
            if !self.poll_export() {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        }
    }
}
