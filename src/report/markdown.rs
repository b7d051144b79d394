//! The Markdown report: the same sections as the HTML one, as GitHub-flavoured Markdown that also reads
//! well as plain text (see `template`).

use std::io::Write;

use super::{ReportData, ReportError, template};

/// Writes the Markdown report.
pub fn write(data: &ReportData, writer: &mut dyn Write) -> Result<(), ReportError> {
    template::render("md", data, writer)
}
