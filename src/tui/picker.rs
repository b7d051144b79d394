//! A fuzzy-search picker over (id, label) items, single or multiple choice.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::action::Action;
use super::component::{Effect, Overlay, OverlayCtx, OverlayView};
use super::data::pattern;
use super::keymap::Mode;
use super::message::{Choice, Purpose};
use super::overlays::centered;
use super::theme::Theme;
use crate::domain::{ProjectId, clean_line, terminal_safe};
use crate::store::Store;

/// The project picker: every project, and "+ New project…".
pub fn projects(store: &Store, current: Option<ProjectId>) -> Effect {
    let projects = match store.projects() {
        Ok(p) => p,
        Err(e) => return Effect::error(e),
    };
    let mut items: Vec<(Choice, String)> =
        projects.iter().map(|p| (Choice::Project(p.id), format!("{}  {}", p.key, p.name))).collect();
    items.push((Choice::NewProject, "+ New project…".into()));
    Picker::new("Projects", items, false, current.map(Choice::Project).into_iter().collect(), Purpose::Project).open()
}

/// A picker in progress.
#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub items: Vec<(Choice, String)>,
    pub multi: bool,
    pub chosen: Vec<Choice>,
    pub query: String,
    pub visible: Vec<usize>,
    pub selected: usize,
    pub purpose: Purpose,
}

impl Picker {
    pub fn new(
        title: impl Into<String>,
        items: Vec<(Choice, String)>,
        multi: bool,
        chosen: Vec<Choice>,
        purpose: Purpose,
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

    /// As an effect that opens it.
    pub fn open(self) -> Effect {
        Effect::Push(Box::new(self))
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

    /// The choice under the cursor.
    pub fn current(&self) -> Option<Choice> {
        self.visible.get(self.selected).map(|&i| self.items[i].0)
    }

    /// Toggles the item under the cursor (multi-pick).
    pub fn toggle(&mut self) {
        if let Some(id) = self.current() {
            if let Some(pos) = self.chosen.iter().position(|c| *c == id) {
                self.chosen.remove(pos);
            } else {
                self.chosen.push(id);
            }
        }
    }

    /// The final choice: the toggled items (multi), or the item under the cursor. In a multi-pick, Enter
    /// after a search also takes the item the search found: typing its name and Enter means that one.
    pub fn result(&self) -> Vec<Choice> {
        if !self.multi || self.chosen.is_empty() {
            return self.current().into_iter().collect();
        }
        let mut out = self.chosen.clone();
        if let Some(found) = self.current().filter(|c| !self.query.is_empty() && !out.contains(c)) {
            out.push(found);
        }
        out
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
        frame.render_widget(Clear, area);
        // Space only selects in a multi-pick; in a single pick it types a space into the search.
        let hints: Vec<String> = super::keymap::hints(Mode::Picker)
            .into_iter()
            .filter(|(_, what)| self.multi || !what.contains("multi"))
            .map(|(key, what)| format!("{key} {}", what.split(" (").next().unwrap_or(what)))
            .collect();
        let hint = format!(" {} ", hints.join(" · "));
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

impl Overlay for Picker {
    fn mode(&self) -> Mode {
        Mode::Picker
    }

    fn update(&mut self, _ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            // Space selects in a multi-pick until a search is typed; then it is part of the search.
            Action::Toggle if self.multi && self.query.is_empty() => self.toggle(),
            Action::Toggle => self.type_char(' '),
            Action::Select if self.multi => self.toggle(),
            Action::Cancel => return Effect::Close,
            Action::Confirm => return Effect::Then(vec![Effect::Close, Effect::Picked(self.purpose, self.result())]),
            _ => {}
        }
        Effect::None
    }

    /// Typing searches.
    fn key(&mut self, _ctx: &mut OverlayCtx<'_>, key: &KeyEvent) -> Effect {
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => self.type_char(c),
            KeyCode::Backspace => self.backspace(),
            _ => {}
        }
        Effect::None
    }

    fn paste(&mut self, _ctx: &mut OverlayCtx<'_>, text: &str) -> Effect {
        for c in clean_line(text).chars() {
            self.type_char(c);
        }
        Effect::None
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        self.render(frame, centered(body, 70, 20), view.theme);
    }
}
