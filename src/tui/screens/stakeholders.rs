//! Stakeholders screen: who was heard, in which interviews, and which departments are still silent.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use crate::analysis::coverage::{self, DepartmentCoverage};
use crate::domain::*;
use crate::tui::action::Action;
use crate::tui::component::{Component, Ctx, Effect, Selection, View};
use crate::tui::data::ProjectData;
use crate::tui::forms;
use crate::tui::keymap::{Mode, keys_for};
use crate::tui::message::Question;
use crate::tui::overlays::{Confirm, RequirementList};
use crate::tui::theme::Theme;

/// The Stakeholders screen: the selected stakeholder is its only state.
#[derive(Debug, Clone, Default)]
pub struct StakeholdersScreen {
    pub selection: Selection,
}

impl Component for StakeholdersScreen {
    fn mode(&self) -> Mode {
        Mode::Stakeholders
    }

    fn update(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        let d = ctx.data;
        if self.selection.apply(action, d.stakeholders.len()) {
            return Effect::None;
        }
        let current = d.stakeholders.get(self.selection.index);
        match (action, current) {
            (Action::New, _) => forms::stakeholder_form(None),
            (Action::Edit, Some(s)) => forms::stakeholder_form(Some(s)),
            (Action::Delete, Some(s)) => {
                let message = format!(
                    "Delete stakeholder {}? ({} undoes)",
                    terminal_safe(&s.name, true),
                    keys_for(Mode::Global, Action::Undo)
                );
                Effect::Push(Confirm::new(message, Question::DeleteStakeholder(s.id)))
            }
            (Action::Open, Some(s)) => {
                let items = d.requirements_per_stakeholder().remove(&s.id).unwrap_or_default();
                Effect::Push(RequirementList::new(format!("Asked for by {}", s.name), items))
            }
            _ => Effect::None,
        }
    }

    fn answered(&mut self, ctx: &mut Ctx<'_>, question: Question, yes: bool) -> Effect {
        let Question::DeleteStakeholder(id) = question else { return Effect::None };
        if !yes {
            return Effect::None;
        }
        match ctx.store.delete_stakeholder(id) {
            Ok(()) => Effect::Then(vec![
                Effect::Reload,
                Effect::Info(format!("Stakeholder deleted. Press {} to undo.", keys_for(Mode::Global, Action::Undo))),
            ]),
            Err(e) => Effect::error(e),
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(frame, area, view.data, self.selection.index, view.theme);
    }

    fn data_changed(&mut self, data: &ProjectData) {
        self.selection.clamp(data.stakeholders.len());
    }

    fn click(&mut self, data: &ProjectData, area: Rect, _x: u16, y: u16) {
        // The table is the left (or upper) part of the screen; clicks elsewhere select nothing.
        self.selection.click(area, y, data.stakeholders.len());
    }
}

/// The departments of the project with their coverage, as the Dashboard and the capture gaps count them.
pub fn departments(d: &ProjectData) -> Vec<DepartmentCoverage> {
    coverage::expect(
        coverage::departments(&d.stakeholders, &d.interviews, d.source_links.iter().copied()),
        &d.departments,
    )
}

fn draw(frame: &mut Frame<'_>, area: Rect, d: &ProjectData, selected: usize, theme: &Theme) {
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
    let widths = [
        Constraint::Min(14),
        Constraint::Min(14),
        Constraint::Length(18),
        Constraint::Length(10),
        Constraint::Length(5),
        Constraint::Length(11),
    ];

    let (w, widths) = crate::tui::layout::table_columns(parts[0], &widths);
    let rows: Vec<Row<'_>> = d
        .stakeholders
        .iter()
        .map(|s| {
            Row::new(vec![
                Cell::from(fit(&terminal_safe(&s.name, true), w[0])),
                Cell::from(fit(&terminal_safe(&s.role, true), w[1])),
                Cell::from(fit(&terminal_safe(&s.department, true), w[2])),
                Cell::from(interviews.get(&s.id).copied().unwrap_or(0).to_string()),
                Cell::from(sourced.get(&s.id).map_or(0, Vec::len).to_string()),
                Cell::from(d.awaiting_of(s.id).to_string()),
            ])
        })
        .collect();
    let header = Row::new(["Name", "Role", "Department", "Interviews", "Reqs", "Unconfirmed"]).style(theme.dim());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Stakeholders ({}) ", d.stakeholders.len()), theme.title()));
    let empty = rows.is_empty();
    let table = Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected());
    let mut state = TableState::default().with_selected((!empty).then_some(selected));
    frame.render_stateful_widget(table, parts[0], &mut state);
    if empty {
        let inner = Rect { x: parts[0].x + 2, y: parts[0].y + 2, width: parts[0].width.saturating_sub(4), height: 1 };
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("No stakeholders yet. Press {} to add one.", keys_for(Mode::Stakeholders, Action::New)),
                theme.dim(),
            )),
            inner,
        );
    }
    let mut lines = Vec::new();
    for dept in departments(d) {
        let (mark, style) = if dept.interviewed > 0 { ("✓", theme.ok()) } else { ("✗ not heard", theme.gap()) };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(terminal_safe(&dept.department, true)),
            Span::styled(
                format!("  {}/{} interviewed · {} reqs", dept.interviewed, dept.stakeholders, dept.requirements),
                theme.dim(),
            ),
        ]));
    }
    if lines.is_empty() {
        let said = "No departments yet: those of the stakeholders (and any expected) show here.";
        lines.push(Line::styled(fit(said, usize::from(parts[1].width.saturating_sub(2))), theme.dim()));
    }
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" Departments heard from ", theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block), parts[1]);
}
