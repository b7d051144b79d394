//! Requirements screen: the virtualised, sortable, fuzzy-filtered table and the detail pane.

use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::*;
use crate::store::Store;
use crate::tui::action::Action;
use crate::tui::bulk;
use crate::tui::component::{Component, Ctx, Effect, View, patch_requirement};
use crate::tui::data::{ProjectData, RequirementIndex, pattern};
use crate::tui::findings::Findings;
use crate::tui::forms;
use crate::tui::keymap::{Mode, keys_for};
use crate::tui::message::{Choice, Purpose, Question};
use crate::tui::overlays::{Confirm, History};
use crate::tui::picker::Picker;
use crate::tui::screens::narrow::{self, Facet};
use crate::tui::theme::Theme;
use std::collections::HashSet;

/// The Requirements screen: which rows show in which order, the selection, the filter being typed, and the
/// full record of the selected requirement for the detail pane.
#[derive(Default)]
pub struct RequirementsScreen {
    pub index: RequirementIndex,
    /// The filter has the keyboard.
    pub filtering: bool,
    /// The full record of the selected requirement (fetched when the selection moves or the data changes).
    pub detail: Option<Requirement>,
    /// What the quality lint says of it, the most serious first.
    pub findings: Vec<crate::analysis::lint::Finding>,
    /// The findings an analyst accepted on it, with the acceptance.
    pub accepted: Vec<(crate::analysis::lint::Finding, AcceptedFinding)>,
    /// Its acceptances as stored, to notice when they change.
    acceptances: Vec<AcceptedFinding>,
    /// Its statement's EARS pattern.
    pub ears: Option<crate::analysis::lint::Ears>,
    /// The requirement to keep selected when the rows are recomputed after a change.
    follow: Option<RequirementId>,
    /// The field filters on (see [`narrow`]).
    pub facets: Vec<Facet>,
    /// What the filter picker offered, by the index its choices carry.
    facet_menu: Vec<Facet>,
    /// The requirements the field filters keep, and the data they were worked out on.
    facet_ids: Option<HashSet<RequirementId>>,
    facet_basis: Option<(u64, usize)>,
    /// The requirements with quality findings, when only those are shown.
    findings_only: Option<HashSet<RequirementId>>,
    /// The rows marked for a bulk change or a sign-off.
    pub marked: HashSet<RequirementId>,
}

impl RequirementsScreen {
    /// The selected requirement, if any.
    pub fn selected(&self, d: &ProjectData) -> Option<RequirementId> {
        self.index.selected_row(d).map(|r| r.id)
    }

    /// Keeps `id` selected when the rows are recomputed next.
    pub fn follow(&mut self, id: RequirementId) {
        self.follow = Some(id);
    }

    /// Selects `id`, clearing a filter that hides it.
    pub fn show(&mut self, d: &ProjectData, id: RequirementId) {
        if !self.index.select(d, id) {
            self.clear_filters();
            self.index.apply(d, Some(id));
        }
    }

    /// Drops the text, field and findings filters; whether there was one.
    fn clear_filters(&mut self) -> bool {
        let had = !self.index.filter.is_empty() || !self.facets.is_empty() || self.findings_only.is_some();
        self.index.filter.clear();
        self.facets.clear();
        (self.facet_ids, self.facet_basis, self.findings_only) = (None, None, None);
        self.index.only = None;
        had
    }

    /// Shows only what every filter keeps (the field filters and the findings filter; the text filter
    /// applies within).
    fn narrow(&mut self, d: &ProjectData) {
        self.index.only = match (&self.facet_ids, &self.findings_only) {
            (None, None) => None,
            (Some(a), None) | (None, Some(a)) => Some(a.clone()),
            (Some(a), Some(b)) => Some(a.intersection(b).copied().collect()),
        };
        self.index.apply(d, None);
    }

    /// Works the field filters out again when the data they were worked out on changed.
    fn refresh_facets(&mut self, store: &Store, d: &ProjectData) -> Effect {
        let basis = (d.revision, d.confirmations.values().map(Vec::len).sum::<usize>());
        if self.facets.is_empty() || self.facet_basis == Some(basis) {
            return Effect::None;
        }
        match narrow::matching(store, d, &self.facets) {
            Ok(ids) => {
                self.facet_ids = ids;
                self.facet_basis = Some(basis);
                self.narrow(d);
                Effect::None
            }
            Err(e) => Effect::error(e),
        }
    }

    /// The requirements a bulk change or a sign-off acts on: the marked ones still in the project, else
    /// the selected one.
    pub fn targets(&self, d: &ProjectData) -> Vec<RequirementId> {
        let marked: Vec<RequirementId> = d.rows.iter().filter(|r| self.marked.contains(&r.id)).map(|r| r.id).collect();
        if marked.is_empty() { self.selected(d).into_iter().collect() } else { marked }
    }

    fn filter_picker(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        match narrow::menu(ctx.store, ctx.data) {
            Ok(menu) => {
                let (items, chosen) = narrow::picker_items(&menu, &self.facets, ctx.data);
                self.facet_menu = menu;
                let title = format!(
                    "Show only ({} picks several; values of one field: any of them)",
                    keys_for(Mode::Picker, Action::Toggle)
                );
                Picker::new(title, items, true, chosen, Purpose::ListFilter).open()
            }
            Err(e) => Effect::error(e),
        }
    }

    fn marks(&mut self, d: &ProjectData, action: Action) -> Effect {
        if action == Action::Select {
            let Some(id) = self.selected(d) else { return Effect::None };
            if !self.marked.remove(&id) {
                self.marked.insert(id);
            }
            self.index.move_by(1);
        } else {
            let shown: Vec<RequirementId> = self.index.visible.iter().map(|&i| d.rows[i].id).collect();
            if shown.iter().all(|id| self.marked.contains(id)) {
                for id in &shown {
                    self.marked.remove(id);
                }
            } else {
                self.marked.extend(shown);
            }
        }
        Effect::Info(format!(
            "{} marked: {} sets fields on them, {} records a sign-off.",
            self.marked.len(),
            keys_for(Mode::Requirements, Action::BulkSet),
            keys_for(Mode::Requirements, Action::SignOff)
        ))
    }

    /// Fetches the selected requirement's full record; re-read after every event, since an edit may have
    /// changed it (one indexed lookup).
    pub fn sync_detail(&mut self, store: &Store, d: &ProjectData) -> Effect {
        let refreshed = self.refresh_facets(store, d);
        if !matches!(refreshed, Effect::None) {
            return refreshed;
        }
        let Some(id) = self.selected(d) else {
            self.detail = None;
            return Effect::None;
        };
        match store.requirement(id).and_then(|r| Ok((store.accepted_findings(id)?, r))) {
            Ok((acceptances, r)) => {
                if self.detail.as_ref() != Some(&r) || self.acceptances != acceptances {
                    // What the quality lint says of it, the most serious first (worked out once per change).
                    self.findings = d.linter.lint_requirement(&r);
                    self.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
                    self.accepted = crate::analysis::lint::take_accepted(&mut self.findings, &acceptances);
                    self.acceptances = acceptances;
                    self.ears = Some(crate::analysis::lint::ears(&r.statement));
                }
                self.detail = Some(r);
                Effect::None
            }
            Err(e) => Effect::error(e),
        }
    }

    /// Moves the first row drawn just enough to show the selection in a table drawn in `area`.
    fn scroll(&mut self, area: Rect) {
        self.index.offset = self.index.window_start(table_rows(area));
    }

    fn apply_filter(&mut self, d: &ProjectData) {
        self.index.apply(d, None);
        self.index.selected = 0;
        self.index.offset = 0;
    }

    fn filter_action(&mut self, d: &ProjectData, action: Action) {
        match action {
            Action::Confirm => self.filtering = false,
            Action::Cancel => {
                self.filtering = false;
                self.index.filter.clear();
                self.index.apply(d, None);
            }
            Action::Up => self.index.move_by(-1),
            Action::Down => self.index.move_by(1),
            _ => {}
        }
    }

    fn browse_action(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        let d = ctx.data;
        let page = usize::from(ctx.area.height.saturating_sub(3)).max(1) as isize;
        match action {
            Action::Up => self.index.move_by(-1),
            Action::Down => self.index.move_by(1),
            Action::PageUp => self.index.move_by(-page),
            Action::PageDown => self.index.move_by(page),
            Action::First => self.index.selected = 0,
            Action::Last => self.index.selected = self.index.visible.len().saturating_sub(1),
            Action::Filter => self.filtering = true,
            Action::Back => {
                if self.clear_filters() {
                    self.index.apply(d, None);
                    return Effect::Info("Every requirement again.".into());
                }
                if !self.marked.is_empty() {
                    self.marked.clear();
                    return Effect::Info("Marks cleared.".into());
                }
            }
            Action::FilterFields => return self.filter_picker(ctx),
            Action::Select | Action::MarkAll => return self.marks(d, action),
            Action::BulkSet => return bulk::bulk_form(d, &self.targets(d)),
            Action::SignOff => return bulk::sign_off_form(d, &self.targets(d), None),
            Action::History => {
                if let Some(id) = self.selected(d) {
                    return History::open(ctx.store, d, id);
                }
            }
            Action::SortNext | Action::SortReverse => {
                if action == Action::SortNext {
                    self.index.sort = self.index.sort.next();
                } else {
                    self.index.reverse = !self.index.reverse;
                }
                self.index.apply(d, None);
                // A new order starts at its top, where the reader looks.
                self.index.selected = 0;
                let dir = if self.index.reverse { "descending" } else { "ascending" };
                return Effect::Info(format!("Sorted by {} ({dir})", self.index.sort.label()));
            }
            Action::Findings | Action::FilterFindings => return self.findings_action(ctx, action),
            Action::New => return forms::open_requirement_form(ctx, None, None),
            Action::Edit | Action::Open => {
                if let Some(id) = self.selected(d) {
                    return forms::open_requirement_form(ctx, Some(id), None);
                }
            }
            Action::Delete => {
                if let Some(row) = self.index.selected_row(d) {
                    let message = format!(
                        "Delete {} \"{}\"? ({} undoes)",
                        d.human_id(row.seq),
                        terminal_safe(&row.title, true),
                        keys_for(Mode::Global, Action::Undo)
                    );
                    return Effect::Push(Confirm::new(message, Question::DeleteRequirement(row.id)));
                }
            }
            Action::CycleStatus | Action::RaisePriority | Action::LowerPriority => {
                let Some(row) = self.index.selected_row(d) else { return Effect::None };
                let patch = match action {
                    Action::CycleStatus => RequirementPatch { status: Some(row.status.next()), ..Default::default() },
                    Action::RaisePriority => {
                        RequirementPatch { priority: Some(row.priority.raised()), ..Default::default() }
                    }
                    _ => RequirementPatch { priority: Some(row.priority.lowered()), ..Default::default() },
                };
                let key = d.project.key.clone();
                return patch_requirement(ctx, row.id, Some(row.version), patch, move |r| {
                    format!("{}: {} · {}", human_id(&key, r.seq), r.priority, r.status)
                });
            }
            _ => {}
        }
        Effect::None
    }
}

impl RequirementsScreen {
    /// The Findings view, or the filter to the requirements with findings; both need the assessment.
    fn findings_action(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        if action == Action::FilterFindings && self.findings_only.take().is_some() {
            self.narrow(ctx.data);
            return Effect::Info("Every requirement again (within the other filters).".into());
        }
        let Some(q) = ctx.quality else {
            return Effect::Info(if ctx.data.total > crate::tui::quality::ASSESS_AT_MOST {
                "A project this big is checked with `elicit lint`.".into()
            } else {
                "The quality is still being checked; try again in a moment.".into()
            });
        };
        if action == Action::Findings {
            return Effect::Push(Findings::new());
        }
        self.findings_only = Some(q.findings.keys().copied().collect());
        self.narrow(ctx.data);
        self.index.selected = 0;
        Effect::Info(format!(
            "Only the {} requirement(s) with findings; {} shows all again.",
            q.findings.len(),
            keys_for(Mode::Requirements, Action::FilterFindings)
        ))
    }

    /// A row was added to `d` (at the end when `appended`, else the rows were re-sorted).
    pub fn row_added(&mut self, d: &ProjectData, appended: bool) {
        if appended { self.index.appended(d) } else { self.index.apply(d, None) }
    }
}

impl Component for RequirementsScreen {
    fn mode(&self) -> Mode {
        if self.filtering { Mode::Filter } else { Mode::Requirements }
    }

    fn answered(&mut self, ctx: &mut Ctx<'_>, question: Question, yes: bool) -> Effect {
        let (Question::DeleteRequirement(id), true) = (question, yes) else { return Effect::None };
        let name = ctx.data.rows.iter().find(|r| r.id == id).map(|r| ctx.data.human_id(r.seq)).unwrap_or_default();
        match ctx.store.delete_requirement(id) {
            Ok(()) => Effect::Then(vec![
                Effect::Refresh(Some(id)),
                Effect::Info(format!("Deleted {name}. Press {} to undo.", keys_for(Mode::Global, Action::Undo))),
            ]),
            Err(e) => Effect::error(e),
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        let effect = if self.filtering {
            self.filter_action(ctx.data, action);
            Effect::None
        } else {
            self.browse_action(ctx, action)
        };
        self.scroll(ctx.area);
        effect
    }

    fn key(&mut self, ctx: &mut Ctx<'_>, key: &KeyEvent) -> Effect {
        if !self.filtering {
            return Effect::None;
        }
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() => {
                self.index.filter.push(c);
                self.apply_filter(ctx.data);
            }
            KeyCode::Backspace => {
                self.index.filter.pop();
                self.apply_filter(ctx.data);
            }
            _ => {}
        }
        Effect::None
    }

    fn paste(&mut self, ctx: &mut Ctx<'_>, text: &str) -> Effect {
        if self.filtering {
            self.index.filter.push_str(&clean_line(text));
            self.apply_filter(ctx.data);
        }
        Effect::None
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        let (table, detail) = parts(area);
        draw_table(frame, table, self, view.data, view.quality, view.theme);
        draw_detail(frame, detail, self, view.theme, view.data);
    }

    fn data_changed(&mut self, d: &ProjectData) {
        self.index.apply(d, self.follow.take());
    }

    fn picked(&mut self, ctx: &mut Ctx<'_>, purpose: Purpose, choices: Vec<Choice>) -> Effect {
        if purpose != Purpose::ListFilter {
            return Effect::None;
        }
        self.facets = choices
            .iter()
            .filter_map(|c| match c {
                Choice::Facet(i) => self.facet_menu.get(*i as usize).cloned(),
                _ => None,
            })
            .collect();
        self.facet_basis = None;
        self.facet_ids = None;
        let effect = self.refresh_facets(ctx.store, ctx.data);
        if self.facets.is_empty() {
            self.narrow(ctx.data);
        }
        self.index.selected = 0;
        match effect {
            Effect::None => Effect::Info(format!(
                "{} shown; {} clears every filter.",
                self.index.visible.len(),
                keys_for(Mode::Requirements, Action::Back)
            )),
            failed => failed,
        }
    }

    fn click(&mut self, _d: &ProjectData, body: Rect, _x: u16, y: u16) {
        // Tables draw a border and a header row before the first data row.
        if y >= body.y + 2 {
            let target = self.index.window_start(table_rows(body)) + usize::from(y - body.y - 2);
            if target < self.index.visible.len() {
                self.index.selected = target;
                self.scroll(body);
            }
        }
    }
}

/// The table's and the detail pane's areas in the screen's `area`.
fn parts(area: Rect) -> (Rect, Rect) {
    let parts = if area.width >= 110 {
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
    (parts[0], parts[1])
}

/// Data rows the table shows in the screen's `area` (inside its border, under its header).
fn table_rows(area: Rect) -> usize {
    usize::from(parts(area).0.height.saturating_sub(3))
}

fn draw_table(
    frame: &mut Frame<'_>,
    area: Rect,
    screen: &RequirementsScreen,
    d: &ProjectData,
    quality: Option<&crate::tui::quality::Quality>,
    theme: &Theme,
) {
    let r = &screen.index;
    let arrow = if r.reverse { "↓" } else { "↑" };
    let filter = if screen.filtering || !r.filter.is_empty() {
        format!(" filter: {}{} ", terminal_safe(&r.filter, true), if screen.filtering { "▏" } else { "" })
    } else {
        String::new()
    };
    let loading = if d.complete { String::new() } else { " (loading the rest…)".to_owned() };
    let loading = if screen.findings_only.is_some() { format!("{loading} · with findings") } else { loading };
    let facets: Vec<String> = screen.facets.iter().map(|f| terminal_safe(&f.label(d), true)).collect();
    let loading = if facets.is_empty() { loading } else { format!("{loading} · {}", facets.join(", ")) };
    let loading = match screen.marked.len() {
        0 => loading,
        n => format!("{loading} · {n} marked"),
    };
    let title = format!(" {} of {}{loading} · sort {}{arrow}{filter}", r.visible.len(), d.rows.len(), r.sort.label());
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme.title()));
    let inner_height = usize::from(area.height.saturating_sub(3));
    let start = r.window_start(inner_height);
    let end = (start + inner_height).min(r.visible.len());
    let pat = (!r.filter.trim().is_empty()).then(|| pattern(r.filter.trim()));
    // The outcome column earns its place only where the title still has room; the detail pane lists them.
    let show_outcome = area.width >= 90;
    // Rows are in id order, and ids are never reused: the last one is the longest, and the column fits it.
    let widest = d.rows.last().map_or(1, |r| r.seq).max(d.project.next_seq - 1);
    let id_width = text_width(&d.human_id(widest)).max(2) as u16;
    // How many quality findings each has (once the project is assessed), where there is room.
    let show_findings = area.width >= 60;
    let mut header = vec!["ID", "Title", "", "Stage"];
    let mut widths =
        vec![Constraint::Length(id_width), Constraint::Fill(3), Constraint::Length(3), Constraint::Length(12)];
    if show_findings {
        header.insert(3, "⚑");
        widths.insert(3, Constraint::Length(2));
    }
    if show_outcome {
        header.push("Outcome");
        widths.push(Constraint::Fill(1));
    }
    header.extend(["Priority", "Status"]);
    widths.extend([Constraint::Length(8), Constraint::Length(11)]);
    // The columns as the table will draw them, so every cell is cut to its column and marked "…".
    let (columns, widths) = crate::tui::layout::table_columns(area, &widths);
    let stage_at = if show_findings { 4 } else { 3 };
    let (title_w, stage_w) = (columns[1], columns[stage_at]);
    let outcome_w = if show_outcome { columns[stage_at + 1] } else { 0 };
    let mut matcher = Matcher::new(Config::DEFAULT);
    let rows: Vec<Row<'_>> = r.visible[start..end]
        .iter()
        .map(|&i| {
            let row = &d.rows[i];
            let mut marks = String::new();
            if screen.marked.contains(&row.id) {
                marks.push('●');
            }
            if row.moment_of_truth {
                marks.push('★');
            }
            if row.pain_point {
                marks.push('!');
            }
            let title = highlighted(&fit(&terminal_safe(&row.title, true), title_w), pat.as_ref(), &mut matcher, theme);
            let outcome = d.outcome(row.outcome).map(|o| {
                let more = if row.outcome_count > 1 { format!(" +{}", row.outcome_count - 1) } else { String::new() };
                // The count of further outcomes stays visible: the statement gives way first.
                let room = outcome_w.saturating_sub(text_width(&more));
                format!("{}{more}", fit(&terminal_safe(&o.statement, true), room))
            });
            let stage = d.stage(row.stage).map_or_else(|| "-".into(), |s| fit(&terminal_safe(&s.name, true), stage_w));
            let mut cells = vec![Cell::from(d.human_id(row.seq)), Cell::from(title), Cell::from(marks)];
            if show_findings {
                let n = quality.and_then(|q| q.findings.get(&row.id)).copied().unwrap_or(0);
                let shown = match n {
                    0 => String::new(),
                    n if n > 9 => "9+".into(),
                    n => n.to_string(),
                };
                cells.push(Cell::from(Span::styled(shown, theme.warn())));
            }
            cells.push(Cell::from(stage));
            if show_outcome {
                cells.push(Cell::from(outcome.unwrap_or_else(|| "-".into())));
            }
            cells.push(Cell::from(row.priority.to_string()));
            cells.push(Cell::from(row.status.to_string()));
            Row::new(cells)
        })
        .collect();
    let header = Row::new(header).style(theme.dim());
    let empty = rows.is_empty();
    let table =
        Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected()).column_spacing(1);
    let mut state = TableState::default().with_selected((!r.visible.is_empty()).then(|| r.selected - start));
    frame.render_stateful_widget(table, area, &mut state);
    if empty {
        let msg = if d.rows.is_empty() {
            format!("No requirements yet. Press {} to add one.", keys_for(Mode::Requirements, Action::New))
        } else {
            format!("Nothing matches the filter. {} clears it.", keys_for(Mode::Requirements, Action::Back))
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

fn draw_detail(frame: &mut Frame<'_>, area: Rect, screen: &RequirementsScreen, theme: &Theme, d: &ProjectData) {
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" Detail ", theme.title()));
    let Some(row) = screen.index.selected_row(d) else {
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
    // The long fields come from the full record the app fetched for this selection.
    if let Some(full) = screen.detail.as_ref().filter(|r| r.id == row.id) {
        if !full.statement.is_empty() {
            lines.push(Line::raw(""));
            for l in terminal_safe(&full.statement, false).lines() {
                lines.push(Line::raw(l.to_owned()));
            }
        }
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
        let sign_off = d.sign_off(row);
        let newest = sign_off.answers.iter().map(|a| a.at).max();
        let when = newest.map(|t| format!(" ({})", local_date(t))).unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled("Sign-off: ", theme.dim()),
            Span::styled(
                format!("{}{when}", terminal_safe(&sign_off.label(), true)),
                if sign_off.is_confirmed() { theme.ok() } else { theme.warn() },
            ),
        ]));
        if !full.tags.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("Tags: ", theme.dim()),
                Span::raw(terminal_safe(&full.tags.join(", "), true)),
            ]));
        }
        lines.push(Line::raw(""));
        let score = crate::analysis::lint::requirement_score(&screen.findings);
        lines.push(Line::from(vec![
            Span::styled(
                format!("Quality {score}/100"),
                if screen.findings.is_empty() { theme.ok() } else { theme.warn() },
            ),
            Span::styled(format!(" · EARS: {}", screen.ears.map_or("-", |e| e.as_str())), theme.dim()),
        ]));
        for f in &screen.findings {
            let at = if f.text.is_empty() { String::new() } else { format!(" \"{}\"", terminal_safe(&f.text, true)) };
            lines.push(Line::from(vec![
                Span::styled(format!("{} {}", f.severity.as_str(), f.field.as_str()), theme.dim()),
                Span::raw(format!("{at}: {} · {}", f.message, f.hint)),
            ]));
        }
        for (f, a) in &screen.accepted {
            let at = if f.text.is_empty() { String::new() } else { format!(" \"{}\"", terminal_safe(&f.text, true)) };
            lines.push(Line::from(vec![
                Span::styled(format!("accepted {}", f.rule.as_str()), theme.dim()),
                Span::styled(
                    format!(
                        "{at}: {} ({}, {})",
                        terminal_safe(&a.reason, true),
                        terminal_safe(&a.by, true),
                        local_date(a.at)
                    ),
                    theme.dim(),
                ),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
