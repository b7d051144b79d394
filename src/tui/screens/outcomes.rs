//! Outcomes screen: measurable customer outcomes with how many requirements move each.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use crate::domain::*;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, Pending};
use crate::tui::theme::Theme;

fn num(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v}"))
}

impl App {
    pub(crate) fn outcomes_action(&mut self, action: Action) {
        let Some(d) = &self.data else { return };
        let n = d.outcomes.len();
        let current = d.outcomes.get(self.outcome_selected).cloned();
        match action {
            Action::Up => self.outcome_selected = self.outcome_selected.saturating_sub(1),
            Action::Down => self.outcome_selected = (self.outcome_selected + 1).min(n.saturating_sub(1)),
            Action::First => self.outcome_selected = 0,
            Action::Last => self.outcome_selected = n.saturating_sub(1),
            Action::PageUp => self.outcome_selected = self.outcome_selected.saturating_sub(10),
            Action::PageDown => self.outcome_selected = (self.outcome_selected + 10).min(n.saturating_sub(1)),
            Action::New => self.open_outcome_form(None),
            Action::Edit => {
                if let Some(o) = current {
                    self.open_outcome_form(Some(&o));
                }
            }
            Action::Delete => {
                if let Some(o) = current {
                    let linked = d.outcome_links.iter().filter(|(_, x)| *x == o.id).count();
                    let message = format!(
                        "Delete outcome \"{}\"? {linked} requirement(s) lose this link. (u undoes)",
                        terminal_safe(&o.statement, true)
                    );
                    self.overlays.push(Overlay::Confirm { message, pending: Pending::DeleteOutcome(o.id) });
                }
            }
            Action::Open => {
                if let Some(o) = current {
                    let items = d.requirements_per_outcome().remove(&o.id).unwrap_or_default();
                    self.overlays.push(Overlay::List {
                        title: format!("Requirements moving: {}", o.statement),
                        items,
                        selected: 0,
                    });
                }
            }
            _ => {}
        }
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(d) = &app.data else { return };
    let per = d.requirements_per_outcome();
    let rows: Vec<Row<'_>> = d
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let n = per.get(&o.id).map_or(0, Vec::len);
            let count = if n == 0 { Span::styled("0 ⚠ gap", theme.gap()) } else { Span::raw(n.to_string()) };
            Row::new(vec![
                Cell::from((i + 1).to_string()),
                Cell::from(terminal_safe(&o.statement, true)),
                Cell::from(o.metric.to_string()),
                Cell::from(num(o.baseline)),
                Cell::from(num(o.target)),
                Cell::from(terminal_safe(&o.unit, true)),
                Cell::from(count),
            ])
        })
        .collect();
    let header = Row::new(["#", "Outcome", "Metric", "Baseline", "Target", "Unit", "Requirements"]).style(theme.dim());
    let widths = [
        Constraint::Length(3),
        Constraint::Min(20),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(12),
    ];
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Customer outcomes ({}) ", d.outcomes.len()), theme.title()));
    let empty = rows.is_empty();
    let table = Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected());
    let mut state = TableState::default().with_selected((!empty).then_some(app.outcome_selected));
    frame.render_stateful_widget(table, area, &mut state);
    if empty {
        let inner = Rect { x: area.x + 2, y: area.y + 2, width: area.width.saturating_sub(4), height: 1 };
        frame.render_widget(
            Paragraph::new(Span::styled("No outcomes yet. Press n to add a measurable customer outcome.", theme.dim())),
            inner,
        );
    }
}
