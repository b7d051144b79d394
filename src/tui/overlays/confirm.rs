//! A yes/no question over the screen; the answer goes to whoever the question is about.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::centered;
use crate::domain::terminal_safe;
use crate::tui::action::Action;
use crate::tui::component::{Effect, Overlay, OverlayCtx, OverlayView};
use crate::tui::keymap::{self, Mode};
use crate::tui::message::Question;

/// A question waiting for y or n.
#[derive(Debug)]
pub struct Confirm {
    pub message: String,
    pub question: Question,
}

impl Confirm {
    pub fn new(message: impl Into<String>, question: Question) -> Box<Confirm> {
        Box::new(Confirm { message: message.into(), question })
    }
}

impl Overlay for Confirm {
    fn mode(&self) -> Mode {
        Mode::Confirm
    }

    fn update(&mut self, _ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        match action {
            Action::Confirm => Effect::Then(vec![Effect::Close, Effect::Answered(self.question.clone(), true)]),
            Action::Cancel => Effect::Then(vec![Effect::Close, Effect::Answered(self.question.clone(), false)]),
            _ => Effect::None,
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        let theme = view.theme;
        let area = centered(body, 64, 5);
        frame.render_widget(Clear, area);
        let block = Block::default().borders(Borders::ALL).border_style(theme.focus_border());
        let mut answers = Vec::new();
        for (key, what) in keymap::hints(Mode::Confirm) {
            answers.push(Span::styled(key, theme.key()));
            answers.push(Span::raw(format!(" {what}   ")));
        }
        let text = vec![Line::raw(terminal_safe(&self.message, true)), Line::from(answers)];
        frame.render_widget(Paragraph::new(text).block(block).wrap(Wrap { trim: true }), area);
    }
}
