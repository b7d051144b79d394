//! `elicit import`: CSV, JSON backups and ReqIF, all or nothing unless `--skip-invalid`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};

use super::export::Progress;
use crate::domain::terminal_safe;
use crate::report::{self, ImportFormat, ImportOptions, ReportError};
use crate::store::Store;

/// `--format` of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormatArg {
    /// Comma-separated values with a header row (see the README for the column names).
    Csv,
    /// An elicit JSON backup (`export --format json`).
    Json,
    /// A ReqIF file (.reqif) or archive (.reqifz) from elicit or another requirements tool.
    Reqif,
}

/// Arguments of `elicit import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The file to import.
    pub file: PathBuf,
    /// The file's format (default: from its extension: .csv, .json, .reqif, .reqifz or .xml).
    #[arg(long, value_enum)]
    pub format: Option<ImportFormatArg>,
    /// ReqIF: read the attribute ATTRIBUTE (its LONG-NAME or IDENTIFIER) into FIELD, over the automatic
    /// mapping the summary prints. FIELD: title, statement, id, prefix, heading, rationale, acceptance,
    /// quote, tags, kind, priority, status, note (a "Name: value" line in the rationale, the default for
    /// attributes no rule maps) or ignore. Repeat for more attributes.
    #[arg(long = "map", value_name = "ATTRIBUTE=FIELD", value_parser = attribute_field)]
    pub map: Vec<(String, String)>,
    /// Check the file and report what would be imported; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows and report the invalid ones (default: any problem imports nothing).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Create stages, outcomes and stakeholders the file names but the project lacks (default: report them).
    #[arg(long)]
    pub create_missing: bool,
}

/// `ATTRIBUTE=FIELD`, split at the last `=` (attribute names may hold one; field names never do).
fn attribute_field(text: &str) -> Result<(String, String), String> {
    match text.rsplit_once('=') {
        Some((attribute, field)) if !attribute.trim().is_empty() && !field.trim().is_empty() => {
            Ok((attribute.trim().to_owned(), field.trim().to_owned()))
        }
        _ => Err(format!("expected ATTRIBUTE=FIELD, for example \"Object Text=statement\", not {text:?}")),
    }
}

fn format_of(args: &ImportArgs) -> Result<ImportFormat> {
    let arg = match args.format {
        Some(f) => f,
        None => match args.file.extension().map(|e| e.to_string_lossy().to_lowercase()).as_deref() {
            Some("csv") => ImportFormatArg::Csv,
            Some("json") => ImportFormatArg::Json,
            Some("reqif" | "reqifz" | "xml") => ImportFormatArg::Reqif,
            _ => {
                return Err(anyhow!(
                    "cannot tell the format of {} from its name; give --format csv, json or reqif (also for .reqifz)",
                    args.file.display()
                ));
            }
        },
    };
    Ok(match arg {
        ImportFormatArg::Csv => ImportFormat::Csv,
        ImportFormatArg::Json => ImportFormat::Json,
        ImportFormatArg::Reqif => ImportFormat::Reqif,
    })
}

pub fn import(store: &mut Store, key: Option<&str>, args: ImportArgs, out: &mut dyn Write) -> Result<()> {
    if args.file.is_dir() {
        bail!("{} is a folder; give the file to import", args.file.display());
    }
    let format = format_of(&args)?;
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let progress = Progress::new("importing");
    let tick = |done, total| progress.update(done, total);
    let options = ImportOptions {
        file_label: args.file.display().to_string(),
        project_key: key.map(str::to_owned),
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        create_missing: args.create_missing,
        progress: Some(&tick),
    };
    let result = report::import_mapped(store, format, &bytes, &options, &args.map);
    drop(progress);
    let summary = match result {
        Ok(s) => s,
        Err(ReportError::Problems(problems)) => {
            // Every problem on its own line, as FILE:LINE: field: message, then the one-line error.
            let mut err = std::io::stderr().lock();
            for p in &problems {
                let _ = writeln!(err, "{}", terminal_safe(&p.to_string(), true));
            }
            return Err(anyhow!(
                "{} has {} problem{}; nothing was imported",
                args.file.display(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let safe = |t: &str| terminal_safe(t, true);
    if summary.dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    if format != ImportFormat::Json {
        let into = format!(" into {}", summary.project);
        let verb = if summary.dry_run { "would import" } else { "imported" };
        let n = summary.imported;
        let mut line = format!("{verb} {n} requirement{}{into}", if n == 1 { "" } else { "s" });
        if let (Some(first), Some(last)) = (summary.ids.first(), summary.ids.last()) {
            line.push_str(&if first == last { format!(": {first}") } else { format!(": {first} to {last}") });
        }
        writeln!(out, "{line}")?;
    }
    for note in &summary.notes {
        writeln!(out, "{}", safe(note))?;
    }
    if !summary.skipped.is_empty() {
        let n = summary.skipped_rows;
        let what = match (format, n) {
            (ImportFormat::Reqif, 1) => "spec-object",
            (ImportFormat::Reqif, _) => "spec-objects",
            (_, 1) => "row",
            _ => "rows",
        };
        let problems = summary.skipped.len();
        let detail = if problems == n { String::new() } else { format!(" ({problems} problems)") };
        writeln!(out, "skipped {n} invalid {what}{detail}:")?;
        for p in &summary.skipped {
            writeln!(out, "  {}", safe(&p.to_string()))?;
        }
    }
    if !summary.dry_run && summary.imported > 0 && format != ImportFormat::Json {
        writeln!(out, "undo with `elicit undo` (the whole import is one step)")?;
    }
    Ok(())
}
