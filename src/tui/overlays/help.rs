//! The `?` overlay: every binding, the keys of where the user is first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::centered;
use crate::tui::action::Action;
use crate::tui::component::{Effect, Overlay, OverlayCtx, OverlayView};
use crate::tui::keymap::{self, Mode};

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
        let area = centered(body, 76, body.height);
        frame.render_widget(Clear, area);
        let mut lines = Vec::new();
        for m in keymap::help_order(view.under) {
            lines.push(Line::styled(m.title(), theme.title()));
            for (keys, desc) in keymap::help_lines(m) {
                lines.push(Line::from(vec![Span::styled(format!("  {keys:<22}"), theme.key()), Span::raw(desc)]));
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
