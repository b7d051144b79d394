//! Drawing: the frame layout (shared with mouse hit-testing), header, tabs, footer, status line and
//! overlays. Drawing reads the app; it never changes it and never queries SQLite.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::app::{App, Overlay, Screen};
use super::component::View;
use super::keymap::{self, Mode};
use super::screens;
use crate::domain::terminal_safe;

/// Below this size the app shows a message instead of a cramped screen.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Where each part of the frame goes.
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
}

/// Splits the frame; used by drawing and by mouse clicks so both agree.
pub fn layout(area: Rect) -> Areas {
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .split(area);
    Areas { header: rows[0], tabs: rows[1], body: rows[2], status: rows[3], footer: rows[4] }
}

fn tab_label(i: usize, s: Screen, width: u16) -> String {
    // Full names need about 100 columns; narrower terminals get short ones so all seven tabs show.
    if width >= 100 { format!(" {} {} ", i + 1, s.title()) } else { format!(" {} {} ", i + 1, s.short_title()) }
}

/// The tab under column `x` of the tab row, for a frame `width` columns wide.
pub fn tab_at(x: u16, width: u16) -> Option<usize> {
    let mut start = 0u16;
    for (i, s) in Screen::ALL.iter().enumerate() {
        let w = tab_label(i, *s, width).chars().count() as u16;
        if x >= start && x < start + w {
            return Some(i);
        }
        start += w + 1;
    }
    None
}

/// Draws the whole frame.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let theme = &app.theme;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal too small ({}x{}). elicit needs at least {MIN_WIDTH}x{MIN_HEIGHT}: enlarge the window. q quits.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let a = layout(area);
    draw_header(frame, a.header, app);
    draw_tabs(frame, a.tabs, app);
    if let Some(data) = &app.data {
        let view = View { data, gaps: &app.gaps, theme, now: app.store.now() };
        app.screens.get(app.screen).draw(frame, a.body, &view);
    }
    if let Some(s) = &app.status {
        let style = if s.error { theme.error() } else { theme.ok() };
        let text = if s.error { format!("✗ {}", s.text) } else { s.text.clone() };
        frame.render_widget(Paragraph::new(Span::styled(terminal_safe(&text, true), style)), a.status);
    }
    draw_footer(frame, a.footer, app);
    for overlay in &app.overlays {
        draw_overlay(frame, a.body, overlay, app);
    }
}

fn draw_header(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let theme = &app.theme;
    let mut spans = vec![Span::styled(" elicit ", theme.active_tab())];
    if let Some(d) = &app.data {
        spans.push(Span::styled(format!(" {} ", d.project.key), theme.key()));
        let now = app.store.now();
        let (share, verdict) = screens::overview::share_text(d, now);
        // The name gives way to the timer and the share when space is short.
        let timer = screens::time::header_timer(d, now).map(|t| format!("  {}", cut(&t, 40)));
        let timer_len = timer.as_ref().map_or(0, |t| t.chars().count());
        let room = usize::from(area.width).saturating_sub(20 + share.len() + 9 + timer_len);
        let room = if timer.is_some() { room } else { room.max(8) };
        let name: String = terminal_safe(&d.project.name, true).chars().take(room).collect();
        spans.push(Span::raw(name));
        if let Some(timer) = timer {
            spans.push(Span::styled(timer, theme.warn()));
        }
        let right = format!("share: {share} ");
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let pad = usize::from(area.width).saturating_sub(used + right.chars().count());
        if pad > 0 {
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(right, theme.band(verdict)));
        }
    } else {
        spans.push(Span::raw(" requirements gathering in the terminal"));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `text` cut to `max` chars, with an ellipsis when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

fn draw_tabs(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    for (i, s) in Screen::ALL.iter().enumerate() {
        let style = if *s == app.screen && app.data.is_some() { theme.active_tab() } else { theme.dim() };
        spans.push(Span::styled(tab_label(i, *s, area.width), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    let mut width = 0usize;
    for (key, desc) in keymap::hints(app.mode()) {
        let piece = key.chars().count() + desc.chars().count() + 3;
        if width + piece > usize::from(area.width) {
            break;
        }
        width += piece;
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {desc}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A rectangle of `w` x `h` (clamped) centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

fn draw_overlay(frame: &mut Frame<'_>, body: Rect, overlay: &Overlay, app: &App) {
    let theme = &app.theme;
    match overlay {
        Overlay::Form { form, .. } => form.render(frame, centered(body, 100, form.wanted_height().max(12)), theme),
        Overlay::Picker(p) => p.render(frame, centered(body, 70, 20), theme),
        Overlay::Conflict(c) => {
            if let Some(d) = &app.data {
                c.render(frame, centered(body, 100, body.height), d, theme);
            }
        }
        Overlay::Confirm { message, .. } => {
            let area = centered(body, 64, 5);
            frame.render_widget(Clear, area);
            let block = Block::default().borders(Borders::ALL).border_style(theme.focus_border());
            let text = vec![
                Line::raw(terminal_safe(message, true)),
                Line::from(vec![
                    Span::styled("y", theme.key()),
                    Span::raw(" yes   "),
                    Span::styled("n", theme.key()),
                    Span::raw(" no"),
                ]),
            ];
            frame.render_widget(Paragraph::new(text).block(block).wrap(Wrap { trim: true }), area);
        }
        Overlay::Help { scroll } => {
            let area = centered(body, 76, body.height);
            frame.render_widget(Clear, area);
            let under = app.mode_under_overlays();
            let mut modes = vec![under];
            if under.has_globals() {
                modes.push(Mode::Global);
            }
            for m in [
                Mode::Capture,
                Mode::CaptureNotes,
                Mode::CaptureIdle,
                Mode::Requirements,
                Mode::Journey,
                Mode::Matrix,
                Mode::Outcomes,
                Mode::Stakeholders,
                Mode::Time,
                Mode::Filter,
                Mode::Form,
                Mode::Picker,
                Mode::List,
                Mode::Confirm,
                Mode::Conflict,
                Mode::Help,
                Mode::Global,
            ] {
                if !modes.contains(&m) {
                    modes.push(m);
                }
            }
            let mut lines = Vec::new();
            for m in modes {
                lines.push(Line::styled(m.title(), theme.title()));
                for (keys, desc) in keymap::help_lines(m) {
                    lines.push(Line::from(vec![Span::styled(format!("  {keys:<22}"), theme.key()), Span::raw(desc)]));
                }
                lines.push(Line::raw(""));
            }
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.focus_border())
                .title(Span::styled(" Keys (↑/↓ scroll, Esc close) ", theme.title()));
            frame.render_widget(Paragraph::new(lines).block(block).scroll((*scroll, 0)), area);
        }
        Overlay::List { title, items, selected } => {
            let area = centered(body, 90, body.height.saturating_sub(2));
            frame.render_widget(Clear, area);
            let Some(d) = &app.data else { return };
            let rows: Vec<ListItem<'_>> = items
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
                .title(Span::styled(format!(" {} ({}) ", terminal_safe(title, true), items.len()), theme.title()))
                .title_bottom(Span::styled(" Enter show in Requirements · Esc close ", theme.dim()));
            let mut state = ListState::default().with_selected((!empty).then_some(*selected));
            frame.render_stateful_widget(
                List::new(rows).block(block).highlight_style(theme.selected()),
                area,
                &mut state,
            );
            if empty {
                let inner = Rect { x: area.x + 2, y: area.y + 1, width: area.width.saturating_sub(4), height: 1 };
                frame.render_widget(
                    Paragraph::new(Span::styled("No requirements here: a gap to close.", theme.gap())),
                    inner,
                );
            }
        }
    }
}
