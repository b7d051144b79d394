//! The Markdown report: the same sections as the HTML one, as GitHub-flavoured Markdown that also reads
//! well as plain text.

use std::io::Write;

use super::{ReportData, ReportError, html};

/// Writes the Markdown report.
pub fn write(data: &ReportData, writer: &mut dyn Write) -> Result<(), ReportError> {
    html::render("md", data, writer)
}

/// Escapes running text: a backslash before the characters that would turn text into markup a reader did
/// not write (raw HTML, code spans, table pipes); line breaks become spaces. Other punctuation is left alone
/// so the plain text stays readable.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '<' | '>' | '`' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes a table cell: as [`escape_text`], but line breaks become `<br>` so a multi-line field stays in
/// its cell and its lines stay apart.
pub fn escape_cell(text: &str) -> String {
    let text = text.trim_end();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        out.push_str(&escape_text(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_table_shape() {
        assert_eq!(escape_cell("a | b\nc"), "a \\| b<br>c");
        assert_eq!(escape_cell("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
        assert_eq!(escape_text("line\nbreak `code` \\"), "line break \\`code\\` \\\\");
    }
}
