//! The small overlays: help, a yes/no question, a list of requirements. Forms, pickers and the conflict
//! view are overlays too, in modules of their own.

mod confirm;
mod help;
mod history;
mod list;

pub use confirm::Confirm;
pub use help::Help;
pub use history::History;
pub use list::RequirementList;

use ratatui::layout::Rect;

/// A rectangle of `w` x `h` (clamped) centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}
