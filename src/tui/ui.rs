//! Drawing: header, tabs, the screen, status line, footer and overlays, in the frame layout of
//! [`super::layout`]. Drawing reads the app; it never changes it and never queries SQLite.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{App, Screen};
use super::component::{OverlayView, View};
use super::keymap;
use super::layout::tab_label;
pub use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH, layout, tab_at};
use super::screens;
use crate::domain::{fit, terminal_safe};

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
    if let Some(data) = &app.session.data {
        let view = View {
            data,
            gaps: &app.session.gaps,
            quality: app.session.quality.as_ref(),
            theme,
            now: app.session.store.now(),
        };
        app.screens.get(app.screen).draw(frame, a.body, &view);
    }
    if let Some(s) = &app.status.current {
        let style = if s.error { theme.error() } else { theme.ok() };
        let text = if s.error { format!("✗ {}", s.text) } else { s.text.clone() };
        frame.render_widget(Paragraph::new(Span::styled(terminal_safe(&text, true), style)), a.status);
    }
    draw_footer(frame, a.footer, app);
    let view = OverlayView {
        data: app.session.data.as_ref(),
        theme,
        under: app.mode_under_overlays(),
        now: app.session.store.now(),
        quality: app.session.quality.as_ref(),
    };
    for overlay in &app.overlays {
        overlay.draw(frame, a.body, &view);
    }
}

fn draw_header(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let theme = &app.theme;
    let mut spans = vec![Span::styled(" elicit ", theme.active_tab())];
    if let Some(d) = &app.session.data {
        spans.push(Span::styled(format!(" {} ", d.project.key), theme.key()));
        let now = app.session.store.now();
        let (share, verdict) = screens::overview::share_text(d, now);
        // The name gives way to the timer and the share when space is short.
        let timer = screens::time::header_timer(d, now).map(|t| format!("  {}", fit(&t, 40)));
        let timer_len = timer.as_ref().map_or(0, |t| t.chars().count());
        let room = usize::from(area.width).saturating_sub(20 + share.len() + 9 + timer_len);
        let room = if timer.is_some() { room } else { room.max(8) };
        let name = fit(&terminal_safe(&d.project.name, true), room);
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

fn draw_tabs(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    for (i, s) in Screen::ALL.iter().enumerate() {
        let style = if *s == app.screen && app.session.data.is_some() { theme.active_tab() } else { theme.dim() };
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
