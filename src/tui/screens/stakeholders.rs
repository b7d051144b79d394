//! Stakeholders screen: who was heard, in which interviews, and which departments are still silent.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use crate::domain::*;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, Pending};
use crate::tui::theme::Theme;

impl App {
    pub(crate) fn stakeholders_action(&mut self, action: Action) {
        let Some(d) = &self.data else { return };
        let n = d.stakeholders.len();
        let current = d.stakeholders.get(self.stakeholder_selected).cloned();
        let sel = &mut self.stakeholder_selected;
        match action {
            Action::Up => *sel = sel.saturating_sub(1),
            Action::Down => *sel = (*sel + 1).min(n.saturating_sub(1)),
            Action::First => *sel = 0,
            Action::Last => *sel = n.saturating_sub(1),
            Action::PageUp => *sel = sel.saturating_sub(10),
            Action::PageDown => *sel = (*sel + 10).min(n.saturating_sub(1)),
            Action::New => self.open_stakeholder_form(None),
            Action::Edit => {
                if let Some(s) = current {
                    self.open_stakeholder_form(Some(&s));
                }
            }
            Action::Delete => {
                if let Some(s) = current {
                    let message = format!("Delete stakeholder {}? (u undoes)", terminal_safe(&s.name, true));
                    self.overlays.push(Overlay::Confirm { message, pending: Pending::DeleteStakeholder(s.id) });
                }
            }
            Action::Open => {
                if let Some(s) = current {
                    let items = d.requirements_per_stakeholder().remove(&s.id).unwrap_or_default();
                    self.overlays.push(Overlay::List { title: format!("Asked for by {}", s.name), items, selected: 0 });
                }
            }
            _ => {}
        }
    }
}

/// Per department: (people, people interviewed, requirements sourced).
pub fn departments(app: &App) -> BTreeMap<String, (usize, usize, usize)> {
    let mut out = BTreeMap::new();
    let Some(d) = &app.data else { return out };
    let interviews = d.interviews_per_stakeholder();
    let sourced = d.requirements_per_stakeholder();
    for s in &d.stakeholders {
        let dept = if s.department.trim().is_empty() { "(no department)".to_owned() } else { s.department.clone() };
        let e = out.entry(dept).or_insert((0, 0, 0));
        e.0 += 1;
        e.1 += usize::from(interviews.get(&s.id).copied().unwrap_or(0) > 0);
        e.2 += sourced.get(&s.id).map_or(0, Vec::len);
    }
    out
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(d) = &app.data else { return };
    let parts = if area.width >= 110 {
        Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Min(60), Constraint::Length(42)])
            .split(area)
    } else {
        Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Min(5), Constraint::Length(8)])
            .split(area)
    };
    let interviews = d.interviews_per_stakeholder();
    let sourced = d.requirements_per_stakeholder();
    let rows: Vec<Row<'_>> = d
        .stakeholders
        .iter()
        .map(|s| {
            Row::new(vec![
                Cell::from(terminal_safe(&s.name, true)),
                Cell::from(terminal_safe(&s.role, true)),
                Cell::from(terminal_safe(&s.department, true)),
                Cell::from(interviews.get(&s.id).copied().unwrap_or(0).to_string()),
                Cell::from(sourced.get(&s.id).map_or(0, Vec::len).to_string()),
            ])
        })
        .collect();
    let header = Row::new(["Name", "Role", "Department", "Interviews", "Reqs"]).style(theme.dim());
    let widths = [
        Constraint::Min(14),
        Constraint::Min(14),
        Constraint::Length(18),
        Constraint::Length(10),
        Constraint::Length(5),
    ];
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Stakeholders ({}) ", d.stakeholders.len()), theme.title()));
    let empty = rows.is_empty();
    let table = Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected());
    let mut state = TableState::default().with_selected((!empty).then_some(app.stakeholder_selected));
    frame.render_stateful_widget(table, parts[0], &mut state);
    if empty {
        let inner = Rect { x: parts[0].x + 2, y: parts[0].y + 2, width: parts[0].width.saturating_sub(4), height: 1 };
        frame.render_widget(
            Paragraph::new(Span::styled("No stakeholders yet. Press n to add one.", theme.dim())),
            inner,
        );
    }
    let mut lines = Vec::new();
    for (dept, (people, heard, reqs)) in departments(app) {
        let (mark, style) = if heard > 0 { ("✓", theme.ok()) } else { ("✗ not heard", theme.gap()) };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(terminal_safe(&dept, true)),
            Span::styled(format!("  {heard}/{people} interviewed · {reqs} reqs"), theme.dim()),
        ]));
    }
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" Departments heard from ", theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block), parts[1]);
}
