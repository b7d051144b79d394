//! Jira's wiki markup (what a Jira CSV export holds in Description and comment columns) as plain text,
//! by the rules the ReqIF importer uses for XHTML: headings and paragraphs as lines, list items as `- `
//! lines (`1. ` when numbered, two spaces deeper per level), table rows with ` | ` between cells, links as
//! `text (url)`, images as `[image: name]`. Emphasis marks (`*bold*`, `_italic_`, `{{code}}`, `+under+`)
//! and block macros (`{code}`, `{noformat}`, `{quote}`, `{panel}`, `{color}`) are dropped, their text kept.

/// Jira wiki markup as plain text.
pub(super) fn jira_to_text(markup: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut verbatim = false;
    for raw in markup.replace("\r\n", "\n").split('\n') {
        let mut line = raw.trim_end().to_owned();
        // {code} and {noformat} blocks are kept as written, without their macros.
        let was = verbatim;
        for m in ["{code", "{noformat"] {
            while let Some(start) = line.find(m) {
                let end = line[start..].find('}').map_or(line.len(), |e| start + e + 1);
                line.replace_range(start..end, "");
                verbatim = !verbatim;
            }
        }
        if was && verbatim {
            out.push(line);
            continue;
        }
        let line = line.trim();
        let line = block(line);
        if !line.trim().is_empty() || out.last().is_some_and(|l| !l.is_empty()) {
            out.push(line);
        }
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// One line's block markup (heading, list item, table row, quote), then its inline markup.
fn block(line: &str) -> String {
    if let Some(rest) =
        ["h1. ", "h2. ", "h3. ", "h4. ", "h5. ", "h6. ", "bq. "].iter().find_map(|h| line.strip_prefix(h))
    {
        return inline(rest.trim());
    }
    let marks = line.chars().take_while(|c| matches!(c, '*' | '#' | '-')).count();
    if marks > 0 && line[marks..].starts_with(' ') && !line.starts_with("----") {
        let depth = "  ".repeat(marks - 1);
        let bullet = if line[..marks].ends_with('#') { "1." } else { "-" };
        return format!("{depth}{bullet} {}", inline(line[marks..].trim()));
    }
    if line.starts_with('|') {
        let cells: Vec<String> = line.split('|').map(str::trim).filter(|c| !c.is_empty()).map(inline).collect();
        return cells.join(" | ");
    }
    if line == "----" {
        return String::new();
    }
    inline(line)
}

/// Inline markup: links, images, macros, emphasis, forced line breaks.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['[', '!', '{']) {
        out.push_str(&rest[..i]);
        let open = rest.as_bytes()[i] as char;
        let close = match open {
            '[' => ']',
            '!' => '!',
            _ => '}',
        };
        let body_end = rest[i + 1..].find(close).map(|e| i + 1 + e);
        match (open, body_end) {
            ('[', Some(e)) => {
                let body = &rest[i + 1..e];
                match body.split_once('|') {
                    Some((label, url)) => out.push_str(&format!("{} ({})", label.trim(), url.trim())),
                    None => out.push_str(body.trim_start_matches('~')),
                }
                rest = &rest[e + 1..];
            }
            ('!', Some(e)) if !rest[i + 1..e].contains(' ') && e > i + 1 => {
                let name = rest[i + 1..e].split('|').next().unwrap_or_default();
                out.push_str(&format!("[image: {}]", name.rsplit('/').next().unwrap_or(name)));
                rest = &rest[e + 1..];
            }
            ('{', Some(e)) if rest[i..].starts_with("{{") => {
                let end = rest[i + 2..].find("}}").map_or(rest.len(), |x| i + 2 + x);
                out.push_str(&rest[i + 2..end]);
                rest = rest.get(end + 2..).unwrap_or_default();
                let _ = e;
            }
            ('{', Some(e)) => {
                let name = rest[i + 1..e].split(':').next().unwrap_or_default();
                if !["quote", "panel", "color", "noformat", "code"].contains(&name) {
                    out.push_str(&rest[i..=e]);
                }
                rest = &rest[e + 1..];
            }
            _ => {
                out.push(open);
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    let out = out.replace("\\\\", "\n");
    emphasis(&out)
}

/// Drops `*bold*`, `_italic_`, `+underline+`, `^sup^`, `~sub~` marks that open at a word start and close
/// at a word end; a lone `*` or a snake_case name is left alone.
fn emphasis(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut drop = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let opens = matches!(c, '*' | '_' | '+' | '^' | '~')
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && chars.get(i + 1).is_some_and(|n| !n.is_whitespace() && *n != c);
        if opens
            && let Some(j) = (i + 1..chars.len()).find(|&j| {
                chars[j] == c && !chars[j - 1].is_whitespace() && chars.get(j + 1).is_none_or(|n| !n.is_alphanumeric())
            })
        {
            drop[i] = true;
            drop[j] = true;
            i = j + 1;
            continue;
        }
        i += 1;
    }
    chars.iter().zip(drop).filter(|(_, d)| !d).map(|(c, _)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jira_markup_becomes_plain_text() {
        let wiki = "h2. Refunds\r\nAs a *customer* I want _my money_ back.\r\n\r\n* by card\r\n** by {{SEPA}}\r\n# first\r\n\
                    ||Step||Who||\r\n|ask|clerk|\r\nSee [the policy|https://x.example/p] and !screen.png|thumbnail!\\\\done";
        assert_eq!(
            jira_to_text(wiki),
            "Refunds\nAs a customer I want my money back.\n\n- by card\n  - by SEPA\n1. first\nStep | Who\nask | clerk\n\
             See the policy (https://x.example/p) and [image: screen.png]\ndone"
        );
        assert_eq!(jira_to_text("{code:java}\nlet a_b = 2 * 3;\n{code}"), "let a_b = 2 * 3;");
        assert_eq!(jira_to_text("snake_case_name and 2 * 3"), "snake_case_name and 2 * 3");
        assert_eq!(jira_to_text("{color:red}Urgent{color} now"), "Urgent now");
    }
}
