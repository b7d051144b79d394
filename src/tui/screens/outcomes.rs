//! Outcomes screen: measurable customer outcomes with how many requirements move each.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use crate::domain::*;
use crate::tui::action::Action;
use crate::tui::component::{Component, Ctx, Effect, Selection, View};
use crate::tui::data::ProjectData;
use crate::tui::forms;
use crate::tui::keymap::{Mode, keys_for};
use crate::tui::message::Question;
use crate::tui::overlays::{Confirm, RequirementList};
use crate::tui::theme::Theme;

fn num(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v}"))
}

/// The Outcomes screen: the selected outcome is its only state.
#[derive(Debug, Clone, Default)]
pub struct OutcomesScreen {
    pub selection: Selection,
}

impl Component for OutcomesScreen {
    fn mode(&self) -> Mode {
        Mode::Outcomes
    }

    fn update(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        let d = ctx.data;
        if self.selection.apply(action, d.outcomes.len()) {
            return Effect::None;
        }
        let current = d.outcomes.get(self.selection.index);
        match (action, current) {
            (Action::New, _) => forms::outcome_form(None),
            (Action::Edit, Some(o)) => forms::outcome_form(Some(o)),
            (Action::Delete, Some(o)) => {
                let linked = d.outcome_links.iter().filter(|(_, x)| *x == o.id).count();
                let message = format!(
                    "Delete outcome \"{}\"? {linked} requirement(s) lose this link. ({} undoes)",
                    terminal_safe(&o.statement, true),
                    keys_for(Mode::Global, Action::Undo)
                );
                Effect::Push(Confirm::new(message, Question::DeleteOutcome(o.id)))
            }
            (Action::Open, Some(o)) => {
                let items = d.requirements_per_outcome().remove(&o.id).unwrap_or_default();
                Effect::Push(RequirementList::new(format!("Requirements moving: {}", o.statement), items))
            }
            _ => Effect::None,
        }
    }

    fn answered(&mut self, ctx: &mut Ctx<'_>, question: Question, yes: bool) -> Effect {
        let Question::DeleteOutcome(id) = question else { return Effect::None };
        if !yes {
            return Effect::None;
        }
        match ctx.store.delete_outcome(id) {
            Ok(()) => Effect::Then(vec![
                Effect::Reload,
                Effect::Info(format!("Outcome deleted. Press {} to undo.", keys_for(Mode::Global, Action::Undo))),
            ]),
            Err(e) => Effect::error(e),
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(frame, area, view.data, self.selection.index, view.theme);
    }

    fn data_changed(&mut self, data: &ProjectData) {
        self.selection.clamp(data.outcomes.len());
    }

    fn click(&mut self, data: &ProjectData, area: Rect, _x: u16, y: u16) {
        self.selection.click(area, y, data.outcomes.len());
    }
}

fn draw(frame: &mut Frame<'_>, area: Rect, d: &ProjectData, selected: usize, theme: &Theme) {
    let widths = [
        Constraint::Length(3),
        Constraint::Min(20),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(12),
    ];
    let (w, widths) = crate::tui::layout::table_columns(area, &widths);
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
                Cell::from(fit(&terminal_safe(&o.statement, true), w[1])),
                Cell::from(o.metric.to_string()),
                Cell::from(fit(&num(o.baseline), w[3])),
                Cell::from(fit(&num(o.target), w[4])),
                Cell::from(fit(&terminal_safe(&o.unit, true), w[5])),
                Cell::from(count),
            ])
        })
        .collect();
    let header = Row::new(["#", "Outcome", "Metric", "Baseline", "Target", "Unit", "Requirements"]).style(theme.dim());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Customer outcomes ({}) ", d.outcomes.len()), theme.title()));
    let empty = rows.is_empty();
    let table = Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected());
    let mut state = TableState::default().with_selected((!empty).then_some(selected));
    frame.render_stateful_widget(table, area, &mut state);
    if empty {
        let inner = Rect { x: area.x + 2, y: area.y + 2, width: area.width.saturating_sub(4), height: 1 };
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(
                    "No outcomes yet. Press {} to add a measurable customer outcome.",
                    keys_for(Mode::Outcomes, Action::New)
                ),
                theme.dim(),
            )),
            inner,
        );
    }
}
