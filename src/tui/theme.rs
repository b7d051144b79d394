//! Styles in one place, so `NO_COLOR` turns every colour off at once and only emphasis remains.

use ratatui::style::{Color, Modifier, Style};

/// The styles every screen draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn base(&self) -> Style {
        Style::default()
    }
    pub fn title(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }
    pub fn dim(&self) -> Style {
        self.pick(Style::default().fg(Color::DarkGray), Style::default())
    }
    pub fn key(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }
    pub fn selected(&self) -> Style {
        self.pick(Style::default().bg(Color::Blue).fg(Color::White), Style::default().add_modifier(Modifier::REVERSED))
    }
    pub fn active_tab(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }
    pub fn error(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }
    pub fn ok(&self) -> Style {
        self.pick(Style::default().fg(Color::Green), Style::default())
    }
    pub fn warn(&self) -> Style {
        self.pick(Style::default().fg(Color::Yellow), Style::default().add_modifier(Modifier::UNDERLINED))
    }
    /// Words the quality lint flags in a field being edited.
    pub fn flagged(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Yellow).add_modifier(Modifier::UNDERLINED),
            Style::default().add_modifier(Modifier::UNDERLINED),
        )
    }
    pub fn matched(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Style::default().add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
        )
    }
    /// An empty traceability cell: a gap to close.
    pub fn gap(&self) -> Style {
        self.pick(Style::default().fg(Color::Red), Style::default().add_modifier(Modifier::DIM))
    }
    pub fn focus_border(&self) -> Style {
        self.pick(Style::default().fg(Color::Cyan), Style::default().add_modifier(Modifier::BOLD))
    }
    /// The colour of a requirements share against its band (`None`: no time logged yet).
    pub fn band(&self, verdict: Option<crate::analysis::Verdict>) -> Style {
        use crate::analysis::Verdict;
        match verdict {
            Some(Verdict::Below) => self.warn(),
            Some(Verdict::Inside) => self.ok(),
            Some(Verdict::Above) => self.error(),
            None => self.dim(),
        }
    }
}
