//! The HTML report: one self-contained file rendered from `assets/report/report.html` (see `template`).

use std::io::Write;

use super::{ReportData, ReportError, template};

/// Writes the HTML report.
pub fn write(data: &ReportData, writer: &mut dyn Write) -> Result<(), ReportError> {
    template::render("html", data, writer)
}
