//! `elicit export`: the report and interchange formats, to stdout or a file, with a progress bar on stderr
//! for long exports when stderr is a terminal.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;

use crate::domain::*;
use crate::report::{self, ExportFormat, ExportOptions};
use crate::store::Store;

/// `--format` of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormatArg {
    /// A self-contained HTML report (inline CSS and charts; prints well).
    Html,
    /// The same report as GitHub-flavoured Markdown.
    #[value(alias = "markdown")]
    Md,
    /// One row per requirement with every field.
    Csv,
    /// An Excel workbook (needs -o).
    #[value(alias = "excel")]
    Xlsx,
    /// The lossless backup of a project (or of every project with --all).
    Json,
    /// ReqIF 1.2 for DOORS, Polarion, Jama, StrictDoc and other requirements tools (zipped when -o ends in .reqifz).
    Reqif,
    /// ReqIF zipped (.reqifz), the archive most requirements tools exchange (needs -o).
    Reqifz,
}

impl From<ExportFormatArg> for ExportFormat {
    fn from(f: ExportFormatArg) -> Self {
        match f {
            ExportFormatArg::Html => ExportFormat::Html,
            ExportFormatArg::Md => ExportFormat::Markdown,
            ExportFormatArg::Csv => ExportFormat::Csv,
            ExportFormatArg::Xlsx => ExportFormat::Xlsx,
            ExportFormatArg::Json => ExportFormat::Json,
            ExportFormatArg::Reqif => ExportFormat::Reqif,
            ExportFormatArg::Reqifz => ExportFormat::Reqifz,
        }
    }
}

/// Arguments of `elicit export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportFormatArg,
    /// Write to this file instead of standard output (`-` is standard output; xlsx and reqifz go to a file
    /// or a pipe, never to a terminal). A file is replaced only once the export is complete; a new one is
    /// readable by you only.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only requirements with this status; repeat for several.
    #[arg(long = "status", value_name = "STATUS")]
    pub statuses: Vec<Status>,
    /// Only requirements in this journey stage (name or number); repeat for several.
    #[arg(long = "stage", value_name = "STAGE")]
    pub stages: Vec<String>,
    /// JSON only: back up every project in the database.
    #[arg(long)]
    pub all: bool,
    /// CSV only: start the file with a UTF-8 byte-order mark, so Excel on Windows shows accents and other
    /// non-ASCII letters right when the file is opened by double-click.
    #[arg(long)]
    pub bom: bool,
    /// The author named on the report cover (default: $ELICIT_AUTHOR, else your user name).
    #[arg(long, env = "ELICIT_AUTHOR", value_name = "NAME")]
    pub author: Option<String>,
}

/// Shows a progress bar on stderr for long runs, only when stderr is a terminal.
pub(super) struct Progress {
    bar: RefCell<Option<indicatif::ProgressBar>>,
    enabled: bool,
    label: &'static str,
}

impl Progress {
    /// Below this many steps a run is quick and a bar would only flicker.
    const MIN_STEPS: u64 = 5_000;

    pub(super) fn new(label: &'static str) -> Progress {
        Progress { bar: RefCell::new(None), enabled: std::io::stderr().is_terminal(), label }
    }

    pub(super) fn update(&self, done: u64, total: u64) {
        if !self.enabled || total < Self::MIN_STEPS {
            return;
        }
        let mut bar = self.bar.borrow_mut();
        let bar = bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {percent:>3}% {elapsed_precise}")
            {
                b.set_style(style.progress_chars("=> "));
            }
            b.set_message(self.label);
            b
        });
        bar.set_length(total);
        bar.set_position(done);
    }
}

impl Progress {
    /// Prints a warning on stderr, with the bar (if one is shown) out of the way.
    fn warn(&self, warning: &str) {
        let print = || eprintln!("warning: {warning}");
        match self.bar.borrow().as_ref() {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
        }
    }
}

/// Exports as `args` say; a report without `--author` names `author` (from the settings).
pub fn export(store: &mut Store, key: Option<&str>, args: ExportArgs, author: &str, out: &mut dyn Write) -> Result<()> {
    let output = super::output::output_file(args.output.as_deref()).map(std::path::Path::to_path_buf);
    // A file named .reqifz is expected to be the archive; plain XML under that name would not open.
    let zipped = output.as_ref().and_then(|p| p.extension()).is_some_and(|e| e.eq_ignore_ascii_case("reqifz"));
    let format = match ExportFormat::from(args.format) {
        ExportFormat::Reqif if zipped => ExportFormat::Reqifz,
        format => format,
    };
    if format.is_binary() && output.is_none() {
        super::output::refuse_binary_on_terminal(
            &format.to_string(),
            &format!("elicit export --format {format} -o requirements.{}", format.extension()),
        )?;
    }
    let project = store.resolve_project(key)?;
    let stages = args.stages.iter().map(|s| store.find_stage(project.id, s).map(|s| s.id)).collect::<Result<_, _>>()?;
    let progress = Progress::new("exporting");
    let tick = |done, total| progress.update(done, total);
    let options = ExportOptions {
        statuses: args.statuses,
        stages,
        author: clean_line(&args.author.unwrap_or_else(|| author.to_owned())),
        now: None,
        all_projects: args.all,
        bom: args.bom,
        progress: Some(&tick),
        warn: Some(&|w: &str| progress.warn(w)),
    };
    match &output {
        None => report::export(store, &project, format, &options, out)?,
        Some(path) => {
            report::export_to_file(store, &project, format, &options, path)?;
            drop(progress);
            writeln!(out, "wrote {} ({format})", path.display())?;
        }
    }
    Ok(())
}
