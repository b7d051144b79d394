//! The report templates, shared by the HTML and the Markdown report: one minijinja environment over
//! `assets/report/`, the Markdown escaping filters, and the streaming render both formats go through.
//!
//! Auto-escaping is on for `.html` templates, so every value from the database is HTML-escaped; the CSS is
//! inlined and the charts are inline SVG, so the HTML file needs no network and no scripts.

use std::io::{BufWriter, Write};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::view::{self, RequirementView};
use super::{ReportData, ReportError, ReportView};
use crate::domain::RequirementDetails;

const HTML: &str = include_str!("../../assets/report/report.html");
const CSS: &str = include_str!("../../assets/report/report.css");
const MARKDOWN: &str = include_str!("../../assets/report/report.md");
const HTML_GROUP: &str = include_str!("../../assets/report/group.html");
const HTML_REQUIREMENT: &str = include_str!("../../assets/report/requirement.html");
const MARKDOWN_GROUP: &str = include_str!("../../assets/report/group.md");
const MARKDOWN_REQUIREMENT: &str = include_str!("../../assets/report/requirement.md");

/// Where the main templates leave room for the requirements, which are rendered one at a time.
const MARKER: &str = "<!--elicit:requirements-->";

/// The template environment shared by the HTML and Markdown reports.
fn environment() -> Result<Environment<'static>, ReportError> {
    let mut env = Environment::new();
    // Block tags on their own lines leave no blank lines behind, which keeps the Markdown tables intact.
    env.set_syntax(SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build()?);
    // A typo in a template fails loudly in the tests instead of printing nothing.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None });
    env.add_filter("md", escape_text);
    env.add_filter("cell", escape_cell);
    env.add_template("report.html", HTML)?;
    env.add_template("report.css", CSS)?;
    env.add_template("report.md", MARKDOWN)?;
    env.add_template("group.html", HTML_GROUP)?;
    env.add_template("requirement.html", HTML_REQUIREMENT)?;
    env.add_template("group.md", MARKDOWN_GROUP)?;
    env.add_template("requirement.md", MARKDOWN_REQUIREMENT)?;
    Ok(env)
}

#[derive(Serialize)]
struct GroupContext<'a> {
    stage: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct RequirementContext<'a> {
    r: &'a RequirementView<'a>,
}

/// Renders a report (`ext` is `html` or `md`) over the view of `data`, streaming to `writer`.
///
/// The main template holds every section but the requirements; they are rendered one at a time into the
/// place the template marks, so a report of 100,000 requirements never holds them all as template values.
pub(super) fn render(ext: &str, data: &ReportData, writer: &mut dyn Write) -> Result<(), ReportError> {
    let env = environment()?;
    let view = ReportView::build(data);
    let page = env.get_template(&format!("report.{ext}"))?.render(Serde(&view))?;
    let (head, tail) = page
        .split_once(MARKER)
        .ok_or_else(|| ReportError::Template(format!("report.{ext} lacks the requirements marker")))?;
    let tail = tail.strip_prefix('\n').unwrap_or(tail);
    let group = env.get_template(&format!("group.{ext}"))?;
    let one = env.get_template(&format!("requirement.{ext}"))?;
    let mut out = BufWriter::with_capacity(1 << 16, writer);
    out.write_all(head.as_bytes())?;
    let requirements = |chunk: &[&RequirementDetails], buf: &mut Vec<u8>| -> Result<(), ReportError> {
        for d in chunk {
            let r = view::requirement_view(d, view.cards.get(&d.requirement.id), data.sign_offs.get(&d.requirement.id));
            one.render_captured_to(Serde(&RequirementContext { r: &r }), &mut *buf)?;
        }
        Ok(())
    };
    for (stage, list) in view::groups(data) {
        group.render_captured_to(Serde(&GroupContext { stage: &stage, count: list.len() }), &mut out)?;
        super::chunks::write_ordered(&list, &mut out, &requirements, &mut |_| {})?;
    }
    out.write_all(tail.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Escapes running text: a backslash before each character that would turn text into markup a reader did
/// not write: raw HTML and autolinks (`<`, `>`), code spans, table pipes, emphasis (`*`, `_`, `~`), links and
/// images (`[`, `]`, so `[x](javascript:...)` never becomes a link), and a `#` that starts the text (a
/// heading). Line breaks become spaces. GitHub-flavoured Markdown shows every backslash-escaped
/// punctuation character as itself, so the rendered text is exactly what was written; other punctuation is
/// left alone so the plain text stays readable.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let text = text.strip_prefix('#').map_or(text, |rest| {
        out.push_str("\\#");
        rest
    });
    for c in text.chars() {
        match c {
            '\\' | '<' | '>' | '`' | '|' | '*' | '_' | '~' | '[' | ']' => {
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
        assert_eq!(escape_text("[x](javascript:alert(1))"), "\\[x\\](javascript:alert(1))");
        assert_eq!(
            escape_text("# not a *heading* or_emphasis ~~x~~ #1"),
            "\\# not a \\*heading\\* or\\_emphasis \\~\\~x\\~\\~ #1"
        );
        assert_eq!(escape_cell("- a\n# b"), "- a<br>\\# b");
    }
}
