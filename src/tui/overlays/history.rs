//! A requirement's history from the change log: when, who, what field, old -> new, newest first (the same
//! rows as `elicit history ID`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState};

use super::centered;
use crate::domain::{RequirementChange, RequirementId, fit, format_minute, terminal_safe};
use crate::store::Store;
use crate::tui::action::Action;
use crate::tui::component::{Effect, Overlay, OverlayCtx, OverlayView, Selection};
use crate::tui::data::ProjectData;
use crate::tui::keymap::{self, Mode};

/// The history of one requirement, newest first.
#[derive(Debug)]
pub struct History {
    pub title: String,
    pub rows: Vec<RequirementChange>,
    selected: Selection,
}

impl History {
    /// The history of requirement `id`, read now.
    pub fn open(store: &Store, d: &ProjectData, id: RequirementId) -> Effect {
        match (store.requirement_history(id), store.requirement(id)) {
            (Ok(rows), Ok(r)) => {
                let title = format!(" History of {} ({} changes) ", d.human_id(r.seq), rows.len());
                Effect::Push(Box::new(History { title, rows, selected: Selection::default() }))
            }
            (Err(e), _) | (_, Err(e)) => Effect::error(e),
        }
    }
}

/// A value as one line: line breaks shown as ⏎, nothing for an empty one.
fn one_line(v: Option<&str>) -> String {
    match v {
        None | Some("") => "(none)".into(),
        Some(v) => terminal_safe(&v.replace('\n', " ⏎ "), true),
    }
}

impl Overlay for History {
    fn mode(&self) -> Mode {
        Mode::History
    }

    fn update(&mut self, _ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        match action {
            Action::Cancel => Effect::Close,
            _ => {
                self.selected.apply(action, self.rows.len());
                Effect::None
            }
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        let theme = view.theme;
        let area = centered(body, 120, body.height.saturating_sub(2));
        frame.render_widget(Clear, area);
        let width = usize::from(area.width.saturating_sub(2));
        let items: Vec<ListItem<'_>> = self
            .rows
            .iter()
            .map(|c| {
                let head = format!(
                    "{}  {:<12} {:<14} ",
                    format_minute(c.at),
                    fit(&terminal_safe(&c.actor, true), 12),
                    c.field
                );
                // A creation or a deletion is the event itself: there is no old and new to show.
                let change = match (&c.old, &c.new) {
                    (None, None) => String::new(),
                    (old, new) => format!("{} → {}", one_line(old.as_deref()), one_line(new.as_deref())),
                };
                ListItem::new(Line::from(vec![
                    Span::styled(head.clone(), theme.dim()),
                    Span::raw(fit(&change, width.saturating_sub(crate::domain::text_width(&head)))),
                ]))
            })
            .collect();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border())
            .title(Span::styled(self.title.clone(), theme.title()))
            .title_bottom(Span::styled(fit(&format!(" {} ", keymap::hint_line(Mode::History)), width), theme.dim()));
        let mut state = ListState::default().with_selected((!self.rows.is_empty()).then_some(self.selected.index));
        frame.render_stateful_widget(List::new(items).block(block).highlight_style(theme.selected()), area, &mut state);
    }
}
