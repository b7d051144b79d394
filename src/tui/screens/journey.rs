//! Journey screen: stages as columns of requirement cards, and the stage x outcome traceability matrix.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, List, ListItem, ListState, Paragraph, Row, Table};

use crate::domain::*;
use crate::tui::action::Action;
use crate::tui::component::{Component, Ctx, Effect, View, patch_requirement};
use crate::tui::data::ProjectData;
use crate::tui::forms;
use crate::tui::keymap::{Mode, keys_for};
use crate::tui::message::{Choice, Purpose};
use crate::tui::overlays::RequirementList;
use crate::tui::picker::Picker;
use crate::tui::theme::Theme;

/// The Journey screen: where the cursor is on the board and in the matrix.
#[derive(Debug, Clone, Default)]
pub struct JourneyScreen {
    pub matrix: bool,
    pub column: usize,
    pub card: usize,
    /// (outcome row, stage column) in the matrix.
    pub cell: (usize, usize),
    /// What the cursor follows once the data is refreshed after a change made here.
    follow: Option<Follow>,
}

/// What the cursor goes to after a move.
#[derive(Debug, Clone, Copy)]
enum Follow {
    /// The card just moved, in whichever column it is now.
    Card(RequirementId),
    /// The stage just moved, wherever it now stands.
    Stage(StageId),
}

/// Minimum width of a board column.
const COLUMN_WIDTH: u16 = 24;

impl JourneyScreen {
    fn clamp(&mut self, d: &ProjectData) {
        let cols = columns(d);
        self.column = self.column.min(cols.len().saturating_sub(1));
        let n = cards(d, cols.get(self.column).copied().flatten()).len();
        self.card = self.card.min(n.saturating_sub(1));
        self.cell.0 = self.cell.0.min(d.outcomes.len());
        self.cell.1 = self.cell.1.min(d.stages.len());
    }
}

/// Board columns: every stage in order, plus "No stage" when some requirement has none.
pub fn columns(d: &ProjectData) -> Vec<Option<StageId>> {
    let mut cols: Vec<Option<StageId>> = d.stages.iter().map(|s| Some(s.id)).collect();
    if d.rows.iter().any(|r| d.stage(r.stage).is_none()) || cols.is_empty() {
        cols.push(None);
    }
    cols
}

/// Indices of the rows in a column.
pub fn cards(d: &ProjectData, stage: Option<StageId>) -> Vec<usize> {
    (0..d.rows.len())
        .filter(|&i| match stage {
            Some(s) => d.rows[i].stage == Some(s),
            None => d.stage(d.rows[i].stage).is_none(),
        })
        .collect()
}

/// Requirements per (stage, outcome) cell; `None` outcome means "no outcome linked".
pub fn matrix(d: &ProjectData) -> HashMap<(Option<StageId>, Option<OutcomeId>), Vec<RequirementId>> {
    let stage_of: HashMap<RequirementId, Option<StageId>> =
        d.rows.iter().map(|r| (r.id, d.stage(r.stage).map(|s| s.id))).collect();
    let mut cells: HashMap<(Option<StageId>, Option<OutcomeId>), Vec<RequirementId>> = HashMap::new();
    let mut linked = std::collections::HashSet::new();
    for (r, o) in &d.outcome_links {
        if let Some(stage) = stage_of.get(r) {
            cells.entry((*stage, Some(*o))).or_default().push(*r);
            linked.insert(*r);
        }
    }
    for r in &d.rows {
        if !linked.contains(&r.id) {
            cells.entry((stage_of[&r.id], None)).or_default().push(r.id);
        }
    }
    cells
}

impl Component for JourneyScreen {
    fn mode(&self) -> Mode {
        if self.matrix { Mode::Matrix } else { Mode::Journey }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        if action == Action::ToggleMatrix {
            self.matrix = !self.matrix;
            return Effect::None;
        }
        if self.matrix { self.matrix_action(ctx.data, action) } else { self.board_action(ctx, action) }
    }

    fn picked(&mut self, ctx: &mut Ctx<'_>, purpose: Purpose, choices: Vec<Choice>) -> Effect {
        let Purpose::StageDeleteTarget(stage) = purpose else { return Effect::None };
        let Some(target) = choices.first() else { return Effect::None };
        match ctx.store.delete_stage(stage, target.stage()) {
            Ok(n) => Effect::Then(vec![
                Effect::Reload,
                Effect::Info(format!(
                    "Stage deleted; {n} requirement(s) moved. Press {} to undo.",
                    keys_for(Mode::Global, Action::Undo)
                )),
            ]),
            Err(e) => Effect::error(e),
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(frame, area, self, view.data, view.theme);
    }

    fn data_changed(&mut self, d: &ProjectData) {
        match self.follow.take() {
            Some(Follow::Card(id)) => {
                if let Some(row) = d.rows.iter().find(|r| r.id == id) {
                    let stage = d.stage(row.stage).map(|s| s.id);
                    if let Some(c) = columns(d).iter().position(|c| *c == stage) {
                        self.column = c;
                    }
                    self.card = cards(d, stage).iter().position(|&i| d.rows[i].id == id).unwrap_or(0);
                }
            }
            Some(Follow::Stage(stage)) => self.column = d.stages.iter().position(|s| s.id == stage).unwrap_or(0),
            None => {}
        }
        self.clamp(d);
    }

    fn click(&mut self, d: &ProjectData, body: Rect, x: u16, y: u16) {
        if self.matrix {
            return;
        }
        let cols = columns(d);
        let shown = usize::from((body.width / COLUMN_WIDTH).max(1)).min(cols.len().max(1));
        let first = first_column(self.column, shown);
        let width = body.width / shown as u16;
        let col = first + usize::from((x - body.x) / width.max(1));
        if col < cols.len() {
            self.column = col;
            let n = cards(d, cols[col]).len();
            self.card = usize::from(y.saturating_sub(body.y + 1) / 3).min(n.saturating_sub(1));
        }
    }
}

impl JourneyScreen {
    fn board_action(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        let d = ctx.data;
        let cols = columns(d);
        let stage = cols.get(self.column).copied().flatten();
        let in_col = cards(d, stage);
        let current_row = in_col.get(self.card).map(|&i| &d.rows[i]);
        let current = current_row.map(|r| r.id);
        let last_card = in_col.len().saturating_sub(1);
        match action {
            Action::Left => {
                self.column = self.column.saturating_sub(1);
                self.card = 0;
            }
            Action::Right => {
                self.column = (self.column + 1).min(cols.len().saturating_sub(1));
                self.card = 0;
            }
            Action::Up => self.card = self.card.saturating_sub(1),
            Action::Down => self.card = (self.card + 1).min(last_card),
            Action::First => self.card = 0,
            Action::Last => self.card = last_card,
            Action::PageUp => self.card = self.card.saturating_sub(5),
            Action::PageDown => self.card = (self.card + 5).min(last_card),
            Action::MoveToPrevStage | Action::MoveToNextStage => {
                let Some((id, version)) = current_row.map(|r| (r.id, r.version)) else { return Effect::None };
                let target = if action == Action::MoveToPrevStage {
                    self.column.checked_sub(1)
                } else {
                    Some(self.column + 1).filter(|c| *c < cols.len())
                };
                let Some(target) = target else {
                    let end = if action == Action::MoveToPrevStage { "first" } else { "last" };
                    return Effect::Info(format!("Already in the {end} column."));
                };
                let to = cols[target];
                let name = d.stage(to).map_or("no stage".to_owned(), |s| s.name.clone());
                let patch = RequirementPatch { stage: Some(to), ..Default::default() };
                self.follow = Some(Follow::Card(id));
                let key = d.project.key.clone();
                return patch_requirement(ctx, id, Some(version), patch, move |r| {
                    format!("Moved {} to {}", human_id(&key, r.seq), terminal_safe(&name, true))
                });
            }
            Action::StageEarlier | Action::StageLater => {
                let Some(stage) = stage else { return Effect::None };
                let delta = if action == Action::StageEarlier { -1 } else { 1 };
                return match ctx.store.move_stage(stage, delta) {
                    Ok(()) => {
                        self.follow = Some(Follow::Stage(stage));
                        Effect::Refresh(None)
                    }
                    Err(e) => Effect::error(e),
                };
            }
            Action::AddStage => return forms::stage_form(None),
            Action::RenameStage => {
                return d.stage(stage).map_or(Effect::None, |s| forms::stage_form(Some(s)));
            }
            Action::DeleteStage => {
                let Some(s) = d.stage(stage) else { return Effect::None };
                let mut items = vec![(Choice::NoStage, "(no stage)".to_owned())];
                items.extend(d.stages.iter().filter(|o| o.id != s.id).map(|o| (Choice::Stage(o.id), o.name.clone())));
                let title = format!("Delete stage {}: move its {} requirement(s) to", s.name, in_col.len());
                return Picker::new(title, items, false, Vec::new(), Purpose::StageDeleteTarget(s.id)).open();
            }
            Action::New => return forms::open_requirement_form(ctx, None, stage),
            Action::Edit | Action::Open => {
                if let Some(id) = current {
                    return forms::open_requirement_form(ctx, Some(id), None);
                }
            }
            _ => {}
        }
        Effect::None
    }

    fn matrix_action(&mut self, d: &ProjectData, action: Action) -> Effect {
        let (rows, cols) = (d.outcomes.len() + 1, d.stages.len() + 1);
        let (r, c) = &mut self.cell;
        match action {
            Action::Up => *r = r.saturating_sub(1),
            Action::Down => *r = (*r + 1).min(rows - 1),
            Action::Left => *c = c.saturating_sub(1),
            Action::Right => *c = (*c + 1).min(cols - 1),
            Action::First => *r = 0,
            Action::Last => *r = rows - 1,
            Action::Open => {
                let stage = d.stages.get(*c).map(|s| s.id);
                let outcome = d.outcomes.get(*r).map(|o| o.id);
                let items = matrix(d).remove(&(stage, outcome)).unwrap_or_default();
                let title = format!(
                    "{} × {}",
                    d.stage(stage).map_or("No stage", |s| s.name.as_str()),
                    d.outcome(outcome).map_or("No outcome", |o| o.statement.as_str())
                );
                return Effect::Push(RequirementList::new(title, items));
            }
            _ => {}
        }
        Effect::None
    }
}

/// Word-wraps `text` into at most two lines of `width` columns, ending in "…" when cut.
fn two_lines(text: &str, width: usize) -> (String, String) {
    let mut lines = [String::new(), String::new()];
    let mut line = 0;
    for word in text.split_whitespace() {
        let len = text_width(&lines[line]);
        let fits = len + usize::from(len > 0) + text_width(word) <= width;
        if !fits && len > 0 && line == 0 {
            line = 1;
        }
        let len = text_width(&lines[line]);
        if len + usize::from(len > 0) + text_width(word) > width {
            if len > 0 {
                lines[line].push(' ');
            }
            lines[line].push_str(word);
            lines[line] = fit(&lines[line], width);
            break;
        }
        if len > 0 {
            lines[line].push(' ');
        }
        lines[line].push_str(word);
    }
    let [a, b] = lines;
    (a, b)
}

fn first_column(selected: usize, shown: usize) -> usize {
    selected.saturating_sub(shown.saturating_sub(1))
}

/// Draws the board or the matrix.
fn draw(frame: &mut Frame<'_>, area: Rect, journey: &JourneyScreen, d: &ProjectData, theme: &Theme) {
    if journey.matrix {
        draw_matrix(frame, area, journey, d, theme);
    } else {
        draw_board(frame, area, journey, d, theme);
    }
}

fn draw_board(frame: &mut Frame<'_>, area: Rect, journey: &JourneyScreen, d: &ProjectData, theme: &Theme) {
    let cols = columns(d);
    let shown = usize::from((area.width / COLUMN_WIDTH).max(1)).min(cols.len().max(1));
    let first = first_column(journey.column, shown);
    let width = area.width / shown as u16;
    for (slot, col) in cols.iter().enumerate().skip(first).take(shown) {
        let x = area.x + (slot - first) as u16 * width;
        let rect = Rect {
            x,
            y: area.y,
            width: if slot - first == shown - 1 { area.right() - x } else { width },
            height: area.height,
        };
        let selected_col = slot == journey.column;
        let in_col = cards(d, *col);
        let name = d.stage(*col).map_or("No stage".to_owned(), |s| terminal_safe(&s.name, true));
        let mots = in_col.iter().filter(|&&i| d.rows[i].moment_of_truth).count();
        let mut title = format!(" {name} ({})", in_col.len());
        if mots > 0 {
            title.push_str(&format!(" ★{mots}"));
        }
        title.push(' ');
        let border = if selected_col { theme.focus_border() } else { theme.dim() };
        let more_left = if slot == first && first > 0 { "◀ " } else { "" };
        let more_right = if slot == first + shown - 1 && first + shown < cols.len() { " ▶" } else { "" };
        let block = Block::default().borders(Borders::ALL).border_style(border).title(Span::styled(
            format!("{more_left}{title}{more_right}"),
            if selected_col { theme.title() } else { theme.base() },
        ));
        let inner_w = usize::from(rect.width.saturating_sub(2));
        let items: Vec<ListItem<'_>> = in_col
            .iter()
            .map(|&i| {
                let r = &d.rows[i];
                let mut head =
                    vec![Span::styled(d.human_id(r.seq), theme.key()), Span::raw(format!(" {}", r.priority))];
                if r.moment_of_truth {
                    head.push(Span::styled(" ★", theme.warn()));
                }
                if r.pain_point {
                    head.push(Span::styled(" !", theme.error()));
                }
                // Two lines of title; a card is always three rows so clicks can find it.
                let (first, second) = two_lines(&terminal_safe(&r.title, true), inner_w);
                ListItem::new(vec![Line::from(head), Line::raw(first), Line::styled(second, theme.base())])
            })
            .collect();
        let empty = items.is_empty();
        let mut state = ListState::default().with_selected(selected_col.then_some(journey.card).filter(|_| !empty));
        let list = List::new(items).block(block).highlight_style(theme.selected());
        frame.render_stateful_widget(list, rect, &mut state);
        if empty && rect.height > 2 {
            let inner = Rect { x: rect.x + 1, y: rect.y + 1, width: rect.width.saturating_sub(2), height: 1 };
            frame.render_widget(Paragraph::new(Span::styled("(none yet)", theme.gap())), inner);
        }
    }
}

fn draw_matrix(frame: &mut Frame<'_>, area: Rect, journey: &JourneyScreen, d: &ProjectData, theme: &Theme) {
    let cells = matrix(d);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Traceability: outcomes × journey stages (empty cells are gaps) ", theme.title()));
    let label_w: u16 = 30;
    let ncols = d.stages.len() + 1;
    let col_w = ((area.width.saturating_sub(label_w + 3)) / ncols as u16).clamp(4, 14);
    let mut header = vec![Cell::from("")];
    for (i, s) in d.stages.iter().enumerate() {
        let style = if i == journey.cell.1 { theme.key() } else { theme.dim() };
        let name = fit(&terminal_safe(&s.name, true), usize::from(col_w));
        header.push(Cell::from(Span::styled(name, style)));
    }
    header.push(Cell::from(Span::styled("No stage", theme.dim())));
    let mut rows = Vec::new();
    let outcomes: Vec<Option<&Outcome>> = d.outcomes.iter().map(Some).chain(std::iter::once(None)).collect();
    for (ri, o) in outcomes.iter().enumerate() {
        let label = o.map_or("No outcome linked".to_owned(), |o| terminal_safe(&o.statement, true));
        let total: usize = cells.iter().filter(|((_, oo), _)| *oo == o.map(|o| o.id)).map(|(_, v)| v.len()).sum();
        let label_style = if total == 0 && o.is_some() { theme.gap() } else { theme.base() };
        let mut cols = vec![Cell::from(Span::styled(label, label_style))];
        let stage_ids: Vec<Option<StageId>> =
            d.stages.iter().map(|s| Some(s.id)).chain(std::iter::once(None)).collect();
        for (ci, s) in stage_ids.iter().enumerate() {
            let n = cells.get(&(*s, o.map(|o| o.id))).map_or(0, Vec::len);
            let selected = (ri, ci) == journey.cell;
            let (text, style) = if n == 0 {
                ("·".to_owned(), if o.is_some() && s.is_some() { theme.gap() } else { theme.dim() })
            } else {
                (n.to_string(), theme.base())
            };
            let style = if selected { theme.selected() } else { style };
            cols.push(Cell::from(Span::styled(format!("{text:>3}"), style)));
        }
        rows.push(Row::new(cols));
    }
    let mut widths = vec![Constraint::Length(label_w)];
    widths.extend(std::iter::repeat_n(Constraint::Length(col_w), ncols));
    let table = Table::new(rows, widths).header(Row::new(header)).block(block).column_spacing(1);
    // The state only scrolls the selected outcome into view; the selected cell has its own style.
    let mut state = ratatui::widgets::TableState::default().with_selected(Some(journey.cell.0));
    frame.render_stateful_widget(table, area, &mut state);
}

#[cfg(test)]
mod tests {
    use super::two_lines;

    #[test]
    fn card_titles_wrap_on_words_and_mark_cuts() {
        assert_eq!(
            two_lines("Keep the basket after a declined card", 16),
            ("Keep the basket".into(), "after a decline…".into())
        );
        assert_eq!(two_lines("Short", 16), ("Short".into(), String::new()));
        let (a, b) = two_lines("Supercalifragilistic expialidocious words", 8);
        assert!(a.chars().count() <= 8 && b.chars().count() <= 8, "{a:?} {b:?}");
        let (a, b) = two_lines("注文を確認する 配送先を選ぶ 支払う", 8);
        assert!(crate::domain::text_width(&a) <= 8 && crate::domain::text_width(&b) <= 8, "{a:?} {b:?}");
    }
}
