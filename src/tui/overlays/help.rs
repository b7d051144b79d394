//! The `?` overlay: every binding, the keys of where the user is first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::centered;
use crate::tui::action::Action;
use crate::tui::component::{Effect, Overlay, OverlayCtx, OverlayView};
use crate::tui::keymap::{self, Mode};

/// The width of the keys column.
const KEYS: usize = 22;

/// `text` in lines of at most `width` columns, broken between words.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let Some(line) = out.last_mut() else { break };
        if !line.is_empty() && crate::domain::text_width(line) + 1 + crate::domain::text_width(word) > width {
            out.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    out
}

/// Help, scrolled this far.
#[derive(Debug, Default)]
pub struct Help {
    scroll: u16,
}

impl Overlay for Help {
    fn mode(&self) -> Mode {
        Mode::Help
    }

    fn update(&mut self, _ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        match action {
            Action::Cancel | Action::Help | Action::Quit => return Effect::Close,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::PageDown => self.scroll = self.scroll.saturating_add(10),
            _ => {}
        }
        Effect::None
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        let theme = view.theme;
        let area = centered(body, 90, body.height);
        frame.render_widget(Clear, area);
        // A description too long for the line goes on below, under itself, never cut off.
        let room = usize::from(area.width.saturating_sub(2)).saturating_sub(KEYS + 2).max(10);
        let mut lines = Vec::new();
        for m in keymap::help_order(view.under) {
            lines.push(Line::styled(m.title(), theme.title()));
            for (keys, desc) in keymap::help_lines(m) {
                let mut parts = wrap(desc, room).into_iter();
                let first = parts.next().unwrap_or_default();
                lines.push(Line::from(vec![Span::styled(format!("  {keys:<KEYS$}"), theme.key()), Span::raw(first)]));
                for more in parts {
                    lines.push(Line::raw(format!("  {:KEYS$}{more}", "")));
                }
            }
            lines.push(Line::raw(""));
        }
        let title = format!(" Keys ({}) ", keymap::hint_line(Mode::Help));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border())
            .title(Span::styled(title, theme.title()));
        frame.render_widget(Paragraph::new(lines).block(block).scroll((self.scroll, 0)), area);
    }
}
