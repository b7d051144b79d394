//! A list of requirements over the screen (a matrix cell, an outcome's, a stakeholder's); Enter shows one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::centered;
use crate::domain::{RequirementId, fit, terminal_safe};
use crate::tui::action::Action;
use crate::tui::component::{Effect, Overlay, OverlayCtx, OverlayView, Selection};
use crate::tui::keymap::{self, Mode};

/// Requirements under a title, one selected.
#[derive(Debug)]
pub struct RequirementList {
    pub title: String,
    pub items: Vec<RequirementId>,
    selected: Selection,
}

impl RequirementList {
    pub fn new(title: impl Into<String>, items: Vec<RequirementId>) -> Box<RequirementList> {
        Box::new(RequirementList { title: title.into(), items, selected: Selection::default() })
    }
}

impl Overlay for RequirementList {
    fn mode(&self) -> Mode {
        Mode::List
    }

    fn update(&mut self, _ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        match action {
            Action::Cancel => Effect::Close,
            Action::Open => match self.items.get(self.selected.index) {
                Some(id) => Effect::ShowRequirement(*id),
                None => Effect::None,
            },
            _ => {
                self.selected.apply(action, self.items.len());
                Effect::None
            }
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        let theme = view.theme;
        let area = centered(body, 90, body.height.saturating_sub(2));
        frame.render_widget(Clear, area);
        let Some(d) = view.data else { return };
        let rows: Vec<ListItem<'_>> = self
            .items
            .iter()
            .map(|id| match d.rows.iter().find(|r| r.id == *id) {
                Some(r) => ListItem::new(format!(
                    "{:<9} {:<7} {}",
                    d.human_id(r.seq),
                    r.priority.to_string(),
                    terminal_safe(&r.title, true)
                )),
                None => ListItem::new("(deleted)"),
            })
            .collect();
        let empty = rows.is_empty();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border())
            .title(Span::styled(
                format!(" {} ({}) ", terminal_safe(&self.title, true), self.items.len()),
                theme.title(),
            ))
            .title_bottom(Span::styled(
                fit(&format!(" {} ", keymap::hint_line(Mode::List)), usize::from(area.width.saturating_sub(2))),
                theme.dim(),
            ));
        let mut state = ListState::default().with_selected((!empty).then_some(self.selected.index));
        frame.render_stateful_widget(List::new(rows).block(block).highlight_style(theme.selected()), area, &mut state);
        if empty {
            let inner = Rect { x: area.x + 2, y: area.y + 1, width: area.width.saturating_sub(4), height: 1 };
            frame.render_widget(
                Paragraph::new(Span::styled("No requirements here: a gap to close.", theme.gap())),
                inner,
            );
        }
    }
}
