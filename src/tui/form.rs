//! A form of labelled fields: one-line and multi-line text (ratatui-textarea), choices cycled with ←/→,
//! yes/no toggles, and fields filled through a fuzzy picker. Every form in the app is one of these.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;
use serde_json::{Map, Value, json};

use super::action::Action;
use super::message::{Choice, FieldId};
use super::theme::Theme;
use crate::domain::terminal_safe;

/// What kind of value a field holds.
#[derive(Debug, Clone)]
pub enum FieldKind {
    Line,
    Text,
    Choice(Vec<String>),
    Toggle,
    /// Options are (id, label); `multi` allows several.
    Pick {
        options: Vec<(Choice, String)>,
        multi: bool,
    },
}

/// One labelled field.
#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    pub label: &'static str,
    pub kind: FieldKind,
    pub editor: TextArea<'static>,
    pub choice: usize,
    pub on: bool,
    pub picked: Vec<Choice>,
    pub error: Option<String>,
    /// Advice shown under the field that does not stop a save (what the quality lint says of its text).
    pub note: Option<String>,
    /// The spans of its text the quality lint flags (character offsets, end exclusive), drawn marked.
    pub marks: Vec<(usize, usize)>,
    pub help: String,
}

impl Field {
    fn new(id: FieldId, label: &'static str, kind: FieldKind) -> Field {
        let mut editor = TextArea::default();
        editor.set_cursor_line_style(ratatui::style::Style::default());
        Field {
            id,
            label,
            kind,
            editor,
            choice: 0,
            on: false,
            picked: Vec::new(),
            error: None,
            note: None,
            marks: Vec::new(),
            help: String::new(),
        }
    }
    pub fn line(id: FieldId, label: &'static str, value: &str) -> Field {
        let mut f = Field::new(id, label, FieldKind::Line);
        f.set_text(value);
        f
    }
    pub fn text(id: FieldId, label: &'static str, value: &str) -> Field {
        let mut f = Field::new(id, label, FieldKind::Text);
        f.editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        f.set_text(value);
        f
    }
    pub fn choice(id: FieldId, label: &'static str, options: Vec<String>, current: usize) -> Field {
        let mut f = Field::new(id, label, FieldKind::Choice(options));
        f.choice = current;
        f
    }
    pub fn toggle(id: FieldId, label: &'static str, on: bool) -> Field {
        let mut f = Field::new(id, label, FieldKind::Toggle);
        f.on = on;
        f
    }
    pub fn pick(
        id: FieldId,
        label: &'static str,
        options: Vec<(Choice, String)>,
        multi: bool,
        picked: Vec<Choice>,
    ) -> Field {
        let mut f = Field::new(id, label, FieldKind::Pick { options, multi });
        f.picked = picked;
        f
    }
    /// A short explanation shown beside the field.
    pub fn with_help(mut self, help: impl Into<String>) -> Field {
        self.help = help.into();
        self
    }

    fn set_text(&mut self, value: &str) {
        let lines: Vec<String> = value.split('\n').map(str::to_owned).collect();
        let mut editor = TextArea::new(if lines.is_empty() { vec![String::new()] } else { lines });
        editor.set_cursor_line_style(ratatui::style::Style::default());
        if matches!(self.kind, FieldKind::Text) {
            editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        }
        editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
        editor.move_cursor(ratatui_textarea::CursorMove::End);
        self.editor = editor;
    }

    fn is_text(&self) -> bool {
        matches!(self.kind, FieldKind::Line | FieldKind::Text)
    }

    /// The field's value as text (for text fields) or label (others).
    /// Marks these spans of the text (character offsets, end exclusive) as flagged by the quality lint.
    /// The editor marks them through its search highlighting, by their words (each flagged phrase
    /// wherever it stands as a whole word), which keeps them marked while the text is edited and
    /// scrolled; at rest the exact spans are marked.
    pub fn mark(&mut self, spans: Vec<(usize, usize)>) {
        let text = self.text_value();
        let chars: Vec<char> = text.chars().collect();
        let mut phrases: Vec<String> = Vec::new();
        for &(start, end) in &spans {
            let Some(phrase) = chars.get(start..end.min(chars.len())).filter(|p| !p.is_empty()) else { continue };
            let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
            let mut p = regex::escape(&phrase.iter().collect::<String>());
            if word(phrase.first()) {
                p.insert_str(0, r"\b");
            }
            if word(phrase.last()) {
                p.push_str(r"\b");
            }
            if !phrases.contains(&p) {
                phrases.push(p);
            }
        }
        let pattern = if phrases.is_empty() { String::new() } else { format!("(?i){}", phrases.join("|")) };
        // A pattern made of escaped text always compiles; should it not, nothing is marked.
        if self.editor.set_search_pattern(&pattern).is_err() {
            let _ = self.editor.set_search_pattern("");
        }
        self.marks = spans;
    }

    pub fn text_value(&self) -> String {
        match &self.kind {
            FieldKind::Line | FieldKind::Text => self.editor.lines().join("\n"),
            FieldKind::Choice(options) => options.get(self.choice).cloned().unwrap_or_default(),
            FieldKind::Toggle => if self.on { "yes" } else { "no" }.into(),
            FieldKind::Pick { options, .. } => self
                .picked
                .iter()
                .filter_map(|id| options.iter().find(|(o, _)| o == id).map(|(_, l)| l.clone()))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    fn height(&self, focused: bool) -> u16 {
        match self.kind {
            FieldKind::Text => {
                let lines = self.editor.lines().len() as u16;
                if focused { lines.clamp(3, 8) } else { lines.clamp(1, 3) }
            }
            _ => 1,
        }
    }
}

/// What the form wants the app to do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEvent {
    None,
    Changed,
    /// Open the picker for this field.
    Pick(FieldId),
    Save,
    Cancel,
}

/// A form in progress.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    /// Text shown above the fields (used by the first-run form to explain itself).
    pub intro: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// True once the user changed something.
    pub dirty: bool,
    /// A message under the fields (e.g. why saving failed).
    pub message: Option<String>,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form { title: title.into(), intro: Vec::new(), fields, focus: 0, dirty: false, message: None }
    }

    /// The field `id`. Every form is built with the fields its save reads, so a missing one is a bug in
    /// this crate: debug builds stop on it, release builds read it as empty.
    pub fn field(&self, id: FieldId) -> Option<&Field> {
        let found = self.fields.iter().find(|f| f.id == id);
        debug_assert!(found.is_some(), "the form {:?} has no field {id:?}", self.title);
        found
    }

    pub fn field_mut(&mut self, id: FieldId) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    pub fn text(&self, id: FieldId) -> String {
        self.field(id).map(Field::text_value).unwrap_or_default()
    }

    /// The text of field `id`, or "" for a form without it (forms that share a save but not every field).
    pub fn text_if_any(&self, id: FieldId) -> String {
        self.fields.iter().find(|f| f.id == id).map(Field::text_value).unwrap_or_default()
    }

    pub fn choice(&self, id: FieldId) -> usize {
        self.field(id).map_or(0, |f| f.choice)
    }

    /// The value of choice field `id` from `all`, the values its options were made from.
    pub fn chosen<T: Copy>(&self, id: FieldId, all: &[T]) -> T {
        all[self.choice(id).min(all.len() - 1)]
    }

    pub fn on(&self, id: FieldId) -> bool {
        self.field(id).is_some_and(|f| f.on)
    }

    pub fn picked(&self, id: FieldId) -> &[Choice] {
        self.field(id).map_or(&[], |f| f.picked.as_slice())
    }

    /// Sets a field's validation message (or clears it with `None`).
    pub fn set_error(&mut self, id: FieldId, error: impl Into<Option<String>>) {
        if let Some(f) = self.field_mut(id) {
            f.error = error.into();
        }
    }

    /// The index of field `id`.
    pub fn index_of(&self, id: FieldId) -> Option<usize> {
        self.fields.iter().position(|f| f.id == id)
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Handles a bound action; text keys that are not bound go to [`Form::input`].
    pub fn act(&mut self, action: Action, key: &KeyEvent) -> FormEvent {
        let n = self.fields.len();
        let Some(field) = self.fields.get_mut(self.focus) else { return FormEvent::None };
        match action {
            Action::NextField => self.focus = (self.focus + 1) % n.max(1),
            Action::PrevField => self.focus = (self.focus + n.max(1) - 1) % n.max(1),
            Action::Save => return FormEvent::Save,
            Action::Cancel => return FormEvent::Cancel,
            // A form of one line (a note) is done when the line is: Enter saves it.
            Action::Open if n == 1 && matches!(field.kind, FieldKind::Line) => return FormEvent::Save,
            Action::Open => match field.kind {
                FieldKind::Text => return self.input(key),
                FieldKind::Pick { .. } => return FormEvent::Pick(field.id),
                FieldKind::Toggle => return self.flip(),
                _ => self.focus = (self.focus + 1) % n.max(1),
            },
            Action::Left | Action::Right => match &field.kind {
                FieldKind::Choice(options) if !options.is_empty() => {
                    let len = options.len();
                    field.choice =
                        if action == Action::Right { (field.choice + 1) % len } else { (field.choice + len - 1) % len };
                    self.dirty = true;
                    return FormEvent::Changed;
                }
                FieldKind::Toggle => return self.flip(),
                _ => return self.input(key),
            },
            Action::Toggle => match field.kind {
                FieldKind::Toggle => return self.flip(),
                FieldKind::Pick { .. } => return FormEvent::Pick(field.id),
                _ => return self.input(key),
            },
            _ => {}
        }
        FormEvent::None
    }

    fn flip(&mut self) -> FormEvent {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.on = !f.on;
            self.dirty = true;
        }
        FormEvent::Changed
    }

    /// Sends a key to the focused text field's editor.
    pub fn input(&mut self, key: &KeyEvent) -> FormEvent {
        let Some(field) = self.fields.get_mut(self.focus) else { return FormEvent::None };
        if !field.is_text() {
            return FormEvent::None;
        }
        // One-line fields take no line breaks; a pasted or typed Enter moves on instead.
        if matches!(field.kind, FieldKind::Line) && key.code == KeyCode::Enter {
            self.focus = (self.focus + 1) % self.fields.len().max(1);
            return FormEvent::None;
        }
        // Keep control characters out of the text: only printable chars and editing keys reach the editor.
        if let KeyCode::Char(c) = key.code
            && c.is_control()
        {
            return FormEvent::None;
        }
        if field.editor.input(*key) {
            field.error = None;
            self.dirty = true;
            FormEvent::Changed
        } else {
            FormEvent::None
        }
    }

    /// Inserts pasted text into the focused text field (line breaks kept only in multi-line fields).
    pub fn paste(&mut self, text: &str) -> FormEvent {
        let Some(field) = self.fields.get_mut(self.focus) else { return FormEvent::None };
        let cleaned = match field.kind {
            FieldKind::Line => crate::domain::clean_line(text),
            FieldKind::Text => crate::domain::clean_text(text),
            _ => return FormEvent::None,
        };
        field.editor.insert_str(cleaned);
        self.dirty = true;
        FormEvent::Changed
    }

    /// Sets the picked ids of a pick field (from the picker).
    pub fn set_picked(&mut self, id: FieldId, ids: Vec<Choice>) {
        if let Some(f) = self.field_mut(id)
            && f.picked != ids
        {
            f.picked = ids;
            f.error = None;
            self.dirty = true;
        }
    }

    /// Every value as JSON, for autosaved drafts.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        for f in &self.fields {
            let v = match f.kind {
                FieldKind::Line | FieldKind::Text => json!(f.editor.lines().join("\n")),
                FieldKind::Choice(_) => json!(f.choice),
                FieldKind::Toggle => json!(f.on),
                FieldKind::Pick { .. } => json!(f.picked.iter().map(Choice::key).collect::<Vec<_>>()),
            };
            map.insert(f.id.name().to_owned(), v);
        }
        Value::Object(map)
    }

    /// Restores values saved by [`Form::to_json`]; unknown or mistyped entries are ignored.
    pub fn load_json(&mut self, value: &Value) {
        for f in &mut self.fields {
            let Some(v) = value.get(f.id.name()) else { continue };
            match &f.kind {
                FieldKind::Line | FieldKind::Text => {
                    if let Some(s) = v.as_str() {
                        f.set_text(s);
                    }
                }
                FieldKind::Choice(options) => {
                    if let Some(i) = v.as_u64().filter(|i| (*i as usize) < options.len()) {
                        f.choice = i as usize;
                    }
                }
                FieldKind::Toggle => f.on = v.as_bool().unwrap_or(f.on),
                FieldKind::Pick { options, .. } => {
                    if let Some(list) = v.as_array() {
                        f.picked = list
                            .iter()
                            .filter_map(|x| x.as_str())
                            .filter_map(|key| options.iter().find(|(o, _)| o.key() == key).map(|(o, _)| *o))
                            .collect();
                    }
                }
            }
        }
        self.dirty = true;
    }

    /// The height the form would like: intro, every field at rest, the focused one open, and the frame.
    pub fn wanted_height(&self) -> u16 {
        let fields: u16 = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| f.height(i == self.focus) + u16::from(f.error.is_some() || f.note.is_some()))
            .sum();
        let intro = if self.intro.is_empty() { 0 } else { self.intro.len() as u16 + 1 };
        intro + fields + 3
    }

    /// Draws the form as a centred overlay.
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
        frame.render_widget(Clear, area);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border())
            .title(Span::styled(format!(" {} ", terminal_safe(&self.title, true)), theme.title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.width < 10 || inner.height < 3 {
            return;
        }
        let label_w = self.fields.iter().map(|f| f.label.chars().count()).max().unwrap_or(8).min(18) as u16 + 2;
        let mut y = inner.y;
        let bottom = inner.y + inner.height;
        for line in &self.intro {
            if y >= bottom {
                break;
            }
            let p = Paragraph::new(terminal_safe(line, true)).style(theme.dim()).wrap(Wrap { trim: true });
            frame.render_widget(p, Rect { x: inner.x, y, width: inner.width, height: 1 });
            y += 1;
        }
        if !self.intro.is_empty() && y < bottom {
            y += 1;
        }
        // Reserve the last line for the message; scroll so the focused field is visible.
        let room = bottom.saturating_sub(y).saturating_sub(1);
        let heights: Vec<u16> = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| f.height(i == self.focus) + u16::from(f.error.is_some() || f.note.is_some()))
            .collect();
        let mut first = 0;
        while first < self.focus && heights[first..=self.focus].iter().sum::<u16>() > room {
            first += 1;
        }
        let k = |a| super::keymap::keys_for(super::keymap::Mode::Form, a);
        for (i, f) in self.fields.iter().enumerate().skip(first) {
            let h = f.height(i == self.focus);
            if y + h > bottom.saturating_sub(1) {
                break;
            }
            let focused = i == self.focus;
            let label_style = if focused { theme.key() } else { theme.dim() };
            let marker = if focused { "›" } else { " " };
            frame.render_widget(
                Paragraph::new(Line::from(vec![Span::styled(marker, theme.key()), Span::styled(f.label, label_style)])),
                Rect { x: inner.x, y, width: label_w.min(inner.width), height: 1 },
            );
            let value_area = Rect { x: inner.x + label_w, y, width: inner.width.saturating_sub(label_w), height: h };
            if f.is_text() && !focused {
                // At rest a field shows the start of its text, wrapped, rather than where the cursor was.
                let text = f.text_value();
                let shown = if text.is_empty() {
                    Text::styled(f.help.clone(), theme.dim())
                } else {
                    marked(&text, &f.marks, theme.base(), theme.flagged())
                };
                frame.render_widget(Paragraph::new(shown).wrap(Wrap { trim: false }), value_area);
            } else if f.is_text() {
                let mut editor = f.editor.clone();
                if focused {
                    editor.set_cursor_style(theme.selected());
                } else {
                    editor.set_cursor_style(ratatui::style::Style::default());
                }
                // The flagged words are found by the editor's own search (it keeps them marked as the
                // text scrolls); see `Field::mark`.
                editor.set_search_style(theme.flagged());
                if f.editor.is_empty() && !f.help.is_empty() {
                    editor.set_placeholder_text(f.help.clone());
                    editor.set_placeholder_style(theme.dim());
                }
                frame.render_widget(&editor, value_area);
            } else {
                let text = match &f.kind {
                    FieldKind::Choice(_) => format!("‹ {} ›", f.text_value()),
                    FieldKind::Toggle => if f.on { "[x] yes" } else { "[ ] no" }.to_owned(),
                    FieldKind::Pick { .. } => {
                        let v = f.text_value();
                        if v.is_empty() { format!("(none, {} to pick)", k(Action::Open)) } else { v }
                    }
                    _ => String::new(),
                };
                let style = if focused { theme.selected() } else { theme.base() };
                let mut spans = vec![Span::styled(terminal_safe(&text, true), style)];
                if focused && !f.help.is_empty() {
                    spans.push(Span::styled(format!("  {}", f.help), theme.dim()));
                }
                frame.render_widget(Paragraph::new(Line::from(spans)), value_area);
            }
            y += h;
            let below = Rect { x: inner.x + label_w, y, width: inner.width.saturating_sub(label_w), height: 1 };
            if let Some(e) = &f.error {
                frame.render_widget(
                    Paragraph::new(Span::styled(format!("  ⚠ {}", terminal_safe(e, true)), theme.error())),
                    below,
                );
                y += 1;
            } else if let Some(n) = &f.note {
                let n = crate::domain::fit(&format!("  {}", terminal_safe(n, true)), usize::from(below.width));
                frame.render_widget(Paragraph::new(Span::styled(n, theme.warn())), below);
                y += 1;
            }
        }
        let footer = self.message.clone().unwrap_or_else(|| {
            let k = |a| super::keymap::keys_for(super::keymap::Mode::Form, a);
            // Save and cancel first: where the line is short, the hints at its end give way, whole.
            let hints = [
                format!("{} save", k(Action::Save)),
                format!("{} cancel", k(Action::Cancel)),
                format!("{} next field", k(Action::NextField)),
                format!("{}/{} change choice", k(Action::Left), k(Action::Right)),
                format!("{} tick", k(Action::Toggle)),
                format!("{} pick", k(Action::Open)),
            ];
            let mut line = String::new();
            for h in hints {
                let sep = if line.is_empty() { "" } else { " · " };
                if crate::domain::text_width(&line) + sep.len() + crate::domain::text_width(&h)
                    > usize::from(inner.width)
                {
                    break;
                }
                line.push_str(sep);
                line.push_str(&h);
            }
            line
        });
        let style = if self.message.is_some() { theme.error() } else { theme.dim() };
        frame.render_widget(
            Paragraph::new(Span::styled(
                crate::domain::fit(&terminal_safe(&footer, true), usize::from(inner.width)),
                style,
            )),
            Rect { x: inner.x, y: bottom - 1, width: inner.width, height: 1 },
        );
    }
}

/// True for a key that types text (no Ctrl/Alt), as opposed to a command.
/// `text` as lines, the `marks` (character offsets, end exclusive) in `flagged`, the rest in `base`; each
/// piece made safe for the terminal.
fn marked(text: &str, marks: &[(usize, usize)], base: Style, flagged: Style) -> Text<'static> {
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut piece = String::new();
    let mut in_mark = false;
    let flush = |piece: &mut String, spans: &mut Vec<Span<'static>>, in_mark: bool| {
        if !piece.is_empty() {
            spans.push(Span::styled(terminal_safe(piece, true), if in_mark { flagged } else { base }));
            piece.clear();
        }
    };
    for (i, c) in text.chars().enumerate() {
        let now = marks.iter().any(|&(s, e)| s <= i && i < e);
        if now != in_mark {
            flush(&mut piece, &mut spans, in_mark);
            in_mark = now;
        }
        if c == '\n' {
            flush(&mut piece, &mut spans, in_mark);
            lines.push(Line::from(std::mem::take(&mut spans)));
        } else {
            piece.push(c);
        }
    }
    flush(&mut piece, &mut spans, in_mark);
    lines.push(Line::from(spans));
    Text::from(lines)
}

pub fn is_typing(key: &KeyEvent) -> bool {
    !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}
