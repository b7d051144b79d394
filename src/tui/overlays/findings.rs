//! Every quality finding of the project, the most serious first; Enter shows the requirement.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::centered;
use crate::analysis::lint::Severity;
use crate::domain::{fit, terminal_safe};
use crate::tui::action::Action;
use crate::tui::component::{Effect, Overlay, OverlayCtx, OverlayView, Selection};
use crate::tui::keymap::{self, Mode};
use crate::tui::quality::FindingRow;

/// The findings as assessed when the view opened, one selected.
#[derive(Debug)]
pub struct Findings {
    pub rows: Vec<FindingRow>,
    selected: Selection,
}

impl Findings {
    pub fn new(rows: Vec<FindingRow>) -> Box<Findings> {
        Box::new(Findings { rows, selected: Selection::default() })
    }
}

impl Overlay for Findings {
    fn mode(&self) -> Mode {
        Mode::List
    }

    fn update(&mut self, _ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        match action {
            Action::Cancel => Effect::Close,
            Action::Open => {
                self.rows.get(self.selected.index).map_or(Effect::None, |r| Effect::ShowRequirement(r.requirement))
            }
            _ => {
                self.selected.apply(action, self.rows.len());
                Effect::None
            }
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        let theme = view.theme;
        let area = centered(body, 120, body.height.saturating_sub(2));
        frame.render_widget(Clear, area);
        let Some(d) = view.data else { return };
        let width = usize::from(area.width.saturating_sub(2));
        let items: Vec<ListItem<'_>> = self
            .rows
            .iter()
            .map(|r| {
                let f = &r.finding;
                let style = match f.severity {
                    Severity::Error => theme.error(),
                    Severity::Warning => theme.warn(),
                    Severity::Info => theme.dim(),
                };
                let at =
                    if f.text.is_empty() { String::new() } else { format!(" \"{}\"", terminal_safe(&f.text, true)) };
                let said = format!(" {:<9} {}{at}: {} · {}", d.human_id(r.seq), f.rule.as_str(), f.message, f.hint);
                ListItem::new(Line::from(vec![
                    Span::styled(format!("{:<7}", f.severity.as_str()), style),
                    Span::raw(fit(&said, width.saturating_sub(7))),
                ]))
            })
            .collect();
        let empty = items.is_empty();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border())
            .title(Span::styled(format!(" Quality findings ({}) ", self.rows.len()), theme.title()))
            .title_bottom(Span::styled(fit(&format!(" {} ", keymap::hint_line(Mode::List)), width), theme.dim()));
        let mut state = ListState::default().with_selected((!empty).then_some(self.selected.index));
        frame.render_stateful_widget(List::new(items).block(block).highlight_style(theme.selected()), area, &mut state);
        if empty {
            let inner = Rect { x: area.x + 2, y: area.y + 1, width: area.width.saturating_sub(4), height: 1 };
            frame.render_widget(
                Paragraph::new(Span::styled("No findings: every requirement reads well.", theme.ok())),
                inner,
            );
        }
    }
}
