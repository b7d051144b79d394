//! The frame layout, shared by drawing and mouse clicks so both agree on what is where.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

use super::component::Screen;

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

pub(super) fn tab_label(i: usize, s: Screen, width: u16) -> String {
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

/// The columns of a bordered table drawn in `area` with `constraints` and one space between columns: their
/// widths, to cut every cell to its column (marked "…") before the table draws it, and the constraints
/// that make the table use exactly those widths.
pub fn table_columns(area: Rect, constraints: &[Constraint]) -> (Vec<usize>, Vec<Constraint>) {
    let inner = Rect { width: area.width.saturating_sub(2), ..area };
    let widths: Vec<u16> =
        Layout::horizontal(constraints.to_vec()).spacing(1).split(inner).iter().map(|r| r.width).collect();
    (widths.iter().map(|w| usize::from(*w)).collect(), widths.into_iter().map(Constraint::Length).collect())
}
