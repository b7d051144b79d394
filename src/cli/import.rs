//! `elicit import`: CSV, Excel, JSON backups and ReqIF, all or nothing unless `--skip-invalid`; a row that
//! matches an existing requirement updates it unless `--as-new`.

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
    /// Comma-separated values with a header row (the columns read are listed below).
    Csv,
    /// An Excel workbook (.xlsx): the first sheet, or --sheet NAME, with a header row.
    Xlsx,
    /// An elicit JSON backup (`export --format json`).
    Json,
    /// A ReqIF file (.reqif) or archive (.reqifz) from elicit or another requirements tool.
    Reqif,
}

/// Arguments of `elicit import`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_long_help = report::table_help())]
pub struct ImportArgs {
    /// The file to import.
    pub file: PathBuf,
    /// The file's format (default: from its extension: .csv, .xlsx, .json, .reqif, .reqifz or .xml).
    #[arg(long, value_enum)]
    pub format: Option<ImportFormatArg>,
    /// ReqIF: read the attribute ATTRIBUTE (its LONG-NAME or IDENTIFIER) into FIELD, over the automatic
    /// mapping the summary prints. FIELD: title, statement, id, prefix, heading, rationale, acceptance,
    /// quote, tags, kind, priority, status, note (a "Name: value" line in the rationale, the default for
    /// attributes no rule maps) or ignore. Repeat for more attributes.
    #[arg(long = "map", value_name = "ATTRIBUTE=FIELD", value_parser = attribute_field)]
    pub map: Vec<(String, String)>,
    /// CSV and Excel: read the column FROM (its header, any case) into the field TO, over the default
    /// mapping: a field name, id, uuid, note (a "Column: value" line in the rationale) or ignore. Repeat for
    /// more columns.
    #[arg(long = "map-column", value_name = "FROM=TO", value_parser = attribute_field)]
    pub map_column: Vec<(String, String)>,
    /// CSV and Excel: in FIELD (kind, priority, status or channel), read the value FROM (any case) as
    /// elicit's value TO, over the default vocabulary; for example "status:Waiting=proposed". Repeat for
    /// more values.
    #[arg(long = "map-value", value_name = "FIELD:FROM=TO", value_parser = field_value)]
    pub map_value: Vec<(String, String, String)>,
    /// Excel: the sheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Add every row as a new requirement, even one whose id, UUID or external reference matches an
    /// existing requirement (default: update the match, only the fields that differ).
    #[arg(long)]
    pub as_new: bool,
    /// Check the file and report what would be imported and what would change, field by field; write
    /// nothing.
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

/// `FIELD:FROM=TO`, split at the first `:` and the last `=`.
fn field_value(text: &str) -> Result<(String, String, String), String> {
    let parsed = text.split_once(':').and_then(|(field, rest)| {
        let (from, to) = rest.rsplit_once('=')?;
        let all = [field.trim(), from.trim(), to.trim()];
        all.iter().all(|p| !p.is_empty()).then(|| all.map(str::to_owned))
    });
    match parsed {
        Some([field, from, to]) => Ok((field, from, to)),
        None => Err(format!("expected FIELD:FROM=TO, for example \"status:In Test=implemented\", not {text:?}")),
    }
}

fn format_of(args: &ImportArgs) -> Result<ImportFormat> {
    let arg = match args.format {
        Some(f) => f,
        None => match args.file.extension().map(|e| e.to_string_lossy().to_lowercase()).as_deref() {
            Some("csv") => ImportFormatArg::Csv,
            Some("xlsx") => ImportFormatArg::Xlsx,
            Some("json") => ImportFormatArg::Json,
            Some("reqif" | "reqifz" | "xml") => ImportFormatArg::Reqif,
            _ => {
                return Err(anyhow!(
                    "cannot tell the format of {} from its name; give --format csv, xlsx, json or reqif (also for .reqifz)",
                    args.file.display()
                ));
            }
        },
    };
    Ok(match arg {
        ImportFormatArg::Csv => ImportFormat::Csv,
        ImportFormatArg::Xlsx => ImportFormat::Xlsx,
        ImportFormatArg::Json => ImportFormat::Json,
        ImportFormatArg::Reqif => ImportFormat::Reqif,
    })
}

pub fn import(store: &mut Store, key: Option<&str>, args: ImportArgs, out: &mut dyn Write) -> Result<()> {
    if args.file.is_dir() {
        bail!("{} is a folder; give the file to import", args.file.display());
    }
    let format = format_of(&args)?;
    let input = std::fs::File::open(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let size = input.metadata().map_or(0, |m| m.len());
    let progress = Progress::new("importing");
    let tick = |done, total| progress.update(done, total);
    let options = ImportOptions {
        file_label: args.file.display().to_string(),
        project_key: key.map(str::to_owned),
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        create_missing: args.create_missing,
        progress: Some(&tick),
        as_new: args.as_new,
        map_columns: args.map_column.clone(),
        map_values: args.map_value.clone(),
        sheet: args.sheet.clone(),
        input_len: size,
    };
    let result = report::import_from(store, format, std::io::BufReader::new(input), &options, &args.map);
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
        if let Some((first, last)) = &summary.id_range {
            line.push_str(&if first == last { format!(": {first}") } else { format!(": {first} to {last}") });
        }
        writeln!(out, "{line}")?;
        if summary.updated > 0 || summary.unchanged > 0 {
            let verb = if summary.dry_run { "would update" } else { "updated" };
            let n = summary.updated;
            let mut line = format!("{verb} {n} existing requirement{}", if n == 1 { "" } else { "s" });
            if summary.unchanged > 0 {
                line.push_str(&format!(" ({} matched and unchanged)", summary.unchanged));
            }
            writeln!(out, "{line}; --as-new adds matching rows as new requirements instead")?;
        }
        for change in &summary.changes {
            writeln!(out, "  {} (matched by {}):", change.id, change.matched_by)?;
            for (field, old, new) in &change.fields {
                writeln!(out, "    {field}: {} -> {}", shown(old), shown(new))?;
            }
        }
        if summary.updated > summary.changes.len() {
            writeln!(out, "  ... and {} more", summary.updated - summary.changes.len())?;
        }
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
    if !summary.dry_run && summary.imported + summary.updated > 0 && format != ImportFormat::Json {
        writeln!(out, "undo with `elicit undo` (the whole import is one step)")?;
    }
    Ok(())
}

/// A value in the change listing: one line, cut at 60 characters, quoted, terminal-safe.
fn shown(value: &str) -> String {
    let one: String = value.replace(['\n', '\r'], " ");
    let cut = if one.chars().count() > 60 { format!("{}…", one.chars().take(59).collect::<String>()) } else { one };
    format!("{:?}", terminal_safe(&cut, true))
}
