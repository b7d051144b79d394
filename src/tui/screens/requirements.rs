//! Requirements screen: the virtualised, sortable, fuzzy-filtered table and the detail pane.

use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::domain::*;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, Pending};
use crate::tui::data::pattern;
use crate::tui::theme::Theme;

impl App {
    pub(crate) fn requirements_action(&mut self, action: Action) {
        let page = self.page_rows() as isize;
        match action {
            Action::Up => self.reqs.move_by(-1),
            Action::Down => self.reqs.move_by(1),
            Action::PageUp => self.reqs.move_by(-page),
            Action::PageDown => self.reqs.move_by(page),
            Action::First => self.reqs.selected = 0,
            Action::Last => self.reqs.selected = self.reqs.visible.len().saturating_sub(1),
            Action::Filter => self.filtering = true,
            Action::Back if !self.reqs.filter.is_empty() => {
                self.reqs.filter.clear();
                if let Some(d) = &self.data {
                    self.reqs.apply(d, None);
                }
            }
            Action::SortNext | Action::SortReverse => {
                if action == Action::SortNext {
                    self.reqs.sort = self.reqs.sort.next();
                } else {
                    self.reqs.reverse = !self.reqs.reverse;
                }
                if let Some(d) = &self.data {
                    self.reqs.apply(d, None);
                }
                // A new order starts at its top, where the reader looks.
                self.reqs.selected = 0;
                let dir = if self.reqs.reverse { "descending" } else { "ascending" };
                self.info(format!("Sorted by {} ({dir})", self.reqs.sort.label()));
            }
            Action::New => self.open_requirement_form(None, None),
            Action::Edit | Action::Open => {
                if let Some(id) = self.selected_requirement() {
                    self.open_requirement_form(Some(id), None);
                }
            }
            Action::Delete => {
                if let (Some(d), Some(row)) = (&self.data, self.data.as_ref().and_then(|d| self.reqs.selected_row(d))) {
                    let message =
                        format!("Delete {} \"{}\"? (u undoes)", d.human_id(row.seq), terminal_safe(&row.title, true));
                    self.overlays.push(Overlay::Confirm { message, pending: Pending::DeleteRequirement(row.id) });
                }
            }
            Action::CycleStatus | Action::RaisePriority | Action::LowerPriority => {
                let Some(row) = self.data.as_ref().and_then(|d| self.reqs.selected_row(d)).cloned() else { return };
                let patch = match action {
                    Action::CycleStatus => RequirementPatch { status: Some(row.status.next()), ..Default::default() },
                    Action::RaisePriority => {
                        RequirementPatch { priority: Some(row.priority.raised()), ..Default::default() }
                    }
                    _ => RequirementPatch { priority: Some(row.priority.lowered()), ..Default::default() },
                };
                self.patch_requirement(row.id, patch);
            }
            _ => {}
        }
    }

    /// Saves a small change to one requirement and reports it.
    pub(crate) fn patch_requirement(&mut self, id: RequirementId, patch: RequirementPatch) {
        match self.store.update_requirement(id, patch) {
            Ok(r) => {
                self.refresh_requirement(Some(id));
                if let Some(d) = &self.data {
                    let msg = format!("{}: {} · {}", d.human_id(r.seq), r.priority, r.status);
                    self.info(msg);
                }
            }
            Err(e) => self.error(e),
        }
    }

    pub fn selected_requirement(&self) -> Option<RequirementId> {
        self.data.as_ref().and_then(|d| self.reqs.selected_row(d)).map(|r| r.id)
    }

    /// Rows in one page of the table at the current terminal size.
    pub(crate) fn page_rows(&self) -> usize {
        usize::from(crate::tui::ui::layout(Rect::new(0, 0, self.size.0, self.size.1)).body.height.saturating_sub(3))
            .max(1)
    }
}

/// Draws the Requirements screen.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(d) = &app.data else { return };
    let wide = area.width >= 110;
    let parts = if wide {
        Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(62), Constraint::Percentage(38)])
            .split(area)
    } else {
        Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Min(5), Constraint::Length(7)])
            .split(area)
    };
    draw_table(frame, parts[0], app, theme);
    draw_detail(frame, parts[1], app, theme, d);
}

fn draw_table(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(d) = &app.data else { return };
    let r = &app.reqs;
    let arrow = if r.reverse { "↓" } else { "↑" };
    let filter = if app.filtering || !r.filter.is_empty() {
        format!(" filter: {}{} ", terminal_safe(&r.filter, true), if app.filtering { "▏" } else { "" })
    } else {
        String::new()
    };
    let loading = if d.complete { String::new() } else { " (loading the rest…)".to_owned() };
    let title = format!(" {} of {}{loading} · sort {}{arrow}{filter}", r.visible.len(), d.rows.len(), r.sort.label());
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme.title()));
    let inner_height = usize::from(area.height.saturating_sub(3));
    let start = r.window_start(inner_height);
    let end = (start + inner_height).min(r.visible.len());
    let pat = (!r.filter.trim().is_empty()).then(|| pattern(r.filter.trim()));
    // The outcome column earns its place only where the title still has room; the detail pane lists them.
    let show_outcome = area.width >= 90;
    let mut matcher = Matcher::new(Config::DEFAULT);
    let rows: Vec<Row<'_>> = r.visible[start..end]
        .iter()
        .map(|&i| {
            let row = &d.rows[i];
            let mut marks = String::new();
            if row.moment_of_truth {
                marks.push('★');
            }
            if row.pain_point {
                marks.push('!');
            }
            let title = highlighted(&row.title, pat.as_ref(), &mut matcher, theme);
            let outcome = d.outcome(row.outcome).map(|o| {
                let more = if row.outcome_count > 1 { format!(" +{}", row.outcome_count - 1) } else { String::new() };
                format!("{}{more}", terminal_safe(&o.statement, true))
            });
            let mut cells = vec![
                Cell::from(d.human_id(row.seq)),
                Cell::from(title),
                Cell::from(marks),
                Cell::from(d.stage(row.stage).map(|s| terminal_safe(&s.name, true)).unwrap_or_else(|| "-".into())),
            ];
            if show_outcome {
                cells.push(Cell::from(outcome.unwrap_or_else(|| "-".into())));
            }
            cells.push(Cell::from(row.priority.to_string()));
            cells.push(Cell::from(row.status.to_string()));
            Row::new(cells)
        })
        .collect();
    let mut header = vec!["ID", "Title", "", "Stage"];
    let mut widths = vec![Constraint::Length(8), Constraint::Fill(3), Constraint::Length(2), Constraint::Length(12)];
    if show_outcome {
        header.push("Outcome");
        widths.push(Constraint::Fill(1));
    }
    header.extend(["Priority", "Status"]);
    widths.extend([Constraint::Length(8), Constraint::Length(11)]);
    let header = Row::new(header).style(theme.dim());
    let empty = rows.is_empty();
    let table =
        Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected()).column_spacing(1);
    let mut state = TableState::default().with_selected((!r.visible.is_empty()).then(|| r.selected - start));
    frame.render_stateful_widget(table, area, &mut state);
    if empty {
        let msg = if d.rows.is_empty() {
            "No requirements yet. Press n to add one."
        } else {
            "Nothing matches the filter. Esc clears it."
        };
        let inner = Rect { x: area.x + 2, y: area.y + 2, width: area.width.saturating_sub(4), height: 1 };
        frame.render_widget(Paragraph::new(Span::styled(msg, theme.dim())), inner);
    }
}

/// The title with the filter's matched characters emphasised.
fn highlighted<'a>(
    text: &str,
    pat: Option<&nucleo_matcher::pattern::Pattern>,
    matcher: &mut Matcher,
    theme: &Theme,
) -> Line<'a> {
    let safe = terminal_safe(text, true);
    let Some(pat) = pat else { return Line::raw(safe) };
    let mut buf = Vec::new();
    let mut indices = Vec::new();
    pat.indices(Utf32Str::new(&safe, &mut buf), matcher, &mut indices);
    if indices.is_empty() {
        return Line::raw(safe);
    }
    indices.sort_unstable();
    let spans: Vec<Span<'a>> = safe
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if indices.binary_search(&(i as u32)).is_ok() {
                Span::styled(c.to_string(), theme.matched())
            } else {
                Span::raw(c.to_string())
            }
        })
        .collect();
    Line::from(spans)
}

fn draw_detail(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme, d: &crate::tui::data::ProjectData) {
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" Detail ", theme.title()));
    let Some(row) = app.reqs.selected_row(d) else {
        frame.render_widget(block, area);
        return;
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", d.human_id(row.seq)), theme.key()),
        Span::styled(terminal_safe(&row.title, true), theme.title()),
    ])];
    let stage = d.stage(row.stage).map(|s| terminal_safe(&s.name, true)).unwrap_or_else(|| "no stage".into());
    let mut facts = format!("{} · {} · {stage}", row.priority, row.status);
    if row.moment_of_truth {
        facts.push_str(" · ★ moment of truth");
    }
    if row.pain_point {
        facts.push_str(" · ! pain point");
    }
    lines.push(Line::styled(facts, theme.dim()));
    let outcomes: Vec<String> = d
        .outcome_links
        .iter()
        .filter(|(r, _)| *r == row.id)
        .filter_map(|(_, o)| d.outcome(Some(*o)).map(|o| terminal_safe(&o.statement, true)))
        .collect();
    if !outcomes.is_empty() {
        lines.push(Line::from(vec![Span::styled("Outcomes: ", theme.dim()), Span::raw(outcomes.join("; "))]));
    }
    let sources: Vec<String> = d
        .source_links
        .iter()
        .filter(|(r, _)| *r == row.id)
        .filter_map(|(_, s)| d.stakeholders.iter().find(|x| x.id == *s).map(|x| terminal_safe(&x.name, true)))
        .collect();
    if !sources.is_empty() {
        lines.push(Line::from(vec![Span::styled("Asked by: ", theme.dim()), Span::raw(sources.join(", "))]));
    }
    if !row.statement.is_empty() {
        lines.push(Line::raw(""));
        for l in terminal_safe(&row.statement, false).lines() {
            lines.push(Line::raw(l.to_owned()));
        }
    }
    // The long fields come from the full record the app fetched for this selection.
    if let Some(full) = app.detail.as_ref().filter(|r| r.id == row.id) {
        for (label, text) in [("Acceptance", &full.acceptance), ("Rationale", &full.rationale), ("Quote", &full.quote)]
        {
            if !text.is_empty() {
                lines.push(Line::raw(""));
                lines.push(Line::styled(label, theme.dim()));
                for l in terminal_safe(text, false).lines() {
                    lines.push(Line::raw(l.to_owned()));
                }
            }
        }
        if !full.tags.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("Tags: ", theme.dim()),
                Span::raw(terminal_safe(&full.tags.join(", "), true)),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
