//! XHTML attribute values (ReqIF) and HTML cells (CSV and Excel from Azure DevOps) as plain text an
//! analyst can read and edit in a terminal: one set of rules for both.
//!
//! Text outside `pre` follows HTML's own rule: every run of white space is one space, and none is kept at
//! the start or end of a line, so the indentation of a pretty-printed file never reaches a statement; `pre`
//! keeps its line breaks and the spaces inside its lines, but not the spaces that start a line.
//! Blocks (`p`, `div`, headings, ...) and `br` end lines; list items become `- ` lines (`1. ` in numbered
//! lists, two spaces deeper per nested list); a table row is one line with ` | ` between its cells; a link
//! is `text (url)`; an image or embedded object is a visible `[image: name]`, never dropped.
//!
//! elicit's own files are read with [`Whitespace::Kept`]: elicit writes every line break as `<br/>`, so its
//! text comes back exactly, tabs and repeated spaces included.

/// How white space inside text is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Whitespace {
    /// As HTML renders it: runs collapse to one space, none at the start or end of a line.
    Html,
    /// As written (elicit's own files); only runs that hold a line break of the file itself are dropped.
    Kept,
}

/// Builds the text of one XHTML value from its parse events.
#[derive(Debug)]
pub(super) struct Flattener {
    out: String,
    mode: Whitespace,
    /// A block ended or began: the next content starts a new line.
    new_line: bool,
    /// White space was seen since the last content: one space before the next content on this line.
    space: bool,
    /// Open lists, innermost last: `None` for bullets, `Some(n)` for the number of the last item.
    lists: Vec<Option<usize>>,
    /// Open table rows, innermost last: the cells seen so far.
    rows: Vec<usize>,
    /// Open table cells; inside one, line breaks become spaces so the row stays one line.
    cells: usize,
    /// Open links: the target and where the link's text starts in `out`.
    links: Vec<(String, usize)>,
    /// Open elements whose content is not text (an object's fallback content, scripts, styles).
    skipped: usize,
    /// Open `pre` elements, whose white space is kept.
    pre: usize,
}

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "p",
    "section",
    "table",
    "tbody",
    "tfoot",
    "thead",
];

impl Flattener {
    pub(super) fn new(mode: Whitespace) -> Flattener {
        Flattener {
            // Most values are a sentence or a paragraph: room for that without growing step by step.
            out: String::with_capacity(256),
            mode,
            new_line: false,
            space: false,
            lists: Vec::new(),
            rows: Vec::new(),
            cells: 0,
            links: Vec::new(),
            skipped: 0,
            pre: 0,
        }
    }

    /// An element starts; `attribute` reads one of its attributes. `empty` is true for `<x/>`.
    pub(super) fn start(&mut self, name: &str, attribute: impl Fn(&str) -> Option<String>, empty: bool) {
        if self.skipped > 0 {
            if !empty {
                self.skipped += 1;
            }
            return;
        }
        match name {
            "br" => self.line_break(),
            "img" => {
                let label = ["alt", "title"]
                    .into_iter()
                    .filter_map(&attribute)
                    .map(|a| a.trim().to_owned())
                    .find(|a| !a.is_empty())
                    .or_else(|| attribute("src").map(|s| file_name(&s)))
                    .unwrap_or_default();
                self.marker(&label);
                if !empty {
                    self.skipped += 1;
                }
            }
            "object" | "embed" => {
                let label = ["name", "data", "src"]
                    .into_iter()
                    .filter_map(&attribute)
                    .map(|a| file_name(&a))
                    .find(|a| !a.is_empty())
                    .unwrap_or_default();
                self.marker(&label);
                if !empty {
                    self.skipped += 1;
                }
            }
            "script" | "style" | "head" if !empty => self.skipped += 1,
            "ul" | "ol" => {
                self.block();
                if !empty {
                    self.lists.push(if name == "ol" { Some(0) } else { None });
                }
            }
            "li" => {
                self.block();
                let depth = self.lists.len().saturating_sub(1);
                let bullet = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    _ => "- ".to_owned(),
                };
                self.content(&format!("{}{bullet}", "  ".repeat(depth)));
                self.space = false;
            }
            "tr" => {
                self.block();
                if !empty {
                    self.rows.push(0);
                }
            }
            "td" | "th" => {
                self.flush_line();
                if let Some(cells) = self.rows.last_mut() {
                    if *cells > 0 {
                        let bar = if self.out.is_empty() || self.out.ends_with('\n') { "| " } else { " | " };
                        self.out.push_str(bar);
                        self.space = false;
                    }
                    *cells += 1;
                }
                if !empty {
                    self.cells += 1;
                }
            }
            "a" if !empty => {
                let target = attribute("href").map(|h| h.trim().to_owned()).unwrap_or_default();
                self.flush_line();
                let at = self.out.len();
                self.links.push((target, at));
            }
            "pre" => {
                self.block();
                if !empty {
                    self.pre += 1;
                }
            }
            other if BLOCKS.contains(&other) => self.block(),
            _ => {}
        }
    }

    /// An element ends.
    pub(super) fn end(&mut self, name: &str) {
        if self.skipped > 0 {
            self.skipped -= 1;
            return;
        }
        match name {
            "ul" | "ol" => {
                self.lists.pop();
                self.block();
            }
            "li" => self.block(),
            "tr" => {
                self.rows.pop();
                self.block();
            }
            "td" | "th" => self.cells = self.cells.saturating_sub(1),
            "a" => {
                if let Some((target, at)) = self.links.pop() {
                    self.close_link(&target, at);
                }
            }
            "pre" => {
                self.pre = self.pre.saturating_sub(1);
                self.block();
            }
            other if BLOCKS.contains(&other) => self.block(),
            _ => {}
        }
    }

    /// Character data (entity and character references already resolved).
    pub(super) fn text(&mut self, text: &str) {
        if self.skipped > 0 || text.is_empty() {
            return;
        }
        if self.pre > 0 {
            // Line breaks and the spaces between words are kept; the start of a line is not, because a
            // pretty-printed file's indentation cannot be told from the author's.
            for (i, piece) in text.replace("\r\n", "\n").split('\n').enumerate() {
                if i > 0 {
                    self.line_break();
                }
                let piece = if self.at_line_start() { piece.trim_start() } else { piece };
                if !piece.is_empty() {
                    self.flush_line();
                    self.space = false;
                    self.out.push_str(piece);
                }
            }
            return;
        }
        if self.mode == Whitespace::Kept {
            // Only runs that hold a line break of the file (indentation) are not text of ours.
            for (i, piece) in text.split('\n').enumerate() {
                let piece = if i > 0 { piece.trim_start_matches([' ', '\t', '\r']) } else { piece };
                if i > 0 && !piece.is_empty() && !self.at_line_start() {
                    self.space = true;
                }
                if !piece.is_empty() {
                    self.content(piece.trim_end_matches('\r'));
                }
            }
            return;
        }
        let mut rest = text;
        while !rest.is_empty() {
            let blank = rest.find(|c: char| !is_html_space(c)).unwrap_or(rest.len());
            if blank > 0 {
                self.space = true;
                rest = &rest[blank..];
            }
            let word = rest.find(is_html_space).unwrap_or(rest.len());
            if word > 0 {
                self.content(&rest[..word]);
                rest = &rest[word..];
            }
        }
    }

    /// The text, without leading or trailing blank lines or spaces at line ends.
    pub(super) fn finish(mut self) -> String {
        while let Some((target, at)) = self.links.pop() {
            self.close_link(&target, at);
        }
        if self.mode == Whitespace::Kept {
            return self.out.trim_matches('\n').to_owned();
        }
        let mut text = String::with_capacity(self.out.len());
        for line in self.out.split('\n') {
            if !text.is_empty() || !line.trim().is_empty() {
                text.push_str(line.trim_end_matches([' ', '\t']));
                text.push('\n');
            }
        }
        let end = text.trim_end().len();
        text.truncate(end);
        match text.find(|c: char| !c.is_whitespace()) {
            Some(0) | None => text,
            Some(start) => text.split_off(start),
        }
    }

    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn block(&mut self) {
        if self.cells > 0 {
            self.space = true;
        } else {
            self.new_line = true;
        }
    }

    fn line_break(&mut self) {
        if self.cells > 0 {
            self.space = true;
            return;
        }
        self.flush_line();
        self.out.push('\n');
        self.space = false;
    }

    /// Starts the new line a block asked for, if any.
    fn flush_line(&mut self) {
        if self.new_line {
            self.new_line = false;
            if !self.at_line_start() {
                self.out.push('\n');
            }
            self.space = false;
        }
    }

    /// Text that is not white space.
    fn content(&mut self, text: &str) {
        self.flush_line();
        if self.space {
            if !self.at_line_start() && !self.out.ends_with(' ') {
                self.out.push(' ');
            }
            self.space = false;
        }
        self.out.push_str(text);
    }

    fn marker(&mut self, label: &str) {
        if label.is_empty() {
            self.content("[image]");
        } else {
            self.content(&format!("[image: {label}]"));
        }
    }

    fn close_link(&mut self, target: &str, at: usize) {
        if target.is_empty() || target.starts_with('#') {
            return;
        }
        let shown = self.out.get(at..).unwrap_or_default().trim();
        if shown.is_empty() {
            self.content(target);
        } else if !shown.contains(target) {
            let space = self.space;
            self.out.push_str(&format!(" ({target})"));
            self.space = space;
        }
    }
}

/// White space as HTML collapses it (the no-break space is text).
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// The last part of a path or URL: `files/diagram.png` -> `diagram.png`.
fn file_name(path: &str) -> String {
    let path = path.trim();
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_owned()
}

/// The character an HTML named entity stands for, for the names XHTML from requirement tools uses; `None`
/// for others (the caller keeps them as written).
pub(super) fn html_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "nbsp" => "\u{a0}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "thinsp" => "\u{2009}",
        "shy" => "",
        "ndash" => "–",
        "mdash" => "—",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "hellip" => "…",
        "bull" => "•",
        "middot" => "·",
        "deg" => "°",
        "plusmn" => "±",
        "times" => "×",
        "divide" => "÷",
        "micro" => "µ",
        "sect" => "§",
        "para" => "¶",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "euro" => "€",
        "pound" => "£",
        "cent" => "¢",
        "yen" => "¥",
        "le" => "≤",
        "ge" => "≥",
        "ne" => "≠",
        "rarr" => "→",
        "larr" => "←",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "Uuml" => "Ü",
        "szlig" => "ß",
        "eacute" => "é",
        "egrave" => "è",
        "ecirc" => "ê",
        "aacute" => "á",
        "agrave" => "à",
        "acirc" => "â",
        "ccedil" => "ç",
        "oacute" => "ó",
        "iacute" => "í",
        "uacute" => "ú",
        "ntilde" => "ñ",
        _ => return None,
    })
}

/// An XML attribute of `e` by local name, with character and entity references resolved.
pub(super) fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value_with(quick_xml::XmlVersion::Implicit1_0, 1, |entity| {
                quick_xml::escape::resolve_predefined_entity(entity).or_else(|| html_entity(entity))
            })
            .ok()
        })
        .map(|v| v.into_owned())
}

/// The text of a character or entity reference; `None` for an entity nobody defined.
pub(super) fn resolve(reference: &quick_xml::events::BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name: &str = reference.as_ref();
    quick_xml::escape::resolve_predefined_entity(name).or_else(|| html_entity(name)).map(str::to_owned)
}

/// Elements HTML never closes (`<br>`, `<img src=x>`): read as if written `<br/>`.
const VOID: &[&str] = &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"];

/// An HTML fragment from a spreadsheet cell (Azure DevOps' Description and Acceptance Criteria) as text,
/// by the same rules as ReqIF's XHTML. HTML is not XML: end tags may be missing or mismatched, `<br>` and
/// `<img>` are never closed, names may be upper case. What still cannot be parsed (an attribute without
/// quotes) loses its tags but keeps every word.
pub(super) fn html_to_text(html: &str) -> String {
    use quick_xml::Reader;
    use quick_xml::events::Event;

    let mut reader = Reader::from_str(html);
    reader.config_mut().check_end_names = false;
    reader.config_mut().allow_unmatched_ends = true;
    let mut f = Flattener::new(Whitespace::Html);
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(_) => return strip_tags(html),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name().into_inner().to_ascii_lowercase();
                let empty = matches!(event, Event::Empty(_)) || VOID.contains(&name.as_str());
                f.start(&name, |key| attribute(e, key), empty);
            }
            Event::End(e) => {
                let name = e.local_name().into_inner().to_ascii_lowercase();
                if !VOID.contains(&name.as_str()) {
                    f.end(&name);
                }
            }
            Event::Text(t) => f.text(&t.xml10_content()),
            Event::CData(c) => f.text(&c.xml10_content()),
            Event::GeneralRef(r) => {
                let name: &str = r.as_ref();
                f.text(&resolve(&r).unwrap_or_else(|| format!("&{name};")));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    f.finish()
}

/// The words of HTML that would not parse: tags dropped, blocks and `<br>` as line breaks.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim_start_matches('/').to_ascii_lowercase();
        let name = tag.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default();
        if name == "br" || name == "li" || BLOCKS.contains(&name) {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let lines: Vec<&str> = out.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines.join("\n")
}

/// True when a cell holds HTML markup rather than text that happens to contain `<`: it has an end tag or a
/// line break tag.
pub(super) fn looks_like_html(cell: &str) -> bool {
    let lower = cell.to_ascii_lowercase();
    ["</div>", "</p>", "</li>", "</span>", "</b>", "</a>", "</td>", "<br>", "<br/>", "<br />"]
        .iter()
        .any(|t| lower.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_cells_become_text() {
        let ado =
            "<div>Refunds are paid&nbsp;<b>within 3 days</b>.</div><div><br></div><ul><li>card</li><li>cash</li></ul>";
        assert!(looks_like_html(ado));
        // The empty line Azure DevOps writes as `<div><br></div>` stays one; a no-break space stays one too.
        assert_eq!(html_to_text(ado), "Refunds are paid\u{a0}within 3 days.\n\n- card\n- cash");
        assert_eq!(html_to_text("<P>One<BR>two</p>"), "One\ntwo");
        assert_eq!(html_to_text("<div class=x>unquoted</div><p>more</p>"), "unquoted\nmore");
        assert!(!looks_like_html("a < b and c > d"));
    }

    /// Flattens a tiny XHTML string with a hand-rolled tag splitter (tests only: no attributes with `>`).
    fn flat(xhtml: &str, mode: Whitespace) -> String {
        let mut f = Flattener::new(mode);
        let mut rest = xhtml;
        while let Some(open) = rest.find('<') {
            f.text(&rest[..open]);
            let close = rest[open..].find('>').map(|i| open + i).unwrap_or(rest.len() - 1);
            let tag = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                f.end(name.trim());
                continue;
            }
            let empty = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let mut parts = tag.splitn(2, ' ');
            let name = parts.next().unwrap_or_default().to_owned();
            let attrs = parts.next().unwrap_or_default().to_owned();
            let attribute = |key: &str| {
                let needle = format!("{key}=\"");
                let at = attrs.find(&needle)? + needle.len();
                Some(attrs[at..].split('"').next().unwrap_or_default().to_owned())
            };
            f.start(&name, attribute, empty);
        }
        f.text(rest);
        f.finish()
    }

    fn html(xhtml: &str) -> String {
        flat(xhtml, Whitespace::Html)
    }

    #[test]
    fn indentation_of_the_file_never_reaches_the_text() {
        assert_eq!(
            html("\n      <div>\n        The lorem <b>shall</b>\n        do it.\n      </div>\n    "),
            "The lorem shall do it."
        );
        assert_eq!(html("<div>  a  \t b </div>"), "a b");
    }

    #[test]
    fn paragraphs_headings_and_breaks_end_lines() {
        assert_eq!(
            html("<div><h1>Scope</h1>The system shall<br/>work.<p>Second</p><p>Third</p></div>"),
            "Scope\nThe system shall\nwork.\nSecond\nThird"
        );
        assert_eq!(html("<div>a<br/><br/>b<br/></div>"), "a\n\nb");
    }

    #[test]
    fn lists_become_dash_or_number_lines() {
        assert_eq!(
            html("<p>Needs:</p><ul><li>one</li><li>two<ul><li>inner</li></ul></li></ul>"),
            "Needs:\n- one\n- two\n  - inner"
        );
        assert_eq!(html("<ol><li>first</li><li>second</li></ol>"), "1. first\n2. second");
    }

    #[test]
    fn table_rows_are_lines_with_bars_between_cells() {
        let table = "<table>\n <tr><th>Signal</th><th>Range</th></tr>\n <tr><td><p>Speed</p></td><td>0-250<br/>km/h</td></tr></table>after";
        assert_eq!(html(table), "Signal | Range\nSpeed | 0-250 km/h\nafter");
        assert_eq!(html("<table><tr><td></td><td>b</td></tr></table>"), "| b");
    }

    #[test]
    fn links_and_images_stay_visible() {
        assert_eq!(html("<p>See <a href=\"https://x.org/a\">the spec</a>.</p>"), "See the spec (https://x.org/a).");
        assert_eq!(html("<a href=\"https://x.org\">https://x.org</a>"), "https://x.org");
        assert_eq!(html("<a href=\"https://x.org\"></a>"), "https://x.org");
        assert_eq!(html("<p>Look: <img src=\"files/a/diagram.png\"/></p>"), "Look: [image: diagram.png]");
        assert_eq!(html("<img alt=\"Wiring\" src=\"x.png\"/>"), "[image: Wiring]");
        let ole = "<object data=\"files/x.ole\" type=\"application/oleobject\"><object data=\"files/x.png\" type=\"image/png\">OLE</object></object> end";
        assert_eq!(html(ole), "[image: x.ole] end");
    }

    #[test]
    fn pre_keeps_its_lines_and_inner_spaces() {
        assert_eq!(html("<p>Code:</p><pre>a  b\n    c</pre>"), "Code:\na  b\nc");
    }

    #[test]
    fn own_files_come_back_exactly() {
        let kept = |x: &str| flat(x, Whitespace::Kept);
        assert_eq!(
            kept("<div>Line one &amp;<br/>\tindented  twice<br/><br/>after</div>"),
            "Line one &amp;\n\tindented  twice\n\nafter"
        );
        assert_eq!(kept("\n  <div>text</div>\n"), "text");
    }
}
