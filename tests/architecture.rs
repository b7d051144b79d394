//! The structure the workbench keeps to, checked on its source: no import cycles between the modules of
//! `src/tui`, and no key named in a message except through the keymap (so a rebound key is never
//! described wrongly, and help can never drift from behaviour).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/tui") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn tui_sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            // Unit tests may name keys and reach anywhere.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
            (p.strip_prefix(&root).expect("under src/tui").to_path_buf(), code)
        })
        .collect()
}

/// The top-level module of `src/tui` a file belongs to (`screens/time.rs` -> `screens`).
fn top_module(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    let name = first.trim_end_matches(".rs").to_owned();
    (name != "mod").then_some(name)
}

/// The modules of `src/tui` that `code` (in a file `depth` folders below `src/tui`) names.
fn uses(code: &str, depth: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let up = if depth == 0 { "super::".to_owned() } else { "super::".repeat(depth + 1) };
    for prefix in ["crate::tui::", up.as_str()] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let after = &rest[at + prefix.len()..];
            let name: String = after.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            // `super::super::x` when only one `super::` was meant is not a module of src/tui.
            let reaches_past = depth == 0 && after.starts_with("super::");
            if !name.is_empty() && !reaches_past {
                out.insert(name);
            }
            rest = after;
        }
    }
    out
}

#[test]
fn the_modules_of_the_workbench_import_each_other_in_one_direction_only() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, code) in tui_sources() {
        let Some(top) = top_module(&rel) else { continue };
        let depth = rel.components().count() - 1 - usize::from(rel.ends_with("mod.rs"));
        let deps = uses(&code, depth);
        graph.entry(top.clone()).or_default().extend(deps.into_iter().filter(|d| *d != top));
    }
    let known: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| known.contains(d));
    }
    // A module is in a cycle when it can reach itself.
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, path)) = stack.pop() {
            for next in &graph[&at] {
                if next == start {
                    panic!("import cycle in src/tui: {} -> {start}", path.join(" -> "));
                }
                if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    assert!(graph.len() > 10, "the check sees the modules: {:?}", graph.keys());
}

/// The string literals of `code` (the text between unescaped double quotes outside comments).
fn literals(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut in_str = false;
        let mut escaped = false;
        let mut current = String::new();
        let mut prev = ' ';
        for c in line.chars() {
            if in_str {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_str = false;
                    out.push((n + 1, std::mem::take(&mut current)));
                    continue;
                }
                current.push(c);
            } else if c == '"' && prev != '\'' {
                in_str = true;
            } else if c == '/' && prev == '/' {
                break;
            }
            prev = c;
        }
        if in_str {
            // A literal that goes on to the next line: checked as far as this line.
            out.push((n + 1, current));
        }
    }
    out
}

/// Whether `text` names a key: a key label as the keymap writes it, or "press x" / "x to undo".
fn names_a_key(text: &str) -> Option<&'static str> {
    // Arrows also mean "becomes" and "ascending": as keys they come in pairs ("←/→ choose").
    const LABELS: [&str; 12] =
        ["Ctrl-", "Alt-", "Shift-", "Esc", "Enter", "Tab", "Space", "PgUp", "PgDn", "Backspace", "↑/↓", "←/→"];
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric() && c != '-').collect();
    for label in LABELS {
        let hit = if label.ends_with('-') || !label.is_ascii() { text.contains(label) } else { words.contains(&label) };
        if hit {
            return Some(label);
        }
    }
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower.split_whitespace().map(|t| t.trim_matches(|c: char| !c.is_alphanumeric())).collect();
    for pair in tokens.windows(2) {
        if pair[0] == "press" && pair[1].chars().count() == 1 {
            return Some("press <key>");
        }
        if pair[0].chars().count() == 1
            && pair[0].chars().all(|c| c.is_ascii_alphabetic())
            && pair[1].starts_with("undo")
        {
            return Some("<key> undoes");
        }
    }
    None
}

#[test]
fn no_message_names_a_key_except_through_the_keymap() {
    let mut found = Vec::new();
    for (rel, code) in tui_sources() {
        if rel == Path::new("keymap.rs") {
            continue;
        }
        for (line, text) in literals(&code) {
            if let Some(label) = names_a_key(&text) {
                found.push(format!("src/tui/{}:{line}: {label:?} in {text:?}", rel.display()));
            }
        }
    }
    assert!(found.is_empty(), "key names written by hand (use keymap::keys_for):\n{}", found.join("\n"));
}

#[test]
fn the_key_check_catches_what_it_is_for() {
    assert_eq!(names_a_key("Press u to undo"), Some("press <key>"));
    assert_eq!(names_a_key("Delete it? (u undoes)"), Some("<key> undoes"));
    assert_eq!(names_a_key(" Ctrl-P pause "), Some("Ctrl-"));
    assert_eq!(names_a_key("Enter saves it"), Some("Enter"));
    assert_eq!(names_a_key("←/→ choose"), Some("←/→"));
    assert_eq!(names_a_key(" {} → {} ({} wk)"), None);
    assert_eq!(names_a_key("Tables and stages"), None);
    assert_eq!(names_a_key("End (UTC)"), None);
    assert_eq!(
        literals("let a = \"one\"; // \"two\"\n// \"three\"\nf(\"fo\\\"ur\")"),
        vec![(1, "one".to_owned()), (3, "fo\\\"ur".to_owned())]
    );
}
