//! A fuzzy-search picker over (id, label) items, single or multiple choice.

use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::data::pattern;
use super::theme::Theme;
use crate::domain::terminal_safe;

/// What a confirmed choice is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerPurpose {
    /// Fill the form field at this index.
    FormField(usize),
    /// Switch to the project with this id ("" creates a new project).
    Project,
    /// Where the requirements of a deleted stage go ("" = no stage).
    StageDeleteTarget(String),
    /// A quick key of the capture box: the last captured line's stage or outcomes.
    Capture(super::capture::CapturePick),
    /// Start a timer for the activity picked.
    StartTimer,
}

/// A picker in progress.
#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub items: Vec<(String, String)>,
    pub multi: bool,
    pub chosen: Vec<String>,
    pub query: String,
    pub visible: Vec<usize>,
    pub selected: usize,
    pub purpose: PickerPurpose,
}

impl Picker {
    pub fn new(
        title: impl Into<String>,
        items: Vec<(String, String)>,
        multi: bool,
        chosen: Vec<String>,
        purpose: PickerPurpose,
    ) -> Picker {
        let mut p = Picker {
            title: title.into(),
            items,
            multi,
            chosen,
            query: String::new(),
            visible: Vec::new(),
            selected: 0,
            purpose,
        };
        p.refilter();
        if !p.multi
            && let Some(first) = p.chosen.first()
            && let Some(pos) = p.visible.iter().position(|&i| &p.items[i].0 == first)
        {
            p.selected = pos;
        }
        p
    }

    /// Recomputes the visible items for the query, best match first.
    pub fn refilter(&mut self) {
        if self.query.trim().is_empty() {
            self.visible = (0..self.items.len()).collect();
        } else {
            let pat = pattern(self.query.trim());
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut buf = Vec::new();
            let mut scored: Vec<(u32, usize)> = self
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, (_, label))| pat.score(Utf32Str::new(label, &mut buf), &mut matcher).map(|s| (s, i)))
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.visible = scored.into_iter().map(|(_, i)| i).collect();
        }
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    pub fn type_char(&mut self, c: char) {
        if !c.is_control() {
            self.query.push(c);
            self.selected = 0;
            self.refilter();
        }
    }

    pub fn backspace(&mut self) {
        self.query.pop();
        self.refilter();
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// The id under the cursor.
    pub fn current(&self) -> Option<&str> {
        self.visible.get(self.selected).map(|&i| self.items[i].0.as_str())
    }

    /// Toggles the item under the cursor (multi-pick).
    pub fn toggle(&mut self) {
        if let Some(id) = self.current().map(str::to_owned) {
            if let Some(pos) = self.chosen.iter().position(|c| *c == id) {
                self.chosen.remove(pos);
            } else {
                self.chosen.push(id);
            }
        }
    }

    /// The final choice: the toggled items (multi), or the item under the cursor.
    pub fn result(&self) -> Vec<String> {
        if self.multi {
            if self.chosen.is_empty() {
                self.current().map(|c| vec![c.to_owned()]).unwrap_or_default()
            } else {
                self.chosen.clone()
            }
        } else {
            self.current().map(|c| vec![c.to_owned()]).unwrap_or_default()
        }
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
        frame.render_widget(Clear, area);
        let hint =
            if self.multi { " Space select · Enter done · Esc cancel " } else { " Enter choose · Esc cancel " };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border())
            .title(Span::styled(format!(" {} ", terminal_safe(&self.title, true)), theme.title()))
            .title_bottom(Span::styled(hint, theme.dim()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 2 {
            return;
        }
        let query = Line::from(vec![
            Span::styled("search: ", theme.dim()),
            Span::raw(terminal_safe(&self.query, true)),
            Span::styled("▏", theme.key()),
        ]);
        frame.render_widget(Paragraph::new(query), Rect { height: 1, ..inner });
        let list_area = Rect { y: inner.y + 1, height: inner.height - 1, ..inner };
        let items: Vec<ListItem<'_>> = self
            .visible
            .iter()
            .map(|&i| {
                let (id, label) = &self.items[i];
                let mark = if self.multi { if self.chosen.contains(id) { "[x] " } else { "[ ] " } } else { "" };
                ListItem::new(format!("{mark}{}", terminal_safe(label, true)))
            })
            .collect();
        let empty = items.is_empty();
        let mut state = ListState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(List::new(items).highlight_style(theme.selected()), list_area, &mut state);
        if empty {
            frame.render_widget(Paragraph::new(Span::styled("no match", theme.dim())), list_area);
        }
    }
}
